//! Small scans of a file's text around the spans the parser gives: lines, indentation, the `-` of
//! a list item, the `:` after a key, the bracket that closes a flow collection. Every function
//! stays inside the text and on character boundaries, whatever the offsets it is given.

use cairn_syntax::{Node, Value};

/// The offset of the start of the line holding `pos`.
pub(crate) fn line_start(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    text.as_bytes()[..pos].iter().rposition(|&b| b == b'\n').map_or(0, |newline| newline + 1)
}

/// The offset just after the line that holds `pos` (after its `\n`), or the end of the text.
pub(crate) fn line_end(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    text.as_bytes()[pos..].iter().position(|&b| b == b'\n').map_or(text.len(), |newline| pos + newline + 1)
}

/// The end of the lines a value ending at `end` occupies: `end` itself when the value ends with
/// its line (a block scalar keeps its line break), else the end of that line, with any comment.
pub(crate) fn after_lines(text: &str, end: usize) -> usize {
    if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\n') { end } else { line_end(text, end) }
}

/// The column (in bytes: indentation is ASCII) of `pos`.
pub(crate) fn column(text: &str, pos: usize) -> usize {
    pos.min(text.len()) - line_start(text, pos)
}

/// Whether `text[start..end]` holds only spaces and tabs.
pub(crate) fn blank(text: &str, start: usize, end: usize) -> bool {
    text.as_bytes().get(start..end).is_some_and(|bytes| bytes.iter().all(|&b| b == b' ' || b == b'\t'))
}

/// The last byte before `pos` that is not white space, with its offset.
pub(crate) fn previous_visible(text: &str, pos: usize) -> Option<(usize, u8)> {
    let pos = pos.min(text.len());
    text.as_bytes()[..pos].iter().rposition(|b| !b.is_ascii_whitespace()).map(|at| (at, text.as_bytes()[at]))
}

/// The offset just after the `:` that follows a key ending at `key_end`.
pub(crate) fn colon_end(text: &str, key_end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut pos = key_end;
    while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
        pos += 1;
    }
    (bytes.get(pos) == Some(&b':')).then_some(pos + 1)
}

/// The `-` of the block-list item whose value starts at `start`.
pub(crate) fn dash_before(text: &str, start: usize) -> Option<usize> {
    let (at, byte) = previous_visible(text, start)?;
    let before_is_space = at == 0 || text.as_bytes()[at - 1].is_ascii_whitespace();
    (byte == b'-' && before_is_space).then_some(at)
}

/// The leading white space of the line that holds `pos`.
pub(crate) fn indentation(text: &str, pos: usize) -> &str {
    let start = line_start(text, pos);
    let rest = &text[start..];
    let width = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    &rest[..width]
}

/// Whether a non-empty collection is written in flow style (`[a, b]`, `{a: 1}`): the first thing
/// before its first child is the opening bracket. Empty collections are always flow in YAML.
pub(crate) fn is_flow(text: &str, node: &Node) -> bool {
    let first = match &node.value {
        Value::Mapping(entries) => entries.first().map(|entry| entry.key_span.start),
        Value::Sequence(items) => items.first().map(|item| item.span.start),
        _ => return false,
    };
    let Some(first) = first else { return true };
    matches!(previous_visible(text, first as usize), Some((_, b'[' | b'{' | b',')))
}

/// The end of a value including what closes it: the bracket of a flow collection, which YAML
/// spans stop short of. JSON spans already include it.
pub(crate) fn full_end(text: &str, node: &Node, json: bool) -> usize {
    let end = node.span.end as usize;
    let last = match &node.value {
        Value::Mapping(entries) => entries.last().map(|entry| &entry.value),
        Value::Sequence(items) => items.last(),
        _ => return scalar_end(text, node.span.start as usize, end.min(text.len())),
    };
    if json {
        return end.min(text.len());
    }
    // An empty collection's span runs on over a comment after it (`[]   # none yet`): it ends
    // at its closing bracket.
    let Some(last) = last else {
        let start = node.span.start as usize;
        let opener = text.get(start..end).and_then(|inner| inner.find(['[', '{'])).map(|at| start + at + 1);
        return opener.and_then(|after| closer_after(text, after)).unwrap_or(end).min(text.len());
    };
    let inner = full_end(text, last, false).max(end);
    if !is_flow(text, node) {
        return inner.min(text.len());
    }
    closer_after(text, inner).unwrap_or(inner).min(text.len())
}

/// The end of a scalar: a block scalar's span runs on to the next token, over the indentation
/// of the line after it; it ends with its last line break.
fn scalar_end(text: &str, start: usize, end: usize) -> usize {
    let Some(inner) = text.get(start..end) else { return end };
    let trimmed = inner.trim_end_matches([' ', '\t']);
    if trimmed.ends_with('\n') { start + trimmed.len() } else { end }
}

/// The offset after the `]` or `}` that follows `pos` past white space, commas and comments.
fn closer_after(text: &str, mut pos: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    while let Some(&byte) = bytes.get(pos) {
        match byte {
            b']' | b'}' => return Some(pos + 1),
            b',' => pos += 1,
            b'#' => pos = line_end(text, pos),
            byte if byte.is_ascii_whitespace() => pos += 1,
            _ => return None,
        }
    }
    None
}

/// The line break the file uses: `\r\n` when its first line ends so, else `\n`.
pub(crate) fn newline(text: &str) -> &'static str {
    match text.find('\n') {
        Some(at) if at > 0 && text.as_bytes()[at - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "a: 1\n  b: 2 # c\nlast";
        assert_eq!(line_start(text, 9), 5);
        assert_eq!(line_end(text, 9), 16);
        assert_eq!(line_end(text, 18), text.len());
        assert_eq!(column(text, 7), 2);
        assert_eq!(after_lines(text, 5), 5);
        assert_eq!(indentation(text, 9), "  ");
        assert_eq!(newline("a: 1\r\nb: 2\r\n"), "\r\n");
        assert_eq!(colon_end(text, 1), Some(2));
        assert_eq!(dash_before("k:\n  - x", 7), Some(5));
        assert_eq!(dash_before("---\nx", 4), None);
    }
}
