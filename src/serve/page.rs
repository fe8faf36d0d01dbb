//! The agents' page (Swedish): one card per notice, the data's problems on top. Built with
//! maud, which escapes every inserted value.

use maud::{DOCTYPE, Markup, html};

use super::pdf_url;
use super::snapshot::Snapshot;
use crate::layout::Edition;
use crate::sv;

/// The page. `all_pages`: the page count of the whole pack in each edition
/// ([`Edition::ALL`] order), when there is one.
pub(super) fn index(snap: &Snapshot, all_pages: [Option<usize>; 2]) -> String {
    page(snap, all_pages).into_string()
}

fn page(snap: &Snapshot, all_pages: [Option<usize>; 2]) -> Markup {
    html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Integritetsinformation – kundservice" }
                link rel="stylesheet" href="/style.css";
                script src="/page.js" defer {}
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
                    @if let Some(c) = &snap.collection {
                        (choice(snap, c, all_pages))
                    }
                    @for e in in_order(snap) {
                        (card(e))
                    }
                }
                footer.wrap {
                    "notice-pdf " (env!("CARGO_PKG_VERSION")) " · PDF/A-3a och PDF/UA-1"
                }
            }
        }
    }
}

/// The served notices in the collection's order (any not in it after, by id).
fn in_order(snap: &Snapshot) -> Vec<&super::snapshot::Entry> {
    let placed: Vec<&str> = snap.collection.iter().flat_map(|c| c.order()).collect();
    let mut out: Vec<&super::snapshot::Entry> = placed
        .iter()
        .filter_map(|id| snap.notices.get(*id).map(|e| &**e))
        .collect();
    out.extend(
        snap.notices
            .iter()
            .filter(|(id, _)| !placed.contains(&id.as_str()))
            .map(|(_, e)| &**e),
    );
    out
}

/// " (22 sidor)", or nothing when the count is not known.
fn count(pages: Option<usize>) -> String {
    pages.map_or(String::new(), |n| format!(" ({})", sv::pages(n)))
}

/// Everything, or a selection, as one PDF: the notices grouped as in the collection.
fn choice(snap: &Snapshot, c: &crate::model::Collection, all_pages: [Option<usize>; 2]) -> Markup {
    html! {
        section.pack aria-labelledby="urval-rubrik" {
            h2 #urval-rubrik { "All information i ett dokument" }
            p {
                "Ladda ner allt som en PDF med innehållsförteckning, eller välj de dokument kunden har frågat om."
            }
            @if snap.unavailable.is_empty() {
                p.actions {
                    a.button.primary href="/pack.pdf" { "Ladda ner allt" (count(all_pages[0])) }
                    a.button href="/pack.pdf?edition=large" { "Allt i stor stil" (count(all_pages[1])) }
                    a.button href="/pack.html" { "Allt som webbsida (HTML)" }
                }
            } @else {
                // A pack is whole or refused: say which notices keep it from being whole.
                p #saknas {
                    "Allt i ett dokument går inte att ladda ner förrän felen ovan är rättade. Saknas: "
                    (snap.unavailable.keys().cloned().collect::<Vec<_>>().join(", ")) "."
                }
            }
            form #urval method="get" action="/pack.pdf" {
                input type="hidden" name="valda" value="1";
                @for g in &c.groups {
                    fieldset {
                        legend { (g.title) }
                        @for id in &g.notices {
                            @if let Some(e) = snap.notices.get(id) {
                                div.choice {
                                    input type="checkbox" name="ids" value=(id) id={ "val-" (id) };
                                    label for={ "val-" (id) } { (e.loaded.notice.title) }
                                }
                            }
                        }
                    }
                }
                p.actions {
                    button.button.primary type="submit" name="edition" value="standard" {
                        "Ladda ner valda" span.count {}
                    }
                    button.button type="submit" name="edition" value="large" {
                        "Valda i stor stil" span.count {}
                    }
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
                    a.button href={ "/notices/" (n.id) ".html" } { "Webbversion (HTML)" }
                }
                p.version {
                    "Version " (crate::VersionId::of_sha256(&e.loaded.source_sha256)) " · " (n.updated)
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
