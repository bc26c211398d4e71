//! Units and rendering: each template expanded over the catalog into units (one per entity,
//! deployment, environment, or one for the catalog), rendered in parallel against the compiled
//! templates, and gathered into one sorted output set with provenance.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use cairn_compute::{Computed, Relations};
use cairn_diagnostics::{Code, Diagnostic, EntityRef, Location, SourceFile};
use cairn_model::{Catalog, ENVIRONMENT_BLUEPRINT, Timestamp};
use minijinja::Value;
use rayon::prelude::*;
use serde_json::Value as Json;

use crate::context::Lookup;
use crate::paths::{self, Placed};
use crate::spec::{Each, TemplateSpec};
use crate::templates::{MAX_OUTPUT, Origin, Templates, path_template};
use crate::{Output, Provenance, Rendered};

/// The catalog a render reads: the built catalog, every relation resolved
/// (`Relations::resolve`, not only the search queries), the computed properties, and `now`
/// (which date presets of `where` queries are relative to).
#[derive(Clone, Copy, Debug)]
pub struct Catalogued<'a> {
    pub catalog: &'a Catalog,
    pub relations: &'a Relations,
    pub computed: &'a Computed,
    pub now: Timestamp,
}

/// What the engine adds from Score workloads and resource definitions (the crates that read
/// them are not dependencies of this one): plain JSON values, keyed by identifiers. Every map
/// may be empty; a template reading what is absent fails with strict undefined.
#[derive(Clone, Debug, Default)]
pub struct Extras {
    /// Component identifier to its Score workload as written (Score's own shape: `metadata`,
    /// `containers`, `service`, `resources`): `workload` for `each: entity`.
    pub workloads: BTreeMap<String, Json>,
    /// (component, environment) to the workload after placeholder substitution: `workload` for
    /// `each: deployment`.
    pub deployed_workloads: BTreeMap<(String, String), Json>,
    /// Environment identifier to its requests' outputs by resource name
    /// (`resources.db.host`): `resources` for `each: environment` and `deployment`.
    pub environment_resources: BTreeMap<String, serde_json::Map<String, Json>>,
    /// (component, environment) to the workload's own resources' outputs by resource name,
    /// added to the environment's for `each: deployment`.
    pub workload_resources: BTreeMap<(String, String), serde_json::Map<String, Json>>,
    /// Resource instances whose definitions render files.
    pub resource_files: Vec<ResourceFiles>,
}

/// A resolved resource instance, for rendering its definition's `outputs` and `files` with the
/// resource context: `resource` = `{type, class, id, name, params}`, `definition` = `{id}`,
/// `environment` (the Environment entity's view, with relations), `components` (the views of
/// the components that use it), and, for files, `outputs` (its rendered outputs).
#[derive(Clone, Debug)]
pub struct ResourceInstance {
    /// The definition's file: template texts written in it are located there.
    pub file: Arc<SourceFile>,
    /// The definition's `id`.
    pub definition: String,
    /// `{type, class, id, name, params}`.
    pub resource: Json,
    /// The environment's identifier.
    pub environment: String,
    /// The identifiers of the `Component`s that use the instance.
    pub components: Vec<String>,
}

/// A text written as a value of a definition's file: an output's template or a file's path.
#[derive(Clone, Debug)]
pub struct InlineText {
    pub text: String,
    /// Where the value is written in the definition's file.
    pub span: cairn_diagnostics::ByteSpan,
}

/// A file a resource definition renders: a path pattern (a template text written in the
/// definition) and the template file beside the definition that renders its content.
#[derive(Clone, Debug)]
pub struct ResourceFile {
    pub path: InlineText,
    /// The template file (path relative to the platform root, its text).
    pub template: Arc<SourceFile>,
}

/// An instance's files to render into the output set.
#[derive(Clone, Debug)]
pub struct ResourceFiles {
    pub instance: ResourceInstance,
    /// The instance's outputs (what `Renderer::resource_outputs` gave), as `outputs`.
    pub outputs: BTreeMap<String, String>,
    pub files: Vec<ResourceFile>,
}

/// Which units to render: all, or those of one entity and/or one environment.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub entity: Option<EntityRef>,
    pub environment: Option<String>,
}

/// One unit: a template with the entity and environment it renders for.
struct Unit<'a> {
    spec: &'a TemplateSpec,
    entity: Option<usize>,
    environment: Option<usize>,
}

/// Renders every unit of every template of `templates` over `input`, as `selection` narrows
/// them, with `extras` (workloads, resources). The findings are sorted; the output set holds
/// what rendered without error (a caller writes nothing when any finding is an error).
#[must_use]
pub fn render(
    templates: &Templates,
    input: Catalogued<'_>,
    extras: &Extras,
    selection: &Selection,
) -> (Rendered, Vec<Diagnostic>) {
    Renderer::new(templates, input).render(extras, selection)
}

/// The templates pointed at one catalog: renders resource outputs (which workloads read, so they
/// come first) and then every unit.
#[derive(Debug)]
pub struct Renderer<'a> {
    templates: &'a Templates,
    input: Catalogued<'a>,
    lookup: Arc<Lookup>,
}

impl<'a> Renderer<'a> {
    /// Views of the catalog's entities are made here, once.
    #[must_use]
    pub fn new(templates: &'a Templates, input: Catalogued<'a>) -> Self {
        let lookup = Arc::new(Lookup::new(input.catalog, input.relations, input.computed));
        templates.set_lookup(Arc::clone(&lookup));
        Renderer { templates, input, lookup }
    }

    /// A resource definition's `outputs` (name to template text) rendered for `instance`: the
    /// values workloads read as `${resources.NAME.OUTPUT}` and templates as
    /// `resources.NAME.OUTPUT`. A failing output is a finding on its value and is left out.
    #[must_use]
    pub fn resource_outputs(
        &self,
        instance: &ResourceInstance,
        outputs: &BTreeMap<String, InlineText>,
    ) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
        let context = resource_context(&self.lookup, instance, None);
        let source = resource_source(instance);
        let mut values = BTreeMap::new();
        let mut findings = Vec::new();
        for (name, text) in outputs {
            let origin = Origin::Inline(Arc::clone(&instance.file), text.span);
            let template_name = format!("{}#outputs/{name}", instance.file.path());
            match run_text(self.templates, &template_name, &text.text, &origin, &context, &source) {
                Ok(bytes) => {
                    values.insert(name.clone(), String::from_utf8_lossy(&bytes).into_owned());
                }
                Err(finding) => findings.push(*finding),
            }
        }
        (values, findings)
    }

    /// Renders every unit (and the resource files of `extras`), as `selection` narrows them.
    #[must_use]
    pub fn render(&self, extras: &Extras, selection: &Selection) -> (Rendered, Vec<Diagnostic>) {
        let (templates, input, lookup) = (self.templates, self.input, &self.lookup);
        let mut findings = Vec::new();
        let units = units(templates, input, extras, selection, lookup, &mut findings);
        let rendered: Vec<(Vec<Placed>, Vec<Diagnostic>)> =
            units.par_iter().map(|unit| render_unit(templates, input.catalog, lookup, extras, unit)).collect();
        let mut placed = Vec::new();
        for (files, found) in rendered {
            placed.extend(files);
            findings.extend(found);
        }
        let resource_units: Vec<(Vec<Placed>, Vec<Diagnostic>)> = extras
            .resource_files
            .par_iter()
            .filter(|unit| {
                selection.entity.is_none()
                    && selection.environment.as_ref().is_none_or(|wanted| *wanted == unit.instance.environment)
            })
            .map(|unit| render_resource(templates, lookup, unit))
            .collect();
        for (files, found) in resource_units {
            placed.extend(files);
            findings.extend(found);
        }
        let (rendered, found) = paths::gather(placed);
        findings.extend(found);
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        findings.dedup();
        (rendered, findings)
    }
}

/// Every unit the templates expand to, in template order then catalog order.
fn units<'a>(
    templates: &'a Templates,
    input: Catalogued<'_>,
    extras: &Extras,
    selection: &Selection,
    lookup: &Lookup,
    findings: &mut Vec<Diagnostic>,
) -> Vec<Unit<'a>> {
    let catalog = input.catalog;
    let environments = lookup.of_blueprint(ENVIRONMENT_BLUEPRINT);
    let wanted_environment = |position: usize| {
        selection.environment.as_ref().is_none_or(|wanted| *wanted == catalog.entities[position].identifier.value)
    };
    let wanted_entity = |position: usize| {
        selection.entity.as_ref().is_none_or(|wanted| *wanted == catalog.entities[position].reference())
    };
    let matches = |spec: &TemplateSpec, position: usize| {
        spec.filter.as_ref().is_none_or(|query| {
            let subject = cairn_compute::Resolved {
                entity: &catalog.entities[position],
                position,
                relations: input.relations,
                computed: input.computed,
            };
            query.matches(&subject, input.now)
        })
    };
    // Where each entity is deployed, read once for the whole catalog (as the orchestrator reads
    // it): looking it up per entity in every environment's list was quadratic.
    let deployed_to = catalog.deployments();
    let mut units = Vec::new();
    for spec in &templates.specs {
        match spec.each {
            Each::Catalog => {
                if selection.entity.is_none() && selection.environment.is_none() {
                    units.push(Unit { spec, entity: None, environment: None });
                }
            }
            Each::Environment => {
                for &environment in environments {
                    if selection.entity.is_none() && wanted_environment(environment) && matches(spec, environment) {
                        units.push(Unit { spec, entity: None, environment: Some(environment) });
                    }
                }
            }
            Each::Entity | Each::Deployment => {
                let blueprint = spec.blueprint.as_deref().unwrap_or_default();
                for &entity in lookup.of_blueprint(blueprint) {
                    if !wanted_entity(entity) || !matches(spec, entity) {
                        continue;
                    }
                    let identifier = &catalog.entities[entity].identifier.value;
                    let deployed: Vec<usize> = if spec.each == Each::Deployment {
                        deployed_to
                            .get(&entity)
                            .into_iter()
                            .flatten()
                            .copied()
                            .filter(|&environment| wanted_environment(environment))
                            .collect()
                    } else if selection.environment.is_none() {
                        vec![usize::MAX]
                    } else {
                        Vec::new()
                    };
                    for environment in deployed {
                        let environment = (environment != usize::MAX).then_some(environment);
                        if spec.requires_workload {
                            let has = match environment {
                                Some(environment) => extras.deployed_workloads.contains_key(&(
                                    identifier.clone(),
                                    catalog.entities[environment].identifier.value.clone(),
                                )),
                                None => extras.workloads.contains_key(identifier),
                            } || extras.workloads.contains_key(identifier);
                            if !has {
                                findings.push(no_workload(spec, &catalog.entities[entity]));
                                continue;
                            }
                        }
                        units.push(Unit { spec, entity: Some(entity), environment });
                    }
                }
            }
        }
    }
    units
}

fn no_workload(spec: &TemplateSpec, entity: &cairn_model::Entity) -> Diagnostic {
    Diagnostic::new(
        Code::MissingWorkload,
        format!(
            "`{}` requires a workload and `{}` has none, so it is not rendered for it",
            spec.folder, entity.identifier.value
        ),
    )
    .at(Location::new(&entity.file, entity.identifier.span))
    .with_entity(entity.reference())
    .with_help(
        "add a Score file (`score.yaml`) whose `metadata.name` is the component, or narrow the template's `where`",
    )
}

/// The context of one unit.
fn context(catalog: &Catalog, lookup: &Arc<Lookup>, extras: &Extras, unit: &Unit<'_>) -> Value {
    let mut fields: Vec<(&str, Value)> =
        vec![("template", [("name", Value::from(unit.spec.name.as_str()))].into_iter().collect())];
    let entity_id = unit.entity.map(|position| catalog.entities[position].identifier.value.clone());
    let environment_id = unit.environment.map(|position| catalog.entities[position].identifier.value.clone());
    if let Some(position) = unit.entity {
        fields.push(("entity", lookup.unit_entity(position, &catalog.entities[position].blueprint.value)));
    }
    if let Some(position) = unit.environment {
        fields.push(("environment", lookup.entity(position, ENVIRONMENT_BLUEPRINT)));
        if unit.spec.each == Each::Environment {
            let components: Value =
                lookup.targets(position, "components").iter().map(|target| lookup.view(*target)).collect();
            fields.push(("components", components));
        }
    }
    if let Some(environment) = &environment_id {
        let mut resources = extras.environment_resources.get(environment).cloned().unwrap_or_default();
        if let Some(entity) = &entity_id
            && let Some(own) = extras.workload_resources.get(&(entity.clone(), environment.clone()))
        {
            resources.extend(own.clone());
        }
        fields.push(("resources", Value::from_serialize(&resources)));
    }
    if let Some(entity) = &entity_id {
        let workload = match &environment_id {
            Some(environment) => extras
                .deployed_workloads
                .get(&(entity.clone(), environment.clone()))
                .or_else(|| extras.workloads.get(entity)),
            None => extras.workloads.get(entity),
        };
        fields.push(("workload", workload.map_or(Value::from(()), Value::from_serialize)));
    }
    fields.into_iter().collect()
}

/// Renders one unit's outputs: each path pattern, then each file.
fn render_unit(
    templates: &Templates,
    catalog: &Catalog,
    lookup: &Arc<Lookup>,
    extras: &Extras,
    unit: &Unit<'_>,
) -> (Vec<Placed>, Vec<Diagnostic>) {
    let context = context(catalog, lookup, extras, unit);
    let entity = unit.entity.map(|position| catalog.entities[position].reference());
    let environment = unit.environment.map(|position| catalog.entities[position].identifier.value.clone());
    let mut placed = Vec::new();
    let mut findings = Vec::new();
    for (index, output) in unit.spec.outputs.iter().enumerate() {
        let path_name = path_template(&unit.spec.folder, index);
        // A template that does not compile has its finding already.
        if templates.broken.contains(&path_name) || templates.broken.contains(&output.template) {
            continue;
        }
        let source =
            Provenance { template: unit.spec.folder.clone(), entity: entity.clone(), environment: environment.clone() };
        let path = match run(templates, &path_name, &context, &source) {
            Ok(path) => String::from_utf8_lossy(&path).into_owned(),
            Err(finding) => {
                findings.push(*finding);
                continue;
            }
        };
        let bytes = match run(templates, &output.template, &context, &source) {
            Ok(bytes) => bytes,
            Err(finding) => {
                findings.push(*finding);
                continue;
            }
        };
        placed.push(Placed {
            path,
            output: Output::new(bytes, source),
            origin: Origin::Inline(Arc::clone(&unit.spec.file), output.path_span),
        });
    }
    (placed, findings)
}

fn resource_source(instance: &ResourceInstance) -> Provenance {
    Provenance {
        template: format!("{}#{}", instance.file.path(), instance.definition),
        entity: None,
        environment: Some(instance.environment.clone()),
    }
}

/// The context of a resource definition's texts.
fn resource_context(lookup: &Lookup, instance: &ResourceInstance, outputs: Option<&BTreeMap<String, String>>) -> Value {
    let environment = lookup
        .position(ENVIRONMENT_BLUEPRINT, &instance.environment)
        .map_or(Value::from(()), |position| lookup.entity(position, ENVIRONMENT_BLUEPRINT));
    let components: Value = instance
        .components
        .iter()
        .filter_map(|component| lookup.position("Component", component).map(|position| lookup.view(position)))
        .collect();
    let mut fields = vec![
        ("resource", Value::from_serialize(&instance.resource)),
        ("definition", [("id", Value::from(instance.definition.as_str()))].into_iter().collect()),
        ("environment", environment),
        ("components", components),
    ];
    if let Some(outputs) = outputs {
        fields.push(("outputs", Value::from_serialize(outputs)));
    }
    fields.into_iter().collect()
}

/// Renders a resource definition's files with the resource context.
fn render_resource(templates: &Templates, lookup: &Lookup, unit: &ResourceFiles) -> (Vec<Placed>, Vec<Diagnostic>) {
    let instance = &unit.instance;
    let context = resource_context(lookup, instance, Some(&unit.outputs));
    let source = resource_source(instance);
    let mut placed = Vec::new();
    let mut findings = Vec::new();
    for (index, file) in unit.files.iter().enumerate() {
        let origin = Origin::Inline(Arc::clone(&instance.file), file.path.span);
        let path_name = format!("{}#files/{index}/path", instance.file.path());
        let rendered = run_text(templates, &path_name, &file.path.text, &origin, &context, &source).and_then(|path| {
            let name = file.template.path();
            let body = Origin::File(Arc::clone(&file.template));
            Ok((path, run_text(templates, name, file.template.text(), &body, &context, &source)?))
        });
        match rendered {
            Ok((path, bytes)) => placed.push(Placed {
                path: String::from_utf8_lossy(&path).into_owned(),
                output: Output::new(bytes, source.clone()),
                origin,
            }),
            Err(finding) => findings.push(*finding),
        }
    }
    (placed, findings)
}

/// A writer that refuses to grow past `MAX_OUTPUT`, so that a template cannot fill memory.
struct Bounded(Vec<u8>);

impl Write for Bounded {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + bytes.len() > MAX_OUTPUT {
            return Err(std::io::Error::other("the output is too large"));
        }
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A finding of rendering `source`'s unit, naming the unit.
fn located(diagnostic: Diagnostic, source: &Provenance) -> Box<Diagnostic> {
    let diagnostic = match &source.entity {
        Some(entity) => diagnostic.with_entity(entity.clone()),
        None => diagnostic,
    };
    let message = format!("{} (rendering {})", diagnostic.message, source.describe());
    Box::new(Diagnostic { message, ..diagnostic })
}

/// Renders `template` with `context` into a bounded buffer. A file's text always ends with a
/// newline (Jinja2 drops the template's last one); a path is taken as rendered.
fn finish(template: &minijinja::Template<'_, '_>, context: &Value, is_path: bool) -> Result<Vec<u8>, minijinja::Error> {
    let mut out = Bounded(Vec::new());
    template.render_captured_to(context, &mut out)?;
    let mut bytes = out.0;
    if !is_path && !bytes.is_empty() && !bytes.ends_with(b"\n") {
        bytes.push(b'\n');
    }
    Ok(bytes)
}

/// Renders the compiled template `name` with `context`.
fn run(templates: &Templates, name: &str, context: &Value, source: &Provenance) -> Result<Vec<u8>, Box<Diagnostic>> {
    let template =
        templates.environment.get_template(name).map_err(|error| located(templates.finding(&error, name), source))?;
    finish(&template, context, name.contains("#outputs/"))
        .map_err(|error| located(templates.finding(&error, name), source))
}

/// Compiles and renders a template text that is not among the templates (a resource
/// definition's), in the same sandbox; `origin` locates its findings.
fn run_text(
    templates: &Templates,
    name: &str,
    text: &str,
    origin: &Origin,
    context: &Value,
    source: &Provenance,
) -> Result<Vec<u8>, Box<Diagnostic>> {
    let finding = |error: &minijinja::Error| {
        let location = match error.name() {
            Some(other) if other != name => templates
                .origins
                .get(other)
                .map_or_else(|| origin.location(error.line()), |found| found.location(error.line())),
            _ => origin.location(error.line()),
        };
        let mut diagnostic = templates.finding(error, name);
        diagnostic.location = Some(location);
        located(diagnostic, source)
    };
    let template = templates.environment.template_from_named_str(name, text).map_err(|error| finding(&error))?;
    finish(&template, context, name.contains("#files/") || name.contains("#outputs/")).map_err(|error| finding(&error))
}
