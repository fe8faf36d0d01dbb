//! Plain-language figures of a notice, per printed section: LIX (läsbarhetsindex, Björnsson
//! 1968: words per sentence plus the percentage of words longer than six letters) and the
//! sentences over 25 words, counted on running prose only: the paragraphs of intros, answers
//! and the lead. Lists (often of links, "Läs mer"), tables and labels are not sentences; nor is
//! the text of a link.

use super::Notice;
use super::locate::{Located, Seg, path_string};
use super::rich::{Block, Inline};
use super::{RunningKind, Step, Which, walk};

/// The longest sentence, in words, that plain-language guidance accepts.
pub const LONG_SENTENCE_WORDS: usize = 25;

/// A sentence over [`LONG_SENTENCE_WORDS`] words, where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongSentence {
    pub words: usize,
    /// Its first words, to find it by ("Vi behandlar dina personuppgifter för att …").
    pub opening: String,
    /// The field holding it, and the 1-based line and column (characters) where the field's
    /// value starts, or where the sentence is when it can be found as written.
    pub field: String,
    pub line: usize,
    pub col: usize,
}

/// One printed section's figures (the lead is a section of its own, with an empty id).
#[derive(Debug, Clone, PartialEq)]
pub struct SectionReadability {
    pub id: String,
    pub heading: String,
    pub words: usize,
    pub sentences: usize,
    /// Words of more than six letters.
    pub long_words: usize,
    pub long_sentences: Vec<LongSentence>,
}

impl SectionReadability {
    fn new(id: &str, heading: &str) -> SectionReadability {
        SectionReadability {
            id: id.to_owned(),
            heading: heading.to_owned(),
            words: 0,
            sentences: 0,
            long_words: 0,
            long_sentences: Vec::new(),
        }
    }

    /// The LIX: words per sentence plus the percentage of long words; `None` for a section
    /// without running text (a list of links), which has no readability to measure.
    pub fn lix(&self) -> Option<f32> {
        if self.words == 0 || self.sentences == 0 {
            return None;
        }
        Some(
            self.words as f32 / self.sentences as f32
                + 100.0 * self.long_words as f32 / self.words as f32,
        )
    }
}

/// What a LIX value means, in Swedish (the usual scale).
pub fn lix_label(lix: f32) -> &'static str {
    match lix {
        x if x < 25.0 => "mycket lättläst",
        x if x < 30.0 => "lättläst",
        x if x < 40.0 => "medelsvår",
        x if x < 50.0 => "svår",
        x if x < 60.0 => "mycket svår",
        _ => "byråkratsvenska",
    }
}

/// The figures of each printed section of `n` (parsed from `src`), in order; the lead first
/// when the notice has one.
pub fn readability(src: &Located, n: &Notice) -> Vec<SectionReadability> {
    let mut out: Vec<SectionReadability> = Vec::new();
    walk(n, Which::Printed, &mut |path, step| match step {
        Step::Lead => out.push(SectionReadability::new("", crate::sv::LEAD)),
        Step::Section(s) => out.push(SectionReadability::new(&s.id, &s.heading)),
        Step::Running {
            kind: RunningKind::Paragraph,
            text,
        } => {
            let Some(section) = out.last_mut() else {
                return;
            };
            for block in &text.blocks {
                if let Block::Paragraph(inlines) = block {
                    let mut prose = String::new();
                    prose_of(inlines, &mut prose);
                    for sentence in count(&prose, section) {
                        section
                            .long_sentences
                            .push(locate(src, path, &text.src, sentence));
                    }
                }
            }
        }
        _ => {}
    });
    out
}

/// The prose of inlines: their text, a link's text left out (a link is a name, not a
/// sentence's words).
fn prose_of(inlines: &[Inline], out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text(t) => out.push_str(t),
            Inline::Break => out.push('\n'),
            Inline::Emph(c) | Inline::Strong(c) => prose_of(c, out),
            Inline::Link { .. } => out.push(' '),
        }
    }
}

/// A long sentence of the value at `path`: its opening words, located where they are written.
fn locate(
    src: &Located,
    path: &[Seg],
    value: &str,
    (words, opening): (usize, String),
) -> LongSentence {
    let span = src.span(path);
    let raw = src.text.get(span.clone()).unwrap_or_default();
    let first_two: String = opening
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    let at = super::lint::find_words(raw, &first_two, 0)
        .filter(|_| value.contains(&first_two))
        .map_or(span.start, |o| span.start + o);
    let (line, col) = src.lines.line_col(at);
    LongSentence {
        words,
        opening,
        field: path_string(path),
        line,
        col,
    }
}

/// How many words of a long sentence are quoted.
const OPENING_WORDS: usize = 6;

/// Adds the sentences of one paragraph (its end ends a sentence too) to `s`; returns the long
/// ones: their word count and opening words.
fn count(text: &str, s: &mut SectionReadability) -> Vec<(usize, String)> {
    let mut long = Vec::new();
    let mut sentence: Vec<&str> = Vec::new();
    let mut words = 0;
    let mut flush = |words: &mut usize, sentence: &mut Vec<&str>, s: &mut SectionReadability| {
        if *words > 0 {
            s.sentences += 1;
            if *words > LONG_SENTENCE_WORDS {
                let mut opening = sentence[..OPENING_WORDS.min(sentence.len())].join(" ");
                opening.push_str(" …");
                long.push((*words, opening));
            }
        }
        *words = 0;
        sentence.clear();
    };
    for token in text.split_whitespace() {
        let letters = token.chars().filter(|c| c.is_alphabetic()).count();
        sentence.push(token);
        if token.chars().any(char::is_alphanumeric) {
            words += 1;
            s.words += 1;
            if letters > 6 {
                s.long_words += 1;
            }
        }
        if token.ends_with(['.', '!', '?']) {
            flush(&mut words, &mut sentence, s);
        }
    }
    flush(&mut words, &mut sentence, s);
    long
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lix_counts_words_sentences_and_long_words() {
        let mut s = SectionReadability::new("s", "H");
        count(
            "Vi sparar samtal. Inspelningen raderas efter sex månader",
            &mut s,
        );
        // Long words: Inspelningen, raderas, månader.
        assert_eq!((s.words, s.sentences, s.long_words), (8, 2, 3));
        // 8 / 2 + 100 · 3 / 8
        assert!((s.lix().unwrap() - 41.5).abs() < 1e-4);
        let long = count(&"ord ".repeat(30), &mut s);
        assert_eq!(long, [(30, "ord ord ord ord ord ord …".to_owned())]);
        assert_eq!(lix_label(38.0), "medelsvår");
        // No running text, no LIX (not "mycket lättläst").
        assert_eq!(SectionReadability::new("t", "Läs mer").lix(), None);
    }
}
