//! Where `render`, `pack` and `html` write their one document.

use std::path::{Path, PathBuf};

use notice_pdf::jobs;
use notice_pdf::output::{self, Inputs};

use crate::{Res, emit, say};

/// Where `render`, `pack` and `html` write when no `-o` is given: beside a build's outputs,
/// never among them (a build publishes and archives `output/`; these commands do neither).
pub(crate) const AD_HOC: &str = "output/ad-hoc";

/// Where a command's document goes: standard output (`-o -`), or a file whose path is checked
/// before any work is done (see [`output::resolve`]); never a file a build published.
pub(crate) struct Sink {
    target: Option<output::Target>,
    path: PathBuf,
    inputs: Inputs,
}

impl Sink {
    /// `output`, or `default` when none is given; `inputs` are the files the run reads.
    pub(crate) fn new(output: Option<&Path>, default: PathBuf, inputs: Inputs) -> Res<Sink> {
        let path = output.map_or(default, Path::to_owned);
        let target = if path == Path::new("-") {
            None
        } else {
            let target = output::resolve(&path, &inputs)?;
            jobs::refuse_published(&path)?;
            jobs::refuse_published(target.path())?;
            Some(target)
        };
        Ok(Sink {
            target,
            path,
            inputs,
        })
    }

    fn to_stdout(&self) -> bool {
        self.target.is_none()
    }

    /// Writes `bytes`; on a file, says so with `what` ("3 pages, 26646 bytes").
    pub(crate) fn put(&self, bytes: &[u8], what: &str) -> Res<()> {
        match &self.target {
            None => emit(bytes),
            Some(target) => {
                if let Some(dir) = target.path().parent() {
                    output::create_dir(dir)?;
                }
                output::write_file(target.path(), bytes, &self.inputs)?;
                say(&format!("wrote {} ({what})", self.path.display()));
                Ok(())
            }
        }
    }

    /// The typography report: on standard output, or on standard error when the document
    /// went there.
    pub(crate) fn report(&self, rep: &notice_pdf::report::Report) -> Res<()> {
        if self.to_stdout() {
            say(rep.to_string().trim_end());
            Ok(())
        } else {
            emit(rep.to_string().as_bytes())
        }
    }
}
