//! Which edition of a document: standard or large print. Below layout, so that every module
//! (layout, the Swedish texts, jobs, serve, verify) names it without reaching into another.

use std::fmt;
use std::str::FromStr;

/// Which edition to typeset. Written and read as its key (`standard`, `large`): on the
/// command line, in queries, in the manifest and in the recipe a PDF carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Edition {
    /// 10 pt running text on A4.
    #[default]
    Standard,
    /// Large print for readers with low vision: 16 pt running text, proportionally larger
    /// headings and leading, re-typeset (not scaled), same structure and text.
    Large,
}

impl Edition {
    pub const ALL: [Edition; 2] = [Edition::Standard, Edition::Large];

    /// The name used on the command line, in queries and in the manifest.
    pub fn key(self) -> &'static str {
        match self {
            Edition::Standard => "standard",
            Edition::Large => "large",
        }
    }

    /// Output file name for a notice id: `<id>.pdf`, `<id>.large.pdf`.
    pub fn file_name(self, id: &str, ext: &str) -> String {
        match self {
            Edition::Standard => format!("{id}.{ext}"),
            Edition::Large => format!("{id}.large.{ext}"),
        }
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// An edition's key that names no edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEdition(pub String);

impl fmt::Display for UnknownEdition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is not an edition: the editions are standard and large",
            crate::error::quoted(&self.0)
        )
    }
}

impl std::error::Error for UnknownEdition {}

impl FromStr for Edition {
    type Err = UnknownEdition;

    fn from_str(key: &str) -> Result<Edition, UnknownEdition> {
        Edition::ALL
            .into_iter()
            .find(|e| e.key() == key)
            .ok_or_else(|| UnknownEdition(key.to_owned()))
    }
}

impl serde::Serialize for Edition {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl<'de> serde::Deserialize<'de> for Edition {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Edition, D::Error> {
        let key = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        key.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edition_reads_back_what_it_prints() {
        for e in Edition::ALL {
            assert_eq!(e.to_string().parse::<Edition>(), Ok(e));
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(serde_json::from_str::<Edition>(&json).unwrap(), e);
        }
        let e = "huge".parse::<Edition>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "\"huge\" is not an edition: the editions are standard and large"
        );
        assert!(serde_json::from_str::<Edition>("\"html\"").is_err());
    }
}
