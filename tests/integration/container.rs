//! The container image (`.ci/container/`): built with podman from `scratch` around the binary
//! these tests run, it runs as a user that is not root, with a read-only root filesystem,
//! answers `/readyz`, and writes only to a mounted output volume.
//!
//! In the `oracles` tier: needs podman and runc (`bash tests/run-all.sh` installs them). The
//! flags are those that start a container on the CI machines (nested, hybrid cgroups): the vfs
//! storage driver, runc, cgroupfs, explicit limits and the host's network.
#![cfg(feature = "oracles")]

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::common;
use common::http::get;

const IMAGE: &str = "localhost/notice-pdf-test";

fn podman(args: &[&str]) -> Output {
    Command::new("podman")
        .args([
            "--storage-driver",
            "vfs",
            "--runtime",
            "runc",
            "--cgroup-manager",
            "cgroupfs",
        ])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("podman is needed ({e}); `bash tests/run-all.sh` installs it"))
}

fn ok(o: &Output, what: &str) {
    assert!(
        o.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A port free on the loopback now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn the_image_runs_as_a_user_on_a_read_only_root_and_answers_readyz() {
    let root = common::root();
    let context = common::scratch("container");
    std::fs::copy(
        root.join(".ci/container/Containerfile"),
        context.join("Containerfile"),
    )
    .unwrap();
    let bundle = Command::new("bash")
        .arg(root.join(".ci/container/bundle.sh"))
        .arg(env!("CARGO_BIN_EXE_notice-pdf"))
        .arg(context.join("bundle"))
        .output()
        .unwrap();
    ok(&bundle, "bundle.sh");
    ok(
        &podman(&[
            "build",
            "-q",
            "-t",
            IMAGE,
            "-f",
            "Containerfile",
            context.to_str().unwrap(),
        ]),
        "podman build",
    );
    let user = podman(&["image", "inspect", "--format", "{{.Config.User}}", IMAGE]);
    ok(&user, "inspect");
    assert_eq!(String::from_utf8_lossy(&user.stdout).trim(), "10001:10001");

    let data = format!(
        "{}:/data:ro",
        root.join("tests/fixtures/exempelbanken").display()
    );
    let limits = [
        "--ulimit",
        "nofile=1024:1024",
        "--ulimit",
        "nproc=4096:4096",
        "--network",
        "host",
    ];
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let name = format!("notice-pdf-test-{}", std::process::id());
    let mut run = vec!["run", "-d", "--read-only", "--name", &name, "-v", &data];
    run.extend(limits);
    let serve_addr = format!("--addr={addr}");
    run.extend([IMAGE, "serve", &serve_addr, "--data=/data"]);
    ok(&podman(&run), "podman run");
    let started = Instant::now();
    let ready = loop {
        let up = std::net::TcpStream::connect(&addr).is_ok() && get(&addr, "/readyz").status == 200;
        if up || started.elapsed() > Duration::from_secs(20) {
            break up;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let top = podman(&["top", &name, "user"]);
    let logs = podman(&["logs", &name]);
    let _ = podman(&["rm", "-f", &name]);
    assert!(
        ready,
        "no /readyz 200: {}",
        String::from_utf8_lossy(&logs.stderr)
    );
    // The process runs as the image's user (10001, named in its /etc/passwd), not root.
    let top = String::from_utf8_lossy(&top.stdout);
    assert_eq!(top.lines().nth(1).map(str::trim), Some("notice"), "{top}");

    // `build` writes into the mounted output volume and nowhere else: the root is read-only.
    let out = common::scratch("container-out");
    // The volume is the container user's to write (uid 10001 has no account here).
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o777)).unwrap();
    let volume = format!("{}:/output", out.display());
    let mut build = vec!["run", "--rm", "--read-only", "-v", &data, "-v", &volume];
    build.extend(limits);
    build.extend([IMAGE, "build", "--data=/data", "--out=/output"]);
    let o = podman(&build);
    ok(&o, "build into the volume");
    assert!(out.join("rik.pdf").is_file());
    let mut elsewhere = vec!["run", "--rm", "--read-only", "-v", &data];
    elsewhere.extend(limits);
    elsewhere.extend([IMAGE, "build", "--data=/data", "--out=/elsewhere"]);
    let o = podman(&elsewhere);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
