//! The audit trail of issued PDFs: which version went out, logged only for answers the client
//! actually received, as far as the server can tell.
//!
//! A PDF's body is handed to its connection in one frame; the audit line then waits on the
//! connection's [`Tracker`]. It is logged as `audit: issued …` once the client shows it got the
//! answer (it sends its next request, or the connection ends cleanly) or [`GRACE`] has passed
//! with no sign that it went away (a browser keeps its connection open), and as
//! `audit: not sent …` when the client had gone away: it had closed its side before the answer
//! was written, or the connection was reset.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use http_body::{Frame, SizeHint};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// Where the server's log lines go (the binary decides: stderr, with a time stamp on audit
/// lines). The library never prints.
pub type Log = Arc<dyn Fn(&str) + Send + Sync>;

/// How long after an answer was handed to its connection a client that gave no sign of having
/// gone away is taken to have received it. A reset comes back within a round trip.
pub const GRACE: std::time::Duration = std::time::Duration::from_secs(1);

/// What one connection has sent and whether its client went away.
pub struct Tracker {
    gone: AtomicBool,
    /// Audit lines of answers handed to the connection, not yet settled, by number.
    pending: Mutex<Vec<(u64, String)>>,
    next: std::sync::atomic::AtomicU64,
    log: Log,
}

impl Tracker {
    pub(super) fn new(log: Log) -> Arc<Tracker> {
        Arc::new(Tracker {
            gone: AtomicBool::new(false),
            pending: Mutex::new(Vec::new()),
            next: Default::default(),
            log,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(u64, String)>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Logs the pending lines `which` selects (all when `None`).
    fn settle(&self, issued: bool, which: Option<u64>) {
        let lines: Vec<String> = {
            let mut pending = self.lock();
            let (now, keep) = std::mem::take(&mut *pending)
                .into_iter()
                .partition(|(n, _)| which.is_none_or(|w| w == *n));
            *pending = keep;
            now.into_iter().map(|(_, line)| line).collect()
        };
        for line in lines {
            if issued {
                (self.log)(&format!("audit: issued {line}"));
            } else {
                (self.log)(&format!("audit: not sent {line} (the client went away)"));
            }
        }
    }

    /// A new request arrived on the connection: the client has read the answers before it.
    pub(super) fn next_request(&self) {
        self.settle(true, None);
    }

    /// The connection has ended.
    pub(super) fn finish(&self) {
        self.settle(!self.gone.load(Ordering::Relaxed), None);
    }

    /// An answer with audit `line` was handed to the connection: settle it after [`GRACE`]
    /// unless something settles it sooner.
    fn handed_over(self: &Arc<Self>, line: String) {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        self.lock().push((n, line));
        let this = Arc::clone(self);
        tokio::spawn(async move {
            tokio::time::sleep(GRACE).await;
            this.settle(!this.gone.load(Ordering::Relaxed), Some(n));
        });
    }

    fn note(&self, e: &std::io::Error) {
        use std::io::ErrorKind::*;
        if matches!(e.kind(), ConnectionReset | BrokenPipe | ConnectionAborted) {
            self.gone.store(true, Ordering::Relaxed);
        }
    }
}

/// A response body whose audit `line` waits on `tracker` once the body is handed over.
pub(super) fn body(data: Bytes, line: String, tracker: Arc<Tracker>) -> Body {
    Body::new(Audited {
        data: Some(data),
        line: Some(line),
        tracker,
    })
}

struct Audited {
    data: Option<Bytes>,
    line: Option<String>,
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
        if let Some(line) = self.line.take() {
            self.tracker.handed_over(line);
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

/// A client socket that tells its [`Tracker`] when the client has gone: before each write it
/// checks (without blocking) whether the client has closed its side, and refuses to write to
/// it; a reset counts too, whether a read or a write reports it or it is pending at the end of
/// input.
pub(super) struct Watched {
    stream: TcpStream,
    tracker: Arc<Tracker>,
}

impl Watched {
    pub(super) fn new(stream: TcpStream, tracker: Arc<Tracker>) -> Self {
        Watched { stream, tracker }
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
        let r = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.checked(r)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        if let Some(e) = self.peer_closed(cx) {
            return self.checked(Poll::Ready(Err(e)));
        }
        let r = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.checked(r)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let r = Pin::new(&mut self.stream).poll_flush(cx);
        self.checked(r)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
