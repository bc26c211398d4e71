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
        for entry in source.files().expect("a listing").iter() {
            let read = reader.read(entry, u64::MAX);
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

/// A repository with `.gitignore` files at the top, in a folder, and above the platform folder,
/// and files each ignores.
fn ignoring() -> Repo {
    let repo = Repo::new();
    repo.write(".gitignore", "/platform/catalog/generated/\n*.tmp.yaml\n[invalid\n")
        .write("platform/cairn.yaml", "")
        .write("platform/catalog/a.yaml", "a")
        .write("platform/catalog/b.tmp.yaml", "ignored by a pattern of the top folder")
        .write("platform/catalog/generated/c.yaml", "ignored as a folder")
        .write("platform/environments/.gitignore", "local.yaml\n")
        .write("platform/environments/local.yaml", "ignored by the folder's own .gitignore")
        .write("platform/environments/dev.yaml", "dev");
    repo
}

#[test]
fn a_directory_in_a_work_tree_skips_what_gitignore_files_ignore_as_a_revision_lacks_it() {
    let repo = ignoring();
    repo.commit("files");
    let platform = repo.path().join("platform");
    let expected = entries(&[
        ("cairn.yaml", File),
        ("catalog/a.yaml", File),
        ("environments/.gitignore", File),
        ("environments/dev.yaml", File),
    ]);
    // The `.gitignore` of the folder above the platform applies too: git reads it.
    assert_eq!(listing(&Source::directory(&platform).expect("a directory")), expected);
    assert_eq!(listing(&Source::git(&platform, "HEAD").expect("a revision")), expected);
}

#[test]
fn a_directory_outside_git_reads_every_file_as_git_ignores_nothing_there() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join(".gitignore"), "*.yaml\n").expect("written");
    std::fs::write(dir.path().join("a.yaml"), "a").expect("written");
    let source = Source::directory(dir.path()).expect("a directory");
    assert_eq!(listing(&source), entries(&[(".gitignore", File), ("a.yaml", File)]));
}

#[test]
fn an_ignored_link_is_not_listed_and_a_listed_one_is_not_followed() {
    let repo = Repo::new();
    repo.write(".gitignore", "ignored-link\n").write("a/b.yaml", "b").symlink("a", "ignored-link").symlink("a", "link");
    let source = Source::directory(repo.path()).expect("a directory");
    assert_eq!(listing(&source), entries(&[(".gitignore", File), ("a/b.yaml", File), ("link", Symlink)]));
}
