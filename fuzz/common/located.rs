//! What every fuzz target checks of the findings a reader gives: each located finding, and each
//! place it relates to, points into the file it names. Included by the targets with `#[path]`.

use cairn_diagnostics::{Diagnostic, Location, SourceFile};

/// Checks every finding of `diagnostics` (and its related places) against `file`; `stage` names
/// the reader in the panic message.
pub fn check_all(file: &SourceFile, diagnostics: &[Diagnostic], stage: &str) {
    for diagnostic in diagnostics {
        if let Some(location) = &diagnostic.location {
            check(file, location, diagnostic, stage);
        }
        for related in &diagnostic.related {
            check(file, &related.location, diagnostic, stage);
        }
    }
}

/// A located finding points into the file it names: its span ends within the text, starts
/// no later than it ends, and its 1-based line and column are at least 1.
fn check(file: &SourceFile, location: &Location, diagnostic: &Diagnostic, stage: &str) {
    let len = file.text().len();
    if let Some(span) = location.span {
        assert!(
            span.start <= span.end && span.end as usize <= len,
            "{stage}: span {span:?} is outside the file text of {len} bytes: {diagnostic:?}"
        );
        assert_eq!(location.file, file.path(), "{stage}: the finding names another file: {diagnostic:?}");
    }
    for position in [location.start, location.end] {
        assert!(
            position.line >= 1 && position.column >= 1,
            "{stage}: position {position:?} is not 1-based: {diagnostic:?}"
        );
    }
}
