//! From a file's bytes to its documents: the size and encoding checks, the choice of parser by
//! extension, and the split of a file into the documents (entities or blueprints) it holds.

use std::sync::Arc;

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, Location, SourceFile};

use crate::limits::Limits;
use crate::node::{Node, Value};
use crate::{json, yaml};

/// A parsed file: its text (kept for snippets) and the mappings it holds, in order.
#[derive(Debug)]
pub struct ParsedFile {
    pub file: Arc<SourceFile>,
    pub documents: Vec<Node>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether `path` names a file cairn parses: YAML or JSON by extension.
#[must_use]
pub fn is_data_file(path: &str) -> bool {
    ["yaml", "yml", "json"].iter().any(|known| has_extension(path, known))
}

fn has_extension(path: &str, extension: &str) -> bool {
    path.rsplit_once('.').is_some_and(|(_, found)| found.eq_ignore_ascii_case(extension))
}

/// A finding for a file that is not read because it is larger than the limit.
#[must_use]
pub fn too_large(path: &str, size: u64, limits: &Limits) -> Diagnostic {
    Diagnostic::new(
        Code::FileTooLarge,
        format!("the file is {size} bytes, above the limit of {} bytes", limits.max_file_size),
    )
    .at(Location::file(path))
    .with_help("split the file, or raise `limits.max-file-size` in cairn.yaml")
}

/// Parses `bytes` read from `path`. Each document, and each item of a document that is a list
/// (as in Port's `port.yml`), becomes one document of the result; anything else is a finding.
#[must_use]
pub fn parse_file(path: &str, bytes: &[u8], limits: &Limits) -> ParsedFile {
    if bytes.len() as u64 > limits.max_file_size {
        let file = Arc::new(SourceFile::new(path, ""));
        return ParsedFile {
            file,
            documents: Vec::new(),
            diagnostics: vec![too_large(path, bytes.len() as u64, limits)],
        };
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let file = Arc::new(SourceFile::new(path, String::from_utf8_lossy(bytes)));
            let offset = error.valid_up_to() as u32;
            let diagnostic = Diagnostic::new(Code::NotUtf8, "the file is not UTF-8 text")
                .at_span(&file, ByteSpan::new(offset, offset + 1))
                .with_help("save the file as UTF-8");
            return ParsedFile { file, documents: Vec::new(), diagnostics: vec![diagnostic] };
        }
    };
    // A byte-order mark is allowed and ignored; spans stay relative to the text after it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file = Arc::new(SourceFile::new(path, text));
    let (roots, mut diagnostics) = if has_extension(path, "json") {
        let (root, diagnostics) = json::parse(&file, limits);
        (root.into_iter().collect(), diagnostics)
    } else {
        yaml::parse(&file, limits)
    };
    let mut documents = Vec::new();
    let mut any_content = false;
    for root in roots {
        match root.value {
            Value::Mapping(_) => {
                any_content = true;
                documents.push(root);
            }
            Value::Sequence(items) => {
                any_content = true;
                for item in items {
                    if matches!(item.value, Value::Mapping(_)) {
                        documents.push(item);
                    } else {
                        diagnostics.push(not_a_mapping(&file, &item, "an item of the list"));
                    }
                }
            }
            // `---` with nothing after it, or a file of comments: nothing to read, nothing wrong.
            Value::Null => {}
            _ => {
                any_content = true;
                diagnostics.push(not_a_mapping(&file, &root, "the document"));
            }
        }
    }
    if !any_content && diagnostics.is_empty() {
        diagnostics.push(
            Diagnostic::new(Code::EmptyFile, "the file holds no entity or blueprint")
                .at(Location::new(&file, ByteSpan::at(0)))
                .with_help("add content or delete the file"),
        );
    }
    ParsedFile { file, documents, diagnostics }
}

fn not_a_mapping(file: &SourceFile, node: &Node, what: &str) -> Diagnostic {
    Diagnostic::new(Code::NotAMapping, format!("{what} is {}, not a mapping", node.type_name()))
        .at_span(file, node.span)
        .with_help("an entity or a blueprint is a mapping of keys such as `identifier:` and `title:`")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(path: &str, text: &[u8]) -> Vec<Code> {
        parse_file(path, text, &Limits::default()).diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn splits_lists_and_documents() {
        let parsed =
            parse_file("c.yaml", b"- identifier: a\n- identifier: b\n---\nidentifier: c\n", &Limits::default());
        assert!(parsed.diagnostics.is_empty());
        assert_eq!(parsed.documents.len(), 3);
    }

    #[test]
    fn reports_files_that_hold_no_mapping() {
        assert_eq!(codes("e.yaml", b""), [Code::EmptyFile]);
        assert_eq!(codes("e.yaml", b"# only a comment\n"), [Code::EmptyFile]);
        assert_eq!(codes("s.yaml", b"just text\n"), [Code::NotAMapping]);
        assert_eq!(codes("l.yaml", b"- 1\n- identifier: a\n"), [Code::NotAMapping]);
        assert_eq!(codes("b.json", b"\xff\xfe{}"), [Code::NotUtf8]);
    }

    #[test]
    fn refuses_files_over_the_size_limit() {
        let limits = Limits { max_file_size: 4, ..Limits::default() };
        assert_eq!(parse_file("big.yaml", b"a: 12345", &limits).diagnostics[0].code, Code::FileTooLarge);
    }
}
