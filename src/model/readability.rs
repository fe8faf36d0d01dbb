//! Plain-language figures of a notice, per printed section: LIX (läsbarhetsindex, Björnsson
//! 1968: words per sentence plus the percentage of words longer than six letters) and the
//! sentences over 25 words, counted on the running text (paragraphs and list entries).

use super::{Notice, Step, Which, rich, walk};

/// The longest sentence, in words, that plain-language guidance accepts.
pub const LONG_SENTENCE_WORDS: usize = 25;

/// One printed section's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionReadability {
    pub id: String,
    pub heading: String,
    pub words: usize,
    pub sentences: usize,
    /// Words of more than six letters.
    pub long_words: usize,
    /// The word counts of sentences over [`LONG_SENTENCE_WORDS`].
    pub long_sentences: Vec<usize>,
}

impl SectionReadability {
    /// The LIX: words per sentence plus the percentage of long words (0 for no text).
    pub fn lix(&self) -> f32 {
        if self.words == 0 || self.sentences == 0 {
            return 0.0;
        }
        self.words as f32 / self.sentences as f32
            + 100.0 * self.long_words as f32 / self.words as f32
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

/// The figures of each printed section of `n`, in order.
pub fn readability(n: &Notice) -> Vec<SectionReadability> {
    let mut out: Vec<SectionReadability> = Vec::new();
    walk(n, Which::Printed, &mut |_, step| match step {
        Step::Section(s) => out.push(SectionReadability {
            id: s.id.clone(),
            heading: s.heading.clone(),
            words: 0,
            sentences: 0,
            long_words: 0,
            long_sentences: Vec::new(),
        }),
        Step::Text { kind, text } if kind.is_running() => {
            if let Some(section) = out.last_mut() {
                for line in rich::plain_text(text).lines() {
                    count(line, section);
                }
            }
        }
        _ => {}
    });
    out
}

/// Adds the sentences of one block of text (a paragraph or a list entry; its end ends a
/// sentence too).
fn count(text: &str, s: &mut SectionReadability) {
    let mut words = 0;
    let flush = |words: &mut usize, s: &mut SectionReadability| {
        if *words > 0 {
            s.sentences += 1;
            if *words > LONG_SENTENCE_WORDS {
                s.long_sentences.push(*words);
            }
        }
        *words = 0;
    };
    for token in text.split_whitespace() {
        let letters = token.chars().filter(|c| c.is_alphabetic()).count();
        if token.chars().any(char::is_alphanumeric) {
            words += 1;
            s.words += 1;
            if letters > 6 {
                s.long_words += 1;
            }
        }
        if token.ends_with(['.', '!', '?']) {
            flush(&mut words, s);
        }
    }
    flush(&mut words, s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lix_counts_words_sentences_and_long_words() {
        let mut s = SectionReadability {
            id: "s".into(),
            heading: "H".into(),
            words: 0,
            sentences: 0,
            long_words: 0,
            long_sentences: Vec::new(),
        };
        count(
            "Vi sparar samtal. Inspelningen raderas efter sex månader",
            &mut s,
        );
        // Long words: Inspelningen, raderas, månader.
        assert_eq!((s.words, s.sentences, s.long_words), (8, 2, 3));
        // 8 / 2 + 100 · 3 / 8
        assert!((s.lix() - 41.5).abs() < 1e-4);
        count(&"ord ".repeat(30), &mut s);
        assert_eq!(s.long_sentences, [30]);
        assert_eq!(lix_label(38.0), "medelsvår");
    }
}
