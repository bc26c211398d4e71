//! The rendered diff of a change: what `cairn render` writes at the base and at the head, compared
//! file by file, so that a pull request shows the real consequence of a YAML edit. Each file
//! added, removed or changed gets a unified diff (the `similar` crate); a binary or very large
//! file is summarised by its sizes instead.
//!
//! The two sides are plain maps from a path (relative to the output folder) to its bytes, so that
//! any rendering plugs in: `cairn_render::Rendered`'s files, a folder read from disk, or a test's
//! literal. This module owns the data; cairn-report formats it.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use similar::TextDiff;

/// The largest file, in bytes, whose changes are shown line by line; a larger one on either side
/// is summarised by its sizes. A unified diff of two 256 KiB files of about 8,000 lines each is
/// already more than a reviewer reads, and Myers' algorithm, which `similar` runs without a
/// deadline here (a deadline would read the clock and make the output depend on the machine's
/// speed), takes time in proportion to the lines times the differences.
pub const MAX_DIFFED_BYTES: usize = 256 * 1024;

/// The rendered output at the base compared with the rendered output at the head.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RenderedDiff {
    /// Every file added, removed or changed, sorted by path (byte order).
    pub files: Vec<FileDiff>,
    /// How many files both sides render with the same bytes.
    pub unchanged: usize,
}

impl RenderedDiff {
    /// How many files are `change`.
    #[must_use]
    pub fn count(&self, change: FileChange) -> usize {
        self.files.iter().filter(|file| file.change == change).count()
    }

    /// Whether the two renderings are the same bytes, file for file.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// What happened to one output file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FileChange {
    /// Only the head renders it.
    Added,
    /// Only the base renders it.
    Removed,
    /// Both render it, with different bytes.
    Changed,
}

/// One output file that differs between the base and the head.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileDiff {
    /// The path relative to the output folder, `/`-separated.
    pub path: String,
    pub change: FileChange,
    /// Its size at the base, in bytes (`None` when added).
    pub before_bytes: Option<usize>,
    /// Its size at the head, in bytes (`None` when removed).
    pub after_bytes: Option<usize>,
    /// The lines changed, or why the file is not diffed line by line.
    pub content: Content,
}

impl FileDiff {
    /// The lines the head adds and removes, when the file is diffed line by line.
    #[must_use]
    pub fn lines(&self) -> Option<(usize, usize)> {
        match &self.content {
            Content::Text { added, removed, .. } => Some((*added, *removed)),
            Content::Binary | Content::TooLarge => None,
        }
    }
}

/// The change to one file's content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Content {
    /// Text on both sides (UTF-8 without a NUL byte; an absent side counts as empty text).
    Text {
        /// Lines the head adds.
        added: usize,
        /// Lines the head removes.
        removed: usize,
        /// The unified diff, with `--- a/PATH` and `+++ b/PATH` headers (`/dev/null` for the side
        /// without the file) and three lines of context, as `git diff` shows it; empty for an
        /// added or removed empty file.
        unified: String,
    },
    /// Bytes that are not text on either side: not UTF-8, or holding a NUL byte, as git decides
    /// that a file is binary.
    Binary,
    /// Over `MAX_DIFFED_BYTES` on either side.
    TooLarge,
}

/// Compares the files `base` renders with the files `head` renders, each a path (relative to the
/// output folder) and its bytes. A path given twice on one side keeps its last bytes. Files are
/// diffed in parallel; the result is sorted by path, the same for the same input.
///
/// With `cairn_render::Rendered`: `rendered_diff(base.files.iter().map(|(path, output)|
/// (path.as_str(), &*output.bytes)), head.files.iter().map(…))`.
#[must_use]
pub fn rendered_diff<'a, 'b>(
    base: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    head: impl IntoIterator<Item = (&'b str, &'b [u8])>,
) -> RenderedDiff {
    let base: BTreeMap<&str, &[u8]> = base.into_iter().collect();
    let head: BTreeMap<&str, &[u8]> = head.into_iter().collect();
    let mut pairs: Vec<Pair<'_>> = Vec::new();
    let mut unchanged = 0;
    for (&path, &before) in &base {
        match head.get(path) {
            Some(&after) if after == before => unchanged += 1,
            after => pairs.push((path, Some(before), after.copied())),
        }
    }
    pairs.extend(
        head.iter().filter(|(path, _)| !base.contains_key(*path)).map(|(&path, &after)| (path, None, Some(after))),
    );
    pairs.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let files = pairs.into_par_iter().map(|(path, before, after)| file_diff(path, before, after)).collect();
    RenderedDiff { files, unchanged }
}

/// A path and its bytes at the base and at the head (`None` where it is not rendered).
type Pair<'a> = (&'a str, Option<&'a [u8]>, Option<&'a [u8]>);

fn file_diff(path: &str, before: Option<&[u8]>, after: Option<&[u8]>) -> FileDiff {
    let change = match (before, after) {
        (None, _) => FileChange::Added,
        (_, None) => FileChange::Removed,
        (Some(_), Some(_)) => FileChange::Changed,
    };
    let too_large = |side: Option<&[u8]>| side.is_some_and(|bytes| bytes.len() > MAX_DIFFED_BYTES);
    let content = if too_large(before) || too_large(after) {
        Content::TooLarge
    } else {
        match (text(before), text(after)) {
            (Some(old), Some(new)) => unified(path, (before.is_some(), old), (after.is_some(), new)),
            _ => Content::Binary,
        }
    };
    FileDiff {
        path: path.to_owned(),
        change,
        before_bytes: before.map(<[u8]>::len),
        after_bytes: after.map(<[u8]>::len),
        content,
    }
}

/// The side as text: empty when absent, `None` when binary. git takes a file with a NUL byte in
/// its first 8,000 bytes as binary (xdiff's `buffer_is_binary`); cairn looks at the whole file,
/// and also refuses bytes that are not UTF-8, which a unified diff in a comment could not show.
fn text(side: Option<&[u8]>) -> Option<&str> {
    let bytes = side.unwrap_or_default();
    if bytes.contains(&0) {
        return None;
    }
    std::str::from_utf8(bytes).ok()
}

fn unified(path: &str, (had, old): (bool, &str), (has, new): (bool, &str)) -> Content {
    let diff = TextDiff::from_lines(old, new);
    let (mut added, mut removed) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Insert => added += 1,
            similar::ChangeTag::Delete => removed += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    let (a, b) = (
        if had { format!("a/{path}") } else { "/dev/null".to_owned() },
        if has { format!("b/{path}") } else { "/dev/null".to_owned() },
    );
    let unified = diff.unified_diff().context_radius(3).header(&a, &b).to_string();
    Content::Text { added, removed, unified }
}

#[cfg(test)]
mod tests;
