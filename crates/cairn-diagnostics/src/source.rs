//! Source files that findings point into, byte spans within them, and the conversion of a span
//! to the 1-based line and column that people and GitHub read.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// A half-open byte range `start..end` in one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ByteSpan {
    pub start: u32,
    pub end: u32,
}

impl ByteSpan {
    #[must_use]
    pub fn new(start: u32, end: u32) -> Self {
        ByteSpan { start, end: end.max(start) }
    }

    /// An empty span at `offset`, for findings that point between characters.
    #[must_use]
    pub fn at(offset: u32) -> Self {
        ByteSpan { start: offset, end: offset }
    }

    #[must_use]
    pub fn len(self) -> u32 {
        self.end - self.start
    }

    #[must_use]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// A 1-based line and a 1-based column counted in characters (Unicode scalar values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    /// The start of a file.
    pub const START: Position = Position { line: 1, column: 1 };
}

/// One file of the platform repository, by its path relative to the repository root.
#[derive(Debug)]
pub struct SourceFile {
    path: String,
    text: Arc<str>,
    line_starts: OnceLock<Vec<u32>>,
}

impl SourceFile {
    #[must_use]
    pub fn new(path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        SourceFile { path: path.into(), text: text.into(), line_starts: OnceLock::new() }
    }

    /// The path relative to the repository root, with `/` separators.
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The line and column of a byte offset. Offsets past the end map to the end of the file.
    #[must_use]
    pub fn position(&self, offset: u32) -> Position {
        let offset = (offset as usize).min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&start| start as usize <= offset) - 1;
        let line_start = starts[line] as usize;
        // A span never starts inside a character; if one ever did, count the partial character.
        let column = self.text.get(line_start..offset).map_or(offset - line_start, |prefix| prefix.chars().count());
        Position { line: line as u32 + 1, column: column as u32 + 1 }
    }

    /// The byte offset of the start of a 1-based line, clamped to the end of the file.
    #[must_use]
    pub fn line_offset(&self, line: u32) -> u32 {
        let starts = self.line_starts();
        let index = (line.max(1) as usize - 1).min(starts.len() - 1);
        starts[index]
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0).chain(self.text.match_indices('\n').map(|(i, _)| i as u32 + 1)).collect()
        })
    }
}

/// The files findings may point into, by path, so that renderers can show snippets.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: BTreeMap<String, Arc<SourceFile>>,
}

impl SourceMap {
    #[must_use]
    pub fn new() -> Self {
        SourceMap::default()
    }

    pub fn insert(&mut self, file: Arc<SourceFile>) {
        self.files.insert(file.path().to_owned(), file);
    }

    #[must_use]
    pub fn get(&self, path: &str) -> Option<&Arc<SourceFile>> {
        self.files.get(path)
    }

    /// Every file, by path.
    pub fn files(&self) -> impl Iterator<Item = &Arc<SourceFile>> {
        self.files.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let file = SourceFile::new("a.yaml", "a: 1\ntitle: “x”\n");
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
        assert_eq!(file.position(5), Position { line: 2, column: 1 });
        // `x` comes after the three-byte opening quote.
        let x = file.text().find('x').expect("x is in the text") as u32;
        assert_eq!(file.position(x), Position { line: 2, column: 9 });
        assert_eq!(file.position(10_000), Position { line: 3, column: 1 });
        assert_eq!(file.line_offset(2), 5);
        assert_eq!(file.line_offset(99), file.text().len() as u32);
    }
}
