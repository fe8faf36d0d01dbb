//! The one traversal of a notice's content, in reading order. Validation, layout and the
//! fidelity test all walk a notice through [`walk`]; a new kind of block is added here once,
//! and every `match` on [`Step`] then names the places that must handle it.
//!
//! The walk reaches each text value of the data with its field path. A running text is
//! CommonMark; its own tree (paragraphs, nested lists, inline spans) is [`crate::model::rich`]'s.

use super::locate::Seg;
use super::{Item, Logo, Notice, Part, Section, Text};

/// What a plain text value is in the notice (one line, no markup).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// What the document is (`label`), printed above the title.
    Label,
    /// The notice's title (`title`).
    Title,
    /// A section's heading.
    Heading,
    /// A question of an item.
    Question,
    /// The page's sentence about its update date (`updated_note`).
    UpdatedNote,
}

impl TextKind {
    /// What the text is, in a message ("a heading").
    pub fn name(self) -> &'static str {
        match self {
            TextKind::Label => "the label",
            TextKind::Title => "the title",
            TextKind::Heading => "a heading",
            TextKind::Question => "a question",
            TextKind::UpdatedNote => "the updated note",
        }
    }
}

/// What a running-text value is (CommonMark, parsed into the tree when the notice is read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunningKind {
    /// Running text standing as paragraphs: a part of a lead, an intro or an answer.
    Paragraph,
    /// One entry of a list (between [`Step::List`] and [`Step::ListEnd`]).
    ListEntry,
    /// A label for the data that follows it (`{ label = "…" }`).
    Label,
}

/// One step of the walk. Containers open and close around what they hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step<'a> {
    /// A plain text value.
    Text {
        kind: TextKind,
        text: &'a str,
    },
    /// A running-text value, parsed.
    Running {
        kind: RunningKind,
        text: &'a Text,
    },
    /// The publisher's logo, first in the title block.
    Logo(&'a Logo),
    /// The lead opens (after the title block): its parts follow.
    Lead,
    LeadEnd,
    /// A section opens: its heading, intro, list and items follow.
    Section(&'a Section),
    SectionEnd(&'a Section),
    /// An item opens: its question, then its answer's parts.
    Item(&'a Item),
    ItemEnd(&'a Item),
    /// A list opens: `entries` texts with [`RunningKind::ListEntry`] follow.
    List {
        entries: usize,
    },
    ListEnd,
}

/// Which sections the walk visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Every section, as on the web page (validation, fidelity).
    All,
    /// The sections that are typeset: not `web_only`.
    Printed,
}

/// The walk's state: the field path of where it is, and the visitor.
struct Walker<'v, 'a> {
    path: Vec<Seg>,
    visit: &'v mut dyn FnMut(&[Seg], Step<'a>),
}

impl<'a> Walker<'_, 'a> {
    /// Visits `step` at the current path extended by `segs`.
    fn at(&mut self, segs: &[Seg], step: Step<'a>) {
        let len = self.path.len();
        self.path.extend_from_slice(segs);
        (self.visit)(&self.path, step);
        self.path.truncate(len);
    }

    fn text(&mut self, key: &'static str, kind: TextKind, text: &'a str) {
        self.at(&[Seg::Key(key)], Step::Text { kind, text });
    }

    /// The parts at the current path's field `key`.
    fn parts(&mut self, key: &'static str, parts: &'a [Part]) {
        for (i, part) in parts.iter().enumerate() {
            self.path.extend([Seg::Key(key), Seg::Index(i)]);
            match part {
                Part::Text(text) => self.at(
                    &[],
                    Step::Running {
                        kind: RunningKind::Paragraph,
                        text,
                    },
                ),
                Part::List(entries) => self.list(entries),
                Part::Label(text) => self.at(
                    &[Seg::Key("label")],
                    Step::Running {
                        kind: RunningKind::Label,
                        text,
                    },
                ),
            }
            self.path.truncate(self.path.len() - 2);
        }
    }

    /// A list at the path's field `list`, its entries at `list[i]`.
    fn list(&mut self, entries: &'a [Text]) {
        self.path.push(Seg::Key("list"));
        self.at(
            &[],
            Step::List {
                entries: entries.len(),
            },
        );
        for (i, text) in entries.iter().enumerate() {
            self.at(
                &[Seg::Index(i)],
                Step::Running {
                    kind: RunningKind::ListEntry,
                    text,
                },
            );
        }
        self.at(&[], Step::ListEnd);
        self.path.pop();
    }

    fn section(&mut self, si: usize, section: &'a Section) {
        self.path.extend([Seg::Key("sections"), Seg::Index(si)]);
        self.at(&[], Step::Section(section));
        self.text("heading", TextKind::Heading, &section.heading);
        self.parts("intro", &section.intro);
        if !section.list.is_empty() {
            self.list(&section.list);
        }
        for (ii, item) in section.items.iter().enumerate() {
            self.path.extend([Seg::Key("items"), Seg::Index(ii)]);
            self.at(&[], Step::Item(item));
            self.text("question", TextKind::Question, &item.question);
            self.parts("answer", &item.answer);
            self.at(&[], Step::ItemEnd(item));
            self.path.truncate(self.path.len() - 2);
        }
        self.at(&[], Step::SectionEnd(section));
        self.path.truncate(self.path.len() - 2);
    }
}

/// Walks `notice` in reading order, calling `visit` with each step and the field path of
/// what it visits (`sections[2].items[0].answer[1]`).
pub fn walk<'a>(notice: &'a Notice, which: Which, visit: &mut dyn FnMut(&[Seg], Step<'a>)) {
    let mut w = Walker {
        path: Vec::with_capacity(8),
        visit,
    };
    if let Some(logo) = &notice.logo {
        w.at(&[Seg::Key("logo")], Step::Logo(logo));
    }
    if let Some(label) = &notice.label {
        w.text("label", TextKind::Label, label);
    }
    w.text("title", TextKind::Title, &notice.title);
    if !notice.lead.is_empty() {
        w.at(&[], Step::Lead);
        w.parts("lead", &notice.lead);
        w.at(&[], Step::LeadEnd);
    }
    for (si, section) in notice.sections.iter().enumerate() {
        if which == Which::Printed && section.web_only {
            continue;
        }
        w.section(si, section);
    }
    if let Some(note) = &notice.updated_note {
        w.text("updated_note", TextKind::UpdatedNote, note);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{parse, path_string};
    use std::path::Path;

    const NOTICE: &str = r#"
id = "t"
label = "Etikett"
logo = { file = "logo.svg", alt = "P" }
title = "Titel"
summary = "Sammanfattning."
language = "sv-SE"
publisher = "P"
updated = "2023-03-20"
updated_note = "Uppdaterad 2023-03-20."
lead = ["Ingress."]

[[sections]]
id = "a"
heading = "A"
intro = ["Inledning."]
list = ["x", "y"]

[[sections.items]]
kind = "other"
question = "F?"
answer = ["Svar.", { label = "Etikett:" }, { list = ["p", "q"] }]

[[sections]]
id = "web"
web_only = true
heading = "Webb"
intro = ["Knapp."]
"#;

    fn steps(which: Which) -> Vec<String> {
        let n = parse(Path::new("t.toml"), NOTICE).unwrap();
        let mut out = Vec::new();
        walk(&n, which, &mut |path, step| {
            let what = match step {
                Step::Text { kind, text } => format!("{kind:?} {text}"),
                Step::Running { kind, text } => format!("{kind:?} {}", text.src),
                Step::Lead => "Lead".into(),
                Step::LeadEnd => "LeadEnd".into(),
                Step::Logo(l) => format!("Logo {}", l.file),
                Step::Section(s) => format!("Section {}", s.id),
                Step::SectionEnd(_) => "SectionEnd".into(),
                Step::Item(i) => format!("Item {}", i.question),
                Step::ItemEnd(_) => "ItemEnd".into(),
                Step::List { entries } => format!("List {entries}"),
                Step::ListEnd => "ListEnd".into(),
            };
            out.push(format!("{} {what}", path_string(path)));
        });
        out
    }

    #[test]
    fn walk_visits_every_text_in_reading_order_with_its_field_path() {
        let got = steps(Which::All);
        let want = [
            "logo Logo logo.svg",
            "label Label Etikett",
            "title Title Titel",
            " Lead",
            "lead[0] Paragraph Ingress.",
            " LeadEnd",
            "sections[0] Section a",
            "sections[0].heading Heading A",
            "sections[0].intro[0] Paragraph Inledning.",
            "sections[0].list List 2",
            "sections[0].list[0] ListEntry x",
            "sections[0].list[1] ListEntry y",
            "sections[0].list ListEnd",
            "sections[0].items[0] Item F?",
            "sections[0].items[0].question Question F?",
            "sections[0].items[0].answer[0] Paragraph Svar.",
            "sections[0].items[0].answer[1].label Label Etikett:",
            "sections[0].items[0].answer[2].list List 2",
            "sections[0].items[0].answer[2].list[0] ListEntry p",
            "sections[0].items[0].answer[2].list[1] ListEntry q",
            "sections[0].items[0].answer[2].list ListEnd",
            "sections[0].items[0] ItemEnd",
            "sections[0] SectionEnd",
            "sections[1] Section web",
            "sections[1].heading Heading Webb",
            "sections[1].intro[0] Paragraph Knapp.",
            "sections[1] SectionEnd",
            "updated_note UpdatedNote Uppdaterad 2023-03-20.",
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn printed_walk_skips_web_only_sections() {
        let got = steps(Which::Printed);
        assert!(got.iter().all(|s| !s.contains("sections[1]")), "{got:?}");
        assert!(got.last().unwrap().starts_with("updated_note"));
    }
}
