//! Relations resolved: for each entity and each relation it sets, the entities of the relation's
//! target blueprint it points at.

use std::collections::BTreeMap;

use cairn_model::Catalog;

/// The entities each relation of each entity points at, by position in `Catalog::entities`.
/// A target that names no entity of the relation's target blueprint (a finding of
/// cairn-validate's) points at nothing here.
#[derive(Clone, Debug, Default)]
pub struct Relations {
    /// For each entity, in catalog order: relation name to the targets' positions, in the order
    /// written.
    targets: Vec<BTreeMap<String, Vec<usize>>>,
}

impl Relations {
    /// The relations of every entity of `catalog`, each identifier looked up among the entities
    /// of the relation's target blueprint. A relation its blueprint does not declare, or an
    /// entity of an unknown blueprint, resolves to nothing.
    #[must_use]
    pub fn resolve(catalog: &Catalog) -> Relations {
        let targets = catalog
            .entities
            .iter()
            .map(|entity| {
                let Some(blueprint) = catalog.blueprints.get(&entity.blueprint.value) else {
                    return BTreeMap::new();
                };
                entity
                    .relations
                    .iter()
                    .filter_map(|relation| {
                        let declared = blueprint.relations.get(&relation.name)?;
                        let positions = relation
                            .targets()
                            .filter_map(|target| catalog.position(&declared.target, target.value))
                            .collect();
                        Some((relation.name.clone(), positions))
                    })
                    .collect()
            })
            .collect();
        Relations { targets }
    }

    /// The positions of the entities that the entity at `entity` points at through `relation`.
    #[must_use]
    pub fn targets(&self, entity: usize, relation: &str) -> &[usize] {
        self.targets.get(entity).and_then(|relations| relations.get(relation)).map_or(&[], Vec::as_slice)
    }

    /// Every relation the entity at `entity` sets, with its targets' positions.
    pub fn of(&self, entity: usize) -> impl Iterator<Item = (&str, &[usize])> {
        self.targets.get(entity).into_iter().flatten().map(|(name, targets)| (name.as_str(), targets.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use cairn_model::{Catalog, Limits, parse_file, read_blueprint, read_entity};

    use super::Relations;

    fn catalog(blueprints: &str, entities: &str) -> Catalog {
        let read = |path: &str, text: &str| {
            let parsed = parse_file(path, text.as_bytes(), &Limits::default());
            (parsed.file, parsed.documents)
        };
        let (file, documents) = read("blueprints.yaml", blueprints);
        let blueprints = documents.into_iter().filter_map(|node| read_blueprint(&file, node).0).collect();
        let (file, documents) = read("entities.yaml", entities);
        let entities =
            documents.into_iter().filter_map(|node| read_entity(&file, node, None).0.map(Arc::new)).collect();
        Catalog::build(Vec::new(), blueprints, entities).0
    }

    #[test]
    fn identifiers_resolve_to_entities_of_the_target_blueprint_only() {
        let catalog = catalog(
            "identifier: service\nrelations:\n  system: {target: system}\n  uses: {target: service, many: true}\n---\nidentifier: system\n",
            "identifier: cart\nblueprint: service\nrelations:\n  system: shop\n  uses: [pay, cart, nowhere]\n---\n\
             identifier: pay\nblueprint: service\nrelations:\n  system: pay\n---\n\
             identifier: shop\nblueprint: system\n---\nidentifier: pay\nblueprint: system\n",
        );
        let relations = Relations::resolve(&catalog);
        let position = |blueprint: &str, identifier: &str| catalog.position(blueprint, identifier).expect("declared");
        let cart = position("service", "cart");
        assert_eq!(relations.targets(cart, "system"), [position("system", "shop")]);
        assert_eq!(relations.targets(cart, "uses"), [position("service", "pay"), cart]);
        // `pay` the service points at `pay` the system, not at itself.
        assert_eq!(relations.targets(position("service", "pay"), "system"), [position("system", "pay")]);
        assert!(relations.targets(cart, "undeclared").is_empty());
        assert_eq!(relations.of(cart).count(), 2);
    }
}
