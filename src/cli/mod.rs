//! The binary's commands (the library is `notice_pdf`): `args` is the command line, and each
//! command is one module with its `run`; `main.rs` keeps parse → run → exit code.

pub(crate) mod args;
pub(crate) mod audit;
pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod diff;
pub(crate) mod preview;
pub(crate) mod render;
pub(crate) mod seal;
#[cfg(feature = "serve")]
pub(crate) mod serve;
#[cfg(feature = "serve")]
pub(crate) mod serve_log;
pub(crate) mod sink;
pub(crate) mod verify;
