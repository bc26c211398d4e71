//! Edits to one document of a YAML or JSON file, made as a careful person would: only the bytes
//! the edit needs change; comments, key order, quoting style, blank lines and the other documents
//! of the file stay exactly as they were.
//!
//! How: the file is parsed with `cairn-syntax`, whose `Node`s keep the byte span of every value;
//! each edit becomes one splice of the text (a replaced value, an inserted line, removed lines),
//! written in the style of what is around it (`yaml`, `json`).
//!
//! Invariant: what this crate returns reads back as intended. After every edit the new text is
//! parsed again; it must parse without errors, the edited document must read (as JSON) as the old
//! value with the edit applied (`expect`), and every other document exactly as before. When the
//! text written in the file's style does not, the edit is written once more in the plainest style
//! (double-quoted strings, flow collections); when that fails too, the edit is refused with a
//! finding. Nothing here panics on any input (fuzzed by `fuzz/fuzz_targets/edit.rs`).

mod document;
mod expect;
mod json;
mod scan;
mod walk;
mod yaml;

use cairn_diagnostics::Severity;
use cairn_diagnostics::{ByteSpan, Code, Diagnostic, SourceFile};
use cairn_syntax::{Limits, Node};

pub use document::remove_document;

/// A key of a mapping or an index of a sequence, on the way from a document's root to a value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// One change to a document.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Sets the value at `path`, adding the last key (and any missing mappings before it) when
    /// absent.
    Set { path: Vec<Segment>, value: serde_json::Value },
    /// Removes the key (or sequence item) at `path`; nothing to do when it is absent.
    Unset { path: Vec<Segment> },
    /// Appends `value` to the sequence at `path`, creating it when absent.
    Append { path: Vec<Segment>, value: serde_json::Value },
    /// Removes every item equal to `value` from the sequence at `path`.
    Remove { path: Vec<Segment>, value: serde_json::Value },
    /// Appends `value` to the sequence at `path` unless an equal item is there already, creating
    /// the sequence when absent. Decided on the file as the edits before it left it, so two
    /// `Add`s of one value in a run add it once.
    Add { path: Vec<Segment>, value: serde_json::Value },
}

impl Edit {
    /// The path the edit applies to.
    #[must_use]
    pub fn path(&self) -> &[Segment] {
        match self {
            Edit::Set { path, .. }
            | Edit::Unset { path }
            | Edit::Append { path, .. }
            | Edit::Remove { path, .. }
            | Edit::Add { path, .. } => path,
        }
    }
}

/// A dot-separated path (`properties.ttl`, `relations.components.0`) as segments: a part made of
/// ASCII digits only is a sequence index, anything else a key. The empty text is the empty path
/// (the document itself).
#[must_use]
pub fn path(dotted: &str) -> Vec<Segment> {
    if dotted.is_empty() {
        return Vec::new();
    }
    dotted
        .split('.')
        .map(|part| match part.parse::<usize>() {
            Ok(index) if part.bytes().all(|b| b.is_ascii_digit()) => Segment::Index(index),
            _ => Segment::Key(part.to_owned()),
        })
        .collect()
}

/// A path written back as dots, for messages.
#[must_use]
pub fn dotted(path: &[Segment]) -> String {
    let parts: Vec<String> = path
        .iter()
        .map(|segment| match segment {
            Segment::Key(key) => key.clone(),
            Segment::Index(index) => index.to_string(),
        })
        .collect();
    parts.join(".")
}

/// The byte-order mark a UTF-8 file may start with, which the parser skips.
pub(crate) const BOM: char = '\u{feff}';

/// How an edit is written: in the style of the file, or in the plainest style YAML has, tried
/// when the first does not read back as intended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Styled,
    Plain,
}

/// A replacement of the bytes `start..end` of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Splice {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Splice {
    fn apply(&self, text: &str) -> Option<String> {
        let (before, after) = (text.get(..self.start)?, text.get(self.end..)?);
        Some(format!("{before}{}{after}", self.text))
    }
}

/// Why an edit cannot be written as a splice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The value carries a YAML anchor that aliases elsewhere may share.
    Anchored(ByteSpan),
    /// The path goes through a value that is not a mapping or a list.
    Conflict { span: ByteSpan, depth: usize, found: &'static str },
}

/// Applies `edits`, in order, to the document of `file` that holds byte offset `at`; returns the
/// file's new text. An edit that cannot be made, or whose result would not read back as the
/// edited value, is refused with a finding located in `file`.
///
/// A file that starts with a byte-order mark keeps it; `at` and the findings' places are then in
/// the text after it, as `cairn_syntax::parse_file`'s spans are.
pub fn edit(file: &SourceFile, at: u32, edits: &[Edit]) -> Result<String, Box<Diagnostic>> {
    if let Some(text) = file.text().strip_prefix(BOM) {
        let file = SourceFile::new(file.path(), text);
        return edit(&file, at, edits).map(|text| format!("{BOM}{text}"));
    }
    let documents = read(file)?;
    let index = document_at(&documents, at).ok_or_else(|| no_document(file, at))?;
    let original = &documents[index];
    let mut expected: Vec<serde_json::Value> = documents.iter().map(Node::to_json).collect();
    let mut text = file.text().to_owned();
    for edit in edits {
        let mut want = expected[index].clone();
        expect::apply(&mut want, edit).map_err(|conflict| {
            let span = walk::locate(original, &edit.path()[..conflict.depth]);
            path_conflict(file, span, edit, conflict.depth, conflict.found)
        })?;
        let mut next = None;
        for mode in [Mode::Styled, Mode::Plain] {
            let candidate = apply_one(file.path(), &text, index, edit, mode).map_err(|refusal| match refusal {
                Refusal::Anchored(_) => anchored(file, walk::locate(original, edit.path()), edit),
                Refusal::Conflict { depth, found, .. } => {
                    path_conflict(file, walk::locate(original, &edit.path()[..depth]), edit, depth, found)
                }
            })?;
            let mut readback = expected.clone();
            readback[index] = want.clone();
            if reads_back(file.path(), &candidate, &readback) {
                next = Some(candidate);
                break;
            }
        }
        let Some(next) = next else {
            return Err(Box::new(
                Diagnostic::new(
                    Code::EditNotVerified,
                    format!(
                        "the edit of `{}` would not read back as the value it sets, so it is not made",
                        dotted(edit.path())
                    ),
                )
                .at_span(file, walk::locate(original, edit.path()))
                .with_help("make this change by hand, and report the file to cairn's maintainers"),
            ));
        };
        text = next;
        expected[index] = want;
    }
    Ok(text)
}

/// Applies one edit to `text`, whose documents read as before the edit. `Remove` may take
/// several splices (one per equal item), each on a fresh parse.
fn apply_one(path: &str, text: &str, index: usize, edit: &Edit, mode: Mode) -> Result<String, Refusal> {
    let mut text = text.to_owned();
    // Each round removes one item, so the number of items bounds the rounds.
    for _ in 0..=text.len() {
        let current = SourceFile::new(path, text.as_str());
        let Ok(documents) = read(&current) else { return Ok(text) };
        let Some(document) = documents.get(index) else { return Ok(text) };
        let json = is_json(path);
        let Some(primitive) = walk::primitive(text.as_str(), json, document, edit)? else { return Ok(text) };
        let splice = if json {
            json::splice(&text, document, &primitive)
        } else {
            yaml::splice(&text, document, &primitive, mode)?
        };
        let Some(next) = splice.apply(&text) else { return Ok(text) };
        text = next;
        if !matches!(edit, Edit::Remove { .. }) {
            break;
        }
    }
    Ok(text)
}

/// Whether `text` parses without errors into documents that read as `expected`.
pub(crate) fn reads_back(path: &str, text: &str, expected: &[serde_json::Value]) -> bool {
    let file = SourceFile::new(path, text);
    read(&file).is_ok_and(|documents| {
        documents.len() == expected.len() && documents.iter().zip(expected).all(|(node, want)| node.to_json() == *want)
    })
}

pub(crate) fn is_json(path: &str) -> bool {
    path.rsplit_once('.').is_some_and(|(_, extension)| extension.eq_ignore_ascii_case("json"))
}

/// The documents of `file`, or a finding when it does not parse cleanly: an edit is only made to
/// a file cairn reads without errors.
pub(crate) fn read(file: &SourceFile) -> Result<Vec<Node>, Box<Diagnostic>> {
    let parsed = cairn_syntax::parse_file(file.path(), file.text().as_bytes(), &Limits::default());
    if let Some(error) = parsed.diagnostics.iter().find(|diagnostic| diagnostic.severity == Severity::Error) {
        let mut diagnostic = Diagnostic::new(
            Code::EditUnreadable,
            format!("the file is not edited because it does not parse: {}", error.message),
        )
        .with_help("fix the file first: `cairn check` reports what is wrong with it");
        diagnostic.location.clone_from(&error.location);
        if diagnostic.location.is_none() {
            diagnostic = diagnostic.at_span(file, ByteSpan::at(0));
        }
        return Err(Box::new(diagnostic));
    }
    Ok(parsed.documents)
}

/// The index of the document whose span holds `at`.
pub(crate) fn document_at(documents: &[Node], at: u32) -> Option<usize> {
    documents.iter().position(|document| document.span.start <= at && at <= document.span.end)
}

pub(crate) fn no_document(file: &SourceFile, at: u32) -> Box<Diagnostic> {
    let at = at.min(file.text().len() as u32);
    Box::new(
        Diagnostic::new(Code::EditNoDocument, format!("no document of the file holds byte {at}"))
            .at_span(file, ByteSpan::at(at))
            .with_help("the file changed since it was read: run the command again"),
    )
}

fn path_conflict(file: &SourceFile, span: ByteSpan, edit: &Edit, depth: usize, found: &str) -> Box<Diagnostic> {
    let (message, help) = if edit.path().is_empty() {
        (format!("the edit's path is empty: {found} cannot be unset"), "name a key of the document")
    } else {
        let at = dotted(&edit.path()[..depth.min(edit.path().len())]);
        let at = if at.is_empty() { "the document".to_owned() } else { format!("`{at}`") };
        (
            format!("the edit of `{}` cannot be made: {at} is {found}", dotted(edit.path())),
            "an edit's path must go through mappings (keys) and lists (indices that exist, or one past the end)",
        )
    };
    Box::new(Diagnostic::new(Code::EditPathConflict, message).at_span(file, span).with_help(help))
}

fn anchored(file: &SourceFile, span: ByteSpan, edit: &Edit) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::new(
            Code::EditAnchored,
            format!(
                "the edit of `{}` would change a value shared through a YAML anchor (`&`) and its aliases (`*`)",
                dotted(edit.path())
            ),
        )
        .at_span(file, span)
        .with_help("write the value out instead of the anchor and its aliases, then run the action again"),
    )
}
