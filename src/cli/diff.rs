//! `notice-pdf diff`: what changed between two versions of a notice.

use std::path::Path;
use std::process::ExitCode;

use notice_pdf::Error;

use super::args::DiffArgs;
use crate::{Res, emit, say};

pub(crate) fn run(args: DiffArgs) -> Res {
    let (old, new) = (version_of(&args.old)?, version_of(&args.new)?);
    if old.id != new.id {
        say(&format!(
            "warning: these are two notices, not two versions of one: {} and {}",
            notice_pdf::error::quoted(&old.id),
            notice_pdf::error::quoted(&new.id)
        ));
    }
    emit(notice_pdf::model::changes::report(&old, &new).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// A version of a notice: a data file, or the notice a PDF carries.
fn version_of(path: &Path) -> Res<notice_pdf::Notice> {
    let is = |ext: &str| {
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(ext))
    };
    let not_a_version = |message: String| Error::Version {
        path: path.to_owned(),
        message,
    };
    if is("pdf") {
        let notice = notice_pdf::verify::read_pdf(path)
            .and_then(|pdf| notice_pdf::verify::embedded_notice(&pdf));
        Ok(notice.map_err(|e| match e {
            Error::Verify { message } => not_a_version(message),
            other => other,
        })?)
    } else if is("toml") {
        Ok(notice_pdf::load(path)?.notice)
    } else {
        Err(not_a_version("it is neither a data file (.toml) nor a PDF".into()).into())
    }
}
