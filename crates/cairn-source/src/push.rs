//! Pushing a branch with plain `git push` (no force): gix does not push, the workflow's
//! checkout already has the credentials git uses, packs carry many files efficiently, and a
//! non-fast-forward rejection is git's own check that nobody else moved the branch
//! (docs/reconcile.md, "Rendered branch").

use std::path::{Path, PathBuf};
use std::process::Command;

/// What `git push` did with the branch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PushOutcome {
    /// The remote's branch was created or moved forward to the local tip.
    Pushed,
    /// The remote's branch already was the local tip.
    UpToDate,
    /// The remote's branch moved on (not a fast-forward of it): nothing changed there. The
    /// caller fetches and publishes again, or reports it. `reason` is git's (`fetch first`,
    /// `non-fast-forward`).
    Rejected { reason: String },
}

/// Why the push did not run or failed other than by a rejection.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("cannot run `git push` in `{}`", dir.display())]
    Spawn {
        dir: PathBuf,
        #[source]
        error: std::io::Error,
    },
    /// git failed (unknown remote, no credentials, network); `stderr` is what it said.
    #[error("`git push {remote} {branch}` failed: {stderr}")]
    Failed { remote: String, branch: String, stderr: String },
}

/// What `fetch_branch` found at the remote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchOutcome {
    /// The local branch is the remote's (created, moved forward, or already there).
    Fetched,
    /// The remote has no such branch: the first publish creates it.
    Missing,
}

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("cannot run `git fetch` in `{}`", dir.display())]
    Spawn {
        dir: PathBuf,
        #[source]
        error: std::io::Error,
    },
    /// git failed: the local branch holds commits the remote's does not (it is never
    /// overwritten), no credentials, network; `stderr` is what it said.
    #[error("`git fetch {remote} {branch}:{branch}` failed: {stderr}")]
    Failed { remote: String, branch: String, stderr: String },
}

/// Brings the local branch `branch` up to the remote's, fast-forward only: a fresh checkout has
/// the remote's branch only as a remote-tracking one, and publishing must start from its tip.
/// A local branch the remote's does not descend from is left alone, and is an error.
pub fn fetch_branch(repo_dir: &Path, remote: &str, branch: &str) -> Result<FetchOutcome, FetchError> {
    let failed = |stderr: String| FetchError::Failed { remote: remote.to_owned(), branch: branch.to_owned(), stderr };
    let listed = Command::new("git")
        .current_dir(repo_dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .args(["ls-remote", "--exit-code", "--heads", "--", remote, &format!("refs/heads/{branch}")])
        .output()
        .map_err(|error| FetchError::Spawn { dir: repo_dir.to_path_buf(), error })?;
    // `--exit-code`: 2 when the remote has no matching ref (git-ls-remote(1)).
    if listed.status.code() == Some(2) {
        return Ok(FetchOutcome::Missing);
    }
    if !listed.status.success() {
        return Err(failed(String::from_utf8_lossy(&listed.stderr).trim().to_owned()));
    }
    let refspec = format!("refs/heads/{branch}:refs/heads/{branch}");
    let output = Command::new("git")
        .current_dir(repo_dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .args(["fetch", "--quiet", "--no-tags", "--", remote, &refspec])
        .output()
        .map_err(|error| FetchError::Spawn { dir: repo_dir.to_path_buf(), error })?;
    if output.status.success() {
        Ok(FetchOutcome::Fetched)
    } else {
        Err(failed(String::from_utf8_lossy(&output.stderr).trim().to_owned()))
    }
}

/// Pushes the local branch `branch` of the repository at `repo_dir` to the branch of the same
/// name at `remote` (a remote's name or URL), without force.
pub fn push_branch(repo_dir: &Path, remote: &str, branch: &str) -> Result<PushOutcome, PushError> {
    let refspec = format!("refs/heads/{branch}:refs/heads/{branch}");
    let output = Command::new("git")
        .current_dir(repo_dir)
        // Never wait for a password: a reconcile runs unattended.
        .env("GIT_TERMINAL_PROMPT", "0")
        .args(["push", "--porcelain", "--", remote, &refspec])
        .output()
        .map_err(|error| PushError::Spawn { dir: repo_dir.to_path_buf(), error })?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    // `--porcelain` prints one line per ref: a flag, a tab, `from:to`, a tab and a summary
    // (git-push(1), "OUTPUT"): ` ` fast-forward, `*` new, `=` up to date, `!` rejected.
    let line = stdout.lines().find(|line| line.split('\t').nth(1) == Some(refspec.as_str()));
    if let Some(line) = line {
        let mut fields = line.split('\t');
        let flag = fields.next().unwrap_or_default();
        let summary = fields.nth(1).unwrap_or_default();
        match flag {
            " " | "*" | "+" => return Ok(PushOutcome::Pushed),
            "=" => return Ok(PushOutcome::UpToDate),
            "!" => {
                let reason = summary.trim_start_matches("[rejected]").trim().trim_matches(['(', ')']).to_owned();
                return Ok(PushOutcome::Rejected { reason });
            }
            _ => {}
        }
    }
    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    Err(PushError::Failed { remote: remote.to_owned(), branch: branch.to_owned(), stderr })
}
