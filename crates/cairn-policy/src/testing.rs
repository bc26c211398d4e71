//! `cairn policy test`: runs every `test_*` rule, as `opa test` does. A test passes only when it
//! evaluates to exactly `true`; `todo_test_*` rules are listed as skipped.

use std::sync::Arc;
use std::time::{Duration, Instant};

use cairn_diagnostics::{Diagnostic, Location, SourceFile};
use regorus::Value;

use crate::error::parse_engine_message;
use crate::input::object;
use crate::policy_set::{PolicyOptions, PolicySet};

/// How one test went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TestStatus {
    Passed,
    /// Why: what the rule evaluated to, or the error it raised.
    Failed(String),
    Skipped,
}

/// One test's result.
#[derive(Clone, Debug)]
pub struct TestResult {
    /// `data.acme.reliability_test.test_tier_one_needs_on_call`.
    pub name: String,
    pub location: Location,
    pub status: TestStatus,
    pub duration: Duration,
}

/// Every test that ran, in the order of their packages and files.
#[derive(Clone, Debug, Default)]
pub struct TestReport {
    pub results: Vec<TestResult>,
}

impl TestReport {
    #[must_use]
    pub fn passed(&self) -> usize {
        self.results.iter().filter(|result| result.status == TestStatus::Passed).count()
    }

    #[must_use]
    pub fn failed(&self) -> usize {
        self.results.iter().filter(|result| matches!(result.status, TestStatus::Failed(_))).count()
    }
}

/// Loads `files` (policies and their `_test.rego` files) and runs the tests whose full name
/// (`data.pkg.test_name`) `select` accepts. Findings are the problems of the policies
/// themselves; when there are any that break the set, no test runs.
pub fn run_tests(
    files: &[Arc<SourceFile>],
    options: PolicyOptions,
    select: &dyn Fn(&str) -> bool,
) -> (TestReport, Vec<Diagnostic>) {
    let (set, diagnostics) = PolicySet::load(files, options);
    if diagnostics.iter().any(|diagnostic| diagnostic.code.breaks_rules()) {
        return (TestReport::default(), diagnostics);
    }
    let mut engine = set.engine.clone();
    let data = object([("cairn", object([("catalog", Value::new_object()), ("blueprints", Value::new_object())]))]);
    if let Err(error) = engine.add_data(data) {
        unreachable!("adding an object to empty data cannot conflict: {error}");
    }
    engine.set_input(Value::new_object());
    let mut report = TestReport::default();
    let mut tests: Vec<_> = set.tests.iter().filter(|test| select(&test.path)).collect();
    tests.sort_by(|a, b| (&a.location.file, a.location.start).cmp(&(&b.location.file, b.location.start)));
    for test in tests {
        let started = Instant::now();
        let status = if test.todo {
            TestStatus::Skipped
        } else {
            match engine.eval_rule(test.path.clone()) {
                Ok(Value::Bool(true)) => TestStatus::Passed,
                Ok(Value::Undefined) => TestStatus::Failed("undefined: a condition of the test was not met".into()),
                Ok(other) => TestStatus::Failed(format!(
                    "evaluated to `{}`, not `true`",
                    other.to_json_str().unwrap_or_else(|_| "…".into())
                )),
                Err(error) => {
                    let parsed = parse_engine_message(&error.to_string());
                    let place = parsed.file.map(|file| format!(" at {file}:{}:{}", parsed.line, parsed.column));
                    TestStatus::Failed(format!("error{}: {}", place.unwrap_or_default(), parsed.message))
                }
            }
        };
        report.results.push(TestResult {
            name: test.path.clone(),
            location: test.location.clone(),
            status,
            duration: started.elapsed(),
        });
    }
    (report, diagnostics)
}
