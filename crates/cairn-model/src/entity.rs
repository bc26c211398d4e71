//! Entities in Port's shape: `identifier`, `title`, `blueprint`, `team`, `icon`, `properties`
//! and `relations`, read from a parsed document with the spans of each part.

use std::sync::Arc;

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, EntityRef, Location, SourceFile};

use crate::blueprint::backticked;
use cairn_syntax::{Node, Value};

const KNOWN_KEYS: &[&str] = &["identifier", "title", "blueprint", "team", "icon", "properties", "relations"];

/// The fields Port's API adds to every entity it returns, so that an entity exported from Port
/// carries them: Port sets them itself and ignores them on the way in, and so does cairn, without
/// a warning. They are the meta-properties `$createdAt`, `$createdBy`, `$updatedAt` and
/// `$updatedBy` of <https://docs.port.io/build-your-software-catalog/customize-integrations/configure-data-model/setup-blueprint/properties/meta-properties/>
/// ("value is set upon creation and never changes" / "is updated automatically"), which the API
/// returns without the `$`.
const PORT_META_KEYS: &[&str] = &["createdAt", "createdBy", "updatedAt", "updatedBy"];

/// A text value and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: ByteSpan,
}

/// A relation an entity sets: its name and its value, which the blueprint's `many` says should
/// be one identifier or a list of them.
#[derive(Clone, Debug)]
pub struct RelationValue {
    pub name: String,
    pub name_span: ByteSpan,
    pub value: Node,
}

impl RelationValue {
    /// The identifiers named, whatever the shape; items that are not text are left out here and
    /// reported by validation.
    pub fn targets(&self) -> impl Iterator<Item = Spanned<&str>> {
        let items: &[Node] = match &self.value.value {
            Value::Sequence(items) => items,
            _ => std::slice::from_ref(&self.value),
        };
        items.iter().filter_map(|node| node.as_str().map(|value| Spanned { value, span: node.span }))
    }

    /// The value when it is a search query (a mapping with `combinator` or `rules`), which Port's
    /// API accepts in place of identifiers ("You can also use a search query to define relations
    /// based on a property of the related entity", `relations` of
    /// <https://docs.port.io/api-reference/create-an-entity>). cairn-compute resolves it.
    #[must_use]
    pub fn query(&self) -> Option<&Node> {
        let query = self.value.get("combinator").is_some() || self.value.get("rules").is_some();
        query.then_some(&self.value)
    }
}

/// One entity of the catalog.
#[derive(Clone, Debug)]
pub struct Entity {
    pub identifier: Spanned<String>,
    /// The blueprint named, or, where the folder implies it, the implied one spanning the
    /// document's start.
    pub blueprint: Spanned<String>,
    pub title: Option<String>,
    pub icon: Option<String>,
    /// Owning teams: Port accepts one team or a list.
    pub teams: Vec<Spanned<String>>,
    /// The `properties` mapping, if present.
    pub properties: Option<Node>,
    pub relations: Vec<RelationValue>,
    pub file: Arc<SourceFile>,
    /// The span of the whole document, for findings about the entity as a whole.
    pub span: ByteSpan,
    /// The spans of the top-level keys written (`team`, `properties`, …), for findings about
    /// something missing under one of them.
    pub key_spans: Vec<(&'static str, ByteSpan)>,
    /// The owning teams the entity inherits when its blueprint's ownership is `Inherited`, set
    /// when the catalog is built (`Catalog::build`). `None` when its blueprint's ownership is
    /// direct: its own `team`.
    pub inherited: Option<InheritedTeams>,
}

/// Owning teams inherited through a blueprint's `ownership: {type: Inherited, path}`: the
/// owners of the entities the path of relations leads to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InheritedTeams {
    /// Sorted, each once.
    pub teams: Vec<String>,
    /// The relation the path starts with, where a finding about these teams is placed.
    pub through: String,
}

impl Entity {
    /// The entity's name: its blueprint and identifier.
    #[must_use]
    pub fn reference(&self) -> EntityRef {
        EntityRef::new(&self.blueprint.value, &self.identifier.value)
    }

    /// The span of the top-level key `key` (such as `properties`), if it is written.
    #[must_use]
    pub fn key_span(&self, key: &str) -> Option<ByteSpan> {
        self.key_spans.iter().find(|(name, _)| *name == key).map(|(_, span)| *span)
    }

    /// The entity's owning teams as Port has them: the inherited ones when its blueprint inherits
    /// ownership, else the teams written in `team`. Everything that asks who owns an entity
    /// (policies, waivers, plans, scorecards, templates) reads this; checking what is written
    /// (that each `team` is a `_team` entity) reads `teams`.
    pub fn owners(&self) -> impl Iterator<Item = &str> {
        let (inherited, written) = match &self.inherited {
            Some(inherited) => (inherited.teams.as_slice(), &[][..]),
            None => (&[][..], self.teams.as_slice()),
        };
        inherited.iter().map(String::as_str).chain(written.iter().map(|team| team.value.as_str()))
    }

    /// `owners`, collected.
    #[must_use]
    pub fn owner_list(&self) -> Vec<String> {
        self.owners().map(str::to_owned).collect()
    }

    /// Where `field` (a dotted path in the neutral entity's terms: `identifier`, `blueprint`,
    /// `team`, `properties.tier`, `relations.system`) is written in the entity's file: the field
    /// itself, or its nearest written parent (the key when that is a top-level key, else its
    /// value), or the whole entity. This is the one lookup from a field to its source span, for
    /// findings that name a field (a policy result's `field`); the reader keeps every span it
    /// needs for it. Inherited owners are not written here: `team` of an entity that inherits
    /// them lands on the relation its ownership path starts with, when that is written.
    #[must_use]
    pub fn field_location(&self, field: Option<&str>) -> Location {
        let whole = Location::new(&self.file, self.span);
        let Some(field) = field else { return whole };
        let parts: Vec<&str> = field.split('.').filter(|part| !part.is_empty()).collect();
        let key_or_entity = |key: &str| self.key_span(key).unwrap_or(self.span);
        let nested = |node: &Node, key: &str, rest: &[&str]| match rest.first() {
            Some(first) if node.get(first).is_none() => key_or_entity(key),
            _ => crate::blueprint::span_of(node, rest),
        };
        let relation = |name: &str| self.relations.iter().find(|relation| relation.name == name);
        let span = match parts.as_slice() {
            ["identifier", ..] => self.identifier.span,
            ["blueprint", ..] => self.blueprint.span,
            ["team", ..] if self.inherited.is_some() => {
                let through = self.inherited.as_ref().and_then(|inherited| relation(&inherited.through));
                through.map_or_else(|| key_or_entity("relations"), |relation| relation.value.span)
            }
            ["team", rest @ ..] => {
                let index = rest.first().and_then(|index| index.parse::<usize>().ok()).unwrap_or(0);
                self.teams.get(index).or(self.teams.first()).map_or_else(|| key_or_entity("team"), |team| team.span)
            }
            ["properties", rest @ ..] => match &self.properties {
                Some(properties) => nested(properties, "properties", rest),
                None => key_or_entity("properties"),
            },
            ["relations", name, rest @ ..] => match relation(name) {
                Some(relation) => crate::blueprint::span_of(&relation.value, rest),
                None => key_or_entity("relations"),
            },
            [key, ..] => key_or_entity(key),
            [] => self.span,
        };
        Location::new(&self.file, span)
    }

    /// The span of a property's value, or of `properties`, or of the entity.
    #[must_use]
    pub fn property_span(&self, path: &[&str]) -> ByteSpan {
        self.properties.as_ref().map_or(self.span, |properties| crate::blueprint::span_of(properties, path))
    }
}

/// Reads one entity document. `implied_blueprint` is the blueprint the folder implies (as
/// `environments/` implies `Environment`), if any. Never fails: an entity that cannot be read
/// yields `None` and the findings that say why.
#[must_use]
pub fn read_entity(
    file: &Arc<SourceFile>,
    node: Node,
    implied_blueprint: Option<&str>,
) -> (Option<Entity>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let span = node.span;
    let Value::Mapping(entries) = node.value else {
        return (None, diagnostics);
    };
    let mut reader = Reader { file, diagnostics: &mut diagnostics };
    // Take each known key's value out of the document, so nothing is copied.
    let mut fields: [Option<Node>; KNOWN_KEYS.len()] = Default::default();
    let mut key_spans = Vec::new();
    for entry in entries {
        match KNOWN_KEYS.iter().position(|key| *key == entry.key) {
            Some(index) => {
                key_spans.push((KNOWN_KEYS[index], entry.key_span));
                fields[index] = Some(entry.value);
            }
            None if PORT_META_KEYS.contains(&entry.key.as_str()) => {}
            None => reader.diagnostics.push(
                Diagnostic::new(Code::UnknownEntityKey, format!("unknown entity key `{}`", entry.key))
                    .at_span(file, entry.key_span)
                    .with_help(format!(
                        "an entity has the keys {}; properties go under `properties:`",
                        backticked(KNOWN_KEYS)
                    )),
            ),
        }
    }
    let [identifier, title, blueprint, team, icon, properties, relations] = fields;
    let identifier = reader.required_text("identifier", identifier, span);
    let blueprint = match (blueprint, implied_blueprint) {
        (None, Some(implied)) => Some(Spanned { value: implied.to_owned(), span: ByteSpan::at(span.start) }),
        (blueprint, _) => reader.required_text("blueprint", blueprint, span),
    };
    let title = reader.optional_text("title", title);
    let icon = reader.optional_text("icon", icon);
    let teams = team.map(|team| reader.teams(team)).unwrap_or_default();
    let properties = reader.mapping("properties", properties);
    let relations = match reader.mapping("relations", relations).map(|node| node.value) {
        Some(Value::Mapping(entries)) => entries
            .into_iter()
            .map(|entry| RelationValue { name: entry.key, name_span: entry.key_span, value: entry.value })
            .collect(),
        _ => Vec::new(),
    };
    let (Some(identifier), Some(blueprint)) = (identifier, blueprint) else {
        return (None, diagnostics);
    };
    let entity = Entity {
        identifier,
        blueprint,
        title,
        icon,
        teams,
        properties,
        relations,
        file: Arc::clone(file),
        span,
        key_spans,
        inherited: None,
    };
    (Some(entity), diagnostics)
}

struct Reader<'a> {
    file: &'a SourceFile,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn wrong_type(&mut self, key: &str, node: &Node, expected: &str) {
        let mut diagnostic =
            Diagnostic::new(Code::InvalidEntity, format!("`{key}` is {}, not {expected}", node.type_name()))
                .at_span(self.file, node.span);
        if matches!(node.value, Value::Number(_) | Value::Bool(_)) {
            diagnostic = diagnostic.with_help(format!("quote the value to make it text: {key}: \"…\""));
        }
        self.diagnostics.push(diagnostic);
    }

    fn required_text(&mut self, key: &str, value: Option<Node>, entity: ByteSpan) -> Option<Spanned<String>> {
        let Some(value) = value else {
            self.diagnostics.push(
                Diagnostic::new(Code::InvalidEntity, format!("the entity has no `{key}`"))
                    .at_span(self.file, ByteSpan::at(entity.start))
                    .with_help(format!("add `{key}:` to the entity")),
            );
            return None;
        };
        if let Value::String(text) = value.value {
            Some(Spanned { value: text, span: value.span })
        } else {
            self.wrong_type(key, &value, "text");
            None
        }
    }

    fn optional_text(&mut self, key: &str, value: Option<Node>) -> Option<String> {
        let value = value?;
        match value.value {
            Value::String(text) => Some(text),
            Value::Null => None,
            _ => {
                self.wrong_type(key, &value, "text");
                None
            }
        }
    }

    fn mapping(&mut self, key: &str, value: Option<Node>) -> Option<Node> {
        let value = value?;
        match &value.value {
            Value::Mapping(_) => Some(value),
            Value::Null => None,
            _ => {
                self.wrong_type(key, &value, "a mapping");
                None
            }
        }
    }

    fn teams(&mut self, value: Node) -> Vec<Spanned<String>> {
        let items = match value.value {
            Value::Null => return Vec::new(),
            Value::Sequence(items) => items,
            _ => vec![value],
        };
        let mut teams = Vec::new();
        for item in items {
            if let Value::String(team) = item.value {
                teams.push(Spanned { value: team, span: item.span });
            } else {
                self.wrong_type("team", &item, "a team identifier");
            }
        }
        teams
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Limits, parse_file};

    fn read(text: &str, implied: Option<&str>) -> (Option<Entity>, Vec<Diagnostic>) {
        let mut parsed = parse_file("catalog/e.yaml", text.as_bytes(), &Limits::default());
        read_entity(&parsed.file, parsed.documents.remove(0), implied)
    }

    #[test]
    fn reads_ports_shape() {
        let (entity, diagnostics) = read(
            "identifier: cart\nblueprint: Service\nteam: [a, b]\nproperties: {tier: 1}\nrelations: {system: shop, apis: [x, y]}\n",
            None,
        );
        assert!(diagnostics.is_empty());
        let entity = entity.expect("read");
        assert_eq!(entity.reference().to_string(), "Service:cart");
        assert_eq!(entity.teams.len(), 2);
        let targets: Vec<&str> = entity.relations.iter().flat_map(|r| r.targets().map(|t| t.value)).collect();
        assert_eq!(targets, ["shop", "x", "y"]);
    }

    #[test]
    fn unknown_keys_warn_and_the_folder_implies_the_blueprint() {
        let (entity, diagnostics) = read("identifier: dev\nowner: alice\n", Some("Environment"));
        assert_eq!(entity.expect("read").blueprint.value, "Environment");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::UnknownEntityKey);
        assert!(diagnostics[0].message.contains("`owner`"));
    }

    #[test]
    fn ports_meta_fields_are_accepted_silently_and_other_keys_still_warn() {
        let (entity, diagnostics) = read(
            "identifier: cart\nblueprint: Service\ncreatedAt: \"2025-01-01T00:00:00.000Z\"\ncreatedBy: auth0|1\nupdatedAt: \"2025-01-02T00:00:00.000Z\"\nupdatedBy: auth0|2\nowner: alice\n",
            None,
        );
        assert_eq!(entity.expect("read").reference().to_string(), "Service:cart");
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["unknown entity key `owner`"]);
    }

    #[test]
    fn null_relations_name_nothing() {
        let (entity, diagnostics) =
            read("identifier: cart\nblueprint: Service\nrelations: {system: null, apis: single}\n", None);
        assert!(diagnostics.is_empty());
        let entity = entity.expect("read");
        let targets: Vec<Vec<&str>> = entity.relations.iter().map(|r| r.targets().map(|t| t.value).collect()).collect();
        assert_eq!(targets, [vec![], vec!["single"]]);
    }

    #[test]
    fn a_numeric_identifier_is_located_with_a_hint() {
        let (entity, diagnostics) = read("blueprint: Service\nidentifier: 42\n", None);
        assert!(entity.is_none());
        let location = diagnostics[0].location.as_ref().expect("located");
        assert_eq!((location.start.line, location.start.column), (2, 13));
        assert!(diagnostics[0].help.as_deref().unwrap_or_default().contains("quote"));
    }
}
