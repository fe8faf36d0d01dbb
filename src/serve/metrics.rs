//! `/metrics`: the server's state in the Prometheus text format (kept with prometheus-client), for a
//! platform's scraper. Requests by route and status and their latency, packs rendered and
//! their render time, the caches (bytes held, hits, misses, evictions), the notices loaded and
//! the files invalid, reloads, connections open and those that had to wait for a slot, and
//! what is running: the program's version and each notice's data version.
//!
//! Route labels are the router's patterns (`/notices/{file}`), never a request's own path:
//! a label set per request would let clients grow the registry without bound.

use std::sync::Mutex;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

type Labels = Vec<(String, String)>;

/// Every metric the server keeps.
pub(super) struct Metrics {
    registry: Registry,
    requests: Family<Labels, Counter>,
    latency: Family<Labels, Histogram>,
    pub(super) renders: Counter,
    pub(super) render_seconds: Histogram,
    pub(super) reloads: Counter,
    pub(super) notice_renders: Counter,
    pub(super) scan_seconds: Histogram,
    pub(super) connections_open: Gauge,
    pub(super) connections_waited: Counter,
    notices: Gauge,
    invalid_files: Gauge,
    cache_bytes: Family<Labels, Gauge>,
    cache_hits: Family<Labels, Counter>,
    cache_misses: Family<Labels, Counter>,
    cache_evictions: Family<Labels, Counter>,
    data_version: Family<Labels, Gauge>,
    /// What the caches' own counts were at the last scrape: their counters move by the
    /// difference (a cache counts for itself; the registry only reports).
    seen: Mutex<[[u64; 3]; 2]>,
}

impl Metrics {
    pub(super) fn new() -> Metrics {
        let mut registry = Registry::with_prefix("notice_pdf");
        let requests = Family::<Labels, Counter>::default();
        registry.register(
            "http_requests",
            "Requests answered, by route and status",
            requests.clone(),
        );
        let latency = Family::<Labels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.000_1, 4.0, 10))
        });
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route",
            latency.clone(),
        );
        let renders = Counter::default();
        registry.register(
            "pack_renders",
            "Packs rendered for requests",
            renders.clone(),
        );
        let render_seconds = Histogram::new(exponential_buckets(0.005, 2.0, 12));
        registry.register(
            "pack_render_duration_seconds",
            "Time to render a pack for a request",
            render_seconds.clone(),
        );
        let reloads = Counter::default();
        registry.register("reloads", "Times changed data was taken", reloads.clone());
        let notice_renders = Counter::default();
        registry.register(
            "notice_renders",
            "Notices rendered (both editions) when their data, logo or earlier version changed",
            notice_renders.clone(),
        );
        let scan_seconds = Histogram::new(exponential_buckets(0.001, 4.0, 10));
        registry.register(
            "data_scan_duration_seconds",
            "Time to read the data directory again, the renders of what changed included",
            scan_seconds.clone(),
        );
        let connections_open = Gauge::default();
        registry.register(
            "connections_open",
            "Client connections open",
            connections_open.clone(),
        );
        let connections_waited = Counter::default();
        registry.register(
            "connections_waited",
            "Connections that waited for a free slot (the cap was reached)",
            connections_waited.clone(),
        );
        let notices = Gauge::default();
        registry.register("notices_loaded", "Notices served", notices.clone());
        let invalid_files = Gauge::default();
        registry.register(
            "invalid_files",
            "Data files that are invalid now",
            invalid_files.clone(),
        );
        let cache_bytes = Family::<Labels, Gauge>::default();
        registry.register("cache_bytes", "Bytes a cache holds", cache_bytes.clone());
        let cache_hits = Family::<Labels, Counter>::default();
        registry.register(
            "cache_hits",
            "Cache lookups answered from the cache",
            cache_hits.clone(),
        );
        let cache_misses = Family::<Labels, Counter>::default();
        registry.register(
            "cache_misses",
            "Cache lookups not in the cache",
            cache_misses.clone(),
        );
        let cache_evictions = Family::<Labels, Counter>::default();
        registry.register(
            "cache_evictions",
            "Values pushed out of a cache to keep it within its bound",
            cache_evictions.clone(),
        );
        let build = Family::<Labels, Gauge>::default();
        registry.register("build_info", "The program's version", build.clone());
        build
            .get_or_create(&vec![("version".into(), env!("CARGO_PKG_VERSION").into())])
            .set(1);
        let data_version = Family::<Labels, Gauge>::default();
        registry.register(
            "data_version_info",
            "Each notice served, with the version id of its data",
            data_version.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            renders,
            render_seconds,
            reloads,
            notice_renders,
            scan_seconds,
            connections_open,
            connections_waited,
            notices,
            invalid_files,
            cache_bytes,
            cache_hits,
            cache_misses,
            cache_evictions,
            data_version,
            seen: Mutex::new([[0; 3]; 2]),
        }
    }

    /// One request answered.
    pub(super) fn request(&self, route: &str, status: u16, seconds: f64) {
        let labels = vec![
            ("route".to_owned(), route.to_owned()),
            ("status".to_owned(), status.to_string()),
        ];
        self.requests.get_or_create(&labels).inc();
        self.latency
            .get_or_create(&vec![("route".to_owned(), route.to_owned())])
            .observe(seconds);
    }

    /// The text exposition, with what is read at scrape time brought up to date.
    pub(super) fn encode(&self, state: &super::AppState) -> String {
        let snap = state.current();
        self.notices.set(snap.notices.len() as i64);
        self.invalid_files.set(snap.problems.len() as i64);
        self.data_version.clear();
        for (id, entry) in &snap.notices {
            let version = crate::VersionId::of_sha256(&entry.loaded.source_sha256).to_string();
            self.data_version
                .get_or_create(&vec![
                    ("id".into(), id.clone()),
                    ("version_id".into(), version),
                ])
                .set(1);
        }
        let caches = [
            ("packs", state.packs.stats()),
            ("thumbnails", state.thumbs.stats()),
        ];
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        for (i, (name, stats)) in caches.iter().enumerate() {
            let labels = vec![("cache".to_owned(), (*name).to_owned())];
            self.cache_bytes
                .get_or_create(&labels)
                .set(stats.weight as i64);
            let now = [stats.hits, stats.misses, stats.evictions];
            let families = [&self.cache_hits, &self.cache_misses, &self.cache_evictions];
            for (k, family) in families.iter().enumerate() {
                family
                    .get_or_create(&labels)
                    .inc_by(now[k].saturating_sub(seen[i][k]));
                seen[i][k] = seen[i][k].max(now[k]);
            }
        }
        drop(seen);
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .expect("writing to a String cannot fail");
        classic(&out)
    }
}

/// OpenMetrics text (what prometheus-client writes) as the Prometheus text format 0.0.4 that
/// every scraper and `promtool check metrics` read: a counter's `# HELP` and `# TYPE` name
/// its samples (`…_total`), and there is no `# EOF`.
fn classic(open_metrics: &str) -> String {
    let counters: Vec<&str> = open_metrics
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE ")?.strip_suffix(" counter"))
        .collect();
    let mut out = String::with_capacity(open_metrics.len() + 16 * counters.len());
    for line in open_metrics.lines() {
        if line == "# EOF" {
            continue;
        }
        let renamed = ["# HELP ", "# TYPE "].iter().find_map(|p| {
            let rest = line.strip_prefix(p)?;
            let (name, tail) = rest.split_once(' ')?;
            counters
                .contains(&name)
                .then(|| format!("{p}{name}_total {tail}"))
        });
        out.push_str(renamed.as_deref().unwrap_or(line));
        out.push('\n');
    }
    out
}

/// The router's pattern a request path answers to (its label).
pub(super) fn route_of(path: &str) -> &'static str {
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    match parts.as_slice() {
        [""] => "/",
        ["search.json"] => "/search.json",
        ["logo"] => "/logo",
        ["style.css"] => "/style.css",
        ["page.js"] => "/page.js",
        ["healthz"] => "/healthz",
        ["livez"] => "/livez",
        ["readyz"] => "/readyz",
        ["metrics"] => "/metrics",
        ["notices"] => "/notices",
        ["notices", _] => "/notices/{file}",
        ["notices", _, "pages", _] => "/notices/{id}/pages/{file}",
        ["pack.pdf"] => "/pack.pdf",
        ["pack.json"] => "/pack.json",
        ["pack.html"] => "/pack.html",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_named_by_their_samples_in_the_classic_format() {
        let om = "# HELP x_reloads Times.\n# TYPE x_reloads counter\nx_reloads_total 3\n# TYPE x_open gauge\nx_open 1\n# EOF\n";
        assert_eq!(
            classic(om),
            "# HELP x_reloads_total Times.\n# TYPE x_reloads_total counter\nx_reloads_total 3\n# TYPE x_open gauge\nx_open 1\n"
        );
    }

    #[test]
    fn routes_are_labelled_by_pattern_never_by_path() {
        assert_eq!(route_of("/"), "/");
        assert_eq!(route_of("/notices/rik.pdf"), "/notices/{file}");
        assert_eq!(
            route_of("/notices/rik/pages/1.png"),
            "/notices/{id}/pages/{file}"
        );
        assert_eq!(route_of("/anything/a/client/sends"), "other");
    }
}
