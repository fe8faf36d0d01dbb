//! A seal key in a PKCS#11 token (an HSM in production, softhsm2 in the tests), through
//! `cryptoki`: the key never leaves the token; the token signs. RSA with CKM_SHA256_RSA_PKCS,
//! ECDSA P-256 with CKM_ECDSA over the SHA-256 (the raw r‖s it returns is written as DER).

use std::path::Path;

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::types::AuthPin;

use super::key::Algorithm;

/// A logged-in session on a token and the handle of the seal's private key in it.
pub struct Token {
    session: Session,
    key: ObjectHandle,
    algorithm: Algorithm,
}

impl Token {
    /// Opens the token labelled `token` through the PKCS#11 module `module`, logs in with
    /// `pin` and finds the private key labelled `label`. Errors never repeat the PIN.
    pub fn open(module: &Path, token: &str, label: &str, pin: &str) -> Result<Token, String> {
        let fail = |what: &str, e: cryptoki::error::Error| format!("{what}: {e}");
        let pkcs11 =
            Pkcs11::new(module).map_err(|e| fail("the PKCS#11 module cannot be loaded", e))?;
        pkcs11
            .initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
            .map_err(|e| fail("the PKCS#11 module cannot be initialised", e))?;
        let slots = pkcs11
            .get_slots_with_token()
            .map_err(|e| fail("its tokens cannot be listed", e))?;
        let slot = slots
            .into_iter()
            .find(|s| {
                pkcs11
                    .get_token_info(*s)
                    .is_ok_and(|i| i.label().trim_end() == token)
            })
            .ok_or_else(|| format!("no token is labelled {}", crate::error::quoted(token)))?;
        let session = pkcs11
            .open_ro_session(slot)
            .map_err(|e| fail("a session on the token cannot be opened", e))?;
        session
            .login(UserType::User, Some(&AuthPin::new(Box::from(pin))))
            .map_err(|_| "the token refuses the PIN given".to_owned())?;
        let keys = session
            .find_objects(&[
                Attribute::Class(ObjectClass::PRIVATE_KEY),
                Attribute::Label(label.as_bytes().to_vec()),
            ])
            .map_err(|e| fail("its keys cannot be listed", e))?;
        let [key] = keys[..] else {
            return Err(format!(
                "the token holds {} private keys labelled {}; it must hold one",
                keys.len(),
                crate::error::quoted(label)
            ));
        };
        let kind = session
            .get_attributes(key, &[AttributeType::KeyType])
            .map_err(|e| fail("the key's type cannot be read", e))?;
        let algorithm = match kind.first() {
            Some(Attribute::KeyType(t)) if *t == KeyType::RSA => Algorithm::RsaSha256,
            Some(Attribute::KeyType(t)) if *t == KeyType::EC => Algorithm::EcdsaP256Sha256,
            _ => return Err("the token's key is neither RSA nor EC".into()),
        };
        Ok(Token {
            session,
            key,
            algorithm,
        })
    }

    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The signature of `message`, as [`super::SealKey::sign`] gives it.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        let fail = |e: cryptoki::error::Error| format!("the token cannot sign: {e}");
        match self.algorithm {
            Algorithm::RsaSha256 => self
                .session
                .sign(&Mechanism::Sha256RsaPkcs, self.key, message)
                .map_err(fail),
            Algorithm::EcdsaP256Sha256 => {
                let digest = super::cms::digest(message);
                let raw = self
                    .session
                    .sign(&Mechanism::Ecdsa, self.key, &digest)
                    .map_err(fail)?;
                let sig = p256::ecdsa::Signature::from_slice(&raw)
                    .map_err(|_| "the token's ECDSA signature is not P-256".to_owned())?;
                // Low-S, as RFC 6979 signers write it (either verifies).
                let sig = sig.normalize_s().unwrap_or(sig);
                Ok(sig.to_der().as_bytes().to_vec())
            }
        }
    }
}
