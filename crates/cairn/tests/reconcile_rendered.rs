//! `cairn render --verify`: a commit of the rendered branch (published by the engine, as
//! `cairn reconcile` publishes it) checked against its source commit rendered again.

mod support;

use std::path::Path;

use cairn_engine::{Published, publish_rendered};
use cairn_source::Source;
use support::{GitRepo, cairn};

const BRANCH: &str = "rendered/main";
const TEAM: &str = "identifier: payments\nblueprint: _team\ntitle: Payments\n";
const SYSTEM: &str = "identifier: shop\nblueprint: System\nteam: payments\nproperties:\n  lifecycle: production\nrelations:\n  domain: retail\n";
const DOMAIN: &str = "identifier: retail\nblueprint: Domain\n";
const CART: &str = "identifier: cart\nblueprint: Component\nteam: payments\nproperties:\n  type: service\n  lifecycle: production\nrelations:\n  system: shop\n";
const TEMPLATE: &str = "title: Notes\nblueprint: Component\neach: entity\noutputs:\n  - path: \"notes/{{ entity.identifier }}.txt\"\n    template: note.j2\n";

/// A platform with one component and a template writing a note for it, committed, with its
/// rendering published to the rendered branch; returns the rendered commit.
fn published() -> (GitRepo, String) {
    let repo = GitRepo::new();
    repo.write("cairn.yaml", "version: 1\n")
        .write("catalog/payments.yaml", TEAM)
        .write("catalog/shop.yaml", SYSTEM)
        .write("catalog/retail.yaml", DOMAIN)
        .write("catalog/cart.yaml", CART)
        .write("templates/notes/template.yaml", TEMPLATE)
        .write("templates/notes/note.j2", "{{ entity.identifier }} is {{ entity.properties.lifecycle }}\n");
    repo.commit("Alice", "A platform with a golden path");
    let source = Source::git(&repo.path, "HEAD").expect("a revision");
    let published = publish_rendered(&source, BRANCH, "0.0.0-test");
    let Ok(Published::Committed { commit }) = published else {
        panic!("not committed: {}", published.map_or_else(|error| error.to_string(), |outcome| format!("{outcome:?}")))
    };
    (repo, commit.to_string())
}

fn run(dir: &Path, args: &[&str]) -> support::Run {
    cairn(dir, args)
}

#[test]
fn a_published_commit_verifies() {
    let (repo, commit) = published();
    let source = repo.git(&["rev-parse", "main"]).trim().to_owned();
    let verified = run(&repo.path, &["render", "--verify", BRANCH]);
    assert_eq!(verified.code, 0, "{}{}", verified.stdout, verified.stderr);
    assert!(
        verified.stdout.contains(&format!("`{}` is the rendering of `{source}`: sha256:", &commit[..12])),
        "{}",
        verified.stdout
    );

    let json = run(&repo.path, &["render", "--verify", &commit, "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(report["identical"], true);
    assert_eq!(report["source_commit"], source.as_str());
    assert_eq!(report["digest"], report["claimed_digest"]);
    assert_eq!(report["differing"], serde_json::json!([]));
}

#[test]
fn the_published_tree_is_what_render_out_writes() {
    let (repo, _) = published();
    let time = repo.git(&["log", "-1", "--format=%cI", "main"]).trim().to_owned();
    let out = tempfile::tempdir().expect("a temporary directory");
    let folder = out.path().join("out");
    let folder = folder.to_str().expect("a UTF-8 path");
    let rendered = run(&repo.path, &["render", "--rev", "main", "--out", folder, "--now", &time]);
    assert_eq!(rendered.code, 0, "{}{}", rendered.stdout, rendered.stderr);
    for path in ["notes/cart.txt", ".cairn/manifest.json"] {
        let written = std::fs::read_to_string(Path::new(folder).join(path)).expect("written");
        let committed = repo.git(&["show", &format!("{BRANCH}:{path}")]);
        assert_eq!(written, committed, "{path}");
    }
}

#[test]
fn a_tampered_commit_names_the_paths_that_differ() {
    let (repo, _) = published();
    let message = repo.git(&["log", "-1", "--format=%B", BRANCH]);
    repo.git(&["checkout", "--quiet", BRANCH]);
    // Checked out, the work tree holds the rendered files only.
    repo.write("notes/cart.txt", "cart is tampered\n");
    repo.commit("Mallory", message.trim());

    let verified = run(&repo.path, &["render", "--verify", "HEAD", "--format", "json"]);
    assert_eq!(verified.code, 1, "{}{}", verified.stdout, verified.stderr);
    let report: serde_json::Value = serde_json::from_str(&verified.stdout).expect("JSON");
    assert_eq!(report["identical"], false);
    assert_eq!(report["differing"], serde_json::json!(["notes/cart.txt"]));

    let human = run(&repo.path, &["render", "--verify", "HEAD"]);
    assert_eq!(human.code, 1);
    assert!(human.stdout.contains("differs  notes/cart.txt"), "{}", human.stdout);
}

#[test]
fn a_commit_cairn_did_not_render_is_refused() {
    let (repo, _) = published();
    let verified = run(&repo.path, &["render", "--verify", "main"]);
    assert_eq!(verified.code, 2, "{}{}", verified.stdout, verified.stderr);
    assert!(verified.stderr.contains("is not a cairn rendered commit"), "{}", verified.stderr);
    let unknown = run(&repo.path, &["render", "--verify", "no-such-branch"]);
    assert_eq!(unknown.code, 2);
}

#[test]
fn out_is_required_without_verify() {
    let (repo, _) = published();
    let missing = run(&repo.path, &["render"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("--out"), "{}", missing.stderr);
}
