//! Renderings of `cairn audit stats`: Markdown tables for people, JSON and CSV for dashboards.
//!
//! Dates are RFC 3339 at UTC and durations are whole seconds in JSON and CSV (in days, hours
//! and minutes in Markdown), so that the same history gives the same bytes wherever it is read.

use std::fmt::Write as _;

use crate::table::{csv_field, markdown_cell};
use cairn_engine::AuditStats;
use serde_json::{Value, json};

/// The statistics as Markdown: one table per section, rows in the order of their group.
#[must_use]
pub fn audit_stats_markdown(stats: &AuditStats) -> String {
    let by = stats.by.as_str();
    let mut out = String::from("# Platform statistics\n\n");
    let _ = writeln!(
        out,
        "{} changes to entities in {} commits read, grouped by {by}.\n",
        stats.changes_total, stats.commits
    );

    out.push_str("## Self-service runs\n\n");
    if stats.runs.is_empty() {
        out.push_str("No commit with a `Cairn-Action` trailer.\n\n");
    } else {
        let _ = writeln!(out, "| {by} | action | runs |\n| --- | --- | ---: |");
        for run in &stats.runs {
            let _ =
                writeln!(out, "| {} | `{}` | {} |", markdown_cell(&run.group), markdown_cell(&run.action), run.runs);
        }
        out.push('\n');
    }

    out.push_str("## Changes\n\n");
    let _ = writeln!(
        out,
        "| {by} | created | modified | moved | deleted | total |\n| --- | ---: | ---: | ---: | ---: | ---: |"
    );
    for count in &stats.changes {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            markdown_cell(&count.group),
            count.created,
            count.modified,
            count.moved,
            count.deleted,
            count.total()
        );
    }
    out.push('\n');

    out.push_str("## Lead time\n\nFrom the first commit of a merged branch to its merge.\n\n");
    if stats.lead_times.is_empty() {
        out.push_str("No merge commit with a branch.\n");
    } else {
        let _ = writeln!(out, "| {by} | merges | median | max |\n| --- | ---: | ---: | ---: |");
        for lead in &stats.lead_times {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                markdown_cell(&lead.group),
                lead.merges,
                duration(lead.median_seconds),
                duration(lead.max_seconds)
            );
        }
    }
    match stats.squash_merges {
        0 => {}
        1 => out.push_str("\n1 squash or rebase merge has no branch in history and no lead time.\n"),
        count => {
            let _ = writeln!(out, "\n{count} squash or rebase merges have no branch in history and no lead time.");
        }
    }
    out.push('\n');

    out.push_str("## Environments\n\n");
    if stats.environments.is_empty() {
        out.push_str("No environment created.\n");
    } else {
        let _ =
            writeln!(out, "| environment | {by} | created | deleted | lifetime |\n| --- | --- | --- | --- | ---: |");
        for life in &stats.environments {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} |",
                markdown_cell(life.entity.name()),
                markdown_cell(&life.groups.join(", ")),
                life.created,
                life.deleted.map_or_else(|| "alive".to_owned(), |deleted| deleted.to_string()),
                life.lifetime_seconds().map_or_else(|| "—".to_owned(), duration)
            );
        }
    }
    months_markdown(&mut out, stats);
    out
}

/// Findings and scorecard levels at the end of each month.
fn months_markdown(out: &mut String, stats: &AuditStats) {
    if stats.months.is_empty() {
        return;
    }
    out.push_str("\n## Findings by month\n\nThe platform at the end of each month, judged by its rules then.\n\n");
    out.push_str("| month | commit | errors | warnings |\n| --- | --- | ---: | ---: |\n");
    for sample in &stats.months {
        let commit = sample.commit.as_deref().map_or("", |commit| &commit[..commit.len().min(12)]);
        let _ = writeln!(out, "| {} | `{commit}` | {} | {} |", sample.month, sample.errors, sample.warnings);
    }
    if stats.months.iter().all(|sample| sample.levels.is_empty()) {
        return;
    }
    out.push_str("\n## Scorecard levels by month\n\n| month | scorecard | team | level | entities |\n| --- | --- | --- | --- | ---: |\n");
    for sample in &stats.months {
        for level in &sample.levels {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} |",
                sample.month,
                markdown_cell(&level.scorecard),
                markdown_cell(&level.team),
                markdown_cell(&level.level),
                level.entities
            );
        }
    }
}

/// The statistics as one pretty-printed JSON document.
#[must_use]
pub fn audit_stats_json(stats: &AuditStats) -> String {
    let runs: Vec<Value> =
        stats.runs.iter().map(|run| json!({"group": run.group, "action": run.action, "runs": run.runs})).collect();
    let changes: Vec<Value> = stats
        .changes
        .iter()
        .map(|count| {
            json!({
                "group": count.group,
                "created": count.created,
                "modified": count.modified,
                "moved": count.moved,
                "deleted": count.deleted,
                "total": count.total(),
            })
        })
        .collect();
    let merges: Vec<Value> = stats
        .merges
        .iter()
        .map(|merge| {
            json!({
                "commit": merge.merge.to_string(),
                "merged": merge.merged.to_string(),
                "firstCommit": merge.first_commit.to_string(),
                "branchCommits": merge.branch_commits,
                "leadTimeSeconds": merge.seconds(),
                "groups": merge.groups,
            })
        })
        .collect();
    let lead_times: Vec<Value> = stats
        .lead_times
        .iter()
        .map(|lead| {
            json!({
                "group": lead.group,
                "merges": lead.merges,
                "medianSeconds": lead.median_seconds,
                "maxSeconds": lead.max_seconds,
            })
        })
        .collect();
    let environments: Vec<Value> = stats
        .environments
        .iter()
        .map(|life| {
            json!({
                "entity": life.entity.to_string(),
                "identifier": life.entity.name(),
                "groups": life.groups,
                "created": life.created.to_string(),
                "deleted": life.deleted.map(|deleted| deleted.to_string()),
                "lifetimeSeconds": life.lifetime_seconds(),
            })
        })
        .collect();
    let months: Vec<Value> = stats
        .months
        .iter()
        .map(|sample| {
            let levels: Vec<Value> = sample
                .levels
                .iter()
                .map(|level| {
                    json!({
                        "scorecard": level.scorecard,
                        "team": level.team,
                        "level": level.level,
                        "entities": level.entities,
                    })
                })
                .collect();
            json!({
                "month": sample.month,
                "commit": sample.commit,
                "at": sample.at.to_string(),
                "errors": sample.errors,
                "warnings": sample.warnings,
                "levels": levels,
            })
        })
        .collect();
    let report = json!({
        "head": stats.head,
        "by": stats.by.as_str(),
        "commitsRead": stats.commits,
        "changes": stats.changes_total,
        "runs": runs,
        "changesByGroup": changes,
        "merges": merges,
        "leadTimes": lead_times,
        "squashMerges": stats.squash_merges,
        "environments": environments,
        "months": months,
    });
    crate::json::pretty(&report)
}

/// CSV (RFC 4180) in long form, one number a row, which a dashboard pivots as it likes:
/// `section,group,key,metric,value` (`key` is the action of a run, the environment, the month
/// of a scorecard level (whose metric is `scorecard/level`), or empty).
#[must_use]
pub fn audit_stats_csv(stats: &AuditStats) -> String {
    let mut out = String::from("section,group,key,metric,value\n");
    let mut row = |section: &str, group: &str, key: &str, metric: &str, value: String| {
        let _ = writeln!(out, "{section},{},{},{metric},{value}", csv_field(group), csv_field(key));
    };
    for run in &stats.runs {
        row("runs", &run.group, &run.action, "runs", run.runs.to_string());
    }
    for count in &stats.changes {
        for (metric, value) in [
            ("created", count.created),
            ("modified", count.modified),
            ("moved", count.moved),
            ("deleted", count.deleted),
            ("total", count.total()),
        ] {
            row("changes", &count.group, "", metric, value.to_string());
        }
    }
    for lead in &stats.lead_times {
        row("lead_time", &lead.group, "", "merges", lead.merges.to_string());
        row("lead_time", &lead.group, "", "median_seconds", lead.median_seconds.to_string());
        row("lead_time", &lead.group, "", "max_seconds", lead.max_seconds.to_string());
    }
    row("lead_time", "", "", "squash_merges", stats.squash_merges.to_string());
    for life in &stats.environments {
        for group in &life.groups {
            let name = life.entity.name();
            row("environments", group, name, "created", life.created.to_string());
            if let Some(deleted) = life.deleted {
                row("environments", group, name, "deleted", deleted.to_string());
            }
            if let Some(seconds) = life.lifetime_seconds() {
                row("environments", group, name, "lifetime_seconds", seconds.to_string());
            }
        }
    }
    for sample in &stats.months {
        row("findings", &sample.month, "", "errors", sample.errors.to_string());
        row("findings", &sample.month, "", "warnings", sample.warnings.to_string());
        for level in &sample.levels {
            let metric = format!("{}/{}", level.scorecard, level.level);
            row("levels", &level.team, &sample.month, &csv_field(&metric), level.entities.to_string());
        }
    }
    out
}

/// A duration for people: `2d 3h 5m`, its zero parts left out (`0m` when under a minute).
fn duration(seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    let (days, hours, minutes) = (minutes / (24 * 60), minutes / 60 % 24, minutes % 60);
    let parts: Vec<String> = [(days, "d"), (hours, "h"), (minutes, "m")]
        .into_iter()
        .filter(|(value, _)| *value > 0)
        .map(|(value, unit)| format!("{value}{unit}"))
        .collect();
    if parts.is_empty() { "0m".to_owned() } else { parts.join(" ") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_days_hours_and_minutes() {
        assert_eq!(duration(0), "0m");
        assert_eq!(duration(59), "0m");
        assert_eq!(duration(3 * 3600 + 60), "3h 1m");
        assert_eq!(duration(2 * 86400 + 5 * 60), "2d 5m");
    }

    #[test]
    fn a_cell_keeps_its_row() {
        assert_eq!(markdown_cell("a|b\nc"), "a\\|b c");
    }
}
