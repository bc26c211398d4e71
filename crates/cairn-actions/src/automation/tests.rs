use cairn_diagnostics::Code;

use super::*;
use crate::check::check_actions;
use crate::testing::{action, catalog, read_one};

const TEARDOWN: &str =
    "identifier: teardown\ntrigger: {type: self-service, operation: DELETE, blueprintIdentifier: Environment}\n";

#[test]
fn reads_an_automation_in_ports_format() {
    let automation = action(
        "actions/expire.yaml",
        "identifier: expire\ntrigger:\n  type: automation\n  event:\n    type: TIMER_PROPERTY_EXPIRED\n    blueprintIdentifier: Environment\n    propertyIdentifier: deadline\n  condition:\n    type: JQ\n    expressions:\n      - .diff.after.properties.type != \"production\"\n      - .action == \"TIMER_EXPIRED\"\n    combinator: or\ncairn:\n  run: teardown\n  inputs:\n    reason: \"expired: {{ entity.identifier }}\"\n    days: 3\n",
    );
    let part = automation.automation.as_ref().expect("an automation");
    assert_eq!(part.event.value, EventKind::TimerPropertyExpired);
    assert_eq!(automation.blueprint.as_ref().map(|b| b.value.as_str()), Some("Environment"));
    assert_eq!(part.property.as_ref().map(|p| p.value.as_str()), Some("deadline"));
    let condition = part.condition.as_ref().expect("a condition");
    assert_eq!((condition.expressions.len(), condition.combinator), (2, Combinator::Or));
    assert!(condition.passes(&[Some(Json::Bool(false)), Some(Json::Bool(true))]));
    assert!(!Condition { combinator: Combinator::And, ..condition.clone() }.passes(&[Some(Json::Bool(true)), None]));
    assert_eq!(part.run.as_ref().map(|run| run.value.as_str()), Some("teardown"));
    let event = serde_json::json!({"action": "TIMER_EXPIRED", "diff": {"before": {"identifier": "dev"}, "after": {"identifier": "dev"}}, "trigger": {}});
    assert_eq!(
        render_inputs(&automation, &event),
        Ok(vec![("reason".to_owned(), "expired: dev".to_owned()), ("days".to_owned(), "3".to_owned())])
    );
    assert!(automation.cairn.is_none(), "an automation's `cairn` key is its own");
}

/// Each finding of reading, with its line and column.
#[test]
fn reading_findings_are_located() {
    let cases: &[(&str, Code, &str, (u32, u32))] = &[
        (
            "identifier: a\ntrigger:\n  type: automation\n  event:\n    type: ENTITY_CREATE\n    blueprintIdentifier: Environment\n",
            Code::UnknownEvent,
            "did you mean `ENTITY_CREATED`?",
            (5, 11),
        ),
        (
            "identifier: a\ntrigger:\n  type: automation\n  event: {type: ENTITY_CREATED}\n",
            Code::InvalidAutomation,
            "add `blueprintIdentifier:`",
            (4, 10),
        ),
        (
            "identifier: a\ntrigger:\n  type: automation\n  event: {type: ENTITY_CREATED, blueprintIdentifier: Environment}\n  condition:\n    type: SQL\n    expressions: [\"true\"]\n",
            Code::AutomationCondition,
            "Port's conditions are `type: JQ`",
            (6, 11),
        ),
        (
            "identifier: a\ntrigger:\n  type: automation\n  event: {type: ENTITY_CREATED, blueprintIdentifier: Environment}\ncairn:\n  runs: x\n",
            Code::InvalidAutomation,
            "did you mean `run`?",
            (6, 3),
        ),
    ];
    for (text, code, help, (line, column)) in cases {
        let (_, diagnostics) = read_one("actions/a.yaml", text);
        let found = diagnostics.iter().find(|d| d.code == *code).unwrap_or_else(|| panic!("{text}: {diagnostics:#?}"));
        assert!(found.help.as_deref().is_some_and(|h| h.contains(help)), "{found:#?}");
        let location = found.location.as_ref().expect("located");
        assert_eq!((location.start.line, location.start.column), (*line, *column), "{text}: {found:#?}");
    }
}

/// Each finding of checking against the platform, with its line and column.
#[test]
fn checking_findings_are_located() {
    let teardown = action("actions/teardown.yaml", TEARDOWN);
    let create = action(
        "actions/create.yaml",
        "identifier: create-env\ntrigger: {type: self-service, operation: CREATE, blueprintIdentifier: Environment}\ncairn: {files: [{path: a.yaml, template: a.j2}]}\n",
    );
    let on_system = action(
        "actions/system.yaml",
        "identifier: retire-system\ntrigger: {type: self-service, operation: DELETE, blueprintIdentifier: System}\n",
    );
    let automation = |text: &str| action("actions/auto.yaml", text);
    let head = "identifier: auto\ntrigger:\n  type: automation\n  event:\n";
    let cases: Vec<(String, Code, &str, (u32, u32))> = vec![
        (
            format!(
                "{head}    type: TIMER_PROPERTY_EXPIRED\n    blueprintIdentifier: Environment\n    propertyIdentifier: tll\ncairn:\n  run: teardown\n"
            ),
            Code::AutomationTimerProperty,
            "declares no `format: timer` property",
            (7, 25),
        ),
        (
            format!("{head}    type: ENTITY_CREATED\n    blueprintIdentifier: Enviroment\ncairn:\n  run: teardown\n"),
            Code::ActionUnknownBlueprint,
            "did you mean `Environment`?",
            (6, 26),
        ),
        (
            format!(
                "{head}    type: ENTITY_CREATED\n    blueprintIdentifier: Environment\n  condition:\n    type: JQ\n    expressions:\n      - .diff.after | (\ncairn:\n  run: teardown\n"
            ),
            Code::AutomationCondition,
            "jq over the event payload",
            (10, 9),
        ),
        (
            format!("{head}    type: ENTITY_CREATED\n    blueprintIdentifier: Environment\ncairn:\n  run: teardwn\n"),
            Code::AutomationUnknownAction,
            "did you mean `teardown`?",
            (8, 8),
        ),
        (
            format!(
                "{head}    type: ENTITY_CREATED\n    blueprintIdentifier: Environment\ncairn:\n  run: create-env\n"
            ),
            Code::AutomationActionNotRunnable,
            "name a DAY-2 or DELETE action",
            (8, 8),
        ),
        (
            format!(
                "{head}    type: ENTITY_CREATED\n    blueprintIdentifier: Environment\ncairn:\n  run: retire-system\n"
            ),
            Code::AutomationOtherBlueprint,
            "an action of the event's blueprint",
            (8, 8),
        ),
        (
            format!(
                "{head}    type: ENTITY_CREATED\n    blueprintIdentifier: Environment\ncairn:\n  run: teardown\n  inputs: {{reason: x}}\n"
            ),
            Code::AutomationUnknownInput,
            "takes no input",
            (9, 12),
        ),
        (
            format!("{head}    type: ENTITY_CREATED\n    blueprintIdentifier: Environment\n"),
            Code::AutomationNotRun,
            "add `cairn: {run: ACTION}`",
            (1, 13),
        ),
        (
            format!("{head}    type: RUN_CREATED\n    actionIdentifier: teardown\n"),
            Code::RunEventNotFired,
            "never run",
            (5, 11),
        ),
    ];
    for (text, code, help, (line, column)) in cases {
        let actions = [teardown.clone(), create.clone(), on_system.clone(), automation(&text)];
        let found = check_actions(&actions, &catalog(), &|_| true);
        let finding = found.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("{text}: {found:#?}"));
        assert_eq!(found.len(), 1, "{text}: {found:#?}");
        assert!(finding.help.as_deref().is_some_and(|h| h.contains(help)), "{finding:#?}");
        let location = finding.location.as_ref().expect("located");
        assert_eq!(
            (location.file.as_str(), location.start.line, location.start.column),
            ("actions/auto.yaml", line, column),
            "{text}"
        );
    }
}

#[test]
fn the_bundled_items_read_cleanly_and_are_replaced_by_the_platforms() {
    let bundled = bundled("(bundled) ", &cairn_model::Limits::default());
    assert_eq!(bundled.len(), 2);
    assert!(bundled.iter().all(|action| action.bundled));
    let found = check_actions(&bundled, &catalog(), &|_| true);
    assert!(found.is_empty(), "{found:#?}");
    let default = &bundled[0];
    assert_eq!(default.identifier.value, DEFAULT_AUTOMATION);
    let part = default.automation.as_ref().expect("an automation");
    assert_eq!((part.event.value, part.property.is_none()), (EventKind::TimerPropertyExpired, true));
    assert_eq!(part.run.as_ref().map(|run| run.value.as_str()), Some(TEARDOWN_ACTION));

    assert!(!replaced(DEFAULT_AUTOMATION, &bundled), "bundled items do not replace each other");
    let own_teardown = action("actions/t.yaml", &TEARDOWN.replace("teardown", TEARDOWN_ACTION));
    assert!(replaced(TEARDOWN_ACTION, &[own_teardown]));
    let own_timer = action(
        "actions/t.yaml",
        "identifier: reap\ntrigger:\n  type: automation\n  event: {type: TIMER_PROPERTY_EXPIRED, blueprintIdentifier: Environment}\n",
    );
    assert!(replaced(DEFAULT_AUTOMATION, std::slice::from_ref(&own_timer)));
    assert!(!replaced(TEARDOWN_ACTION, &[own_timer]));
}

/// An input template that fails is a finding on the template, not a panic or a silent value.
#[test]
fn a_failing_input_template_is_located() {
    let automation = action(
        "actions/a.yaml",
        "identifier: a\ntrigger:\n  type: automation\n  event: {type: ENTITY_CREATED, blueprintIdentifier: Environment}\ncairn:\n  run: teardown\n  inputs:\n    reason: \"{{ entity.properties.nothing.deeper }}\"\n",
    );
    let event = serde_json::json!({"action": "CREATE", "diff": {"before": null, "after": {"identifier": "dev", "properties": {}}}, "trigger": {}});
    let findings = render_inputs(&automation, &event).expect_err("an undefined value");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].code, Code::ActionExpression);
    let location = findings[0].location.as_ref().expect("located");
    assert_eq!((location.start.line, location.start.column), (8, 13));
}
