//! A platform repository as a directory on disk. Links are listed, never followed; what the
//! repository's `.gitignore` files ignore is skipped, as it is absent from every revision.

use std::fs::File;
use std::io::Read;
use std::path::Path;

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
    // Only `.gitignore` files, the ones committed with the repository: `.git/info/exclude` and
    // the user's global excludes file would make one clone's check differ from another's (and
    // from CI's). As git does, they apply only inside a git repository (`require_git`), and those
    // of the folders above `root` up to the repository's top apply too (`parents`).
    let walk = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .git_ignore(true)
        .parents(true)
        .require_git(true)
        .follow_links(false)
        .filter_entry(|entry| entry.file_name() != ".git")
        .build();
    let mut files = Vec::new();
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            // A `.gitignore` line that is not a valid pattern: git skips such a line too.
            Err(error) if !error.is_io() => continue,
            Err(error) => return Err(walk_error(root, error)),
        };
        if entry.depth() == 0 {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(root) else { continue };
        let path = relative.to_string_lossy().replace('\\', "/");
        // The walker's kind comes from the directory listing: it does not follow links, unlike
        // `metadata`, and usually needs no system call of its own.
        let Some(kind) = entry.file_type() else { continue };
        if kind.is_symlink() {
            files.push(FileEntry { path, kind: EntryKind::Symlink, id: None });
        } else if kind.is_file() {
            files.push(FileEntry { path, kind: EntryKind::File, id: None });
        }
    }
    Ok(files)
}

/// A folder or a `.gitignore` that cannot be read: the tool failing.
fn walk_error(root: &Path, error: ignore::Error) -> SourceError {
    let path = match &error {
        ignore::Error::WithPath { path, .. } => path.clone(),
        _ => root.to_path_buf(),
    };
    let error = error.into_io_error().unwrap_or_else(|| std::io::Error::other("the directory walk failed"));
    SourceError::Io { path, error }
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
