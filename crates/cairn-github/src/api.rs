//! Sending requests to GitHub's REST API: through octocrab, retrying rate limits with backoff,
//! or printed and not sent (`--dry-run`).

use std::fmt;
use std::io::Write;
use std::time::Duration;

use octocrab::Octocrab;
use octocrab::service::middleware::retry::RetryConfig;
use serde_json::Value;

/// One request cairn makes.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Request {
    pub method: &'static str,
    /// The path under the API's root, with its query: `/repos/o/r/issues/7/comments?per_page=100`.
    pub path: String,
    pub body: Option<Value>,
}

/// A request GitHub refused, or that never reached it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status, if GitHub answered.
    pub status: Option<u16>,
    pub message: String,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(status) => write!(f, "GitHub answered {status}: {}", self.message),
            None => write!(f, "GitHub could not be reached: {}", self.message),
        }
    }
}

impl std::error::Error for ApiError {}

/// What sends requests.
pub trait Api {
    fn send(&mut self, request: &Request) -> Result<Value, ApiError>;
}

/// How rate-limited requests (429, or 403 for GitHub's secondary rate limits) are retried: up to
/// `attempts` times, waiting `base`, then twice as long each time, or as long as GitHub's
/// `retry-after` says.
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

/// GitHub's REST API through octocrab.
pub struct GitHubApi {
    octocrab: Octocrab,
    runtime: tokio::runtime::Runtime,
    retry: RetryPolicy,
}

impl fmt::Debug for GitHubApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GitHubApi").field("retry", &self.retry).finish_non_exhaustive()
    }
}

impl GitHubApi {
    /// A client of the API at `api_url` (GitHub's, or a GitHub Enterprise server's).
    pub fn new(api_url: &str, token: &str, retry: RetryPolicy) -> Result<GitHubApi, ApiError> {
        let unreachable = |message: String| ApiError { status: None, message };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| unreachable(error.to_string()))?;
        let octocrab = {
            let _guard = runtime.enter();
            Octocrab::builder()
                .base_uri(api_url)
                .map_err(|error| unreachable(format!("`{api_url}` is not a URL: {error}")))?
                .personal_token(token.to_owned())
                // cairn retries itself, so that every wait is bounded and said.
                .add_retry_config(RetryConfig::None)
                .build()
                .map_err(|error| unreachable(error.to_string()))?
        };
        Ok(GitHubApi { octocrab, runtime, retry })
    }

    fn send_once(&self, request: &Request) -> Result<(u16, Option<u64>, String), ApiError> {
        let octocrab = &self.octocrab;
        self.runtime.block_on(async {
            let unreachable = |error: octocrab::Error| ApiError { status: None, message: error.to_string() };
            // A path without scheme and host: octocrab puts it under its base URI.
            let uri = request.path.as_str();
            let response = match request.method {
                "GET" => octocrab._get(uri).await,
                "POST" => octocrab._post(uri, request.body.as_ref()).await,
                "PATCH" => octocrab._patch(uri, request.body.as_ref()).await,
                "DELETE" => octocrab._delete(uri, request.body.as_ref()).await,
                other => unreachable!("cairn sends no `{other}` request"),
            }
            .map_err(unreachable)?;
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.parse::<u64>().ok());
            let body = octocrab.body_to_string(response).await.map_err(unreachable)?;
            Ok((status, retry_after, body))
        })
    }
}

impl Api for GitHubApi {
    fn send(&mut self, request: &Request) -> Result<Value, ApiError> {
        let mut wait = self.retry.base;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (status, retry_after, body) = self.send_once(request)?;
            let json: Value = if body.trim().is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&body).unwrap_or(Value::String(body))
            };
            if (200..300).contains(&status) {
                return Ok(json);
            }
            let message = json.get("message").and_then(Value::as_str).map_or_else(|| json.to_string(), str::to_owned);
            let rate_limited = status == 429 || (status == 403 && message.to_ascii_lowercase().contains("rate limit"));
            if rate_limited && attempt < self.retry.attempts {
                let pause = retry_after.map_or(wait, Duration::from_secs).min(Duration::from_secs(60));
                eprintln!(
                    "note: GitHub rate-limited `{} {}` ({status}); retrying in {} ms",
                    request.method,
                    request.path,
                    pause.as_millis()
                );
                std::thread::sleep(pause);
                wait *= 2;
                continue;
            }
            return Err(ApiError { status: Some(status), message });
        }
    }
}

/// Prints each request instead of sending it; lists are empty, creations return id 0.
pub struct DryRun<W: Write> {
    out: W,
    pub sent: Vec<Request>,
}

impl<W: Write> DryRun<W> {
    pub fn new(out: W) -> Self {
        DryRun { out, sent: Vec::new() }
    }
}

impl<W: Write> fmt::Debug for DryRun<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DryRun").field("sent", &self.sent.len()).finish_non_exhaustive()
    }
}

impl<W: Write> Api for DryRun<W> {
    fn send(&mut self, request: &Request) -> Result<Value, ApiError> {
        let body = request.body.as_ref().map(|body| serde_json::to_string_pretty(body).unwrap_or_default());
        let _ = writeln!(self.out, "would send: {} {}", request.method, request.path);
        if let Some(body) = body {
            let _ = writeln!(self.out, "{body}");
        }
        self.sent.push(request.clone());
        Ok(if request.method == "GET" { Value::Array(Vec::new()) } else { serde_json::json!({"id": 0}) })
    }
}
