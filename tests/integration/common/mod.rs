//! Helpers shared by the integration tests.

pub mod bombs;
#[cfg(feature = "serve")]
pub mod generated;
#[cfg(feature = "serve")]
pub mod http;
pub mod storage;
pub mod structure;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A frozen copy of the notice: what layout, typography, structure and output tests run on,
/// so that editing `data/` changes only the fidelity and lint expectations.
pub fn fixture_file() -> PathBuf {
    root().join("tests/fixtures/kundservice.toml")
}

/// The fictional bank's collection: what the collection, pack, HTML and verify tests run on.
pub fn collection_dir() -> PathBuf {
    root().join("tests/fixtures/exempelbanken")
}

/// Copies the fixture collection (its notices, collection and logo) into `dir`, created.
pub fn copy_collection(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for entry in std::fs::read_dir(collection_dir()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
}

/// `notice-pdf build` of the data directory `data` into `out`; returns what it said.
pub fn build_into(data: &Path, out: &Path) -> String {
    let o = run(
        data,
        &["build", "--data", ".", "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

/// The fixture collection in `<scratch name>/data`, built into `<scratch name>/output`, then
/// rik's retention answer changed from six to three months and, with `bump`, its date moved
/// on from 2024-05-02 to 2024-09-01, and built again: rik's documents now end with "Vad har
/// ändrats". Returns the data and output directories.
pub fn changed_rik(name: &str, bump: bool) -> (PathBuf, PathBuf) {
    let data = scratch(name).join("data");
    copy_collection(&data);
    let out = data.parent().unwrap().join("output");
    build_into(&data, &out);
    let file = data.join("rik.toml");
    let mut text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("I sex månader. Därefter", "I tre månader. Därefter");
    if bump {
        text = text.replace("updated = \"2024-05-02\"", "updated = \"2024-09-01\"");
    }
    std::fs::write(&file, text).unwrap();
    build_into(&data, &out);
    (data, out)
}

/// The published notice in `data/`: only for the fidelity test and the lint of the real data.
pub fn published_data_file() -> PathBuf {
    root().join("data/kundservice.toml")
}

/// Runs the `notice-pdf` binary in `dir` with `SOURCE_DATE_EPOCH` unset.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run notice-pdf")
}

/// Runs the `notice-pdf` binary in `dir` with its standard output closed before it writes:
/// the reader has gone away.
pub fn run_with_closed_stdout(dir: &Path, args: &[&str]) -> Output {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run notice-pdf");
    drop(child.stdout.take());
    child.wait_with_output().expect("wait for notice-pdf")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh, empty scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("notice-pdf-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[cfg(feature = "oracles")]
/// Runs an external oracle (only tests of the `oracles` tier call this). A missing tool fails
/// the test: `bash tests/run-all.sh` installs every one of them.
pub fn tool(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} is needed for this test ({e}); `bash tests/run-all.sh` installs it")
        })
}

#[cfg(feature = "oracles")]
/// The veraPDF wrapper from ../shared (override with NOTICE_PDF_VERAPDF).
pub fn verapdf() -> String {
    std::env::var("NOTICE_PDF_VERAPDF").unwrap_or_else(|_| {
        root()
            .join("../shared/tools/verapdf/verapdf")
            .to_string_lossy()
            .into_owned()
    })
}

#[cfg(feature = "oracles")]
/// Runs veraPDF on each of `files` (the shared driver takes one file per run): each must pass
/// both PDF/A-3a and PDF/UA-1.
pub fn assert_verapdf_passes(files: &[&Path]) {
    for file in files {
        let out = tool(
            &verapdf(),
            &[
                "--flavour",
                "3a",
                "--flavour",
                "ua1",
                &file.to_string_lossy(),
            ],
        );
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(0), "veraPDF:\n{report}");
        for profile in ["PDF/A-3a", "PDF/UA-1"] {
            let line = format!("{} {profile} validation profile: PASS", file.display());
            assert!(report.contains(&line), "missing {line:?} in\n{report}");
        }
    }
}

/// Every edition in both alignments, dated from the data.
pub fn all_options() -> Vec<notice_pdf::Options> {
    notice_pdf::Edition::ALL
        .into_iter()
        .flat_map(|edition| {
            [notice_pdf::Align::Left, notice_pdf::Align::Justify].map(|align| notice_pdf::Options {
                edition,
                align,
                date: None,
            })
        })
        .collect()
}

#[cfg(any(feature = "oracles", feature = "serve"))]
/// Renders the fixture notice in-process (standard edition).
pub fn render_real() -> notice_pdf::Rendition {
    render_edition(notice_pdf::Edition::Standard)
}

#[cfg(any(feature = "oracles", feature = "serve"))]
/// Renders the fixture notice in-process, ragged right.
pub fn render_edition(edition: notice_pdf::Edition) -> notice_pdf::Rendition {
    let loaded = notice_pdf::load(&fixture_file()).expect("real data loads");
    let opts = notice_pdf::Options {
        edition,
        ..Default::default()
    };
    notice_pdf::render(notice_pdf::Document::Notice(&loaded.notice), &opts)
        .expect("real data renders")
}

/// The notice's printed text, block by block, in reading order.
pub fn printed_blocks(n: &notice_pdf::Notice) -> Vec<String> {
    let mut out = Vec::new();
    notice_pdf::model::walk(
        n,
        notice_pdf::model::Which::Printed,
        &mut |_, step| match step {
            notice_pdf::model::Step::Running { text, .. } => out.push(text.plain()),
            notice_pdf::model::Step::Text { kind, text } => {
                out.push(text.to_owned());
                if kind == notice_pdf::model::TextKind::Title {
                    out.push(notice_pdf::sv::version_line(n));
                }
            }
            _ => {}
        },
    );
    out
}

/// What a reader of the output directory `out` sees: each published name with the bytes it
/// resolves to (not the archive, not our bookkeeping; a name that resolves to nothing is absent).
pub fn published(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut seen: Vec<(String, Vec<u8>)> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| !n.starts_with('.') && n != "archive" && n != "current")
        .filter_map(|n| std::fs::read(out.join(&n)).ok().map(|b| (n, b)))
        .collect();
    seen.sort();
    seen
}

/// Every path under `dir` named as a temporary (`.<name>.<pid>.tmp`, files and directories).
pub fn temporaries(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name.ends_with(".tmp") {
                found.push(e.path());
            } else if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            }
        }
    }
    found
}

/// Copies `from` to `to`, symbolic links as links.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let (src, dst) = (e.path(), to.join(e.file_name()));
        let t = e.file_type().unwrap();
        if t.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&src).unwrap(), &dst).unwrap();
        } else if t.is_dir() {
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// Typesets a notice and measures it, without writing a PDF (the typography tests).
pub fn typeset_with_report(
    n: &notice_pdf::Notice,
    opts: &notice_pdf::Options,
) -> (notice_pdf::layout::Typeset, notice_pdf::report::Report) {
    let ts = notice_pdf::layout::typeset(n, opts);
    let report = notice_pdf::report::Report::new(n, &ts, opts);
    (ts, report)
}

/// Every `/URI` of a PDF's link actions, in object order: what its links lead to outside it.
pub fn pdf_uris(pdf: &[u8]) -> Vec<String> {
    use lopdf::Object;
    fn visit(o: &Object, out: &mut Vec<String>) {
        match o {
            Object::Dictionary(d) => {
                if let Ok(u) = d.get(b"URI").and_then(Object::as_str) {
                    out.push(String::from_utf8_lossy(u).into_owned());
                }
                for (_, v) in d.iter() {
                    visit(v, out);
                }
            }
            Object::Array(items) => items.iter().for_each(|i| visit(i, out)),
            _ => {}
        }
    }
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut out = Vec::new();
    for o in doc.objects.values() {
        visit(o, &mut out);
    }
    out
}

/// A typeset document reads cleanly: no defect of any kind, except, justified, a compound
/// broken inside an element where a joint or a space would have stretched a line's spaces
/// past about 3.7 times their stretch; even then at least two of three hyphens fall at a
/// joint or between the syllables of a simple word.
pub fn assert_clean(report: &notice_pdf::report::Report, what: &str) {
    let d = report.defects;
    let inside = d.hyphens_inside_elements;
    let hyphenated: usize = report.paragraphs.iter().map(|p| p.hyphenated_lines).sum();
    match report.align {
        notice_pdf::Align::Left => assert_eq!(d.total(), 0, "{what}: {d:?}"),
        notice_pdf::Align::Justify => {
            assert_eq!(d.total(), inside, "{what}: {d:?}");
            assert!(
                3 * inside <= hyphenated,
                "{what}: {inside} of {hyphenated} hyphens inside an element: {:?}",
                report.hyphens_inside_elements
            );
        }
    }
}

/// The text runs a line is made of, in reading order with their page: content and the paper
/// references printed after links (" (sida 4)"), which sit between content on the line.
pub fn line_runs(dl: &notice_pdf::DisplayList) -> Vec<(usize, &notice_pdf::layout::TextRun)> {
    use notice_pdf::layout::{ArtifactKind, Item, Role};
    dl.pages
        .iter()
        .enumerate()
        .flat_map(|(pi, page)| page.items.iter().map(move |item| (pi, item)))
        .filter_map(|(pi, item)| match item {
            Item::Text(r)
                if matches!(
                    r.role,
                    Role::Content { .. } | Role::Artifact(ArtifactKind::Reference)
                ) =>
            {
                Some((pi, r))
            }
            _ => None,
        })
        .collect()
}

/// Paper leads somewhere: after the last fragment of every link whose text does not say where
/// it leads, the reader sees where: "(sida N)" for a chapter of the pack, N the page its
/// target lands on, or the address in parentheses. The reference is an artifact, so a screen
/// reader, which has the link, does not hear it twice. Returns the references checked.
pub fn assert_links_lead_somewhere_on_paper(dl: &notice_pdf::DisplayList, what: &str) -> usize {
    use notice_pdf::layout::{ArtifactKind, Item, Role};
    let mut checked = 0;
    // Each link node's fragments, with what follows its last fragment on the page.
    let mut last_text: Option<(usize, usize)> = None; // (page, node) of the last content run
    let mut pending: Option<usize> = None; // a link node whose reference is due
    let mut in_reference = false;
    let areas: Vec<(usize, &notice_pdf::layout::LinkArea)> = dl
        .pages
        .iter()
        .enumerate()
        .flat_map(|(pi, p)| {
            p.items.iter().filter_map(move |i| match i {
                Item::Link(l) => Some((pi, l)),
                _ => None,
            })
        })
        .collect();
    let area_of = |node: usize| {
        areas
            .iter()
            .filter(|(_, a)| a.node == node)
            .collect::<Vec<_>>()
    };
    let link_text = |node: usize| -> String {
        area_of(node)
            .iter()
            .map(|(_, a)| a.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let needs_reference = |node: usize| -> bool {
        let fragments = area_of(node);
        let Some((_, a)) = fragments.first() else {
            return false;
        };
        if a.dest.is_some() {
            return !a.url.starts_with("group:");
        }
        let short = notice_pdf::sv::short_address(&a.url).to_lowercase();
        let said: String = link_text(node)
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{ad}')
            .collect();
        !said.contains(&short)
    };
    for (pi, page) in dl.pages.iter().enumerate() {
        for item in &page.items {
            let Item::Text(run) = item else { continue };
            match run.role {
                Role::Content { node } => {
                    if let Some(due) = pending.take_if(|due| *due != node) {
                        panic!(
                            "{what}: the link {:?} has no reference after it",
                            link_text(due)
                        );
                    }
                    let is_link = matches!(
                        dl.structure[node].kind,
                        notice_pdf::layout::StructKind::Link { .. }
                    );
                    if is_link && needs_reference(node) && !in_contents(dl, node) {
                        pending = Some(node);
                    }
                    last_text = Some((pi, node));
                    in_reference = false;
                }
                Role::Artifact(ArtifactKind::Reference) => {
                    if in_reference {
                        continue; // the reference's next line
                    }
                    in_reference = true;
                    let (_, node) = last_text.expect("a reference follows a link");
                    assert_eq!(
                        pending.take(),
                        Some(node),
                        "{what}: a reference {:?} after no link",
                        run.text
                    );
                    let fragments = area_of(node);
                    let (_, a) = fragments.first().unwrap();
                    let text = run.text.trim();
                    match a.dest {
                        Some(d) => assert_eq!(
                            text,
                            notice_pdf::sv::page_reference(d.page + 1),
                            "{what}: {:?} leads to page {}",
                            link_text(node),
                            d.page + 1
                        ),
                        None => assert!(text.starts_with('('), "{what}: {text:?}"),
                    }
                    checked += 1;
                }
                _ => {}
            }
        }
    }
    assert!(
        pending.is_none(),
        "{what}: the last link has no reference after it"
    );
    checked
}

/// Whether `node` is inside the contents (its entries are links whose page stands at the right).
fn in_contents(dl: &notice_pdf::DisplayList, mut node: usize) -> bool {
    loop {
        if dl.structure[node].kind == notice_pdf::layout::StructKind::Toc {
            return true;
        }
        match dl.structure[node].parent {
            Some(p) => node = p,
            None => return false,
        }
    }
}
