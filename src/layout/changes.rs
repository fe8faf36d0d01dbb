//! The section that ends a changed notice: "Vad har ändrats sedan <date>", what was added,
//! removed or reworded since the previous version ([`crate::model::changes`]), by section and
//! question. A reworded text reads as "Tidigare:" (the old wording, struck through as a whole)
//! and "Nu:" (the new wording, its added words set semibold), never alternating word by word;
//! each marked piece is a `Span` with its decoration as its layout attribute and a text
//! equivalent for screen readers.

use super::display::{Mark, StructKind};
use super::flow::{Builder, Spans};
use super::style::BlockStyle;
use crate::model::changes::{self, What, Word};
use crate::sv;

impl Builder<'_> {
    /// Sets the section when the notice has a previous version whose printed text differs.
    pub(super) fn changes(&mut self) {
        let n = self.notice;
        let Some(previous) = n.previous.as_deref() else {
            return;
        };
        let all = changes::changes(previous, n);
        if all.is_empty() {
            return;
        }
        let s = self.style;
        let lift = self.lift();
        let sect = self.node(StructKind::Sect, None);
        let title = sv::changes_heading(previous.updated);
        let h2 = self.node(
            StructKind::Heading {
                level: 2 + lift,
                text: title.clone(),
            },
            Some(sect),
        );
        self.heading(&title, s.h2, h2, Some(1 + 2 * lift), Some(s.rule_gap));
        let intro = self.node(StructKind::Paragraph, Some(sect));
        self.paragraph(&sv::changes_intro(previous), s.body, intro, 0.0, 0.0);
        // Under the semibold section name, where and what in italic: three levels apart.
        let lead = BlockStyle {
            font: s.body.font.with(true, false),
            ..s.body
        };
        let mut section = None;
        for c in &all {
            if section != Some(&c.section) {
                let h3 = self.node(
                    StructKind::Heading {
                        level: 3 + lift,
                        text: c.section.clone(),
                    },
                    Some(sect),
                );
                self.heading(&c.section, s.h3, h3, None, None);
                section = Some(&c.section);
            }
            // Where and what: "Hur länge sparar vi …? – ändrad text", kept with the text.
            let label = match c.what {
                What::Added(_) => sv::CHANGE_ADDED,
                What::Removed(_) => sv::CHANGE_REMOVED,
                What::Reworded(_) => sv::CHANGE_REWORDED,
            };
            let place = c.question.as_deref().unwrap_or(sv::SECTION_TEXT);
            let node = self.node(StructKind::Paragraph, Some(sect));
            let first = self.items.len();
            self.paragraph(&format!("{place} – {label}"), lead, node, 0.0, s.para_gap);
            for l in &mut self.items[first..] {
                l.breaks.keep_with_next = true;
            }
            match changes::before_after(&c.what) {
                // "Tidigare:" the old wording struck whole, "Nu:" the new one, its added words
                // marked: never alternating word by word.
                Some((before, after)) => {
                    self.marked(Some(sv::CHANGE_BEFORE), &[Word::Removed(before)], sect);
                    self.marked(Some(sv::CHANGE_NOW), &after, sect);
                }
                None => self.marked(None, &changes::readable(&c.what), sect),
            }
        }
    }

    /// One paragraph of words after `label`, the added and removed ones marked.
    fn marked(&mut self, label: Option<&str>, words: &[Word], parent: usize) {
        let s = self.style;
        let node = self.node(StructKind::Paragraph, Some(parent));
        let mut text = String::new();
        let mut spans = Spans::default();
        if let Some(label) = label {
            text.push_str(label);
            text.push(' ');
            spans
                .faces
                .0
                .push((0..label.len(), s.body.font.with(true, false)));
        }
        for w in words {
            let (t, mark) = match w {
                Word::Same(t) => {
                    text.push_str(t);
                    continue;
                }
                Word::Added(t) => (t, Mark::Added),
                Word::Removed(t) => (t, Mark::Removed),
            };
            let alt = match mark {
                Mark::Added => sv::added_alt(t),
                Mark::Removed => sv::removed_alt(t),
            };
            let span = self.node(StructKind::Span { mark, alt }, Some(node));
            let range = text.len()..text.len() + t.len();
            text.push_str(t);
            if mark == Mark::Added {
                spans
                    .faces
                    .0
                    .push((range.clone(), s.body.font.with(false, true)));
            }
            spans.marks.push((range, span, mark));
        }
        self.paragraph_in(&text, s.body, node, 0.0, s.answer_gap, &spans);
    }
}
