//! Writing blobs, trees and commits, reading them back, and moving a branch by compare-and-swap.

use cairn_source::{BranchUpdate, CommitId, EntryKind, NewCommit, Repository, Signature, TreeFile};

use crate::repo::Repo;

fn cairn(time: i64) -> Signature {
    Signature { name: "cairn".into(), email: "cairn@localhost".into(), time }
}

fn file(path: &str, bytes: &[u8]) -> TreeFile {
    TreeFile { path: path.into(), kind: EntryKind::File, bytes: Some(bytes.to_vec()) }
}

#[test]
fn a_tree_of_nested_files_and_a_commit_read_back_as_written() {
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    let main = CommitId::parse(&repo.commit("first")).expect("a commit id");
    let objects = Repository::open(repo.path()).expect("a repository");
    let files: [(&str, &[u8]); 3] = [("b/c/d.yaml", b"d: 1\n"), ("a.txt", b"x"), ("b/e.json", b"{}\n")];
    let tree = objects.write_tree(files).expect("a tree");
    let message = "Render abc: subject\n\nBody line.\n\nCairn-Source-Commit: abc\nCairn-Version: 1.0\n";
    let commit = NewCommit { tree, parents: vec![main], message, signature: cairn(1_700_000_000) };
    let id = objects.write_commit(&commit).expect("a commit");
    // The same commit written again is the same object: ids are deterministic.
    assert_eq!(objects.write_commit(&commit).expect("a commit"), id);

    let info = objects.commit(id).expect("the commit");
    assert_eq!((info.tree, info.parents.clone(), info.time), (tree, vec![main], 1_700_000_000));
    assert_eq!(info.subject, "Render abc: subject");
    assert_eq!(info.message, message);
    assert_eq!(info.trailer("cairn-source-commit"), Some("abc"));
    assert_eq!(info.trailer("Cairn-Version"), Some("1.0"));
    assert_eq!(info.trailer("Body line."), None);
    assert_eq!(
        objects.commit_files(id).expect("the files"),
        vec![file("a.txt", b"x"), file("b/c/d.yaml", b"d: 1\n"), file("b/e.json", b"{}\n")]
    );
    // git itself reads the same tree, modes included.
    let listed = repo.git(&["ls-tree", "-r", &id.to_string()]);
    assert!(listed.lines().all(|line| line.starts_with("100644 blob ")), "{listed}");
    assert_eq!(
        repo.git(&["log", "-1", "--format=%an <%ae> %at %ct", &id.to_string()]),
        "cairn <cairn@localhost> 1700000000 1700000000"
    );
}

#[test]
fn a_path_git_refuses_is_an_error() {
    let repo = Repo::new();
    let objects = Repository::open(repo.path()).expect("a repository");
    let files: [(&str, &[u8]); 1] = [("a/../../b", b"x")];
    assert!(objects.write_tree(files).is_err());
    let files: [(&str, &[u8]); 1] = [(".git/config", b"x")];
    assert!(objects.write_tree(files).is_err());
}

#[test]
fn a_branch_moves_only_from_the_tip_that_was_read() {
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    let main = CommitId::parse(&repo.commit("first")).expect("a commit id");
    let objects = Repository::open(repo.path()).expect("a repository");
    assert_eq!(objects.branch_tip("rendered/main").expect("no branch"), None);
    let files: [(&str, &[u8]); 1] = [("x", b"1")];
    let tree = objects.write_tree(files).expect("a tree");
    let one = objects
        .write_commit(&NewCommit { tree, parents: vec![], message: "one\n", signature: cairn(1) })
        .expect("a commit");
    let two = objects
        .write_commit(&NewCommit { tree, parents: vec![one], message: "two\n", signature: cairn(2) })
        .expect("a commit");

    assert_eq!(objects.update_branch("rendered/main", one, None).expect("created"), BranchUpdate::Updated);
    assert_eq!(objects.branch_tip("rendered/main").expect("a tip"), Some(one));
    // It exists now: creating it again loses.
    assert_eq!(
        objects.update_branch("rendered/main", two, None).expect("a lost race"),
        BranchUpdate::Moved { tip: Some(one) }
    );
    // Expecting another tip loses, and nothing moves.
    assert_eq!(
        objects.update_branch("rendered/main", two, Some(main)).expect("a lost race"),
        BranchUpdate::Moved { tip: Some(one) }
    );
    assert_eq!(objects.update_branch("rendered/main", two, Some(one)).expect("moved"), BranchUpdate::Updated);
    assert_eq!(repo.git(&["rev-parse", "rendered/main"]), two.to_string());
    assert!(objects.update_branch("bad..name", two, None).is_err());
}

#[test]
fn ancestry() {
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    let first = CommitId::parse(&repo.commit("first")).expect("a commit id");
    repo.write("a.txt", "b\n");
    let second = CommitId::parse(&repo.commit("second")).expect("a commit id");
    repo.git(&["checkout", "-q", "--orphan", "other"]);
    let other = CommitId::parse(&repo.commit("unrelated")).expect("a commit id");
    let objects = Repository::open(repo.path()).expect("a repository");
    assert!(objects.is_ancestor(first, second).expect("an answer"));
    assert!(objects.is_ancestor(first, first).expect("an answer"));
    assert!(!objects.is_ancestor(second, first).expect("an answer"));
    assert!(!objects.is_ancestor(first, other).expect("an answer"));
    assert_eq!(objects.resolve("main~1").expect("a commit"), first);
}
