//! Tables (GFM pipe tables in running text, [`crate::model::table`]).
//!
//! Column widths come from the cells: each column's natural width (its widest cell on one line)
//! and its least width ([`MIN_CHARS`] characters, or less when its widest cell is narrower; its
//! longest word too where words are not hyphenated). When the natural widths fit the measure,
//! the room left is shared in proportion to them; otherwise each column gets its least width
//! and the rest of the measure in proportion to what it lacks (the auto table layout of CSS).
//! Each cell is set with the paragraph line breaker, ragged right; the header row in SemiBold.
//! A row is one flow line, its cells side by side and top-aligned, its runs in cell order, so
//! that text extraction reads a cell whole before the next; rules tell rows apart.
//!
//! In large print (`Style::table_rows_as_blocks`), a table whose least widths do not fit the
//! measure is set one block per row: each cell a paragraph "Heading: value", the heading in
//! SemiBold. It stays tagged as the same table (docs/pdf.md): the first row's headings are the
//! `TH` elements' content, the later rows' headings artifacts.

use std::ops::Range;
use std::sync::Arc;

use super::display::{ArtifactKind, Rgb, Role, StructKind};
use super::flow::{Builder, Spans};
use super::paginate::{FlowItem, RepeatedHeader, TableLine, TableRule, TextLine};
use super::style::BlockStyle;
use super::text::Faces;
use crate::fonts::FontId;
use crate::model::rich::{Cell, Table, plain};

/// Characters a line of a column holds at least (the large-print rule: fewer, and the table
/// is set one block per row). A character is the mean advance of the Swedish lower-case
/// alphabet in the body face at the body size.
pub(crate) const MIN_CHARS: f32 = 12.0;

/// Colour of the thin rules between rows (decoration: the structure tells rows apart).
const ROW_RULE: Rgb = Rgb(0xb4, 0xb8, 0xb4);

/// What a column needs, pt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Need {
    /// Its widest cell set on one line.
    pub natural: f32,
    /// The least it may be set in (never more than `natural`).
    pub least: f32,
    /// Its longest word: where the room allows, no column is narrower, so that no word of a
    /// cell is hyphenated while another column has room to spare.
    pub word: f32,
}

impl Need {
    /// The need with every word whole: at least the longest word (never more than `natural`).
    fn whole_words(self) -> Need {
        Need {
            least: self.least.max(self.word).min(self.natural),
            ..self
        }
    }
}

/// Column widths for `needs` sharing `avail` pt (gutters excluded), or none when even their
/// least widths do not fit.
pub(crate) fn widths(needs: &[Need], avail: f32) -> Option<Vec<f32>> {
    let least: f32 = needs.iter().map(|n| n.least).sum();
    let natural: f32 = needs.iter().map(|n| n.natural).sum();
    if least > avail + 0.01 {
        return None;
    }
    Some(if natural <= avail {
        needs.iter().map(|n| n.natural * avail / natural).collect()
    } else {
        let t = (avail - least) / (natural - least);
        needs
            .iter()
            .map(|n| n.least + (n.natural - n.least) * t)
            .collect()
    })
}

/// Column widths when even the least widths do not fit (the standard edition): in proportion
/// to them; words wider than their column are broken by the line breaker.
pub(crate) fn squeezed(needs: &[Need], avail: f32) -> Vec<f32> {
    let least: f32 = needs.iter().map(|n| n.least).sum();
    needs.iter().map(|n| n.least * avail / least).collect()
}

/// The table's rules: over the header row, under it, between rows, under the last row.
struct Rules {
    top: TableRule,
    under_head: TableRule,
    between: TableRule,
    bottom: TableRule,
}

impl<'a> Builder<'a> {
    /// Sets `table` as a child of `parent`, indented `indent` pt, `gap` pt below what precedes.
    pub(super) fn table(&mut self, table: &Table, parent: usize, indent: f32, gap: f32) {
        let s = self.style;
        let columns = table.columns();
        let gutter = s.body.size;
        let left = s.margin_left + indent;
        let width = s.measure() - indent - self.right_indent;
        let avail = width - gutter * (columns.saturating_sub(1)) as f32;
        let needs = self.needs(table);
        let whole: Vec<Need> = needs.iter().map(|n| n.whole_words()).collect();
        let widths = match widths(&whole, avail).or_else(|| widths(&needs, avail)) {
            Some(w) => w,
            None if s.table_rows_as_blocks => {
                return self.rows_as_blocks(table, parent, left..left + width, gap);
            }
            None => squeezed(&needs, avail),
        };
        self.grid(table, parent, left, &widths, gutter, gap);
    }

    /// What each column of `table` needs.
    fn needs(&mut self, table: &Table) -> Vec<Need> {
        let s = self.style;
        let (size, hyphenate) = (s.body.size, s.body.hyphenate);
        let mut width = |font: FontId, text: &str| -> f32 {
            let g = self.shaper.glyphs(font, size, text, 0);
            g.iter().map(|g| g.x_advance).sum::<f32>()
        };
        const ALPHABET: &str = "abcdefghijklmnopqrstuvwxyzåäö";
        let char_width = width(FontId::Regular, ALPHABET) / ALPHABET.chars().count() as f32;
        (0..table.columns())
            .map(|c| {
                let cells = std::iter::once((FontId::SemiBold, &table.head[c]))
                    .chain(table.rows.iter().map(|r| (FontId::Regular, &r[c])));
                let (mut natural, mut word) = (0.0f32, 0.0f32);
                for (font, cell) in cells {
                    let text = plain(cell);
                    // A little over the measured width, so that the line breaker's own sums
                    // never find the cell a hair too wide for one line.
                    natural = natural.max(width(font, &text) + 0.5);
                    for w in text.split_whitespace() {
                        word = word.max(width(font, w) + 0.5);
                    }
                }
                let mut least = natural.min(MIN_CHARS * char_width);
                if !hyphenate {
                    least = least.max(word);
                }
                Need {
                    natural,
                    least,
                    word,
                }
            })
            .collect()
    }

    fn rules(&self) -> Rules {
        let s = self.style;
        let half = self.row_gap() / 2.0;
        let rule = |thickness: f32, color: Rgb| TableRule {
            gap: half,
            thickness,
            color,
        };
        Rules {
            top: rule(0.8, s.text_color),
            under_head: rule(0.6, s.text_color),
            between: rule(0.4, ROW_RULE),
            bottom: rule(0.8, s.text_color),
        }
    }

    /// Space between rows, pt: a rule stands in its middle.
    fn row_gap(&self) -> f32 {
        self.style.body.leading * 0.5
    }

    /// The table as a grid: columns `widths` pt wide from `left`, `gutter` pt apart.
    fn grid(
        &mut self,
        table: &Table,
        parent: usize,
        left: f32,
        widths: &[f32],
        gutter: f32,
        gap: f32,
    ) {
        let s = self.style;
        let xs: Vec<f32> = widths
            .iter()
            .scan(left, |x, w| {
                let at = *x;
                *x += w + gutter;
                Some(at)
            })
            .collect();
        let right = xs.last().copied().unwrap_or(left) + widths.last().copied().unwrap_or(0.0);
        let (row_gap, rules) = (self.row_gap(), self.rules());
        let node = self.node(StructKind::Table, Some(parent));
        let head = self.node(StructKind::TableHead, Some(node));
        let tr = self.node(StructKind::TableRow, Some(head));
        let mut cells = Vec::new();
        for (c, cell) in table.head.iter().enumerate() {
            let th = self.node(StructKind::TableHeader, Some(tr));
            cells.push(self.cell(cell, FontId::SemiBold, th, xs[c], widths[c]));
        }
        // Rows keep whole on a page under the repeated header; a taller row is set line by line.
        let mut header = self.row_lines(&cells, usize::MAX);
        // Repeated, the header row ends with the gap to the row under it.
        let header_height: f32 = header.iter().map(FlowItem::height).sum::<f32>() + row_gap;
        let room = s.text_bottom - s.text_top - header_height;
        let fit = (room / s.body.leading).floor().max(1.0) as usize;
        let line = |rule_above, rule_below, header| TableLine {
            left,
            right,
            rule_above,
            rule_below,
            header,
        };
        let repeated = Arc::new(RepeatedHeader {
            lines: header
                .iter()
                .filter_map(FlowItem::line)
                .enumerate()
                .map(|(i, l)| {
                    let mut l = l.clone();
                    for run in &mut l.runs {
                        run.role = Role::Artifact(ArtifactKind::Repeated);
                    }
                    l.links.clear();
                    l.marks.clear();
                    let last = i + 1 == header.len();
                    if last {
                        l.below += row_gap;
                    }
                    l.table = Some(line(
                        (i == 0).then_some(rules.top),
                        last.then_some(rules.under_head),
                        None,
                    ));
                    l
                })
                .collect(),
            height: header_height,
        });
        for (i, item) in header.iter_mut().enumerate() {
            item.breaks.keep_with_next = true;
            if let Some(l) = item.line_mut() {
                l.table = Some(line((i == 0).then_some(rules.top), None, None));
            }
        }
        if let Some(first) = header.first_mut() {
            first.breaks.space_before = gap + row_gap / 2.0;
        }
        self.items.append(&mut header);
        let body = self.node(StructKind::TableBody, Some(node));
        for (r, row) in table.rows.iter().enumerate() {
            let tr = self.node(StructKind::TableRow, Some(body));
            let mut cells = Vec::new();
            for (c, cell) in row.iter().enumerate() {
                let td = self.node(StructKind::TableCell, Some(tr));
                cells.push(self.cell(cell, FontId::Regular, td, xs[c], widths[c]));
            }
            let mut lines = self.row_lines(&cells, fit);
            let above = if r == 0 {
                rules.under_head
            } else {
                rules.between
            };
            for (i, item) in lines.iter_mut().enumerate() {
                item.breaks.no_break_before = i > 0;
                if let Some(l) = item.line_mut() {
                    l.table = Some(line(
                        (i == 0).then_some(above),
                        None,
                        Some(repeated.clone()),
                    ));
                }
            }
            lines[0].breaks.space_before = row_gap;
            self.items.append(&mut lines);
        }
        self.close_table();
    }

    /// The last line of a table gets the gap of a row under it, the rule in its middle.
    fn close_table(&mut self) {
        let rules = self.rules();
        let row_gap = self.row_gap();
        if let Some(last) = self.items.last_mut().and_then(FlowItem::line_mut)
            && let Some(t) = &mut last.table
        {
            t.rule_below = Some(rules.bottom);
            last.below += row_gap;
        }
    }

    /// A cell set `width` pt wide from `x`, in `font`, as content of `node`: its lines, taken
    /// out of the flow.
    fn cell(
        &mut self,
        cell: &Cell,
        font: FontId,
        node: usize,
        x: f32,
        width: f32,
    ) -> Vec<TextLine> {
        let st = BlockStyle {
            font,
            ragged: true,
            ..self.style.body
        };
        let (text, spans) = self.spans(cell, font, node, String::new(), Spans::default());
        let mark = self.items.len();
        self.set_at(&text, st, node, x, width, 0.0, &spans);
        self.items
            .split_off(mark)
            .into_iter()
            .filter_map(|item| item.line().cloned())
            .collect()
    }

    /// `text` followed by the plain text of `inlines` (in `base` face), and `spans` with the
    /// inlines' links and faces added.
    fn spans(
        &mut self,
        inlines: &[crate::model::rich::Inline],
        base: FontId,
        node: usize,
        mut text: String,
        mut spans: Spans,
    ) -> (String, Spans) {
        let mut flat = super::flow::Flat::default();
        self.flatten(
            inlines,
            base,
            super::flow::Emphasis::default(),
            &mut flat,
            node,
        );
        let at = text.len();
        let moved = |r: &std::ops::Range<usize>| r.start + at..r.end + at;
        text.push_str(&flat.text);
        let Spans {
            links,
            faces,
            roles,
            ..
        } = flat.spans;
        spans
            .links
            .extend(links.into_iter().map(|(r, n, u)| (moved(&r), n, u)));
        spans
            .faces
            .0
            .extend(faces.0.into_iter().map(|(r, f)| (moved(&r), f)));
        spans
            .roles
            .extend(roles.into_iter().map(|(r, role)| (moved(&r), role)));
        (text, spans)
    }

    /// A row's flow lines: its cells' lines side by side, top-aligned, in cell order; one flow
    /// line for the row when it has at most `fit` lines, else one a line.
    fn row_lines(&self, cells: &[Vec<TextLine>], fit: usize) -> Vec<FlowItem> {
        let s = self.style;
        let leading = s.body.leading;
        let n = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let chunks: Vec<Range<usize>> = if n <= fit {
            std::iter::once(0..n).collect()
        } else {
            (0..n).map(|i| i..i + 1).collect()
        };
        let first = cells.iter().flatten().next();
        let ascent = first.map_or(s.body.size * s.body.font.face().ascender, |l| l.ascent);
        let descent = first.map_or(s.body.size * s.body.font.face().descender, |l| l.descent);
        chunks
            .into_iter()
            .map(|lines| {
                let mut row = TextLine {
                    leading,
                    ascent,
                    descent,
                    below: (lines.len() - 1) as f32 * leading,
                    ..TextLine::default()
                };
                for cell in cells {
                    for (i, l) in cell.iter().enumerate() {
                        if !lines.contains(&i) {
                            continue;
                        }
                        let base = row.runs.len();
                        row.links
                            .extend(l.links.iter().map(|(r, u)| (r + base, u.clone())));
                        row.marks
                            .extend(l.marks.iter().map(|(r, m)| (r + base, *m)));
                        row.runs.extend(l.runs.iter().cloned().map(|mut run| {
                            run.y = (i - lines.start) as f32 * leading;
                            run
                        }));
                    }
                }
                FlowItem::from(row)
            })
            .collect()
    }

    /// Large print, when the columns cannot each hold [`MIN_CHARS`] characters a line: one
    /// block per row across `x` (pt from the page's left edge), each cell a paragraph
    /// "Heading: value", the heading in SemiBold.
    fn rows_as_blocks(&mut self, table: &Table, parent: usize, x: Range<f32>, gap: f32) {
        let s = self.style;
        let (row_gap, rules) = (self.row_gap(), self.rules());
        let node = self.node(StructKind::Table, Some(parent));
        let head = self.node(StructKind::TableHead, Some(node));
        let tr = self.node(StructKind::TableRow, Some(head));
        let ths: Vec<usize> = (0..table.columns())
            .map(|_| self.node(StructKind::TableHeader, Some(tr)))
            .collect();
        let headings: Vec<String> = table.head.iter().map(|h| plain(h)).collect();
        let body = self.node(StructKind::TableBody, Some(node));
        let st = BlockStyle {
            ragged: true,
            ..s.body
        };
        for (r, row) in table.rows.iter().enumerate() {
            let tr = self.node(StructKind::TableRow, Some(body));
            let first = self.items.len();
            for (c, cell) in row.iter().enumerate() {
                let td = self.node(StructKind::TableCell, Some(tr));
                let heading = &headings[c];
                // The first row's headings are the column's `TH`; the others repeat it.
                let role = match r {
                    0 => Role::Content { node: ths[c] },
                    _ => Role::Artifact(ArtifactKind::Repeated),
                };
                let label = heading.len();
                let spans = Spans {
                    faces: Faces(vec![(0..label + 1, FontId::SemiBold)]),
                    roles: vec![
                        (0..label, role),
                        (label..label + 2, Role::Artifact(ArtifactKind::Layout)),
                    ],
                    ..Spans::default()
                };
                let (text, spans) =
                    self.spans(cell, FontId::Regular, td, format!("{heading}: "), spans);
                let space = match (r, c) {
                    (0, 0) => gap + row_gap / 2.0,
                    (_, 0) => row_gap,
                    _ => s.answer_gap,
                };
                self.set_at(&text, st, td, x.start, x.end - x.start, space, &spans);
            }
            // A row is kept whole (broken only when it alone is taller than a page).
            for l in &mut self.items[first + 1..] {
                l.breaks.no_break_before = true;
            }
            if let Some(l) = self.items[first].line_mut() {
                l.table = Some(TableLine {
                    left: x.start,
                    right: x.end,
                    rule_above: Some(if r == 0 { rules.top } else { rules.between }),
                    ..TableLine::default()
                });
            }
            let last = self.items.len() - 1;
            if last != first
                && let Some(l) = self.items[last].line_mut()
            {
                l.table = Some(TableLine {
                    left: x.start,
                    right: x.end,
                    ..TableLine::default()
                });
            }
        }
        self.close_table();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(natural: f32, least: f32) -> Need {
        Need {
            natural,
            least,
            word: 0.0,
        }
    }

    #[test]
    fn where_the_room_allows_no_column_is_narrower_than_its_longest_word() {
        // A short first column of one long word beside a long second one: proportional shares
        // would squeeze the word ("Kundkän-nedom"); whole words keep it whole.
        let needs = [
            Need {
                natural: 70.0,
                least: 60.0,
                word: 70.0,
            },
            Need {
                natural: 600.0,
                least: 60.0,
                word: 50.0,
            },
        ];
        let whole: Vec<Need> = needs.iter().map(|n| n.whole_words()).collect();
        let w = widths(&whole, 300.0).unwrap();
        assert!(w[0] >= 70.0 - 0.01, "{w:?}");
        // Where whole words do not fit, the least widths still do.
        assert!(widths(&whole, 100.0).is_none());
        assert!(widths(&needs, 120.0).is_some());
    }

    #[test]
    fn columns_that_fit_share_the_room_in_proportion() {
        let w = widths(&[need(50.0, 40.0), need(150.0, 60.0)], 400.0).unwrap();
        assert_eq!(w, [100.0, 300.0]);
    }

    #[test]
    fn columns_too_wide_get_their_least_and_a_share_of_what_they_lack() {
        // Lacking 10 and 90 of 100 over least 100: 50 to share, half of each lack.
        let w = widths(&[need(50.0, 40.0), need(150.0, 60.0)], 150.0).unwrap();
        assert_eq!(w, [45.0, 105.0]);
        assert!(w.iter().zip([40.0, 60.0]).all(|(w, l)| *w >= l));
    }

    #[test]
    fn columns_whose_least_widths_do_not_fit_have_no_widths() {
        assert_eq!(
            widths(&[need(200.0, 120.0), need(200.0, 120.0)], 230.0),
            None
        );
        let w = squeezed(&[need(200.0, 120.0), need(200.0, 40.0)], 240.0);
        assert_eq!(w, [180.0, 60.0]);
    }
}
