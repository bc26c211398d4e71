//! Fuzzes `cairn import port`'s conversion: arbitrary bytes as a Port export (JSON), converted
//! twice.
//!
//! Beyond "never panics, never hangs, never exhausts memory", it checks what the import
//! promises: the same export gives the same files byte for byte; every path is a plain relative
//! path of safe names inside the folders of a platform repository; every file written reads
//! back, with cairn's own parser, without an error; and every finding's location lies within
//! the export it names.

#![no_main]

use cairn_diagnostics::{Location, Severity};
use cairn_import::{Export, convert};
use cairn_model::{Limits, parse_file};
use libfuzzer_sys::fuzz_target;

const FOLDERS: &[&str] = &["blueprints", "catalog", "environments", "scorecards", "actions"];

fuzz_target!(|bytes: &[u8]| {
    let exports = [Export { path: "export.json".to_owned(), bytes: bytes.to_vec() }];
    let imported = convert(&exports);
    let again = convert(&exports);
    assert_eq!(imported.files, again.files, "the same export gives the same files");

    assert!(imported.files.contains_key("cairn.yaml"), "an import always writes cairn.yaml");
    let limits = Limits { max_file_size: u64::MAX, ..Limits::default() };
    for (path, text) in &imported.files {
        let parts: Vec<&str> = path.split('/').collect();
        assert!(path == "cairn.yaml" || FOLDERS.contains(&parts[0]), "{path} is outside the folders");
        for part in &parts {
            assert!(
                !part.is_empty()
                    && !part.starts_with('.')
                    && part.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')),
                "{path} has an unsafe name"
            );
        }
        let parsed = parse_file(path, text.as_bytes(), &limits);
        assert!(
            !parsed.diagnostics.iter().any(|diagnostic| diagnostic.severity == Severity::Error),
            "{path} does not read back: {:?}\n{text}",
            parsed.diagnostics
        );
    }

    let file = imported.sources.get("export.json").expect("the export's text is kept");
    let len = file.text().len();
    for diagnostic in &imported.diagnostics {
        let locations =
            diagnostic.location.iter().chain(diagnostic.related.iter().map(|related| &related.location));
        for location in locations {
            check(location, len, diagnostic);
        }
    }
});

fn check(location: &Location, len: usize, diagnostic: &cairn_diagnostics::Diagnostic) {
    assert_eq!(location.file, "export.json", "a finding names another file: {diagnostic:?}");
    if let Some(span) = location.span {
        assert!(span.start <= span.end && span.end as usize <= len, "span outside the export: {diagnostic:?}");
    }
    assert!(location.start.line >= 1 && location.start.column >= 1, "not 1-based: {diagnostic:?}");
}
