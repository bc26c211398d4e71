//! `cairn policy test`: the policies' own tests, run as `opa test` runs them.

use std::path::PathBuf;

use cairn_report::HumanOptions;

use super::{Color, Spinner, emit, fail, say};
use crate::exit::ExitStatus;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Run the `test_*` rules of every `*_test.rego` file, as `opa test` does.
    ///
    /// A `todo_test_*` rule is listed as skipped and not run; the closing line counts passed,
    /// failed and skipped tests. Tests `--run` leaves out are not listed or counted.
    ///
    /// PATH is a platform repository (its `policies/` folder is tested, with the bundled library
    /// when `cairn.yaml` enables it) or a folder of Rego files. Exits 0 when every test passes, 1
    /// when one fails, 2 when the policies cannot be loaded.
    Test(TestArgs),
}

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// A platform repository (or a folder in one: its root is the nearest folder at or above it
    /// with a `cairn.yaml`), or a folder of `.rego` files.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Run only the tests whose full name (`data.pkg.test_name`) matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    run: Option<String>,
    /// How to print the results: `junit` is JUnit XML for the test reports of GitLab, Jenkins
    /// and GitHub Actions reporters.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Junit,
}

pub fn test(args: &TestArgs) -> ExitStatus {
    let filter = match args.run.as_deref().map(regex::Regex::new).transpose() {
        Ok(filter) => filter,
        Err(error) => {
            say(&format!("error: `--run`: {error}"));
            return ExitStatus::Failure;
        }
    };
    let select = |name: &str| filter.as_ref().is_none_or(|filter| filter.is_match(name));
    let path = super::platform::root(&args.path, false);
    let spinner = Spinner::start(format!("testing the policies of `{}`", path.display()));
    let outcome = cairn_engine::test_policies(&path, &select);
    drop(spinner);
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => return fail(&error),
    };
    let report = match args.format {
        Format::Human => cairn_report::policy_tests(&outcome, HumanOptions { color: args.color.enabled(), width: 100 }),
        Format::Json => cairn_report::policy_tests_json(&outcome),
        Format::Junit => cairn_report::policy_tests_junit(&outcome),
    };
    emit(&report, outcome.verdict().into())
}
