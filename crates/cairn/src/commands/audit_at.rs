//! `cairn audit at`: the catalog and its findings as they stood at an earlier revision or day,
//! judged by the rules of that same revision, or by another revision's (`--rules-from`).

use std::path::PathBuf;

use cairn_engine::{EngineError, Timestamp};
use cairn_report::{HumanOptions, JsonOptions};
use cairn_source::Source;
use clap::ValueEnum;

use super::{Color, Spinner, emit, fail_with_help, note, platform, say};
use crate::exit::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The platform repository: a folder of a git repository (its root is the nearest folder at
    /// or above it with a `cairn.yaml`).
    #[arg(default_value = ".")]
    path: PathBuf,
    /// When: a git revision (`main~20`, a SHA, a tag), or a day (`2026-11-24`, up to its last
    /// instant in UTC) or an RFC 3339 instant, meaning the newest commit of `--rev`'s
    /// first-parent history made by then. The findings are judged as of that instant (for a
    /// revision, its commit time): waivers and lifetimes expire as they did then.
    #[arg(long, value_name = "REV|DATE")]
    at: String,
    /// The branch whose history a day is looked up in.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    rev: String,
    /// Judge that catalog by the rules (settings, blueprints, policies, waivers) of this
    /// revision instead of its own, such as `main` for today's rules; the differences between
    /// the two revisions' rules are reported as for a change.
    #[arg(long, value_name = "REV")]
    rules_from: Option<String>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Human,
    Json,
}

pub fn run(args: &Args) -> ExitStatus {
    let path = platform::root(&args.path, false);
    let spinner = Spinner::start(format!("reading the history of `{}`", path.display()));
    let found = match cairn_engine::parse_until(&args.at) {
        Some(at) => Source::git(&path, &args.rev)
            .map_err(EngineError::from)
            .and_then(|tip| cairn_engine::revision_at(tip, at))
            // Named by its commit id: the walk's own name for it would be `HEAD^^^…`.
            .and_then(|found| match found.and_then(|source| source.commit()) {
                Some(commit) => Source::git(&path, &commit).map(|source| Some((source, at))).map_err(EngineError::from),
                None => Ok(None),
            }),
        None => Source::git(&path, &args.at).map_err(EngineError::from).map(|source| {
            let at = source.commit_time().and_then(|seconds| Timestamp::from_second(seconds).ok());
            at.map(|at| (source, at))
        }),
    };
    let (source, now) = match found {
        Ok(Some(found)) => found,
        Ok(None) => {
            drop(spinner);
            say(&format!("error: `{}` has no commit made by {}: its history starts later", args.rev, args.at));
            return ExitStatus::Failure;
        }
        Err(error) => {
            drop(spinner);
            return fail_with_help(&error, error.help());
        }
    };
    let outcome = match &args.rules_from {
        Some(rules) => Source::git(&path, rules)
            .map_err(EngineError::from)
            .and_then(|rules| cairn_engine::check_by_rules_of(&rules, &source, now)),
        None => cairn_engine::check(&source, now),
    };
    drop(spinner);
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => return fail_with_help(&error, error.help()),
    };
    if let Some(commit) = source.commit() {
        note(&format!("note: as of commit {commit}, judged as of {now}"));
    }
    let report = match args.format {
        Format::Json => cairn_report::json(&outcome, JsonOptions { codes: false }),
        Format::Human => cairn_report::human(&outcome, HumanOptions { color: args.color.enabled(), width: 100 }),
    };
    emit(&report, outcome.verdict().into())
}
