//! `cairn env`: the platform's environments and their lifetimes (`list`).

use std::path::PathBuf;

use cairn_source::Source;
use clap::ValueEnum;

use super::{Clock, Spinner, emit, fail_with_help};
use crate::exit::ExitStatus;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List every environment with its owners, type, the commit that created it, when it
    /// expires and how long it has left (docs/lifetimes.md).
    ///
    /// Exits 0, or 2 when the repository or revision cannot be read.
    List(ListArgs),
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// The platform repository: a folder (its root is the nearest folder at or above it with a
    /// `cairn.yaml`).
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Read the platform as at this git revision; lifetimes count from the commits that set
    /// each `ttl`. Without it, the folder as on disk is read, at `HEAD`'s history when it is in a
    /// git repository.
    #[arg(long, value_name = "REV")]
    rev: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    #[command(flatten)]
    clock: Clock,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Human,
    Json,
    Markdown,
}

pub fn run(command: &Command) -> ExitStatus {
    match command {
        Command::List(args) => list(args),
    }
}

fn list(args: &ListArgs) -> ExitStatus {
    let root = super::platform::root(&args.path, false);
    // History lives in commits: without `--rev`, `HEAD` when the folder is in a git repository.
    let source = match &args.rev {
        Some(rev) => Source::git(&root, rev),
        None => Source::git(&root, "HEAD").or_else(|_| Source::directory(&root)),
    };
    let source = match source {
        Ok(source) => source,
        Err(error) => {
            let help = error.help();
            return fail_with_help(&error, help);
        }
    };
    let spinner = Spinner::start("reading the environments' history".to_owned());
    let statuses = cairn_engine::environments(&source);
    drop(spinner);
    let statuses = match statuses {
        Ok(statuses) => statuses,
        Err(error) => return fail_with_help(&error, error.help()),
    };
    let now = args.clock.now();
    let report = match args.format {
        Format::Human => cairn_report::environments_human(&statuses, now),
        Format::Json => cairn_report::environments_json(&statuses, now),
        Format::Markdown => cairn_report::environments_markdown(&statuses, now),
    };
    emit(&report, ExitStatus::Clean)
}
