//! How a change is written into JSON: with the document's own indentation (detected from its
//! text: two or four spaces, a tab) and its own `:` spacing; new keys at the end of their object;
//! a value written on one line where the old one was on one line.

use cairn_syntax::{Node, Value};
use serde_json::Value as Json;

use crate::walk::Primitive;
use crate::{Splice, scan};

/// The document's layout: its line break, its indentation step (`None` when it is written on
/// one line), and what separates a key from its value.
struct Layout<'t> {
    text: &'t str,
    newline: &'static str,
    step: Option<String>,
    colon: String,
}

pub(crate) fn splice(text: &str, document: &Node, primitive: &Primitive<'_>) -> Splice {
    let layout = Layout::measure(text, document);
    match primitive {
        Primitive::Replace { node, value, .. } => {
            let (start, end) = (node.span.start as usize, node.span.end as usize);
            // A collection written on one line stays on one line.
            let rendered = if is_collection(&node.value) && !spans_lines(text, node) {
                layout.inline(value)
            } else {
                layout.render(value, scan::indentation(text, start))
            };
            Splice { start, end, text: rendered }
        }
        Primitive::InsertEntry { map, key, value, .. } => {
            let key = serde_json::to_string(key).unwrap_or_default();
            layout.insert(map, |indent| {
                format!(
                    "{key}{}{}",
                    layout.colon,
                    indent.map_or_else(|| layout.inline(value), |indent| layout.render(value, indent))
                )
            })
        }
        Primitive::InsertItem { seq, value, .. } => layout
            .insert(seq, |indent| indent.map_or_else(|| layout.inline(value), |indent| layout.render(value, indent))),
        Primitive::RemoveEntry { map, index, .. } => {
            let Value::Mapping(entries) = &map.value else { return nothing(map) };
            let starts: Vec<usize> = entries.iter().map(|entry| entry.key_span.start as usize).collect();
            let ends: Vec<usize> = entries.iter().map(|entry| entry.value.span.end as usize).collect();
            remove(map, &starts, &ends, *index, "{}")
        }
        Primitive::RemoveItem { seq, index, .. } => {
            let Value::Sequence(items) = &seq.value else { return nothing(seq) };
            let starts: Vec<usize> = items.iter().map(|item| item.span.start as usize).collect();
            let ends: Vec<usize> = items.iter().map(|item| item.span.end as usize).collect();
            remove(seq, &starts, &ends, *index, "[]")
        }
    }
}

fn is_collection(value: &Value) -> bool {
    matches!(value, Value::Mapping(_) | Value::Sequence(_))
}

fn spans_lines(text: &str, node: &Node) -> bool {
    text.get(node.span.start as usize..node.span.end as usize).is_some_and(|inner| inner.contains('\n'))
}

fn nothing(node: &Node) -> Splice {
    let at = node.span.start as usize;
    Splice { start: at, end: at, text: String::new() }
}

/// Removes child `index`: up to the next child, from the end of the one before for the last,
/// the whole collection's content when it is the only one.
fn remove(node: &Node, starts: &[usize], ends: &[usize], index: usize, empty: &str) -> Splice {
    if starts.len() <= 1 {
        return Splice { start: node.span.start as usize, end: node.span.end as usize, text: empty.to_owned() };
    }
    if index + 1 < starts.len() {
        Splice { start: starts[index], end: starts[index + 1], text: String::new() }
    } else {
        Splice { start: ends[index - 1], end: ends[index], text: String::new() }
    }
}

impl Layout<'_> {
    fn measure<'t>(text: &'t str, document: &Node) -> Layout<'t> {
        let inner = text.get(document.span.start as usize..document.span.end as usize).unwrap_or_default();
        // The indentation of the document's first indented line, less its own line's.
        let base = scan::indentation(text, document.span.start as usize);
        let step = inner.lines().skip(1).find(|line| !line.trim().is_empty()).map(|line| {
            let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
            indent.strip_prefix(base).filter(|step| !step.is_empty()).unwrap_or("  ").to_owned()
        });
        let colon = match &document.value {
            Value::Mapping(entries) => entries.first().and_then(|entry| {
                text.get(entry.key_span.end as usize..entry.value.span.start as usize).filter(|gap| !gap.contains('\n'))
            }),
            _ => None,
        };
        Layout { text, newline: scan::newline(text), step, colon: colon.unwrap_or(": ").to_owned() }
    }

    /// A value written over several lines at the document's step, its first line where the text
    /// already is and its other lines after `indent`.
    fn render(&self, value: &Json, indent: &str) -> String {
        let Some(step) = &self.step else { return self.inline(value) };
        match value {
            Json::Object(map) if !map.is_empty() => {
                let inner = format!("{indent}{step}");
                let entries: Vec<String> = map
                    .iter()
                    .map(|(key, value)| {
                        format!(
                            "{inner}{}{}{}",
                            serde_json::to_string(key).unwrap_or_default(),
                            self.colon,
                            self.render(value, &inner)
                        )
                    })
                    .collect();
                format!("{{{nl}{}{nl}{indent}}}", entries.join(&format!(",{}", self.newline)), nl = self.newline)
            }
            Json::Array(items) if !items.is_empty() => {
                let inner = format!("{indent}{step}");
                let items: Vec<String> =
                    items.iter().map(|item| format!("{inner}{}", self.render(item, &inner))).collect();
                format!("[{nl}{}{nl}{indent}]", items.join(&format!(",{}", self.newline)), nl = self.newline)
            }
            scalar => self.inline(scalar),
        }
    }

    /// A value on one line, spaced as the document spaces its keys.
    fn inline(&self, value: &Json) -> String {
        match value {
            Json::Object(map) => {
                let entries: Vec<String> = map
                    .iter()
                    .map(|(key, value)| {
                        format!(
                            "{}{}{}",
                            serde_json::to_string(key).unwrap_or_default(),
                            self.colon,
                            self.inline(value)
                        )
                    })
                    .collect();
                format!("{{{}}}", entries.join(", "))
            }
            Json::Array(items) => {
                let items: Vec<String> = items.iter().map(|item| self.inline(item)).collect();
                format!("[{}]", items.join(", "))
            }
            scalar => serde_json::to_string(scalar).unwrap_or_default(),
        }
    }

    /// Appends a child to an object or array: on a new line after the last child, at its
    /// indentation, when the collection spans lines; `, child` when it is on one line.
    fn insert(&self, node: &Node, child: impl Fn(Option<&str>) -> String) -> Splice {
        let text = self.text;
        let (start, end) = (node.span.start as usize, node.span.end as usize);
        let last = match &node.value {
            Value::Mapping(entries) => entries.last().map(|entry| (entry.key_span.start as usize, &entry.value)),
            Value::Sequence(items) => items.last().map(|item| (item.span.start as usize, item)),
            _ => None,
        };
        match last {
            Some((last_start, last)) if spans_lines(text, node) => {
                let indent = scan::indentation(text, last_start);
                let last_end = last.span.end as usize;
                // Beside a sibling written on one line (`{"name": "db"}`), the new one is too.
                let multiline = !is_collection(&last.value) || spans_lines(text, last);
                let child = child(multiline.then_some(indent));
                Splice { start: last_end, end: last_end, text: format!(",{}{indent}{child}", self.newline) }
            }
            Some((_, last)) => {
                let last_end = last.span.end as usize;
                Splice { start: last_end, end: last_end, text: format!(", {}", child(None)) }
            }
            None => {
                let (open, close) = if matches!(node.value, Value::Mapping(_)) { ('{', '}') } else { ('[', ']') };
                let rendered = match &self.step {
                    Some(step) => {
                        let indent = scan::indentation(text, start);
                        let inner = format!("{indent}{step}");
                        format!("{open}{nl}{inner}{}{nl}{indent}{close}", child(Some(&inner)), nl = self.newline)
                    }
                    None => format!("{open}{}{close}", child(None)),
                };
                Splice { start, end, text: rendered }
            }
        }
    }
}
