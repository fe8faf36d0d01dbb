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
//! let loaded = notice_pdf::load(Path::new("data/kundservice.toml"))?;
//! let out = notice_pdf::render(&loaded.notice, &notice_pdf::Options::default())?;
//! assert!(out.pdf.starts_with(b"%PDF-1.7"));
//! assert!((2..=3).contains(&out.pages));
//! // The published notice lacks a legal basis in its third section: a lint warning.
//! assert_eq!(loaded.warnings.len(), 1);
//! # Ok::<(), notice_pdf::Error>(())
//! ```

pub mod error;
pub mod fonts;
pub mod jobs;
pub mod layout;
pub mod model;
pub mod pdf;
pub mod preview;
pub mod report;
pub mod serve;

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
}

/// Reads a data file as UTF-8; invalid UTF-8 is a located data error.
fn read_text(path: &Path) -> Result<(Vec<u8>, String)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read data file", path, e))?;
    match std::str::from_utf8(&bytes) {
        Ok(text) => {
            let text = text.to_owned();
            Ok((bytes, text))
        }
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let (line, col) = model::line_col(valid, valid.len());
            Err(Error::Data(vec![Diagnostic {
                severity: Severity::Error,
                file: path.to_owned(),
                line,
                col,
                field: String::new(),
                message: "the file is not valid UTF-8".into(),
                hint: Some("save the data file as UTF-8".into()),
            }]))
        }
    }
}

/// Reads, parses and validates one data file: every problem in it, errors and warnings.
/// `Err` only when the file cannot be read.
pub fn diagnose(path: &Path) -> Result<(Option<Notice>, Vec<Diagnostic>)> {
    match read_text(path) {
        Ok((_, text)) => Ok(diagnose_text(path, &text)),
        Err(Error::Data(d)) => Ok((None, d)),
        Err(e) => Err(e),
    }
}

fn diagnose_text(path: &Path, text: &str) -> (Option<Notice>, Vec<Diagnostic>) {
    match model::parse(path, text) {
        Err(d) => (None, vec![d]),
        Ok(notice) => {
            let diags = model::validate(path, text, &notice, &fonts::covers);
            (Some(notice), diags)
        }
    }
}

/// Loads a notice for rendering: fails with every error found; warnings are returned.
pub fn load(path: &Path) -> Result<Loaded> {
    let (bytes, text) = read_text(path)?;
    let (notice, diags) = diagnose_text(path, &text);
    let (errors, warnings): (Vec<_>, Vec<_>) = diags
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    match notice {
        Some(notice) if errors.is_empty() => Ok(Loaded {
            path: path.to_owned(),
            notice,
            warnings,
            source_sha256: sha256_hex(&bytes),
        }),
        _ => Err(Error::Data(errors)),
    }
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
