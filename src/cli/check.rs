//! `notice-pdf check`: parse, validate and lint data files with the rules of `build`, and say
//! how readable each section is.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use notice_pdf::Severity;
use notice_pdf::source::{self, DataSet, Loaded};

use super::args::CheckArgs;
use crate::{Res, say};

/// Checks the given files and directories as one set. A file is checked in the set of its
/// directory (its collection's lint, the notices it links to), and what is printed is what the
/// named files say: the same for a file as when its directory is checked.
pub(crate) fn run(args: CheckArgs) -> Res {
    let chosen = Chosen::gather(&args.paths)?;
    let all = chosen.files.iter().chain(&chosen.context);
    let set = DataSet::assemble(all.map(|f| source::check_file(f)).collect());
    let named = |f: &Path| chosen.files.iter().any(|n| n == f);
    let (mut errors, mut warnings) = (0, 0);
    for d in set
        .files
        .iter()
        .filter(|f| named(&f.path))
        .flat_map(|f| &f.diagnostics)
    {
        let is_error = d.severity == Severity::Error || args.strict;
        if is_error {
            errors += 1;
        } else {
            warnings += 1;
        }
        say(&format!(
            "{}: {d}",
            if is_error { "error" } else { "warning" }
        ));
        if let Some(h) = &d.hint {
            say(&format!("hint: {h}"));
        }
    }
    for loaded in set.notices().filter(|l| named(&l.path)) {
        say_readability(loaded);
    }
    let collections = chosen
        .files
        .iter()
        .filter(|f| f.is_file() && source::is_collection(f))
        .count();
    let what = match collections {
        0 => String::new(),
        1 => " and the collection".to_owned(),
        n => format!(" and {n} collections"),
    };
    // A path that is not there is an error, not a notice checked.
    let notices = chosen
        .files
        .iter()
        .filter(|f| f.is_file() && !source::is_collection(f))
        .count();
    say(&format!(
        "checked {notices} notice(s){what}: {errors} error(s), {warnings} warning(s)"
    ));
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The files a check names, and the files around them that it reads but does not report on.
struct Chosen {
    files: Vec<PathBuf>,
    context: Vec<PathBuf>,
}

impl Chosen {
    fn gather(paths: &[PathBuf]) -> Res<Chosen> {
        let mut files = Vec::new();
        let mut context = Vec::new();
        for p in paths {
            if p.is_dir() {
                files.extend(source::discover(p)?);
            } else {
                files.push(p.clone());
                let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
                if let Ok(around) = source::discover(dir.unwrap_or(Path::new("."))) {
                    context.extend(around);
                }
            }
        }
        files.sort();
        files.dedup();
        context.retain(|c| !files.iter().any(|f| same_file(f, c)));
        context.sort();
        context.dedup();
        Ok(Chosen { files, context })
    }
}

/// Plain language, per section of a valid notice: LIX and its long sentences.
fn say_readability(loaded: &Loaded) {
    say(&format!("readability: {}", loaded.path.display()));
    say("   LIX  sentences  over 25 words  section");
    for s in &loaded.readability {
        let (lix, label) = match s.lix() {
            Some(lix) => (format!("{lix:.0}"), notice_pdf::model::lix_label(lix)),
            None => ("–".to_owned(), "ingen löptext"),
        };
        say(&format!(
            "  {lix:>4}  {:>9}  {:>13}  {} ({label})",
            s.sentences,
            s.long_sentences.len(),
            s.heading,
        ));
    }
    for s in loaded.readability.iter().flat_map(|s| &s.long_sentences) {
        say(&format!(
            "  long sentence: {}:{}:{}: {}: {} words: \"{}\"",
            loaded.path.display(),
            s.line,
            s.col,
            s.field,
            s.words,
            s.opening
        ));
    }
}

/// Whether two paths name the same file (as written, or the same file on disk).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}
