//! `cairn render [PATH] [--rev REV] --out DIR`: the golden-path templates rendered over the
//! catalog and written to an output folder with a manifest (docs/golden-paths.md). Findings
//! print as `cairn check` prints them; any error means nothing is written.

use std::fmt::Write;
use std::path::PathBuf;

use cairn_diagnostics::{EntityRef, Severity, render_human};
use cairn_engine::{EngineError, RenderOptions, Rendering, Written};
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
    /// rendered there before (its `.cairn/manifest.json` lists each file).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
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
        match cairn_engine::write(&rendering.rendered, &args.out, args.force) {
            Ok(written) => Some(written),
            Err(error) => return fail_with_help(&error, error.help().map(str::to_owned)),
        }
    } else {
        None
    };
    let out = args.out.display().to_string();
    let report = match args.format {
        Format::Json => {
            cairn_report::rendering_json(&rendering, written.as_ref().map(|written| (out.as_str(), written)))
        }
        Format::Human => human(&rendering, written.as_ref(), &out, args.color.enabled()),
    };
    emit(&report, rendering.verdict().into())
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
