//! What cairn asks of GitHub's REST API, as data: a closed set of `Operation`s with typed bodies
//! that serialize as octocrab's own types do, and what GitHub answers, as far as cairn reads it.

use std::io::Write;

use octocrab::params::checks::{CheckRunConclusion, CheckRunOutput as OctocrabOutput};
use serde::Serialize;

use crate::annotations::Annotation;

/// How many comments one page of the listing holds: GitHub's maximum.
pub const COMMENTS_PER_PAGE: u8 = 100;

/// The body of a comment, created or updated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommentBody {
    pub body: String,
}

/// How a completed check run concluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    Success,
    Failure,
    Neutral,
}

impl Conclusion {
    pub(crate) fn to_octocrab(self) -> CheckRunConclusion {
        match self {
            Conclusion::Success => CheckRunConclusion::Success,
            Conclusion::Failure => CheckRunConclusion::Failure,
            Conclusion::Neutral => CheckRunConclusion::Neutral,
        }
    }
}

/// The status cairn gives a check run: it is created once its work is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Completed,
}

/// A check run's output, as octocrab's `CheckRunOutput` serializes it (no annotations, no field).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Output {
    pub title: String,
    pub summary: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
}

impl Output {
    pub(crate) fn to_octocrab(&self) -> OctocrabOutput {
        OctocrabOutput {
            title: self.title.clone(),
            summary: self.summary.clone(),
            text: None,
            annotations: self.annotations.iter().map(Annotation::to_octocrab).collect(),
            images: Vec::new(),
        }
    }
}

/// A completed check run to create, as octocrab's `create_check_run` builder serializes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewCheckRun {
    pub name: String,
    pub head_sha: String,
    pub status: Status,
    pub conclusion: Conclusion,
    pub output: Output,
}

/// More output for a check run, as octocrab's `update_check_run` builder serializes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckRunUpdate {
    pub output: Output,
}

/// Whom a pull request asks for review, as octocrab's `request_reviews` sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReviewRequest {
    pub reviewers: Vec<String>,
    pub team_reviewers: Vec<String>,
}

/// Each thing cairn asks of GitHub. Nothing else can be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operation {
    /// One page of an issue's (or a pull request's) comments, `COMMENTS_PER_PAGE` to a page.
    ListComments {
        issue: u64,
        page: u32,
    },
    CreateComment {
        issue: u64,
        body: CommentBody,
    },
    UpdateComment {
        comment: u64,
        body: CommentBody,
    },
    DeleteComment {
        comment: u64,
    },
    CreateCheckRun(NewCheckRun),
    UpdateCheckRun {
        check_run: u64,
        update: CheckRunUpdate,
    },
    RequestReviews {
        pull: u64,
        request: ReviewRequest,
    },
}

/// One operation on one repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub owner: String,
    pub repo: String,
    pub operation: Operation,
}

impl Request {
    /// The HTTP method GitHub receives.
    #[must_use]
    pub fn method(&self) -> &'static str {
        match &self.operation {
            Operation::ListComments { .. } => "GET",
            Operation::CreateComment { .. } | Operation::CreateCheckRun(_) | Operation::RequestReviews { .. } => "POST",
            Operation::UpdateComment { .. } | Operation::UpdateCheckRun { .. } => "PATCH",
            Operation::DeleteComment { .. } => "DELETE",
        }
    }

    /// The path under the API's root, with its query, as octocrab builds it:
    /// `/repos/o/r/issues/7/comments?per_page=100&page=1`.
    #[must_use]
    pub fn path(&self) -> String {
        let base = format!("/repos/{}/{}", self.owner, self.repo);
        match &self.operation {
            Operation::ListComments { issue, page } => {
                format!("{base}/issues/{issue}/comments?per_page={COMMENTS_PER_PAGE}&page={page}")
            }
            Operation::CreateComment { issue, .. } => format!("{base}/issues/{issue}/comments"),
            Operation::UpdateComment { comment, .. } | Operation::DeleteComment { comment } => {
                format!("{base}/issues/comments/{comment}")
            }
            Operation::CreateCheckRun(_) => format!("{base}/check-runs"),
            Operation::UpdateCheckRun { check_run, .. } => format!("{base}/check-runs/{check_run}"),
            Operation::RequestReviews { pull, .. } => format!("{base}/pulls/{pull}/requested_reviewers"),
        }
    }

    /// Writes the JSON body GitHub receives, pretty-printed; writes nothing for a request without
    /// one. Returns whether there was a body.
    pub fn write_body(&self, out: &mut dyn Write) -> serde_json::Result<bool> {
        match &self.operation {
            Operation::ListComments { .. } | Operation::DeleteComment { .. } => return Ok(false),
            Operation::CreateComment { body, .. } | Operation::UpdateComment { body, .. } => {
                serde_json::to_writer_pretty(out, body)?;
            }
            Operation::CreateCheckRun(run) => serde_json::to_writer_pretty(out, run)?,
            Operation::UpdateCheckRun { update, .. } => serde_json::to_writer_pretty(out, update)?,
            Operation::RequestReviews { request, .. } => serde_json::to_writer_pretty(out, request)?,
        }
        Ok(true)
    }
}

/// A comment as far as cairn reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub id: u64,
    pub body: String,
}

/// What GitHub answered to an operation, as far as cairn reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A page of comments (to `ListComments`).
    Comments(Vec<Comment>),
    /// The id of what was created (to `CreateComment` and `CreateCheckRun`).
    Created { id: u64 },
    /// Done (to everything else).
    Done,
}

impl Answer {
    /// The comments of a `Comments` answer; none for any other.
    #[must_use]
    pub fn into_comments(self) -> Vec<Comment> {
        match self {
            Answer::Comments(comments) => comments,
            Answer::Created { .. } | Answer::Done => Vec::new(),
        }
    }

    /// The id of a `Created` answer; 0 (which GitHub never gives) for any other.
    #[must_use]
    pub fn created_id(&self) -> u64 {
        match self {
            Answer::Created { id } => *id,
            Answer::Comments(_) | Answer::Done => 0,
        }
    }
}
