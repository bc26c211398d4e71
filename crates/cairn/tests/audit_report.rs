//! `cairn audit report`: the real binary over a history made here with fixed people and dates
//! (so commit ids, and the snapshot, never change): a violation that lived for three commits, a
//! change to a policy made together with an entity, several authors, and a signed commit.

mod support;

use std::io::Write;
use std::process::Command;

use serde_json::Value;
use support::{GitRepo, cairn, commit_at, git_in, merge_at};

fn service(identifier: &str, tier: &str) -> String {
    format!("identifier: {identifier}\nblueprint: service\nproperties:\n  tier: {tier}\n")
}

/// Six changes, oldest first: Ada starts the platform (2nd); Grace adds the ledger with a tier
/// the blueprint does not allow (#2, 3rd); Linus adds the shop (4th) and Ada raises it (5th),
/// neither touching the ledger; Grace fixes the ledger's tier (#5, 6th), so its error lived
/// three commits and three days; Ada adds a policy that retires silver together with a billing
/// entity whose tier the rules in force refuse (#6, 9th).
fn history() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("cairn.yaml", "version: 1\nlibrary:\n  policies: false\n")
        .write(
            "blueprints/service.yaml",
            "identifier: service\nschema:\n  properties:\n    tier: {type: string, enum: [gold, silver, bronze]}\n",
        )
        .write("catalog/cart.yaml", &service("cart", "silver"));
    commit_at(&repo, "Ada", "Start the platform", "2026-11-02T10:00:00Z");
    repo.write("catalog/ledger.yaml", &service("ledger", "platinum"));
    commit_at(&repo, "Grace", "Add the ledger (#2)", "2026-11-03T10:00:00Z");
    repo.write("catalog/shop.yaml", &service("shop", "bronze"));
    commit_at(&repo, "Linus", "Add the shop", "2026-11-04T10:00:00Z");
    repo.write("catalog/shop.yaml", &service("shop", "gold"));
    commit_at(&repo, "Ada", "Raise the shop", "2026-11-05T10:00:00Z");
    repo.write("catalog/ledger.yaml", &service("ledger", "gold"));
    commit_at(&repo, "Grace", "Fix the ledger's tier (#5)", "2026-11-06T10:00:00Z");
    repo.write(
        "policies/tiers.rego",
        "# METADATA\n# title: Silver is retired\n# custom:\n#   code: TIER001\npackage tiers\n\n\
         deny contains {\"msg\": sprintf(\"`%s` is silver\", [input.identifier]), \"field\": \"properties.tier\"} if {\n\
         \tinput.properties.tier == \"silver\"\n}\n",
    )
    .write("catalog/billing.yaml", &service("billing", "platinum"));
    commit_at(&repo, "Ada", "Retire silver, add billing (#6)", "2026-11-09T09:00:00Z");
    repo
}

/// Commits what is staged as `author` at `date`, then gives the commit a `gpgsig` header (an SSH
/// signature block, as `git commit -S` with `gpg.format=ssh` writes it) by rewriting the commit
/// object with git's own plumbing. cairn reports that a commit is signed, not whether the
/// signature verifies, so the block's content does not matter, and the test needs no key tools.
fn commit_signed(repo: &GitRepo, author: &str, message: &str, date: &str) {
    commit_at(repo, author, message, date);
    let raw = repo.git(&["cat-file", "commit", "HEAD"]);
    let (headers, body) = raw.split_once("\n\n").expect("a commit has headers and a message");
    let signed = format!(
        "{headers}\ngpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lHAAAAAQ==\n -----END SSH SIGNATURE-----\n\n{body}\n"
    );
    let mut write = Command::new("git")
        .args(["hash-object", "-t", "commit", "-w", "--stdin"])
        .current_dir(&repo.path)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("git runs");
    write.stdin.take().expect("stdin").write_all(signed.as_bytes()).expect("the commit written");
    let output = write.wait_with_output().expect("git ends");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let id = String::from_utf8(output.stdout).expect("UTF-8").trim().to_owned();
    repo.git(&["update-ref", "HEAD", &id]);
    assert!(repo.git(&["cat-file", "commit", "HEAD"]).contains("gpgsig -----BEGIN SSH SIGNATURE-----"));
}

fn report(repo: &GitRepo, extra: &[&str]) -> support::Run {
    let mut args = vec!["audit", "report", "."];
    args.extend_from_slice(extra);
    cairn(&repo.path, &args)
}

fn json(repo: &GitRepo, extra: &[&str]) -> Value {
    let mut args = extra.to_vec();
    args.extend_from_slice(&["--format", "json"]);
    let run = report(repo, &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|error| panic!("JSON ({error}): {}", run.stdout))
}

fn head(repo: &GitRepo, back: usize) -> String {
    repo.git(&["rev-parse", &format!("HEAD~{back}")]).trim().to_owned()
}

/// The done-when: the report names the change that slipped a violation in, and how long
/// it lived: introduced by the ledger's commit, present through two unrelated commits, removed
/// by the fix three days later.
#[test]
fn the_report_names_the_change_that_slipped_a_violation_in_and_how_long_it_lived() {
    let repo = history();
    let report = json(&repo, &[]);
    let changes = report["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 6);
    let ledger = &changes[1];
    assert_eq!(ledger["commit"]["id"], head(&repo, 4));
    assert_eq!(ledger["commit"]["pullRequest"], 2);
    assert_eq!(ledger["passed"], false);
    assert_eq!(ledger["checksBypassed"], true);
    assert_eq!(ledger["rulesChanged"], false);
    let introduced = ledger["introduced"].as_array().expect("introduced");
    assert_eq!(introduced.len(), 1, "{introduced:?}");
    assert_eq!(introduced[0]["entity"], "service:ledger");
    assert_eq!(introduced[0]["file"], "catalog/ledger.yaml");
    // The unrelated commits pass nothing new in, though the ledger's error is still there.
    for unrelated in &changes[2..4] {
        assert_eq!(unrelated["introduced"], serde_json::json!([]));
        assert_eq!(unrelated["passed"], false);
    }
    let violations = report["violations"].as_array().expect("violations");
    let lived: Vec<&Value> =
        violations.iter().filter(|violation| violation["finding"]["entity"] == "service:ledger").collect();
    assert_eq!(lived.len(), 1, "{violations:?}");
    assert_eq!(lived[0]["introducedBy"], head(&repo, 4));
    assert_eq!(lived[0]["removedBy"], head(&repo, 1));
    assert_eq!(lived[0]["commits"], 3);
    assert_eq!(lived[0]["seconds"], 3 * 86_400);
    assert_eq!(lived[0]["stillPresent"], false);
}

/// A change that edits a policy together with an entity is judged by its parent's rules, and
/// flagged; its new policy's findings start a violation by the commit's own rules that is still
/// present at the end.
#[test]
fn a_change_to_a_policy_with_an_entity_is_flagged() {
    let repo = history();
    let report = json(&repo, &[]);
    let change = &report["changes"][5];
    assert_eq!(change["commit"]["subject"], "Retire silver, add billing (#6)");
    assert_eq!(change["rulesChanged"], true);
    assert_eq!(change["checksBypassed"], true);
    assert_eq!(
        change["ruleFiles"],
        serde_json::json!([{"path": "policies/tiers.rego", "kind": "policy", "change": "added"}])
    );
    assert_eq!(change["entities"], serde_json::json!({"added": 1, "modified": 0, "removed": 0}));
    // Judged by the parent's rules: the billing tier, not the new policy's finding about cart.
    let entities: Vec<&Value> =
        change["introduced"].as_array().expect("introduced").iter().map(|f| &f["entity"]).collect();
    assert_eq!(entities, ["service:billing"]);
    let still: Vec<(&Value, &Value)> = report["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .filter(|violation| violation["stillPresent"] == true)
        .map(|violation| (&violation["finding"]["code"], &violation["finding"]["entity"]))
        .collect();
    assert!(still.iter().any(|(code, entity)| *code == "TIER001" && *entity == "service:cart"), "{still:?}");
    assert!(still.iter().any(|(_, entity)| *entity == "service:billing"), "{still:?}");
    let markdown = report_markdown(&repo);
    assert!(markdown.contains("**rules changed in the same change**: `policies/tiers.rego`"), "{markdown}");
}

fn report_markdown(repo: &GitRepo) -> String {
    let run = report(repo, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

/// The whole report for people, snapshotted; the same history gives the same bytes.
#[test]
fn the_report_for_people() {
    let repo = history();
    let markdown = report_markdown(&repo);
    assert_eq!(markdown, report_markdown(&repo), "deterministic");
    // Several authors, each with the changes they made.
    for author in ["Ada <ada@example.com>", "Grace <grace@example.com>", "Linus <linus@example.com>"] {
        assert!(markdown.contains(author), "{author}: {markdown}");
    }
    insta::assert_snapshot!("markdown", markdown);
}

/// JSON and CSV carry the same records: one CSV `change` row per change, one `violation` row
/// per violation.
#[test]
fn csv_carries_what_json_does() {
    let repo = history();
    let report = json(&repo, &[]);
    let run = self::report(&repo, &["--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = |record: &str| run.stdout.lines().filter(|line| line.starts_with(&format!("{record},"))).count();
    assert_eq!(rows("change"), report["changes"].as_array().expect("changes").len());
    assert_eq!(rows("violation"), report["violations"].as_array().expect("violations").len());
    assert_eq!(rows("rule_file"), 3, "the first commit's settings and blueprint, and the policy: {}", run.stdout);
    insta::assert_snapshot!("csv", run.stdout);
}

/// A signed commit is reported signed (not verified); the others unsigned.
#[test]
fn a_signed_commit_is_reported() {
    let repo = history();
    repo.write("catalog/shop.yaml", &service("shop", "bronze"));
    commit_signed(&repo, "Linus", "Lower the shop, signed", "2026-11-10T10:00:00Z");
    let report = json(&repo, &["--since", "2026-11-09"]);
    let signed: Vec<(&Value, &Value)> = report["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|change| (&change["commit"]["subject"], &change["signed"]))
        .collect();
    assert_eq!(
        signed,
        [
            (&Value::from("Retire silver, add billing (#6)"), &Value::from(false)),
            (&Value::from("Lower the shop, signed"), &Value::from(true))
        ]
    );
    let markdown = report_markdown(&repo);
    assert!(markdown.contains("| Linus <linus@example.com> | signed (not verified) |"), "{markdown}");
}

/// A period with no commit exits 1 and says so; a date that does not parse exits 2.
#[test]
fn an_empty_period_and_a_bad_date() {
    let repo = history();
    let empty = report(&repo, &["--since", "2026-12-01"]);
    assert_eq!(empty.code, 1, "{}", empty.stderr);
    assert!(empty.stdout.is_empty());
    assert!(empty.stderr.contains("no commit of `HEAD` in the dates given"), "{}", empty.stderr);
    let bad = report(&repo, &["--until", "last tuesday"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("`last tuesday` is neither"), "{}", bad.stderr);
    // A window: only the changes committed in it, with the violation introduced before it not
    // counted as introduced in it.
    let window = json(&repo, &["--since", "2026-11-04", "--until", "2026-11-05"]);
    assert_eq!(window["changes"].as_array().expect("changes").len(), 2);
    assert_eq!(window["violations"], serde_json::json!([]));
}

/// A pull request merged with a merge commit is one change: the merge, judged against its first
/// parent, is what slipped the branch's error in; the branch's own commits are not listed.
#[test]
fn a_merge_is_the_change_that_brings_a_branch_in() {
    let repo = history();
    repo.git(&["checkout", "--quiet", "-b", "feature"]);
    repo.write("catalog/queue.yaml", &service("queue", "copper"));
    commit_at(&repo, "Linus", "Add the queue", "2026-11-10T10:00:00Z");
    repo.git(&["checkout", "--quiet", "main"]);
    merge_at(&repo, "Grace", "feature", "Merge pull request #7 from linus/queue", "2026-11-11T10:00:00Z");
    let report = json(&repo, &["--since", "2026-11-10"]);
    let changes = report["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "only the merge: {changes:?}");
    let merge = &changes[0];
    assert_eq!(merge["commit"]["pullRequest"], 7);
    assert_eq!(merge["commit"]["committer"]["name"], "GitHub");
    assert_eq!(merge["commit"]["parents"].as_array().expect("parents").len(), 2);
    assert_eq!(merge["entities"], serde_json::json!({"added": 1, "modified": 0, "removed": 0}));
    let introduced: Vec<&Value> =
        merge["introduced"].as_array().expect("introduced").iter().map(|finding| &finding["entity"]).collect();
    assert_eq!(introduced, ["service:queue"]);
}

/// A revision that does not exist and a shallow clone are errors (exit 2), the latter naming the
/// commit where the history is cut: a report that stopped there would take it for the beginning.
#[test]
fn a_missing_revision_and_a_shallow_clone_are_errors() {
    let repo = history();
    let missing = report(&repo, &["--rev", "no-such-branch"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(missing.stderr.contains("no-such-branch"), "{}", missing.stderr);
    let clone = tempfile::tempdir().expect("a temporary directory");
    let url = format!("file://{}", repo.path.display());
    git_in(clone.path(), &["clone", "--quiet", "--depth", "2", &url, "shallow"]);
    let run = cairn(&clone.path().join("shallow"), &["audit", "report", "."]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let cut = repo.git(&["rev-parse", "HEAD~1"]);
    assert!(
        run.stderr.contains(&format!("error: the history of `HEAD` is cut short at commit `{}`", cut.trim())),
        "{}",
        run.stderr
    );
}
