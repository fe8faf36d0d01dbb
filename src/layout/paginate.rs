//! Page breaking over the flow: typed items ([`FlowItem`]: a line of text, a picture, a figure
//! beside the next item, a section's rule) with explicit keep and break properties
//! ([`Breaks`]).
//!
//! Items are filled onto pages top to bottom; when one does not fit, the page ends at the
//! last item on it before which a break is allowed, so keep rules move items forward rather
//! than being broken. A break is not allowed before an item marked `no_break_before` (orphans,
//! widows, short answers, a block kept whole) nor after one marked `keep_with_next` (headings:
//! with the orphan rule of the paragraph after it, a heading keeps with two lines of it, or
//! all of a one-line paragraph; a rule and a figure keep with the item they belong to). Space
//! before a block is dropped at the top of a page, and so is a rule.
//!
//! Tables: a row is one item (its cells side by side, [`TextLine::below`] its height past the
//! first line), so it is never split; a row taller than a page is given as one item a set
//! line, kept together, and broken only where nothing else would fit. A page that starts
//! inside a table's body begins with the table's header row again ([`TableLine::header`]),
//! drawn as an artifact: the structure holds it once.

use std::sync::Arc;

use super::display::{Figure, Image, Mark, Rgb, TextRun};

/// An item of the flow, before it has a page: what it is, and how it may be parted from what
/// comes before and after it. Lengths in pt.
#[derive(Debug, Clone)]
pub(crate) struct FlowItem {
    pub content: Content,
    pub breaks: Breaks,
    /// A place links may lead to (`notice:ID` or `notice:ID#section`, in a pack).
    pub anchor: Option<String>,
    /// An outline entry starts here (a heading's first line).
    pub outline: Option<OutlineMark>,
}

/// What an item of the flow holds.
#[derive(Debug, Clone)]
pub(crate) enum Content {
    /// A set line of text, a block of lines set as one (the way back beside its code) or a row
    /// of a table.
    Line(TextLine),
    /// A picture on a line of its own (the logo); its box relative to the item's top.
    Image(Image),
    /// A figure beside the item after it (the QR code), its coordinates relative to that
    /// item's top: it takes no room of its own and keeps with that item.
    Figure(Figure),
    /// A section's rule `gap` pt above the top of the item after it, with which it keeps. Like
    /// the space before a block, dropped at the top of a page, where the page break parts the
    /// sections and a rule under the running head's hairline would read as a printing fault.
    Rule { gap: f32 },
}

/// How an item may be parted from its neighbours.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Breaks {
    /// Space above the item (the first of a block), dropped at the top of a page.
    pub space_before: f32,
    /// No page break before the item (orphans, widows, a block kept whole).
    pub no_break_before: bool,
    /// No page break after the item (headings, rules, figures beside the next item).
    pub keep_with_next: bool,
    /// The item starts a new page (a chapter of a pack).
    pub page_break_before: bool,
}

/// An outline entry: level (1 = section, 2 = question; one deeper in a pack) and title.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OutlineMark {
    pub level: u8,
    pub title: String,
}

/// A set line of text (or a block or a table row of them) in the flow. Lengths in pt.
#[derive(Debug, Clone, Default)]
pub(crate) struct TextLine {
    /// The line's runs, positioned horizontally; `y` relative to its first baseline.
    pub runs: Vec<TextRun>,
    /// Baseline-to-baseline distance.
    pub leading: f32,
    /// Ascent and descent of the line's font at its size.
    pub ascent: f32,
    pub descent: f32,
    /// How far the line's box reaches below its first line's `leading`: a table row's or a
    /// block's further lines and padding. 0 elsewhere.
    pub below: f32,
    /// Runs that are the text of a link: run index, address.
    pub links: Vec<(usize, String)>,
    /// Runs of words added or removed since the previous version: run index, mark.
    pub marks: Vec<(usize, Mark)>,
    /// The line's links are drawn as text, not underlined (the entries of the contents).
    pub plain_links: bool,
    /// The line is (part of) a row of a table.
    pub table: Option<TableLine>,
}

impl FlowItem {
    /// An item holding `content`, with no keep rule or space of its own.
    pub(crate) fn new(content: Content) -> FlowItem {
        FlowItem {
            content,
            breaks: Breaks::default(),
            anchor: None,
            outline: None,
        }
    }

    /// Height of the item's box: a line's `leading` and what reaches below it, a picture's
    /// height; a figure beside the next item and a rule take none.
    pub(crate) fn height(&self) -> f32 {
        match &self.content {
            Content::Line(l) => l.leading + l.below,
            Content::Image(i) => i.bbox[3] - i.bbox[1],
            Content::Figure(_) | Content::Rule { .. } => 0.0,
        }
    }

    /// The first baseline below the item's top (a picture's, a figure's or a rule's: its top).
    pub(crate) fn baseline(&self, top: f32) -> f32 {
        match &self.content {
            Content::Line(l) => top + (l.leading - l.ascent - l.descent) / 2.0 + l.ascent,
            _ => top,
        }
    }

    /// The item's text line, if it is one.
    pub(crate) fn line(&self) -> Option<&TextLine> {
        match &self.content {
            Content::Line(l) => Some(l),
            _ => None,
        }
    }

    pub(crate) fn line_mut(&mut self) -> Option<&mut TextLine> {
        match &mut self.content {
            Content::Line(l) => Some(l),
            _ => None,
        }
    }

    /// The header row repeated above this item when it starts a page.
    pub(crate) fn repeated_header(&self) -> Option<&RepeatedHeader> {
        self.line()?.table.as_ref()?.header.as_deref()
    }
}

impl From<TextLine> for FlowItem {
    fn from(line: TextLine) -> FlowItem {
        FlowItem::new(Content::Line(line))
    }
}

impl TextLine {
    /// Height of the line's box: `leading` and what reaches below it.
    pub(crate) fn height(&self) -> f32 {
        self.leading + self.below
    }
}

/// What a line of a table needs beyond its runs: its rules, and the header row to repeat.
#[derive(Debug, Clone, Default)]
pub(crate) struct TableLine {
    /// Left and right ends of the table's rules, pt from the page's left edge.
    pub left: f32,
    pub right: f32,
    /// A rule above the line's top (between rows, over the header row).
    pub rule_above: Option<TableRule>,
    /// A rule below the line's box (under the last row).
    pub rule_below: Option<TableRule>,
    /// A body row's: the header row, repeated (an artifact) when this line starts a page.
    pub header: Option<Arc<RepeatedHeader>>,
}

/// A horizontal rule of a table: decoration (an artifact); rows are told apart by structure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TableRule {
    /// Distance up from the line's top (a rule above), or up from its box's bottom (a rule
    /// below: the box ends with the gap under the table's last row or header), pt.
    pub gap: f32,
    /// Stroke width, pt.
    pub thickness: f32,
    pub color: Rgb,
}

/// A table's header row as repeated at the top of a continuation page: its lines with every
/// run an artifact (`ArtifactKind::Repeated`) and no links, and the room it takes.
#[derive(Debug, Clone)]
pub(crate) struct RepeatedHeader {
    pub lines: Vec<TextLine>,
    /// Height of the header's lines (the last one's box holds the gap under it), pt: where
    /// the row below starts.
    pub height: f32,
}

/// Where a line went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Placement {
    pub page: usize,
    /// Top of the line box, pt from the page top.
    pub top: f32,
    /// Baseline, pt from the page top.
    pub baseline: f32,
    /// The line starts a page inside a table's body: the top of the header row repeated above
    /// it, pt from the page top.
    pub header: Option<f32>,
}

/// A flow laid out on pages: its items, where each landed, the structure nodes they belong to
/// and how each paragraph was set.
pub(crate) struct PagedFlow {
    pub items: Vec<FlowItem>,
    pub placed: Vec<Placement>,
    pub structure: Vec<super::display::StructNode>,
    pub stats: Vec<super::flow::ParagraphStats>,
}

impl PagedFlow {
    /// Pages the flow fills (at least one).
    pub(crate) fn pages(&self) -> usize {
        self.placed.last().map_or(1, |p| p.page + 1)
    }

    /// Appends `next` on the pages after this flow's: its structure nodes after this flow's
    /// (a node without a parent stays one), its items and paragraphs renumbered to match.
    pub(crate) fn append(&mut self, next: PagedFlow) {
        let (nodes, pages) = (self.structure.len(), self.pages());
        self.structure
            .extend(next.structure.into_iter().map(|mut node| {
                node.parent = node.parent.map(|p| p + nodes);
                node
            }));
        self.items
            .extend(next.items.into_iter().map(|item| item.renumbered(nodes)));
        self.placed
            .extend(next.placed.into_iter().map(|p| Placement {
                page: p.page + pages,
                ..p
            }));
        self.stats.extend(next.stats.into_iter().map(|mut p| {
            p.node += nodes;
            p
        }));
    }
}

impl FlowItem {
    /// The item with its structure nodes moved by `offset` (when its flow is appended to one
    /// with `offset` nodes).
    fn renumbered(mut self, offset: usize) -> FlowItem {
        match &mut self.content {
            Content::Line(l) => {
                for run in &mut l.runs {
                    if let super::display::Role::Content { node } = &mut run.role {
                        *node += offset;
                    }
                }
            }
            Content::Image(image) => image.node += offset,
            Content::Figure(figure) => figure.node += offset,
            Content::Rule { .. } => {}
        }
        self
    }
}

pub(crate) struct Paginator {
    top: f32,
    bottom: f32,
}

impl Paginator {
    /// A paginator for a text area from `top` to `bottom` (pt from the page top).
    pub(crate) fn new(top: f32, bottom: f32) -> Paginator {
        Paginator { top, bottom }
    }

    /// Whether a page may end before item `k`.
    pub(crate) fn break_allowed(items: &[FlowItem], k: usize) -> bool {
        k > 0 && !items[k].breaks.no_break_before && !items[k - 1].breaks.keep_with_next
    }

    /// Places every item; returns one placement per item.
    pub(crate) fn paginate(&mut self, lines: &[FlowItem]) -> Vec<Placement> {
        const EPS: f32 = 0.01;
        let mut out = vec![
            Placement {
                page: 0,
                top: 0.0,
                baseline: 0.0,
                header: None,
            };
            lines.len()
        ];
        let (mut page, mut start, mut y) = (0, 0, self.top);
        let mut k = 0;
        while k < lines.len() {
            let l = &lines[k];
            let space = if k == start {
                0.0
            } else {
                l.breaks.space_before
            };
            if k > start && l.breaks.page_break_before {
                page += 1;
                start = k;
                y = self.top;
                continue;
            }
            // A table's header row repeated at the top of a page that starts inside its body.
            let header = (k == start && page > 0)
                .then(|| l.repeated_header())
                .flatten();
            if let Some(h) = header {
                y = self.top + h.height;
            }
            if k == start || y + space + l.height() <= self.bottom + EPS {
                let top = y + space;
                let baseline = l.baseline(top);
                out[k] = Placement {
                    page,
                    top,
                    baseline,
                    header: header.map(|_| self.top),
                };
                y = top + l.height();
                k += 1;
            } else {
                // End the page at the last allowed break; if none (a block taller than a page),
                // break here.
                let j = (start + 1..=k)
                    .rev()
                    .find(|&j| Self::break_allowed(lines, j))
                    .unwrap_or(k);
                page += 1;
                start = j;
                y = self.top;
                k = j;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(no_break_before: bool, keep_with_next: bool) -> FlowItem {
        FlowItem {
            breaks: Breaks {
                no_break_before,
                keep_with_next,
                ..Breaks::default()
            },
            ..FlowItem::from(text_line())
        }
    }

    fn text_line() -> TextLine {
        TextLine {
            leading: 10.0,
            ascent: 7.0,
            descent: 2.0,
            ..TextLine::default()
        }
    }

    /// A paragraph of `n` lines with the orphan/widow flags the builder sets.
    fn para(n: usize) -> Vec<FlowItem> {
        (0..n)
            .map(|i| line(i > 0 && (i < 2 || n - i < 2), false))
            .collect()
    }

    #[test]
    fn no_widow_moves_two_lines() {
        // 5 lines fit; a 6-line paragraph would leave 1 line alone on page 2.
        let lines = para(6);
        let p = Paginator::new(0.0, 50.0).paginate(&lines);
        let pages: Vec<usize> = p.iter().map(|p| p.page).collect();
        assert_eq!(pages, [0, 0, 0, 0, 1, 1]);
    }

    #[test]
    fn no_orphan_moves_whole_paragraph_start() {
        // 3 filler lines, then a paragraph of 4: only 2 more fit, but a break after the
        // paragraph's first line would orphan it; here 2 + 2 is fine.
        let mut lines = para(3);
        lines.extend(para(4));
        let p = Paginator::new(0.0, 50.0).paginate(&lines);
        let pages: Vec<usize> = p.iter().map(|p| p.page).collect();
        assert_eq!(pages, [0, 0, 0, 0, 0, 1, 1]);
        // With 4 filler lines only one more line fits: the paragraph moves whole.
        let mut lines = para(4);
        lines.extend(para(4));
        let p = Paginator::new(0.0, 50.0).paginate(&lines);
        let pages: Vec<usize> = p.iter().map(|p| p.page).collect();
        assert_eq!(pages, [0, 0, 0, 0, 1, 1, 1, 1]);
    }

    #[test]
    fn heading_is_never_last_on_a_page() {
        let mut lines = para(3);
        lines.push(line(false, true)); // heading at line 4
        lines.extend(para(3));
        let p = Paginator::new(0.0, 50.0).paginate(&lines);
        let heading_page = p[3].page;
        // The heading shares its page with at least two following lines.
        assert_eq!(p[4].page, heading_page);
        assert_eq!(p[5].page, heading_page);
        assert_eq!(heading_page, 1);
    }

    #[test]
    fn a_heading_with_a_one_line_answer_does_not_chain_to_the_next() {
        // Question, one-line answer, question, one-line answer: a page may end after an answer.
        let mut lines = para(3);
        for _ in 0..2 {
            lines.push(line(false, true));
            lines.extend(para(1));
        }
        let p = Paginator::new(0.0, 50.0).paginate(&lines);
        let pages: Vec<usize> = p.iter().map(|p| p.page).collect();
        assert_eq!(pages, [0, 0, 0, 0, 0, 1, 1]);
    }

    /// A table's body row of `lines` set lines, 4 pt below the row above.
    fn row(lines: usize, header: &Arc<RepeatedHeader>) -> FlowItem {
        FlowItem {
            breaks: Breaks {
                space_before: 4.0,
                ..Breaks::default()
            },
            ..FlowItem::from(TextLine {
                below: (lines - 1) as f32 * 10.0,
                table: Some(TableLine {
                    header: Some(header.clone()),
                    ..TableLine::default()
                }),
                ..text_line()
            })
        }
    }

    /// A table's header row, kept with the first body row.
    fn header_row() -> FlowItem {
        FlowItem {
            breaks: Breaks {
                keep_with_next: true,
                ..Breaks::default()
            },
            ..FlowItem::from(TextLine {
                table: Some(TableLine::default()),
                ..text_line()
            })
        }
    }

    #[test]
    fn a_table_row_is_never_split_and_a_continuation_page_repeats_the_header() {
        let header = Arc::new(RepeatedHeader {
            lines: vec![text_line()],
            height: 14.0,
        });
        let mut lines = para(2);
        lines.push(header_row());
        for n in [3, 2, 4, 3, 1, 4] {
            lines.push(row(n, &header));
        }
        let p = Paginator::new(0.0, 100.0).paginate(&lines);
        let pages: Vec<usize> = p.iter().map(|p| p.page).collect();
        assert_eq!(pages, [0, 0, 0, 0, 0, 1, 1, 2, 2]);
        for (l, p) in lines.iter().zip(&p) {
            assert!(p.top + l.height() <= 100.0 + 0.01, "{p:?} overflows");
        }
        for k in 1..lines.len() {
            if p[k].page == p[k - 1].page {
                assert_eq!(p[k].header, None, "line {k}");
            } else {
                // The header row stands at the page's top, the row under it.
                assert_eq!(p[k].header, Some(0.0), "line {k}");
                assert_eq!(p[k].top, 14.0, "line {k}");
            }
        }
    }

    #[test]
    fn a_page_starting_with_a_tables_header_row_repeats_nothing() {
        let header = Arc::new(RepeatedHeader {
            lines: vec![text_line()],
            height: 14.0,
        });
        let mut lines = para(9);
        lines.push(header_row());
        lines.push(row(2, &header));
        let p = Paginator::new(0.0, 100.0).paginate(&lines);
        assert_eq!((p[9].page, p[10].page), (1, 1));
        assert_eq!((p[9].header, p[10].header), (None, None));
    }

    #[test]
    fn space_before_is_dropped_at_page_top() {
        let mut lines = para(5);
        let mut next = para(2);
        next[0].breaks.space_before = 8.0;
        lines.extend(next);
        let p = Paginator::new(20.0, 70.0).paginate(&lines);
        assert_eq!(p[5].page, 1);
        assert_eq!(p[5].top, 20.0);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    fn flow() -> impl Strategy<Value = Vec<FlowItem>> {
        prop::collection::vec(
            (5.0f32..40.0, any::<bool>(), any::<bool>(), 0.0f32..20.0),
            1..300,
        )
        .prop_map(|v| {
            v.into_iter()
                .map(|(leading, nbb, kwn, space)| FlowItem {
                    breaks: Breaks {
                        space_before: space,
                        no_break_before: nbb,
                        keep_with_next: kwn,
                        page_break_before: false,
                    },
                    ..FlowItem::from(TextLine {
                        leading,
                        ascent: leading * 0.6,
                        descent: leading * 0.2,
                        ..TextLine::default()
                    })
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::layout::proptest_cases(128)))]

        #[test]
        fn every_line_is_placed_once_in_order_and_no_page_overflows(lines in flow()) {
            let (top, bottom) = (50.0, 500.0);
            let placed = Paginator::new(top, bottom).paginate(&lines);
            prop_assert_eq!(placed.len(), lines.len());
            for (i, w) in placed.windows(2).enumerate() {
                let (a, b) = (w[0], w[1]);
                // Reading order: same page further down, or a later page (by one).
                prop_assert!(b.page == a.page && b.top > a.top || b.page == a.page + 1, "line {}", i + 1);
                // A page ends only where allowed, unless nothing on it allowed a break.
                if b.page != a.page && !Paginator::break_allowed(&lines, i + 1) {
                    let first = placed.iter().position(|p| p.page == a.page).unwrap();
                    prop_assert!((first + 1..=i).all(|j| !Paginator::break_allowed(&lines, j)),
                        "forced break at {} although {first}.. had an allowed one", i + 1);
                }
            }
            for (l, p) in lines.iter().zip(&placed) {
                prop_assert!(p.top >= top && p.top + l.height() <= bottom + 0.01, "{p:?} overflows");
            }
            prop_assert_eq!(Paginator::new(top, bottom).paginate(&lines), placed, "deterministic");
        }
    }
}
