//! Links between notices (`notice:ID#section`), located where they are written, so that the
//! rules across files ([`crate::source::DataSet`]) can report a link to nothing at the link.

use super::locate::{Located, path_string};
use super::{Notice, Step, TextKind, Which, rich, walk};

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
        let Step::Running { text, .. } = step else {
            return;
        };
        if text.refused.is_some() {
            return;
        }
        let span = src.span(path);
        // Each destination is searched after the previous one: the same link twice is found twice.
        let mut from = span.start;
        rich::for_each_link(&text.blocks, &mut |target, at| {
            let rich::Target::Notice { id, section } = target else {
                return;
            };
            let written = &text.src[at.clone()];
            let offset = src
                .text
                .get(from..span.end)
                .and_then(|raw| raw.find(written))
                .map_or(span.start, |o| from + o);
            from = offset + written.len();
            let (line, col) = src.lines.line_col(offset);
            out.push(NoticeRef {
                id: id.clone(),
                section: section.clone(),
                line,
                col,
                field: path_string(path),
            });
        });
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
    /// What it is written as in the data file, escapes and markup included: where a phrase
    /// of the plain text is searched for to report it at its own line and column.
    pub written: String,
}

impl LocatedText {
    /// The line and column where the words at `at` (bytes of [`LocatedText::text`]) are
    /// written: the same occurrence of the same words in the written value; where the value
    /// starts when markup splits them.
    pub fn locate(&self, at: std::ops::Range<usize>) -> (usize, usize) {
        let words = &self.text[at.clone()];
        let find = |text: &str, nth: usize| {
            let mut from = 0;
            let mut found = None;
            for _ in 0..=nth {
                found = super::lint::find_words(text, words, from);
                from = found? + 1;
            }
            found
        };
        let mut nth = 0;
        let mut from = 0;
        while let Some(o) =
            super::lint::find_words(&self.text, words, from).filter(|&o| o < at.start)
        {
            nth += 1;
            from = o + 1;
        }
        let Some(offset) = find(&self.written, nth) else {
            return (self.line, self.col);
        };
        let (mut line, mut col) = (self.line, self.col);
        for c in self.written[..offset].chars() {
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        (line, col)
    }
}

/// Every running text, label and question of the printed sections and the lead, located.
pub fn located_texts(src: &Located, notice: &Notice) -> Vec<LocatedText> {
    let mut out = Vec::new();
    walk(notice, Which::Printed, &mut |path, step| {
        let plain = match step {
            Step::Running { text, .. } => text.plain(),
            Step::Text {
                kind: TextKind::Question | TextKind::Heading,
                text,
            } => text.to_owned(),
            _ => return,
        };
        let span = src.span(path);
        let (line, col) = src.lines.line_col(span.start);
        out.push(LocatedText {
            field: path_string(path),
            line,
            col,
            text: plain,
            written: src.text.get(span).unwrap_or_default().to_owned(),
        });
    });
    out
}

/// The addresses (`https:`, `mailto:`) the notice's running text links to, web-only sections
/// included.
pub fn link_addresses(notice: &Notice) -> Vec<String> {
    let mut out = Vec::new();
    walk(notice, Which::All, &mut |_, step| {
        if let Step::Running { text, .. } = step {
            rich::for_each_link(&text.blocks, &mut |target, _| {
                if let rich::Target::Url(u) = target {
                    out.push(u.clone());
                }
            });
        }
    });
    out
}

/// Where a document's links may lead: one notice alone, or the chapters of a pack.
#[derive(Clone, Copy)]
pub enum Scope<'a> {
    /// A document of one notice: a link to another notice leads to its address online
    /// ([`Notice::peers`]).
    Alone(&'a Notice),
    /// A pack of the notices `selected`; `all` is the data set.
    Pack {
        selected: &'a [&'a str],
        all: &'a [&'a Notice],
    },
}

/// Where a link leads in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    /// An address outside the document.
    Url(String),
    /// A chapter of the pack, or a section of one (`notice:ID`, `notice:ID#section`).
    Chapter { id: String, section: Option<String> },
}

/// Whether two web addresses name the same page: the same but for a fragment or a trailing
/// slash.
fn same_page(a: &str, b: &str) -> bool {
    let page = |u: &str| {
        let u = u.split_once('#').map_or(u, |(p, _)| p);
        u.trim_end_matches('/').to_owned()
    };
    page(a) == page(b)
}

/// Where `target` leads in a document of `scope`; `None` where it leads nowhere (plain text):
/// a link to a notice that has no address, outside the pack.
pub fn resolve(target: &rich::Target, scope: Scope) -> Option<Dest> {
    match (target, scope) {
        // A page of the pack is a chapter of it, however it is linked.
        (rich::Target::Url(u), Scope::Pack { selected, all }) => Some(
            all.iter()
                .filter(|n| selected.contains(&n.id.as_str()))
                .find(|n| n.source_url.as_deref().is_some_and(|s| same_page(s, u)))
                .map_or(Dest::Url(u.clone()), |n| Dest::Chapter {
                    id: n.id.clone(),
                    section: None,
                }),
        ),
        (rich::Target::Url(u), Scope::Alone(_)) => Some(Dest::Url(u.clone())),
        (rich::Target::Notice { id, section }, Scope::Pack { selected, all }) => {
            if selected.contains(&id.as_str()) {
                Some(Dest::Chapter {
                    id: id.clone(),
                    section: section.clone(),
                })
            } else {
                all.iter()
                    .find(|n| n.id == *id)
                    .and_then(|n| n.source_url.clone())
                    .map(Dest::Url)
            }
        }
        (rich::Target::Notice { id, .. }, Scope::Alone(n)) if *id == n.id => {
            n.source_url.clone().map(Dest::Url)
        }
        (rich::Target::Notice { id, .. }, Scope::Alone(n)) => {
            n.peers.get(id).cloned().map(Dest::Url)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn notice_links_are_found_where_their_destination_is_written() {
        let text = r#"id = "a"
title = "T"
summary = "S."
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
        assert_eq!(at, [("b", Some("x"), 12, 16), ("a", None, 13, 14)]);
        assert_eq!(refs[0].field, "sections[0].intro[0]");
    }
}
