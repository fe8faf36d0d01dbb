//! The canonical notice: serde types, loading with `file:line:col` errors, validation and the
//! GDPR Art. 13 compliance lint.
//!
//! A notice is one TOML file in `data/`. The model knows nothing about fonts or layout; the
//! caller passes a `can_render` predicate so validation can name characters the fonts lack.

use std::fmt;
use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use toml::de::{DeTable, DeValue};

use crate::error::{Diagnostic, Severity};

/// One privacy notice, as published.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// Stable identifier; names the output file (`output/<id>.pdf`). `[a-z0-9-]+`.
    pub id: String,
    /// The notice's title as published; the PDF's H1 and `/Title` (PDF/UA-1 7.1).
    pub title: String,
    /// What the document is, printed above the title ("Integritetsinformation").
    #[serde(default)]
    pub label: Option<String>,
    /// BCP 47 language tag of the text, e.g. `sv-SE`; the PDF's `/Lang` (PDF/UA-1 7.2).
    pub language: String,
    /// The controller publishing the notice; the PDF's author and running header.
    pub publisher: String,
    /// Subject line for the PDF metadata (`/Subject`, `dc:description`).
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
    pub sections: Vec<Section>,
    /// The version id: the first 8 hex digits of the SHA-256 of the data file, set when the
    /// notice is read from a file (not part of the data). Printed in the title block; the
    /// manifest and the audit log use the same id.
    #[serde(skip)]
    pub version: Option<String>,
    /// Line and column of `id` in the data file, set by [`parse`] (where a duplicate id is
    /// reported).
    #[serde(skip)]
    pub id_at: (usize, usize),
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
    /// Paragraphs before the questions.
    #[serde(default)]
    pub intro: Vec<String>,
    /// The questions of an Art. 13 notice and their answers.
    #[serde(default)]
    pub items: Vec<Item>,
    /// A bulleted list after the intro (used by info sections).
    #[serde(default)]
    pub list: Vec<String>,
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
    pub answer: Vec<Block>,
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

    /// The name used in data files.
    pub fn key(self) -> &'static str {
        match self {
            ItemKind::Purpose => "purpose",
            ItemKind::DataCategories => "data_categories",
            ItemKind::LegalBasis => "legal_basis",
            ItemKind::Retention => "retention",
            ItemKind::Recipients => "recipients",
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
            ItemKind::Other => "",
        }
    }
}

/// A block of an answer: a paragraph (a TOML string) or a bulleted list (`{ list = [...] }`).
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(String),
    List(Vec<String>),
}

impl<'de> Deserialize<'de> for Block {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct BlockVisitor;
        impl<'de> Visitor<'de> for BlockVisitor {
            type Value = Block;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a paragraph (string) or a list ({ list = [\"...\"] })")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Block, E> {
                Ok(Block::Paragraph(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Block, E> {
                Ok(Block::Paragraph(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Block, A::Error> {
                let mut list: Option<Vec<String>> = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "list" if list.is_none() => list = Some(map.next_value()?),
                        "list" => return Err(de::Error::duplicate_field("list")),
                        other => return Err(de::Error::unknown_field(other, &["list"])),
                    }
                }
                list.map(Block::List)
                    .ok_or_else(|| de::Error::missing_field("list"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Block, A::Error> {
                Err(de::Error::custom(
                    "expected a paragraph (string) or a list ({ list = [\"...\"] }), found an array",
                ))
            }
        }
        d.deserialize_any(BlockVisitor)
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

impl Notice {
    /// The sections that are typeset (everything not marked `web_only`).
    pub fn printed_sections(&self) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(|s| !s.web_only)
    }

    /// Whether `word` (a run of letters) must not be hyphenated, per `no_hyphenate`.
    pub fn is_protected(&self, word: &str) -> bool {
        self.no_hyphenate
            .iter()
            .flat_map(|entry| entry.split_whitespace())
            .any(|p| word.starts_with(p))
    }
}

// ---------------------------------------------------------------------------------------------
// Loading

/// Parses a notice from TOML text. `file` is only used to label diagnostics.
pub fn parse(file: &Path, text: &str) -> Result<Notice, Diagnostic> {
    let root = DeTable::parse(text).map_err(|e| toml_diagnostic(file, text, &e, String::new()))?;
    let id_at = line_col(text, span_of(&root, &[Seg::Key("id")]).start);
    let de = toml::de::Deserializer::from(root);
    let mut notice: Notice = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { String::new() } else { path };
        toml_diagnostic(file, text, e.inner(), field)
    })?;
    notice.id_at = id_at;
    Ok(notice)
}

fn toml_diagnostic(file: &Path, text: &str, e: &toml::de::Error, field: String) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    let (line, col) = line_col(text, span.start);
    let at = text.get(span).unwrap_or_default().trim();
    let mut message = e.message().trim_end().to_owned();
    let mut hint = None;
    if message == "duplicate key" && !at.is_empty() {
        message = format!("duplicate key `{at}`: it is already set above");
        hint = Some(format!("keep one `{at}` and remove the other"));
    } else if message.starts_with("invalid type: map")
        && at.parse::<toml::value::Datetime>().is_ok()
    {
        // serde sees a TOML date as a map; say what the editor wrote.
        let expected = message
            .split_once(", expected ")
            .map_or("a string", |(_, x)| x);
        message = format!("expected {expected}, found the unquoted TOML date {at}");
        hint = Some(format!("write dates in quotes: \"{at}\""));
    }
    let hint = if hint.is_some() {
        hint
    } else if message.starts_with("unknown field") {
        Some("check the spelling; README.md \"The data format\" lists every field".to_owned())
    } else if message.starts_with("missing field") {
        Some("every notice needs id, title, language, publisher, updated and sections".to_owned())
    } else if message.contains("unknown variant") {
        Some(format!(
            "item kinds are {}",
            [ItemKind::REQUIRED.as_slice(), &[ItemKind::Other]]
                .concat()
                .iter()
                .map(|k| k.key())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    } else {
        None
    };
    Diagnostic {
        severity: Severity::Error,
        file: file.to_owned(),
        line,
        col,
        field,
        message,
        hint,
    }
}

/// Answers line/column queries on one text in time independent of the text's length (after a
/// linear pass), so that reporting many problems in a large file stays linear.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// Characters before each multiple of [`LineIndex::STEP`] bytes.
    chars_before: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    const STEP: usize = 256;

    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        line_starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut chars_before = Vec::with_capacity(bytes.len() / Self::STEP + 1);
        let mut count = 0;
        for chunk in bytes.chunks(Self::STEP) {
            chars_before.push(count);
            count += chunk.iter().filter(|b| !is_continuation(**b)).count();
        }
        chars_before.push(count);
        LineIndex {
            text,
            line_starts,
            chars_before,
        }
    }

    /// Characters in `text[..offset]`.
    fn chars_to(&self, offset: usize) -> usize {
        let block = offset / Self::STEP;
        let rest = &self.text.as_bytes()[block * Self::STEP..offset];
        self.chars_before[block] + rest.iter().filter(|b| !is_continuation(**b)).count()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|s| *s <= offset);
        let start = self.line_starts[line - 1];
        (line, self.chars_to(offset) - self.chars_to(start) + 1)
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// 1-based line and column (in characters) of a byte offset. For many queries on one text,
/// use a [`LineIndex`].
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

// ---------------------------------------------------------------------------------------------
// Validation

/// One step of a field path.
#[derive(Debug, Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn path_string(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Byte span of the value at `path` in the TOML source (the deepest part of the path found).
fn span_of(root: &toml::Spanned<DeTable>, path: &[Seg]) -> Range<usize> {
    let mut span = root.span();
    let mut table: Option<&DeTable> = Some(root.get_ref());
    let mut value: Option<&DeValue> = None;
    for seg in path {
        let next = match (seg, table, value) {
            (Seg::Key(k), Some(t), _) => {
                t.iter().find(|(key, _)| key.get_ref() == k).map(|(_, v)| v)
            }
            (Seg::Index(i), _, Some(DeValue::Array(items))) => items.get(*i),
            _ => None,
        };
        let Some(next) = next else { break };
        span = next.span();
        value = Some(next.get_ref());
        table = match next.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    span
}

struct Checker<'a> {
    file: &'a Path,
    text: &'a str,
    lines: LineIndex<'a>,
    root: Option<toml::Spanned<DeTable<'a>>>,
    out: Vec<Diagnostic>,
}

/// The longest text value accepted, in characters (about a page at 10 pt; the longest
/// paragraph of a real notice is about 500).
pub const MAX_TEXT_CHARS: usize = 4000;

/// Byte offset, within the raw TOML `raw` of a string value, where character `c` is written:
/// itself, or an escape sequence for it (`\t`, `\u0007`, …).
fn find_written(raw: &str, c: char) -> Option<usize> {
    let mut chars = raw.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        if ch == c {
            return Some(i);
        }
        if ch != '\\' {
            continue;
        }
        let Some(&(_, e)) = chars.peek() else { break };
        chars.next();
        let decoded = match e {
            't' => Some('\t'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'e' => Some('\u{1b}'),
            'u' | 'U' | 'x' => {
                let digits = match e {
                    'u' => 4,
                    'U' => 8,
                    _ => 2,
                };
                let hex: String = raw[i + 2..].chars().take(digits).collect();
                u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
            }
            _ => None,
        };
        if decoded == Some(c) {
            return Some(i);
        }
    }
    None
}

/// What to do about control character `c` in a text.
fn control_hint(c: char) -> &'static str {
    match c {
        '\n' | '\r' => "this text is one line: remove the line break",
        '\t' => "use a space instead of the tab",
        _ => "remove it: control characters are invisible and cannot be printed",
    }
}

impl Checker<'_> {
    fn push(
        &mut self,
        sev: Severity,
        path: &[Seg],
        offset_in_value: Option<char>,
        message: String,
        hint: Option<String>,
    ) {
        let (line, col) = match &self.root {
            Some(root) => {
                let span = span_of(root, path);
                // Point at the character itself where we can find it in the raw value.
                let at = offset_in_value
                    .and_then(|c| {
                        find_written(self.text.get(span.clone())?, c).map(|o| span.start + o)
                    })
                    .unwrap_or(span.start);
                self.lines.line_col(at)
            }
            None => (1, 1),
        };
        self.out.push(Diagnostic {
            severity: sev,
            file: self.file.to_owned(),
            line,
            col,
            field: path_string(path),
            message,
            hint,
        });
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

    /// Checks a value of running text: as [`Checker::text`], and as CommonMark ([`crate::rich`]),
    /// a refused construct located where it is written.
    fn running(&mut self, path: &[Seg], value: &str, can_render: &dyn Fn(char) -> bool) {
        let before = self.out.len();
        self.text_checked(path, value, true, can_render, true);
        if self.out.len() > before {
            return;
        }
        if let Err(refused) = crate::rich::parse(value) {
            let written: String = value[refused.at.start..]
                .lines()
                .next()
                .unwrap_or_default()
                .chars()
                .take(12)
                .collect();
            let (line, col) = match &self.root {
                Some(root) => {
                    let span = span_of(root, path);
                    let at = self
                        .text
                        .get(span.clone())
                        .and_then(|raw| raw.find(written.as_str()))
                        .filter(|_| !written.is_empty())
                        .map_or(span.start, |o| span.start + o);
                    self.lines.line_col(at)
                }
                None => (1, 1),
            };
            self.out.push(Diagnostic {
                severity: Severity::Error,
                file: self.file.to_owned(),
                line,
                col,
                field: path_string(path),
                message: refused.message,
                hint: Some("running text is CommonMark: paragraphs, \"- \" and \"1. \" lists, *emphasis*, **strong** and [links](https://…); README.md \"The data format\"".into()),
            });
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
                self.push(
                    Severity::Error,
                    path,
                    Some(c),
                    format!(
                        "character '{c}' (U+{:04X}) is not in the notice fonts",
                        c as u32
                    ),
                    Some(
                        "the PDF embeds Inter (Latin, Greek, Cyrillic); use a character it covers"
                            .into(),
                    ),
                );
            }
        }
    }
}

/// The longest web address accepted, in characters (a QR code stays readable on paper).
pub const MAX_URL_CHARS: usize = 300;

/// Checks a web address printed in the PDF and drawn as a QR code: `https://`, a host, and
/// nothing a reader could not type (no spaces, controls or characters outside ASCII).
fn check_url(url: &str) -> Result<(), String> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Err(format!(
            "\"{}\" is not an https:// address",
            url.escape_debug()
        ));
    };
    let len = url.chars().count();
    if len > MAX_URL_CHARS {
        return Err(format!(
            "the address is {len} characters; an address may be at most {MAX_URL_CHARS}"
        ));
    }
    if let Some(c) = url.chars().find(|c| !c.is_ascii_graphic()) {
        return Err(format!(
            "the address contains {:?} (U+{:04X}); write it percent-encoded",
            c, c as u32
        ));
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || !host.contains('.') {
        return Err(format!("\"{url}\" has no host name"));
    }
    Ok(())
}

/// Why `id` is not a valid id.
fn invalid_id(id: &str) -> String {
    let len = id.chars().count();
    if len > MAX_ID_CHARS {
        format!("the id is {len} characters; an id may be at most {MAX_ID_CHARS}")
    } else {
        format!("invalid id \"{}\"", id.escape_debug())
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
    text: &str,
    notice: &Notice,
    can_render: &dyn Fn(char) -> bool,
) -> Vec<Diagnostic> {
    let mut c = Checker {
        file,
        text,
        lines: LineIndex::new(text),
        root: DeTable::parse(text).ok(),
        out: Vec::new(),
    };
    const ID_HINT: Option<&str> =
        Some("use lowercase letters, digits and '-', e.g. \"kundservice\"");

    if !valid_id(&notice.id) {
        c.error(&[Seg::Key("id")], invalid_id(&notice.id), ID_HINT);
    }
    c.text(&[Seg::Key("title")], &notice.title, true, can_render);
    if let Some(url) = &notice.source_url
        && let Err(why) = check_url(url)
    {
        c.error(
            &[Seg::Key("source_url")],
            why,
            Some("write the notice's full web address, e.g. \"https://www.avanza.se/…\""),
        );
    }
    if let Some(label) = &notice.label {
        c.text(&[Seg::Key("label")], label, true, can_render);
    }
    match language_tags::LanguageTag::parse(&notice.language) {
        Err(e) => c.error(
            &[Seg::Key("language")],
            format!(
                "\"{}\" is not a BCP 47 language tag: {e}",
                notice.language.escape_debug()
            ),
            Some("write a language tag such as \"sv-SE\""),
        ),
        Ok(tag) if !tag.primary_language().eq_ignore_ascii_case("sv") => c.error(
            &[Seg::Key("language")],
            format!("unsupported language \"{}\"", notice.language),
            Some("notices are typeset with Swedish hyphenation; use \"sv-SE\""),
        ),
        Ok(_) => {}
    }
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
    if let Some(note) = &notice.updated_note {
        c.text(&[Seg::Key("updated_note")], note, true, can_render);
        let iso = notice.updated.to_string();
        if !note.contains(&iso) {
            c.error(
                &[Seg::Key("updated_note")],
                format!("does not mention the updated date {iso}"),
                Some("change `updated` and `updated_note` together"),
            );
        }
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
    for (si, s) in notice.sections.iter().enumerate() {
        let sp = [Seg::Key("sections"), Seg::Index(si)];
        let at = |rest: &[Seg<'static>]| -> Vec<Seg<'static>> { [sp.as_slice(), rest].concat() };
        if !valid_id(&s.id) {
            c.error(&at(&[Seg::Key("id")]), invalid_id(&s.id), ID_HINT);
        } else if let Some(&first) = section_ids.get(s.id.as_str()) {
            c.error(
                &at(&[Seg::Key("id")]),
                format!("duplicate section id \"{}\" (also sections[{first}])", s.id),
                Some("section ids must be unique within a notice"),
            );
        } else {
            section_ids.insert(s.id.as_str(), si);
        }
        c.text(&at(&[Seg::Key("heading")]), &s.heading, true, can_render);
        for (i, p) in s.intro.iter().enumerate() {
            c.running(&at(&[Seg::Key("intro"), Seg::Index(i)]), p, can_render);
        }
        for (i, p) in s.list.iter().enumerate() {
            c.running(&at(&[Seg::Key("list"), Seg::Index(i)]), p, can_render);
        }
        if s.intro.is_empty() && s.items.is_empty() && s.list.is_empty() {
            c.error(
                &at(&[Seg::Key("heading")]),
                "section has a heading but no text",
                None,
            );
        }
        for (ii, item) in s.items.iter().enumerate() {
            let ip = at(&[Seg::Key("items"), Seg::Index(ii)]);
            let iat =
                |rest: &[Seg<'static>]| -> Vec<Seg<'static>> { [ip.as_slice(), rest].concat() };
            c.text(
                &iat(&[Seg::Key("question")]),
                &item.question,
                true,
                can_render,
            );
            if item.answer.is_empty() {
                c.error(
                    &iat(&[Seg::Key("answer")]),
                    "the answer is empty",
                    Some("give at least one paragraph"),
                );
            }
            for (bi, block) in item.answer.iter().enumerate() {
                let bp = iat(&[Seg::Key("answer"), Seg::Index(bi)]);
                match block {
                    Block::Paragraph(p) => c.running(&bp, p, can_render),
                    Block::List(entries) => {
                        if entries.is_empty() {
                            c.error(&bp, "the list is empty", None);
                        }
                        for (li, e) in entries.iter().enumerate() {
                            let lp = [bp.as_slice(), &[Seg::Key("list"), Seg::Index(li)]].concat();
                            c.running(&lp, e, can_render);
                        }
                    }
                }
            }
        }

        // Compliance lint: a printed processing section answers the five questions.
        if s.kind == SectionKind::Processing && !s.web_only {
            let missing: Vec<ItemKind> = ItemKind::REQUIRED
                .into_iter()
                .filter(|k| !s.items.iter().any(|it| it.kind == *k))
                .collect();
            for kind in missing {
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
    c.out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
id = "t"
title = "Titel"
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
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\nåäö x", 10), (2, 5));
        assert_eq!(line_col("", 0), (1, 1));
    }

    #[test]
    fn line_index_agrees_with_line_col_everywhere() {
        // Long lines with multi-byte characters across the index's 256-byte steps.
        let text = format!("a\n{}\nåäö\n\n{}x", "é".repeat(300), "ab".repeat(400));
        let index = LineIndex::new(&text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            assert_eq!(
                index.line_col(offset),
                line_col(&text, offset),
                "at {offset}"
            );
        }
    }

    #[test]
    fn minimal_notice_parses_and_lints() {
        let n = parse(Path::new("t.toml"), MINIMAL).unwrap();
        assert_eq!(n.updated, NaiveDate::from_ymd_opt(2023, 3, 20).unwrap());
        let d = validate(Path::new("t.toml"), MINIMAL, &n, &all);
        // A processing section with no items misses all five questions.
        assert_eq!(d.len(), 5);
        assert!(
            d.iter()
                .all(|d| d.severity == Severity::Warning && d.field == "sections[0].heading")
        );
        assert_eq!((d[0].line, d[0].col), (10, 11));
    }

    #[test]
    fn invalid_date_is_located() {
        let text = MINIMAL.replace("2023-03-20", "2023-02-30");
        let e = parse(Path::new("t.toml"), &text).unwrap_err();
        assert_eq!(e.field, "updated");
        assert_eq!((e.line, e.col), (6, 11));
        assert!(
            e.message.contains("invalid date \"2023-02-30\""),
            "{}",
            e.message
        );
    }

    #[test]
    fn blocks_are_paragraphs_or_lists() {
        let text = format!(
            "{MINIMAL}\n[[sections.items]]\nkind = \"other\"\nquestion = \"F?\"\nanswer = [\"a\", {{ list = [\"x\", \"y\"] }}]\n"
        );
        let n = parse(Path::new("t.toml"), &text).unwrap();
        assert_eq!(
            n.sections[0].items[0].answer,
            vec![
                Block::Paragraph("a".into()),
                Block::List(vec!["x".into(), "y".into()])
            ]
        );
    }

    #[test]
    fn unrenderable_character_is_named_and_located() {
        let text = MINIMAL.replace("Text.", "Te漢xt.");
        let n = parse(Path::new("t.toml"), &text).unwrap();
        let d = validate(Path::new("t.toml"), &text, &n, &|c| c.is_ascii());
        let err: Vec<_> = d.iter().filter(|d| d.severity == Severity::Error).collect();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].field, "sections[0].intro[0]");
        assert_eq!(
            err[0].message,
            "character '漢' (U+6F22) is not in the notice fonts"
        );
        assert_eq!((err[0].line, err[0].col), (11, 13));
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
