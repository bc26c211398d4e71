//! What an edit means as data: the edits applied to a document's JSON value. The edited text must
//! read back as exactly this value, which is how every byte edit is checked.

use serde_json::{Map, Value};

use crate::{Edit, Segment};

/// Why an edit cannot be applied to a value: its path goes through something that is not a
/// mapping or a list, or names an index past the end of a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PathConflict {
    /// How many segments of the path lead to the value in the way.
    pub depth: usize,
    pub found: &'static str,
}

/// Applies `edit` to `document` in place.
pub(crate) fn apply(document: &mut Value, edit: &Edit) -> Result<(), PathConflict> {
    match edit {
        Edit::Set { path, value } => {
            let slot = slot(document, path, true)?.ok_or(PathConflict { depth: 0, found: "nothing" })?;
            *slot = value.clone();
        }
        Edit::Unset { path } => {
            let Some((last, parent_path)) = path.split_last() else {
                return Err(PathConflict { depth: 0, found: "the document itself" });
            };
            if let Some(parent) = slot(document, parent_path, false)? {
                match (parent, last) {
                    (Value::Object(map), Segment::Key(key)) => {
                        map.remove(key);
                    }
                    (Value::Array(items), Segment::Index(index)) if *index < items.len() => {
                        items.remove(*index);
                    }
                    (Value::Array(_), Segment::Index(_)) | (Value::Null, _) => {}
                    (other, _) => return Err(PathConflict { depth: parent_path.len(), found: type_name(other) }),
                }
            }
        }
        Edit::Append { path, value } | Edit::Add { path, value } => {
            let slot = slot(document, path, true)?.ok_or(PathConflict { depth: 0, found: "nothing" })?;
            match slot {
                Value::Null => *slot = Value::Array(vec![value.clone()]),
                Value::Array(items) if matches!(edit, Edit::Add { .. }) && items.contains(value) => {}
                Value::Array(items) => items.push(value.clone()),
                other => return Err(PathConflict { depth: path.len(), found: type_name(other) }),
            }
        }
        Edit::Remove { path, value } => match slot(document, path, false)? {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => items.retain(|item| item != value),
            Some(other) => return Err(PathConflict { depth: path.len(), found: type_name(other) }),
        },
    }
    Ok(())
}

/// The value at `path`. With `create`, missing keys (and a null on the way) become mappings, and
/// an index one past a list's end a new item; without it, a missing part gives `None`.
fn slot<'a>(document: &'a mut Value, path: &[Segment], create: bool) -> Result<Option<&'a mut Value>, PathConflict> {
    let mut current = document;
    for (depth, segment) in path.iter().enumerate() {
        if create && current.is_null() {
            *current = match segment {
                Segment::Key(_) => Value::Object(Map::new()),
                Segment::Index(0) => Value::Array(Vec::new()),
                Segment::Index(_) => return Err(PathConflict { depth, found: "an empty list" }),
            };
        }
        current = match (current, segment) {
            (Value::Object(map), Segment::Key(key)) => {
                if !map.contains_key(key) {
                    if !create {
                        return Ok(None);
                    }
                    map.insert(key.clone(), Value::Null);
                }
                map.get_mut(key).expect("the key is present or was just inserted")
            }
            (Value::Array(items), Segment::Index(index)) => {
                if *index == items.len() && create {
                    items.push(Value::Null);
                }
                match items.get_mut(*index) {
                    Some(item) => item,
                    None if create => return Err(PathConflict { depth, found: "a shorter list" }),
                    None => return Ok(None),
                }
            }
            (Value::Null, _) => return Ok(None),
            (other, _) => return Err(PathConflict { depth, found: type_name(other) }),
        };
    }
    Ok(Some(current))
}

/// A short name of a value's type, for messages.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::path;

    fn applied(mut document: Value, edit: &Edit) -> Result<Value, PathConflict> {
        apply(&mut document, edit).map(|()| document)
    }

    #[test]
    fn set_creates_missing_mappings_and_replaces_nulls() {
        let edit = Edit::Set { path: path("a.b.c"), value: json!(1) };
        assert_eq!(applied(json!({"a": null}), &edit), Ok(json!({"a": {"b": {"c": 1}}})));
        assert_eq!(applied(json!({"a": "x"}), &edit), Err(PathConflict { depth: 1, found: "a string" }));
        let edit = Edit::Set { path: path("l.2"), value: json!(3) };
        assert_eq!(applied(json!({"l": [1, 2]}), &edit), Ok(json!({"l": [1, 2, 3]})));
        assert_eq!(applied(json!({"l": [1]}), &edit), Err(PathConflict { depth: 1, found: "a shorter list" }));
    }

    #[test]
    fn unset_append_and_remove() {
        let document = json!({"a": {"b": 1, "c": 2}, "l": [1, 2, 1]});
        assert_eq!(
            applied(document.clone(), &Edit::Unset { path: path("a.b") }),
            Ok(json!({"a": {"c": 2}, "l": [1, 2, 1]}))
        );
        assert_eq!(applied(document.clone(), &Edit::Unset { path: path("x.y") }), Ok(document.clone()));
        assert_eq!(
            applied(document.clone(), &Edit::Remove { path: path("l"), value: json!(1) }),
            Ok(json!({"a": {"b": 1, "c": 2}, "l": [2]}))
        );
        assert_eq!(
            applied(document.clone(), &Edit::Append { path: path("n"), value: json!("x") }),
            Ok(json!({"a": {"b": 1, "c": 2}, "l": [1, 2, 1], "n": ["x"]}))
        );
        assert_eq!(
            applied(document, &Edit::Append { path: path("a"), value: json!(1) }),
            Err(PathConflict { depth: 1, found: "a mapping" })
        );
    }
}
