//! `cairn actions`: the platform's self-service actions listed (`list`), and the
//! `workflow_dispatch` workflow of each written (`workflows`), so that they run from GitHub's
//! "Run workflow" form.

use std::path::{Path, PathBuf};

use cairn_actions::WorkflowOptions;
use cairn_diagnostics::Severity;
use cairn_source::Source;
use clap::ValueEnum;

use super::{Color, emit, fail_with_help, note, say};
use crate::exit::ExitStatus;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List the actions with their inputs.
    ///
    /// Exits 0, or 1 when an action file has an error (the actions that read are listed), 2 when
    /// the repository cannot be read.
    List(ListArgs),
    /// Write one `workflow_dispatch` workflow per self-service action
    /// (`cairn-action-<identifier>.yml`), whose form runs `cairn run … --pr` through `actions/run`.
    ///
    /// Exits 0 when they are written, 1 when an action file has an error (nothing written), 2
    /// when the repository cannot be read or a workflow cannot be written.
    Workflows(WorkflowsArgs),
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// The platform repository: a folder (its root is the nearest folder at or above it with a
    /// `cairn.yaml`).
    #[arg(default_value = ".")]
    path: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Also list the keys of Port's each action carries that cairn does not use.
    #[arg(long, short)]
    verbose: bool,
    /// Colour in the findings.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Debug, clap::Args)]
pub struct WorkflowsArgs {
    /// The platform repository: a folder (its root is the nearest folder at or above it with a
    /// `cairn.yaml`).
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Where to write them: the platform's `.github/workflows` unless given.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Colour in the findings.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Human,
    Json,
}

pub fn run(command: &Command) -> ExitStatus {
    match command {
        Command::List(args) => list(args),
        Command::Workflows(args) => workflows(args),
    }
}

/// The actions of the platform at `path`, with their workflows as written into `out` (`None`:
/// the platform's own `.github/workflows`).
fn read(path: &Path, out: Option<&Path>) -> Result<(PathBuf, cairn_engine::ActionSet), ExitStatus> {
    let root = super::platform::root(path, false);
    let source = Source::directory(&root).map_err(|error| fail_with_help(&error, error.help()))?;
    let set = cairn_engine::actions(&source, &options(&root, source.prefix(), out))
        .map_err(|error| fail_with_help(&error, error.help()))?;
    Ok((root, set))
}

/// Workflows under the platform's own folder run as if it were the repository's root; written
/// anywhere else (the repository's `.github/workflows`, for a platform in a folder), they name
/// the platform's folder to the run.
fn options(root: &Path, prefix: &str, out: Option<&Path>) -> WorkflowOptions {
    let inside = out.is_none_or(|out| {
        let absolute = |path: &Path| std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        absolute(out).starts_with(absolute(root))
    });
    let path = (!inside && !prefix.is_empty()).then(|| prefix.trim_end_matches('/').to_owned());
    WorkflowOptions { path, ..WorkflowOptions::default() }
}

/// Prints the findings on stderr; whether one is an error.
fn report_findings(set: &cairn_engine::ActionSet, color: Color) -> bool {
    if set.diagnostics.is_empty() {
        return false;
    }
    let shown = cairn_diagnostics::render_human(&set.diagnostics, &set.sources, color.enabled(), 100);
    say(shown.trim_end());
    set.diagnostics.iter().any(|diagnostic| diagnostic.severity == Severity::Error)
}

fn list(args: &ListArgs) -> ExitStatus {
    let (_, set) = match read(&args.path, None) {
        Ok(read) => read,
        Err(status) => return status,
    };
    let failed = report_findings(&set, args.color);
    let summaries = cairn_actions::summarize(&set.actions);
    let report = match args.format {
        Format::Human => cairn_actions::to_table(&summaries, args.verbose),
        Format::Json => cairn_actions::to_json(&summaries),
    };
    emit(&report, if failed { ExitStatus::Findings } else { ExitStatus::Clean })
}

fn workflows(args: &WorkflowsArgs) -> ExitStatus {
    let (root, set) = match read(&args.path, args.out.as_deref()) {
        Ok(read) => read,
        Err(status) => return status,
    };
    // Stale workflows are what this command mends: they are not a reason to refuse it.
    let failed = report_findings(&set, args.color);
    if failed {
        say("error: an action has an error: no workflow written");
        return ExitStatus::Findings;
    }
    if set.workflows.is_empty() {
        say("error: the platform has no self-service action under `actions/`: no workflow to write");
        return ExitStatus::Findings;
    }
    let out = args.out.clone().unwrap_or_else(|| root.join(cairn_actions::WORKFLOWS_FOLDER));
    let mut written = Vec::new();
    for workflow in &set.workflows {
        let name = workflow.path.rsplit('/').next().unwrap_or(&workflow.path);
        let target = out.join(name);
        if let Err(error) = write_file(&out, &target, workflow.text.as_bytes()) {
            say(&format!("error: cannot write `{}`: {error}", target.display()));
            return ExitStatus::Failure;
        }
        written.push(target.display().to_string());
    }
    note(&format!("cairn: {} workflow(s) written to `{}`", written.len(), out.display()));
    let mut listing = written.join("\n");
    listing.push('\n');
    emit(&listing, ExitStatus::Clean)
}

/// Writes `bytes` to `target` in `folder` (made when missing), never through a link: a link at
/// the target is refused, and the file is replaced by a rename, so a reader never sees half of it.
fn write_file(folder: &Path, target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)?;
    if std::fs::symlink_metadata(target).is_ok_and(|meta| meta.file_type().is_symlink()) {
        return Err(std::io::Error::other("it is a symbolic link, which cairn does not follow"));
    }
    if std::fs::read(target).is_ok_and(|existing| existing == bytes) {
        return Ok(());
    }
    let temporary =
        folder.join(format!(".{}.cairn-tmp", target.file_name().and_then(|n| n.to_str()).unwrap_or("workflow")));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, target)
}
