//! `verify`: proof of which data a PDF was made from. Every PDF carries its data files and a
//! recipe (the render options) as embedded files ([`crate::layout::attach`]); `verify` reads
//! them back with lopdf, renders them again with the recipe, and compares bytes. Identical
//! bytes prove the document is exactly what that data gives; one changed byte anywhere shows.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::layout::attach::RECIPE;
use crate::layout::{Align, Edition, Options};
use crate::source::DataSet;

/// The largest PDF `verify` reads, in bytes.
pub const MAX_PDF_BYTES: u64 = 256 * 1024 * 1024;

/// How a document was made, as its recipe records it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    /// `notice-pdf <version>`.
    pub generator: String,
    /// `notice` or `pack`.
    pub document: String,
    /// The notices it holds, in order.
    pub ids: Vec<String>,
    pub edition: String,
    pub align: String,
    /// The date given instead of the data's (`SOURCE_DATE_EPOCH`), `YYYY-MM-DDTHH:MM:SS`.
    pub date: Option<String>,
    /// The embedded files that are earlier versions its notices are compared with (their
    /// "Vad har ändrats" sections), not notices of the document.
    #[serde(default)]
    pub previous: Vec<String>,
}

/// One notice a document holds, as its embedded data says.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub id: String,
    pub title: String,
    pub updated: chrono::NaiveDate,
    /// The version id (8 hex digits of the data file's SHA-256).
    pub version: String,
    /// The earlier version its "Vad har ändrats" section compares with: date and version id.
    pub compared_with: Option<(chrono::NaiveDate, String)>,
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

/// The files embedded in `pdf`, by name, in the order of its name tree.
pub fn embedded_files(pdf: &[u8]) -> Result<Vec<(String, Vec<u8>)>> {
    let bad = |message: String| Error::Verify { message };
    let doc = lopdf::Document::load_mem(pdf)
        .map_err(|e| bad(format!("the file cannot be read as a PDF: {e}")))?;
    let catalog = doc
        .catalog()
        .map_err(|e| bad(format!("the PDF has no catalog: {e}")))?;
    let tree = catalog
        .get(b"Names")
        .and_then(|n| doc.dereference(n))
        .and_then(|(_, n)| n.as_dict())
        .and_then(|n| n.get(b"EmbeddedFiles"))
        .and_then(|t| doc.dereference(t))
        .and_then(|(_, t)| t.as_dict())
        .map_err(|_| bad("the PDF carries no embedded files".into()))?;
    let mut out = Vec::new();
    collect(&doc, tree, &mut out, 0)?;
    Ok(out)
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
    notice.version = Some(crate::sha256_hex(data)[..8].to_owned());
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

/// Walks a name tree (`/Names` pairs and `/Kids`), collecting each file spec's contents.
fn collect(
    doc: &lopdf::Document,
    node: &lopdf::Dictionary,
    out: &mut Vec<(String, Vec<u8>)>,
    depth: usize,
) -> Result<()> {
    let bad = |message: &str| Error::Verify {
        message: format!("the embedded files cannot be read: {message}"),
    };
    if depth > 16 {
        return Err(bad("the name tree is too deep"));
    }
    if let Ok(kids) = node.get(b"Kids").and_then(|k| k.as_array()) {
        for kid in kids {
            let kid = doc
                .dereference(kid)
                .and_then(|(_, k)| k.as_dict())
                .map_err(|_| bad("a name tree node"))?;
            collect(doc, kid, out, depth + 1)?;
        }
    }
    if let Ok(names) = node.get(b"Names").and_then(|n| n.as_array()) {
        for pair in names.chunks(2) {
            let [_, spec] = pair else {
                return Err(bad("an odd name tree"));
            };
            let spec = doc
                .dereference(spec)
                .and_then(|(_, s)| s.as_dict())
                .map_err(|_| bad("a file specification"))?;
            let name = spec
                .get(b"UF")
                .or_else(|_| spec.get(b"F"))
                .and_then(lopdf::decode_text_string)
                .map_err(|_| bad("a file name"))?;
            let stream = spec
                .get(b"EF")
                .and_then(|ef| ef.as_dict())
                .and_then(|ef| ef.get(b"F"))
                .and_then(|f| doc.dereference(f))
                .and_then(|(_, f)| f.as_stream())
                .map_err(|_| bad("an embedded file stream"))?;
            let data = stream
                .decompressed_content()
                .or_else(|_| Ok::<_, lopdf::Error>(stream.content.clone()))
                .map_err(|_| bad("an embedded file's data"))?;
            out.push((name, data));
        }
    }
    Ok(())
}

/// A scratch directory for the embedded data, removed when dropped. Named by process and a
/// counter (the library uses no randomness).
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let dir =
                std::env::temp_dir().join(format!("notice-pdf-verify-{}-{n}", std::process::id()));
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(Scratch(dir)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(Error::io("create a scratch directory", dir, e)),
            }
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Reads the embedded data of `pdf`, renders it again with its recipe and compares.
pub fn verify(pdf: &[u8]) -> Result<Verdict> {
    let files = embedded_files(pdf)?;
    let bad = |message: String| Error::Verify { message };
    let recipe = recipe_of(&files)?;

    // The data files, as they were beside each other in the data directory.
    let scratch = Scratch::new()?;
    let mut previous = Vec::new();
    for (name, data) in files.iter().filter(|(name, _)| name != RECIPE) {
        let plain = !name.is_empty()
            && !name.starts_with('.')
            && !name.contains(['/', '\\'])
            && name != "..";
        if !plain {
            return Err(bad(format!("an embedded file has the name {name:?}")));
        }
        if recipe.previous.contains(name) {
            previous.push(notice_from(name, data).map_err(|e| relabel(e, &scratch.0))?);
            continue;
        }
        let path = scratch.0.join(name);
        std::fs::write(&path, data).map_err(|e| Error::io("write", path, e))?;
    }
    // A notice is read on its own, as `render` reads it; a pack with its collection, as
    // `build` reads a data directory.
    let pack = recipe.document == "pack";
    let (set, alone) = if pack {
        let set = DataSet::load_dir(&scratch.0).map_err(|e| relabel(e, &scratch.0))?;
        set.all_valid().map_err(|e| relabel(e, &scratch.0))?;
        (Some(set), None)
    } else {
        let toml: Vec<&String> = files
            .iter()
            .map(|(name, _)| name)
            .filter(|name| name.ends_with(".toml") && !recipe.previous.contains(name))
            .collect();
        let [name] = toml[..] else {
            return Err(bad(format!(
                "a notice's PDF carries {} data files",
                toml.len()
            )));
        };
        let loaded = crate::load(&scratch.0.join(name)).map_err(|e| relabel(e, &scratch.0))?;
        (None, Some(loaded))
    };
    // Each notice with the previous version it was compared with, as the document had it.
    let owned: Vec<crate::Notice> = match (&set, &alone) {
        (Some(set), _) => set
            .all_valid()?
            .into_iter()
            .map(|l| l.notice.clone())
            .collect(),
        (None, Some(loaded)) => vec![loaded.notice.clone()],
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
        .map(|n| Held {
            id: n.id.clone(),
            title: n.title.clone(),
            updated: n.updated,
            version: n.version.clone().unwrap_or_default(),
            compared_with: n
                .previous
                .as_deref()
                .map(|p| (p.updated, p.version.clone().unwrap_or_default())),
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
    let opts = options(&recipe).map_err(bad)?;
    let rendered = match recipe.document.as_str() {
        "notice" => {
            let n = notices
                .iter()
                .find(|n| n.id == recipe.ids[0])
                .expect("checked above");
            crate::render::render_display(n, &opts)?.1
        }
        "pack" => {
            let collection = set
                .as_ref()
                .and_then(DataSet::collection)
                .ok_or_else(|| bad("the pack carries no collection".into()))?;
            let selected = crate::render::pack_selection(collection, &notices, Some(&recipe.ids))?;
            crate::render::render_pack(collection, &selected, &notices, &opts)?.1
        }
        other => return Err(bad(format!("the recipe's document is {other:?}"))),
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

/// `e` with the scratch directory's paths replaced by `embedded:<name>`: problems with the
/// embedded data name the file as the PDF carries it.
fn relabel(e: Error, scratch: &Path) -> Error {
    match e {
        Error::Data(diags) => Error::Data(
            diags
                .into_iter()
                .map(|mut d| {
                    if let Ok(rest) = d.file.strip_prefix(scratch) {
                        d.file = PathBuf::from(format!("embedded:{}", rest.display()));
                    }
                    d
                })
                .collect(),
        ),
        other => other,
    }
}

/// The render options a recipe records.
fn options(r: &Recipe) -> std::result::Result<Options, String> {
    let edition = Edition::ALL
        .into_iter()
        .find(|e| e.key() == r.edition)
        .ok_or_else(|| format!("the recipe's edition {:?} is unknown", r.edition))?;
    let align = match r.align.as_str() {
        "left" => Align::Left,
        "justify" => Align::Justify,
        other => return Err(format!("the recipe's alignment {other:?} is unknown")),
    };
    let date = r
        .date
        .as_deref()
        .map(|d| {
            chrono::NaiveDateTime::parse_from_str(d, "%Y-%m-%dT%H:%M:%S")
                .map_err(|_| format!("the recipe's date {d:?} is not a date"))
        })
        .transpose()?;
    Ok(Options {
        edition,
        align,
        date,
    })
}

/// Reads a PDF for [`verify`], within [`MAX_PDF_BYTES`].
pub fn read_pdf(path: &Path) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io("read", path, e))?;
    if meta.len() > MAX_PDF_BYTES {
        return Err(Error::Verify {
            message: format!(
                "{} is {} bytes; verify reads at most {MAX_PDF_BYTES}",
                path.display(),
                meta.len()
            ),
        });
    }
    std::fs::read(path).map_err(|e| Error::io("read", path, e))
}
