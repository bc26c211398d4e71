//! Renderings of `cairn audit log`: a log for people (each commit, then its changes field by
//! field), JSON for programs and CSV for spreadsheets (one row per field changed).
//!
//! Dates are the committer's, in RFC 3339 at UTC, so that the same history gives the same bytes
//! wherever it is read. JSON and CSV give paths from the git repository's root, as the other
//! formats for tools do; the log for people keeps the platform's own paths.

use std::fmt::Write as _;
use std::sync::Arc;

use cairn_engine::{AuditCommit, AuditLog, LogEntry};
use serde_json::{Value, json};

use crate::json::Finding;
use crate::paths::rooted;
use crate::table::csv_field;

/// The first digits of a commit id, as `git log --oneline` shows it.
const SHORT: usize = 12;

/// The log for people: each commit (id, date, author, pull request, action) with its subject,
/// then each change under it and each field old → new; the findings a commit brought follow
/// its changes; a closing count.
#[must_use]
pub fn audit_human(log: &AuditLog) -> String {
    let mut out = String::new();
    let groups = by_commit(log);
    let changed = groups.iter().filter(|(_, entries, _)| !entries.is_empty()).count();
    for (commit, entries, findings) in groups {
        let _ = write!(out, "commit {}  {}  {}", commit.id.short(SHORT), commit.date, person(&commit.author));
        if let Some(pull) = commit.pull_request {
            let _ = write!(out, "  #{pull}");
        }
        if let Some(action) = &commit.action {
            let _ = write!(out, "  action `{action}`");
            if let Some(by) = &commit.run_by {
                let _ = write!(out, " run by {by}");
            }
        }
        out.push('\n');
        if commit.committer != commit.author {
            let _ = writeln!(out, "    committed by {}", person(&commit.committer));
        }
        let _ = writeln!(out, "    {}", commit.subject);
        for entry in entries {
            let _ = writeln!(out, "  {:<9} {}  {}", entry.change.as_str(), entry.entity, files(entry));
            for field in &entry.fields {
                let _ = writeln!(
                    out,
                    "      {}: {} → {}",
                    field.field,
                    value(field.before.as_ref()),
                    value(field.after.as_ref())
                );
            }
        }
        for finding in findings {
            let diagnostic = &finding.diagnostic;
            let place = diagnostic.location.as_ref().map_or_else(String::new, |location| {
                format!(" {}:{}:{}", location.file, location.start.line, location.start.column)
            });
            let _ =
                writeln!(out, "  {} {}{place}: {}", diagnostic.severity, diagnostic.code_name(), diagnostic.message);
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} in {}, of {} read",
        count(log.entries.len(), "change", "changes"),
        count(changed, "commit", "commits"),
        count(log.commits, "commit", "commits")
    );
    if !log.findings.is_empty() {
        let _ = writeln!(out, "{} in files the commits wrote", count(log.findings.len(), "finding", "findings"));
    }
    out
}

/// The log as one pretty-printed JSON document: `head`, `commitsRead`, `entries` (each with its
/// commit) and `findings` (each with its commit's id).
#[must_use]
pub fn audit_json(log: &AuditLog) -> String {
    let prefix = log.prefix.as_str();
    let entries: Vec<Value> = log
        .entries
        .iter()
        .map(|entry| {
            let fields: Vec<Value> = entry
                .fields
                .iter()
                .map(|field| json!({"field": field.field, "before": field.before, "after": field.after}))
                .collect();
            json!({
                "commit": commit_json(&entry.commit),
                "entity": entry.entity.to_string(),
                "blueprint": entry.entity.kind(),
                "identifier": entry.entity.name(),
                "change": entry.change.as_str(),
                "fileBefore": entry.file_before.as_deref().map(|file| rooted(prefix, file)),
                "fileAfter": entry.file_after.as_deref().map(|file| rooted(prefix, file)),
                "fields": fields,
            })
        })
        .collect();
    let findings: Vec<Value> = log
        .findings
        .iter()
        .map(|finding| {
            let mut value = serde_json::to_value(Finding::new(&finding.diagnostic, prefix)).unwrap_or(Value::Null);
            if let Value::Object(object) = &mut value {
                object.insert("commit".to_owned(), Value::from(finding.commit.id.to_string()));
            }
            value
        })
        .collect();
    let report = json!({
        "head": log.head,
        "commitsRead": log.commits,
        "entries": entries,
        "findings": findings,
    });
    crate::json::pretty(&report)
}

/// CSV (RFC 4180): one row per field changed, and one row with empty field columns for a
/// change without fields (created, deleted, moved). Values are compact JSON.
#[must_use]
pub fn audit_csv(log: &AuditLog) -> String {
    let mut out = String::from(
        "commit,date,author,author_email,committer,committer_email,pull_request,action,change,blueprint,identifier,\
         file_before,file_after,field,before,after\n",
    );
    for entry in &log.entries {
        let commit = &entry.commit;
        let id = commit.id.to_string();
        let date = commit.date.to_string();
        let pull = commit.pull_request.map(|pull| pull.to_string()).unwrap_or_default();
        let before_file = entry.file_before.as_deref().map(|file| rooted(&log.prefix, file)).unwrap_or_default();
        let after_file = entry.file_after.as_deref().map(|file| rooted(&log.prefix, file)).unwrap_or_default();
        let common = [
            id.as_str(),
            date.as_str(),
            commit.author.name.as_str(),
            commit.author.email.as_str(),
            commit.committer.name.as_str(),
            commit.committer.email.as_str(),
            pull.as_str(),
            commit.action.as_deref().unwrap_or(""),
            entry.change.as_str(),
            entry.entity.kind(),
            entry.entity.name(),
            &before_file,
            &after_file,
        ];
        let mut rows: Vec<[String; 3]> = entry
            .fields
            .iter()
            .map(|field| {
                let text = |value: Option<&Value>| value.map(Value::to_string).unwrap_or_default();
                [field.field.clone(), text(field.before.as_ref()), text(field.after.as_ref())]
            })
            .collect();
        if rows.is_empty() {
            rows.push([String::new(), String::new(), String::new()]);
        }
        for row in rows {
            let line: Vec<String> =
                common.iter().copied().chain(row.iter().map(String::as_str)).map(csv_field).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
    }
    out
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

type Group<'a> = (&'a Arc<AuditCommit>, Vec<&'a LogEntry>, Vec<&'a cairn_engine::CommitFinding>);

/// The entries and findings of each commit, in the log's order (newest first): a commit with
/// findings and no change still shows.
fn by_commit(log: &AuditLog) -> Vec<Group<'_>> {
    // By the walk's position of each commit, which is its order in the log.
    let mut groups: std::collections::BTreeMap<usize, Group<'_>> = std::collections::BTreeMap::new();
    for entry in &log.entries {
        groups.entry(entry.commit.position).or_insert_with(|| (&entry.commit, Vec::new(), Vec::new())).1.push(entry);
    }
    for finding in &log.findings {
        groups
            .entry(finding.commit.position)
            .or_insert_with(|| (&finding.commit, Vec::new(), Vec::new()))
            .2
            .push(finding);
    }
    groups.into_values().collect()
}

fn person(person: &cairn_engine::Person) -> String {
    format!("{} <{}>", person.name, person.email)
}

fn files(entry: &LogEntry) -> String {
    match (&entry.file_before, &entry.file_after) {
        (Some(before), Some(after)) if before != after => format!("{before} → {after}"),
        (_, Some(file)) | (Some(file), None) => file.clone(),
        (None, None) => String::new(),
    }
}

/// A field's value as compact JSON, `-` when unset.
fn value(value: Option<&Value>) -> String {
    value.map_or_else(|| "-".to_owned(), Value::to_string)
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
