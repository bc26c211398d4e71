//! Test fixtures: a builder of real git repositories in temporary directories (made with the
//! `git` command, with fixed people and times so that every run makes the same commit ids), and
//! short ways to name instants and findings in assertions.

use std::cell::Cell;
use std::fs;
use std::path::Path;
use std::process::Command;

use cairn_diagnostics::Diagnostic;
use cairn_model::{Timestamp, parse_timestamp};
use cairn_source::Source;
use tempfile::TempDir;

/// A platform repository: a git work tree in a temporary directory. Files are written into the
/// work tree; `commit` records all of it.
#[derive(Debug)]
pub struct Repo {
    dir: TempDir,
    commits: Cell<i64>,
}

/// The committer time of the first commit; each next one is a minute later.
pub const FIRST_COMMIT_TIME: i64 = 1_700_000_000;

impl Repo {
    pub fn new() -> Repo {
        let repo = Repo { dir: tempfile::tempdir().expect("a temporary directory"), commits: Cell::new(0) };
        repo.git(&["-c", "init.defaultBranch=main", "init", "-q", "."]);
        repo
    }

    /// A repository whose work tree holds `files` (path, contents), not yet committed.
    pub fn with(files: &[(&str, &str)]) -> Repo {
        let repo = Repo::new();
        repo.write_all(files);
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

    pub fn write_all(&self, files: &[(&str, &str)]) -> &Repo {
        for (path, contents) in files {
            self.write(path, contents);
        }
        self
    }

    pub fn remove(&self, path: &str) -> &Repo {
        fs::remove_file(self.path().join(path)).expect("a removed file");
        self
    }

    /// Moves the file at `from` to `to`, making `to`'s folders.
    pub fn rename(&self, from: &str, to: &str) -> &Repo {
        let full = self.path().join(to);
        fs::create_dir_all(full.parent().expect("a path inside the repository")).expect("folders");
        fs::rename(self.path().join(from), full).expect("a moved file");
        self
    }

    /// Makes `path` a symbolic link to `target`.
    pub fn symlink(&self, target: &str, path: &str) -> &Repo {
        let full = self.path().join(path);
        fs::create_dir_all(full.parent().expect("a path inside the repository")).expect("folders");
        std::os::unix::fs::symlink(target, full).expect("a symbolic link");
        self
    }

    /// Commits everything in the work tree (allowing an empty commit); returns the commit id.
    pub fn commit(&self, message: &str) -> String {
        self.commit_by("Ada Author", "ada@example.com", message)
    }

    /// `commit`, written by `name <email>` (the committer stays the fixtures' own).
    pub fn commit_by(&self, name: &str, email: &str, message: &str) -> String {
        let n = self.commits.get();
        self.commits.set(n + 1);
        let date = format!("{} +0000", FIRST_COMMIT_TIME + 60 * n);
        self.git(&["add", "-A"]);
        let output = Command::new("git")
            .current_dir(self.path())
            .envs(ISOLATED)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .env("GIT_AUTHOR_NAME", name)
            .env("GIT_AUTHOR_EMAIL", email)
            .args(["commit", "-q", "--allow-empty", "-m", message])
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git commit: {}", String::from_utf8_lossy(&output.stderr));
        self.git(&["rev-parse", "HEAD"])
    }

    /// Moves the clock on as if `commits` more commits had been made: the next commit is that
    /// many minutes later.
    pub fn later(&self, commits: i64) -> &Repo {
        self.commits.set(self.commits.get() + commits);
        self
    }

    /// Merges `branch` into the checked-out branch with a merge commit (`--no-ff`), a minute
    /// after the last commit; returns the merge's id.
    pub fn merge(&self, branch: &str, message: &str) -> String {
        let n = self.commits.get();
        self.commits.set(n + 1);
        let date = format!("{} +0000", FIRST_COMMIT_TIME + 60 * n);
        let output = Command::new("git")
            .current_dir(self.path())
            .envs(ISOLATED)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .args(["merge", "-q", "--no-ff", "-m", message, branch])
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git merge: {}", String::from_utf8_lossy(&output.stderr));
        self.git(&["rev-parse", "HEAD"])
    }

    /// Runs git in the work tree; returns its output, trimmed.
    pub fn git(&self, args: &[&str]) -> String {
        let output = Command::new("git").current_dir(self.path()).envs(ISOLATED).args(args).output().expect("git runs");
        assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("UTF-8 output").trim().to_owned()
    }

    /// The work tree as a directory source.
    pub fn directory(&self) -> Source {
        Source::directory(self.path()).expect("a directory")
    }

    /// The repository at `rev`.
    pub fn at(&self, rev: &str) -> Source {
        Source::git(self.path(), rev).expect("a revision")
    }
}

/// The environment that keeps the developer's own git configuration out of the fixtures and
/// fixes who commits and when, so that object ids are the same on every run.
const ISOLATED: [(&str, &str); 8] = [
    ("GIT_CONFIG_NOSYSTEM", "1"),
    ("GIT_CONFIG_GLOBAL", "/dev/null"),
    ("GIT_AUTHOR_NAME", "Ada Author"),
    ("GIT_AUTHOR_EMAIL", "ada@example.com"),
    ("GIT_AUTHOR_DATE", "1700000000 +0000"),
    ("GIT_COMMITTER_NAME", "Cy Committer"),
    ("GIT_COMMITTER_EMAIL", "cy@example.com"),
    ("GIT_COMMITTER_DATE", "1700000000 +0000"),
];

/// Files of a platform repository: path and contents.
pub type Files<'a> = &'a [(&'a str, &'a str)];

/// An edit of a work tree, from one commit of a test to the next.
pub type Edit = fn(&Repo);

/// The instant `text` (RFC 3339) names.
pub fn instant(text: &str) -> Timestamp {
    parse_timestamp(text).unwrap_or_else(|| panic!("`{text}` is an RFC 3339 date-time"))
}

/// A fixed `now` for tests whose outcome does not depend on the day.
pub fn now() -> Timestamp {
    instant("2026-12-01T12:00:00Z")
}

/// Each finding as `CODE file`, or `CODE file (waived)`, in the order given: short enough to
/// compare whole lists in one assertion.
pub fn findings(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|diagnostic| {
            let file = diagnostic.location.as_ref().map_or("-", |location| location.file.as_str());
            let waived = if diagnostic.counts() { "" } else { " (waived)" };
            format!("{} {file}{waived}", diagnostic.code_name())
        })
        .collect()
}

/// A small platform that checks clean with the bundled blueprints: a team, a domain, a system
/// and a component, each in its own file.
pub const CLEAN: &[(&str, &str)] = &[
    ("catalog/teams.yaml", "identifier: payments\nblueprint: _team\n"),
    ("catalog/shop.yaml", "identifier: shop\nblueprint: Domain\nteam: payments\n"),
    (
        "catalog/checkout.yaml",
        "identifier: checkout\nblueprint: System\nteam: payments\nproperties:\n  lifecycle: production\nrelations:\n  domain: shop\n",
    ),
    (
        "catalog/cart.yaml",
        "identifier: cart\nblueprint: Component\nteam: payments\nproperties:\n  type: service\n  lifecycle: production\nrelations:\n  system: checkout\n",
    ),
];
