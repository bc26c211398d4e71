//! What cairn asks of GitHub's REST API, as data: a closed set of `Operation`s with typed bodies
//! that serialize as octocrab's own types do (or as GitHub documents them, where octocrab cannot
//! send them), and what GitHub answers, as far as cairn reads it.

use std::io::Write;

use octocrab::params::checks::{CheckRunConclusion, CheckRunOutput as OctocrabOutput};
use serde::Serialize;

use crate::annotations::Annotation;

/// How many comments one page of the listing holds: GitHub's maximum.
pub const COMMENTS_PER_PAGE: u8 = 100;

/// How many pull requests one page of the listing holds: GitHub's maximum. cairn reads one page:
/// a run's branch is its own, so it has a pull request or two, never a hundred.
pub const PULLS_PER_PAGE: u8 = 100;

/// How many issues one `ListIssues` page holds: GitHub's most.
pub const ISSUES_PER_PAGE: u8 = 100;

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

/// A blob to create, its content in base64 so that any bytes go through unchanged.
/// https://docs.github.com/en/rest/git/blobs#create-a-blob
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewBlob {
    pub content: String,
    /// Always `base64`.
    pub encoding: &'static str,
}

impl NewBlob {
    /// The blob of `bytes`.
    #[must_use]
    pub fn of(bytes: &[u8]) -> NewBlob {
        use base64::Engine as _;
        NewBlob { content: base64::engine::general_purpose::STANDARD.encode(bytes), encoding: "base64" }
    }
}

/// One entry of a tree to create: a file (mode `100644`, type `blob`) set to the blob `sha`, or
/// deleted when `sha` is `None`, which is sent as `null`: GitHub deletes the path from
/// `base_tree` when an entry's `sha` is null, and refuses to delete a path that does not exist.
/// https://docs.github.com/en/rest/git/trees#create-a-tree
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TreeEntry {
    pub path: String,
    pub mode: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub sha: Option<String>,
}

impl TreeEntry {
    /// The entry that sets the regular file `path` to the blob `sha`, or deletes it (`None`).
    #[must_use]
    pub fn file(path: &str, sha: Option<String>) -> TreeEntry {
        TreeEntry { path: path.to_owned(), mode: "100644", kind: "blob", sha }
    }
}

/// A tree to create: `base_tree` with `tree`'s entries set or deleted.
/// https://docs.github.com/en/rest/git/trees#create-a-tree
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewTree {
    pub base_tree: String,
    pub tree: Vec<TreeEntry>,
}

/// A commit to create; GitHub sets its author and committer to the token's user (or app).
/// https://docs.github.com/en/rest/git/commits#create-a-commit
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewCommit {
    pub message: String,
    pub tree: String,
    pub parents: Vec<String>,
}

/// A reference to create: `ref` is the full name, `refs/heads/B`.
/// https://docs.github.com/en/rest/git/refs#create-a-reference
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewRef {
    #[serde(rename = "ref")]
    pub reference: String,
    pub sha: String,
}

/// Where a branch moves; `force` lets it move to a commit that does not descend from its own.
/// https://docs.github.com/en/rest/git/refs#update-a-reference
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RefUpdate {
    pub sha: String,
    pub force: bool,
}

/// An issue to open, with its labels (GitHub creates a label that does not exist yet).
/// https://docs.github.com/en/rest/issues/issues#create-an-issue
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewIssue {
    pub title: String,
    pub body: String,
    pub labels: Vec<String>,
}

/// A pull request to open, as octocrab's `pulls().create` builder serializes it. `head` is the
/// branch's name (in the same repository).
/// https://docs.github.com/en/rest/pulls/pulls#create-a-pull-request
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewPull {
    pub title: String,
    pub head: String,
    pub base: String,
    pub body: String,
    pub draft: bool,
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
    /// The repository itself (cairn reads its default branch).
    GetRepository,
    /// A branch's reference; a branch that does not exist is the answer `Missing`, not an error.
    /// https://docs.github.com/en/rest/git/refs#get-a-reference
    GetRef {
        branch: String,
    },
    /// A commit object (cairn reads its tree and parents).
    /// https://docs.github.com/en/rest/git/commits#get-a-commit-object
    GetCommit {
        sha: String,
    },
    CreateBlob(NewBlob),
    CreateTree(NewTree),
    CreateCommit(NewCommit),
    CreateRef(NewRef),
    UpdateRef {
        branch: String,
        update: RefUpdate,
    },
    /// The first page of pull requests, open or closed, whose head is `head`, spelled
    /// `owner:branch` as GitHub filters them.
    /// https://docs.github.com/en/rest/pulls/pulls#list-pull-requests
    ListPulls {
        head: String,
    },
    CreatePull(NewPull),
    /// One page of the repository's issues, open and closed, that carry `label`,
    /// `ISSUES_PER_PAGE` to a page.
    /// https://docs.github.com/en/rest/issues/issues#list-repository-issues
    ListIssues {
        label: String,
        page: u32,
    },
    CreateIssue(NewIssue),
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
            Operation::ListComments { .. }
            | Operation::GetRepository
            | Operation::GetRef { .. }
            | Operation::GetCommit { .. }
            | Operation::ListPulls { .. }
            | Operation::ListIssues { .. } => "GET",
            Operation::CreateComment { .. }
            | Operation::CreateCheckRun(_)
            | Operation::RequestReviews { .. }
            | Operation::CreateBlob(_)
            | Operation::CreateTree(_)
            | Operation::CreateCommit(_)
            | Operation::CreateRef(_)
            | Operation::CreatePull(_)
            | Operation::CreateIssue(_) => "POST",
            Operation::UpdateComment { .. } | Operation::UpdateCheckRun { .. } | Operation::UpdateRef { .. } => "PATCH",
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
            Operation::GetRepository => base,
            Operation::GetRef { branch } => format!("{base}/git/ref/heads/{branch}"),
            Operation::GetCommit { sha } => format!("{base}/git/commits/{sha}"),
            Operation::CreateBlob(_) => format!("{base}/git/blobs"),
            Operation::CreateTree(_) => format!("{base}/git/trees"),
            Operation::CreateCommit(_) => format!("{base}/git/commits"),
            Operation::CreateRef(_) => format!("{base}/git/refs"),
            Operation::UpdateRef { branch, .. } => format!("{base}/git/refs/heads/{branch}"),
            // octocrab encodes the query as a form (serde_urlencoded): `:` and `/` escaped.
            Operation::ListPulls { head } => format!(
                "{base}/pulls?state=all&head={}&per_page={PULLS_PER_PAGE}&page=1",
                percent_encoding::utf8_percent_encode(head, FORM)
            ),
            Operation::CreatePull(_) => format!("{base}/pulls"),
            Operation::ListIssues { label, page } => format!(
                "{base}/issues?state=all&labels={}&per_page={ISSUES_PER_PAGE}&page={page}",
                percent_encoding::utf8_percent_encode(label, FORM)
            ),
            Operation::CreateIssue(_) => format!("{base}/issues"),
        }
    }

    /// Writes the JSON body GitHub receives, pretty-printed; writes nothing for a request without
    /// one. Returns whether there was a body.
    pub fn write_body(&self, out: &mut dyn Write) -> serde_json::Result<bool> {
        match &self.operation {
            Operation::ListComments { .. }
            | Operation::DeleteComment { .. }
            | Operation::GetRepository
            | Operation::GetRef { .. }
            | Operation::GetCommit { .. }
            | Operation::ListPulls { .. }
            | Operation::ListIssues { .. } => return Ok(false),
            Operation::CreateComment { body, .. } | Operation::UpdateComment { body, .. } => {
                serde_json::to_writer_pretty(out, body)?;
            }
            Operation::CreateCheckRun(run) => serde_json::to_writer_pretty(out, run)?,
            Operation::UpdateCheckRun { update, .. } => serde_json::to_writer_pretty(out, update)?,
            Operation::RequestReviews { request, .. } => serde_json::to_writer_pretty(out, request)?,
            Operation::CreateBlob(blob) => serde_json::to_writer_pretty(out, blob)?,
            Operation::CreateTree(tree) => serde_json::to_writer_pretty(out, tree)?,
            Operation::CreateCommit(commit) => serde_json::to_writer_pretty(out, commit)?,
            Operation::CreateRef(reference) => serde_json::to_writer_pretty(out, reference)?,
            Operation::UpdateRef { update, .. } => serde_json::to_writer_pretty(out, update)?,
            Operation::CreatePull(pull) => serde_json::to_writer_pretty(out, pull)?,
            Operation::CreateIssue(issue) => serde_json::to_writer_pretty(out, issue)?,
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

/// What the form encoding of a query escapes: everything but ASCII letters, digits and `*-._`
/// (a space would be `+`; branch names have none).
const FORM: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_');

/// Whether a pull request is open or closed (merged or not).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PullState {
    Open,
    Closed,
    Merged,
}

/// A pull request as far as cairn reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pull {
    pub number: u64,
    /// Its page on GitHub (`html_url`).
    pub url: String,
    pub state: PullState,
}

/// An issue as far as cairn reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub number: u64,
    /// Its page on GitHub (`html_url`).
    pub url: String,
    pub body: String,
}

/// A commit as far as cairn reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitObject {
    pub sha: String,
    pub tree: String,
    pub parents: Vec<String>,
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
    /// The repository's default branch (to `GetRepository`).
    Repository { default_branch: String },
    /// The commit a reference points at (to `GetRef`, `CreateRef` and `UpdateRef`).
    Ref { sha: String },
    /// There is no such reference (to `GetRef`).
    Missing,
    /// A commit (to `GetCommit` and `CreateCommit`).
    Commit(CommitObject),
    /// The id of a created git object (to `CreateBlob` and `CreateTree`).
    Object { sha: String },
    /// A page of pull requests (to `ListPulls`).
    Pulls(Vec<Pull>),
    /// The pull request opened (to `CreatePull`).
    Pull(Pull),
    /// A page of issues (to `ListIssues`).
    Issues(Vec<Issue>),
    /// The issue opened (to `CreateIssue`).
    Issue(Issue),
}

impl Answer {
    /// The comments of a `Comments` answer; none for any other.
    #[must_use]
    pub fn into_comments(self) -> Vec<Comment> {
        match self {
            Answer::Comments(comments) => comments,
            _ => Vec::new(),
        }
    }

    /// The id of a `Created` answer; 0 (which GitHub never gives) for any other.
    #[must_use]
    pub fn created_id(&self) -> u64 {
        match self {
            Answer::Created { id } => *id,
            _ => 0,
        }
    }
}
