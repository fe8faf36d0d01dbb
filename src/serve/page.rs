//! The agents' page (Swedish): one card per notice, the data's problems on top. Built with
//! maud, which escapes every inserted value.

use maud::{DOCTYPE, Markup, html};

use super::routes::pdf_url;
use super::snapshot::Snapshot;
use crate::layout::Edition;
use crate::sv;

pub(super) fn index(snap: &Snapshot) -> String {
    page(snap).into_string()
}

fn page(snap: &Snapshot) -> Markup {
    html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Integritetsinformation – kundservice" }
                link rel="stylesheet" href="/style.css";
            }
            body {
                a.skip href="#dokument" { "Hoppa till dokumenten" }
                header.top {
                    div.wrap {
                        span.brand { "Avanza" }
                        span.app { "Kundservice · Integritetsinformation" }
                    }
                }
                main #dokument .wrap {
                    h1 { "Integritetsinformation till kund" }
                    p.lead {
                        "Ladda ner PDF:en och skicka den till kunden. Stor stil är samma text i 16 punkter, för kunder med nedsatt syn."
                    }
                    @if !snap.problems.is_empty() {
                        section.alert role="alert" {
                            h2 { "Fel i underlaget" }
                            ul {
                                @for p in &snap.problems {
                                    li {
                                        code { (p.to_string()) }
                                        br;
                                        @if p.last_good_served {
                                            "Den senaste giltiga versionen visas nedan."
                                        } @else {
                                            "Visas inte förrän felet är rättat."
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @for e in snap.notices.values() {
                        (card(e))
                    }
                }
                footer.wrap {
                    "notice-pdf " (env!("CARGO_PKG_VERSION")) " · PDF/A-2a och PDF/UA-1"
                }
            }
        }
    }
}

fn card(e: &super::snapshot::Entry) -> Markup {
    let n = &e.loaded.notice;
    let std = &e.editions[&Edition::Standard];
    let large = &e.editions[&Edition::Large];
    let pages = std.display.pages.len();
    let title_id = format!("t-{}", n.id);
    html! {
        article.notice aria-labelledby=(title_id) {
            div.info {
                h2 id=(title_id) { (n.title) }
                p.meta {
                    (sv::updated(n.updated)) " · " (sv::pages(pages)) " · "
                    (sv::edition(Edition::Large)) " " (sv::pages(large.display.pages.len()))
                }
                p.actions {
                    a.button.primary href=(pdf_url(&n.id, Edition::Standard))
                        download=(sv::download_name(&n.id, n.updated, Edition::Standard)) { "Ladda ner PDF" }
                    a.button href=(pdf_url(&n.id, Edition::Large))
                        download=(sv::download_name(&n.id, n.updated, Edition::Large)) { "Stor stil (PDF)" }
                }
                p.version {
                    "Version " (&e.loaded.source_sha256[..8]) " · " (n.updated)
                }
            }
            div.thumbs {
                @for p in 1..=pages {
                    a href={ "/notices/" (n.id) "/pages/" (p) ".png" } {
                        img src={ "/notices/" (n.id) "/pages/" (p) ".png" } width="149" height="210"
                            alt=(sv::page_of(p, pages));
                    }
                }
            }
        }
    }
}
