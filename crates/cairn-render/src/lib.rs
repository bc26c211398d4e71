//! Golden paths: templates in the platform repository (`templates/<name>/template.yaml` and
//! minijinja files beside it) rendered over the catalog into a set of files with provenance,
//! and that set written to an output folder with a manifest.
//!
//! Boundary: templates come in as text (the engine reads them from the platform source, a
//! folder or a git revision); nothing here reads the file system but `write`, which writes only
//! under the output folder it is given. Workloads and resources come in as JSON values
//! (`Extras`): this crate knows nothing of Score or of resource matching.
//!
//! Invariant: rendering is a pure function of the templates, the catalog and the extras: the
//! same input gives the same bytes, whatever the number of threads.

mod context;
mod filters;
mod manifest;
mod paths;
mod render;
mod spec;
mod templates;
mod write;

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;

use cairn_diagnostics::EntityRef;
use sha2::{Digest, Sha256};

pub use filters::MAX_INDENT;
pub use manifest::{MANIFEST_FILE, MANIFEST_FOLDER, Manifest, ManifestEntry};
pub use paths::unsafe_path;
pub use render::{
    Catalogued, Extras, InlineText, Renderer, ResourceFile, ResourceFiles, ResourceInstance, Selection, render,
};
pub use spec::{Each, OutputSpec, SPEC_FILE, TemplateSpec};
pub use templates::{
    BUNDLED_PREFIX, FUEL, MAX_OUTPUT, RECURSION_LIMIT, TEMPLATES_FOLDER, Templates, bundled_files, sandbox,
};
pub use write::{WriteError, Written, write};

/// Where a rendered file came from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Provenance {
    /// `templates/<name>` (bundled ones prefixed), or `resources/<file>#<definition id>`.
    pub template: String,
    pub entity: Option<EntityRef>,
    pub environment: Option<String>,
}

impl Provenance {
    /// `templates/x for Component:cart in staging`, as messages name a unit.
    #[must_use]
    pub fn describe(&self) -> String {
        let mut text = format!("`{}`", self.template);
        if let Some(entity) = &self.entity {
            let _ = write!(text, " for `{entity}`");
        }
        if let Some(environment) = &self.environment {
            let _ = write!(text, " in `{environment}`");
        }
        text
    }
}

/// One rendered file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub bytes: Arc<[u8]>,
    pub source: Provenance,
    /// `sha256:` and the hex digest of `bytes`.
    pub digest: String,
}

impl Output {
    #[must_use]
    pub fn new(bytes: Vec<u8>, source: Provenance) -> Self {
        let digest = digest(&bytes);
        Output { bytes: bytes.into(), source, digest }
    }
}

/// `sha256:` and the lowercase hex SHA-256 of `bytes`.
#[must_use]
pub fn digest(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let mut text = String::with_capacity(7 + 64);
    text.push_str("sha256:");
    for byte in hash {
        let _ = write!(text, "{byte:02x}");
    }
    text
}

/// Every rendered file, by path relative to the output folder (sorted).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    pub files: BTreeMap<String, Output>,
}

impl Rendered {
    /// The files as (path, bytes), sorted by path: what a diff of two renders compares.
    pub fn contents(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(path, output)| (path.as_str(), &*output.bytes))
    }

    /// The manifest of this set: each file's path, source and digest.
    #[must_use]
    pub fn manifest(&self) -> Manifest {
        Manifest::of(self)
    }
}

#[cfg(test)]
mod tests;
