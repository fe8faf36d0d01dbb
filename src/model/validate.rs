//! Validation of a parsed notice and the GDPR Art. 13 compliance lint, every problem located
//! at the field where it is written.

use std::path::Path;

use super::lint;
use super::locate::{Located, Seg, find_written, path_string, span_of};
use super::{Collection, ItemKind, Logo, Notice, SectionKind, Step, Text, TextKind, rich};
use crate::error::{Diagnostic, Severity};

struct Checker<'a> {
    file: &'a Path,
    src: &'a Located<'a>,
    out: Vec<Diagnostic>,
}

/// The longest text value accepted, in characters (about a page at 10 pt; the longest
/// paragraph of a real notice is about 500).
pub const MAX_TEXT_CHARS: usize = 4000;

/// The longest summary accepted, in characters: one line of the agents' page at desktop
/// width, two in a pack's contents.
pub const MAX_SUMMARY_CHARS: usize = 200;

/// What to do about control character `c` in a text.
fn control_hint(c: char) -> &'static str {
    match c {
        '\n' | '\r' => "this text is one line: remove the line break",
        '\t' => "use a space instead of the tab",
        _ => "remove it: control characters are invisible and cannot be printed",
    }
}

impl Checker<'_> {
    fn language(&mut self, language: &str) {
        let at = [Seg::Key("language")];
        match language_tags::LanguageTag::parse(language) {
            Err(e) => self.error(
                &at,
                format!(
                    "{} is not a BCP 47 language tag: {e}",
                    crate::error::quoted(language)
                ),
                Some("write a language tag such as \"sv-SE\""),
            ),
            Ok(tag) if !tag.primary_language().eq_ignore_ascii_case("sv") => self.error(
                &at,
                format!("unsupported language \"{language}\""),
                Some("notices are typeset with Swedish hyphenation; use \"sv-SE\""),
            ),
            Ok(_) => {}
        }
    }

    /// The summary: one line of plain text, not empty, at most [`MAX_SUMMARY_CHARS`].
    fn summary(&mut self, summary: &str, can_render: &dyn Fn(char) -> bool) {
        let at = [Seg::Key("summary")];
        let len = summary.chars().count();
        if len > MAX_SUMMARY_CHARS {
            self.error(
                &at,
                format!(
                    "the summary is {len} characters; a summary is one line of at most {MAX_SUMMARY_CHARS}"
                ),
                Some("say in one line what the notice covers; its sections say the rest"),
            );
            return;
        }
        self.plain_line(&at, "the summary", summary, can_render);
    }

    fn logo(&mut self, path: &[Seg], logo: &Logo, can_render: &dyn Fn(char) -> bool) {
        let at = |key| [path, &[Seg::Key(key)]].concat();
        if let Err(why) = check_picture_name(&logo.file) {
            self.error(
                &at("file"),
                why,
                Some("put the PNG or SVG file beside the data file and give its name, e.g. \"logo.svg\""),
            );
        }
        self.text(&at("alt"), &logo.alt, true, can_render);
    }

    fn push(
        &mut self,
        sev: Severity,
        path: &[Seg],
        offset_in_value: Option<char>,
        message: String,
        hint: Option<String>,
    ) {
        let src = self.src;
        let (line, col) = match &src.root {
            Some(root) => {
                let span = span_of(root, path);
                // Point at the character itself where we can find it in the raw value.
                let at = offset_in_value
                    .and_then(|c| {
                        find_written(src.text.get(span.clone())?, c).map(|o| span.start + o)
                    })
                    .unwrap_or(span.start);
                src.lines.line_col(at)
            }
            None => (1, 1),
        };
        let d = Diagnostic::new(sev, self.file, (line, col), path_string(path), message);
        self.out.push(Diagnostic { hint, ..d });
    }

    fn error(&mut self, path: &[Seg], message: impl Into<String>, hint: Option<&str>) {
        self.push(
            Severity::Error,
            path,
            None,
            message.into(),
            hint.map(str::to_owned),
        );
    }

    /// Checks a value of running text: as [`Checker::text`]; the construct its parse refused,
    /// located where it is written; and what reads wrong once printed ([`Checker::style`]).
    fn running(&mut self, path: &[Seg], value: &Text, can_render: &dyn Fn(char) -> bool) {
        let before = self.out.len();
        self.text_checked(path, &value.src, true, can_render, true);
        if self.out.len() > before {
            return;
        }
        if let Some(refused) = &value.refused {
            let at = self.at_written(path, &value.src, refused.at.start);
            self.out.push(
                Diagnostic::error(self.file, at, path_string(path), refused.message.clone())
                    .hint("running text is CommonMark: paragraphs, \"- \" and \"1. \" lists, pipe tables, *emphasis*, **strong** and [links](https://…); docs/data-format.md"),
            );
            return;
        }
        self.style(path, value);
    }

    /// Where byte `offset` of a text value is written in the file: found by the text from
    /// there to its line's end (escapes aside, a value is written as it reads); the value's
    /// start when that cannot be found.
    fn at_written(&self, path: &[Seg], value: &str, offset: usize) -> (usize, usize) {
        let written: String = value
            .get(offset..)
            .unwrap_or_default()
            .lines()
            .next()
            .unwrap_or_default()
            .chars()
            .take(12)
            .collect();
        let src = self.src;
        match &src.root {
            Some(root) => {
                let span = span_of(root, path);
                // Up to 12 characters before it.
                let head = value.get(..offset).unwrap_or_default();
                let from = head.char_indices().rev().nth(11).map_or(0, |(i, _)| i);
                let before = &head[from..];
                let raw = src.text.get(span.clone()).unwrap_or_default();
                // The same text can be written twice in a value: prefer the place after what
                // comes before it.
                let found = raw
                    .find(&format!("{before}{written}"))
                    .filter(|_| !before.is_empty() && !written.is_empty())
                    .map(|o| o + before.len())
                    .or_else(|| raw.find(written.as_str()).filter(|_| !written.is_empty()));
                src.lines
                    .line_col(found.map_or(span.start, |o| span.start + o))
            }
            None => (1, 1),
        }
    }

    /// Warns where running text would print other than the editor meant: a run of spaces
    /// (printed as one), a line ending in ":" that runs into the data after it, a paragraph
    /// that is all strong emphasis (it reads as a heading but is none).
    fn style(&mut self, path: &[Seg], value: &Text) {
        let src = &value.src;
        if let Some(o) = lint::double_space(src) {
            let at = self.at_written(path, src, o);
            self.warn_at(
                path,
                at,
                "a run of spaces between words: it prints as one space".into(),
                "write one space between words".into(),
            );
        }
        if let Some(o) = lint::colon_then_soft_break(src) {
            let at = self.at_written(path, src, o);
            self.warn_at(
                path,
                at,
                "a line ending in \":\" runs into the next line when printed".into(),
                "make it a label of what follows: { label = \"…:\" } before the data, or end the line with \\ to break it there".into(),
            );
        }
        for b in &value.blocks {
            if let rich::Block::Paragraph(inlines) = b
                && let [rich::Inline::Strong(_)] = inlines.as_slice()
            {
                self.warn_at(
                    path,
                    self.at_written(path, src, 0),
                    "a paragraph that is all **strong** reads as a heading, and is none".into(),
                    "for a label of the data that follows write { label = \"…\" }; for a question, an item".into(),
                );
                break;
            }
        }
    }

    fn warn_at(&mut self, path: &[Seg], at: (usize, usize), message: String, hint: String) {
        let d = Diagnostic::new(Severity::Warning, self.file, at, path_string(path), message);
        self.out.push(Diagnostic {
            hint: Some(hint),
            ..d
        });
    }

    /// Art. 13(1)(d): a legal basis that names a legitimate interest needs the interest said,
    /// in a `legitimate_interest` item of the section (or its `answers`). Warned at the words.
    fn legitimate_interest(&mut self, path: &[Seg], section: &super::Section, item: &super::Item) {
        if item.kind != ItemKind::LegalBasis || section.answers(ItemKind::LegitimateInterest) {
            return;
        }
        for (i, part) in item.answer.iter().enumerate() {
            let texts: Vec<&Text> = match part {
                super::Part::Text(t) | super::Part::Label(t) => vec![t],
                super::Part::List(entries) => entries.iter().collect(),
            };
            for text in texts {
                let plain = text.plain();
                let Some(o) = lint::legitimate_interest_at(&plain) else {
                    continue;
                };
                let at_part = [path, &[Seg::Key("answer"), Seg::Index(i)]].concat();
                let at = self.at_written(&at_part, &plain, o);
                self.warn_at(
                    &at_part,
                    at,
                    format!(
                        "the legal basis is a legitimate interest, and the section does not say which interest ({})",
                        ItemKind::LegitimateInterest.clause()
                    ),
                    "add [[sections.items]] with kind = \"legitimate_interest\" saying what interest is pursued".into(),
                );
                return;
            }
        }
    }

    /// Checks a plain text (a title, a heading, a question, …; `what` names it in a message):
    /// printed as written, so markup (emphasis, links, tables) would print literally and is
    /// refused at the markup.
    fn plain_line(
        &mut self,
        path: &[Seg],
        what: &str,
        value: &str,
        can_render: &dyn Fn(char) -> bool,
    ) {
        let before = self.out.len();
        self.text(path, value, true, can_render);
        if self.out.len() > before {
            return;
        }
        if let Some((offset, markup)) = rich::markup_in_plain(value) {
            let at = self.at_written(path, value, offset);
            self.out.push(
                Diagnostic::error(
                    self.file,
                    at,
                    path_string(path),
                    format!("{markup} is not allowed in {what}: it would print literally"),
                )
                .hint("titles, headings and questions are plain text; put links and emphasis in the running text under them"),
            );
        } else if let Some(o) = lint::double_space(value) {
            let at = self.at_written(path, value, o);
            self.warn_at(
                path,
                at,
                "a run of spaces between words: it prints as one space".into(),
                "write one space between words".into(),
            );
        }
    }

    /// Checks one text value: not empty (when `required`), not longer than
    /// [`MAX_TEXT_CHARS`], no control characters, every character renderable.
    fn text(
        &mut self,
        path: &[Seg],
        value: &str,
        required: bool,
        can_render: &dyn Fn(char) -> bool,
    ) {
        self.text_checked(path, value, required, can_render, false);
    }

    /// [`Checker::text`]; `lines`: line breaks are allowed (running text, where CommonMark
    /// reads a line break as a space and a blank line as a new paragraph).
    fn text_checked(
        &mut self,
        path: &[Seg],
        value: &str,
        required: bool,
        can_render: &dyn Fn(char) -> bool,
        lines: bool,
    ) {
        if required && value.trim().is_empty() {
            self.error(path, "must not be empty", None);
            return;
        }
        let len = value.chars().count();
        if len > MAX_TEXT_CHARS {
            self.error(
                path,
                format!("the text is {len} characters; a text may be at most {MAX_TEXT_CHARS}"),
                Some("split it into several paragraphs"),
            );
            return;
        }
        // Each distinct character is checked once per text (most are ASCII).
        let mut seen_ascii = [false; 128];
        let mut seen = Vec::new();
        for c in value.chars() {
            if c.is_ascii() {
                if std::mem::replace(&mut seen_ascii[c as usize], true) {
                    continue;
                }
            } else if seen.contains(&c) {
                continue;
            } else {
                seen.push(c);
            }
            if lines && (c == '\n' || c == '\r') {
                continue;
            }
            if c.is_control() {
                self.push(
                    Severity::Error,
                    path,
                    Some(c),
                    format!(
                        "control character U+{:04X} is not allowed in text",
                        c as u32
                    ),
                    Some(control_hint(c).into()),
                );
            } else if !can_render(c) {
                // An invisible, bidirectional or combining character is named by its code
                // point only: printed, it hides itself, turns the line around or joins the
                // quote mark.
                let combining = is_combining(c);
                let shown = if crate::error::is_unseen(c) || combining {
                    format!("character U+{:04X}", c as u32)
                } else {
                    format!("character '{c}' (U+{:04X})", c as u32)
                };
                let hint = if combining {
                    "a combining mark: write the letter with its mark as one character (ä, not a followed by U+0308), as most editors do when text is saved in Unicode NFC"
                } else {
                    "the PDF embeds Inter cut to Latin (Basic Latin, Latin-1, Latin Extended-A and common punctuation: docs/data-format.md); use a character of those, or write the word out"
                };
                self.push(
                    Severity::Error,
                    path,
                    Some(c),
                    format!("{shown} is not in the notice fonts"),
                    Some(hint.into()),
                );
            }
        }
    }
}

/// Whether `c` is a combining mark (it joins the character before it), from the blocks of
/// combining marks.
fn is_combining(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Checks the name of a picture beside the data file: a plain file name (no directory, not
/// hidden) ending in `.png` or `.svg`.
fn check_picture_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(format!(
            "{} is not the name of a file beside the data file",
            crate::error::quoted(name)
        ));
    }
    if super::PictureFormat::of(name).is_none() {
        return Err(format!(
            "{} is neither a PNG nor an SVG file (by its name)",
            crate::error::quoted(name)
        ));
    }
    Ok(())
}

/// Why `id` is not a valid id.
fn invalid_id(id: &str) -> String {
    let len = id.chars().count();
    if len > MAX_ID_CHARS {
        format!("the id is {len} characters; an id may be at most {MAX_ID_CHARS}")
    } else {
        match id
            .chars()
            .find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '-'))
        {
            Some(c) => format!(
                "invalid id {}: it holds U+{:04X}, and an id is written with a-z, 0-9 and -",
                crate::error::quoted(id),
                c as u32
            ),
            None => format!(
                "invalid id {}: an id may not be empty or start with -",
                crate::error::quoted(id)
            ),
        }
    }
}

/// The longest id accepted, in characters.
pub const MAX_ID_CHARS: usize = 64;

/// Whether `id` is a valid notice or section id: `[a-z0-9-]+`, at most 64 characters, not
/// starting with `-`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
}

/// Validates a parsed notice and runs the compliance lint. Returns every problem found:
/// errors (the notice cannot be rendered) and warnings (lint; errors under `--strict`).
pub fn validate(
    file: &Path,
    src: &Located,
    notice: &Notice,
    can_render: &dyn Fn(char) -> bool,
) -> Vec<Diagnostic> {
    let mut c = Checker {
        file,
        src,
        out: Vec::new(),
    };
    const ID_HINT: Option<&str> =
        Some("use lowercase letters, digits and '-', e.g. \"kundservice\"");

    if !valid_id(&notice.id) {
        c.error(&[Seg::Key("id")], invalid_id(&notice.id), ID_HINT);
    } else if notice.id == super::PACK_ID {
        c.error(
            &[Seg::Key("id")],
            format!(
                "the id \"{}\" is the pack's (its output file)",
                super::PACK_ID
            ),
            Some("give the notice another id"),
        );
    }
    if let Some(url) = &notice.source_url
        && let Err(why) = super::url::check_url(url)
    {
        c.error(
            &[Seg::Key("source_url")],
            why,
            Some("write the notice's full web address, e.g. \"https://www.avanza.se/…\""),
        );
    }
    c.summary(&notice.summary, can_render);
    c.language(&notice.language);
    c.text(
        &[Seg::Key("publisher")],
        &notice.publisher,
        true,
        can_render,
    );
    if let Some(subject) = &notice.subject {
        c.text(&[Seg::Key("subject")], subject, true, can_render);
    }
    for (i, k) in notice.keywords.iter().enumerate() {
        c.text(&[Seg::Key("keywords"), Seg::Index(i)], k, true, can_render);
    }
    for (i, w) in notice.no_hyphenate.iter().enumerate() {
        c.text(
            &[Seg::Key("no_hyphenate"), Seg::Index(i)],
            w,
            true,
            can_render,
        );
    }

    if notice.sections.is_empty() {
        c.error(
            &[Seg::Key("sections")],
            "a notice needs at least one section",
            None,
        );
    }
    if notice.printed_sections().next().is_none() && !notice.sections.is_empty() {
        c.error(
            &[Seg::Key("sections")],
            "every section is web_only: nothing would be printed",
            None,
        );
    }
    // First index of each section id (a map: a notice may have thousands of sections).
    let mut section_ids = std::collections::BTreeMap::new();
    let mut index = 0;
    let mut current: Option<&super::Section> = None;
    super::walk(notice, super::Which::All, &mut |path, step| {
        let at = |rest: &[Seg]| -> Vec<Seg> { [path, rest].concat() };
        match step {
            Step::Running { text, .. } => c.running(path, text, can_render),
            Step::Text { kind, text } => {
                c.plain_line(path, kind.name(), text, can_render);
                if kind == TextKind::UpdatedNote {
                    let iso = notice.updated.to_string();
                    if !text.contains(&iso) {
                        c.error(
                            path,
                            format!("does not mention the updated date {iso}"),
                            Some("change `updated` and `updated_note` together"),
                        );
                    }
                }
            }
            Step::Section(s) => {
                current = Some(s);
                if !valid_id(&s.id) {
                    c.error(&at(&[Seg::Key("id")]), invalid_id(&s.id), ID_HINT);
                } else if let Some(&first) = section_ids.get(s.id.as_str()) {
                    c.error(
                        &at(&[Seg::Key("id")]),
                        format!("duplicate section id \"{}\" (also sections[{first}])", s.id),
                        Some("section ids must be unique within a notice"),
                    );
                } else {
                    section_ids.insert(s.id.as_str(), index);
                }
                index += 1;
                if s.intro.is_empty() && s.items.is_empty() && s.list.is_empty() {
                    c.error(
                        &at(&[Seg::Key("heading")]),
                        "section has a heading but no text",
                        None,
                    );
                }
                // Compliance lint: a printed processing section answers the five questions.
                if s.kind == SectionKind::Processing && !s.web_only {
                    for kind in ItemKind::REQUIRED {
                        if s.answers(kind) {
                            continue;
                        }
                        c.push(
                            Severity::Warning,
                            &at(&[Seg::Key("heading")]),
                            None,
                            format!(
                                "section \"{}\" has no {} item ({})",
                                s.heading,
                                kind.key(),
                                kind.clause()
                            ),
                            Some(format!(
                                "add [[sections.items]] with kind = \"{}\" once the published notice answers it",
                                kind.key()
                            )),
                        );
                    }
                }
            }
            Step::Logo(logo) => c.logo(path, logo, can_render),
            Step::Item(item) if item.answer.is_empty() => c.error(
                &at(&[Seg::Key("answer")]),
                "the answer is empty",
                Some("give at least one paragraph"),
            ),
            Step::List { entries: 0 } => c.error(path, "the list is empty", None),
            Step::Item(item) => {
                if let Some(section) = current {
                    c.legitimate_interest(path, section, item);
                }
            }
            Step::Lead
            | Step::LeadEnd
            | Step::ItemEnd(_)
            | Step::SectionEnd(_)
            | Step::List { .. }
            | Step::ListEnd => {}
        }
    });
    c.out
}

/// Validates the collection file on its own: its texts, language, logo and groups, and that no
/// notice is placed twice. Which ids exist is a rule across files ([`crate::source::DataSet`]).
pub fn validate_collection(
    file: &Path,
    src: &Located,
    collection: &Collection,
    can_render: &dyn Fn(char) -> bool,
) -> Vec<Diagnostic> {
    let mut c = Checker {
        file,
        src,
        out: Vec::new(),
    };
    c.text(&[Seg::Key("title")], &collection.title, true, can_render);
    c.text(&[Seg::Key("label")], &collection.label, true, can_render);
    c.text(
        &[Seg::Key("publisher")],
        &collection.publisher,
        true,
        can_render,
    );
    c.language(&collection.language);
    if let Some(logo) = &collection.logo {
        c.logo(&[Seg::Key("logo")], logo, can_render);
    }
    for (kind, url) in &collection.answered_elsewhere {
        let at = [Seg::Key("answered_elsewhere")];
        if !ItemKind::COLLECTION.iter().any(|k| k.key() == kind) {
            c.error(
                &at,
                format!("{} is not a question of the collection", crate::error::quoted(kind)),
                Some("answered_elsewhere names controller, dpo_contact, rights, complaint or transfers"),
            );
        } else if let Err(why) = super::url::check_url(url) {
            c.error(&at, why, Some("write the page's full https:// address"));
        }
    }
    for (i, phrase) in collection.lint.vague.iter().enumerate() {
        c.text(
            &[Seg::Key("lint"), Seg::Key("vague"), Seg::Index(i)],
            phrase,
            true,
            can_render,
        );
    }
    if collection.groups.is_empty() {
        c.error(
            &[Seg::Key("groups")],
            "the collection needs at least one group",
            Some("add [[groups]] with a title and the ids of its notices"),
        );
    }
    // Where each id is first placed.
    let mut placed = std::collections::BTreeMap::new();
    for (gi, group) in collection.groups.iter().enumerate() {
        let at = |rest: &[Seg]| [&[Seg::Key("groups"), Seg::Index(gi)], rest].concat();
        c.text(&at(&[Seg::Key("title")]), &group.title, true, can_render);
        if group.notices.is_empty() {
            c.error(
                &at(&[Seg::Key("notices")]),
                "the group has no notices",
                Some("list the ids of its notices, or remove the group"),
            );
        }
        for (ni, id) in group.notices.iter().enumerate() {
            let here = at(&[Seg::Key("notices"), Seg::Index(ni)]);
            if !valid_id(id) {
                c.error(
                    &here,
                    invalid_id(id),
                    Some("write the notice's id, e.g. \"kundservice\""),
                );
            } else if let Some(first) = placed.get(id.as_str()) {
                c.error(
                    &here,
                    format!("notice \"{id}\" is placed twice (also {first})"),
                    Some("a notice stands in one group, once"),
                );
            } else {
                placed.insert(id.as_str(), path_string(&here));
            }
        }
    }
    c.out
}
