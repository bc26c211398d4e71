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
