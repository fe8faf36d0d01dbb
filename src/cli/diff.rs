//! `notice-pdf diff`: what changed between two versions of a notice.

use std::path::Path;
use std::process::ExitCode;

use super::args::DiffArgs;
use crate::{Res, emit};

pub(crate) fn run(args: DiffArgs) -> Res {
    let (old, new) = (version_of(&args.old)?, version_of(&args.new)?);
    emit(notice_pdf::model::changes::report(&old, &new).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// A version of a notice: a data file, or the notice a PDF carries.
fn version_of(path: &Path) -> Res<notice_pdf::Notice> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
    {
        let pdf = notice_pdf::verify::read_pdf(path)?;
        Ok(notice_pdf::verify::embedded_notice(&pdf)?)
    } else {
        Ok(notice_pdf::load(path)?.notice)
    }
}
