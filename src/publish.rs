//! Publishing a build's files into its output directory so that no reader (the archive,
//! `serve --versions`, a web server publishing the directory, a person) ever sees a mixed set,
//! whichever step a build is killed at.
//!
//! The layout of an output directory `out`:
//! - `.generations/<g>/`: one complete set of files (the PDFs, the HTML alternatives and
//!   `manifest.json`), named after the SHA-256 of its manifest, never changed once named;
//! - `current`: a symbolic link to the generation in force;
//! - `<file>` for every file the manifest lists, and `manifest.json`: symbolic links to
//!   `current/<file>`, so that every name resolves into the one generation `current` names;
//! - `archive/`: earlier versions, written before they are replaced ([`crate::jobs`]).
//!
//! **The commit point is one rename**: a new generation is written under a temporary name,
//! synced and renamed into place, the links its new files need are made (they dangle until the
//! commit, so those files do not exist yet for a reader), and then `current` is replaced by a
//! link to the new generation with one `rename(2)`. Before it, every name resolves to the old
//! set; after it, to the new one. Names no file has any more are removed after the commit (they
//! dangle in between). An output directory written before this layout (plain files) is first
//! adopted as a generation of its own, by hard links, without a byte changing for a reader.
//!
//! Unchanged files are hard links between generations; the previous generation is kept (a
//! reader that resolved a name just before the commit can still open it), older ones removed.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::output::Storage;

/// The link to the generation in force.
pub const CURRENT: &str = "current";
/// The directory of generations.
pub const GENERATIONS: &str = ".generations";
/// The manifest's name, in a generation and as a link in the output directory.
pub const MANIFEST: &str = "manifest.json";

/// One file of a set to publish.
#[derive(Debug, Clone, Copy)]
pub struct File<'a> {
    /// A plain file name (no directory).
    pub name: &'a str,
    pub bytes: &'a [u8],
    /// Whether the generation in force holds exactly these bytes under this name (then it is
    /// linked, not written again).
    pub unchanged: bool,
}

/// What [`publish`] is asked to do.
#[derive(Debug)]
pub struct Set<'a> {
    pub files: Vec<File<'a>>,
    pub manifest: &'a [u8],
    /// Names in the output directory that no file of the set has any more (removed after the
    /// commit).
    pub retired: Vec<String>,
}

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> Error + 'a {
    move |e| Error::io(action, path, e)
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The generation `current` names in `out`, if any.
pub fn current_generation(out: &Path) -> Option<String> {
    let target = std::fs::read_link(out.join(CURRENT)).ok()?;
    let name = target.strip_prefix(GENERATIONS).ok()?;
    name.to_str().map(str::to_owned)
}

/// The generation name of a set with this manifest.
fn generation_name(manifest: &[u8]) -> String {
    crate::sha256_hex(manifest)[..16].to_owned()
}

/// A temporary name of this process in `dir` for `name` ([`crate::output`]'s orphans).
fn temp(dir: &Path, name: &str) -> PathBuf {
    dir.join(crate::output::temp_name(name, std::process::id()))
}

/// Publishes `set` into `out` (which exists): after it returns, every name resolves into the
/// new generation. See the module docs for the steps and what a reader sees between them.
pub fn publish(storage: &dyn Storage, out: &Path, set: &Set) -> Result<()> {
    adopt_plain_files(storage, out, set)?;
    let previous = current_generation(out);
    let name = generation_name(set.manifest);
    write_generation(storage, out, &name, |dir| fill(storage, out, dir, set))?;
    let names = set
        .files
        .iter()
        .map(|f| f.name)
        .chain(std::iter::once(MANIFEST));
    for file in names {
        link_to_current(storage, out, file)?;
    }
    if previous.as_deref() != Some(name.as_str()) {
        swap_current(storage, out, &name)?;
    }
    for file in &set.retired {
        let path = out.join(file);
        if std::fs::symlink_metadata(&path).is_ok() {
            storage.remove(&path).map_err(io("remove", &path))?;
        }
    }
    storage.sync_dir(out).map_err(io("sync", out))?;
    prune(storage, out, &name, previous.as_deref());
    Ok(())
}

/// Writes generation `name` whole under a temporary name (its files put there by `fill`) and
/// renames it into place; a generation already in place is complete (it was only ever named
/// whole) and is kept.
fn write_generation(
    storage: &dyn Storage,
    out: &Path,
    name: &str,
    fill: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    let gens = out.join(GENERATIONS);
    if !gens.is_dir() {
        storage.create_dir(&gens).map_err(io("create", &gens))?;
    }
    let dir = gens.join(name);
    if dir.is_dir() {
        return Ok(());
    }
    let staging = temp(&gens, name);
    if staging.exists() {
        let _ = storage.remove_dir_all(&staging);
    }
    storage
        .create_dir(&staging)
        .map_err(io("create", &staging))?;
    let written = fill(&staging);
    if let Err(e) = written {
        let _ = storage.remove_dir_all(&staging);
        return Err(e);
    }
    storage
        .rename(&staging, &dir)
        .and_then(|()| storage.sync_dir(&gens))
        .map_err(|e| {
            let _ = storage.remove_dir_all(&staging);
            Error::io("write", &dir, e)
        })
}

/// Puts every file of `set` and the manifest into the new generation's directory `dir`.
fn fill(storage: &dyn Storage, out: &Path, dir: &Path, set: &Set) -> Result<()> {
    let current = out.join(CURRENT);
    for f in &set.files {
        let to = dir.join(f.name);
        let from = current.join(f.name);
        let linked = f.unchanged && storage.hard_link(&from, &to).is_ok();
        if !linked {
            storage.write_new(&to, f.bytes).map_err(io("write", &to))?;
        }
    }
    let to = dir.join(MANIFEST);
    storage
        .write_new(&to, set.manifest)
        .map_err(io("write", &to))?;
    storage.sync_dir(dir).map_err(io("sync", dir))
}

/// Makes `out/<file>` a link to `current/<file>` (a no-op when it is one).
fn link_to_current(storage: &dyn Storage, out: &Path, file: &str) -> Result<()> {
    let path = out.join(file);
    let want = Path::new(CURRENT).join(file);
    if std::fs::read_link(&path).is_ok_and(|t| t == want) {
        return Ok(());
    }
    replace_with_link(storage, &want, &path)
}

/// Replaces whatever is at `path` (nothing, a file, another link) by a link to `target`, with
/// one rename.
fn replace_with_link(storage: &dyn Storage, target: &Path, path: &Path) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = temp(dir, &name);
    let _ = std::fs::remove_file(&tmp);
    storage.symlink(target, &tmp).map_err(io("link", path))?;
    storage.rename(&tmp, path).map_err(|e| {
        let _ = storage.remove(&tmp);
        Error::io("link", path, e)
    })
}

/// The commit point: `current` names generation `name`.
fn swap_current(storage: &dyn Storage, out: &Path, name: &str) -> Result<()> {
    let path = out.join(CURRENT);
    replace_with_link(storage, &Path::new(GENERATIONS).join(name), &path)?;
    storage.sync_dir(out).map_err(io("sync", out))
}

/// An output directory of plain files (written before generations, or by hand) becomes a
/// generation of its own: the files the set names and the manifest, hard-linked into a
/// generation that `current` then names, and each replaced by a link that resolves to the very
/// same bytes. A reader sees no change.
fn adopt_plain_files(storage: &dyn Storage, out: &Path, set: &Set) -> Result<()> {
    let current = out.join(CURRENT);
    if is_symlink(&current) {
        return Ok(());
    }
    if std::fs::symlink_metadata(&current).is_ok() {
        return Err(Error::Output {
            path: current,
            problem: "is in the way: a build keeps the link to its published set there".into(),
            hint: "move it out of the output directory, or choose another with --out".into(),
        });
    }
    let names: Vec<&str> = set
        .files
        .iter()
        .map(|f| f.name)
        .chain(set.retired.iter().map(String::as_str))
        .chain(std::iter::once(MANIFEST))
        .filter(|n| std::fs::symlink_metadata(out.join(n)).is_ok_and(|m| m.file_type().is_file()))
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    let manifest = std::fs::read(out.join(MANIFEST)).unwrap_or_default();
    let name = format!("adopted-{}", generation_name(&manifest));
    write_generation(storage, out, &name, |staging| {
        names.iter().try_for_each(|n| {
            let (from, to) = (out.join(n), staging.join(n));
            storage
                .hard_link(&from, &to)
                .map_err(|e| Error::io("link", &from, e))
        })
    })?;
    swap_current(storage, out, &name)?;
    for n in &names {
        replace_with_link(storage, &Path::new(CURRENT).join(n), &out.join(n))?;
    }
    storage.sync_dir(out).map_err(io("sync", out))
}

/// Removes generations other than `keep` and `previous`, and temporaries of dead builds.
/// Best effort: what cannot be removed is left for the next build.
fn prune(storage: &dyn Storage, out: &Path, keep: &str, previous: Option<&str>) {
    let gens = out.join(GENERATIONS);
    let Ok(entries) = std::fs::read_dir(&gens) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let temporary = name.starts_with('.') && name.ends_with(".tmp");
        let old = !temporary && name != keep && Some(name) != previous;
        let orphan = temporary && !crate::output::temp_is_live(name);
        if old || orphan {
            let _ = storage.remove_dir_all(&entry.path());
        }
    }
}
