//! A platform repository as a directory on disk. Links are listed, never followed.

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::{Contents, EntryKind, FileEntry, SourceError};

/// Where `root` is within the git work tree around it (`platform`), or empty when it is the
/// work tree's root or not in one. A folder git cannot open (no repository, a bare one, no
/// permission) has no prefix: its paths are reported as they are.
pub(crate) fn prefix(root: &Path) -> String {
    let Ok(absolute) = root.canonicalize() else { return String::new() };
    let Some(workdir) = gix::discover(&absolute).ok().and_then(|repo| repo.workdir().map(Path::to_path_buf)) else {
        return String::new();
    };
    let Ok(workdir) = workdir.canonicalize() else { return String::new() };
    absolute.strip_prefix(&workdir).map(|folder| folder.to_string_lossy().replace('\\', "/")).unwrap_or_default()
}

pub(crate) fn list(root: &Path) -> Result<Vec<FileEntry>, SourceError> {
    let mut files = Vec::new();
    let mut pending: Vec<(PathBuf, String)> = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = pending.pop() {
        let entries = fs::read_dir(&dir).map_err(|error| SourceError::Io { path: dir.clone(), error })?;
        for entry in entries {
            let entry = entry.map_err(|error| SourceError::Io { path: dir.clone(), error })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = format!("{prefix}{name}");
            // `file_type` does not follow links, unlike `metadata`, and usually needs no system
            // call of its own: the directory listing says what each entry is.
            let kind = entry.file_type().map_err(|error| SourceError::Io { path: entry.path(), error })?;
            if kind.is_symlink() {
                files.push(FileEntry { path, kind: EntryKind::Symlink, id: None });
            } else if kind.is_dir() {
                if name != ".git" {
                    pending.push((entry.path(), format!("{path}/")));
                }
            } else if kind.is_file() {
                files.push(FileEntry { path, kind: EntryKind::File, id: None });
            }
        }
    }
    Ok(files)
}

pub(crate) fn read(root: &Path, path: &str, limit: u64) -> Result<Contents, SourceError> {
    let full = root.join(path);
    let io = |error| SourceError::Io { path: full.clone(), error };
    let mut file = File::open(&full).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    // The listing saw a regular file; refuse anything else found at the path since.
    if !metadata.is_file() {
        return Err(SourceError::NotAFile(path.to_owned()));
    }
    if metadata.len() > limit {
        return Ok(Contents::TooLarge { size: metadata.len() });
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // A file that grew past the limit since is read only up to one byte over it. No limit
    // (`u64::MAX`) has no byte over it: `limit + 1` would overflow, and wrap to reading nothing.
    file.by_ref().take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Ok(Contents::TooLarge { size: bytes.len() as u64 });
    }
    Ok(Contents::Bytes(bytes))
}
