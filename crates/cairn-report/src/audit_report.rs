//! Renderings of `cairn audit report`: Markdown for people (the changes that introduced
//! violations first, then every change to the rules, how long each violation stayed, the
//! commits' signatures, and every change), JSON for programs and CSV for spreadsheets, all three
//! from the same `AuditReport`.
//!
//! Dates are the committer's, in RFC 3339 at UTC, and durations are whole seconds (JSON, CSV) or
//! days, hours and minutes (Markdown), so that the same history gives the same bytes. Paths are
//! from the git repository's root, as the other formats for tools give them.

use std::fmt::Write as _;

use cairn_engine::{AuditCommit, AuditReport, ReportChange, ReportFinding, Violation};
use serde_json::{Value, json};

use crate::paths::rooted;
use crate::table::{csv_field, markdown_cell};

/// The first digits of a commit id, as `git log --oneline` shows it.
const SHORT: usize = 12;

/// What the Markdown says of a signature, once: cairn sees it, it does not check it.
const SIGNED: &str = "signed (not verified)";

/// The report for people, in Markdown.
#[must_use]
pub fn audit_report_markdown(report: &AuditReport) -> String {
    let mut out = String::from("# Audit report\n\n");
    let head = report.head.as_deref().map_or_else(|| "the revision".to_owned(), |head| format!("`{head}`"));
    let period = match (report.since, report.until) {
        (Some(since), Some(until)) => format!(" from {since} to {until}"),
        (Some(since), None) => format!(" from {since}"),
        (None, Some(until)) => format!(" until {until}"),
        (None, None) => String::new(),
    };
    let introducing: Vec<&ReportChange> =
        report.changes.iter().filter(|change| !change.introduced.is_empty()).collect();
    let _ = writeln!(
        out,
        "The first-parent history of {head}{period}: {}, {} that introduced violations, {}.\n",
        count(report.changes.len(), "change", "changes"),
        introducing.len(),
        count(report.violations.len(), "violation", "violations"),
    );

    introducing_section(&mut out, report, &introducing);
    rules_section(&mut out, report);
    lifetimes_section(&mut out, report);
    signatures_section(&mut out, report);
    changes_section(&mut out, report);
    out
}

/// (1) The changes that introduced errors, each with its people, flags and findings.
fn introducing_section(out: &mut String, report: &AuditReport, introducing: &[&ReportChange]) {
    out.push_str("## Changes that introduced violations\n\n");
    if introducing.is_empty() {
        out.push_str("No change introduced an error under the rules in force when it merged.\n\n");
    }
    for change in introducing {
        let commit = &change.commit;
        let _ = writeln!(out, "### `{}` {}\n", commit.id.short(SHORT), one_line(&commit.subject));
        let _ = writeln!(out, "- when: {}", commit.date);
        let _ = writeln!(out, "- author: {}; committer: {}", person(&commit.author), person(&commit.committer));
        if let Some(source) = source_of(commit) {
            let _ = writeln!(out, "- through: {source}");
        }
        out.push_str("- **checks bypassed**: it merged with errors the rules in force (its parent's) find\n");
        if change.rules_changed() {
            let files: Vec<String> =
                change.rule_files.iter().map(|file| format!("`{}`", rooted(&report.prefix, &file.path))).collect();
            let _ = writeln!(out, "- **rules changed in the same change**: {}", files.join(", "));
        }
        out.push_str("- introduced:\n");
        for finding in &change.introduced {
            let _ = writeln!(out, "  - {}", finding_line(finding, &report.prefix));
        }
        out.push('\n');
    }
}

/// (2) Every change to a rule file, with its author.
fn rules_section(out: &mut String, report: &AuditReport) {
    out.push_str("## Changes to rules\n\n");
    let rule_rows: Vec<(&ReportChange, &cairn_engine::RuleFileChange)> =
        report.changes.iter().flat_map(|change| change.rule_files.iter().map(move |file| (change, file))).collect();
    if rule_rows.is_empty() {
        out.push_str("No change touched a rule file.\n\n");
    } else {
        out.push_str("| Commit | Date | Author | Through | Kind | File | Change |\n|---|---|---|---|---|---|---|\n");
        for (change, file) in rule_rows {
            let commit = &change.commit;
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | `{}` | {} |",
                commit.id.short(SHORT),
                commit.date,
                markdown_cell(&person(&commit.author)),
                markdown_cell(&source_of(commit).unwrap_or_default()),
                file.kind.as_str(),
                markdown_cell(&rooted(&report.prefix, &file.path)),
                file.edit.as_str(),
            );
        }
        out.push('\n');
    }
}

/// (3) How long each error stayed.
fn lifetimes_section(out: &mut String, report: &AuditReport) {
    out.push_str("## How long each violation stayed\n\n");
    if report.violations.is_empty() {
        out.push_str("No error appeared during the period.\n\n");
    } else {
        out.push_str("| Finding | Introduced by | Removed by | Commits | Time |\n|---|---|---|---|---|\n");
        for violation in &report.violations {
            let introduced = &report.changes[violation.introduced].commit;
            let (removed, time) = match (violation.removed, violation.seconds) {
                (Some(removed), Some(seconds)) => {
                    (format!("`{}`", report.changes[removed].commit.id.short(SHORT)), duration(seconds))
                }
                _ => ("still present".to_owned(), "-".to_owned()),
            };
            let _ = writeln!(
                out,
                "| {} | `{}` ({}) | {removed} | {} | {time} |",
                markdown_cell(&finding_line(&violation.finding, &report.prefix)),
                introduced.id.short(SHORT),
                introduced.date,
                violation.commits,
            );
        }
        out.push('\n');
    }
}

/// (4) Whether each commit carries a signature.
fn signatures_section(out: &mut String, report: &AuditReport) {
    out.push_str("## Commit signatures\n\n");
    let _ = writeln!(
        out,
        "A commit is `{SIGNED}` when its object carries a signature header (`gpgsig`); cairn does not check \
         the signature against any key.\n"
    );
    out.push_str("| Commit | Date | Author | Signature |\n|---|---|---|---|\n");
    for change in &report.changes {
        let commit = &change.commit;
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            commit.id.short(SHORT),
            commit.date,
            markdown_cell(&person(&commit.author)),
            if change.signed { SIGNED } else { "unsigned" },
        );
    }
    out.push('\n');
}

/// Every change: who, when, what, and its verdict under the rules in force.
fn changes_section(out: &mut String, report: &AuditReport) {
    out.push_str("## Every change\n\n");
    out.push_str(
        "| Commit | Date | Author | Committer | Through | Subject | Entities +/~/- | Rule files | Rules in force |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    for change in &report.changes {
        let commit = &change.commit;
        let entities = change.entities;
        let verdict = if change.rules_broken {
            "rules broken: not judged".to_owned()
        } else if change.passed() {
            "passed".to_owned()
        } else {
            format!("failed ({})", count(change.errors, "error", "errors"))
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {}/{}/{} | {} | {verdict} |",
            commit.id.short(SHORT),
            commit.date,
            markdown_cell(&person(&commit.author)),
            markdown_cell(&person(&commit.committer)),
            markdown_cell(&source_of(commit).unwrap_or_default()),
            markdown_cell(&commit.subject),
            entities.added,
            entities.modified,
            entities.removed,
            change.rule_files.len(),
        );
    }
}

/// The report as one pretty-printed JSON document: `head`, `since`, `until`, `changes` (oldest
/// first, each with its commit, signature, entity counts, rule files, errors and introduced
/// findings) and `violations` (each naming the commits that introduced and removed it).
#[must_use]
pub fn audit_report_json(report: &AuditReport) -> String {
    let prefix = report.prefix.as_str();
    let changes: Vec<Value> = report
        .changes
        .iter()
        .map(|change| {
            let commit = &change.commit;
            json!({
                "commit": commit_json(commit),
                "signed": change.signed,
                "entities": {
                    "added": change.entities.added,
                    "modified": change.entities.modified,
                    "removed": change.entities.removed,
                },
                "ruleFiles": change.rule_files.iter().map(|file| json!({
                    "path": rooted(prefix, &file.path),
                    "kind": file.kind.as_str(),
                    "change": file.edit.as_str(),
                })).collect::<Vec<_>>(),
                "passed": change.passed(),
                "errors": change.errors,
                "rulesBroken": change.rules_broken,
                "rulesChanged": change.rules_changed(),
                "checksBypassed": !change.introduced.is_empty(),
                "introduced": change.introduced.iter().map(|finding| finding_json(finding, prefix)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let violations: Vec<Value> = report.violations.iter().map(|violation| violation_json(report, violation)).collect();
    let value = json!({
        "head": report.head,
        "since": report.since.map(|since| since.to_string()),
        "until": report.until.map(|until| until.to_string()),
        "changes": changes,
        "violations": violations,
    });
    crate::json::pretty(&value)
}

/// CSV (RFC 4180), one table for all the report's records, told apart by the first column:
/// `change` (one per commit), `rule_file` and `introduced` (each under its commit), and
/// `violation` (under the commit that introduced it). Columns a record has no value for are
/// empty.
#[must_use]
pub fn audit_report_csv(report: &AuditReport) -> String {
    let mut out = String::from(
        "record,commit,date,author,author_email,committer,committer_email,pull_request,action,subject,signed,\
         passed,errors,rules_broken,entities_added,entities_modified,entities_removed,kind,path,change,code,entity,file,line,\
         column,message,removed_by,commits,seconds\n",
    );
    let prefix = report.prefix.as_str();
    let mut row = |record: &str, commit: &AuditCommit, rest: [String; 19]| {
        let pull = commit.pull_request.map(|pull| pull.to_string()).unwrap_or_default();
        let head = [
            record.to_owned(),
            commit.id.to_string(),
            commit.date.to_string(),
            commit.author.name.clone(),
            commit.author.email.clone(),
            commit.committer.name.clone(),
            commit.committer.email.clone(),
            pull,
            commit.action.clone().unwrap_or_default(),
            commit.subject.clone(),
        ];
        let cells: Vec<String> = head.iter().chain(rest.iter()).map(|text| csv_field(text)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    };
    let finding_cells = |finding: &ReportFinding| {
        [
            finding.code.clone(),
            finding.entity.as_ref().map(ToString::to_string).unwrap_or_default(),
            finding.file.as_deref().map(|file| rooted(prefix, file).into_owned()).unwrap_or_default(),
            finding.line.map(|line| line.to_string()).unwrap_or_default(),
            finding.column.map(|column| column.to_string()).unwrap_or_default(),
            finding.message.clone(),
        ]
    };
    for change in &report.changes {
        let mut rest: [String; 19] = Default::default();
        rest[0] = change.signed.to_string();
        rest[1] = change.passed().to_string();
        rest[2] = change.errors.to_string();
        rest[3] = change.rules_broken.to_string();
        rest[4] = change.entities.added.to_string();
        rest[5] = change.entities.modified.to_string();
        rest[6] = change.entities.removed.to_string();
        row("change", &change.commit, rest);
        for file in &change.rule_files {
            let mut rest: [String; 19] = Default::default();
            file.kind.as_str().clone_into(&mut rest[7]);
            rest[8] = rooted(prefix, &file.path).into_owned();
            file.edit.as_str().clone_into(&mut rest[9]);
            row("rule_file", &change.commit, rest);
        }
        for finding in &change.introduced {
            let mut rest: [String; 19] = Default::default();
            for (slot, value) in rest[10..16].iter_mut().zip(finding_cells(finding)) {
                *slot = value;
            }
            row("introduced", &change.commit, rest);
        }
    }
    for violation in &report.violations {
        let mut rest: [String; 19] = Default::default();
        for (slot, value) in rest[10..16].iter_mut().zip(finding_cells(&violation.finding)) {
            *slot = value;
        }
        rest[16] = violation.removed.map(|removed| report.changes[removed].commit.id.to_string()).unwrap_or_default();
        rest[17] = violation.commits.to_string();
        rest[18] = violation.seconds.map(|seconds| seconds.to_string()).unwrap_or_default();
        row("violation", &report.changes[violation.introduced].commit, rest);
    }
    out
}

fn violation_json(report: &AuditReport, violation: &Violation) -> Value {
    json!({
        "finding": finding_json(&violation.finding, &report.prefix),
        "introducedBy": report.changes[violation.introduced].commit.id.to_string(),
        "removedBy": violation.removed.map(|removed| report.changes[removed].commit.id.to_string()),
        "stillPresent": violation.removed.is_none(),
        "commits": violation.commits,
        "seconds": violation.seconds,
    })
}

fn finding_json(finding: &ReportFinding, prefix: &str) -> Value {
    json!({
        "code": finding.code,
        "entity": finding.entity.as_ref().map(ToString::to_string),
        "file": finding.file.as_deref().map(|file| rooted(prefix, file)),
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
    })
}

fn commit_json(commit: &AuditCommit) -> Value {
    json!({
        "id": commit.id.to_string(),
        "parents": commit.parents.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "author": {"name": commit.author.name, "email": commit.author.email},
        "committer": {"name": commit.committer.name, "email": commit.committer.email},
        "date": commit.date.to_string(),
        "subject": commit.subject,
        "pullRequest": commit.pull_request,
        "action": commit.action,
        "runBy": commit.run_by,
    })
}

/// `E0301` `Component:cart` at `catalog/cart.yaml:3:5`: message.
fn finding_line(finding: &ReportFinding, prefix: &str) -> String {
    let mut line = format!("`{}`", finding.code);
    if let Some(entity) = &finding.entity {
        let _ = write!(line, " `{entity}`");
    }
    if let Some(file) = &finding.file {
        let _ = write!(line, " at `{}", rooted(prefix, file));
        if let (Some(row), Some(column)) = (finding.line, finding.column) {
            let _ = write!(line, ":{row}:{column}");
        }
        line.push('`');
    }
    let _ = write!(line, ": {}", one_line(&finding.message));
    line
}

/// The pull request and the self-service action a commit came through.
fn source_of(commit: &AuditCommit) -> Option<String> {
    let pull = commit.pull_request.map(|pull| format!("#{pull}"));
    let action = commit.action.as_ref().map(|action| match &commit.run_by {
        Some(by) => format!("action `{action}` run by {by}"),
        None => format!("action `{action}`"),
    });
    match (pull, action) {
        (Some(pull), Some(action)) => Some(format!("{pull}, {action}")),
        (pull, action) => pull.or(action),
    }
}

fn person(person: &cairn_engine::Person) -> String {
    format!("{} <{}>", person.name, person.email)
}

/// Whole days, hours and minutes (`2d 3h 0m`), or seconds under a minute.
fn duration(seconds: i64) -> String {
    if seconds < 60 {
        return format!("{seconds}s");
    }
    let (days, hours, minutes) = (seconds / 86_400, seconds % 86_400 / 3_600, seconds % 3_600 / 60);
    if days > 0 { format!("{days}d {hours}h {minutes}m") } else { format!("{hours}h {minutes}m") }
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_days_hours_and_minutes() {
        assert_eq!(duration(59), "59s");
        assert_eq!(duration(3_660), "1h 1m");
        assert_eq!(duration(2 * 86_400 + 3_600), "2d 1h 0m");
    }
}
