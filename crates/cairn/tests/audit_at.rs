//! `cairn audit at`: the catalog and findings of an earlier day, as `cairn check` gave them on a
//! checkout of that day; judged by that day's rules, or by another revision's.

mod support;

use serde_json::Value;
use support::{GitRepo, cairn, commit_at, git_in};

/// Three days of a platform: a clean start, a day with an error in an entity, and a fix that
/// also tightens the rules with a policy that the first day's catalog would fail.
fn history() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("cairn.yaml", "version: 1\nlibrary:\n  policies: false\n")
        .write(
            "blueprints/service.yaml",
            "identifier: service\nschema:\n  properties:\n    tier: {type: string, enum: [gold, silver, bronze]}\n",
        )
        .write("catalog/cart.yaml", "identifier: cart\nblueprint: service\nproperties:\n  tier: silver\n");
    commit_at(&repo, "Ada", "Start the platform", "2026-11-02T10:00:00Z");
    repo.write("catalog/ledger.yaml", "identifier: ledger\nblueprint: service\nproperties:\n  tier: platinum\n");
    commit_at(&repo, "Grace", "Add the ledger (#2)", "2026-11-05T16:30:00Z");
    repo.write("catalog/ledger.yaml", "identifier: ledger\nblueprint: service\nproperties:\n  tier: gold\n")
        .write("catalog/cart.yaml", "identifier: cart\nblueprint: service\nproperties:\n  tier: gold\n")
        .write(
            "policies/tiers.rego",
            "# METADATA\n# title: Silver is retired\n# custom:\n#   code: TIER001\npackage tiers\n\n\
             deny contains {\"msg\": sprintf(\"`%s` is silver\", [input.identifier]), \"field\": \"properties.tier\"} if {\n\
             \tinput.properties.tier == \"silver\"\n}\n",
        );
    commit_at(&repo, "Ada", "Retire silver (#3)", "2026-11-09T09:00:00Z");
    repo
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("JSON ({error}): {text}"))
}

#[test]
fn a_past_day_reproduces_the_findings_of_a_checkout_of_that_day() {
    let repo = history();
    let audit = cairn(&repo.path, &["audit", "at", ".", "--at", "2026-11-05", "--format", "json"]);
    assert_eq!(audit.code, 1, "the ledger's tier was wrong that day: {}\n{}", audit.stdout, audit.stderr);
    let day_two = repo.git(&["rev-parse", "HEAD~1"]).trim().to_owned();
    assert!(audit.stderr.contains(&format!("as of commit {day_two}")), "{}", audit.stderr);

    // A checkout of that day's commit, checked on that day.
    let checkout = tempfile::tempdir().expect("a temporary directory");
    let path = checkout.path().join("platform");
    git_in(checkout.path(), &["clone", "--quiet", repo.path.to_str().expect("UTF-8"), "platform"]);
    git_in(&path, &["checkout", "--quiet", &day_two]);
    let check = cairn(&path, &["check", ".", "--format", "json", "--now", "2026-11-05T23:59:59.999999999Z"]);
    assert_eq!(check.code, audit.code, "{}", check.stderr);
    let (audit, check) = (json(&audit.stdout), json(&check.stdout));
    assert_eq!(
        serde_json::to_string(&audit["diagnostics"]).expect("JSON"),
        serde_json::to_string(&check["diagnostics"]).expect("JSON"),
        "the same findings, byte for byte"
    );
    assert_eq!(audit["summary"], check["summary"]);
    let codes: Vec<&str> = audit["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|finding| finding["code"].as_str())
        .collect();
    assert_eq!(codes, ["E0303"], "{audit:#}");
}

#[test]
fn the_first_day_passed_its_own_rules_and_fails_todays() {
    let repo = history();
    let own = cairn(&repo.path, &["audit", "at", ".", "--at", "2026-11-02"]);
    assert_eq!(own.code, 0, "{}\n{}", own.stdout, own.stderr);

    let today =
        cairn(&repo.path, &["audit", "at", ".", "--at", "2026-11-02", "--rules-from", "main", "--format", "json"]);
    assert_eq!(today.code, 1, "{}\n{}", today.stdout, today.stderr);
    let report = json(&today.stdout);
    let findings: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|finding| {
            (finding["code"].as_str().unwrap_or("").to_owned(), finding["message"].as_str().unwrap_or("").to_owned())
        })
        .collect();
    assert!(
        findings.contains(&("TIER001".to_owned(), "`cart` is silver".to_owned())),
        "today's policy judges the first day's cart: {findings:?}"
    );
    // A revision names the day as well as a date does.
    let first = repo.git(&["rev-list", "--max-parents=0", "HEAD"]).trim().to_owned();
    let by_revision = cairn(&repo.path, &["audit", "at", ".", "--at", &first]);
    assert_eq!(by_revision.code, 0, "{}", by_revision.stderr);
    // The same commit is read (a day's revision is named by its commit id).
    let unnamed =
        |text: &str| text.split('`').enumerate().filter(|(n, _)| n % 2 == 0).map(|(_, part)| part).collect::<String>();
    assert_eq!(unnamed(&by_revision.stdout), unnamed(&own.stdout));
    assert!(by_revision.stdout.contains(&format!("({})", &first[..12])), "{}", by_revision.stdout);
}

#[test]
fn a_day_before_the_history_or_a_revision_that_does_not_exist_is_an_error() {
    let repo = history();
    let early = cairn(&repo.path, &["audit", "at", ".", "--at", "2026-10-01"]);
    assert_eq!(early.code, 2, "{}", early.stderr);
    assert!(early.stderr.contains("no commit made by 2026-10-01"), "{}", early.stderr);
    let missing = cairn(&repo.path, &["audit", "at", ".", "--at", "no-such-branch"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(missing.stderr.contains("no-such-branch"), "{}", missing.stderr);
}
