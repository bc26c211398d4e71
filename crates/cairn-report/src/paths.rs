//! Paths as GitHub reads them: from the git repository's root (a platform in `platform/` has
//! its findings at `platform/catalog/…`), and percent-encoded where they are part of a URI.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

pub(crate) use cairn_diagnostics::rooted;

/// What a path segment of a URI must not carry as is (RFC 3986, section 3.3: `pchar` allows
/// unreserved characters, sub-delimiters, `:` and `@`). Everything else is encoded: spaces, `#`
/// (which would start a fragment), `?`, `%` itself, and every byte of a non-ASCII character.
/// `/` is kept, as it separates the segments.
/// https://www.rfc-editor.org/rfc/rfc3986#section-3.3
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// `path` as the path of a URI: each segment percent-encoded, `/` kept.
#[must_use]
pub fn uri_path(path: &str) -> String {
    utf8_percent_encode(path, SEGMENT).to_string()
}

/// `text` shown as the text of a Markdown link: the characters that would end it, or be read as
/// Markdown, escaped with a backslash (CommonMark allows a backslash before any ASCII
/// punctuation). https://spec.commonmark.org/0.31.2/#backslash-escapes
pub(crate) fn link_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '[' | ']' | '\\' | '`' | '*' | '_' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_encode_what_a_path_segment_cannot_hold() {
        assert_eq!(uri_path("platform/catalog/cart.yaml"), "platform/catalog/cart.yaml");
        assert_eq!(uri_path("platform/my team/#1 100%.yaml"), "platform/my%20team/%231%20100%25.yaml");
        assert_eq!(uri_path("catalog/café?.yaml"), "catalog/caf%C3%A9%3F.yaml");
        assert_eq!(rooted("platform", "catalog/a.yaml"), "platform/catalog/a.yaml");
        assert_eq!(rooted("", "catalog/a.yaml"), "catalog/a.yaml");
    }

    #[test]
    fn link_texts_escape_what_would_end_the_link() {
        assert_eq!(link_text("catalog/[x]_y.yaml:6"), "catalog/\\[x\\]\\_y.yaml:6");
    }
}
