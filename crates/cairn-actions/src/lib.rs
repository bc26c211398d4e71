//! Self-service actions: Port-format actions under `actions/` read with spans, the `cairn` key
//! that says what a run changes, a run's inputs typed and checked against `userInputs` and the
//! catalog, the change a run makes (as `Change`s the engine applies), the run's identity (key,
//! branch, commit message with trailers), and the `workflow_dispatch` workflows that run actions
//! from GitHub's UI.
//!
//! Boundary: this crate reads parsed `Node`s and `SourceFile`s and returns values and findings;
//! it never reads files, the clock or the environment (a run's `now` and actor come in a
//! `RunContext`), and it does not edit bytes (cairn-edit does, called by the engine).

mod action;
mod automation;
mod change;
mod check;
mod expr;
mod inputs;
mod list;
mod run;
#[cfg(test)]
mod testing;
mod workflow;

pub use action::{
    ACTIONS_FOLDER, Action, CairnPart, EditOp, EditSpec, FileSpec, Operation, TriggerType, is_action_file,
    is_action_template, read_action,
};
pub use automation::{
    Automation, AutomationInput, BUNDLED, Combinator, Condition, DEFAULT_AUTOMATION, EventKind, TEARDOWN_ACTION,
    bundled, render_inputs, replaced,
};
pub use change::{Change, RunContext, find_target, plan_change};
pub use check::{check_actions, read_actions};
pub use inputs::{InputDef, InputType, Inputs, USER_BLUEPRINT, UserInputs, Values};
pub use list::{ActionSummary, AutomationSummary, InputSummary, summarize, to_json, to_table};
pub use run::{BRANCH_PREFIX, Basis, branch_name, commit_message, run_key, run_title};
pub use workflow::{
    MAX_CHOICES, MAX_WORKFLOW_INPUTS, WORKFLOW_PREFIX, WORKFLOWS_FOLDER, Workflow, WorkflowOptions, is_action_workflow,
    stale_workflows, workflow, workflow_path, workflows,
};
