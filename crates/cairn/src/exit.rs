//! `ExitStatus`: the exit codes, stable and documented (README.md), and the one place a verdict
//! becomes one.

use std::process::ExitCode;

use cairn_engine::Verdict;

/// How `cairn` exits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: nothing that counts failed.
    Clean,
    /// 1: errors found, a failing policy test, or a change that introduces an error.
    Findings,
    /// 2: a usage error, a repository or revision that cannot be read, output that cannot be
    /// written, or a broken policy set (the platform's rules could not be evaluated).
    Failure,
}

impl From<Verdict> for ExitStatus {
    fn from(verdict: Verdict) -> Self {
        match verdict {
            Verdict::Pass => ExitStatus::Clean,
            Verdict::Fail => ExitStatus::Findings,
            Verdict::Broken => ExitStatus::Failure,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(match status {
            ExitStatus::Clean => 0,
            ExitStatus::Findings => 1,
            ExitStatus::Failure => 2,
        })
    }
}
