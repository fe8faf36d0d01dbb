//! `notice-pdf serve`: the notices over HTTP for kundservice agents.
//!
//! The data directory is loaded into an immutable snapshot ([`snapshot`]): every notice
//! validated and rendered once per (data content, edition), PDFs held in memory, reloaded by a
//! background poll. Requests name notices by id, matched against the snapshot only: no path
//! from a request ever reaches the file system.
//!
//! Connections are served by hyper with limits, so idle or slow clients cannot starve the
//! server: a connection must send its request head within [`Config::header_timeout`] (this also
//! ends idle keep-alive connections), a client that reads nothing of an answer for
//! [`Config::send_timeout`] is dropped, at most [`Config::max_connections`] are served at once
//! (further ones wait in the listen queue; the soft limit of open files is raised to the hard
//! one so that they fit), and on SIGTERM or Ctrl-C open requests get
//! [`Config::shutdown_grace`] to finish before the server exits; audit lines still pending
//! then are logged as not sent. SIGHUP reads the data directory again at once.
//!
//! Work is bounded ([`Limits`]): pack renders and thumbnails run on the blocking pool, a few at
//! a time, and the caches are bounded by bytes. No data file, logo or request can end the
//! process: checking and rendering are guarded against panics (this needs `panic = "unwind"`).
//! The bounds and their measured cost are in docs/serve-limits.md.

#[cfg(panic = "abort")]
compile_error!(
    "serve's panic guards need panic = \"unwind\": a panicking render would end the server"
);

mod audit;
mod metrics;
mod pack;
mod page;
mod routes;
mod search;
mod snapshot;

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; \
                   connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The security headers every response carries, those the HTTP parser writes itself (400,
/// 414, 431) included (see [`audit::Watched`]). A response may set its own
/// Content-Security-Policy (the HTML alternatives allow their inline style sheet by hash).
pub(crate) const SECURITY_HEADERS: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    ("content-security-policy", CSP),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
];

/// Where an edition of a notice is served.
pub(crate) fn pdf_url(id: &str, edition: crate::Edition) -> String {
    match edition {
        crate::Edition::Standard => format!("/notices/{id}.pdf"),
        other => format!("/notices/{id}.pdf?edition={}", other.key()),
    }
}

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tower::ServiceExt;

pub use audit::{GRACE, Log};
pub use snapshot::{AppState, Problem};

use crate::error::{Error, Result};

/// Server settings.
#[derive(Clone)]
pub struct Config {
    /// Address to bind; loopback by default.
    pub addr: SocketAddr,
    /// The data directory.
    pub data: PathBuf,
    /// How often the data directory is checked for changes.
    pub poll: Duration,
    /// How long changed data must stay the same before it is taken.
    pub settle: Duration,
    /// Longest time one request may take.
    pub request_timeout: Duration,
    /// Longest time a connection may take to send a request head, and may stay idle between
    /// requests.
    pub header_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
    /// Time open requests get to finish after a shutdown signal.
    pub shutdown_grace: Duration,
    /// After SIGTERM, how long the server goes on serving while `/readyz` answers 503, so
    /// that a load balancer takes it out of rotation before it stops accepting.
    pub drain: Duration,
    /// Longest time a write to a client may wait for the client to read before the connection
    /// is dropped.
    pub send_timeout: Duration,
    /// Bounds on the work done for requests.
    pub limits: Limits,
    /// Where log lines go.
    pub log: Log,
    /// Names this run of the server in the request ids it makes (`<instance>-<count>`): the
    /// binary derives it from its process id and start time; the library reads no clock.
    pub instance: String,
    /// Where the audit trail goes: the chain of `--audit-log FILE`, or, when `None`, lines of
    /// text in the log.
    pub audit: Option<Arc<dyn crate::audit::AuditLog>>,
    /// A build's output directory: each notice is compared with its newest earlier version
    /// there, as `build` does ("Vad har ändrats sedan …").
    pub versions: Option<PathBuf>,
}

/// Bounds on the work done for requests (see docs/serve-limits.md).
#[derive(Clone, Debug)]
pub struct Limits {
    /// Packs rendered at once (each takes tens of MB while it runs).
    pub pack_renders: usize,
    /// Thumbnails rasterised at once.
    pub thumb_renders: usize,
    /// How long a request waits for a free render before it is answered 503 with
    /// `Retry-After`.
    pub render_wait: Duration,
    /// Bytes of rendered packs kept, least recently used out first.
    pub pack_cache_bytes: usize,
    /// Bytes of thumbnails kept.
    pub thumb_cache_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            pack_renders: 2,
            thumb_renders: 2,
            render_wait: Duration::from_secs(5),
            pack_cache_bytes: 64 << 20,
            thumb_cache_bytes: 8 << 20,
        }
    }
}

/// Threads of the blocking pool: renders and reloads, bounded by [`Limits`] anyway.
const BLOCKING_THREADS: usize = 16;

/// Binds, serves until interrupted (Ctrl-C or SIGTERM), and polls the data directory.
pub fn run(config: Config) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(BLOCKING_THREADS)
        .enable_all()
        .build()
        .map_err(|e| Error::io("start the server runtime", "", e))?;
    let grace = config.shutdown_grace;
    let result = rt.block_on(serve(config));
    // Every connection task is dropped here, and with it its audit tracker, which logs the
    // lines still pending (see `audit`). A render still running is not waited for long.
    rt.shutdown_timeout(grace);
    result
}

/// File descriptors kept free for everything but client connections (data files, the
/// listener, the runtime).
const RESERVED_FDS: u64 = 64;

/// Raises the soft limit of open files to the hard limit (at most 65 536), as servers do, and
/// returns how many connections fit under it.
fn connection_room() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit/setrlimit write to and read from a valid rlimit.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
                return None;
            }
            let want = lim.rlim_max.min(65_536);
            if lim.rlim_cur < want {
                let raised = libc::rlimit {
                    rlim_cur: want,
                    rlim_max: lim.rlim_max,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    lim.rlim_cur = want;
                }
            }
        }
        Some(lim.rlim_cur.saturating_sub(RESERVED_FDS).max(1))
    }
    #[cfg(not(unix))]
    None
}

async fn serve(config: Config) -> Result<()> {
    let log = config.log.clone();
    // Before anything is logged: a signal from now on is handled, never the default action.
    let signals = Signals::new()?;
    let mut max_connections = config.max_connections.max(1);
    if let Some(room) = connection_room()
        && (room as usize) < max_connections
    {
        log(&format!(
            "warning: at most {room} connections fit under the limit of open files (asked for {max_connections})"
        ));
        max_connections = room as usize;
    }
    let mut state = AppState::load(
        &config.data,
        config.versions.as_deref(),
        config.limits.clone(),
        log.clone(),
        pack::prepare,
    )?;
    state.instance = config.instance.clone();
    let state = Arc::new(state);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| Error::io("listen on", config.addr.to_string(), e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io("listen on", config.addr.to_string(), e))?;
    log(&format!(
        "notice-pdf serving {} notice(s) on http://{addr}/",
        state.current().notices.len()
    ));
    for p in state.problems() {
        log(&format!("error: {p}"));
    }
    for d in &state.current().details {
        log(&format!("detail: {d}"));
    }

    // The audit trail starts by naming what is served.
    let audit: Arc<dyn crate::audit::AuditLog> = match &config.audit {
        Some(a) => a.clone(),
        None => Arc::new(TextAudit(log.clone())),
    };
    let versions: std::collections::BTreeMap<String, String> = state
        .current()
        .notices
        .iter()
        .map(|(id, e)| {
            let v = crate::VersionId::of_sha256(&e.loaded.source_sha256);
            (id.clone(), v.to_string())
        })
        .collect();
    audit.start(&versions);
    let hup_audit = audit.clone();
    let watcher = state.clone();
    let (poll, settle) = (config.poll, config.settle);
    let poll_log = log.clone();
    let Signals {
        mut hangup,
        mut interrupt,
        mut terminate,
    } = signals;
    tokio::spawn(async move {
        loop {
            // SIGHUP: the operator says the data is ready; take it as it is, now.
            let settle = tokio::select! {
                () = tokio::time::sleep(poll) => Some(settle),
                _ = hangup.recv() => {
                    poll_log("SIGHUP: reading the data directory again");
                    hup_audit.reopen();
                    None
                }
            };
            let s = watcher.clone();
            match tokio::task::spawn_blocking(move || s.reload(settle)).await {
                Ok(lines) => lines.iter().for_each(|l| poll_log(l)),
                Err(_) => poll_log(
                    "error: a reload failed (an internal error); the data is read again at the next poll",
                ),
            }
        }
    });

    let draining = state.clone();
    let metrics_state = state.clone();
    let app = routes::router(state, config.request_timeout);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(config.header_timeout);
    let slots = Arc::new(tokio::sync::Semaphore::new(max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let drain = config.drain;
    let shutdown = async {
        tokio::select! {
            _ = interrupt.recv() => log("SIGINT: stopping"),
            _ = terminate.recv() => {
                draining.draining.store(true, std::sync::atomic::Ordering::Relaxed);
                if !drain.is_zero() {
                    log(&format!(
                        "SIGTERM: draining for {} ms (/readyz answers 503), then stopping",
                        drain.as_millis()
                    ));
                    // A second signal stops at once.
                    tokio::select! {
                        () = tokio::time::sleep(drain) => {}
                        _ = terminate.recv() => {}
                        _ = interrupt.recv() => {}
                    }
                }
                log("SIGTERM: stopping");
            }
        }
    };
    tokio::pin!(shutdown);
    loop {
        if slots.available_permits() == 0 {
            metrics_state.metrics.connections_waited.inc();
        }
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: back off, then accept again.
                    log(&format!("error: accept: {e}"));
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Answers go out whole at once: with Nagle's algorithm the last segment of an answer
        // on a kept-alive connection waits for the client's delayed acknowledgement (40 ms
        // on Linux): 44 ms for a page made in 0.15 ms (benches/serve.rs).
        let _ = stream.set_nodelay(true);
        // Each connection's audit lines wait on its tracker (see `audit`).
        let tracker = audit::Tracker::new(audit.clone());
        let on_request = tracker.clone();
        let service =
            app.clone()
                .map_request(move |mut req: hyper::Request<hyper::body::Incoming>| {
                    on_request.next_request();
                    req.extensions_mut().insert(on_request.clone());
                    req
                });
        let io = TokioIo::new(audit::Watched::new(
            stream,
            tracker.clone(),
            config.send_timeout,
        ));
        let conn = graceful.watch(http.serve_connection(io, TowerToHyperService::new(service)));
        let open = metrics_state.clone();
        open.metrics.connections_open.inc();
        tokio::spawn(async move {
            // Errors here are the client's (a timeout, a reset): the tracker knows what matters.
            let _ = conn.await;
            tracker.finish();
            open.metrics.connections_open.dec();
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(config.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        log("shutdown: connections still open after the grace period were closed");
    }
    Ok(())
}

/// The audit trail as lines of text in the server's log (no `--audit-log`).
struct TextAudit(Log);

impl crate::audit::AuditLog for TextAudit {
    fn start(&self, _: &std::collections::BTreeMap<String, String>) {}
    fn record(&self, event: &crate::audit::Event) {
        (self.0)(&event.to_string());
    }
}

/// The signals the server handles, registered before it says it is serving.
struct Signals {
    hangup: tokio::signal::unix::Signal,
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        let on = |kind: SignalKind| {
            signal(kind).map_err(|e| Error::io("handle the signals of", "the server", e))
        };
        Ok(Signals {
            hangup: on(SignalKind::hangup())?,
            interrupt: on(SignalKind::interrupt())?,
            terminate: on(SignalKind::terminate())?,
        })
    }
}
