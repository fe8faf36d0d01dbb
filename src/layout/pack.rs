//! A pack: notices of a collection as one book. A title page (logo, label, title, the newest
//! date and which notices it holds, each with its version), the contents, then each notice a
//! chapter starting on a new page, in the collection's order, the first of each group under
//! the group's title. Page numbers run over the whole pack.
//!
//! The invariant that keeps the contents right the first time: the chapters are laid out
//! once, before the contents; the contents' page numbers stand in a column of fixed width at
//! the right of the measure, so no number can change how the contents break or how many pages
//! they take; the chapters' pages then shift by the number of front pages, and every contents
//! entry's number is the page its chapter (or group) starts on. Nothing is laid out twice.

use super::display::*;
use super::flow::Spans;
use super::flow::{Builder, Chapter, anchor};
use super::paginate::{FlowLine, Paginator, Placement};
use super::style::{BlockStyle, Style};
use super::{Frame, Options, Typeset, assemble};
use crate::fonts::FontId;
use crate::model::{Collection, Notice};

/// The width kept for page numbers at the right of the contents, in ems of the entry's size.
const NUMBER_COLUMN_EMS: f32 = 2.5;

/// A contents entry waiting for its page number.
struct Entry {
    /// Its last line (in the front matter's flow), where the leaders and number go.
    line: usize,
    /// Its `Link` structure node, and the anchor it leads to.
    link: usize,
    target: String,
    style: BlockStyle,
}

/// Lays out the notices `selected` (in the collection's order, at least one) as one pack.
/// `all` holds every notice of the collection: a link to one outside the pack leads to its
/// address online.
pub fn typeset_pack(
    collection: &Collection,
    selected: &[&Notice],
    all: &[&Notice],
    opts: &Options,
) -> Typeset {
    assert!(!selected.is_empty(), "a pack holds at least one notice");
    let style = Style::of(opts.edition);
    let s = &style;
    let ids: Vec<&str> = selected.iter().map(|n| n.id.as_str()).collect();

    // The chapters, laid out once. `chapters`: each chapter's notice and first line.
    let mut ch = Builder::new(selected[0], s, opts.align);
    ch.pack = Some(Chapter {
        selected: &ids,
        all,
    });
    let mut chapters: Vec<(&Notice, usize)> = Vec::new();
    for (gi, group) in collection.groups.iter().enumerate() {
        let members: Vec<&Notice> = group
            .notices
            .iter()
            .filter_map(|id| selected.iter().find(|n| n.id == *id).copied())
            .collect();
        if members.is_empty() {
            continue;
        }
        ch.root = None;
        let part = ch.node(StructKind::Part, None);
        let heading = ch.node(
            StructKind::Heading {
                level: 1,
                text: group.title.clone(),
            },
            Some(part),
        );
        let group_first = ch.lines.len();
        ch.heading(&group.title, s.label, heading, Some(1), None);
        ch.lines[group_first].anchor = Some(group_anchor(gi));
        for (k, &n) in members.iter().enumerate() {
            let first = if k == 0 { group_first } else { ch.lines.len() };
            ch.root = None;
            let sect = ch.node(StructKind::Sect, Some(part));
            ch.root = Some(sect);
            ch.notice = n;
            ch.build();
            ch.lines[first].page_break_before = true;
            chapters.push((n, first));
        }
    }
    let ch_placed = Paginator::new(s.text_top, s.text_bottom).paginate(&ch.lines);
    let ch_pages = ch_placed.last().map_or(1, |p| p.page + 1);
    let anchor_page = |key: &str| -> usize {
        let line = ch
            .lines
            .iter()
            .position(|l| l.anchor.as_deref() == Some(key))
            .expect("every contents entry has its anchor");
        ch_placed[line].page
    };

    // The title page and the contents.
    let newest = selected.iter().map(|n| n.updated).max().expect("not empty");
    let mut f = Builder::new(selected[0], s, opts.align);
    f.root = Some(f.node(StructKind::Sect, None));
    let title_block = f.lines.len();
    if let Some((logo, picture)) = collection.logo() {
        f.logo(logo, picture);
    }
    let label = f.node(StructKind::Paragraph, None);
    let gap = if f.lines.is_empty() {
        0.0
    } else {
        s.para_gap * 2.0
    };
    f.paragraph(&collection.label, s.label, label, 0.0, gap);
    let h1 = f.node(
        StructKind::Heading {
            level: 1,
            text: collection.title.clone(),
        },
        None,
    );
    f.heading(&collection.title, s.title, h1, None, None);
    let meta = f.node(StructKind::Paragraph, None);
    let line = crate::sv::pack_line(&collection.publisher, newest);
    f.paragraph(&line, s.meta, meta, 0.0, s.meta.space_before);
    for l in &mut f.lines[title_block + 1..] {
        l.no_break_before = true;
    }
    f.root = None;
    let toc_sect = f.node(StructKind::Sect, None);
    f.root = Some(toc_sect);
    let h = f.node(
        StructKind::Heading {
            level: 1,
            text: crate::sv::CONTENTS.to_owned(),
        },
        None,
    );
    // The contents follow the title block on its page where they fit (the chapters' titles
    // give each notice's date and version).
    f.heading(crate::sv::CONTENTS, s.h2, h, Some(1), None);
    let toc = f.node(StructKind::Toc, None);
    let group_style = BlockStyle {
        font: FontId::SemiBold,
        hyphenate: false,
        ragged: true,
        ..s.body
    };
    let notice_style = BlockStyle {
        hyphenate: false,
        ragged: true,
        ..s.body
    };
    let mut entries = Vec::new();
    for (gi, group) in collection.groups.iter().enumerate() {
        let members: Vec<&&Notice> = chapters
            .iter()
            .map(|(n, _)| n)
            .filter(|n| group.notices.contains(&n.id))
            .collect();
        if members.is_empty() {
            continue;
        }
        let gap = if entries.is_empty() {
            s.para_gap
        } else {
            s.para_gap * 2.0
        };
        let target = group_anchor(gi);
        entries.push(contents_entry(
            &mut f,
            toc,
            &group.title,
            group_style,
            0.0,
            target,
            gap,
        ));
        for n in members {
            entries.push(contents_entry(
                &mut f,
                toc,
                &n.title,
                notice_style,
                s.list_indent,
                anchor(&n.id, None),
                s.answer_gap,
            ));
        }
    }
    let f_placed = Paginator::new(s.text_top, s.text_bottom).paginate(&f.lines);
    let front_pages = f_placed.last().map_or(1, |p| p.page + 1);
    for e in &entries {
        let page = front_pages + anchor_page(&e.target) + 1;
        page_number(&mut f, s, e, page);
    }

    // One flow: the front matter, then the chapters, their nodes after the front's.
    let offset = f.structure.len();
    let mut structure = std::mem::take(&mut f.structure);
    structure.extend(ch.structure.iter().cloned().map(|mut node| {
        node.parent = node.parent.map(|p| p + offset);
        node
    }));
    let mut lines = std::mem::take(&mut f.lines);
    lines.extend(ch.lines.iter().cloned().map(|l| renumbered(l, offset)));
    let mut placed: Vec<Placement> = f_placed;
    placed.extend(ch_placed.iter().map(|p| Placement {
        page: p.page + front_pages,
        ..*p
    }));
    let mut paragraphs = std::mem::take(&mut f.stats);
    paragraphs.extend(ch.stats.iter().cloned().map(|mut p| {
        p.node += offset;
        p
    }));

    // Running heads: none on the title page or where a chapter starts; the pack's title over
    // the contents, the chapter's title over its other pages. Each page's footer dates it.
    let mut frames: Vec<Frame> = (0..front_pages)
        .map(|i| Frame {
            header: (i > 0).then(|| collection.title.clone()),
            footer: crate::sv::updated(newest),
        })
        .collect();
    for page in 0..ch_pages {
        let (n, first) = chapters
            .iter()
            .rev()
            .find(|(_, first)| ch_placed[*first].page <= page)
            .expect("the first chapter starts on the first page");
        frames.push(Frame {
            header: (ch_placed[*first].page != page).then(|| n.title.clone()),
            footer: crate::sv::updated(n.updated),
        });
    }

    let meta = DocMeta {
        id: crate::sv::PACK_ID.to_owned(),
        title: collection.title.clone(),
        author: collection.publisher.clone(),
        subject: Some(collection.label.clone()),
        keywords: Vec::new(),
        language: collection.language.clone(),
        date: opts
            .date
            .unwrap_or_else(|| newest.and_hms_opt(0, 0, 0).expect("midnight exists")),
        creator: format!("notice-pdf {}", env!("CARGO_PKG_VERSION")),
        version: Some(pack_version(selected)),
        attachments: super::attach::pack(collection, selected, all, opts),
    };
    let mut shaper = f.shaper;
    let display = assemble(
        s,
        &mut shaper,
        &collection.publisher,
        &lines,
        &placed,
        structure,
        &frames,
        meta,
    );
    Typeset {
        display,
        paragraphs,
    }
}

/// The anchor of group `i`'s title.
fn group_anchor(i: usize) -> String {
    format!("group:{i}")
}

/// The version id of a pack: the first 8 hex digits of the SHA-256 of its notices' ids and
/// version ids, one `id version` line each, in the pack's order.
pub fn pack_version(selected: &[&Notice]) -> crate::VersionId {
    let lines: String = selected
        .iter()
        .map(|n| format!("{} {}\n", n.id, n.version.as_deref().unwrap_or("-")))
        .collect();
    crate::VersionId::of(lines.as_bytes())
}

/// Sets one contents entry (`TOCI` > `Reference` > `Link`): its text, broken within the measure
/// less the number column, kept on one page; the leaders and number come when pages are known.
fn contents_entry(
    f: &mut Builder,
    toc: usize,
    text: &str,
    st: BlockStyle,
    indent: f32,
    target: String,
    gap: f32,
) -> Entry {
    let s = f.style;
    let item = f.node(StructKind::TocItem, Some(toc));
    let reference = f.node(StructKind::Reference, Some(item));
    let link = f.node(
        StructKind::Link {
            url: target.clone(),
        },
        Some(reference),
    );
    let first = f.lines.len();
    f.right_indent = NUMBER_COLUMN_EMS * st.size + st.size;
    let spans = Spans {
        links: vec![(0..text.len(), link, target.clone())],
        ..Spans::default()
    };
    f.paragraph_in(text, st, link, indent, gap, &spans);
    f.right_indent = 0.0;
    for l in &mut f.lines[first..] {
        l.plain_links = true;
        for run in &mut l.runs {
            run.color = s.color(st.ink);
        }
    }
    for l in &mut f.lines[first + 1..] {
        l.no_break_before = true;
    }
    Entry {
        line: f.lines.len() - 1,
        link,
        target,
        style: st,
    }
}

/// Adds the leaders (dots on a grid shared by every entry, an artifact) and the page number
/// (right-aligned, part of the link) to an entry's last line.
fn page_number(f: &mut Builder, s: &Style, e: &Entry, page: usize) {
    let st = e.style;
    let number = page.to_string();
    let glyphs = f.shaper.glyphs(st.font, st.size, &number, 0);
    let width: f32 = glyphs.iter().map(|g| g.x_advance).sum();
    let right = s.margin_left + s.measure();
    let number_run = TextRun {
        font: st.font,
        size: st.size,
        x: right - width,
        y: 0.0,
        color: s.color(st.ink),
        text: number.clone(),
        glyphs,
        role: Role::Content { node: e.link },
    };
    let line = &mut f.lines[e.line];
    let end = line
        .runs
        .iter()
        .map(|r| r.x + r.width())
        .fold(s.margin_left, f32::max);
    // Dots every half em, on a grid from the left margin, clear of the text and the number.
    let pitch = st.size * 0.5;
    let from = ((end + pitch - s.margin_left) / pitch).ceil() * pitch + s.margin_left;
    let to = right - width - pitch;
    if to > from {
        let count = ((to - from) / pitch).floor() as usize;
        let dots = ".".repeat(count);
        let mut glyphs = f.shaper.glyphs(FontId::Regular, st.size, &dots, 0);
        for g in &mut glyphs {
            g.x_advance = pitch;
        }
        line.runs.push(TextRun {
            font: FontId::Regular,
            size: st.size,
            x: from,
            y: 0.0,
            color: s.muted_color,
            text: dots,
            glyphs,
            role: Role::Artifact(ArtifactKind::Layout),
        });
    }
    line.links.push((line.runs.len(), e.target.clone()));
    line.runs.push(number_run);
}

/// A chapter line with its structure nodes moved by `offset` (the front matter's nodes).
fn renumbered(mut l: FlowLine, offset: usize) -> FlowLine {
    for run in &mut l.runs {
        if let Role::Content { node } = &mut run.role {
            *node += offset;
        }
    }
    if let Some(image) = &mut l.image {
        image.node += offset;
    }
    if let Some(figure) = &mut l.figure {
        figure.node += offset;
    }
    l
}
