//! "Vad har ändrats sedan …": a notice whose text changed ends with what changed since its
//! newest earlier version in the build's archive, in the PDF (marked words tagged with a text
//! equivalent), in the pack's chapter and in the HTML alternative; every document still
//! verifies, the old one from the archive too, and the rule is the same in `build`, `render`
//! and `serve`.

use crate::common;

use std::path::{Path, PathBuf};

use notice_pdf::layout::{Item, Mark, StructKind};
use notice_pdf::verify::{Outcome, embedded_files, verify};

/// Rik as `build` lays it out now: with its previous version from `out`.
fn rik_now(data: &Path, out: &Path, edition: notice_pdf::Edition) -> notice_pdf::DisplayList {
    let mut notice = notice_pdf::source::load_in_place(&data.join("rik.toml"))
        .unwrap()
        .notice;
    notice.previous = notice_pdf::history::previous(out, &notice).map(Box::new);
    let opts = notice_pdf::Options {
        edition,
        ..Default::default()
    };
    notice_pdf::layout::layout(&notice, &opts)
}

/// The text of a structure node's runs, in reading order.
fn text_of(dl: &notice_pdf::DisplayList, node: usize) -> String {
    dl.content_runs()
        .into_iter()
        .filter(|(_, _, n)| *n == node)
        .map(|(_, r, _)| r.text.trim_end_matches('\u{ad}').to_owned())
        .collect()
}

#[test]
fn a_changed_answer_ends_the_rebuilt_pdf_with_what_changed_marked_and_tagged() {
    let (data, out) = common::changed_rik("changed-pdf", true);
    for edition in notice_pdf::Edition::ALL {
        let dl = rik_now(&data, &out, edition);
        // The last section-level heading is the changes section's, named by the old date.
        let headings: Vec<(usize, u8, &str)> = dl
            .structure
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match &n.kind {
                StructKind::Heading { level, text } => Some((i, *level, text.as_str())),
                _ => None,
            })
            .collect();
        let h2s: Vec<&str> = headings.iter().filter(|h| h.1 == 2).map(|h| h.2).collect();
        assert_eq!(
            h2s.last(),
            Some(&"Vad har ändrats sedan 2\u{a0}maj\u{a0}2024"),
            "{h2s:?}"
        );
        let after: Vec<&str> = headings
            .iter()
            .skip_while(|h| !h.2.starts_with("Vad har ändrats"))
            .skip(1)
            .map(|h| h.2)
            .collect();
        assert_eq!(
            after,
            ["När du ringer till oss"],
            "only the changed section"
        );
        assert!(
            dl.outline
                .iter()
                .any(|e| e.title.starts_with("Vad har ändrats"))
        );
        // The removed and added words: Spans with a text equivalent, drawn in their colours
        // with a line through or under them.
        let spans: Vec<(usize, Mark, &str)> = dl
            .structure
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match &n.kind {
                StructKind::Span { mark, alt } => Some((i, *mark, alt.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(
            spans.iter().map(|s| (s.1, s.2)).collect::<Vec<_>>(),
            [
                // "Tidigare:" the old wording whole, "Nu:" the new with its added word.
                (
                    Mark::Removed,
                    "borttaget: I sex månader. Därefter raderas inspelningen automatiskt."
                ),
                (Mark::Added, "tillagt: tre")
            ]
        );
        for (node, mark, alt) in &spans {
            let word = alt.split(": ").nth(1).unwrap();
            // Its lines joined (a line break stands for the space between them).
            let squeeze = |t: &str| t.split_whitespace().collect::<String>();
            assert_eq!(squeeze(&text_of(&dl, *node)), squeeze(word));
            // A rule spans the word's run on its page.
            let (page, run, _) = dl
                .content_runs()
                .into_iter()
                .find(|(_, _, n)| n == node)
                .unwrap();
            let ruled = dl.pages[page].items.iter().any(|i| match i {
                Item::Rule(r) => {
                    (r.x0 - run.x).abs() < 0.01
                        && (r.x1 - run.x - run.width()).abs() < 0.01
                        && (r.y0 - run.y).abs() < run.size
                }
                _ => false,
            });
            // Struck through when removed; added words carry no line (it would read as a
            // link): they are semibold.
            assert_eq!(ruled, *mark == Mark::Removed, "{alt}");
        }
        let removed = dl
            .content_runs()
            .into_iter()
            .find(|(_, _, n)| *n == spans[0].0)
            .unwrap()
            .1
            .clone();
        let added = dl
            .content_runs()
            .into_iter()
            .find(|(_, _, n)| *n == spans[1].0)
            .unwrap()
            .1
            .clone();
        assert_ne!(removed.color, added.color);
        assert_ne!(removed.font, added.font, "added words are semibold too");
        // The new wording under the old one, not word by word beside it.
        assert!(added.y > removed.y);
    }
    // The PDF build wrote is that document, and carries the old version it compares with.
    let pdf = std::fs::read(out.join("rik.pdf")).unwrap();
    let dl = rik_now(&data, &out, notice_pdf::Edition::Standard);
    assert_eq!(notice_pdf::pdf::write(&dl).unwrap(), pdf);
    let names: Vec<String> = embedded_files(&pdf)
        .unwrap()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let previous = names
        .iter()
        .find(|n| n.ends_with(".tidigare.toml"))
        .expect("the previous version is embedded");
    assert!(previous.starts_with("rik."), "{names:?}");
}

#[test]
fn the_new_pdf_the_archived_one_and_the_pack_all_verify() {
    let (_, out) = common::changed_rik("changed-verify", true);
    let new = std::fs::read(out.join("rik.pdf")).unwrap();
    let v = verify(&new).unwrap();
    assert_eq!(v.outcome, Outcome::Identical);
    assert_eq!(v.recipe.previous.len(), 1);
    assert_eq!(v.held[0].updated.to_string(), "2024-09-01");
    let large = verify(&std::fs::read(out.join("rik.large.pdf")).unwrap()).unwrap();
    assert_eq!(large.outcome, Outcome::Identical);
    let archived: Vec<PathBuf> = std::fs::read_dir(out.join("archive/rik"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert_eq!(archived.len(), 2, "{archived:?}");
    for a in &archived {
        let v = verify(&std::fs::read(a).unwrap()).unwrap();
        assert_eq!(v.outcome, Outcome::Identical, "{}", a.display());
        assert_eq!(v.held[0].updated.to_string(), "2024-05-02");
        assert!(v.recipe.previous.is_empty());
    }
    for pack in [
        "integritetsinformation.pdf",
        "integritetsinformation.large.pdf",
    ] {
        let v = verify(&std::fs::read(out.join(pack)).unwrap()).unwrap();
        assert_eq!(v.outcome, Outcome::Identical, "{pack}");
        assert_eq!(v.recipe.previous.len(), 1, "{pack}");
    }
    // The manifest names the version the section compares with.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let rik: Vec<&serde_json::Value> = manifest["notices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["id"] == "rik")
        .collect();
    assert_eq!(rik.len(), 3, "two editions and the HTML alternative");
    for e in rik {
        let with = e["compared_with"].as_str().unwrap();
        assert!(with.starts_with("2024-05-02@"), "{with}");
        assert_eq!(with.len(), "2024-05-02@".len() + 8);
    }
    // The CLI says so too.
    let o = common::run(&out, &["verify", "rik.pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let said = String::from_utf8(o.stdout).unwrap();
    let (date, version) = v.held[0].compared_with.clone().unwrap();
    assert_eq!(date.to_string(), "2024-05-02");
    assert!(
        said.contains(&format!(
            "\n    compared with its version 2024-05-02 ({version}) in \"Vad har ändrats\"\n"
        )),
        "{said}"
    );
    assert!(said.ends_with(
        "identical: its embedded data, rendered again, gives this file byte for byte\n"
    ));
}

#[test]
fn rebuilding_changes_nothing_and_the_section_stays_until_the_next_version() {
    let (data, out) = common::changed_rik("changed-idempotent", true);
    let before = std::fs::read(out.join("rik.pdf")).unwrap();
    // The old version is now in the archive only: the same comparison, the same bytes.
    let said = common::build_into(&data, &out);
    assert!(said.contains("nothing changed"), "{said}");
    assert_eq!(std::fs::read(out.join("rik.pdf")).unwrap(), before);
    // `build --check` agrees.
    let o = common::run(
        &data,
        &[
            "build",
            "--data",
            ".",
            "--out",
            out.to_str().unwrap(),
            "--check",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    // The next version compares with this one, not the first.
    let file = data.join("rik.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("I tre månader. Därefter", "I fyra månader. Därefter")
            .replace("updated = \"2024-09-01\"", "updated = \"2024-10-15\""),
    )
    .unwrap();
    common::build_into(&data, &out);
    let dl = rik_now(&data, &out, notice_pdf::Edition::Standard);
    let alts: Vec<&str> = dl
        .structure
        .iter()
        .filter_map(|n| match &n.kind {
            StructKind::Span { alt, .. } => Some(alt.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        alts,
        [
            "borttaget: I tre månader. Därefter raderas inspelningen automatiskt.",
            "tillagt: fyra"
        ]
    );
    assert!(
        dl.structure.iter().any(|n| matches!(&n.kind,
        StructKind::Heading { text, .. } if text == "Vad har ändrats sedan 1\u{a0}september\u{a0}2024"))
    );
}

#[test]
fn a_change_without_a_new_date_or_no_archive_gives_no_section() {
    // The date was not moved on: the earlier PDF has the same date, so it is not earlier.
    let (data, out) = common::changed_rik("changed-same-date", false);
    let dl = rik_now(&data, &out, notice_pdf::Edition::Standard);
    assert!(
        !dl.structure
            .iter()
            .any(|n| matches!(&n.kind, StructKind::Span { .. }))
    );
    let v = verify(&std::fs::read(out.join("rik.pdf")).unwrap()).unwrap();
    assert!(v.recipe.previous.is_empty());
    // Other notices never changed: no section either.
    let pdf = std::fs::read(out.join("tjanster.pdf")).unwrap();
    assert!(verify(&pdf).unwrap().recipe.previous.is_empty());
}

#[test]
#[cfg(feature = "serve")]
fn render_html_and_serve_with_versions_give_what_build_wrote() {
    let (data, out) = common::changed_rik("changed-render", true);
    let dir = data.parent().unwrap();
    let o = common::run(
        dir,
        &[
            "render",
            "data/rik.toml",
            "--versions",
            "output",
            "-o",
            "rendered.pdf",
        ],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert_eq!(
        std::fs::read(dir.join("rendered.pdf")).unwrap(),
        std::fs::read(out.join("rik.pdf")).unwrap()
    );
    // Without --versions: no comparison, another document.
    let o = common::run(dir, &["render", "data/rik.toml", "-o", "alone.pdf"]);
    assert!(o.status.success());
    assert_ne!(
        std::fs::read(dir.join("alone.pdf")).unwrap(),
        std::fs::read(out.join("rik.pdf")).unwrap()
    );
    // The HTML alternative has the same section: removed words in del, added in ins.
    let html = std::fs::read_to_string(out.join("rik.html")).unwrap();
    assert!(
        html.contains("Vad har ändrats sedan 2\u{a0}maj\u{a0}2024"),
        "{html}"
    );
    assert!(
        html.contains("<del>I sex månader. Därefter raderas inspelningen automatiskt.</del>")
            && html.contains("<ins>tre</ins>"),
        "{html}"
    );
    let o = common::run(
        dir,
        &[
            "html",
            "data/rik.toml",
            "--versions",
            "output",
            "-o",
            "rik.html",
        ],
    );
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(dir.join("rik.html")).unwrap(), html);
    // The pack made with --versions is the one build wrote.
    let o = common::run(
        dir,
        &[
            "pack",
            "--data",
            "data",
            "--versions",
            "output",
            "-o",
            "pack.pdf",
        ],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert_eq!(
        std::fs::read(dir.join("pack.pdf")).unwrap(),
        std::fs::read(out.join("integritetsinformation.pdf")).unwrap()
    );
    // The server, given the same output directory, hands out the same bytes.
    let srv = common::http::start_with(&data, &["--versions", out.to_str().unwrap()]);
    for (path, file) in [
        ("/notices/rik.pdf", "rik.pdf"),
        ("/notices/rik.pdf?edition=large", "rik.large.pdf"),
        ("/notices/rik.html", "rik.html"),
        ("/pack.pdf", "integritetsinformation.pdf"),
    ] {
        let r = common::http::get(&srv.addr, path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.body, std::fs::read(out.join(file)).unwrap(), "{path}");
    }
}

/// In the `oracles` tier: poppler reads the section as the document's last text before the
/// address at its end, and veraPDF passes both editions and the pack.
#[cfg(feature = "oracles")]
#[test]
fn poppler_reads_the_changes_and_verapdf_passes() {
    let (_, out) = common::changed_rik("changed-oracles", true);
    let pdf = out.join("rik.pdf");
    let text = String::from_utf8(
        common::tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]).stdout,
    )
    .unwrap();
    let at = text.find("Vad har ändrats sedan 2").expect("the section");
    let tail = &text[at..];
    assert!(
        tail.contains("Hur länge sparar vi uppgifterna? – ändrad text"),
        "{tail}"
    );
    assert!(tail.contains("Tidigare: I sex månader."), "{tail}");
    assert!(tail.contains("Nu: I tre månader."), "{tail}");
    assert!(!tail.contains("Dina rättigheter"), "{tail}");
    common::assert_verapdf_passes(&[
        &pdf,
        &out.join("rik.large.pdf"),
        &out.join("integritetsinformation.pdf"),
    ]);
}

/// The text of every paragraph and heading under the changes section's `Sect`, one entry a
/// block: pieces of a line joined as they are, lines with a space (none after a soft hyphen).
fn section_blocks(dl: &notice_pdf::DisplayList) -> Vec<String> {
    let h2 = dl
        .structure
        .iter()
        .position(|n| matches!(&n.kind, StructKind::Heading { text, .. } if text.starts_with("Vad har ändrats")))
        .unwrap();
    let sect = dl.structure[h2].parent.unwrap();
    let under = |mut i: usize| loop {
        match dl.structure[i].parent {
            Some(p) if p == sect => return true,
            Some(p) => i = p,
            None => return false,
        }
    };
    let mut blocks: Vec<(usize, String, f32)> = Vec::new();
    for (_, run, node) in dl.content_runs() {
        if !under(node) {
            continue;
        }
        // Spans belong to their paragraph's block.
        let block = match dl.structure[node].kind {
            StructKind::Span { .. } => dl.structure[node].parent.unwrap(),
            _ => node,
        };
        match blocks.last_mut() {
            Some((b, text, y)) if *b == block => {
                if (run.y - *y).abs() > 0.1 && !text.ends_with('\u{ad}') {
                    text.push(' ');
                }
                *text = text.trim_end_matches('\u{ad}').to_owned();
                text.push_str(&run.text);
                *y = run.y;
            }
            _ => blocks.push((block, run.text.clone(), run.y)),
        }
    }
    blocks
        .into_iter()
        .map(|(_, t, _)| t.trim_end_matches('\u{ad}').replace('\u{a0}', " "))
        .collect()
}

#[test]
fn the_html_section_says_what_the_pdf_section_says() {
    let path = common::root().join("tests/fixtures/exempelbanken/rik.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let old = notice_pdf::model::parse(&path, &text).unwrap();
    let changed = text
        .replace(
            "I sex månader. Därefter raderas",
            "I tre månader. Därefter tas bort och raderas",
        )
        .replace("updated = \"2024-05-02\"", "updated = \"2024-09-01\"");
    let mut new = notice_pdf::model::parse(&path, &changed).unwrap();
    new.previous = Some(Box::new(old));
    let html = notice_pdf::html::notice(&new);
    let start = html.find("<section class=\"changes\"").unwrap();
    let end = start + html[start..].find("</section>").unwrap();
    let mut plain = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => plain.push(if c == '\u{a0}' { ' ' } else { c }),
            _ => {}
        }
    }
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    for edition in notice_pdf::Edition::ALL {
        let opts = notice_pdf::Options {
            edition,
            ..Default::default()
        };
        let blocks = section_blocks(&notice_pdf::layout::layout(&new, &opts));
        assert!(blocks.len() >= 5, "{blocks:?}");
        assert!(
            blocks.iter().any(|b| b
                == "Nu: I tre månader. Därefter tas bort och raderas inspelningen automatiskt."),
            "{blocks:?}"
        );
        assert!(
            blocks
                .iter()
                .any(|b| b == "Tidigare: I sex månader. Därefter raderas inspelningen automatiskt."),
            "{blocks:?}"
        );
        for b in &blocks {
            let b = b.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(plain.contains(&b), "{b:?} is not in the HTML: {plain}");
        }
    }
}

#[test]
fn a_new_date_with_the_same_text_gives_the_document_without_a_section() {
    let data = common::scratch("changed-date-only").join("data");
    common::copy_collection(&data);
    let out = data.parent().unwrap().join("output");
    common::build_into(&data, &out);
    let file = data.join("rik.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("updated = \"2024-05-02\"", "updated = \"2024-09-01\""),
    )
    .unwrap();
    common::build_into(&data, &out);
    let dir = data.parent().unwrap();
    let o = common::run(dir, &["render", "data/rik.toml", "-o", "alone.pdf"]);
    assert!(o.status.success());
    assert_eq!(
        std::fs::read(out.join("rik.pdf")).unwrap(),
        std::fs::read(dir.join("alone.pdf")).unwrap()
    );
}

#[test]
fn a_pdf_replaced_between_two_questions_is_read_again() {
    // One process asks twice, as `serve --versions` does at every scan, and a build replaces
    // `rik.pdf` in between: the second answer comes from the new file, not the remembered one.
    let (data, out) = common::changed_rik("history-replaced", true);
    let file = data.join("rik.toml");
    let three = std::fs::read_to_string(&file).unwrap();
    let ask = |text: &str| {
        std::fs::write(&file, text).unwrap();
        let notice = notice_pdf::load(&file).unwrap().notice;
        notice_pdf::history::previous(&out, &notice).map(|v| v.updated.to_string())
    };
    let later = three
        .replace("updated = \"2024-09-01\"", "updated = \"2025-03-01\"")
        .replace("I tre månader.", "I två månader.");
    // `rik.pdf` holds the version of 2024-09-01.
    assert_eq!(ask(&later).as_deref(), Some("2024-09-01"));
    // Replaced, as a build does (a new file renamed into place), by one of 2024-10-01.
    let october = three
        .replace("updated = \"2024-09-01\"", "updated = \"2024-10-01\"")
        .replace("I tre månader.", "I fyra månader.");
    std::fs::write(&file, &october).unwrap();
    let dir = data.parent().unwrap();
    let o = common::run(dir, &["render", "data/rik.toml", "-o", "october.pdf"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    std::fs::rename(dir.join("october.pdf"), out.join("rik.pdf")).unwrap();
    assert_eq!(ask(&later).as_deref(), Some("2024-10-01"));
}
