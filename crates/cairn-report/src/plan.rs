//! Renderings of a `Plan`: for a terminal, for scripts (JSON), and for a pull-request comment
//! (Markdown: a one-line verdict, a summary table, the details in collapsed sections).

use std::fmt::Write as _;

use cairn_diagnostics::{Diagnostic, Severity, render_human};
use cairn_engine::{ChangeKind, EntityChange, EnvironmentChange, Outcome, Plan};
use serde::Serialize;
use serde_json::Value as Json;

use crate::HumanOptions;
use crate::human::plural;
use crate::json::Finding;

/// The hidden marker that identifies cairn's comment on a pull request.
pub const COMMENT_MARKER: &str = "<!-- cairn-plan -->";

/// How a plan is judged: on what it introduces, or with `strict` on every error.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlanOptions {
    pub strict: bool,
}

/// The step summary and check-run text of one pushed commit: its verdict line and counts.
#[must_use]
pub fn check_markdown(outcome: &Outcome, commit: &str) -> String {
    let (errors, warnings) = (outcome.count(Severity::Error), outcome.count(Severity::Warning));
    let mark = if errors > 0 || outcome.read_nothing() { "❌" } else { "✅" };
    let short = commit.get(..12).unwrap_or(commit);
    format!("{COMMENT_MARKER}\n### {mark} cairn: {errors} errors and {warnings} warnings at `{short}`\n")
}

/// The one-line verdict.
#[must_use]
pub fn verdict(plan: &Plan, options: PlanOptions) -> String {
    let failing = plan.failing_errors(options.strict);
    if plan.outcome.rules_broken() {
        "the platform's policies could not be evaluated: this change cannot be judged".to_owned()
    } else if failing > 0 {
        let what = if options.strict { "has" } else { "introduces" };
        format!("this change {what} {}: it must not merge", plural(failing, "error"))
    } else if plan.outcome.read_nothing() {
        "the head holds no entity (`W0701`): this change must not merge".to_owned()
    } else {
        "this change can merge: it introduces no error".to_owned()
    }
}

fn tally(findings: &[&Diagnostic]) -> (usize, usize) {
    let counted = |severity| findings.iter().filter(|d| d.severity == severity && d.counts()).count();
    (counted(Severity::Error), counted(Severity::Warning))
}

fn sign(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "+",
        ChangeKind::Modified => "~",
        ChangeKind::Moved => ">",
        ChangeKind::Removed => "-",
    }
}

fn shown(value: Option<&Json>) -> String {
    value.map_or_else(|| "(not set)".to_owned(), Json::to_string)
}

fn environment_line(change: &EnvironmentChange) -> String {
    let what = match change.kind {
        ChangeKind::Added => "created",
        ChangeKind::Removed => "destroyed",
        ChangeKind::Modified | ChangeKind::Moved => "changed",
    };
    let kind = change.kind_of_environment.as_deref().map(|kind| format!(" ({kind})")).unwrap_or_default();
    let expires = match (change.kind, &change.expired_before, &change.expires) {
        (ChangeKind::Removed, _, _) => String::new(),
        (_, Some(old), Some(new)) if old != new => format!(", expires {new} (was {old})"),
        (_, _, Some(new)) => format!(", expires {new}"),
        (_, _, None) => ", never expires".to_owned(),
    };
    format!("`{}`{kind} {what}{expires}", change.identifier)
}

/// For a terminal: the changes, the findings the change introduces (with snippets), a count of
/// those already there, and the verdict.
#[must_use]
pub fn plan_human(plan: &Plan, options: PlanOptions, human: HumanOptions) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "plan: {}", plan.outcome.source);
    if plan.entities.is_empty() {
        let _ = writeln!(out, "no entity changes");
    }
    for change in &plan.entities {
        let moved = change.moved_from.as_deref().map(|from| format!(" (moved from {from})")).unwrap_or_default();
        let _ = writeln!(out, "  {} {}  {}{moved}", sign(change.kind), change.entity, change.file);
        for field in &change.fields {
            let _ = writeln!(
                out,
                "      {}: {} → {}",
                field.field,
                shown(field.before.as_ref()),
                shown(field.after.as_ref())
            );
        }
    }
    for change in &plan.environments {
        let _ = writeln!(out, "environment {}", environment_line(change).replace('`', ""));
    }
    let introduced: Vec<Diagnostic> = plan.introduced().cloned().collect();
    if !introduced.is_empty() {
        let _ = writeln!(out, "\nintroduced by this change:");
        out.push_str(&render_human(&introduced, &plan.outcome.sources, human.color, human.width));
    }
    let existing: Vec<&Diagnostic> = plan.existing().collect();
    let (errors, warnings) = tally(&existing);
    if errors + warnings > 0 {
        let strict = if options.strict { "" } else { " (not judged; --strict judges them)" };
        let _ = writeln!(out, "already there: {} and {}{strict}", plural(errors, "error"), plural(warnings, "warning"));
        if options.strict {
            let existing: Vec<Diagnostic> = existing.into_iter().cloned().collect();
            out.push_str(&render_human(&existing, &plan.outcome.sources, human.color, human.width));
        }
    }
    let _ = writeln!(out, "{}", verdict(plan, options));
    out
}

#[derive(Serialize)]
struct PlanReport<'a> {
    verdict: String,
    base: &'a str,
    head: &'a str,
    entities: &'a [EntityChange],
    environments: &'a [EnvironmentChange],
    introduced: Vec<Finding<'a>>,
    existing: Vec<Finding<'a>>,
}

/// For scripts: the verdict, every change, and the findings split by whether the change
/// introduced them.
#[must_use]
pub fn plan_json(plan: &Plan, options: PlanOptions) -> String {
    let report = PlanReport {
        verdict: verdict(plan, options),
        base: &plan.base,
        head: &plan.outcome.source,
        entities: &plan.entities,
        environments: &plan.environments,
        introduced: plan.introduced().map(Finding::new).collect(),
        existing: plan.existing().map(Finding::new).collect(),
    };
    let mut out = serde_json::to_string_pretty(&report).expect("a plan of strings and numbers always serialises");
    out.push('\n');
    out
}

/// Where findings link to: `{blob}/{path}#L{line}`, such as
/// `https://github.com/acme/platform/blob/<head commit>`.
#[derive(Clone, Debug, Default)]
pub struct Links {
    pub blob: Option<String>,
}

impl Links {
    fn place(&self, file: &str, line: u32) -> String {
        match &self.blob {
            Some(blob) => format!("[{file}:{line}]({blob}/{file}#L{line})"),
            None => format!("`{file}:{line}`"),
        }
    }
}

/// The pull-request comment.
#[must_use]
pub fn plan_markdown(plan: &Plan, options: PlanOptions, links: &Links) -> String {
    let mut out = String::new();
    let failing = plan.failing_errors(options.strict) > 0 || plan.outcome.rules_broken() || plan.outcome.read_nothing();
    let _ = writeln!(
        out,
        "{COMMENT_MARKER}\n### {} cairn: {}\n",
        if failing { "❌" } else { "✅" },
        verdict(plan, options)
    );
    let by_kind = |kind| plan.entities.iter().filter(|change| change.kind == kind).count();
    let introduced: Vec<&Diagnostic> = plan.introduced().collect();
    let existing: Vec<&Diagnostic> = plan.existing().collect();
    let (new_errors, new_warnings) = tally(&introduced);
    let (old_errors, old_warnings) = tally(&existing);
    let owners: std::collections::BTreeSet<&str> =
        plan.entities.iter().flat_map(|change| change.teams.iter().map(String::as_str)).collect();
    let _ = writeln!(out, "| | |\n| --- | --- |");
    let _ = writeln!(
        out,
        "| entities | {} added, {} modified, {} moved, {} removed |",
        by_kind(ChangeKind::Added),
        by_kind(ChangeKind::Modified),
        by_kind(ChangeKind::Moved),
        by_kind(ChangeKind::Removed)
    );
    let _ = writeln!(
        out,
        "| environments | {} |",
        if plan.environments.is_empty() { "no change".to_owned() } else { plural(plan.environments.len(), "change") }
    );
    let _ = writeln!(out, "| introduced | {}, {} |", plural(new_errors, "error"), plural(new_warnings, "warning"));
    let _ = writeln!(out, "| already there | {}, {} |", plural(old_errors, "error"), plural(old_warnings, "warning"));
    let owners = if owners.is_empty() {
        "none named".to_owned()
    } else {
        owners.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")
    };
    let _ = writeln!(out, "| owners | {owners} |\n");

    if !plan.entities.is_empty() {
        let _ = writeln!(out, "<details><summary>Entities ({})</summary>\n", plan.entities.len());
        for change in &plan.entities {
            let kind = format!("{:?}", change.kind).to_lowercase();
            let moved = change.moved_from.as_deref().map(|from| format!(", moved from `{from}`")).unwrap_or_default();
            let _ =
                writeln!(out, "- **{kind}** `{}` in {}{moved}", change.entity, links.place(&change.file, change.line));
            for field in &change.fields {
                let _ = writeln!(
                    out,
                    "  - `{}`: `{}` → `{}`",
                    field.field,
                    shown(field.before.as_ref()),
                    shown(field.after.as_ref())
                );
            }
        }
        let _ = writeln!(out, "\n</details>\n");
    }
    if !plan.environments.is_empty() {
        let _ = writeln!(out, "<details><summary>Environments ({})</summary>\n", plan.environments.len());
        for change in &plan.environments {
            let _ = writeln!(out, "- {}", environment_line(change));
        }
        let _ = writeln!(out, "\n</details>\n");
    }
    write_findings(&mut out, "Introduced by this change", &introduced, true, links);
    write_findings(&mut out, "Already there", &existing, false, links);
    out
}

/// A collapsed section listing `findings`, each linked to its file and line.
fn write_findings(out: &mut String, title: &str, findings: &[&Diagnostic], open: bool, links: &Links) {
    if findings.is_empty() {
        return;
    }
    let _ =
        writeln!(out, "<details{}><summary>{title} ({})</summary>\n", if open { " open" } else { "" }, findings.len());
    for finding in findings {
        let icon = match (finding.counts(), finding.severity) {
            (false, _) => "💤",
            (true, Severity::Error) => "❌",
            (true, Severity::Warning) => "⚠️",
        };
        let place =
            finding.location.as_ref().map(|l| format!("{} ", links.place(&l.file, l.start.line))).unwrap_or_default();
        let _ = writeln!(out, "- {icon} **{}** {place}{}", finding.code_name(), finding.message.replace('\n', " "));
    }
    let _ = writeln!(out, "\n</details>\n");
}
