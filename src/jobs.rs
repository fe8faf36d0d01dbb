//! Jobs over a data directory: `build` (render every notice, write the manifest) and
//! `build --check`.
//!
//! A build is all or nothing: every notice is loaded and rendered in memory first; if any
//! fails, nothing is written and the error names every problem. Builds on one output directory
//! take turns ([`output::DirLock`], held from planning to commit). Every file about to be
//! replaced or retired is first copied into the archive, whoever wrote it; then the new set is
//! published as one generation, swapped in by one rename ([`crate::publish`]), so a reader never
//! sees a mixed set. Outputs whose bytes are unchanged are not rewritten. Outputs that no longer
//! belong to a notice (its id was renamed or its file removed) are retired into the archive.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::output::{self, Batch, Disk, Inputs, Storage};
use crate::source::DataSet;
use crate::{Edition, Loaded, Options};

/// One notice's entry in `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ManifestEntry {
    pub id: String,
    /// `standard`, `large`, or `html` for the HTML alternative.
    pub edition: Format,
    pub title: String,
    pub language: String,
    /// The notice's `updated` date, ISO 8601.
    pub updated: String,
    /// The version id printed in the PDF's title block: the first 8 hex digits of
    /// `source_sha256` (the audit log names the same id).
    pub version: crate::VersionId,
    /// Output file name, relative to the output directory.
    pub file: String,
    pub pages: usize,
    pub bytes: usize,
    /// SHA-256 of the PDF, hex.
    pub sha256: String,
    /// SHA-256 of the data file it was made from, hex. For the pack: of its notices' ids and
    /// data files' SHA-256, one `id sha256` line each.
    pub source_sha256: String,
    /// The pack only: the notices it holds, in order, as `id@version`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
    /// A notice whose document ends with "Vad har ändrats sedan …": the earlier version it
    /// compares with, as `updated@version` ([`crate::history`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compared_with: Option<String>,
}

/// `updated@version` of the earlier version `n` is compared with (its documents end with what
/// changed since).
fn compared_with(n: &crate::Notice) -> Option<String> {
    let p = n.previous.as_deref()?;
    Some(format!(
        "{}@{}",
        p.updated,
        p.version.as_deref().unwrap_or("-")
    ))
}

/// `manifest.json`: what the output directory holds. Deterministic (no timestamps).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub generator: String,
    pub notices: Vec<ManifestEntry>,
}

/// What happened to one output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Written,
    Unchanged,
}

/// Progress of a build, for the caller to show.
#[derive(Debug, Clone)]
pub enum Event<'a> {
    /// Another build holds the output directory; this one waits for it to finish.
    Waiting,
    /// `done` of `total` data files have been loaded and rendered (nothing written yet).
    Progress { done: usize, total: usize },
    /// An output that no notice makes any more was kept in the archive (`archived`, relative
    /// to the output directory) and its name removed.
    Retired { file: &'a str, archived: &'a Path },
    /// An output file was written or found unchanged.
    Rendered {
        entry: &'a ManifestEntry,
        outcome: Outcome,
        warnings: usize,
    },
}

#[derive(Debug, Clone)]
pub struct BuildReport {
    pub manifest: Manifest,
    pub outcomes: Vec<Outcome>,
    pub manifest_outcome: Outcome,
    /// File names of outputs that no notice makes any more, now archived.
    pub retired: Vec<String>,
    /// Lint warnings of all notices (they do not fail a build).
    pub warnings: Vec<crate::Diagnostic>,
}

impl BuildReport {
    pub fn changed(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| **o == Outcome::Written)
            .count()
            + usize::from(self.manifest_outcome == Outcome::Written)
            + self.retired.len()
    }
}

struct Built<'a> {
    /// Lint findings of what it was made from.
    warnings: &'a [crate::Diagnostic],
    format: Format,
    /// The file's bytes (a PDF, or the HTML alternative).
    bytes: Vec<u8>,
    entry: ManifestEntry,
}

fn render_all<'a>(
    set: &'a DataSet,
    opts: &Options,
    progress: &mut dyn FnMut(Event),
) -> Result<Vec<Built<'a>>> {
    use rayon::prelude::*;
    let notices = set.all_valid()?;
    let total = notices.len();
    let mut built = Vec::with_capacity(total * Edition::ALL.len());
    // Notices are independent: they are rendered on every core, a few at a time so that
    // progress can be shown, and their results kept in file order (the output does not depend
    // on the number of threads).
    let chunk = 2 * rayon::current_num_threads().max(1);
    for (c, part) in notices.chunks(chunk).enumerate() {
        let rendered: Vec<Result<Vec<Built<'a>>>> = part
            .par_iter()
            .map(|loaded| render_notice(loaded, opts))
            .collect();
        for (k, r) in rendered.into_iter().enumerate() {
            progress(Event::Progress {
                done: c * chunk + k,
                total,
            });
            built.extend(r?);
        }
    }
    if let Some(collection) = set.collection() {
        built.extend(render_packs(collection, &notices, opts)?);
    }
    built.extend(html_alternatives(set, &notices));
    Ok(built)
}

/// The HTML alternative of every notice (`<id>.html`) and of the pack
/// (`integritetsinformation.html`).
fn html_alternatives<'a>(set: &DataSet, notices: &[&'a Loaded]) -> Vec<Built<'a>> {
    let entry = |id: &str,
                 title: &str,
                 language: &str,
                 updated: String,
                 version: crate::VersionId,
                 html: &str,
                 source: String| {
        ManifestEntry {
            id: id.to_owned(),
            edition: Format::Html,
            title: title.to_owned(),
            language: language.to_owned(),
            updated,
            version,
            file: format!("{id}.html"),
            pages: 0,
            bytes: html.len(),
            sha256: crate::sha256_hex(html.as_bytes()),
            source_sha256: source,
            notices: Vec::new(),
            compared_with: None,
        }
    };
    let mut out: Vec<Built<'a>> = notices
        .iter()
        .map(|l| {
            let n = &l.notice;
            let html = crate::html::notice(n);
            Built {
                warnings: &[],
                format: Format::Html,
                entry: ManifestEntry {
                    compared_with: compared_with(n),
                    ..entry(
                        &n.id,
                        &n.title,
                        &n.language,
                        n.updated.to_string(),
                        crate::VersionId::of_sha256(&l.source_sha256),
                        &html,
                        l.source_sha256.clone(),
                    )
                },
                bytes: html.into_bytes(),
            }
        })
        .collect();
    if let Some(c) = set.collection() {
        let all: Vec<&crate::Notice> = notices.iter().map(|l| &l.notice).collect();
        if let Ok(selected) = crate::render::pack_selection(c, &all, None) {
            let html = crate::html::pack(c, &selected, &all);
            let newest = selected.iter().map(|n| n.updated).max().expect("not empty");
            let sources = pack_sources(&selected, notices);
            out.push(Built {
                warnings: &[],
                format: Format::Html,
                entry: entry(
                    crate::sv::PACK_ID,
                    &c.title,
                    &c.language,
                    newest.to_string(),
                    crate::layout::pack_version(&selected),
                    &html,
                    crate::sha256_hex(sources.as_bytes()),
                ),
                bytes: html.into_bytes(),
            });
        }
    }
    out
}

/// One notice in every edition.
fn render_notice<'a>(loaded: &'a Loaded, opts: &Options) -> Result<Vec<Built<'a>>> {
    let n = &loaded.notice;
    crate::render::editions(crate::Document::Notice(n), opts)?
        .into_iter()
        .map(|r| {
            let entry = ManifestEntry {
                id: n.id.clone(),
                edition: Format::Pdf(r.edition),
                title: n.title.clone(),
                language: n.language.clone(),
                updated: n.updated.to_string(),
                version: crate::VersionId::of_sha256(&loaded.source_sha256),
                file: r.edition.file_name(&n.id, "pdf"),
                pages: r.display.pages.len(),
                bytes: r.pdf.len(),
                sha256: r.sha256,
                source_sha256: loaded.source_sha256.clone(),
                notices: Vec::new(),
                compared_with: compared_with(n),
            };
            Ok(Built {
                warnings: &loaded.warnings,
                format: Format::Pdf(r.edition),
                bytes: r.pdf,
                entry,
            })
        })
        .collect()
}

/// What a pack is made from, for its manifest entry's `source_sha256`: each notice's id and
/// data file's SHA-256, one line each, in the pack's order.
fn pack_sources(selected: &[&crate::Notice], loaded: &[&Loaded]) -> String {
    selected
        .iter()
        .filter_map(|n| loaded.iter().find(|l| l.notice.id == n.id))
        .map(|l| format!("{} {}\n", l.notice.id, l.source_sha256))
        .collect()
}

/// The pack of the whole collection, in every edition (`integritetsinformation.pdf`, …).
fn render_packs<'a>(
    collection: &crate::model::Collection,
    loaded: &[&'a Loaded],
    opts: &Options,
) -> Result<Vec<Built<'a>>> {
    let notices: Vec<&crate::Notice> = loaded.iter().map(|l| &l.notice).collect();
    let selected = crate::render::pack_selection(collection, &notices, None)?;
    let sources = pack_sources(&selected, loaded);
    let newest = selected
        .iter()
        .map(|n| n.updated)
        .max()
        .expect("a pack is not empty");
    use rayon::prelude::*;
    Edition::ALL
        .into_par_iter()
        .map(|edition| {
            let opts = Options { edition, ..*opts };
            let r = crate::render::render(
                crate::Document::Pack {
                    collection,
                    selected: &selected,
                    all: &notices,
                },
                &opts,
            )?;
            let (dl, pdf) = (r.display, r.pdf);
            let id = crate::sv::PACK_ID;
            let entry = ManifestEntry {
                id: id.to_owned(),
                edition: Format::Pdf(edition),
                title: collection.title.clone(),
                language: collection.language.clone(),
                updated: newest.to_string(),
                version: crate::layout::pack_version(&selected),
                file: edition.file_name(id, "pdf"),
                pages: dl.pages.len(),
                bytes: pdf.len(),
                sha256: crate::sha256_hex(&pdf),
                source_sha256: crate::sha256_hex(sources.as_bytes()),
                notices: selected
                    .iter()
                    .map(|n| format!("{}@{}", n.id, n.version.as_deref().unwrap_or("-")))
                    .collect(),
                compared_with: None,
            };
            Ok(Built {
                warnings: &[],
                format: Format::Pdf(edition),
                bytes: pdf,
                entry,
            })
        })
        .collect()
}

/// What a build would change in the output directory.
struct Plan {
    /// Per built file: its path and the bytes it holds now (`None`: missing).
    outputs: Vec<(PathBuf, Option<Vec<u8>>)>,
    /// Outputs of ours that no notice makes any more.
    leftovers: Vec<PathBuf>,
    manifest: Manifest,
    manifest_json: Vec<u8>,
    manifest_changed: bool,
}

fn plan(out: &Path, built: &[Built]) -> Plan {
    let outputs = built
        .iter()
        .map(|b| {
            let path = out.join(&b.entry.file);
            let old = std::fs::read(&path).ok();
            (path, old)
        })
        .collect();
    let current: Vec<&str> = built.iter().map(|b| b.entry.file.as_str()).collect();
    let leftovers = our_outputs(out)
        .into_iter()
        .filter(|name| !current.contains(&name.as_str()))
        .map(|name| out.join(name))
        .collect();
    let manifest = manifest(built.iter().map(|b| b.entry.clone()).collect());
    let manifest_json = manifest_json(&manifest);
    let manifest_changed =
        std::fs::read(out.join("manifest.json")).ok().as_ref() != Some(&manifest_json);
    Plan {
        outputs,
        leftovers,
        manifest,
        manifest_json,
        manifest_changed,
    }
}

/// The names of the PDFs in `out` named as a build names them (`<id>.pdf`, `<id>.large.pdf`),
/// and of the HTML files the last manifest lists (`<id>.html`). Anything else in `out` is not
/// ours and is left alone.
fn our_outputs(out: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Vec::new();
    };
    // An HTML file is ours only when the last manifest lists it (`index.html` may be anyone's).
    let listed: Vec<String> = read_manifest(out)
        .map(|m| m.notices.into_iter().map(|e| e.file).collect())
        .unwrap_or_default();
    // Published files are links into the generation in force ([`crate::publish`]).
    let mut found: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| {
            let stem = name
                .strip_suffix(".pdf")
                .or_else(|| name.strip_suffix(".html").filter(|_| listed.contains(name)));
            stem.map(|s| s.strip_suffix(".large").unwrap_or(s))
                .is_some_and(crate::model::valid_id)
        })
        .collect();
    found.sort();
    found
}

/// Renders every notice in `data` into `out`, in both editions (`<id>.pdf`, `<id>.large.pdf`),
/// and writes `manifest.json`. `opts.edition` is ignored.
///
/// When a notice's PDF changes, the version it replaces is kept as
/// `archive/<id>/<updated>-<sha8>.pdf` (`.large.pdf` for the large edition), so the bank can
/// show which version a customer received; an output no notice makes any more is moved there.
/// Each notice is compared with its newest earlier version in `out` ([`crate::history`]):
/// while that differs, its documents end with what changed.
pub fn build(
    data: &Path,
    out: &Path,
    opts: &Options,
    progress: &mut dyn FnMut(Event),
) -> Result<BuildReport> {
    build_sealed_with(&Disk, data, out, opts, None, progress)
}

/// [`build`], each PDF sealed by `sealer` ([`crate::seal`]). A PDF already in `out` whose
/// revision 1 is the document rendered now, sealed with the same certificate, is kept as it
/// is: a version is sealed once.
pub fn build_sealed(
    data: &Path,
    out: &Path,
    opts: &Options,
    sealer: &Sealer,
    progress: &mut dyn FnMut(Event),
) -> Result<BuildReport> {
    build_sealed_with(&Disk, data, out, opts, Some(sealer), progress)
}

/// [`build`] through `storage` (tests inject failing writes and kills).
pub fn build_with(
    storage: &dyn Storage,
    data: &Path,
    out: &Path,
    opts: &Options,
    progress: &mut dyn FnMut(Event),
) -> Result<BuildReport> {
    build_sealed_with(storage, data, out, opts, None, progress)
}

/// What a sealed build seals with: the key and the signing time (an input: the library
/// reads no clock).
pub struct Sealer<'a> {
    pub key: &'a crate::seal::SealKey,
    pub time: chrono::DateTime<chrono::Utc>,
    /// A time-stamping authority (PAdES B-T), when one is configured.
    pub tsa: Option<&'a dyn crate::seal::TimeStamper>,
}

/// Each PDF of `built` as it is published: an output in `out` that is this document sealed
/// (revision 1 the same bytes; by `sealer`'s certificate when sealing) is kept; otherwise
/// the document is sealed when `sealer` is given.
fn seal_all(out: &Path, built: &mut [Built], sealer: Option<&Sealer>) -> Result<()> {
    for b in built
        .iter_mut()
        .filter(|b| matches!(b.format, Format::Pdf(_)))
    {
        let old = std::fs::read(out.join(&b.entry.file)).ok();
        let kept = old.filter(|old| {
            old.len() > b.bytes.len()
                && crate::seal::first_revision(old) == b.bytes.as_slice()
                && sealer.is_none_or(|s| crate::seal::sealed_by(old, s.key))
        });
        let bytes = match (kept, sealer) {
            (Some(old), _) => old,
            (None, Some(s)) => crate::seal::seal_with(&b.bytes, s.key, s.time, s.tsa)?,
            (None, None) => continue,
        };
        b.entry.bytes = bytes.len();
        b.entry.sha256 = crate::sha256_hex(&bytes);
        b.bytes = bytes;
    }
    Ok(())
}

/// [`build`] through `storage`, sealed by `sealer` when given.
pub fn build_sealed_with(
    storage: &dyn Storage,
    data: &Path,
    out: &Path,
    opts: &Options,
    sealer: Option<&Sealer>,
    progress: &mut dyn FnMut(Event),
) -> Result<BuildReport> {
    let mut set = DataSet::load_dir(data)?;
    set.all_valid()?;
    let mut inputs = Inputs::of(&set.input_paths());
    inputs.add(data);
    output::create_dir(out)?;
    output::resolve_dir(out, &inputs)?;
    let _turn = output::DirLock::acquire(out, &mut || progress(Event::Waiting))?;
    crate::history::attach(&mut set, out);
    let mut built = render_all(&set, opts, progress)?;
    seal_all(out, &mut built, sealer)?;
    output::remove_orphaned_temps(out);
    let previous = read_manifest(out);
    let plan = plan(out, &built);

    // Every file about to be replaced or retired is kept in the archive first.
    let mut archive = Batch::new(storage);
    let mut outcomes = Vec::with_capacity(built.len());
    for (b, (path, old)) in built.iter().zip(&plan.outputs) {
        output::resolve(path, &inputs)?;
        if old.as_deref() == Some(b.bytes.as_slice()) {
            outcomes.push(Outcome::Unchanged);
            continue;
        }
        if let Some(old) = old {
            let archived = archive_path(out, &b.entry.id, b.format, old, previous.as_ref())?;
            if !archived.exists() {
                archive.stage(&output::resolve(&archived, &inputs)?, old)?;
            }
        }
        outcomes.push(Outcome::Written);
    }
    let mut retired = Vec::new();
    for path in &plan.leftovers {
        let (name, id, format) = name_parts(path);
        let Ok(old) = std::fs::read(path) else {
            continue;
        };
        let archived = archive_path(out, &id, format, &old, previous.as_ref())?;
        if !archived.exists() {
            archive.stage(&output::resolve(&archived, &inputs)?, &old)?;
        }
        retired.push((name, archived));
    }
    let manifest_outcome = if plan.manifest_changed || !retired.is_empty() {
        Outcome::Written
    } else {
        Outcome::Unchanged
    };
    archive.commit(&mut |_| {})?;

    let files = built
        .iter()
        .zip(&outcomes)
        .map(|(b, outcome)| crate::publish::File {
            name: &b.entry.file,
            bytes: &b.bytes,
            unchanged: *outcome == Outcome::Unchanged,
        })
        .collect();
    let set = crate::publish::Set {
        files,
        manifest: &plan.manifest_json,
        retired: retired.iter().map(|(n, _)| n.clone()).collect(),
    };
    crate::publish::publish(storage, out, &set)?;

    for (b, outcome) in built.iter().zip(&outcomes) {
        progress(Event::Rendered {
            entry: &b.entry,
            outcome: *outcome,
            warnings: b.warnings.len(),
        });
    }
    for (name, archived) in &retired {
        progress(Event::Retired {
            file: name,
            archived: archived.strip_prefix(out).unwrap_or(archived),
        });
    }
    let warnings = built
        .iter()
        .filter(|b| b.format == Format::Pdf(Edition::Standard))
        .flat_map(|b| b.warnings.iter().cloned())
        .collect();
    Ok(BuildReport {
        manifest: plan.manifest,
        outcomes,
        manifest_outcome,
        retired: retired.into_iter().map(|(n, _)| n).collect(),
        warnings,
    })
}

/// What an output file is: a PDF in one edition, or the HTML alternative. Written in the
/// manifest's `edition` field as `standard`, `large` or `html`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf(Edition),
    Html,
}

impl Format {
    /// `stem` with this format's ending: `<stem>.pdf`, `<stem>.large.pdf` or `<stem>.html`.
    pub fn file_name(self, stem: &str) -> String {
        match self {
            Format::Pdf(edition) => edition.file_name(stem, "pdf"),
            Format::Html => format!("{stem}.html"),
        }
    }

    /// The manifest's word for it.
    pub fn key(self) -> &'static str {
        match self {
            Format::Pdf(edition) => edition.key(),
            Format::Html => "html",
        }
    }
}

impl Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for Format {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Format, D::Error> {
        let key = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        match key.as_ref() {
            "html" => Ok(Format::Html),
            other => other
                .parse()
                .map(Format::Pdf)
                .map_err(serde::de::Error::custom),
        }
    }
}

fn name_parts(path: &Path) -> (String, String, Format) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(id) = name.strip_suffix(".html") {
        return (name.clone(), id.to_owned(), Format::Html);
    }
    let stem = name.strip_suffix(".pdf").unwrap_or(&name);
    let (id, edition) = match stem.strip_suffix(".large") {
        Some(id) => (id.to_owned(), Edition::Large),
        None => (stem.to_owned(), Edition::Standard),
    };
    (name, id, Format::Pdf(edition))
}

/// What `build` would write, compared with what `out` holds: the files that are missing,
/// differ, or no longer belong to a notice (`build --check`). Writes nothing.
pub fn stale(data: &Path, out: &Path, opts: &Options) -> Result<Vec<(PathBuf, &'static str)>> {
    let mut set = DataSet::load_dir(data)?;
    crate::history::attach(&mut set, out);
    let mut built = render_all(&set, opts, &mut |_| {})?;
    // A sealed output is up to date when its revision 1 is.
    seal_all(out, &mut built, None)?;
    let plan = plan(out, &built);
    let mut stale = Vec::new();
    for (b, (path, old)) in built.iter().zip(plan.outputs) {
        match old {
            None => stale.push((path, "missing")),
            Some(old) if old != b.bytes => stale.push((path, "out of date")),
            Some(_) => {}
        }
    }
    for path in plan.leftovers {
        stale.push((path, "no longer made from any notice"));
    }
    if plan.manifest_changed {
        let path = out.join("manifest.json");
        let why = if path.exists() {
            "out of date"
        } else {
            "missing"
        };
        stale.push((path, why));
    }
    Ok(stale)
}

fn manifest(notices: Vec<ManifestEntry>) -> Manifest {
    Manifest {
        generator: format!("notice-pdf {}", env!("CARGO_PKG_VERSION")),
        notices,
    }
}

fn manifest_json(m: &Manifest) -> Vec<u8> {
    let mut json = serde_json::to_vec_pretty(m).expect("manifest serialises");
    json.push(b'\n');
    json
}

/// Refuses `path` when a build published it: the directory's manifest lists its name, or the
/// directory is one of a build's generations. Only `build` replaces what it published, and it
/// archives the old version first; anything else writing there would lose a version for good.
pub fn refuse_published(path: &Path) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Ok(());
    };
    let in_generation = dir
        .parent()
        .and_then(|p| p.file_name())
        .is_some_and(|n| n == crate::publish::GENERATIONS);
    let listed = dir.join(crate::publish::MANIFEST).exists()
        && (name == crate::publish::MANIFEST
            || read_manifest(dir).is_some_and(|m| m.notices.iter().any(|e| e.file == name)));
    if !in_generation && !listed {
        return Ok(());
    }
    Err(crate::Error::Output {
        path: path.to_owned(),
        problem: format!(
            "was published by `notice-pdf build` (listed in {})",
            dir.join(crate::publish::MANIFEST).display()
        ),
        hint: "only `build` replaces a published file, and it keeps the old version in the \
               archive: write elsewhere with -o, or change the data and run `notice-pdf build`"
            .into(),
    })
}

/// The previous build's manifest, if there is a readable one.
pub fn read_manifest(out: &Path) -> Option<Manifest> {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).ok()?).ok()
}

/// Where `old`, an output of notice `id` about to be replaced or retired, is kept:
/// `archive/<id>/<updated>-<sha8>.pdf` (`.large.pdf`, `.html`). Its version date comes from the
/// previous manifest when that describes these bytes (`okand-version` otherwise: a file no
/// build of ours wrote). Creates the directory.
fn archive_path(
    out: &Path,
    id: &str,
    format: Format,
    old: &[u8],
    previous: Option<&Manifest>,
) -> Result<PathBuf> {
    let sha = crate::sha256_hex(old);
    let updated = previous
        .and_then(|m| m.notices.iter().find(|e| e.sha256 == sha))
        .map(|e| e.updated.as_str())
        .filter(|u| crate::model::parse_iso_date(u).is_some())
        .unwrap_or("okand-version");
    let dir = out.join("archive").join(id);
    output::create_dir(&dir)?;
    output::remove_orphaned_temps(&dir);
    let version = crate::VersionId::of_sha256(&sha);
    Ok(dir.join(format.file_name(&format!("{updated}-{version}"))))
}
