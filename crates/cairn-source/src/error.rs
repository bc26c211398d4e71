//! Why a repository or a file could not be read at all.

use std::fmt;
use std::path::PathBuf;

/// The tool failing to read, as opposed to a finding about what it read.
#[derive(Debug)]
pub enum SourceError {
    NotADirectory(PathBuf),
    NotARepository { path: PathBuf, message: String },
    Revision { rev: String, message: String },
    Subfolder { rev: String, folder: String },
    Git { path: String, message: String },
    Io { path: PathBuf, error: std::io::Error },
    NotAFile(String),
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceError::NotADirectory(path) => write!(f, "`{}` is not a directory", path.display()),
            SourceError::NotARepository { path, message } => {
                write!(f, "`{}` is not in a git repository: {message}", path.display())
            }
            SourceError::Revision { rev, message } => write!(f, "cannot resolve revision `{rev}`: {message}"),
            SourceError::Subfolder { rev, folder } => write!(f, "revision `{rev}` has no folder `{folder}`"),
            SourceError::Git { path, message } => write!(f, "cannot read `{path}` from git: {message}"),
            SourceError::Io { path, error } => write!(f, "cannot read `{}`: {error}", path.display()),
            SourceError::NotAFile(path) => write!(f, "`{path}` is not a regular file"),
        }
    }
}

impl std::error::Error for SourceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SourceError::Io { error, .. } => Some(error),
            _ => None,
        }
    }
}
