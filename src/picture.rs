//! Pictures from the data directory (a publisher's logo): checking that a PNG or SVG file can
//! be drawn, and its size. The PDF and preview writers draw from the same bytes.
//!
//! An SVG is read with usvg and no fonts and no files: text must be converted to paths, and an
//! `<image>` may only embed its picture (a `data:` URL), never name another file.

use std::sync::Arc;

use crate::model::{Picture, PictureFormat};

/// The largest side of a picture accepted, in pixels (PNG) or user units (SVG).
pub const MAX_SIDE: f32 = 8192.0;

/// Reads `data` as a picture of `format`: `Err` says why it cannot be drawn.
pub fn decode(format: PictureFormat, data: Vec<u8>) -> Result<Picture, String> {
    let size = match format {
        PictureFormat::Png => {
            let img = image::load_from_memory_with_format(&data, image::ImageFormat::Png)
                .map_err(|e| format!("the file is not a readable PNG image: {e}"))?;
            (img.width() as f32, img.height() as f32)
        }
        PictureFormat::Svg => {
            let tree = svg_tree(&data)?;
            (tree.size().width(), tree.size().height())
        }
    };
    if !(size.0 >= 1.0 && size.1 >= 1.0 && size.0 <= MAX_SIDE && size.1 <= MAX_SIDE) {
        return Err(format!(
            "the picture is {} × {}; each side must be from 1 to {MAX_SIDE}",
            size.0, size.1
        ));
    }
    Ok(Picture {
        format,
        data: Arc::from(data),
        size,
    })
}

/// Parses an SVG as every writer draws it: without fonts and without other files.
pub fn svg_tree(data: &[u8]) -> Result<usvg::Tree, String> {
    let text =
        std::str::from_utf8(data).map_err(|_| "the SVG file is not valid UTF-8".to_owned())?;
    let doc = usvg::roxmltree::Document::parse(text)
        .map_err(|e| format!("the file is not a readable SVG image: {e}"))?;
    if doc
        .descendants()
        .any(|n| n.is_element() && n.tag_name().name() == "text")
    {
        return Err(
            "the SVG has text, which would be drawn in a font we do not ship: convert its text to paths"
                .into(),
        );
    }
    let options = usvg::Options {
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(text, &options)
        .map_err(|e| format!("the file is not a readable SVG image: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#123456"/></svg>"##;

    #[test]
    fn svg_size_is_its_intrinsic_size() {
        let p = decode(PictureFormat::Svg, SQUARE.as_bytes().to_vec()).unwrap();
        assert_eq!(p.size, (40.0, 20.0));
    }

    #[test]
    fn svg_with_text_is_refused_with_a_way_out() {
        let svg = SQUARE.replace("</svg>", "<text>Bank</text></svg>");
        let e = decode(PictureFormat::Svg, svg.into_bytes()).unwrap_err();
        assert!(e.contains("convert its text to paths"), "{e}");
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
        assert!(e.starts_with("the file is not a readable PNG image"), "{e}");
    }
}
