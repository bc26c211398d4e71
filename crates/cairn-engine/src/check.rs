//! `check`: load, build the catalog, validate blueprints and entities, and return the findings
//! in a deterministic order.

use std::time::{Duration, Instant};

use cairn_diagnostics::{Diagnostic, Severity, SourceMap};
use cairn_model::Catalog;
use cairn_source::Source;
use cairn_validate::{check_entity, compile_schemas};
use rayon::prelude::*;

use crate::error::EngineError;
use crate::load::load;

/// The result of a check: the findings, the files they point into, and what was read.
#[derive(Debug)]
pub struct Outcome {
    /// What was read: a directory, or a revision and its commit.
    pub source: String,
    /// Sorted by file, position and code.
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
    /// The catalog that was checked, with every entity, duplicates included.
    pub catalog: Catalog,
    pub files: usize,
    /// Paths not read, for `--verbose`.
    pub ignored: Vec<String>,
    pub elapsed: Duration,
}

impl Outcome {
    /// How many entities were read.
    #[must_use]
    pub fn entities(&self) -> usize {
        self.catalog.entities.len()
    }

    /// How many blueprints apply: the repository's and the bundled ones it does not replace.
    #[must_use]
    pub fn blueprints(&self) -> usize {
        self.catalog.blueprints.len()
    }

    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|diagnostic| diagnostic.severity == severity).count()
    }
}

/// Checks the platform repository at `source`.
pub fn check(source: &Source) -> Result<Outcome, EngineError> {
    let started = Instant::now();
    let loaded = load(source)?;
    let mut diagnostics = loaded.diagnostics;
    let (catalog, found) = Catalog::build(loaded.bundled_blueprints, loaded.declared_blueprints, loaded.entities);
    diagnostics.extend(found);
    let (schemas, found) = compile_schemas(&catalog);
    diagnostics.extend(found);
    let found: Vec<Diagnostic> =
        catalog.entities.par_iter().flat_map_iter(|entity| check_entity(&catalog, &schemas, entity)).collect();
    diagnostics.extend(found);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();

    let mut sources = SourceMap::new();
    let files = loaded.files.iter().filter(|file| !file.path().starts_with(crate::load::BUNDLED_PREFIX)).count();
    for file in loaded.files {
        sources.insert(file);
    }
    Ok(Outcome {
        source: source.describe(),
        diagnostics,
        sources,
        catalog,
        files,
        ignored: loaded.ignored,
        elapsed: started.elapsed(),
    })
}
