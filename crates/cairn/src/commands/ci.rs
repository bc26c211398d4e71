//! `cairn ci`: the one command a workflow runs. It reads the GitHub Actions environment, plans
//! the pull request (or checks the pushed commit), writes the step summary and outputs, and
//! publishes the sticky comment and the check run. Glue only: each part lives in its crate.

use std::path::PathBuf;

use cairn_diagnostics::{Diagnostic, Severity};
use cairn_engine::{Timestamp, Verdict};
use cairn_github::{Api, ApiError, CheckRun, Conclusion, DryRun, Environment, GitHubApi, RetryPolicy, Trigger};
use cairn_report::{COMMENT_MARKER, Links, PlanOptions};
use cairn_source::Source;

use super::{Clock, fail, say};
use crate::exit::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The platform repository: `$GITHUB_WORKSPACE` unless given (a folder in it works too).
    path: Option<PathBuf>,
    /// Print every request cairn would send to GitHub, and send none (no token needed).
    #[arg(long)]
    dry_run: bool,
    /// Also fail on errors that were already there at the base.
    #[arg(long)]
    strict: bool,
    /// Ask the teams that own the changed entities to review the pull request (their `_team`
    /// identifiers are taken as the organisation's team slugs).
    #[arg(long)]
    request_reviews: bool,
    #[command(flatten)]
    clock: Clock,
}

/// What a run found, whatever the trigger.
struct Judgement {
    markdown: String,
    findings: Vec<Diagnostic>,
    verdict: Verdict,
    errors: usize,
    warnings: usize,
    /// The teams that own the changed entities.
    owners: Vec<String>,
}

pub fn run(args: &Args) -> ExitStatus {
    let environment = match Environment::read(&|name| std::env::var(name).ok()) {
        Ok(environment) => environment,
        Err(error) => return fail(&error),
    };
    let given = args.path.clone().unwrap_or_else(|| environment.workspace.clone());
    // A log is read after the fact: say which platform was judged whenever it is not the folder given.
    let root = cairn_source::find_root(&given);
    if root.path != given {
        say(&super::platform::describe(&given, &root));
    }
    let path = root.path;
    let judgement = match judge(&environment, &path, args.strict, args.clock.now()) {
        Ok(judgement) => judgement,
        Err(error) => {
            let status = fail(&error);
            if let CiRunError::Commit { rev, .. } = &error {
                say(&format!(
                    "help: `actions/checkout` fetches only the head commit by default; give it `fetch-depth: 0` \
                     (or fetch the base with `git fetch --depth=1 origin {rev}`)"
                ));
            }
            return status;
        }
    };
    let outputs = [
        ("verdict", judgement.verdict.as_str().to_owned()),
        ("errors", judgement.errors.to_string()),
        ("warnings", judgement.warnings.to_string()),
    ];
    for (path, error) in environment.write_step_outputs(&judgement.markdown, &outputs) {
        say(&format!("warning: cannot write `{}`: {error}", path.display()));
    }

    let mut api: Box<dyn Api> = if args.dry_run {
        Box::new(DryRun::new(std::io::stdout()))
    } else {
        let Some(token) = environment.token.as_deref() else {
            say(
                "error: `GITHUB_TOKEN` is not set: give the step `env: GITHUB_TOKEN: ${{ github.token }}`, or run with `--dry-run`",
            );
            return ExitStatus::Failure;
        };
        let retry = RetryPolicy {
            base: std::env::var("CAIRN_RETRY_BASE_MS")
                .ok()
                .and_then(|ms| ms.parse().ok())
                .map_or(RetryPolicy::default().base, std::time::Duration::from_millis),
            ..RetryPolicy::default()
        };
        match GitHubApi::new(&environment.api_url, token, retry) {
            Ok(api) => Box::new(api.on_retry(|retry| say(&format!("note: {retry}")))),
            Err(error) => return fail(&error),
        }
    };
    let failures = publish(api.as_mut(), &environment, &judgement, args.request_reviews);
    let mut refused = false;
    for (what, error) in &failures {
        refused |= error.status() == Some(403);
        say(&format!("error: could not {what}: {}", super::chain(error)));
        if error.status() == Some(403) {
            say("help: the token needs `permissions: {pull-requests: write, checks: write}` in the workflow; \
                 a pull request from a fork gets a read-only token, so its findings are in this log only");
        }
    }
    if failures.iter().any(|(_, error)| error.status() == Some(401)) {
        say("help: GitHub did not accept `GITHUB_TOKEN`: give the step `env: GITHUB_TOKEN: ${{ github.token }}` \
             (or a token that has not expired), or run with `--dry-run`");
    }
    let status = ExitStatus::from(judgement.verdict);
    let status = if failures.is_empty() || refused { status } else { ExitStatus::Failure };
    // Nothing half-posted goes unsaid: every finding is in the log as an annotation.
    let status =
        if failures.is_empty() { status } else { super::emit(&cairn_report::github(&judgement.findings), status) };
    say(&format!("cairn: {}", judgement.markdown.lines().find(|line| line.starts_with("### ")).unwrap_or("")));
    status
}

/// Plans the pull request, or checks the pushed commit.
fn judge(
    environment: &Environment,
    path: &std::path::Path,
    strict: bool,
    now: Timestamp,
) -> Result<Judgement, CiRunError> {
    let blob = format!(
        "{}/{}/{}/blob/{}",
        environment.server_url.trim_end_matches('/'),
        environment.owner,
        environment.repo,
        environment.head_sha()
    );
    let links = Links { blob: Some(blob) };
    let open = |rev: &str, which: &'static str| {
        Source::git(path, rev).map_err(|error| CiRunError::Commit { which, rev: rev.to_owned(), error })
    };
    match &environment.trigger {
        Trigger::PullRequest { base_sha, head_sha, .. } => {
            let (base, head) = (open(base_sha, "base")?, open(head_sha, "head")?);
            let plan = cairn_engine::plan(&base, &head, now)?;
            let options = PlanOptions { strict };
            let markdown = cairn_report::plan_markdown(&plan, options, &links);
            let findings: Vec<Diagnostic> =
                if strict { plan.outcome.diagnostics.clone() } else { plan.introduced().cloned().collect() };
            let count = |severity| findings.iter().filter(|d| d.severity == severity && d.counts()).count();
            let owners: std::collections::BTreeSet<String> =
                plan.entities.iter().flat_map(|change| change.teams.iter().cloned()).collect();
            Ok(Judgement {
                owners: owners.into_iter().collect(),
                errors: count(Severity::Error),
                warnings: count(Severity::Warning),
                verdict: plan.verdict(strict),
                markdown,
                findings,
            })
        }
        Trigger::Push { sha } => {
            let source = open(sha, "pushed")?;
            let outcome = cairn_engine::check(&source, now)?;
            Ok(Judgement {
                owners: Vec::new(),
                markdown: cairn_report::check_markdown(&outcome, sha),
                verdict: outcome.ci_verdict(),
                errors: outcome.count(Severity::Error),
                warnings: outcome.count(Severity::Warning),
                findings: outcome.diagnostics,
            })
        }
    }
}

/// Publishes the comment (pull requests only) and the check run; returns what failed.
fn publish(
    api: &mut dyn Api,
    environment: &Environment,
    judgement: &Judgement,
    request_reviews: bool,
) -> Vec<(&'static str, ApiError)> {
    let mut failures = Vec::new();
    if let Trigger::PullRequest { number, .. } = environment.trigger {
        let body = cairn_github::fit_comment(&judgement.markdown, "see the `cairn` check run and the job summary");
        if let Err(error) =
            cairn_github::upsert_comment(api, &environment.owner, &environment.repo, number, &body, COMMENT_MARKER)
        {
            failures.push(("post the pull-request comment", error));
        }
        if request_reviews
            && let Err(error) =
                cairn_github::request_reviews(api, &environment.owner, &environment.repo, number, &judgement.owners)
        {
            failures.push(("request reviews from the owning teams", error));
        }
    }
    let title = judgement.markdown.lines().find_map(|line| line.strip_prefix("### ")).unwrap_or("cairn").to_owned();
    let run = CheckRun {
        name: "cairn".to_owned(),
        head_sha: environment.head_sha().to_owned(),
        conclusion: if judgement.verdict == Verdict::Pass { Conclusion::Success } else { Conclusion::Failure },
        title,
        summary: judgement.markdown.clone(),
        annotations: judgement.findings.iter().filter_map(cairn_github::annotation).collect(),
    };
    if let Err(error) = cairn_github::publish_check_run(api, &environment.owner, &environment.repo, &run) {
        failures.push(("create the check run", error));
    }
    failures
}

/// Why `cairn ci` could not judge the change.
#[derive(Debug)]
enum CiRunError {
    /// A commit of the event is not in the clone.
    Commit {
        which: &'static str,
        rev: String,
        error: cairn_source::SourceError,
    },
    Engine(cairn_engine::EngineError),
}

impl From<cairn_engine::EngineError> for CiRunError {
    fn from(error: cairn_engine::EngineError) -> Self {
        CiRunError::Engine(error)
    }
}

impl std::fmt::Display for CiRunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CiRunError::Commit { which, rev, .. } => write!(f, "the {which} commit `{rev}` cannot be read"),
            CiRunError::Engine(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for CiRunError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CiRunError::Commit { error, .. } => Some(error),
            // Transparent, as `EngineError` is.
            CiRunError::Engine(error) => error.source(),
        }
    }
}
