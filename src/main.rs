//! The `notice-pdf` command: a thin shell over the library. Exit codes: 0 ok, 1 data or render
//! error, 2 usage error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use notice_pdf::jobs::{self, Event, Outcome};
use notice_pdf::{Align, Edition, Error, Options, Severity};

#[derive(Parser)]
#[command(
    name = "notice-pdf",
    version,
    about = "Typesets privacy notices into PDF/A-2a + PDF/UA-1 documents."
)]
#[command(
    after_help = "Without a command, `notice-pdf` runs `build`: every notice in data/ into output/."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Render every notice in the data directory and write manifest.json.
    Build {
        #[arg(long, default_value = "data")]
        data: PathBuf,
        #[arg(long, default_value = "output")]
        out: PathBuf,
        /// Write nothing; exit 1 if any output is missing or out of date.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        typeset: Typeset,
    },
    /// Render one notice.
    Render {
        /// The notice's data file.
        file: PathBuf,
        /// Output file; `-` writes to standard output. Default: output/<id>.pdf
        /// (output/<id>.large.pdf for the large edition).
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        typeset: Typeset,
        #[arg(long, value_enum, default_value_t = EditionArg::Standard)]
        edition: EditionArg,
        /// Print the typography report (to standard error when the PDF goes to standard output).
        #[arg(long)]
        report: bool,
    },
    /// Render one notice's pages as PNG images: DIR/<id>-p1.png, …
    Preview {
        /// The notice's data file.
        file: PathBuf,
        /// Output directory.
        #[arg(short, long, default_value = "output/preview")]
        output: PathBuf,
        /// Resolution, dots per inch.
        #[arg(long, default_value_t = notice_pdf::preview::DEFAULT_DPI, value_parser = parse_dpi)]
        dpi: f32,
        #[command(flatten)]
        typeset: Typeset,
        #[arg(long, value_enum, default_value_t = EditionArg::Standard)]
        edition: EditionArg,
    },
    /// Serve the agents' page and the PDFs over HTTP; data changes go live without a restart.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "NOTICE_PDF_ADDR", default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// How often to look for changed data files, in milliseconds.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(50..=600_000))]
        poll_ms: u64,
    },
    /// Parse, validate and lint notices; print every problem.
    Check {
        /// Data files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Treat lint warnings as errors.
        #[arg(long)]
        strict: bool,
    },
}

#[derive(clap::Args, Clone, Copy, Default)]
struct Typeset {
    /// Alignment of running text.
    #[arg(long, value_enum, default_value_t = AlignArg::Left)]
    align: AlignArg,
}

#[derive(ValueEnum, Clone, Copy, Default)]
enum EditionArg {
    /// 10 pt running text.
    #[default]
    Standard,
    /// Large print: 16 pt running text.
    Large,
}

impl From<EditionArg> for Edition {
    fn from(e: EditionArg) -> Edition {
        match e {
            EditionArg::Standard => Edition::Standard,
            EditionArg::Large => Edition::Large,
        }
    }
}

fn parse_dpi(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(d) if (10.0..=600.0).contains(&d) => Ok(d),
        _ => Err("expected a resolution from 10 to 600".into()),
    }
}

#[derive(ValueEnum, Clone, Copy, Default)]
enum AlignArg {
    /// Ragged right (recommended for readability).
    #[default]
    Left,
    /// Justified.
    Justify,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Build {
        data: "data".into(),
        out: "output".into(),
        check: false,
        typeset: Typeset::default(),
    }) {
        Command::Build {
            data,
            out,
            check,
            typeset,
        } => options(typeset, Edition::Standard).and_then(|o| {
            if check {
                build_check(&data, &out, &o)
            } else {
                build(&data, &out, &o)
            }
        }),
        Command::Serve {
            addr,
            data,
            poll_ms,
        } => notice_pdf::serve::run(notice_pdf::serve::Config {
            addr,
            data,
            poll: std::time::Duration::from_millis(poll_ms),
            request_timeout: std::time::Duration::from_secs(10),
        })
        .map(|()| ExitCode::SUCCESS),
        Command::Render {
            file,
            output,
            typeset,
            edition,
            report,
        } => options(typeset, edition.into())
            .and_then(|o| render(&file, output.as_deref(), &o, report)),
        Command::Preview {
            file,
            output,
            dpi,
            typeset,
            edition,
        } => options(typeset, edition.into()).and_then(|o| preview(&file, &output, dpi, &o)),
        Command::Check { paths, strict } => check(&paths, strict),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            report(&e);
            ExitCode::from(1)
        }
    }
}

fn report(e: &Error) {
    let mut err = std::io::stderr().lock();
    match e {
        Error::Data(diags) => {
            for d in diags {
                let _ = writeln!(err, "error: {d}");
                if let Some(h) = &d.hint {
                    let _ = writeln!(err, "hint: {h}");
                }
            }
        }
        other => {
            let _ = writeln!(err, "error: {other}");
            for h in other.hints() {
                let _ = writeln!(err, "hint: {h}");
            }
        }
    }
}

/// Typesetting options; the date comes from `SOURCE_DATE_EPOCH` when set (reproducible builds).
fn options(t: Typeset, edition: Edition) -> Result<Options, Error> {
    let align = match t.align {
        AlignArg::Left => Align::Left,
        AlignArg::Justify => Align::Justify,
    };
    let date = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => {
            let secs: i64 = v.trim().parse().map_err(|_| {
                usage(&format!(
                    "SOURCE_DATE_EPOCH is not a number of seconds: {v:?}"
                ))
            })?;
            let dt = chrono::DateTime::from_timestamp(secs, 0)
                .ok_or_else(|| usage("SOURCE_DATE_EPOCH is out of range"))?;
            Some(dt.naive_utc())
        }
        Err(_) => None,
    };
    Ok(Options {
        align,
        edition,
        date,
    })
}

/// A usage problem found after argument parsing: print and exit 2 like clap does.
fn usage(msg: &str) -> Error {
    eprintln!("error: {msg}");
    std::process::exit(2);
}

fn build(data: &Path, out: &Path, opts: &Options) -> Result<ExitCode, Error> {
    use std::io::IsTerminal;
    // A bar while rendering when there are many notices and someone is watching; one line per
    // output file always (what cron and systemd logs keep).
    let bar = std::io::stderr().is_terminal();
    let report = jobs::build(data, out, opts, &mut |ev| match ev {
        Event::Progress { done, total } if bar && total > 10 => {
            let filled = done * 30 / total;
            eprint!(
                "\r[{}{}] {done}/{total} notices rendered",
                "#".repeat(filled),
                " ".repeat(30 - filled)
            );
            if done + 1 == total {
                eprint!("\r{}\r", " ".repeat(60));
            }
        }
        Event::Progress { .. } => {}
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
            eprintln!(
                "{:>10} {} ({} pages, {} bytes{warn})",
                what,
                out.join(&entry.file).display(),
                entry.pages,
                entry.bytes
            );
        }
    })?;
    let mut ids: Vec<&str> = report
        .manifest
        .notices
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    ids.dedup();
    let n = ids.len();
    match report.changed() {
        0 => eprintln!(
            "{n} notice(s) up to date in {}: nothing changed",
            out.display()
        ),
        c => eprintln!(
            "{n} notice(s) built into {}: {c} file(s) written",
            out.display()
        ),
    }
    Ok(ExitCode::SUCCESS)
}

fn build_check(data: &Path, out: &Path, opts: &Options) -> Result<ExitCode, Error> {
    let files = jobs::stale(data, out, opts)?;
    if !files.is_empty() {
        return Err(Error::Stale { files });
    }
    eprintln!("{} is up to date", out.display());
    Ok(ExitCode::SUCCESS)
}

fn render(
    file: &Path,
    output: Option<&Path>,
    opts: &Options,
    report: bool,
) -> Result<ExitCode, Error> {
    let loaded = notice_pdf::load(file)?;
    let (ts, rep) = notice_pdf::typeset_with_report(&loaded.notice, opts);
    let pdf = notice_pdf::pdf::write(&ts.display)?;
    let to_stdout = output.is_some_and(|p| p == Path::new("-"));
    if to_stdout {
        std::io::stdout()
            .lock()
            .write_all(&pdf)
            .map_err(|e| Error::Io {
                action: "write",
                path: "<stdout>".into(),
                source: e,
            })?;
    } else {
        let path = output.map(Path::to_owned).unwrap_or_else(|| {
            Path::new("output").join(opts.edition.file_name(&loaded.notice.id, "pdf"))
        });
        create_parent(&path)?;
        jobs::write_atomic(&path, &pdf)?;
        eprintln!(
            "wrote {} ({} pages, {} bytes)",
            path.display(),
            ts.display.pages.len(),
            pdf.len()
        );
    }
    for w in &rep.broken_words {
        eprintln!("warning: \"{w}\" is wider than the line and was broken without a hyphen");
    }
    if report {
        if to_stdout {
            eprint!("{rep}");
        } else {
            print!("{rep}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn create_parent(path: &Path) -> Result<(), Error> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => std::fs::create_dir_all(dir).map_err(|e| Error::Io {
            action: "create output directory",
            path: dir.to_owned(),
            source: e,
        }),
        None => Ok(()),
    }
}

fn preview(file: &Path, dir: &Path, dpi: f32, opts: &Options) -> Result<ExitCode, Error> {
    let loaded = notice_pdf::load(file)?;
    let dl = notice_pdf::layout::layout(&loaded.notice, opts);
    let stem = opts.edition.file_name(&loaded.notice.id, "png");
    let stem = stem.trim_end_matches(".png");
    for (i, png) in notice_pdf::preview::pages_png(&dl, dpi).iter().enumerate() {
        let path = dir.join(format!("{stem}-p{}.png", i + 1));
        create_parent(&path)?;
        jobs::write_atomic(&path, png)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn check(paths: &[PathBuf], strict: bool) -> Result<ExitCode, Error> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            files.extend(jobs::discover(p)?);
        } else {
            files.push(p.clone());
        }
    }
    let (mut errors, mut warnings) = (0, 0);
    let mut err = std::io::stderr().lock();
    for f in &files {
        let (_, diags) = notice_pdf::diagnose(f)?;
        for d in diags {
            let is_error = d.severity == Severity::Error || strict;
            if is_error {
                errors += 1;
            } else {
                warnings += 1;
            }
            let _ = writeln!(err, "{}: {d}", if is_error { "error" } else { "warning" });
            if let Some(h) = &d.hint {
                let _ = writeln!(err, "hint: {h}");
            }
        }
    }
    let _ = writeln!(
        err,
        "checked {} notice(s): {errors} error(s), {warnings} warning(s)",
        files.len()
    );
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
