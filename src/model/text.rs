//! Running text as it is kept in the document tree: what the editor wrote, parsed once when
//! the notice is loaded ([`Text`]), and the parts an answer, an intro or a lead is made of
//! ([`Part`]). Every consumer (validation, links, plain text, changes, readability, layout,
//! HTML) reads the parsed blocks; none parses again.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::rich::{self, Block, Inline, Refused};

/// A running-text value: its CommonMark source and its parsed blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// What the editor wrote (the published text, with its markup).
    pub src: String,
    /// Its blocks. When the source is refused, one paragraph holding the source as written:
    /// validation reports [`Text::refused`], so such a text is never typeset.
    pub blocks: Vec<Block>,
    /// The construct that is not allowed, located in `src`.
    pub refused: Option<Refused>,
}

impl Text {
    /// Parses `src` as running text (paragraphs, lists, tables).
    pub fn running(src: impl Into<String>) -> Text {
        Text::from_parse(src.into(), rich::parse)
    }

    /// Parses `src` as one line of inline text: emphasis and links, no blocks (a label).
    pub fn inline(src: impl Into<String>) -> Text {
        Text::from_parse(src.into(), rich::parse_inline)
    }

    /// Parses `src` as an entry of a list: paragraphs and nested lists, no table.
    pub fn entry(src: impl Into<String>) -> Text {
        Text::from_parse(src.into(), rich::parse_entry)
    }

    fn from_parse(src: String, parse: fn(&str) -> Result<Vec<Block>, Refused>) -> Text {
        match parse(&src) {
            Ok(blocks) => Text {
                src,
                blocks,
                refused: None,
            },
            Err(refused) => Text {
                blocks: vec![Block::Paragraph(vec![Inline::Text(src.clone())])],
                src,
                refused: Some(refused),
            },
        }
    }

    /// Its plain text: the blocks' text, one line each (list entries and table cells too).
    pub fn plain(&self) -> String {
        rich::blocks_plain(&self.blocks)
    }

    /// Its inlines when it is one paragraph (a label); none otherwise.
    pub fn inlines(&self) -> &[Inline] {
        match self.blocks.as_slice() {
            [Block::Paragraph(inlines)] => inlines,
            _ => &[],
        }
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.src)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Text::running)
    }
}

/// One part of an answer, an intro or a lead, as the editor writes it: running text (a TOML
/// string), a bulleted list whose entries are running text (`{ list = [...] }`), or a label for
/// the data that follows (`{ label = "Om du är privatkund:" }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Text(Text),
    List(Vec<Text>),
    /// Set as a small heading below question level, tagged as one (`H4` under a question),
    /// so that it labels what follows in reading order and for assistive technology.
    Label(Text),
}

impl<'de> Deserialize<'de> for Part {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct PartVisitor;
        const EXPECTED: &str =
            "a paragraph (string), a list ({ list = [\"...\"] }) or a label ({ label = \"...\" })";
        impl<'de> Visitor<'de> for PartVisitor {
            type Value = Part;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Part, E> {
                Ok(Part::Text(Text::running(v)))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Part, E> {
                Ok(Part::Text(Text::running(v)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Part, A::Error> {
                let mut part: Option<Part> = None;
                while let Some(key) = map.next_key::<String>()? {
                    if part.is_some() {
                        return Err(de::Error::custom(format!(
                            "a part is a list or a label, one at a time: `{key}` is one too many"
                        )));
                    }
                    part = Some(match key.as_str() {
                        "list" => Part::List(
                            map.next_value::<Vec<String>>()?
                                .into_iter()
                                .map(Text::entry)
                                .collect(),
                        ),
                        "label" => Part::Label(Text::inline(map.next_value::<String>()?)),
                        other => return Err(de::Error::unknown_field(other, &["list", "label"])),
                    });
                }
                part.ok_or_else(|| de::Error::missing_field("list"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Part, A::Error> {
                Err(de::Error::custom(format!(
                    "expected {EXPECTED}, found an array"
                )))
            }
        }
        d.deserialize_any(PartVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_parsed_when_it_is_read() {
        let t: Text = serde_json_like("Läs *mer*.");
        assert_eq!(t.blocks.len(), 1);
        assert!(t.refused.is_none());
        assert_eq!(t.plain(), "Läs mer.");
    }

    #[test]
    fn a_refused_text_keeps_its_source_as_one_paragraph() {
        let t = Text::running("Text <b>fet</b>.");
        assert!(t.refused.is_some());
        assert_eq!(t.plain(), "Text <b>fet</b>.");
    }

    #[test]
    fn an_inline_text_refuses_blocks() {
        assert!(Text::inline("- ett\n- två").refused.is_some());
        assert!(Text::inline("ett\n\ntvå").refused.is_some());
        assert!(Text::inline("Om du är *privatkund*:").refused.is_none());
    }

    fn serde_json_like(s: &str) -> Text {
        let de: de::value::StrDeserializer<de::value::Error> =
            de::IntoDeserializer::into_deserializer(s);
        Text::deserialize(de).unwrap()
    }
}
