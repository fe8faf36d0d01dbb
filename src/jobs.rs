//! Jobs over a data directory: `build` (render every notice, write the manifest) and `check`.
//!
//! A build is all or nothing: every notice is loaded and rendered in memory first; if any
//! fails, nothing is written and the error names every problem. Outputs whose bytes are
//! unchanged are not rewritten, and every write goes to a temporary file that is renamed
//! into place, so a reader never sees a half-written PDF.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::{Edition, Loaded, Options};

/// The `*.toml` notices in `dir`, sorted by file name.
pub fn discover(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("read data directory", dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| Error::io("read data directory", dir, e))?
            .path();
        if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
            files.push(path);
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

/// One notice's entry in `manifest.json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ManifestEntry {
    pub id: String,
    /// `standard` or `large`.
    pub edition: &'static str,
    pub title: String,
    pub language: String,
    /// The notice's `updated` date, ISO 8601.
    pub updated: String,
    /// Output file name, relative to the output directory.
    pub file: String,
    pub pages: usize,
    pub bytes: usize,
    /// SHA-256 of the PDF, hex.
    pub sha256: String,
    /// SHA-256 of the data file it was made from, hex.
    pub source_sha256: String,
}

/// `manifest.json`: what the output directory holds. Deterministic (no timestamps).
#[derive(Debug, Clone, Serialize, PartialEq)]
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
    /// `done` of `total` data files have been loaded and rendered (nothing written yet).
    Progress { done: usize, total: usize },
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
    }
}

struct Built {
    loaded: Loaded,
    edition: Edition,
    pdf: Vec<u8>,
    entry: ManifestEntry,
}

fn render_all(data: &Path, opts: &Options, progress: &mut dyn FnMut(Event)) -> Result<Vec<Built>> {
    let files = discover(data)?;
    let mut built: Vec<Built> = Vec::new();
    let mut problems = Vec::new();
    for (done, file) in files.iter().enumerate() {
        progress(Event::Progress {
            done,
            total: files.len(),
        });
        match crate::load(file) {
            Ok(loaded) => {
                if let Some(first) = built
                    .iter()
                    .find(|b| b.loaded.notice.id == loaded.notice.id)
                {
                    return Err(Error::DuplicateId {
                        id: loaded.notice.id.clone(),
                        first: first.loaded.path.clone(),
                        second: file.clone(),
                    });
                }
                for edition in Edition::ALL {
                    let r = crate::render(&loaded.notice, &Options { edition, ..*opts })?;
                    let n = &loaded.notice;
                    let entry = ManifestEntry {
                        id: n.id.clone(),
                        edition: edition.key(),
                        title: n.title.clone(),
                        language: n.language.clone(),
                        updated: n.updated.format("%Y-%m-%d").to_string(),
                        file: edition.file_name(&n.id, "pdf"),
                        pages: r.pages,
                        bytes: r.pdf.len(),
                        sha256: crate::sha256_hex(&r.pdf),
                        source_sha256: loaded.source_sha256.clone(),
                    };
                    built.push(Built {
                        loaded: loaded.clone(),
                        edition,
                        pdf: r.pdf,
                        entry,
                    });
                }
            }
            Err(Error::Data(mut d)) => problems.append(&mut d),
            Err(e) => return Err(e),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Data(problems));
    }
    Ok(built)
}

/// Renders every notice in `data` into `out`, in both editions (`<id>.pdf`, `<id>.large.pdf`),
/// and writes `manifest.json`. `opts.edition` is ignored.
///
/// When a notice's PDF changes, the version it replaces is kept as
/// `archive/<id>/<updated>-<sha8>.pdf` (`.large.pdf` for the large edition), so the bank can
/// show which version a customer received.
pub fn build(
    data: &Path,
    out: &Path,
    opts: &Options,
    progress: &mut dyn FnMut(Event),
) -> Result<BuildReport> {
    let built = render_all(data, opts, progress)?;
    std::fs::create_dir_all(out).map_err(|e| Error::io("create output directory", out, e))?;
    remove_orphaned_temps(out);
    let previous = read_manifest(out);
    let mut outcomes = Vec::new();
    let mut warnings = Vec::new();
    for b in &built {
        let path = out.join(&b.entry.file);
        let old = std::fs::read(&path).ok();
        let outcome = if old.as_deref() == Some(b.pdf.as_slice()) {
            Outcome::Unchanged
        } else {
            if let Some(old) = &old {
                archive(out, b, old, previous.as_ref())?;
            }
            write_atomic(&path, &b.pdf)?;
            Outcome::Written
        };
        progress(Event::Rendered {
            entry: &b.entry,
            outcome,
            warnings: b.loaded.warnings.len(),
        });
        outcomes.push(outcome);
        if b.edition == Edition::Standard {
            warnings.extend(b.loaded.warnings.iter().cloned());
        }
    }
    let manifest = manifest(built.iter().map(|b| b.entry.clone()).collect());
    let manifest_outcome = write_if_changed(&out.join("manifest.json"), &manifest_json(&manifest))?;
    Ok(BuildReport {
        manifest,
        outcomes,
        manifest_outcome,
        warnings,
    })
}

/// What `build` would write, compared with what `out` holds: the files that are missing or
/// differ (`build --check`). Writes nothing.
pub fn stale(data: &Path, out: &Path, opts: &Options) -> Result<Vec<PathBuf>> {
    let built = render_all(data, opts, &mut |_| {})?;
    let mut stale = Vec::new();
    for b in &built {
        let path = out.join(&b.entry.file);
        if std::fs::read(&path).ok().as_deref() != Some(b.pdf.as_slice()) {
            stale.push(path);
        }
    }
    let manifest = manifest(built.into_iter().map(|b| b.entry).collect());
    let path = out.join("manifest.json");
    if std::fs::read(&path).ok() != Some(manifest_json(&manifest)) {
        stale.push(path);
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

/// The previous build's manifest, if there is a readable one.
fn read_manifest(out: &Path) -> Option<serde_json::Value> {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).ok()?).ok()
}

/// Keeps `old`, the PDF about to be replaced by `b`, under `archive/<id>/`. Its version date
/// comes from the previous manifest when that describes these bytes.
fn archive(out: &Path, b: &Built, old: &[u8], previous: Option<&serde_json::Value>) -> Result<()> {
    let sha = crate::sha256_hex(old);
    let updated = previous
        .and_then(|m| m["notices"].as_array())
        .and_then(|list| {
            list.iter()
                .find(|e| e["sha256"].as_str() == Some(sha.as_str()))
        })
        .and_then(|e| e["updated"].as_str())
        .unwrap_or("okand-version");
    let dir = out.join("archive").join(&b.entry.id);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("create archive directory", &dir, e))?;
    remove_orphaned_temps(&dir);
    let path = dir.join(
        b.edition
            .file_name(&format!("{updated}-{}", &sha[..8]), "pdf"),
    );
    if !path.exists() {
        write_atomic(&path, old)?;
    }
    Ok(())
}

/// Writes `bytes` to `path` unless it already holds exactly them.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<Outcome> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(Outcome::Unchanged);
    }
    write_atomic(path, bytes)?;
    Ok(Outcome::Written)
}

/// The temporary file `write_atomic` uses for `name`: hidden, named after the writing process.
fn temp_name(name: &str, pid: u32) -> String {
    format!(".{name}.{pid}.tmp")
}

/// Removes temporary files left in `dir` by a writer that was killed between creating and
/// renaming them (`kill -9`, power loss). A temporary file of a live process is left alone, so
/// builds can run side by side: on Linux "live" means its pid is running, elsewhere that the
/// file is less than an hour old. Best effort: what cannot be removed is left.
fn remove_orphaned_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.starts_with('.'))
            .and_then(|n| n.strip_suffix(".tmp"))
            .and_then(|n| n.rsplit_once('.'))
            .and_then(|(_, pid)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !writer_may_be_alive(pid, &entry) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(target_os = "linux")]
fn writer_may_be_alive(pid: u32, _: &std::fs::DirEntry) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(not(target_os = "linux"))]
fn writer_may_be_alive(_: u32, entry: &std::fs::DirEntry) -> bool {
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_none_or(|age| age < std::time::Duration::from_secs(3600))
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, renames it over `path` and
/// syncs the directory, so that after a crash `path` holds either the old or the new bytes.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(temp_name(&name, std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        // The rename itself is durable only once the directory is synced (POSIX).
        #[cfg(unix)]
        std::fs::File::open(dir)?.sync_all()?;
        Ok(())
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io("write", path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = std::env::temp_dir().join(format!("notice-pdf-jobs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("x.bin");
        assert_eq!(write_if_changed(&p, b"one").unwrap(), Outcome::Written);
        assert_eq!(write_if_changed(&p, b"one").unwrap(), Outcome::Unchanged);
        assert_eq!(write_if_changed(&p, b"two").unwrap(), Outcome::Written);
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn orphaned_temps_are_removed_live_ones_kept() {
        let dir = std::env::temp_dir().join(format!("notice-pdf-temps-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // No pid reaches u32::MAX - 1 (Linux caps pids at 2^22); our own pid is alive.
        let orphan = dir.join(temp_name("a.pdf", u32::MAX - 1));
        let ours = dir.join(temp_name("b.pdf", std::process::id()));
        let other = dir.join(".keep.tmp");
        for p in [&orphan, &ours, &other] {
            std::fs::write(p, b"x").unwrap();
        }
        remove_orphaned_temps(&dir);
        assert!(!orphan.exists() || !cfg!(target_os = "linux"));
        assert!(ours.exists() && other.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
