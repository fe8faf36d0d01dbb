//! Arbitrary Unicode text as the paragraphs of a valid notice: if validation accepts it, both
//! editions typeset and write without panicking, and no line leaves the page.
#![no_main]

use libfuzzer_sys::fuzz_target;
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
    // Built as an editor would write it, so that every field the loader fills is filled.
    let quote = |t: &str| {
        let mut q = String::from("\"");
        for c in t.chars() {
            match c {
                '"' => q.push_str("\\\""),
                '\\' => q.push_str("\\\\"),
                c if c.is_control() => q.push_str(&format!("\\u{:04X}", c as u32)),
                c => q.push(c),
            }
        }
        q.push('"');
        q
    };
    let intro: Vec<String> = paragraphs.iter().map(|p| quote(p)).collect();
    let text = format!(
        "id = \"fuzz\"\ntitle = {title}\nsummary = \"Fuzz.\"\nlanguage = \"sv-SE\"\npublisher = \"Avanza\"\n\
         updated = \"2024-01-01\"\nno_hyphenate = [\"Avanza\"]\n\n[[sections]]\nid = \"s\"\n\
         kind = \"info\"\nheading = {title}\nintro = [{intro}]\n\n[[sections.items]]\n\
         kind = \"other\"\nquestion = {last}\nanswer = [{{ list = [{intro}] }}]\n",
        title = quote(&paragraphs[0]),
        last = quote(&paragraphs[paragraphs.len() - 1]),
        intro = intro.join(", "),
    );
    let path = std::path::Path::new("fuzz.toml");
    let src = notice_pdf::model::Located::new(&text);
    let Ok(notice) = notice_pdf::model::parse_located(path, &src) else {
        return;
    };
    let errors = notice_pdf::model::validate(
        path,
        &src,
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
