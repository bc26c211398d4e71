//! `cairn audit stats`: the real binary over a history made here with fixed people and dates (so
//! commit ids, and the snapshots, never change): self-service runs on entities of two teams (one
//! owned through inherited ownership), a merge of a two-commit branch, a squash merge, an
//! environment created and deleted, and a scorecard level that rises.

mod support;

use serde_json::{Value, json};
use support::{GitRepo, cairn, commit_at, merge_at};

const BLUEPRINTS: &str = "\
identifier: system
schema: {properties: {}}
---
identifier: component
schema: {properties: {ttl: {type: string}}}
relations: {system: {target: system}}
ownership: {type: Inherited, path: system}
---
identifier: service
schema: {properties: {ttl: {type: string}, tier: {type: number}}}
";

/// Silver for a service past tier 1: ledger is Basic in October and Silver at November's end.
const SCORECARD: &str = "\
identifier: tiers
blueprint: service
levels: [{title: Basic}, {title: Silver}]
rules:
  - identifier: past-tier-one
    level: Silver
    query: {combinator: and, conditions: [{property: tier, operator: \">\", value: 1}]}
";

fn ledger(ttl: &str, tier: u32) -> String {
    format!("identifier: ledger\nblueprint: service\nteam: finance\nproperties:\n  ttl: {ttl}\n  tier: {tier}\n")
}

fn cart(ttl: &str) -> String {
    // No `team`: payments owns it through its system.
    format!("identifier: cart\nblueprint: component\nrelations: {{system: checkout}}\nproperties:\n  ttl: {ttl}\n")
}

/// The history every test reads, oldest first:
/// Oct 28th: Ada starts the platform (checkout owned by payments, cart inheriting it, ledger
/// owned by finance); Oct 30th: Bob creates the environment `dev-bob` (finance) through
/// `create-environment`; Nov 2nd: Bob extends cart's ttl through `extend-ttl`; Nov 3rd: Carol
/// extends ledger's; Nov 4th and 5th: Dave raises ledger's tier in two commits on a branch while
/// Alice extends cart's ttl on main; Nov 6th: the branch is merged (#7); Nov 8th: `dev-bob` is
/// torn down in a squash-merged pull request (#8).
fn history() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("cairn.yaml", "version: 1\nlibrary:\n  policies: false\n")
        .write("blueprints/all.yaml", BLUEPRINTS)
        .write("scorecards/tiers.yaml", SCORECARD)
        .write("catalog/checkout.yaml", "identifier: checkout\nblueprint: system\nteam: payments\n")
        .write("catalog/cart.yaml", &cart("7d"))
        .write("catalog/ledger.yaml", &ledger("7d", 1));
    commit_at(&repo, "Ada", "Start the platform", "2026-10-28T09:00:00Z");
    repo.write("environments/dev-bob.yaml", "identifier: dev-bob\nteam: finance\nproperties:\n  ttl: 3d\n");
    commit_at(
        &repo,
        "Bob",
        "Create dev-bob\n\nCairn-Action: create-environment\nCairn-Run-By: bob",
        "2026-10-30T10:00:00Z",
    );
    repo.write("catalog/cart.yaml", &cart("14d"));
    commit_at(&repo, "Bob", "Extend cart's ttl\n\nCairn-Action: extend-ttl\nCairn-Run-By: bob", "2026-11-02T10:00:00Z");
    repo.write("catalog/ledger.yaml", &ledger("14d", 1));
    commit_at(
        &repo,
        "Carol",
        "Extend ledger's ttl\n\nCairn-Action: extend-ttl\nCairn-Run-By: carol",
        "2026-11-03T10:00:00Z",
    );
    repo.git(&["checkout", "--quiet", "-b", "feature"]);
    repo.write("catalog/ledger.yaml", &ledger("14d", 2));
    commit_at(&repo, "Dave", "Ledger tier 2", "2026-11-04T09:00:00Z");
    repo.write("catalog/ledger.yaml", &ledger("14d", 3));
    commit_at(&repo, "Dave", "Ledger tier 3", "2026-11-05T15:00:00Z");
    repo.git(&["checkout", "--quiet", "main"]);
    repo.write("catalog/cart.yaml", &cart("21d"));
    commit_at(
        &repo,
        "Alice",
        "Extend cart's ttl\n\nCairn-Action: extend-ttl\nCairn-Run-By: alice",
        "2026-11-05T10:00:00Z",
    );
    merge_at(&repo, "GitHub", "feature", "Merge pull request #7 from dave/feature", "2026-11-06T12:00:00Z");
    repo.git(&["rm", "--quiet", "environments/dev-bob.yaml"]);
    commit_at(&repo, "Bob", "Tear down dev-bob (#8)", "2026-11-08T10:00:00Z");
    repo
}

fn stats(repo: &GitRepo, extra: &[&str]) -> support::Run {
    let mut args = vec!["audit", "stats", "."];
    args.extend_from_slice(extra);
    cairn(&repo.path, &args)
}

fn json_of(run: &support::Run) -> Value {
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|error| panic!("JSON ({error}): {}", run.stdout))
}

/// The done-when of issue 15: per-team self-service counts match the commits made above, with
/// cart's runs counted for payments, which owns it only through its system.
#[test]
fn self_service_runs_per_team_match_the_commits() {
    let repo = history();
    let value = json_of(&stats(&repo, &["--format", "json"]));
    assert_eq!(
        value["runs"],
        json!([
            {"group": "finance", "action": "create-environment", "runs": 1},
            {"group": "finance", "action": "extend-ttl", "runs": 1},
            {"group": "payments", "action": "extend-ttl", "runs": 2},
        ])
    );
    assert_eq!(value["changes"], json!(10), "{value:#}");
}

/// Lead time runs from the branch's oldest commit (Nov 4th 09:00) to the merge (Nov 6th 12:00),
/// counted for the team whose entity the branch changed; the squash merge is counted apart.
#[test]
fn lead_time_of_a_merged_branch() {
    let repo = history();
    let value = json_of(&stats(&repo, &["--format", "json"]));
    let lead = 2 * 86_400 + 3 * 3_600;
    assert_eq!(value["merges"].as_array().map(Vec::len), Some(1), "{value:#}");
    assert_eq!(value["merges"][0]["branchCommits"], json!(2));
    assert_eq!(value["merges"][0]["firstCommit"], json!("2026-11-04T09:00:00Z"));
    assert_eq!(value["merges"][0]["leadTimeSeconds"], json!(lead));
    assert_eq!(
        value["leadTimes"],
        json!([{"group": "finance", "merges": 1, "medianSeconds": lead, "maxSeconds": lead}])
    );
    assert_eq!(value["squashMerges"], json!(1));
}

/// The environment lived from Oct 30th 10:00 to Nov 8th 10:00: nine days.
#[test]
fn an_environment_created_and_deleted() {
    let repo = history();
    let value = json_of(&stats(&repo, &["--format", "json"]));
    assert_eq!(
        value["environments"],
        json!([{
            "entity": "Environment:dev-bob",
            "identifier": "dev-bob",
            "groups": ["finance"],
            "created": "2026-10-30T10:00:00Z",
            "deleted": "2026-11-08T10:00:00Z",
            "lifetimeSeconds": 9 * 86_400,
        }])
    );
}

#[test]
fn the_markdown_for_people() {
    let repo = history();
    let run = stats(&repo, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("markdown", run.stdout);
}

#[test]
fn by_month_and_csv() {
    let repo = history();
    let run = stats(&repo, &["--by", "month", "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("month_csv", run.stdout);
}

/// A window with no change exits 1 and says so; a date that does not parse exits 2.
#[test]
fn an_empty_window_and_a_bad_date() {
    let repo = history();
    let empty = stats(&repo, &["--since", "2026-12-01"]);
    assert_eq!(empty.code, 1, "{}", empty.stdout);
    assert!(empty.stderr.contains("no change to any entity"), "{}", empty.stderr);
    let bad = stats(&repo, &["--since", "yesterday"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("`yesterday` is neither"), "{}", bad.stderr);
}

/// The same history gives the same bytes.
#[test]
fn the_output_is_deterministic() {
    let repo = history();
    let first = stats(&repo, &["--format", "json"]);
    let second = stats(&repo, &["--format", "json"]);
    assert_eq!(first.stdout, second.stdout);
}

/// Each month's last commit is judged as of the month's end (or the newest commit's date): its
/// findings, and the scorecard levels per team.
#[test]
fn findings_and_levels_by_month() {
    let repo = history();
    let value = json_of(&stats(&repo, &["--format", "json"]));
    let months = value["months"].as_array().expect("months");
    assert_eq!(months.len(), 2, "{value:#}");
    assert_eq!(months[0]["month"], json!("2026-10"));
    assert_eq!(months[0]["at"], json!("2026-10-31T23:59:59Z"));
    assert_eq!(
        months[0]["levels"],
        json!([{"scorecard": "tiers", "team": "finance", "level": "Basic", "entities": 1}])
    );
    assert_eq!(months[1]["month"], json!("2026-11"));
    assert_eq!(months[1]["at"], json!("2026-11-08T10:00:00Z"));
    assert_eq!(
        months[1]["levels"],
        json!([{"scorecard": "tiers", "team": "finance", "level": "Silver", "entities": 1}])
    );
    // No team is declared (E0313 for each owner written: payments, finance twice), and dev-bob
    // lacks its `type` (E0303) until it is torn down in November.
    assert_eq!((months[0]["errors"].clone(), months[1]["errors"].clone()), (json!(4), json!(2)));
}

/// `--since` and `--until` keep the commits committed in the window: November's runs alone.
#[test]
fn a_window_keeps_its_commits() {
    let repo = history();
    let value = json_of(&stats(&repo, &["--since", "2026-11-01", "--until", "2026-11-05", "--format", "json"]));
    assert_eq!(
        value["runs"],
        json!([
            {"group": "finance", "action": "extend-ttl", "runs": 1},
            {"group": "payments", "action": "extend-ttl", "runs": 2},
        ])
    );
    // The merge (Nov 6th) and the environment's creation (Oct 30th) are outside.
    assert_eq!(value["merges"], json!([]));
    assert_eq!(value["environments"], json!([]));
}
