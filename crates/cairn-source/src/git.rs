//! A platform repository as a revision of a git repository, read from tree and blob objects.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use gix::bstr::ByteSlice;

use crate::{CommitId, Contents, EntryKind, FileEntry, Origin, SourceError};

/// How many branch or tag names an unknown revision's error suggests.
const NEAR_NAMES: usize = 3;

/// A resolved revision: the commit, and the tree of the platform repository within it.
#[derive(Clone, Debug)]
pub struct Revision {
    repo: gix::ThreadSafeRepository,
    /// How the revision was named (`main`, `HEAD~1`, a SHA).
    rev: String,
    /// For a merge base, the revisions it is the merge base of.
    merge_base_of: Option<(String, String)>,
    commit: gix::ObjectId,
    /// The committer time of `commit`, in seconds since the Unix epoch.
    time: i64,
    tree: gix::ObjectId,
    folder: String,
}

impl Revision {
    pub(crate) fn commit(&self) -> gix::ObjectId {
        self.commit
    }

    /// The folder of the git repository the platform repository is, or empty for its root.
    pub(crate) fn folder(&self) -> &str {
        &self.folder
    }

    pub(crate) fn time(&self) -> i64 {
        self.time
    }

    /// How the revision was named.
    pub(crate) fn rev(&self) -> &str {
        &self.rev
    }

    /// The tree of the platform's folder.
    pub(crate) fn tree(&self) -> gix::ObjectId {
        self.tree
    }

    /// The same folder at `commit`, another commit of the repository (named by its id).
    pub(crate) fn at_commit(&self, commit: gix::ObjectId) -> Result<Revision, SourceError> {
        Revision::at(self.thread_local(), commit.to_string(), commit, self.folder.clone())
    }

    pub(crate) fn open(path: &Path, rev: &str) -> Result<Self, SourceError> {
        if !path.exists() {
            return Err(SourceError::NotFound(path.to_path_buf()));
        }
        let absolute = path.canonicalize().map_err(SourceError::not_a_repository(path))?;
        let repo = gix::discover(&absolute).map_err(SourceError::not_a_repository(path))?;
        // A folder inside the work tree is a platform repository within a larger one.
        let folder = match repo.workdir() {
            Some(workdir) => {
                let workdir = workdir.canonicalize().map_err(SourceError::not_a_repository(path))?;
                absolute.strip_prefix(&workdir).map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default()
            }
            None => String::new(),
        };
        let commit = resolve(&repo, rev)?;
        Revision::at(repo, rev.to_owned(), commit, folder)
    }

    /// The revision at `commit`, named `rev`, of the folder `folder`.
    fn at(repo: gix::Repository, rev: String, commit: gix::ObjectId, folder: String) -> Result<Self, SourceError> {
        let object = repo.find_object(commit).map_err(SourceError::revision(&rev))?;
        let commit = object.peel_to_commit().map_err(SourceError::revision(&rev))?;
        // Read now, while the commit is at hand, so that asking for it later needs no lookup.
        let time = commit.time().map_err(SourceError::revision(&rev))?.seconds;
        let mut tree = commit.tree().map_err(SourceError::revision(&rev))?;
        let tree_id = if folder.is_empty() {
            tree.id
        } else {
            let entry = tree.peel_to_entry_by_path(&folder).map_err(SourceError::revision(&rev))?;
            match entry {
                Some(entry) if entry.mode().is_tree() => entry.object_id(),
                _ => return Err(SourceError::Subfolder { rev, folder }),
            }
        };
        let commit_id = commit.id;
        drop(commit);
        drop(tree);
        Ok(Revision {
            repo: repo.into_sync(),
            rev,
            merge_base_of: None,
            commit: commit_id,
            time,
            tree: tree_id,
            folder,
        })
    }

    /// The best common ancestor of `base` and `head`, two revisions of one repository, read at
    /// `base`'s folder.
    pub(crate) fn merge_base(base: &Revision, head: &Revision) -> Result<Revision, SourceError> {
        let repo = base.repo.to_thread_local();
        let no_merge_base =
            || SourceError::NoMergeBase { base: base.rev.clone(), head: head.rev.clone(), shallow: is_shallow(&repo) };
        // A shallow clone stops the walk where its history stops; whether that ends in an error
        // or in no answer, the common history is not there.
        let id = match repo.merge_base(base.commit, head.commit) {
            Ok(Some(id)) => id.detach(),
            Ok(None) | Err(_) => return Err(no_merge_base()),
        };
        let mut revision = Revision::at(repo.clone(), id.to_string(), id, base.folder.clone())?;
        revision.merge_base_of = Some((base.rev.clone(), head.rev.clone()));
        Ok(revision)
    }

    pub(crate) fn origin(&self) -> Origin {
        let (commit, folder) = (CommitId(self.commit), self.folder.clone());
        match &self.merge_base_of {
            Some((base, head)) => Origin::MergeBase { base: base.clone(), head: head.clone(), commit, folder },
            None => Origin::Revision { rev: self.rev.clone(), commit, folder },
        }
    }

    pub(crate) fn thread_local(&self) -> gix::Repository {
        self.repo.to_thread_local()
    }

    pub(crate) fn git_dir(&self) -> &Path {
        self.repo.git_dir()
    }

    pub(crate) fn sync(&self) -> gix::ThreadSafeRepository {
        self.repo.clone()
    }

    pub(crate) fn list(&self) -> Result<Vec<FileEntry>, SourceError> {
        let repo = self.repo.to_thread_local();
        let tree = repo.find_tree(self.tree).map_err(SourceError::git(&self.folder))?;
        let records = tree.traverse().breadthfirst.files().map_err(SourceError::git(&self.folder))?;
        let mut files = Vec::with_capacity(records.len());
        for record in records {
            let path = record.filepath.to_str_lossy().into_owned();
            let kind = if record.mode.is_link() {
                EntryKind::Symlink
            } else if record.mode.is_commit() {
                EntryKind::Submodule
            } else if record.mode.is_blob() {
                EntryKind::File
            } else {
                continue;
            };
            files.push(FileEntry { path, kind, id: Some(record.oid) });
        }
        Ok(files)
    }
}

/// The head's changes since the merge base applied onto the base's tip, path by path, as git
/// would merge trees before it looks inside files: a path changed on one side only takes that
/// side's entry; a path both sides changed alike is that entry; a path both changed differently
/// (edited, added or deleted) is a conflict, listed and left out.
#[derive(Clone, Debug)]
pub struct Merged {
    repo: gix::ThreadSafeRepository,
    base: String,
    /// The base's tip the head was merged into.
    base_commit: gix::ObjectId,
    head: String,
    head_commit: gix::ObjectId,
    head_time: i64,
    folder: String,
    files: Arc<[FileEntry]>,
    /// The paths whose merged content is the base's tip's and not the head's.
    from_base: BTreeSet<String>,
}

impl Merged {
    pub(crate) fn folder(&self) -> &str {
        &self.folder
    }

    /// Merges `head` into `base` from their merge base `merge_base`; returns the merged tree,
    /// or the conflicting paths (sorted) when there are any.
    pub(crate) fn new(
        base: &Revision,
        merge_base: &Revision,
        head: &Revision,
    ) -> Result<Result<Self, Vec<String>>, SourceError> {
        type Entry = (EntryKind, Option<gix::ObjectId>);
        let listing = |revision: &Revision| -> Result<BTreeMap<String, Entry>, SourceError> {
            Ok(revision.list()?.into_iter().map(|file| (file.path, (file.kind, file.id))).collect())
        };
        let (ours, ancestor, theirs) = (listing(base)?, listing(merge_base)?, listing(head)?);
        let mut paths: Vec<&String> = ours.keys().chain(ancestor.keys()).chain(theirs.keys()).collect();
        paths.sort();
        paths.dedup();
        let mut files = Vec::new();
        let mut from_base = BTreeSet::new();
        let mut conflicts = Vec::new();
        for path in paths {
            let (ours, ancestor, theirs) = (ours.get(path), ancestor.get(path), theirs.get(path));
            let merged = if ours == theirs || ancestor == theirs {
                ours
            } else if ancestor == ours {
                theirs
            } else {
                conflicts.push(path.clone());
                continue;
            };
            if let Some(&(kind, id)) = merged {
                if merged != theirs {
                    from_base.insert(path.clone());
                }
                files.push(FileEntry { path: path.clone(), kind, id });
            }
        }
        if !conflicts.is_empty() {
            return Ok(Err(conflicts));
        }
        Ok(Ok(Merged {
            repo: base.repo.clone(),
            base: base.rev.clone(),
            base_commit: base.commit,
            head: head.rev.clone(),
            head_commit: head.commit,
            head_time: head.time,
            folder: base.folder.clone(),
            files: files.into(),
            from_base,
        }))
    }

    pub(crate) fn head_commit(&self) -> gix::ObjectId {
        self.head_commit
    }

    pub(crate) fn head_time(&self) -> i64 {
        self.head_time
    }

    pub(crate) fn origin(&self) -> Origin {
        Origin::Merged {
            base: self.base.clone(),
            base_commit: CommitId(self.base_commit),
            head: self.head.clone(),
            head_commit: CommitId(self.head_commit),
            folder: self.folder.clone(),
        }
    }

    pub(crate) fn thread_local(&self) -> gix::Repository {
        self.repo.to_thread_local()
    }

    pub(crate) fn sync(&self) -> gix::ThreadSafeRepository {
        self.repo.clone()
    }

    /// The merged listing, sorted by path (the merge walks the paths in order), shared rather
    /// than copied.
    pub(crate) fn list(&self) -> Arc<[FileEntry]> {
        Arc::clone(&self.files)
    }

    pub(crate) fn kept_from_base(&self) -> &BTreeSet<String> {
        &self.from_base
    }
}

pub(crate) fn read(repo: &gix::Repository, id: gix::ObjectId, path: &str, limit: u64) -> Result<Contents, SourceError> {
    // The header gives the size without inflating the object.
    let size = repo.find_header(id).map_err(SourceError::git(path))?.size();
    if size > limit {
        return Ok(Contents::TooLarge { size });
    }
    repo.find_blob(id).map(|mut blob| Contents::Bytes(blob.take_data())).map_err(SourceError::git(path))
}

/// Whether the clone is shallow (its history cut at some depth). A shallow file that cannot be
/// located counts as not shallow: the error then says what is missing without the hint.
pub(crate) fn is_shallow(repo: &gix::Repository) -> bool {
    repo.is_shallow().unwrap_or(false)
}

/// The commit `rev` names, or an error in the user's words: which name is unknown (and which
/// branches and tags are near it), or which history this clone does not have.
fn resolve(repo: &gix::Repository, rev: &str) -> Result<gix::ObjectId, SourceError> {
    let id = match repo.rev_parse_single(rev) {
        Ok(id) => id.detach(),
        Err(error) => return Err(unresolved(repo, rev, error.into())),
    };
    // A full commit id parses without a lookup, and so does a parent (`main^`) read from its
    // child: the object may still be missing.
    if !repo.has_object(id) {
        let shallow = is_shallow(repo);
        if shallow && !looks_like_commit_id(rev) {
            return Err(SourceError::ShallowHistory { rev: rev.to_owned() });
        }
        return Err(SourceError::NotInClone { rev: rev.to_owned(), shallow });
    }
    Ok(id)
}

/// Why `rev` did not resolve, from what does.
fn unresolved(repo: &gix::Repository, rev: &str, cause: Box<dyn std::error::Error + Send + Sync>) -> SourceError {
    // The name the revision starts from: `main` in `main~2`, `HEAD` in `HEAD^`, `v1` in `v1:path`.
    let name = rev.split(['~', '^', ':']).next().unwrap_or(rev);
    let name = name.split("@{").next().unwrap_or(name);
    if name.is_empty() {
        return SourceError::Revision { rev: rev.to_owned(), source: cause };
    }
    if looks_like_commit_id(name) && repo.rev_parse_single(name).is_err() {
        return SourceError::NotInClone { rev: rev.to_owned(), shallow: is_shallow(repo) };
    }
    if repo.rev_parse_single(name).is_err() {
        return SourceError::UnknownRevision { rev: name.to_owned(), near: near_names(repo, name) };
    }
    // The name is known; what the revision asks of its history is not there.
    if is_shallow(repo) {
        SourceError::ShallowHistory { rev: rev.to_owned() }
    } else {
        SourceError::NotInHistory { rev: rev.to_owned(), name: name.to_owned(), source: cause }
    }
}

/// Seven or more hexadecimal digits: how git abbreviates a commit id.
fn looks_like_commit_id(name: &str) -> bool {
    name.len() >= 7 && name.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// The branch and tag names closest to `name` (local branches, remote branches such as
/// `origin/main`, tags), nearest first.
fn near_names(repo: &gix::Repository, name: &str) -> Vec<String> {
    let Ok(references) = repo.references() else { return Vec::new() };
    let Ok(all) = references.all() else { return Vec::new() };
    let names: Vec<String> = all
        .filter_map(Result::ok)
        .filter(|reference| {
            let full = reference.name().as_bstr();
            full.starts_with(b"refs/heads/") || full.starts_with(b"refs/remotes/") || full.starts_with(b"refs/tags/")
        })
        .map(|reference| reference.name().shorten().to_str_lossy().into_owned())
        .filter(|short| !short.ends_with("/HEAD"))
        .collect();
    cairn_diagnostics::near_names(name, names.iter().map(String::as_str), NEAR_NAMES)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

impl Revision {
    /// The versions of the platform file `path` in the first-parent history of this revision,
    /// newest first: each commit whose tree holds different bytes at `path` than its first
    /// parent's (added, changed, or removed: `blob` is `None`). The walk stops at the first
    /// commit (or the edge of a shallow clone) and after `limit` commits.
    pub(crate) fn history(&self, path: &str, limit: usize) -> Result<Vec<crate::Version>, SourceError> {
        let mut all = self.histories(&[path], limit)?;
        Ok(all.pop().unwrap_or_default())
    }

    /// The versions of each of `paths` in one walk of the first-parent history (in the order of
    /// `paths`). Each commit's tree is read once; the paths of one folder are looked up only in
    /// the commits where that folder's tree changed, so that a walk over many commits that touch
    /// other folders costs a lookup of the folder per commit. Authors and messages are read only
    /// for the commits that are versions.
    pub(crate) fn histories(&self, paths: &[&str], limit: usize) -> Result<Vec<Vec<crate::Version>>, SourceError> {
        let repo = self.thread_local();
        let full =
            |path: &str| if self.folder.is_empty() { path.to_owned() } else { format!("{}/{path}", self.folder) };
        let fulls: Vec<String> = paths.iter().map(|path| full(path)).collect();
        let first = paths.first().copied().unwrap_or_default();
        // The folders the paths are in, each with the paths of it (by index).
        let mut folders: Vec<(String, Vec<usize>)> = Vec::new();
        for (index, path) in fulls.iter().enumerate() {
            let folder = path.rfind('/').map_or("", |slash| &path[..slash]).to_owned();
            match folders.iter_mut().find(|(name, _)| *name == folder) {
                Some((_, members)) => members.push(index),
                None => folders.push((folder, vec![index])),
            }
        }
        let walk = repo.rev_walk([self.commit]).first_parent_only().all().map_err(SourceError::git(first))?;
        // Each commit walked (id, time), newest first, and each path's blob in it.
        let mut commits: Vec<(gix::ObjectId, i64)> = Vec::new();
        let mut blobs: Vec<Vec<Option<gix::ObjectId>>> = vec![Vec::new(); paths.len()];
        let mut folder_ids: Vec<Option<Option<gix::ObjectId>>> = vec![None; folders.len()];
        for info in walk.take(limit) {
            let info = match info {
                Ok(info) => info,
                // A shallow clone ends its history early: what was walked is what there is.
                Err(_) if is_shallow(&repo) => break,
                Err(error) => return Err(SourceError::git(first)(error)),
            };
            let commit = info.object().map_err(SourceError::git(first))?;
            let time = commit.time().map_err(SourceError::git(first))?.seconds;
            let tree = commit.tree().map_err(SourceError::git(first))?;
            for (folder_index, (folder, members)) in folders.iter().enumerate() {
                let id = if folder.is_empty() {
                    Some(tree.id)
                } else {
                    tree.lookup_entry_by_path(folder).map_err(SourceError::git(first))?.map(|entry| entry.object_id())
                };
                let unchanged = folder_ids[folder_index] == Some(id);
                folder_ids[folder_index] = Some(id);
                for &member in members {
                    let blob = if unchanged {
                        blobs[member].last().copied().flatten()
                    } else if id.is_some() {
                        tree.lookup_entry_by_path(&fulls[member])
                            .map_err(SourceError::git(first))?
                            .map(|entry| entry.object_id())
                    } else {
                        None
                    };
                    blobs[member].push(blob);
                }
            }
            commits.push((info.id, time));
        }
        let mut all = Vec::with_capacity(paths.len());
        for seen in &blobs {
            let mut versions = Vec::new();
            for (index, blob) in seen.iter().enumerate() {
                // The oldest commit walked counts as a version when it holds the file.
                let changed = match seen.get(index + 1) {
                    Some(older) => older != blob,
                    None => blob.is_some(),
                };
                if changed {
                    let (id, time) = commits[index];
                    // Read from the commit: a reminder finds the pull request that made a
                    // version in its message.
                    let commit = repo.find_commit(id).map_err(SourceError::git(first))?;
                    let author = commit.author().map_err(SourceError::git(first))?.name.to_str_lossy().into_owned();
                    let message = commit.message_raw_sloppy().to_str_lossy().into_owned();
                    versions.push(crate::Version {
                        commit: id.to_string(),
                        time,
                        author,
                        message,
                        blob: blob.map(crate::BlobId),
                    });
                }
            }
            all.push(versions);
        }
        Ok(all)
    }

    /// The revision's first parent, read at the same folder; `None` for a root commit, or when
    /// the folder does not exist there yet (the platform starts at this commit).
    pub(crate) fn first_parent(&self) -> Result<Option<Revision>, SourceError> {
        let repo = self.thread_local();
        let commit = repo.find_commit(self.commit).map_err(SourceError::revision(&self.rev))?;
        let Some(parent) = commit.parent_ids().next().map(gix::Id::detach) else { return Ok(None) };
        drop(commit);
        match Revision::at(repo, format!("{}^", self.rev), parent, self.folder.clone()) {
            Ok(revision) => Ok(Some(revision)),
            Err(SourceError::Subfolder { .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// The bytes of the blob `id`, read for `path`.
    pub(crate) fn blob(&self, id: gix::ObjectId, path: &str, limit: u64) -> Result<Contents, SourceError> {
        read(&self.thread_local(), id, path, limit)
    }
}
