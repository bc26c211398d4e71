//! `cairn run` (and `cairn new`, its short form for CREATE actions): a self-service action run as
//! a change to the platform. The engine prepares it (inputs checked, change planned, applied in
//! memory and previewed); then it is written into the working tree, or, with `--pr`, committed
//! on its own branch through GitHub's API and opened as a pull request.

use std::path::PathBuf;

use cairn_actions::Operation;
use cairn_engine::{PreparedRun, RunFailure, RunRequest, Verdict};
use cairn_github::{Api, ApiError, DryRun, PullRequestOutcome};
use cairn_report::{HumanOptions, PlanOptions, RunResult};
use cairn_source::Source;
use clap::ValueEnum;

use super::{Clock, Color, Spinner, emit, fail, fail_with_help, note, say};
use crate::exit::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The action's identifier (`cairn actions list` lists them).
    action: String,
    #[command(flatten)]
    run: RunArgs,
}

/// Everything of a run but the action: shared by `run` and `new`.
#[derive(Debug, clap::Args)]
// Each flag is a switch a person types; an enum would not read better on the command line.
#[allow(clippy::struct_excessive_bools)]
pub struct RunArgs {
    /// The platform repository: a folder (its root is the nearest folder at or above it with a
    /// `cairn.yaml`).
    #[arg(default_value = ".")]
    path: PathBuf,
    /// The entity a DAY-2 or DELETE action acts on: `BLUEPRINT:IDENTIFIER`, or the identifier
    /// alone for the action's blueprint.
    #[arg(long, value_name = "BP:ID")]
    entity: Option<String>,
    /// An input's value; repeat for each input. Typed by the input's `type` (`days=3` is a number
    /// when `days` is one; lists and objects as JSON).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_pair)]
    set: Vec<(String, String)>,
    /// A YAML or JSON file of input values (a mapping); `--set` wins over it.
    #[arg(long, value_name = "FILE")]
    values: Option<PathBuf>,
    /// Open a pull request: commit the change on its own branch through GitHub's API
    /// (`GITHUB_REPOSITORY`, `GITHUB_TOKEN` or `--token`, `GITHUB_API_URL`) on top of the
    /// platform's `HEAD` commit, which must be on GitHub. Without it, the change is written into
    /// the working tree.
    #[arg(long)]
    pr: bool,
    /// The pull request's branch, instead of `cairn/<action>/<subject>-<key>`.
    #[arg(long, value_name = "NAME", requires = "pr")]
    branch: Option<String>,
    /// The branch the pull request merges into: `GITHUB_REF_NAME` when set, else the repository's
    /// default branch.
    #[arg(long, value_name = "BRANCH", requires = "pr")]
    base: Option<String>,
    /// Write the change (or open the pull request, which then says so at the top) even when it
    /// fails cairn's checks.
    #[arg(long)]
    allow_failing: bool,
    /// Show the change and its plan, write nothing; with `--pr`, print every request cairn would
    /// send to GitHub and send none.
    #[arg(long)]
    dry_run: bool,
    /// Who runs the action, for the commit's trailers and the pull request: `GITHUB_ACTOR`, else
    /// `USER`, unless given.
    #[arg(long, value_name = "NAME")]
    actor: Option<String>,
    /// The GitHub token, instead of `GITHUB_TOKEN`.
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
    /// How to print the run.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Also list the keys of Port's the action carries that cairn does not use
    /// (`invocationMethod`, `requiredApproval`, …).
    #[arg(long, short)]
    verbose: bool,
    #[command(flatten)]
    clock: Clock,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn parse_pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => Ok((key.trim().to_owned(), value.to_owned())),
        _ => Err(format!("`{text}` is not `KEY=VALUE`")),
    }
}

/// `cairn run ACTION`.
pub fn run(args: &Args) -> ExitStatus {
    execute(&args.action, &args.run, None)
}

/// `cairn new ACTION`: a run of a CREATE action.
pub fn new(args: &Args) -> ExitStatus {
    execute(&args.action, &args.run, Some(Operation::Create))
}

fn execute(action: &str, args: &RunArgs, operation: Option<Operation>) -> ExitStatus {
    let root = super::platform::root(&args.path, false);
    // A pull request starts from a commit GitHub has: the committed platform, never the
    // working tree's uncommitted files. A run written into the working tree starts from it.
    let source = if args.pr { Source::git(&root, "HEAD") } else { Source::directory(&root) };
    let source = match source {
        Ok(source) => source,
        Err(error) => {
            let help = error.help();
            return fail_with_help(&error, help);
        }
    };
    let values = match &args.values {
        Some(path) => match std::fs::read(path) {
            Ok(bytes) => Some((path.display().to_string(), bytes)),
            Err(error) => {
                say(&format!("error: cannot read `{}`: {error}", path.display()));
                return ExitStatus::Failure;
            }
        },
        None => None,
    };
    let actor = args
        .actor
        .clone()
        .or_else(|| std::env::var("GITHUB_ACTOR").ok().filter(|actor| !actor.is_empty()))
        .or_else(|| std::env::var("USER").ok().filter(|user| !user.is_empty()))
        .unwrap_or_else(|| "someone".to_owned());
    let request = RunRequest {
        action: action.to_owned(),
        entity: args.entity.clone(),
        set: args.set.clone(),
        values,
        actor: actor.clone(),
        now: args.clock.now(),
        operation,
    };
    let spinner = Spinner::start(format!("preparing `{action}`"));
    let prepared = cairn_engine::prepare(&source, &request);
    drop(spinner);
    let prepared = match prepared {
        Ok(prepared) => prepared,
        Err(RunFailure::Findings { diagnostics, sources }) => {
            let color = args.color.enabled();
            let shown = cairn_diagnostics::render_human(&diagnostics, &sources, color, 100);
            say(shown.trim_end());
            say(&format!("error: the run of `{action}` was refused: nothing written"));
            return ExitStatus::Findings;
        }
        Err(RunFailure::Engine(error)) => return fail_with_help(&error, error.help()),
    };
    if args.verbose && !prepared.action.unused_keys.is_empty() {
        note(&format!(
            "note: `{action}` also has Port's {}, which cairn keeps and does not use",
            prepared.action.unused_keys.iter().map(|key| format!("`{key}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    let options = PlanOptions { strict: false };
    let passes = prepared.plan.verdict(false) == Verdict::Pass;
    let (result, status) = if !passes && !args.allow_failing {
        note("note: the run fails cairn's checks: nothing written (`--allow-failing` writes it anyway)");
        (RunResult::Previewed, ExitStatus::Findings)
    } else if prepared.writes.is_empty() || (args.dry_run && !args.pr) {
        (RunResult::Previewed, ExitStatus::Clean)
    } else if args.pr {
        match pull_request(args, &source, &prepared, &actor) {
            // The requests were printed, not sent: nothing was opened.
            Ok(_) if args.dry_run => (RunResult::Previewed, ExitStatus::Clean),
            Ok(result) => {
                let status = match result {
                    RunResult::ClosedUnmerged { .. } => ExitStatus::Findings,
                    _ => ExitStatus::Clean,
                };
                (result, status)
            }
            Err(status) => return status,
        }
    } else {
        match cairn_engine::write_worktree(&root, &prepared.writes) {
            Ok(()) => (RunResult::Written, ExitStatus::Clean),
            Err(error) => {
                let help = error.help().map(str::to_owned);
                return fail_with_help(&error, help);
            }
        }
    };
    let report = match args.format {
        Format::Human => cairn_report::run_human(
            &prepared,
            &result,
            options,
            HumanOptions { color: args.color.enabled(), width: 100 },
        ),
        Format::Json => cairn_report::run_json(&prepared, &result, options),
    };
    emit(&report, status)
}

/// Commits the run on its branch and opens its pull request (or finds it), through GitHub's API;
/// `--dry-run` prints the requests instead.
fn pull_request(args: &RunArgs, source: &Source, prepared: &PreparedRun, actor: &str) -> Result<RunResult, ExitStatus> {
    let (owner, repo) = super::github::repository("the pull request is opened in")?;
    let api_url = super::github::api_url();
    let mut api: Box<dyn Api> = if args.dry_run {
        Box::new(DryRun::new(std::io::stdout()))
    } else {
        let Some(token) = super::github::token(args.token.as_deref()) else {
            say("error: no GitHub token: set `GITHUB_TOKEN` (or give `--token`), or run with `--dry-run`");
            return Err(ExitStatus::Failure);
        };
        match super::github::client(&api_url, &token) {
            Ok(api) => Box::new(api),
            Err(error) => return Err(fail(&error)),
        }
    };
    let base = match args.base.clone().or_else(|| std::env::var("GITHUB_REF_NAME").ok().filter(|name| !name.is_empty()))
    {
        Some(base) => base,
        None if args.dry_run => {
            say("error: a dry run cannot ask GitHub for the repository's default branch: give `--base BRANCH`");
            return Err(ExitStatus::Failure);
        }
        None => cairn_github::default_branch(api.as_mut(), &owner, &repo).map_err(|error| refused(&error))?,
    };
    let links = super::github::links(&owner, &repo);
    let branch = args.branch.clone().unwrap_or_else(|| prepared.branch.clone());
    let spec = super::github::run_pull_request(source, prepared, base, branch, actor, &links);
    let outcome =
        cairn_github::open_pull_request(api.as_mut(), &owner, &repo, &spec).map_err(|error| refused(&error))?;
    Ok(match outcome {
        PullRequestOutcome::Opened { number, url } => RunResult::Opened { number, url },
        PullRequestOutcome::AlreadyOpen { number, url } => RunResult::AlreadyOpen { number, url },
        PullRequestOutcome::ClosedUnmerged { number, url } => RunResult::ClosedUnmerged { number, url },
        PullRequestOutcome::Merged { number, url } => RunResult::Merged { number, url },
    })
}

/// Reports a GitHub failure with what to do about it, and fails.
fn refused(error: &ApiError) -> ExitStatus {
    fail_with_help(error, Some(super::github::help(error).to_owned()))
}
