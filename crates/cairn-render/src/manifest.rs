//! The manifest `.cairn/manifest.json` of an output folder: every file cairn wrote there, the
//! template and entity/environment it came from, and the digest of its content. The next render
//! reads it to know which files it may replace.

use serde::{Deserialize, Serialize};

use crate::Rendered;

/// The folder of the output folder that holds the manifest; no output path may be under it.
pub const MANIFEST_FOLDER: &str = ".cairn";

/// The manifest's path in the output folder.
pub const MANIFEST_FILE: &str = ".cairn/manifest.json";

/// `{"version": 1, "files": [...]}`, files sorted by path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub version: u32,
    pub files: Vec<ManifestEntry>,
}

/// One file of the manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestEntry {
    pub path: String,
    /// `templates/<name>`, or `resources/<file>#<definition id>`.
    pub template: String,
    /// `Blueprint:identifier`, or null.
    pub entity: Option<String>,
    pub environment: Option<String>,
    /// `sha256:<hex>`.
    pub digest: String,
}

impl Manifest {
    /// The manifest of `rendered`.
    #[must_use]
    pub fn of(rendered: &Rendered) -> Manifest {
        let files = rendered
            .files
            .iter()
            .map(|(path, output)| ManifestEntry {
                path: path.clone(),
                template: output.source.template.clone(),
                entity: output.source.entity.as_ref().map(ToString::to_string),
                environment: output.source.environment.clone(),
                digest: output.digest.clone(),
            })
            .collect();
        Manifest { version: 1, files }
    }

    /// The manifest as written: JSON indented by two spaces, with a final newline.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("a manifest is strings and numbers, always JSON");
        bytes.push(b'\n');
        bytes
    }

    /// Reads a manifest; `None` when it is not one cairn wrote.
    #[must_use]
    pub fn parse(bytes: &[u8]) -> Option<Manifest> {
        serde_json::from_slice::<Manifest>(bytes).ok().filter(|manifest| manifest.version == 1)
    }
}
