//! `notice-pdf render`, `pack` and `html`: one document, to a file or standard output.

use std::path::Path;
use std::process::ExitCode;

use notice_pdf::output::Inputs;
use notice_pdf::source::DataSet;
use notice_pdf::{Error, Options};

use super::args::{HtmlArgs, PackArgs, RenderArgs};
use super::seal::{SealArgs, signing_time};
use super::sink::{AD_HOC, Sink};
use crate::{Res, say};

/// Renders one notice.
pub(crate) fn render(args: RenderArgs) -> Res {
    let opts = args.typeset.options(args.edition)?;
    let key = args.seal.key()?;
    let loaded = args.versions.load(&args.file)?;
    // Refuse a bad output before the work is done.
    let sink = Sink::new(
        args.output.as_deref(),
        Path::new(AD_HOC).join(opts.edition.file_name(&loaded.notice.id, "pdf")),
        Inputs::of(&loaded.inputs),
    )?;
    let doc = notice_pdf::Document::Notice(&loaded.notice);
    let r = notice_pdf::render(doc, &opts)?;
    let rep = r.report(doc, &opts);
    let (pdf, sealed) = sealed(&r.pdf, key.as_ref(), &args.seal, &opts)?;
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
    if args.report {
        say_inside_elements(&rep);
        sink.report(&rep)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Renders the pack of the chosen notices (all when none is named) of the collection.
pub(crate) fn pack(args: PackArgs) -> Res {
    let opts = args.typeset.options(args.edition)?;
    let key = args.seal.key()?;
    let mut set = DataSet::load_dir(&args.data)?;
    if let Some(dir) = &args.versions.versions {
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
        Path::new(AD_HOC).join(opts.edition.file_name(notice_pdf::sv::PACK_ID, "pdf")),
        Inputs::of(&set.input_paths()),
    )?;
    let doc = notice_pdf::Document::Pack {
        collection,
        selected: &selected,
        all: &notices,
    };
    let r = notice_pdf::render(doc, &opts)?;
    let rep = r.report(doc, &opts);
    let (pdf, sealed) = sealed(&r.pdf, key.as_ref(), &args.seal, &opts)?;
    sink.put(
        &pdf,
        &format!(
            "{} notice(s), {} pages, {} bytes{sealed}",
            selected.len(),
            r.pages(),
            pdf.len()
        ),
    )?;
    if args.report {
        say_inside_elements(&rep);
        sink.report(&rep)?;
    }
    Ok(ExitCode::SUCCESS)
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
