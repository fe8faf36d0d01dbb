//! The audit log as a hash chain (DORA, RTS 2024/1774 Art. 12: logs protected against
//! tampering): one JSON [`Record`] a line, each carrying `prev`, the SHA-256 of the line before
//! it (of the last line of the file before it, for a file's first line after a rotation), and
//! `hash`, the SHA-256 of its own line written with `hash` empty. A line edited, deleted,
//! inserted or moved, or a file cut short, breaks the chain where it happened, and
//! [`verify`] names that line.
//!
//! A chain proves its lines belong together; it cannot prove that whole lines were not cut
//! from its end, nor stop someone who rewrites every hash after a change: compare the last
//! hash [`verify`] reports with one kept elsewhere (the server's log names each file's start).

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Event;
use crate::error::{Error, Result};

/// The `prev` of the very first line of a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Counts the lines of the file from 1.
    pub seq: u64,
    /// When, as the writer's clock had it (RFC 3339, UTC).
    pub time: String,
    /// SHA-256 (hex) of the line before.
    pub prev: String,
    pub entry: Entry,
    /// SHA-256 (hex) of this line written with `hash` empty.
    pub hash: String,
}

/// What a line records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Entry {
    /// The server started writing this file: the notices it serves, each with the version id
    /// of its data.
    Start {
        data_versions: BTreeMap<String, String>,
    },
    /// A document handed out.
    Audit(Event),
}

impl Record {
    /// The record with its `hash` computed, and its line.
    fn sealed(mut self) -> (Record, String) {
        self.hash = String::new();
        let blank = serde_json::to_string(&self).expect("a record serialises");
        self.hash = crate::sha256_hex(blank.as_bytes());
        let line = serde_json::to_string(&self).expect("a record serialises");
        (self, line)
    }
}

/// Appends records to a log file, continuing its chain.
pub struct Chain {
    path: PathBuf,
    file: File,
    seq: u64,
    last: String,
}

impl Chain {
    /// Opens `path` for appending: a new file starts the chain (or continues `previous`, the
    /// last hash of the file it follows after a rotation); an existing one continues from its
    /// last line, which must verify.
    pub fn open(path: &Path, previous: Option<&str>) -> Result<Chain> {
        let existing = match std::fs::read_to_string(path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io("read the audit log", path, e)),
        };
        let (seq, last) = match existing.as_deref().filter(|t| !t.is_empty()) {
            Some(text) => {
                // Whatever file it continues: its own lines must hold together.
                let first: Option<Record> = text
                    .lines()
                    .next()
                    .and_then(|l| serde_json::from_str(l).ok());
                let continues = first.as_ref().map(|r| r.prev.as_str());
                let v = verify(text, continues).map_err(|b| Error::Audit {
                    file: path.to_owned(),
                    line: b.line,
                    message: format!("{}; keep the log aside and start a new file", b.what),
                })?;
                (v.last_seq, v.last_hash)
            }
            None => (0, previous.unwrap_or(GENESIS).to_owned()),
        };
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| Error::io("open the audit log", path, e))?;
        Ok(Chain {
            path: path.to_owned(),
            file,
            seq,
            last,
        })
    }

    /// Appends `entry` at `time`, flushed to the disk before it returns; the new line's hash.
    pub fn append(&mut self, time: &str, entry: Entry) -> Result<String> {
        let (record, line) = Record {
            seq: self.seq + 1,
            time: time.to_owned(),
            prev: self.last.clone(),
            entry,
            hash: String::new(),
        }
        .sealed();
        let write = |f: &mut File| -> std::io::Result<()> {
            f.write_all(format!("{line}\n").as_bytes())?;
            f.sync_data()
        };
        write(&mut self.file).map_err(|e| Error::io("write the audit log", &self.path, e))?;
        self.seq = record.seq;
        self.last = crate::sha256_hex(line.as_bytes());
        Ok(self.last.clone())
    }

    /// After a rotation (the file at the path moved away or removed): a new file there, whose
    /// first line continues this one's chain (its `prev` is this file's last hash). A file
    /// still in place is kept.
    pub fn reopen(&mut self) -> Result<()> {
        if same_file(&self.file, &self.path) {
            return Ok(());
        }
        let last = self.last.clone();
        *self = Chain::open(&self.path, Some(&last))?;
        Ok(())
    }

    /// The SHA-256 of the last line written: what the next file continues after a rotation.
    pub fn last_hash(&self) -> &str {
        &self.last
    }
}

/// Whether `path` still names the open `file`.
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// A chain that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub lines: usize,
    /// The `seq` of its last line.
    pub last_seq: u64,
    /// SHA-256 of its last line: keep it elsewhere to prove later that nothing was cut.
    pub last_hash: String,
}

/// Where a chain broke: the first line that is not what the chain says it should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// 1-based.
    pub line: usize,
    pub what: String,
}

/// Checks a log's text. `previous`: the last hash of the file this one follows, when it is not
/// the chain's first (a rotation); a first line that names another is refused.
pub fn verify(text: &str, previous: Option<&str>) -> std::result::Result<Verified, Broken> {
    let broken = |line: usize, what: String| Err(Broken { line, what });
    let mut last_hash: Option<String> = None;
    let mut last_seq = 0;
    let mut count = 0;
    let cut = !text.is_empty() && !text.ends_with('\n');
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let n = i + 1;
        if cut && n == lines.len() {
            return broken(n, "the line is cut short (the file was truncated)".into());
        }
        let record: Record = match serde_json::from_str(line) {
            Ok(r) => r,
            Err(_) => {
                return broken(
                    n,
                    "not a record of the audit log (edited or damaged)".into(),
                );
            }
        };
        let (resealed, _) = record.clone().sealed();
        if resealed.hash != record.hash {
            return broken(
                n,
                "its content does not match its hash (the line was edited)".into(),
            );
        }
        match &last_hash {
            None => {
                if record.prev != previous.unwrap_or(GENESIS) {
                    let what = match previous {
                        Some(_) => "it does not continue the file before it",
                        None => {
                            "the chain does not start here: a line before it is missing, or the file continues another (verify that one first)"
                        }
                    };
                    return broken(n, what.into());
                }
                if record.seq != 1 {
                    return broken(n, format!("the chain starts at number {}", record.seq));
                }
            }
            Some(h) if record.prev == *h => {
                if record.seq != last_seq + 1 {
                    return broken(n, format!("its number is {} after {last_seq}", record.seq));
                }
            }
            Some(_) => {
                let what = if record.seq == last_seq + 1 {
                    format!("the line before it was changed (line {n} names another hash)")
                } else if record.seq > last_seq + 1 {
                    format!(
                        "{} line(s) are missing before it (numbers {} to {})",
                        record.seq - last_seq - 1,
                        last_seq + 1,
                        record.seq - 1
                    )
                } else if record.seq <= last_seq {
                    format!(
                        "it was inserted or moved (number {} after {last_seq})",
                        record.seq
                    )
                } else {
                    "it does not follow the line before it".into()
                };
                return broken(n, what);
            }
        }
        last_seq = record.seq;
        last_hash = Some(crate::sha256_hex(line.as_bytes()));
        count += 1;
    }
    Ok(Verified {
        lines: count,
        last_seq,
        last_hash: last_hash.unwrap_or_else(|| previous.unwrap_or(GENESIS).to_owned()),
    })
}

/// Checks the logs `files` in order, each continuing the one before it (the first continuing
/// `after`, the last hash of the file before it, when given): each with what it verified as,
/// or the first broken line as [`Error::Audit`].
pub fn verify_files(files: &[PathBuf], after: Option<&str>) -> Result<Vec<(PathBuf, Verified)>> {
    let mut previous = after.map(str::to_owned);
    let mut out = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(file).map_err(|e| Error::io("read the audit log", file, e))?;
        let v = verify(&text, previous.as_deref()).map_err(|b| Error::Audit {
            file: file.clone(),
            line: b.line,
            message: b.what,
        })?;
        previous = Some(v.last_hash.clone());
        out.push((file.clone(), v));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Outcome, Subject};

    fn event(i: u64) -> Entry {
        Entry::Audit(Event {
            subject: Subject::Notice {
                id: format!("n{i}"),
                version: "2024-05-02".into(),
                version_id: "6abb3a61".into(),
                edition: "standard".into(),
                sha256: "0123456789ab".into(),
            },
            outcome: Outcome::Issued,
        })
    }

    fn log(dir: &Path, n: u64) -> (PathBuf, String) {
        let path = dir.join("audit.log");
        let _ = std::fs::remove_file(&path);
        let mut c = Chain::open(&path, None).unwrap();
        c.append(
            "2026-12-06T00:00:00Z",
            Entry::Start {
                data_versions: BTreeMap::from([("n1".into(), "6abb3a61".into())]),
            },
        )
        .unwrap();
        for i in 1..n {
            c.append("2026-12-06T00:00:01Z", event(i)).unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        (path, text)
    }

    fn scratch(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("notice-pdf-chain-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn an_intact_chain_verifies_and_names_its_last_hash() {
        let (_, text) = log(&scratch("intact"), 6);
        let v = verify(&text, None).unwrap();
        assert_eq!((v.lines, v.last_seq), (6, 6));
        let last = text.lines().last().unwrap();
        assert_eq!(v.last_hash, crate::sha256_hex(last.as_bytes()));
    }

    #[test]
    fn each_kind_of_tampering_is_found_at_its_line() {
        let (_, text) = log(&scratch("tamper"), 6);
        let lines: Vec<&str> = text.lines().collect();
        let join = |ls: &[&str]| ls.iter().map(|l| format!("{l}\n")).collect::<String>();
        let edited = text.replacen("\"n3\"", "\"n9\"", 1);
        let mut deleted = lines.clone();
        deleted.remove(2);
        let mut inserted = lines.clone();
        inserted.insert(3, lines[1]);
        let mut swapped = lines.clone();
        swapped.swap(2, 3);
        let cut = &text[..text.len() - 10];
        let cases = [
            ("edited", edited, 4),
            ("deleted", join(&deleted), 3),
            ("inserted", join(&inserted), 4),
            ("reordered", join(&swapped), 3),
            ("truncated", cut.to_owned(), 6),
        ];
        for (what, text, line) in cases {
            let b = verify(&text, None).unwrap_err();
            assert_eq!(b.line, line, "{what}: {}", b.what);
        }
        // The last line edited: its own hash tells.
        let last = lines[5].replacen("\"standard\"", "\"large\"", 1);
        let mut edited_last = lines.clone();
        edited_last[5] = &last;
        assert_eq!(verify(&join(&edited_last), None).unwrap_err().line, 6);
    }

    #[test]
    fn a_rotated_file_continues_the_chain_of_the_one_before() {
        let dir = scratch("rotate");
        let (path, text) = log(&dir, 3);
        let old = verify(&text, None).unwrap();
        let rotated = dir.join("audit.log.1");
        std::fs::rename(&path, &rotated).unwrap();
        let mut c = Chain::open(&path, Some(&old.last_hash)).unwrap();
        c.append("2026-12-06T01:00:00Z", event(7)).unwrap();
        let new = std::fs::read_to_string(&path).unwrap();
        let v = verify(&new, Some(&old.last_hash)).unwrap();
        assert_eq!((v.lines, v.last_seq), (1, 1));
        assert!(verify(&new, Some(GENESIS)).is_err(), "another file's end");
        // Reopened, an existing file goes on where it ended.
        drop(c);
        let mut c = Chain::open(&path, None).unwrap();
        c.append("2026-12-06T02:00:00Z", event(8)).unwrap();
        let v = verify(
            &std::fs::read_to_string(&path).unwrap(),
            Some(&old.last_hash),
        )
        .unwrap();
        assert_eq!(v.last_seq, 2);
    }
}
