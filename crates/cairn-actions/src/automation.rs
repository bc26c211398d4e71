//! Automations in Port's format (`trigger.type: automation`): the event that fires one
//! (`trigger.event`), its condition (`trigger.condition`), and cairn's `cairn` key of an
//! automation, the self-service action it runs (`run`) and that action's inputs as templates over
//! the event (`inputs`). Port's shape is described on
//! <https://docs.port.io/actions-and-automations/define-automations/setup-trigger/>; what cairn
//! fires and when is in docs/reconcile.md.
//!
//! Also the bundled default automation `expire-environments` and the bundled DELETE action
//! `teardown-environment` it runs, as Port-format text read by the same reader.

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, did_you_mean};
use cairn_model::{Node, Spanned, Value};
use serde_json::Value as Json;

use crate::action::{Action, Reader};
use crate::expr::{Renderer, environment};

/// An event Port fires automations on (`trigger.event.type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventKind {
    EntityCreated,
    EntityUpdated,
    EntityDeleted,
    AnyEntityChange,
    TimerPropertyExpired,
    RunCreated,
    RunUpdated,
    AnyRunChange,
}

impl EventKind {
    const ALL: [(&'static str, EventKind); 8] = [
        ("ENTITY_CREATED", EventKind::EntityCreated),
        ("ENTITY_UPDATED", EventKind::EntityUpdated),
        ("ENTITY_DELETED", EventKind::EntityDeleted),
        ("ANY_ENTITY_CHANGE", EventKind::AnyEntityChange),
        ("TIMER_PROPERTY_EXPIRED", EventKind::TimerPropertyExpired),
        ("RUN_CREATED", EventKind::RunCreated),
        ("RUN_UPDATED", EventKind::RunUpdated),
        ("ANY_RUN_CHANGE", EventKind::AnyRunChange),
    ];

    /// Port's name, such as `ENTITY_CREATED`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        Self::ALL.iter().find(|(_, kind)| *kind == self).map_or("", |(name, _)| name)
    }

    /// Whether the event is about an action run (`RUN_*`): cairn has no runs outside git, so
    /// these are read and listed, never fired.
    #[must_use]
    pub fn is_run_event(self) -> bool {
        matches!(self, EventKind::RunCreated | EventKind::RunUpdated | EventKind::AnyRunChange)
    }
}

/// How a condition's expressions combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Combinator {
    /// Every expression gives `true` (Port's default).
    And,
    /// At least one does.
    Or,
}

/// `trigger.condition`: jq expressions over the event payload (docs/reconcile.md).
#[derive(Clone, Debug)]
pub struct Condition {
    pub expressions: Vec<Spanned<String>>,
    pub combinator: Combinator,
    pub span: ByteSpan,
}

impl Condition {
    /// Whether the results of the expressions, in order, pass: each `Some(true)` is a `true`
    /// (anything else, including no output, is not).
    #[must_use]
    pub fn passes(&self, results: &[Option<Json>]) -> bool {
        let truth = |result: &Option<Json>| *result == Some(Json::Bool(true));
        match self.combinator {
            Combinator::And => results.iter().all(truth),
            Combinator::Or => results.iter().any(truth),
        }
    }
}

/// One input an automation gives the action it runs: the input's name and a template over the
/// event.
#[derive(Clone, Debug)]
pub struct AutomationInput {
    pub name: Spanned<String>,
    pub template: Spanned<String>,
}

/// What an automation is, beyond what every action has (its identifier, title, blueprint).
#[derive(Clone, Debug)]
pub struct Automation {
    pub event: Spanned<EventKind>,
    /// `trigger.event.propertyIdentifier` of a timer event; `None` means the entity's lifetime
    /// (cairn's extension, docs/reconcile.md).
    pub property: Option<Spanned<String>>,
    /// `trigger.event.actionIdentifier` of a run event.
    pub action_identifier: Option<Spanned<String>>,
    pub condition: Option<Condition>,
    /// `cairn.run`: the self-service action it runs on the event's entity.
    pub run: Option<Spanned<String>>,
    /// `cairn.inputs`, in the order written.
    pub inputs: Vec<AutomationInput>,
    /// The `cairn` key, or the whole trigger when there is none (where the `W1070` lands).
    pub cairn_span: Option<ByteSpan>,
}

/// The keys of an automation's `cairn` key.
const CAIRN_KEYS: &[&str] = &["run", "inputs"];

/// The keys of `trigger.event`.
const EVENT_KEYS: &[&str] = &["type", "blueprintIdentifier", "propertyIdentifier", "actionIdentifier"];

/// Reads the automation parts of an action document whose `trigger.type` is `automation`:
/// `trigger.event`, `trigger.condition` and the `cairn` key. Returns the event's blueprint too.
pub(crate) fn read(
    reader: &mut Reader<'_>,
    action: &Node,
    trigger: &Node,
) -> Option<(Automation, Option<Spanned<String>>)> {
    let Some(event) = trigger.get("event") else {
        reader.report(
            Code::InvalidAutomation,
            "the automation's trigger has no `event`".to_owned(),
            trigger.span,
            "add `event: {type: ENTITY_CREATED, blueprintIdentifier: …}` (Port's automation triggers)",
        );
        return None;
    };
    let Some(entries) = event.as_mapping() else {
        let message = format!("`trigger.event` is {}, not a mapping", event.type_name());
        reader.report(Code::InvalidAutomation, message, event.span, "write `event:` as a mapping with `type:`");
        return None;
    };
    for entry in entries {
        if !EVENT_KEYS.contains(&entry.key.as_str()) {
            let help = match did_you_mean(&entry.key, EVENT_KEYS.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => "an event has `type`, `blueprintIdentifier`, and `propertyIdentifier` (timers) or \
                    `actionIdentifier` (runs)"
                    .to_owned(),
            };
            let message = format!("unknown key `{}` in `trigger.event`", entry.key);
            reader.report(Code::InvalidAutomation, message, entry.key_span, help);
        }
    }
    let Some(kind) = event.get("type") else {
        reader.report(
            Code::InvalidAutomation,
            "the automation's event has no `type`".to_owned(),
            event.span,
            "add `type: ENTITY_CREATED` (or another of Port's events)",
        );
        return None;
    };
    let kind = automation_text(reader, "trigger.event.type", kind)?;
    let Some(&(_, found)) = EventKind::ALL.iter().find(|(name, _)| *name == kind.value) else {
        let help = if let Some(close) = did_you_mean(&kind.value, EventKind::ALL.iter().map(|(name, _)| *name)) {
            format!("did you mean `{close}`?")
        } else {
            let names: Vec<String> = EventKind::ALL.iter().map(|(name, _)| format!("`{name}`")).collect();
            format!("Port's events are {}", names.join(", "))
        };
        reader.report(Code::UnknownEvent, format!("unknown event type `{}`", kind.value), kind.span, help);
        return None;
    };
    let event_kind = Spanned { value: found, span: kind.span };
    let text_at = |reader: &mut Reader<'_>, key: &str| {
        event.get(key).and_then(|node| automation_text(reader, &format!("trigger.event.{key}"), node))
    };
    let blueprint = text_at(reader, "blueprintIdentifier");
    let property = text_at(reader, "propertyIdentifier");
    let action_identifier = text_at(reader, "actionIdentifier");
    if found.is_run_event() {
        if action_identifier.is_none() {
            let message = format!("the `{}` event has no `actionIdentifier`", found.as_str());
            reader.report(
                Code::InvalidAutomation,
                message,
                event.span,
                "add `actionIdentifier:`, the action whose runs it waits for",
            );
        }
    } else if blueprint.is_none() {
        let message = format!("the `{}` event has no `blueprintIdentifier`", found.as_str());
        reader.report(
            Code::InvalidAutomation,
            message,
            event.span,
            "add `blueprintIdentifier:`, the blueprint whose entities fire it",
        );
    }
    if let Some(property) = &property
        && found != EventKind::TimerPropertyExpired
    {
        let message = format!("`propertyIdentifier` belongs to `TIMER_PROPERTY_EXPIRED`, not `{}`", found.as_str());
        reader.report(Code::InvalidAutomation, message, property.span, "remove `propertyIdentifier`");
    }
    let condition = match trigger.get("condition") {
        None | Some(Node { value: Value::Null, .. }) => None,
        Some(node) => condition(reader, node),
    };
    let (run, inputs, cairn_span) = match action.get("cairn") {
        None | Some(Node { value: Value::Null, .. }) => (None, Vec::new(), None),
        Some(node) => {
            let (run, inputs) = cairn(reader, node);
            (run, inputs, Some(node.span))
        }
    };
    let automation = Automation { event: event_kind, property, action_identifier, condition, run, inputs, cairn_span };
    Some((automation, blueprint))
}

fn automation_text(reader: &mut Reader<'_>, key: &str, node: &Node) -> Option<Spanned<String>> {
    if let Value::String(text) = &node.value {
        Some(Spanned { value: text.clone(), span: node.span })
    } else {
        let message = format!("`{key}` is {}, not text", node.type_name());
        reader.report(Code::InvalidAutomation, message, node.span, format!("write `{key}` as text"));
        None
    }
}

/// `trigger.condition`: `{type: JQ, expressions: [...], combinator: and|or}`.
fn condition(reader: &mut Reader<'_>, node: &Node) -> Option<Condition> {
    if node.as_mapping().is_none() {
        let message = format!("`trigger.condition` is {}, not a mapping", node.type_name());
        reader.report(Code::AutomationCondition, message, node.span, CONDITION_HELP);
        return None;
    }
    match node.get("type").map(|kind| (kind, kind.as_str())) {
        Some((_, Some("JQ"))) => {}
        Some((kind, other)) => {
            let message = match other {
                Some(other) => format!("the condition's type is `{other}`, not `JQ`"),
                None => format!("the condition's `type` is {}, not `JQ`", kind.type_name()),
            };
            reader.report(Code::AutomationCondition, message, kind.span, "Port's conditions are `type: JQ`");
            return None;
        }
        None => {
            reader.report(
                Code::AutomationCondition,
                "the condition has no `type`".to_owned(),
                node.span,
                "add `type: JQ`",
            );
            return None;
        }
    }
    let combinator = match node.get("combinator") {
        None => Combinator::And,
        Some(value) => match value.as_str() {
            Some("and") => Combinator::And,
            Some("or") => Combinator::Or,
            _ => {
                let message = format!("the condition's `combinator` is `{}`, not `and` or `or`", plain(value));
                reader.report(Code::AutomationCondition, message, value.span, "write `combinator: and` or `or`");
                return None;
            }
        },
    };
    let expressions = match node.get("expressions").map(|list| (list, &list.value)) {
        Some((_, Value::Sequence(items))) if !items.is_empty() => items,
        Some((list, _)) => {
            reader.report(
                Code::AutomationCondition,
                "the condition's `expressions` is not a list of jq expressions".to_owned(),
                list.span,
                CONDITION_HELP,
            );
            return None;
        }
        None => {
            reader.report(
                Code::AutomationCondition,
                "the condition has no `expressions`".to_owned(),
                node.span,
                CONDITION_HELP,
            );
            return None;
        }
    };
    let mut read = Vec::new();
    for item in expressions {
        if let Value::String(text) = &item.value {
            read.push(Spanned { value: text.clone(), span: item.span });
        } else {
            let message = format!("a condition expression is {}, not text", item.type_name());
            reader.report(Code::AutomationCondition, message, item.span, CONDITION_HELP);
            return None;
        }
    }
    Some(Condition { expressions: read, combinator, span: node.span })
}

const CONDITION_HELP: &str =
    "a condition is `{type: JQ, expressions: ['.diff.after.properties.x == \"y\"'], combinator: and}`";

fn plain(node: &Node) -> String {
    node.as_str().map_or_else(|| node.to_json().to_string(), str::to_owned)
}

/// The `cairn` key of an automation: `run` and `inputs`.
fn cairn(reader: &mut Reader<'_>, node: &Node) -> (Option<Spanned<String>>, Vec<AutomationInput>) {
    let Some(entries) = node.as_mapping() else {
        let message = format!("`cairn` is {}, not a mapping", node.type_name());
        reader.report(Code::InvalidAutomation, message, node.span, "write `cairn: {run: ACTION}` (docs/reconcile.md)");
        return (None, Vec::new());
    };
    let (mut run, mut inputs) = (None, Vec::new());
    for entry in entries {
        match entry.key.as_str() {
            "run" => run = automation_text(reader, "cairn.run", &entry.value),
            "inputs" => {
                if let Some(items) = entry.value.as_mapping() {
                    for item in items {
                        let name = Spanned { value: item.key.clone(), span: item.key_span };
                        let text = match &item.value.value {
                            Value::String(text) => text.clone(),
                            // A number or a boolean is its own text, as `--set` would give it.
                            Value::Bool(_) | Value::Number(_) => plain(&item.value),
                            _ => {
                                let message =
                                    format!("the input `{}` is {}, not a template", item.key, item.value.type_name());
                                reader.report(
                                    Code::InvalidAutomation,
                                    message,
                                    item.value.span,
                                    "write each input as text, a template over the event",
                                );
                                continue;
                            }
                        };
                        inputs.push(AutomationInput { name, template: Spanned { value: text, span: item.value.span } });
                    }
                } else {
                    let message = format!("`cairn.inputs` is {}, not a mapping", entry.value.type_name());
                    reader.report(
                        Code::InvalidAutomation,
                        message,
                        entry.value.span,
                        "write `inputs:` as input names to templates",
                    );
                }
            }
            other => {
                let help = match did_you_mean(other, CAIRN_KEYS.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => "an automation's `cairn` key has `run` and `inputs`".to_owned(),
                };
                reader.report(
                    Code::InvalidAutomation,
                    format!("unknown key `{other}` in `cairn`"),
                    entry.key_span,
                    help,
                );
            }
        }
    }
    (run, inputs)
}

/// The inputs an automation gives the action it runs, each template rendered over `event` (the
/// event payload, docs/reconcile.md) in the actions' sandbox, as `--set` pairs; or the findings,
/// on the templates, of those that failed.
///
/// # Errors
/// A template that does not render.
pub fn render_inputs(action: &Action, event: &Json) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    let Some(automation) = &action.automation else { return Ok(Vec::new()) };
    let environment = environment();
    let mut context = serde_json::Map::new();
    if let Json::Object(fields) = event {
        context.extend(fields.clone());
    }
    // `entity` is the event's entity as it is after the event, or before it when deleted.
    let entity =
        event.pointer("/diff/after").filter(|after| !after.is_null()).or_else(|| event.pointer("/diff/before"));
    context.insert("entity".to_owned(), entity.cloned().unwrap_or(Json::Null));
    context.insert("event".to_owned(), event.clone());
    let renderer = Renderer { environment: &environment, context: minijinja::Value::from_serialize(&context) };
    let (mut pairs, mut findings) = (Vec::new(), Vec::new());
    for input in &automation.inputs {
        match renderer.text(&action.file, input.template.span, &input.template.value) {
            Ok(text) => pairs.push((input.name.value.clone(), text)),
            Err(finding) => findings.push(*finding),
        }
    }
    if findings.is_empty() { Ok(pairs) } else { Err(findings) }
}

/// The bundled default automation's identifier.
pub const DEFAULT_AUTOMATION: &str = "expire-environments";

/// The bundled action the default automation runs when the platform declares none of its name.
pub const TEARDOWN_ACTION: &str = "teardown-environment";

/// The bundled automation and action, as (path under the platform, Port-format text). The
/// engine reads them with the same reader as the platform's own (`read_action`), from files
/// named with its bundled prefix, so that no finding is ever blamed on the user's files.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "actions/expire-environments.yaml",
        "# Tears down every environment whose lifetime is over (docs/lifetimes.md, docs/reconcile.md).\n\
         # A platform replaces it with its own automation of this identifier, or with any automation\n\
         # on TIMER_PROPERTY_EXPIRED of Environment.\n\
         identifier: expire-environments\n\
         title: Tear down expired environments\n\
         trigger:\n  type: automation\n  event:\n    type: TIMER_PROPERTY_EXPIRED\n    blueprintIdentifier: Environment\n\
         cairn:\n  run: teardown-environment\n",
    ),
    (
        "actions/teardown-environment.yaml",
        "# Removes an environment's declaration; used only when the platform declares no action of\n\
         # this identifier.\n\
         identifier: teardown-environment\n\
         title: Tear down the environment\n\
         trigger:\n  type: self-service\n  operation: DELETE\n  blueprintIdentifier: Environment\n",
    ),
];

/// Whether the platform's own `actions` replace the bundled item `identifier` (one of `BUNDLED`'s):
/// the default automation is replaced by a platform automation of the same identifier or by any
/// platform automation on `TIMER_PROPERTY_EXPIRED` of `Environment`; the teardown action by a
/// platform action of its identifier.
#[must_use]
pub fn replaced(identifier: &str, actions: &[Action]) -> bool {
    let own = || actions.iter().filter(|action| !action.bundled);
    if own().any(|action| action.identifier.value == identifier) {
        return true;
    }
    identifier == DEFAULT_AUTOMATION
        && own().any(|action| {
            action
                .automation
                .as_ref()
                .is_some_and(|automation| automation.event.value == EventKind::TimerPropertyExpired)
                && action
                    .blueprint
                    .as_ref()
                    .is_some_and(|blueprint| blueprint.value == cairn_model::ENVIRONMENT_BLUEPRINT)
        })
}

/// Reads the bundled items `BUNDLED`, each as the file `prefix` + its path; marked `bundled`.
#[must_use]
pub fn bundled(prefix: &str, limits: &cairn_model::Limits) -> Vec<Action> {
    let mut actions = Vec::new();
    for (path, text) in BUNDLED {
        let parsed = cairn_model::parse_file(&format!("{prefix}{path}"), text.as_bytes(), limits);
        for document in &parsed.documents {
            if let (Some(mut action), _) = crate::action::read_action(&parsed.file, document) {
                action.bundled = true;
                actions.push(action);
            }
        }
    }
    actions
}

pub(crate) mod check;
#[cfg(test)]
mod tests;
