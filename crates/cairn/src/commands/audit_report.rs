//! `cairn audit report`: an auditor's report of the changes merged into a branch in a period
//! (docs/audit.md).

use std::path::PathBuf;

use cairn_engine::ReportOptions;
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
    /// The branch whose first-parent history is read: each of its commits is a change merged.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    rev: String,
    #[command(flatten)]
    period: Period,
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
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
    let options = ReportOptions { since: args.period.since, until: args.period.until };
    let spinner = Spinner::start(format!("judging the history of `{}`", args.rev));
    let report = cairn_engine::audit_report(&source, &options);
    drop(spinner);
    let report = match report {
        Ok(report) => report,
        Err(error) => return fail_with_help(&error, error.help()),
    };
    if report.changes.is_empty() {
        let window = args.period.window();
        say(&format!("error: no commit of `{}`{window} changed the platform: nothing to report", args.rev));
        return ExitStatus::Findings;
    }
    let text = match args.format {
        Format::Markdown => cairn_report::audit_report_markdown(&report),
        Format::Json => cairn_report::audit_report_json(&report),
        Format::Csv => cairn_report::audit_report_csv(&report),
    };
    emit(&text, ExitStatus::Clean)
}
