//! notice-pdf: a bank's privacy notice, kept as canonical data, typeset into a tagged
//! PDF/A-3a + PDF/UA-1 document.
//!
//! The pipeline, one module per stage:
//! `data/*.toml` → [`model`] (serde types, validation, lint) → [`layout`] (shaping, hyphenation,
//! total-fit line breaking, pagination → [`layout::DisplayList`]) → [`pdf`] (krilla).
//! [`jobs`] runs it over a data directory. The library never prints and never reads the clock.
//!
//! ```
//! use std::path::Path;
//!
//! let loaded = notice_pdf::load(Path::new("tests/fixtures/kundservice.toml"))?;
//! let out = notice_pdf::render(&loaded.notice, &notice_pdf::Options::default())?;
//! assert!(out.pdf.starts_with(b"%PDF-1.7"));
//! assert!((2..=3).contains(&out.pages));
//! // The notice (as published in 2023) lacks a legal basis in its third section: a lint warning.
//! assert_eq!(loaded.warnings.len(), 1);
//! # Ok::<(), notice_pdf::Error>(())
//! ```

// The library never prints (callers decide what the user sees) and never reads the wall clock
// (.clippy.toml): both are checked by `cargo clippy -- -D warnings`.
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)]

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
pub mod render;
pub mod report;
pub mod serve;
pub mod source;
pub mod sv;
pub mod verify;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use error::{Diagnostic, Error, Result, Severity};
pub use layout::{Align, DisplayList, Edition, Options};
pub use model::Notice;
pub use render::{Rendered, Rendition, editions, render, render_display, typeset_with_report};

/// A notice read from its data file and validated.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub notice: Notice,
    /// Lint findings (the notice can still be rendered).
    pub warnings: Vec<Diagnostic>,
    /// SHA-256 of the data file's bytes, hex.
    pub source_sha256: String,
    /// Every file the notice is made from: its data file and the logo it names. No output of
    /// a run may replace one of them ([`output::Inputs`]).
    pub inputs: Vec<PathBuf>,
}

/// Loads one data file for rendering: fails with every error found in it; warnings are
/// returned. (A data directory is loaded with [`source::DataSet`].)
pub fn load(path: &Path) -> Result<Loaded> {
    let checked = source::check_file(path);
    checked.loaded.ok_or_else(|| {
        Error::Data(
            checked
                .diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect(),
        )
    })
}

/// Loads one data file for rendering with the rules of the data set it sits in (its
/// directory), as `check` and `build` apply them to what the document says: a link to a notice
/// or section the set does not have fails here too. Whether the set may hold the file (its id
/// used twice, its place in the collection) is for `check` and `build`: two versions of a
/// notice side by side can each be rendered. Only this file's problems count.
pub fn load_in_place(path: &Path) -> Result<Loaded> {
    let set = source::DataSet::around(path);
    let checked = set
        .files
        .iter()
        .find(|f| f.path == path)
        .expect("the set holds the file it was made around");
    let errors: Vec<Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && !set.is_membership(d))
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(Error::Data(errors));
    }
    // Valid on its own and its links resolve: as it was checked alone.
    load(path)
}

/// The document date from a `SOURCE_DATE_EPOCH` value (seconds since 1970, UTC), within
/// 1970-01-01 to 2099-12-31.
pub fn source_date_epoch(value: &str) -> std::result::Result<chrono::NaiveDateTime, String> {
    let secs: i64 = value.trim().parse().map_err(|_| {
        format!(
            "SOURCE_DATE_EPOCH is not a number of seconds: {}",
            error::quoted(value)
        )
    })?;
    let last = model::DATE_RANGE
        .1
        .and_hms_opt(23, 59, 59)
        .expect("valid time");
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.naive_utc())
        .filter(|d| secs >= 0 && *d <= last)
        .ok_or_else(|| {
            format!(
                "SOURCE_DATE_EPOCH={secs} is out of range: it must date from 1970-01-01 to {}",
                model::DATE_RANGE.1
            )
        })
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
