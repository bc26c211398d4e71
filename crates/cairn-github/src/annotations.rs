//! Findings as check-run annotations. GitHub takes at most 50 annotations per request.

use cairn_diagnostics::{Diagnostic, Severity};
use octocrab::params::checks::{CheckRunOutputAnnotation, CheckRunOutputAnnotationLevel};

/// How many annotations one check-run request may carry.
pub const ANNOTATIONS_PER_REQUEST: usize = 50;

/// How GitHub shows an annotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnotationLevel {
    Notice,
    Warning,
    Failure,
}

/// One annotation of a check run. It serializes as octocrab's `CheckRunOutputAnnotation` does
/// (same fields, same order, same omissions), so that `--dry-run` prints what is sent; octocrab's
/// type is neither `Clone` nor `Debug`, hence this one.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Annotation {
    pub path: String,
    pub start_line: u32,
    pub end_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
    pub annotation_level: AnnotationLevel,
    pub message: String,
    pub title: String,
}

impl Annotation {
    pub(crate) fn to_octocrab(&self) -> CheckRunOutputAnnotation {
        CheckRunOutputAnnotation {
            path: self.path.clone(),
            start_line: self.start_line,
            end_line: self.end_line,
            start_column: self.start_column,
            end_column: self.end_column,
            annotation_level: match self.annotation_level {
                AnnotationLevel::Notice => CheckRunOutputAnnotationLevel::Notice,
                AnnotationLevel::Warning => CheckRunOutputAnnotationLevel::Warning,
                AnnotationLevel::Failure => CheckRunOutputAnnotationLevel::Failure,
            },
            message: self.message.clone(),
            title: Some(self.title.clone()),
            raw_details: None,
        }
    }
}

/// A finding as an annotation, or `None` when it has no file to be placed on. `prefix` is where
/// the platform is in its git repository: GitHub places an annotation by its path from the
/// repository's root, and drops one whose path is not in the commit.
#[must_use]
pub fn annotation(diagnostic: &Diagnostic, prefix: &str) -> Option<Annotation> {
    let location = diagnostic.location.as_ref()?;
    let level = match (diagnostic.counts(), diagnostic.severity) {
        (false, _) => AnnotationLevel::Notice,
        (true, Severity::Error) => AnnotationLevel::Failure,
        (true, Severity::Warning) => AnnotationLevel::Warning,
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
    // GitHub accepts columns only on one line.
    let columns = location.start.line == location.end.line && location.span.is_some();
    Some(Annotation {
        path: cairn_diagnostics::rooted(prefix, &location.file).into_owned(),
        start_line: location.start.line,
        end_line: location.end.line.max(location.start.line),
        start_column: columns.then_some(location.start.column),
        end_column: columns.then(|| location.end.column.max(location.start.column)),
        annotation_level: level,
        message,
        title,
    })
}

#[cfg(test)]
mod tests {
    use cairn_diagnostics::{ByteSpan, Code, SourceFile};

    use super::*;

    #[test]
    fn an_annotation_names_the_file_from_the_git_root() {
        let file = SourceFile::new("catalog/my cart #1.yaml", "identifier: x\n");
        let diagnostic = Diagnostic::new(Code::SchemaViolation, "wrong").at_span(&file, ByteSpan::new(12, 13));
        let at = |prefix| annotation(&diagnostic, prefix).map(|annotation| annotation.path);
        assert_eq!(at("platform").as_deref(), Some("platform/catalog/my cart #1.yaml"));
        assert_eq!(at("").as_deref(), Some("catalog/my cart #1.yaml"), "a platform at the root");
    }

    #[test]
    fn an_annotation_serializes_as_octocrabs_does() {
        let annotation = Annotation {
            path: "catalog/cart.yaml".to_owned(),
            start_line: 6,
            end_line: 6,
            start_column: Some(11),
            end_column: None,
            annotation_level: AnnotationLevel::Failure,
            message: "relation `domain` names `nowhere`".to_owned(),
            title: "E0309".to_owned(),
        };
        let ours = serde_json::to_string(&annotation).ok();
        let octocrabs = serde_json::to_string(&annotation.to_octocrab()).ok();
        assert!(ours.is_some());
        assert_eq!(ours, octocrabs);
    }
}
