//! What the unit tests of this crate share: a catalog built from YAML text.

use std::sync::Arc;

use cairn_model::{Catalog, Limits, parse_file, read_blueprint, read_entity};

/// The catalog of the blueprint documents in `blueprints` and the entity documents in `entities`.
pub(crate) fn catalog(blueprints: &str, entities: &str) -> Catalog {
    let read = |path: &str, text: &str| {
        let parsed = parse_file(path, text.as_bytes(), &Limits::default());
        (parsed.file, parsed.documents)
    };
    let (file, documents) = read("blueprints.yaml", blueprints);
    let blueprints = documents.into_iter().filter_map(|node| read_blueprint(&file, node).0).collect();
    let (file, documents) = read("entities.yaml", entities);
    let entities = documents.into_iter().filter_map(|node| read_entity(&file, node, None).0.map(Arc::new)).collect();
    Catalog::build(Vec::new(), blueprints, entities).0
}
