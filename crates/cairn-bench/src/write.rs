//! `cairn-floor --write SRC OUT`: the floor of the render benchmark (issue 11). It loads every
//! file under SRC (a rendered output folder; `.cairn/` left out) into memory, then writes the same
//! bytes to the same paths under OUT the way `cairn render` writes its output: into a temporary
//! folder beside OUT, in parallel, then moved into place. Rendering can be no faster than the
//! writing alone, so the benchmark reports the time of the writing (from the folder's creation to
//! the move), which this prints as `write_seconds=…`; the reading is printed apart.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

/// What was written, and how long each part took.
#[derive(Debug)]
pub struct Written {
    pub files: usize,
    pub bytes: usize,
    pub read_seconds: f64,
    pub write_seconds: f64,
}

/// Copies the files under `source` to `out` through memory; `out` must not exist.
pub fn write(source: &Path, out: &Path) -> std::io::Result<Written> {
    if out.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("`{}` exists: the floor writes a new folder, as `cairn render` does", out.display()),
        ));
    }
    let start = Instant::now();
    let mut paths = Vec::new();
    list(source, Path::new(""), &mut paths)?;
    paths.sort_unstable();
    let files: Vec<(PathBuf, Vec<u8>)> = paths
        .into_par_iter()
        .map(|path| std::fs::read(source.join(&path)).map(|bytes| (path, bytes)))
        .collect::<std::io::Result<_>>()?;
    let read_seconds = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let name = out.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = out.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let mut folders: Vec<PathBuf> = files.iter().filter_map(|(path, _)| path.parent().map(Path::to_path_buf)).collect();
    folders.sort_unstable();
    folders.dedup();
    std::fs::create_dir_all(&temporary)?;
    for folder in &folders {
        std::fs::create_dir_all(temporary.join(folder))?;
    }
    files.par_iter().try_for_each(|(path, bytes)| std::fs::write(temporary.join(path), bytes))?;
    std::fs::rename(&temporary, out)?;
    let write_seconds = start.elapsed().as_secs_f64();
    Ok(Written {
        files: files.len(),
        bytes: files.iter().map(|(_, bytes)| bytes.len()).sum(),
        read_seconds,
        write_seconds,
    })
}

/// Every file under `root/relative`, as paths relative to `root`, leaving out `.cairn/` (the
/// manifest `cairn render` adds) at the top.
fn list(root: &Path, relative: &Path, paths: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(root.join(relative))? {
        let entry = entry?;
        let path = relative.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if path != Path::new(".cairn") {
                list(root, &path, paths)?;
            }
        } else if kind.is_file() {
            paths.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_writes_the_same_bytes_to_the_same_paths_and_leaves_the_manifest_out() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let source = dir.path().join("rendered");
        for (path, text) in [
            ("production/checkout/deployment.yaml", "kind: Deployment\n"),
            ("production/namespace.yaml", "kind: Namespace\n"),
            ("CODEOWNERS", "* @acme/platform\n"),
            (".cairn/manifest.json", "{}\n"),
        ] {
            let full = source.join(path);
            std::fs::create_dir_all(full.parent().expect("a folder")).expect("folders");
            std::fs::write(full, text).expect("a file");
        }
        let out = dir.path().join("out");
        let written = write(&source, &out).expect("written");
        assert_eq!((written.files, written.bytes), (3, 17 + 16 + 17));
        assert_eq!(
            std::fs::read_to_string(out.join("production/checkout/deployment.yaml")).expect("a file"),
            "kind: Deployment\n"
        );
        assert!(!out.join(".cairn").exists());
        let left: Vec<_> =
            std::fs::read_dir(dir.path()).expect("a listing").map(|e| e.expect("an entry").file_name()).collect();
        assert_eq!(left.len(), 2, "no temporary folder is left: {left:?}");
        assert!(write(&source, &out).is_err(), "an existing folder is refused");
    }
}
