//! The fuzz target's seeds (`fuzz/seeds/actions/`) run through the same steps as the target, so
//! that a seed that stops reaching the paths it was written for is noticed without the fuzzer.

use std::sync::Arc;

use cairn_actions::{Change, Inputs, RunContext, plan_change, read_action};
use cairn_diagnostics::SourceFile;
use cairn_model::{Catalog, Limits, parse_file, parse_now, read_blueprint, read_entity};

const BLUEPRINTS: &str = "identifier: Environment\nschema: {properties: {ttl: {type: string}, resources: {type: array}}}\nrelations: {components: {target: Component, many: true}}\n---\nidentifier: Component\nschema: {properties: {replicas: {type: integer}}}\n---\nidentifier: _team\n";

const ENTITIES: &str = "identifier: cart\nblueprint: Component\nteam: payments\n---\nidentifier: dev\nblueprint: Environment\nproperties: {ttl: 5d}\nrelations: {components: [cart]}\n---\nidentifier: payments\nblueprint: _team\n";

fn catalog() -> Catalog {
    let parsed = parse_file("blueprints.yaml", BLUEPRINTS.as_bytes(), &Limits::default());
    let blueprints = parsed.documents.into_iter().filter_map(|node| read_blueprint(&parsed.file, node).0).collect();
    let parsed = parse_file("catalog/entities.yaml", ENTITIES.as_bytes(), &Limits::default());
    let entities =
        parsed.documents.into_iter().filter_map(|node| read_entity(&parsed.file, node, None).0.map(Arc::new)).collect();
    Catalog::build(Vec::new(), blueprints, entities).0
}

/// The changes the seed `name` plans, as the fuzz target plans them.
fn plan(name: &str) -> Vec<Change> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds/actions").join(name);
    let bytes = std::fs::read(&path).expect("the seed exists");
    let (action_bytes, pairs) = match bytes.iter().position(|byte| *byte == 0) {
        Some(nul) => (&bytes[..nul], &bytes[nul + 1..]),
        None => (&bytes[..], &[][..]),
    };
    let pairs: Vec<(String, String)> = String::from_utf8_lossy(pairs)
        .lines()
        .filter_map(|line| line.split_once('=').map(|(key, value)| (key.to_owned(), value.to_owned())))
        .collect();
    let extension = name.rsplit('.').next().unwrap_or("yaml");
    let parsed = parse_file(&format!("actions/a.{extension}"), action_bytes, &Limits::default());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let (action, diagnostics) = read_action(&parsed.file, &parsed.documents[0]);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let action = action.expect("an action");
    let catalog = catalog();
    let target = catalog.entity("Environment", "dev");
    let target = action.operation.as_ref().filter(|op| op.value.needs_target()).and(target);
    let inputs = Inputs::resolve(&action, &pairs, None, &catalog, target).expect("the seed's inputs resolve");
    let templates = vec![Arc::new(SourceFile::new(
        "actions/t/entity.yaml.j2",
        "identifier: {{ inputs.name | default('new') }}\nblueprint: Environment\n",
    ))];
    let run = RunContext { actor: "fuzz".to_owned(), now: parse_now("2026-01-01T00:00:00Z").expect("a time") };
    plan_change(&action, &inputs, target, &catalog, &templates, &run).expect("the seed plans")
}

#[test]
fn the_seeds_reach_a_planned_change() {
    assert!(matches!(plan("day-two.yaml").as_slice(), [Change::Edit { edits, .. }] if edits.len() == 1));
    assert_eq!(
        plan("create.yaml"),
        [Change::Create {
            path: "environments/dev-bob.yaml".to_owned(),
            text: "identifier: dev-bob\nblueprint: Environment\n".to_owned()
        }]
    );
    assert!(matches!(plan("delete.json").as_slice(), [Change::RemoveDocument { .. }]));
}
