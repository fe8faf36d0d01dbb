//! Where a field is written: field paths (`sections[2].items[0].kind`), their byte spans in
//! the TOML source, and line/column numbers in characters.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// Answers line/column queries on one text in time independent of the text's length (after a
/// linear pass), so that reporting many problems in a large file stays linear.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// Characters before each multiple of [`LineIndex::STEP`] bytes.
    chars_before: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    const STEP: usize = 256;

    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        line_starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut chars_before = Vec::with_capacity(bytes.len() / Self::STEP + 1);
        let mut count = 0;
        for chunk in bytes.chunks(Self::STEP) {
            chars_before.push(count);
            count += chunk.iter().filter(|b| !is_continuation(**b)).count();
        }
        chars_before.push(count);
        LineIndex {
            text,
            line_starts,
            chars_before,
        }
    }

    /// Characters in `text[..offset]`.
    fn chars_to(&self, offset: usize) -> usize {
        let block = offset / Self::STEP;
        let rest = &self.text.as_bytes()[block * Self::STEP..offset];
        self.chars_before[block] + rest.iter().filter(|b| !is_continuation(**b)).count()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|s| *s <= offset);
        let start = self.line_starts[line - 1];
        (line, self.chars_to(offset) - self.chars_to(start) + 1)
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// A TOML text with what locating its values takes, made once per file and shared by parsing,
/// validation, the links and the lint: its tree (`None` when it does not parse) and its line
/// index.
pub struct Located<'a> {
    pub text: &'a str,
    pub(super) root: Option<toml::Spanned<DeTable<'a>>>,
    pub(super) lines: LineIndex<'a>,
}

impl<'a> Located<'a> {
    pub fn new(text: &'a str) -> Self {
        Located {
            text,
            root: DeTable::parse(text).ok(),
            lines: LineIndex::new(text),
        }
    }

    /// Byte span of the value at `path` (the deepest part found; empty at 0 when the text
    /// does not parse).
    pub(super) fn span(&self, path: &[Seg]) -> Range<usize> {
        self.root.as_ref().map_or(0..0, |root| span_of(root, path))
    }

    /// The string written at the top level under `key`, when the text parses as TOML: what a
    /// notice calls itself (`id`) even when the rest of it does not read as a notice.
    pub fn top_string(&self, key: &str) -> Option<String> {
        let root = self.root.as_ref()?;
        let (_, value) = root.get_ref().iter().find(|(k, _)| k.get_ref() == key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => None,
        }
    }

    /// Line and column (1-based, in characters) where the value at `path` is written; (1, 1)
    /// when the text does not parse. Costs a walk down `path`, never a parse: a file's every
    /// value can be located in time linear in the file.
    pub fn locate(&self, path: &[Seg]) -> (usize, usize) {
        match &self.root {
            Some(root) => self.lines.line_col(span_of(root, path).start),
            None => (1, 1),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset. For many queries on one text,
/// use a [`LineIndex`].
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// One step of a field path: a key of a table or an index into an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg {
    Key(&'static str),
    Index(usize),
}

pub fn path_string(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Byte span of the value at `path` in the TOML source (the deepest part of the path found).
pub(super) fn span_of(root: &toml::Spanned<DeTable>, path: &[Seg]) -> Range<usize> {
    let mut span = root.span();
    let mut table: Option<&DeTable> = Some(root.get_ref());
    let mut value: Option<&DeValue> = None;
    for seg in path {
        let next = match (seg, table, value) {
            (Seg::Key(k), Some(t), _) => {
                t.iter().find(|(key, _)| key.get_ref() == k).map(|(_, v)| v)
            }
            (Seg::Index(i), _, Some(DeValue::Array(items))) => items.get(*i),
            _ => None,
        };
        let Some(next) = next else { break };
        span = next.span();
        value = Some(next.get_ref());
        table = match next.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    span
}

/// Byte offset, within the raw TOML `raw` of a string value, where character `c` is written:
/// itself, or an escape sequence for it (`\t`, `\u0007`, …).
pub(super) fn find_written(raw: &str, c: char) -> Option<usize> {
    let mut chars = raw.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        if ch == c {
            return Some(i);
        }
        if ch != '\\' {
            continue;
        }
        let Some(&(_, e)) = chars.peek() else { break };
        chars.next();
        let decoded = match e {
            't' => Some('\t'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'e' => Some('\u{1b}'),
            'u' | 'U' | 'x' => {
                let digits = match e {
                    'u' => 4,
                    'U' => 8,
                    _ => 2,
                };
                let hex: String = raw[i + 2..].chars().take(digits).collect();
                u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
            }
            _ => None,
        };
        if decoded == Some(c) {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\nåäö x", 10), (2, 5));
        assert_eq!(line_col("", 0), (1, 1));
    }

    #[test]
    fn line_index_agrees_with_line_col_everywhere() {
        // Long lines with multi-byte characters across the index's 256-byte steps.
        let text = format!("a\n{}\nåäö\n\n{}x", "é".repeat(300), "ab".repeat(400));
        let index = LineIndex::new(&text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            assert_eq!(
                index.line_col(offset),
                line_col(&text, offset),
                "at {offset}"
            );
        }
    }
}
