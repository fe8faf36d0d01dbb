//! Typesetting: from a validated [`Notice`] to a [`DisplayList`].
//!
//! Paragraphs are broken into lines with total fit ([`linebreak`]), then the stream of lines
//! is paginated on A4 with these rules: a heading is never the last thing on a page (it keeps
//! with at least two lines of what follows), no paragraph leaves a single line at the foot or
//! head of a page (orphans, widows), and a question whose answer takes at most four lines is
//! never split. Every page gets the running header (publisher, title) and the footer
//! "Sida X av Y". No I/O, no clock: the same input gives the same display list.

mod chrome;
pub mod display;
mod edition;
mod flow;
pub(crate) mod linebreak;
pub(crate) mod paginate;
mod qr;
mod style;
pub(crate) mod text;

pub use display::*;
pub use edition::{Edition, Options};
pub use flow::ParagraphStats;
pub use linebreak::Align;
pub(crate) use style::Style;
pub use text::{HYPHEN_MIN_LEFT, HYPHEN_MIN_RIGHT};

use crate::model::Notice;
use chrome::{running_footer, running_header};
use flow::Builder;
use paginate::Paginator;
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
    // Running header first, so that reading order inside the content stream is natural. Page 1
    // has the title block instead.
    let header = running_header(notice, &style, &mut shaper);
    for page in pages.iter_mut().skip(1) {
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
        for (ri, url) in &line.links {
            let run = &line.runs[*ri];
            let (x0, x1) = (run.x, run.x + run.width());
            let Role::Content { node } = run.role else {
                unreachable!("links are content")
            };
            page.items.push(Item::Link(LinkArea {
                rect: [
                    x0,
                    place.baseline - line.ascent,
                    x1,
                    place.baseline + line.descent,
                ],
                url: url.clone(),
                text: run.text.trim_end_matches('\u{ad}').to_owned(),
                node,
            }));
            // The underline: decoration, so that colour is not the only sign of a link.
            let y = place.baseline + 0.12 * run.size;
            page.items.push(Item::Rule(Rule {
                x0,
                y0: y,
                x1,
                y1: y,
                thickness: 0.06 * run.size,
                color: run.color,
                artifact: ArtifactKind::Layout,
            }));
        }
        if let Some(image) = &line.image {
            let mut image = image.clone();
            image.bbox[1] += place.top;
            image.bbox[3] += place.top;
            page.items.push(Item::Image(image));
        }
        if let Some(figure) = &line.figure {
            page.items
                .push(Item::Figure(figure.clone().shifted(place.top)));
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
            version: notice.version.clone(),
        },
    };
    Typeset {
        display,
        paragraphs: stats,
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
