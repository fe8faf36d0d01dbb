//! The `notice-pdf` command: a thin shell over the library. Exit codes: 0 ok, 1 data or render
//! error, 2 usage error; nothing else (a panic is reported as an internal error, exit 1; a
//! closed pipe ends the program quietly, exit 0, the way ripgrep does).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use notice_pdf::jobs::{self, Event, Outcome};
use notice_pdf::output::{self, Batch, Disk, Inputs};
use notice_pdf::source::{self, DataSet};
use notice_pdf::{Align, Edition, Error, Options, Severity};

mod cli;
use cli::seal::{SealArgs, signing_time};
#[cfg(feature = "serve")]
use cli::serve_log::{ChainAudit, JsonAudit, LOG_JSON, LogFormat, instance_name, serve_log};

#[derive(Parser)]
#[command(
    name = "notice-pdf",
    version,
    about = "Typesets privacy notices into PDF/A-3a + PDF/UA-1 documents."
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
        #[command(flatten)]
        seal: SealArgs,
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
        #[command(flatten)]
        versions: Versions,
        #[command(flatten)]
        seal: SealArgs,
    },
    /// Render notices of the collection as one PDF: a title page, the contents, a chapter each.
    Pack {
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// The notices, by id, comma-separated; every notice when not given. The pack follows
        /// the collection's order whatever the order given.
        #[arg(long, value_delimiter = ',')]
        ids: Option<Vec<String>>,
        /// Output file; `-` writes to standard output. Default:
        /// output/integritetsinformation.pdf (.large.pdf for the large edition).
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        typeset: Typeset,
        #[arg(long, value_enum, default_value_t = EditionArg::Standard)]
        edition: EditionArg,
        /// Print the typography report (to standard error when the PDF goes to standard output).
        #[arg(long)]
        report: bool,
        #[command(flatten)]
        versions: Versions,
        #[command(flatten)]
        seal: SealArgs,
    },
    /// Write one notice as an HTML alternative: one self-contained, semantic file.
    Html {
        /// The notice's data file.
        file: PathBuf,
        /// Output file; `-` writes to standard output. Default: output/<id>.html.
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        versions: Versions,
    },
    /// What changed between two versions of a notice: by section and question, word by word.
    /// Each version is a data file, or a PDF made by notice-pdf (its embedded data is read).
    Diff { old: PathBuf, new: PathBuf },
    /// The audit trail of `serve --audit-log`.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Prove what a PDF was made from: render its embedded data again and compare bytes; and
    /// check its seal, when it has one. Exit 0 when identical (and the seal holds), 1 otherwise.
    Verify {
        /// A PDF made by notice-pdf.
        file: PathBuf,
        /// Trust anchors (PEM certificates): the seal must lead to one of them. Without it the
        /// seal's integrity is checked, its trust is not.
        #[arg(long, value_name = "CA.pem")]
        trust: Option<PathBuf>,
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
        #[command(flatten)]
        versions: Versions,
    },
    /// Serve the agents' page and the PDFs over HTTP; data changes go live without a restart.
    #[cfg(feature = "serve")]
    Serve {
        /// Address to listen on.
        #[arg(long, env = "NOTICE_PDF_ADDR", default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// How often to look for changed data files, in milliseconds.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(50..=600_000))]
        poll_ms: u64,
        /// How long a changed data file must stay the same before it is taken, in milliseconds.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(0..=600_000))]
        settle_ms: u64,
        /// How long a client may take to send a request head, or stay idle between requests,
        /// in milliseconds.
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(100..=600_000))]
        header_timeout_ms: u64,
        /// Connections served at once; more wait until one closes.
        #[arg(long, default_value_t = 4096, value_parser = clap::value_parser!(u64).range(1..=100_000))]
        max_connections: u64,
        /// How long a write to a client may wait for it to read before the connection is
        /// dropped, in milliseconds.
        #[arg(long, default_value_t = 30_000, value_parser = clap::value_parser!(u64).range(100..=600_000))]
        send_timeout_ms: u64,
        /// Packs rendered at once; more requests wait (see --render-wait-ms).
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=64))]
        pack_renders: u64,
        /// How long a request waits for a free render before it is answered 503, in
        /// milliseconds.
        #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(0..=600_000))]
        render_wait_ms: u64,
        /// After SIGTERM, how long to go on serving while /readyz answers 503 (a load balancer
        /// takes the server out of rotation), in milliseconds; a second SIGTERM stops at once.
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=600_000))]
        drain_ms: u64,
        /// Append the audit trail to FILE as a hash chain of JSON lines (`notice-pdf audit
        /// verify FILE` checks it) instead of lines of text on standard error.
        #[arg(long)]
        audit_log: Option<PathBuf>,
        /// The server's log on standard error: lines of text, or JSON objects (one a line, each
        /// request's too, with its request id) for a log shipper.
        #[arg(long, value_enum, default_value = "text")]
        log_format: LogFormat,
        #[command(flatten)]
        versions: Versions,
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

/// Where earlier versions are found ("Vad har ändrats sedan …").
#[derive(clap::Args, Clone, Default)]
struct Versions {
    /// A build's output directory: each notice is compared with its newest earlier version
    /// there (DIR/<id>.pdf, DIR/archive/<id>/), as `build` does, so that the documents are the
    /// ones `build` writes. Without it, no comparison is made.
    #[arg(long, value_name = "DIR")]
    versions: Option<PathBuf>,
}

impl Versions {
    /// Loads one data file, its notice with its previous version when `--versions` is given.
    fn load(&self, file: &Path) -> notice_pdf::Result<notice_pdf::Loaded> {
        let mut loaded = notice_pdf::load_in_place(file)?;
        if let Some(dir) = &self.versions {
            loaded.notice.previous =
                notice_pdf::history::previous(dir, &loaded.notice).map(Box::new);
        }
        Ok(loaded)
    }
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
    std::panic::set_hook(Box::new(|info| {
        let _ = writeln!(std::io::stderr(), "error: internal error: {info}");
        let _ = writeln!(
            std::io::stderr(),
            "hint: this is a bug in notice-pdf: please report it with the data file"
        );
    }));
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(Failure::Error(e))) => {
            report(&e);
            ExitCode::from(1)
        }
        Ok(Err(Failure::Usage(msg))) => {
            say(&format!("error: {msg}"));
            ExitCode::from(2)
        }
        Ok(Err(Failure::ClosedPipe)) => ExitCode::SUCCESS,
        // The hook has reported it.
        Err(_) => ExitCode::from(1),
    }
}

/// Why a command did not succeed.
enum Failure {
    /// A data, render or I/O error: exit 1.
    Error(Error),
    /// A usage problem found after argument parsing: exit 2, like clap's.
    Usage(String),
    /// The reader of standard output went away: stop quietly.
    ClosedPipe,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Error(e)
    }
}

type Res<T = ExitCode> = Result<T, Failure>;

/// Prints a line to standard error; a failure to print is ignored (there is nowhere to say it).
fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Writes to standard output; a closed pipe becomes [`Failure::ClosedPipe`].
fn emit(bytes: &[u8]) -> Res<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure::ClosedPipe),
        Err(e) => Err(Failure::Error(Error::Io {
            action: "write",
            path: "<stdout>".into(),
            source: e,
        })),
    }
}

fn run(cli: Cli) -> Res {
    match cli.command.unwrap_or(Command::Build {
        data: "data".into(),
        out: "output".into(),
        check: false,
        typeset: Typeset::default(),
        seal: SealArgs::default(),
    }) {
        Command::Build {
            data,
            out,
            check,
            typeset,
            seal,
        } => {
            let o = options(typeset, Edition::Standard)?;
            if check {
                build_check(&data, &out, &o)
            } else {
                let key = seal.key()?;
                let tsa = seal.tsa()?;
                let sealer = key.as_ref().map(|key| jobs::Sealer {
                    key,
                    time: signing_time(&o),
                    tsa: tsa
                        .as_ref()
                        .map(|t| t as &dyn notice_pdf::seal::TimeStamper),
                });
                build(&data, &out, &o, sealer.as_ref())
            }
        }
        #[cfg(feature = "serve")]
        Command::Serve {
            addr,
            data,
            poll_ms,
            settle_ms,
            header_timeout_ms,
            max_connections,
            send_timeout_ms,
            pack_renders,
            render_wait_ms,
            drain_ms,
            audit_log,
            log_format,
            versions,
        } => {
            let json = log_format == LogFormat::Json;
            if json {
                tracing_subscriber::fmt()
                    .json()
                    .with_writer(std::io::stderr)
                    .with_target(false)
                    .init();
                LOG_JSON.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            let audit = match &audit_log {
                Some(path) => Some(ChainAudit::open(path)?),
                None if json => Some(std::sync::Arc::new(JsonAudit) as _),
                None => None,
            };
            notice_pdf::serve::run(notice_pdf::serve::Config {
                audit,
                instance: instance_name(),
                send_timeout: std::time::Duration::from_millis(send_timeout_ms),
                limits: notice_pdf::serve::Limits {
                    pack_renders: pack_renders as usize,
                    render_wait: std::time::Duration::from_millis(render_wait_ms),
                    ..Default::default()
                },
                addr,
                data,
                poll: std::time::Duration::from_millis(poll_ms),
                settle: std::time::Duration::from_millis(settle_ms),
                request_timeout: std::time::Duration::from_secs(10),
                header_timeout: std::time::Duration::from_millis(header_timeout_ms),
                max_connections: max_connections as usize,
                versions: versions.versions,
                shutdown_grace: std::time::Duration::from_secs(5),
                drain: std::time::Duration::from_millis(drain_ms),
                log: std::sync::Arc::new(serve_log),
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Render {
            file,
            output,
            typeset,
            edition,
            report,
            versions,
            seal,
        } => render(
            &file,
            output.as_deref(),
            &options(typeset, edition.into())?,
            report,
            &versions,
            &seal,
        ),
        Command::Preview {
            file,
            output,
            dpi,
            typeset,
            edition,
            versions,
        } => preview(
            &file,
            &output,
            dpi,
            &options(typeset, edition.into())?,
            &versions,
        ),
        Command::Check { paths, strict } => check(&paths, strict),
        Command::Verify { file, trust } => verify(&file, trust.as_deref()),
        Command::Audit(AuditCommand::Verify { files, after }) => audit_verify(&files, after),
        Command::Diff { old, new } => {
            let (old, new) = (version_of(&old)?, version_of(&new)?);
            emit(notice_pdf::model::changes::report(&old, &new).as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Html {
            file,
            output,
            versions,
        } => html(&file, output.as_deref(), &versions),
        Command::Pack {
            data,
            ids,
            output,
            typeset,
            edition,
            report,
            versions,
            seal,
        } => pack(
            &data,
            ids.as_deref(),
            output.as_deref(),
            &options(typeset, edition.into())?,
            report,
            &versions,
            &seal,
        ),
    }
}

/// What `notice-pdf audit` does.
#[derive(clap::Subcommand)]
enum AuditCommand {
    /// Check audit logs, in order (a rotated file, then the one after it): exit 0 when every
    /// chain holds, 1 naming the first line edited, deleted, inserted, moved or cut short.
    Verify {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The last hash of the file before the first one given (after a rotation).
        #[arg(long)]
        after: Option<String>,
    },
}

fn audit_verify(files: &[PathBuf], after: Option<String>) -> Res {
    for (file, v) in notice_pdf::audit::chain::verify_files(files, after.as_deref())? {
        say(&format!(
            "{}: intact, {} line(s); last hash {}",
            file.display(),
            v.lines,
            v.last_hash
        ));
    }
    Ok(ExitCode::SUCCESS)
}

fn report(e: &Error) {
    match e {
        Error::Data(diags) => {
            for d in diags {
                say(&format!("error: {d}"));
                if let Some(h) = &d.hint {
                    say(&format!("hint: {h}"));
                }
            }
        }
        other => {
            say(&format!("error: {other}"));
            for h in other.hints() {
                say(&format!("hint: {h}"));
            }
        }
    }
}

/// Typesetting options; the date comes from `SOURCE_DATE_EPOCH` when set (reproducible builds).
fn options(t: Typeset, edition: Edition) -> Res<Options> {
    let align = match t.align {
        AlignArg::Left => Align::Left,
        AlignArg::Justify => Align::Justify,
    };
    let date = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => Some(notice_pdf::source_date_epoch(&v).map_err(Failure::Usage)?),
        Err(_) => None,
    };
    Ok(Options {
        align,
        edition,
        date,
    })
}

fn build(data: &Path, out: &Path, opts: &Options, sealer: Option<&jobs::Sealer>) -> Res {
    use std::io::IsTerminal;
    // A bar while rendering when there are many notices and someone is watching; one line per
    // output file always (what cron and systemd logs keep).
    let bar = std::io::stderr().is_terminal();
    let mut progress = |ev: Event| match ev {
        Event::Progress { done, total } if bar && total > 10 => {
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
    };
    let report = match sealer {
        Some(s) => jobs::build_sealed(data, out, opts, s, &mut progress)?,
        None => jobs::build(data, out, opts, &mut progress)?,
    };
    let mut ids: Vec<&str> = report
        .manifest
        .notices
        .iter()
        .map(|e| e.id.as_str())
        .filter(|id| *id != notice_pdf::sv::PACK_ID)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let n = ids.len();
    let pack = if report
        .manifest
        .notices
        .iter()
        .any(|e| e.id == notice_pdf::sv::PACK_ID)
    {
        " and the pack"
    } else {
        ""
    };
    say(&match report.changed() {
        0 => format!(
            "{n} notice(s){pack} up to date in {}: nothing changed",
            out.display()
        ),
        c => format!(
            "{n} notice(s){pack} built into {}: {c} file(s) written",
            out.display()
        ),
    });
    Ok(ExitCode::SUCCESS)
}

fn build_check(data: &Path, out: &Path, opts: &Options) -> Res {
    let files = jobs::stale(data, out, opts)?;
    if !files.is_empty() {
        return Err(Error::Stale { files }.into());
    }
    say(&format!("{} is up to date", out.display()));
    Ok(ExitCode::SUCCESS)
}

fn render(
    file: &Path,
    output: Option<&Path>,
    opts: &Options,
    report: bool,
    versions: &Versions,
    seal: &SealArgs,
) -> Res {
    let key = seal.key()?;
    let loaded = versions.load(file)?;
    // Refuse a bad output before the work is done.
    let sink = Sink::new(
        output,
        Path::new(AD_HOC).join(opts.edition.file_name(&loaded.notice.id, "pdf")),
        Inputs::of(&loaded.inputs),
    )?;
    let doc = notice_pdf::Document::Notice(&loaded.notice);
    let r = notice_pdf::render(doc, opts)?;
    let rep = r.report(doc, opts);
    let (pdf, sealed) = sealed(&r.pdf, key.as_ref(), seal, opts)?;
    sink.put(
        &pdf,
        &format!("{} pages, {} bytes{sealed}", r.pages(), pdf.len()),
    )?;
    for w in &rep.broken_words {
        say(&format!(
            "warning: {} is wider than the line and was broken without a hyphen",
            notice_pdf::error::quoted(w)
        ));
    }
    if report {
        say_inside_elements(&rep);
        sink.report(&rep)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `pdf` sealed as `seal` asks (with `key`, its time stamp from `--seal-tsa`), and the words
/// that say so.
fn sealed(
    pdf: &[u8],
    key: Option<&notice_pdf::seal::SealKey>,
    seal: &SealArgs,
    opts: &Options,
) -> Res<(Vec<u8>, &'static str)> {
    let tsa = seal.tsa()?;
    let tsa = tsa
        .as_ref()
        .map(|t| t as &dyn notice_pdf::seal::TimeStamper);
    Ok(match key {
        Some(key) => (
            notice_pdf::seal::seal_with(pdf, key, signing_time(opts), tsa)?,
            if tsa.is_some() {
                ", sealed and time-stamped"
            } else {
                ", sealed"
            },
        ),
        None => (pdf.to_vec(), ""),
    })
}

/// Where `render`, `pack` and `html` write when no `-o` is given: beside a build's outputs,
/// never among them (a build publishes and archives `output/`; these commands do neither).
const AD_HOC: &str = "output/ad-hoc";

/// Where a command's document goes: standard output (`-o -`), or a file whose path is checked
/// before any work is done (see [`output::resolve`]); never a file a build published.
struct Sink {
    target: Option<output::Target>,
    path: PathBuf,
    inputs: Inputs,
}

impl Sink {
    /// `output`, or `default` when none is given; `inputs` are the files the run reads.
    fn new(output: Option<&Path>, default: PathBuf, inputs: Inputs) -> Res<Sink> {
        let path = output.map_or(default, Path::to_owned);
        let target = if path == Path::new("-") {
            None
        } else {
            let target = output::resolve(&path, &inputs)?;
            jobs::refuse_published(&path)?;
            jobs::refuse_published(target.path())?;
            Some(target)
        };
        Ok(Sink {
            target,
            path,
            inputs,
        })
    }

    fn to_stdout(&self) -> bool {
        self.target.is_none()
    }

    /// Writes `bytes`; on a file, says so with `what` ("3 pages, 26646 bytes").
    fn put(&self, bytes: &[u8], what: &str) -> Res<()> {
        match &self.target {
            None => emit(bytes),
            Some(target) => {
                if let Some(dir) = target.path().parent() {
                    output::create_dir(dir)?;
                }
                output::write_file(target.path(), bytes, &self.inputs)?;
                say(&format!("wrote {} ({what})", self.path.display()));
                Ok(())
            }
        }
    }

    /// The typography report: on standard output, or on standard error when the document
    /// went there.
    fn report(&self, rep: &notice_pdf::report::Report) -> Res<()> {
        if self.to_stdout() {
            say(rep.to_string().trim_end());
            Ok(())
        } else {
            emit(rep.to_string().as_bytes())
        }
    }
}

/// A version of a notice for `diff`: a data file, or the notice a PDF carries.
fn version_of(path: &Path) -> Res<notice_pdf::Notice> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
    {
        let pdf = notice_pdf::verify::read_pdf(path)?;
        Ok(notice_pdf::verify::embedded_notice(&pdf)?)
    } else {
        Ok(notice_pdf::load(path)?.notice)
    }
}

/// Writes the HTML alternative of one notice.
fn html(file: &Path, output: Option<&Path>, versions: &Versions) -> Res {
    let loaded = versions.load(file)?;
    let sink = Sink::new(
        output,
        Path::new(AD_HOC).join(format!("{}.html", loaded.notice.id)),
        Inputs::of(&loaded.inputs),
    )?;
    let page = notice_pdf::html::notice(&loaded.notice);
    sink.put(page.as_bytes(), &format!("{} bytes", page.len()))?;
    Ok(ExitCode::SUCCESS)
}

/// Prints what `file` holds and whether its embedded data gives exactly its bytes (revision
/// 1, when it is sealed), and what its seal says.
fn verify(file: &Path, trust: Option<&Path>) -> Res {
    use notice_pdf::verify::Outcome;
    let anchors = match trust {
        Some(path) => {
            let pem = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
            Some(
                notice_pdf::seal::Anchors::from_pem(&pem).map_err(|why| Error::Verify {
                    message: format!("{}: {why}", path.display()),
                })?,
            )
        }
        None => None,
    };
    let pdf = notice_pdf::verify::read_pdf(file)?;
    let v = notice_pdf::verify::verify(&pdf)?;
    let mut out = format!(
        "{}: {} made by {} from:\n",
        file.display(),
        if v.recipe.document == notice_pdf::verify::Document::Pack {
            "a pack"
        } else {
            "a notice"
        },
        v.recipe.generator
    );
    for h in &v.held {
        out.push_str(&format!(
            "  {}: {}, version {} ({})\n",
            h.id, h.title, h.updated, h.version
        ));
        if let Some((date, version)) = &h.compared_with {
            out.push_str(&format!(
                "    compared with its version {date} ({version}) in \"Vad har ändrats\"\n"
            ));
        }
    }
    out.push_str(&format!(
        "edition {}, aligned {}{}\n",
        v.recipe.edition,
        v.recipe.align,
        v.recipe.date.map_or(String::new(), |d| format!(
            ", dated {}",
            d.format("%Y-%m-%dT%H:%M:%S")
        ))
    ));
    let (verdict, code) = match &v.outcome {
        Outcome::Identical => (
            "identical: its embedded data, rendered again, gives this file byte for byte"
                .to_owned(),
            ExitCode::SUCCESS,
        ),
        Outcome::Differs {
            at,
            file_len,
            rendered_len,
        } => (
            format!(
                "differs: its embedded data gives {rendered_len} bytes, the file has {file_len}; the first difference is at byte {at}"
            ),
            ExitCode::from(1),
        ),
        Outcome::OtherGenerator { recorded } => (
            format!(
                "not reproduced: it was made by {recorded}, this is notice-pdf {}; verify it with that version",
                env!("CARGO_PKG_VERSION")
            ),
            ExitCode::from(1),
        ),
    };
    out.push_str(&verdict);
    out.push('\n');
    let (seal, seal_code) = seal_report(&pdf, anchors.as_ref());
    out.push_str(&seal);
    emit(out.as_bytes())?;
    Ok(if code == ExitCode::SUCCESS {
        seal_code
    } else {
        code
    })
}

/// What `verify` says of a file's seal, and the exit code it calls for.
fn seal_report(pdf: &[u8], anchors: Option<&notice_pdf::seal::Anchors>) -> (String, ExitCode) {
    match notice_pdf::seal::check(pdf, anchors) {
        Ok(Some(s)) => {
            let mut out = format!(
                "sealed (PAdES {}) by {} at {}\n",
                if s.time_stamp.is_some() { "B-T" } else { "B-B" },
                s.signer,
                s.time.format("%Y-%m-%dT%H:%M:%SZ")
            );
            if let Some(t) = &s.time_stamp {
                out.push_str(&format!(
                    "  time-stamped at {} by {}: the seal existed then; its certificates are judged at that time\n",
                    t.time.format("%Y-%m-%dT%H:%M:%SZ"),
                    t.authority
                ));
            }
            out.push_str(&format!(
                "  the seal covers all {} bytes but its signature, unchanged since sealing; revision 1 ({} bytes) is the document above\n",
                s.file_len, s.revision1
            ));
            if s.trusted {
                out.push_str(&format!(
                    "  trusted: the chain {} leads to the trust anchor, each certificate valid at the signing time\n",
                    s.chain.join(" ← ")
                ));
            } else {
                out.push_str("  its trust is not checked: give --trust CA.pem\n");
            }
            (out, ExitCode::SUCCESS)
        }
        Ok(None) if anchors.is_some() => (
            "not sealed: the file carries no seal to check against --trust\n".to_owned(),
            ExitCode::from(1),
        ),
        Ok(None) => (String::new(), ExitCode::SUCCESS),
        Err(e) => (format!("{e}\n"), ExitCode::from(1)),
    }
}

/// Renders the pack of `ids` (all when `None`) of the collection in `data`.
fn pack(
    data: &Path,
    ids: Option<&[String]>,
    output: Option<&Path>,
    opts: &Options,
    report: bool,
    versions: &Versions,
    seal: &SealArgs,
) -> Res {
    let key = seal.key()?;
    let mut set = DataSet::load_dir(data)?;
    if let Some(dir) = &versions.versions {
        notice_pdf::history::attach(&mut set, dir);
    }
    let notices: Vec<&notice_pdf::Notice> =
        set.all_valid()?.into_iter().map(|l| &l.notice).collect();
    let collection = set.collection().ok_or_else(|| Error::NoCollection {
        dir: data.to_owned(),
    })?;
    let selected = notice_pdf::render::pack_selection(collection, &notices, ids)?;
    let sink = Sink::new(
        output,
        Path::new(AD_HOC).join(opts.edition.file_name(notice_pdf::sv::PACK_ID, "pdf")),
        Inputs::of(&set.input_paths()),
    )?;
    let doc = notice_pdf::Document::Pack {
        collection,
        selected: &selected,
        all: &notices,
    };
    let r = notice_pdf::render(doc, opts)?;
    let rep = r.report(doc, opts);
    let (pdf, sealed) = sealed(&r.pdf, key.as_ref(), seal, opts)?;
    sink.put(
        &pdf,
        &format!(
            "{} notice(s), {} pages, {} bytes{sealed}",
            selected.len(),
            r.pages(),
            pdf.len()
        ),
    )?;
    if report {
        say_inside_elements(&rep);
        sink.report(&rep)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Names each compound the report found hyphenated inside an element.
fn say_inside_elements(rep: &notice_pdf::report::Report) {
    for w in &rep.hyphens_inside_elements {
        say(&format!(
            "note: {} is hyphenated inside an element, not at a compound's joint",
            notice_pdf::error::quoted(w)
        ));
    }
}

/// Writes exactly the current pages: `DIR/<stem>-p<N>.png`, and removes pages of an earlier,
/// longer version.
fn preview(file: &Path, dir: &Path, dpi: f32, opts: &Options, versions: &Versions) -> Res {
    let loaded = versions.load(file)?;
    let inputs = Inputs::of(&loaded.inputs);
    output::create_dir(dir)?;
    output::resolve_dir(dir, &inputs)?;
    let dl = notice_pdf::layout::layout(&loaded.notice, opts);
    let name = opts.edition.file_name(&loaded.notice.id, "png");
    let stem = name.trim_end_matches(".png");
    let pngs = notice_pdf::preview::pages_png(&dl, dpi);
    let mut batch = Batch::new(&Disk);
    for (i, png) in pngs.iter().enumerate() {
        let target = output::resolve(&dir.join(format!("{stem}-p{}.png", i + 1)), &inputs)?;
        batch.stage(&target, png)?;
    }
    for old in output::page_files(dir, stem) {
        if old.0 > pngs.len() {
            batch.stage_remove(&old.1);
        }
    }
    let mut lines = Vec::new();
    batch.commit(&mut |p| {
        lines.push(if p.exists() {
            format!("wrote {}", p.display())
        } else {
            format!("removed {} (the notice has fewer pages now)", p.display())
        })
    })?;
    for l in lines {
        say(&l);
    }
    Ok(ExitCode::SUCCESS)
}

/// Checks the given files and directories as one set, with the same rules as `build`. A file
/// is checked in the set of its directory (its collection's lint, the notices it links to),
/// and what is printed is what the named files say: the same for a file as when its directory
/// is checked.
fn check(paths: &[PathBuf], strict: bool) -> Res {
    let mut files = Vec::new();
    let mut context = Vec::new();
    for p in paths {
        if p.is_dir() {
            files.extend(notice_pdf::source::discover(p)?);
        } else {
            files.push(p.clone());
            let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
            if let Ok(around) = notice_pdf::source::discover(dir.unwrap_or(Path::new("."))) {
                context.extend(around);
            }
        }
    }
    files.sort();
    files.dedup();
    context.retain(|c| !files.iter().any(|f| same_file(f, c)));
    context.sort();
    context.dedup();
    let all = files.iter().chain(&context);
    let set = DataSet::assemble(all.map(|f| source::check_file(f)).collect());
    let named = |f: &Path| files.iter().any(|n| n == f);
    let (mut errors, mut warnings) = (0, 0);
    for d in set
        .files
        .iter()
        .filter(|f| named(&f.path))
        .flat_map(|f| &f.diagnostics)
    {
        let is_error = d.severity == Severity::Error || strict;
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
    // Plain language, per section of each valid notice.
    for loaded in set.notices().filter(|l| named(&l.path)) {
        say(&format!("readability: {}", loaded.path.display()));
        say("   LIX  sentences  over 25 words  section");
        for s in &loaded.readability {
            let lix = s.lix();
            say(&format!(
                "  {lix:>4.0}  {:>9}  {:>13}  {} ({})",
                s.sentences,
                s.long_sentences.len(),
                s.heading,
                notice_pdf::model::lix_label(lix)
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
    let collections = files.iter().filter(|f| source::is_collection(f)).count();
    let what = match collections {
        0 => String::new(),
        1 => " and the collection".to_owned(),
        n => format!(" and {n} collections"),
    };
    say(&format!(
        "checked {} notice(s){what}: {errors} error(s), {warnings} warning(s)",
        files.len() - collections
    ));
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether two paths name the same file (as written, or the same file on disk).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}
