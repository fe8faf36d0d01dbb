//! Typesetting: from a validated [`Notice`] to a [`DisplayList`].
//!
//! Paragraphs are broken into lines with total fit ([`linebreak`]), then the stream of lines
//! is paginated on A4 with these rules: a heading is never the last thing on a page (it keeps
//! with at least two lines of what follows), no paragraph leaves a single line at the foot or
//! head of a page (orphans, widows), and a question whose answer takes at most four lines is
//! never split. Every page gets the running header (publisher, title) and the footer
//! "Sida X av Y". No I/O, no clock: the same input gives the same display list.

pub mod attach;
mod changes;
mod chrome;
mod collect;
pub mod display;
mod flow;
pub(crate) mod hyphenate;
pub(crate) mod linebreak;
mod options;
mod pack;
pub(crate) mod paginate;
mod qr;
pub mod recipe;
mod set;
mod style;
mod table;
pub(crate) mod text;

pub use display::*;
pub use flow::ParagraphStats;
pub use hyphenate::{HYPHEN_MIN_LEFT, HYPHEN_MIN_RIGHT};
pub use linebreak::Align;
pub use options::{Edition, Options, source_date_epoch};
pub use pack::{pack_version, typeset_pack};
pub(crate) use style::Style;
pub use style::body_size;

use crate::model::Notice;
use chrome::{running_footer, running_header};
use flow::Builder;
use paginate::{Content, PagedFlow, Placement, TextLine};
use text::Shaper;

/// The result of typesetting: the display list and how each paragraph was set.
#[derive(Debug, Clone, PartialEq)]
pub struct Typeset {
    pub display: DisplayList,
    pub paragraphs: Vec<ParagraphStats>,
}

/// Builds the display list. The notice must have passed validation.
pub fn layout(notice: &Notice, opts: &Options) -> DisplayList {
    typeset(notice, opts).display
}

/// Builds the display list and the per-paragraph statistics.
pub fn typeset(notice: &Notice, opts: &Options) -> Typeset {
    let style = Style::of(opts.edition);
    let mut b = Builder::new(notice, &style, opts.align);
    b.build();
    let flow = b.paginate();
    let pages = flow.pages();
    // Page 1 has the title block instead of a running header.
    let frames: Vec<Frame> = (0..pages)
        .map(|i| Frame {
            header: (i > 0).then(|| notice.title.clone()),
            footer: crate::sv::updated(notice.updated),
        })
        .collect();
    let meta = DocMeta {
        id: notice.id.clone(),
        title: notice.title.clone(),
        author: notice.publisher.clone(),
        subject: Some(notice.pdf_subject().to_owned()),
        keywords: notice.keywords.clone(),
        language: notice.language.clone(),
        date: opts.date.unwrap_or_else(|| {
            notice
                .updated
                .and_hms_opt(0, 0, 0)
                .expect("midnight exists")
        }),
        creator: format!("notice-pdf {}", env!("CARGO_PKG_VERSION")),
        version: notice.version.clone(),
        attachments: attach::notice(notice, opts),
    };
    assemble(&style, &notice.publisher, flow, &frames, meta)
}

/// The running header and footer of one page.
pub(crate) struct Frame {
    /// The running header's title (right of the publisher), or none on this page.
    pub header: Option<String>,
    /// The footer's left text (a version date).
    pub footer: String,
}

/// Puts a paged flow's items on their pages, with running headers and footers from `frames`
/// (one per page), the outline (nested by level), and internal links resolved to their
/// anchors.
pub(crate) fn assemble(
    style: &Style,
    publisher: &str,
    flow: PagedFlow,
    frames: &[Frame],
    meta: DocMeta,
) -> Typeset {
    let PagedFlow {
        items,
        placed,
        structure,
        stats,
    } = flow;
    let shaper = &mut Shaper;
    let page_count = frames.len();
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
    // Running headers first, so that reading order inside the content stream is natural.
    for (page, frame) in pages.iter_mut().zip(frames) {
        if let Some(title) = &frame.header {
            page.items
                .extend(running_header(publisher, title, style, shaper));
        }
    }
    // Where each anchor landed.
    let anchors: std::collections::BTreeMap<&str, Dest> = items
        .iter()
        .zip(&placed)
        .filter_map(|(l, p)| {
            let a = l.anchor.as_deref()?;
            Some((
                a,
                Dest {
                    page: p.page,
                    y: p.top,
                },
            ))
        })
        .collect();
    let mut outline: Vec<OutlineEntry> = Vec::new();
    // A figure beside the next item and a rule above it are drawn after that item's text.
    let mut after_next: Vec<Item> = Vec::new();
    for (k, (item, place)) in items.iter().zip(&placed).enumerate() {
        let first_on_page = k == 0 || placed[k - 1].page != place.page;
        let page = &mut pages[place.page];
        if let (Some(top), Some(header)) = (place.header, item.repeated_header()) {
            repeat_header(page, header, top);
        }
        match &item.content {
            Content::Line(line) => {
                draw_line(page, line, place, &anchors);
                page.items.append(&mut after_next);
            }
            Content::Image(image) => {
                let mut image = image.clone();
                image.bbox[1] += place.top;
                image.bbox[3] += place.top;
                page.items.push(Item::Image(image));
            }
            Content::Figure(figure) => {
                after_next.push(Item::Figure(figure.clone().shifted(place.top)));
            }
            // Not at the top of a page: under the running head's hairline a rule would read
            // as a printing fault, and the page break already parts the sections.
            Content::Rule { gap } if !first_on_page => {
                let y = place.top - gap;
                after_next.push(Item::Rule(Rule {
                    x0: style.margin_left,
                    y0: y,
                    x1: style.page_width - style.margin_right,
                    y1: y,
                    thickness: 0.6,
                    color: style.accent_color,
                    artifact: ArtifactKind::Layout,
                    marks: RuleMarks::Section,
                }));
            }
            Content::Rule { .. } => {}
        }
        if k + 1 == items.len() || placed[k + 1].page != place.page {
            page.items.append(&mut after_next);
        }
        if let Some(mark) = &item.outline {
            let entry = OutlineEntry {
                title: mark.title.clone(),
                page: place.page,
                y: place.top,
                children: Vec::new(),
            };
            nest(&mut outline, mark.level, entry);
        }
    }
    // Footers last: artifacts at the end of each page's stream.
    for (i, (page, frame)) in pages.iter_mut().zip(frames).enumerate() {
        running_footer(page, &frame.footer, style, shaper, i, page_count);
    }
    Typeset {
        display: DisplayList {
            pages,
            structure,
            outline,
            meta,
        },
        paragraphs: stats,
    }
}

/// Draws a placed line of text: its runs, its links' areas and underlines, the strokes
/// through removed words, and a table row's rules.
fn draw_line(
    page: &mut Page,
    line: &TextLine,
    place: &Placement,
    anchors: &std::collections::BTreeMap<&str, Dest>,
) {
    // A run's `y` is relative to its line's first baseline (a table row's further lines).
    let place = &Placement {
        baseline: snapped(line, place.baseline),
        ..*place
    };
    for run in &line.runs {
        let mut run = run.clone();
        run.y += place.baseline;
        page.items.push(Item::Text(run));
    }
    for (ri, url) in &line.links {
        let run = &line.runs[*ri];
        let (x0, x1) = (run.x, run.x + run.width());
        let Role::Content { node } = run.role else {
            unreachable!("links are content")
        };
        page.items.push(Item::Link(LinkArea {
            rect: [
                x0,
                place.baseline + run.y - line.ascent,
                x1,
                place.baseline + run.y + line.descent,
            ],
            url: url.clone(),
            dest: anchors.get(url.as_str()).copied(),
            text: run.text.trim_end_matches('\u{ad}').to_owned(),
            node,
        }));
        if line.plain_links {
            continue;
        }
        // The underline: decoration, so that colour is not the only sign of a link.
        page.items.push(decoration(
            run,
            place.baseline + run.y + 0.12 * run.size,
            0.06,
        ));
    }
    // Changed words: a line through removed ones, in the words' colour (decoration: the
    // `Span` carries the meaning). Added words are set semibold: an underline would read as a
    // link.
    for (ri, mark) in &line.marks {
        let run = &line.runs[*ri];
        if *mark == Mark::Removed {
            page.items.push(decoration(
                run,
                place.baseline + run.y - 0.28 * run.size,
                0.07,
            ));
        }
    }
    if let Some(table) = &line.table {
        // Under a repeated header, the header's own rule stands above the row.
        let above = table.rule_above.filter(|_| place.header.is_none());
        table_rules(page, table, above, place.top, place.top + line.height());
    }
}

/// The baseline of a table row's first line on a grid of 1/64 pt, so that its further lines
/// (whole multiples of the leading below it) are exactly one leading apart: poppler joins lines
/// into one block only up to 1.5 em apart, the leading of both editions, and a spacing a float
/// rounding over it split a cell in two. Other lines keep their baseline.
fn snapped(line: &TextLine, baseline: f32) -> f32 {
    match line.table {
        Some(_) => (baseline * 64.0).round() / 64.0,
        None => baseline,
    }
}

/// A table's header row repeated at `top` (pt from the page top) of a page it continues on:
/// artifacts, with its rules.
fn repeat_header(page: &mut Page, header: &paginate::RepeatedHeader, top: f32) {
    let mut y = top;
    for l in &header.lines {
        let baseline = snapped(l, y + (l.leading - l.ascent - l.descent) / 2.0 + l.ascent);
        for run in &l.runs {
            let mut run = run.clone();
            run.y += baseline;
            page.items.push(Item::Text(run));
        }
        if let Some(table) = &l.table {
            table_rules(page, table, table.rule_above, y, y + l.height());
        }
        y += l.height();
    }
}

/// A table line's rules: `above` its top and, if it has one, below its `bottom` (pt from the
/// page top), across the table.
fn table_rules(
    page: &mut Page,
    table: &paginate::TableLine,
    above: Option<paginate::TableRule>,
    top: f32,
    bottom: f32,
) {
    let rule = |r: paginate::TableRule, y: f32| {
        Item::Rule(Rule {
            x0: table.left,
            y0: y,
            x1: table.right,
            y1: y,
            thickness: r.thickness,
            color: r.color,
            artifact: ArtifactKind::Layout,
            marks: RuleMarks::Table,
        })
    };
    if let Some(r) = above {
        page.items.push(rule(r, top - r.gap));
    }
    if let Some(r) = table.rule_below {
        page.items.push(rule(r, bottom - r.gap));
    }
}

/// A line under, through or over `run` at `y` (pt from the page top), `thickness` em of its
/// size thick, in its colour: decoration (an artifact), the meaning is in the structure.
fn decoration(run: &TextRun, y: f32, thickness: f32) -> Item {
    Item::Rule(Rule {
        x0: run.x,
        y0: y,
        x1: run.x + run.width(),
        y1: y,
        thickness: thickness * run.size,
        color: run.color,
        artifact: ArtifactKind::Layout,
        marks: RuleMarks::Words,
    })
}

/// Adds `entry` at outline `level` (1 = top): under the last entry one level up, or at the
/// top when there is none.
fn nest(list: &mut Vec<OutlineEntry>, level: u8, entry: OutlineEntry) {
    match list.last_mut() {
        Some(parent) if level > 1 => nest(&mut parent.children, level - 1, entry),
        _ => list.push(entry),
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
