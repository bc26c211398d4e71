//! Data exported from another tool, turned into a platform repository: today Port's REST API
//! responses for blueprints, entities, scorecards and actions (`cairn import port`,
//! docs/import.md).
//!
//! `convert` is pure (bytes in; files, findings and a summary out) and deterministic: the same
//! exports, in any order of their items, give the same files byte for byte. `write` puts the
//! files into a folder. What an export holds that cannot be carried is a `Diagnostic` located in
//! the export, never a panic or a silent skip.
//!
//! Boundary: nothing here prints or exits; exports are untrusted input (fuzzed by
//! `fuzz/fuzz_targets/import_port.rs`).

mod convert;
mod emit;
mod names;
mod port;
mod write;

use std::collections::BTreeMap;
use std::path::Path;

use cairn_diagnostics::{Code, Diagnostic, Location, SourceMap};

pub use write::{WriteError, Written, write};

/// One export file: its name as the user gave it (findings name it) and its bytes.
#[derive(Clone, Debug)]
pub struct Export {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A converted export.
#[derive(Debug)]
pub struct Imported {
    /// The files of the platform repository, by `/`-separated path relative to its root.
    pub files: BTreeMap<String, String>,
    /// What could not be carried, and what was not imported, sorted; located in the exports.
    pub diagnostics: Vec<Diagnostic>,
    /// The exports' text, for rendering the findings.
    pub sources: SourceMap,
    pub summary: Summary,
}

/// How many of each thing the import wrote, and what it left out on purpose.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub blueprints: usize,
    /// Entities, other than teams and environments.
    pub entities: usize,
    /// `_team` entities.
    pub teams: usize,
    /// `Environment` entities, written under `environments/`.
    pub environments: usize,
    /// Kept in Port's format under `scorecards/`, which `cairn scorecard` and `cairn check` read.
    pub scorecards: usize,
    /// Kept in Port's format under `actions/`, which cairn reads (cairn-actions): listed, and run
    /// once given a `cairn` key.
    pub actions: usize,
    /// Values of mirror, calculation and aggregation properties left out of entity files:
    /// cairn computes them.
    pub computed: usize,
    /// Port's `createdAt`, `createdBy`, `updatedAt` and `updatedBy` fields left out.
    pub meta: usize,
    /// `null` values left out: unset, in Port.
    pub nulls: usize,
    /// Items not written, each with an error among the findings.
    pub not_carried: usize,
}

/// Converts Port exports into the files of a platform repository.
#[must_use]
pub fn convert(exports: &[Export]) -> Imported {
    convert::convert(exports)
}

/// Reads the export files at `paths` and converts them; a file that cannot be read is an
/// `E0801` finding, and the others are still imported.
#[must_use]
pub fn import_port(paths: &[&Path]) -> Imported {
    let mut exports = Vec::new();
    let mut unreadable = Vec::new();
    for path in paths {
        let name = path.to_string_lossy().replace('\\', "/");
        match std::fs::read(path) {
            Ok(bytes) => exports.push(Export { path: name, bytes }),
            Err(error) => unreadable.push(
                Diagnostic::new(Code::ExportUnreadable, format!("the export `{name}` cannot be read: {error}"))
                    .at(Location::file(name))
                    .with_help("give the path of a file that Port's API returned (JSON)"),
            ),
        }
    }
    let mut imported = convert(&exports);
    imported.diagnostics.extend(unreadable);
    imported.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    imported
}

#[cfg(test)]
mod tests;
