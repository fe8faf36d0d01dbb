//! Test-only: a throwaway certification authority and seal certificates, made in the test
//! (keys derived from a name, so runs are reproducible; nothing secret is committed). Shared
//! by the library's unit tests and the integration tests (`#[path]`).

use std::time::Duration;

use der::Encode;
use p256::ecdsa::{DerSignature, SigningKey};
use p256::pkcs8::EncodePrivateKey;
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::{Time, Validity};

/// 2020-01-01 and 2040-01-01, as seconds since 1970.
pub const Y2020: u64 = 1_577_836_800;
pub const Y2040: u64 = 2_208_988_800;

fn key_from(name: &str) -> SigningKey {
    use sha2::Digest;
    let seed = sha2::Sha256::digest(format!("notice-pdf test key {name}").as_bytes());
    SigningKey::from_slice(&seed).expect("a SHA-256 is a P-256 scalar but with odds 2^-32")
}

fn validity(from: u64, until: u64) -> Validity {
    let t = |s: u64| {
        Time::UtcTime(der::asn1::UtcTime::from_unix_duration(Duration::from_secs(s)).unwrap())
    };
    Validity {
        not_before: t(from),
        not_after: t(until),
    }
}

/// A test CA: its certificate and key.
pub struct TestCa {
    pub cert: Certificate,
    key: SigningKey,
}

impl TestCa {
    /// A root CA named `CN=<name>`, valid 2020–2040.
    pub fn new(name: &str) -> TestCa {
        let key = key_from(name);
        let subject: Name = format!("CN={name},O=notice-pdf tests").parse().unwrap();
        let spki = SubjectPublicKeyInfoOwned::from_key(*key.verifying_key()).unwrap();
        let cert = CertificateBuilder::new(
            Profile::Root,
            SerialNumber::from(1u32),
            validity(Y2020, Y2040),
            subject,
            spki,
            &key,
        )
        .unwrap()
        .build::<DerSignature>()
        .unwrap();
        TestCa { cert, key }
    }

    /// A "CA" that is a seal certificate `CN=<name>` this CA issued, with its key: what an
    /// impostor holding some certificate of the CA would issue with.
    pub fn leaf_as_issuer(&self, name: &str) -> TestCa {
        let (_, chain) = self.issue(name, Y2020, Y2040);
        TestCa {
            cert: chain[0].clone(),
            key: key_from(name),
        }
    }

    /// The CA's certificate as PEM, a trust anchor for `verify --trust`.
    pub fn pem(&self) -> String {
        use der::EncodePem;
        self.cert.to_pem(der::pem::LineEnding::LF).unwrap()
    }

    /// A seal certificate `CN=<name>` for a P-256 key, valid from `from` until `until`
    /// (seconds since 1970): its key in PKCS#8 DER and its chain (it, then the CA).
    pub fn issue(&self, name: &str, from: u64, until: u64) -> (Vec<u8>, Vec<Certificate>) {
        let key = key_from(name);
        let subject: Name = format!("CN={name},O=notice-pdf tests").parse().unwrap();
        let spki = SubjectPublicKeyInfoOwned::from_key(*key.verifying_key()).unwrap();
        let serial = u32::from_be_bytes(key.to_bytes()[..4].try_into().unwrap()) >> 1;
        let cert = self.leaf(subject, spki, serial.max(2), from, until);
        let pkcs8 = key.to_pkcs8_der().unwrap().as_bytes().to_vec();
        (pkcs8, vec![cert, self.cert.clone()])
    }
}

impl TestCa {
    /// A leaf certificate for `spki`, named `subject`, signed by this CA, valid from `from`
    /// until `until` (seconds since the epoch).
    fn leaf(
        &self,
        subject: Name,
        spki: SubjectPublicKeyInfoOwned,
        serial: u32,
        from: u64,
        until: u64,
    ) -> Certificate {
        CertificateBuilder::new(
            Profile::Leaf {
                issuer: self.cert.tbs_certificate.subject.clone(),
                enable_key_agreement: false,
                enable_key_encipherment: false,
            },
            SerialNumber::from(serial),
            validity(from, until),
            subject,
            spki,
            &self.key,
        )
        .unwrap()
        .build::<DerSignature>()
        .unwrap()
    }

    /// As [`TestCa::issue`], for a 2048-bit RSA key (from a generator seeded with `name`).
    pub fn issue_rsa(&self, name: &str, from: u64, until: u64) -> (Vec<u8>, Vec<Certificate>) {
        use rand_chacha::rand_core::SeedableRng;
        use rsa::pkcs8::EncodePrivateKey as _;
        let mut rng = rand_chacha::ChaCha8Rng::from_seed(key_from(name).to_bytes().into());
        let key = rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap();
        let subject: Name = format!("CN={name},O=notice-pdf tests").parse().unwrap();
        let spki = SubjectPublicKeyInfoOwned::from_key(key.to_public_key()).unwrap();
        let cert = self.leaf(subject, spki, 3, from, until);
        let pkcs8 = key.to_pkcs8_der().unwrap().as_bytes().to_vec();
        (pkcs8, vec![cert, self.cert.clone()])
    }
}

impl TestCa {
    /// A time-stamping authority's certificate `CN=<name>` (extended key usage
    /// timeStamping, RFC 3161 §2.3) for a P-256 key: its key in PKCS#8 DER and its chain.
    pub fn issue_tsa(&self, name: &str) -> (Vec<u8>, Vec<Certificate>) {
        use x509_cert::ext::pkix::ExtendedKeyUsage;
        let key = key_from(name);
        let subject: Name = format!("CN={name},O=notice-pdf tests").parse().unwrap();
        let spki = SubjectPublicKeyInfoOwned::from_key(*key.verifying_key()).unwrap();
        let mut builder = CertificateBuilder::new(
            Profile::Leaf {
                issuer: self.cert.tbs_certificate.subject.clone(),
                enable_key_agreement: false,
                enable_key_encipherment: false,
            },
            SerialNumber::from(4u32),
            validity(Y2020, Y2040),
            subject,
            spki,
            &self.key,
        )
        .unwrap();
        builder
            .add_extension(&ExtendedKeyUsage(vec![
                der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8"),
            ]))
            .unwrap();
        let cert = builder.build::<DerSignature>().unwrap();
        let pkcs8 = key.to_pkcs8_der().unwrap().as_bytes().to_vec();
        (pkcs8, vec![cert, self.cert.clone()])
    }
}

/// A PKCS#12 file holding `pkcs8` and its `chain`, protected by `password`.
pub fn pkcs12(pkcs8: &[u8], chain: &[Certificate], password: &str) -> Vec<u8> {
    use p12_keystore::{KeyStore, KeyStoreEntry, PrivateKeyChain};
    let certs = chain
        .iter()
        .map(|c| p12_keystore::Certificate::from_der(&c.to_der().unwrap()).unwrap());
    let mut store = KeyStore::new();
    store.add_entry(
        "seal",
        KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(pkcs8, [1u8; 20], certs)),
    );
    store.writer(password).write().unwrap()
}
