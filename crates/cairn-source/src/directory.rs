//! A platform repository as a directory on disk. Links are listed, never followed.

use std::fs;
use std::path::{Path, PathBuf};

use crate::{EntryKind, FileEntry, SourceError};

pub(crate) fn list(root: &Path) -> Result<Vec<FileEntry>, SourceError> {
    let mut files = Vec::new();
    let mut pending: Vec<(PathBuf, String)> = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = pending.pop() {
        let entries = fs::read_dir(&dir).map_err(|error| SourceError::Io { path: dir.clone(), error })?;
        for entry in entries {
            let entry = entry.map_err(|error| SourceError::Io { path: dir.clone(), error })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = format!("{prefix}{name}");
            // `file_type` does not follow links, unlike `metadata`.
            let kind = entry.file_type().map_err(|error| SourceError::Io { path: entry.path(), error })?;
            if kind.is_symlink() {
                files.push(FileEntry { path, kind: EntryKind::Symlink, id: None });
            } else if kind.is_dir() {
                if name != ".git" {
                    pending.push((entry.path(), format!("{path}/")));
                }
            } else if kind.is_file() {
                let size = entry.metadata().map_err(|error| SourceError::Io { path: entry.path(), error })?.len();
                files.push(FileEntry { path, kind: EntryKind::File { size }, id: None });
            }
        }
    }
    Ok(files)
}

pub(crate) fn read(root: &Path, path: &str) -> Result<Vec<u8>, SourceError> {
    let full = root.join(path);
    // The listing saw a regular file; refuse one replaced by a link since.
    match fs::symlink_metadata(&full) {
        Ok(metadata) if metadata.file_type().is_symlink() => Err(SourceError::NotAFile(path.to_owned())),
        _ => fs::read(&full).map_err(|error| SourceError::Io { path: full, error }),
    }
}
