//! Issue 5, "fail safe": outputs are never half-written, whether the output directory refuses
//! writes or the build is killed midway.
//!
//! In the `oracles` tier (`cargo test --features oracles`): needs killing processes and running as another user (setpriv).
#![cfg(feature = "oracles")]

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{fixture_file, run, scratch, stderr};

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

fn is_temp(p: &Path) -> bool {
    let name = p.file_name().unwrap().to_string_lossy();
    name.starts_with('.') && name.ends_with(".tmp")
}

fn copy_dir(from: &Path, to: &Path) {
    for (rel, bytes) in files(from) {
        let p = to.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

fn build(dir: &Path, out: &str) {
    let o = run(dir, &["build", "--data", "data", "--out", out]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn killed_build_leaves_only_whole_files() {
    let dir = scratch("killed");
    // The outputs of the previous policy version, and those of the new one.
    data_dir(&dir, 12, "2023-01-10");
    build(&dir, "old");
    data_dir(&dir, 12, "2023-03-20");
    build(&dir, "new");
    let old = files(&dir.join("old"));
    let new = files(&dir.join("new"));
    let bytes_of = |set: &[(PathBuf, Vec<u8>)], rel: &Path| {
        set.iter().find(|(p, _)| p == rel).map(|(_, b)| b.clone())
    };

    // Kill the build (SIGKILL: no chance to clean up) after the k-th file it reports written.
    // After the k-th file, wait `delay` µs more: the kills land at different points of the next
    // write (create, write, sync, rename, sync directory); the properties hold wherever they land.
    // On storage where a sync costs nothing the later kills may come after the build has
    // finished; the checks below hold then too, but most runs must have been killed.
    let (mut temps_seen, mut killed) = (0, 0);
    let points = [(1, 0), (1, 100), (2, 300), (3, 600), (5, 1000), (8, 2000)];
    for (i, &(k, delay)) in points.iter().enumerate() {
        let out = dir.join(format!("out{i}"));
        copy_dir(&dir.join("old"), &out);
        let mut child = Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
            .args(["build", "--data", "data", "--out"])
            .arg(&out)
            .current_dir(&dir)
            .env_remove("SOURCE_DATE_EPOCH")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut written = 0;
        while written < k {
            let line = lines.next().expect("build ended early").unwrap();
            written += usize::from(line.trim_start().starts_with("written"));
        }
        let until = std::time::Instant::now() + std::time::Duration::from_micros(delay);
        while std::time::Instant::now() < until {
            std::hint::spin_loop();
        }
        child.kill().unwrap();
        let status = child.wait().unwrap();
        if !status.success() {
            assert_eq!(status.signal(), Some(9), "{status:?}");
            killed += 1;
        }

        // Every file is whole: the old version or the new one, never a mixture or a prefix.
        let mut replaced = 0;
        for (rel, bytes) in files(&out) {
            if is_temp(&rel) {
                temps_seen += 1;
                continue;
            }
            if rel.starts_with("archive") {
                let id = rel
                    .components()
                    .nth(1)
                    .unwrap()
                    .as_os_str()
                    .to_string_lossy();
                let name = if rel.to_string_lossy().ends_with(".large.pdf") {
                    format!("{id}.large.pdf")
                } else {
                    format!("{id}.pdf")
                };
                assert_eq!(Some(bytes), bytes_of(&old, Path::new(&name)), "{rel:?}");
                continue;
            }
            let was = bytes_of(&old, &rel);
            let will = bytes_of(&new, &rel);
            assert!(
                Some(&bytes) == was.as_ref() || Some(&bytes) == will.as_ref(),
                "{rel:?} after kill at {k} is neither the old nor the new version"
            );
            replaced += usize::from(Some(&bytes) == will.as_ref());
        }
        assert!(replaced >= k, "kill at {k}: only {replaced} files replaced");

        // The next run completes the job and clears what the killed one left behind, including
        // a temporary file cut short by a kill (made here, as the kills above may all land
        // between two writes).
        std::fs::write(out.join(".n00.pdf.4194305.tmp"), b"%PDF-1.7 cut short").unwrap();
        let o = run(
            &dir,
            &["build", "--data", "data", "--out", &out.to_string_lossy()],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let after = files(&out);
        assert!(
            !after.iter().any(|(p, _)| is_temp(p)),
            "temporary files left"
        );
        for (rel, bytes) in &new {
            assert_eq!(Some(bytes.clone()), bytes_of(&after, rel), "{rel:?}");
        }
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
        "{killed} of {} builds killed, {temps_seen} temporary files found",
        points.len()
    );
    assert!(2 * killed >= points.len(), "only {killed} kills landed");
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
