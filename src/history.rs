//! Earlier versions of the notices, read from a build's output directory: the PDF in place
//! (`<id>.pdf`, which a build is about to replace) and those kept in `archive/<id>/`. Each
//! PDF's embedded data file is the version it holds ([`crate::verify::embedded_notice`]).
//!
//! The rule, deterministic for a given data set and output directory: a notice is compared
//! with the **newest earlier version**, the one with the latest `updated` date before its own
//! (on equal dates, the greater version id). Its documents end with "Vad har ändrats sedan
//! <that date>" while that version's printed text differs from theirs, that is until the next
//! version is published, which is then compared with this one. A version with the notice's
//! own date or a later one is never "earlier"; a PDF that carries no readable data of this
//! notice (not made by notice-pdf, or made before PDFs carried their data) is no version.
//! Every PDF here is read as `verify` reads one, within its limits (docs/input-limits.md): a
//! hostile file put into the archive is no version either, and costs bounded memory and work.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::memo::Memo;
use crate::model::Notice;
use crate::source::DataSet;

/// The PDFs in `dir` that may hold versions of notice `id`: `<id>.pdf` and the standard
/// editions in `archive/<id>/` (a large edition holds the same data), in name order.
fn candidates(dir: &Path, id: &str) -> Vec<PathBuf> {
    let mut out = vec![dir.join(format!("{id}.pdf"))];
    if let Ok(entries) = std::fs::read_dir(dir.join("archive").join(id)) {
        let mut archived: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(".pdf") && !n.ends_with(".large.pdf"))
            })
            .collect();
        archived.sort();
        out.extend(archived);
    }
    out.retain(|p| p.is_file());
    out
}

/// The version `notice` is compared with, from the output directory `dir` (see the module
/// rule): its newest earlier version, when that version's printed text differs (otherwise
/// there is nothing to show, and the documents are as if there were no earlier version).
pub fn previous(dir: &Path, notice: &Notice) -> Option<Notice> {
    candidates(dir, &notice.id)
        .iter()
        .filter_map(|path| version_in(path))
        .filter(|v| v.id == notice.id && v.updated < notice.updated)
        .max_by(|a, b| (a.updated, &a.version).cmp(&(b.updated, &b.version)))
        .filter(|v| !crate::model::changes::changes(v, notice).is_empty())
        .map(|v| {
            // Only the version chosen is copied out of the memo.
            let mut v = (*v).clone();
            v.previous = None;
            v
        })
}

/// A file as the memo knows it: path, length and modification time. Outputs are written to a
/// temporary file and renamed into place, so a replaced PDF is a new file with a new time.
type FileKey = (PathBuf, u64, Option<SystemTime>);

/// The versions read from PDFs, kept for the process: `serve --versions` asks again at every
/// scan of the data directory, and an archive only grows. Weighed by the PDFs' bytes (a
/// version's data is a fraction of its PDF): 64 MiB of PDFs.
static VERSIONS: Memo<FileKey, Option<Arc<Notice>>> = Memo::new(64 << 20);

/// The notice whose data the PDF at `path` carries, read once per file.
fn version_in(path: &Path) -> Option<Arc<Notice>> {
    let meta = std::fs::metadata(path).ok()?;
    let key = (path.to_owned(), meta.len(), meta.modified().ok());
    VERSIONS.get_or(&key, meta.len() as usize, || {
        let pdf = crate::verify::read_pdf(path).ok()?;
        crate::verify::embedded_notice(&pdf).ok().map(Arc::new)
    })
}

/// Gives every valid notice of `set` its previous version from `dir`.
pub fn attach(set: &mut DataSet, dir: &Path) {
    for loaded in set.files.iter_mut().filter_map(|f| f.loaded.as_mut()) {
        loaded.notice.previous = previous(dir, &loaded.notice).map(Box::new);
    }
}
