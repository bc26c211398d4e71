use std::sync::Arc;

use cairn_diagnostics::{Code, SourceFile};
use cairn_edit::{Edit, Segment};
use serde_json::json;

use super::{Change, RunContext, find_target, plan_change};
use crate::inputs::Inputs;
use crate::testing::{action, catalog};

fn run() -> RunContext {
    RunContext { actor: "alice".to_owned(), now: "2026-12-03T21:00:00Z".parse().expect("an instant") }
}

fn inputs(value: serde_json::Value) -> Inputs {
    Inputs { values: serde_json::from_value(value).expect("an object") }
}

fn key(path: &str) -> Vec<Segment> {
    path.split('.').map(|segment| Segment::Key(segment.to_owned())).collect()
}

const DAY_TWO: &str = "identifier: extend-ttl\ntrigger:\n  type: self-service\n  operation: DAY-2\n  blueprintIdentifier: Environment\n  userInputs:\n    properties:\n      days: {type: number}\n      component: {type: string}\ncairn:\n  edits:\n    - set: properties.ttl\n      value: \"{{ entity.properties.ttl | ttl_add(days=inputs.days) }}\"\n    - add: relations.components\n      value: \"{{ inputs.component }}\"\n    - add: relations.components\n      value: \"{{ inputs.component }}\"\n    - append: properties.resources\n      value: {name: db, size: \"{{ inputs.days * 2 }}\", by: \"{{ run.actor }}\"}\n    - unset: properties.owner\n";

#[test]
fn day_two_edits_the_entity_document() {
    let catalog = catalog();
    let entity = catalog.entity("Environment", "dev-alice").expect("in the catalog");
    let action = action("actions/extend-ttl.yaml", DAY_TWO);
    let changes =
        plan_change(&action, &inputs(json!({"days": 3, "component": "web"})), Some(entity), &catalog, &[], &run())
            .expect("planned");
    assert_eq!(
        changes,
        [Change::Edit {
            path: "environments/dev-alice.yaml".to_owned(),
            at: entity.span.start,
            edits: vec![
                Edit::Set { path: key("properties.ttl"), value: json!("8d") },
                // The second `add` of the same value finds it added by the first.
                Edit::Append { path: key("relations.components"), value: json!("web") },
                Edit::Append {
                    path: key("properties.resources"),
                    value: json!({"name": "db", "size": 6, "by": "alice"})
                },
                Edit::Unset { path: key("properties.owner") },
            ],
        }]
    );
    // Adding a component the entity already lists changes nothing for that edit.
    let changes =
        plan_change(&action, &inputs(json!({"days": 0, "component": "checkout"})), Some(entity), &catalog, &[], &run())
            .expect("planned");
    let Change::Edit { edits, .. } = &changes[0] else { panic!("an edit: {changes:?}") };
    assert!(
        !edits.iter().any(|edit| matches!(edit, Edit::Append { path, .. } if *path == key("relations.components")))
    );
}

#[test]
fn expression_failures_land_on_the_value() {
    let catalog = catalog();
    let entity = catalog.entity("Environment", "dev-alice").expect("in the catalog");
    let action = action("actions/extend-ttl.yaml", DAY_TWO);
    let found =
        plan_change(&action, &inputs(json!({"days": 3})), Some(entity), &catalog, &[], &run()).expect_err("refused");
    // Both `add`s read the missing `inputs.component`; each is located on its own value.
    let lines: Vec<(Code, Option<u32>)> =
        found.iter().map(|d| (d.code, d.location.as_ref().map(|l| l.start.line))).collect();
    assert_eq!(lines, [(Code::ActionExpression, Some(15)), (Code::ActionExpression, Some(17))]);
}

#[test]
fn targets_are_checked() {
    let catalog = catalog();
    let action = action("actions/extend-ttl.yaml", DAY_TWO);
    let none = plan_change(&action, &inputs(json!({})), None, &catalog, &[], &run()).expect_err("refused");
    assert_eq!(none[0].code, Code::InvalidRunTarget);
    assert_eq!(none[0].help.as_deref(), Some("name it with `--entity Environment:IDENTIFIER`"));
    let system = catalog.entity("System", "checkout").expect("in the catalog");
    let wrong = plan_change(&action, &inputs(json!({})), Some(system), &catalog, &[], &run()).expect_err("refused");
    assert_eq!(wrong[0].message, "the action `extend-ttl` acts on `Environment` entities, not on `System:checkout`");
}

#[test]
fn delete_removes_the_document() {
    let catalog = catalog();
    let entity = catalog.entity("Environment", "dev-alice").expect("in the catalog");
    let action = action(
        "actions/teardown.yaml",
        "identifier: teardown\ntrigger: {type: self-service, operation: DELETE, blueprintIdentifier: Environment}\n",
    );
    let changes = plan_change(&action, &Inputs::default(), Some(entity), &catalog, &[], &run()).expect("planned");
    assert_eq!(
        changes,
        [Change::RemoveDocument { path: "environments/dev-alice.yaml".to_owned(), at: entity.span.start }]
    );
}

const CREATE: &str = "identifier: new-env\ntrigger:\n  type: self-service\n  operation: CREATE\n  blueprintIdentifier: Environment\n  userInputs:\n    properties:\n      name: {type: string}\ncairn:\n  files:\n    - path: \"environments/{{ inputs.name }}.yaml\"\n      template: new-env/env.yaml.j2\n    - path: \"{{ inputs.name }}/README.md\"\n      template: new-env/readme.md.j2\n";

fn templates(entity: &str) -> Vec<Arc<SourceFile>> {
    vec![
        Arc::new(SourceFile::new("actions/new-env/env.yaml.j2", entity)),
        Arc::new(SourceFile::new(
            "actions/new-env/readme.md.j2",
            "# {{ inputs.name }}\nby {{ run.actor }} on {{ run.date }}\n",
        )),
    ]
}

#[test]
fn create_renders_the_files() {
    let catalog = catalog();
    let action = action("actions/new-env.yaml", CREATE);
    let templates = templates("identifier: {{ inputs.name }}\nproperties:\n  ttl: 5d\n  createdAt: {{ run.now }}\n");
    let changes =
        plan_change(&action, &inputs(json!({"name": "dev-bob"})), None, &catalog, &templates, &run()).expect("planned");
    assert_eq!(
        changes,
        [
            Change::Create {
                path: "environments/dev-bob.yaml".to_owned(),
                text: "identifier: dev-bob\nproperties:\n  ttl: 5d\n  createdAt: 2026-12-03T21:00:00Z\n".to_owned()
            },
            Change::Create {
                path: "dev-bob/README.md".to_owned(),
                text: "# dev-bob\nby alice on 2026-12-03\n".to_owned()
            },
        ]
    );
}

#[test]
fn create_refuses_what_it_must_not_write() {
    let catalog = catalog();
    let action = action("actions/new-env.yaml", CREATE);
    let templates = templates("identifier: {{ inputs.name }}\n");
    let refused = |name: &str, templates: &[Arc<SourceFile>]| {
        plan_change(&action, &inputs(json!({"name": name})), None, &catalog, templates, &run()).expect_err("refused")
    };
    let existing = refused("dev-alice", &templates);
    assert_eq!(existing[0].code, Code::EntityExists);
    assert_eq!(
        existing[0].message,
        "the entity `Environment:dev-alice` already exists, in `environments/dev-alice.yaml` line 8"
    );
    assert_eq!(existing[0].related.len(), 1);
    let outside = refused("../../etc", &templates);
    assert_eq!(outside.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::UnsafeActionPath, Code::UnsafeActionPath]);
    let git = refused(".git/hooks", &templates);
    assert!(git[0].message.contains("`.git/`"), "{git:?}");
    let wrong = refused("dev-x", &self::templates("identifier: x\nblueprint: System\n"));
    assert_eq!(wrong[0].code, Code::InvalidNewEntity);
    let two = refused("dev-x", &self::templates("identifier: a\n---\nidentifier: b\n"));
    assert!(two[0].message.contains("2 documents"), "{two:?}");
    let missing = refused("dev-x", &[]);
    assert_eq!(missing[0].code, Code::ActionTemplateMissing);
    let failing = refused("dev-x", &self::templates("identifier: {{ inputs.nope }}\n"));
    assert_eq!(failing[0].code, Code::ActionExpression);
    assert_eq!(
        failing[0].location.as_ref().map(|l| (l.file.as_str(), l.start.line)),
        Some(("actions/new-env/env.yaml.j2", 1))
    );
}

#[test]
fn automations_do_not_run() {
    let catalog = catalog();
    let action = action(
        "actions/auto.yaml",
        "identifier: auto\ntrigger: {type: automation, event: {type: ENTITY_CREATED, blueprintIdentifier: Environment}}\n",
    );
    let found = plan_change(&action, &Inputs::default(), None, &catalog, &[], &run()).expect_err("refused");
    assert_eq!(found[0].code, Code::ActionNotRunnable);
}

#[test]
fn a_day_two_action_without_edits_is_not_run() {
    let catalog = catalog();
    let entity = catalog.entity("Environment", "dev-alice").expect("in the catalog");
    // As `cairn import port` keeps an action: Port's format, no `cairn` key.
    let action = action(
        "actions/deploy.json",
        r#"{"identifier": "deploy", "trigger": {"type": "self-service", "operation": "DAY-2", "blueprintIdentifier": "Environment"}, "invocationMethod": {"type": "GITHUB"}}"#,
    );
    let found = plan_change(&action, &Inputs::default(), Some(entity), &catalog, &[], &run()).expect_err("refused");
    assert_eq!(found[0].code, Code::InvalidCairnKey);
    assert_eq!(found[0].message, "the DAY-2 action `deploy` has no `cairn.edits`, so a run would change nothing");
    let action = crate::testing::action(
        "actions/create.json",
        r#"{"identifier": "create", "trigger": {"type": "self-service", "operation": "CREATE", "blueprintIdentifier": "Environment"}}"#,
    );
    let found = plan_change(&action, &Inputs::default(), None, &catalog, &[], &run()).expect_err("refused");
    assert_eq!(found[0].message, "the CREATE action `create` has no `cairn.files`, so a run would change nothing");
}

#[test]
fn the_entity_flag_names_an_entity() {
    let catalog = catalog();
    let action = action("actions/extend-ttl.yaml", DAY_TWO);
    let found = |text: &str| find_target(&action, &catalog, text).map(|entity| entity.reference().to_string());
    assert_eq!(found("Environment:dev-alice").as_deref(), Ok("Environment:dev-alice"));
    assert_eq!(found("dev-alice").as_deref(), Ok("Environment:dev-alice"));
    assert_eq!(found("System:checkout").as_deref(), Ok("System:checkout"));
    let missing = find_target(&action, &catalog, "dev-alcie").expect_err("refused");
    assert_eq!(missing.code, Code::InvalidRunTarget);
    assert_eq!(missing.message, "`--entity dev-alcie` names no `Environment` entity");
    assert_eq!(missing.help.as_deref(), Some("did you mean `Environment:dev-alice`?"));
}
