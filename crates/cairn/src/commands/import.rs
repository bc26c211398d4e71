//! `cairn import port FILE... --out DIR`: a Port export turned into a platform repository
//! (docs/import.md). The findings (what could not be carried) and a summary go to stdout.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use cairn_diagnostics::{Severity, render_human};
use cairn_import::{Summary, WriteError, Written};

use super::{Color, emit, fail_with_help};
use crate::exit::ExitStatus;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Turn a Port export (the JSON Port's REST API returns for blueprints, entities, scorecards
    /// and actions) into a platform repository that `cairn check` reads.
    ///
    /// Exits 0 when every item was carried, 1 when some could not be (each is a finding; the
    /// rest is written), 2 when the folder cannot be written.
    Port(PortArgs),
}

#[derive(Debug, clap::Args)]
pub struct PortArgs {
    /// The export files: responses of Port's API (`{"ok": true, "blueprints": [...]}`, …), lists
    /// of items, or single items.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The folder to write the platform repository into; it must be new or empty.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Write into a folder that holds files: the files the import writes are replaced, all
    /// others are left as they are.
    #[arg(long)]
    force: bool,
    /// When to colour the findings: auto (a terminal, unless NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

pub fn run(command: &Command) -> ExitStatus {
    let Command::Port(args) = command;
    let paths: Vec<&Path> = args.files.iter().map(PathBuf::as_path).collect();
    let imported = cairn_import::import_port(&paths);
    let written = match cairn_import::write(&imported.files, &args.out, args.force) {
        Ok(written) => written,
        Err(error) => {
            let help = match &error {
                WriteError::NotEmpty(_) => Some(
                    "give a new or empty folder, or `--force` to replace the files the import writes there \
                     (other files are left as they are)"
                        .to_owned(),
                ),
                _ => None,
            };
            return fail_with_help(&error, help);
        }
    };
    let mut report = render_human(&imported.diagnostics, &imported.sources, args.color.enabled(), 100);
    if !report.is_empty() {
        report.push('\n');
    }
    summarise(&mut report, &imported.summary, &written, &args.out);
    let errors = imported.diagnostics.iter().any(|diagnostic| diagnostic.severity == Severity::Error);
    emit(&report, if errors { ExitStatus::Findings } else { ExitStatus::Clean })
}

fn summarise(report: &mut String, summary: &Summary, written: &Written, out: &Path) {
    let out = out.display();
    let things = [
        plural(summary.blueprints, "blueprint"),
        plural(summary.entities, "entity"),
        plural(summary.teams, "team"),
        plural(summary.environments, "environment"),
        plural(summary.scorecards, "scorecard"),
        plural(summary.actions, "action"),
    ];
    let _ = writeln!(report, "imported {} and {} into `{out}`", things[..5].join(", "), things[5]);
    let _ = writeln!(
        report,
        "left out: {} of mirror, calculation and aggregation properties (cairn computes them), {} \
         (`createdAt`, `createdBy`, `updatedAt`, `updatedBy`: Port's bookkeeping) and {} (unset, in Port)",
        plural(summary.computed, "value"),
        plural(summary.meta, "meta field"),
        plural(summary.nulls, "`null` value"),
    );
    if summary.scorecards > 0 {
        let _ = writeln!(
            report,
            "`scorecards/` keeps Port's format: `cairn scorecard` scores every entity on them (docs/scorecards.md)"
        );
    }
    if summary.actions > 0 {
        let _ = writeln!(
            report,
            "`actions/` keeps Port's format: `cairn actions list` lists them; give each a `cairn` key to run it (docs/actions.md)"
        );
    }
    if summary.not_carried > 0 {
        let _ = writeln!(report, "{} not imported: see the errors above", plural(summary.not_carried, "item"));
    }
    let _ = writeln!(
        report,
        "{} created, {} replaced, {} unchanged; run `cairn check {out}` to check it",
        plural(written.created.len(), "file"),
        written.replaced.len(),
        written.unchanged.len()
    );
}

/// `1 entity`, `2 entities`.
fn plural(count: usize, noun: &str) -> String {
    match (count, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "entity") => format!("{count} entities"),
        _ => format!("{count} {noun}s"),
    }
}
