//! Packs of generated notices: the rules a reader trusts hold on many documents, not one
//! example. Each collection holds three to five notices of generated prose (the fixture
//! notice's words in random sentences, lists, long compounds) that link to each other's
//! chapters and sections and to addresses online; each is typeset as a pack in both editions
//! and both alignments, and every notice alone. Checked on each: no typographic defect the
//! report counts ([`common::assert_clean`]), every link says where it leads on paper, every
//! "(sida N)" and every contents number is the page its target lands on.

use std::path::Path;

use notice_pdf::layout::{self, Item, StructKind};
use notice_pdf::{Notice, source::DataSet};

use crate::common;
use crate::stress::synthetic;

/// Collections generated (more with `NOTICE_PDF_GENERATED`).
fn collections() -> u64 {
    std::env::var("NOTICE_PDF_GENERATED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10)
}

/// Writes a collection of `count` generated notices, linked to each other, into `dir`.
fn write_collection(dir: &Path, seed: u64, count: usize) {
    let ids: Vec<String> = (0..count).map(|i| format!("n{i}")).collect();
    for (i, id) in ids.iter().enumerate() {
        let next = &ids[(i + 1) % count];
        let prev = &ids[(i + count - 1) % count];
        let links = [
            format!("Hur vi gör i andra fall står i [nästa information](notice:{next})."),
            format!(
                "Vad som gäller för dig läser du i [avsnittet om ändamål](notice:{prev}#s1), och mer finns på [vår webbplats](https://www.exempelbanken.se/om-oss/{id}.html)."
            ),
        ];
        let extra: Vec<&str> = links.iter().map(String::as_str).collect();
        let sections = 2 + (seed as usize + i) % 3;
        // With an address online: each notice ends with the way back.
        let text = synthetic(id, sections, seed * 31 + i as u64, &extra).replacen(
            '\n',
            &format!("\nsource_url = \"https://www.exempelbanken.se/integritet/{id}.html\"\n"),
            1,
        );
        std::fs::write(dir.join(format!("{id}.toml")), text).unwrap();
    }
    let groups: String = ids
        .chunks(2)
        .enumerate()
        .map(|(g, members)| {
            let list: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
            format!(
                "\n[[groups]]\ntitle = \"Grupp {g} av informationen\"\nnotices = [{}]\n",
                list.join(", ")
            )
        })
        .collect();
    std::fs::write(
        dir.join("collection.toml"),
        format!(
            "title = \"Genererad samling {seed}\"\nlabel = \"Integritetsinformation\"\npublisher = \"Avanza\"\nlanguage = \"sv-SE\"\n{groups}"
        ),
    )
    .unwrap();
}

/// Every contents entry's number is the page its chapter or group starts on.
fn assert_contents_numbers(dl: &notice_pdf::DisplayList, what: &str) -> usize {
    let in_toc = |mut n: usize| loop {
        if dl.structure[n].kind == StructKind::Toc {
            return true;
        }
        match dl.structure[n].parent {
            Some(p) => n = p,
            None => return false,
        }
    };
    let mut checked = 0;
    for item in dl.pages.iter().flat_map(|p| &p.items) {
        if let Item::Link(l) = item
            && in_toc(l.node)
            && l.text.chars().all(|c| c.is_ascii_digit())
        {
            let dest = l
                .dest
                .unwrap_or_else(|| panic!("{what}: {:?} leads nowhere", l.url));
            assert_eq!(l.text, (dest.page + 1).to_string(), "{what}: {}", l.url);
            checked += 1;
        }
    }
    checked
}

#[test]
fn packs_of_generated_notices_keep_every_rule_in_every_edition_and_alignment() {
    for seed in 0..collections() {
        let dir = common::scratch(&format!("generated-{seed}"));
        let count = 3 + seed as usize % 3;
        write_collection(&dir, seed, count);
        let set = DataSet::load_dir(&dir).unwrap();
        assert!(set.errors().is_empty(), "{:?}", set.errors());
        let notices: Vec<&Notice> = set.notices().map(|l| &l.notice).collect();
        let collection = set.collection().unwrap();
        let selected = notice_pdf::render::pack_selection(collection, &notices, None).unwrap();
        for opts in common::all_options() {
            let what = format!("collection {seed}, {:?} {:?}", opts.edition, opts.align);
            let ts = layout::typeset_pack(collection, &selected, &notices, &opts);
            let report = notice_pdf::report::Report::of_pack(&selected, &ts, &opts);
            common::assert_clean(&report, &what);
            let references = common::assert_links_lead_somewhere_on_paper(&ts.display, &what);
            assert!(references >= 3 * count, "{what}: {references} references");
            let numbers = assert_contents_numbers(&ts.display, &what);
            assert_eq!(
                numbers,
                count + count.div_ceil(2),
                "{what}: contents entries"
            );
            for n in &notices {
                let (ts, report) = common::typeset_with_report(n, &opts);
                let what = format!("{what}, {}", n.id);
                common::assert_clean(&report, &what);
                common::assert_links_lead_somewhere_on_paper(&ts.display, &what);
            }
        }
    }
}
