use cairn_model::{Limits, parse_file};

use super::read;

fn read_text(text: &str) -> (Vec<super::Scorecard>, Vec<String>) {
    let parsed = parse_file("scorecards/service.yaml", text.as_bytes(), &Limits::default());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    // A top-level list is read as one document per item, as entity files are.
    let (mut scorecards, mut findings) = (Vec::new(), Vec::new());
    for node in &parsed.documents {
        let (read_here, found) = read(&parsed.file, node, None);
        scorecards.extend(read_here);
        findings.extend(found);
    }
    let findings = findings
        .iter()
        .map(|finding| {
            let location = finding.location.as_ref().expect("located");
            format!("{} {}:{} {}", finding.code, location.start.line, location.start.column, finding.message)
        })
        .collect();
    (scorecards, findings)
}

/// Port's documented shape reads into typed levels, rules and filter.
#[test]
fn ports_scorecard_shape_is_read() {
    let (scorecards, findings) = read_text(
        "\
identifier: production-readiness
title: Production readiness
blueprint: service
filter:
  combinator: and
  conditions: [{property: $identifier, operator: isNotEmpty}]
levels:
  - {title: Basic, color: paleBlue}
  - {title: Bronze, color: bronze}
  - {title: Silver, color: silver}
  - {title: Gold, color: gold}
rules:
  - identifier: hasReadme
    title: Has a readme
    level: Bronze
    query:
      combinator: and
      conditions: [{property: readme, operator: isNotEmpty}]
",
    );
    assert!(findings.is_empty(), "{findings:?}");
    let scorecard = &scorecards[0];
    assert_eq!(scorecard.blueprint, "service");
    assert_eq!(
        scorecard.levels.iter().map(|level| level.title.as_str()).collect::<Vec<_>>(),
        ["Basic", "Bronze", "Silver", "Gold"]
    );
    assert_eq!(scorecard.rules[0].level, "Bronze");
    assert!(scorecard.filter.is_some());
}

/// A malformed scorecard and an unknown operator are located findings, the operator's with the
/// query parser's own code.
#[test]
fn malformed_scorecards_are_located_findings() {
    let (scorecards, findings) = read_text(
        "\
- identifier: a
  levels: [{title: Basic}]
  rules: []
- identifier: b
  blueprint: service
  levels: [{title: Basic}, {title: Gold}]
  rules:
    - identifier: r
      level: Gold
      query: {combinator: and, conditions: [{property: x, operator: equals, value: 1}]}
",
    );
    assert_eq!(scorecards.len(), 0, "{scorecards:?}");
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert!(findings[0].starts_with("E1100 1:3 the scorecard has no `blueprint`"), "{findings:?}");
    assert!(findings[1].starts_with("E0322 10:"), "{findings:?}");
}

/// Port's semantics: the highest level whose rules and every lower level's rules pass; passing
/// Gold's rule but failing Bronze's leaves the entity at the base level.
#[test]
fn the_level_is_the_highest_with_every_lower_level_passing() {
    let (scorecards, findings) = read_text(
        "\
identifier: readiness
blueprint: service
levels: [{title: Basic}, {title: Bronze}, {title: Silver}, {title: Gold}]
rules:
  - {identifier: readme, level: Bronze, query: {combinator: and, conditions: [{property: readme, operator: isNotEmpty}]}}
  - {identifier: oncall, level: Silver, query: {combinator: and, conditions: [{property: oncall, operator: isNotEmpty}]}}
  - {identifier: slo, level: Gold, query: {combinator: and, conditions: [{property: slo, operator: \">=\", value: 99}]}}
",
    );
    assert!(findings.is_empty(), "{findings:?}");
    let scorecard = &scorecards[0];
    let now = cairn_model::parse_timestamp("2026-12-03T12:00:00Z").expect("a date-time");
    let level = |properties: &str| {
        let text = format!("identifier: cart\nblueprint: service\nproperties: {properties}\n");
        let parsed = parse_file("catalog/cart.yaml", text.as_bytes(), &Limits::default());
        let node = parsed.documents.into_iter().next().expect("one document");
        let (entity, found) = cairn_model::read_entity(&parsed.file, node, None);
        assert!(found.is_empty(), "{found:?}");
        scorecard.standing(&entity.expect("an entity"), now)
    };
    assert_eq!(level("{readme: r, oncall: o, slo: 99.9}").level, 3);
    assert_eq!(level("{readme: r, oncall: o, slo: 90}").level, 2);
    assert_eq!(level("{readme: r}").level, 1);
    let gold_without_bronze = level("{oncall: o, slo: 99.9}");
    assert_eq!(gold_without_bronze.level, 0);
    assert_eq!(gold_without_bronze.passed, [false, true, true]);
}

fn entity(text: &str) -> cairn_model::Entity {
    let parsed = parse_file("catalog/entity.yaml", text.as_bytes(), &Limits::default());
    let node = parsed.documents.into_iter().next().expect("one document");
    let (entity, found) = cairn_model::read_entity(&parsed.file, node, None);
    assert!(found.is_empty(), "{found:?}");
    entity.expect("an entity")
}

/// Port's "Ensure relation existence" example (<https://docs.port.io/promote-scorecards/examples>),
/// written under its blueprint without naming it: a service with a domain reaches Bronze, one
/// without stays at Basic.
#[test]
fn ports_relation_existence_example_gives_ports_levels() {
    let text = r#"{
  "identifier": "domain_definition",
  "title": "Domain definition",
  "rules": [
    {
      "identifier": "hasDomain",
      "title": "Has domain",
      "level": "Bronze",
      "query": {"combinator": "and", "conditions": [{"operator": "isNotEmpty", "relation": "domain"}]}
    }
  ],
  "levels": [
    {"color": "paleBlue", "title": "Basic"},
    {"color": "bronze", "title": "Bronze"},
    {"color": "silver", "title": "Silver"},
    {"color": "gold", "title": "Gold"}
  ]
}"#;
    let parsed = parse_file("blueprints/service.json", text.as_bytes(), &Limits::default());
    let (scorecards, findings) = read(&parsed.file, &parsed.documents[0], Some("service"));
    assert!(findings.is_empty(), "{findings:?}");
    let scorecard = &scorecards[0];
    assert_eq!(scorecard.blueprint, "service");
    let now = cairn_model::parse_timestamp("2026-12-03T12:00:00Z").expect("a date-time");
    let with_domain = entity("identifier: cart\nblueprint: service\nrelations: {domain: payments}\n");
    let without = entity("identifier: cart\nblueprint: service\nrelations: {domain: []}\n");
    assert_eq!(scorecard.standing(&with_domain, now).level, 1);
    assert_eq!(scorecard.standing(&without, now).level, 0);
}

/// Port's "Ownership" example (same page), a list of one scorecard with a filter: on-call and
/// fewer than 5 open incidents for Gold, a team for Silver. Passing Gold's rule without a team
/// leaves the entity at the base level.
#[test]
fn ports_ownership_example_gives_ports_levels() {
    let text = r#"[{
  "identifier": "ownership",
  "title": "Ownership",
  "filter": {"combinator": "and", "conditions": [{"property": "is_production", "operator": "=", "value": true}]},
  "rules": [
    {"title": "Has on call?", "identifier": "has_on_call", "level": "Gold",
     "query": {"combinator": "and", "conditions": [
       {"operator": "isNotEmpty", "property": "on_call"},
       {"operator": "<", "property": "open_incidents", "value": 5}]}},
    {"title": "Has a team?", "identifier": "has_team", "level": "Silver",
     "query": {"combinator": "and", "conditions": [{"operator": "isNotEmpty", "property": "$team"}]}}
  ],
  "levels": [{"title": "Basic"}, {"title": "Bronze"}, {"title": "Silver"}, {"title": "Gold"}]
}]"#;
    let parsed = parse_file("blueprints/service.json", text.as_bytes(), &Limits::default());
    let (scorecards, findings) = read(&parsed.file, &parsed.documents[0], Some("service"));
    assert!(findings.is_empty(), "{findings:?}");
    let scorecard = &scorecards[0];
    let now = cairn_model::parse_timestamp("2026-12-03T12:00:00Z").expect("a date-time");
    let level = |text: &str| scorecard.standing(&entity(text), now).level;
    let base = "identifier: cart\nblueprint: service\n";
    assert_eq!(level(&format!("{base}team: payments\nproperties: {{on_call: ann, open_incidents: 2}}\n")), 3);
    assert_eq!(level(&format!("{base}team: payments\nproperties: {{on_call: ann, open_incidents: 7}}\n")), 2);
    assert_eq!(level(&format!("{base}properties: {{on_call: ann, open_incidents: 2}}\n")), 0);
}

/// A rule is Port's `query` or cairn's `rego` (a rule of the policies), never both; the path is
/// checked for its shape where it is written.
#[test]
fn rego_rules_are_read_and_their_paths_checked() {
    let (scorecards, findings) = read_text(
        "\
- identifier: a
  blueprint: service
  levels: [{title: Basic}, {title: Gold}]
  rules:
    - {identifier: deps, level: Gold, rego: data.acme.scorecards.deps}
- identifier: b
  blueprint: service
  levels: [{title: Basic}, {title: Gold}]
  rules:
    - {identifier: both, level: Gold, rego: data.a.b, query: {combinator: and, conditions: []}}
    - {identifier: short, level: Gold, rego: data.deps}
    - {identifier: typed, level: Gold, rego: 3}
",
    );
    assert_eq!(scorecards.len(), 1, "{findings:?}");
    assert!(scorecards[0].has_rego());
    assert!(
        matches!(&scorecards[0].rules[0].test, super::Test::Rego { rule, .. } if rule == "data.acme.scorecards.deps")
    );
    assert_eq!(
        findings,
        [
            "E1100 10:45 the rule has both `query` and `rego`",
            "E1100 11:46 `data.deps` is not a rule's path (`data.<package>.<rule>`)",
            "E1100 12:46 `rego` is a number, not a rule's name",
        ]
    );
}

/// The seeds of the `scorecards` fuzz target (fuzz/seeds/scorecards), each with the level of
/// every entity written after its scorecard, in order; `None` for a seed whose scorecards must
/// not read. The seeds reach the fuzzer's deep paths only if they read, so they are checked
/// here, where a change to the reader that breaks them fails a test rather than a fuzzing run
/// going shallow.
/// A seed's file name, its bytes, and the levels its entities reach (`None`: nothing reads).
type Seed = (&'static str, &'static [u8], Option<&'static [usize]>);

const FUZZ_SEEDS: &[Seed] = &[
    ("ownership.json", include_bytes!("../../../fuzz/seeds/scorecards/ownership.json"), Some(&[])),
    (
        "relation-existence.yaml",
        include_bytes!("../../../fuzz/seeds/scorecards/relation-existence.yaml"),
        Some(&[1, 0]),
    ),
    (
        "production-readiness.yaml",
        include_bytes!("../../../fuzz/seeds/scorecards/production-readiness.yaml"),
        Some(&[3, 0]),
    ),
    // Yellow has no rules: passing Orange's and Green's is Green.
    ("deployed-recently.yaml", include_bytes!("../../../fuzz/seeds/scorecards/deployed-recently.yaml"), Some(&[3, 0])),
    // Port's shape as posted to a blueprint: without `levels` (Port's defaults apply) and
    // without `blueprint` (the route names it); read on its own, the missing blueprint is a
    // finding.
    ("ownership-as-posted.json", include_bytes!("../../../fuzz/seeds/scorecards/ownership-as-posted.json"), None),
    ("malformed.yaml", include_bytes!("../../../fuzz/seeds/scorecards/malformed.yaml"), None),
    ("truncated.yaml", include_bytes!("../../../fuzz/seeds/scorecards/truncated.yaml"), None),
];

#[test]
fn fuzz_seeds_read_and_give_their_levels() {
    let now = cairn_model::parse_timestamp("2026-06-01T12:00:00Z").expect("a date-time");
    for (name, bytes, levels) in FUZZ_SEEDS {
        let parsed = parse_file(&format!("scorecards/{name}"), bytes, &Limits::default());
        // A document with `rules` or `levels`, or without an identifier, is (meant as) a
        // scorecard; a top-level list is one document per item. The others are the entities
        // the scorecard is evaluated against.
        let (scorecard_nodes, entity_nodes): (Vec<_>, Vec<_>) = parsed.documents.iter().partition(|node| {
            node.get("rules").is_some() || node.get("levels").is_some() || node.get("identifier").is_none()
        });
        let (mut scorecards, mut findings) = (Vec::new(), parsed.diagnostics.clone());
        for node in scorecard_nodes {
            let (read_here, found) = read(&parsed.file, node, None);
            scorecards.extend(read_here);
            findings.extend(found);
        }
        let len = parsed.file.text().len();
        for finding in &findings {
            let span = finding.location.as_ref().and_then(|location| location.span).expect("located");
            assert!(span.start <= span.end && span.end as usize <= len, "{name}: {finding:?}");
        }
        let Some(levels) = levels else {
            assert!(scorecards.is_empty() && !findings.is_empty(), "{name}: {scorecards:?}");
            continue;
        };
        assert!(findings.is_empty(), "{name}: {findings:?}");
        let [scorecard] = scorecards.as_slice() else { panic!("{name}: {} scorecards", scorecards.len()) };
        let reached: Vec<usize> = entity_nodes
            .into_iter()
            .map(|node| {
                let (entity, found) = cairn_model::read_entity(&parsed.file, node.clone(), None);
                assert!(found.is_empty(), "{name}: {found:?}");
                scorecard.standing(&entity.expect("an entity"), now).level
            })
            .collect();
        assert_eq!(reached, *levels, "{name}");
    }
}

/// The fuzz seed of scorecards written under a blueprint (fuzz/seeds/scorecards/blueprint.yaml):
/// the list is read as the blueprint's, so the scorecard naming no blueprint belongs to it and
/// the one naming another is a finding.
#[test]
fn fuzz_seed_of_a_blueprints_scorecards_reads_under_it() {
    let bytes = include_bytes!("../../../fuzz/seeds/scorecards/blueprint.yaml");
    let parsed = parse_file("blueprints/service.yaml", bytes, &Limits::default());
    let nested = parsed.documents[0].get("scorecards").expect("a list of scorecards");
    let (scorecards, findings) = read(&parsed.file, nested, Some("service"));
    let [scorecard] = scorecards.as_slice() else { panic!("{scorecards:?}") };
    assert_eq!((scorecard.identifier.as_str(), scorecard.blueprint.as_str()), ("ProductionReadiness", "service"));
    assert_eq!(scorecard.rules.len(), 3);
    let [finding] = findings.as_slice() else { panic!("{findings:?}") };
    assert!(finding.message.contains("names blueprint `repository`"), "{finding:?}");
}

/// A scorecard that writes no `levels` has Port's: Basic, Bronze, Silver, Gold.
#[test]
fn without_levels_a_scorecard_has_ports_defaults() {
    let (scorecards, findings) = read_text(
        "identifier: s\nblueprint: service\nrules:\n  - {identifier: r, level: Silver, query: {combinator: and, conditions: [{property: x, operator: isNotEmpty}]}}\n",
    );
    assert!(findings.is_empty(), "{findings:?}");
    let titles: Vec<&str> = scorecards[0].levels.iter().map(|level| level.title.as_str()).collect();
    assert_eq!(titles, ["Basic", "Bronze", "Silver", "Gold"]);
    assert_eq!(scorecards[0].levels[3].color.as_deref(), Some("gold"));
}
