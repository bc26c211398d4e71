//! What `ci` and `run` share to talk to GitHub: the client with cairn's retry policy.

use cairn_github::{ClientError, GitHubApi, RetryPolicy};

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
