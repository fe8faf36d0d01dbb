//! Any bytes as a PDF given to `verify` or `diff`: an answer or an error within the input
//! limits (docs/input-limits.md), never a panic, an abort or unbounded memory (run with
//! `-rss_limit_mb=1024`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(files) = notice_pdf::verify::embedded_files(data) {
        for (_, bytes) in &files {
            assert!(bytes.len() as u64 <= notice_pdf::verify::MAX_EMBEDDED_BYTES);
        }
    }
    let _ = notice_pdf::verify::embedded_notice(data);
    let _ = notice_pdf::verify::verify(data);
});
