//! Self-service actions in every check: the actions `load` read from `actions/` checked against
//! each other and the catalog (cairn-actions' `check_actions`), and the committed action
//! workflows against what `cairn actions workflows` would write now (`stale_workflows`).

use std::collections::HashSet;

use cairn_actions::WorkflowOptions;
use cairn_diagnostics::Diagnostic;
use cairn_model::Catalog;
use cairn_source::EntryKind;

use crate::load::Loaded;

/// How the committed workflows under the platform's own `.github/workflows` are judged: as
/// `cairn actions workflows` writes them there, as if the platform were its repository's root
/// (where GitHub runs them). Workflows written elsewhere for a platform in a folder name that
/// folder (`WorkflowOptions::path`); those are not the platform's files, and not judged.
fn workflow_options() -> WorkflowOptions {
    WorkflowOptions::default()
}

/// The findings about the actions of `loaded`, judged against `catalog`.
pub(crate) fn findings(loaded: &Loaded, catalog: &Catalog) -> Vec<Diagnostic> {
    if loaded.actions.iter().all(|action| action.bundled) && loaded.action_workflows.is_empty() {
        return Vec::new();
    }
    let files: HashSet<&str> =
        loaded.listing.iter().filter(|entry| entry.kind == EntryKind::File).map(|entry| entry.path.as_str()).collect();
    let mut diagnostics = cairn_actions::check_actions(&loaded.actions, catalog, &|path| files.contains(path));
    // The bundled items are not the user's: a platform without the `Environment` blueprint, say,
    // simply has nothing for the default automation to fire on.
    diagnostics.retain(|d| !d.location.as_ref().is_some_and(|l| l.file.starts_with(crate::load::BUNDLED_PREFIX)));
    diagnostics.extend(cairn_actions::stale_workflows(
        &loaded.actions,
        catalog,
        &workflow_options(),
        &loaded.action_workflows,
    ));
    diagnostics
}

/// The actions of a platform, for `cairn actions list`: every action read, and the findings of
/// reading and checking them (located in `sources`).
#[derive(Debug)]
pub struct ActionSet {
    pub actions: Vec<cairn_actions::Action>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: cairn_diagnostics::SourceMap,
    /// The workflows `cairn actions workflows` writes for them (paths under `.github/workflows/`).
    pub workflows: Vec<cairn_actions::Workflow>,
}

/// Reads the actions of the platform at `source`, checks them against its catalog and generates
/// their workflows with `options`.
pub fn actions(source: &cairn_source::Source, options: &WorkflowOptions) -> Result<ActionSet, crate::EngineError> {
    let mut loaded = crate::load::load(source)?;
    let entities = std::mem::take(&mut loaded.entities);
    let (catalog, _) = Catalog::build(loaded.bundled_blueprints.clone(), loaded.declared_blueprints.clone(), entities);
    let action_files: HashSet<&str> = loaded.actions.iter().map(|action| action.file.path()).collect();
    // The findings of reading the action files, then those of checking them.
    let mut diagnostics: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| {
            d.location
                .as_ref()
                .is_some_and(|l| action_files.contains(l.file.as_str()) || cairn_actions::is_action_file(&l.file))
        })
        .cloned()
        .collect();
    diagnostics.extend(findings(&loaded, &catalog));
    let workflows = cairn_actions::workflows(&loaded.actions, &catalog, options);
    for workflow in &workflows {
        diagnostics.extend(workflow.diagnostics.iter().cloned());
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    let mut sources = cairn_diagnostics::SourceMap::new();
    for file in &loaded.files {
        sources.insert(std::sync::Arc::clone(file));
    }
    Ok(ActionSet { actions: std::mem::take(&mut loaded.actions), diagnostics, sources, workflows })
}
