//! The GitHub Actions environment: which repository, which event, which commits, and where the
//! step summary and outputs go.

use std::fmt;
use std::path::PathBuf;

/// What started the workflow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// A pull request: judge the change from its base to its head.
    PullRequest { number: u64, base_sha: String, head_sha: String },
    /// A push (or anything else with a commit): check that commit.
    Push { sha: String },
}

/// What `cairn ci` reads from the environment GitHub Actions sets.
#[derive(Clone, Debug)]
pub struct Environment {
    pub owner: String,
    pub repo: String,
    /// `GITHUB_API_URL`: `https://api.github.com`, or a GitHub Enterprise server's.
    pub api_url: String,
    /// `GITHUB_SERVER_URL`, for links.
    pub server_url: String,
    pub token: Option<String>,
    pub trigger: Trigger,
    pub workspace: PathBuf,
    pub step_summary: Option<PathBuf>,
    pub output: Option<PathBuf>,
}

/// Why `cairn ci` cannot run: a usage error (exit 2) that says how to fix it.
#[derive(Debug, PartialEq, Eq)]
pub struct CiError(pub String);

impl fmt::Display for CiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CiError {}

impl Environment {
    /// Reads the environment through `var` (`std::env::var` in the CLI).
    pub fn read(var: &dyn Fn(&str) -> Option<String>) -> Result<Environment, CiError> {
        let required = |name: &str| {
            var(name).filter(|value| !value.is_empty()).ok_or_else(|| {
                CiError(format!("`{name}` is not set: `cairn ci` runs in GitHub Actions, which sets it"))
            })
        };
        let repository = required("GITHUB_REPOSITORY")?;
        let (owner, repo) = repository
            .split_once('/')
            .ok_or_else(|| CiError(format!("`GITHUB_REPOSITORY` is `{repository}`, not `owner/name`")))?;
        let event_path = required("GITHUB_EVENT_PATH")?;
        let event_name = var("GITHUB_EVENT_NAME").unwrap_or_default();
        let text = std::fs::read_to_string(&event_path)
            .map_err(|error| CiError(format!("cannot read the event `{event_path}`: {error}")))?;
        let event: serde_json::Value = serde_json::from_str(&text)
            .map_err(|error| CiError(format!("the event `{event_path}` is not JSON: {error}")))?;
        let trigger = trigger(&event_name, &event, var("GITHUB_SHA"))?;
        Ok(Environment {
            owner: owner.to_owned(),
            repo: repo.to_owned(),
            api_url: var("GITHUB_API_URL").unwrap_or_else(|| "https://api.github.com".to_owned()),
            server_url: var("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".to_owned()),
            token: var("GITHUB_TOKEN").filter(|token| !token.is_empty()),
            trigger,
            workspace: PathBuf::from(var("GITHUB_WORKSPACE").unwrap_or_else(|| ".".to_owned())),
            step_summary: var("GITHUB_STEP_SUMMARY").filter(|path| !path.is_empty()).map(PathBuf::from),
            output: var("GITHUB_OUTPUT").filter(|path| !path.is_empty()).map(PathBuf::from),
        })
    }

    /// Appends `summary` to the step summary (`$GITHUB_STEP_SUMMARY`) and `outputs` as `name=value`
    /// lines to the step's outputs (`$GITHUB_OUTPUT`), where the runner set them. Returns each file
    /// that could not be written, with why; the caller says so, and the run goes on.
    #[must_use]
    pub fn write_step_outputs(&self, summary: &str, outputs: &[(&str, String)]) -> Vec<(PathBuf, std::io::Error)> {
        let append = |path: &PathBuf, text: &str| {
            use std::io::Write as _;
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .and_then(|mut file| file.write_all(text.as_bytes()))
                .err()
                .map(|error| (path.clone(), error))
        };
        let outputs: String = outputs.iter().flat_map(|(name, value)| [name, "=", value.as_str(), "\n"]).collect();
        [(self.step_summary.as_ref(), summary), (self.output.as_ref(), outputs.as_str())]
            .into_iter()
            .filter_map(|(path, text)| path.and_then(|path| append(path, text)))
            .collect()
    }

    /// The commit checks and annotations belong to.
    #[must_use]
    pub fn head_sha(&self) -> &str {
        match &self.trigger {
            Trigger::PullRequest { head_sha, .. } => head_sha,
            Trigger::Push { sha } => sha,
        }
    }
}

fn trigger(name: &str, event: &serde_json::Value, sha: Option<String>) -> Result<Trigger, CiError> {
    if name == "pull_request_target" {
        return Err(CiError(
            "`pull_request_target` runs with the base's secrets on a fork's code: run cairn on `pull_request`".into(),
        ));
    }
    if let Some(pull) = event.get("pull_request") {
        let text = |pointer: &str| {
            pull.pointer(pointer).and_then(serde_json::Value::as_str).map(str::to_owned).ok_or_else(|| {
                CiError(format!("the pull_request event has no `pull_request{}`", pointer.replace('/', ".")))
            })
        };
        let number = pull
            .get("number")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| CiError("the pull_request event has no `pull_request.number`".into()))?;
        return Ok(Trigger::PullRequest { number, base_sha: text("/base/sha")?, head_sha: text("/head/sha")? });
    }
    let sha = event.get("after").and_then(serde_json::Value::as_str).map(str::to_owned).or(sha);
    sha.map(|sha| Trigger::Push { sha })
        .ok_or_else(|| CiError(format!("the `{name}` event names no commit (`after`), and `GITHUB_SHA` is not set")))
}
