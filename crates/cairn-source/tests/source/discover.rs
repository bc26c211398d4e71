//! `find_root`: the platform repository's root, looked for upward from a folder or a file.

use std::fs;
use std::path::{Path, PathBuf};

use cairn_source::find_root;

use crate::repo::Repo;

/// A git repository with a platform in `platform/` and a `cairn.yaml` above the repository
/// (which must never be found).
fn monorepo() -> (tempfile::TempDir, PathBuf) {
    let outer = tempfile::tempdir().expect("a temporary directory");
    fs::write(outer.path().join("cairn.yaml"), "").expect("a marker outside the repository");
    let repo = outer.path().join("repo");
    for file in ["platform/cairn.yaml", "platform/catalog/team/a.yaml", "docs/x.yaml"] {
        let full = repo.join(file);
        fs::create_dir_all(full.parent().expect("a folder")).expect("folders");
        fs::write(full, "").expect("written");
    }
    fs::create_dir(repo.join(".git")).expect("the repository's marker");
    (outer, repo)
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().expect("exists")
}

#[test]
fn the_nearest_folder_with_cairn_yaml_at_or_above_a_folder_or_file_is_the_root() {
    let (_outer, repo) = monorepo();
    let platform = canonical(&repo.join("platform"));
    for start in ["platform", "platform/catalog", "platform/catalog/team", "platform/catalog/team/a.yaml"] {
        let root = find_root(&repo.join(start));
        assert!(root.found, "{start}");
        assert_eq!(canonical(&root.path), platform, "{start}");
    }
    let root = find_root(&repo.join("platform/catalog/team/a.yaml"));
    assert_eq!(root.relative(&repo.join("platform/catalog/team/a.yaml")).as_deref(), Some("catalog/team/a.yaml"));
    assert_eq!(root.relative(&repo.join("docs/x.yaml")), None, "outside the root");
}

#[test]
fn the_search_stops_at_the_top_of_the_git_repository() {
    let (_outer, repo) = monorepo();
    for (start, folder) in [("docs", "docs"), ("docs/x.yaml", "docs"), (".", ".")] {
        let root = find_root(&repo.join(start));
        assert!(!root.found, "{start}: the `cairn.yaml` above the repository is not its root");
        assert_eq!(root.path, repo.join(folder), "{start}: the folder given is the root");
    }
}

#[test]
fn the_root_is_spelt_from_the_path_given() {
    let repo = Repo::new();
    repo.write("cairn.yaml", "").write("catalog/team/a.yaml", "");
    // Lexically, not resolved: the parent of `…/catalog/team` is `…`, as given.
    let spelt = |start: &str| find_root(&repo.path().join(start)).path;
    assert_eq!(spelt("catalog/team"), repo.path());
    assert_eq!(spelt("catalog/team/a.yaml"), repo.path());
    assert_eq!(spelt("catalog/./team/.."), repo.path().join("catalog/./team/../.."));
}

#[test]
fn a_path_that_does_not_exist_is_its_own_root() {
    let root = find_root(Path::new("/no/such/folder"));
    assert!(!root.found);
    assert_eq!(root.path, PathBuf::from("/no/such/folder"));
}

#[test]
fn a_bare_repository_is_a_top() {
    let repo = Repo::new();
    repo.write("cairn.yaml", "");
    repo.commit("settings");
    let (dir, bare) = repo.bare_clone();
    fs::write(dir.path().join("cairn.yaml"), "").expect("a marker beside the bare repository");
    let root = find_root(&bare);
    assert!(!root.found);
    assert_eq!(root.path, bare);
}
