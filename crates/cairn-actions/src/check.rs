//! The checks of actions against each other and the platform: identifiers unique, blueprints
//! known (the action's and its entity inputs'), edit paths naming fields of the blueprint, and
//! template files present beside the action; automations against the actions they run
//! (`automation::check`).

use cairn_diagnostics::{Code, Diagnostic, Location, did_you_mean};
use cairn_model::{Blueprint, Catalog, ParsedFile};

use crate::action::{Action, EditSpec, read_action};

/// Reads every action of the parsed files under `actions/`; the files' own parse findings are
/// the caller's (they come with the parse).
#[must_use]
pub fn read_actions(files: &[ParsedFile]) -> (Vec<Action>, Vec<Diagnostic>) {
    let mut actions = Vec::new();
    let mut diagnostics = Vec::new();
    for parsed in files {
        for document in &parsed.documents {
            let (action, found) = read_action(&parsed.file, document);
            actions.extend(action);
            diagnostics.extend(found);
        }
    }
    actions.sort_by(|a, b| (a.file.path(), a.span.start).cmp(&(b.file.path(), b.span.start)));
    (actions, diagnostics)
}

/// Findings about `actions` as a set and against the platform. `present` says whether a
/// platform-relative path is a file of the platform (for the templates actions name).
#[must_use]
pub fn check_actions(actions: &[Action], catalog: &Catalog, present: &dyn Fn(&str) -> bool) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut first: std::collections::HashMap<&str, &Action> = std::collections::HashMap::new();
    for action in actions {
        match first.get(action.identifier.value.as_str()) {
            Some(earlier) => diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateAction,
                    format!("the action `{}` is declared twice", action.identifier.value),
                )
                .at_span(&action.file, action.identifier.span)
                .with_related("first declared here", Location::new(&earlier.file, earlier.identifier.span))
                .with_help("action identifiers are unique: rename one of the two"),
            ),
            None => {
                first.insert(&action.identifier.value, action);
            }
        }
        check_action(action, catalog, present, &mut diagnostics);
        if let Some(automation) = &action.automation {
            crate::automation::check::check(action, automation, actions, catalog, &mut diagnostics);
        }
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics
}

pub(crate) fn unknown_blueprint(catalog: &Catalog, name: &str) -> String {
    if let Some(close) = did_you_mean(name, catalog.blueprints.keys().map(String::as_str)) {
        return format!("did you mean `{close}`?");
    }
    let names: Vec<String> = catalog.blueprints.keys().map(|name| format!("`{name}`")).collect();
    format!("the blueprints are {}", names.join(", "))
}

fn check_action(action: &Action, catalog: &Catalog, present: &dyn Fn(&str) -> bool, out: &mut Vec<Diagnostic>) {
    let blueprint = action.blueprint.as_ref().and_then(|name| {
        let blueprint = catalog.blueprints.get(&name.value);
        if blueprint.is_none() {
            out.push(
                Diagnostic::new(Code::ActionUnknownBlueprint, format!("there is no blueprint `{}`", name.value))
                    .at_span(&action.file, name.span)
                    .with_help(unknown_blueprint(catalog, &name.value)),
            );
        }
        blueprint
    });
    for input in &action.inputs.inputs {
        if let Some(name) = &input.blueprint
            && !catalog.blueprints.contains_key(&name.value)
        {
            out.push(
                Diagnostic::new(
                    Code::ActionUnknownBlueprint,
                    format!("the input `{}` names the blueprint `{}`, which does not exist", input.name, name.value),
                )
                .at_span(&action.file, name.span)
                .with_help(unknown_blueprint(catalog, &name.value)),
            );
        }
    }
    if let Some(blueprint) = blueprint {
        for edit in action.edits() {
            if let Some(diagnostic) = edit_field(action, blueprint, edit) {
                out.push(diagnostic);
            }
        }
    }
    for file in action.files() {
        let Ok(path) = action.template_path(&file.template.value) else { continue };
        if !present(&path) {
            out.push(
                Diagnostic::new(Code::ActionTemplateMissing, format!("the template `{path}` does not exist"))
                    .at_span(&action.file, file.template.span)
                    .with_help(format!("templates are named relative to the action's folder `{}`", action.folder())),
            );
        }
    }
}

/// A finding when the edit's path names no field of `blueprint`.
fn edit_field(action: &Action, blueprint: &Blueprint, edit: &EditSpec) -> Option<Diagnostic> {
    let segments: Vec<&str> = edit.segments().collect();
    let (known, kind): (Vec<&str>, &str) = match segments[0] {
        "properties" => (blueprint.properties.iter().map(String::as_str).collect(), "property"),
        "relations" => (blueprint.relations.keys().map(String::as_str).collect(), "relation"),
        _ => return None,
    };
    let name = segments.get(1)?;
    if known.contains(name) {
        return None;
    }
    let help = match did_you_mean(name, known.iter().copied()) {
        Some(close) => format!("did you mean `{}.{close}`?", segments[0]),
        None if known.is_empty() => format!("the blueprint `{}` declares no {kind}", blueprint.identifier),
        None => {
            let names: Vec<String> = known.iter().map(|name| format!("`{name}`")).collect();
            format!("the {kind} names of `{}` are {}", blueprint.identifier, names.join(", "))
        }
    };
    Some(
        Diagnostic::new(
            Code::EditUnknownField,
            format!("the blueprint `{}` has no {kind} `{name}`", blueprint.identifier),
        )
        .at_span(&action.file, edit.path.span)
        .with_help(help),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{action, catalog};

    #[test]
    fn finds_what_the_platform_lacks() {
        let a = action(
            "actions/a.yaml",
            "identifier: a\ntrigger:\n  type: self-service\n  operation: DAY-2\n  blueprintIdentifier: Environment\n  userInputs:\n    properties:\n      s: {type: string, format: entity, blueprint: Sytem}\ncairn:\n  edits:\n    - set: properties.tll\n      value: 1d\n    - add: relations.component\n      value: x\n",
        );
        let b = action(
            "actions/sub/b.yaml",
            "identifier: a\ntrigger: {type: self-service, operation: CREATE, blueprintIdentifier: Enviroment}\ncairn:\n  files: [{path: x.yaml, template: t/x.j2}, {path: y.yaml, template: t/y.j2}]\n",
        );
        let present = |path: &str| path == "actions/sub/t/x.j2";
        let found = check_actions(&[a, b], &catalog(), &present);
        let shown: Vec<(Code, &str, Option<&str>)> =
            found.iter().map(|d| (d.code, d.message.as_str(), d.help.as_deref())).collect();
        assert_eq!(
            shown,
            [
                (
                    Code::ActionUnknownBlueprint,
                    "the input `s` names the blueprint `Sytem`, which does not exist",
                    Some("did you mean `System`?")
                ),
                (
                    Code::EditUnknownField,
                    "the blueprint `Environment` has no property `tll`",
                    Some("did you mean `properties.ttl`?")
                ),
                (
                    Code::EditUnknownField,
                    "the blueprint `Environment` has no relation `component`",
                    Some("did you mean `relations.components`?")
                ),
                (
                    Code::DuplicateAction,
                    "the action `a` is declared twice",
                    Some("action identifiers are unique: rename one of the two")
                ),
                (
                    Code::ActionUnknownBlueprint,
                    "there is no blueprint `Enviroment`",
                    Some("did you mean `Environment`?")
                ),
                (
                    Code::ActionTemplateMissing,
                    "the template `actions/sub/t/y.j2` does not exist",
                    Some("templates are named relative to the action's folder `actions/sub/`")
                ),
            ]
        );
        assert_eq!(found[3].related.len(), 1);
    }
}
