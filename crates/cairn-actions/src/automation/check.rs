//! The checks of one automation against the platform: a timer event's property is a timer
//! property of the blueprint, the condition's expressions compile as cairn-compute's jq, and
//! `cairn.run` names a DAY-2 or DELETE action of the same blueprint whose inputs it gives.

use cairn_diagnostics::{Code, Diagnostic, Location, did_you_mean};
use cairn_model::{Blueprint, Catalog, Spanned};

use super::{Automation, EventKind};
use crate::action::{Action, Operation, TriggerType};

/// Pushes the findings about `automation` (of `action`) onto `out`; `actions` are all the
/// platform's actions, the ones `cairn.run` may name.
pub(crate) fn check(
    action: &Action,
    automation: &Automation,
    actions: &[Action],
    catalog: &Catalog,
    out: &mut Vec<Diagnostic>,
) {
    let at = |code: Code, message: String, span| Diagnostic::new(code, message).at_span(&action.file, span);
    let blueprint = action.blueprint.as_ref().and_then(|name| catalog.blueprints.get(&name.value));
    if automation.event.value.is_run_event() {
        out.push(
            at(
                Code::RunEventNotFired,
                format!("the `{}` event is never fired by cairn", automation.event.value.as_str()),
                automation.event.span,
            )
            .with_help("cairn has no action runs outside git; the automation is read and listed, never run"),
        );
    }
    if let Some(blueprint) = blueprint {
        timer_property(action, automation, blueprint, out);
    }
    condition(action, automation, out);
    let Some(run) = &automation.run else {
        if !automation.event.value.is_run_event() {
            let span = automation.cairn_span.unwrap_or(action.identifier.span);
            out.push(
                at(Code::AutomationNotRun, format!("the automation `{}` runs nothing", action.identifier.value), span)
                    .with_help(
                        "add `cairn: {run: ACTION}`, a DAY-2 or DELETE action of its blueprint (docs/reconcile.md)",
                    ),
            );
        }
        return;
    };
    let Some(target) = actions.iter().find(|other| other.identifier.value == run.value) else {
        let names = actions
            .iter()
            .filter(|other| other.trigger == TriggerType::SelfService)
            .map(|other| other.identifier.value.as_str());
        let help = match did_you_mean(&run.value, names) {
            Some(close) => format!("did you mean `{close}`?"),
            None => {
                "`cairn.run` names a self-service action under `actions/`; `cairn actions list` lists them".to_owned()
            }
        };
        out.push(
            Diagnostic::new(Code::AutomationUnknownAction, format!("the platform has no action `{}`", run.value))
                .at_span(&action.file, run.span)
                .with_help(help),
        );
        return;
    };
    run_target(action, automation, run, target, blueprint.is_some(), out);
}

/// A timer event's `propertyIdentifier` names a `format: timer` property of `blueprint`.
fn timer_property(action: &Action, automation: &Automation, blueprint: &Blueprint, out: &mut Vec<Diagnostic>) {
    let at = |code: Code, message: String, span| Diagnostic::new(code, message).at_span(&action.file, span);
    if let Some(property) = &automation.property
        && automation.event.value == EventKind::TimerPropertyExpired
    {
        let timers = cairn_model::timer_properties(blueprint);
        if !timers.contains(&property.value) {
            let help = match did_you_mean(&property.value, timers.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None if timers.is_empty() => format!(
                    "the blueprint `{}` declares no `format: timer` property; leave out `propertyIdentifier` to use \
                     the entity's lifetime (docs/lifetimes.md)",
                    blueprint.identifier
                ),
                None => {
                    let names: Vec<String> = timers.iter().map(|name| format!("`{name}`")).collect();
                    format!("the timer properties of `{}` are {}", blueprint.identifier, names.join(", "))
                }
            };
            out.push(
                at(
                    Code::AutomationTimerProperty,
                    format!("`{}` is not a timer property of the blueprint `{}`", property.value, blueprint.identifier),
                    property.span,
                )
                .with_help(help),
            );
        }
    }
}

/// Each condition expression compiles as cairn-compute's jq.
fn condition(action: &Action, automation: &Automation, out: &mut Vec<Diagnostic>) {
    let at = |code: Code, message: String, span| Diagnostic::new(code, message).at_span(&action.file, span);
    if let Some(condition) = &automation.condition {
        for expression in &condition.expressions {
            if let Err(error) = cairn_compute::jq::Calculation::compile(&expression.value) {
                out.push(
                    at(Code::AutomationCondition, format!("the condition expression does not compile: {error}"), expression.span)
                        .with_help("conditions are jq over the event payload `{action, diff: {before, after}, trigger}` (docs/reconcile.md)"),
                );
            }
        }
    }
}

/// `cairn.run` names `target`: a DAY-2 or DELETE action of the same blueprint, taking the
/// inputs the automation gives. `known_blueprint`: the automation's blueprint exists (otherwise
/// that is its own finding, not a mismatch).
fn run_target(
    action: &Action,
    automation: &Automation,
    run: &Spanned<String>,
    target: &Action,
    known_blueprint: bool,
    out: &mut Vec<Diagnostic>,
) {
    let at = |code: Code, message: String, span| Diagnostic::new(code, message).at_span(&action.file, span);
    let related = || Location::new(&target.file, target.identifier.span);
    match (target.trigger, target.operation.as_ref().map(|operation| operation.value)) {
        (TriggerType::Automation, _) => {
            out.push(
                at(
                    Code::AutomationActionNotRunnable,
                    format!("`{}` is an automation, not an action it can run", run.value),
                    run.span,
                )
                .with_related("declared here", related())
                .with_help("name a DAY-2 or DELETE self-service action"),
            );
            return;
        }
        (_, Some(Operation::Create)) => {
            out.push(
                at(
                    Code::AutomationActionNotRunnable,
                    format!("`{}` is a CREATE action, which cannot act on the event's entity", run.value),
                    run.span,
                )
                .with_related("declared here", related())
                .with_help("name a DAY-2 or DELETE action: the event's entity is its target"),
            );
            return;
        }
        _ => {}
    }
    // An unknown blueprint is its own finding (E1004), not a mismatch.
    if let (Some(own), Some(theirs), true) = (&action.blueprint, &target.blueprint, known_blueprint)
        && own.value != theirs.value
    {
        out.push(
            at(
                Code::AutomationOtherBlueprint,
                format!(
                    "`{}` acts on `{}` entities, and the event is about `{}` entities",
                    run.value, theirs.value, own.value
                ),
                run.span,
            )
            .with_related("its blueprint", Location::new(&target.file, theirs.span))
            .with_help("name an action of the event's blueprint"),
        );
    }
    for input in &automation.inputs {
        if !target.inputs.inputs.iter().any(|declared| declared.name == input.name.value) {
            let names = target.inputs.inputs.iter().map(|declared| declared.name.as_str());
            let help = match did_you_mean(&input.name.value, names) {
                Some(close) => format!("did you mean `{close}`?"),
                None if target.inputs.inputs.is_empty() => format!("the action `{}` takes no input", run.value),
                None => {
                    let names: Vec<String> = target.inputs.inputs.iter().map(|d| format!("`{}`", d.name)).collect();
                    format!("the inputs of `{}` are {}", run.value, names.join(", "))
                }
            };
            out.push(
                at(
                    Code::AutomationUnknownInput,
                    format!("the action `{}` has no input `{}`", run.value, input.name.value),
                    input.name.span,
                )
                .with_help(help),
            );
        }
    }
}
