//! The platform orchestrator's part of the engine: the resource requests of environments and of
//! Score workloads, matched once to the platform's resource definitions (cairn-resources), and
//! turned into what templates read (cairn-render's `Extras`): each instance's outputs rendered,
//! each workload's placeholders substituted per environment it is deployed to.
//!
//! Where a component is deployed is read from each `Environment`'s `components` relation as
//! written (its identifiers), here and in `render`'s units alike.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use cairn_diagnostics::{Diagnostic, EntityRef, Location, SourceFile};
use cairn_model::{Catalog, Entity, Node};
use cairn_render::{Extras, InlineText, Renderer, ResourceFile, ResourceFiles, ResourceInstance};
use cairn_resources::{Definition, Request, Resolution};
use cairn_score::Workload;
use serde_json::{Map, Value as Json};

use crate::workloads::COMPONENT_BLUEPRINT;

/// Every resource request of the platform, and how each was matched.
#[derive(Debug)]
pub(crate) struct Requested {
    pub requests: Vec<Request>,
    pub resolution: Resolution,
}

/// For each component, the environments it is deployed to (identifier, type), in catalog order:
/// `Catalog::deployments`, which the templates' deployments read too, by name.
fn deployments(catalog: &Catalog) -> BTreeMap<&str, Vec<(&str, Option<&str>)>> {
    let mut deployed = BTreeMap::new();
    for (component, environments) in catalog.deployments() {
        let component = &catalog.entities[component];
        // Workloads are components' (by name); another target blueprint runs no workload.
        if component.blueprint.value != COMPONENT_BLUEPRINT {
            continue;
        }
        let places = environments
            .iter()
            .map(|&position| {
                let environment = &*catalog.entities[position];
                (environment.identifier.value.as_str(), environment_type(environment))
            })
            .collect();
        deployed.insert(component.identifier.value.as_str(), places);
    }
    deployed
}

/// An environment's `type` property, which definitions match on.
fn environment_type(environment: &Entity) -> Option<&str> {
    environment.properties.as_ref().and_then(|properties| properties.get("type")).and_then(Node::as_str)
}

/// The requests of every environment and of every workload in each environment its component
/// is deployed to, matched to `definitions`, with the findings of both; none when the platform
/// declares no definition. A workload's request
/// without an `id` is private to it (`<component>.<name>`); with one, it is the same instance as
/// any request of that type, class and id in the environment.
pub(crate) fn request(
    catalog: &Catalog,
    workloads: &[Arc<Workload>],
    definitions: &[Definition],
) -> (Requested, Vec<Diagnostic>) {
    // Without a definition the platform declares no resource types: nothing is matched
    // (docs/golden-paths.md), and a large catalog pays nothing.
    if definitions.is_empty() {
        return (Requested { requests: Vec::new(), resolution: Resolution::default() }, Vec::new());
    }
    let (mut requests, mut diagnostics) = cairn_resources::environment_requests(catalog);
    let deployed = deployments(catalog);
    for workload in first_per_component(workloads).values() {
        let Some(places) = deployed.get(workload.name.as_str()) else { continue };
        for (environment, kind) in places {
            for (name, resource) in &workload.resources {
                let id = resource.id.clone().unwrap_or_else(|| format!("{}.{name}", workload.name));
                requests.push(
                    Request::new(*environment, name.clone(), resource.r#type.clone())
                        .with_environment_type(kind.map(str::to_owned))
                        .with_component(workload.name.clone())
                        .with_class(resource.class.clone())
                        .with_id(id)
                        .with_params(resource.params.clone())
                        .at(Location::new(&workload.file, resource.span))
                        .for_entity(EntityRef::new(COMPONENT_BLUEPRINT, &workload.name)),
                );
            }
        }
    }
    let (resolution, found) = cairn_resources::resolve(definitions, &requests);
    diagnostics.extend(found);
    (Requested { requests, resolution }, diagnostics)
}

/// One workload per component: the first by file (a second is a finding of its own).
fn first_per_component(workloads: &[Arc<Workload>]) -> BTreeMap<&str, &Workload> {
    let mut sorted: Vec<&Workload> = workloads.iter().map(AsRef::as_ref).collect();
    sorted.sort_by(|a, b| a.file.path().cmp(b.file.path()));
    let mut first = BTreeMap::new();
    for workload in sorted {
        first.entry(workload.name.as_str()).or_insert(workload);
    }
    first
}

/// What templates read from the requests: each instance's outputs (rendered by `renderer`), by
/// request name in each environment and deployment; each workload as written and, per
/// environment, with its placeholders substituted; and the files of each instance's definition.
pub(crate) fn extras(
    catalog: &Catalog,
    renderer: &Renderer<'_>,
    requested: &Requested,
    definitions: &[Definition],
    resource_templates: &[Arc<SourceFile>],
    workloads: &[Arc<Workload>],
) -> (Extras, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut extras = Extras::default();
    let templates: HashMap<&str, &Arc<SourceFile>> =
        resource_templates.iter().map(|file| (file.path(), file)).collect();

    // Each instance once: its outputs, then its files.
    let mut outputs_of: Vec<BTreeMap<String, String>> = Vec::with_capacity(requested.resolution.instances.len());
    for instance in &requested.resolution.instances {
        let definition = &definitions[instance.definition];
        let first = &requested.requests[instance.requests[0]];
        let mut components: Vec<String> =
            instance.requests.iter().filter_map(|&index| requested.requests[index].component.clone()).collect();
        components.sort();
        components.dedup();
        let resource = ResourceInstance {
            file: Arc::clone(&definition.source),
            definition: definition.id.clone(),
            resource: serde_json::json!({
                "type": instance.r#type,
                "class": instance.class,
                "id": instance.id,
                "name": first.name,
                "params": instance.params,
            }),
            environment: instance.environment.clone(),
            components,
        };
        let texts: BTreeMap<String, InlineText> = definition
            .outputs
            .iter()
            .map(|(name, text)| (name.clone(), inline(definition, &["outputs", name], text)))
            .collect();
        let (outputs, found) = renderer.resource_outputs(&resource, &texts);
        diagnostics.extend(found);
        let files = definition
            .files
            .iter()
            .filter_map(|(pattern, template)| {
                // A missing template file is `check_definitions`' finding (E0923).
                let template = templates.get(template.as_str())?;
                Some(ResourceFile {
                    path: inline(definition, &["files", pattern], pattern),
                    template: Arc::clone(template),
                })
            })
            .collect::<Vec<_>>();
        if !files.is_empty() {
            extras.resource_files.push(ResourceFiles { instance: resource, outputs: outputs.clone(), files });
        }
        outputs_of.push(outputs);
    }

    // Each request's outputs, by name, where templates and placeholders read them.
    for (index, request) in requested.requests.iter().enumerate() {
        let Some(instance) = requested.resolution.by_request.get(index).copied().flatten() else { continue };
        let outputs = Json::Object(
            outputs_of[instance].iter().map(|(name, value)| (name.clone(), Json::String(value.clone()))).collect(),
        );
        let map: &mut Map<String, Json> = match &request.component {
            None => extras.environment_resources.entry(request.environment.clone()).or_default(),
            Some(component) => {
                extras.workload_resources.entry((component.clone(), request.environment.clone())).or_default()
            }
        };
        map.insert(request.name.clone(), outputs);
    }

    // Each workload as written, and substituted for each environment it is deployed to.
    let deployed = deployments(catalog);
    for workload in first_per_component(workloads).values() {
        extras.workloads.insert(workload.name.clone(), workload.document.clone());
        for (environment, _) in deployed.get(workload.name.as_str()).into_iter().flatten() {
            let key = (workload.name.clone(), (*environment).to_owned());
            let outputs = Json::Object(extras.workload_resources.get(&key).cloned().unwrap_or_default());
            let (substituted, found) = cairn_score::substitute(workload, &outputs);
            diagnostics.extend(found);
            extras.deployed_workloads.insert(key, substituted);
        }
    }
    (extras, diagnostics)
}

/// A text written in a definition at `path` (its `outputs.NAME` or `files.PATTERN` value).
fn inline(definition: &Definition, path: &[&str], text: &str) -> InlineText {
    let mut node = &definition.node;
    for key in path {
        match node.get(key) {
            Some(next) => node = next,
            None => break,
        }
    }
    InlineText { text: text.to_owned(), span: node.span }
}
