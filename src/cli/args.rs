//! The command line: each command and its options (clap), and the typesetting options they
//! share.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use notice_pdf::{Align, Edition, Options};

use super::seal::SealArgs;
#[cfg(feature = "serve")]
use super::serve_log::LogFormat;
use crate::{Failure, Res};

#[derive(Parser)]
#[command(
    name = "notice-pdf",
    version,
    about = "Typesets privacy notices into PDF/A-3a + PDF/UA-1 documents."
)]
#[command(
    after_help = "Without a command, `notice-pdf` runs `build`: every notice in data/ into output/."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Render every notice in the data directory and write manifest.json.
    Build(BuildArgs),
    /// Render one notice.
    Render(RenderArgs),
    /// Render notices of the collection as one PDF: a title page, the contents, a chapter each.
    Pack(PackArgs),
    /// Write one notice as an HTML alternative: one self-contained, semantic file.
    Html(HtmlArgs),
    /// What changed between two versions of a notice: by section and question, word by word.
    /// Each version is a data file, or a PDF made by notice-pdf (its embedded data is read).
    Diff(DiffArgs),
    /// The audit trail of `serve --audit-log`.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Prove what a PDF was made from: render its embedded data again and compare bytes; and
    /// check its seal, when it has one. Exit 0 when identical (and the seal holds), 1 otherwise.
    Verify(VerifyArgs),
    /// Render one notice's pages as PNG images: DIR/<id>-p1.png, …
    Preview(PreviewArgs),
    /// Serve the agents' page and the PDFs over HTTP; data changes go live without a restart.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// Parse, validate and lint notices; print every problem.
    Check(CheckArgs),
}

#[derive(clap::Args)]
pub(crate) struct BuildArgs {
    #[arg(long, default_value = "data")]
    pub(crate) data: PathBuf,
    #[arg(long, default_value = "output")]
    pub(crate) out: PathBuf,
    /// Write nothing; exit 1 if any output is missing or out of date.
    #[arg(long)]
    pub(crate) check: bool,
    #[command(flatten)]
    pub(crate) typeset: Typeset,
    #[command(flatten)]
    pub(crate) seal: SealArgs,
}

impl Default for BuildArgs {
    /// What `notice-pdf` without a command does: every notice in data/ into output/.
    fn default() -> Self {
        BuildArgs {
            data: "data".into(),
            out: "output".into(),
            check: false,
            typeset: Typeset::default(),
            seal: SealArgs::default(),
        }
    }
}

#[derive(clap::Args)]
pub(crate) struct RenderArgs {
    /// The notice's data file.
    pub(crate) file: PathBuf,
    /// Output file; `-` writes to standard output. Default: output/<id>.pdf
    /// (output/<id>.large.pdf for the large edition).
    #[arg(short, long)]
    pub(crate) output: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) rendering: Rendering,
}

#[derive(clap::Args)]
pub(crate) struct PackArgs {
    #[arg(long, default_value = "data")]
    pub(crate) data: PathBuf,
    /// The notices, by id, comma-separated; every notice when not given. The pack follows
    /// the collection's order whatever the order given.
    #[arg(long, value_delimiter = ',')]
    pub(crate) ids: Option<Vec<String>>,
    /// Output file; `-` writes to standard output. Default:
    /// output/integritetsinformation.pdf (.large.pdf for the large edition).
    #[arg(short, long)]
    pub(crate) output: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) rendering: Rendering,
}

/// What `render` and `pack` share: how the PDF is set, its report, the earlier versions it is
/// compared with, and its seal.
#[derive(clap::Args)]
pub(crate) struct Rendering {
    #[command(flatten)]
    pub(crate) typeset: Typeset,
    #[arg(long, value_enum, default_value_t = EditionArg::Standard)]
    pub(crate) edition: EditionArg,
    /// Print the typography report (to standard error when the PDF goes to standard output).
    #[arg(long)]
    pub(crate) report: bool,
    #[command(flatten)]
    pub(crate) versions: Versions,
    #[command(flatten)]
    pub(crate) seal: SealArgs,
}

#[derive(clap::Args)]
pub(crate) struct HtmlArgs {
    /// The notice's data file.
    pub(crate) file: PathBuf,
    /// Output file; `-` writes to standard output. Default: output/<id>.html.
    #[arg(short, long)]
    pub(crate) output: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) versions: Versions,
}

#[derive(clap::Args)]
pub(crate) struct DiffArgs {
    pub(crate) old: PathBuf,
    pub(crate) new: PathBuf,
}

/// What `notice-pdf audit` does.
#[derive(Subcommand)]
pub(crate) enum AuditCommand {
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

#[derive(clap::Args)]
pub(crate) struct VerifyArgs {
    /// A PDF made by notice-pdf.
    pub(crate) file: PathBuf,
    /// Trust anchors (PEM certificates): the seal must lead to one of them. Without it the
    /// seal's integrity is checked, its trust is not.
    #[arg(long, value_name = "CA.pem")]
    pub(crate) trust: Option<PathBuf>,
}

#[derive(clap::Args)]
pub(crate) struct PreviewArgs {
    /// The notice's data file.
    pub(crate) file: PathBuf,
    /// Output directory.
    #[arg(short, long, default_value = "output/preview")]
    pub(crate) output: PathBuf,
    /// Resolution, dots per inch.
    #[arg(long, default_value_t = notice_pdf::preview::DEFAULT_DPI, value_parser = parse_dpi)]
    pub(crate) dpi: f32,
    #[command(flatten)]
    pub(crate) typeset: Typeset,
    #[arg(long, value_enum, default_value_t = EditionArg::Standard)]
    pub(crate) edition: EditionArg,
    #[command(flatten)]
    pub(crate) versions: Versions,
}

#[cfg(feature = "serve")]
#[derive(clap::Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "NOTICE_PDF_ADDR", default_value = "127.0.0.1:8080")]
    pub(crate) addr: std::net::SocketAddr,
    #[arg(long, default_value = "data")]
    pub(crate) data: PathBuf,
    /// How often to look for changed data files, in milliseconds.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(50..=600_000))]
    pub(crate) poll_ms: u64,
    /// How long a changed data file must stay the same before it is taken, in milliseconds.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(0..=600_000))]
    pub(crate) settle_ms: u64,
    /// How long a client may take to send a request head, or stay idle between requests,
    /// in milliseconds.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(100..=600_000))]
    pub(crate) header_timeout_ms: u64,
    /// Connections served at once; more wait until one closes.
    #[arg(long, default_value_t = 4096, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub(crate) max_connections: u64,
    /// How long a write to a client may wait for it to read before the connection is
    /// dropped, in milliseconds.
    #[arg(long, default_value_t = 30_000, value_parser = clap::value_parser!(u64).range(100..=600_000))]
    pub(crate) send_timeout_ms: u64,
    /// Packs rendered at once; more requests wait (see --render-wait-ms).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub(crate) pack_renders: u64,
    /// How long a request waits for a free render before it is answered 503, in
    /// milliseconds.
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(0..=600_000))]
    pub(crate) render_wait_ms: u64,
    /// After SIGTERM, how long to go on serving while /readyz answers 503 (a load balancer
    /// takes the server out of rotation), in milliseconds; a second SIGTERM stops at once.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=600_000))]
    pub(crate) drain_ms: u64,
    /// Append the audit trail to FILE as a hash chain of JSON lines (`notice-pdf audit
    /// verify FILE` checks it) instead of lines of text on standard error.
    #[arg(long)]
    pub(crate) audit_log: Option<PathBuf>,
    /// The server's log on standard error: lines of text, or JSON objects (one a line, each
    /// request's too, with its request id) for a log shipper.
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) log_format: LogFormat,
    #[command(flatten)]
    pub(crate) versions: Versions,
}

#[derive(clap::Args)]
pub(crate) struct CheckArgs {
    /// Data files or directories.
    #[arg(required = true)]
    pub(crate) paths: Vec<PathBuf>,
    /// Treat lint warnings as errors.
    #[arg(long)]
    pub(crate) strict: bool,
}

/// Where earlier versions are found ("Vad har ändrats sedan …").
#[derive(clap::Args, Clone, Default)]
pub(crate) struct Versions {
    /// A build's output directory: each notice is compared with its newest earlier version
    /// there (DIR/<id>.pdf, DIR/archive/<id>/), as `build` does, so that the documents are the
    /// ones `build` writes. Without it, no comparison is made.
    #[arg(long, value_name = "DIR")]
    pub(crate) versions: Option<PathBuf>,
}

impl Versions {
    /// Loads one data file, its notice with its previous version when `--versions` is given.
    pub(crate) fn load(&self, file: &Path) -> notice_pdf::Result<notice_pdf::Loaded> {
        let mut loaded = notice_pdf::load_in_place(file)?;
        if let Some(dir) = &self.versions {
            loaded.notice.previous =
                notice_pdf::history::previous(dir, &loaded.notice).map(Box::new);
        }
        Ok(loaded)
    }
}

#[derive(clap::Args, Clone, Copy, Default)]
pub(crate) struct Typeset {
    /// Alignment of running text.
    #[arg(long, value_enum, default_value_t = AlignArg::Left)]
    align: AlignArg,
}

impl Typeset {
    /// The typesetting options of `edition`; the date comes from `SOURCE_DATE_EPOCH` when set
    /// (reproducible builds).
    pub(crate) fn options(self, edition: impl Into<Edition>) -> Res<Options> {
        let align = match self.align {
            AlignArg::Left => Align::Left,
            AlignArg::Justify => Align::Justify,
        };
        let date = match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(v) => Some(notice_pdf::source_date_epoch(&v).map_err(Failure::Usage)?),
            Err(_) => None,
        };
        Ok(Options {
            align,
            edition: edition.into(),
            date,
        })
    }
}

#[derive(ValueEnum, Clone, Copy, Default)]
pub(crate) enum EditionArg {
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
