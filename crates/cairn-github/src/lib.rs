//! cairn on GitHub: reading the GitHub Actions environment, and publishing a plan as one
//! sticky pull-request comment and a check run with annotations, through octocrab.
//!
//! Everything cairn sends is a `Request` (method, path, JSON body), so that `--dry-run` can print
//! exactly what a real run would send, and tests can assert it.

mod annotations;
mod api;
mod environment;
mod publish;

pub use annotations::{ANNOTATIONS_PER_REQUEST, annotation};
pub use api::{Api, ApiError, DryRun, GitHubApi, Request, RetryPolicy};
pub use environment::{CiError, Environment, Trigger};
pub use publish::{
    COMMENT_LIMIT, CheckRun, Published, fit_comment, publish_check_run, request_reviews, upsert_comment,
};
