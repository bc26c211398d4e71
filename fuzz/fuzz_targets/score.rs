//! Fuzzes cairn's Score reader (`cairn_score::read`): arbitrary bytes parsed as a `score.yaml`,
//! checked against Score's schema, its placeholders checked; then the workload's placeholders
//! substituted with outputs for every resource it declares, and the whole text substituted as a
//! file's content would be.
//!
//! Beyond "never panics, never hangs, never exhausts memory", it checks that every finding's
//! location lies within the file it names, that substitution keeps the document's shape (it
//! replaces texts, never adds or removes a key), and that a text without `$` comes back as it is.

#![no_main]

use cairn_diagnostics::{Diagnostic, Location, SourceFile};
use cairn_model::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let (file, workload, diagnostics) = cairn_score::read("catalog/x/score.yaml", bytes, &Limits::default());
    check_all(&file, &diagnostics, "read");
    let Some(workload) = workload else { return };
    let mut outputs = serde_json::Map::new();
    for name in workload.resources.keys() {
        outputs.insert(name.clone(), serde_json::json!({"host": "h", "port": 5432, "nested": {"a": [1, "$${x}"]}}));
    }
    let outputs = serde_json::Value::Object(outputs);
    let (document, diagnostics) = cairn_score::substitute(&workload, &outputs);
    check_all(&file, &diagnostics, "substitute");
    assert!(same_shape(&workload.document, &document), "substitution changed the document's shape");
    let (text, _problems) = cairn_score::substitute_text(&workload, file.text(), &outputs);
    if !file.text().contains('$') {
        assert_eq!(text, file.text(), "a text without `$` changed");
    }
});

/// Whether `a` and `b` have the same keys and list lengths everywhere, texts aside.
fn same_shape(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(key, value)| b.get(key).is_some_and(|other| same_shape(value, other)))
        }
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_shape(a, b)),
        (Value::String(_), Value::String(_)) => true,
        (a, b) => a == b,
    }
}

fn check_all(file: &SourceFile, diagnostics: &[Diagnostic], stage: &str) {
    for diagnostic in diagnostics {
        if let Some(location) = &diagnostic.location {
            check(file, location, diagnostic, stage);
        }
        for related in &diagnostic.related {
            check(file, &related.location, diagnostic, stage);
        }
    }
}

/// A located finding points into the file it names: its span ends within the text, starts no
/// later than it ends, and its 1-based line and column are at least 1.
fn check(file: &SourceFile, location: &Location, diagnostic: &Diagnostic, stage: &str) {
    let len = file.text().len();
    if let Some(span) = location.span {
        assert!(
            span.start <= span.end && span.end as usize <= len,
            "{stage}: span {span:?} is outside the file text of {len} bytes: {diagnostic:?}"
        );
        assert_eq!(location.file, file.path(), "{stage}: the finding names another file: {diagnostic:?}");
    }
    for position in [location.start, location.end] {
        assert!(
            position.line >= 1 && position.column >= 1,
            "{stage}: position {position:?} is not 1-based: {diagnostic:?}"
        );
    }
}
