//! The seal's command-line options: which key (a PKCS#12 file or a PKCS#11 token), the
//! password or PIN (from the environment or a file, never the command line), the time-stamping
//! authority, and the signing time.

use std::path::{Path, PathBuf};

use notice_pdf::{Error, Options};

use crate::{Failure, Res};

/// The bank's seal on each PDF (PAdES baseline B-B).
#[derive(clap::Args, Clone, Default)]
pub(crate) struct SealArgs {
    /// Seal each PDF with the key and certificate chain of this PKCS#12 file. Its password is
    /// read from the environment variable NOTICE_PDF_SEAL_PASSWORD, or from
    /// --seal-password-file; never from the command line.
    #[arg(long, value_name = "FILE.p12", conflicts_with = "seal_pkcs11")]
    seal: Option<PathBuf>,
    /// Seal each PDF with a key in a PKCS#11 token (an HSM) through this module; with
    /// --seal-token, --seal-key and --seal-chain. The PIN is read as the password is.
    #[arg(long, value_name = "MODULE.so", requires_all = ["seal_token", "seal_key", "seal_chain"])]
    seal_pkcs11: Option<PathBuf>,
    /// The label of the token that holds the seal's key.
    #[arg(long, value_name = "LABEL", requires = "seal_pkcs11")]
    seal_token: Option<String>,
    /// The label of the seal's private key in the token.
    #[arg(long, value_name = "LABEL", requires = "seal_pkcs11")]
    seal_key: Option<String>,
    /// The seal's certificate chain (PEM), the sealing certificate first.
    #[arg(long, value_name = "CHAIN.pem", requires = "seal_pkcs11")]
    seal_chain: Option<PathBuf>,
    /// A time-stamping authority (RFC 3161, http://…): each seal gets its time stamp (PAdES
    /// B-T).
    #[arg(long, value_name = "URL")]
    seal_tsa: Option<String>,
    /// A file holding the PKCS#12 password or the token's PIN (one line).
    #[arg(long, value_name = "FILE")]
    seal_password_file: Option<PathBuf>,
}

/// The environment variable that holds the PKCS#12 password or the token's PIN.
const SEAL_PASSWORD_ENV: &str = "NOTICE_PDF_SEAL_PASSWORD";

impl SealArgs {
    /// The time-stamping authority, when `--seal-tsa` is given.
    pub(crate) fn tsa(&self) -> Res<Option<notice_pdf::seal::tsa::HttpTsa>> {
        match &self.seal_tsa {
            Some(url) => Ok(Some(
                notice_pdf::seal::tsa::HttpTsa::new(url).map_err(Failure::Usage)?,
            )),
            None => Ok(None),
        }
    }

    /// The password or PIN: from --seal-password-file, or the environment.
    fn secret(&self) -> Res<String> {
        match &self.seal_password_file {
            Some(file) => {
                let text = std::fs::read_to_string(file)
                    .map_err(|e| Error::io("read the seal's password file", file, e))?;
                let line = text.strip_suffix('\n').unwrap_or(&text);
                Ok(line.strip_suffix('\r').unwrap_or(line).to_owned())
            }
            None => std::env::var(SEAL_PASSWORD_ENV).map_err(|_| {
                Failure::Usage(format!(
                    "sealing needs the password or PIN in the environment variable {SEAL_PASSWORD_ENV} or in a file named by --seal-password-file"
                ))
            }),
        }
    }

    /// The seal's key, when `--seal` or `--seal-pkcs11` is given. The password or PIN never
    /// reaches a message.
    pub(crate) fn key(&self) -> Res<Option<notice_pdf::seal::SealKey>> {
        use notice_pdf::seal::SealKey;
        let fail = |what: &Path, why: String| Error::Seal {
            message: format!("{}: {why}", what.display()),
        };
        if let Some(p12) = &self.seal {
            let secret = self.secret()?;
            let bytes = std::fs::read(p12).map_err(|e| Error::io("read the seal's key", p12, e))?;
            let key = SealKey::from_pkcs12(&bytes, &secret).map_err(|why| fail(p12, why))?;
            return Ok(Some(key));
        }
        let (Some(module), Some(token), Some(label), Some(chain)) = (
            &self.seal_pkcs11,
            &self.seal_token,
            &self.seal_key,
            &self.seal_chain,
        ) else {
            if self.seal_password_file.is_some() {
                return Err(Failure::Usage(
                    "--seal-password-file goes with --seal or --seal-pkcs11".into(),
                ));
            }
            return Ok(None);
        };
        let secret = self.secret()?;
        let pem = std::fs::read(chain).map_err(|e| Error::io("read the seal's chain", chain, e))?;
        let certs = notice_pdf::seal::Anchors::from_pem(&pem)
            .map_err(|why| fail(chain, why))?
            .0;
        let key = SealKey::from_pkcs11(module, token, label, &secret, certs)
            .map_err(|why| fail(module, why))?;
        Ok(Some(key))
    }
}

/// The signing time: the document date (SOURCE_DATE_EPOCH) when given, so that a sealed
/// output is reproducible; otherwise now. The binary reads the clock; the library does not.
#[allow(clippy::disallowed_methods)]
pub(crate) fn signing_time(opts: &Options) -> chrono::DateTime<chrono::Utc> {
    opts.date.map_or_else(
        || chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()),
        |d| d.and_utc(),
    )
}
