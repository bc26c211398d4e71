//! Fuzzes the scorecard reader (`cairn_scorecards::read`): arbitrary bytes parsed as a file of
//! `scorecards/`, every document read as scorecards naming their blueprint and as scorecards
//! written under the `service` blueprint, and a document's `scorecards` list as a blueprint's
//! (under its `identifier`); each scorecard read is then evaluated (`standing`, and its
//! `filter`) against every entity the same input's documents hold (`read_entity`) and a fixed
//! entity, as of a fixed `now`. A seed is a scorecard document followed by entity documents, so
//! one input drives both sides.
//!
//! Beyond "never panics, never hangs, never exhausts memory", it checks that every finding (and
//! every scorecard and rule read) lies within the file, that a scorecard read under a blueprint
//! belongs to it, and that a standing is Port's
//! (<https://docs.port.io/promote-scorecards/concepts-and-structure>), restated here rather than
//! taken from the crate: one result per rule; a level that is declared, or the base level; every
//! rule of the level reached and of the levels below it passed; the next level that has rules
//! failed by one of them; and the same standing when evaluated again.

#![no_main]

use std::sync::{Arc, OnceLock};

use cairn_diagnostics::{ByteSpan, SourceFile};
use cairn_model::{Entity, Limits, Timestamp, parse_file, parse_now, read_entity};
use cairn_scorecards::{Scorecard, read};
use libfuzzer_sys::fuzz_target;

#[path = "../common/located.rs"]
mod located;
use located::check_all;

/// An entity that passes some of the seeds' rules and fails others, for inputs that hold no
/// entity of their own.
const ENTITY: &str = "\
identifier: checkout
blueprint: service
team: payments
properties:
  readme: '# Checkout'
  on_call: alice
  open_incidents: 7
  is_production: true
  deployedAt: '2026-05-30T09:00:00Z'
relations:
  domain: shop
";

fn fixed() -> &'static (Entity, Timestamp) {
    static FIXED: OnceLock<(Entity, Timestamp)> = OnceLock::new();
    FIXED.get_or_init(|| {
        let parsed = parse_file("catalog/checkout.yaml", ENTITY.as_bytes(), &Limits::default());
        let document = parsed.documents.into_iter().next().expect("the fixed entity is one document");
        let entity = read_entity(&parsed.file, document, None).0.expect("the fixed entity reads");
        (entity, parse_now("2026-06-01T12:00:00Z").expect("a time"))
    })
}

fuzz_target!(|bytes: &[u8]| {
    let (fixed, now) = fixed();
    let parsed = parse_file("scorecards/x.yaml", bytes, &Limits::default());
    let file = &parsed.file;
    check_all(file, &parsed.diagnostics, "parse_file");

    let mut scorecards = Vec::new();
    for document in &parsed.documents {
        let (read_here, diagnostics) = read(file, document, None);
        check_all(file, &diagnostics, "read");
        scorecards.extend(read_here);
        let (read_here, diagnostics) = read(file, document, Some("service"));
        check_all(file, &diagnostics, "read(service)");
        for scorecard in &read_here {
            assert_eq!(scorecard.blueprint, "service", "a scorecard under `service` names another blueprint");
        }
        scorecards.extend(read_here);
        // A blueprint's own `scorecards` list, as the engine reads them: the only way a list
        // reaches `read`, since `parse_file` makes each item of a top-level list a document.
        if let Some(nested) = document.get("scorecards") {
            let blueprint = document.get("identifier").and_then(|node| node.as_str()).unwrap_or("service");
            let (read_here, diagnostics) = read(file, nested, Some(blueprint));
            check_all(file, &diagnostics, "read(blueprint's scorecards)");
            for scorecard in &read_here {
                assert_eq!(scorecard.blueprint, blueprint, "a scorecard under `{blueprint}` names another blueprint");
            }
            scorecards.extend(read_here);
        }
    }
    if scorecards.is_empty() {
        return;
    }

    let mut entities = vec![fixed.clone()];
    for document in parsed.documents {
        let (entity, diagnostics) = read_entity(file, document, None);
        check_all(file, &diagnostics, "read_entity");
        entities.extend(entity);
    }
    for scorecard in &scorecards {
        check_read(file, scorecard);
        for entity in &entities {
            if let Some(filter) = &scorecard.filter {
                let _ = filter.matches(entity, *now);
            }
            check_standing(scorecard, entity, *now);
        }
    }
});

/// Port's levels, restated over the standing the crate computes.
fn check_standing(scorecard: &Scorecard, entity: &Entity, now: Timestamp) {
    let standing = scorecard.standing(entity, now);
    assert_eq!(standing, scorecard.standing(entity, now), "the standing changed when evaluated again");
    assert_eq!(standing.passed.len(), scorecard.rules.len(), "not one result per rule");
    let reached = standing.level;
    assert!(reached == 0 || reached < scorecard.levels.len(), "level {reached} is not declared");
    // The rules of a level, by its title, with whether each passed.
    let results = |index: usize| {
        let title = &scorecard.levels[index].title;
        scorecard.rules.iter().zip(&standing.passed).filter(move |(rule, _)| &rule.level == title)
    };
    for index in 1..=reached {
        assert!(
            results(index).all(|(_, passed)| *passed),
            "level {reached} reached with a rule of level {index} failed: {scorecard:?} {standing:?}"
        );
    }
    if let Some(next) = (reached + 1..scorecard.levels.len()).find(|&index| results(index).next().is_some()) {
        assert!(
            results(next).any(|(_, passed)| !passed),
            "level {reached} kept while every rule of level {next} passed: {scorecard:?} {standing:?}"
        );
    }
}

/// A scorecard and its rules point into the file they were read from.
fn check_read(file: &Arc<SourceFile>, scorecard: &Scorecard) {
    assert_eq!(scorecard.file.path(), file.path(), "a scorecard names another file");
    let len = file.text().len();
    let inside = |span: ByteSpan| span.start <= span.end && span.end as usize <= len;
    assert!(inside(scorecard.span), "the scorecard's span {:?} is outside {len} bytes", scorecard.span);
    for rule in &scorecard.rules {
        assert!(inside(rule.span), "rule `{}`'s span {:?} is outside {len} bytes", rule.identifier, rule.span);
    }
}
