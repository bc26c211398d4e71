//! `render`: the golden-path templates of a revision rendered over its catalog. The catalog is
//! validated first (schemas and relations, as `check` does) so that templates never read an
//! entity that breaks its blueprint; policies do not run: they judge the platform, which is
//! `check`'s job, and a render is no verdict on it. Any error finding means nothing is written.

use std::collections::BTreeSet;
use std::sync::Arc;

use cairn_diagnostics::{Code, Diagnostic, EntityRef, Severity, SourceMap};
use cairn_model::{Catalog, ENVIRONMENT_BLUEPRINT, Timestamp};
use cairn_render::{Catalogued, Rendered, Renderer, Selection, Templates};
use cairn_source::{Origin, Source};
use cairn_validate::{check_entity, compile_schemas};
use rayon::prelude::*;

use crate::error::EngineError;
use crate::load::load;
use crate::verdict::Verdict;

/// Which units to render (`--entity`, `--environment`); all by default.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    pub entity: Option<EntityRef>,
    pub environment: Option<String>,
}

/// What a render produced: the files, and the findings of reading, validating and rendering.
#[derive(Debug)]
pub struct Rendering {
    /// What was read: a directory, or a revision and its commit.
    pub source: Origin,
    /// Where the platform is in its git repository (`Source::prefix`).
    pub prefix: String,
    /// Sorted by file, position and code.
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
    pub rendered: Rendered,
    /// How many templates were read (`template.yaml`s that read without error).
    pub templates: usize,
    pub entities: usize,
}

impl Rendering {
    /// How many findings of `severity` count (waived findings do not).
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|diagnostic| diagnostic.severity == severity && diagnostic.counts()).count()
    }

    /// Failed when an error counts: then nothing may be written.
    #[must_use]
    pub fn verdict(&self) -> Verdict {
        Verdict::of(false, self.count(Severity::Error))
    }
}

/// Renders the golden-path templates of the platform at `source` as of `now`.
pub fn render(source: &Source, now: Timestamp, options: &RenderOptions) -> Result<Rendering, EngineError> {
    let mut loaded = load(source)?;
    let entities = std::mem::take(&mut loaded.entities);
    let (catalog, mut diagnostics) =
        Catalog::build(loaded.bundled_blueprints.clone(), loaded.declared_blueprints.clone(), entities);
    check_selection(&catalog, options)?;
    let (schemas, found) = compile_schemas(&catalog);
    diagnostics.extend(found);
    let entity_findings: Vec<Vec<Diagnostic>> =
        catalog.entities.par_iter().map(|entity| check_entity(&catalog, &schemas, entity)).collect();
    diagnostics.extend(entity_findings.into_iter().flatten());
    // Templates follow every relation, not only those given as a search query or followed by a
    // computed property: all are resolved, once.
    let (derived, found) = cairn_compute::derive_all(&catalog, now);
    diagnostics.extend(found);

    let templates = loaded.templates.clone().unwrap_or_else(|| Arc::new(Templates::read(Vec::new(), Vec::new())));
    let input = Catalogued { catalog: &catalog, relations: &derived.relations, computed: &derived.computed, now };
    let selection = Selection { entity: options.entity.clone(), environment: options.environment.clone() };
    let renderer = Renderer::new(&templates, input);
    // Resources first: workloads' placeholders and templates read their outputs.
    let (requests, found) = crate::orchestrate::request(&catalog, &loaded.workloads, &loaded.resource_definitions);
    diagnostics.extend(found);
    let (extras, found) = crate::orchestrate::extras(
        &catalog,
        &renderer,
        &requests,
        &loaded.resource_definitions,
        &loaded.resource_templates,
        &loaded.workloads,
    );
    diagnostics.extend(found);
    diagnostics.extend(crate::workloads::findings(&loaded.workloads, &catalog));
    let (output, found) = renderer.render(&extras, &selection);
    diagnostics.extend(found);

    let mut all = loaded.diagnostics.clone();
    all.extend(diagnostics);
    crate::waivers::apply(&mut all, &loaded.waivers, &catalog, now);
    // Policies do not run here, so a waiver of a policy's finding is not "unused".
    all.retain(|diagnostic| diagnostic.code != Code::UnusedWaiver);
    all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    all.dedup();
    let mut sources = SourceMap::new();
    for file in &loaded.files {
        sources.insert(Arc::clone(file));
    }
    Ok(Rendering {
        source: source.origin(),
        prefix: source.prefix().to_owned(),
        diagnostics: all,
        sources,
        rendered: output,
        templates: templates.specs.len(),
        entities: catalog.entities.len(),
    })
}

/// `--entity` and `--environment` must name what the catalog holds.
fn check_selection(catalog: &Catalog, options: &RenderOptions) -> Result<(), EngineError> {
    if let Some(entity) = &options.entity
        && catalog.get(entity).is_none()
    {
        return Err(EngineError::UnknownSelection(format!("there is no entity `{entity}` in the catalog")));
    }
    if let Some(environment) = &options.environment
        && catalog.entity(ENVIRONMENT_BLUEPRINT, environment).is_none()
    {
        let known: BTreeSet<&str> =
            catalog.entities_of(ENVIRONMENT_BLUEPRINT).iter().map(|entity| entity.identifier.value.as_str()).collect();
        let known: Vec<String> = known.iter().map(|name| format!("`{name}`")).collect();
        return Err(EngineError::UnknownSelection(format!(
            "there is no environment `{environment}` (the environments are {})",
            if known.is_empty() { "none".to_owned() } else { known.join(", ") }
        )));
    }
    Ok(())
}
