//! GitHub workflows that run actions from the "Run workflow" form: one `workflow_dispatch`
//! workflow per self-service action, its inputs derived from `userInputs`, its one job running
//! the `actions/run` composite action of cairn's repository with least permissions. And the
//! check that the committed workflows are the ones cairn would generate.

use std::fmt::Write;
use std::sync::Arc;

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, Location, SourceFile};
use cairn_model::Catalog;
use serde_json::Value as Json;

use crate::action::{Action, TriggerType};
use crate::inputs::{InputDef, InputType};

/// The folder of GitHub workflows, at the repository's root.
pub const WORKFLOWS_FOLDER: &str = ".github/workflows";

/// The name every generated workflow file starts with.
pub const WORKFLOW_PREFIX: &str = "cairn-action-";

/// The most inputs a generated workflow has. GitHub's REST API for dispatching a workflow
/// documents at most 10 input properties
/// (https://docs.github.com/en/rest/actions/workflows#create-a-workflow-dispatch-event, `inputs`),
/// and GitHub refuses a workflow file declaring more ("you may only define up to 10 `inputs`
/// for a `workflow_dispatch` event"). Later pages report github.com taking 25; cairn keeps the
/// lower figure so that its workflows also run where the old limit holds (GitHub Enterprise
/// Server).
pub const MAX_WORKFLOW_INPUTS: usize = 10;

/// Entity inputs become a choice of the current identifiers up to this many; a longer list
/// would make the form unusable, so beyond it the input is text that `cairn run` checks.
pub const MAX_CHOICES: usize = 50;

/// `actions/checkout`, pinned by its full commit SHA as cairn's own workflows pin it (a tag can
/// be moved; a SHA cannot).
const CHECKOUT: &str = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1";

/// How workflows are generated.
#[derive(Clone, Debug)]
pub struct WorkflowOptions {
    /// The composite action the job uses: `cairn-platform/cairn/actions/run@<ref>`.
    pub uses: String,
    /// The platform's folder in the repository (`Source::prefix`), passed to the run as `path`
    /// when the platform is not at the repository's root.
    pub path: Option<String>,
}

impl Default for WorkflowOptions {
    /// cairn's `actions/run` at the tag of this cairn's version.
    fn default() -> Self {
        WorkflowOptions { uses: format!("cairn-platform/cairn/actions/run@v{}", env!("CARGO_PKG_VERSION")), path: None }
    }
}

/// One generated workflow.
#[derive(Clone, Debug, PartialEq)]
pub struct Workflow {
    /// `.github/workflows/cairn-action-<id>.yml`, relative to the repository root.
    pub path: String,
    pub text: String,
    /// Inputs that could not be carried (too many, or names GitHub does not take).
    pub diagnostics: Vec<Diagnostic>,
}

/// The path of the workflow of the action `identifier`.
#[must_use]
pub fn workflow_path(identifier: &str) -> String {
    let name: String = identifier
        .chars()
        .map(|ch| if ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.') { ch } else { '-' })
        .collect();
    format!("{WORKFLOWS_FOLDER}/{WORKFLOW_PREFIX}{name}.yml")
}

/// Whether `path` (repository-relative) is a workflow `cairn actions workflows` writes.
#[must_use]
pub fn is_action_workflow(path: &str) -> bool {
    path.strip_prefix(WORKFLOWS_FOLDER)
        .and_then(|rest| rest.strip_prefix('/'))
        // Generated files end in `.yml` exactly, as `workflow_path` writes them.
        .is_some_and(|name| {
            name.starts_with(WORKFLOW_PREFIX) && !name.contains('/') && name.rsplit('.').next() == Some("yml")
        })
}

/// The workflows of every self-service action, in the actions' order.
#[must_use]
pub fn workflows(actions: &[Action], catalog: &Catalog, options: &WorkflowOptions) -> Vec<Workflow> {
    actions.iter().filter_map(|action| workflow(action, catalog, options)).collect()
}

/// GitHub's rule for an input's id: a letter or `_`, then letters, digits, `-` or `_`
/// (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#onworkflow_dispatchinputs,
/// `inputs.<input_id>` "must start with a letter or `_` and contain only alphanumeric
/// characters, `-`, or `_`").
fn is_input_id(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
}

/// The workflow of one self-service action (`None` for an automation, a bundled action, which
/// only the bundled automation runs, or an action without an operation or blueprint).
#[must_use]
pub fn workflow(action: &Action, catalog: &Catalog, options: &WorkflowOptions) -> Option<Workflow> {
    if action.trigger != TriggerType::SelfService || action.bundled {
        return None;
    }
    let operation = action.operation.as_ref()?.value;
    let blueprint = action.blueprint.as_ref()?.value.as_str();
    let mut diagnostics = Vec::new();
    let mut text = String::new();
    let _ = writeln!(text, "# Generated by cairn actions workflows from {}: do not edit", action.file.path());
    let title = action.title.as_deref().unwrap_or(&action.identifier.value);
    let _ = writeln!(text, "name: {}", quoted(title));
    text.push_str("on:\n  workflow_dispatch:\n");
    let mut inputs = String::new();
    let mut count = 0;
    if operation.needs_target() {
        count += 1;
        inputs.push_str("      entity:\n");
        let _ = writeln!(inputs, "        description: {}", quoted(&format!("The {blueprint} to change")));
        inputs.push_str("        required: true\n");
        let identifiers: Vec<&str> =
            catalog.entities_of(blueprint).iter().map(|entity| entity.identifier.value.as_str()).collect();
        choice_or_string(&mut inputs, &identifiers);
    }
    let mut left_out: Vec<&str> = Vec::new();
    for input in action.inputs.ordered() {
        if !is_input_id(&input.name) || input.name == "entity" {
            diagnostics.push(
                Diagnostic::new(
                    Code::TooManyWorkflowInputs,
                    format!(
                        "the input `{}` cannot be a workflow input: GitHub takes names of letters, digits, `-` and `_`",
                        input.name
                    ),
                )
                .at_span(&action.file, input.name_span)
                .with_help("rename the input (`entity` is the workflow's own input for the entity acted on)"),
            );
            continue;
        }
        if count == MAX_WORKFLOW_INPUTS {
            left_out.push(&input.name);
            continue;
        }
        count += 1;
        workflow_input(&mut inputs, input, catalog);
    }
    if !left_out.is_empty() {
        let names: Vec<String> = left_out.iter().map(|name| format!("`{name}`")).collect();
        diagnostics.push(
            Diagnostic::new(
                Code::TooManyWorkflowInputs,
                format!(
                    "the action has more than {MAX_WORKFLOW_INPUTS} workflow inputs: {} left out of its workflow",
                    names.join(", ")
                ),
            )
            .at_span(&action.file, action.identifier.span)
            .with_help("GitHub takes at most 10 inputs in a `workflow_dispatch` form: give the others defaults, or order the important ones first with `order`"),
        );
    }
    if inputs.is_empty() {
        text.push_str("    inputs: {}\n");
    } else {
        text.push_str("    inputs:\n");
        text.push_str(&inputs);
    }
    // No permission but for the job that needs them.
    text.push_str("permissions: {}\n");
    let _ = writeln!(
        text,
        "concurrency:\n  group: {}\n  cancel-in-progress: false",
        quoted(&format!("cairn-action-{}", action.identifier.value))
    );
    text.push_str("jobs:\n  run:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n      pull-requests: write\n    steps:\n");
    let _ = writeln!(text, "      - uses: {CHECKOUT}");
    text.push_str("        with:\n          persist-credentials: false\n");
    let _ = writeln!(text, "      - uses: {}", options.uses);
    text.push_str("        with:\n");
    if let Some(path) = options.path.as_deref().filter(|path| !path.is_empty()) {
        let _ = writeln!(text, "          path: {}", quoted(path));
    }
    let _ = writeln!(text, "          action: {}", quoted(&action.identifier.value));
    if operation.needs_target() {
        let _ = writeln!(text, "          entity: {}", quoted(&format!("{blueprint}:${{{{ inputs.entity }}}}")));
    }
    // Every input of the form as one JSON object: `actions/run` gives each key to `cairn run` as
    // `--set key=value` through the environment (never as shell code), leaving out empty values
    // (so defaults apply) and `entity`, the workflow's own input.
    text.push_str("          inputs: ${{ toJSON(inputs) }}\n");
    Some(Workflow { path: workflow_path(&action.identifier.value), text, diagnostics })
}

fn choice_or_string(out: &mut String, options: &[&str]) {
    if options.is_empty() || options.len() > MAX_CHOICES {
        out.push_str("        type: string\n");
    } else {
        out.push_str("        type: choice\n        options:\n");
        for option in options {
            let _ = writeln!(out, "          - {}", quoted(option));
        }
    }
}

fn workflow_input(out: &mut String, input: &InputDef, catalog: &Catalog) {
    let _ = writeln!(out, "      {}:", input.name);
    let description = input.description.as_deref().or(input.title.as_deref()).unwrap_or(&input.name);
    let _ = writeln!(out, "        description: {}", quoted(description));
    let _ = writeln!(out, "        required: {}", input.required);
    let entity = input.kind == InputType::String && input.format.as_deref() == Some("entity");
    if let Some(options) = &input.options {
        let options: Vec<String> = options.iter().map(crate::inputs::plain).collect();
        out.push_str("        type: choice\n        options:\n");
        for option in &options {
            let _ = writeln!(out, "          - {}", quoted(option));
        }
    } else if entity {
        let blueprint = input.blueprint.as_ref().map_or("", |blueprint| blueprint.value.as_str());
        let identifiers: Vec<&str> =
            catalog.entities_of(blueprint).iter().map(|entity| entity.identifier.value.as_str()).collect();
        choice_or_string(out, &identifiers);
    } else {
        let kind = match input.kind {
            InputType::Number | InputType::Integer => "number",
            InputType::Boolean => "boolean",
            // Lists and objects are typed as JSON text, as `--set` takes them.
            InputType::String | InputType::Array | InputType::Object => "string",
        };
        let _ = writeln!(out, "        type: {kind}");
    }
    if let Some(default) = &input.default {
        let value = match default {
            Json::Bool(flag) => flag.to_string(),
            Json::Number(number) => number.to_string(),
            Json::String(text) => quoted(text),
            other => quoted(&other.to_string()),
        };
        let _ = writeln!(out, "        default: {value}");
    }
}

/// `text` as a YAML double-quoted scalar: JSON's string escapes are YAML's too.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

const STALE_HELP: &str = "regenerate them with `cairn actions workflows --out .github/workflows`";

/// Findings about the committed action workflows (`committed`: the files `is_action_workflow`
/// selects, paths relative to the repository root): one that differs from what cairn generates
/// now, an action without its workflow, a workflow without its action. Platforms that commit no
/// action workflow get none, so that using them stays a choice.
#[must_use]
pub fn stale_workflows(
    actions: &[Action],
    catalog: &Catalog,
    options: &WorkflowOptions,
    committed: &[Arc<SourceFile>],
) -> Vec<Diagnostic> {
    if committed.is_empty() {
        return Vec::new();
    }
    let mut diagnostics = Vec::new();
    let generated: Vec<(Workflow, &Action)> = actions
        .iter()
        .filter_map(|action| workflow(action, catalog, options).map(|workflow| (workflow, action)))
        .collect();
    for (workflow, action) in &generated {
        match committed.iter().find(|file| file.path() == workflow.path) {
            Some(file) if file.text() == workflow.text => {}
            Some(file) => {
                let line = file
                    .text()
                    .lines()
                    .zip(workflow.text.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| file.text().lines().count().min(workflow.text.lines().count()));
                let start = file.line_offset(line as u32 + 1);
                diagnostics.push(
                    Diagnostic::new(
                        Code::StaleWorkflow,
                        format!("the workflow of action `{}` is not the one cairn generates", action.identifier.value),
                    )
                    .at(Location::new(file, ByteSpan::at(start)))
                    .with_help(STALE_HELP),
                );
            }
            None => diagnostics.push(
                Diagnostic::new(
                    Code::StaleWorkflow,
                    format!("the action `{}` has no workflow `{}`", action.identifier.value, workflow.path),
                )
                .at_span(&action.file, action.identifier.span)
                .with_help(STALE_HELP),
            ),
        }
    }
    for file in committed {
        if !generated.iter().any(|(workflow, _)| workflow.path == file.path()) {
            diagnostics.push(
                Diagnostic::new(
                    Code::OrphanWorkflow,
                    format!("the workflow `{}` runs no action of the platform", file.path()),
                )
                .at(Location::new(file, ByteSpan::at(0)))
                .with_help(
                    "delete it, or regenerate the workflows with `cairn actions workflows --out .github/workflows`",
                ),
            );
        }
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics
}

#[cfg(test)]
mod tests;
