//! The JSON rendering, for scripts: a summary and every finding, paths relative to the
//! repository root, lines and columns 1-based. Its fields are part of cairn's interface.

use cairn_diagnostics::{Diagnostic, EntityRef, Location, Severity};
use cairn_engine::Outcome;
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    summary: Summary,
    diagnostics: Vec<Finding<'a>>,
}

#[derive(Serialize)]
struct Summary {
    entities: usize,
    blueprints: usize,
    files: usize,
    errors: usize,
    warnings: usize,
    /// Findings a waiver suppresses: listed, not counted.
    waived: usize,
    /// How many policy packages judged the catalog.
    policies: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Finding<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<u32>,
    column: Option<u32>,
    end_line: Option<u32>,
    end_column: Option<u32>,
    entity: Option<&'a EntityRef>,
    help: Option<&'a str>,
    related: Vec<Place<'a>>,
    /// The policy rule, such as `data.acme.reliability.deny`, for findings of policies.
    rule: Option<&'a str>,
    waived: Option<WaivedBy<'a>>,
}

#[derive(Serialize)]
struct WaivedBy<'a> {
    file: &'a str,
    owner: &'a str,
    reason: &'a str,
    expires: &'a str,
}

#[derive(Serialize)]
struct Place<'a> {
    message: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
}

impl<'a> Finding<'a> {
    pub(crate) fn new(diagnostic: &'a Diagnostic) -> Self {
        let location = diagnostic.location.as_ref();
        Finding {
            code: diagnostic.code_name(),
            severity: diagnostic.severity,
            message: &diagnostic.message,
            file: location.map(|location| location.file.as_str()),
            line: location.map(|location| location.start.line),
            column: location.map(|location| location.start.column),
            end_line: location.map(|location| location.end.line),
            end_column: location.map(|location| location.end.column),
            entity: diagnostic.entity.as_ref(),
            help: diagnostic.help.as_deref(),
            related: diagnostic.related.iter().map(|related| Place::new(&related.message, &related.location)).collect(),
            rule: diagnostic.rule.as_ref().map(|rule| rule.path.as_str()),
            waived: diagnostic.waived.as_deref().map(|waived| WaivedBy {
                file: &waived.file,
                owner: &waived.owner,
                reason: &waived.reason,
                expires: &waived.expires,
            }),
        }
    }
}

impl<'a> Place<'a> {
    fn new(message: &'a str, location: &'a Location) -> Self {
        Place { message, file: &location.file, line: location.start.line, column: location.start.column }
    }
}

/// Renders the outcome as one pretty-printed JSON document.
#[must_use]
pub fn json(outcome: &Outcome) -> String {
    let report = Report {
        summary: Summary {
            entities: outcome.entities(),
            blueprints: outcome.blueprints(),
            files: outcome.files,
            errors: outcome.count(Severity::Error),
            warnings: outcome.count(Severity::Warning),
            waived: outcome.waived(),
            policies: outcome.policies,
        },
        diagnostics: outcome.diagnostics.iter().map(Finding::new).collect(),
    };
    let mut out = serde_json::to_string_pretty(&report).expect("a report of strings and numbers always serialises");
    out.push('\n');
    out
}
