//! Typesetting rules, checked on the display list of the real notice (no PDF decoding).

use crate::common;

use notice_pdf::layout::{self, DisplayList, Item, Role, StructKind};
use notice_pdf::{Align, Edition, Options};

/// The real notice in the standard edition.
fn real(align: Align) -> DisplayList {
    let n = notice_pdf::load(&common::fixture_file()).unwrap().notice;
    layout::layout(
        &n,
        &Options {
            align,
            edition: Edition::Standard,
            date: None,
        },
    )
}

/// The real notice in every edition and alignment.
fn variants() -> Vec<(String, DisplayList)> {
    let n = notice_pdf::load(&common::fixture_file()).unwrap().notice;
    common::all_options()
        .into_iter()
        .map(|o| {
            (
                format!("{:?}/{:?}", o.edition, o.align),
                layout::layout(&n, &o),
            )
        })
        .collect()
}

#[test]
fn no_glyph_outside_the_margins() {
    for (variant, dl) in &variants() {
        eprintln!("checking {variant}");
        for (pi, page) in dl.pages.iter().enumerate() {
            let [l, t, r, b] = page.text_area;
            for item in &page.items {
                let Item::Text(run) = item else { continue };
                // Everything stays on the paper.
                assert!(
                    run.x >= 0.0 && run.x + run.width() <= page.width,
                    "{:?}",
                    run.text
                );
                if let Role::Content { .. } = run.role {
                    assert!(
                        run.x >= l - 0.01,
                        "page {pi}: {:?} starts left of the margin",
                        run.text
                    );
                    assert!(
                        run.x + run.width() <= r + 0.01,
                        "page {pi}: {:?} overflows: {}",
                        run.text,
                        run.x + run.width() - r
                    );
                    assert!(
                        run.y > t && run.y <= b,
                        "page {pi}: {:?} outside the text area vertically",
                        run.text
                    );
                }
            }
        }
    }
}

#[test]
fn justified_lines_reach_the_right_margin() {
    let dl = real(Align::Justify);
    let runs = dl.content_runs();
    let mut full = 0;
    for w in runs.windows(2) {
        let ((_, a, na), (_, _, nb)) = (w[0], w[1]);
        // Running text (the small print at the end is always ragged).
        let is_para = matches!(dl.structure[na].kind, StructKind::Paragraph)
            && a.size == notice_pdf::layout::body_size(Edition::Standard);
        // A paragraph line followed by another line of the same paragraph is flush right.
        if is_para && na == nb {
            let right = dl.pages[0].text_area[2];
            assert!(
                (a.x + a.width() - right).abs() < 0.05,
                "{:?} ends at {}",
                a.text,
                a.x + a.width()
            );
            full += 1;
        }
    }
    assert!(full >= 5);
}

#[test]
fn headings_keep_with_what_follows() {
    for (variant, dl) in &variants() {
        eprintln!("checking {variant}");
        let runs = dl.content_runs();
        let heading = |n: usize| matches!(dl.structure[n].kind, StructKind::Heading { .. });
        for (i, (page, run, node)) in runs.iter().enumerate() {
            let last_line = heading(*node) && runs.get(i + 1).is_none_or(|r| r.2 != *node);
            if !last_line {
                continue;
            }
            // What follows: the next heading, or the first two lines of the next text block
            // (one if it has only one), on the same page.
            let mut after = runs[i + 1..]
                .iter()
                .filter(|r| dl.structure[r.2].kind != StructKind::Label);
            if let Some(first) = after.next() {
                assert_eq!(
                    first.0, *page,
                    "heading {:?} is the last thing on its page",
                    run.text
                );
                if !heading(first.2)
                    && let Some(second) = after.next().filter(|r| r.2 == first.2)
                {
                    assert_eq!(
                        second.0, *page,
                        "heading {:?} keeps only one line",
                        run.text
                    );
                }
            }
        }
    }
}

#[test]
fn no_widows_or_orphans() {
    for (variant, dl) in &variants() {
        eprintln!("checking {variant}");
        let runs = dl.content_runs();
        for node in 0..dl.structure.len() {
            let pages: Vec<usize> = runs
                .iter()
                .filter(|(_, _, n)| *n == node)
                .map(|(p, _, _)| *p)
                .collect();
            for p in pages.iter().collect::<std::collections::BTreeSet<_>>() {
                let on_page = pages.iter().filter(|x| *x == p).count();
                if on_page < pages.len() {
                    assert!(on_page >= 2, "node {node} has a single line on page {p}");
                }
            }
        }
    }
}

#[test]
fn short_answers_are_never_split() {
    let dl = real(Align::Left);
    let runs = dl.content_runs();
    // Each question's Sect: its heading and its answer lines.
    for (sect, node) in dl.structure.iter().enumerate() {
        if node.kind != StructKind::Sect || node.parent.is_none() {
            continue;
        }
        let members: Vec<usize> = (0..dl.structure.len())
            .filter(|&n| {
                let mut cur = Some(n);
                while let Some(c) = cur {
                    if c == sect {
                        return true;
                    }
                    cur = dl.structure[c].parent;
                }
                false
            })
            .collect();
        let lines: Vec<usize> = runs
            .iter()
            .filter(|(_, _, n)| members.contains(n))
            .map(|(p, _, _)| *p)
            .collect();
        if lines.len() <= 5 {
            assert!(
                lines.windows(2).all(|w| w[0] == w[1]),
                "question sect {sect} split across pages"
            );
        }
    }
}

#[test]
fn numbers_stay_with_their_units() {
    let dl = real(Align::Left);
    let text: Vec<&str> = dl
        .content_runs()
        .iter()
        .map(|(_, r, _)| r.text.as_str())
        .collect();
    // Tied with a no-break space (U+00A0): the line breaker never parts them.
    for phrase in ["6\u{a0}månader", "10\u{a0}år", "90\u{a0}dagar"] {
        assert!(
            text.iter().any(|t| t.contains(phrase)),
            "{phrase} broken across lines"
        );
    }
    // And across many measures, a number never ends a line.
    let n = notice_pdf::load(&common::fixture_file()).unwrap().notice;
    for align in [Align::Left, Align::Justify] {
        let dl = layout::layout(
            &n,
            &Options {
                align,
                edition: Edition::Standard,
                date: None,
            },
        );
        for (_, r, _) in dl.content_runs() {
            let last = r
                .text
                .trim_end_matches('\u{ad}')
                .split(' ')
                .next_back()
                .unwrap_or("");
            assert!(
                !(last.chars().all(|c| c.is_ascii_digit())
                    && !last.is_empty()
                    && r.text.len() > last.len()),
                "{:?}",
                r.text
            );
        }
    }
}

#[test]
fn protected_words_are_never_hyphenated() {
    for (variant, dl) in &variants() {
        eprintln!("checking {variant}");
        for (_, r, _) in dl.content_runs() {
            if let Some(stem) = r.text.strip_suffix('\u{ad}') {
                let last = stem.split(' ').next_back().unwrap();
                for p in ["Avan", "Euro", "Acci", "Livf"] {
                    assert!(!last.starts_with(p), "{:?}", r.text);
                }
                assert!(!last.ends_with("e-"), "{:?}", r.text);
            }
        }
    }
}

#[test]
fn every_page_has_its_page_number_and_every_page_after_the_first_the_running_header() {
    let dl = real(Align::Left);
    let n = dl.pages.len();
    assert!((2..=3).contains(&n));
    for (i, page) in dl.pages.iter().enumerate() {
        let artifacts: Vec<&str> = page
            .items
            .iter()
            .filter_map(|it| match it {
                Item::Text(r) if matches!(r.role, Role::Artifact(_)) => Some(r.text.as_str()),
                _ => None,
            })
            .collect();
        // Page 1 has the title block, so its header does not repeat the title.
        let header = i > 0;
        assert_eq!(artifacts.contains(&"Avanza"), header, "{artifacts:?}");
        assert_eq!(
            artifacts.contains(&"Kontakt med Avanzas kundservice"),
            header
        );
        assert!(
            artifacts.contains(&format!("Sida {} av {n}", i + 1).as_str()),
            "{artifacts:?}"
        );
    }
}

#[test]
fn outline_nests_questions_under_sections() {
    let dl = real(Align::Left);
    let titles: Vec<&str> = dl.outline.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "När du som privatperson är i kontakt med kundservice via telefon",
            "När du som privatperson kontaktar kundservice",
            "När företagskunder eller försäkrade kontaktar kundservice",
            "Läs mer om hur vi hanterar personuppgifter",
        ]
    );
    assert_eq!(
        dl.outline
            .iter()
            .map(|e| e.children.len())
            .collect::<Vec<_>>(),
        [5, 5, 4, 0]
    );
    assert_eq!(
        dl.outline[0].children[2].title,
        "På vilken laglig grund har vi rätt att behandla dina uppgifter?"
    );
}

#[test]
fn structure_is_title_block_h1_sect_h2_h3_p_l() {
    let dl = real(Align::Left);
    let s = &dl.structure;
    // The title block: the label, the H1, the line with publisher, date and version id.
    assert_eq!(s[0].kind, StructKind::Paragraph);
    assert!(
        matches!(&s[1].kind, StructKind::Heading { level: 1, text } if text == "Kontakt med Avanzas kundservice")
    );
    assert_eq!(s[2].kind, StructKind::Paragraph);
    let first_texts: Vec<&str> = dl.pages[0]
        .items
        .iter()
        .filter_map(|it| match it {
            Item::Text(r) if matches!(r.role, Role::Content { .. }) => Some(r.text.as_str()),
            _ => None,
        })
        .take(3)
        .collect();
    let version = &notice_pdf::sha256_hex(&std::fs::read(common::fixture_file()).unwrap())[..8];
    assert_eq!(
        first_texts,
        [
            "Integritetsinformation",
            "Kontakt med Avanzas kundservice",
            &format!("Avanza · Uppdaterad 20\u{a0}mars\u{a0}2023 · Version\u{a0}{version}"),
        ]
    );
    let count = |f: &dyn Fn(&StructKind) -> bool| s.iter().filter(|n| f(&n.kind)).count();
    assert_eq!(
        count(&|k| matches!(k, StructKind::Heading { level: 2, .. })),
        4
    );
    assert_eq!(
        count(&|k| matches!(k, StructKind::Heading { level: 3, .. })),
        14
    );
    assert_eq!(count(&|k| matches!(k, StructKind::List { .. })), 1);
    assert_eq!(count(&|k| *k == StructKind::ListItem), 4);
    // Every content run points at a leaf that holds text.
    for (_, _, node) in dl.content_runs() {
        assert!(!matches!(
            s[node].kind,
            StructKind::Sect | StructKind::List { .. } | StructKind::ListItem
        ));
    }
}

/// Characters per full line of running text (every line of a paragraph but its last), median.
fn median_full_line(dl: &DisplayList) -> usize {
    let runs = dl.content_runs();
    let mut lengths: Vec<usize> = Vec::new();
    for (i, (_, run, node)) in runs.iter().enumerate() {
        let body = matches!(dl.structure[*node].kind, StructKind::Paragraph);
        let last_of_paragraph = runs.get(i + 1).is_none_or(|(_, _, next)| next != node);
        if body && !last_of_paragraph {
            lengths.push(run.text.trim_end_matches('\u{ad}').chars().count());
        }
    }
    lengths.sort();
    lengths[lengths.len() / 2]
}

#[test]
fn the_standard_measure_holds_at_most_75_characters() {
    for align in [Align::Left, Align::Justify] {
        let median = median_full_line(&real(align));
        assert!(
            (45..=75).contains(&median),
            "{align:?}: median {median} characters per full line"
        );
    }
}
