//! `notice-pdf preview`: one notice's pages as PNG images.

use std::process::ExitCode;

use notice_pdf::output::{self, Batch, Disk, Inputs};

use super::args::PreviewArgs;
use crate::{Res, say};

/// Writes exactly the current pages, `DIR/<stem>-p<N>.png`, and removes pages of an earlier,
/// longer version.
pub(crate) fn run(args: PreviewArgs) -> Res {
    let opts = args.typeset.options(args.edition)?;
    let dir = &args.output;
    let loaded = args.versions.load(&args.file)?;
    let inputs = Inputs::of(&loaded.inputs);
    output::create_dir(dir)?;
    output::resolve_dir(dir, &inputs)?;
    let dl = notice_pdf::layout::layout(&loaded.notice, &opts);
    let name = opts.edition.file_name(&loaded.notice.id, "png");
    let stem = name.trim_end_matches(".png");
    let pngs = notice_pdf::preview::pages_png(&dl, args.dpi);
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
