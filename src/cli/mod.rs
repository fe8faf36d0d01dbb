//! The binary's own modules (the library is `notice_pdf`): what does not belong in `main.rs`'s
//! parse → run → exit code.

pub(crate) mod seal;
#[cfg(feature = "serve")]
pub(crate) mod serve_log;
