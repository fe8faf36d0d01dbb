//! The plain-language lint's rules on one text: vague qualifiers (one finding per phrase, at
//! the phrase), runs of spaces, a label that runs into its data, a legitimate interest named
//! as a legal basis. Validation and the rules across files ([`crate::source::DataSet`]) call
//! them; they only find, the callers report.

/// Byte offset of the first match of `phrase` in `text` at or after `from`, as whole words
/// (not inside a longer word), in any case.
pub fn find_words(text: &str, phrase: &str, from: usize) -> Option<usize> {
    Haystack::new(text).find(phrase, from)
}

/// A text searched for phrases, lower-cased once.
struct Haystack<'t> {
    text: &'t str,
    /// The text lower-cased, where that keeps every offset (it does for Swedish).
    lower: Option<String>,
}

impl<'t> Haystack<'t> {
    fn new(text: &'t str) -> Haystack<'t> {
        let lower = text.to_lowercase();
        Haystack {
            text,
            lower: (lower.len() == text.len()).then_some(lower),
        }
    }

    /// [`find_words`]: candidates from a search of the lower-cased text for the phrase's first
    /// word, else every position.
    fn find(&self, phrase: &str, from: usize) -> Option<usize> {
        let head = phrase.split(' ').next().unwrap_or(phrase).to_lowercase();
        self.find_from_head(phrase, &head, from)
    }

    /// [`Haystack::find`] with the phrase's first word lower-cased by the caller.
    fn find_from_head(&self, phrase: &str, head: &str, from: usize) -> Option<usize> {
        let text = self.text;
        if head.is_empty() {
            return None;
        }
        let Some(lower) = &self.lower else {
            return text
                .char_indices()
                .map(|(i, _)| i)
                .filter(|&i| i >= from)
                .find(|&i| whole_words_at(text, phrase, i).is_some());
        };
        let mut at = from;
        while let Some(o) = lower
            .get(at..)
            .and_then(|rest| memchr::memmem::find(rest.as_bytes(), head.as_bytes()))
        {
            let i = at + o;
            if whole_words_at(text, phrase, i).is_some() {
                return Some(i);
            }
            at = i + lower[i..].chars().next().map_or(1, char::len_utf8);
        }
        None
    }
}

/// The byte length of `phrase` at `i` in `text`, when it stands there as whole words.
fn whole_words_at(text: &str, phrase: &str, i: usize) -> Option<usize> {
    if text[..i]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
    {
        return None;
    }
    let len = matches_at(&text[i..], phrase)?;
    (!text[i + len..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric))
    .then_some(len)
}

/// The byte length of `text`'s beginning when it is `phrase` in any case (any run of
/// whitespace matching a space).
fn matches_at(text: &str, phrase: &str) -> Option<usize> {
    let mut t = text.char_indices().peekable();
    let mut p = phrase.chars().peekable();
    while let Some(pc) = p.next() {
        let (_, tc) = t.next()?;
        if pc == ' ' {
            if !tc.is_whitespace() {
                return None;
            }
            while t.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                t.next();
            }
            while p.peek() == Some(&' ') {
                p.next();
            }
        } else if !tc.to_lowercase().eq(pc.to_lowercase()) {
            return None;
        }
    }
    Some(t.peek().map_or(text.len(), |(i, _)| *i))
}

/// One use of a vague qualifier: the phrase of the list and where it is, bytes in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vague<'p> {
    pub phrase: &'p str,
    pub at: std::ops::Range<usize>,
}

/// The vague qualifiers `text` uses, in order, one per use: where entries overlap ("kan komma
/// att" and "komma att"), the longest. An entry with " … " is an open list: its first words,
/// then its last in the same sentence ("exempelvis … eller motsvarande").
pub fn vague<'p>(text: &str, phrases: &'p [String]) -> Vec<Vague<'p>> {
    let hay = Haystack::new(text);
    let find_words = |phrase: &str, from: usize| hay.find(phrase, from);
    let mut found: Vec<Vague> = Vec::new();
    for phrase in phrases {
        let parts: Vec<&str> = phrase
            .split('…')
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect();
        let Some((first, rest)) = parts.split_first() else {
            continue;
        };
        let head = first.split(' ').next().unwrap_or(first).to_lowercase();
        let mut from = 0;
        while let Some(start) = hay.find_from_head(first, &head, from) {
            from = start + first.len().max(1);
            let mut end = start + matches_at(&text[start..], first).unwrap_or(first.len());
            let sentence_end = sentence_end(text, end);
            let mut whole = true;
            for part in rest {
                match find_words(part, end).filter(|&o| o < sentence_end) {
                    Some(o) => end = o + matches_at(&text[o..], part).unwrap_or(part.len()),
                    None => whole = false,
                }
            }
            if whole {
                found.push(Vague {
                    phrase,
                    at: start..end,
                });
            }
        }
    }
    // Longest first at each start; then drop what overlaps a finding already kept.
    found.sort_by_key(|v| (v.at.start, std::cmp::Reverse(v.at.end)));
    let mut kept: Vec<Vague> = Vec::new();
    for v in found {
        if kept
            .iter()
            .any(|k| k.at.start < v.at.end && v.at.start < k.at.end)
        {
            continue;
        }
        kept.push(v);
    }
    kept
}

/// Where the sentence holding byte `from` ends: after the next ".", "!" or "?" followed by a
/// space or the end.
fn sentence_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    (from..bytes.len())
        .find(|&i| {
            matches!(bytes[i], b'.' | b'!' | b'?')
                && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
        })
        .unwrap_or(text.len())
}

/// Where `text` names a legitimate interest as a legal basis ("berättigat intresse",
/// "berättigade intressen", "intresseavvägning") without saying which ("… intresse av att
/// förhindra brott" says it), byte offset.
pub fn legitimate_interest_at(text: &str) -> Option<usize> {
    const NAMES: [&str; 5] = [
        "berättigat intresse",
        "berättigade intresse",
        "berättigade intressen",
        "intresseavvägning",
        "intresseavvägningen",
    ];
    let mut unsaid = None;
    for name in NAMES {
        let mut from = 0;
        while let Some(at) = find_words(text, name, from) {
            from = at + 1;
            let len = matches_at(&text[at..], name).unwrap_or(name.len());
            let after = text[at + len..].trim_start();
            let said = ["av ", "att ", "i att ", "i ", ":", "–", "-"]
                .iter()
                .any(|w| after.starts_with(w));
            if !said {
                unsaid = Some(unsaid.map_or(at, |u: usize| u.min(at)));
            }
        }
    }
    unsaid
}

/// Where `text` has two or more spaces between words (not at a line's end, where two spaces
/// are a hard line break, nor indenting a line), byte offset of the run.
pub fn double_space(text: &str) -> Option<usize> {
    let mut start = 0;
    for line in text.split('\n') {
        let body = line.trim_end_matches(' ');
        let indent = body.len() - body.trim_start_matches(' ').len();
        if let Some(o) = body[indent..].find("  ") {
            return Some(start + indent + o);
        }
        start += line.len() + 1;
    }
    None
}

/// Where a line of `text` ends in ":" and the next line goes on in the same paragraph (a soft
/// break, printed as a space), byte offset of the colon. A list, a table or a blank line after
/// it, or a hard break (`\` or two spaces), is what the editor meant.
pub fn colon_then_soft_break(text: &str) -> Option<usize> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut offset = 0;
    for (i, line) in lines.iter().enumerate() {
        let hard = line.ends_with("  ") || line.ends_with('\\');
        let continues = lines.get(i + 1).map(|l| l.trim()).is_some_and(|next| {
            !next.is_empty()
                && !next.starts_with(['-', '*', '+', '|'])
                && !next
                    .split_once(". ")
                    .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
        });
        if !hard && continues && line.trim_end().ends_with(':') {
            return Some(offset + line.trim_end().len() - 1);
        }
        offset += line.len() + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn overlapping_entries_give_one_finding_at_the_phrase() {
        let phrases = list(&["komma att", "kan komma att", "eventuellt"]);
        let text = "Uppgifterna kan komma att sparas. Eventuellt raderas de.";
        let found = vague(text, &phrases);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].phrase, "kan komma att");
        assert_eq!(found[0].at.start, text.find("kan").unwrap());
        assert_eq!(found[1].phrase, "eventuellt");
    }

    #[test]
    fn an_open_list_is_found_within_its_sentence() {
        let phrases = list(&["exempelvis … eller motsvarande"]);
        let text = "Vi delar uppgifter med exempelvis banker eller motsvarande aktörer.";
        let found = vague(text, &phrases);
        assert_eq!(found.len(), 1);
        assert_eq!(
            &text[found[0].at.clone()],
            "exempelvis banker eller motsvarande"
        );
        // Not across sentences.
        assert!(vague("Exempelvis banker. Eller motsvarande.", &phrases).is_empty());
    }

    #[test]
    fn phrases_are_whole_words_across_line_breaks() {
        assert_eq!(
            find_words("i\ntillämpliga  fall", "i tillämpliga fall", 0),
            Some(0)
        );
        assert_eq!(find_words("vissas", "vissa", 0), None);
        assert_eq!(find_words("Ävenvissa", "vissa", 0), None);
    }

    #[test]
    fn a_legitimate_interest_is_unsaid_unless_the_interest_follows() {
        assert_eq!(
            legitimate_interest_at("Avanza har ett berättigat intresse."),
            Some(15)
        );
        assert_eq!(
            legitimate_interest_at("Vårt berättigade intresse av att förhindra brott."),
            None
        );
        assert_eq!(legitimate_interest_at("Berättigade intressen."), Some(0));
        assert_eq!(legitimate_interest_at("Samtycke."), None);
    }

    #[test]
    fn runs_of_spaces_and_colons_before_soft_breaks_are_found() {
        assert_eq!(double_space("Vi  genomför"), Some(2));
        assert_eq!(double_space("rad ett  \nrad två"), None);
        assert_eq!(
            colon_then_soft_break("Om du är privatkund:\nnamn"),
            Some(20)
        );
        assert_eq!(colon_then_soft_break("Om du är privatkund:\\\nnamn"), None);
        assert_eq!(colon_then_soft_break("Följande:\n\n- namn"), None);
        assert_eq!(colon_then_soft_break("Följande:\n- namn"), None);
    }
}
