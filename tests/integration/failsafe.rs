//! Issue 5, "fail safe": outputs are never half-written, whether the output directory refuses
//! writes or the build is killed midway.
//!
//! In the `oracles` tier (`cargo test --features oracles`): needs killing processes and running as another user (setpriv).
#![cfg(feature = "oracles")]

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{copy_tree, fixture_file, published, run, scratch, stderr, temporaries};

/// A data directory of `n` copies of the real notice (ids `n00`, `n01`, …), dated `updated`.
fn data_dir(dir: &Path, n: usize, updated: &str) -> PathBuf {
    let text = std::fs::read_to_string(fixture_file()).unwrap();
    let data = dir.join("data");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).unwrap();
    for i in 0..n {
        let t = text
            .replacen("id = \"kundservice\"", &format!("id = \"n{i:02}\""), 1)
            .replace("2023-03-20", updated);
        assert_ne!(t, text, "the replacements must apply");
        std::fs::write(data.join(format!("n{i:02}.toml")), t).unwrap();
    }
    data
}

/// Every file under `dir` (relative path → bytes), temporary files included.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

fn build(dir: &Path, out: &str) {
    let o = run(dir, &["build", "--data", "data", "--out", out]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn killed_build_shows_the_old_set_or_the_new_one_never_a_mix() {
    let dir = scratch("killed");
    // The outputs of the previous policy version, and those of the new one.
    data_dir(&dir, 12, "2023-01-10");
    build(&dir, "old");
    data_dir(&dir, 12, "2023-03-20");
    build(&dir, "new");
    let (old, new) = (published(&dir.join("old")), published(&dir.join("new")));
    let old_files: Vec<Vec<u8>> = old.iter().map(|(_, b)| b.clone()).collect();

    // How long a whole build takes here, then SIGKILL (no chance to clean up) at fractions of
    // it: the kills land while rendering, archiving, writing the generation, linking, at the
    // swap and after it. Wherever they land, a reader sees one whole set.
    let timed = dir.join("timed");
    copy_tree(&dir.join("old"), &timed);
    let start = std::time::Instant::now();
    build(&dir, "timed");
    let whole = start.elapsed();
    let (mut killed, mut new_seen) = (0, 0);
    let fractions = [10, 25, 40, 55, 70, 80, 85, 90, 94, 98];
    for (i, &percent) in fractions.iter().enumerate() {
        let out = dir.join(format!("out{i}"));
        // A build that finished before its kill (the machine was busier when it was timed) is
        // tried again, killed earlier, a few times.
        let mut at = whole * percent / 100;
        for _ in 0..4 {
            let _ = std::fs::remove_dir_all(&out);
            copy_tree(&dir.join("old"), &out);
            let mut child = Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
                .args(["build", "--data", "data", "--out"])
                .arg(&out)
                .current_dir(&dir)
                .env_remove("SOURCE_DATE_EPOCH")
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let until = std::time::Instant::now() + at;
            while std::time::Instant::now() < until {
                std::hint::spin_loop();
            }
            child.kill().unwrap();
            let status = child.wait().unwrap();
            if !status.success() {
                assert_eq!(status.signal(), Some(9), "{status:?}");
                killed += 1;
                break;
            }
            at = at * 3 / 5;
        }
        let seen = published(&out);
        assert!(
            seen == old || seen == new,
            "killed at {percent} % of a build: the directory shows a mixed set"
        );
        new_seen += usize::from(seen == new);
        // The archive holds whole copies of old files only.
        let archive = out.join("archive");
        let kept = if archive.is_dir() {
            files(&archive)
        } else {
            Vec::new()
        };
        for (rel, bytes) in kept {
            assert!(
                old_files.contains(&bytes),
                "archive/{rel:?} is not a whole old file"
            );
        }

        // The next run completes the job and clears what the killed one left behind, including
        // a temporary file cut short by a kill (made here, as the kills may land between steps).
        std::fs::write(out.join(".n00.pdf.4194305.tmp"), b"%PDF-1.7 cut short").unwrap();
        build(&dir, &out.to_string_lossy());
        assert_eq!(
            temporaries(&out),
            Vec::<PathBuf>::new(),
            "temporary files left"
        );
        assert_eq!(published(&out), new);
        let check = run(
            &dir,
            &[
                "build",
                "--data",
                "data",
                "--out",
                &out.to_string_lossy(),
                "--check",
            ],
        );
        assert!(check.status.success(), "{}", stderr(&check));
    }
    eprintln!(
        "{killed} of {} builds killed, {new_seen} showed the new set when killed",
        fractions.len()
    );
    assert!(2 * killed >= fractions.len(), "only {killed} kills landed");
}

/// Runs `args` as an unprivileged user: root ignores permission bits, so when the tests run
/// as root (as in CI containers) the command drops to `nobody` with `setpriv` (util-linux).
fn run_unprivileged(dir: &Path, args: &[&str]) -> std::process::Output {
    let uid = Command::new("id").arg("-u").output().unwrap();
    let mut cmd = if String::from_utf8_lossy(&uid.stdout).trim() == "0" {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_notice-pdf"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
    };
    cmd.args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run notice-pdf (setpriv is part of util-linux)")
}

fn chmod(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn read_only_output_directory_fails_cleanly() {
    let dir = scratch("readonly");
    chmod(&dir, 0o755);
    data_dir(&dir, 2, "2023-01-10");
    build(&dir, "out");
    let out = dir.join("out");
    let before = files(&out);
    // A policy update arrives, but the output directory has been made read-only.
    data_dir(&dir, 2, "2023-03-20");
    for (rel, _) in &before {
        chmod(&out.join(rel), 0o444);
    }
    chmod(&out, 0o555);

    let o = run_unprivileged(&dir, &["build", "--data", "data", "--out", "out"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("error: cannot ")
            && err.contains("out")
            && err.contains("Permission denied"),
        "{err}"
    );
    assert!(
        err.contains("hint: check the directory's permissions, or choose another with --out"),
        "{err}"
    );
    assert_eq!(
        files(&out),
        before,
        "nothing in the output directory may change"
    );

    // `render -o` into the same directory: the same clean refusal, no file created.
    let o = run_unprivileged(&dir, &["render", "data/n00.toml", "-o", "out/one.pdf"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("Permission denied"), "{}", stderr(&o));
    assert_eq!(files(&out), before);

    chmod(&out, 0o755);
    // Once writable again, the same command succeeds.
    build(&dir, "out");
    assert_ne!(files(&out), before);
}
