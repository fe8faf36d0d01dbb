//! The HTTP routes: PDFs, thumbnails, JSON, health, the page; caching by content hash and the
//! security headers every response carries.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Extension, Path as UrlPath, Query, RawQuery, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use super::audit::{self, Tracker};
use super::snapshot::{AppState, Snapshot};
use crate::layout::Edition;

/// Resolution of page thumbnails, dpi.
const THUMB_DPI: f32 = 36.0;

/// The page's style sheet (served from `/style.css`: the CSP allows no inline style).
const CSS: &str = include_str!("page.css");

/// Content-Security-Policy of every response: our own style sheet, script (the page counts of
/// a selection) and images, nothing else, no framing.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; \
                   connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// PNG thumbnails made on first request: a bounded map, emptied when full.
#[derive(Default)]
pub(super) struct ThumbCache(Mutex<BTreeMap<(String, usize), (Bytes, String)>>);

impl ThumbCache {
    /// At most this many thumbnails are kept (at 36 dpi about 5 KB each).
    const MAX: usize = 512;

    fn get_or(&self, key: (String, usize), f: impl FnOnce() -> (Bytes, String)) -> (Bytes, String) {
        let lock = || self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = lock().get(&key) {
            return v.clone();
        }
        let v = f();
        let mut map = lock();
        if map.len() >= Self::MAX {
            map.clear();
        }
        map.insert(key, v.clone());
        v
    }
}

#[derive(Clone)]
pub(super) struct Ctx {
    pub state: Arc<AppState>,
}

/// The HTTP routes. The connection loop adds each connection's audit [`Tracker`] to its
/// requests.
pub(super) fn router(state: Arc<AppState>, request_timeout: Duration) -> Router {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    Router::new()
        .route("/", get(index))
        .route("/style.css", get(style))
        .route("/healthz", get(healthz))
        .route("/notices", get(list))
        .route("/notices/{file}", get(pdf))
        .route("/notices/{id}/pages/{file}", get(page_png))
        .route("/pack.pdf", get(pack_pdf))
        .route("/pack.json", get(pack_json))
        .route("/pack.html", get(pack_html))
        .route("/page.js", get(script))
        .fallback(not_found)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            request_timeout,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(1024))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // A response may narrow or widen the policy for itself (the HTML alternative allows its
        // own inline style sheet by hash); every other response gets this one.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .with_state(Ctx { state })
}

#[derive(Deserialize)]
struct EditionQuery {
    edition: Option<String>,
}

fn parse_edition(q: &EditionQuery) -> Option<Edition> {
    match q.edition.as_deref() {
        None => Some(Edition::Standard),
        Some(key) => Edition::ALL.into_iter().find(|e| e.key() == key),
    }
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

/// Whether the request's `If-None-Match` names `etag`.
fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

/// A cacheable response: 304 when the client has it already.
/// `body` is made only when it is sent.
fn cached(
    headers: &HeaderMap,
    sha256: &str,
    content_type: &'static str,
    body: impl FnOnce() -> Body,
) -> Response {
    let etag = format!("\"{sha256}\"");
    let mut resp = if matches_etag(headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = Response::new(body());
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        r
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    resp
}

async fn pdf(
    State(ctx): State<Ctx>,
    UrlPath(file): UrlPath<String>,
    Query(q): Query<EditionQuery>,
    method: Method,
    tracker: Option<Extension<Arc<Tracker>>>,
    headers: HeaderMap,
) -> Response {
    let snap = ctx.state.current();
    if let Some(id) = file.strip_suffix(".html") {
        return match snap.notices.get(id) {
            Some(entry) => html_alternative(&headers, crate::html::notice(&entry.loaded.notice)),
            None => not_found().await,
        };
    }
    let (Some(id), Some(edition)) = (file.strip_suffix(".pdf"), parse_edition(&q)) else {
        return not_found().await;
    };
    let Some(entry) = snap.notices.get(id) else {
        return not_found().await;
    };
    let r = &entry.editions[&edition];
    let n = &entry.loaded.notice;
    // The audit trail: which version went out (see `audit`; not for HEAD or a 304). No request
    // data, so no personal data.
    let body = || match tracker {
        Some(Extension(tracker)) if method == Method::GET => {
            let line = format!(
                "id={} version={} version_id={} edition={} sha256={}",
                n.id,
                n.updated,
                &entry.loaded.source_sha256[..8],
                edition.key(),
                &r.sha256[..12]
            );
            audit::body(r.pdf.clone(), line, tracker)
        }
        _ => Body::from(r.pdf.clone()),
    };
    let mut resp = cached(&headers, &r.sha256, "application/pdf", body);
    if resp.status() == StatusCode::OK {
        let name = crate::sv::download_name(&n.id, n.updated, edition);
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    resp
}

/// The pack of a selection, or of everything: `?ids=a,b` (or `ids` repeated) and
/// `edition=large`. The order is the collection's; unknown ids are 404.
async fn pack_pdf(
    State(ctx): State<Ctx>,
    RawQuery(query): RawQuery,
    method: Method,
    tracker: Option<Extension<Arc<Tracker>>>,
    headers: HeaderMap,
) -> Response {
    let pack = match pack_for(&ctx, query.as_deref()).await {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let (edition, pack) = pack;
    let line = format!(
        "pack={} notices={} edition={} sha256={}",
        crate::sv::PACK_ID,
        pack.notices
            .iter()
            .map(|(id, v)| format!("{id}@{v}"))
            .collect::<Vec<_>>()
            .join(","),
        edition.key(),
        &pack.sha256[..12]
    );
    let body = || match tracker {
        Some(Extension(tracker)) if method == Method::GET => {
            audit::body(pack.pdf.clone(), line, tracker)
        }
        _ => Body::from(pack.pdf.clone()),
    };
    let mut resp = cached(&headers, &pack.sha256, "application/pdf", body);
    if resp.status() == StatusCode::OK {
        let name = crate::sv::pack_download_name(pack.newest, edition);
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    resp
}

/// The HTML alternative of a pack: `/pack.html?ids=a,b` (none: all), in the collection's order.
async fn pack_html(
    State(ctx): State<Ctx>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let req = super::pack::parse_query(query.as_deref());
    let snap = ctx.state.current();
    let Some(collection) = snap.collection.as_deref() else {
        return not_found().await;
    };
    let notices: Vec<&crate::Notice> = snap.notices.values().map(|e| &e.loaded.notice).collect();
    match crate::render::pack_selection(collection, &notices, req.ids.as_deref()) {
        Ok(selected) => {
            html_alternative(&headers, crate::html::pack(collection, &selected, &notices))
        }
        Err(e) => (StatusCode::NOT_FOUND, format!("{e}\n")).into_response(),
    }
}

/// An HTML alternative: cacheable by its hash, its own inline style sheet allowed by hash.
fn html_alternative(headers: &HeaderMap, html: String) -> Response {
    static CSP_HTML: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use base64::Engine;
        use sha2::Digest;
        let hash = base64::engine::general_purpose::STANDARD
            .encode(sha2::Sha256::digest(crate::html::CSS.as_bytes()));
        format!(
            "default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
    });
    let sha = crate::sha256_hex(html.as_bytes());
    let mut resp = cached(headers, &sha, "text/html; charset=utf-8", || {
        Body::from(html)
    });
    if let Ok(v) = HeaderValue::from_str(&CSP_HTML) {
        resp.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, v);
    }
    resp
}

/// What `/pack.pdf` with the same query would hand out: its notices, pages and size (the
/// page shows the page count of a selection with it).
async fn pack_json(State(ctx): State<Ctx>, RawQuery(query): RawQuery) -> Response {
    let (edition, pack) = match pack_for(&ctx, query.as_deref()).await {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let body = serde_json::json!({
        "notices": pack.notices.iter().map(|(id, _)| id).collect::<Vec<_>>(),
        "versions": pack.notices.iter().map(|(_, v)| v).collect::<Vec<_>>(),
        "edition": edition.key(),
        "pages": pack.pages,
        "bytes": pack.pdf.len(),
        "sha256": pack.sha256,
    });
    json(StatusCode::OK, &body)
}

/// The pack a query asks for, rendered off the async threads; or the response saying why not.
async fn pack_for(
    ctx: &Ctx,
    query: Option<&str>,
) -> Result<(Edition, Arc<super::pack::Pack>), Response> {
    let req = super::pack::parse_query(query);
    let Some(edition) = req.edition else {
        return Err(not_found().await);
    };
    if req.chosen && req.ids.is_none() {
        return Err((
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Välj minst ett dokument.\n",
        )
            .into_response());
    }
    let state = ctx.state.clone();
    let snap = state.current();
    let done = tokio::task::spawn_blocking(move || {
        super::pack::pack(&state, &snap, req.ids.as_deref(), edition)
    })
    .await;
    match done {
        Ok(Ok(pack)) => Ok((edition, pack)),
        Ok(Err(e @ (crate::Error::UnknownNotices { .. } | crate::Error::NoCollection { .. }))) => {
            Err((StatusCode::NOT_FOUND, format!("{e}\n")).into_response())
        }
        _ => Err((
            StatusCode::INTERNAL_SERVER_ERROR,
            "the pack could not be made\n",
        )
            .into_response()),
    }
}

async fn page_png(
    State(ctx): State<Ctx>,
    UrlPath((id, file)): UrlPath<(String, String)>,
    Query(q): Query<EditionQuery>,
    headers: HeaderMap,
) -> Response {
    let snap = ctx.state.current();
    let (Some(entry), Some(edition)) = (snap.notices.get(&id), parse_edition(&q)) else {
        return not_found().await;
    };
    let r = &entry.editions[&edition];
    let page = file
        .strip_suffix(".png")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| (1..=r.display.pages.len()).contains(n));
    let Some(page) = page else {
        return not_found().await;
    };
    let (png, sha) = ctx.state.thumbs.get_or((r.sha256.clone(), page), || {
        let img = crate::preview::Rasterizer::default().page(&r.display.pages[page - 1], THUMB_DPI);
        let png = crate::preview::encode_png(&img);
        let sha = crate::sha256_hex(&png);
        (Bytes::from(png), sha)
    });
    cached(&headers, &sha, "image/png", || Body::from(png))
}

/// The page's script (served from `/page.js`: the CSP allows no inline script).
const SCRIPT: &str = include_str!("page.js");

async fn script(headers: HeaderMap) -> Response {
    static SHA: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| crate::sha256_hex(SCRIPT.as_bytes()));
    cached(&headers, &SHA, "text/javascript; charset=utf-8", || {
        Body::from(SCRIPT)
    })
}

async fn style(headers: HeaderMap) -> Response {
    static SHA: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| crate::sha256_hex(CSS.as_bytes()));
    cached(&headers, &SHA, "text/css; charset=utf-8", || {
        Body::from(CSS)
    })
}

/// One notice in `GET /notices`.
#[derive(Serialize)]
struct NoticeInfo {
    id: String,
    title: String,
    language: String,
    updated: String,
    editions: BTreeMap<&'static str, EditionInfo>,
}

#[derive(Serialize)]
struct EditionInfo {
    url: String,
    pages: usize,
    bytes: usize,
    sha256: String,
    filename: String,
}

fn infos(snap: &Snapshot) -> Vec<NoticeInfo> {
    snap.notices
        .values()
        .map(|e| {
            let n = &e.loaded.notice;
            let editions = e
                .editions
                .iter()
                .map(|(ed, r)| {
                    let info = EditionInfo {
                        url: pdf_url(&n.id, *ed),
                        pages: r.display.pages.len(),
                        bytes: r.pdf.len(),
                        sha256: r.sha256.clone(),
                        filename: crate::sv::download_name(&n.id, n.updated, *ed),
                    };
                    (ed.key(), info)
                })
                .collect();
            NoticeInfo {
                id: n.id.clone(),
                title: n.title.clone(),
                language: n.language.clone(),
                updated: n.updated.to_string(),
                editions,
            }
        })
        .collect()
}

/// Where an edition of a notice is served.
pub(super) fn pdf_url(id: &str, edition: Edition) -> String {
    match edition {
        Edition::Standard => format!("/notices/{id}.pdf"),
        other => format!("/notices/{id}.pdf?edition={}", other.key()),
    }
}

fn json(status: StatusCode, value: &impl Serialize) -> Response {
    let mut body = serde_json::to_vec_pretty(value).unwrap_or_default();
    body.push(b'\n');
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn list(State(ctx): State<Ctx>) -> Response {
    json(StatusCode::OK, &infos(&ctx.state.current()))
}

/// 200 while every data file is valid; 503 naming each problem (path relative to the data
/// directory, line, column, field) while any is not.
async fn healthz(State(ctx): State<Ctx>) -> Response {
    let snap = ctx.state.current();
    let ok = snap.problems.is_empty();
    let body = serde_json::json!({
        "status": if ok { "ok" } else { "error" },
        "notices": snap.notices.len(),
        "problems": snap.problems,
    });
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    json(status, &body)
}

async fn index(State(ctx): State<Ctx>) -> Response {
    let state = ctx.state.clone();
    let html = tokio::task::spawn_blocking(move || {
        let snap = state.current();
        let pages = Edition::ALL.map(|e| super::pack::ready(&state, &snap, e).map(|p| p.pages));
        super::page::index(&snap, pages)
    })
    .await
    .unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_match_lists_and_weak_tags() {
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"a\", W/\"b\""),
        );
        assert!(matches_etag(&h, "\"b\""));
        assert!(!matches_etag(&h, "\"c\""));
    }

    #[test]
    fn thumbnail_cache_is_bounded() {
        let cache = ThumbCache::default();
        for i in 0..ThumbCache::MAX * 3 {
            cache.get_or((String::new(), i), || (Bytes::new(), String::new()));
            assert!(cache.0.lock().unwrap().len() <= ThumbCache::MAX);
        }
    }
}
