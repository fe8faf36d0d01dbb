//! Producing diagnostics is linear in the size of the data file: `check` on generated files of
//! growing size, each with a warning in every section (a processing section without its five
//! questions). The time per byte should stay flat across the sizes.
//!
//! The same for a collection across a data set: a `collection.toml` of growing numbers of groups,
//! each placing a notice that does not exist (an error located in the collection each).
//!
//! `cargo bench --bench check`

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// A notice of `sections` processing sections with no questions: five warnings each.
fn notice_with_warnings(sections: usize) -> String {
    let mut s = String::from(
        "id = \"bench\"\ntitle = \"Titel\"\nsummary = \"Sammanfattning.\"\nlanguage = \"sv-SE\"\npublisher = \"Avanza\"\n\
         updated = \"2023-03-20\"\n",
    );
    for i in 0..sections {
        s.push_str(&format!(
            "\n[[sections]]\nid = \"s{i}\"\nheading = \"Rubrik {i} med åäö\"\n\
             intro = [\"Vi behandlar personuppgifter för att kunna ge dig service.\"]\n"
        ));
    }
    s
}

fn check(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for sections in [500, 2000, 8000] {
        let text = notice_with_warnings(sections);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(text.len()), &text, |b, text| {
            b.iter(|| {
                let checked =
                    notice_pdf::source::check_text(Path::new("bench.toml"), black_box(text));
                assert_eq!(checked.diagnostics.len(), sections * 5);
            })
        });
    }
    group.finish();
}

/// A collection of `groups` groups, each placing one id no notice has, and the one notice.
fn collection_with_errors(groups: usize) -> String {
    let mut s = String::from(
        "title = \"Titel\"\nlabel = \"Etikett\"\npublisher = \"Avanza\"\nlanguage = \"sv-SE\"\n",
    );
    s.push_str("\n[[groups]]\ntitle = \"Grupp\"\nnotices = [\"kundservice\"]\n");
    for i in 0..groups {
        s.push_str(&format!(
            "\n[[groups]]\ntitle = \"Grupp {i}\"\nnotices = [\"saknas-{i}\"]\n"
        ));
    }
    s
}

fn check_collection(c: &mut Criterion) {
    let notice = notice_pdf::source::check_file(Path::new("tests/fixtures/kundservice.toml"));
    let mut group = c.benchmark_group("check-collection");
    group.sample_size(10);
    for groups in [1000, 4000, 16000] {
        let text = collection_with_errors(groups);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(text.len()), &text, |b, text| {
            b.iter(|| {
                let collection =
                    notice_pdf::source::check_text(Path::new("collection.toml"), black_box(text));
                let set = notice_pdf::source::DataSet::assemble(vec![notice.clone(), collection]);
                assert_eq!(set.errors().len(), groups);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, check, check_collection);
criterion_main!(benches);
