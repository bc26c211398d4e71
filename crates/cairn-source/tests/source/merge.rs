//! `Source::merge`: the merge base of a change, and its head merged into its base's tip.

use std::sync::Arc;

use cairn_source::{CommitId, Contents, EntryKind, Merge, Origin, Source, SourceError};

use crate::repo::Repo;
use crate::{entries, listing};

/// `main` with `a`, `b` and `c`; a `feature` branch from it; `main` then moves on.
fn diverged(on_main: impl FnOnce(&Repo), on_feature: impl FnOnce(&Repo)) -> (Repo, String) {
    let repo = Repo::new();
    let point = repo.write("a", "a").write("b", "b").write("c", "c").commit("branch point");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    on_feature(&repo);
    repo.commit("feature");
    repo.git(&["checkout", "-q", "main"]);
    on_main(&repo);
    repo.commit("main moves on");
    (repo, point)
}

fn merge(repo: &Repo, base: &str, head: &str) -> Merge {
    let (base, head) = (Source::git(repo.path(), base).expect(base), Source::git(repo.path(), head).expect(head));
    Source::merge(&base, &head).expect("a merge").expect("two revisions")
}

fn text(source: &Source, path: &str) -> String {
    let entry = source.files().expect("a listing").iter().find(|&entry| entry.path == path).cloned().expect(path);
    match source.reader().read(&entry, u64::MAX).expect("readable") {
        Contents::Bytes(bytes) => String::from_utf8(bytes).expect("UTF-8"),
        Contents::TooLarge { size } => panic!("{path} is {size} bytes"),
    }
}

#[test]
fn a_head_that_contains_its_base_is_the_merged_result() {
    let repo = Repo::new();
    repo.write("a", "a").commit("base");
    repo.write("a", "b").commit("head");
    assert!(matches!(merge(&repo, "HEAD~1", "HEAD"), Merge::FastForward));
    // A revision with itself, too.
    assert!(matches!(merge(&repo, "HEAD", "HEAD"), Merge::FastForward));
}

/// Each side's changes since the merge base are kept, path by path; a path both sides changed
/// alike is that change.
#[test]
fn the_head_s_changes_go_onto_the_base_s_tip() {
    let (repo, point) = diverged(
        |main| {
            main.write("a", "a on main").write("d", "added on main").write("same", "same");
        },
        |feature| {
            feature.write("b", "b on feature").write("e", "added on feature").write("same", "same");
            std::fs::remove_file(feature.path().join("c")).expect("c removed");
        },
    );
    let Merge::Clean { merge_base, merged } = merge(&repo, "main", "feature") else { panic!("a clean merge") };
    assert_eq!(merge_base.commit(), Some(point.clone()));
    assert_eq!(merge_base.describe(), format!("the merge base of `main` and `feature` ({})", &point[..12]));
    assert_eq!(merged.describe(), "the merge of `feature` into `main`");
    let commit = |rev: &str| CommitId::parse(&repo.git(&["rev-parse", rev])).expect(rev);
    let (main, feature) = ("main".to_owned(), "feature".to_owned());
    let expected = Origin::MergeBase {
        base: main.clone(),
        head: feature.clone(),
        commit: CommitId::parse(&point).expect("a commit"),
        folder: String::new(),
    };
    assert_eq!(merge_base.origin(), expected);
    let expected = Origin::Merged {
        base: main,
        base_commit: commit("main"),
        head: feature,
        head_commit: commit("feature"),
        folder: String::new(),
    };
    assert_eq!(merged.origin(), expected);
    // The merged tree is known by the head's commit, for links.
    assert_eq!(merged.commit(), Some(repo.git(&["rev-parse", "feature"])));
    let file = EntryKind::File;
    assert_eq!(listing(&merged), entries(&[("a", file), ("b", file), ("d", file), ("e", file), ("same", file)]));
    let texts: Vec<String> = ["a", "b", "d", "e", "same"].iter().map(|path| text(&merged, path)).collect();
    assert_eq!(texts, ["a on main", "b on feature", "added on main", "added on feature", "same"]);
    // Blob ids come through, so that a reader of the base reuses what it parsed.
    let base = Source::git(repo.path(), "main").expect("main");
    let id = |source: &Source, path: &str| {
        source.files().expect("a listing").iter().find(|&e| e.path == path).cloned().and_then(|e| e.blob_id())
    };
    assert_eq!(id(&merged, "d"), id(&base, "d"));
    // The merged tree shares the listing it made when merging rather than copying it per call.
    let (first, second) = (merged.files().expect("a listing"), merged.files().expect("a listing"));
    assert!(Arc::ptr_eq(&first, &second));
}

/// A path both sides changed differently since the merge base (edited, or deleted on one side
/// and edited on the other) is a conflict: no merged tree is made.
#[test]
fn paths_changed_differently_on_both_sides_conflict() {
    let (repo, point) = diverged(
        |main| {
            main.write("a", "a on main").write("new", "new on main");
            std::fs::remove_file(main.path().join("c")).expect("c removed");
        },
        |feature| {
            feature.write("a", "a on feature").write("new", "new on feature").write("c", "c on feature");
        },
    );
    let Merge::Conflicts { merge_base, paths } = merge(&repo, "main", "feature") else { panic!("conflicts") };
    assert_eq!(merge_base.commit(), Some(point));
    assert_eq!(paths, ["a", "c", "new"]);
}

#[test]
fn a_folder_of_the_work_tree_merges_alone() {
    let repo = Repo::new();
    repo.write("platform/a", "a").write("README.md", "readme").commit("branch point");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("platform/b", "b").write("README.md", "readme on feature").commit("feature");
    repo.git(&["checkout", "-q", "main"]);
    // A conflict outside the platform's folder is not the platform's.
    repo.write("platform/c", "c").write("README.md", "readme on main").commit("main moves on");
    let platform = repo.path().join("platform");
    let (base, head) =
        (Source::git(&platform, "main").expect("main"), Source::git(&platform, "feature").expect("feature"));
    let Some(Merge::Clean { merged, .. }) = Source::merge(&base, &head).expect("a merge") else { panic!("clean") };
    assert_eq!(merged.describe(), "`platform` in the merge of `feature` into `main`");
    let file = EntryKind::File;
    assert_eq!(listing(&merged), entries(&[("a", file), ("b", file), ("c", file)]));
}

#[test]
fn a_directory_has_no_merge() {
    let repo = Repo::new();
    repo.write("a", "a").commit("base");
    let (base, head) = (Source::git(repo.path(), "HEAD").expect("HEAD"), Source::directory(repo.path()).expect("dir"));
    assert!(Source::merge(&base, &head).expect("no failure").is_none());
}

/// In a clone of the head alone (with the base fetched one commit deep, as `cairn ci` would
/// find it), the merge base is beyond the history: the error says to fetch it.
#[test]
fn a_shallow_clone_without_the_merge_base_says_to_fetch_the_whole_history() {
    let (repo, _) = diverged(
        |main| {
            main.write("d", "d");
        },
        |feature| {
            feature.write("e", "e");
        },
    );
    let (_dir, clone) = repo.shallow_clone(1, "feature");
    let clone_repo = |args: &[&str]| {
        let output = std::process::Command::new("git").current_dir(&clone).args(args).output().expect("git runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    };
    clone_repo(&["fetch", "-q", "--depth", "1", "origin", "main:main"]);
    let (base, head) = (Source::git(&clone, "main").expect("main"), Source::git(&clone, "feature").expect("feature"));
    let error = Source::merge(&base, &head).expect_err("no merge base");
    assert!(matches!(&error, SourceError::NoMergeBase { shallow: true, .. }), "{error:?}");
    assert_eq!(error.to_string(), "`main` and `feature` have no merge base in this clone");
    assert!(error.help().is_some_and(|help| help.contains("`fetch-depth: 0`")), "{error:?}");
}

/// Two histories that share no commit have no merge base, and it is not a shallow clone's fault.
#[test]
fn unrelated_histories_have_no_merge_base() {
    let repo = Repo::new();
    repo.write("a", "a").commit("one history");
    repo.git(&["checkout", "-q", "--orphan", "other"]);
    repo.write("b", "b").commit("another history");
    let (base, head) =
        (Source::git(repo.path(), "main").expect("main"), Source::git(repo.path(), "other").expect("other"));
    let error = Source::merge(&base, &head).expect_err("no merge base");
    assert!(matches!(&error, SourceError::NoMergeBase { shallow: false, .. }), "{error:?}");
    assert!(error.help().is_some_and(|help| help.contains("share no history")), "{error:?}");
}
