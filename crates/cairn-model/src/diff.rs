//! The one catalog diff: which entities a change adds, removes, modifies (field by field) and
//! moves, between two catalogs. `cairn plan` reports it, policies see it as `data.cairn.change`,
//! and the audit of history will read it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::Value as Json;

use crate::catalog::Catalog;
use crate::entity::Entity;

/// How an entity changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    /// A field changed (and perhaps the file too).
    Modified,
    /// Only the file or the place in it changed.
    Moved,
    Removed,
}

/// One field's value before and after (`None`: not set).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FieldChange {
    /// `title`, `team`, `properties.tier` (objects under `properties` are flattened),
    /// `relations.system`.
    pub field: String,
    pub before: Option<Json>,
    pub after: Option<Json>,
    /// A property Port computes (mirror, calculation, aggregation) rather than one written in the
    /// entity's file: it changes when what it is computed from does.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub computed: bool,
}

/// One entity a change touches: its first declaration on each side where it exists.
#[derive(Clone, Debug)]
pub struct EntityDiff<'a> {
    pub kind: ChangeKind,
    /// The entity as it is after the change, or before it when removed.
    pub entity: &'a Arc<Entity>,
    pub before: Option<&'a Arc<Entity>>,
    pub after: Option<&'a Arc<Entity>>,
    /// Empty for added, removed and moved entities.
    pub fields: Vec<FieldChange>,
}

/// What changes from `before` to `after`, in the catalogs' order (blueprint, then identifier).
///
/// An entity is its blueprint and identifier, not its file: one written elsewhere with the same
/// fields is moved, not removed and added. Of duplicate declarations (a finding of their own),
/// the first on each side is compared. Both catalogs are sorted, so this is one merge of two
/// sorted lists; an entity both catalogs share (`Arc::ptr_eq`, as when its file's blob is the
/// same at both revisions) is unchanged without looking at its fields.
#[must_use]
pub fn diff<'a>(before: &'a Catalog, after: &'a Catalog) -> Vec<EntityDiff<'a>> {
    let (mut old, mut new) =
        (first_declarations(&before.entities).peekable(), first_declarations(&after.entities).peekable());
    let mut changes = Vec::new();
    loop {
        let order = match (old.peek(), new.peek()) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(a), Some(b)) => key(a).cmp(&key(b)),
        };
        // Each arm takes what `peek` saw, so its `else { break }` never runs.
        match order {
            std::cmp::Ordering::Less => {
                let Some(entity) = old.next() else { break };
                let kind = ChangeKind::Removed;
                changes.push(EntityDiff { kind, entity, before: Some(entity), after: None, fields: Vec::new() });
            }
            std::cmp::Ordering::Greater => {
                let Some(entity) = new.next() else { break };
                let kind = ChangeKind::Added;
                changes.push(EntityDiff { kind, entity, before: None, after: Some(entity), fields: Vec::new() });
            }
            std::cmp::Ordering::Equal => {
                let (Some(a), Some(b)) = (old.next(), new.next()) else { break };
                if Arc::ptr_eq(a, b) {
                    continue;
                }
                let fields = field_changes(a, b);
                let kind = if !fields.is_empty() {
                    ChangeKind::Modified
                } else if a.file.path() != b.file.path() {
                    ChangeKind::Moved
                } else {
                    continue;
                };
                changes.push(EntityDiff { kind, entity: b, before: Some(a), after: Some(b), fields });
            }
        }
    }
    changes
}

fn key(entity: &Entity) -> (&str, &str) {
    (&entity.blueprint.value, &entity.identifier.value)
}

/// The first declaration of each entity: the catalog is sorted, so duplicates follow it.
fn first_declarations(entities: &[Arc<Entity>]) -> impl Iterator<Item = &Arc<Entity>> {
    entities
        .iter()
        .enumerate()
        .filter(|(index, entity)| index.checked_sub(1).is_none_or(|previous| key(&entities[previous]) != key(entity)))
        .map(|(_, entity)| entity)
}

/// The fields of an entity as dotted paths to JSON values: objects under `properties` are
/// flattened, lists and scalars are compared whole.
fn fields_of(entity: &Entity) -> BTreeMap<String, Json> {
    let mut fields = BTreeMap::new();
    if let Some(title) = &entity.title {
        fields.insert("title".to_owned(), Json::from(title.as_str()));
    }
    if !entity.teams.is_empty() {
        fields.insert("team".to_owned(), Json::from(entity.teams.iter().map(|t| t.value.as_str()).collect::<Vec<_>>()));
    }
    if let Some(properties) = &entity.properties {
        flatten("properties", &properties.to_json(), &mut fields);
    }
    for relation in &entity.relations {
        fields.insert(format!("relations.{}", relation.name), relation.value.to_json());
    }
    fields
}

fn flatten(prefix: &str, value: &Json, out: &mut BTreeMap<String, Json>) {
    match value {
        Json::Object(entries) if !entries.is_empty() => {
            for (key, value) in entries {
                flatten(&format!("{prefix}.{key}"), value, out);
            }
        }
        other => {
            out.insert(prefix.to_owned(), other.clone());
        }
    }
}

fn field_changes(old: &Entity, new: &Entity) -> Vec<FieldChange> {
    let (mut before, mut after) = (fields_of(old), fields_of(new));
    let names: BTreeSet<String> = before.keys().chain(after.keys()).cloned().collect();
    names
        .into_iter()
        .filter_map(|field| {
            let (old, new) = (before.remove(&field), after.remove(&field));
            (old != new).then_some(FieldChange { field, before: old, after: new, computed: false })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Limits, parse_file, read_entity};

    /// A catalog of `files` (path, YAML text), one entity per document.
    fn catalog(files: &[(&str, &str)]) -> Catalog {
        let mut entities = Vec::new();
        for (path, text) in files {
            let parsed = parse_file(path, text.as_bytes(), &Limits::default());
            for document in parsed.documents {
                let (entity, _) = read_entity(&parsed.file, document, None);
                entities.extend(entity.map(Arc::new));
            }
        }
        Catalog::build(Vec::new(), Vec::new(), entities).0
    }

    fn described(changes: &[EntityDiff<'_>]) -> Vec<String> {
        changes
            .iter()
            .map(|change| {
                let fields: Vec<String> =
                    change.fields.iter().map(|f| format!("{}: {:?} -> {:?}", f.field, f.before, f.after)).collect();
                format!("{:?} {} {}", change.kind, change.entity.reference(), fields.join("; ")).trim_end().to_owned()
            })
            .collect()
    }

    #[test]
    fn adds_removes_modifies_and_moves_by_blueprint_and_identifier() {
        let before = catalog(&[
            ("a.yaml", "identifier: kept\nblueprint: S\nproperties: {tier: 1}\n"),
            ("b.yaml", "identifier: edited\nblueprint: S\nteam: a\nproperties: {tier: 1, db: {size: s}}\n"),
            ("c.yaml", "identifier: gone\nblueprint: S\n"),
            ("d.yaml", "identifier: moved\nblueprint: S\ntitle: M\n"),
            ("e.yaml", "identifier: same-name\nblueprint: A\n"),
        ]);
        let after = catalog(&[
            ("a.yaml", "identifier: kept\nblueprint: S\nproperties: {tier: 1}\n"),
            (
                "b.yaml",
                "identifier: edited\nblueprint: S\nteam: [a, b]\nproperties: {tier: 1, db: {size: m}}\nrelations: {system: x}\n",
            ),
            ("sub/d.yaml", "# moved here\nidentifier: moved\nblueprint: S\ntitle: M\n"),
            ("e.yaml", "identifier: same-name\nblueprint: B\n"),
        ]);
        assert_eq!(
            described(&diff(&before, &after)),
            [
                "Removed A:same-name",
                "Added B:same-name",
                r#"Modified S:edited properties.db.size: Some(String("s")) -> Some(String("m")); relations.system: None -> Some(String("x")); team: Some(Array [String("a")]) -> Some(Array [String("a"), String("b")])"#,
                "Removed S:gone",
                "Moved S:moved",
            ]
        );
    }

    #[test]
    fn shared_entities_and_first_declarations() {
        let before = catalog(&[
            ("a.yaml", "identifier: x\nblueprint: S\ntitle: first\n"),
            ("b.yaml", "identifier: x\nblueprint: S\ntitle: duplicate\n"),
        ]);
        // The same entities, shared: nothing changed, whatever their fields.
        let shared = Catalog::build(Vec::new(), Vec::new(), before.entities.clone()).0;
        assert!(diff(&before, &shared).is_empty());
        // Only the first declaration counts: removing the duplicate changes nothing.
        let after = catalog(&[("a.yaml", "identifier: x\nblueprint: S\ntitle: first\n")]);
        assert!(diff(&before, &after).is_empty());
        assert!(diff(&Catalog::default(), &Catalog::default()).is_empty());
    }
}
