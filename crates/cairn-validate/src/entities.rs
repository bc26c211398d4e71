//! Entity checks: identifier, blueprint, properties against the blueprint's schema, relations
//! (declared, of the right shape, naming existing entities of the right blueprint, required
//! ones set) and owning teams.

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, Location, did_you_mean, shorten};
use cairn_model::{
    Blueprint, Catalog, Entity, IDENTIFIER_RULE, Node, RelationDecl, RelationValue, TEAM_BLUEPRINT, Value,
    check_identifier,
};

use jsonschema::error::ValidationErrorKind;

use crate::blueprints::{Schemas, pointer_segments};
use crate::formats::{DateTimeSpelling, date_time_spelling};

/// Blueprints with more entities than this get no "did you mean" for a missing target: the
/// search would cost more than the hint is worth.
const SUGGESTION_CANDIDATES: usize = 5_000;

/// Every finding about one entity of `catalog`.
#[must_use]
pub fn check_entity(catalog: &Catalog, schemas: &Schemas, entity: &Entity) -> Vec<Diagnostic> {
    let mut check = Check { catalog, entity, diagnostics: Vec::new() };
    if let Some(problem) = check_identifier(&entity.identifier.value) {
        let message = format!("the identifier `{}` {problem}", shorten(&entity.identifier.value));
        check.report(Code::InvalidIdentifier, message, entity.identifier.span, IDENTIFIER_RULE.to_owned());
    }
    let Some(blueprint) = catalog.blueprints.get(&entity.blueprint.value) else {
        let name = &entity.blueprint.value;
        let help = match did_you_mean(name, catalog.blueprints.keys().map(String::as_str)) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("the blueprints are {}", list(catalog.blueprints.keys())),
        };
        check.report(Code::UnknownBlueprint, format!("there is no blueprint `{name}`"), entity.blueprint.span, help);
        return check.diagnostics;
    };
    check.properties(blueprint, schemas);
    check.relations(blueprint);
    check.teams(schemas);
    check.diagnostics
}

/// Every identifier `check_entity` looks up in the catalog for `entity`: its relations' targets,
/// its teams and its team-format properties. Its findings (their codes and messages) change only
/// when the catalog's entities with one of these identifiers change, so a caller that judged the
/// same entity by the same rules in another catalog may reuse them otherwise.
pub fn looked_up<'a>(entity: &'a Entity, schemas: &'a Schemas) -> impl Iterator<Item = &'a str> {
    let relations = entity.relations.iter().flat_map(|relation| relation.targets().map(|target| target.value));
    let teams = entity.teams.iter().map(|team| team.value.as_str());
    let team_properties = schemas
        .team_properties(&entity.blueprint.value)
        .iter()
        .filter_map(|property| entity.properties.as_ref()?.get(property)?.as_str());
    relations.chain(teams).chain(team_properties)
}

struct Check<'a> {
    catalog: &'a Catalog,
    entity: &'a Entity,
    diagnostics: Vec<Diagnostic>,
}

/// The blueprint keys of the properties Port computes, and what each is called. Port's pages
/// describe their values as computed by Port from the blueprint
/// (<https://docs.port.io/build-your-software-catalog/customize-integrations/configure-data-model/setup-blueprint/properties/mirror-property/>,
/// `.../calculation-property/`, `.../aggregation-property/`); none says what Port does with one
/// written into an entity's `properties`, so cairn reports it, naming the kind, where it would
/// report any property the schema does not declare.
const COMPUTED: [(&str, &str); 3] = [
    ("mirrorProperties", "a mirror property"),
    ("calculationProperties", "a calculation property"),
    ("aggregationProperties", "an aggregation property"),
];

impl Check<'_> {
    fn report(&mut self, code: Code, message: String, span: ByteSpan, help: String) {
        self.diagnostics.push(
            Diagnostic::new(code, message)
                .at(Location::new(&self.entity.file, span))
                .with_entity(self.entity.reference())
                .with_help(help),
        );
    }

    fn properties(&mut self, blueprint: &Blueprint, schemas: &Schemas) {
        let empty = Node::new(self.entity.span, Value::Mapping(Vec::new()));
        let properties = self.entity.properties.as_ref().unwrap_or(&empty);
        for entry in properties.as_mapping().unwrap_or_default() {
            if !blueprint.properties.contains(&entry.key) {
                if let Some((key, noun)) =
                    COMPUTED.iter().find(|(key, _)| blueprint.node.at_path([*key, entry.key.as_str()]).is_some())
                {
                    let message = format!(
                        "`{}` is {noun} of blueprint `{}`: Port computes it, an entity cannot set it",
                        entry.key, blueprint.identifier
                    );
                    let help = format!(
                        "remove `{}` from the entity; Port computes it from `{key}.{}` in the blueprint, and so does cairn",
                        entry.key, entry.key
                    );
                    self.report(Code::ComputedPropertySet, message, entry.key_span, help);
                    continue;
                }
                let help = match did_you_mean(&entry.key, blueprint.properties.iter().map(String::as_str)) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None if blueprint.properties.is_empty() => {
                        format!("blueprint `{}` declares no properties", blueprint.identifier)
                    }
                    None => format!("blueprint `{}` declares {}", blueprint.identifier, list(&blueprint.properties)),
                };
                let message = format!("blueprint `{}` has no property `{}`", blueprint.identifier, entry.key);
                self.report(Code::UnknownProperty, message, entry.key_span, help);
            }
        }
        let Some(validator) = schemas.validator(&blueprint.identifier) else { return };
        // `null` is unset: Port's integrations send `null` for every field their source lacks and
        // Port's Ocean framework drops null properties before it writes an entity
        // (https://github.com/port-labs/ocean/pull/1532, "removed null properties"), so a null
        // property is judged as if it were not written: its type and format are not checked, and
        // a `required` property given `null` is missing, reported at the `null` (no Port page
        // found says what Port does then; this follows from `null` being unset).
        let mut instance = properties.to_json();
        // Port fills a property left out with its `default` before it checks `required`
        // (`Blueprint::defaults` cites Port's page), so a required property with a default is
        // never missing; a property given `null` is left out (above) and takes it too. A
        // default that breaks its own schema is the blueprint's fault, not this entity's.
        let mut defaulted = Vec::new();
        if let Some(fields) = instance.as_object_mut() {
            fields.retain(|_, value| !value.is_null());
            for (name, default) in blueprint.defaults() {
                if !fields.contains_key(name) {
                    fields.insert(name.to_owned(), default.clone());
                    defaulted.push(name);
                }
            }
        }
        for error in validator.iter_errors(&instance) {
            if pointer_segments(error.instance_path().as_str())
                .next()
                .is_some_and(|name| defaulted.contains(&name.as_str()))
            {
                continue;
            }
            if let ValidationErrorKind::Required { property } = error.kind()
                && let Some(name) = property.as_str()
                && let Some(null) = properties.get(name)
            {
                let message = format!("the required property `{name}` is `null`");
                let help = format!(
                    "blueprint `{}` requires `{name}`, and `null` leaves it unset as in Port; give it a value",
                    blueprint.identifier
                );
                self.report(Code::SchemaViolation, message, null.span, help);
                continue;
            }
            let segments: Vec<String> = pointer_segments(error.instance_path().as_str()).collect();
            let path: Vec<&str> = segments.iter().map(String::as_str).collect();
            let span = if self.entity.properties.is_some() {
                self.entity.property_span(&path)
            } else {
                self.entity.identifier.span
            };
            let field = if segments.is_empty() {
                "properties".to_owned()
            } else {
                format!("properties.{}", segments.join("."))
            };
            let message = crate::messages::violation(&field, &error);
            let help = schema_help(blueprint, &segments);
            self.report(Code::SchemaViolation, message, span, help);
        }
        self.date_time_spellings(schemas);
    }

    /// A warning for each date-time written in a looser spelling than RFC 3339 that Port
    /// accepts (`crate::formats::date_time_spelling`), naming its RFC 3339 spelling.
    fn date_time_spellings(&mut self, schemas: &Schemas) {
        let Some(properties) = self.entity.properties.as_ref() else { return };
        for name in schemas.date_time_properties(&self.entity.blueprint.value) {
            let Some(value) = properties.get(name) else { continue };
            let texts: Vec<(Vec<String>, &str)> = match &value.value {
                Value::String(text) => vec![(vec![name.clone()], text.as_str())],
                Value::Sequence(items) => items
                    .iter()
                    .enumerate()
                    .filter_map(|(index, item)| Some((vec![name.clone(), index.to_string()], item.as_str()?)))
                    .collect(),
                _ => Vec::new(),
            };
            for (path, text) in texts {
                if let Some(DateTimeSpelling::Loose { rfc3339 }) = date_time_spelling(text) {
                    let path: Vec<&str> = path.iter().map(String::as_str).collect();
                    let message = format!(
                        "`properties.{}`: `{text}` is a date-time Port accepts, but not in RFC 3339",
                        path.join(".")
                    );
                    let help = format!("write `{rfc3339}`, the RFC 3339 spelling of the same instant");
                    self.report(Code::LooseDateTime, message, self.entity.property_span(&path), help);
                }
            }
        }
    }

    fn relations(&mut self, blueprint: &Blueprint) {
        for relation in &self.entity.relations {
            let Some(declared) = blueprint.relations.get(&relation.name) else {
                let help = match did_you_mean(&relation.name, blueprint.relations.keys().map(String::as_str)) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None if blueprint.relations.is_empty() => {
                        format!("blueprint `{}` declares no relations", blueprint.identifier)
                    }
                    None => {
                        format!("blueprint `{}` declares {}", blueprint.identifier, list(blueprint.relations.keys()))
                    }
                };
                let message = format!("blueprint `{}` has no relation `{}`", blueprint.identifier, relation.name);
                self.report(Code::UnknownRelation, message, relation.name_span, help);
                continue;
            };
            if self.shape(relation, declared) {
                for target in relation.targets() {
                    self.target(&relation.name, declared, target.value, target.span);
                }
            }
        }
        for (name, declared) in &blueprint.relations {
            let set = self.entity.relations.iter().find(|relation| &relation.name == name);
            // A relation given as a search query is set: what it resolves to is cairn-compute's.
            let unset = |relation: &RelationValue| relation.targets().next().is_none() && relation.query().is_none();
            if declared.required && set.is_none_or(unset) {
                let span = set.map_or(self.entity.identifier.span, |relation| relation.name_span);
                let message = format!("the required relation `{name}` is not set");
                let help = format!("set `relations.{name}` to the identifier of a `{}` entity", declared.target);
                self.report(Code::MissingRequiredRelation, message, span, help);
            }
        }
    }

    /// Whether the relation's value has the shape `many` asks for; reports it if not.
    fn shape(&mut self, relation: &RelationValue, declared: &RelationDecl) -> bool {
        let value = &relation.value;
        let problem = match (&value.value, declared.many) {
            // Port takes one identifier for a `many: true` relation as a list of one (seen on the
            // entities of Port's own integrations, issue 10; no Port page says so), and so does
            // cairn: `RelationValue::targets` reads it as a list of one.
            (Value::Null | Value::String(_), _) => None,
            // A search query (`{combinator, rules}`) in place of identifiers, as Port's API takes
            // it (`relations` of <https://docs.port.io/api-reference/create-an-entity>):
            // cairn-compute parses and resolves it, and reports what is wrong with it.
            (Value::Mapping(_), _) if relation.query().is_some() => None,
            (Value::Sequence(items), true) => items.iter().find(|item| item.as_str().is_none()).map(|item| {
                (
                    item.span,
                    format!("an item of relation `{}` is {}, not an identifier", relation.name, item.type_name()),
                )
            }),
            (Value::Sequence(_), false) => Some((
                value.span,
                format!("relation `{}` takes one identifier (`many: false`), not a list", relation.name),
            )),
            (_, _) => {
                Some((value.span, format!("relation `{}` is {}, not an identifier", relation.name, value.type_name())))
            }
        };
        let Some((span, message)) = problem else { return true };
        let help = if declared.many {
            format!("write a list, `{0}: [a, b]`, or one identifier, `{0}: a`", relation.name)
        } else {
            format!("write one identifier: `{}: a`", relation.name)
        };
        self.report(Code::RelationCardinality, message, span, help);
        false
    }

    fn target(&mut self, name: &str, declared: &RelationDecl, identifier: &str, span: ByteSpan) {
        let catalog = self.catalog;
        if catalog.entity(&declared.target, identifier).is_some() {
            return;
        }
        let others: Vec<&str> = catalog.blueprints_with(identifier).collect();
        if others.is_empty() {
            let candidates = catalog.entities_of(&declared.target);
            let close = if candidates.len() <= SUGGESTION_CANDIDATES {
                did_you_mean(identifier, candidates.iter().map(|entity| entity.identifier.value.as_str()))
            } else {
                None
            };
            let help = match close {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!(
                    "declare a `{}` entity `{identifier}` in the catalog, or name an existing one",
                    declared.target
                ),
            };
            let message = format!(
                "relation `{name}` names `{identifier}`, but there is no `{}` entity `{identifier}`",
                declared.target
            );
            self.report(Code::MissingRelationTarget, message, span, help);
        } else {
            let message = format!(
                "relation `{name}` must name a `{}` entity, but `{identifier}` is a `{}` entity",
                declared.target,
                others.join("`/`")
            );
            let help = format!("relation `{name}` targets blueprint `{}`", declared.target);
            self.report(Code::WrongRelationTarget, message, span, help);
        }
    }

    fn teams(&mut self, schemas: &Schemas) {
        let catalog = self.catalog;
        // Without a team blueprint there is nothing to check team names against.
        if !catalog.blueprints.contains_key(TEAM_BLUEPRINT) {
            return;
        }
        let mut named: Vec<(String, ByteSpan)> =
            self.entity.teams.iter().map(|team| (team.value.clone(), team.span)).collect();
        for property in schemas.team_properties(&self.entity.blueprint.value) {
            if let Some(node) = self.entity.properties.as_ref().and_then(|properties| properties.get(property))
                && let Some(team) = node.as_str()
            {
                named.push((team.to_owned(), node.span));
            }
        }
        for (team, span) in named {
            if catalog.entity(TEAM_BLUEPRINT, &team).is_none() {
                let teams = catalog.entities_of(TEAM_BLUEPRINT);
                let help = match did_you_mean(&team, teams.iter().map(|entity| entity.identifier.value.as_str())) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("declare the team as an entity of blueprint `{TEAM_BLUEPRINT}`"),
                };
                self.report(Code::UnknownTeam, format!("there is no team `{team}`"), span, help);
            }
        }
    }
}

/// Help for a schema violation: what the property is for, when the blueprint says.
fn schema_help(blueprint: &Blueprint, path: &[String]) -> String {
    let property = path.first().and_then(|name| blueprint.schema.get("properties")?.get(name));
    let described = property.and_then(|p| p.get("description")).and_then(serde_json::Value::as_str);
    match (path.first(), described) {
        (Some(name), Some(text)) => format!("`{name}`: {text}; see blueprint `{}`", blueprint.identifier),
        _ => format!("see the schema of blueprint `{}`", blueprint.identifier),
    }
}

fn list<'a>(names: impl IntoIterator<Item = &'a String>) -> String {
    names.into_iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use cairn_model::{Limits, parse_file, read_blueprint, read_entity};

    use super::*;
    use crate::compile_schemas;

    const BLUEPRINTS: &str = "\
identifier: repository
---
identifier: pullRequest
schema:
  properties:
    status: {type: string, enum: [open, closed, merged]}
    closedAt: {type: string, format: date-time}
    leadTimeHours: {type: number}
  required: [status]
relations:
  repository: {target: repository, many: false}
  reviewedIn: {target: repository, many: true}
  mergedInto: {target: repository, many: false, required: true}
";

    /// Every finding about the entities of `entities` (YAML documents), as `CODE line:column
    /// message`, against the blueprints above and the repositories `cart` and `shop`.
    fn check(entities: &str) -> Vec<String> {
        check_with(BLUEPRINTS, entities)
    }

    /// The findings and helps of `blueprints` alone.
    fn check_helps(blueprints: &str) -> (Vec<String>, Vec<String>) {
        let mut parsed = parse_file("blueprints/all.yaml", blueprints.as_bytes(), &Limits::default());
        let declared = parsed.documents.drain(..).filter_map(|node| read_blueprint(&parsed.file, node).0).collect();
        let (catalog, _) = Catalog::build(Vec::new(), declared, Vec::new());
        let (_, found) = compile_schemas(&catalog);
        let helps = found.iter().map(|finding| finding.help.clone().unwrap_or_default()).collect();
        (found.iter().map(line).collect(), helps)
    }

    fn line(finding: &Diagnostic) -> String {
        let at = finding.location.as_ref().map(|l| format!("{}:{}", l.start.line, l.start.column));
        format!("{} {} {}", finding.code.as_str(), at.unwrap_or_default(), finding.message)
    }

    /// `check` against the blueprints `blueprints` (which must declare `repository`).
    fn check_with(blueprints: &str, entities: &str) -> Vec<String> {
        let mut blueprints = parse_file("blueprints/all.yaml", blueprints.as_bytes(), &Limits::default());
        let declared =
            blueprints.documents.drain(..).filter_map(|node| read_blueprint(&blueprints.file, node).0).collect();
        let text = format!(
            "identifier: cart\nblueprint: repository\n---\nidentifier: shop\nblueprint: repository\n---\n{entities}"
        );
        let mut parsed = parse_file("catalog/e.yaml", text.as_bytes(), &Limits::default());
        let mut found = Vec::new();
        let mut read = Vec::new();
        for node in parsed.documents.drain(..) {
            let (entity, diagnostics) = read_entity(&parsed.file, node, None);
            found.extend(diagnostics);
            read.extend(entity.map(Arc::new));
        }
        let (catalog, diagnostics) = Catalog::build(Vec::new(), declared, read);
        found.extend(diagnostics);
        let (schemas, diagnostics) = compile_schemas(&catalog);
        found.extend(diagnostics);
        for entity in &catalog.entities {
            found.extend(check_entity(&catalog, &schemas, entity));
        }
        found
            .iter()
            .map(|finding| {
                let at = finding.location.as_ref().map(|l| format!("{}:{}", l.start.line, l.start.column));
                format!("{} {} {}", finding.code.as_str(), at.unwrap_or_default(), finding.message)
            })
            .collect()
    }

    #[test]
    fn null_properties_and_relations_are_unset() {
        let findings = check(
            "identifier: pr-1\nblueprint: pullRequest\nproperties: {status: open, closedAt: null, leadTimeHours: null}\nrelations: {repository: null, reviewedIn: null, mergedInto: cart}\n",
        );
        assert_eq!(findings, Vec::<String>::new());
    }

    #[test]
    fn a_required_property_given_null_is_missing_and_located_at_the_null() {
        let findings = check(
            "identifier: pr-1\nblueprint: pullRequest\nproperties:\n  status: null\n  closedAt: yesterday\nrelations: {mergedInto: cart}\n",
        );
        assert_eq!(
            findings,
            [
                "E0303 10:11 the required property `status` is `null`",
                "E0303 11:13 `properties.closedAt` is `yesterday`, which is not a date-time as Port accepts it, such as `2026-01-26T01:39:15Z` (RFC 3339)",
            ]
        );
    }

    #[test]
    fn a_required_property_with_a_default_may_be_left_out_or_null() {
        let blueprints = "identifier: repository\n---\nidentifier: job\nschema:\n  properties:\n    state: {type: string, enum: [queued, done], default: queued}\n    tries: {type: number, default: 0}\n  required: [state, tries]\n";
        let findings = check_with(
            blueprints,
            "identifier: j1\nblueprint: job\n---\nidentifier: j2\nblueprint: job\nproperties: {state: null, tries: 2}\n---\nidentifier: j3\nblueprint: job\nproperties: {state: started}\n",
        );
        assert_eq!(
            findings,
            ["E0303 16:21 `properties.state` is `started`, which is not one of the allowed values: `queued`, `done`"]
        );
    }

    #[test]
    fn a_required_relation_given_null_is_not_set() {
        let findings = check(
            "identifier: pr-1\nblueprint: pullRequest\nproperties: {status: open}\nrelations: {mergedInto: null}\n",
        );
        assert_eq!(findings, ["E0311 10:13 the required relation `mergedInto` is not set"]);
    }

    #[test]
    fn a_many_relation_takes_one_identifier_as_a_list_of_one() {
        let findings = check(
            "identifier: pr-1\nblueprint: pullRequest\nproperties: {status: open}\nrelations: {reviewedIn: shop, mergedInto: cart}\n---\nidentifier: pr-2\nblueprint: pullRequest\nproperties: {status: open}\nrelations: {reviewedIn: nowhere, mergedInto: [cart]}\n",
        );
        assert_eq!(
            findings,
            [
                "E0309 15:25 relation `reviewedIn` names `nowhere`, but there is no `repository` entity `nowhere`",
                "E0312 15:46 relation `mergedInto` takes one identifier (`many: false`), not a list",
            ]
        );
    }

    #[test]
    fn a_relation_given_as_a_search_query_is_set_and_any_other_mapping_is_not_a_relation_value() {
        let findings = check(
            "identifier: pr-1\nblueprint: pullRequest\nproperties: {status: open}\nrelations:\n  mergedInto: {combinator: and, rules: [{property: $identifier, operator: '=', value: cart}]}\n  reviewedIn: {rules: []}\n  repository: {identifier: cart}\n",
        );
        assert_eq!(findings, ["E0312 13:15 relation `repository` is a mapping, not an identifier"]);
    }

    /// Every JSON Schema finding a Port user can meet, in plain words naming the field and
    /// what is allowed.
    #[test]
    fn schema_findings_are_said_in_plain_words() {
        let blueprints = "identifier: repository\n---\nidentifier: svc\nschema:\n  properties:\n    tier: {type: string, enum: [gold, silver]}\n    replicas: {type: number, minimum: 1, maximum: 9}\n    name: {type: string, minLength: 3, maxLength: 5, pattern: '^[a-z]+$'}\n    site: {type: string, format: url}\n    tags: {type: array, items: {type: string}, maxItems: 1}\n    meta: {type: object, properties: {a: {type: string}}, required: [a], additionalProperties: false}\n    port: {anyOf: [{type: number}, {type: string, pattern: '^[0-9]+$'}]}\n  required: [tier]\n";
        let findings = check_with(
            blueprints,
            "identifier: s\nblueprint: svc\nproperties:\n  replicas: 12\n  name: AB\n  site: example\n  tags: [a, 2]\n  meta: {b: 1}\n  port: http\n---\nidentifier: t\nblueprint: svc\nproperties:\n  tier: bronze\n  replicas: '3'\n  name: abcdefg\n  port: [1]\n",
        );
        assert_eq!(
            findings,
            [
                "E0303 10:3 the required property `tier` is not set",
                "E0303 14:9 `properties.meta` has `b`, which its schema does not allow",
                "E0303 14:9 `properties.meta` has no `a`, which its schema requires",
                "E0303 11:9 `properties.name` is `AB`, 2 characters long, shorter than the minimum of 3",
                "E0303 11:9 `properties.name` is `AB`, which does not match the pattern `^[a-z]+$`",
                "E0303 15:9 `properties.port` is `http`, which matches none of the 2 shapes its schema allows: it is the string `http`, not a number; or it is `http`, which does not match the pattern `^[0-9]+$`",
                "E0303 10:13 `properties.replicas` is `12`, above the maximum of `9`",
                "E0303 12:9 `properties.site` is `example`, which is not a URL, such as `https://example.com`",
                "E0303 13:9 `properties.tags` has 2 items, more than the maximum of 1",
                "E0303 13:13 `properties.tags.1` is the number `2`, not a string",
                "E0303 22:9 `properties.name` is `abcdefg`, 7 characters long, longer than the maximum of 5",
                "E0303 23:9 `properties.port` is `[1]`, which matches none of the 2 shapes its schema allows: it is a list, not a number; or it is a list, not a string",
                "E0303 21:13 `properties.replicas` is the string `3`, not a number",
                "E0303 20:9 `properties.tier` is `bronze`, which is not one of the allowed values: `gold`, `silver`",
            ]
        );
    }

    #[test]
    fn a_blueprint_type_port_does_not_have_is_said_in_plain_words() {
        let blueprints = "identifier: repository\n---\nidentifier: svc\nschema:\n  properties:\n    tier: {type: enum, enum: [gold, silver]}\n---\nidentifier: db\nschema:\n  properties:\n    size: {type: strin}\n";
        let (catalog_findings, helps) = check_helps(blueprints);
        assert_eq!(
            catalog_findings,
            [
                "E0203 11:18 the schema of blueprint `db` is invalid: `schema.properties.size.type` is `strin`, which is not a type Port has",
                "E0203 6:18 the schema of blueprint `svc` is invalid: `schema.properties.tier.type` is `enum`, which is not a type Port has",
            ]
        );
        assert_eq!(
            helps[1],
            "the property types are `string`, `number`, `boolean`, `array`, `object`; for a choice of values write `type: string` with `enum: [a, b]`"
        );
        assert!(helps[0].ends_with("; did you mean `string`?"), "{}", helps[0]);
    }
}
