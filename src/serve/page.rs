//! The agents' page (Swedish): one card per notice, the data's problems on top.

use super::routes::{download_name, pdf_url};
use super::snapshot::Snapshot;
use crate::layout::{Edition, swedish_date};

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn sidor(n: usize) -> String {
    if n == 1 {
        "1 sida".into()
    } else {
        format!("{n} sidor")
    }
}

pub(super) fn index(snap: &Snapshot) -> String {
    let mut h = String::new();
    h.push_str(concat!(
        "<!doctype html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        "<title>Integritetsinformation – kundservice</title>\n",
        "<link rel=\"stylesheet\" href=\"/style.css\">\n",
        "</head>\n<body>\n<a class=\"skip\" href=\"#dokument\">Hoppa till dokumenten</a>\n",
        "<header class=\"top\"><div class=\"wrap\"><span class=\"brand\">Avanza</span>",
        "<span class=\"app\">Kundservice · Integritetsinformation</span></div></header>\n",
        "<main id=\"dokument\" class=\"wrap\">\n<h1>Integritetsinformation till kund</h1>\n",
        "<p class=\"lead\">Ladda ner PDF:en och skicka den till kunden. Stor stil är samma text i 16 punkter, ",
        "för kunder med nedsatt syn.</p>\n",
    ));
    if !snap.problems.is_empty() {
        h.push_str("<section class=\"alert\" role=\"alert\">\n<h2>Fel i underlaget</h2>\n<ul>\n");
        for p in &snap.problems {
            let served = if p.last_good_served {
                "Den senaste giltiga versionen visas nedan."
            } else {
                "Visas inte förrän felet är rättat."
            };
            h.push_str(&format!(
                "<li><code>{}</code><br>{served}</li>\n",
                esc(&p.to_string())
            ));
        }
        h.push_str("</ul>\n</section>\n");
    }
    for e in snap.notices.values() {
        let n = &e.loaded.notice;
        let std = &e.editions[&Edition::Standard];
        let large = &e.editions[&Edition::Large];
        let pages = std.display.pages.len();
        h.push_str(&format!(
            "<article class=\"notice\" aria-labelledby=\"t-{id}\">\n<div class=\"info\">\n<h2 id=\"t-{id}\">{title}</h2>\n\
             <p class=\"meta\">Uppdaterad {date} · {pages_std} · stor stil {pages_large}</p>\n\
             <p class=\"actions\">\n\
             <a class=\"button primary\" href=\"{url}\" download=\"{fname}\">Ladda ner PDF</a>\n\
             <a class=\"button\" href=\"{url_large}\" download=\"{fname_large}\">Stor stil (PDF)</a>\n\
             </p>\n<p class=\"version\">Version {iso} · <span title=\"SHA-256 för PDF:en\">{sha}</span></p>\n</div>\n\
             <div class=\"thumbs\">\n",
            id = esc(&n.id),
            title = esc(&n.title),
            date = esc(&swedish_date(n.updated)),
            pages_std = sidor(pages),
            pages_large = sidor(large.display.pages.len()),
            url = esc(&pdf_url(&n.id, Edition::Standard)),
            url_large = esc(&pdf_url(&n.id, Edition::Large)),
            fname = esc(&download_name(&n.id, n.updated, Edition::Standard)),
            fname_large = esc(&download_name(&n.id, n.updated, Edition::Large)),
            iso = n.updated.format("%Y-%m-%d"),
            sha = &std.sha256[..12],
        ));
        for p in 1..=pages {
            h.push_str(&format!(
                "<a href=\"/notices/{id}/pages/{p}.png\"><img src=\"/notices/{id}/pages/{p}.png\" width=\"149\" height=\"210\" \
                 alt=\"Sida {p} av {pages}\"></a>\n",
                id = esc(&n.id)
            ));
        }
        h.push_str("</div>\n</article>\n");
    }
    h.push_str(&format!(
        "</main>\n<footer class=\"wrap\">notice-pdf {} · PDF/A-2a och PDF/UA-1</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    ));
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
