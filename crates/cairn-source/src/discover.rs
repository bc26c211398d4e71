//! Finding a platform repository's root from any folder or file inside it: the nearest folder,
//! at or above it, that holds `cairn.yaml`. The search stops at the top of the git repository
//! (a platform never spans two repositories) and at the top of the file system.

use std::path::{Component, Path, PathBuf};

/// The settings file that marks a platform repository's root.
const MARKER: &str = "cairn.yaml";

/// Where the platform repository that holds a folder or a file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Root {
    /// The root, spelt from the path given where possible (`..` from `.`, `a` from `a/b`), so
    /// that reports name it as the user would; absolute otherwise.
    pub path: PathBuf,
    /// Whether a `cairn.yaml` marks it. When none is found, the root is the folder given (a
    /// file's folder), as it was before cairn looked upward.
    pub found: bool,
    /// The root, absolute and with links resolved; `None` when the path given does not exist.
    canonical: Option<PathBuf>,
}

impl Root {
    /// `path` (a file or folder inside the root, relative to the current folder or absolute) as
    /// a path of the platform repository: relative to the root and `/`-separated. `None` when it
    /// is not inside the root or does not exist.
    #[must_use]
    pub fn relative(&self, path: &Path) -> Option<String> {
        let canonical = path.canonicalize().ok()?;
        let relative = canonical.strip_prefix(self.canonical.as_ref()?).ok()?;
        Some(relative.to_string_lossy().replace('\\', "/"))
    }
}

/// The platform repository root for `start`, a folder or a file: the nearest folder at or above
/// it that holds `cairn.yaml`, looking no higher than the top of its git repository. A path that
/// does not exist is its own root, so that reading it fails with the reader's own error.
#[must_use]
pub fn find_root(start: &Path) -> Root {
    let folder = if start.is_file() {
        match start.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        }
    } else {
        start.to_path_buf()
    };
    let Ok(canonical) = folder.canonicalize() else {
        return Root { path: folder, found: false, canonical: None };
    };
    let mut levels = 0;
    let mut dir = canonical.as_path();
    loop {
        if dir.join(MARKER).is_file() {
            let found = dir.to_path_buf();
            return Root { path: spelt(&folder, levels, &found), found: true, canonical: Some(found) };
        }
        // The top of a work tree (`.git` is a folder, or a file in a linked work tree or a
        // submodule), or a bare repository itself.
        let top = dir.join(".git").exists() || (dir.join("HEAD").is_file() && dir.join("objects").is_dir());
        match dir.parent() {
            Some(parent) if !top => {
                dir = parent;
                levels += 1;
            }
            _ => return Root { path: folder, found: false, canonical: Some(canonical) },
        }
    }
}

/// `levels` folders above `folder`, spelt from `folder` when that names `found` (`.` up one is
/// `..`, `a/b` up one is `a`), else `found` itself.
fn spelt(folder: &Path, levels: usize, found: &Path) -> PathBuf {
    let mut path = folder.to_path_buf();
    for _ in 0..levels {
        match path.components().next_back() {
            Some(Component::Normal(_)) => {
                path.pop();
                if path.as_os_str().is_empty() {
                    path = PathBuf::from(".");
                }
            }
            Some(Component::CurDir) if path.components().count() == 1 => path = PathBuf::from(".."),
            _ => path.push(".."),
        }
    }
    // A folder given through a link has another parent than the link's: then say it absolutely.
    if path.canonicalize().ok().as_deref() == Some(found) { path } else { found.to_path_buf() }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::spelt;

    /// Relative paths are relative to the current folder, this crate's, in the cairn repository.
    #[test]
    fn a_relative_folder_is_spelt_relatively() {
        let up = |levels: usize, start: &str| {
            let mut found = Path::new(start).canonicalize().expect("exists");
            for _ in 0..levels {
                found.pop();
            }
            spelt(Path::new(start), levels, &found)
        };
        assert_eq!(up(1, "."), PathBuf::from(".."));
        assert_eq!(up(2, "."), PathBuf::from("../.."));
        assert_eq!(up(1, "src"), PathBuf::from("."));
        assert_eq!(up(1, "./src"), PathBuf::from("."));
        assert_eq!(up(1, "../cairn-source/src"), PathBuf::from("../cairn-source"));
        assert_eq!(up(0, "src"), PathBuf::from("src"));
    }
}
