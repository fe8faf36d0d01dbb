//! No run destroys what is not ours: an output is never an input, a device or a directory; a
//! build lands whole or not at all, even when a write fails midway; outputs that no notice
//! makes any more are archived; `preview` writes exactly the current pages.

use crate::common;

use std::os::unix::fs::{FileTypeExt, symlink};
use std::path::{Path, PathBuf};

use common::storage::{FullDiskAt, KilledAt};

use common::{copy_tree, fixture_file, published, run, scratch, stderr, temporaries};

/// A scratch directory holding the fixture as `k.toml`.
fn with_notice(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::copy(fixture_file(), dir.join("k.toml")).unwrap();
    dir
}

/// Every file under `dir` with its bytes, sorted.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let t = e.file_type().unwrap();
            if t.is_dir() {
                stack.push(e.path());
            } else if t.is_file() {
                out.push((e.path(), std::fs::read(e.path()).unwrap()));
            } else {
                out.push((e.path(), Vec::new()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn an_input_is_never_an_output() {
    let dir = with_notice("input-as-output");
    std::fs::create_dir(dir.join("sub")).unwrap();
    symlink("k.toml", dir.join("link.pdf")).unwrap();
    std::fs::hard_link(dir.join("k.toml"), dir.join("hard.pdf")).unwrap();
    let before = tree(&dir);
    for out in [
        "k.toml",
        "./k.toml",
        "sub/../k.toml",
        "link.pdf",
        "hard.pdf",
    ] {
        let o = run(&dir, &["render", "k.toml", "-o", out]);
        assert_eq!(o.status.code(), Some(1), "{out}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(
            e.starts_with(&format!(
                "error: refusing to write {out}: it is an input of this run"
            )),
            "{e}"
        );
        assert!(e.contains("\nhint: "), "{e}");
    }
    let abs = dir.join("k.toml");
    let o = run(&dir, &["render", "k.toml", "-o", abs.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(tree(&dir), before, "nothing changed on disk");
}

#[test]
fn directories_are_refused_by_name() {
    let dir = with_notice("dir-output");
    std::fs::create_dir(dir.join("out")).unwrap();
    for out in ["out", "out/", "."] {
        let o = run(&dir, &["render", "k.toml", "-o", out]);
        assert_eq!(o.status.code(), Some(1), "{out}");
        assert!(stderr(&o).contains("directory"), "{}", stderr(&o));
    }
    assert!(dir.join("out").is_dir());
    assert_eq!(std::fs::read_dir(dir.join("out")).unwrap().count(), 0);
}

#[test]
fn a_symlink_is_followed_and_its_target_replaced() {
    let dir = with_notice("symlink-output");
    std::fs::write(dir.join("real.pdf"), b"old").unwrap();
    symlink("real.pdf", dir.join("link.pdf")).unwrap();
    let o = run(&dir, &["render", "k.toml", "-o", "link.pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let meta = std::fs::symlink_metadata(dir.join("link.pdf")).unwrap();
    assert!(meta.file_type().is_symlink(), "the link stays a link");
    assert!(
        std::fs::read(dir.join("real.pdf"))
            .unwrap()
            .starts_with(b"%PDF-")
    );
    // A dangling link creates its target.
    symlink("made.pdf", dir.join("dangling.pdf")).unwrap();
    let o = run(&dir, &["render", "k.toml", "-o", "dangling.pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::read(dir.join("made.pdf"))
            .unwrap()
            .starts_with(b"%PDF-")
    );
}

#[test]
fn devices_and_fifos_are_written_to_not_replaced() {
    let dir = with_notice("device-output");
    let o = run(&dir, &["render", "k.toml", "-o", "/dev/null"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let meta = std::fs::symlink_metadata("/dev/null").unwrap();
    assert!(
        meta.file_type().is_char_device(),
        "/dev/null is still a device"
    );

    let fifo = dir.join("fifo");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let o = run(&dir, &["render", "k.toml", "-o", "fifo"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(reader.join().unwrap().starts_with(b"%PDF-"));
    let meta = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(meta.file_type().is_fifo(), "the FIFO is still a FIFO");
}

#[test]
fn the_output_directory_may_not_be_the_data_directory() {
    let dir = scratch("out-is-data");
    std::fs::create_dir(dir.join("data")).unwrap();
    std::fs::copy(fixture_file(), dir.join("data/k.toml")).unwrap();
    let before = tree(&dir);
    let o = run(&dir, &["build", "--data", "data", "--out", "data"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error: refusing to write data: it is an input of this run"),
        "{}",
        stderr(&o)
    );
    assert_eq!(tree(&dir), before);
}

/// A data directory with two notices, `a` and `b`, dated `updated`.
fn two_notices(dir: &Path, updated: &str) -> PathBuf {
    let text = std::fs::read_to_string(fixture_file()).unwrap();
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for id in ["a", "b"] {
        let t = text
            .replacen("id = \"kundservice\"", &format!("id = \"{id}\""), 1)
            .replace("2023-03-20", updated);
        std::fs::write(data.join(format!("{id}.toml")), t).unwrap();
    }
    data
}

/// Checks that `view` is one whole set: the manifest lists exactly the other files, each with
/// its SHA-256.
fn assert_whole(view: &[(String, Vec<u8>)], what: &str) {
    let manifest = &view
        .iter()
        .find(|(n, _)| n == "manifest.json")
        .expect(what)
        .1;
    let manifest: serde_json::Value = serde_json::from_slice(manifest).unwrap();
    let mut listed: Vec<(String, String)> = manifest["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_owned(),
                e["sha256"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    listed.sort();
    let files: Vec<(String, String)> = view
        .iter()
        .filter(|(n, _)| n != "manifest.json")
        .map(|(n, b)| (n.clone(), notice_pdf::sha256_hex(b)))
        .collect();
    assert_eq!(files, listed, "{what}: the manifest and the files agree");
}

#[test]
fn a_build_that_fails_midway_leaves_the_published_set_whole() {
    let dir = scratch("full-disk");
    let data = two_notices(&dir, "2023-01-10");
    let out = dir.join("output");
    let opts = notice_pdf::Options::default();
    notice_pdf::jobs::build(&data, &out, &opts, &mut |_| {}).unwrap();
    let old = published(&out);
    assert_whole(&old, "the first build");
    two_notices(&dir, "2023-03-20");
    // The new set: 6 archived copies of the old files, then 4 PDFs, 2 HTML alternatives and
    // the manifest in a new generation. Fail each write in turn.
    let before = out.with_extension("before");
    copy_tree(&out, &before);
    let mut failed = 0;
    for n in 1.. {
        std::fs::remove_dir_all(&out).unwrap();
        copy_tree(&before, &out);
        let disk = FullDiskAt::new(n);
        let r = notice_pdf::jobs::build_with(&disk, &data, &out, &opts, &mut |_| {});
        if disk.calls.get() < n {
            assert!(r.is_ok());
            break;
        }
        failed += 1;
        let e = r.unwrap_err().to_string();
        assert!(e.contains("No space left on device"), "{e}");
        assert_eq!(
            published(&out),
            old,
            "write {n} failed: the old set is whole"
        );
        assert_eq!(temporaries(&out), Vec::<PathBuf>::new(), "write {n}");
    }
    assert_eq!(
        failed, 13,
        "every write of the new set was made to fail once"
    );
    assert_ne!(published(&out), old);
    assert_whole(&published(&out), "the new set");
    let o = run(&dir, &["build", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Every old file is in the archive.
    let archived: Vec<Vec<u8>> = tree(&out.join("archive"))
        .into_iter()
        .map(|(_, b)| b)
        .collect();
    for (name, bytes) in old.iter().filter(|(n, _)| n != "manifest.json") {
        assert!(archived.contains(bytes), "{name} is archived");
    }
}

/// A build killed after any number of its file-system steps: every reader sees the old set or
/// the new one, whole, and the next build completes the new one. Run on a directory of our
/// generations and on one of plain files (as builds before generations wrote it).
#[test]
fn a_build_killed_at_any_step_leaves_one_whole_set() {
    let opts = notice_pdf::Options::default();
    for plain in [false, true] {
        let dir = scratch(&format!("killed-{plain}"));
        let data = two_notices(&dir, "2023-01-10");
        let out = dir.join("output");
        notice_pdf::jobs::build(&data, &out, &opts, &mut |_| {}).unwrap();
        if plain {
            // The published files as plain files, no generations.
            let view = published(&out);
            std::fs::remove_dir_all(&out).unwrap();
            std::fs::create_dir(&out).unwrap();
            for (name, bytes) in &view {
                std::fs::write(out.join(name), bytes).unwrap();
            }
        }
        let old = published(&out);
        // The new set also retires b and adds c.
        two_notices(&dir, "2023-03-20");
        std::fs::rename(data.join("b.toml"), data.join("c.toml")).unwrap();
        let text = std::fs::read_to_string(data.join("c.toml")).unwrap();
        std::fs::write(
            data.join("c.toml"),
            text.replacen("id = \"b\"", "id = \"c\"", 1),
        )
        .unwrap();
        let scratch_out = dir.join("expected");
        notice_pdf::jobs::build(&data, &scratch_out, &opts, &mut |_| {}).unwrap();
        let new = published(&scratch_out);

        let before = out.with_extension("before");
        copy_tree(&out, &before);
        let mut steps = 0;
        for n in 1.. {
            std::fs::remove_dir_all(&out).unwrap();
            copy_tree(&before, &out);
            let killed = KilledAt::new(n);
            let r = notice_pdf::jobs::build_with(&killed, &data, &out, &opts, &mut |_| {});
            let view = published(&out);
            assert!(
                view == old || view == new,
                "killed at step {n} (plain: {plain}): a mixed set"
            );
            assert_whole(&view, &format!("killed at step {n}"));
            if r.is_ok() {
                assert_eq!(view, new);
                break;
            }
            steps += 1;
            // The next build completes the new set.
            notice_pdf::jobs::build(&data, &out, &opts, &mut |_| {}).unwrap();
            assert_eq!(published(&out), new, "rebuilt after a kill at step {n}");
        }
        assert!(
            steps > 20,
            "the build was killed at each of its {steps} steps"
        );
    }
}

#[test]
fn outputs_no_notice_makes_are_archived_and_reported() {
    let dir = scratch("renamed-id");
    let data = two_notices(&dir, "2023-03-20");
    assert!(run(&dir, &["build"]).status.success());
    let old_b = std::fs::read(dir.join("output/b.pdf")).unwrap();
    // Notice b is renamed to c.
    let text = std::fs::read_to_string(data.join("b.toml")).unwrap();
    std::fs::remove_file(data.join("b.toml")).unwrap();
    std::fs::write(
        data.join("c.toml"),
        text.replacen("id = \"b\"", "id = \"c\"", 1),
    )
    .unwrap();
    // Not ours: left alone.
    std::fs::write(dir.join("output/notes.txt"), b"mine").unwrap();
    std::fs::write(dir.join("output/Report.PDF"), b"mine").unwrap();

    let check = run(&dir, &["build", "--check"]);
    assert_eq!(check.status.code(), Some(1));
    let e = stderr(&check);
    for line in [
        "  output/b.large.pdf: no longer made from any notice",
        "  output/b.pdf: no longer made from any notice",
        "  output/c.pdf: missing",
    ] {
        assert!(e.contains(line), "{line:?} in {e}");
    }

    let b = run(&dir, &["build"]);
    assert!(b.status.success(), "{}", stderr(&b));
    assert!(
        stderr(&b).contains("retired output/b.pdf"),
        "{}",
        stderr(&b)
    );
    assert!(!dir.join("output/b.pdf").exists());
    assert!(!dir.join("output/b.large.pdf").exists());
    let sha8 = &notice_pdf::sha256_hex(&old_b)[..8];
    let kept = dir.join(format!("output/archive/b/2023-03-20-{sha8}.pdf"));
    assert_eq!(
        std::fs::read(kept).unwrap(),
        old_b,
        "the retired PDF is kept"
    );
    assert_eq!(
        std::fs::read(dir.join("output/notes.txt")).unwrap(),
        b"mine"
    );
    assert_eq!(
        std::fs::read(dir.join("output/Report.PDF")).unwrap(),
        b"mine"
    );
    let manifest = std::fs::read_to_string(dir.join("output/manifest.json")).unwrap();
    assert!(!manifest.contains("\"b.pdf\"") && manifest.contains("\"c.pdf\""));
    assert_eq!(run(&dir, &["build", "--check"]).status.code(), Some(0));
}

#[test]
fn preview_writes_exactly_the_current_pages() {
    let dir = with_notice("preview-pages");
    let out = dir.join("pv");
    std::fs::create_dir(&out).unwrap();
    // An earlier, longer version left pages 4 to 12; other files are not ours.
    for n in 4..=12 {
        std::fs::write(out.join(format!("kundservice-p{n}.png")), b"old").unwrap();
    }
    std::fs::write(out.join("kundservice-p02.png"), b"not ours").unwrap();
    std::fs::write(out.join("other-p9.png"), b"not ours").unwrap();
    let o = run(&dir, &["preview", "k.toml", "-o", "pv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "kundservice-p02.png",
            "kundservice-p1.png",
            "kundservice-p2.png",
            "kundservice-p3.png",
            "other-p9.png"
        ]
    );
    // A file where the directory should be is an error, not replaced.
    std::fs::write(dir.join("file"), b"x").unwrap();
    let o = run(&dir, &["preview", "k.toml", "-o", "file"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is not a directory"), "{}", stderr(&o));
    assert_eq!(std::fs::read(dir.join("file")).unwrap(), b"x");
}

#[test]
fn every_command_ends_quietly_on_a_closed_pipe() {
    let dir = with_notice("pipes");
    for args in [
        &["render", "k.toml", "-o", "-"][..],
        &["render", "k.toml", "-o", "x.pdf", "--report"],
        &["--help"],
        &["render", "--help"],
    ] {
        let o = common::run_with_closed_stdout(&dir, args);
        let code = o.status.code();
        assert!(matches!(code, Some(0..=2)), "{args:?}: {code:?}");
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn no_output_may_replace_a_logo() {
    let dir = scratch("logo-input");
    common::copy_collection(&dir.join("data"));
    let logo = dir.join("data/exempelbanken.svg");
    let before = std::fs::read(&logo).unwrap();
    for args in [
        &["render", "data/rik.toml", "-o", "data/exempelbanken.svg"][..],
        &["html", "data/rik.toml", "-o", "data/exempelbanken.svg"],
        &["pack", "--data", "data", "-o", "data/exempelbanken.svg"],
    ] {
        let o = run(&dir, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("is an input of this run"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    // Through a link, too.
    symlink("data/exempelbanken.svg", dir.join("logo-link.pdf")).unwrap();
    let o = run(&dir, &["render", "data/rik.toml", "-o", "logo-link.pdf"]);
    assert!(
        stderr(&o).contains("is an input of this run"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&logo).unwrap(), before);
}

#[test]
fn no_output_may_replace_another_file_of_the_data_set() {
    let dir = scratch("set-input");
    common::copy_collection(&dir.join("data"));
    let files = ["data/collection.toml", "data/tjanster.toml"];
    let before: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect();
    for target in files {
        for command in ["render", "html"] {
            let args = [command, "data/rik.toml", "-o", target];
            let o = run(&dir, &args);
            assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
            assert!(
                stderr(&o).contains("is an input of this run"),
                "{args:?}: {}",
                stderr(&o)
            );
        }
    }
    for (f, b) in files.iter().zip(&before) {
        assert_eq!(&std::fs::read(dir.join(f)).unwrap(), b, "{f}");
    }
}

#[test]
fn dev_stdout_may_be_a_pipe() {
    let dir = with_notice("dev-stdout");
    let o = run(&dir, &["render", "k.toml", "-o", "/dev/stdout"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.starts_with(b"%PDF-1.7"));
    assert!(o.stdout.ends_with(b"%%EOF\n") || o.stdout.ends_with(b"%%EOF"));
}

#[test]
fn a_directory_of_someone_elses_where_the_build_keeps_its_link_is_left_alone() {
    let dir = scratch("current-in-the-way");
    let data = two_notices(&dir, "2023-01-10");
    let out = dir.join("output");
    std::fs::create_dir_all(out.join("current")).unwrap();
    std::fs::write(out.join("current/mine.txt"), b"mine").unwrap();
    let e = notice_pdf::jobs::build(&data, &out, &notice_pdf::Options::default(), &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        e.ends_with("current: it is in the way: a build keeps the link to its published set there"),
        "{e}"
    );
    assert_eq!(
        std::fs::read(out.join("current/mine.txt")).unwrap(),
        b"mine"
    );
}

#[test]
fn a_failed_write_leaves_every_old_file_and_no_temporary() {
    let dir = scratch("failing-batch");
    for n in ["a", "b", "c"] {
        std::fs::write(dir.join(n), format!("old {n}")).unwrap();
    }
    for fail_at in 1..=3 {
        let disk = FullDiskAt::new(fail_at);
        let mut batch = notice_pdf::output::Batch::new(&disk);
        let staged: notice_pdf::Result<()> = ["a", "b", "c"]
            .iter()
            .try_for_each(|n| batch.stage(&notice_pdf::output::Target::File(dir.join(n)), b"new"));
        assert!(staged.is_err());
        drop(batch);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["a", "b", "c"]);
        for n in ["a", "b", "c"] {
            assert_eq!(
                std::fs::read_to_string(dir.join(n)).unwrap(),
                format!("old {n}")
            );
        }
    }
}
