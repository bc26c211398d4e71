//! A platform repository as cairn reads it: a directory on disk, or a revision of a git
//! repository read straight from its tree and blob objects (no checkout; bare repositories work).
//!
//! A change between two revisions also has a merge base and, when the head's changes apply onto
//! the base's tip without conflict, a merged tree (`Source::merge`).
//! For the audit, it walks a revision's history (`Source::log`) and reads the platform at any of
//! its commits (`Source::at_commit`, `Source::tree`).
//! It also finds a platform repository's root from a folder or file inside it (`find_root`).
//! A source can be laid over with files held in memory (`Source::overlay`): the platform as a
//! change would leave it, read before anything is written.
//!
//! For the rendered branch it also writes git objects and moves a branch by compare-and-swap
//! (`Repository`), and pushes a branch with plain `git push` (`push_branch`), after bringing it up to the
//! remote's (`fetch_branch`).
//!
//! Boundary: this crate lists files and returns their bytes. It never follows a symbolic link:
//! links are listed as such, so that the caller reports them. A directory's listing leaves out
//! what its `.gitignore` files ignore, which no revision holds either.

mod directory;
mod discover;
mod error;
mod git;
mod log;
mod objects;
mod origin;
mod overlay;
mod push;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use discover::{Root, find_root};
pub use error::SourceError;
pub use log::{ChangedFile, LogCommit};
pub use objects::{
    BranchUpdate, CommitId, CommitInfo, NewCommit, ObjectsError, Repository, Signature, TreeFile, TreeId,
};
pub use origin::Origin;
pub use overlay::Writes;
pub use push::{FetchError, FetchOutcome, PushError, PushOutcome, fetch_branch, push_branch};

/// What a path of the repository is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A symbolic link: never followed.
    Symlink,
    /// A git submodule: its content is another repository's and is not read.
    Submodule,
}

/// A path of the repository, relative to its root and `/`-separated, and what is there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    pub path: String,
    pub kind: EntryKind,
    id: Option<gix::ObjectId>,
}

impl FileEntry {
    /// The id of the git blob behind this path: equal ids mean equal bytes, so a caller can reuse
    /// what it learnt from a file at another revision. `None` in a directory, where there is no
    /// object, and for a submodule, whose id names a commit of another repository.
    #[must_use]
    pub fn blob_id(&self) -> Option<BlobId> {
        match self.kind {
            EntryKind::File | EntryKind::Symlink => self.id.map(BlobId),
            EntryKind::Submodule => None,
        }
    }
}

/// One version of a file in a revision's history: the commit that made it, when (committer time,
/// seconds since the Unix epoch) and by whom (the author's name), and its blob (`None`: the
/// commit removed the file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub commit: String,
    pub time: i64,
    pub author: String,
    /// The commit's whole message (subject, blank line, body).
    pub message: String,
    pub blob: Option<BlobId>,
}

/// The id of a git blob, shown as its full hexadecimal form. It wraps gix's id without exposing
/// it, so that callers need not depend on gix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BlobId(gix::ObjectId);

impl fmt::Display for BlobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A platform repository at a directory or at a git revision. Cloning one reads nothing: a git
/// repository's object store and a merged tree's listing are shared, not copied.
#[derive(Clone, Debug)]
pub enum Source {
    /// `prefix` is where `root` is in the git repository around it (see `Source::prefix`).
    Directory {
        root: PathBuf,
        prefix: String,
    },
    Git(Box<git::Revision>),
    /// A head merged into a base (`Source::merge`): a tree that no commit holds yet.
    Merged(Box<git::Merged>),
    /// Another source with some paths replaced, added or removed in memory (`Source::overlay`).
    Overlay(Box<overlay::Overlay>),
}

/// How a change's head goes onto its base's tip: what a pull request would merge.
#[derive(Debug)]
pub enum Merge {
    /// The base is the merge base (the head's history contains it): the head is the merged result.
    FastForward,
    /// The base moved on since the merge base, and the head's changes apply onto it without
    /// conflict: `merged` is the result.
    Clean { merge_base: Source, merged: Source },
    /// The base moved on, and some paths changed differently on both sides since the merge
    /// base: no merged result is formed.
    Conflicts { merge_base: Source, paths: Vec<String> },
}

impl Merge {
    /// The merge base, when it is not the base's tip.
    #[must_use]
    pub fn merge_base(&self) -> Option<&Source> {
        match self {
            Merge::FastForward => None,
            Merge::Clean { merge_base, .. } | Merge::Conflicts { merge_base, .. } => Some(merge_base),
        }
    }
}

impl Source {
    /// The repository in the directory `root`, as the files on disk are now.
    pub fn directory(root: impl Into<PathBuf>) -> Result<Source, SourceError> {
        let root = root.into();
        if !root.is_dir() {
            return Err(SourceError::NotADirectory(root));
        }
        let prefix = directory::prefix(&root);
        Ok(Source::Directory { root, prefix })
    }

    /// The repository at revision `rev` (any rev-spec: `main`, `HEAD~3`, a SHA, a tag) of the
    /// git repository that contains `path`. When `path` is a folder inside the work tree, the
    /// platform repository is that folder of the revision.
    pub fn git(path: &Path, rev: &str) -> Result<Source, SourceError> {
        git::Revision::open(path, rev).map(|revision| Source::Git(Box::new(revision)))
    }

    /// `base` with `writes` laid over it: each path written `Some(bytes)` is a regular file with
    /// those bytes (replacing whatever `base` has there, or added), each written `None` is
    /// absent; every other path is `base`'s, read from it. Nothing touches the disk or the git
    /// repository. Its prefix, commit and commit time are `base`'s. The paths are relative to
    /// the platform's root, like `Source::files`'; the caller keeps them plain (no `..`, no
    /// path that is both a file and a folder): the overlay lists what it is given.
    #[must_use]
    pub fn overlay(base: Source, writes: Writes) -> Source {
        Source::Overlay(Box::new(overlay::Overlay::new(base, writes)))
    }

    /// How `head` merges into `base`, two revisions of one git repository (read at `base`'s
    /// folder): the merge base, and the merged tree or the paths that conflict. `None` when
    /// either is not a git revision. Fails when the two share no history in this clone (a
    /// shallow clone's error says to fetch the whole history).
    pub fn merge(base: &Source, head: &Source) -> Result<Option<Merge>, SourceError> {
        let (Source::Git(base), Source::Git(head)) = (base, head) else { return Ok(None) };
        let merge_base = git::Revision::merge_base(base, head)?;
        if merge_base.commit() == base.commit() {
            return Ok(Some(Merge::FastForward));
        }
        Ok(Some(match git::Merged::new(base, &merge_base, head)? {
            Ok(merged) => {
                Merge::Clean { merge_base: Source::Git(Box::new(merge_base)), merged: Source::Merged(Box::new(merged)) }
            }
            Err(paths) => Merge::Conflicts { merge_base: Source::Git(Box::new(merge_base)), paths },
        }))
    }

    /// For the head merged into a base's tip: the paths whose content comes from the base's tip
    /// and is not the head's (files only the base changed since the merge base), so that a link
    /// to one of them names the base's commit, where that content is. Empty for anything else;
    /// for an overlay of a merged tree, the merged tree's less the paths the overlay writes.
    #[must_use]
    pub fn kept_from_base(&self) -> Option<&std::collections::BTreeSet<String>> {
        match self {
            Source::Merged(merged) => Some(merged.kept_from_base()),
            Source::Overlay(overlay) => overlay.kept_from_base(),
            Source::Directory { .. } | Source::Git(_) => None,
        }
    }

    /// What is being read, as data: the directory, or the revision and its commit; for a merged
    /// tree, the two revisions; for an overlay, its base's and how many files it changes.
    /// Results carry it and reports word it.
    #[must_use]
    pub fn origin(&self) -> Origin {
        match self {
            Source::Directory { root, .. } => Origin::Directory { path: root.clone() },
            Source::Git(revision) => revision.origin(),
            Source::Merged(merged) => merged.origin(),
            Source::Overlay(overlay) => overlay.origin(),
        }
    }

    /// Says what is being read (`Origin`'s one wording), for the messages of errors and findings,
    /// which are text; results hold `origin()` instead.
    #[must_use]
    pub fn describe(&self) -> String {
        self.origin().to_string()
    }

    /// Where the platform repository is within the git repository around it, `/`-separated with
    /// no trailing `/`: `platform` for a platform in `platform/`, empty when it is the git
    /// repository's root or when no git repository is around it. Reports put it before every
    /// path, because GitHub (annotations, links, code scanning) reads paths from the git root.
    #[must_use]
    pub fn prefix(&self) -> &str {
        match self {
            Source::Directory { prefix, .. } => prefix,
            Source::Git(revision) => revision.folder(),
            Source::Merged(merged) => merged.folder(),
            Source::Overlay(overlay) => overlay.base().prefix(),
        }
    }

    /// The commit read, as a full hexadecimal id; `None` for a directory. A merged tree has no
    /// commit of its own: it answers for the head's, the commit the change is known by; an
    /// overlay for its base's, the commit its changes are made on.
    #[must_use]
    pub fn commit(&self) -> Option<String> {
        match self {
            Source::Directory { .. } => None,
            Source::Git(revision) => Some(revision.commit().to_string()),
            Source::Merged(merged) => Some(merged.head_commit().to_string()),
            Source::Overlay(overlay) => overlay.base().commit(),
        }
    }

    /// When the commit read was committed (the committer's time, not the author's), in seconds
    /// since the Unix epoch; `None` for a directory. For a merged tree, the head's; for an
    /// overlay, its base's.
    #[must_use]
    pub fn commit_time(&self) -> Option<i64> {
        match self {
            Source::Directory { .. } => None,
            Source::Git(revision) => Some(revision.time()),
            Source::Merged(merged) => Some(merged.head_time()),
            Source::Overlay(overlay) => overlay.base().commit_time(),
        }
    }

    /// The versions of the platform file `path` in the revision's first-parent history, newest
    /// first (each commit that added, changed or removed it, at most `limit` commits walked; the
    /// oldest commit walked counts when it holds the file, what came before it unknown);
    /// `None` when the source is not a git revision (a directory has no history; a merged tree
    /// or an overlay is no commit of its own).
    #[must_use]
    pub fn history(&self, path: &str, limit: usize) -> Option<Result<Vec<Version>, SourceError>> {
        match self {
            Source::Git(revision) => Some(revision.history(path, limit)),
            Source::Directory { .. } | Source::Merged(_) | Source::Overlay(_) => None,
        }
    }

    /// `history` of each of `paths` (in their order), in one walk of the history: what a caller
    /// asking for many files' histories (every environment's lifetime) should use.
    #[must_use]
    pub fn histories(&self, paths: &[&str], limit: usize) -> Option<Result<Vec<Vec<Version>>, SourceError>> {
        match self {
            Source::Git(revision) => Some(revision.histories(paths, limit)),
            Source::Directory { .. } | Source::Merged(_) | Source::Overlay(_) => None,
        }
    }

    /// The revision's first parent, as a source of the same platform folder: `Some(Ok(None))`
    /// for a root commit (or a commit that adds the platform's folder), `None` when the source is
    /// not a git revision (a directory has no parent).
    #[must_use]
    pub fn first_parent(&self) -> Option<Result<Option<Source>, SourceError>> {
        match self {
            Source::Git(revision) => {
                Some(revision.first_parent().map(|parent| parent.map(|parent| Source::Git(Box::new(parent)))))
            }
            Source::Directory { .. } | Source::Merged(_) | Source::Overlay(_) => None,
        }
    }

    /// The bytes of one version of `path` (`Version::blob`), within `limit` bytes; `None` when
    /// the source is not a git revision.
    #[must_use]
    pub fn version_bytes(&self, path: &str, blob: BlobId, limit: u64) -> Option<Result<Contents, SourceError>> {
        match self {
            Source::Git(revision) => Some(revision.blob(blob.0, path, limit)),
            Source::Directory { .. } | Source::Merged(_) | Source::Overlay(_) => None,
        }
    }

    /// The git repository the revision is read from, to write objects into; `None` for a
    /// directory (and an overlay of one).
    #[must_use]
    pub fn repository(&self) -> Option<Repository> {
        match self {
            Source::Directory { .. } => None,
            Source::Git(revision) => Some(Repository::from_sync(revision.sync())),
            Source::Merged(merged) => Some(Repository::from_sync(merged.sync())),
            Source::Overlay(overlay) => overlay.base().repository(),
        }
    }

    /// Every path of the repository, sorted. In a directory inside a git work tree, the paths
    /// that `.gitignore` files ignore are left out. A merged tree shares the listing it made
    /// when it merged; the others list on each call. Shared, so that a caller can keep it.
    pub fn files(&self) -> Result<Arc<[FileEntry]>, SourceError> {
        let mut files = match self {
            Source::Directory { root, .. } => directory::list(root)?,
            Source::Git(revision) => revision.list()?,
            Source::Merged(merged) => return Ok(merged.list()),
            Source::Overlay(overlay) => overlay.list()?,
        };
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files.into())
    }

    /// A reader of file contents for one thread: give each worker its own.
    #[must_use]
    pub fn reader(&self) -> Reader<'_> {
        match self {
            Source::Directory { root, .. } => Reader::Directory(root),
            Source::Git(revision) => Reader::Git(Box::new(revision.thread_local())),
            Source::Merged(merged) => Reader::Git(Box::new(merged.thread_local())),
            Source::Overlay(overlay) => {
                Reader::Overlay { writes: overlay.writes(), base: Box::new(overlay.base().reader()) }
            }
        }
    }
}

/// What reading a file gave: its bytes, or only its size when that is over the caller's limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contents {
    Bytes(Vec<u8>),
    TooLarge { size: u64 },
}

/// Reads the bytes of files listed by `Source::files`.
#[derive(Debug)]
pub enum Reader<'a> {
    Directory(&'a Path),
    Git(Box<gix::Repository>),
    /// An overlay's: its written paths from memory, the others from its base's reader.
    Overlay {
        writes: &'a Writes,
        base: Box<Reader<'a>>,
    },
}

impl Reader<'_> {
    /// The bytes of a regular file, unless it is larger than `limit` bytes: then only its size,
    /// and the file is not read. The size is learnt from the open file or the object header.
    pub fn read(&self, entry: &FileEntry, limit: u64) -> Result<Contents, SourceError> {
        if let Reader::Overlay { writes, base } = self {
            return overlay::read(writes, &entry.path, limit).unwrap_or_else(|| base.read(entry, limit));
        }
        match (self, entry.kind, entry.id) {
            (Reader::Directory(root), EntryKind::File, _) => directory::read(root, &entry.path, limit),
            (Reader::Git(repo), EntryKind::File, Some(id)) => git::read(repo, id, &entry.path, limit),
            _ => Err(SourceError::NotAFile(entry.path.clone())),
        }
    }
}
