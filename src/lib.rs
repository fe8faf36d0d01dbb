//! notice-pdf: a bank's privacy notice, kept as canonical data, typeset into a tagged
//! PDF/A-2a + PDF/UA-1 document.
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

pub mod error;
pub mod fonts;
pub mod jobs;
pub mod layout;
pub mod model;
pub mod output;
pub mod pdf;
pub mod preview;
pub mod report;
pub mod serve;
pub mod source;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use error::{Diagnostic, Error, Result, Severity};
pub use layout::{Align, DisplayList, Edition, Options};
pub use model::Notice;

/// A notice read from its data file and validated.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub notice: Notice,
    /// Lint findings (the notice can still be rendered).
    pub warnings: Vec<Diagnostic>,
    /// SHA-256 of the data file's bytes, hex.
    pub source_sha256: String,
    /// Line and column of the `id` value in the data file.
    pub id_at: (usize, usize),
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

/// The document date from a `SOURCE_DATE_EPOCH` value (seconds since 1970, UTC), within
/// 1970-01-01 to 2099-12-31.
pub fn source_date_epoch(value: &str) -> std::result::Result<chrono::NaiveDateTime, String> {
    let secs: i64 = value
        .trim()
        .parse()
        .map_err(|_| format!("SOURCE_DATE_EPOCH is not a number of seconds: {value:?}"))?;
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

/// A rendered notice.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
}

/// Typesets and writes a validated notice.
pub fn render(notice: &Notice, opts: &Options) -> Result<Rendered> {
    let (dl, pdf) = render_display(notice, opts)?;
    Ok(Rendered {
        pdf,
        pages: dl.pages.len(),
    })
}

/// Typesets and writes a validated notice, returning the display list too. A panic anywhere in
/// typesetting or writing becomes [`Error::Internal`] for this notice: a `build` or a server
/// carries on with the others.
pub fn render_display(notice: &Notice, opts: &Options) -> Result<(DisplayList, Vec<u8>)> {
    guard(&notice.id, || {
        let dl = layout::layout(notice, opts);
        pdf::write(&dl).map(|pdf| (dl, pdf))
    })
}

/// Runs `f`; a panic in it becomes [`Error::Internal`] for notice `id`.
fn guard<T>(id: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(Error::Internal {
            id: id.to_owned(),
            message,
        })
    })
}

/// Typesets a validated notice and measures the result.
pub fn typeset_with_report(notice: &Notice, opts: &Options) -> (layout::Typeset, report::Report) {
    let ts = layout::typeset(notice, opts);
    let report = report::Report::new(notice, &ts, opts);
    (ts, report)
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error_for_that_notice() {
        let r: Result<()> = guard("kundservice", || panic!("index out of bounds"));
        match r {
            Err(Error::Internal { id, message }) => {
                assert_eq!(
                    (id.as_str(), message.as_str()),
                    ("kundservice", "index out of bounds")
                );
            }
            other => panic!("{other:?}"),
        }
        let r: Result<()> = guard("x", || panic!("{} lines", 3));
        assert!(matches!(r, Err(Error::Internal { message, .. }) if message == "3 lines"));
        assert_eq!(guard("x", || Ok(7)).unwrap(), 7);
    }
}
