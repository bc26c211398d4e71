//! What a `Source` reads, as data (`Origin`), and its one wording.

use std::fmt;
use std::path::PathBuf;

use crate::CommitId;

/// What a source reads: the directory, or the revision with its commit and the platform's folder
/// in the git repository, or how two revisions were combined. Results hold this rather than a
/// sentence, so that each report decides what to show of it (a commit, a link, the text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A directory on disk, as its path was given.
    Directory { path: PathBuf },
    /// A revision of a git repository: `rev` as given (`main`, `HEAD~1`, a SHA), the commit it
    /// names, and the platform's folder in the repository (empty for its root).
    Revision { rev: String, commit: CommitId, folder: String },
    /// The merge base of the revisions `base` and `head` (`Source::merge`), read at `folder`.
    MergeBase { base: String, head: String, commit: CommitId, folder: String },
    /// The revision `head` merged into the revision `base` (`Source::merge`): a tree no commit
    /// holds yet, read at `folder`.
    Merged { base: String, base_commit: CommitId, head: String, head_commit: CommitId, folder: String },
    /// Another source with `changed` paths written over it in memory (`Source::overlay`).
    Overlay { base: Box<Origin>, changed: usize },
}

impl Origin {
    /// The commit read, as `Source::commit` answers: none for a directory, the head's for a
    /// merged tree, the base's for an overlay.
    #[must_use]
    pub fn commit(&self) -> Option<CommitId> {
        match self {
            Origin::Directory { .. } => None,
            Origin::Revision { commit, .. } | Origin::MergeBase { commit, .. } => Some(*commit),
            Origin::Merged { head_commit, .. } => Some(*head_commit),
            Origin::Overlay { base, .. } => base.commit(),
        }
    }
}

/// The one wording of an origin, for reports and for the engine's messages alike: "`dir`",
/// "revision `main` (4b825dc642cb)", "`platform` at the merge base of `main` and `feature`
/// (…)", "the merge of `feature` into `main`", each followed for an overlay by "with 3 changed
/// files". The commit is shortened to 12 digits, enough to name it in any repository cairn reads.
impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let within = |f: &mut fmt::Formatter<'_>, folder: &str, word: &str| {
            if folder.is_empty() { Ok(()) } else { write!(f, "`{folder}` {word} ") }
        };
        match self {
            Origin::Directory { path } => write!(f, "`{}`", path.display()),
            Origin::Revision { rev, commit, folder } => {
                within(f, folder, "at")?;
                write!(f, "revision `{rev}` ({})", commit.short(12))
            }
            Origin::MergeBase { base, head, commit, folder } => {
                within(f, folder, "at")?;
                write!(f, "the merge base of `{base}` and `{head}` ({})", commit.short(12))
            }
            Origin::Merged { base, head, folder, .. } => {
                within(f, folder, "in")?;
                write!(f, "the merge of `{head}` into `{base}`")
            }
            Origin::Overlay { base, changed } => {
                let files = if *changed == 1 { "file" } else { "files" };
                write!(f, "{base} with {changed} changed {files}")
            }
        }
    }
}
