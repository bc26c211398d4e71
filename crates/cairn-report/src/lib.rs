//! Renderings of an `Outcome`. Every format reads the same diagnostics; each is its own module.
//!
//! Paths: every format meant for GitHub or for tools (github, SARIF, JSON, Markdown) gives paths
//! from the git repository's root (`Outcome::prefix` before the platform's own paths), so that
//! annotations attach and links resolve for a platform in a subfolder. The human rendering keeps
//! the platform's own paths: it is read beside the platform folder that was named on the
//! command line, and its snippets come from the source map, keyed by those paths.

mod audit;
mod audit_report;
mod audit_stats;
mod codes;
mod environments;
mod github;
mod human;
mod json;
mod level_changes;
mod origin;
mod paths;
mod plan;
mod policy_test;
mod reconcile;
mod rendered;
mod rendering;
mod run;
mod sarif;
mod scorecards;
mod table;

pub use audit::{audit_csv, audit_human, audit_json};
pub use audit_report::{audit_report_csv, audit_report_json, audit_report_markdown};
pub use audit_stats::{audit_stats_csv, audit_stats_json, audit_stats_markdown};
pub use environments::{environments_human, environments_json, environments_markdown};
pub use github::github;
pub use human::{HumanOptions, human, human_summary, policy_tests};
pub use json::{JsonOptions, json};
pub use origin::{judged, revision};
pub use paths::uri_path;
pub use plan::{COMMENT_MARKER, Links, PlanOptions, check_markdown, plan_human, plan_json, plan_markdown, verdict};
pub use policy_test::{policy_tests_json, policy_tests_junit};
pub use reconcile::{
    ItemKind, ItemStatus, ReconcileItem, Reconciled, Reminder, reconcile_human, reconcile_json, reminder_markdown,
    reminder_marker, reminder_title,
};
pub use rendered::MARKDOWN_BUDGET;
pub use rendering::{rendering_json, verification_json};
pub use run::{RunResult, run_human, run_json, run_markdown};
pub use sarif::sarif;
pub use scorecards::{scorecard_entity_human, scorecards_csv, scorecards_human, scorecards_json, scorecards_markdown};
