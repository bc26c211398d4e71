//! The per-code summary: for each code, how many findings and where the first one is. It makes
//! a report of thousands of findings readable at a glance, and survives when the details are cut.

use std::collections::BTreeMap;

use cairn_diagnostics::{Code, Diagnostic, Location};
use serde::Serialize;

use crate::paths::rooted;

/// One code's findings.
#[derive(Clone, Debug)]
pub(crate) struct CodeCount<'a> {
    pub code: &'a str,
    /// What the code means: the registry's summary, or a policy rule's title.
    pub what: String,
    pub count: usize,
    /// The first finding's location, in report order.
    pub first: Option<&'a Location>,
}

/// The findings by code, codes in order.
pub(crate) fn by_code<'a>(findings: impl IntoIterator<Item = &'a Diagnostic>) -> Vec<CodeCount<'a>> {
    let mut codes: BTreeMap<&str, CodeCount<'a>> = BTreeMap::new();
    for finding in findings {
        let entry = codes.entry(finding.code_name()).or_insert_with(|| CodeCount {
            code: finding.code_name(),
            what: what(finding),
            count: 0,
            first: None,
        });
        entry.count += 1;
        if entry.first.is_none() {
            entry.first = finding.location.as_ref();
        }
    }
    codes.into_values().collect()
}

fn what(finding: &Diagnostic) -> String {
    match &finding.rule {
        Some(rule) => rule.title.clone().unwrap_or_else(|| format!("policy rule `{}`", rule.path)),
        None => Code::from_name(finding.code_name()).map_or_else(String::new, |code| code.summary().to_owned()),
    }
}

/// One code's findings, for JSON.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CodeJson {
    code: String,
    count: usize,
    first: Option<FirstJson>,
}

#[derive(Serialize)]
struct FirstJson {
    file: String,
    line: u32,
    column: u32,
}

impl CodeCount<'_> {
    pub(crate) fn json(&self, prefix: &str) -> CodeJson {
        CodeJson {
            code: self.code.to_owned(),
            count: self.count,
            first: self.first.map(|location| FirstJson {
                file: rooted(prefix, &location.file).into_owned(),
                line: location.start.line,
                column: location.start.column,
            }),
        }
    }
}
