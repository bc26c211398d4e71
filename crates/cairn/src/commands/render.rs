//! `cairn render [PATH] [--rev REV] --out DIR`: the golden-path templates rendered over the
//! catalog and written to an output folder with a manifest (docs/golden-paths.md). Findings
//! print as `cairn check` prints them; any error means nothing is written.
//!
//! `cairn render --verify COMMIT [PATH]`: a commit of the rendered branch compared with its
//! source commit rendered again (docs/reconcile.md, "Rendered branch"): exit 0 identical, 1
//! differing (each path listed), 2 not a cairn rendered commit or unreadable.

use std::fmt::Write;
use std::path::PathBuf;

use cairn_diagnostics::{EntityRef, Severity, render_human};
use cairn_engine::{EngineError, PublishError, RenderOptions, Rendering, Verification, VerifyError, Written};
use cairn_source::Source;
use clap::ValueEnum;

use super::{Clock, Color, Spinner, emit, fail_with_help, platform};
use crate::exit::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The platform repository: a folder in it (its root is the nearest folder at or above it
    /// with a `cairn.yaml`), or with `--rev` a folder of a git repository.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Read the repository at this git revision (`main`, `HEAD~3`, a SHA, a tag) from git
    /// objects, instead of the files on disk.
    #[arg(long, value_name = "REV")]
    rev: Option<String>,
    /// The output folder. It is replaced as a whole: it must be new, or hold only what cairn
    /// rendered there before (its `.cairn/manifest.json` lists each file). Required unless
    /// `--verify`.
    #[arg(long, value_name = "DIR", required_unless_present = "verify")]
    out: Option<PathBuf>,
    /// Check a commit of the rendered branch: render its source commit (its
    /// `Cairn-Source-Commit` trailer) again and compare the files. Exit 0 identical, 1 not, 2
    /// not a cairn rendered commit.
    #[arg(long, value_name = "COMMIT", conflicts_with_all = ["out", "rev", "entity", "environment", "force"])]
    verify: Option<String>,
    /// Render only the units of this entity (`Blueprint:identifier`).
    #[arg(long, value_name = "BP:ID", value_parser = parse_entity)]
    entity: Option<EntityRef>,
    /// Render only the units of this environment (an `Environment`'s identifier).
    #[arg(long, value_name = "ENV")]
    environment: Option<String>,
    /// Replace an output folder that holds files cairn did not write (they are deleted).
    #[arg(long)]
    force: bool,
    /// How to print the findings and the summary.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Colour in human output.
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

fn parse_entity(text: &str) -> Result<EntityRef, String> {
    EntityRef::parse(text).map_err(|error| error.to_string())
}

pub fn run(args: &Args) -> ExitStatus {
    if let Some(commit) = &args.verify {
        return verify(args, commit);
    }
    let Some(out) = &args.out else {
        return fail_with_help(&NoOut, Some("give `--out DIR`, or `--verify COMMIT`".to_owned()));
    };
    let now = args.clock.now();
    let path = platform::root(&args.path, false);
    let spinner = Spinner::start(format!("rendering `{}`", path.display()));
    let source = match &args.rev {
        Some(rev) => Source::git(&path, rev),
        None => Source::directory(&path),
    };
    let options = RenderOptions { entity: args.entity.clone(), environment: args.environment.clone() };
    let rendering = source.map_err(EngineError::from).and_then(|source| cairn_engine::render(&source, now, &options));
    drop(spinner);
    let rendering = match rendering {
        Ok(rendering) => rendering,
        Err(error) => return fail_with_help(&error, error.help()),
    };
    let errors = rendering.count(Severity::Error);
    let written = if errors == 0 {
        match cairn_engine::write(&rendering.rendered, out, args.force) {
            Ok(written) => Some(written),
            Err(error) => return fail_with_help(&error, error.help().map(str::to_owned)),
        }
    } else {
        None
    };
    let out = out.display().to_string();
    let report = match args.format {
        Format::Json => {
            cairn_report::rendering_json(&rendering, written.as_ref().map(|written| (out.as_str(), written)))
        }
        Format::Human => human(&rendering, written.as_ref(), &out, args.color.enabled()),
    };
    emit(&report, rendering.verdict().into())
}

/// clap requires `--out` without `--verify`; this is what is said should that ever not hold.
#[derive(Debug)]
struct NoOut;

impl std::fmt::Display for NoOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no output folder")
    }
}

impl std::error::Error for NoOut {}

/// `--verify COMMIT`: the comparison, as a table of paths or JSON.
fn verify(args: &Args, commit: &str) -> ExitStatus {
    let path = platform::root(&args.path, false);
    let spinner = Spinner::start(format!("verifying `{commit}`"));
    let verification = cairn_engine::verify_rendered(&path, commit);
    drop(spinner);
    let verification = match verification {
        Ok(verification) => verification,
        Err(error) => {
            // A source whose rendering has errors: its findings say why.
            if let VerifyError::Render { error: PublishError::Rendering { rendering, .. }, .. } = &error {
                let _ = emit(
                    &render_human(&rendering.diagnostics, &rendering.sources, args.color.enabled(), 100),
                    ExitStatus::Failure,
                );
            }
            let help = match &error {
                VerifyError::NotRendered { .. } => Some(
                    "give a commit of the rendered branch (`reconcile.rendered-branch` in `cairn.yaml`)".to_owned(),
                ),
                VerifyError::Render { error, .. } => error.help(),
                VerifyError::Git { .. } => None,
            };
            return fail_with_help(&error, help);
        }
    };
    let status = if verification.identical() { ExitStatus::Clean } else { ExitStatus::Findings };
    let report = match args.format {
        Format::Json => cairn_report::verification_json(&verification),
        Format::Human => verification_human(&verification),
    };
    emit(&report, status)
}

fn verification_human(verification: &Verification) -> String {
    let mut report = String::new();
    let commit = verification.commit.short(12);
    let source = &verification.source_commit;
    if verification.identical() {
        let _ = writeln!(report, "`{commit}` is the rendering of `{source}`: {}", verification.digest);
        return report;
    }
    for (label, paths) in
        [("differs", &verification.differing), ("missing", &verification.missing), ("extra", &verification.extra)]
    {
        for path in paths {
            let _ = writeln!(report, "{label:<8} {path}");
        }
    }
    if verification.claimed_digest != verification.digest {
        let claimed = if verification.claimed_digest.is_empty() { "none" } else { &verification.claimed_digest };
        let _ = writeln!(report, "digest   the commit says {claimed}, the rendering is {}", verification.digest);
    }
    let _ = writeln!(report, "`{commit}` is not the rendering of `{source}`");
    report
}

fn human(rendering: &Rendering, written: Option<&Written>, out: &str, color: bool) -> String {
    let mut report = render_human(&rendering.diagnostics, &rendering.sources, color, 100);
    if !report.is_empty() {
        report.push('\n');
    }
    let rendered = format!(
        "{} from {} over {}",
        plural(rendering.rendered.files.len(), "file"),
        plural(rendering.templates, "template"),
        plural(rendering.entities, "entity")
    );
    match written {
        None => {
            let _ = writeln!(
                report,
                "nothing written to `{out}`: {} (rendered {rendered})",
                plural(rendering.count(Severity::Error), "error")
            );
        }
        Some(written) if !written.replaced => {
            let _ = writeln!(report, "rendered {rendered} into `{out}`: nothing changed");
        }
        Some(written) => {
            let _ = writeln!(
                report,
                "rendered {rendered} into `{out}`: {} created, {} changed, {} unchanged, {} removed",
                written.created.len(),
                written.changed.len(),
                written.unchanged.len(),
                written.removed.len()
            );
        }
    }
    report
}

/// `1 entity`, `2 entities`.
fn plural(count: usize, noun: &str) -> String {
    match (count, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "entity") => format!("{count} entities"),
        _ => format!("{count} {noun}s"),
    }
}
