//! The render service: which editions of a notice are rendered, with the panic guard and the
//! content hashes. `build`, `render` and `serve` all render through here.

use crate::error::{Error, Result};
use crate::layout::{self, DisplayList, Edition, Options};
use crate::model::Notice;
use crate::pdf;
use crate::report;

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

/// One edition of a notice, rendered.
#[derive(Debug, Clone)]
pub struct Rendition {
    pub edition: Edition,
    pub pdf: Vec<u8>,
    /// SHA-256 of `pdf`, hex: its ETag and its manifest entry.
    pub sha256: String,
    pub display: DisplayList,
}

/// Renders `notice` in every edition ([`Edition::ALL`], in that order); `opts.edition` is
/// ignored.
pub fn editions(notice: &Notice, opts: &Options) -> Result<Vec<Rendition>> {
    Edition::ALL
        .into_iter()
        .map(|edition| {
            let (display, pdf) = render_display(notice, &Options { edition, ..*opts })?;
            Ok(Rendition {
                edition,
                sha256: crate::sha256_hex(&pdf),
                pdf,
                display,
            })
        })
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
