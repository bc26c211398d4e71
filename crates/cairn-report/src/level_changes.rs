//! A plan's scorecard level changes (`Plan::scorecards`, and the impact preview of a change's
//! scorecard edits, `Plan::scorecard_impact`) for a terminal and for the pull-request comment.
//! JSON carries the engine's `LevelChange`s as they are.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use cairn_engine::{LevelChange, LevelShift};

use crate::rendered::MARKDOWN_BUDGET;

/// How many level changes a section lists before it says how many more there are: an edit to a
/// scorecard's rules can move every entity of a blueprint, and the comment has a size limit.
/// `cairn plan --format json` lists every one.
pub(crate) const LISTED: usize = 50;

/// The title of the impact preview's section.
const IMPACT: &str = "If these scorecard rules merge";

/// The counts by shift, only those that are not zero: `1 down, 2 up, 1 entered`.
pub(crate) fn counts(changes: &[LevelChange]) -> String {
    tally(changes.iter().map(|change| change.shift))
}

fn tally(shifts: impl Iterator<Item = LevelShift>) -> String {
    let mut counts = [0_usize; 4];
    for shift in shifts {
        counts[match shift {
            LevelShift::Down => 0,
            LevelShift::Up => 1,
            LevelShift::Entered => 2,
            LevelShift::Left => 3,
        }] += 1;
    }
    let words = ["down", "up", "entered", "left"];
    let parts: Vec<String> = counts
        .iter()
        .zip(words)
        .filter(|(count, _)| **count > 0)
        .map(|(count, word)| format!("{count} {word}"))
        .collect();
    parts.join(", ")
}

/// One change in words, names and levels in backticks where `code` says so: "`cart` Silver →
/// Bronze on Production readiness (now failing: `has-runbook`); team `payments`".
fn sentence(change: &LevelChange, code: bool) -> String {
    let quote = |text: &str| if code { format!("`{text}`") } else { text.to_owned() };
    let rules = |rules: &[String]| rules.iter().map(|rule| quote(rule)).collect::<Vec<_>>().join(", ");
    let entity = quote(change.entity.name());
    let scorecard = change.scorecard_name();
    let level = |level: &Option<String>| level.as_deref().unwrap_or("no level").to_owned();
    let mut why = Vec::new();
    let mut text = match change.shift {
        LevelShift::Down | LevelShift::Up => {
            if !change.newly_failing.is_empty() {
                why.push(format!("now failing: {}", rules(&change.newly_failing)));
            }
            if !change.no_longer_failing.is_empty() {
                why.push(format!("no longer failing: {}", rules(&change.no_longer_failing)));
            }
            format!("{entity} {} → {} on {scorecard}", level(&change.before), level(&change.after))
        }
        LevelShift::Entered => {
            if !change.newly_failing.is_empty() {
                why.push(format!("failing: {}", rules(&change.newly_failing)));
            }
            format!("{entity} enters {scorecard} at {}", level(&change.after))
        }
        LevelShift::Left => format!("{entity} leaves {scorecard} (was {})", level(&change.before)),
    };
    if !why.is_empty() {
        let _ = write!(text, " ({})", why.join("; "));
    }
    match change.teams.as_slice() {
        [] => {}
        [team] => {
            let _ = write!(text, "; team {}", quote(team));
        }
        teams => {
            let _ = write!(text, "; teams {}", teams.iter().map(|team| quote(team)).collect::<Vec<_>>().join(", "));
        }
    }
    text
}

fn arrow(shift: LevelShift) -> &'static str {
    match shift {
        LevelShift::Down => "↓",
        LevelShift::Up => "↑",
        LevelShift::Entered => "+",
        LevelShift::Left => "-",
    }
}

fn icon(shift: LevelShift) -> &'static str {
    match shift {
        LevelShift::Down => "⬇️",
        LevelShift::Up => "⬆️",
        LevelShift::Entered => "➕",
        LevelShift::Left => "➖",
    }
}

/// For a terminal: the level changes, then the impact preview, each only when there is one.
pub(crate) fn human(out: &mut String, changes: &[LevelChange], impact: &[LevelChange]) {
    for (title, changes) in [("scorecards", changes), ("if these scorecard rules merge", impact)] {
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{title}: {}", counts(changes));
        for change in changes.iter().take(LISTED) {
            let _ = writeln!(out, "  {} {}", arrow(change.shift), sentence(change, false));
        }
        if changes.len() > LISTED {
            let _ = writeln!(out, "  … and {} more (--format json lists every one)", changes.len() - LISTED);
        }
    }
}

/// How many entities of each team move which way, for the impact preview: `` `payments` (2
/// down), `search` (1 up) ``; named teams first, then the entities no team owns.
fn teams(changes: &[LevelChange]) -> String {
    let mut by_team: BTreeMap<(bool, &str), Vec<LevelShift>> = BTreeMap::new();
    for change in changes {
        if change.teams.is_empty() {
            by_team.entry((true, "")).or_default().push(change.shift);
        }
        for team in &change.teams {
            by_team.entry((false, team)).or_default().push(change.shift);
        }
    }
    let teams: Vec<String> = by_team
        .into_iter()
        .map(|((unowned, team), shifts)| {
            let name = if unowned { "no team".to_owned() } else { format!("`{team}`") };
            format!("{name} ({})", tally(shifts.into_iter()))
        })
        .collect();
    teams.join(", ")
}

/// The comment's sections: "Scorecards" and, for a change that edits rules, "If these scorecard
/// rules merge" with the owning teams; each open when it holds a regression, each listing at
/// most `LISTED` changes and stopping earlier should the comment near its budget.
pub(crate) fn markdown(out: &mut String, changes: &[LevelChange], impact: &[LevelChange]) {
    for (title, changes) in [("Scorecards", changes), (IMPACT, impact)] {
        if changes.is_empty() {
            continue;
        }
        let open = changes.iter().any(|change| change.shift == LevelShift::Down);
        let _ = writeln!(
            out,
            "<details{}><summary>{title}: {}</summary>\n",
            if open { " open" } else { "" },
            counts(changes)
        );
        if title == IMPACT {
            let _ = writeln!(
                out,
                "This change edits rules that score entities; until it merges, the base's rules score \
                 them. Once merged, these would move. Owning teams: {}.\n",
                teams(changes)
            );
        }
        // Room for the note and the section's end, whatever the counts in them.
        let reserve = 600;
        let mut listed = 0;
        for change in changes.iter().take(LISTED) {
            let line = format!("- {} {}\n", icon(change.shift), sentence(change, true));
            if out.len() + line.len() + reserve > MARKDOWN_BUDGET {
                break;
            }
            out.push_str(&line);
            listed += 1;
        }
        if changes.len() > listed {
            let _ =
                writeln!(out, "- … and {} more: `cairn plan --format json` lists every one", changes.len() - listed);
        }
        let _ = writeln!(out, "\n</details>\n");
    }
}

#[cfg(test)]
mod tests;
