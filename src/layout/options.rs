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

/// The document date from a `SOURCE_DATE_EPOCH` value (seconds since 1970, UTC), within
/// 1970-01-01 to 2099-12-31.
pub fn source_date_epoch(value: &str) -> std::result::Result<chrono::NaiveDateTime, String> {
    let secs: i64 = value.trim().parse().map_err(|_| {
        format!(
            "SOURCE_DATE_EPOCH is not a number of seconds: {}",
            crate::error::quoted(value)
        )
    })?;
    let last = crate::model::DATE_RANGE
        .1
        .and_hms_opt(23, 59, 59)
        .expect("valid time");
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.naive_utc())
        .filter(|d| secs >= 0 && *d <= last)
        .ok_or_else(|| {
            format!(
                "SOURCE_DATE_EPOCH={secs} is out of range: it must date from 1970-01-01 to {}",
                crate::model::DATE_RANGE.1
            )
        })
}
