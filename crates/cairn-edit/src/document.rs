//! Removing one document of a file: a YAML document with its `---` line, or an item of a list
//! of entities (Port's `port.yml` style, YAML or JSON) with its lines.

use cairn_diagnostics::{Code, Diagnostic, SourceFile};
use cairn_syntax::Node;

use crate::{BOM, Splice, document_at, is_json, no_document, read, reads_back, scan};

/// Removes the document of `file` that holds byte offset `at`, with its separator; returns the
/// file's new text, `None` when no document is left (the file is to be deleted).
///
/// A file that starts with a byte-order mark keeps it, as with `edit`.
pub fn remove_document(file: &SourceFile, at: u32) -> Result<Option<String>, Box<Diagnostic>> {
    if let Some(text) = file.text().strip_prefix(BOM) {
        let file = SourceFile::new(file.path(), text);
        return remove_document(&file, at).map(|text| text.map(|text| format!("{BOM}{text}")));
    }
    let documents = read(file)?;
    let index = document_at(&documents, at).ok_or_else(|| no_document(file, at))?;
    if documents.len() == 1 {
        return Ok(None);
    }
    let text = file.text();
    let splice =
        if is_json(file.path()) { list_item(text, &documents, index, true) } else { yaml(text, &documents, index) };
    let mut expected: Vec<serde_json::Value> = documents.iter().map(Node::to_json).collect();
    expected.remove(index);
    match splice.and_then(|splice| splice.apply(text)) {
        Some(after) if reads_back(file.path(), &after, &expected) => Ok(Some(after)),
        _ => Err(Box::new(
            Diagnostic::new(
                Code::EditNotVerified,
                "the file without this document would not read back as its other documents, so it is not changed",
            )
            .at_span(file, documents[index].span)
            .with_help("remove the document by hand, and report the file to cairn's maintainers"),
        )),
    }
}

/// The splice that removes document `index` of a YAML file: its list item when it shares its
/// YAML document with others, else the document from its `---` line to the next one.
fn yaml(text: &str, documents: &[Node], index: usize) -> Option<Splice> {
    let markers = markers(text);
    let region = |start: u32| {
        let start = start as usize;
        let from = markers.iter().rev().find(|&&marker| marker <= start).copied().unwrap_or(0);
        let to = markers.iter().find(|&&marker| marker > start).copied().unwrap_or(text.len());
        (from, to)
    };
    let (from, to) = region(documents[index].span.start);
    let neighbours = documents.iter().filter(|document| region(document.span.start) == (from, to)).count();
    if neighbours > 1 {
        return list_item(text, documents, index, false);
    }
    // The first document without a `---` of its own goes with the next one's `---` line when it
    // is bare, so the file starts as it did: with its first document.
    let to = if markers.first().is_none_or(|&first| first > from) {
        let line_end = scan::line_end(text, to);
        if text[to..line_end].trim_end() == "---" { line_end } else { to }
    } else {
        to
    };
    Some(Splice { start: from, end: to, text: String::new() })
}

/// The offsets of the lines that start a YAML document (`---`, alone or followed by a space).
/// A line is enough to tell: YAML forbids `---` at the start of a line inside any value, so
/// there it always starts a document (https://yaml.org/spec/1.2.2/#912-document-markers).
fn markers(text: &str) -> Vec<usize> {
    let mut markers = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("---")
            && (rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
        {
            markers.push(start);
        }
        start += line.len();
    }
    markers
}

/// The splice that removes item `index` of a list of entities: its lines in a block list, up to
/// the next item (or from the end of the one before) in a flow list or JSON array.
fn list_item(text: &str, documents: &[Node], index: usize, json: bool) -> Option<Splice> {
    let node = &documents[index];
    let ends: Vec<usize> = documents.iter().map(|document| scan::full_end(text, document, json)).collect();
    let start = node.span.start as usize;
    if !json && let Some(dash) = scan::dash_before(text, start) {
        let line = scan::line_start(text, dash);
        if scan::blank(text, line, dash) {
            return Some(Splice { start: line, end: scan::after_lines(text, ends[index]), text: String::new() });
        }
    }
    let starts: Vec<usize> = documents.iter().map(|document| document.span.start as usize).collect();
    let same_list = |other: usize| {
        let (low, high) = (starts[index.min(other)], starts[index.max(other)]);
        text.get(low..high).is_some_and(|between| !between.contains("\n---"))
    };
    if index + 1 < documents.len() && same_list(index + 1) {
        Some(Splice { start, end: starts[index + 1], text: String::new() })
    } else if index > 0 && same_list(index - 1) {
        Some(Splice { start: ends[index - 1], end: ends[index], text: String::new() })
    } else {
        None
    }
}
