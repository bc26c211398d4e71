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
///
/// Each finding opens with its severity in words and its code, `error[E0309]: …`,
/// `warning[W0306]: …` (a waived one `note[E0309]: waived: …`), as rustc and ruff write theirs:
/// the line says what it is without colour, and a screen reader reads it out.
#[must_use]
pub fn render_human(diagnostics: &[Diagnostic], sources: &SourceMap, color: bool, width: usize) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(width).with_links(false);
    let mut out = String::new();
    for (index, diagnostic) in diagnostics.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let view = View::new(diagnostic, sources, color);
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
    severity: miette::Severity,
    help: Option<String>,
    source: Option<NamedSource<Text>>,
    label: Option<LabeledSpan>,
    related: Vec<View>,
}

impl View {
    fn new(diagnostic: &Diagnostic, sources: &SourceMap, color: bool) -> Self {
        let (mut severity, mut word) = match diagnostic.severity {
            Severity::Error => (miette::Severity::Error, "error"),
            Severity::Warning => (miette::Severity::Warning, "warning"),
        };
        if diagnostic.waived.is_some() {
            (severity, word) = (miette::Severity::Advice, "note");
        }
        let label = diagnostic.entity.as_ref().map(|entity| format!("in `{entity}`"));
        let mut view = View::at(&diagnostic.message, diagnostic.location.as_ref(), label, sources);
        // The code goes into the title rather than miette's header line, which would print it
        // alone, without the severity.
        let heading = format!("{word}[{}]", diagnostic.code_name());
        let heading = if color {
            // Bold, in the colours miette's unicode theme gives the severity's icon.
            let ansi = match severity {
                miette::Severity::Error => "1;31",
                miette::Severity::Warning => "1;33",
                miette::Severity::Advice => "1;36",
            };
            format!("\u{1b}[{ansi}m{heading}\u{1b}[0m")
        } else {
            heading
        };
        let waived = if diagnostic.waived.is_some() { "waived: " } else { "" };
        view.title = format!("{heading}: {waived}{}", view.title);
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
        // The finding's line names its severity and code: `error[E0304]: …`.
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
        assert!(rendered.contains("error[E0107]: catalog/huge.yaml:1:1: the file is 9 MiB"), "{rendered}");
    }

    #[test]
    fn each_finding_says_its_severity_in_words_with_and_without_colour() {
        let warning = Diagnostic::new(Code::UnknownEntityKey, "an entity has the key `x`").at(Location::file("a.yaml"));
        let plain = render_human(std::slice::from_ref(&warning), &SourceMap::new(), false, 100);
        assert!(plain.contains("warning[W0306]: a.yaml:1:1: an entity has the key `x`"), "{plain}");
        assert!(!plain.contains('\u{1b}'), "no escape codes without colour: {plain:?}");
        let coloured = render_human(&[warning], &SourceMap::new(), true, 100);
        assert!(coloured.contains("\u{1b}[1;33mwarning[W0306]\u{1b}[0m: a.yaml"), "{coloured:?}");
    }
}
