//! Benchmarks of the pipeline's stages on the real notice, warm and in-process, for both
//! editions; and full renders of notices scaled to 10, 100 and 1000 sections.
//!
//! `cargo bench --bench render`; the cold, whole-process figure is `hyperfine` (README).

use std::hint::black_box;
use std::path::Path;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use notice_pdf::{Edition, Notice, Options, layout, pdf};

fn data_file() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/kundservice.toml"
    ))
}

fn stages(c: &mut Criterion) {
    let notice = notice_pdf::load(data_file()).unwrap().notice;
    c.bench_function("parse+validate", |b| {
        b.iter(|| notice_pdf::load(black_box(data_file())).unwrap())
    });
    for edition in Edition::ALL {
        let opts = Options {
            edition,
            ..Options::default()
        };
        let dl = layout::layout(&notice, &opts);
        let key = edition.key();
        c.bench_function(&format!("layout/{key}"), |b| {
            b.iter(|| layout::layout(black_box(&notice), &opts))
        });
        c.bench_function(&format!("pdf-write/{key}"), |b| {
            b.iter(|| pdf::write(black_box(&dl)).unwrap())
        });
        c.bench_function(&format!("render/{key}"), |b| {
            b.iter(|| {
                notice_pdf::render(notice_pdf::Document::Notice(black_box(&notice)), &opts).unwrap()
            })
        });
        // A server's case: the notice again after an editor changed one sentence, a new one
        // each time, so that paragraph, its page and the object stream are not remembered.
        let edits = std::cell::Cell::new(0u64);
        c.bench_function(&format!("render-after-edit/{key}"), |b| {
            b.iter_batched(
                || {
                    edits.set(edits.get() + 1);
                    edited(&notice, edits.get())
                },
                |n| notice_pdf::render(notice_pdf::Document::Notice(&n), &opts).unwrap(),
                BatchSize::SmallInput,
            )
        });
    }
}

/// `base` with edit number `n` at the end of the middle section's first paragraph.
fn edited(base: &Notice, n: u64) -> Notice {
    let mut notice = base.clone();
    let mid = notice.sections.len() / 2;
    let section = &mut notice.sections[mid];
    match section.intro.first_mut() {
        Some(notice_pdf::model::Part::Text(text)) => {
            *text = notice_pdf::model::Text::running(format!("{} Ändring {n}.", text.src));
        }
        _ => section.heading.push_str(&format!(" {n}")),
    }
    notice
}

/// The real notice's printed sections repeated until there are `n`.
fn scaled(base: &Notice, n: usize) -> Notice {
    let sections: Vec<_> = base.printed_sections().cloned().collect();
    let mut notice = base.clone();
    notice.sections = (0..n)
        .map(|i| {
            let mut s = sections[i % sections.len()].clone();
            s.id = format!("s{i}");
            s
        })
        .collect();
    notice
}

fn scale(c: &mut Criterion) {
    let base = notice_pdf::load(data_file()).unwrap().notice;
    let mut group = c.benchmark_group("scale");
    group.sample_size(10);
    for n in [10, 100, 1000] {
        let notice = scaled(&base, n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(
            BenchmarkId::new("render-sections", n),
            &notice,
            |b, notice| {
                b.iter(|| {
                    notice_pdf::render(notice_pdf::Document::Notice(notice), &Options::default())
                        .unwrap()
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, stages, scale);
criterion_main!(benches);
