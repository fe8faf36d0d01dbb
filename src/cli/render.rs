//! `notice-pdf render`, `pack` and `html`: one document, to a file or standard output.

use std::path::Path;
use std::process::ExitCode;

use notice_pdf::output::Inputs;
use notice_pdf::source::DataSet;
use notice_pdf::{Error, Options};

use super::args::{HtmlArgs, PackArgs, RenderArgs, Rendering};
use super::seal::{SealArgs, signing_time};
use super::sink::{AD_HOC, Sink};
use crate::{Res, say};

/// Renders one notice.
pub(crate) fn render(args: RenderArgs) -> Res {
    let job = Job::new(&args.rendering)?;
    let loaded = args.rendering.versions.load(&args.file)?;
    // Refuse a bad output before the work is done.
    let sink = Sink::new(
        args.output.as_deref(),
        Path::new(AD_HOC).join(job.opts.edition.file_name(&loaded.notice.id, "pdf")),
        Inputs::of(&loaded.inputs),
    )?;
    let rep = job.hand_out(notice_pdf::Document::Notice(&loaded.notice), &sink, "")?;
    for w in &rep.broken_words {
        say(&format!(
            "warning: {} is wider than the line and was broken without a hyphen",
            notice_pdf::error::quoted(w)
        ));
    }
    job.report(&sink, &rep)?;
    Ok(ExitCode::SUCCESS)
}

/// Renders the pack of the chosen notices (all when none is named) of the collection.
pub(crate) fn pack(args: PackArgs) -> Res {
    let job = Job::new(&args.rendering)?;
    let mut set = DataSet::load_dir(&args.data)?;
    if let Some(dir) = &args.rendering.versions.versions {
        notice_pdf::history::attach(&mut set, dir);
    }
    let notices: Vec<&notice_pdf::Notice> =
        set.all_valid()?.into_iter().map(|l| &l.notice).collect();
    let collection = set.collection().ok_or_else(|| Error::NoCollection {
        dir: args.data.clone(),
    })?;
    let selected = notice_pdf::render::pack_selection(collection, &notices, args.ids.as_deref())?;
    let sink = Sink::new(
        args.output.as_deref(),
        Path::new(AD_HOC).join(job.opts.edition.file_name(notice_pdf::sv::PACK_ID, "pdf")),
        Inputs::of(&set.input_paths()),
    )?;
    let doc = notice_pdf::Document::Pack {
        collection,
        selected: &selected,
        all: &notices,
    };
    let rep = job.hand_out(doc, &sink, &format!("{} notice(s), ", selected.len()))?;
    job.report(&sink, &rep)?;
    Ok(ExitCode::SUCCESS)
}

/// A `render` or `pack` under way: what was asked, the options, and the seal's key.
struct Job<'a> {
    args: &'a Rendering,
    opts: Options,
    key: Option<notice_pdf::seal::SealKey>,
}

impl<'a> Job<'a> {
    fn new(args: &'a Rendering) -> Res<Job<'a>> {
        Ok(Job {
            opts: args.typeset.options(args.edition)?,
            key: args.seal.key()?,
            args,
        })
    }

    /// Renders `doc`, seals it as asked and writes it to `sink`, saying so after `what`
    /// ("6 notice(s), "); its typography report.
    fn hand_out(
        &self,
        doc: notice_pdf::Document,
        sink: &Sink,
        what: &str,
    ) -> Res<notice_pdf::report::Report> {
        let r = notice_pdf::render(doc, &self.opts)?;
        let rep = r.report(doc, &self.opts);
        let (pdf, sealed) = sealed(&r.pdf, self.key.as_ref(), &self.args.seal, &self.opts)?;
        sink.put(
            &pdf,
            &format!("{what}{} pages, {} bytes{sealed}", r.pages(), pdf.len()),
        )?;
        Ok(rep)
    }

    /// The typography report, when `--report` asks for it.
    fn report(&self, sink: &Sink, rep: &notice_pdf::report::Report) -> Res<()> {
        if self.args.report {
            say_inside_elements(rep);
            sink.report(rep)?;
        }
        Ok(())
    }
}

/// Writes the HTML alternative of one notice.
pub(crate) fn html(args: HtmlArgs) -> Res {
    let loaded = args.versions.load(&args.file)?;
    let sink = Sink::new(
        args.output.as_deref(),
        Path::new(AD_HOC).join(format!("{}.html", loaded.notice.id)),
        Inputs::of(&loaded.inputs),
    )?;
    let page = notice_pdf::html::notice(&loaded.notice);
    sink.put(page.as_bytes(), &format!("{} bytes", page.len()))?;
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

/// Names each compound the report found hyphenated inside an element.
fn say_inside_elements(rep: &notice_pdf::report::Report) {
    for w in &rep.hyphens_inside_elements {
        say(&format!(
            "note: {} is hyphenated inside an element, not at a compound's joint",
            notice_pdf::error::quoted(w)
        ));
    }
}
