use cairn_diagnostics::EntityRef;
use cairn_engine::{LevelChange, LevelShift};

use super::{LISTED, human, markdown};

fn change(
    shift: LevelShift,
    entity: &str,
    levels: (Option<&str>, Option<&str>),
    rules: (&[&str], &[&str]),
) -> LevelChange {
    let rank = |level: Option<&str>| {
        level.map(|level| ["Basic", "Bronze", "Silver", "Gold"].iter().position(|l| *l == level).unwrap_or(0))
    };
    let owned = |rules: &[&str]| rules.iter().map(|rule| (*rule).to_owned()).collect();
    LevelChange {
        shift,
        scorecard: "production-readiness".to_owned(),
        scorecard_title: Some("Production readiness".to_owned()),
        blueprint: "Component".to_owned(),
        entity: EntityRef::new("Component", entity),
        teams: if entity == "orphan" { Vec::new() } else { vec!["payments".to_owned()] },
        before: levels.0.map(str::to_owned),
        after: levels.1.map(str::to_owned),
        rank_before: rank(levels.0),
        rank_after: rank(levels.1),
        newly_failing: owned(rules.0),
        no_longer_failing: owned(rules.1),
    }
}

fn example() -> Vec<LevelChange> {
    vec![
        change(LevelShift::Down, "cart-service", (Some("Silver"), Some("Bronze")), (&["has-runbook"], &[])),
        change(LevelShift::Up, "search", (Some("Bronze"), Some("Gold")), (&[], &["has-runbook", "redundant"])),
        change(LevelShift::Entered, "orphan", (None, Some("Basic")), (&["has-owner"], &[])),
        change(LevelShift::Left, "legacy", (Some("Bronze"), None), (&[], &[])),
    ]
}

/// Each shift in words, for a terminal and for the comment; the comment's section is open
/// because it holds a regression, and the impact preview names the owning teams.
#[test]
fn level_changes_in_words() {
    let mut out = String::new();
    human(&mut out, &example(), &example()[1..2]);
    insta::assert_snapshot!("human", out);

    let mut out = String::new();
    markdown(&mut out, &example(), &example());
    insta::assert_snapshot!("markdown", out);
    assert!(out.starts_with("<details open><summary>Scorecards: 1 down, 1 up, 1 entered, 1 left</summary>"), "{out}");
    assert!(out.contains("Owning teams: `payments` (1 down, 1 up, 1 left), no team (1 entered)."), "{out}");

    let mut out = String::new();
    markdown(&mut out, &example()[1..], &[]);
    assert!(out.starts_with("<details><summary>Scorecards: 1 up"), "no regression, closed: {out}");
}

/// A scorecard edit that moves every entity lists `LISTED` of them and counts the rest.
#[test]
fn a_long_list_stops_and_counts_the_rest() {
    let many: Vec<LevelChange> = (0..LISTED + 7)
        .map(|n| {
            change(
                LevelShift::Down,
                &format!("service-{n:03}"),
                (Some("Silver"), Some("Bronze")),
                (&["has-runbook"], &[]),
            )
        })
        .collect();
    let mut out = String::new();
    markdown(&mut out, &[], &many);
    assert_eq!(out.matches("- ⬇️ ").count(), LISTED);
    assert!(out.contains("- … and 7 more: `cairn plan --format json` lists every one\n"), "{out}");
    let mut out = String::new();
    human(&mut out, &many, &[]);
    assert!(out.ends_with("  … and 7 more (--format json lists every one)\n"), "{out}");

    // Near the comment's budget, the list stops early and still counts what it left out.
    let mut out = "x".repeat(crate::MARKDOWN_BUDGET - 1_000);
    markdown(&mut out, &many, &[]);
    assert!(out.len() <= crate::MARKDOWN_BUDGET, "{}", out.len());
    let listed = out.matches("- ⬇️ ").count();
    assert!(listed < LISTED, "{listed}");
    assert!(out.contains(&format!("- … and {} more", many.len() - listed)), "{out}");
}
