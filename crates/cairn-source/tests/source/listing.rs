//! `Source::files`: sorted, links listed and never followed, submodules listed and never entered.

use cairn_source::EntryKind::{File, Submodule, Symlink};
use cairn_source::Source;
use cairn_source::{Contents, EntryKind, SourceError};

use crate::repo::Repo;
use crate::{entries, listing};

/// Paths that sort differently by bytes, by case and by folder, and links to a file and to a
/// folder (which, if followed, would add `link-to-folder/c.yaml`).
fn fixture() -> Repo {
    let repo = Repo::new();
    repo.write("b.yaml", "b")
        .write("a/c.yaml", "c")
        .write("a/b/d.yaml", "d")
        .write("A.yaml", "A")
        .write("a-b.yaml", "a-b")
        .symlink("b.yaml", "link-to-file")
        .symlink("a", "link-to-folder")
        .symlink("/etc/passwd", "link-outside");
    repo
}

/// What both sources list for the fixture, sorted by bytes.
const COMMON: [(&str, EntryKind); 8] = [
    ("A.yaml", File),
    ("a-b.yaml", File),
    ("a/b/d.yaml", File),
    ("a/c.yaml", File),
    ("b.yaml", File),
    ("link-outside", Symlink),
    ("link-to-file", Symlink),
    ("link-to-folder", Symlink),
];

#[test]
fn a_directory_lists_its_files_sorted_without_following_links_or_entering_git() {
    let repo = fixture();
    repo.commit("files");
    let source = Source::directory(repo.path()).expect("a directory");
    // `.git` is a folder of the work tree and is skipped.
    assert_eq!(listing(&source), entries(&COMMON));
}

#[test]
fn a_revision_lists_its_files_sorted_with_links_and_submodules() {
    let repo = fixture();
    let first = repo.commit("files");
    repo.submodule("vendor/tool", &first);
    repo.commit("a submodule");
    let source = Source::git(repo.path(), "HEAD").expect("a revision");
    let mut expected = entries(&COMMON);
    expected.push(("vendor/tool".to_owned(), Submodule));
    assert_eq!(listing(&source), expected);
}

#[test]
fn links_and_submodules_are_never_read() {
    let repo = fixture();
    let first = repo.commit("files");
    repo.submodule("vendor/tool", &first);
    repo.commit("a submodule");
    let sources =
        [Source::directory(repo.path()).expect("a directory"), Source::git(repo.path(), "HEAD").expect("a revision")];
    for source in &sources {
        let reader = source.reader();
        for entry in source.files().expect("a listing") {
            let read = reader.read(&entry, u64::MAX);
            match entry.kind {
                File => assert!(matches!(read, Ok(Contents::Bytes(_))), "{}: {read:?}", entry.path),
                Symlink | Submodule => {
                    assert!(
                        matches!(&read, Err(SourceError::NotAFile(path)) if *path == entry.path),
                        "{}: {read:?}",
                        entry.path
                    );
                }
            }
        }
    }
}

#[test]
fn a_path_that_is_not_a_directory_is_refused() {
    let repo = fixture();
    for path in ["b.yaml", "missing"] {
        let error = Source::directory(repo.path().join(path)).expect_err(path);
        assert!(matches!(error, SourceError::NotADirectory(_)), "{error:?}");
    }
}
