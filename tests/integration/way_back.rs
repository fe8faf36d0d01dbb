//! Paper leads back to the web: a notice with `source_url` ends with its address in full and a
//! QR code for it, drawn as vector shapes and tagged as a Figure whose alternate text names the
//! address. The code is decoded here from pixels (our preview writer; poppler in the oracles
//! tier) by rqrr, which shares no code with the encoder.

use crate::common;

use notice_pdf::layout::{self, DisplayList, Item, Role, StructKind};
use notice_pdf::{Edition, Options};

/// The "Läs mer" items that have an address, in order.
const READ_MORE: [(&str, &str); 2] = [
    (
        "https://www.avanza.se/sakerhet-villkor/behandling-av-personuppgifter.html",
        "Behandling av personuppgifter",
    ),
    (
        "https://www.avanza.se/sakerhet-villkor/behandling-av-personuppgifter/dina-rattigheter.html",
        "Dina rättigheter",
    ),
];

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

        // As a phone frames it: the code and what is next to it, from the page's pixels.
        let img = notice_pdf::preview::Rasterizer::default().page(&dl.pages[page], 150.0);
        let px = |pt: f32| (pt * 150.0 / 72.0).round() as usize;
        // With 12 pt of what is around it on every side.
        let (x0, y0) = (px(l - 12.0), px(t - 12.0));
        let (w, h) = (px(r + 12.0) - x0, px(b + 12.0) - y0);
        let decoded = decode(w, h, |x, y| {
            let p = img.get_pixel((x0 + x) as u32, (y0 + y) as u32);
            ((u16::from(p[0]) + u16::from(p[1]) + u16::from(p[2])) / 3) as u8
        });
        assert_eq!(decoded, [URL], "{edition:?}");
    }
}

#[test]
fn the_address_is_printed_in_full_beside_the_code() {
    for edition in Edition::ALL {
        let dl = display(edition);
        let runs = dl.content_runs();
        let text: String = runs
            .iter()
            .map(|(_, r, _)| r.text.trim_end_matches('\u{ad}'))
            .collect::<Vec<_>>()
            .join(" ");
        let tail = text
            .rsplit_once(notice_pdf::sv::CURRENT_VERSION_AT)
            .unwrap()
            .1;
        // The address's lines joined: every character of it, in order.
        assert_eq!(tail.replace(' ', ""), URL, "{edition:?}");
        // Beside the code: right of it, within its height, on its page.
        let (page, figure) = dl
            .pages
            .iter()
            .enumerate()
            .find_map(|(p, page)| {
                page.items.iter().find_map(|i| match i {
                    Item::Figure(f) => Some((p, f.clone())),
                    _ => None,
                })
            })
            .unwrap();
        let [_, top, right, bottom] = figure.bbox;
        let address: Vec<_> = runs
            .iter()
            .filter(|(p, r, _)| *p == page && URL.contains(r.text.trim_end_matches('\u{ad}')))
            .collect();
        assert!(!address.is_empty());
        for (_, r, _) in &address {
            assert!(r.x >= right, "{edition:?}: right of the code");
        }
        // It starts beside the code (in large print its lines may reach below it).
        let first = address[0].1.y;
        assert!(
            first > top && first < bottom,
            "{edition:?}: beside the code"
        );
    }
}

/// In the `oracles` tier: poppler and MuPDF each rasterise the PDF (the code is drawn as dashed
/// strokes, one a row) and the code still decodes from their pixels.
#[cfg(feature = "oracles")]
#[test]
fn the_qr_code_in_the_pdf_decodes_from_poppler_and_mupdf_pixels() {
    for edition in Edition::ALL {
        let dl = display(edition);
        let dir = common::scratch(&format!("qr-{}", edition.key()));
        let pdf = dir.join("n.pdf");
        std::fs::write(&pdf, notice_pdf::pdf::write(&dl).unwrap()).unwrap();
        let last = dl.pages.len().to_string();
        let (pdf, poppler, mupdf) = (
            pdf.to_string_lossy().into_owned(),
            dir.join("poppler").to_string_lossy().into_owned(),
            dir.join("mupdf.png").to_string_lossy().into_owned(),
        );
        let poppler_args = [
            "-r",
            "150",
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            &last,
            "-l",
            &last,
            &pdf,
            &poppler,
        ];
        let mupdf_args = ["draw", "-r", "150", "-c", "gray", "-o", &mupdf, &pdf, &last];
        for (tool, args, png) in [
            ("pdftoppm", &poppler_args[..], format!("{poppler}.png")),
            ("mutool", &mupdf_args[..], mupdf.clone()),
        ] {
            let out = common::tool(tool, args);
            assert!(out.status.success(), "{tool}");
            let img = image::open(&png).unwrap().to_luma8();
            let decoded = decode(img.width() as usize, img.height() as usize, |x, y| {
                img.get_pixel(x as u32, y as u32)[0]
            });
            assert_eq!(decoded, [URL], "{edition:?}, {tool}");
        }
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
                Item::Link(l) if l.node == link_node => Some(l),
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
        let out = common::tool(
            "qpdf",
            &["--json=2", "--json-key=qpdf", "--json-key=pages", &path],
        );
        assert!(out.status.success());
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let objects = json["qpdf"][1].as_object().unwrap();
        let strip = |v: &serde_json::Value| v.as_str().unwrap().trim_start_matches("u:").to_owned();
        // (page number from 1, address, text, rectangle), in page order, top to bottom.
        let mut links: Vec<(usize, String, String, Vec<f64>)> = Vec::new();
        for (i, page) in json["pages"].as_array().unwrap().iter().enumerate() {
            let key = format!("obj:{}", page["object"].as_str().unwrap());
            let annots = objects[&key]["value"]["/Annots"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let mut on_page: Vec<_> = annots
                .iter()
                .map(|r| &objects[&format!("obj:{}", r.as_str().unwrap())]["value"])
                .filter(|v| v["/Subtype"] == "/Link")
                .map(|v| {
                    let rect = v["/Rect"].as_array().unwrap();
                    (
                        i + 1,
                        strip(&v["/A"]["/URI"]),
                        strip(&v["/Contents"]),
                        rect.iter()
                            .map(|n| n.as_f64().unwrap())
                            .collect::<Vec<f64>>(),
                    )
                })
                .collect();
            on_page.sort_by(|a, b| b.3[1].total_cmp(&a.3[1]));
            links.extend(on_page);
        }
        // The two "Läs mer" items with known addresses, then the address's fragments.
        let joined: String = links
            .iter()
            .filter(|(_, uri, _, _)| uri == URL)
            .map(|(_, _, text, _)| text.as_str())
            .collect();
        assert_eq!(joined, URL);
        let others: Vec<(&str, &str)> = links
            .iter()
            .filter(|(_, uri, _, _)| uri != URL)
            .map(|(_, uri, text, _)| (uri.as_str(), text.as_str()))
            .collect();
        assert_eq!(others, READ_MORE);

        let height = dl.pages[0].height as f64;
        for (page, _, text, rect) in &links {
            let n = page.to_string();
            let out = common::tool("pdftotext", &["-bbox", "-f", &n, "-l", &n, &path, "-"]);
            let xml = String::from_utf8_lossy(&out.stdout).into_owned();
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
            // Poppler gives words; the annotation's text has their spaces.
            assert_eq!(
                inside,
                text.replace(' ', ""),
                "{edition:?}: the words inside the link's rectangle on page {page}"
            );
        }
    }
}

/// The Chicago Manual of Style (14.18): after a slash, or before a hyphen or period; never
/// after a hyphen, where a reader (and text extraction) would take it for a hyphenation.
#[test]
fn the_address_breaks_after_slashes_or_before_hyphens_never_after_them() {
    for edition in Edition::ALL {
        let dl = display(edition);
        let lines: Vec<String> = dl
            .content_runs()
            .iter()
            .filter(|(_, _, node)| dl.structure[*node].kind == StructKind::Link { url: URL.into() })
            .map(|(_, r, _)| r.text.clone())
            .collect();
        assert!(lines.len() >= 2, "{edition:?}: {lines:?}");
        for pair in lines.windows(2) {
            assert!(
                pair[0].ends_with('/') || pair[1].starts_with(['-', '.']),
                "{edition:?}: {lines:?}"
            );
            assert!(!pair[0].ends_with('-'), "{edition:?}: {lines:?}");
        }
    }
}

#[test]
fn read_more_items_with_an_address_are_links_the_others_plain_text() {
    for edition in Edition::ALL {
        let dl = display(edition);
        let list_items: Vec<(String, Option<String>)> = dl
            .content_runs()
            .iter()
            .filter_map(|(_, r, node)| {
                let n = &dl.structure[*node];
                let in_item = |i: usize| {
                    let mut p = dl.structure[i].parent;
                    while let Some(q) = p {
                        if dl.structure[q].kind == StructKind::ListBody {
                            return true;
                        }
                        p = dl.structure[q].parent;
                    }
                    false
                };
                match &n.kind {
                    StructKind::Link { url } if in_item(*node) => {
                        Some((r.text.clone(), Some(url.clone())))
                    }
                    StructKind::ListBody => Some((r.text.clone(), None)),
                    _ => None,
                }
            })
            .collect();
        assert_eq!(
            list_items,
            [
                (
                    "Behandling av personuppgifter".into(),
                    Some(READ_MORE[0].0.into())
                ),
                ("Kategorier av registrerade".into(), None),
                ("Dina rättigheter".into(), Some(READ_MORE[1].0.into())),
                ("Kontakta dataskyddsombudet".into(), None),
            ],
            "{edition:?}"
        );
        // Each link has exactly one area, over its text.
        for (text, url) in list_items.iter().filter(|(_, u)| u.is_some()) {
            let areas: Vec<_> = dl
                .pages
                .iter()
                .flat_map(|p| &p.items)
                .filter(|it| matches!(it, Item::Link(l) if Some(&l.url) == url.as_ref() && &l.text == text))
                .collect();
            assert_eq!(areas.len(), 1, "{text}");
        }
    }
}

#[test]
fn a_link_inside_a_paragraph_is_cut_out_of_its_lines() {
    let text = std::fs::read_to_string(common::fixture_file())
        .unwrap()
        .replace(
            "Vi sparar personuppgifterna i 6 månader.",
            "Vi sparar personuppgifterna i 6 månader, enligt [våra riktlinjer för hur länge \
         personuppgifter sparas hos oss](https://www.avanza.se/riktlinjer.html) och lagen.",
        );
    let dir = common::scratch("link-inside");
    let path = dir.join("n.toml");
    std::fs::write(&path, text).unwrap();
    let n = notice_pdf::load(&path).unwrap().notice;
    for opts in common::all_options() {
        let dl = layout::layout(&n, &opts);
        let link = dl
            .structure
            .iter()
            .position(|s| {
                s.kind
                    == StructKind::Link {
                        url: "https://www.avanza.se/riktlinjer.html".into(),
                    }
            })
            .unwrap();
        let para = dl.structure[link].parent.unwrap();
        assert_eq!(dl.structure[para].kind, StructKind::Paragraph);
        let runs: Vec<(usize, &notice_pdf::layout::TextRun)> = dl
            .content_runs()
            .into_iter()
            .filter(|(_, _, node)| *node == link || *node == para)
            .map(|(_, r, node)| (node, r))
            .collect();
        // Read in order, the runs give the paragraph back; the link's runs give the link text.
        let all: String = runs
            .iter()
            .map(|(_, r)| r.text.trim_end_matches('\u{ad}'))
            .collect::<Vec<_>>()
            .join(" ");
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        assert_eq!(
            squeeze(&all),
            squeeze(
                "Vi sparar personuppgifterna i 6 månader, enligt våra riktlinjer för hur länge personuppgifter sparas hos oss och lagen."
            )
        );
        let link_text: String = runs
            .iter()
            .filter(|(n, _)| *n == link)
            .map(|(_, r)| r.text.trim_end_matches('\u{ad}'))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            squeeze(&link_text),
            squeeze("våra riktlinjer för hur länge personuppgifter sparas hos oss")
        );
        // Fragments on one line sit side by side, and each link fragment has its area.
        let areas = dl
            .pages
            .iter()
            .flat_map(|p| &p.items)
            .filter(|it| matches!(it, Item::Link(l) if l.node == link))
            .count();
        assert_eq!(
            areas,
            runs.iter().filter(|(n, _)| *n == link).count(),
            "{opts:?}"
        );
        // (The address printed after the link for paper sits between them.)
        let on_lines: Vec<_> = common::line_runs(&dl)
            .into_iter()
            .filter(|(_, r)| match r.role {
                Role::Content { node } => node == link || node == para,
                _ => true,
            })
            .collect();
        for w in on_lines.windows(2) {
            let (a, b) = (w[0].1, w[1].1);
            if a.y == b.y && w[0].0 == w[1].0 {
                assert!(
                    (a.x + a.width() - b.x).abs() < 0.01,
                    "{:?} then {:?}",
                    a.text,
                    b.text
                );
            }
        }
    }
}
