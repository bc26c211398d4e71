//! Fuzzes self-service actions and automations (`cairn_actions`): arbitrary bytes read as an
//! action file (YAML, then JSON), each action checked against a small catalog, an automation's
//! `cairn.inputs` rendered over an event, a self-service action's inputs resolved from arbitrary
//! `--set` pairs, and, when they resolve, the run planned, named and turned into a workflow.
//!
//! The input is the action file, a NUL byte, then `--set` pairs one per line (`key=value`);
//! without a NUL the whole input is the action file and no pair is given. Beyond "never panics,
//! never hangs", it checks that every finding's location lies within the file it names, that
//! every file a CREATE run would write has a plain relative path outside `.git/`, and that
//! branch names keep to git's ref rules.

#![no_main]

use std::sync::Arc;

use cairn_actions::{
    Change, Inputs, Operation, RunContext, WorkflowOptions, branch_name, check_actions, commit_message, plan_change,
    read_action, render_inputs, run_key, run_title, workflow,
};
use cairn_diagnostics::{Diagnostic, SourceFile};
use cairn_model::{Catalog, Limits, parse_file, parse_now, read_blueprint, read_entity};
use cairn_render::unsafe_path;
use libfuzzer_sys::fuzz_target;

const BLUEPRINTS: &str = "identifier: Environment\nschema: {properties: {ttl: {type: string}, resources: {type: array}}}\nrelations: {components: {target: Component, many: true}}\n---\nidentifier: Component\nschema: {properties: {replicas: {type: integer}}}\n---\nidentifier: _team\n";

const ENTITIES: &str = "identifier: cart\nblueprint: Component\nteam: payments\nproperties: {replicas: 2}\n---\nidentifier: dev\nblueprint: Environment\nproperties: {ttl: 5d}\nrelations: {components: [cart]}\n---\nidentifier: payments\nblueprint: _team\n";

fn catalog() -> Catalog {
    let read = |path: &str, text: &str| {
        let parsed = parse_file(path, text.as_bytes(), &Limits::default());
        (parsed.file, parsed.documents)
    };
    let (file, documents) = read("blueprints.yaml", BLUEPRINTS);
    let blueprints = documents.into_iter().filter_map(|node| read_blueprint(&file, node).0).collect();
    let (file, documents) = read("catalog/entities.yaml", ENTITIES);
    let entities = documents.into_iter().filter_map(|node| read_entity(&file, node, None).0.map(Arc::new)).collect();
    Catalog::build(Vec::new(), blueprints, entities).0
}

fn check_locations(diagnostics: &[Diagnostic], file: &SourceFile) {
    for diagnostic in diagnostics {
        let Some(location) = &diagnostic.location else { continue };
        assert!(location.start.line >= 1 && location.start.column >= 1, "{diagnostic:?}");
        if location.file == file.path() {
            if let Some(span) = location.span {
                assert!(span.start <= span.end && span.end as usize <= file.text().len(), "{diagnostic:?}");
            }
        }
    }
}

fuzz_target!(|bytes: &[u8]| {
    let (action_bytes, pairs) = match bytes.iter().position(|byte| *byte == 0) {
        Some(nul) => (&bytes[..nul], &bytes[nul + 1..]),
        None => (bytes, &[][..]),
    };
    let pairs: Vec<(String, String)> = String::from_utf8_lossy(pairs)
        .lines()
        .filter_map(|line| line.split_once('=').map(|(key, value)| (key.to_owned(), value.to_owned())))
        .collect();
    let catalog = catalog();
    let templates = vec![Arc::new(SourceFile::new(
        "actions/t/entity.yaml.j2",
        "identifier: {{ inputs.name | default('new') }}\nblueprint: Environment\n",
    ))];
    let run = RunContext { actor: "fuzz".to_owned(), now: parse_now("2026-01-01T00:00:00Z").expect("a time") };
    for path in ["actions/a.yaml", "actions/a.json"] {
        let parsed = parse_file(path, action_bytes, &Limits::default());
        let mut actions = Vec::new();
        for document in &parsed.documents {
            let (action, diagnostics) = read_action(&parsed.file, document);
            check_locations(&diagnostics, &parsed.file);
            actions.extend(action);
        }
        let present = |path: &str| templates.iter().any(|file| file.path() == path);
        check_locations(&check_actions(&actions, &catalog, &present), &parsed.file);
        for action in &actions {
            if action.automation.is_some() {
                // The event an automation fires on, as the reconciler builds it.
                let entity = serde_json::json!({"identifier": "dev", "blueprint": "Environment", "properties": {"ttl": "5d"}});
                let payload = serde_json::json!({"action": "TIMER_EXPIRED", "diff": {"before": entity, "after": entity}});
                if let Err(diagnostics) = render_inputs(action, &payload) {
                    check_locations(&diagnostics, &parsed.file);
                }
                continue;
            }
            let target = match (&action.operation, &action.blueprint) {
                (Some(operation), Some(blueprint)) if operation.value != Operation::Create => {
                    catalog.entities_of(&blueprint.value).first().map(|entity| &**entity)
                }
                _ => None,
            };
            if let Some(generated) = workflow(action, &catalog, &WorkflowOptions::default()) {
                assert!(generated.text.starts_with("# Generated by cairn actions workflows"));
            }
            let inputs = match Inputs::resolve(action, &pairs, None, &catalog, target) {
                Ok(inputs) => inputs,
                Err(diagnostics) => {
                    check_locations(&diagnostics, &parsed.file);
                    continue;
                }
            };
            let reference = target.map(|entity| entity.reference());
            let key = run_key(action, &inputs, reference.as_ref(), &[]);
            assert_eq!(key.len(), 12);
            let branch = branch_name(action, &inputs, reference.as_ref(), &[]);
            assert!(branch.starts_with("cairn/"), "{branch}");
            assert!(
                !branch.contains("..") && !branch.contains("//") && !branch.ends_with('/') && !branch.ends_with('.'),
                "{branch}"
            );
            assert!(branch.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"-_./".contains(&byte)), "{branch}");
            if let Ok((title, body)) = run_title(action, &inputs, target, &run) {
                let message = commit_message(action, &inputs, reference.as_ref(), &run, &title, &body);
                assert!(message.contains("\nCairn-Action: "));
            }
            match plan_change(action, &inputs, target, &catalog, &templates, &run) {
                Ok(changes) => {
                    for change in changes {
                        if let Change::Create { path, .. } = change {
                            assert!(unsafe_path(&path).is_none(), "an unsafe path: {path:?}");
                            assert!(!path.split('/').any(|part| part.eq_ignore_ascii_case(".git")), "{path:?}");
                        }
                    }
                }
                Err(diagnostics) => check_locations(&diagnostics, &parsed.file),
            }
        }
    }
});
