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
//! - A removed collection is not kept: the packs stop, and the removal is a problem until the
//!   file is back. A notice the collection places but that is not served is named, with why,
//!   in [`Snapshot::unavailable`].
//! - Renditions are reused, and packs cached, by a key over the bytes of every input: data
//!   files, logos and the earlier versions compared with ([`notice_inputs`]).
//! - Checking and rendering a file are guarded: a panic is that file's problem.

use std::collections::BTreeMap;
use std::hash::RandomState;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;

use crate::memo::Memo;
use serde::Serialize;

use crate::error::{Diagnostic, Error, Result, Severity};
use crate::layout::{DisplayList, Edition};
use crate::model::Collection;
use crate::source::{self, Checked, DataSet};
use crate::{Loaded, Options};

/// One edition of a notice, rendered.
pub(crate) struct Rendition {
    /// The PDF served: the sealed one a build made of this very document, when there is one.
    pub pdf: Bytes,
    pub sha256: String,
    pub display: DisplayList,
    /// Whether `pdf` carries the bank's seal ([`crate::seal`]).
    pub sealed: bool,
}

/// A valid notice and its renditions.
pub(crate) struct Entry {
    pub loaded: Loaded,
    pub editions: BTreeMap<Edition, Rendition>,
    /// [`notice_inputs`]: changes whenever any input of its renditions does.
    pub inputs_sha256: String,
}

/// SHA-256 over length-prefixed parts, hex: a cache key that changes whenever any part does.
fn digest<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for part in parts {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of a logo's picture, or nothing.
fn logo_bytes(picture: Option<&crate::model::Picture>) -> &[u8] {
    picture.map_or(&[][..], |p| &p.data[..])
}

/// A key over every input a notice's renditions read: its data file's bytes, its logo's bytes,
/// the earlier version it is compared with (its data file's bytes) and the addresses of the
/// other notices (where its `notice:` links lead).
pub(super) fn notice_inputs(loaded: &Loaded) -> String {
    let n = &loaded.notice;
    let previous = n.previous.as_deref();
    let peers: String = n
        .peers
        .iter()
        .map(|(id, url)| format!("{id} {url}\n"))
        .collect();
    digest([
        peers.as_bytes(),
        loaded.source_sha256.as_bytes(),
        n.logo.as_ref().map_or(&b""[..], |l| l.file.as_bytes()),
        logo_bytes(n.logo_picture.as_ref()),
        previous
            .and_then(|p| p.source.as_ref())
            .map_or(&b""[..], |s| &s.data[..]),
        previous
            .and_then(|p| p.version.as_deref())
            .unwrap_or_default()
            .as_bytes(),
    ])
}

/// A key over every input of the collection: its file's bytes and its logo's bytes.
fn collection_inputs(c: &Collection) -> String {
    digest([
        c.source.as_ref().map_or(&b""[..], |s| &s.data[..]),
        c.logo.as_ref().map_or(&b""[..], |l| l.file.as_bytes()),
        logo_bytes(c.logo_picture.as_ref()),
    ])
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
    /// The collection: valid now, or its last good version while its file is invalid (not
    /// once the file is removed).
    pub collection: Option<Arc<Collection>>,
    /// The collection file's path relative to the data directory, once there was one.
    pub collection_file: Option<String>,
    /// The collection file was removed while this process served packs from it.
    pub collection_removed: bool,
    /// Changes whenever a pack of the served notices would: a hash over every input of the
    /// collection and of every served notice (data files, logos, earlier versions).
    pub pack_key: String,
    /// The notices the collection places that are not served, by id, each with why (a
    /// problem of its file, relative to the data directory).
    pub unavailable: BTreeMap<String, String>,
    /// The whole pack in each edition, rendered with the snapshot (when it can be).
    pub whole: BTreeMap<Edition, Arc<Pack>>,
    /// What the server log gets and a client does not: the details of internal errors.
    pub details: Vec<String>,
}

/// A rendered pack.
pub(crate) struct Pack {
    pub pdf: Bytes,
    pub sha256: String,
    pub pages: usize,
    /// Its notices in order: id and version id.
    pub notices: Vec<(String, String)>,
    /// The newest of its notices' dates.
    pub newest: chrono::NaiveDate,
    /// A selection of one notice is that notice's own document (not a pack with a cover for
    /// the whole collection): its id.
    pub alone: Option<String>,
}

/// How the whole pack of a new snapshot is made from it and the old one (the pack module's
/// `prepare`, handed in so that the state does not reach into the routes that use it).
pub(super) type Prepare = fn(&Snapshot, &Snapshot) -> BTreeMap<Edition, Arc<Pack>>;

/// Server state: the data directory and the current snapshot.
pub struct AppState {
    /// Makes a snapshot's whole packs.
    prepare: Prepare,
    data: PathBuf,
    /// A build's output directory whose versions the notices are compared with.
    versions: Option<PathBuf>,
    snapshot: std::sync::RwLock<Arc<Snapshot>>,
    /// Serialises reloads: one poll at a time.
    reloading: Mutex<()>,
    /// Page thumbnails (PNG and its hash): bounded by bytes, keyed by the PDF's hash and page.
    pub(super) thumbs: Memo<(String, usize), (Bytes, String), RandomState>,
    /// Packs rendered: bounded by bytes, keyed by the snapshot's pack key, selection and
    /// edition.
    pub(super) packs: Memo<String, Arc<Pack>, RandomState>,
    /// Pack renders running at once.
    pub(super) pack_renders: Arc<tokio::sync::Semaphore>,
    /// Thumbnails rasterised at once.
    pub(super) thumb_renders: Arc<tokio::sync::Semaphore>,
    /// Packs rendered for requests since start-up.
    pub(super) packs_made: std::sync::atomic::AtomicU64,
    /// A shutdown signal came: the server finishes what it serves while `/readyz` tells a
    /// load balancer to send no more.
    pub(super) draining: std::sync::atomic::AtomicBool,
    /// What `/metrics` reports.
    pub(super) metrics: super::metrics::Metrics,
    /// Names this run of the server in the request ids it makes (`Config::instance`).
    pub(super) instance: String,
    /// Requests given an id of ours.
    requests: std::sync::atomic::AtomicU64,
    /// The bounds.
    pub(super) limits: super::Limits,
    /// The server log.
    pub(super) log: super::Log,
}

impl AppState {
    /// A request id of ours: this run's name and a count.
    pub(super) fn next_request_id(&self) -> String {
        let n = self
            .requests
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("{}-{n}", self.instance)
    }

    /// Loads the data directory, taking files as they are. Fails only when nothing valid can
    /// be served: with the data errors when there are any.
    /// `versions`: a build's output directory, as `build` compares each notice with its newest
    /// earlier version there ([`crate::history`]).
    pub(super) fn load(
        data: &Path,
        versions: Option<&Path>,
        limits: super::Limits,
        log: super::Log,
        prepare: Prepare,
    ) -> Result<AppState> {
        let state = AppState {
            prepare,
            data: data.to_owned(),
            versions: versions.map(Path::to_owned),
            snapshot: Default::default(),
            reloading: Mutex::new(()),
            thumbs: Memo::new(limits.thumb_cache_bytes),
            packs: Memo::new(limits.pack_cache_bytes),
            pack_renders: Arc::new(tokio::sync::Semaphore::new(limits.pack_renders.max(1))),
            thumb_renders: Arc::new(tokio::sync::Semaphore::new(limits.thumb_renders.max(1))),
            packs_made: Default::default(),
            draining: Default::default(),
            metrics: super::metrics::Metrics::new(),
            instance: String::new(),
            requests: Default::default(),
            limits,
            log,
        };
        let started = Instant::now();
        let mut snap = scan(data, versions, &Snapshot::default(), None);
        state
            .metrics
            .scan_seconds
            .observe(started.elapsed().as_secs_f64());
        state
            .metrics
            .notice_renders
            .inc_by(snap.notices.len() as u64);
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
        snap.whole = (state.prepare)(&snap, &Snapshot::default());
        *state.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snap);
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
    /// Changed content is taken once it has stayed the same for `settle`; `None` takes it
    /// as it is now (an operator's SIGHUP).
    pub fn reload(&self, settle: Option<Duration>) -> Vec<String> {
        let _one_at_a_time = self.reloading.lock().unwrap_or_else(|e| e.into_inner());
        let old = self.current();
        let started = Instant::now();
        let mut new = scan(&self.data, self.versions.as_deref(), &old, settle);
        self.metrics
            .scan_seconds
            .observe(started.elapsed().as_secs_f64());
        let rendered = new
            .notices
            .iter()
            .filter(|(id, e)| !old.notices.get(*id).is_some_and(|o| Arc::ptr_eq(o, e)))
            .count();
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
            for d in &new.details {
                log.push(format!("reload: detail: {d}"));
            }
            if new.problems.is_empty() {
                log.push("reload: the data is valid again".into());
            }
        }
        new.whole = (self.prepare)(&new, &old);
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(new);
        if !log.is_empty() {
            self.metrics.reloads.inc();
        }
        self.metrics.notice_renders.inc_by(rendered as u64);
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

/// Checks a data file; a panic while checking (a picture decoder's, say) is a problem of that
/// file, never a crashed server. The panic's own message goes to the server log only (the
/// panic hook prints it to standard error).
fn check(path: &Path, text: &str) -> Checked {
    guarded(path, || source::check_text(path, text))
}

/// Runs the check `f` of the file at `path`; a panic in it is that file's problem.
fn guarded(path: &Path, f: impl FnOnce() -> Checked) -> Checked {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        checked_error(
            path,
            Diagnostic {
                severity: Severity::Error,
                file: path.to_owned(),
                line: 0,
                col: 0,
                field: String::new(),
                message: INTERNAL_CHECK.into(),
                hint: None,
            },
        )
    })
}

/// What a client is told of a panic while checking a file.
const INTERNAL_CHECK: &str =
    "cannot be checked: an internal error in notice-pdf (the server log has the details)";

/// What a client is told of a notice that cannot be rendered.
const INTERNAL_RENDER: &str =
    "cannot be rendered: an internal error in notice-pdf (the server log has the details)";

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
            Ok(text) => check(path, &text),
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
        Ok(text) => check(path, &text),
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
                collection_file: prev.collection_file.clone(),
                collection_removed: prev.collection_removed,
                pack_key: prev.pack_key.clone(),
                unavailable: prev.unavailable.clone(),
                whole: BTreeMap::new(),
                details: Vec::new(),
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
            Some(loaded) => {
                let inputs = notice_inputs(loaded) + &published_stamp(versions, loaded);
                match prev.good.get(&checked.path) {
                    // The same data, logo and earlier version: the same PDFs.
                    Some(e) if e.inputs_sha256 == inputs => Some(e.clone()),
                    _ => match render(loaded, inputs, versions) {
                        Ok(e) => Some(Arc::new(e)),
                        Err(e) => {
                            snap.details.push(format!(
                                "{}: {e}",
                                relative(data, &checked.path.to_string_lossy())
                            ));
                            problems.push(Diagnostic {
                                severity: Severity::Error,
                                file: checked.path.clone(),
                                line: 0,
                                col: 0,
                                field: String::new(),
                                message: INTERNAL_RENDER.into(),
                                hint: None,
                            });
                            None
                        }
                    },
                }
            }
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
    // The collection, or its last good version while its file is there but wrong. A removed
    // collection is not served: the packs follow the data, and the removal is reported.
    let collection_path = set
        .files
        .iter()
        .map(|f| &f.path)
        .find(|p| source::is_collection(p));
    snap.collection_file = collection_path
        .map(|p| relative_path(data, p))
        .or_else(|| prev.collection_file.clone());
    snap.collection = set.collection().map(|c| Arc::new(c.clone()));
    let collection_kept =
        snap.collection.is_none() && collection_path.is_some() && prev.collection.is_some();
    if collection_kept {
        snap.collection = prev.collection.clone();
    }
    snap.collection_removed =
        collection_path.is_none() && (prev.collection.is_some() || prev.collection_removed);
    snap.pack_key = match &snap.collection {
        None => String::new(),
        Some(c) => {
            let served: Vec<String> = snap
                .notices
                .iter()
                .map(|(id, e)| format!("{id} {}", e.inputs_sha256))
                .collect();
            digest(
                std::iter::once(collection_inputs(c).as_bytes())
                    .chain(served.iter().map(|s| s.as_bytes())),
            )
        }
    };
    snap.problems = problems
        .iter()
        .map(|d| Problem {
            file: relative_path(data, &d.file),
            line: d.line,
            col: d.col,
            field: d.field.clone(),
            message: relative(data, &d.message),
            last_good_served: (collection_kept && source::is_collection(&d.file))
                || snap
                    .good
                    .get(&d.file)
                    .is_some_and(|e| snap.notices.values().any(|n| Arc::ptr_eq(n, e))),
        })
        .collect();
    if snap.collection_removed {
        snap.problems.push(Problem {
            file: snap
                .collection_file
                .clone()
                .unwrap_or_else(|| "collection.toml".into()),
            line: 0,
            col: 0,
            field: String::new(),
            message: "the file was removed: no pack is served until it is back (restart the \
                      server to serve without a collection)"
                .into(),
            last_good_served: false,
        });
    }
    snap.unavailable = unavailable(&snap, &set, data);
    snap
}

/// The notices the collection places that are not served, each with why.
fn unavailable(snap: &Snapshot, set: &DataSet, data: &Path) -> BTreeMap<String, String> {
    // The served collection's ids; else those the collection file places, valid or not.
    let placed: Vec<String> = match &snap.collection {
        Some(c) => c.order().map(str::to_owned).collect(),
        None => set
            .files
            .iter()
            .find_map(|f| match &f.declares {
                source::Declares::Collection { placed, .. } => {
                    Some(placed.iter().map(|p| p.0.clone()).collect())
                }
                _ => None,
            })
            .unwrap_or_default(),
    };
    let mut out = BTreeMap::new();
    for id in &placed {
        let id = id.as_str();
        if snap.notices.contains_key(id) {
            continue;
        }
        // The file that declares the id; else one named after it.
        let declares = |f: &&Checked| matches!(&f.declares, source::Declares::Notice { id: declared, .. } if declared == id);
        let named = |f: &&Checked| f.path.file_stem().is_some_and(|s| s == id);
        let file = set
            .files
            .iter()
            .find(declares)
            .or_else(|| set.files.iter().find(named))
            .map(|f| relative_path(data, &f.path));
        let problem = file
            .as_ref()
            .and_then(|file| snap.problems.iter().find(|p| &p.file == file));
        let why = match (problem, file) {
            (Some(p), _) => p.to_string(),
            (None, Some(file)) => format!("{file}: not valid"),
            (None, None) => format!("no data file has the id \"{id}\""),
        };
        out.insert(id.to_owned(), why);
    }
    out
}

/// `path` relative to the data directory (no server path reaches a client).
fn relative_path(data: &Path, path: &Path) -> String {
    path.strip_prefix(data)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// `message` with every mention of the data directory's path taken out, so that the files it
/// names are relative to the data directory (a logo's problem names the logo's path).
pub(super) fn relative(data: &Path, message: &str) -> String {
    let mut out = message.to_owned();
    let mut prefixes = vec![data.to_path_buf()];
    if let Ok(canonical) = data.canonicalize() {
        prefixes.push(canonical);
    }
    // Longest first, so that a prefix of another prefix does not leave a tail behind.
    prefixes.sort_by_key(|p| std::cmp::Reverse(p.as_os_str().len()));
    for prefix in prefixes {
        let prefix = format!("{}/", prefix.to_string_lossy().trim_end_matches('/'));
        if prefix == "/" {
            continue;
        }
        let mut kept = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(at) = rest.find(&prefix) {
            kept.push_str(&rest[..at]);
            // Only where a path starts: at the start, or after a space, quote or bracket.
            let starts = kept.is_empty() || kept.ends_with([' ', '"', '\'', '(', '[', '`']);
            if !starts {
                kept.push_str(&prefix);
            }
            rest = &rest[at + prefix.len()..];
        }
        kept.push_str(rest);
        out = kept;
    }
    out
}

/// The size and modification time of each edition's PDF in the build's output directory
/// `versions`: a rebuilt (newly sealed) output changes the notice's key.
fn published_stamp(versions: Option<&Path>, loaded: &Loaded) -> String {
    let Some(dir) = versions else {
        return String::new();
    };
    Edition::ALL
        .iter()
        .map(|e| {
            let meta = std::fs::metadata(dir.join(e.file_name(&loaded.notice.id, "pdf"))).ok();
            let modified = meta
                .as_ref()
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!(" {}:{modified}", meta.map_or(0, |m| m.len()))
        })
        .collect()
}

/// The sealed PDF a build published in `versions` whose revision 1 is `pdf` (sealing happens
/// once, at build time; the server never holds the key).
fn published_seal(versions: Option<&Path>, file: &str, pdf: &[u8]) -> Option<Vec<u8>> {
    let path = versions?.join(file);
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > crate::verify::MAX_PDF_BYTES {
        return None;
    }
    let published = std::fs::read(&path).ok()?;
    (published.len() > pdf.len() && crate::seal::first_revision(&published) == pdf)
        .then_some(published)
}

/// Renders one notice in every edition, each the sealed PDF a build made of it when
/// `versions` holds one. A panic while rendering is an error for this notice (see
/// [`crate::render`]), never a crashed server.
fn render(loaded: &Loaded, inputs_sha256: String, versions: Option<&Path>) -> Result<Entry> {
    let editions =
        crate::render::editions(crate::Document::Notice(&loaded.notice), &Options::default())?
            .into_iter()
            .map(|r| {
                let file = r.edition.file_name(&loaded.notice.id, "pdf");
                let rendition = match published_seal(versions, &file, &r.pdf) {
                    Some(sealed) => Rendition {
                        sha256: crate::sha256_hex(&sealed),
                        pdf: Bytes::from(sealed),
                        display: r.display,
                        sealed: true,
                    },
                    None => Rendition {
                        pdf: Bytes::from(r.pdf),
                        sha256: r.sha256,
                        display: r.display,
                        sealed: false,
                    },
                };
                (r.edition, rendition)
            })
            .collect();
    Ok(Entry {
        loaded: loaded.clone(),
        editions,
        inputs_sha256,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_files_relative_to_the_data_directory() {
        let data = Path::new("/srv/notices/data");
        assert_eq!(
            relative(
                data,
                "/srv/notices/data/logo.svg: the file is not a readable SVG image"
            ),
            "logo.svg: the file is not a readable SVG image"
        );
        assert_eq!(
            relative(
                data,
                "read \"/srv/notices/data/a/b.png\" (x/srv/notices/data/c)"
            ),
            "read \"a/b.png\" (x/srv/notices/data/c)"
        );
        assert_eq!(
            relative(Path::new("data"), "data/logo.svg: gone; metadata/x"),
            "logo.svg: gone; metadata/x"
        );
    }

    #[test]
    fn a_panic_while_checking_a_file_is_that_files_problem() {
        let path = Path::new("/srv/data/logo-user.toml");
        let c = guarded(path, || panic!("index out of bounds: {:?}", Some(3)));
        assert!(c.loaded.is_none());
        assert_eq!(c.path, path);
        assert_eq!(c.diagnostics.len(), 1);
        assert_eq!(c.diagnostics[0].message, INTERNAL_CHECK);
        assert_eq!(c.diagnostics[0].severity, Severity::Error);
    }

    #[test]
    fn a_change_to_any_input_changes_the_key() {
        let a: [&[u8]; 2] = [b"ab", b"c"];
        let b: [&[u8]; 2] = [b"a", b"bc"];
        assert_ne!(digest(a), digest(b));
        assert_eq!(digest(a), digest([&b"ab"[..], &b"c"[..]]));
    }
}
