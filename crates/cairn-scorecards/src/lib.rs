//! Port's scorecards, read from `scorecards/**` and (later) evaluated per entity.
//!
//! The shape is Port's (<https://docs.port.io/promote-scorecards/concepts-and-structure>): `identifier`, `title`,
//! `blueprint`, `levels` (lowest first; the first is the base level and holds no rules), `rules`
//! whose `query` is `{combinator, conditions}`, and an optional `filter` of the same shape. The
//! queries are parsed by `cairn_compute::query`, so operators, findings and evaluation are the
//! ones relation search queries use.

mod check;

use std::sync::Arc;

use cairn_compute::query::{Query, Subject};
use cairn_diagnostics::{ByteSpan, Code, Diagnostic, Location, SourceFile};
use cairn_model::{Node, Timestamp, Value, span_of};

pub use check::check;

/// The folder of the platform repository that holds scorecards (YAML or JSON, nested folders
/// allowed); `cairn import port` writes Port's there.
pub const FOLDER: &str = "scorecards";

/// Whether `path` (platform-relative) is a scorecard file.
#[must_use]
pub fn is_scorecard_file(path: &str) -> bool {
    path.strip_prefix(FOLDER).is_some_and(|rest| rest.starts_with('/')) && cairn_model::is_data_file(path)
}

/// Port's levels for a scorecard that writes none, lowest first, with Port's colours
/// (<https://docs.port.io/promote-scorecards/concepts-and-structure>, "Levels").
pub const DEFAULT_LEVELS: [(&str, &str); 4] =
    [("Basic", "paleBlue"), ("Bronze", "bronze"), ("Silver", "silver"), ("Gold", "gold")];

/// One level of a scorecard, as Port writes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Level {
    pub title: String,
    pub color: Option<String>,
    /// Where the title is written, for findings about the level.
    pub title_span: ByteSpan,
}

/// What an entity must satisfy to pass a rule.
#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// Port's `query: {combinator, conditions}`.
    Query(Query),
    /// cairn's extension for what conditions cannot say (such as "every dependency is at least
    /// Silver"): `rego: data.<package>.<rule>`, a rule of the platform's policies evaluated for
    /// the entity (`input`, as policies see it); the entity passes when it is exactly `true`.
    Rego { rule: String, span: ByteSpan },
}

/// One rule: the level it belongs to and what an entity must satisfy.
#[derive(Clone, Debug, PartialEq)]
pub struct ScorecardRule {
    pub identifier: String,
    pub identifier_span: ByteSpan,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The title of the level the rule belongs to.
    pub level: String,
    pub level_span: ByteSpan,
    pub test: Test,
    pub span: ByteSpan,
}

/// A scorecard, parsed once.
#[derive(Clone, Debug)]
pub struct Scorecard {
    pub identifier: String,
    pub identifier_span: ByteSpan,
    pub title: Option<String>,
    pub blueprint: String,
    /// Where `blueprint` is written; `None` for a scorecard written under its blueprint without
    /// naming it.
    pub blueprint_span: Option<ByteSpan>,
    /// Lowest first: `levels[0]` is the base level.
    pub levels: Vec<Level>,
    /// Where `levels` is written.
    pub levels_span: ByteSpan,
    pub rules: Vec<ScorecardRule>,
    /// Which entities of the blueprint the scorecard applies to; `None` is all of them.
    pub filter: Option<Query>,
    /// The file it is written in, and where.
    pub file: Arc<SourceFile>,
    pub span: ByteSpan,
}

/// Reads the scorecards of one document of `file`: a scorecard, or a list of them. A scorecard
/// written under a blueprint's `scorecards` key belongs to that blueprint (`implied_blueprint`)
/// and need not name it, as Port's examples, posted to a blueprint's scorecards, do not
/// (<https://docs.port.io/promote-scorecards/examples>). Each thing wrong is a located finding;
/// a scorecard with one is left out, the others are kept.
#[must_use]
pub fn read(file: &Arc<SourceFile>, node: &Node, implied_blueprint: Option<&str>) -> (Vec<Scorecard>, Vec<Diagnostic>) {
    let mut reader = Reader { file, implied_blueprint, findings: Vec::new() };
    let scorecards = match &node.value {
        Value::Sequence(items) => items.iter().filter_map(|item| reader.scorecard(item)).collect(),
        _ => reader.scorecard(node).into_iter().collect(),
    };
    (scorecards, reader.findings)
}

/// Where one entity stands on a scorecard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    /// The index in `levels` of the level reached; `0` is the base level.
    pub level: usize,
    /// Whether each rule passed, in the order of the scorecard's `rules`.
    pub passed: Vec<bool>,
}

impl Scorecard {
    /// Where `subject` stands, with Port's semantics (<https://docs.port.io/promote-scorecards/concepts-and-structure>):
    /// the first level is the base level ("If the entity didn't pass any rule, it will be at the
    /// `Basic` level"); the level reached is the highest level with rules whose rules, and every
    /// lower level's rules, all pass. So an entity passing Gold's rules but failing a Bronze rule
    /// is at the base level, and a level without rules is never reached by itself: passing Bronze
    /// when Silver and Gold hold no rules is Bronze. A rule naming no declared level is a finding
    /// at check time and holds no level back here.
    ///
    /// A Rego rule counts as passed here: `standing_with` takes their results.
    #[must_use]
    pub fn standing(&self, subject: &dyn Subject, now: Timestamp) -> Standing {
        self.standing_with(subject, now, |_| true)
    }

    /// `standing`, with `rego(index)` saying whether the Rego rule at `index` of `rules` passes.
    #[must_use]
    pub fn standing_with(&self, subject: &dyn Subject, now: Timestamp, rego: impl Fn(usize) -> bool) -> Standing {
        let passed: Vec<bool> = self
            .rules
            .iter()
            .enumerate()
            .map(|(index, rule)| match &rule.test {
                Test::Query(query) => query.matches(subject, now),
                Test::Rego { .. } => rego(index),
            })
            .collect();
        self.standing_of(passed)
    }

    /// The identifiers of the rules `standing` passes (`passed: true`) or fails (`false`), in the
    /// scorecard's order.
    #[must_use]
    pub fn rules_where(&self, standing: &Standing, passed: bool) -> Vec<&str> {
        self.rules
            .iter()
            .zip(&standing.passed)
            .filter(|(_, result)| **result == passed)
            .map(|(rule, _)| rule.identifier.as_str())
            .collect()
    }

    /// Whether any rule is a Rego rule.
    #[must_use]
    pub fn has_rego(&self) -> bool {
        self.rules.iter().any(|rule| matches!(rule.test, Test::Rego { .. }))
    }

    fn standing_of(&self, passed: Vec<bool>) -> Standing {
        let mut level = 0;
        for (index, declared) in self.levels.iter().enumerate().skip(1) {
            let mut results =
                self.rules.iter().zip(&passed).filter(|(rule, _)| rule.level == declared.title).peekable();
            if results.peek().is_none() {
                continue;
            }
            if !results.all(|(_, passed)| *passed) {
                break;
            }
            level = index;
        }
        Standing { level, passed }
    }
}

struct Reader<'a> {
    file: &'a Arc<SourceFile>,
    implied_blueprint: Option<&'a str>,
    findings: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn report(&mut self, span: ByteSpan, message: String, help: &str) {
        self.findings.push(
            Diagnostic::new(Code::InvalidScorecard, message)
                .at(Location::new(self.file, span))
                .with_help(help.to_owned()),
        );
    }

    /// The text at `key` of `node`; a finding when it is missing (and `required`) or not text.
    fn text(&mut self, node: &Node, key: &str, required: bool, what: &str) -> Option<String> {
        let Some(value) = node.get(key) else {
            if required {
                self.report(node.span, format!("the {what} has no `{key}`"), "Port's scorecards give it as text");
            }
            return None;
        };
        if let Some(text) = value.as_str() {
            Some(text.to_owned())
        } else {
            let message = format!("`{key}` is {}, not text", value.type_name());
            self.report(value.span, message, "write it as text");
            None
        }
    }

    fn list<'n>(&mut self, node: &'n Node, key: &str) -> Option<&'n [Node]> {
        match node.get(key) {
            None => {
                self.report(node.span, format!("the scorecard has no `{key}`"), "add it as a list");
                None
            }
            Some(Node { value: Value::Sequence(items), .. }) => Some(items),
            Some(other) => {
                self.report(other.span, format!("`{key}` is {}, not a list", other.type_name()), "write a list");
                None
            }
        }
    }

    fn query(&mut self, node: &Node) -> Option<Query> {
        let (query, findings) = Query::parse_with_list_key(self.file, node, "conditions");
        self.findings.extend(findings);
        query
    }

    fn scorecard(&mut self, node: &Node) -> Option<Scorecard> {
        if node.as_mapping().is_none() {
            let message = format!("a scorecard is {}, not a mapping", node.type_name());
            self.report(node.span, message, "write `{identifier, title, blueprint, levels, rules}`");
            return None;
        }
        let before = self.findings.len();
        let identifier = self.text(node, "identifier", true, "scorecard");
        let title = self.text(node, "title", false, "scorecard");
        let blueprint = match self.implied_blueprint {
            Some(implied) => self.implied(node, implied),
            None => self.text(node, "blueprint", true, "scorecard"),
        };
        // Port's default levels when none are written: "By default, the levels are: `Basic`,
        // `Bronze`, `Silver`, `Gold`" (concepts-and-structure, "Levels"); its examples leave
        // `levels` out.
        let defaults: Vec<Node>;
        let written = if node.get("levels").is_none() {
            defaults = DEFAULT_LEVELS
                .iter()
                .map(|(title, color)| {
                    let entry = |key: &str, value: &str| cairn_model::Entry {
                        key: key.to_owned(),
                        key_span: node.span,
                        value: Node::new(node.span, Value::String(value.to_owned())),
                    };
                    Node::new(node.span, Value::Mapping(vec![entry("title", title), entry("color", color)]))
                })
                .collect();
            Some(defaults.as_slice())
        } else {
            self.list(node, "levels")
        };
        let levels: Vec<Level> = written
            .unwrap_or_default()
            .iter()
            .filter_map(|level| {
                let title = self.text(level, "title", true, "level")?;
                let title_span = span_of(level, &["title"]);
                Some(Level { title, color: self.text(level, "color", false, "level"), title_span })
            })
            .collect();
        let rules: Vec<ScorecardRule> =
            self.list(node, "rules").unwrap_or_default().iter().filter_map(|rule| self.rule(rule)).collect();
        let filter = node.get("filter").and_then(|filter| self.query(filter));
        if self.findings.len() > before {
            return None;
        }
        Some(Scorecard {
            identifier: identifier?,
            identifier_span: span_of(node, &["identifier"]),
            title,
            blueprint: blueprint?,
            blueprint_span: node.get("blueprint").map(|blueprint| blueprint.span),
            levels,
            levels_span: span_of(node, &["levels"]),
            rules,
            filter,
            file: Arc::clone(self.file),
            span: node.span,
        })
    }

    /// The blueprint of a scorecard written under a blueprint: that one, and a `blueprint` key,
    /// if written, must agree.
    fn implied(&mut self, node: &Node, implied: &str) -> Option<String> {
        if let Some(written) = self.text(node, "blueprint", false, "scorecard")
            && written != implied
        {
            let span = node.get("blueprint").map_or(node.span, |value| value.span);
            let message = format!("the scorecard names blueprint `{written}` but is written under `{implied}`");
            self.report(span, message, "leave `blueprint` out, or move the scorecard under its blueprint");
            return None;
        }
        Some(implied.to_owned())
    }

    fn rule(&mut self, node: &Node) -> Option<ScorecardRule> {
        let identifier = self.text(node, "identifier", true, "rule");
        let title = self.text(node, "title", false, "rule");
        let description = self.text(node, "description", false, "rule");
        let level = self.text(node, "level", true, "rule");
        let test = match (node.get("query"), node.get("rego")) {
            (Some(_), Some(rego)) => {
                let help = "keep `query` (Port's conditions) or `rego` (a rule of the platform's policies)";
                self.report(rego.span, "the rule has both `query` and `rego`".to_owned(), help);
                None
            }
            (None, None) => {
                self.report(node.span, "the rule has no `query`".to_owned(), "add `query: {combinator, conditions}`");
                None
            }
            (Some(query), None) => self.query(query).map(Test::Query),
            (None, Some(rego)) => self.rego(rego),
        };
        Some(ScorecardRule {
            identifier: identifier?,
            identifier_span: span_of(node, &["identifier"]),
            title,
            description,
            level: level?,
            level_span: span_of(node, &["level"]),
            test: test?,
            span: node.span,
        })
    }

    /// `rego: data.<package>.<rule>`: a reference to one rule, checked for its shape here and
    /// for its existence when the policies are loaded.
    fn rego(&mut self, node: &Node) -> Option<Test> {
        let help = "name a rule of the platform's policies, such as `data.acme.scorecards.dependencies_silver`";
        let Some(text) = node.as_str() else {
            self.report(node.span, format!("`rego` is {}, not a rule's name", node.type_name()), help);
            return None;
        };
        let parts: Vec<&str> = text.split('.').collect();
        let name = |part: &&str| {
            part.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        if parts.len() < 3 || parts[0] != "data" || !parts.iter().all(name) {
            self.report(node.span, format!("`{text}` is not a rule's path (`data.<package>.<rule>`)"), help);
            return None;
        }
        Some(Test::Rego { rule: text.to_owned(), span: node.span })
    }
}

#[cfg(test)]
mod tests;
