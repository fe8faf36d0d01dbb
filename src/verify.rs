//! `verify`: proof of which data a PDF was made from. Every PDF carries its data files and a
//! recipe (the render options) as embedded files ([`crate::layout::attach`]); `verify` reads
//! them back ([`read`], a lazy reader within limits), renders them again with the recipe, and
//! compares bytes. Identical bytes prove the document is exactly what that data gives; one
//! changed byte anywhere shows.
//!
//! A PDF given to `verify` or `diff` (or found in a build's output directory) is read within
//! limits, so that no file makes them take more than a bounded amount of memory and work
//! (docs/input-limits.md): its size, what its streams decompress to (stream by stream, each
//! decoder capped as it inflates), its name tree (every node once), and its embedded files
//! (each within the limit on a data file, as a data file on disk). Nothing is written to disk.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::layout::attach::RECIPE;
use crate::source::{DataSet, Pictures};

pub(crate) mod read;

/// The largest PDF `verify` and `diff` read, in bytes (64 MiB; a notice's PDF is about
/// 30 KB, the fixture pack 92 KB).
pub const MAX_PDF_BYTES: u64 = 64 << 20;

/// The most one object or cross-reference stream may decompress to, in bytes.
pub const MAX_STREAM_BYTES: u64 = 16 << 20;

/// The most all object and cross-reference streams of a PDF together may decompress to, in
/// bytes.
pub const MAX_OBJECT_STREAMS_BYTES: u64 = 64 << 20;

/// The most one embedded file may decompress to, in bytes: the limit on a data file or logo
/// ([`crate::source::MAX_FILE_BYTES`]).
pub const MAX_EMBEDDED_BYTES: u64 = crate::source::MAX_FILE_BYTES;

/// The most all embedded files of a PDF together may hold, in bytes (8 MiB: a pack of real
/// notices carries about 4 KB a notice; `verify` renders what it carries again).
pub const MAX_EMBEDDED_TOTAL: u64 = 8 << 20;

/// The most nodes and entries of the embedded files' name tree read.
pub const MAX_TREE_NODES: usize = 65_536;

pub use crate::layout::recipe::{Document, Recipe};

/// One notice a document holds, as its embedded data says.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub id: String,
    pub title: String,
    pub updated: chrono::NaiveDate,
    /// The version id (8 hex digits of the data file's SHA-256).
    pub version: crate::VersionId,
    /// The earlier version its "Vad har ändrats" section compares with: date and version id.
    pub compared_with: Option<(chrono::NaiveDate, crate::VersionId)>,
}

/// What rendering the embedded data again gives, against the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The same bytes.
    Identical,
    /// Different bytes: the first offset that differs, and both lengths.
    Differs {
        at: usize,
        file_len: usize,
        rendered_len: usize,
    },
    /// Made by another version of notice-pdf: its bytes are not expected to be reproduced.
    OtherGenerator { recorded: String },
}

/// The result of [`verify`].
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub recipe: Recipe,
    pub held: Vec<Held>,
    pub outcome: Outcome,
}

/// The files embedded in `pdf`, by name, in the order of its name tree. Within the limits
/// above: no stream decompresses past its limit, no node of the name tree is read twice.
pub fn embedded_files(pdf: &[u8]) -> Result<Vec<(String, Vec<u8>)>> {
    if pdf.len() as u64 > MAX_PDF_BYTES {
        return Err(bad(format!(
            "the PDF is {} bytes; verify and diff read at most {}",
            pdf.len(),
            mib(MAX_PDF_BYTES)
        )));
    }
    let unreadable = |why: String| bad(format!("the file cannot be read as a PDF: {why}"));
    let mut doc = read::Pdf::open(pdf).map_err(unreadable)?;
    let root = doc.trailer.get(b"Root").cloned().unwrap_or(read::Obj::Null);
    let catalog = doc.resolve(&root).map_err(unreadable)?;
    if !catalog.is_dict() {
        return Err(bad("the PDF has no catalog".into()));
    }
    let names = match catalog.get(b"Names") {
        Some(n) => doc.resolve(n).map_err(unreadable)?,
        None => read::Obj::Null,
    };
    let Some(tree) = names.get(b"EmbeddedFiles").cloned() else {
        return Err(bad("the PDF carries no embedded files".into()));
    };
    let mut walk = Walk {
        doc,
        seen: HashSet::new(),
        nodes: 0,
        total: 0,
        out: Vec::new(),
    };
    walk.node(&tree, 0)?;
    Ok(walk.out)
}

fn bad(message: String) -> Error {
    Error::Verify { message }
}

/// `n` bytes as a reader reads a limit: `1 MiB (1048576 bytes)`.
fn mib(n: u64) -> String {
    format!("{} MiB ({n} bytes)", n >> 20)
}

/// A walk over the embedded files' name tree: every indirect object it reaches is read once
/// (a tree that names a node twice, or itself, is refused), at most [`MAX_TREE_NODES`] nodes
/// and entries, the files' data within [`MAX_EMBEDDED_BYTES`] each and
/// [`MAX_EMBEDDED_TOTAL`] together.
struct Walk<'a> {
    doc: read::Pdf<'a>,
    seen: HashSet<u32>,
    nodes: usize,
    total: u64,
    out: Vec<(String, Vec<u8>)>,
}

impl Walk<'_> {
    fn problem(message: &str) -> Error {
        bad(format!("the embedded files cannot be read: {message}"))
    }

    /// `object`, resolved when it is a reference that has not been reached before.
    fn reach(&mut self, object: &read::Obj, what: &str) -> Result<read::Obj> {
        self.nodes += 1;
        if self.nodes > MAX_TREE_NODES {
            return Err(Self::problem(&format!(
                "the name tree has more than {MAX_TREE_NODES} nodes and entries"
            )));
        }
        if let read::Obj::Ref(num) = object
            && !self.seen.insert(*num)
        {
            return Err(Self::problem(&format!(
                "the name tree reaches {what} {num} 0 R twice"
            )));
        }
        self.doc
            .resolve(object)
            .map_err(|why| Self::problem(&format!("{what}: {why}")))
    }

    /// Walks a name tree node (`/Names` pairs and `/Kids`), collecting each file's contents.
    fn node(&mut self, node: &read::Obj, depth: usize) -> Result<()> {
        if depth > 16 {
            return Err(Self::problem("the name tree is too deep"));
        }
        let node = self.reach(node, "a name tree node")?;
        if !node.is_dict() {
            return Err(Self::problem("a name tree node"));
        }
        if let Some(read::Obj::Array(kids)) = node.get(b"Kids") {
            for kid in kids {
                self.node(kid, depth + 1)?;
            }
        }
        if let Some(read::Obj::Array(names)) = node.get(b"Names") {
            for pair in names.chunks(2) {
                let [_, spec] = pair else {
                    return Err(Self::problem("an odd name tree"));
                };
                self.file(spec)?;
            }
        }
        Ok(())
    }

    /// One file specification: its name and its data, decompressed within the limits.
    fn file(&mut self, spec: &read::Obj) -> Result<()> {
        let spec = self.reach(spec, "a file specification")?;
        let name = match spec.get(b"UF").or_else(|| spec.get(b"F")) {
            Some(read::Obj::Str(bytes)) => {
                lopdf::decode_text_string(&lopdf::Object::string_literal(bytes.clone()))
                    .map_err(|_| Self::problem("a file name"))?
            }
            _ => return Err(Self::problem("a file name")),
        };
        let stream = spec
            .get(b"EF")
            .and_then(|ef| ef.get(b"F"))
            .cloned()
            .ok_or_else(|| Self::problem("an embedded file stream"))?;
        let stream = self.reach(&stream, "an embedded file stream")?;
        let data = match self.doc.data(&stream, MAX_EMBEDDED_BYTES) {
            Ok(data) => data,
            Err(read::Decode::TooLarge) => {
                return Err(bad(format!(
                    "the embedded file \"{}\" is larger than {} once decompressed: a data file or logo may be at most that",
                    name.escape_debug(),
                    mib(MAX_EMBEDDED_BYTES)
                )));
            }
            Err(read::Decode::Bad(why)) => {
                return Err(Self::problem(&format!(
                    "the data of \"{}\": {why}",
                    name.escape_debug()
                )));
            }
        };
        self.total += data.len() as u64;
        if self.total > MAX_EMBEDDED_TOTAL {
            return Err(Self::problem(&format!(
                "the embedded files hold more than {} in all",
                mib(MAX_EMBEDDED_TOTAL)
            )));
        }
        if self.out.iter().any(|(n, _)| *n == name) {
            return Err(Self::problem(&format!(
                "two embedded files are named \"{}\"",
                name.escape_debug()
            )));
        }
        self.out.push((name, data));
        Ok(())
    }
}

/// The notice a single notice's PDF carries, parsed from its embedded data file (its version
/// id from the file's bytes). For `diff`.
pub fn embedded_notice(pdf: &[u8]) -> Result<crate::Notice> {
    let bad = |message: String| Error::Verify { message };
    let files = embedded_files(pdf)?;
    let previous = recipe_of(&files).map(|r| r.previous).unwrap_or_default();
    let toml: Vec<&(String, Vec<u8>)> = files
        .iter()
        .filter(|(name, _)| name.ends_with(".toml") && name != crate::model::COLLECTION_FILE)
        .filter(|(name, _)| !previous.contains(name))
        .collect();
    let [(name, data)] = toml[..] else {
        return Err(bad(format!(
            "the PDF carries {} notices; diff compares one notice's versions",
            toml.len()
        )));
    };
    notice_from(name, data)
}

/// A notice parsed from an embedded data file, its version id from the file's bytes.
fn notice_from(name: &str, data: &[u8]) -> Result<crate::Notice> {
    let text = std::str::from_utf8(data).map_err(|_| Error::Verify {
        message: format!("its {name} is not UTF-8"),
    })?;
    let mut notice =
        crate::model::parse(Path::new(name), text).map_err(|d| Error::Data(vec![d]))?;
    notice.version = Some(crate::VersionId::of(data));
    notice.source = Some(crate::model::SourceFile {
        name: name.to_owned(),
        data: std::sync::Arc::from(data),
    });
    Ok(notice)
}

/// The recipe among `files`: an error when there is none or it cannot be read.
fn recipe_of(files: &[(String, Vec<u8>)]) -> Result<Recipe> {
    let bad = |message: String| Error::Verify { message };
    let (_, data) = files
        .iter()
        .find(|(name, _)| name == RECIPE)
        .ok_or_else(|| {
            bad(format!(
                "the PDF carries no {RECIPE}: it was not made by notice-pdf"
            ))
        })?;
    serde_json::from_slice(data).map_err(|e| bad(format!("its {RECIPE} cannot be read: {e}")))
}

/// Reads the embedded data of `pdf`, renders it again with its recipe and compares.
pub fn verify(pdf: &[u8]) -> Result<Verdict> {
    // A sealed file: revision 1 is the document rendered; the seal is checked on its own.
    let pdf = crate::seal::first_revision(pdf);
    let files = embedded_files(pdf)?;
    let bad = |message: String| Error::Verify { message };
    let recipe = recipe_of(&files)?;

    // The data files, as they were beside each other in the data directory: read from
    // memory, their logos from among the files the PDF carries.
    let mut previous = Vec::new();
    let mut data = Vec::new();
    for (name, bytes) in files.iter().filter(|(name, _)| name != RECIPE) {
        let plain = !name.is_empty()
            && !name.starts_with('.')
            && !name.contains(['/', '\\'])
            && name != "..";
        if !plain {
            return Err(bad(format!(
                "an embedded file has the name \"{}\"",
                name.escape_debug()
            )));
        }
        if recipe.previous.contains(name) {
            previous.push(notice_from(name, bytes).map_err(relabel)?);
        } else if crate::source::counts_as_data(name) {
            data.push((name, bytes));
        }
    }
    let check = |name: &str, bytes: &[u8]| -> Result<crate::source::Checked> {
        let text = std::str::from_utf8(bytes).map_err(|_| Error::Verify {
            message: format!("its {name} is not UTF-8"),
        })?;
        Ok(crate::source::check_text_with(
            Path::new(name),
            text,
            Pictures::Among(&files),
        ))
    };
    // A notice is read on its own, as `render` reads it; a pack with its collection, as
    // `build` reads a data directory.
    let pack = recipe.document == Document::Pack;
    let (set, alone) = if pack {
        let checked = data
            .iter()
            .map(|(name, bytes)| check(name, bytes))
            .collect::<Result<Vec<_>>>()?;
        let set = DataSet::assemble(checked);
        set.all_valid().map_err(relabel)?;
        (Some(set), None)
    } else {
        let [(name, bytes)] = data[..] else {
            return Err(bad(format!(
                "a notice's PDF carries {} data files",
                data.len()
            )));
        };
        let checked = check(name, bytes)?;
        let loaded = checked.loaded.ok_or_else(|| {
            relabel(Error::Data(
                checked
                    .diagnostics
                    .into_iter()
                    .filter(|d| d.severity == crate::Severity::Error)
                    .collect(),
            ))
        })?;
        (None, Some(loaded))
    };
    // Each notice with the previous version it was compared with, as the document had it.
    let owned: Vec<crate::Notice> = match (&set, &alone) {
        (Some(set), _) => set
            .all_valid()?
            .into_iter()
            .map(|l| l.notice.clone())
            .collect(),
        (None, Some(loaded)) => {
            let mut n = loaded.notice.clone();
            n.peers = std::sync::Arc::new(recipe.links.clone());
            vec![n]
        }
        (None, None) => unreachable!("one of them is read"),
    }
    .into_iter()
    .map(|mut n| {
        n.previous = previous
            .iter()
            .find(|p| p.id == n.id)
            .map(|p| Box::new(p.clone()));
        n
    })
    .collect();
    if let Some(p) = previous
        .iter()
        .find(|p| !owned.iter().any(|n| n.id == p.id))
    {
        return Err(bad(format!(
            "the PDF carries an earlier version of {}, a notice it does not hold",
            p.id
        )));
    }
    let notices: Vec<&crate::Notice> = owned.iter().collect();
    let held: Vec<Held> = recipe
        .ids
        .iter()
        .filter_map(|id| notices.iter().find(|n| n.id == *id))
        .filter_map(|n| {
            // Every notice read from a PDF has its version id ([`notice_from`]); one without
            // would leave `held` short, which is refused below.
            Some(Held {
                id: n.id.clone(),
                title: n.title.clone(),
                updated: n.updated,
                version: n.version.clone()?,
                compared_with: n
                    .previous
                    .as_deref()
                    .and_then(|p| Some((p.updated, p.version.clone()?))),
            })
        })
        .collect();
    if held.len() != recipe.ids.len() || held.is_empty() {
        return Err(bad(format!(
            "the recipe names notices the PDF does not carry: {}",
            recipe.ids.join(", ")
        )));
    }

    let ours = format!("notice-pdf {}", env!("CARGO_PKG_VERSION"));
    if recipe.generator != ours {
        return Ok(Verdict {
            outcome: Outcome::OtherGenerator {
                recorded: recipe.generator.clone(),
            },
            recipe,
            held,
        });
    }
    let opts = recipe.options();
    let rendered = match recipe.document {
        Document::Notice => {
            let n = notices
                .iter()
                .find(|n| n.id == recipe.ids[0])
                .expect("checked above");
            crate::render::render(crate::Document::Notice(n), &opts)?.pdf
        }
        Document::Pack => {
            let collection = set
                .as_ref()
                .and_then(DataSet::collection)
                .ok_or_else(|| bad("the pack carries no collection".into()))?;
            let selected = crate::render::pack_selection(collection, &notices, Some(&recipe.ids))?;
            let doc = crate::Document::Pack {
                collection,
                selected: &selected,
                all: &notices,
            };
            crate::render::render(doc, &opts)?.pdf
        }
    };
    let outcome = match pdf.iter().zip(&rendered).position(|(a, b)| a != b) {
        None if pdf.len() == rendered.len() => Outcome::Identical,
        at => Outcome::Differs {
            at: at.unwrap_or(pdf.len().min(rendered.len())),
            file_len: pdf.len(),
            rendered_len: rendered.len(),
        },
    };
    Ok(Verdict {
        recipe,
        held,
        outcome,
    })
}

/// `e` with each file named `embedded:<name>`: problems with the embedded data name the
/// file as the PDF carries it.
fn relabel(e: Error) -> Error {
    match e {
        Error::Data(diags) => Error::Data(
            diags
                .into_iter()
                .map(|mut d| {
                    d.file = PathBuf::from(format!("embedded:{}", d.file.display()));
                    d
                })
                .collect(),
        ),
        other => other,
    }
}

/// Reads a PDF for [`verify`] and `diff`, within [`MAX_PDF_BYTES`] (also when it is not a
/// regular file, or grows while it is read).
pub fn read_pdf(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let too_large = |len: u64| Error::Verify {
        message: format!(
            "{} is {}{len} bytes; verify and diff read at most {}",
            path.display(),
            if len > MAX_PDF_BYTES { "" } else { "over " },
            mib(MAX_PDF_BYTES)
        ),
    };
    let meta = std::fs::metadata(path).map_err(|e| Error::io("read", path, e))?;
    if meta.len() > MAX_PDF_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_PDF_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::io("read", path, e))?;
    if bytes.len() as u64 > MAX_PDF_BYTES {
        return Err(too_large(MAX_PDF_BYTES));
    }
    Ok(bytes)
}
