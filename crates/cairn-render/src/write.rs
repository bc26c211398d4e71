//! `write`: a rendered set put in place as the output folder, all at once. The files and the
//! manifest are written to a new folder beside the output folder (same parent, so a rename
//! moves it), which then replaces the output folder by two renames. A crash leaves the old or
//! the new folder whole, and at most the clearly named folders `.<name>.cairn-new` and
//! `.<name>.cairn-old` beside it, which the next run tidies up.
//!
//! Safety: nothing is followed through a symbolic link; nothing outside the output folder is
//! deleted but those two folders of cairn's own; an output folder holding files cairn did not
//! write (not in its manifest, or changed since) is replaced only with `force`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::manifest::{MANIFEST_FILE, Manifest};
use crate::{Rendered, digest, unsafe_path};

/// Why the output folder was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("`{}` holds files cairn did not write, such as `{}`", .0.display(), .1)]
    Foreign(PathBuf, String),
    #[error("`{}` is a symbolic link, which cairn never writes through", .0.display())]
    Link(PathBuf),
    #[error("`{}` is not a folder", .0.display())]
    NotAFolder(PathBuf),
    #[error("`{}` names no folder to write", .0.display())]
    NoName(PathBuf),
    #[error("`{}` is in the way: it is not a folder cairn left behind", .0.display())]
    InTheWay(PathBuf),
    #[error("the output path `{0}` is not a plain relative path")]
    UnsafePath(String),
    #[error("`{}` cannot be written", path.display())]
    Io {
        path: PathBuf,
        #[source]
        error: std::io::Error,
    },
}

impl WriteError {
    /// What to do about it, for the CLI's `help:` line.
    #[must_use]
    pub fn help(&self) -> Option<&'static str> {
        match self {
            WriteError::Foreign(..) => Some(
                "give a new folder, or one cairn rendered into before; `--force` replaces the folder's whole content",
            ),
            WriteError::Link(_) => Some("give the real folder, not a link to it"),
            WriteError::InTheWay(_) => Some("move that folder away: cairn only removes folders it left behind"),
            _ => None,
        }
    }
}

/// What a write did, by path relative to the output folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// New paths.
    pub created: Vec<String>,
    /// Paths whose content changed.
    pub changed: Vec<String>,
    pub unchanged: Vec<String>,
    /// Paths of the previous manifest no longer rendered.
    pub removed: Vec<String>,
    /// Whether the folder was replaced; false when it already held exactly this set.
    pub replaced: bool,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |error| WriteError::Io { path: path.to_path_buf(), error }
}

/// Writes `rendered` and its manifest as the folder `out`, replacing what cairn wrote there
/// before; a folder with other files in it is replaced only when `force` says so.
pub fn write(rendered: &Rendered, out: &Path, force: bool) -> Result<Written, WriteError> {
    let name = out.file_name().and_then(|name| name.to_str()).ok_or_else(|| WriteError::NoName(out.to_path_buf()))?;
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let new = parent.join(format!(".{name}.cairn-new"));
    let old = parent.join(format!(".{name}.cairn-old"));

    // A crash between the two renames left the previous folder aside: put it back first.
    let exists = |path: &Path| std::fs::symlink_metadata(path).is_ok();
    if !exists(out) && exists(&old) && is_ours(&old) {
        std::fs::rename(&old, out).map_err(io(out))?;
    }
    for leftover in [&new, &old] {
        remove_leftover(leftover)?;
    }

    let previous = inspect(out, force)?;
    let manifest = rendered.manifest();
    let manifest_bytes = manifest.to_bytes();
    let mut written = Written::default();
    let before: BTreeMap<&str, &str> = previous
        .as_ref()
        .and_then(|previous| previous.manifest.as_ref())
        .map(|manifest| manifest.files.iter().map(|file| (file.path.as_str(), file.digest.as_str())).collect())
        .unwrap_or_default();
    for (path, output) in &rendered.files {
        match before.get(path.as_str()) {
            None => written.created.push(path.clone()),
            Some(digest) if *digest == output.digest => written.unchanged.push(path.clone()),
            Some(_) => written.changed.push(path.clone()),
        }
    }
    written.removed =
        before.keys().filter(|path| !rendered.files.contains_key(**path)).map(|path| (*path).to_owned()).collect();
    if let Some(previous) = &previous
        && previous.clean
        && previous.manifest_bytes.as_deref() == Some(manifest_bytes.as_slice())
    {
        // Already exactly this set, written by cairn and unchanged since: nothing to do.
        return Ok(written);
    }

    std::fs::create_dir(&new).map_err(io(&new))?;
    for (path, output) in &rendered.files {
        if unsafe_path(path).is_some() {
            let _ = std::fs::remove_dir_all(&new);
            return Err(WriteError::UnsafePath(path.clone()));
        }
        let target = new.join(path);
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder).map_err(io(folder))?;
        }
        std::fs::write(&target, &output.bytes).map_err(io(&target))?;
    }
    let manifest_path = new.join(MANIFEST_FILE);
    if let Some(folder) = manifest_path.parent() {
        std::fs::create_dir_all(folder).map_err(io(folder))?;
    }
    std::fs::write(&manifest_path, &manifest_bytes).map_err(io(&manifest_path))?;

    if previous.is_some() {
        std::fs::rename(out, &old).map_err(io(out))?;
        std::fs::rename(&new, out).map_err(io(out))?;
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    } else {
        std::fs::rename(&new, out).map_err(io(out))?;
    }
    written.replaced = true;
    Ok(written)
}

/// Whether `path` is a real folder (not a link) holding a cairn manifest, or nothing.
fn is_ours(path: &Path) -> bool {
    let Ok(metadata) = std::fs::symlink_metadata(path) else { return false };
    if !metadata.is_dir() {
        return false;
    }
    let manifest = path.join(MANIFEST_FILE);
    let empty = std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none());
    empty || std::fs::symlink_metadata(&manifest).is_ok_and(|metadata| metadata.is_file())
}

/// Removes a folder an earlier run left behind; refuses anything else by that name.
fn remove_leftover(path: &Path) -> Result<(), WriteError> {
    match std::fs::symlink_metadata(path) {
        Err(error) if error.kind() == ErrorKind::NotFound => Ok(()),
        Err(error) => Err(WriteError::Io { path: path.to_path_buf(), error }),
        // A half-written new folder may lack its manifest: it is cairn's by its name alone
        // only when it is a real folder; a link or a file by that name is not touched.
        Ok(metadata) if metadata.is_dir() => std::fs::remove_dir_all(path).map_err(io(path)),
        Ok(_) => Err(WriteError::InTheWay(path.to_path_buf())),
    }
}

/// What the output folder holds now.
struct Previous {
    manifest: Option<Manifest>,
    manifest_bytes: Option<Vec<u8>>,
    /// Every file is in the manifest, unchanged, and nothing else is there.
    clean: bool,
}

/// Looks at `out` without following links: `None` when it does not exist; an error when it is
/// a link, not a folder, or holds files cairn did not write (unless `force`).
fn inspect(out: &Path, force: bool) -> Result<Option<Previous>, WriteError> {
    let metadata = match std::fs::symlink_metadata(out) {
        Err(error) if error.kind() == ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(WriteError::Io { path: out.to_path_buf(), error }),
        Ok(metadata) => metadata,
    };
    if metadata.file_type().is_symlink() {
        return Err(WriteError::Link(out.to_path_buf()));
    }
    if !metadata.is_dir() {
        return Err(WriteError::NotAFolder(out.to_path_buf()));
    }
    let mut found = Vec::new();
    walk(out, "", &mut found)?;
    let manifest_bytes = found
        .iter()
        .any(|(path, link)| path == MANIFEST_FILE && !link)
        .then(|| std::fs::read(out.join(MANIFEST_FILE)))
        .transpose()
        .map_err(io(out))?;
    let manifest = manifest_bytes.as_deref().and_then(Manifest::parse);
    let listed: BTreeMap<&str, &str> = manifest
        .iter()
        .flat_map(|manifest| manifest.files.iter().map(|file| (file.path.as_str(), file.digest.as_str())))
        .collect();
    let mut foreign = None;
    let mut seen = BTreeSet::new();
    for (path, link) in &found {
        if path == MANIFEST_FILE && manifest.is_some() {
            continue;
        }
        let ours = !link
            && listed
                .get(path.as_str())
                .is_some_and(|expected| std::fs::read(out.join(path)).is_ok_and(|bytes| digest(&bytes) == *expected));
        if ours {
            seen.insert(path.as_str());
        } else if foreign.is_none() {
            foreign = Some(path.clone());
        }
    }
    if let Some(path) = &foreign
        && !force
    {
        return Err(WriteError::Foreign(out.to_path_buf(), path.clone()));
    }
    let clean = foreign.is_none() && manifest.is_some() && seen.len() == listed.len();
    Ok(Some(Previous { manifest, manifest_bytes, clean }))
}

/// Every file and link under `folder`, relative and `/`-separated, with whether it is a link;
/// links are listed, never followed. A name that is not UTF-8 is listed lossily (and so is
/// never one cairn wrote).
fn walk(folder: &Path, prefix: &str, found: &mut Vec<(String, bool)>) -> Result<(), WriteError> {
    let entries = std::fs::read_dir(folder).map_err(io(folder))?;
    let mut entries: Vec<_> = entries.collect::<Result<_, _>>().map_err(io(folder))?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
        let kind = entry.file_type().map_err(io(&entry.path()))?;
        if kind.is_dir() {
            walk(&entry.path(), &path, found)?;
        } else {
            found.push((path, kind.is_symlink()));
        }
    }
    Ok(())
}
