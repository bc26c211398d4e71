//! `test_policies`: the policies of a platform repository (or a folder of Rego files) and their
//! `_test.rego` files, loaded from disk and run as `opa test` runs them.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use cairn_diagnostics::{Diagnostic, SourceFile, SourceMap};
use cairn_model::{Limits, SETTINGS_FILE, Settings, too_large};
use cairn_policy::{PolicyOptions, TestReport, run_tests};
use cairn_source::{Contents, EntryKind, Source};

use crate::error::EngineError;
use crate::load::{BUNDLED_PREFIX, symlink, text_file, unreadable};
use crate::verdict::Verdict;

/// What a test run found: the tests' results, and the problems of the policies themselves.
#[derive(Debug)]
pub struct PolicyTestOutcome {
    pub report: TestReport,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
}

impl PolicyTestOutcome {
    /// Broken when the policies could not be loaded or evaluated, failed when a test fails.
    #[must_use]
    pub fn verdict(&self) -> Verdict {
        let broken = self.diagnostics.iter().any(|diagnostic| diagnostic.code.breaks_rules());
        Verdict::of(broken, self.report.failed())
    }
}

/// Runs the policy tests under `path` whose full name `select` accepts.
///
/// A platform repository (a folder with `cairn.yaml` or `policies/`) is tested through its
/// `policies/` folder, with the bundled library's policies when its settings enable them; any
/// other folder is taken as a folder of Rego files.
pub fn test_policies(path: &Path, select: &dyn Fn(&str) -> bool) -> Result<PolicyTestOutcome, EngineError> {
    let source = Source::directory(path)?;
    let entries = source.files()?;
    let reader = source.reader();
    let platform = entries.iter().any(|entry| entry.path == SETTINGS_FILE || entry.path.starts_with("policies/"));
    let mut diagnostics = Vec::new();
    let mut settings = Settings::default();
    let mut files = Vec::new();
    for entry in entries.iter() {
        let wanted = if platform { entry.path.starts_with("policies/") } else { true };
        let is_rego = Path::new(&entry.path).extension().is_some_and(|extension| extension == "rego");
        if entry.path == SETTINGS_FILE && platform {
            if let Ok(Contents::Bytes(bytes)) = reader.read(entry, 1 << 20) {
                let file = SourceFile::new(SETTINGS_FILE, String::from_utf8_lossy(&bytes).into_owned());
                let (read, found) = Settings::read(&file);
                settings = read;
                diagnostics.extend(found);
            }
            continue;
        }
        if !wanted || !is_rego {
            continue;
        }
        if entry.kind != EntryKind::File {
            diagnostics.push(symlink(&entry.path));
            continue;
        }
        match reader.read(entry, u64::from(u32::MAX)) {
            Ok(Contents::Bytes(bytes)) => match text_file(&entry.path, bytes) {
                Ok(file) => files.push(file),
                Err(diagnostic) => diagnostics.push(*diagnostic),
            },
            Ok(Contents::TooLarge { size }) => {
                let limits = Limits { max_file_size: u64::from(u32::MAX), ..Limits::default() };
                diagnostics.push(too_large(&entry.path, size, &limits));
            }
            Err(error) => diagnostics.push(unreadable(&entry.path, &error)),
        }
    }
    if platform && settings.library.policies {
        let bundled = cairn_library::policies();
        files.extend(
            bundled.map(|file| Arc::new(SourceFile::new(format!("{BUNDLED_PREFIX}{}", file.path), file.contents))),
        );
    }
    let options = PolicyOptions { time_limit: Duration::from_millis(settings.limits.policy_time_ms) };
    let (report, found) = run_tests(&files, options, select);
    diagnostics.extend(found);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut sources = SourceMap::new();
    for file in files {
        sources.insert(file);
    }
    Ok(PolicyTestOutcome { report, diagnostics, sources })
}

#[cfg(test)]
mod tests;
