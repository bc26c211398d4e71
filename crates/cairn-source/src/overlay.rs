//! A source whose files are another source's with some paths replaced, added or removed, held in
//! memory: what a platform would be once a change is written, read before anything is written.

use std::collections::{BTreeMap, BTreeSet};

use crate::{Contents, EntryKind, FileEntry, Origin, Source, SourceError};

/// The changed paths: the new bytes of a path (`Some`), or its removal (`None`).
pub type Writes = BTreeMap<String, Option<Vec<u8>>>;

/// `base` with `writes` laid over it.
#[derive(Clone, Debug)]
pub struct Overlay {
    base: Source,
    writes: Writes,
    /// For a base that is a merged tree: its paths whose content is the base's tip's, less those
    /// the writes change (they are the writes' content now).
    kept_from_base: Option<BTreeSet<String>>,
}

impl Overlay {
    pub(crate) fn new(base: Source, writes: Writes) -> Overlay {
        let kept_from_base =
            base.kept_from_base().map(|kept| kept.iter().filter(|path| !writes.contains_key(*path)).cloned().collect());
        Overlay { base, writes, kept_from_base }
    }

    pub(crate) fn base(&self) -> &Source {
        &self.base
    }

    pub(crate) fn writes(&self) -> &Writes {
        &self.writes
    }

    pub(crate) fn kept_from_base(&self) -> Option<&BTreeSet<String>> {
        self.kept_from_base.as_ref()
    }

    pub(crate) fn origin(&self) -> Origin {
        Origin::Overlay { base: Box::new(self.base.origin()), changed: self.writes.len() }
    }

    /// The base's listing less the removed paths, with every written path a regular file. A
    /// written path takes the id git would give its bytes, in the hash of the base's ids, so
    /// that equal ids still mean equal bytes and a caller's reuse by blob id stays right; over
    /// a directory, where no path has an id, a written one has none either.
    pub(crate) fn list(&self) -> Result<Vec<FileEntry>, SourceError> {
        let base = self.base.files()?;
        let hash = base.iter().find_map(|entry| entry.id).map(|id| id.kind());
        let mut files: Vec<FileEntry> =
            base.iter().filter(|entry| !self.writes.contains_key(&entry.path)).cloned().collect();
        for (path, bytes) in &self.writes {
            let Some(bytes) = bytes else { continue };
            // A hash that fails (SHA-1 collision detection) only costs the reuse of this path.
            let id = hash.and_then(|hash| gix::objs::compute_hash(hash, gix::objs::Kind::Blob, bytes).ok());
            files.push(FileEntry { path: path.clone(), kind: EntryKind::File, id });
        }
        Ok(files)
    }
}

/// The bytes written at `path`, within `limit` as `Reader::read` gives them; `None` when the
/// overlay does not write `path`.
pub(crate) fn read(writes: &Writes, path: &str, limit: u64) -> Option<Result<Contents, SourceError>> {
    let written = writes.get(path)?;
    Some(match written {
        Some(bytes) if bytes.len() as u64 > limit => Ok(Contents::TooLarge { size: bytes.len() as u64 }),
        Some(bytes) => Ok(Contents::Bytes(bytes.clone())),
        // The listing leaves a removed path out: reading it is reading a path that is not there.
        None => Err(SourceError::NotAFile(path.to_owned())),
    })
}
