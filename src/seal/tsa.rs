//! PAdES B-T: an RFC 3161 time stamp over the seal's signature, from a time-stamping
//! authority over plain HTTP (RFC 3161 §3.4; tokens are signed, so TSAs serve them over HTTP),
//! and the reading of one.

use std::io::{Read, Write};
use std::time::Duration;

use der::asn1::{GeneralizedTime, Int, ObjectIdentifier as Oid, OctetString};
use der::{Encode, Reader, Sequence};
use x509_cert::spki::AlgorithmIdentifierOwned;

use super::cms::{self, SHA256, TimeStamper};

/// The most bytes read from a TSA's answer.
const MAX_RESPONSE: u64 = 1 << 20;

/// MessageImprint (RFC 3161 §2.4.1).
#[derive(Clone, Debug, Sequence)]
pub struct MessageImprint {
    pub hash_algorithm: AlgorithmIdentifierOwned,
    pub hashed_message: OctetString,
}

impl MessageImprint {
    pub fn sha256(digest: &[u8; 32]) -> der::Result<MessageImprint> {
        Ok(MessageImprint {
            hash_algorithm: AlgorithmIdentifierOwned {
                oid: SHA256,
                parameters: None,
            },
            hashed_message: OctetString::new(digest.to_vec())?,
        })
    }
}

/// TimeStampReq (RFC 3161 §2.4.1) as this client sends it: no policy, no nonce, the TSA's
/// certificate asked for.
#[derive(Clone, Debug, Sequence)]
pub struct TimeStampReq {
    pub version: u8,
    pub message_imprint: MessageImprint,
    pub cert_req: bool,
}

/// The first fields of TSTInfo (RFC 3161 §2.4.2), the ones a check needs; a token may carry
/// more after them.
#[derive(Clone, Debug, Sequence)]
pub struct TstInfo {
    pub version: u8,
    pub policy: Oid,
    pub message_imprint: MessageImprint,
    pub serial_number: Int,
    pub gen_time: GeneralizedTime,
}

impl TstInfo {
    /// Reads a TSTInfo, ignoring the optional fields after `genTime`.
    pub fn read(der: &[u8]) -> der::Result<TstInfo> {
        let mut r = der::SliceReader::new(der)?;
        r.sequence(|r| {
            let info = TstInfo {
                version: r.decode()?,
                policy: r.decode()?,
                message_imprint: r.decode()?,
                serial_number: r.decode()?,
                gen_time: r.decode()?,
            };
            let rest = r.remaining_len();
            r.read_slice(rest)?;
            Ok(info)
        })
    }
}

/// A TSA at an `http://` address.
pub struct HttpTsa {
    host: String,
    port: u16,
    path: String,
}

impl HttpTsa {
    /// The TSA at `url` (`http://host[:port]/path`).
    pub fn new(url: &str) -> Result<HttpTsa, String> {
        let rest = url.strip_prefix("http://").ok_or_else(|| {
            format!(
                "the time-stamping authority's address must begin with http:// (RFC 3161 over HTTP): {}",
                crate::error::quoted(url)
            )
        })?;
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.parse().map_err(|_| "the TSA's port is not a number")?),
            None => (authority, 80),
        };
        if host.is_empty() {
            return Err("the TSA's address has no host".into());
        }
        Ok(HttpTsa {
            host: host.to_owned(),
            port,
            path: if path.is_empty() { "/" } else { path }.to_owned(),
        })
    }

    fn post(&self, body: &[u8]) -> std::io::Result<Vec<u8>> {
        use std::net::ToSocketAddrs;
        let addr = (self.host.as_str(), self.port)
            .to_socket_addrs()?
            .next()
            .ok_or_else(|| std::io::Error::other("no address"))?;
        let mut s = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(10))?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        s.set_write_timeout(Some(Duration::from_secs(30)))?;
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/timestamp-query\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.path,
            self.host,
            body.len()
        );
        s.write_all(head.as_bytes())?;
        s.write_all(body)?;
        let mut answer = Vec::new();
        s.take(MAX_RESPONSE).read_to_end(&mut answer)?;
        Ok(answer)
    }
}

impl TimeStamper for HttpTsa {
    fn stamp(&self, digest: &[u8; 32]) -> Result<Vec<u8>, String> {
        let fail = |what: &str| format!("the time-stamping authority {}: {what}", self.host);
        let req = TimeStampReq {
            version: 1,
            message_imprint: MessageImprint::sha256(digest).map_err(|_| fail("request"))?,
            cert_req: true,
        }
        .to_der()
        .map_err(|_| fail("the request cannot be encoded"))?;
        let answer = self
            .post(&req)
            .map_err(|e| fail(&format!("cannot be reached: {e}")))?;
        let end = memchr::memmem::find(&answer, b"\r\n\r\n")
            .ok_or_else(|| fail("its answer is not HTTP"))?;
        let head = String::from_utf8_lossy(&answer[..end]).to_ascii_lowercase();
        if !head.starts_with("http/1.1 200") && !head.starts_with("http/1.0 200") {
            let status = head.lines().next().unwrap_or_default().to_owned();
            return Err(fail(&format!(
                "it answered {}",
                crate::error::quoted(&status)
            )));
        }
        if head.contains("transfer-encoding: chunked") {
            return Err(fail(
                "it answered in chunks, which this client does not read",
            ));
        }
        token_of(&answer[end + 4..], digest).map_err(|why| fail(&why))
    }
}

/// The token of a TimeStampResp (RFC 3161 §2.4.2), granted, over `digest`.
fn token_of(resp: &[u8], digest: &[u8; 32]) -> Result<Vec<u8>, String> {
    let mut r = der::SliceReader::new(resp).map_err(|_| "its answer is empty")?;
    let (status, token) = r
        .sequence(|r| {
            let status: u8 = r.sequence(|r| {
                let s = r.decode()?;
                let rest = r.remaining_len();
                r.read_slice(rest)?;
                Ok(s)
            })?;
            let token: Option<der::Any> = r.decode()?;
            Ok((status, token))
        })
        .map_err(|_| "its answer is not a TimeStampResp")?;
    if status > 1 {
        return Err(format!("it refused the request (PKIStatus {status})"));
    }
    let token = token
        .ok_or("its answer carries no token")?
        .to_der()
        .map_err(|_| "its token cannot be encoded")?;
    let (info, _) = read_token(&token)?;
    if info.message_imprint.hashed_message.as_bytes() != digest {
        return Err("its token is over another signature".into());
    }
    Ok(token)
}

/// A token's TSTInfo and its SignedData, the TSA's signature over it checked (not its
/// certificate's trust).
pub fn read_token(token: &[u8]) -> Result<(TstInfo, cms::Parsed), String> {
    let p = cms::parse_token(token).map_err(|e| format!("its token cannot be read: {e}"))?;
    let content = p
        .econtent
        .as_deref()
        .filter(|_| p.content_type == Some(cms::ID_CT_TST_INFO))
        .ok_or("its token carries no TSTInfo")?;
    if p.message_digest != cms::digest(content) {
        return Err("its token's TSTInfo is not the one signed".into());
    }
    if !cms::verifies(
        &p.signer,
        p.signature_algorithm,
        &p.signed_attrs_der,
        &p.signature,
    ) {
        return Err("its token's signature does not verify".into());
    }
    let info = TstInfo::read(content).map_err(|_| "its token's TSTInfo cannot be read")?;
    Ok((info, p))
}
