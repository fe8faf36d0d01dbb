//! The notice as a flow of lines for the paginator, and its structure tree: headings, paragraphs
//! and lists broken into lines, with the keep rules each needs.

use std::collections::BTreeMap;

use super::display::*;
use super::linebreak::Align;
use super::paginate::{Breaks, Content, FlowItem, OutlineMark, TextLine};
use super::set;
use super::style::{BlockStyle, Style};
use super::text::{Faces, Shaper, TextStyle};
use crate::fonts::FontId;
use crate::model::rich;
use crate::model::{Logo, Notice, Picture, Text};

/// How one paragraph (or heading) was set: the figures of the typography report.
#[derive(Debug, Clone, PartialEq)]
pub struct ParagraphStats {
    /// The structure node its lines belong to.
    pub node: usize,
    pub text: String,
    pub heading: bool,
    pub lines: usize,
    /// Justified text: the largest adjustment ratio (|stretch or shrink| over what the glue
    /// allows) of a line other than the last; 0 for ragged text.
    pub worst_ratio: f32,
    /// Ragged text: the largest shortfall from the measure of a line other than the last, pt.
    pub worst_rag: f32,
    /// The measure, pt.
    pub measure: f32,
    pub hyphenated_lines: usize,
    /// Words wider than the measure, broken without a hyphen as a last resort.
    pub broken_words: Vec<String>,
    /// Lines wider than the measure (none unless a single cluster is wider than it).
    pub overfull_lines: usize,
}

/// Builds the flow of lines and the structure tree.
pub(super) struct Builder<'a> {
    pub(super) notice: &'a Notice,
    pub(super) style: &'a Style,
    pub(super) align: Align,
    pub(super) shaper: Shaper,
    pub(super) structure: Vec<StructNode>,
    pub(super) items: Vec<FlowItem>,
    pub(super) stats: Vec<ParagraphStats>,
    /// Set when the notice is a chapter of a pack.
    pub(super) pack: Option<Chapter<'a>>,
    /// The parent of the notice's top-level structure nodes (a chapter's `Sect`).
    pub(super) root: Option<usize>,
    /// Room kept free at the right of every line, pt (the page numbers of the contents).
    pub(super) right_indent: f32,
    /// A link to a chapter printed its page number: the pack must know its pages.
    pub(super) page_refs: bool,
}

/// What a notice needs to know to be a chapter of a pack.
#[derive(Clone, Copy)]
pub(super) struct Chapter<'a> {
    /// The ids of the pack's notices: a link to one of them stays inside the document.
    pub selected: &'a [&'a str],
    /// Every notice of the collection: a link to one outside the pack leads to its address.
    pub all: &'a [&'a Notice],
    /// The printed page of each anchor, as far as known: a link to a chapter prints "(sida
    /// N)" after its text. Unknown on the first layout of a pack (see `pack::typeset_pack`).
    pub pages: &'a BTreeMap<String, usize>,
}

/// A paragraph's inlines flattened to one text, with what is marked in it.
#[derive(Default)]
pub(super) struct Flat {
    pub text: String,
    pub spans: Spans,
}

/// The emphasis an inline is set in.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Emphasis {
    pub italic: bool,
    pub bold: bool,
}

/// The anchor of a notice (its chapter) or of one of its sections: where links land in a pack.
pub(super) fn anchor(id: &str, section: Option<&str>) -> String {
    match section {
        Some(s) => format!("notice:{id}#{s}"),
        None => format!("notice:{id}"),
    }
}

impl<'a> Builder<'a> {
    /// A builder for `notice`, set in `style`.
    pub(super) fn new(notice: &'a Notice, style: &'a Style, align: Align) -> Builder<'a> {
        Builder {
            notice,
            style,
            align,
            shaper: Shaper,
            structure: Vec::new(),
            items: Vec::new(),
            stats: Vec::new(),
            pack: None,
            root: None,
            right_indent: 0.0,
            page_refs: false,
        }
    }

    /// The flow laid out on pages of `style`'s text area.
    pub(super) fn paginate(self) -> super::paginate::PagedFlow {
        let s = self.style;
        let placed =
            super::paginate::Paginator::new(s.text_top, s.text_bottom).paginate(&self.items);
        super::paginate::PagedFlow {
            items: self.items,
            placed,
            structure: self.structure,
            stats: self.stats,
        }
    }

    pub(super) fn node(&mut self, kind: StructKind, parent: Option<usize>) -> usize {
        self.structure.push(StructNode {
            kind,
            parent: parent.or(self.root),
        });
        self.structure.len() - 1
    }

    /// Heading levels and outline levels go one deeper in a pack (its groups are level 1).
    pub(super) fn lift(&self) -> u8 {
        u8::from(self.pack.is_some())
    }

    /// The publisher's logo at the top of the title block: `logo_height` high, or narrower
    /// when that would be wider than the measure.
    pub(super) fn logo(&mut self, logo: &Logo, picture: &Picture) {
        let s = self.style;
        let ratio = picture.size.0 / picture.size.1;
        let measure = s.page_width - s.margin_left - s.margin_right;
        let width = (s.logo_height * ratio).min(measure);
        let height = width / ratio;
        let node = self.node(
            StructKind::Figure {
                alt: logo.alt.clone(),
            },
            None,
        );
        let mut logo = FlowItem::new(Content::Image(Image {
            bbox: [s.margin_left, 0.0, s.margin_left + width, height],
            picture: picture.clone(),
            node,
        }));
        logo.breaks.keep_with_next = true;
        self.items.push(logo);
    }

    /// Where paper leads back to the web: the QR code for the notice's address with the
    /// sentence "Den senaste versionen … finns alltid på" and the address in full beside it, one
    /// block one code high, kept with the notice's last lines (it never stands alone on a page),
    /// at the end, where a reader looks for "is this the current version?".
    pub(super) fn way_back(&mut self, url: &str) {
        let s = self.style;
        let gap = if self.notice.updated_note.is_some() {
            s.para_gap
        } else {
            s.note.space_before
        };
        // The text beside the code: set in the room right of it, then taken out of the flow.
        let beside = s.qr_side + 2.0 * s.para_gap;
        let mark = self.items.len();
        let node = self.node(StructKind::Paragraph, None);
        self.paragraph(crate::sv::CURRENT_VERSION_AT, s.note, node, beside, 0.0);
        let para = self.node(StructKind::Paragraph, None);
        let link = self.node(
            StructKind::Link {
                url: url.to_owned(),
            },
            Some(para),
        );
        let start = self.items.len();
        let address = BlockStyle {
            address: true,
            ..s.note
        };
        self.paragraph(url, address, link, beside, 0.0);
        for l in self.items[start..]
            .iter_mut()
            .filter_map(FlowItem::line_mut)
        {
            l.links = (0..l.runs.len()).map(|i| (i, url.to_owned())).collect();
            for run in &mut l.runs {
                run.color = s.link_color;
            }
        }
        let text: Vec<TextLine> = self
            .items
            .split_off(mark)
            .into_iter()
            .filter_map(|item| match item.content {
                Content::Line(l) => Some(l),
                _ => None,
            })
            .collect();
        let node = self.node(
            StructKind::Figure {
                alt: crate::sv::qr_alt(url),
            },
            None,
        );
        let figure = super::qr::figure(url, s.margin_left, s.qr_side, s.text_color, node);
        // One line box: the text's lines one leading apart from the top, the code beside them.
        let lines_high = text.len() as f32 * s.note.leading;
        let high = figure
            .as_ref()
            .map_or(lines_high, |_| s.qr_side.max(lines_high));
        let mut block = TextLine {
            leading: s.note.leading,
            ascent: text.first().map_or(0.0, |l| l.ascent),
            descent: text.first().map_or(0.0, |l| l.descent),
            below: high - s.note.leading,
            ..TextLine::default()
        };
        for (i, l) in text.into_iter().enumerate() {
            let base = block.runs.len();
            block
                .links
                .extend(l.links.into_iter().map(|(r, u)| (r + base, u)));
            block.runs.extend(l.runs.into_iter().map(|mut run| {
                run.y = i as f32 * s.note.leading;
                run
            }));
        }
        // Kept with what ends the notice: never alone at the top of a page.
        let kept = Breaks {
            no_break_before: true,
            ..Breaks::default()
        };
        if let Some(figure) = figure {
            self.items.push(FlowItem {
                breaks: Breaks {
                    space_before: gap,
                    keep_with_next: true,
                    ..kept
                },
                ..FlowItem::new(Content::Figure(figure))
            });
            self.items.push(FlowItem {
                breaks: kept,
                ..FlowItem::from(block)
            });
        } else {
            self.items.push(FlowItem {
                breaks: Breaks {
                    space_before: gap,
                    ..kept
                },
                ..FlowItem::from(block)
            });
        }
    }

    /// Sets a heading; it keeps with the two lines after it.
    pub(super) fn heading(
        &mut self,
        text: &str,
        st: BlockStyle,
        node: usize,
        outline: Option<u8>,
        rule_above: Option<f32>,
    ) {
        let first = self.items.len();
        // A rule above takes the heading's space; the heading keeps under it.
        let space = match rule_above {
            Some(gap) => {
                self.items.push(FlowItem {
                    breaks: Breaks {
                        space_before: st.space_before,
                        ..Breaks::default()
                    },
                    ..FlowItem::new(Content::Rule { gap })
                });
                0.0
            }
            None => st.space_before,
        };
        let lines = self.items.len();
        self.paragraph(&crate::sv::ties(text, true), st, node, 0.0, space);
        for l in &mut self.items[first..] {
            l.breaks.keep_with_next = true;
        }
        if let Some(level) = outline {
            self.items[lines].outline = Some(OutlineMark {
                level,
                title: text.to_owned(),
            });
        }
    }

    /// Paragraphs and lists, indented by `indent` pt, inside `level` lists.
    pub(super) fn blocks(
        &mut self,
        blocks: &[rich::Block],
        parent: usize,
        gap: f32,
        indent: f32,
        level: usize,
    ) {
        let s = self.style;
        for (i, block) in blocks.iter().enumerate() {
            let gap = if i == 0 { gap } else { s.para_gap };
            match block {
                rich::Block::Paragraph(inlines) => {
                    let node = self.node(StructKind::Paragraph, Some(parent));
                    self.inlines(inlines, s.body, node, indent, gap);
                }
                rich::Block::List { start, items } => {
                    self.list_items(items, *start, parent, indent, level + 1, gap);
                }
                rich::Block::Table(table) => self.table(table, parent, indent, gap),
            }
        }
    }

    /// A bulleted list whose entries are running text.
    pub(super) fn list(&mut self, entries: &[Text], parent: usize) {
        let items: Vec<Vec<rich::Block>> = entries.iter().map(|e| e.blocks.clone()).collect();
        self.list_items(&items, None, parent, 0.0, 1, self.style.para_gap);
    }

    /// Sets inlines as one paragraph: links become `Link` elements holding their text.
    pub(super) fn inlines(
        &mut self,
        inlines: &[rich::Inline],
        st: BlockStyle,
        node: usize,
        indent: f32,
        gap: f32,
    ) {
        let mut flat = Flat::default();
        self.flatten(inlines, st.font, Emphasis::default(), &mut flat, node);
        self.paragraph_in(&flat.text, st, node, indent, gap, &flat.spans);
    }

    /// Appends the plain text of `inlines` to `out`, recording links (with their `Link`
    /// nodes, children of `node`), the faces of emphasis, and after a link whose text does not
    /// say where it leads, where it does for a reader of paper.
    pub(super) fn flatten(
        &mut self,
        inlines: &[rich::Inline],
        base: FontId,
        em: Emphasis,
        out: &mut Flat,
        node: usize,
    ) {
        for inline in inlines {
            match inline {
                rich::Inline::Text(t) => {
                    let start = out.text.len();
                    out.text.push_str(&crate::sv::ties(t, false));
                    let face = base.with(em.italic, em.bold);
                    if face != base && !t.is_empty() {
                        out.spans.faces.0.push((start..out.text.len(), face));
                    }
                }
                // A forced break for the line breaker (see `text::items_in`).
                rich::Inline::Break => out.text.push('\n'),
                rich::Inline::Emph(content) => {
                    let em = Emphasis { italic: true, ..em };
                    self.flatten(content, base, em, out, node);
                }
                rich::Inline::Strong(content) => {
                    let em = Emphasis { bold: true, ..em };
                    self.flatten(content, base, em, out, node);
                }
                rich::Inline::Link {
                    target, content, ..
                } => {
                    let start = out.text.len();
                    let scope = match self.pack {
                        Some(pack) => crate::model::Scope::Pack {
                            selected: pack.selected,
                            all: pack.all,
                        },
                        None => crate::model::Scope::Alone(self.notice),
                    };
                    let dest = crate::model::resolve(target, scope);
                    // A chapter's address is resolved when the pages are known.
                    let url = dest.as_ref().map(|dest| match dest {
                        crate::model::Dest::Url(u) => u.clone(),
                        crate::model::Dest::Chapter { id, section } => {
                            anchor(id, section.as_deref())
                        }
                    });
                    let link = url
                        .as_ref()
                        .map(|url| self.node(StructKind::Link { url: url.clone() }, Some(node)));
                    self.flatten(content, base, em, out, node);
                    let (Some(dest), Some(url), Some(link)) = (dest, url, link) else {
                        continue;
                    };
                    out.spans
                        .links
                        .push((start..out.text.len(), link, url.clone()));
                    if let Some(note) = self.paper_reference(&dest, &url, &out.text[start..]) {
                        let at = out.text.len();
                        out.text.push_str(&note);
                        let role = Role::Artifact(ArtifactKind::Reference);
                        out.spans.roles.push((at..out.text.len(), role));
                    }
                }
            }
        }
    }

    /// What paper shows after a link whose text is `text`: the page of a chapter it leads to
    /// in a pack (" (sida 4)"), or the address it leads to (" (exempelbanken.se/kontakt)")
    /// unless its text says so already. An artifact: the `Link` holds the address for the
    /// screen, which must not read it twice.
    fn paper_reference(
        &mut self,
        dest: &crate::model::Dest,
        url: &str,
        text: &str,
    ) -> Option<String> {
        match dest {
            crate::model::Dest::Chapter { .. } => {
                self.page_refs = true;
                let page = self
                    .pack
                    .and_then(|p| p.pages.get(url).copied())
                    .unwrap_or(0);
                // Tied to the link's last word: "(sida 2)" never starts a line.
                Some(format!("\u{a0}{}", crate::sv::page_reference(page)))
            }
            crate::model::Dest::Url(u) => {
                let short = crate::sv::short_address(u);
                let said = |t: &str| t.to_lowercase().replace(['\u{a0}', ' '], "");
                (!said(text).contains(&said(&short))).then(|| format!(" ({short})"))
            }
        }
    }

    /// A list at nesting `level` (from 1) inside a body indented `indent` pt: bullets, or
    /// numbers from `start`. Labels stand at the enclosing indent, bodies after the widest label.
    pub(super) fn list_items(
        &mut self,
        items: &[Vec<rich::Block>],
        start: Option<u64>,
        parent: usize,
        indent: f32,
        level: usize,
        gap: f32,
    ) {
        let s = self.style;
        let l = self.node(
            StructKind::List {
                ordered: start.is_some(),
            },
            Some(parent),
        );
        let labels: Vec<String> = (0..items.len() as u64)
            .map(|i| match start {
                Some(n) => format!("{}.", n + i),
                None => BULLETS[(level - 1) % BULLETS.len()].to_owned(),
            })
            .collect();
        let widest = labels
            .iter()
            .map(|t| {
                let g = self.shaper.glyphs(s.body.font, s.body.size, t, 0);
                g.iter().map(|g| g.x_advance).sum::<f32>()
            })
            .fold(0.0, f32::max);
        let body_indent = indent + s.list_indent.max(widest + 0.4 * s.body.size);
        for (i, (item, label)) in items.iter().zip(&labels).enumerate() {
            let li = self.node(StructKind::ListItem, Some(l));
            let lbl = self.node(StructKind::Label, Some(li));
            let body = self.node(StructKind::ListBody, Some(li));
            let first = self.items.len();
            let gap = if i == 0 { gap } else { s.answer_gap };
            // The item's first paragraph is the body's own text; what follows nests in it.
            let rest = match item.first() {
                Some(rich::Block::Paragraph(inlines)) => {
                    self.inlines(inlines, s.body, body, body_indent, gap);
                    &item[1..]
                }
                _ => &item[..],
            };
            self.blocks(rest, body, s.answer_gap, body_indent, level);
            if first == self.items.len() {
                continue;
            }
            let run = label_run(
                &mut self.shaper,
                s.body,
                s.margin_left + indent,
                label,
                s.text_color,
                lbl,
            );
            let one_line = self.items.len() == first + 1;
            let item = &mut self.items[first];
            if let Some(line) = item.line_mut() {
                line.runs.insert(0, run);
                for (run, _) in &mut line.links {
                    *run += 1;
                }
            }
            // A list's last entry, one line, never starts a page alone.
            if i > 0 && i + 1 == items.len() && one_line {
                item.breaks.no_break_before = true;
            }
        }
    }

    /// Breaks a paragraph into lines and appends them to the flow.
    pub(super) fn paragraph(
        &mut self,
        text: &str,
        st: BlockStyle,
        node: usize,
        indent: f32,
        space_before: f32,
    ) {
        self.paragraph_in(text, st, node, indent, space_before, &Spans::default());
    }

    /// [`Builder::paragraph`], with `spans` (links, marked words, faces) in `text`: each
    /// line's run is cut where one starts and ends, a link's or a mark's fragments set in its
    /// colour and belonging to its node.
    pub(super) fn paragraph_in(
        &mut self,
        text: &str,
        st: BlockStyle,
        node: usize,
        indent: f32,
        space_before: f32,
        spans: &Spans,
    ) {
        let s = self.style;
        let measure = s.measure() - indent - self.right_indent;
        self.set_at(
            text,
            st,
            node,
            s.margin_left + indent,
            measure,
            space_before,
            spans,
        );
    }

    /// [`Builder::paragraph_in`] on lines `measure` pt wide starting `x` pt from the page's
    /// left edge (a table's cell).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn set_at(
        &mut self,
        text: &str,
        st: BlockStyle,
        node: usize,
        x: f32,
        measure: f32,
        space_before: f32,
        spans: &Spans,
    ) {
        let faces = &spans.faces;
        let s = self.style;
        let ts = TextStyle {
            font: st.font,
            size: st.size,
            hyphenate: st.hyphenate,
            address: st.address,
        };
        // Headings, the title block and the small print at the end (a web address has no
        // spaces to stretch) are always set ragged, whatever the running text's alignment.
        let align = if st.ragged { Align::Left } else { self.align };
        let heading = matches!(self.structure[node].kind, StructKind::Heading { .. });
        let set = set::set(
            text,
            ts,
            faces,
            &self.notice.no_hyphenate,
            measure,
            align,
            heading,
        );
        let n = set.lines.len();
        let inner = &set.lines[..n.saturating_sub(1)];
        self.stats.push(ParagraphStats {
            node,
            text: text.to_owned(),
            heading,
            lines: n,
            worst_ratio: inner.iter().map(|(l, _)| l.ratio.abs()).fold(0.0, f32::max),
            worst_rag: match align {
                Align::Left => inner
                    .iter()
                    .map(|(l, _)| measure - l.width)
                    .fold(0.0, f32::max),
                Align::Justify => 0.0,
            },
            measure,
            hyphenated_lines: set.lines.iter().filter(|(l, _)| l.hyphenated).count(),
            broken_words: set.broken_words.clone(),
            overfull_lines: set.lines.iter().filter(|(l, _)| l.overfull).count(),
        });
        for (i, (_, c)) in set.lines.iter().enumerate() {
            let start = c.start;
            let run = TextRun {
                font: st.font,
                size: st.size,
                x,
                y: 0.0,
                color: s.color(st.ink),
                text: c.text.clone(),
                glyphs: c.glyphs.clone(),
                role: Role::Content { node },
            };
            let (runs, line_links, marks) = cut_run(run, start, spans, s);
            // Orphans and widows: at least two lines on each side of a page break.
            let no_break_before = i > 0 && (i < 2 || n - i < 2);
            self.items.push(FlowItem {
                breaks: Breaks {
                    space_before: if i == 0 { space_before } else { 0.0 },
                    no_break_before,
                    ..Breaks::default()
                },
                ..FlowItem::from(TextLine {
                    runs,
                    leading: st.leading,
                    ascent: st.size * st.font.face().ascender,
                    descent: st.size * st.font.face().descender,
                    links: line_links,
                    marks,
                    ..TextLine::default()
                })
            });
        }
    }
}

/// The bullets of lists nested 1, 2 and 3 deep.
const BULLETS: [&str; 3] = ["•", "◦", "▪"];

/// What is marked inside a paragraph's text, by byte range: links (with their `Link` node and
/// address), words added or removed since the previous version (with their `Span` node), and
/// faces of emphasis.
#[derive(Default)]
pub(super) struct Spans {
    pub links: Vec<(std::ops::Range<usize>, usize, String)>,
    pub marks: Vec<(std::ops::Range<usize>, usize, Mark)>,
    pub faces: Faces,
    /// Text that is not the paragraph's own content: a large-print table's labels (the
    /// column's `TH`, or an artifact where it repeats).
    pub roles: Vec<(std::ops::Range<usize>, Role)>,
}

/// The runs of a line, the link fragments among them (run index, address) and the marked ones
/// (run index, mark).
type CutRuns = (Vec<TextRun>, Vec<(usize, String)>, Vec<(usize, Mark)>);

/// Cuts a line's `run`, which starts at byte `start` of its paragraph, where `spans` start and
/// end: each piece in its face; a link's or a mark's pieces in its colour and belonging to its
/// node.
fn cut_run(run: TextRun, start: usize, spans: &Spans, s: &Style) -> CutRuns {
    let end = start + run.text.len();
    let touches = |r: &std::ops::Range<usize>| r.end > start && r.start < end;
    let ranges = || {
        spans
            .links
            .iter()
            .map(|(r, _, _)| r)
            .chain(spans.marks.iter().map(|(r, _, _)| r))
            .chain(spans.faces.0.iter().map(|(r, _)| r))
            .chain(spans.roles.iter().map(|(r, _)| r))
    };
    if !ranges().any(touches) {
        return (vec![run], Vec::new(), Vec::new());
    }
    let mut bounds: Vec<usize> = ranges()
        .flat_map(|r| [r.start, r.end])
        .filter(|&c| c > start && c < end)
        .map(|c| c - start)
        .collect();
    bounds.push(0);
    bounds.push(run.text.len());
    bounds.sort_unstable();
    bounds.dedup();
    let (mut runs, mut out_links, mut out_marks) = (Vec::new(), Vec::new(), Vec::new());
    let mut x = run.x;
    for seg in bounds.windows(2) {
        let (a, b) = (seg[0], seg[1]);
        // The soft hyphen after a broken word belongs to the last piece.
        let glyphs: Vec<Glyph> = run
            .glyphs
            .iter()
            .filter(|g| g.range.start >= a && (g.range.start < b || b == run.text.len()))
            .map(|g| Glyph {
                range: g.range.start - a..g.range.end - a,
                ..g.clone()
            })
            .collect();
        let width: f32 = glyphs.iter().map(|g| g.x_advance).sum();
        let inside = |r: &std::ops::Range<usize>| r.start <= start + a && start + b <= r.end;
        let mut piece = TextRun {
            x,
            font: spans.faces.at(start + a, run.font),
            text: run.text[a..b].to_owned(),
            glyphs,
            ..run.clone()
        };
        if let Some((_, node, url)) = spans.links.iter().find(|(r, _, _)| inside(r)) {
            piece.role = Role::Content { node: *node };
            piece.color = s.link_color;
            out_links.push((runs.len(), url.clone()));
        } else if let Some((_, node, mark)) = spans.marks.iter().find(|(r, _, _)| inside(r)) {
            piece.role = Role::Content { node: *node };
            piece.color = s.mark_color(*mark);
            out_marks.push((runs.len(), *mark));
        } else if let Some((_, role)) = spans.roles.iter().find(|(r, _)| inside(r)) {
            piece.role = *role;
            if *role == Role::Artifact(ArtifactKind::Reference) {
                piece.color = s.muted_color;
            }
        }
        x += width;
        runs.push(piece);
    }
    (runs, out_links, out_marks)
}

fn label_run(
    sh: &mut Shaper,
    st: BlockStyle,
    x: f32,
    text: &str,
    color: Rgb,
    node: usize,
) -> TextRun {
    TextRun {
        font: st.font,
        size: st.size,
        x,
        y: 0.0,
        color,
        text: text.to_owned(),
        glyphs: sh.glyphs(st.font, st.size, text, 0),
        role: Role::Content { node },
    }
}
