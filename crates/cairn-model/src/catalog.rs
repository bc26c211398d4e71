//! The catalog: every blueprint and entity of a revision, indexed by identifier. Building it
//! finds what makes an index ambiguous: a blueprint or an entity declared twice.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use cairn_diagnostics::{Code, Diagnostic, EntityRef, Location};

use crate::blueprint::Blueprint;
use crate::entity::Entity;
use crate::layout::{DEPLOYED_RELATION, ENVIRONMENT_BLUEPRINT};

/// The blueprint of teams, as in Port: entities name their owners in `team`.
pub const TEAM_BLUEPRINT: &str = "_team";

/// Blueprints and entities, with lookups by identifier. Entities are shared (`Arc`), so that two
/// catalogs of one change (its base and its head) hold one copy of every entity they share.
#[derive(Debug, Default)]
pub struct Catalog {
    pub blueprints: BTreeMap<String, Blueprint>,
    /// Sorted by blueprint, identifier, file and position; duplicates included.
    pub entities: Vec<Arc<Entity>>,
    /// Positions of first declarations by identifier, then blueprint.
    index: HashMap<String, Vec<(String, usize)>>,
}

impl Catalog {
    /// Builds the catalog. `bundled` blueprints apply unless the repository declares one with
    /// the same identifier; two declarations in the repository are a finding, as are two
    /// entities of one blueprint with the same identifier (both places are named). Entities of
    /// a blueprint that inherits ownership get their inherited owners (`Entity::inherited`).
    #[must_use]
    pub fn build(
        bundled: Vec<Blueprint>,
        declared: Vec<Blueprint>,
        mut entities: Vec<Arc<Entity>>,
    ) -> (Catalog, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let mut blueprints: BTreeMap<String, Blueprint> = BTreeMap::new();
        let mut declared = declared;
        declared.sort_by(|a, b| (a.file.path(), a.node.span.start).cmp(&(b.file.path(), b.node.span.start)));
        for blueprint in declared {
            if let Some(first) = blueprints.get(&blueprint.identifier) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateBlueprint,
                        format!("the blueprint `{}` is declared twice", blueprint.identifier),
                    )
                    .at(Location::new(&blueprint.file, blueprint.span_of(&["identifier"])))
                    .with_related("first declared here", Location::new(&first.file, first.span_of(&["identifier"])))
                    .with_help("remove one declaration or give it another identifier"),
                );
            } else {
                blueprints.insert(blueprint.identifier.clone(), blueprint);
            }
        }
        for blueprint in bundled {
            blueprints.entry(blueprint.identifier.clone()).or_insert(blueprint);
        }

        entities.sort_unstable_by(|a, b| {
            (&a.blueprint.value, &a.identifier.value, a.file.path(), a.span.start).cmp(&(
                &b.blueprint.value,
                &b.identifier.value,
                b.file.path(),
                b.span.start,
            ))
        });
        // Every entity stays in the catalog, so a duplicate is still checked on its own; lookups
        // find the first declaration.
        let mut index: HashMap<String, Vec<(String, usize)>> = HashMap::with_capacity(entities.len());
        for (position, entity) in entities.iter().enumerate() {
            let first = match position.checked_sub(1).map(|previous| &entities[previous]) {
                Some(previous)
                    if previous.blueprint.value == entity.blueprint.value
                        && previous.identifier.value == entity.identifier.value =>
                {
                    index.get(&entity.identifier.value).and_then(|found| found.last()).map(|&(_, first)| first)
                }
                _ => None,
            };
            match first {
                Some(first) => {
                    let first = &entities[first];
                    diagnostics.push(
                        Diagnostic::new(
                            Code::DuplicateIdentifier,
                            format!(
                                "the `{}` entity `{}` is declared twice",
                                entity.blueprint.value, entity.identifier.value
                            ),
                        )
                        .at(Location::new(&entity.file, entity.identifier.span))
                        .with_entity(entity.reference())
                        .with_related("first declared here", Location::new(&first.file, first.identifier.span))
                        .with_help("identifiers are unique per blueprint: rename one entity or merge the two"),
                    );
                }
                None => index
                    .entry(entity.identifier.value.clone())
                    .or_default()
                    .push((entity.blueprint.value.clone(), position)),
            }
        }
        let mut catalog = Catalog { blueprints, entities, index };
        diagnostics.extend(crate::ownership::apply(&mut catalog));
        (catalog, diagnostics)
    }

    /// The entity of `blueprint` with `identifier`.
    #[must_use]
    pub fn entity(&self, blueprint: &str, identifier: &str) -> Option<&Entity> {
        self.position(blueprint, identifier).map(|position| &*self.entities[position])
    }

    /// The position in `entities` of the entity of `blueprint` with `identifier` (the first
    /// declared, if there are two).
    #[must_use]
    pub fn position(&self, blueprint: &str, identifier: &str) -> Option<usize> {
        self.index.get(identifier)?.iter().find(|(name, _)| name == blueprint).map(|&(_, position)| position)
    }

    /// The entity `reference` names.
    #[must_use]
    pub fn get(&self, reference: &EntityRef) -> Option<&Entity> {
        self.entity(reference.kind(), reference.name())
    }

    /// The blueprints that have an entity with `identifier`.
    pub fn blueprints_with(&self, identifier: &str) -> impl Iterator<Item = &str> {
        self.index.get(identifier).into_iter().flatten().map(|(blueprint, _)| blueprint.as_str())
    }

    /// The entities of `blueprint`, which are contiguous because entities are sorted.
    #[must_use]
    pub fn entities_of(&self, blueprint: &str) -> &[Arc<Entity>] {
        let start = self.entities.partition_point(|entity| entity.blueprint.value.as_str() < blueprint);
        let end = self.entities.partition_point(|entity| entity.blueprint.value.as_str() <= blueprint);
        &self.entities[start..end]
    }

    /// Where each entity is deployed: for every entity an `Environment`'s `components` relation
    /// names (by position, resolved to the relation's target blueprint), the environments that
    /// name it, by position, in catalog order and each once. The one reading of "deployed to" that
    /// the orchestrator's requests and the templates' deployments share.
    #[must_use]
    pub fn deployments(&self) -> HashMap<usize, Vec<usize>> {
        let mut deployed: HashMap<usize, Vec<usize>> = HashMap::new();
        let Some(target) = self
            .blueprints
            .get(ENVIRONMENT_BLUEPRINT)
            .and_then(|blueprint| blueprint.relations.get(DEPLOYED_RELATION))
            .map(|relation| relation.target.as_str())
        else {
            return deployed;
        };
        let start = self.entities.partition_point(|entity| entity.blueprint.value.as_str() < ENVIRONMENT_BLUEPRINT);
        for (offset, environment) in self.entities_of(ENVIRONMENT_BLUEPRINT).iter().enumerate() {
            let position = start + offset;
            // A second declaration of an environment is a finding of its own, and deploys nothing.
            if self.position(ENVIRONMENT_BLUEPRINT, &environment.identifier.value) != Some(position) {
                continue;
            }
            for relation in environment.relations.iter().filter(|relation| relation.name == DEPLOYED_RELATION) {
                for name in relation.targets() {
                    if let Some(component) = self.position(target, name.value) {
                        let places = deployed.entry(component).or_default();
                        if places.last() != Some(&position) {
                            places.push(position);
                        }
                    }
                }
            }
        }
        deployed
    }
}
