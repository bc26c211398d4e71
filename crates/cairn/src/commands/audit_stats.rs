//! `cairn audit stats`: platform analytics from history alone (self-service runs, changes, lead
//! time, environments), grouped by owning team or by month (docs/audit.md).

use std::path::PathBuf;

use cairn_engine::{StatsBy, StatsOptions};
use clap::ValueEnum;

use super::audit::{Period, history};

use super::{Spinner, emit, fail_with_help, say};
use crate::exit::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The platform repository: a folder in a git work tree (its root is the nearest folder at
    /// or above it with a `cairn.yaml`).
    #[arg(default_value = ".")]
    path: PathBuf,
    /// The revision whose history is read.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    rev: String,
    #[command(flatten)]
    period: Period,
    /// Group by the owning teams of the entities changed, or by month (UTC).
    #[arg(long, value_enum, default_value_t = By::Team)]
    by: By,
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum By {
    Team,
    Month,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Markdown,
    Json,
    Csv,
}

pub fn run(args: &Args) -> ExitStatus {
    let source = match history(&args.path, &args.rev) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let by = match args.by {
        By::Team => StatsBy::Team,
        By::Month => StatsBy::Month,
    };
    let options = StatsOptions { since: args.period.since, until: args.period.until, by };
    let spinner = Spinner::start(format!("reading the history of `{}`", args.rev));
    let stats = cairn_engine::audit_stats(&source, &options);
    drop(spinner);
    let stats = match stats {
        Ok(stats) => stats,
        Err(error) => return fail_with_help(&error, error.help()),
    };
    let report = match args.format {
        Format::Markdown => cairn_report::audit_stats_markdown(&stats),
        Format::Json => cairn_report::audit_stats_json(&stats),
        Format::Csv => cairn_report::audit_stats_csv(&stats),
    };
    if stats.changes_total > 0 {
        return emit(&report, ExitStatus::Clean);
    }
    // Never a silent empty report: stderr says the window held no change.
    let window = args.period.window();
    let exit = emit(&report, ExitStatus::Findings);
    say(&format!(
        "error: no change to any entity in the history of `{}`{window} ({} commits read)",
        args.rev, stats.commits
    ));
    exit
}
