//! Reading what a rule evaluated to: conftest's results are a set of messages, or of objects
//! with `msg` and, in cairn, an optional `field` and `entity`. An `entity` is the text
//! `Blueprint:identifier`, split at its first `:`, or, for a blueprint whose identifier holds a
//! `:` (Port allows one), the mapping `{"blueprint": …, "identifier": …}`, as waivers name it.

use cairn_model::EntityRef;
use regorus::Value;

/// One result of a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RuleResult {
    pub msg: String,
    /// A dotted path into the entity, such as `properties.tier`.
    pub field: Option<String>,
    /// The entity, for results of catalog rules.
    pub entity: Option<EntityRef>,
}

/// The results of a rule's value, or why the value is not results.
pub(crate) fn read_results(value: &Value) -> Result<Vec<RuleResult>, String> {
    let items: Vec<&Value> = match value {
        Value::Undefined | Value::Null => return Ok(Vec::new()),
        Value::Set(set) => set.iter().collect(),
        Value::Array(items) => items.iter().collect(),
        other => return Err(format!("is {} (`{}`), not a set of results", kind(other), short(other))),
    };
    items.into_iter().map(read_result).collect()
}

fn read_result(item: &Value) -> Result<RuleResult, String> {
    match item {
        Value::String(msg) => Ok(RuleResult { msg: msg.to_string(), field: None, entity: None }),
        Value::Object(object) => {
            let text = |key: &str| -> Result<Option<String>, String> {
                match object.get(&Value::from(key)) {
                    None | Some(Value::Null | Value::Undefined) => Ok(None),
                    Some(Value::String(text)) => Ok(Some(text.to_string())),
                    Some(other) => {
                        Err(format!("has a result whose `{key}` is {} (`{}`), not text", kind(other), short(other)))
                    }
                }
            };
            let Some(msg) = text("msg")? else {
                return Err(format!("has a result without `msg`: `{}`", short(item)));
            };
            let entity = match object.get(&Value::from("entity")) {
                Some(mapping @ Value::Object(_)) => Some(entity_mapping(mapping)?),
                _ => text("entity")?
                    .map(|text| EntityRef::parse(&text))
                    .transpose()
                    .map_err(|error| format!("has a result whose `entity` is not an entity: {error}"))?,
            };
            Ok(RuleResult { msg, field: text("field")?, entity })
        }
        other => Err(format!(
            "has a result that is {} (`{}`), not a message or an object with `msg`",
            kind(other),
            short(other)
        )),
    }
}

/// An entity named by the mapping `{"blueprint": …, "identifier": …}`: both parts whole, so a
/// `:` in either is read as written.
fn entity_mapping(value: &Value) -> Result<EntityRef, String> {
    let part = |key: &str| match &value[&Value::from(key)] {
        Value::String(text) if !text.is_empty() => Ok(text.to_string()),
        _ => Err(format!(
            "has a result whose `entity` is a mapping without a non-empty text `{key}`: `{}`",
            short(value)
        )),
    };
    Ok(EntityRef::new(part("blueprint")?, part("identifier")?))
}

/// The names an `exception` rule excludes: strings, or lists of strings as conftest writes them.
pub(crate) fn exception_names(value: &Value) -> Result<Vec<String>, String> {
    let items: Vec<&Value> = match value {
        Value::Undefined | Value::Null => return Ok(Vec::new()),
        Value::Set(set) => set.iter().collect(),
        Value::Array(items) => items.iter().collect(),
        other => return Err(format!("is {} (`{}`), not a set of rule names", kind(other), short(other))),
    };
    let mut names = Vec::new();
    for item in items {
        match item {
            Value::String(name) => names.push(name.to_string()),
            Value::Array(inner) => {
                for name in inner.iter() {
                    match name {
                        Value::String(name) => names.push(name.to_string()),
                        other => {
                            return Err(format!("names a rule with {} (`{}`), not text", kind(other), short(other)));
                        }
                    }
                }
            }
            other => return Err(format!("names a rule with {} (`{}`), not text", kind(other), short(other))),
        }
    }
    Ok(names)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Set(_) => "a set",
        Value::Object(_) => "an object",
        Value::Undefined => "undefined",
    }
}

/// A value as JSON, cut short for messages.
fn short(value: &Value) -> String {
    let text = value.to_json_str().unwrap_or_else(|_| "…".to_owned());
    if text.chars().count() > 80 { format!("{}…", text.chars().take(80).collect::<String>()) } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(json: &str) -> Value {
        Value::from_json_str(json).expect("test JSON")
    }

    #[test]
    fn reads_strings_and_objects() {
        let results = read_results(&value(r#"["plain", {"msg": "m", "field": "properties.tier"}]"#)).expect("results");
        assert_eq!(results[0], RuleResult { msg: "plain".into(), field: None, entity: None });
        assert_eq!(results[1].field.as_deref(), Some("properties.tier"));
    }

    #[test]
    fn reads_an_entity_as_text_or_as_a_mapping() {
        let results = read_results(&value(
            r#"[{"msg": "a", "entity": "Bucket:arn:aws:s3:::b"},
                {"msg": "b", "entity": {"blueprint": "gitlab:project", "identifier": "group:repo"}}]"#,
        ))
        .expect("results");
        let named: Vec<(&str, &str)> = results
            .iter()
            .map(|result| result.entity.as_ref().expect("an entity"))
            .map(|entity| (entity.kind(), entity.name()))
            .collect();
        // The text splits at its first `:`; the mapping keeps a `:` in the blueprint.
        assert_eq!(named, [("Bucket", "arn:aws:s3:::b"), ("gitlab:project", "group:repo")]);
        let error = read_results(&value(r#"[{"msg": "c", "entity": {"blueprint": "Service"}}]"#)).expect_err("no id");
        assert!(error.contains("without a non-empty text `identifier`"), "{error}");
    }

    #[test]
    fn rejects_other_shapes() {
        assert_eq!(read_results(&value("3")).expect_err("a number"), "is a number (`3`), not a set of results");
        assert!(read_results(&value(r#"[{"message": "x"}]"#)).expect_err("no msg").contains("without `msg`"));
        assert!(read_results(&value(r#"[{"msg": 1}]"#)).expect_err("msg not text").contains("`msg` is a number"));
        assert!(read_results(&value("[true]")).expect_err("a boolean").contains("a boolean"));
    }

    #[test]
    fn reads_conftest_exceptions() {
        let names = exception_names(&value(r#"[["tier", "oncall"], "runbook"]"#)).expect("names");
        assert_eq!(names, ["tier", "oncall", "runbook"]);
    }
}
