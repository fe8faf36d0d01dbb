//! A pack: notices of a collection as one book. A title page (logo, label, title, the newest
//! date, which notices changed), the contents (each notice with its summary), then each
//! notice a chapter starting on a new page, in the collection's order, the first of each group
//! under the group's title. Page numbers run over the whole pack.
//!
//! What keeps the page numbers right: the title page and the contents are laid out first,
//! their page numbers in a column of fixed width at the right of the measure, so no number can
//! change how the contents break or how many pages they take. The chapters are laid out after
//! them, again while a link to a chapter prints a page ("(sida N)") other than the one its
//! target lands on; their pages then shift by the number of front pages, and every contents
//! entry's number is the page its chapter (or group) starts on.

use std::collections::BTreeMap;

use super::display::*;
use super::flow::Spans;
use super::flow::{Builder, Chapter, anchor};
use super::paginate::{FlowItem, PagedFlow};
use super::style::{BlockStyle, Style};
use super::text::Shaper;
use super::{Frame, Options, Typeset, assemble};
use crate::fonts::FontId;
use crate::model::{Collection, Notice};

/// The width kept for page numbers at the right of the contents, in ems of the entry's size.
const NUMBER_COLUMN_EMS: f32 = 2.5;

/// A contents entry waiting for its page number.
struct Entry {
    /// Its `TOCI` structure node.
    item: usize,
    /// Its last line (in the front matter's flow), where the leaders and number go.
    line: usize,
    /// Its `Link` structure node, and the anchor it leads to.
    link: usize,
    target: String,
    style: BlockStyle,
}

/// A group of the collection with its notices in the pack.
struct Group<'a> {
    /// Its index in the collection (its anchor).
    index: usize,
    title: &'a str,
    members: Vec<&'a Notice>,
}

/// The chapters laid out on pages, and where each notice starts.
struct Chapters<'a> {
    flow: PagedFlow,
    /// Each chapter's notice and first item.
    starts: Vec<(&'a Notice, usize)>,
    /// A link to a chapter printed its page ("(sida N)").
    page_refs: bool,
}

impl Chapters<'_> {
    /// The printed page of every anchor in the chapters, when `front_pages` pages precede them.
    fn anchor_pages(&self, front_pages: usize) -> BTreeMap<String, usize> {
        self.flow
            .items
            .iter()
            .zip(&self.flow.placed)
            .filter_map(|(l, p)| Some((l.anchor.clone()?, front_pages + p.page + 1)))
            .collect()
    }
}

/// The title page and the contents laid out on pages, the entries waiting for their page
/// numbers.
struct Front {
    flow: PagedFlow,
    entries: Vec<Entry>,
}

/// Layouts of the chapters at most, before the pages their links print are the pages their
/// targets land on (two in practice: a number's width rarely moves a page break).
const MAX_CHAPTER_LAYOUTS: usize = 8;

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
    let groups: Vec<Group> = collection
        .groups
        .iter()
        .enumerate()
        .map(|(index, group)| Group {
            index,
            title: &group.title,
            members: group
                .notices
                .iter()
                .filter_map(|id| selected.iter().find(|n| n.id == *id).copied())
                .collect(),
        })
        .filter(|g| !g.members.is_empty())
        .collect();

    let mut front = front_matter(collection, selected, &groups, s, opts.align);
    let front_pages = front.flow.pages();

    // The chapters, laid out again while a link to a chapter prints a page other than the one
    // the chapter starts on.
    let mut pages = BTreeMap::new();
    let mut ch = chapters(&groups, selected, &ids, all, &pages, s, opts.align);
    for _ in 1..MAX_CHAPTER_LAYOUTS {
        let found = ch.anchor_pages(front_pages);
        if !ch.page_refs || found == pages {
            break;
        }
        pages = found;
        ch = chapters(&groups, selected, &ids, all, &pages, s, opts.align);
    }
    let anchor_pages = ch.anchor_pages(front_pages);
    for e in &front.entries {
        page_number(&mut front.flow, s, e, anchor_pages[&e.target]);
    }
    let newest = selected.iter().map(|n| n.updated).max().expect("not empty");
    let ch_pages = ch.flow.pages();
    let frames = frames(collection, newest, front_pages, &ch);

    // One flow: the front matter, then the chapters.
    let mut flow = front.flow;
    flow.append(ch.flow);

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
    debug_assert_eq!(frames.len(), front_pages + ch_pages);
    assemble(s, &collection.publisher, flow, &frames, meta)
}

/// Running heads: none on the title page or where a chapter starts; the pack's title over the
/// contents, the chapter's title over its other pages. Each page's footer dates it.
fn frames(
    collection: &Collection,
    newest: chrono::NaiveDate,
    front_pages: usize,
    ch: &Chapters,
) -> Vec<Frame> {
    let mut frames: Vec<Frame> = (0..front_pages)
        .map(|i| Frame {
            header: (i > 0).then(|| collection.title.clone()),
            footer: crate::sv::updated(newest),
        })
        .collect();
    let placed = &ch.flow.placed;
    for page in 0..ch.flow.pages() {
        let (n, first) = ch
            .starts
            .iter()
            .rev()
            .find(|(_, first)| placed[*first].page <= page)
            .expect("the first chapter starts on the first page");
        frames.push(Frame {
            header: (placed[*first].page != page).then(|| n.title.clone()),
            footer: crate::sv::updated(n.updated),
        });
    }
    frames
}
/// The title page and the contents of a pack of `groups`: the title block, then the contents
/// on the same page where they fit (the chapters' titles give each notice's date and
/// version), laid out and paginated; the entries' page numbers come when the chapters' pages
/// are known.
fn front_matter(
    collection: &Collection,
    selected: &[&Notice],
    groups: &[Group],
    s: &Style,
    align: super::Align,
) -> Front {
    let newest = selected.iter().map(|n| n.updated).max().expect("not empty");
    let mut f = Builder::new(selected[0], s, align);
    f.root = Some(f.node(StructKind::Sect, None));
    let title_block = f.items.len();
    if let Some((logo, picture)) = collection.logo() {
        f.logo(logo, picture);
    }
    let label = f.node(StructKind::Paragraph, None);
    let gap = if f.items.is_empty() {
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
    if let Some(changed) =
        crate::sv::pack_changed(&crate::model::changes::changed_notices(selected))
    {
        let node = f.node(StructKind::Paragraph, None);
        f.paragraph(&changed, s.meta, node, 0.0, 0.0);
    }
    for l in &mut f.items[title_block + 1..] {
        l.breaks.no_break_before = true;
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
    for group in groups {
        let gap = if entries.is_empty() {
            s.para_gap
        } else {
            s.para_gap * 2.0
        };
        entries.push(contents_entry(
            &mut f,
            toc,
            group.title,
            group_style,
            0.0,
            group_anchor(group.index),
            gap,
        ));
        for n in &group.members {
            let changed = n.changed().then_some(n.updated);
            let entry = contents_entry(
                &mut f,
                toc,
                &crate::sv::contents_entry(&n.title, changed),
                notice_style,
                s.list_indent,
                anchor(&n.id, None),
                s.answer_gap,
            );
            contents_summary(&mut f, &entry, &n.summary, s.list_indent);
            entries.push(entry);
        }
    }
    Front {
        flow: f.paginate(),
        entries,
    }
}

/// Lays out each group's notices as chapters, each on a new page, the first of a group under
/// the group's title; links to chapters print the pages in `pages`.
fn chapters<'a>(
    groups: &[Group<'a>],
    selected: &[&'a Notice],
    ids: &'a [&'a str],
    all: &'a [&'a Notice],
    pages: &'a BTreeMap<String, usize>,
    s: &'a Style,
    align: super::Align,
) -> Chapters<'a> {
    let mut ch = Builder::new(selected[0], s, align);
    ch.pack = Some(Chapter {
        selected: ids,
        all,
        pages,
    });
    let mut starts = Vec::new();
    for group in groups {
        ch.root = None;
        let part = ch.node(StructKind::Part, None);
        let heading = ch.node(
            StructKind::Heading {
                level: 1,
                text: group.title.to_owned(),
            },
            Some(part),
        );
        let group_first = ch.items.len();
        ch.heading(group.title, s.label, heading, Some(1), None);
        ch.items[group_first].anchor = Some(group_anchor(group.index));
        for (k, &n) in group.members.iter().enumerate() {
            let first = if k == 0 { group_first } else { ch.items.len() };
            ch.root = None;
            let sect = ch.node(StructKind::Sect, Some(part));
            ch.root = Some(sect);
            ch.notice = n;
            ch.build();
            ch.items[first].breaks.page_break_before = true;
            starts.push((n, first));
        }
    }
    Chapters {
        page_refs: ch.page_refs,
        flow: ch.paginate(),
        starts,
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
    let first = f.items.len();
    f.right_indent = NUMBER_COLUMN_EMS * st.size + st.size;
    let spans = Spans {
        links: vec![(0..text.len(), link, target.clone())],
        ..Spans::default()
    };
    f.paragraph_in(text, st, link, indent, gap, &spans);
    f.right_indent = 0.0;
    for l in f.items[first..].iter_mut().filter_map(FlowItem::line_mut) {
        l.plain_links = true;
        for run in &mut l.runs {
            run.color = s.color(st.ink);
        }
    }
    for l in &mut f.items[first + 1..] {
        l.breaks.no_break_before = true;
    }
    Entry {
        item,
        line: f.items.len() - 1,
        link,
        target,
        style: st,
    }
}

/// Sets a notice's summary under its contents entry, in the entry's `TOCI` (a `P`), clear of
/// the number column and kept with the entry.
fn contents_summary(f: &mut Builder, e: &Entry, summary: &str, indent: f32) {
    let st = BlockStyle {
        hyphenate: false,
        ragged: true,
        ..f.style.meta
    };
    let p = f.node(StructKind::Paragraph, Some(e.item));
    let first = f.items.len();
    f.right_indent = NUMBER_COLUMN_EMS * e.style.size + e.style.size;
    f.paragraph(summary, st, p, indent, 0.0);
    f.right_indent = 0.0;
    for l in &mut f.items[first..] {
        l.breaks.no_break_before = true;
    }
}

/// Adds the leaders (dots on a grid shared by every entry, an artifact) and the page number
/// (right-aligned, part of the link) to an entry's last line.
fn page_number(f: &mut PagedFlow, s: &Style, e: &Entry, page: usize) {
    let st = e.style;
    let number = page.to_string();
    let mut shaper = Shaper;
    let glyphs = shaper.glyphs(st.font, st.size, &number, 0);
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
    let line = f.items[e.line]
        .line_mut()
        .expect("a contents entry ends in a line of text");
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
        let mut glyphs = shaper.glyphs(FontId::Regular, st.size, &dots, 0);
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
