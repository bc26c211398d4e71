//! `cairn ci`: the one command a workflow runs. It reads the GitHub Actions environment, plans
//! the pull request (or checks the pushed commit), writes the step summary and outputs, and
//! publishes the sticky comment and the check run. Glue only: each part lives in its crate.

use std::path::PathBuf;

use cairn_diagnostics::{Diagnostic, Severity};
use cairn_engine::{Timestamp, Verdict};
use cairn_github::{Api, ApiError, CheckRun, Conclusion, DryRun, Environment, Trigger};
use cairn_report::{COMMENT_MARKER, Links, PlanOptions};
use cairn_source::Source;

use super::{Clock, CodeFilter, fail, say};
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
    /// Write the full report here (`cairn-report.json`, `cairn-report.sarif`, `cairn-report.md`),
    /// for the workflow to upload as the artifact `cairn-report`: when the comment, the check run
    /// or the step summary must be cut to fit GitHub's limits, they point to it. Also set by
    /// `CAIRN_REPORT_DIR`.
    #[arg(long, value_name = "DIR")]
    report_dir: Option<PathBuf>,
    #[command(flatten)]
    codes: CodeFilter,
    #[command(flatten)]
    clock: Clock,
}

/// The name of the check run `cairn ci` posts: distinct from the job's, so that the two are told
/// apart in the pull request's checks. GitHub shows only the newest check run of a name, so a
/// re-run replaces the run it repeats rather than adding one.
/// https://github.blog/changelog/2020-09-14-new-limits-affecting-the-checks-api
const CHECK_RUN_PLAN: &str = "cairn / plan";
const CHECK_RUN_CHECK: &str = "cairn / check";

/// The name of the artifact the action uploads the report folder as.
const ARTIFACT: &str = "cairn-report";

/// What a run found, whatever the trigger.
struct Judgement {
    /// The whole report: the comment, the check run's summary and the step summary, cut to fit.
    markdown: String,
    /// The whole report for scripts: `cairn plan --format json`, or `cairn check --format json`.
    json: String,
    /// Every finding at the head as SARIF, for code scanning (which tracks a branch's findings,
    /// not a change's).
    sarif: String,
    /// Where the platform is in the repository, for annotations.
    prefix: String,
    findings: Vec<Diagnostic>,
    verdict: Verdict,
    errors: usize,
    warnings: usize,
    /// Whom to ask for review: the teams that own the changed entities, as each team's
    /// `github` property names them.
    owners: cairn_github::Reviewers,
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
        super::note(&super::platform::describe(&given, &root));
    }
    let path = root.path;
    let judgement = match judge(&environment, &path, args.strict, &args.codes, args.clock.now()) {
        Ok(judgement) => judgement,
        // The help comes from the error: a missing commit or merge base says to fetch the history.
        Err(error) => return super::fail_with_help(&error, error.help()),
    };
    let report_dir = args
        .report_dir
        .clone()
        .or_else(|| std::env::var_os("CAIRN_REPORT_DIR").filter(|dir| !dir.is_empty()).map(PathBuf::from));
    let kept = report_dir.as_deref().is_some_and(|dir| match write_report(dir, &judgement) {
        Ok(()) => true,
        Err(error) => {
            say(&format!("warning: cannot write the report to `{}`: {}", dir.display(), super::chain(&error)));
            false
        }
    });
    let pointer = pointer(&environment, report_dir.as_deref().filter(|_| kept));
    let outputs = [
        ("verdict", judgement.verdict.as_str().to_owned()),
        ("errors", judgement.errors.to_string()),
        ("warnings", judgement.warnings.to_string()),
    ];
    let summary = cairn_github::fit(&judgement.markdown, cairn_github::STEP_SUMMARY_LIMIT, &pointer);
    for (path, error) in environment.write_step_outputs(&summary, &outputs) {
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
        match super::github::client(&environment.api_url, token) {
            Ok(api) => Box::new(api),
            Err(error) => return fail(&error),
        }
    };
    let failures = publish(api.as_mut(), &environment, &judgement, &pointer, args.request_reviews);
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
    let status = if failures.is_empty() {
        status
    } else {
        super::emit(&cairn_report::github(&judgement.findings, &judgement.prefix), status)
    };
    super::note(&format!("cairn: {}", judgement.markdown.lines().find(|line| line.starts_with("### ")).unwrap_or("")));
    status
}

/// Plans the pull request, or checks the pushed commit.
fn judge(
    environment: &Environment,
    path: &std::path::Path,
    strict: bool,
    codes: &CodeFilter,
    now: Timestamp,
) -> Result<Judgement, CiRunError> {
    let links = Links { repository: Some(environment.repository_url()) };
    let open = |rev: &str, which: &'static str| {
        Source::git(path, rev).map_err(|error| CiRunError::Commit { which, rev: rev.to_owned(), error })
    };
    match &environment.trigger {
        Trigger::PullRequest { base_sha, head_sha, .. } => {
            let (base, head) = (open(base_sha, "base")?, open(head_sha, "head")?);
            let mut plan = cairn_engine::plan(&base, &head, now)?;
            codes.apply_to_plan(&mut plan);
            let options = PlanOptions { strict };
            let markdown = cairn_report::plan_markdown(&plan, options, &links);
            let findings: Vec<Diagnostic> =
                if strict { plan.outcome.diagnostics.clone() } else { plan.introduced().cloned().collect() };
            let count = |severity| findings.iter().filter(|d| d.severity == severity && d.counts()).count();
            let owners = reviewers(&plan);
            Ok(Judgement {
                json: cairn_report::plan_json(&plan, options),
                sarif: cairn_report::sarif(&plan.outcome.diagnostics, &plan.outcome.prefix),
                prefix: plan.outcome.prefix.clone(),
                owners,
                errors: count(Severity::Error),
                warnings: count(Severity::Warning),
                verdict: plan.verdict(strict),
                markdown,
                findings,
            })
        }
        Trigger::Push { sha } => {
            let source = open(sha, "pushed")?;
            let mut outcome = cairn_engine::check(&source, now)?;
            codes.apply(&mut outcome);
            Ok(Judgement {
                json: cairn_report::json(&outcome, cairn_report::JsonOptions { codes: true }),
                sarif: cairn_report::sarif(&outcome.diagnostics, &outcome.prefix),
                prefix: outcome.prefix.clone(),
                owners: cairn_github::Reviewers::default(),
                markdown: cairn_report::check_markdown(&outcome, sha, &links),
                verdict: outcome.ci_verdict(),
                errors: outcome.count(Severity::Error),
                warnings: outcome.count(Severity::Warning),
                findings: outcome.diagnostics,
            })
        }
    }
}

/// The owners of the changed entities on GitHub: each team's `github` property (`@org/team` or
/// `@login`s, as CODEOWNERS names owners), read from the head like the teams themselves; a
/// team without one is asked by its identifier, taken as its GitHub slug.
fn reviewers(plan: &cairn_engine::Plan) -> cairn_github::Reviewers {
    let mut reviewers = cairn_github::Reviewers::default();
    let teams: std::collections::BTreeSet<&str> =
        plan.entities.iter().flat_map(|change| change.teams.iter().map(String::as_str)).collect();
    for team in teams {
        let github = plan.outcome.catalog.entity("_team", team).and_then(|entity| {
            entity.properties.as_ref().and_then(|properties| properties.get("github")).and_then(|node| node.as_str())
        });
        match github {
            Some(owners) if !owners.trim().is_empty() => reviewers.add_owners(owners),
            _ => reviewers.add_team(team),
        }
    }
    reviewers
}

/// Writes the whole report into `dir`, made if missing.
fn write_report(dir: &std::path::Path, judgement: &Judgement) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in [
        ("cairn-report.json", &judgement.json),
        ("cairn-report.sarif", &judgement.sarif),
        ("cairn-report.md", &judgement.markdown),
    ] {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

/// Where the whole report is, said by every output that must be cut: the artifact of this run
/// when the report was written for the workflow to upload, or else how to see it again. Never
/// another output, which may be cut too.
fn pointer(environment: &Environment, kept: Option<&std::path::Path>) -> String {
    match (kept, environment.run_url()) {
        (Some(_), Some(run)) => {
            format!(
                "The full report (JSON, SARIF and Markdown) is in the artifact `{ARTIFACT}` of [this workflow run]({run})."
            )
        }
        (Some(dir), None) => format!("The full report (JSON, SARIF and Markdown) is in `{}`.", dir.display()),
        (None, _) => {
            let again = match &environment.trigger {
                Trigger::PullRequest { base_sha, head_sha, .. } => {
                    format!("cairn plan --base {base_sha} --head {head_sha}")
                }
                Trigger::Push { sha } => format!("cairn check --rev {sha}"),
            };
            format!("The full report was not kept (`cairn ci` ran without `--report-dir`): `{again}` shows it all.")
        }
    }
}

/// Publishes the comment (pull requests only) and the check run; returns what failed.
fn publish(
    api: &mut dyn Api,
    environment: &Environment,
    judgement: &Judgement,
    pointer: &str,
    request_reviews: bool,
) -> Vec<(&'static str, ApiError)> {
    let mut failures = Vec::new();
    if let Trigger::PullRequest { number, .. } = environment.trigger {
        let body = cairn_github::fit(&judgement.markdown, cairn_github::COMMENT_LIMIT, pointer);
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
    let name = match environment.trigger {
        Trigger::PullRequest { .. } => CHECK_RUN_PLAN,
        Trigger::Push { .. } => CHECK_RUN_CHECK,
    };
    let run = CheckRun {
        name: name.to_owned(),
        head_sha: environment.head_sha().to_owned(),
        conclusion: if judgement.verdict == Verdict::Pass { Conclusion::Success } else { Conclusion::Failure },
        title,
        summary: judgement.markdown.clone(),
        pointer: pointer.to_owned(),
        annotations: judgement.findings.iter().filter_map(|d| cairn_github::annotation(d, &judgement.prefix)).collect(),
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

impl CiRunError {
    fn help(&self) -> Option<String> {
        match self {
            CiRunError::Commit { error, .. } => error.help(),
            CiRunError::Engine(error) => error.help(),
        }
    }
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
