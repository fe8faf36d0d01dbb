//! `notice-pdf verify`: what a PDF holds, whether its embedded data gives exactly its bytes
//! (revision 1, when it is sealed), and what its seal says.

use std::path::Path;
use std::process::ExitCode;

use notice_pdf::Error;
use notice_pdf::verify::{Outcome, Verdict};

use super::args::VerifyArgs;
use crate::{Res, emit};

pub(crate) fn run(args: VerifyArgs) -> Res {
    let anchors = args.trust.as_deref().map(anchors).transpose()?;
    // A file that cannot be verified is named in the error.
    let named = |e: Error| match e {
        Error::Verify { message } => Error::Verify {
            message: format!("{}: {message}", args.file.display()),
        },
        other => other,
    };
    let pdf = notice_pdf::verify::read_pdf(&args.file).map_err(named)?;
    let v = notice_pdf::verify::verify(&pdf).map_err(named)?;
    let mut out = held(&args.file, &v);
    let (verdict, code) = verdict(&v.outcome);
    out.push_str(&verdict);
    out.push('\n');
    let (seal, seal_code) = seal_report(&pdf, anchors.as_ref());
    out.push_str(&seal);
    emit(out.as_bytes())?;
    Ok(if code == ExitCode::SUCCESS {
        seal_code
    } else {
        code
    })
}

/// The trust anchors of `--trust`.
fn anchors(path: &Path) -> Res<notice_pdf::seal::Anchors> {
    let pem = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    Ok(
        notice_pdf::seal::Anchors::from_pem(&pem).map_err(|why| Error::Verify {
            message: format!("{}: {why}", path.display()),
        })?,
    )
}

/// What the file is, the notices it holds and the recipe it was made with.
fn held(file: &Path, v: &Verdict) -> String {
    let mut out = format!(
        "{}: {} made by {} from:\n",
        file.display(),
        if v.recipe.document == notice_pdf::verify::Document::Pack {
            "a pack"
        } else {
            "a notice"
        },
        v.recipe.generator
    );
    for h in &v.held {
        out.push_str(&format!(
            "  {}: {}, version {} ({})\n",
            h.id, h.title, h.updated, h.version
        ));
        if let Some((date, version)) = &h.compared_with {
            out.push_str(&format!(
                "    compared with its version {date} ({version}) in \"Vad har ändrats\"\n"
            ));
        }
    }
    out.push_str(&format!(
        "edition {}, aligned {}{}\n",
        v.recipe.edition,
        v.recipe.align,
        v.recipe.date.map_or(String::new(), |d| format!(
            ", dated {}",
            d.format("%Y-%m-%dT%H:%M:%S")
        ))
    ));
    out
}

/// Whether the re-rendered bytes are the file's, in words, and the exit code it calls for.
fn verdict(outcome: &Outcome) -> (String, ExitCode) {
    match outcome {
        Outcome::Identical => (
            "identical: its embedded data, rendered again, gives this file byte for byte"
                .to_owned(),
            ExitCode::SUCCESS,
        ),
        Outcome::Differs {
            at,
            file_len,
            rendered_len,
        } => (
            format!(
                "differs: its embedded data gives {rendered_len} bytes, the file has {file_len}; the first difference is at byte {at}"
            ),
            ExitCode::from(1),
        ),
        Outcome::OtherGenerator { recorded } => (
            format!(
                "not reproduced: it was made by {recorded}, this is notice-pdf {}; verify it with that version",
                env!("CARGO_PKG_VERSION")
            ),
            ExitCode::from(1),
        ),
    }
}

/// What `verify` says of a file's seal, and the exit code it calls for.
fn seal_report(pdf: &[u8], anchors: Option<&notice_pdf::seal::Anchors>) -> (String, ExitCode) {
    match notice_pdf::seal::check(pdf, anchors) {
        Ok(Some(s)) => {
            let mut out = format!(
                "sealed (PAdES {}) by {} at {}\n",
                if s.time_stamp.is_some() { "B-T" } else { "B-B" },
                s.signer,
                s.time.format("%Y-%m-%dT%H:%M:%SZ")
            );
            if let Some(t) = &s.time_stamp {
                out.push_str(&format!(
                    "  time-stamped at {} by {}: the seal existed then; its certificates are judged at that time\n",
                    t.time.format("%Y-%m-%dT%H:%M:%SZ"),
                    t.authority
                ));
            }
            out.push_str(&format!(
                "  the seal covers all {} bytes but its signature, unchanged since sealing; revision 1 ({} bytes) is the document above\n",
                s.file_len, s.revision1
            ));
            if s.trusted {
                out.push_str(&format!(
                    "  trusted: the chain {} leads to the trust anchor, each certificate valid at the signing time\n",
                    s.chain.join(" ← ")
                ));
            } else {
                out.push_str("  its trust is not checked: give --trust CA.pem\n");
            }
            (out, ExitCode::SUCCESS)
        }
        Ok(None) if anchors.is_some() => (
            "not sealed: the file carries no seal to check against --trust\n".to_owned(),
            ExitCode::from(1),
        ),
        Ok(None) => (String::new(), ExitCode::SUCCESS),
        Err(e) => (format!("{e}\n"), ExitCode::from(1)),
    }
}
