//! The `cairn` command end to end: the bundled example, Port's own example, planted errors,
//! hostile files, `init`, and exit codes.

mod support;

use std::fs;

use support::{cairn, check_json, copy_tree, finding_lines, project_dir, tests_dir};

#[test]
fn the_bundled_example_is_clean() {
    let run = cairn(&project_dir(), &["check", "examples/acme"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    insta::assert_snapshot!(run.stdout, @r"
    info: scorecard `production-readiness` on Component: 0 Basic, 2 Bronze, 13 Silver, 6 Gold (21 entities; `cairn scorecard` shows the rules)
    checked 87 entities and 8 blueprints from 120 files of `examples/acme` with 9 policies: no findings
    ");
}

#[test]
fn ports_own_example_loads_unchanged_with_zero_findings() {
    let (code, report) = check_json(&tests_dir().join("fixtures/port-example"), &[]);
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["entities"], 9);
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 0);
    assert_eq!(report["diagnostics"], serde_json::json!([]));
}

/// Plants one error per line in a copy of the example and expects each reported at its line.
#[test]
fn planted_errors_in_the_example_are_reported_at_their_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&project_dir().join("examples/acme"), dir.path());
    let plant = |file: &str, from: &str, to: &str| -> (String, usize) {
        let path = dir.path().join(file);
        let text = fs::read_to_string(&path).expect("the example file exists");
        assert!(text.contains(from), "{file} contains {from}");
        let text = text.replacen(from, to, 1);
        fs::write(&path, &text).expect("write the planted error");
        let line = text.lines().position(|line| line.contains(to.lines().next().unwrap_or(to))).expect("planted") + 1;
        (file.to_owned(), line)
    };
    let expected = [
        (plant("catalog/commerce/checkout/checkout-service.yaml", "lifecycle: production", "lifecycle: live"), "E0303"),
        (plant("catalog/commerce/checkout/cart-service.yaml", "system: checkout", "system: checkuot"), "E0309"),
        (plant("catalog/fulfilment/orders/order-service.yaml", "team: ", "team: nobody\nicon: "), "E0313"),
        (plant("environments/dev-alice-checkout.yaml", "ttl: 5d", "ttl: 5 days"), "E0303"),
        (plant("catalog/commerce/checkout/pricing-engine.yaml", "title: ", "title: “Pricing: engine”\nx: "), "E0101"),
    ];
    fs::write(dir.path().join("catalog/again.yaml"), "identifier: checkout-service\nblueprint: Component\n")
        .expect("write a duplicate");

    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let findings = report["diagnostics"].as_array().expect("a list");
    for ((file, line), code) in expected {
        assert!(
            findings.iter().any(|d| d["file"] == file.as_str() && d["line"] == line && d["code"] == code),
            "{code} expected at {file}:{line}; found:\n{}",
            finding_lines(&report).join("\n")
        );
    }
    // The duplicate names both places: the one reported, and the first declaration in path order.
    let duplicate = findings.iter().find(|d| d["code"] == "E0304").expect("the duplicate is reported");
    assert_eq!(duplicate["file"], "catalog/commerce/checkout/checkout-service.yaml");
    assert_eq!(duplicate["related"][0]["file"], "catalog/again.yaml");
    assert_eq!(duplicate["related"][0]["line"], 1);
}

#[test]
fn deep_nesting_is_a_finding_not_a_crash() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join("catalog")).expect("catalog folder");
    let depth = 10_000;
    // Block nesting grows by its indentation, so 200 levels stand for any depth past the limit.
    let block: Vec<String> = (0..200).map(|level| format!("{}k:", " ".repeat(level))).collect();
    let block = block.join("\n");
    fs::write(dir.path().join("catalog/block.yaml"), block).expect("write");
    fs::write(dir.path().join("catalog/flow.yaml"), format!("{}{}", "[".repeat(depth), "]".repeat(depth)))
        .expect("write");
    fs::write(dir.path().join("catalog/deep.json"), format!("{}{}", "[".repeat(depth), "]".repeat(depth)))
        .expect("write");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    // Every file failed to parse, so no entity was read either (W0701).
    insta::assert_snapshot!(finding_lines(&report).join("\n"), @r"
    null:null:null W0701 warning no entity was read: `catalog/` and `environments/` hold none
    catalog/block.yaml:65:65 E0105 error values nest deeper than 64 levels
    catalog/deep.json:1:65 E0105 error values nest deeper than 64 levels
    catalog/flow.yaml:1:256 E0105 error values nest deeper than 64 levels
    ");
}

#[test]
fn a_file_that_is_not_utf8_is_located() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join("catalog")).expect("catalog folder");
    fs::write(dir.path().join("catalog/latin1.yaml"), b"identifier: cafe\ntitle: Caf\xe9\nblueprint: Domain\n")
        .expect("write");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        finding_lines(&report),
        [
            "null:null:null W0701 warning no entity was read: `catalog/` and `environments/` hold none",
            "catalog/latin1.yaml:2:11 E0106 error the file is not UTF-8 text"
        ]
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_never_followed() {
    let outside = tempfile::tempdir().expect("temp dir");
    fs::write(outside.path().join("secret.yaml"), "identifier: leaked\nblueprint: Domain\n").expect("write");
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join("catalog")).expect("catalog folder");
    std::os::unix::fs::symlink(outside.path().join("secret.yaml"), dir.path().join("catalog/link.yaml"))
        .expect("symlink");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("catalog/linked-folder")).expect("symlink");
    let (code, report) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["entities"], 0, "nothing was read through a link");
    insta::assert_snapshot!(finding_lines(&report).join("\n"), @r"
    null:null:null W0701 warning no entity was read: `catalog/` and `environments/` hold none
    catalog/link.yaml:1:1 E0108 error `catalog/link.yaml` is a symbolic link, which cairn never follows
    catalog/linked-folder:1:1 E0108 error `catalog/linked-folder` is a symbolic link, which cairn never follows
    ");
}

#[test]
fn verbose_names_each_file_it_does_not_read_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("catalog")).expect("catalog folder");
    fs::create_dir_all(dir.path().join("docs")).expect("docs folder");
    fs::write(dir.path().join("catalog/notes.md"), "# notes\n").expect("write");
    fs::write(dir.path().join("docs/guide.yaml"), "a: 1\n").expect("write");
    let quiet = cairn(dir.path(), &["check"]);
    assert_eq!(quiet.code, 0);
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
    let verbose = cairn(dir.path(), &["check", "--verbose"]);
    assert_eq!(verbose.code, 0);
    for path in ["catalog/notes.md", "docs/guide.yaml"] {
        assert_eq!(verbose.stderr.matches(&format!("`{path}`")).count(), 1, "{}", verbose.stderr);
    }
}

#[test]
fn exit_code_two_for_usage_errors_and_unopenable_repositories() {
    let dir = tempfile::tempdir().expect("temp dir");
    let usage = cairn(dir.path(), &["check", "--no-such-flag"]);
    assert_eq!(usage.code, 2);
    let missing = cairn(dir.path(), &["check", "does-not-exist"]);
    assert_eq!(missing.code, 2);
    assert_eq!(missing.stderr, "error: `does-not-exist` is not a directory\n");
    let not_git = cairn(dir.path(), &["check", "--rev", "HEAD"]);
    assert_eq!(not_git.code, 2);
    assert!(not_git.stderr.starts_with("error: `.` is not in a git repository"), "{}", not_git.stderr);
}

#[test]
fn init_writes_a_repository_that_passes_check_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("platform");
    let run = cairn(dir.path(), &["init", "platform"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for path in
        ["README.md", "cairn.yaml", "blueprints/component.yaml", "catalog/teams.yaml", "environments/dev-example.yaml"]
    {
        assert!(target.join(path).is_file(), "{path} was written");
    }
    let (code, report) = check_json(&target, &[]);
    assert_eq!(code, 0, "{}", finding_lines(&report).join("\n"));
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 0);
    assert!(report["summary"]["entities"].as_u64() >= Some(5));

    // The workflow `init` writes is the one examples/acme documents.
    let workflow = std::fs::read_to_string(target.join(".github/workflows/cairn.yaml")).expect("a workflow");
    let example = std::fs::read_to_string(project_dir().join("examples/acme/.github/workflows/cairn.yaml"))
        .expect("the example's workflow");
    assert_eq!(workflow, example);
    assert!(workflow.lines().any(|line| line.trim() == "pull_request:"));
    assert!(!workflow.lines().any(|line| line.trim().starts_with("pull_request_target")));
    assert!(workflow.contains("fetch-depth: 0"));

    let again = cairn(dir.path(), &["init", "platform"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("is not empty"), "{}", again.stderr);
}

#[test]
fn policy_tests_of_the_library_and_the_example_pass_with_one_closing_line() {
    for path in ["policies", "examples/acme"] {
        let run = cairn(&project_dir(), &["policy", "test", path]);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        let lines: Vec<&str> = run.stdout.lines().collect();
        let last = lines.last().expect("a closing line");
        assert!(last.ends_with(" passed, 0 failed, 0 skipped"), "{last}");
        let passed: usize = last.split(' ').next().and_then(|n| n.parse().ok()).expect("a count");
        assert_eq!(passed, lines.iter().filter(|line| line.starts_with("PASS ")).count());
        assert!(passed >= 10, "{path}: {passed} tests");
        assert_eq!(lines.iter().filter(|line| line.contains(" passed, ")).count(), 1);
    }
}

#[test]
fn policy_test_reports_failures_selects_with_run_and_says_which_builtins_exist() {
    let dir = tests_dir().join("rego-support");
    let run = cairn(&dir, &["policy", "test", "."]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let failures: Vec<&str> = run.stdout.lines().filter(|line| line.starts_with("FAIL ")).collect();
    assert_eq!(
        failures,
        [
            "FAIL data.rego_unavailable_test.test_http_send (unavailable_test.rego:4): error at \
             unavailable_test.rego:4:28: could not find function http.send",
            "FAIL data.rego_unavailable_test.test_match_schema (unavailable_test.rego:6): error at \
             unavailable_test.rego:6:39: could not find function json.match_schema",
            "FAIL data.rego_unavailable_test.test_yaml (unavailable_test.rego:8): error at \
             unavailable_test.rego:8:26: could not find function yaml.marshal",
        ]
    );
    assert!(run.stdout.ends_with("10 passed, 3 failed, 0 skipped\n"), "{}", run.stdout);

    let run = cairn(&dir, &["policy", "test", ".", "--run", "support_test\\.test_(every|else)$"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        run.stdout.lines().map(|line| line.split(" (").next().unwrap_or(line)).collect::<Vec<_>>(),
        [
            "PASS data.rego_support_test.test_every",
            "PASS data.rego_support_test.test_else",
            "2 passed, 0 failed, 0 skipped"
        ]
    );

    let run = cairn(&dir, &["policy", "test", ".", "--run", "("]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("`--run`"), "{}", run.stderr);
}

#[test]
fn a_broken_policy_set_stops_policy_tests_with_exit_2() {
    let run = cairn(&tests_dir().join("cases/policy-syntax-error"), &["policy", "test", "."]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("policies/broken.rego:6:1"), "{}", run.stdout);
    assert!(run.stdout.ends_with("0 passed, 0 failed, 0 skipped\n"), "{}", run.stdout);
}

#[test]
fn github_workflow_commands_annotate_each_finding() {
    let (_temp, dir) = support::outside_git(&tests_dir().join("cases/policy-findings"));
    let run = cairn(&dir, &["check", ".", "--format", "github"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{}", run.stdout);
    assert_eq!(
        lines[0],
        "::error file=catalog/components.yaml,line=5,endLine=5,col=3,endColumn=13,title=cairn ACME001%3A Production \
         components can be operated::`checkout-api` is in production without an on-call rotation%0Ahelp: Someone is \
         paged when a production component breaks, and it is not tier-3."
    );
    assert!(lines[2].starts_with("::notice file=catalog/components.yaml,line=19,"), "a waived finding: {}", lines[2]);
    assert!(lines.iter().all(|line| line.starts_with("::") && !line.contains('\n')));
}

#[test]
fn sarif_has_one_rule_per_code_and_a_result_per_finding() {
    let run = cairn(&tests_dir().join("cases/policy-findings"), &["check", ".", "--format", "sarif"]);
    assert_eq!(run.code, 1);
    let log: serde_json::Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "cairn");
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().expect("an id"))
        .collect();
    assert_eq!(rules, ["ACME001", "ACME002", "ACME003", "E0602", "W0603"]);
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 7);
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("an index") as usize;
        assert_eq!(result["ruleId"], rules[index]);
        assert!(["error", "warning"].contains(&result["level"].as_str().expect("a level")));
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().expect("a line") >= 1);
    }
    let waived: Vec<&serde_json::Value> = results.iter().filter(|r| r.get("suppressions").is_some()).collect();
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0]["suppressions"][0]["kind"], "external");
}

/// The engine never reads the clock: `--now` says what time it is, so a waiver's expiry is
/// decided by the instant given (waivers hold through their expiry day in UTC).
#[test]
fn the_clock_is_an_argument() {
    let dir = tests_dir().join("cases/policy-findings");
    let expired = |now: &str| -> Vec<String> {
        let (_, report) = check_json(&dir, &["--now", now]);
        finding_lines(&report).into_iter().filter(|line| line.contains(" E0602 ")).collect()
    };
    assert_eq!(expired("2020-01-31T23:59:59Z"), Vec::<String>::new());
    // 23:30 on the last day, two hours west of UTC, is already the next day in UTC.
    assert_eq!(expired("2020-01-31T23:30:00-02:00").len(), 1);
    let by_2099 = expired("2099-01-01T00:00:00Z");
    assert_eq!(by_2099.len(), 1, "{by_2099:?}");
    assert!(by_2099[0].contains("expired on 2020-01-31"), "{by_2099:?}");
    assert_eq!(expired("2100-01-01").len(), 3);

    let run = cairn(&dir, &["check", ".", "--now", "next tuesday"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--now") && run.stderr.contains("RFC 3339"), "{}", run.stderr);
}
