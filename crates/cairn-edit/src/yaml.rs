//! How a change is written into YAML: a replaced scalar keeps its quoting style (plain, `'single'`,
//! `"double"`, a `|` or `>` block) when the new text can be written in it; a new key or list item
//! is a new line with the indentation of its siblings, or `, x` in a flow collection; new mappings
//! and lists are block YAML at the indentation the file uses; removed keys and items take their
//! whole lines, trailing comment included. Numbers and booleans are plain scalars; a string that
//! would read back as something else (`"16"`, `"yes"`, `"null"`) is quoted.

use std::fmt::Write as _;

use cairn_diagnostics::SourceFile;
use cairn_syntax::{Limits, Node, Value};
use serde_json::Value as Json;

use crate::walk::{Place, Primitive};
use crate::{Mode, Refusal, Splice, scan};

/// The quoting style of a scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
}

/// What the file's layout says about new lines: its line break, its indentation step, and how far
/// a block list is indented under its key (0 in `key:\n- a`, the step in `key:\n  - a`).
struct Layout<'t> {
    text: &'t str,
    newline: &'static str,
    step: usize,
    list_offset: usize,
    mode: Mode,
}

pub(crate) fn splice(text: &str, document: &Node, primitive: &Primitive<'_>, mode: Mode) -> Result<Splice, Refusal> {
    let (step, list_offset) = measure(text, document);
    let layout = Layout { text, newline: scan::newline(text), step, list_offset, mode };
    match primitive {
        Primitive::Replace { node, place, value } => layout.replace(node, *place, value),
        Primitive::InsertEntry { map, place, key, value } => layout.insert_entry(map, *place, key, value),
        Primitive::RemoveEntry { map, place, index } => layout.remove_entry(map, *place, *index),
        Primitive::InsertItem { seq, place, value } => layout.insert_item(seq, *place, value),
        Primitive::RemoveItem { seq, place, index } => layout.remove_item(seq, *place, *index),
    }
}

/// The indentation step and the list offset of a document, from the first nested block mapping
/// and the first block list under a key; 2 and 2 when it has none.
fn measure(text: &str, document: &Node) -> (usize, usize) {
    let mut step = None;
    let mut list_offset = None;
    let mut stack = vec![document];
    while let Some(node) = stack.pop() {
        if let Value::Mapping(entries) = &node.value {
            for entry in entries {
                let key_column = scan::column(text, entry.key_span.start as usize);
                match &entry.value.value {
                    Value::Mapping(inner) if step.is_none() && !scan::is_flow(text, &entry.value) => {
                        let column = scan::column(text, inner[0].key_span.start as usize);
                        if column > key_column {
                            step = Some(column - key_column);
                        }
                    }
                    Value::Sequence(items) if list_offset.is_none() && !scan::is_flow(text, &entry.value) => {
                        if let Some(dash) = scan::dash_before(text, items[0].span.start as usize) {
                            list_offset = scan::column(text, dash).checked_sub(key_column);
                        }
                    }
                    _ => {}
                }
            }
            stack.extend(entries.iter().rev().map(|entry| &entry.value));
        } else if let Value::Sequence(items) = &node.value {
            stack.extend(items.iter().rev());
        }
        if step.is_some() && list_offset.is_some() {
            break;
        }
    }
    let step = step.filter(|step| (1..=8).contains(step)).unwrap_or(2);
    (step, list_offset.filter(|offset| *offset <= 8).unwrap_or(step))
}

impl Layout<'_> {
    fn replace(&self, node: &Node, place: Place, value: &Json) -> Result<Splice, Refusal> {
        let text = self.text;
        let start = node.span.start as usize;
        if text.get(start..).is_none_or(|rest| rest.starts_with('&')) {
            return Err(Refusal::Anchored(node.span));
        }
        let end = scan::full_end(text, node, false).max(start);
        let flow = place == Place::Flow;
        // A key or `-` with nothing after it: the new value goes after the `:` or the `-`.
        if node.span.is_empty() && matches!(node.value, Value::Null) {
            let after = match place {
                Place::Key { colon_end, .. } => colon_end,
                Place::Item { dash } => dash + 1,
                Place::Root | Place::Flow => start,
            };
            let text = match self.inline(value, Style::Plain, flow) {
                Some(inline) => format!(" {inline}"),
                None if flow || self.mode == Mode::Plain => format!(" {}", self.flow(value)),
                None => match place {
                    Place::Key { key_start, .. } => {
                        let indent = scan::column(text, key_start) + self.offset_for(value);
                        format!("{}{}{}", self.newline, " ".repeat(indent), self.block(value, indent))
                    }
                    _ => format!(" {}", self.block(value, scan::column(text, after) + 1)),
                },
            };
            return Ok(Splice { start: after, end: after, text });
        }
        let block_header = self.block_header(node, place);
        let scalar_old = !matches!(node.value, Value::Mapping(_) | Value::Sequence(_));
        // A scalar (or an empty collection) written where the old value was.
        if let Some(inline) = self.inline(value, style_of(text, node), flow) {
            if let Some(header) = block_header {
                let keep_newline = text[..end].ends_with('\n');
                if let Json::String(string) = value
                    && let Some(block) = self.block_scalar(string, &text[header..start], scan::column(text, start))
                {
                    return Ok(Splice { start: header, end, text: block });
                }
                let newline = if keep_newline { self.newline } else { "" };
                return Ok(Splice { start: header, end, text: format!("{inline}{newline}") });
            }
            if scalar_old || flow {
                return Ok(Splice { start, end, text: inline });
            }
            // A block collection becomes a scalar: it goes after the key, or after the `-`.
            return Ok(match place {
                Place::Key { colon_end, .. } => Splice { start: colon_end, end, text: format!(" {inline}") },
                _ => Splice { start, end, text: inline },
            });
        }
        // A non-empty collection.
        if flow || (self.mode == Mode::Styled && !scalar_old && scan::is_flow(text, node) && !is_empty(node)) {
            return Ok(Splice { start, end, text: self.flow(value) });
        }
        let keep_newline = block_header.is_some() && text[..end].ends_with('\n');
        let tail = if keep_newline { self.newline } else { "" };
        let block_column = block_start(text, node).map(|start| scan::column(text, start));
        match place {
            Place::Key { colon_end, .. } if self.mode == Mode::Plain => {
                Ok(Splice { start: colon_end, end, text: format!(" {}{tail}", self.flow(value)) })
            }
            // A mapping goes deeper than its key; a list of an indentless list (`key:\n- a`) may not.
            Place::Key { key_start, colon_end }
                if scalar_old
                    || is_empty(node)
                    || (value.is_object()
                        && block_column.is_none_or(|column| column <= scan::column(text, key_start))) =>
            {
                let indent = scan::column(text, key_start) + self.offset_for(value);
                let block = self.block(value, indent);
                // A comment after the old value stays on the key's line, before the new block.
                let line_end = scan::line_end(text, end);
                let rest = text[end..line_end].trim_end_matches(['\r', '\n']);
                let (end, comment) = if !text[..end].ends_with('\n') && rest.trim_start().starts_with('#') {
                    (end + rest.len(), rest)
                } else {
                    (end, "")
                };
                Ok(Splice {
                    start: colon_end,
                    end,
                    text: format!("{comment}{}{}{block}{tail}", self.newline, " ".repeat(indent)),
                })
            }
            _ => {
                let start = block_start(text, node).unwrap_or(start);
                let block = self.block(value, scan::column(text, start));
                Ok(Splice { start, end, text: format!("{block}{tail}") })
            }
        }
    }

    fn insert_entry(&self, map: &Node, place: Place, key: &str, value: &Json) -> Result<Splice, Refusal> {
        let text = self.text;
        let Value::Mapping(entries) = &map.value else {
            return Err(Refusal::Conflict { span: map.span, depth: 0, found: map.type_name() });
        };
        let Some(last) = entries.last() else {
            let object = Json::Object([(key.to_owned(), value.clone())].into_iter().collect());
            return self.replace(map, place, &object);
        };
        if place == Place::Flow || scan::is_flow(text, map) {
            let at = scan::full_end(text, &last.value, false);
            let entry = format!(", {}: {}", self.key(key, true), self.flow(value));
            return Ok(Splice { start: at, end: at, text: entry });
        }
        let indent = scan::column(text, entries[0].key_span.start as usize);
        let at = scan::after_lines(text, scan::full_end(text, &last.value, false));
        let line = format!("{}{}:{}", " ".repeat(indent), self.key(key, false), self.after_key(value, indent));
        Ok(self.insert_line(at, &line))
    }

    fn insert_item(&self, seq: &Node, place: Place, value: &Json) -> Result<Splice, Refusal> {
        let text = self.text;
        let Value::Sequence(items) = &seq.value else {
            return Err(Refusal::Conflict { span: seq.span, depth: 0, found: seq.type_name() });
        };
        let Some(last) = items.last() else {
            return self.replace(seq, place, &Json::Array(vec![value.clone()]));
        };
        let dash = scan::dash_before(text, items[0].span.start as usize);
        let (Some(dash), false) = (dash, place == Place::Flow || scan::is_flow(text, seq)) else {
            let at = scan::full_end(text, last, false);
            return Ok(Splice { start: at, end: at, text: format!(", {}", self.flow(value)) });
        };
        let indent = scan::column(text, dash);
        let at = scan::after_lines(text, scan::full_end(text, last, false));
        Ok(self.insert_line(at, &format!("{}- {}", " ".repeat(indent), self.item(value, indent + 2))))
    }

    fn remove_entry(&self, map: &Node, place: Place, index: usize) -> Result<Splice, Refusal> {
        let text = self.text;
        let Value::Mapping(entries) = &map.value else {
            return Err(Refusal::Conflict { span: map.span, depth: 0, found: map.type_name() });
        };
        if entries.len() <= 1 {
            return self.replace(map, place, &Json::Object(serde_json::Map::new()));
        }
        let starts: Vec<usize> = entries.iter().map(|entry| entry.key_span.start as usize).collect();
        let ends: Vec<usize> = entries.iter().map(|entry| scan::full_end(text, &entry.value, false)).collect();
        Ok(self.remove_child(&starts, &ends, index, place == Place::Flow || scan::is_flow(text, map)))
    }

    fn remove_item(&self, seq: &Node, place: Place, index: usize) -> Result<Splice, Refusal> {
        let text = self.text;
        let Value::Sequence(items) = &seq.value else {
            return Err(Refusal::Conflict { span: seq.span, depth: 0, found: seq.type_name() });
        };
        if items.len() <= 1 {
            return self.replace(seq, place, &Json::Array(Vec::new()));
        }
        let flow = place == Place::Flow || scan::is_flow(text, seq);
        let starts: Vec<usize> = items
            .iter()
            .map(|item| {
                let start = item.span.start as usize;
                if flow { start } else { scan::dash_before(text, start).unwrap_or(start) }
            })
            .collect();
        let ends: Vec<usize> = items.iter().map(|item| scan::full_end(text, item, false)).collect();
        Ok(self.remove_child(&starts, &ends, index, flow))
    }

    /// Removes child `index` of a collection with at least two children, given where each child
    /// starts (its key, or its `-`) and ends.
    fn remove_child(&self, starts: &[usize], ends: &[usize], index: usize, flow: bool) -> Splice {
        let text = self.text;
        let start = starts[index];
        let line = scan::line_start(text, start);
        if !flow && scan::blank(text, line, start) {
            return Splice { start: line, end: scan::after_lines(text, ends[index]), text: String::new() };
        }
        // In a flow collection, or a first child that shares its line (`- key: v`): up to the
        // next child, or from the end of the one before for the last.
        if index + 1 < starts.len() {
            Splice { start, end: starts[index + 1], text: String::new() }
        } else {
            Splice { start: ends[index - 1], end: ends[index], text: String::new() }
        }
    }

    /// Inserts a line at `at` (a line start, or the end of a text without a final line break).
    fn insert_line(&self, at: usize, line: &str) -> Splice {
        if at >= self.text.len() && !self.text.is_empty() && !self.text.ends_with('\n') {
            return Splice { start: at, end: at, text: format!("{}{line}", self.newline) };
        }
        Splice { start: at, end: at, text: format!("{line}{}", self.newline) }
    }

    /// The start of the `|` or `>` header of a block scalar.
    fn block_header(&self, node: &Node, place: Place) -> Option<usize> {
        if matches!(node.value, Value::Mapping(_) | Value::Sequence(_)) {
            return None;
        }
        let from = match place {
            Place::Key { colon_end, .. } => colon_end,
            Place::Item { dash } => dash + 1,
            Place::Root | Place::Flow => return None,
        };
        let start = node.span.start as usize;
        let between = self.text.get(from..start)?;
        let offset = between.len() - between.trim_start().len();
        matches!(between.trim_start().as_bytes().first(), Some(b'|' | b'>')).then_some(from + offset)
    }

    /// A string as a block scalar in the style of `header` (`|`, `|-`, `>`…), with its lines at
    /// `indent`; `None` when the string cannot be written so.
    fn block_scalar(&self, string: &str, header: &str, indent: usize) -> Option<String> {
        if self.mode == Mode::Plain || string.is_empty() || indent == 0 {
            return None;
        }
        let body = string.trim_end_matches('\n');
        let trailing = string.len() - body.len();
        if body.is_empty()
            || body.starts_with([' ', '\t'])
            || body.chars().any(|c| c.is_control() && c != '\n')
            || body.lines().any(|line| line.ends_with([' ', '\t']))
        {
            return None;
        }
        // Folding would join several lines into one: those are written as a literal block.
        let folded = header.starts_with('>') && !body.contains('\n');
        let chomp = match trailing {
            0 => "-",
            1 => "",
            _ => "+",
        };
        let mut out = format!("{}{chomp}", if folded { '>' } else { '|' });
        let pad = " ".repeat(indent);
        for line in body.split('\n') {
            out.push_str(self.newline);
            if !line.is_empty() {
                out.push_str(&pad);
                out.push_str(line);
            }
        }
        for _ in 0..trailing.max(1) {
            out.push_str(self.newline);
        }
        Some(out)
    }

    /// How far a new block collection goes under its key.
    fn offset_for(&self, value: &Json) -> usize {
        if value.is_array() { self.list_offset } else { self.step }
    }

    /// A value written after `key:` in a block mapping whose keys are at `indent`.
    fn after_key(&self, value: &Json, indent: usize) -> String {
        if let Some(inline) = self.inline(value, Style::Plain, false) {
            return format!(" {inline}");
        }
        if self.mode == Mode::Plain {
            return format!(" {}", self.flow(value));
        }
        let inner = indent + self.offset_for(value);
        format!("{}{}{}", self.newline, " ".repeat(inner), self.block(value, inner))
    }

    /// A value written after `- ` at `indent` (the column after the dash).
    fn item(&self, value: &Json, indent: usize) -> String {
        self.inline(value, Style::Plain, false).unwrap_or_else(|| self.block(value, indent))
    }

    /// A non-empty collection as block YAML whose first line starts where the text already is and
    /// whose other lines are at `indent`.
    fn block(&self, value: &Json, indent: usize) -> String {
        if self.mode == Mode::Plain {
            return self.flow(value);
        }
        let separator = format!("{}{}", self.newline, " ".repeat(indent));
        match value {
            Json::Object(map) => {
                let lines: Vec<String> = map
                    .iter()
                    .map(|(key, value)| format!("{}:{}", self.key(key, false), self.after_key(value, indent)))
                    .collect();
                lines.join(&separator)
            }
            Json::Array(items) => {
                let lines: Vec<String> =
                    items.iter().map(|item| format!("- {}", self.item(item, indent + 2))).collect();
                lines.join(&separator)
            }
            scalar => self.inline(scalar, Style::Plain, false).unwrap_or_default(),
        }
    }

    /// A value as flow YAML on one line.
    fn flow(&self, value: &Json) -> String {
        match value {
            Json::Object(map) => {
                let entries: Vec<String> =
                    map.iter().map(|(key, value)| format!("{}: {}", self.key(key, true), self.flow(value))).collect();
                format!("{{{}}}", entries.join(", "))
            }
            Json::Array(items) => {
                let items: Vec<String> = items.iter().map(|item| self.flow(item)).collect();
                format!("[{}]", items.join(", "))
            }
            scalar => self.inline(scalar, Style::Plain, true).unwrap_or_default(),
        }
    }

    /// A scalar or an empty collection as one piece of text; `None` for other collections.
    fn inline(&self, value: &Json, style: Style, flow: bool) -> Option<String> {
        Some(match value {
            Json::Null => "null".to_owned(),
            Json::Bool(flag) => flag.to_string(),
            Json::Number(number) => number.to_string(),
            Json::String(string) => self.string(string, style, flow),
            Json::Array(items) if items.is_empty() => "[]".to_owned(),
            Json::Object(map) if map.is_empty() => "{}".to_owned(),
            Json::Array(_) | Json::Object(_) => return None,
        })
    }

    /// A string in `style` when it reads back as itself so, else double-quoted.
    fn string(&self, string: &str, style: Style, flow: bool) -> String {
        let candidate = match (self.mode, style) {
            (Mode::Styled, Style::Plain) if !other_tools_differ(string) => Some(string.to_owned()),
            (Mode::Styled, Style::Single) if !string.contains(['\n', '\r']) => {
                Some(format!("'{}'", string.replace('\'', "''")))
            }
            _ => None,
        };
        candidate
            .filter(|candidate| {
                !candidate.contains(['\n', '\r']) && reads_as(&format!("k: {}", wrap(candidate, flow)), string, flow)
            })
            .unwrap_or_else(|| double_quoted(string))
    }

    /// A mapping key: plain when it reads back as itself, else double-quoted.
    fn key(&self, key: &str, flow: bool) -> String {
        let plain = self.mode == Mode::Styled
            && !other_tools_differ(key)
            && !key.contains(['\n', '\r'])
            && reads_as(&wrap_key(key, flow), key, false);
        if plain { key.to_owned() } else { double_quoted(key) }
    }
}

/// Whether a plain scalar reads as a string in YAML 1.2 (as cairn reads it) but as something
/// else in YAML 1.1, which many tools still follow: its booleans (`yes`, `off`), and anything
/// that looks like a number, a sexagesimal or a date (`1_000`, `12:30`, `2026-11-29`). Such a
/// string is quoted, so that every reader agrees. YAML 1.1's booleans are listed at
/// https://yaml.org/type/bool.html; its numbers and dates at https://yaml.org/type/int.html,
/// https://yaml.org/type/float.html and https://yaml.org/type/timestamp.html.
fn other_tools_differ(string: &str) -> bool {
    const BOOLEANS: [&str; 16] =
        ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"];
    if BOOLEANS.contains(&string) || string == "<<" || string == "=" {
        return true;
    }
    let unsigned = string.strip_prefix(['-', '+']).unwrap_or(string);
    let starts_numeric = unsigned.starts_with(|c: char| c.is_ascii_digit())
        || (unsigned.starts_with('.') && unsigned[1..].starts_with(|c: char| c.is_ascii_digit()));
    starts_numeric && unsigned.bytes().all(|b| b.is_ascii_digit() || b"._:eE+-TtZz ".contains(&b))
}

fn wrap(candidate: &str, flow: bool) -> String {
    if flow { format!("[{candidate}]") } else { candidate.to_owned() }
}

fn wrap_key(key: &str, flow: bool) -> String {
    if flow { format!("k: {{{key}: 1}}") } else { format!("k:\n  {key}: 1") }
}

/// Whether the YAML `text` (a one-key mapping) reads as `k:` the string `string` (or, for a key,
/// a mapping with that key); `flow` when the value is in a one-item list.
fn reads_as(text: &str, string: &str, flow: bool) -> bool {
    let file = SourceFile::new("check.yaml", format!("{text}\n"));
    let parsed = cairn_syntax::parse_file(file.path(), file.text().as_bytes(), &Limits::default());
    if !parsed.diagnostics.is_empty() || parsed.documents.len() != 1 {
        return false;
    }
    let Some(value) = parsed.documents[0].get("k") else { return false };
    match &value.value {
        Value::String(found) => found == string,
        Value::Sequence(items) if flow => items.len() == 1 && items[0].as_str() == Some(string),
        Value::Mapping(entries) => entries.len() == 1 && entries[0].key == string,
        _ => false,
    }
}

/// A string in double quotes, with YAML's escapes for what cannot stand in them as it is.
pub(crate) fn double_quoted(string: &str) -> String {
    let mut out = String::with_capacity(string.len() + 2);
    out.push('"');
    for c in string.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                if let Ok(small) = u8::try_from(u32::from(c)) {
                    let _ = write!(out, "\\x{small:02x}");
                } else {
                    let _ = write!(out, "\\u{:04x}", u32::from(c));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The quoting style a scalar is written in.
fn style_of(text: &str, node: &Node) -> Style {
    match text.as_bytes().get(node.span.start as usize) {
        Some(b'\'') => Style::Single,
        Some(b'"') => Style::Double,
        _ => Style::Plain,
    }
}

fn is_empty(node: &Node) -> bool {
    match &node.value {
        Value::Mapping(entries) => entries.is_empty(),
        Value::Sequence(items) => items.is_empty(),
        _ => true,
    }
}

/// Where a block collection's text starts: its first key, or its first item's `-`.
fn block_start(text: &str, node: &Node) -> Option<usize> {
    match &node.value {
        Value::Mapping(entries) => entries.first().map(|entry| entry.key_span.start as usize),
        Value::Sequence(items) => items.first().and_then(|item| scan::dash_before(text, item.span.start as usize)),
        _ => None,
    }
}
