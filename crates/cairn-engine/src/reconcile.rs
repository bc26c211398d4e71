//! `due`: everything a reconcile should do at a revision, decided from git and `now` alone
//! (docs/reconcile.md). Each automation (the platform's, and the bundled default unless the
//! platform replaces it) fires for the entities its event names: timers from the state at the
//! revision (every entity expired as of `now` and still declared), entity events from the one
//! catalog diff between the revision's first parent and the revision. Each firing is a run of
//! the automation's `cairn.run`, prepared as `cairn run --pr` would prepare it (`prepare`); one
//! that cannot be prepared carries its findings and leaves the others be. Besides the runs, the
//! reminders: every entity whose lifetime ends within the reminder window.
//!
//! Boundary: nothing here writes, pushes or calls GitHub; the CLI carries the plan out.

use std::collections::HashMap;
use std::sync::Arc;

use cairn_actions::{Action, EventKind};
use cairn_diagnostics::{Code, Diagnostic, EntityRef, Severity, SourceMap};
use cairn_model::{Catalog, Entity, Limits, Timestamp};
use cairn_source::{Origin, Source};
use serde_json::{Value as Json, json};

use crate::environments::{CommitRef, Histories};
use crate::error::EngineError;
use crate::load::{Loaded, load};
use crate::run::{PreparedRun, RunFailure, RunRequest, prepare};

/// Who a reconcile's runs are made by, in their trailers and pull requests.
pub const RECONCILE_ACTOR: &str = "cairn-reconcile";

/// What is due at a revision.
#[derive(Debug)]
pub struct Due {
    /// What was judged: the revision and its commit that `cairn reconcile` reads (any source
    /// works; reports name its commit, `cairn_report::revision`).
    pub source: Origin,
    /// By automation, then entity.
    pub runs: Vec<DueRun>,
    /// By entity.
    pub reminders: Vec<DueReminder>,
    /// The findings about the automations (those with errors are not fired), and those of
    /// conditions that failed to run.
    pub diagnostics: Vec<Diagnostic>,
    /// The files findings point into.
    pub sources: SourceMap,
    /// The branch the rendered output goes to (`reconcile.rendered-branch` in `cairn.yaml`).
    pub rendered_branch: String,
    /// Whether the platform has golden-path templates, whose output a reconcile publishes.
    pub renders: bool,
    /// The platform's self-service action that extends an environment's lifetime (a DAY-2 action
    /// on `Environment` that sets `properties.ttl`), which reminders point to; the first by
    /// identifier when there are several.
    pub extend_action: Option<String>,
}

/// One run an automation makes.
#[derive(Debug)]
pub struct DueRun {
    pub automation: String,
    /// Whether the automation is cairn's bundled default.
    pub bundled: bool,
    pub event: EventKind,
    pub entity: EntityRef,
    /// The run as `cairn run --pr` would make it, or the findings that refuse it.
    pub run: Result<PreparedRun, Vec<Diagnostic>>,
}

/// One entity whose lifetime ends within the reminder window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueReminder {
    pub entity: EntityRef,
    /// Its teams.
    pub owners: Vec<String>,
    pub expires: Timestamp,
    /// The commit that created it, from its file's history (`None` without history).
    pub created: Option<CommitRef>,
    /// The pull request that created it, read from that commit's message.
    pub pull: Option<u64>,
    /// Where it is declared.
    pub file: String,
    pub line: u32,
}

/// What fired an automation for one entity: the event payload conditions and inputs read.
struct Firing {
    entity: EntityRef,
    payload: Json,
}

/// Everything due at `source` as of `now`.
///
/// # Errors
/// The platform (or its first parent) cannot be read, or a file's history cannot be walked.
pub fn due(source: &Source, now: Timestamp) -> Result<Due, EngineError> {
    let mut loaded = load(source)?;
    let mut sources = SourceMap::new();
    for file in &loaded.files {
        sources.insert(Arc::clone(file));
    }
    let limits = loaded.settings.limits();
    let window = loaded.settings.reconcile.reminder_window();
    let entities = std::mem::take(&mut loaded.entities);
    let (catalog, _) = Catalog::build(loaded.bundled_blueprints.clone(), loaded.declared_blueprints.clone(), entities);
    let mut diagnostics = automation_findings(&loaded, &catalog);
    // Every file that declares an entity with a lifetime has its history read, in one walk.
    let with_lifetime = catalog.entities.iter().map(|entity| &**entity).filter(|entity| {
        cairn_model::expiry(entity, catalog.blueprints.get(&entity.blueprint.value), Some(Timestamp::UNIX_EPOCH))
            .is_some()
    });
    let histories = Histories::read(source, with_lifetime)?;
    let mut lifetimes = Lifetimes { source, limits: &limits, histories, known: HashMap::new() };

    let automations: Vec<&Action> = loaded
        .actions
        .iter()
        .filter(|action| action.automation.as_ref().is_some_and(|automation| automation.run.is_some()))
        .filter(|action| !action.automation.as_ref().is_some_and(|automation| automation.event.value.is_run_event()))
        // An automation with an error of its own is not fired: its findings say why.
        .filter(|action| {
            !diagnostics.iter().any(|d| {
                d.severity == Severity::Error && d.location.as_ref().is_some_and(|l| l.file == action.file.path())
            })
        })
        .collect();
    let parent =
        if automations.iter().any(|action| is_entity_event(event(action))) { parent_catalog(source)? } else { None };

    let mut runs = Vec::new();
    for action in automations {
        let mut firings = match event(action) {
            EventKind::TimerPropertyExpired => timer_firings(action, &catalog, now, &mut lifetimes)?,
            kind if is_entity_event(kind) => match &parent {
                Some(before) => change_firings(action, before, &catalog, now),
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        firings.retain(|firing| condition_holds(action, &firing.payload, &mut diagnostics));
        for firing in firings {
            let run = prepare_run(source, action, &firing, now)?;
            runs.push(DueRun {
                automation: action.identifier.value.clone(),
                bundled: action.bundled,
                event: event(action),
                entity: firing.entity,
                run,
            });
        }
    }
    runs.sort_by(|a, b| (&a.automation, a.entity.to_string()).cmp(&(&b.automation, b.entity.to_string())));

    let reminders = reminders(&catalog, now, window, &mut lifetimes)?;
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    let renders = loaded.templates.as_ref().is_some_and(|templates| !templates.specs.is_empty());
    Ok(Due {
        source: source.origin(),
        runs,
        reminders,
        diagnostics,
        sources,
        rendered_branch: loaded.settings.reconcile.rendered_branch.clone(),
        renders,
        extend_action: extend_action(&loaded.actions),
    })
}

/// The first DAY-2 action on `Environment` (by identifier) with an edit of `properties.ttl`.
fn extend_action(actions: &[Action]) -> Option<String> {
    let mut extending: Vec<&str> = actions
        .iter()
        .filter(|action| action.automation.is_none() && !action.bundled)
        .filter(|action| action.operation.as_ref().is_some_and(|op| op.value == cairn_actions::Operation::Day2))
        .filter(|action| action.blueprint.as_ref().is_some_and(|bp| bp.value == cairn_model::ENVIRONMENT_BLUEPRINT))
        .filter(|action| action.edits().iter().any(|edit| edit.path.value == "properties.ttl"))
        .map(|action| action.identifier.value.as_str())
        .collect();
    extending.sort_unstable();
    extending.first().map(|&identifier| identifier.to_owned())
}

fn event(action: &Action) -> EventKind {
    action.automation.as_ref().map_or(EventKind::AnyRunChange, |automation| automation.event.value)
}

fn is_entity_event(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::EntityCreated | EventKind::EntityUpdated | EventKind::EntityDeleted | EventKind::AnyEntityChange
    )
}

/// The findings of the actions check that are about automations.
fn automation_findings(loaded: &Loaded, catalog: &Catalog) -> Vec<Diagnostic> {
    let files: Vec<&str> =
        loaded.actions.iter().filter(|action| action.automation.is_some()).map(|action| action.file.path()).collect();
    let about = |d: &Diagnostic| d.location.as_ref().is_some_and(|l| files.contains(&l.file.as_str()));
    let mut found: Vec<Diagnostic> = loaded.diagnostics.iter().filter(|d| about(d)).cloned().collect();
    found.extend(crate::actions::findings(loaded, catalog).into_iter().filter(|d| about(d)));
    found
}

/// The catalog of the revision's first parent: an empty one for a root commit (everything is
/// created), `None` for a directory (no entity event fires).
fn parent_catalog(source: &Source) -> Result<Option<Catalog>, EngineError> {
    let parent = match source.first_parent() {
        None => return Ok(None),
        Some(parent) => parent?,
    };
    let Some(parent) = parent else {
        return Ok(Some(Catalog::build(Vec::new(), Vec::new(), Vec::new()).0));
    };
    let mut loaded = load(&parent)?;
    let entities = std::mem::take(&mut loaded.entities);
    Ok(Some(Catalog::build(loaded.bundled_blueprints, loaded.declared_blueprints, entities).0))
}

/// The lifetimes read so far, by entity: each file's history is walked once.
struct Lifetimes<'a> {
    source: &'a Source,
    limits: &'a Limits,
    histories: Histories,
    known: HashMap<EntityRef, (Option<CommitRef>, Option<CommitRef>)>,
}

impl Lifetimes<'_> {
    /// The commits that created `entity` and set its `ttl`.
    fn of(&mut self, entity: &Entity) -> Result<&(Option<CommitRef>, Option<CommitRef>), EngineError> {
        let reference = entity.reference();
        if !self.known.contains_key(&reference) {
            let found = self.histories.lifetime(self.source, entity, self.limits)?;
            self.known.insert(reference.clone(), found);
        }
        Ok(&self.known[&reference])
    }

    /// When `entity` expires (docs/lifetimes.md), with the history's `since`; history is read
    /// only for an entity that has a lifetime at all.
    fn expiry(&mut self, entity: &Entity, catalog: &Catalog) -> Result<Option<cairn_model::Expiry>, EngineError> {
        let blueprint = catalog.blueprints.get(&entity.blueprint.value);
        if cairn_model::expiry(entity, blueprint, Some(Timestamp::UNIX_EPOCH)).is_none() {
            return Ok(None);
        }
        let since = self.of(entity)?.1.as_ref().map(|commit| commit.time);
        Ok(cairn_model::expiry(entity, blueprint, since))
    }
}

/// The payload of an event about one entity (docs/reconcile.md).
fn payload(action: &str, before: Option<&Entity>, after: Option<&Entity>, now: Timestamp) -> Json {
    let entity = |entity: Option<&Entity>| entity.map_or(Json::Null, cairn_compute::entity_json);
    json!({
        "action": action,
        "diff": {"before": entity(before), "after": entity(after)},
        "trigger": {"by": {"user": RECONCILE_ACTOR}, "at": now.to_string()},
    })
}

/// A timer automation: each entity of its blueprint whose timer property (or, without
/// `propertyIdentifier`, whose lifetime) has run out as of `now`.
fn timer_firings(
    action: &Action,
    catalog: &Catalog,
    now: Timestamp,
    lifetimes: &mut Lifetimes<'_>,
) -> Result<Vec<Firing>, EngineError> {
    let (Some(blueprint), Some(automation)) = (&action.blueprint, &action.automation) else { return Ok(Vec::new()) };
    let mut firings = Vec::new();
    for entity in catalog.entities_of(&blueprint.value) {
        let ends = match &automation.property {
            Some(property) => entity
                .properties
                .as_ref()
                .and_then(|properties| properties.get(&property.value)?.as_str())
                .and_then(cairn_model::parse_timestamp),
            None => lifetimes.expiry(entity, catalog)?.map(|expiry| expiry.at),
        };
        if ends.is_some_and(|at| at <= now) {
            firings.push(Firing {
                entity: entity.reference(),
                payload: payload("TIMER_EXPIRED", Some(entity), Some(entity), now),
            });
        }
    }
    Ok(firings)
}

/// An entity automation: each entity of its blueprint the change from `before` to `after`
/// creates, updates or deletes, as its event asks. A moved entity (only its file changed) is
/// no event.
fn change_firings(action: &Action, before: &Catalog, after: &Catalog, now: Timestamp) -> Vec<Firing> {
    let Some(blueprint) = &action.blueprint else { return Vec::new() };
    let kind = event(action);
    let mut firings = Vec::new();
    for change in cairn_model::diff(before, after) {
        if change.entity.blueprint.value != blueprint.value {
            continue;
        }
        let (name, fires) = match change.kind {
            cairn_model::ChangeKind::Added => ("CREATE", EventKind::EntityCreated),
            cairn_model::ChangeKind::Modified => ("UPDATE", EventKind::EntityUpdated),
            cairn_model::ChangeKind::Removed => ("DELETE", EventKind::EntityDeleted),
            cairn_model::ChangeKind::Moved => continue,
        };
        if kind == fires || kind == EventKind::AnyEntityChange {
            let (before, after) = (change.before.map(AsRef::as_ref), change.after.map(AsRef::as_ref));
            firings.push(Firing { entity: change.entity.reference(), payload: payload(name, before, after, now) });
        }
    }
    firings
}

/// Whether the automation's condition holds for `payload` (no condition: it does). An
/// expression that fails to run is a finding, and the condition does not hold.
fn condition_holds(action: &Action, payload: &Json, diagnostics: &mut Vec<Diagnostic>) -> bool {
    let Some(condition) = action.automation.as_ref().and_then(|automation| automation.condition.as_ref()) else {
        return true;
    };
    let mut results = Vec::new();
    for expression in &condition.expressions {
        match cairn_compute::jq::evaluate(&expression.value, payload.clone()) {
            Ok(result) => results.push(result),
            Err(error) => {
                diagnostics.push(
                    Diagnostic::new(Code::AutomationCondition, format!("the condition expression failed: {error}"))
                        .at_span(&action.file, expression.span)
                        .with_help(
                            "the expression runs over `{action, diff: {before, after}, trigger}` (docs/reconcile.md)",
                        ),
                );
                return false;
            }
        }
    }
    condition.passes(&results)
}

/// The run of `action`'s `cairn.run` on the firing's entity, with its inputs rendered.
fn prepare_run(
    source: &Source,
    action: &Action,
    firing: &Firing,
    now: Timestamp,
) -> Result<Result<PreparedRun, Vec<Diagnostic>>, EngineError> {
    let Some(run) = action.automation.as_ref().and_then(|automation| automation.run.as_ref()) else {
        return Ok(Err(Vec::new()));
    };
    let set = match cairn_actions::render_inputs(action, &firing.payload) {
        Ok(set) => set,
        Err(findings) => return Ok(Err(findings)),
    };
    let request = RunRequest {
        action: run.value.clone(),
        entity: Some(firing.entity.to_string()),
        set,
        values: None,
        actor: RECONCILE_ACTOR.to_owned(),
        now,
        operation: None,
    };
    match prepare(source, &request) {
        Ok(prepared) => Ok(Ok(prepared)),
        Err(RunFailure::Findings { diagnostics, .. }) => Ok(Err(diagnostics)),
        Err(RunFailure::Engine(error)) => Err(error),
    }
}

/// Every entity whose lifetime ends in `(now, now + window]`, by entity.
fn reminders(
    catalog: &Catalog,
    now: Timestamp,
    window: cairn_model::SignedDuration,
    lifetimes: &mut Lifetimes<'_>,
) -> Result<Vec<DueReminder>, EngineError> {
    let Ok(end) = now.checked_add(window) else { return Ok(Vec::new()) };
    if end <= now {
        return Ok(Vec::new());
    }
    let mut reminders = Vec::new();
    for entity in &catalog.entities {
        let Some(expiry) = lifetimes.expiry(entity, catalog)? else { continue };
        if expiry.at <= now || expiry.at > end {
            continue;
        }
        let created = lifetimes.of(entity)?.0.clone();
        let pull = created.as_ref().and_then(|commit| pull_request(&commit.message));
        reminders.push(DueReminder {
            entity: entity.reference(),
            owners: entity.owner_list(),
            expires: expiry.at,
            created,
            pull,
            file: entity.file.path().to_owned(),
            line: entity.file.position(entity.identifier.span.start).line,
        });
    }
    reminders.sort_by_key(|reminder| reminder.entity.to_string());
    reminders.dedup_by(|a, b| a.entity == b.entity);
    Ok(reminders)
}

/// The pull request a commit's message names in its subject: GitHub's squash merge
/// (`Subject (#123)`) or merge commit (`Merge pull request #123 from owner/branch`).
#[must_use]
pub fn pull_request(message: &str) -> Option<u64> {
    let subject = message.lines().next()?.trim_end();
    if let Some(rest) = subject.strip_prefix("Merge pull request #") {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        return rest[digits.len()..].starts_with(" from ").then(|| digits.parse().ok()).flatten();
    }
    let open = subject.strip_suffix(')')?.rfind("(#")?;
    subject[open + 2..subject.len() - 1].parse().ok()
}

#[cfg(test)]
mod tests;
