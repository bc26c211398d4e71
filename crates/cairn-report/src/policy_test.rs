//! `cairn policy test` for machines: JSON, and JUnit XML for the test reports of CI systems.
//!
//! A test is passed, failed or skipped. Skipped means a `todo_test_*` rule: listed and not run,
//! as `opa test` lists it. Tests that `--run` leaves out are not part of the run at all, so they
//! are not listed or counted. Problems of the policies themselves (a file that does not parse, a
//! broken setting) are diagnostics; when they break the policy set, no test runs.

use std::fmt::Write as _;

use cairn_diagnostics::{Diagnostic, Severity};
use cairn_engine::PolicyTestOutcome;
use cairn_policy::{TestResult, TestStatus};
use serde::Serialize;

use crate::json::Finding;

#[derive(Serialize)]
struct Report<'a> {
    summary: Summary,
    tests: Vec<Test<'a>>,
    diagnostics: Vec<Finding<'a>>,
}

#[derive(Serialize)]
struct Summary {
    passed: usize,
    failed: usize,
    skipped: usize,
    /// Problems of the policies themselves that are errors.
    errors: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Test<'a> {
    /// `data.acme.reliability_test.test_tier_one_needs_on_call`.
    name: &'a str,
    /// `passed`, `failed` or `skipped`.
    status: &'static str,
    /// Why a test failed.
    message: Option<&'a str>,
    file: &'a str,
    line: u32,
    /// How long the test ran; the only part of the report that differs between two runs.
    duration_ms: f64,
}

fn status(result: &TestResult) -> (&'static str, Option<&str>) {
    match &result.status {
        TestStatus::Passed => ("passed", None),
        TestStatus::Failed(why) => ("failed", Some(why)),
        TestStatus::Skipped => ("skipped", None),
    }
}

/// How many tests were skipped.
pub(crate) fn skipped(outcome: &PolicyTestOutcome) -> usize {
    outcome.report.results.iter().filter(|result| result.status == TestStatus::Skipped).count()
}

fn errors(outcome: &PolicyTestOutcome) -> impl Iterator<Item = &Diagnostic> {
    outcome.diagnostics.iter().filter(|diagnostic| diagnostic.severity == Severity::Error)
}

/// The test run as one pretty-printed JSON document.
#[must_use]
pub fn policy_tests_json(outcome: &PolicyTestOutcome) -> String {
    let report = Report {
        summary: Summary {
            passed: outcome.report.passed(),
            failed: outcome.report.failed(),
            skipped: skipped(outcome),
            errors: errors(outcome).count(),
        },
        tests: outcome
            .report
            .results
            .iter()
            .map(|result| {
                let (status, message) = status(result);
                Test {
                    name: &result.name,
                    status,
                    message,
                    file: &result.location.file,
                    line: result.location.start.line,
                    duration_ms: result.duration.as_secs_f64() * 1000.0,
                }
            })
            .collect(),
        diagnostics: outcome.diagnostics.iter().map(|diagnostic| Finding::new(diagnostic, "")).collect(),
    };
    crate::json::pretty(&report)
}

/// The test run as JUnit XML, which the test reports of GitLab, Jenkins and GitHub Actions
/// (through a reporter action) read.
///
/// The shape follows the Ant JUnit schema as Jenkins and GitLab read it
/// (<https://github.com/windyroad/JUnit-Schema/blob/master/JUnit.xsd>,
/// <https://docs.gitlab.com/ee/ci/testing/unit_test_reports.html>): one `<testsuites>`, one
/// `<testsuite>` per Rego package of tests, one `<testcase>` per test with its package as
/// `classname`, a `<failure message="…">` for a failed test and `<skipped/>` for a skipped one.
/// Problems of the policies that are errors are `<testcase>`s of a suite named `cairn` with an
/// `<error>`, so a run that could not test anything never shows as green.
#[must_use]
pub fn policy_tests_junit(outcome: &PolicyTestOutcome) -> String {
    let mut suites: Vec<(&str, Vec<&TestResult>)> = Vec::new();
    for result in &outcome.report.results {
        let package = result.name.rsplit_once('.').map_or("", |(package, _)| package);
        match suites.iter_mut().find(|(name, _)| *name == package) {
            Some((_, results)) => results.push(result),
            None => suites.push((package, vec![result])),
        }
    }
    let errors: Vec<&Diagnostic> = errors(outcome).collect();
    let seconds = |results: &[&TestResult]| results.iter().map(|result| result.duration.as_secs_f64()).sum::<f64>();
    let all: Vec<&TestResult> = outcome.report.results.iter().collect();

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "<testsuites name=\"cairn policy test\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.6}\">",
        all.len() + errors.len(),
        outcome.report.failed(),
        errors.len(),
        skipped(outcome),
        seconds(&all),
    );
    for (package, results) in &suites {
        let count = |wanted: fn(&TestStatus) -> bool| results.iter().filter(|result| wanted(&result.status)).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{:.6}\">",
            escape(package),
            results.len(),
            count(|status| matches!(status, TestStatus::Failed(_))),
            count(|status| *status == TestStatus::Skipped),
            seconds(results),
        );
        for result in results {
            let name = result.name.rsplit_once('.').map_or(result.name.as_str(), |(_, name)| name);
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"{:.6}\"",
                escape(name),
                escape(package),
                escape(&result.location.file),
                result.location.start.line,
                result.duration.as_secs_f64(),
            );
            let _ = match &result.status {
                TestStatus::Passed => writeln!(out, "/>"),
                TestStatus::Skipped => writeln!(out, ">\n      <skipped/>\n    </testcase>"),
                TestStatus::Failed(why) => writeln!(
                    out,
                    ">\n      <failure message=\"{}\" type=\"failure\">{}</failure>\n    </testcase>",
                    escape(why),
                    escape(&format!("{}:{}: {why}", result.location.file, result.location.start.line)),
                ),
            };
        }
        out.push_str("  </testsuite>\n");
    }
    if !errors.is_empty() {
        let _ = writeln!(
            out,
            "  <testsuite name=\"cairn\" tests=\"{0}\" failures=\"0\" errors=\"{0}\" skipped=\"0\" time=\"0\">",
            errors.len()
        );
        for diagnostic in errors {
            let place = diagnostic
                .location
                .as_ref()
                .map(|location| format!("{}:{}:{}", location.file, location.start.line, location.start.column));
            let name = match &place {
                Some(place) => format!("{} {place}", diagnostic.code_name()),
                None => diagnostic.code_name().to_owned(),
            };
            let mut detail = format!("{}[{}]: {}", diagnostic.severity, diagnostic.code_name(), diagnostic.message);
            if let Some(help) = &diagnostic.help {
                let _ = write!(detail, "\nhelp: {help}");
            }
            let _ = writeln!(
                out,
                "    <testcase name=\"{}\" classname=\"cairn\" time=\"0\">\n      <error message=\"{}\" type=\"{}\">{}</error>\n    </testcase>",
                escape(&name),
                escape(&diagnostic.message),
                escape(diagnostic.code_name()),
                escape(&detail),
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// `text` as XML 1.0 character data or an attribute value (double-quoted).
///
/// The five markup characters become entities; tab, line feed and carriage return become
/// character references, which keeps them in attribute values, where a parser would otherwise
/// normalise them to spaces (XML 1.0, 3.3.3 <https://www.w3.org/TR/xml/#AVNormalize>). Other
/// control characters cannot appear in XML 1.0 at all, not even as references (2.2
/// <https://www.w3.org/TR/xml/#charsets>), so they become U+FFFD.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use cairn_diagnostics::{Code, Location, SourceMap};
    use cairn_policy::TestReport;

    use super::*;

    fn result(name: &str, status: TestStatus) -> TestResult {
        TestResult {
            name: name.to_owned(),
            location: Location::file("policies/reliability_test.rego"),
            status,
            duration: Duration::from_micros(250),
        }
    }

    fn outcome(results: Vec<TestResult>, diagnostics: Vec<Diagnostic>) -> PolicyTestOutcome {
        PolicyTestOutcome { report: TestReport { results }, diagnostics, sources: SourceMap::new() }
    }

    #[test]
    fn escaping_covers_markup_line_breaks_and_characters_xml_cannot_hold() {
        assert_eq!(escape(r#"a<b>&"c"'d'"#), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
        assert_eq!(escape("one\ntwo\tthree\r"), "one&#10;two&#9;three&#13;");
        assert_eq!(escape("bell\u{7}nul\u{0}"), "bell\u{fffd}nul\u{fffd}");
        assert_eq!(escape("ünïcode ✓"), "ünïcode ✓");
    }

    /// The report parses as XML, and its elements and counts are what a JUnit reader expects,
    /// whatever the messages hold.
    #[test]
    fn junit_is_well_formed_and_counts_each_kind() {
        let hostile = "evaluated to `{\"a\": \"<b>&</b>\"}`\nnot `true`\u{1}]]>";
        let outcome = outcome(
            vec![
                result("data.acme.reliability_test.test_tier_one", TestStatus::Passed),
                result("data.acme.reliability_test.test_on_call", TestStatus::Failed(hostile.to_owned())),
                result("data.acme.reliability_test.todo_test_runbook", TestStatus::Skipped),
                result("data.acme.cost_test.test_budget", TestStatus::Passed),
            ],
            vec![
                Diagnostic::new(Code::PolicySyntax, "unexpected token `<`")
                    .at(Location::file("policies/broken & \"odd\".rego")),
            ],
        );
        let xml = policy_tests_junit(&outcome);
        let document = roxmltree::Document::parse(&xml).unwrap_or_else(|error| panic!("{error}\n{xml}"));
        let root = document.root_element();
        assert_eq!(root.tag_name().name(), "testsuites");
        let attribute = |node: roxmltree::Node, name| node.attribute(name).unwrap_or_default().to_owned();
        assert_eq!(
            ["tests", "failures", "errors", "skipped"].map(|name| attribute(root, name)),
            ["5", "1", "1", "1"].map(str::to_owned)
        );
        let suites: Vec<_> = root.children().filter(roxmltree::Node::is_element).collect();
        assert_eq!(
            suites.iter().map(|suite| attribute(*suite, "name")).collect::<Vec<_>>(),
            ["data.acme.reliability_test", "data.acme.cost_test", "cairn"]
        );
        let failure = document.descendants().find(|node| node.has_tag_name("failure")).expect("a <failure>");
        assert_eq!(failure.attribute("message"), Some(hostile.replace('\u{1}', "\u{fffd}").as_str()));
        assert_eq!(failure.parent().and_then(|case| case.attribute("name")), Some("test_on_call"));
        let skipped = document.descendants().find(|node| node.has_tag_name("skipped")).expect("a <skipped/>");
        assert_eq!(skipped.parent().and_then(|case| case.attribute("name")), Some("todo_test_runbook"));
        let error = document.descendants().find(|node| node.has_tag_name("error")).expect("an <error>");
        assert_eq!(error.attribute("type"), Some("E0503"));
        assert!(error.text().unwrap_or_default().starts_with("error[E0503]: unexpected token `<`"));
        let case = error.parent().expect("its testcase");
        assert_eq!(case.attribute("name"), Some("E0503 policies/broken & \"odd\".rego:1:1"));
    }

    #[test]
    fn json_lists_each_test_with_its_status_and_the_counts() {
        let outcome = outcome(
            vec![
                result("data.acme.reliability_test.test_tier_one", TestStatus::Passed),
                result("data.acme.reliability_test.test_on_call", TestStatus::Failed("undefined".to_owned())),
                result("data.acme.reliability_test.todo_test_runbook", TestStatus::Skipped),
            ],
            Vec::new(),
        );
        let report: serde_json::Value = serde_json::from_str(&policy_tests_json(&outcome)).expect("JSON");
        assert_eq!(report["summary"], serde_json::json!({"passed": 1, "failed": 1, "skipped": 1, "errors": 0}));
        let tests = report["tests"].as_array().expect("a list");
        assert_eq!(
            tests.iter().map(|test| (test["status"].as_str(), test["message"].as_str())).collect::<Vec<_>>(),
            [(Some("passed"), None), (Some("failed"), Some("undefined")), (Some("skipped"), None)]
        );
        assert_eq!(tests[0]["file"], "policies/reliability_test.rego");
        assert_eq!(tests[0]["line"], 1);
        assert!(tests[0]["durationMs"].is_f64(), "{}", tests[0]);
    }
}
