//! `cairn check`: one revision (or the files on disk) judged by its own rules, or a change judged
//! by its base's.

use std::path::{Path, PathBuf};
use std::time::Instant;

use cairn_engine::EngineError;
use cairn_report::{HumanOptions, JsonOptions};
use cairn_source::Source;
use clap::ValueEnum;

use super::{Clock, CodeFilter, Color, Spinner, emit, fail_with_help, note, platform, say};
use crate::exit::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The platform repository: a folder in it (its root is the nearest folder at or above it
    /// with a `cairn.yaml`), or with `--rev` a folder of a git repository; or a file of it.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// More files: the whole platform that holds the files is checked, and only their findings
    /// are reported (for pre-commit, which passes the files it changed).
    #[arg(value_name = "FILE", conflicts_with_all = ["rev", "base", "head"])]
    files: Vec<PathBuf>,
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
    /// One line per code (how many findings, where the first is) instead of each finding; with
    /// `--format json`, also `summary.codes`.
    #[arg(long)]
    summary: bool,
    /// Also say which files were not read, and why.
    #[arg(long, short)]
    verbose: bool,
    #[command(flatten)]
    codes: CodeFilter,
    #[command(flatten)]
    clock: Clock,
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

pub fn run(args: &Args) -> ExitStatus {
    let started = Instant::now();
    let now = args.clock.now();
    let folder = args.files.is_empty() && !args.path.is_file();
    if !folder && (args.rev.is_some() || args.base.is_some()) {
        say("error: files given on the command line are read from disk: leave out `--rev`, `--base` and `--head`");
        return ExitStatus::Failure;
    }
    let (path, files) = if folder {
        (platform::root(&args.path, args.verbose), None)
    } else {
        let files: Vec<&Path> =
            std::iter::once(args.path.as_path()).chain(args.files.iter().map(PathBuf::as_path)).collect();
        match platform::of_files(&files) {
            Ok((root, files)) => {
                if args.verbose {
                    note(&format!(
                        "note: the platform is `{}`; only the findings of the files given are reported",
                        root.display()
                    ));
                }
                (root, Some(files))
            }
            Err(error) => {
                say(&format!("error: {error}"));
                return ExitStatus::Failure;
            }
        }
    };
    let spinner = Spinner::start(format!("checking `{}`", path.display()));
    let outcome = if let (Some(base), Some(head)) = (&args.base, &args.head) {
        Source::git(&path, base)
            .and_then(|base| Source::git(&path, head).map(|head| (base, head)))
            .map_err(EngineError::from)
            .and_then(|(base, head)| cairn_engine::check_change(&base, &head, now))
    } else {
        let source = match &args.rev {
            Some(rev) => Source::git(&path, rev),
            None => Source::directory(&path),
        };
        source.map_err(EngineError::from).and_then(|source| cairn_engine::check(&source, now))
    };
    drop(spinner);
    let mut outcome = match outcome {
        Ok(outcome) => outcome,
        Err(error) => return fail_with_help(&error, error.help()),
    };
    if let Some(files) = &files {
        outcome.retain_files(files);
    }
    args.codes.apply(&mut outcome);
    if args.verbose {
        for path in &outcome.ignored {
            note(&format!(
                "note: not read: `{path}` is outside the blueprints, catalog and environments folders or not YAML or JSON"
            ));
        }
        note(&format!("note: checked in {} ms", started.elapsed().as_millis()));
    }
    let report = match args.format {
        Format::Json => cairn_report::json(&outcome, JsonOptions { codes: args.summary }),
        Format::Github => cairn_report::github(&outcome.diagnostics, &outcome.prefix),
        Format::Sarif => cairn_report::sarif(&outcome.diagnostics, &outcome.prefix),
        Format::Human if args.summary => cairn_report::human_summary(&outcome),
        Format::Human => cairn_report::human(&outcome, HumanOptions { color: args.color.enabled(), width: 100 }),
    };
    let status = emit(&report, outcome.verdict().into());
    // The process ends next; freeing a catalog of 100,000 entities one allocation at a time
    // would cost 5-7% of the run for nothing, so the operating system reclaims it instead.
    std::mem::forget(outcome);
    status
}
