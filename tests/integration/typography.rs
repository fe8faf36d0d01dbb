//! Measured typographic quality (issue 3): the report is clean for both editions and both
//! alignments on the real notice, and it does count defects when there are some.

use crate::common;

use notice_pdf::layout::{self, DisplayList, Item, Role, StructKind};
use notice_pdf::report::{self, Defects};
use notice_pdf::{Align, Edition, Options};

fn notice() -> notice_pdf::Notice {
    notice_pdf::load(&common::fixture_file()).unwrap().notice
}

#[test]
fn report_is_clean_in_every_edition_and_alignment() {
    let n = notice();
    for opts in common::all_options() {
        let (edition, align) = (opts.edition, opts.align);
        let (_, rep) = common::typeset_with_report(&n, &opts);
        assert_eq!(
            rep.defects,
            Defects::default(),
            "{edition:?}/{align:?}:\n{rep}"
        );
        assert!(rep.broken_words.is_empty(), "{edition:?}/{align:?}");
        assert!(rep.paragraphs.iter().all(|p| p.overfull_lines == 0));
        if align == Align::Justify {
            // Justified text is an option (ragged right is the default): on a measure of at
            // most 75 characters a two-line paragraph of long compounds can leave one line
            // nothing to hyphenate ("…namn, e-" before "postadress", which breaks only at its
            // hyphen), stretched to 2.9 times what its glue allows in the standard edition. Large
            // print on its 50-character measure stays within twice the glue's stretch.
            let bound = match edition {
                Edition::Standard => 3.0,
                Edition::Large => 2.0,
            };
            let worst = rep
                .paragraphs
                .iter()
                .map(|p| p.worst_ratio)
                .fold(0.0, f32::max);
            assert!(worst <= bound, "{edition:?}: worst ratio {worst}");
        }
    }
}

fn runs_of(dl: &DisplayList, node: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (pi, page) in dl.pages.iter().enumerate() {
        for (ii, item) in page.items.iter().enumerate() {
            if let Item::Text(r) = item
                && r.role == (Role::Content { node })
            {
                out.push((pi, ii));
            }
        }
    }
    out
}

fn standard() -> DisplayList {
    layout::layout(&notice(), &Options::default())
}

/// A paragraph with at least three lines, all on page 1.
fn long_paragraph(dl: &DisplayList) -> usize {
    (0..dl.structure.len())
        .find(|&n| {
            dl.structure[n].kind == StructKind::Paragraph && {
                let r = runs_of(dl, n);
                r.len() >= 3 && r.iter().all(|(p, _)| *p == 0)
            }
        })
        .unwrap()
}

#[test]
fn report_counts_a_widow() {
    let mut dl = standard();
    let node = long_paragraph(&dl);
    let (p, i) = *runs_of(&dl, node).last().unwrap();
    let run = dl.pages[p].items.remove(i);
    dl.pages[1].items.insert(0, run);
    let d = report::defects(&notice(), &dl);
    assert_eq!((d.widows, d.orphans), (1, 0));
}

#[test]
fn report_counts_an_orphan() {
    let mut dl = standard();
    let node = long_paragraph(&dl);
    let runs = runs_of(&dl, node);
    // Move all but the first line to the next page.
    for &(p, i) in runs[1..].iter().rev() {
        let run = dl.pages[p].items.remove(i);
        dl.pages[1].items.insert(0, run);
    }
    let d = report::defects(&notice(), &dl);
    assert_eq!((d.widows, d.orphans), (0, 1));
}

#[test]
fn report_counts_a_stranded_heading() {
    let mut dl = standard();
    // A question on page 1 whose answer is one line: move the answer to page 2.
    let q = (0..dl.structure.len())
        .find(|&n| {
            matches!(dl.structure[n].kind, StructKind::Heading { level: 3, .. })
                && runs_of(&dl, n + 1).len() == 1
                && runs_of(&dl, n + 1)[0].0 == 0
        })
        .unwrap();
    let (p, i) = runs_of(&dl, q + 1)[0];
    let run = dl.pages[p].items.remove(i);
    dl.pages[1].items.insert(0, run);
    // The question, and its section's heading when the question was all that stood under it.
    assert!(report::defects(&notice(), &dl).stranded_headings >= 1);
}

#[test]
fn report_counts_a_heading_with_two_lines_of_what_goes_on_over_the_page() {
    let mut dl = standard();
    assert_eq!(report::defects(&notice(), &dl).stranded_headings, 0);
    // A section heading on page 1 whose section goes on over the page: keep two lines of it
    // under the heading, move the rest of the page's lines to page 2.
    let h = (0..dl.structure.len())
        .find(|&n| {
            matches!(dl.structure[n].kind, StructKind::Heading { level: 2, .. })
                && runs_of(&dl, n).iter().all(|(p, _)| *p == 0)
        })
        .unwrap();
    let (_, last) = *runs_of(&dl, h).last().unwrap();
    let below: Vec<usize> = dl.pages[0]
        .items
        .iter()
        .enumerate()
        .filter(|(i, it)| {
            *i > last && matches!(it, Item::Text(r) if matches!(r.role, Role::Content { .. }))
        })
        .map(|(i, _)| i)
        .collect();
    let baselines: Vec<i64> = below
        .iter()
        .map(|&i| match &dl.pages[0].items[i] {
            Item::Text(r) => (r.y * 100.0) as i64,
            _ => 0,
        })
        .collect();
    let mut kept = baselines.clone();
    kept.dedup();
    let third = kept[2];
    for (&i, &y) in below.iter().zip(&baselines).rev() {
        if y >= third {
            let run = dl.pages[0].items.remove(i);
            dl.pages[1].items.insert(0, run);
        }
    }
    assert!(report::defects(&notice(), &dl).stranded_headings >= 1);
}

#[test]
fn report_counts_a_section_rule_at_the_top_of_a_page() {
    let mut dl = standard();
    assert_eq!(report::defects(&notice(), &dl).rules_at_page_top, 0);
    let first = dl.pages[1]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r) if matches!(r.role, Role::Content { .. }) => Some(r.y),
            _ => None,
        })
        .fold(f32::INFINITY, f32::min);
    let [l, _, r, _] = dl.pages[1].text_area;
    dl.pages[1].items.push(Item::Rule(layout::Rule {
        x0: l,
        y0: first - 20.0,
        x1: r,
        y1: first - 20.0,
        thickness: 0.6,
        color: layout::Rgb(0, 0x7a, 0x4d),
        artifact: layout::ArtifactKind::Layout,
        marks: layout::RuleMarks::Section,
    }));
    assert_eq!(report::defects(&notice(), &dl).rules_at_page_top, 1);
}

#[test]
fn report_counts_a_running_head_cut_inside_a_word() {
    for edition in Edition::ALL {
        let mut dl = layout::layout(
            &notice(),
            &Options {
                edition,
                ..Default::default()
            },
        );
        assert_eq!(report::defects(&notice(), &dl).cut_running_heads, 0);
        let head = dl.pages[1]
            .items
            .iter_mut()
            .find_map(|i| match i {
                Item::Text(r) if r.role == Role::Artifact(layout::ArtifactKind::Header) => Some(r),
                _ => None,
            })
            .unwrap();
        head.text = "Kontakt med Avanzas kunds…".into();
        assert_eq!(report::defects(&notice(), &dl).cut_running_heads, 1);
    }
}

#[test]
fn report_counts_a_page_holding_only_the_closing_block() {
    for edition in Edition::ALL {
        let mut dl = layout::layout(
            &notice(),
            &Options {
                edition,
                ..Default::default()
            },
        );
        assert_eq!(
            report::defects(&notice(), &dl).lonely_closing_blocks,
            0,
            "{edition:?}"
        );
        // Everything on the last page but the closing block moved to the page before it.
        let last = dl.pages.len() - 1;
        let closing: Vec<usize> = (0..dl.structure.len())
            .filter(|&n| {
                let text: String = runs_of(&dl, n)
                    .iter()
                    .filter_map(|&(p, i)| match &dl.pages[p].items[i] {
                        Item::Text(r) => Some(r.text.clone()),
                        _ => None,
                    })
                    .collect();
                text.starts_with("Informationen på denna sida")
                    || text.starts_with("Den senaste versionen")
                    || text.starts_with("https://")
            })
            .collect();
        let moving: Vec<usize> = dl.pages[last]
            .items
            .iter()
            .enumerate()
            .filter(|(_, it)| matches!(it, Item::Text(r) if matches!(r.role, Role::Content { node } if !closing.contains(&node))))
            .map(|(i, _)| i)
            .collect();
        assert!(
            !moving.is_empty(),
            "{edition:?}: the last page holds more than the closing block"
        );
        for &i in moving.iter().rev() {
            let run = dl.pages[last].items.remove(i);
            dl.pages[last - 1].items.push(run);
        }
        assert_eq!(
            report::defects(&notice(), &dl).lonely_closing_blocks,
            1,
            "{edition:?}"
        );
    }
}

#[test]
fn report_counts_overflow_and_forbidden_hyphenation() {
    let mut dl = standard();
    let node = long_paragraph(&dl);
    let runs = runs_of(&dl, node);
    let set_text = |dl: &mut DisplayList, (p, i): (usize, usize), f: &dyn Fn(&str) -> String| {
        if let Item::Text(r) = &mut dl.pages[p].items[i] {
            r.text = f(&r.text);
        }
    };
    // "… Avan-" / "zas …": a protected word hyphenated.
    set_text(&mut dl, runs[0], &|t| format!("{t} Avan\u{ad}"));
    set_text(&mut dl, runs[1], &|t| format!("zas {t}"));
    assert_eq!(report::defects(&notice(), &dl).forbidden_hyphenations, 1);
    // "telefon-" / "nummer" is a hyphen at the compound's joint: no defect.
    let mut ok = standard();
    set_text(&mut ok, runs[0], &|t| format!("{t} telefon\u{ad}"));
    set_text(&mut ok, runs[1], &|t| format!("nummer {t}"));
    assert_eq!(report::defects(&notice(), &ok).total(), 0);
    // "tele-" / "fonnummer" is allowed but inside the compound's first element, as is
    // "transaktionsrap-" / "portering". Each is counted.
    for (left, right) in [("tele", "fonnummer"), ("transaktionsrap", "portering.")] {
        let mut inside = standard();
        set_text(&mut inside, runs[0], &|t| format!("{t} {left}\u{ad}"));
        set_text(&mut inside, runs[1], &|t| format!("{right} {t}"));
        let d = report::defects(&notice(), &inside);
        assert_eq!(
            (d.forbidden_hyphenations, d.hyphens_inside_elements),
            (0, 1),
            "{left}-{right}"
        );
    }
    // A syllable break in a word that is no compound is not: "informa-" / "tion".
    let mut simple = standard();
    set_text(&mut simple, runs[0], &|t| format!("{t} informa\u{ad}"));
    set_text(&mut simple, runs[1], &|t| format!("tion {t}"));
    assert_eq!(report::defects(&notice(), &simple).total(), 0);
    // 1 or 2 letters before the break break the 3 + 3 rule ("fö-retag").
    let mut two = standard();
    set_text(&mut two, runs[0], &|t| format!("{t} fö\u{ad}"));
    set_text(&mut two, runs[1], &|t| format!("retag {t}"));
    assert_eq!(report::defects(&notice(), &two).forbidden_hyphenations, 1);
    let mut short = standard();
    set_text(&mut short, runs[0], &|t| format!("{t} t\u{ad}"));
    set_text(&mut short, runs[1], &|t| format!("elefon {t}"));
    assert_eq!(report::defects(&notice(), &short).forbidden_hyphenations, 1);

    let right = dl.pages[0].text_area[2];
    if let Item::Text(r) = &mut dl.pages[runs[2].0].items[runs[2].1] {
        // Half a point past the right margin.
        r.x = right - r.width() + 0.5;
    }
    assert_eq!(report::defects(&notice(), &dl).overflowing_lines, 1);
}

#[test]
fn large_edition_has_the_same_text_and_structure() {
    let n = notice();
    let text = |edition| {
        let dl = layout::layout(
            &n,
            &Options {
                edition,
                ..Default::default()
            },
        );
        let mut per_node = vec![String::new(); dl.structure.len()];
        let mut sizes = Vec::new();
        for page in &dl.pages {
            for item in &page.items {
                if let Item::Text(r) = item
                    && let Role::Content { node } = r.role
                {
                    let t = &mut per_node[node];
                    match t.strip_suffix('\u{ad}') {
                        Some(s) => *t = s.to_owned(),
                        None if !t.is_empty() => t.push(' '),
                        None => {}
                    }
                    t.push_str(&r.text);
                    if dl.structure[node].kind == StructKind::Paragraph {
                        sizes.push(r.size);
                    }
                }
            }
        }
        let kinds: Vec<_> = dl.structure.iter().map(|s| s.kind.clone()).collect();
        (per_node, kinds, sizes)
    };
    let (std_text, std_kinds, _) = text(Edition::Standard);
    let (large_text, large_kinds, large_sizes) = text(Edition::Large);
    assert_eq!(std_kinds, large_kinds);
    // Lines are joined with a space above; a web address breaks where it has none, so compare
    // every character but the spaces, in order.
    let squeeze = |v: &[String]| -> Vec<String> {
        v.iter().map(|t| t.split_whitespace().collect()).collect()
    };
    assert_eq!(squeeze(&std_text), squeeze(&large_text));
    assert!(
        large_sizes.iter().all(|s| *s >= 16.0),
        "running text of the large edition is 16 pt or more"
    );
    assert!(notice_pdf::layout::body_size(Edition::Large) >= 16.0);
}

#[test]
fn render_report_cli() {
    let o = common::run(
        &common::root(),
        &[
            "render",
            "data/kundservice.toml",
            "--edition",
            "large",
            "--report",
            "-o",
            "-",
        ],
    );
    assert!(o.status.success());
    assert!(o.stdout.starts_with(b"%PDF"));
    let rep = common::stderr(&o);
    assert!(
        rep.starts_with("typography report: kundservice (large edition, ragged right)"),
        "{rep}"
    );
    assert!(
        rep.contains(
            "document: widows 0, orphans 0, stranded headings 0, forbidden hyphenations 0, overflowing lines 0,"
        ),
        "{rep}"
    );
}
