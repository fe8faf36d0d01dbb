//! The HTML alternative (issue 12): the same text as the PDF, semantic structure, the
//! notice's language, no script; and the pack with its contents and internal links. The
//! real-browser tier checks both with axe-core.

use crate::common;

use notice_pdf::Notice;
use notice_pdf::source::DataSet;

/// The text content of an HTML string: tags removed, entities decoded, whitespace collapsed.
fn text_of(html: &str) -> String {
    let body = &html[html.find("<body>").unwrap()..];
    // Block elements separate words; inline ones (a, em, strong) do not.
    let inline = ["a", "em", "strong"];
    let mut out = String::new();
    let mut tag: Option<String> = None;
    for c in body.chars() {
        match (c, &mut tag) {
            ('<', None) => tag = Some(String::new()),
            ('>', Some(t)) => {
                let name: String = t
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_alphanumeric())
                    .collect();
                if !inline.contains(&name.as_str()) {
                    out.push(' ');
                }
                tag = None;
            }
            (c, Some(t)) => t.push(c),
            (c, None) => out.push(c),
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn flat(s: &str) -> String {
    s.replace('\u{ad}', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_html_holds_the_same_text_as_the_pdf() {
    for path in [
        common::fixture_file(),
        common::root().join("tests/fixtures/exempelbanken/rik.toml"),
    ] {
        let n = notice_pdf::load(&path).unwrap().notice;
        let html = notice_pdf::html::notice(&n);
        let text = text_of(&html);
        for block in common::printed_blocks(&n) {
            // A block's lines (list entries) each appear; markup is gone in both.
            for line in block.lines() {
                assert!(text.contains(&flat(line)), "{}: {line:?} is missing", n.id);
            }
        }
        assert!(html.starts_with(&format!("<!DOCTYPE html><html lang=\"{}\">", n.language)));
        assert!(!html.contains("<script"));
        assert_eq!(html.matches("<h1").count(), 1);
        assert_eq!(
            html.matches("<h2").count(),
            n.printed_sections().count(),
            "{}: one h2 per section",
            n.id
        );
    }
}

#[test]
fn the_pack_html_has_contents_linking_to_each_chapter_and_internal_links() {
    let set = DataSet::load_dir(&common::root().join("tests/fixtures/exempelbanken")).unwrap();
    let c = set.collection().unwrap();
    let notices: Vec<&Notice> = set.notices().map(|l| &l.notice).collect();
    let selected = notice_pdf::render::pack_selection(c, &notices, None).unwrap();
    let html = notice_pdf::html::pack(c, &selected, &notices);
    for n in &selected {
        assert!(
            html.contains(&format!("<a href=\"#{}\">", n.id)),
            "{}",
            n.id
        );
        assert!(html.contains(&format!("<h2 id=\"{}\">", n.id)), "{}", n.id);
    }
    // notice:rik#samtal inside the pack: to the section.
    assert!(html.contains("href=\"#rik--samtal\""));
    assert!(html.contains("<h3 id=\"rik--samtal\">"));
    // Every internal link has its target.
    for (at, _) in html.match_indices("href=\"#") {
        let id = &html[at + 7..at + 7 + html[at + 7..].find('"').unwrap()];
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "#{id} has no target"
        );
    }
}

#[test]
fn the_cli_writes_the_html_alternative() {
    let dir = common::scratch("html-cli");
    let o = common::run(
        &dir,
        &[
            "html",
            common::fixture_file().to_str().unwrap(),
            "-o",
            "k.html",
        ],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let html = std::fs::read_to_string(dir.join("k.html")).unwrap();
    let n = notice_pdf::load(&common::fixture_file()).unwrap().notice;
    assert_eq!(html, notice_pdf::html::notice(&n));
}

#[test]
fn build_writes_the_html_alternatives_and_retires_only_its_own() {
    let dir = common::scratch("html-build");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(common::fixture_file(), data.join("kundservice.toml")).unwrap();
    let build = || {
        let o = common::run(&dir, &["build"]);
        assert!(o.status.success(), "{}", common::stderr(&o));
    };
    build();
    let html = std::fs::read_to_string(dir.join("output/kundservice.html")).unwrap();
    let n = notice_pdf::load(&data.join("kundservice.toml"))
        .unwrap()
        .notice;
    assert_eq!(html, notice_pdf::html::notice(&n));
    // A page of someone else's in the output directory is left alone.
    std::fs::write(dir.join("output/index.html"), "theirs").unwrap();
    // The notice gets a new id: its old HTML is retired into the archive.
    let text = std::fs::read_to_string(data.join("kundservice.toml")).unwrap();
    std::fs::write(
        data.join("kundservice.toml"),
        text.replacen("id = \"kundservice\"", "id = \"kundtjanst\"", 1),
    )
    .unwrap();
    build();
    assert!(!dir.join("output/kundservice.html").exists());
    assert!(dir.join("output/kundtjanst.html").exists());
    let sha8 = &notice_pdf::sha256_hex(html.as_bytes())[..8];
    assert_eq!(
        std::fs::read_to_string(
            dir.join(format!("output/archive/kundservice/2023-03-20-{sha8}.html"))
        )
        .unwrap(),
        html
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("output/index.html")).unwrap(),
        "theirs"
    );
}

#[test]
fn a_page_not_ours_is_archived_before_a_notice_of_its_name_replaces_it() {
    let dir = common::scratch("html-not-ours");
    let data = dir.join("data");
    std::fs::create_dir_all(dir.join("output")).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    let text = std::fs::read_to_string(common::fixture_file()).unwrap();
    std::fs::write(
        data.join("index.toml"),
        text.replacen("id = \"kundservice\"", "id = \"index\"", 1),
    )
    .unwrap();
    // Someone's start page, and a PDF of someone's, where the build writes.
    std::fs::write(dir.join("output/index.html"), "theirs").unwrap();
    std::fs::write(dir.join("output/index.pdf"), "their pdf").unwrap();
    let o = common::run(&dir, &["build"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    for (name, theirs) in [("index.html", "theirs"), ("index.pdf", "their pdf")] {
        let sha8 = &notice_pdf::sha256_hex(theirs.as_bytes())[..8];
        let kept = dir.join(format!(
            "output/archive/index/okand-version-{sha8}.{}",
            name.split_once('.').unwrap().1
        ));
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), theirs, "{name}");
        assert_ne!(
            std::fs::read(dir.join("output").join(name)).unwrap(),
            theirs.as_bytes()
        );
    }
}
