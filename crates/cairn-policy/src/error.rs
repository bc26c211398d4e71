//! regorus reports errors as text: `--> file:line:col`, a snippet, then `error: message`. This
//! module turns that text back into a located `Diagnostic` on the policy file.

use std::sync::Arc;

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, Location, SourceFile};

/// Where regorus says an error is, and what it says.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct EngineMessage {
    pub file: Option<String>,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Reads regorus's error text. Errors without a location keep their whole text as the message.
pub(crate) fn parse_engine_message(text: &str) -> EngineMessage {
    let message =
        text.rsplit_once("\nerror: ").map_or_else(|| text.trim().to_owned(), |(_, message)| message.trim().to_owned());
    let location = text.split_once("--> ").and_then(|(_, rest)| {
        let head = rest.lines().next()?;
        let mut parts = head.rsplitn(3, ':');
        let column = parts.next()?.trim().parse().ok()?;
        let line = parts.next()?.trim().parse().ok()?;
        Some((parts.next()?.to_owned(), line, column))
    });
    match location {
        Some((file, line, column)) => EngineMessage { file: Some(file), line, column, message },
        None => EngineMessage { file: None, line: 0, column: 0, message },
    }
}

/// The byte span of the character at 1-based `line` and `column` (columns count characters).
pub(crate) fn span_at(file: &SourceFile, line: u32, column: u32) -> ByteSpan {
    let text = file.text();
    let start = file.line_offset(line.max(1)) as usize;
    let line_text = text[start.min(text.len())..].lines().next().unwrap_or("");
    let skip = column.saturating_sub(1) as usize;
    let offset = line_text.char_indices().nth(skip).map_or(line_text.len(), |(offset, _)| offset);
    let width = line_text[offset..].chars().next().map_or(0, char::len_utf8);
    ByteSpan::new((start + offset) as u32, (start + offset + width) as u32)
}

/// A finding for an error regorus raised, placed where regorus says, or else at `fallback`.
pub(crate) fn engine_diagnostic(
    code: Code,
    error: &dyn std::fmt::Display,
    files: &[Arc<SourceFile>],
    fallback: Option<Location>,
) -> Diagnostic {
    let parsed = parse_engine_message(&error.to_string());
    let code = if is_time_limit(&parsed.message) { Code::PolicyLimit } else { code };
    let location = parsed
        .file
        .as_deref()
        .and_then(|path| files.iter().find(|file| file.path() == path))
        .map(|file| Location::new(file, span_at(file, parsed.line, parsed.column)))
        .or(fallback);
    let message = if code == Code::PolicyLimit { time_limit_message(&parsed.message) } else { parsed.message };
    let mut diagnostic = Diagnostic::new(code, message);
    if let Some(location) = location {
        diagnostic = diagnostic.at(location);
    }
    diagnostic.with_help(match code {
        Code::PolicySyntax => "fix the policy: cairn reads Rego v1 (`contains`, `if`, `some … in`)",
        Code::PolicyLimit => {
            "the rule was stopped at `limits.policy-time` of cairn.yaml; make it cheaper (a catalog-wide scan \
             inside a per-entity rule is the usual cause) or raise the limit"
        }
        _ => "fix the policy; until then, the platform's rules cannot be evaluated",
    })
}

/// "execution exceeded time limit (elapsed=203666262ns, limit=200000000ns)", said plainly.
fn time_limit_message(message: &str) -> String {
    let limit = message
        .split_once("limit=")
        .and_then(|(_, rest)| rest.split_once("ns"))
        .and_then(|(nanos, _)| nanos.parse::<u64>().ok());
    match limit {
        Some(nanos) => format!("the policy ran longer than its limit of {} ms and was stopped", nanos / 1_000_000),
        None => format!("the policy ran longer than its limit and was stopped ({message})"),
    }
}

fn is_time_limit(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    message.contains("time limit") || message.contains("execution time") || message.contains("timed out")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_location_and_message() {
        let text = "\n--> policies/a.rego:3:5\n  |\n3 |     x := y\n  |     ^\nerror: var y is unsafe";
        assert_eq!(
            parse_engine_message(text),
            EngineMessage {
                file: Some("policies/a.rego".into()),
                line: 3,
                column: 5,
                message: "var y is unsafe".into()
            }
        );
    }

    #[test]
    fn keeps_paths_with_colons_and_spaces() {
        let text = "\n--> (bundled) policies/x:y.rego:10:1\n   |\nerror: boom";
        let parsed = parse_engine_message(text);
        assert_eq!(parsed.file.as_deref(), Some("(bundled) policies/x:y.rego"));
        assert_eq!((parsed.line, parsed.column), (10, 1));
    }

    #[test]
    fn unlocated_errors_keep_their_text() {
        let parsed = parse_engine_message("execution exceeded time limit");
        assert_eq!(parsed.file, None);
        assert_eq!(parsed.message, "execution exceeded time limit");
    }

    #[test]
    fn spans_count_characters() {
        let file = SourceFile::new("a.rego", "package a\n# “é” x\n");
        let span = span_at(&file, 2, 5);
        assert_eq!(&file.text()[span.start as usize..span.end as usize], "”");
    }
}
