//! Where a word may take a hyphen: between its syllables (hypher, Swedish patterns) and at its
//! compound joints ([`crate::sv::compound`]), at least [`HYPHEN_MIN_LEFT`] +
//! [`HYPHEN_MIN_RIGHT`] letters from its ends, each point marked by where in the word it
//! falls, so that the line breaker prefers a joint to a point inside an element.

use std::sync::Arc;

use crate::memo::Memo;

/// Words, each entry weighing 1.
const WORDS: usize = 1 << 16;

/// Minimum letters before and after an inserted hyphen.
pub const HYPHEN_MIN_LEFT: usize = 3;
pub const HYPHEN_MIN_RIGHT: usize = 3;
/// Where an inserted hyphen falls in its word ([`crate::sv::compound`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum HyphenPlace {
    /// At a compound's joint: "transaktions-|rapportering".
    Joint,
    /// Between syllables of a word that is not a (known) compound: "informa-|tion".
    Syllable,
    /// Inside an element of a compound: "transaktionsrap-|portering". A last resort.
    InsideElement,
}

/// A place inside a word where a hyphen may be inserted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct HyphenPoint {
    /// Offset in the word, bytes.
    pub at: usize,
    pub place: HyphenPlace,
}

/// Places inside `word` where a hyphen may be inserted: the word's syllable ends and its
/// compound joints ([`crate::sv::compound::joints`]), each at least [`HYPHEN_MIN_LEFT`] +
/// [`HYPHEN_MIN_RIGHT`] letters from the word's ends. Only the word's letters are hyphenated
/// (leading and trailing punctuation is stripped); words with anything but letters inside,
/// and protected words, are left whole.
pub(crate) fn hyphenation_points(word: &str, protected: &dyn Fn(&str) -> bool) -> Vec<HyphenPoint> {
    let core_start = word.find(char::is_alphabetic).unwrap_or(word.len());
    let core_end = word.rfind(char::is_alphabetic).map_or(core_start, |i| {
        i + word[i..].chars().next().map_or(0, char::len_utf8)
    });
    if core_start >= core_end {
        return Vec::new();
    }
    let core = &word[core_start..core_end];
    if !core.chars().all(char::is_alphabetic) || protected(core) {
        return Vec::new();
    }
    word_points(core)
        .iter()
        .map(|p| HyphenPoint {
            at: core_start + p.at,
            ..*p
        })
        .collect()
}

/// The hyphenation points of `core` (letters only), offsets in it: its syllable ends and
/// compound joints, memoised for the process like shaping.
fn word_points(core: &str) -> Arc<[HyphenPoint]> {
    static POINTS: Memo<String, Arc<[HyphenPoint]>> = Memo::new(WORDS);
    POINTS.get_or(core, 1, || {
        let joints = crate::sv::compound::joints(core);
        let letters = |s: &str| s.chars().count();
        let mut points: Vec<HyphenPoint> = syllable_ends(core)
            .iter()
            .map(|&at| HyphenPoint {
                at,
                place: if joints.contains(&at) {
                    HyphenPlace::Joint
                } else if joints.is_empty() {
                    HyphenPlace::Syllable
                } else {
                    HyphenPlace::InsideElement
                },
            })
            .collect();
        for &at in &joints {
            let fits =
                letters(&core[..at]) >= HYPHEN_MIN_LEFT && letters(&core[at..]) >= HYPHEN_MIN_RIGHT;
            if fits && !points.iter().any(|p| p.at == at) {
                points.push(HyphenPoint {
                    at,
                    place: HyphenPlace::Joint,
                });
            }
        }
        points.sort_by_key(|p| p.at);
        points.into()
    })
}

/// Byte offsets in `core` (letters only) after every syllable but the last (hypher, Swedish
/// patterns, [`HYPHEN_MIN_LEFT`] + [`HYPHEN_MIN_RIGHT`]).
fn syllable_ends(core: &str) -> Vec<usize> {
    let mut at = 0;
    let mut points: Vec<usize> = hypher::hyphenate_bounded(
        core,
        hypher::Lang::Swedish,
        HYPHEN_MIN_LEFT,
        HYPHEN_MIN_RIGHT,
    )
    .map(|s| {
        at += s.len();
        at
    })
    .collect();
    points.pop(); // the end of the last syllable is the word's end
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> bool {
        false
    }

    #[test]
    fn hyphenation_respects_minimums_and_protection() {
        let pts = hyphenation_points("personuppgifterna.", &none);
        assert!(!pts.is_empty());
        let core = "personuppgifterna";
        for p in &pts {
            assert!(core[..p.at].chars().count() >= HYPHEN_MIN_LEFT);
            assert!(core[p.at..].chars().count() >= HYPHEN_MIN_RIGHT);
        }
        let joints: Vec<&str> = pts
            .iter()
            .filter(|p| p.place == HyphenPlace::Joint)
            .map(|p| &core[..p.at])
            .collect();
        assert_eq!(joints, ["person"], "person|uppgifterna");
        let avanza = |w: &str| w.starts_with("Avanza");
        assert!(hyphenation_points("Avanza", &avanza).is_empty());
        assert!(hyphenation_points("Avanzas", &avanza).is_empty());
        assert!(hyphenation_points("Avanza.", &avanza).is_empty());
    }
}
