use std::process::Command;

use super::*;
use crate::testing::{FIRST_COMMIT_TIME, Repo};

fn service(identifier: &str, tier: u32) -> String {
    format!("identifier: {identifier}\nblueprint: Service\nteam: payments\nproperties:\n  tier: {tier}\n")
}

/// Each entry as `subject | change Entity:id fields`, newest first.
fn shown(log: &AuditLog) -> Vec<String> {
    log.entries
        .iter()
        .map(|entry| {
            let fields: Vec<String> = entry
                .fields
                .iter()
                .map(|field| {
                    let value = |v: &Option<serde_json::Value>| v.as_ref().map_or("-".to_owned(), ToString::to_string);
                    format!(" {}: {} -> {}", field.field, value(&field.before), value(&field.after))
                })
                .collect();
            format!("{} | {} {}{}", entry.commit.subject, entry.change.as_str(), entry.entity, fields.concat())
        })
        .collect()
}

/// The log, checked against whole reads of every commit's platform.
fn log(repo: &Repo, options: &AuditOptions) -> AuditLog {
    let audit = audit_log(&repo.at("HEAD"), options).expect("a log");
    let whole = walk(&repo.at("HEAD"), options, false).expect("a log");
    assert_eq!(shown(&audit), shown(&whole), "the incremental walk and whole reads");
    let findings = |audit: &AuditLog| -> Vec<String> {
        audit.findings.iter().map(|f| format!("{} {}", f.commit.subject, f.diagnostic.message)).collect()
    };
    assert_eq!(findings(&audit), findings(&whole));
    audit
}

fn only(entity: &str) -> AuditOptions {
    let filter = EntityFilter::Entity(EntityRef::parse(entity).expect("an entity reference"));
    AuditOptions { filter, ..AuditOptions::default() }
}

/// A history with several authors: a creation, an edit, a `git mv`, a move into a file of
/// several documents, a deletion and a re-creation. The entity is followed through its files.
#[test]
fn an_entity_is_followed_through_moves_deletion_and_recreation() {
    let repo = Repo::new();
    repo.write("catalog/cart.yaml", service("cart", 1)).write("catalog/shop.yaml", service("shop", 1));
    repo.commit_by("Alice", "alice@example.com", "Add cart and shop (#12)");
    repo.write("catalog/cart.yaml", service("cart", 2));
    repo.commit_by("Bob", "bob@example.com", "Raise cart's tier\n\nCairn-Action: set-tier\nCairn-Run-By: bob");
    // As `git mv` records it: the same blob at a new path.
    repo.rename("catalog/cart.yaml", "catalog/payments/cart.yaml");
    repo.commit_by("Alice", "alice@example.com", "Move cart into payments/");
    repo.remove("catalog/payments/cart.yaml");
    repo.write(
        "catalog/payments/all.yaml",
        format!("{}---\nidentifier: extra\nblueprint: Service\n", service("cart", 2)),
    );
    repo.commit_by("Carol", "carol@example.com", "Gather payments' services in one file");
    repo.remove("catalog/payments/all.yaml");
    repo.commit_by("Bob", "bob@example.com", "Retire cart");
    repo.write("catalog/cart.yaml", service("cart", 3));
    repo.commit_by("Alice", "alice@example.com", "Merge pull request #15 from alice/cart\n\nBring cart back");

    let audit = log(&repo, &only("Service:cart"));
    assert_eq!(
        shown(&audit),
        [
            "Merge pull request #15 from alice/cart | created Service:cart",
            "Retire cart | deleted Service:cart",
            "Gather payments' services in one file | moved Service:cart",
            "Move cart into payments/ | moved Service:cart",
            "Raise cart's tier | modified Service:cart properties.tier: 1 -> 2",
            "Add cart and shop (#12) | created Service:cart",
        ]
    );
    assert!(audit.findings.is_empty(), "{:#?}", audit.findings);
    let people: Vec<(&str, &str)> =
        audit.entries.iter().map(|e| (e.commit.author.name.as_str(), e.commit.author.email.as_str())).collect();
    assert_eq!(people[4], ("Bob", "bob@example.com"));
    assert_eq!(people[5], ("Alice", "alice@example.com"));
    let pulls: Vec<Option<u64>> = audit.entries.iter().map(|e| e.commit.pull_request).collect();
    assert_eq!(pulls, [Some(15), None, None, None, None, Some(12)]);
    let edit = &audit.entries[4];
    assert_eq!((edit.commit.action.as_deref(), edit.commit.run_by.as_deref()), (Some("set-tier"), Some("bob")));
    assert_eq!(edit.commit.committer.name, "Cy Committer");
    assert_eq!(edit.commit.date, Timestamp::from_second(FIRST_COMMIT_TIME + 60).expect("a time"));
    let moved = &audit.entries[3];
    assert_eq!(
        (moved.file_before.as_deref(), moved.file_after.as_deref()),
        (Some("catalog/cart.yaml"), Some("catalog/payments/cart.yaml"))
    );
    assert_eq!(audit.entries[2].file_after.as_deref(), Some("catalog/payments/all.yaml"));
    assert_eq!(audit.commits, 6);

    // The whole catalog: the other entities too, in catalog order within a commit.
    let all = log(&repo, &AuditOptions::default());
    assert_eq!(
        shown(&all),
        [
            "Merge pull request #15 from alice/cart | created Service:cart",
            "Retire cart | deleted Service:cart",
            "Retire cart | deleted Service:extra",
            "Gather payments' services in one file | moved Service:cart",
            "Gather payments' services in one file | created Service:extra",
            "Move cart into payments/ | moved Service:cart",
            "Raise cart's tier | modified Service:cart properties.tier: 1 -> 2",
            "Add cart and shop (#12) | created Service:cart",
            "Add cart and shop (#12) | created Service:shop",
        ]
    );
}

/// A merge of a branch with two commits: first-parent history shows the merge as one change;
/// every parent shows the branch's commits, and the merge adds nothing it did not decide.
#[test]
fn a_merge_is_one_change_unless_every_parent_is_walked() {
    let repo = Repo::new();
    repo.write("catalog/cart.yaml", service("cart", 1));
    repo.commit("Add cart");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("catalog/cart.yaml", service("cart", 2));
    repo.commit_by("Bob", "bob@example.com", "Tier 2");
    repo.write("catalog/shop.yaml", service("shop", 1));
    repo.commit_by("Bob", "bob@example.com", "Add shop");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("README.md", "unrelated\n");
    repo.commit("A readme");
    repo.merge("feature", "Merge pull request #7 from bob/feature");

    assert_eq!(
        shown(&log(&repo, &AuditOptions::default())),
        [
            "Merge pull request #7 from bob/feature | modified Service:cart properties.tier: 1 -> 2",
            "Merge pull request #7 from bob/feature | created Service:shop",
            "Add cart | created Service:cart",
        ]
    );
    let every = AuditOptions { all_parents: true, ..AuditOptions::default() };
    let audit = log(&repo, &every);
    assert_eq!(
        shown(&audit),
        [
            "Add shop | created Service:shop",
            "Tier 2 | modified Service:cart properties.tier: 1 -> 2",
            "Add cart | created Service:cart"
        ]
    );
    assert_eq!(audit.commits, 5);
}

/// `since` and `until` bound the commits by their date; `Blueprint` keeps one blueprint.
#[test]
fn the_window_and_the_blueprint_filter() {
    let repo = Repo::new();
    repo.write("catalog/cart.yaml", service("cart", 1));
    repo.write("catalog/team.yaml", "identifier: payments\nblueprint: _team\n");
    repo.commit("One");
    repo.write("catalog/cart.yaml", service("cart", 2));
    repo.commit("Two");
    repo.write("catalog/cart.yaml", service("cart", 3));
    repo.write("catalog/team.yaml", "identifier: payments\nblueprint: _team\ntitle: Payments\n");
    repo.commit("Three");
    let at = |minutes: i64| Some(Timestamp::from_second(FIRST_COMMIT_TIME + 60 * minutes).expect("a time"));

    let window = AuditOptions { since: at(1), until: at(1), ..AuditOptions::default() };
    assert_eq!(shown(&log(&repo, &window)), ["Two | modified Service:cart properties.tier: 1 -> 2"]);
    let since =
        AuditOptions { since: at(1), filter: EntityFilter::Blueprint("_team".into()), ..AuditOptions::default() };
    assert_eq!(shown(&log(&repo, &since)), ["Three | modified _team:payments title: - -> \"Payments\""]);
    let nothing = AuditOptions { filter: EntityFilter::Blueprint("Nope".into()), ..AuditOptions::default() };
    assert!(log(&repo, &nothing).entries.is_empty());
}

/// A commit that writes a file that is not YAML: a finding for that commit, once, and the
/// walk goes on to the commits before and after it.
#[test]
fn an_unreadable_file_is_a_finding_of_the_commit_that_wrote_it() {
    let repo = Repo::new();
    repo.write("catalog/cart.yaml", service("cart", 1));
    repo.commit("Add cart");
    repo.write("catalog/broken.yaml", "identifier: [unclosed\n");
    repo.commit("Break a file");
    repo.write("catalog/cart.yaml", service("cart", 2));
    repo.commit("Raise cart");

    let audit = log(&repo, &AuditOptions::default());
    assert_eq!(
        shown(&audit),
        ["Raise cart | modified Service:cart properties.tier: 1 -> 2", "Add cart | created Service:cart"]
    );
    let findings: Vec<(String, String)> = audit
        .findings
        .iter()
        .map(|finding| {
            let location = finding.diagnostic.location.as_ref().map(|l| l.file.clone()).unwrap_or_default();
            (finding.commit.subject.clone(), location)
        })
        .collect();
    assert_eq!(findings, [("Break a file".to_owned(), "catalog/broken.yaml".to_owned())]);
}

/// A shallow clone's history stops early: an error naming the commit whose parent is missing,
/// never a log that starts there.
#[test]
fn a_shallow_clone_is_an_error() {
    let repo = Repo::new();
    for tier in 1..=3 {
        repo.write("catalog/cart.yaml", service("cart", tier));
        repo.commit(&format!("Tier {tier}"));
    }
    let clone = tempfile::tempdir().expect("a temporary directory");
    let url = format!("file://{}", repo.path().display());
    let status = Command::new("git")
        .args(["clone", "-q", "--depth", "2", &url])
        .arg(clone.path().join("shallow"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .expect("git runs");
    assert!(status.success());
    let source = Source::git(&clone.path().join("shallow"), "HEAD").expect("a revision");
    let error = audit_log(&source, &AuditOptions::default()).expect_err("a shallow history");
    let second = repo.git(&["rev-parse", "HEAD~1"]);
    assert_eq!(
        error.to_string(),
        format!("the history of `HEAD` is cut short at commit `{second}`: its parent is not in this clone")
    );
    assert!(error.help().is_some_and(|help| help.contains("--unshallow")), "{:?}", error.help());
}

/// A directory outside git has no history to read.
#[test]
fn a_directory_has_no_history() {
    let repo = Repo::new();
    let error = audit_log(&repo.directory(), &AuditOptions::default()).expect_err("no history");
    assert!(matches!(error, EngineError::NoHistory(_)), "{error:?}");
}

/// A merge that resolves a conflict by hand: with every parent walked, the merge shows the
/// value it chose, which neither parent had; the branch commits show their own.
#[test]
fn a_merge_that_decides_shows_its_decision() {
    let repo = Repo::new();
    repo.write("catalog/cart.yaml", service("cart", 1));
    repo.commit("Add cart");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("catalog/cart.yaml", service("cart", 2));
    repo.commit("Tier 2");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("catalog/cart.yaml", service("cart", 3));
    repo.commit("Tier 3");
    let merged = std::process::Command::new("git")
        .current_dir(repo.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["-c", "user.name=x", "-c", "user.email=x@example.com", "merge", "-q", "feature"])
        .output()
        .expect("git runs");
    assert!(!merged.status.success(), "the merge conflicts");
    repo.write("catalog/cart.yaml", service("cart", 4));
    repo.commit("Merge pull request #9 from bob/feature");

    let every = AuditOptions { all_parents: true, ..AuditOptions::default() };
    assert_eq!(
        shown(&log(&repo, &every)),
        [
            "Merge pull request #9 from bob/feature | modified Service:cart properties.tier: 3 -> 4",
            "Tier 3 | modified Service:cart properties.tier: 1 -> 3",
            "Tier 2 | modified Service:cart properties.tier: 1 -> 2",
            "Add cart | created Service:cart",
        ]
    );
    let merge = &log(&repo, &AuditOptions::default()).entries[0];
    assert_eq!(merge.commit.parents.len(), 2);
}

/// A platform in a folder of a larger repository: its own paths, and commits that touch only
/// other folders are passed over.
#[test]
fn a_platform_in_a_subfolder() {
    let repo = Repo::new();
    repo.write("platform/catalog/cart.yaml", service("cart", 1));
    repo.commit("Add cart");
    repo.write("app/main.rs", "fn main() {}\n");
    repo.commit("Unrelated");
    repo.write("platform/catalog/cart.yaml", service("cart", 2));
    repo.commit("Raise cart");

    let source = Source::git(&repo.path().join("platform"), "HEAD").expect("a revision");
    let audit = audit_log(&source, &AuditOptions::default()).expect("a log");
    assert_eq!(
        shown(&audit),
        ["Raise cart | modified Service:cart properties.tier: 1 -> 2", "Add cart | created Service:cart"]
    );
    assert_eq!(audit.prefix, "platform");
    assert_eq!(audit.entries[0].file_after.as_deref(), Some("catalog/cart.yaml"));
}

/// The incremental walk (one platform changed in place by tree diffs) and whole reads of every
/// commit's platform agree, duplicates, re-splits, settings changes and a broken file included.
#[test]
fn the_incremental_walk_agrees_with_whole_reads() {
    let repo = Repo::new();
    repo.write("catalog/a.yaml", service("a", 1)).write("catalog/b.yaml", service("b", 1));
    repo.commit("One");
    // `a` declared twice: the first declaration (by path) is the one compared.
    repo.write("catalog/z.yaml", service("a", 9));
    repo.commit("Duplicate a");
    repo.write("catalog/a.yaml", service("a", 2));
    repo.commit("Edit the first a");
    repo.remove("catalog/a.yaml");
    repo.commit("Remove the first a");
    repo.write("catalog/both.yaml", format!("{}---\n{}", service("b", 1), service("c", 1)));
    repo.remove("catalog/b.yaml");
    repo.commit("Re-split b with c");
    repo.write("catalog/broken.yaml", "identifier: [\n");
    repo.commit("Broken");
    repo.write("cairn.yaml", "paths:\n  catalog: things\n");
    repo.rename("catalog/both.yaml", "things/both.yaml");
    repo.commit("Move the catalog");
    repo.write("things/d.yaml", service("d", 1));
    repo.commit("Add d");

    let first = log(&repo, &AuditOptions::default());
    let every = walk(&repo.at("HEAD"), &AuditOptions::default(), false).expect("a log");
    assert_eq!(shown(&first), shown(&every));
    let files = |audit: &AuditLog| -> Vec<(Option<String>, Option<String>)> {
        audit.entries.iter().map(|entry| (entry.file_before.clone(), entry.file_after.clone())).collect()
    };
    assert_eq!(files(&first), files(&every));
    let findings = |audit: &AuditLog| -> Vec<String> {
        audit.findings.iter().map(|f| format!("{} {}", f.commit.subject, f.diagnostic.message)).collect()
    };
    assert_eq!(findings(&first), findings(&every));
    assert_eq!(
        shown(&first),
        [
            "Add d | created Service:d",
            // `catalog/z.yaml` stays behind, in a folder no longer read.
            "Move the catalog | deleted Service:a",
            "Move the catalog | moved Service:b",
            "Move the catalog | moved Service:c",
            "Re-split b with c | moved Service:b",
            "Re-split b with c | created Service:c",
            "Remove the first a | modified Service:a properties.tier: 2 -> 9",
            "Edit the first a | modified Service:a properties.tier: 1 -> 2",
            "One | created Service:a",
            "One | created Service:b",
        ]
    );
}
