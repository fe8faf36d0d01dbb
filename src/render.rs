//! The render service: which editions of a notice are rendered, with the panic guard and the
//! content hashes. `build`, `render` and `serve` all render through here.

use crate::error::{Error, Result};
use crate::layout::{self, DisplayList, Edition, Options};
use crate::model::{Collection, Notice};
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

/// The notices of a pack: those with `ids` (every notice of the collection when `None`), in
/// the collection's order whatever the order of `ids`, so that a selection is always the same
/// document. `notices`: every valid notice of the data set.
pub fn pack_selection<'a>(
    collection: &Collection,
    notices: &[&'a Notice],
    ids: Option<&[String]>,
) -> Result<Vec<&'a Notice>> {
    let placed: Vec<&str> = collection.order().collect();
    if let Some(ids) = ids {
        let unknown: Vec<String> = ids
            .iter()
            .filter(|id| !placed.contains(&id.as_str()))
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(Error::UnknownNotices {
                ids: unknown,
                known: placed.iter().map(|s| s.to_string()).collect(),
            });
        }
    }
    let wanted = |id: &str| ids.is_none_or(|ids| ids.iter().any(|i| i == id));
    let selected: Vec<&Notice> = placed
        .iter()
        .filter(|id| wanted(id))
        .filter_map(|id| notices.iter().find(|n| n.id == *id).copied())
        .collect();
    if selected.is_empty() {
        return Err(Error::UnknownNotices {
            ids: Vec::new(),
            known: placed.iter().map(|s| s.to_string()).collect(),
        });
    }
    Ok(selected)
}

/// Typesets and writes a pack of `selected` (see [`pack_selection`]); `all` is every notice
/// of the collection.
pub fn render_pack(
    collection: &Collection,
    selected: &[&Notice],
    all: &[&Notice],
    opts: &Options,
) -> Result<(DisplayList, Vec<u8>)> {
    guard(crate::sv::PACK_ID, || {
        let dl = layout::typeset_pack(collection, selected, all, opts).display;
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
