//! The agents' page (Swedish): one list of the notices, grouped as in the collection, each
//! once with its checkbox, what it covers, its date and page counts; a search over them; one
//! set of buttons that hands out what is chosen (one notice: the notice itself; several: the
//! pack; all: the whole pack), in either edition or as a web page. The header is the
//! collection's (publisher, logo, title). Built with maud, which escapes every inserted value.
//!
//! The page works without script: the search is a GET of `/?q=`, the choice a GET of
//! `/pack.pdf`. `page.js` filters as the agent types (asking `/search.json`, the same search),
//! counts the pages of a choice, says "Välj minst ett dokument." before a form is sent empty
//! and copies a notice's web address.

use maud::{DOCTYPE, Markup, html};

use super::search::Query;
use super::snapshot::{Entry, Snapshot};
use crate::layout::Edition;
use crate::sv;

/// What a request asks of the page besides the data.
pub(super) struct View<'a> {
    /// The search (empty: every notice is shown).
    pub query: &'a Query,
    /// The choice form was sent with nothing chosen: say so next to it.
    pub empty_choice: bool,
}

/// What the page says when a form is sent with nothing chosen.
pub(super) const EMPTY_CHOICE: &str = "Välj minst ett dokument.";

/// The page. `all_pages`: the page count of the whole pack in each edition
/// ([`Edition::ALL`] order), when there is one.
pub(super) fn index(snap: &Snapshot, all_pages: [Option<usize>; 2], view: &View) -> String {
    page(snap, all_pages, view).into_string()
}

/// A group of the list: its title and its served notices, in order.
struct Group<'a> {
    title: &'a str,
    notices: Vec<&'a Entry>,
}

/// The notices as the page lists them: the collection's groups in order, then any served
/// notice it does not place.
fn groups(snap: &Snapshot) -> Vec<Group<'_>> {
    let mut out = Vec::new();
    let mut placed: Vec<&str> = Vec::new();
    if let Some(c) = snap.collection.as_deref() {
        for g in &c.groups {
            placed.extend(g.notices.iter().map(String::as_str));
            let notices: Vec<&Entry> = g
                .notices
                .iter()
                .filter_map(|id| snap.notices.get(id).map(|e| &**e))
                .collect();
            if !notices.is_empty() {
                out.push(Group {
                    title: &g.title,
                    notices,
                });
            }
        }
    }
    let rest: Vec<&Entry> = snap
        .notices
        .iter()
        .filter(|(id, _)| !placed.contains(&id.as_str()))
        .map(|(_, e)| &**e)
        .collect();
    if !rest.is_empty() {
        let title = if snap.collection.is_some() {
            "Övriga dokument"
        } else {
            "Dokument"
        };
        out.push(Group {
            title,
            notices: rest,
        });
    }
    out
}

/// The ids of the listed notices a query finds, in the page's order.
pub(super) fn found(snap: &Snapshot, query: &Query) -> Vec<String> {
    groups(snap)
        .iter()
        .flat_map(|g| &g.notices)
        .filter(|e| query.matches(&e.loaded.notice))
        .map(|e| e.loaded.notice.id.clone())
        .collect()
}

/// What the search found, in words: "Alla 31 dokument visas.", "2 av 31 dokument matchar
/// ”samtal”.", "Inget av 31 dokument matchar ”x”. …".
pub(super) fn status(shown: usize, total: usize, query: &Query) -> String {
    if query.is_empty() {
        return match total {
            1 => "1 dokument visas.".to_owned(),
            n => format!("Alla {n} dokument visas."),
        };
    }
    let q = &query.text;
    match shown {
        0 => format!(
            "Inget av {total} dokument matchar ”{q}”. Sök på ett annat ord, eller töm sökrutan."
        ),
        n => format!("{n} av {total} dokument matchar ”{q}”."),
    }
}

/// Whose page it is: the collection's publisher, logo and title; without a collection, the
/// first notice's publisher and label.
struct Masthead<'a> {
    publisher: &'a str,
    label: &'a str,
    title: &'a str,
    /// The logo's alternate text, when the collection has a logo (served at `/logo`).
    logo_alt: Option<&'a str>,
}

fn masthead(snap: &Snapshot) -> Masthead<'_> {
    const LABEL: &str = "Integritetsinformation";
    match snap.collection.as_deref() {
        Some(c) => Masthead {
            publisher: &c.publisher,
            label: &c.label,
            title: &c.title,
            logo_alt: c.logo().map(|(l, _)| l.alt.as_str()),
        },
        None => {
            let first = snap.notices.values().next().map(|e| &e.loaded.notice);
            let label = first.and_then(|n| n.label.as_deref()).unwrap_or(LABEL);
            Masthead {
                publisher: first.map_or("", |n| n.publisher.as_str()),
                label,
                title: label,
                logo_alt: None,
            }
        }
    }
}

fn page(snap: &Snapshot, all_pages: [Option<usize>; 2], view: &View) -> Markup {
    let head = masthead(snap);
    let groups = groups(snap);
    let total: usize = groups.iter().map(|g| g.notices.len()).sum();
    let shown_ids = found(snap, view.query);
    let shown = |e: &Entry| shown_ids.contains(&e.loaded.notice.id);
    html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (head.title) " – kundservice" }
                link rel="stylesheet" href="/style.css";
                script src="/page.js" defer {}
            }
            body {
                a.skip href="#sok" { "Hoppa till sökningen" }
                header.top {
                    div.wrap {
                        @match head.logo_alt {
                            Some(alt) => img.logo src="/logo" alt=(alt);
                            None => span.brand { (head.publisher) },
                        }
                        span.app { "Kundservice · " (head.label) }
                    }
                }
                main.wrap {
                    h1 { (head.title) }
                    p.lead {
                        "Välj det kunden frågar om och ladda ner det: ett valt dokument blir det \
                         dokumentet, flera blir ett dokument med innehållsförteckning. Stor stil \
                         är samma text i 16 punkter."
                    }
                    (problems(snap))
                    @if snap.collection.is_some() {
                        (whole(snap, all_pages))
                    }
                    section.choose aria-labelledby="valj-rubrik" {
                        h2 #valj-rubrik { "Välj dokument" }
                        form.search role="search" method="get" action="/" {
                            label for="sok" { "Sök på ämne, rubrik eller fråga" }
                            div.search-row {
                                input #sok type="search" name="q" value=(view.query.text)
                                    autocomplete="off" aria-describedby="antal";
                                button.button type="submit" { "Sök" }
                            }
                        }
                        p #antal role="status" { (status(shown_ids.len(), total, view.query)) }
                        form #urval method="get" action="/pack.pdf" {
                            input type="hidden" name="valda" value="1";
                            @for g in &groups {
                                fieldset.group hidden[!g.notices.iter().any(|e| shown(e))] {
                                    legend { (g.title) }
                                    ul.notices {
                                        @for e in &g.notices {
                                            (row(e, shown(e)))
                                        }
                                    }
                                }
                            }
                            (bar(view))
                        }
                    }
                }
                footer.wrap {
                    "notice-pdf " (env!("CARGO_PKG_VERSION")) " · PDF/A-3a och PDF/UA-1"
                }
            }
        }
    }
}

/// The data's problems, on top.
fn problems(snap: &Snapshot) -> Markup {
    html! {
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
    }
}

/// " (22 sidor)", or nothing when the count is not known.
fn count(pages: Option<usize>) -> String {
    pages.map_or(String::new(), |n| format!(" ({})", sv::pages(n)))
}

/// Everything as one document, in each edition and as a web page.
fn whole(snap: &Snapshot, all_pages: [Option<usize>; 2]) -> Markup {
    html! {
        section.whole aria-labelledby="allt-rubrik" {
            h2 #allt-rubrik { "Allt i ett dokument" }
            @if snap.unavailable.is_empty() {
                p.actions {
                    a.button href="/pack.pdf" { "Ladda ner allt" (count(all_pages[0])) }
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
        }
    }
}

/// One notice of the list: its checkbox (named by its title, described by its summary), what
/// it covers, its date, page counts and version, a readable preview (its HTML alternative)
/// and, with script, a button that copies its web address (without: a link to it).
fn row(e: &Entry, shown: bool) -> Markup {
    let n = &e.loaded.notice;
    let pages = |edition: Edition| sv::pages(e.editions[&edition].display.pages.len());
    let check = format!("val-{}", n.id);
    let about = format!("om-{}", n.id);
    html! {
        li.notice data-id=(n.id) hidden[!shown] {
            div.pick {
                input type="checkbox" name="ids" value=(n.id) id=(check) aria-describedby=(about);
                label for=(check) { (n.title) }
            }
            p.summary id=(about) { (n.summary) }
            p.meta {
                (sv::updated(n.updated)) " · " (pages(Edition::Standard)) " · "
                (sv::edition(Edition::Large)) " " (pages(Edition::Large)) " · version "
                (crate::VersionId::of_sha256(&e.loaded.source_sha256))
                @if e.editions.values().all(|r| r.sealed) { " · stämplad av banken" }
            }
            p.tools {
                a href={ "/notices/" (n.id) ".html" } {
                    "Förhandsvisa" span.vh { " " (n.title) }
                }
                @if let Some(url) = &n.source_url {
                    button.copy.link type="button" data-url=(url) hidden {
                        "Kopiera webbadress" span.vh { " till " (n.title) }
                    }
                    noscript {
                        a href=(url) { "Webbsidan" span.vh { " med " (n.title) } }
                    }
                }
            }
        }
    }
}

/// What the choice is handed out as: the buttons, and what the page says about the choice.
fn bar(view: &View) -> Markup {
    html! {
        div.bar {
            p #valfel .error role="alert" {
                @if view.empty_choice { (EMPTY_CHOICE) }
            }
            p #valda aria-live="polite" {}
            p #kopierat role="status" {}
            div.actions {
                // On a narrow window the buttons say only what differs, under one caption;
                // their names stay whole.
                span.narrow.caption aria-hidden="true" { "Ladda ner valda som:" }
                button.button.primary type="submit" name="edition" value="standard" {
                    span.wide { "Ladda ner valda (PDF)" }
                    span.narrow aria-hidden="true" { "PDF" }
                }
                button.button type="submit" name="edition" value="large" {
                    span.wide { "Valda i stor stil (PDF)" }
                    span.narrow aria-hidden="true" { "Stor stil" }
                }
                button.button type="submit" name="edition" value="standard" formaction="/pack.html" {
                    span.wide { "Valda som webbsida (HTML)" }
                    span.narrow aria-hidden="true" { "Webbsida" }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_says_what_it_found() {
        let all = Query::parse("");
        assert_eq!(status(31, 31, &all), "Alla 31 dokument visas.");
        assert_eq!(status(1, 1, &all), "1 dokument visas.");
        let q = Query::parse(" samtal ");
        assert_eq!(status(2, 31, &q), "2 av 31 dokument matchar ”samtal”.");
        assert!(status(0, 31, &q).starts_with("Inget av 31 dokument matchar ”samtal”."));
    }
}
