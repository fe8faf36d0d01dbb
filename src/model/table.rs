//! A table in running text: a GFM pipe table (pulldown-cmark's `ENABLE_TABLES`) with a header
//! row, each cell one paragraph of inlines. Column alignment markers (`:--`, `--:`) are read
//! and ignored: every cell is set ragged right.
//!
//! Refused, located at the row or cell: a table whose header row has an empty cell (every
//! column needs its heading: it is the `TH` a reader hears before each value), a row with more
//! or fewer cells than the header (GFM would pad or drop them silently), and a cell that starts
//! like a list (a cell holds one paragraph).

use std::ops::Range;

use super::rich::{Inline, Refused, plain};

/// One cell: a paragraph of inlines.
pub type Cell = Vec<Inline>;

/// A table: the header row (one heading per column) and the body rows, each as wide as the
/// header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub head: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// Number of columns.
    pub fn columns(&self) -> usize {
        self.head.len()
    }

    /// Every cell in reading order: the header row, then each row.
    pub fn cells(&self) -> impl Iterator<Item = &Cell> {
        self.head.iter().chain(self.rows.iter().flatten())
    }
}

/// A table being parsed.
pub(super) struct OpenTable {
    table: Table,
    /// The row being filled (the header row first).
    row: Vec<Cell>,
    in_head: bool,
}

impl OpenTable {
    pub(super) fn new() -> OpenTable {
        OpenTable {
            table: Table {
                head: Vec::new(),
                rows: Vec::new(),
            },
            row: Vec::new(),
            in_head: false,
        }
    }

    /// The header row starts.
    pub(super) fn head(&mut self) {
        self.in_head = true;
    }

    /// A body row starts; `src[at]` is its source line, whose cells are counted as written.
    pub(super) fn row(&mut self, src: &str, at: Range<usize>) -> Result<(), Refused> {
        let written = cells_written(&src[at.clone()]);
        let wanted = self.table.head.len();
        if written != wanted {
            return Err(Refused {
                at,
                message: format!(
                    "a table row with {written} cell(s) under a header of {wanted} is not \
                     allowed here; write exactly {wanted} cells between the | (an empty cell \
                     is | |)"
                ),
            });
        }
        Ok(())
    }

    /// A cell ends with its inlines; `at` is where it is written.
    pub(super) fn cell(&mut self, inlines: Cell, at: Range<usize>) -> Result<(), Refused> {
        let text = plain(&inlines);
        let text = text.trim();
        if self.in_head && text.is_empty() {
            return Err(Refused {
                at,
                message: "a table column without a heading is not allowed here; write the \
                          column's heading in the first row (e.g. | Ändamål | Rättslig grund |)"
                    .into(),
            });
        }
        if starts_like_a_list(text) {
            return Err(Refused {
                at,
                message: "a list in a table cell is not allowed here; a cell holds one \
                          paragraph: write the entries separated by commas, or put the list \
                          after the table"
                    .into(),
            });
        }
        self.row.push(inlines);
        Ok(())
    }

    /// A row (the header row too) ends.
    pub(super) fn end_row(&mut self) {
        let row = std::mem::take(&mut self.row);
        if self.in_head {
            self.table.head = row;
            self.in_head = false;
        } else {
            self.table.rows.push(row);
        }
    }

    pub(super) fn finish(self) -> Table {
        self.table
    }
}

/// The number of cells written on a table row's line: the pieces between unescaped `|`,
/// without the empty ones outside a leading and a trailing `|`.
fn cells_written(line: &str) -> usize {
    let line = line.trim();
    let mut pipes = Vec::new();
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            '\\' => escaped = !escaped,
            '|' if !escaped => pipes.push(i),
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    let mut n = pipes.len() + 1;
    if pipes.first() == Some(&0) {
        n -= 1;
    }
    if pipes.last().is_some_and(|&p| p + 1 == line.len()) && line.len() > 1 {
        n -= 1;
    }
    n
}

/// Whether a cell's text starts with a list marker (`- `, `* `, `+ `, `1. `, `1) `).
fn starts_like_a_list(text: &str) -> bool {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let rest = &text[digits..];
    if digits > 0 {
        return rest.starts_with(". ") || rest.starts_with(") ");
    }
    ["- ", "* ", "+ "].iter().any(|m| text.starts_with(m))
}

#[cfg(test)]
mod tests {
    use super::super::rich::{Block, Target, blocks_plain, for_each_link, parse};
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    const TABLE: &str = "Så här:\n\n\
        | Ändamål | Rättslig grund | Lagringstid |\n\
        |:--|:-:|--:|\n\
        | Att *öppna* konto | Avtal | [Tio år](https://www.exempelbanken.se/a) |\n\
        | Statistik | Berättigat intresse | Två år |\n";

    #[test]
    fn a_pipe_table_parses_into_header_and_rows_of_inline_cells() {
        let b = parse(TABLE).unwrap();
        assert_eq!(b.len(), 2);
        assert_eq!(b[0], Block::Paragraph(vec![text("Så här:")]));
        let Block::Table(t) = &b[1] else {
            panic!("{:?}", b[1])
        };
        assert_eq!(
            t.head,
            [
                vec![text("Ändamål")],
                vec![text("Rättslig grund")],
                vec![text("Lagringstid")]
            ]
        );
        assert_eq!(t.rows.len(), 2);
        assert_eq!(
            t.rows[0][0],
            [
                text("Att "),
                Inline::Emph(vec![text("öppna")]),
                text(" konto")
            ]
        );
        assert_eq!(
            t.rows[0][2],
            [Inline::Link {
                target: Target::Url("https://www.exempelbanken.se/a".into()),
                content: vec![text("Tio år")],
                at: TABLE.find("https").unwrap()..TABLE.find(") |").unwrap(),
            }]
        );
        // Alignment markers are read and ignored; the plain text is a cell a line.
        assert_eq!(
            blocks_plain(&b),
            "Så här:\nÄndamål\nRättslig grund\nLagringstid\nAtt öppna konto\nAvtal\nTio år\n\
             Statistik\nBerättigat intresse\nTvå år"
        );
        let mut addresses = Vec::new();
        for_each_link(&b, &mut |target, _| {
            if let Target::Url(u) = target {
                addresses.push(u.clone());
            }
        });
        assert_eq!(addresses, ["https://www.exempelbanken.se/a"]);
    }

    #[test]
    fn malformed_tables_are_refused_where_written_saying_what_to_write() {
        let head = "| A | B |\n|---|---|\n";
        for (src, what, at) in [
            // A row wider or narrower than the header (GFM would drop or pad cells).
            (
                format!("{head}| 1 | 2 | 3 |\n"),
                "3 cell(s) under a header of 2",
                head.len(),
            ),
            (
                format!("{head}| 1 |\n"),
                "1 cell(s) under a header of 2",
                head.len(),
            ),
            (
                format!("{head}| 1 | 2 |\n| x |\n"),
                "write exactly 2 cells",
                head.len() + 10,
            ),
            // No header row: the rows alone are a paragraph to CommonMark.
            (
                "Text.\n\n| 1 | 2 |\n| 3 | 4 |\n".into(),
                "a table without a header row",
                7,
            ),
            ("| 1 | 2 |\n| 3 | 4 |\n".into(), "|---|---|", 0),
            // An empty heading.
            (
                "| A |  |\n|---|---|\n| 1 | 2 |\n".into(),
                "a table column without a heading",
                5,
            ),
            // A list in a cell.
            (
                format!("{head}| - ett | 2 |\n"),
                "a list in a table cell",
                head.len() + 1,
            ),
            (
                format!("{head}| 1. ett | 2 |\n"),
                "a list in a table cell",
                head.len() + 1,
            ),
        ] {
            let e = parse(&src).unwrap_err();
            assert!(e.message.contains(what), "{src:?}: {}", e.message);
            assert_eq!(e.at.start, at, "{src:?}: {}", e.message);
        }
    }

    #[test]
    fn a_table_in_a_list_item_stays_in_it() {
        let b = parse("- Se tabellen:\n\n  | A | B |\n  |---|---|\n  | 1 | 2 |\n").unwrap();
        let Block::List { items, .. } = &b[0] else {
            panic!("{b:?}")
        };
        assert!(matches!(items[0][1], Block::Table(_)), "{b:?}");
    }

    #[test]
    fn cells_are_counted_as_written() {
        assert_eq!(cells_written("| a | b | c |"), 3);
        assert_eq!(cells_written("a | b | c"), 3);
        assert_eq!(cells_written("| a | b \\| c |"), 2);
        assert_eq!(cells_written("| a | | c |"), 3);
        assert_eq!(cells_written("| a |"), 1);
    }

    #[test]
    fn list_markers_are_recognised() {
        assert!(starts_like_a_list("- ett"));
        assert!(starts_like_a_list("1. ett"));
        assert!(!starts_like_a_list("10 år"));
        assert!(!starts_like_a_list("-"));
        assert!(!starts_like_a_list("Avtal"));
    }
}
