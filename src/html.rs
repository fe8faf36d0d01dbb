//! The HTML alternative: a notice, or a pack, as one self-contained, semantic HTML file (the
//! same text as the PDF; headings, lists and links; `lang`; print CSS; no script). Built with
//! maud, which escapes every inserted value, from the model through its one walk.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::model::rich::{self, Block, Inline, Target};
use crate::model::{Collection, Dest, Notice, Part, Scope, Text};
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
    // The groups that hold a notice of the selection, with those notices, in order: each a
    // part of the pack with its heading, as in the PDF.
    let groups: Vec<(usize, &crate::model::Group, Vec<&Notice>)> = c
        .groups
        .iter()
        .enumerate()
        .map(|(gi, g)| {
            let members = selected
                .iter()
                .copied()
                .filter(|n| g.notices.contains(&n.id))
                .collect::<Vec<_>>();
            (gi, g, members)
        })
        .filter(|(_, _, members)| !members.is_empty())
        .collect();
    let content = html! {
        header.title {
            @if let Some((logo, picture)) = c.logo() {
                (logo_html(logo, picture))
            }
            p.label { (c.label) }
            h1 { (c.title) }
            @if let Some(d) = newest {
                p.meta { (sv::pack_line(&c.publisher, d)) }
            }
            @if let Some(changed) = sv::pack_changed(&crate::model::changes::changed_notices(selected)) {
                p.meta { (changed) }
            }
        }
        nav aria-labelledby="innehall" {
            h1 #innehall { (sv::CONTENTS) }
            ul.contents {
                @for (gi, g, members) in &groups {
                    li.group-entry { a href={ "#" (group_id(*gi)) } { (g.title) } }
                    @for n in members {
                        li {
                            a href={ "#" (anchor(&n.id, None)) } {
                                (sv::contents_entry(&n.title, n.changed().then_some(n.updated)))
                            }
                            p.summary { (n.summary) }
                        }
                    }
                }
            }
        }
        @for (gi, g, members) in &groups {
            section.part aria-labelledby=(group_id(*gi)) {
                h1.group id=(group_id(*gi)) { (g.title) }
                @for n in members {
                    article.chapter aria-labelledby=(anchor(&n.id, None)) {
                        (body(n, links, 2))
                    }
                }
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

/// The id of the `i`th group's part of a pack.
fn group_id(i: usize) -> String {
    format!("grupp-{i}")
}

/// The id of a notice's chapter, or of one of its sections.
fn anchor(id: &str, section: Option<&str>) -> String {
    match section {
        Some(s) => format!("{id}--{s}"),
        None => id.to_owned(),
    }
}

/// A notice's title block, lead and sections, its title at heading `level` (sections one
/// deeper, questions two), recursing over its document tree: the same elements, in the same
/// order, as the PDF's structure tree.
fn body(n: &Notice, links: Links, level: u8) -> Markup {
    let h = heading;
    html! {
        header.title {
            @if level == 1 {
                @if let Some((logo, picture)) = n.logo() {
                    (logo_html(logo, picture))
                }
                p.label { (label(n)) }
            }
            (h(level, Some(anchor(&n.id, None)), &n.title))
            p.meta { (sv::version_line(n)) }
            @if n.changed() {
                p.meta { (sv::changed_note(n.updated)) }
            }
        }
        @if !n.lead.is_empty() {
            div.lead { (parts_html(&n.lead, level + 1, links)) }
        }
        @for s in n.printed_sections() {
            section aria-labelledby=(anchor(&n.id, Some(&s.id))) {
                (h(level + 1, Some(anchor(&n.id, Some(&s.id))), &s.heading))
                (parts_html(&s.intro, level + 2, links))
                @if !s.list.is_empty() {
                    (list_html(&s.list, links))
                }
                @for item in &s.items {
                    (h(level + 2, None, &item.question))
                    (parts_html(&item.answer, level + 3, links))
                }
            }
        }
        @if let Some(note) = &n.updated_note {
            p.note { (note) }
        }
        (changes(n, level + 1))
        @if let Some(url) = &n.source_url {
            // As in the PDF: the sentence, then the address in full on a line of its own.
            p.note.way-back { (sv::CURRENT_VERSION_AT) }
            p.address { a href=(url) { (url) } }
            (qr_html(url))
        }
    }
}

/// Parts in reading order; a label is a heading at `label_level`.
fn parts_html(parts: &[Part], label_level: u8, links: Links) -> Markup {
    html! {
        @for part in parts {
            @match part {
                Part::Text(text) => (blocks_html(&text.blocks, links)),
                Part::List(entries) => (list_html(entries, links)),
                Part::Label(text) => (heading_html(
                    label_level,
                    None,
                    Some("group-label"),
                    inlines_html(text.inlines(), links),
                )),
            }
        }
    }
}

/// A bulleted list whose entries are running text.
fn list_html(entries: &[Text], links: Links) -> Markup {
    html! {
        ul { @for e in entries { li { (item_html(&e.blocks, links)) } } }
    }
}

/// "Vad har ändrats sedan …", as in the PDF: its heading at `level`, each changed section's
/// one deeper, removed words in `del` and added ones in `ins` (the style sheet gives each a
/// text equivalent for screen readers); nothing when the notice has no previous version or
/// its printed text is the same.
fn changes(n: &Notice, level: u8) -> Markup {
    use crate::model::changes::{self as ch, What};
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
                    @match ch::before_after(&c.what) {
                        Some((before, after)) => {
                            p.words { em { (sv::CHANGE_BEFORE) } " " del { (before) } }
                            p.words { em { (sv::CHANGE_NOW) } " " (words_html(&after)) }
                        }
                        None => p.words { (words_html(&ch::readable(&c.what))) },
                    }
                }
            }
        }
    }
}

/// The publisher's logo, as the PDF's title block has it: the picture itself (a data URI,
/// so the file stays self-contained) with its alternate text.
fn logo_html(logo: &crate::model::Logo, picture: &crate::model::Picture) -> Markup {
    use base64::Engine;
    let mime = match picture.format {
        crate::model::PictureFormat::Png => "image/png",
        crate::model::PictureFormat::Svg => "image/svg+xml",
    };
    let data = base64::engine::general_purpose::STANDARD.encode(&picture.data);
    html! {
        img.logo src={ "data:" (mime) ";base64," (data) } alt=(logo.alt);
    }
}

/// The QR code for the notice's address, as the PDF has it (paper printed from this page leads
/// back to the web too): an inline SVG with the PDF figure's alternate text.
fn qr_html(url: &str) -> Markup {
    let Some(code) = crate::qr::code(url) else {
        return html! {};
    };
    let side = code.width + 2 * crate::qr::QUIET;
    let mut path = String::new();
    for [row, col, len] in &code.runs {
        let (x, y) = (
            *col as usize + crate::qr::QUIET,
            *row as usize + crate::qr::QUIET,
        );
        path.push_str(&format!("M{x} {y}h{len}v1h-{len}z"));
    }
    html! {
        svg.qr role="img" aria-label=(sv::qr_alt(url)) viewBox={ "0 0 " (side) " " (side) } xmlns="http://www.w3.org/2000/svg" {
            rect width=(side) height=(side) fill="#fff" {}
            path d=(path) fill="#1c1c1c" {}
        }
    }
}

/// Changed words: added ones in `ins`, removed ones in `del`.
fn words_html(words: &[crate::model::changes::Word]) -> Markup {
    use crate::model::changes::Word;
    html! {
        @for w in words {
            @match w {
                Word::Same(t) => (t),
                Word::Added(t) => ins { (t) },
                Word::Removed(t) => del { (t) },
            }
        }
    }
}

/// A heading at `level` (1–6), with an id to link to; tied as the PDF ties it.
fn heading(level: u8, id: Option<String>, text: &str) -> Markup {
    heading_html(level, id, None, html! { (sv::ties(text, true)) })
}

/// A heading at `level` (1–6) holding `content`, with an id to link to and a class.
fn heading_html(level: u8, id: Option<String>, class: Option<&str>, content: Markup) -> Markup {
    let id = id.as_deref();
    match level {
        1 => html! { h1 id=[id] class=[class] { (content) } },
        2 => html! { h2 id=[id] class=[class] { (content) } },
        3 => html! { h3 id=[id] class=[class] { (content) } },
        4 => html! { h4 id=[id] class=[class] { (content) } },
        5 => html! { h5 id=[id] class=[class] { (content) } },
        _ => html! { h6 id=[id] class=[class] { (content) } },
    }
}

fn blocks_html(blocks: &[Block], links: Links) -> Markup {
    html! {
        @for b in blocks {
            @match b {
                Block::Paragraph(inlines) => p { (inlines_html(inlines, links)) },
                Block::List { start: None, items } => ul {
                    @for i in items { li { (item_html(i, links)) } }
                },
                Block::List { start: Some(n), items } => ol start=(n) {
                    @for i in items { li { (item_html(i, links)) } }
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

/// A list item: its first paragraph is the item's own text (as the PDF's `LBody` holds it),
/// what follows nests in it.
fn item_html(blocks: &[Block], links: Links) -> Markup {
    match blocks.split_first() {
        Some((Block::Paragraph(first), rest)) => html! {
            (inlines_html(first, links))
            (blocks_html(rest, links))
        },
        _ => blocks_html(blocks, links),
    }
}

fn inlines_html(inlines: &[Inline], links: Links) -> Markup {
    html! {
        @for i in inlines {
            @match i {
                Inline::Text(t) => (sv::ties(t, false)),
                Inline::Break => br;,
                Inline::Emph(c) => em { (inlines_html(c, links)) },
                Inline::Strong(c) => strong { (inlines_html(c, links)) },
                Inline::Link { target, content, .. } => {
                    @match href(target, links) {
                        Some(h) => a href=(h) { (inlines_html(content, links)) },
                        None => (inlines_html(content, links)),
                    }
                }
            }
        }
    }
}

/// Where a link leads in this file: as in the PDF ([`crate::model::resolve`]).
fn href(target: &Target, links: Links) -> Option<String> {
    let ids: Vec<&str>;
    let scope = match links {
        Links::Alone(n) => Scope::Alone(n),
        Links::Pack { selected, all } => {
            ids = selected.iter().map(|n| n.id.as_str()).collect();
            Scope::Pack {
                selected: &ids,
                all,
            }
        }
    };
    crate::model::resolve(target, scope).map(|dest| match dest {
        Dest::Url(u) => u,
        Dest::Chapter { id, section } => format!("#{}", anchor(&id, section.as_deref())),
    })
}
