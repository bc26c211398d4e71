//! `prepare`: everything `cairn run` decides before it writes a byte or calls GitHub. The
//! platform is read once; the action is found, its target and inputs checked, its change planned
//! (cairn-actions) and applied in memory (`apply`), and the result planned against the head
//! (`preview`), with the run's identity: title, body, commit message and branch.

use std::collections::BTreeSet;
use std::sync::Arc;

use cairn_actions::{Action, Inputs, Operation, RunContext, Values};
use cairn_diagnostics::{Code, Diagnostic, EntityRef, Location, Severity, SourceMap, did_you_mean};
use cairn_model::{Catalog, Timestamp};
use cairn_source::Source;

use super::apply::{FileWrite, apply};
use super::preview::preview;
use crate::error::EngineError;
use crate::load::{Loaded, load};
use crate::plan::Plan;

/// What a run is asked to do.
#[derive(Clone, Debug)]
pub struct RunRequest {
    /// The action's identifier.
    pub action: String,
    /// `--entity`: `BP:ID`, or the identifier alone for the action's blueprint.
    pub entity: Option<String>,
    /// `--set key=value` pairs, in the order given.
    pub set: Vec<(String, String)>,
    /// `--values FILE`: its path (for findings) and bytes.
    pub values: Option<(String, Vec<u8>)>,
    /// Who runs it, for the trailers and the pull request.
    pub actor: String,
    pub now: Timestamp,
    /// The operation the action must have (`cairn new` runs CREATE actions only).
    pub operation: Option<Operation>,
}

/// A run decided and previewed; nothing written yet.
#[derive(Debug)]
pub struct PreparedRun {
    pub action: Action,
    pub inputs: Inputs,
    pub target: Option<EntityRef>,
    /// The files the run writes, with their bytes before and after (paths platform-relative).
    pub writes: Vec<FileWrite>,
    /// The pull request's title and body, and the commit message with its `Cairn-*` trailers.
    pub title: String,
    pub body: String,
    pub message: String,
    /// `cairn/<action>/<subject>-<key>`: the same run on the same files has the same branch.
    pub branch: String,
    /// The head with the writes, planned against the head.
    pub plan: Plan,
}

/// Why a run could not be prepared.
#[derive(Debug)]
pub enum RunFailure {
    /// The action, its target, its inputs or its change are wrong: located findings, and the
    /// files they point into.
    Findings { diagnostics: Vec<Diagnostic>, sources: SourceMap },
    /// The platform could not be read or judged.
    Engine(EngineError),
}

impl From<EngineError> for RunFailure {
    fn from(error: EngineError) -> Self {
        RunFailure::Engine(error)
    }
}

/// Prepares `request` on the platform at `head`.
pub fn prepare(head: &Source, request: &RunRequest) -> Result<PreparedRun, RunFailure> {
    let mut loaded = load(head)?;
    let sources = sources(&loaded);
    let fail = |diagnostics: Vec<Diagnostic>| RunFailure::Findings { diagnostics, sources: sources.clone() };
    let entities = std::mem::take(&mut loaded.entities);
    let (catalog, _) = Catalog::build(loaded.bundled_blueprints.clone(), loaded.declared_blueprints.clone(), entities);

    let action = find_action(&loaded, &request.action).map_err(|finding| fail(vec![*finding]))?;
    // The action itself must read cleanly: a run of a broken action is refused with its findings.
    let broken: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.location.as_ref().is_some_and(|l| l.file == action.file.path()))
        .cloned()
        .collect();
    if !broken.is_empty() {
        return Err(fail(broken));
    }
    if let Some(wanted) = request.operation
        && action.operation.as_ref().map(|operation| operation.value) != Some(wanted)
    {
        return Err(fail(vec![not_of_operation(action, wanted)]));
    }
    let target = match &request.entity {
        Some(text) => Some(cairn_actions::find_target(action, &catalog, text).map_err(|finding| fail(vec![*finding]))?),
        None => None,
    };
    let values = match &request.values {
        Some((path, bytes)) => Some(Values::read(path, bytes, &loaded.settings.limits()).map_err(fail)?),
        None => None,
    };
    let inputs = Inputs::resolve(action, &request.set, values.as_ref(), &catalog, target).map_err(fail)?;
    let run = RunContext { actor: request.actor.clone(), now: request.now };
    let changes =
        cairn_actions::plan_change(action, &inputs, target, &catalog, &loaded.action_templates, &run).map_err(fail)?;
    let mut writes = apply(head, &changes).map_err(fail)?;
    writes.extend(workflow_writes(head, &loaded, &writes)?);
    let (title, body) = cairn_actions::run_title(action, &inputs, target, &run).map_err(fail)?;
    let reference = target.map(cairn_model::Entity::reference);
    let message = cairn_actions::commit_message(action, &inputs, reference.as_ref(), &run, &title, &body);
    let basis: Vec<(&str, Option<&[u8]>)> =
        writes.iter().map(|write| (write.path.as_str(), write.before.as_deref())).collect();
    let branch = cairn_actions::branch_name(action, &inputs, reference.as_ref(), &basis);
    let plan = preview(head, &writes, request.now)?;
    Ok(PreparedRun { action: action.clone(), inputs, target: reference, writes, title, body, message, branch, plan })
}

/// The committed action workflows the run makes stale, regenerated: an entity choice of a
/// workflow lists the blueprint's identifiers, so a run that adds or removes an entity changes
/// the workflows that offer it, in the same pull request. None when the platform commits no
/// action workflow.
fn workflow_writes(head: &Source, loaded: &Loaded, writes: &[FileWrite]) -> Result<Vec<FileWrite>, EngineError> {
    if loaded.action_workflows.is_empty() || writes.is_empty() {
        return Ok(Vec::new());
    }
    let after =
        Source::overlay(head.clone(), writes.iter().map(|write| (write.path.clone(), write.after.clone())).collect());
    let set = crate::actions::actions(&after, &cairn_actions::WorkflowOptions::default())?;
    let mut regenerated = Vec::new();
    for workflow in set.workflows {
        let before = loaded.action_workflows.iter().find(|file| file.path() == workflow.path);
        if before.is_some_and(|file| file.text() == workflow.text) {
            continue;
        }
        regenerated.push(FileWrite {
            path: workflow.path,
            before: before.map(|file| file.text().as_bytes().to_vec()),
            after: Some(workflow.text.into_bytes()),
        });
    }
    Ok(regenerated)
}

/// Every file `load` read, for rendering findings.
fn sources(loaded: &Loaded) -> SourceMap {
    let mut sources = SourceMap::new();
    for file in &loaded.files {
        sources.insert(Arc::clone(file));
    }
    sources
}

/// The action named `identifier`, or a finding naming those there are.
fn find_action<'a>(loaded: &'a Loaded, identifier: &str) -> Result<&'a Action, Box<Diagnostic>> {
    if let Some(action) = loaded.actions.iter().find(|action| action.identifier.value == identifier) {
        return Ok(action);
    }
    let known: BTreeSet<&str> = loaded.actions.iter().map(|action| action.identifier.value.as_str()).collect();
    let mut finding = Diagnostic::new(Code::UnknownAction, format!("the platform has no action `{identifier}`"))
        .at(Location::file(cairn_actions::ACTIONS_FOLDER));
    finding = match did_you_mean(identifier, known.iter().copied()) {
        Some(near) => finding.with_help(format!("did you mean `{near}`? `cairn actions list` lists the actions")),
        None if known.is_empty() => finding.with_help(
            "the platform declares no action: add one under `actions/` (docs/actions.md), or run where the platform is",
        ),
        None => finding.with_help("`cairn actions list` lists the actions"),
    };
    Err(Box::new(finding))
}

fn not_of_operation(action: &Action, wanted: Operation) -> Diagnostic {
    let has = action.operation.as_ref().map_or("no operation", |operation| operation.value.as_str());
    Diagnostic::new(
        Code::ActionNotRunnable,
        format!("the action `{}` is a {has} action, not a {} action", action.identifier.value, wanted.as_str()),
    )
    .at_span(&action.file, action.identifier.span)
    .with_help(format!("run it with `cairn run {}`", action.identifier.value))
}
