//! The seal's key and certificate chain: from a PKCS#12 file (its password from the caller,
//! never logged), RSA (PKCS#1 v1.5 with SHA-256, deterministic) or ECDSA P-256 (RFC 6979,
//! deterministic); or a PKCS#11 token that signs ([`super::pkcs11`]).

use der::Decode;
use der::referenced::OwnedToRef;
use x509_cert::Certificate;

/// The algorithms a seal is made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// RSA PKCS#1 v1.5 with SHA-256 (RFC 8017 §8.2).
    RsaSha256,
    /// ECDSA on P-256 with SHA-256 (FIPS 186-4), nonces by RFC 6979.
    EcdsaP256Sha256,
}

enum Private {
    Rsa(Box<rsa::pkcs1v15::SigningKey<sha2_10::Sha256>>),
    P256(p256::ecdsa::SigningKey),
    Token(Box<super::pkcs11::Token>),
}

/// A seal's private key and its certificate chain, the sealing certificate first.
pub struct SealKey {
    key: Private,
    chain: Vec<Certificate>,
}

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("SealKey")
            .field("algorithm", &self.algorithm())
            .field("chain", &self.chain.len())
            .finish()
    }
}

impl SealKey {
    /// Reads a PKCS#12 file (RFC 7292) holding one private key and its chain. The error never
    /// repeats the password.
    pub fn from_pkcs12(p12: &[u8], password: &str) -> Result<SealKey, String> {
        let store = p12_keystore::KeyStore::from_pkcs12(p12, password).map_err(|e| {
            let text = e.to_string();
            if text.to_ascii_lowercase().contains("mac") {
                "it cannot be opened with the password given (wrong password, or a damaged file)"
                    .to_owned()
            } else {
                "it cannot be read as PKCS#12 with the password given".to_owned()
            }
        })?;
        let (_, chain) = store
            .private_key_chain()
            .ok_or("it holds no private key with a certificate")?;
        let certs = chain
            .chain()
            .iter()
            .map(|c| Certificate::from_der(c.as_der()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| "a certificate in it cannot be read")?;
        SealKey::from_pkcs8(chain.key(), certs)
    }

    /// A key in PKCS#8 DER (RFC 5208) with its chain, the sealing certificate first.
    pub fn from_pkcs8(pkcs8: &[u8], chain: Vec<Certificate>) -> Result<SealKey, String> {
        use p256::pkcs8::DecodePrivateKey;
        let key = if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_der(pkcs8) {
            Private::Rsa(Box::new(rsa::pkcs1v15::SigningKey::new(k)))
        } else if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_der(pkcs8) {
            Private::P256(k)
        } else {
            return Err("its private key is neither RSA nor ECDSA P-256".into());
        };
        let key = SealKey { key, chain };
        let leaf = key.chain.first().ok_or("it holds no certificate")?;
        if !key.matches(leaf) {
            return Err("its first certificate is not the private key's".into());
        }
        Ok(key)
    }

    /// The key labelled `label` in the PKCS#11 token labelled `token` (loaded from the module
    /// `module`, logged in with `pin`), with its chain, the sealing certificate first. The
    /// token signs a probe to show that the certificate is its key's.
    pub fn from_pkcs11(
        module: &std::path::Path,
        token: &str,
        label: &str,
        pin: &str,
        chain: Vec<Certificate>,
    ) -> Result<SealKey, String> {
        let token = super::pkcs11::Token::open(module, token, label, pin)?;
        let key = SealKey {
            key: Private::Token(Box::new(token)),
            chain,
        };
        let leaf = key.chain.first().ok_or("the chain holds no certificate")?;
        let probe = b"notice-pdf: does this certificate hold the token's key?";
        let algorithm = match key.algorithm() {
            Algorithm::RsaSha256 => super::cms::SHA256_WITH_RSA,
            Algorithm::EcdsaP256Sha256 => super::cms::ECDSA_WITH_SHA256,
        };
        if !super::cms::verifies(leaf, algorithm, probe, &key.sign(probe)?) {
            return Err("the chain's first certificate is not the token key's".into());
        }
        Ok(key)
    }

    pub fn algorithm(&self) -> Algorithm {
        match &self.key {
            Private::Rsa(_) => Algorithm::RsaSha256,
            Private::P256(_) => Algorithm::EcdsaP256Sha256,
            Private::Token(t) => t.algorithm(),
        }
    }

    /// The chain, the sealing certificate first.
    pub fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    /// The signature of `message` (hashed with SHA-256 here): PKCS#1 v1.5 bytes, or an ECDSA
    /// signature in DER (RFC 5480 §2.2.3).
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        use rsa::signature::{SignatureEncoding, Signer};
        Ok(match &self.key {
            Private::Rsa(k) => k.sign(message).to_vec(),
            Private::P256(k) => {
                let s: p256::ecdsa::Signature = k.sign(message);
                s.to_der().as_bytes().to_vec()
            }
            Private::Token(t) => t.sign(message)?,
        })
    }

    /// Whether `cert` holds this key's public key.
    fn matches(&self, cert: &Certificate) -> bool {
        let spki = &cert.tbs_certificate.subject_public_key_info;
        match &self.key {
            Private::Rsa(k) => rsa::RsaPublicKey::try_from(spki.owned_to_ref())
                .is_ok_and(|p| p == rsa::RsaPublicKey::from(k.as_ref().as_ref())),
            Private::P256(k) => {
                k.verifying_key().to_encoded_point(false).as_bytes()
                    == spki.subject_public_key.raw_bytes()
            }
            Private::Token(_) => false,
        }
    }
}
