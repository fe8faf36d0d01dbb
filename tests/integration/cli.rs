//! The command line: exit codes and the exact messages editors and the scheduled job see.

use crate::common;

use std::path::Path;

use common::{run, scratch, stderr};

const VALID: &str = r#"id = "prov"
title = "Provnotis"
summary = "En notis för testerna."
language = "sv-SE"
publisher = "Avanza"
updated = "2023-03-20"

[[sections]]
id = "s"
kind = "info"
heading = "Rubrik"
intro = ["Text."]
"#;

/// Writes `text` as `name` in a fresh directory and runs `notice-pdf render` on it.
fn render_bad(test: &str, name: &str, text: &str) -> (i32, String) {
    let dir = scratch(test);
    std::fs::write(dir.join(name), text).unwrap();
    let o = run(&dir, &["render", name, "-o", "out.pdf"]);
    assert!(
        !dir.join("out.pdf").exists(),
        "no output may be written for bad input"
    );
    (o.status.code().unwrap(), stderr(&o))
}

#[test]
fn markup_left_open_in_running_text_is_an_error_where_it_is_written() {
    for (written, says) in [
        (
            "För att **vårda kunden.",
            "\"**\" opens strong emphasis that is never closed",
        ),
        (
            "Se [villkoren](https://example.se/v och mer.",
            "a link is not closed",
        ),
    ] {
        let text = VALID.replace("intro = [\"Text.\"]", &format!("intro = [\"{written}\"]"));
        let (code, err) = render_bad("open-markup", "n.toml", &text);
        assert_eq!(code, 1, "{err}");
        // The column (in characters) of the marker, after `intro = ["`.
        let before = &written[..written.find(['*', ']']).unwrap()];
        let col = 11 + before.chars().count();
        assert!(
            err.contains(&format!(
                "error: n.toml:12:{col}: sections[0].intro[0]: {says}"
            )),
            "{err}"
        );
    }
}

#[test]
fn check_of_a_path_that_is_not_there_counts_no_notice() {
    let dir = scratch("check-missing");
    let o = run(&dir, &["check", "borta.toml"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with("error: borta.toml: cannot read the file"),
        "{err}"
    );
    assert!(
        err.ends_with("checked 0 notice(s): 1 error(s), 0 warning(s)\n"),
        "{err}"
    );
}

#[test]
fn malformed_toml_names_line_and_column() {
    let text = VALID.replace("title = \"Provnotis\"", "title = Provnotis");
    let (code, err) = render_bad("malformed", "n.toml", &text);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: n.toml:2:9: string values must be quoted, expected literal string\n"
    );
}

#[test]
fn unknown_field_is_named() {
    let text = VALID.replace(
        "publisher = \"Avanza\"",
        "publisher = \"Avanza\"\ncolour = \"green\"",
    );
    let (code, err) = render_bad("unknown", "n.toml", &text);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: n.toml:6:1: colour: unknown field `colour`, expected one of `id`, `title`, `summary`, `label`, `language`, `publisher`, \
         `subject`, `keywords`, `updated`, `updated_note`, `source_url`, `no_hyphenate`, `logo`, `lead`, `sections`\n\
         hint: check the spelling; docs/data-format.md lists every field\n"
    );
}

#[test]
fn unknown_field_in_a_section_has_its_path() {
    let text = VALID.replace(
        "heading = \"Rubrik\"",
        "heading = \"Rubrik\"\nrubrik = \"x\"",
    );
    let (code, err) = render_bad("unknown-nested", "n.toml", &text);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: n.toml:12:1: sections[0].rubrik: unknown field `rubrik`"),
        "{err}"
    );
}

#[test]
fn missing_title_is_reported() {
    let text = VALID.replace("title = \"Provnotis\"\n", "");
    let (code, err) = render_bad("notitle", "n.toml", &text);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: n.toml:1:1: title: the field is missing\n\
         hint: every notice needs id, title, summary, language, publisher, updated and sections\n"
    );
}

#[test]
fn invalid_date_is_reported_at_the_value() {
    let text = VALID.replace("2023-03-20", "2023-02-30");
    let (code, err) = render_bad("date", "n.toml", &text);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: n.toml:6:11: updated: invalid date \"2023-02-30\": expected a calendar date written YYYY-MM-DD\n"
    );
}

#[test]
fn character_missing_from_fonts_is_named_with_code_point_and_place() {
    let text = VALID.replace("Text.", "Text 漢.");
    let (code, err) = render_bad("han", "n.toml", &text);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: n.toml:12:16: sections[0].intro[0]: character '漢' (U+6F22) is not in the notice fonts\n\
         hint: the PDF embeds Inter cut to Latin (Basic Latin, Latin-1, Latin Extended-A and common punctuation: docs/data-format.md); use a character of those, or write the word out\n"
    );
}

#[test]
fn invalid_utf8_is_located() {
    let mut bytes = VALID.as_bytes().to_vec();
    let at = VALID.find("Text.").unwrap() + 2;
    bytes[at] = 0xff;
    let dir = scratch("utf8");
    std::fs::write(dir.join("n.toml"), bytes).unwrap();
    let o = run(&dir, &["render", "n.toml", "-o", "out.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: n.toml:12:13: the file is not valid UTF-8\nhint: save the data file as UTF-8\n"
    );
    let c = run(&dir, &["check", "n.toml"]);
    assert_eq!(c.status.code(), Some(1));
}

#[test]
fn validation_reports_every_problem_at_once() {
    let text = VALID
        .replace("heading = \"Rubrik\"", "heading = \"\"")
        .replace("id = \"s\"", "id = \"S s\"");
    let dir = scratch("many");
    std::fs::write(dir.join("n.toml"), text).unwrap();
    let o = run(&dir, &["check", "n.toml"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("error: n.toml:9:6: sections[0].id: invalid id \"S s\""),
        "{err}"
    );
    assert!(
        err.contains("error: n.toml:11:11: sections[0].heading: must not be empty"),
        "{err}"
    );
    assert!(
        err.ends_with("checked 1 notice(s): 2 error(s), 0 warning(s)\n"),
        "{err}"
    );
}

#[test]
fn empty_data_directory_fails_with_a_hint() {
    let dir = scratch("empty");
    std::fs::create_dir_all(dir.join("data")).unwrap();
    let o = run(&dir, &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: no notices in data: expected at least one *.toml file\n\
         hint: put one notice per file in the directory, e.g. data/kundservice.toml\n"
    );
    assert!(!dir.join("output").exists());
}

#[test]
fn unwritable_output_directory_fails_cleanly() {
    let dir = scratch("unwritable");
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(dir.join("data/prov.toml"), VALID).unwrap();
    // A file where the output directory should be: not writable even for root.
    std::fs::write(dir.join("blocked"), "").unwrap();
    let o = run(&dir, &["build", "--out", "blocked/out"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: cannot create output directory blocked/out: Not a directory (os error 20)\n"
    );
}

#[test]
fn duplicate_notice_ids_fail_the_build() {
    let dir = scratch("dup");
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(dir.join("data/a.toml"), VALID).unwrap();
    std::fs::write(dir.join("data/b.toml"), VALID).unwrap();
    let o = run(&dir, &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: data/b.toml:1:6: id: notice id \"prov\" is already used by data/a.toml\n\
         hint: every notice needs its own id (it names the output file)\n"
    );
    assert!(!dir.join("output").exists());
}

#[test]
fn usage_errors_exit_2() {
    let o = run(Path::new("."), &["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(Path::new("."), &["render"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn check_reports_the_lint_of_the_published_data_and_its_readability() {
    let o = run(&common::root(), &["check", "data/"]);
    assert_eq!(o.status.code(), Some(0), "lint findings are warnings");
    let err = stderr(&o);
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(
        warnings,
        [
            // The collection-level questions no notice answers yet ("rights" is answered by
            // the page "Dina rättigheter", which the notice links to).
            "warning: data/collection.toml: no notice answers controller (GDPR Art. 13(1)(a)), nor links to a page that does",
            "warning: data/collection.toml: no notice answers dpo_contact (GDPR Art. 13(1)(b)), nor links to a page that does",
            "warning: data/collection.toml: no notice answers complaint (GDPR Art. 13(2)(d)), nor links to a page that does",
            "warning: data/collection.toml: no notice answers transfers (GDPR Art. 13(1)(f)), nor links to a page that does",
            // "Eftersom att Avanza har ett berättigat intresse.": which interest, it does not say.
            "warning: data/kundservice.toml:41:40: sections[0].items[2].answer[0]: the legal basis is a legitimate interest, and the section does not say which interest (GDPR Art. 13(1)(d))",
            // The third section's missing legal basis.
            "warning: data/kundservice.toml:95:11: sections[2].heading: section \"När företagskunder eller försäkrade kontaktar kundservice\" has no legal_basis item (GDPR Art. 13(1)(c))",
            // "… kan följande komma att behandlas", at the words.
            "warning: data/kundservice.toml:109:56: sections[2].items[1].answer[0]: vague qualifier \"komma att\": a reader cannot tell what happens",
        ]
    );
    assert!(err.contains(
        "readability: data/kundservice.toml\n   LIX  sentences  over 25 words  section\n    47          8              1  När du som privatperson är i kontakt med kundservice via telefon (svår)\n"
    ), "{err}");
    assert!(err.ends_with("checked 1 notice(s) and the collection: 0 error(s), 7 warning(s)\n"));
    let strict = run(&common::root(), &["check", "--strict", "data/"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        stderr(&strict).starts_with("error: data/collection.toml: no notice answers controller")
    );
}

#[test]
fn build_is_idempotent_and_atomic() {
    let dir = scratch("build");
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::copy(common::fixture_file(), dir.join("data/kundservice.toml")).unwrap();
    let first = run(&dir, &["build"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(
        stderr(&first).ends_with("1 notice(s) built into output: 4 file(s) written\n"),
        "{}",
        stderr(&first)
    );
    let pdf = std::fs::read(dir.join("output/kundservice.pdf")).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("output/manifest.json")).unwrap()).unwrap();
    let entry = &manifest["notices"][0];
    assert_eq!(entry["id"], "kundservice");
    assert_eq!(entry["language"], "sv-SE");
    assert_eq!(entry["updated"], "2023-03-20");
    let source = std::fs::read(common::fixture_file()).unwrap();
    assert_eq!(entry["version"], notice_pdf::sha256_hex(&source)[..8]);
    assert_eq!(entry["source_sha256"], notice_pdf::sha256_hex(&source));
    assert_eq!(entry["bytes"], pdf.len());
    assert_eq!(entry["sha256"], notice_pdf::sha256_hex(&pdf));
    assert!(matches!(entry["pages"].as_u64(), Some(2..=3)));
    assert_eq!(entry["edition"], "standard");
    let large = &manifest["notices"][1];
    assert_eq!(
        (large["id"].as_str(), large["edition"].as_str()),
        (Some("kundservice"), Some("large"))
    );
    assert_eq!(large["file"], "kundservice.large.pdf");
    let large_pdf = std::fs::read(dir.join("output/kundservice.large.pdf")).unwrap();
    assert_eq!(large["sha256"], notice_pdf::sha256_hex(&large_pdf));

    let mtimes = || {
        ["kundservice.pdf", "kundservice.large.pdf", "manifest.json"].map(|p| {
            std::fs::metadata(dir.join("output").join(p))
                .unwrap()
                .modified()
                .unwrap()
        })
    };
    let before = mtimes();
    let second = run(&dir, &["build"]);
    assert_eq!(second.status.code(), Some(0));
    assert!(
        stderr(&second).ends_with("1 notice(s) up to date in output: nothing changed\n"),
        "{}",
        stderr(&second)
    );
    assert_eq!(before, mtimes());

    // One bad notice fails the run and nothing is touched.
    std::fs::write(
        dir.join("data/trasig.toml"),
        VALID.replace("2023-03-20", "20 mars"),
    )
    .unwrap();
    let bad = run(&dir, &["build"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).starts_with("error: data/trasig.toml:6:11: updated: invalid date"),
        "{}",
        stderr(&bad)
    );
    assert_eq!(before, mtimes());
    let names = |d: &str| {
        let mut v: Vec<String> = std::fs::read_dir(dir.join(d))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        names("output"),
        [
            ".generations",
            ".notice-pdf.lock",
            "current",
            "kundservice.html",
            "kundservice.large.pdf",
            "kundservice.pdf",
            "manifest.json"
        ],
        "no temporary or partial files"
    );
    assert_eq!(names("output/.generations").len(), 1, "one generation");
}

#[test]
fn render_to_stdout_and_file_agree() {
    let root = common::root();
    let o = run(
        &root,
        &["render", "tests/fixtures/kundservice.toml", "-o", "-"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.starts_with(b"%PDF-1."));
    let dir = scratch("render");
    let out = dir.join("k.pdf");
    let f = run(
        &root,
        &[
            "render",
            "data/kundservice.toml",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(f.status.code(), Some(0));
    assert_eq!(std::fs::read(&out).unwrap(), o.stdout);
}

#[test]
fn source_date_epoch_sets_the_document_date() {
    let root = common::root();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
        .args(["render", "data/kundservice.toml", "-o", "-"])
        .current_dir(&root)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("D:20231114221320"),
        "CreationDate from SOURCE_DATE_EPOCH"
    );
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
        .args(["render", "data/kundservice.toml", "-o", "-"])
        .current_dir(&root)
        .env("SOURCE_DATE_EPOCH", "igår")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn build_check_catches_stale_outputs_and_replaced_versions_are_archived() {
    let dir = scratch("check-archive");
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::copy(common::fixture_file(), dir.join("data/kundservice.toml")).unwrap();
    let stale_msg = |why: &str| {
        format!(
            "error: 4 output file(s) not up to date:\n  output/kundservice.pdf: {why}\n  \
             output/kundservice.large.pdf: {why}\n  output/kundservice.html: {why}\n  \
             output/manifest.json: {why}\n\
             hint: run `notice-pdf build` to bring the output directory up to date\n"
        )
    };

    let missing = run(&dir, &["build", "--check"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(stderr(&missing), stale_msg("missing"));
    assert!(!dir.join("output").exists(), "--check writes nothing");

    assert!(run(&dir, &["build"]).status.success());
    let ok = run(&dir, &["build", "--check"]);
    assert_eq!(ok.status.code(), Some(0));
    assert_eq!(stderr(&ok), "output is up to date\n");
    let old_std = std::fs::read(dir.join("output/kundservice.pdf")).unwrap();
    let old_large = std::fs::read(dir.join("output/kundservice.large.pdf")).unwrap();
    let old_html = std::fs::read(dir.join("output/kundservice.html")).unwrap();

    // A policy update.
    let text = std::fs::read_to_string(dir.join("data/kundservice.toml")).unwrap();
    let text = text
        .replace(
            "Vi sparar personuppgifterna i 6 månader.",
            "Vi sparar personuppgifterna i 3 månader.",
        )
        .replace("\"2023-03-20\"", "\"2024-06-01\"")
        .replace("uppdaterades 2023-03-20", "uppdaterades 2024-06-01");
    std::fs::write(dir.join("data/kundservice.toml"), text).unwrap();
    let stale = run(&dir, &["build", "--check"]);
    assert_eq!(stale.status.code(), Some(1));
    assert_eq!(stderr(&stale), stale_msg("out of date"));

    let b = run(&dir, &["build"]);
    assert!(b.status.success(), "{}", stderr(&b));
    let archived = dir.join("output/archive/kundservice");
    let sha8 = |b: &[u8]| notice_pdf::sha256_hex(b)[..8].to_owned();
    let std_path = archived.join(format!("2023-03-20-{}.pdf", sha8(&old_std)));
    let large_path = archived.join(format!("2023-03-20-{}.large.pdf", sha8(&old_large)));
    assert_eq!(
        std::fs::read(&std_path).unwrap(),
        old_std,
        "the version customers had is kept"
    );
    assert_eq!(std::fs::read(&large_path).unwrap(), old_large);
    assert_ne!(
        std::fs::read(dir.join("output/kundservice.pdf")).unwrap(),
        old_std
    );

    let again = run(&dir, &["build"]);
    assert!(stderr(&again).ends_with("nothing changed\n"));
    // Every replaced output is kept, the HTML alternative too.
    let html_path = archived.join(format!("2023-03-20-{}.html", sha8(&old_html)));
    assert_eq!(std::fs::read(&html_path).unwrap(), old_html);
    assert_eq!(std::fs::read_dir(&archived).unwrap().count(), 3);
    assert!(
        std::fs::read_to_string(dir.join("output/kundservice.html"))
            .unwrap()
            .contains("3\u{a0}månader")
    );
    assert_eq!(run(&dir, &["build", "--check"]).status.code(), Some(0));
}

/// `check` on one file: exit code and everything it printed.
fn check_one(test: &str, text: &str) -> (i32, String) {
    let dir = scratch(test);
    std::fs::write(dir.join("n.toml"), text).unwrap();
    let o = run(&dir, &["check", "n.toml"]);
    (o.status.code().unwrap(), stderr(&o))
}

#[test]
fn messages_name_what_is_wrong() {
    let cases: &[(&str, String, &str)] = &[
        (
            "dup-key",
            VALID.replace("title = \"Provnotis\"", "title = \"A\"\ntitle = \"B\""),
            "error: n.toml:3:1: duplicate key `title`: it is already set above\n\
             hint: keep one `title` and remove the other\n",
        ),
        (
            "dup-key-nested",
            VALID.replace("heading = \"Rubrik\"", "heading = \"A\"\nheading = \"B\""),
            "error: n.toml:12:1: duplicate key `heading`: it is already set above\n\
             hint: keep one `heading` and remove the other\n",
        ),
        (
            "bare-date",
            VALID.replace("updated = \"2023-03-20\"", "updated = 2023-03-20"),
            "error: n.toml:6:11: updated: expected a string, found the unquoted TOML date 2023-03-20\n\
             hint: write dates in quotes: \"2023-03-20\"\n",
        ),
        (
            "bare-datetime-title",
            VALID.replace("title = \"Provnotis\"", "title = 2023-03-20T10:00:00"),
            "error: n.toml:2:9: title: expected a string, found the unquoted TOML date 2023-03-20T10:00:00\n\
             hint: write dates in quotes: \"2023-03-20T10:00:00\"\n",
        ),
        (
            "lang-injection",
            VALID.replace("\"sv-SE\"", "\"sv-SE) /Foo (bar\""),
            "error: n.toml:4:12: language: \"sv-SE) /Foo (bar\" is not a BCP 47 language tag",
        ),
        (
            "lang-other",
            VALID.replace("\"sv-SE\"", "\"en-GB\""),
            "error: n.toml:4:12: language: unsupported language \"en-GB\"\n",
        ),
        (
            "date-zero",
            VALID.replace("2023-03-20", "0000-01-01"),
            "error: n.toml:6:11: updated: date \"0000-01-01\" is out of range: a notice is dated \
             from 1990-01-01 to 2099-12-31\n",
        ),
        (
            "date-far",
            VALID.replace("2023-03-20", "9999-12-31"),
            "error: n.toml:6:11: updated: date \"9999-12-31\" is out of range",
        ),
        (
            "bell-escaped",
            VALID.replace("Text.", "Te\\u0007xt."),
            "error: n.toml:12:13: sections[0].intro[0]: control character U+0007 is not allowed in text\n\
             hint: remove it: control characters are invisible and cannot be printed\n",
        ),
        (
            "tab-literal",
            VALID.replace("Text.", "Te\txt."),
            "error: n.toml:12:13: sections[0].intro[0]: control character U+0009 is not allowed in text\n\
             hint: use a space instead of the tab\n",
        ),
        (
            "newline-escaped",
            VALID.replace("\"Rubrik\"", "\"Rub\\nrik\""),
            "error: n.toml:11:15: sections[0].heading: control character U+000A is not allowed in text\n\
             hint: this text is one line: remove the line break\n",
        ),
        (
            "escaped-backslash-is-not-a-tab",
            VALID.replace("Text.", "a\\\\tb \\t."),
            "error: n.toml:12:17: sections[0].intro[0]: control character U+0009",
        ),
        (
            "url-not-https",
            VALID.replace(
                "language = ",
                "source_url = \"http://www.avanza.se/x\"\nlanguage = ",
            ),
            "error: n.toml:4:14: source_url: \"http://www.avanza.se/x\" is not an https:// address\n",
        ),
        (
            "url-space",
            VALID.replace(
                "language = ",
                "source_url = \"https://www.avanza.se/a b\"\nlanguage = ",
            ),
            "error: n.toml:4:14: source_url: the address contains \" \" (U+0020); write it percent-encoded\n",
        ),
        (
            "url-no-host",
            VALID.replace("language = ", "source_url = \"https:///x\"\nlanguage = "),
            "error: n.toml:4:14: source_url: \"https:///x\" has no host name\n",
        ),
        (
            "html-in-text",
            VALID.replace("Text.", "Text <b>fet</b>."),
            "error: n.toml:12:16: sections[0].intro[0]: HTML is not allowed here; write the text itself\n\
             hint: running text is CommonMark: paragraphs, \"- \" and \"1. \" lists, pipe tables, *emphasis*, **strong** and \
             [links](https://…); docs/data-format.md\n",
        ),
        (
            "insecure-link",
            VALID.replace("Text.", "Se [här](http://avanza.se)."),
            "error: n.toml:12:14: sections[0].intro[0]: \"http://avanza.se\" is not a link address: \
             use https://…, mailto:… or notice:ID\n",
        ),
        (
            "lists-too-deep",
            VALID.replace(
                "intro = [\"Text.\"]",
                "intro = [\"\"\"\n- a\n  - b\n    - c\n      - d\n\"\"\"]",
            ),
            "error: n.toml:16:7: sections[0].intro[0]: a list nested more than 3 deep is not allowed here; flatten it\n",
        ),
        (
            "summary-missing",
            VALID.replace("summary = \"En notis för testerna.\"\n", ""),
            "error: n.toml:1:1: summary: the field is missing\n\
             hint: add summary = \"…\": one line saying what the notice covers (the agents' page, \
             the pack's contents and the PDF's subject show it)\n",
        ),
        (
            "summary-two-lines",
            VALID.replace(
                "\"En notis för testerna.\"",
                "\"\"\"En notis\nför testerna.\"\"\"",
            ),
            "error: n.toml:3:22: summary: control character U+000A is not allowed in text\n\
             hint: this text is one line: remove the line break\n",
        ),
        (
            "summary-link",
            VALID.replace("En notis för testerna.", "Se [sidan](https://x.se)."),
            "error: n.toml:3:15: summary: a link ([…](…)) is not allowed in the summary: it would \
             print literally\n",
        ),
        (
            "summary-long",
            VALID.replace("En notis för testerna.", &"ord ".repeat(60)),
            "error: n.toml:3:11: summary: the summary is 240 characters; a summary is one line of \
             at most 200\nhint: say in one line what the notice covers; its sections say the rest\n",
        ),
        (
            "long-id",
            VALID.replace("id = \"prov\"", &format!("id = \"{}\"", "a".repeat(65))),
            "error: n.toml:1:6: id: the id is 65 characters; an id may be at most 64\n",
        ),
        (
            "long-paragraph",
            VALID.replace("Text.", &"ord ".repeat(1001)),
            "error: n.toml:12:10: sections[0].intro[0]: the text is 4004 characters; a text may be \
             at most 4000\nhint: split it into several paragraphs\n",
        ),
    ];
    for (name, text, want) in cases {
        let (code, err) = check_one(name, text);
        assert_eq!(code, 1, "{name}: {err}");
        assert!(
            err.starts_with(want),
            "{name}:\n{err}\nshould start with\n{want}"
        );
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let dir = scratch("huge-file");
    let f = std::fs::File::create(dir.join("n.toml")).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    let started = std::time::Instant::now();
    for args in [
        &["check", "n.toml"][..],
        &["render", "n.toml", "-o", "x.pdf"],
    ] {
        let o = run(&dir, args);
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(
            stderr(&o).lines().next().unwrap(),
            "error: n.toml: the file is 52428800 bytes; a data file may be at most 1048576 bytes (1 MiB)"
        );
    }
    // Generous for a loaded CI machine; it takes milliseconds.
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn which_files_in_a_data_directory_count() {
    let dir = scratch("which-files");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let valid = |id: &str| VALID.replace("id = \"prov\"", &format!("id = \"{id}\""));
    std::fs::write(data.join("a.toml"), valid("a")).unwrap();
    std::fs::write(data.join("B.TOML"), valid("b")).unwrap();
    // Ignored: hidden files, backups, other extensions.
    std::fs::write(data.join(".hidden.toml"), "broken").unwrap();
    std::fs::write(data.join("a.toml~"), "broken").unwrap();
    std::fs::write(data.join("notes.txt"), "broken").unwrap();
    let check = run(&dir, &["check", "data"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(stderr(&check).ends_with("checked 2 notice(s): 0 error(s), 0 warning(s)\n"));
    let build = run(&dir, &["build"]);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    assert!(dir.join("output/a.pdf").exists() && dir.join("output/b.pdf").exists());

    // Counted but not readable as a notice: errors, never skipped.
    std::os::unix::fs::symlink("gone.toml", data.join("dangling.toml")).unwrap();
    std::fs::create_dir(data.join("dir.toml")).unwrap();
    let want = "error: data/dangling.toml: is a symbolic link to a file that does not exist\n\
                hint: remove the link or point it at a notice\n\
                error: data/dir.toml: is a directory, not a data file\n\
                hint: a data file is a regular *.toml file; rename or remove this entry\n";
    let check = run(&dir, &["check", "data"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(stderr(&check).starts_with(want), "{}", stderr(&check));
    let build = run(&dir, &["build"]);
    assert_eq!(build.status.code(), Some(1));
    assert_eq!(stderr(&build), want);
}

#[test]
fn source_date_epoch_is_range_checked() {
    for (value, ok) in [
        ("0", true),
        ("1679270400", true),
        ("4102444799", true),
        ("4102444800", false),
        ("999999999999", false),
        ("-1", false),
        ("soon", false),
    ] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
            .args(["render", "-o", "-"])
            .arg(common::fixture_file())
            .env("SOURCE_DATE_EPOCH", value)
            .output()
            .unwrap();
        let code = o.status.code();
        assert_eq!(
            code,
            Some(if ok { 0 } else { 2 }),
            "{value}: {}",
            stderr(&o)
        );
        if !ok {
            assert!(
                stderr(&o).starts_with("error: SOURCE_DATE_EPOCH"),
                "{}",
                stderr(&o)
            );
        }
    }
}

/// The fixture notice in `<dir>/data/kundservice.toml`, built into `<dir>/output`.
fn built(name: &str) -> std::path::PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::copy(common::fixture_file(), dir.join("data/kundservice.toml")).unwrap();
    let o = run(&dir, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    dir
}

#[test]
fn ad_hoc_commands_never_replace_what_a_build_published() {
    let dir = built("ad-hoc");
    let published = |name: &str| std::fs::read(dir.join("output").join(name)).unwrap();
    let before = ["kundservice.pdf", "kundservice.html", "manifest.json"].map(published);
    // By default they write beside the build's files, not among them.
    for (args, made) in [
        (
            &["render", "data/kundservice.toml"][..],
            "output/ad-hoc/kundservice.pdf",
        ),
        (
            &["html", "data/kundservice.toml"],
            "output/ad-hoc/kundservice.html",
        ),
    ] {
        let o = run(&dir, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(dir.join(made).is_file(), "{made}");
    }
    // Asked to write over a published file, through any of its names, they refuse.
    for (args, path) in [
        (
            &["render", "data/kundservice.toml", "-o"][..],
            "output/kundservice.pdf",
        ),
        (
            &["render", "data/kundservice.toml", "-o"],
            "output/current/kundservice.pdf",
        ),
        (
            &["html", "data/kundservice.toml", "-o"],
            "output/kundservice.html",
        ),
        (
            &["render", "data/kundservice.toml", "-o"],
            "output/manifest.json",
        ),
    ] {
        let args: Vec<&str> = args.iter().copied().chain([path]).collect();
        let o = run(&dir, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&o).contains(&format!(
                "error: refusing to write {path}: it was published by `notice-pdf build`"
            )),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    assert_eq!(
        ["kundservice.pdf", "kundservice.html", "manifest.json"].map(published),
        before
    );
    assert_eq!(run(&dir, &["build", "--check"]).status.code(), Some(0));
}

#[test]
fn builds_on_one_output_directory_take_turns() {
    use std::io::BufRead;
    let dir = built("turns");
    std::fs::write(
        dir.join("data/kundservice.toml"),
        std::fs::read_to_string(dir.join("data/kundservice.toml"))
            .unwrap()
            .replace("i 6 månader", "i 3 månader"),
    )
    .unwrap();
    let old = std::fs::read(dir.join("output/kundservice.pdf")).unwrap();
    // Another build holds the directory.
    let held = notice_pdf::output::DirLock::acquire(&dir.join("output"), &mut || {
        panic!("nobody else holds it")
    })
    .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
        .arg("build")
        .current_dir(&dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(err).lines() {
            let _ = tx.send(line.unwrap());
        }
    });
    let first = rx
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("the second build says it waits");
    assert!(
        first.contains("waiting another build is writing output: this one goes next"),
        "{first}"
    );
    assert!(
        child.try_wait().unwrap().is_none(),
        "it waits, it does not give up"
    );
    assert_eq!(
        std::fs::read(dir.join("output/kundservice.pdf")).unwrap(),
        old
    );
    drop(held);
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
    let rest: Vec<String> = rx.try_iter().collect();
    assert!(
        rest.iter()
            .any(|l| l.contains("written output/kundservice.pdf")),
        "{rest:?}"
    );
    // It planned against what was published when its turn came: the old version is archived.
    let archive = dir.join("output/archive/kundservice");
    let kept: Vec<Vec<u8>> = std::fs::read_dir(&archive)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    assert!(kept.contains(&old));
}

#[test]
fn render_applies_the_link_rules_of_its_data_set() {
    let dir = scratch("render-links");
    std::fs::create_dir_all(dir.join("data")).unwrap();
    let text = std::fs::read_to_string(common::fixture_file()).unwrap().replacen(
        "answer = [\"Vi sparar personuppgifterna i 6 månader.\"]",
        "answer = [\"Vi sparar personuppgifterna i 6 månader, se [mätningarna](notice:kundservice#nope).\"]",
        1,
    );
    std::fs::write(dir.join("data/kundservice.toml"), text).unwrap();
    let check = run(&dir, &["check", "data"]);
    let render = run(&dir, &["render", "data/kundservice.toml"]);
    assert_eq!(
        (check.status.code(), render.status.code()),
        (Some(1), Some(1))
    );
    let said = |o: &std::process::Output| {
        stderr(o)
            .lines()
            .find(|l| l.starts_with("error:"))
            .map(str::to_owned)
            .unwrap()
    };
    assert_eq!(said(&render), said(&check));
    assert!(
        said(&render).contains("has no printed section \"nope\""),
        "{}",
        said(&render)
    );
    assert!(!dir.join("output").exists(), "nothing written");
}

#[test]
fn a_file_that_does_not_read_is_the_only_error_not_the_errors_it_would_cause() {
    let dir = scratch("root-cause");
    common::copy_collection(&dir.join("data"));
    // rik.toml half-written: the collection places "rik" and other notices link to it, but
    // what rik.toml declares is unknown, so only its own error is true.
    let text = std::fs::read_to_string(dir.join("data/rik.toml")).unwrap();
    std::fs::write(dir.join("data/rik.toml"), &text[..text.len() / 2]).unwrap();
    let o = run(&dir, &["build"]);
    assert_eq!(o.status.code(), Some(1));
    let said = stderr(&o);
    let errors: Vec<&str> = said.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{said}");
    assert!(errors[0].starts_with("error: data/rik.toml"), "{errors:?}");

    // A field misspelt: the notice's id still reads, and nothing else is blamed on it, not
    // even the collection's questions it may answer.
    std::fs::write(
        dir.join("data/rik.toml"),
        text.replacen("summary =", "sumary =", 1),
    )
    .unwrap();
    let o = run(&dir, &["check", "data"]);
    let said = stderr(&o);
    let errors: Vec<&str> = said.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{said}");
    assert!(errors[0].starts_with("error: data/rik.toml"), "{errors:?}");
    assert!(!said.contains("no notice answers"), "{said}");

    // The collection misspelt: no notice is "not placed in the collection".
    std::fs::write(dir.join("data/rik.toml"), &text).unwrap();
    let collection = std::fs::read_to_string(dir.join("data/collection.toml")).unwrap();
    std::fs::write(
        dir.join("data/collection.toml"),
        collection.replacen("title =", "titel =", 1),
    )
    .unwrap();
    let o = run(&dir, &["check", "data"]);
    let said = stderr(&o);
    let errors: Vec<&str> = said.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{said}");
    assert!(
        errors[0].starts_with("error: data/collection.toml"),
        "{errors:?}"
    );
}

#[test]
fn an_invisible_character_in_an_id_is_shown_as_an_escape() {
    let dir = scratch("invisible-id");
    std::fs::write(
        dir.join("n.toml"),
        VALID.replacen("id = \"prov\"", "id = \"pr\u{200b}ov\"", 1),
    )
    .unwrap();
    let o = run(&dir, &["check", "n.toml"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(!e.contains('\u{200b}'), "{e}");
    assert!(
        e.contains("id: invalid id \"pr\\u{200b}ov\": it holds U+200B, and an id is written with a-z, 0-9 and -"),
        "{e}"
    );
}
