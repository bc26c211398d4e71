//! One document as the text of a file: YAML when cairn reads it back as exactly the same data,
//! JSON otherwise.

use cairn_diagnostics::Severity;
use cairn_model::{Limits, Node, parse_file};

/// The text of `node` and its file extension. serde_yaml quotes the strings YAML would read as
/// something else (`"true"`, `"1.0"`, `"null"`, `"yes"`), but whatever it writes is read back
/// with cairn's own parser and compared; a document that does not come back the same (none is
/// known) is written as JSON, which cairn reads strictly.
pub(crate) fn emit(node: &Node) -> (String, &'static str) {
    if let Ok(text) = serde_yaml::to_string(node) {
        let quoted = quote_yaml_1_1(&text);
        if reads_back(&quoted, "x.yaml", node) {
            return (quoted, "yaml");
        }
        if reads_back(&text, "x.yaml", node) {
            return (text, "yaml");
        }
    }
    // serde_json writes any `Node` (string keys, finite numbers); should it ever fail, the
    // `Display` of the plain value is JSON too, in key order instead of the export's.
    let mut text = serde_json::to_string_pretty(node).unwrap_or_else(|_| node.to_json().to_string());
    text.push('\n');
    (text, "json")
}

/// serde_yaml writes YAML 1.2, where `yes`, `on`, `1_000`, `<<` and `2026-01-01` are text, and
/// leaves them plain; a YAML 1.1 reader (PyYAML, older tools around Port's data) reads them as a
/// boolean, a number, a merge key or a date. Each such plain key or value is single-quoted here
/// (https://yaml.org/type/bool.html, https://yaml.org/type/int.html,
/// https://yaml.org/type/merge.html, https://yaml.org/type/value.html,
/// https://yaml.org/type/timestamp.html). Real booleans, numbers and nulls are never plain
/// scalars of these forms (serde_yaml writes `true`, `false`, `null` and numbers without `_`,
/// `:` or dashes), and the lines of a block scalar (`|-`) are left alone; `emit` reads the
/// result back, so a line this gets wrong can only cost the YAML form, never the data.
fn quote_yaml_1_1(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    // The indentation of the line that opened a block scalar, whose content lines are deeper.
    let mut block: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let indent = body.len() - body.trim_start_matches(' ').len();
        if let Some(open) = block {
            if body.trim().is_empty() || indent > open {
                out.push_str(line);
                continue;
            }
            block = None;
        }
        let mut start = indent;
        while body[start..].starts_with("- ") {
            start += 2;
        }
        let (prefix, rest) = body.split_at(start);
        let (key, value) = match rest.find(": ") {
            _ if rest.starts_with(['\'', '"', '?']) => (None, rest),
            Some(colon) => (Some(&rest[..colon]), &rest[colon + 2..]),
            None => match rest.strip_suffix(':') {
                Some(key) => (Some(key), ""),
                None => (None, rest),
            },
        };
        if value.starts_with(['|', '>']) {
            block = Some(indent);
        }
        out.push_str(prefix);
        if let Some(key) = key {
            out.push_str(&quoted(key));
            out.push(':');
            if !value.is_empty() {
                out.push(' ');
            }
        }
        out.push_str(&quoted(value));
        out.push_str(&line[body.len()..]);
    }
    out
}

/// `scalar`, single-quoted when a YAML 1.1 reader would not read it as text.
fn quoted(scalar: &str) -> std::borrow::Cow<'_, str> {
    const BOOLEANS: &[&str] =
        &["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"];
    let bytes = scalar.as_bytes();
    let numeric = scalar.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-')
        && scalar.chars().all(|c| c.is_ascii_digit() || matches!(c, '_' | ':' | '.' | '+' | '-'))
        && scalar.contains(['_', ':']);
    let date = bytes.len() >= 8
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5].is_ascii_digit()
        && scalar[5..].contains('-');
    if BOOLEANS.contains(&scalar) || matches!(scalar, "<<" | "=") || numeric || date {
        format!("'{}'", scalar.replace('\'', "''")).into()
    } else {
        scalar.into()
    }
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
    fn text_that_yaml_1_1_reads_as_something_else_is_quoted_and_real_values_are_not() {
        let value = node(
            r#"{"on": "yes", "list": ["no", "Off", "y", "1_000", "1:20", "<<", "=", "2026-01-26T01:39:15.250+02:00",
                "2026-01-01", "v1.2.3", "yesterday", "checkout"], "n": 4, "f": 0.5, "b": true, "z": null,
                "text": "first line\nyes\n2026-01-01\n"}"#,
        );
        let (text, extension) = emit(&value);
        assert_eq!(extension, "yaml", "{text}");
        assert_eq!(
            text,
            "'on': 'yes'\nlist:\n- 'no'\n- 'Off'\n- 'y'\n- '1_000'\n- '1:20'\n- '<<'\n- '='\n\
             - '2026-01-26T01:39:15.250+02:00'\n- '2026-01-01'\n- v1.2.3\n- yesterday\n- checkout\n'n': 4\nf: 0.5\n\
             b: true\nz: null\ntext: |\n  first line\n  yes\n  2026-01-01\n"
        );
    }

    #[test]
    fn key_order_is_the_exports() {
        let (text, _) = emit(&node(r#"{"identifier": "a", "title": "A", "blueprint": "B"}"#));
        assert_eq!(text, "identifier: a\ntitle: A\nblueprint: B\n");
    }
}
