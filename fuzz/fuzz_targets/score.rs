//! Fuzzes cairn's Score reader (`cairn_score::read`): arbitrary bytes parsed as a `score.yaml`,
//! checked against Score's schema, its placeholders checked; then the workload's placeholders
//! substituted with outputs for every resource it declares, and the whole text substituted as a
//! file's content would be.
//!
//! Beyond "never panics, never hangs, never exhausts memory", it checks that every finding's
//! location lies within the file it names, that substitution keeps the document's shape (it
//! replaces texts, never adds or removes a key), and that a text without `$` comes back as it is.

#![no_main]

use cairn_model::Limits;
use libfuzzer_sys::fuzz_target;

#[path = "../common/located.rs"]
mod located;
use located::check_all;

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
