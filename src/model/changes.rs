//! What changed between two versions of a notice: by section and question, what was added,
//! removed or reworded, the rewording word by word (the `similar` crate's word diff). Both
//! versions are read through the one walk, printed sections only.

use super::{Notice, Step, TextKind, Which, walk};

/// A word of a reworded text: kept, added or removed (with the spaces around it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Word {
    Same(String),
    Added(String),
    Removed(String),
}

/// What happened to a part of the notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// New in this version: its text.
    Added(String),
    /// Gone from this version: its text.
    Removed(String),
    /// Reworded: the text, word by word.
    Reworded(Vec<Word>),
}

/// One change: where (the section's heading, and the question when it is an item's) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub section: String,
    pub question: Option<String>,
    pub what: What,
}

/// A section's texts, as the walk gives them.
#[derive(Debug, Default)]
struct Part {
    id: String,
    heading: String,
    /// The section's own text (intro and list), one block a line.
    text: Vec<String>,
    /// Its questions and their answers.
    items: Vec<(String, Vec<String>)>,
}

fn parts(n: &Notice) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::new();
    let mut in_item = false;
    walk(n, Which::Printed, &mut |_, step| match step {
        Step::Section(s) => {
            in_item = false;
            out.push(Part {
                id: s.id.clone(),
                heading: s.heading.clone(),
                ..Part::default()
            });
        }
        Step::Item(i) => {
            in_item = true;
            if let Some(p) = out.last_mut() {
                p.items.push((i.question.clone(), Vec::new()));
            }
        }
        Step::ItemEnd(_) => in_item = false,
        // The lead is compared as a part of its own, before the sections.
        Step::Lead => out.push(Part {
            id: String::new(),
            heading: crate::sv::LEAD.to_owned(),
            ..Part::default()
        }),
        Step::Running { text, .. } => {
            let plain = text.plain();
            if let Some(p) = out.last_mut() {
                match (in_item, p.items.last_mut()) {
                    (true, Some((_, answer))) => answer.push(plain),
                    _ => p.text.push(plain),
                }
            }
        }
        Step::Text {
            kind: TextKind::Heading | TextKind::Question | TextKind::Label | TextKind::Title,
            ..
        }
        | Step::Text { .. }
        | Step::LeadEnd
        | Step::Logo(_)
        | Step::SectionEnd(_)
        | Step::List { .. }
        | Step::ListEnd => {}
    });
    out
}

/// The most pairs of pieces (words and the spaces between them) a rewording is compared
/// over, the old text's times the new one's once their common beginning and end are set
/// aside. A word diff's work grows with that product in the worst case (texts that share
/// little); beyond it the middle reads as removed and added whole, the same for the same texts.
pub const MAX_WORD_PAIRS: u64 = 1 << 24;

/// The pieces of `text`: runs of whitespace and runs of anything else.
fn pieces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut space = None;
    for (i, c) in text.char_indices() {
        let s = c.is_whitespace();
        if space.is_some_and(|was| was != s) {
            out.push(&text[start..i]);
            start = i;
        }
        space = Some(s);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The word-by-word difference of two texts, within [`MAX_WORD_PAIRS`].
pub fn words(old: &str, new: &str) -> Vec<Word> {
    let (a, b) = (pieces(old), pieces(new));
    if (a.len() as u64) * (b.len() as u64) <= MAX_WORD_PAIRS {
        return diff_words(old, new);
    }
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_mid, b_mid) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut out = Vec::new();
    let mut push = |w: Word| match (out.last_mut(), w) {
        (_, Word::Same(s) | Word::Added(s) | Word::Removed(s)) if s.is_empty() => {}
        (Some(Word::Same(x)), Word::Same(y)) => x.push_str(&y),
        (_, w) => out.push(w),
    };
    push(Word::Same(a[..head].concat()));
    let (old_mid, new_mid) = (a_mid.concat(), b_mid.concat());
    if (a_mid.len() as u64) * (b_mid.len() as u64) <= MAX_WORD_PAIRS {
        for w in diff_words(&old_mid, &new_mid) {
            push(w);
        }
    } else {
        push(Word::Removed(old_mid));
        push(Word::Added(new_mid));
    }
    push(Word::Same(a[a.len() - tail..].concat()));
    out
}

/// The word-by-word difference of two texts (the `similar` crate's word diff).
fn diff_words(old: &str, new: &str) -> Vec<Word> {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::configure().diff_words(old, new);
    let mut out: Vec<Word> = Vec::new();
    for c in diff.iter_all_changes() {
        let w = c.value().to_owned();
        let word = match c.tag() {
            ChangeTag::Equal => Word::Same(w),
            ChangeTag::Insert => Word::Added(w),
            ChangeTag::Delete => Word::Removed(w),
        };
        // Neighbouring pieces of one kind read as one.
        match (out.last_mut(), &word) {
            (Some(Word::Same(a)), Word::Same(b))
            | (Some(Word::Added(a)), Word::Added(b))
            | (Some(Word::Removed(a)), Word::Removed(b)) => a.push_str(b),
            _ => out.push(word),
        }
    }
    out
}

/// What changed from `old` to `new`, in the new version's order (then what was removed).
pub fn changes(old: &Notice, new: &Notice) -> Vec<Change> {
    let (old, new) = (parts(old), parts(new));
    let mut out = Vec::new();
    for p in &new {
        let Some(o) = old.iter().find(|o| o.id == p.id) else {
            let mut all = p.text.clone();
            for (q, a) in &p.items {
                all.push(q.clone());
                all.extend(a.iter().cloned());
            }
            out.push(Change {
                section: p.heading.clone(),
                question: None,
                what: What::Added(all.join("\n")),
            });
            continue;
        };
        let (ot, nt) = (o.text.join("\n"), p.text.join("\n"));
        if o.heading != p.heading || ot != nt {
            out.push(Change {
                section: p.heading.clone(),
                question: None,
                what: What::Reworded(words(
                    &format!("{}\n{ot}", o.heading),
                    &format!("{}\n{nt}", p.heading),
                )),
            });
        }
        for (q, a) in &p.items {
            let now = a.join("\n");
            match o.items.iter().find(|(oq, _)| oq == q) {
                None => out.push(Change {
                    section: p.heading.clone(),
                    question: Some(q.clone()),
                    what: What::Added(now),
                }),
                Some((_, oa)) if oa.join("\n") != now => out.push(Change {
                    section: p.heading.clone(),
                    question: Some(q.clone()),
                    what: What::Reworded(words(&oa.join("\n"), &now)),
                }),
                Some(_) => {}
            }
        }
        for (q, a) in &o.items {
            if !p.items.iter().any(|(nq, _)| nq == q) {
                out.push(Change {
                    section: p.heading.clone(),
                    question: Some(q.clone()),
                    what: What::Removed(a.join("\n")),
                });
            }
        }
    }
    for o in &old {
        if !new.iter().any(|p| p.id == o.id) {
            out.push(Change {
                section: o.heading.clone(),
                question: None,
                what: What::Removed(o.text.join("\n")),
            });
        }
    }
    out
}

/// `what` as words to show a reader: an added or removed text is one marked piece; in a
/// rewording, spaces stand outside the marked pieces and between a removed and an added piece
/// that meet (`sex` struck, ` `, `tre` marked, not `sextre`).
pub fn readable(what: &What) -> Vec<Word> {
    let words = match what {
        What::Added(t) => vec![Word::Added(t.clone())],
        What::Removed(t) => vec![Word::Removed(t.clone())],
        What::Reworded(ws) => ws.clone(),
    };
    let mut out: Vec<Word> = Vec::new();
    let push = |out: &mut Vec<Word>, w: Word| match (out.last_mut(), w) {
        (_, Word::Same(s) | Word::Added(s) | Word::Removed(s)) if s.is_empty() => {}
        (Some(Word::Same(a)), Word::Same(b)) => a.push_str(&b),
        (Some(Word::Added(_) | Word::Removed(_)), w @ (Word::Added(_) | Word::Removed(_))) => {
            out.push(Word::Same(" ".into()));
            out.push(w);
        }
        (_, w) => out.push(w),
    };
    for w in words {
        let (text, marked): (&str, fn(String) -> Word) = match &w {
            Word::Same(_) => {
                push(&mut out, w);
                continue;
            }
            Word::Added(t) => (t, Word::Added),
            Word::Removed(t) => (t, Word::Removed),
        };
        let core = text.trim();
        let lead = &text[..text.len() - text.trim_start().len()];
        let trail = &text[text.trim_end().len()..];
        if core.is_empty() {
            continue;
        }
        push(&mut out, Word::Same(lead.to_owned()));
        push(&mut out, marked(core.to_owned()));
        push(&mut out, Word::Same(trail.to_owned()));
    }
    out
}

/// A rewording as a reader can read it: the old text whole ("Tidigare: …", shown struck as a
/// whole) and the new text with the words added to it marked ("Nu: …"). Neither alternates
/// word by word, and a change of punctuation alone is not marked as a word. `None` for an
/// addition or a removal (one marked piece already).
pub fn before_after(what: &What) -> Option<(String, Vec<Word>)> {
    let What::Reworded(words) = what else {
        return None;
    };
    let mut before = String::new();
    let mut after: Vec<Word> = Vec::new();
    for w in words {
        match w {
            Word::Same(t) => {
                before.push_str(t);
                after.push(Word::Same(t.clone()));
            }
            Word::Removed(t) => before.push_str(t),
            Word::Added(t) if t.chars().any(char::is_alphanumeric) => {
                after.push(Word::Added(t.clone()))
            }
            Word::Added(t) => after.push(Word::Same(t.clone())),
        }
    }
    let before = before.split_whitespace().collect::<Vec<_>>().join(" ");
    Some((before, readable(&What::Reworded(after))))
}

/// The report for editors, as `notice-pdf diff` prints it: removed words in `[-…-]`, added
/// ones in `{+…+}`.
pub fn report(old: &Notice, new: &Notice) -> String {
    let mut out = format!(
        "Vad har ändrats sedan {} ({}: version {} → {}, {} → {})\n",
        crate::sv::date(old.updated),
        new.id,
        old.version.as_deref().unwrap_or("-"),
        new.version.as_deref().unwrap_or("-"),
        old.updated,
        new.updated
    );
    let all = changes(old, new);
    if all.is_empty() {
        out.push_str("Inga ändringar i texten.\n");
        return out;
    }
    let mut section = None;
    for c in &all {
        if section != Some(&c.section) {
            out.push_str(&format!("\n{}\n", c.section));
            section = Some(&c.section);
        }
        let place = c.question.as_deref().unwrap_or("(avsnittets text)");
        let (label, body) = match &c.what {
            What::Added(t) => ("nytt", t.clone()),
            What::Removed(t) => ("borttaget", t.clone()),
            What::Reworded(ws) => (
                "omformulerat",
                ws.iter()
                    .map(|w| match w {
                        Word::Same(s) => s.clone(),
                        Word::Added(s) => format!("{{+{s}+}}"),
                        Word::Removed(s) => format!("[-{s}-]"),
                    })
                    .collect(),
            ),
        };
        out.push_str(&format!("  {place}: {label}\n"));
        for line in body.lines() {
            out.push_str(&format!("    {line}\n"));
        }
    }
    out
}

/// The notices of `selected` that changed since their previous versions, with their dates.
pub fn changed_notices<'a>(selected: &[&'a Notice]) -> Vec<(&'a str, chrono::NaiveDate)> {
    selected
        .iter()
        .filter(|n| n.changed())
        .map(|n| (n.title.as_str(), n.updated))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_number_is_one_removed_and_one_added_word() {
        let changed = words("Vi sparar i 6 månader.", "Vi sparar i 3 månader.");
        assert_eq!(
            changed,
            [
                Word::Same("Vi sparar i ".into()),
                Word::Removed("6".into()),
                Word::Added("3".into()),
                Word::Same(" månader.".into()),
            ]
        );
    }

    #[test]
    fn a_rewording_reads_with_a_space_between_removed_and_added_words() {
        let w = readable(&What::Reworded(words("i 6 månader.", "i 3 månader.")));
        assert_eq!(
            w,
            [
                Word::Same("i ".into()),
                Word::Removed("6".into()),
                Word::Same(" ".into()),
                Word::Added("3".into()),
                Word::Same(" månader.".into()),
            ]
        );
        // Spaces that were removed with a word stand outside its mark.
        let w = readable(&What::Reworded(words("a b c", "a c")));
        assert!(w.iter().all(|w| match w {
            Word::Added(t) | Word::Removed(t) => t.trim() == t,
            Word::Same(_) => true,
        }));
        let text: String = w
            .iter()
            .map(|w| match w {
                Word::Same(t) | Word::Added(t) | Word::Removed(t) => t.as_str(),
            })
            .collect();
        assert_eq!(text, "a b c");
    }

    /// Two texts of 6 000 words that share none: the word diff is not run over them (its
    /// work would be 36 million pairs); the text reads as removed and added whole, between
    /// the beginning and end they share, which stay.
    #[test]
    fn a_rewording_too_large_to_compare_word_by_word_is_bounded() {
        let text = |tag: &str| {
            (0..6000)
                .map(|i| format!("{tag}{i}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let (old, new) = (
            format!("Vi sparar {} i dag.", text("a")),
            format!("Vi sparar {} i dag.", text("b")),
        );
        let w = words(&old, &new);
        assert_eq!(
            w,
            [
                Word::Same("Vi sparar ".into()),
                Word::Removed(text("a")),
                Word::Added(text("b")),
                Word::Same(" i dag.".into()),
            ]
        );
        // Small changes in a long text are still found word by word.
        let long = text("a");
        let edited = long.replace("a3000 ", "b3000 ");
        let w = words(&long, &edited);
        assert!(w.contains(&Word::Removed("a3000".into())), "{w:?}");
        assert!(w.contains(&Word::Added("b3000".into())), "{w:?}");
    }
}
