//! The collection (`collection.toml`): every notice placed once, every placed id a notice,
//! links between notices resolved, and every problem reported at once, located where it is
//! written. All on the fictional bank's collection in `tests/fixtures/exempelbanken/`.

use crate::common;

use std::path::{Path, PathBuf};

fn fixture_dir() -> PathBuf {
    common::root().join("tests/fixtures/exempelbanken")
}

/// A scratch copy of the fixture collection, with `edits` (file, from, to) applied.
fn scratch_collection(name: &str, edits: &[(&str, &str, &str)]) -> PathBuf {
    let dir = common::scratch(name);
    common::copy_collection(&dir);
    for (file, from, to) in edits {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
    dir
}

fn check(dir: &Path) -> (i32, String) {
    let out = common::run(dir, &["check", "."]);
    (out.status.code().unwrap(), common::stderr(&out))
}

#[test]
fn fixture_collection_is_clean_and_large_enough_for_the_pack_tests() {
    let (code, err) = check(&fixture_dir());
    assert_eq!(code, 0, "{err}");
    assert!(
        err.ends_with("checked 6 notice(s) and the collection: 0 error(s), 0 warning(s)\n"),
        "{err}"
    );
    assert!(!err.contains("warning:"), "{err}");
    let set = notice_pdf::source::DataSet::load_dir(&fixture_dir()).unwrap();
    let notices: Vec<_> = set.notices().collect();
    let sections: usize = notices.iter().map(|l| l.notice.sections.len()).sum();
    assert!(
        notices.len() >= 5 && sections >= 40,
        "{} notices, {sections} sections",
        notices.len()
    );
    assert!(notices.iter().any(|l| l.notice.source_url.is_none()));
    let c = set.collection().expect("the collection is valid");
    assert_eq!(c.order().count(), notices.len());
}

#[test]
fn the_real_data_has_a_collection_placing_its_notice() {
    let set = notice_pdf::source::DataSet::load_dir(&common::root().join("data")).unwrap();
    assert!(set.errors().is_empty(), "{:?}", set.errors());
    let c = set.collection().expect("data/collection.toml");
    assert_eq!(c.order().collect::<Vec<_>>(), ["kundservice"]);
}

#[test]
fn every_collection_problem_is_reported_at_once_where_it_is_written() {
    let dir = scratch_collection(
        "collection-problems",
        &[
            // An unknown id, and a notice placed twice.
            (
                "collection.toml",
                "notices = [\"leverantorer\"]",
                "notices = [\"leverantor\", \"rik\"]",
            ),
            // A link to a section that does not exist, and to a notice that does not.
            ("rattigheter.toml", "notice:rik#samtal", "notice:rik#saknas"),
            ("tjanster.toml", "notice:rattigheter)", "notice:rattighet)"),
        ],
    );
    let (code, err) = check(&dir);
    assert_eq!(code, 1);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(
        errors,
        [
            "error: ./collection.toml:28:12: groups[3].notices[0]: no notice has the id \"leverantor\"",
            "error: ./collection.toml:28:26: groups[3].notices[1]: notice \"rik\" is placed twice (also groups[2].notices[0])",
            "error: ./leverantorer.toml:2:6: id: notice \"leverantorer\" is not placed in the collection",
            "error: ./rattigheter.toml:20:58: sections[0].intro[0]: notice \"rik\" has no printed section \"saknas\"",
            "error: ./tjanster.toml:20:20: sections[0].intro[0]: the link names notice \"rattighet\", and there is none",
        ],
        "{err}"
    );
    assert!(err.contains("hint: add \"leverantorer\" to a group's notices in ./collection.toml"));
    assert!(err.contains("hint: its sections are: samtal, rattigheter"));
    assert!(err.ends_with("checked 6 notice(s) and the collection: 5 error(s), 0 warning(s)\n"));
}

#[test]
fn a_link_to_a_web_only_section_is_an_error() {
    let dir = scratch_collection(
        "collection-web-only",
        &[(
            "rik.toml",
            "id = \"rattigheter\"\nkind = \"info\"",
            "id = \"rattigheter\"\nkind = \"info\"\nweb_only = true",
        )],
    );
    let (code, err) = check(&dir);
    assert_eq!(code, 1);
    assert!(
        err.contains("rik.toml:24:33: sections[0].intro[0]: notice \"rik\" has no printed section \"rattigheter\""),
        "{err}"
    );
}

#[test]
fn build_refuses_a_data_directory_whose_collection_is_wrong() {
    let dir = scratch_collection(
        "collection-build",
        &[(
            "collection.toml",
            "notices = [\"kundkannedom\"]",
            "notices = []",
        )],
    );
    let out = common::run(&dir, &["build", "--data", ".", "--out", "out"]);
    assert_eq!(out.status.code(), Some(1));
    let err = common::stderr(&out);
    assert!(
        err.contains("collection.toml:16:11: groups[0].notices: the group has no notices"),
        "{err}"
    );
    assert!(
        err.contains("kundkannedom.toml:2:6: id: notice \"kundkannedom\" is not placed"),
        "{err}"
    );
    assert!(!dir.join("out").exists(), "nothing written");
}

#[test]
fn a_second_collection_and_a_missing_field_are_errors() {
    let dir = scratch_collection("collection-second", &[]);
    std::fs::write(dir.join("COLLECTION.TOML"), "title = \"x\"\n").unwrap();
    let (code, err) = check(&dir);
    assert_eq!(code, 1);
    assert!(
        err.contains("error: ./COLLECTION.TOML:1:1: label: the field is missing"),
        "{err}"
    );
    assert!(
        err.contains("hint: the collection needs title, label, publisher, language and groups"),
        "{err}"
    );
    std::fs::write(
        dir.join("COLLECTION.TOML"),
        std::fs::read_to_string(dir.join("collection.toml")).unwrap(),
    )
    .unwrap();
    let (code, err) = check(&dir);
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "error: ./collection.toml: a second collection: ./COLLECTION.TOML is the collection"
        ),
        "{err}"
    );
}

#[test]
fn no_notice_may_take_the_packs_id() {
    let dir = scratch_collection(
        "collection-pack-id",
        &[
            (
                "leverantorer.toml",
                "id = \"leverantorer\"",
                "id = \"integritetsinformation\"",
            ),
            (
                "collection.toml",
                "notices = [\"leverantorer\"]",
                "notices = [\"integritetsinformation\"]",
            ),
        ],
    );
    let (code, err) = check(&dir);
    assert_eq!(code, 1);
    assert!(
        err.contains("leverantorer.toml:2:6: id: the id \"integritetsinformation\" is the pack's (its output file)"),
        "{err}"
    );
}

#[test]
fn collection_questions_no_notice_answers_are_named_until_one_does() {
    // The notice answering dpo_contact loses that item: the collection says so.
    let dir = scratch_collection(
        "collection-gap",
        &[(
            "rattigheter.toml",
            "kind = \"dpo_contact\"",
            "kind = \"other\"",
        )],
    );
    let (code, err) = check(&dir);
    assert_eq!(code, 0, "a gap is a warning");
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(
        warnings,
        [
            "warning: ./collection.toml: no notice answers dpo_contact (GDPR Art. 13(1)(b)), nor links to a page that does"
        ]
    );
    // A page outside the collection answers it, and a notice links to that page.
    let url = "https://www.exempelbanken.se/dataskyddsombud.html";
    let text = std::fs::read_to_string(dir.join("collection.toml")).unwrap();
    std::fs::write(
        dir.join("collection.toml"),
        text.replacen(
            "\n[lint]",
            &format!("answered_elsewhere = {{ dpo_contact = \"{url}\" }}\n\n[lint]"),
            1,
        ),
    )
    .unwrap();
    let (_, err) = check(&dir);
    assert!(
        err.contains("no notice answers dpo_contact"),
        "not linked yet: {err}"
    );
    let rik = std::fs::read_to_string(dir.join("rik.toml")).unwrap();
    std::fs::write(
        dir.join("rik.toml"),
        rik.replace(
            "Box 1234, 111 22 Stockholm",
            &format!("Box 1234, 111 22 Stockholm ([dataskyddsombudet]({url}))"),
        ),
    )
    .unwrap();
    let (code, err) = check(&dir);
    assert_eq!(code, 0);
    assert!(!err.contains("warning:"), "{err}");
    // Under --strict the gap is an error.
    std::fs::write(dir.join("rik.toml"), rik).unwrap();
    let o = common::run(&dir, &["check", "--strict", "."]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn vague_qualifiers_from_the_collections_list_are_found_where_they_are_written() {
    let dir = scratch_collection(
        "collection-vague",
        &[(
            "marknadsforing.toml",
            "answer = [\"Ingen utanför Exempelbanken.\"]",
            "answer = [\"Ingen utanför Exempelbanken, utom eventuellt våra partner.\"]",
        )],
    );
    let (code, err) = check(&dir);
    assert_eq!(code, 0);
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(
        warnings,
        [
            "warning: ./marknadsforing.toml:70:46: sections[1].items[4].answer[0]: vague qualifier \"eventuellt\": a reader cannot tell what happens"
        ]
    );
    // Only whole words: "eventuellt" inside a longer word is no qualifier.
    let dir = scratch_collection(
        "collection-vague-word",
        &[(
            "marknadsforing.toml",
            "answer = [\"Ingen utanför Exempelbanken.\"]",
            "answer = [\"Ingen utanför Exempelbanken (oeventuellt).\"]",
        )],
    );
    let (_, err) = check(&dir);
    assert!(!err.contains("warning:"), "{err}");
}
