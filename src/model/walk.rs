//! The one traversal of a notice's content, in reading order. Validation, layout and the
//! fidelity test all walk a notice through [`walk`]; a new kind of block is added here once,
//! and every `match` on [`Step`] then names the places that must handle it.
//!
//! The walk reaches each text value of the data with its field path. A running text is
//! CommonMark; its own tree (paragraphs, nested lists, inline spans) is [`crate::model::rich`]'s.

use super::locate::Seg;
use super::{Block, Item, Logo, Notice, Section};

/// What a text value is in the notice.
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
    /// Running text standing as a paragraph: a section's intro or a block of an answer.
    Paragraph,
    /// Running text as one entry of a list (between [`Step::List`] and [`Step::ListEnd`]).
    ListEntry,
    /// The page's sentence about its update date (`updated_note`).
    UpdatedNote,
}

impl TextKind {
    /// Whether the text is running text: CommonMark, parsed by [`crate::model::rich`].
    pub fn is_running(self) -> bool {
        matches!(self, TextKind::Paragraph | TextKind::ListEntry)
    }
}

/// One step of the walk. Containers open and close around what they hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step<'a> {
    /// A text value.
    Text {
        kind: TextKind,
        text: &'a str,
    },
    /// The publisher's logo, first in the title block.
    Logo(&'a Logo),
    /// A section opens: its heading, intro, list and items follow.
    Section(&'a Section),
    SectionEnd(&'a Section),
    /// An item opens: its question, then its answer's blocks.
    Item(&'a Item),
    ItemEnd(&'a Item),
    /// A list opens: `entries` texts with [`TextKind::ListEntry`] follow.
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

/// Walks `notice` in reading order, calling `visit` with each step and the field path of
/// what it visits (`sections[2].items[0].answer[1]`).
pub fn walk<'a>(notice: &'a Notice, which: Which, visit: &mut dyn FnMut(&[Seg], Step<'a>)) {
    let mut path = Vec::with_capacity(8);
    let mut at = |path: &mut Vec<Seg>, segs: &[Seg], step: Step<'a>| {
        let len = path.len();
        path.extend_from_slice(segs);
        visit(path, step);
        path.truncate(len);
    };
    let text = |kind, text| Step::Text { kind, text };
    if let Some(logo) = &notice.logo {
        at(&mut path, &[Seg::Key("logo")], Step::Logo(logo));
    }
    if let Some(label) = &notice.label {
        at(
            &mut path,
            &[Seg::Key("label")],
            text(TextKind::Label, label),
        );
    }
    at(
        &mut path,
        &[Seg::Key("title")],
        text(TextKind::Title, &notice.title),
    );
    for (si, section) in notice.sections.iter().enumerate() {
        if which == Which::Printed && section.web_only {
            continue;
        }
        path.extend([Seg::Key("sections"), Seg::Index(si)]);
        at(&mut path, &[], Step::Section(section));
        at(
            &mut path,
            &[Seg::Key("heading")],
            text(TextKind::Heading, &section.heading),
        );
        for (i, p) in section.intro.iter().enumerate() {
            at(
                &mut path,
                &[Seg::Key("intro"), Seg::Index(i)],
                text(TextKind::Paragraph, p),
            );
        }
        if !section.list.is_empty() {
            path.push(Seg::Key("list"));
            list(&mut path, &section.list, &mut at);
            path.pop();
        }
        for (ii, item) in section.items.iter().enumerate() {
            path.extend([Seg::Key("items"), Seg::Index(ii)]);
            at(&mut path, &[], Step::Item(item));
            at(
                &mut path,
                &[Seg::Key("question")],
                text(TextKind::Question, &item.question),
            );
            for (bi, block) in item.answer.iter().enumerate() {
                path.extend([Seg::Key("answer"), Seg::Index(bi)]);
                match block {
                    Block::Paragraph(p) => at(&mut path, &[], text(TextKind::Paragraph, p)),
                    Block::List(entries) => {
                        path.push(Seg::Key("list"));
                        list(&mut path, entries, &mut at);
                        path.pop();
                    }
                }
                path.truncate(path.len() - 2);
            }
            at(&mut path, &[], Step::ItemEnd(item));
            path.truncate(path.len() - 2);
        }
        at(&mut path, &[], Step::SectionEnd(section));
        path.truncate(path.len() - 2);
    }
    if let Some(note) = &notice.updated_note {
        at(
            &mut path,
            &[Seg::Key("updated_note")],
            text(TextKind::UpdatedNote, note),
        );
    }
}

/// A list at `path` (the list's own field) and its entries at `path[i]`.
fn list<'a>(
    path: &mut Vec<Seg>,
    entries: &'a [String],
    at: &mut impl FnMut(&mut Vec<Seg>, &[Seg], Step<'a>),
) {
    at(
        path,
        &[],
        Step::List {
            entries: entries.len(),
        },
    );
    for (i, e) in entries.iter().enumerate() {
        at(
            path,
            &[Seg::Index(i)],
            Step::Text {
                kind: TextKind::ListEntry,
                text: e,
            },
        );
    }
    at(path, &[], Step::ListEnd);
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
language = "sv-SE"
publisher = "P"
updated = "2023-03-20"
updated_note = "Uppdaterad 2023-03-20."

[[sections]]
id = "a"
heading = "A"
intro = ["Inledning."]
list = ["x", "y"]

[[sections.items]]
kind = "other"
question = "F?"
answer = ["Svar.", { list = ["p", "q"] }]

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
            "sections[0].items[0].answer[1].list List 2",
            "sections[0].items[0].answer[1].list[0] ListEntry p",
            "sections[0].items[0].answer[1].list[1] ListEntry q",
            "sections[0].items[0].answer[1].list ListEnd",
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
