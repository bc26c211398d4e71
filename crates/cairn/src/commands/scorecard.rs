//! `cairn scorecard`: every entity's level on the platform's scorecards, the rules that hold it
//! back, and the levels per team; or one entity's full breakdown (docs/scorecards.md).

use std::path::PathBuf;

use cairn_diagnostics::EntityRef;
use cairn_source::Source;
use clap::ValueEnum;

use super::{Clock, Color, emit, fail_with_help, say};
use crate::exit::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The platform repository: a folder (its root is the nearest folder at or above it with a
    /// `cairn.yaml`).
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Read the platform as at this git revision instead of the folder as on disk.
    #[arg(long, value_name = "REV")]
    rev: Option<String>,
    /// Only the scorecards of this blueprint.
    #[arg(long, value_name = "BLUEPRINT")]
    blueprint: Option<String>,
    /// One entity's full breakdown: every rule of every scorecard that applies to it, by level.
    /// `Blueprint:identifier`, or an identifier that one entity scored has.
    #[arg(long, value_name = "ENTITY")]
    entity: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Colour in the findings.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    #[command(flatten)]
    clock: Clock,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Human,
    Json,
    Markdown,
    Csv,
}

pub fn run(args: &Args) -> ExitStatus {
    let root = super::platform::root(&args.path, false);
    let source = match &args.rev {
        Some(rev) => Source::git(&root, rev),
        None => Source::directory(&root),
    };
    let source = match source {
        Ok(source) => source,
        Err(error) => {
            let help = error.help();
            return fail_with_help(&error, help);
        }
    };
    let mut report = match cairn_engine::scorecards(&source, args.clock.now()) {
        Ok(report) => report,
        Err(error) => return fail_with_help(&error, error.help()),
    };
    // Findings go to stderr, so that the table on stdout stays whole for programs.
    if !report.diagnostics.is_empty() {
        let shown = cairn_diagnostics::render_human(&report.diagnostics, &report.sources, args.color.enabled(), 100);
        say(shown.trim_end());
    }
    if report.scorecards.is_empty() && !report.has_errors() {
        say("error: the platform declares no scorecard: nothing to score");
        say(
            "help: add one under `scorecards/` (docs/scorecards.md), or turn on the bundled ones with `library: {scorecards: true}` in cairn.yaml",
        );
        return ExitStatus::Findings;
    }
    if let Some(blueprint) = &args.blueprint {
        if !report.scorecards.iter().any(|scorecard| &scorecard.blueprint == blueprint) {
            say(&format!("error: no scorecard applies to the blueprint `{blueprint}`"));
            return ExitStatus::Findings;
        }
        keep(&mut report, |scorecard, _| &scorecard.blueprint == blueprint);
    }
    if let Some(wanted) = &args.entity {
        let matches = |entity: &EntityRef| match wanted.split_once(':') {
            Some(_) => entity.to_string() == *wanted,
            None => entity.name() == wanted,
        };
        let found: std::collections::BTreeSet<String> =
            report.scores.iter().filter(|score| matches(&score.entity)).map(|score| score.entity.to_string()).collect();
        if found.len() > 1 {
            let names: Vec<String> = found.into_iter().collect();
            say(&format!("error: `{wanted}` names more than one entity scored: {}", names.join(", ")));
            say("help: write it as `Blueprint:identifier`");
            return ExitStatus::Findings;
        }
        if found.is_empty() {
            say(&format!("error: no scorecard applies to an entity `{wanted}`"));
            say("help: `cairn scorecard` without `--entity` lists the entities scored");
            return ExitStatus::Findings;
        }
        report.scores.retain(|score| matches(&score.entity));
    }
    let text = match (args.format, args.entity.is_some()) {
        (Format::Human, true) => cairn_report::scorecard_entity_human(&report),
        (Format::Human, false) => cairn_report::scorecards_human(&report),
        (Format::Json, _) => cairn_report::scorecards_json(&report),
        (Format::Markdown, _) => cairn_report::scorecards_markdown(&report),
        (Format::Csv, _) => cairn_report::scorecards_csv(&report),
    };
    emit(&text, if report.has_errors() { ExitStatus::Findings } else { ExitStatus::Clean })
}

/// Keeps the scorecards `wanted` accepts (with their index), and their scores renumbered.
fn keep(report: &mut cairn_engine::Scorecards, wanted: impl Fn(&cairn_engine::Scorecard, usize) -> bool) {
    let mut renumbered = Vec::with_capacity(report.scorecards.len());
    let mut next = 0;
    for (index, scorecard) in report.scorecards.iter().enumerate() {
        renumbered.push(wanted(scorecard, index).then(|| {
            next += 1;
            next - 1
        }));
    }
    let mut index = 0;
    report.scorecards.retain(|_| {
        index += 1;
        renumbered[index - 1].is_some()
    });
    report.scores.retain_mut(|score| match renumbered[score.scorecard] {
        Some(new) => {
            score.scorecard = new;
            true
        }
        None => false,
    });
}
