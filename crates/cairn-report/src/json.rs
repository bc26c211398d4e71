//! The JSON rendering, for scripts: a summary and every finding, paths relative to the git
//! repository's root, lines and columns 1-based. Its fields are part of cairn's interface.

use std::borrow::Cow;

use cairn_diagnostics::{Diagnostic, EntityRef, Location, Severity};
use cairn_engine::Outcome;
use serde::Serialize;

use crate::codes::{CodeJson, by_code};
use crate::paths::rooted;

/// What the JSON rendering includes.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonOptions {
    /// The per-code summary (`summary.codes`), as `cairn check --summary` asks.
    pub codes: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    summary: Summary,
    diagnostics: Vec<Finding<'a>>,
    /// How many entities each scorecard scores at each level; absent without scorecards.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    scorecards: Vec<ScorecardLevels<'a>>,
}

#[derive(Serialize)]
struct ScorecardLevels<'a> {
    identifier: &'a str,
    blueprint: &'a str,
    title: Option<&'a str>,
    levels: Vec<LevelCount<'a>>,
}

#[derive(Serialize)]
struct LevelCount<'a> {
    title: &'a str,
    entities: usize,
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
    /// Each code's count and first location, with `--summary`.
    #[serde(skip_serializing_if = "Option::is_none")]
    codes: Option<Vec<CodeJson>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Finding<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    file: Option<Cow<'a, str>>,
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
    file: Cow<'a, str>,
    owner: &'a str,
    reason: &'a str,
    expires: &'a str,
}

#[derive(Serialize)]
struct Place<'a> {
    message: &'a str,
    file: Cow<'a, str>,
    line: u32,
    column: u32,
}

impl<'a> Finding<'a> {
    /// The finding, its paths from the git repository's root (`prefix` before the platform's).
    pub(crate) fn new(diagnostic: &'a Diagnostic, prefix: &str) -> Self {
        let location = diagnostic.location.as_ref();
        Finding {
            code: diagnostic.code_name(),
            severity: diagnostic.severity,
            message: &diagnostic.message,
            file: location.map(|location| rooted(prefix, &location.file)),
            line: location.map(|location| location.start.line),
            column: location.map(|location| location.start.column),
            end_line: location.map(|location| location.end.line),
            end_column: location.map(|location| location.end.column),
            entity: diagnostic.entity.as_ref(),
            help: diagnostic.help.as_deref(),
            related: diagnostic
                .related
                .iter()
                .map(|related| Place::new(&related.message, &related.location, prefix))
                .collect(),
            rule: diagnostic.rule.as_ref().map(|rule| rule.path.as_str()),
            waived: diagnostic.waived.as_deref().map(|waived| WaivedBy {
                file: rooted(prefix, &waived.file),
                owner: &waived.owner,
                reason: &waived.reason,
                expires: &waived.expires,
            }),
        }
    }
}

impl<'a> Place<'a> {
    fn new(message: &'a str, location: &'a Location, prefix: &str) -> Self {
        Place {
            message,
            file: rooted(prefix, &location.file),
            line: location.start.line,
            column: location.start.column,
        }
    }
}

/// Renders the outcome as one pretty-printed JSON document.
#[must_use]
pub fn json(outcome: &Outcome, options: JsonOptions) -> String {
    let prefix = outcome.prefix.as_str();
    let report = Report {
        summary: Summary {
            entities: outcome.entities(),
            blueprints: outcome.blueprints(),
            files: outcome.files,
            errors: outcome.count(Severity::Error),
            warnings: outcome.count(Severity::Warning),
            waived: outcome.waived(),
            policies: outcome.policies,
            codes: options
                .codes
                .then(|| by_code(&outcome.diagnostics).iter().map(|count| count.json(prefix)).collect()),
        },
        diagnostics: outcome.diagnostics.iter().map(|diagnostic| Finding::new(diagnostic, prefix)).collect(),
        scorecards: outcome
            .level_counts()
            .into_iter()
            .map(|(scorecard, counts)| ScorecardLevels {
                identifier: &scorecard.identifier,
                blueprint: &scorecard.blueprint,
                title: scorecard.title.as_deref(),
                levels: scorecard
                    .levels
                    .iter()
                    .zip(counts)
                    .map(|(level, entities)| LevelCount { title: &level.title, entities })
                    .collect(),
            })
            .collect(),
    };
    crate::json::pretty(&report)
}

/// `value` as pretty-printed JSON ending in a line break: how every JSON report is written. The
/// reports serialise strings, numbers, booleans, lists and maps with string keys, which
/// serde_json always can, so the `expect` cannot fire.
pub(crate) fn pretty<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("a report of strings and numbers always serialises");
    text.push('\n');
    text
}
