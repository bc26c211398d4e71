//! The `cairn` command: parses arguments, runs a pipeline of `cairn-engine`, prints a report of
//! `cairn-report`, and turns the outcome into an exit code. Nothing else lives here.
//!
//! Exit codes: 0 no errors (warnings allowed), 1 errors found (or failing policy tests), 2 usage
//! error, a repository or revision that cannot be opened at all, or a broken policy set (the
//! platform's rules could not be evaluated).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

mod ci;

use cairn_engine::{Outcome, Severity};
use cairn_report::HumanOptions;
use cairn_source::Source;
use clap::{Parser, Subcommand, ValueEnum};

/// Policy evaluation allocates and frees many small values; mimalloc does that faster than the
/// system allocator (measured in docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code: no errors.
pub(crate) const CLEAN: u8 = 0;
/// Exit code: the platform repository has errors.
pub(crate) const FINDINGS: u8 = 1;
/// Exit code: usage error, or cairn could not run.
pub(crate) const FAILURE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "cairn",
    version,
    about = "Platform as code: check a platform repository of blueprints, entities and environments"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every blueprint and entity of a platform repository.
    ///
    /// Exits 0 when there is no error (warnings allowed), 1 when there are errors, 2 when the
    /// repository or revision cannot be opened.
    Check(CheckArgs),
    /// Write a new platform repository, from cairn's bundled libraries, that passes `cairn check`.
    Init(InitArgs),
    /// Work with policies.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Show what a change does to the platform: entities added, modified, moved and removed,
    /// environments, and the findings it introduces, judged by the rules of its base.
    ///
    /// Exits 0 when the change introduces no error (with `--strict`: when the head has none),
    /// 1 when it does, 2 when a revision cannot be read or the policies cannot be evaluated.
    Plan(PlanArgs),
    /// The one command a GitHub Actions workflow runs: plan the pull request (or check the pushed
    /// commit), write the step summary and outputs, post one sticky comment and a check run with
    /// annotations.
    ///
    /// Exits by the verdict (0 pass, 1 fail), or 2 when it cannot run.
    Ci(ci::CiArgs),
}

#[derive(Debug, clap::Args)]
struct PlanArgs {
    /// The platform repository: a git repository, or a folder in one.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// The revision the change starts from; its rules judge the change.
    #[arg(long, value_name = "REV")]
    base: String,
    /// The revision the change ends at.
    #[arg(long, value_name = "REV")]
    head: String,
    /// Also fail on errors that were already there at the base.
    #[arg(long)]
    strict: bool,
    /// How to print the plan; `markdown` is the pull-request comment. Findings link to
    /// `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/<head commit>/…` when both are set.
    #[arg(long, value_enum, default_value_t = PlanFormat::Human)]
    format: PlanFormat,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum PlanFormat {
    Human,
    Json,
    Markdown,
    /// The findings judged (introduced ones; with `--strict`, all) as GitHub workflow commands.
    Github,
    /// The findings judged, as SARIF 2.1.0.
    Sarif,
}

#[derive(Debug, Subcommand)]
enum PolicyCommand {
    /// Run the `test_*` rules of every `*_test.rego` file, as `opa test` does.
    ///
    /// PATH is a platform repository (its `policies/` folder is tested, with the bundled library
    /// when `cairn.yaml` enables it) or a folder of Rego files. Exits 0 when every test passes, 1
    /// when one fails, 2 when the policies cannot be loaded.
    Test(PolicyTestArgs),
}

#[derive(Debug, clap::Args)]
struct PolicyTestArgs {
    /// A platform repository, or a folder of `.rego` files.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Run only the tests whose full name (`data.pkg.test_name`) matches this regular expression.
    #[arg(long, value_name = "REGEX")]
    run: Option<String>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// The platform repository: a directory, or with `--rev` a git repository or a folder in one.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Read the repository at this git revision (`main`, `HEAD~3`, a SHA, a tag) from git
    /// objects, instead of the files on disk.
    #[arg(long, value_name = "REV", conflicts_with_all = ["base", "head"])]
    rev: Option<String>,
    /// Check a change: the entities of `--head`, judged by the settings, blueprints, policies and
    /// waivers of this base revision, with every change to those rules reported for review.
    #[arg(long, value_name = "REV", requires = "head")]
    base: Option<String>,
    /// The change's head revision; with `--base`.
    #[arg(long, value_name = "REV", requires = "base")]
    head: Option<String>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Also say which files were not read, and why.
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Debug, clap::Args)]
struct InitArgs {
    /// Where to write the new platform repository; it must be new or empty.
    #[arg(default_value = ".")]
    dir: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Human,
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`): annotations in the log.
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => check(&args),
        Command::Init(args) => init(&args),
        Command::Policy(PolicyCommand::Test(args)) => policy_test(&args),
        Command::Plan(args) => plan(&args),
        Command::Ci(args) => ci::ci(&args),
    };
    ExitCode::from(code)
}

fn check(args: &CheckArgs) -> u8 {
    let outcome = if let (Some(base), Some(head)) = (&args.base, &args.head) {
        Source::git(&args.path, base)
            .and_then(|base| Source::git(&args.path, head).map(|head| (base, head)))
            .map_err(cairn_engine::EngineError::from)
            .and_then(|(base, head)| cairn_engine::check_change(&base, &head))
    } else {
        let source = match &args.rev {
            Some(rev) => Source::git(&args.path, rev),
            None => Source::directory(&args.path),
        };
        source.map_err(cairn_engine::EngineError::from).and_then(|source| cairn_engine::check(&source))
    };
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => return fail(&error),
    };
    if args.verbose {
        let mut stderr = std::io::stderr().lock();
        for path in &outcome.ignored {
            // Best effort: a closed stderr must not change the verdict.
            let _ = writeln!(
                stderr,
                "note: not read: `{path}` is outside the blueprints, catalog and environments folders or not YAML or JSON"
            );
        }
        let _ = writeln!(stderr, "note: checked in {} ms", outcome.elapsed.as_millis());
    }
    let report = match args.format {
        Format::Json => cairn_report::json(&outcome),
        Format::Github => cairn_report::github(&outcome.diagnostics),
        Format::Sarif => cairn_report::sarif(&outcome.diagnostics),
        Format::Human => cairn_report::human(&outcome, HumanOptions { color: use_color(args.color), width: 100 }),
    };
    let code = if std::io::stdout().lock().write_all(report.as_bytes()).is_ok() { verdict(&outcome) } else { FAILURE };
    // The process ends next; freeing a catalog of 100,000 entities one allocation at a time
    // would cost 5-7% of the run for nothing, so the operating system reclaims it instead.
    std::mem::forget(outcome);
    code
}

fn verdict(outcome: &Outcome) -> u8 {
    if outcome.rules_broken() {
        FAILURE
    } else if outcome.count(Severity::Error) > 0 {
        FINDINGS
    } else {
        CLEAN
    }
}

fn plan(args: &PlanArgs) -> u8 {
    let plan = Source::git(&args.path, &args.base)
        .and_then(|base| Source::git(&args.path, &args.head).map(|head| (base, head)))
        .map_err(cairn_engine::EngineError::from)
        .and_then(|(base, head)| cairn_engine::plan(&base, &head));
    let plan = match plan {
        Ok(plan) => plan,
        Err(error) => return fail(&error),
    };
    let options = cairn_report::PlanOptions { strict: args.strict };
    let report = match args.format {
        PlanFormat::Human => {
            cairn_report::plan_human(&plan, options, HumanOptions { color: use_color(args.color), width: 100 })
        }
        PlanFormat::Json => cairn_report::plan_json(&plan, options),
        PlanFormat::Github if args.strict => cairn_report::github(&plan.outcome.diagnostics),
        PlanFormat::Github => cairn_report::github(plan.introduced()),
        PlanFormat::Sarif if args.strict => cairn_report::sarif(&plan.outcome.diagnostics),
        PlanFormat::Sarif => cairn_report::sarif(plan.introduced()),
        PlanFormat::Markdown => {
            let blob = match (std::env::var("GITHUB_SERVER_URL"), std::env::var("GITHUB_REPOSITORY"), &plan.head_commit)
            {
                (Ok(server), Ok(repository), Some(commit)) => {
                    Some(format!("{}/{repository}/blob/{commit}", server.trim_end_matches('/')))
                }
                _ => None,
            };
            cairn_report::plan_markdown(&plan, options, &cairn_report::Links { blob })
        }
    };
    if std::io::stdout().lock().write_all(report.as_bytes()).is_err() {
        return FAILURE;
    }
    if plan.outcome.rules_broken() {
        FAILURE
    } else if plan.failing_errors(args.strict) > 0 {
        FINDINGS
    } else {
        CLEAN
    }
}

fn policy_test(args: &PolicyTestArgs) -> u8 {
    let filter = match args.run.as_deref().map(regex::Regex::new).transpose() {
        Ok(filter) => filter,
        Err(error) => return fail(&format!("`--run`: {error}")),
    };
    let select = |name: &str| filter.as_ref().is_none_or(|filter| filter.is_match(name));
    let outcome = match cairn_engine::test_policies(&args.path, &select) {
        Ok(outcome) => outcome,
        Err(error) => return fail(&error),
    };
    let report = cairn_report::policy_tests(&outcome, HumanOptions { color: use_color(args.color), width: 100 });
    if std::io::stdout().lock().write_all(report.as_bytes()).is_err() {
        return FAILURE;
    }
    if outcome.diagnostics.iter().any(|diagnostic| diagnostic.code.breaks_rules()) {
        FAILURE
    } else if outcome.report.failed() > 0 {
        FINDINGS
    } else {
        CLEAN
    }
}

fn init(args: &InitArgs) -> u8 {
    match cairn_engine::init(&args.dir) {
        Ok(written) => {
            let mut stdout = std::io::stdout().lock();
            for path in &written {
                let _ = writeln!(stdout, "created {path}");
            }
            let _ = writeln!(
                stdout,
                "a new platform repository is in `{}`; run `cairn check {}` to check it",
                args.dir.display(),
                args.dir.display()
            );
            CLEAN
        }
        Err(error) => fail(&error),
    }
}

pub(crate) fn fail(error: &dyn std::fmt::Display) -> u8 {
    let _ = writeln!(std::io::stderr().lock(), "error: {error}");
    FAILURE
}

fn use_color(color: Color) -> bool {
    match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal(),
    }
}
