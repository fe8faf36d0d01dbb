//! Links between notices (`notice:ID#section`), located where they are written, so that the
//! rules across files ([`crate::source::DataSet`]) can report a link to nothing at the link.

use super::locate::{Located, path_string};
use super::{Notice, Which, rich, walk};

/// A link to a notice, and where its destination is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRef {
    pub id: String,
    pub section: Option<String>,
    /// 1-based line and column (characters) of `notice:…` in the data file.
    pub line: usize,
    pub col: usize,
    /// The field holding it, e.g. `sections[1].items[0].answer[0]`.
    pub field: String,
}

/// Every link to a notice in `notice` (parsed from the TOML `src`), in reading order, web-only
/// sections included.
pub fn notice_refs(src: &Located, notice: &Notice) -> Vec<NoticeRef> {
    let mut out = Vec::new();
    walk(notice, Which::All, &mut |path, step| {
        let super::Step::Text { kind, text: value } = step else {
            return;
        };
        if !kind.is_running() {
            return;
        }
        let span = src.span(path);
        // Each destination is searched after the previous one: the same link twice is found twice.
        let mut from = span.start;
        for (id, section, at) in rich::notice_links(value) {
            let written = &value[at];
            let offset = src
                .text
                .get(from..span.end)
                .and_then(|raw| raw.find(written))
                .map_or(span.start, |o| from + o);
            from = offset + written.len();
            let (line, col) = src.lines.line_col(offset);
            out.push(NoticeRef {
                id,
                section,
                line,
                col,
                field: path_string(path),
            });
        }
    });
    out
}

/// A text of a notice, where it is written: for the lints across files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedText {
    /// The field, e.g. `sections[1].items[0].answer[0]`.
    pub field: String,
    /// 1-based line and column (characters) where the value starts.
    pub line: usize,
    pub col: usize,
    /// Its plain text (running text without markup).
    pub text: String,
}

/// Every running text and question of the printed sections, located.
pub fn located_texts(src: &Located, notice: &Notice) -> Vec<LocatedText> {
    let mut out = Vec::new();
    walk(notice, Which::Printed, &mut |path, step| {
        let super::Step::Text { kind, text: value } = step else {
            return;
        };
        let plain = match kind {
            k if k.is_running() => rich::plain_text(value),
            super::TextKind::Question => value.to_owned(),
            _ => return,
        };
        let (line, col) = src.lines.line_col(src.span(path).start);
        out.push(LocatedText {
            field: path_string(path),
            line,
            col,
            text: plain,
        });
    });
    out
}

/// The addresses (`https:`, `mailto:`) the notice's running text links to, web-only sections
/// included.
pub fn link_addresses(notice: &Notice) -> Vec<String> {
    let mut out = Vec::new();
    walk(notice, Which::All, &mut |_, step| {
        if let super::Step::Text { kind, text } = step
            && kind.is_running()
        {
            out.extend(rich::addresses(text));
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn notice_links_are_found_where_their_destination_is_written() {
        let text = r#"id = "a"
title = "T"
language = "sv-SE"
publisher = "P"
updated = "2024-01-01"

[[sections]]
id = "s"
heading = "H"
intro = ["""
Se [den andra](notice:b#x) och
[oss själva](notice:a).
"""]
"#;
        let n = super::super::parse(Path::new("a.toml"), text).unwrap();
        let refs = notice_refs(&Located::new(text), &n);
        let at: Vec<_> = refs
            .iter()
            .map(|r| (r.id.as_str(), r.section.as_deref(), r.line, r.col))
            .collect();
        assert_eq!(at, [("b", Some("x"), 11, 16), ("a", None, 12, 14)]);
        assert_eq!(refs[0].field, "sections[0].intro[0]");
    }
}
