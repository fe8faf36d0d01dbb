//! Sealing one notice's PDF (issue 28 asks under 5 ms a document with a file key): a P-256 and
//! an RSA-2048 key from a throwaway test CA, on the real notice; and checking the seal.
//!
//! `cargo bench --bench seal`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use notice_pdf::seal::{self, Anchors, SealKey};

#[allow(dead_code)]
#[path = "../src/seal/testkit.rs"]
mod testkit;

fn sealing(c: &mut Criterion) {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/kundservice.toml"
    ));
    let notice = notice_pdf::load(path).unwrap().notice;
    let pdf = notice_pdf::render(
        notice_pdf::Document::Notice(&notice),
        &notice_pdf::Options::default(),
    )
    .unwrap()
    .pdf;
    let ca = testkit::TestCa::new("Bench CA");
    let time = chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap();
    for (name, (pkcs8, chain)) in [
        (
            "p256",
            ca.issue("Bench seal", testkit::Y2020, testkit::Y2040),
        ),
        (
            "rsa2048",
            ca.issue_rsa("Bench RSA seal", testkit::Y2020, testkit::Y2040),
        ),
    ] {
        let key = SealKey::from_pkcs8(&pkcs8, chain).unwrap();
        c.bench_function(&format!("seal/{name}"), |b| {
            b.iter(|| seal::seal(black_box(&pdf), &key, time).unwrap())
        });
        let sealed = seal::seal(&pdf, &key, time).unwrap();
        let anchors = Anchors(vec![ca.cert.clone()]);
        c.bench_function(&format!("check/{name}"), |b| {
            b.iter(|| seal::check(black_box(&sealed), Some(&anchors)).unwrap())
        });
    }
}

criterion_group!(benches, sealing);
criterion_main!(benches);
