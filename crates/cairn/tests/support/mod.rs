//! Running the real `cairn` binary and describing what it did, for snapshots.

#![allow(dead_code)] // Each test file uses the part it needs.

pub mod github;
pub mod http;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The project's top-level `tests/` folder.
#[must_use]
pub fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests")
}

/// The project's root.
#[must_use]
pub fn project_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What one run of `cairn` did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code().expect("cairn exits rather than being killed"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }
}

/// Runs `cairn` with `args` in `dir`.
#[must_use]
pub fn cairn(dir: &Path, args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the cairn binary runs")
        .into()
}

/// Runs `cairn` with exactly the environment given (and `PATH`): no `NO_COLOR` unless asked.
#[must_use]
pub fn cairn_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(env.iter().copied())
        .output()
        .expect("the cairn binary runs")
        .into()
}

/// `cairn check --format json` of `dir`, parsed, with the exit code.
#[must_use]
pub fn check_json(dir: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["check", ".", "--format", "json"];
    args.extend_from_slice(extra);
    let run = cairn(dir, &args);
    let report = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|error| panic!("JSON output ({error}):\n{}\nstderr:\n{}", run.stdout, run.stderr));
    (run.code, report)
}

/// One line per finding: `file:line:column code severity message`.
#[must_use]
pub fn finding_lines(report: &serde_json::Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics is a list")
        .iter()
        .map(|d| {
            let text = |key: &str| d[key].as_str().map_or_else(|| d[key].to_string(), str::to_owned);
            format!(
                "{}:{}:{} {} {} {}",
                text("file"),
                text("line"),
                text("column"),
                text("code"),
                text("severity"),
                text("message")
            )
        })
        .collect()
}

/// A copy of the fixture folder `dir` outside any git repository: a fixture inside the
/// project's own repository would report its paths from that repository's root
/// (`tests/cases/…/catalog/a.yaml`), and a snapshot must not depend on where the project lies.
#[must_use]
pub fn outside_git(dir: &Path) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let copy = temp.path().join("platform");
    copy_tree(dir, &copy);
    (temp, copy)
}

/// The human and JSON reports of `cairn check` of `dir`, with exit codes, as one text to snapshot.
#[must_use]
pub fn describe_check(dir: &Path) -> String {
    let (_temp, dir) = outside_git(dir);
    let dir = dir.as_path();
    let (code, report) = check_json(dir, &[]);
    let human = cairn(dir, &["check", ".", "--color", "never"]);
    assert_eq!(human.code, code, "human and JSON runs agree on the exit code");
    format!(
        "exit: {code}\nsummary: {}\n--- findings\n{}\n--- human\n{}{}",
        report["summary"],
        finding_lines(&report).join("\n"),
        human.stdout,
        human.stderr
    )
}

/// A git repository in a temporary directory, committed to by named authors.
pub struct GitRepo {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl GitRepo {
    #[must_use]
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("platform");
        fs::create_dir(&path).expect("repository folder");
        let repo = GitRepo { _dir: dir, path };
        repo.git(&["init", "--quiet", "--initial-branch=main"]);
        repo
    }

    pub fn git(&self, args: &[&str]) -> String {
        git_in(&self.path, args)
    }

    pub fn write(&self, path: &str, text: &str) -> &Self {
        let full = self.path.join(path);
        fs::create_dir_all(full.parent().expect("a parent")).expect("folders");
        fs::write(full, text).expect("write");
        self
    }

    pub fn commit(&self, author: &str, message: &str) -> String {
        self.git(&["add", "--all"]);
        let output = Command::new("git")
            .args(["commit", "--quiet", "-m", message])
            .current_dir(&self.path)
            .env("GIT_AUTHOR_NAME", author)
            .env("GIT_AUTHOR_EMAIL", format!("{}@example.com", author.to_lowercase()))
            .env("GIT_COMMITTER_NAME", author)
            .env("GIT_COMMITTER_EMAIL", format!("{}@example.com", author.to_lowercase()))
            .output()
            .expect("git runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        self.git(&["rev-parse", "HEAD"]).trim().to_owned()
    }
}

pub fn git_in(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Copies the folder `from` into `to`, recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("a folder");
    for entry in fs::read_dir(from).expect("readable") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Commits with a fixed date, so that commit ids (and the links to them) never change.
pub fn commit_at(repo: &GitRepo, author: &str, message: &str, date: &str) {
    repo.git(&["add", "--all"]);
    let output = Command::new("git")
        .args(["commit", "--quiet", "-m", message])
        .current_dir(&repo.path)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_EMAIL", format!("{}@example.com", author.to_lowercase()))
        .env("GIT_COMMITTER_NAME", author)
        .env("GIT_COMMITTER_EMAIL", format!("{}@example.com", author.to_lowercase()))
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

/// Merges `branch` into the checked-out branch with a merge commit by `author` at `date`,
/// committed as GitHub commits the merge of a pull request.
pub fn merge_at(repo: &GitRepo, author: &str, branch: &str, message: &str, date: &str) {
    let output = Command::new("git")
        .args(["merge", "--quiet", "--no-ff", "-m", message, branch])
        .current_dir(&repo.path)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_EMAIL", format!("{}@example.com", author.to_lowercase()))
        .env("GIT_COMMITTER_NAME", "GitHub")
        .env("GIT_COMMITTER_EMAIL", "noreply@github.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}
