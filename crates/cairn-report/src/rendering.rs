//! Renderings of `cairn render`'s result: JSON for scripts (the findings as `cairn check`'s JSON
//! gives them, the files with their provenance and digests, and what the write did), and of
//! `cairn render --verify`'s comparison.

use cairn_diagnostics::Severity;
use cairn_engine::{Rendering, Verification, Written};
use serde::Serialize;

use crate::json::Finding;

#[derive(Serialize)]
struct Report<'a> {
    summary: Summary<'a>,
    diagnostics: Vec<Finding<'a>>,
    files: Vec<File<'a>>,
}

#[derive(Serialize)]
struct Summary<'a> {
    entities: usize,
    templates: usize,
    files: usize,
    errors: usize,
    warnings: usize,
    /// The output folder, when it was written.
    out: Option<&'a str>,
    created: usize,
    changed: usize,
    unchanged: usize,
    removed: usize,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    template: &'a str,
    entity: Option<String>,
    environment: Option<&'a str>,
    digest: &'a str,
}

/// The rendering as one pretty-printed JSON document; `written` (with the output folder) when
/// the files were written.
#[must_use]
pub fn rendering_json(rendering: &Rendering, written: Option<(&str, &Written)>) -> String {
    let prefix = rendering.prefix.as_str();
    let (out, written) = match written {
        Some((out, written)) => (Some(out), Some(written)),
        None => (None, None),
    };
    let count = |list: fn(&Written) -> usize| written.map_or(0, list);
    let report = Report {
        summary: Summary {
            entities: rendering.entities,
            templates: rendering.templates,
            files: rendering.rendered.files.len(),
            errors: rendering.count(Severity::Error),
            warnings: rendering.count(Severity::Warning),
            out,
            created: count(|written| written.created.len()),
            changed: count(|written| written.changed.len()),
            unchanged: count(|written| written.unchanged.len()),
            removed: count(|written| written.removed.len()),
        },
        diagnostics: rendering.diagnostics.iter().map(|diagnostic| Finding::new(diagnostic, prefix)).collect(),
        files: rendering
            .rendered
            .files
            .iter()
            .map(|(path, output)| File {
                path,
                template: &output.source.template,
                entity: output.source.entity.as_ref().map(ToString::to_string),
                environment: output.source.environment.as_deref(),
                digest: &output.digest,
            })
            .collect(),
    };
    crate::json::pretty(&report)
}

#[derive(Serialize)]
struct VerificationReport<'a> {
    identical: bool,
    commit: String,
    source_commit: String,
    /// The digest the commit claims, and the digest of the rendering made again.
    claimed_digest: &'a str,
    digest: &'a str,
    version: Option<&'a str>,
    differing: &'a [String],
    missing: &'a [String],
    extra: &'a [String],
}

/// `cairn render --verify`'s result as one pretty-printed JSON document.
#[must_use]
pub fn verification_json(verification: &Verification) -> String {
    let report = VerificationReport {
        identical: verification.identical(),
        commit: verification.commit.to_string(),
        source_commit: verification.source_commit.to_string(),
        claimed_digest: &verification.claimed_digest,
        digest: &verification.digest,
        version: verification.version.as_deref(),
        differing: &verification.differing,
        missing: &verification.missing,
        extra: &verification.extra,
    };
    crate::json::pretty(&report)
}
