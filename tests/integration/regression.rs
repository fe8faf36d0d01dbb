//! Regressions: each test replays one defect that was found, and says where it was found.
//! Tests of whole behaviours live in the files named after them.

use crate::common;

use notice_pdf::layout::{Item, Role};
use notice_pdf::{Edition, Options};

use common::{fixture_file, run, scratch, stderr};

/// Found by `cargo fuzz run typeset_text` (issue 5): a title too long for the running header
/// was drawn off the page. Replays the crash input the way the fuzz target does.
#[test]
fn fuzz_regression_long_title_stays_on_the_page() {
    let input = std::fs::read_to_string(
        common::root().join("tests/fuzz/regressions/typeset_text-long-title-in-header.txt"),
    )
    .unwrap();
    let mut n = notice_pdf::load(&common::fixture_file()).unwrap().notice;
    n.title = input
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap()
        .to_owned();
    for edition in Edition::ALL {
        let dl = notice_pdf::render(
            notice_pdf::Document::Notice(&n),
            &Options {
                edition,
                ..Default::default()
            },
        )
        .unwrap()
        .display;
        for page in &dl.pages {
            for item in &page.items {
                if let Item::Text(r) = item {
                    assert!(
                        r.x >= 0.0 && r.x + r.width() <= page.width,
                        "{:?} leaves the page",
                        r.text
                    );
                }
            }
        }
        // Page 1 carries the title block; the running header starts on page 2.
        let header = dl.pages[1].items.iter().find_map(|i| match i {
            Item::Text(r) if matches!(r.role, Role::Artifact(_)) && r.text.ends_with('…') => {
                Some(r.text.clone())
            }
            _ => None,
        });
        assert!(
            header.is_some(),
            "the header title is shortened with an ellipsis"
        );
    }
}

/// Found by a hostile-user review: `render k.toml -o k.toml` exited 0 and replaced the data
/// file with a PDF.
#[test]
fn rendering_onto_the_data_file_is_refused() {
    let dir = scratch("onto-input");
    std::fs::copy(fixture_file(), dir.join("k.toml")).unwrap();
    let before = std::fs::read(dir.join("k.toml")).unwrap();
    let o = run(&dir, &["render", "k.toml", "-o", "k.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: refusing to write k.toml: it is an input of this run (k.toml)\n\
         hint: choose an output path that is not one of the data files\n"
    );
    assert_eq!(std::fs::read(dir.join("k.toml")).unwrap(), before);
}

/// Found by a hostile-user review: closing standard output early
/// (`render … --report | head -c 10`) panicked with exit code 101.
#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = scratch("pipe");
    let file = fixture_file();
    // Nothing reads the report: its reader has gone away.
    let o = common::run_with_closed_stdout(
        &dir,
        &[
            "render",
            "--report",
            "-o",
            "out.pdf",
            file.to_str().unwrap(),
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// Found by a hostile-user review: `check data/` exited 0 on two files with the same id while
/// `build` failed.
#[test]
fn check_finds_duplicate_ids_like_build() {
    let dir = scratch("dup-check");
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::copy(fixture_file(), dir.join("data/a.toml")).unwrap();
    std::fs::copy(fixture_file(), dir.join("data/b.toml")).unwrap();
    let check = run(&dir, &["check", "data"]);
    let build = run(&dir, &["build"]);
    assert_eq!(
        (check.status.code(), build.status.code()),
        (Some(1), Some(1))
    );
    let line =
        "error: data/b.toml:6:6: id: notice id \"kundservice\" is already used by data/a.toml";
    assert!(stderr(&check).contains(line), "{}", stderr(&check));
    assert!(stderr(&build).contains(line), "{}", stderr(&build));
}
