//! Any bytes as a logo, PNG or SVG (the first byte chooses): refused with a reason, or
//! accepted and then drawn by the PDF writer and the preview without a panic, an abort or
//! unbounded memory (run with `-rss_limit_mb=1024`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use notice_pdf::model::PictureFormat;

/// The fixture notice, with a logo.
const NOTICE: &str = include_str!("../../fixtures/kundservice.toml");

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let format = if first & 1 == 0 {
        PictureFormat::Png
    } else {
        PictureFormat::Svg
    };
    let Ok(picture) = notice_pdf::picture::decode(format, bytes.to_vec()) else {
        return;
    };
    let path = std::path::Path::new("kundservice.toml");
    let Ok(mut notice) = notice_pdf::model::parse(path, NOTICE) else {
        return;
    };
    notice.logo = Some(notice_pdf::model::Logo {
        file: "logo".into(),
        alt: "Logotyp".into(),
    });
    notice.logo_picture = Some(picture);
    let options = notice_pdf::Options::default();
    let dl = notice_pdf::layout::layout(&notice, &options);
    notice_pdf::pdf::write(&dl).expect("an accepted logo is drawn");
    let mut raster = notice_pdf::preview::Rasterizer::default();
    let _ = raster.page(&dl.pages[0], 36.0);
});
