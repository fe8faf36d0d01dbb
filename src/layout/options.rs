//! The options of one run: alignment, edition, date.

use chrono::NaiveDateTime;

pub use crate::edition::Edition;

use super::linebreak::Align;

/// Layout options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    pub align: Align,
    pub edition: Edition,
    /// Creation/modification date to record instead of the notice's `updated` date (from
    /// `SOURCE_DATE_EPOCH`, read by the caller: the library never reads the environment).
    pub date: Option<NaiveDateTime>,
}
