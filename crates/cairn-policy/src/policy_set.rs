//! A policy set: the Rego files that judge a catalog, loaded into one regorus engine, with the
//! packages and rules cairn evaluates (conftest's `deny`, `warn`, `violation` and their `_name`
//! forms), their METADATA, and every problem found in loading them as a located finding.

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, Location, PolicyRule, Severity, SourceFile};
use regorus::Engine;
use regorus::unstable::{Expr, Rule as AstRule, RuleHead, Span};
use regorus::utils::limits::ExecutionTimerConfig;

use crate::error::{engine_diagnostic, span_at};
use crate::metadata::{Annotation, Scope, Target, read_annotations};

/// How policies may run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyOptions {
    /// How long one rule may run for one input before it is stopped (`limits.policy-time`).
    pub time_limit: Duration,
}

impl Default for PolicyOptions {
    fn default() -> Self {
        PolicyOptions { time_limit: Duration::from_secs(5) }
    }
}

/// What a rule's results are: failures or warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    Deny,
    Warn,
}

/// A rule cairn evaluates.
#[derive(Clone, Debug)]
pub struct Rule {
    /// `deny`, `deny_missing_tier`, `warn`, …
    pub name: String,
    pub kind: RuleKind,
    pub severity: Severity,
    /// The METADATA description, as the finding's help.
    pub help: Option<String>,
    pub info: Arc<PolicyRule>,
    /// The rule's first definition.
    pub location: Location,
}

impl Rule {
    /// The name conftest's `exception` rules use for this rule: `deny_foo` is `foo`, `deny` is ``.
    #[must_use]
    pub fn exception_name(&self) -> &str {
        self.name.split_once('_').map_or("", |(_, rest)| rest)
    }

    pub(crate) fn code(&self) -> Code {
        match self.kind {
            RuleKind::Deny => Code::PolicyDeny,
            RuleKind::Warn => Code::PolicyWarn,
        }
    }
}

/// A package and the rules of it that cairn evaluates.
#[derive(Clone, Debug)]
pub struct Package {
    /// Without `data.`: `acme.reliability`.
    pub name: String,
    pub scope: Scope,
    pub rules: Vec<Rule>,
    /// Whether the package defines conftest's `exception` rule.
    pub has_exception: bool,
    /// Where the package is declared (its first file).
    pub location: Location,
}

/// The loaded policies, ready to be prepared with a catalog's data.
#[derive(Clone)]
pub struct PolicySet {
    pub(crate) engine: Engine,
    pub packages: Vec<Package>,
    pub files: Vec<Arc<SourceFile>>,
    /// Rules named `test_*` (and `todo_test_*`, which are skipped), for `cairn policy test`.
    pub tests: Vec<TestRule>,
}

/// A unit test of a policy: a rule named `test_*`, which passes when it is exactly `true`.
#[derive(Clone, Debug)]
pub struct TestRule {
    /// `data.acme.reliability_test.test_tier_one_needs_on_call`.
    pub path: String,
    pub location: Location,
    /// `todo_test_*`: listed, not run.
    pub todo: bool,
}

impl std::fmt::Debug for PolicySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicySet").field("packages", &self.packages).finish_non_exhaustive()
    }
}

/// Whether a rule name is one conftest evaluates, and as what.
#[must_use]
pub fn rule_kind(name: &str) -> Option<RuleKind> {
    let matches = |prefix: &str| name == prefix || name.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('_'));
    if matches("deny") || matches("violation") {
        Some(RuleKind::Deny)
    } else if matches("warn") {
        Some(RuleKind::Warn)
    } else {
        None
    }
}

impl PolicySet {
    /// Loads `files` (Rego source; tests included or not, as the caller chooses). Never fails:
    /// a file that does not parse is left out and reported.
    #[must_use]
    pub fn load(files: &[Arc<SourceFile>], options: PolicyOptions) -> (PolicySet, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let mut engine = new_engine(options);
        let mut loaded = Vec::new();
        for file in files {
            match engine.add_policy(file.path().to_owned(), file.text().to_owned()) {
                Ok(_) => loaded.push(Arc::clone(file)),
                Err(error) => diagnostics.push(engine_diagnostic(Code::PolicySyntax, &error, files, None)),
            }
        }
        let mut annotations: BTreeMap<&str, Vec<(Target, Annotation)>> = BTreeMap::new();
        for file in &loaded {
            let (found, problems) = read_annotations(file);
            annotations.insert(file.path(), found);
            diagnostics.extend(problems);
        }

        let mut packages: BTreeMap<String, Package> = BTreeMap::new();
        let mut package_annotations: BTreeMap<String, Annotation> = BTreeMap::new();
        let mut rule_annotations_by_path: BTreeMap<String, Annotation> = BTreeMap::new();
        let mut defined: BTreeSet<String> = BTreeSet::new();
        let mut imports = Vec::new();
        let mut tests: Vec<TestRule> = Vec::new();
        for module in engine.get_modules() {
            let Some(file) = file_of(files, &module.package.span) else { continue };
            let name = path_of(&module.package.refr);
            let file_annotations = annotations.get(file.path()).map_or(&[][..], Vec::as_slice);
            let mut rule_annotations = Vec::new();
            for (target, annotation) in file_annotations {
                match target {
                    Target::Package => {
                        let entry = package_annotations.entry(name.clone()).or_default();
                        *entry = annotation.or(entry);
                    }
                    Target::Rule(rule) => rule_annotations.push((rule.as_str(), annotation)),
                }
            }
            let package = packages.entry(name.clone()).or_insert_with(|| Package {
                name: name.clone(),
                scope: Scope::Entity,
                rules: Vec::new(),
                has_exception: false,
                location: location(&file, &module.package.span),
            });
            for import in &module.imports {
                imports.push((path_of(&import.refr), location(&file, &import.span)));
            }
            for rule in &module.policy {
                let AstRule::Spec { span, head, .. } = rule.as_ref() else {
                    if let AstRule::Default { refr, .. } = rule.as_ref() {
                        defined.insert(format!("{name}.{}", root_name(refr)));
                    }
                    continue;
                };
                let (refr, object_form) = match head {
                    RuleHead::Compr { refr, .. } => (refr, matches!(refr.as_ref(), Expr::RefBrack { .. })),
                    RuleHead::Set { refr, .. } | RuleHead::Func { refr, .. } => (refr, false),
                };
                let rule_name = root_name(refr);
                defined.insert(format!("{name}.{rule_name}"));
                let todo = rule_name.starts_with("todo_test_");
                let test_path = format!("data.{name}.{rule_name}");
                if (todo || rule_name.starts_with("test_")) && !tests.iter().any(|test| test.path == test_path) {
                    tests.push(TestRule { path: test_path, location: location(&file, span), todo });
                }
                if rule_name == "exception" {
                    package.has_exception = true;
                }
                let Some(kind) = rule_kind(&rule_name) else { continue };
                if object_form {
                    diagnostics.push(object_form_rule(&rule_name, location(&file, span)));
                    continue;
                }
                if package.rules.iter().any(|known| known.name == rule_name) {
                    continue;
                }
                let annotation = rule_annotations
                    .iter()
                    .find(|(target, _)| *target == rule_name)
                    .map(|(_, annotation)| (*annotation).clone())
                    .unwrap_or_default();
                rule_annotations_by_path.insert(format!("data.{name}.{rule_name}"), annotation);
                package.rules.push(Rule {
                    name: rule_name.clone(),
                    kind,
                    severity: Severity::Error,
                    help: None,
                    info: Arc::new(PolicyRule {
                        path: format!("data.{name}.{rule_name}"),
                        package: name.clone(),
                        code: None,
                        title: None,
                    }),
                    location: location(&file, span),
                });
            }
        }
        apply_annotations(&mut packages, &package_annotations, &mut rule_annotations_by_path);
        diagnostics.extend(missing_imports(&imports, &packages, &defined));
        let set = PolicySet { engine, packages: packages.into_values().collect(), files: loaded, tests };
        (set, diagnostics)
    }

    /// Whether any package has a rule cairn evaluates.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.packages.iter().all(|package| package.rules.is_empty())
    }
}

/// `deny[msg] if { … }`: an object in Rego v1, which conftest refuses as a results rule.
fn object_form_rule(name: &str, location: Location) -> Diagnostic {
    Diagnostic::new(Code::PolicySyntax, format!("`{name}[…] if` defines an object in Rego v1, not a set of results"))
        .at(location)
        .with_help(format!("write `{name} contains msg if {{ … }}`, as conftest requires"))
}

/// An engine with cairn's settings: Rego v1, builtin errors as OPA has them, and the time limit.
fn new_engine(options: PolicyOptions) -> Engine {
    let mut engine = Engine::new();
    // As OPA does: a builtin's error makes its expression undefined instead of failing.
    engine.set_strict_builtin_errors(false);
    engine.set_execution_timer_config(ExecutionTimerConfig {
        limit: options.time_limit,
        check_interval: NonZeroU32::new(64).expect("64 is not zero"),
    });
    engine
}

/// Shapes each rule by its METADATA: the rule's own block wins over its package's.
fn apply_annotations(
    packages: &mut BTreeMap<String, Package>,
    package_annotations: &BTreeMap<String, Annotation>,
    rule_annotations: &mut BTreeMap<String, Annotation>,
) {
    for package in packages.values_mut() {
        let outer = package_annotations.get(&package.name).cloned().unwrap_or_default();
        package.scope = outer.scope.unwrap_or(Scope::Entity);
        for rule in &mut package.rules {
            // The rule's own METADATA wins over its package's.
            let merged = rule_annotations.remove(&rule.info.path).unwrap_or_default().or(&outer);
            rule.severity = merged.severity.unwrap_or(match rule.kind {
                RuleKind::Deny => Severity::Error,
                RuleKind::Warn => Severity::Warning,
            });
            rule.help = merged.description;
            rule.info = Arc::new(PolicyRule {
                path: rule.info.path.clone(),
                package: package.name.clone(),
                code: merged.code,
                title: merged.title,
            });
        }
    }
}

/// Imports of `data.…` that no loaded policy defines: OPA would read them as undefined and
/// quietly judge nothing, so cairn says so.
fn missing_imports(
    imports: &[(String, Location)],
    packages: &BTreeMap<String, Package>,
    defined: &BTreeSet<String>,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (path, location) in imports {
        let Some(path) = path.strip_prefix("data.") else { continue };
        if path == "cairn"
            || ["cairn.catalog", "cairn.blueprints", "cairn.change"]
                .iter()
                .any(|known| path == *known || path.strip_prefix(known).is_some_and(|rest| rest.starts_with('.')))
        {
            continue;
        }
        let is_prefix = |name: &str| name == path || name.strip_prefix(path).is_some_and(|rest| rest.starts_with('.'));
        if packages.keys().any(|name| is_prefix(name)) || defined.contains(path) {
            continue;
        }
        diagnostics.push(
            Diagnostic::new(Code::PolicySyntax, format!("`import data.{path}`: no policy defines `data.{path}`"))
                .at(location.clone())
                .with_help(format!(
                    "known packages: {}",
                    packages.keys().map(|name| format!("`data.{name}`")).collect::<Vec<_>>().join(", ")
                )),
        );
    }
    diagnostics
}

fn file_of(files: &[Arc<SourceFile>], span: &Span) -> Option<Arc<SourceFile>> {
    let path = span.source.get_path();
    files.iter().find(|file| file.path() == path.as_str()).cloned()
}

fn location(file: &SourceFile, span: &Span) -> Location {
    let start = span_at(file, span.line, span.col).start;
    let end = (span.end as usize).min(file.text().len()) as u32;
    // regorus's byte offsets and ours agree (both index the same text); keep the line start.
    Location::new(file, ByteSpan::new(start, end.max(start)))
}

/// `a.b.c` of a reference such as a package or import path.
fn path_of(refr: &Expr) -> String {
    let mut parts = Vec::new();
    collect_path(refr, &mut parts);
    parts.join(".")
}

fn collect_path(expr: &Expr, parts: &mut Vec<String>) {
    match expr {
        Expr::RefDot { refr, field, .. } => {
            collect_path(refr, parts);
            parts.push(field.0.text().to_owned());
        }
        Expr::RefBrack { refr, index, .. } => {
            collect_path(refr, parts);
            let text = index.span().text();
            parts.push(text.trim_matches('"').to_owned());
        }
        other => parts.push(other.span().text().to_owned()),
    }
}

/// The first name of a rule head's reference: `deny` of `deny contains …` and of `deny[x]`.
fn root_name(expr: &Expr) -> String {
    match expr {
        Expr::RefDot { refr, .. } | Expr::RefBrack { refr, .. } => root_name(refr),
        other => other.span().text().to_owned(),
    }
}
