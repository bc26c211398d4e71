//! Reports for GitHub and for tools, for a platform in a folder of a larger git repository:
//! every path is the repository's (`platform/…`), URIs and links are percent-encoded, removed
//! entities link to the base, and the SARIF log is valid against the official SARIF 2.1.0 schema.

mod support;

use std::process::Command;

use serde_json::Value;
use support::GitRepo;

const DOMAIN: &str = "identifier: shop\nblueprint: Domain\n";

fn system(id: &str, domain: &str) -> String {
    format!(
        "identifier: {id}\nblueprint: System\nproperties:\n  lifecycle: production\nrelations:\n  domain: {domain}\n"
    )
}

/// The awkward path: a space, a `#`, a `%` and a non-ASCII letter.
const AWKWARD: &str = "catalog/my team/#1 100% café.yaml";
const AWKWARD_URI: &str = "catalog/my%20team/%231%20100%25%20caf%C3%A9.yaml";

/// A repository with its platform in `platform/`: the base has `old` and a broken system at
/// the awkward path; the branch `change` removes `old` and adds a broken `cart`.
fn repository() -> (GitRepo, String, String) {
    let repo = GitRepo::new();
    repo.write("README.md", "A larger repository\n")
        .write("platform/catalog/shop.yaml", DOMAIN)
        .write("platform/catalog/old.yaml", &system("old", "shop"))
        .write(&format!("platform/{AWKWARD}"), &system("awkward", "nowhere"));
    let base = repo.commit("Alice", "The base");
    repo.git(&["checkout", "--quiet", "-b", "change"]);
    std::fs::remove_file(repo.path.join("platform/catalog/old.yaml")).expect("remove old");
    repo.write("platform/catalog/cart.yaml", &system("cart", "nowhere"));
    let head = repo.commit("Bob", "Add cart, drop old");
    (repo, base, head)
}

/// Runs `cairn` in `dir` as GitHub Actions would for `acme/platform`.
fn cairn(dir: &std::path::Path, args: &[&str]) -> support::Run {
    Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme/platform")
        .output()
        .expect("the cairn binary runs")
        .into()
}

/// The official SARIF 2.1.0 schema (tests/sarif/README.md says where it comes from), validating
/// formats as draft-07 does, so that `artifactLocation.uri` must be a URI reference.
fn sarif_errors(log: &Value) -> Vec<String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sarif/sarif-schema-2.1.0.json"))
        .expect("the vendored schema");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles");
    validator.iter_errors(log).map(|error| format!("{}: {error}", error.instance_path())).collect()
}

#[test]
fn the_schema_refuses_a_path_that_is_not_a_uri() {
    let log = serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "cairn"}}, "results": [{
            "message": {"text": "x"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "platform/my team/#1 %.yaml"}}}],
        }]}],
    });
    assert!(!sarif_errors(&log).is_empty(), "a raw space, `#` and `%` are not a URI reference");
}

#[test]
fn a_platform_in_a_subfolder_reports_paths_from_the_git_root_encoded_where_they_are_uris() {
    let (repo, ..) = repository();

    // Read from disk, from the repository's root and from inside the platform.
    for (dir, path) in [(repo.path.clone(), "platform"), (repo.path.join("platform"), ".")] {
        let run = cairn(&dir, &["check", path, "--format", "github"]);
        assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
        assert!(
            run.stdout.contains("::error file=platform/catalog/cart.yaml,line=6,"),
            "annotations name the repository's path: {}",
            run.stdout
        );
        assert!(
            run.stdout.contains("::error file=platform/catalog/my team/#1 100%25 café.yaml,line=6,"),
            "{}",
            run.stdout
        );

        let run = cairn(&dir, &["check", path, "--format", "json"]);
        let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
        let files: Vec<&str> =
            report["diagnostics"].as_array().expect("a list").iter().filter_map(|d| d["file"].as_str()).collect();
        assert_eq!(files, ["platform/catalog/cart.yaml", &format!("platform/{AWKWARD}")], "{report}");
    }

    // At a revision, as SARIF: valid against the official schema, its URIs percent-encoded.
    let run = cairn(&repo.path, &["check", "platform", "--rev", "change", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    assert_eq!(sarif_errors(&log), Vec::<String>::new());
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert_eq!(uris, ["platform/catalog/cart.yaml", &format!("platform/{AWKWARD_URI}")]);
}

#[test]
fn plan_links_point_into_the_subfolder_and_a_removed_entity_links_to_the_base() {
    let (repo, base, head) = repository();
    let run = cairn(&repo.path, &["plan", "platform", "--base", "main", "--head", "change", "--format", "markdown"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let comment = &run.stdout;
    let blob = "https://github.com/acme/platform/blob";
    assert!(
        comment.contains(&format!("[platform/catalog/cart.yaml:6]({blob}/{head}/platform/catalog/cart.yaml#L6)")),
        "{comment}"
    );
    assert!(
        comment.contains(&format!(
            "- **removed** `System:old` in [platform/catalog/old.yaml:1]({blob}/{base}/platform/catalog/old.yaml#L1)"
        )),
        "a removed entity's file is at the base only: {comment}"
    );
    assert!(
        comment.contains(&format!(
            "[platform/catalog/my team/#1 100% café.yaml:6]({blob}/{head}/platform/{AWKWARD_URI}#L6)"
        )),
        "{comment}"
    );
    assert!(
        comment.contains(
            "| `E0309` | a relation names an entity that does not exist | 1 | 1 | [platform/catalog/cart.yaml:6]("
        ),
        "the per-code summary: {comment}"
    );

    let run = cairn(&repo.path, &["plan", "platform", "--base", "main", "--head", "change", "--format", "sarif"]);
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    assert_eq!(sarif_errors(&log), Vec::<String>::new());
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "platform/catalog/cart.yaml"
    );
}

/// The shapes scripts and code scanning read, snapshotted: `cairn plan --format json`, the SARIF
/// log of a plan, and `cairn check --summary` (human and JSON). Commits at fixed dates keep the
/// SHAs in them fixed.
#[test]
fn the_shapes_for_scripts_and_code_scanning() {
    let repo = GitRepo::new();
    repo.write("README.md", "A larger repository\n")
        .write("platform/catalog/shop.yaml", DOMAIN)
        .write("platform/catalog/old.yaml", &system("old", "shop"))
        .write(&format!("platform/{AWKWARD}"), &system("awkward", "nowhere"));
    support::commit_at(&repo, "Alice", "The base", "2026-11-20T10:00:00Z");
    repo.git(&["checkout", "--quiet", "-b", "change"]);
    std::fs::remove_file(repo.path.join("platform/catalog/old.yaml")).expect("remove old");
    repo.write("platform/catalog/cart.yaml", &system("cart", "nowhere"))
        .write("platform/catalog/dup.yaml", "- identifier: shop\n  blueprint: Domain\n");
    support::commit_at(&repo, "Bob", "Add cart, drop old", "2026-11-21T10:00:00Z");

    let plan = ["plan", "platform", "--base", "main", "--head", "change"];
    let json = cairn(&repo.path, &[&plan[..], &["--format", "json"]].concat());
    assert_eq!(json.code, 1, "{}", json.stderr);
    insta::assert_snapshot!("plan-json", json.stdout);
    let sarif = cairn(&repo.path, &[&plan[..], &["--format", "sarif", "--strict"]].concat());
    let log: Value = serde_json::from_str(&sarif.stdout).expect("SARIF is JSON");
    assert_eq!(sarif_errors(&log), Vec::<String>::new());
    insta::assert_snapshot!("plan-sarif", sarif.stdout.replace(env!("CARGO_PKG_VERSION"), "[version]"));

    let human = cairn(&repo.path.join("platform"), &["check", "--summary"]);
    let json = cairn(&repo.path.join("platform"), &["check", "--summary", "--format", "json"]);
    let report: Value = serde_json::from_str(&json.stdout).expect("JSON");
    insta::assert_snapshot!(
        "check-summary",
        format!("exit {}\n{}--- json summary\n{:#}", human.code, human.stdout, report["summary"])
    );
}
