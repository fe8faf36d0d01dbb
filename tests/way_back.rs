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

#[test]
fn the_address_is_a_link_with_one_area_per_line() {
    for edition in Edition::ALL {
        let dl = display(edition);
        let link_node = dl
            .structure
            .iter()
            .position(|n| n.kind == StructKind::Link { url: URL.into() })
            .expect("a Link element for the address");
        let page = dl.pages.last().unwrap();
        let areas: Vec<&notice_pdf::layout::LinkArea> = page
            .items
            .iter()
            .filter_map(|it| match it {
                Item::Link(l) => Some(l),
                _ => None,
            })
            .collect();
        let runs: Vec<&notice_pdf::layout::TextRun> = dl
            .content_runs()
            .into_iter()
            .filter(|(_, _, node)| *node == link_node)
            .map(|(_, r, _)| r)
            .collect();
        assert!(!runs.is_empty());
        assert_eq!(areas.len(), runs.len(), "{edition:?}: one area per line");
        let mut joined = String::new();
        for (area, run) in areas.iter().zip(&runs) {
            assert_eq!((area.url.as_str(), area.node), (URL, link_node));
            assert_eq!(area.text, run.text);
            let [l, t, r, b] = area.rect;
            assert!((l - run.x).abs() < 0.01 && (r - run.x - run.width()).abs() < 0.01);
            assert!(t < run.y && run.y < b, "the baseline lies inside the area");
            // Underlined, in a colour of its own.
            assert!(page.items.iter().any(|it| matches!(it,
                Item::Rule(u) if (u.x0 - l).abs() < 0.01 && (u.x1 - r).abs() < 0.01
                    && u.y0 > run.y && u.y0 < b)));
            joined.push_str(&area.text);
        }
        assert_eq!(joined, URL);
        let body = dl
            .content_runs()
            .iter()
            .find(|(_, r, _)| r.text.starts_with("Vi gör"))
            .map(|(_, r, _)| r.color)
            .unwrap();
        assert_ne!(runs[0].color, body);
    }
}

/// In the `oracles` tier: qpdf reads every Link annotation (target, text, rectangle), and each
/// rectangle holds exactly the words poppler finds there on the last page.
#[cfg(feature = "oracles")]
#[test]
fn qpdf_and_poppler_find_each_link_where_its_text_is() {
    for edition in Edition::ALL {
        let dl = display(edition);
        let dir = common::scratch(&format!("links-{}", edition.key()));
        let pdf = dir.join("n.pdf");
        std::fs::write(&pdf, notice_pdf::pdf::write(&dl).unwrap()).unwrap();
        let path = pdf.to_string_lossy().into_owned();
        let out = common::tool("qpdf", &["--json=2", "--json-key=qpdf", &path]);
        assert!(out.status.success());
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let objects = json["qpdf"][1].as_object().unwrap();
        let strip = |v: &serde_json::Value| v.as_str().unwrap().trim_start_matches("u:").to_owned();
        let mut links: Vec<(String, String, Vec<f64>)> = objects
            .values()
            .filter_map(|o| {
                let v = &o["value"];
                (v["/Subtype"] == "/Link").then(|| {
                    let rect = v["/Rect"].as_array().unwrap();
                    (
                        strip(&v["/A"]["/URI"]),
                        strip(&v["/Contents"]),
                        rect.iter().map(|n| n.as_f64().unwrap()).collect(),
                    )
                })
            })
            .collect();
        links.sort_by(|a, b| b.2[1].total_cmp(&a.2[1]));
        assert!(!links.is_empty());
        assert!(links.iter().all(|(uri, _, _)| uri == URL));
        let joined: String = links.iter().map(|(_, text, _)| text.as_str()).collect();
        assert_eq!(joined, URL);

        let last = dl.pages.len().to_string();
        let out = common::tool(
            "pdftotext",
            &["-bbox", "-f", &last, "-l", &last, &path, "-"],
        );
        let xml = String::from_utf8_lossy(&out.stdout).into_owned();
        let height = dl.pages[0].height as f64;
        for (_, text, rect) in &links {
            let (x0, y0, x1, y1) = (rect[0], height - rect[3], rect[2], height - rect[1]);
            let inside: String = xml
                .lines()
                .filter_map(|l| {
                    let attr = |k: &str| -> f64 {
                        let at = l.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
                        l[at..].split('"').next().unwrap().parse().unwrap()
                    };
                    let word = l.trim().strip_prefix("<word ")?;
                    let text = word.split('>').nth(1)?.split('<').next()?.to_owned();
                    let (wx0, wy0, wx1, wy1) =
                        (attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax"));
                    let c = ((wx0 + wx1) / 2.0, (wy0 + wy1) / 2.0);
                    (c.0 > x0 && c.0 < x1 && c.1 > y0 && c.1 < y1).then_some(text)
                })
                .collect();
            assert_eq!(
                &inside, text,
                "{edition:?}: the words inside the link's rectangle"
            );
        }
    }
}

#[test]
fn the_address_breaks_after_slashes_never_at_its_hyphens() {
    for edition in Edition::ALL {
        let dl = display(edition);
        let lines: Vec<String> = dl
            .content_runs()
            .iter()
            .filter(|(_, _, node)| dl.structure[*node].kind == StructKind::Link { url: URL.into() })
            .map(|(_, r, _)| r.text.clone())
            .collect();
        assert!(lines.len() >= 2, "{edition:?}: {lines:?}");
        for l in &lines[..lines.len() - 1] {
            assert!(l.ends_with('/'), "{edition:?}: {lines:?}");
        }
    }
}
