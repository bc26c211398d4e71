//! README.md is tested: every command its ```sh and ```console blocks show is read from the README
//! at test time and run here against the behaviour the README documents, and its sample outputs
//! are compared with what cairn prints, so a README example that stops working fails CI.

mod support;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use support::{GitRepo, Run, copy_tree, project_dir};

/// The README's placeholders in its "Using it" block, and what this test runs in their place.
/// `{scratch}` is a temporary folder outside the platform repository. `main` and `pr` are the
/// branches of the fixture repository (see `Fixture`), so they stand for themselves.
const PLACEHOLDERS: &[(&str, &str)] = &[
    ("[PATH]", "."),
    ("FILE...", "environments/staging.yaml"),
    ("REV", "HEAD"),
    ("[DIR]", "{scratch}/new-platform"),
    ("main", "main"),
    ("pr", "pr"),
    ("[--dry-run]", "--dry-run"),
    ("EXPORT...", "{project}/tests/fixtures/port-export/blueprints.json"),
    ("DIR", "{scratch}/imported"),
    ("OUT", "{scratch}/rendered"),
];

/// The section whose commands run in the fixture platform repository; the commands of every
/// other section run where the README's reader runs them, at the root of a clone of cairn.
const PLATFORM_SECTION: &str = "Using it";

/// The prefix of the README's build-and-run command. The test cannot run cargo (a nested cargo
/// would wait for the lock on the target directory this test is built in, and rebuild the
/// workspace in release), so it runs the `cairn` binary cargo built for this test, with the
/// arguments after `--`.
const CARGO_RUN: &str = "cargo run --release -p cairn -- ";

/// The README's test command: it is the test itself, so it is not run, only checked to be what
/// `.ci/run` runs.
const CARGO_NEXTEST: &str = "cargo nextest run ";

/// What each README command must do, keyed by the command as README.md writes it (comment and
/// `$ ` removed). The fixture's `main` is clean and its `pr` only retitles a component, so every
/// command has "no errors" to report: exit code 0. A command the README shows and this table
/// lacks fails the test, and so does an entry the README no longer shows.
const EXPECTED: &[(&str, Expect)] = &[
    // Quick start.
    ("cargo run --release -p cairn -- check examples/acme", Expect::prints(0, "with 9 policies: no findings")),
    (
        "cargo run --release -p cairn -- render examples/acme --out out/",
        Expect::prints(0, "files from 4 templates over 87 entities into `out/`"),
    ),
    // The sample at the top of the README: its output line is compared as well.
    ("cairn check examples/acme --rev HEAD", Expect::prints(0, "at revision `HEAD`")),
    // Using it.
    ("cairn check [PATH]", Expect::prints(0, "of `.` with 9 policies: no findings")),
    ("cairn check [PATH] --rev REV", Expect::prints(0, "files of revision `HEAD`")),
    ("cairn check FILE...", Expect::prints(0, "of `.` with 9 policies: no findings")),
    ("cairn check --format json", Expect::json(0, "/summary/errors", "0")),
    // One workflow command per finding, and the fixture has none.
    ("cairn check --format github", Expect { stdout: Stdout::Empty, ..Expect::prints(0, "") }),
    ("cairn check --format sarif", Expect::json(0, "/version", r#""2.1.0""#)),
    // No finding, so no code: only the closing line.
    ("cairn check --summary", Expect::prints(0, "with 9 policies: no findings")),
    ("cairn check --verbose", Expect { stderr: "note: not read: `README.md`", ..Expect::prints(0, "no findings") }),
    // The example has no waiver to expire by then.
    ("cairn check --now 2099-01-01", Expect::prints(0, "no findings")),
    ("cairn check --base main --head pr", Expect::prints(0, "judged by the rules of revision `main`")),
    // The fixture has no finding to filter; the filter's effect is tested in tests/everyday.rs.
    ("cairn check --select E03 --ignore E0309", Expect::prints(0, "no findings")),
    ("cairn check --quiet", Expect::prints(0, "no findings")),
    ("cairn policy test [PATH]", Expect::prints(0, " passed, 0 failed, 0 skipped")),
    ("cairn policy test --format junit", Expect::prints(0, "<testsuites name=\"cairn policy test\"")),
    ("cairn plan --base main --head pr", Expect::prints(0, "this change can merge: it introduces no error")),
    ("cairn ci [PATH] [--dry-run]", Expect::prints(0, "would send: POST /repos/acme/platform/check-runs")),
    // "a new platform repository that passes `cairn check`".
    (
        "cairn init [DIR]",
        Expect { then_passes: Some("cairn check [DIR]"), ..Expect::prints(0, "a new platform repository is in") },
    ),
    // "a platform repository that passes `cairn check`"; the export here is blueprints alone.
    (
        "cairn import port EXPORT... --out DIR",
        Expect { then_passes: Some("cairn check DIR"), ..Expect::prints(0, "imported 3 blueprints") },
    ),
    // A new output folder: every file rendered is created.
    ("cairn render [PATH] --out OUT", Expect::prints(0, " created, 0 changed, 0 unchanged, 0 removed")),
    ("cairn actions list [PATH]", Expect::prints(0, "extend-ttl")),
    ("cairn env list [PATH]", Expect::prints(0, "ttl from the commit that set it")),
    ("cairn scorecard [PATH]", Expect::prints(0, "production-readiness (Production readiness) on Component")),
    // The fixture's `main` is one commit that adds every entity.
    ("cairn audit log [PATH]", Expect::prints(0, "    Acme's platform\n  created")),
    // The platform as `cairn check --rev` saw it, judged as of the commit's own time.
    ("cairn audit at [PATH] --at REV", Expect::prints(0, "files of revision `HEAD`")),
    // One change, the fixture's root commit, judged by its own rules.
    ("cairn audit report [PATH]", Expect::prints(0, "The first-parent history of")),
    // The fixture's one commit creates its environments, still alive.
    ("cairn audit stats [PATH]", Expect::prints(0, "| `dev-alice-checkout` | payments |")),
    ("cairn reconcile [PATH] --dry-run", Expect::prints(0, "`--apply` carries them out")),
    (
        "cairn run extend-ttl --entity dev-alice-checkout --set days=3 --dry-run",
        Expect::prints(0, "previewed; nothing written"),
    ),
    ("cairn completions bash", Expect::prints(0, "complete -F _cairn")),
];

/// What one README command must do.
#[derive(Clone, Copy, Debug)]
struct Expect {
    code: i32,
    stdout: Stdout,
    /// Text stderr contains ("" for anything).
    stderr: &'static str,
    /// A command (with placeholders) that must then exit 0.
    then_passes: Option<&'static str>,
}

#[derive(Clone, Copy, Debug)]
enum Stdout {
    /// A report that contains this text.
    Contains(&'static str),
    /// JSON whose value at the pointer is this JSON text.
    Json(&'static str, &'static str),
    Empty,
}

impl Expect {
    const fn prints(code: i32, text: &'static str) -> Expect {
        Expect { code, stdout: Stdout::Contains(text), stderr: "", then_passes: None }
    }

    const fn json(code: i32, pointer: &'static str, value: &'static str) -> Expect {
        Expect { code, stdout: Stdout::Json(pointer, value), stderr: "", then_passes: None }
    }
}

/// One command from a fenced block of a Markdown text.
#[derive(Debug, PartialEq, Eq)]
struct Example {
    /// The `#` heading it is under.
    section: String,
    /// The command as written, without `$ ` or a trailing `# comment`, spaces collapsed.
    command: String,
    /// The output a console block shows under it.
    output: Vec<String>,
    /// 1-based, for messages.
    line: usize,
}

/// The commands of `markdown`'s ```sh blocks (every non-empty line, a trailing `# comment`
/// removed) and ```console blocks (the `$ ` lines, each with the lines under it as its output).
fn examples(markdown: &str) -> Vec<Example> {
    let mut found: Vec<Example> = Vec::new();
    let mut section = String::new();
    let mut block: Option<&str> = None;
    // Whether the last command found is a console block's, still taking output lines.
    let mut console_output = false;
    for (index, line) in markdown.lines().enumerate() {
        if let Some(fence) = line.trim_start().strip_prefix("```") {
            block = if block.is_some() { None } else { Some(fence.trim()) };
            console_output = false;
            continue;
        }
        let example = |command: &str| Example {
            section: section.clone(),
            command: command.split_whitespace().collect::<Vec<_>>().join(" "),
            output: Vec::new(),
            line: index + 1,
        };
        match block {
            None => {
                if line.starts_with('#') {
                    line.trim_start_matches('#').trim().clone_into(&mut section);
                }
            }
            Some("sh") => {
                // A `#` starts a comment at the start of a line or after a space, as in sh.
                let command = line.find(" #").map_or(line, |at| &line[..at]);
                if !command.trim().is_empty() && !command.trim_start().starts_with('#') {
                    found.push(example(command));
                }
            }
            Some("console") => {
                if let Some(command) = line.strip_prefix("$ ") {
                    found.push(example(command));
                    console_output = true;
                } else if let Some(last) = found.last_mut().filter(|_| console_output) {
                    last.output.push(line.to_owned());
                }
            }
            Some(_) => {}
        }
    }
    found
}

/// The text with what each pair of parentheses holds replaced by `…`, as the README elides a
/// commit id.
fn elide(text: &str) -> String {
    let mut elided = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '(' => {
                if depth == 0 {
                    elided.push_str("(…");
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    elided.push(')');
                }
            }
            _ if depth == 0 => elided.push(c),
            _ => {}
        }
    }
    elided
}

/// Where the README's commands run.
struct Fixture {
    /// A clone of cairn as far as the README's commands need it: a copy of `examples/acme`,
    /// committed, so `--rev HEAD` reads what is on disk.
    clone: GitRepo,
    /// A platform repository: a copy of `examples/acme` committed on `main`, and a branch `pr`
    /// that retitles a component. `main` is checked out.
    platform: GitRepo,
    /// Outside both repositories: `init`'s new folder and `ci`'s event payload.
    scratch: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let acme = project_dir().join("examples/acme");
        let clone = GitRepo::new();
        copy_tree(&acme, &clone.path.join("examples/acme"));
        // Committed when the example's development environment was created, as in cairn's own
        // history: its `ttl` has run out since, as the README's sample says (`W1080`).
        support::commit_at(&clone, "Alice", "The example platform", "2026-11-24T09:15:00Z");

        let platform = GitRepo::new();
        copy_tree(&acme, &platform.path);
        let base = platform.commit("Alice", "Acme's platform");
        platform.git(&["checkout", "--quiet", "-b", "pr"]);
        let file = "catalog/commerce/checkout/cart-service.yaml";
        let text = fs::read_to_string(platform.path.join(file)).expect("the cart service");
        assert!(text.contains("\ntitle: Cart Service\n"), "{file} has the title this test changes");
        platform.write(file, &text.replace("\ntitle: Cart Service\n", "\ntitle: Shopping Cart Service\n"));
        let head = platform.commit("Bob", "Retitle the cart service");
        platform.git(&["checkout", "--quiet", "main"]);

        let scratch = tempfile::tempdir().expect("a temp dir");
        // The part of a `pull_request` event payload `cairn ci` reads.
        let event = serde_json::json!({
            "action": "synchronize",
            "number": 7,
            "pull_request": {
                "number": 7,
                "base": {"ref": "main", "sha": base},
                "head": {"ref": "pr", "sha": head}
            },
            "repository": {"full_name": "acme/platform"}
        });
        fs::write(scratch.path().join("event.json"), event.to_string()).expect("the event");
        Fixture { clone, platform, scratch }
    }

    /// `token` with its placeholder substituted, or `None` when it is not a placeholder.
    fn substitute(&self, token: &str) -> Option<String> {
        let scratch = self.scratch.path().to_str().expect("a UTF-8 temp path");
        let project = project_dir();
        let project = project.to_str().expect("a UTF-8 project path");
        PLACEHOLDERS
            .iter()
            .find(|(name, _)| *name == token)
            .map(|(_, value)| value.replace("{scratch}", scratch).replace("{project}", project))
    }

    /// The arguments of `command` (after `cairn`), placeholders substituted.
    fn arguments(&self, command: &str) -> Result<Vec<String>, String> {
        command
            .split_whitespace()
            .map(|token| match self.substitute(token) {
                Some(value) => Ok(value),
                None if looks_like_a_placeholder(token) => {
                    Err(format!("`{token}` looks like a placeholder: add it to PLACEHOLDERS in tests/readme.rs"))
                }
                None => Ok(token.to_owned()),
            })
            .collect()
    }

    /// Runs the `cairn` binary with `args` in `dir`. `cairn ci` gets only the GitHub Actions
    /// variables it needs, for a pull request from `main` to `pr`.
    fn cairn(&self, dir: &Path, args: &[String]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cairn"));
        command.args(args).current_dir(dir);
        if args.first().is_some_and(|first| first == "ci") {
            command
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("GITHUB_ACTIONS", "true")
                .env("GITHUB_REPOSITORY", "acme/platform")
                .env("GITHUB_EVENT_NAME", "pull_request")
                .env("GITHUB_EVENT_PATH", self.scratch.path().join("event.json"));
        }
        command.env("NO_COLOR", "1").output().expect("the cairn binary runs").into()
    }
}

/// `[PATH]`, `REV`: a bracketed or upper-case word (git's `HEAD` is a name, not a placeholder).
fn looks_like_a_placeholder(token: &str) -> bool {
    token.starts_with('[')
        || (token.len() > 1 && token != "HEAD" && token.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
}

fn readme() -> String {
    fs::read_to_string(project_dir().join("README.md")).expect("README.md")
}

/// Runs one README command and checks it against its expectation.
fn check_example(fixture: &Fixture, example: &Example) -> Result<(), String> {
    let command = example.command.as_str();
    if let Some(rest) = command.strip_prefix(CARGO_NEXTEST) {
        let ci = fs::read_to_string(project_dir().join(".ci/run")).expect(".ci/run");
        let runs_it = ci.lines().any(|line| line.trim() == command);
        return if runs_it { Ok(()) } else { Err(format!("`.ci/run` does not run `cargo nextest run {rest}`")) };
    }
    let arguments = if let Some(rest) = command.strip_prefix(CARGO_RUN) {
        rest
    } else if let Some(rest) = command.strip_prefix("cairn ") {
        rest
    } else {
        return Err("tests/readme.rs does not know how to run this command: teach it".to_owned());
    };
    let Some((_, expect)) = EXPECTED.iter().find(|(known, _)| *known == command) else {
        return Err("EXPECTED in tests/readme.rs does not say what this command must do".to_owned());
    };
    let dir = if example.section == PLATFORM_SECTION { &fixture.platform.path } else { &fixture.clone.path };
    let args = fixture.arguments(arguments)?;
    let run = fixture.cairn(dir, &args);
    let shown =
        || format!("cairn {}\nexit {}\nstdout:\n{}\nstderr:\n{}", args.join(" "), run.code, run.stdout, run.stderr);
    if run.code != expect.code {
        return Err(format!("exits {}, not {}\n{}", run.code, expect.code, shown()));
    }
    match expect.stdout {
        Stdout::Contains(text) if run.stdout.trim().is_empty() || !run.stdout.contains(text) => {
            return Err(format!("stdout should contain {text:?}\n{}", shown()));
        }
        Stdout::Json(pointer, value) => {
            let report: serde_json::Value = serde_json::from_str(&run.stdout)
                .map_err(|error| format!("stdout is not JSON: {error}\n{}", shown()))?;
            let value: serde_json::Value = serde_json::from_str(value).expect("EXPECTED holds JSON");
            if report.pointer(pointer) != Some(&value) {
                return Err(format!("stdout's `{pointer}` should be {value}\n{}", shown()));
            }
        }
        Stdout::Empty if !run.stdout.is_empty() => return Err(format!("stdout should be empty\n{}", shown())),
        _ => {}
    }
    if !run.stderr.contains(expect.stderr) {
        return Err(format!("stderr should contain {:?}\n{}", expect.stderr, shown()));
    }
    if !example.output.is_empty() {
        let (sample, printed) = (elide(&example.output.join("\n")), elide(run.stdout.trim_end()));
        if sample != printed {
            return Err(format!("the README shows\n{sample}\nbut cairn prints (parentheses elided)\n{printed}"));
        }
    }
    if let Some(then) = expect.then_passes {
        let then_args = fixture.arguments(then.strip_prefix("cairn ").expect("a cairn command"))?;
        let after = fixture.cairn(dir, &then_args);
        if after.code != 0 {
            return Err(format!("then `{then}` exits {}\n{}{}", after.code, after.stdout, after.stderr));
        }
    }
    Ok(())
}

#[test]
fn every_command_in_the_readme_does_what_the_readme_says() {
    let examples = examples(&readme());
    assert!(examples.len() >= EXPECTED.len(), "README.md shows commands: {examples:#?}");
    let fixture = Fixture::new();
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|example| {
            check_example(&fixture, example)
                .err()
                .map(|why| format!("README.md:{}: `{}`: {why}", example.line, example.command))
        })
        .collect();
    let shown: BTreeSet<&str> = examples.iter().map(|example| example.command.as_str()).collect();
    let stale = EXPECTED.iter().filter(|(command, _)| !shown.contains(command)).map(|(command, _)| *command);
    let stale: Vec<String> =
        stale.map(|command| format!("EXPECTED names `{command}`, which README.md no longer shows")).collect();
    let all = [failures, stale].concat();
    assert!(all.is_empty(), "{}", all.join("\n\n"));
}

/// The README's ```json sample is `cairn check examples/acme --format json` of acme with a
/// misspelt relation planted in a component: same summary, same keys, same finding.
#[test]
fn the_json_sample_is_what_cairn_prints() {
    let readme = readme();
    let start = readme.find("```json\n").expect("README.md has a ```json block") + "```json\n".len();
    let end = start + readme[start..].find("```").expect("the ```json block ends");
    let sample: serde_json::Value = serde_json::from_str(&readme[start..end]).expect("the JSON sample parses");

    let dir = tempfile::tempdir().expect("a temp dir");
    copy_tree(&project_dir().join("examples/acme"), &dir.path().join("examples/acme"));
    let file = dir.path().join("examples/acme/catalog/commerce/checkout/cart-service.yaml");
    let text = fs::read_to_string(&file).expect("the cart service");
    assert!(text.contains("\n  system: checkout\n"), "the cart service belongs to the checkout system");
    fs::write(&file, text.replace("\n  system: checkout\n", "\n  system: checkuot\n")).expect("plant the error");
    let run = support::cairn(dir.path(), &["check", "examples/acme", "--format", "json"]);
    assert_eq!(run.code, 1, "an error is found: {}{}", run.stdout, run.stderr);
    let real: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON output");

    let keys = |value: &serde_json::Value| -> Vec<String> {
        value.as_object().expect("an object").keys().cloned().collect::<BTreeSet<_>>().into_iter().collect()
    };
    assert_eq!(keys(&real), keys(&sample), "top-level keys");
    assert_eq!(keys(&real["summary"]), keys(&sample["summary"]), "the summary's keys");
    assert_eq!(real["summary"], sample["summary"], "the summary");
    assert_eq!(real["scorecards"], sample["scorecards"], "the scorecards' levels");
    let (real, sample) = (&real["diagnostics"], &sample["diagnostics"]);
    assert_eq!(real.as_array().map(Vec::len), Some(1), "one finding: {real:#}");
    assert_eq!(sample.as_array().map(Vec::len), Some(1), "the sample shows one finding");
    let (real, sample) = (&real[0], &sample[0]);
    assert_eq!(keys(real), keys(sample), "a diagnostic's keys");
    for key in keys(sample) {
        // The sample elides the end of the message.
        if let Some(shown) = sample[&key].as_str().and_then(|text| text.strip_suffix('…')) {
            let printed = real[&key].as_str().unwrap_or_default();
            assert!(printed.starts_with(shown), "`{key}`: the README shows {shown:?}…, cairn prints {printed:?}");
        } else {
            assert_eq!(real[&key], sample[&key], "`{key}` of the finding");
        }
    }
}

#[test]
fn commands_are_read_from_sh_and_console_blocks() {
    let markdown = "# cairn\n\n```console\n$ cairn check x\nchecked (abc) fine\n```\n\n## Using it\n\n\
                    ```sh\ncairn a [PATH]   # a comment\n\n# a whole-line comment\ncairn  b\n```\n\n\
                    ```json\n{\"a\": 1}\n```\n\n```yaml\nnot: a command\n```\n";
    let example = |section: &str, command: &str, output: &[&str], line| Example {
        section: section.to_owned(),
        command: command.to_owned(),
        output: output.iter().map(|line| (*line).to_owned()).collect(),
        line,
    };
    assert_eq!(
        examples(markdown),
        [
            example("cairn", "cairn check x", &["checked (abc) fine"], 4),
            example("Using it", "cairn a [PATH]", &[], 11),
            example("Using it", "cairn b", &[], 14),
        ]
    );
    assert_eq!(elide("of `x` at revision `HEAD` (c5cd14b520c4) with"), "of `x` at revision `HEAD` (…) with");
}
