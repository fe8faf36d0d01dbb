//! notice-pdf: a bank's privacy notices, kept as canonical data, typeset into tagged
//! PDF/A-3a + PDF/UA-1 documents and an HTML alternative.
//!
//! The surface most callers need is re-exported here: [`load`] a data file ([`Loaded`]),
//! [`render`] it (or [`editions`] for every [`Edition`]), the backend-free [`DisplayList`] the
//! writers draw from, and one [`Error`] type whose data problems are [`Diagnostic`]s.
//!
//! The pipeline, one module per stage (see `../shared/design/architecture.md`):
//! `data/*.toml` → [`model`] (serde types, validation, lint; [`source`] reads files and applies
//! the rules across them) → [`layout`] (shaping, hyphenation, total-fit line breaking,
//! pagination → [`layout::DisplayList`]) → [`pdf`] (krilla), [`preview`] (PNG), [`html`].
//! [`render`] is the render service; [`jobs`] runs it over a data directory and [`publish`]es
//! into an output directory through [`output`]'s safe writes; [`serve`] is the HTTP service;
//! [`verify`] proves what a PDF was made from. The library never prints and never reads the
//! clock.
//!
//! ```
//! use std::path::Path;
//!
//! let loaded = notice_pdf::load(Path::new("tests/fixtures/kundservice.toml"))?;
//! let doc = notice_pdf::Document::Notice(&loaded.notice);
//! let out = notice_pdf::render(doc, &notice_pdf::Options::default())?;
//! assert!(out.pdf.starts_with(b"%PDF-1.7"));
//! assert!((2..=3).contains(&out.pages()));
//! // The notice (as published in 2023) lacks a legal basis in its third section and names a
//! // legitimate interest without saying which: two lint warnings.
//! assert_eq!(loaded.warnings.len(), 2);
//! # Ok::<(), notice_pdf::Error>(())
//! ```

// The library never prints (callers decide what the user sees) and never reads the wall clock
// (.clippy.toml): both are checked by `cargo clippy -- -D warnings`.
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)]

pub mod audit;
mod digest;
pub mod edition;
pub mod error;
pub mod fonts;
pub mod history;
pub mod html;
pub mod jobs;
pub mod layout;
mod memo;
pub mod model;
pub mod output;
pub mod pdf;
pub mod picture;
pub mod preview;
pub mod publish;
mod qr;
pub mod render;
pub mod report;
pub mod seal;
#[cfg(feature = "serve")]
pub mod serve;
pub mod source;
pub mod sv;
pub mod verify;

pub use digest::{VersionId, sha256_hex};
pub use error::{Diagnostic, Error, Result, Severity};
pub use layout::source_date_epoch;
pub use layout::{Align, DisplayList, Edition, Options};
pub use model::Notice;
pub use render::{Document, Rendition, editions, render};
pub use source::{Loaded, load, load_in_place};
