//! A web address as a QR code (error correction M): its modules, for the PDF's vector figure
//! ([`crate::layout`]) and the HTML's inline SVG ([`crate::html`]), the same code in both.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Modules of white around the code (the quiet zone ISO/IEC 18004 asks for).
pub(crate) const QUIET: usize = 4;

/// A QR code's width in modules and its dark runs (row, first column, length).
pub(crate) struct Code {
    pub width: usize,
    pub runs: Vec<[u16; 3]>,
}

/// Addresses whose codes this process has made (a notice's editions, its pack chapter and every
/// later render share one); cleared when it holds `CACHED` of them.
static CODES: Mutex<BTreeMap<String, Arc<Code>>> = Mutex::new(BTreeMap::new());
const CACHED: usize = 256;

/// `url` as a QR code (error correction M); `None` if the address is too long for one.
pub(crate) fn code(url: &str) -> Option<Arc<Code>> {
    let mut codes = CODES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(c) = codes.get(url) {
        return Some(c.clone());
    }
    let (width, dark) = encode(url)?;
    let c = Arc::new(Code {
        width,
        runs: runs(&dark, width),
    });
    if codes.len() >= CACHED {
        codes.clear();
    }
    codes.insert(url.to_owned(), c.clone());
    Some(c)
}

/// The modules of `url` as a QR code (row-major, `true` dark) and its width: the code qrcode's
/// `QrCode::with_error_correction_level` makes, with the mask chosen here by the same penalty
/// (ISO/IEC 18004 §7.8.3) computed on plain booleans, which is most of the work otherwise.
fn encode(url: &str) -> Option<(usize, Vec<bool>)> {
    use qrcode::canvas::{Canvas, MaskPattern};
    let ec = qrcode::EcLevel::M;
    let bits = qrcode::bits::encode_auto(url.as_bytes(), ec).ok()?;
    let version = bits.version();
    let (data, check) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec).ok()?;
    let mut canvas = Canvas::new(version, ec);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &check);
    let width = version.width() as usize;
    [
        MaskPattern::Checkerboard,
        MaskPattern::HorizontalLines,
        MaskPattern::VerticalLines,
        MaskPattern::DiagonalLines,
        MaskPattern::LargeCheckerboard,
        MaskPattern::Fields,
        MaskPattern::Diamonds,
        MaskPattern::Meadow,
    ]
    .into_iter()
    .map(|mask| {
        let mut c = canvas.clone();
        c.apply_mask(mask);
        let dark: Vec<bool> = c
            .into_colors()
            .into_iter()
            .map(|m| m == qrcode::Color::Dark)
            .collect();
        (penalty(&dark, width), dark)
    })
    // The first of equal scores, as qrcode takes it.
    .min_by_key(|(score, _)| *score)
    .map(|(_, dark)| (width, dark))
}

/// The mask penalty of a code of `n` × `n` modules, scored as qrcode scores it: runs of five
/// or more alike in a row or column, 2 × 2 blocks alike, finder-like patterns (less the nine
/// rows of the three real finders in each direction), and the deviation from half dark.
fn penalty(dark: &[bool], n: usize) -> i32 {
    let mut score = 0i32;
    for horizontal in [true, false] {
        let at = |i: usize, j: usize| {
            if horizontal {
                dark[i * n + j]
            } else {
                dark[j * n + i]
            }
        };
        for i in 0..n {
            let mut run = 1;
            for j in 1..=n {
                if j < n && at(i, j) == at(i, j - 1) {
                    run += 1;
                    continue;
                }
                if run >= 5 {
                    score += run - 2;
                }
                run = 1;
            }
            const FINDER: [bool; 7] = [true, false, true, true, true, false, true];
            for j in 0..n - 6 {
                if (0..7).any(|k| at(i, j + k) != FINDER[k]) {
                    continue;
                }
                let before = (j.saturating_sub(4)..j).any(|k| at(i, k));
                let after = (j + 7..(j + 11).min(n)).any(|k| at(i, k));
                if !before || !after {
                    score += 40;
                }
            }
        }
        score -= 360;
    }
    for y in 0..n - 1 {
        for x in 0..n - 1 {
            let c = dark[y * n + x];
            if dark[y * n + x + 1] == c
                && dark[(y + 1) * n + x] == c
                && dark[(y + 1) * n + x + 1] == c
            {
                score += 3;
            }
        }
    }
    let ratio = (dark.iter().filter(|d| **d).count() * 200 / dark.len()) as i32;
    score + (ratio - 100).abs()
}

/// The dark modules merged into runs along each row: row, first column, length.
fn runs(dark: &[bool], n: usize) -> Vec<[u16; 3]> {
    let mut runs = Vec::new();
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if !dark[row * n + col] {
                col += 1;
                continue;
            }
            let start = col;
            while col < n && dark[row * n + col] {
                col += 1;
            }
            runs.push([row as u16, start as u16, (col - start) as u16]);
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The oracle: qrcode's own encoder, mask search included.
    fn qrcode_modules(url: &str) -> (usize, Vec<bool>) {
        let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).unwrap();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect();
        (code.width(), dark)
    }

    #[test]
    fn the_mask_chosen_is_the_one_qrcode_chooses() {
        let mut urls: Vec<String> = vec![
            "https://www.avanza.se/kundservice/integritetspolicy/kontakt-med-kundservice.html"
                .into(),
            "https://www.exempelbanken.se/integritet/kundtjanst.html".into(),
            "https://a.se".into(),
            "https://www.exempelbanken.se/integritet/".into(),
        ];
        for i in 0..40 {
            urls.push(format!(
                "https://www.exempelbanken.se/integritet/{}.html?v={i}",
                "x".repeat(i * 3)
            ));
        }
        for url in &urls {
            assert_eq!(encode(url).unwrap(), qrcode_modules(url), "{url}");
        }
    }

    #[test]
    fn a_code_is_made_once_per_address() {
        let url = "https://www.exempelbanken.se/integritet/en-gang.html";
        let a = code(url).unwrap();
        let b = code(url).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        let (n, dark) = qrcode_modules(url);
        assert_eq!(a.width, n);
        assert_eq!(a.runs, runs(&dark, n));
    }
}
