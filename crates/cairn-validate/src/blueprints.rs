//! Blueprint checks, and the compiled JSON Schema validator of each blueprint (one per
//! blueprint, built once and shared by every entity).

use std::collections::HashMap;

use cairn_diagnostics::{Code, Diagnostic, did_you_mean};
use cairn_model::{Blueprint, Catalog};

use crate::formats::{is_date_time, is_url};

/// The compiled validator of each blueprint whose schema compiles, and the properties whose
/// values name teams.
#[derive(Debug, Default)]
pub struct Schemas {
    validators: HashMap<String, jsonschema::Validator>,
    team_properties: HashMap<String, Vec<String>>,
    date_time_properties: HashMap<String, Vec<String>>,
}

impl Schemas {
    /// The validator of `blueprint`; `None` when its schema did not compile (already a finding).
    #[must_use]
    pub fn validator(&self, blueprint: &str) -> Option<&jsonschema::Validator> {
        self.validators.get(blueprint)
    }

    /// The top-level properties of `blueprint` declared with Port's `format: team`.
    #[must_use]
    pub fn team_properties(&self, blueprint: &str) -> &[String] {
        self.team_properties.get(blueprint).map_or(&[], Vec::as_slice)
    }

    /// The top-level properties of `blueprint` holding date-times (`format: date-time` or
    /// `timer`), alone or as the items of an array.
    #[must_use]
    pub fn date_time_properties(&self, blueprint: &str) -> &[String] {
        self.date_time_properties.get(blueprint).map_or(&[], Vec::as_slice)
    }
}

/// The JSON Schema options blueprints are compiled with: formats validated, Port's own formats
/// (`url`, `date-time`, `timer`, `user`, `yaml`, `team`, `markdown`, `proto`) checked as cairn
/// checks them. Public so that schemas that follow blueprint properties' structure (an action's
/// `userInputs`) are read the same way.
#[must_use]
pub fn schema_options() -> jsonschema::ValidationOptions<'static> {
    jsonschema::options()
        .should_validate_formats(true)
        .with_format("url", is_url)
        .with_format("date-time", is_date_time)
        .with_format("timer", is_date_time)
        .with_format("user", |text: &str| text.contains('@') && !text.contains(char::is_whitespace))
        .with_format("yaml", cairn_model::is_valid_yaml)
        .with_format("team", |_: &str| true)
        .with_format("markdown", |_: &str| true)
        .with_format("proto", |_: &str| true)
}

/// Checks every blueprint of the catalog and compiles its schema.
#[must_use]
pub fn compile_schemas(catalog: &Catalog) -> (Schemas, Vec<Diagnostic>) {
    let mut schemas = Schemas::default();
    let mut diagnostics = Vec::new();
    let options = schema_options();
    for blueprint in catalog.blueprints.values() {
        check_relations(catalog, blueprint, &mut diagnostics);
        let mut schema = blueprint.schema.clone();
        if let Some(object) = schema.as_object_mut() {
            object.entry("type").or_insert_with(|| "object".into());
        }
        match options.build(&schema) {
            Ok(validator) => {
                schemas.validators.insert(blueprint.identifier.clone(), validator);
            }
            Err(error) => {
                let mut path = vec!["schema".to_owned()];
                path.extend(pointer_segments(error.instance_path().as_str()));
                let (message, help) = crate::messages::invalid_schema(&path.join("."), &error);
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                diagnostics.push(
                    Diagnostic::new(
                        Code::InvalidSchema,
                        format!("the schema of blueprint `{}` is invalid: {message}", blueprint.identifier),
                    )
                    .at_span(&blueprint.file, blueprint.span_of(&path))
                    .with_help(help),
                );
            }
        }
        let team_properties = blueprint
            .schema
            .get("properties")
            .and_then(serde_json::Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, property)| property.get("format").and_then(serde_json::Value::as_str) == Some("team"))
            .map(|(name, _)| name.clone())
            .collect::<Vec<_>>();
        if !team_properties.is_empty() {
            schemas.team_properties.insert(blueprint.identifier.clone(), team_properties);
        }
        let date_time_properties = blueprint
            .schema
            .get("properties")
            .and_then(serde_json::Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, property)| {
                let format = property_format(property).or_else(|| property.get("items").and_then(property_format));
                matches!(format, Some("date-time" | "timer"))
            })
            .map(|(name, _)| name.clone())
            .collect::<Vec<_>>();
        if !date_time_properties.is_empty() {
            schemas.date_time_properties.insert(blueprint.identifier.clone(), date_time_properties);
        }
    }
    (schemas, diagnostics)
}

fn property_format(schema: &serde_json::Value) -> Option<&str> {
    schema.get("format").and_then(serde_json::Value::as_str)
}

fn check_relations(catalog: &Catalog, blueprint: &Blueprint, diagnostics: &mut Vec<Diagnostic>) {
    for (name, relation) in &blueprint.relations {
        if catalog.blueprints.contains_key(&relation.target) {
            continue;
        }
        let mut diagnostic = Diagnostic::new(
            Code::UnknownRelationTarget,
            format!(
                "relation `{name}` of blueprint `{}` targets `{}`, which is not a blueprint",
                blueprint.identifier, relation.target
            ),
        )
        .at_span(&blueprint.file, blueprint.span_of(&["relations", name, "target"]));
        diagnostic = match did_you_mean(&relation.target, catalog.blueprints.keys().map(String::as_str)) {
            Some(close) => diagnostic.with_help(format!("did you mean `{close}`?")),
            None => {
                diagnostic.with_help(format!("declare a blueprint `{}` or target an existing one", relation.target))
            }
        };
        diagnostics.push(diagnostic);
    }
}

/// The segments of a JSON pointer (`/a/b~1c` is `a`, `b/c`).
pub(crate) fn pointer_segments(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer.split('/').skip(1).map(|segment| segment.replace("~1", "/").replace("~0", "~"))
}
