//! A platform repository as a revision of a git repository, read from tree and blob objects.

use std::path::Path;

use gix::bstr::ByteSlice;

use crate::{Contents, EntryKind, FileEntry, SourceError};

/// A resolved revision: the commit, and the tree of the platform repository within it.
#[derive(Debug)]
pub struct Revision {
    repo: gix::ThreadSafeRepository,
    rev: String,
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

    pub(crate) fn open(path: &Path, rev: &str) -> Result<Self, SourceError> {
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
        let id = repo.rev_parse_single(rev).map_err(SourceError::revision(rev))?;
        let object = id.object().map_err(SourceError::revision(rev))?;
        let commit = object.peel_to_commit().map_err(SourceError::revision(rev))?;
        // Read now, while the commit is at hand, so that asking for it later needs no lookup.
        let time = commit.time().map_err(SourceError::revision(rev))?.seconds;
        let mut tree = commit.tree().map_err(SourceError::revision(rev))?;
        let tree_id = if folder.is_empty() {
            tree.id
        } else {
            let entry = tree.peel_to_entry_by_path(&folder).map_err(SourceError::revision(rev))?;
            match entry {
                Some(entry) if entry.mode().is_tree() => entry.object_id(),
                _ => return Err(SourceError::Subfolder { rev: rev.to_owned(), folder }),
            }
        };
        let commit_id = commit.id;
        drop(commit);
        drop(tree);
        Ok(Revision { repo: repo.into_sync(), rev: rev.to_owned(), commit: commit_id, time, tree: tree_id, folder })
    }

    pub(crate) fn describe(&self) -> String {
        let short = self.commit.to_hex_with_len(12);
        if self.folder.is_empty() {
            format!("revision `{}` ({short})", self.rev)
        } else {
            format!("`{}` at revision `{}` ({short})", self.folder, self.rev)
        }
    }

    pub(crate) fn thread_local(&self) -> gix::Repository {
        self.repo.to_thread_local()
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

pub(crate) fn read(repo: &gix::Repository, id: gix::ObjectId, path: &str, limit: u64) -> Result<Contents, SourceError> {
    // The header gives the size without inflating the object.
    let size = repo.find_header(id).map_err(SourceError::git(path))?.size();
    if size > limit {
        return Ok(Contents::TooLarge { size });
    }
    repo.find_blob(id).map(|mut blob| Contents::Bytes(blob.take_data())).map_err(SourceError::git(path))
}
