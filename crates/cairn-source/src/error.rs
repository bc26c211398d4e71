//! Why a repository or a file could not be read at all.
//!
//! Each variant keeps its cause as `source()` and does not repeat the cause's text in its own
//! message, so that a caller printing the chain (`error: cause: cause's cause`) says each thing once.

use std::path::PathBuf;

/// The cause of a failure, boxed: gix has one error type per call, and naming them here would
/// make them part of this crate's API.
type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The tool failing to read, as opposed to a finding about what it read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("`{}` is not a directory", .0.display())]
    NotADirectory(PathBuf),
    #[error("`{}` is not in a git repository", path.display())]
    NotARepository { path: PathBuf, source: Cause },
    #[error("cannot resolve revision `{rev}`")]
    Revision { rev: String, source: Cause },
    #[error("revision `{rev}` has no folder `{folder}`")]
    Subfolder { rev: String, folder: String },
    #[error("cannot read `{path}` from git")]
    Git { path: String, source: Cause },
    #[error("cannot read `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        error: std::io::Error,
    },
    #[error("`{0}` is not a regular file")]
    NotAFile(String),
}

impl SourceError {
    /// Makes `NotARepository` for `path` from any cause, for `map_err`.
    pub(crate) fn not_a_repository<E: Into<Cause>>(path: &std::path::Path) -> impl FnOnce(E) -> Self + '_ {
        move |error| SourceError::NotARepository { path: path.to_path_buf(), source: error.into() }
    }

    /// Makes `Revision` for `rev` from any cause, for `map_err`.
    pub(crate) fn revision<E: Into<Cause>>(rev: &str) -> impl FnOnce(E) -> Self + '_ {
        move |error| SourceError::Revision { rev: rev.to_owned(), source: error.into() }
    }

    /// Makes `Git` for `path` from any cause, for `map_err`.
    pub(crate) fn git<E: Into<Cause>>(path: &str) -> impl FnOnce(E) -> Self + '_ {
        move |error| SourceError::Git { path: path.to_owned(), source: error.into() }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;
    use std::io;

    use super::SourceError;

    /// The message and the whole chain joined with `: `, as a caller would print it.
    fn chain(error: &SourceError) -> (String, String) {
        let mut text = error.to_string();
        let mut cause = error.source();
        while let Some(error) = cause {
            text.push_str(": ");
            text.push_str(&error.to_string());
            cause = error.source();
        }
        (error.to_string(), text)
    }

    fn boom() -> Box<dyn std::error::Error + Send + Sync> {
        Box::new(io::Error::other("boom"))
    }

    #[test]
    fn the_chain_reads_as_the_message_once_did() {
        let cases = [
            (SourceError::NotADirectory("a/b".into()), "`a/b` is not a directory", "`a/b` is not a directory"),
            (
                SourceError::NotARepository { path: "a".into(), source: boom() },
                "`a` is not in a git repository",
                "`a` is not in a git repository: boom",
            ),
            (
                SourceError::Revision { rev: "main".into(), source: boom() },
                "cannot resolve revision `main`",
                "cannot resolve revision `main`: boom",
            ),
            (
                SourceError::Subfolder { rev: "main".into(), folder: "x".into() },
                "revision `main` has no folder `x`",
                "revision `main` has no folder `x`",
            ),
            (
                SourceError::Git { path: "a.yaml".into(), source: boom() },
                "cannot read `a.yaml` from git",
                "cannot read `a.yaml` from git: boom",
            ),
            (
                SourceError::Io { path: "a.yaml".into(), error: io::Error::other("boom") },
                "cannot read `a.yaml`",
                "cannot read `a.yaml`: boom",
            ),
            (SourceError::NotAFile("a".into()), "`a` is not a regular file", "`a` is not a regular file"),
        ];
        for (error, message, full) in cases {
            assert_eq!(chain(&error), (message.to_owned(), full.to_owned()), "{error:?}");
        }
    }
}
