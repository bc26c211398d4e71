//! YAML to `Node`s in one pass over saphyr-parser's events, which carry positions: no second
//! parse is needed to locate values. Limits on nesting and on alias expansion keep hostile input
//! (a "billion laughs" file, a 10,000-deep list) bounded in time and memory.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, SourceFile};
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

use crate::limits::Limits;
use crate::node::{Entry, Node, Value};
use crate::syntax::{syntax_error, typographic_quotes_warning};

/// Parses every document of a YAML file. Never fails: what could be read, plus diagnostics.
#[must_use]
pub fn parse(file: &SourceFile, limits: &Limits) -> (Vec<Node>, Vec<Diagnostic>) {
    let mut builder = Builder::new(file, limits);
    // Not `Parser::new_from_str`: its `StrInput` counts the bytes of a directive's name and
    // parameters as characters (saphyr-parser 0.3.4), so after `%é` every index ran ahead of the
    // text. The character-by-character input counts characters, as `Offsets` needs, and is as fast.
    let mut parser = Parser::new_from_iter(file.text().chars());
    while let Some(next) = parser.next_event() {
        match next {
            Ok((event, span)) => {
                if let Err(diagnostic) = builder.event(event, span) {
                    builder.diagnostics.push(*diagnostic);
                    break;
                }
            }
            Err(error) => {
                let offset = builder.offsets.byte(error.marker().index());
                // The scanner has its own bound on flow nesting (`[[[…`), met before ours when it
                // reads ahead; it is the same finding.
                let diagnostic = if error.info() == "recursion limit exceeded" {
                    nesting_limit(file, limits, ByteSpan::at(offset))
                } else {
                    syntax_error(Code::SyntaxYaml, file, offset, error.info())
                };
                builder.diagnostics.push(diagnostic);
                break;
            }
        }
    }
    (builder.documents, builder.diagnostics)
}

/// Whether `text` is one or more well-formed YAML documents, for Port's `yaml` format.
#[must_use]
pub fn is_valid_yaml(text: &str) -> bool {
    let file = SourceFile::new("", text);
    let (_, diagnostics) = parse(&file, &Limits::default());
    diagnostics.iter().all(|diagnostic| diagnostic.severity != cairn_diagnostics::Severity::Error)
}

/// A collection being built, with the byte offset it starts at.
enum Frame {
    Sequence {
        start: u32,
        anchor: usize,
        items: Vec<Node>,
    },
    Mapping {
        start: u32,
        anchor: usize,
        entries: Vec<Entry>,
        /// The key waiting for its value, and whether the mapping has it already.
        key: Option<(String, ByteSpan, bool)>,
        keys: Option<HashSet<String>>,
    },
}

/// Mappings with more keys than this look duplicates up in a set instead of scanning.
const LINEAR_KEY_SCAN: usize = 16;

struct Builder<'a> {
    file: &'a SourceFile,
    limits: &'a Limits,
    offsets: Offsets,
    stack: Vec<Frame>,
    /// Anchored nodes by anchor id, with the number of nodes each holds.
    anchors: HashMap<usize, (Node, usize)>,
    /// Nodes created by expanding aliases in this file so far.
    expanded: usize,
    documents: Vec<Node>,
    diagnostics: Vec<Diagnostic>,
}

type Step = Result<(), Box<Diagnostic>>;

impl<'a> Builder<'a> {
    fn new(file: &'a SourceFile, limits: &'a Limits) -> Self {
        Builder {
            file,
            limits,
            offsets: Offsets::new(file.text()),
            stack: Vec::new(),
            anchors: HashMap::new(),
            expanded: 0,
            documents: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    fn span(&self, span: Span) -> ByteSpan {
        ByteSpan::new(self.offsets.byte(span.start.index()), self.offsets.byte(span.end.index()))
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Step {
        let span = self.span(span);
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let node = self.scalar(text, style, tag.as_deref(), span)?;
                self.remember(anchor, &node);
                self.push(node)
            }
            Event::SequenceStart(anchor, tag) => {
                self.reject_tag(tag.as_deref(), span)?;
                self.open(Frame::Sequence { start: span.start, anchor, items: Vec::new() }, span)
            }
            Event::MappingStart(anchor, tag) => {
                self.reject_tag(tag.as_deref(), span)?;
                let frame = Frame::Mapping { start: span.start, anchor, entries: Vec::new(), key: None, keys: None };
                self.open(frame, span)
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(span),
            Event::Alias(anchor) => self.alias(anchor, span),
            Event::DocumentEnd => {
                self.anchors.clear();
                Ok(())
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) => Ok(()),
        }
    }

    fn open(&mut self, frame: Frame, span: ByteSpan) -> Step {
        if self.stack.len() >= self.limits.max_depth {
            return Err(Box::new(nesting_limit(self.file, self.limits, span)));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, end: ByteSpan) -> Step {
        // A catalog keeps every entity's tree for the whole run: trimming each collection to its
        // length saves about a tenth of the memory of a large catalog.
        let node = match self.stack.pop() {
            Some(Frame::Sequence { start, anchor, mut items }) => {
                items.shrink_to_fit();
                let end = items.last().map_or(end.end, |last| last.span.end.max(start));
                let node = Node::new(ByteSpan::new(start, end.max(start)), Value::Sequence(items));
                self.remember(anchor, &node);
                node
            }
            Some(Frame::Mapping { start, anchor, mut entries, .. }) => {
                entries.shrink_to_fit();
                let end = entries.last().map_or(end.end, |last| last.value.span.end.max(start));
                let node = Node::new(ByteSpan::new(start, end.max(start)), Value::Mapping(entries));
                self.remember(anchor, &node);
                node
            }
            None => return Ok(()),
        };
        self.push(node)
    }

    /// Adds a finished node to the collection being built, or ends a document with it.
    fn push(&mut self, node: Node) -> Step {
        match self.stack.last_mut() {
            None => self.documents.push(node),
            Some(Frame::Sequence { items, .. }) => items.push(node),
            Some(Frame::Mapping { entries, key, keys, .. }) => match key.take() {
                None => {
                    let Some(name) = key_text(&node) else {
                        return Err(Box::new(
                            Diagnostic::new(Code::UnsupportedYaml, format!("a mapping key is {}", node.type_name()))
                                .at_span(self.file, node.span)
                                .with_help("use text, a number or a boolean as a key"),
                        ));
                    };
                    let duplicate = match keys {
                        Some(set) => set.contains(&name),
                        None => entries.iter().any(|entry| entry.key == name),
                    };
                    if duplicate {
                        let first = entries.iter().find(|entry| entry.key == name).map(|entry| entry.key_span);
                        let mut diagnostic = Diagnostic::new(
                            Code::DuplicateKey,
                            format!("the key `{name}` appears twice in one mapping"),
                        )
                        .at_span(self.file, node.span)
                        .with_help(
                            "remove one of them: YAML does not allow a key twice, and tools disagree on which one wins",
                        );
                        if let Some(first) = first {
                            diagnostic = diagnostic
                                .with_related("first here", cairn_diagnostics::Location::new(self.file, first));
                        }
                        self.diagnostics.push(diagnostic);
                    }
                    *key = Some((name, node.span, duplicate));
                }
                // A duplicate key keeps its first value, as the diagnostic's "first here" says.
                Some((_, _, true)) => {}
                Some((name, key_span, false)) => {
                    if let Some(set) = keys {
                        set.insert(name.clone());
                    } else if entries.len() >= LINEAR_KEY_SCAN {
                        *keys = Some(entries.iter().map(|entry| entry.key.clone()).chain([name.clone()]).collect());
                    }
                    entries.push(Entry { key: name, key_span, value: node });
                }
            },
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), count_nodes(node)));
        }
    }

    fn alias(&mut self, anchor: usize, span: ByteSpan) -> Step {
        let Some((node, size)) = self.anchors.get(&anchor) else {
            return Err(Box::new(
                Diagnostic::new(Code::SyntaxYaml, "an alias refers to an anchor that is not defined before it")
                    .at_span(self.file, span),
            ));
        };
        self.expanded += size;
        if self.expanded > self.limits.max_alias_nodes {
            return Err(Box::new(
                Diagnostic::new(
                    Code::AliasLimit,
                    format!("aliases expand to more than {} values", self.limits.max_alias_nodes),
                )
                .at_span(self.file, span)
                .with_help("write the values out, or raise `limits.max-alias-expansion` in cairn.yaml"),
            ));
        }
        // The alias stands where it is written, so diagnostics about it point here.
        let mut node = node.clone();
        node.span = span;
        self.push(node)
    }

    fn reject_tag(&self, tag: Option<&Tag>, span: ByteSpan) -> Step {
        match tag {
            Some(tag) if !matches!(tag.suffix.as_str(), "map" | "seq") || !tag.is_yaml_core_schema() => {
                Err(Box::new(unsupported_tag(self.file, tag, span)))
            }
            _ => Ok(()),
        }
    }

    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        tag: Option<&Tag>,
        span: ByteSpan,
    ) -> Result<Node, Box<Diagnostic>> {
        let value = match tag {
            None if style == ScalarStyle::Plain => resolve_plain(&text),
            None => Value::String(text.into_owned()),
            Some(tag) if tag.is_yaml_core_schema() => match (tag.suffix.as_str(), resolve_plain(&text)) {
                ("str", _) => Value::String(text.into_owned()),
                ("null", value @ Value::Null)
                | ("bool", value @ Value::Bool(_))
                | ("int" | "float", value @ Value::Number(_)) => value,
                (suffix, _) => {
                    return Err(Box::new(
                        Diagnostic::new(Code::UnsupportedYaml, format!("`{text}` is not a valid `!!{suffix}`"))
                            .at_span(self.file, span),
                    ));
                }
            },
            Some(tag) => return Err(Box::new(unsupported_tag(self.file, tag, span))),
        };
        if let (ScalarStyle::Plain, Value::String(text)) = (style, &value)
            && let Some(warning) = typographic_quotes_warning(self.file, text, span)
        {
            self.diagnostics.push(warning);
        }
        Ok(Node::new(span, value))
    }
}

fn nesting_limit(file: &SourceFile, limits: &Limits, span: ByteSpan) -> Diagnostic {
    Diagnostic::new(Code::NestingLimit, format!("values nest deeper than {} levels", limits.max_depth))
        .at_span(file, span)
        .with_help("flatten the data, or raise `limits.max-depth` in cairn.yaml")
}

fn unsupported_tag(file: &SourceFile, tag: &Tag, span: ByteSpan) -> Diagnostic {
    Diagnostic::new(Code::UnsupportedYaml, format!("the YAML tag `{tag}` is not supported"))
        .at_span(file, span)
        .with_help("remove the tag: platform data is plain YAML")
}

/// The text of a scalar used as a mapping key; collections cannot be keys.
fn key_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null => Some("null".to_owned()),
        Value::Sequence(_) | Value::Mapping(_) => None,
    }
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.value {
        Value::Sequence(items) => items.iter().map(count_nodes).sum(),
        Value::Mapping(entries) => entries.iter().map(|entry| 1 + count_nodes(&entry.value)).sum(),
        _ => 0,
    }
}

/// Resolves a plain scalar by YAML 1.2's core schema, as serde_yaml does.
fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF" | ".nan" | ".NaN"
        | ".NAN" => {
            // JSON has no infinities or NaN; keep the text so nothing is lost.
            return Value::String(text.to_owned());
        }
        _ => {}
    }
    if let Some(number) = resolve_number(text) {
        return Value::Number(number);
    }
    Value::String(text.to_owned())
}

fn resolve_number(text: &str) -> Option<serde_json::Number> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let negative = text.starts_with('-');
    let radix = |prefix: &str, radix: u32| {
        let rest = digits.strip_prefix(prefix)?;
        let value = i64::from_str_radix(rest, radix).ok()?;
        Some(serde_json::Number::from(if negative { -value } else { value }))
    };
    if let Some(number) = radix("0x", 16).or_else(|| radix("0o", 8)) {
        return Some(number);
    }
    let first = digits.chars().next()?;
    if !(first.is_ascii_digit() || first == '.') || !digits.bytes().all(|b| b.is_ascii_digit() || b".eE+-".contains(&b))
    {
        return None;
    }
    let text = text.strip_prefix('+').unwrap_or(text);
    if let Ok(integer) = text.parse::<i64>() {
        return Some(integer.into());
    }
    if let Ok(integer) = text.parse::<u64>() {
        return Some(integer.into());
    }
    text.parse::<f64>().ok().and_then(serde_json::Number::from_f64)
}

/// Converts saphyr's character indices into byte offsets. For ASCII text they are equal; for
/// other text the table holds, for each multi-byte character, its index and the extra bytes
/// that all multi-byte characters up to and including it add.
struct Offsets {
    multibyte: Vec<(u32, u32)>,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let mut multibyte = Vec::new();
        if !text.is_ascii() {
            let mut extra = 0;
            for (index, ch) in text.chars().enumerate() {
                if ch.len_utf8() > 1 {
                    extra += ch.len_utf8() as u32 - 1;
                    multibyte.push((index as u32, extra));
                }
            }
        }
        Offsets { multibyte }
    }

    fn byte(&self, char_index: usize) -> u32 {
        let char_index = char_index as u32;
        let before = self.multibyte.partition_point(|&(index, _)| index < char_index);
        char_index + before.checked_sub(1).map_or(0, |last| self.multibyte[last].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> (Vec<Node>, Vec<Diagnostic>) {
        parse(&SourceFile::new("t.yaml", text), &Limits::default())
    }

    #[test]
    fn resolves_scalars_by_the_core_schema() {
        let (docs, diagnostics) = parse_text("a: 1\nb: -2.5\nc: true\nd: ~\ne: '1'\nf: yes\ng: 0x1F\nh: 1e3\n");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(
            docs[0].to_json(),
            serde_json::json!({"a": 1, "b": -2.5, "c": true, "d": null, "e": "1", "f": "yes", "g": 31, "h": 1000.0})
        );
    }

    #[test]
    fn spans_point_at_values_after_multibyte_text() {
        let text = "title: “Café”\nteam: ops\n";
        let (docs, _) = parse_text(text);
        let team = docs[0].get("team").expect("team is parsed");
        assert_eq!(&text[team.span.start as usize..team.span.end as usize], "ops");
    }

    #[test]
    fn duplicate_keys_are_reported_at_the_second_key() {
        let text = "identifier: a\ntitle: A\nidentifier: b\n";
        let (docs, diagnostics) = parse_text(text);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::DuplicateKey);
        let location = diagnostics[0].location.as_ref().expect("located");
        assert_eq!((location.start.line, location.start.column), (3, 1));
        assert_eq!(docs[0].get("identifier").and_then(Node::as_str), Some("a"));
    }

    #[test]
    fn aliases_expand_within_the_limit_and_no_further() {
        let (docs, diagnostics) = parse_text("base: &b {x: 1}\ncopy: *b\n");
        assert!(diagnostics.is_empty());
        assert_eq!(docs[0].to_json(), serde_json::json!({"base": {"x": 1}, "copy": {"x": 1}}));

        let lines: Vec<String> = (1..10)
            .map(|level| format!("a{level}: &a{level} [{}]", vec![format!("*a{}", level - 1); 10].join(", ")))
            .collect();
        let bomb = format!("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n{}\n", lines.join("\n"));
        let (_, diagnostics) = parse_text(&bomb);
        assert_eq!(diagnostics.last().map(|d| d.code), Some(Code::AliasLimit));
    }

    #[test]
    fn deep_nesting_stops_at_the_limit() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let (docs, diagnostics) = parse_text(&text);
        assert!(docs.is_empty());
        assert_eq!(diagnostics[0].code, Code::NestingLimit);
    }

    /// Found by `fuzz/` (target `loader`): a directive whose name is a non-ASCII character made
    /// saphyr-parser's `StrInput` count its bytes as characters, and the error at the end of the
    /// 4-byte file was placed at byte 6.
    #[test]
    fn spans_after_a_non_ascii_directive_stay_in_the_text() {
        let text = std::str::from_utf8(b"%\xe2\x80\x9d").expect("the fuzzer's input is UTF-8");
        let (docs, diagnostics) = parse_text(text);
        assert!(docs.is_empty());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::SyntaxYaml);
        let location = diagnostics[0].location.as_ref().expect("located");
        assert_eq!(location.span, Some(ByteSpan::at(text.len() as u32)));

        // A valid file: the values after the directive are where they are written.
        let text = "%é paramé\n---\nkey: value\n";
        let (docs, diagnostics) = parse_text(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let value = docs[0].get("key").expect("key is parsed");
        assert_eq!(&text[value.span.start as usize..value.span.end as usize], "value");
    }

    #[test]
    fn syntax_errors_are_located() {
        let (_, diagnostics) = parse_text("identifier: a\ntitle: “Cart: the service”\n");
        assert_eq!(diagnostics.len(), 1);
        let diagnostic = &diagnostics[0];
        assert_eq!(diagnostic.code, Code::SyntaxYaml);
        assert_eq!(diagnostic.location.as_ref().map(|l| l.start.line), Some(2));
        assert!(diagnostic.help.as_deref().unwrap_or_default().contains("typographic"), "{diagnostic:?}");
    }
}
