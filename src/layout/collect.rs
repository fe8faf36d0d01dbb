//! Collects a notice's flow from its document tree, recursing over it: the title block, the
//! lead, each printed section with its intro, list and items, each item's question and answer,
//! and the parts they are made of (running text, lists, labels). The lines themselves are set
//! by [`super::flow`].

use super::display::StructKind;
use super::flow::{Builder, anchor};
use crate::model::{Item, Part, Section, Text};

/// Where parts stand: their parent structure node, the space above the first one (pt), and
/// the heading level of a label among them (before a pack's lift).
#[derive(Clone, Copy)]
struct Place {
    parent: usize,
    first_gap: f32,
    gap: f32,
    label_level: u8,
}

impl Builder<'_> {
    /// The whole notice, in reading order.
    pub(super) fn build(&mut self) {
        let n = self.notice;
        let s = self.style;
        self.title_block();
        if !n.lead.is_empty() {
            let lead = self.node(StructKind::Sect, None);
            let gap = s.para_gap * 2.0;
            self.parts(
                &n.lead,
                Place {
                    parent: lead,
                    first_gap: gap,
                    gap,
                    label_level: 2,
                },
            );
        }
        for section in n.printed_sections() {
            self.section(section);
        }
        if let Some(note) = &n.updated_note {
            // Part of the closing block: kept with the notice's last lines.
            let node = self.node(StructKind::Paragraph, None);
            let first = self.items.len();
            self.paragraph(note, s.note, node, 0.0, s.note.space_before);
            self.items[first].breaks.no_break_before = true;
        }
        self.changes();
        if let Some(url) = &n.source_url {
            self.way_back(url);
        }
    }

    /// What the document is, its title and which version this is, kept together (a pack's
    /// chapter: its title and version line; the logo is on the pack's title page).
    fn title_block(&mut self) {
        let (n, s) = (self.notice, self.style);
        let chapter = self.pack.is_some();
        let first = self.items.len();
        if !chapter {
            if let Some((logo, picture)) = n.logo() {
                self.logo(logo, picture);
            }
            if let Some(label) = &n.label {
                let node = self.node(StructKind::Paragraph, None);
                let gap = if self.items.len() > first {
                    s.para_gap * 2.0
                } else {
                    0.0
                };
                self.paragraph(label, s.label, node, 0.0, gap);
            }
        }
        let h1 = self.node(
            StructKind::Heading {
                level: 1 + self.lift(),
                text: n.title.clone(),
            },
            None,
        );
        let title = self.items.len();
        self.heading(&n.title, s.title, h1, chapter.then_some(2), None);
        if chapter {
            self.items[title].anchor = Some(anchor(&n.id, None));
        }
        let node = self.node(StructKind::Paragraph, None);
        let line = crate::sv::version_line(n);
        self.paragraph(&line, s.meta, node, 0.0, s.meta.space_before);
        if n.changed() {
            let node = self.node(StructKind::Paragraph, None);
            let note = crate::sv::changed_note(n.updated);
            self.paragraph(&note, s.meta, node, 0.0, 0.0);
        }
        for l in &mut self.items[first + 1..] {
            l.breaks.no_break_before = true;
        }
    }

    /// A printed section: its heading (with a rule above), intro, list and items.
    fn section(&mut self, section: &Section) {
        let s = self.style;
        let lift = self.lift();
        let sect = self.node(StructKind::Sect, None);
        let h2 = self.node(
            StructKind::Heading {
                level: 2 + lift,
                text: section.heading.clone(),
            },
            Some(sect),
        );
        let first = self.items.len();
        self.heading(
            &section.heading,
            s.h2,
            h2,
            Some(1 + 2 * lift),
            Some(s.rule_gap),
        );
        if self.pack.is_some() {
            self.items[first].anchor = Some(anchor(&self.notice.id, Some(&section.id)));
        }
        let body = self.items.len();
        self.parts(
            &section.intro,
            Place {
                parent: sect,
                first_gap: s.para_gap,
                gap: s.para_gap,
                label_level: 3,
            },
        );
        if !section.list.is_empty() {
            self.list(&section.list, sect);
        }
        for item in &section.items {
            self.item(item, sect);
        }
        self.keep_scope(body, self.items.len());
    }

    /// An item: its question, then its answer. A short answer is never split from its question
    /// or within itself.
    fn item(&mut self, item: &Item, sect: usize) {
        let s = self.style;
        let lift = self.lift();
        let q_sect = self.node(StructKind::Sect, Some(sect));
        let h3 = self.node(
            StructKind::Heading {
                level: 3 + lift,
                text: item.question.clone(),
            },
            Some(q_sect),
        );
        let first = self.items.len();
        self.heading(&item.question, s.h3, h3, Some(2 + 2 * lift), None);
        let answer = self.items.len();
        self.parts(
            &item.answer,
            Place {
                parent: q_sect,
                first_gap: s.answer_gap,
                gap: s.para_gap,
                label_level: 4,
            },
        );
        if self.items.len() - answer <= 4 {
            for l in &mut self.items[first + 1..] {
                l.breaks.no_break_before = true;
            }
        }
        self.keep_scope(answer, self.items.len());
    }

    /// A heading never ends a page with two lines or fewer of what it heads when what it
    /// heads goes on: the lines `body..end` after it keep together until three of them stand
    /// under it (all of them, when they are fewer).
    fn keep_scope(&mut self, body: usize, end: usize) {
        let upto = if end - body <= 3 {
            end.saturating_sub(1)
        } else {
            body + 2
        };
        for l in &mut self.items[body..upto.max(body)] {
            l.breaks.keep_with_next = true;
        }
    }

    /// Parts in reading order: running text, lists and labels.
    fn parts(&mut self, parts: &[Part], at: Place) {
        let start = self.items.len();
        // The first line under the last label: what it heads runs to the next label or the end.
        let mut labelled: Option<usize> = None;
        for part in parts {
            match part {
                Part::Text(text) => {
                    let gap = if self.items.len() == start {
                        at.first_gap
                    } else {
                        at.gap
                    };
                    self.blocks(&text.blocks, at.parent, gap, 0.0, 0);
                }
                Part::List(entries) => self.list(entries, at.parent),
                Part::Label(text) => {
                    if let Some(body) = labelled.take() {
                        self.keep_scope(body, self.items.len());
                    }
                    self.label(text, at.parent, at.label_level);
                    labelled = Some(self.items.len());
                }
            }
        }
        if let Some(body) = labelled {
            self.keep_scope(body, self.items.len());
        }
    }

    /// A label of the data that follows: a heading `level` deep (before a pack's lift), set
    /// below question level, kept with what follows.
    fn label(&mut self, text: &Text, parent: usize, level: u8) {
        let s = self.style;
        let node = self.node(
            StructKind::Heading {
                level: level + self.lift(),
                text: text.plain(),
            },
            Some(parent),
        );
        let first = self.items.len();
        let space = s.group_label.space_before;
        self.inlines(text.inlines(), s.group_label, node, 0.0, space);
        for l in &mut self.items[first..] {
            l.breaks.keep_with_next = true;
        }
    }
}
