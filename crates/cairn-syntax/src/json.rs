//! JSON to a `Node` with byte spans, by a small recursive-descent parser: serde_json keeps no
//! positions of values. Depth is bounded by `Limits::max_depth`, so recursion is too.

use std::collections::HashSet;
use std::str::FromStr;

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, Location, SourceFile};

use crate::limits::Limits;
use crate::node::{Entry, Node, Value};
use crate::syntax::syntax_error;

/// Parses a JSON file holding one value. Never fails: the value, if it could be read, plus
/// diagnostics.
#[must_use]
pub fn parse(file: &SourceFile, limits: &Limits) -> (Option<Node>, Vec<Diagnostic>) {
    let mut parser =
        JsonParser { file, text: file.text().as_bytes(), at: 0, depth: 0, limits, diagnostics: Vec::new() };
    let result = parser.document();
    let mut diagnostics = parser.diagnostics;
    match result {
        Ok(node) => (node, diagnostics),
        Err(diagnostic) => {
            diagnostics.push(*diagnostic);
            (None, diagnostics)
        }
    }
}

type Parse<T> = Result<T, Box<Diagnostic>>;

/// Objects with more members than this look duplicates up in a set instead of scanning.
const LINEAR_KEY_SCAN: usize = 16;

struct JsonParser<'a> {
    file: &'a SourceFile,
    text: &'a [u8],
    at: usize,
    depth: usize,
    limits: &'a Limits,
    diagnostics: Vec<Diagnostic>,
}

impl JsonParser<'_> {
    fn document(&mut self) -> Parse<Option<Node>> {
        self.skip_whitespace();
        if self.at == self.text.len() {
            return Ok(None);
        }
        let node = self.value()?;
        self.skip_whitespace();
        if self.at < self.text.len() {
            return Err(self.error("unexpected text after the end of the value"));
        }
        Ok(Some(node))
    }

    fn value(&mut self) -> Parse<Node> {
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => {
                let start = self.at;
                let text = self.string()?;
                Ok(Node::new(self.span_from(start), Value::String(text)))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(_) => Err(self.error(&format!("expected a value, found {}", self.found()))),
            None => Err(self.error("expected a value, found the end of the file")),
        }
    }

    fn nested(&mut self, parse: fn(&mut Self) -> Parse<Node>) -> Parse<Node> {
        if self.depth >= self.limits.max_depth {
            return Err(Box::new(
                Diagnostic::new(
                    Code::NestingLimit,
                    format!("values nest deeper than {} levels", self.limits.max_depth),
                )
                .at_span(self.file, ByteSpan::new(self.at as u32, self.at as u32 + 1))
                .with_help("flatten the data, or raise `limits.max-depth` in cairn.yaml"),
            ));
        }
        self.depth += 1;
        let node = parse(self);
        self.depth -= 1;
        node
    }

    fn object(&mut self) -> Parse<Node> {
        let start = self.at;
        self.at += 1;
        let mut entries: Vec<Entry> = Vec::new();
        // Large objects look duplicates up in a set, so a hostile file cannot make this quadratic.
        let mut keys: Option<HashSet<String>> = None;
        self.skip_whitespace();
        if self.eat(b'}') {
            return Ok(Node::new(self.span_from(start), Value::Mapping(entries)));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error(&format!("expected a member name in double quotes, found {}", self.found())));
            }
            let key_start = self.at;
            let key = self.string()?;
            let key_span = self.span_from(key_start);
            self.skip_whitespace();
            if !self.eat(b':') {
                return Err(self.error(&format!("expected `:` after a member name, found {}", self.found())));
            }
            self.skip_whitespace();
            let value = self.value()?;
            let duplicate = match &keys {
                Some(set) => set.contains(&key),
                None => entries.iter().any(|entry| entry.key == key),
            };
            if duplicate {
                let first = entries.iter().find(|entry| entry.key == key).map_or(key_span, |entry| entry.key_span);
                self.diagnostics.push(
                    Diagnostic::new(Code::DuplicateKey, format!("the key `{key}` appears twice in one object"))
                        .at_span(self.file, key_span)
                        .with_help("remove one of them: tools disagree on which one wins")
                        .with_related("first here", Location::new(self.file, first)),
                );
            } else {
                if let Some(set) = &mut keys {
                    set.insert(key.clone());
                } else if entries.len() >= LINEAR_KEY_SCAN {
                    keys = Some(entries.iter().map(|entry| entry.key.clone()).chain([key.clone()]).collect());
                }
                entries.push(Entry { key, key_span, value });
            }
            self.skip_whitespace();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b'}') {
                return Ok(Node::new(self.span_from(start), Value::Mapping(entries)));
            }
            return Err(self.error(&format!("expected `,` or `}}` after an object member, found {}", self.found())));
        }
    }

    fn array(&mut self) -> Parse<Node> {
        let start = self.at;
        self.at += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.eat(b']') {
            return Ok(Node::new(self.span_from(start), Value::Sequence(items)));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value()?);
            self.skip_whitespace();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b']') {
                return Ok(Node::new(self.span_from(start), Value::Sequence(items)));
            }
            return Err(self.error(&format!("expected `,` or `]` after a list item, found {}", self.found())));
        }
    }

    fn string(&mut self) -> Parse<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let run_start = self.at;
            while let Some(byte) = self.peek() {
                if byte == b'"' || byte == b'\\' || byte < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // The text is a `str`, and runs end only at ASCII bytes, so this slice is whole characters.
            out.push_str(&self.file.text()[run_start..self.at]);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    out.push(self.escape()?);
                }
                Some(_) => return Err(self.error("a control character must be escaped inside a string")),
                None => return Err(self.error("the string is not closed before the end of the file")),
            }
        }
    }

    fn escape(&mut self) -> Parse<char> {
        let Some(byte) = self.peek() else {
            return Err(self.error("the string is not closed before the end of the file"));
        };
        self.at += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4()?;
                if (0xD800..0xDC00).contains(&high) {
                    if self.text.get(self.at..self.at + 2) != Some(b"\\u") {
                        return Err(self.error("a high surrogate must be followed by a low surrogate"));
                    }
                    self.at += 2;
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.error("a high surrogate must be followed by a low surrogate"));
                    }
                    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                    char::from_u32(code).ok_or_else(|| self.error("invalid unicode escape"))?
                } else {
                    char::from_u32(high).ok_or_else(|| self.error("a lone surrogate is not a character"))?
                }
            }
            _ => {
                self.at -= 1;
                return Err(self.error(&format!("invalid escape {}", self.found())));
            }
        })
    }

    fn hex4(&mut self) -> Parse<u32> {
        let digits = self.text.get(self.at..self.at + 4).filter(|d| d.iter().all(u8::is_ascii_hexdigit));
        let Some(digits) = digits else {
            return Err(self.error("expected four hexadecimal digits after `\\u`"));
        };
        self.at += 4;
        Ok(digits.iter().fold(0, |acc, &d| acc * 16 + char::from(d).to_digit(16).unwrap_or(0)))
    }

    fn number(&mut self) -> Parse<Node> {
        let start = self.at;
        self.eat(b'-');
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("expected a digit")),
        }
        if self.eat(b'.') {
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.error("expected a digit after the decimal point"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.error("expected a digit in the exponent"));
            }
            self.digits();
        }
        let text = &self.file.text()[start..self.at];
        let number = serde_json::Number::from_str(text)
            .map_err(|_| self.error(&format!("the number `{text}` is out of range")))?;
        Ok(Node::new(self.span_from(start), Value::Number(number)))
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Parse<Node> {
        let start = self.at;
        if self.text[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(Node::new(self.span_from(start), value))
        } else {
            Err(self.error(&format!("expected a value, found {}", self.found())))
        }
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let matched = self.peek() == Some(byte);
        if matched {
            self.at += 1;
        }
        matched
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    /// The character at the cursor, for messages.
    fn found(&self) -> String {
        match self.file.text().get(self.at..).and_then(|rest| rest.chars().next()) {
            Some(ch) => format!("`{ch}`"),
            None => "the end of the file".to_owned(),
        }
    }

    fn span_from(&self, start: usize) -> ByteSpan {
        ByteSpan::new(start as u32, self.at as u32)
    }

    fn error(&self, message: &str) -> Box<Diagnostic> {
        Box::new(syntax_error(Code::SyntaxJson, self.file, self.at as u32, message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> (Option<Node>, Vec<Diagnostic>) {
        parse(&SourceFile::new("t.json", text), &Limits::default())
    }

    #[test]
    fn parses_values_with_spans() {
        let text = r#"{"a": [1, -2.5e3, "x\u00e9\ud83d\ude00"], "b": {"c": null, "d": true}}"#;
        let (node, diagnostics) = parse_text(text);
        assert!(diagnostics.is_empty());
        let node = node.expect("parsed");
        assert_eq!(node.to_json(), serde_json::from_str::<serde_json::Value>(text).expect("valid json"));
        let d = node.at_path(["b", "d"]).expect("b.d");
        assert_eq!(&text[d.span.start as usize..d.span.end as usize], "true");
    }

    #[test]
    fn typographic_quotes_are_located_and_explained() {
        let (node, diagnostics) = parse_text("{\n  \"identifier\": “cart”\n}\n");
        assert!(node.is_none());
        let location = diagnostics[0].location.as_ref().expect("located");
        assert_eq!((location.start.line, location.start.column), (2, 17));
        assert!(diagnostics[0].help.as_deref().unwrap_or_default().contains("typographic"));
    }

    #[test]
    fn rejects_what_json_does_not_allow() {
        for text in ["{\"a\": 1,}", "[01]", "{'a': 1}", "[1] 2", "\"\t\"", "[1.]", "nul", "\"\\x\"", "[\"\\ud800\"]"] {
            let (node, diagnostics) = parse_text(text);
            assert!(node.is_none() && diagnostics.len() == 1, "{text} was accepted");
        }
    }

    #[test]
    fn duplicates_are_found_in_small_and_large_objects() {
        for members in [2, 40] {
            let body: Vec<String> = (0..members).map(|i| format!("\"k{i}\": {i}")).collect();
            let text = format!("{{{}, \"k1\": 0}}", body.join(", "));
            let (node, diagnostics) = parse_text(&text);
            assert_eq!(diagnostics.len(), 1, "{members} members");
            assert_eq!(diagnostics[0].code, Code::DuplicateKey);
            assert_eq!(node.expect("parsed").get("k1").map(Node::to_json), Some(serde_json::json!(1)));
        }
    }

    #[test]
    fn depth_is_bounded() {
        let (node, diagnostics) = parse_text(&"[".repeat(10_000));
        assert!(node.is_none());
        assert_eq!(diagnostics[0].code, Code::NestingLimit);
    }
}
