//! "Vad har ändrats" (issue 12, part): what changed between two versions of a notice, by
//! section and question, word by word, from data files or from the PDFs (their embedded data).

use crate::common;

use notice_pdf::model::changes::{Change, What, Word, changes};

fn versions(name: &str) -> (notice_pdf::Notice, notice_pdf::Notice, String) {
    let path = common::root().join("tests/fixtures/exempelbanken/rik.toml");
    let old_text = std::fs::read_to_string(&path).unwrap();
    let new_text = old_text
        // A reworded answer.
        .replace("I sex månader. Därefter", "I tre månader. Därefter")
        // A removed question.
        .replace(
            "[[sections.items]]\nkind = \"legal_basis\"",
            "[[sections.items]]\nkind = \"other\"",
        );
    let dir = common::scratch(name);
    std::fs::copy(
        common::root().join("tests/fixtures/exempelbanken/exempelbanken.svg"),
        dir.join("exempelbanken.svg"),
    )
    .unwrap();
    let load = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).unwrap();
        notice_pdf::load(&dir.join(name)).unwrap().notice
    };
    let old = load(
        "old.toml",
        &old_text.replace("(notice:leverantorer)", "(notice:rik)"),
    );
    let new = load(
        "new.toml",
        &new_text.replace("(notice:leverantorer)", "(notice:rik)"),
    );
    (old, new, dir.to_string_lossy().into_owned())
}

#[test]
fn a_reworded_answer_is_a_word_level_change_at_its_question() {
    let (old, new, _) = versions("changes-reworded");
    let all = changes(&old, &new);
    let reworded: Vec<&Change> = all
        .iter()
        .filter(|c| matches!(c.what, What::Reworded(_)))
        .collect();
    assert_eq!(reworded.len(), 1, "{all:#?}");
    assert_eq!(reworded[0].section, "När du ringer till oss");
    assert_eq!(
        reworded[0].question.as_deref(),
        Some("Hur länge sparar vi uppgifterna?")
    );
    let What::Reworded(words) = &reworded[0].what else {
        unreachable!()
    };
    assert!(words.contains(&Word::Removed("sex".into())));
    assert!(words.contains(&Word::Added("tre".into())));
    // The same question text under another kind is the same question: not a change.
    assert!(
        all.iter()
            .all(|c| c.question.as_deref()
                != Some("På vilken laglig grund behandlar vi uppgifterna?"))
    );
    // Identical versions: nothing.
    assert!(changes(&old, &old).is_empty());
}

#[test]
fn added_and_removed_questions_and_sections_are_named() {
    let (old, mut new, _) = versions("changes-added");
    let mut extra = new.sections[0].items[0].clone();
    extra.question = "Ny fråga?".into();
    new.sections[0].items.push(extra);
    new.sections.retain(|s| s.id != "rattigheter");
    let all = changes(&old, &new);
    assert!(all.iter().any(|c| c.question.as_deref() == Some("Ny fråga?") && matches!(c.what, What::Added(_))));
    assert!(all.iter().any(|c| c.section == "Dina rättigheter"
        && c.question.is_none()
        && matches!(c.what, What::Removed(_))));
}

#[test]
fn the_cli_reports_changes_between_two_pdfs_as_between_their_data() {
    let (_, _, dir) = versions("changes-cli");
    let dir = std::path::Path::new(&dir);
    for (toml, pdf) in [("old.toml", "old.pdf"), ("new.toml", "new.pdf")] {
        let o = common::run(dir, &["render", toml, "-o", pdf]);
        assert!(o.status.success(), "{}", common::stderr(&o));
    }
    let from_data = common::run(dir, &["diff", "old.toml", "new.toml"]);
    let from_pdfs = common::run(dir, &["diff", "old.pdf", "new.pdf"]);
    assert!(from_data.status.success() && from_pdfs.status.success());
    let report = String::from_utf8(from_pdfs.stdout).unwrap();
    assert_eq!(report, String::from_utf8(from_data.stdout).unwrap());
    assert!(
        report.starts_with("Vad har ändrats sedan 2\u{a0}maj\u{a0}2024 (rik: version "),
        "{report}"
    );
    assert!(report.contains("\nNär du ringer till oss\n  Hur länge sparar vi uppgifterna?: omformulerat\n    I [-sex-]{+tre+} månader."), "{report}");
    let same = common::run(dir, &["diff", "old.pdf", "old.toml"]);
    assert!(
        String::from_utf8(same.stdout)
            .unwrap()
            .ends_with("Inga ändringar i texten.\n")
    );
}

#[test]
fn diff_names_a_file_that_is_no_version_and_warns_of_two_different_notices() {
    let (_, _, dir) = versions("changes-not-versions");
    let dir = std::path::Path::new(&dir);
    std::fs::write(dir.join("page.html"), "<p>x</p>").unwrap();
    std::fs::write(dir.join("broken.pdf"), "not a pdf").unwrap();
    for (file, why) in [
        ("page.html", "it is neither a data file (.toml) nor a PDF"),
        ("broken.pdf", "the file cannot be read as a PDF"),
    ] {
        let o = common::run(dir, &["diff", "old.toml", file]);
        assert_eq!(o.status.code(), Some(1));
        let err = common::stderr(&o);
        assert!(
            err.starts_with(&format!("error: {file}: not a version of a notice: {why}")),
            "{err}"
        );
    }
    let other = dir.join("other.toml");
    let text = std::fs::read_to_string(dir.join("new.toml")).unwrap();
    std::fs::write(&other, text.replacen("id = \"rik\"", "id = \"annan\"", 1)).unwrap();
    let o = common::run(dir, &["diff", "old.toml", "other.toml"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(
        common::stderr(&o).contains(
            "warning: these are two notices, not two versions of one: \"rik\" and \"annan\""
        ),
        "{}",
        common::stderr(&o)
    );
}
