//! `notice-pdf build`: every notice of the data directory into the output directory, a line
//! per file; `--check` writes nothing and fails on a stale output.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use notice_pdf::jobs::{self, Event, Outcome};
use notice_pdf::{Edition, Error, Options};

use super::args::BuildArgs;
use super::seal::signing_time;
use crate::{Res, say};

pub(crate) fn run(args: BuildArgs) -> Res {
    let opts = args.typeset.options(Edition::Standard)?;
    if args.check {
        return check(&args.data, &args.out, &opts);
    }
    let key = args.seal.key()?;
    let tsa = args.seal.tsa()?;
    let sealer = key.as_ref().map(|key| jobs::Sealer {
        key,
        time: signing_time(&opts),
        tsa: tsa
            .as_ref()
            .map(|t| t as &dyn notice_pdf::seal::TimeStamper),
    });
    let mut progress = Progress::new(&args.out);
    let report = match &sealer {
        Some(s) => jobs::build_sealed(&args.data, &args.out, &opts, s, &mut |ev| progress.on(ev))?,
        None => jobs::build(&args.data, &args.out, &opts, &mut |ev| progress.on(ev))?,
    };
    say(&summary(&report, &args.out));
    Ok(ExitCode::SUCCESS)
}

fn check(data: &Path, out: &Path, opts: &Options) -> Res {
    let files = jobs::stale(data, out, opts)?;
    if !files.is_empty() {
        return Err(Error::Stale { files }.into());
    }
    say(&format!("{} is up to date", out.display()));
    Ok(ExitCode::SUCCESS)
}

/// What a build says while it runs: a bar when there are many notices and someone is
/// watching; one line per output file always (what cron and systemd logs keep).
struct Progress<'a> {
    out: &'a Path,
    bar: bool,
}

impl<'a> Progress<'a> {
    fn new(out: &'a Path) -> Self {
        use std::io::IsTerminal;
        Progress {
            out,
            bar: std::io::stderr().is_terminal(),
        }
    }

    fn on(&mut self, ev: Event) {
        let out = self.out;
        match ev {
            Event::Progress { done, total } if self.bar && total > 10 => bar(done, total),
            Event::Progress { .. } => {}
            Event::Waiting => say(&format!(
                "{:>10} another build is writing {}: this one goes next",
                "waiting",
                out.display()
            )),
            Event::Rendered {
                entry,
                outcome,
                warnings,
            } => {
                let what = match outcome {
                    Outcome::Written => "written",
                    Outcome::Unchanged => "unchanged",
                };
                let warn = if warnings > 0 {
                    format!(", {warnings} warning(s): run `notice-pdf check`")
                } else {
                    String::new()
                };
                let size = if entry.edition == jobs::Format::Html {
                    format!("{} bytes", entry.bytes)
                } else {
                    format!("{} pages, {} bytes", entry.pages, entry.bytes)
                };
                say(&format!(
                    "{:>10} {} ({size}{warn})",
                    what,
                    out.join(&entry.file).display(),
                ));
            }
            Event::Retired { file, archived } => say(&format!(
                "{:>10} {}: no notice makes it any more; kept as {}",
                "retired",
                out.join(file).display(),
                out.join(archived).display()
            )),
        }
    }
}

/// The progress bar on standard error, wiped when the last notice is done.
fn bar(done: usize, total: usize) {
    let filled = done * 30 / total;
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "\r[{}{}] {done}/{total} notices rendered",
        "#".repeat(filled),
        " ".repeat(30 - filled)
    );
    if done + 1 == total {
        let _ = write!(err, "\r{}\r", " ".repeat(60));
    }
}

/// The build's last line: how many notices, and whether anything was written.
fn summary(report: &jobs::BuildReport, out: &Path) -> String {
    let notices = &report.manifest.notices;
    let pack_id = notice_pdf::sv::PACK_ID;
    let mut ids: Vec<&str> = notices
        .iter()
        .map(|e| e.id.as_str())
        .filter(|id| *id != pack_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let n = ids.len();
    let pack = if notices.iter().any(|e| e.id == pack_id) {
        " and the pack"
    } else {
        ""
    };
    match report.changed() {
        0 => format!(
            "{n} notice(s){pack} up to date in {}: nothing changed",
            out.display()
        ),
        c => format!(
            "{n} notice(s){pack} built into {}: {c} file(s) written",
            out.display()
        ),
    }
}
