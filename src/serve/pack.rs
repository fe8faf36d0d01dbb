//! Packs over HTTP: a selection of the collection's notices (or all of them) as one PDF. The
//! selection is put in the collection's order first, so that the same notices are always the
//! same bytes, the same ETag and one cache entry, whatever order a request names them in.
//!
//! One set of rules for every pack route (`/pack.pdf`, `/pack.json`, `/pack.html`):
//! [`select`]. One notice chosen is that notice's own document (a collection is not needed
//! for it); every notice chosen is the whole pack. A pack is whole or refused: a notice the collection places but the server
//! cannot serve (invalid from the start, say) makes every pack that holds it a refusal naming
//! it and why, never a document without it.
//!
//! At most [`super::Limits::pack_renders`] packs are rendered at once; a request that finds
//! them all busy waits [`super::Limits::render_wait`] and is then refused with 503 and
//! `Retry-After`. A request whose client goes away or times out while it waits is dropped
//! with its wait; a render that has started runs to its end (its pack is cached).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::snapshot::{AppState, Pack, Snapshot};
use crate::layout::{Edition, Options};
use crate::model::{Collection, Notice};

/// What a pack request asks for, checked against the snapshot.
#[derive(Clone)]
pub(super) struct Selection {
    pub edition: Edition,
    /// The chosen ids in the collection's order.
    pub ids: Vec<String>,
    /// Every notice of the collection (no `ids`, or every one of them).
    pub whole: bool,
}

/// Why a pack request is refused; one wording for every pack route.
#[derive(Debug, PartialEq)]
pub(super) enum Refusal {
    /// `edition=` names no edition.
    Edition(String),
    /// The page's form was sent with nothing chosen.
    EmptyChoice,
    /// There is no collection (`removed`: its file was removed while serving).
    NoCollection { removed: bool },
    /// The collection file is there but was never valid in this process: its first problem.
    InvalidCollection(String),
    /// Ids the collection does not place.
    Unknown(Vec<String>),
    /// Notices the collection places that are not served now: id and why.
    Unavailable(Vec<(String, String)>),
    /// Every render slot stayed busy for the whole wait.
    Busy { retry_after: Duration },
    /// The render failed (an internal error; its details go to the server log).
    Failed,
}

impl Refusal {
    pub(super) fn response(&self) -> Response {
        let (status, text) = match self {
            Refusal::Edition(e) => (
                StatusCode::NOT_FOUND,
                format!(
                    "no edition {}: the editions are {}",
                    crate::error::quoted(e),
                    Edition::ALL.map(|e| e.key()).join(", ")
                ),
            ),
            Refusal::EmptyChoice => (StatusCode::BAD_REQUEST, "Välj minst ett dokument.".into()),
            Refusal::NoCollection { removed: false } => (
                StatusCode::NOT_FOUND,
                "no collection: a pack needs collection.toml".into(),
            ),
            Refusal::NoCollection { removed: true } => (
                StatusCode::NOT_FOUND,
                "no collection: collection.toml was removed, and a pack needs it".into(),
            ),
            Refusal::InvalidCollection(why) => (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("the collection is not valid: {why}"),
            ),
            Refusal::Unknown(ids) => {
                let quoted: Vec<String> = ids.iter().map(|i| crate::error::quoted(i)).collect();
                (
                    StatusCode::NOT_FOUND,
                    format!("no notice with the id {}", quoted.join(", ")),
                )
            }
            Refusal::Unavailable(list) => (
                StatusCode::SERVICE_UNAVAILABLE,
                list.iter()
                    .map(|(id, why)| format!("notice \"{id}\" is not available: {why}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            Refusal::Busy { retry_after } => (
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "busy: every pack render is in use; try again in {} s",
                    retry_after.as_secs().max(1)
                ),
            ),
            Refusal::Failed => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the pack could not be made: an internal error in notice-pdf (the server log has the details)".into(),
            ),
        };
        let mut resp = (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{text}\n"),
        )
            .into_response();
        if let Refusal::Busy { retry_after } = self
            && let Ok(v) = HeaderValue::from_str(&retry_after.as_secs().max(1).to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}

/// The pack a request's query asks for, by the one set of rules: the edition is known, a
/// form's choice is not empty, there is a collection, it places every id, and every notice
/// of the selection is served now.
pub(super) fn select(snap: &Snapshot, query: Option<&str>) -> Result<Selection, Refusal> {
    let req = parse_query(query);
    let edition = match req.edition {
        Ok(e) => e,
        Err(name) => return Err(Refusal::Edition(name)),
    };
    if req.chosen && req.ids.is_none() {
        return Err(Refusal::EmptyChoice);
    }
    let Some(collection) = snap.collection.as_deref() else {
        // One served notice needs no collection: it is handed out as itself.
        if let Some([id]) = req.ids.as_deref()
            && snap.notices.contains_key(id)
        {
            return Ok(Selection {
                edition,
                ids: vec![id.clone()],
                whole: false,
            });
        }
        if let Some(file) = &snap.collection_file
            && let Some(p) = snap.problems.iter().find(|p| &p.file == file)
            && !snap.collection_removed
        {
            // Root causes first: the chosen notices that are not served, and why.
            let unavailable: Vec<(String, String)> = snap
                .unavailable
                .iter()
                .filter(|(id, _)| req.ids.as_ref().is_none_or(|ids| ids.contains(id)))
                .map(|(id, why)| (id.clone(), why.clone()))
                .collect();
            if !unavailable.is_empty() {
                return Err(Refusal::Unavailable(unavailable));
            }
            return Err(Refusal::InvalidCollection(p.to_string()));
        }
        return Err(Refusal::NoCollection {
            removed: snap.collection_removed,
        });
    };
    let placed: Vec<&str> = collection.order().collect();
    if let Some(ids) = &req.ids {
        let mut unknown: Vec<String> = Vec::new();
        for id in ids {
            if !placed.contains(&id.as_str()) && !unknown.contains(id) {
                unknown.push(id.clone());
            }
        }
        if !unknown.is_empty() {
            return Err(Refusal::Unknown(unknown));
        }
    }
    let wanted = |id: &str| {
        req.ids
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|i| i == id))
    };
    let ids: Vec<String> = placed
        .iter()
        .filter(|id| wanted(id))
        .map(|id| id.to_string())
        .collect();
    let unavailable: Vec<(String, String)> = ids
        .iter()
        .filter(|id| !snap.notices.contains_key(*id))
        .map(|id| {
            let why = snap
                .unavailable
                .get(id)
                .cloned()
                .unwrap_or_else(|| format!("no data file has the id \"{id}\""));
            (id.clone(), why)
        })
        .collect();
    if !unavailable.is_empty() {
        return Err(Refusal::Unavailable(unavailable));
    }
    if ids.is_empty() {
        // A collection with no notices is an error of the collection, reported by /healthz.
        return Err(Refusal::Unknown(Vec::new()));
    }
    // Every notice chosen is the whole pack, the same document as asking for all; but one
    // notice chosen is that notice, even when the collection has no other.
    let whole = req.ids.is_none() || (ids.len() == placed.len() && ids.len() > 1);
    Ok(Selection {
        edition,
        ids,
        whole,
    })
}

/// The collection, the selected notices in order and every served notice.
pub(super) fn parts<'a>(
    snap: &'a Snapshot,
    sel: &Selection,
) -> Option<(&'a Collection, Vec<&'a Notice>, Vec<&'a Notice>)> {
    let collection = snap.collection.as_deref()?;
    let selected = sel
        .ids
        .iter()
        .map(|id| snap.notices.get(id).map(|e| &e.loaded.notice))
        .collect::<Option<Vec<_>>>()?;
    let all = snap.notices.values().map(|e| &e.loaded.notice).collect();
    Some((collection, selected, all))
}

/// The cache key of a selection in a snapshot.
fn key(snap: &Snapshot, sel: &Selection) -> String {
    format!(
        "{} {} {}",
        snap.pack_key,
        sel.edition.key(),
        sel.ids.join(",")
    )
}

/// Renders a selection (on a blocking thread). `Err`: what the server log gets.
fn render(snap: &Snapshot, sel: &Selection) -> Result<Pack, String> {
    let (collection, selected, all) =
        parts(snap, sel).ok_or_else(|| "the selection is not served".to_string())?;
    let opts = Options {
        edition: sel.edition,
        ..Options::default()
    };
    let doc = crate::Document::Pack {
        collection,
        selected: &selected,
        all: &all,
    };
    let (dl, pdf) = crate::render::render(doc, &opts)
        .map(|r| (r.display, r.pdf))
        .map_err(|e| e.to_string())?;
    Ok(Pack {
        sha256: crate::sha256_hex(&pdf),
        pdf: Bytes::from(pdf),
        pages: dl.pages.len(),
        notices: selected
            .iter()
            .map(|n| (n.id.clone(), n.version.as_deref().unwrap_or("-").to_owned()))
            .collect(),
        newest: selected.iter().map(|n| n.updated).max().unwrap_or_default(),
        alone: None,
    })
}

/// A selection of one notice: its own document in the edition asked for, as served at
/// `/notices/<id>.pdf` (the same bytes), when the snapshot has it.
fn alone(snap: &Snapshot, sel: &Selection) -> Option<Pack> {
    let [id] = sel.ids.as_slice() else {
        return None;
    };
    if sel.whole {
        return None;
    }
    let entry = snap.notices.get(id)?;
    let r = entry.editions.get(&sel.edition)?;
    let n = &entry.loaded.notice;
    Some(Pack {
        pdf: r.pdf.clone(),
        sha256: r.sha256.clone(),
        pages: r.display.pages.len(),
        notices: vec![(id.clone(), n.version.as_deref().unwrap_or("-").to_owned())],
        newest: n.updated,
        alone: Some(id.clone()),
    })
}

/// The pack of `sel`: the snapshot's whole pack, a cached one, or rendered now within the
/// bounds (see the module docs).
pub(super) async fn pack(
    state: &Arc<AppState>,
    snap: Arc<Snapshot>,
    sel: Selection,
) -> Result<Arc<Pack>, Refusal> {
    if sel.whole
        && let Some(p) = snap.whole.get(&sel.edition)
    {
        return Ok(p.clone());
    }
    if let Some(p) = alone(&snap, &sel) {
        return Ok(Arc::new(p));
    }
    let key = key(&snap, &sel);
    if let Some(p) = state.packs.get(&key) {
        return Ok(p);
    }
    let wait = state.limits.render_wait;
    let permit = match tokio::time::timeout(wait, state.pack_renders.clone().acquire_owned()).await
    {
        Ok(Ok(permit)) => permit,
        _ => {
            return Err(Refusal::Busy {
                retry_after: wait.max(Duration::from_secs(1)),
            });
        }
    };
    // Made by another request while this one waited?
    if let Some(p) = state.packs.get(&key) {
        return Ok(p);
    }
    let worker = state.clone();
    let done = tokio::task::spawn_blocking(move || {
        worker
            .packs_made
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let started = std::time::Instant::now();
        let rendered = render(&snap, &sel);
        worker.metrics.renders.inc();
        worker
            .metrics
            .render_seconds
            .observe(started.elapsed().as_secs_f64());
        drop(snap);
        let out = rendered.map(|p| {
            let p = Arc::new(p);
            worker.packs.put(key, p.clone(), p.pdf.len());
            p
        });
        drop(permit);
        idle_trim(&worker);
        out
    })
    .await;
    match done {
        Ok(Ok(p)) => Ok(p),
        Ok(Err(detail)) => {
            (state.log)(&format!("error: a pack could not be made: {detail}"));
            Err(Refusal::Failed)
        }
        Err(_) => Err(Refusal::Failed),
    }
}

/// When no pack render is running, hands memory back: krilla's memo of old renders, and the
/// allocator's free pages (so that the process shrinks after a burst).
fn idle_trim(state: &AppState) {
    if state.pack_renders.available_permits() < state.limits.pack_renders.max(1) {
        return;
    }
    comemo::evict(2);
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the C allocator.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Renders the whole pack in every edition with a new snapshot (at start-up and after a
/// reload that changed it; the old one's when nothing it reads changed). A pack that cannot
/// be made is left to the request to report.
pub(super) fn prepare(snap: &Snapshot, old: &Snapshot) -> BTreeMap<Edition, Arc<Pack>> {
    if !old.whole.is_empty() && old.pack_key == snap.pack_key {
        return old.whole.clone();
    }
    let mut out = BTreeMap::new();
    for edition in Edition::ALL {
        let query = format!("edition={}", edition.key());
        if let Ok(sel) = select(snap, Some(&query))
            && let Ok(p) = render(snap, &sel)
        {
            out.insert(edition, Arc::new(p));
        }
    }
    out
}

/// A request's selection from its query: `ids` as a comma-separated list, repeated, or both
/// (a form sends one `ids` per checked box); empty values are ignored. `None`: every notice.
/// Also the edition and whether the request came from the page's selection form.
pub(super) struct Request {
    pub ids: Option<Vec<String>>,
    /// The edition asked for, or the name that is none.
    pub edition: Result<Edition, String>,
    /// The form's "download the chosen" button: an empty choice is a mistake, not "all".
    pub chosen: bool,
}

pub(super) fn parse_query(query: Option<&str>) -> Request {
    let mut ids: Option<Vec<String>> = None;
    let mut edition = Ok(Edition::Standard);
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
            "edition" => {
                edition = value
                    .parse::<Edition>()
                    .map_err(|_| value.chars().take(40).collect())
            }
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
        assert_eq!(r.edition, Ok(Edition::Large));
        let r = parse_query(Some("ids=&edition=standard"));
        assert!(r.ids.is_none() && !r.chosen);
        assert!(parse_query(None).ids.is_none());
        assert_eq!(
            parse_query(Some("edition=huge")).edition,
            Err("huge".to_string())
        );
        assert!(parse_query(Some("valda=1")).chosen);
    }

    #[test]
    fn every_refusal_is_plain_text_with_its_status() {
        for (r, status) in [
            (Refusal::Edition("huge".into()), 404),
            (Refusal::EmptyChoice, 400),
            (Refusal::NoCollection { removed: true }, 404),
            (Refusal::InvalidCollection("collection.toml: x".into()), 503),
            (Refusal::Unknown(vec!["x".into()]), 404),
            (
                Refusal::Unavailable(vec![("rik".into(), "rik.toml: x".into())]),
                503,
            ),
            (
                Refusal::Busy {
                    retry_after: Duration::from_secs(5),
                },
                503,
            ),
            (Refusal::Failed, 500),
        ] {
            let resp = r.response();
            assert_eq!(resp.status().as_u16(), status, "{r:?}");
            assert_eq!(
                resp.headers()[header::CONTENT_TYPE],
                "text/plain; charset=utf-8"
            );
        }
        let busy = Refusal::Busy {
            retry_after: Duration::from_secs(5),
        }
        .response();
        assert_eq!(busy.headers()[header::RETRY_AFTER], "5");
    }
}
