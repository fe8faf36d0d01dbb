//! The canonical data is the published notice, word for word: rebuilt from `data/`, the text
//! equals the seed transcription `../shared/seed/kundservice-notice.sv.txt` line for line.

use crate::common;

use notice_pdf::model::{Step, TextKind, Which, walk};

#[test]
fn data_reproduces_the_published_text_exactly() {
    let seed_path = common::root().join("../shared/seed/kundservice-notice.sv.txt");
    let seed = std::fs::read_to_string(&seed_path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (CI clones ../shared beside the repo)",
            seed_path.display()
        )
    });
    let n = notice_pdf::load(&common::published_data_file())
        .unwrap()
        .notice;

    // Every text of the page, web-only sections included, in page order; running text as its
    // plain text (CommonMark markup removed, link texts kept). The label is ours, not the page's.
    let mut lines = Vec::new();
    walk(&n, Which::All, &mut |_, step| match step {
        Step::Text {
            kind: TextKind::Label,
            ..
        } => {}
        Step::Running { text, .. } => lines.push(text.plain()),
        Step::Text { text, .. } => lines.push(text.to_owned()),
        _ => {}
    });

    let expected: Vec<&str> = seed.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), expected.len());
    for (i, (got, want)) in lines.iter().zip(&expected).enumerate() {
        assert_eq!(got, want, "line {i} differs from the published text");
    }
}

#[test]
fn web_only_chrome_is_marked_and_not_printed() {
    let n = notice_pdf::load(&common::published_data_file())
        .unwrap()
        .notice;
    let web_only: Vec<&str> = n
        .sections
        .iter()
        .filter(|s| s.web_only)
        .map(|s| s.heading.as_str())
        .collect();
    assert_eq!(
        web_only,
        [
            "Se och ändra dina cookieinställningar",
            "Ladda ner informationen"
        ]
    );
    let printed = common::printed_blocks(&n).join("\n");
    assert!(!printed.contains("cookie"));
    assert!(!printed.contains("Vill du hellre få informationen som PDF?"));
    assert!(printed.contains("Läs mer om hur vi hanterar personuppgifter"));
    assert!(printed.contains("Informationen på denna sida uppdaterades 2023-03-20"));
}

#[test]
fn notice_metadata_is_as_published() {
    let n = notice_pdf::load(&common::published_data_file())
        .unwrap()
        .notice;
    assert_eq!(n.language, "sv-SE");
    assert_eq!(n.publisher, "Avanza");
    assert_eq!(
        n.updated,
        chrono::NaiveDate::from_ymd_opt(2023, 3, 20).unwrap()
    );
    assert!(n.no_hyphenate.iter().any(|w| w == "Avanza"));
    assert!(
        n.no_hyphenate
            .iter()
            .any(|w| w == "Euro Accident Livförsäkring AB")
    );
}
