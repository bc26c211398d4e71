//! Judging a catalog: a loaded policy set is prepared with the catalog's data, then per-entity
//! packages run once for each entity, in parallel (one engine clone per rayon worker, cloned from
//! the prepared one), and catalog packages once. Results become findings at the entity, or at the
//! field they name; errors become findings at the policy.

use std::collections::BTreeMap;
use std::sync::Arc;

use cairn_diagnostics::{Code, Diagnostic, Location, SourceFile};
use cairn_model::{Catalog, Entity, EntityRef};
use rayon::prelude::*;
use regorus::{Engine, Value};

use crate::error::engine_diagnostic;
use crate::input::object;
use crate::metadata::Scope;
use crate::policy_set::{Package, PolicySet, Rule};
use crate::results::{RuleResult, exception_names, read_results};

/// A policy set with the catalog's data added and every rule evaluated once: cheap to clone.
#[derive(Clone)]
pub struct Prepared {
    pub(crate) engine: Engine,
    pub(crate) packages: Vec<Package>,
    pub(crate) files: Vec<Arc<SourceFile>>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared").field("packages", &self.packages.len()).finish_non_exhaustive()
    }
}

// Preparing is the first step of judging, so it lives here: the policy set knows nothing of
// `Prepared`, and this module depends on the policy set, never the other way round.
impl PolicySet {
    /// Adds `data` under `data.cairn`, then evaluates every rule once (with `input` set to
    /// `warm_input`) so that errors that regorus raises only at evaluation, such as an unknown
    /// function or an unsafe variable, are found before any entity is judged, and so that
    /// clones of the engine are cheap. Packages with such errors are left out.
    #[must_use]
    pub fn prepare(&self, data: Value, warm_input: &Value) -> (Prepared, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let mut engine = self.engine.clone();
        let mut root = BTreeMap::new();
        root.insert(Value::from("cairn"), data);
        if let Err(error) = engine.add_data(Value::from(root)) {
            diagnostics.push(engine_diagnostic(Code::PolicyRuntime, &error, &self.files, None));
        }
        let mut packages = Vec::new();
        for package in &self.packages {
            if package.rules.is_empty() {
                continue;
            }
            let input = match package.scope {
                Scope::Entity => warm_input.clone(),
                Scope::Catalog => catalog_input(None),
            };
            engine.set_input(input);
            let mut broken = false;
            let rules = package.rules.iter().map(|rule| rule.info.path.clone());
            let exception = package.has_exception.then(|| format!("data.{}.exception", package.name));
            for path in rules.chain(exception) {
                if let Err(error) = engine.eval_rule(path.clone()) {
                    let fallback =
                        package.rules.iter().find(|rule| rule.info.path == path).map(|rule| rule.location.clone());
                    diagnostics.push(engine_diagnostic(Code::PolicyRuntime, &error, &self.files, fallback));
                    broken = true;
                }
            }
            if !broken {
                packages.push(package.clone());
            }
        }
        (Prepared { engine, packages, files: self.files.clone() }, diagnostics)
    }
}

/// The `input` of catalog rules.
#[must_use]
pub fn catalog_input(revision: Option<&str>) -> Value {
    object([("revision", revision.map_or(Value::Null, Value::from))])
}

/// What identifies one failure: its code, message and place (`file:line`).
type FailureKey = (Code, String, Option<String>);

/// Where a failure is, how many entities raised it, and the first of them.
type FailureSeen = (Option<Location>, usize, Option<EntityRef>);

/// A failure of a rule, gathered over entities so that one broken rule is one finding.
#[derive(Default)]
struct Failures(BTreeMap<FailureKey, FailureSeen>);

impl Failures {
    fn add(&mut self, diagnostic: Diagnostic, entity: Option<&Entity>) {
        let key = (
            diagnostic.code,
            diagnostic.message.clone(),
            diagnostic.location.as_ref().map(|l| format!("{}:{}", l.file, l.start.line)),
        );
        let entry = self.0.entry(key).or_insert((diagnostic.location, 0, entity.map(Entity::reference)));
        entry.1 += 1;
    }

    fn merge(&mut self, other: Failures) {
        for (key, (location, count, first)) in other.0 {
            let entry = self.0.entry(key).or_insert((location, 0, first));
            entry.1 += count;
        }
    }

    fn into_diagnostics(self) -> impl Iterator<Item = Diagnostic> {
        self.0.into_iter().map(|((code, message, _), (location, count, first))| {
            let mut diagnostic = Diagnostic::new(code, message);
            diagnostic.location = location;
            let help = match (first, count) {
                (Some(first), 1) => format!("raised while judging `{first}`; the platform's rules could not all be evaluated"),
                (Some(first), count) => format!(
                    "raised while judging {count} entities, first `{first}`; the platform's rules could not all be evaluated"
                ),
                (None, _) => "raised while judging the catalog; the platform's rules could not all be evaluated".into(),
            };
            diagnostic.with_help(help)
        })
    }
}

#[derive(Default)]
struct Judged {
    findings: Vec<Diagnostic>,
    failures: Failures,
}

impl Judged {
    fn merge(mut self, other: Judged) -> Judged {
        self.findings.extend(other.findings);
        self.failures.merge(other.failures);
        self
    }
}

impl Prepared {
    /// How many packages judge the catalog (those whose rules all evaluated when prepared).
    #[must_use]
    pub fn packages(&self) -> usize {
        self.packages.iter().filter(|package| !package.rules.is_empty()).count()
    }

    /// Evaluates the rule at `path` (`data.<package>.<rule>`) once for each of `inputs`, in
    /// parallel (one engine clone per worker): whether it is exactly `true`, as `opa test` passes
    /// a test, or the error that stopped it (a rule that does not exist is one).
    #[must_use]
    pub fn evaluate_rule(&self, path: &str, inputs: &[&Value]) -> Vec<Result<bool, String>> {
        inputs
            .par_iter()
            .map_init(
                || self.engine.clone(),
                |engine, input| {
                    engine.set_input((*input).clone());
                    engine.eval_rule(path.to_owned()).map(|value| value == Value::Bool(true)).map_err(|e| e.to_string())
                },
            )
            .collect()
    }

    /// Judges `catalog`: `inputs` are its entities as Rego values, in catalog order.
    #[must_use]
    pub fn evaluate(&self, catalog: &Catalog, inputs: &[Value], revision: Option<&str>) -> Vec<Diagnostic> {
        let per_entity: Vec<&Package> = self.packages.iter().filter(|p| p.scope == Scope::Entity).collect();
        let mut judged = Judged::default();
        if !per_entity.is_empty() {
            judged = catalog
                .entities
                .par_iter()
                .zip(inputs.par_iter())
                .fold(
                    || (self.engine.clone(), Judged::default()),
                    |(mut engine, mut judged), (entity, input)| {
                        engine.set_input(input.clone());
                        for package in &per_entity {
                            self.judge(&mut engine, package, Some(entity), catalog, &mut judged);
                        }
                        (engine, judged)
                    },
                )
                .map(|(_, judged)| judged)
                .reduce(Judged::default, Judged::merge);
        }
        let mut engine = self.engine.clone();
        engine.set_input(catalog_input(revision));
        for package in self.packages.iter().filter(|p| p.scope == Scope::Catalog) {
            self.judge(&mut engine, package, None, catalog, &mut judged);
        }
        let mut diagnostics = judged.findings;
        diagnostics.extend(judged.failures.into_diagnostics());
        diagnostics
    }

    fn judge(
        &self,
        engine: &mut Engine,
        package: &Package,
        entity: Option<&Entity>,
        catalog: &Catalog,
        judged: &mut Judged,
    ) {
        let mut excluded = Vec::new();
        if package.has_exception {
            let path = format!("data.{}.exception", package.name);
            match engine.eval_rule(path.clone()).map_err(|e| e.to_string()) {
                Ok(value) => match exception_names(&value) {
                    Ok(names) => excluded = names,
                    Err(problem) => {
                        let diagnostic = Diagnostic::new(Code::PolicyResult, format!("`{path}` {problem}"))
                            .at(package.location.clone());
                        judged.failures.add(diagnostic, entity);
                    }
                },
                Err(error) => self.failure(&error, Some(package.location.clone()), entity, judged),
            }
        }
        for rule in &package.rules {
            if excluded.iter().any(|name| name == rule.exception_name()) {
                continue;
            }
            let value = match engine.eval_rule(rule.info.path.clone()) {
                Ok(value) => value,
                Err(error) => {
                    self.failure(&error.to_string(), Some(rule.location.clone()), entity, judged);
                    continue;
                }
            };
            match read_results(&value) {
                Ok(results) => {
                    for result in results {
                        judged.findings.push(finding(rule, result, entity, catalog));
                    }
                }
                Err(problem) => {
                    let diagnostic = Diagnostic::new(Code::PolicyResult, format!("`{}` {problem}", rule.info.path))
                        .at(rule.location.clone());
                    judged.failures.add(diagnostic, entity);
                }
            }
        }
    }

    /// A runtime error of a rule, placed where regorus says, else at `fallback`.
    fn failure(&self, error: &str, fallback: Option<Location>, entity: Option<&Entity>, judged: &mut Judged) {
        judged.failures.add(engine_diagnostic(Code::PolicyRuntime, &error, &self.files, fallback), entity);
    }
}

/// A result as a finding: on the field it names, else on the entity.
fn finding(rule: &Rule, result: RuleResult, entity: Option<&Entity>, catalog: &Catalog) -> Diagnostic {
    let named = result.entity.as_ref().and_then(|reference| catalog.get(reference));
    let mut diagnostic = Diagnostic::new(rule.code(), result.msg).with_rule(Arc::clone(&rule.info));
    diagnostic.severity = rule.severity;
    diagnostic.help.clone_from(&rule.help);
    match entity.or(named) {
        Some(entity) => {
            diagnostic = diagnostic.with_entity(entity.reference()).at(entity.field_location(result.field.as_deref()));
        }
        None => {
            if let Some(reference) = result.entity {
                diagnostic = diagnostic.with_entity(reference);
            }
        }
    }
    diagnostic
}
