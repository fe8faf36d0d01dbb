//! Structure parity: the HTML alternative says what the PDF says, with the same structure. For
//! every fixture notice and the pack, in both editions, the sequence of structure elements of
//! the PDF (headings, paragraphs, lists and their items, tables and their rows and cells,
//! links) equals the sequence of elements of the HTML file, and each heading, paragraph, cell
//! and link holds the same text. The PDF side is read back from the written file's structure
//! tree and checked against the display list it was written from, whose runs give the text.

use std::collections::BTreeMap;

use notice_pdf::layout::{DisplayList, StructKind};
use notice_pdf::{Document, Edition, Options};

use crate::common;

/// One element of the comparison: its role (`H2`, `P`, `LI`, …) and, for elements whose
/// text is compared, its letters (whitespace and soft hyphens aside).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Element {
    role: String,
    text: Option<String>,
}

/// Roles whose text is compared: what a reader reads as one piece.
fn compares_text(role: &str) -> bool {
    matches!(
        role,
        "H1" | "H2" | "H3" | "H4" | "H5" | "H6" | "P" | "TH" | "TD" | "Link"
    )
}

fn letters(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{ad}')
        .collect()
}

/// The PDF role of a structure node, when it is one the comparison counts: the contents of a
/// pack are a list of links in both (`TOC`/`TOCI` in the PDF, `ul`/`li` in the HTML).
fn role_of(kind: &StructKind) -> Option<String> {
    Some(match kind {
        StructKind::Heading { level, .. } => format!("H{level}"),
        StructKind::Paragraph => "P".into(),
        StructKind::List { .. } | StructKind::Toc => "L".into(),
        StructKind::ListItem | StructKind::TocItem => "LI".into(),
        StructKind::Link { .. } => "Link".into(),
        StructKind::Figure { .. } => "Figure".into(),
        other => {
            let name = format!("{other:?}");
            match name.split([' ', '{', '(']).next().unwrap_or_default() {
                "Table" => "Table".into(),
                "TableRow" | "Row" | "Tr" => "TR".into(),
                "TableHeader" | "HeaderCell" | "Th" => "TH".into(),
                "TableCell" | "DataCell" | "Cell" | "Td" => "TD".into(),
                _ => return None,
            }
        }
    })
}

/// The elements of a display list's structure tree, in reading order.
fn pdf_elements(dl: &DisplayList) -> Vec<Element> {
    let s = &dl.structure;
    let mut children: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
    for (i, n) in s.iter().enumerate() {
        children.entry(n.parent).or_default().push(i);
    }
    // The text of each node, its descendants' included, in reading order.
    let mut text: Vec<String> = vec![String::new(); s.len()];
    for (_, run, node) in dl.content_runs() {
        let mut at = Some(node);
        while let Some(i) = at {
            text[i].push_str(&run.text);
            at = s[i].parent;
        }
    }
    let mut out = Vec::new();
    let mut stack: Vec<usize> = children.get(&None).cloned().unwrap_or_default();
    stack.reverse();
    while let Some(i) = stack.pop() {
        if let Some(role) = role_of(&s[i].kind) {
            // The contents' page numbers are on paper only.
            let in_contents = s[i].parent.is_some_and(|p| {
                s[p].kind == StructKind::Reference || s[p].kind == StructKind::TocItem
            });
            let alt = match &s[i].kind {
                // A figure says its alternate text.
                StructKind::Figure { alt } => Some(letters(alt)),
                _ => None,
            };
            let text = alt.or_else(|| {
                compares_text(&role).then(|| {
                    let t = letters(&text[i]);
                    if in_contents {
                        t.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned()
                    } else {
                        t
                    }
                })
            });
            out.push(Element { role, text });
        }
        if let Some(kids) = children.get(&Some(i)) {
            stack.extend(kids.iter().rev());
        }
    }
    out
}

/// The roles of the structure tree of the PDF file itself, in reading order, as
/// [`pdf_elements`] counts them.
fn pdf_file_roles(pdf: &[u8]) -> Vec<String> {
    fn visit(els: &[common::structure::StructEl], out: &mut Vec<String>) {
        for e in els {
            let role = match e.role.as_str() {
                "TOC" => "L",
                "TOCI" => "LI",
                other => other,
            };
            if matches!(
                role,
                "H1" | "H2"
                    | "H3"
                    | "H4"
                    | "H5"
                    | "H6"
                    | "P"
                    | "L"
                    | "LI"
                    | "Table"
                    | "TR"
                    | "TH"
                    | "TD"
                    | "Link"
                    | "Figure"
            ) {
                out.push(role.to_owned());
            }
            visit(&e.kids, out);
        }
    }
    let mut out = Vec::new();
    visit(&common::structure::pdf_structure(pdf), &mut out);
    out
}

/// The elements of an HTML file written by notice-pdf (well-formed, maud-escaped), inside
/// `<main>`, in document order.
fn html_elements(html: &str) -> Vec<Element> {
    let main = &html[html.find("<main>").unwrap()..html.rfind("</main>").unwrap()];
    let role = |tag: &str| -> Option<&'static str> {
        Some(match tag {
            "h1" => "H1",
            "h2" => "H2",
            "h3" => "H3",
            "h4" => "H4",
            "h5" => "H5",
            "h6" => "H6",
            "p" => "P",
            "ul" | "ol" => "L",
            "li" => "LI",
            "table" => "Table",
            "tr" => "TR",
            "th" => "TH",
            "td" => "TD",
            "a" => "Link",
            _ => return None,
        })
    };
    let mut out: Vec<Element> = Vec::new();
    // Open elements: their tag and index in `out` (when counted).
    let mut open: Vec<(String, Option<usize>)> = Vec::new();
    let mut rest = main;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let end = rest.find('>').unwrap();
                let tag = &rest[1..end];
                rest = &rest[end + 1..];
                if let Some(name) = tag.strip_prefix('/') {
                    while let Some((t, _)) = open.pop() {
                        if t == name {
                            break;
                        }
                    }
                    continue;
                }
                let name = tag.split([' ', '/']).next().unwrap_or_default().to_owned();
                // A picture: `img` with `alt`, or an inline `svg` with `role="img"` and a label.
                let alt = attribute(tag, "alt").or_else(|| attribute(tag, "aria-label"));
                if name == "img" || (name == "svg" && tag.contains("role=\"img\"")) {
                    out.push(Element {
                        role: "Figure".into(),
                        text: Some(letters(&unescape(&alt.unwrap_or_default()))),
                    });
                }
                if matches!(name.as_str(), "br" | "meta" | "img" | "hr" | "input") {
                    continue;
                }
                let at = role(&name).map(|r| {
                    out.push(Element {
                        role: r.to_owned(),
                        text: compares_text(r).then(String::new),
                    });
                    out.len() - 1
                });
                open.push((name, at));
            }
            found => {
                let end = found.unwrap_or(rest.len());
                let text = unescape(&rest[..end]);
                for (_, at) in &open {
                    if let Some(Some(t)) = at.map(|i| out[i].text.as_mut()) {
                        t.push_str(&letters(&text));
                    }
                }
                rest = &rest[end..];
            }
        }
    }
    out
}

/// Text with maud's escapes read back.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in a start tag's text (`img src="…" alt="…"`).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[at..].find('"')?;
    Some(tag[at..at + end].to_owned())
}

fn assert_same(what: &str, pdf: &[Element], html: &[Element]) {
    if std::env::var_os("PARITY_DUMP").is_some() {
        eprintln!("{what}\nPDF:\n{pdf:#?}\nHTML:\n{html:#?}");
    }
    let first_difference = pdf.iter().zip(html).position(|(a, b)| a != b);
    if let Some(i) = first_difference {
        panic!(
            "{what}: element {i} differs\n  PDF:  {:?}\n  HTML: {:?}\n  PDF  around: {:?}\n  HTML around: {:?}",
            pdf[i],
            html[i],
            &pdf[i.saturating_sub(3)..(i + 3).min(pdf.len())],
            &html[i.saturating_sub(3)..(i + 3).min(html.len())]
        );
    }
    assert_eq!(
        pdf.len(),
        html.len(),
        "{what}: the PDF has {} elements, the HTML {}; the longer ends {:?}",
        pdf.len(),
        html.len(),
        if pdf.len() > html.len() {
            &pdf[html.len()..]
        } else {
            &html[pdf.len()..]
        }
    );
}

/// Checks one document in both editions against its HTML.
fn check(what: &str, doc: Document, html: &str) {
    let html = html_elements(html);
    for edition in [Edition::Standard, Edition::Large] {
        let opts = Options {
            edition,
            ..Default::default()
        };
        let r = notice_pdf::render(doc, &opts).unwrap();
        let pdf = pdf_elements(&r.display);
        let roles: Vec<String> = pdf.iter().map(|e| e.role.clone()).collect();
        assert_eq!(
            pdf_file_roles(&r.pdf),
            roles,
            "{what} ({edition}): the PDF file's structure tree is the display list's"
        );
        assert_same(&format!("{what} ({edition})"), &pdf, &html);
    }
}

#[test]
fn every_fixture_notice_and_the_pack_say_the_same_in_pdf_and_html() {
    let set = notice_pdf::source::DataSet::load_dir(&common::collection_dir()).unwrap();
    let loaded = set.all_valid().unwrap();
    let all: Vec<&notice_pdf::Notice> = loaded.iter().map(|l| &l.notice).collect();
    for n in &all {
        check(&n.id, Document::Notice(n), &notice_pdf::html::notice(n));
    }
    let collection = set.collection().unwrap();
    let selected = notice_pdf::render::pack_selection(collection, &all, None).unwrap();
    check(
        "the pack",
        Document::Pack {
            collection,
            selected: &selected,
            all: &all,
        },
        &notice_pdf::html::pack(collection, &selected, &all),
    );
    // The frozen copy of the real notice, and one with every construct.
    for file in [
        common::fixture_file(),
        common::root().join("tests/fixtures/tabeller.toml"),
        common::root().join("tests/fixtures/konstruktioner/konstruktioner.toml"),
    ] {
        let n = notice_pdf::source::load_in_place(&file).unwrap().notice;
        check(&n.id, Document::Notice(&n), &notice_pdf::html::notice(&n));
    }
}

/// A pack in which one notice changed since its previous version says so where a reader looks
/// first, in the PDF and the HTML alike: the title page names it with its date, its contents
/// entry says "ändrad <date>", and its chapter opens with the date and where the changes are.
#[test]
fn a_pack_says_which_notices_changed_on_its_title_page_contents_and_chapter() {
    let set = notice_pdf::source::DataSet::load_dir(&common::collection_dir()).unwrap();
    let loaded = set.all_valid().unwrap();
    let mut notices: Vec<notice_pdf::Notice> = loaded.iter().map(|l| l.notice.clone()).collect();
    let rik = notices.iter_mut().find(|n| n.id == "rik").unwrap();
    let old = rik.clone();
    let path = common::collection_dir().join("rik.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace(
            "I sex månader. Därefter raderas",
            "I tre månader. Därefter raderas",
        )
        .replace("updated = \"2024-05-02\"", "updated = \"2024-09-16\"");
    let mut changed = notice_pdf::model::parse(&path, &text).unwrap();
    changed.peers = old.peers.clone();
    changed.previous = Some(Box::new(old));
    *rik = changed;
    let all: Vec<&notice_pdf::Notice> = notices.iter().collect();
    let collection = set.collection().unwrap();
    let selected = notice_pdf::render::pack_selection(collection, &all, None).unwrap();
    let doc = Document::Pack {
        collection,
        selected: &selected,
        all: &all,
    };
    let html = notice_pdf::html::pack(collection, &selected, &all);
    check("the pack with a changed notice", doc, &html);
    let title = "Kontakt med Exempelbankens kundtjänst";
    let dl = notice_pdf::render(doc, &Options::default())
        .unwrap()
        .display;
    let pdf: Vec<String> = pdf_elements(&dl)
        .into_iter()
        .filter_map(|e| e.text)
        .collect();
    for said in [
        format!("Ändrat sedan förra versionen: {title} (16 september 2024)."),
        format!("{title} (ändrad 16 september 2024)"),
        "Ändrad 16 september 2024. Vad som har ändrats står sist.".to_owned(),
    ] {
        assert!(pdf.contains(&letters(&said)), "the PDF says {said:?}");
        assert!(
            html_elements(&html)
                .iter()
                .any(|e| e.text == Some(letters(&said))),
            "the HTML says {said:?}"
        );
    }
    // Only the changed notice says so.
    let chapters_noting = pdf
        .iter()
        .filter(|t| t.starts_with(&letters("Ändrad ")))
        .count();
    assert_eq!(chapters_noting, 1);
}
