//! A run's identity: the key that makes a re-run find its own branch and pull request, the
//! branch name, the title and body, and the commit message whose trailers say what ran (the
//! audit of a later issue reads them).

use std::fmt::Write;

use cairn_diagnostics::{Diagnostic, EntityRef};
use cairn_model::Entity;
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use crate::action::Action;
use crate::change::{RunContext, context};
use crate::expr::{Renderer, environment};
use crate::inputs::Inputs;

/// The prefix of every branch a run creates.
pub const BRANCH_PREFIX: &str = "cairn/";

/// What a run's change starts from: each file it writes, with its bytes before the run (`None`
/// for a file it creates).
pub type Basis<'a> = [(&'a str, Option<&'a [u8]>)];

/// The 12 hex digits that name a run: SHA-256 over the action's identifier, the target entity,
/// the inputs as canonical JSON and the `basis` the change starts from. The same action with
/// the same inputs on the same entity has the same key however the flags were ordered, as long
/// as the files it changes are as they were: running it again while its pull request is open
/// finds that pull request, and running it again after the merge (a TTL extended once more) is
/// a new run, since the file it edits has changed.
#[must_use]
pub fn run_key(action: &Action, inputs: &Inputs, target: Option<&EntityRef>, basis: &Basis<'_>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(action.identifier.value.as_bytes());
    hasher.update([0]);
    hasher.update(target.map(ToString::to_string).unwrap_or_default().as_bytes());
    hasher.update([0]);
    hasher.update(inputs.canonical_json().as_bytes());
    for (path, before) in basis {
        hasher.update([0]);
        hasher.update(path.as_bytes());
        match before {
            Some(bytes) => {
                hasher.update([1]);
                hasher.update(Sha256::digest(bytes));
            }
            None => hasher.update([2]),
        }
    }
    let mut key = String::with_capacity(12);
    for byte in &hasher.finalize()[..6] {
        let _ = write!(key, "{byte:02x}");
    }
    key
}

/// The branch of a run: `cairn/<action>/<subject>-<key>`, where the subject is the target's
/// identifier, or else the first text input (in the inputs' order), each part sanitised to
/// git's rules for ref names.
#[must_use]
pub fn branch_name(action: &Action, inputs: &Inputs, target: Option<&EntityRef>, basis: &Basis<'_>) -> String {
    let key = run_key(action, inputs, target, basis);
    let subject = match target {
        Some(target) => Some(target.name().to_owned()),
        None => action
            .inputs
            .ordered()
            .iter()
            .find_map(|input| inputs.values.get(&input.name).and_then(Json::as_str).map(str::to_owned)),
    };
    let action = ref_part(&action.identifier.value);
    match subject.map(|subject| ref_part(&subject)).filter(|subject| !subject.is_empty()) {
        Some(subject) => format!("{BRANCH_PREFIX}{action}/{subject}-{key}"),
        None => format!("{BRANCH_PREFIX}{action}/{key}"),
    }
}

/// Longest subject or action part of a branch name, in characters.
const MAX_PART: usize = 48;

/// `text` as one component of a git ref name. git refuses (git-check-ref-format(1),
/// https://git-scm.com/docs/git-check-ref-format): control characters, space, `~ ^ : ? * [ \`,
/// `..`, `@{`, a component that starts with `.` or ends with `.lock`, and a name ending with
/// `.` or `/`. Keeping only ASCII letters, digits, `-`, `_` and single inner `.` avoids them
/// all; anything else becomes `-`.
fn ref_part(text: &str) -> String {
    let mut part = String::new();
    for ch in text.chars() {
        let ch = if ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.') { ch } else { '-' };
        let last = part.chars().last();
        if (ch == '-' && last == Some('-')) || (ch == '.' && matches!(last, None | Some('.' | '-'))) {
            continue;
        }
        part.push(ch);
    }
    let part: String = part.chars().take(MAX_PART).collect();
    let mut part = part.trim_matches(|ch| ch == '-' || ch == '.').to_owned();
    // git compares `.lock` as written; refusing any case also suits case-insensitive file systems.
    while part.to_ascii_lowercase().ends_with(".lock") {
        part.truncate(part.len() - ".lock".len());
    }
    part
}

/// The title and body of a run's commit and pull request: the `cairn.title` and `cairn.body`
/// templates rendered, or by default the action's title (or identifier) and the entity.
pub fn run_title(
    action: &Action,
    inputs: &Inputs,
    target: Option<&Entity>,
    run: &RunContext,
) -> Result<(String, String), Vec<Diagnostic>> {
    let environment = environment();
    let renderer = Renderer {
        environment: &environment,
        context: minijinja::Value::from_serialize(context(action, inputs, target, run)),
    };
    let cairn = action.cairn.as_ref();
    let name = action.title.as_deref().unwrap_or(&action.identifier.value);
    let title = match (cairn.and_then(|cairn| cairn.title.as_ref()), target) {
        (Some(title), _) => renderer.text(&action.file, title.span, &title.value).map_err(|finding| vec![*finding])?,
        (None, Some(entity)) => format!("{name}: {}", entity.reference()),
        (None, None) => name.to_owned(),
    };
    let body = match cairn.and_then(|cairn| cairn.body.as_ref()) {
        Some(body) => renderer.text(&action.file, body.span, &body.value).map_err(|finding| vec![*finding])?,
        None => action.description.clone().unwrap_or_default(),
    };
    // A title is one line.
    let title = title.lines().map(str::trim).filter(|line| !line.is_empty()).collect::<Vec<_>>().join(" ");
    Ok((title, body.trim().to_owned()))
}

/// The commit message of a run: the title, the body, then the trailers `Cairn-Action`,
/// `Cairn-Inputs` (canonical JSON), `Cairn-Entity` (when the run has one) and `Cairn-Run-By`,
/// in git's trailer form (git-interpret-trailers(1): `Key: value` lines in the last paragraph).
#[must_use]
pub fn commit_message(
    action: &Action,
    inputs: &Inputs,
    target: Option<&EntityRef>,
    run: &RunContext,
    title: &str,
    body: &str,
) -> String {
    let mut message = String::new();
    message.push_str(title.trim());
    message.push_str("\n\n");
    if !body.trim().is_empty() {
        message.push_str(body.trim());
        message.push_str("\n\n");
    }
    let _ = writeln!(message, "Cairn-Action: {}", action.identifier.value);
    let _ = writeln!(message, "Cairn-Inputs: {}", inputs.canonical_json());
    if let Some(target) = target {
        let _ = writeln!(message, "Cairn-Entity: {target}");
    }
    // A trailer is one line: an actor's name never breaks it.
    let actor: String = run.actor.chars().map(|ch| if ch.is_control() { ' ' } else { ch }).collect();
    let _ = writeln!(message, "Cairn-Run-By: {}", actor.trim());
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{action, catalog};

    const ACTION: &str = "identifier: extend-ttl\ntitle: Extend a lifetime\ntrigger:\n  type: self-service\n  operation: DAY-2\n  blueprintIdentifier: Environment\n  userInputs:\n    properties:\n      days: {type: number}\ncairn:\n  title: \"Extend {{ entity.identifier }} by {{ inputs.days }} days\"\n  body: \"Asked by {{ run.actor }}.\"\n  edits:\n    - set: properties.ttl\n      value: \"{{ entity.properties.ttl | ttl_add(days=inputs.days) }}\"\n";

    fn inputs(value: Json) -> Inputs {
        Inputs { values: serde_json::from_value(value).expect("an object") }
    }

    fn run() -> RunContext {
        RunContext { actor: "alice".to_owned(), now: "2026-12-03T21:00:00Z".parse().expect("an instant") }
    }

    #[test]
    fn the_key_depends_on_what_runs_only() {
        let action = action("actions/extend-ttl.yaml", ACTION);
        let target = EntityRef::new("Environment", "dev-alice");
        let a = run_key(&action, &inputs(serde_json::json!({"days": 3, "b": {"y": 1, "x": 2}})), Some(&target), &[]);
        let b = run_key(&action, &inputs(serde_json::json!({"b": {"x": 2, "y": 1}, "days": 3})), Some(&target), &[]);
        assert_eq!(a, b);
        assert_eq!(a.len(), 12);
        assert!(a.chars().all(|ch| ch.is_ascii_hexdigit()));
        assert_ne!(
            a,
            run_key(&action, &inputs(serde_json::json!({"days": 4, "b": {"x": 2, "y": 1}})), Some(&target), &[])
        );
        assert_ne!(a, run_key(&action, &inputs(serde_json::json!({"days": 3, "b": {"x": 2, "y": 1}})), None, &[]));
        // The same run on a file that has changed since (its first run merged) is another run.
        let same = inputs(serde_json::json!({"days": 3, "b": {"x": 2, "y": 1}}));
        let before: &[u8] = b"ttl: 5d\n";
        let after: &[u8] = b"ttl: 8d\n";
        let first = run_key(&action, &same, Some(&target), &[("environments/dev.yaml", Some(before))]);
        assert_eq!(first, run_key(&action, &same, Some(&target), &[("environments/dev.yaml", Some(before))]));
        assert_ne!(first, run_key(&action, &same, Some(&target), &[("environments/dev.yaml", Some(after))]));
        assert_ne!(first, run_key(&action, &same, Some(&target), &[("environments/dev.yaml", None)]));
    }

    #[test]
    fn branches_follow_git_ref_rules() {
        let action = action("actions/extend-ttl.yaml", ACTION);
        let days = inputs(serde_json::json!({"days": 3}));
        let target = EntityRef::new("Environment", "dev-alice");
        let key = run_key(&action, &days, Some(&target), &[]);
        assert_eq!(branch_name(&action, &days, Some(&target), &[]), format!("cairn/extend-ttl/dev-alice-{key}"));
        let odd = EntityRef::new("Environment", "..team/a b~c:d.lock");
        let branch = branch_name(&action, &days, Some(&odd), &[]);
        assert!(branch.starts_with("cairn/extend-ttl/team-a-b-c-d-"), "{branch}");
        assert_eq!(
            branch_name(&action, &days, None, &[]),
            format!("cairn/extend-ttl/{}", run_key(&action, &days, None, &[]))
        );
        for part in ["a..b", ".x", "x.", "x.lock", "@{x}", "a\u{7f}b", "é"] {
            let cleaned = ref_part(part);
            assert!(
                !cleaned.contains("..") && !cleaned.starts_with('.') && !cleaned.ends_with('.'),
                "{part}: {cleaned}"
            );
            assert!(!cleaned.to_ascii_lowercase().ends_with(".lock") && cleaned.is_ascii(), "{part}: {cleaned}");
        }
    }

    #[test]
    fn the_commit_message_carries_trailers() {
        let catalog = catalog();
        let entity = catalog.entity("Environment", "dev-alice").expect("in the catalog");
        let action = action("actions/extend-ttl.yaml", ACTION);
        let days = inputs(serde_json::json!({"days": 3}));
        let (title, body) = run_title(&action, &days, Some(entity), &run()).expect("rendered");
        let message = commit_message(&action, &days, Some(&entity.reference()), &run(), &title, &body);
        insta::assert_snapshot!(message, @r#"
        Extend dev-alice by 3 days

        Asked by alice.

        Cairn-Action: extend-ttl
        Cairn-Inputs: {"days":3}
        Cairn-Entity: Environment:dev-alice
        Cairn-Run-By: alice
        "#);
    }

    #[test]
    fn the_default_title_names_the_action_and_entity() {
        let catalog = catalog();
        let entity = catalog.entity("Environment", "dev-alice").expect("in the catalog");
        let action = action(
            "actions/teardown.yaml",
            "identifier: teardown\ntitle: Tear down\ntrigger: {type: self-service, operation: DELETE, blueprintIdentifier: Environment}\n",
        );
        let (title, body) = run_title(&action, &Inputs::default(), Some(entity), &run()).expect("rendered");
        assert_eq!((title.as_str(), body.as_str()), ("Tear down: Environment:dev-alice", ""));
    }
}
