//! cairn's pipelines as a library API. Data flows one way: a `Source` (directory or git
//! revision) is listed, its files are read and parsed in parallel into blueprints and entities,
//! the catalog is built and validated, and the findings come out as an `Outcome`.
//!
//! Boundary: nothing here prints or exits; the CLI decides what to show and which exit code.

mod actions;
mod as_of;
mod audit;
mod audit_report;
mod audit_stats;
mod change;
mod check;
mod environments;
mod error;
mod init;
mod level_changes;
mod load;
mod orchestrate;
mod plan;
mod policy_test;
mod publish;
mod reconcile;
mod render;
mod rendered_diff;
mod run;
mod scorecards;
mod shape;
#[cfg(test)]
mod testing;
mod verdict;
mod verify;
mod waivers;
mod workloads;

pub use actions::{ActionSet, actions};
pub use as_of::revision_at;
pub use audit::{
    ACTION_TRAILER, AuditChange, AuditCommit, AuditLog, AuditOptions, CommitFinding, EntityFilter, LogEntry, Person,
    RUN_BY_TRAILER, audit_log,
};
pub use audit_report::{
    AuditReport, Edit, EntityCounts, FindingKey, ReportChange, ReportFinding, ReportOptions, RuleFileChange, RuleKind,
    Violation, audit_report,
};
pub use audit_stats::{
    AuditStats, ChangeCount, EnvironmentLife, LeadTime, LevelCount, MergeLead, MonthSample, NO_TEAM, RunCount, StatsBy,
    StatsOptions, audit_stats,
};
pub use cairn_diagnostics::Severity;
pub use cairn_model::{Expiry, ExpiryRule, Timestamp, parse_now, parse_until};
pub use cairn_render::{MANIFEST_FILE, Rendered, WriteError, Written, write};
pub use cairn_scorecards::{Level, Scorecard, ScorecardRule, Standing};
pub use cairn_source::Origin;
pub use change::{check_by_rules_of, check_change};
pub use check::{Outcome, check};
pub use environments::{CommitRef, EnvironmentStatus, HISTORY_LIMIT, ResourceStatus, environments};
pub use error::EngineError;
pub use init::{ACTION_VERSION, InitError, Initialized, RootWorkflow, init};
pub use level_changes::{LevelChange, LevelShift};
pub use load::{Loaded, load};
pub use plan::{ChangeKind, Commits, EntityChange, EnvironmentChange, FieldChange, JudgedBase, Plan, expiry, plan};
pub use policy_test::{PolicyTestOutcome, test_policies};
pub use publish::{
    DIGEST_TRAILER, INPUTS_TRAILER, PublishError, Published, SOURCE_TRAILER, VERSION_TRAILER, inputs_digest,
    publish_rendered, rendered_digest, rendered_from, tree_files,
};
pub use reconcile::{Due, DueReminder, DueRun, RECONCILE_ACTOR, due, pull_request};
pub use render::{RenderOptions, Rendering, render};
pub use rendered_diff::{Content, FileChange, FileDiff, MAX_DIFFED_BYTES, RenderedDiff, rendered_diff};
pub use run::{
    Change, FileWrite, PreparedRun, RunFailure, RunRequest, WorktreeError, apply, diff_writes, prepare, preview,
    write_worktree,
};
pub use scorecards::{Score, Scorecards, Scored, scorecards};
pub use verdict::Verdict;
pub use verify::{Verification, VerifyError, verify_rendered};
