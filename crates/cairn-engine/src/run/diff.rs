//! `diff_writes`: a run's writes as one unified diff, for people to read before anything is
//! written, made as the rendered diff of a plan is (`rendered_diff`).

use std::fmt::Write as _;

use super::apply::FileWrite;
use crate::rendered_diff::{Content, MAX_DIFFED_BYTES, rendered_diff};

/// The writes as `git diff` shows a change: per file, `--- a/PATH` and `+++ b/PATH` headers
/// (`/dev/null` for a side without the file) and hunks with three lines of context, in path
/// order. A binary file, or one over `MAX_DIFFED_BYTES`, is one line saying so; a write that
/// leaves the bytes as they were shows nothing.
#[must_use]
pub fn diff_writes(writes: &[FileWrite]) -> String {
    let before = writes.iter().filter_map(|write| Some((write.path.as_str(), write.before.as_deref()?)));
    let after = writes.iter().filter_map(|write| Some((write.path.as_str(), write.after.as_deref()?)));
    let diff = rendered_diff(before, after);
    let mut out = String::new();
    for file in &diff.files {
        let a = if file.before_bytes.is_some() { format!("a/{}", file.path) } else { "/dev/null".to_owned() };
        let b = if file.after_bytes.is_some() { format!("b/{}", file.path) } else { "/dev/null".to_owned() };
        match &file.content {
            // An empty file added or removed has no hunk: its headers say what happened.
            Content::Text { unified, .. } if unified.is_empty() => {
                let _ = writeln!(out, "--- {a}\n+++ {b}");
            }
            Content::Text { unified, .. } => out.push_str(unified),
            // git's own words for a binary file (`git diff` without `--binary`).
            Content::Binary => {
                let _ = writeln!(out, "Binary files {a} and {b} differ");
            }
            Content::TooLarge => {
                let _ =
                    writeln!(out, "Files {a} and {b} differ (over {MAX_DIFFED_BYTES} bytes: not shown line by line)");
            }
        }
    }
    out
}
