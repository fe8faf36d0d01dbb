//! The audit trail of issued PDFs: which version went out, logged only for answers that were
//! written whole to the client's socket, and the client's socket itself.
//!
//! A PDF's body is handed to its connection in one frame; its audit line then waits on the
//! connection's [`Tracker`]. It is logged as `audit: issued …` only once the last byte of the
//! body has been written to the socket (the connection's write buffer was flushed after the
//! body was handed over) and the client gave no sign of having gone away: it sent its next
//! request, the connection ended cleanly, or [`GRACE`] passed. Otherwise, when the connection
//! ends (the client closed or reset it, a write timed out, the server stopped), it is logged as
//! `audit: not sent …` with how many of the body's bytes had been written.
//!
//! [`Watched`] is the client socket as hyper sees it: it counts what is written, refuses to
//! write to a client that has gone, gives up on a client that reads nothing for the send
//! timeout (so that an unread 4 MB answer cannot hold its connection slot for ever), and adds
//! the security headers to the answers hyper's HTTP parser writes itself (400, 414, 431).

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};

use crate::audit::{AuditLog, Event, Outcome, Subject};
use http_body::{Frame, SizeHint};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// Where the server's log lines go (the binary decides: stderr, with a time stamp on audit
/// lines). The library never prints. It must not panic: audit lines are flushed from `Drop`.
pub type Log = Arc<dyn Fn(&str) + Send + Sync>;

/// How long after an answer was written whole a client that gave no sign of having gone away
/// is taken to have received it. A reset comes back within a round trip.
pub const GRACE: Duration = Duration::from_secs(1);

/// One audit event waiting for its answer to be settled.
struct Pending {
    n: u64,
    subject: Subject,
    /// The body's length, bytes.
    body: u64,
    /// Bytes written to the socket on the connection when the body was handed over.
    start: u64,
    /// The last byte of the body has been written to the socket.
    written: bool,
    /// [`GRACE`] has passed since the body was handed over.
    grace_over: bool,
}

/// What one connection has sent and whether its client went away.
pub struct Tracker {
    gone: AtomicBool,
    /// Bytes written to the socket on this connection.
    written: AtomicU64,
    /// Where in the written bytes the body of the latest answer starts (after its head).
    body_start: AtomicU64,
    pending: Mutex<Vec<Pending>>,
    next: AtomicU64,
    audit: Arc<dyn AuditLog>,
}

impl Tracker {
    pub(super) fn new(audit: Arc<dyn AuditLog>) -> Arc<Tracker> {
        Arc::new(Tracker {
            gone: AtomicBool::new(false),
            written: AtomicU64::new(0),
            body_start: AtomicU64::new(0),
            pending: Mutex::new(Vec::new()),
            next: AtomicU64::new(0),
            audit,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Pending>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Logs and forgets the pending lines `issued` decides on (`Some(true)`: issued,
    /// `Some(false)`: not sent, `None`: still waiting).
    fn settle(&self, issued: impl Fn(&Pending) -> Option<bool>) {
        let written = self.written.load(Ordering::Relaxed);
        let body_start = self.body_start.load(Ordering::Relaxed);
        let gone = self.gone.load(Ordering::Relaxed);
        let mut events = Vec::new();
        {
            let mut pending = self.lock();
            pending.retain(|p| match issued(p) {
                None => true,
                Some(true) => {
                    events.push(Event {
                        subject: p.subject.clone(),
                        outcome: Outcome::Issued,
                    });
                    false
                }
                Some(false) => {
                    // The body's bytes written: from the end of its head, when its head went.
                    let from = body_start.max(p.start);
                    let sent = if body_start >= p.start {
                        written.saturating_sub(from).min(p.body)
                    } else {
                        0
                    };
                    let why = if gone {
                        "the client went away"
                    } else {
                        "the connection was closed"
                    };
                    events.push(Event {
                        subject: p.subject.clone(),
                        outcome: Outcome::NotSent {
                            why: why.to_owned(),
                            sent,
                            of: p.body,
                        },
                    });
                    false
                }
            });
        }
        for event in events {
            self.audit.record(&event);
        }
    }

    /// Settles what can be settled now: answers written whole whose grace has passed.
    fn settle_ready(&self) {
        let gone = self.gone.load(Ordering::Relaxed);
        self.settle(|p| (p.written && p.grace_over && !gone).then_some(true));
    }

    /// A new request arrived on the connection: the client has read the answers written
    /// whole before it.
    pub(super) fn next_request(&self) {
        let gone = self.gone.load(Ordering::Relaxed);
        self.settle(|p| (p.written && !gone).then_some(true));
    }

    /// The connection has ended: every line is settled, issued only if written whole.
    pub(super) fn finish(&self) {
        let gone = self.gone.load(Ordering::Relaxed);
        self.settle(|p| Some(p.written && !gone));
    }

    /// The connection's write buffer was flushed to the socket: every body handed over before
    /// has been written whole.
    fn flushed(&self) {
        let any = {
            let mut pending = self.lock();
            pending.iter_mut().for_each(|p| p.written = true);
            !pending.is_empty()
        };
        if any {
            self.settle_ready();
        }
    }

    /// An answer about `subject` with a body of `body` bytes was handed to the connection.
    fn handed_over(self: &Arc<Self>, subject: Subject, body: u64) {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        self.lock().push(Pending {
            n,
            subject,
            body,
            start: self.written.load(Ordering::Relaxed),
            written: false,
            grace_over: false,
        });
        let this = Arc::downgrade(self);
        tokio::spawn(async move {
            tokio::time::sleep(GRACE).await;
            if let Some(this) = this.upgrade() {
                if let Some(p) = this.lock().iter_mut().find(|p| p.n == n) {
                    p.grace_over = true;
                }
                this.settle_ready();
            }
        });
    }

    fn note(&self, e: &std::io::Error) {
        use std::io::ErrorKind::*;
        if matches!(
            e.kind(),
            ConnectionReset | BrokenPipe | ConnectionAborted | TimedOut
        ) {
            self.gone.store(true, Ordering::Relaxed);
        }
    }
}

impl Drop for Tracker {
    /// Every exit path (the connection's task dropped at shutdown, a panic) settles what is
    /// pending: no audit line is lost.
    fn drop(&mut self) {
        self.finish();
    }
}

/// A response body whose audit event about `subject` waits on `tracker` once the body is
/// handed over.
pub(super) fn body(data: Bytes, subject: Subject, tracker: Arc<Tracker>) -> Body {
    Body::new(Audited {
        data: Some(data),
        subject: Some(subject),
        tracker,
    })
}

struct Audited {
    data: Option<Bytes>,
    subject: Option<Subject>,
    tracker: Arc<Tracker>,
}

impl http_body::Body for Audited {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let Some(data) = self.data.take() else {
            return Poll::Ready(None);
        };
        if let Some(subject) = self.subject.take() {
            self.tracker.handed_over(subject, data.len() as u64);
        }
        Poll::Ready(Some(Ok(Frame::data(data))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.data.as_ref().map_or(0, |d| d.len() as u64))
    }
}

/// A head being written with the security headers added: the bytes to write, how many are
/// written, and how many of the caller's bytes they stand for.
struct Rewritten {
    bytes: Vec<u8>,
    done: usize,
    stands_for: usize,
}

/// A client socket that tells its [`Tracker`] what was written and when the client has gone:
/// before each write it checks (without blocking) whether the client has closed its side, and
/// refuses to write to it; a reset counts too, whether a read or a write reports it or it is
/// pending at the end of input. A write that makes no progress for the send timeout fails.
pub(super) struct Watched {
    stream: TcpStream,
    tracker: Arc<Tracker>,
    send_timeout: Duration,
    /// Since when a write has been waiting for the client to read.
    stall: Option<Pin<Box<tokio::time::Sleep>>>,
    rewriting: Option<Rewritten>,
}

/// Where `needle` first occurs in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `buf` with the security headers after its status line, when it starts with one of the
/// answers the HTTP parser writes itself (400, 414 or 431 with an empty body: hyper's only
/// own answers) and lacks them. Every other answer comes through the routes' layers.
fn with_security_headers(buf: &[u8]) -> Option<Vec<u8>> {
    let parsers_own = [b"400 ", b"414 ", b"431 "];
    if !(buf.starts_with(b"HTTP/1.1 ") || buf.starts_with(b"HTTP/1.0 "))
        || !parsers_own.iter().any(|s| buf[9..].starts_with(&s[..]))
    {
        return None;
    }
    let head = &buf[..find(buf, b"\r\n\r\n")?];
    let lower = head.to_ascii_lowercase();
    if head.len() > 1024
        || find(&lower, b"\r\ncontent-length: 0").is_none()
        || find(&lower, b"\r\nx-content-type-options:").is_some()
    {
        return None;
    }
    let status_end = find(buf, b"\r\n")? + 2;
    let mut out = buf[..status_end].to_vec();
    for (name, value) in super::SECURITY_HEADERS {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(&buf[status_end..]);
    Some(out)
}

impl Watched {
    pub(super) fn new(stream: TcpStream, tracker: Arc<Tracker>, send_timeout: Duration) -> Self {
        Watched {
            stream,
            tracker,
            send_timeout,
            stall: None,
            rewriting: None,
        }
    }

    /// `Some(error)` when the client has closed its side or the socket failed.
    fn peer_closed(&self, cx: &mut Context<'_>) -> Option<std::io::Error> {
        let mut probe = [0u8; 1];
        let mut buf = ReadBuf::new(&mut probe);
        match self.stream.poll_peek(cx, &mut buf) {
            Poll::Ready(Ok(0)) => Some(std::io::ErrorKind::BrokenPipe.into()),
            Poll::Ready(Err(e)) => Some(e),
            _ => None,
        }
    }

    fn checked<T>(&self, r: Poll<std::io::Result<T>>) -> Poll<std::io::Result<T>> {
        if let Poll::Ready(Err(e)) = &r {
            self.tracker.note(e);
        }
        r
    }

    /// Counts `n` bytes written of `buf`; notes where an answer's body starts.
    fn wrote(&mut self, buf: &[u8], n: usize) {
        self.stall = None;
        let before = self.tracker.written.fetch_add(n as u64, Ordering::Relaxed);
        if n > 0
            && buf.starts_with(b"HTTP/1.")
            && let Some(end) = find(buf, b"\r\n\r\n")
        {
            self.tracker
                .body_start
                .store(before + end as u64 + 4, Ordering::Relaxed);
        }
    }

    /// A write is waiting for the client: fails once it has waited the send timeout.
    fn stalled(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<usize>> {
        let timeout = self.send_timeout;
        let stall = self
            .stall
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        if stall.as_mut().poll(cx).is_ready() {
            let e = std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client read nothing for the send timeout",
            );
            return self.checked(Poll::Ready(Err(e)));
        }
        Poll::Pending
    }

    /// Writes `buf` to the socket, with the security headers when it is a head without them.
    fn write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        if self.rewriting.is_none()
            && let Some(bytes) = with_security_headers(buf)
        {
            self.rewriting = Some(Rewritten {
                bytes,
                done: 0,
                stands_for: buf.len(),
            });
        }
        let Some(mut rw) = self.rewriting.take() else {
            return match Pin::new(&mut self.stream).poll_write(cx, buf) {
                Poll::Ready(Ok(n)) => {
                    self.wrote(buf, n);
                    Poll::Ready(Ok(n))
                }
                Poll::Pending => self.stalled(cx),
                r => self.checked(r),
            };
        };
        while rw.done < rw.bytes.len() {
            match Pin::new(&mut self.stream).poll_write(cx, &rw.bytes[rw.done..]) {
                Poll::Ready(Ok(n)) => {
                    let whole = rw.bytes.clone();
                    self.wrote(if rw.done == 0 { &whole } else { &[] }, n);
                    rw.done += n;
                    if n == 0 {
                        return Poll::Ready(Err(std::io::ErrorKind::WriteZero.into()));
                    }
                }
                Poll::Pending => {
                    self.rewriting = Some(rw);
                    return self.stalled(cx);
                }
                Poll::Ready(Err(e)) => return self.checked(Poll::Ready(Err(e))),
            }
        }
        Poll::Ready(Ok(rw.stands_for))
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.stream).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &r
            && buf.filled().len() == before
        {
            // End of input. A client that closed without reading what we sent has answered
            // it with a reset, which the read does not report (the FIN came first): ask.
            if let Ok(Some(e)) = self.stream.take_error() {
                self.tracker.note(&e);
            }
        }
        self.checked(r)
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        if let Some(e) = self.peer_closed(cx) {
            return self.checked(Poll::Ready(Err(e)));
        }
        self.write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        if let Some(e) = self.peer_closed(cx) {
            return self.checked(Poll::Ready(Err(e)));
        }
        // A head goes on its own (it may need its headers added, and it marks where its body
        // starts); the rest as they come.
        let first = bufs
            .iter()
            .find(|b| !b.is_empty())
            .map_or(&[][..], |b| &b[..]);
        if self.rewriting.is_some() || first.starts_with(b"HTTP/1.") {
            return self.write(cx, first);
        }
        match Pin::new(&mut self.stream).poll_write_vectored(cx, bufs) {
            Poll::Ready(Ok(n)) => {
                self.wrote(&[], n);
                Poll::Ready(Ok(n))
            }
            Poll::Pending => self.stalled(cx),
            r => self.checked(r),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let r = Pin::new(&mut self.stream).poll_flush(cx);
        if let Poll::Ready(Ok(())) = r {
            // hyper flushes its socket only once its own buffer is written out.
            self.tracker.flushed();
        }
        self.checked(r)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_without_the_security_headers_gets_them_and_ours_are_left_alone() {
        let parser = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\n";
        let out = String::from_utf8(with_security_headers(parser).unwrap()).unwrap();
        assert!(out.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        for (name, value) in super::super::SECURITY_HEADERS {
            assert!(out.contains(&format!("\r\n{name}: {value}\r\n")), "{out}");
        }
        assert!(out.ends_with("content-length: 0\r\n\r\n"));
        let ours = b"HTTP/1.1 400 Bad Request\r\nX-Content-Type-Options: nosniff\r\ncontent-length: 0\r\n\r\n";
        assert!(with_security_headers(ours).is_none());
        // Only the parser's own answers: not a 200, nor a body that happens to read like one.
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert!(with_security_headers(ok).is_none());
        let body = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\n\r\n";
        assert!(with_security_headers(body).is_none());
        assert!(with_security_headers(b"%PDF-1.7 HTTP/1.1").is_none());
    }

    /// Collects the events as their text lines.
    struct Lines(Arc<Mutex<Vec<String>>>);

    impl AuditLog for Lines {
        fn start(&self, _: &std::collections::BTreeMap<String, String>) {}
        fn record(&self, event: &Event) {
            self.0.lock().unwrap().push(event.to_string());
        }
    }

    fn log_into(lines: &Arc<Mutex<Vec<String>>>) -> Arc<dyn AuditLog> {
        Arc::new(Lines(lines.clone()))
    }

    fn notice(id: &str) -> Subject {
        Subject::Notice {
            id: id.into(),
            version: "2024-05-02".into(),
            version_id: "6abb3a61".into(),
            edition: "standard".into(),
            sha256: "0123456789ab".into(),
        }
    }

    #[tokio::test]
    async fn an_answer_is_issued_only_once_written_whole() {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let t = Tracker::new(log_into(&lines));
        t.handed_over(notice("a"), 4_000_000);
        t.written.store(300 + 1000, Ordering::Relaxed);
        t.body_start.store(300, Ordering::Relaxed);
        // The client asks again before the body was written: not a sign it got it.
        t.next_request();
        assert!(lines.lock().unwrap().is_empty());
        t.gone.store(true, Ordering::Relaxed);
        t.finish();
        assert_eq!(
            *lines.lock().unwrap(),
            [
                "audit: not sent id=a version=2024-05-02 version_id=6abb3a61 edition=standard sha256=0123456789ab (the client went away after 1000 of 4000000 bytes were written)"
            ]
        );
        lines.lock().unwrap().clear();
        let t = Tracker::new(log_into(&lines));
        t.handed_over(notice("b"), 10);
        t.flushed();
        t.next_request();
        assert_eq!(
            *lines.lock().unwrap(),
            [
                "audit: issued id=b version=2024-05-02 version_id=6abb3a61 edition=standard sha256=0123456789ab"
            ]
        );
    }

    #[tokio::test]
    async fn pending_lines_are_flushed_when_the_tracker_goes() {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let t = Tracker::new(log_into(&lines));
        t.handed_over(notice("c"), 10);
        drop(t);
        assert_eq!(
            *lines.lock().unwrap(),
            [
                "audit: not sent id=c version=2024-05-02 version_id=6abb3a61 edition=standard sha256=0123456789ab (the connection was closed after 0 of 10 bytes were written)"
            ]
        );
    }
}
