//! Renderings of an `Outcome`. Every format reads the same diagnostics; each is its own module.

mod github;
mod human;
mod json;
mod plan;
mod policy_test;
mod sarif;

pub use github::github;
pub use human::{HumanOptions, human, policy_tests};
pub use json::json;
pub use plan::{COMMENT_MARKER, Links, PlanOptions, check_markdown, plan_human, plan_json, plan_markdown, verdict};
pub use policy_test::{policy_tests_json, policy_tests_junit};
pub use sarif::sarif;
