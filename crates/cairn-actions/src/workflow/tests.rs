use std::sync::Arc;

use cairn_diagnostics::{Code, SourceFile};

use super::{WorkflowOptions, is_action_workflow, stale_workflows, workflow, workflow_path};
use crate::testing::{action, catalog};

const EXTEND: &str = "identifier: extend-ttl\ntitle: Extend an environment's lifetime\ntrigger:\n  type: self-service\n  operation: DAY-2\n  blueprintIdentifier: Environment\n  userInputs:\n    properties:\n      days: {type: number, title: Days, minimum: 1, default: 3}\n      size: {type: string, enum: [small, large], description: \"How \\\"big\\\": #1\"}\n      system: {type: string, format: entity, blueprint: System}\n      postgres: {type: boolean}\n      tags: {type: array}\n    required: [days, system]\n    order: [system]\ncairn:\n  edits:\n    - set: properties.ttl\n      value: \"{{ entity.properties.ttl | ttl_add(days=inputs.days) }}\"\n";

fn options() -> WorkflowOptions {
    WorkflowOptions { uses: "cairn-platform/cairn/actions/run@v0.1.0".to_owned(), path: None }
}

#[test]
fn a_day_two_workflow() {
    let action = action("actions/extend-ttl.yaml", EXTEND);
    let generated = workflow(&action, &catalog(), &options()).expect("a self-service action");
    assert_eq!(generated.path, ".github/workflows/cairn-action-extend-ttl.yml");
    assert!(generated.diagnostics.is_empty(), "{:?}", generated.diagnostics);
    insta::assert_snapshot!(generated.text);
    // Stable bytes, and YAML whose structure is what GitHub reads.
    assert_eq!(workflow(&action, &catalog(), &options()).expect("again").text, generated.text);
    let parsed: serde_yaml::Value = serde_yaml::from_str(&generated.text).expect("YAML");
    let inputs = &parsed["on"]["workflow_dispatch"]["inputs"];
    assert_eq!(inputs["entity"]["options"], serde_yaml::from_str::<serde_yaml::Value>("[dev-alice]").expect("yaml"));
    assert_eq!(inputs["system"]["type"].as_str(), Some("choice"));
    assert_eq!(inputs["days"]["type"].as_str(), Some("number"));
    assert_eq!(inputs["days"]["required"].as_bool(), Some(true));
    assert_eq!(inputs["size"]["required"].as_bool(), Some(false));
    assert_eq!(inputs["system"]["required"].as_bool(), Some(true));
    assert_eq!(inputs["size"]["description"].as_str(), Some("How \"big\": #1"));
    let job = &parsed["jobs"]["run"];
    assert_eq!(job["permissions"]["contents"].as_str(), Some("write"));
    assert_eq!(job["permissions"]["pull-requests"].as_str(), Some("write"));
    assert_eq!(job["steps"][1]["with"]["entity"].as_str(), Some("Environment:${{ inputs.entity }}"));
    assert_eq!(job["steps"][1]["with"]["inputs"].as_str(), Some("${{ toJSON(inputs) }}"));
}

#[test]
fn more_than_ten_inputs_are_a_warning() {
    let properties: Vec<String> = (0..12).map(|index| format!("      i{index}: {{type: string}}\n")).collect();
    let properties = properties.concat();
    let text = format!(
        "identifier: many\ntrigger:\n  type: self-service\n  operation: DELETE\n  blueprintIdentifier: Environment\n  userInputs:\n    properties:\n{properties}"
    );
    let action = action("actions/many.yaml", &text);
    let generated = workflow(&action, &catalog(), &options()).expect("a self-service action");
    let codes: Vec<Code> = generated.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::TooManyWorkflowInputs]);
    assert!(generated.diagnostics[0].message.contains("`i9`, `i10`, `i11` left out"), "{:?}", generated.diagnostics);
    let parsed: serde_yaml::Value = serde_yaml::from_str(&generated.text).expect("YAML");
    assert_eq!(parsed["on"]["workflow_dispatch"]["inputs"].as_mapping().map(serde_yaml::Mapping::len), Some(10));
}

#[test]
fn committed_workflows_are_checked_only_when_there_are_some() {
    let catalog = catalog();
    let action = action("actions/extend-ttl.yaml", EXTEND);
    let teardown = crate::testing::action(
        "actions/teardown.yaml",
        "identifier: teardown\ntrigger: {type: self-service, operation: DELETE, blueprintIdentifier: Environment}\n",
    );
    let actions = [action, teardown];
    assert!(stale_workflows(&actions, &catalog, &options(), &[]).is_empty());
    let current = workflow(&actions[0], &catalog, &options()).expect("generated");
    let fresh = Arc::new(SourceFile::new(current.path.clone(), current.text.clone()));
    let edited = Arc::new(SourceFile::new(current.path.clone(), current.text.replace("Days", "Nights")));
    let orphan = Arc::new(SourceFile::new(workflow_path("gone"), "name: gone\n"));
    let found = stale_workflows(&actions, &catalog, &options(), &[fresh]);
    let shown: Vec<(Code, &str)> = found.iter().map(|d| (d.code, d.message.as_str())).collect();
    assert_eq!(
        shown,
        [(Code::StaleWorkflow, "the action `teardown` has no workflow `.github/workflows/cairn-action-teardown.yml`")]
    );
    let found = stale_workflows(&actions, &catalog, &options(), &[edited, orphan]);
    let shown: Vec<(Code, String, u32)> =
        found.iter().map(|d| (d.code, d.message.clone(), d.location.as_ref().map_or(0, |l| l.start.line))).collect();
    assert_eq!(
        shown,
        [
            (Code::StaleWorkflow, "the workflow of action `extend-ttl` is not the one cairn generates".to_owned(), 19),
            (
                Code::OrphanWorkflow,
                "the workflow `.github/workflows/cairn-action-gone.yml` runs no action of the platform".to_owned(),
                1
            ),
            (
                Code::StaleWorkflow,
                "the action `teardown` has no workflow `.github/workflows/cairn-action-teardown.yml`".to_owned(),
                1
            ),
        ]
    );
    assert!(found.iter().all(|d| d.help.as_deref().is_some_and(|help| help.contains("cairn actions workflows"))));
}

#[test]
fn workflow_files_are_named_by_action() {
    assert_eq!(workflow_path("a/b c"), ".github/workflows/cairn-action-a-b-c.yml");
    assert!(is_action_workflow(".github/workflows/cairn-action-x.yml"));
    assert!(!is_action_workflow(".github/workflows/ci.yml"));
    assert!(!is_action_workflow(".github/workflows/sub/cairn-action-x.yml"));
}

#[test]
fn a_platform_in_a_folder_is_named_to_the_run() {
    let action = action("actions/extend-ttl.yaml", EXTEND);
    let options = WorkflowOptions { path: Some("platform".to_owned()), ..options() };
    let generated = workflow(&action, &catalog(), &options).expect("a self-service action");
    let parsed: serde_yaml::Value = serde_yaml::from_str(&generated.text).expect("YAML");
    assert_eq!(parsed["jobs"]["run"]["steps"][1]["with"]["path"].as_str(), Some("platform"));
    assert_eq!(parsed["jobs"]["run"]["steps"][1]["with"]["action"].as_str(), Some("extend-ttl"));
}
