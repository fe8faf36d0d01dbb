//! Packs over HTTP: a selection of the collection's notices (or all of them) as one PDF. The
//! selection is put in the collection's order first, so that the same notices are always the
//! same bytes, the same ETag and one cache entry, whatever order a request names them in.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use chrono::NaiveDate;

use super::snapshot::{AppState, Snapshot};
use crate::error::{Error, Result};
use crate::layout::{Edition, Options};
use crate::model::Notice;

/// A rendered pack.
pub(crate) struct Pack {
    pub pdf: Bytes,
    pub sha256: String,
    pub pages: usize,
    /// Its notices in order: id and version id.
    pub notices: Vec<(String, String)>,
    /// The newest of its notices' dates.
    pub newest: NaiveDate,
}

/// Rendered packs, bounded: emptied when full.
#[derive(Default)]
pub(super) struct PackCache(Mutex<BTreeMap<String, Arc<Pack>>>);

impl PackCache {
    /// At most this many packs are kept (the whole pack is about 100 KB).
    const MAX: usize = 64;

    fn get(&self, key: &str) -> Option<Arc<Pack>> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
    }

    fn put(&self, key: String, pack: Arc<Pack>) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= Self::MAX {
            map.clear();
        }
        map.insert(key, pack);
    }
}

/// The pack of `ids` (every notice when `None`) in `edition`, from the cache or rendered now.
/// Unknown ids are [`Error::UnknownNotices`]; no collection is [`Error::NoCollection`].
pub(super) fn pack(
    state: &AppState,
    snap: &Snapshot,
    ids: Option<&[String]>,
    edition: Edition,
) -> Result<Arc<Pack>> {
    let collection = snap
        .collection
        .as_deref()
        .ok_or(Error::NoCollection { dir: ".".into() })?;
    let notices: Vec<&Notice> = snap.notices.values().map(|e| &e.loaded.notice).collect();
    let selected = crate::render::pack_selection(collection, &notices, ids)?;
    let key = format!(
        "{} {} {}",
        snap.pack_key,
        edition.key(),
        selected
            .iter()
            .map(|n| n.id.as_str())
            .collect::<Vec<_>>()
            .join(",")
    );
    if let Some(p) = state.packs.get(&key) {
        return Ok(p);
    }
    let opts = Options {
        edition,
        ..Options::default()
    };
    let (dl, pdf) = crate::render::render_pack(collection, &selected, &notices, &opts)?;
    let pack = Arc::new(Pack {
        sha256: crate::sha256_hex(&pdf),
        pdf: Bytes::from(pdf),
        pages: dl.pages.len(),
        notices: selected
            .iter()
            .map(|n| (n.id.clone(), n.version.clone().unwrap_or_default()))
            .collect(),
        newest: selected
            .iter()
            .map(|n| n.updated)
            .max()
            .expect("a pack is not empty"),
    });
    state.packs.put(key, pack.clone());
    Ok(pack)
}

/// Renders the whole pack in every edition ahead of the first request (at start-up and after
/// a reload that changed it). A pack that cannot be made is left to the request to report.
pub(super) fn prepare(state: &AppState, snap: &Snapshot) {
    if snap.collection.is_none() {
        return;
    }
    for edition in Edition::ALL {
        let _ = pack(state, snap, None, edition);
    }
}

/// The whole pack in `edition`, if it is ready (for the page's page counts).
pub(super) fn ready(state: &AppState, snap: &Snapshot, edition: Edition) -> Option<Arc<Pack>> {
    snap.collection.as_ref()?;
    pack(state, snap, None, edition).ok()
}

/// A request's selection from its query: `ids` as a comma-separated list, repeated, or both
/// (a form sends one `ids` per checked box); empty values are ignored. `None`: every notice.
/// Also the edition and whether the request came from the page's selection form.
pub(super) struct Request {
    pub ids: Option<Vec<String>>,
    pub edition: Option<Edition>,
    /// The form's "download the chosen" button: an empty choice is a mistake, not "all".
    pub chosen: bool,
}

pub(super) fn parse_query(query: Option<&str>) -> Request {
    let mut ids: Option<Vec<String>> = None;
    let mut edition = Some(Edition::Standard);
    let mut chosen = false;
    for (key, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match key.as_ref() {
            "ids" => ids.get_or_insert_with(Vec::new).extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned),
            ),
            "edition" => edition = Edition::ALL.into_iter().find(|e| e.key() == value),
            "valda" => chosen = true,
            _ => {}
        }
    }
    Request {
        ids: ids.filter(|v| !v.is_empty()),
        edition,
        chosen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_as_lists_or_repeated_and_empty_means_all() {
        let r = parse_query(Some("ids=rik,tjanster&ids=leverantorer&edition=large"));
        assert_eq!(
            r.ids.unwrap(),
            ["rik", "tjanster", "leverantorer"].map(String::from)
        );
        assert_eq!(r.edition, Some(Edition::Large));
        let r = parse_query(Some("ids=&edition=standard"));
        assert!(r.ids.is_none() && !r.chosen);
        assert!(parse_query(None).ids.is_none());
        assert_eq!(parse_query(Some("edition=huge")).edition, None);
        assert!(parse_query(Some("valda=1")).chosen);
    }
}
