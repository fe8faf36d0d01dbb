//! Content hashes: what version ids, ETags, the manifest and the archive are named by.

use sha2::{Digest, Sha256};

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A version id: the first 8 hex digits of the SHA-256 of what a version is made from (a
/// notice's data file; for a pack, its notices' ids and version ids). Printed in the title
/// block and the footer, written in the manifest, the audit log, the XMP metadata and the
/// archive's file names, so that a customer's copy can be matched to its data.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VersionId(String);

impl VersionId {
    /// Hex digits in a version id.
    pub const DIGITS: usize = 8;

    /// The version id of `bytes`.
    pub fn of(bytes: &[u8]) -> VersionId {
        VersionId::of_sha256(&sha256_hex(bytes))
    }

    /// The version id of what has this SHA-256 (64 lowercase hex digits).
    pub fn of_sha256(hex: &str) -> VersionId {
        VersionId(hex[..Self::DIGITS].to_owned())
    }

    /// A version id as written (`8` lowercase hex digits), or `None`.
    pub fn parse(text: &str) -> Option<VersionId> {
        let ok = text.len() == Self::DIGITS
            && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        ok.then(|| VersionId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for VersionId {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for VersionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for VersionId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for VersionId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<VersionId, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        VersionId::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{} is not a version id (8 hex digits)",
                crate::error::quoted(&text)
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_id_is_the_first_eight_digits_and_reads_back() {
        let v = VersionId::of(b"id = \"x\"\n");
        assert_eq!(v.as_str(), &sha256_hex(b"id = \"x\"\n")[..8]);
        assert_eq!(VersionId::parse(v.as_str()), Some(v.clone()));
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(serde_json::from_str::<VersionId>(&json).unwrap(), v);
        for bad in ["", "1234567", "123456789", "ABCDEF12", "12345g78"] {
            assert_eq!(VersionId::parse(bad), None, "{bad}");
        }
    }
}
