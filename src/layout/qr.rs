//! A QR code as vector shapes: the way from a printed notice back to its current version.

use super::display::{Figure, Rgb};
use crate::qr::{QUIET, code};

/// `url` as a QR code (error correction M) `side` pt wide including its quiet zone, with its
/// top-left corner at (`x`, 0): the dark modules merged into runs along each row.
/// `None` if the address is too long for a QR code.
pub(crate) fn figure(url: &str, x: f32, side: f32, color: Rgb, node: usize) -> Option<Figure> {
    let code = code(url)?;
    let module = side / (code.width + 2 * QUIET) as f32;
    let quiet = QUIET as f32 * module;
    Some(Figure {
        bbox: [x, 0.0, x + side, side],
        origin: [x + quiet, quiet],
        cell: module,
        runs: code.runs.clone(),
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
