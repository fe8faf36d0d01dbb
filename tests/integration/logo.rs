//! The publisher's logo: a PNG or SVG beside the data file, drawn at the top of the title
//! block as a tagged Figure, and every way a logo can be wrong reported at `logo.file`.
//! `tests/fixtures/exempelbanken/exempelbanken.svg` is a fictional bank's mark drawn for these tests.

use crate::common;

use std::path::{Path, PathBuf};

use notice_pdf::layout::{self, DisplayList, Item, StructKind};
use notice_pdf::model::PictureFormat;
use notice_pdf::{Edition, Options};

/// A scratch copy of the rich fixture and its logo, with `edit` applied to the data.
fn scratch_notice(name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let dir = common::scratch(name);
    let fixtures = common::root().join("tests/fixtures/exempelbanken");
    let text = std::fs::read_to_string(fixtures.join("rik.toml"))
        .unwrap()
        // Alone, without the collection: its link to another notice would be an error.
        .replace("(notice:leverantorer)", "(notice:rik)");
    std::fs::write(dir.join("rich.toml"), edit(text)).unwrap();
    std::fs::copy(
        fixtures.join("exempelbanken.svg"),
        dir.join("exempelbanken.svg"),
    )
    .unwrap();
    dir
}

fn laid_out(path: &Path, edition: Edition) -> DisplayList {
    let notice = notice_pdf::load(path).unwrap().notice;
    layout::layout(
        &notice,
        &Options {
            edition,
            ..Options::default()
        },
    )
}

/// The pictures of a display list: page, box, format, alternate text.
fn images(dl: &DisplayList) -> Vec<(usize, [f32; 4], PictureFormat, String)> {
    let mut out = Vec::new();
    for (p, page) in dl.pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Image(image) = item {
                let StructKind::Figure { alt } = &dl.structure[image.node].kind else {
                    panic!("an image is a Figure: {:?}", dl.structure[image.node].kind);
                };
                out.push((p, image.bbox, image.picture.format, alt.clone()));
            }
        }
    }
    out
}

#[test]
fn logo_stands_first_in_the_title_block_at_its_height_and_ratio() {
    let path = common::root().join("tests/fixtures/exempelbanken/rik.toml");
    for (edition, height) in [(Edition::Standard, 28.0), (Edition::Large, 36.0)] {
        let dl = laid_out(&path, edition);
        let found = images(&dl);
        assert_eq!(found.len(), 1, "{edition:?}: one logo");
        let (page, [l, t, r, b], format, alt) = found[0].clone();
        assert_eq!(
            (page, format, alt.as_str()),
            (0, PictureFormat::Svg, "Exempelbanken")
        );
        let area = dl.pages[0].text_area;
        assert!(
            (l - area[0]).abs() < 0.01 && (t - area[1]).abs() < 0.01,
            "{edition:?}: at the top left of the text area"
        );
        assert!(
            (b - t - height).abs() < 0.01,
            "{edition:?}: {height} pt high"
        );
        // The SVG is 96 × 40: the ratio is kept.
        assert!(
            (r - l - height * 96.0 / 40.0).abs() < 0.01,
            "{edition:?}: width"
        );
        // Everything else on the page (the label first) is below it.
        let first_text = dl.content_runs()[0].1;
        assert_eq!(first_text.text, "Integritetsinformation");
        assert!(
            first_text.y - first_text.size > b,
            "{edition:?}: the label is below the logo"
        );
    }
}

#[test]
fn logo_is_optional_and_a_notice_without_one_has_no_picture() {
    let dl = laid_out(&common::fixture_file(), Edition::Standard);
    assert!(images(&dl).is_empty());
}

#[test]
fn png_logo_is_drawn_in_pdf_and_preview() {
    let dir = scratch_notice("png-logo", |t| t.replace("exempelbanken.svg", "mark.png"));
    // A 60 × 20 picture in one colour, with a transparent right half.
    let mut png = image::RgbaImage::from_pixel(60, 20, image::Rgba([200, 30, 40, 255]));
    for x in 30..60 {
        for y in 0..20 {
            png.put_pixel(x, y, image::Rgba([0, 0, 0, 0]));
        }
    }
    png.save(dir.join("mark.png")).unwrap();
    let dl = laid_out(&dir.join("rich.toml"), Edition::Standard);
    let found = images(&dl);
    assert_eq!(found.len(), 1);
    let (_, [l, t, r, b], format, _) = found[0];
    assert_eq!(format, PictureFormat::Png);
    assert!((r - l - 84.0).abs() < 0.01 && (b - t - 28.0).abs() < 0.01);

    let pdf = notice_pdf::pdf::write(&dl).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/Subtype /Image") || text.contains("/Subtype/Image"));

    // The preview draws the opaque half in its colour and leaves the transparent half white.
    let mut raster = notice_pdf::preview::Rasterizer::default();
    let img = raster.page(&dl.pages[0], 72.0);
    let at = |x: f32, y: f32| *img.get_pixel(x as u32, y as u32);
    let mid = (t + b) / 2.0;
    assert_eq!(at(l + 10.0, mid), image::Rgb([200, 30, 40]));
    assert_eq!(at(r - 10.0, mid), image::Rgb([255, 255, 255]));
}

#[test]
fn svg_logo_is_drawn_in_the_preview_in_its_colours() {
    let dl = laid_out(
        &common::root().join("tests/fixtures/exempelbanken/rik.toml"),
        Edition::Standard,
    );
    let (_, [l, t, _, _], ..) = images(&dl)[0];
    let mut raster = notice_pdf::preview::Rasterizer::default();
    let img = raster.page(&dl.pages[0], 144.0);
    // The base of the temple front: x 2..38, y 34..38 of 96 × 40 user units, 28/40 pt each.
    let unit = 28.0 / 40.0;
    let px = *img.get_pixel(
        ((l + 20.0 * unit) * 2.0) as u32,
        ((t + 36.0 * unit) * 2.0) as u32,
    );
    assert_eq!(px, image::Rgb([0x0b, 0x5c, 0x5a]));
}

/// `notice-pdf check` on the scratch notice: exit code and standard error.
fn check(dir: &Path) -> (i32, String) {
    let out = common::run(dir, &["check", "rich.toml"]);
    (out.status.code().unwrap(), common::stderr(&out))
}

/// The line and column where `logo` is written in the scratch notice.
fn logo_at(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("rich.toml")).unwrap();
    let (line, l) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.starts_with("logo = "))
        .unwrap();
    format!(
        "rich.toml:{}:{}:",
        line + 1,
        l.find("file = \"").unwrap() + 8
    )
}

#[test]
fn every_wrong_logo_is_an_error_at_logo_file() {
    let missing = scratch_notice("logo-missing", |t| {
        t.replace("exempelbanken.svg", "saknas.svg")
    });
    let with_text = scratch_notice("logo-text", |t| t);
    std::fs::write(
        with_text.join("exempelbanken.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>Bank</text></svg>"#,
    )
    .unwrap();
    let not_png = scratch_notice("logo-not-png", |t| {
        t.replace("exempelbanken.svg", "fake.png")
    });
    std::fs::write(not_png.join("fake.png"), "<svg/>").unwrap();
    let directory = scratch_notice("logo-dir", |t| t.replace("exempelbanken.svg", "bilder"));
    let cases: [(&Path, &str); 4] = [
        (&missing, "saknas.svg: cannot read the file"),
        (&with_text, "the SVG has text"),
        (&not_png, "the file is not a readable PNG image"),
        (&directory, "\"bilder\" is neither a PNG nor an SVG file"),
    ];
    for (dir, message) in cases {
        let (code, err) = check(dir);
        assert_eq!(code, 1, "{err}");
        let at = logo_at(dir);
        assert!(
            err.contains(&format!("{at} logo.file: ")) && err.contains(message),
            "expected `{at} logo.file: …{message}…` in:\n{err}"
        );
    }
}

#[test]
fn logo_outside_the_data_directory_or_without_alt_text_is_refused() {
    for (name, edit, message) in [
        (
            "logo-parent",
            "../exempelbanken.svg",
            "is not the name of a file beside the data file",
        ),
        (
            "logo-abs",
            "/etc/exempelbanken.svg",
            "is not the name of a file beside the data file",
        ),
        (
            "logo-hidden",
            ".exempelbanken.svg",
            "is not the name of a file beside the data file",
        ),
    ] {
        let dir = scratch_notice(name, |t| t.replace("exempelbanken.svg", edit));
        let (code, err) = check(&dir);
        assert_eq!(code, 1);
        assert!(
            err.contains("logo.file: ") && err.contains(message),
            "{err}"
        );
    }
    let dir = scratch_notice("logo-no-alt", |t| {
        t.replace("alt = \"Exempelbanken\"", "alt = \" \"")
    });
    let (code, err) = check(&dir);
    assert_eq!(code, 1);
    assert!(err.contains("logo.alt: must not be empty"), "{err}");
}

#[test]
fn same_logo_gives_the_same_bytes_and_a_changed_logo_a_different_pdf() {
    let dir = scratch_notice("logo-bytes", |t| t);
    let render = || {
        let out = common::run(&dir, &["render", "rich.toml", "-o", "-"]);
        assert!(out.status.success(), "{}", common::stderr(&out));
        out.stdout
    };
    let first = render();
    assert_eq!(first, render());
    let svg = std::fs::read_to_string(dir.join("exempelbanken.svg")).unwrap();
    std::fs::write(
        dir.join("exempelbanken.svg"),
        svg.replace("#d08a1e", "#1e5bd0"),
    )
    .unwrap();
    assert_ne!(first, render());
}

/// In the `oracles` tier: both logo formats, in both editions, pass veraPDF PDF/A-3a and
/// PDF/UA-1, and qpdf finds the logo's Figure with its alternate text.
#[cfg(feature = "oracles")]
#[test]
fn logos_of_both_formats_pass_verapdf_and_carry_alt_text() {
    let dir = scratch_notice("logo-oracles", |t| t);
    let png = scratch_notice("logo-oracles-png", |t| {
        t.replace("exempelbanken.svg", "mark.png")
    });
    image::RgbImage::from_pixel(30, 10, image::Rgb([20, 90, 80]))
        .save(png.join("mark.png"))
        .unwrap();
    let mut files = Vec::new();
    for d in [&dir, &png] {
        for edition in ["standard", "large"] {
            let out = d.join(format!("{edition}.pdf"));
            let run = common::run(
                d,
                &[
                    "render",
                    "rich.toml",
                    "--edition",
                    edition,
                    "-o",
                    &out.to_string_lossy(),
                ],
            );
            assert!(run.status.success(), "{}", common::stderr(&run));
            files.push(out);
        }
    }
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    common::assert_verapdf_passes(&refs);
    for file in &files {
        let out = common::tool(
            "qpdf",
            &[
                "--qdf",
                "--object-streams=disable",
                &file.to_string_lossy(),
                "-",
            ],
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("/Alt (Exempelbanken)") && text.contains("/S /Figure"),
            "{}: the logo's Figure with /Alt",
            file.display()
        );
    }
}

/// The scratch notice with `file` as its logo, holding `bytes`.
fn with_logo(name: &str, file: &str, bytes: &[u8]) -> PathBuf {
    let dir = scratch_notice(name, |t| t.replace("exempelbanken.svg", file));
    std::fs::write(dir.join(file), bytes).unwrap();
    dir
}

/// `args` run under the memory cap: exit 1 (never a signal) with `message` at `logo.file`.
fn refused_at_logo(dir: &Path, args: &[&str], message: &str) {
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let o = common::bombs::run_capped(dir, args, common::bombs::ADDRESS_SPACE, &tmp);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
    let at = logo_at(dir);
    assert!(
        err.contains(&format!("{at} logo.file: ")) && err.contains(message),
        "{args:?}: expected `{at} logo.file: …{message}…` in:\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

const SVG_OPEN: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="40">"#;

#[test]
fn svg_logos_with_unbounded_geometry_are_refused_at_logo_file_and_never_abort() {
    for (i, body) in [
        r#"<path d="M0 0L3e38 3e38L0 3e38Z"/>"#,
        r#"<rect width="10" height="10" transform="matrix(3e38 0 0 3e38 0 0)"/>"#,
        r#"<rect x="-3e38" y="-3e38" width="3e38" height="3e38"/>"#,
        r#"<rect width="10" height="10" stroke="black" stroke-width="3e38"/>"#,
        r#"<g transform="translate(1e37 1e37)"><rect width="1" height="1"/></g>"#,
        // A finite pattern cell of 100 000 units: the preview aborted allocating it.
        r#"<pattern id="p" width="1e5" height="1e5" patternUnits="userSpaceOnUse"><rect width="5" height="5"/></pattern><rect width="96" height="40" fill="url(#p)"/>"#,
    ]
    .into_iter()
    .enumerate()
    {
        let svg = format!("{SVG_OPEN}{body}</svg>");
        let dir = with_logo(&format!("logo-geometry-{i}"), "mark.svg", svg.as_bytes());
        for args in [
            &["check", "rich.toml"][..],
            &["render", "rich.toml", "-o", "out.pdf"],
            &["preview", "rich.toml", "-o", "pv", "--dpi", "600"],
        ] {
            refused_at_logo(&dir, args, "mark.svg: ");
        }
        assert!(!dir.join("out.pdf").exists());
    }
    // A view box that scales a speck up to 3e38.
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="96" height="40" viewBox="0 0 1e-36 1e-36"><rect width="1e-36" height="1e-36"/></svg>"#;
    let dir = with_logo("logo-geometry-viewbox", "mark.svg", svg.as_bytes());
    refused_at_logo(&dir, &["render", "rich.toml", "-o", "out.pdf"], "within ±");
}

#[test]
fn a_png_logo_over_the_pixel_limit_is_refused_from_its_header_with_the_numbers() {
    let dir = with_logo(
        "logo-png-65535",
        "mark.png",
        &common::bombs::png_header_only(65535, 65535),
    );
    refused_at_logo(
        &dir,
        &["check", "rich.toml"],
        "the PNG is 65535 × 65535 pixels (4 294 836 225 pixels); a logo may have at most 4 194 304 pixels (2048 × 2048)",
    );
    let (_, err) = check(&dir);
    assert!(err.contains("save it at most 2048 × 2048"), "{err}");
    assert!(!err.contains("Memory limit exceeded"), "{err}");
}

#[test]
fn a_png_logo_bomb_within_the_file_limit_is_refused_before_it_is_decoded() {
    // 8192 × 8192 of 16-bit RGBA: about 510 KB that decode to 512 MiB.
    let png = common::bombs::png_16bit_rgba(8192, 8192);
    assert!(png.len() < 1 << 20, "{}", png.len());
    let dir = with_logo("logo-png-bomb", "mark.png", &png);
    for args in [
        &["check", "rich.toml"][..],
        &["render", "rich.toml", "-o", "out.pdf"],
    ] {
        refused_at_logo(&dir, args, "8192 × 8192 pixels");
    }
    // One within the limit renders under the same cap.
    std::fs::write(
        dir.join("mark.png"),
        common::bombs::png_16bit_rgba(2048, 2048),
    )
    .unwrap();
    let o = common::bombs::run_capped(
        &dir,
        &["render", "rich.toml", "-o", "out.pdf"],
        common::bombs::ADDRESS_SPACE,
        &dir,
    );
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
}

/// `data` as a `data:` URL.
fn data_url(mime: &str, data: &[u8]) -> String {
    use base64::Engine;
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(data)
    )
}

#[test]
fn pictures_nested_in_an_svg_logo_obey_the_pixel_and_text_rules() {
    let image = |url: &str| format!(r#"<image width="96" height="40" href="{url}"/>"#);
    let bomb = data_url("image/png", &common::bombs::png_16bit_rgba(8192, 8192));
    let text_svg = format!("{SVG_OPEN}<text x=\"1\" y=\"20\">Bank</text></svg>");
    let nested_svg = |inner: &str| {
        data_url(
            "image/svg+xml",
            format!("{SVG_OPEN}{inner}</svg>").as_bytes(),
        )
    };
    for (name, body, message) in [
        ("png", image(&bomb), "8192 × 8192 pixels"),
        (
            "svg-png",
            image(&nested_svg(&image(&bomb))),
            "8192 × 8192 pixels",
        ),
        (
            "svg-text",
            image(&data_url("image/svg+xml", text_svg.as_bytes())),
            "convert its text to paths",
        ),
        (
            "svg-svg-text",
            image(&nested_svg(&image(&data_url(
                "image/svg+xml",
                text_svg.as_bytes(),
            )))),
            "convert its text to paths",
        ),
    ] {
        let svg = format!("{SVG_OPEN}{body}</svg>");
        assert!(svg.len() < 1 << 20);
        let dir = with_logo(&format!("logo-nested-{name}"), "mark.svg", svg.as_bytes());
        for args in [
            &["check", "rich.toml"][..],
            &["render", "rich.toml", "-o", "out.pdf"],
            &["preview", "rich.toml", "-o", "pv", "--dpi", "600"],
        ] {
            refused_at_logo(&dir, args, message);
        }
    }
}

#[test]
fn a_logo_is_named_as_the_data_names_it_never_by_a_path_on_the_server() {
    let dir = scratch_notice("logo-named", |t| {
        t.replace("exempelbanken.svg", "saknas.svg")
    });
    let data = dir.join("rich.toml");
    let o = common::run(&dir, &["check", data.to_str().unwrap()]);
    let err = common::stderr(&o);
    assert!(
        err.contains("logo.file: saknas.svg: cannot read the file"),
        "{err}"
    );
    // The directory appears once: as where the data file is, which the user gave.
    assert_eq!(err.matches(dir.to_str().unwrap()).count(), 1, "{err}");
}
