//! Diagnostics shared by the YAML and JSON parsers: syntax errors, and the typographic quotes
//! (“ ” ‘ ’) that text pasted from a web page or a word processor brings along.

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, SourceFile};

const TYPOGRAPHIC_QUOTES: [char; 6] = ['“', '”', '„', '‘', '’', '‚'];

/// A syntax error at `offset`, with a hint when the line holds typographic quotes.
pub(crate) fn syntax_error(code: Code, file: &SourceFile, offset: u32, message: &str) -> Diagnostic {
    let what = if code == Code::SyntaxJson { "JSON" } else { "YAML" };
    let diagnostic = Diagnostic::new(code, format!("invalid {what}: {message}")).at_span(file, ByteSpan::at(offset));
    let line = diagnostic.location.as_ref().map_or(1, |location| location.start.line);
    let start = file.line_offset(line) as usize;
    let end = file.line_offset(line + 1) as usize;
    let text = file.text().get(start..end).unwrap_or_default();
    if text.contains(TYPOGRAPHIC_QUOTES) {
        diagnostic.with_help(format!(
            "line {line} contains typographic quotes (“ ” ‘ ’), probably pasted from a web page: \
             {what} only knows straight quotes (\" and ')"
        ))
    } else {
        diagnostic.with_help(format!("correct the {what} syntax at this position"))
    }
}

/// A warning for a plain YAML value wrapped in typographic quotes, which YAML keeps as part of
/// the text: `title: “Cart”` is the six-character text `“Cart”`, not `Cart`.
pub(crate) fn typographic_quotes_warning(file: &SourceFile, text: &str, span: ByteSpan) -> Option<Diagnostic> {
    let first = text.chars().next()?;
    let last = text.chars().next_back()?;
    if text.chars().count() < 2 || !TYPOGRAPHIC_QUOTES.contains(&first) || !TYPOGRAPHIC_QUOTES.contains(&last) {
        return None;
    }
    Some(
        Diagnostic::new(Code::TypographicQuotes, format!("the value `{text}` is wrapped in typographic quotes"))
            .at_span(file, span)
            .with_help("YAML keeps typographic quotes as part of the text; use straight quotes (\") or none"),
    )
}
