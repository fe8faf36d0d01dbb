//! Any bytes as a data file: parsing and validation return diagnostics, never panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.toml");
    let src = notice_pdf::model::Located::new(text);
    if let Ok(notice) = notice_pdf::model::parse_located(path, &src) {
        let diags = notice_pdf::model::validate(path, &src, &notice, &notice_pdf::fonts::covers);
        for d in diags {
            assert!(d.line >= 1 && d.col >= 1);
        }
    }
});
