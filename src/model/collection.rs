//! The collection: the family of notices a publisher hands out, what belongs to all of them,
//! and the order of the pack (`data/collection.toml`).

use serde::Deserialize;

use super::Logo;

/// The id of the pack of a collection: its file name (`integritetsinformation.pdf`); no notice
/// may have it.
pub const PACK_ID: &str = "integritetsinformation";

/// The file name of the collection in a data directory; never a notice.
pub const FILE_NAME: &str = "collection.toml";

/// What belongs to all notices, and their groups in the order they are handed out.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collection {
    /// The pack's title: the H1 of its title page and its `/Title` (PDF/UA-1 7.1).
    pub title: String,
    /// What the document is ("Integritetsinformation"), above the title.
    pub label: String,
    /// The controller publishing the notices: the pack's author.
    pub publisher: String,
    /// BCP 47 language tag of the pack, `sv-SE`: its `/Lang` (PDF/UA-1 7.2).
    pub language: String,
    /// The publisher's logo on the pack's title page.
    #[serde(default)]
    pub logo: Option<Logo>,
    /// The groups, in order.
    pub groups: Vec<Group>,
    /// Collection-level questions (`controller`, `dpo_contact`, `rights`, `complaint`,
    /// `transfers`) answered by a page outside the collection, by its address: satisfied when a
    /// notice links to that address.
    #[serde(default)]
    pub answered_elsewhere: std::collections::BTreeMap<String, String>,
    /// The plain-language lint's word lists.
    #[serde(default)]
    pub lint: Lint,
    /// The file it was read from, embedded in the packs (not part of the data).
    #[serde(skip)]
    pub source: Option<super::SourceFile>,
    /// The picture of its logo, read from the file `logo.file` names (not part of the data).
    #[serde(skip)]
    pub logo_picture: Option<super::Picture>,
}

/// Word lists for the plain-language lint, kept in the data.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lint {
    /// Vague qualifiers that leave a reader unsure what happens ("kan komma att",
    /// "eventuellt", "vissa"): a warning where a text uses one.
    #[serde(default)]
    pub vague: Vec<String>,
}

/// A group of notices with its title ("Om du nås av vår kommunikation").
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub title: String,
    /// The ids of its notices, in order.
    pub notices: Vec<String>,
}

impl Collection {
    /// The logo and its picture, when the collection has a logo whose file was read.
    pub fn logo(&self) -> Option<(&Logo, &super::Picture)> {
        Some((self.logo.as_ref()?, self.logo_picture.as_ref()?))
    }

    /// Every placed notice id, in the collection's order.
    pub fn order(&self) -> impl Iterator<Item = &str> {
        self.groups
            .iter()
            .flat_map(|g| g.notices.iter().map(String::as_str))
    }
}
