//! The canonical notice: serde types, and the modules that load ([`load`]), locate
//! ([`locate`]), walk ([`walk`]) and validate ([`validate`]) it.
//!
//! A notice is one TOML file in `data/`. The model knows nothing about fonts or layout; the
//! caller passes a `can_render` predicate so validation can name characters the fonts lack.

pub mod changes;
mod collection;
pub mod lint;
mod load;
mod locate;
mod readability;
mod refs;
pub mod rich;
pub mod table;
mod text;
mod url;
mod validate;
mod walk;

use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::{self, Deserializer};

pub use collection::{Collection, FILE_NAME as COLLECTION_FILE, Group, Lint, PACK_ID};
pub use load::{parse, parse_collection, parse_located};
pub use locate::{LineIndex, Located, Seg, line_col, path_string};
pub use readability::{
    LONG_SENTENCE_WORDS, LongSentence, SectionReadability, lix_label, readability,
};
pub use refs::{
    Dest, LocatedText, NoticeRef, Scope, link_addresses, located_texts, notice_refs, resolve,
};
pub use text::{Part, Text};
pub use url::MAX_URL_CHARS;
pub use validate::{
    MAX_ID_CHARS, MAX_SUMMARY_CHARS, MAX_TEXT_CHARS, valid_id, validate, validate_collection,
};
pub use walk::{RunningKind, Step, TextKind, Which, walk};

/// One privacy notice as the editor writes it: the data file's fields, exactly (serde). What
/// loading derives from it lives beside it, in [`Notice`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeData {
    /// Stable identifier; names the output file (`output/<id>.pdf`). `[a-z0-9-]+`.
    pub id: String,
    /// The notice's title as published; the PDF's H1 and `/Title` (PDF/UA-1 7.1).
    pub title: String,
    /// What the notice covers, in one line of plain text (at most [`MAX_SUMMARY_CHARS`]
    /// characters): shown beside the title on the agents' page and in a pack's contents, and
    /// the PDF's `/Subject` (XMP `dc:description`, ISO 32000-1 §14.3.3) where `subject` is not
    /// given. Not part of the published text. Required: it is how an agent tells notices
    /// apart, and every notice of a pack's contents has one.
    pub summary: String,
    /// What the document is, printed above the title ("Integritetsinformation").
    #[serde(default)]
    pub label: Option<String>,
    /// BCP 47 language tag of the text, e.g. `sv-SE`; the PDF's `/Lang` (PDF/UA-1 7.2).
    pub language: String,
    /// The controller publishing the notice; the PDF's author and running header.
    pub publisher: String,
    /// Subject line for the PDF metadata (`/Subject`, `dc:description`); `summary` when not
    /// given ([`NoticeData::pdf_subject`]).
    #[serde(default)]
    pub subject: Option<String>,
    /// Keywords for the PDF metadata (`/Keywords`, `pdf:Keywords`).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The date the published text was last changed; the PDF's creation and modification date.
    #[serde(deserialize_with = "de_date")]
    pub updated: NaiveDate,
    /// The page's own sentence about the update date, printed at the end of the PDF.
    #[serde(default)]
    pub updated_note: Option<String>,
    /// Where the notice is published on the web: printed in full at the end of the PDF with a
    /// QR code for it. An `https://` address.
    #[serde(default)]
    pub source_url: Option<String>,
    /// Words and names never hyphenated. A word also protects its inflections (`Avanza` →
    /// `Avanzas`); a phrase protects each of its words.
    #[serde(default)]
    pub no_hyphenate: Vec<String>,
    /// The publisher's logo, drawn at the top of the title block.
    #[serde(default)]
    pub logo: Option<Logo>,
    /// The lead: running text set after the title block, before the first section (the
    /// introduction many published pages open with).
    #[serde(default)]
    pub lead: Vec<Part>,
    pub sections: Vec<Section>,
}

/// A notice as loaded: what the editor wrote ([`NoticeData`], its running text already parsed
/// into the document tree) and, beside it, what loading derived: its version, where its id is
/// written, its source bytes, its logo's picture, the version it is compared with and the
/// addresses of the notices it may link to. Reads as its data (`Deref`).
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub data: NoticeData,
    /// The version id: the first 8 hex digits of the SHA-256 of the data file, set when the
    /// notice is read from a file. Printed in the title block; the manifest and the audit log
    /// use the same id.
    pub version: Option<crate::VersionId>,
    /// Line and column of `id` in the data file, set by [`parse`] (where a duplicate id is
    /// reported).
    pub id_at: (usize, usize),
    /// The data file it was read from, embedded in its PDFs.
    pub source: Option<SourceFile>,
    /// The picture of its logo, read from the file `logo.file` names
    /// ([`crate::source`]).
    pub logo_picture: Option<Picture>,
    /// The earlier version this one is compared with: when set (and its printed text
    /// differs, as [`crate::history`] sees to), the documents end with "Vad har ändrats sedan
    /// <its date>" (see [`changes`]). Embedded in the PDFs too.
    pub previous: Option<Box<Notice>>,
    /// The web addresses of the other notices of its data set, by id: where a `notice:` link
    /// leads in a document of this notice alone. Set when the set is loaded.
    pub peers: Peers,
}

impl Notice {
    /// Whether the notice changed since its previous version: it has one, and its printed text
    /// differs (its documents then end with "Vad har ändrats", and say so where they open).
    pub fn changed(&self) -> bool {
        self.previous
            .as_deref()
            .is_some_and(|p| !changes::changes(p, self).is_empty())
    }

    /// A notice of `data` with nothing derived yet.
    pub fn new(data: NoticeData) -> Notice {
        Notice {
            data,
            version: None,
            id_at: (0, 0),
            source: None,
            logo_picture: None,
            previous: None,
            peers: Peers::default(),
        }
    }

    /// The logo and its picture, when the notice has a logo whose file was read.
    pub fn logo(&self) -> Option<(&Logo, &Picture)> {
        Some((self.data.logo.as_ref()?, self.logo_picture.as_ref()?))
    }
}

impl std::ops::Deref for Notice {
    type Target = NoticeData;
    fn deref(&self) -> &NoticeData {
        &self.data
    }
}

impl std::ops::DerefMut for Notice {
    fn deref_mut(&mut self) -> &mut NoticeData {
        &mut self.data
    }
}

/// Web addresses of notices, by id.
pub type Peers = std::sync::Arc<std::collections::BTreeMap<String, String>>;

/// A data file's name and bytes, kept to embed in the PDFs made from it (PDF/A-3 associated
/// files, ISO 19005-3 §6.8), so that a PDF carries what it was made from.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceFile {
    /// The file's name in the data directory (`kundservice.toml`).
    pub name: String,
    pub data: std::sync::Arc<[u8]>,
}

/// A picture of the publisher's mark, in a file next to the data file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Logo {
    /// The file's name: a PNG or SVG file in the data file's directory (`exempelbanken.svg`).
    pub file: String,
    /// What the logo says to someone who cannot see it, usually the publisher's name: the
    /// Figure's alternate text (PDF/UA-1 §7.3).
    pub alt: String,
}

/// A picture's bytes, as read and checked by [`crate::picture`].
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub format: PictureFormat,
    /// The file's bytes, shared by every edition drawn from them.
    pub data: std::sync::Arc<[u8]>,
    /// Intrinsic width and height (pixels of a PNG, user units of an SVG): only their ratio is
    /// used.
    pub size: (f32, f32),
}

/// The picture formats a logo may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureFormat {
    Png,
    Svg,
}

impl PictureFormat {
    /// The format a file name says (`.png` or `.svg`, in any case).
    pub fn of(name: &str) -> Option<PictureFormat> {
        let (_, ext) = name.rsplit_once('.')?;
        if ext.eq_ignore_ascii_case("png") {
            Some(PictureFormat::Png)
        } else if ext.eq_ignore_ascii_case("svg") {
            Some(PictureFormat::Svg)
        } else {
            None
        }
    }
}

/// A section of the notice: one processing activity (`kind = "processing"`, the default) or
/// other information (`kind = "info"`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Stable identifier, unique within the notice. `[a-z0-9-]+`.
    pub id: String,
    #[serde(default)]
    pub kind: SectionKind,
    /// Page chrome that exists only on the web (buttons, cookie settings): kept for fidelity
    /// with the published page, never typeset.
    #[serde(default)]
    pub web_only: bool,
    pub heading: String,
    /// What the section's own text (intro, list) answers, for sections that say it in prose
    /// ("1. Personuppgiftsansvarig" followed by a paragraph): counted by the lint as an item
    /// of that kind would be.
    #[serde(default)]
    pub answers: Vec<ItemKind>,
    /// Running text before the questions: paragraphs, lists, tables and labels.
    #[serde(default)]
    pub intro: Vec<Part>,
    /// The questions of an Art. 13 notice and their answers.
    #[serde(default)]
    pub items: Vec<Item>,
    /// A bulleted list after the intro (used by info sections).
    #[serde(default)]
    pub list: Vec<Text>,
}

impl Section {
    /// Whether the section answers `kind`: by an item of that kind, or by declaring it in
    /// `answers`.
    pub fn answers(&self, kind: ItemKind) -> bool {
        self.answers.contains(&kind) || self.items.iter().any(|i| i.kind == kind)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// A processing activity: linted for the five Art. 13 questions.
    #[default]
    Processing,
    /// Other information (further reading, contact); not linted.
    Info,
}

/// A question as published, and its answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub kind: ItemKind,
    pub question: String,
    pub answer: Vec<Part>,
}

/// Which Art. 13 question an item answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Purpose,
    DataCategories,
    LegalBasis,
    Retention,
    Recipients,
    /// Who the controller is and how to reach them.
    Controller,
    /// How to reach the data protection officer.
    DpoContact,
    /// The data subject's rights.
    Rights,
    /// The right to complain to the supervisory authority (IMY).
    Complaint,
    /// Transfers outside the EU/EEA and their safeguards.
    Transfers,
    /// The legitimate interest pursued, where the legal basis is one (Art. 13(1)(d)).
    LegitimateInterest,
    /// Whether providing the data is required, and what happens if it is not (Art. 13(2)(e)).
    Requirement,
    /// Automated decisions, profiling included: the logic and the consequences (Art. 13(2)(f)).
    AutomatedDecisions,
    /// Where the data came from, when not from the customer (Art. 14(2)(f)).
    DataSource,
    Other,
}

impl ItemKind {
    /// The five questions every processing section must answer, in the order they are reported.
    pub const REQUIRED: [ItemKind; 5] = [
        ItemKind::Purpose,
        ItemKind::DataCategories,
        ItemKind::LegalBasis,
        ItemKind::Retention,
        ItemKind::Recipients,
    ];

    /// What the collection as a whole must answer, in some notice (or by a link to a page
    /// that does, declared in the collection's `answered_elsewhere`).
    pub const COLLECTION: [ItemKind; 5] = [
        ItemKind::Controller,
        ItemKind::DpoContact,
        ItemKind::Rights,
        ItemKind::Complaint,
        ItemKind::Transfers,
    ];

    /// Every kind, in the order they are listed.
    pub const ALL: [ItemKind; 15] = [
        ItemKind::Purpose,
        ItemKind::DataCategories,
        ItemKind::LegalBasis,
        ItemKind::Retention,
        ItemKind::Recipients,
        ItemKind::Controller,
        ItemKind::DpoContact,
        ItemKind::Rights,
        ItemKind::Complaint,
        ItemKind::Transfers,
        ItemKind::LegitimateInterest,
        ItemKind::Requirement,
        ItemKind::AutomatedDecisions,
        ItemKind::DataSource,
        ItemKind::Other,
    ];

    /// The name used in data files.
    pub fn key(self) -> &'static str {
        match self {
            ItemKind::Purpose => "purpose",
            ItemKind::DataCategories => "data_categories",
            ItemKind::LegalBasis => "legal_basis",
            ItemKind::Retention => "retention",
            ItemKind::Recipients => "recipients",
            ItemKind::Controller => "controller",
            ItemKind::DpoContact => "dpo_contact",
            ItemKind::Rights => "rights",
            ItemKind::Complaint => "complaint",
            ItemKind::Transfers => "transfers",
            ItemKind::LegitimateInterest => "legitimate_interest",
            ItemKind::Requirement => "requirement",
            ItemKind::AutomatedDecisions => "automated_decisions",
            ItemKind::DataSource => "data_source",
            ItemKind::Other => "other",
        }
    }

    /// The GDPR clause that asks for this information.
    pub fn clause(self) -> &'static str {
        match self {
            ItemKind::Purpose => "GDPR Art. 13(1)(c)",
            ItemKind::DataCategories => "GDPR Art. 14(1)(d)",
            ItemKind::LegalBasis => "GDPR Art. 13(1)(c)",
            ItemKind::Retention => "GDPR Art. 13(2)(a)",
            ItemKind::Recipients => "GDPR Art. 13(1)(e)",
            ItemKind::Controller => "GDPR Art. 13(1)(a)",
            ItemKind::DpoContact => "GDPR Art. 13(1)(b)",
            ItemKind::Rights => "GDPR Art. 13(2)(b)",
            ItemKind::Complaint => "GDPR Art. 13(2)(d)",
            ItemKind::Transfers => "GDPR Art. 13(1)(f)",
            ItemKind::LegitimateInterest => "GDPR Art. 13(1)(d)",
            ItemKind::Requirement => "GDPR Art. 13(2)(e)",
            ItemKind::AutomatedDecisions => "GDPR Art. 13(2)(f)",
            ItemKind::DataSource => "GDPR Art. 14(2)(f)",
            ItemKind::Other => "",
        }
    }
}

/// The earliest and latest date a notice may carry (inclusive): dates outside are typing
/// mistakes, and printed dates stay four-digit years.
pub const DATE_RANGE: (NaiveDate, NaiveDate) = (
    NaiveDate::from_ymd_opt(1990, 1, 1).expect("valid date"),
    NaiveDate::from_ymd_opt(2099, 12, 31).expect("valid date"),
);

/// Parses a calendar date written exactly `YYYY-MM-DD`.
pub fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    // NaiveDate displays as YYYY-MM-DD: the round trip refuses "2023-3-20" and the like.
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|date| date.to_string() == s)
}

fn de_date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let s = String::deserialize(d)?;
    let date = parse_iso_date(&s).ok_or_else(|| {
        de::Error::custom(format!(
            "invalid date \"{s}\": expected a calendar date written YYYY-MM-DD"
        ))
    })?;
    let (first, last) = DATE_RANGE;
    if date < first || date > last {
        return Err(de::Error::custom(format!(
            "date \"{s}\" is out of range: a notice is dated from {first} to {last}"
        )));
    }
    Ok(date)
}

impl NoticeData {
    /// The PDF's `/Subject` (XMP `dc:description`): `subject` when given, else `summary`.
    pub fn pdf_subject(&self) -> &str {
        self.subject.as_deref().unwrap_or(&self.summary)
    }

    /// The sections that are typeset (everything not marked `web_only`).
    pub fn printed_sections(&self) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(|s| !s.web_only)
    }

    /// Whether `word` (a run of letters) must not be hyphenated, per `no_hyphenate`.
    pub fn is_protected(&self, word: &str) -> bool {
        protects(&self.no_hyphenate, word)
    }
}

/// Whether `word` (a run of letters) starts with a word of an entry of `no_hyphenate`.
pub fn protects(no_hyphenate: &[String], word: &str) -> bool {
    no_hyphenate
        .iter()
        .flat_map(|entry| entry.split_whitespace())
        .any(|p| word.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Severity;
    use std::path::Path;

    const MINIMAL: &str = r#"
id = "t"
title = "Titel"
summary = "Vad notisen handlar om."
language = "sv-SE"
publisher = "Avanza"
updated = "2023-03-20"

[[sections]]
id = "s"
heading = "Rubrik"
intro = ["Text."]
"#;

    fn all(_: char) -> bool {
        true
    }

    #[test]
    fn minimal_notice_parses_and_lints() {
        let n = parse(Path::new("t.toml"), MINIMAL).unwrap();
        assert_eq!(n.updated, NaiveDate::from_ymd_opt(2023, 3, 20).unwrap());
        let d = validate(Path::new("t.toml"), &Located::new(MINIMAL), &n, &all);
        // A processing section with no items misses all five questions.
        assert_eq!(d.len(), 5);
        assert!(
            d.iter()
                .all(|d| d.severity == Severity::Warning && d.field == "sections[0].heading")
        );
        assert_eq!((d[0].line, d[0].col), (11, 11));
    }

    #[test]
    fn invalid_date_is_located() {
        let text = MINIMAL.replace("2023-03-20", "2023-02-30");
        let e = parse(Path::new("t.toml"), &text).unwrap_err();
        assert_eq!(e.field, "updated");
        assert_eq!((e.line, e.col), (7, 11));
        assert!(
            e.message.contains("invalid date \"2023-02-30\""),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_missing_summary_is_named_at_its_field_with_what_to_write() {
        let text = MINIMAL.replace("summary = \"Vad notisen handlar om.\"\n", "");
        let e = parse(Path::new("t.toml"), &text).unwrap_err();
        assert_eq!(
            (e.line, e.col, e.field.as_str(), e.message.as_str()),
            (1, 1, "summary", "the field is missing")
        );
        assert!(e.hint.unwrap().starts_with("add summary = \"…\": one line"));
    }

    #[test]
    fn a_summary_is_one_line_of_plain_text_within_its_length() {
        let errors = |summary: &str| -> Vec<(String, usize, usize, String)> {
            let text = MINIMAL.replace("Vad notisen handlar om.", summary);
            let n = parse(Path::new("t.toml"), &text).unwrap();
            validate(Path::new("t.toml"), &Located::new(&text), &n, &all)
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| (d.field, d.line, d.col, d.message))
                .collect()
        };
        let one = |summary: &str| {
            let mut e = errors(summary);
            assert_eq!(e.len(), 1, "{summary:?}: {e:?}");
            e.remove(0)
        };
        assert!(errors("Samtal och chatt med kundtjänsten.").is_empty());
        assert_eq!(
            one(""),
            ("summary".into(), 4, 11, "must not be empty".into())
        );
        // Where the line break is written.
        let e = one("Samtal\\noch chatt.");
        assert_eq!((e.1, e.2), (4, 18), "{e:?}");
        assert_eq!(e.3, "control character U+000A is not allowed in text");
        let e = one("Samtal och *chatt*.");
        assert_eq!(
            e.3,
            "emphasis (*…*) is not allowed in the summary: it would print literally"
        );
        let long = "ord ".repeat(51);
        let e = one(long.trim_end());
        assert_eq!((e.0.as_str(), e.1, e.2), ("summary", 4, 11));
        assert_eq!(
            e.3,
            format!(
                "the summary is 203 characters; a summary is one line of at most {MAX_SUMMARY_CHARS}"
            )
        );
    }

    #[test]
    fn the_pdf_subject_is_the_subject_or_else_the_summary() {
        let mut n = parse(Path::new("t.toml"), MINIMAL).unwrap();
        assert_eq!(n.pdf_subject(), "Vad notisen handlar om.");
        n.subject = Some("Ämnesrad".into());
        assert_eq!(n.pdf_subject(), "Ämnesrad");
    }

    #[test]
    fn parts_are_paragraphs_lists_or_labels() {
        let text = format!(
            "{MINIMAL}\n[[sections.items]]\nkind = \"other\"\nquestion = \"F?\"\nanswer = [\"a\", {{ label = \"Om:\" }}, {{ list = [\"x\", \"y\"] }}]\n"
        );
        let n = parse(Path::new("t.toml"), &text).unwrap();
        assert_eq!(
            n.sections[0].items[0].answer,
            vec![
                Part::Text(Text::running("a")),
                Part::Label(Text::inline("Om:")),
                Part::List(vec![Text::entry("x"), Text::entry("y")])
            ]
        );
    }

    #[test]
    fn a_label_with_a_list_in_it_is_refused_at_its_line() {
        let text = format!(
            "{MINIMAL}\n[[sections.items]]\nkind = \"other\"\nquestion = \"F?\"\nanswer = [{{ label = \"- x\" }}]\n"
        );
        let n = parse(Path::new("t.toml"), &text).unwrap();
        let d = validate(Path::new("t.toml"), &Located::new(&text), &n, &all);
        let e = d.iter().find(|d| d.severity == Severity::Error).unwrap();
        assert_eq!(e.field, "sections[0].items[0].answer[0].label");
        assert!(e.message.contains("a label is one line"), "{}", e.message);
    }

    #[test]
    fn unrenderable_character_is_named_and_located() {
        let text = MINIMAL.replace("Text.", "Te漢xt.");
        let n = parse(Path::new("t.toml"), &text).unwrap();
        let d = validate(Path::new("t.toml"), &Located::new(&text), &n, &|c| {
            c.is_ascii()
        });
        let err: Vec<_> = d.iter().filter(|d| d.severity == Severity::Error).collect();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].field, "sections[0].intro[0]");
        assert_eq!(
            err[0].message,
            "character '漢' (U+6F22) is not in the notice fonts"
        );
        assert_eq!((err[0].line, err[0].col), (12, 13));
    }

    #[test]
    fn unseen_and_combining_characters_are_named_by_code_point_only() {
        for (c, hint) in [
            ('\u{202e}', "Inter cut to Latin"),
            ('\u{0308}', "combining mark"),
        ] {
            let text = MINIMAL.replace("Text.", &format!("Text{c}."));
            let n = parse(Path::new("t.toml"), &text).unwrap();
            let d = validate(Path::new("t.toml"), &Located::new(&text), &n, &|c| {
                c.is_ascii()
            });
            let err: Vec<_> = d.iter().filter(|d| d.severity == Severity::Error).collect();
            assert_eq!(err.len(), 1, "{err:?}");
            assert_eq!(
                err[0].message,
                format!("character U+{:04X} is not in the notice fonts", c as u32)
            );
            assert!(!err[0].to_string().contains(c));
            assert!(
                err[0].hint.as_deref().unwrap().contains(hint),
                "{:?}",
                err[0].hint
            );
        }
    }

    #[test]
    fn protected_words_cover_inflections_and_phrases() {
        let mut n = parse(Path::new("t.toml"), MINIMAL).unwrap();
        n.no_hyphenate = vec!["Avanza".into(), "Euro Accident Livförsäkring AB".into()];
        assert!(n.is_protected("Avanzas"));
        assert!(n.is_protected("Livförsäkring"));
        assert!(!n.is_protected("livförsäkring"));
    }
}
