//! GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` line per finding,
//! which GitHub shows as an annotation on the file and line. GitHub shows at most 10 of each
//! kind per step; `cairn ci` uses check runs, which have no such cap.

use std::fmt::Write as _;

use cairn_diagnostics::{Diagnostic, Severity};

use crate::paths::rooted;

/// One workflow command per finding (waived findings as notices), in report order. `prefix` is
/// where the platform is in its git repository (`Outcome::prefix`): GitHub places an annotation
/// by its path from the repository's root.
#[must_use]
pub fn github<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>, prefix: &str) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let command = match (diagnostic.counts(), diagnostic.severity) {
            (false, _) => "notice",
            (true, Severity::Error) => "error",
            (true, Severity::Warning) => "warning",
        };
        let mut properties = Vec::new();
        if let Some(location) = &diagnostic.location {
            properties.push(format!("file={}", property(&rooted(prefix, &location.file))));
            properties.push(format!("line={}", location.start.line));
            properties.push(format!("endLine={}", location.end.line));
            properties.push(format!("col={}", location.start.column));
            if location.end.line == location.start.line {
                properties.push(format!("endColumn={}", location.end.column));
            }
        }
        let title = match diagnostic.rule.as_ref().and_then(|rule| rule.title.as_deref()) {
            Some(title) => format!("cairn {}: {title}", diagnostic.code_name()),
            None => format!("cairn {}", diagnostic.code_name()),
        };
        properties.push(format!("title={}", property(&title)));
        let mut message = diagnostic.message.clone();
        if let Some(help) = &diagnostic.help {
            let _ = write!(message, "\nhelp: {help}");
        }
        if let Some(waived) = &diagnostic.waived {
            let _ = write!(
                message,
                "\nwaived by {} until {}: {}",
                rooted(prefix, &waived.file),
                waived.expires,
                waived.reason
            );
        }
        let _ = writeln!(out, "::{command} {}::{}", properties.join(","), data(&message));
    }
    out
}

/// Escapes a command's message as GitHub's toolkit does.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value: as a message, and also `:` and `,`, which end a property.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use cairn_diagnostics::{ByteSpan, Code, SourceFile};

    use super::*;

    #[test]
    fn escapes_messages_and_properties() {
        let file = SourceFile::new("catalog/a,b:c.yaml", "identifier: x\n");
        let diagnostic = Diagnostic::new(Code::SchemaViolation, "100% wrong\r\nreally")
            .at_span(&file, ByteSpan::new(12, 13))
            .with_help("fix it");
        assert_eq!(
            github([&diagnostic], ""),
            "::error file=catalog/a%2Cb%3Ac.yaml,line=1,endLine=1,col=13,endColumn=14,title=cairn E0303::\
             100%25 wrong%0D%0Areally%0Ahelp: fix it\n"
        );
        let rooted = github([&diagnostic], "platform");
        assert!(rooted.starts_with("::error file=platform/catalog/a%2Cb%3Ac.yaml,line=1,"), "{rooted}");
    }
}
