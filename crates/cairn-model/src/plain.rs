//! serde's error texts ("invalid type: string \"yes\", expected a boolean") said in plain words
//! that name the field, as a Port user reads them: "`relations.team.required` is the text `yes`,
//! not `true` or `false`".
//!
//! serde builds these texts from a few fixed templates (`serde::de::Error`'s provided methods:
//! `invalid_type`, `invalid_value`, `invalid_length`, `unknown_variant`, `unknown_field`,
//! `missing_field`), so each template is recognised by its opening words; any other text is
//! kept as serde wrote it, after the field's name.

/// `message` (a serde error's text) for the value at `path` (dot-separated keys; empty for the
/// document itself) in plain words.
#[must_use]
pub fn serde_message(path: &str, message: &str) -> String {
    let field = if path.is_empty() { "the blueprint".to_owned() } else { format!("`{path}`") };
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!("{field} is {}, not {}", found_words(found), expected_words(expected));
    }
    if let Some(rest) = message.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!("{field} is {}, not {}", found_words(found), expected_words(expected));
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("{field} has no {rest}, which it needs");
    }
    if let Some(rest) = message.strip_prefix("unknown field ")
        && let Some((name, expected)) = rest.split_once(", expected ")
    {
        return format!("{field} has the key {name}, which Port does not have here; the keys are {}", one_of(expected));
    }
    if let Some(rest) = message.strip_prefix("unknown variant ")
        && let Some((name, expected)) = rest.split_once(", expected ")
    {
        return format!("{field} is {name}, which is not one of {}", one_of(expected));
    }
    format!("{field}: {message}")
}

/// serde's `Unexpected` (`string "yes"`, `integer `5``, `map`, …) as "the text `yes`", …
fn found_words(found: &str) -> String {
    if let Some(text) = found.strip_prefix("string \"").and_then(|rest| rest.strip_suffix('"')) {
        return format!("the text `{text}`");
    }
    for (serde, words) in
        [("integer ", "the number "), ("floating point ", "the number "), ("boolean ", "the boolean ")]
    {
        if let Some(value) = found.strip_prefix(serde) {
            return format!("{words}{value}");
        }
    }
    match found {
        "map" => "a mapping".to_owned(),
        "sequence" => "a list".to_owned(),
        "unit value" | "null" => "`null`".to_owned(),
        other => other.to_owned(),
    }
}

/// What serde expected (`a boolean`, `a string`, `a map`, `struct RelationDecl`) as Port's
/// words.
fn expected_words(expected: &str) -> String {
    match expected {
        "a boolean" => "`true` or `false`".to_owned(),
        "a string" => "a text".to_owned(),
        "a map" => "a mapping".to_owned(),
        "a sequence" => "a list".to_owned(),
        other if other.starts_with("struct ") => "a mapping".to_owned(),
        "internally tagged enum Ownership" => "a mapping with `type: Direct` or `type: Inherited`".to_owned(),
        other => other.to_owned(),
    }
}

/// serde's "one of `a`, `b`" or "`a` or `b`" lists, as written.
fn one_of(expected: &str) -> String {
    expected.strip_prefix("one of ").unwrap_or(expected).to_owned()
}

#[cfg(test)]
mod tests {
    use super::serde_message;

    #[test]
    fn each_serde_template_is_said_in_plain_words() {
        let cases = [
            (
                "relations.team.required",
                "invalid type: string \"yes\", expected a boolean",
                "`relations.team.required` is the text `yes`, not `true` or `false`",
            ),
            (
                "relations.team.target",
                "invalid type: integer `5`, expected a string",
                "`relations.team.target` is the number `5`, not a text",
            ),
            (
                "relations.team",
                "invalid type: sequence, expected struct RelationDecl",
                "`relations.team` is a list, not a mapping",
            ),
            ("schema.required", "invalid type: map, expected a sequence", "`schema.required` is a mapping, not a list"),
            ("", "missing field `identifier`", "the blueprint has no `identifier`, which it needs"),
            (
                "relations.team",
                "unknown field `targt`, expected one of `target`, `title`, `description`, `required`, `many`",
                "`relations.team` has the key `targt`, which Port does not have here; the keys are `target`, `title`, `description`, `required`, `many`",
            ),
            (
                "ownership",
                "unknown variant `Indirect`, expected `Direct` or `Inherited`",
                "`ownership` is `Indirect`, which is not one of `Direct` or `Inherited`",
            ),
            ("title", "something new", "`title`: something new"),
        ];
        for (path, serde, plain) in cases {
            assert_eq!(serde_message(path, serde), plain, "{serde}");
        }
    }
}
