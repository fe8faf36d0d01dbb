//! Typesetting: from a validated [`Notice`] to a [`DisplayList`].
//!
//! Paragraphs are broken into lines with total fit ([`linebreak`]), then the stream of lines
//! is paginated on A4 with these rules: a heading is never the last thing on a page (it keeps
//! with at least two lines of what follows), no paragraph leaves a single line at the foot or
//! head of a page (orphans, widows), and a question whose answer takes at most four lines is
//! never split. Every page gets the running header (publisher, title) and the footer
//! "Sida X av Y". No I/O, no clock: the same input gives the same display list.

pub mod display;
pub(crate) mod linebreak;
pub(crate) mod paginate;
pub(crate) mod text;

use chrono::NaiveDateTime;

pub use display::*;
pub use linebreak::Align;
pub use text::{HYPHEN_MIN_LEFT, HYPHEN_MIN_RIGHT};

use crate::fonts::FontId;
use crate::model::{Block, Notice};
use linebreak::Params;
use paginate::{FlowLine, Paginator};
use text::{Shaper, TextStyle};

/// Layout options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    pub align: Align,
    pub edition: Edition,
    /// Creation/modification date to record instead of the notice's `updated` date (from
    /// `SOURCE_DATE_EPOCH`, read by the caller: the library never reads the environment).
    pub date: Option<NaiveDateTime>,
}

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

/// The result of typesetting: the display list and how each paragraph was set.
#[derive(Debug, Clone, PartialEq)]
pub struct Typeset {
    pub display: DisplayList,
    pub paragraphs: Vec<ParagraphStats>,
}

/// Which edition to typeset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Edition {
    /// 10 pt running text on A4.
    #[default]
    Standard,
    /// Large print for readers with low vision: 16 pt running text, proportionally larger
    /// headings and leading, re-typeset (not scaled), same structure and text.
    Large,
}

impl Edition {
    pub const ALL: [Edition; 2] = [Edition::Standard, Edition::Large];

    /// The name used on the command line and in the manifest.
    pub fn key(self) -> &'static str {
        match self {
            Edition::Standard => "standard",
            Edition::Large => "large",
        }
    }

    /// Output file name for a notice id: `<id>.pdf`, `<id>.large.pdf`.
    pub fn file_name(self, id: &str, ext: &str) -> String {
        match self {
            Edition::Standard => format!("{id}.{ext}"),
            Edition::Large => format!("{id}.large.{ext}"),
        }
    }

    /// Font size of running text, pt.
    pub fn body_size(self) -> f32 {
        Style::of(self).body.size
    }
}

/// Typographic parameters of an edition. Lengths in pt.
pub(crate) struct Style {
    pub page_width: f32,
    pub page_height: f32,
    pub margin_left: f32,
    pub margin_right: f32,
    /// Top of the text area.
    pub text_top: f32,
    /// Bottom of the text area.
    pub text_bottom: f32,
    pub body: BlockStyle,
    pub title: BlockStyle,
    pub h2: BlockStyle,
    pub h3: BlockStyle,
    pub note: BlockStyle,
    /// Space between paragraphs of one answer.
    pub para_gap: f32,
    /// Space between a question and its answer.
    pub answer_gap: f32,
    /// Distance of a section's rule above its heading.
    pub rule_gap: f32,
    /// Indent of list bodies from the bullet.
    pub list_indent: f32,
    pub header_size: f32,
    pub header_baseline: f32,
    pub footer_baseline: f32,
    pub text_color: Rgb,
    pub muted_color: Rgb,
    pub accent_color: Rgb,
}

#[derive(Clone, Copy)]
pub(crate) struct BlockStyle {
    pub font: FontId,
    /// Font size, pt.
    pub size: f32,
    /// Baseline-to-baseline distance, pt.
    pub leading: f32,
    /// Space above the block, pt (dropped at the top of a page).
    pub space_before: f32,
    pub hyphenate: bool,
}

impl BlockStyle {
    const fn new(
        font: FontId,
        size: f32,
        leading: f32,
        space_before: f32,
        hyphenate: bool,
    ) -> BlockStyle {
        BlockStyle {
            font,
            size,
            leading,
            space_before,
            hyphenate,
        }
    }
}

impl Style {
    pub(crate) fn of(edition: Edition) -> Style {
        match edition {
            Edition::Standard => Style::standard(),
            Edition::Large => Style::large(),
        }
    }

    fn standard() -> Style {
        let (w, h) = (595.276, 841.89); // A4 (ISO 216)
        let (regular, semibold) = (FontId::Regular, FontId::SemiBold);
        Style {
            page_width: w,
            page_height: h,
            margin_left: 85.0,
            margin_right: 85.0,
            text_top: 92.0,
            text_bottom: h - 78.0,
            body: BlockStyle::new(regular, 10.0, 15.0, 0.0, true),
            title: BlockStyle::new(semibold, 21.0, 26.0, 0.0, false),
            h2: BlockStyle::new(semibold, 13.0, 17.0, 24.0, false),
            h3: BlockStyle::new(semibold, 10.0, 15.0, 11.0, false),
            note: BlockStyle::new(regular, 9.0, 13.0, 26.0, false),
            para_gap: 6.0,
            answer_gap: 2.0,
            rule_gap: 10.0,
            list_indent: 14.0,
            header_size: 8.0,
            header_baseline: 50.0,
            footer_baseline: h - 44.0,
            text_color: Rgb(0x1c, 0x1c, 0x1c),
            muted_color: Rgb(0x55, 0x55, 0x55),
            accent_color: Rgb(0x00, 0x7a, 0x4d),
        }
    }

    /// Large print: 16 pt text on 24 pt leading, headings and spacing scaled with it, narrower
    /// margins so a line still holds about 50 characters.
    fn large() -> Style {
        let (regular, semibold) = (FontId::Regular, FontId::SemiBold);
        let h = 841.89;
        Style {
            margin_left: 62.0,
            margin_right: 62.0,
            text_top: 100.0,
            text_bottom: h - 86.0,
            body: BlockStyle::new(regular, 16.0, 24.0, 0.0, true),
            title: BlockStyle::new(semibold, 30.0, 36.0, 0.0, false),
            h2: BlockStyle::new(semibold, 21.0, 27.0, 34.0, false),
            h3: BlockStyle::new(semibold, 16.0, 24.0, 18.0, false),
            note: BlockStyle::new(regular, 16.0, 24.0, 34.0, false),
            para_gap: 10.0,
            answer_gap: 3.0,
            rule_gap: 14.0,
            list_indent: 22.0,
            header_size: 12.0,
            header_baseline: 52.0,
            footer_baseline: h - 42.0,
            ..Style::standard()
        }
    }

    pub(crate) fn measure(&self) -> f32 {
        self.page_width - self.margin_left - self.margin_right
    }
}

/// Swedish long date for running text: "20 mars 2023", with a no-break space between day and
/// month (Svenska skrivregler: a date is not split across lines). Metadata uses ISO 8601.
pub fn swedish_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ];
    format!(
        "{}\u{a0}{} {}",
        d.day(),
        MONTHS[d.month0() as usize],
        d.year()
    )
}

/// Builds the display list. The notice must have passed validation.
pub fn layout(notice: &Notice, opts: &Options) -> DisplayList {
    typeset(notice, opts).display
}

/// Builds the display list and the per-paragraph statistics.
pub fn typeset(notice: &Notice, opts: &Options) -> Typeset {
    let style = Style::of(opts.edition);
    let mut b = Builder {
        notice,
        style: &style,
        align: opts.align,
        shaper: Shaper,
        structure: Vec::new(),
        lines: Vec::new(),
        stats: Vec::new(),
    };
    b.build();
    let Builder {
        structure,
        lines,
        mut shaper,
        stats,
        ..
    } = b;

    let mut pag = Paginator::new(style.text_top, style.text_bottom);
    let placed = pag.paginate(&lines);
    let page_count = placed.iter().map(|p| p.page).max().map_or(1, |m| m + 1);

    let mut pages: Vec<Page> = (0..page_count)
        .map(|_| Page {
            width: style.page_width,
            height: style.page_height,
            text_area: [
                style.margin_left,
                style.text_top,
                style.page_width - style.margin_right,
                style.text_bottom,
            ],
            items: Vec::new(),
        })
        .collect();
    // Running header first, so that reading order inside the content stream is natural.
    let header = running_header(notice, &style, &mut shaper);
    for page in &mut pages {
        page.items.extend(header.iter().cloned());
    }
    let mut outline: Vec<OutlineEntry> = Vec::new();
    for (line, place) in lines.iter().zip(&placed) {
        let page = &mut pages[place.page];
        for run in &line.runs {
            let mut run = run.clone();
            run.y = place.baseline;
            page.items.push(Item::Text(run));
        }
        if let Some(rule) = &line.rule_above {
            let y = place.top - rule;
            page.items.push(Item::Rule(Rule {
                x0: style.margin_left,
                y0: y,
                x1: style.page_width - style.margin_right,
                y1: y,
                thickness: 0.6,
                color: style.accent_color,
                artifact: ArtifactKind::Layout,
            }));
        }
        if let Some(level) = line.outline_level {
            let title = line.outline_title.clone().unwrap_or_default();
            let entry = OutlineEntry {
                title,
                page: place.page,
                y: place.top,
                children: Vec::new(),
            };
            match level {
                1 => outline.push(entry),
                _ => match outline.last_mut() {
                    Some(parent) => parent.children.push(entry),
                    None => outline.push(entry),
                },
            }
        }
    }
    // Footers last: artifacts at the end of each page's stream.
    for (i, page) in pages.iter_mut().enumerate() {
        running_footer(page, notice, &style, &mut shaper, i, page_count);
    }

    let display = DisplayList {
        pages,
        structure,
        outline,
        meta: DocMeta {
            id: notice.id.clone(),
            title: notice.title.clone(),
            author: notice.publisher.clone(),
            subject: notice.subject.clone(),
            keywords: notice.keywords.clone(),
            language: notice.language.clone(),
            date: opts.date.unwrap_or_else(|| {
                notice
                    .updated
                    .and_hms_opt(0, 0, 0)
                    .expect("midnight exists")
            }),
            creator: format!("notice-pdf {}", env!("CARGO_PKG_VERSION")),
        },
    };
    Typeset {
        display,
        paragraphs: stats,
    }
}

/// Which margin a running header or footer text aligns to.
#[derive(Clone, Copy)]
enum Side {
    Left,
    Right,
}

/// A running header or footer text, an artifact (PDF/UA-1 §7.1).
fn chrome_run(
    sh: &mut Shaper,
    s: &Style,
    font: FontId,
    text: &str,
    y: f32,
    side: Side,
    kind: ArtifactKind,
) -> TextRun {
    let glyphs = sh.glyphs(font, s.header_size, text, 0);
    let width: f32 = glyphs.iter().map(|g| g.x_advance).sum();
    let x = match side {
        Side::Left => s.margin_left,
        Side::Right => s.page_width - s.margin_right - width,
    };
    TextRun {
        font,
        size: s.header_size,
        x,
        y,
        color: s.muted_color,
        text: text.to_owned(),
        glyphs,
        role: Role::Artifact(kind),
    }
}

/// A hairline across the text measure.
fn hairline(s: &Style, y: f32, kind: ArtifactKind) -> Item {
    Item::Rule(Rule {
        x0: s.margin_left,
        y0: y,
        x1: s.page_width - s.margin_right,
        y1: y,
        thickness: 0.5,
        color: Rgb(0xb4, 0xb4, 0xb4),
        artifact: kind,
    })
}

/// Publisher left, title right, a hairline below.
/// The running header, the same on every page.
fn running_header(notice: &Notice, s: &Style, sh: &mut Shaper) -> Vec<Item> {
    let (y, kind) = (s.header_baseline, ArtifactKind::Header);
    // Publisher left, title right, each shortened with "…" if it would not fit beside the other.
    let gap = 2.0 * s.header_size;
    let publisher = fit(
        sh,
        FontId::SemiBold,
        s.header_size,
        &notice.publisher,
        0.4 * s.measure(),
    );
    let left = chrome_run(sh, s, FontId::SemiBold, &publisher, y, Side::Left, kind);
    let room = s.measure() - left.width() - gap;
    let title = fit(sh, FontId::Regular, s.header_size, &notice.title, room);
    vec![
        Item::Text(left),
        Item::Text(chrome_run(
            sh,
            s,
            FontId::Regular,
            &title,
            y,
            Side::Right,
            kind,
        )),
        hairline(s, y + s.header_size, kind),
    ]
}

/// `text`, or its longest prefix followed by "…" that is at most `max` pt wide.
fn fit(sh: &mut Shaper, font: FontId, size: f32, text: &str, max: f32) -> String {
    let width = |sh: &mut Shaper, t: &str| {
        sh.shape(font, t)
            .iter()
            .map(|g| g.x_advance * size)
            .sum::<f32>()
    };
    if width(sh, text) <= max {
        return text.to_owned();
    }
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    // Binary search for the most characters that fit with the ellipsis.
    let (mut lo, mut hi) = (0, bounds.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate = format!("{}…", text[..bounds[mid.min(bounds.len() - 1)]].trim_end());
        if width(sh, &candidate) <= max {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    format!("{}…", text[..bounds[lo.min(bounds.len() - 1)]].trim_end())
}

/// A hairline, the version date left and "Sida X av Y" right.
fn running_footer(
    page: &mut Page,
    notice: &Notice,
    s: &Style,
    sh: &mut Shaper,
    i: usize,
    n: usize,
) {
    let (y, kind) = (s.footer_baseline, ArtifactKind::Footer);
    page.items.push(hairline(s, y - 1.5 * s.header_size, kind));
    let updated = format!("Uppdaterad {}", swedish_date(notice.updated));
    page.items.push(Item::Text(chrome_run(
        sh,
        s,
        FontId::Regular,
        &updated,
        y,
        Side::Left,
        kind,
    )));
    let number = format!("Sida {} av {n}", i + 1);
    page.items.push(Item::Text(chrome_run(
        sh,
        s,
        FontId::Regular,
        &number,
        y,
        Side::Right,
        kind,
    )));
}

/// Builds the flow of lines and the structure tree.
struct Builder<'a> {
    notice: &'a Notice,
    style: &'a Style,
    align: Align,
    shaper: Shaper,
    structure: Vec<StructNode>,
    lines: Vec<FlowLine>,
    stats: Vec<ParagraphStats>,
}

impl Builder<'_> {
    fn node(&mut self, kind: StructKind, parent: Option<usize>) -> usize {
        self.structure.push(StructNode { kind, parent });
        self.structure.len() - 1
    }

    fn build(&mut self) {
        let s = self.style;
        let n = self.notice;
        let h1 = self.node(
            StructKind::Heading {
                level: 1,
                text: n.title.clone(),
            },
            None,
        );
        self.heading(&n.title, s.title, h1, None, None);

        for section in n.printed_sections() {
            let sect = self.node(StructKind::Sect, None);
            let h2 = self.node(
                StructKind::Heading {
                    level: 2,
                    text: section.heading.clone(),
                },
                Some(sect),
            );
            self.heading(&section.heading, s.h2, h2, Some(1), Some(s.rule_gap));
            for p in &section.intro {
                let node = self.node(StructKind::Paragraph, Some(sect));
                self.paragraph(p, s.body, node, 0.0, s.para_gap);
            }
            if !section.list.is_empty() {
                self.list(&section.list, sect);
            }
            for item in &section.items {
                let q_sect = self.node(StructKind::Sect, Some(sect));
                let h3 = self.node(
                    StructKind::Heading {
                        level: 3,
                        text: item.question.clone(),
                    },
                    Some(q_sect),
                );
                let first = self.lines.len();
                self.heading(&item.question, s.h3, h3, Some(2), None);
                let answer_start = self.lines.len();
                for block in &item.answer {
                    match block {
                        Block::Paragraph(p) => {
                            let node = self.node(StructKind::Paragraph, Some(q_sect));
                            let gap = if self.lines.len() == answer_start {
                                s.answer_gap
                            } else {
                                s.para_gap
                            };
                            self.paragraph(p, s.body, node, 0.0, gap);
                        }
                        Block::List(entries) => self.list(entries, q_sect),
                    }
                }
                // A short answer is never split from its question or within itself.
                if self.lines.len() - answer_start <= 4 {
                    for l in &mut self.lines[first + 1..] {
                        l.no_break_before = true;
                    }
                }
            }
        }
        if let Some(note) = &n.updated_note {
            let node = self.node(StructKind::Paragraph, None);
            let st = s.note;
            self.paragraph(note, st, node, 0.0, st.space_before);
        }
    }

    /// Sets a heading; it keeps with the two lines after it.
    fn heading(
        &mut self,
        text: &str,
        st: BlockStyle,
        node: usize,
        outline: Option<u8>,
        rule_above: Option<f32>,
    ) {
        let first = self.lines.len();
        self.paragraph(text, st, node, 0.0, st.space_before);
        for l in &mut self.lines[first..] {
            l.keep_with_next = true;
        }
        if let Some(level) = outline {
            self.lines[first].outline_level = Some(level);
            self.lines[first].outline_title = Some(text.to_owned());
        }
        if let Some(gap) = rule_above {
            self.lines[first].rule_above = Some(gap);
        }
    }

    fn list(&mut self, entries: &[String], parent: usize) {
        let s = self.style;
        let l = self.node(StructKind::List, Some(parent));
        for (i, entry) in entries.iter().enumerate() {
            let li = self.node(StructKind::ListItem, Some(l));
            let lbl = self.node(StructKind::Label, Some(li));
            let body = self.node(StructKind::ListBody, Some(li));
            let first = self.lines.len();
            let gap = if i == 0 { s.para_gap } else { s.answer_gap };
            self.paragraph(entry, s.body, body, s.list_indent, gap);
            let bullet = label_run(
                &mut self.shaper,
                s.body,
                s.margin_left,
                "•",
                s.text_color,
                lbl,
            );
            self.lines[first].runs.insert(0, bullet);
        }
    }

    /// Breaks a paragraph into lines and appends them to the flow.
    fn paragraph(
        &mut self,
        text: &str,
        st: BlockStyle,
        node: usize,
        indent: f32,
        space_before: f32,
    ) {
        let s = self.style;
        let ts = TextStyle {
            font: st.font,
            size: st.size,
            hyphenate: st.hyphenate,
        };
        let notice = self.notice;
        let protect = |w: &str| notice.is_protected(w);
        let mut elems = text::items(text, ts, &protect, &mut self.shaper);
        let measure = s.measure() - indent;
        let broken_words = text::break_overwide(text, &mut elems, measure);
        // Headings are always set ragged, whatever the running text's alignment.
        let align = match self.structure[node].kind {
            StructKind::Heading { .. } => Align::Left,
            _ => self.align,
        };
        let params = Params::new(measure, align, st.size);
        let lines = linebreak::break_lines(&elems, &params);
        let n = lines.len();
        let inner = &lines[..n.saturating_sub(1)];
        self.stats.push(ParagraphStats {
            node,
            text: text.to_owned(),
            heading: matches!(self.structure[node].kind, StructKind::Heading { .. }),
            lines: n,
            worst_ratio: inner.iter().map(|l| l.ratio.abs()).fold(0.0, f32::max),
            worst_rag: match align {
                Align::Left => inner.iter().map(|l| measure - l.width).fold(0.0, f32::max),
                Align::Justify => 0.0,
            },
            measure,
            hyphenated_lines: lines.iter().filter(|l| l.hyphenated).count(),
            broken_words,
            overfull_lines: lines.iter().filter(|l| l.overfull).count(),
        });
        for (i, l) in lines.iter().enumerate() {
            let c = text::compose(text, &elems, l.start, l.end, l.ratio, ts, &mut self.shaper);
            let run = TextRun {
                font: st.font,
                size: st.size,
                x: s.margin_left + indent,
                y: 0.0,
                color: s.text_color,
                text: c.text,
                glyphs: c.glyphs,
                role: Role::Content { node },
            };
            // Orphans and widows: at least two lines on each side of a page break.
            let no_break_before = i > 0 && (i < 2 || n - i < 2);
            self.lines.push(FlowLine {
                runs: vec![run],
                leading: st.leading,
                ascent: st.size * st.font.face().ascender,
                descent: st.size * st.font.face().descender,
                space_before: if i == 0 { space_before } else { 0.0 },
                no_break_before,
                keep_with_next: false,
                outline_level: None,
                outline_title: None,
                rule_above: None,
            });
        }
    }
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

/// Cases per property test: `default`, or `PROPTEST_CASES` for a deeper search (an explicit
/// count in a test's config would otherwise shadow the variable).
#[cfg(test)]
pub(crate) fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_header_texts_are_shortened_to_fit() {
        let mut sh = Shaper;
        let long = "Kontakt med Avanzas kundservice ".repeat(20);
        let short = fit(&mut sh, FontId::Regular, 8.0, &long, 200.0);
        assert!(short.ends_with('…') && long.starts_with(short.trim_end_matches('…')));
        let w: f32 = sh
            .shape(FontId::Regular, &short)
            .iter()
            .map(|g| g.x_advance * 8.0)
            .sum();
        assert!(w <= 200.0, "{w}");
        assert_eq!(
            fit(&mut sh, FontId::Regular, 8.0, "Avanza", 200.0),
            "Avanza"
        );
    }

    #[test]
    fn swedish_dates() {
        let d = chrono::NaiveDate::from_ymd_opt(2023, 3, 20).unwrap();
        assert_eq!(swedish_date(d), "20\u{a0}mars 2023");
        let d = chrono::NaiveDate::from_ymd_opt(2024, 1, 5).unwrap();
        assert_eq!(swedish_date(d), "5\u{a0}januari 2024");
    }
}
