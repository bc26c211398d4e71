//! A builder of real git repositories in temporary directories, made with the `git` command.

use std::cell::Cell;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// The committer time of the first commit `Repo::commit` makes; each next one is a minute later.
pub const FIRST_COMMIT_TIME: i64 = 1_700_000_000;

/// A git work tree in a temporary directory, with commits at fixed times by a fixed person, so
/// that every run makes the same commit ids.
pub struct Repo {
    dir: TempDir,
    commits: Cell<i64>,
}

impl Repo {
    pub fn new() -> Repo {
        let repo = Repo { dir: tempfile::tempdir().expect("a temporary directory"), commits: Cell::new(0) };
        repo.git(&["-c", "init.defaultBranch=main", "init", "-q", "."]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `path`, making its folders.
    pub fn write(&self, path: &str, contents: impl AsRef<[u8]>) -> &Repo {
        let full = self.path().join(path);
        fs::create_dir_all(full.parent().expect("a path inside the repository")).expect("folders");
        fs::write(full, contents).expect("a written file");
        self
    }

    /// Makes `path` a symbolic link to `target`.
    pub fn symlink(&self, target: &str, path: &str) -> &Repo {
        std::os::unix::fs::symlink(target, self.path().join(path)).expect("a symbolic link");
        self
    }

    /// Records a submodule at `path` pointing at commit `id`, as a clone that has not initialised
    /// its submodules has it: a gitlink in the index and an empty folder on disk.
    pub fn submodule(&self, path: &str, id: &str) -> &Repo {
        fs::create_dir_all(self.path().join(path)).expect("the submodule's folder");
        self.git(&["update-index", "--add", "--cacheinfo", &format!("160000,{id},{path}")]);
        self
    }

    /// Commits everything in the work tree; returns the full commit id. The author time is an
    /// hour before the committer time, so that a test can tell them apart.
    pub fn commit(&self, message: &str) -> String {
        let n = self.commits.get();
        self.commits.set(n + 1);
        let committer = FIRST_COMMIT_TIME + 60 * n;
        self.commit_at(message, committer - 3600, committer)
    }

    /// Commits everything in the work tree with the given times (seconds since the Unix epoch,
    /// written with a two-hour offset that must not change them).
    pub fn commit_at(&self, message: &str, author: i64, committer: i64) -> String {
        self.git(&["add", "-A"]);
        let dates =
            [("GIT_AUTHOR_DATE", format!("{author} +0200")), ("GIT_COMMITTER_DATE", format!("{committer} +0200"))];
        run(self.path(), &dates, &["commit", "-q", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Runs git in the work tree; returns its output, trimmed.
    pub fn git(&self, args: &[&str]) -> String {
        git(self.path(), args)
    }

    /// A bare clone of this repository, in a temporary directory of its own.
    pub fn bare_clone(&self) -> (TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let bare = dir.path().join("bare.git");
        let (from, to) = (self.path().to_str().expect("a UTF-8 path"), bare.to_str().expect("a UTF-8 path"));
        git(dir.path(), &["clone", "-q", "--bare", from, to]);
        (dir, bare)
    }

    /// A clone of this repository with only the last `depth` commits of `branch`, as
    /// `actions/checkout` makes by default, in a temporary directory of its own.
    pub fn shallow_clone(&self, depth: u32, branch: &str) -> (TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let clone = dir.path().join("clone");
        // `--depth` is ignored for a plain path; a `file://` URL makes git honour it.
        let from = format!("file://{}", self.path().to_str().expect("a UTF-8 path"));
        let depth = depth.to_string();
        let to = clone.to_str().expect("a UTF-8 path");
        git(dir.path(), &["clone", "-q", "--depth", &depth, "--branch", branch, &from, to]);
        (dir, clone)
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    run(dir, &[], args)
}

/// Runs git in `dir` with the isolated environment and then `env`; returns its output, trimmed.
fn run(dir: &Path, env: &[(&str, String)], args: &[&str]) -> String {
    let output = Command::new("git")
        .current_dir(dir)
        .envs(ISOLATED)
        .envs(env.iter().map(|(key, value)| (key, value)))
        .args(args)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8 output").trim().to_owned()
}

/// The environment that keeps the developer's own git configuration out of the fixtures and
/// fixes who commits and when (tags included), so that object ids are the same on every run.
const ISOLATED: [(&str, &str); 8] = [
    ("GIT_CONFIG_NOSYSTEM", "1"),
    ("GIT_CONFIG_GLOBAL", "/dev/null"),
    ("GIT_AUTHOR_NAME", "Ada Author"),
    ("GIT_AUTHOR_EMAIL", "ada@example.com"),
    ("GIT_AUTHOR_DATE", "1600000000 +0000"),
    ("GIT_COMMITTER_NAME", "Cy Committer"),
    ("GIT_COMMITTER_EMAIL", "cy@example.com"),
    ("GIT_COMMITTER_DATE", "1600000000 +0000"),
];
