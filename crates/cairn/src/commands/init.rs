//! `cairn init`: a new platform repository that passes `cairn check`.

use std::fmt::Write;
use std::path::PathBuf;

use super::{emit, fail};
use crate::exit::ExitStatus;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the new platform repository; it must be new or empty.
    #[arg(default_value = ".")]
    dir: PathBuf,
}

pub fn run(args: &Args) -> ExitStatus {
    let initialized = match cairn_engine::init(&args.dir) {
        Ok(initialized) => initialized,
        Err(error) => return fail(&error),
    };
    let mut report = String::new();
    for path in &initialized.written {
        let _ = writeln!(report, "created {path}");
    }
    for workflow in &initialized.root_workflows {
        let done = if workflow.unchanged { "kept" } else { "created" };
        let _ = writeln!(
            report,
            "{done} {}, which runs cairn for `{}`: GitHub reads workflows only at the repository's root",
            workflow.path.display(),
            workflow.platform
        );
    }
    let dir = args.dir.display();
    let _ = writeln!(report, "a new platform repository is in `{dir}`; run `cairn check {dir}` to check it");
    // The repository is written whatever happens to stdout; a closed stdout is not a failure.
    let _ = emit(&report, ExitStatus::Clean);
    ExitStatus::Clean
}
