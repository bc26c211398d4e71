//! One document as the text of a file: YAML when cairn reads it back as exactly the same data,
//! JSON otherwise.

use cairn_diagnostics::Severity;
use cairn_model::{Limits, Node, parse_file};

/// The text of `node` and its file extension. serde_yaml quotes the strings YAML would read as
/// something else (`"true"`, `"1.0"`, `"null"`, `"yes"`), but whatever it writes is read back
/// with cairn's own parser and compared; a document that does not come back the same (none is
/// known) is written as JSON, which cairn reads strictly.
pub(crate) fn emit(node: &Node) -> (String, &'static str) {
    if let Ok(text) = serde_yaml::to_string(node)
        && reads_back(&text, "x.yaml", node)
    {
        return (text, "yaml");
    }
    // serde_json writes any `Node` (string keys, finite numbers); should it ever fail, the
    // `Display` of the plain value is JSON too, in key order instead of the export's.
    let mut text = serde_json::to_string_pretty(node).unwrap_or_else(|_| node.to_json().to_string());
    text.push('\n');
    (text, "json")
}

/// Whether `text` parses, as the file `path`, into one document equal to `node`, without an
/// error.
pub(crate) fn reads_back(text: &str, path: &str, node: &Node) -> bool {
    let limits = Limits { max_file_size: u64::MAX, ..Limits::default() };
    let parsed = parse_file(path, text.as_bytes(), &limits);
    !parsed.diagnostics.iter().any(|diagnostic| diagnostic.severity == Severity::Error)
        && parsed.documents.len() == 1
        && parsed.documents[0].to_json() == node.to_json()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(json: &str) -> Node {
        let parsed = parse_file("x.json", json.as_bytes(), &Limits::default());
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        parsed.documents.into_iter().next().expect("one document")
    }

    #[test]
    fn strings_that_yaml_would_read_as_other_types_stay_strings() {
        let value = node(
            r##"{"identifier": "true", "a": "1.0", "b": "null", "c": "yes", "d": "~", "e": "0x1F", "f": "2026-01-01",
                "g": "line\nbreak  ", "h": "- dash", "i": "#hash", "j": ": colon", "k": "", "l": " lead",
                "m": "@at", "n": "`tick", "o": "*alias", "p": "&anchor", "q": "!tag", "r": "%percent",
                "s": "{flow}", "t": "[flow]", "u": "'single'", "v": "\"double\"", "w": "tab\there",
                "x": "\u0007bell", "y": "\u00e9t\u00e9", "z": ".inf", "aa": "-.5", "bb": "+1", "cc": "1_000", "dd": "0o17",
                "ee": "True", "ff": "NULL", "gg": "on", "hh": "=", "ii": "<<", "jj": "? q"}"##,
        );
        let (text, extension) = emit(&value);
        assert_eq!(extension, "yaml", "{text}");
        assert!(reads_back(&text, "x.yaml", &value), "{text}");
    }

    #[test]
    fn numbers_booleans_nulls_and_nesting_read_back_the_same() {
        let value = node(
            r#"{"i": -3, "u": 18446744073709551615, "f": 1.5, "g": 1e300, "z": 0.0, "t": true, "n": null,
                "list": [1, "two", [3], {"four": 4}], "empty": {}, "none": []}"#,
        );
        let (text, extension) = emit(&value);
        assert_eq!(extension, "yaml", "{text}");
        assert!(reads_back(&text, "x.yaml", &value));
    }

    #[test]
    fn key_order_is_the_exports() {
        let (text, _) = emit(&node(r#"{"identifier": "a", "title": "A", "blueprint": "B"}"#));
        assert_eq!(text, "identifier: a\ntitle: A\nblueprint: B\n");
    }
}
