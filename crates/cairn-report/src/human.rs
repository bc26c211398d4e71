//! The human rendering: each finding with its snippet (through miette), then one summary line.

use std::fmt::Write as _;

use cairn_diagnostics::{Severity, render_human};
use cairn_engine::{Outcome, PolicyTestOutcome};
use cairn_policy::TestStatus;

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
    scorecard_lines(&mut out, outcome);
    closing_line(&mut out, outcome);
    out
}

/// Renders one line per code (how many findings, where the first is, what the code means)
/// instead of each finding, then the closing summary line: for `cairn check --summary`.
#[must_use]
pub fn human_summary(outcome: &Outcome) -> String {
    let codes = crate::codes::by_code(&outcome.diagnostics);
    let places: Vec<String> = codes
        .iter()
        .map(|code| code.first.map(|l| format!("{}:{}", l.file, l.start.line)).unwrap_or_default())
        .collect();
    let code_width = codes.iter().map(|code| code.code.chars().count()).max().unwrap_or(0);
    let count_width = codes.iter().map(|code| code.count.to_string().len()).max().unwrap_or(0);
    let place_width = places.iter().map(|place| place.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for (code, place) in codes.iter().zip(&places) {
        let line =
            format!("{:code_width$}  {:>count_width$}  {place:place_width$}  {}", code.code, code.count, code.what);
        let _ = writeln!(out, "{}", line.trim_end());
    }
    closing_line(&mut out, outcome);
    out
}

/// One line per scorecard: how many entities are at each level. Information, never a finding:
/// `cairn scorecard` has the table, and a policy can require a level.
fn scorecard_lines(out: &mut String, outcome: &Outcome) {
    for (scorecard, counts) in outcome.level_counts() {
        let levels: Vec<String> =
            scorecard.levels.iter().zip(&counts).map(|(level, count)| format!("{count} {}", level.title)).collect();
        let total: usize = counts.iter().sum();
        let _ = writeln!(
            out,
            "info: scorecard `{}` on {}: {} ({}; `cairn scorecard` shows the rules)",
            scorecard.identifier,
            scorecard.blueprint,
            levels.join(", "),
            plural(total, "entity"),
        );
    }
}

fn closing_line(out: &mut String, outcome: &Outcome) {
    let errors = outcome.count(Severity::Error);
    let warnings = outcome.count(Severity::Warning);
    let mut verdict = match (errors, warnings) {
        (0, 0) => "no findings".to_owned(),
        _ => format!("{} and {}", plural(errors, "error"), plural(warnings, "warning")),
    };
    if outcome.waived() > 0 {
        let _ = write!(verdict, " ({} waived)", outcome.waived());
    }
    if outcome.rules_broken() {
        verdict.push_str("; the policies could not all be evaluated");
    }
    let policies =
        if outcome.policies > 0 { format!(" with {}", plural(outcome.policies, "policy")) } else { String::new() };
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "checked {} and {} from {} of {}{policies}: {verdict}",
        plural(outcome.entities(), "entity"),
        plural(outcome.blueprints(), "blueprint"),
        plural(outcome.files, "file"),
        crate::origin::judged(outcome),
    );
}

/// Renders a policy test run: the policies' problems, one line per test, then exactly one
/// closing line, `N passed, N failed, N skipped` (skipped: the `todo_test_*` rules, listed and
/// not run, as `opa test` lists them).
#[must_use]
pub fn policy_tests(outcome: &PolicyTestOutcome, options: HumanOptions) -> String {
    let mut out = render_human(&outcome.diagnostics, &outcome.sources, options.color, options.width);
    for result in &outcome.report.results {
        let place = format!("{}:{}", result.location.file, result.location.start.line);
        let millis = result.duration.as_secs_f64() * 1000.0;
        let _ = match &result.status {
            TestStatus::Passed => writeln!(out, "PASS {} ({millis:.1} ms)", result.name),
            TestStatus::Skipped => writeln!(out, "SKIP {} ({place})", result.name),
            TestStatus::Failed(why) => writeln!(out, "FAIL {} ({place}): {why}", result.name),
        };
    }
    let _ = writeln!(
        out,
        "{} passed, {} failed, {} skipped",
        outcome.report.passed(),
        outcome.report.failed(),
        crate::policy_test::skipped(outcome)
    );
    out
}

/// `1 error`, `2 errors`, `3 entities`.
pub(crate) fn plural(count: usize, noun: &str) -> String {
    match (count, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "entity") => format!("{count} entities"),
        (_, "policy") => format!("{count} policies"),
        _ => format!("{count} {noun}s"),
    }
}
