//! Byte-for-byte cases: each folder of `tests/cases/` holds a file before (`before.yaml` or
//! `before.json`), what to do to it (`edits.json`), and either the file after (`after.yaml` or
//! `after.json`), `deleted` (the file is left with no document), or `refused.txt` (the code and
//! message of the finding that refuses the edit). `edits.json` is either a list of edits or
//! `{"document": N, "edits": [...]}` / `{"document": N, "remove_document": true}`, N counting the
//! file's documents (list items included) from 0. An edit is `{"set": "a.b", "value": v}`,
//! `{"unset": "a.b"}`, `{"append": "a.b", "value": v}`, `{"add": "a.b", "value": v}` or
//! `{"remove": "a.b", "value": v}`.
//!
//! `CAIRN_UPDATE_CASES=1` writes what the crate produces as the expected files (review the diff).

use std::path::Path;

use cairn_diagnostics::SourceFile;
use cairn_edit::{Edit, edit, path, remove_document};
use cairn_syntax::{Limits, parse_file};
use serde_json::Value;

struct Case {
    document: usize,
    remove: bool,
    edits: Vec<Edit>,
}

fn read_case(spec: &Value) -> Case {
    let (document, remove, list) = match spec {
        Value::Array(list) => (0, false, list.clone()),
        Value::Object(object) => (
            object.get("document").and_then(Value::as_u64).unwrap_or(0) as usize,
            object.get("remove_document").and_then(Value::as_bool).unwrap_or(false),
            object.get("edits").and_then(Value::as_array).cloned().unwrap_or_default(),
        ),
        other => panic!("edits.json is a list or an object, not {other}"),
    };
    let edits = list
        .iter()
        .map(|item| {
            let value = item.get("value").cloned().unwrap_or(Value::Null);
            let at = |key: &str| item.get(key).and_then(Value::as_str).map(path);
            if let Some(path) = at("set") {
                Edit::Set { path, value }
            } else if let Some(path) = at("unset") {
                Edit::Unset { path }
            } else if let Some(path) = at("append") {
                Edit::Append { path, value }
            } else if let Some(path) = at("remove") {
                Edit::Remove { path, value }
            } else if let Some(path) = at("add") {
                Edit::Add { path, value }
            } else {
                panic!("an edit is set, unset, append or remove: {item}")
            }
        })
        .collect();
    Case { document, remove, edits }
}

/// What running a case gives: the text after, `None` for a deleted file, or the finding.
fn run(file: &SourceFile, case: &Case) -> Result<Option<String>, String> {
    let parsed = parse_file(file.path(), file.text().as_bytes(), &Limits::default());
    let at = parsed.documents.get(case.document).map_or(u32::MAX, |document| document.span.start);
    let outcome = if case.remove { remove_document(file, at) } else { edit(file, at, &case.edits).map(Some) };
    outcome.map_err(|diagnostic| {
        let place = diagnostic.location.as_ref().map_or(String::new(), |location| {
            format!(" at {}:{}:{}", location.file, location.start.line, location.start.column)
        });
        format!("{}{place}: {}\nhelp: {}\n", diagnostic.code, diagnostic.message, diagnostic.help.unwrap_or_default())
    })
}

fn check_case(dir: &Path, update: bool) -> Result<(), String> {
    let before = ["before.yaml", "before.json"]
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.exists())
        .ok_or("no before.yaml or before.json")?;
    let extension = before.extension().and_then(|e| e.to_str()).unwrap_or("yaml").to_owned();
    let text = std::fs::read_to_string(&before).map_err(|e| e.to_string())?;
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("edits.json")).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let case = read_case(&spec);
    let file = SourceFile::new(format!("catalog/x.{extension}"), text.as_str());
    let outcome = run(&file, &case);
    let after_path = dir.join(format!("after.{extension}"));
    let (deleted_path, refused_path) = (dir.join("deleted"), dir.join("refused.txt"));
    if update {
        for path in [&after_path, &deleted_path, &refused_path] {
            let _ = std::fs::remove_file(path);
        }
        match &outcome {
            Ok(Some(after)) => std::fs::write(&after_path, after),
            Ok(None) => std::fs::write(&deleted_path, ""),
            Err(refused) => std::fs::write(&refused_path, refused),
        }
        .map_err(|e| e.to_string())?;
    }
    match outcome {
        Ok(Some(after)) => {
            let expected = std::fs::read_to_string(&after_path).map_err(|_| format!("the edit gave:\n{after}"))?;
            if after != expected {
                return Err(format!("expected:\n{expected}\ngot:\n{after}"));
            }
            // Setting, unsetting, adding and removing again change nothing.
            if !case.remove && case.edits.iter().all(|edit| !matches!(edit, Edit::Append { .. })) {
                let again = run(&SourceFile::new(file.path(), after.as_str()), &case)?;
                if again.as_deref() != Some(after.as_str()) {
                    return Err(format!("the edits made again changed the file:\n{again:?}"));
                }
            }
        }
        Ok(None) if deleted_path.exists() => {}
        Ok(None) => return Err("the file was left with no document, but `deleted` is absent".to_owned()),
        Err(refused) => {
            let expected =
                std::fs::read_to_string(&refused_path).map_err(|_| format!("the edit was refused:\n{refused}"))?;
            if refused != expected {
                return Err(format!("expected refusal:\n{expected}\ngot:\n{refused}"));
            }
            if case.remove || text.is_empty() {
                return Ok(());
            }
        }
    }
    Ok(())
}

#[test]
fn cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let update = std::env::var_os("CAIRN_UPDATE_CASES").is_some();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/cases exists")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 20, "the cases are found ({} of them)", dirs.len());
    let failures: Vec<String> = dirs
        .iter()
        .filter_map(|dir| {
            check_case(dir, update)
                .err()
                .map(|error| format!("{}: {error}", dir.file_name().unwrap_or_default().display()))
        })
        .collect();
    assert!(failures.is_empty(), "{} case(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
}
