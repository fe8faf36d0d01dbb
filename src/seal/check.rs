//! Checking a seal: the byte range covers the whole file but the signature, the digest is the
//! one signed, the signature verifies with the sealing certificate, and its chain leads to a
//! trust anchor with every certificate valid at the signing time.

use der::Encode;
use x509_cert::Certificate;

use super::cms;
use crate::error::{Error, Result};
use crate::verify::read::{self, Obj};
use chrono::{DateTime, Utc};

/// The most certificates followed from the signer to an anchor.
const MAX_CHAIN: usize = 8;

/// Trust anchors: the certificates of the certification authorities a seal must lead to.
pub struct Anchors(pub Vec<Certificate>);

impl Anchors {
    /// Every certificate of a PEM file (RFC 7468).
    pub fn from_pem(pem: &[u8]) -> std::result::Result<Anchors, String> {
        let certs = Certificate::load_pem_chain(pem)
            .map_err(|_| "it is not a PEM file of certificates".to_owned())?;
        if certs.is_empty() {
            return Err("it holds no certificate".into());
        }
        Ok(Anchors(certs))
    }
}

/// A seal that checked out.
#[derive(Debug, Clone, PartialEq)]
pub struct Seal {
    /// The sealing certificate's subject (RFC 4514).
    pub signer: String,
    /// The subjects from the sealing certificate up to the trust anchor (when anchors were
    /// given), or of the certificates the seal carries.
    pub chain: Vec<String>,
    /// The signing time (`/M`).
    pub time: DateTime<Utc>,
    /// The time stamp over the signature (PAdES B-T), when there is one.
    pub time_stamp: Option<TimeStamp>,
    /// Whether the chain was checked against trust anchors.
    pub trusted: bool,
    /// The length of revision 1, the unsealed document, in bytes.
    pub revision1: usize,
    /// The length of the file, all of it covered by the seal but its `/Contents`.
    pub file_len: usize,
}

/// A time stamp over the seal's signature (RFC 3161), checked.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeStamp {
    /// The time the authority vouches for (`genTime`).
    pub time: DateTime<Utc>,
    /// The time-stamping authority's certificate's subject.
    pub authority: String,
}

fn invalid(message: impl Into<String>) -> Error {
    Error::SealInvalid {
        message: message.into(),
    }
}

/// The signature dictionary of the first signature field, when the file has one, and where
/// revision 1's cross-reference section is.
fn signature_dict(pdf: &[u8]) -> std::result::Result<Option<(Obj, usize)>, String> {
    let mut doc = read::Pdf::open(pdf)?;
    let prev = doc.trailer.get(b"Prev").map(|_| doc.first_section);
    let Some(Obj::Ref(root)) = doc.trailer.get(b"Root").cloned() else {
        return Err("it has no catalog".into());
    };
    let catalog = doc.get(root)?;
    let Some(form) = catalog.get(b"AcroForm") else {
        return Ok(None);
    };
    let form = doc.resolve(form)?;
    let Some(Obj::Array(fields)) = form.get(b"Fields").map(|f| doc.resolve(f)).transpose()? else {
        return Ok(None);
    };
    for f in fields.iter().take(64) {
        let field = doc.resolve(f)?;
        if field.get(b"FT") != Some(&Obj::Name(b"Sig".to_vec())) {
            continue;
        }
        if let Some(v) = field.get(b"V") {
            let sig = doc.resolve(v)?;
            let Some(prev) = prev else {
                return Err("its signature is not in an update of the document".into());
            };
            return Ok(Some((sig, prev)));
        }
    }
    Ok(None)
}

/// The document as it was before it was sealed (revision 1), or all of `pdf` when it has no
/// seal.
pub fn first_revision(pdf: &[u8]) -> &[u8] {
    match signature_dict(pdf) {
        Ok(Some((_, prev))) => revision_end(pdf, prev).map_or(pdf, |end| &pdf[..end]),
        _ => pdf,
    }
}

/// Where the revision whose cross-reference section is at `xref` ends: after its `%%EOF`
/// and the end of that line.
fn revision_end(pdf: &[u8], xref: usize) -> Option<usize> {
    let eof = xref + memchr::memmem::find(pdf.get(xref..)?, b"%%EOF")? + 5;
    let eol = pdf[eof..]
        .iter()
        .take(2)
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .count();
    Some(eof + eol)
}

/// Checks the seal of `pdf`: `Ok(None)` when it has none, an error naming what is wrong when
/// it does not hold. Without `anchors`, everything but the trust in the chain is checked.
pub fn check(pdf: &[u8], anchors: Option<&Anchors>) -> Result<Option<Seal>> {
    let (sig, prev) = match signature_dict(pdf) {
        Ok(Some(found)) => found,
        Ok(None) => return Ok(None),
        Err(why) => return Err(invalid(format!("its signature cannot be read: {why}"))),
    };
    let Some(Obj::Array(range)) = sig.get(b"ByteRange") else {
        return Err(invalid("the signature has no /ByteRange"));
    };
    let range: Vec<usize> = range
        .iter()
        .map(|v| match v {
            Obj::Int(n) => usize::try_from(*n).ok(),
            _ => None,
        })
        .collect::<Option<_>>()
        .ok_or_else(|| invalid("its /ByteRange is not four numbers"))?;
    let [0, gap_start, gap_end, tail] = range[..] else {
        return Err(invalid(
            "its /ByteRange does not begin at the start of the file",
        ));
    };
    let covered_end = gap_end.saturating_add(tail);
    if covered_end != pdf.len() {
        return Err(invalid(format!(
            "its byte range does not cover the whole file: it ends at byte {covered_end}, the file has {} bytes (something was added after sealing)",
            pdf.len()
        )));
    }
    let gap = pdf
        .get(gap_start..gap_end)
        .filter(|g| g.len() >= 2 && g[0] == b'<' && g[g.len() - 1] == b'>')
        .filter(|g| g[1..g.len() - 1].iter().all(u8::is_ascii_hexdigit))
        .ok_or_else(|| invalid("its byte range leaves out more than the signature's /Contents"))?;
    let contents: Vec<u8> = gap[1..gap.len() - 1]
        .chunks(2)
        .map(|h| u8::from_str_radix(std::str::from_utf8(h).unwrap_or("0"), 16).unwrap_or(0))
        .collect();
    let signed = match sig.get(b"Contents") {
        Some(Obj::Str(s)) => s,
        _ => return Err(invalid("the signature has no /Contents")),
    };
    if *signed != contents {
        return Err(invalid(
            "its byte range leaves out something other than the signature's /Contents",
        ));
    }
    let parsed = cms::parse(&contents).map_err(invalid)?;
    let digest = {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(&pdf[..gap_start]);
        h.update(&pdf[gap_end..]);
        <[u8; 32]>::from(h.finalize())
    };
    if parsed.message_digest != digest {
        return Err(invalid(
            "the file has changed since it was sealed: the SHA-256 of the bytes the seal covers is not the one it signed",
        ));
    }
    let signer_der = parsed
        .signer
        .to_der()
        .map_err(|_| invalid("its certificate cannot be encoded"))?;
    if parsed.ess_cert_hash.as_deref() != Some(&cms::digest(&signer_der)[..]) {
        return Err(invalid(
            "its signing-certificate-v2 attribute does not name the certificate it was signed with",
        ));
    }
    if !cms::verifies(
        &parsed.signer,
        parsed.signature_algorithm,
        &parsed.signed_attrs_der,
        &parsed.signature,
    ) {
        return Err(invalid(
            "its signature does not verify with the certificate it carries",
        ));
    }
    let time = match sig.get(b"M") {
        Some(Obj::Str(m)) => std::str::from_utf8(m).ok().and_then(super::parse_pdf_date),
        _ => None,
    }
    .ok_or_else(|| invalid("the signature has no signing time (/M)"))?;
    // B-T: the time stamp over the signature, its authority's chain; the seal's certificates
    // are then judged at the time the authority vouches for.
    let time_stamp = match &parsed.time_stamp_token {
        Some(token) => {
            let (info, tsa) = super::tsa::read_token(token)
                .map_err(|why| invalid(format!("its time stamp does not hold: {why}")))?;
            if info.message_imprint.hashed_message.as_bytes() != cms::digest(&parsed.signature) {
                return Err(invalid(
                    "its time stamp does not hold: it is over another signature",
                ));
            }
            let secs = info.gen_time.to_unix_duration().as_secs();
            let at = DateTime::from_timestamp(i64::try_from(secs).unwrap_or(i64::MAX), 0)
                .ok_or_else(|| invalid("its time stamp's time is out of range"))?;
            if let Some(anchors) = anchors {
                chain_to_anchor(&tsa.signer, &tsa.certificates, anchors, at)
                    .map_err(|e| invalid(format!("its time stamp does not hold: {e}")))?;
            }
            Some(TimeStamp {
                time: at,
                authority: subject(&tsa.signer),
            })
        }
        None => None,
    };
    let judged_at = time_stamp.as_ref().map_or(time, |t| t.time);
    let chain = match anchors {
        Some(anchors) => {
            let (names, chain) =
                chain_to_anchor(&parsed.signer, &parsed.certificates, anchors, judged_at)?;
            // Nothing unchecked rides along: every certificate carried is in the chain.
            if let Some(odd) = parsed.certificates.iter().find(|c| !chain.contains(c)) {
                return Err(invalid(format!(
                    "it carries a certificate that is not in its chain to the anchor: {}",
                    subject(odd)
                )));
            }
            names
        }
        None => {
            valid_at(&parsed.signer, judged_at)?;
            parsed.certificates.iter().map(subject).collect()
        }
    };
    Ok(Some(Seal {
        signer: subject(&parsed.signer),
        chain,
        time,
        time_stamp,
        trusted: anchors.is_some(),
        revision1: revision_end(pdf, prev).unwrap_or(0),
        file_len: pdf.len(),
    }))
}

fn subject(c: &Certificate) -> String {
    c.tbs_certificate.subject.to_string()
}

/// An error unless `cert` was valid at `time`.
fn valid_at(cert: &Certificate, time: DateTime<Utc>) -> Result<()> {
    let v = &cert.tbs_certificate.validity;
    let secs = |t: x509_cert::time::Time| t.to_unix_duration().as_secs() as i64;
    let at = time.timestamp();
    let day = |s: i64| {
        DateTime::from_timestamp(s, 0).map_or(String::new(), |d| d.format("%Y-%m-%d").to_string())
    };
    if at < secs(v.not_before) {
        return Err(invalid(format!(
            "the certificate {} was not yet valid at the signing time {} (valid from {})",
            subject(cert),
            time.format("%Y-%m-%d %H:%M:%S UTC"),
            day(secs(v.not_before))
        )));
    }
    if at > secs(v.not_after) {
        return Err(invalid(format!(
            "the certificate {} had expired at the signing time {} (valid until {})",
            subject(cert),
            time.format("%Y-%m-%d %H:%M:%S UTC"),
            day(secs(v.not_after))
        )));
    }
    Ok(())
}

/// Whether `cert` may issue certificates: its basic constraints say it is a certification
/// authority (RFC 5280 §4.2.1.9).
fn is_ca(cert: &Certificate) -> bool {
    use x509_cert::ext::pkix::BasicConstraints;
    matches!(
        cert.tbs_certificate.get::<BasicConstraints>(),
        Ok(Some((_, BasicConstraints { ca: true, .. })))
    )
}

/// An error unless `issuer`, which signed a certificate of the chain, is a certification
/// authority.
fn may_issue(issuer: &Certificate) -> Result<()> {
    if is_ca(issuer) {
        Ok(())
    } else {
        Err(invalid(format!(
            "its certificate is not trusted: it was issued by {}, which is not a certification authority",
            subject(issuer)
        )))
    }
}

/// Whether `issuer` signed `cert`.
fn issued(issuer: &Certificate, cert: &Certificate) -> bool {
    issuer.tbs_certificate.subject == cert.tbs_certificate.issuer
        && cert.tbs_certificate.to_der().is_ok_and(|tbs| {
            cms::verifies(
                issuer,
                cert.signature_algorithm.oid,
                &tbs,
                cert.signature.raw_bytes(),
            )
        })
}

/// The subjects from `signer` up to an anchor, each certificate valid at `time` and signed by
/// the next (the intermediates from among `carried`), and those certificates.
fn chain_to_anchor(
    signer: &Certificate,
    carried: &[Certificate],
    anchors: &Anchors,
    time: DateTime<Utc>,
) -> Result<(Vec<String>, Vec<Certificate>)> {
    let mut chain = vec![signer.clone()];
    let names = |chain: &[Certificate]| chain.iter().map(subject).collect::<Vec<_>>();
    for _ in 0..MAX_CHAIN {
        let cur = chain.last().expect("the signer at least").clone();
        valid_at(&cur, time)?;
        if anchors.0.contains(&cur) {
            return Ok((names(&chain), chain));
        }
        if let Some(anchor) = anchors.0.iter().find(|a| issued(a, &cur)) {
            valid_at(anchor, time)?;
            may_issue(anchor)?;
            chain.push(anchor.clone());
            return Ok((names(&chain), chain));
        }
        let Some(next) = carried
            .iter()
            .find(|c| !chain.contains(c) && issued(c, &cur))
        else {
            break;
        };
        may_issue(next)?;
        chain.push(next.clone());
    }
    Err(invalid(format!(
        "its certificate is not trusted: the chain {} does not lead to the trust anchor given ({})",
        names(&chain).join(" ← "),
        anchors.0.iter().map(subject).collect::<Vec<_>>().join(", ")
    )))
}

/// Whether `pdf` carries a seal made with `key`'s certificate (the seal itself unchecked).
pub fn sealed_by(pdf: &[u8], key: &super::SealKey) -> bool {
    let Ok(Some((sig, _))) = signature_dict(pdf) else {
        return false;
    };
    match sig.get(b"Contents") {
        Some(Obj::Str(contents)) => {
            cms::parse(contents).is_ok_and(|p| key.chain().first() == Some(&p.signer))
        }
        _ => false,
    }
}
