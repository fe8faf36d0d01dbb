//! The recipe a PDF carries (`notice-pdf.json`, ISO 32000-2 §14.13 associated file): which
//! document, which notices, the options and the generator. Written here, read back by
//! `verify` with the same type, so the two can never disagree on a field.

use std::io;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::{Align, Edition, Options};

/// The name of the recipe attachment.
pub const RECIPE: &str = "notice-pdf.json";

/// Which kind of document a recipe makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Document {
    /// One notice.
    Notice,
    /// A pack of notices of the collection, with its title page and contents.
    Pack,
}

/// How a document was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    /// `notice-pdf <version>`.
    pub generator: String,
    pub document: Document,
    /// The notices it holds, in order.
    pub ids: Vec<String>,
    pub edition: Edition,
    #[serde(with = "align")]
    pub align: Align,
    /// The date given instead of the data's (`SOURCE_DATE_EPOCH`), `YYYY-MM-DDTHH:MM:SS`.
    #[serde(with = "date")]
    pub date: Option<NaiveDateTime>,
    /// The embedded files that are earlier versions its notices are compared with (their
    /// "Vad har ändrats" sections), not notices of the document. Listed only when there are
    /// any: a document without them is as it was before the field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous: Vec<String>,
    /// A notice's document: the web addresses of the other notices it links to (`notice:ID`),
    /// by id, which its links lead to (they are not in the document). Listed only when there
    /// are any.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub links: std::collections::BTreeMap<String, String>,
}

impl Recipe {
    /// The recipe of a document made by this program with `opts`.
    pub fn new(document: Document, ids: &[&str], previous: &[String], opts: &Options) -> Recipe {
        Recipe {
            generator: format!("notice-pdf {}", env!("CARGO_PKG_VERSION")),
            document,
            ids: ids.iter().map(|id| id.to_string()).collect(),
            edition: opts.edition,
            align: opts.align,
            date: opts.date,
            previous: previous.to_vec(),
            links: Default::default(),
        }
    }

    /// The options it records.
    pub fn options(&self) -> Options {
        Options {
            align: self.align,
            edition: self.edition,
            date: self.date,
        }
    }

    /// The recipe as embedded: one field a line, arrays on one line, a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut out, FieldPerLine::default());
        self.serialize(&mut ser).expect("a recipe serialises");
        out.push(b'\n');
        out
    }
}

/// `Align` as `left` or `justify`.
mod align {
    use super::Align;

    pub fn serialize<S: serde::Serializer>(a: &Align, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(a.key())
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Align, D::Error> {
        let key = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        [Align::Left, Align::Justify]
            .into_iter()
            .find(|a| a.key() == key)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "{} is not an alignment: left or justify",
                    crate::error::quoted(&key)
                ))
            })
    }
}

/// A date as `YYYY-MM-DDTHH:MM:SS`, or `null`.
mod date {
    use chrono::NaiveDateTime;

    const FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

    pub fn serialize<S: serde::Serializer>(
        d: &Option<NaiveDateTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&d.format(FORMAT).to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Option<NaiveDateTime>, D::Error> {
        let text = <Option<std::borrow::Cow<'de, str>> as serde::Deserialize>::deserialize(d)?;
        text.map(|t| {
            NaiveDateTime::parse_from_str(&t, FORMAT).map_err(|_| {
                serde::de::Error::custom(format!(
                    "{} is not a date (YYYY-MM-DDTHH:MM:SS)",
                    crate::error::quoted(&t)
                ))
            })
        })
        .transpose()
    }
}

/// A JSON layout of one object field a line (two spaces in) and arrays on one line, as the
/// recipe has been written since PDFs carried one: the bytes of a recipe never change with the
/// JSON library.
#[derive(Default)]
struct FieldPerLine {
    depth: usize,
}

impl serde_json::ser::Formatter for FieldPerLine {
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        w.write_all(b"\n")?;
        w.write_all(&b"  ".repeat(self.depth))?;
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        w.write_all(&b"  ".repeat(self.depth))
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recipe_is_written_as_it_always_was_and_reads_back() {
        let opts = Options::default();
        let r = Recipe::new(Document::Notice, &["rik"], &[], &opts);
        let json = String::from_utf8(r.to_json()).unwrap();
        let version = env!("CARGO_PKG_VERSION");
        assert_eq!(
            json,
            format!(
                "{{\n  \"generator\": \"notice-pdf {version}\",\n  \"document\": \"notice\",\n  \"ids\": [\"rik\"],\n  \"edition\": \"standard\",\n  \"align\": \"left\",\n  \"date\": null\n}}\n"
            )
        );
        assert_eq!(serde_json::from_str::<Recipe>(&json).unwrap(), r);
        let date = chrono::NaiveDate::from_ymd_opt(2024, 5, 2)
            .unwrap()
            .and_hms_opt(8, 0, 0);
        let opts = Options {
            align: Align::Justify,
            edition: Edition::Large,
            date,
        };
        let prev = ["rik.0123abcd.tidigare.toml".to_owned()];
        let r = Recipe::new(Document::Pack, &["rik", "tjanster"], &prev, &opts);
        let json = String::from_utf8(r.to_json()).unwrap();
        assert!(json.ends_with(
            "\"ids\": [\"rik\", \"tjanster\"],\n  \"edition\": \"large\",\n  \"align\": \"justify\",\n  \"date\": \"2024-05-02T08:00:00\",\n  \"previous\": [\"rik.0123abcd.tidigare.toml\"]\n}\n"
        ), "{json}");
        assert_eq!(serde_json::from_str::<Recipe>(&json).unwrap(), r);
        assert_eq!(r.options(), opts);
    }
}
