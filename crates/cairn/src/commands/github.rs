//! What `ci`, `run` and `reconcile` share to talk to GitHub: the client with cairn's retry
//! policy, the repository and API from the environment, and a run's pull request.

use cairn_engine::PreparedRun;
use cairn_github::{ApiError, ClientError, GitHubApi, PullRequestSpec, RetryPolicy};
use cairn_report::{Links, PlanOptions};
use cairn_source::Source;

use super::say;
use crate::exit::ExitStatus;

/// A client of the API at `api_url` with `token`; rate-limit pauses start at
/// `CAIRN_RETRY_BASE_MS` when set (tests set it low), and each retry is noted on stderr.
pub fn client(api_url: &str, token: &str) -> Result<GitHubApi, ClientError> {
    let retry = RetryPolicy {
        base: std::env::var("CAIRN_RETRY_BASE_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(RetryPolicy::default().base, std::time::Duration::from_millis),
        ..RetryPolicy::default()
    };
    Ok(GitHubApi::new(api_url, token, retry)?.on_retry(|retry| super::note(&format!("note: {retry}"))))
}

/// `GITHUB_REPOSITORY` as `(owner, name)`; an error naming what it is for when it is unset.
pub fn repository(purpose: &str) -> Result<(String, String), ExitStatus> {
    let value = std::env::var("GITHUB_REPOSITORY").ok();
    value.as_deref().and_then(split_repository).ok_or_else(|| {
        say(&format!("error: `GITHUB_REPOSITORY` is not set to `owner/name`: it names the repository {purpose}"));
        ExitStatus::Failure
    })
}

/// `owner/name`, split.
fn split_repository(value: &str) -> Option<(String, String)> {
    let (owner, repo) = value.trim().split_once('/')?;
    (!owner.is_empty() && !repo.is_empty() && !repo.contains('/')).then(|| (owner.to_owned(), repo.to_owned()))
}

/// `GITHUB_API_URL`, or GitHub's own.
pub fn api_url() -> String {
    std::env::var("GITHUB_API_URL")
        .ok()
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| "https://api.github.com".to_owned())
}

/// The token: `given` (`--token`), else `GITHUB_TOKEN`; `None` when neither is set.
pub fn token(given: Option<&str>) -> Option<String> {
    given.map(str::to_owned).or_else(|| std::env::var("GITHUB_TOKEN").ok()).filter(|token| !token.is_empty())
}

/// The page of the repository on GitHub, for links in what cairn writes there.
pub fn links(owner: &str, repo: &str) -> Links {
    let server = std::env::var("GITHUB_SERVER_URL").unwrap_or_else(|_| "https://github.com".to_owned());
    Links { repository: Some(format!("{}/{owner}/{repo}", server.trim_end_matches('/'))) }
}

/// The pull request of a prepared run into `base`, on `branch`: its files under the platform's
/// folder in the repository, made on the commit the run was prepared on.
pub fn run_pull_request(
    source: &Source,
    prepared: &PreparedRun,
    base: String,
    branch: String,
    actor: &str,
    links: &Links,
) -> PullRequestSpec {
    let options = PlanOptions { strict: false };
    let body = cairn_report::run_markdown(prepared, actor, options, links);
    let body = cairn_github::fit(
        &body,
        cairn_github::COMMENT_LIMIT,
        "The plan is cut here to fit GitHub's limit; `cairn run` with `--dry-run` shows it whole.",
    );
    let prefix = source.prefix();
    PullRequestSpec {
        base,
        branch,
        title: prepared.title.clone(),
        body,
        message: prepared.message.clone(),
        files: prepared.writes.iter().map(|write| (format!("{prefix}{}", write.path), write.after.clone())).collect(),
        parent: source.commit(),
    }
}

/// What to do about a GitHub failure, by its status.
pub fn help(error: &ApiError) -> &'static str {
    match error.status() {
        Some(401) => "GitHub did not accept the token: set `GITHUB_TOKEN` (or `--token`) to one that has not expired",
        Some(403) => {
            "the token needs `contents: write` and `pull-requests: write` (and `issues: write` for reminders); in a \
             workflow, the repository must also allow GitHub Actions to create pull requests (Settings → Actions → \
             General)"
        }
        Some(404) => "check `GITHUB_REPOSITORY`, and that the platform's commit has been pushed",
        _ => "a run is safe to repeat: what was done is found again and completed, never duplicated",
    }
}
