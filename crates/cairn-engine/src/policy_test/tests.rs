use cairn_policy::TestStatus;

use super::test_policies;
use crate::testing::{Files, Repo, findings};
use crate::verdict::Verdict;

const POLICY: &str = "package acme.tier\n\ndeny contains \"tier-1 needs on-call\" if {\n\tinput.properties.tier == \"tier-1\"\n\tnot input.properties.onCall\n}\n";

const TESTS: &str = "package acme.tier_test\n\nimport data.acme.tier\n\n\
    test_tier_1_without_on_call_is_denied if {\n\tcount(tier.deny) == 1 with input as {\"properties\": {\"tier\": \"tier-1\"}}\n}\n\n\
    test_tier_1_with_on_call_is_denied if {\n\tcount(tier.deny) == 1 with input as {\"properties\": {\"tier\": \"tier-1\", \"onCall\": \"x\"}}\n}\n";

const BROKEN: &str = "package acme.broken\n\ndeny contains msg if {\n\tmsg := \"a\" +\n}\n";

/// Each test as `name: passed` or `name: failed`, in report order.
fn results(files: Files, select: &dyn Fn(&str) -> bool) -> (Vec<String>, Vec<String>, Verdict) {
    let repo = Repo::with(files);
    let outcome = test_policies(repo.path(), select).expect("a test run");
    let results = outcome
        .report
        .results
        .iter()
        .map(|result| {
            let status = match result.status {
                TestStatus::Passed => "passed",
                TestStatus::Failed(_) => "failed",
                TestStatus::Skipped => "skipped",
            };
            format!("{}: {status}", result.name)
        })
        .collect();
    (results, findings(&outcome.diagnostics), outcome.verdict())
}

/// A test run: its files, which tests it selects, and what it should find.
struct Case {
    name: &'static str,
    files: Files<'static>,
    select: fn(&str) -> bool,
    results: &'static [&'static str],
    findings: &'static [&'static str],
    verdict: Verdict,
}

const BOTH: &[&str] = &[
    "data.acme.tier_test.test_tier_1_without_on_call_is_denied: passed",
    "data.acme.tier_test.test_tier_1_with_on_call_is_denied: failed",
];

#[test]
fn policy_tests_pass_fail_or_cannot_run() {
    let cases = [
        Case {
            name: "a folder of Rego files",
            files: &[("tier.rego", POLICY), ("tier_test.rego", TESTS)],
            select: |_| true,
            results: BOTH,
            findings: &[],
            verdict: Verdict::Fail,
        },
        Case {
            name: "a platform repository, through its policies folder only",
            files: &[
                ("cairn.yaml", "version: 1\n"),
                ("policies/tier.rego", POLICY),
                ("policies/tier_test.rego", TESTS),
                ("elsewhere/broken.rego", BROKEN),
            ],
            select: |_| true,
            results: BOTH,
            findings: &[],
            verdict: Verdict::Fail,
        },
        Case {
            name: "the passing test selected",
            files: &[("tier.rego", POLICY), ("tier_test.rego", TESTS)],
            select: |name| name.ends_with("without_on_call_is_denied"),
            results: &["data.acme.tier_test.test_tier_1_without_on_call_is_denied: passed"],
            findings: &[],
            verdict: Verdict::Pass,
        },
        Case {
            name: "a broken policy: no test runs",
            files: &[("tier.rego", POLICY), ("tier_test.rego", TESTS), ("broken.rego", BROKEN)],
            select: |_| true,
            results: &[],
            findings: &["E0503 broken.rego"],
            verdict: Verdict::Broken,
        },
        Case {
            name: "no tests",
            files: &[("tier.rego", POLICY)],
            select: |_| true,
            results: &[],
            findings: &[],
            verdict: Verdict::Pass,
        },
    ];
    for case in cases {
        let (results, found, verdict) = results(case.files, &case.select);
        assert_eq!(results, case.results, "{}", case.name);
        assert_eq!(found, case.findings, "{}", case.name);
        assert_eq!(verdict, case.verdict, "{}", case.name);
    }
}
