//! Sets a paragraph's text into lines: its items (shaped words, glue, hyphenation points),
//! the total-fit breaks, and each line composed into positioned glyphs.
//!
//! A pure function of the text, its faces and style, the measure and the words the notice
//! protects, so it is memoised for the process: a server re-rendering a notice after an edit,
//! or `build` setting a notice for its page and again in the pack, sets only the paragraphs
//! that changed.

use std::ops::Range;
use std::sync::Arc;

use super::linebreak::{self, Align, Line, Params};
use super::text::{self, ComposedLine, Faces, Shaper, TextStyle};
use crate::fonts::FontId;
use crate::memo::Memo;

/// A paragraph set into lines.
pub(crate) struct Set {
    /// Each line as broken (its width, ratio, hyphen) and composed.
    pub lines: Vec<(Line, ComposedLine)>,
    /// Words wider than the measure, broken between letters.
    pub broken_words: Vec<String>,
}

/// Everything a set paragraph depends on.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    text: String,
    font: FontId,
    /// Font size and measure, pt, as bits (the same floats set the same lines).
    size: u32,
    measure: u32,
    hyphenate: bool,
    address: bool,
    faces: Vec<(Range<usize>, FontId)>,
    /// The notice's words never hyphenated (`no_hyphenate`).
    protected: Vec<String>,
    align: Align,
    balance: bool,
}

/// Bytes of paragraph text kept: a set paragraph takes some 35 bytes a byte of text (its key,
/// its lines' text and a glyph each), so about 35 MiB at most; a notice has some 8 KB.
const TEXT_BYTES: usize = 1 << 20;

static SET: Memo<Key, Arc<Set>> = Memo::new(TEXT_BYTES);

/// `text` set in `style` (with `faces`) on lines `measure` pt wide, aligned by `align`;
/// `balance` evens out a ragged paragraph's lines (headings). Words in `protected` (the
/// notice's `no_hyphenate`) are not hyphenated, and its entries of several words stay on one
/// line where they fit.
#[allow(clippy::too_many_arguments)]
pub(crate) fn set(
    text: &str,
    style: TextStyle,
    faces: &Faces,
    protected: &[String],
    measure: f32,
    align: Align,
    balance: bool,
) -> Arc<Set> {
    let key = Key {
        text: text.to_owned(),
        font: style.font,
        size: style.size.to_bits(),
        measure: measure.to_bits(),
        hyphenate: style.hyphenate,
        address: style.address,
        faces: faces.0.clone(),
        protected: protected.to_vec(),
        align,
        balance,
    };
    SET.get_or(&key, text.len(), || Arc::new(set_uncached(&key)))
}

/// A ragged paragraph of at most this many lines is set without hyphens: it needs none for an
/// even rag, and a reader stumbles on every break.
pub(crate) const SHORT_RAGGED_LINES: usize = 3;

/// The paragraph `key` describes, set afresh.
fn set_uncached(key: &Key) -> Set {
    if key.align == Align::Left && key.hyphenate {
        let plain = set_uncached(&Key {
            hyphenate: false,
            ..key.clone()
        });
        if plain.lines.len() <= SHORT_RAGGED_LINES && plain.broken_words.is_empty() {
            return plain;
        }
    }
    let text = key.text.as_str();
    let style = TextStyle {
        font: key.font,
        size: f32::from_bits(key.size),
        hyphenate: key.hyphenate,
        address: key.address,
    };
    let faces = &Faces(key.faces.clone());
    let (protected, measure) = (&key.protected[..], f32::from_bits(key.measure));
    let (align, balance) = (key.align, key.balance);
    let mut shaper = Shaper;
    let protect = |w: &str| crate::model::protects(protected, w);
    // Protected names of several words stay on one line where they fit.
    let ties: Vec<Range<usize>> = protected
        .iter()
        .filter(|name| name.contains(' '))
        .flat_map(|name| {
            text.match_indices(name.as_str())
                .map(|(at, m)| at..at + m.len())
        })
        .collect();
    let mut elems = text::items_in(text, style, faces, &protect, &ties, &mut shaper);
    let broken_words = text::break_overwide(text, &mut elems, measure);
    let params = Params {
        balance,
        ..Params::new(measure, align, style.size)
    };
    let lines = linebreak::break_lines(&elems, &params)
        .into_iter()
        .map(|l| {
            let composed = text::compose_in(
                text,
                &elems,
                l.start,
                l.end,
                l.ratio,
                style,
                faces,
                &mut shaper,
            );
            (l, composed)
        })
        .collect();
    Set {
        lines,
        broken_words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hyphenation_draws_the_soft_hyphen_glyph_and_a_written_hyphen_its_own() {
        let face = FontId::Regular.face();
        let (soft, hard) = (
            face.glyph_id('\u{ad}').unwrap(),
            face.glyph_id('-').unwrap(),
        );
        assert_ne!(soft, hard, "the faces have a glyph of its own for U+00AD");
        let text = "Personnummer, depånummer, organisationsnummer, samtalet, namn, e-postadress och telefonnummer och försäkringsnummer.";
        let (mut hyphenated, mut written) = (0, 0);
        for measure in (90..=200).step_by(5) {
            let set = set(
                text,
                style(11.0),
                &Faces::default(),
                &[],
                measure as f32,
                Align::Justify,
                false,
            );
            for (_, c) in &set.lines {
                let last = c.glyphs.last().unwrap().id;
                if c.text.ends_with('\u{ad}') {
                    hyphenated += 1;
                    assert_eq!(last, soft, "{:?}", c.text);
                } else if c.text.ends_with("e-") {
                    written += 1;
                    assert_eq!(last, hard, "{:?}", c.text);
                }
            }
        }
        assert!(hyphenated > 0 && written > 0, "{hyphenated} {written}");
    }

    #[test]
    fn a_short_ragged_paragraph_is_not_hyphenated() {
        let text = "Om du ansöker om kredit gör vi en kreditupplysning och en återbetalningsförmågebedömning.";
        let mut short = 0;
        // From 200 pt the longest word fits on a line (narrower, it would need breaking).
        for measure in (200..=400).step_by(10) {
            let set = set(
                text,
                style(11.0),
                &Faces::default(),
                &[],
                measure as f32,
                Align::Left,
                false,
            );
            if set.lines.len() <= 3 {
                short += 1;
                assert!(set.lines.iter().all(|(l, _)| !l.hyphenated), "{measure}");
            }
        }
        assert!(
            short > 5,
            "the text sets in three lines or fewer at many measures"
        );
        // Longer paragraphs still hyphenate where a break helps the rag.
        let long = text.repeat(4);
        let set = set(
            &long,
            style(11.0),
            &Faces::default(),
            &[],
            120.0,
            Align::Left,
            false,
        );
        assert!(set.lines.len() > SHORT_RAGGED_LINES);
    }

    fn style(size: f32) -> TextStyle {
        TextStyle {
            font: FontId::Regular,
            size,
            hyphenate: true,
            address: false,
        }
    }

    fn lines(s: &Set) -> Vec<&str> {
        s.lines.iter().map(|(_, c)| c.text.as_str()).collect()
    }

    const TEXT: &str = "Vi sparar inspelningar av samtal med kundservice i sex månader, och \
        Livförsäkringsbolaget sparar sina egna i tre år enligt försäkringsavtalslagen.";

    #[test]
    fn a_remembered_paragraph_is_the_one_set_afresh() {
        let faces = Faces::default();
        for (size, measure, align) in [
            (11.0f32, 300.0f32, Align::Left),
            (11.0, 300.0, Align::Justify),
            (11.0, 120.0, Align::Left),
            (16.0, 300.0, Align::Left),
        ] {
            let fresh = set_uncached(&Key {
                text: TEXT.to_owned(),
                font: FontId::Regular,
                size: size.to_bits(),
                measure: measure.to_bits(),
                hyphenate: true,
                address: false,
                faces: Vec::new(),
                protected: Vec::new(),
                align,
                balance: false,
            });
            for _ in 0..2 {
                let memo = set(TEXT, style(size), &faces, &[], measure, align, false);
                assert_eq!(lines(&memo), lines(&fresh));
                assert_eq!(memo.lines.len(), fresh.lines.len());
                for ((a, ca), (b, cb)) in memo.lines.iter().zip(&fresh.lines) {
                    assert_eq!((a, &ca.glyphs), (b, &cb.glyphs));
                }
            }
        }
    }

    #[test]
    fn every_input_of_a_paragraph_is_in_its_key() {
        // Each of these changes the lines; a memo keyed on less would answer with old ones.
        let faces = Faces::default();
        let base = set(TEXT, style(11.0), &faces, &[], 120.0, Align::Left, false);
        let protected = ["Livförsäkringsbolaget".to_owned()];
        let variants = [
            set(
                TEXT,
                style(11.0),
                &faces,
                &protected,
                120.0,
                Align::Left,
                false,
            ),
            set(TEXT, style(11.0), &faces, &[], 130.0, Align::Left, false),
            set(TEXT, style(12.0), &faces, &[], 120.0, Align::Left, false),
            set(TEXT, style(11.0), &faces, &[], 120.0, Align::Justify, false),
            set(
                TEXT,
                TextStyle {
                    hyphenate: false,
                    ..style(11.0)
                },
                &faces,
                &[],
                120.0,
                Align::Left,
                false,
            ),
            set(
                TEXT,
                style(11.0),
                &Faces(vec![(0..TEXT.len(), FontId::SemiBold)]),
                &[],
                120.0,
                Align::Left,
                false,
            ),
        ];
        for (i, v) in variants.iter().enumerate() {
            let differs = lines(v) != lines(&base)
                || v.lines.iter().zip(&base.lines).any(|(a, b)| a.0 != b.0);
            assert!(differs, "variant {i} set as the base paragraph");
        }
    }

    /// The compounds a reader saw broken inside an element, in a sentence set at every measure:
    /// every hyphen in them falls at one of the compound's joints. Ragged from a narrow column
    /// (a table's) to the full measure; justified from about 55 characters a line, below which
    /// a joint may leave spaces stretched past 3.7 times their stretch, the worse blemish.
    #[test]
    fn compounds_break_at_their_joints() {
        let compounds = [
            "transaktionsrapportering",
            "återbetalningsförmåga",
            "betalningsanmärkningar",
            "värdepappershandel",
            "personuppgiftsansvarig",
        ];
        let mut hyphenated = 0;
        for word in compounds {
            let joints = crate::sv::compound::joints(word);
            let text = format!(
                "Vi behöver uppgifterna för {word} enligt lag, och vi sparar dem i tio år efter att avtalet med dig har upphört."
            );
            for (align, narrowest) in [(Align::Left, 160), (Align::Justify, 300)] {
                for measure in (narrowest..=420).step_by(4) {
                    let set = set(
                        &text,
                        style(11.0),
                        &Faces::default(),
                        &[],
                        measure as f32,
                        align,
                        false,
                    );
                    for (_, c) in &set.lines {
                        let Some(stem) = c.text.strip_suffix('\u{ad}') else {
                            continue;
                        };
                        let left = stem.rsplit(' ').next().unwrap();
                        if word.starts_with(left) {
                            hyphenated += 1;
                            assert!(
                                joints.contains(&left.len()),
                                "{word} broken after {left:?}, {align:?}, {measure} pt"
                            );
                        }
                    }
                }
            }
        }
        assert!(
            hyphenated > 20,
            "the measures hyphenate the compounds: {hyphenated}"
        );
    }
}
