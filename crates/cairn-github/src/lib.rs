//! cairn on GitHub: reading the GitHub Actions environment, and publishing a plan as one
//! sticky pull-request comment and a check run with annotations, through octocrab.
//!
//! Everything cairn sends is a `Request`: one of a closed set of `Operation`s on one repository,
//! carried out through octocrab's typed API (`GitHubApi`), or printed with its method, path and
//! JSON body and not sent (`DryRun`), so that `--dry-run` shows what a real run would send.

mod annotations;
mod api;
mod environment;
mod publish;
mod request;

pub use annotations::{ANNOTATIONS_PER_REQUEST, Annotation, AnnotationLevel, annotation};
pub use api::{Api, ApiError, ClientError, DryRun, GitHubApi, Retry, RetryPolicy};
pub use environment::{CiError, Environment, Trigger};
pub use publish::{
    CHECK_RUN_SUMMARY_LIMIT, COMMENT_LIMIT, CheckRun, Published, Reviewers, STEP_SUMMARY_LIMIT, fit, publish_check_run,
    request_reviews, upsert_comment,
};
pub use request::{
    Answer, COMMENTS_PER_PAGE, CheckRunUpdate, Comment, CommentBody, Conclusion, NewCheckRun, Operation, Output,
    Request, ReviewRequest, Status,
};
