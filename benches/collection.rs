//! Scale of a collection: `build` of generated collections of 12, 48 and 96 notices (the
//! fictional bank's six notices repeated, with their links kept inside each copy), and the
//! layout of the whole pack against the layout of its chapters alone.
//!
//! `cargo bench --bench collection`. The generated data directories are kept in
//! `target/bench-collection-<n>/data` for measuring memory with `/usr/bin/time -v`.

use std::path::{Path, PathBuf};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use notice_pdf::source::DataSet;
use notice_pdf::{Notice, Options, layout};

const IDS: [&str; 6] = [
    "kundkannedom",
    "tjanster",
    "rattigheter",
    "rik",
    "marknadsforing",
    "leverantorer",
];

/// A data directory with `copies` copies of the fixture collection's notices, each sentence
/// ending with its copy's number, and one collection placing them all.
fn generate(copies: usize) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = root.join("tests/fixtures/exempelbanken");
    let dir = root.join(format!(
        "target/bench-collection-{}/data",
        copies * IDS.len()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        fixtures.join("exempelbanken.svg"),
        dir.join("exempelbanken.svg"),
    )
    .unwrap();
    let mut groups = String::new();
    for k in 0..copies {
        for id in IDS {
            let mut text = std::fs::read_to_string(fixtures.join(format!("{id}.toml")))
                .unwrap()
                // The notice's id comes first; a section may have the same id.
                .replacen(&format!("id = \"{id}\""), &format!("id = \"{id}-{k}\""), 1);
            for other in IDS {
                text = text.replace(&format!("notice:{other}"), &format!("notice:{other}-{k}"));
            }
            // Every copy's sentences differ from the others' (as different notices' do), so
            // that no paragraph is set from the memo of another copy.
            text = text.replace(".\"", &format!(" (kopia {k}).\""));
            std::fs::write(dir.join(format!("{id}-{k}.toml")), text).unwrap();
        }
        let list: Vec<String> = IDS.iter().map(|id| format!("\"{id}-{k}\"")).collect();
        groups.push_str(&format!(
            "\n[[groups]]\ntitle = \"Grupp {k}\"\nnotices = [{}]\n",
            list.join(", ")
        ));
    }
    let collection = std::fs::read_to_string(fixtures.join("collection.toml")).unwrap();
    let head = &collection[..collection.find("[[groups]]").unwrap()];
    std::fs::write(dir.join("collection.toml"), format!("{head}{groups}")).unwrap();
    dir
}

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("collection");
    group.sample_size(10);
    for copies in [2, 8, 16] {
        let data = generate(copies);
        let n = copies * IDS.len();
        let out = data.parent().unwrap().join("output");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("build", n), &data, |b, data| {
            b.iter(|| {
                let _ = std::fs::remove_dir_all(&out);
                notice_pdf::jobs::build(data, &out, &Options::default(), &mut |_| {}).unwrap()
            })
        });
    }
    group.finish();
}

fn pack_vs_chapters(c: &mut Criterion) {
    let data = generate(16);
    let set = DataSet::load_dir(&data).unwrap();
    let collection = set.collection().unwrap();
    let notices: Vec<&Notice> = set.notices().map(|l| &l.notice).collect();
    let selected = notice_pdf::render::pack_selection(collection, &notices, None).unwrap();
    let opts = Options::default();
    let mut group = c.benchmark_group("pack");
    group.sample_size(10);
    group.bench_function("layout-pack/96", |b| {
        b.iter(|| layout::typeset_pack(collection, &selected, &notices, &opts))
    });
    group.bench_function("layout-chapters-alone/96", |b| {
        b.iter(|| {
            for n in &selected {
                layout::typeset(n, &opts);
            }
        })
    });
    group.finish();
}

criterion_group!(benches, build, pack_vs_chapters);
criterion_main!(benches);
