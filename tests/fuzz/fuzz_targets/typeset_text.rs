//! Arbitrary Unicode text as the paragraphs of a valid notice: if validation accepts it, both
//! editions typeset and write without panicking, and no line leaves the page.
#![no_main]

use libfuzzer_sys::fuzz_target;
use notice_pdf::model::{Block, Item, ItemKind, Notice, Section, SectionKind};
use notice_pdf::{Align, Edition, Options};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let paragraphs: Vec<String> = text
        .split('\n')
        .filter(|p| !p.trim().is_empty())
        .map(str::to_owned)
        .collect();
    if paragraphs.is_empty() {
        return;
    }
    let notice = Notice {
        id: "fuzz".into(),
        title: paragraphs[0].clone(),
        label: None,
        language: "sv-SE".into(),
        publisher: "Avanza".into(),
        subject: None,
        keywords: Vec::new(),
        updated: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        updated_note: None,
        source_url: None,
        no_hyphenate: vec!["Avanza".into()],
        logo: None,
        sections: vec![Section {
            id: "s".into(),
            kind: SectionKind::Info,
            web_only: false,
            heading: paragraphs[0].clone(),
            intro: paragraphs.clone(),
            items: vec![Item {
                kind: ItemKind::Other,
                question: paragraphs[paragraphs.len() - 1].clone(),
                answer: vec![Block::List(paragraphs.clone())],
            }],
            list: Vec::new(),
        }],
        version: None,
        id_at: (1, 1),
        source: None,
        previous: None,
    };
    let path = std::path::Path::new("fuzz.toml");
    let errors = notice_pdf::model::validate(
        path,
        &notice_pdf::model::Located::new(""),
        &notice,
        &notice_pdf::fonts::covers,
    )
        .into_iter()
        .filter(|d| d.severity == notice_pdf::Severity::Error)
        .count();
    if errors > 0 {
        return;
    }
    let edition = if data.len() % 2 == 0 {
        Edition::Standard
    } else {
        Edition::Large
    };
    let align = if data.len() % 3 == 0 {
        Align::Justify
    } else {
        Align::Left
    };
    let r = notice_pdf::render(
        notice_pdf::Document::Notice(&notice),
        &Options {
            edition,
            align,
            date: None,
        },
    )
    .expect("a valid notice renders");
    let (dl, pdf) = (r.display, r.pdf);
    assert!(pdf.starts_with(b"%PDF"));
    for page in &dl.pages {
        for item in &page.items {
            if let notice_pdf::layout::Item::Text(r) = item {
                assert!(
                    r.x >= 0.0 && r.x + r.width() <= page.width + 0.01,
                    "{:?}",
                    r.text
                );
            }
        }
    }
});
