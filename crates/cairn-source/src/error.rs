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
    #[error("`{}` does not exist", .0.display())]
    NotFound(PathBuf),
    #[error("cannot resolve revision `{rev}`")]
    Revision { rev: String, source: Cause },
    /// No branch, tag or other reference has this name; `near` are the closest that do.
    #[error("unknown revision `{rev}`")]
    UnknownRevision { rev: String, near: Vec<String> },
    /// A commit id that names no object of this clone.
    #[error("commit `{rev}` is not in this clone")]
    NotInClone { rev: String, shallow: bool },
    /// The name is known, but the history the revision walks (`main~3`) stops at a shallow
    /// clone's depth.
    #[error("revision `{rev}` is beyond the history of this shallow clone")]
    ShallowHistory { rev: String },
    /// The name is known, but its history has no such commit (`HEAD~9` of a 3-commit history).
    #[error("revision `{rev}` is not in the history of `{name}`")]
    NotInHistory { rev: String, name: String, source: Cause },
    /// The two revisions of a change share no commit in this clone.
    #[error("`{base}` and `{head}` have no merge base in this clone")]
    NoMergeBase { base: String, head: String, shallow: bool },
    /// A history walk reached a commit whose parent this clone does not have: the history
    /// before `commit` is missing (a shallow clone, or a partial one).
    #[error("the history of `{rev}` is cut short at commit `{commit}`: its parent is not in this clone")]
    ShallowLog {
        rev: String,
        commit: String,
        #[source]
        source: Option<Cause>,
    },
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

/// What to do about a clone whose history is cut short. `fetch-depth` is `actions/checkout`'s
/// input: "0 indicates all history for all branches and tags", and its default, 1, fetches one
/// commit (https://github.com/actions/checkout#usage).
const FETCH_HISTORY: &str = "this clone is shallow: fetch the whole history (`fetch-depth: 0` in `actions/checkout`, \
                             or `git fetch --unshallow`)";

impl SourceError {
    /// What the user can do about it, in their words, when there is something to say.
    #[must_use]
    pub fn help(&self) -> Option<String> {
        match self {
            SourceError::NotARepository { .. } => Some(
                "give the path of a git work tree or a folder in one; to check the files on disk, leave out the revisions"
                    .to_owned(),
            ),
            SourceError::UnknownRevision { near, .. } if near.is_empty() => {
                Some("give a branch, a tag or a commit id of this repository (`git branch --all` lists the branches)".to_owned())
            }
            SourceError::UnknownRevision { near, .. } => {
                let near: Vec<String> = near.iter().map(|name| format!("`{name}`")).collect();
                Some(format!("did you mean {}?", near.join(" or ")))
            }
            SourceError::ShallowHistory { .. }
            | SourceError::ShallowLog { .. }
            | SourceError::NotInClone { shallow: true, .. }
            | SourceError::NoMergeBase { shallow: true, .. } => Some(FETCH_HISTORY.to_owned()),
            SourceError::NotInClone { rev, shallow: false } => {
                Some(format!("fetch it (`git fetch origin {rev}`; `actions/checkout` fetches it with `fetch-depth: 0`)"))
            }
            SourceError::NoMergeBase { shallow: false, .. } => {
                Some("the two revisions share no history: a change is planned between revisions of one history".to_owned())
            }
            SourceError::Subfolder { rev, folder } => Some(format!(
                "`{folder}` is not committed at `{rev}`: commit it, or check the files on disk by leaving out the revisions"
            )),
            _ => None,
        }
    }

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
            (SourceError::NotFound("a".into()), "`a` does not exist", "`a` does not exist"),
            (
                SourceError::UnknownRevision { rev: "mian".into(), near: vec!["main".into()] },
                "unknown revision `mian`",
                "unknown revision `mian`",
            ),
            (
                SourceError::ShallowHistory { rev: "HEAD~1".into() },
                "revision `HEAD~1` is beyond the history of this shallow clone",
                "revision `HEAD~1` is beyond the history of this shallow clone",
            ),
            (
                SourceError::NoMergeBase { base: "main".into(), head: "HEAD".into(), shallow: true },
                "`main` and `HEAD` have no merge base in this clone",
                "`main` and `HEAD` have no merge base in this clone",
            ),
        ];
        for (error, message, full) in cases {
            assert_eq!(chain(&error), (message.to_owned(), full.to_owned()), "{error:?}");
        }
    }
}
