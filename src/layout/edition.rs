//! What to typeset: the edition and the options of one run.

use chrono::NaiveDateTime;

use super::linebreak::Align;
use super::style::Style;

/// Layout options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    pub align: Align,
    pub edition: Edition,
    /// Creation/modification date to record instead of the notice's `updated` date (from
    /// `SOURCE_DATE_EPOCH`, read by the caller: the library never reads the environment).
    pub date: Option<NaiveDateTime>,
}

/// Which edition to typeset.
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

    /// The name used on the command line and in the manifest.
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

    /// Font size of running text, pt.
    pub fn body_size(self) -> f32 {
        Style::of(self).body.size
    }
}
