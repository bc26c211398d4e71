//! `cairn reconcile [PATH] [--rev REV] [--dry-run | --apply] [--push REMOTE]`: what is due at a
//! revision of the platform (the automations' runs, reminders, the rendered output), printed as a
//! plan, or carried out: each run a pull request, each reminder one comment or issue, the
//! rendered output a commit on the rendered branch (docs/reconcile.md). Every step finds what an
//! earlier run did and does not do it again, so a reconcile is safe to repeat after any failure.

use std::path::PathBuf;

use cairn_engine::{Due, DueReminder, DueRun, Published};
use cairn_github::{Api, PullRequestOutcome, ReminderOutcome, ReminderSpec, ReminderTarget};
use cairn_report::{ItemKind, ItemStatus, ReconcileItem, Reconciled, Reminder};
use cairn_source::{PushOutcome, Source};
use clap::ValueEnum;

use super::{Clock, Color, Spinner, chain, emit, fail_with_help, say};
use crate::exit::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The platform repository: a folder of a git repository (its root is the nearest folder at
    /// or above it with a `cairn.yaml`). A reconcile reads git only: lifetimes count from the
    /// commits that set them, and the rendered branch names its source commit.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// The revision that is the platform (a re-run of an old workflow gives an old one: it never
    /// undoes what a newer one did).
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    rev: String,
    /// Print what is due and change nothing (the default).
    #[arg(long, conflicts_with = "apply")]
    dry_run: bool,
    /// Carry out what is due: open the runs' pull requests and post the reminders through
    /// GitHub's API (`GITHUB_REPOSITORY`, `GITHUB_TOKEN`, `GITHUB_API_URL`, as `cairn ci` reads
    /// them), and commit the rendered output to the rendered branch.
    #[arg(long)]
    apply: bool,
    /// Push the rendered branch to this git remote with plain `git push` (never forced), after
    /// bringing the local branch up to the remote's.
    #[arg(long, value_name = "REMOTE", requires = "apply")]
    push: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Colour in the findings printed on stderr.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    #[command(flatten)]
    clock: Clock,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Human,
    Json,
}

/// How many times a push that lost a race to another reconcile is tried again.
const PUSH_ATTEMPTS: usize = 3;

pub fn run(args: &Args) -> ExitStatus {
    let root = super::platform::root(&args.path, false);
    let source = match Source::git(&root, &args.rev) {
        Ok(source) => source,
        Err(error) => {
            let help = error.help();
            return fail_with_help(&error, help);
        }
    };
    let now = args.clock.now();
    let spinner = Spinner::start("finding what is due".to_owned());
    let due = cairn_engine::due(&source, now);
    drop(spinner);
    let due = match due {
        Ok(due) => due,
        Err(error) => return fail_with_help(&error, error.help()),
    };
    if !due.diagnostics.is_empty() {
        let shown = cairn_diagnostics::render_human(&due.diagnostics, &due.sources, args.color.enabled(), 100);
        say(shown.trim_end());
    }
    let revision = cairn_report::revision(&due.source);
    let mut items: Vec<ReconcileItem> = due.runs.iter().map(run_item).collect();
    items.extend(due.reminders.iter().map(reminder_item));
    if due.renders {
        items.push(ReconcileItem {
            kind: ItemKind::Render,
            subject: due.rendered_branch.clone(),
            what: format!("the output of {}", short(&revision)),
            status: ItemStatus::Due,
        });
    }
    let mut reconciled = Reconciled { source: revision, now, applied: args.apply, items };
    let reached = if args.apply { apply(args, &root, &source, &due, &mut reconciled, now) } else { Ok(()) };
    let report = match args.format {
        Format::Human => cairn_report::reconcile_human(&reconciled),
        Format::Json => cairn_report::reconcile_json(&reconciled),
    };
    // The report is printed whatever happened, so that what was done is never left unsaid.
    let prepared_badly = due.runs.iter().any(|run| run.run.is_err());
    let status = match reached {
        Err(status) => status,
        Ok(()) if reconciled.failed() > 0 || prepared_badly => ExitStatus::Findings,
        Ok(()) => ExitStatus::Clean,
    };
    emit(&report, status)
}

/// Carries out each due item, recording where it stands. When GitHub cannot be used at all (no
/// repository or token, a token it refuses), the error is printed, the runs and reminders are
/// marked failed, and the status to exit with is the error.
fn apply(
    args: &Args,
    root: &std::path::Path,
    source: &Source,
    due: &Due,
    reconciled: &mut Reconciled,
    now: cairn_engine::Timestamp,
) -> Result<(), ExitStatus> {
    if due.renders {
        let status = publish(args, root, source, &due.rendered_branch);
        if let Some(item) = reconciled.items.iter_mut().find(|item| item.kind == ItemKind::Render) {
            item.status = status;
        }
    }
    let wanted = due.runs.iter().any(|run| run.run.is_ok()) || !due.reminders.is_empty();
    if !wanted {
        return Ok(());
    }
    let result = act(source, due, reconciled, now);
    if result.is_err() {
        for item in &mut reconciled.items {
            if item.kind != ItemKind::Render && item.status == ItemStatus::Due {
                item.status =
                    ItemStatus::Failed("not carried out: GitHub cannot be used (the error is on stderr)".to_owned());
            }
        }
    }
    result
}

/// The runs and reminders carried out through GitHub.
fn act(
    source: &Source,
    due: &Due,
    reconciled: &mut Reconciled,
    now: cairn_engine::Timestamp,
) -> Result<(), ExitStatus> {
    let (owner, repo) = super::github::repository("the automations' pull requests are opened in")?;
    let Some(token) = super::github::token(None) else {
        say("error: no GitHub token: set `GITHUB_TOKEN`, or run with `--dry-run`");
        return Err(ExitStatus::Failure);
    };
    let refused = |error: &cairn_github::ApiError| fail_with_help(error, Some(super::github::help(error).to_owned()));
    let mut api: Box<dyn Api> = match super::github::client(&super::github::api_url(), &token) {
        Ok(api) => Box::new(api),
        Err(error) => return Err(super::fail(&error)),
    };
    let base = match std::env::var("GITHUB_REF_NAME").ok().filter(|name| !name.is_empty()) {
        Some(base) => base,
        None => cairn_github::default_branch(api.as_mut(), &owner, &repo).map_err(|error| refused(&error))?,
    };
    // A reconcile of an old revision (a re-run of an old workflow) must not undo a newer one: the
    // runs and reminders are decided at the base branch's tip, and only its reconcile acts.
    let commit = source.commit().unwrap_or_default();
    match cairn_github::branch_tip(api.as_mut(), &owner, &repo, &base) {
        Ok(Some(tip)) if tip == commit => {}
        Ok(tip) => {
            let tip = tip.map_or_else(|| "missing".to_owned(), |tip| format!("at {}", short(&tip)));
            for item in &mut reconciled.items {
                if item.kind != ItemKind::Render && item.status == ItemStatus::Due {
                    item.status = ItemStatus::Skipped(format!(
                        "`{base}` is {tip}, not this revision: the reconcile of its tip decides"
                    ));
                }
            }
            return Ok(());
        }
        Err(error) => return Err(refused(&error)),
    }
    let mut github = GitHub { api, links: super::github::links(&owner, &repo), owner, repo, base };
    let mut runs = due.runs.iter();
    let mut reminders = due.reminders.iter();
    for item in &mut reconciled.items {
        match item.kind {
            ItemKind::Run => {
                if let Some(DueRun { run: Ok(prepared), automation, .. }) = runs.next() {
                    item.status = github.open(source, prepared, automation);
                }
            }
            ItemKind::Reminder => {
                if let Some(reminder) = reminders.next() {
                    item.status = github.remind(reminder, due.extend_action.as_deref(), now);
                }
            }
            ItemKind::Render => {}
        }
    }
    Ok(())
}

/// The repository on GitHub that a reconcile acts on.
struct GitHub {
    api: Box<dyn Api>,
    owner: String,
    repo: String,
    /// The branch pull requests go into.
    base: String,
    links: cairn_report::Links,
}

impl GitHub {
    /// Opens the run's pull request, or finds it.
    fn open(&mut self, source: &Source, prepared: &cairn_engine::PreparedRun, automation: &str) -> ItemStatus {
        let actor = format!("cairn reconcile ({automation})");
        let spec = super::github::run_pull_request(
            source,
            prepared,
            self.base.clone(),
            prepared.branch.clone(),
            &actor,
            &self.links,
        );
        match cairn_github::open_pull_request(self.api.as_mut(), &self.owner, &self.repo, &spec) {
            Ok(PullRequestOutcome::Opened { number, .. }) => ItemStatus::Done(format!("opened #{number}")),
            Ok(PullRequestOutcome::AlreadyOpen { number, .. }) => ItemStatus::AlreadyDone(format!("#{number} is open")),
            Ok(PullRequestOutcome::Merged { number, .. }) => ItemStatus::AlreadyDone(format!("#{number} was merged")),
            Ok(PullRequestOutcome::ClosedUnmerged { number, .. }) => {
                ItemStatus::Skipped(format!("#{number} was closed unmerged: not opened again until the entity changes"))
            }
            Err(error) => ItemStatus::Failed(failure(&error)),
        }
    }

    /// Posts the reminder on the pull request that created the entity, or as an issue, once.
    fn remind(&mut self, reminder: &DueReminder, extend: Option<&str>, now: cairn_engine::Timestamp) -> ItemStatus {
        let entity = reminder.entity.to_string();
        let text = Reminder {
            entity: &entity,
            expires: reminder.expires,
            now,
            organisation: &self.owner,
            owners: &reminder.owners,
            extend,
        };
        let target = match reminder.pull {
            Some(number) => ReminderTarget::Pull(number),
            None => ReminderTarget::Issue { title: cairn_report::reminder_title(&text) },
        };
        let spec = ReminderSpec {
            target,
            body: cairn_report::reminder_markdown(&text),
            marker: cairn_report::reminder_marker(&entity, reminder.expires),
        };
        match cairn_github::post_reminder(self.api.as_mut(), &self.owner, &self.repo, &spec) {
            Ok(ReminderOutcome::Posted { issue }) => ItemStatus::Done(match reminder.pull {
                Some(_) => format!("commented on #{issue}"),
                None => format!("opened issue #{issue}"),
            }),
            Ok(ReminderOutcome::AlreadyPosted { issue }) => ItemStatus::AlreadyDone(format!("reminded on #{issue}")),
            Err(error) => ItemStatus::Failed(failure(&error)),
        }
    }
}

/// Commits the revision's rendered output to `branch` and, with `--push`, pushes it: first the
/// local branch is brought up to the remote's (fast-forward only), and a push that another
/// reconcile beat is tried again from the remote's new tip.
fn publish(args: &Args, root: &std::path::Path, source: &Source, branch: &str) -> ItemStatus {
    let version = env!("CARGO_PKG_VERSION");
    for _ in 0..PUSH_ATTEMPTS {
        if let Some(remote) = &args.push
            && let Err(error) = cairn_source::fetch_branch(root, remote, branch)
        {
            return ItemStatus::Failed(chain(&error));
        }
        let published = match cairn_engine::publish_rendered(source, branch, version) {
            Ok(published) => published,
            Err(error) => {
                let message = match error.help() {
                    Some(help) => format!("{} ({help})", chain(&error)),
                    None => chain(&error),
                };
                return ItemStatus::Failed(message);
            }
        };
        let status = match &published {
            Published::Committed { commit } => ItemStatus::Done(format!("committed {}", short(&commit.to_string()))),
            Published::Unchanged { tip } => {
                ItemStatus::AlreadyDone(format!("the output is as at {} already", short(&tip.to_string())))
            }
            Published::Current { tip } => {
                ItemStatus::AlreadyDone(format!("{} is on the branch", short(&tip.to_string())))
            }
            Published::Superseded { by, .. } => ItemStatus::Skipped(format!(
                "the branch holds the output of a newer commit, {}",
                short(&by.to_string())
            )),
        };
        let Some(remote) = &args.push else { return status };
        match cairn_source::push_branch(root, remote, branch) {
            Ok(PushOutcome::Pushed | PushOutcome::UpToDate) => return status,
            Ok(PushOutcome::Rejected { .. }) => {}
            Err(error) => return ItemStatus::Failed(chain(&error)),
        }
    }
    ItemStatus::Failed(format!("`{branch}` kept moving on the remote; the next reconcile tries again"))
}

/// A run as the plan shows it: due, or failed when it cannot be prepared.
fn run_item(run: &DueRun) -> ReconcileItem {
    let (action, status) = match &run.run {
        Ok(prepared) => (prepared.action.identifier.value.clone(), ItemStatus::Due),
        Err(findings) => (
            "?".to_owned(),
            ItemStatus::Failed(format!("cannot be prepared: {} finding(s), printed above", findings.len())),
        ),
    };
    ReconcileItem {
        kind: ItemKind::Run,
        subject: run.entity.to_string(),
        what: format!("{action} ({}{})", run.automation, if run.bundled { ", bundled" } else { "" }),
        status,
    }
}

fn reminder_item(reminder: &DueReminder) -> ReconcileItem {
    let target = match reminder.pull {
        Some(number) => format!("on #{number}"),
        None => "as an issue".to_owned(),
    };
    ReconcileItem {
        kind: ItemKind::Reminder,
        subject: reminder.entity.to_string(),
        what: format!("expires {}, {target}", reminder.expires),
        status: ItemStatus::Due,
    }
}

/// A GitHub failure in one line, with what to do about it.
fn failure(error: &cairn_github::ApiError) -> String {
    format!("{} ({})", chain(error), super::github::help(error))
}

fn short(commit: &str) -> &str {
    commit.get(..8).unwrap_or(commit)
}
