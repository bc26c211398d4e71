//! Port's inherited ownership: a blueprint whose `ownership` is `{type: Inherited, path}` has no
//! owners of its own; each of its entities is owned by the owners of the entities that `path`, a
//! chain of relation identifiers (`system.domain`), leads to. Port's Terraform provider documents
//! the key: "Path for the Inherited ownership type. Required when type is 'Inherited'. Must be a
//! valid relation identifiers path"
//! (<https://registry.terraform.io/providers/port-labs/port-labs/latest/docs/resources/port_blueprint#path>);
//! its later schema spells one relation as `$relations.<identifier>`, which is read the same way.
//! Port's older `teamInheritance: {path}` key is the same rule and is applied when `ownership`
//! is not written.
//!
//! Inheritance follows the relations written as identifiers; a relation given as a search query
//! is resolved later (cairn-compute) and is not followed here. A chain of inheriting blueprints is
//! followed to the first one that owns directly; a cycle ends with no owners.

use std::collections::BTreeSet;
use std::sync::Arc;

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, Location};

use crate::blueprint::{Blueprint, Ownership};
use crate::catalog::Catalog;
use crate::entity::InheritedTeams;

/// Where a blueprint's owners come from, once its path is read.
struct Inherits {
    relations: Vec<String>,
}

impl Blueprint {
    /// Whether the blueprint's entities are owned through a path of relations (Port's
    /// `ownership: {type: Inherited}`, or the older `teamInheritance`) rather than by their `team`.
    #[must_use]
    pub fn inherits_ownership(&self) -> bool {
        inheritance_path(self).is_some()
    }
}

/// The path of `blueprint`'s inherited ownership, if it inherits, and where it is written.
fn inheritance_path(blueprint: &Blueprint) -> Option<(String, ByteSpan)> {
    match &blueprint.ownership {
        Some(Ownership::Inherited { path, .. }) => Some((path.clone(), blueprint.span_of(&["ownership", "path"]))),
        Some(Ownership::Direct { .. }) => None,
        None => {
            let path = blueprint.node.at_path(["teamInheritance", "path"])?;
            let text = path.as_str()?;
            Some((text.to_owned(), path.span))
        }
    }
}

/// Reads `blueprint`'s inheritance path against the blueprints of the catalog: each part a
/// relation of the blueprint the previous part led to.
fn read_path(
    catalog: &Catalog,
    blueprint: &Blueprint,
    path: &str,
    span: ByteSpan,
) -> Result<Inherits, Box<Diagnostic>> {
    let relations: Vec<String> =
        path.strip_prefix("$relations.").unwrap_or(path).split('.').map(str::to_owned).collect();
    let invalid = |message: String, help: String| {
        Box::new(
            Diagnostic::new(Code::InvalidOwnershipPath, message)
                .at(Location::new(&blueprint.file, span))
                .with_help(help),
        )
    };
    let mut at = blueprint;
    for relation in &relations {
        if relation.is_empty() {
            return Err(invalid(
                format!("the ownership path `{path}` of `{}` has an empty part", blueprint.identifier),
                "write relation identifiers separated by `.`, such as `system` or `system.domain`".to_owned(),
            ));
        }
        let Some(declared) = at.relations.get(relation) else {
            let known: Vec<&str> = at.relations.keys().map(String::as_str).collect();
            return Err(invalid(
                format!(
                    "the ownership path `{path}` of `{}`: `{relation}` is not a relation of `{}`",
                    blueprint.identifier, at.identifier
                ),
                if known.is_empty() {
                    format!("`{}` declares no relations to inherit owners through", at.identifier)
                } else {
                    format!("relations of `{}`: {}", at.identifier, crate::blueprint::backticked(&known))
                },
            ));
        };
        let Some(target) = catalog.blueprints.get(&declared.target) else {
            return Err(invalid(
                format!(
                    "the ownership path `{path}` of `{}`: `{relation}` leads to `{}`, which is not a blueprint",
                    blueprint.identifier, declared.target
                ),
                "declare the relation's target blueprint".to_owned(),
            ));
        };
        at = target;
    }
    Ok(Inherits { relations })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Unvisited,
    Visiting,
    Done,
}

/// Sets each entity's inherited owners (`Entity::inherited`), and clears them from entities
/// whose blueprint no longer inherits (entities are shared between the catalogs of a change).
/// Returns a finding for each inheritance path that cannot be followed, and for each entity
/// that writes a `team` its blueprint's inheritance replaces.
pub(crate) fn apply(catalog: &mut Catalog) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut inherits: std::collections::BTreeMap<String, Inherits> = std::collections::BTreeMap::new();
    for blueprint in catalog.blueprints.values() {
        if let Some((path, span)) = inheritance_path(blueprint) {
            match read_path(catalog, blueprint, &path, span) {
                Ok(read) => {
                    inherits.insert(blueprint.identifier.clone(), read);
                }
                Err(diagnostic) => diagnostics.push(*diagnostic),
            }
        }
    }
    if inherits.is_empty() && catalog.entities.iter().all(|entity| entity.inherited.is_none()) {
        return diagnostics;
    }

    let count = catalog.entities.len();
    let mut owners: Vec<Option<Vec<String>>> = vec![None; count];
    let mut state = vec![State::Unvisited; count];
    for position in 0..count {
        resolve(catalog, &inherits, position, &mut state, &mut owners);
    }
    for (position, owners) in owners.into_iter().enumerate() {
        let entity = &catalog.entities[position];
        let inherited = inherits
            .get(&entity.blueprint.value)
            .map(|read| InheritedTeams { teams: owners.unwrap_or_default(), through: read.relations[0].clone() });
        if let (Some(_), Some(first)) = (&inherited, entity.teams.first()) {
            let path = inherits[&entity.blueprint.value].relations.join(".");
            diagnostics.push(
                Diagnostic::new(
                    Code::TeamOfInheritedOwnership,
                    format!(
                        "`team` is not this entity's owner: the blueprint `{}` inherits ownership through `{path}`",
                        entity.blueprint.value
                    ),
                )
                .at(Location::new(&entity.file, first.span))
                .with_entity(entity.reference())
                .with_help("remove `team`, or make the blueprint's ownership `Direct`"),
            );
        }
        if entity.inherited != inherited {
            Arc::make_mut(&mut catalog.entities[position]).inherited = inherited;
        }
    }
    diagnostics
}

/// The owners of the entity at `position`: written, or inherited through its blueprint's path
/// (memoised in `owners`; an entity met again while its own owners are being found is part of
/// a cycle and gives none).
fn resolve(
    catalog: &Catalog,
    inherits: &std::collections::BTreeMap<String, Inherits>,
    position: usize,
    state: &mut [State],
    owners: &mut [Option<Vec<String>>],
) -> Vec<String> {
    match state[position] {
        State::Done => return owners[position].clone().unwrap_or_default(),
        State::Visiting => return Vec::new(),
        State::Unvisited => {}
    }
    let entity = &catalog.entities[position];
    let Some(read) = inherits.get(&entity.blueprint.value) else {
        state[position] = State::Done;
        let written: Vec<String> = entity.teams.iter().map(|team| team.value.clone()).collect();
        owners[position] = Some(written.clone());
        return written;
    };
    state[position] = State::Visiting;
    let mut reached = vec![position];
    let mut blueprint = entity.blueprint.value.as_str();
    for relation in &read.relations {
        let Some(target) = catalog.blueprints.get(blueprint).and_then(|at| at.relations.get(relation)) else {
            reached.clear();
            break;
        };
        let mut next = BTreeSet::new();
        for &at in &reached {
            let from = &catalog.entities[at];
            for value in from.relations.iter().filter(|value| value.name == *relation) {
                for identifier in value.targets() {
                    if let Some(found) = catalog.position(&target.target, identifier.value) {
                        next.insert(found);
                    }
                }
            }
        }
        reached = next.into_iter().collect();
        blueprint = &target.target;
    }
    let mut teams = BTreeSet::new();
    for at in reached {
        teams.extend(resolve(catalog, inherits, at, state, owners));
    }
    let teams: Vec<String> = teams.into_iter().collect();
    state[position] = State::Done;
    owners[position] = Some(teams.clone());
    teams
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Limits, parse_file, read_blueprint, read_entity};

    const BLUEPRINTS: &str = "\
identifier: domain
---
identifier: system
relations: {domain: {target: domain}}
ownership: {type: Inherited, path: domain}
---
identifier: component
relations: {system: {target: system}, uses: {target: component, many: true}}
ownership: {type: Inherited, path: system}
---
identifier: api
relations: {provider: {target: component}}
ownership: {type: Inherited, path: $relations.provider}
---
identifier: runbook
relations: {service: {target: component}}
teamInheritance: {path: service.system.domain}
";

    /// A catalog of `blueprints` and `entities` (YAML, one per document), with its findings.
    fn build(blueprints: &str, entities: &str) -> (Catalog, Vec<Diagnostic>) {
        let parsed = parse_file("blueprints.yaml", blueprints.as_bytes(), &Limits::default());
        let declared =
            parsed.documents.into_iter().filter_map(|document| read_blueprint(&parsed.file, document).0).collect();
        let parsed = parse_file("catalog.yaml", entities.as_bytes(), &Limits::default());
        let entities = parsed
            .documents
            .into_iter()
            .filter_map(|document| read_entity(&parsed.file, document, None).0.map(Arc::new))
            .collect();
        Catalog::build(Vec::new(), declared, entities)
    }

    fn owners(catalog: &Catalog, blueprint: &str, identifier: &str) -> Vec<String> {
        catalog.entity(blueprint, identifier).map(crate::Entity::owner_list).unwrap_or_default()
    }

    #[test]
    fn owners_are_inherited_through_the_path_and_through_inheriting_blueprints() {
        let (catalog, findings) = build(
            BLUEPRINTS,
            "\
identifier: payments
blueprint: domain
team: [payments, finance]
---
identifier: checkout
blueprint: system
relations: {domain: payments}
---
identifier: cart
blueprint: component
relations: {system: checkout}
---
identifier: cart-api
blueprint: api
relations: {provider: cart}
---
identifier: cart-runbook
blueprint: runbook
relations: {service: cart}
---
identifier: orphan
blueprint: component
---
identifier: lost
blueprint: component
relations: {system: nowhere}
",
        );
        assert_eq!(findings, []);
        // One hop, a chain of inheriting blueprints, the `$relations.` spelling, and Port's older
        // `teamInheritance` key over three relations all end at the domain's owners.
        for (blueprint, identifier) in
            [("system", "checkout"), ("component", "cart"), ("api", "cart-api"), ("runbook", "cart-runbook")]
        {
            assert_eq!(owners(&catalog, blueprint, identifier), ["finance", "payments"], "{blueprint}:{identifier}");
        }
        // No relation, or a relation to nothing: no owners (not the entity's own, which it has not).
        assert_eq!(owners(&catalog, "component", "orphan"), Vec::<String>::new());
        assert_eq!(owners(&catalog, "component", "lost"), Vec::<String>::new());
        assert_eq!(owners(&catalog, "domain", "payments"), ["payments", "finance"]);
        let cart = catalog.entity("component", "cart").expect("cart is in the catalog");
        assert_eq!(cart.inherited.as_ref().map(|inherited| inherited.through.as_str()), Some("system"));
        // A policy's finding about `team` lands on the relation the owners come through.
        let span = cart.field_location(Some("team")).span.expect("a span");
        assert_eq!(&cart.file.text()[span.start as usize..span.end as usize], "checkout");
    }

    #[test]
    fn a_written_team_is_replaced_and_warned_about_and_a_cycle_owns_nothing() {
        let blueprints = "\
identifier: a
relations: {b: {target: b}}
ownership: {type: Inherited, path: b}
---
identifier: b
relations: {a: {target: a}}
ownership: {type: Inherited, path: a}
";
        let (catalog, findings) = build(
            blueprints,
            "identifier: one\nblueprint: a\nteam: mine\nrelations: {b: two}\n---\nidentifier: two\nblueprint: b\nrelations: {a: one}\n",
        );
        let codes: Vec<(Code, &str)> =
            findings.iter().map(|finding| (finding.code, finding.message.as_str())).collect();
        assert_eq!(
            codes,
            [(
                Code::TeamOfInheritedOwnership,
                "`team` is not this entity's owner: the blueprint `a` inherits ownership through `b`"
            )]
        );
        assert_eq!(owners(&catalog, "a", "one"), Vec::<String>::new());
        assert_eq!(owners(&catalog, "b", "two"), Vec::<String>::new());
    }

    #[test]
    fn a_path_that_leads_nowhere_is_a_finding_on_the_path() {
        let blueprints = "\
identifier: system
---
identifier: component
relations: {system: {target: system}}
ownership: {type: Inherited, path: system.domain}
---
identifier: api
relations: {provider: {target: ghost}}
ownership: {type: Inherited, path: provider}
---
identifier: doc
ownership: {type: Inherited, path: 'a..b'}
";
        let (catalog, findings) = build(blueprints, "identifier: cart\nblueprint: component\nteam: web\n");
        let found: Vec<(Code, String, u32)> = findings
            .iter()
            .map(|finding| {
                let location = finding.location.as_ref().expect("located");
                (finding.code, finding.message.clone(), location.start.line)
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    Code::InvalidOwnershipPath,
                    "the ownership path `provider` of `api`: `provider` leads to `ghost`, which is not a blueprint"
                        .to_owned(),
                    9
                ),
                (
                    Code::InvalidOwnershipPath,
                    "the ownership path `system.domain` of `component`: `domain` is not a relation of `system`"
                        .to_owned(),
                    5
                ),
                (
                    Code::InvalidOwnershipPath,
                    "the ownership path `a..b` of `doc`: `a` is not a relation of `doc`".to_owned(),
                    12
                ),
            ]
        );
        // A path that cannot be followed leaves the written team as the owner.
        assert_eq!(owners(&catalog, "component", "cart"), ["web"]);
    }
}
