//! From an edit's path to the one change of the text it needs: the node to replace, the mapping
//! to add a key to, the list to add an item to or remove one from. The same for YAML and JSON;
//! how the change is written is `yaml`'s and `json`'s business.

use cairn_diagnostics::ByteSpan;
use cairn_syntax::{Node, Value};
use serde_json::Value as Json;

use crate::scan;
use crate::{Edit, Refusal, Segment};

/// Where a value sits in its parent, which decides how a new value is written there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// The document itself.
    Root,
    /// The value of a key of a block mapping; `colon_end` is just after the key's `:`.
    Key { key_start: usize, colon_end: usize },
    /// An item of a block list, after the `-` at `dash`.
    Item { dash: usize },
    /// Inside a flow collection (and everywhere in JSON).
    Flow,
}

/// One change of a document's text.
#[derive(Debug)]
pub(crate) enum Primitive<'n> {
    Replace { node: &'n Node, place: Place, value: Json },
    InsertEntry { map: &'n Node, place: Place, key: String, value: Json },
    RemoveEntry { map: &'n Node, place: Place, index: usize },
    InsertItem { seq: &'n Node, place: Place, value: Json },
    RemoveItem { seq: &'n Node, place: Place, index: usize },
}

/// The change `edit` makes to `document`, `None` when it has nothing to do (an absent key to
/// unset, no equal item to remove).
pub(crate) fn primitive<'n>(
    text: &str,
    json: bool,
    document: &'n Node,
    edit: &Edit,
) -> Result<Option<Primitive<'n>>, Refusal> {
    let path = edit.path();
    let mut node = document;
    let mut place = Place::Root;
    for (depth, segment) in path.iter().enumerate() {
        let last = depth + 1 == path.len();
        match (&node.value, segment) {
            (Value::Mapping(entries), Segment::Key(key)) => {
                let Some(index) = entries.iter().position(|entry| entry.key == *key) else {
                    let value = created(edit, &path[depth + 1..], node.span, depth + 1)?;
                    return Ok(value.map(|value| Primitive::InsertEntry { map: node, place, key: key.clone(), value }));
                };
                if last && matches!(edit, Edit::Unset { .. }) {
                    anchored(text, &entries[index].value)?;
                    return Ok(Some(Primitive::RemoveEntry { map: node, place, index }));
                }
                place = entry_place(text, json, node, index);
                node = &entries[index].value;
                anchored(text, node)?;
            }
            (Value::Sequence(items), Segment::Index(index)) => {
                let index = *index;
                if index >= items.len() {
                    let value = created(edit, &path[depth + 1..], node.span, depth + 1)?;
                    return match value {
                        Some(_) if index > items.len() => {
                            Err(Refusal::Conflict { span: node.span, depth, found: "a shorter list" })
                        }
                        value => Ok(value.map(|value| Primitive::InsertItem { seq: node, place, value })),
                    };
                }
                if last && matches!(edit, Edit::Unset { .. }) {
                    anchored(text, &items[index])?;
                    return Ok(Some(Primitive::RemoveItem { seq: node, place, index }));
                }
                place = item_place(text, json, node, index);
                node = &items[index];
                anchored(text, node)?;
            }
            (Value::Null, _) => {
                let value = created(edit, &path[depth..], node.span, depth)?;
                return Ok(value.map(|value| Primitive::Replace { node, place, value }));
            }
            _ => return Err(Refusal::Conflict { span: node.span, depth, found: node.type_name() }),
        }
    }
    Ok(match edit {
        Edit::Set { value, .. } => Some(Primitive::Replace { node, place, value: value.clone() }),
        Edit::Unset { .. } => {
            return Err(Refusal::Conflict { span: node.span, depth: 0, found: "the document itself" });
        }
        Edit::Append { value, .. } | Edit::Add { value, .. } => match &node.value {
            Value::Sequence(items)
                if matches!(edit, Edit::Add { .. }) && items.iter().any(|item| item.to_json() == *value) =>
            {
                None
            }
            Value::Sequence(_) => Some(Primitive::InsertItem { seq: node, place, value: value.clone() }),
            Value::Null => Some(Primitive::Replace { node, place, value: Json::Array(vec![value.clone()]) }),
            _ => return Err(Refusal::Conflict { span: node.span, depth: path.len(), found: node.type_name() }),
        },
        Edit::Remove { value, .. } => match &node.value {
            Value::Sequence(items) => items
                .iter()
                .position(|item| item.to_json() == *value)
                .map(|index| Primitive::RemoveItem { seq: node, place, index }),
            Value::Null => None,
            _ => return Err(Refusal::Conflict { span: node.span, depth: path.len(), found: node.type_name() }),
        },
    })
}

/// Refuses to go into or change a value that carries an anchor or is an alias: what an edit does
/// there, YAML does to every alias of it too (or the alias is left without its anchor).
fn anchored(text: &str, node: &Node) -> Result<(), Refusal> {
    match text.as_bytes().get(node.span.start as usize) {
        Some(b'&' | b'*') => Err(Refusal::Anchored(node.span)),
        _ => Ok(()),
    }
}

/// What an edit puts where its path leaves the document (`rest` being the part of the path not
/// there): the value nested under the rest, or for an append a list of it; `None` for the edits
/// that have nothing to do there.
fn created(edit: &Edit, rest: &[Segment], span: ByteSpan, depth: usize) -> Result<Option<Json>, Refusal> {
    match edit {
        Edit::Set { value, .. } => nest(rest, value.clone(), span, depth).map(Some),
        Edit::Append { value, .. } | Edit::Add { value, .. } => {
            nest(rest, Json::Array(vec![value.clone()]), span, depth).map(Some)
        }
        Edit::Unset { .. } | Edit::Remove { .. } => Ok(None),
    }
}

/// The value that the rest of a path creates: `{b: {c: value}}` for `b.c`, `[value]` for `0`.
fn nest(rest: &[Segment], value: Json, span: ByteSpan, depth: usize) -> Result<Json, Refusal> {
    rest.iter().enumerate().rev().try_fold(value, |inner, (offset, segment)| match segment {
        Segment::Key(key) => Ok(Json::Object([(key.clone(), inner)].into_iter().collect())),
        Segment::Index(0) => Ok(Json::Array(vec![inner])),
        Segment::Index(_) => Err(Refusal::Conflict { span, depth: depth + offset, found: "an empty list" }),
    })
}

pub(crate) fn entry_place(text: &str, json: bool, map: &Node, index: usize) -> Place {
    let Value::Mapping(entries) = &map.value else { return Place::Flow };
    if json || scan::is_flow(text, map) {
        return Place::Flow;
    }
    let key = &entries[index].key_span;
    match scan::colon_end(text, key.end as usize) {
        Some(colon_end) => Place::Key { key_start: key.start as usize, colon_end },
        None => Place::Flow,
    }
}

pub(crate) fn item_place(text: &str, json: bool, seq: &Node, index: usize) -> Place {
    let Value::Sequence(items) = &seq.value else { return Place::Flow };
    if json || scan::is_flow(text, seq) {
        return Place::Flow;
    }
    match scan::dash_before(text, items[index].span.start as usize) {
        Some(dash) => Place::Item { dash },
        None => Place::Flow,
    }
}

/// The span of the deepest value of `document` on `path`, to point a finding at.
pub(crate) fn locate(document: &Node, path: &[Segment]) -> ByteSpan {
    let mut node = document;
    for segment in path {
        let next = match (&node.value, segment) {
            (Value::Mapping(_), Segment::Key(key)) => node.get(key),
            (Value::Sequence(items), Segment::Index(index)) => items.get(*index),
            _ => None,
        };
        match next {
            Some(next) => node = next,
            None => break,
        }
    }
    node.span
}
