//! The checks of scorecards, data-driven: blueprints and scorecards as YAML text in, each finding
//! as `code file:line:column message (help)` out.

use std::sync::Arc;

use cairn_model::{Catalog, Limits, parse_file, read_blueprint};

use super::check;
use crate::read;

/// The blueprints every test checks against: `service` with schema, mirror, calculation and
/// aggregation properties and two relations, and `domain`.
const BLUEPRINTS: &str = "\
identifier: service
schema:
  properties:
    readme: {type: string}
    on_call: {type: string}
    open_incidents: {type: number}
relations:
  domain: {target: domain}
  system: {target: domain}
mirrorProperties:
  domain_tier: {path: domain.tier}
calculationProperties:
  slo_gap: {type: number, calculation: .properties.open_incidents}
aggregationProperties:
  dependents: {target: service, calculationSpec: {calculationBy: entities, func: count}}
---
identifier: domain
schema:
  properties:
    tier: {type: string}
";

fn catalog() -> Catalog {
    let parsed = parse_file("blueprints/service.yaml", BLUEPRINTS.as_bytes(), &Limits::default());
    let blueprints = parsed
        .documents
        .into_iter()
        .map(|node| {
            let (blueprint, found) = read_blueprint(&parsed.file, node);
            assert!(found.is_empty(), "{found:?}");
            blueprint.expect("a blueprint")
        })
        .collect();
    let (catalog, found) = Catalog::build(Vec::new(), blueprints, Vec::new());
    assert!(found.is_empty(), "{found:?}");
    catalog
}

/// The findings of `check` over the scorecards of `files` (path, text), each with its place,
/// message and help; the files must read without findings of their own.
fn findings(files: &[(&str, &str)]) -> Vec<String> {
    let mut scorecards = Vec::new();
    for (path, text) in files {
        let parsed = parse_file(path, text.as_bytes(), &Limits::default());
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        for node in &parsed.documents {
            let (read_here, found) = read(&Arc::clone(&parsed.file), node, None);
            assert!(found.is_empty(), "{found:?}");
            scorecards.extend(read_here);
        }
    }
    check(&scorecards, &catalog())
        .iter()
        .map(|finding| {
            let location = finding.location.as_ref().expect("located");
            let related: Vec<String> = finding
                .related
                .iter()
                .map(|related| {
                    format!(" [{} {}:{}]", related.message, related.location.start.line, related.location.start.column)
                })
                .collect();
            format!(
                "{} {}:{}:{} {} ({}){}",
                finding.code,
                location.file,
                location.start.line,
                location.start.column,
                finding.message,
                finding.help.as_deref().unwrap_or_default(),
                related.concat(),
            )
        })
        .collect()
}

/// A scorecard on `service` with Port's default levels and the given rules (YAML list items,
/// indented by two spaces, after a first newline) and filter.
fn scorecard(filter: &str, rules: &str) -> String {
    format!(
        "identifier: readiness\nblueprint: service\n{filter}levels:\n  - {{title: Basic}}\n  - {{title: Bronze}}\n  - {{title: Silver}}\n  - {{title: Gold}}\nrules:\n{}",
        rules.trim_start_matches('\n')
    )
}

/// Port's "Ownership" example (<https://docs.port.io/promote-scorecards/examples>), with
/// conditions on schema, computed and meta-properties and on a relation, has no finding.
#[test]
fn declared_properties_relations_and_levels_have_no_finding() {
    let rules = "
  - identifier: has_on_call
    level: Gold
    query:
      combinator: and
      conditions:
        - {property: on_call, operator: isNotEmpty}
        - {property: open_incidents, operator: \"<\", value: 5}
  - identifier: has_team
    level: Silver
    query: {combinator: and, conditions: [{property: $team, operator: isNotEmpty}]}
  - identifier: computed
    level: Bronze
    query:
      combinator: or
      conditions:
        - {property: domain_tier, operator: \"=\", value: gold}
        - {property: slo_gap, operator: \"<\", value: 1}
        - {property: dependents, operator: \">\", value: 0}
        - {relation: domain, operator: isNotEmpty}
        - {combinator: and, conditions: [{property: $updatedBy, operator: isNotEmpty}]}
";
    let filter = "filter: {combinator: and, conditions: [{property: $identifier, operator: isNotEmpty}]}\n";
    let text = scorecard(filter, rules);
    assert_eq!(findings(&[("scorecards/readiness.yaml", &text)]), Vec::<String>::new());
}

/// A scorecard naming a blueprint the catalog does not declare: at the name, with the nearest.
#[test]
fn unknown_blueprint_is_located_with_a_suggestion() {
    let text = "identifier: readiness\nblueprint: servce\nlevels: [{title: Basic}, {title: Gold}]\nrules:\n  - {identifier: readme, level: Gold, query: {combinator: and, conditions: [{property: nothing, operator: isNotEmpty}]}}\n";
    assert_eq!(
        findings(&[("scorecards/readiness.yaml", text)]),
        [
            "E1101 scorecards/readiness.yaml:2:12 the scorecard `readiness` names the blueprint `servce`, which does not exist (did you mean `service`?)"
        ]
    );
    let text = text.replace("servce", "frobnicator");
    assert_eq!(
        findings(&[("scorecards/readiness.yaml", &text)]),
        [
            "E1101 scorecards/readiness.yaml:2:12 the scorecard `readiness` names the blueprint `frobnicator`, which does not exist (the blueprints are `domain`, `service`)"
        ]
    );
}

/// Conditions on properties the blueprint does not declare, in a rule (nested too) and in the
/// filter, and on a meta-property Port does not have: each at the property's name.
#[test]
fn undeclared_properties_are_located_at_their_names() {
    let rules = "
  - identifier: readme
    level: Bronze
    query:
      combinator: and
      conditions:
        - property: readme_url
          operator: isNotEmpty
        - {combinator: or, conditions: [{property: runbook, operator: isNotEmpty}]}
  - identifier: owner
    level: Silver
    query: {combinator: and, conditions: [{property: $owner, operator: isNotEmpty}]}
";
    let filter = "filter: {combinator: and, conditions: [{property: lifecycle, operator: \"=\", value: Production}]}\n";
    let text = scorecard(filter, rules);
    assert_eq!(
        findings(&[("scorecards/readiness.yaml", &text)]),
        [
            "E1102 scorecards/readiness.yaml:3:51 the filter tests the property `lifecycle`, which the blueprint `service` does not declare (declare `lifecycle` in the blueprint, or test one of its properties: `on_call`, `open_incidents`, `readme`, `domain_tier`, `slo_gap`, `dependents`)",
            "E1102 scorecards/readiness.yaml:15:21 the rule `readme` tests the property `readme_url`, which the blueprint `service` does not declare (declare `readme_url` in the blueprint, or test one of its properties: `on_call`, `open_incidents`, `readme`, `domain_tier`, `slo_gap`, `dependents`)",
            "E1102 scorecards/readiness.yaml:17:52 the rule `readme` tests the property `runbook`, which the blueprint `service` does not declare (declare `runbook` in the blueprint, or test one of its properties: `on_call`, `open_incidents`, `readme`, `domain_tier`, `slo_gap`, `dependents`)",
            "E1102 scorecards/readiness.yaml:20:54 the rule `owner` tests `$owner`, which is not one of Port's meta-properties (the meta-properties are `$identifier`, `$title`, `$team`, `$icon`, `$blueprint`, `$createdAt`, `$createdBy`, `$updatedAt`, `$updatedBy`)",
        ]
    );
}

/// A near miss is suggested: a schema property, a computed one, a meta-property.
#[test]
fn undeclared_properties_suggest_the_nearest() {
    let rules = "
  - identifier: near
    level: Bronze
    query:
      combinator: and
      conditions:
        - {property: on_cal, operator: isNotEmpty}
        - {property: domain_teir, operator: isNotEmpty}
        - {property: $tittle, operator: isNotEmpty}
";
    let text = scorecard("", rules);
    assert_eq!(
        findings(&[("scorecards/readiness.yaml", &text)]),
        [
            "E1102 scorecards/readiness.yaml:14:22 the rule `near` tests the property `on_cal`, which the blueprint `service` does not declare (did you mean `on_call`?)",
            "E1102 scorecards/readiness.yaml:15:22 the rule `near` tests the property `domain_teir`, which the blueprint `service` does not declare (did you mean `domain_tier`?)",
            "E1102 scorecards/readiness.yaml:16:22 the rule `near` tests `$tittle`, which is not one of Port's meta-properties (did you mean `$title`?)",
        ]
    );
}

/// A relation condition on a relation the blueprint does not declare: at the relation's name.
#[test]
fn undeclared_relations_are_located_at_their_names() {
    let rules = "
  - identifier: related
    level: Bronze
    query:
      combinator: and
      conditions:
        - {relation: domian, operator: isNotEmpty}
        - {relation: team, operator: isEmpty}
";
    let text = scorecard("", rules);
    assert_eq!(
        findings(&[("scorecards/readiness.yaml", &text)]),
        [
            "E1103 scorecards/readiness.yaml:14:22 the rule `related` tests the relation `domian`, which the blueprint `service` does not declare (did you mean `domain`?)",
            "E1103 scorecards/readiness.yaml:15:22 the rule `related` tests the relation `team`, which the blueprint `service` does not declare (its relations are `domain`, `system`)",
        ]
    );
}

/// A rule naming a level the scorecard does not declare, and one on the base level: at `level`.
#[test]
fn rule_levels_must_be_declared_and_above_the_base_level() {
    let rules = "
  - {identifier: a, level: Siver, query: {combinator: and, conditions: [{property: readme, operator: isNotEmpty}]}}
  - {identifier: b, level: Platinum, query: {combinator: and, conditions: [{property: readme, operator: isNotEmpty}]}}
  - {identifier: c, level: Basic, query: {combinator: and, conditions: [{property: readme, operator: isNotEmpty}]}}
";
    let text = scorecard("", rules);
    assert_eq!(
        findings(&[("scorecards/readiness.yaml", &text)]),
        [
            "E1104 scorecards/readiness.yaml:9:28 the rule `a` is on the level `Siver`, which the scorecard `readiness` does not declare (did you mean `Silver`?)",
            "E1104 scorecards/readiness.yaml:10:28 the rule `b` is on the level `Platinum`, which the scorecard `readiness` does not declare (the levels are `Basic`, `Bronze`, `Silver`, `Gold`)",
            "E1105 scorecards/readiness.yaml:11:28 the rule `c` is on the base level `Basic`, which holds no rules (every entity is at the base level whatever it passes: put the rule on a higher level, such as `Bronze`)",
        ]
    );
}

/// Two rules with one identifier: on the second, naming the first's line.
#[test]
fn duplicate_rule_identifiers_name_the_first() {
    let rules = "
  - identifier: readme
    level: Bronze
    query: {combinator: and, conditions: [{property: readme, operator: isNotEmpty}]}
  - identifier: readme
    level: Silver
    query: {combinator: and, conditions: [{property: on_call, operator: isNotEmpty}]}
";
    let text = scorecard("", rules);
    assert_eq!(
        findings(&[("scorecards/readiness.yaml", &text)]),
        [
            "E1106 scorecards/readiness.yaml:12:17 the rule `readme` is declared twice in the scorecard `readiness` (first at line 9) (a scorecard's rules have unique identifiers: rename or remove one of the two) [first declared here 9:17]"
        ]
    );
}

/// Two scorecards with one identifier on one blueprint: on the second in file order, naming the
/// first's file and line; the same identifier on another blueprint is another scorecard.
#[test]
fn duplicate_scorecards_on_one_blueprint_name_the_first() {
    let one = "identifier: readiness\nblueprint: service\nlevels: [{title: Basic}]\nrules: []\n";
    let other_blueprint = "identifier: readiness\nblueprint: domain\nlevels: [{title: Basic}]\nrules: []\n";
    let in_list = format!(
        "- identifier: ownership\n  blueprint: service\n  levels: [{{title: Basic}}]\n  rules: []\n- {}",
        one.replace('\n', "\n  ").trim_end()
    );
    // Given out of file order: the finding is still on the later file's.
    assert_eq!(
        findings(&[
            ("scorecards/b.yaml", &in_list),
            ("scorecards/a.yaml", one),
            ("scorecards/c.yaml", other_blueprint)
        ]),
        [
            "E1107 scorecards/b.yaml:5:15 the scorecard `readiness` of the blueprint `service` is declared twice (first in `scorecards/a.yaml` at line 1) (a blueprint's scorecards have unique identifiers: rename or remove one of the two) [first declared here 1:13]"
        ]
    );
    let twice = format!("{one}---\n{one}");
    assert_eq!(
        findings(&[("scorecards/a.yaml", &twice)]),
        [
            "E1107 scorecards/a.yaml:6:13 the scorecard `readiness` of the blueprint `service` is declared twice (first at line 1) (a blueprint's scorecards have unique identifiers: rename or remove one of the two) [first declared here 1:13]"
        ]
    );
}

/// Two levels with one title, and a scorecard with no levels (whose rules are then not also
/// each on an undeclared level).
#[test]
fn level_titles_are_unique_and_some_level_is_declared() {
    let text = "\
identifier: readiness
blueprint: service
levels:
  - {title: Basic}
  - {title: Gold}
  - {title: Gold, color: gold}
rules: []
---
identifier: empty
blueprint: service
levels: []
rules:
  - {identifier: readme, level: Bronze, query: {combinator: and, conditions: [{property: readme, operator: isNotEmpty}]}}
";
    assert_eq!(
        findings(&[("scorecards/readiness.yaml", text)]),
        [
            "E1108 scorecards/readiness.yaml:6:13 the level `Gold` is declared twice in the scorecard `readiness` (first at line 5) (rules name their level by title: give each level its own title) [first declared here 5:13]",
            "E1109 scorecards/readiness.yaml:11:9 the scorecard `empty` declares no levels (declare its levels lowest first, such as Port's defaults `Basic`, `Bronze`, `Silver`, `Gold`)",
        ]
    );
}

/// A scorecard written under its blueprint, not naming it, is checked against that blueprint.
#[test]
fn a_scorecard_under_its_blueprint_is_checked_against_it() {
    let parsed = parse_file(
        "blueprints/service.yaml",
        b"identifier: readiness\nlevels: [{title: Basic}, {title: Gold}]\nrules:\n  - {identifier: r, level: Gold, query: {combinator: and, conditions: [{property: tier, operator: isNotEmpty}]}}\n",
        &Limits::default(),
    );
    let (scorecards, found) = read(&parsed.file, &parsed.documents[0], Some("service"));
    assert!(found.is_empty(), "{found:?}");
    let located: Vec<String> = check(&scorecards, &catalog())
        .iter()
        .map(|finding| {
            let location = finding.location.as_ref().expect("located");
            format!("{} {}:{}:{}", finding.code, location.file, location.start.line, location.start.column)
        })
        .collect();
    assert_eq!(located, ["E1102 blueprints/service.yaml:4:83"]);
}
