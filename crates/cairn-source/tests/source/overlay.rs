//! `Source::overlay`: a directory's or a revision's files with some paths replaced, added or
//! removed in memory.

use std::collections::BTreeMap;

use cairn_source::{Contents, EntryKind, FileEntry, Merge, Origin, Source, SourceError, Writes};

use crate::repo::Repo;
use crate::{entries, listing};

/// A work tree committed with `a.yaml`, `b.yaml`, `folder/c.yaml` and a link to `b.yaml`.
fn fixture() -> Repo {
    let repo = Repo::new();
    repo.write("a.yaml", "a: 1\n").write("b.yaml", "b: 1\n").write("folder/c.yaml", "c: 1\n");
    repo.symlink("b.yaml", "link.yaml");
    repo.commit("files");
    repo
}

fn writes(pairs: &[(&str, Option<&str>)]) -> Writes {
    pairs.iter().map(|(path, bytes)| ((*path).to_owned(), bytes.map(|b| b.as_bytes().to_vec()))).collect()
}

fn entry(source: &Source, path: &str) -> FileEntry {
    source.files().expect("a listing").iter().find(|&entry| entry.path == path).cloned().expect(path)
}

fn text(source: &Source, path: &str) -> String {
    match source.reader().read(&entry(source, path), u64::MAX).expect(path) {
        Contents::Bytes(bytes) => String::from_utf8(bytes).expect("UTF-8"),
        Contents::TooLarge { size } => panic!("{path} is {size} bytes"),
    }
}

/// Replaced, added and removed paths, over a directory and over a revision alike: the listing
/// is the base's with the changes, sorted; written paths read from memory, the others from the
/// base; the link a write replaces is a file now.
#[test]
fn an_overlay_lists_and_reads_the_base_s_files_with_its_changes() {
    let repo = fixture();
    let bases = [Source::directory(repo.path()).expect("a directory"), Source::git(repo.path(), "HEAD").expect("HEAD")];
    for base in bases {
        let described = base.describe();
        let overlay = Source::overlay(
            base,
            writes(&[
                ("a.yaml", Some("a: 2\n")),
                ("folder/c.yaml", None),
                ("folder/new/d.yaml", Some("d: 1\n")),
                ("link.yaml", Some("now a file\n")),
                // Removing a path the base does not have changes nothing.
                ("absent.yaml", None),
            ]),
        );
        assert_eq!(
            listing(&overlay),
            entries(&[
                ("a.yaml", EntryKind::File),
                ("b.yaml", EntryKind::File),
                ("folder/new/d.yaml", EntryKind::File),
                ("link.yaml", EntryKind::File),
            ]),
            "over {described}"
        );
        assert_eq!(text(&overlay, "a.yaml"), "a: 2\n");
        assert_eq!(text(&overlay, "b.yaml"), "b: 1\n");
        assert_eq!(text(&overlay, "folder/new/d.yaml"), "d: 1\n");
        assert_eq!(text(&overlay, "link.yaml"), "now a file\n");
        assert_eq!(overlay.describe(), format!("{described} with 5 changed files"));
    }
    // Nothing was written: the work tree is as it was.
    assert_eq!(std::fs::read_to_string(repo.path().join("a.yaml")).expect("a.yaml"), "a: 1\n");
    assert!(!repo.path().join("folder/new").exists());
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

/// A written file over the caller's limit gives its size only, as a file on disk or a blob does.
#[test]
fn a_written_file_over_the_limit_gives_its_size() {
    let repo = fixture();
    let overlay = Source::overlay(repo_source(&repo), writes(&[("a.yaml", Some("0123456789"))]));
    let reader = overlay.reader();
    let a = entry(&overlay, "a.yaml");
    assert_eq!(reader.read(&a, 9).expect("a size"), Contents::TooLarge { size: 10 });
    assert_eq!(reader.read(&a, 10).expect("bytes"), Contents::Bytes(b"0123456789".to_vec()));
    // A base file keeps the base's answer.
    assert_eq!(reader.read(&entry(&overlay, "b.yaml"), 2).expect("a size"), Contents::TooLarge { size: 5 });
}

fn repo_source(repo: &Repo) -> Source {
    Source::git(repo.path(), "HEAD").expect("HEAD")
}

/// A path the overlay removes is not read through it, even with an entry listed by the base.
#[test]
fn a_removed_path_is_not_read_from_the_base() {
    let repo = fixture();
    let base = repo_source(&repo);
    let removed = entry(&base, "b.yaml");
    let overlay = Source::overlay(base, writes(&[("b.yaml", None)]));
    let error = overlay.reader().read(&removed, u64::MAX).expect_err("removed");
    assert!(matches!(&error, SourceError::NotAFile(path) if path == "b.yaml"), "{error:?}");
}

/// Over a revision, a written path has the blob id git gives its bytes, so that a reader reusing
/// parsed files by blob id reuses exactly the unchanged ones; over a directory no path has one.
#[test]
fn written_paths_have_the_blob_ids_git_gives_their_bytes() {
    let repo = fixture();
    let base = repo_source(&repo);
    let before = entry(&base, "b.yaml").blob_id().expect("a blob id");
    let overlay =
        Source::overlay(base, writes(&[("a.yaml", Some("a: 2\n")), ("b.yaml", Some("b: 1\n")), ("e.yaml", Some(""))]));
    let hash = |bytes: &str| {
        repo.write("hashed", bytes);
        repo.git(&["hash-object", "hashed"])
    };
    assert_eq!(entry(&overlay, "a.yaml").blob_id().map(|id| id.to_string()), Some(hash("a: 2\n")));
    assert_eq!(entry(&overlay, "e.yaml").blob_id().map(|id| id.to_string()), Some(hash("")));
    // The same bytes as the base's: the same id.
    assert_eq!(entry(&overlay, "b.yaml").blob_id(), Some(before));
    assert_eq!(
        entry(&overlay, "folder/c.yaml").blob_id().map(|id| id.to_string()),
        Some(repo.git(&["rev-parse", "HEAD:folder/c.yaml"]))
    );

    let directory =
        Source::overlay(Source::directory(repo.path()).expect("a directory"), writes(&[("a.yaml", Some("a: 2\n"))]));
    assert_eq!(entry(&directory, "a.yaml").blob_id(), None);
}

/// The overlay answers for its base: the commit, its time and where the platform is in the git
/// repository; one changed file is said in the singular.
#[test]
fn an_overlay_has_its_base_s_commit_time_and_prefix() {
    let repo = Repo::new();
    repo.write("platform/a.yaml", "a: 1\n").write("other.txt", "x");
    let commit = repo.commit("a platform in a folder");
    let base = Source::git(&repo.path().join("platform"), "HEAD").expect("HEAD");
    let (time, described) = (base.commit_time(), base.describe());
    let overlay = Source::overlay(base, writes(&[("a.yaml", Some("a: 2\n"))]));
    assert_eq!(overlay.commit(), Some(commit));
    assert_eq!(overlay.commit_time(), time);
    assert_eq!(overlay.prefix(), "platform");
    assert_eq!(overlay.describe(), format!("{described} with 1 changed file"));
    let expected = Origin::Overlay {
        base: Box::new(Source::git(&repo.path().join("platform"), "HEAD").expect("HEAD").origin()),
        changed: 1,
    };
    assert_eq!(overlay.origin(), expected);
    assert_eq!(listing(&overlay), entries(&[("a.yaml", EntryKind::File)]));
    assert_eq!(text(&overlay, "a.yaml"), "a: 2\n");

    let directory = Source::overlay(
        Source::directory(repo.path().join("platform")).expect("a directory"),
        writes(&[("b.yaml", Some("b: 1\n"))]),
    );
    assert_eq!((directory.commit(), directory.commit_time(), directory.prefix()), (None, None, "platform"));
}

/// Over a merged tree: the merged files, with the overlay's changes; a path the overlay writes
/// is no longer the base's tip's content.
#[test]
fn an_overlay_of_a_merged_tree_keeps_the_paths_only_the_base_changed_that_it_does_not_write() {
    let repo = Repo::new();
    repo.write("a", "a").write("b", "b").commit("branch point");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("c", "c on feature").commit("feature");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("a", "a on main").write("b", "b on main").commit("main moves on");
    let (base, head) =
        (Source::git(repo.path(), "main").expect("main"), Source::git(repo.path(), "feature").expect("feature"));
    let Some(Merge::Clean { merged, .. }) = Source::merge(&base, &head).expect("a merge") else { panic!("clean") };
    let head_commit = merged.commit();
    assert_eq!(
        merged.kept_from_base().map(|kept| kept.iter().cloned().collect::<Vec<_>>()),
        Some(vec!["a".into(), "b".into()])
    );
    let overlay = Source::overlay(merged, writes(&[("b", Some("b by the overlay"))]));
    assert_eq!(overlay.kept_from_base().map(|kept| kept.iter().cloned().collect::<Vec<_>>()), Some(vec!["a".into()]));
    assert_eq!(overlay.commit(), head_commit);
    assert_eq!(
        (text(&overlay, "a"), text(&overlay, "b"), text(&overlay, "c")),
        ("a on main".into(), "b by the overlay".into(), "c on feature".into())
    );
    // The plain sources have none.
    assert_eq!(Source::overlay(base, BTreeMap::new()).kept_from_base(), None);
}

/// An overlay of an overlay: the later writes win, the earlier ones show through elsewhere.
#[test]
fn overlays_stack() {
    let repo = fixture();
    let first =
        Source::overlay(repo_source(&repo), writes(&[("a.yaml", Some("first\n")), ("b.yaml", Some("first\n"))]));
    let second = Source::overlay(first, writes(&[("b.yaml", None), ("z.yaml", Some("second\n"))]));
    assert_eq!(
        listing(&second),
        entries(&[
            ("a.yaml", EntryKind::File),
            ("folder/c.yaml", EntryKind::File),
            ("link.yaml", EntryKind::Symlink),
            ("z.yaml", EntryKind::File),
        ])
    );
    assert_eq!((text(&second, "a.yaml"), text(&second, "z.yaml")), ("first\n".into(), "second\n".into()));
}
