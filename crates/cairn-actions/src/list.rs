//! `cairn actions list`: each action with its inputs, as stable JSON (for the portal that comes
//! later) and as a table for people.

use std::fmt::Write;

use serde_json::Value as Json;

use crate::action::{Action, Operation, TriggerType};
use crate::automation::EventKind;
use crate::inputs::{InputType, plain};

/// One action, as listed.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ActionSummary {
    pub identifier: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub trigger: TriggerType,
    pub operation: Option<Operation>,
    pub blueprint: Option<String>,
    /// In the form's order (`order`, then as written).
    pub inputs: Vec<InputSummary>,
    /// The action's file and the line its document starts on.
    pub file: String,
    pub line: u32,
    /// Port's keys cairn keeps without using.
    pub unused_keys: Vec<String>,
    /// One of cairn's bundled items, used while the platform does not replace it.
    pub bundled: bool,
    /// What fires an automation, and what it runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub automation: Option<AutomationSummary>,
}

/// An automation's event and the action it runs, as listed.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AutomationSummary {
    pub event: EventKind,
    /// `propertyIdentifier` of a timer event.
    pub property: Option<String>,
    /// `actionIdentifier` of a run event.
    pub action: Option<String>,
    /// Whether a condition narrows it.
    pub condition: bool,
    /// `cairn.run`.
    pub runs: Option<String>,
}

/// One input of an action, as listed.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct InputSummary {
    pub name: String,
    pub title: Option<String>,
    #[serde(rename = "type")]
    pub kind: InputType,
    pub required: bool,
    pub default: Option<Json>,
    #[serde(rename = "enum")]
    pub options: Option<Vec<Json>>,
    pub format: Option<String>,
    pub blueprint: Option<String>,
}

/// The summaries of `actions`, sorted by identifier (then file).
#[must_use]
pub fn summarize(actions: &[Action]) -> Vec<ActionSummary> {
    let mut summaries: Vec<ActionSummary> = actions
        .iter()
        .map(|action| ActionSummary {
            identifier: action.identifier.value.clone(),
            title: action.title.clone(),
            description: action.description.clone(),
            trigger: action.trigger,
            operation: action.operation.as_ref().map(|operation| operation.value),
            blueprint: action.blueprint.as_ref().map(|blueprint| blueprint.value.clone()),
            inputs: action
                .inputs
                .ordered()
                .into_iter()
                .map(|input| InputSummary {
                    name: input.name.clone(),
                    title: input.title.clone(),
                    kind: input.kind,
                    required: input.required,
                    default: input.default.clone(),
                    options: input.options.clone(),
                    format: input.format.clone(),
                    blueprint: input.blueprint.as_ref().map(|blueprint| blueprint.value.clone()),
                })
                .collect(),
            file: action.file.path().to_owned(),
            line: action.file.position(action.span.start).line,
            unused_keys: action.unused_keys.clone(),
            bundled: action.bundled,
            automation: action.automation.as_ref().map(|automation| AutomationSummary {
                event: automation.event.value,
                property: automation.property.as_ref().map(|property| property.value.clone()),
                action: automation.action_identifier.as_ref().map(|action| action.value.clone()),
                condition: automation.condition.is_some(),
                runs: automation.run.as_ref().map(|run| run.value.clone()),
            }),
        })
        .collect();
    summaries.sort_by(|a, b| (&a.identifier, &a.file, a.line).cmp(&(&b.identifier, &b.file, b.line)));
    summaries
}

/// The summaries as pretty JSON, a list, ending with a newline.
#[must_use]
pub fn to_json(summaries: &[ActionSummary]) -> String {
    let mut text = serde_json::to_string_pretty(summaries).unwrap_or_else(|_| "[]".to_owned());
    text.push('\n');
    text
}

/// The summaries as a table: one row per action, its inputs described in the last column.
/// `verbose` adds a line per action with the Port keys cairn keeps without using.
#[must_use]
pub fn to_table(summaries: &[ActionSummary], verbose: bool) -> String {
    if summaries.is_empty() {
        return "no actions under `actions/`\n".to_owned();
    }
    let rows: Vec<[String; 5]> = summaries
        .iter()
        .map(|summary| {
            let operation = match (summary.trigger, summary.operation) {
                (TriggerType::Automation, _) => "automation".to_owned(),
                (_, Some(operation)) => operation.as_str().to_owned(),
                (_, None) => "-".to_owned(),
            };
            let inputs: Vec<String> = summary.inputs.iter().map(describe).collect();
            [
                summary.identifier.clone(),
                operation,
                summary.blueprint.clone().unwrap_or_else(|| "-".to_owned()),
                format!("{}:{}", summary.file, summary.line),
                if inputs.is_empty() { "-".to_owned() } else { inputs.join(", ") },
            ]
        })
        .collect();
    let header = ["ACTION", "OPERATION", "BLUEPRINT", "FILE", "INPUTS"];
    let mut widths = header.map(|title| title.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    let line = |text: &mut String, cells: [&str; 5]| {
        for (index, cell) in cells.iter().enumerate() {
            if index == cells.len() - 1 {
                text.push_str(cell);
            } else {
                let _ = write!(text, "{cell:<width$}  ", width = widths[index]);
            }
        }
        text.push('\n');
    };
    line(&mut text, header);
    for (row, summary) in rows.iter().zip(summaries) {
        line(&mut text, [&row[0], &row[1], &row[2], &row[3], &row[4]]);
        if let Some(automation) = &summary.automation {
            let _ = writeln!(text, "  {}", describe_automation(automation, summary.bundled));
        }
        if verbose && !summary.unused_keys.is_empty() {
            let _ = writeln!(text, "  Port keys kept, not used by cairn: {}", summary.unused_keys.join(", "));
        }
    }
    text
}

/// `on TIMER_PROPERTY_EXPIRED (lifetime), runs teardown-environment (bundled)`.
fn describe_automation(automation: &AutomationSummary, bundled: bool) -> String {
    let mut text = format!("on {}", automation.event.as_str());
    match (&automation.property, &automation.action) {
        (Some(property), _) => {
            let _ = write!(text, " of `{property}`");
        }
        (None, Some(action)) => {
            let _ = write!(text, " of `{action}` (never fired)");
        }
        (None, None) if automation.event == EventKind::TimerPropertyExpired => text.push_str(" (lifetime)"),
        (None, None) => {}
    }
    if automation.condition {
        text.push_str(" if its condition holds");
    }
    match &automation.runs {
        Some(runs) => {
            let _ = write!(text, ", runs {runs}");
        }
        None => text.push_str(", runs nothing"),
    }
    if bundled {
        text.push_str(" (bundled)");
    }
    text
}

/// `days*: number = 3`, `size: small|large`, `system: entity of System`.
fn describe(input: &InputSummary) -> String {
    let mut text = input.name.clone();
    if input.required {
        text.push('*');
    }
    text.push_str(": ");
    match (&input.options, input.format.as_deref(), &input.blueprint) {
        (Some(options), _, _) => text.push_str(&options.iter().map(plain).collect::<Vec<_>>().join("|")),
        (None, Some("entity"), Some(blueprint)) => {
            let _ =
                write!(text, "{} of {blueprint}", if input.kind == InputType::Array { "entities" } else { "entity" });
        }
        (None, Some(format @ ("team" | "user")), _) => text.push_str(format),
        _ => text.push_str(input.kind.as_str()),
    }
    if let Some(default) = &input.default {
        let _ = write!(text, " = {}", plain(default));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::action;

    #[test]
    fn lists_actions_for_people_and_programs() {
        let actions = [
            action(
                "actions/extend-ttl.yaml",
                "identifier: extend-ttl\ntitle: Extend\ntrigger:\n  type: self-service\n  operation: DAY-2\n  blueprintIdentifier: Environment\n  userInputs:\n    properties:\n      days: {type: number, default: 3}\n      size: {type: string, enum: [small, large]}\n      system: {type: string, format: entity, blueprint: System}\n    required: [system]\n    order: [system]\ninvocationMethod: {type: GITHUB}\ncairn:\n  edits: [{set: properties.ttl, value: 1d}]\n",
            ),
            action(
                "actions/auto.json",
                r#"{"identifier": "auto", "trigger": {"type": "automation", "event": {"type": "ENTITY_CREATED", "blueprintIdentifier": "Service"}}}"#,
            ),
        ];
        let summaries = summarize(&actions);
        insta::assert_snapshot!(to_table(&summaries, true), @r"
        ACTION      OPERATION   BLUEPRINT    FILE                       INPUTS
        auto        automation  Service      actions/auto.json:1        -
          on ENTITY_CREATED, runs nothing
        extend-ttl  DAY-2       Environment  actions/extend-ttl.yaml:1  system*: entity of System, days: number = 3, size: small|large
          Port keys kept, not used by cairn: invocationMethod
        ");
        insta::assert_snapshot!(to_json(&summaries[1..]));
    }
}
