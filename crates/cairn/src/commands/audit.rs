//! `cairn audit`: what git history says about the platform (`log`, the changes to its entities;
//! docs/audit.md).

use std::path::{Path, PathBuf};

use cairn_diagnostics::EntityRef;
use cairn_engine::{AuditOptions, EntityFilter, Timestamp};
use cairn_source::Source;
use clap::ValueEnum;

use super::{Spinner, emit, fail_with_help, say};
use crate::exit::ExitStatus;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Every change to the catalog's entities through history, newest first: the commit, its
    /// author and committer, date, pull request and self-service action, and what changed,
    /// field by field (docs/audit.md). An entity is its blueprint and identifier: a file moved,
    /// renamed or re-split is `moved`, not deleted and created.
    ///
    /// Exits 0 when the log has changes; 1 when nothing in the history matched (no change to
    /// the entity or blueprint asked for, or none in the dates); 2 on a usage error (a date or
    /// `--entity` that does not parse), or when the repository, the revision or its whole
    /// history cannot be read (a shallow clone).
    Log(LogArgs),
    /// The catalog and its findings as they stood at an earlier revision or day, judged by the
    /// rules of that same revision (`--rules-from REV` to judge it by another's): what `cairn
    /// check` said on a checkout of that day (docs/audit.md).
    ///
    /// Exits 0 when the platform passed then; 1 when it had errors; 2 when the repository or a
    /// revision cannot be read, or the history starts after `--at`.
    At(super::audit_at::Args),
    /// An auditor's report of the changes merged in a period: who and when, what changed,
    /// whether each passed the rules in force when it merged, the changes that introduced
    /// violations first, every change to the rules, how long each violation stayed, and the
    /// commits' signatures (docs/audit.md).
    ///
    /// Exits 0 when the report was produced; 1 when the period holds no commit; 2 on a date that
    /// does not parse, or when the repository, the revision or its history cannot be read.
    Report(super::audit_report::Args),
    /// Platform analytics from history alone: self-service runs per action, changes, lead time
    /// from a branch's first commit to its merge, environments created and their lifetimes, by
    /// owning team or by month (docs/audit.md).
    ///
    /// Exits 0 when the statistics are produced; 1 when the period holds no change; 2 on a date
    /// that does not parse, or when the repository, the revision or its history cannot be read.
    Stats(super::audit_stats::Args),
}

#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// The platform repository: a folder in a git work tree (its root is the nearest folder at
    /// or above it with a `cairn.yaml`).
    #[arg(default_value = ".")]
    path: PathBuf,
    /// The revision whose history is read.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    rev: String,
    /// Only this entity's changes: `Blueprint:identifier`.
    #[arg(long, value_name = "BP:ID", value_parser = parse_entity, conflicts_with = "blueprint")]
    entity: Option<EntityRef>,
    /// Only the changes to entities of this blueprint.
    #[arg(long, value_name = "BP")]
    blueprint: Option<String>,
    #[command(flatten)]
    period: Period,
    /// Walk every commit reachable from the revision (newest first by committer date), not only
    /// its first-parent history: branch commits show their own changes, and a merge only what
    /// it decided itself.
    #[arg(long)]
    all_parents: bool,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Human,
    Json,
    Csv,
}

pub fn run(command: &Command) -> ExitStatus {
    match command {
        Command::Log(args) => log(args),
        Command::At(args) => super::audit_at::run(args),
        Command::Report(args) => super::audit_report::run(args),
        Command::Stats(args) => super::audit_stats::run(args),
    }
}

/// The dates every audit command that reads a period takes.
#[derive(Debug, clap::Args)]
pub struct Period {
    /// Only commits committed at or after this instant: an RFC 3339 date-time with any offset
    /// (`2026-11-24T09:00:00Z`) or a day (`2026-11-24`, from its first instant in UTC).
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<Timestamp>,
    /// Only commits committed at or before this instant: an RFC 3339 date-time or a day (to
    /// its last instant in UTC, so `--since D --until D` is the whole day D).
    #[arg(long, value_name = "DATE", value_parser = parse_until)]
    pub until: Option<Timestamp>,
}

impl Period {
    /// How an empty answer names the period: nothing, or " in the dates given".
    pub(super) fn window(&self) -> &'static str {
        if self.since.is_some() || self.until.is_some() { " in the dates given" } else { "" }
    }
}

/// The platform at `path` at the git revision `rev`, whose history an audit command reads; the
/// error, printed with its help, as the exit status otherwise.
pub(super) fn history(path: &Path, rev: &str) -> Result<Source, ExitStatus> {
    let root = super::platform::root(path, false);
    Source::git(&root, rev).map_err(|error| {
        let help = error.help();
        fail_with_help(&error, help)
    })
}

fn parse_entity(text: &str) -> Result<EntityRef, String> {
    EntityRef::parse(text).map_err(|error| error.to_string())
}

pub(super) fn parse_since(text: &str) -> Result<Timestamp, String> {
    cairn_engine::parse_now(text).ok_or_else(|| bad_date(text))
}

/// A day reaches to its last instant; a date-time is itself.
pub(super) fn parse_until(text: &str) -> Result<Timestamp, String> {
    cairn_engine::parse_until(text).ok_or_else(|| bad_date(text))
}

fn bad_date(text: &str) -> String {
    format!("`{text}` is neither an RFC 3339 date-time (`2026-11-24T09:00:00Z`) nor a day (`2026-11-24`)")
}

fn log(args: &LogArgs) -> ExitStatus {
    let source = match history(&args.path, &args.rev) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let filter = match (&args.entity, &args.blueprint) {
        (Some(entity), _) => EntityFilter::Entity(entity.clone()),
        (None, Some(blueprint)) => EntityFilter::Blueprint(blueprint.clone()),
        (None, None) => EntityFilter::All,
    };
    let options =
        AuditOptions { all_parents: args.all_parents, filter, since: args.period.since, until: args.period.until };
    let spinner = Spinner::start(format!("reading the history of `{}`", args.rev));
    let log = cairn_engine::audit_log(&source, &options);
    drop(spinner);
    let log = match log {
        Ok(log) => log,
        Err(error) => return fail_with_help(&error, error.help()),
    };
    let report = match args.format {
        Format::Human => cairn_report::audit_human(&log),
        Format::Json => cairn_report::audit_json(&log),
        Format::Csv => cairn_report::audit_csv(&log),
    };
    if !log.entries.is_empty() {
        return emit(&report, ExitStatus::Clean);
    }
    // Never a silent empty log: the report (with any findings) still goes to stdout, and
    // stderr says what matched nothing.
    let what = match (&args.entity, &args.blueprint) {
        (Some(entity), _) => format!("the entity `{entity}`"),
        (None, Some(blueprint)) => format!("the entities of blueprint `{blueprint}`"),
        (None, None) => "any entity".to_owned(),
    };
    let window = args.period.window();
    let status = emit(&report, ExitStatus::Findings);
    say(&format!("error: no change to {what} in the history of `{}`{window} ({} commits read)", args.rev, log.commits));
    status
}
