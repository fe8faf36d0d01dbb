//! Reading data files: which files count, the input limits, and the rules across a set of
//! files. `check`, `build` and `serve` all go through [`DataSet`], so they agree on what is
//! valid.
//!
//! Which files count: in a data directory, every entry whose name ends in `.toml` (in any
//! case, so `.TOML` too) and does not start with `.` (hidden files, editors' backups and
//! temporary files are ignored). Symlinks are followed. An entry that counts but is not a
//! readable regular file (a dangling symlink, a directory, a FIFO) is an error, never skipped.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result, Severity};
use crate::{Loaded, fonts, model};

/// The largest data file accepted, in bytes (1 MiB; a real notice is about 4 KB). Larger
/// files are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Whether `name` is the name of a data file (see the module docs).
pub fn counts_as_data(name: &str) -> bool {
    !name.starts_with('.')
        && name.len() > ".toml".len()
        && name
            .get(name.len() - 5..)
            .is_some_and(|ext| ext.eq_ignore_ascii_case(".toml"))
}

/// The data files in `dir`, sorted by name.
pub fn discover(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("read data directory", dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read data directory", dir, e))?;
        if entry.file_name().to_str().is_some_and(counts_as_data) {
            files.push(entry.path());
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::NoNotices {
            dir: dir.to_owned(),
        });
    }
    Ok(files)
}

fn file_problem(path: &Path, message: String, hint: &str) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        file: path.to_owned(),
        line: 0,
        col: 0,
        field: String::new(),
        message,
        hint: Some(hint.to_owned()),
    }
}

fn describe(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "a device";
        }
    }
    if ft.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// Reads a data file within the limits: a regular file of at most [`MAX_FILE_BYTES`], UTF-8.
/// Returns its text, or the one problem that stops it being read.
pub fn read(path: &Path) -> std::result::Result<String, Diagnostic> {
    let bytes = read_bytes(path, Kind::Data)
        .map_err(|(message, hint)| file_problem(path, message, &hint))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let valid_up_to = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let valid = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
            let (line, col) = model::line_col(valid, valid.len());
            Err(Diagnostic {
                severity: Severity::Error,
                file: path.to_owned(),
                line,
                col,
                field: String::new(),
                message: "the file is not valid UTF-8".into(),
                hint: Some("save the data file as UTF-8".into()),
            })
        }
    }
}

/// What kind of file is read, for messages.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Data,
    Picture,
}

impl Kind {
    fn what(self) -> &'static str {
        match self {
            Kind::Data => "a data file",
            Kind::Picture => "a picture",
        }
    }

    fn target(self) -> &'static str {
        match self {
            Kind::Data => "a notice",
            Kind::Picture => "the logo",
        }
    }

    fn not_regular_hint(self) -> &'static str {
        match self {
            Kind::Data => "a data file is a regular *.toml file; rename or remove this entry",
            Kind::Picture => "a logo is a regular PNG or SVG file",
        }
    }

    fn too_large_hint(self) -> &'static str {
        match self {
            Kind::Data => "a notice is about 4 KB; split very long text into several notices",
            Kind::Picture => "a logo needs far less: save it smaller, or as an SVG",
        }
    }
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`]: its bytes, or what is wrong and a hint.
fn read_bytes(path: &Path, kind: Kind) -> std::result::Result<Vec<u8>, (String, String)> {
    let what = kind.what();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            let dangling =
                e.kind() == std::io::ErrorKind::NotFound && std::fs::symlink_metadata(path).is_ok();
            return Err(if dangling {
                (
                    "is a symbolic link to a file that does not exist".into(),
                    format!("remove the link or point it at {}", kind.target()),
                )
            } else {
                (
                    format!("cannot read the file: {e}"),
                    "check that the file exists and is readable".into(),
                )
            });
        }
    };
    if !meta.is_file() {
        return Err((
            format!("is {}, not {what}", describe(meta.file_type())),
            kind.not_regular_hint().into(),
        ));
    }
    let too_large = |size: u64| {
        (
            format!(
                "the file is {size} bytes; {what} may be at most {MAX_FILE_BYTES} bytes (1 MiB)"
            ),
            kind.too_large_hint().to_owned(),
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    let read =
        std::fs::File::open(path).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        return Err((
            format!("cannot read the file: {e}"),
            "check that the file is readable".into(),
        ));
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        // It grew while we read it.
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Where the picture named `name` by the data file at `path` is: beside it.
fn logo_path(path: &Path, name: &str) -> PathBuf {
    path.parent().unwrap_or(Path::new(".")).join(name)
}

/// The notice's logo: the picture file beside the data file at `path`, read and checked; a
/// problem is located at `logo.file` in `text`.
fn read_logo(path: &Path, text: &str, notice: &mut model::Notice) -> Option<Diagnostic> {
    let logo = notice.logo.as_mut()?;
    let at = [model::Seg::Key("logo"), model::Seg::Key("file")];
    let file = logo_path(path, &logo.file);
    let format = model::PictureFormat::of(&logo.file)?;
    let problem = |message: String, hint: String| {
        let (line, col) = model::locate(text, &at);
        Diagnostic {
            severity: Severity::Error,
            file: path.to_owned(),
            line,
            col,
            field: model::path_string(&at),
            message: format!("{}: {message}", file.display()),
            hint: Some(hint),
        }
    };
    let bytes = match read_bytes(&file, Kind::Picture) {
        Ok(b) => b,
        Err((message, hint)) => return Some(problem(message, hint)),
    };
    match crate::picture::decode(format, bytes) {
        Ok(picture) => {
            logo.picture = Some(picture);
            None
        }
        Err(message) => Some(problem(
            message,
            "save the logo again as a PNG or an SVG (text as paths)".into(),
        )),
    }
}

/// One data file, checked on its own.
#[derive(Debug, Clone)]
pub struct Checked {
    pub path: PathBuf,
    /// The notice, when the file has no error.
    pub loaded: Option<Loaded>,
    /// Every problem found in the file, errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Other files the result depends on (the logo it names), so that a watcher sees changes.
    pub inputs: Vec<PathBuf>,
}

/// Reads, parses and validates one data file (no cross-file rules).
pub fn check_file(path: &Path) -> Checked {
    let text = match read(path) {
        Ok(r) => r,
        Err(d) => {
            return Checked {
                path: path.to_owned(),
                loaded: None,
                diagnostics: vec![d],
                inputs: Vec::new(),
            };
        }
    };
    check_text(path, &text)
}

/// Parses and validates data already read (the server reads files itself to see changes).
pub fn check_text(path: &Path, text: &str) -> Checked {
    let (notice, diagnostics) = match model::parse(path, text) {
        Err(d) => (None, vec![d]),
        Ok(mut notice) => {
            let mut diags = model::validate(path, text, &notice, &fonts::covers);
            if diags.iter().all(|d| d.severity != Severity::Error)
                && let Some(d) = read_logo(path, text, &mut notice)
            {
                let at = diags
                    .iter()
                    .position(|x| (x.line, x.col) > (d.line, d.col))
                    .unwrap_or(diags.len());
                diags.insert(at, d);
            }
            (Some(notice), diags)
        }
    };
    let inputs = notice
        .as_ref()
        .and_then(|n| n.logo.as_ref())
        .map(|logo| logo_path(path, &logo.file))
        .into_iter()
        .collect();
    let ok = diagnostics.iter().all(|d| d.severity != Severity::Error);
    let sha256 = crate::sha256_hex(text.as_bytes());
    let loaded = notice.filter(|_| ok).map(|mut notice| {
        notice.version = Some(sha256[..8].to_owned());
        Loaded {
            path: path.to_owned(),
            notice,
            warnings: diagnostics.clone(),
            source_sha256: sha256,
        }
    });
    Checked {
        path: path.to_owned(),
        loaded,
        diagnostics,
        inputs,
    }
}

/// A set of data files (a data directory, or the files given to `check`), each checked, with
/// the rules across files applied: two files may not declare the same notice id. The file
/// that sorts later is the one in error, so the outcome never depends on history.
#[derive(Debug, Clone)]
pub struct DataSet {
    pub files: Vec<Checked>,
}

impl DataSet {
    /// Checks every data file of `dir`.
    pub fn load_dir(dir: &Path) -> Result<DataSet> {
        Ok(DataSet::assemble(
            discover(dir)?.iter().map(|p| check_file(p)).collect(),
        ))
    }

    /// Applies the rules across files to files checked one by one.
    pub fn assemble(mut files: Vec<Checked>) -> DataSet {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        for i in 0..files.len() {
            let Some(loaded) = &files[i].loaded else {
                continue;
            };
            let id = &loaded.notice.id;
            let first = files[..i]
                .iter()
                .filter_map(|f| f.loaded.as_ref())
                .find(|l| l.notice.id == *id);
            if let Some(first) = first {
                let (line, col) = loaded.notice.id_at;
                let d = Diagnostic {
                    severity: Severity::Error,
                    file: loaded.path.clone(),
                    line,
                    col,
                    field: "id".into(),
                    message: format!(
                        "notice id \"{id}\" is already used by {}",
                        first.path.display()
                    ),
                    hint: Some("every notice needs its own id (it names the output file)".into()),
                };
                let f = &mut files[i];
                let at = f
                    .diagnostics
                    .iter()
                    .position(|x| (x.line, x.col) > (line, col))
                    .unwrap_or(f.diagnostics.len());
                f.diagnostics.insert(at, d);
                f.loaded = None;
            }
        }
        DataSet { files }
    }

    /// The valid notices, in file order.
    pub fn notices(&self) -> impl Iterator<Item = &Loaded> {
        self.files.iter().filter_map(|f| f.loaded.as_ref())
    }

    /// Every error of every file, in file order.
    pub fn errors(&self) -> Vec<Diagnostic> {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect()
    }

    /// The valid notices, or every error when any file has one (`build` is all or nothing).
    pub fn all_valid(&self) -> Result<Vec<&Loaded>> {
        let errors = self.errors();
        if errors.is_empty() {
            Ok(self.notices().collect())
        } else {
            Err(Error::Data(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_are_named_toml_in_any_case_and_not_hidden() {
        for yes in ["a.toml", "kundservice.TOML", "x.Toml"] {
            assert!(counts_as_data(yes), "{yes}");
        }
        for no in [
            ".a.toml",
            ".toml",
            "a.toml~",
            "a.toml.bak",
            "a.txt",
            ".#a.toml",
            "toml",
        ] {
            assert!(!counts_as_data(no), "{no}");
        }
    }
}
