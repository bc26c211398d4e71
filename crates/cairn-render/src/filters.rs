//! The filters cairn adds to minijinja's builtins: encodings that always yield valid output
//! (`to_yaml`, `to_json`, `quote`), `slug` for names Kubernetes accepts, and a bounded `indent`.

use std::fmt::Write;

use minijinja::{Error, ErrorKind, Value};

/// The widest `indent` accepted: a wider one is a mistake, and an unbounded one could make a
/// template allocate without limit in one step, where fuel cannot stop it.
pub const MAX_INDENT: usize = 256;

/// The longest DNS-1123 label (RFC 1123 §2.1, as Kubernetes names use it:
/// <https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names>).
const MAX_LABEL: usize = 63;

/// Strict undefined reaches into cairn's filters too: minijinja hands them an undefined value
/// as it is, and a filter that printed it as empty text would hide a missing variable.
fn defined(value: &Value) -> Result<(), Error> {
    if value.is_undefined() { Err(Error::from(ErrorKind::UndefinedError)) } else { Ok(()) }
}

fn to_json_value(value: &Value) -> Result<serde_json::Value, Error> {
    defined(value)?;
    serde_json::to_value(value)
        .map_err(|error| Error::new(ErrorKind::BadSerialization, format!("the value cannot be encoded: {error}")))
}

/// `to_yaml`: any value as block-style YAML that reads back as the same value (serde_yaml quotes
/// every string that would otherwise read as another type). The trailing newline is left off, so
/// that `{{ x | to_yaml | indent(4) }}` nests without a blank line.
pub fn to_yaml(value: &Value) -> Result<Value, Error> {
    let json = to_json_value(value)?;
    let text = serde_yaml::to_string(&json).map_err(|error| {
        Error::new(ErrorKind::BadSerialization, format!("the value cannot be encoded as YAML: {error}"))
    })?;
    Ok(Value::from(text.strip_suffix('\n').unwrap_or(&text)))
}

/// `to_json`: any value as JSON, compact, or indented by two spaces with `to_json(pretty=true)`.
/// Unlike minijinja's `tojson`, nothing is escaped for HTML: the output is a file, not a page.
pub fn to_json(value: &Value, pretty: Option<bool>) -> Result<Value, Error> {
    let json = to_json_value(value)?;
    let text = if pretty.unwrap_or(false) { serde_json::to_string_pretty(&json) } else { serde_json::to_string(&json) };
    text.map(Value::from)
        .map_err(|error| Error::new(ErrorKind::BadSerialization, format!("the value cannot be encoded: {error}")))
}

/// `quote`: a double-quoted string that reads as the same text in YAML and in JSON. JSON's
/// escapes are a subset of YAML's double-quoted escapes (YAML 1.2.2 §5.7,
/// <https://yaml.org/spec/1.2.2/#57-escaped-characters>); besides the characters JSON must
/// escape, the ones outside YAML's printable set (§5.1: C1 controls other than NEL, the byte
/// order mark, the line and paragraph separators, DEL) are escaped as `\uXXXX` too.
pub fn quote(value: &Value) -> Result<String, Error> {
    defined(value)?;
    let text = match value.as_str() {
        Some(text) => text.to_owned(),
        None => value.to_string(),
    };
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => {
                let _ = write!(quoted, "\\u{:04x}", u32::from(character));
            }
            other => quoted.push(other),
        }
    }
    quoted.push('"');
    Ok(quoted)
}

/// `slug`: a DNS-1123 label: lowercase `a-z`, `0-9` and `-`, at most 63 characters, starting
/// and ending with a letter or digit. Every other run of characters becomes one `-`.
pub fn slug(value: &Value) -> Result<String, Error> {
    defined(value)?;
    let text = match value.as_str() {
        Some(text) => text.to_owned(),
        None => value.to_string(),
    };
    let mut slug = String::with_capacity(text.len().min(MAX_LABEL));
    for character in text.chars() {
        let character = character.to_ascii_lowercase();
        if character.is_ascii_lowercase() || character.is_ascii_digit() {
            slug.push(character);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() > MAX_LABEL {
            break;
        }
    }
    slug.truncate(MAX_LABEL);
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("`{text}` has no letter or digit to make a slug of"),
        ));
    }
    Ok(slug)
}

/// `indent(width=4, first=false, blank=false)`: each line but the first (unless `first`)
/// indented by `width` spaces, or by `width` itself when it is a string; blank lines stay
/// blank unless `blank`. Jinja2's `indent`, with the width bounded by `MAX_INDENT`.
pub fn indent(value: &str, width: Option<Value>, first: Option<bool>, blank: Option<bool>) -> Result<String, Error> {
    let prefix = match width {
        None => "    ".to_owned(),
        Some(width) => match width.as_str() {
            Some(text) if text.len() <= MAX_INDENT => text.to_owned(),
            Some(_) => return Err(too_wide()),
            None => {
                let width = usize::try_from(width).map_err(|_| {
                    Error::new(ErrorKind::InvalidOperation, "`indent` takes a width in spaces or a string")
                })?;
                if width > MAX_INDENT {
                    return Err(too_wide());
                }
                " ".repeat(width)
            }
        },
    };
    let mut indented = String::with_capacity(value.len());
    for (index, line) in value.split('\n').enumerate() {
        if index > 0 {
            indented.push('\n');
        }
        let wanted = if index == 0 { first.unwrap_or(false) } else { true };
        if wanted && (blank.unwrap_or(false) || !line.trim().is_empty()) {
            indented.push_str(&prefix);
        }
        indented.push_str(line);
    }
    Ok(indented)
}

fn too_wide() -> Error {
    Error::new(ErrorKind::InvalidOperation, format!("`indent` is wider than {MAX_INDENT}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_reads_back_as_the_same_value() {
        let value = Value::from_serialize(serde_json::json!({
            "a": "yes", "b": "1.0", "c": "line\nbreak", "d": [1, "null", {"e": ": x"}], "f": null, "g": "#x"
        }));
        let yaml = to_yaml(&value).expect("encodes");
        let yaml = yaml.as_str().expect("text");
        let back: serde_json::Value = serde_yaml::from_str(yaml).expect("valid YAML");
        assert_eq!(back, serde_json::to_value(&value).expect("json"));
        assert!(!yaml.ends_with('\n'), "{yaml}");
    }

    #[test]
    fn json_is_valid_and_not_html_escaped() {
        let value = Value::from_serialize(serde_json::json!({"a": "<b>&'"}));
        let json = to_json(&value, None).expect("encodes");
        assert_eq!(json.as_str(), Some(r#"{"a":"<b>&'"}"#));
        let pretty = to_json(&value, Some(true)).expect("encodes");
        assert_eq!(pretty.as_str(), Some("{\n  \"a\": \"<b>&'\"\n}"));
    }

    #[test]
    fn quoted_text_reads_the_same_in_yaml_and_json() {
        for text in
            ["plain", "a \"quote\" and \\ back", "tab\tnew\nline", "\u{85}\u{2028}\u{feff}\u{7f}\u{1}", "yes", "ü ✓"]
        {
            let quoted = quote(&Value::from(text)).expect("quotes");
            let json: String = serde_json::from_str(&quoted).expect("valid JSON");
            let yaml: String = serde_yaml::from_str(&quoted).expect("valid YAML");
            assert_eq!((json.as_str(), yaml.as_str()), (text, text), "{quoted}");
        }
        assert_eq!(quote(&Value::from(3)).expect("quotes"), "\"3\"");
        assert!(quote(&Value::UNDEFINED).is_err());
        assert!(slug(&Value::UNDEFINED).is_err());
        assert!(to_yaml(&Value::UNDEFINED).is_err());
    }

    #[test]
    fn slugs_are_dns_labels() {
        let cases = [
            ("Payments API".to_owned(), "payments-api".to_owned()),
            ("--a__b--".to_owned(), "a-b".to_owned()),
            ("Ünïcode é".to_owned(), "n-code".to_owned()),
            ("x".repeat(70), "x".repeat(63)),
            (format!("{}-b", "a".repeat(62)), "a".repeat(62)),
        ];
        for (text, expected) in cases {
            assert_eq!(slug(&Value::from(text.as_str())).expect("a slug"), expected, "{text}");
        }
        assert!(slug(&Value::from("--")).is_err());
    }

    #[test]
    fn indent_is_jinja_s_and_bounded() {
        assert_eq!(indent("a\n\nb", Some(Value::from(2)), None, None).expect("indents"), "a\n\n  b");
        assert_eq!(indent("a\nb", None, Some(true), None).expect("indents"), "    a\n    b");
        assert_eq!(indent("a\n\nb", Some(Value::from("> ")), None, Some(true)).expect("indents"), "a\n> \n> b");
        assert!(indent("a", Some(Value::from(100_000_000)), None, None).is_err());
    }
}
