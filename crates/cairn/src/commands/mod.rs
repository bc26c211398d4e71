//! One module per command, and what they share: colour, `--quiet`, progress, `--select` and
//! `--ignore`, the clock, printing a report and an error.

pub mod actions;
pub mod audit;
pub mod audit_at;
pub mod audit_report;
pub mod audit_stats;
pub mod check;
pub mod ci;
pub mod env;
pub mod github;
pub mod import;
pub mod init;
pub mod plan;
pub mod platform;
pub mod policy;
pub mod reconcile;
pub mod render;
pub mod run;
pub mod scorecard;
pub mod select;
pub mod terminal;

use std::io::Write;

use cairn_engine::Timestamp;

use crate::exit::ExitStatus;

pub use select::CodeFilter;
pub use terminal::{Color, Spinner};

/// The clock, for commands whose answer depends on the time (waiver expiry, time left).
#[derive(Debug, clap::Args)]
pub struct Clock {
    /// Judge as of this instant instead of now: an RFC 3339 date-time with any offset
    /// (`2099-01-01T00:00:00Z`) or a day (`2099-01-01`, its first instant in UTC).
    #[arg(long, value_name = "TIME", value_parser = parse_now)]
    now: Option<Timestamp>,
}

impl Clock {
    /// `--now`, or the system clock: the only place cairn reads it.
    pub fn now(&self) -> Timestamp {
        self.now.unwrap_or_else(Timestamp::now)
    }
}

fn parse_now(text: &str) -> Result<Timestamp, String> {
    cairn_engine::parse_now(text).ok_or_else(|| {
        format!("`{text}` is neither an RFC 3339 date-time (`2099-01-01T00:00:00Z`) nor a day (`2099-01-01`)")
    })
}

/// Prints `report` on stdout; a report that cannot be written is a failure, whatever it says.
pub fn emit(report: &str, status: ExitStatus) -> ExitStatus {
    if std::io::stdout().lock().write_all(report.as_bytes()).is_ok() { status } else { ExitStatus::Failure }
}

/// Prints `error` and each of its causes on stderr, and fails.
pub fn fail(error: &dyn std::error::Error) -> ExitStatus {
    fail_with_help(error, None)
}

/// Prints `error` and each of its causes on stderr, then what to do about it, and fails.
pub fn fail_with_help(error: &dyn std::error::Error, help: Option<String>) -> ExitStatus {
    say(&format!("error: {}", chain(error)));
    if let Some(help) = help {
        say(&format!("help: {help}"));
    }
    ExitStatus::Failure
}

/// `error` and each of its causes, joined by `: `.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        message.push_str(": ");
        message.push_str(&error.to_string());
        cause = error.source();
    }
    message
}

/// A `note:` (or a closing summary line) on stderr, unless `--quiet`.
pub fn note(line: &str) {
    if !terminal::quiet() {
        say(line);
    }
}

/// One line on stderr, best effort: a closed stderr must not change the verdict.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
