//! JSON Schema's findings in plain words: what the field holds, what its schema allows, named
//! with the field and the allowed values, instead of the validator's own texts (`"live" is not
//! one of …`, `"enum" is not valid under any of the schemas listed in the 'anyOf' keyword`).

use cairn_diagnostics::did_you_mean;
use cairn_model::words::{described, expected_type, show};
use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

/// Port's property types (https://docs.port.io/build-your-software-catalog/customize-integrations/configure-data-model/setup-blueprint/properties/,
/// "Supported properties": each is one of these JSON types with a `format` or other keywords).
pub(crate) const PORT_TYPES: &[&str] = &["string", "number", "boolean", "array", "object"];

/// A finding about the value at `field` (such as `properties.lifecycle`), in plain words.
#[must_use]
pub fn violation(field: &str, error: &ValidationError<'_>) -> String {
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().map_or_else(|| property.to_string(), str::to_owned);
            if field == "properties" {
                format!("the required property `{name}` is not set")
            } else {
                format!("`{field}` has no `{name}`, which its schema requires")
            }
        }
        _ => format!("`{field}` {}", reason(error)),
    }
}

/// What is wrong with the error's value, as the rest of a sentence whose subject is the field.
fn reason(error: &ValidationError<'_>) -> String {
    let value = error.instance();
    let shown = show(value);
    match error.kind() {
        ValidationErrorKind::Enum { options } => {
            format!("is {shown}, which is not one of the allowed values: {}", list(options))
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!("is {shown}, but the only allowed value is {}", show(expected_value))
        }
        ValidationErrorKind::Type { kind } => format!("is {}, not {}", described(value), expected(kind)),
        ValidationErrorKind::Format { format } => format!("is {shown}, which is not {}", format_name(format)),
        ValidationErrorKind::Minimum { limit } => format!("is {shown}, below the minimum of {}", show(limit)),
        ValidationErrorKind::Maximum { limit } => format!("is {shown}, above the maximum of {}", show(limit)),
        ValidationErrorKind::ExclusiveMinimum { limit } => format!("is {shown}, but must be above {}", show(limit)),
        ValidationErrorKind::ExclusiveMaximum { limit } => format!("is {shown}, but must be below {}", show(limit)),
        ValidationErrorKind::MultipleOf { multiple_of } => format!("is {shown}, not a multiple of `{multiple_of}`"),
        ValidationErrorKind::MinLength { limit } => {
            format!("is {shown}, {} characters long, shorter than the minimum of {limit}", length(value))
        }
        ValidationErrorKind::MaxLength { limit } => {
            format!("is {shown}, {} characters long, longer than the maximum of {limit}", length(value))
        }
        ValidationErrorKind::MinItems { limit } => {
            format!("has {} items, fewer than the minimum of {limit}", items(value))
        }
        ValidationErrorKind::MaxItems { limit } => {
            format!("has {} items, more than the maximum of {limit}", items(value))
        }
        ValidationErrorKind::UniqueItems => "has the same item twice, but its items must be unique".to_owned(),
        ValidationErrorKind::Pattern { pattern } => format!("is {shown}, which does not match the pattern `{pattern}`"),
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            let names: Vec<String> = unexpected.iter().map(|name| format!("`{name}`")).collect();
            format!("has {}, which its schema does not allow", names.join(", "))
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            // The first finding of each branch, said of the value itself or of the part of it
            // that the branch found wrong.
            let at = error.instance_path().as_str();
            let mut reasons: Vec<String> = context
                .iter()
                .filter_map(|branch| branch.first())
                .map(|inner| match inner.instance_path().as_str().strip_prefix(at) {
                    Some(rest) if !rest.is_empty() => {
                        let part: Vec<String> = crate::blueprints::pointer_segments(rest).collect();
                        format!("its `{}` {}", part.join("."), reason(inner))
                    }
                    _ => format!("it {}", reason(inner)),
                })
                .collect();
            reasons.dedup();
            format!(
                "is {shown}, which matches none of the {} shapes its schema allows: {}",
                context.len(),
                reasons.join("; or ")
            )
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            format!("is {shown}, which matches more than one of the shapes its schema allows (`oneOf` takes one)")
        }
        ValidationErrorKind::Not { .. } => format!("is {shown}, which its schema rules out"),
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().map_or_else(|| property.to_string(), str::to_owned);
            format!("has no `{name}`, which its schema requires")
        }
        _ => format!("is invalid: {error}"),
    }
}

/// A finding about a blueprint's `schema`, whose value at `field` (such as
/// `schema.properties.name.type`) is not valid JSON Schema: the message and a help.
pub(crate) fn invalid_schema(field: &str, error: &ValidationError<'_>) -> (String, String) {
    let value = error.instance();
    let json_schema = "`schema` is a JSON Schema for the entity's `properties`: see https://json-schema.org";
    let keyword = field.rsplit('.').next().unwrap_or(field);
    let types = PORT_TYPES.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ");
    match (keyword, value.as_ref(), error.kind()) {
        ("type", Value::String(name), _) => {
            let hint = if name == "enum" {
                Some("for a choice of values write `type: string` with `enum: [a, b]`".to_owned())
            } else {
                did_you_mean(name, PORT_TYPES.iter().copied()).map(|close| format!("did you mean `{close}`?"))
            };
            let help = match hint {
                Some(hint) => format!("the property types are {types}; {hint}"),
                None => format!("the property types are {types}"),
            };
            (format!("`{field}` is `{name}`, which is not a type Port has"), help)
        }
        ("pattern", Value::String(_), ValidationErrorKind::Format { .. }) => (
            format!("`{field}` is {}, which is not a valid regular expression", show(value)),
            "write an ECMA-262 regular expression, such as `^[a-z]+$`".to_owned(),
        ),
        (_, _, ValidationErrorKind::Type { kind }) => (
            format!("`{field}` is {}, but `{keyword}` takes {}", described(value), expected(kind)),
            json_schema.to_owned(),
        ),
        _ => (violation(field, error), json_schema.to_owned()),
    }
}

fn expected(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Single(single) => expected_type(&single.to_string(), true),
        TypeKind::Multiple(set) => {
            set.iter().map(|single| expected_type(&single.to_string(), true)).collect::<Vec<_>>().join(" or ")
        }
    }
}

/// What a `format` asks for, named as a reader knows it.
fn format_name(format: &str) -> String {
    match format {
        "date-time" | "timer" => "a date-time as Port accepts it, such as `2026-01-26T01:39:15Z` (RFC 3339)".to_owned(),
        "date" => "a date such as `2026-01-26`".to_owned(),
        "url" => "a URL, such as `https://example.com`".to_owned(),
        "email" => "an e-mail address".to_owned(),
        "user" => "a user's e-mail address (Port's users are identified by e-mail)".to_owned(),
        "yaml" => "text that parses as YAML".to_owned(),
        "ipv4" => "an IPv4 address such as `10.0.0.1`".to_owned(),
        "ipv6" => "an IPv6 address".to_owned(),
        "uuid" => "a UUID".to_owned(),
        "uri" => "a URI".to_owned(),
        other => format!("in the format `{other}`"),
    }
}

fn list(options: &Value) -> String {
    match options {
        Value::Array(values) => values.iter().map(show).collect::<Vec<_>>().join(", "),
        other => show(other),
    }
}

fn length(value: &Value) -> usize {
    value.as_str().map_or(0, |text| text.chars().count())
}

fn items(value: &Value) -> usize {
    value.as_array().map_or(0, Vec::len)
}
