//! Where the platform is: its root, found by looking upward for `cairn.yaml` from the folder
//! given (`cairn_source::find_root`), or from files given on the command line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cairn_source::{Root, find_root};

use super::note;

/// The root of the platform that holds the folder `path`; with `verbose`, says which it chose.
pub fn root(path: &Path, verbose: bool) -> PathBuf {
    let root = find_root(path);
    if verbose {
        note(&describe(path, &root));
    }
    root.path
}

/// The note that names the root chosen for `path`.
pub fn describe(path: &Path, root: &Root) -> String {
    if !root.found {
        format!(
            "note: no `cairn.yaml` in `{}` or a folder above it: checking `{}` as the platform",
            path.display(),
            root.path.display()
        )
    } else if root.path == path {
        format!("note: the platform is `{}`", root.path.display())
    } else {
        format!(
            "note: the platform is `{}`, the nearest folder above `{}` with a `cairn.yaml`",
            root.path.display(),
            path.display()
        )
    }
}

/// The platform that holds every file of `files` (paths relative to the current folder, or
/// absolute), and each file as a path of that platform.
pub fn of_files(files: &[&Path]) -> Result<(PathBuf, BTreeSet<String>), String> {
    let mut platform: Option<(Root, &Path)> = None;
    let mut paths = BTreeSet::new();
    for &file in files {
        if !file.is_file() {
            return Err(if file.is_dir() {
                format!("`{}` is a folder: give one folder, or files only", file.display())
            } else {
                format!("`{}` is not a file", file.display())
            });
        }
        let root = find_root(file);
        if !root.found {
            return Err(format!(
                "`{}` is not in a platform: no `cairn.yaml` in its folder or a folder above it (up to the top of \
                 its git repository)\nhelp: give files of a platform repository, or narrow the hook's `files:` \
                 pattern to the platform's folder",
                file.display()
            ));
        }
        let relative = root.relative(file).ok_or_else(|| format!("`{}` cannot be resolved", file.display()))?;
        match &platform {
            // The same root, however each file spelt it.
            Some((first, first_file)) if first.relative(&root.path).as_deref() != Some("") => {
                return Err(format!(
                    "`{}` and `{}` are in two platforms (`{}` and `{}`): check one platform at a time",
                    first_file.display(),
                    file.display(),
                    first.path.display(),
                    root.path.display()
                ));
            }
            Some(_) => {}
            None => platform = Some((root, file)),
        }
        paths.insert(relative);
    }
    let (root, _) = platform.ok_or_else(|| "no file given".to_owned())?;
    Ok((root.path, paths))
}
