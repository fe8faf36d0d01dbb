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
use crate::model::Collection;
use crate::{fonts, model};

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
    Diagnostic::error(path, (0, 0), "", message).hint(hint)
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
            Err(
                Diagnostic::error(path, (line, col), "", "the file is not valid UTF-8")
                    .hint("save the data file as UTF-8"),
            )
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

/// Where the pictures a data file names are read from.
#[derive(Clone, Copy)]
pub enum Pictures<'a> {
    /// Beside the data file, on disk.
    Beside,
    /// Among these files, by name: the files a PDF carries, for `verify`.
    Among(&'a [(String, Vec<u8>)]),
}

/// The notice's logo: the picture file beside the data file at `path` (or among the files
/// given), read and checked; a problem is located at `logo.file` in `src`.
fn read_logo(
    path: &Path,
    src: &model::Located,
    logo: Option<&model::Logo>,
    picture: &mut Option<model::Picture>,
    pictures: Pictures,
) -> Option<Diagnostic> {
    let logo = logo?;
    let at = [model::Seg::Key("logo"), model::Seg::Key("file")];
    let file = logo_path(path, &logo.file);
    let format = model::PictureFormat::of(&logo.file)?;
    let problem = |message: String, hint: String| {
        let (line, col) = src.locate(&at);
        Diagnostic {
            severity: Severity::Error,
            file: path.to_owned(),
            line,
            col,
            field: model::path_string(&at),
            // Named as the data names it: never a server path the editor did not write.
            message: format!("{}: {message}", logo.file),
            hint: Some(hint),
        }
    };
    let read = match pictures {
        Pictures::Beside => read_bytes(&file, Kind::Picture),
        Pictures::Among(files) => match files.iter().find(|(name, _)| *name == logo.file) {
            None => Err((
                "is not among the files the PDF carries".into(),
                "a PDF made by notice-pdf carries its logo; this one was altered".into(),
            )),
            Some((_, data)) if data.len() as u64 > MAX_FILE_BYTES => Err((
                format!(
                    "the file is {} bytes; a picture may be at most {MAX_FILE_BYTES} bytes (1 MiB)",
                    data.len()
                ),
                Kind::Picture.too_large_hint().to_owned(),
            )),
            Some((_, data)) => Ok(data.clone()),
        },
    };
    let bytes = match read {
        Ok(b) => b,
        Err((message, hint)) => return Some(problem(message, hint)),
    };
    match crate::picture::decode(format, bytes) {
        Ok(read) => {
            *picture = Some(read);
            None
        }
        Err(refusal) => Some(problem(refusal.message, refusal.hint)),
    }
}

/// One data file, checked on its own.
#[derive(Debug, Clone)]
pub struct Checked {
    pub path: PathBuf,
    /// The notice, when the file is a notice and has no error.
    pub loaded: Option<Loaded>,
    /// Every problem found in the file, errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Other files the result depends on (the logo it names), so that a watcher sees changes.
    pub inputs: Vec<PathBuf>,
    /// What the file declares to the rules across files.
    pub declares: Declares,
}

/// What a data file declares to the rules across files ([`DataSet`]).
#[derive(Debug, Clone, Default)]
pub enum Declares {
    /// Nothing readable.
    #[default]
    Nothing,
    /// A notice (valid or not): its id and where it is written, its printed sections' ids
    /// (what `notice:ID#section` may name), and its own links to notices.
    Notice {
        id: String,
        id_at: (usize, usize),
        sections: Vec<String>,
        refs: Vec<model::NoticeRef>,
        /// The kinds of its printed items (what it answers), and the addresses it links to.
        answers: Vec<model::ItemKind>,
        addresses: Vec<String>,
        /// Where it is published (`source_url`).
        source_url: Option<String>,
        /// Its running texts and questions, located (for the plain-language lint).
        texts: Vec<model::LocatedText>,
    },
    /// A notice that does not read (a TOML or field error): the id it gives itself, when that
    /// can be read, or none. What it declares is unknown, so the rules across files do not
    /// judge others by it: its own error is the one to fix.
    Unreadable { id: Option<String> },
    /// The collection: the collection itself when it has no error, and where each notice id
    /// is placed (id, line, column, field); `placed` is known only when the file `reads`.
    Collection {
        collection: Option<Box<Collection>>,
        placed: Vec<(String, usize, usize, String)>,
        reads: bool,
    },
}

/// Whether the file at `path` is the collection ([`model::collection::FILE_NAME`], in any case).
pub fn is_collection(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.eq_ignore_ascii_case(model::COLLECTION_FILE))
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
                declares: Declares::Nothing,
            };
        }
    };
    check_text(path, &text)
}

/// Inserts `d` among `diags` in file order.
fn insert_in_order(diags: &mut Vec<Diagnostic>, d: Diagnostic) {
    let at = diags
        .iter()
        .position(|x| (x.line, x.col) > (d.line, d.col))
        .unwrap_or(diags.len());
    diags.insert(at, d);
}

fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// Parses and validates data already read (the server reads files itself to see changes): a
/// notice, or the collection when the file is named so.
pub fn check_text(path: &Path, text: &str) -> Checked {
    check_text_with(path, text, Pictures::Beside)
}

/// [`check_text`] with the pictures it names read from `pictures`.
pub fn check_text_with(path: &Path, text: &str, pictures: Pictures) -> Checked {
    if is_collection(path) {
        return check_collection(path, text, pictures);
    }
    // Parsed once: for the values and for locating them (validation, links, lint).
    let src = model::Located::new(text);
    let (notice, diagnostics) = match model::parse_located(path, &src) {
        Err(d) => (None, vec![d]),
        Ok(mut notice) => {
            let mut diags = model::validate(path, &src, &notice, &fonts::covers);
            if !has_errors(&diags)
                && let Some(d) = read_logo(
                    path,
                    &src,
                    notice.data.logo.as_ref(),
                    &mut notice.logo_picture,
                    pictures,
                )
            {
                insert_in_order(&mut diags, d);
            }
            (Some(notice), diags)
        }
    };
    let inputs = logo_inputs(path, notice.as_ref().and_then(|n| n.logo.as_ref()));
    let declares = notice.as_ref().map_or_else(
        || Declares::Unreadable {
            id: src.top_string("id"),
        },
        |n| Declares::Notice {
            id: n.id.clone(),
            id_at: n.id_at,
            sections: n.printed_sections().map(|s| s.id.clone()).collect(),
            refs: model::notice_refs(&src, n),
            answers: n
                .printed_sections()
                .flat_map(|s| {
                    s.items
                        .iter()
                        .map(|i| i.kind)
                        .chain(s.answers.iter().copied())
                })
                .collect(),
            addresses: model::link_addresses(n),
            source_url: n.source_url.clone(),
            texts: model::located_texts(&src, n),
        },
    );
    let ok = !has_errors(&diagnostics);
    let sha256 = crate::sha256_hex(text.as_bytes());
    let loaded = notice.filter(|_| ok).map(|mut notice| {
        notice.version = Some(crate::VersionId::of_sha256(&sha256));
        notice.source = Some(source_file(path, text));
        Loaded {
            path: path.to_owned(),
            readability: model::readability(&src, &notice),
            notice,
            warnings: diagnostics.clone(),
            source_sha256: sha256,
            inputs: std::iter::once(path.to_owned())
                .chain(inputs.iter().cloned())
                .collect(),
        }
    });
    Checked {
        path: path.to_owned(),
        loaded,
        diagnostics,
        inputs,
        declares,
    }
}

/// The data file at `path` with `text`, to embed in PDFs.
fn source_file(path: &Path, text: &str) -> model::SourceFile {
    model::SourceFile {
        name: path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        data: std::sync::Arc::from(text.as_bytes()),
    }
}

fn logo_inputs(path: &Path, logo: Option<&model::Logo>) -> Vec<PathBuf> {
    logo.map(|logo| logo_path(path, &logo.file))
        .into_iter()
        .collect()
}

/// Checks the collection file on its own.
fn check_collection(path: &Path, text: &str, pictures: Pictures) -> Checked {
    let src = model::Located::new(text);
    let (collection, diagnostics) = match model::parse_collection(path, &src) {
        Err(d) => (None, vec![d]),
        Ok(mut c) => {
            let mut diags = model::validate_collection(path, &src, &c, &fonts::covers);
            if !has_errors(&diags)
                && let Some(d) =
                    read_logo(path, &src, c.logo.as_ref(), &mut c.logo_picture, pictures)
            {
                insert_in_order(&mut diags, d);
            }
            (Some(c), diags)
        }
    };
    let inputs = logo_inputs(path, collection.as_ref().and_then(|c| c.logo.as_ref()));
    let placed = collection.as_ref().map_or(Vec::new(), |c| {
        let mut placed = Vec::new();
        for (gi, g) in c.groups.iter().enumerate() {
            for (ni, id) in g.notices.iter().enumerate() {
                let at = [
                    model::Seg::Key("groups"),
                    model::Seg::Index(gi),
                    model::Seg::Key("notices"),
                    model::Seg::Index(ni),
                ];
                let (line, col) = src.locate(&at);
                placed.push((id.clone(), line, col, model::path_string(&at)));
            }
        }
        placed
    });
    let ok = !has_errors(&diagnostics);
    Checked {
        path: path.to_owned(),
        loaded: None,
        diagnostics,
        inputs,
        declares: Declares::Collection {
            reads: collection.is_some(),
            collection: collection.filter(|_| ok).map(|mut c| {
                c.source = Some(source_file(path, text));
                Box::new(c)
            }),
            placed,
        },
    }
}

/// A set of data files (a data directory, or the files given to `check`), each checked, with
/// the rules across files applied, each problem reported in the file and at the place to fix:
/// - two files may not declare the same notice id: the file that sorts later is in error, so
///   the outcome never depends on history;
/// - a link `notice:ID#section` must name a notice of the set and a printed section of it;
/// - with a collection (`collection.toml`): there is one, every id it places is a notice of
///   the set, and every notice is placed.
///
/// A file that does not read is reported for its own error only: links to the id it gives
/// itself (or to any id, when that does not read either) and its place in the collection are
/// not judged, nor what the collection's questions are answered by; a collection that does
/// not read places no notice wrongly.
#[derive(Debug, Clone)]
pub struct DataSet {
    pub files: Vec<Checked>,
    /// The errors the rules across files found (also among their files' diagnostics): the
    /// consequences, listed after the errors files have on their own ([`DataSet::errors`]).
    across: Vec<Diagnostic>,
    /// The web addresses of its notices, by id (what a `notice:` link leads to alone).
    peers: model::Peers,
}

impl DataSet {
    /// Every file the set was read from: the data files and the logos they name.
    pub fn input_paths(&self) -> Vec<PathBuf> {
        self.files
            .iter()
            .flat_map(|f| std::iter::once(&f.path).chain(&f.inputs))
            .cloned()
            .collect()
    }

    /// `path` checked together with the data files beside it (its data set), whether or not
    /// its own name makes it one.
    pub fn around(path: &Path) -> DataSet {
        DataSet::around_checked(path, check_file(path))
    }

    /// [`DataSet::around`], with `path` already checked (`own`): each file is read and parsed
    /// once.
    fn around_checked(path: &Path, own: Checked) -> DataSet {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        let mut paths = discover(dir.unwrap_or(Path::new("."))).unwrap_or_default();
        if dir.is_none() {
            // `discover(".")` names files `./x.toml`; `path` is `x.toml`.
            paths = paths
                .into_iter()
                .map(|p| p.strip_prefix(".").map(Path::to_owned).unwrap_or(p))
                .collect();
        }
        let others = paths.iter().filter(|p| *p != path).map(|p| check_file(p));
        DataSet::assemble(others.chain(std::iter::once(own)).collect())
    }

    /// Checks every data file of `dir`.
    pub fn load_dir(dir: &Path) -> Result<DataSet> {
        Ok(DataSet::assemble(
            discover(dir)?.iter().map(|p| check_file(p)).collect(),
        ))
    }

    /// Applies the rules across files to files checked one by one.
    pub fn assemble(mut files: Vec<Checked>) -> DataSet {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut found: Vec<(usize, Diagnostic)> = Vec::new();

        // Notice ids: the first file declaring each, and its printed sections.
        let mut ids: std::collections::BTreeMap<&str, (usize, &[String])> = Default::default();
        for (i, f) in files.iter().enumerate() {
            let Declares::Notice {
                id,
                id_at,
                sections,
                ..
            } = &f.declares
            else {
                continue;
            };
            match ids.get(id.as_str()) {
                None => {
                    ids.insert(id, (i, sections));
                }
                Some(&(first, _)) => found.push((
                    i,
                    Diagnostic::new(
                        Severity::Error,
                        &f.path,
                        *id_at,
                        "id",
                        format!(
                            "notice id \"{id}\" is already used by {}",
                            files[first].path.display()
                        ),
                    )
                    .hint("every notice needs its own id (it names the output file)"),
                )),
            }
        }

        // Notices that do not read: links to their ids and their places in the collection are
        // not judged, nor what the collection's notices answer (their own errors come first).
        let unreadable: Vec<Option<&str>> = files
            .iter()
            .filter_map(|f| match &f.declares {
                Declares::Unreadable { id } => Some(id.as_deref()),
                _ => None,
            })
            .collect();
        let may_exist = |id: &str| unreadable.iter().any(|u| u.is_none_or(|u| u == id));

        // Links between notices.
        for (i, f) in files.iter().enumerate() {
            let Declares::Notice { refs, .. } = &f.declares else {
                continue;
            };
            for r in refs {
                let problem = match (ids.get(r.id.as_str()), &r.section) {
                    (None, _) if may_exist(&r.id) => None,
                    (None, _) => Some((
                        format!("the link names notice \"{}\", and there is none", r.id),
                        format!("the notices are: {}", list(ids.keys().copied())),
                    )),
                    (Some((_, sections)), Some(s)) if !sections.contains(s) => Some((
                        format!("notice \"{}\" has no printed section \"{s}\"", r.id),
                        format!(
                            "its sections are: {}",
                            list(sections.iter().map(String::as_str))
                        ),
                    )),
                    _ => None,
                };
                if let Some((message, hint)) = problem {
                    found.push((
                        i,
                        Diagnostic::new(
                            Severity::Error,
                            &f.path,
                            (r.line, r.col),
                            &r.field,
                            message,
                        )
                        .hint(hint),
                    ));
                }
            }
        }

        // The collection.
        let collections: Vec<usize> = (0..files.len())
            .filter(|&i| matches!(files[i].declares, Declares::Collection { .. }))
            .collect();
        for &later in collections.iter().skip(1) {
            found.push((
                later,
                Diagnostic::new(
                    Severity::Error,
                    &files[later].path,
                    (0, 0),
                    "",
                    format!(
                        "a second collection: {} is the collection",
                        files[collections[0]].path.display()
                    ),
                )
                .hint("keep one collection.toml"),
            ));
        }
        if let Some(&c) = collections.first()
            && let Declares::Collection { placed, reads, .. } = &files[c].declares
            && *reads
        {
            for (id, line, col, field) in placed {
                if !ids.contains_key(id.as_str()) && !may_exist(id) {
                    found.push((
                        c,
                        Diagnostic::new(
                            Severity::Error,
                            &files[c].path,
                            (*line, *col),
                            field,
                            format!("no notice has the id {}", crate::error::quoted(id)),
                        )
                        .hint(format!("the notices are: {}", list(ids.keys().copied()))),
                    ));
                }
            }
            for (&id, &(i, _)) in &ids {
                if placed.iter().any(|p| p.0 == id) {
                    continue;
                }
                let Declares::Notice { id_at, .. } = &files[i].declares else {
                    continue;
                };
                found.push((
                    i,
                    Diagnostic::new(
                        Severity::Error,
                        &files[i].path,
                        *id_at,
                        "id",
                        format!("notice \"{id}\" is not placed in the collection"),
                    )
                    .hint(format!(
                        "add \"{id}\" to a group's notices in {}",
                        files[c].path.display()
                    )),
                ));
            }
        }

        // Each notice's address, by id: where a `notice:` link leads in a document of one
        // notice, and what it counts as linking to for the collection's questions.
        let peers: model::Peers = std::sync::Arc::new(
            files
                .iter()
                .filter_map(|f| match &f.declares {
                    Declares::Notice {
                        id,
                        source_url: Some(url),
                        ..
                    } => Some((id.clone(), url.clone())),
                    _ => None,
                })
                .collect(),
        );
        // The plain-language lint and the collection's own questions: warnings.
        let mut warnings: Vec<(usize, Diagnostic)> = Vec::new();
        if let Some(&c) = collections.first()
            && let Declares::Collection {
                collection: Some(collection),
                ..
            } = &files[c].declares
        {
            for (i, f) in files.iter().enumerate() {
                let Declares::Notice { texts, .. } = &f.declares else {
                    continue;
                };
                for t in texts {
                    for v in model::lint::vague(&t.text, &collection.lint.vague) {
                        let at = t.locate(v.at.clone());
                        warnings.push((
                            i,
                            Diagnostic::new(Severity::Warning, &f.path, at, &t.field, format!("vague qualifier {}: a reader cannot tell what happens", crate::error::quoted(v.phrase))).hint("say what is done, when and to whom (the list is `lint.vague` in collection.toml)"),
                        ));
                    }
                }
            }
            let links_to = |f: &Checked, url: &str| match &f.declares {
                Declares::Notice {
                    addresses, refs, ..
                } => {
                    addresses.iter().any(|a| a == url)
                        || refs
                            .iter()
                            .any(|r| peers.get(&r.id).is_some_and(|u| u == url))
                }
                _ => false,
            };
            for kind in model::ItemKind::COLLECTION
                .into_iter()
                .filter(|_| unreadable.is_empty())
            {
                let answered = files.iter().any(|f| {
                    matches!(&f.declares, Declares::Notice { answers, .. } if answers.contains(&kind))
                });
                let linked = collection
                    .answered_elsewhere
                    .get(kind.key())
                    .is_some_and(|url| files.iter().any(|f| links_to(f, url)));
                if !answered && !linked {
                    warnings.push((
                        c,
                        Diagnostic::new(Severity::Warning, &files[c].path, (0, 0), "", format!(
                                "no notice answers {} ({}), nor links to a page that does",
                                kind.key(),
                                kind.clause()
                            )).hint(format!(
                                "add an item with kind = \"{}\" to the notice that answers it, or name the page that does in `answered_elsewhere` and link to it",
                                kind.key()
                            )),
                    ));
                }
            }
        }
        for (i, d) in warnings {
            insert_in_order(&mut files[i].diagnostics, d);
        }
        // A notice's warnings are what `check` prints for it: the lint across files included.
        for f in &mut files {
            if let Some(loaded) = &mut f.loaded {
                loaded.warnings = f
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Warning)
                    .cloned()
                    .collect();
            }
        }

        for f in &mut files {
            if let Some(loaded) = &mut f.loaded {
                loaded.notice.peers = peers.clone();
            }
        }

        let across = found.iter().map(|(_, d)| d.clone()).collect();
        for (i, d) in found {
            let f = &mut files[i];
            insert_in_order(&mut f.diagnostics, d);
            f.loaded = None;
            if let Declares::Collection { collection, .. } = &mut f.declares {
                *collection = None;
            }
        }
        DataSet {
            files,
            across,
            peers,
        }
    }

    /// The valid notices, in file order.
    pub fn notices(&self) -> impl Iterator<Item = &Loaded> {
        self.files.iter().filter_map(|f| f.loaded.as_ref())
    }

    /// The collection, when there is one and it has no error.
    pub fn collection(&self) -> Option<&Collection> {
        self.files.iter().find_map(|f| match &f.declares {
            Declares::Collection {
                collection: Some(c),
                ..
            } => Some(&**c),
            _ => None,
        })
    }

    /// Whether `d` is about the set's membership rather than what its file says: a notice id
    /// another file already uses, or a notice the collection does not place.
    pub fn is_membership(&self, d: &Diagnostic) -> bool {
        d.field == "id" && self.across.contains(d)
    }

    /// Every error of every file, root causes first: the errors files have on their own (a
    /// half-written notice), in file order, then what the rules across files found (the
    /// collection placing that notice), in file order.
    pub fn errors(&self) -> Vec<Diagnostic> {
        let across: std::collections::HashSet<&Diagnostic> = self.across.iter().collect();
        let errors = || {
            self.files
                .iter()
                .flat_map(|f| &f.diagnostics)
                .filter(|d| d.severity == Severity::Error)
        };
        errors()
            .filter(|d| !across.contains(d))
            .chain(errors().filter(|d| across.contains(d)))
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

/// `a, b, c`, or "(none)".
fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let all: Vec<&str> = items.collect();
    if all.is_empty() {
        "(none)".into()
    } else {
        all.join(", ")
    }
}

/// A notice read from its data file and validated.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub notice: model::Notice,
    /// Lint findings (the notice can still be rendered).
    pub warnings: Vec<Diagnostic>,
    /// Plain-language figures, per printed section.
    pub readability: Vec<model::SectionReadability>,
    /// SHA-256 of the data file's bytes, hex.
    pub source_sha256: String,
    /// Every file the notice is made from: its data file and the logo it names, and, from
    /// [`load_in_place`], every file of the data set it was checked with (the collection, the
    /// notices its links lead to, their logos). No output of a run may replace one of them
    /// ([`crate::output::Inputs`]).
    pub inputs: Vec<PathBuf>,
}

/// Loads one data file for rendering: fails with every error found in it; warnings are
/// returned. (A data directory is loaded with [`DataSet`].)
pub fn load(path: &Path) -> Result<Loaded> {
    let checked = check_file(path);
    checked.loaded.ok_or_else(|| {
        Error::Data(
            checked
                .diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect(),
        )
    })
}

/// Loads one data file for rendering with the rules of the data set it sits in (its
/// directory), as `check` and `build` apply them to what the document says: a link to a notice
/// or section the set does not have fails here too. Whether the set may hold the file (its id
/// used twice, its place in the collection) is for `check` and `build`: two versions of a
/// notice side by side can each be rendered. Only this file's problems count.
pub fn load_in_place(path: &Path) -> Result<Loaded> {
    let own = check_file(path);
    // The file as it reads on its own: the set may hold it back for its membership.
    let mine = own.loaded.clone();
    let set = DataSet::around_checked(path, own);
    let checked = set
        .files
        .iter()
        .find(|f| f.path == path)
        .expect("the set holds the file it was made around");
    let errors: Vec<Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && !set.is_membership(d))
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(Error::Data(errors));
    }
    // Valid on its own and its links resolve: its warnings as the set has them, its links to
    // other notices leading to their addresses.
    let mut loaded = mine.expect("a file without errors of its own is loaded");
    loaded.notice.peers = set.peers.clone();
    // The set's files were read too (links, the collection): no output may replace them.
    for path in set.input_paths() {
        if !loaded.inputs.contains(&path) {
            loaded.inputs.push(path);
        }
    }
    loaded.warnings = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .cloned()
        .collect();
    Ok(loaded)
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
