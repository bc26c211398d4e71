//! `Source::git`: which commit and tree a rev-spec and a path give, and why one is refused.

use std::error::Error as _;

use cairn_source::{CommitId, Contents, EntryKind, Origin, Source, SourceError};

use crate::repo::{FIRST_COMMIT_TIME, Repo};
use crate::{entries, listing};

/// Three commits on `main`, each writing its number to `version.txt`: the first tagged `v1`
/// (annotated) and `light` (lightweight), the second the tip of `feature`.
fn history() -> (Repo, [String; 3]) {
    let repo = Repo::new();
    let first = repo.write("version.txt", "1").commit("first");
    repo.git(&["tag", "-a", "v1", "-m", "version 1"]);
    repo.git(&["tag", "light"]);
    let second = repo.write("version.txt", "2").commit("second");
    repo.git(&["branch", "feature"]);
    let third = repo.write("version.txt", "3").commit("third");
    (repo, [first, second, third])
}

/// The bytes of `path` in `source`.
fn read(source: &Source, path: &str) -> Vec<u8> {
    let entry = source.files().expect("a listing").iter().find(|&entry| entry.path == path).cloned().expect(path);
    match source.reader().read(&entry, u64::MAX).expect("readable") {
        Contents::Bytes(bytes) => bytes,
        Contents::TooLarge { size } => panic!("{path} is {size} bytes, over no limit"),
    }
}

#[test]
fn a_rev_spec_resolves_to_its_commit_and_that_commit_s_tree() {
    let (repo, [first, second, third]) = history();
    let cases = [
        ("HEAD", &third, "3"),
        ("main", &third, "3"),
        ("feature", &second, "2"),
        ("v1", &first, "1"),
        ("light", &first, "1"),
        (second.as_str(), &second, "2"),
        (&first[..7], &first, "1"),
        ("HEAD~1", &second, "2"),
        ("HEAD^^", &first, "1"),
    ];
    for (rev, commit, version) in cases {
        let source = Source::git(repo.path(), rev).unwrap_or_else(|error| panic!("{rev}: {error:?}"));
        assert_eq!(source.commit().as_deref(), Some(commit.as_str()), "{rev}");
        assert_eq!(source.describe(), format!("revision `{rev}` ({})", &commit[..12]), "{rev}");
        assert_eq!(read(&source, "version.txt"), version.as_bytes(), "{rev}");
    }
}

#[test]
fn a_revision_that_does_not_resolve_is_refused_with_its_cause() {
    let (repo, _) = history();
    // An object that is not a commit, and an empty spec: refused with gix's cause.
    for rev in ["HEAD:version.txt", ""] {
        let error = Source::git(repo.path(), rev).expect_err(rev);
        assert!(matches!(&error, SourceError::Revision { rev: r, .. } if r == rev), "{rev}: {error:?}");
        assert_eq!(error.to_string(), format!("cannot resolve revision `{rev}`"));
        assert!(error.source().is_some(), "{rev}: {error:?}");
    }
}

/// An unknown name is named, with the branches and tags near it; a name that is known but whose
/// history has no such commit says so, not how gix walked.
#[test]
fn an_unknown_revision_is_named_with_the_names_near_it() {
    let (repo, _) = history();
    let cases = [
        ("mian", "unknown revision `mian`", Some("did you mean `main`?")),
        ("featur~1", "unknown revision `featur`", Some("did you mean `feature`?")),
        ("v2", "unknown revision `v2`", Some("did you mean `v1`?")),
        (
            "no-such-branch",
            "unknown revision `no-such-branch`",
            Some("give a branch, a tag or a commit id of this repository (`git branch --all` lists the branches)"),
        ),
        ("HEAD~3", "revision `HEAD~3` is not in the history of `HEAD`", None),
        (
            "0123456789abcdef0123456789abcdef01234567",
            "commit `0123456789abcdef0123456789abcdef01234567` is not in this clone",
            Some(
                "fetch it (`git fetch origin 0123456789abcdef0123456789abcdef01234567`; `actions/checkout` fetches it with `fetch-depth: 0`)",
            ),
        ),
    ];
    for (rev, message, help) in cases {
        let error = Source::git(repo.path(), rev).expect_err(rev);
        assert_eq!((error.to_string().as_str(), error.help().as_deref()), (message, help), "{rev}: {error:?}");
        assert!(!error.to_string().contains("delegate"), "{error:?}");
    }
}

/// In a clone of one commit, `HEAD~1` and the base commit of a pull request are missing
/// history: the error says so and how to fetch it.
#[test]
fn a_shallow_clone_says_to_fetch_the_whole_history() {
    let (repo, [first, _, _]) = history();
    let (_dir, clone) = repo.shallow_clone(1, "main");
    let fetch = "this clone is shallow: fetch the whole history (`fetch-depth: 0` in `actions/checkout`, or `git fetch --unshallow`)";
    let cases = [
        ("HEAD~1".to_owned(), "revision `HEAD~1` is beyond the history of this shallow clone".to_owned()),
        ("main^".to_owned(), "revision `main^` is beyond the history of this shallow clone".to_owned()),
        (first.clone(), format!("commit `{first}` is not in this clone")),
    ];
    for (rev, message) in cases {
        let error = Source::git(&clone, &rev).expect_err(&rev);
        assert_eq!((error.to_string(), error.help()), (message, Some(fetch.to_owned())), "{rev}: {error:?}");
    }
    // What the clone has still reads.
    assert!(Source::git(&clone, "HEAD").is_ok());
}

#[test]
fn a_path_outside_any_repository_is_refused_with_its_cause() {
    let outside = tempfile::tempdir().expect("a temporary directory");
    let error = Source::git(outside.path(), "HEAD").expect_err("not a repository");
    assert!(matches!(&error, SourceError::NotARepository { path, .. } if path == outside.path()), "{error:?}");
    assert_eq!(error.to_string(), format!("`{}` is not in a git repository", outside.path().display()));
    assert!(error.source().is_some(), "{error:?}");
    assert!(error.help().is_some_and(|help| help.contains("git work tree")), "{error:?}");

    // A path that does not exist is named as such, before git is asked.
    let missing = outside.path().join("missing");
    let error = Source::git(&missing, "HEAD").expect_err("missing");
    assert!(matches!(&error, SourceError::NotFound(path) if *path == missing), "{error:?}");
    assert_eq!(error.to_string(), format!("`{}` does not exist", missing.display()));
}

#[test]
fn a_folder_of_the_work_tree_is_read_alone() {
    let repo = Repo::new();
    repo.write("README.md", "outside").write("platform/cairn.yaml", "x").write("platform/teams/a.yaml", "a");
    let commit = repo.commit("a platform inside a larger repository");
    let cases = [
        ("platform", vec![("cairn.yaml", EntryKind::File), ("teams/a.yaml", EntryKind::File)]),
        ("platform/teams", vec![("a.yaml", EntryKind::File)]),
    ];
    for (folder, expected) in cases {
        let source = Source::git(&repo.path().join(folder), "HEAD").expect(folder);
        assert_eq!(listing(&source), entries(&expected), "{folder}");
        assert_eq!(source.describe(), format!("`{folder}` at revision `HEAD` ({})", &commit[..12]));
    }
}

#[test]
fn a_folder_missing_at_the_revision_is_refused() {
    let repo = Repo::new();
    repo.write("README.md", "before").commit("before the platform");
    repo.write("platform/cairn.yaml", "x").commit("the platform");
    let error = Source::git(&repo.path().join("platform"), "HEAD~1").expect_err("no folder yet");
    assert!(
        matches!(&error, SourceError::Subfolder { rev, folder } if rev == "HEAD~1" && folder == "platform"),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "revision `HEAD~1` has no folder `platform`");
    assert_eq!(
        error.help().as_deref(),
        Some(
            "`platform` is not committed at `HEAD~1`: commit it, or check the files on disk by leaving out the revisions"
        )
    );
}

#[test]
fn a_bare_repository_is_read() {
    let (repo, [_, _, third]) = history();
    let (_dir, bare) = repo.bare_clone();
    let source = Source::git(&bare, "main").expect("a bare repository");
    assert_eq!(source.commit().as_deref(), Some(third.as_str()));
    assert_eq!(listing(&source), entries(&[("version.txt", EntryKind::File)]));
    assert_eq!(read(&source, "version.txt"), b"3");
}

#[test]
fn commit_time_is_the_committer_s_in_seconds_since_the_epoch() {
    let (repo, _) = history();
    let cases = [("HEAD~2", FIRST_COMMIT_TIME), ("v1", FIRST_COMMIT_TIME), ("HEAD", FIRST_COMMIT_TIME + 120)];
    for (rev, time) in cases {
        let source = Source::git(repo.path(), rev).expect(rev);
        assert_eq!(source.commit_time(), Some(time), "{rev}");
    }
    // The author's time differs and is not the one given; so does the time zone's offset.
    let other = Repo::new();
    other.write("a", "a").commit_at("dated", 1_000_000_000, 1_234_567_890);
    assert_eq!(Source::git(other.path(), "HEAD").expect("HEAD").commit_time(), Some(1_234_567_890));
}

#[test]
fn a_directory_has_no_commit() {
    let (repo, _) = history();
    let source = Source::directory(repo.path()).expect("a directory");
    assert_eq!((source.commit(), source.commit_time()), (None, None));
    assert_eq!(source.describe(), format!("`{}`", repo.path().display()));
}

/// `origin()` is what `describe()` says, as data: a directory's path, a revision as given with
/// its full commit and the platform's folder; `describe()` is its wording.
#[test]
fn the_origin_is_what_is_read_as_data() {
    let repo = Repo::new();
    repo.write("platform/cairn.yaml", "x").write("README.md", "outside");
    let commit = repo.commit("a platform in a folder");
    let id = CommitId::parse(&commit).expect("a full commit id");

    let directory = Source::directory(repo.path()).expect("a directory");
    assert_eq!(directory.origin(), Origin::Directory { path: repo.path().to_path_buf() });
    assert_eq!(directory.origin().commit(), None);

    let root = Source::git(repo.path(), "HEAD").expect("HEAD");
    let expected = Origin::Revision { rev: "HEAD".to_owned(), commit: id, folder: String::new() };
    assert_eq!(root.origin(), expected);
    assert_eq!(root.origin().commit(), Some(id));
    assert_eq!(root.describe(), root.origin().to_string());

    let folder = Source::git(&repo.path().join("platform"), &commit[..7]).expect("a short SHA");
    let expected = Origin::Revision { rev: commit[..7].to_owned(), commit: id, folder: "platform".to_owned() };
    assert_eq!(folder.origin(), expected);
    assert_eq!(folder.describe(), format!("`platform` at revision `{}` ({})", &commit[..7], &commit[..12]));
}

#[test]
fn the_prefix_is_where_the_platform_is_in_its_git_repository() {
    let repo = Repo::new();
    repo.write("README.md", "outside").write("platform/cairn.yaml", "x").write("platform/teams/a.yaml", "a");
    repo.commit("a platform inside a larger repository");
    for folder in ["", "platform", "platform/teams"] {
        let path = repo.path().join(folder);
        assert_eq!(Source::git(&path, "HEAD").expect(folder).prefix(), folder, "at a revision");
        assert_eq!(Source::directory(&path).expect(folder).prefix(), folder, "on disk");
    }
    // A folder in no git repository has no prefix: its paths are reported as they are.
    let outside = tempfile::tempdir().expect("a temporary directory");
    std::fs::create_dir(outside.path().join("platform")).expect("a folder");
    assert_eq!(Source::directory(outside.path().join("platform")).expect("a directory").prefix(), "");
}
