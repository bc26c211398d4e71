//! `cairn ci`: the one command a workflow runs. It reads the GitHub Actions environment, plans
//! the pull request (or checks the pushed commit), writes the step summary and outputs, and
//! publishes the sticky comment and the check run. Glue only: each part lives in its crate.

use std::io::Write;
use std::path::PathBuf;

use cairn_diagnostics::{Diagnostic, Severity};
use cairn_engine::EngineError;
use cairn_github::{Api, ApiError, CheckRun, DryRun, Environment, GitHubApi, RetryPolicy, Trigger};
use cairn_report::{COMMENT_MARKER, Links, PlanOptions};
use cairn_source::Source;

use crate::{CLEAN, FAILURE, FINDINGS};

#[derive(Debug, clap::Args)]
pub struct CiArgs {
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
}

/// What a run found, whatever the trigger.
struct Judgement {
    markdown: String,
    findings: Vec<Diagnostic>,
    failed: bool,
    broken: bool,
    errors: usize,
    warnings: usize,
    /// The teams that own the changed entities.
    owners: Vec<String>,
}

pub fn ci(args: &CiArgs) -> u8 {
    let environment = match Environment::read(&|name| std::env::var(name).ok()) {
        Ok(environment) => environment,
        Err(error) => return crate::fail(&error),
    };
    let path = args.path.clone().unwrap_or_else(|| environment.workspace.clone());
    let judgement = match judge(&environment, &path, args.strict) {
        Ok(judgement) => judgement,
        Err(message) => return crate::fail(&message),
    };
    let verdict = if judgement.broken {
        FAILURE
    } else if judgement.failed {
        FINDINGS
    } else {
        CLEAN
    };
    write_step_outputs(&environment, &judgement);

    let mut api: Box<dyn Api> = if args.dry_run {
        Box::new(DryRun::new(std::io::stdout()))
    } else {
        let Some(token) = environment.token.as_deref() else {
            return crate::fail(
                &"`GITHUB_TOKEN` is not set: give the step `env: GITHUB_TOKEN: ${{ github.token }}`, or run with `--dry-run`",
            );
        };
        let retry = RetryPolicy {
            base: std::env::var("CAIRN_RETRY_BASE_MS")
                .ok()
                .and_then(|ms| ms.parse().ok())
                .map_or(RetryPolicy::default().base, std::time::Duration::from_millis),
            ..RetryPolicy::default()
        };
        match GitHubApi::new(&environment.api_url, token, retry) {
            Ok(api) => Box::new(api),
            Err(error) => return crate::fail(&error),
        }
    };
    let failures = publish(api.as_mut(), &environment, &judgement, args.request_reviews);
    let mut stderr = std::io::stderr().lock();
    let mut refused = false;
    for (what, error) in &failures {
        refused |= error.status == Some(403);
        let _ = writeln!(stderr, "error: could not {what}: {error}");
        if error.status == Some(403) {
            let _ = writeln!(
                stderr,
                "help: the token needs `permissions: {{pull-requests: write, checks: write}}` in the workflow; \
                 a pull request from a fork gets a read-only token, so its findings are in this log only"
            );
        }
    }
    if !failures.is_empty() {
        // Nothing half-posted goes unsaid: every finding is in the log as an annotation.
        let _ = std::io::stdout().lock().write_all(cairn_report::github(&judgement.findings).as_bytes());
    }
    let _ =
        writeln!(stderr, "cairn: {}", judgement.markdown.lines().find(|line| line.starts_with("### ")).unwrap_or(""));
    if failures.is_empty() || refused { verdict } else { FAILURE }
}

/// Plans the pull request, or checks the pushed commit.
fn judge(environment: &Environment, path: &std::path::Path, strict: bool) -> Result<Judgement, String> {
    let blob = format!(
        "{}/{}/{}/blob/{}",
        environment.server_url.trim_end_matches('/'),
        environment.owner,
        environment.repo,
        environment.head_sha()
    );
    let links = Links { blob: Some(blob) };
    let open = |rev: &str, which: &str| {
        Source::git(path, rev).map_err(|error| {
            format!(
                "the {which} commit `{rev}` cannot be read: {error}\nhelp: `actions/checkout` fetches only the head \
                 commit by default; give it `fetch-depth: 0` (or fetch the base with `git fetch --depth=1 origin {rev}`)"
            )
        })
    };
    match &environment.trigger {
        Trigger::PullRequest { base_sha, head_sha, .. } => {
            let (base, head) = (open(base_sha, "base")?, open(head_sha, "head")?);
            let plan = cairn_engine::plan(&base, &head).map_err(|error: EngineError| error.to_string())?;
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
                failed: plan.failing_errors(strict) > 0,
                broken: plan.outcome.rules_broken(),
                markdown,
                findings,
            })
        }
        Trigger::Push { sha } => {
            let source = open(sha, "pushed")?;
            let outcome = cairn_engine::check(&source).map_err(|error| error.to_string())?;
            let errors = outcome.count(Severity::Error);
            let warnings = outcome.count(Severity::Warning);
            let verdict = if errors > 0 { "❌" } else { "✅" };
            let markdown = format!(
                "{COMMENT_MARKER}\n### {verdict} cairn: {errors} errors and {warnings} warnings at `{}`\n",
                &sha[..sha.len().min(12)]
            );
            Ok(Judgement {
                owners: Vec::new(),
                markdown,
                findings: outcome.diagnostics.clone(),
                failed: errors > 0,
                broken: outcome.rules_broken(),
                errors,
                warnings,
            })
        }
    }
}

/// `$GITHUB_STEP_SUMMARY` gets the whole report; `$GITHUB_OUTPUT` the counts and the verdict.
fn write_step_outputs(environment: &Environment, judgement: &Judgement) {
    let append = |path: &PathBuf, text: &str| {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path);
        if let Err(error) = file.and_then(|mut file| file.write_all(text.as_bytes())) {
            let _ = writeln!(std::io::stderr().lock(), "warning: cannot write `{}`: {error}", path.display());
        }
    };
    if let Some(path) = &environment.step_summary {
        append(path, &judgement.markdown);
    }
    if let Some(path) = &environment.output {
        let verdict = if judgement.broken {
            "broken"
        } else if judgement.failed {
            "fail"
        } else {
            "pass"
        };
        append(path, &format!("verdict={verdict}\nerrors={}\nwarnings={}\n", judgement.errors, judgement.warnings));
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
        conclusion: if judgement.failed || judgement.broken { "failure" } else { "success" },
        title,
        summary: judgement.markdown.clone(),
        annotations: judgement.findings.iter().filter_map(cairn_github::annotation).collect(),
    };
    if let Err(error) = cairn_github::publish_check_run(api, &environment.owner, &environment.repo, &run) {
        failures.push(("create the check run", error));
    }
    failures
}
