//! A `notice-pdf serve` process and a minimal HTTP/1.1 client for the tests.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A running server; killed when dropped. Its stderr is collected in `log`.
pub struct Server {
    pub child: Child,
    pub addr: String,
    pub log: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(data: &Path) -> Server {
    start_with(data, &[])
}

/// Starts a server polling every 100 ms, with `extra` arguments.
pub fn start_with(data: &Path, extra: &[&str]) -> Server {
    start_cmd(Command::new(env!("CARGO_BIN_EXE_notice-pdf")), data, extra)
}

/// Starts `cmd` (the binary, perhaps with a changed environment) as a server.
pub fn start_cmd(mut cmd: Command, data: &Path, extra: &[&str]) -> Server {
    let mut child = cmd
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--poll-ms",
            "100",
            "--data",
            data.to_str().unwrap(),
        ])
        .args(extra)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    // "notice-pdf serving … on http://ADDR/", as text or inside a JSON line.
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("{first}"))
        .to_owned();
    let log = Arc::new(Mutex::new(String::new()));
    let sink = log.clone();
    std::thread::spawn(move || {
        for l in lines.map_while(Result::ok) {
            let mut s = sink.lock().unwrap();
            s.push_str(&l);
            s.push('\n');
        }
    });
    Server { child, addr, log }
}

pub struct Resp {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub fn request(addr: &str, method: &str, path: &str, extra: &[(&str, &str)], body: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in extra {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let _ = s.write_all(body);
    // Read the head, then exactly the body (peers may keep the connection open).
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let split = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = read_some(&mut s, &mut buf);
        assert!(n > 0, "connection closed before the response head");
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: BTreeMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .get("transfer-encoding")
        .is_some_and(|t| t == "chunked");
    match headers
        .get("content-length")
        .and_then(|n| n.parse::<usize>().ok())
    {
        _ if method == "HEAD" || status == 304 || status == 204 => body.clear(),
        Some(len) => {
            while body.len() < len {
                let n = read_some(&mut s, &mut buf);
                assert!(n > 0, "connection closed before the body was complete");
                body.extend_from_slice(&buf[..n]);
            }
            body.truncate(len);
        }
        None if chunked => {
            while !body.windows(5).any(|w| w == b"0\r\n\r\n") {
                let n = read_some(&mut s, &mut buf);
                assert!(n > 0, "connection closed inside a chunked body");
                body.extend_from_slice(&buf[..n]);
            }
            body = dechunk(&body);
        }
        None => {
            let _ = s.read_to_end(&mut body);
        }
    }
    Resp {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let nl = b.windows(2).position(|w| w == b"\r\n").unwrap();
        let n = usize::from_str_radix(std::str::from_utf8(&b[..nl]).unwrap().trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[nl + 2..nl + 2 + n]);
        b = &b[nl + 4 + n..];
    }
}

pub fn get(addr: &str, path: &str) -> Resp {
    request(addr, "GET", path, &[], b"")
}

/// A connection whose receive buffer is as small as the kernel allows, set before connecting
/// so that the window it offers stays small: a server writing to it fills its socket buffers
/// after a few kilobytes unless the client reads.
pub fn connect_small_window(addr: &str) -> TcpStream {
    use std::os::fd::FromRawFd;
    let addr: std::net::SocketAddrV4 = addr.parse().unwrap();
    // SAFETY: a fresh socket, options and address from valid memory; ownership goes to the
    // TcpStream.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0);
        assert!(fd >= 0);
        let size: libc::c_int = 4096;
        assert_eq!(
            libc::setsockopt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_RCVBUF,
                (&size as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            ),
            0
        );
        let sin = libc::sockaddr_in {
            sin_family: libc::AF_INET as libc::sa_family_t,
            sin_port: addr.port().to_be(),
            sin_addr: libc::in_addr {
                s_addr: u32::from(*addr.ip()).to_be(),
            },
            sin_zero: [0; 8],
        };
        let r = libc::connect(
            fd,
            (&sin as *const libc::sockaddr_in).cast(),
            std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
        );
        assert_eq!(r, 0, "connect: {}", std::io::Error::last_os_error());
        TcpStream::from_raw_fd(fd)
    }
}

/// Sends a GET for `path` on `s` and reads the answer's head and at most `n` bytes after it.
pub fn get_partly(s: &mut TcpStream, path: &str, n: usize) -> Vec<u8> {
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
        .unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        if let Some(i) = got.windows(4).position(|w| w == b"\r\n\r\n")
            && got.len() >= i + 4 + n
        {
            return got;
        }
        let k = read_some(s, &mut buf);
        assert!(k > 0, "closed early");
        got.extend_from_slice(&buf[..k]);
    }
}

/// One `read` from `s`, again when a signal interrupts it: Linux returns EINTR from a socket
/// read with a timeout when the process is stopped and continued (signal(7)), as a VM or a
/// job-control stop does, even with no signal handler installed.
fn read_some(s: &mut impl Read, buf: &mut [u8]) -> usize {
    loop {
        match s.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            r => return r.unwrap(),
        }
    }
}
