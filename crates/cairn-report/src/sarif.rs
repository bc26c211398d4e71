//! SARIF 2.1.0, for GitHub code scanning and other tools: one rule per diagnostic code, one
//! result per finding; waived findings carry an external suppression with the waiver's reason.
//!
//! What GitHub reads of it (https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support-for-code-scanning):
//! `shortDescription` and `fullDescription` head an alert, `help` explains it, a location's
//! `uri` is a path from the repository's root, and `partialFingerprints` match a result with
//! the same finding of an earlier run, so that an alert is not opened twice.

use std::collections::BTreeMap;

use cairn_diagnostics::{Code, Diagnostic, Location, Severity};
use serde_json::{Value, json};

use crate::paths::{rooted, uri_path};

/// Where every code is described.
const CODES_URI: &str = "https://github.com/cairn-platform/cairn/blob/main/docs/diagnostics.md";

/// The SARIF log of `diagnostics`. `prefix` is where the platform is in its git repository
/// (`Outcome::prefix`): locations are paths from the repository's root.
#[must_use]
pub fn sarif<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>, prefix: &str) -> String {
    let diagnostics: Vec<&Diagnostic> = diagnostics.into_iter().collect();
    let mut rules: BTreeMap<&str, Value> = BTreeMap::new();
    for diagnostic in &diagnostics {
        rules.entry(diagnostic.code_name()).or_insert_with(|| rule(diagnostic));
    }
    let index: BTreeMap<&str, usize> = rules.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    let results: Vec<Value> =
        diagnostics.iter().map(|diagnostic| result(diagnostic, index[diagnostic.code_name()], prefix)).collect();
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
    crate::json::pretty(&log)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The rule of a finding's code: from the code registry for cairn's codes, from the policy's
/// METADATA for a policy's.
fn rule(diagnostic: &Diagnostic) -> Value {
    let name = diagnostic.code_name();
    let builtin = diagnostic.rule.is_none().then(|| Code::from_name(name)).flatten();
    let (short, full, help, help_markdown) = match (&diagnostic.rule, builtin) {
        (Some(policy), _) => {
            let short = policy.title.clone().unwrap_or_else(|| format!("policy rule `{}`", policy.path));
            let full =
                format!("{short}: reported by the policy rule `{}` of package `{}`", policy.path, policy.package);
            let help = format!(
                "The platform's policy `{}` reports this finding; its message says what to change. A waiver in \
                 `exceptions/` can accept it for a time",
                policy.path
            );
            let markdown = format!(
                "The platform's policy `{}` (package `{}`) reports this finding; its message says what to change. \
                 A waiver in `exceptions/` can accept it for a time.",
                policy.path, policy.package
            );
            (short, full, help, markdown)
        }
        (None, Some(code)) => {
            let summary = code.summary();
            let severity = level(code.default_severity());
            let full = format!(
                "{name}: {summary}. A finding of this code is {} {severity} unless `cairn.yaml` sets another severity",
                if severity == "error" { "an" } else { "a" }
            );
            let help = format!(
                "{name}: {summary}. Each finding's message says what is wrong and its `help:` line how to fix it; \
                 every code is described at {CODES_URI}"
            );
            let markdown = format!(
                "**{name}**: {summary}.\n\nEach finding's message says what is wrong and its `help:` line how to \
                 fix it. See [the diagnostic codes]({CODES_URI}) for every code."
            );
            (summary.to_owned(), full, help, markdown)
        }
        (None, None) => {
            let short = format!("cairn finding `{name}`");
            (short.clone(), short.clone(), short.clone(), short)
        }
    };
    let default = match &diagnostic.rule {
        Some(_) => diagnostic.severity,
        None => builtin.map_or(diagnostic.severity, Code::default_severity),
    };
    let mut rule = json!({
        "id": name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help, "markdown": help_markdown},
        "defaultConfiguration": {"level": level(default)},
    });
    if builtin.is_some() {
        rule["helpUri"] = json!(CODES_URI);
    }
    if let Some(policy) = &diagnostic.rule {
        rule["properties"] = json!({"policy": policy.path});
    }
    rule
}

/// A SARIF physical location: the path from the repository's root as a URI reference.
fn physical(location: &Location, prefix: &str) -> Value {
    let mut region = json!({"startLine": location.start.line, "startColumn": location.start.column});
    if location.span.is_some() {
        region["endLine"] = json!(location.end.line);
        region["endColumn"] = json!(location.end.column);
    }
    json!({"artifactLocation": {"uri": uri_path(&rooted(prefix, &location.file))}, "region": region})
}

fn result(diagnostic: &Diagnostic, rule_index: usize, prefix: &str) -> Value {
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
        "partialFingerprints": {"cairnFinding/v1": fingerprint(diagnostic, prefix)},
    });
    if let Some(location) = &diagnostic.location {
        result["locations"] = json!([{"physicalLocation": physical(location, prefix)}]);
    }
    if !diagnostic.related.is_empty() {
        let related: Vec<Value> = diagnostic
            .related
            .iter()
            .enumerate()
            .map(|(id, related)| {
                json!({
                    "id": id,
                    "physicalLocation": physical(&related.location, prefix),
                    "message": {"text": related.message},
                })
            })
            .collect();
        result["relatedLocations"] = json!(related);
    }
    if let Some(entity) = &diagnostic.entity {
        result["properties"] = json!({"entity": entity});
    }
    if let Some(waived) = &diagnostic.waived {
        result["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": format!(
                "{} (owner {}, until {}, {})",
                waived.reason, waived.owner, waived.expires, rooted(prefix, &waived.file)
            ),
        }]);
    }
    result
}

/// What identifies a finding across runs, as `plan` tells introduced findings from old ones:
/// its code, its entity (or, without one, its file) and its message; never its line, which
/// moves when lines are added above it. A 64-bit FNV-1a hash of those, in hexadecimal: stable
/// across versions and platforms, which `std`'s hasher does not promise.
fn fingerprint(diagnostic: &Diagnostic, prefix: &str) -> String {
    let place = match (&diagnostic.entity, &diagnostic.location) {
        (Some(entity), _) => entity.to_string(),
        (None, Some(location)) => rooted(prefix, &location.file).into_owned(),
        (None, None) => String::new(),
    };
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [diagnostic.code_name(), place.as_str(), diagnostic.message.as_str()] {
        // A separator byte that UTF-8 text never holds keeps ("ab", "c") apart from ("a", "bc").
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use cairn_diagnostics::{ByteSpan, SourceFile};

    use super::*;

    #[test]
    fn a_fingerprint_ignores_the_line_and_tells_codes_messages_and_files_apart() {
        let at = |text: &str, path: &str, message: &str| {
            let file = SourceFile::new(path, text);
            Diagnostic::new(Code::SchemaViolation, message)
                .at_span(&file, ByteSpan::new(text.len() as u32 - 2, text.len() as u32 - 1))
        };
        let first = at("a: 1\n", "catalog/a.yaml", "wrong");
        let moved = at("\n\n\na: 1\n", "catalog/a.yaml", "wrong");
        assert_ne!(first.location, moved.location);
        assert_eq!(fingerprint(&first, ""), fingerprint(&moved, ""), "lines move, the finding does not");
        assert_ne!(fingerprint(&first, ""), fingerprint(&at("a: 1\n", "catalog/b.yaml", "wrong"), ""));
        assert_ne!(fingerprint(&first, ""), fingerprint(&at("a: 1\n", "catalog/a.yaml", "other"), ""));
        assert_ne!(fingerprint(&first, ""), fingerprint(&first, "platform"), "the path is the repository's");
        assert_eq!(fingerprint(&first, "").len(), 16);
    }
}
