//! `write_worktree`: a run's writes put into a platform on disk, as `cairn run` without `--pr`
//! does. Every write is checked before any is made: the path is a plain relative path with no
//! link on the way, and the file on disk still has the bytes the run read (the working tree has
//! not moved on since). Then each file is replaced at once: its new bytes go to a temporary file
//! beside it, which a rename puts in its place, so that a reader (or a crash) sees the old file
//! or the new one, never half of one.

use std::collections::BTreeSet;
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};

use super::apply::{FileWrite, unsafe_path};

/// Why the writes were not all made. Every check runs before the first write, so each error but
/// `Io` means nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum WorktreeError {
    #[error("`{}` is not a folder", .0.display())]
    NotAFolder(PathBuf),
    #[error("`{path}` is not a plain relative path inside the platform: {reason}")]
    UnsafePath { path: String, reason: &'static str },
    #[error("`{0}` is written twice")]
    Twice(String),
    #[error("`{}` is a symbolic link, which cairn never writes through", .0.display())]
    Link(PathBuf),
    #[error("`{}` is in the way: it is not a regular file", .0.display())]
    InTheWay(PathBuf),
    /// The file on disk is not what the run read: it changed, appeared or went since.
    #[error("`{path}` {how} since the change was made")]
    Moved { path: String, how: &'static str },
    #[error("`{}` cannot be written", path.display())]
    Io {
        path: PathBuf,
        #[source]
        error: std::io::Error,
    },
}

impl WorktreeError {
    /// What to do about it, for the CLI's `help:` line.
    #[must_use]
    pub fn help(&self) -> Option<&'static str> {
        match self {
            WorktreeError::Moved { .. } => {
                Some("the working tree moved on: run the action again, on the files as they are now")
            }
            WorktreeError::Link(_) => {
                Some("replace the link with a real folder or file: cairn never writes through one")
            }
            WorktreeError::InTheWay(_) => Some("move it away, or run the action with inputs that name another path"),
            WorktreeError::Io { .. } => Some(
                "the files written before this one stay written: look at `git status`, and restore them with `git \
                 checkout` if needed",
            ),
            _ => None,
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WorktreeError + '_ {
    move |error| WorktreeError::Io { path: path.to_path_buf(), error }
}

/// Writes `writes` into the platform at `root`: each `after` as the file's bytes (making its
/// folders), each `None` by deleting the file. Refuses, before writing anything, a path that is
/// not plain, a link anywhere below `root` on a path's way (folders and the file itself), and a
/// file whose bytes on disk are neither its `before` (`None`: absent) nor its `after`. A file
/// already as `after` has it is left alone, so that writing the same writes again (after a
/// crash half-way, say) changes nothing. A folder a deletion empties is left in place.
pub fn write_worktree(root: &Path, writes: &[FileWrite]) -> Result<(), WorktreeError> {
    if !fs::metadata(root).map_err(io(root))?.is_dir() {
        return Err(WorktreeError::NotAFolder(root.to_path_buf()));
    }
    let mut seen = BTreeSet::new();
    let mut due = Vec::new();
    for write in writes {
        if let Some(reason) = unsafe_path(&write.path) {
            return Err(WorktreeError::UnsafePath { path: write.path.clone(), reason });
        }
        if !seen.insert(write.path.as_str()) {
            return Err(WorktreeError::Twice(write.path.clone()));
        }
        if check(root, write)? {
            due.push(write);
        }
    }
    for write in due {
        let target = root.join(&write.path);
        match &write.after {
            Some(bytes) => replace(root, &write.path, &target, bytes)?,
            None => fs::remove_file(&target).map_err(io(&target))?,
        }
    }
    Ok(())
}

/// The folders on `path`'s way are folders or absent (never links), and the file is as the run
/// read it (then it is due: `true`) or as the run leaves it (`false`).
fn check(root: &Path, write: &FileWrite) -> Result<bool, WorktreeError> {
    let mut at = root.to_path_buf();
    let parts: Vec<&str> = write.path.split('/').collect();
    let (name, folders) = parts.split_last().expect("a path split has a last part");
    for folder in folders {
        at.push(folder);
        match fs::symlink_metadata(&at) {
            // The rest of the way is absent too: the write makes it.
            Err(error) if error.kind() == ErrorKind::NotFound => {
                return expect(write, None);
            }
            Err(error) => return Err(WorktreeError::Io { path: at, error }),
            Ok(metadata) if metadata.file_type().is_symlink() => return Err(WorktreeError::Link(at)),
            Ok(metadata) if !metadata.is_dir() => return Err(WorktreeError::InTheWay(at)),
            Ok(_) => {}
        }
    }
    at.push(name);
    let now = match fs::symlink_metadata(&at) {
        Err(error) if error.kind() == ErrorKind::NotFound => None,
        Err(error) => return Err(WorktreeError::Io { path: at, error }),
        Ok(metadata) if metadata.file_type().is_symlink() => return Err(WorktreeError::Link(at)),
        Ok(metadata) if !metadata.is_file() => return Err(WorktreeError::InTheWay(at)),
        Ok(_) => Some(fs::read(&at).map_err(io(&at))?),
    };
    expect(write, now.as_deref())
}

/// The file on disk, `now`, is the one the run read (the write is due), or the one it writes
/// (the write is made already).
fn expect(write: &FileWrite, now: Option<&[u8]>) -> Result<bool, WorktreeError> {
    if now == write.after.as_deref() {
        return Ok(false);
    }
    let how = match (write.before.as_deref(), now) {
        (None, None) => return Ok(true),
        (Some(before), Some(now)) if before == now => return Ok(true),
        (None, Some(_)) => "appeared on disk",
        (Some(_), None) => "is gone from disk",
        (Some(_), Some(_)) => "changed on disk",
    };
    Err(WorktreeError::Moved { path: write.path.clone(), how })
}

/// Puts `bytes` at `target` (`path` below `root`) in one rename, making its folders one by
/// one, none through a link.
fn replace(root: &Path, path: &str, target: &Path, bytes: &[u8]) -> Result<(), WorktreeError> {
    let mut folder = root.to_path_buf();
    let parts: Vec<&str> = path.split('/').collect();
    let (name, folders) = parts.split_last().expect("a path split has a last part");
    for part in folders {
        folder.push(part);
        match fs::create_dir(&folder) {
            Ok(()) => {}
            // Made by an earlier write, or there all along; a link put there since is refused.
            Err(error) if error.kind() == ErrorKind::AlreadyExists => {
                let metadata = fs::symlink_metadata(&folder).map_err(io(&folder))?;
                if metadata.file_type().is_symlink() {
                    return Err(WorktreeError::Link(folder));
                }
                if !metadata.is_dir() {
                    return Err(WorktreeError::InTheWay(folder));
                }
            }
            Err(error) => return Err(WorktreeError::Io { path: folder, error }),
        }
    }
    // One name per file, so a crash's leftover is found and replaced by the next run.
    let temporary = folder.join(format!(".{name}.cairn-new"));
    match fs::symlink_metadata(&temporary) {
        Err(error) if error.kind() == ErrorKind::NotFound => {}
        Err(error) => return Err(WorktreeError::Io { path: temporary, error }),
        Ok(metadata) if metadata.is_file() => fs::remove_file(&temporary).map_err(io(&temporary))?,
        Ok(_) => return Err(WorktreeError::InTheWay(temporary)),
    }
    let mut file = OpenOptions::new().write(true).create_new(true).open(&temporary).map_err(io(&temporary))?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    drop(file);
    let kept = written.and_then(|()| match fs::symlink_metadata(target) {
        // The replaced file's permissions (an executable script stays executable).
        Ok(metadata) if metadata.is_file() => fs::set_permissions(&temporary, metadata.permissions()),
        _ => Ok(()),
    });
    if let Err(error) = kept.and_then(|()| fs::rename(&temporary, target)) {
        let _ = fs::remove_file(&temporary);
        return Err(WorktreeError::Io { path: target.to_path_buf(), error });
    }
    Ok(())
}
