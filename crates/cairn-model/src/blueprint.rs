//! Blueprints in Port's format: an identifier, a JSON Schema for the entity's properties, and
//! typed relations. Port-only keys (`mirrorProperties`, `ownership`, …) are accepted and kept.

use std::collections::BTreeMap;
use std::sync::Arc;

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, EntityRef, SourceFile};
use cairn_syntax::Node;
use serde::Deserialize;

use crate::identifier::check_blueprint_identifier;

/// The keys a blueprint may have: cairn's own, then Port's that cairn keeps without using.
const KNOWN_KEYS: &[&str] = &[
    "identifier",
    "title",
    "icon",
    "description",
    "schema",
    "relations",
    "ownership",
    "mirrorProperties",
    "formulaProperties",
    "calculationProperties",
    "aggregationProperties",
    "teamInheritance",
    "changelogDestination",
    // Read by cairn-scorecards: the blueprint's scorecards, as Port's export can nest them.
    "scorecards",
];

/// A relation a blueprint declares: entities of this blueprint point at entities of `target`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationDecl {
    pub target: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub many: bool,
}

/// Who owns an entity of the blueprint: its own `team`, or the team of a related entity.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
pub enum Ownership {
    Direct {
        #[serde(default)]
        title: Option<String>,
    },
    Inherited {
        path: String,
        #[serde(default)]
        title: Option<String>,
    },
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BlueprintDoc {
    identifier: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    icon: Option<String>,
    #[serde(default)]
    schema: SchemaDoc,
    #[serde(default)]
    relations: BTreeMap<String, RelationDecl>,
    #[serde(default)]
    ownership: Option<Ownership>,
}

#[derive(Debug, Default, Deserialize)]
struct SchemaDoc {
    #[serde(default)]
    properties: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    required: Vec<String>,
}

/// A blueprint, as declared in the platform repository or in cairn's bundled library.
#[derive(Clone, Debug)]
pub struct Blueprint {
    pub identifier: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub icon: Option<String>,
    /// The `schema` as written: `properties` and `required`, plus any other JSON Schema keyword.
    pub schema: serde_json::Value,
    /// The names of the declared properties, in the order written.
    pub properties: Vec<String>,
    pub relations: BTreeMap<String, RelationDecl>,
    pub ownership: Option<Ownership>,
    /// The file it was declared in, and its parsed document, for locating findings.
    pub file: Arc<SourceFile>,
    pub node: Node,
}

impl Blueprint {
    /// The span of the value at `path` (keys from the document root), or of the nearest parent
    /// that exists, so that a finding always lands as close as possible to its cause.
    #[must_use]
    pub fn span_of(&self, path: &[&str]) -> ByteSpan {
        span_of(&self.node, path)
    }

    /// The declared properties that have a `default`, with it, in the order written. Port
    /// gives a property its default when an entity is created without a value for it (the
    /// `default` row of the table on
    /// https://docs.port.io/build-your-software-catalog/customize-integrations/configure-data-model/setup-blueprint/properties/),
    /// so a default is what the entity holds in Port.
    pub fn defaults(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> {
        let properties = self.schema.get("properties").and_then(serde_json::Value::as_object);
        self.properties.iter().filter_map(move |name| {
            let default = properties?.get(name)?.get("default")?;
            Some((name.as_str(), default))
        })
    }
}

/// The span at `path` in `node`, or the nearest existing ancestor's.
#[must_use]
pub fn span_of(node: &Node, path: &[&str]) -> ByteSpan {
    (0..=path.len()).rev().find_map(|len| node.at_path(path[..len].iter().copied())).map_or(node.span, |n| n.span)
}

/// Reads one blueprint document. Never fails: a blueprint that cannot be read yields `None`
/// and the findings that say why.
#[must_use]
pub fn read_blueprint(file: &Arc<SourceFile>, node: Node) -> (Option<Blueprint>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    for entry in node.as_mapping().unwrap_or_default() {
        if !KNOWN_KEYS.contains(&entry.key.as_str()) {
            diagnostics.push(
                Diagnostic::new(Code::UnknownBlueprintKey, format!("unknown blueprint key `{}`", entry.key))
                    .at_span(file, entry.key_span)
                    .with_help(format!("a blueprint has the keys {}", backticked(KNOWN_KEYS))),
            );
        }
    }
    let json = node.to_json();
    let doc: BlueprintDoc = match serde_path_to_error::deserialize(&json) {
        Ok(doc) => doc,
        Err(error) => {
            let path = error.path().to_string();
            let segments: Vec<&str> = if path == "." { Vec::new() } else { path.split('.').collect() };
            let span = span_of(&node, &segments);
            let message = crate::plain::serde_message(&segments.join("."), &error.into_inner().to_string());
            diagnostics.push(
                Diagnostic::new(Code::InvalidBlueprint, format!("invalid blueprint: {message}"))
                    .at_span(file, span)
                    .with_help("a blueprint has `identifier`, `schema: {properties, required}` and `relations: {name: {target, required, many}}`"),
            );
            return (None, diagnostics);
        }
    };
    if let Some(problem) = check_blueprint_identifier(&doc.identifier) {
        let span = span_of(&node, &["identifier"]);
        diagnostics.push(
            Diagnostic::new(
                Code::InvalidBlueprintIdentifier,
                format!("the blueprint identifier `{}` {problem}", doc.identifier),
            )
            .at_span(file, span)
            .with_help(crate::identifier::BLUEPRINT_RULE),
        );
    }
    let schema = json.get("schema").cloned().unwrap_or_else(|| serde_json::json!({}));
    let properties = doc.schema.properties.keys().cloned().collect();
    // Required names must be declared: a typo in `required` would otherwise demand a property
    // that no entity can validly set.
    for (index, name) in doc.schema.required.iter().enumerate() {
        if !doc.schema.properties.contains_key(name) {
            let index = index.to_string();
            diagnostics.push(
                Diagnostic::new(
                    Code::InvalidSchema,
                    format!("`{name}` is required but not declared in `schema.properties`"),
                )
                .at_span(file, span_of(&node, &["schema", "required", &index]))
                .with_entity(EntityRef::new("blueprint", &doc.identifier))
                .with_help("declare the property or remove it from `required`"),
            );
        }
    }
    let blueprint = Blueprint {
        identifier: doc.identifier,
        title: doc.title,
        description: doc.description,
        icon: doc.icon,
        schema,
        properties,
        relations: doc.relations,
        ownership: doc.ownership,
        file: Arc::clone(file),
        node,
    };
    (Some(blueprint), diagnostics)
}

pub(crate) fn backticked(names: &[&str]) -> String {
    names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Limits, parse_file};

    fn read(text: &str) -> (Option<Blueprint>, Vec<Diagnostic>) {
        let mut parsed = parse_file("blueprints/b.yaml", text.as_bytes(), &Limits::default());
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        read_blueprint(&parsed.file, parsed.documents.remove(0))
    }

    #[test]
    fn reads_relations_with_port_defaults() {
        let (blueprint, diagnostics) = read(
            "identifier: Service\nicon: Cloud\nschema: {properties: {tier: {type: string}}}\nrelations:\n  system: {target: System}\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let blueprint = blueprint.expect("read");
        let system = &blueprint.relations["system"];
        assert!(!system.required && !system.many);
        assert_eq!(blueprint.properties, ["tier"]);
    }

    #[test]
    fn a_wrong_type_is_located_at_the_value() {
        let (blueprint, diagnostics) =
            read("identifier: Service\nrelations:\n  system:\n    target: System\n    many: often\n");
        assert!(blueprint.is_none());
        let location = diagnostics[0].location.as_ref().expect("located");
        assert_eq!((location.start.line, location.start.column), (5, 11));
    }

    #[test]
    fn unknown_keys_are_warnings_and_required_names_must_be_declared() {
        let (blueprint, diagnostics) = read("identifier: S\ncolour: red\nschema: {properties: {}, required: [tier]}\n");
        assert!(blueprint.is_some());
        let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::UnknownBlueprintKey, Code::InvalidSchema]);
    }
}
