//! Renderings of `cairn scorecard`: per scorecard, a table of entities with the level reached
//! and the rules that fail, then how many of each team's entities are at each level; one
//! entity's full breakdown; JSON, Markdown and CSV.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::table::{csv_field, markdown_cell};
use cairn_engine::{Scorecard, Scorecards, Scored};
use serde_json::{Value, json};

/// The identifiers of the rules `score` fails, in the scorecard's order.
fn failing<'a>(scorecard: &'a Scorecard, score: &Scored) -> Vec<&'a str> {
    scorecard.rules_where(&score.standing, false)
}

fn level<'a>(scorecard: &'a Scorecard, score: &Scored) -> &'a str {
    scorecard.levels.get(score.standing.level).map_or("-", |level| level.title.as_str())
}

/// The scores on the scorecard at `index`.
fn scores_of(report: &Scorecards, index: usize) -> impl Iterator<Item = &Scored> {
    report.scores.iter().filter(move |score| score.scorecard == index)
}

/// For each team (an entity without one counts under `-`), how many of its entities are at
/// each level of the scorecard at `index`, in the levels' order.
fn by_team(report: &Scorecards, index: usize) -> BTreeMap<&str, Vec<usize>> {
    let levels = report.scorecards[index].levels.len();
    let mut teams: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for score in scores_of(report, index) {
        let names: Vec<&str> =
            if score.teams.is_empty() { vec!["-"] } else { score.teams.iter().map(String::as_str).collect() };
        for team in names {
            let counts = teams.entry(team).or_insert_with(|| vec![0; levels]);
            if let Some(count) = counts.get_mut(score.standing.level) {
                *count += 1;
            }
        }
    }
    teams
}

fn heading(scorecard: &Scorecard) -> String {
    match &scorecard.title {
        Some(title) => format!("{} ({title}) on {}", scorecard.identifier, scorecard.blueprint),
        None => format!("{} on {}", scorecard.identifier, scorecard.blueprint),
    }
}

fn teams_cell(score: &Scored) -> String {
    if score.teams.is_empty() { "-".to_owned() } else { score.teams.join(",") }
}

/// Per scorecard: its entities with their level and failing rules, then the levels per team.
#[must_use]
pub fn scorecards_human(report: &Scorecards) -> String {
    if report.scorecards.is_empty() {
        return "no scorecards\n".to_owned();
    }
    let mut out = String::new();
    for (index, scorecard) in report.scorecards.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let count = scores_of(report, index).count();
        let _ = writeln!(out, "{}: {count} {}", heading(scorecard), if count == 1 { "entity" } else { "entities" });
        if count == 0 {
            continue;
        }
        let rows: Vec<[String; 4]> = scores_of(report, index)
            .map(|score| {
                let failing = failing(scorecard, score);
                [
                    score.entity.name().to_owned(),
                    teams_cell(score),
                    level(scorecard, score).to_owned(),
                    if failing.is_empty() { "-".to_owned() } else { failing.join(", ") },
                ]
            })
            .collect();
        out.push_str(&crate::table::table(["ENTITY", "TEAM", "LEVEL", "FAILING"], &rows));
        out.push('\n');
        out.push_str(&team_table(report, index));
    }
    out
}

/// The levels per team as a table: a column per level, lowest first.
fn team_table(report: &Scorecards, index: usize) -> String {
    let scorecard = &report.scorecards[index];
    let mut header = vec!["TEAM".to_owned()];
    header.extend(scorecard.levels.iter().map(|level| level.title.to_uppercase()));
    let rows: Vec<Vec<String>> = by_team(report, index)
        .into_iter()
        .map(|(team, counts)| std::iter::once(team.to_owned()).chain(counts.iter().map(usize::to_string)).collect())
        .collect();
    // The table helper takes a fixed width; levels vary, so the columns are padded here.
    let mut widths: Vec<usize> = header.iter().map(|cell| cell.chars().count()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(&widths) {
            let _ = write!(line, "{cell:<width$}  ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// One entity's breakdown on every scorecard that applies to it: the level reached, then each
/// rule by level with whether it passes.
#[must_use]
pub fn scorecard_entity_human(report: &Scorecards) -> String {
    let mut out = String::new();
    for score in &report.scores {
        let scorecard = &report.scorecards[score.scorecard];
        if !out.is_empty() {
            out.push('\n');
        }
        let title = scorecard.title.as_deref().map(|title| format!(" ({title})")).unwrap_or_default();
        let _ = writeln!(out, "{}: {}{title}: {}", score.entity, scorecard.identifier, level(scorecard, score));
        for (position, declared) in scorecard.levels.iter().enumerate().skip(1) {
            let rules: Vec<_> = scorecard
                .rules
                .iter()
                .zip(&score.standing.passed)
                .filter(|(rule, _)| rule.level == declared.title)
                .collect();
            if rules.is_empty() {
                continue;
            }
            let reached = if position <= score.standing.level { " (reached)" } else { "" };
            let _ = writeln!(out, "  {}{reached}", declared.title);
            for (rule, passed) in rules {
                let mark = if *passed { "pass" } else { "FAIL" };
                let title = rule.title.as_deref().map(|title| format!(": {title}")).unwrap_or_default();
                let _ = writeln!(out, "    {mark}  {}{title}", rule.identifier);
            }
        }
    }
    if out.is_empty() {
        out.push_str("no scorecard applies\n");
    }
    out
}

/// Everything as JSON: each scorecard with its levels, rules, entities and levels per team.
#[must_use]
pub fn scorecards_json(report: &Scorecards) -> String {
    let scorecards: Vec<Value> = report
        .scorecards
        .iter()
        .enumerate()
        .map(|(index, scorecard)| {
            let entities: Vec<Value> = scores_of(report, index)
                .map(|score| {
                    let rules: Vec<Value> = scorecard
                        .rules
                        .iter()
                        .zip(&score.standing.passed)
                        .map(|(rule, passed)| json!({"rule": rule.identifier, "passed": passed}))
                        .collect();
                    json!({
                        "entity": score.entity.to_string(),
                        "blueprint": score.entity.kind(),
                        "identifier": score.entity.name(),
                        "title": score.title,
                        "teams": score.teams,
                        "level": level(scorecard, score),
                        "failing": failing(scorecard, score),
                        "rules": rules,
                    })
                })
                .collect();
            let teams: serde_json::Map<String, Value> = by_team(report, index)
                .into_iter()
                .map(|(team, counts)| {
                    let levels: serde_json::Map<String, Value> = scorecard
                        .levels
                        .iter()
                        .zip(counts)
                        .map(|(level, count)| (level.title.clone(), json!(count)))
                        .collect();
                    (team.to_owned(), Value::Object(levels))
                })
                .collect();
            json!({
                "identifier": scorecard.identifier,
                "title": scorecard.title,
                "blueprint": scorecard.blueprint,
                "file": scorecard.file.path(),
                "levels": scorecard.levels.iter().map(|level| json!({"title": level.title, "color": level.color})).collect::<Vec<_>>(),
                "rules": scorecard.rules.iter().map(|rule| json!({"identifier": rule.identifier, "title": rule.title, "level": rule.level})).collect::<Vec<_>>(),
                "entities": entities,
                "teams": teams,
            })
        })
        .collect();
    let value = json!({"source": report.source.to_string(), "scorecards": scorecards});
    crate::json::pretty(&value)
}

/// Markdown: a section per scorecard, its entities and its levels per team as tables.
#[must_use]
pub fn scorecards_markdown(report: &Scorecards) -> String {
    if report.scorecards.is_empty() {
        return "No scorecards.\n".to_owned();
    }
    let mut out = String::new();
    for (index, scorecard) in report.scorecards.iter().enumerate() {
        let title = scorecard.title.as_deref().unwrap_or(&scorecard.identifier);
        let _ = writeln!(out, "### {} (`{}`)\n", markdown_cell(title), scorecard.blueprint);
        out.push_str("| entity | team | level | failing rules |\n| --- | --- | --- | --- |\n");
        for score in scores_of(report, index) {
            let failing = failing(scorecard, score);
            let failing = if failing.is_empty() {
                "-".to_owned()
            } else {
                failing.iter().map(|rule| format!("`{rule}`")).collect::<Vec<_>>().join(", ")
            };
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {failing} |",
                score.entity.name(),
                markdown_cell(&teams_cell(score)),
                markdown_cell(level(scorecard, score))
            );
        }
        out.push('\n');
        let levels: Vec<String> = scorecard.levels.iter().map(|level| markdown_cell(&level.title)).collect();
        let _ = writeln!(out, "| team | {} |", levels.join(" | "));
        let _ = writeln!(out, "| --- |{}", " ---: |".repeat(levels.len()));
        for (team, counts) in by_team(report, index) {
            let counts: Vec<String> = counts.iter().map(usize::to_string).collect();
            let _ = writeln!(out, "| {} | {} |", markdown_cell(team), counts.join(" | "));
        }
        out.push('\n');
    }
    out
}

/// CSV (RFC 4180): one row per entity and scorecard; rules and teams separated by `;`.
#[must_use]
pub fn scorecards_csv(report: &Scorecards) -> String {
    let mut out = String::from("scorecard,blueprint,entity,title,teams,level,failing\n");
    for score in &report.scores {
        let scorecard = &report.scorecards[score.scorecard];
        let fields = [
            scorecard.identifier.as_str(),
            score.entity.kind(),
            score.entity.name(),
            score.title.as_deref().unwrap_or(""),
            &score.teams.join(";"),
            level(scorecard, score),
            &failing(scorecard, score).join(";"),
        ];
        let line: Vec<String> = fields.iter().map(|field| csv_field(field)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}
