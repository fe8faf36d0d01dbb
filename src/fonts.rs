//! The committed fonts (`fonts/`), parsed once and shared, and shaping with rustybuzz.
//!
//! rustybuzz is the shaper krilla itself draws with, so a width measured here (kerning and
//! ligatures included) is the width that ends up in the PDF. Never looks up system fonts.

use std::sync::LazyLock;

/// A font face of the notice's type family. The discriminant indexes [`FONTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FontId {
    /// Inter Regular: running text.
    Regular = 0,
    /// Inter SemiBold: title, headings, questions; strong emphasis in running text.
    SemiBold = 1,
    /// Inter Italic: emphasis in running text.
    Italic = 2,
    /// Inter SemiBold Italic: emphasis inside strong emphasis (or the reverse).
    SemiBoldItalic = 3,
}

impl FontId {
    pub const ALL: [FontId; 4] = [
        FontId::Regular,
        FontId::SemiBold,
        FontId::Italic,
        FontId::SemiBoldItalic,
    ];

    /// The face's data and metrics, parsed on first use.
    pub fn face(self) -> &'static Face {
        &FONTS[self as usize]
    }

    /// The font file, as committed (no parsing).
    /// The file the face is read from, in `fonts/`.
    pub fn file_name(self) -> &'static str {
        [
            "Inter-Regular.otf",
            "Inter-SemiBold.otf",
            "Inter-Italic.otf",
            "Inter-SemiBoldItalic.otf",
        ][self as usize]
    }

    pub fn data(self) -> &'static [u8] {
        [REGULAR, SEMIBOLD, ITALIC, SEMIBOLD_ITALIC][self as usize]
    }

    /// This face with emphasis (`italic`) and strong emphasis (`bold`) added.
    pub fn with(self, italic: bool, bold: bool) -> FontId {
        let bold = bold || matches!(self, FontId::SemiBold | FontId::SemiBoldItalic);
        let italic = italic || matches!(self, FontId::Italic | FontId::SemiBoldItalic);
        match (bold, italic) {
            (false, false) => FontId::Regular,
            (true, false) => FontId::SemiBold,
            (false, true) => FontId::Italic,
            (true, true) => FontId::SemiBoldItalic,
        }
    }
}

/// A parsed face with the metrics layout needs. All metrics are in em (multiply by the font
/// size in pt to get pt).
pub struct Face {
    /// Family and style name, for messages and tests.
    pub name: &'static str,
    /// The raw font file, as embedded (subset) by the PDF writer.
    pub data: &'static [u8],
    rb: rustybuzz::Face<'static>,
    /// The shaping plan for left-to-right Latin Swedish text, compiled once (it is most of the
    /// cost of a `shape` call otherwise).
    plan: rustybuzz::ShapePlan,
    /// Ascender above the baseline, em.
    pub ascender: f32,
    /// Descender below the baseline (positive), em.
    pub descender: f32,
    /// Height of capital letters, em.
    pub cap_height: f32,
}

static REGULAR: &[u8] = include_bytes!("../fonts/Inter-Regular.otf");
static SEMIBOLD: &[u8] = include_bytes!("../fonts/Inter-SemiBold.otf");
static ITALIC: &[u8] = include_bytes!("../fonts/Inter-Italic.otf");
static SEMIBOLD_ITALIC: &[u8] = include_bytes!("../fonts/Inter-SemiBoldItalic.otf");

/// Each face parsed on first use: a notice without emphasis never parses the italics.
static FONTS: [LazyLock<Face>; 4] = [
    LazyLock::new(|| Face::new("Inter Regular", REGULAR)),
    LazyLock::new(|| Face::new("Inter SemiBold", SEMIBOLD)),
    LazyLock::new(|| Face::new("Inter Italic", ITALIC)),
    LazyLock::new(|| Face::new("Inter SemiBold Italic", SEMIBOLD_ITALIC)),
];

impl Face {
    fn new(name: &'static str, data: &'static [u8]) -> Face {
        // The files are compiled in; a parse failure is a build defect, caught by every test.
        let rb = rustybuzz::Face::from_slice(data, 0).expect("committed font parses");
        let upem = rb.units_per_em() as f32;
        let cap_height = rb.capital_height().map_or(0.7, |h| h as f32 / upem);
        let plan = rustybuzz::ShapePlan::new(
            &rb,
            rustybuzz::Direction::LeftToRight,
            Some(rustybuzz::script::LATIN),
            Some(&swedish()),
            &[],
        );
        Face {
            name,
            data,
            plan,
            ascender: rb.ascender() as f32 / upem,
            descender: -(rb.descender() as f32) / upem,
            cap_height,
            rb,
        }
    }

    /// Whether the face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.rb.glyph_index(c).is_some()
    }

    /// The face's glyph for `c`, if it has one.
    pub fn glyph_id(&self, c: char) -> Option<u16> {
        self.rb.glyph_index(c).map(|g| g.0)
    }

    /// Shapes `text` (one line's worth, left to right, Swedish) into positioned glyphs.
    pub fn shape(&self, text: &str) -> Vec<ShapedGlyph> {
        let mut buf = rustybuzz::UnicodeBuffer::new();
        buf.push_str(text);
        buf.set_direction(rustybuzz::Direction::LeftToRight);
        buf.set_script(rustybuzz::script::LATIN);
        buf.set_language(swedish());
        let out = rustybuzz::shape_with_plan(&self.rb, &self.plan, buf);
        let upem = self.rb.units_per_em() as f32;
        out.glyph_infos()
            .iter()
            .zip(out.glyph_positions())
            .map(|(info, pos)| ShapedGlyph {
                id: info.glyph_id as u16,
                x_advance: pos.x_advance as f32 / upem,
                x_offset: pos.x_offset as f32 / upem,
                y_offset: pos.y_offset as f32 / upem,
                cluster: info.cluster as usize,
                unsafe_to_break: info.unsafe_to_break(),
            })
            .collect()
    }

    /// Advance width of `text` shaped as one run, em.
    pub fn width(&self, text: &str) -> f32 {
        self.shape(text).iter().map(|g| g.x_advance).sum()
    }
}

fn swedish() -> rustybuzz::Language {
    "sv".parse().expect("a valid BCP 47 tag")
}

/// A glyph out of the shaper. Lengths in em; `cluster` is a byte offset into the shaped text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapedGlyph {
    pub id: u16,
    pub x_advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    pub cluster: usize,
    /// HarfBuzz's `UNSAFE_TO_BREAK`: cutting the text just before this glyph and shaping the
    /// two parts separately could give different glyphs.
    pub unsafe_to_break: bool,
}

/// The code points the committed faces hold (`fonts/cut.py` cuts Debian's Inter to these):
/// Basic Latin, Latin-1 Supplement, Latin Extended-A, the general punctuation a notice uses
/// (dashes, quotes, bullet, ellipsis, primes, guillemets), per mille, euro, trade mark, minus,
/// and the list bullets ▪ and ◦. Validation refuses every other character.
pub const REPERTOIRE: &[std::ops::RangeInclusive<u32>] = &[
    0x20..=0x7e,
    0xa0..=0x17f,
    0x2010..=0x2027,
    0x2030..=0x2030,
    0x2032..=0x2033,
    0x2039..=0x203a,
    0x20ac..=0x20ac,
    0x2122..=0x2122,
    0x2212..=0x2212,
    0x25aa..=0x25aa,
    0x25e6..=0x25e6,
];

/// Whether every face can render `c` (a text may be set in any of them).
pub fn covers(c: char) -> bool {
    use std::sync::atomic::{AtomicU8, Ordering::Relaxed};
    // Validation asks for every distinct character of every text: the answers for the first
    // 0x800 code points (Latin, and the Greek and Cyrillic the faces lack) are kept. 0 = not asked, 1 = yes, 2 = no.
    static MEMO: [AtomicU8; 0x800] = [const { AtomicU8::new(0) }; 0x800];
    // Spaces the layout itself handles are always fine.
    let ask = || c == ' ' || FontId::ALL.iter().all(|f| f.face().covers(c));
    let Some(slot) = MEMO.get(c as usize) else {
        return ask();
    };
    match slot.load(Relaxed) {
        1 => true,
        2 => false,
        _ => {
            let yes = ask();
            slot.store(if yes { 1 } else { 2 }, Relaxed);
            yes
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_cover_swedish_and_not_han() {
        for c in "åäöÅÄÖéü–”’§ \u{a0}\u{ad}0123456789".chars() {
            assert!(covers(c), "{c:?}");
        }
        assert!(!covers('漢'));
        // Hebrew, Arabic and Cyrillic lie in the memoised range: asked twice, the same answer.
        for _ in 0..2 {
            assert!(!covers('\u{5d0}') && !covers('\u{627}') && !covers('Ж'));
            assert!(covers('Å'));
        }
    }

    #[test]
    fn every_face_holds_exactly_the_repertoire() {
        let inside = |u: u32| REPERTOIRE.iter().any(|r| r.contains(&u));
        // Outside it: nothing (the cut worked).
        for u in (0..0x3000u32).filter(|u| !inside(*u)) {
            let Some(c) = char::from_u32(u) else { continue };
            for f in FontId::ALL {
                assert!(!f.face().covers(c), "{f:?} holds U+{u:04X}");
            }
        }
        // Inside it: all of Latin-1 and the punctuation and signs a notice uses (the few code
        // points of the ranges Inter never had stay missing).
        let latin1 = (0x20..=0x7eu32)
            .chain(0xa0..=0xff)
            .filter_map(char::from_u32);
        for c in latin1.chain("ŁłŒœŠšŽžČč‐‑–—‘’‚“”„•…‰′″‹›€™−▪◦".chars())
        {
            assert!(covers(c), "{c:?}");
        }
    }

    #[test]
    fn shaping_kerns() {
        let f = FontId::Regular.face();
        // "AV" is kerned tighter than A and V set apart.
        assert!(f.width("AV") < f.width("A") + f.width("V"));
        // Clusters are byte offsets into the text.
        let g = f.shape("på");
        assert_eq!(g.iter().map(|g| g.cluster).collect::<Vec<_>>(), vec![0, 1]);
    }
}
