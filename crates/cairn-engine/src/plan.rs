//! `plan`: what a change does to the platform. Entities added, removed, modified (property by
//! property, relation by relation) and moved; environments created, changed and destroyed with
//! their expiry; and the findings of the change judged by its base's rules, split into those the
//! change introduces and those already there.

use std::collections::{BTreeMap, BTreeSet};

use cairn_diagnostics::{Diagnostic, Severity};
use cairn_model::{Catalog, ENVIRONMENT_BLUEPRINT, Entity, EntityRef, Timestamp, parse_timestamp, parse_ttl};
use cairn_source::Source;
use serde_json::Value as Json;

use crate::change::check_change_loaded;
use crate::check::{Outcome, check_loaded};
use crate::error::EngineError;
use crate::load::load;
use crate::verdict::Verdict;

/// What a change does, and what it breaks.
#[derive(Debug)]
pub struct Plan {
    /// The head judged by the base's rules: every finding, the files, the head catalog.
    pub outcome: Outcome,
    /// Describes the base, such as "revision `main` (4b825dc6)".
    pub base: String,
    /// The head's commit, for links.
    pub head_commit: Option<String>,
    /// Indices into `outcome.diagnostics` of the findings this change introduces; the others
    /// were already there at the base.
    pub introduced: BTreeSet<usize>,
    pub entities: Vec<EntityChange>,
    pub environments: Vec<EnvironmentChange>,
}

impl Plan {
    /// The findings this change introduces, in report order.
    pub fn introduced(&self) -> impl Iterator<Item = &Diagnostic> {
        self.outcome.diagnostics.iter().enumerate().filter(|(i, _)| self.introduced.contains(i)).map(|(_, d)| d)
    }

    /// The findings already there at the base.
    pub fn existing(&self) -> impl Iterator<Item = &Diagnostic> {
        self.outcome.diagnostics.iter().enumerate().filter(|(i, _)| !self.introduced.contains(i)).map(|(_, d)| d)
    }

    /// Broken when the rules could not be evaluated, failed when an error counts: one the change
    /// introduces, or with `strict` any.
    #[must_use]
    pub fn verdict(&self, strict: bool) -> Verdict {
        Verdict::of(self.outcome.rules_broken(), self.failing_errors(strict))
    }

    /// Errors that count: introduced ones, or with `strict` every one.
    #[must_use]
    pub fn failing_errors(&self, strict: bool) -> usize {
        let counts = |d: &&Diagnostic| d.severity == Severity::Error && d.counts();
        if strict {
            self.outcome.diagnostics.iter().filter(counts).count()
        } else {
            self.introduced().filter(counts).count()
        }
    }
}

/// How an entity changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Modified,
    Moved,
    Removed,
}

/// One entity the change touches.
#[derive(Clone, Debug, serde::Serialize)]
pub struct EntityChange {
    pub kind: ChangeKind,
    pub entity: EntityRef,
    /// Where it is written at the head (at the base, when removed).
    pub file: String,
    pub line: u32,
    /// Where it was written at the base, when it moved.
    pub moved_from: Option<String>,
    pub teams: Vec<String>,
    /// Field by field: `title`, `team`, `properties.tier`, `relations.system`.
    pub fields: Vec<FieldChange>,
}

/// One field's value before and after (`None`: not set).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<Json>,
    pub after: Option<Json>,
}

/// One environment the change creates, changes or destroys.
#[derive(Clone, Debug, serde::Serialize)]
pub struct EnvironmentChange {
    pub kind: ChangeKind,
    pub identifier: String,
    /// `development`, `preview`, …
    pub kind_of_environment: Option<String>,
    /// When it expires, from `expiresAt` or `createdAt` plus `ttl`, at the head.
    pub expires: Option<Timestamp>,
    /// When it expired at the base.
    pub expired_before: Option<Timestamp>,
}

/// Plans the change from `base` to `head` as of `now`.
pub fn plan(base: &Source, head: &Source, now: Timestamp) -> Result<Plan, EngineError> {
    // The base is read once: checked by itself, and as the rules that judge the head.
    let rules = load(base)?;
    let outcome = check_change_loaded(base, &rules, head, now)?;
    let before = check_loaded(base, rules, now);
    let known: BTreeSet<(String, Option<String>, String)> =
        before.diagnostics.iter().filter(|d| d.counts()).map(finding_key).collect();
    let introduced = outcome
        .diagnostics
        .iter()
        .enumerate()
        .filter(|(_, d)| !known.contains(&finding_key(d)))
        .map(|(i, _)| i)
        .collect();
    let entities = entity_changes(&before.catalog, &outcome.catalog);
    let environments = environment_changes(&entities, &before.catalog, &outcome.catalog);
    Ok(Plan { base: base.describe(), head_commit: head.commit(), introduced, entities, environments, outcome })
}

/// A finding's identity across revisions: lines move, codes, entities and messages do not.
fn finding_key(diagnostic: &Diagnostic) -> (String, Option<String>, String) {
    // The entity by its text, so that a finding without one compares by its file instead.
    let place = if diagnostic.entity.is_some() { None } else { diagnostic.location.as_ref().map(|l| l.file.clone()) };
    (
        diagnostic.code_name().to_owned(),
        diagnostic.entity.as_ref().map(ToString::to_string).or(place),
        diagnostic.message.clone(),
    )
}

fn first_declarations(catalog: &Catalog) -> BTreeMap<EntityRef, &Entity> {
    let mut entities = BTreeMap::new();
    for entity in &catalog.entities {
        entities.entry(entity.reference()).or_insert(entity);
    }
    entities
}

fn entity_changes(before: &Catalog, after: &Catalog) -> Vec<EntityChange> {
    let (before, after) = (first_declarations(before), first_declarations(after));
    let keys: BTreeSet<&EntityRef> = before.keys().chain(after.keys()).collect();
    let mut changes = Vec::new();
    for key in keys {
        let change = match (before.get(key), after.get(key)) {
            (None, Some(entity)) => described(ChangeKind::Added, entity, None, Vec::new()),
            (Some(entity), None) => described(ChangeKind::Removed, entity, None, Vec::new()),
            (Some(old), Some(new)) => {
                let fields = field_changes(old, new);
                let moved = (old.file.path() != new.file.path()).then(|| old.file.path().to_owned());
                match (fields.is_empty(), moved) {
                    (true, None) => continue,
                    (true, Some(from)) => described(ChangeKind::Moved, new, Some(from), fields),
                    (false, moved) => described(ChangeKind::Modified, new, moved, fields),
                }
            }
            (None, None) => continue,
        };
        changes.push(change);
    }
    changes
}

fn described(kind: ChangeKind, entity: &Entity, moved_from: Option<String>, fields: Vec<FieldChange>) -> EntityChange {
    EntityChange {
        kind,
        entity: entity.reference(),
        file: entity.file.path().to_owned(),
        line: entity.file.position(entity.span.start).line,
        moved_from,
        teams: entity.teams.iter().map(|team| team.value.clone()).collect(),
        fields,
    }
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
    let (before, after) = (fields_of(old), fields_of(new));
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    names
        .into_iter()
        .filter(|name| before.get(*name) != after.get(*name))
        .map(|name| FieldChange {
            field: name.clone(),
            before: before.get(name).cloned(),
            after: after.get(name).cloned(),
        })
        .collect()
}

fn environment_changes(entities: &[EntityChange], before: &Catalog, after: &Catalog) -> Vec<EnvironmentChange> {
    entities
        .iter()
        .filter(|change| change.entity.kind() == ENVIRONMENT_BLUEPRINT)
        .filter_map(|change| {
            let old = before.get(&change.entity);
            let new = after.get(&change.entity);
            let kind = match change.kind {
                ChangeKind::Moved => return None,
                kind => kind,
            };
            Some(EnvironmentChange {
                kind,
                identifier: change.entity.name().to_owned(),
                kind_of_environment: new.or(old).and_then(|entity| property(entity, "type")),
                expires: new.and_then(expiry),
                expired_before: old.and_then(expiry),
            })
        })
        .collect()
}

fn property(entity: &Entity, name: &str) -> Option<String> {
    entity.properties.as_ref()?.get(name)?.as_str().map(str::to_owned)
}

/// When an environment expires: its `expiresAt`, or its `createdAt` plus its `ttl`. Both are
/// RFC 3339 date-times with any offset; `ttl` is read by `parse_ttl`.
#[must_use]
pub fn expiry(entity: &Entity) -> Option<Timestamp> {
    if let Some(expires) = property(entity, "expiresAt") {
        return parse_timestamp(&expires);
    }
    let created = parse_timestamp(&property(entity, "createdAt")?)?;
    created.checked_add(parse_ttl(&property(entity, "ttl")?)?).ok()
}
