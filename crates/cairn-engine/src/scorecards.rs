//! Scorecards over a catalog: each entity of a scorecard's blueprint that its filter admits,
//! with the level it reaches and the rules it passes (cairn-scorecards' `standing`, over the
//! entity with its computed properties and resolved relations).

use std::collections::HashMap;

use cairn_compute::{Derived, Resolved};
use cairn_diagnostics::{Diagnostic, EntityRef, Severity, SourceMap};
use cairn_model::{Catalog, Timestamp};
use cairn_scorecards::{Scorecard, Standing};
use cairn_source::{Origin, Source};
use rayon::prelude::*;

use crate::error::EngineError;
use crate::load::{Loaded, load};

/// One entity on one scorecard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Score {
    /// The index of the scorecard in `Scores::scorecards`.
    pub scorecard: usize,
    /// The entity's position in the catalog scored.
    pub entity: usize,
    pub standing: Standing,
}

/// Every score of a catalog, by scorecard (in their order) and then entity (in catalog order).
pub(crate) fn score(scorecards: &[Scorecard], catalog: &Catalog, derived: &Derived, now: Timestamp) -> Vec<Score> {
    if scorecards.is_empty() {
        return Vec::new();
    }
    let mut by_blueprint: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, scorecard) in scorecards.iter().enumerate() {
        by_blueprint.entry(scorecard.blueprint.as_str()).or_default().push(index);
    }
    let mut scores: Vec<Score> = catalog
        .entities
        .par_iter()
        .enumerate()
        .flat_map_iter(|(position, entity)| {
            let subject = Resolved::new(catalog, position, derived);
            by_blueprint.get(entity.blueprint.value.as_str()).into_iter().flatten().filter_map(move |&index| {
                let scorecard = &scorecards[index];
                let admitted = scorecard.filter.as_ref().is_none_or(|filter| filter.matches(&subject, now));
                admitted.then(|| Score {
                    scorecard: index,
                    entity: position,
                    standing: scorecard.standing(&subject, now),
                })
            })
        })
        .collect();
    scores.sort_by_key(|score| (score.scorecard, score.entity));
    scores
}

/// Evaluates the scorecards' Rego rules (`rego: data.<package>.<rule>`) for every entity each
/// scores, with the policies of `policies` and `data` (`data.cairn` as policies see it, its
/// `scorecards` as the Port-format conditions alone place the entities: a Rego rule that reads
/// levels, such as "every dependency is at least Silver", reads those), and updates `scores`
/// with their results. A rule that cannot be evaluated fails, with one finding at the rule.
pub(crate) fn apply_rego(
    scorecards: &[Scorecard],
    scores: &mut [Score],
    policies: &cairn_policy::PolicySet,
    data: cairn_policy::Value,
    inputs: &[cairn_policy::Value],
    (catalog, derived, now): (&Catalog, &Derived, Timestamp),
) -> Vec<Diagnostic> {
    let warm = inputs.first().cloned().unwrap_or_else(cairn_policy::Value::new_object);
    // The policies' own errors are reported when they judge the catalog, not twice.
    let (prepared, _) = policies.prepare(data, &warm);
    let mut findings = Vec::new();
    for (index, scorecard) in scorecards.iter().enumerate().filter(|(_, scorecard)| scorecard.has_rego()) {
        let positions: Vec<usize> = (0..scores.len()).filter(|&at| scores[at].scorecard == index).collect();
        let entity_inputs: Vec<&cairn_policy::Value> = positions.iter().map(|&at| &inputs[scores[at].entity]).collect();
        let mut passed: Vec<Vec<bool>> = vec![vec![true; scorecard.rules.len()]; positions.len()];
        for (rule_index, rule) in scorecard.rules.iter().enumerate() {
            let cairn_scorecards::Test::Rego { rule: path, span } = &rule.test else { continue };
            let mut failures = 0;
            let mut first = None;
            for (at, result) in prepared.evaluate_rule(path, &entity_inputs).into_iter().enumerate() {
                passed[at][rule_index] = result.as_ref().is_ok_and(|passed| *passed);
                if let Err(error) = result {
                    failures += 1;
                    first.get_or_insert((error, at));
                }
            }
            if let Some((error, at)) = first {
                let entity = catalog.entities[scores[positions[at]].entity].reference();
                let help = if failures == 1 {
                    format!("raised while scoring `{entity}`")
                } else {
                    format!("raised while scoring {failures} entities, first `{entity}`")
                };
                findings.push(
                    Diagnostic::new(
                        cairn_diagnostics::Code::ScorecardRegoRule,
                        format!("the rule `{}` could not evaluate `{path}`: {error}", rule.identifier),
                    )
                    .at(cairn_diagnostics::Location::new(&scorecard.file, *span))
                    .with_help(format!("{help}; it counts as failed. Name a rule of the platform's policies")),
                );
            }
        }
        for (at, &score) in positions.iter().enumerate() {
            let subject = Resolved::new(catalog, scores[score].entity, derived);
            scores[score].standing = scorecard.standing_with(&subject, now, |rule| passed[at][rule]);
        }
    }
    findings
}

/// `data.cairn.scorecards`, what policies see of the scorecards: by blueprint, then scorecard
/// identifier (Port's identifiers are unique per blueprint), its title and levels (lowest
/// first), and under `entities`, by identifier, each scored entity's `level` (its title), `rank`
/// (its index in `levels`: 0 is the base level) and the rules it `passed` and `failed`. A policy
/// can then require a level:
/// `data.cairn.scorecards.Component["production-readiness"].entities[input.identifier].rank >= 2`.
pub(crate) fn policy_value(scorecards: &[Scorecard], scores: &[Score], catalog: &Catalog) -> cairn_policy::Value {
    let mut value: serde_json::Map<String, serde_json::Value> = serde_json::Map::new();
    for (index, scorecard) in scorecards.iter().enumerate() {
        let mut entities = serde_json::Map::new();
        for score in scores.iter().filter(|score| score.scorecard == index) {
            let passed: Vec<&str> = scorecard.rules_where(&score.standing, true);
            let failed: Vec<&str> = scorecard.rules_where(&score.standing, false);
            let level = scorecard.levels.get(score.standing.level).map(|level| level.title.as_str());
            entities.insert(
                catalog.entities[score.entity].identifier.value.clone(),
                serde_json::json!({"level": level, "rank": score.standing.level, "passed": passed, "failed": failed}),
            );
        }
        // Two scorecards with one identifier are a finding (E1107); the first one read is kept.
        let of_blueprint = value.entry(scorecard.blueprint.clone()).or_insert_with(|| serde_json::json!({}));
        let Some(of_blueprint) = of_blueprint.as_object_mut() else { continue };
        of_blueprint.entry(scorecard.identifier.clone()).or_insert_with(|| {
            serde_json::json!({
                "title": scorecard.title,
                "levels": scorecard.levels.iter().map(|level| level.title.as_str()).collect::<Vec<_>>(),
                "entities": entities,
            })
        });
    }
    cairn_policy::Value::from(serde_json::Value::Object(value))
}

/// One entity's standing, named, as `cairn scorecard` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scored {
    pub entity: EntityRef,
    pub title: Option<String>,
    pub teams: Vec<String>,
    /// The index of the scorecard in `Scorecards::scorecards`.
    pub scorecard: usize,
    pub standing: Standing,
}

/// The scorecards of a revision and where every entity stands on them.
#[derive(Debug)]
pub struct Scorecards {
    /// What was read: a directory, or a revision and its commit.
    pub source: Origin,
    pub scorecards: Vec<Scorecard>,
    /// By scorecard, then in catalog order.
    pub scores: Vec<Scored>,
    /// The findings about the scorecards (reading them, and checking them against the catalog's
    /// blueprints), sorted; the files they point into are in `sources`.
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
}

impl Scorecards {
    /// Whether a scorecard finding is an error: such a scorecard is left out, so the table is
    /// not the platform's whole answer.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|diagnostic| diagnostic.severity == Severity::Error)
    }
}

/// The scorecards of the platform at `source` and every entity's standing as of `now` (the
/// date presets of `between`).
pub fn scorecards(source: &Source, now: Timestamp) -> Result<Scorecards, EngineError> {
    let mut loaded = load(source)?;
    let entities = std::mem::take(&mut loaded.entities);
    // Judged as `cairn check` judges it: Rego rules of scorecards are evaluated with the policies.
    let judged = crate::check::judge(&loaded, entities, source.commit().as_deref(), None, now);
    let catalog = &judged.catalog;
    let scores = judged
        .scores
        .into_iter()
        .map(|score| {
            let entity = &catalog.entities[score.entity];
            Scored {
                entity: entity.reference(),
                title: entity.title.clone(),
                teams: entity.owner_list(),
                scorecard: score.scorecard,
                standing: score.standing,
            }
        })
        .collect();
    let mut diagnostics = findings(&loaded, catalog);
    diagnostics.extend(judged.diagnostics.into_iter().filter(|diagnostic| is_scorecard_code(diagnostic.code)));
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    let mut sources = SourceMap::new();
    for file in &loaded.files {
        sources.insert(std::sync::Arc::clone(file));
    }
    Ok(Scorecards { source: source.origin(), scorecards: loaded.scorecards, scores, diagnostics, sources })
}

/// The findings about the scorecards of `loaded`: those of reading the scorecard files (and the
/// blueprints' `scorecards` keys), and those of checking them against `catalog`.
pub(crate) fn findings(loaded: &Loaded, catalog: &Catalog) -> Vec<Diagnostic> {
    let mut findings: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|diagnostic| is_scorecard_code(diagnostic.code) || in_scorecard_file(diagnostic))
        .cloned()
        .collect();
    findings.extend(cairn_scorecards::check(&loaded.scorecards, catalog));
    findings
}

/// Whether `code` is one of the scorecards' own (E1100–E1109, W1110–W1119: docs/diagnostics.md).
fn is_scorecard_code(code: cairn_diagnostics::Code) -> bool {
    let text = code.as_str();
    text.get(1..4) == Some("110") || text.get(1..4) == Some("111")
}

/// Whether a finding points into a scorecard file (a parse error, an unknown operator).
fn in_scorecard_file(diagnostic: &Diagnostic) -> bool {
    diagnostic.location.as_ref().is_some_and(|location| {
        let path = location.file.strip_prefix(crate::load::BUNDLED_PREFIX).unwrap_or(&location.file);
        cairn_scorecards::is_scorecard_file(path) || path.starts_with(cairn_library::SCORECARDS_FOLDER)
    })
}
