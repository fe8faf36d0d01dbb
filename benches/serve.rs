//! The agents' page, warm, over HTTP: `GET /` and `GET /?q=samtal` from a running
//! `notice-pdf serve` on a floor of 31 notices (the fixture collection and 25 generated ones,
//! `tests/integration/common/generated.rs`), one keep-alive connection, the whole answer read.
//! Also prints the page's size. Issue 27 asks for under 5 ms and under 60 KB.
//!
//! `cargo bench --bench serve`. The data directory is kept in `target/bench-serve/data`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use criterion::{Criterion, criterion_group, criterion_main};

#[allow(dead_code)]
#[path = "../tests/integration/common/generated.rs"]
mod generated;

/// The server; killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(data: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(data)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    // "notice-pdf serving N notice(s) on http://ADDR/", once every notice and the whole pack
    // are rendered.
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .split("http://")
        .nth(1)
        .unwrap_or_else(|| panic!("{first}"))
        .trim_end_matches('/')
        .to_owned();
    std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
    Server { child, addr }
}

/// GET `path` on the keep-alive connection `s`: the status and the body.
fn get(s: &mut TcpStream, path: &str) -> (u16, Vec<u8>) {
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n").as_bytes())
        .unwrap();
    let mut raw = Vec::with_capacity(64 * 1024);
    let mut buf = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "closed");
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    let status = head[9..12].parse().unwrap();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .expect("a content length")
        .trim()
        .parse()
        .unwrap();
    while raw.len() < head_end + len {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "closed");
        raw.extend_from_slice(&buf[..n]);
    }
    (status, raw[head_end..head_end + len].to_vec())
}

fn page(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = root.join("target/bench-serve/data");
    let _ = std::fs::remove_dir_all(&data);
    let ids = generated::write_floor(&root.join("tests/fixtures/exempelbanken"), &data);
    let srv = start(&data);
    let mut s = TcpStream::connect(&srv.addr).unwrap();
    s.set_nodelay(true).unwrap();
    let (status, body) = get(&mut s, "/");
    assert_eq!(status, 200);
    println!(
        "GET / for {} notices: {} bytes ({:.1} KB)",
        ids.len(),
        body.len(),
        body.len() as f64 / 1024.0
    );
    let mut group = c.benchmark_group("serve");
    for path in ["/", "/?q=samtal"] {
        group.bench_function(format!("GET {path} ({} notices)", ids.len()), |b| {
            b.iter(|| {
                let (status, body) = get(&mut s, path);
                assert_eq!(status, 200);
                body.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, page);
criterion_main!(benches);
