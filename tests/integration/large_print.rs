//! Large print that follows the guidance (issue 12): no text under 16 pt, running head and
//! footer included; no hyphenation and no break inside a hyphenated word; question headings
//! larger than the text; and, in both editions, headings broken in balanced lines and
//! protected names of several words kept on one line. On the frozen notice, the fictional
//! bank's notices and its pack.

use crate::common;

use notice_pdf::layout::{self, DisplayList, Item, Role, StructKind};
use notice_pdf::source::DataSet;
use notice_pdf::{Edition, Notice, Options};

/// The frozen notice, the fictional bank's notices and the pack of them, in `edition`.
fn documents(edition: Edition) -> Vec<(String, DisplayList)> {
    let opts = Options {
        edition,
        ..Options::default()
    };
    let set = DataSet::load_dir(&common::root().join("tests/fixtures/exempelbanken")).unwrap();
    let notices: Vec<&Notice> = set.notices().map(|l| &l.notice).collect();
    let mut out = vec![(
        "kundservice".to_owned(),
        layout::layout(
            &notice_pdf::load(&common::fixture_file()).unwrap().notice,
            &opts,
        ),
    )];
    for n in &notices {
        out.push((n.id.clone(), layout::layout(n, &opts)));
    }
    let collection = set.collection().unwrap();
    let selected = notice_pdf::render::pack_selection(collection, &notices, None).unwrap();
    out.push((
        "pack".to_owned(),
        layout::typeset_pack(collection, &selected, &notices, &opts).display,
    ));
    out
}

fn runs(dl: &DisplayList) -> impl Iterator<Item = &notice_pdf::layout::TextRun> {
    dl.pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Text(r) => Some(r),
            _ => None,
        })
}

#[test]
fn every_text_in_large_print_is_at_least_16_pt() {
    for (name, dl) in documents(Edition::Large) {
        let small: Vec<(&str, f32)> = runs(&dl)
            .filter(|r| r.size < 16.0)
            .map(|r| (r.text.as_str(), r.size))
            .collect();
        assert!(small.is_empty(), "{name}: {small:?}");
        // Running head and footer are there, at 16 pt.
        assert!(runs(&dl).any(|r| matches!(r.role, Role::Artifact(_))
            && r.text.starts_with("Sida ")
            && r.size >= 16.0));
    }
}

#[test]
fn large_print_never_breaks_a_word() {
    for (name, dl) in documents(Edition::Large) {
        for r in runs(&dl).filter(|r| matches!(r.role, Role::Content { .. })) {
            assert!(
                !r.text.contains('\u{ad}'),
                "{name}: hyphenated {:?}",
                r.text
            );
        }
        // No line ends inside a word written with a hyphen ("e-|postadress").
        let lines = line_texts(&dl);
        for w in lines.windows(2) {
            let ends = w[0].ends_with('-');
            let starts_with_letter = w[1].chars().next().is_some_and(char::is_alphabetic);
            assert!(
                !(ends && starts_with_letter),
                "{name}: {:?} / {:?}",
                w[0],
                w[1]
            );
        }
    }
}

/// The text of each content line, in order (runs on one baseline of one page joined).
fn line_texts(dl: &DisplayList) -> Vec<String> {
    let mut out: Vec<(usize, f32, String)> = Vec::new();
    for (page, run, _) in dl.content_runs() {
        match out.last_mut() {
            Some((p, y, text)) if *p == page && (*y - run.y).abs() < 0.01 => {
                text.push_str(&run.text)
            }
            _ => out.push((page, run.y, run.text.clone())),
        }
    }
    out.into_iter()
        .map(|(_, _, t)| t.trim().to_owned())
        .collect()
}

#[test]
fn question_headings_in_large_print_are_larger_than_the_text() {
    for (name, dl) in documents(Edition::Large) {
        let size_of = |pred: &dyn Fn(&StructKind) -> bool| {
            dl.content_runs()
                .iter()
                .filter(|(_, _, n)| pred(&dl.structure[*n].kind))
                .map(|(_, r, _)| r.size)
                .fold(f32::NAN, f32::min)
        };
        let questions = size_of(&|k| matches!(k, StructKind::Heading { level: 3, .. }));
        let body = size_of(&|k| *k == StructKind::Paragraph);
        if name != "pack" && !questions.is_nan() {
            assert!(
                questions > body + 1.0,
                "{name}: questions {questions} pt, text {body} pt"
            );
        }
    }
}

#[test]
fn headings_break_in_balanced_lines() {
    for edition in Edition::ALL {
        for (name, dl) in documents(edition) {
            // Each heading's lines: no single word left alone on the last line of a heading of
            // several lines (every fixture heading has a more even break).
            let mut lines: Vec<(usize, f32, usize, String)> = Vec::new();
            for (page, run, node) in dl.content_runs() {
                if !matches!(dl.structure[node].kind, StructKind::Heading { .. }) {
                    continue;
                }
                match lines.last_mut() {
                    Some((p, y, n, text))
                        if *p == page && *n == node && (*y - run.y).abs() < 0.01 =>
                    {
                        text.push_str(&run.text)
                    }
                    _ => lines.push((page, run.y, node, run.text.clone())),
                }
            }
            for w in lines.windows(2) {
                let (a, b) = (&w[0], &w[1]);
                if a.2 == b.2 {
                    assert!(
                        b.3.trim().contains(' '),
                        "{edition:?} {name}: heading ends with one word alone: {:?} / {:?}",
                        a.3,
                        b.3
                    );
                }
            }
        }
    }
}

#[test]
fn protected_names_of_several_words_stay_on_one_line() {
    for edition in Edition::ALL {
        for (name, dl) in documents(edition) {
            if name != "kundservice" {
                continue;
            }
            let lines = line_texts(&dl);
            assert!(
                lines
                    .iter()
                    .any(|l| l.contains("Euro Accident Livförsäkring AB")),
                "{edition:?}: {lines:#?}"
            );
        }
    }
}

/// In the `oracles` tier: poppler and MuPDF read the large-print text layer as whole words.
#[cfg(feature = "oracles")]
#[test]
fn poppler_and_mupdf_read_large_print_as_whole_words() {
    let dir = common::scratch("large-print-text");
    let path = dir.join("kundservice.large.pdf");
    let o = common::run(
        &dir,
        &[
            "render",
            common::fixture_file().to_str().unwrap(),
            "--edition",
            "large",
            "-o",
            path.to_str().unwrap(),
        ],
    );
    assert!(o.status.success());
    let p = path.to_str().unwrap();
    let poppler = String::from_utf8(common::tool("pdftotext", &[p, "-"]).stdout).unwrap();
    let mupdf =
        String::from_utf8(common::tool("mutool", &["draw", "-F", "txt", p]).stdout).unwrap();
    for (reader, text) in [("poppler", &poppler), ("MuPDF", &mupdf)] {
        assert!(!text.contains('\u{ad}'), "{reader}: a soft hyphen");
        for word in [
            "e-postadress",
            "användarupplevelsen",
            "Euro Accident Livförsäkring AB",
        ] {
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(flat.contains(word), "{reader}: {word:?} is not whole");
        }
    }
}
