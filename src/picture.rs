//! Pictures from the data directory (a publisher's logo): checking that a PNG or SVG file can
//! be drawn, and its size. The PDF and preview writers draw from the same bytes, through the
//! same checks ([`svg_tree`]), so a picture that passes `check` is one every writer can draw.
//!
//! An SVG is read with usvg and no fonts and no files: text must be converted to paths, and an
//! `<image>` may only embed its picture (a `data:` URL), never name another file.
//!
//! The limits, each checked before the work it bounds:
//! - pixels ([`MAX_PIXELS`]): read from a PNG's header before it is decoded, for the file
//!   itself and for every PNG an SVG embeds (all of them counted together, at every depth);
//! - geometry ([`MAX_COORD`], and one canvas size around the canvas): every coordinate,
//!   transform, stroke and paint of an SVG after usvg has resolved it, finite and bounded,
//!   so no writer is handed a number it cannot scale;
//! - work: at most [`MAX_EMBEDDED`] embedded pictures, [`MAX_DEPTH`] deep, no filters (the
//!   PDF writer would rasterise them), no patterns (the preview would rasterise a cell of
//!   any size), at most [`MAX_DASHES`] dashes a stroke.

use std::io::Cursor;
use std::sync::{Arc, Mutex};

use crate::model::{Picture, PictureFormat};

/// The largest side of a picture accepted, in pixels (PNG) or user units (SVG).
pub const MAX_SIDE: f32 = 8192.0;

/// The most pixels a logo may decode to (2048 × 2048): a PNG file, or all the PNGs an SVG
/// embeds together. A logo is drawn 28 pt high (36 pt in large print); 300 pixels high print
/// sharply.
pub const MAX_PIXELS: u64 = 2048 * 2048;

/// The largest absolute value of any number of an SVG's resolved geometry (coordinates,
/// transform components, stroke widths, gradient and pattern geometry), in user units.
pub const MAX_COORD: f32 = 1.0e6;

/// The most pictures an SVG may embed (each `<image>` drawn counts, at every depth).
pub const MAX_EMBEDDED: usize = 64;

/// How deep SVGs may be embedded in SVGs (the file itself is depth 0).
pub const MAX_DEPTH: usize = 4;

/// The most dashes one dashed stroke may have (its length over the dash pattern's).
pub const MAX_DASHES: f32 = 100_000.0;

/// Why a picture is refused: what is wrong, and what to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub message: String,
    pub hint: String,
}

impl Refusal {
    fn new(message: impl Into<String>, hint: &str) -> Refusal {
        Refusal {
            message: message.into(),
            hint: hint.to_owned(),
        }
    }
}

const HINT_SAVE: &str = "save the logo again as a PNG or an SVG (text as paths)";
const HINT_PIXELS: &str = "a logo needs far fewer pixels: save it at most 2048 × 2048 (300 pixels high print sharply), or as an SVG";
const HINT_GEOMETRY: &str = "export the logo again as plain paths and fills on its canvas (fit the artboard to the artwork)";

/// Reads `data` as a picture of `format`: `Err` says why it cannot be drawn.
pub fn decode(format: PictureFormat, data: Vec<u8>) -> Result<Picture, Refusal> {
    let size = match format {
        PictureFormat::Png => {
            let (w, h) = check_png(&data, 0)?;
            (w as f32, h as f32)
        }
        PictureFormat::Svg => {
            let tree = svg_checked(&data)?;
            (tree.size().width(), tree.size().height())
        }
    };
    if !(size.0 >= 1.0 && size.1 >= 1.0 && size.0 <= MAX_SIDE && size.1 <= MAX_SIDE) {
        return Err(Refusal::new(
            format!(
                "the picture is {} × {}; each side must be from 1 to {MAX_SIDE}",
                size.0, size.1
            ),
            HINT_SAVE,
        ));
    }
    Ok(Picture {
        format,
        data: Arc::from(data),
        size,
    })
}

/// `n` with a space between groups of three digits (`4 194 304`).
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Checks a PNG: its size from its header, against the pixels left of [`MAX_PIXELS`] after
/// `used`, and only then that it decodes. Returns its width and height in pixels.
fn check_png(data: &[u8], used: u64) -> Result<(u32, u32), Refusal> {
    let unreadable =
        |e: image::ImageError| Refusal::new(format!("the PNG is not readable: {e}"), HINT_SAVE);
    let (w, h) = png_size(data).ok_or_else(|| {
        Refusal::new(
            "the file is not a readable PNG image: it does not begin with a PNG signature and header",
            HINT_SAVE,
        )
    })?;
    let pixels = u64::from(w) * u64::from(h);
    if used + pixels > MAX_PIXELS {
        let message = if used == 0 {
            format!(
                "the PNG is {w} × {h} pixels ({} pixels); a logo may have at most {} pixels (2048 × 2048)",
                grouped(pixels),
                grouped(MAX_PIXELS)
            )
        } else {
            format!(
                "the SVG embeds PNG pictures of {} pixels in all (the last {w} × {h}); a logo may have at most {} pixels (2048 × 2048)",
                grouped(used + pixels),
                grouped(MAX_PIXELS)
            )
        };
        return Err(Refusal::new(message, HINT_PIXELS));
    }
    // Within the limit: decode it once, so that a truncated file is refused here rather than
    // left out of a PDF. 16-bit RGBA is 8 bytes a pixel; the limit holds the decoder to it.
    let mut reader = image::ImageReader::with_format(Cursor::new(data), image::ImageFormat::Png);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 8 + (1 << 20));
    reader.limits(limits);
    reader.decode().map_err(unreadable)?;
    Ok((w, h))
}

/// The width and height a PNG's header (its first chunk, ISO/IEC 15948 §11.2.2) gives, read
/// without decoding anything.
fn png_size(data: &[u8]) -> Option<(u32, u32)> {
    let rest = data.strip_prefix(b"\x89PNG\r\n\x1a\n")?;
    let ihdr = rest.strip_prefix(b"\0\0\0\x0dIHDR")?;
    let w = u32::from_be_bytes(ihdr.get(0..4)?.try_into().ok()?);
    let h = u32::from_be_bytes(ihdr.get(4..8)?.try_into().ok()?);
    Some((w, h))
}

/// Parses an SVG as every writer draws it: without fonts and without other files, checked
/// (see the module docs).
pub fn svg_tree(data: &[u8]) -> Result<usvg::Tree, String> {
    svg_checked(data).map_err(|r| r.message)
}

fn svg_checked(data: &[u8]) -> Result<usvg::Tree, Refusal> {
    let budget = Mutex::new(Budget::default());
    let tree = parse_svg(data, 0, &budget);
    match budget.into_inner().map(|b| b.problem) {
        Ok(Some(problem)) => Err(problem),
        _ => tree,
    }
}

/// What the pictures an SVG embeds have used of the limits, and the first problem found in
/// one (usvg's resolver can only say "no picture").
#[derive(Default)]
struct Budget {
    pixels: u64,
    pictures: usize,
    problem: Option<Refusal>,
}

/// Parses an SVG embedded `depth` deep, counting what it embeds in `budget`.
fn parse_svg(data: &[u8], depth: usize, budget: &Mutex<Budget>) -> Result<usvg::Tree, Refusal> {
    let text = std::str::from_utf8(data)
        .map_err(|_| Refusal::new("the SVG file is not valid UTF-8", HINT_SAVE))?;
    let doc = usvg::roxmltree::Document::parse(text).map_err(|e| {
        Refusal::new(
            format!("the file is not a readable SVG image: {e}"),
            HINT_SAVE,
        )
    })?;
    if doc
        .descendants()
        .any(|n| n.is_element() && n.tag_name().name() == "text")
    {
        let message = if depth == 0 {
            "the SVG has text, which would be drawn in a font we do not ship: convert its text to paths"
        } else {
            "an SVG the SVG embeds has text, which would be drawn in a font we do not ship: convert its text to paths"
        };
        return Err(Refusal::new(message, HINT_SAVE));
    }
    // Numbers are bounded as written, before usvg reads them: it can spend without end on
    // some (an arc to 3e38 is cut into ever more curves).
    numbers_as_written(&doc).map_err(|m| Refusal::new(m, HINT_GEOMETRY))?;
    // usvg folds the view box into a transform: a huge one scales the drawing to nothing.
    if let Some(view_box) = doc.root_element().attribute("viewBox") {
        for v in view_box
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|v| !v.is_empty())
        {
            let v: f32 = v.parse().unwrap_or(f32::NAN);
            geometry::number("a number of the view box", v)
                .map_err(|m| Refusal::new(m, HINT_GEOMETRY))?;
        }
    }
    let options = usvg::Options {
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(move |mime, data, _| embedded(mime, data, depth, budget)),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    // usvg unwraps on some degenerate geometry (a mask whose box a transform collapses):
    // such a file is refused like any other that cannot be read, never a crash.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        usvg::Tree::from_xmltree(&doc, &options)
    }));
    let tree = match parsed {
        Ok(Ok(tree)) => tree,
        Ok(Err(e)) => {
            return Err(Refusal::new(
                format!("the file is not a readable SVG image: {e}"),
                HINT_SAVE,
            ));
        }
        Err(_) => {
            return Err(Refusal::new(
                "the SVG cannot be read: its geometry is degenerate (a box that a transform collapses, or numbers too large or too small)",
                HINT_GEOMETRY,
            ));
        }
    };
    geometry::check(&tree).map_err(|m| Refusal::new(m, HINT_GEOMETRY))?;
    Ok(tree)
}

/// Checks every number written in the SVG's own attributes (not those of other namespaces,
/// where editors keep their settings) and style sheets against [`MAX_COORD`]: colours and
/// references (`#…`), ids and classes are not numbers.
fn numbers_as_written(doc: &usvg::roxmltree::Document) -> Result<(), String> {
    for node in doc.descendants() {
        if node.is_element() {
            for a in node.attributes() {
                if a.namespace().is_some() || matches!(a.name(), "href" | "id" | "class") {
                    continue;
                }
                numbers_within(a.value()).map_err(|n| {
                    format!(
                        "the {} of a {} element has the number {n}; every coordinate of a logo must be within ±{MAX_COORD}",
                        a.name(),
                        node.tag_name().name()
                    )
                })?;
            }
        } else if node.is_text()
            && node
                .parent_element()
                .is_some_and(|p| p.tag_name().name() == "style")
        {
            numbers_within(node.text().unwrap_or("")).map_err(|n| {
                format!(
                    "a style sheet has the number {n}; every coordinate of a logo must be within ±{MAX_COORD}"
                )
            })?;
        }
    }
    Ok(())
}

/// The first number in `text` beyond [`MAX_COORD`], as written.
fn numbers_within(text: &str) -> Result<(), String> {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'#' {
            // A colour or a reference.
            i += 1;
            while b
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
            {
                i += 1;
            }
            continue;
        }
        if !(digit(i) || (b[i] == b'.' && digit(i + 1))) {
            i += 1;
            continue;
        }
        let start = i;
        while digit(i) {
            i += 1;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            while digit(i) {
                i += 1;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(b.get(i + 1), Some(b'+' | b'-')));
            if digit(i + 1 + sign) {
                i += 1 + sign;
                while digit(i) {
                    i += 1;
                }
            }
        }
        let written = &text[start..i];
        let v: f64 = written.parse().unwrap_or(f64::INFINITY);
        if !v.is_finite() || v > f64::from(MAX_COORD) {
            return Err(written.to_owned());
        }
    }
    Ok(())
}

/// A picture an SVG embeds `depth` deep (a `data:` URL): a PNG within the pixels left, or an
/// SVG checked as the file is. Anything else is recorded as the SVG's problem.
fn embedded(
    mime: &str,
    data: Arc<Vec<u8>>,
    depth: usize,
    budget: &Mutex<Budget>,
) -> Option<usvg::ImageKind> {
    let refuse = |r: Refusal| {
        if let Ok(mut b) = budget.lock()
            && b.problem.is_none()
        {
            b.problem = Some(r);
        }
        None
    };
    {
        let Ok(mut b) = budget.lock() else {
            return None;
        };
        if b.problem.is_some() {
            return None;
        }
        b.pictures += 1;
        if b.pictures > MAX_EMBEDDED {
            drop(b);
            return refuse(Refusal::new(
                format!("the SVG embeds more than {MAX_EMBEDDED} pictures"),
                HINT_SAVE,
            ));
        }
    }
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if data.starts_with(PNG) || mime == "image/png" {
        let used = budget.lock().map(|b| b.pixels).unwrap_or(MAX_PIXELS);
        return match check_png(&data, used) {
            Ok((w, h)) => {
                if let Ok(mut b) = budget.lock() {
                    b.pixels += u64::from(w) * u64::from(h);
                }
                Some(usvg::ImageKind::PNG(data))
            }
            Err(mut r) => {
                if !r.message.starts_with("the SVG embeds") {
                    r.message = format!("a picture the SVG embeds: {}", r.message);
                }
                refuse(r)
            }
        };
    }
    let svg = mime == "image/svg+xml"
        || (mime == "text/plain" && data.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<'));
    if !svg {
        let what = match mime {
            "image/jpeg" | "image/jpg" => "a JPEG picture",
            "image/gif" => "a GIF picture",
            "image/webp" => "a WebP picture",
            _ => "a picture that is neither PNG nor SVG",
        };
        return refuse(Refusal::new(
            format!("the SVG embeds {what}; a logo's SVG may embed PNG and SVG pictures only"),
            "convert the embedded picture to PNG",
        ));
    }
    if depth + 1 > MAX_DEPTH {
        return refuse(Refusal::new(
            format!("the SVG embeds SVGs more than {MAX_DEPTH} deep"),
            HINT_SAVE,
        ));
    }
    match parse_svg(&data, depth + 1, budget) {
        Ok(tree) => Some(usvg::ImageKind::SVG(tree)),
        Err(mut r) => {
            if !r.message.starts_with("the SVG embeds") && !r.message.starts_with("an SVG") {
                r.message = format!("an SVG the SVG embeds: {}", r.message);
            }
            refuse(r)
        }
    }
}

/// The geometry of a parsed SVG: finite, bounded, on (or near) its canvas.
mod geometry {
    use usvg::{Group, Node, Paint, Transform};

    use super::{MAX_COORD, MAX_DASHES};

    /// Where the drawing may reach: the canvas and one canvas size beyond each edge.
    #[derive(Clone, Copy)]
    struct Bounds {
        left: f32,
        top: f32,
        right: f32,
        bottom: f32,
    }

    pub(super) fn check(tree: &usvg::Tree) -> Result<(), String> {
        let (w, h) = (tree.size().width(), tree.size().height());
        number("the SVG's width", w)?;
        number("the SVG's height", h)?;
        let bounds = Bounds {
            left: -w,
            top: -h,
            right: 2.0 * w,
            bottom: 2.0 * h,
        };
        group(tree.root(), Some(bounds))
    }

    pub(super) fn number(what: &str, v: f32) -> Result<(), String> {
        if v.is_finite() && v.abs() <= MAX_COORD {
            Ok(())
        } else {
            Err(format!(
                "{what} is {}; every coordinate of a logo must be within ±{MAX_COORD}",
                readable(v)
            ))
        }
    }

    /// `v` as a reader reads it: `3e38`, not thirty-nine digits.
    fn readable(v: f32) -> String {
        if v.is_finite() && v.abs() < 1e7 {
            format!("{v}")
        } else {
            format!("{v:e}")
        }
    }

    fn named(kind: &str, id: &str) -> String {
        if id.is_empty() {
            format!("a {kind}")
        } else {
            format!("the {kind} \"{}\"", id.escape_debug())
        }
    }

    fn transform(what: &str, t: Transform) -> Result<(), String> {
        for v in [t.sx, t.kx, t.ky, t.sy, t.tx, t.ty] {
            number(&format!("a transform of {what}"), v)?;
        }
        Ok(())
    }

    /// `rect` (left, top, right, bottom) lies within `bounds`.
    fn within(what: &str, rect: [f32; 4], bounds: Option<Bounds>) -> Result<(), String> {
        for v in rect {
            number(&format!("a coordinate of {what}"), v)?;
        }
        let Some(b) = bounds else { return Ok(()) };
        let [l, t, r, bt] = rect;
        if l < b.left || t < b.top || r > b.right || bt > b.bottom {
            return Err(format!(
                "{what} reaches from ({l}, {t}) to ({r}, {bt}), beyond the canvas and one canvas size around it ({}, {}) to ({}, {})",
                b.left, b.top, b.right, b.bottom
            ));
        }
        Ok(())
    }

    fn ltrb(r: usvg::Rect) -> [f32; 4] {
        [r.left(), r.top(), r.right(), r.bottom()]
    }

    /// A group and everything in it; `bounds` for the drawing itself, `None` for the subtrees
    /// of clip paths, masks and patterns (in their own coordinates).
    fn group(g: &Group, bounds: Option<Bounds>) -> Result<(), String> {
        let what = named("group", g.id());
        transform(&what, g.transform())?;
        transform(&what, g.abs_transform())?;
        if !g.filters().is_empty() {
            return Err(format!(
                "{what} has a filter effect, which the PDF could only draw as a raster image: remove it or flatten it into paths"
            ));
        }
        if g.has_children() {
            within(&what, ltrb(g.abs_layer_bounding_box().to_rect()), bounds)?;
        }
        if let Some(c) = g.clip_path() {
            clip(c)?;
        }
        if let Some(m) = g.mask() {
            mask(m)?;
        }
        for child in g.children() {
            node(child, bounds)?;
        }
        Ok(())
    }

    fn clip(c: &usvg::ClipPath) -> Result<(), String> {
        transform("a clip path", c.transform())?;
        group(c.root(), None)?;
        if let Some(inner) = c.clip_path() {
            clip(inner)?;
        }
        Ok(())
    }

    fn mask(m: &usvg::Mask) -> Result<(), String> {
        within("a mask", ltrb(m.rect().to_rect()), None)?;
        group(m.root(), None)?;
        if let Some(inner) = m.mask() {
            mask(inner)?;
        }
        Ok(())
    }

    fn node(n: &Node, bounds: Option<Bounds>) -> Result<(), String> {
        match n {
            Node::Group(g) => group(g, bounds),
            Node::Path(p) => path(p, bounds),
            Node::Image(i) => {
                let what = named("image", i.id());
                number(&format!("the width of {what}"), i.size().width())?;
                number(&format!("the height of {what}"), i.size().height())?;
                transform(&what, i.abs_transform())?;
                within(&what, ltrb(i.abs_bounding_box()), bounds)
                // An embedded SVG was checked on its own canvas when it was read.
            }
            Node::Text(_) => Err("the SVG has text: convert its text to paths".into()),
        }
    }

    fn path(p: &usvg::Path, bounds: Option<Bounds>) -> Result<(), String> {
        let what = named("path", p.id());
        for pt in p.data().points() {
            number(&format!("a coordinate of {what}"), pt.x)?;
            number(&format!("a coordinate of {what}"), pt.y)?;
        }
        transform(&what, p.abs_transform())?;
        within(&what, ltrb(p.abs_stroke_bounding_box()), bounds)?;
        if let Some(fill) = p.fill() {
            paint(&what, fill.paint())?;
        }
        if let Some(stroke) = p.stroke() {
            number(&format!("the stroke width of {what}"), stroke.width().get())?;
            paint(&what, stroke.paint())?;
            if let Some(dashes) = stroke.dasharray() {
                for &d in dashes {
                    number(&format!("a dash of {what}"), d)?;
                }
                number(&format!("the dash offset of {what}"), stroke.dashoffset())?;
                // The polyline through all points is at least as long as the path.
                let length: f32 = p
                    .data()
                    .points()
                    .windows(2)
                    .map(|w| w[0].distance(w[1]))
                    .sum();
                let period: f32 = dashes.iter().sum();
                if !(period > 0.0 && length / period <= MAX_DASHES) {
                    return Err(format!(
                        "{what} is dashed into more than {MAX_DASHES} dashes: make its dashes longer"
                    ));
                }
            }
        }
        Ok(())
    }

    fn paint(what: &str, paint: &Paint) -> Result<(), String> {
        let what = format!("the paint of {what}");
        match paint {
            Paint::Color(_) => Ok(()),
            Paint::LinearGradient(g) => {
                transform(&what, g.transform())?;
                for v in [g.x1(), g.y1(), g.x2(), g.y2()] {
                    number(&what, v)?;
                }
                Ok(())
            }
            Paint::RadialGradient(g) => {
                transform(&what, g.transform())?;
                for v in [g.cx(), g.cy(), g.r().get(), g.fx(), g.fy(), g.fr().get()] {
                    number(&what, v)?;
                }
                Ok(())
            }
            // The preview draws a pattern's cell as an image of the cell's size, however
            // large: a logo is drawn with plain fills.
            Paint::Pattern(_) => Err(format!(
                "{what} is a pattern, which the preview would draw as an image the size of its cell: use a plain colour or a gradient"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#123456"/></svg>"##;

    fn svg(body: &str) -> Result<Picture, Refusal> {
        let text = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">{body}</svg>"##
        );
        decode(PictureFormat::Svg, text.into_bytes())
    }

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbImage::from_pixel(w, h, image::Rgb([10, 20, 30]))
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    /// `data` as a `data:` URL an SVG's `<image>` embeds.
    fn data_url(mime: &str, data: &[u8]) -> String {
        use base64::Engine;
        format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(data)
        )
    }

    #[test]
    fn svg_size_is_its_intrinsic_size() {
        let p = decode(PictureFormat::Svg, SQUARE.as_bytes().to_vec()).unwrap();
        assert_eq!(p.size, (40.0, 20.0));
    }

    #[test]
    fn svg_with_text_is_refused_with_a_way_out() {
        let svg = SQUARE.replace("</svg>", "<text>Bank</text></svg>");
        let e = decode(PictureFormat::Svg, svg.into_bytes()).unwrap_err();
        assert!(e.message.contains("convert its text to paths"), "{e:?}");
    }

    #[test]
    fn svg_naming_another_file_draws_nothing_from_it() {
        // A readable PNG that usvg's default resolver would load.
        let png = std::env::temp_dir().join(format!("notice-pdf-{}-dot.png", std::process::id()));
        image::RgbImage::from_pixel(2, 2, image::Rgb([0, 0, 0]))
            .save(&png)
            .unwrap();
        let svg = SQUARE.replace(
            "</svg>",
            &format!(
                r#"<image href="{}" width="10" height="10"/></svg>"#,
                png.display()
            ),
        );
        let tree = svg_tree(svg.as_bytes()).unwrap();
        std::fs::remove_file(&png).unwrap();
        // Only the rectangle is left: the file was never read.
        assert_eq!(tree.root().children().len(), 1);
    }

    #[test]
    fn png_that_is_not_a_png_is_refused() {
        let e = decode(PictureFormat::Png, b"not a png".to_vec()).unwrap_err();
        assert!(
            e.message
                .starts_with("the file is not a readable PNG image"),
            "{e:?}"
        );
    }

    #[test]
    fn huge_or_endless_svg_geometry_is_refused_before_any_writer_sees_it() {
        for body in [
            r#"<path d="M0 0 L3e38 3e38 L0 3e38 Z"/>"#,
            r#"<rect width="3e38" height="3e38"/>"#,
            r#"<rect x="-3e38" width="10" height="10"/>"#,
            r#"<g transform="scale(3e38)"><rect width="1" height="1"/></g>"#,
            r#"<g transform="translate(1e30 0)"><rect width="1" height="1"/></g>"#,
            r#"<g transform="scale(1e5)"><g transform="scale(1e5)"><rect width="1e-9" height="1e-9"/></g></g>"#,
            r#"<rect width="10" height="10" stroke="black" stroke-width="1e30"/>"#,
            r#"<circle cx="10" cy="10" r="1e30"/>"#,
            r#"<rect width="10" height="10" stroke="black" stroke-dasharray="1e-6"/>"#,
            r##"<linearGradient id="g" x1="0" x2="3e38" gradientUnits="userSpaceOnUse"><stop offset="0"/><stop offset="1" stop-color="#fff"/></linearGradient><rect width="10" height="10" fill="url(#g)"/>"##,
            r#"<pattern id="p" width="3e38" height="3e38" patternUnits="userSpaceOnUse"><rect width="1" height="1"/></pattern><rect width="10" height="10" fill="url(#p)"/>"#,
            // A finite cell of 100 000 units: the preview aborted allocating it.
            r#"<pattern id="p" width="1e5" height="1e5" patternUnits="userSpaceOnUse"><rect width="1" height="1"/></pattern><rect width="10" height="10" fill="url(#p)"/>"#,
            r#"<clipPath id="c"><rect width="3e38" height="3e38"/></clipPath><rect width="10" height="10" clip-path="url(#c)"/>"#,
            r#"<filter id="f"><feGaussianBlur stdDeviation="2"/></filter><rect width="10" height="10" filter="url(#f)"/>"#,
            // Far off its 40 × 20 canvas.
            r#"<rect x="500" width="10" height="10"/>"#,
        ] {
            let e = svg(body).expect_err(body);
            assert!(!e.message.is_empty() && !e.hint.is_empty(), "{body}");
        }
        // A viewBox that magnifies a speck to the size of the universe.
        let e = decode(
            PictureFormat::Svg,
            br#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 1e-30 1e-30"><rect width="1e-30" height="1e-30"/></svg>"#.to_vec(),
        )
        .unwrap_err();
        assert!(e.message.contains("within ±"), "{e:?}");
        // A view box of 3e38 that shrinks a speck to nothing, named as such.
        let e = decode(
            PictureFormat::Svg,
            br#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 3e38 3e38"><rect width="1" height="1"/></svg>"#.to_vec(),
        )
        .unwrap_err();
        assert!(
            e.message.contains("viewBox") && e.message.contains("3e38"),
            "{e:?}"
        );
        // An arc to 3e38 (usvg cut it into curves without end) is refused as written.
        let e = svg(r#"<path d="M10 10 A73.82 65535 40 1 0 64.02 3e38 Z"/>"#).unwrap_err();
        assert!(e.message.contains("has the number 3e38"), "{e:?}");
        // Colours, references and other namespaces are not numbers.
        svg(r##"<rect id="a1e99" width="10" height="10" fill="#1e9999" stroke="url(#g1e99)"/>"##)
            .unwrap();
        // On the canvas, or a little beyond it, is fine.
        svg(
            r#"<rect x="-5" y="-5" width="50" height="30" stroke="black" stroke-dasharray="2 1"/>"#,
        )
        .unwrap();
    }

    #[test]
    fn png_over_the_pixel_limit_is_refused_from_its_header_with_the_numbers() {
        // An IHDR claiming 65535 × 65535 and nothing after it: only the header is read.
        let mut header = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        let ihdr = [0, 0, 0xff, 0xff, 0, 0, 0xff, 0xff, 8, 6, 0, 0, 0];
        header.extend_from_slice(&ihdr);
        let crc = crc32fast::hash(&header[12..]);
        header.extend_from_slice(&crc.to_be_bytes());
        let e = decode(PictureFormat::Png, header).unwrap_err();
        assert!(
            e.message
                .contains("65535 × 65535 pixels (4 294 836 225 pixels)")
                && e.message.contains("at most 4 194 304 pixels"),
            "{e:?}"
        );
        assert!(e.hint.contains("2048 × 2048"), "{e:?}");
        // At the limit it is accepted.
        decode(PictureFormat::Png, png(2048, 2048)).unwrap();
        decode(PictureFormat::Png, png(2049, 2048)).unwrap_err();
    }

    #[test]
    fn pictures_an_svg_embeds_count_against_one_pixel_limit_at_every_depth() {
        let image = |url: &str| format!(r#"<image width="10" height="10" href="{url}"/>"#);
        // One small PNG is fine.
        svg(&image(&data_url("image/png", &png(100, 100)))).unwrap();
        // One over the limit, or two that are over it together, are not.
        let big = data_url("image/png", &png(2049, 2048));
        let e = svg(&image(&big)).unwrap_err();
        assert!(e.message.contains("pixels"), "{e:?}");
        let half = data_url("image/png", &png(2048, 1500));
        let e = svg(&format!("{}{}", image(&half), image(&half))).unwrap_err();
        assert!(e.message.contains("pixels in all"), "{e:?}");
        // The same, one SVG down.
        let inner = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}</svg>"#,
            image(&big)
        );
        let e = svg(&image(&data_url("image/svg+xml", inner.as_bytes()))).unwrap_err();
        assert!(e.message.contains("pixels"), "{e:?}");
        // Text in an embedded SVG is text too.
        let inner = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>Bank</text></svg>"#;
        let e = svg(&image(&data_url("image/svg+xml", inner.as_bytes()))).unwrap_err();
        assert!(e.message.contains("convert its text to paths"), "{e:?}");
        // Pictures the writers would decode without a header check are refused.
        let e = svg(&image("data:image/jpeg;base64,/9j/4AAQ")).unwrap_err();
        assert!(e.message.contains("JPEG"), "{e:?}");
        // Everything is checked the same way when a writer parses it again.
        assert!(
            svg_tree(
                format!(
                    r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">{}</svg>"#,
                    image(&big)
                )
                .as_bytes()
            )
            .is_err()
        );
    }
}
