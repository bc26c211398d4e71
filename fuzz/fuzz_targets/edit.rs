//! Fuzzes cairn-edit (`cairn_edit::edit`, `cairn_edit::remove_document`): the edits an action
//! makes to a platform's YAML and JSON files, on arbitrary files and edits.
//!
//! Input: a first line naming one edit, `OP[@DOC] PATH [JSON]` (OP: `set`, `unset`, `append`,
//! `remove`, `add` or `delete` for `remove_document`; DOC: the document, counted from 0; PATH: dotted,
//! digits for list indices; JSON: the value), then the file. An input whose first line is not
//! such an edit is taken whole as the file, with a fixed set of edits. Each is tried with the file
//! as `x.yaml` and as `x.json`.
//!
//! Beyond "never panics", it checks, independently of the crate's own check, that an edit made
//! gives a text that parses without errors and reads back as the old document with the edit
//! applied (computed here on JSON), every other document unchanged; that a removed document is
//! gone and the others unchanged (`None` only when it was the only one); and that a refusal is
//! located in the file.

#![no_main]

use cairn_diagnostics::{Diagnostic, Severity, SourceFile};
use cairn_edit::{Edit, Segment};
use cairn_model::{Limits, Node, parse_file};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value as Json, json};

enum Step {
    Edit(Edit),
    Delete,
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(input) = std::str::from_utf8(bytes) else { return };
    let spec = input.split_once('\n').and_then(|(first, rest)| Some((spec(first)?, rest)));
    let (steps, document, text) = match spec {
        Some(((step, document), rest)) => (vec![step], document, rest),
        None => (fixed_steps(), 0, input),
    };
    for path in ["catalog/x.yaml", "catalog/x.json"] {
        for step in &steps {
            run(path, text, document, step);
        }
    }
});

fn spec(line: &str) -> Option<(Step, usize)> {
    let mut parts = line.splitn(3, ' ');
    let op = parts.next()?;
    let (op, document) = match op.split_once('@') {
        Some((op, document)) => (op, document.parse().ok()?),
        None => (op, 0),
    };
    let path = parts.next().map(cairn_edit::path).unwrap_or_default();
    let value = match parts.next() {
        Some(value) => serde_json::from_str(value).ok()?,
        None => Json::Null,
    };
    let step = match op {
        "set" => Step::Edit(Edit::Set { path, value }),
        "unset" => Step::Edit(Edit::Unset { path }),
        "append" => Step::Edit(Edit::Append { path, value }),
        "remove" => Step::Edit(Edit::Remove { path, value }),
        "add" => Step::Edit(Edit::Add { path, value }),
        "delete" => Step::Delete,
        _ => return None,
    };
    Some((step, document))
}

fn fixed_steps() -> Vec<Step> {
    let path = cairn_edit::path;
    vec![
        Step::Edit(Edit::Set { path: path("properties.ttl"), value: json!("8d") }),
        Step::Edit(Edit::Set { path: path("title"), value: json!("two\nlines: # x") }),
        Step::Edit(Edit::Set { path: path("properties.limits"), value: json!({"cpu": "16", "tags": ["yes", 1]}) }),
        Step::Edit(Edit::Append { path: path("relations.components"), value: json!("cart") }),
        Step::Edit(Edit::Add { path: path("relations.components"), value: json!("cart") }),
        Step::Edit(Edit::Remove { path: path("relations.components"), value: json!("cart") }),
        Step::Edit(Edit::Unset { path: path("properties") }),
        Step::Delete,
    ]
}

fn run(path: &str, text: &str, document: usize, step: &Step) {
    let parsed = parse_file(path, text.as_bytes(), &Limits::default());
    let file = SourceFile::new(path, text);
    let originals: Vec<Json> = parsed.documents.iter().map(Node::to_json).collect();
    let document = if document < originals.len() { document } else { 0 };
    let at = parsed.documents.get(document).map_or(0, |node| node.span.start);
    let clean = parsed.diagnostics.iter().all(|d| d.severity != Severity::Error);
    match step {
        Step::Edit(edit) => match cairn_edit::edit(&file, at, std::slice::from_ref(edit)) {
            Ok(after) => {
                assert!(clean, "a file that does not parse was edited");
                let mut wanted = originals.clone();
                wanted[document] = expected(originals[document].clone(), edit).expect("an edit made can be made");
                assert_eq!(read_back(path, &after), wanted, "the edit did not read back:\n{after}");
            }
            Err(diagnostic) => located(&file, &diagnostic),
        },
        Step::Delete => match cairn_edit::remove_document(&file, at) {
            Ok(Some(after)) => {
                let mut wanted = originals.clone();
                wanted.remove(document);
                assert_eq!(read_back(path, &after), wanted, "the removal did not read back:\n{after}");
            }
            Ok(None) => assert_eq!(originals.len(), 1, "a file with other documents is deleted"),
            Err(diagnostic) => located(&file, &diagnostic),
        },
    }
}

fn read_back(path: &str, text: &str) -> Vec<Json> {
    let parsed = parse_file(path, text.as_bytes(), &Limits::default());
    assert!(
        parsed.diagnostics.iter().all(|d| d.severity != Severity::Error),
        "the edited text does not parse: {:?}\n{text}",
        parsed.diagnostics
    );
    parsed.documents.iter().map(Node::to_json).collect()
}

fn located(file: &SourceFile, diagnostic: &Diagnostic) {
    let location = diagnostic.location.as_ref().expect("a refusal is located");
    assert_eq!(location.file, file.path());
    if let Some(span) = location.span {
        assert!(span.start <= span.end && span.end as usize <= file.text().len(), "{diagnostic:?}");
    }
    assert!(location.start.line >= 1 && location.start.column >= 1);
}

/// The edit applied to a JSON value, written apart from the crate's own; `None` when it cannot be.
fn expected(mut document: Json, edit: &Edit) -> Option<Json> {
    match edit {
        Edit::Set { path, value } => *create(&mut document, path)? = value.clone(),
        Edit::Append { path, value } | Edit::Add { path, value } => {
            let slot = create(&mut document, path)?;
            if slot.is_null() {
                *slot = json!([]);
            }
            let items = slot.as_array_mut()?;
            if !(matches!(edit, Edit::Add { .. }) && items.contains(value)) {
                items.push(value.clone());
            }
        }
        Edit::Unset { path } => {
            let (last, parent) = path.split_last()?;
            match (document.pointer_mut(&pointer(parent)), last) {
                (None | Some(Json::Null), _) => {}
                (Some(Json::Object(map)), Segment::Key(key)) => {
                    map.remove(key);
                }
                (Some(Json::Array(items)), Segment::Index(index)) => {
                    if *index < items.len() {
                        items.remove(*index);
                    }
                }
                _ => return None,
            }
        }
        Edit::Remove { path, value } => match document.pointer_mut(&pointer(path)) {
            None | Some(Json::Null) => {}
            Some(Json::Array(items)) => items.retain(|item| item != value),
            Some(_) => return None,
        },
    }
    Some(document)
}

/// The value at `path`, made where missing: nulls and absent keys become mappings (or a list
/// for index 0), an index one past a list's end a new item.
fn create<'a>(mut value: &'a mut Json, path: &[Segment]) -> Option<&'a mut Json> {
    for segment in path {
        if value.is_null() {
            *value = match segment {
                Segment::Key(_) => json!({}),
                Segment::Index(0) => json!([]),
                Segment::Index(_) => return None,
            };
        }
        value = match (value, segment) {
            (Json::Object(map), Segment::Key(key)) => map.entry(key.clone()).or_insert(Json::Null),
            (Json::Array(items), Segment::Index(index)) => {
                if *index == items.len() {
                    items.push(Json::Null);
                }
                items.get_mut(*index)?
            }
            _ => return None,
        };
    }
    Some(value)
}

fn pointer(path: &[Segment]) -> String {
    path.iter()
        .map(|segment| match segment {
            Segment::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
            Segment::Index(index) => format!("/{index}"),
        })
        .collect()
}
