//! Findings as check-run annotations. GitHub takes at most 50 annotations per request.

use cairn_diagnostics::{Diagnostic, Severity};
use serde_json::{Value, json};

/// How many annotations one check-run request may carry.
pub const ANNOTATIONS_PER_REQUEST: usize = 50;

/// A finding as an annotation, or `None` when it has no file to be placed on.
#[must_use]
pub fn annotation(diagnostic: &Diagnostic) -> Option<Value> {
    let location = diagnostic.location.as_ref()?;
    let level = match (diagnostic.counts(), diagnostic.severity) {
        (false, _) => "notice",
        (true, Severity::Error) => "failure",
        (true, Severity::Warning) => "warning",
    };
    let title = match diagnostic.rule.as_ref().and_then(|rule| rule.title.as_deref()) {
        Some(title) => format!("{}: {title}", diagnostic.code_name()),
        None => diagnostic.code_name().to_owned(),
    };
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\n\n");
        message.push_str(help);
    }
    let mut annotation = json!({
        "path": location.file,
        "start_line": location.start.line,
        "end_line": location.end.line.max(location.start.line),
        "annotation_level": level,
        "title": title,
        "message": message,
    });
    // GitHub accepts columns only on one line.
    if location.start.line == location.end.line && location.span.is_some() {
        annotation["start_column"] = json!(location.start.column);
        annotation["end_column"] = json!(location.end.column.max(location.start.column));
    }
    Some(annotation)
}
