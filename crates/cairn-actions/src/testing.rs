//! Test helpers: an action read from text, and a small catalog built from real blueprint and
//! entity documents.

use std::sync::Arc;

use cairn_diagnostics::Diagnostic;
use cairn_model::{Catalog, Limits, parse_file, read_blueprint, read_entity};

use crate::action::{Action, read_action};

/// Reads the single action of `text`, as the file `path`.
pub(crate) fn read_one(path: &str, text: &str) -> (Option<Action>, Vec<Diagnostic>) {
    let parsed = parse_file(path, text.as_bytes(), &Limits::default());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    read_action(&parsed.file, &parsed.documents[0])
}

/// Reads an action that must have no findings.
pub(crate) fn action(path: &str, text: &str) -> Action {
    let (action, diagnostics) = read_one(path, text);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    action.expect("an action")
}

pub(crate) const BLUEPRINTS: &str = "identifier: Environment\nschema:\n  properties:\n    ttl: {type: string}\n    owner: {type: string}\n    resources: {type: array}\n    lifecycle: {type: string}\nrelations:\n  components: {target: System, many: true}\n---\nidentifier: System\nschema:\n  properties: {}\n---\nidentifier: _team\n---\nidentifier: _user\n";

pub(crate) const ENTITIES: &str = "# the checkout system\nidentifier: checkout\nblueprint: System\n---\nidentifier: payments\nblueprint: _team\n---\nidentifier: dev-alice\nblueprint: Environment\nproperties:\n  ttl: 5d # five days\n  owner: alice\nrelations:\n  components: [checkout]\n";

/// Blueprints `Environment`, `System`, `_team`, `_user`; entities `System:checkout`,
/// `_team:payments` and `Environment:dev-alice` (in `environments/dev-alice.yaml`).
pub(crate) fn catalog() -> Catalog {
    let parsed = parse_file("blueprints/all.yaml", BLUEPRINTS.as_bytes(), &Limits::default());
    let blueprints = parsed.documents.into_iter().filter_map(|node| read_blueprint(&parsed.file, node).0).collect();
    let parsed = parse_file("environments/dev-alice.yaml", ENTITIES.as_bytes(), &Limits::default());
    let entities =
        parsed.documents.into_iter().filter_map(|node| read_entity(&parsed.file, node, None).0).map(Arc::new).collect();
    let (catalog, diagnostics) = Catalog::build(Vec::new(), blueprints, entities);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    catalog
}
