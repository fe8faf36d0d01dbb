//! Running text as CommonMark, typeset: `tests/fixtures/exempelbanken/rik.toml` uses every supported
//! construct (paragraphs, bullet lists, emphasis, strong and nested emphasis, links to
//! addresses, mail addresses and notices) and is set without a typographic defect.

use crate::common;

use notice_pdf::fonts::FontId;
use notice_pdf::layout::{self, DisplayList, Item, Role, StructKind};
use notice_pdf::report::Defects;
use notice_pdf::{Edition, Options};

fn rich() -> notice_pdf::Notice {
    notice_pdf::load(&common::root().join("tests/fixtures/exempelbanken/rik.toml"))
        .unwrap()
        .notice
}

/// The rich notice laid out in `edition`.
fn laid_out(edition: Edition) -> DisplayList {
    layout::layout(
        &rich(),
        &Options {
            edition,
            ..Options::default()
        },
    )
}

/// The face every content run with exactly `text` is set in.
fn faces_of(dl: &DisplayList, text: &str) -> Vec<FontId> {
    dl.content_runs()
        .iter()
        .filter(|(_, r, _)| r.text.trim() == text)
        .map(|(_, r, _)| r.font)
        .collect()
}

#[test]
fn emphasis_is_italic_strong_is_semibold_and_they_nest() {
    for edition in Edition::ALL {
        let dl = laid_out(edition);
        let all: Vec<FontId> = dl.content_runs().iter().map(|(_, r, _)| r.font).collect();
        for face in FontId::ALL {
            assert!(all.contains(&face), "{edition:?}: {face:?} is used");
        }
        assert_eq!(faces_of(&dl, "alla"), [FontId::Italic]);
        assert_eq!(faces_of(&dl, "följa upp"), [FontId::SemiBoldItalic]);
        assert_eq!(faces_of(&dl, "besvara dina frågor"), [FontId::SemiBold]);
        // Words around emphasis stay in the running text's face, side by side on the line.
        let runs = common::line_runs(&dl);
        for w in runs.windows(2) {
            let (a, b) = (w[0].1, w[1].1);
            // (A list's label stands apart from its item.)
            let label = matches!(a.role, Role::Content { node } if dl.structure[node].kind == StructKind::Label);
            if a.y == b.y && w[0].0 == w[1].0 && !label {
                assert!(
                    (a.x + a.width() - b.x).abs() < 0.01,
                    "{edition:?}: {:?} then {:?}",
                    a.text,
                    b.text
                );
            }
        }
    }
}

#[test]
fn every_kind_of_link_leads_where_it_should() {
    let n = rich();
    let dl = layout::layout(&n, &Options::default());
    let mut urls: Vec<&str> = dl
        .structure
        .iter()
        .filter_map(|s| match &s.kind {
            StructKind::Link { url } => Some(url.as_str()),
            _ => None,
        })
        .collect();
    urls.sort();
    urls.dedup();
    assert_eq!(
        urls,
        [
            "https://www.exempelbanken.se/integritet.html",
            // notice:rik#rattigheter: in a single notice, its own address.
            "https://www.exempelbanken.se/integritet/kundtjanst.html",
            "https://www.riksdagen.se/sv/dokument-och-lagar/",
            "mailto:dataskydd@exempelbanken.se",
        ]
    );
    // notice:leverantorer is not in this PDF: plain text, no link.
    let plain = dl
        .content_runs()
        .into_iter()
        .find(|(_, r, _)| r.text.contains("Anlitade"))
        .unwrap();
    assert_eq!(dl.structure[plain.2].kind, StructKind::Paragraph);
    // A link that wraps has one area per line.
    let policy: Vec<_> = dl
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|it| match it {
            Item::Link(l) if l.url == "https://www.exempelbanken.se/integritet.html" => {
                Some(l.text.as_str())
            }
            _ => None,
        })
        .collect();
    assert_eq!(policy.concat().replace(' ', ""), "policyförpersonuppgifter");
}

#[test]
fn the_rich_notice_is_set_without_a_defect_in_every_edition_and_alignment() {
    let n = rich();
    for opts in common::all_options() {
        let (ts, rep) = common::typeset_with_report(&n, &opts);
        assert_eq!(rep.defects, Defects::default(), "{opts:?}:\n{rep}");
        for page in &ts.display.pages {
            for item in &page.items {
                if let Item::Text(r) = item {
                    assert!(r.x >= 0.0 && r.x + r.width() <= page.width, "{:?}", r.text);
                }
            }
        }
    }
}

/// In the `oracles` tier: veraPDF passes both editions of the rich notice.
#[cfg(feature = "oracles")]
#[test]
fn the_rich_notice_passes_verapdf() {
    let n = rich();
    let dir = common::scratch("rich-verapdf");
    let mut files = Vec::new();
    for edition in Edition::ALL {
        let opts = Options {
            edition,
            ..Options::default()
        };
        let path = dir.join(format!("rich-{}.pdf", edition.key()));
        std::fs::write(
            &path,
            notice_pdf::render(notice_pdf::Document::Notice(&n), &opts)
                .unwrap()
                .pdf,
        )
        .unwrap();
        files.push(path);
    }
    common::assert_verapdf_passes(&[&files[0], &files[1]]);
}

#[test]
fn lists_number_and_nest_three_deep() {
    for edition in Edition::ALL {
        let dl = laid_out(edition);
        let s = &dl.structure;
        let depth = |mut i: usize| {
            let mut d = 0;
            while let Some(p) = s[i].parent {
                d += usize::from(matches!(s[p].kind, StructKind::List { .. }));
                i = p;
            }
            d
        };
        let lists: Vec<(bool, usize)> = s
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match n.kind {
                StructKind::List { ordered } => Some((ordered, depth(i))),
                _ => None,
            })
            .collect();
        assert_eq!(lists, [(true, 0), (false, 1), (false, 2)], "{edition:?}");
        // Labels: numbers, then the bullets of levels 2 and 3, each level further in.
        let labels: Vec<(String, f32)> = dl
            .content_runs()
            .iter()
            .filter(|(_, _, node)| s[*node].kind == StructKind::Label)
            .map(|(_, r, _)| (r.text.clone(), r.x))
            .collect();
        let texts: Vec<&str> = labels.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["1.", "◦", "◦", "▪", "▪", "2.", "3."], "{edition:?}");
        assert!(labels[0].1 < labels[1].1 && labels[1].1 < labels[3].1);
        // Every body starts after its label.
        let runs = dl.content_runs();
        for w in runs.windows(2) {
            let (label, body) = (w[0].1, w[1].1);
            if s[w[0].2].kind == StructKind::Label {
                assert!(body.x > label.x + label.width(), "{:?}", body.text);
            }
        }
    }
}

#[test]
fn a_hard_line_break_ends_the_line_inside_its_paragraph() {
    for opts in common::all_options() {
        let dl = layout::layout(&rich(), &opts);
        let runs = dl.content_runs();
        let at = runs
            .iter()
            .position(|(_, r, _)| r.text.trim() == "Skriv till oss:")
            .expect("the first line ends at the break");
        let three: Vec<_> = runs[at..at + 3].iter().collect();
        assert_eq!(
            three
                .iter()
                .map(|(_, r, _)| r.text.trim())
                .collect::<Vec<_>>(),
            [
                "Skriv till oss:",
                "Exempelbanken, Dataskydd",
                "Box 1234, 111\u{a0}22\u{a0}Stockholm"
            ],
            "{opts:?}"
        );
        assert!(
            three.iter().all(|(_, _, node)| *node == three[0].2),
            "one paragraph"
        );
        assert!(three[0].1.y < three[1].1.y && three[1].1.y < three[2].1.y);
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn markdown() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[a-zåäö]{1,14}",
            Just(" ".to_owned()),
            Just("\n".to_owned()),
            Just("\n\n".to_owned()),
            Just("*".to_owned()),
            Just("**".to_owned()),
            Just("\n- ".to_owned()),
            Just("\n1. ".to_owned()),
            Just("\n   - ".to_owned()),
            Just("\\\n".to_owned()),
            Just("[länk till sidan](https://www.avanza.se/a)".to_owned()),
        ];
        proptest::collection::vec(piece, 1..60).prop_map(|v| v.concat())
    }

    fn toml_basic(s: &str) -> String {
        format!(
            "\"{}\"",
            s.replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n")
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48)
        ))]

        /// Whatever running text validation accepts is typeset in every edition and alignment:
        /// no glyph leaves the page and every letter comes out, in order.
        #[test]
        fn accepted_running_text_is_typeset_whole(src in markdown()) {
            let text = std::fs::read_to_string(common::fixture_file()).unwrap().replace(
                "answer = [\"Vi sparar personuppgifterna i 6 månader.\"]",
                &format!("answer = [{}]", toml_basic(&src)),
            );
            let dir = common::scratch("prop-rich");
            let path = dir.join("n.toml");
            std::fs::write(&path, &text).unwrap();
            let loaded = notice_pdf::load(&path);
            prop_assume!(loaded.is_ok());
            let n = loaded.unwrap().notice;
            let letters = |s: &str| -> String { s.chars().filter(|c| c.is_alphabetic()).collect() };
            let want = letters(&notice_pdf::model::Text::running(src.as_str()).plain());
            for opts in common::all_options() {
                let dl = layout::layout(&n, &opts);
                let all: String = dl.content_runs().iter().map(|(_, r, _)| letters(&r.text)).collect();
                prop_assert!(all.contains(&want), "{opts:?}: {want:?} not in order");
                for page in &dl.pages {
                    for item in &page.items {
                        if let Item::Text(r) = item {
                            prop_assert!(r.x >= 0.0 && r.x + r.width() <= page.width + 0.01);
                        }
                    }
                }
            }
        }
    }
}
