//! The rendered diff of a plan (`Plan::rendered`) in each format: a per-file list for a terminal,
//! the structured diff for scripts, and for the pull-request comment the list plus each file's
//! unified diff in a collapsed section, as many as fit in the comment.

use std::fmt::Write as _;

use cairn_engine::{Content, FileChange, FileDiff, RenderedDiff};
use serde::Serialize;

use crate::human::plural;

/// The longest Markdown the plan's comment may be, in bytes: the diffs of rendered files are left
/// out once the comment would pass it. The same Markdown is the pull-request comment (at most
/// 65,536 characters, https://docs.github.com/en/rest/issues/comments#create-an-issue-comment)
/// and the check run's summary (at most 65,535,
/// https://docs.github.com/en/rest/checks/runs#create-a-check-run), so the smaller holds; bytes
/// are never fewer than characters. cairn-github's `fit` still cuts whatever comes before the
/// rendered output when that alone is longer.
pub const MARKDOWN_BUDGET: usize = 65_535;

/// The counts line: `1 added, 1 changed, 1 removed, 5 unchanged`.
pub(crate) fn counts(diff: &RenderedDiff) -> String {
    format!(
        "{} added, {} changed, {} removed, {} unchanged",
        diff.count(FileChange::Added),
        diff.count(FileChange::Changed),
        diff.count(FileChange::Removed),
        diff.unchanged
    )
}

fn sign(change: FileChange) -> char {
    match change {
        FileChange::Added => '+',
        FileChange::Removed => '-',
        FileChange::Changed => '~',
    }
}

/// What changed in a file, after its path: `(+1 -1)`, `(binary, 10 → 12 bytes)`, `(too large to
/// diff, 300000 → 310000 bytes)`. An added or removed text file says only its side's lines.
fn extent(file: &FileDiff) -> String {
    let sizes = match (file.before_bytes, file.after_bytes) {
        (Some(before), Some(after)) => format!("{before} → {after} bytes"),
        (None, Some(size)) | (Some(size), None) => plural(size, "byte"),
        (None, None) => String::new(),
    };
    match (&file.content, file.change) {
        (Content::Text { added, .. }, FileChange::Added) => format!("(+{added})"),
        (Content::Text { removed, .. }, FileChange::Removed) => format!("(-{removed})"),
        (Content::Text { added, removed, .. }, FileChange::Changed) => format!("(+{added} -{removed})"),
        (Content::Binary, _) => format!("(binary, {sizes})"),
        (Content::TooLarge, _) => format!("(too large to diff, {sizes})"),
    }
}

/// For a terminal: the counts, then one line per file (`+ path (+3)`, `- path (-3)`, `~ path
/// (+1 -1)`).
pub(crate) fn human(out: &mut String, diff: &RenderedDiff) {
    let _ = writeln!(out, "rendered output: {}", counts(diff));
    for file in &diff.files {
        let _ = writeln!(out, "  {} {} {}", sign(file.change), file.path, extent(file));
    }
}

/// `rendered` in `cairn plan --format json`: the counts and every file with its diff.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RenderedJson<'a> {
    counts: Counts,
    files: &'a [FileDiff],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Counts {
    added: usize,
    changed: usize,
    removed: usize,
    unchanged: usize,
}

impl<'a> RenderedJson<'a> {
    pub(crate) fn new(diff: &'a RenderedDiff) -> Self {
        RenderedJson {
            counts: Counts {
                added: diff.count(FileChange::Added),
                changed: diff.count(FileChange::Changed),
                removed: diff.count(FileChange::Removed),
                unchanged: diff.unchanged,
            },
            files: &diff.files,
        }
    }
}

/// A path as inline code in Markdown: a code span whose backtick run is longer than any in the
/// path, padded with a space when the path starts or ends with a backtick, so that any path shows
/// whole (https://github.github.com/gfm/#code-spans).
fn code(text: &str) -> String {
    let ticks = "`".repeat(longest_run(text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

fn longest_run(text: &str, mark: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        run = if c == mark { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// Text inside HTML (a `<summary>`): GitHub does not read Markdown there.
fn html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// One file's diff as a collapsed section holding a `diff` code block. The fence is longer than
/// any run of backticks in the diff, so that a rendered Markdown file's own fences cannot close
/// it (a closing fence must be at least as long as the opening one,
/// https://github.github.com/gfm/#fenced-code-blocks).
fn diff_block(file: &FileDiff, unified: &str) -> String {
    let fence = "`".repeat((longest_run(unified, '`') + 1).max(3));
    format!(
        "<details><summary><code>{}</code> {}</summary>\n\n{fence}diff\n{unified}{}{fence}\n\n</details>\n\n",
        html(&file.path),
        extent(file),
        if unified.ends_with('\n') { "" } else { "\n" }
    )
}

/// The comment's "Rendered output" section, appended to `out` (the comment so far): the counts,
/// the per-file list, then each text file's unified diff in path order, all while the comment
/// stays within `budget` bytes. The list stops at the first file that does not fit and says how
/// many more there are; a diff that does not fit is left out (a shorter one after it may still
/// fit), and the section ends by saying how many were.
pub(crate) fn markdown(out: &mut String, diff: &RenderedDiff, budget: usize) {
    let _ = writeln!(out, "<details open><summary>Rendered output: {}</summary>\n", counts(diff));
    if diff.files.is_empty() {
        let _ = writeln!(out, "The head renders the same files as the base, byte for byte.\n");
    }
    // Room for the notes and the section's end, whatever the counts in them.
    let reserve = 600;
    let mut unlisted = 0;
    for file in &diff.files {
        let line = format!("- `{}` {} {}\n", sign(file.change), code(&file.path), extent(file));
        if unlisted == 0 && out.len() + line.len() + reserve <= budget {
            out.push_str(&line);
        } else {
            unlisted += 1;
        }
    }
    if unlisted > 0 {
        let _ = writeln!(
            out,
            "- … and {unlisted} more {} (the comment would pass GitHub's limit of 65,536 characters; `cairn plan --format json` lists every file)",
            if unlisted == 1 { "file" } else { "files" }
        );
    }
    if !diff.files.is_empty() {
        out.push('\n');
    }
    let diffs: Vec<(&FileDiff, &str)> = diff
        .files
        .iter()
        .filter_map(|file| match &file.content {
            Content::Text { unified, .. } if !unified.is_empty() => Some((file, unified.as_str())),
            _ => None,
        })
        .collect();
    let mut left_out = 0;
    for (file, unified) in &diffs {
        let block = diff_block(file, unified);
        if out.len() + block.len() + reserve <= budget {
            out.push_str(&block);
        } else {
            left_out += 1;
        }
    }
    if left_out > 0 {
        let what = if left_out == 1 { "1 file's diff is".to_owned() } else { format!("{left_out} files' diffs are") };
        let _ = writeln!(
            out,
            "> [!NOTE]\n> {what} left out (of {}): the comment would pass GitHub's limit of 65,536 characters. \
             `cairn plan --format json` gives every diff.\n",
            diffs.len()
        );
    }
    let _ = writeln!(out, "</details>\n");
}

#[cfg(test)]
mod tests;
