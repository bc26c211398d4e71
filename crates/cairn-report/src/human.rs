//! The human rendering: each finding with its snippet (through miette), then one summary line.

use std::fmt::Write as _;

use cairn_diagnostics::{Severity, render_human};
use cairn_engine::Outcome;

/// How the human rendering looks.
#[derive(Clone, Copy, Debug)]
pub struct HumanOptions {
    pub color: bool,
    /// The column at which text wraps.
    pub width: usize,
}

/// Renders the findings and a closing summary line.
#[must_use]
pub fn human(outcome: &Outcome, options: HumanOptions) -> String {
    let mut out = render_human(&outcome.diagnostics, &outcome.sources, options.color, options.width);
    let errors = outcome.count(Severity::Error);
    let warnings = outcome.count(Severity::Warning);
    let verdict = match (errors, warnings) {
        (0, 0) => "no findings".to_owned(),
        _ => format!("{} and {}", plural(errors, "error"), plural(warnings, "warning")),
    };
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "checked {} and {} from {} of {}: {verdict}",
        plural(outcome.entities(), "entity"),
        plural(outcome.blueprints(), "blueprint"),
        plural(outcome.files, "file"),
        outcome.source,
    );
    out
}

fn plural(count: usize, noun: &str) -> String {
    match (count, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "entity") => format!("{count} entities"),
        _ => format!("{count} {noun}s"),
    }
}
