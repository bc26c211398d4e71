//! `push_branch` against a bare repository in a temporary directory.

use cairn_source::{FetchOutcome, PushOutcome, fetch_branch, push_branch};

use crate::repo::Repo;

#[test]
fn pushed_then_up_to_date_then_rejected_after_the_remote_moved() {
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    repo.commit("first");
    let (_dir, bare) = repo.bare_clone();
    let remote = bare.to_str().expect("a UTF-8 path");
    repo.git(&["branch", "rendered/main"]);

    assert_eq!(push_branch(repo.path(), remote, "rendered/main").expect("a push"), PushOutcome::Pushed);
    assert_eq!(push_branch(repo.path(), remote, "rendered/main").expect("a push"), PushOutcome::UpToDate);
    assert_eq!(
        repo.git(&["--git-dir", remote, "rev-parse", "rendered/main"]),
        repo.git(&["rev-parse", "rendered/main"])
    );

    // Someone else moves the remote's branch; ours moves differently.
    let other = Repo::new();
    other.git(&["fetch", "-q", remote, "rendered/main:rendered/main"]);
    other.git(&["checkout", "-q", "rendered/main"]);
    other.write("b.txt", "b\n");
    other.commit("theirs");
    other.git(&["push", "-q", remote, "rendered/main"]);
    repo.git(&["checkout", "-q", "rendered/main"]);
    repo.write("c.txt", "c\n");
    repo.commit("ours");
    let before = repo.git(&["--git-dir", remote, "rev-parse", "rendered/main"]);
    match push_branch(repo.path(), remote, "rendered/main").expect("a push") {
        PushOutcome::Rejected { reason } => {
            assert!(reason.contains("fetch first") || reason.contains("non-fast-forward"), "{reason}");
        }
        outcome => panic!("not rejected: {outcome:?}"),
    }
    assert_eq!(repo.git(&["--git-dir", remote, "rev-parse", "rendered/main"]), before);
}

#[test]
fn an_unknown_remote_is_an_error() {
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    repo.commit("first");
    repo.git(&["branch", "rendered/main"]);
    let error = push_branch(repo.path(), "nowhere", "rendered/main").expect_err("no such remote");
    assert!(error.to_string().contains("`git push nowhere rendered/main` failed"), "{error}");
}

/// A fresh clone has the remote's rendered branch only as a remote-tracking one: `fetch_branch`
/// makes the local branch the remote's, says when the remote has none, and never overwrites a
/// local branch the remote's does not descend from.
#[test]
fn fetch_brings_the_local_branch_up_to_the_remotes_and_never_overwrites_it() {
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    repo.commit("first");
    let (_dir, bare) = repo.bare_clone();
    let remote = bare.to_str().expect("a UTF-8 path");
    let clone = Repo::new();
    assert_eq!(fetch_branch(clone.path(), remote, "rendered/main").expect("a fetch"), FetchOutcome::Missing);

    repo.git(&["branch", "rendered/main"]);
    push_branch(repo.path(), remote, "rendered/main").expect("a push");
    assert_eq!(fetch_branch(clone.path(), remote, "rendered/main").expect("a fetch"), FetchOutcome::Fetched);
    assert_eq!(clone.git(&["rev-parse", "rendered/main"]), repo.git(&["rev-parse", "rendered/main"]));
    assert_eq!(fetch_branch(clone.path(), remote, "rendered/main").expect("again"), FetchOutcome::Fetched);

    // The local branch has a commit the remote's lacks, and the remote's moved on: kept, an error.
    clone.git(&["checkout", "-q", "rendered/main"]);
    clone.write("local.txt", "mine\n");
    clone.commit("local");
    let local = clone.git(&["rev-parse", "rendered/main"]);
    clone.git(&["checkout", "-q", "--detach"]);
    repo.git(&["checkout", "-q", "rendered/main"]);
    repo.write("b.txt", "b\n");
    repo.commit("remote");
    push_branch(repo.path(), remote, "rendered/main").expect("a push");
    let error = fetch_branch(clone.path(), remote, "rendered/main").expect_err("not a fast-forward");
    assert!(error.to_string().contains("`git fetch"), "{error}");
    assert_eq!(clone.git(&["rev-parse", "rendered/main"]), local, "never overwritten");
}
