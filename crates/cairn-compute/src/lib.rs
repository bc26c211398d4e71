//! What Port derives from a catalog rather than reads from it: each relation resolved to the
//! entities it points at (written as identifiers, or as a search query over the target
//! blueprint's entities), and the properties Port computes (mirror, calculation, aggregation).
//!
//! Entities are named by their position in `Catalog::entities`, which is stable for one built
//! catalog. Everything here is a pure function of the catalog: no clock, no I/O.

pub mod jq;
mod properties;
pub mod query;
mod relations;
#[cfg(test)]
mod testing;

use cairn_diagnostics::Diagnostic;
use cairn_model::{Catalog, Timestamp};

pub use properties::{Computed, Kind, META_PROPERTIES, computed_kind, entity_json};
pub use relations::Relations;

/// Everything Port derives from one built catalog.
#[derive(Clone, Debug, Default)]
pub struct Derived {
    /// The relations given as a search query; and every relation, named by identifier too, when
    /// a blueprint of the catalog declares a computed property (which may follow them).
    pub relations: Relations,
    /// The mirror, calculation and aggregation properties of each entity.
    pub computed: Computed,
}

/// Derives what Port would from `catalog` as of `now` (which date presets of search queries are
/// relative to), with a finding for each thing that cannot be derived.
#[must_use]
pub fn derive(catalog: &Catalog, now: Timestamp) -> (Derived, Vec<Diagnostic>) {
    // Relations named by identifier are resolved only when a computed property may follow them:
    // for 100,000 entities, resolving them all took longer than reading the files
    // (docs/benchmarks.md). Relations given as a search query are always resolved, for their
    // findings and for what policies see.
    let any_computed = catalog
        .blueprints
        .values()
        .any(|blueprint| Kind::ALL.iter().any(|kind| blueprint.node.get(kind.key()).is_some()));
    derive_with(catalog, now, any_computed)
}

/// `derive`, with every relation resolved (`Derived::relations` complete), for readers that
/// follow any relation, such as golden-path templates.
#[must_use]
pub fn derive_all(catalog: &Catalog, now: Timestamp) -> (Derived, Vec<Diagnostic>) {
    derive_with(catalog, now, true)
}

/// An entity as queries see it once its catalog is derived: its own values, its computed
/// properties (which Port's API returns among `properties`), and its relations resolved, so that
/// a relation given as a search query counts as set when it finds an entity.
#[derive(Clone, Copy, Debug)]
pub struct Resolved<'a> {
    pub entity: &'a cairn_model::Entity,
    pub position: usize,
    pub relations: &'a Relations,
    pub computed: &'a Computed,
}

impl<'a> Resolved<'a> {
    /// The entity at `position` of the catalog `derived` was derived from.
    #[must_use]
    pub fn new(catalog: &'a cairn_model::Catalog, position: usize, derived: &'a Derived) -> Self {
        Resolved {
            entity: &catalog.entities[position],
            position,
            relations: &derived.relations,
            computed: &derived.computed,
        }
    }
}

impl query::Subject for Resolved<'_> {
    fn value(&self, property: &str) -> Option<serde_json::Value> {
        self.computed.get(self.position, property).cloned().or_else(|| self.entity.value(property))
    }

    fn is_related(&self, relation: &str) -> bool {
        !self.relations.targets(self.position, relation).is_empty() || self.entity.is_related(relation)
    }
}

fn derive_with(catalog: &Catalog, now: Timestamp, every_relation: bool) -> (Derived, Vec<Diagnostic>) {
    let (relations, mut findings) =
        if every_relation { Relations::resolve(catalog, now) } else { Relations::resolve_queries(catalog, now) };
    let (computed, diagnostics) = properties::compute(catalog, &relations, now);
    findings.extend(diagnostics);
    (Derived { relations, computed }, findings)
}
