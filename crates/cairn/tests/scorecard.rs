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

const RUNBOOK: &str = "properties: {runbook: https://runbooks.example.com/cart}\n";

fn cart(properties: &str) -> String {
    format!("identifier: cart\nblueprint: service\nteam: payments\n{properties}relations: {{domain: shop}}\n")
}

/// The small platform with its teams declared, so that a pull request's plan introduces no error.
fn with_teams() -> GitRepo {
    let repo = platform();
    repo.write(
        "catalog/teams.yaml",
        "- identifier: payments\n  blueprint: _team\n- identifier: discovery\n  blueprint: _team\n",
    );
    repo
}

/// `cairn plan --base main --head pr` in the three formats a person or a script reads.
fn plan_all(repo: &GitRepo) -> (String, serde_json::Value, String) {
    let run = |format: &str| {
        let run = cairn(&repo.path, &["plan", "--base", "main", "--head", "pr", "--format", format, "--now", NOW]);
        assert_eq!(run.code, 0, "levels are information: {}{}", run.stdout, run.stderr);
        run.stdout
    };
    let json = serde_json::from_str(&run("json")).expect("JSON");
    (run("human"), json, run("markdown"))
}

/// Each level change of a JSON plan's list as `shift entity before -> after`.
fn shifts(changes: &serde_json::Value) -> Vec<String> {
    changes
        .as_array()
        .expect("a list")
        .iter()
        .map(|change| {
            format!(
                "{} {} {} -> {}",
                change["shift"].as_str().unwrap_or("?"),
                change["entity"].as_str().unwrap_or("?"),
                change["before"].as_str().unwrap_or("-"),
                change["after"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

/// A pull request that adds a runbook URL moves the service from Bronze to Silver, and the plan
/// says so in every format.
#[test]
fn a_pull_request_adding_a_runbook_shows_the_level_going_up() {
    let repo = with_teams();
    repo.commit("Ann", "Add cart");
    repo.git(&["checkout", "--quiet", "-b", "pr"]);
    repo.write("catalog/cart.yaml", &cart(RUNBOOK));
    repo.commit("Ann", "Cart: a runbook");

    let (human, json, markdown) = plan_all(&repo);
    assert!(
        human.contains(
            "scorecards: 1 up\n  ↑ cart Bronze → Silver on Readiness (no longer failing: has-runbook); team payments\n"
        ),
        "{human}"
    );
    assert_eq!(shifts(&json["scorecards"]), ["up service:cart Bronze -> Silver"]);
    let up = &json["scorecards"][0];
    assert_eq!(
        (&up["scorecard"], &up["scorecardTitle"], &up["blueprint"], &up["rankBefore"], &up["rankAfter"]),
        (&"readiness".into(), &"Readiness".into(), &"service".into(), &1.into(), &2.into())
    );
    assert_eq!(up["noLongerFailing"], serde_json::json!(["has-runbook"]));
    assert_eq!(up["teams"], serde_json::json!(["payments"]));
    assert_eq!(json["scorecardImpact"], serde_json::json!([]));
    assert!(markdown.contains("| scorecard levels | 1 up |\n"), "{markdown}");
    assert!(
        markdown.contains(
            "<details><summary>Scorecards: 1 up</summary>\n\n- ⬆️ `cart` Bronze → Silver on Readiness (no longer failing: \
             `has-runbook`); team `payments`\n"
        ),
        "{markdown}"
    );
}

/// A pull request that removes one service's runbook while adding another's: the regression is
/// listed first, and the comment opens the section.
#[test]
fn a_pull_request_removing_a_runbook_lists_the_regression_first() {
    let repo = with_teams();
    repo.write("catalog/cart.yaml", &cart(RUNBOOK)).write(
        "catalog/search.yaml",
        "identifier: search\nblueprint: service\nteam: discovery\nrelations: {domain: shop}\n",
    );
    repo.commit("Ann", "Cart with a runbook, search without");
    repo.git(&["checkout", "--quiet", "-b", "pr"]);
    repo.write("catalog/cart.yaml", &cart(""))
        .write(
            "catalog/search.yaml",
            "identifier: search\nblueprint: service\nteam: discovery\nproperties: {runbook: https://runbooks.example.com/search}\nrelations: {domain: shop}\n",
        )
        .write("catalog/ads.yaml", "identifier: ads\nblueprint: service\nteam: discovery\n");
    repo.commit("Bob", "Move the runbook; add ads");

    let (human, json, markdown) = plan_all(&repo);
    assert_eq!(
        shifts(&json["scorecards"]),
        ["down service:cart Silver -> Bronze", "up service:search Bronze -> Silver", "entered service:ads - -> Basic",]
    );
    assert_eq!(json["scorecards"][0]["newlyFailing"], serde_json::json!(["has-runbook"]));
    assert_eq!(json["scorecards"][2]["newlyFailing"], serde_json::json!(["has-domain", "has-runbook"]));
    let section = human.split("scorecards: ").nth(1).expect("a scorecards section");
    let lines: Vec<&str> = section.lines().take(4).collect();
    assert_eq!(
        lines,
        [
            "1 down, 1 up, 1 entered",
            "  ↓ cart Silver → Bronze on Readiness (now failing: has-runbook); team payments",
            "  ↑ search Bronze → Silver on Readiness (no longer failing: has-runbook); team discovery",
            "  + ads enters Readiness at Basic (failing: has-domain, has-runbook); team discovery",
        ],
        "{human}"
    );
    assert!(
        markdown.contains(
            "<details open><summary>Scorecards: 1 down, 1 up, 1 entered</summary>\n\n- ⬇️ `cart` Silver → Bronze on \
             Readiness (now failing: `has-runbook`); team `payments`\n"
        ),
        "{markdown}"
    );
}

/// A pull request that edits the scorecard's rules is scored by the base's scorecard (no level
/// moves in the plan), and the impact preview says which entities the head's would move, with
/// their teams. The check of the change still passes: levels are information.
#[test]
fn a_pull_request_editing_the_rules_previews_their_impact() {
    let repo = with_teams();
    repo.write("catalog/cart.yaml", &cart(RUNBOOK))
        .write("catalog/search.yaml", "identifier: search\nblueprint: service\nteam: discovery\nproperties: {tier: gold}\nrelations: {domain: shop}\n");
    repo.commit("Ann", "Cart with a runbook, search with a tier");
    repo.git(&["checkout", "--quiet", "-b", "pr"]);
    // Silver asks for a declared tier instead of a runbook.
    let stricter = SCORECARD
        .replace("has-runbook", "has-tier")
        .replace("Has a runbook", "Declares its tier")
        .replace("property: runbook", "property: tier");
    repo.write("scorecards/readiness.yaml", &stricter);
    repo.commit("Carol", "Readiness: Silver asks for a tier, not a runbook");

    let (human, json, markdown) = plan_all(&repo);
    assert_eq!(json["scorecards"], serde_json::json!([]), "the base's scorecard judges the pull request");
    assert_eq!(
        shifts(&json["scorecardImpact"]),
        ["down service:cart Silver -> Bronze", "up service:search Bronze -> Silver"]
    );
    assert_eq!(json["scorecardImpact"][0]["newlyFailing"], serde_json::json!(["has-tier"]));
    assert_eq!(json["scorecardImpact"][0]["teams"], serde_json::json!(["payments"]));
    assert!(
        human.contains(
            "if these scorecard rules merge: 1 down, 1 up\n  ↓ cart Silver → Bronze on Readiness (now failing: \
             has-tier); team payments\n  ↑ search Bronze → Silver on Readiness (no longer failing: has-runbook); \
             team discovery\n"
        ),
        "{human}"
    );
    assert!(!human.contains("\nscorecards: "), "{human}");
    assert!(markdown.contains("| if the scorecard rules merge | 1 down, 1 up |\n"), "{markdown}");
    assert!(
        markdown.contains(
            "<details open><summary>If these scorecard rules merge: 1 down, 1 up</summary>\n\n\
             This change edits rules that score entities; until it merges, the base's rules score them. Once merged, \
             these would move. Owning teams: `discovery` (1 up), `payments` (1 down).\n"
        ),
        "{markdown}"
    );

    let check = cairn(&repo.path, &["check", ".", "--base", "main", "--head", "pr", "--now", NOW]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}
