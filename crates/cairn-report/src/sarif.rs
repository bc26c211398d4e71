//! SARIF 2.1.0, for GitHub code scanning and other tools: one rule per diagnostic code, one
//! result per finding; waived findings carry an external suppression with the waiver's reason.

use std::collections::BTreeMap;

use cairn_diagnostics::{Code, Diagnostic, Severity};
use serde_json::{Value, json};

/// The SARIF log of `diagnostics`.
#[must_use]
pub fn sarif<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> String {
    let diagnostics: Vec<&Diagnostic> = diagnostics.into_iter().collect();
    let mut rules: BTreeMap<&str, Value> = BTreeMap::new();
    for diagnostic in &diagnostics {
        rules.entry(diagnostic.code_name()).or_insert_with(|| rule(diagnostic));
    }
    let index: BTreeMap<&str, usize> = rules.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    let results: Vec<Value> =
        diagnostics.iter().map(|diagnostic| result(diagnostic, index[diagnostic.code_name()])).collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "cairn",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/cairn-platform/cairn",
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            // Columns count characters, as everywhere in cairn.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).expect("a SARIF log of strings and numbers always serialises");
    out.push('\n');
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn rule(diagnostic: &Diagnostic) -> Value {
    let description = match &diagnostic.rule {
        Some(rule) => rule.title.clone().unwrap_or_else(|| format!("policy rule `{}`", rule.path)),
        None => diagnostic.code.summary().to_owned(),
    };
    let default = match &diagnostic.rule {
        Some(_) => diagnostic.severity,
        None => diagnostic.code.default_severity(),
    };
    let mut rule = json!({
        "id": diagnostic.code_name(),
        "shortDescription": {"text": description},
        "defaultConfiguration": {"level": level(default)},
    });
    if diagnostic.rule.is_none() && Code::from_name(diagnostic.code_name()).is_some() {
        rule["helpUri"] = json!("https://github.com/cairn-platform/cairn/blob/main/docs/diagnostics.md");
    }
    if let Some(policy) = &diagnostic.rule {
        rule["properties"] = json!({"policy": policy.path});
    }
    rule
}

fn result(diagnostic: &Diagnostic, rule_index: usize) -> Value {
    let mut text = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut result = json!({
        "ruleId": diagnostic.code_name(),
        "ruleIndex": rule_index,
        "level": level(diagnostic.severity),
        "message": {"text": text},
    });
    if let Some(location) = &diagnostic.location {
        let mut region = json!({"startLine": location.start.line, "startColumn": location.start.column});
        if location.span.is_some() {
            region["endLine"] = json!(location.end.line);
            region["endColumn"] = json!(location.end.column);
        }
        result["locations"] = json!([{
            "physicalLocation": {"artifactLocation": {"uri": location.file}, "region": region},
        }]);
    }
    if let Some(entity) = &diagnostic.entity {
        result["properties"] = json!({"entity": entity});
    }
    if let Some(waived) = &diagnostic.waived {
        result["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": format!("{} (owner {}, until {}, {})", waived.reason, waived.owner, waived.expires, waived.file),
        }]);
    }
    result
}
