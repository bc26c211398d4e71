//! Values in plain words, for the findings that name them: cairn-validate's (a blueprint's
//! schema) and cairn-score's (Score's schema) say what a value is and what was expected the same
//! way.

use serde_json::Value;

/// Values longer than this many characters are cut in messages.
pub const SHOWN: usize = 60;

/// A value in backticks, as JSON, a string's text unquoted; long values cut with `…`.
#[must_use]
pub fn show(value: &Value) -> String {
    let text = match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > SHOWN {
        format!("`{}…`", text.chars().take(SHOWN).collect::<String>())
    } else {
        format!("`{text}`")
    }
}

/// What a value is, for a type mismatch: `the string `3``, `the number `3``, `a list`.
#[must_use]
pub fn described(value: &Value) -> String {
    match value {
        Value::Null => "`null`".to_owned(),
        Value::Bool(_) => format!("the boolean {}", show(value)),
        Value::Number(_) => format!("the number {}", show(value)),
        Value::String(_) => format!("the string {}", show(value)),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a mapping".to_owned(),
    }
}

/// A JSON Schema type in words: `a list`, `a whole number`; with `named`, the schema's own name
/// follows in backticks (`a list (`array`)`), for readers who write that schema themselves.
#[must_use]
pub fn expected_type(name: &str, named: bool) -> String {
    let words = match name {
        "array" => "a list",
        "object" => "a mapping",
        "integer" => "a whole number",
        "null" => return "`null`".to_owned(),
        other => return format!("a {other}"),
    };
    if named { format!("{words} (`{name}`)") } else { words.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_named_in_backticks_and_cut_when_long() {
        assert_eq!(show(&json!("live")), "`live`");
        assert_eq!(show(&json!(3)), "`3`");
        assert_eq!(show(&json!("x".repeat(61))), format!("`{}…`", "x".repeat(60)));
        assert_eq!(described(&json!("3")), "the string `3`");
        assert_eq!(described(&json!([1])), "a list");
    }

    #[test]
    fn types_are_named_in_words_and_optionally_by_the_schema_name() {
        assert_eq!(expected_type("array", false), "a list");
        assert_eq!(expected_type("array", true), "a list (`array`)");
        assert_eq!(expected_type("string", true), "a string");
        assert_eq!(expected_type("null", true), "`null`");
    }
}
