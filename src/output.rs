//! Where outputs go and how they are written, so that no run destroys what is not ours.
//!
//! The rules, applied to every output path before anything is written:
//! - an output may never be an input of the same run (same file, compared by device and inode,
//!   so hard links and symlinks are caught too);
//! - a symlink is followed and its target is replaced, the link itself stays;
//! - a directory is an error that says so;
//! - an existing path that is not a regular file (a device, a FIFO) is written to directly,
//!   never renamed over;
//! - everything else is written to a hidden temporary file beside it, synced, and renamed into
//!   place.
//!
//! A [`Batch`] stages every new file of a run under a temporary name first; only when all are
//! written does [`Batch::commit`] rename them into place, in the order they were staged. If
//! anything fails before the commit, the temporaries are removed and the old files stay whole.
//! The file system is reached through [`Storage`], so tests can inject a failing write.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The file-system operations a batch needs. [`Disk`] is the real one; tests substitute a
/// double that fails on purpose.
pub trait Storage {
    /// Creates `path`, writes `bytes` and syncs them to disk.
    fn write_new(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()>;
    /// Writes `bytes` into an existing device or FIFO (no truncation, no rename).
    fn write_direct(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()>;
    fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()>;
    fn remove(&self, path: &Path) -> std::io::Result<()>;
    /// Makes renames in `dir` durable (POSIX needs the directory synced).
    fn sync_dir(&self, dir: &Path) -> std::io::Result<()>;
    /// Creates the directory `path` (its parent exists).
    fn create_dir(&self, path: &Path) -> std::io::Result<()>;
    /// Makes `link` a new name of the file `original` (a hard link).
    fn hard_link(&self, original: &Path, link: &Path) -> std::io::Result<()>;
    /// Creates a symbolic link at `link` that points at `target` (relative to `link`'s directory).
    fn symlink(&self, target: &Path, link: &Path) -> std::io::Result<()>;
    /// Removes the directory `path` and everything in it.
    fn remove_dir_all(&self, path: &Path) -> std::io::Result<()>;
}

/// The real file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct Disk;

impl Storage for Disk {
    fn write_new(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)?;
        f.write_all(bytes)?;
        f.sync_all()
    }

    fn write_direct(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)?
            .write_all(bytes)
    }

    fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()> {
        std::fs::rename(from, to)
    }

    fn remove(&self, path: &Path) -> std::io::Result<()> {
        std::fs::remove_file(path)
    }

    fn sync_dir(&self, dir: &Path) -> std::io::Result<()> {
        #[cfg(unix)]
        std::fs::File::open(dir)?.sync_all()?;
        #[cfg(not(unix))]
        let _ = dir;
        Ok(())
    }

    fn create_dir(&self, path: &Path) -> std::io::Result<()> {
        std::fs::create_dir(path)
    }

    fn hard_link(&self, original: &Path, link: &Path) -> std::io::Result<()> {
        std::fs::hard_link(original, link)
    }

    fn symlink(&self, target: &Path, link: &Path) -> std::io::Result<()> {
        #[cfg(unix)]
        return std::os::unix::fs::symlink(target, link);
        #[cfg(not(unix))]
        return Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            format!(
                "no symbolic links here ({} -> {})",
                link.display(),
                target.display()
            ),
        ));
    }

    fn remove_dir_all(&self, path: &Path) -> std::io::Result<()> {
        std::fs::remove_dir_all(path)
    }
}

/// Where the bytes for one output path really go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A regular file (or none yet) at this path, symlinks resolved: replaced atomically.
    File(PathBuf),
    /// An existing device or FIFO: written to directly.
    Direct(PathBuf),
}

impl Target {
    pub fn path(&self) -> &Path {
        match self {
            Target::File(p) | Target::Direct(p) => p,
        }
    }
}

/// The files a run reads, identified so that no output can be one of them.
#[derive(Debug, Default, Clone)]
pub struct Inputs(Vec<(PathBuf, FileId)>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

fn file_id(path: &Path, meta: &std::fs::Metadata) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = path;
        Some(FileId((meta.dev(), meta.ino())))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        std::fs::canonicalize(path).ok().map(FileId)
    }
}

impl Inputs {
    /// Records `path` (following symlinks) as an input; a path that cannot be read is skipped,
    /// since it cannot be overwritten by mistake either.
    pub fn add(&mut self, path: &Path) {
        if let Some(id) = std::fs::metadata(path).ok().and_then(|m| file_id(path, &m)) {
            self.0.push((path.to_owned(), id));
        }
    }

    pub fn of(paths: &[PathBuf]) -> Inputs {
        let mut inputs = Inputs::default();
        for p in paths {
            inputs.add(p);
        }
        inputs
    }

    fn find(&self, path: &Path, meta: &std::fs::Metadata) -> Option<&Path> {
        let id = file_id(path, meta)?;
        self.0
            .iter()
            .find(|(_, i)| *i == id)
            .map(|(p, _)| p.as_path())
    }
}

fn refuse(path: &Path, problem: impl Into<String>, hint: impl Into<String>) -> Error {
    Error::Output {
        path: path.to_owned(),
        problem: problem.into(),
        hint: hint.into(),
    }
}

/// Applies the rules of this module to one output path. Touches nothing.
pub fn resolve(path: &Path, inputs: &Inputs) -> Result<Target> {
    if path
        .as_os_str()
        .to_string_lossy()
        .ends_with(std::path::MAIN_SEPARATOR)
    {
        return Err(refuse(
            path,
            "names a directory, not a file",
            "give a file name, e.g. output/kundservice.pdf",
        ));
    }
    // A device, FIFO or socket reached through links the kernel resolves itself
    // (`/dev/stdout` -> `/proc/self/fd/1` -> `pipe:[…]`) is written to where it is.
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
        && !meta.is_dir()
    {
        return Ok(Target::Direct(path.to_owned()));
    }
    let mut p = path.to_owned();
    // Follow symlinks ourselves, so a dangling one still names the file it would create.
    for _ in 0..40 {
        let meta = match std::fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Target::File(p)),
            Err(e) => return Err(Error::io("inspect output", &p, e)),
        };
        if meta.file_type().is_symlink() {
            let to = std::fs::read_link(&p).map_err(|e| Error::io("inspect output", &p, e))?;
            p = match p.parent() {
                Some(dir) if to.is_relative() => dir.join(to),
                _ => to,
            };
            continue;
        }
        if meta.is_dir() {
            return Err(refuse(
                path,
                "is a directory",
                "give a file name inside it, e.g. DIR/kundservice.pdf",
            ));
        }
        if let Some(input) = inputs.find(&p, &meta) {
            return Err(refuse(
                path,
                format!("is an input of this run ({})", input.display()),
                "choose an output path that is not one of the data files",
            ));
        }
        return Ok(if meta.is_file() {
            Target::File(p)
        } else {
            Target::Direct(p)
        });
    }
    Err(refuse(
        path,
        "has too many levels of symbolic links",
        "point the link at a file",
    ))
}

/// Checks that the output directory `dir` is not an input of the run (the data directory).
pub fn resolve_dir(dir: &Path, inputs: &Inputs) -> Result<()> {
    if let Ok(meta) = std::fs::metadata(dir)
        && let Some(input) = inputs.find(dir, &meta)
    {
        return Err(refuse(
            dir,
            format!("is an input of this run ({})", input.display()),
            "write the outputs to a directory of their own, e.g. --out output",
        ));
    }
    Ok(())
}

/// The hidden temporary file a batch writes `name` to first: named after the writing process,
/// so orphans of killed writers can be told from live ones.
pub(crate) fn temp_name(name: &str, pid: u32) -> String {
    format!(".{name}.{pid}.tmp")
}

fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

enum Op {
    /// Rename a staged temporary file onto its target.
    Rename {
        tmp: PathBuf,
        to: PathBuf,
    },
    /// Write into a device or FIFO.
    Direct {
        to: PathBuf,
        bytes: Vec<u8>,
    },
    /// Move an existing file (an output that no longer belongs to a notice) elsewhere.
    Move {
        from: PathBuf,
        to: PathBuf,
    },
    Remove(PathBuf),
}

/// A set of writes that lands whole or not at all (see the module docs).
pub struct Batch<'a> {
    storage: &'a dyn Storage,
    ops: Vec<Op>,
}

impl<'a> Batch<'a> {
    pub fn new(storage: &'a dyn Storage) -> Self {
        Batch {
            storage,
            ops: Vec::new(),
        }
    }

    /// Writes `bytes` under a temporary name beside `target` now; the rename waits for
    /// [`Batch::commit`]. On failure the batch is left as it was (dropping it cleans up).
    pub fn stage(&mut self, target: &Target, bytes: &[u8]) -> Result<()> {
        match target {
            Target::Direct(p) => {
                self.ops.push(Op::Direct {
                    to: p.clone(),
                    bytes: bytes.to_vec(),
                });
                Ok(())
            }
            Target::File(p) => {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let tmp = parent_dir(p).join(temp_name(&name, std::process::id()));
                // A temporary of ours from an earlier, failed attempt in this process.
                let _ = self.storage.remove(&tmp);
                match self.storage.write_new(&tmp, bytes) {
                    Ok(()) => {
                        self.ops.push(Op::Rename { tmp, to: p.clone() });
                        Ok(())
                    }
                    Err(e) => {
                        let _ = self.storage.remove(&tmp);
                        Err(Error::io("write", p, e))
                    }
                }
            }
        }
    }

    /// Moves `from` to `to` at commit time (after the files staged before it).
    pub fn stage_move(&mut self, from: &Path, to: &Path) {
        self.ops.push(Op::Move {
            from: from.to_owned(),
            to: to.to_owned(),
        });
    }

    /// Removes `path` at commit time.
    pub fn stage_remove(&mut self, path: &Path) {
        self.ops.push(Op::Remove(path.to_owned()));
    }

    /// Whether nothing is staged.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Puts every staged file in place, in order; `done` is told each final path. Each rename
    /// is made durable before the next, so after a crash every file is whole, old or new.
    pub fn commit(mut self, done: &mut dyn FnMut(&Path)) -> Result<()> {
        let ops = std::mem::take(&mut self.ops);
        let mut ops = ops.into_iter();
        while let Some(op) = ops.next() {
            let result = match &op {
                Op::Rename { tmp, to } => self
                    .storage
                    .rename(tmp, to)
                    .and_then(|()| self.storage.sync_dir(parent_dir(to)))
                    .map_err(|e| Error::io("write", to, e)),
                Op::Direct { to, bytes } => self
                    .storage
                    .write_direct(to, bytes)
                    .map_err(|e| Error::io("write", to, e)),
                Op::Move { from, to } => self
                    .storage
                    .rename(from, to)
                    .and_then(|()| self.storage.sync_dir(parent_dir(to)))
                    .map_err(|e| Error::io("move", from, e)),
                Op::Remove(p) => self
                    .storage
                    .remove(p)
                    .and_then(|()| self.storage.sync_dir(parent_dir(p)))
                    .map_err(|e| Error::io("remove", p, e)),
            };
            if let Err(e) = result {
                // What is not yet in place is cleaned up by Drop.
                self.ops = std::iter::once(op).chain(ops).collect();
                return Err(e);
            }
            match &op {
                Op::Rename { to, .. } | Op::Direct { to, .. } | Op::Move { to, .. } => done(to),
                Op::Remove(p) => done(p),
            }
        }
        Ok(())
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        for op in &self.ops {
            if let Op::Rename { tmp, .. } = op {
                let _ = self.storage.remove(tmp);
            }
        }
    }
}

/// Writes one output file by the rules of this module: `path` resolved against `inputs`,
/// written whole or not at all.
pub fn write_file(path: &Path, bytes: &[u8], inputs: &Inputs) -> Result<()> {
    let target = resolve(path, inputs)?;
    let mut batch = Batch::new(&Disk);
    batch.stage(&target, bytes)?;
    batch.commit(&mut |_| {})
}

/// Creates `dir` (and its parents) for outputs; an existing non-directory is an error.
pub fn create_dir(dir: &Path) -> Result<()> {
    if dir.as_os_str().is_empty() {
        return Ok(());
    }
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(refuse(
            dir,
            "is not a directory",
            "choose a directory for the output, or remove the file in its way",
        )),
        Err(_) => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("create output directory", dir, e))
        }
    }
}

/// The files in `dir` named `<stem>-p<N>.png` (pages written by `preview`), with their `N`.
pub fn page_files(dir: &Path, stem: &str) -> Vec<(usize, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<_> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let n = name
                .strip_prefix(stem)?
                .strip_prefix("-p")?
                .strip_suffix(".png")?;
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || n.starts_with('0') {
                return None;
            }
            Some((n.parse().ok()?, e.path()))
        })
        .collect();
    found.sort();
    found
}

/// Removes temporary files left in `dir` by a writer that was killed between creating and
/// renaming them (`kill -9`, power loss). A temporary file of a live process is left alone, so
/// builds can run side by side: on Linux "live" means its pid is running, elsewhere that the
/// file is less than an hour old. Best effort: what cannot be removed is left.
pub fn remove_orphaned_temps(dir: &Path) {
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

/// Whether the temporary name `name` (`.<name>.<pid>.tmp`, [`temp_name`]) may belong to a
/// writer that is still running (elsewhere than on Linux: always, so nothing live is removed).
pub(crate) fn temp_is_live(name: &str) -> bool {
    let pid = name
        .strip_suffix(".tmp")
        .and_then(|n| n.rsplit_once('.'))
        .and_then(|(_, pid)| pid.parse::<u32>().ok());
    match pid {
        Some(pid) if pid == std::process::id() => false,
        #[cfg(target_os = "linux")]
        Some(pid) => Path::new("/proc").join(pid.to_string()).exists(),
        _ => true,
    }
}

/// The advisory lock of an output directory (`flock(2)` on `<dir>/.notice-pdf.lock`), held by
/// a build from planning to commit, so that builds on one directory take turns: the second
/// waits, and then plans against what the first published. Released when dropped (or when the
/// process ends, however it ends).
#[derive(Debug)]
pub struct DirLock {
    _file: std::fs::File,
}

/// The lock file's name in an output directory.
pub const LOCK_FILE: &str = ".notice-pdf.lock";

impl DirLock {
    /// Takes the lock of `dir` (which exists); calls `waiting` once if another process holds
    /// it, then waits for it.
    pub fn acquire(dir: &Path, waiting: &mut dyn FnMut()) -> Result<DirLock> {
        let path = dir.join(LOCK_FILE);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io("lock", &path, e))?;
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            let fd = file.as_raw_fd();
            // SAFETY: flock on a descriptor this function owns; no memory is shared.
            if unsafe { libc::flock(fd, libc::LOCK_EX | libc::LOCK_NB) } != 0 {
                let e = std::io::Error::last_os_error();
                if e.raw_os_error() != Some(libc::EWOULDBLOCK) {
                    return Err(Error::io("lock", &path, e));
                }
                waiting();
                loop {
                    // SAFETY: as above.
                    if unsafe { libc::flock(fd, libc::LOCK_EX) } == 0 {
                        break;
                    }
                    let e = std::io::Error::last_os_error();
                    if e.kind() != std::io::ErrorKind::Interrupted {
                        return Err(Error::io("lock", &path, e));
                    }
                }
            }
        }
        #[cfg(not(unix))]
        let _ = waiting;
        Ok(DirLock { _file: file })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("notice-pdf-output-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn write_file_replaces_and_leaves_no_temp() {
        let dir = scratch("replace");
        let p = dir.join("x.pdf");
        write_file(&p, b"one", &Inputs::default()).unwrap();
        write_file(&p, b"two", &Inputs::default()).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(names(&dir), ["x.pdf"]);
    }

    #[test]
    fn an_input_is_never_an_output_not_even_through_links() {
        let dir = scratch("input");
        let data = dir.join("k.toml");
        std::fs::write(&data, "id = 1").unwrap();
        std::os::unix::fs::symlink(&data, dir.join("link.pdf")).unwrap();
        std::fs::hard_link(&data, dir.join("hard.pdf")).unwrap();
        let inputs = Inputs::of(std::slice::from_ref(&data));
        for name in ["k.toml", "link.pdf", "hard.pdf"] {
            let e = resolve(&dir.join(name), &inputs).unwrap_err();
            assert!(e.to_string().contains("is an input of this run"), "{e}");
        }
        assert_eq!(std::fs::read_to_string(&data).unwrap(), "id = 1");
    }

    #[test]
    fn symlinks_are_followed_directories_refused_devices_written_directly() {
        let dir = scratch("kinds");
        let target = dir.join("real.pdf");
        std::fs::write(&target, b"old").unwrap();
        let link = dir.join("link.pdf");
        std::os::unix::fs::symlink("real.pdf", &link).unwrap();
        write_file(&link, b"new", &Inputs::default()).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&target).unwrap(), b"new");

        let dangling = dir.join("dangling.pdf");
        std::os::unix::fs::symlink("made.pdf", &dangling).unwrap();
        assert_eq!(
            resolve(&dangling, &Inputs::default()).unwrap(),
            Target::File(dir.join("made.pdf"))
        );

        let e = resolve(&dir, &Inputs::default()).unwrap_err();
        assert!(e.to_string().ends_with("is a directory"), "{e}");
        assert_eq!(
            resolve(Path::new("/dev/null"), &Inputs::default()).unwrap(),
            Target::Direct("/dev/null".into())
        );
    }

    #[test]
    fn orphaned_temps_are_removed_live_ones_kept() {
        let dir = scratch("temps");
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
    }
}
