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
    /// `GITHUB_RUN_ID`: the workflow run, whose page lists its artifacts.
    pub run_id: Option<String>,
}

/// Why `cairn ci` cannot run: a usage error (exit 2) that says how to fix it.
#[derive(Debug)]
pub enum CiError {
    /// A variable GitHub Actions always sets is missing or empty.
    MissingVariable { name: &'static str },
    /// `GITHUB_REPOSITORY` is not `owner/name`.
    MalformedRepository { value: String },
    /// The event file (`GITHUB_EVENT_PATH`) cannot be read.
    UnreadableEvent { path: String, source: std::io::Error },
    /// The event file is not JSON.
    EventNotJson { path: String, source: serde_json::Error },
    /// The workflow runs on `pull_request_target`, which cairn refuses.
    PullRequestTarget,
    /// The `pull_request` event lacks a field cairn needs, such as `pull_request.base.sha`.
    MissingEventField { field: String },
    /// Neither the event (`after`) nor `GITHUB_SHA` names the commit to check.
    NoCommit { event: String },
}

impl fmt::Display for CiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CiError::MissingVariable { name } => {
                write!(f, "`{name}` is not set: `cairn ci` runs in GitHub Actions, which sets it")
            }
            CiError::MalformedRepository { value } => write!(f, "`GITHUB_REPOSITORY` is `{value}`, not `owner/name`"),
            CiError::UnreadableEvent { path, .. } => write!(f, "cannot read the event `{path}`"),
            CiError::EventNotJson { path, .. } => write!(f, "the event `{path}` is not JSON"),
            CiError::PullRequestTarget => f.write_str(
                "`pull_request_target` runs with the base's secrets on a fork's code: run cairn on `pull_request`",
            ),
            CiError::MissingEventField { field } => write!(f, "the pull_request event has no `{field}`"),
            CiError::NoCommit { event } => {
                write!(f, "the `{event}` event names no commit (`after`), and `GITHUB_SHA` is not set")
            }
        }
    }
}

impl std::error::Error for CiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CiError::UnreadableEvent { source, .. } => Some(source),
            CiError::EventNotJson { source, .. } => Some(source),
            CiError::MissingVariable { .. }
            | CiError::MalformedRepository { .. }
            | CiError::PullRequestTarget
            | CiError::MissingEventField { .. }
            | CiError::NoCommit { .. } => None,
        }
    }
}

impl Environment {
    /// Reads the environment through `var` (`std::env::var` in the CLI).
    pub fn read(var: &dyn Fn(&str) -> Option<String>) -> Result<Environment, CiError> {
        let required =
            |name: &'static str| var(name).filter(|value| !value.is_empty()).ok_or(CiError::MissingVariable { name });
        let repository = required("GITHUB_REPOSITORY")?;
        let (owner, repo) =
            repository.split_once('/').ok_or_else(|| CiError::MalformedRepository { value: repository.clone() })?;
        let event_path = required("GITHUB_EVENT_PATH")?;
        let event_name = var("GITHUB_EVENT_NAME").unwrap_or_default();
        let text = std::fs::read_to_string(&event_path)
            .map_err(|source| CiError::UnreadableEvent { path: event_path.clone(), source })?;
        let event: serde_json::Value =
            serde_json::from_str(&text).map_err(|source| CiError::EventNotJson { path: event_path.clone(), source })?;
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
            run_id: var("GITHUB_RUN_ID").filter(|id| !id.is_empty()),
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

    /// The repository's web page: `{GITHUB_SERVER_URL}/{owner}/{repo}`.
    #[must_use]
    pub fn repository_url(&self) -> String {
        format!("{}/{}/{}", self.server_url.trim_end_matches('/'), self.owner, self.repo)
    }

    /// The workflow run's page, which lists the artifacts it uploaded:
    /// `{GITHUB_SERVER_URL}/{owner}/{repo}/actions/runs/{GITHUB_RUN_ID}`.
    #[must_use]
    pub fn run_url(&self) -> Option<String> {
        self.run_id.as_ref().map(|id| format!("{}/actions/runs/{id}", self.repository_url()))
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
        return Err(CiError::PullRequestTarget);
    }
    if let Some(pull) = event.get("pull_request") {
        let text = |pointer: &str| {
            pull.pointer(pointer).and_then(serde_json::Value::as_str).map(str::to_owned).ok_or_else(|| {
                CiError::MissingEventField { field: format!("pull_request{}", pointer.replace('/', ".")) }
            })
        };
        let number = pull
            .get("number")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| CiError::MissingEventField { field: "pull_request.number".to_owned() })?;
        return Ok(Trigger::PullRequest { number, base_sha: text("/base/sha")?, head_sha: text("/head/sha")? });
    }
    let sha = event.get("after").and_then(serde_json::Value::as_str).map(str::to_owned).or(sha);
    sha.map(|sha| Trigger::Push { sha }).ok_or_else(|| CiError::NoCommit { event: name.to_owned() })
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    fn read(vars: &[(&str, &str)]) -> Result<Environment, CiError> {
        Environment::read(&|name| vars.iter().find(|(known, _)| *known == name).map(|(_, value)| (*value).to_owned()))
    }

    #[test]
    fn an_unreadable_or_malformed_event_keeps_its_cause() {
        let dir = std::env::temp_dir().join(format!("cairn-github-event-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        let missing = dir.join("missing.json");
        let missing = missing.to_str().expect("a UTF-8 path");
        let error =
            read(&[("GITHUB_REPOSITORY", "acme/platform"), ("GITHUB_EVENT_PATH", missing)]).expect_err("no event file");
        assert_eq!(error.to_string(), format!("cannot read the event `{missing}`"));
        assert!(error.source().and_then(|cause| cause.downcast_ref::<std::io::Error>()).is_some(), "{error:?}");

        let not_json = dir.join("not-json.json");
        std::fs::write(&not_json, "{ not json").expect("the event");
        let not_json = not_json.to_str().expect("a UTF-8 path");
        let error =
            read(&[("GITHUB_REPOSITORY", "acme/platform"), ("GITHUB_EVENT_PATH", not_json)]).expect_err("not JSON");
        assert_eq!(error.to_string(), format!("the event `{not_json}` is not JSON"));
        assert!(error.source().and_then(|cause| cause.downcast_ref::<serde_json::Error>()).is_some(), "{error:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn each_misconfiguration_says_which() {
        let error = read(&[]).expect_err("nothing set");
        assert!(matches!(error, CiError::MissingVariable { name: "GITHUB_REPOSITORY" }), "{error:?}");
        let error = read(&[("GITHUB_REPOSITORY", "platform")]).expect_err("no owner");
        assert_eq!(error.to_string(), "`GITHUB_REPOSITORY` is `platform`, not `owner/name`");

        let pull = serde_json::json!({"pull_request": {"number": 7, "base": {"sha": "b"}, "head": {}}});
        let error = trigger("pull_request", &pull, None).expect_err("no head sha");
        assert_eq!(error.to_string(), "the pull_request event has no `pull_request.head.sha`");
        let error = trigger("workflow_dispatch", &serde_json::json!({}), None).expect_err("no commit");
        assert!(matches!(&error, CiError::NoCommit { event } if event == "workflow_dispatch"), "{error:?}");
        assert!(matches!(trigger("pull_request_target", &pull, None), Err(CiError::PullRequestTarget)));
    }
}
