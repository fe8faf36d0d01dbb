//! The bank's organisation seal: PAdES baseline B-B (ETSI EN 319 142-1) as an incremental
//! update of a finished PDF. Revision 1 stays exactly the unsealed, deterministic document
//! (so `verify` still renders it again and compares bytes); the update adds an invisible
//! signature field and a CMS SignedData over the whole file but the signature itself.
//!
//! The signing time is an input (the library reads no clock): with the same PDF, key and
//! time, the sealed bytes are the same (RSA PKCS#1 v1.5 and ECDSA with RFC 6979 nonces are
//! deterministic).

mod check;
pub mod cms;
mod key;
mod pkcs11;
#[cfg(test)]
#[allow(dead_code)] // shared with the integration tests, which use all of it
pub(crate) mod testkit;
pub mod tsa;
mod update;

pub use check::{Anchors, Seal, TimeStamp, check, first_revision, sealed_by};
pub use cms::TimeStamper;
pub use key::{Algorithm, SealKey};
pub use update::FIELD_DESCRIPTION;

use crate::error::{Error, Result};
use chrono::{DateTime, Utc};

/// Bytes reserved in `/Contents` beyond the certificates the seal carries: the signer's
/// information, the attributes and a signature (RSA up to 8192 bits).
const CONTENTS_MARGIN: usize = 3072;

/// `pdf` (a finished PDF, revision 1) sealed with `key` at `time` (the signature dictionary's
/// `/M`, ISO 32000-1 §12.8.1).
pub fn seal(pdf: &[u8], key: &SealKey, time: DateTime<Utc>) -> Result<Vec<u8>> {
    seal_with(pdf, key, time, None)
}

/// Bytes reserved in `/Contents` for a time-stamp token (the TSA's certificates included).
const TOKEN_RESERVE: usize = 12 << 10;

/// [`seal`], with a time stamp over the signature from `tsa` when given (PAdES B-T).
pub fn seal_with(
    pdf: &[u8],
    key: &SealKey,
    time: DateTime<Utc>,
    tsa: Option<&dyn cms::TimeStamper>,
) -> Result<Vec<u8>> {
    let fail = |message: String| Error::Seal { message };
    let certs: usize = key
        .chain()
        .iter()
        .map(|c| der::Encode::encoded_len(c).map_or(0, |l| u32::from(l) as usize))
        .sum();
    let reserve = if tsa.is_some() { TOKEN_RESERVE } else { 0 };
    let capacity = (certs + CONTENTS_MARGIN + reserve).div_ceil(1024) * 1024;
    let (mut out, at) = update::append(pdf, &pdf_date(time), capacity)
        .map_err(|why| fail(format!("the PDF cannot be sealed: {why}")))?;
    update::fill_byte_range(&mut out, &at);
    let digest = {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(&out[..at.contents.start]);
        h.update(&out[at.contents.end..]);
        <[u8; 32]>::from(h.finalize())
    };
    let cms = cms::signed_data(&digest, key, tsa).map_err(fail)?;
    if cms.len() > capacity {
        return Err(fail(format!(
            "the signature takes {} bytes, more than the {capacity} reserved",
            cms.len()
        )));
    }
    let slot = &mut out[at.contents.start + 1..at.contents.end - 1];
    for (i, b) in cms.iter().enumerate() {
        slot[2 * i..2 * i + 2].copy_from_slice(format!("{b:02X}").as_bytes());
    }
    Ok(out)
}

/// A PDF date (ISO 32000-1 §7.9.4) in UTC.
fn pdf_date(time: DateTime<Utc>) -> String {
    time.format("D:%Y%m%d%H%M%S+00'00'").to_string()
}

/// The time a PDF date gives, when it is one.
fn parse_pdf_date(text: &str) -> Option<DateTime<Utc>> {
    let digits = text.strip_prefix("D:")?;
    let (stamp, zone) = digits.split_at(digits.len().min(14));
    let naive = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d%H%M%S").ok()?;
    let offset = match zone.as_bytes() {
        [] | [b'Z', ..] => 0,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let t = String::from_utf8_lossy(rest).replace('\'', "");
            let (h, m) = t.split_at(t.len().min(2));
            let mins = h.parse::<i64>().ok()? * 60 + m.parse::<i64>().unwrap_or(0);
            if *sign == b'-' { -mins } else { mins }
        }
        _ => return None,
    };
    Some(naive.and_utc() - chrono::Duration::minutes(offset))
}

#[cfg(test)]
mod tests {
    use super::testkit::{TestCa, Y2020, Y2040};
    use super::*;

    fn notice_pdf() -> Vec<u8> {
        let loaded = crate::load(std::path::Path::new("tests/fixtures/kundservice.toml")).unwrap();
        crate::render(
            crate::Document::Notice(&loaded.notice),
            &crate::Options::default(),
        )
        .unwrap()
        .pdf
    }

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).unwrap()
    }

    #[test]
    fn a_sealed_pdf_keeps_revision_1_and_its_seal_checks_out_against_the_ca() {
        let ca = TestCa::new("Test Root");
        let (pkcs8, chain) = ca.issue("Banken AB seal", Y2020, Y2040);
        let key = SealKey::from_pkcs8(&pkcs8, chain).unwrap();
        let pdf = notice_pdf();
        let sealed = seal(&pdf, &key, at(1_767_225_600)).unwrap();
        assert!(sealed.starts_with(&pdf));
        assert_eq!(first_revision(&sealed), &pdf[..]);
        assert_eq!(first_revision(&pdf), &pdf[..]);
        let anchors = Anchors(vec![ca.cert.clone()]);
        let s = check(&sealed, Some(&anchors)).unwrap().expect("sealed");
        assert_eq!(s.signer, "CN=Banken AB seal,O=notice-pdf tests");
        assert_eq!(s.chain.len(), 2);
        assert_eq!(s.revision1, pdf.len());
        assert_eq!(check(&pdf, Some(&anchors)).unwrap(), None);
        // The same input, the same bytes.
        assert_eq!(seal(&pdf, &key, at(1_767_225_600)).unwrap(), sealed);
    }

    #[test]
    fn an_rsa_seal_is_pkcs1_v1_5_deterministic_and_checks_out() {
        let ca = TestCa::new("Test Root");
        let (pkcs8, chain) = ca.issue_rsa("Banken AB RSA seal", Y2020, Y2040);
        let p12 = testkit::pkcs12(&pkcs8, &chain, "pw");
        let key = SealKey::from_pkcs12(&p12, "pw").unwrap();
        assert_eq!(key.algorithm(), Algorithm::RsaSha256);
        let pdf = notice_pdf();
        let sealed = seal(&pdf, &key, at(1_767_225_600)).unwrap();
        assert_eq!(seal(&pdf, &key, at(1_767_225_600)).unwrap(), sealed);
        let anchors = Anchors(vec![ca.cert.clone()]);
        let s = check(&sealed, Some(&anchors)).unwrap().expect("sealed");
        assert_eq!(s.signer, "CN=Banken AB RSA seal,O=notice-pdf tests");
        let mut bad = sealed.clone();
        bad[100] ^= 1;
        assert!(check(&bad, Some(&anchors)).is_err());
    }

    #[test]
    fn a_key_with_another_keys_certificate_is_refused() {
        let ca = TestCa::new("Test Root");
        let (pkcs8, _) = ca.issue("One seal", Y2020, Y2040);
        let (_, chain) = ca.issue("Another seal", Y2020, Y2040);
        let e = SealKey::from_pkcs8(&pkcs8, chain).unwrap_err();
        assert!(e.contains("not the private key's"), "{e}");
    }

    #[test]
    fn a_flipped_byte_anywhere_breaks_the_seal() {
        let ca = TestCa::new("Test Root");
        let (pkcs8, chain) = ca.issue("Banken AB seal", Y2020, Y2040);
        let key = SealKey::from_pkcs8(&pkcs8, chain).unwrap();
        let sealed = seal(&notice_pdf(), &key, at(1_767_225_600)).unwrap();
        let anchors = Anchors(vec![ca.cert.clone()]);
        for i in (0..sealed.len()).step_by(89).chain([sealed.len() - 1]) {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            // Broken, or no seal found any more (`verify --trust` fails on both).
            assert!(
                !matches!(check(&bad, Some(&anchors)), Ok(Some(_))),
                "byte {i} flipped"
            );
        }
    }

    #[test]
    fn an_untrusted_expired_or_extended_seal_is_refused_naming_why() {
        let ca = TestCa::new("Test Root");
        let other = TestCa::new("Other Root");
        let anchors = Anchors(vec![ca.cert.clone()]);
        let pdf = notice_pdf();
        let (pkcs8, chain) = other.issue("Impostor seal", Y2020, Y2040);
        let key = SealKey::from_pkcs8(&pkcs8, chain).unwrap();
        let sealed = seal(&pdf, &key, at(1_767_225_600)).unwrap();
        let e = check(&sealed, Some(&anchors)).unwrap_err().to_string();
        assert!(e.contains("not trusted"), "{e}");

        // A certificate issued by a seal certificate of the CA, not by a CA.
        let impostor = ca.leaf_as_issuer("Some customer's seal");
        let (pkcs8, mut chain) = impostor.issue("Banken AB seal", Y2020, Y2040);
        chain.push(ca.cert.clone());
        let key = SealKey::from_pkcs8(&pkcs8, chain).unwrap();
        let sealed = seal(&pdf, &key, at(1_767_225_600)).unwrap();
        let e = check(&sealed, Some(&anchors)).unwrap_err().to_string();
        assert!(e.contains("which is not a certification authority"), "{e}");

        let (pkcs8, chain) = ca.issue("Old seal", Y2020, Y2020 + 86_400 * 365);
        let key = SealKey::from_pkcs8(&pkcs8, chain).unwrap();
        let sealed = seal(&pdf, &key, at(1_767_225_600)).unwrap();
        let e = check(&sealed, Some(&anchors)).unwrap_err().to_string();
        assert!(e.contains("had expired at the signing time"), "{e}");

        let (pkcs8, chain) = ca.issue("Banken AB seal", Y2020, Y2040);
        let key = SealKey::from_pkcs8(&pkcs8, chain).unwrap();
        let mut sealed = seal(&pdf, &key, at(1_767_225_600)).unwrap();
        sealed.extend_from_slice(b"1 0 obj\n(appended)\nendobj\n");
        let e = check(&sealed, Some(&anchors)).unwrap_err().to_string();
        assert!(e.contains("does not cover the whole file"), "{e}");
    }

    #[test]
    fn a_pkcs12_file_opens_with_its_password_and_the_error_never_repeats_it() {
        let ca = TestCa::new("Test Root");
        let (pkcs8, chain) = ca.issue("Banken AB seal", Y2020, Y2040);
        let p12 = testkit::pkcs12(&pkcs8, &chain, "s3cret-Lösen");
        let key = SealKey::from_pkcs12(&p12, "s3cret-Lösen").unwrap();
        assert_eq!(key.algorithm(), Algorithm::EcdsaP256Sha256);
        assert_eq!(key.chain().len(), 2);
        let e = SealKey::from_pkcs12(&p12, "wrong-Lösen").unwrap_err();
        assert!(!e.contains("wrong-Lösen") && !e.contains("s3cret"), "{e}");
    }

    #[test]
    fn pdf_dates_read_back_as_written() {
        let t = DateTime::from_timestamp(1_767_225_600, 0).unwrap();
        assert_eq!(pdf_date(t), "D:20260101000000+00'00'");
        assert_eq!(parse_pdf_date(&pdf_date(t)), Some(t));
        assert_eq!(
            parse_pdf_date("D:20260101020000+02'00'"),
            Some(t),
            "an offset east of UTC is subtracted"
        );
        assert_eq!(parse_pdf_date("20260101"), None);
    }
}
