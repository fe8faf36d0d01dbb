//! The one error type of notice-pdf, and the located diagnostics that data problems carry.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is. Warnings come from the compliance lint; `check --strict`
/// promotes them to errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

/// A problem in a data file, located for the editor who has to fix it.
///
/// Displays as `<file>:<line>:<col>: <field path>: <message>`; the hint is separate so the CLI
/// can print it on its own `hint:` line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The data file.
    pub file: PathBuf,
    /// 1-based line of the offending value (or of the table that lacks it); 0 for a problem
    /// with the file as a whole (it cannot be read).
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
    /// Field path in the data, e.g. `sections[2].items[0].kind`; empty for the whole file.
    pub field: String,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem of `severity` at `line`:`col` (1-based; `(0, 0)` for the file as a whole) of
    /// `file`, in the value at `field` (empty for the whole file). No hint until
    /// [`Diagnostic::hint`] gives one.
    pub fn new(
        severity: Severity,
        file: &Path,
        (line, col): (usize, usize),
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            file: file.to_owned(),
            line,
            col,
            field: field.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// An error: see [`Diagnostic::new`].
    pub fn error(
        file: &Path,
        at: (usize, usize),
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(Severity::Error, file, at, field, message)
    }

    /// The same problem with `hint` to fix it (printed on a `hint:` line of its own).
    pub fn hint(self, hint: impl Into<String>) -> Diagnostic {
        Diagnostic {
            hint: Some(hint.into()),
            ..self
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            // A problem with the file itself (it cannot be read): no position in it.
            write!(f, "{}: ", self.file.display())?;
        } else {
            write!(f, "{}:{}:{}: ", self.file.display(), self.line, self.col)?;
        }
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// Every failure notice-pdf can report. The library never prints; callers decide what the
/// user sees (`main` prints `error: {self}` and then [`Error::hints`]).
#[derive(Debug)]
pub enum Error {
    /// Reading or writing a file failed.
    Io {
        /// What we were doing, e.g. "read data file", "write output".
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// One or more data files are invalid: every problem found, in file order.
    Data(Vec<Diagnostic>),
    /// A data directory holds no `*.toml` notice.
    NoNotices { dir: PathBuf },
    /// An output path that must not be written: an input of the run, a directory, ….
    /// Nothing was written.
    Output {
        path: PathBuf,
        problem: String,
        hint: String,
    },
    /// A bug: typesetting or writing this notice panicked. Other notices are unaffected.
    Internal { id: String, message: String },
    /// `build --check` found outputs that are missing, out of date, or left over.
    Stale { files: Vec<(PathBuf, &'static str)> },
    /// krilla refused to write the PDF (e.g. a PDF/A or PDF/UA rule would be broken).
    Pdf { id: String, message: String },
    /// `verify` could not read what a PDF carries.
    Verify { message: String },
    /// `diff` was given a file that is not a version of a notice: neither a data file nor a
    /// PDF made by notice-pdf.
    Version { path: PathBuf, message: String },
    /// An audit log whose chain is broken ([`crate::audit::chain`]): the first line that is
    /// not what the chain says it should be.
    Audit {
        file: PathBuf,
        /// 1-based.
        line: usize,
        message: String,
    },
    /// A PDF could not be sealed, or the seal's key could not be read (never its password).
    Seal { message: String },
    /// A PDF's seal does not hold: what is wrong.
    SealInvalid { message: String },
    /// A pack was asked of a data directory without a collection.
    NoCollection { dir: PathBuf },
    /// A pack was asked with ids that name no notice of the collection.
    UnknownNotices {
        ids: Vec<String>,
        known: Vec<String>,
    },
}

impl Error {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// Hints that help the user fix the problem, one per line of output.
    pub fn hints(&self) -> Vec<String> {
        match self {
            Error::Data(diags) => diags.iter().filter_map(|d| d.hint.clone()).collect(),
            Error::NoNotices { .. } => {
                vec!["put one notice per file in the directory, e.g. data/kundservice.toml".into()]
            }
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::PermissionDenied => {
                vec!["check the directory's permissions, or choose another with --out".into()]
            }
            Error::Output { hint, .. } => vec![hint.clone()],
            Error::Stale { .. } => {
                vec!["run `notice-pdf build` to bring the output directory up to date".into()]
            }
            Error::Internal { .. } | Error::Pdf { .. } => {
                vec!["this is a bug in notice-pdf: please report it with the data file".into()]
            }
            Error::NoCollection { .. } => vec![
                "add collection.toml (title, label, publisher, language, groups); docs/data-format.md, \"The collection\"".into(),
            ],
            Error::Version { .. } => vec![
                "give a data file (.toml) or a PDF made by notice-pdf, which carries its data".into(),
            ],
            Error::UnknownNotices { known, .. } => {
                vec![format!("the collection's notices are: {}", known.join(", "))]
            }
            _ => Vec::new(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io {
                action,
                path,
                source,
            } => {
                write!(f, "cannot {action} {}: {source}", path.display())
            }
            Error::Data(diags) => {
                for (i, d) in diags.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
            Error::NoNotices { dir } => {
                write!(
                    f,
                    "no notices in {}: expected at least one *.toml file",
                    dir.display()
                )
            }
            Error::Output { path, problem, .. } => {
                write!(f, "refusing to write {}: it {problem}", path.display())
            }
            Error::Pdf { id, message } => write!(f, "cannot write PDF for \"{id}\": {message}"),
            Error::Internal { id, message } => {
                write!(f, "internal error while rendering \"{id}\": {message}")
            }
            Error::Verify { message } => write!(f, "cannot verify: {message}"),
            Error::Version { path, message } => write!(
                f,
                "{}: not a version of a notice: {message}",
                path.display()
            ),
            Error::Audit {
                file,
                line,
                message,
            } => write!(f, "{}:{line}: {message}", file.display()),
            Error::Seal { message } => write!(f, "cannot seal: {message}"),
            Error::SealInvalid { message } => write!(f, "the seal does not hold: {message}"),
            Error::NoCollection { dir } => write!(
                f,
                "no collection in {}: a pack needs collection.toml",
                dir.display()
            ),
            Error::UnknownNotices { ids, .. } => {
                let quoted: Vec<String> = ids.iter().map(|i| format!("\"{i}\"")).collect();
                write!(f, "no notice with the id {}", quoted.join(", "))
            }
            Error::Stale { files } => {
                write!(f, "{} output file(s) not up to date:", files.len())?;
                for (p, why) in files {
                    write!(f, "\n  {}: {why}", p.display())?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `text` in double quotes for a message, as a reader can see it: controls, invisible and
/// format characters (U+200B, bidi controls, soft hyphens, tags…) and line breaks written as
/// `\u{…}` escapes, quotes and backslashes escaped. Every message that repeats a value from a
/// file or a request quotes it with this, so no look-alike or invisible character reaches a
/// terminal or a page raw.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if is_unseen(c) => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `c` shows nothing, or something other than itself, when printed: controls, white
/// space other than the plain space, and the format and invisible characters of Unicode.
pub fn is_unseen(c: char) -> bool {
    c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c as u32,
            0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
            | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
            | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFFB | 0xE000..=0xF8FF | 0xE0000..=0xE0FFF
            | 0xF0000..=0x10FFFF)
}

#[cfg(test)]
mod quoting_tests {
    use super::quoted;

    #[test]
    fn invisible_and_control_characters_are_written_as_escapes() {
        assert_eq!(quoted("kund\u{200b}service"), "\"kund\\u{200b}service\"");
        assert_eq!(
            quoted("a\u{202e}b\nc\u{ad}"),
            "\"a\\u{202e}b\\u{000a}c\\u{00ad}\""
        );
        assert_eq!(quoted("å \"x\" \\"), "\"å \\\"x\\\" \\\\\"");
        for c in [
            '\u{200b}',
            '\u{2066}',
            '\u{feff}',
            '\u{e0041}',
            '\u{a0}',
            '\u{7}',
        ] {
            assert!(!quoted(&format!("x{c}y")).contains(c), "U+{:04X}", c as u32);
        }
    }
}
