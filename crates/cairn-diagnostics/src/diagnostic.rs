//! `Diagnostic`: one finding, with its code, severity, message, location, entity and help.

use std::sync::Arc;

use crate::code::{Code, Severity};
use crate::entity_ref::EntityRef;
use crate::source::{ByteSpan, Position, SourceFile};

/// Where a finding is: a file of the platform repository, and the span of the offending value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// Relative to the repository root, `/`-separated.
    pub file: String,
    /// The bytes of the offending value; `None` when the finding is about the whole file.
    pub span: Option<ByteSpan>,
    pub start: Position,
    pub end: Position,
}

impl Location {
    /// The location of `span` in `file`.
    #[must_use]
    pub fn new(file: &SourceFile, span: ByteSpan) -> Self {
        Location {
            file: file.path().to_owned(),
            span: Some(span),
            start: file.position(span.start),
            end: file.position(span.end),
        }
    }

    /// The location of a whole file, for findings such as "the file is too large".
    #[must_use]
    pub fn file(path: impl Into<String>) -> Self {
        Location { file: path.into(), span: None, start: Position::START, end: Position::START }
    }
}

/// `path` (relative to the platform) relative to the git repository's root instead, for a
/// platform in the folder `prefix` of it (`Source::prefix`; empty at the root).
#[must_use]
pub fn rooted<'a>(prefix: &str, path: &'a str) -> std::borrow::Cow<'a, str> {
    if prefix.is_empty() { path.into() } else { format!("{}/{path}", prefix.trim_end_matches('/')).into() }
}

/// Another place that explains a finding, such as the first definition of a duplicate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub message: String,
    pub location: Location,
}

/// The policy rule a finding came from, shared by all of that rule's findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyRule {
    /// The rule's full path, such as `data.acme.reliability.deny`.
    pub path: String,
    /// The package, such as `acme.reliability`.
    pub package: String,
    /// The code its METADATA gives (`custom.code`), reported instead of cairn's own.
    pub code: Option<String>,
    /// Its METADATA `title`.
    pub title: Option<String>,
}

/// The waiver (in `exceptions/`) that suppresses a finding: the finding is still reported, as
/// waived, and no longer counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waived {
    /// The waiver's file.
    pub file: String,
    pub owner: String,
    pub reason: String,
    /// `YYYY-MM-DD`: the last day the waiver holds.
    pub expires: String,
}

/// One finding. Findings are data: the tool failing is an `Err`, never a `Diagnostic`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// What is wrong, without a trailing period, with values in backticks.
    pub message: String,
    pub location: Option<Location>,
    /// The entity the finding is about.
    pub entity: Option<EntityRef>,
    /// How to put it right.
    pub help: Option<String>,
    pub related: Vec<Related>,
    /// For findings of policies: the rule that produced it.
    pub rule: Option<Arc<PolicyRule>>,
    /// Set when a waiver suppresses the finding.
    pub waived: Option<Arc<Waived>>,
}

impl Diagnostic {
    /// A finding with the code's default severity and no location yet.
    #[must_use]
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            location: None,
            entity: None,
            help: None,
            related: Vec::new(),
            rule: None,
            waived: None,
        }
    }

    /// The name the finding is reported, filtered and waived under: a policy's own code when its
    /// METADATA gives one, otherwise cairn's code.
    #[must_use]
    pub fn code_name(&self) -> &str {
        self.rule.as_ref().and_then(|rule| rule.code.as_deref()).unwrap_or(self.code.as_str())
    }

    /// Whether the finding counts towards the verdict: waived findings are reported but do not.
    #[must_use]
    pub fn counts(&self) -> bool {
        self.waived.is_none()
    }

    #[must_use]
    pub fn with_rule(mut self, rule: Arc<PolicyRule>) -> Self {
        self.rule = Some(rule);
        self
    }

    #[must_use]
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Places the finding on `span` of `file`.
    #[must_use]
    pub fn at_span(self, file: &SourceFile, span: ByteSpan) -> Self {
        self.at(Location::new(file, span))
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn with_entity(mut self, entity: EntityRef) -> Self {
        self.entity = Some(entity);
        self
    }

    #[must_use]
    pub fn with_related(mut self, message: impl Into<String>, location: Location) -> Self {
        self.related.push(Related { message: message.into(), location });
        self
    }

    /// The order every report lists findings in: by file, position, code, then message, so that
    /// the same input gives byte-identical output however the work was scheduled.
    #[must_use]
    pub fn sort_key(&self) -> impl Ord + '_ {
        let (file, start) = match &self.location {
            Some(location) => (Some(location.file.as_str()), location.start),
            None => (None, Position::START),
        };
        (file, start, self.code, self.message.as_str(), self.entity.as_ref())
    }
}
