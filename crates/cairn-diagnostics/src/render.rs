//! Human rendering of diagnostics through miette: the message, the source snippet with the
//! offending value underlined, the help, and related places (such as a first definition).

use std::fmt;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use crate::code::Severity;
use crate::diagnostic::{Diagnostic, Location};
use crate::source::{SourceFile, SourceMap};

/// Renders `diagnostics` one after another. Without colour the output is plain text that reads
/// well in a CI log; `width` is the column at which miette wraps text.
#[must_use]
pub fn render_human(diagnostics: &[Diagnostic], sources: &SourceMap, color: bool, width: usize) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(width).with_links(false);
    let mut out = String::new();
    for (index, diagnostic) in diagnostics.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let view = View::new(diagnostic, sources);
        // Writing into a String cannot fail; a miette error would only mean a span outside its
        // source, which `View::new` never builds.
        if handler.render_report(&mut out, &view).is_err() {
            out.push_str(&diagnostic.message);
            out.push('\n');
        }
    }
    out
}

/// A `SourceFile` as miette source code, without copying its text.
struct Text(Arc<SourceFile>);

impl miette::SourceCode for Text {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents = self.0.text().read_span(span, before, after)?;
        if before > 0 || after > 0 {
            return Ok(contents);
        }
        // miette counts columns in bytes; people, editors and GitHub count characters, as the
        // rest of cairn does. Only the header line reads this position.
        let position = self.0.position(span.offset() as u32);
        Ok(Box::new(miette::MietteSpanContents::new(
            contents.data(),
            *contents.span(),
            position.line as usize - 1,
            position.column as usize - 1,
            contents.line_count(),
        )))
    }
}

/// One diagnostic (or one related place) as miette sees it.
struct View {
    title: String,
    code: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<NamedSource<Text>>,
    label: Option<LabeledSpan>,
    related: Vec<View>,
}

impl View {
    fn new(diagnostic: &Diagnostic, sources: &SourceMap) -> Self {
        let severity = match diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        };
        let label = diagnostic.entity.as_ref().map(|entity| format!("in `{entity}`"));
        let mut view = View::at(&diagnostic.message, diagnostic.location.as_ref(), label, sources);
        view.code = Some(diagnostic.code_name().to_owned());
        view.severity = severity;
        let mut help: Vec<String> = Vec::new();
        if let Some(rule) = &diagnostic.rule {
            help.push(match &rule.title {
                Some(title) => format!("policy: {title} (`{}`)", rule.path),
                None => format!("policy: `{}`", rule.path),
            });
        }
        help.extend(diagnostic.help.clone());
        if let Some(waived) = &diagnostic.waived {
            view.severity = miette::Severity::Advice;
            view.title = format!("waived: {}", view.title);
            help.push(format!(
                "waived by `{}` until {} (owner {}): {}",
                waived.file, waived.expires, waived.owner, waived.reason
            ));
        }
        view.help = (!help.is_empty()).then(|| help.join("\n"));
        view.related = diagnostic
            .related
            .iter()
            .map(|related| View::at(&related.message, Some(&related.location), None, sources))
            .collect();
        view
    }

    /// A view of `message` at `location`, with a snippet when the file's text is at hand.
    fn at(message: &str, location: Option<&Location>, label: Option<String>, sources: &SourceMap) -> Self {
        let mut view = View {
            title: message.to_owned(),
            code: None,
            severity: miette::Severity::Advice,
            help: None,
            source: None,
            label: None,
            related: Vec::new(),
        };
        let Some(location) = location else { return view };
        let file = sources.get(&location.file);
        match (file, location.span) {
            (Some(file), Some(span)) if span.end as usize <= file.text().len() => {
                let span = SourceSpan::new((span.start as usize).into(), span.len() as usize);
                view.source = Some(NamedSource::new(&location.file, Text(Arc::clone(file))));
                view.label = Some(LabeledSpan::new_primary_with_span(label, span));
            }
            _ => {
                view.title = format!("{}:{}:{}: {message}", location.file, location.start.line, location.start.column);
            }
        }
        view
    }
}

impl fmt::Debug for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("View").field("title", &self.title).finish_non_exhaustive()
    }
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for View {}

impl miette::Diagnostic for View {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code.as_ref().map(|code| Box::new(code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|source| source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.label.clone().map(|label| Box::new(std::iter::once(label)) as Box<dyn Iterator<Item = LabeledSpan>>)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|view| view as &dyn miette::Diagnostic)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ByteSpan, Code};

    #[test]
    fn renders_snippet_help_and_related_place() {
        let first = Arc::new(SourceFile::new("catalog/a.yaml", "identifier: cart\nblueprint: System\n"));
        let second = Arc::new(SourceFile::new("catalog/b.yaml", "identifier: cart\nblueprint: System\n"));
        let mut sources = SourceMap::new();
        sources.insert(Arc::clone(&first));
        sources.insert(Arc::clone(&second));
        let diagnostic = Diagnostic::new(Code::DuplicateIdentifier, "`System` entity `cart` is declared twice")
            .at_span(&second, ByteSpan::new(12, 16))
            .with_entity(crate::EntityRef::new("System", "cart"))
            .with_help("give each entity of a blueprint its own identifier")
            .with_related("first declared here", Location::new(&first, ByteSpan::new(12, 16)));
        insta::assert_snapshot!(render_human(&[diagnostic], &sources, false, 100));
    }

    #[test]
    fn a_location_without_text_is_written_into_the_title() {
        let diagnostic = Diagnostic::new(Code::FileTooLarge, "the file is 9 MiB, above the 2 MiB limit")
            .at(Location::file("catalog/huge.yaml"));
        let rendered = render_human(&[diagnostic], &SourceMap::new(), false, 100);
        assert!(rendered.contains("catalog/huge.yaml:1:1: the file is 9 MiB"), "{rendered}");
    }
}
