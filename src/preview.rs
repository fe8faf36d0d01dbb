//! The preview writer: a [`DisplayList`] to PNG pages, with fontdue (glyph coverage) and
//! image (encoding).
//!
//! It draws the very glyphs, positions and rules the PDF writer draws, so a preview shows
//! where ink lands in the PDF (tested against pdftoppm to within 1 px per line). Glyphs are
//! placed at their exact fractional position: fontdue rasterises at a whole-pixel origin and
//! the coverage is shifted by the remaining fraction (bilinear). Antialiasing differs from a
//! PDF renderer's; positions do not.

use std::collections::HashMap;
use std::sync::LazyLock;

use image::{ImageEncoder, RgbImage};

use crate::fonts::FontId;
use crate::layout::{DisplayList, Item, Page, Rgb};
use crate::model::{Picture, PictureFormat};

/// fontdue's parse of the same font files the PDF embeds.
/// Each face parsed for rasterising on first use.
static RASTER_FONTS: [LazyLock<fontdue::Font>; 4] = [
    LazyLock::new(|| raster_font(FontId::Regular)),
    LazyLock::new(|| raster_font(FontId::SemiBold)),
    LazyLock::new(|| raster_font(FontId::Italic)),
    LazyLock::new(|| raster_font(FontId::SemiBoldItalic)),
];

fn raster_font(f: FontId) -> fontdue::Font {
    fontdue::Font::from_bytes(f.data(), fontdue::FontSettings::default())
        .expect("committed font parses")
}

/// Default preview resolution, dots per inch.
pub const DEFAULT_DPI: f32 = 96.0;

type GlyphKey = (FontId, u16, u32);

/// Rasterises pages, caching glyph bitmaps across pages.
#[derive(Default)]
pub struct Rasterizer {
    cache: HashMap<GlyphKey, (fontdue::Metrics, Vec<u8>)>,
}

impl Rasterizer {
    /// Draws one page at `dpi` on white.
    pub fn page(&mut self, page: &Page, dpi: f32) -> RgbImage {
        let s = dpi / 72.0;
        let (w, h) = (
            (page.width * s).round() as u32,
            (page.height * s).round() as u32,
        );
        let mut img = RgbImage::from_pixel(w.max(1), h.max(1), image::Rgb([255, 255, 255]));
        for item in &page.items {
            match item {
                Item::Rule(r) => {
                    let t = r.thickness / 2.0;
                    fill_rect(
                        &mut img,
                        (r.x0.min(r.x1) - if r.y0 == r.y1 { 0.0 } else { t }) * s,
                        (r.y0.min(r.y1) - t) * s,
                        (r.x0.max(r.x1) + if r.y0 == r.y1 { 0.0 } else { t }) * s,
                        (r.y0.max(r.y1) + t) * s,
                        r.color,
                    );
                }
                Item::Image(image) => {
                    let [l, t, r, b] = image.bbox.map(|v| v * s);
                    let (w, h) = (
                        (r - l).round().max(1.0) as u32,
                        (b - t).round().max(1.0) as u32,
                    );
                    if let Some(pixels) = picture(&image.picture, w, h) {
                        composite(&mut img, l.round() as i64, t.round() as i64, &pixels);
                    }
                }
                // Nothing to draw: the link's text and underline are items of their own.
                Item::Link(_) => {}
                Item::Figure(f) => {
                    for r in f.rects() {
                        fill_rect(
                            &mut img,
                            r[0] * s,
                            r[1] * s,
                            (r[0] + r[2]) * s,
                            (r[1] + r[3]) * s,
                            f.color,
                        );
                    }
                }
                Item::Text(run) => {
                    let px = run.size * s;
                    let mut pen = run.x;
                    for g in &run.glyphs {
                        let key = (run.font, g.id, px.to_bits());
                        let (m, bitmap) = self.cache.entry(key).or_insert_with(|| {
                            RASTER_FONTS[run.font as usize].rasterize_indexed(g.id, px)
                        });
                        let ox = (pen + g.x_offset) * s;
                        let oy = (run.y - g.y_offset) * s;
                        let (ix, iy) = (ox.floor(), oy.floor());
                        let left = ix as i64 + i64::from(m.xmin);
                        let top = iy as i64 - i64::from(m.ymin) - m.height as i64;
                        let shifted = shift(bitmap, m.width, m.height, ox - ix, oy - iy);
                        blit(
                            &mut img,
                            left,
                            top,
                            m.width + 1,
                            m.height + 1,
                            &shifted,
                            run.color,
                        );
                        pen += g.x_advance;
                    }
                }
            }
        }
        img
    }
}

/// `picture` drawn at `w` × `h` pixels, straight (not premultiplied) RGBA; `None` if it
/// cannot be read (a loaded notice's pictures always can).
fn picture(picture: &Picture, w: u32, h: u32) -> Option<image::RgbaImage> {
    match picture.format {
        PictureFormat::Png => {
            let img = image::load_from_memory_with_format(&picture.data, image::ImageFormat::Png)
                .ok()?
                .to_rgba8();
            Some(image::imageops::resize(
                &img,
                w,
                h,
                image::imageops::FilterType::Triangle,
            ))
        }
        PictureFormat::Svg => {
            let tree = crate::picture::svg_tree(&picture.data).ok()?;
            let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h)?;
            let size = tree.size();
            let scale = resvg::tiny_skia::Transform::from_scale(
                w as f32 / size.width(),
                h as f32 / size.height(),
            );
            resvg::render(&tree, scale, &mut pixmap.as_mut());
            let mut out = image::RgbaImage::new(w, h);
            for (px, c) in out.pixels_mut().zip(pixmap.pixels()) {
                let c = c.demultiply();
                *px = image::Rgba([c.red(), c.green(), c.blue(), c.alpha()]);
            }
            Some(out)
        }
    }
}

/// Blends straight-alpha `pixels` onto the image with their top-left corner at (`left`, `top`).
fn composite(img: &mut RgbImage, left: i64, top: i64, pixels: &image::RgbaImage) {
    for (x, y, p) in pixels.enumerate_pixels() {
        let (px, py) = (left + i64::from(x), top + i64::from(y));
        if px < 0 || py < 0 || px >= i64::from(img.width()) || py >= i64::from(img.height()) {
            continue;
        }
        let a = f32::from(p[3]) / 255.0;
        let dst = img.get_pixel_mut(px as u32, py as u32);
        for i in 0..3 {
            dst[i] = (f32::from(p[i]) * a + f32::from(dst[i]) * (1.0 - a)).round() as u8;
        }
    }
}

/// Moves a `w`×`h` coverage bitmap right by `fx` and down by `fy` (each in [0, 1)),
/// returning a (`w`+1)×(`h`+1) bitmap of coverage in [0, 1].
fn shift(cov: &[u8], w: usize, h: usize, fx: f32, fy: f32) -> Vec<f32> {
    let (w2, h2) = (w + 1, h + 1);
    let mut out = vec![0.0f32; w2 * h2];
    for y in 0..h {
        for x in 0..w {
            let c = f32::from(cov[y * w + x]) / 255.0;
            if c == 0.0 {
                continue;
            }
            out[y * w2 + x] += c * (1.0 - fx) * (1.0 - fy);
            out[y * w2 + x + 1] += c * fx * (1.0 - fy);
            out[(y + 1) * w2 + x] += c * (1.0 - fx) * fy;
            out[(y + 1) * w2 + x + 1] += c * fx * fy;
        }
    }
    out
}

/// Blends a coverage bitmap (values in [0, 1]) in `color` onto the image.
fn blit(img: &mut RgbImage, left: i64, top: i64, w: usize, h: usize, cov: &[f32], color: Rgb) {
    let (iw, ih) = (i64::from(img.width()), i64::from(img.height()));
    for row in 0..h {
        let y = top + row as i64;
        if !(0..ih).contains(&y) {
            continue;
        }
        for col in 0..w {
            let x = left + col as i64;
            let a = cov[row * w + col].min(1.0);
            if a <= 0.0 || !(0..iw).contains(&x) {
                continue;
            }
            blend(img.get_pixel_mut(x as u32, y as u32), color, a);
        }
    }
}

/// Fills the rectangle (x0, y0)–(x1, y1), in pixels, with exact area coverage at its edges.
fn fill_rect(img: &mut RgbImage, x0: f32, y0: f32, x1: f32, y1: f32, color: Rgb) {
    let (w, h) = (img.width() as i64, img.height() as i64);
    for y in (y0.floor() as i64).max(0)..(y1.ceil() as i64).min(h) {
        let cy = (y1.min(y as f32 + 1.0) - y0.max(y as f32)).clamp(0.0, 1.0);
        for x in (x0.floor() as i64).max(0)..(x1.ceil() as i64).min(w) {
            let cx = (x1.min(x as f32 + 1.0) - x0.max(x as f32)).clamp(0.0, 1.0);
            if cx * cy > 0.0 {
                blend(img.get_pixel_mut(x as u32, y as u32), color, cx * cy);
            }
        }
    }
}

fn blend(px: &mut image::Rgb<u8>, c: Rgb, a: f32) {
    for (d, s) in px.0.iter_mut().zip([c.0, c.1, c.2]) {
        *d = (f32::from(*d) * (1.0 - a) + f32::from(s) * a).round() as u8;
    }
}

/// Encodes an image as PNG (deterministic: same pixels, same bytes).
pub fn encode_png(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .expect("encoding to memory cannot fail");
    out
}

/// Every page of the document as PNG bytes, at `dpi`.
pub fn pages_png(dl: &DisplayList, dpi: f32) -> Vec<Vec<u8>> {
    let mut r = Rasterizer::default();
    dl.pages
        .iter()
        .map(|p| encode_png(&r.page(p, dpi)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{ArtifactKind, Rule};

    #[test]
    fn rules_cover_exactly_their_area() {
        let page = Page {
            width: 10.0,
            height: 10.0,
            text_area: [0.0, 0.0, 10.0, 10.0],
            items: vec![Item::Rule(Rule {
                x0: 2.0,
                y0: 5.0,
                x1: 8.0,
                y1: 5.0,
                thickness: 1.0,
                color: Rgb(0, 0, 0),
                artifact: ArtifactKind::Layout,
                marks: crate::layout::RuleMarks::Words,
            })],
        };
        // At 72 dpi, 1 pt = 1 px: rows 4 and 5 are half covered between x 2 and 8.
        let img = Rasterizer::default().page(&page, 72.0);
        assert_eq!(img.get_pixel(4, 4).0, [128, 128, 128]);
        assert_eq!(img.get_pixel(4, 5).0, [128, 128, 128]);
        assert_eq!(img.get_pixel(4, 6).0, [255, 255, 255]);
        assert_eq!(img.get_pixel(1, 4).0, [255, 255, 255]);
    }

    #[test]
    fn shifting_keeps_coverage_and_moves_its_centre() {
        let cov = [255u8, 0, 0, 0];
        let out = shift(&cov, 2, 2, 0.25, 0.5);
        let total: f32 = out.iter().sum();
        assert!((total - 1.0).abs() < 1e-6);
        let cx: f32 = (0..9).map(|i| out[i] * (i % 3) as f32).sum();
        let cy: f32 = (0..9).map(|i| out[i] * (i / 3) as f32).sum();
        assert!((cx - 0.25).abs() < 1e-6 && (cy - 0.5).abs() < 1e-6);
    }

    #[test]
    fn fontdue_reads_the_cff_fonts() {
        for f in &RASTER_FONTS {
            let (m, bitmap) = f.rasterize_indexed(f.lookup_glyph_index('å'), 20.0);
            assert!(m.width > 0 && m.height > 0 && bitmap.iter().any(|&c| c > 200));
        }
    }
}
