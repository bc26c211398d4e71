use cairn_model::SignedDuration;

use super::*;
use crate::testing::{CLEAN, FIRST_COMMIT_TIME, Repo};

const DAY: i64 = 24 * 60 * 60;

fn env(identifier: &str, ttl: &str) -> String {
    format!("identifier: {identifier}\nteam: payments\nproperties:\n  type: development\n  ttl: {ttl}\n")
}

/// Each run as `automation event entity ok|CODE…`.
fn shown(due: &Due) -> Vec<String> {
    due.runs
        .iter()
        .map(|run| {
            let outcome = match &run.run {
                Ok(_) => "ok".to_owned(),
                Err(findings) => findings.iter().map(|d| d.code.to_string()).collect::<Vec<_>>().join(","),
            };
            format!("{} {} {} {outcome}", run.automation, run.event.as_str(), run.entity)
        })
        .collect()
}

/// Three environments: one expired, one expiring within the reminder window, one fresh. The
/// bundled default tears down the expired one with the bundled DELETE action; the expiring one
/// gets a reminder naming the pull request that created it.
#[test]
fn an_expired_environment_is_torn_down_and_an_expiring_one_reminded() {
    let repo = Repo::with(CLEAN);
    repo.write("environments/old.yaml", env("old", "1d"));
    repo.write("environments/soon.yaml", env("soon", "3d"));
    repo.commit("Add old and soon environments (#41)");
    repo.write("environments/fresh.yaml", env("fresh", "30d"));
    repo.commit("Merge pull request #42 from alice/fresh\n\nA fresh environment");
    let created = Timestamp::from_second(FIRST_COMMIT_TIME).expect("a time");
    let now = Timestamp::from_second(FIRST_COMMIT_TIME + 2 * DAY + DAY / 2).expect("a time");

    let due = due(&repo.at("HEAD"), now).expect("due");
    assert!(due.diagnostics.is_empty(), "{:#?}", due.diagnostics);
    assert_eq!(shown(&due), ["expire-environments TIMER_PROPERTY_EXPIRED Environment:old ok"]);
    let run = &due.runs[0];
    assert!(run.bundled);
    let prepared = run.run.as_ref().expect("prepared");
    assert_eq!(prepared.action.identifier.value, "teardown-environment");
    assert_eq!(prepared.writes.len(), 1);
    assert_eq!((prepared.writes[0].path.as_str(), prepared.writes[0].after.as_ref()), ("environments/old.yaml", None));
    assert!(prepared.message.contains("cairn-reconcile"), "{}", prepared.message);

    assert_eq!(due.reminders.len(), 1, "{:#?}", due.reminders);
    let reminder = &due.reminders[0];
    assert_eq!(reminder.entity.to_string(), "Environment:soon");
    assert_eq!(reminder.owners, ["payments"]);
    assert_eq!(reminder.expires, created.checked_add(SignedDuration::from_secs(3 * DAY)).expect("in range"));
    assert_eq!((reminder.pull, reminder.file.as_str(), reminder.line), (Some(41), "environments/soon.yaml", 1));

    // A day later the second one has expired too; the fresh one never was due.
    let later = now.checked_add(SignedDuration::from_secs(DAY)).expect("in range");
    let due = super::due(&repo.at("HEAD"), later).expect("due");
    assert_eq!(
        shown(&due),
        [
            "expire-environments TIMER_PROPERTY_EXPIRED Environment:old ok",
            "expire-environments TIMER_PROPERTY_EXPIRED Environment:soon ok"
        ]
    );
    assert!(due.reminders.is_empty(), "{:#?}", due.reminders);

    // `reconcile.reminder: 0d` sends no reminder.
    repo.write("cairn.yaml", "reconcile:\n  reminder: 0d\n");
    repo.commit("no reminders");
    let quiet = super::due(&repo.at("HEAD"), now).expect("due");
    assert_eq!(shown(&quiet), ["expire-environments TIMER_PROPERTY_EXPIRED Environment:old ok"]);
    assert!(quiet.reminders.is_empty(), "{:#?}", quiet.reminders);
}

const ON_CREATE: &str = "identifier: on-new-service\ntrigger:\n  type: automation\n  event: {type: ENTITY_CREATED, blueprintIdentifier: Component}\n  condition:\n    type: JQ\n    expressions: ['.diff.after.properties.type == \"service\"']\ncairn:\n  run: tag-service\n  inputs:\n    stage: \"{{ 'experimental' if entity.properties.type == 'service' else 'production' }}\"\n";

/// An entity event fires from the change between the revision's first parent and the
/// revision, for the entities its condition accepts; a directory has no parent and fires none.
#[test]
fn an_entity_created_event_fires_for_the_entities_its_condition_accepts() {
    let repo = Repo::with(CLEAN);
    repo.write(
        "actions/tag-service.yaml",
        "identifier: tag-service\ntrigger:\n  type: self-service\n  operation: DAY-2\n  blueprintIdentifier: Component\n  userInputs:\n    properties:\n      stage: {type: string}\n    required: [stage]\ncairn:\n  edits:\n    - set: properties.lifecycle\n      value: \"{{ inputs.stage }}\"\n",
    );
    repo.write("actions/on-new-service.yaml", ON_CREATE);
    repo.commit("actions");
    repo.write(
        "catalog/api.yaml",
        "identifier: api\nblueprint: Component\nteam: payments\nproperties:\n  type: service\n  lifecycle: production\nrelations:\n  system: checkout\n",
    );
    repo.write(
        "catalog/lib.yaml",
        "identifier: lib\nblueprint: Component\nteam: payments\nproperties:\n  type: library\n  lifecycle: production\nrelations:\n  system: checkout\n",
    );
    repo.commit("two components");
    let now = crate::testing::now();

    let due = due(&repo.at("HEAD"), now).expect("due");
    assert!(due.diagnostics.is_empty(), "{:#?}", due.diagnostics);
    assert_eq!(shown(&due), ["on-new-service ENTITY_CREATED Component:api ok"]);
    let prepared = due.runs[0].run.as_ref().expect("prepared");
    let after = String::from_utf8(prepared.writes[0].after.clone().expect("edited")).expect("text");
    assert!(after.contains("lifecycle: experimental"), "{after}");

    // The root commit created everything: there the first service fires.
    assert_eq!(
        shown(&super::due(&repo.at("HEAD~1"), now).expect("due")),
        ["on-new-service ENTITY_CREATED Component:cart ok"]
    );
    // A directory has no parent to compare with.
    assert!(super::due(&repo.directory(), now).expect("due").runs.is_empty());
}

/// A platform automation on the expiry of environments replaces the bundled default; a run that
/// cannot be prepared carries its findings and the others are still prepared.
#[test]
fn the_platform_replaces_the_default_and_a_failed_run_stays_one_run() {
    let repo = Repo::with(CLEAN);
    repo.write(
        "actions/extend.yaml",
        "identifier: extend\ntrigger:\n  type: self-service\n  operation: DAY-2\n  blueprintIdentifier: Environment\n  userInputs:\n    properties:\n      days: {type: number}\n    required: [days]\ncairn:\n  edits:\n    - set: properties.ttl\n      value: \"{{ inputs.days }}d\"\n",
    );
    repo.write(
        "actions/reap.yaml",
        "identifier: reap\ntrigger:\n  type: automation\n  event: {type: TIMER_PROPERTY_EXPIRED, blueprintIdentifier: Environment}\ncairn:\n  run: extend\n",
    );
    repo.write(
        "actions/reap-fixed.yaml",
        "identifier: reap-fixed\ntrigger:\n  type: automation\n  event: {type: TIMER_PROPERTY_EXPIRED, blueprintIdentifier: Environment}\ncairn:\n  run: extend\n  inputs: {days: 7}\n",
    );
    repo.write("environments/old.yaml", env("old", "1d"));
    repo.commit("Add old");
    let now = Timestamp::from_second(FIRST_COMMIT_TIME + 2 * DAY).expect("a time");

    let due = due(&repo.at("HEAD"), now).expect("due");
    assert!(due.diagnostics.is_empty(), "{:#?}", due.diagnostics);
    assert_eq!(
        shown(&due),
        ["reap TIMER_PROPERTY_EXPIRED Environment:old E1012", "reap-fixed TIMER_PROPERTY_EXPIRED Environment:old ok",]
    );
    let prepared = due.runs[1].run.as_ref().expect("prepared");
    let after = String::from_utf8(prepared.writes[0].after.clone().expect("edited")).expect("text");
    assert!(after.contains("ttl: 7d"), "{after}");
}

#[test]
fn pull_requests_are_read_from_githubs_subjects() {
    assert_eq!(pull_request("Add dev (#123)"), Some(123));
    assert_eq!(pull_request("Add dev (#123)\n\nbody (#9)"), Some(123));
    assert_eq!(pull_request("Merge pull request #77 from alice/dev\n\nAdd dev"), Some(77));
    assert_eq!(pull_request("Add dev"), None);
    assert_eq!(pull_request("Add dev (#x)"), None);
    assert_eq!(pull_request("Merge pull request #77"), None);
}

/// `cairn check` reports an automation's findings on the platform's file, never on the bundled
/// items; `cairn run` still refuses to run an automation directly; a timer automation with
/// `propertyIdentifier` fires on that property alone.
#[test]
fn automations_are_checked_refused_by_run_and_fired_by_their_timer() {
    let repo = Repo::with(CLEAN);
    repo.write(
        "blueprints/environment.yaml",
        "identifier: Environment\nschema:\n  properties:\n    type: {type: string}\n    ttl: {type: string}\n    deadline: {type: string, format: timer}\n",
    );
    repo.write(
        "actions/retire.yaml",
        "identifier: retire\ntrigger: {type: self-service, operation: DELETE, blueprintIdentifier: Environment}\n",
    );
    repo.write(
        "actions/on-deadline.yaml",
        "identifier: on-deadline\ntrigger:\n  type: automation\n  event:\n    type: TIMER_PROPERTY_EXPIRED\n    blueprintIdentifier: Environment\n    propertyIdentifier: deadline\ncairn:\n  run: retire\n",
    );
    repo.write("actions/typo.yaml", "identifier: typo\ntrigger:\n  type: automation\n  event: {type: ENTITY_UPDATED, blueprintIdentifier: Environment}\ncairn:\n  run: retir\n");
    repo.write(
        "environments/a.yaml",
        "identifier: a\nproperties:\n  type: development\n  deadline: \"2020-01-01T00:00:00Z\"\n",
    );
    repo.write(
        "environments/b.yaml",
        "identifier: b\nproperties:\n  type: development\n  deadline: \"2999-01-01T00:00:00Z\"\n  ttl: 1d\n",
    );
    repo.commit("platform");
    let now = crate::testing::now();

    let outcome = crate::check(&repo.at("HEAD"), now).expect("checked");
    let codes: Vec<String> = crate::testing::findings(&outcome.diagnostics)
        .into_iter()
        .filter(|finding| finding.starts_with("E10") || finding.starts_with("W10"))
        .collect();
    // `a`'s timer has passed: the check warns that its teardown is due.
    assert_eq!(codes, ["E1064 actions/typo.yaml", "W1080 environments/a.yaml"]);

    let request = RunRequest {
        action: "on-deadline".to_owned(),
        entity: Some("a".to_owned()),
        set: Vec::new(),
        values: None,
        actor: "ada".to_owned(),
        now,
        operation: None,
    };
    let Err(RunFailure::Findings { diagnostics, .. }) = prepare(&repo.at("HEAD"), &request) else {
        panic!("an automation is not run directly")
    };
    assert_eq!(diagnostics.iter().map(Diagnostic::code_name).collect::<Vec<_>>(), ["E1019"]);

    // The platform's timer automation replaces the default: `b` has expired by its `ttl` but not
    // by its deadline, and only the deadline counts here. The automation with an error is not
    // fired, and its finding is in the due's findings.
    let due = due(&repo.at("HEAD"), now).expect("due");
    assert_eq!(shown(&due), ["on-deadline TIMER_PROPERTY_EXPIRED Environment:a ok"]);
    assert_eq!(crate::testing::findings(&due.diagnostics), ["E1064 actions/typo.yaml"]);
}
