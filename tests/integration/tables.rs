//! Tables (issue 25 §1) on `tests/fixtures/tabeller.toml`: a three-column table that continues
//! on a second page in both editions and a five-column one too wide for large print. The PDF's
//! structure tree (read back with lopdf), the header row repeated as an artifact, rows never
//! split, the large-print fallback, the HTML table and the parity of the two.

use std::path::PathBuf;

use crate::common;

use notice_pdf::layout::{ArtifactKind, DisplayList, Item, Role, StructKind};
use notice_pdf::{Edition, Options, Rendition};

fn fixture() -> PathBuf {
    common::root().join("tests/fixtures/tabeller.toml")
}

fn render(edition: Edition) -> Rendition {
    let loaded = notice_pdf::load(&fixture()).expect("the fixture loads");
    let opts = Options {
        edition,
        ..Options::default()
    };
    notice_pdf::render(notice_pdf::Document::Notice(&loaded.notice), &opts).expect("it renders")
}

/// The headings of the fixture's tables, in order.
const TABLES: [&[&str]; 2] = [
    &["Ändamål", "Rättslig grund", "Lagringstid"],
    &[
        "Mottagare",
        "Uppgifter",
        "Ändamål",
        "Rättslig grund",
        "Överföring",
    ],
];
const ROWS: [usize; 2] = [15, 4];

// --- The PDF's structure tree, read back --------------------------------------------------

use crate::common::structure::{StructEl as El, pdf_structure as pdf_tree};

fn find<'a>(els: &'a [El], role: &str, out: &mut Vec<&'a El>) {
    for e in els {
        if e.role == role {
            out.push(e);
        }
        find(&e.kids, role, out);
    }
}

fn roles(els: &[El]) -> Vec<&str> {
    els.iter().map(|e| e.role.as_str()).collect()
}

#[test]
fn a_table_is_tagged_table_thead_tr_th_then_tbody_tr_td_in_the_pdf() {
    for edition in Edition::ALL {
        let tree = pdf_tree(&render(edition).pdf);
        let mut tables = Vec::new();
        find(&tree, "Table", &mut tables);
        assert_eq!(tables.len(), 2, "{edition:?}");
        for (t, (headings, rows)) in tables.iter().zip(TABLES.iter().zip(ROWS)) {
            assert_eq!(roles(&t.kids), ["THead", "TBody"], "{edition:?}");
            let head = &t.kids[0].kids;
            assert_eq!(roles(head), ["TR"]);
            assert_eq!(roles(&head[0].kids), vec!["TH"; headings.len()]);
            assert!(
                head[0].kids.iter().all(|th| th.scope_column),
                "{edition:?}: every TH says /Scope /Column"
            );
            let body = &t.kids[1].kids;
            assert_eq!(roles(body), vec!["TR"; rows], "{edition:?}");
            for tr in body {
                assert_eq!(roles(&tr.kids), vec!["TD"; headings.len()], "{edition:?}");
            }
        }
    }
}

// --- The display list ------------------------------------------------------------------------

/// The nodes under `node` (itself included).
fn subtree(dl: &DisplayList, node: usize) -> Vec<usize> {
    (0..dl.structure.len())
        .filter(|&n| {
            let mut at = Some(n);
            while let Some(a) = at {
                if a == node {
                    return true;
                }
                at = dl.structure[a].parent;
            }
            false
        })
        .collect()
}

fn nodes(dl: &DisplayList, kind: &StructKind) -> Vec<usize> {
    (0..dl.structure.len())
        .filter(|&n| dl.structure[n].kind == *kind)
        .collect()
}

fn children(dl: &DisplayList, node: usize) -> Vec<usize> {
    (0..dl.structure.len())
        .filter(|&n| dl.structure[n].parent == Some(node))
        .collect()
}

/// The pages holding content of `node` or its descendants.
fn pages_of(dl: &DisplayList, node: usize) -> Vec<usize> {
    let under = subtree(dl, node);
    let mut pages: Vec<usize> = dl
        .content_runs()
        .into_iter()
        .filter(|(_, _, n)| under.contains(n))
        .map(|(p, _, _)| p)
        .collect();
    pages.dedup();
    pages
}

/// The text of `node` and its descendants as a reader gets it: lines joined with a space, a
/// soft hyphen at a line's end joining the word.
fn text_of(dl: &DisplayList, node: usize) -> String {
    let under = subtree(dl, node);
    let mut out = String::new();
    let mut last: Option<(usize, f32)> = None;
    for (page, run, n) in dl.content_runs() {
        if !under.contains(&n) {
            continue;
        }
        if last.is_some_and(|l| l != (page, run.y)) {
            if out.ends_with('\u{ad}') {
                out.pop();
            } else {
                out.push(' ');
            }
        }
        out.push_str(&run.text);
        last = Some((page, run.y));
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn no_table_row_is_split_across_pages_and_the_first_table_crosses_one() {
    for edition in Edition::ALL {
        let dl = render(edition).display;
        for row in nodes(&dl, &StructKind::TableRow) {
            let pages = pages_of(&dl, row);
            assert_eq!(pages.len(), 1, "{edition:?}: row {row} on pages {pages:?}");
        }
        let first = nodes(&dl, &StructKind::Table)[0];
        assert!(
            pages_of(&dl, first).len() >= 2,
            "{edition:?}: the first table continues on another page"
        );
    }
}

#[test]
fn the_header_row_is_repeated_on_each_continuation_page_as_an_artifact() {
    for edition in Edition::ALL {
        let dl = render(edition).display;
        let table = nodes(&dl, &StructKind::Table)[0];
        let pages = pages_of(&dl, table);
        let headers = nodes(&dl, &StructKind::TableHeader);
        // Each heading is content once, on the table's first page.
        for &th in &headers[..3] {
            assert_eq!(pages_of(&dl, th), [pages[0]], "{edition:?}");
        }
        for &page in &pages[1..] {
            let items = &dl.pages[page].items;
            let first_cell = items
                .iter()
                .position(|i| {
                    matches!(i, Item::Text(r) if matches!(r.role, Role::Content { node } if subtree(&dl, table).contains(&node)))
                })
                .unwrap();
            let repeated: Vec<&str> = items[..first_cell]
                .iter()
                .filter_map(|i| match i {
                    Item::Text(r) if r.role == Role::Artifact(ArtifactKind::Repeated) => {
                        Some(r.text.as_str())
                    }
                    _ => None,
                })
                .collect();
            assert_eq!(
                repeated.join(" "),
                TABLES[0].join(" "),
                "{edition:?}: page {}",
                page + 1
            );
        }
    }
}

#[test]
fn large_print_sets_a_table_too_wide_for_twelve_characters_a_column_one_block_per_row() {
    // Where each cell of a row starts: page, baseline, x of its first run. Side by side (a
    // grid), on one baseline at different x; one block per row, one under the other.
    let starts = |dl: &DisplayList, row: usize| -> Vec<(usize, f32, f32)> {
        children(dl, row)
            .iter()
            .map(|&td| {
                let under = subtree(dl, td);
                dl.content_runs()
                    .into_iter()
                    .find(|(_, _, n)| under.contains(n))
                    .map(|(p, r, _)| (p, r.y, r.x))
                    .unwrap()
            })
            .collect()
    };
    let grid = |s: &[(usize, f32, f32)]| {
        s.windows(2)
            .all(|w| (w[0].0, w[0].1) == (w[1].0, w[1].1) && w[0].2 < w[1].2)
    };
    let blocks = |s: &[(usize, f32, f32)]| s.windows(2).all(|w| w[0].1 < w[1].1);
    let std = render(Edition::Standard).display;
    let large = render(Edition::Large).display;
    let rows = |dl: &DisplayList, table: usize| -> Vec<usize> {
        let body = children(dl, nodes(dl, &StructKind::Table)[table])[1];
        children(dl, body)
    };
    for row in rows(&std, 0).into_iter().chain(rows(&std, 1)) {
        assert!(grid(&starts(&std, row)), "standard: a grid");
    }
    for row in rows(&large, 0) {
        assert!(
            grid(&starts(&large, row)),
            "large print: the narrow table stays a grid"
        );
    }
    let left = large.pages[0].text_area[0];
    // The headings set at the left of the row's page.
    let labels = |row: usize| -> Vec<(String, Role)> {
        let page = pages_of(&large, row)[0];
        let mut out = Vec::new();
        for item in &large.pages[page].items {
            if let Item::Text(r) = item
                && r.font == notice_pdf::fonts::FontId::SemiBold
                && r.x == left
                && r.role != Role::Artifact(ArtifactKind::Layout)
            {
                out.push((r.text.clone(), r.role));
            }
        }
        out
    };
    let ths = nodes(&large, &StructKind::TableHeader)[3..].to_vec();
    for (r, row) in rows(&large, 1).into_iter().enumerate() {
        assert!(
            blocks(&starts(&large, row)),
            "large print: one block per row"
        );
        // Each value follows its heading: the first row's headings are the TH content,
        // the others repeat them as artifacts.
        let found = labels(row);
        for (c, heading) in TABLES[1].iter().enumerate() {
            let role = match r {
                0 => Role::Content { node: ths[c] },
                _ => Role::Artifact(ArtifactKind::Repeated),
            };
            assert!(
                found.contains(&(heading.to_string(), role)),
                "row {r}: {heading} as {role:?} in {found:?}"
            );
        }
        for td in children(&large, row) {
            assert!(
                !text_of(&large, td).contains(':'),
                "the label is not the cell's text"
            );
        }
    }
}

// --- HTML and parity -----------------------------------------------------------------------

/// The table elements of an HTML string in order, with the text of each `th` and `td`.
fn html_tables(html: &str) -> Vec<(String, String)> {
    const NAMES: [&str; 6] = ["table", "thead", "tbody", "tr", "th", "td"];
    let mut out: Vec<(String, String)> = Vec::new();
    let mut open: Option<usize> = None;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if let Some(i) = open {
            out[i].1.push_str(&rest[..lt]);
        }
        let gt = rest[lt..].find('>').unwrap() + lt;
        let tag = &rest[lt + 1..gt];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if NAMES.contains(&name.as_str()) {
            if closing {
                open = None;
            } else {
                if name == "th" || name == "td" {
                    open = Some(out.len());
                }
                out.push((name, String::new()));
            }
        }
        rest = &rest[gt + 1..];
    }
    out.into_iter()
        .map(|(n, t)| {
            let t = t.replace("&amp;", "&");
            (n, t.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .collect()
}

/// The same from the PDF's structure: every table node in order, with the text of each cell.
fn pdf_tables(dl: &DisplayList) -> Vec<(String, String)> {
    let mut out = Vec::new();
    fn walk(dl: &DisplayList, node: usize, out: &mut Vec<(String, String)>) {
        let name = match dl.structure[node].kind {
            StructKind::Table => "table",
            StructKind::TableHead => "thead",
            StructKind::TableBody => "tbody",
            StructKind::TableRow => "tr",
            StructKind::TableHeader => "th",
            StructKind::TableCell => "td",
            _ => "",
        };
        if !name.is_empty() {
            let text = match name {
                "th" | "td" => text_of(dl, node),
                _ => String::new(),
            };
            out.push((name.to_owned(), text));
        }
        for c in children(dl, node) {
            walk(dl, c, out);
        }
    }
    for root in (0..dl.structure.len()).filter(|&n| dl.structure[n].parent.is_none()) {
        walk(dl, root, &mut out);
    }
    out
}

#[test]
fn the_pdf_of_either_edition_and_the_html_say_the_same_table() {
    let notice = notice_pdf::load(&fixture()).unwrap().notice;
    let html = html_tables(&notice_pdf::html::notice(&notice));
    assert_eq!(html.iter().filter(|(n, _)| n == "th").count(), 8);
    for edition in Edition::ALL {
        let pdf = pdf_tables(&render(edition).display);
        assert_eq!(pdf, html, "{edition:?}");
    }
}

#[test]
fn the_html_table_has_column_headers_in_a_labelled_keyboard_scroll_region() {
    let notice = notice_pdf::load(&fixture()).unwrap().notice;
    let html = notice_pdf::html::notice(&notice);
    assert_eq!(html.matches("<th scope=\"col\">").count(), 8);
    assert_eq!(html.matches("<thead><tr>").count(), 2);
    assert_eq!(html.matches("<tbody>").count(), 2);
    assert!(html.contains(
        "<div class=\"table\" role=\"region\" tabindex=\"0\" \
         aria-label=\"Tabell: Ändamål, Rättslig grund, Lagringstid\"><table>"
    ));
    // The link in a cell leads where the PDF's does.
    assert!(html.contains("<td>Så länge lagen kräver, se <a href=\"https://www.exempelbanken.se/integritet/oversikt.html\">dina rättigheter</a></td>"));
}

#[test]
fn a_malformed_table_is_an_error_at_its_line_and_column() {
    let dir = common::scratch("table-error");
    let src = std::fs::read_to_string(fixture()).unwrap().replace(
        "| Att besvara dina frågor i chatten | Avtal |",
        "| Att besvara dina frågor i chatten |",
    );
    std::fs::write(dir.join("t.toml"), src).unwrap();
    let out = common::run(&dir, &["check", "t.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = common::stderr(&out);
    assert!(
        err.contains(
            "error: t.toml:38:1: sections[0].items[0].answer[0]: a table row with 2 cell(s) under \
             a header of 3 is not allowed here; write exactly 3 cells between the |"
        ),
        "{err}"
    );
}

// --- Other readers (oracles) -----------------------------------------------------------------

/// Every word of every row, cell by cell and row by row, comes out of `text` in that order
/// (running heads and repeated headers may come between); a table set one block per row reads
/// each value after its heading ("Mottagare: Skatteverket").
#[cfg(feature = "oracles")]
fn reads_cells_in_row_order(text: &str, dl: &DisplayList, reader: &str) {
    let text = text.replace("\u{ad}\n", "").replace("-\n", "");
    let got: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_end_matches(':'))
        .collect();
    let first_line = |node: usize| -> (usize, f32) {
        let under = subtree(dl, node);
        let (page, run, _) = dl
            .content_runs()
            .into_iter()
            .find(|(_, _, n)| under.contains(n))
            .unwrap();
        (page, run.y)
    };
    let mut at = 0;
    for table in nodes(dl, &StructKind::Table) {
        let parts = children(dl, table);
        let ths = children(dl, children(dl, parts[0])[0]);
        let rows = children(dl, parts[1]);
        let first = children(dl, rows[0]);
        let blocks = first_line(first[0]) != first_line(first[1]);
        let mut expected: Vec<String> = Vec::new();
        let mut words = |node: usize| {
            expected.extend(text_of(dl, node).split_whitespace().map(str::to_owned));
        };
        if !blocks {
            ths.iter().for_each(|&th| words(th));
        }
        for &row in &rows {
            for (c, cell) in children(dl, row).into_iter().enumerate() {
                if blocks {
                    words(ths[c]);
                }
                words(cell);
            }
        }
        for w in &expected {
            match got[at..].iter().position(|g| g == w) {
                Some(i) => at += i + 1,
                None => panic!(
                    "{reader}: {w:?} of table {table} missing or out of order after {:?}",
                    &got[at.saturating_sub(8)..at]
                ),
            }
        }
    }
}

#[cfg(feature = "oracles")]
#[test]
fn poppler_and_mupdf_read_the_cells_in_row_order_and_verapdf_passes() {
    let dir = common::scratch("tables-oracles");
    let mut files = Vec::new();
    for edition in Edition::ALL {
        let r = render(edition);
        let path = dir.join(edition.file_name("tabeller", "pdf"));
        std::fs::write(&path, &r.pdf).unwrap();
        let p = path.to_str().unwrap();
        let poppler = common::tool("pdftotext", &["-enc", "UTF-8", p, "-"]);
        reads_cells_in_row_order(
            &String::from_utf8(poppler.stdout).unwrap(),
            &r.display,
            "pdftotext",
        );
        let mupdf = common::tool("mutool", &["draw", "-F", "txt", p]);
        reads_cells_in_row_order(
            &String::from_utf8(mupdf.stdout).unwrap(),
            &r.display,
            "mutool",
        );
        files.push(path);
    }
    let refs: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
    common::assert_verapdf_passes(&refs);
}

#[test]
fn a_row_taller_than_a_page_is_split_line_by_line_under_the_repeated_header() {
    let dir = common::scratch("table-tall-row");
    let long = vec!["uppgift"; 350].join(" ");
    let toml = format!(
        "id = \"lang\"\ntitle = \"Lång tabell\"\nsummary = \"En lång tabell.\"\nlanguage = \"sv-SE\"\npublisher = \"Exempelbanken\"\n\
         updated = \"2024-09-16\"\n\n[[sections]]\nid = \"a\"\nkind = \"info\"\nheading = \"Tabell\"\n\
         intro = [\"\"\"\n| Vad | Hur länge |\n|---|---|\n| Kort | Ett år |\n| {long} | Tio år |\n\
         | Kort igen | Två år |\n\"\"\"]\n"
    );
    let path = dir.join("lang.toml");
    std::fs::write(&path, toml).unwrap();
    let notice = notice_pdf::load(&path).unwrap().notice;
    for edition in Edition::ALL {
        let opts = Options {
            edition,
            ..Options::default()
        };
        let dl = notice_pdf::render(notice_pdf::Document::Notice(&notice), &opts)
            .unwrap()
            .display;
        let rows = nodes(&dl, &StructKind::TableRow);
        let tall = pages_of(&dl, rows[2]);
        assert!(tall.len() >= 2, "{edition:?}: the tall row spans pages");
        for r in [1, 3] {
            assert_eq!(
                pages_of(&dl, rows[r]).len(),
                1,
                "{edition:?}: row {r} whole"
            );
        }
        for (p, page) in dl.pages.iter().enumerate() {
            for item in &page.items {
                if let Item::Text(run) = item
                    && let Role::Content { .. } = run.role
                {
                    assert!(
                        run.y > page.text_area[1] && run.y <= page.text_area[3],
                        "{edition:?}: page {}: {:?} at {} is outside the text area",
                        p + 1,
                        run.text,
                        run.y
                    );
                }
            }
        }
        for &p in &tall[1..] {
            let repeated: Vec<&str> = dl.pages[p]
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Text(r) if r.role == Role::Artifact(ArtifactKind::Repeated) => {
                        Some(r.text.as_str())
                    }
                    _ => None,
                })
                .collect();
            assert_eq!(
                repeated,
                ["Vad", "Hur länge"],
                "{edition:?}: page {}",
                p + 1
            );
        }
    }
}
