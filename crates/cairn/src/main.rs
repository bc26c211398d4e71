//! The `cairn` command: parses arguments and hands each command to its module under `commands/`,
//! which runs a pipeline of `cairn-engine`, prints a report of `cairn-report` and returns an
//! `ExitStatus`. Nothing else lives here.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

mod commands;
mod exit;

use commands::{actions, audit, check, ci, env, import, init, plan, policy, reconcile, render, run, scorecard};

/// Policy evaluation allocates and frees many small values; mimalloc does that faster than the
/// system allocator (measured in docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "cairn",
    version,
    about = "Platform as code: check a platform repository of blueprints, entities and environments"
)]
struct Cli {
    /// Print the report and nothing else: no notes, progress or closing line on stderr (errors,
    /// and warnings about cairn's own work, are still printed).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every blueprint and entity of a platform repository.
    ///
    /// Exits 0 when there is no error (warnings allowed), 1 when there are errors, 2 when the
    /// repository or revision cannot be opened.
    Check(check::Args),
    /// Write a new platform repository, from cairn's bundled libraries, that passes `cairn check`.
    Init(init::Args),
    /// Turn data exported from another tool into a platform repository.
    #[command(subcommand)]
    Import(import::Command),
    /// Work with policies.
    #[command(subcommand)]
    Policy(policy::Command),
    /// Show what a change does to the platform: entities added, modified, moved and removed,
    /// environments, and the findings it introduces, judged by the rules of its base.
    ///
    /// Exits 0 when the change introduces no error (with `--strict`: when the head has none),
    /// 1 when it does, 2 when a revision cannot be read or the policies cannot be evaluated.
    Plan(plan::Args),
    /// The one command a GitHub Actions workflow runs: plan the pull request (or check the pushed
    /// commit), write the step summary and outputs, post one sticky comment and a check run with
    /// annotations.
    ///
    /// Exits by the verdict (0 pass, 1 fail), or 2 when it cannot run.
    Ci(ci::Args),
    /// Render the golden-path templates (`templates/<name>/`) over the catalog into an output
    /// folder, with a manifest of every file (docs/golden-paths.md).
    ///
    /// Exits 0 when the folder was written, 1 when a finding is an error (nothing is written),
    /// 2 when the repository cannot be read or the folder cannot be written.
    Render(render::Args),
    /// Run a self-service action (`actions/`): its inputs checked, its change made as a careful
    /// person would edit the files, checked and planned; then written into the working tree, or,
    /// with `--pr`, committed on its own branch and opened as a pull request (docs/actions.md).
    ///
    /// Exits 0 when the change was written, its pull request opened or found open (or it changes
    /// nothing); 1 when the inputs or the change are refused, the result fails the checks
    /// (without `--allow-failing`), or the same run's pull request was closed unmerged; 2 when the
    /// repository cannot be read, the files cannot be written or GitHub fails.
    Run(run::Args),
    /// The short form of running a CREATE action: `cairn new scaffold-service --set name=…`.
    ///
    /// Exits as `cairn run` does; 1 also when the action is not a CREATE action.
    New(run::Args),
    /// Work with self-service actions: list them, write their GitHub workflows.
    #[command(subcommand)]
    Actions(actions::Command),
    /// Work with environments: list them with their lifetimes.
    #[command(subcommand)]
    Env(env::Command),
    /// Make the world follow the platform at a revision: each automation that is due run as a
    /// pull request (an expired environment torn down), a reminder to the owners of environments
    /// that expire soon, the rendered output committed to the rendered branch (docs/reconcile.md).
    /// Prints the plan (`--dry-run`, the default) or carries it out (`--apply`); safe to repeat.
    ///
    /// Exits 0 when everything due was done or found done (or, in a dry run, can be done); 1 when
    /// an item failed (the next run completes the rest) or a run cannot be prepared; 2 when the
    /// repository or revision cannot be read, or GitHub cannot be reached at all.
    Reconcile(reconcile::Args),
    /// Score every entity on the platform's scorecards (`scorecards/`, Port's format): the level
    /// each reaches, the rules that hold it back, and how many of each team's entities are at
    /// each level; `--entity` for one entity's breakdown (docs/scorecards.md).
    ///
    /// Exits 0; 1 when a scorecard cannot be read (it is left out of the table) or nothing is
    /// scored; 2 when the repository or revision cannot be read.
    Scorecard(scorecard::Args),
    /// Read the platform's history: every change to its entities (`log`), the platform as it
    /// stood at an earlier revision or day (`at`; docs/audit.md).
    #[command(subcommand)]
    Audit(audit::Command),
    /// Print the shell completion script for SHELL on stdout.
    ///
    /// bash: `cairn completions bash > ~/.local/share/bash-completion/completions/cairn`;
    /// zsh: `cairn completions zsh > ~/.zfunc/_cairn` (with `~/.zfunc` in `fpath`);
    /// fish: `cairn completions fish > ~/.config/fish/completions/cairn.fish`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    commands::terminal::set_quiet(cli.quiet);
    let status = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Import(command) => import::run(&command),
        Command::Policy(policy::Command::Test(args)) => policy::test(&args),
        Command::Plan(args) => plan::run(&args),
        Command::Ci(args) => ci::run(&args),
        Command::Render(args) => render::run(&args),
        Command::Run(args) => run::run(&args),
        Command::New(args) => run::new(&args),
        Command::Actions(command) => actions::run(&command),
        Command::Env(command) => env::run(&command),
        Command::Reconcile(args) => reconcile::run(&args),
        Command::Scorecard(args) => scorecard::run(&args),
        Command::Audit(command) => audit::run(&command),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "cairn", &mut script);
            commands::emit(&String::from_utf8_lossy(&script), exit::ExitStatus::Clean)
        }
    };
    status.into()
}
