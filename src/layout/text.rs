//! From a paragraph's text to the boxes, glue and penalties the line breaker works on, and back
//! from chosen breaks to positioned glyph runs.
//!
//! Break opportunities come from the Unicode line breaking algorithm (UAX #14, via
//! unicode-linebreak), refined by Swedish rules: numbers stay with the word after them ("6
//! månader"), words with an explicit hyphen or slash break only there ("e-|postadress"), and
//! other words may be hyphenated (hypher, Swedish patterns, at least 3 letters before and 3
//! after the break) unless the notice protects them, at a compound's joint
//! ([`crate::sv::compound`]) rather than inside one of its elements.

use std::ops::Range;
use std::sync::Arc;

use crate::fonts::{FontId, ShapedGlyph};
use crate::layout::display::Glyph;
use crate::memo::Memo;

use super::hyphenate::{HyphenPlace, hyphenation_points};

/// Nominal penalty for a break at an inserted hyphen; the line breaker applies its own
/// [`Params::hyphen_penalty`](super::linebreak::Params) for the alignment.
pub(crate) const HYPHEN_PENALTY: f32 = 50.0;
/// Penalty for a break after an explicit hyphen (TeX's \exhyphenpenalty): a last resort.
pub(crate) const EXPLICIT_HYPHEN_PENALTY: f32 = NUMBER_TIE_PENALTY;
/// Penalty for a break after a slash.
pub(crate) const SLASH_PENALTY: f32 = 30.0;
/// Penalty for breaking an address before a hyphen or period: a slash is the better place.
pub(crate) const ADDRESS_PUNCT_PENALTY: f32 = 150.0;
/// Penalty for breaking an address between two letters: rather that than a justified line
/// whose two spaces stretch across the measure.
pub(crate) const ADDRESS_LETTER_PENALTY: f32 = 2_000.0;
/// A penalty this large forbids the break; this small forces it.
pub(crate) const INFINITY: f32 = 10_000.0;

/// Penalty for separating a number from the word after it ("6 | månader"): so high it is
/// only paid when the alternative is a line overflowing the margin (a number and its unit
/// wider than a very narrow measure). Below [`INFINITY`], which would forbid it outright.
pub(crate) const NUMBER_TIE_PENALTY: f32 = 5_000.0;
/// A paragraph's last word this short (letters and digits) is kept with the word before it...
pub(crate) const SHORT_LAST_WORD: usize = 3;
/// ...unless a break there costs less than this penalty's demerits elsewhere.
pub(crate) const SHORT_LAST_WORD_PENALTY: f32 = 500.0;
/// Minimum letters a hyphenated last word carries onto the paragraph's last line (but for a
/// break at a compound's joint, which leaves an element, a word of its own).
pub(crate) const LAST_LINE_MIN_LETTERS: usize = 5;

/// Shaped words, one memo per font.
/// Words, each entry weighing 1.
const WORDS: usize = 1 << 16;

/// Shaped words, one memo per font.
static SHAPED: [Memo<String, Arc<[ShapedGlyph]>>; 4] = [const { Memo::new(WORDS) }; 4];

/// Shapes through the process-wide memo.
#[derive(Default, Clone, Copy)]
pub(crate) struct Shaper;

impl Shaper {
    pub(crate) fn shape(&mut self, font: FontId, text: &str) -> Arc<[ShapedGlyph]> {
        SHAPED[font as usize].get_or(text, 1, || font.face().shape(text).into())
    }

    /// Shapes `text` and returns glyphs in pt with byte ranges offset by `base`.
    pub(crate) fn glyphs(
        &mut self,
        font: FontId,
        size: f32,
        text: &str,
        base: usize,
    ) -> Vec<Glyph> {
        let shaped = self.shape(font, text);
        to_glyphs(&shaped, size, text.len(), base)
    }
}

/// Converts shaped glyphs (em, cluster offsets) to display glyphs (pt, cluster byte ranges).
fn to_glyphs(shaped: &[ShapedGlyph], size: f32, text_len: usize, base: usize) -> Vec<Glyph> {
    shaped
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let end = shaped[i + 1..]
                .iter()
                .map(|n| n.cluster)
                .find(|&c| c > g.cluster)
                .unwrap_or(text_len);
            Glyph {
                id: g.id,
                x_advance: g.x_advance * size,
                x_offset: g.x_offset * size,
                y_offset: g.y_offset * size,
                range: base + g.cluster..base + end,
            }
        })
        .collect()
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextStyle {
    pub font: FontId,
    /// Font size, pt.
    pub size: f32,
    /// Whether words may be hyphenated (never for headings).
    pub hyphenate: bool,
    /// The text is a web address: break after a slash; after a hyphen only as a last resort (a
    /// break there reads as a hyphenation, and the address would be copied wrong).
    pub address: bool,
}

/// An element of the Knuth–Plass item list. Widths in pt; `range` is the byte range of the
/// paragraph text the element stands for.
#[derive(Debug, Clone)]
pub(crate) struct Elem {
    pub kind: Kind,
    pub width: f32,
    pub range: Range<usize>,
    /// Glyphs of a box or glue, with paragraph byte ranges.
    pub glyphs: Vec<Glyph>,
}

impl Elem {
    /// A break at byte `at` that costs `cost` and adds nothing to the line (`-INFINITY`
    /// forces it).
    fn penalty(at: usize, cost: f32) -> Elem {
        Elem {
            kind: Kind::Penalty {
                cost,
                flagged: false,
                hyphen: None,
            },
            width: 0.0,
            range: at..at,
            glyphs: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Box,
    /// Interword space: may stretch and shrink by these amounts (pt) when justifying.
    Glue {
        stretch: f32,
        shrink: f32,
    },
    /// A possible break. `flagged` marks breaks that end the line in a hyphen; `hyphen` is
    /// set when the break inserts one.
    Penalty {
        cost: f32,
        flagged: bool,
        hyphen: Option<Hyphen>,
    },
}

/// A hyphen the break inserts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Hyphen {
    /// Where the line's end is reshaped together with the hyphen (a paragraph offset; see
    /// `reshape_from`).
    pub reshape_from: usize,
    /// Where in the word the break falls.
    pub place: HyphenPlace,
}

/// A break inside a word, before the word's pieces become boxes and penalties.
#[derive(Debug, Clone, Copy)]
struct Bound {
    /// Offset in the word, bytes.
    at: usize,
    cost: f32,
    /// The line ends in a hyphen (written or inserted).
    flagged: bool,
    /// The break inserts a hyphen, at this place in the word.
    inserts: Option<HyphenPlace>,
}

/// Builds the item list of a paragraph. `protected` says whether a word must not be hyphenated.
#[cfg(test)]
pub(crate) fn items(
    text: &str,
    style: TextStyle,
    protected: &dyn Fn(&str) -> bool,
    shaper: &mut Shaper,
) -> Vec<Elem> {
    items_in(text, style, &Faces::default(), protected, &[], shaper)
}

/// Faces for byte ranges of a paragraph (emphasis, strong emphasis); elsewhere the paragraph's
/// own face. Ranges are sorted and do not overlap.
#[derive(Debug, Clone, Default)]
pub(crate) struct Faces(pub Vec<(Range<usize>, FontId)>);

impl Faces {
    /// The face at byte `at`, `base` where no range says otherwise.
    pub(crate) fn at(&self, at: usize, base: FontId) -> FontId {
        self.0
            .iter()
            .find(|(r, _)| r.contains(&at))
            .map_or(base, |(_, f)| *f)
    }

    /// Where the face run holding byte `at` starts, at or after `from`.
    fn run_start(&self, at: usize, from: usize) -> usize {
        let mut start = from;
        for (r, _) in &self.0 {
            for b in [r.start, r.end] {
                if b > start && b <= at {
                    start = b;
                }
            }
        }
        start
    }

    /// Shapes `text[range]`, one piece per face, clusters relative to `range.start`.
    fn shape(
        &self,
        shaper: &mut Shaper,
        text: &str,
        range: Range<usize>,
        base: FontId,
    ) -> Arc<[ShapedGlyph]> {
        let mut cuts: Vec<usize> = self
            .0
            .iter()
            .flat_map(|(r, _)| [r.start, r.end])
            .filter(|&b| b > range.start && b < range.end)
            .collect();
        if cuts.is_empty() {
            return shaper.shape(self.at(range.start, base), &text[range]);
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut bounds = vec![range.start];
        bounds.extend(cuts);
        bounds.push(range.end);
        let mut out = Vec::new();
        for w in bounds.windows(2) {
            let font = self.at(w[0], base);
            out.extend(
                shaper
                    .shape(font, &text[w[0]..w[1]])
                    .iter()
                    .map(|g| ShapedGlyph {
                        cluster: g.cluster + w[0] - range.start,
                        ..*g
                    }),
            );
        }
        out.into()
    }
}

/// [`items`], with faces for byte ranges of the paragraph, and `ties`: byte ranges (protected
/// names of several words, "Euro Accident Livförsäkring AB") whose spaces break only when the
/// name cannot fit on one line.
pub(crate) fn items_in(
    text: &str,
    style: TextStyle,
    faces: &Faces,
    protected: &dyn Fn(&str) -> bool,
    ties: &[Range<usize>],
    shaper: &mut Shaper,
) -> Vec<Elem> {
    let TextStyle { font, size, .. } = style;
    // UAX #14 opportunities strictly inside words (after '-', '/', …).
    let opportunities: Vec<usize> = unicode_linebreak::linebreaks(text)
        .map(|(i, _)| i)
        .filter(|&i| i > 0 && i < text.len() && !text[..i].ends_with(' '))
        .collect();

    let words = split_words(text);
    // A word, its glue and about one hyphenation point each.
    let mut out = Vec::with_capacity(3 * words.len() + 1);
    for (wi, (word, spaces)) in words.iter().enumerate() {
        let ws = word.start;
        let wtext = &text[word.clone()];
        let shaped = faces.shape(shaper, text, word.clone(), font);
        let glyphs = to_glyphs(&shaped, size, wtext.len(), ws);

        let mut bounds: Vec<Bound> = opportunities
            .iter()
            .filter(|&&i| i > word.start && i < word.end)
            .map(|&i| {
                let hyphen = text[..i].ends_with('-');
                // A written hyphen breaks only where the word cannot fit whole, in every
                // style: text extraction (poppler's, MuPDF's) joins a line ending in '-' with
                // the next and drops the hyphen ("e-|postadress" reads "epostadress"), and a
                // reader sees the word as written.
                let cost = if hyphen {
                    EXPLICIT_HYPHEN_PENALTY
                } else {
                    SLASH_PENALTY
                };
                Bound {
                    at: i - ws,
                    cost,
                    flagged: hyphen,
                    inserts: None,
                }
            })
            .collect();
        // An address breaks before a hyphen or a period too (after a hyphen, a reader could
        // take it for a hyphenation, and text extraction would drop it), as The Chicago
        // Manual of Style (14.18) has it. An address printed for a reader of paper (the way
        // back, or in parentheses after a link) also breaks, at a cost, between two letters, so
        // that a justified line holding little else can still be filled.
        if is_address(wtext) {
            let spelled_out = style.address || wtext.starts_with('(');
            let at = |i: usize, cost: f32| Bound {
                at: i,
                cost,
                flagged: false,
                inserts: None,
            };
            let mut chars = wtext.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                let next = chars.peek().map(|&(_, n)| n);
                if i == 0 || bounds.iter().any(|b| b.at == i) {
                    continue;
                }
                let before = wtext[..i].chars().next_back();
                if matches!(c, '-' | '.') && !matches!(before, Some('/' | '-' | '.')) {
                    bounds.push(at(i, ADDRESS_PUNCT_PENALTY));
                } else if spelled_out
                    && c.is_alphanumeric()
                    && before.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric)
                {
                    bounds.push(at(i, ADDRESS_LETTER_PENALTY));
                }
            }
        }
        // Words with an explicit hyphen break only there ("e-|postadress"); the parts of a
        // slash compound ("försäkringsnummer/depånummer") may also be hyphenated.
        if style.hyphenate && !wtext.contains('-') && !is_address(wtext) {
            let last = wi + 1 == words.len();
            let mut parts = vec![0];
            parts.extend(bounds.iter().map(|b| b.at));
            parts.push(wtext.len());
            for part in parts.windows(2) {
                let (a, b) = (part[0], part[1]);
                let points = hyphenation_points(&wtext[a..b], protected)
                    .into_iter()
                    .map(|p| (a + p.at, p.place))
                    .filter(|&(at, place)| {
                        // The last word leaves no stub alone on the paragraph's last line; a
                        // compound's last element is a word of its own ("korrespondent-|bank.").
                        !last
                            || place == HyphenPlace::Joint
                            || wtext[at..].chars().filter(|c| c.is_alphabetic()).count()
                                >= LAST_LINE_MIN_LETTERS
                    });
                bounds.extend(
                    points
                        .map(|(at, place)| Bound {
                            at,
                            cost: HYPHEN_PENALTY,
                            flagged: true,
                            inserts: Some(place),
                        })
                        .collect::<Vec<_>>(),
                );
            }
        }
        // A break inside a cluster (ligature) cannot be drawn.
        bounds.retain(|b| shaped.iter().any(|g| g.cluster == b.at));
        bounds.sort_by_key(|b| b.at);

        let mut start = 0;
        let end = Bound {
            at: wtext.len(),
            cost: 0.0,
            flagged: false,
            inserts: None,
        };
        for &Bound {
            at,
            cost,
            flagged,
            inserts,
        } in bounds.iter().chain([&end])
        {
            let piece: Vec<Glyph> = glyphs
                .iter()
                .filter(|g| g.range.start >= ws + start && g.range.start < ws + at)
                .cloned()
                .collect();
            let width = piece.iter().map(|g| g.x_advance).sum();
            out.push(Elem {
                kind: Kind::Box,
                width,
                range: ws + start..ws + at,
                glyphs: piece,
            });
            if at < wtext.len() {
                // The line ending here is drawn with its end reshaped together with the
                // hyphen (see `reshape_from`): the penalty's width is what that adds to the
                // boxes before it.
                let (width, hyphen) = if let Some(place) = inserts {
                    // Reshaped in the face of the letters before the break, from no earlier
                    // than where that face starts.
                    let from = reshape_from(&shaped, at).max(faces.run_start(ws + at - 1, ws) - ws);
                    let font = faces.at(ws + at - 1, font);
                    let replaced: f32 = glyphs
                        .iter()
                        .filter(|g| (ws + from..ws + at).contains(&g.range.start))
                        .map(|g| g.x_advance)
                        .sum();
                    let reshaped = shaper.shape(font, &format!("{}-", &wtext[from..at]));
                    let added = reshaped.iter().map(|g| g.x_advance * size).sum::<f32>();
                    let hyphen = Hyphen {
                        reshape_from: ws + from,
                        place,
                    };
                    (added - replaced, Some(hyphen))
                } else {
                    (0.0, None)
                };
                out.push(Elem {
                    kind: Kind::Penalty {
                        cost,
                        flagged,
                        hyphen,
                    },
                    width,
                    range: ws + at..ws + at,
                    glyphs: Vec::new(),
                });
            }
            start = at;
        }

        if let Some(sp) = spaces {
            if wi + 1 == words.len() {
                break; // trailing spaces are dropped
            }
            if text[sp.clone()].contains('\n') {
                // A hard line break: the line ends here, whatever it costs.
                out.push(Elem::penalty(sp.start, -INFINITY));
                continue;
            }
            // Numbers stay with their unit: "6 månader", "10 år", "90 dagar". A short last
            // word ("AB.") stands alone on a paragraph's last line only if everything else is
            // much worse (a justified line stretched far beyond its glue).
            let short_last = wi + 2 == words.len()
                && text[words[wi + 1].0.clone()]
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .count()
                    <= SHORT_LAST_WORD;
            let tied = ties.iter().any(|t| t.start < sp.start && sp.end < t.end);
            if is_number(wtext) || short_last || tied {
                // The glue after a penalty is no break point: breaking here means breaking at
                // the penalty, which costs this much.
                let cost = if is_number(wtext) || tied {
                    NUMBER_TIE_PENALTY
                } else {
                    SHORT_LAST_WORD_PENALTY
                };
                out.push(Elem::penalty(sp.start, cost));
            }
            let glyphs = shaper.glyphs(faces.at(sp.start, font), size, &text[sp.clone()], sp.start);
            let width: f32 = glyphs.iter().map(|g| g.x_advance).sum();
            out.push(Elem {
                kind: Kind::Glue {
                    stretch: width / 2.0,
                    shrink: width / 3.0,
                },
                width,
                range: sp.clone(),
                glyphs,
            });
        }
    }
    out.push(Elem::penalty(text.len(), -INFINITY));
    out
}

/// Where, in a word shaped as `shaped`, the part of a line ending in an inserted hyphen
/// after `word[..at]` must be reshaped from: the start of the last cluster before the break,
/// when the word may be cut there (HarfBuzz's safe-to-break, so the glyphs before it are the
/// ones shaping the prefix alone gives); otherwise the word's start. The reshaped part carries
/// the kerning between the last letter and the hyphen. Reshaping a letter and a hyphen instead
/// of the whole prefix makes a cold layout of the real notice about twice as fast, and the
/// small shapes repeat, so they come from the cache.
fn reshape_from(shaped: &[ShapedGlyph], at: usize) -> usize {
    let Some(last) = shaped.iter().map(|g| g.cluster).filter(|&c| c < at).max() else {
        return 0;
    };
    let safe = shaped
        .iter()
        .filter(|g| g.cluster == last)
        .all(|g| !g.unsafe_to_break);
    if safe { last } else { 0 }
}

/// Penalty for breaking inside a word wider than the measure (a last resort).
pub(crate) const EMERGENCY_PENALTY: f32 = 1_000.0;

/// Lets boxes wider than `measure` break between any two clusters, without a hyphen, so that
/// nothing overflows the margin. Returns the words so broken, for the report's warnings.
pub(crate) fn break_overwide(text: &str, elems: &mut Vec<Elem>, measure: f32) -> Vec<String> {
    let mut broken = Vec::new();
    let mut out = Vec::with_capacity(elems.len());
    for e in elems.drain(..) {
        if e.kind != Kind::Box || e.width <= measure || e.glyphs.len() < 2 {
            out.push(e);
            continue;
        }
        broken.push(text[e.range.clone()].to_owned());
        let mut i = 0;
        while i < e.glyphs.len() {
            let cluster = e.glyphs[i].range.clone();
            let mut j = i;
            while j < e.glyphs.len() && e.glyphs[j].range == cluster {
                j += 1;
            }
            if i > 0 {
                out.push(Elem {
                    kind: Kind::Penalty {
                        cost: EMERGENCY_PENALTY,
                        flagged: false,
                        hyphen: None,
                    },
                    width: 0.0,
                    range: cluster.start..cluster.start,
                    glyphs: Vec::new(),
                });
            }
            let glyphs = e.glyphs[i..j].to_vec();
            let end = if j < e.glyphs.len() {
                e.glyphs[j].range.start
            } else {
                e.range.end
            };
            out.push(Elem {
                kind: Kind::Box,
                width: glyphs.iter().map(|g| g.x_advance).sum(),
                range: cluster.start..end,
                glyphs,
            });
            i = j;
        }
    }
    *elems = out;
    broken
}

/// Splits text into words (maximal runs without U+0020) and the spaces after each.
fn split_words(text: &str) -> Vec<(Range<usize>, Option<Range<usize>>)> {
    let mut out = Vec::new();
    let mut i = 0;
    let b = text.as_bytes();
    while i < b.len() {
        let ws = i;
        while i < b.len() && b[i] != b' ' && b[i] != b'\n' {
            i += 1;
        }
        let we = i;
        while i < b.len() && (b[i] == b' ' || b[i] == b'\n') {
            i += 1;
        }
        // Leading spaces belong to no word: a paragraph never starts with a break.
        if we > ws {
            out.push((ws..we, (i > we).then_some(we..i)));
        }
    }
    out
}

/// A web or e-mail address ("exempelbanken.se/kontakt", "kund@exempelbanken.se"): it breaks
/// after a slash, never at an inserted hyphen a reader would type.
fn is_address(word: &str) -> bool {
    word.contains('.') && (word.contains('/') || word.contains('@'))
}

fn is_number(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_ascii_digit())
}

/// A line as chosen by the breaker, turned into text and glyphs.
pub(crate) struct ComposedLine {
    /// Where the line starts in the paragraph's text, bytes.
    pub start: usize,
    /// The line's text (a slice of the paragraph, plus U+00AD when hyphenated).
    pub text: String,
    /// Glyphs with byte ranges into `text`, pt.
    pub glyphs: Vec<Glyph>,
}

/// Composes the line made of `elems[from..to]` ending at the break `elems[to]`, with glue
/// adjusted by `ratio` (the Knuth–Plass adjustment ratio; 0 for ragged lines).
#[cfg(test)]
pub(crate) fn compose(
    text: &str,
    elems: &[Elem],
    from: usize,
    to: usize,
    ratio: f32,
    style: TextStyle,
    shaper: &mut Shaper,
) -> ComposedLine {
    compose_in(
        text,
        elems,
        from,
        to,
        ratio,
        style,
        &Faces::default(),
        shaper,
    )
}

/// [`compose`], with faces for byte ranges of the paragraph (as given to [`items_in`]).
#[allow(clippy::too_many_arguments)]
pub(crate) fn compose_in(
    text: &str,
    elems: &[Elem],
    from: usize,
    to: usize,
    ratio: f32,
    style: TextStyle,
    faces: &Faces,
    shaper: &mut Shaper,
) -> ComposedLine {
    let body: Vec<&Elem> = elems[from..to]
        .iter()
        .skip_while(|e| !matches!(e.kind, Kind::Box))
        .collect();
    let line_start = body.first().map_or(0, |e| e.range.start);
    let line_end = body
        .iter()
        .rev()
        .find(|e| e.kind == Kind::Box)
        .map_or(line_start, |e| e.range.end);
    let mut glyphs: Vec<Glyph> = Vec::new();
    for e in &body {
        match e.kind {
            Kind::Box => glyphs.extend(e.glyphs.iter().cloned()),
            Kind::Glue { stretch, shrink } if e.range.end <= line_end => {
                let adjust = if ratio >= 0.0 {
                    ratio * stretch
                } else {
                    ratio * shrink
                };
                let mut first = true;
                for g in &e.glyphs {
                    let mut g = g.clone();
                    if first {
                        g.x_advance += adjust;
                        first = false;
                    }
                    glyphs.push(g);
                }
            }
            _ => {}
        }
    }
    let mut line_text = text[line_start..line_end].to_owned();
    if let Some(Kind::Penalty {
        hyphen: Some(hyphen),
        ..
    }) = elems.get(to).map(|e| &e.kind)
    {
        // Redraw the end of the broken word together with its hyphen, so kerning is what it
        // will be in print.
        let seg_start = hyphen.reshape_from.max(line_start);
        let at = elems[to].range.start;
        glyphs.retain(|g| g.range.start < seg_start);
        let mut tail = shaper.glyphs(
            faces.at(at - 1, style.font),
            style.size,
            &format!("{}-", &text[seg_start..at]),
            seg_start,
        );
        let hyphen_at = at; // the hyphen's cluster, in paragraph offsets
        // Drawn with the soft hyphen's own glyph (the same outline as '-'): a glyph maps to
        // one text in the PDF, so a hyphenation's hyphen reads as U+00AD (extraction joins the
        // word) while a written '-' ("e-|postadress") stays '-'.
        let soft = faces.at(at - 1, style.font).face().glyph_id('\u{ad}');
        for g in &mut tail {
            if g.range.start >= hyphen_at {
                g.range = line_end..line_end + '\u{ad}'.len_utf8();
                if let Some(id) = soft {
                    g.id = id;
                }
            } else if g.range.end > hyphen_at {
                g.range.end = hyphen_at;
            }
        }
        glyphs.extend(tail);
        line_text.push('\u{ad}');
    }
    for g in &mut glyphs {
        g.range = g.range.start - line_start..g.range.end - line_start;
    }
    ComposedLine {
        start: line_start,
        text: line_text,
        glyphs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> bool {
        false
    }

    /// Reshaping only the last letter with the hyphen (`reshape_from`) gives the glyphs and
    /// widths a reshape of the whole prefix gives, in both faces, caps and kerned pairs included.
    #[test]
    fn hyphenated_line_end_matches_a_full_reshape() {
        let words = "personuppgifterna kundförhållandet försäkringsnummer/depånummer \
                     organisationsnummer LAGSTIFTNINGEN Avtalsvillkoren gällande \
                     myndighetsbeslut Tjänstepensionsförsäkring Övervakningsteknologi";
        let mut sh = Shaper;
        let mut checked = 0;
        for font in FontId::ALL {
            let style = TextStyle {
                font,
                size: 10.0,
                hyphenate: true,
                address: false,
            };
            let elems = items(words, style, &none, &mut sh);
            for (i, e) in elems.iter().enumerate() {
                let Kind::Penalty {
                    hyphen: Some(_), ..
                } = e.kind
                else {
                    continue;
                };
                let at = e.range.start;
                let start = words[..at].rfind([' ', '/']).map_or(0, |i| i + 1);
                let mut full = sh.glyphs(font, 10.0, &format!("{}-", &words[start..at]), start);
                // The hyphen is drawn with the soft hyphen's own glyph: the same outline and
                // advance, another id (see `compose_in`).
                if let (Some(last), Some(soft)) = (full.last_mut(), font.face().glyph_id('\u{ad}'))
                {
                    last.id = soft;
                }
                let from = start_elem(&elems, start);
                let line = compose(words, &elems, from, i, 0.0, style, &mut sh);
                let ids = |g: &[Glyph]| g.iter().map(|g| g.id).collect::<Vec<_>>();
                assert_eq!(ids(&line.glyphs), ids(&full), "{}", &words[start..at]);
                let boxes: f32 = elems[from..i]
                    .iter()
                    .filter(|e| e.kind == Kind::Box)
                    .map(|e| e.width)
                    .sum();
                let measured = boxes + e.width;
                let exact: f32 = full.iter().map(|g| g.x_advance).sum();
                assert!((measured - exact).abs() < 1e-3, "{measured} vs {exact}");
                checked += 1;
            }
        }
        assert!(checked > 40, "{checked}");
    }

    /// The index of the first element of the word starting at byte `start`.
    fn start_elem(elems: &[Elem], start: usize) -> usize {
        elems
            .iter()
            .position(|e| e.kind == Kind::Box && e.range.start == start)
            .unwrap()
    }

    #[test]
    fn words_with_explicit_hyphen_break_only_after_it() {
        let mut sh = Shaper;
        let style = TextStyle {
            font: FontId::Regular,
            size: 10.0,
            hyphenate: true,
            address: false,
        };
        let text = "e-postadress och telefonnummer";
        let items = items(text, style, &none, &mut sh);
        // Penalties inside "e-postadress": exactly one, right after the hyphen, drawing nothing.
        let inside: Vec<_> = items
            .iter()
            .filter(|e| {
                matches!(e.kind, Kind::Penalty { .. }) && e.range.start > 0 && e.range.start < 12
            })
            .collect();
        assert_eq!(inside.len(), 1);
        assert_eq!(inside[0].range.start, 2);
        assert_eq!(inside[0].width, 0.0);
        // "telefonnummer" is hyphenatable.
        assert!(items.iter().any(|e| matches!(
            e.kind,
            Kind::Penalty {
                hyphen: Some(_),
                ..
            }
        )));
    }

    #[test]
    fn numbers_are_tied_to_their_units() {
        let mut sh = Shaper;
        let style = TextStyle {
            font: FontId::Regular,
            size: 10.0,
            hyphenate: true,
            address: false,
        };
        for text in ["i 6 månader", "efter 10 år för", "efter 90 dagar."] {
            let items = items(text, style, &none, &mut sh);
            let num_end = text.find(|c: char| c.is_ascii_digit()).unwrap()
                + text.chars().filter(char::is_ascii_digit).count();
            let glue = items
                .iter()
                .position(|e| e.range.start == num_end && matches!(e.kind, Kind::Glue { .. }));
            let glue = glue.expect("space after the number");
            assert!(
                matches!(items[glue - 1].kind, Kind::Penalty { cost, .. } if cost == NUMBER_TIE_PENALTY),
                "{text}"
            );
        }
    }

    #[test]
    fn boxes_and_glue_cover_the_text() {
        let mut sh = Shaper;
        let style = TextStyle {
            font: FontId::Regular,
            size: 10.0,
            hyphenate: true,
            address: false,
        };
        let text = "Vi sparar personuppgifterna i 10 år efter att kundrelationen avslutats.";
        let items = items(text, style, &none, &mut sh);
        let mut covered = String::new();
        for e in &items {
            if !matches!(e.kind, Kind::Penalty { .. }) {
                covered.push_str(&text[e.range.clone()]);
            }
        }
        assert_eq!(covered, text);
    }

    #[test]
    fn last_word_leaves_no_stub() {
        let mut sh = Shaper;
        let style = TextStyle {
            font: FontId::Regular,
            size: 10.0,
            hyphenate: true,
            address: false,
        };
        let text = "genomförda transaktioner.";
        let items = items(text, style, &none, &mut sh);
        let breaks: Vec<usize> = items
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    Kind::Penalty {
                        hyphen: Some(_),
                        ..
                    }
                ) && e.range.start > 11
            })
            .map(|e| e.range.start)
            .collect();
        // "transak-tioner." is fine, "transaktio-ner." is not.
        assert!(
            breaks
                .iter()
                .all(|&b| text[b..].chars().filter(|c| c.is_alphabetic()).count() >= 5),
            "{breaks:?}"
        );
        assert!(
            hyphenation_points("transaktioner.", &none)
                .iter()
                .any(|p| "transaktioner."[p.at..].starts_with("ner"))
        );
    }

    #[test]
    fn a_short_last_word_is_bound_to_the_one_before() {
        let mut sh = Shaper;
        let style = TextStyle {
            font: FontId::Regular,
            size: 10.0,
            hyphenate: true,
            address: false,
        };
        let text = "skickas till Euro Accident Livförsäkring AB.";
        let items = items(text, style, &none, &mut sh);
        let glue = items
            .iter()
            .rposition(|e| matches!(e.kind, Kind::Glue { .. }))
            .unwrap();
        assert!(
            matches!(items[glue - 1].kind, Kind::Penalty { cost, .. } if cost == SHORT_LAST_WORD_PENALTY)
        );
        // A longer last word is free to go down alone.
        let items = super::items("skickas till Avanza Pension.", style, &none, &mut sh);
        let glue = items
            .iter()
            .rposition(|e| matches!(e.kind, Kind::Glue { .. }))
            .unwrap();
        assert!(!matches!(items[glue - 1].kind, Kind::Penalty { .. }));
    }
}
