//! `notice-pdf serve`: the options become the library server's configuration, with the
//! binary's log and audit trail.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use super::args::ServeArgs;
use super::serve_log::{ChainAudit, JsonAudit, LOG_JSON, LogFormat, instance_name, serve_log};
use crate::Res;

pub(crate) fn run(args: ServeArgs) -> Res {
    let json = args.log_format == LogFormat::Json;
    if json {
        tracing_subscriber::fmt()
            .json()
            .with_writer(std::io::stderr)
            .with_target(false)
            .init();
        LOG_JSON.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    let audit = match &args.audit_log {
        Some(path) => Some(ChainAudit::open(path)?),
        None if json => Some(Arc::new(JsonAudit) as _),
        None => None,
    };
    let ms = Duration::from_millis;
    notice_pdf::serve::run(notice_pdf::serve::Config {
        audit,
        instance: instance_name(),
        send_timeout: ms(args.send_timeout_ms),
        limits: notice_pdf::serve::Limits {
            pack_renders: args.pack_renders as usize,
            render_wait: ms(args.render_wait_ms),
            ..Default::default()
        },
        addr: args.addr,
        data: args.data,
        poll: ms(args.poll_ms),
        settle: ms(args.settle_ms),
        request_timeout: Duration::from_secs(10),
        header_timeout: ms(args.header_timeout_ms),
        max_connections: args.max_connections as usize,
        versions: args.versions.versions,
        shutdown_grace: Duration::from_secs(5),
        drain: ms(args.drain_ms),
        log: Arc::new(serve_log),
    })?;
    Ok(ExitCode::SUCCESS)
}
