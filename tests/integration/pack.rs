//! The pack: the fictional bank's collection (`tests/fixtures/exempelbanken/`) as one book.
//! Its contents give the page each chapter starts on, its internal links land on their
//! targets, its outline and headings nest without a gap, it has no typographic defect, and a
//! selection is the same document whatever the order it is asked in.

use crate::common;

use std::path::PathBuf;

use notice_pdf::layout::{self, DisplayList, Item, Role, StructKind, Typeset};
use notice_pdf::model::Collection;
use notice_pdf::source::DataSet;
use notice_pdf::{Align, Edition, Notice, Options};

fn fixture_dir() -> PathBuf {
    common::root().join("tests/fixtures/exempelbanken")
}

fn data_set() -> DataSet {
    let set = DataSet::load_dir(&fixture_dir()).unwrap();
    assert!(set.errors().is_empty(), "{:?}", set.errors());
    set
}

/// The pack of `ids` (all when `None`) in `opts`.
fn pack_of(set: &DataSet, ids: Option<&[String]>, opts: &Options) -> (Typeset, Vec<Notice>) {
    let collection: &Collection = set.collection().unwrap();
    let notices: Vec<&Notice> = set.notices().map(|l| &l.notice).collect();
    let selected = notice_pdf::render::pack_selection(collection, &notices, ids).unwrap();
    let ts = layout::typeset_pack(collection, &selected, &notices, opts);
    (ts, selected.into_iter().cloned().collect())
}

fn whole_pack(edition: Edition) -> (Typeset, Vec<Notice>) {
    pack_of(
        &data_set(),
        None,
        &Options {
            edition,
            ..Options::default()
        },
    )
}

/// The pages (0-based) on which a heading with exactly `text` at `level` stands.
fn heading_pages(dl: &DisplayList, level: u8, text: &str) -> Vec<usize> {
    let mut pages: Vec<usize> = dl
        .content_runs()
        .iter()
        .filter(|(_, _, n)| {
            dl.structure[*n].kind
                == StructKind::Heading {
                    level,
                    text: text.to_owned(),
                }
        })
        .map(|(p, ..)| *p)
        .collect();
    pages.dedup();
    pages
}

/// The contents: each entry's text and printed page number, in order.
fn contents(dl: &DisplayList) -> Vec<(String, usize)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for (_, run, node) in dl.content_runs() {
        let link = node;
        let Some(reference) = dl.structure[link].parent else {
            continue;
        };
        if dl.structure[reference].kind != StructKind::Reference {
            continue;
        }
        match out.last_mut() {
            Some((n, text)) if *n == link => {
                text.push(' ');
                text.push_str(run.text.trim_end_matches('\u{ad}'));
            }
            _ => out.push((link, run.text.clone())),
        }
    }
    out.into_iter()
        .map(|(_, text)| {
            let (title, number) = text.rsplit_once(' ').unwrap();
            (title.to_owned(), number.parse().unwrap())
        })
        .collect()
}

#[test]
fn every_contents_number_is_the_page_its_chapter_or_group_starts_on() {
    for edition in Edition::ALL {
        let (ts, notices) = whole_pack(edition);
        let dl = &ts.display;
        let set = data_set();
        let c = set.collection().unwrap();
        let entries = contents(dl);
        assert_eq!(entries.len(), c.groups.len() + notices.len(), "{entries:?}");
        for (title, number) in &entries {
            let pages = if c.groups.iter().any(|g| g.title == *title) {
                heading_pages(dl, 1, title)
            } else {
                heading_pages(dl, 2, title)
            };
            assert_eq!(
                pages.first().map(|p| p + 1),
                Some(*number),
                "{edition:?}: {title}"
            );
        }
        // Each chapter starts on a page of its own: nothing of the one before is on it.
        for n in &notices {
            let page = heading_pages(dl, 2, &n.title)[0];
            let on_page: Vec<usize> = dl
                .content_runs()
                .iter()
                .filter(|(p, ..)| *p == page)
                .map(|(_, _, node)| *node)
                .collect();
            let first = on_page[0];
            assert!(
                matches!(
                    dl.structure[first].kind,
                    StructKind::Heading { level: 1 | 2, .. }
                ),
                "{edition:?}: {} starts its page",
                n.title
            );
        }
    }
}

#[test]
fn internal_links_land_on_the_heading_they_name() {
    let (ts, _) = whole_pack(Edition::Standard);
    let dl = &ts.display;
    let mut internal = 0;
    for page in &dl.pages {
        for item in &page.items {
            let Item::Link(link) = item else { continue };
            if !link.url.starts_with("notice:") && !link.url.starts_with("group:") {
                assert!(link.dest.is_none());
                continue;
            }
            internal += 1;
            let dest = link
                .dest
                .unwrap_or_else(|| panic!("{} has a destination", link.url));
            // The first content run at the destination is a heading's.
            let (_, run, node) = dl
                .content_runs()
                .into_iter()
                .find(|(p, r, _)| *p == dest.page && r.y > dest.y)
                .unwrap();
            assert!(
                run.y - dest.y < 40.0,
                "{}: lands just above {:?}",
                link.url,
                run.text
            );
            let StructKind::Heading { text, .. } = &dl.structure[node].kind else {
                panic!("{} lands on {:?}", link.url, dl.structure[node].kind);
            };
            // A link to a section lands on that section's heading.
            if let Some((id, section)) = link
                .url
                .strip_prefix("notice:")
                .and_then(|r| r.split_once('#'))
            {
                let set = data_set();
                let n = set.notices().find(|l| l.notice.id == id).unwrap();
                let s = n.notice.sections.iter().find(|s| s.id == section).unwrap();
                assert_eq!(*text, s.heading, "{}", link.url);
            }
        }
    }
    // 20 from the contents, and every notice: link in the fixture's running text.
    assert!(internal >= 30, "{internal} internal links");
}

#[test]
fn a_link_to_a_notice_outside_the_selection_leads_to_its_address_or_is_text() {
    let set = data_set();
    let (ts, _) = pack_of(
        &set,
        Some(&["rattigheter".into(), "leverantorer".into()]),
        &Options::default(),
    );
    let links: Vec<(String, bool)> = ts
        .display
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Link(l) if l.text.contains("kundtjänst") => {
                Some((l.url.clone(), l.dest.is_some()))
            }
            _ => None,
        })
        .collect();
    // rik is not in this pack: its address online.
    assert!(links.iter().all(|(url, internal)| url
        == "https://www.exempelbanken.se/integritet/kundtjanst.html"
        && !internal));
    assert!(!links.is_empty());
    // A pack of rik alone: its link to leverantorer (no address online) is plain text.
    let (ts, _) = pack_of(&set, Some(&["rik".into()]), &Options::default());
    let dl = &ts.display;
    assert!(
        dl.content_runs()
            .iter()
            .any(|(_, r, _)| r.text.contains("Anlitade leverantörer"))
    );
    assert!(
        !dl.pages
            .iter()
            .flat_map(|p| &p.items)
            .any(|i| matches!(i, Item::Link(l) if l.text.contains("Anlitade")))
    );
}

#[test]
fn outline_nests_group_notice_section_question() {
    let (ts, notices) = whole_pack(Edition::Standard);
    let set = data_set();
    let c = set.collection().unwrap();
    let o = &ts.display.outline;
    // The contents, then the groups.
    let top: Vec<&str> = o.iter().map(|e| e.title.as_str()).collect();
    let mut want = vec!["Innehåll"];
    want.extend(c.groups.iter().map(|g| g.title.as_str()));
    assert_eq!(top, want);
    for (group, entry) in c.groups.iter().zip(&o[1..]) {
        let titles: Vec<&str> = entry.children.iter().map(|e| e.title.as_str()).collect();
        let want: Vec<&str> = group
            .notices
            .iter()
            .map(|id| notices.iter().find(|n| n.id == *id).unwrap().title.as_str())
            .collect();
        assert_eq!(titles, want);
        for (chapter, id) in entry.children.iter().zip(&group.notices) {
            let n = notices.iter().find(|n| n.id == *id).unwrap();
            let sections: Vec<&str> = chapter.children.iter().map(|e| e.title.as_str()).collect();
            let want: Vec<&str> = n.printed_sections().map(|s| s.heading.as_str()).collect();
            assert_eq!(sections, want, "{id}");
            for (entry, s) in chapter.children.iter().zip(n.printed_sections()) {
                let q: Vec<&str> = entry.children.iter().map(|e| e.title.as_str()).collect();
                let want: Vec<&str> = s.items.iter().map(|i| i.question.as_str()).collect();
                assert_eq!(q, want, "{id}#{}", s.id);
            }
        }
    }
}

#[test]
fn heading_levels_never_skip_and_the_contents_are_a_toc() {
    for edition in Edition::ALL {
        let (ts, _) = whole_pack(edition);
        let dl = &ts.display;
        let mut last = 0;
        for node in &dl.structure {
            if let StructKind::Heading { level, .. } = node.kind {
                assert!(level <= last + 1, "{edition:?}: H{last} then H{level}");
                last = level;
            }
        }
        let tocis = dl
            .structure
            .iter()
            .filter(|n| n.kind == StructKind::TocItem)
            .count();
        assert_eq!(tocis, contents(dl).len());
        // A group's entry is its reference; a notice's, its reference and its summary.
        let mut summaries = 0;
        for (i, n) in dl.structure.iter().enumerate() {
            if n.kind == StructKind::TocItem {
                assert_eq!(dl.structure[n.parent.unwrap()].kind, StructKind::Toc);
                let children: Vec<&StructKind> = dl
                    .structure
                    .iter()
                    .filter(|c| c.parent == Some(i))
                    .map(|c| &c.kind)
                    .collect();
                match children.as_slice() {
                    [StructKind::Reference] => {}
                    [StructKind::Reference, StructKind::Paragraph] => summaries += 1,
                    other => panic!("{edition:?}: a contents entry holds {other:?}"),
                }
            }
        }
        assert_eq!(summaries, 6, "{edition:?}: one summary for each notice");
        // The leaders are decoration, not text.
        let leaders = dl
            .pages
            .iter()
            .flat_map(|p| &p.items)
            .filter(|i| matches!(i, Item::Text(r) if r.text.starts_with("...")))
            .collect::<Vec<_>>();
        assert!(!leaders.is_empty());
        assert!(
            leaders
                .iter()
                .all(|i| matches!(i, Item::Text(r) if matches!(r.role, Role::Artifact(_))))
        );
    }
}

#[test]
fn the_pack_has_no_typographic_defect_in_any_edition_or_alignment() {
    for edition in Edition::ALL {
        for align in [Align::Left, Align::Justify] {
            let opts = Options {
                edition,
                align,
                ..Options::default()
            };
            let (ts, notices) = pack_of(&data_set(), None, &opts);
            let refs: Vec<&Notice> = notices.iter().collect();
            let report = notice_pdf::report::Report::of_pack(&refs, &ts, &opts);
            common::assert_clean(&report, &format!("{edition:?} {align:?}"));
            assert!(report.broken_words.is_empty());
        }
    }
}

#[test]
fn running_heads_and_page_numbers_run_over_the_whole_pack() {
    let (ts, notices) = whole_pack(Edition::Standard);
    let dl = &ts.display;
    let n = dl.pages.len();
    for (i, page) in dl.pages.iter().enumerate() {
        let chrome: Vec<&str> = page
            .items
            .iter()
            .filter_map(|it| match it {
                Item::Text(r) if matches!(r.role, Role::Artifact(_)) => Some(r.text.as_str()),
                _ => None,
            })
            .collect();
        assert!(
            chrome.contains(&format!("Sida {} av {n}", i + 1).as_str()),
            "page {}",
            i + 1
        );
        // No running head where a chapter starts or on the title page.
        let starts = notices
            .iter()
            .any(|nt| heading_pages(dl, 2, &nt.title).first() == Some(&i));
        let has_head = chrome.contains(&"Exempelbanken");
        assert_eq!(has_head, i > 0 && !starts, "page {}: {chrome:?}", i + 1);
    }
    assert_eq!(ts.display.meta.id, "integritetsinformation");
    assert_eq!(
        ts.display.meta.title,
        "Så behandlar Exempelbanken dina personuppgifter"
    );
}

#[test]
fn a_selection_is_the_same_document_whatever_its_order() {
    let dir = fixture_dir();
    let out = |ids: &str| {
        let o = common::run(&dir, &["pack", "--data", ".", "--ids", ids, "-o", "-"]);
        assert!(o.status.success(), "{}", common::stderr(&o));
        o.stdout
    };
    let a = out("rik,kundkannedom");
    assert_eq!(a, out("kundkannedom,rik"));
    assert_ne!(a, out("rik"));
    // The title page lists the selection in the collection's order.
    let set = data_set();
    let (ts, notices) = pack_of(
        &set,
        Some(&["rik".into(), "kundkannedom".into()]),
        &Options::default(),
    );
    let ids: Vec<&str> = notices.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["kundkannedom", "rik"]);
    assert_eq!(contents(&ts.display).len(), 4);
}

#[test]
fn unknown_ids_and_a_missing_collection_are_errors() {
    let dir = fixture_dir();
    let o = common::run(
        &dir,
        &["pack", "--data", ".", "--ids", "rik,okand", "-o", "-"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert_eq!(
        common::stderr(&o),
        "error: no notice with the id \"okand\"\n\
         hint: the collection's notices are: kundkannedom, tjanster, rattigheter, rik, marknadsforing, leverantorer\n"
    );
    let lone = common::scratch("pack-no-collection");
    std::fs::copy(common::fixture_file(), lone.join("kundservice.toml")).unwrap();
    let o = common::run(&lone, &["pack", "--data", ".", "-o", "x.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::stderr(&o).starts_with("error: no collection in .: a pack needs collection.toml\n")
    );
    assert!(!lone.join("x.pdf").exists());
}

#[test]
fn the_pack_is_byte_identical_for_the_same_input() {
    let set = data_set();
    let collection = set.collection().unwrap();
    let notices: Vec<&Notice> = set.notices().map(|l| &l.notice).collect();
    let selected = notice_pdf::render::pack_selection(collection, &notices, None).unwrap();
    let doc = notice_pdf::Document::Pack {
        collection,
        selected: &selected,
        all: &notices,
    };
    let one = notice_pdf::render(doc, &Options::default()).unwrap();
    let two = notice_pdf::render(doc, &Options::default()).unwrap();
    assert_eq!(one.pdf, two.pdf);
    assert!(one.pdf.starts_with(b"%PDF-"));
}

/// In the `oracles` tier: veraPDF passes both editions of the whole pack; read back with
/// poppler, every contents entry's number is a page that shows that title; and qpdf finds
/// every internal link's destination on the page the display list says.
#[cfg(feature = "oracles")]
#[test]
fn oracles_read_back_the_contents_and_internal_links() {
    let dir = common::scratch("pack-oracles");
    let mut files = Vec::new();
    for edition in Edition::ALL {
        let opts = Options {
            edition,
            ..Options::default()
        };
        let set = data_set();
        let collection = set.collection().unwrap();
        let notices: Vec<&Notice> = set.notices().map(|l| &l.notice).collect();
        let selected = notice_pdf::render::pack_selection(collection, &notices, None).unwrap();
        let doc = notice_pdf::Document::Pack {
            collection,
            selected: &selected,
            all: &notices,
        };
        let r = notice_pdf::render(doc, &opts).unwrap();
        let (dl, pdf) = (r.display, r.pdf);
        let path = dir.join(edition.file_name("integritetsinformation", "pdf"));
        std::fs::write(&path, &pdf).unwrap();
        let p = path.to_string_lossy().into_owned();

        // Contents, as poppler reads them: "Title ...... N".
        let text = |first: usize, last: usize| {
            let o = common::tool(
                "pdftotext",
                &[
                    "-layout",
                    "-f",
                    &first.to_string(),
                    "-l",
                    &last.to_string(),
                    &p,
                    "-",
                ],
            );
            String::from_utf8(o.stdout).unwrap()
        };
        let entries = contents(&dl);
        let first_chapter = entries.iter().map(|(_, n)| *n).min().unwrap();
        // The contents follow the title block on its page (and run on where they need to).
        let front = text(1, (first_chapter - 1).max(1));
        // Entries as poppler reads them: a notice's entry is followed by its summary; other
        // lines without leaders continue a wrapped title.
        let squeezed = |s: &str| s.split_whitespace().collect::<String>();
        let summary_of = |title: &str| {
            selected
                .iter()
                .find(|n| n.title == title)
                .map(|n| squeezed(&n.summary))
        };
        let mut read: Vec<(String, usize)> = Vec::new();
        let mut summaries_read: Vec<String> = Vec::new();
        let mut pending = String::new();
        // What is left to read of the summary under the last entry.
        let mut summary_left = String::new();
        for line in front.lines() {
            let line = line.trim();
            if line.is_empty() || line.contains("Sida ") || line == "Innehåll" {
                pending.clear();
            } else if let Some((title, rest)) = line.split_once(" . .") {
                let number = rest.split_whitespace().last().unwrap().parse().unwrap();
                let full = format!("{pending} {}", title.trim()).trim().to_owned();
                summary_left = summary_of(&full).unwrap_or_default();
                read.push((full, number));
                pending.clear();
            } else if !summary_left.is_empty() && summary_left.starts_with(&squeezed(line)) {
                summary_left = summary_left[squeezed(line).len()..].to_owned();
                if summary_left.is_empty() {
                    summaries_read.push(read.last().unwrap().0.clone());
                }
            } else {
                pending = format!("{pending} {line}");
            }
        }
        let titles: Vec<&String> = read.iter().map(|(t, _)| t).collect();
        let want: Vec<&String> = entries.iter().map(|(t, _)| t).collect();
        assert_eq!(titles, want, "{edition:?}:\n{front}");
        // Each notice's summary, whole, under its entry.
        let with_summary: Vec<&String> = selected.iter().map(|n| &n.title).collect();
        assert_eq!(
            summaries_read.iter().collect::<Vec<_>>(),
            with_summary,
            "{edition:?}:\n{front}"
        );
        for (title, number) in &read {
            let page = text(*number, *number).replace('\u{ad}', "");
            let flat: String = page.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                flat.contains(title.as_str()),
                "{edition:?}: page {number} shows {title:?}:\n{page}"
            );
        }

        // Internal links: qpdf's destination page equals the display list's.
        let o = common::tool(
            "qpdf",
            &["--json=2", "--json-key=pages", "--json-key=qpdf", &p],
        );
        let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let objects = json["qpdf"][1].as_object().unwrap();
        let pages: Vec<&str> = json["pages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pg| pg["object"].as_str().unwrap())
            .collect();
        let mut found = Vec::new();
        for (i, page) in pages.iter().enumerate() {
            let annots = objects[&format!("obj:{page}")]["value"]["/Annots"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for a in annots {
                let annot = &objects[&format!("obj:{}", a.as_str().unwrap())]["value"];
                let Some(dest) = annot["/Dest"].as_str() else {
                    continue;
                };
                let target = objects[&format!("obj:{dest}")]["value"][0]
                    .as_str()
                    .unwrap();
                found.push((i, pages.iter().position(|pg| *pg == target).unwrap()));
            }
        }
        let expected: Vec<(usize, usize)> = dl
            .pages
            .iter()
            .enumerate()
            .flat_map(|(i, pg)| {
                pg.items.iter().filter_map(move |it| match it {
                    Item::Link(l) => l.dest.map(|d| (i, d.page)),
                    _ => None,
                })
            })
            .collect();
        assert_eq!(found, expected, "{edition:?}");
        assert!(found.len() >= 30);
        files.push(path);
    }
    let refs: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
    common::assert_verapdf_passes(&refs);
}

#[test]
fn build_writes_the_pack_in_both_editions_and_lists_its_notices_in_the_manifest() {
    let out = common::scratch("pack-build");
    let data = fixture_dir();
    let args = [
        "build",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let first = common::run(&out, &args);
    assert!(first.status.success(), "{}", common::stderr(&first));
    let err = common::stderr(&first);
    assert!(err.contains("6 notice(s) and the pack built into"), "{err}");
    for file in [
        "integritetsinformation.pdf",
        "integritetsinformation.large.pdf",
    ] {
        let pdf = std::fs::read(out.join(file)).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{file}");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let packs: Vec<&serde_json::Value> = manifest["notices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["id"] == "integritetsinformation" && e["edition"] != "html")
        .collect();
    assert_eq!(packs.len(), 2);
    // And the pack's HTML alternative.
    assert!(out.join("integritetsinformation.html").exists());
    let set = data_set();
    let want: Vec<String> = set
        .collection()
        .unwrap()
        .order()
        .map(|id| {
            let n = set.notices().find(|l| l.notice.id == id).unwrap();
            format!("{id}@{}", n.notice.version.as_deref().unwrap())
        })
        .collect();
    for p in packs {
        let got: Vec<&str> = p["notices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(got, want);
        assert_eq!(p["updated"], "2024-05-20", "the newest notice's date");
    }
    // Built again: nothing changes.
    let again = common::run(&out, &args);
    assert!(
        common::stderr(&again).contains("6 notice(s) and the pack up to date"),
        "{}",
        common::stderr(&again)
    );
}

#[test]
fn the_contents_share_the_title_page_and_the_notices_are_listed_once() {
    for edition in Edition::ALL {
        let (ts, notices) = whole_pack(edition);
        let dl = &ts.display;
        let first: Vec<&str> = dl
            .content_runs()
            .iter()
            .filter(|(p, _, _)| *p == 0)
            .map(|(_, r, _)| r.text.as_str())
            .collect();
        assert!(
            first.contains(&notice_pdf::sv::CONTENTS),
            "{edition:?}: {first:?}"
        );
        // Each notice's title once in the front matter (before the first chapter): its
        // contents entry.
        let runs = dl.content_runs();
        let chapter = runs
            .iter()
            .position(|(_, r, _)| r.text == notices[0].title && r.size > 14.0)
            .unwrap();
        for n in &notices {
            let listed = runs[..chapter]
                .iter()
                .filter(|(_, r, _)| r.text.starts_with(&n.title))
                .count();
            assert!(
                listed <= 1,
                "{edition:?}: {} listed {listed} times",
                n.title
            );
        }
    }
}

#[test]
fn the_contents_say_what_each_notice_covers() {
    // In both editions each notice's entry holds its summary, under its title; in the HTML
    // alternative's contents too; and a notice without a `subject` has its summary as the
    // PDF's subject (XMP dc:description), written in the file.
    for edition in Edition::ALL {
        let (ts, notices) = whole_pack(edition);
        let dl = &ts.display;
        let mut said: Vec<(usize, String)> = Vec::new();
        for (_, run, node) in dl.content_runs() {
            let s = &dl.structure;
            let in_entry = s[node].kind == StructKind::Paragraph
                && s[node]
                    .parent
                    .is_some_and(|p| s[p].kind == StructKind::TocItem);
            if !in_entry {
                continue;
            }
            match said.last_mut() {
                Some((n, text)) if *n == node => {
                    text.push(' ');
                    text.push_str(&run.text);
                }
                _ => said.push((node, run.text.clone())),
            }
        }
        let said: Vec<String> = said.into_iter().map(|(_, t)| t).collect();
        let want: Vec<String> = notices.iter().map(|n| n.summary.clone()).collect();
        assert_eq!(said, want, "{edition:?}");
    }
    let set = data_set();
    let collection = set.collection().unwrap();
    let notices: Vec<&Notice> = set.notices().map(|l| &l.notice).collect();
    let selected = notice_pdf::render::pack_selection(collection, &notices, None).unwrap();
    let html = notice_pdf::html::pack(collection, &selected, &notices);
    let contents = &html[html.find("<nav").unwrap()..html.find("</nav>").unwrap()];
    for n in &selected {
        assert!(
            contents.contains(&format!("<p class=\"summary\">{}</p>", n.summary)),
            "{}",
            n.id
        );
    }
    let rik = notices.iter().find(|n| n.id == "rik").unwrap();
    assert!(rik.subject.is_none());
    let pdf = notice_pdf::render(notice_pdf::Document::Notice(rik), &Options::default())
        .unwrap()
        .pdf;
    let xmp = String::from_utf8_lossy(&pdf);
    assert!(
        xmp.contains(&format!(
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li>",
            rik.summary
        )),
        "the summary is the subject"
    );
}

#[test]
fn every_chapter_is_laid_out_once() {
    // Each paragraph set in the pack is set once: the chapters' paragraphs are exactly those
    // of the notices on their own (less each label, which a chapter leaves to the title page),
    // plus one per group title, and the front matter adds its own few.
    let (ts, notices) = whole_pack(Edition::Standard);
    let set = data_set();
    let alone: usize = notices
        .iter()
        .map(|n| {
            layout::typeset(n, &Options::default()).paragraphs.len()
                - usize::from(n.label.is_some())
        })
        .sum();
    let groups = set.collection().unwrap().groups.len();
    // Title page: label, title, date line; then the contents on it: its heading and one entry
    // per group and notice (no second list of the notices), each notice's with its summary.
    let front = 3 + 1 + groups + 2 * notices.len();
    assert_eq!(ts.paragraphs.len(), alone + groups + front);
}

#[test]
fn build_output_does_not_depend_on_the_number_of_threads() {
    let data = fixture_dir();
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = common::scratch(&format!("pack-threads-{threads}"));
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
            .args([
                "build",
                "--data",
                data.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .env("RAYON_NUM_THREADS", threads)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        // What a reader of the directory sees (not our bookkeeping: the lock, the generations).
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        outputs.push(files);
    }
    // 12 notice PDFs, 2 pack PDFs, 7 HTML alternatives, the manifest.
    assert_eq!(outputs[0].len(), 22);
    assert!(outputs[0] == outputs[1], "the same files, byte for byte");
}

/// Paper leads somewhere: in the pack, in every edition and alignment, a link to a chapter
/// prints "(sida N)" with the page its target lands on, and a link whose text is not its
/// address prints the address; both are artifacts, the link keeps only its own text.
#[test]
fn every_link_of_the_pack_says_where_it_leads_on_paper() {
    for opts in common::all_options() {
        let (ts, _) = pack_of(&data_set(), None, &opts);
        let what = format!("{:?} {:?}", opts.edition, opts.align);
        let checked = common::assert_links_lead_somewhere_on_paper(&ts.display, &what);
        assert!(checked >= 10, "{what}: {checked} references");
        let pages = ts
            .display
            .pages
            .iter()
            .flat_map(|p| &p.items)
            .filter(|i| matches!(i, Item::Text(r) if r.text.contains("(sida")))
            .count();
        assert!(pages >= 5, "{what}: {pages} page references");
    }
}
