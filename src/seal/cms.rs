//! The seal's CMS SignedData (RFC 5652), detached, as PAdES baseline B-B asks (ETSI EN 319
//! 142-1 §5.3 and §6.3, ETSI EN 319 122-1 §5.2): signed attributes content-type,
//! message-digest and signing-certificate-v2 (RFC 5035), no signing-time (the signature
//! dictionary's `/M` holds the time), the certificate chain embedded.

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{ObjectIdentifier as Oid, OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::AlgorithmIdentifierOwned;

use super::key::{Algorithm, SealKey};

pub const ID_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
pub const ID_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
pub const SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
pub const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
pub const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");

/// SigningCertificateV2 (RFC 5035 §3).
#[derive(Sequence)]
pub struct SigningCertificateV2 {
    pub certs: Vec<EssCertIdV2>,
}

/// ESSCertIDv2 (RFC 5035 §4): the hash algorithm is the default, SHA-256, so it is absent.
#[derive(Sequence)]
pub struct EssCertIdV2 {
    pub cert_hash: OctetString,
    pub issuer_serial: Option<IssuerSerial>,
}

/// IssuerSerial (RFC 5035 §4).
#[derive(Sequence)]
pub struct IssuerSerial {
    pub issuer: Vec<GeneralName>,
    pub serial_number: SerialNumber,
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

fn attribute(oid: Oid, value: impl Encode) -> der::Result<Attribute> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![Any::from_der(&value.to_der()?)?])?,
    })
}

fn algorithm(oid: Oid) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid,
        parameters: None,
    }
}

pub const SIGNATURE_TIME_STAMP_TOKEN: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.14");
pub const ID_CT_TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");

/// What a SignedData signs: detached content (the PDF's byte range, by its SHA-256), or
/// content it carries (a time stamp's TSTInfo, RFC 3161 §2.4.2).
pub enum Content<'a> {
    Detached { digest: &'a [u8; 32] },
    Carried { content_type: Oid, der: &'a [u8] },
}

/// Something that returns an RFC 3161 time-stamp token (a ContentInfo, DER) over a SHA-256.
pub trait TimeStamper {
    fn stamp(&self, digest: &[u8; 32]) -> Result<Vec<u8>, String>;
}

/// The DER of a detached CMS SignedData over content whose SHA-256 is `digest`; with a
/// time stamp over its signature from `tsa` (PAdES B-T) when given.
pub fn signed_data(
    digest: &[u8; 32],
    key: &SealKey,
    tsa: Option<&dyn TimeStamper>,
) -> Result<Vec<u8>, String> {
    signed_data_of(Content::Detached { digest }, key, tsa)
}

/// The DER of a CMS SignedData over `content`, signed by `key`.
pub fn signed_data_of(
    content: Content,
    key: &SealKey,
    tsa: Option<&dyn TimeStamper>,
) -> Result<Vec<u8>, String> {
    let der = |e: der::Error| format!("the signature cannot be encoded: {e}");
    signed_data_der(content, key, tsa).map_err(der)?
}

fn signed_data_der(
    content: Content,
    key: &SealKey,
    tsa: Option<&dyn TimeStamper>,
) -> der::Result<Result<Vec<u8>, String>> {
    let (content_type, digest, econtent) = match content {
        Content::Detached { digest } => (ID_DATA, *digest, None),
        Content::Carried { content_type, der } => (
            content_type,
            sha256(der),
            Some(Any::from_der(&OctetString::new(der.to_vec())?.to_der()?)?),
        ),
    };
    let leaf = &key.chain()[0];
    let tbs = &leaf.tbs_certificate;
    let ess = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(sha256(&leaf.to_der()?))?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(tbs.issuer.clone())],
                serial_number: tbs.serial_number.clone(),
            }),
        }],
    };
    let attrs = SetOfVec::try_from(vec![
        attribute(CONTENT_TYPE, content_type)?,
        attribute(MESSAGE_DIGEST, OctetString::new(digest.to_vec())?)?,
        attribute(SIGNING_CERTIFICATE_V2, ess)?,
    ])?;
    // The signature is over the attributes' DER as a SET (RFC 5652 §5.4).
    let signature = match key.sign(&attrs.to_der()?) {
        Ok(s) => s,
        Err(why) => return Ok(Err(why)),
    };
    let signature_algorithm = match key.algorithm() {
        Algorithm::RsaSha256 => AlgorithmIdentifierOwned {
            oid: SHA256_WITH_RSA,
            parameters: Some(Any::from(der::asn1::Null)),
        },
        Algorithm::EcdsaP256Sha256 => algorithm(ECDSA_WITH_SHA256),
    };
    let signer = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: tbs.issuer.clone(),
            serial_number: tbs.serial_number.clone(),
        }),
        digest_alg: algorithm(SHA256),
        signed_attrs: Some(attrs),
        signature_algorithm,
        unsigned_attrs: match tsa {
            Some(tsa) => match tsa.stamp(&sha256(&signature)) {
                Ok(token) => Some(SetOfVec::try_from(vec![Attribute {
                    oid: SIGNATURE_TIME_STAMP_TOKEN,
                    values: SetOfVec::try_from(vec![Any::from_der(&token)?])?,
                }])?),
                Err(why) => return Ok(Err(why)),
            },
            None => None,
        },
        signature: OctetString::new(signature)?,
    };
    let certificates = key
        .chain()
        .iter()
        .map(|c| CertificateChoices::Certificate(c.clone()))
        .collect::<Vec<_>>();
    let data = SignedData {
        // RFC 5652 §5.1: 3 when the content is not id-data (a time stamp's TSTInfo).
        version: if content_type == ID_DATA {
            CmsVersion::V1
        } else {
            CmsVersion::V3
        },
        digest_algorithms: SetOfVec::try_from(vec![algorithm(SHA256)])?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: content_type,
            econtent,
        },
        certificates: Some(CertificateSet(SetOfVec::try_from(certificates)?)),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer])?),
    };
    let info = ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&data)?,
    };
    Ok(Ok(info.to_der()?))
}

/// What a seal's SignedData says, read back.
pub struct Parsed {
    pub signer: Certificate,
    pub certificates: Vec<Certificate>,
    pub message_digest: Vec<u8>,
    /// The hash of the signing certificate that signing-certificate-v2 names.
    pub ess_cert_hash: Option<Vec<u8>>,
    /// The DER of the signed attributes as a SET, what the signature is over.
    pub signed_attrs_der: Vec<u8>,
    pub signature_algorithm: Oid,
    pub signature: Vec<u8>,
    /// The content type the signed attributes name.
    pub content_type: Option<Oid>,
    /// The content carried (a time stamp's TSTInfo), when it is not detached.
    pub econtent: Option<Vec<u8>>,
    /// The time-stamp token among the unsigned attributes (PAdES B-T), DER.
    pub time_stamp_token: Option<Vec<u8>>,
}

/// Reads a SignedData from `/Contents` (the zeros after it ignored).
pub fn parse(contents: &[u8]) -> Result<Parsed, String> {
    let bad = |what: &str| format!("the seal's signature cannot be read: {what}");
    let mut reader = der::SliceReader::new(contents).map_err(|_| bad("it is empty"))?;
    let info = ContentInfo::decode(&mut reader).map_err(|_| bad("it is not CMS"))?;
    // What follows the SignedData in `/Contents` is padding: zeros, nothing else.
    let used = usize::try_from(u32::from(der::Reader::position(&reader))).unwrap_or(usize::MAX);
    if contents
        .get(used..)
        .is_none_or(|rest| rest.iter().any(|&b| b != 0))
    {
        return Err(bad("its padding is not zeros: it was changed"));
    }
    parse_info(info).map_err(|what| bad(&what))
}

/// Reads a SignedData's ContentInfo (a seal's, or a time-stamp token's).
pub fn parse_token(der: &[u8]) -> Result<Parsed, String> {
    let info = ContentInfo::from_der(der).map_err(|_| "it is not CMS".to_owned())?;
    parse_info(info)
}

fn parse_info(info: ContentInfo) -> Result<Parsed, String> {
    let bad = |what: &str| what.to_owned();
    if info.content_type != ID_SIGNED_DATA {
        return Err(bad("it is not a CMS SignedData"));
    }
    let data: SignedData = info
        .content
        .decode_as()
        .map_err(|_| bad("its SignedData is damaged"))?;
    let certificates: Vec<Certificate> = data
        .certificates
        .iter()
        .flat_map(|s| s.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c.clone()),
            CertificateChoices::Other(_) => None,
        })
        .collect();
    let [signer_info] = data.signer_infos.0.as_slice() else {
        return Err(bad("it has not exactly one signer"));
    };
    let SignerIdentifier::IssuerAndSerialNumber(sid) = &signer_info.sid else {
        return Err(bad("its signer is not named by issuer and serial number"));
    };
    let signer = certificates
        .iter()
        .find(|c| {
            c.tbs_certificate.issuer == sid.issuer
                && c.tbs_certificate.serial_number == sid.serial_number
        })
        .cloned()
        .ok_or_else(|| bad("it does not carry its signer's certificate"))?;
    if signer_info.digest_alg.oid != SHA256 {
        return Err(bad("its digest is not SHA-256"));
    }
    let attrs = signer_info
        .signed_attrs
        .as_ref()
        .ok_or_else(|| bad("it has no signed attributes"))?;
    let value = |oid: Oid| {
        attrs
            .iter()
            .find(|a| a.oid == oid)
            .and_then(|a| a.values.get(0))
    };
    let message_digest = value(MESSAGE_DIGEST)
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .ok_or_else(|| bad("it has no message digest"))?
        .into_bytes();
    let ess_cert_hash = value(SIGNING_CERTIFICATE_V2)
        .and_then(|v| v.decode_as::<SigningCertificateV2>().ok())
        .and_then(|s| s.certs.into_iter().next())
        .map(|c| c.cert_hash.into_bytes());
    let content_type = value(CONTENT_TYPE).and_then(|v| v.decode_as::<Oid>().ok());
    let econtent = data
        .encap_content_info
        .econtent
        .as_ref()
        .and_then(|c| c.decode_as::<OctetString>().ok())
        .map(OctetString::into_bytes);
    let time_stamp_token = signer_info
        .unsigned_attrs
        .iter()
        .flat_map(|a| a.iter())
        .find(|a| a.oid == SIGNATURE_TIME_STAMP_TOKEN)
        .and_then(|a| a.values.get(0))
        .and_then(|v| v.to_der().ok());
    Ok(Parsed {
        content_type,
        econtent,
        time_stamp_token,
        signer,
        certificates,
        message_digest,
        ess_cert_hash,
        signed_attrs_der: attrs.to_der().map_err(|_| bad("its attributes"))?,
        signature_algorithm: signer_info.signature_algorithm.oid,
        signature: signer_info.signature.as_bytes().to_vec(),
    })
}

/// Whether `signature` over `message` verifies with the public key of `cert`, by `algorithm`
/// (SHA-256 with RSA PKCS#1 v1.5 or with ECDSA P-256).
pub fn verifies(cert: &Certificate, algorithm: Oid, message: &[u8], signature: &[u8]) -> bool {
    use rsa::pkcs8::DecodePublicKey;
    use rsa::signature::Verifier;
    let Ok(spki) = cert.tbs_certificate.subject_public_key_info.to_der() else {
        return false;
    };
    match algorithm {
        a if a == SHA256_WITH_RSA || a == RSA_ENCRYPTION => {
            let Ok(public) = rsa::RsaPublicKey::from_public_key_der(&spki) else {
                return false;
            };
            let Ok(sig) = rsa::pkcs1v15::Signature::try_from(signature) else {
                return false;
            };
            rsa::pkcs1v15::VerifyingKey::<sha2_10::Sha256>::new(public)
                .verify(message, &sig)
                .is_ok()
        }
        a if a == ECDSA_WITH_SHA256 => {
            let Ok(public) = p256::ecdsa::VerifyingKey::from_public_key_der(&spki) else {
                return false;
            };
            let Ok(sig) = p256::ecdsa::Signature::from_der(signature) else {
                return false;
            };
            public.verify(message, &sig).is_ok()
        }
        _ => false,
    }
}

pub fn digest(bytes: &[u8]) -> [u8; 32] {
    sha256(bytes)
}
