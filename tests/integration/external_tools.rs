//! The PDF checked by tools that share no code with us: poppler (pdftotext, pdffonts, pdfinfo)
//! and veraPDF. Each tool is required; CI installs them.
//!
//! In the `oracles` tier (`cargo test --features oracles`): needs poppler and veraPDF.
#![cfg(feature = "oracles")]

use crate::common;

use common::{render_edition, render_real, scratch, tool};
use notice_pdf::Edition;

fn write_real(test: &str) -> std::path::PathBuf {
    write_edition(test, Edition::Standard)
}

fn write_edition(test: &str, edition: Edition) -> std::path::PathBuf {
    let dir = scratch(&format!("{test}-{}", edition.key()));
    let path = dir.join(edition.file_name("kundservice", "pdf"));
    std::fs::write(&path, render_edition(edition).pdf).unwrap();
    path
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_owned).collect()
}

#[test]
fn pdftotext_gives_back_every_word_in_order() {
    for edition in Edition::ALL {
        pdftotext_check(edition);
    }
}

fn pdftotext_check(edition: Edition) {
    let pdf = write_edition("pdftotext", edition);
    let out = tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // A hyphenated line ends in a soft hyphen: join it with the next line.
    let joined = text.replace("\u{ad}\n", "");
    let got = words(&joined);

    let notice = notice_pdf::load(&common::fixture_file()).unwrap().notice;
    let expected: Vec<String> = common::printed_blocks(&notice)
        .iter()
        .flat_map(|b| words(b))
        .collect();
    // Every word of the notice, in order; the running header and footer may come in between.
    let mut at = 0;
    for w in &expected {
        match got[at..].iter().position(|g| g == w) {
            Some(i) => at += i + 1,
            None => panic!(
                "word {w:?} missing or out of order after {:?}",
                &got[at.saturating_sub(5)..at]
            ),
        }
    }
    for c in ["å", "ä", "ö"] {
        assert!(joined.contains(c), "{c} lost");
    }
    // Web-only chrome is not in the PDF.
    assert!(!joined.contains("cookie"));
    assert!(!joined.contains("Ladda ner informationen"));
    // Running header and footer on every page.
    let pages = joined
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .count();
    for n in 1..=pages {
        assert!(
            joined.contains(&format!("Sida {n} av {pages}")),
            "footer of page {n}"
        );
    }
}

#[test]
fn pdffonts_shows_every_font_embedded_and_subset() {
    for edition in Edition::ALL {
        pdffonts_check(edition);
    }
}

fn pdffonts_check(edition: Edition) {
    let pdf = write_edition("pdffonts", edition);
    let out = tool("pdffonts", &[pdf.to_str().unwrap()]);
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = table.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{table}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type... emb sub uni object-id gen
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "embedded, subset, ToUnicode: {row}"
        );
        assert!(cols[0].contains("+Inter-"), "subset tag and family: {row}");
    }
}

#[test]
fn pdfinfo_shows_metadata_and_tagging() {
    let pdf = write_real("pdfinfo");
    let out = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    for want in [
        "Title:           Kontakt med Avanzas kundservice",
        "Author:          Avanza",
        "Subject:         Integritetsinformation om behandling av personuppgifter vid kontakt med kundservice",
        "Keywords:        integritetsinformation, personuppgifter, GDPR, kundservice, Avanza",
        &format!("Creator:         notice-pdf {}", env!("CARGO_PKG_VERSION")),
        "CreationDate:    Mon Mar 20 00:00:00 2023 UTC",
        "ModDate:         Mon Mar 20 00:00:00 2023 UTC",
        "Tagged:          yes",
        "Page size:       595.276 x 841.89 pts (A4)",
    ] {
        assert!(info.contains(want), "missing {want:?} in\n{info}");
    }
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!((2..=3).contains(&pages), "{pages} pages");
    // The XMP metadata carries the version id printed in the title block.
    let out = tool("pdfinfo", &["-meta", pdf.to_str().unwrap()]);
    let xmp = String::from_utf8_lossy(&out.stdout).into_owned();
    let version = &notice_pdf::sha256_hex(&std::fs::read(common::fixture_file()).unwrap())[..8];
    assert!(
        xmp.contains(&format!("<xmpMM:VersionID>{version}</xmpMM:VersionID>")),
        "{xmp}"
    );
    // Extension schemas describe only what PDF/A-3 does not predefine (veraPDF checks that
    // nothing used is left undescribed): pdfuaid:part, not xmpMM:InstanceID or pdf:Producer.
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xmp}");
    assert!(
        xmp.contains("<pdfaProperty:name>part</pdfaProperty:name>"),
        "{xmp}"
    );
    for predefined in ["InstanceID", "Producer", "Keywords", "PDFVersion"] {
        let described = format!("<pdfaProperty:name>{predefined}</pdfaProperty:name>");
        assert!(
            !xmp.contains(&described),
            "{predefined} described in\n{xmp}"
        );
    }
    // Catalog: document language and title display (PDF/UA-1 7.2, 7.1).
    let bytes = std::fs::read(&pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let catalog = &text[text.find("/Type/Catalog").unwrap()..];
    let catalog = &catalog[..catalog.find("endobj").unwrap()];
    assert!(catalog.contains("/Lang(sv-SE)"), "{catalog}");
    assert!(catalog.contains("/DisplayDocTitle true"), "{catalog}");
    assert!(catalog.contains("/Outlines"), "{catalog}");
}

#[test]
fn verapdf_passes_pdfa_2a_and_pdfua_1() {
    // Both editions, and a justified rendering, in one veraPDF run.
    let standard = write_real("verapdf");
    let large = write_edition("verapdf", Edition::Large);
    let justified = standard.with_file_name("justified.pdf");
    let loaded = notice_pdf::load(&common::fixture_file()).unwrap();
    let opts = notice_pdf::Options {
        align: notice_pdf::Align::Justify,
        ..Default::default()
    };
    std::fs::write(
        &justified,
        notice_pdf::render(notice_pdf::Document::Notice(&loaded.notice), &opts)
            .unwrap()
            .pdf,
    )
    .unwrap();
    common::assert_verapdf_passes(&[&standard, &large, &justified]);
}

#[test]
fn renders_are_byte_identical_within_and_across_processes() {
    assert_eq!(render_real().pdf, render_real().pdf);
    let dir = scratch("identical");
    let root = common::root();
    let mut outs = Vec::new();
    for i in 0..2 {
        let out = dir.join(format!("run{i}.pdf"));
        let o = common::run(
            &root,
            &[
                "render",
                "data/kundservice.toml",
                "-o",
                out.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", common::stderr(&o));
        outs.push(std::fs::read(out).unwrap());
    }
    assert_eq!(outs[0], outs[1]);
    assert_eq!(outs[0], render_real().pdf);
}

/// Small objects live in a compressed object stream and the cross-reference table is a stream;
/// poppler still reads the page tree (packed) and veraPDF (above) the structure tree. The
/// budget was 25 KB (issue 5); the title block, the address with its vector QR code and the
/// links with their annotations (issue 10) add about 3.6 KB, the embedded data file and recipe
/// (issue 12) about 2.9 KB; issue 13's size work has to win back what it can. The budget
/// guards against growth beyond that.
/// Text strings as qpdf reads them back (it decodes PDFDocEncoding and UTF-16 alike): every
/// outline title and the QR code's alternate text are the display list's, character for
/// character, and the Swedish ones are stored one byte a character (`src/pdf/strings.rs`).
#[test]
fn qpdf_reads_back_every_outline_title_and_the_figure_alternate_text() {
    for edition in Edition::ALL {
        let loaded = notice_pdf::load(&common::fixture_file()).unwrap();
        let opts = notice_pdf::Options {
            edition,
            ..Default::default()
        };
        let dl = notice_pdf::layout::layout(&loaded.notice, &opts);
        let pdf = notice_pdf::pdf::write(&dl).unwrap();
        let path = scratch(&format!("strings-{}", edition.key())).join("n.pdf");
        std::fs::write(&path, &pdf).unwrap();
        let path = path.to_string_lossy().into_owned();

        let out = tool("qpdf", &["--json", "--json-key=outlines", &path]);
        assert!(out.status.success());
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        fn titles(v: &serde_json::Value, out: &mut Vec<String>) {
            for item in v.as_array().unwrap() {
                out.push(item["title"].as_str().unwrap().to_owned());
                titles(&item["kids"], out);
            }
        }
        fn expected(entries: &[notice_pdf::layout::OutlineEntry], out: &mut Vec<String>) {
            for e in entries {
                out.push(e.title.clone());
                expected(&e.children, out);
            }
        }
        let (mut got, mut want) = (Vec::new(), Vec::new());
        titles(&json["outlines"], &mut got);
        expected(&dl.outline, &mut want);
        assert!(want.iter().any(|t| t.contains('ä')), "{want:?}");
        assert_eq!(got, want, "{edition:?}");

        let out = tool("qpdf", &["--json", "--json-stream-data=none", &path]);
        let dump = String::from_utf8(out.stdout).unwrap();
        let alt = dl
            .structure
            .iter()
            .find_map(|n| match &n.kind {
                notice_pdf::layout::StructKind::Figure { alt } => Some(alt.clone()),
                _ => None,
            })
            .unwrap();
        assert!(
            dump.contains(&format!("\"/Alt\": \"u:{alt}\"")),
            "{edition:?}: {alt}"
        );
        // Stored in PDFDocEncoding: the title's "ä" is one byte, not UTF-16 in hex.
        let packed = has_literal(&pdf, &want[0]);
        assert!(packed, "{edition:?}: {:?} not in PDFDocEncoding", want[0]);
    }
}

/// Whether `text`, in Latin-1, is a literal string in one of the PDF's compressed object
/// streams.
fn has_literal(pdf: &[u8], text: &str) -> bool {
    use std::io::Read;
    let mut literal = vec![b'('];
    literal.extend(text.chars().map(|c| u8::try_from(u32::from(c)).unwrap()));
    literal.push(b')');
    let mut at = 0;
    while let Some(i) = pdf[at..].windows(12).position(|w| w == b"/Type/ObjStm") {
        let start = at + i;
        let data = start
            + pdf[start..]
                .windows(7)
                .position(|w| w == b"stream\n")
                .unwrap()
            + 7;
        let mut inflated = Vec::new();
        let _ = flate2::read::ZlibDecoder::new(&pdf[data..]).read_to_end(&mut inflated);
        if inflated
            .windows(literal.len())
            .any(|w| w == literal.as_slice())
        {
            return true;
        }
        at = data;
    }
    false
}

#[test]
fn small_objects_are_packed_and_the_notice_stays_within_its_size_budget() {
    for (edition, budget) in [(Edition::Standard, 26_500), (Edition::Large, 28_500)] {
        let pdf = render_edition(edition).pdf;
        let has = |s: &[u8]| pdf.windows(s.len()).any(|w| w == s);
        assert!(has(b"/Type/ObjStm") && has(b"/Type/XRef"));
        assert!(
            !has(b"\nxref\n") && !has(b"\ntrailer\n"),
            "no classic table"
        );
        assert!(pdf.len() <= budget, "{edition:?}: {} bytes", pdf.len());
        let path = write_edition("packed", edition);
        let out = tool("pdfinfo", &[path.to_str().unwrap()]);
        let info = String::from_utf8_lossy(&out.stdout);
        let pages = if edition == Edition::Standard { 3 } else { 5 };
        assert!(
            info.contains(&format!("Pages:           {pages}\n")),
            "{info}"
        );
        assert!(info.contains("Tagged:          yes"), "{info}");
    }
}

/// Every word of every notice of the fixture pack, as written, in poppler's and MuPDF's text
/// extraction, in both editions and alignments. A hyphenation's line ends in U+00AD, which
/// joins the word; a written hyphen ("e-postadress", "08-123") is never at a line's end, where
/// poppler would drop it. In order, except poppler on justified text: it reads a line whose
/// spaces are stretched wide (before an unbreakable telephone number) as columns.
#[test]
fn poppler_and_mupdf_give_back_the_pack_word_for_word() {
    let fixtures = common::root().join("tests/fixtures/exempelbanken");
    let set = notice_pdf::source::DataSet::load_dir(&fixtures).unwrap();
    let all: Vec<&notice_pdf::Notice> = set.notices().map(|l| &l.notice).collect();
    let in_pack =
        notice_pdf::render::pack_selection(set.collection().unwrap(), &all, None).unwrap();
    // A chapter has no label or version line of its own: the pack's title page has them.
    let expected: Vec<String> = in_pack
        .iter()
        .flat_map(|notice| {
            let version = notice_pdf::sv::version_line(notice);
            common::printed_blocks(notice)
                .into_iter()
                .filter(move |b| *b != version && notice.label.as_deref() != Some(b.as_str()))
        })
        .flat_map(|b| words(&b))
        .collect();
    let dir = scratch("pack-words");
    for edition in Edition::ALL {
        for align in ["left", "justify"] {
            let path = dir.join(format!("{}-{align}.pdf", edition.key()));
            let o = common::run(
                &dir,
                &[
                    "pack",
                    "--data",
                    fixtures.to_str().unwrap(),
                    "--align",
                    align,
                    "--edition",
                    edition.key(),
                    "-o",
                    path.to_str().unwrap(),
                ],
            );
            assert!(o.status.success(), "{}", common::stderr(&o));
            let p = path.to_str().unwrap();
            let poppler = tool("pdftotext", &["-enc", "UTF-8", p, "-"]).stdout;
            let mupdf = tool("mutool", &["draw", "-F", "txt", p]).stdout;
            for (reader, text) in [("poppler", poppler), ("MuPDF", mupdf)] {
                let what = format!("{reader}, {edition:?}, {align}");
                let text = String::from_utf8(text).unwrap();
                let got = words(&without_references(&text.replace("\u{ad}\n", "")));
                assert!(
                    !got.iter().any(|w| w.contains('\u{ad}')),
                    "{what}: a soft hyphen inside a line"
                );
                if (reader, align) == ("poppler", "justify") {
                    let mut left = got.clone();
                    for w in &expected {
                        let i = left.iter().position(|g| g == w);
                        let i =
                            i.unwrap_or_else(|| panic!("{what}: {w:?} missing or not as written"));
                        left.swap_remove(i);
                    }
                    continue;
                }
                let mut at = 0;
                for w in &expected {
                    match got[at..].iter().position(|g| g == w) {
                        Some(i) => at += i + 1,
                        None => panic!(
                            "{what}: {w:?} missing, not as written or out of order after {:?}",
                            &got[at.saturating_sub(5)..at]
                        ),
                    }
                }
            }
        }
    }
}

/// `text` without the references paper prints after links, " (sida 4)" and " (exempelbanken.se/
/// kontakt)": what the notice says, word for word.
fn without_references(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let close = rest[open..].find(')').map(|c| open + c);
        let inside = close.map(|c| rest[open + 1..c].replace(['\n', '\u{c}'], ""));
        let reference = inside.as_deref().is_some_and(|i| {
            i.strip_prefix("sida").is_some_and(|n| {
                n.trim_start_matches([' ', '\u{a0}'])
                    .parse::<usize>()
                    .is_ok()
            }) || (!i.contains(' ') && i.contains('.') && (i.contains('/') || i.contains('@')))
        });
        match close {
            Some(close) if reference => {
                out.push_str(rest[..open].trim_end());
                rest = &rest[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}
