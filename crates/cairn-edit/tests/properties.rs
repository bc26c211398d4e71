//! The crate's invariant, checked from outside over many edits: every edit of every value of the
//! case files (and of keys they lack), with values that are easy to write wrongly, either is
//! refused with a finding or gives a text that parses and reads back as the old document with the
//! edit applied, every other document unchanged. The same property the `edit` fuzz target checks.

use std::path::Path;

use cairn_diagnostics::SourceFile;
use cairn_edit::{Edit, Segment, edit, remove_document};
use cairn_syntax::{Limits, Node, Value, parse_file};
use serde_json::{Value as Json, json};

/// The edit applied to a JSON value, written independently of the crate's own.
fn expected(mut document: Json, edit: &Edit) -> Option<Json> {
    fn walk<'a>(mut value: &'a mut Json, path: &[Segment]) -> Option<&'a mut Json> {
        for segment in path {
            if value.is_null() {
                *value = match segment {
                    Segment::Key(_) => json!({}),
                    Segment::Index(_) => json!([]),
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
    match edit {
        Edit::Set { path, value } => *walk(&mut document, path)? = value.clone(),
        Edit::Append { path, value } | Edit::Add { path, value } => {
            let slot = walk(&mut document, path)?;
            if slot.is_null() {
                *slot = json!([]);
            }
            let items = slot.as_array_mut()?;
            if !(matches!(edit, Edit::Add { .. }) && items.contains(value)) {
                items.push(value.clone());
            }
        }
        // Unset and remove change nothing where the path leads nowhere.
        Edit::Unset { path } => {
            let (last, parent) = path.split_last()?;
            let pointer = pointer(parent);
            match (document.pointer_mut(&pointer), last) {
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

fn segment_text(segment: &Segment) -> String {
    match segment {
        Segment::Key(key) => key.clone(),
        Segment::Index(index) => index.to_string(),
    }
}

fn pointer(path: &[Segment]) -> String {
    path.iter()
        .map(|segment| match segment {
            Segment::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
            Segment::Index(index) => format!("/{index}"),
        })
        .collect()
}

/// Every path to a value of a document.
fn paths(node: &Node, prefix: &mut Vec<Segment>, out: &mut Vec<Vec<Segment>>) {
    match &node.value {
        Value::Mapping(entries) => {
            for entry in entries {
                prefix.push(Segment::Key(entry.key.clone()));
                out.push(prefix.clone());
                paths(&entry.value, prefix, out);
                prefix.pop();
            }
        }
        Value::Sequence(items) => {
            for (index, item) in items.iter().enumerate() {
                prefix.push(Segment::Index(index));
                out.push(prefix.clone());
                paths(item, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn values() -> Vec<Json> {
    vec![
        json!("plain"),
        json!("16"),
        json!("yes"),
        json!("null"),
        json!(""),
        json!("key: value # not a comment"),
        json!("- dash"),
        json!("two\nlines\n"),
        json!("it's \"quoted\" \\ back"),
        json!("tab\there"),
        json!("Zoë ☕ “typographic”"),
        json!(" padded "),
        json!("[not, a, list]"),
        json!(3),
        json!(-2.5),
        json!(true),
        Json::Null,
        json!([]),
        json!({}),
        json!(["a", 1, {"b": [true]}]),
        json!({"name": "cache", "type": "redis", "params": {"size": "small", "tags": ["x", "y"]}}),
    ]
}

fn before_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root).expect("tests/cases exists").filter_map(Result::ok) {
        for name in ["before.yaml", "before.json"] {
            if let Ok(text) = std::fs::read_to_string(entry.path().join(name)) {
                files.push((format!("catalog/x.{}", &name[7..]), text));
            }
        }
    }
    // Several cases start from the same file: each is checked once.
    files.sort();
    files.dedup();
    files
}

#[test]
fn every_edit_reads_back_or_is_refused() {
    let (mut made, mut refused) = (0usize, 0usize);
    let mut unverified = Vec::new();
    for (path, text) in before_files() {
        let file = SourceFile::new(path.as_str(), text.as_str());
        let parsed = parse_file(&path, text.as_bytes(), &Limits::default());
        if parsed.diagnostics.iter().any(|d| d.severity == cairn_diagnostics::Severity::Error) {
            continue;
        }
        let originals: Vec<Json> = parsed.documents.iter().map(Node::to_json).collect();
        for (index, document) in parsed.documents.iter().enumerate() {
            let mut all = Vec::new();
            paths(document, &mut Vec::new(), &mut all);
            all.push(vec![Segment::Key("added".into())]);
            all.push(vec![Segment::Key("properties".into()), Segment::Key("new".into()), Segment::Key("deep".into())]);
            let mut edits = Vec::new();
            for path in &all {
                let texts: Vec<String> = path.iter().map(segment_text).collect();
                let list_or_absent = document
                    .at_path(texts.iter().map(String::as_str))
                    .is_none_or(|node| matches!(node.value, Value::Sequence(_) | Value::Null));
                for value in values() {
                    if list_or_absent {
                        edits.push(Edit::Append { path: path.clone(), value: value.clone() });
                        edits.push(Edit::Add { path: path.clone(), value: value.clone() });
                    }
                    edits.push(Edit::Set { path: path.clone(), value });
                }
                edits.push(Edit::Unset { path: path.clone() });
                edits.push(Edit::Remove { path: path.clone(), value: json!("a") });
            }
            for one in edits {
                match edit(&file, document.span.start, std::slice::from_ref(&one)) {
                    Ok(after) => {
                        made += 1;
                        let reparsed = parse_file(&path, after.as_bytes(), &Limits::default());
                        assert!(
                            reparsed.diagnostics.iter().all(|d| d.severity != cairn_diagnostics::Severity::Error),
                            "{path}: {one:?} gave a text that does not parse:\n{after}"
                        );
                        let want = expected(originals[index].clone(), &one);
                        let got: Vec<Json> = reparsed.documents.iter().map(Node::to_json).collect();
                        let mut wanted = originals.clone();
                        wanted[index] = want.unwrap_or_else(|| panic!("{path}: {one:?} was made but cannot be"));
                        assert_eq!(got, wanted, "{path}: {one:?} gave:\n{after}");
                    }
                    Err(diagnostic) => {
                        refused += 1;
                        if diagnostic.code == cairn_diagnostics::Code::EditNotVerified {
                            unverified.push(format!("{path}: {one:?}"));
                        }
                        let location = diagnostic.location.expect("a refusal is located");
                        assert_eq!(location.file, path);
                        assert!(diagnostic.help.is_some());
                    }
                }
            }
            match remove_document(&file, document.span.start) {
                Ok(Some(after)) => {
                    let reparsed = parse_file(&path, after.as_bytes(), &Limits::default());
                    let mut wanted = originals.clone();
                    wanted.remove(index);
                    let got: Vec<Json> = reparsed.documents.iter().map(Node::to_json).collect();
                    assert_eq!(got, wanted, "{path}: removing document {index} gave:\n{after}");
                }
                Ok(None) => assert_eq!(originals.len(), 1, "{path}: the file is deleted with other documents in it"),
                Err(diagnostic) => panic!("{path}: removing document {index} was refused: {diagnostic:?}"),
            }
        }
    }
    // Refusals are for paths through scalars and for anchors; an edit the crate could not write
    // in a way that reads back (E1043) would be a bug of this crate.
    assert!(unverified.is_empty(), "edits refused as not reading back:\n{}", unverified.join("\n"));
    assert!(made > 5_000 && refused > 100, "made {made}, refused {refused}");
}

/// The fuzz target's seeds (`fuzz/seeds/edit/`), cut short at every length and with bytes
/// replaced: no panic, and an edit made reads back (as in the target, without cargo-fuzz).
#[test]
fn mutated_fuzz_seeds_keep_the_invariant() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds/edit");
    let mut seeds: Vec<_> = std::fs::read_dir(root).expect("the seeds exist").filter_map(Result::ok).collect();
    seeds.sort_by_key(std::fs::DirEntry::path);
    let mut checked = 0;
    for seed in seeds {
        let text = std::fs::read_to_string(seed.path()).expect("a seed is UTF-8");
        let Some((spec, file)) = text.split_once('\n') else { continue };
        let Some((one, document)) = parse_spec(spec) else { continue };
        let mut variants: Vec<String> = (0..file.len())
            .step_by(5)
            .filter(|&end| file.is_char_boundary(end))
            .map(|end| file[..end].to_owned())
            .collect();
        for (at, _) in file.char_indices().step_by(13) {
            for replacement in ["\n", " ", ":", "\"", "#", "[", "&"] {
                let mut variant = file.to_owned();
                let width = variant[at..].chars().next().map_or(0, char::len_utf8);
                variant.replace_range(at..at + width, replacement);
                variants.push(variant);
            }
        }
        for variant in variants {
            for path in ["catalog/x.yaml", "catalog/x.json"] {
                check_one(path, &variant, document, one.as_ref());
                checked += 1;
            }
        }
    }
    assert!(checked > 2_000, "checked {checked} variants");
}

fn parse_spec(line: &str) -> Option<(Option<Edit>, usize)> {
    let mut parts = line.splitn(3, ' ');
    let (op, document) = match parts.next()?.split_once('@') {
        Some((op, document)) => (op, document.parse().ok()?),
        None => (line.split(' ').next()?, 0),
    };
    let path = parts.next().map(cairn_edit::path).unwrap_or_default();
    let value: Json = parts.next().map_or(Some(Json::Null), |value| serde_json::from_str(value).ok())?;
    let edit = match op {
        "set" => Some(Edit::Set { path, value }),
        "unset" => Some(Edit::Unset { path }),
        "append" => Some(Edit::Append { path, value }),
        "remove" => Some(Edit::Remove { path, value }),
        "add" => Some(Edit::Add { path, value }),
        "delete" => None,
        _ => return None,
    };
    Some((edit, document))
}

/// One edit (or, for `None`, the removal of the document) checked against the property.
fn check_one(path: &str, text: &str, document: usize, one: Option<&Edit>) {
    let parsed = parse_file(path, text.as_bytes(), &Limits::default());
    let originals: Vec<Json> = parsed.documents.iter().map(Node::to_json).collect();
    let document = if document < originals.len() { document } else { 0 };
    let at = parsed.documents.get(document).map_or(0, |node| node.span.start);
    let file = SourceFile::new(path, text);
    let read_back = |after: &str| -> Vec<Json> {
        let reparsed = parse_file(path, after.as_bytes(), &Limits::default());
        assert!(
            reparsed.diagnostics.iter().all(|d| d.severity != cairn_diagnostics::Severity::Error),
            "{path}: the result does not parse:\n{after}"
        );
        reparsed.documents.iter().map(Node::to_json).collect()
    };
    match one {
        Some(one) => {
            if let Ok(after) = edit(&file, at, std::slice::from_ref(one)) {
                let mut wanted = originals.clone();
                wanted[document] = expected(originals[document].clone(), one).expect("an edit made can be made");
                assert_eq!(read_back(&after), wanted, "{path}: {one:?} on\n{text}\ngave\n{after}");
            }
        }
        None => match remove_document(&file, at) {
            Ok(Some(after)) => {
                let mut wanted = originals.clone();
                wanted.remove(document);
                assert_eq!(read_back(&after), wanted, "{path}: removing {document} of\n{text}\ngave\n{after}");
            }
            Ok(None) => assert_eq!(originals.len(), 1, "{path}: deleted with other documents:\n{text}"),
            Err(_) => {}
        },
    }
}

/// On every document of the example platform's YAML files: setting an existing `title` changes
/// that one line and nothing else, and adding a key adds one line and nothing else.
#[test]
fn example_files_change_by_one_line() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme");
    let mut stack = vec![root];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).expect("the example is readable").filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut checked = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).expect("a YAML file of the example is UTF-8");
        let file = SourceFile::new("catalog/x.yaml", text.as_str());
        let parsed = parse_file(file.path(), text.as_bytes(), &Limits::default());
        for document in &parsed.documents {
            let mut edits = vec![Edit::Set { path: cairn_edit::path("added"), value: json!("a new line") }];
            if document.get("title").is_some_and(|title| title.as_str().is_some()) {
                edits.push(Edit::Set { path: cairn_edit::path("title"), value: json!("Renamed — déjà") });
            }
            for one in edits {
                let after = edit(&file, document.span.start, std::slice::from_ref(&one))
                    .unwrap_or_else(|diagnostic| panic!("{}: {one:?} refused: {diagnostic:?}", path.display()));
                let before_lines: Vec<&str> = text.lines().collect();
                let after_lines: Vec<&str> = after.lines().collect();
                let changed = if before_lines.len() == after_lines.len() {
                    before_lines.iter().zip(&after_lines).filter(|(a, b)| a != b).count()
                } else {
                    // One line added: everything else is the same, in order.
                    assert_eq!(after_lines.len(), before_lines.len() + 1, "{}: {one:?}", path.display());
                    let at = before_lines.iter().zip(&after_lines).take_while(|(a, b)| a == b).count();
                    assert_eq!(before_lines[at..], after_lines[at + 1..], "{}: {one:?}", path.display());
                    1
                };
                assert_eq!(changed, 1, "{}: {one:?} changed {changed} lines:\n{after}", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "checked {checked} edits");
}
