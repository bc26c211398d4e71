//! `cairn check --rev`: reading a platform repository from git objects, in real repositories
//! made with git in temporary directories.

mod support;

use std::fs;
use std::path::Path;
use std::process::Command;

use support::{GitRepo, cairn, commit_at, copy_tree, finding_lines, git_in};

const DOMAIN: &str = "identifier: shop\nblueprint: Domain\n";
const SYSTEM: &str =
    "identifier: checkout\nblueprint: System\nproperties:\n  lifecycle: production\nrelations:\n  domain: shop\n";

/// A repository whose first commit is clean, whose second breaks a relation, and whose work
/// tree then breaks something else without committing it.
fn history() -> (GitRepo, String) {
    let repo = GitRepo::new();
    repo.write("catalog/shop.yaml", DOMAIN).write("catalog/checkout.yaml", SYSTEM);
    let clean = repo.commit("Alice", "Add the shop domain and the checkout system");
    repo.git(&["tag", "v1"]);
    repo.write("catalog/checkout.yaml", &SYSTEM.replace("domain: shop", "domain: shoop"));
    repo.commit("Bob", "Move checkout to another domain");
    repo.write("catalog/shop.yaml", "identifier: shop\nblueprint: Domian\n");
    (repo, clean)
}

fn check_rev(dir: &Path, path: &str, rev: &str) -> (i32, Vec<String>) {
    let run = cairn(dir, &["check", path, "--rev", rev, "--format", "json"]);
    let report: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("JSON:\n{}\n{}", run.stdout, run.stderr));
    (run.code, finding_lines(&report))
}

#[test]
fn any_revision_is_read_from_git_objects_not_the_work_tree() {
    let (repo, clean) = history();
    for rev in ["HEAD~1", "v1", clean.as_str(), &clean[..10], "main^"] {
        let (code, findings) = check_rev(&repo.path, ".", rev);
        assert_eq!((code, findings), (0, Vec::new()), "revision {rev}");
    }
    let (code, findings) = check_rev(&repo.path, ".", "HEAD");
    assert_eq!(code, 1);
    assert_eq!(
        findings,
        [
            "catalog/checkout.yaml:6:11 E0309 error relation `domain` names `shoop`, but there is no `Domain` entity `shoop`"
        ]
    );
    // The work tree holds an uncommitted error that only a directory check sees.
    let run = cairn(&repo.path, &["check", "."]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("there is no blueprint `Domian`"), "{}", run.stdout);
}

#[test]
fn a_bare_clone_is_read_the_same_way() {
    let (repo, _) = history();
    let bare = repo.path.with_file_name("platform.git");
    git_in(repo.path.parent().expect("parent"), &["clone", "--quiet", "--bare", "platform", "platform.git"]);
    let (code, findings) = check_rev(&bare, ".", "HEAD~1");
    assert_eq!((code, findings), (0, Vec::new()));
    let (code, findings) = check_rev(&bare, ".", "HEAD");
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1);
}

#[test]
fn a_platform_in_a_folder_of_a_larger_repository() {
    let repo = GitRepo::new();
    repo.write("README.md", "# a monorepo\n")
        .write("platform/catalog/shop.yaml", DOMAIN)
        .write("platform/catalog/checkout.yaml", SYSTEM);
    repo.commit("Alice", "Add the platform folder");
    let (code, findings) = check_rev(&repo.path, "platform", "HEAD");
    assert_eq!((code, findings), (0, Vec::new()));
    let run = cairn(&repo.path, &["check", "platform", "--rev", "HEAD", "--color", "never"]);
    assert!(run.stdout.contains("from 2 files of `platform` at revision `HEAD`"), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn a_committed_symbolic_link_is_reported_and_not_followed() {
    let repo = GitRepo::new();
    repo.write("catalog/shop.yaml", DOMAIN);
    std::os::unix::fs::symlink("/etc/passwd", repo.path.join("catalog/passwd.yaml")).expect("symlink");
    repo.commit("Mallory", "Add a link");
    let (code, findings) = check_rev(&repo.path, ".", "HEAD");
    assert_eq!(code, 1);
    assert_eq!(
        findings,
        ["catalog/passwd.yaml:1:1 E0108 error `catalog/passwd.yaml` is a symbolic link, which cairn never follows"]
    );
}

/// Revision errors speak the user's words for every command that takes revisions: the unknown
/// name and the branches near it, never gix's internals; exit code 2.
#[test]
fn an_unknown_revision_is_named_with_the_branches_near_it() {
    let (repo, _) = history();
    repo.git(&["branch", "feature/login"]);
    let cases: [&[&str]; 4] = [
        &["check", "--rev", "mian"],
        &["check", "--base", "mian", "--head", "HEAD"],
        &["check", "--base", "HEAD", "--head", "mian"],
        &["plan", "--base", "mian", "--head", "HEAD"],
    ];
    for args in cases {
        let run = cairn(&repo.path, args);
        assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{args:?}");
        assert_eq!(run.stderr, "error: unknown revision `mian`\nhelp: did you mean `main`?\n", "{args:?}");
    }
    let run = cairn(&repo.path, &["check", "--rev", "feature/lgoin"]);
    assert_eq!(run.stderr, "error: unknown revision `feature/lgoin`\nhelp: did you mean `feature/login`?\n");
    let run = cairn(&repo.path, &["check", "--rev", "no-such-branch"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: unknown revision `no-such-branch`\nhelp: give a branch"), "{}", run.stderr);
    let run = cairn(&repo.path, &["check", "--rev", "HEAD~99"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: revision `HEAD~99` is not in the history of `HEAD`"), "{}", run.stderr);
}

/// In a clone of one commit (`actions/checkout`'s default), history is missing: every command
/// says so and how to fetch it.
#[test]
fn a_shallow_clone_says_fetch_depth_zero_for_every_command() {
    let (repo, _) = history();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let from = format!("file://{}", repo.path.display());
    git_in(dir.path(), &["clone", "--quiet", "--depth", "1", &from, "clone"]);
    let clone = dir.path().join("clone");
    let cases: [&[&str]; 3] = [
        &["check", "--rev", "HEAD~1"],
        &["check", "--base", "HEAD~1", "--head", "HEAD"],
        &["plan", "--base", "HEAD~1", "--head", "HEAD"],
    ];
    for args in cases {
        let run = cairn(&clone, args);
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(
            run.stderr,
            "error: revision `HEAD~1` is beyond the history of this shallow clone\n\
             help: this clone is shallow: fetch the whole history (`fetch-depth: 0` in `actions/checkout`, or `git fetch --unshallow`)\n",
            "{args:?}"
        );
        assert!(!run.stderr.contains("delegate"), "{}", run.stderr);
    }

    // A pull request's two commits fetched one deep each: no merge base to judge against.
    let repo = diverged(|main| {
        main.write("catalog/search.yaml", "identifier: search\nblueprint: Domain\nteam: payments\n");
    });
    let dir = tempfile::tempdir().expect("a temporary directory");
    let from = format!("file://{}", repo.path.display());
    git_in(dir.path(), &["clone", "--quiet", "--depth", "1", "--branch", "feature", &from, "clone"]);
    let clone = dir.path().join("clone");
    git_in(&clone, &["fetch", "--quiet", "--depth", "1", "origin", "main:main"]);
    let run = cairn(&clone, &["plan", "--base", "main", "--head", "feature"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stderr,
        "error: `main` and `feature` have no merge base in this clone\n\
         help: this clone is shallow: fetch the whole history (`fetch-depth: 0` in `actions/checkout`, or `git fetch --unshallow`)\n"
    );
}

/// A path outside any git repository, one that does not exist, and a folder not committed at
/// the revision are each named, with what to do.
#[test]
fn a_path_not_in_the_repository_is_named() {
    let outside = tempfile::tempdir().expect("a temporary directory");
    let run = cairn(outside.path(), &["plan", "--base", "main", "--head", "HEAD"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: `.` is not in a git repository"), "{}", run.stderr);
    assert!(run.stderr.contains("\nhelp: give the path of a git work tree"), "{}", run.stderr);
    let run = cairn(outside.path(), &["check", "missing", "--rev", "HEAD"]);
    assert_eq!((run.code, run.stderr.as_str()), (2, "error: `missing` does not exist\n"));

    let (repo, _) = history();
    repo.write("platform/cairn.yaml", "version: 1\n");
    let run = cairn(&repo.path, &["check", "platform", "--rev", "HEAD"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: revision `HEAD` has no folder `platform`\n\
         help: `platform` is not committed at `HEAD`: commit it, or check the files on disk by leaving out the revisions\n"
    );
}

const LIFECYCLE_POLICY: &str = r#"# METADATA
# title: Systems are not deprecated
# custom:
#   code: ACME010
package acme.lifecycle

deny contains {"msg": sprintf("`%s` is deprecated", [input.identifier]), "field": "properties.lifecycle"} if {
	input.blueprint == "System"
	input.properties.lifecycle == "deprecated"
}

warn contains sprintf("`%s` is new", [input.identifier]) if data.cairn.change.added.System[input.identifier]
"#;

/// `main` holds a clean catalog and a policy; `branch` deprecates a system (which the policy
/// denies) and, in the same change, deletes the policy and waives the finding.
fn weakening_change() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("catalog/shop.yaml", DOMAIN)
        .write("catalog/checkout.yaml", SYSTEM)
        .write("policies/lifecycle.rego", LIFECYCLE_POLICY);
    repo.commit("Alice", "Add the shop and its lifecycle policy");
    repo.git(&["checkout", "--quiet", "-b", "branch"]);
    repo.write("catalog/checkout.yaml", &SYSTEM.replace("production", "deprecated"))
        .write("catalog/cart.yaml", &SYSTEM.replace("checkout", "cart"))
        .write(
            "exceptions/checkout.yaml",
            "rule: ACME010\nentities: [System:checkout]\nowner: bob\nreason: trust me\nexpires: 2099-01-01\n",
        );
    fs::remove_file(repo.path.join("policies/lifecycle.rego")).expect("delete the policy");
    repo.commit("Bob", "Deprecate checkout, and remove the rule that says no");
    repo
}

fn check_change(dir: &Path, base: &str, head: &str) -> (i32, Vec<String>) {
    let run = cairn(dir, &["check", ".", "--base", base, "--head", head, "--format", "json"]);
    let report: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("JSON:\n{}\n{}", run.stdout, run.stderr));
    (run.code, finding_lines(&report))
}

#[test]
fn a_change_cannot_switch_off_the_rule_that_judges_it() {
    let repo = weakening_change();
    // Judged by its own rules, the branch would pass: the rule and the finding are gone.
    let (code, findings) = check_rev(&repo.path, ".", "branch");
    assert_eq!((code, findings.len()), (0, 1), "{findings:?}");
    assert!(findings[0].contains("W0603"), "the branch's own waiver now covers nothing: {findings:?}");

    // Judged by the base's rules, it fails at the line it broke, and each rule edit asks for review.
    let (code, findings) = check_change(&repo.path, "main", "branch");
    assert_eq!(code, 1, "{findings:?}");
    assert_eq!(
        findings,
        [
            // What the head's rules would change: they are gone, and so are their findings.
            "null:null:null W0510 warning with the head's rules, `ACME010` (Systems are not deprecated) no longer \
             fails 1 entity owned by no team",
            "null:null:null W0510 warning with the head's rules, `ACME010` (Systems are not deprecated) no longer \
             warns about 1 entity owned by no team",
            "catalog/cart.yaml:1:1 ACME010 warning `cart` is new",
            "catalog/checkout.yaml:4:14 ACME010 error `checkout` is deprecated",
            "exceptions/checkout.yaml:1:1 W0510 warning this change adds `exceptions/checkout.yaml`, which holds \
             rules that judge the platform: review needed",
            "policies/lifecycle.rego:1:1 W0510 warning this change deletes `policies/lifecycle.rego`, which holds \
             rules that judge the platform: review needed",
        ]
    );
}

#[test]
fn a_rule_change_previews_what_it_would_newly_fail() {
    let repo = GitRepo::new();
    repo.write(
        "catalog/teams.yaml",
        "- identifier: payments\n  blueprint: _team\n- identifier: search\n  blueprint: _team\n",
    )
    .write("catalog/shop.yaml", "identifier: shop\nblueprint: Domain\nteam: payments\n")
    .write("catalog/checkout.yaml", &SYSTEM.replace("blueprint: System", "blueprint: System\nteam: payments"))
    .write(
        "catalog/search.yaml",
        &SYSTEM.replace("checkout", "search").replace("blueprint: System", "blueprint: System\nteam: search"),
    )
    .write("policies/lifecycle.rego", LIFECYCLE_POLICY);
    repo.commit("Alice", "Two systems of two teams");
    repo.git(&["checkout", "--quiet", "-b", "stricter"]);
    repo.write("policies/lifecycle.rego", &LIFECYCLE_POLICY.replace(r#"== "deprecated""#, r#"!= "experimental""#));
    repo.commit("Carol", "Only experimental systems are allowed");

    let run = cairn(&repo.path, &["check", ".", "--base", "main", "--head", "stricter", "--format", "json"]);
    assert_eq!(run.code, 0, "the base's rules still judge: {}{}", run.stdout, run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let preview = report["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|d| d["message"].as_str().is_some_and(|m| m.contains("newly fails")))
        .unwrap_or_else(|| panic!("a preview: {report:#}"));
    assert_eq!(preview["code"], "W0510");
    assert_eq!(
        preview["message"],
        "with the head's rules, `ACME010` (Systems are not deprecated) newly fails 2 entities owned by 2 teams"
    );
    assert_eq!(preview["help"], "newly failing: `System:checkout`, `System:search`; teams: `payments`, `search`");
}

#[test]
fn a_plan_shows_what_a_change_does_and_what_it_introduces() {
    let repo = GitRepo::new();
    let environment =
        "identifier: dev-alice\nproperties:\n  type: development\n  createdAt: \"2026-11-24T09:15:00Z\"\n  ttl: 5d\n";
    repo.write("catalog/shop.yaml", DOMAIN)
        .write("catalog/checkout.yaml", SYSTEM)
        .write("catalog/old.yaml", &SYSTEM.replace("checkout", "old"))
        // Already broken at the base: a relation to nothing.
        .write("catalog/broken.yaml", &SYSTEM.replace("checkout", "broken").replace("domain: shop", "domain: nowhere"))
        .write("environments/dev-alice.yaml", environment);
    repo.commit("Alice", "The base");
    repo.git(&["checkout", "--quiet", "-b", "change"]);
    fs::remove_file(repo.path.join("catalog/old.yaml")).expect("remove");
    fs::remove_file(repo.path.join("catalog/checkout.yaml")).expect("move");
    repo.write("catalog/systems/checkout.yaml", SYSTEM)
        .write("catalog/cart.yaml", &SYSTEM.replace("checkout", "cart").replace("domain: shop", "domain: shoop"))
        .write("environments/dev-alice.yaml", &environment.replace("ttl: 5d", "ttl: 10d"));
    repo.commit("Bob", "Add cart, move checkout, drop old, keep dev-alice longer");

    let run = cairn(&repo.path, &["plan", "--base", "main", "--head", "change", "--format", "json"]);
    assert_eq!(run.code, 1, "cart's broken relation is introduced: {}{}", run.stdout, run.stderr);
    let plan: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let entities: Vec<String> = plan["entities"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|change| {
            format!(
                "{} {} {}",
                change["kind"].as_str().unwrap_or("?"),
                change["entity"].as_str().unwrap_or("?"),
                change["file"].as_str().unwrap_or("?")
            )
        })
        .collect();
    assert_eq!(
        entities,
        [
            "modified Environment:dev-alice environments/dev-alice.yaml",
            "added System:cart catalog/cart.yaml",
            "moved System:checkout catalog/systems/checkout.yaml",
            "removed System:old catalog/old.yaml",
        ]
    );
    assert_eq!(
        plan["entities"][0]["fields"],
        serde_json::json!([{"field": "properties.ttl", "before": "5d", "after": "10d"}])
    );
    assert_eq!(plan["entities"][2]["movedFrom"], "catalog/checkout.yaml");
    assert_eq!(plan["environments"][0]["expires"], "2026-12-04T09:15:00Z");
    assert_eq!(plan["environments"][0]["expiredBefore"], "2026-11-29T09:15:00Z");
    let codes = |part: &str| -> Vec<String> {
        plan[part].as_array().expect("a list").iter().map(|f| format!("{} {}", f["code"], f["file"])).collect()
    };
    assert_eq!(codes("introduced"), [r#""E0309" "catalog/cart.yaml""#]);
    assert_eq!(codes("existing"), [r#""E0309" "catalog/broken.yaml""#]);
    assert_eq!(plan["verdict"], "fail");
    assert_eq!(plan["message"], "this change introduces 1 error: it must not merge");
    assert_eq!(plan["counts"]["introduced"], serde_json::json!({"errors": 1, "warnings": 0, "waived": 0}));
    assert_eq!(plan["counts"]["entities"], serde_json::json!({"added": 1, "modified": 1, "moved": 1, "removed": 1}));
    assert_eq!(plan["base"]["sha"].as_str().map(str::len), Some(40));
    // The head was branched from the base's tip: the merge base is the base.
    assert_eq!(plan["mergeBase"], plan["base"]["sha"]);

    // Fixing cart leaves only what was already there: the change may merge, unless --strict.
    repo.write("catalog/cart.yaml", &SYSTEM.replace("checkout", "cart"));
    repo.commit("Bob", "Fix cart's domain");
    let run = cairn(&repo.path, &["plan", "--base", "main", "--head", "change", "--format", "markdown"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.starts_with("<!-- cairn-plan -->\n### ✅ cairn: this change can merge"), "{}", run.stdout);
    let run = cairn(&repo.path, &["plan", "--base", "main", "--head", "change", "--strict"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.ends_with("this change has 1 error: it must not merge\n"), "{}", run.stdout);
}

/// An environment's expiry is read from RFC 3339 date-times with any offset, and shown in UTC.
#[test]
fn an_environment_created_at_any_offset_shows_its_expiry() {
    let repo = GitRepo::new();
    let environment = |created: &str, ttl: &str| {
        format!("identifier: dev-bob\nproperties:\n  type: development\n  createdAt: \"{created}\"\n  ttl: {ttl}\n")
    };
    repo.write("catalog/shop.yaml", DOMAIN);
    repo.commit("Alice", "The base");
    repo.git(&["checkout", "--quiet", "-b", "change"]);
    repo.write("environments/dev-bob.yaml", &environment("2026-11-24T09:15:00+01:00", "5d"));
    repo.commit("Bob", "A dev environment for five days");

    let run = cairn(&repo.path, &["plan", "--base", "main", "--head", "change", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let plan: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(plan["environments"][0]["expires"], "2026-11-29T08:15:00Z");
    let run = cairn(&repo.path, &["plan", "--base", "main", "--head", "change"]);
    assert!(
        run.stdout.contains("environment dev-bob (development) created, expires 2026-11-29T08:15:00Z"),
        "{}",
        run.stdout
    );

    repo.write("environments/dev-bob.yaml", &environment("2026-11-24T09:15:00.5-05:30", "36h"));
    repo.commit("Bob", "Another zone, in hours");
    let run = cairn(&repo.path, &["plan", "--base", "main", "--head", "change", "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(plan["environments"][0]["expires"], "2026-11-26T02:45:00.5Z");
}

/// docs/pr-comment.md shows the comment `cairn plan --format markdown` writes for a branch of
/// examples/acme that adds a service, keeps an environment longer, moves replicas between two
/// services (one rises a scorecard level, one drops) and breaks one policy. The
/// docs are this test's output: `CAIRN_UPDATE_DOCS=1` rewrites them.
#[test]
fn the_pull_request_comment_in_the_docs_is_what_cairn_writes() {
    let repo = GitRepo::new();
    let project = support::project_dir();
    copy_tree(&project.join("examples/acme"), &repo.path);
    commit_at(&repo, "Alice", "Acme's platform", "2026-11-20T10:00:00Z");
    repo.git(&["checkout", "--quiet", "-b", "add-gift-cards"]);
    let service = fs::read_to_string(repo.path.join("catalog/commerce/checkout/checkout-service.yaml"))
        .expect("the checkout service")
        .replace("checkout-service", "gift-card-service")
        .replace("Checkout Service", "Gift Card Service")
        .replace("  providesApis: [checkout-api]\n", "")
        .replace("  tier: tier-1\n", "  tier: tier-2\n")
        .replace("  runbook: https://runbooks.acme.example/gift-card-service\n", "")
        .replace("  resources: [checkout-db]\n", "");
    repo.write("catalog/commerce/checkout/gift-card-service.yaml", &service);
    let environment = repo.path.join("environments/dev-alice-checkout.yaml");
    let text = fs::read_to_string(&environment).expect("the environment").replace("ttl: 5d", "ttl: 12d");
    repo.write("environments/dev-alice-checkout.yaml", &text);
    // Replicas moved between two services: one rises a level on production readiness, the
    // other drops one.
    let (cart, payments) =
        ("catalog/commerce/checkout/cart-service.yaml", "catalog/commerce/payments/payments-service.yaml");
    let text = fs::read_to_string(repo.path.join(cart)).expect("the cart service");
    repo.write(cart, &text.replace("  tier: tier-1\n", "  replicas: 2\n  tier: tier-1\n"));
    let text = fs::read_to_string(repo.path.join(payments)).expect("the payments service");
    repo.write(payments, &text.replace("  replicas: 3\n", "  replicas: 1\n"));
    commit_at(&repo, "Bob", "Add the gift card service", "2026-11-21T10:00:00Z");

    let output = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(["plan", "--base", "main", "--head", "add-gift-cards", "--format", "markdown"])
        .current_dir(&repo.path)
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme-retail/platform")
        .output()
        .expect("cairn runs");
    assert_eq!(output.status.code(), Some(1), "the change breaks a policy");
    let comment = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(comment.contains("P002"), "{comment}");
    assert!(comment.contains("<details open><summary>Scorecards: 1 down, 1 up, 1 entered</summary>"), "{comment}");

    let path = project.join("docs/pr-comment.md");
    let docs = fs::read_to_string(&path).unwrap_or_default();
    let (start, end) = ("<!-- comment:start -->\n", "<!-- comment:end -->");
    let (Some(from), Some(to)) = (docs.find(start), docs.find(end)) else {
        panic!("docs/pr-comment.md has the markers {start:?} and {end:?}");
    };
    let from = from + start.len();
    if docs[from..to] != comment {
        if std::env::var_os("CAIRN_UPDATE_DOCS").is_some() {
            fs::write(&path, format!("{}{comment}{}", &docs[..from], &docs[to..])).expect("write the docs");
        } else {
            panic!("docs/pr-comment.md is stale: run with CAIRN_UPDATE_DOCS=1\n{comment}");
        }
    }
}

const TEAM: &str = "identifier: payments\nblueprint: _team\n";
const WAREHOUSE: &str = "identifier: warehouse\nblueprint: Domain\nteam: payments\n";

/// `main` with a team and a domain; a `feature` branch adds a domain owned by the team; then
/// `main` moves on with `on_main`.
fn diverged(on_main: impl FnOnce(&GitRepo)) -> GitRepo {
    let repo = GitRepo::new();
    repo.write("catalog/teams.yaml", TEAM)
        .write("catalog/shop.yaml", "identifier: shop\nblueprint: Domain\nteam: payments\n");
    repo.commit("Alice", "A team and a domain");
    repo.git(&["checkout", "--quiet", "-b", "feature"]);
    repo.write("catalog/warehouse.yaml", WAREHOUSE);
    repo.commit("Bob", "A warehouse domain");
    repo.git(&["checkout", "--quiet", "main"]);
    on_main(&repo);
    repo.commit("Carol", "Main moves on");
    repo
}

fn plan_json(repo: &GitRepo) -> (i32, serde_json::Value) {
    let run = cairn(&repo.path, &["plan", "--base", "main", "--head", "feature", "--format", "json"]);
    let report = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("JSON:\n{}\n{}", run.stdout, run.stderr));
    (run.code, report)
}

/// Scenario (a) of docs/pull-requests.md: main added an entity after the branch point; the plan
/// lists the branch's own change only, not main's entity as removed.
#[test]
fn a_plan_after_main_moved_on_lists_only_the_branch_s_changes() {
    let repo = diverged(|main| {
        main.write("catalog/search.yaml", "identifier: search\nblueprint: Domain\nteam: payments\n");
    });
    let (code, report) = plan_json(&repo);
    assert_eq!(code, 0, "{report:#}");
    let changes: Vec<String> = report["entities"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|change| format!("{} {}", change["kind"], change["entity"]))
        .collect();
    assert_eq!(changes, [r#""added" "Domain:warehouse""#], "{report:#}");
    assert!(
        report["head"]["description"]
            .as_str()
            .is_some_and(|head| head.starts_with("the merge of `feature` into `main`")),
        "{report:#}"
    );
    // Main moved on: the merge base is neither the base's tip nor the head.
    let merge_base = report["mergeBase"].as_str().expect("a merge base");
    assert_eq!(merge_base.len(), 40, "{report:#}");
    assert_ne!(report["mergeBase"], report["base"]["sha"], "{report:#}");
    assert_ne!(report["mergeBase"], report["head"]["sha"], "{report:#}");
}

/// On a base that moved on, the comment links each file at the commit that holds the version
/// judged: the branch's files at the head, a file only main changed at main's tip (the head has
/// no such file, or another version of it).
#[test]
fn a_merged_plan_links_files_only_main_changed_at_main() {
    let repo = diverged(|main| {
        main.write("catalog/search.yaml", "identifier: search\nblueprint: Domain\nteam: nobody\n");
    });
    let output = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(["plan", "--base", "main", "--head", "feature", "--format", "markdown"])
        .current_dir(&repo.path)
        .env("GITHUB_SERVER_URL", "https://github.example")
        .env("GITHUB_REPOSITORY", "acme/platform")
        .output()
        .expect("the cairn binary runs");
    let markdown = String::from_utf8(output.stdout).expect("UTF-8");
    let sha = |rev: &str| repo.git(&["rev-parse", rev]).trim().to_owned();
    let (main, feature) = (sha("main"), sha("feature"));
    let blob = |commit: &str, file: &str| format!("https://github.example/acme/platform/blob/{commit}/{file}#L");
    assert!(markdown.contains(&blob(&main, "catalog/search.yaml")), "{markdown}");
    assert!(!markdown.contains(&blob(&feature, "catalog/search.yaml")), "{markdown}");
    assert!(markdown.contains(&blob(&feature, "catalog/warehouse.yaml")), "{markdown}");
}

/// Scenario (b): main renamed the team the branch's new domain is owned by; the merged result
/// has an error the branch introduces, and the plan fails.
#[test]
fn a_plan_catches_main_renaming_a_team_the_branch_uses() {
    let repo = diverged(|main| {
        main.write("catalog/teams.yaml", &TEAM.replace("payments", "billing"))
            .write("catalog/shop.yaml", "identifier: shop\nblueprint: Domain\nteam: billing\n");
    });
    let (code, report) = plan_json(&repo);
    assert_eq!(code, 1, "{report:#}");
    let introduced = report["introduced"].as_array().expect("a list");
    assert_eq!(introduced.len(), 1, "{report:#}");
    assert_eq!(introduced[0]["file"], "catalog/warehouse.yaml", "{report:#}");
    assert!(introduced[0]["message"].as_str().is_some_and(|m| m.contains("`payments`")), "{report:#}");
    // The same change against main before it moved on was clean.
    let run = cairn(&repo.path, &["plan", "--base", "main~1", "--head", "feature"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

/// A policy raised from warning to error is previewed in every plan format: with the head's
/// rules, the entity gets an error (was a warning).
#[test]
fn a_policy_raised_to_an_error_is_previewed_in_the_plan() {
    let repo = GitRepo::new();
    repo.write("catalog/teams.yaml", TEAM).write("catalog/warehouse.yaml", WAREHOUSE);
    let policy = "package acme.owned\n\n# METADATA\n# custom:\n#   code: ACME020\n#   severity: warning\ndeny contains \"a warehouse\" if input.identifier == \"warehouse\"\n";
    repo.write("policies/owned.rego", policy);
    repo.commit("Alice", "A policy as a warning");
    repo.write("policies/owned.rego", &policy.replace("severity: warning", "severity: error"));
    repo.commit("Bob", "The policy as an error");
    let preview = "with the head's rules, `Domain:warehouse` gets error `ACME020` (was warning)";
    for format in ["human", "markdown", "json"] {
        let run = cairn(&repo.path, &["plan", "--base", "HEAD~1", "--head", "HEAD", "--format", format]);
        assert_eq!(run.code, 0, "{format}: {}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains(preview), "{format}: {}", run.stdout);
    }
}

/// A `port.yml` in a service's folder is read as Port's GitOps reads it, and its enum violation
/// is reported at its line, on disk and at a revision alike; one that `.gitignore` ignores is
/// not read on disk (no revision holds it).
#[test]
fn a_port_yml_in_a_service_folder_is_checked_at_its_line() {
    let repo = GitRepo::new();
    repo.write("catalog/shop.yaml", DOMAIN)
        .write("services/checkout/README.md", "# checkout\n")
        .write(
            "services/checkout/port.yml",
            "identifier: checkout\nblueprint: System\nproperties:\n  lifecycle: live\nrelations:\n  domain: shop\n",
        )
        .write(".gitignore", "vendor/\n")
        .write("vendor/lib/port.yml", "identifier: [broken\n");
    repo.commit("Alice", "Describe checkout in its own folder");
    let expected =
        ["services/checkout/port.yml:4:14 E0303 error `properties.lifecycle` is `live`, which is not one of the \
         allowed values: `experimental`, `production`, `deprecated`"];
    let (code, findings) = check_rev(&repo.path, ".", "HEAD");
    assert_eq!((code, findings), (1, expected.map(str::to_owned).to_vec()), "at HEAD");
    let run = cairn(&repo.path, &["check", ".", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!((run.code, finding_lines(&report)), (1, expected.map(str::to_owned).to_vec()), "on disk");
}
