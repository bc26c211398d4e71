//! The input contract (docs/policies.md): entities as Rego values, and the `data.cairn`
//! document of the catalog, its blueprints and, for a change, what the change does.

use std::collections::BTreeMap;

use cairn_model::{Catalog, Entity, Node, Value as NodeValue};
use rayon::prelude::*;
use regorus::Value;

/// Every entity of `catalog` as the `input` of per-entity rules, in catalog order.
#[must_use]
pub fn entity_values(catalog: &Catalog, revision: Option<&str>) -> Vec<Value> {
    catalog.entities.par_iter().map(|entity| entity_value(entity, revision)).collect()
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
        ("team", Value::from(entity.teams.iter().map(|team| Value::from(team.value.as_str())).collect::<Vec<_>>())),
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

/// `data.cairn.change`: the entities a change adds, modifies and removes, from the catalog
/// values of its base and head. Where an entity is written (`source`) does not count.
#[must_use]
pub fn change_value(base: &Value, head: &Value) -> Value {
    let blueprints = |catalog: &Value| -> BTreeMap<Value, Value> {
        catalog
            .as_object()
            .map(|object| object.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    };
    let (base, head) = (blueprints(base), blueprints(head));
    let entities = |value: Option<&Value>| -> BTreeMap<Value, Value> {
        value
            .and_then(|value| value.as_object().ok())
            .map(|object| object.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    };
    let (mut added, mut modified, mut removed) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    let names: std::collections::BTreeSet<&Value> = base.keys().chain(head.keys()).collect();
    for name in names {
        let (before, after) = (entities(base.get(name)), entities(head.get(name)));
        let mut add = BTreeMap::new();
        let mut modify = BTreeMap::new();
        let mut remove = BTreeMap::new();
        for (identifier, entity) in &after {
            match before.get(identifier) {
                None => {
                    add.insert(identifier.clone(), entity.clone());
                }
                Some(old) if without_source(old) != without_source(entity) => {
                    modify.insert(identifier.clone(), object([("before", old.clone()), ("after", entity.clone())]));
                }
                Some(_) => {}
            }
        }
        for (identifier, entity) in &before {
            if !after.contains_key(identifier) {
                remove.insert(identifier.clone(), entity.clone());
            }
        }
        for (target, found) in [(&mut added, add), (&mut modified, modify), (&mut removed, remove)] {
            if !found.is_empty() {
                target.insert(name.clone(), Value::from(found));
            }
        }
    }
    object([("added", Value::from(added)), ("modified", Value::from(modified)), ("removed", Value::from(removed))])
}

fn without_source(entity: &Value) -> Value {
    let mut entity = entity.clone();
    if let Ok(object) = entity.as_object_mut() {
        object.remove(&Value::from("source"));
    }
    entity
}

pub(crate) fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::from(entries.into_iter().map(|(key, value)| (Value::from(key), value)).collect::<BTreeMap<_, _>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(json: &str) -> Value {
        Value::from_json_str(json).expect("test JSON")
    }

    #[test]
    fn a_change_is_what_it_adds_modifies_and_removes_but_not_where_entities_are_written() {
        let base = value(
            r#"{"System": {
                "moved": {"identifier": "moved", "properties": {"a": 1}, "source": {"file": "a.yaml", "line": 1}},
                "edited": {"identifier": "edited", "properties": {"a": 1}, "source": {"file": "b.yaml", "line": 1}},
                "gone": {"identifier": "gone", "source": {"file": "c.yaml", "line": 1}}
            }}"#,
        );
        let head = value(
            r#"{"System": {
                "moved": {"identifier": "moved", "properties": {"a": 1}, "source": {"file": "z.yaml", "line": 9}},
                "edited": {"identifier": "edited", "properties": {"a": 2}, "source": {"file": "b.yaml", "line": 1}}
            }, "API": {
                "new": {"identifier": "new", "source": {"file": "d.yaml", "line": 1}}
            }}"#,
        );
        let change = change_value(&base, &head);
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
        assert_eq!(change["modified"]["System"]["edited"]["before"]["properties"]["a"], Value::from(1));
        assert_eq!(change["modified"]["System"]["edited"]["after"]["properties"]["a"], Value::from(2));
    }
}
