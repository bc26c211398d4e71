//! Score workloads checked against the catalog: each names a `Component` entity by its
//! `metadata.name`, and no component has two. (Score's schema and placeholders are checked by
//! cairn-score as the files are read.)

use std::collections::BTreeMap;
use std::sync::Arc;

use cairn_diagnostics::{Code, Diagnostic, EntityRef, Location, did_you_mean};
use cairn_model::Catalog;
use cairn_score::Workload;

/// The blueprint whose entities a workload's `metadata.name` names.
pub(crate) const COMPONENT_BLUEPRINT: &str = "Component";

/// The findings about `workloads` in `catalog`. Costs nothing per entity: a catalog without
/// workloads is not looked at.
pub(crate) fn findings(workloads: &[Arc<Workload>], catalog: &Catalog) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut by_name: BTreeMap<&str, Vec<&Workload>> = BTreeMap::new();
    for workload in workloads {
        by_name.entry(workload.name.as_str()).or_default().push(workload);
        if catalog.entity(COMPONENT_BLUEPRINT, &workload.name).is_none() {
            diagnostics.push(unknown_component(workload, catalog));
        }
    }
    for (name, mut named) in by_name {
        if named.len() < 2 {
            continue;
        }
        named.sort_by(|a, b| a.file.path().cmp(b.file.path()));
        let first = named[0];
        for other in &named[1..] {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateWorkload,
                    format!(
                        "two Score workloads name component `{name}`: `{}` and `{}`",
                        first.file.path(),
                        other.file.path()
                    ),
                )
                .at_span(&other.file, other.name_span)
                .with_entity(EntityRef::new(COMPONENT_BLUEPRINT, name))
                .with_related("the first workload for it", Location::new(&first.file, first.name_span))
                .with_help("a component has one workload: merge the two files, or rename one for another component"),
            );
        }
    }
    diagnostics
}

fn unknown_component(workload: &Workload, catalog: &Catalog) -> Diagnostic {
    let name = workload.name.as_str();
    let components = catalog.entities_of(COMPONENT_BLUEPRINT);
    let elsewhere: Vec<&str> = catalog.blueprints_with(name).collect();
    let help = if let Some(near) = did_you_mean(name, components.iter().map(|entity| entity.identifier.value.as_str()))
    {
        format!(
            "did you mean `{near}`? `metadata.name` is the identifier of the `{COMPONENT_BLUEPRINT}` entity the workload is for"
        )
    } else if let Some(blueprint) = elsewhere.first() {
        format!(
            "`{name}` is a `{blueprint}` entity; a workload is for a `{COMPONENT_BLUEPRINT}` entity: add one with the identifier `{name}`"
        )
    } else {
        format!(
            "`metadata.name` is the identifier of the `{COMPONENT_BLUEPRINT}` entity the workload is for: add the component to the catalog, or correct the name"
        )
    };
    Diagnostic::new(
        Code::WorkloadUnknownComponent,
        format!("the Score workload's `metadata.name` is `{name}`, which names no `{COMPONENT_BLUEPRINT}` entity"),
    )
    .at_span(&workload.file, workload.name_span)
    .with_help(help)
}
