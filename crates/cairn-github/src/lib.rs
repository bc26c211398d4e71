//! cairn on GitHub: reading the GitHub Actions environment, publishing a plan as one sticky
//! pull-request comment and a check run with annotations, and opening the pull request of an
//! action's run (git data API and pulls), through octocrab.
//!
//! Everything cairn sends is a `Request`: one of a closed set of `Operation`s on one repository,
//! carried out through octocrab's typed API (`GitHubApi`), or printed with its method, path and
//! JSON body and not sent (`DryRun`), so that `--dry-run` shows what a real run would send.

mod annotations;
mod api;
mod environment;
mod publish;
mod pull_request;
mod remind;
mod request;

pub use annotations::{ANNOTATIONS_PER_REQUEST, Annotation, AnnotationLevel, annotation};
pub use api::{Api, ApiError, ClientError, DryRun, GitHubApi, Retry, RetryPolicy};
pub use environment::{CiError, Environment, Trigger};
pub use publish::{
    CHECK_RUN_SUMMARY_LIMIT, COMMENT_LIMIT, CheckRun, Published, Reviewers, STEP_SUMMARY_LIMIT, fit, publish_check_run,
    request_reviews, upsert_comment,
};
pub use pull_request::{PullRequestOutcome, PullRequestSpec, branch_tip, default_branch, open_pull_request};
pub use remind::{REMINDER_LABEL, ReminderOutcome, ReminderSpec, ReminderTarget, post_reminder};
pub use request::{
    Answer, COMMENTS_PER_PAGE, CheckRunUpdate, Comment, CommentBody, CommitObject, Conclusion, ISSUES_PER_PAGE, Issue,
    NewBlob, NewCheckRun, NewCommit, NewIssue, NewPull, NewRef, NewTree, Operation, Output, PULLS_PER_PAGE, Pull,
    PullState, RefUpdate, Request, ReviewRequest, Status, TreeEntry,
};
