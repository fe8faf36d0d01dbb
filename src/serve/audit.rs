//! The audit trail of issued PDFs: one line per PDF whose body was handed over in full.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use http_body::{Frame, SizeHint};

/// Where the server's log lines go (the binary decides: stderr, with a time stamp on audit
/// lines). The library never prints.
pub type Log = Arc<dyn Fn(&str) + Send + Sync>;

/// A response body that logs `audit: issued <line>` when the connection takes `data` (the
/// whole body, one frame) to send it, or `audit: not sent <line>` if the response is dropped
/// before that: hyper drops it without polling when the client has gone away (it checks for
/// end of input before writing a response).
pub(super) fn body(data: Bytes, line: String, log: Log) -> Body {
    Body::new(Audited {
        data: Some(data),
        line: Some(line),
        log,
    })
}

struct Audited {
    data: Option<Bytes>,
    /// Taken when logged.
    line: Option<String>,
    log: Log,
}

impl http_body::Body for Audited {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(data) = self.data.take() {
            if let Some(line) = self.line.take() {
                (self.log)(&format!("audit: issued {line}"));
            }
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.data.as_ref().map_or(0, |d| d.len() as u64))
    }
}

impl Drop for Audited {
    fn drop(&mut self) {
        if let Some(line) = self.line.take() {
            (self.log)(&format!("audit: not sent {line} (the client went away)"));
        }
    }
}
