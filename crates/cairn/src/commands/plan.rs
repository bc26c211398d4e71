//! `cairn plan`: what a change does, and what it introduces, judged by its base's rules.

use std::path::PathBuf;

use cairn_engine::EngineError;
use cairn_report::{HumanOptions, Links, PlanOptions};
use cairn_source::Source;
use clap::ValueEnum;

use super::{Clock, CodeFilter, Color, Spinner, emit, fail_with_help};
use crate::exit::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The platform repository: a folder of a git repository (its root is the nearest folder at
    /// or above it with a `cairn.yaml`).
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
    /// `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/<head commit>/…` when both are set (removed
    /// entities to the base commit).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    #[command(flatten)]
    codes: CodeFilter,
    #[command(flatten)]
    clock: Clock,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Human,
    Json,
    Markdown,
    /// The findings judged (introduced ones; with `--strict`, all) as GitHub workflow commands.
    Github,
    /// The findings judged, as SARIF 2.1.0.
    Sarif,
}

pub fn run(args: &Args) -> ExitStatus {
    let path = super::platform::root(&args.path, false);
    let spinner = Spinner::start(format!("planning `{}`..`{}`", args.base, args.head));
    let plan = Source::git(&path, &args.base)
        .and_then(|base| Source::git(&path, &args.head).map(|head| (base, head)))
        .map_err(EngineError::from)
        .and_then(|(base, head)| cairn_engine::plan(&base, &head, args.clock.now()));
    drop(spinner);
    let mut plan = match plan {
        Ok(plan) => plan,
        Err(error) => return fail_with_help(&error, error.help()),
    };
    args.codes.apply_to_plan(&mut plan);
    let options = PlanOptions { strict: args.strict };
    let report = match args.format {
        Format::Human => {
            cairn_report::plan_human(&plan, options, HumanOptions { color: args.color.enabled(), width: 100 })
        }
        Format::Json => cairn_report::plan_json(&plan, options),
        Format::Github if args.strict => cairn_report::github(&plan.outcome.diagnostics, &plan.outcome.prefix),
        Format::Github => cairn_report::github(plan.introduced(), &plan.outcome.prefix),
        Format::Sarif if args.strict => cairn_report::sarif(&plan.outcome.diagnostics, &plan.outcome.prefix),
        Format::Sarif => cairn_report::sarif(plan.introduced(), &plan.outcome.prefix),
        Format::Markdown => {
            let repository = match (std::env::var("GITHUB_SERVER_URL"), std::env::var("GITHUB_REPOSITORY")) {
                (Ok(server), Ok(repository)) => Some(format!("{}/{repository}", server.trim_end_matches('/'))),
                _ => None,
            };
            cairn_report::plan_markdown(&plan, options, &Links { repository })
        }
    };
    emit(&report, plan.verdict(args.strict).into())
}
