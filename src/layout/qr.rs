//! A QR code as vector shapes: the way from a printed notice back to its current version.

use super::display::{Figure, Rgb};

/// Modules of white around the code (the quiet zone ISO/IEC 18004 asks for).
const QUIET: usize = 4;

/// `url` as a QR code (error correction M) `side` pt wide including its quiet zone, with its
/// top-left corner at (`x`, 0): the dark modules merged into runs along each row.
/// `None` if the address is too long for a QR code.
pub(crate) fn figure(url: &str, x: f32, side: f32, color: Rgb, node: usize) -> Option<Figure> {
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).ok()?;
    let n = code.width();
    let module = side / (n + 2 * QUIET) as f32;
    let colors = code.to_colors();
    let mut runs = Vec::new();
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] != qrcode::Color::Dark {
                col += 1;
                continue;
            }
            let start = col;
            while col < n && colors[row * n + col] == qrcode::Color::Dark {
                col += 1;
            }
            runs.push([row as u16, start as u16, (col - start) as u16]);
        }
    }
    let quiet = QUIET as f32 * module;
    Some(Figure {
        bbox: [x, 0.0, x + side, side],
        origin: [x + quiet, quiet],
        cell: module,
        runs,
        color,
        node,
    })
}

impl Figure {
    /// The figure moved down by `dy` pt.
    pub(crate) fn shifted(mut self, dy: f32) -> Figure {
        self.bbox[1] += dy;
        self.bbox[3] += dy;
        self.origin[1] += dy;
        self
    }
}
