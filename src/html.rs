//! The HTML alternative: a notice, or a pack, as one self-contained, semantic HTML file (the
//! same text as the PDF; headings, lists and links; `lang`; print CSS; no script). Built with
//! maud, which escapes every inserted value, from the model through its one walk.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::model::rich::{self, Block, Inline, Target};
use crate::model::{Collection, Notice, Step, TextKind, Which, walk};
use crate::sv;

/// The style sheet inside every file (screen and print).
pub const CSS: &str = include_str!("html.css");

/// How a `notice:` link is written: inside a pack, to its chapter; alone, to the notice's own
/// address (or as plain text).
#[derive(Clone, Copy)]
enum Links<'a> {
    Alone(&'a Notice),
    Pack {
        selected: &'a [&'a Notice],
        all: &'a [&'a Notice],
    },
}

/// One notice as HTML.
pub fn notice(n: &Notice) -> String {
    page(
        &n.language,
        &format!("{} – {}", n.title, label(n)),
        html! { (body(n, Links::Alone(n), 1)) },
    )
}

/// The notices `selected` of a collection (in its order) as one HTML file with contents.
pub fn pack(c: &Collection, selected: &[&Notice], all: &[&Notice]) -> String {
    let links = Links::Pack { selected, all };
    let newest = selected.iter().map(|n| n.updated).max();
    let content = html! {
        header.title {
            p.label { (c.label) }
            h1 { (c.title) }
            @if let Some(d) = newest {
                p.meta { (sv::pack_line(&c.publisher, d)) }
            }
        }
        nav aria-labelledby="innehall" {
            h2 #innehall { (sv::CONTENTS) }
            ul.contents {
                @for g in &c.groups {
                    @let members: Vec<&&Notice> = selected.iter().filter(|n| g.notices.contains(&n.id)).collect();
                    @if !members.is_empty() {
                        li {
                            (g.title)
                            ul {
                                @for n in members {
                                    li { a href={ "#" (anchor(&n.id, None)) } { (n.title) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @for n in selected {
            article.chapter aria-labelledby=(anchor(&n.id, None)) {
                @if let Some(g) = c.groups.iter().find(|g| g.notices.contains(&n.id)) {
                    p.group { (g.title) }
                }
                (body(n, links, 2))
            }
        }
    };
    page(&c.language, &format!("{} – {}", c.title, c.label), content)
}

fn label(n: &Notice) -> &str {
    n.label.as_deref().unwrap_or("Integritetsinformation")
}

fn page(lang: &str, title: &str, content: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                main { (content) }
            }
        }
    }
    .into_string()
}

/// The id of a notice's chapter, or of one of its sections.
fn anchor(id: &str, section: Option<&str>) -> String {
    match section {
        Some(s) => format!("{id}--{s}"),
        None => id.to_owned(),
    }
}

/// A notice's title block and sections, its title at heading `level` (sections one deeper,
/// questions two).
fn body(n: &Notice, links: Links, level: u8) -> Markup {
    // The walk gives the notice's texts in order; they are collected into sections and items.
    struct Item<'a> {
        question: &'a str,
        blocks: Vec<&'a str>,
    }
    struct Section<'a> {
        id: &'a str,
        heading: &'a str,
        blocks: Vec<Vec<&'a str>>,
        items: Vec<Item<'a>>,
    }
    let mut sections: Vec<Section> = Vec::new();
    let mut note = None;
    let mut list: Option<Vec<&str>> = None;
    walk(n, Which::Printed, &mut |_, step| match step {
        Step::Section(s) => sections.push(Section {
            id: &s.id,
            heading: &s.heading,
            blocks: Vec::new(),
            items: Vec::new(),
        }),
        Step::Item(i) => {
            if let Some(s) = sections.last_mut() {
                s.items.push(Item {
                    question: &i.question,
                    blocks: Vec::new(),
                });
            }
        }
        Step::List { .. } => list = Some(Vec::new()),
        Step::ListEnd => {
            let entries = list.take().unwrap_or_default();
            if let Some(s) = sections.last_mut() {
                match s.items.last_mut() {
                    Some(item) => item.blocks.extend(entries),
                    None => s.blocks.push(entries),
                }
            }
        }
        Step::Text { kind, text } => match kind {
            TextKind::ListEntry => list.get_or_insert_with(Vec::new).push(text),
            TextKind::Paragraph => {
                if let Some(s) = sections.last_mut() {
                    match s.items.last_mut() {
                        Some(item) => item.blocks.push(text),
                        None => s.blocks.push(vec![text]),
                    }
                }
            }
            TextKind::UpdatedNote => note = Some(text),
            TextKind::Label | TextKind::Title | TextKind::Heading | TextKind::Question => {}
        },
        Step::Logo(_) | Step::SectionEnd(_) | Step::ItemEnd(_) => {}
    });
    let h = heading;
    html! {
        header.title {
            @if level == 1 {
                p.label { (label(n)) }
            }
            (h(level, Some(anchor(&n.id, None)), &n.title))
            p.meta { (sv::version_line(n)) }
        }
        @for s in &sections {
            section aria-labelledby=(anchor(&n.id, Some(s.id))) {
                (h(level + 1, Some(anchor(&n.id, Some(s.id))), s.heading))
                @for b in &s.blocks {
                    @if b.len() == 1 {
                        (running(b[0], links))
                    } @else {
                        ul { @for e in b { li { (running(e, links)) } } }
                    }
                }
                @for item in &s.items {
                    (h(level + 2, None, item.question))
                    @for b in &item.blocks {
                        (running(b, links))
                    }
                }
            }
        }
        @if let Some(note) = note {
            p.note { (note) }
        }
        (changes(n, level + 1))
        @if let Some(url) = &n.source_url {
            p.note {
                (sv::CURRENT_VERSION_AT) " "
                a href=(url) { (url) }
            }
        }
    }
}

/// "Vad har ändrats sedan …", as in the PDF: its heading at `level`, each changed section's
/// one deeper, removed words in `del` and added ones in `ins` (the style sheet gives each a
/// text equivalent for screen readers); nothing when the notice has no previous version or
/// its printed text is the same.
fn changes(n: &Notice, level: u8) -> Markup {
    use crate::model::changes::{self as ch, What, Word};
    let Some(previous) = n.previous.as_deref() else {
        return html! {};
    };
    let all = ch::changes(previous, n);
    if all.is_empty() {
        return html! {};
    }
    let id = format!("{}--andringar", n.id);
    let mut sections: Vec<(&str, Vec<&ch::Change>)> = Vec::new();
    for c in &all {
        match sections.last_mut() {
            Some((s, list)) if *s == c.section => list.push(c),
            _ => sections.push((&c.section, vec![c])),
        }
    }
    html! {
        section.changes aria-labelledby=(id) {
            (heading(level, Some(id.clone()), &sv::changes_heading(previous.updated)))
            p { (sv::changes_intro(previous)) }
            @for (section, list) in &sections {
                (heading(level + 1, None, section))
                @for c in list {
                    @let label = match c.what {
                        What::Added(_) => sv::CHANGE_ADDED,
                        What::Removed(_) => sv::CHANGE_REMOVED,
                        What::Reworded(_) => sv::CHANGE_REWORDED,
                    };
                    p.change { (c.question.as_deref().unwrap_or(sv::SECTION_TEXT)) " – " (label) }
                    p.words {
                        @for w in ch::readable(&c.what) {
                            @match w {
                                Word::Same(t) => (t),
                                Word::Added(t) => ins { (t) },
                                Word::Removed(t) => del { (t) },
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A heading at `level` (1–6), with an id to link to.
fn heading(level: u8, id: Option<String>, text: &str) -> Markup {
    let id = id.as_deref();
    match level {
        1 => html! { h1 id=[id] { (text) } },
        2 => html! { h2 id=[id] { (text) } },
        3 => html! { h3 id=[id] { (text) } },
        4 => html! { h4 id=[id] { (text) } },
        5 => html! { h5 id=[id] { (text) } },
        _ => html! { h6 id=[id] { (text) } },
    }
}

/// Running text: its paragraphs and lists.
fn running(src: &str, links: Links) -> Markup {
    let blocks = rich::parse(src)
        .unwrap_or_else(|_| vec![Block::Paragraph(vec![Inline::Text(src.to_owned())])]);
    blocks_html(&blocks, links)
}

fn blocks_html(blocks: &[Block], links: Links) -> Markup {
    html! {
        @for b in blocks {
            @match b {
                Block::Paragraph(inlines) => p { (inlines_html(inlines, links)) },
                Block::List { start: None, items } => ul {
                    @for i in items { li { (blocks_html(i, links)) } }
                },
                Block::List { start: Some(n), items } => ol start=(n) {
                    @for i in items { li { (blocks_html(i, links)) } }
                },
                Block::Table(t) => (table_html(t, links)),
            }
        }
    }
}

/// A table in a scroll container of its own (named after its columns, reachable by keyboard),
/// so that a narrow screen scrolls the table and never the page. One HTML file serves both
/// editions: the large-print PDF's table set a block per row is tagged as this same table.
fn table_html(t: &rich::Table, links: Links) -> Markup {
    let headings: Vec<String> = t.head.iter().map(|h| rich::plain(h)).collect();
    html! {
        div.table role="region" tabindex="0" aria-label=(sv::table_label(&headings)) {
            table {
                thead { tr { @for h in &t.head { th scope="col" { (inlines_html(h, links)) } } } }
                tbody {
                    @for row in &t.rows {
                        tr { @for c in row { td { (inlines_html(c, links)) } } }
                    }
                }
            }
        }
    }
}

fn inlines_html(inlines: &[Inline], links: Links) -> Markup {
    html! {
        @for i in inlines {
            @match i {
                Inline::Text(t) => (t),
                Inline::Break => br;,
                Inline::Emph(c) => em { (inlines_html(c, links)) },
                Inline::Strong(c) => strong { (inlines_html(c, links)) },
                Inline::Link { target, content } => {
                    @match href(target, links) {
                        Some(h) => a href=(h) { (inlines_html(content, links)) },
                        None => (inlines_html(content, links)),
                    }
                }
            }
        }
    }
}

/// Where a link leads in this file: as in the PDF.
fn href(target: &Target, links: Links) -> Option<String> {
    match (target, links) {
        (Target::Url(u), _) => Some(u.clone()),
        (Target::Notice { id, section }, Links::Pack { selected, all }) => {
            if selected.iter().any(|n| n.id == *id) {
                Some(format!("#{}", anchor(id, section.as_deref())))
            } else {
                all.iter()
                    .find(|n| n.id == *id)
                    .and_then(|n| n.source_url.clone())
            }
        }
        (Target::Notice { id, .. }, Links::Alone(n)) if *id == n.id => n.source_url.clone(),
        (Target::Notice { .. }, Links::Alone(_)) => None,
    }
}
