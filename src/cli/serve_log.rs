//! `serve`'s log and audit trail as the binary writes them: lines of text or JSON objects on
//! standard error, the hash chain of `--audit-log`, the time (the binary reads the clock; the
//! library does not) and the name of this run in request ids.

use std::path::Path;

use crate::{Failure, say};

/// The audit trail of `serve --audit-log FILE`: each event a record of the chain, stamped
/// with the time (UTC; the binary reads the clock, the library does not). A record that cannot
/// be written is reported on standard error, with the event.
#[cfg(feature = "serve")]
pub(crate) struct ChainAudit(std::sync::Mutex<notice_pdf::audit::chain::Chain>);

#[cfg(feature = "serve")]
impl ChainAudit {
    pub(crate) fn open(
        path: &Path,
    ) -> Result<std::sync::Arc<dyn notice_pdf::audit::AuditLog>, Failure> {
        let chain = notice_pdf::audit::chain::Chain::open(path, None)?;
        Ok(std::sync::Arc::new(ChainAudit(std::sync::Mutex::new(
            chain,
        ))))
    }

    fn append(&self, entry: notice_pdf::audit::chain::Entry, what: &str) {
        let mut chain = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = chain.append(&now_utc(), entry) {
            say(&format!("error: {e}; not in the audit log: {what}"));
        }
    }
}

#[cfg(feature = "serve")]
impl notice_pdf::audit::AuditLog for ChainAudit {
    fn start(&self, data_versions: &std::collections::BTreeMap<String, String>) {
        let entry = notice_pdf::audit::chain::Entry::Start {
            data_versions: data_versions.clone(),
        };
        self.append(entry, "the start");
    }

    fn record(&self, event: &notice_pdf::audit::Event) {
        let entry = notice_pdf::audit::chain::Entry::Audit(event.clone());
        self.append(entry, &event.to_string());
    }

    fn reopen(&self) {
        let mut chain = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = chain.reopen() {
            say(&format!(
                "error: {e}; the audit log goes on in the file it had"
            ));
        }
    }
}

/// The time now, UTC, to the second (RFC 3339).
#[allow(clippy::disallowed_methods)]
#[cfg(feature = "serve")]
pub(crate) fn now_utc() -> String {
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    now.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The format of the server's log.
#[cfg(feature = "serve")]
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LogFormat {
    Text,
    Json,
}

/// `serve --log-format json`: every log line a JSON object.
#[cfg(feature = "serve")]
pub(crate) static LOG_JSON: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// One line of the JSON log: what `tracing_subscriber`'s JSON lines hold for an event.
#[cfg(feature = "serve")]
#[derive(serde::Serialize)]
struct JsonLine<'a> {
    timestamp: String,
    level: &'a str,
    fields: JsonFields<'a>,
}

#[cfg(feature = "serve")]
#[derive(serde::Serialize)]
struct JsonFields<'a> {
    message: &'a str,
}

/// The audit trail as JSON lines in the JSON log (`--log-format json` without
/// `--audit-log`): each event's fields, typed as the chain's records hold them.
#[cfg(feature = "serve")]
pub(crate) struct JsonAudit;

#[cfg(feature = "serve")]
#[derive(serde::Serialize)]
struct JsonAuditLine<'a> {
    timestamp: String,
    level: &'a str,
    fields: JsonAuditFields<'a>,
}

#[cfg(feature = "serve")]
#[derive(serde::Serialize)]
struct JsonAuditFields<'a> {
    message: &'a str,
    audit: &'a notice_pdf::audit::Event,
}

#[cfg(feature = "serve")]
impl notice_pdf::audit::AuditLog for JsonAudit {
    fn start(&self, _: &std::collections::BTreeMap<String, String>) {}

    fn record(&self, event: &notice_pdf::audit::Event) {
        let line = JsonAuditLine {
            timestamp: now_utc(),
            level: "INFO",
            fields: JsonAuditFields {
                message: "audit",
                audit: event,
            },
        };
        say(&serde_json::to_string(&line).unwrap_or_default());
    }
}

/// This run's name in request ids: its process id and start time, in hex.
#[allow(clippy::disallowed_methods)]
#[cfg(feature = "serve")]
pub(crate) fn instance_name() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("{:x}{:x}", secs, std::process::id())
}

/// The server's log: standard error, audit lines stamped with the time (UTC). The binary reads
/// the clock; the library does not.
#[allow(clippy::disallowed_methods)]
#[cfg(feature = "serve")]
pub(crate) fn serve_log(line: &str) {
    if LOG_JSON.load(std::sync::atomic::Ordering::Relaxed) {
        let level = if line.starts_with("error") {
            "ERROR"
        } else if line.starts_with("warning") {
            "WARN"
        } else {
            "INFO"
        };
        let json = JsonLine {
            timestamp: now_utc(),
            level,
            fields: JsonFields { message: line },
        };
        say(&serde_json::to_string(&json).unwrap_or_default());
    } else if line.starts_with("audit:") {
        say(&format!("{line} at={}", now_utc()));
    } else {
        say(line);
    }
}
