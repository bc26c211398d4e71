//! `check`: judge a catalog by a set of rules. The rules (settings, blueprints, policies) and the
//! data (entities) usually come from one revision; for a change they come from two, so that a
//! change is always judged by the rules of its base (see `check_change`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use cairn_compute::Derived;
use cairn_diagnostics::{Code, Diagnostic, Severity, SourceMap};
use cairn_model::{Catalog, Entity, Timestamp};
use cairn_policy::{PolicyOptions, PolicySet, Value};
use cairn_source::{Origin, Source};
use cairn_validate::{Schemas, check_entity, compile_schemas, looked_up};
use rayon::prelude::*;

use crate::error::EngineError;
use crate::load::{BUNDLED_PREFIX, Loaded, load};
use crate::verdict::Verdict;

/// The result of a check: the findings, the files they point into, and what was read.
#[derive(Debug)]
pub struct Outcome {
    /// What was judged: a directory, or a revision and its commit (for a change, its head).
    pub judged: Origin,
    /// Whose rules judged it, when not its own: a change's base (`check_change`).
    pub rules: Option<Origin>,
    /// Where the platform is in its git repository (`Source::prefix`): reports for GitHub put
    /// it before every path, which are relative to the platform here.
    pub prefix: String,
    /// Sorted by file, position and code.
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
    /// The catalog that was checked, with every entity, duplicates included.
    pub catalog: Catalog,
    pub files: usize,
    /// How many policy packages judged the catalog.
    pub policies: usize,
    /// The scorecards that judged the catalog (a change's: its base's), and where each entity
    /// of `catalog` stands on them (`Score::entity` is a position in `catalog`). Information:
    /// a level never fails a check by itself (a policy can require one).
    pub scorecards: Vec<cairn_scorecards::Scorecard>,
    pub scores: Vec<crate::Score>,
    /// Paths not read, for `--verbose`.
    pub ignored: Vec<String>,
}

impl Outcome {
    /// How many entities were read.
    #[must_use]
    pub fn entities(&self) -> usize {
        self.catalog.entities.len()
    }

    /// How many blueprints apply: the repository's and the bundled ones it does not replace.
    #[must_use]
    pub fn blueprints(&self) -> usize {
        self.catalog.blueprints.len()
    }

    /// How many findings of `severity` count (waived findings do not).
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|diagnostic| diagnostic.severity == severity && diagnostic.counts()).count()
    }

    /// How many findings a waiver suppresses.
    #[must_use]
    pub fn waived(&self) -> usize {
        self.diagnostics.iter().filter(|diagnostic| !diagnostic.counts()).count()
    }

    /// Whether the platform's rules could not all be evaluated (a broken policy set): such a
    /// check proves nothing about the catalog.
    #[must_use]
    pub fn rules_broken(&self) -> bool {
        self.diagnostics.iter().any(|diagnostic| diagnostic.code.breaks_rules())
    }

    /// Broken when the rules could not be evaluated, failed when an error counts.
    #[must_use]
    pub fn verdict(&self) -> Verdict {
        Verdict::of(self.rules_broken(), self.count(Severity::Error))
    }

    /// Whether no entity was read and the settings do not say the platform is empty on purpose
    /// (`W0701`): a check of nothing proves nothing, so `cairn ci` and `plan`'s verdict fail on it.
    #[must_use]
    pub fn read_nothing(&self) -> bool {
        self.diagnostics.iter().any(|diagnostic| diagnostic.code == Code::NoEntities && diagnostic.counts())
    }

    /// Keeps only the findings in `files` (paths of the platform) and those that mean the rules
    /// could not be evaluated (wherever they are, a broken policy set proves nothing about any
    /// file), and only the unread paths among `files`: `cairn check FILE...` checks the whole
    /// platform, so that relations resolve, and reports on the files given.
    pub fn retain_files(&mut self, files: &std::collections::BTreeSet<String>) {
        self.diagnostics.retain(|diagnostic| {
            diagnostic.code.breaks_rules()
                || diagnostic.location.as_ref().is_some_and(|location| files.contains(&location.file))
        });
        self.ignored.retain(|path| files.contains(path.split(" (").next().unwrap_or(path)));
    }

    /// For each scorecard that judged the catalog, how many entities it scores at each of its
    /// levels (lowest first).
    #[must_use]
    pub fn level_counts(&self) -> Vec<(&cairn_scorecards::Scorecard, Vec<usize>)> {
        let mut counts: Vec<Vec<usize>> =
            self.scorecards.iter().map(|scorecard| vec![0; scorecard.levels.len()]).collect();
        for score in &self.scores {
            if let Some(count) = counts.get_mut(score.scorecard).and_then(|counts| counts.get_mut(score.standing.level))
            {
                *count += 1;
            }
        }
        self.scorecards.iter().zip(counts).collect()
    }

    /// What `cairn ci` concludes of one commit: `verdict`, and a failure when nothing was read.
    #[must_use]
    pub fn ci_verdict(&self) -> Verdict {
        Verdict::of(self.rules_broken(), self.count(Severity::Error) + usize::from(self.read_nothing()))
    }
}

/// Checks the platform repository at `source` as of `now` (which decides, for one, whether a
/// waiver has expired). The engine never reads the clock: the caller says what time it is.
pub fn check(source: &Source, now: Timestamp) -> Result<Outcome, EngineError> {
    let loaded = load(source)?;
    Ok(check_loaded(source, loaded, now, Lifetimes::Read, None).0)
}

/// Whether a check reads environments' lifetimes from history for the expired-environment
/// warnings (`W1080`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lifetimes {
    Read,
    /// Left out: the audit report, which counts only errors, judges thousands of revisions,
    /// and a `ttl`'s lifetime costs a walk of its file's history at each of them.
    Skip,
}

/// Checks what `load` read from `source`; `known` holds the entity findings of another catalog
/// judged by the same rules, which the entities the two share keep. Also returns each entity's
/// findings, in the order of the outcome's catalog, for a later `Known`.
pub(crate) fn check_loaded(
    source: &Source,
    mut loaded: Loaded,
    now: Timestamp,
    lifetimes: Lifetimes,
    known: Option<&Known<'_>>,
) -> (Outcome, Vec<Vec<Diagnostic>>) {
    let revision = source.commit();
    let entities = std::mem::take(&mut loaded.entities);
    let built = Catalog::build(loaded.bundled_blueprints.clone(), loaded.declared_blueprints.clone(), entities);
    let mut judged = judge_catalog(&loaded, built, revision.as_deref(), None, known, now);
    let limits = loaded.settings.limits();
    if lifetimes == Lifetimes::Read {
        judged.diagnostics.extend(crate::environments::expired(source, &judged.catalog, &limits, now));
    }
    let diagnostics = findings(&loaded, judged.diagnostics, &judged.catalog, now);
    let described = Described { judged: source.origin(), rules: None, prefix: source.prefix().to_owned() };
    let scorecards = std::mem::take(&mut loaded.scorecards);
    let mut outcome = finish(described, diagnostics, loaded, judged.catalog, judged.policies);
    outcome.scorecards = scorecards;
    outcome.scores = judged.scores;
    (outcome, judged.entity_findings)
}

/// Every finding of a revision judged by its own rules: reading, then judging, then its waivers
/// applied as of `now`.
pub(crate) fn findings(loaded: &Loaded, judged: Vec<Diagnostic>, catalog: &Catalog, now: Timestamp) -> Vec<Diagnostic> {
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(judged);
    diagnostics.extend(crate::workloads::findings(&loaded.workloads, catalog));
    diagnostics.extend(resource_findings(&loaded.resource_definitions, &loaded.workloads, catalog));
    diagnostics.extend(crate::actions::findings(loaded, catalog));
    diagnostics.extend(cairn_scorecards::check(&loaded.scorecards, catalog));
    crate::waivers::apply(&mut diagnostics, &loaded.waivers, catalog, now);
    diagnostics
}

/// The base a change is judged against: policies then see `data.cairn.change`, the diff from
/// this catalog to the judged one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Base<'a> {
    pub catalog: &'a Catalog,
    pub revision: Option<&'a str>,
}

/// A catalog judged by a set of rules.
pub(crate) struct Judged {
    pub catalog: Catalog,
    pub diagnostics: Vec<Diagnostic>,
    pub policies: usize,
    /// The findings of `check_entity` for each entity of `catalog`, in its order (also in
    /// `diagnostics`), for `Known`.
    pub entity_findings: Vec<Vec<Diagnostic>>,
    /// What Port derives from `catalog` (relations resolved, computed properties).
    pub derived: Derived,
    /// Where each entity of `catalog` stands on the rules' scorecards.
    pub scores: Vec<crate::Score>,
}

/// The entity findings of another catalog judged by the same rules: an entity the two catalogs
/// share (the same `Arc`) has the same findings, unless it looks up an identifier the change
/// between them touches. `plan` judges its base with the head's, instead of checking 100,000
/// unchanged entities again.
pub(crate) struct Known<'a> {
    /// Each entity's address in the other catalog, to its position there.
    positions: HashMap<usize, usize>,
    findings: &'a [Vec<Diagnostic>],
    touched: HashSet<&'a str>,
}

impl<'a> Known<'a> {
    /// The findings `judged` holds for the entities of `catalog` (the catalog it judged), with the
    /// identifiers whose entities differ between the two catalogs.
    pub fn new(catalog: &Catalog, findings: &'a [Vec<Diagnostic>], touched: HashSet<&'a str>) -> Self {
        let positions =
            catalog.entities.iter().enumerate().map(|(index, entity)| (Arc::as_ptr(entity).addr(), index)).collect();
        Known { positions, findings, touched }
    }

    fn get(&self, entity: &Arc<Entity>, schemas: &Schemas) -> Option<&'a Vec<Diagnostic>> {
        let index = *self.positions.get(&Arc::as_ptr(entity).addr())?;
        let touched = self.touched.contains(entity.identifier.value.as_str())
            || looked_up(entity, schemas).any(|identifier| self.touched.contains(identifier));
        if touched { None } else { self.findings.get(index) }
    }
}

/// Judges `entities` by the rules of `rules` (its settings, blueprints and policies) as of `now`
/// (the date presets of search queries); `base` is given when a change is judged.
pub(crate) fn judge(
    rules: &Loaded,
    entities: Vec<Arc<Entity>>,
    revision: Option<&str>,
    base: Option<Base<'_>>,
    now: Timestamp,
) -> Judged {
    let built = Catalog::build(rules.bundled_blueprints.clone(), rules.declared_blueprints.clone(), entities);
    judge_catalog(rules, built, revision, base, None, now)
}

/// Judges a built catalog (and the findings of building it) by the rules of `rules`, taking the
/// findings of entities `known` has judged already, as of `now`.
pub(crate) fn judge_catalog(
    rules: &Loaded,
    (catalog, mut diagnostics): (Catalog, Vec<Diagnostic>),
    revision: Option<&str>,
    base: Option<Base<'_>>,
    known: Option<&Known<'_>>,
    now: Timestamp,
) -> Judged {
    let (schemas, found) = compile_schemas(&catalog);
    diagnostics.extend(found);
    let (derived, found) = cairn_compute::derive(&catalog, now);
    diagnostics.extend(found);
    let entity_findings: Vec<Vec<Diagnostic>> = catalog
        .entities
        .par_iter()
        .map(|entity| match known.and_then(|known| known.get(entity, &schemas)) {
            Some(found) => found.clone(),
            None => check_entity(&catalog, &schemas, entity),
        })
        .collect();
    diagnostics.extend(entity_findings.iter().flatten().cloned());
    let mut scores = crate::scorecards::score(&rules.scorecards, &catalog, &derived, now);
    // Rego rules of scorecards are rules of the policies: the policies are loaded for them too.
    let rego = rules.scorecards.iter().any(cairn_scorecards::Scorecard::has_rego);

    let options = PolicyOptions { time_limit: Duration::from_millis(rules.settings.limits.policy_time_ms) };
    let (policies, found) = PolicySet::load(&rules.policies, options);
    diagnostics.extend(found);
    let mut packages = 0;
    if !policies.is_empty() || rego {
        let mut inputs = cairn_policy::entity_values(&catalog, revision);
        cairn_policy::resolve_query_relations(&mut inputs, &catalog, |entity, relation| {
            derived.relations.targets(entity, relation)
        });
        // Computed properties are among `input.properties`, where Port's API returns them.
        for (position, input) in inputs.iter_mut().enumerate() {
            if let Some(computed) = derived.computed.of(position) {
                let computed =
                    computed.iter().map(|(name, value)| (Value::from(name.as_str()), Value::from(value.clone())));
                cairn_policy::add_properties(input, computed);
            }
        }
        let catalog_value = cairn_policy::catalog_value(&catalog, &inputs);
        let mut data = vec![
            (Value::from("catalog"), catalog_value),
            (Value::from("blueprints"), cairn_policy::blueprints_value(&catalog)),
        ];
        if let Some(base) = base {
            let changes = cairn_model::diff(base.catalog, &catalog);
            data.push((Value::from("change"), cairn_policy::change_value(&changes, base.revision, revision)));
        }
        let scorecards = |scores: &[crate::Score]| {
            (Value::from("scorecards"), crate::scorecards::policy_value(&rules.scorecards, scores, &catalog))
        };
        let with = |data: &[(Value, Value)], part: (Value, Value)| {
            Value::from(data.iter().cloned().chain([part]).collect::<std::collections::BTreeMap<_, _>>())
        };
        if rego {
            let data = with(&data, scorecards(&scores));
            let parts = (&catalog, &derived, now);
            diagnostics.extend(crate::scorecards::apply_rego(
                &rules.scorecards,
                &mut scores,
                &policies,
                data,
                &inputs,
                parts,
            ));
        }
        if !policies.is_empty() {
            let data = with(&data, scorecards(&scores));
            let warm = inputs.first().cloned().unwrap_or_else(Value::new_object);
            let (prepared, found) = policies.prepare(data, &warm);
            diagnostics.extend(found);
            packages = prepared.packages();
            diagnostics.extend(prepared.evaluate(&catalog, &inputs, revision));
        }
    }
    Judged { catalog, diagnostics, policies: packages, entity_findings, derived, scores }
}

/// Every request of the environments and of the workloads matched to `definitions`: those that
/// cannot be read, and those that match no definition or two equally specific ones, each on the
/// request's line. Requests are matched only when the platform declares a definition: without
/// any, nothing says which types exist (docs/golden-paths.md), and a large catalog pays nothing.
pub(crate) fn resource_findings(
    definitions: &[cairn_resources::Definition],
    workloads: &[Arc<cairn_score::Workload>],
    catalog: &Catalog,
) -> Vec<Diagnostic> {
    crate::orchestrate::request(catalog, workloads, definitions).1
}

/// What an outcome says was read (`Outcome::judged`, `rules`, `prefix`).
pub(crate) struct Described {
    pub judged: Origin,
    pub rules: Option<Origin>,
    pub prefix: String,
}

/// Sorts the findings and gathers what the report needs.
pub(crate) fn finish(
    Described { judged, rules, prefix }: Described,
    mut diagnostics: Vec<Diagnostic>,
    loaded: Loaded,
    catalog: Catalog,
    policies: usize,
) -> Outcome {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    let mut sources = SourceMap::new();
    let files = loaded.files.iter().filter(|file| !file.path().starts_with(BUNDLED_PREFIX)).count();
    for file in loaded.files {
        sources.insert(file);
    }
    Outcome {
        judged,
        rules,
        prefix,
        diagnostics,
        sources,
        catalog,
        files,
        policies,
        ignored: loaded.ignored,
        scorecards: Vec::new(),
        scores: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
