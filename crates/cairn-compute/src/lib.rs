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

use cairn_diagnostics::Diagnostic;
use cairn_model::{Catalog, Timestamp};

pub use properties::{Computed, Kind, computed_kind, entity_json};
pub use relations::Relations;

/// Everything Port derives from one built catalog.
#[derive(Clone, Debug, Default)]
pub struct Derived {
    pub relations: Relations,
    /// The mirror, calculation and aggregation properties of each entity.
    pub computed: Computed,
}

/// Derives what Port would from `catalog` as of `now` (which date presets of search queries are
/// relative to), with a finding for each thing that cannot be derived.
#[must_use]
pub fn derive(catalog: &Catalog, now: Timestamp) -> (Derived, Vec<Diagnostic>) {
    let (relations, mut findings) = Relations::resolve(catalog, now);
    let (computed, diagnostics) = properties::compute(catalog, &relations, now);
    findings.extend(diagnostics);
    (Derived { relations, computed }, findings)
}
