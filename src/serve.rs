//! `notice-pdf serve`: the notices over HTTP for kundservice agents.
//!
//! The data directory is loaded into an immutable snapshot: every notice validated and rendered
//! once per (data content, edition), PDFs held in memory. A background task polls the
//! directory; a changed file is re-read and re-validated, and only a valid new version replaces
//! the old one. An invalid edit keeps the last good version in service and shows the error on
//! `/` and `/healthz`. Requests name notices by id, matched against the snapshot only: no path
//! from a request ever reaches the file system.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::layout::{DisplayList, Edition, swedish_date};
use crate::{Loaded, Options};

/// Server settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind; loopback by default.
    pub addr: SocketAddr,
    /// The data directory.
    pub data: PathBuf,
    /// How often the data directory is checked for changes.
    pub poll: Duration,
    /// Longest time one request may take.
    pub request_timeout: Duration,
}

/// Resolution of page thumbnails, dpi.
const THUMB_DPI: f32 = 36.0;

/// One edition of a notice, rendered.
struct Rendition {
    pdf: Bytes,
    sha256: String,
    display: DisplayList,
}

/// A valid notice and its renditions.
struct Entry {
    loaded: Loaded,
    editions: BTreeMap<Edition, Rendition>,
    /// PNG thumbnails, made on first request: (edition, page index) → (png, sha256).
    thumbs: Mutex<HashMap<(Edition, usize), (Bytes, String)>>,
}

/// What is being served: the last good version of every notice, and current problems.
#[derive(Default)]
struct Snapshot {
    /// Notices by id.
    notices: BTreeMap<String, Arc<Entry>>,
    /// SHA-256 of every data file as last read.
    files: BTreeMap<PathBuf, String>,
    /// Problems with the data as it is now (one message each).
    problems: Vec<String>,
}

/// Shared server state.
pub struct AppState {
    data: PathBuf,
    snapshot: RwLock<Arc<Snapshot>>,
}

impl AppState {
    /// Loads the data directory. Fails only if nothing at all can be served.
    pub fn load(data: &Path) -> Result<AppState> {
        let snap = rescan(data, &Snapshot::default());
        if snap.notices.is_empty() {
            return Err(Error::NoNotices {
                dir: data.to_owned(),
            });
        }
        Ok(AppState {
            data: data.to_owned(),
            snapshot: RwLock::new(Arc::new(snap)),
        })
    }

    fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Re-reads the data directory; swaps in the new snapshot if anything changed. Returns
    /// log lines describing the change.
    pub fn reload(&self) -> Vec<String> {
        let old = self.current();
        let new = rescan(&self.data, &old);
        if new.files == old.files && new.problems == old.problems {
            return Vec::new();
        }
        let mut log = Vec::new();
        for (id, e) in &new.notices {
            match old.notices.get(id) {
                Some(o) if Arc::ptr_eq(o, e) => {}
                Some(_) => log.push(format!(
                    "reload: {id} updated (version {})",
                    e.loaded.notice.updated
                )),
                None => log.push(format!(
                    "reload: {id} added (version {})",
                    e.loaded.notice.updated
                )),
            }
        }
        for id in old
            .notices
            .keys()
            .filter(|id| !new.notices.contains_key(*id))
        {
            log.push(format!("reload: {id} removed"));
        }
        for p in &new.problems {
            log.push(format!(
                "reload: error: {p} (the last good version is still served)"
            ));
        }
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(new);
        log
    }
}

/// Reads the data directory, reusing what has not changed since `prev`.
fn rescan(data: &Path, prev: &Snapshot) -> Snapshot {
    let mut snap = Snapshot::default();
    let files = match crate::jobs::discover(data) {
        Ok(f) => f,
        Err(e) => {
            // Keep serving what we had.
            snap.notices = prev.notices.clone();
            snap.files = prev.files.clone();
            snap.problems.push(e.to_string());
            return snap;
        }
    };
    for path in files {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                snap.problems
                    .push(Error::io("read data file", &path, e).to_string());
                keep_previous(prev, &path, &mut snap);
                continue;
            }
        };
        let sha = crate::sha256_hex(&bytes);
        let unchanged = prev.files.get(&path) == Some(&sha);
        snap.files.insert(path.clone(), sha.clone());
        if unchanged && let Some(e) = prev.notices.values().find(|e| e.loaded.path == path) {
            snap.notices.insert(e.loaded.notice.id.clone(), e.clone());
            continue;
        }
        match load_entry(&path) {
            Ok(entry) => {
                let id = entry.loaded.notice.id.clone();
                if let Some(other) = snap.notices.get(&id) {
                    snap.problems.push(
                        Error::DuplicateId {
                            id,
                            first: other.loaded.path.clone(),
                            second: path.clone(),
                        }
                        .to_string(),
                    );
                } else {
                    snap.notices.insert(id, Arc::new(entry));
                }
            }
            Err(e) => {
                snap.problems.push(e.to_string());
                keep_previous(prev, &path, &mut snap);
            }
        }
    }
    snap
}

fn keep_previous(prev: &Snapshot, path: &Path, snap: &mut Snapshot) {
    if let Some(e) = prev.notices.values().find(|e| e.loaded.path == path) {
        snap.notices.insert(e.loaded.notice.id.clone(), e.clone());
    }
}

/// Loads and renders one notice in both editions. A panic while rendering is an error for
/// this notice (see [`crate::render_display`]), never a crashed server.
fn load_entry(path: &Path) -> Result<Entry> {
    let loaded = crate::load(path)?;
    let mut editions = BTreeMap::new();
    for edition in Edition::ALL {
        let opts = Options {
            edition,
            ..Options::default()
        };
        let (display, pdf) = crate::render_display(&loaded.notice, &opts)?;
        let sha256 = crate::sha256_hex(&pdf);
        editions.insert(
            edition,
            Rendition {
                pdf: Bytes::from(pdf),
                sha256,
                display,
            },
        );
    }
    Ok(Entry {
        loaded,
        editions,
        thumbs: Mutex::new(HashMap::new()),
    })
}

/// The HTTP routes, for `run` and for tests.
pub fn router(state: Arc<AppState>, request_timeout: Duration) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/healthz", get(healthz))
        .route("/notices", get(list))
        .route("/notices/{file}", get(pdf))
        .route("/notices/{id}/pages/{file}", get(page_png))
        .fallback(not_found)
        .layer(middleware::from_fn(
            move |req: Request, next: Next| async move {
                match tokio::time::timeout(request_timeout, next.run(req)).await {
                    Ok(resp) => resp,
                    Err(_) => {
                        (StatusCode::SERVICE_UNAVAILABLE, "request took too long\n").into_response()
                    }
                }
            },
        ))
        .layer(axum::extract::DefaultBodyLimit::max(1024))
        .with_state(state)
}

/// Binds, serves until interrupted (Ctrl-C or SIGTERM), and polls the data directory.
pub fn run(config: Config) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("start the server runtime", "", e))?;
    rt.block_on(async move {
        let state = Arc::new(AppState::load(&config.data)?);
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|e| Error::io("listen on", config.addr.to_string(), e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::io("listen on", config.addr.to_string(), e))?;
        eprintln!(
            "notice-pdf serving {} notice(s) on http://{addr}/",
            state.current().notices.len()
        );
        for p in &state.current().problems {
            eprintln!("error: {p}");
        }
        let watcher = state.clone();
        let poll = config.poll;
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(poll).await;
                let s = watcher.clone();
                if let Ok(lines) = tokio::task::spawn_blocking(move || s.reload()).await {
                    for l in lines {
                        eprintln!("{l}");
                    }
                }
            }
        });
        axum::serve(listener, router(state, config.request_timeout))
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| Error::io("serve on", addr.to_string(), e))
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

#[derive(Deserialize)]
struct EditionQuery {
    edition: Option<String>,
}

fn parse_edition(q: &EditionQuery) -> Option<Edition> {
    match q.edition.as_deref() {
        None | Some("standard") => Some(Edition::Standard),
        Some("large") => Some(Edition::Large),
        Some(_) => None,
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
fn cached(headers: &HeaderMap, sha256: &str, content_type: &'static str, body: Bytes) -> Response {
    let etag = format!("\"{sha256}\"");
    let mut resp = if matches_etag(headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = Response::new(Body::from(body));
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        r
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    resp
}

/// The file name a customer's copy is saved under, e.g.
/// `integritetsinformation-kundservice-2023-03-20.pdf`.
pub fn download_name(id: &str, updated: chrono::NaiveDate, edition: Edition) -> String {
    let suffix = match edition {
        Edition::Standard => "",
        Edition::Large => "-stor-stil",
    };
    format!(
        "integritetsinformation-{id}-{}{suffix}.pdf",
        updated.format("%Y-%m-%d")
    )
}

async fn pdf(
    State(state): State<Arc<AppState>>,
    UrlPath(file): UrlPath<String>,
    Query(q): Query<EditionQuery>,
    headers: HeaderMap,
) -> Response {
    let snap = state.current();
    let (Some(id), Some(edition)) = (file.strip_suffix(".pdf"), parse_edition(&q)) else {
        return not_found().await;
    };
    let Some(entry) = snap.notices.get(id) else {
        return not_found().await;
    };
    let r = &entry.editions[&edition];
    let n = &entry.loaded.notice;
    let mut resp = cached(&headers, &r.sha256, "application/pdf", r.pdf.clone());
    if resp.status() == StatusCode::OK {
        let name = download_name(&n.id, n.updated, edition);
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
        // The audit trail: which version went out. No request data, so no personal data.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|d| chrono::DateTime::from_timestamp(d.as_secs() as i64, 0))
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default();
        eprintln!(
            "audit: issued id={} version={} edition={} sha256={} at={now}",
            n.id,
            n.updated,
            edition.key(),
            &r.sha256[..12]
        );
    }
    resp
}

async fn page_png(
    State(state): State<Arc<AppState>>,
    UrlPath((id, file)): UrlPath<(String, String)>,
    Query(q): Query<EditionQuery>,
    headers: HeaderMap,
) -> Response {
    let snap = state.current();
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
    let (png, sha) = {
        let mut thumbs = entry.thumbs.lock().unwrap_or_else(|e| e.into_inner());
        thumbs
            .entry((edition, page))
            .or_insert_with(|| {
                let img = crate::preview::Rasterizer::default()
                    .page(&r.display.pages[page - 1], THUMB_DPI);
                let png = crate::preview::encode_png(&img);
                let sha = crate::sha256_hex(&png);
                (Bytes::from(png), sha)
            })
            .clone()
    };
    cached(&headers, &sha, "image/png", png)
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
                    let url = match ed {
                        Edition::Standard => format!("/notices/{}.pdf", n.id),
                        Edition::Large => format!("/notices/{}.pdf?edition=large", n.id),
                    };
                    let info = EditionInfo {
                        url,
                        pages: r.display.pages.len(),
                        bytes: r.pdf.len(),
                        sha256: r.sha256.clone(),
                        filename: download_name(&n.id, n.updated, *ed),
                    };
                    (ed.key(), info)
                })
                .collect();
            NoticeInfo {
                id: n.id.clone(),
                title: n.title.clone(),
                language: n.language.clone(),
                updated: n.updated.format("%Y-%m-%d").to_string(),
                editions,
            }
        })
        .collect()
}

async fn list(State(state): State<Arc<AppState>>) -> Response {
    let body = serde_json::to_vec_pretty(&infos(&state.current())).unwrap_or_default();
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    let snap = state.current();
    let body = serde_json::json!({
        "status": if snap.problems.is_empty() { "ok" } else { "error" },
        "notices": snap.notices.len(),
        "problems": snap.problems,
    });
    let status = if snap.problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_vec_pretty(&body).unwrap_or_default(),
    )
        .into_response()
}

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn sidor(n: usize) -> String {
    if n == 1 {
        "1 sida".into()
    } else {
        format!("{n} sidor")
    }
}

async fn index(State(state): State<Arc<AppState>>) -> Html<String> {
    let snap = state.current();
    let mut h = String::new();
    h.push_str(concat!(
        "<!doctype html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        "<title>Integritetsinformation – kundservice</title>\n<style>\n",
        include_str!("serve.css"),
        "</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#dokument\">Hoppa till dokumenten</a>\n",
        "<header class=\"top\"><div class=\"wrap\"><span class=\"brand\">Avanza</span>",
        "<span class=\"app\">Kundservice · Integritetsinformation</span></div></header>\n",
        "<main id=\"dokument\" class=\"wrap\">\n<h1>Integritetsinformation till kund</h1>\n",
        "<p class=\"lead\">Ladda ner PDF:en och skicka den till kunden. Stor stil är samma text i 16 punkter, ",
        "för kunder med nedsatt syn.</p>\n",
    ));
    if !snap.problems.is_empty() {
        h.push_str("<section class=\"alert\" role=\"alert\">\n<h2>Fel i underlaget</h2>\n<ul>\n");
        for p in &snap.problems {
            h.push_str(&format!("<li><code>{}</code></li>\n", esc(p)));
        }
        h.push_str("</ul>\n<p>Den senaste giltiga versionen av varje dokument visas fortfarande nedan.</p>\n</section>\n");
    }
    for e in snap.notices.values() {
        let n = &e.loaded.notice;
        let std = &e.editions[&Edition::Standard];
        let large = &e.editions[&Edition::Large];
        let pages = std.display.pages.len();
        h.push_str(&format!(
            "<article class=\"notice\" aria-labelledby=\"t-{id}\">\n<div class=\"info\">\n<h2 id=\"t-{id}\">{title}</h2>\n\
             <p class=\"meta\">Uppdaterad {date} · {pages_std} · stor stil {pages_large}</p>\n\
             <p class=\"actions\">\n\
             <a class=\"button primary\" href=\"/notices/{id}.pdf\" download=\"{fname}\">Ladda ner PDF</a>\n\
             <a class=\"button\" href=\"/notices/{id}.pdf?edition=large\" download=\"{fname_large}\">Stor stil (PDF)</a>\n\
             </p>\n<p class=\"version\">Version {iso} · <span title=\"SHA-256 för PDF:en\">{sha}</span></p>\n</div>\n\
             <div class=\"thumbs\">\n",
            id = esc(&n.id),
            title = esc(&n.title),
            date = esc(&swedish_date(n.updated)),
            pages_std = sidor(pages),
            pages_large = sidor(large.display.pages.len()),
            fname = esc(&download_name(&n.id, n.updated, Edition::Standard)),
            fname_large = esc(&download_name(&n.id, n.updated, Edition::Large)),
            iso = n.updated.format("%Y-%m-%d"),
            sha = &std.sha256[..12],
        ));
        for p in 1..=pages {
            h.push_str(&format!(
                "<a href=\"/notices/{id}/pages/{p}.png\"><img src=\"/notices/{id}/pages/{p}.png\" width=\"149\" height=\"210\" \
                 alt=\"Sida {p} av {pages}\"></a>\n",
                id = esc(&n.id)
            ));
        }
        h.push_str("</div>\n</article>\n");
    }
    h.push_str(&format!(
        "</main>\n<footer class=\"wrap\">notice-pdf {} · PDF/A-2a och PDF/UA-1</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    ));
    Html(h)
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
    fn download_names_are_swedish_and_dated() {
        let d = chrono::NaiveDate::from_ymd_opt(2023, 3, 20).unwrap();
        assert_eq!(
            download_name("kundservice", d, Edition::Standard),
            "integritetsinformation-kundservice-2023-03-20.pdf"
        );
        assert_eq!(
            download_name("kundservice", d, Edition::Large),
            "integritetsinformation-kundservice-2023-03-20-stor-stil.pdf"
        );
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
