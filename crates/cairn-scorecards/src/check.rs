//! The checks of scorecards against the catalog's blueprints and against each other: the
//! blueprint known, the properties and relations conditions test declared by it, every rule on a
//! declared level above the base level, and identifiers and level titles unique.
//!
//! Port's pages, cited beside each rule:
//! - scorecards: <https://docs.port.io/promote-scorecards/concepts-and-structure>
//! - meta-properties: <https://docs.port.io/build-your-software-catalog/customize-integrations/configure-data-model/setup-blueprint/properties/meta-properties/>

use std::collections::HashMap;

use cairn_compute::query::Query;
use cairn_compute::{Kind, META_PROPERTIES, computed_kind};
use cairn_diagnostics::{ByteSpan, Code, Diagnostic, Location, SourceFile, did_you_mean};
use cairn_model::{Blueprint, Catalog, Node};

use crate::{Scorecard, ScorecardRule};

/// Findings about `scorecards` as a set and against the blueprints of `catalog`, sorted as every
/// report lists them. Of two scorecards (or rules, or levels) with one identifier, the later one
/// in file order gets the finding, naming where the first is.
#[must_use]
pub fn check(scorecards: &[Scorecard], catalog: &Catalog) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    // File order, not the caller's, decides which of two duplicates is "the second", so the
    // finding lands on the same one however the files were read.
    let mut ordered: Vec<&Scorecard> = scorecards.iter().collect();
    ordered.sort_by(|a, b| (a.file.path(), a.span.start).cmp(&(b.file.path(), b.span.start)));
    // Port keeps a blueprint's scorecards by identifier, so one identifier on two blueprints is
    // two scorecards (concepts-and-structure: "the unique identifier of the Scorecard").
    let mut first: HashMap<(&str, &str), &Scorecard> = HashMap::new();
    for scorecard in ordered {
        let key = (scorecard.blueprint.as_str(), scorecard.identifier.as_str());
        if let Some(earlier) = first.get(&key) {
            let message = format!(
                "the scorecard `{}` of the blueprint `{}` is declared twice (first {})",
                scorecard.identifier,
                scorecard.blueprint,
                place(&earlier.file, earlier.identifier_span, &scorecard.file),
            );
            findings.push(
                Diagnostic::new(Code::DuplicateScorecard, message)
                    .at(Location::new(&scorecard.file, scorecard.identifier_span))
                    .with_related("first declared here", Location::new(&earlier.file, earlier.identifier_span))
                    .with_help("a blueprint's scorecards have unique identifiers: rename or remove one of the two"),
            );
        } else {
            first.insert(key, scorecard);
        }
        Checker { scorecard, findings: &mut findings }.scorecard(catalog);
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
}

/// Where `span` of `file` is, as a finding in `from` names it: the line alone in the same file.
fn place(file: &SourceFile, span: ByteSpan, from: &SourceFile) -> String {
    let line = file.position(span.start).line;
    if file.path() == from.path() { format!("at line {line}") } else { format!("in `{}` at line {line}", file.path()) }
}

/// `names` in backticks, joined for a help text.
fn listed<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names.into_iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
}

struct Checker<'a> {
    scorecard: &'a Scorecard,
    findings: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn report(&mut self, code: Code, span: ByteSpan, message: String, help: String) {
        self.findings
            .push(Diagnostic::new(code, message).at(Location::new(&self.scorecard.file, span)).with_help(help));
    }

    fn scorecard(&mut self, catalog: &Catalog) {
        self.levels();
        self.rules();
        let scorecard = self.scorecard;
        let Some(blueprint) = catalog.blueprints.get(&scorecard.blueprint) else {
            let help = match did_you_mean(&scorecard.blueprint, catalog.blueprints.keys().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`?"),
                None if catalog.blueprints.is_empty() => "the catalog declares no blueprint".to_owned(),
                None => format!("the blueprints are {}", listed(catalog.blueprints.keys().map(String::as_str))),
            };
            let message = format!(
                "the scorecard `{}` names the blueprint `{}`, which does not exist",
                scorecard.identifier, scorecard.blueprint
            );
            let span = scorecard.blueprint_span.unwrap_or(scorecard.identifier_span);
            self.report(Code::ScorecardUnknownBlueprint, span, message, help);
            return;
        };
        if let Some(filter) = &scorecard.filter {
            self.conditions(blueprint, filter, "the filter");
        }
        for rule in &scorecard.rules {
            if let crate::Test::Query(query) = &rule.test {
                self.conditions(blueprint, query, &format!("the rule `{}`", rule.identifier));
            }
        }
    }

    /// Port's base level is "the default level for all entities" (concepts-and-structure, "Level
    /// Hierarchy"): with no levels there is none, and a title given twice would make a rule's
    /// `level` name two levels.
    fn levels(&mut self) {
        let scorecard = self.scorecard;
        if scorecard.levels.is_empty() {
            let message = format!("the scorecard `{}` declares no levels", scorecard.identifier);
            // concepts-and-structure, "Levels": "By default, the levels are: Basic, Bronze, Silver, Gold".
            let help = "declare its levels lowest first, such as Port's defaults `Basic`, `Bronze`, `Silver`, `Gold`";
            self.report(Code::ScorecardNoLevels, scorecard.levels_span, message, help.to_owned());
            return;
        }
        let mut first: HashMap<&str, ByteSpan> = HashMap::new();
        for level in &scorecard.levels {
            match first.get(level.title.as_str()) {
                Some(&earlier) => {
                    let message = format!(
                        "the level `{}` is declared twice in the scorecard `{}` (first {})",
                        level.title,
                        scorecard.identifier,
                        place(&scorecard.file, earlier, &scorecard.file),
                    );
                    self.findings.push(
                        Diagnostic::new(Code::DuplicateScorecardLevel, message)
                            .at(Location::new(&scorecard.file, level.title_span))
                            .with_related("first declared here", Location::new(&scorecard.file, earlier))
                            .with_help("rules name their level by title: give each level its own title"),
                    );
                }
                None => {
                    first.insert(&level.title, level.title_span);
                }
            }
        }
    }

    fn rules(&mut self) {
        let scorecard = self.scorecard;
        let mut first: HashMap<&str, &ScorecardRule> = HashMap::new();
        for rule in &scorecard.rules {
            match first.get(rule.identifier.as_str()) {
                Some(earlier) => {
                    let message = format!(
                        "the rule `{}` is declared twice in the scorecard `{}` (first {})",
                        rule.identifier,
                        scorecard.identifier,
                        place(&scorecard.file, earlier.identifier_span, &scorecard.file),
                    );
                    self.findings.push(
                        Diagnostic::new(Code::DuplicateScorecardRule, message)
                            .at(Location::new(&scorecard.file, rule.identifier_span))
                            .with_related(
                                "first declared here",
                                Location::new(&scorecard.file, earlier.identifier_span),
                            )
                            .with_help("a scorecard's rules have unique identifiers: rename or remove one of the two"),
                    );
                }
                None => {
                    first.insert(&rule.identifier, rule);
                }
            }
            self.level(rule);
        }
    }

    /// The rule's level is declared, and is not the base level: "If the entity didn't pass any
    /// rule, it will be at the `Basic` level, and thus can't have a rule associated with it"
    /// (concepts-and-structure, "Level Hierarchy").
    fn level(&mut self, rule: &ScorecardRule) {
        let scorecard = self.scorecard;
        // With no levels, every rule would name an undeclared one: the scorecard's own finding
        // says it once.
        let Some(base) = scorecard.levels.first() else { return };
        let titles = || scorecard.levels.iter().map(|level| level.title.as_str());
        match titles().position(|title| title == rule.level) {
            Some(0) => {
                let message = format!(
                    "the rule `{}` is on the base level `{}`, which holds no rules",
                    rule.identifier, base.title
                );
                let help = match scorecard.levels.get(1) {
                    Some(next) => format!(
                        "every entity is at the base level whatever it passes: put the rule on a higher level, such as `{}`",
                        next.title
                    ),
                    None => "declare a level above the base level and put the rule on it".to_owned(),
                };
                self.report(Code::ScorecardRuleOnBaseLevel, rule.level_span, message, help);
            }
            Some(_) => {}
            None => {
                let message = format!(
                    "the rule `{}` is on the level `{}`, which the scorecard `{}` does not declare",
                    rule.identifier, rule.level, scorecard.identifier
                );
                let help = match did_you_mean(&rule.level, titles()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("the levels are {}", listed(titles())),
                };
                self.report(Code::ScorecardUnknownLevel, rule.level_span, message, help);
            }
        }
    }

    /// Each condition of `query` (of `what`, the filter or a rule) tests a property or relation
    /// `blueprint` declares.
    fn conditions(&mut self, blueprint: &Blueprint, query: &Query, what: &str) {
        for condition in query.property_rules() {
            let name = condition.property.as_str();
            if declares_property(blueprint, name) {
                continue;
            }
            let (message, help) = if name.starts_with('$') {
                let message = format!("{what} tests `{name}`, which is not one of Port's meta-properties");
                let help = match did_you_mean(name, META_PROPERTIES.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("the meta-properties are {}", listed(META_PROPERTIES.iter().copied())),
                };
                (message, help)
            } else {
                let message = format!(
                    "{what} tests the property `{name}`, which the blueprint `{}` does not declare",
                    blueprint.identifier
                );
                let names = property_names(blueprint);
                let help = match did_you_mean(name, names.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None if names.is_empty() => format!(
                        "the blueprint `{}` declares no property: test a meta-property such as `$title`, or declare `{name}`",
                        blueprint.identifier
                    ),
                    None => format!(
                        "declare `{name}` in the blueprint, or test one of its properties: {}",
                        listed(names.iter().copied())
                    ),
                };
                (message, help)
            };
            self.report(Code::ScorecardUnknownProperty, condition.property_span, message, help);
        }
        for condition in query.relation_rules() {
            let name = condition.relation.as_str();
            if blueprint.relations.contains_key(name) {
                continue;
            }
            let message = format!(
                "{what} tests the relation `{name}`, which the blueprint `{}` does not declare",
                blueprint.identifier
            );
            let names = || blueprint.relations.keys().map(String::as_str);
            let help = match did_you_mean(name, names()) {
                Some(close) => format!("did you mean `{close}`?"),
                None if blueprint.relations.is_empty() => {
                    format!("the blueprint `{}` declares no relation", blueprint.identifier)
                }
                None => format!("its relations are {}", listed(names())),
            };
            self.report(Code::ScorecardUnknownRelation, condition.relation_span, message, help);
        }
    }
}

/// Whether a condition may test `name` on entities of `blueprint`: a property of its schema, one
/// Port computes for it (mirror, calculation, aggregation: conditions see them, as Port's API
/// returns them among `properties`), or a meta-property.
fn declares_property(blueprint: &Blueprint, name: &str) -> bool {
    if name.starts_with('$') {
        META_PROPERTIES.contains(&name)
    } else {
        blueprint.properties.iter().any(|declared| declared == name) || computed_kind(blueprint, name).is_some()
    }
}

/// The properties of `blueprint` a condition may test by name, its schema's then its computed
/// ones, for suggestions.
fn property_names(blueprint: &Blueprint) -> Vec<&str> {
    let computed = Kind::ALL
        .into_iter()
        .filter_map(|kind| blueprint.node.get(kind.key()).and_then(Node::as_mapping))
        .flatten()
        .map(|entry| entry.key.as_str());
    blueprint.properties.iter().map(String::as_str).chain(computed).collect()
}

#[cfg(test)]
mod tests;
