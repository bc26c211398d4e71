//! The two ways to carry out a `Request`: through octocrab's typed API (`GitHubApi`), or printed
//! and not sent (`DryRun`).
//!
//! Every call goes through octocrab's typed handlers where they send what GitHub documents:
//! `issues().list_comments`, `create_comment` and `delete_comment`, `checks().create_check_run`
//! and `update_check_run` (annotations included), `pulls().request_reviews`. One does not:
//! octocrab 0.54's `issues().update_comment` sends `POST`, while GitHub documents `PATCH` for
//! updating a comment, so cairn sends that one through octocrab's generic `patch` with a typed
//! body and octocrab's `Comment` as the answer.
//!
//! The git data API and pulls go through `repos().get`, `get_ref`, `get_commit`, `create_blob`,
//! `git().create_commit`, `create_ref`, `update_ref`, `pulls().list` and `pulls().create`. One
//! does not: octocrab's `create_tree` leaves an entry's `sha` out when it is `None`, while GitHub
//! deletes a path only when its entry says `"sha": null`, so cairn posts its own `NewTree`.
//!
//! # What retries what
//!
//! - octocrab's own retry layer (its `retry` feature, `RetryConfig`) is turned off. Its default,
//!   `Simple(3)`, retries 429s, 5xx and transport errors at once, with no pause at all; its
//!   `HandleRateLimits` waits whole seconds up to the rate limit's reset (an hour, at worst),
//!   cannot tell a secondary rate limit from a permission error when the 403 carries no header
//!   (GitHub may say so only in the message), and retries silently.
//! - cairn retries rate limits itself, in `GitHubApi::send`: a 429, or a 403 that carries
//!   `retry-after` or `x-ratelimit-remaining: 0` or whose message says "rate limit". It waits as
//!   long as `retry-after` says, else until `x-ratelimit-reset` when the limit is spent, else
//!   `RetryPolicy::base` (the CLI reads it from `CAIRN_RETRY_BASE_MS`) doubled at each attempt;
//!   never more than a minute at a time, and at most `RetryPolicy::attempts` tries in all. Each
//!   retry is reported to the caller's `on_retry` before the wait, so that the log says why the
//!   job is waiting.
//! - Nothing else is retried: other 4xx are answers, and transport errors and 5xx end the
//!   request with an error the caller reports (a 5xx may come after GitHub acted, and a second
//!   check run is worse than a reported error).

use std::fmt;
use std::io::Write;
use std::time::{Duration, SystemTime};

use octocrab::Octocrab;
use octocrab::models::{CheckRunId, CommentId, IssueState};
use octocrab::params::checks::CheckRunStatus;
use octocrab::params::repos::Reference;
use octocrab::service::middleware::retry::RetryConfig;
use serde::Deserialize;

use crate::request::{
    Answer, COMMENTS_PER_PAGE, Comment, CommitObject, ISSUES_PER_PAGE, Issue, Operation, PULLS_PER_PAGE, Pull,
    PullState, Request, Status,
};

/// The longest cairn waits before one retry, whatever GitHub asks.
const LONGEST_PAUSE: Duration = Duration::from_secs(60);

/// A request that failed, or that could not be printed.
#[derive(Debug)]
pub enum ApiError {
    /// GitHub answered with an error status; its message is the source.
    Refused { status: u16, source: Box<octocrab::GitHubError> },
    /// No answer came: the connection, TLS or a timeout failed.
    Unreachable { source: octocrab::Error },
    /// GitHub answered, but not with what octocrab reads from that endpoint.
    Unreadable { source: octocrab::Error },
    /// `--dry-run` could not print the request.
    Unprintable { source: std::io::Error },
    /// What the request needs does not exist: `what` names it (``the branch `main` ``).
    Missing { what: String },
    /// The answer to `request` (its method and path) was not the kind that request gets.
    Unexpected { request: String },
}

impl ApiError {
    /// The HTTP status, if GitHub answered with an error.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Refused { status, .. } => Some(*status),
            ApiError::Unreachable { .. }
            | ApiError::Unreadable { .. }
            | ApiError::Unprintable { .. }
            | ApiError::Missing { .. }
            | ApiError::Unexpected { .. } => None,
        }
    }

    fn from_octocrab(error: octocrab::Error) -> ApiError {
        match error {
            // octocrab's `Error::GitHub` displays as its variant's name alone, so the chain starts
            // at what it wraps: GitHub's status and message.
            octocrab::Error::GitHub { source, .. } => ApiError::Refused { status: source.status_code.as_u16(), source },
            octocrab::Error::Json { .. } | octocrab::Error::Serde { .. } => ApiError::Unreadable { source: error },
            other => ApiError::Unreachable { source: other },
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Refused { status, .. } => write!(f, "GitHub answered {status}"),
            ApiError::Unreachable { .. } => f.write_str("GitHub could not be reached"),
            ApiError::Unreadable { .. } => f.write_str("GitHub's answer could not be read"),
            ApiError::Unprintable { .. } => f.write_str("the request could not be printed"),
            ApiError::Missing { what } => write!(f, "{what} does not exist on GitHub"),
            ApiError::Unexpected { request } => write!(f, "the answer to `{request}` was not the one expected"),
        }
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ApiError::Refused { source, .. } => Some(source.as_ref()),
            ApiError::Unreachable { source } | ApiError::Unreadable { source } => Some(source),
            ApiError::Unprintable { source } => Some(source),
            ApiError::Missing { .. } | ApiError::Unexpected { .. } => None,
        }
    }
}

/// What carries out cairn's requests.
pub trait Api {
    fn send(&mut self, request: &Request) -> Result<Answer, ApiError>;
}

/// How rate-limited requests are retried (see the module's documentation): up to `attempts`
/// tries in all, waiting `base`, then twice as long each time, unless GitHub says how long.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub base: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { attempts: 5, base: Duration::from_secs(2) }
    }
}

/// A rate-limited request about to be sent again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retry {
    pub method: &'static str,
    pub path: String,
    /// GitHub's answer: 429, or 403.
    pub status: u16,
    /// The try that was refused: 1 for the first.
    pub attempt: u32,
    /// How long cairn waits before the next try.
    pub pause: Duration,
}

impl fmt::Display for Retry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "GitHub rate-limited `{} {}` ({}); retrying in {} ms",
            self.method,
            self.path,
            self.status,
            self.pause.as_millis()
        )
    }
}

/// Why a `GitHubApi` could not be set up.
#[derive(Debug)]
pub enum ClientError {
    /// The runtime octocrab runs on could not start.
    Runtime { source: std::io::Error },
    /// The API's URL is not one.
    ApiUrl { url: String, source: octocrab::Error },
    /// The token cannot be sent in a header (octocrab would panic on it).
    Token,
    /// octocrab could not build its client.
    Client { source: octocrab::Error },
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Runtime { .. } => f.write_str("cannot start the runtime that talks to GitHub"),
            ClientError::ApiUrl { url, .. } => write!(f, "`{url}` is not a URL"),
            ClientError::Token => f.write_str("the token has a control character (a line break?)"),
            ClientError::Client { .. } => f.write_str("cannot set up the GitHub client"),
        }
    }
}

impl std::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Runtime { source } => Some(source),
            ClientError::ApiUrl { source, .. } | ClientError::Client { source } => Some(source),
            ClientError::Token => None,
        }
    }
}

/// GitHub's REST API through octocrab's typed API.
pub struct GitHubApi {
    octocrab: Octocrab,
    runtime: tokio::runtime::Runtime,
    retry: RetryPolicy,
    on_retry: Box<dyn FnMut(&Retry)>,
}

impl fmt::Debug for GitHubApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GitHubApi").field("retry", &self.retry).finish_non_exhaustive()
    }
}

impl GitHubApi {
    /// A client of the API at `api_url` (GitHub's, or a GitHub Enterprise server's) that
    /// authenticates with `token`.
    pub fn new(api_url: &str, token: &str, retry: RetryPolicy) -> Result<GitHubApi, ClientError> {
        if token.chars().any(char::is_control) {
            return Err(ClientError::Token);
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|source| ClientError::Runtime { source })?;
        let octocrab = {
            // octocrab's client spawns its worker on the runtime it is built in.
            let _guard = runtime.enter();
            Octocrab::builder()
                .base_uri(api_url)
                .map_err(|source| ClientError::ApiUrl { url: api_url.to_owned(), source })?
                .personal_token(token.to_owned())
                // cairn retries itself (see the module's documentation).
                .add_retry_config(RetryConfig::None)
                .build()
                .map_err(|source| ClientError::Client { source })?
        };
        Ok(GitHubApi { octocrab, runtime, retry, on_retry: Box::new(|_| {}) })
    }

    /// Calls `on_retry` before each wait for a rate-limited request.
    #[must_use]
    pub fn on_retry(mut self, on_retry: impl FnMut(&Retry) + 'static) -> GitHubApi {
        self.on_retry = Box::new(on_retry);
        self
    }
}

impl Api for GitHubApi {
    fn send(&mut self, request: &Request) -> Result<Answer, ApiError> {
        let mut backoff = self.retry.base;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let error = match self.runtime.block_on(perform(&self.octocrab, request)) {
                Ok(answer) => return Ok(answer),
                Err(error) => error,
            };
            let retry = match &error {
                octocrab::Error::GitHub { source, .. } if attempt < self.retry.attempts => {
                    let refusal = Refusal::of(source);
                    refusal.pause(backoff, SystemTime::now()).map(|pause| (refusal.status, pause))
                }
                _ => None,
            };
            let Some((status, pause)) = retry else {
                return Err(ApiError::from_octocrab(error));
            };
            let retry = Retry { method: request.method(), path: request.path(), status, attempt, pause };
            (self.on_retry)(&retry);
            std::thread::sleep(pause);
            backoff = backoff.saturating_mul(2);
        }
    }
}

/// The part of a created tree cairn reads.
#[derive(Deserialize)]
struct CreatedTree {
    sha: String,
}

fn ref_sha(reference: &octocrab::models::repos::Ref) -> String {
    match &reference.object {
        octocrab::models::repos::Object::Commit { sha, .. }
        | octocrab::models::repos::Object::Tag { sha, .. }
        | octocrab::models::repos::Object::Tree { sha, .. }
        | octocrab::models::repos::Object::Blob { sha, .. } => sha.clone(),
        // octocrab's `Object` is non-exhaustive; a branch always points at a commit.
        _ => String::new(),
    }
}

fn commit_object(commit: octocrab::models::commits::GitCommitObject) -> CommitObject {
    CommitObject {
        sha: commit.sha,
        tree: commit.tree.sha,
        parents: commit.parents.into_iter().filter_map(|parent| parent.sha).collect(),
    }
}

fn pull(pull: &octocrab::models::pulls::PullRequest) -> Pull {
    // The listing has no `merged` field; `merged_at` is set exactly when the pull request was
    // merged. https://docs.github.com/en/rest/pulls/pulls#list-pull-requests
    let state = if pull.merged_at.is_some() {
        PullState::Merged
    } else if pull.state == Some(IssueState::Closed) {
        PullState::Closed
    } else {
        PullState::Open
    };
    Pull { number: pull.number, url: pull.html_url.as_ref().map(ToString::to_string).unwrap_or_default(), state }
}

/// Carries out one request through octocrab's typed API.
#[allow(clippy::too_many_lines)] // One arm per operation, each a call or two.
async fn perform(octocrab: &Octocrab, request: &Request) -> Result<Answer, octocrab::Error> {
    let (owner, repo) = (request.owner.as_str(), request.repo.as_str());
    match &request.operation {
        // cairn pages itself rather than following octocrab's `Page::next`, so that each page is
        // one `Request`: printed by `--dry-run`, retried on its own.
        Operation::ListComments { issue, page } => {
            let comments = octocrab
                .issues(owner, repo)
                .list_comments(*issue)
                .per_page(COMMENTS_PER_PAGE)
                .page(*page)
                .send()
                .await?;
            let comments = comments
                .items
                .into_iter()
                .map(|comment| Comment { id: comment.id.into_inner(), body: comment.body.unwrap_or_default() })
                .collect();
            Ok(Answer::Comments(comments))
        }
        Operation::CreateComment { issue, body } => {
            let comment = octocrab.issues(owner, repo).create_comment(*issue, &body.body).await?;
            Ok(Answer::Created { id: comment.id.into_inner() })
        }
        // Not `issues().update_comment`: it sends `POST`, and GitHub documents `PATCH`.
        Operation::UpdateComment { body, .. } => {
            let _: octocrab::models::issues::Comment = octocrab.patch(request.path(), Some(body)).await?;
            Ok(Answer::Done)
        }
        Operation::DeleteComment { comment } => {
            octocrab.issues(owner, repo).delete_comment(CommentId(*comment)).await?;
            Ok(Answer::Done)
        }
        Operation::CreateCheckRun(run) => {
            let created = octocrab
                .checks(owner, repo)
                .create_check_run(&run.name, &run.head_sha)
                .status(match run.status {
                    Status::Completed => CheckRunStatus::Completed,
                })
                .conclusion(run.conclusion.to_octocrab())
                .output(run.output.to_octocrab())
                .send()
                .await?;
            Ok(Answer::Created { id: created.id.into_inner() })
        }
        Operation::UpdateCheckRun { check_run, update } => {
            octocrab
                .checks(owner, repo)
                .update_check_run(CheckRunId(*check_run))
                .output(update.output.to_octocrab())
                .send()
                .await?;
            Ok(Answer::Done)
        }
        // octocrab reads the answer (a pull request) as a `Review`; cairn uses none of it.
        Operation::RequestReviews { pull, request } => {
            octocrab
                .pulls(owner, repo)
                .request_reviews(*pull, request.reviewers.clone(), request.team_reviewers.clone())
                .await?;
            Ok(Answer::Done)
        }
        Operation::GetRepository => {
            let repository = octocrab.repos(owner, repo).get().await?;
            Ok(Answer::Repository { default_branch: repository.default_branch.unwrap_or_default() })
        }
        // GitHub answers 404 when the branch does not exist: an answer, not a failure.
        Operation::GetRef { branch } => {
            match octocrab.repos(owner, repo).get_ref(&Reference::Branch(branch.clone())).await {
                Ok(reference) => Ok(Answer::Ref { sha: ref_sha(&reference) }),
                Err(octocrab::Error::GitHub { source, .. }) if source.status_code.as_u16() == 404 => {
                    Ok(Answer::Missing)
                }
                Err(error) => Err(error),
            }
        }
        Operation::GetCommit { sha } => {
            let commit = octocrab.repos(owner, repo).get_commit(sha.clone()).await?;
            Ok(Answer::Commit(commit_object(commit)))
        }
        Operation::CreateBlob(blob) => {
            let created =
                octocrab.repos(owner, repo).create_blob(blob.content.clone()).encoding(blob.encoding).send().await?;
            Ok(Answer::Object { sha: created.sha })
        }
        // Not `create_tree`: see the module's documentation.
        Operation::CreateTree(tree) => {
            let created: CreatedTree = octocrab.post(request.path(), Some(tree)).await?;
            Ok(Answer::Object { sha: created.sha })
        }
        Operation::CreateCommit(commit) => {
            let created = octocrab
                .repos(owner, repo)
                .git()
                .create_commit(commit.message.clone(), commit.tree.clone())
                .parents(commit.parents.clone())
                .send()
                .await?;
            Ok(Answer::Commit(commit_object(created)))
        }
        Operation::CreateRef(new) => {
            let branch = new.reference.strip_prefix("refs/heads/").unwrap_or(&new.reference);
            let created =
                octocrab.repos(owner, repo).create_ref(&Reference::Branch(branch.to_owned()), new.sha.clone()).await?;
            Ok(Answer::Ref { sha: ref_sha(&created) })
        }
        Operation::UpdateRef { branch, update } => {
            let updated = octocrab
                .repos(owner, repo)
                .update_ref(&Reference::Branch(branch.clone()), update.sha.clone())
                .force(update.force)
                .send()
                .await?;
            Ok(Answer::Ref { sha: ref_sha(&updated) })
        }
        Operation::ListPulls { head } => {
            let pulls = octocrab
                .pulls(owner, repo)
                .list()
                .state(octocrab::params::State::All)
                .head(head.clone())
                .per_page(PULLS_PER_PAGE)
                .page(1_u32)
                .send()
                .await?;
            Ok(Answer::Pulls(pulls.items.iter().map(pull).collect()))
        }
        Operation::CreatePull(new) => {
            let created = octocrab
                .pulls(owner, repo)
                .create(new.title.clone(), new.head.clone(), new.base.clone())
                .body(new.body.clone())
                .draft(new.draft)
                .send()
                .await?;
            Ok(Answer::Pull(pull(&created)))
        }
        Operation::ListIssues { label, page } => {
            let issues = octocrab
                .issues(owner, repo)
                .list()
                .state(octocrab::params::State::All)
                .labels(std::slice::from_ref(label))
                .per_page(ISSUES_PER_PAGE)
                .page(*page)
                .send()
                .await?;
            // The issues endpoint lists pull requests too; a reminder is never one.
            Ok(Answer::Issues(issues.items.iter().filter(|found| found.pull_request.is_none()).map(issue).collect()))
        }
        Operation::CreateIssue(new) => {
            // Boxed: octocrab's issue builder makes a large future.
            let created = Box::pin(
                octocrab
                    .issues(owner, repo)
                    .create(new.title.clone())
                    .body(new.body.clone())
                    .labels(new.labels.clone())
                    .send(),
            )
            .await?;
            Ok(Answer::Issue(issue(&created)))
        }
    }
}

fn issue(issue: &octocrab::models::issues::Issue) -> Issue {
    Issue { number: issue.number, url: issue.html_url.to_string(), body: issue.body.clone().unwrap_or_default() }
}

/// What cairn reads of GitHub's refusal to decide on a retry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Refusal {
    status: u16,
    message: String,
    /// `retry-after`, in seconds.
    retry_after: Option<u64>,
    /// `x-ratelimit-remaining`.
    remaining: Option<u64>,
    /// `x-ratelimit-reset`, in seconds since the Unix epoch.
    reset: Option<u64>,
}

impl Refusal {
    fn of(error: &octocrab::GitHubError) -> Refusal {
        let header = |name: &str| {
            error
                .headers
                .as_ref()
                .and_then(|headers| headers.get(name))
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.trim().parse::<u64>().ok())
        };
        Refusal {
            status: error.status_code.as_u16(),
            message: error.message.clone(),
            retry_after: header("retry-after"),
            remaining: header("x-ratelimit-remaining"),
            reset: error.rate_limit_reset,
        }
    }

    /// How long to wait before trying again, or `None` when this is not a rate limit.
    fn pause(&self, backoff: Duration, now: SystemTime) -> Option<Duration> {
        let spent = self.remaining == Some(0);
        let rate_limited = self.status == 429
            || (self.status == 403
                && (self.retry_after.is_some() || spent || self.message.to_ascii_lowercase().contains("rate limit")));
        if !rate_limited {
            return None;
        }
        let until_reset = || {
            let reset = SystemTime::UNIX_EPOCH + Duration::from_secs(self.reset?);
            Some(reset.duration_since(now).unwrap_or(Duration::ZERO))
        };
        let pause = match self.retry_after {
            Some(seconds) => Duration::from_secs(seconds),
            None if spent => until_reset().unwrap_or(backoff),
            None => backoff,
        };
        Some(pause.min(LONGEST_PAUSE))
    }
}

/// Prints each request instead of sending it. It reads nothing from GitHub, so its answers are
/// those of a repository where nothing cairn looks for exists yet: lists are empty, a branch or
/// the repository is `Missing`, a commit asked for by its sha has a placeholder tree, and what is
/// created gets id 0, a placeholder sha (`<blob 1>`, `<tree 2>`, `<commit 3>`: the number counts
/// the requests) or pull request number 0. So `open_pull_request` prints a first run's requests
/// when its spec names the `parent` commit, and stops at the base branch (`Missing`) when not.
pub struct DryRun<W: Write> {
    out: W,
    pub sent: Vec<Request>,
}

impl<W: Write> DryRun<W> {
    pub fn new(out: W) -> Self {
        DryRun { out, sent: Vec::new() }
    }

    /// Where the requests were printed.
    pub fn into_output(self) -> W {
        self.out
    }
}

impl<W: Write> fmt::Debug for DryRun<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DryRun").field("sent", &self.sent.len()).finish_non_exhaustive()
    }
}

impl<W: Write> Api for DryRun<W> {
    fn send(&mut self, request: &Request) -> Result<Answer, ApiError> {
        let unprintable = |source| ApiError::Unprintable { source };
        writeln!(self.out, "would send: {} {}", request.method(), request.path()).map_err(unprintable)?;
        if request.write_body(&mut self.out).map_err(|error| unprintable(error.into()))? {
            writeln!(self.out).map_err(unprintable)?;
        }
        self.sent.push(request.clone());
        let placeholder = |kind: &str| format!("<{kind} {}>", self.sent.len());
        Ok(match &request.operation {
            Operation::ListComments { .. } => Answer::Comments(Vec::new()),
            Operation::CreateComment { .. } | Operation::CreateCheckRun(_) => Answer::Created { id: 0 },
            Operation::UpdateComment { .. }
            | Operation::DeleteComment { .. }
            | Operation::UpdateCheckRun { .. }
            | Operation::RequestReviews { .. } => Answer::Done,
            Operation::GetRepository | Operation::GetRef { .. } => Answer::Missing,
            Operation::GetCommit { sha } => {
                Answer::Commit(CommitObject { sha: sha.clone(), tree: format!("<tree of {sha}>"), parents: Vec::new() })
            }
            Operation::CreateBlob(_) => Answer::Object { sha: placeholder("blob") },
            Operation::CreateTree(_) => Answer::Object { sha: placeholder("tree") },
            Operation::CreateCommit(commit) => Answer::Commit(CommitObject {
                sha: placeholder("commit"),
                tree: commit.tree.clone(),
                parents: commit.parents.clone(),
            }),
            Operation::CreateRef(new) => Answer::Ref { sha: new.sha.clone() },
            Operation::UpdateRef { update, .. } => Answer::Ref { sha: update.sha.clone() },
            Operation::ListPulls { .. } => Answer::Pulls(Vec::new()),
            Operation::CreatePull(_) => Answer::Pull(Pull { number: 0, url: String::new(), state: PullState::Open }),
            Operation::ListIssues { .. } => Answer::Issues(Vec::new()),
            Operation::CreateIssue(_) => Answer::Issue(Issue { number: 0, url: String::new(), body: String::new() }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::CommentBody;

    const BACKOFF: Duration = Duration::from_millis(8);

    fn refusal(status: u16, message: &str) -> Refusal {
        Refusal { status, message: message.to_owned(), ..Refusal::default() }
    }

    #[test]
    fn rate_limits_are_retried_and_other_refusals_are_not() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        assert_eq!(refusal(429, "API rate limit exceeded").pause(BACKOFF, now), Some(BACKOFF));
        let secondary = refusal(403, "You have exceeded a secondary rate limit. Please wait a few minutes.");
        assert_eq!(secondary.pause(BACKOFF, now), Some(BACKOFF), "GitHub may say so in the message only");
        let told = Refusal { retry_after: Some(3), ..refusal(403, "") };
        assert_eq!(told.pause(BACKOFF, now), Some(Duration::from_secs(3)), "retry-after decides");
        let spent = Refusal { remaining: Some(0), reset: Some(1_030), ..refusal(403, "") };
        assert_eq!(spent.pause(BACKOFF, now), Some(Duration::from_secs(30)), "until the reset");
        let later = Refusal { retry_after: Some(3_600), ..refusal(429, "") };
        assert_eq!(later.pause(BACKOFF, now), Some(LONGEST_PAUSE), "never more than a minute");
        assert_eq!(refusal(403, "Resource not accessible by integration").pause(BACKOFF, now), None);
        assert_eq!(refusal(401, "Bad credentials").pause(BACKOFF, now), None);
        assert_eq!(refusal(502, "Bad Gateway").pause(BACKOFF, now), None);
    }

    #[test]
    fn a_dry_run_prints_each_request_and_its_body() {
        let mut dry = DryRun::new(Vec::new());
        let request = |operation| Request { owner: "acme".into(), repo: "platform".into(), operation };
        let listed = dry.send(&request(Operation::ListComments { issue: 7, page: 1 })).ok();
        assert_eq!(listed, Some(Answer::Comments(Vec::new())));
        let body = CommentBody { body: "hello".into() };
        let created = dry.send(&request(Operation::CreateComment { issue: 7, body })).ok();
        assert_eq!(created, Some(Answer::Created { id: 0 }));
        let printed = String::from_utf8(std::mem::take(&mut dry.out)).unwrap_or_default();
        assert_eq!(
            printed,
            "would send: GET /repos/acme/platform/issues/7/comments?per_page=100&page=1\n\
             would send: POST /repos/acme/platform/issues/7/comments\n{\n  \"body\": \"hello\"\n}\n"
        );
        assert_eq!(dry.sent.len(), 2);
    }

    #[test]
    fn a_token_with_a_line_break_is_refused_before_octocrab_panics_on_it() {
        let error = GitHubApi::new("https://api.github.com", "ghs_x\n", RetryPolicy::default()).err();
        assert!(matches!(error, Some(ClientError::Token)), "{error:?}");
    }
}
