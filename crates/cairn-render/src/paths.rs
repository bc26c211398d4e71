//! Output paths: each rendered path checked to be a plain relative path inside the output
//! folder, and the whole set checked for two sources writing one path, paths that differ only in
//! case (one file on a case-insensitive file system), and a path that is both a file and a
//! folder.

use std::collections::{BTreeMap, HashMap};

use cairn_diagnostics::{Code, Diagnostic};

use crate::templates::Origin;
use crate::{MANIFEST_FOLDER, Output, Rendered};

/// A rendered file before the set is checked: its path as rendered, and where the path pattern
/// is written.
pub(crate) struct Placed {
    pub path: String,
    pub output: Output,
    pub origin: Origin,
}

/// Why `path` is not a plain relative path inside the output folder, if it is not.
#[must_use]
pub fn unsafe_path(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("it is empty");
    }
    if path.contains('\0') {
        return Some("it holds a NUL character");
    }
    if path.contains('\\') {
        return Some("it holds a backslash, which Windows reads as a folder separator");
    }
    if path.starts_with('/') {
        return Some("it is absolute");
    }
    // `C:x` is relative to a drive on Windows.
    if path.as_bytes().get(1) == Some(&b':') {
        return Some("it names a drive");
    }
    let mut parts = path.split('/');
    if parts.clone().any(str::is_empty) {
        return Some("it has an empty segment (`//` or a trailing `/`)");
    }
    if parts.clone().any(|part| part == "." || part == "..") {
        return Some("it has a `.` or `..` segment");
    }
    if parts.clone().any(|part| part.chars().any(char::is_control)) {
        return Some("it holds a control character");
    }
    if parts.next().is_some_and(|first| first.eq_ignore_ascii_case(MANIFEST_FOLDER)) {
        return Some("`.cairn/` is where cairn keeps the manifest");
    }
    None
}

/// Gathers the placed files into the output set: unsafe paths, two sources on one path, paths
/// that collide ignoring case, and a file in the way of a folder are findings (located at the
/// path pattern, naming both sources) and those files are left out.
pub(crate) fn gather(placed: Vec<Placed>) -> (Rendered, Vec<Diagnostic>) {
    let mut findings = Vec::new();
    let mut files: BTreeMap<String, (Output, Origin)> = BTreeMap::new();
    for Placed { path, output, origin } in placed {
        if let Some(reason) = unsafe_path(&path) {
            findings.push(
                Diagnostic::new(
                    Code::UnsafeOutputPath,
                    format!("the output path `{}` is refused: {reason} (rendering {})", escape(&path), output.source.describe()),
                )
                .at(origin.location(None))
                .with_help("an output path is relative to the output folder, `/`-separated, without `..`, and not under `.cairn/`"),
            );
            continue;
        }
        match files.get(&path) {
            Some((first, _)) => findings.push(
                Diagnostic::new(
                    Code::OutputConflict,
                    format!(
                        "`{path}` is rendered twice: by {} and by {}",
                        first.source.describe(),
                        output.source.describe()
                    ),
                )
                .at(origin.location(None))
                .with_help(
                    "give each output its own path, for example with the entity's or environment's identifier in it",
                ),
            ),
            None => {
                files.insert(path, (output, origin));
            }
        }
    }
    // Paths equal but for case are one file on macOS and Windows.
    let mut folded: HashMap<String, &str> = HashMap::new();
    let mut dropped = Vec::new();
    for path in files.keys() {
        if let Some(first) = folded.get(&path.to_lowercase()) {
            let (output, origin) = &files[path];
            findings.push(
                Diagnostic::new(
                    Code::OutputCaseCollision,
                    format!(
                        "`{path}` and `{first}` differ only in case, so they are one file on a case-insensitive file system (rendering {} and {})",
                        output.source.describe(),
                        files[*first].0.source.describe()
                    ),
                )
                .at(origin.location(None))
                .with_help("name outputs in lowercase, for example with the `slug` filter"),
            );
            dropped.push(path.clone());
        } else {
            folded.insert(path.to_lowercase(), path);
        }
    }
    // A file where another output needs a folder.
    for path in files.keys() {
        let mut prefix = path.as_str();
        while let Some((parent, _)) = prefix.rsplit_once('/') {
            if let Some((output, _)) = files.get(parent) {
                let origin = &files[path].1;
                findings.push(
                    Diagnostic::new(
                        Code::OutputConflict,
                        format!(
                            "`{parent}` is rendered as a file by {} and as a folder of `{path}` by {}",
                            output.source.describe(),
                            files[path].0.source.describe()
                        ),
                    )
                    .at(origin.location(None))
                    .with_help("give the file and the folder different names"),
                );
                dropped.push(path.clone());
            }
            prefix = parent;
        }
    }
    for path in dropped {
        files.remove(&path);
    }
    let files = files.into_iter().map(|(path, (output, _))| (path, output)).collect();
    (Rendered { files }, findings)
}

/// A path as a message shows it: control characters escaped.
fn escape(path: &str) -> String {
    path.chars().flat_map(char::escape_debug).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_safe() {
        for path in ["a.yaml", "dev/payments/deployment.yaml", ".github/CODEOWNERS", "a..b/c"] {
            assert_eq!(unsafe_path(path), None, "{path}");
        }
        for path in [
            "",
            "../../etc/x",
            "a/../../b",
            "/etc/passwd",
            "a\\b",
            "C:x",
            "a//b",
            "a/",
            "./a",
            "a\0b",
            ".cairn/manifest.json",
            ".CAIRN/x",
            "a\nb",
        ] {
            assert!(unsafe_path(path).is_some(), "{path:?}");
        }
    }
}
