//! The audit trail of issued documents: what went out ([`Event`]: which version of which
//! notice or pack, in which edition, issued or not sent), and the tamper-evident log it is
//! kept in ([`chain`]: one JSON record a line, each carrying the SHA-256 of the line before
//! it).
//!
//! `serve` settles an [`Event`] for every PDF it hands out; the binary writes it to standard
//! error as a line of text, or to `serve --audit-log FILE` as a record of the chain, with the
//! time (the library reads no clock). `notice-pdf audit verify FILE` checks a chain.

pub mod chain;

use std::fmt;

use serde::{Deserialize, Serialize};

/// What was handed out: a notice's document, or a pack of notices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subject {
    Notice {
        id: String,
        /// The notice's date (`updated`), `YYYY-MM-DD`.
        version: String,
        /// The version id of its data file ([`crate::VersionId`]).
        version_id: String,
        /// `standard` or `large`.
        edition: String,
        /// The first 12 hex digits of the PDF's SHA-256.
        sha256: String,
    },
    Pack {
        /// The pack's notices, in order, each with the version id of its data.
        notices: Vec<PackMember>,
        edition: String,
        sha256: String,
    },
}

/// A notice in a pack that was handed out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackMember {
    pub id: String,
    pub version_id: String,
}

/// Whether a document reached the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Written whole to the client's socket, and the client gave no sign of having gone away.
    Issued,
    /// The connection ended first: why, and how many of the body's bytes had been written.
    NotSent { why: String, sent: u64, of: u64 },
}

/// One document handed out, settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub subject: Subject,
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Notice {
                id,
                version,
                version_id,
                edition,
                sha256,
            } => write!(
                f,
                "id={id} version={version} version_id={version_id} edition={edition} sha256={sha256}"
            ),
            Subject::Pack {
                notices,
                edition,
                sha256,
            } => {
                let list: Vec<String> = notices
                    .iter()
                    .map(|m| format!("{}@{}", m.id, m.version_id))
                    .collect();
                write!(
                    f,
                    "pack={} notices={} edition={edition} sha256={sha256}",
                    crate::sv::PACK_ID,
                    list.join(",")
                )
            }
        }
    }
}

/// The event as a line of the text log: `audit: issued …` or `audit: not sent … (why after N
/// of M bytes were written)`.
impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.outcome {
            Outcome::Issued => write!(f, "audit: issued {}", self.subject),
            Outcome::NotSent { why, sent, of } => write!(
                f,
                "audit: not sent {} ({why} after {sent} of {of} bytes were written)",
                self.subject
            ),
        }
    }
}

/// Where the settled events of a server go: the binary decides (text on standard error, or
/// the chain of `serve --audit-log`).
pub trait AuditLog: Send + Sync {
    /// The server starts serving these notices (id → the version id of their data).
    fn start(&self, data_versions: &std::collections::BTreeMap<String, String>);
    /// One document handed out, settled.
    fn record(&self, event: &Event);
    /// SIGHUP: a log file moved away (rotated) is followed by a new one at its path.
    fn reopen(&self) {}
}
