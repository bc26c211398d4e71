//! `cairn scorecard`: the real binary over the bundled example and over git repositories made
//! here, its tables snapshotted and its findings located.

mod support;

use support::{GitRepo, cairn, project_dir};

const NOW: &str = "2026-12-04T09:00:00Z";

fn acme() -> std::path::PathBuf {
    project_dir().join("examples/acme")
}

/// The bundled example's table: each component's level on the bundled production-readiness
/// scorecard, the rules that hold it back, and the levels per team.
#[test]
fn the_example_prints_its_table() {
    let run = cairn(&acme(), &["scorecard", ".", "--now", NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    insta::assert_snapshot!("acme_table", run.stdout);
}

/// One entity's breakdown, every rule by level.
#[test]
fn one_entity_shows_every_rule_by_level() {
    let run = cairn(&acme(), &["scorecard", ".", "--entity", "legacy-newsletter", "--now", NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("acme_entity", run.stdout);
    let unknown = cairn(&acme(), &["scorecard", ".", "--entity", "Component:nope", "--now", NOW]);
    assert_eq!(unknown.code, 1);
    assert!(unknown.stderr.contains("no scorecard applies to an entity `Component:nope`"), "{}", unknown.stderr);
}

/// JSON, Markdown and CSV carry the same answer as the table.
#[test]
fn machine_formats_agree_with_the_table() {
    let json = cairn(&acme(), &["scorecard", ".", "--format", "json", "--now", NOW]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let scorecard = &value["scorecards"][0];
    assert_eq!(scorecard["identifier"], "production-readiness");
    let newsletter = scorecard["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .find(|entity| entity["identifier"] == "legacy-newsletter")
        .expect("scored");
    assert_eq!(newsletter["level"], "Bronze");
    assert_eq!(newsletter["failing"], serde_json::json!(["has-runbook", "has-on-call", "redundant"]));
    assert_eq!(scorecard["teams"]["payments"]["Gold"], 2);

    let csv = cairn(&acme(), &["scorecard", ".", "--format", "csv", "--now", NOW]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let mut lines = csv.stdout.lines();
    assert_eq!(lines.next(), Some("scorecard,blueprint,entity,title,teams,level,failing"));
    let row = csv.stdout.lines().find(|line| line.contains(",legacy-newsletter,")).expect("a row");
    assert!(row.ends_with(",Bronze,has-runbook;has-on-call;redundant"), "{row}");
    assert_eq!(csv.stdout.lines().count(), 1 + scorecard["entities"].as_array().expect("entities").len());

    let markdown =
        cairn(&acme(), &["scorecard", ".", "--format", "markdown", "--blueprint", "Component", "--now", NOW]);
    assert_eq!(markdown.code, 0, "{}", markdown.stderr);
    assert!(markdown.stdout.contains("| `legacy-newsletter` | customer-experience | Bronze |"), "{}", markdown.stdout);
    let other = cairn(&acme(), &["scorecard", ".", "--blueprint", "API", "--now", NOW]);
    assert_eq!(other.code, 1);
    assert!(other.stderr.contains("no scorecard applies to the blueprint `API`"), "{}", other.stderr);
}

const BLUEPRINT: &str = "\
identifier: service
title: Service
schema:
  properties:
    runbook: {type: string, format: url}
    tier: {type: string}
relations:
  domain: {target: domain, many: false, required: false}
";

const SCORECARD: &str = "\
identifier: readiness
title: Readiness
blueprint: service
levels: [{title: Basic}, {title: Bronze}, {title: Silver}]
rules:
  - identifier: has-domain
    level: Bronze
    query: {combinator: and, conditions: [{relation: domain, operator: isNotEmpty}]}
  - identifier: has-runbook
    title: Has a runbook
    level: Silver
    query: {combinator: and, conditions: [{property: runbook, operator: isNotEmpty}]}
";

fn platform() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("cairn.yaml", "version: 1\n")
        .write("blueprints/service.yaml", BLUEPRINT)
        .write("blueprints/domain.yaml", "identifier: domain\ntitle: Domain\nschema: {properties: {}}\n")
        .write("catalog/domains.yaml", "identifier: shop\nblueprint: domain\n")
        .write("catalog/cart.yaml", "identifier: cart\nblueprint: service\nteam: payments\nrelations: {domain: shop}\n")
        .write("scorecards/readiness.yaml", SCORECARD);
    repo
}

/// A revision is scored as committed: adding a runbook URL in a later commit moves the service
/// from Bronze to Silver, and `--rev` reads either.
#[test]
fn a_revision_is_scored_as_committed() {
    let repo = platform();
    let before = repo.commit("Ann", "Add cart");
    repo.write(
        "catalog/cart.yaml",
        "identifier: cart\nblueprint: service\nteam: payments\nproperties: {runbook: https://runbooks.example.com/cart}\nrelations: {domain: shop}\n",
    );
    repo.commit("Ann", "Cart: a runbook");
    let level = |rev: &str| {
        let run = cairn(&repo.path, &["scorecard", ".", "--rev", rev, "--format", "csv", "--now", NOW]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout.lines().nth(1).expect("a row").to_owned()
    };
    assert_eq!(level(&before), "readiness,service,cart,,payments,Bronze,has-runbook");
    assert_eq!(level("HEAD"), "readiness,service,cart,,payments,Silver,");
}

/// A scorecard that cannot be read is a located finding on stderr and exit 1; the others are
/// still scored. No scorecard at all is not a silent pass.
#[test]
fn bad_scorecards_are_located_and_fail() {
    let repo = platform();
    repo.write(
        "scorecards/broken.yaml",
        "identifier: broken\nblueprint: service\nlevels: [{title: Basic}, {title: Gold}]\nrules:\n  - identifier: r\n    level: Gold\n    query: {combinator: and, conditions: [{property: tier, operator: equals, value: a}]}\n",
    );
    let run = cairn(&repo.path, &["scorecard", ".", "--now", NOW]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("scorecards/broken.yaml:7:"), "{}", run.stderr);
    assert!(run.stderr.contains("`equals` is not an operator of Port's"), "{}", run.stderr);
    assert!(run.stdout.starts_with("readiness (Readiness) on service: 1 entity"), "{}", run.stdout);

    let empty = GitRepo::new();
    empty.write("cairn.yaml", "version: 1\n").write("catalog/a.yaml", "identifier: a\nblueprint: System\n");
    let run = cairn(&empty.path, &["scorecard", ".", "--now", NOW]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("declares no scorecard"), "{}", run.stderr);
}

/// A Rego rule says what conditions cannot: "every dependency is at least Silver", reading the
/// levels the conditions give (`data.cairn.scorecards`). A Rego rule that names no rule of the
/// policies is a located finding and counts as failed.
#[test]
fn a_rego_rule_reads_the_levels_of_dependencies() {
    let repo = GitRepo::new();
    repo.write("cairn.yaml", "version: 1\n")
        .write(
            "blueprints/service.yaml",
            "identifier: service\ntitle: Service\nschema:\n  properties:\n    runbook: {type: string}\nrelations:\n  dependsOn: {target: service, many: true, required: false}\n",
        )
        .write(
            "catalog/services.yaml",
            "\
- {identifier: payments, blueprint: service, properties: {runbook: r}}
- {identifier: legacy, blueprint: service}
- {identifier: cart, blueprint: service, properties: {runbook: r}, relations: {dependsOn: [legacy]}}
- {identifier: checkout, blueprint: service, properties: {runbook: r}, relations: {dependsOn: [payments]}}
",
        )
        .write(
            "policies/scorecards.rego",
            "\
package platform.scorecards

import rego.v1

dependencies_silver if {
\tevery dependency in object.get(input.relations, \"dependsOn\", []) {
\t\tdata.cairn.scorecards.service.readiness.entities[dependency].rank >= 1
\t}
}
",
        )
        .write(
            "scorecards/readiness.yaml",
            "\
identifier: readiness
blueprint: service
levels: [{title: Basic}, {title: Silver}, {title: Gold}]
rules:
  - identifier: has-runbook
    level: Silver
    query: {combinator: and, conditions: [{property: runbook, operator: isNotEmpty}]}
  - identifier: dependencies-silver
    level: Gold
    rego: data.platform.scorecards.dependencies_silver
",
        );
    let run = cairn(&repo.path, &["scorecard", ".", "--format", "csv", "--now", NOW]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "scorecard,blueprint,entity,title,teams,level,failing\n\
         readiness,service,cart,,,Silver,dependencies-silver\n\
         readiness,service,checkout,,,Gold,\n\
         readiness,service,legacy,,,Basic,has-runbook\n\
         readiness,service,payments,,,Gold,\n"
    );
    // `cairn check` counts the same levels.
    let check = cairn(&repo.path, &["check", ".", "--now", NOW]);
    assert!(
        check.stdout.contains("info: scorecard `readiness` on service: 1 Basic, 1 Silver, 2 Gold"),
        "{}",
        check.stdout
    );

    let text = std::fs::read_to_string(repo.path.join("scorecards/readiness.yaml")).expect("the scorecard");
    repo.write("scorecards/readiness.yaml", &text.replace("dependencies_silver\n", "dependencies_silvr\n"));
    let run = cairn(&repo.path, &["scorecard", ".", "--format", "csv", "--now", NOW]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("E1110"), "{}", run.stderr);
    assert!(run.stderr.contains("scorecards/readiness.yaml:10:11"), "{}", run.stderr);
    assert!(run.stdout.contains("readiness,service,checkout,,,Silver,dependencies-silver\n"), "{}", run.stdout);
}
