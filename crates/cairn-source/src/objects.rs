//! Writing git objects and moving a branch: what the rendered-branch publisher needs. Blobs and
//! trees are written from `(path, bytes)` pairs, commits with a given author and time, and a
//! branch is moved only by compare-and-swap on the tip that was read, so that two writers never
//! overwrite each other's work without seeing it.
//!
//! Boundary: only regular files (mode 100644) are written; reading a tree lists links and
//! submodules as such and never follows them.

use std::fmt;
use std::path::{Path, PathBuf};

use gix::bstr::ByteSlice;
use gix::refs::Target;
use gix::refs::transaction::{Change, LogChange, PreviousValue, RefEdit, RefLog};

use crate::EntryKind;

/// The cause of a failure, boxed: gix has one error type per call.
type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why a git object could not be written or read, or a branch not read or moved.
#[derive(Debug, thiserror::Error)]
pub enum ObjectsError {
    #[error("`{}` is not in a git repository", path.display())]
    Open { path: PathBuf, source: Cause },
    #[error("`{branch}` is not a valid branch name")]
    BranchName { branch: String, source: Cause },
    #[error("cannot resolve `{rev}` to a commit")]
    Resolve { rev: String, source: Cause },
    #[error("cannot write the blob of `{path}`")]
    WriteBlob { path: String, source: Cause },
    #[error("cannot write the tree")]
    WriteTree { source: Cause },
    #[error("cannot write the commit")]
    WriteCommit { source: Cause },
    #[error("cannot read branch `{branch}`")]
    ReadBranch { branch: String, source: Cause },
    #[error("cannot update branch `{branch}`")]
    UpdateBranch { branch: String, source: Cause },
    #[error("cannot read commit `{commit}`")]
    ReadCommit { commit: String, source: Cause },
    #[error("cannot read the tree of commit `{commit}`")]
    ReadTree { commit: String, source: Cause },
    #[error("cannot tell whether `{ancestor}` is an ancestor of `{descendant}`")]
    Ancestry { ancestor: String, descendant: String, source: Cause },
}

/// A commit's id, shown as its full hexadecimal form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommitId(pub(crate) gix::ObjectId);

impl CommitId {
    /// A full hexadecimal commit id; `None` for anything else (an abbreviation, a name).
    #[must_use]
    pub fn parse(text: &str) -> Option<CommitId> {
        gix::ObjectId::from_hex(text.as_bytes()).ok().map(CommitId)
    }

    /// The first `len` hexadecimal digits, as `git log --oneline` shows a commit.
    #[must_use]
    pub fn short(&self, len: usize) -> String {
        self.0.to_hex_with_len(len).to_string()
    }
}

impl fmt::Display for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A tree's id: equal ids mean equal trees, every path and byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TreeId(pub(crate) gix::ObjectId);

impl fmt::Display for TreeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Who made a commit and when (seconds since the Unix epoch, in UTC).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub name: String,
    pub email: String,
    pub time: i64,
}

/// A commit to write: author and committer are the same signature.
#[derive(Clone, Debug)]
pub struct NewCommit<'a> {
    pub tree: TreeId,
    pub parents: Vec<CommitId>,
    pub message: &'a str,
    pub signature: Signature,
}

/// A commit as read: its tree, parents, committer time and message, with the message's subject
/// and trailers (git's rules: the last paragraph, `Token: value` lines).
#[derive(Clone, Debug)]
pub struct CommitInfo {
    pub id: CommitId,
    pub tree: TreeId,
    pub parents: Vec<CommitId>,
    /// The committer time, in seconds since the Unix epoch.
    pub time: i64,
    pub message: String,
    pub subject: String,
    pub trailers: Vec<(String, String)>,
}

impl CommitInfo {
    /// The value of the first trailer named `token` (compared without regard to case, as git
    /// does).
    #[must_use]
    pub fn trailer(&self, token: &str) -> Option<&str> {
        trailer(&self.trailers, token)
    }
}

/// The trailers of a commit's message (`Token: value` lines at the end of its body), in order.
pub(crate) fn trailers(message: &gix::objs::commit::MessageRef<'_>) -> Vec<(String, String)> {
    let Some(body) = message.body() else { return Vec::new() };
    body.trailers()
        .map(|trailer| (trailer.token.to_str_lossy().into_owned(), trailer.value.to_str_lossy().into_owned()))
        .collect()
}

/// The value of the first of `trailers` named `token`, compared without regard to case, as git
/// does.
pub(crate) fn trailer<'a>(trailers: &'a [(String, String)], token: &str) -> Option<&'a str> {
    trailers.iter().find(|(name, _)| name.eq_ignore_ascii_case(token)).map(|(_, value)| value.as_str())
}

/// One path of a commit's tree: a regular file with its bytes, or a link or submodule, which
/// is listed and not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeFile {
    pub path: String,
    pub kind: EntryKind,
    /// The bytes of a regular file; `None` for a link or a submodule.
    pub bytes: Option<Vec<u8>>,
}

/// What a compare-and-swap update of a branch did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BranchUpdate {
    /// The branch now points at the new commit.
    Updated,
    /// The branch was not at the expected tip (another writer moved it): nothing changed; this
    /// is where it is now.
    Moved { tip: Option<CommitId> },
}

/// A git repository opened for writing objects and moving branches.
#[derive(Clone, Debug)]
pub struct Repository {
    repo: gix::ThreadSafeRepository,
}

impl Repository {
    /// The git repository containing `path` (a work tree, a folder of one, or a bare repository).
    pub fn open(path: &Path) -> Result<Repository, ObjectsError> {
        let open = |source: Cause| ObjectsError::Open { path: path.to_path_buf(), source };
        let absolute = path.canonicalize().map_err(|error| open(error.into()))?;
        let repo = gix::discover(&absolute).map_err(|error| open(error.into()))?;
        Ok(Repository { repo: repo.into_sync() })
    }

    pub(crate) fn from_sync(repo: gix::ThreadSafeRepository) -> Repository {
        Repository { repo }
    }

    fn local(&self) -> gix::Repository {
        self.repo.to_thread_local()
    }

    /// The commit `rev` names (any rev-spec).
    pub fn resolve(&self, rev: &str) -> Result<CommitId, ObjectsError> {
        let resolve = |source: Cause| ObjectsError::Resolve { rev: rev.to_owned(), source };
        let repo = self.local();
        let id = repo.rev_parse_single(rev).map_err(|error| resolve(error.into()))?;
        let commit =
            id.object().map_err(|error| resolve(error.into()))?.peel_to_commit().map_err(|e| resolve(e.into()))?;
        Ok(CommitId(commit.id))
    }

    /// Writes each file as a blob and the folders as trees; returns the root tree. Paths are
    /// `/`-separated and relative; every file is a regular file (mode 100644). A path git
    /// refuses (`..`, `.git`, empty components) is an error, and nothing refers to what was
    /// written.
    pub fn write_tree<'a>(&self, files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Result<TreeId, ObjectsError> {
        let repo = self.local();
        let tree = |error: gix::Error| ObjectsError::WriteTree { source: error.into() };
        let mut editor = repo.edit_tree(gix::ObjectId::empty_tree(repo.object_hash())).map_err(tree)?;
        for (path, bytes) in files {
            let blob = repo
                .write_blob(bytes)
                .map_err(|error| ObjectsError::WriteBlob { path: path.to_owned(), source: error.into() })?;
            editor.upsert(path, gix::object::tree::EntryKind::Blob, blob.detach()).map_err(tree)?;
        }
        let id = editor.write().map_err(tree)?;
        Ok(TreeId(id.detach()))
    }

    /// Writes a commit object; no branch moves.
    pub fn write_commit(&self, commit: &NewCommit<'_>) -> Result<CommitId, ObjectsError> {
        let signature = gix::actor::Signature {
            name: commit.signature.name.as_str().into(),
            email: commit.signature.email.as_str().into(),
            time: gix::date::Time::new(commit.signature.time, 0),
        };
        let object = gix::objs::Commit {
            tree: commit.tree.0,
            parents: commit.parents.iter().map(|parent| parent.0).collect(),
            author: signature.clone(),
            committer: signature,
            encoding: None,
            message: commit.message.into(),
            extra_headers: Vec::new(),
        };
        let repo = self.local();
        let id = repo.write_object(&object).map_err(|error| ObjectsError::WriteCommit { source: error.into() })?;
        Ok(CommitId(id.detach()))
    }

    /// The commit `branch` (a short name: `rendered/main`) points at; `None` when there is no
    /// such branch.
    pub fn branch_tip(&self, branch: &str) -> Result<Option<CommitId>, ObjectsError> {
        let name = full_name(branch)?;
        let read = |source: Cause| ObjectsError::ReadBranch { branch: branch.to_owned(), source };
        let repo = self.local();
        let Some(mut reference) = repo.try_find_reference(&name).map_err(|error| read(error.into()))? else {
            return Ok(None);
        };
        let id = reference.peel_to_id().map_err(|error| read(error.into()))?;
        Ok(Some(CommitId(id.detach())))
    }

    /// Points `branch` at `new` if it is still at `expected` (`None`: it must not exist yet).
    /// When another writer moved it first, nothing changes and the branch's tip is returned.
    pub fn update_branch(
        &self,
        branch: &str,
        new: CommitId,
        expected: Option<CommitId>,
    ) -> Result<BranchUpdate, ObjectsError> {
        let name = full_name(branch)?;
        let repo = self.local();
        let expected_value = match expected {
            Some(tip) => PreviousValue::MustExistAndMatch(Target::Object(tip.0)),
            None => PreviousValue::MustNotExist,
        };
        let edit = RefEdit {
            change: Change::Update {
                log: LogChange {
                    mode: RefLog::AndReference,
                    force_create_reflog: false,
                    message: "cairn: publish".into(),
                },
                expected: expected_value,
                new: Target::Object(new.0),
            },
            name,
            deref: false,
        };
        // The reflog names cairn at the new commit's time: this crate never reads the clock.
        let update = |source: Cause| ObjectsError::UpdateBranch { branch: branch.to_owned(), source };
        let time = repo
            .find_commit(new.0)
            .map_err(|error| update(error.into()))?
            .time()
            .map_err(|error| update(error.into()))?;
        let committer = gix::actor::Signature { name: "cairn".into(), email: "cairn@localhost".into(), time };
        let mut time = gix::date::parse::TimeBuf::default();
        match repo.edit_references_as(Some(edit), Some(committer.to_ref(&mut time))) {
            Ok(_) => Ok(BranchUpdate::Updated),
            Err(error) => {
                // gix reports a tip that moved as an error like any other: the tip read again
                // tells a lost race (it moved) from a failure (it did not).
                let tip = self.branch_tip(branch)?;
                if tip == expected { Err(update(error.into())) } else { Ok(BranchUpdate::Moved { tip }) }
            }
        }
    }

    /// The commit `id`: tree, parents, time, message, subject and trailers.
    pub fn commit(&self, id: CommitId) -> Result<CommitInfo, ObjectsError> {
        let read = |source: Cause| ObjectsError::ReadCommit { commit: id.to_string(), source };
        let repo = self.local();
        let commit = repo.find_commit(id.0).map_err(|error| read(error.into()))?;
        let tree = commit.tree_id().map_err(|error| read(error.into()))?.detach();
        let time = commit.time().map_err(|error| read(error.into()))?.seconds;
        let parents = commit.parent_ids().map(|parent| CommitId(parent.detach())).collect();
        let message = commit.message_raw().map_err(|error| read(error.into()))?.to_str_lossy().into_owned();
        let parsed = commit.message().map_err(|error| read(error.into()))?;
        let subject = parsed.summary().to_str_lossy().into_owned();
        let trailers = trailers(&parsed);
        Ok(CommitInfo { id, tree: TreeId(tree), parents, time, message, subject, trailers })
    }

    /// Every path of commit `id`'s tree, sorted: regular files with their bytes; links and
    /// submodules listed, never read.
    pub fn commit_files(&self, id: CommitId) -> Result<Vec<TreeFile>, ObjectsError> {
        let read = |source: Cause| ObjectsError::ReadTree { commit: id.to_string(), source };
        let repo = self.local();
        let commit = repo.find_commit(id.0).map_err(|error| read(error.into()))?;
        let tree = commit.tree().map_err(|error| read(error.into()))?;
        let records = tree.traverse().breadthfirst.files().map_err(|error| read(error.into()))?;
        let mut files = Vec::with_capacity(records.len());
        for record in records {
            let path = record.filepath.to_str_lossy().into_owned();
            let (kind, bytes) = if record.mode.is_link() {
                (EntryKind::Symlink, None)
            } else if record.mode.is_commit() {
                (EntryKind::Submodule, None)
            } else if record.mode.is_blob() {
                let blob = repo.find_blob(record.oid).map_err(|error| read(error.into()))?;
                (EntryKind::File, Some(blob.data.clone()))
            } else {
                continue;
            };
            files.push(TreeFile { path, kind, bytes });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Whether `ancestor` is `descendant` or in its history.
    pub fn is_ancestor(&self, ancestor: CommitId, descendant: CommitId) -> Result<bool, ObjectsError> {
        if ancestor == descendant {
            return Ok(true);
        }
        let repo = self.local();
        // When `ancestor` is in `descendant`'s history, it is their one best common ancestor;
        // unrelated histories have none.
        match repo.merge_base(ancestor.0, descendant.0) {
            Ok(base) => Ok(base.is_some_and(|base| base.detach() == ancestor.0)),
            Err(error) => Err(ObjectsError::Ancestry {
                ancestor: ancestor.to_string(),
                descendant: descendant.to_string(),
                source: error.into(),
            }),
        }
    }
}

/// `refs/heads/<branch>`, checked as git checks a reference name.
fn full_name(branch: &str) -> Result<gix::refs::FullName, ObjectsError> {
    gix::refs::FullName::try_from(format!("refs/heads/{branch}"))
        .map_err(|error| ObjectsError::BranchName { branch: branch.to_owned(), source: error.into() })
}
