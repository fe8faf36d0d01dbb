//! The render service: the one entry point that turns a notice or a pack into a PDF in one
//! edition ([`render`]; every edition with [`editions`]), with the panic guard and the content
//! hash. `build`, `render`, `pack`, `verify` and `serve` all render through here.

use crate::error::{Error, Result};
use crate::layout::{self, DisplayList, Edition, Options, ParagraphStats};
use crate::model::{Collection, Notice};
use crate::pdf;
use crate::report::Report;

/// What to render.
#[derive(Debug, Clone, Copy)]
pub enum Document<'a> {
    /// One validated notice.
    Notice(&'a Notice),
    /// A pack: the notices `selected` of the collection, in its order (see
    /// [`pack_selection`]); `all` is every notice of the data set (a link to one outside the
    /// pack leads to its address online).
    Pack {
        collection: &'a Collection,
        selected: &'a [&'a Notice],
        all: &'a [&'a Notice],
    },
}

impl Document<'_> {
    /// The id a failure is reported for: the notice's, or the pack's.
    fn id(&self) -> &str {
        match self {
            Document::Notice(n) => &n.id,
            Document::Pack { .. } => crate::sv::PACK_ID,
        }
    }
}

/// A document rendered in one edition.
#[derive(Debug, Clone)]
pub struct Rendition {
    pub edition: Edition,
    pub pdf: Vec<u8>,
    /// SHA-256 of `pdf`, hex: its ETag and its manifest entry.
    pub sha256: String,
    pub display: DisplayList,
    /// How each paragraph was set (for [`Rendition::report`]).
    pub paragraphs: Vec<ParagraphStats>,
}

impl Rendition {
    /// Pages of the document.
    pub fn pages(&self) -> usize {
        self.display.pages.len()
    }

    /// The typography report of this rendition of `doc`.
    pub fn report(&self, doc: Document, opts: &Options) -> Report {
        let typeset = layout::Typeset {
            display: self.display.clone(),
            paragraphs: self.paragraphs.clone(),
        };
        match doc {
            Document::Notice(n) => Report::new(n, &typeset, opts),
            Document::Pack { selected, .. } => Report::of_pack(selected, &typeset, opts),
        }
    }
}

/// Typesets and writes `doc` in `opts.edition`. A panic anywhere in typesetting or writing
/// becomes [`Error::Internal`] for this document: a `build` or a server carries on.
pub fn render(doc: Document, opts: &Options) -> Result<Rendition> {
    guard(doc.id(), || {
        let typeset = match doc {
            Document::Notice(n) => layout::typeset(n, opts),
            Document::Pack {
                collection,
                selected,
                all,
            } => layout::typeset_pack(collection, selected, all, opts),
        };
        let pdf = pdf::write(&typeset.display)?;
        Ok(Rendition {
            edition: opts.edition,
            sha256: crate::sha256_hex(&pdf),
            pdf,
            display: typeset.display,
            paragraphs: typeset.paragraphs,
        })
    })
}

/// Renders `doc` in every edition ([`Edition::ALL`], in that order); `opts.edition` is
/// ignored.
pub fn editions(doc: Document, opts: &Options) -> Result<Vec<Rendition>> {
    Edition::ALL
        .into_iter()
        .map(|edition| render(doc, &Options { edition, ..*opts }))
        .collect()
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
