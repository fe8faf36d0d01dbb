//! What the server serves: an immutable snapshot of the data directory, rebuilt on each poll.
//!
//! - A file is taken only once it has settled: its size, modification time and content hash
//!   are the same at two polls in a row (editors and deploy tools should still write by
//!   rename). At start-up files are taken as they are.
//! - A file is re-read only when its size or modification time changed.
//! - The files are checked with the same rules as `check` and `build`
//!   ([`crate::source::DataSet`]), so a duplicate id is an error in the file that sorts later,
//!   whatever the history.
//! - While a file is invalid, its last good version (if this process had one) is still served
//!   and the problem is reported until the file is fixed or removed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;
use serde::Serialize;

use crate::error::{Diagnostic, Error, Result, Severity};
use crate::layout::{DisplayList, Edition};
use crate::model::Collection;
use crate::source::{self, Checked, DataSet};
use crate::{Loaded, Options};

/// One edition of a notice, rendered.
pub(crate) struct Rendition {
    pub pdf: Bytes,
    pub sha256: String,
    pub display: DisplayList,
}

/// A valid notice and its renditions.
pub(crate) struct Entry {
    pub loaded: Loaded,
    pub editions: BTreeMap<Edition, Rendition>,
}

/// A problem with the data as it is now, located relative to the data directory (no server
/// path reaches a client).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Path relative to the data directory.
    pub file: String,
    /// 1-based; 0 when the problem is with the file as a whole.
    pub line: usize,
    pub col: usize,
    pub field: String,
    pub message: String,
    /// Whether the file's last good version is still served.
    pub last_good_served: bool,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.col)?;
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// What was seen of a file at a poll: enough to tell a change.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stat {
    len: u64,
    modified: Option<SystemTime>,
}

/// The file-system state of one data file as this process knows it.
#[derive(Clone)]
struct FileState {
    stat: Stat,
    /// SHA-256 of the content last read, hex; empty when it could not be read.
    sha256: String,
    /// The check of the settled content, when it has settled.
    taken: Option<Checked>,
    /// A changed content, as first seen (and when), waiting to settle.
    pending: Option<(Stat, String, Instant)>,
    /// The other files the taken check read (a logo), with their state then.
    inputs: Vec<(PathBuf, Option<Stat>)>,
}

impl FileState {
    /// Whether every other file the check read is as it was then.
    fn inputs_unchanged(&self) -> bool {
        self.inputs.iter().all(|(path, s)| stat(path) == *s)
    }
}

/// The state now of the other files `taken` read.
fn inputs_of(taken: &Option<Checked>) -> Vec<(PathBuf, Option<Stat>)> {
    taken
        .iter()
        .flat_map(|c| &c.inputs)
        .map(|p| (p.clone(), stat(p)))
        .collect()
}

/// What is being served.
#[derive(Default)]
pub(super) struct Snapshot {
    /// Served notices by id: valid now, or the last good version of an invalid file.
    pub notices: BTreeMap<String, Arc<Entry>>,
    pub problems: Vec<Problem>,
    files: BTreeMap<PathBuf, FileState>,
    /// The last good rendering of each file's notice.
    good: BTreeMap<PathBuf, Arc<Entry>>,
    /// The collection: valid now, or its last good version.
    pub collection: Option<Arc<Collection>>,
    /// Changes whenever a pack of the served notices would: a hash of the collection and of
    /// every served notice's data.
    pub pack_key: String,
}

/// Server state: the data directory and the current snapshot.
pub struct AppState {
    data: PathBuf,
    /// A build's output directory whose versions the notices are compared with.
    versions: Option<PathBuf>,
    snapshot: std::sync::RwLock<Arc<Snapshot>>,
    /// Serialises reloads: one poll at a time.
    reloading: Mutex<()>,
    /// Page thumbnails: bounded, keyed by the PDF's hash, edition and page.
    pub(super) thumbs: super::routes::ThumbCache,
    /// Packs rendered: bounded, keyed by the snapshot's pack key, selection and edition.
    pub(super) packs: super::pack::PackCache,
}

impl AppState {
    /// Loads the data directory, taking files as they are. Fails only when nothing valid can
    /// be served: with the data errors when there are any.
    /// `versions`: a build's output directory, as `build` compares each notice with its newest
    /// earlier version there ([`crate::history`]).
    pub fn load(data: &Path, versions: Option<&Path>) -> Result<AppState> {
        let state = AppState {
            data: data.to_owned(),
            versions: versions.map(Path::to_owned),
            snapshot: Default::default(),
            reloading: Mutex::new(()),
            thumbs: Default::default(),
            packs: Default::default(),
        };
        let snap = scan(data, versions, &Snapshot::default(), None);
        if snap.notices.is_empty() {
            // Every error, the rules across files included.
            let set_errors = DataSet::assemble(
                snap.files
                    .values()
                    .filter_map(|f| f.taken.clone())
                    .collect(),
            )
            .errors();
            return Err(if set_errors.is_empty() {
                match source::discover(data) {
                    Err(e) => e,
                    Ok(_) => Error::NoNotices {
                        dir: data.to_owned(),
                    },
                }
            } else {
                Error::Data(set_errors)
            });
        }
        let snap = Arc::new(snap);
        super::pack::prepare(&state, &snap);
        *state.snapshot.write().unwrap_or_else(|e| e.into_inner()) = snap;
        Ok(state)
    }

    pub(super) fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The problems with the data now.
    pub fn problems(&self) -> Vec<Problem> {
        self.current().problems.clone()
    }

    /// Re-reads what changed in the data directory and swaps in the new snapshot. Returns log
    /// lines describing what changed.
    /// Changed content is taken once it has stayed the same for `settle`.
    pub fn reload(&self, settle: Duration) -> Vec<String> {
        let _one_at_a_time = self.reloading.lock().unwrap_or_else(|e| e.into_inner());
        let old = self.current();
        let new = scan(&self.data, self.versions.as_deref(), &old, Some(settle));
        // krilla's caches (font subsets, compressed streams; the `comemo` feature) keep what
        // the last few scans rendered, so a long-running server does not grow with every edit.
        comemo::evict(8);
        let mut log = Vec::new();
        for (id, e) in &new.notices {
            match old.notices.get(id) {
                Some(o) if Arc::ptr_eq(o, e) => {}
                Some(_) => log.push(format!(
                    "reload: {id} updated (version {})",
                    e.loaded.notice.updated
                )),
                None => log.push(format!(
                    "reload: {id} added (version {})",
                    e.loaded.notice.updated
                )),
            }
        }
        for id in old
            .notices
            .keys()
            .filter(|id| !new.notices.contains_key(*id))
        {
            log.push(format!("reload: {id} removed"));
        }
        if new.problems != old.problems {
            for p in &new.problems {
                let served = if p.last_good_served {
                    "its last good version is still served"
                } else {
                    "not served"
                };
                log.push(format!("reload: error: {p} ({served})"));
            }
            if new.problems.is_empty() {
                log.push("reload: the data is valid again".into());
            }
        }
        let new = Arc::new(new);
        super::pack::prepare(self, &new);
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = new;
        log
    }
}

fn stat(path: &Path) -> Option<Stat> {
    let m = std::fs::metadata(path).ok()?;
    Some(Stat {
        len: m.len(),
        modified: m.modified().ok(),
    })
}

/// Reads `path` within the limits; a file that cannot be read is its problem.
fn read(path: &Path) -> (String, std::result::Result<String, Diagnostic>) {
    match source::read(path) {
        Ok(text) => (crate::sha256_hex(text.as_bytes()), Ok(text)),
        Err(d) => (String::new(), Err(d)),
    }
}

fn checked_error(path: &Path, d: Diagnostic) -> Checked {
    Checked {
        path: path.to_owned(),
        loaded: None,
        diagnostics: vec![d],
        inputs: Vec::new(),
        declares: source::Declares::Nothing,
    }
}

/// The new state of one file. `settle`: how long changed content must stay the same before
/// it is taken; `None` takes it at once (start-up).
fn observe(path: &Path, prev: Option<&FileState>, settle: Option<Duration>) -> FileState {
    let Some(st) = stat(path) else {
        // Gone between listing and stat, or a dangling link: reading says which.
        let (sha256, r) = read(path);
        let taken = Some(match r {
            Ok(text) => source::check_text(path, &text),
            Err(d) => checked_error(path, d),
        });
        return FileState {
            stat: Stat {
                len: 0,
                modified: None,
            },
            sha256,
            inputs: inputs_of(&taken),
            taken,
            pending: None,
        };
    };
    if let Some(p) = prev
        && p.stat == st
        && p.pending.is_none()
        && p.inputs_unchanged()
    {
        return p.clone();
    }
    if st.len > source::MAX_FILE_BYTES {
        // Refused from its size alone; never read.
        let (_, r) = read(path);
        return FileState {
            stat: st,
            sha256: String::new(),
            taken: r.err().map(|d| checked_error(path, d)),
            pending: None,
            inputs: Vec::new(),
        };
    }
    let (sha256, r) = read(path);
    let take = |r: std::result::Result<String, Diagnostic>| match r {
        Ok(text) => source::check_text(path, &text),
        Err(d) => checked_error(path, d),
    };
    if let Some(p) = prev
        && p.sha256 == sha256
        && p.taken.is_some()
        && p.inputs_unchanged()
    {
        // Touched, not changed.
        return FileState {
            stat: st,
            pending: None,
            ..p.clone()
        };
    }
    let settled = |p: &FileState| match (&p.pending, settle) {
        (_, None) => true,
        (Some((s, h, since)), Some(settle)) => {
            *s == st && *h == sha256 && since.elapsed() >= settle
        }
        (None, Some(_)) => false,
    };
    let unchanged_since_pending =
        |p: &FileState| matches!(&p.pending, Some((s, h, _)) if *s == st && *h == sha256);
    match prev {
        Some(p) if !settled(p) => FileState {
            pending: Some(match &p.pending {
                Some(pending) if unchanged_since_pending(p) => pending.clone(),
                _ => (st, sha256, Instant::now()),
            }),
            ..p.clone()
        },
        None if settle.is_some() => FileState {
            // Not seen before: wait for it to settle, like any change.
            stat: Stat {
                len: u64::MAX,
                modified: None,
            },
            sha256: String::new(),
            taken: None,
            pending: Some((st, sha256, Instant::now())),
            inputs: Vec::new(),
        },
        _ => {
            let taken = Some(take(r));
            FileState {
                stat: st,
                sha256,
                inputs: inputs_of(&taken),
                taken,
                pending: None,
            }
        }
    }
}

/// Builds the snapshot after `prev` (see the module docs).
fn scan(
    data: &Path,
    versions: Option<&Path>,
    prev: &Snapshot,
    settle: Option<Duration>,
) -> Snapshot {
    let paths = match source::discover(data) {
        Ok(p) => p,
        Err(Error::NoNotices { .. }) => Vec::new(),
        Err(_) => {
            // The directory itself cannot be read: keep serving what we had.
            return Snapshot {
                notices: prev.notices.clone(),
                problems: vec![Problem {
                    file: ".".into(),
                    line: 0,
                    col: 0,
                    field: String::new(),
                    message: "cannot read the data directory".into(),
                    last_good_served: true,
                }],
                files: prev.files.clone(),
                good: prev.good.clone(),
                collection: prev.collection.clone(),
                pack_key: prev.pack_key.clone(),
            };
        }
    };
    let mut files = BTreeMap::new();
    for path in paths {
        let state = observe(&path, prev.files.get(&path), settle);
        files.insert(path, state);
    }
    let mut set = DataSet::assemble(files.values().filter_map(|f| f.taken.clone()).collect());
    if let Some(dir) = versions {
        crate::history::attach(&mut set, dir);
    }

    let mut snap = Snapshot {
        files,
        ..Snapshot::default()
    };
    let mut problems: Vec<Diagnostic> = Vec::new();
    for checked in &set.files {
        problems.extend(
            checked
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .cloned(),
        );
        let entry = match &checked.loaded {
            Some(loaded) => match prev.good.get(&checked.path) {
                // The same data and the same logo: the same PDFs.
                Some(e)
                    if e.loaded.source_sha256 == loaded.source_sha256
                        && e.loaded.notice.logo == loaded.notice.logo
                        && e.loaded.notice.previous == loaded.notice.previous =>
                {
                    Some(e.clone())
                }
                _ => match render(loaded) {
                    Ok(e) => Some(Arc::new(e)),
                    Err(e) => {
                        problems.push(Diagnostic {
                            severity: Severity::Error,
                            file: checked.path.clone(),
                            line: 0,
                            col: 0,
                            field: String::new(),
                            message: e.to_string(),
                            hint: None,
                        });
                        None
                    }
                },
            },
            None => None,
        };
        match entry {
            Some(e) => {
                snap.good.insert(checked.path.clone(), e);
            }
            None => {
                // Invalid now: its last good version, if this process had one.
                if let Some(e) = prev.good.get(&checked.path) {
                    snap.good.insert(checked.path.clone(), e.clone());
                }
            }
        }
    }
    // Valid files first, then last good versions of invalid ones, each id once, in file order.
    for valid_now in [true, false] {
        for checked in &set.files {
            if checked.loaded.is_some() != valid_now {
                continue;
            }
            if let Some(e) = snap.good.get(&checked.path) {
                snap.notices
                    .entry(e.loaded.notice.id.clone())
                    .or_insert_with(|| e.clone());
            }
        }
    }
    // The collection, or its last good version while the file is wrong.
    snap.collection = set.collection().map(|c| Arc::new(c.clone()));
    let collection_kept = snap.collection.is_none() && prev.collection.is_some();
    if collection_kept {
        snap.collection = prev.collection.clone();
    }
    let served: String = snap
        .notices
        .values()
        .map(|e| {
            let n = &e.loaded.notice;
            let previous = n.previous.as_ref().and_then(|p| p.version.as_deref());
            format!("{} {} {previous:?}\n", n.id, e.loaded.source_sha256)
        })
        .collect();
    snap.pack_key = crate::sha256_hex(format!("{:?}\n{served}", snap.collection).as_bytes());
    snap.problems = problems
        .iter()
        .map(|d| Problem {
            file: d
                .file
                .strip_prefix(data)
                .unwrap_or(&d.file)
                .to_string_lossy()
                .into_owned(),
            line: d.line,
            col: d.col,
            field: d.field.clone(),
            message: d.message.clone(),
            last_good_served: (collection_kept && source::is_collection(&d.file))
                || snap
                    .good
                    .get(&d.file)
                    .is_some_and(|e| snap.notices.values().any(|n| Arc::ptr_eq(n, e))),
        })
        .collect();
    snap
}

/// Renders one notice in every edition. A panic while rendering is an error for this notice
/// (see [`crate::render_display`]), never a crashed server.
fn render(loaded: &Loaded) -> Result<Entry> {
    let editions = crate::render::editions(&loaded.notice, &Options::default())?
        .into_iter()
        .map(|r| {
            let rendition = Rendition {
                pdf: Bytes::from(r.pdf),
                sha256: r.sha256,
                display: r.display,
            };
            (r.edition, rendition)
        })
        .collect();
    Ok(Entry {
        loaded: loaded.clone(),
        editions,
    })
}
