//! The input contract (docs/policies.md): entities as Rego values, and the `data.cairn`
//! document of the catalog, its blueprints and, for a change, what the change does.

use std::collections::BTreeMap;

use cairn_model::{Blueprint, Catalog, ChangeKind, Entity, EntityDiff, Node, Value as NodeValue};
use rayon::prelude::*;
use regorus::Value;

/// Every entity of `catalog` as the `input` of per-entity rules, in catalog order.
#[must_use]
pub fn entity_values(catalog: &Catalog, revision: Option<&str>) -> Vec<Value> {
    catalog
        .entities
        .par_iter()
        .map(|entity| {
            let mut value = entity_value(entity, revision);
            if let Some(blueprint) = catalog.blueprints.get(&entity.blueprint.value) {
                with_defaults(&mut value, blueprint);
            }
            value
        })
        .collect()
}

/// Gives each property the entity leaves out (or sets to `null`) its blueprint's `default`,
/// as Port does and as Port's API then returns the entity (`Blueprint::defaults` cites Port).
fn with_defaults(value: &mut Value, blueprint: &Blueprint) {
    let mut defaults = blueprint.defaults().peekable();
    if defaults.peek().is_none() {
        return;
    }
    let Ok(fields) = value.as_object_mut() else { return };
    let Some(Ok(properties)) = fields.get_mut(&Value::from("properties")).map(Value::as_object_mut) else { return };
    for (name, default) in defaults {
        let name = Value::from(name);
        if properties.get(&name).is_none_or(|value| *value == Value::Null) {
            properties.insert(name, Value::from(default.clone()));
        }
    }
}

/// One entity in the shape of `input`.
#[must_use]
pub fn entity_value(entity: &Entity, revision: Option<&str>) -> Value {
    let mut relations = BTreeMap::new();
    for relation in &entity.relations {
        relations.insert(Value::from(relation.name.as_str()), node_value(&relation.value));
    }
    let source = object([
        ("file", Value::from(entity.file.path())),
        ("line", Value::from(entity.file.position(entity.span.start).line)),
        ("revision", revision.map_or(Value::Null, Value::from)),
    ]);
    let mut value = object([
        ("identifier", Value::from(entity.identifier.value.as_str())),
        ("blueprint", Value::from(entity.blueprint.value.as_str())),
        ("team", Value::from(entity.owners().map(Value::from).collect::<Vec<_>>())),
        ("properties", entity.properties.as_ref().map_or_else(Value::new_object, node_value)),
        ("relations", Value::from(relations)),
        ("source", source),
    ]);
    // Left out when not written, so that `not input.title` reads as Rego authors expect.
    if let (Some(title), Ok(fields)) = (&entity.title, value.as_object_mut()) {
        fields.insert(Value::from("title"), Value::from(title.as_str()));
    }
    value
}

/// Puts into each entity's `input` (`inputs`, in catalog order) what each relation given as a
/// search query resolved to, as Port stores it: the matched identifiers, a list for a
/// `many: true` relation and one identifier otherwise (`null` when the query matched no entity,
/// or more than one for a `many: false` relation, which are findings of their own).
/// `targets(position, relation)` gives the positions in `catalog` of what the relation of the
/// entity at `position` points at.
pub fn resolve_query_relations<'a>(
    inputs: &mut [Value],
    catalog: &Catalog,
    targets: impl Fn(usize, &str) -> &'a [usize] + Sync,
) {
    inputs.par_iter_mut().zip(catalog.entities.par_iter()).enumerate().for_each(|(position, (input, entity))| {
        let Some(blueprint) = catalog.blueprints.get(&entity.blueprint.value) else { return };
        let relations = input.as_object_mut().ok().and_then(|fields| fields.get_mut(&Value::from("relations")));
        let Some(Ok(relations)) = relations.map(Value::as_object_mut) else { return };
        for relation in entity.relations.iter().filter(|relation| relation.query().is_some()) {
            let Some(declared) = blueprint.relations.get(&relation.name) else { continue };
            let identifiers = targets(position, &relation.name)
                .iter()
                .filter_map(|&target| catalog.entities.get(target))
                .map(|target| Value::from(target.identifier.value.as_str()));
            let resolved = match (declared.many, targets(position, &relation.name).len()) {
                (true, _) => Value::from(identifiers.collect::<Vec<_>>()),
                (false, 1) => identifiers.into_iter().next().unwrap_or(Value::Null),
                (false, _) => Value::Null,
            };
            relations.insert(Value::from(relation.name.as_str()), resolved);
        }
    });
}

/// Adds values to `properties` of an entity's `input` (as `entity_value` builds it): the
/// properties Port computes (mirror, calculation, aggregation), which Port's API returns among
/// the entity's `properties`.
pub fn add_properties(input: &mut Value, properties: impl IntoIterator<Item = (Value, Value)>) {
    let Ok(fields) = input.as_object_mut() else { return };
    if let Some(Ok(written)) = fields.get_mut(&Value::from("properties")).map(Value::as_object_mut) {
        written.extend(properties);
    }
}

/// A parsed YAML or JSON value as a Rego value.
#[must_use]
pub fn node_value(node: &Node) -> Value {
    match &node.value {
        NodeValue::Null => Value::Null,
        NodeValue::Bool(value) => Value::from(*value),
        NodeValue::Number(number) => {
            if let Some(value) = number.as_i64() {
                Value::from(value)
            } else if let Some(value) = number.as_u64() {
                Value::from(value)
            } else {
                Value::from(number.as_f64().unwrap_or(f64::NAN))
            }
        }
        NodeValue::String(text) => Value::from(text.as_str()),
        NodeValue::Sequence(items) => Value::from(items.iter().map(node_value).collect::<Vec<_>>()),
        NodeValue::Mapping(entries) => Value::from(
            entries
                .iter()
                .map(|entry| (Value::from(entry.key.as_str()), node_value(&entry.value)))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

/// `data.cairn.catalog`: entities by blueprint, then identifier. Of two entities with one
/// identifier (a finding of its own), the first declared is the one policies see.
#[must_use]
pub fn catalog_value(catalog: &Catalog, values: &[Value]) -> Value {
    let mut by_blueprint: BTreeMap<&str, BTreeMap<Value, Value>> = BTreeMap::new();
    for (entity, value) in catalog.entities.iter().zip(values) {
        by_blueprint
            .entry(&entity.blueprint.value)
            .or_default()
            .entry(Value::from(entity.identifier.value.as_str()))
            .or_insert_with(|| value.clone());
    }
    Value::from(
        by_blueprint
            .into_iter()
            .map(|(name, entities)| (Value::from(name), Value::from(entities)))
            .collect::<BTreeMap<_, _>>(),
    )
}

/// `data.cairn.blueprints`: every blueprint that applies, as written.
#[must_use]
pub fn blueprints_value(catalog: &Catalog) -> Value {
    Value::from(
        catalog
            .blueprints
            .iter()
            .map(|(identifier, blueprint)| (Value::from(identifier.as_str()), node_value(&blueprint.node)))
            .collect::<BTreeMap<_, _>>(),
    )
}

/// `data.cairn.change`: the entities a change adds, modifies and removes (the catalog diff;
/// an entity that only moved is not modified), each as `input` is, under its blueprint and
/// identifier; a modified one as `{before, after}`. Entities read at the base name its revision.
#[must_use]
pub fn change_value(changes: &[EntityDiff<'_>], base_revision: Option<&str>, head_revision: Option<&str>) -> Value {
    let mut parts: [BTreeMap<Value, BTreeMap<Value, Value>>; 3] = Default::default();
    for change in changes {
        let (part, value) = match (change.kind, change.before, change.after) {
            (ChangeKind::Added, _, Some(after)) => (0, entity_value(after, head_revision)),
            (ChangeKind::Modified, Some(before), Some(after)) => (
                1,
                object([
                    ("before", entity_value(before, base_revision)),
                    ("after", entity_value(after, head_revision)),
                ]),
            ),
            (ChangeKind::Removed, Some(before), _) => (2, entity_value(before, base_revision)),
            _ => continue,
        };
        let entity = change.entity;
        parts[part]
            .entry(Value::from(entity.blueprint.value.as_str()))
            .or_default()
            .insert(Value::from(entity.identifier.value.as_str()), value);
    }
    let [added, modified, removed] = parts.map(|part| {
        Value::from(part.into_iter().map(|(name, entities)| (name, Value::from(entities))).collect::<BTreeMap<_, _>>())
    });
    object([("added", added), ("modified", modified), ("removed", removed)])
}

pub(crate) fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::from(entries.into_iter().map(|(key, value)| (Value::from(key), value)).collect::<BTreeMap<_, _>>())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use cairn_model::{Limits, diff, parse_file, read_blueprint, read_entity};

    use super::*;

    fn catalog(files: &[(&str, &str)]) -> Catalog {
        let mut entities = Vec::new();
        for (path, text) in files {
            let parsed = parse_file(path, text.as_bytes(), &Limits::default());
            for document in parsed.documents {
                entities.extend(read_entity(&parsed.file, document, None).0.map(Arc::new));
            }
        }
        Catalog::build(Vec::new(), Vec::new(), entities).0
    }

    #[test]
    fn a_change_is_what_it_adds_modifies_and_removes_but_not_where_entities_are_written() {
        let base = catalog(&[
            ("a.yaml", "identifier: moved\nblueprint: System\nproperties: {a: 1}\n"),
            ("b.yaml", "identifier: edited\nblueprint: System\nproperties: {a: 1}\n"),
            ("c.yaml", "identifier: gone\nblueprint: System\n"),
        ]);
        let head = catalog(&[
            ("z.yaml", "\n\nidentifier: moved\nblueprint: System\nproperties: {a: 1}\n"),
            ("b.yaml", "identifier: edited\nblueprint: System\nproperties: {a: 2}\n"),
            ("d.yaml", "identifier: new\nblueprint: API\n"),
        ]);
        let change = change_value(&diff(&base, &head), Some("base"), Some("head"));
        let keys = |part: &str| -> Vec<String> {
            let part = &change[part];
            let mut keys = Vec::new();
            for (blueprint, entities) in part.as_object().expect("an object").iter() {
                for identifier in entities.as_object().expect("an object").keys() {
                    keys.push(format!(
                        "{}:{}",
                        blueprint.as_string().expect("text"),
                        identifier.as_string().expect("text")
                    ));
                }
            }
            keys
        };
        assert_eq!(keys("added"), ["API:new"]);
        assert_eq!(keys("modified"), ["System:edited"]);
        assert_eq!(keys("removed"), ["System:gone"]);
        let edited = &change["modified"]["System"]["edited"];
        assert_eq!(edited["before"]["properties"]["a"], Value::from(1));
        assert_eq!(edited["after"]["properties"]["a"], Value::from(2));
        assert_eq!(edited["before"]["source"]["revision"], Value::from("base"));
        assert_eq!(change["removed"]["System"]["gone"]["source"]["revision"], Value::from("base"));
        assert_eq!(change["added"]["API"]["new"]["source"]["revision"], Value::from("head"));
    }

    #[test]
    fn a_property_left_out_or_null_is_its_default_as_port_returns_it() {
        let parsed = parse_file(
            "blueprints/job.yaml",
            b"identifier: job\nschema:\n  properties:\n    state: {type: string, default: queued}\n    tries: {type: number, default: 0}\n    owner: {type: string}\n",
            &Limits::default(),
        );
        let blueprints = parsed.documents.into_iter().filter_map(|node| read_blueprint(&parsed.file, node).0).collect();
        let parsed = parse_file(
            "catalog/jobs.yaml",
            b"- {identifier: a, blueprint: job}\n- {identifier: b, blueprint: job, properties: {state: done, tries: null}}\n",
            &Limits::default(),
        );
        let entities = parsed
            .documents
            .into_iter()
            .filter_map(|node| read_entity(&parsed.file, node, None).0.map(Arc::new))
            .collect();
        let catalog = Catalog::build(Vec::new(), blueprints, entities).0;
        let values = entity_values(&catalog, None);
        let properties = |index: usize| values[index]["properties"].clone();
        assert_eq!(properties(0)["state"], Value::from("queued"));
        assert_eq!(properties(0)["tries"], Value::from(0));
        assert_eq!(properties(0)["owner"], Value::Undefined, "no default, nothing filled");
        assert_eq!(properties(1)["state"], Value::from("done"), "a value written wins");
        assert_eq!(properties(1)["tries"], Value::from(0));
    }
}
