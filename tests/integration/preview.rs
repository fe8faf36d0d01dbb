//! The preview writer against pdftoppm, and reference images.

use crate::common;

use image::{GrayImage, Luma};
use notice_pdf::layout::{self, DisplayList, Item};
use notice_pdf::preview::Rasterizer;
use notice_pdf::{Align, Edition, Options};

fn display(edition: Edition) -> DisplayList {
    let n = notice_pdf::load(&common::fixture_file()).unwrap().notice;
    layout::layout(
        &n,
        &Options {
            edition,
            align: Align::Left,
            date: None,
        },
    )
}

/// Ink bounding box (left, top, right, bottom; inclusive, px) inside the given window, if any:
/// pixels at least 35 % of the way from white to the text's own grey level `ink`.
#[cfg(feature = "oracles")]
fn ink_box(
    img: &GrayImage,
    ink: u8,
    (x0, y0, x1, y1): (i64, i64, i64, i64),
) -> Option<(i64, i64, i64, i64)> {
    let threshold = 255.0 - 0.35 * (255.0 - f32::from(ink));
    let mut b: Option<(i64, i64, i64, i64)> = None;
    for y in y0.max(0)..y1.min(i64::from(img.height())) {
        for x in x0.max(0)..x1.min(i64::from(img.width())) {
            if f32::from(img.get_pixel(x as u32, y as u32).0[0]) <= threshold {
                b = Some(match b {
                    None => (x, y, x, y),
                    Some((l, t, r, bt)) => (l.min(x), t.min(y), r.max(x), bt.max(y)),
                });
            }
        }
    }
    b
}

/// The window a text line's ink must lie in, px: its advance box widened a little, from the
/// font's ascender to its descender.
#[cfg(feature = "oracles")]
fn window(run: &notice_pdf::layout::TextRun, s: f32) -> (i64, i64, i64, i64) {
    let face = run.font.face();
    let x0 = ((run.x - 2.0) * s).floor() as i64;
    let x1 = ((run.x + run.width() + 2.0) * s).ceil() as i64;
    let y0 = ((run.y - face.ascender * run.size) * s).floor() as i64;
    let y1 = ((run.y + face.descender * run.size) * s).ceil() as i64;
    (x0, y0, x1, y1)
}

/// In the `oracles` tier: needs pdftoppm.
#[cfg(feature = "oracles")]
#[test]
fn preview_ink_matches_pdftoppm_per_line() {
    const DPI: f32 = 96.0;
    let s = DPI / 72.0;
    for edition in Edition::ALL {
        let dl = display(edition);
        let dir = common::scratch(&format!("ink-{}", edition.key()));
        let pdf = dir.join("n.pdf");
        std::fs::write(&pdf, notice_pdf::pdf::write(&dl).unwrap()).unwrap();
        let prefix = dir.join("p");
        let out = common::tool(
            "pdftoppm",
            &[
                "-r",
                "96",
                "-gray",
                "-png",
                pdf.to_str().unwrap(),
                prefix.to_str().unwrap(),
            ],
        );
        assert!(out.status.success());
        let mut r = Rasterizer::default();
        let mut lines = 0;
        for (i, page) in dl.pages.iter().enumerate() {
            let ours = image::DynamicImage::ImageRgb8(r.page(page, DPI)).to_luma8();
            let theirs = image::open(dir.join(format!("p-{}.png", i + 1)))
                .unwrap()
                .to_luma8();
            assert_eq!(ours.dimensions(), theirs.dimensions());
            for item in &page.items {
                let Item::Text(run) = item else { continue };
                let c = run.color;
                let ink = (0.299 * f32::from(c.0) + 0.587 * f32::from(c.1) + 0.114 * f32::from(c.2))
                    as u8;
                let a = ink_box(&ours, ink, window(run, s));
                let b = ink_box(&theirs, ink, window(run, s));
                let (Some(a), Some(b)) = (a, b) else {
                    panic!("no ink for {:?}: ours {a:?}, pdftoppm {b:?}", run.text)
                };
                let d = [
                    (a.0 - b.0).abs(),
                    (a.1 - b.1).abs(),
                    (a.2 - b.2).abs(),
                    (a.3 - b.3).abs(),
                ];
                assert!(
                    d.iter().all(|d| *d <= 1),
                    "{} page {}: {:?}: ink box ours {a:?} vs pdftoppm {b:?}",
                    edition.key(),
                    i + 1,
                    run.text
                );
                lines += 1;
            }
        }
        assert!(lines > 50, "compared {lines} lines");
    }
}

/// Saves a greyscale PNG with the strongest compression (references stay a few KB).
fn save_small(img: &GrayImage, path: &std::path::Path) {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut bytes = Vec::new();
    PngEncoder::new_with_quality(&mut bytes, CompressionType::Best, FilterType::Adaptive)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::L8,
        )
        .unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Compares `img` with `tests/ref/<name>.png`; `UPDATE_REFS=1` rewrites the reference. On a
/// mismatch, writes `<name>.actual.png` and `<name>.diff.png` beside it.
fn check_reference(name: &str, img: &GrayImage) {
    let dir = common::root().join("tests/ref");
    let path = dir.join(format!("{name}.png"));
    if std::env::var_os("UPDATE_REFS").is_some() {
        save_small(img, &path);
        return;
    }
    let want = image::open(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; create it with UPDATE_REFS=1", path.display()))
        .to_luma8();
    let same_size = want.dimensions() == img.dimensions();
    let mut diff = GrayImage::from_pixel(img.width(), img.height(), Luma([255]));
    let (mut total, mut bad) = (0u64, 0u64);
    if same_size {
        for (x, y, p) in img.enumerate_pixels() {
            let d = (i32::from(p.0[0]) - i32::from(want.get_pixel(x, y).0[0])).unsigned_abs();
            total += u64::from(d);
            if d > 32 {
                bad += 1;
            }
            diff.put_pixel(x, y, Luma([255 - d.min(255) as u8]));
        }
    }
    let pixels = u64::from(img.width()) * u64::from(img.height());
    // Tolerance for rasteriser rounding on other CPUs; a moved line fails it.
    let ok = same_size && total as f64 / pixels as f64 <= 0.5 && bad * 1000 <= pixels;
    if !ok {
        img.save(dir.join(format!("{name}.actual.png"))).unwrap();
        diff.save(dir.join(format!("{name}.diff.png"))).unwrap();
        panic!(
            "{name}: differs from tests/ref/{name}.png (same size: {same_size}, {bad} pixels off by more than 32); \
             see tests/ref/{name}.actual.png and {name}.diff.png, or run with UPDATE_REFS=1 if the change is intended"
        );
    }
}

/// A page at 24 dpi in 16 grey levels: enough to see the layout, a few KB as PNG.
fn thumbnail(r: &mut Rasterizer, page: &notice_pdf::layout::Page) -> GrayImage {
    let mut img = image::DynamicImage::ImageRgb8(r.page(page, 24.0)).to_luma8();
    for p in img.pixels_mut() {
        p.0[0] = ((f32::from(p.0[0]) / 17.0).round() * 17.0) as u8;
    }
    img
}

#[test]
fn reference_images() {
    let mut r = Rasterizer::default();
    for edition in Edition::ALL {
        let dl = display(edition);
        for (i, page) in dl.pages.iter().enumerate() {
            let img = thumbnail(&mut r, page);
            check_reference(
                &format!("{}-{}-p{}", dl.meta.id, edition.key(), i + 1),
                &img,
            );
        }
    }
}

#[test]
fn reference_check_catches_a_moved_line() {
    // The comparison itself must fail when a line moves by a few pixels.
    let dl = display(Edition::Standard);
    let mut page = dl.pages[0].clone();
    let mut r = Rasterizer::default();
    let a = thumbnail(&mut r, &page);
    for item in &mut page.items {
        if let Item::Text(run) = item {
            run.y += 8.0;
            break;
        }
    }
    let b = thumbnail(&mut r, &page);
    let bad = a
        .pixels()
        .zip(b.pixels())
        .filter(|(p, q)| p.0[0].abs_diff(q.0[0]) > 32)
        .count();
    let pixels = (a.width() * a.height()) as usize;
    assert!(
        bad * 1000 > pixels / 10,
        "a moved line changes {bad} pixels"
    );
}

#[test]
fn preview_cli_writes_one_png_per_page() {
    let dir = common::scratch("preview-cli");
    let out = dir.to_str().unwrap();
    let preview = |extra: &[&str]| {
        let mut args = vec!["preview", "data/kundservice.toml", "-o", out, "--dpi", "40"];
        args.extend_from_slice(extra);
        let o = common::run(&common::root(), &args);
        assert!(o.status.success(), "{}", common::stderr(&o));
    };
    preview(&[]);
    let pages = display(Edition::Standard).pages.len();
    for p in 1..=pages {
        let img = image::open(dir.join(format!("kundservice-p{p}.png"))).unwrap();
        assert_eq!((img.width(), img.height()), (331, 468));
    }
    assert!(!dir.join(format!("kundservice-p{}.png", pages + 1)).exists());
    preview(&["--edition", "large"]);
    assert!(dir.join("kundservice.large-p1.png").exists());
}
