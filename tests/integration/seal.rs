//! The bank's seal (issue 28): `--seal FILE.p12` on `render`, `pack` and `build`, and
//! `verify --trust CA.pem`. Each test makes its own throwaway CA and seal certificates
//! (`src/seal/testkit.rs`); no private key is committed. Independent validators (pyHanko,
//! poppler's pdfsig, qpdf, veraPDF) are in the oracles tier below.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{self, stderr};

#[allow(dead_code)]
#[path = "../../src/seal/testkit.rs"]
mod testkit;

use testkit::{TestCa, Y2020, Y2040};

/// The password of the test PKCS#12 files (never on a command line).
const PASSWORD: &str = "test-only Lösen 28";

/// 2026-01-01T00:00:00Z: the document date and signing time of reproducible runs.
const EPOCH: &str = "1767225600";

/// A scratch directory with `ca.pem` (the trust anchor), `seal.p12` (a seal it issued),
/// `other.p12` (a seal from another CA), `expired.p12` (its certificate expired in 2021) and
/// `password.txt`.
pub fn keys(name: &str) -> PathBuf {
    let dir = common::scratch(name);
    let ca = TestCa::new("Exempelbanken Test CA");
    std::fs::write(dir.join("ca.pem"), ca.pem()).unwrap();
    let write = |file: &str, (pkcs8, chain): (Vec<u8>, Vec<x509_cert::Certificate>)| {
        std::fs::write(dir.join(file), testkit::pkcs12(&pkcs8, &chain, PASSWORD)).unwrap();
    };
    write(
        "seal.p12",
        ca.issue("Exempelbanken AB e-stämpel", Y2020, Y2040),
    );
    write(
        "expired.p12",
        ca.issue("Exempelbanken AB old seal", Y2020, Y2020 + 365 * 86_400),
    );
    write(
        "other.p12",
        TestCa::new("Some Other CA").issue("Exempelbanken AB e-stämpel", Y2020, Y2040),
    );
    std::fs::write(dir.join("password.txt"), format!("{PASSWORD}\n")).unwrap();
    dir
}

/// Runs notice-pdf in `dir` with the password in the environment and SOURCE_DATE_EPOCH set.
pub fn run_sealing(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NOTICE_PDF_SEAL_PASSWORD", PASSWORD)
        .output()
        .expect("run notice-pdf")
}

/// `build` of `dir/data` into `dir/output`, sealed with `dir/seal.p12` at the clock's time
/// (no `SOURCE_DATE_EPOCH`); what it said.
fn build_sealed_at_the_clock(dir: &Path) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
        .args([
            "build", "--data", "data", "--out", "output", "--seal", "seal.p12",
        ])
        .current_dir(dir)
        .env("NOTICE_PDF_SEAL_PASSWORD", PASSWORD)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

/// The fixture notice rendered into `dir/<out>`, sealed with `dir/<p12>` (unsealed when
/// `p12` is empty).
pub fn render_sealed(dir: &Path, p12: &str, out: &str) -> Vec<u8> {
    let fixture = common::fixture_file();
    let mut args = vec!["render", fixture.to_str().unwrap(), "-o", out];
    if !p12.is_empty() {
        args.extend(["--seal", p12]);
    }
    let o = run_sealing(dir, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::read(dir.join(out)).unwrap()
}

fn verify(dir: &Path, file: &str) -> (bool, String) {
    let o = run_sealing(dir, &["verify", "--trust", "ca.pem", file]);
    let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    (o.status.success(), text)
}

#[test]
fn a_sealed_render_is_revision_1_unchanged_plus_a_seal_that_verify_trusts() {
    let dir = keys("seal-render");
    let plain = render_sealed(&dir, "", "plain.pdf");
    let sealed = render_sealed(&dir, "seal.p12", "sealed.pdf");
    assert!(sealed.starts_with(&plain) && sealed.len() > plain.len());
    let (ok, text) = verify(&dir, "sealed.pdf");
    assert!(ok, "{text}");
    assert!(text.contains("identical"), "{text}");
    assert!(
        text.contains("sealed (PAdES B-B) by CN=Exempelbanken AB e-stämpel"),
        "{text}"
    );
    assert!(text.contains("trusted: the chain"), "{text}");
    assert!(
        text.contains(&format!("revision 1 ({} bytes)", plain.len())),
        "{text}"
    );
    // Reproducible: the same input and signing time give the same bytes.
    assert_eq!(render_sealed(&dir, "seal.p12", "again.pdf"), sealed);
    // Without --trust the seal's integrity is checked, its trust not claimed.
    let o = run_sealing(&dir, &["verify", "sealed.pdf"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success() && text.contains("its trust is not checked"),
        "{text}"
    );
    // An unsealed file against --trust: no seal to check.
    let (ok, text) = verify(&dir, "plain.pdf");
    assert!(!ok && text.contains("not sealed"), "{text}");
}

#[test]
fn the_invisible_seal_field_is_described_and_tagged_as_a_form_element() {
    use lopdf::Object;
    let dir = keys("seal-tagged");
    let sealed = render_sealed(&dir, "seal.p12", "sealed.pdf");
    let doc = lopdf::Document::load_mem(&sealed).unwrap();
    let catalog = doc.catalog().unwrap();
    let form = catalog.get(b"AcroForm").unwrap().as_dict().unwrap();
    assert_eq!(form.get(b"SigFlags").unwrap().as_i64().unwrap(), 3);
    let field_id = form.get(b"Fields").unwrap().as_array().unwrap()[0]
        .as_reference()
        .unwrap();
    let field = doc.get_dictionary(field_id).unwrap();
    assert_eq!(field.get(b"FT").unwrap().as_name().unwrap(), b"Sig");
    let tu = lopdf::decode_text_string(field.get(b"TU").unwrap()).unwrap();
    assert!(tu.starts_with("Elektronisk stämpel"), "{tu}");
    let rect: Vec<f32> = field
        .get(b"Rect")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_float().unwrap())
        .collect();
    assert_eq!(rect, [0.0; 4]);
    // Printable, not hidden (PDF/A): Print set, Hidden, NoView clear.
    let flags = field.get(b"F").unwrap().as_i64().unwrap();
    assert_eq!(flags & 0b100110, 0b100);
    // Its /StructParent leads through the parent tree to a Form element holding it.
    let key = field.get(b"StructParent").unwrap().as_i64().unwrap();
    let root_id = catalog
        .get(b"StructTreeRoot")
        .unwrap()
        .as_reference()
        .unwrap();
    let root = doc.get_dictionary(root_id).unwrap();
    assert_eq!(
        root.get(b"ParentTreeNextKey").unwrap().as_i64().unwrap(),
        key + 1
    );
    let tree = match root.get(b"ParentTree").unwrap() {
        Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
        o => o.as_dict().unwrap(),
    };
    let nums = tree.get(b"Nums").unwrap().as_array().unwrap();
    let at = nums
        .iter()
        .position(|n| n.as_i64().ok() == Some(key))
        .unwrap();
    let element_id = nums[at + 1].as_reference().unwrap();
    let element = doc.get_dictionary(element_id).unwrap();
    assert_eq!(element.get(b"S").unwrap().as_name().unwrap(), b"Form");
    let objr = element.get(b"K").unwrap().as_dict().unwrap();
    assert_eq!(objr.get(b"Obj").unwrap().as_reference().unwrap(), field_id);
    let parent = doc
        .get_dictionary(element.get(b"P").unwrap().as_reference().unwrap())
        .unwrap();
    let kids = parent.get(b"K").unwrap().as_array().unwrap();
    assert_eq!(kids.last().unwrap().as_reference().unwrap(), element_id);
}

#[test]
fn verify_fails_naming_a_changed_byte_an_untrusted_or_expired_seal_and_an_appended_revision() {
    let dir = keys("seal-broken");
    let sealed = render_sealed(&dir, "seal.p12", "sealed.pdf");
    let mut flipped = sealed.clone();
    flipped[sealed.len() / 3] ^= 0x20;
    std::fs::write(dir.join("flipped.pdf"), &flipped).unwrap();
    let mut appended = sealed.clone();
    appended.extend_from_slice(b"\n% a later revision\n");
    std::fs::write(dir.join("appended.pdf"), &appended).unwrap();
    render_sealed(&dir, "other.p12", "other.pdf");
    render_sealed(&dir, "expired.p12", "expired.pdf");
    for (file, why) in [
        ("flipped.pdf", "changed since it was sealed"),
        ("appended.pdf", "does not cover the whole file"),
        ("other.pdf", "is not trusted"),
        ("expired.pdf", "had expired at the signing time"),
    ] {
        let (ok, text) = verify(&dir, file);
        assert!(!ok, "{file} verified: {text}");
        assert!(text.contains(why), "{file}: {text}");
    }
}

#[test]
fn the_password_comes_from_the_environment_or_a_file_and_is_never_repeated() {
    let dir = keys("seal-password");
    let fixture = common::fixture_file();
    let f = fixture.to_str().unwrap();
    // From a file.
    let o = Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
        .args(["render", f, "-o", "a.pdf", "--seal", "seal.p12"])
        .args(["--seal-password-file", "password.txt"])
        .current_dir(&dir)
        .env_remove("NOTICE_PDF_SEAL_PASSWORD")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(", sealed)"), "{}", stderr(&o));
    // Missing: a usage error.
    let o = Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
        .args(["render", f, "-o", "b.pdf", "--seal", "seal.p12"])
        .current_dir(&dir)
        .env_remove("NOTICE_PDF_SEAL_PASSWORD")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("NOTICE_PDF_SEAL_PASSWORD"));
    // Wrong: exit 1, and neither password is in what is said.
    let wrong = "not-the-password-xyz";
    let o = Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
        .args(["render", f, "-o", "c.pdf", "--seal", "seal.p12"])
        .current_dir(&dir)
        .env("NOTICE_PDF_SEAL_PASSWORD", wrong)
        .output()
        .unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("error: cannot seal: seal.p12: "), "{said}");
    assert!(!said.contains(wrong) && !said.contains(PASSWORD), "{said}");
    assert!(!dir.join("c.pdf").exists());
}

#[test]
fn build_seals_every_pdf_once_per_version() {
    let dir = keys("seal-build");
    let data = dir.join("data");
    common::copy_collection(&data);
    // Without SOURCE_DATE_EPOCH the signing time is the clock's: each build's would differ.
    let build = || build_sealed_at_the_clock(&dir);
    build();
    let pdfs: Vec<PathBuf> = std::fs::read_dir(dir.join("output"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert!(pdfs.len() >= 4, "{pdfs:?}");
    let before: Vec<Vec<u8>> = pdfs.iter().map(|p| std::fs::read(p).unwrap()).collect();
    for p in &pdfs {
        let (ok, text) = verify(&dir, p.to_str().unwrap());
        assert!(
            ok && text.contains("trusted: the chain"),
            "{}: {text}",
            p.display()
        );
    }
    // Built again, later: the sealed versions are kept as they are.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let said = build();
    assert!(said.contains("nothing changed"), "{said}");
    let after: Vec<Vec<u8>> = pdfs.iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert!(before == after);
    let o = common::run(
        &dir,
        &["build", "--check", "--data", "data", "--out", "output"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A time-stamping authority on loopback (RFC 3161 over HTTP): it answers each request with
/// a token over the request's imprint, its time `gen_time` (seconds since 1970), signed with
/// a TSA certificate of `ca`. Returns its address.
pub fn tsa_on_loopback(ca: &TestCa, gen_time: u64) -> String {
    let (pkcs8, chain) = ca.issue_tsa("Exempelbanken Test TSA");
    let key = notice_pdf::seal::SealKey::from_pkcs8(&pkcs8, chain).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/tsa", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut c in listener.incoming().flatten() {
            answer_time_stamp(&mut c, &key, gen_time);
        }
    });
    url
}

fn answer_time_stamp(c: &mut std::net::TcpStream, key: &notice_pdf::seal::SealKey, at: u64) {
    use der::{Decode, Encode};
    use notice_pdf::seal::cms::{self, Content};
    use notice_pdf::seal::tsa::{TimeStampReq, TstInfo};
    use std::io::{Read, Write};
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let body = loop {
        let n = c.read(&mut buf).unwrap_or(0);
        if n == 0 {
            return;
        }
        got.extend_from_slice(&buf[..n]);
        if let Some(end) = memchr::memmem::find(&got, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&got[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            if got.len() >= end + 4 + len {
                break got[end + 4..end + 4 + len].to_vec();
            }
        }
    };
    let req = TimeStampReq::from_der(&body).unwrap();
    let tst = TstInfo {
        version: 1,
        policy: der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.4.1.32473.28.1"),
        message_imprint: req.message_imprint,
        serial_number: der::asn1::Int::new(&[0x28]).unwrap(),
        gen_time: der::asn1::GeneralizedTime::from_unix_duration(std::time::Duration::from_secs(
            at,
        ))
        .unwrap(),
    }
    .to_der()
    .unwrap();
    let token = cms::signed_data_of(
        Content::Carried {
            content_type: cms::ID_CT_TST_INFO,
            der: &tst,
        },
        key,
        None,
    )
    .unwrap();
    // TimeStampResp ::= SEQUENCE { status PKIStatusInfo (granted), timeStampToken }
    let mut inner = vec![0x30, 0x03, 0x02, 0x01, 0x00];
    inner.extend_from_slice(&token);
    let header = der::Header::new(der::Tag::Sequence, inner.len()).unwrap();
    let mut resp = header.to_der().unwrap();
    resp.extend_from_slice(&inner);
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        resp.len()
    );
    let _ = c.write_all(head.as_bytes());
    let _ = c.write_all(&resp);
}

/// 2026-01-01T00:05:00Z, the time the loopback TSA vouches for.
const STAMPED: u64 = 1_767_225_900;

#[test]
fn a_time_stamped_seal_is_b_t_and_verify_names_the_authority_and_its_time() {
    let dir = keys("seal-tsa");
    let url = tsa_on_loopback(&TestCa::new("Exempelbanken Test CA"), STAMPED);
    let fixture = common::fixture_file();
    let f = fixture.to_str().unwrap();
    let o = run_sealing(
        &dir,
        &[
            "render",
            f,
            "-o",
            "bt.pdf",
            "--seal",
            "seal.p12",
            "--seal-tsa",
            &url,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("sealed and time-stamped"),
        "{}",
        stderr(&o)
    );
    let (ok, text) = verify(&dir, "bt.pdf");
    assert!(ok, "{text}");
    assert!(text.contains("sealed (PAdES B-T)"), "{text}");
    assert!(
        text.contains("time-stamped at 2026-01-01T00:05:00Z by CN=Exempelbanken Test TSA"),
        "{text}"
    );
    // A time stamp by an authority the anchor does not vouch for is not trusted.
    let rogue = tsa_on_loopback(&TestCa::new("Rogue CA"), STAMPED);
    let o = run_sealing(
        &dir,
        &[
            "render",
            f,
            "-o",
            "rogue.pdf",
            "--seal",
            "seal.p12",
            "--seal-tsa",
            &rogue,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let (ok, text) = verify(&dir, "rogue.pdf");
    assert!(
        !ok && text.contains("its time stamp does not hold"),
        "{text}"
    );
    // No authority there: nothing is written.
    let gone = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/tsa", gone.local_addr().unwrap());
    drop(gone);
    let o = run_sealing(
        &dir,
        &[
            "render",
            f,
            "-o",
            "none.pdf",
            "--seal",
            "seal.p12",
            "--seal-tsa",
            &url,
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot be reached"), "{}", stderr(&o));
    assert!(!dir.join("none.pdf").exists());
}

#[cfg(feature = "serve")]
#[test]
fn serve_hands_out_the_sealed_pdfs_the_build_made_with_a_stable_etag() {
    use crate::common::http::{get, start_with};
    let dir = keys("seal-serve");
    let data = dir.join("data");
    common::copy_collection(&data);
    build_sealed_at_the_clock(&dir);
    let out = dir.join("output");
    let srv = start_with(&data, &["--versions", out.to_str().unwrap()]);
    let a = &srv.addr;
    for (path, file) in [
        ("/notices/rik.pdf", "rik.pdf"),
        ("/notices/rik.pdf?edition=large", "rik.large.pdf"),
    ] {
        let sealed = std::fs::read(out.join(file)).unwrap();
        let first = get(a, path);
        assert_eq!(first.status, 200);
        assert!(
            first.body == sealed,
            "{path} is not the sealed build output"
        );
        let etag = first.headers["etag"].clone();
        assert_eq!(etag, format!("\"{}\"", notice_pdf::sha256_hex(&sealed)));
        assert_eq!(get(a, path).headers["etag"], etag);
    }
    let page = get(a, "/").text();
    assert!(
        page.contains("stämplad av banken"),
        "the page does not say so"
    );
    // Without the build's outputs the server renders, unsealed, and says nothing of a seal.
    drop(srv);
    let srv = start_with(&data, &[]);
    let plain = get(&srv.addr, "/notices/rik.pdf").body;
    let sealed = std::fs::read(out.join("rik.pdf")).unwrap();
    assert!(sealed.starts_with(&plain) && plain.len() < sealed.len());
    assert!(!get(&srv.addr, "/").text().contains("stämplad av banken"));
}

/// Independent validators: pyHanko, poppler's pdfsig, qpdf, veraPDF and pdftotext.
#[cfg(feature = "oracles")]
mod oracles {
    use super::*;
    use crate::common::{assert_verapdf_passes, tool};

    fn text(o: &Output) -> String {
        format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(o))
    }

    /// pyHanko's validator with the test CA as the only trust root.
    fn pyhanko(dir: &Path, file: &str) -> Output {
        let ca = dir.join("ca.pem");
        let pdf = dir.join(file);
        tool(
            "pyhanko",
            &[
                "sign",
                "validate",
                "--pretty-print",
                "--no-revocation-check",
                "--trust-replace",
                "--trust",
                ca.to_str().unwrap(),
                pdf.to_str().unwrap(),
            ],
        )
    }

    /// poppler's pdfsig, with an NSS database in `dir/nss` that trusts `dir/ca.pem`.
    fn pdfsig(dir: &Path, file: &str) -> String {
        let nss = dir.join("nss");
        let db = format!("sql:{}", nss.display());
        if !nss.exists() {
            std::fs::create_dir(&nss).unwrap();
            let ca = dir.join("ca.pem");
            for args in [
                vec!["-N", "-d", &db, "--empty-password"],
                vec![
                    "-A",
                    "-d",
                    &db,
                    "-n",
                    "test-ca",
                    "-t",
                    "CT,C,C",
                    "-i",
                    ca.to_str().unwrap(),
                ],
            ] {
                let o = tool("certutil", &args);
                assert!(o.status.success(), "certutil: {}", text(&o));
            }
        }
        text(&tool(
            "pdfsig",
            &["-nssdir", &db, dir.join(file).to_str().unwrap()],
        ))
    }

    /// Whether pdfsig finds the seal valid, trusted and over the whole file.
    fn pdfsig_passes(said: &str) -> bool {
        said.contains("Signature is Valid.")
            && said.contains("Certificate is Trusted.")
            && said.contains("Total document signed")
    }

    fn pdftotext(path: &Path) -> Vec<u8> {
        let o = tool("pdftotext", &[path.to_str().unwrap(), "-"]);
        assert!(o.status.success());
        o.stdout
    }

    /// Each page of `dir/file` as poppler draws it (PNG bytes, 40 dpi).
    fn pages_png(dir: &Path, file: &str) -> Vec<Vec<u8>> {
        let prefix = dir.join(format!("{file}-page"));
        let o = tool(
            "pdftoppm",
            &[
                "-r",
                "40",
                "-png",
                dir.join(file).to_str().unwrap(),
                prefix.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", text(&o));
        let stem = prefix.file_name().unwrap().to_string_lossy().into_owned();
        let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(&stem))
            .collect();
        pages.sort();
        assert!(!pages.is_empty());
        pages.iter().map(|p| std::fs::read(p).unwrap()).collect()
    }

    #[test]
    fn sealed_notices_and_packs_pass_pyhanko_pdfsig_qpdf_verapdf_and_read_as_before() {
        let dir = keys("seal-oracles");
        common::copy_collection(&dir.join("data"));
        render_sealed(&dir, "", "plain.pdf");
        render_sealed(&dir, "seal.p12", "notice.pdf");
        let o = run_sealing(
            &dir,
            &[
                "pack", "--data", "data", "-o", "pack.pdf", "--seal", "seal.p12",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let o = run_sealing(&dir, &["pack", "--data", "data", "-o", "pack-plain.pdf"]);
        assert!(o.status.success(), "{}", stderr(&o));
        for (file, plain) in [("notice.pdf", "plain.pdf"), ("pack.pdf", "pack-plain.pdf")] {
            let o = pyhanko(&dir, file);
            let said = text(&o);
            assert!(o.status.success(), "{file}: {said}");
            assert!(
                said.contains("The signer's certificate is trusted."),
                "{said}"
            );
            assert!(
                said.contains("The signature covers the entire file."),
                "{said}"
            );
            assert!(said.contains("The signature is judged VALID."), "{said}");
            let said = pdfsig(&dir, file);
            assert!(pdfsig_passes(&said), "{said}");
            assert!(said.contains("ETSI.CAdES.detached"), "{said}");
            let o = tool("qpdf", &["--check", dir.join(file).to_str().unwrap()]);
            assert!(o.status.success(), "{}", text(&o));
            assert!(
                text(&o).contains("No syntax or stream encoding errors"),
                "{}",
                text(&o)
            );
            assert_eq!(
                pdftotext(&dir.join(file)),
                pdftotext(&dir.join(plain)),
                "{file}"
            );
            // The seal is invisible: every page is the same picture.
            assert_eq!(pages_png(&dir, file), pages_png(&dir, plain), "{file}");
            let (ok, said) = verify(&dir, file);
            assert!(ok, "{said}");
        }
        assert_verapdf_passes(&[&dir.join("notice.pdf"), &dir.join("pack.pdf")]);
    }

    #[test]
    fn a_time_stamped_seal_passes_pyhanko_with_its_authority_trusted_pdfsig_and_verapdf() {
        let dir = keys("seal-oracles-tsa");
        let url = tsa_on_loopback(&TestCa::new("Exempelbanken Test CA"), STAMPED);
        let fixture = common::fixture_file();
        let o = run_sealing(
            &dir,
            &[
                "render",
                fixture.to_str().unwrap(),
                "-o",
                "bt.pdf",
                "--seal",
                "seal.p12",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::rename(dir.join("bt.pdf"), dir.join("bb.pdf")).unwrap();
        let o = run_sealing(
            &dir,
            &[
                "render",
                fixture.to_str().unwrap(),
                "-o",
                "bt.pdf",
                "--seal",
                "seal.p12",
                "--seal-tsa",
                &url,
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let o = pyhanko(&dir, "bt.pdf");
        let said = text(&o);
        assert!(o.status.success(), "{said}");
        for line in [
            "Signature timestamp token: 2026-01-01T00:05:00+00:00",
            "The timestamp token is cryptographically sound.",
            "The TSA certificate is trusted.",
            "The signature covers the entire file.",
            "The signature is judged VALID.",
        ] {
            assert!(said.contains(line), "{line}: {said}");
        }
        // B-B carries no time stamp.
        assert!(!text(&pyhanko(&dir, "bb.pdf")).contains("timestamp token"));
        let said = pdfsig(&dir, "bt.pdf");
        assert!(pdfsig_passes(&said), "{said}");
        assert_verapdf_passes(&[&dir.join("bt.pdf")]);
    }

    #[test]
    fn build_seals_the_real_data_and_every_output_passes_pyhanko_and_pdfsig() {
        let dir = keys("seal-oracles-data");
        let data = common::root().join("data");
        let o = run_sealing(
            &dir,
            &[
                "build",
                "--data",
                data.to_str().unwrap(),
                "--out",
                "output",
                "--seal",
                "seal.p12",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let mut pdfs: Vec<String> = std::fs::read_dir(dir.join("output"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".pdf"))
            .collect();
        pdfs.sort();
        assert!(!pdfs.is_empty());
        for name in &pdfs {
            let file = format!("output/{name}");
            let o = pyhanko(&dir, &file);
            assert!(text(&o).contains("judged VALID"), "{name}: {}", text(&o));
            let said = pdfsig(&dir, &file);
            assert!(pdfsig_passes(&said), "{name}: {said}");
            let (ok, said) = verify(&dir, &file);
            assert!(ok && said.contains("identical"), "{name}: {said}");
        }
    }

    /// The sealed file with one more revision that draws over its first page's content.
    fn with_page_changed(sealed: &[u8]) -> Vec<u8> {
        let doc = lopdf::Document::load_mem(sealed).unwrap();
        let page = *doc.get_pages().get(&1).unwrap();
        let content = doc.get_page_contents(page)[0];
        let size = doc.trailer.get(b"Size").unwrap().as_i64().unwrap();
        let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap().0;
        let tail = String::from_utf8_lossy(&sealed[sealed.len() - 40..]).into_owned();
        let prev: usize = tail
            .split("startxref")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let mut out = sealed.to_vec();
        let at = out.len();
        let draw = b"0 0 1 rg 0 0 600 800 re f";
        out.extend_from_slice(
            format!("{} 0 obj\n<</Length {}>>\nstream\n", content.0, draw.len()).as_bytes(),
        );
        out.extend_from_slice(draw);
        out.extend_from_slice(b"\nendstream\nendobj\n");
        let xref = out.len();
        out.extend_from_slice(
            format!(
                "xref\n0 1\n0000000000 65535 f \n{} 1\n{at:010} 00000 n \ntrailer\n<</Size {size}/Root {root} 0 R/Prev {prev}>>\nstartxref\n{xref}\n%%EOF\n",
                content.0
            )
            .as_bytes(),
        );
        out
    }

    /// The sealed file with the sealing certificate in its signature swapped for another of
    /// the same length issued by the same CA.
    fn with_certificate_swapped(sealed: &[u8]) -> Vec<u8> {
        use der::Encode;
        let ca = TestCa::new("Exempelbanken Test CA");
        let hex = |der: &[u8]| der.iter().map(|b| format!("{b:02X}")).collect::<String>();
        let (_, chain) = ca.issue("Exempelbanken AB e-stämpel", Y2020, Y2040);
        let ours = hex(&chain[0].to_der().unwrap());
        let theirs = ('A'..='Z')
            .map(|c| {
                ca.issue(&format!("Exempelbanken AB e-stämpe{c}"), Y2020, Y2040)
                    .1
            })
            .map(|chain| hex(&chain[0].to_der().unwrap()))
            .find(|h| h.len() == ours.len())
            .expect("a certificate of the same length");
        let text = String::from_utf8_lossy(sealed).into_owned();
        assert!(text.contains(&ours));
        let swapped = sealed.to_vec();
        let at = memchr::memmem::find(&swapped, ours.as_bytes()).unwrap();
        let mut swapped = swapped;
        swapped[at..at + ours.len()].copy_from_slice(theirs.as_bytes());
        swapped
    }

    #[test]
    fn a_flipped_byte_a_changed_page_a_swapped_certificate_or_an_untrusted_ca_fails_everywhere() {
        let dir = keys("seal-oracles-broken");
        let sealed = render_sealed(&dir, "seal.p12", "sealed.pdf");
        // A byte of revision 1's text, a byte of the seal's update, and the changed page.
        let mut flipped = sealed.clone();
        flipped[sealed.len() / 4] ^= 0x01;
        std::fs::write(dir.join("flipped.pdf"), &flipped).unwrap();
        let mut late = sealed.clone();
        let n = late.len() - 30;
        late[n] ^= 0x01;
        std::fs::write(dir.join("late.pdf"), &late).unwrap();
        std::fs::write(dir.join("page.pdf"), with_page_changed(&sealed)).unwrap();
        // Its revision 1 is still the document: only the seal fails.
        let o = run_sealing(&dir, &["verify", "page.pdf"]);
        assert!(text(&o).contains("identical"), "{}", text(&o));
        std::fs::write(dir.join("swapped.pdf"), with_certificate_swapped(&sealed)).unwrap();
        // Sealed by a certificate of a CA the anchor does not vouch for.
        render_sealed(&dir, "other.p12", "other.pdf");
        for (file, why) in [
            ("flipped.pdf", "changed since it was sealed"),
            ("late.pdf", "changed since it was sealed"),
            ("page.pdf", "does not cover the whole file"),
            ("swapped.pdf", "does not carry its signer's certificate"),
            ("other.pdf", "is not trusted"),
        ] {
            let o = pyhanko(&dir, file);
            let said = text(&o);
            assert!(
                !o.status.success() || !said.contains("judged VALID"),
                "pyHanko passed {file}: {said}"
            );
            let said = pdfsig(&dir, file);
            assert!(!pdfsig_passes(&said), "pdfsig passed {file}: {said}");
            let (ok, said) = verify(&dir, file);
            assert!(!ok && said.contains(why), "verify on {file}: {said}");
        }
    }

    /// A softhsm2 token in `dir/tokens` (its configuration in `dir/softhsm2.conf`) labelled
    /// `notice-test`, PIN 1234, holding the key of `pkcs8` labelled `seal`.
    fn softhsm_token(dir: &Path, pkcs8: &[u8]) -> PathBuf {
        use base64::Engine;
        let conf = dir.join("softhsm2.conf");
        std::fs::create_dir_all(dir.join("tokens")).unwrap();
        std::fs::write(
            &conf,
            format!(
                "directories.tokendir = {}\nobjectstore.backend = file\n",
                dir.join("tokens").display()
            ),
        )
        .unwrap();
        let b64 = base64::engine::general_purpose::STANDARD.encode(pkcs8);
        let mut pem = String::from("-----BEGIN PRIVATE KEY-----\n");
        for line in b64.as_bytes().chunks(64) {
            pem.push_str(std::str::from_utf8(line).unwrap());
            pem.push('\n');
        }
        pem.push_str("-----END PRIVATE KEY-----\n");
        std::fs::write(dir.join("key.pem"), pem).unwrap();
        let util = |args: &[&str]| {
            let o = Command::new("softhsm2-util")
                .args(args)
                .env("SOFTHSM2_CONF", &conf)
                .output()
                .expect("softhsm2-util is needed (Debian softhsm2; tests/run-all.sh installs it)");
            assert!(o.status.success(), "{}", text(&o));
        };
        util(&[
            "--init-token",
            "--free",
            "--label",
            "notice-test",
            "--pin",
            "1234",
            "--so-pin",
            "5678",
        ]);
        let key = dir.join("key.pem");
        util(&[
            "--import",
            key.to_str().unwrap(),
            "--token",
            "notice-test",
            "--label",
            "seal",
            "--id",
            "01",
            "--pin",
            "1234",
        ]);
        std::fs::remove_file(key).unwrap();
        conf
    }

    #[test]
    fn a_pkcs11_seal_from_softhsm2_validates_in_pyhanko_and_verify() {
        use der::EncodePem;
        let dir = keys("seal-pkcs11");
        let ca = TestCa::new("Exempelbanken Test CA");
        for (name, (pkcs8, chain)) in [
            ("p256", ca.issue("Exempelbanken AB HSM seal", Y2020, Y2040)),
            (
                "rsa",
                ca.issue_rsa("Exempelbanken AB HSM RSA seal", Y2020, Y2040),
            ),
        ] {
            let sub = dir.join(name);
            std::fs::create_dir_all(&sub).unwrap();
            std::fs::copy(dir.join("ca.pem"), sub.join("ca.pem")).unwrap();
            let conf = softhsm_token(&sub, &pkcs8);
            let pem: String = chain
                .iter()
                .map(|c| c.to_pem(der::pem::LineEnding::LF).unwrap())
                .collect();
            std::fs::write(sub.join("chain.pem"), pem).unwrap();
            let fixture = common::fixture_file();
            let o = Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
                .args(["render", fixture.to_str().unwrap(), "-o", "hsm.pdf"])
                .args(["--seal-pkcs11", "/usr/lib/softhsm/libsofthsm2.so"])
                .args(["--seal-token", "notice-test", "--seal-key", "seal"])
                .args(["--seal-chain", "chain.pem"])
                .current_dir(&sub)
                .env("SOFTHSM2_CONF", &conf)
                .env("NOTICE_PDF_SEAL_PASSWORD", "1234")
                .env("SOURCE_DATE_EPOCH", EPOCH)
                .output()
                .unwrap();
            assert!(o.status.success(), "{name}: {}", text(&o));
            let (ok, said) = verify(&sub, "hsm.pdf");
            assert!(ok && said.contains("HSM"), "{name}: {said}");
            let o = pyhanko(&sub, "hsm.pdf");
            assert!(text(&o).contains("judged VALID"), "{name}: {}", text(&o));
            // A wrong PIN: exit 1, the PIN not repeated.
            let o = Command::new(env!("CARGO_BIN_EXE_notice-pdf"))
                .args(["render", fixture.to_str().unwrap(), "-o", "no.pdf"])
                .args(["--seal-pkcs11", "/usr/lib/softhsm/libsofthsm2.so"])
                .args(["--seal-token", "notice-test", "--seal-key", "seal"])
                .args(["--seal-chain", "chain.pem"])
                .current_dir(&sub)
                .env("SOFTHSM2_CONF", &conf)
                .env("NOTICE_PDF_SEAL_PASSWORD", "987654")
                .output()
                .unwrap();
            assert_eq!(o.status.code(), Some(1), "{}", text(&o));
            assert!(text(&o).contains("refuses the PIN") && !text(&o).contains("987654"));
        }
    }
}
