//! The everyday command-line expectations, end to end: shell completions, `--quiet`,
//! `--select`/`--ignore`, colour from the environment, no progress drawn into a pipe, the words
//! "error"/"warning" in human output, and `cairn policy test --format json|junit`.

mod support;

use std::fs;
use std::path::Path;
use std::process::Command;

use support::{GitRepo, cairn, cairn_with_env, copy_tree, project_dir};

/// A copy of the example platform with one misspelt relation: one E0309 error.
fn acme_with_one_error() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    copy_tree(&project_dir().join("examples/acme"), dir.path());
    plant_error(dir.path());
    dir
}

fn plant_error(root: &Path) {
    let file = root.join("catalog/commerce/checkout/cart-service.yaml");
    let text = fs::read_to_string(&file).expect("the cart service");
    assert!(text.contains("\n  system: checkout\n"), "the cart service belongs to the checkout system");
    fs::write(&file, text.replace("\n  system: checkout\n", "\n  system: checkuot\n")).expect("plant the error");
}

#[test]
fn completions_name_every_command_and_bash_accepts_the_script() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let run = cairn(dir.path(), &["completions", "bash"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for word in ["check", "plan", "policy", "ci", "init", "completions", "--select", "--ignore", "--quiet"] {
        assert!(run.stdout.contains(word), "the bash script offers `{word}`");
    }
    let script = dir.path().join("cairn.bash");
    fs::write(&script, &run.stdout).expect("write the script");
    match Command::new("bash").arg("-n").arg(&script).output() {
        Ok(output) => assert!(output.status.success(), "bash -n: {}", String::from_utf8_lossy(&output.stderr)),
        Err(error) => eprintln!("bash is not installed ({error}): the script's syntax is not checked"),
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let run = cairn(dir.path(), &["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains("check"), "the {shell} script offers `check`");
    }
    let run = cairn(dir.path(), &["completions", "tcsh"]);
    assert_eq!(run.code, 2, "an unknown shell is a usage error");
}

#[test]
fn an_ignored_error_code_passes_the_check_and_leaves_the_report() {
    let dir = acme_with_one_error();
    let plain = cairn(dir.path(), &["check", "."]);
    assert_eq!(plain.code, 1, "{}{}", plain.stdout, plain.stderr);
    assert!(plain.stdout.contains("error[E0309]: relation `system` names `checkuot`"), "{}", plain.stdout);

    for ignore in ["E0309", "E03", "E", "W0306,E0309"] {
        let run = cairn(dir.path(), &["check", ".", "--ignore", ignore]);
        assert_eq!(run.code, 0, "--ignore {ignore}: {}{}", run.stdout, run.stderr);
        assert!(!run.stdout.contains("E0309"), "--ignore {ignore}: {}", run.stdout);
        assert!(run.stdout.contains("no findings"), "{}", run.stdout);
        assert_eq!(run.stderr, "note: 1 finding left out by `--select`/`--ignore`\n");
    }
    // A selection that leaves the error out, and the more specific selector winning.
    assert_eq!(cairn(dir.path(), &["check", ".", "--select", "W"]).code, 0);
    assert_eq!(cairn(dir.path(), &["check", ".", "--select", "E0309"]).code, 1);
    assert_eq!(cairn(dir.path(), &["check", ".", "--ignore", "E03", "--select", "E0309"]).code, 1);
    let json = cairn(dir.path(), &["check", ".", "--format", "json", "--ignore", "E0309"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(
        (json.code, &report["summary"]["errors"], &report["diagnostics"]),
        (0, &0.into(), &serde_json::json!([]))
    );
}

#[test]
fn an_unknown_code_is_a_usage_error_with_a_suggestion() {
    let dir = acme_with_one_error();
    let run = cairn(dir.path(), &["check", ".", "--ignore", "E0319"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("no code starts with `E0319`"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `E0309`?"), "{}", run.stderr);
    let run = cairn(dir.path(), &["plan", "--base", "HEAD", "--head", "HEAD", "--select", "e03"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `E03`?"), "{}", run.stderr);
}

#[test]
fn a_plan_ignores_an_introduced_error_by_code() {
    let repo = GitRepo::new();
    copy_tree(&project_dir().join("examples/acme"), &repo.path);
    repo.commit("Alice", "Acme's platform");
    plant_error(&repo.path);
    repo.commit("Bob", "Misspell a system");
    let run = cairn(&repo.path, &["plan", "--base", "HEAD~1", "--head", "HEAD"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("E0309"), "{}", run.stdout);
    let run = cairn(&repo.path, &["plan", "--base", "HEAD~1", "--head", "HEAD", "--ignore", "E0309"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("E0309"), "{}", run.stdout);
    let run = cairn(&repo.path, &["plan", "--base", "HEAD~1", "--head", "HEAD", "--format", "json", "--select", "W"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn quiet_leaves_the_report_and_drops_the_notes() {
    let dir = acme_with_one_error();
    let loud = cairn(dir.path(), &["check", ".", "--verbose", "--ignore", "E0309"]);
    assert!(loud.stderr.contains("note: not read"), "{}", loud.stderr);
    for quiet in ["--quiet", "-q"] {
        let run = cairn(dir.path(), &[quiet, "check", ".", "--verbose", "--ignore", "E0309"]);
        assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, loud.stdout.as_str(), ""));
    }
    // Global: after the command too, and errors are still said.
    let run = cairn(dir.path(), &["check", "no-such-folder", "-q"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
}

#[test]
fn colour_follows_no_color_force_color_and_the_flag() {
    let dir = acme_with_one_error();
    let escape = |run: &support::Run| run.stdout.contains('\u{1b}');
    // stdout is a pipe here: no colour unless forced.
    assert!(!escape(&cairn_with_env(dir.path(), &["check", "."], &[])));
    assert!(escape(&cairn_with_env(dir.path(), &["check", "."], &[("FORCE_COLOR", "1")])));
    assert!(escape(&cairn_with_env(dir.path(), &["check", "."], &[("CLICOLOR_FORCE", "1")])));
    assert!(!escape(&cairn_with_env(dir.path(), &["check", "."], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")])));
    assert!(!escape(&cairn_with_env(dir.path(), &["check", ".", "--color", "never"], &[("FORCE_COLOR", "1")])));
    assert!(escape(&cairn_with_env(dir.path(), &["check", ".", "--color", "always"], &[("NO_COLOR", "1")])));
}

#[test]
fn nothing_but_the_report_is_drawn_into_a_pipe() {
    let dir = acme_with_one_error();
    // Not a terminal, even with a terminal's `TERM`: no spinner, no escape codes, on either stream.
    let run = cairn_with_env(dir.path(), &["check", "."], &[("TERM", "xterm-256color")]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "", "stderr of a piped run");
    let spinner = |c: char| ('\u{2800}'..='\u{28ff}').contains(&c) || c == '\r' || c == '\u{1b}';
    assert!(!run.stdout.contains(spinner), "{:?}", run.stdout);
}

/// A folder of Rego with a passing, a failing and a `todo_` test.
fn policy_tests_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    let tests = "package acme.reliability_test\n\n\
                 test_passes if true\n\n\
                 test_fails if { 1 == 2 }\n\n\
                 todo_test_runbook if false\n";
    fs::write(dir.path().join("reliability_test.rego"), tests).expect("write the tests");
    dir
}

#[test]
fn policy_test_counts_passed_failed_and_skipped() {
    let dir = policy_tests_dir();
    let run = cairn(dir.path(), &["policy", "test", "."]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("SKIP data.acme.reliability_test.todo_test_runbook"), "{}", run.stdout);
    assert_eq!(run.stdout.lines().last(), Some("1 passed, 1 failed, 1 skipped"), "{}", run.stdout);
    // Tests `--run` leaves out are not part of the run.
    let run = cairn(dir.path(), &["policy", "test", ".", "--run", "passes"]);
    assert_eq!((run.code, run.stdout.lines().last()), (0, Some("1 passed, 0 failed, 0 skipped")));

    let run = cairn(dir.path(), &["policy", "test", ".", "--format", "json"]);
    assert_eq!(run.code, 1);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["summary"], serde_json::json!({"passed": 1, "failed": 1, "skipped": 1, "errors": 0}));
    assert_eq!(report["tests"][1]["name"], "data.acme.reliability_test.test_fails");
    assert_eq!(report["tests"][1]["file"], "reliability_test.rego");
}

#[test]
fn policy_test_junit_is_xml_a_test_report_reads() {
    let dir = policy_tests_dir();
    let run = cairn(dir.path(), &["policy", "test", ".", "--format", "junit"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let document = roxmltree::Document::parse(&run.stdout).unwrap_or_else(|error| panic!("{error}\n{}", run.stdout));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let counts = ["tests", "failures", "errors", "skipped"].map(|name| root.attribute(name).unwrap_or_default());
    assert_eq!(counts, ["3", "1", "0", "1"]);
    let cases: Vec<_> = document.descendants().filter(|node| node.has_tag_name("testcase")).collect();
    let outcome = |case: &roxmltree::Node| {
        let child = case.children().find(roxmltree::Node::is_element).map(|child| child.tag_name().name().to_owned());
        (case.attribute("name").unwrap_or_default().to_owned(), child)
    };
    assert_eq!(
        cases.iter().map(outcome).collect::<Vec<_>>(),
        [
            ("test_passes".to_owned(), None),
            ("test_fails".to_owned(), Some("failure".to_owned())),
            ("todo_test_runbook".to_owned(), Some("skipped".to_owned())),
        ]
    );
    assert!(cases.iter().all(|case| case.attribute("classname") == Some("data.acme.reliability_test")));

    // The example's own policy tests, all passing.
    let run = cairn(&project_dir().join("examples/acme"), &["policy", "test", ".", "--format", "junit"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let document = roxmltree::Document::parse(&run.stdout).expect("well-formed XML");
    assert_eq!(document.root_element().attribute("failures"), Some("0"));
}
