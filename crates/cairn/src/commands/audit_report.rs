//! `cairn audit report`: an auditor's report of the changes merged into a branch in a period
//! (docs/audit.md).

use std::path::PathBuf;

use cairn_engine::{ReportOptions, Timestamp};
use cairn_source::Source;
use clap::ValueEnum;

use super::audit::{parse_since, parse_until};
use super::{Spinner, emit, fail_with_help, platform, say};
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
    /// Only commits committed at or after this instant: an RFC 3339 date-time with any offset
    /// (`2026-11-24T09:00:00Z`) or a day (`2026-11-24`, from its first instant in UTC).
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    since: Option<Timestamp>,
    /// Only commits committed at or before this instant: an RFC 3339 date-time or a day (to
    /// its last instant in UTC).
    #[arg(long, value_name = "DATE", value_parser = parse_until)]
    until: Option<Timestamp>,
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
    let root = platform::root(&args.path, false);
    let source = match Source::git(&root, &args.rev) {
        Ok(source) => source,
        Err(error) => {
            let help = error.help();
            return fail_with_help(&error, help);
        }
    };
    let options = ReportOptions { since: args.since, until: args.until };
    let spinner = Spinner::start(format!("judging the history of `{}`", args.rev));
    let report = cairn_engine::audit_report(&source, &options);
    drop(spinner);
    let report = match report {
        Ok(report) => report,
        Err(error) => return fail_with_help(&error, error.help()),
    };
    if report.changes.is_empty() {
        let window = if args.since.is_some() || args.until.is_some() { " in the dates given" } else { "" };
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
