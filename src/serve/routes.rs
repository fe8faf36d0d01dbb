//! The HTTP routes: PDFs, thumbnails, JSON, health, the page and its search; caching by
//! content hash and the security headers every response carries.

use std::collections::BTreeMap;
use std::sync::Arc;
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
        .route("/search.json", get(search_json))
        .route("/logo", get(logo))
        .route("/style.css", get(style))
        .route("/healthz", get(healthz))
        .route("/livez", get(livez))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/notices", get(list))
        .route("/notices/{file}", get(pdf))
        .route("/notices/{id}/pages/{file}", get(page_png))
        .route("/pack.pdf", get(pack_pdf))
        .route("/pack.json", get(pack_json))
        .route("/pack.html", get(pack_html))
        .route("/page.js", get(script))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), counted))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            request_timeout,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(1024))
        .layer(header(
            header::X_CONTENT_TYPE_OPTIONS,
            super::SECURITY_HEADERS[0].1,
        ))
        // A response may narrow or widen the policy for itself (the HTML alternative allows its
        // own inline style sheet by hash); every other response gets this one.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(super::SECURITY_HEADERS[1].1),
        ))
        .layer(header(
            header::REFERRER_POLICY,
            super::SECURITY_HEADERS[2].1,
        ))
        .layer(header(
            header::X_FRAME_OPTIONS,
            super::SECURITY_HEADERS[3].1,
        ))
        .with_state(Ctx { state })
}

#[derive(Deserialize)]
struct EditionQuery {
    edition: Option<String>,
}

fn parse_edition(q: &EditionQuery) -> Option<Edition> {
    match q.edition.as_deref() {
        None => Some(Edition::Standard),
        Some(key) => key.parse().ok(),
    }
}

/// A notice that is not served: unavailable (its data has a problem, said as the pack routes
/// say it), or unknown.
async fn missing(snap: &Snapshot, id: &str) -> Response {
    match snap.unavailable.get(id) {
        Some(why) => {
            super::pack::Refusal::Unavailable(vec![(id.to_owned(), why.clone())]).response()
        }
        None => not_found().await,
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
            None => missing(&snap, id).await,
        };
    }
    let Some(id) = file.strip_suffix(".pdf") else {
        return not_found().await;
    };
    let Some(edition) = parse_edition(&q) else {
        let asked = q.edition.clone().unwrap_or_default();
        return super::pack::Refusal::Edition(asked).response();
    };
    let Some(entry) = snap.notices.get(id) else {
        return missing(&snap, id).await;
    };
    let r = &entry.editions[&edition];
    let n = &entry.loaded.notice;
    // The audit trail: which version went out (see `audit`; not for HEAD or a 304). No request
    // data, so no personal data.
    let body = || match tracker {
        Some(Extension(tracker)) if method == Method::GET => {
            let subject = crate::audit::Subject::Notice {
                id: n.id.clone(),
                version: n.updated.to_string(),
                version_id: crate::VersionId::of_sha256(&entry.loaded.source_sha256).to_string(),
                edition: edition.key().to_owned(),
                sha256: r.sha256[..12].to_owned(),
            };
            audit::body(r.pdf.clone(), subject, tracker)
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
/// `edition=large`. The order is the collection's; refusals follow [`super::pack::select`].
async fn pack_pdf(
    State(ctx): State<Ctx>,
    RawQuery(query): RawQuery,
    method: Method,
    tracker: Option<Extension<Arc<Tracker>>>,
    headers: HeaderMap,
) -> Response {
    let (edition, pack) = match pack_for(&ctx, query.as_deref()).await {
        Ok(p) => p,
        Err(super::pack::Refusal::EmptyChoice) => return empty_choice(&ctx),
        Err(refusal) => return refusal.response(),
    };
    let subject = match (&pack.alone, pack.notices.as_slice()) {
        // One notice chosen went out as itself: audited as `/notices/{id}.pdf` is.
        (Some(id), [(_, version_id)]) => crate::audit::Subject::Notice {
            id: id.clone(),
            version: pack.newest.to_string(),
            version_id: version_id.to_string(),
            edition: edition.key().to_owned(),
            sha256: pack.sha256[..12].to_owned(),
        },
        _ => crate::audit::Subject::Pack {
            notices: pack
                .notices
                .iter()
                .map(|(id, v)| crate::audit::PackMember {
                    id: id.clone(),
                    version_id: v.to_string(),
                })
                .collect(),
            edition: edition.key().to_owned(),
            sha256: pack.sha256[..12].to_owned(),
        },
    };
    let body = || match tracker {
        Some(Extension(tracker)) if method == Method::GET => {
            audit::body(pack.pdf.clone(), subject, tracker)
        }
        _ => Body::from(pack.pdf.clone()),
    };
    let mut resp = cached(&headers, &pack.sha256, "application/pdf", body);
    if resp.status() == StatusCode::OK {
        let name = match &pack.alone {
            Some(id) => crate::sv::download_name(id, pack.newest, edition),
            None => crate::sv::pack_download_name(pack.newest, edition),
        };
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    resp
}

/// The HTML alternative of a pack: `/pack.html?ids=a,b` (none: all), in the collection's
/// order, by the same rules as `/pack.pdf` (its edition is checked, though the HTML is one),
/// made on the blocking pool within the same bound as the PDF packs.
async fn pack_html(
    State(ctx): State<Ctx>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let snap = ctx.state.current();
    let sel = match super::pack::select(&snap, query.as_deref()) {
        Ok(sel) => sel,
        Err(super::pack::Refusal::EmptyChoice) => return empty_choice(&ctx),
        Err(refusal) => return refusal.response(),
    };
    // Within the same bound as the PDF packs.
    let wait = ctx.state.limits.render_wait;
    let Ok(Ok(permit)) =
        tokio::time::timeout(wait, ctx.state.pack_renders.clone().acquire_owned()).await
    else {
        return super::pack::Refusal::Busy {
            retry_after: wait.max(Duration::from_secs(1)),
        }
        .response();
    };
    let html = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // One notice chosen: its own page, as the PDF is its own document.
            if let [id] = sel.ids.as_slice()
                && !sel.whole
            {
                return snap
                    .notices
                    .get(id)
                    .map(|e| crate::html::notice(&e.loaded.notice));
            }
            let (collection, selected, all) = super::pack::parts(&snap, &sel)?;
            Some(crate::html::pack(collection, &selected, &all))
        }))
        .ok()
        .flatten()
    })
    .await;
    match html {
        Ok(Some(html)) => html_alternative(&headers, html),
        _ => super::pack::Refusal::Failed.response(),
    }
}

/// An HTML alternative: cacheable by its hash, its own inline style sheet allowed by hash, its
/// logo (a `data:` picture inside the file) shown.
fn html_alternative(headers: &HeaderMap, html: String) -> Response {
    static CSP_HTML: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use base64::Engine;
        use sha2::Digest;
        let hash = base64::engine::general_purpose::STANDARD
            .encode(sha2::Sha256::digest(crate::html::CSS.as_bytes()));
        format!(
            "default-src 'none'; style-src 'sha256-{hash}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
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
        Err(refusal) => return refusal.response(),
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

/// The pack a query asks for, rendered off the async threads within the bounds; or why not.
async fn pack_for(
    ctx: &Ctx,
    query: Option<&str>,
) -> Result<(Edition, Arc<super::snapshot::Pack>), super::pack::Refusal> {
    let snap = ctx.state.current();
    let sel = super::pack::select(&snap, query)?;
    let edition = sel.edition;
    let pack = super::pack::pack(&ctx.state, snap, sel).await?;
    Ok((edition, pack))
}

/// A page's thumbnail: rasterised on the blocking pool (never on the async threads that
/// answer every other request), at most [`super::Limits::thumb_renders`] at once; a request
/// that finds them busy for [`super::Limits::render_wait`] is refused with 503.
async fn page_png(
    State(ctx): State<Ctx>,
    UrlPath((id, file)): UrlPath<(String, String)>,
    Query(q): Query<EditionQuery>,
    headers: HeaderMap,
) -> Response {
    let snap = ctx.state.current();
    let (Some(entry), Some(edition)) = (snap.notices.get(&id).cloned(), parse_edition(&q)) else {
        return not_found().await;
    };
    let pages = entry.editions[&edition].display.pages.len();
    let page = file
        .strip_suffix(".png")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| (1..=pages).contains(n));
    let Some(page) = page else {
        return not_found().await;
    };
    let key = (entry.editions[&edition].sha256.clone(), page);
    if let Some((png, sha)) = ctx.state.thumbs.get(&key) {
        return cached(&headers, &sha, "image/png", || Body::from(png));
    }
    let wait = ctx.state.limits.render_wait;
    let Ok(Ok(permit)) =
        tokio::time::timeout(wait, ctx.state.thumb_renders.clone().acquire_owned()).await
    else {
        return super::pack::Refusal::Busy {
            retry_after: wait.max(Duration::from_secs(1)),
        }
        .response();
    };
    let state = ctx.state.clone();
    let made = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        if let Some(done) = state.thumbs.get(&key) {
            return done;
        }
        let display = &entry.editions[&edition].display;
        let img = crate::preview::Rasterizer::default().page(&display.pages[page - 1], THUMB_DPI);
        let png = crate::preview::encode_png(&img);
        let sha = crate::sha256_hex(&png);
        let made = (Bytes::from(png), sha);
        state.thumbs.put(key, made.clone(), made.0.len());
        made
    })
    .await;
    match made {
        Ok((png, sha)) => cached(&headers, &sha, "image/png", || Body::from(png)),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be drawn\n",
        )
            .into_response(),
    }
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
    summary: String,
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
    /// Whether the PDF carries the bank's seal (made at build time).
    sealed: bool,
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
                        url: super::pdf_url(&n.id, *ed),
                        pages: r.display.pages.len(),
                        bytes: r.pdf.len(),
                        sha256: r.sha256.clone(),
                        filename: crate::sv::download_name(&n.id, n.updated, *ed),
                        sealed: r.sealed,
                    };
                    (ed.key(), info)
                })
                .collect();
            NoticeInfo {
                id: n.id.clone(),
                title: n.title.clone(),
                summary: n.summary.clone(),
                language: n.language.clone(),
                updated: n.updated.to_string(),
                editions,
            }
        })
        .collect()
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
/// directory, line, column, field) while any is not, a removed collection included. Also the
/// notices the collection places that are not served, and the pack renders running now.
async fn healthz(State(ctx): State<Ctx>) -> Response {
    let snap = ctx.state.current();
    let state = &ctx.state;
    let ok = snap.problems.is_empty();
    let max = state.limits.pack_renders.max(1);
    let thumbs_max = state.limits.thumb_renders.max(1);
    let body = serde_json::json!({
        "status": if ok { "ok" } else { "error" },
        "notices": snap.notices.len(),
        "problems": snap.problems,
        "unavailable": snap.unavailable,
        "pack_renders": {
            "running": max - state.pack_renders.available_permits().min(max),
            "max": max,
            "made": state.packs_made.load(std::sync::atomic::Ordering::Relaxed),
        },
        "thumbnail_renders": {
            "running": thumbs_max - state.thumb_renders.available_permits().min(thumbs_max),
            "max": thumbs_max,
        },
        "cache_bytes": {
            "packs": state.packs.weight(),
            "thumbnails": state.thumbs.weight(),
        },
    });
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    json(status, &body)
}

/// Every answer: counted for `/metrics` by route pattern and status with its time, given a
/// request id (the client's `X-Request-Id` when it is a plain token, else one of ours) sent
/// back as `X-Request-Id`, and logged as a `tracing` event: the id, method, route pattern,
/// status and time, never a path or query a client wrote (they may hold personal data).
async fn counted(
    State(state): State<Arc<AppState>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let route = super::metrics::route_of(req.uri().path());
    let method = req.method().clone();
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_token(v))
        .map_or_else(|| state.next_request_id(), str::to_owned);
    let started = std::time::Instant::now();
    let mut resp = next.run(req).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = resp.status().as_u16();
    state.metrics.request(route, status, seconds);
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    tracing::info!(
        request_id = %id,
        method = %method,
        route,
        status,
        duration_ms = seconds * 1000.0,
        "request"
    );
    resp
}

/// A request id a client may choose: 1 to 64 letters, digits, `-`, `_` or `.`.
fn is_token(v: &str) -> bool {
    (1..=64).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// The server's metrics in the Prometheus text format.
async fn metrics(State(ctx): State<Ctx>) -> Response {
    let body = ctx.state.metrics.encode(&ctx.state);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// Liveness: the process answers (a probe that restarts it when it does not).
async fn livez() -> Response {
    json(StatusCode::OK, &serde_json::json!({ "status": "ok" }))
}

/// Readiness: 200 while the server should be sent requests; 503 while it has no valid
/// notice, while any data file is invalid (named as in `/healthz`), and while it drains
/// after SIGTERM, so that a load balancer stops sending before the process stops.
async fn readyz(State(ctx): State<Ctx>) -> Response {
    let snap = ctx.state.current();
    let draining = ctx
        .state
        .draining
        .load(std::sync::atomic::Ordering::Relaxed);
    let status = if draining {
        "draining"
    } else if snap.notices.is_empty() {
        "no valid data"
    } else if !snap.problems.is_empty() {
        "invalid data"
    } else {
        "ready"
    };
    let code = if status == "ready" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = serde_json::json!({
        "status": status,
        "notices": snap.notices.len(),
        "problems": snap.problems,
    });
    json(code, &body)
}

/// The agents' page; `?q=` shows the notices the search finds ([`super::search`]).
async fn index(State(ctx): State<Ctx>, RawQuery(query): RawQuery) -> Response {
    let query = super::search::Query::from_query_string(query.as_deref());
    page(&ctx, &query, false)
}

/// The page for a choice form sent with nothing chosen: the page again, the message next to
/// the form (400).
fn empty_choice(ctx: &Ctx) -> Response {
    page(ctx, &super::search::Query::default(), true)
}

fn page(ctx: &Ctx, query: &super::search::Query, empty_choice: bool) -> Response {
    let snap = ctx.state.current();
    let pages = Edition::ALL.map(|e| snap.whole.get(&e).map(|p| p.pages));
    let view = super::page::View {
        query,
        empty_choice,
    };
    let html = super::page::index(&snap, pages, &view);
    let status = if empty_choice {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

/// What the page's search finds: `/search.json?q=…` → the ids shown, in the page's order, and
/// the sentence the page says about them (the page's filter asks this, so that it shows what
/// `/?q=` shows).
async fn search_json(State(ctx): State<Ctx>, RawQuery(query): RawQuery) -> Response {
    let snap = ctx.state.current();
    let query = super::search::Query::from_query_string(query.as_deref());
    let ids = super::page::found(&snap, &query);
    let total = super::page::found(&snap, &super::search::Query::default()).len();
    let body = serde_json::json!({
        "query": query.text,
        "status": super::page::status(ids.len(), total, &query),
        "total": total,
        "ids": ids,
    });
    json(StatusCode::OK, &body)
}

/// The collection's logo, for the page's header: the picture as checked when the collection
/// was read, cacheable by its hash; never run as a document (its own CSP sandboxes it).
async fn logo(State(ctx): State<Ctx>, headers: HeaderMap) -> Response {
    let snap = ctx.state.current();
    let Some(picture) = snap
        .collection
        .as_deref()
        .and_then(|c| c.logo())
        .map(|(_, p)| p.clone())
    else {
        return not_found().await;
    };
    let content_type = match picture.format {
        crate::model::PictureFormat::Png => "image/png",
        crate::model::PictureFormat::Svg => "image/svg+xml",
    };
    let sha = crate::sha256_hex(&picture.data);
    let mut resp = cached(&headers, &sha, content_type, || {
        Body::from(picture.data.to_vec())
    });
    resp.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
    );
    resp
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
}
