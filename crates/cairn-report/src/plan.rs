//! Renderings of a `Plan`: for a terminal, for scripts (JSON), and for a pull-request comment
//! (Markdown: a one-line verdict, a summary table, the details in collapsed sections).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use cairn_diagnostics::{Diagnostic, Severity, render_human};
use cairn_engine::{ChangeKind, EnvironmentChange, LevelChange, Outcome, Plan, Verdict};
use serde::Serialize;
use serde_json::Value as Json;

use crate::HumanOptions;
use crate::codes::by_code;
use crate::human::plural;
use crate::json::Finding;
use crate::paths::{link_text, rooted, uri_path};
use crate::rendered::RenderedJson;
use crate::table::markdown_cell;

/// The hidden marker that identifies cairn's comment on a pull request.
pub const COMMENT_MARKER: &str = "<!-- cairn-plan -->";

/// How a plan is judged: on what it introduces, or with `strict` on every error.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlanOptions {
    pub strict: bool,
}

/// The step summary and check-run text of one pushed commit: its verdict line and counts, and
/// each code's count and first finding.
#[must_use]
pub fn check_markdown(outcome: &Outcome, commit: &str, links: &Links) -> String {
    let (errors, warnings) = (outcome.count(Severity::Error), outcome.count(Severity::Warning));
    let mark = if errors > 0 || outcome.read_nothing() { "❌" } else { "✅" };
    let short = commit.get(..12).unwrap_or(commit);
    let mut out =
        format!("{COMMENT_MARKER}\n### {mark} cairn: {errors} errors and {warnings} warnings at `{short}`\n\n");
    let at = Place { links, prefix: &outcome.prefix, commit: Some(commit), elsewhere: None };
    let codes = by_code(&outcome.diagnostics);
    if !codes.is_empty() {
        let _ = writeln!(out, "| code | meaning | findings | first |\n| --- | --- | --- | --- |");
        for code in &codes {
            let first = code.first.map(|l| at.place(&l.file, l.start.line)).unwrap_or_default();
            let _ = writeln!(out, "| `{}` | {} | {} | {first} |", code.code, markdown_cell(&code.what), code.count);
        }
        out.push('\n');
    }
    let all: Vec<&Diagnostic> = outcome.diagnostics.iter().collect();
    write_findings(&mut out, "Findings", &all, false, &at);
    out
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
    let _ = writeln!(out, "plan: {}", crate::origin::judged(&plan.outcome));
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
    crate::level_changes::human(&mut out, &plan.scorecards, &plan.scorecard_impact);
    if let Some(rendered) = &plan.rendered {
        crate::rendered::human(&mut out, rendered);
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

/// `cairn plan --format json`: a stable shape for scripts (docs/pull-requests.md), camelCase
/// throughout, paths from the git repository's root.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PlanReport<'a> {
    verdict: Verdict,
    /// The verdict as a sentence, as the comment's title says it.
    message: String,
    strict: bool,
    base: Revision<'a>,
    head: Revision<'a>,
    /// The commit the change is compared with when base and head have diverged.
    merge_base: Option<&'a str>,
    /// Where the platform is in the git repository: empty at its root.
    prefix: &'a str,
    counts: Counts,
    entities: Vec<EntityJson<'a>>,
    environments: Vec<EnvironmentJson<'a>>,
    /// Entities whose level on a scorecard the change moves (by the base's scorecards),
    /// regressions first.
    scorecards: &'a [LevelChange],
    /// What the head's scorecard rules would move once merged, when the change edits rules.
    scorecard_impact: &'a [LevelChange],
    /// The rendered output at the base compared with the head's; `null` when the plan did not
    /// render.
    rendered: Option<RenderedJson<'a>>,
    introduced: Vec<Finding<'a>>,
    existing: Vec<Finding<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Revision<'a> {
    sha: Option<&'a str>,
    /// What was read, such as "revision `main` (4b825dc6e1f2)".
    description: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Counts {
    entities: KindCounts,
    environments: KindCounts,
    introduced: FindingCounts,
    existing: FindingCounts,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct KindCounts {
    added: usize,
    modified: usize,
    moved: usize,
    removed: usize,
}

impl KindCounts {
    fn of(kinds: impl Iterator<Item = ChangeKind>) -> Self {
        let mut counts = KindCounts { added: 0, modified: 0, moved: 0, removed: 0 };
        for kind in kinds {
            *match kind {
                ChangeKind::Added => &mut counts.added,
                ChangeKind::Modified => &mut counts.modified,
                ChangeKind::Moved => &mut counts.moved,
                ChangeKind::Removed => &mut counts.removed,
            } += 1;
        }
        counts
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FindingCounts {
    errors: usize,
    warnings: usize,
    /// Findings a waiver suppresses: listed, not counted.
    waived: usize,
}

impl FindingCounts {
    fn of(findings: &[&Diagnostic]) -> Self {
        let (errors, warnings) = tally(findings);
        FindingCounts { errors, warnings, waived: findings.iter().filter(|d| !d.counts()).count() }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EntityJson<'a> {
    kind: ChangeKind,
    entity: &'a cairn_diagnostics::EntityRef,
    /// At the head; at the base for a removed entity.
    file: String,
    line: u32,
    moved_from: Option<String>,
    teams: &'a [String],
    fields: &'a [cairn_engine::FieldChange],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EnvironmentJson<'a> {
    kind: ChangeKind,
    identifier: &'a str,
    environment_kind: Option<&'a str>,
    expires: Option<&'a cairn_engine::Timestamp>,
    expired_before: Option<&'a cairn_engine::Timestamp>,
}

/// For scripts: the verdict, the commits, the counts, every change, and the findings split by
/// whether the change introduced them.
#[must_use]
pub fn plan_json(plan: &Plan, options: PlanOptions) -> String {
    let prefix = plan.outcome.prefix.as_str();
    let introduced: Vec<&Diagnostic> = plan.introduced().collect();
    let existing: Vec<&Diagnostic> = plan.existing().collect();
    let report = PlanReport {
        verdict: plan.verdict(options.strict),
        message: verdict(plan, options),
        strict: options.strict,
        base: Revision { sha: plan.commits.base.as_deref(), description: plan.base.to_string() },
        head: Revision { sha: plan.head_commit(), description: crate::origin::judged(&plan.outcome) },
        merge_base: plan.commits.merge_base.as_deref(),
        prefix,
        counts: Counts {
            entities: KindCounts::of(plan.entities.iter().map(|change| change.kind)),
            environments: KindCounts::of(plan.environments.iter().map(|change| change.kind)),
            introduced: FindingCounts::of(&introduced),
            existing: FindingCounts::of(&existing),
        },
        entities: plan
            .entities
            .iter()
            .map(|change| EntityJson {
                kind: change.kind,
                entity: &change.entity,
                file: rooted(prefix, &change.file).into_owned(),
                line: change.line,
                moved_from: change.moved_from.as_deref().map(|from| rooted(prefix, from).into_owned()),
                teams: &change.teams,
                fields: &change.fields,
            })
            .collect(),
        environments: plan
            .environments
            .iter()
            .map(|change| EnvironmentJson {
                kind: change.kind,
                identifier: &change.identifier,
                environment_kind: change.kind_of_environment.as_deref(),
                expires: change.expires.as_ref(),
                expired_before: change.expired_before.as_ref(),
            })
            .collect(),
        scorecards: &plan.scorecards,
        scorecard_impact: &plan.scorecard_impact,
        rendered: plan.rendered.as_ref().map(RenderedJson::new),
        introduced: introduced.iter().map(|d| Finding::new(d, prefix)).collect(),
        existing: existing.iter().map(|d| Finding::new(d, prefix)).collect(),
    };
    crate::json::pretty(&report)
}

/// Where findings link to: the repository's web page, such as `https://github.com/acme/platform`;
/// a place links to `{repository}/blob/{commit}/{path from the git root}#L{line}`.
#[derive(Clone, Debug, Default)]
pub struct Links {
    pub repository: Option<String>,
}

/// Places of one revision: its commit, and where the platform is in the git repository.
struct Place<'a> {
    links: &'a Links,
    prefix: &'a str,
    commit: Option<&'a str>,
    /// Files whose content is at another commit than `commit` (a merged tree's files that only
    /// the base changed: `Plan::from_base`), and that commit.
    elsewhere: Option<(&'a BTreeSet<String>, Option<&'a str>)>,
}

impl Place<'_> {
    /// `file:line` from the git root, linked to the revision's blob when there is one. The URL is
    /// percent-encoded and the text escaped, so that a path with a space, `#` or `]` keeps both
    /// whole.
    fn place(&self, file: &str, line: u32) -> String {
        let path = rooted(self.prefix, file);
        let commit = match self.elsewhere {
            Some((files, commit)) if files.contains(file) => commit,
            _ => self.commit,
        };
        match (&self.links.repository, commit) {
            (Some(repository), Some(commit)) => format!(
                "[{}]({}/blob/{commit}/{}#L{line})",
                link_text(&format!("{path}:{line}")),
                repository.trim_end_matches('/'),
                uri_path(&path)
            ),
            _ => format!("`{path}:{line}`"),
        }
    }
}

/// The pull-request comment.
#[must_use]
pub fn plan_markdown(plan: &Plan, options: PlanOptions, links: &Links) -> String {
    let prefix = plan.outcome.prefix.as_str();
    // A file only the base changed is linked at the base, whose version the merged tree holds.
    let elsewhere = Some((&plan.from_base, plan.base_commit()));
    let head = Place { links, prefix, commit: plan.head_commit(), elsewhere };
    // A removed entity's file is gone at the head: it links to the base, where it still is.
    let base = Place { links, prefix, commit: plan.base_commit(), elsewhere: None };
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
    if let Some(rendered) = &plan.rendered {
        let _ = writeln!(out, "| rendered output | {} |", crate::rendered::counts(rendered));
    }
    if !plan.scorecards.is_empty() {
        let _ = writeln!(out, "| scorecard levels | {} |", crate::level_changes::counts(&plan.scorecards));
    }
    if !plan.scorecard_impact.is_empty() {
        let _ = writeln!(
            out,
            "| if the scorecard rules merge | {} |",
            crate::level_changes::counts(&plan.scorecard_impact)
        );
    }
    let _ = writeln!(out, "| owners | {owners} |\n");
    write_codes(&mut out, &introduced, &existing, &head);

    if !plan.entities.is_empty() {
        let _ = writeln!(out, "<details><summary>Entities ({})</summary>\n", plan.entities.len());
        for change in &plan.entities {
            let kind = format!("{:?}", change.kind).to_lowercase();
            let moved = change
                .moved_from
                .as_deref()
                .map(|from| format!(", moved from `{}`", rooted(prefix, from)))
                .unwrap_or_default();
            let at = if change.kind == ChangeKind::Removed { &base } else { &head };
            let _ = writeln!(out, "- **{kind}** `{}` in {}{moved}", change.entity, at.place(&change.file, change.line));
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
    write_findings(&mut out, "Introduced by this change", &introduced, true, &head);
    write_findings(&mut out, "Already there", &existing, false, &head);
    // Information after what decides the verdict; a bounded list, before the rendered diffs.
    crate::level_changes::markdown(&mut out, &plan.scorecards, &plan.scorecard_impact);
    // Last, so that the diffs take only the room the rest of the comment leaves.
    if let Some(rendered) = &plan.rendered {
        crate::rendered::markdown(&mut out, rendered, crate::rendered::MARKDOWN_BUDGET);
    }
    out
}

/// The per-code summary: each code's count of introduced and existing findings, and the first.
fn write_codes(out: &mut String, introduced: &[&Diagnostic], existing: &[&Diagnostic], at: &Place<'_>) {
    let all = by_code(introduced.iter().chain(existing).copied());
    if all.is_empty() {
        return;
    }
    let new = by_code(introduced.iter().copied());
    let count = |code: &str| new.iter().find(|c| c.code == code).map_or(0, |c| c.count);
    let _ = writeln!(out, "| code | meaning | introduced | already there | first |\n| --- | --- | --- | --- | --- |");
    for code in &all {
        let introduced = count(code.code);
        // The first introduced finding, when there is one: that is what a reviewer opens first.
        let first = new.iter().find(|c| c.code == code.code).and_then(|c| c.first).or(code.first);
        let first = first.map(|l| at.place(&l.file, l.start.line)).unwrap_or_default();
        let _ = writeln!(
            out,
            "| `{}` | {} | {introduced} | {} | {first} |",
            code.code,
            markdown_cell(&code.what),
            code.count - introduced
        );
    }
    out.push('\n');
}

/// A collapsed section listing `findings`, each linked to its file and line.
fn write_findings(out: &mut String, title: &str, findings: &[&Diagnostic], open: bool, at: &Place<'_>) {
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
            finding.location.as_ref().map(|l| format!("{} ", at.place(&l.file, l.start.line))).unwrap_or_default();
        let _ = writeln!(out, "- {icon} **{}** {place}{}", finding.code_name(), finding.message.replace('\n', " "));
    }
    let _ = writeln!(out, "\n</details>\n");
}
