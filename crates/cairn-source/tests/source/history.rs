//! `Source::history`: the versions of one file in a revision's first-parent history.

use cairn_source::{Contents, Source};

use crate::repo::{FIRST_COMMIT_TIME, Repo};

/// Each commit that added, changed or removed the file is a version, newest first, with its
/// committer time, author and bytes; commits that left it alone are not.
#[test]
fn a_files_versions_are_the_commits_that_changed_it() {
    let repo = Repo::new();
    repo.write("cairn.yaml", "version: 1\n").write("environments/dev.yaml", "ttl: 5d\n");
    let created = repo.commit("create");
    repo.write("catalog/other.yaml", "identifier: other\n");
    repo.commit("unrelated");
    repo.write("environments/dev.yaml", "ttl: 8d\n");
    let extended = repo.commit("extend");
    std::fs::remove_file(repo.path().join("environments/dev.yaml")).expect("removed");
    let removed = repo.commit("tear down");
    repo.write("environments/dev.yaml", "ttl: 2d\n");
    let again = repo.commit("again");

    let source = Source::git(repo.path(), "HEAD").expect("HEAD");
    let versions = source.history("environments/dev.yaml", 100).expect("a revision has history").expect("read");
    let commits: Vec<&str> = versions.iter().map(|version| version.commit.as_str()).collect();
    assert_eq!(commits, [again.as_str(), removed.as_str(), extended.as_str(), created.as_str()]);
    assert_eq!(versions[3].time, FIRST_COMMIT_TIME, "the committer time of the commit that created it");
    assert!(versions[1].blob.is_none(), "the removal is a version without bytes");
    assert!(!versions[3].author.is_empty());
    let bytes = |index: usize| {
        let blob = versions[index].blob.expect("a blob");
        match source.version_bytes("environments/dev.yaml", blob, 1_000).expect("a revision").expect("read") {
            Contents::Bytes(bytes) => String::from_utf8(bytes).expect("UTF-8"),
            Contents::TooLarge { size } => panic!("{size} bytes"),
        }
    };
    assert_eq!(
        (bytes(0), bytes(2), bytes(3)),
        ("ttl: 2d\n".to_owned(), "ttl: 8d\n".to_owned(), "ttl: 5d\n".to_owned())
    );

    // An older revision sees only its own past; `limit` bounds the walk.
    let before = Source::git(repo.path(), &extended).expect("a commit");
    let older = before.history("environments/dev.yaml", 100).expect("history").expect("read");
    assert_eq!(
        older.iter().map(|version| version.commit.as_str()).collect::<Vec<_>>(),
        [extended.as_str(), created.as_str()]
    );
    // At the edge of the walk, the oldest commit walked counts as a version when it holds the
    // file (what came before is not known).
    let short = source.history("environments/dev.yaml", 3).expect("history").expect("read");
    let short: Vec<&str> = short.iter().map(|version| version.commit.as_str()).collect();
    assert_eq!(short, [again.as_str(), removed.as_str(), extended.as_str()]);
    // A directory has no history.
    assert!(Source::directory(repo.path()).expect("a directory").history("environments/dev.yaml", 10).is_none());
}

/// In a platform inside a larger repository, paths are the platform's.
#[test]
fn history_reads_paths_of_a_platform_in_a_folder() {
    let repo = Repo::new();
    repo.write("platform/cairn.yaml", "version: 1\n").write("platform/environments/dev.yaml", "ttl: 5d\n");
    let created = repo.commit("create");
    let source = Source::git(&repo.path().join("platform"), "HEAD").expect("HEAD");
    let versions = source.history("environments/dev.yaml", 10).expect("history").expect("read");
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].commit, created);
}

/// Many files' histories in one walk are each what `history` gives for it alone: files of one
/// folder (changed in different commits, one removed and re-created, one whose folder comes and
/// goes), of another folder, and at the top.
#[test]
fn histories_in_one_walk_are_each_files_own_history() {
    let repo = Repo::new();
    repo.write("cairn.yaml", "version: 1\n").write("environments/a.yaml", "ttl: 1d\n");
    repo.commit("a");
    repo.write("environments/b.yaml", "ttl: 2d\n").write("catalog/x.yaml", "identifier: x\n");
    repo.commit("b and x");
    repo.write("environments/a.yaml", "ttl: 3d\n");
    repo.commit("extend a");
    repo.write("notes.txt", "unrelated\n");
    repo.commit("unrelated");
    std::fs::remove_file(repo.path().join("environments/a.yaml")).expect("removed");
    std::fs::remove_file(repo.path().join("environments/b.yaml")).expect("removed");
    repo.commit("the folder goes");
    repo.write("environments/a.yaml", "ttl: 4d\n").write("cairn.yaml", "version: 1 # again\n");
    repo.commit("a again");

    let source = Source::git(repo.path(), "HEAD").expect("HEAD");
    let paths = ["environments/a.yaml", "environments/b.yaml", "catalog/x.yaml", "cairn.yaml", "missing/z.yaml"];
    let all = source.histories(&paths, 100).expect("a revision has history").expect("read");
    assert_eq!(all.len(), paths.len());
    for (path, versions) in paths.iter().zip(&all) {
        let alone = source.history(path, 100).expect("history").expect("read");
        assert_eq!(versions, &alone, "{path}");
        let limited = source.histories(&[path], 3).expect("history").expect("read");
        assert_eq!(limited[0], source.history(path, 3).expect("history").expect("read"), "{path}");
    }
    let count = |index: usize| all[index].len();
    assert_eq!((count(0), count(1), count(2), count(3), count(4)), (4, 2, 1, 2, 0));
}

/// `changes_since` names exactly the files whose entries differ, whatever git's tree order puts
/// next to them: a file that becomes a folder of the same name, names that sort around a
/// folder's (`a-b` < `a/` < `a.yaml` in bytes: `-`, `/`, `.` are 0x2d, 0x2f, 0x2e), an added and
/// a removed file, and a folder whose tree did not change is not entered.
#[test]
fn changes_since_names_the_files_whose_entries_differ() {
    let repo = Repo::new();
    repo.write("a", "a file\n").write("a-b", "1\n").write("a.yaml", "1\n").write("c/d.yaml", "same\n");
    repo.write("gone.yaml", "bye\n");
    let before = repo.commit("before");
    std::fs::remove_file(repo.path().join("a")).expect("removed");
    std::fs::remove_file(repo.path().join("gone.yaml")).expect("removed");
    repo.write("a/inside.yaml", "now a folder\n").write("a.yaml", "2\n").write("new.yaml", "hi\n");
    repo.commit("after");

    let (old, new) =
        (Source::git(repo.path(), &before).expect("a commit"), Source::git(repo.path(), "HEAD").expect("HEAD"));
    let changes = new.changes_since(&old).expect("git revisions").expect("a diff");
    let shown: Vec<String> = changes
        .iter()
        .map(|change| format!("{} {} {}", change.path, change.before.is_some(), change.after.is_some()))
        .collect();
    assert_eq!(
        shown,
        ["a true false", "a.yaml true true", "a/inside.yaml false true", "gone.yaml true false", "new.yaml false true"]
    );
}
