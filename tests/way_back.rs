//! Paper leads back to the web: a notice with `source_url` ends with its address in full and a
//! QR code for it, drawn as vector shapes and tagged as a Figure whose alternate text names the
//! address. The code is decoded here from pixels (our preview writer; poppler in the oracles
//! tier) by rqrr, which shares no code with the encoder.

mod common;

use notice_pdf::layout::{self, DisplayList, Item, StructKind};
use notice_pdf::{Edition, Options};

const URL: &str = "https://www.avanza.se/sakerhet-villkor/behandling-av-personuppgifter/kontakt-med-avanzas-kundservice.html";

fn display(edition: Edition) -> DisplayList {
    let n = notice_pdf::load(&common::fixture_file()).unwrap().notice;
    assert_eq!(n.source_url.as_deref(), Some(URL));
    layout::layout(
        &n,
        &Options {
            edition,
            ..Options::default()
        },
    )
}

/// Every QR code found in a grey image, decoded.
fn decode(width: usize, height: usize, luma: impl Fn(usize, usize) -> u8) -> Vec<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, luma);
    img.detect_grids()
        .iter()
        .map(|g| g.decode().expect("the code decodes").1)
        .collect()
}

#[test]
fn the_qr_code_leads_to_the_notice_online() {
    for edition in Edition::ALL {
        let dl = display(edition);
        let figures: Vec<(usize, &notice_pdf::layout::Figure)> = dl
            .pages
            .iter()
            .enumerate()
            .flat_map(|(i, p)| {
                p.items.iter().filter_map(move |it| match it {
                    Item::Figure(f) => Some((i, f)),
                    _ => None,
                })
            })
            .collect();
        assert_eq!(figures.len(), 1, "{edition:?}");
        let (page, figure) = figures[0];
        assert_eq!(page + 1, dl.pages.len(), "at the end");
        assert_eq!(
            dl.structure[figure.node].kind,
            StructKind::Figure {
                alt: format!("QR-kod med länk till {URL}")
            }
        );
        let [l, t, r, b] = figure.bbox;
        let area = dl.pages[page].text_area;
        assert!(l >= area[0] && t >= area[1] && r <= area[2] && b <= area[3]);

        let img = notice_pdf::preview::Rasterizer::default().page(&dl.pages[page], 150.0);
        let decoded = decode(img.width() as usize, img.height() as usize, |x, y| {
            let p = img.get_pixel(x as u32, y as u32);
            ((u16::from(p[0]) + u16::from(p[1]) + u16::from(p[2])) / 3) as u8
        });
        assert_eq!(decoded, [URL], "{edition:?}");
    }
}

#[test]
fn the_address_is_printed_in_full_before_the_code() {
    for edition in Edition::ALL {
        let dl = display(edition);
        let text: String = dl
            .content_runs()
            .iter()
            .map(|(_, r, _)| r.text.trim_end_matches('\u{ad}'))
            .collect::<Vec<_>>()
            .join("\n");
        let tail = text
            .rsplit_once(notice_pdf::sv::CURRENT_VERSION_AT)
            .unwrap()
            .1;
        // The address's lines joined: every character of it, in order.
        assert_eq!(tail.replace('\n', "").trim(), URL, "{edition:?}");
    }
}

/// In the `oracles` tier: poppler rasterises the PDF and the code still decodes.
#[cfg(feature = "oracles")]
#[test]
fn the_qr_code_in_the_pdf_decodes_from_poppler_pixels() {
    for edition in Edition::ALL {
        let dl = display(edition);
        let dir = common::scratch(&format!("qr-{}", edition.key()));
        let pdf = dir.join("n.pdf");
        std::fs::write(&pdf, notice_pdf::pdf::write(&dl).unwrap()).unwrap();
        let last = dl.pages.len().to_string();
        let prefix = dir.join("p");
        let out = common::tool(
            "pdftoppm",
            &[
                "-r",
                "150",
                "-gray",
                "-png",
                "-f",
                &last,
                "-l",
                &last,
                &pdf.to_string_lossy(),
                &prefix.to_string_lossy(),
            ],
        );
        assert!(out.status.success());
        let file = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "png"))
            .unwrap();
        let img = image::open(&file).unwrap().to_luma8();
        let decoded = decode(img.width() as usize, img.height() as usize, |x, y| {
            img.get_pixel(x as u32, y as u32)[0]
        });
        assert_eq!(decoded, [URL], "{edition:?}");
    }
}
