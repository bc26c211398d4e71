//! The change a run makes: for CREATE the files its templates render (the first one the new
//! entity), for DAY-2 the edits on the chosen entity's document, for DELETE the removal of that
//! document. The engine applies the `Change`s (cairn-edit does the bytes); this module only
//! decides them.

use std::sync::Arc;

use cairn_diagnostics::{Code, Diagnostic, EntityRef, Location, SourceFile};
use cairn_edit::{Edit, Segment};
use cairn_model::{Catalog, Entity, Limits, Timestamp, parse_file, read_entity};
use serde_json::Value as Json;

use crate::action::{Action, EditOp, Operation, TriggerType};
use crate::expr::{Renderer, environment, run_view};
use crate::inputs::Inputs;

/// One change to the platform's files.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// A new file (CREATE); refused (finding) when the path exists — the engine checks existence.
    Create { path: String, text: String },
    /// Edits to the document of `path` that holds byte `at` (the entity's `span.start`).
    Edit { path: String, at: u32, edits: Vec<Edit> },
    /// The document of `path` holding `at` removed (DELETE).
    RemoveDocument { path: String, at: u32 },
}

/// Who runs an action, and when: given by the caller, never read from the clock.
#[derive(Clone, Debug)]
pub struct RunContext {
    pub actor: String,
    pub now: Timestamp,
}

/// The expression context of a run: `inputs`, `entity` (DAY-2 and DELETE), `action`, `run`.
pub(crate) fn context(action: &Action, inputs: &Inputs, target: Option<&Entity>, run: &RunContext) -> Json {
    let mut context = serde_json::json!({
        "inputs": inputs.values,
        "action": {"identifier": action.identifier.value, "title": action.title},
        "run": run_view(&run.actor, run.now),
    });
    if let Some(entity) = target {
        context["entity"] = entity_view(entity);
    }
    context
}

/// The entity as written: its document read back as JSON (so `properties` and `relations` hold
/// exactly what the file says), with `identifier`, `title`, `blueprint` and `team` always present.
fn entity_view(entity: &Entity) -> Json {
    let mut view = written(entity).unwrap_or_else(|| serde_json::json!({}));
    if let Some(object) = view.as_object_mut() {
        object.insert("identifier".to_owned(), entity.identifier.value.clone().into());
        object.insert("blueprint".to_owned(), entity.blueprint.value.clone().into());
        object.entry("title").or_insert_with(|| entity.title.clone().into());
        object.entry("team").or_insert(Json::Null);
        object.entry("properties").or_insert_with(|| serde_json::json!({}));
        object.entry("relations").or_insert_with(|| serde_json::json!({}));
    }
    view
}

/// The entity's document as JSON, read again from its file.
fn written(entity: &Entity) -> Option<Json> {
    let limits = Limits { max_file_size: u64::MAX, ..Limits::default() };
    let parsed = parse_file(entity.file.path(), entity.file.text().as_bytes(), &limits);
    parsed.documents.iter().find(|node| node.span.start == entity.span.start).map(cairn_model::Node::to_json)
}

/// The changes a run of `action` with `inputs` makes. `target` is the entity `--entity` names
/// (DAY-2 and DELETE); `templates` are the platform's files the action's `files` may name.
pub fn plan_change(
    action: &Action,
    inputs: &Inputs,
    target: Option<&Entity>,
    catalog: &Catalog,
    templates: &[Arc<SourceFile>],
    run: &RunContext,
) -> Result<Vec<Change>, Vec<Diagnostic>> {
    let operation = runnable(action)?;
    // An action imported from Port says how Port runs it (`invocationMethod`), not what it
    // changes in the repository: it is a valid action (no finding when read), but without
    // `cairn.edits` or `cairn.files` a run would change nothing.
    let missing = match operation {
        Operation::Day2 if action.edits().is_empty() => {
            Some(("edits", "add `cairn: {edits: [{set: properties.x, value: …}]}` (docs/actions.md)"))
        }
        Operation::Create if action.files().is_empty() => {
            Some(("files", "add `cairn: {files: [{path: …, template: …}]}` (docs/actions.md)"))
        }
        _ => None,
    };
    if let Some((key, help)) = missing {
        return Err(vec![
            Diagnostic::new(
                Code::InvalidCairnKey,
                format!(
                    "the {} action `{}` has no `cairn.{key}`, so a run would change nothing",
                    operation.as_str(),
                    action.identifier.value
                ),
            )
            .at_span(&action.file, action.identifier.span)
            .with_help(help),
        ]);
    }
    check_target(action, operation, target).map_err(|diagnostic| vec![*diagnostic])?;
    let environment = environment();
    let renderer = Renderer {
        environment: &environment,
        context: minijinja::Value::from_serialize(context(action, inputs, target, run)),
    };
    match (operation, target) {
        (Operation::Create, _) => create(action, catalog, templates, &renderer),
        (Operation::Day2, Some(entity)) => edits(action, entity, &renderer),
        (Operation::Delete, Some(entity)) => {
            Ok(vec![Change::RemoveDocument { path: entity.file.path().to_owned(), at: entity.span.start }])
        }
        // `check_target` refused these.
        (Operation::Day2 | Operation::Delete, None) => Ok(Vec::new()),
    }
}

/// The entity `--entity` names: `BP:ID`, or the identifier alone for the action's blueprint.
/// One that does not exist is a finding (`E1018`) with a did-you-mean; checking that it is of
/// the action's blueprint is `plan_change`'s.
pub fn find_target<'c>(action: &Action, catalog: &'c Catalog, text: &str) -> Result<&'c Entity, Box<Diagnostic>> {
    let own = action.blueprint.as_ref().map_or("", |blueprint| blueprint.value.as_str());
    // A `:` may be part of an identifier: `BP:ID` only when `BP` is a blueprint.
    let (blueprint, identifier) = match EntityRef::split(text) {
        (Some(kind), name) if catalog.blueprints.contains_key(kind) => (kind, name),
        _ => (own, text),
    };
    if let Some(entity) = catalog.entity(blueprint, identifier) {
        return Ok(entity);
    }
    let existing = catalog.entities_of(blueprint);
    let help = match cairn_diagnostics::did_you_mean(identifier, existing.iter().map(|e| e.identifier.value.as_str())) {
        Some(close) => format!("did you mean `{blueprint}:{close}`?"),
        None if existing.is_empty() => format!("the catalog has no `{blueprint}` entity"),
        None => {
            format!("name one of the {} `{blueprint}` entities as `--entity {blueprint}:IDENTIFIER`", existing.len())
        }
    };
    Err(Box::new(
        Diagnostic::new(Code::InvalidRunTarget, format!("`--entity {text}` names no `{blueprint}` entity"))
            .at_span(&action.file, action.identifier.span)
            .with_help(help),
    ))
}

/// The operation of a self-service action; automations and unreadable triggers are not run.
pub(crate) fn runnable(action: &Action) -> Result<Operation, Vec<Diagnostic>> {
    match (action.trigger, &action.operation) {
        (TriggerType::SelfService, Some(operation)) => Ok(operation.value),
        _ => Err(vec![
            Diagnostic::new(
                Code::ActionNotRunnable,
                format!("the action `{}` is an automation, which `cairn run` does not run", action.identifier.value),
            )
            .at_span(&action.file, action.identifier.span)
            .with_help("cairn runs self-service actions (`trigger.type: self-service`)"),
        ]),
    }
}

fn check_target(action: &Action, operation: Operation, target: Option<&Entity>) -> Result<(), Box<Diagnostic>> {
    let blueprint = action.blueprint.as_ref().map_or("", |blueprint| blueprint.value.as_str());
    let refuse = |message: String, help: String| {
        Err(Box::new(
            Diagnostic::new(Code::InvalidRunTarget, message)
                .at_span(&action.file, action.identifier.span)
                .with_help(help),
        ))
    };
    match (operation.needs_target(), target) {
        (true, None) => refuse(
            format!("the {} action `{}` needs the entity it acts on", operation.as_str(), action.identifier.value),
            format!("name it with `--entity {blueprint}:IDENTIFIER`"),
        ),
        (false, Some(entity)) => refuse(
            format!(
                "the CREATE action `{}` acts on no existing entity, but `{}` was given",
                action.identifier.value,
                entity.reference()
            ),
            "leave out `--entity`".to_owned(),
        ),
        (true, Some(entity)) if entity.blueprint.value != blueprint => refuse(
            format!(
                "the action `{}` acts on `{blueprint}` entities, not on `{}`",
                action.identifier.value,
                entity.reference()
            ),
            format!("name a `{blueprint}` entity with `--entity {blueprint}:IDENTIFIER`"),
        ),
        _ => Ok(()),
    }
}

fn create(
    action: &Action,
    catalog: &Catalog,
    templates: &[Arc<SourceFile>],
    renderer: &Renderer<'_>,
) -> Result<Vec<Change>, Vec<Diagnostic>> {
    let mut changes = Vec::new();
    let mut findings = Vec::new();
    for (index, spec) in action.files().iter().enumerate() {
        let path = match renderer.text(&action.file, spec.path.span, &spec.path.value) {
            Ok(path) => path,
            Err(finding) => {
                findings.push(*finding);
                continue;
            }
        };
        if let Some(reason) = unsafe_path(&path) {
            findings.push(
                Diagnostic::new(
                    Code::UnsafeActionPath,
                    format!("the path `{path}` is not a plain relative path: {reason}"),
                )
                .at_span(&action.file, spec.path.span)
                .with_help("render a relative path inside the platform, such as `catalog/{{ inputs.name }}.yaml`"),
            );
            continue;
        }
        let template_path = action.template_path(&spec.template.value).unwrap_or_default();
        let Some(template) = templates.iter().find(|file| file.path() == template_path) else {
            findings.push(
                Diagnostic::new(Code::ActionTemplateMissing, format!("the template `{template_path}` does not exist"))
                    .at_span(&action.file, spec.template.span)
                    .with_help(format!("templates are named relative to the action's folder `{}`", action.folder())),
            );
            continue;
        };
        let text = match renderer.file(template) {
            Ok(text) => text,
            Err(finding) => {
                findings.push(*finding);
                continue;
            }
        };
        if index == 0
            && let Err(finding) = new_entity(action, catalog, &path, &text)
        {
            findings.push(*finding);
            continue;
        }
        changes.push(Change::Create { path, text });
    }
    if findings.is_empty() { Ok(changes) } else { Err(findings) }
}

/// Why a rendered path is not one a run may write, if it is not: cairn-render's rules for
/// output paths, and never into `.git`.
fn unsafe_path(path: &str) -> Option<&'static str> {
    if let Some(reason) = cairn_render::unsafe_path(path) {
        return Some(reason);
    }
    path.split('/').any(|segment| segment.eq_ignore_ascii_case(".git")).then_some("it writes into `.git/`")
}

/// The first rendered file must be exactly one entity of the action's blueprint, new to the
/// catalog.
fn new_entity(action: &Action, catalog: &Catalog, path: &str, text: &str) -> Result<(), Box<Diagnostic>> {
    let blueprint = action.blueprint.as_ref().map_or("", |blueprint| blueprint.value.as_str());
    let template = action.files().first().map_or(action.identifier.span, |spec| spec.template.span);
    let refuse = |message: String| {
        Box::new(
            Diagnostic::new(Code::InvalidNewEntity, message)
                .at_span(&action.file, template)
                .with_help(format!("the first file of a CREATE action is the new `{blueprint}` entity, one document")),
        )
    };
    let parsed = parse_file(path, text.as_bytes(), &Limits::default());
    if let Some(first) = parsed.diagnostics.first() {
        return Err(refuse(format!("the rendered `{path}` cannot be read: {}", first.message)));
    }
    let [document] = parsed.documents.as_slice() else {
        return Err(refuse(format!(
            "the rendered `{path}` holds {} documents, not one entity",
            parsed.documents.len()
        )));
    };
    let (entity, diagnostics) = read_entity(&parsed.file, document.clone(), Some(blueprint));
    let Some(entity) = entity else {
        let reason = diagnostics.first().map_or_else(|| "it is not an entity".to_owned(), |d| d.message.clone());
        return Err(refuse(format!("the rendered `{path}` is not an entity: {reason}")));
    };
    if entity.blueprint.value != blueprint {
        return Err(refuse(format!(
            "the rendered `{path}` is a `{}` entity, not a `{blueprint}` one",
            entity.blueprint.value
        )));
    }
    if let Some(existing) = catalog.entity(blueprint, &entity.identifier.value) {
        let location = Location::new(&existing.file, existing.identifier.span);
        return Err(Box::new(
            Diagnostic::new(
                Code::EntityExists,
                format!(
                    "the entity `{}` already exists, in `{}` line {}",
                    EntityRef::new(blueprint, &entity.identifier.value),
                    existing.file.path(),
                    location.start.line
                ),
            )
            .at_span(&action.file, template)
            .with_related("declared here", location)
            .with_help("choose another identifier (an input of the run)"),
        ));
    }
    Ok(())
}

fn edits(action: &Action, entity: &Entity, renderer: &Renderer<'_>) -> Result<Vec<Change>, Vec<Diagnostic>> {
    // The document as the edits so far leave it, so that `add` sees what earlier edits added.
    let mut document = written(entity).unwrap_or_else(|| serde_json::json!({}));
    let mut edits = Vec::new();
    let mut findings = Vec::new();
    for spec in action.edits() {
        let path: Vec<Segment> = spec
            .segments()
            .enumerate()
            .map(|(position, segment)| match segment.parse::<usize>() {
                Ok(index) if position >= 2 || (position == 1 && spec.path.value.starts_with("team.")) => {
                    Segment::Index(index)
                }
                _ => Segment::Key(segment.to_owned()),
            })
            .collect();
        let value = match spec.value.as_ref().map(|node| renderer.value(&action.file, node)).transpose() {
            Ok(value) => value.unwrap_or(Json::Null),
            Err(finding) => {
                findings.push(*finding);
                continue;
            }
        };
        let edit = match spec.op {
            EditOp::Set => Edit::Set { path: path.clone(), value: value.clone() },
            EditOp::Unset => Edit::Unset { path: path.clone() },
            EditOp::Append => Edit::Append { path: path.clone(), value: value.clone() },
            EditOp::Remove => Edit::Remove { path: path.clone(), value: value.clone() },
            EditOp::Add => {
                let present =
                    lookup(&document, &path).and_then(Json::as_array).is_some_and(|items| items.contains(&value));
                if present {
                    continue;
                }
                Edit::Append { path: path.clone(), value: value.clone() }
            }
        };
        apply(&mut document, &edit);
        edits.push(edit);
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    if edits.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![Change::Edit { path: entity.file.path().to_owned(), at: entity.span.start, edits }])
}

fn lookup<'a>(document: &'a Json, path: &[Segment]) -> Option<&'a Json> {
    path.iter().try_fold(document, |value, segment| match segment {
        Segment::Key(key) => value.get(key),
        Segment::Index(index) => value.get(index),
    })
}

/// The edit applied to the JSON copy of the document, as far as it can be (cairn-edit is the
/// judge of the real file).
fn apply(document: &mut Json, edit: &Edit) {
    let (path, last) = match edit {
        Edit::Set { path, .. }
        | Edit::Unset { path }
        | Edit::Append { path, .. }
        | Edit::Remove { path, .. }
        | Edit::Add { path, .. } => match path.split_last() {
            Some((last, parent)) => (parent, last),
            None => return,
        },
    };
    let mut node = document;
    for segment in path {
        let next = match segment {
            Segment::Key(key) => {
                if !node.is_object() {
                    *node = serde_json::json!({});
                }
                node.as_object_mut().map(|object| object.entry(key.clone()).or_insert_with(|| serde_json::json!({})))
            }
            Segment::Index(index) => node.get_mut(*index),
        };
        match next {
            Some(next) => node = next,
            None => return,
        }
    }
    let Segment::Key(key) = last else { return };
    let Some(object) = node.as_object_mut() else { return };
    match edit {
        Edit::Set { value, .. } => {
            object.insert(key.clone(), value.clone());
        }
        Edit::Unset { .. } => {
            object.remove(key);
        }
        Edit::Append { value, .. } => {
            let sequence = object.entry(key.clone()).or_insert_with(|| Json::Array(Vec::new()));
            if let Some(items) = sequence.as_array_mut() {
                items.push(value.clone());
            }
        }
        Edit::Remove { value, .. } => {
            if let Some(items) = object.get_mut(key).and_then(Json::as_array_mut) {
                items.retain(|item| item != value);
            }
        }
        Edit::Add { value, .. } => {
            let sequence = object.entry(key.clone()).or_insert_with(|| Json::Array(Vec::new()));
            if let Some(items) = sequence.as_array_mut()
                && !items.contains(value)
            {
                items.push(value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests;
