//! Writing an import into its folder: never outside it, never through a symbolic link, and
//! into a folder with other files only when asked (`force`), then replacing only the files the
//! import writes.

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// Why an import could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The folder holds files already, and `force` was not given.
    #[error("`{0}` is not empty")]
    NotEmpty(PathBuf),
    /// A folder or file the import would write is a symbolic link.
    #[error("`{0}` is a symbolic link, which the import never writes through")]
    Link(PathBuf),
    /// A folder the import would write into is a file, or a file it would write is a folder.
    #[error("`{0}` is in the way: the import writes a {1} there")]
    InTheWay(PathBuf, &'static str),
    /// A path of the import that is not a plain relative path (never built by the import).
    #[error("`{0}` is not a path inside the folder")]
    Outside(String),
    #[error("cannot write `{path}`")]
    Io {
        path: PathBuf,
        #[source]
        error: std::io::Error,
    },
}

/// What writing did, by path relative to the folder, sorted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Files that were not there.
    pub created: Vec<String>,
    /// Files that were there with other contents (only with `force`).
    pub replaced: Vec<String>,
    /// Files that were there with these very contents, left alone.
    pub unchanged: Vec<String>,
}

/// Writes `files` (relative `/`-separated paths and their text) into `out`, created if needed.
/// `out` must be new or empty (a `.git` entry aside) unless `force`; then files of `out` that
/// the import does not write are left as they are. Every path is checked before anything is
/// written, so that an import is written whole or not at all, short of an I/O failure.
pub fn write(files: &BTreeMap<String, String>, out: &Path, force: bool) -> Result<Written, WriteError> {
    match std::fs::read_dir(out) {
        Ok(mut entries) => {
            if !force && entries.any(|entry| entry.is_ok_and(|entry| entry.file_name() != ".git")) {
                return Err(WriteError::NotEmpty(out.to_path_buf()));
            }
        }
        Err(error) if error.kind() == ErrorKind::NotFound => {}
        Err(error) => return Err(WriteError::Io { path: out.to_path_buf(), error }),
    }
    let mut plan = Vec::new();
    for (path, text) in files {
        let target = checked(out, path)?;
        let state = match std::fs::read(&target) {
            Ok(existing) if existing == text.as_bytes() => State::Unchanged,
            Ok(_) => State::Replaced,
            Err(error) if error.kind() == ErrorKind::NotFound => State::Created,
            Err(error) => return Err(WriteError::Io { path: target, error }),
        };
        plan.push((path, text, target, state));
    }
    let mut written = Written::default();
    for (path, text, target, state) in plan {
        let list = match state {
            State::Unchanged => {
                written.unchanged.push(path.clone());
                continue;
            }
            State::Replaced => &mut written.replaced,
            State::Created => &mut written.created,
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|error| WriteError::Io { path: parent.to_path_buf(), error })?;
        }
        std::fs::write(&target, text).map_err(|error| WriteError::Io { path: target.clone(), error })?;
        list.push(path.clone());
    }
    Ok(written)
}

enum State {
    Created,
    Replaced,
    Unchanged,
}

/// `out` joined with `path`, after checking that each part of `path` is a plain name and that
/// nothing on the way is a symbolic link, or a file where a folder goes (or the reverse).
fn checked(out: &Path, path: &str) -> Result<PathBuf, WriteError> {
    let parts: Vec<&str> = path.split('/').collect();
    if parts.iter().any(|part| part.is_empty() || matches!(*part, "." | "..") || part.contains(['\\', ':', '\0'])) {
        return Err(WriteError::Outside(path.to_owned()));
    }
    let mut target = out.to_path_buf();
    for (index, part) in parts.iter().enumerate() {
        target.push(part);
        let last = index + 1 == parts.len();
        match std::fs::symlink_metadata(&target) {
            Ok(metadata) if metadata.file_type().is_symlink() => return Err(WriteError::Link(target)),
            Ok(metadata) if last && metadata.is_dir() => return Err(WriteError::InTheWay(target, "file")),
            Ok(metadata) if !last && !metadata.is_dir() => return Err(WriteError::InTheWay(target, "folder")),
            Ok(_) => {}
            Err(error) if error.kind() == ErrorKind::NotFound => break,
            Err(error) => return Err(WriteError::Io { path: target, error }),
        }
    }
    Ok(out.join(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(path, text)| ((*path).to_owned(), (*text).to_owned())).collect()
    }

    #[test]
    fn a_folder_with_files_is_refused_unless_forced_and_then_only_the_imports_files_change() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("out");
        let first = write(&files(&[("a/b.yaml", "one\n"), ("c.yaml", "two\n")]), &out, false).expect("written");
        assert_eq!(first.created, ["a/b.yaml", "c.yaml"]);
        std::fs::write(out.join("mine.txt"), "kept").expect("a file of the user's");

        let again = files(&[("a/b.yaml", "one\n"), ("c.yaml", "three\n")]);
        assert!(matches!(write(&again, &out, false), Err(WriteError::NotEmpty(_))));
        assert_eq!(std::fs::read_to_string(out.join("c.yaml")).expect("c"), "two\n", "nothing written");

        let forced = write(&again, &out, true).expect("written");
        assert_eq!(
            forced,
            Written { created: vec![], replaced: vec!["c.yaml".into()], unchanged: vec!["a/b.yaml".into()] }
        );
        assert_eq!(std::fs::read_to_string(out.join("c.yaml")).expect("c"), "three\n");
        assert_eq!(std::fs::read_to_string(out.join("mine.txt")).expect("mine"), "kept");
    }

    #[test]
    fn paths_that_leave_the_folder_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        for path in ["../x.yaml", "a/../../x.yaml", "/x.yaml", "a//b.yaml", "a\\b.yaml", "c:x.yaml"] {
            assert!(matches!(write(&files(&[(path, "x")]), dir.path(), false), Err(WriteError::Outside(_))), "{path}");
        }
        assert_eq!(std::fs::read_dir(dir.path()).expect("listed").count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_on_the_way_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let elsewhere = tempfile::tempdir().expect("another temp dir");
        let out = dir.path().join("out");
        std::fs::create_dir(&out).expect("out");
        std::os::unix::fs::symlink(elsewhere.path(), out.join("catalog")).expect("a link");
        let import = files(&[("blueprints/a.yaml", "a\n"), ("catalog/a/x.yaml", "x\n")]);
        assert!(matches!(write(&import, &out, true), Err(WriteError::Link(_))));
        assert!(!out.join("blueprints").exists(), "nothing written");
        assert_eq!(std::fs::read_dir(elsewhere.path()).expect("listed").count(), 0);
    }
}
