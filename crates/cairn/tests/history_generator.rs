//! `benches/history.py`, the audit benchmark's history generator: run twice into temp dirs, it
//! makes the same commits (fixed seed, people and dates), as many as asked, and `cairn audit`
//! reads from them what the generator says it wrote. Small enough for CI (100 entities, 60
//! commits: well under a second for the generator); it needs `python3` and `git`, as CI has.

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use support::{cairn, project_dir};

const ENTITIES: &str = "100";
const COMMITS: &str = "60";

/// Runs the generator into `out`: its one-line JSON summary.
fn generate(out: &Path) -> Value {
    let output = Command::new("python3")
        .arg(project_dir().join("benches/history.py"))
        .args(["--entities", ENTITIES, "--commits", COMMITS])
        .arg(out)
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "history.py: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("history.py prints its summary as JSON")
}

fn git(repo: &Path, args: &[&str]) -> String {
    let output = Command::new("git").arg("-C").arg(repo).args(args).output().expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("git prints UTF-8").trim().to_owned()
}

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).expect("cairn prints JSON")
}

fn count(value: &Value) -> u64 {
    value.as_u64().expect("a count in the summary")
}

#[test]
fn the_history_is_deterministic_and_audit_reads_what_it_wrote() {
    let temp = tempfile::tempdir().expect("a temp dir");
    let (first, second) = (temp.path().join("first"), temp.path().join("second"));
    let summary = generate(&first);
    assert_eq!(generate(&second), summary, "the same summary both times");

    // The same commits, as many as asked, some of them merges.
    let head = git(&first, &["rev-parse", "main"]);
    assert_eq!(head, summary["head"].as_str().expect("the tip in the summary"));
    assert_eq!(git(&second, &["rev-parse", "main"]), head, "the same tip both times");
    assert_eq!(git(&first, &["rev-list", "--count", "main"]), COMMITS);
    let first_parent: u64 = git(&first, &["rev-list", "--count", "--first-parent", "main"]).parse().expect("a count");
    assert_eq!(first_parent, count(&summary["firstParent"]));
    assert!(count(&summary["merges"]) > 0, "some pull requests are merged with a merge commit: {summary}");
    assert!(git(&first, &["log", "--format=%B", "main"]).contains("Cairn-Action: "), "some commits are runs");
    // The work tree is the tip, and the tip is valid: every error introduced was fixed.
    assert_eq!(git(&first, &["status", "--porcelain"]), "");
    let check = cairn(&first, &["check", ".", "--format", "json"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);

    // Every change, and the busiest entity's.
    let log = cairn(&first, &["audit", "log", ".", "--format", "json"]);
    assert_eq!(log.code, 0, "{}", log.stderr);
    let entries = json(&log.stdout)["entries"].as_array().expect("entries").len() as u64;
    assert_eq!(entries, count(&summary["changes"]));
    let busiest = summary["busiest"].as_str().expect("an entity");
    let one = cairn(&first, &["audit", "log", ".", "--entity", busiest, "--format", "json"]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    let entries = json(&one.stdout)["entries"].as_array().expect("entries").len() as u64;
    assert_eq!(entries, count(&summary["busiestChanges"]));

    // One change per first-parent commit; the errors introduced each have a lifetime that ends.
    let report = cairn(&first, &["audit", "report", ".", "--format", "json"]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let report = json(&report.stdout);
    assert_eq!(report["changes"].as_array().expect("changes").len() as u64, first_parent);
    let violations = report["violations"].as_array().expect("violations");
    assert!(violations.len() as u64 >= count(&summary["errors"]), "{violations:?}");
    assert!(violations.iter().all(|violation| violation["stillPresent"] == false), "{violations:?}");

    let stats = cairn(&first, &["audit", "stats", ".", "--format", "json"]);
    assert_eq!(stats.code, 0, "{}", stats.stderr);
}
