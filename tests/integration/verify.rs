//! Every PDF carries the data it was made from, and `verify` proves it: untouched outputs
//! verify as identical, an altered byte is found, and an archived version still verifies
//! against its own, older data.

use crate::common;

use std::path::{Path, PathBuf};

use notice_pdf::verify::{Outcome, embedded_files, verify};

fn fixture_dir() -> PathBuf {
    common::root().join("tests/fixtures/exempelbanken")
}

/// A scratch copy of the fixture collection.
fn data_copy(name: &str) -> PathBuf {
    let data = common::scratch(name).join("data");
    common::copy_collection(&data);
    data
}

fn build(data: &Path, out: &Path) {
    let o = common::run(
        data,
        &["build", "--data", ".", "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    out.sort();
    out
}

#[test]
fn every_output_of_a_fresh_build_verifies_as_identical() {
    let data = data_copy("verify-fresh");
    let out = data.parent().unwrap().join("output");
    build(&data, &out);
    let files = pdfs(&out);
    assert_eq!(files.len(), 14);
    for file in files {
        let v = verify(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(v.outcome, Outcome::Identical, "{}", file.display());
        let stem = file.file_name().unwrap().to_str().unwrap();
        if stem.starts_with("integritetsinformation") {
            assert_eq!(v.recipe.document, notice_pdf::verify::Document::Pack);
            assert_eq!(v.held.len(), 6);
        } else {
            assert_eq!(v.recipe.document, notice_pdf::verify::Document::Notice);
            assert_eq!(v.held.len(), 1);
            assert!(stem.starts_with(&format!("{}.", v.held[0].id)));
        }
        let large = stem.contains(".large.");
        assert_eq!(
            v.recipe.edition.key(),
            if large { "large" } else { "standard" }
        );
    }
}

#[test]
fn a_notice_embeds_its_data_file_byte_for_byte_and_the_recipe() {
    let path = fixture_dir().join("rik.toml");
    let loaded = notice_pdf::load(&path).unwrap();
    let pdf = notice_pdf::render(
        notice_pdf::Document::Notice(&loaded.notice),
        &notice_pdf::Options::default(),
    )
    .unwrap()
    .pdf;
    let files = embedded_files(&pdf).unwrap();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["exempelbanken.svg", "notice-pdf.json", "rik.toml"]);
    let data = |name: &str| &files.iter().find(|(n, _)| n == name).unwrap().1;
    assert_eq!(data("rik.toml"), &std::fs::read(&path).unwrap());
    assert_eq!(
        data("exempelbanken.svg"),
        &std::fs::read(fixture_dir().join("exempelbanken.svg")).unwrap()
    );
    let recipe: serde_json::Value = serde_json::from_slice(data("notice-pdf.json")).unwrap();
    assert_eq!(
        recipe,
        serde_json::json!({
            "generator": format!("notice-pdf {}", env!("CARGO_PKG_VERSION")),
            "document": "notice", "ids": ["rik"], "edition": "standard",
            "align": "left", "date": null,
        })
    );
}

#[test]
fn the_cli_says_what_the_file_holds_and_that_it_is_identical() {
    let dir = common::scratch("verify-cli");
    let pdf = dir.join("rik.pdf");
    let o = common::run(
        &dir,
        &[
            "render",
            fixture_dir().join("rik.toml").to_str().unwrap(),
            "--align",
            "justify",
            "-o",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(o.status.success());
    let o = common::run(&dir, &["verify", "rik.pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let version =
        &notice_pdf::sha256_hex(&std::fs::read(fixture_dir().join("rik.toml")).unwrap())[..8];
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        format!(
            "rik.pdf: a notice made by notice-pdf {} from:\n  rik: Kontakt med Exempelbankens kundtjänst, version 2024-05-02 ({version})\nedition standard, aligned justify\nidentical: its embedded data, rendered again, gives this file byte for byte\n",
            env!("CARGO_PKG_VERSION")
        )
    );
}

/// The byte offset of the data of page 1's content stream in `pdf`.
fn content_stream_offset(pdf: &[u8]) -> usize {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let contents = doc.get_page_contents(page);
    let (num, generation) = contents[0];
    let header = format!("{num} {generation} obj");
    let at = pdf
        .windows(header.len())
        .position(|w| w == header.as_bytes())
        .unwrap();
    let stream = pdf[at..].windows(6).position(|w| w == b"stream").unwrap();
    // Past "stream" and its end of line.
    at + stream + 6 + 1 + usize::from(pdf[at + stream + 6] == b'\r')
}

#[test]
fn one_altered_byte_in_a_content_stream_is_found() {
    let dir = common::scratch("verify-altered");
    let path = dir.join("rik.pdf");
    let o = common::run(
        &dir,
        &[
            "render",
            fixture_dir().join("rik.toml").to_str().unwrap(),
            "-o",
            path.to_str().unwrap(),
        ],
    );
    assert!(o.status.success());
    let mut pdf = std::fs::read(&path).unwrap();
    let at = content_stream_offset(&pdf) + 20;
    pdf[at] ^= 0x01;
    std::fs::write(&path, &pdf).unwrap();
    let v = verify(&pdf).unwrap();
    assert_eq!(
        v.outcome,
        Outcome::Differs {
            at,
            file_len: pdf.len(),
            rendered_len: pdf.len()
        }
    );
    let o = common::run(&dir, &["verify", "rik.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.ends_with(&format!(
            "differs: its embedded data gives {0} bytes, the file has {0}; the first difference is at byte {at}\n",
            pdf.len()
        )),
        "{out}"
    );
}

#[test]
fn an_archived_version_still_verifies_against_its_own_data() {
    let data = data_copy("verify-archive");
    let out = data.parent().unwrap().join("output");
    build(&data, &out);
    let old = std::fs::read(out.join("rik.pdf")).unwrap();
    let old_version = verify(&old).unwrap().held[0].version.clone();
    // An answer changes.
    let file = data.join("rik.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("I sex månader. Därefter", "I tre månader. Därefter"),
    )
    .unwrap();
    build(&data, &out);
    // Both editions are archived; the standard one is the old rik.pdf.
    let archived: Vec<PathBuf> = pdfs(&out.join("archive/rik"))
        .into_iter()
        .filter(|p| !p.to_string_lossy().ends_with(".large.pdf"))
        .collect();
    assert_eq!(archived.len(), 1, "{archived:?}");
    assert_eq!(std::fs::read(&archived[0]).unwrap(), old);
    let v = verify(&old).unwrap();
    assert_eq!(
        (v.outcome, v.held[0].version.as_str()),
        (Outcome::Identical, old_version.as_str())
    );
    let new = verify(&std::fs::read(out.join("rik.pdf")).unwrap()).unwrap();
    assert_eq!(new.outcome, Outcome::Identical);
    assert_ne!(new.held[0].version, old_version);
    // The pack was rebuilt too, and its old version archived: it verifies as well.
    let packs = pdfs(&out.join("archive/integritetsinformation"));
    assert_eq!(packs.len(), 2);
    let v = verify(&std::fs::read(&packs[0]).unwrap()).unwrap();
    assert_eq!(v.outcome, Outcome::Identical);
    assert!(
        v.held
            .iter()
            .any(|h| h.id == "rik" && h.version == old_version)
    );
}

#[test]
fn a_pdf_without_embedded_data_is_an_error() {
    let dir = common::scratch("verify-foreign");
    // A minimal PDF of one empty page, with a correct cross-reference table.
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ];
    let mut pdf = String::from("%PDF-1.7\n");
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for o in offsets {
        pdf.push_str(&format!("{o:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    std::fs::write(dir.join("foreign.pdf"), &pdf).unwrap();
    std::fs::write(dir.join("not.pdf"), "hello").unwrap();
    for (file, message) in [
        (
            "foreign.pdf",
            "error: cannot verify: foreign.pdf: the PDF carries no embedded files\n",
        ),
        (
            "not.pdf",
            "error: cannot verify: not.pdf: the file cannot be read as a PDF",
        ),
    ] {
        let o = common::run(&dir, &["verify", file]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            common::stderr(&o).starts_with(message),
            "{}",
            common::stderr(&o)
        );
    }
}

/// In the `oracles` tier: qpdf, an independent reader, lists the attachments with their
/// relationships and gives back the data file byte for byte.
#[cfg(feature = "oracles")]
#[test]
fn qpdf_finds_the_data_file_and_the_recipe() {
    let dir = common::scratch("verify-qpdf");
    let path = dir.join("rik.pdf");
    let o = common::run(
        &dir,
        &[
            "render",
            fixture_dir().join("rik.toml").to_str().unwrap(),
            "-o",
            path.to_str().unwrap(),
        ],
    );
    assert!(o.status.success());
    let p = path.to_str().unwrap();
    let list = String::from_utf8(common::tool("qpdf", &["--list-attachments", p]).stdout).unwrap();
    for name in ["rik.toml", "notice-pdf.json", "exempelbanken.svg"] {
        assert!(list.contains(name), "{list}");
    }
    let shown = common::tool("qpdf", &["--show-attachment=rik.toml", p]).stdout;
    assert_eq!(
        shown,
        std::fs::read(fixture_dir().join("rik.toml")).unwrap()
    );
    let json = common::tool("qpdf", &["--json=2", "--json-key=attachments", p]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let attachments = v["attachments"].as_object().unwrap();
    assert!(attachments["rik.toml"]["filespec"].is_string());
    let raw = String::from_utf8_lossy(
        &common::tool("qpdf", &["--qdf", "--object-streams=disable", p, "-"]).stdout,
    )
    .into_owned();
    assert!(raw.contains("/AFRelationship /Source") && raw.contains("/AFRelationship /Supplement"));
    assert!(
        raw.contains("/Subtype /application#2ftoml"),
        "the data file's MIME type"
    );
    common::assert_verapdf_passes(&[&path]);
}

/// A scratch directory with an empty `tmp/` for the binary's temporary files.
fn bomb_dir(name: &str) -> (PathBuf, PathBuf) {
    let dir = common::scratch(name);
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    (dir, tmp)
}

/// Asserts `o` exited 1 (not killed, not aborted) with `message` in its standard error.
fn refused(o: &std::process::Output, message: &str) {
    let err = common::stderr(o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("error: ") && err.contains(message),
        "expected …{message}… in:\n{err}"
    );
}

#[test]
fn a_decompression_bomb_in_an_embedded_file_is_refused_in_bounded_memory_writing_nothing() {
    use common::bombs;
    let (dir, tmp) = bomb_dir("verify-bomb-flate");
    // 1 GiB of zeros behind two Flate filters: a file of a few KB.
    let pdf = bombs::embedded_zeros_pdf("rik.toml", 1 << 30);
    assert!(pdf.len() < 64 * 1024, "{}", pdf.len());
    std::fs::write(dir.join("bomb.pdf"), &pdf).unwrap();
    // A good PDF verifies within the same cap: the cap is not what refuses the bomb.
    let good = common::run(
        &dir,
        &[
            "render",
            fixture_dir().join("rik.toml").to_str().unwrap(),
            "-o",
            "good.pdf",
        ],
    );
    assert!(good.status.success());
    let o = common::bombs::run_capped(&dir, &["verify", "good.pdf"], bombs::ADDRESS_SPACE, &tmp);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    for args in [
        &["verify", "bomb.pdf"][..],
        &["diff", "bomb.pdf", "good.pdf"],
        &["diff", "good.pdf", "bomb.pdf"],
    ] {
        let o = bombs::run_capped(&dir, args, bombs::ADDRESS_SPACE, &tmp);
        refused(
            &o,
            "the embedded file \"rik.toml\" is larger than 1 MiB (1048576 bytes) once decompressed",
        );
    }
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn embedded_data_over_the_data_file_limit_is_refused_like_a_data_file() {
    // 1 MiB and one byte: just over the limit a data file on disk has.
    let pdf = common::bombs::embedded_zeros_pdf("rik.toml", (1 << 20) + 1);
    let e = embedded_files(&pdf).unwrap_err().to_string();
    assert!(e.contains("is larger than 1 MiB"), "{e}");
    // At the limit the file is read (and is then no notice).
    let pdf = common::bombs::embedded_zeros_pdf("rik.toml", 1 << 20);
    assert_eq!(embedded_files(&pdf).unwrap()[0].1.len(), 1 << 20);
}

/// A name tree `levels` deep in which every node names its one child `fan` times, the leaf
/// naming a file of 64 KB: read naively, `fan ^ levels` copies of the file.
fn name_tree_dag(levels: usize, fan: usize) -> Vec<u8> {
    use common::bombs;
    // 1 catalog, 2 pages, 3 page, 4.. the nodes, then the file spec and the file.
    let node = |i: usize| i + 4;
    let spec = node(levels);
    let mut objects = vec![
        format!(
            "<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles {} 0 R >> >>",
            node(0)
        )
        .into_bytes(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec(),
    ];
    for level in 0..levels {
        let kids = if level + 1 < levels {
            vec![format!("{} 0 R", node(level + 1)); fan].join(" ")
        } else {
            String::new()
        };
        let names = if level + 1 == levels {
            format!("/Names [(a.txt) {spec} 0 R]")
        } else {
            String::new()
        };
        objects.push(format!("<< /Kids [{kids}] {names} >>").into_bytes());
    }
    objects.push(
        format!(
            "<< /Type /Filespec /F (a.txt) /UF (a.txt) /EF << /F {} 0 R >> >>",
            spec + 1
        )
        .into_bytes(),
    );
    objects.push(bombs::stream(
        "/Type /EmbeddedFile /Filter /FlateDecode",
        &bombs::deflated_zeros(64 * 1024),
    ));
    bombs::pdf(&objects)
}

#[test]
fn a_name_tree_that_names_a_node_twice_is_refused_in_bounded_work() {
    let (dir, tmp) = bomb_dir("verify-bomb-tree");
    // 2^16 paths to one 64 KB file: 4 GiB if each were read.
    std::fs::write(dir.join("tree.pdf"), name_tree_dag(17, 2)).unwrap();
    for args in [
        &["verify", "tree.pdf"][..],
        &["diff", "tree.pdf", "tree.pdf"],
    ] {
        let o = common::bombs::run_capped(&dir, args, common::bombs::ADDRESS_SPACE, &tmp);
        refused(&o, "the name tree reaches a name tree node");
    }
    // A tree that names each node once is read.
    let files = embedded_files(&name_tree_dag(17, 1)).unwrap();
    assert_eq!(files.len(), 1);
}

#[test]
fn object_streams_decompress_within_one_budget() {
    use common::bombs::object_stream_chain;
    // A name tree in object streams, found through a cross-reference stream, is read.
    assert_eq!(embedded_files(&object_stream_chain(3, 0)).unwrap(), []);
    // One object stream of 17 MiB: over the limit on one stream.
    let e = embedded_files(&object_stream_chain(1, 17 << 20))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("a stream decompresses to more than 16 MiB"),
        "{e}"
    );
    // Eight of 12 MiB: each under the limit on one, together over the limit on all.
    let e = embedded_files(&object_stream_chain(8, 12 << 20))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("decompress to more than 64 MiB (67108864 bytes) in all"),
        "{e}"
    );
}

#[test]
fn a_pdf_of_many_small_values_is_read_within_the_value_budget() {
    use common::bombs;
    let (dir, tmp) = bomb_dir("verify-bomb-values");
    // 60 MiB of `0 ` in the one array the name tree is: 31 million values, which a reader
    // that parses every object of the file holds as gigabytes.
    let zeros = "0 ".repeat(30 << 20);
    let pdf = bombs::pdf(&[
        b"<< /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >>".to_vec(),
        format!("<< /Names [{zeros}] >>").into_bytes(),
    ]);
    std::fs::write(dir.join("values.pdf"), pdf).unwrap();
    let o = bombs::run_capped(&dir, &["verify", "values.pdf"], bombs::ADDRESS_SPACE, &tmp);
    refused(&o, "it has more than 1048576 values to read");
}

#[test]
fn a_pdf_that_never_ends_is_read_only_to_the_limit() {
    let (dir, tmp) = bomb_dir("verify-endless");
    let o = common::bombs::run_capped(
        &dir,
        &["verify", "/dev/zero"],
        common::bombs::ADDRESS_SPACE,
        &tmp,
    );
    refused(&o, "verify and diff read at most 64 MiB");
}

#[test]
fn a_bomb_in_the_archive_does_not_take_build_down() {
    let data = data_copy("verify-bomb-archive");
    let root = data.parent().unwrap().to_owned();
    let out = root.join("output");
    build(&data, &out);
    let tmp = root.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let archive = out.join("archive/rik");
    std::fs::create_dir_all(&archive).unwrap();
    std::fs::write(
        archive.join("2020-01-01-bomb.pdf"),
        common::bombs::embedded_zeros_pdf("rik.toml", 1 << 30),
    )
    .unwrap();
    std::fs::write(archive.join("2020-01-02-tree.pdf"), name_tree_dag(17, 2)).unwrap();
    let out_arg = out.to_str().unwrap();
    for args in [
        &["build", "--data", ".", "--out", out_arg, "--check"][..],
        &["build", "--data", ".", "--out", out_arg],
    ] {
        let o = common::bombs::run_capped(&data, args, common::bombs::ADDRESS_SPACE, &tmp);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", common::stderr(&o));
    }
}

/// A PDF carrying `files` (name, data) as embedded files, uncompressed, in one name tree node.
fn carrying(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use common::bombs;
    let mut names = String::new();
    let mut objects = vec![
        b"<< /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >>".to_vec(),
        Vec::new(),
    ];
    for (name, data) in files {
        let spec = objects.len() + 1;
        names.push_str(&format!("({name}) {spec} 0 R "));
        objects.push(
            format!(
                "<< /Type /Filespec /F ({name}) /UF ({name}) /EF << /F {} 0 R >> >>",
                spec + 1
            )
            .into_bytes(),
        );
        objects.push(bombs::stream("/Type /EmbeddedFile", data));
    }
    objects[1] = format!("<< /Names [{names}] >>").into_bytes();
    bombs::pdf(&objects)
}

#[test]
fn a_hostile_logo_a_pdf_carries_is_refused_by_verify_as_a_file_on_disk_would_be() {
    let (dir, tmp) = bomb_dir("verify-hostile-logo");
    let recipe = format!(
        r#"{{"generator":"notice-pdf {}","document":"notice","ids":["rik"],"edition":"standard","align":"left","date":null}}"#,
        env!("CARGO_PKG_VERSION")
    );
    let rik = std::fs::read(fixture_dir().join("rik.toml")).unwrap();
    for (i, (svg, message)) in [
        (
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="40"><path d="M0 0L3e38 3e38L0 3e38Z"/></svg>"#.to_owned(),
            "logo.file: exempelbanken.svg: the d of a path element has the number 3e38",
        ),
        (
            format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="40"><image width="96" height="40" href="data:image/png;base64,{}"/></svg>"#,
                {
                    use base64::Engine;
                    base64::engine::general_purpose::STANDARD
                        .encode(common::bombs::png_16bit_rgba(8192, 8192))
                }
            ),
            "8192 × 8192 pixels",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let pdf = carrying(&[
            ("exempelbanken.svg", svg.into_bytes()),
            ("notice-pdf.json", recipe.clone().into_bytes()),
            ("rik.toml", rik.clone()),
        ]);
        let name = format!("logo{i}.pdf");
        std::fs::write(dir.join(&name), pdf).unwrap();
        let o = common::bombs::run_capped(
            &dir,
            &["verify", &name],
            common::bombs::ADDRESS_SPACE,
            &tmp,
        );
        refused(&o, message);
        assert!(common::stderr(&o).contains("embedded:rik.toml:10:"), "{}", common::stderr(&o));
    }
}

#[test]
fn reading_is_bounded_when_many_objects_lead_to_one_long_search() {
    use common::bombs;
    // One stream whose /Length is wrong and whose `endstream` is 60 MiB on, reached as 64
    // objects (64 numbers, one offset), each the data of its own file: read naively, the
    // search for `endstream` covers 3.8 GB.
    let count = 64;
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    let catalog = pdf.len();
    pdf.extend_from_slice(
        b"1 0 obj\n<< /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >>\nendobj\n",
    );
    let names: String = (0..count)
        .map(|i| format!("(f{i}) {} 0 R ", 3 + i))
        .collect();
    offsets.push(pdf.len());
    pdf.extend_from_slice(format!("2 0 obj\n<< /Names [{names}] >>\nendobj\n").as_bytes());
    for i in 0..count {
        offsets.push(pdf.len());
        pdf.extend_from_slice(
            format!(
                "{} 0 obj\n<< /F (f{i}) /EF << /F {} 0 R >> >>\nendobj\n",
                3 + i,
                3 + count + i
            )
            .as_bytes(),
        );
    }
    let stream = pdf.len();
    pdf.extend_from_slice(b"999 0 obj\n<< /Filter /FlateDecode /Length 0 >>\nstream\n");
    pdf.extend_from_slice(&bombs::deflate(b"x"));
    pdf.resize(pdf.len() + (60 << 20), b' ');
    pdf.extend_from_slice(b"\nendstream\nendobj\n");
    let xref = pdf.len();
    let size = 3 + 2 * count;
    pdf.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
    pdf.extend_from_slice(format!("{catalog:010} 00000 n \n").as_bytes());
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    for _ in 0..count {
        pdf.extend_from_slice(format!("{stream:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    let e = embedded_files(&pdf).unwrap_err().to_string();
    assert!(
        e.contains("more than 256 MiB (268435456 bytes) of parsing, searching and decompressing"),
        "{e}"
    );
}
