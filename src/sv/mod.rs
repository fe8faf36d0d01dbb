//! Swedish words and dates that the library writes, in one place: the PDF's running footer,
//! the agents' page and the file names customers save.

pub mod compound;

use chrono::{Datelike, NaiveDate};

use crate::edition::Edition;

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// Long date for running text: "20 mars 2023", with a no-break space between day and month
/// (Svenska skrivregler: a date is not split across lines). Metadata uses ISO 8601.
pub fn date(d: NaiveDate) -> String {
    // Tied: a date is never broken across lines.
    format!(
        "{}\u{a0}{}\u{a0}{}",
        d.day(),
        MONTHS[d.month0() as usize],
        d.year()
    )
}

/// "Uppdaterad 20 mars 2023".
pub fn updated(d: NaiveDate) -> String {
    format!("Uppdaterad {}", date(d))
}

/// The title block's version line: "Avanza · Uppdaterad 20 mars 2023 · Version 3cb11c7e"
/// (the version id when the notice was read from a file).
pub fn version_line(n: &crate::model::Notice) -> String {
    let mut line = format!("{} · {}", n.publisher, updated(n.updated));
    if let Some(v) = &n.version {
        // Tied: "Version" never ends a line without its id.
        line.push_str(&format!(" · Version\u{a0}{v}"));
    }
    line
}

/// `text` with the spaces a line may not break at made no-break spaces (U+00A0), as Swedish
/// typesetting ties them: after a number of up to six digits ("6\u{a0}månader",
/// "111\u{a0}22"), and in a heading
/// (`heading`) after a one-letter word, so that no heading line ends on "i" or "å". The words
/// themselves are unchanged.
pub fn ties(text: &str, heading: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let tie = c == ' '
            && i > 0
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())
            && tied(&chars, i, heading);
        out.push(if tie { '\u{a0}' } else { c });
    }
    out
}

/// Whether the space at `chars[i]` ties the word before it to the word after it.
fn tied(chars: &[char], i: usize, heading: bool) -> bool {
    let start = chars[..i]
        .iter()
        .rposition(|c| !c.is_alphanumeric())
        .map_or(0, |p| p + 1);
    let word = &chars[start..i];
    // A number as a reader counts (not a 90-digit string): at most six digits.
    if (1..=6).contains(&word.len()) && word.iter().all(char::is_ascii_digit) {
        return true;
    }
    if heading && word.len() == 1 && word[0].is_alphabetic() {
        return true;
    }
    // A number in words before its unit ("sex månader"); the longest has 7 letters.
    if word.is_empty() || word.len() > 7 {
        return false;
    }
    let lower = |w: &[char]| -> String { w.iter().flat_map(|c| c.to_lowercase()).collect() };
    if !NUMBER_WORDS.contains(&lower(word).as_str()) {
        return false;
    }
    let next: Vec<char> = chars[i + 1..]
        .iter()
        .copied()
        .take_while(|c| c.is_alphanumeric())
        .collect();
    UNITS.contains(&lower(&next).as_str())
}

/// Numbers written as words, which [`ties`] keeps with a unit after them.
const NUMBER_WORDS: [&str; 22] = [
    "en", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv",
    "tretton", "fjorton", "femton", "tjugo", "trettio", "fyrtio", "femtio", "nittio", "hundra",
];

/// Units a number is kept with in [`ties`].
const UNITS: [&str; 16] = [
    "år", "månad", "månader", "vecka", "veckor", "dag", "dagar", "dygn", "timme", "timmar",
    "minuter", "sekunder", "procent", "kronor", "kr", "gånger",
];

/// The name of a pack of notices: its file name (`integritetsinformation.pdf`) and id.
pub const PACK_ID: &str = crate::model::PACK_ID;

/// The accessible name of a table's scroll container in the HTML alternative: "Tabell:
/// Ändamål, Rättslig grund, Lagringstid".
pub fn table_label(headings: &[String]) -> String {
    format!("Tabell: {}", headings.join(", "))
}

/// The heading of a pack's table of contents.
pub const CONTENTS: &str = "Innehåll";

/// Under a changed notice's title: when it changed, and where it says what.
pub fn changed_note(updated: NaiveDate) -> String {
    format!("Ändrad {}. Vad som har ändrats står sist.", date(updated))
}

/// A changed notice's entry in a pack's contents: its title and when it changed.
pub fn contents_entry(title: &str, changed: Option<NaiveDate>) -> String {
    match changed {
        Some(d) => format!("{title} (ändrad {})", date(d)),
        None => title.to_owned(),
    }
}

/// On a pack's title page: the notices that changed since their previous versions, each with
/// its date; `None` when none did.
pub fn pack_changed(changed: &[(&str, NaiveDate)]) -> Option<String> {
    let named: Vec<String> = changed
        .iter()
        .map(|(title, d)| format!("{title} ({})", date(*d)))
        .collect();
    let list = match named.as_slice() {
        [] => return None,
        [one] => one.clone(),
        [rest @ .., last] => format!("{} och {last}", rest.join(", ")),
    };
    Some(format!("Ändrat sedan förra versionen: {list}."))
}

/// Printed after a link to a chapter of a pack: the page it starts on.
pub fn page_reference(page: usize) -> String {
    format!("(sida\u{a0}{page})")
}

/// A web address as printed for a reader to type: without the scheme, "www." and a trailing
/// slash ("https://www.exempelbanken.se/kontakt/" → "exempelbanken.se/kontakt"); an e-mail
/// address or telephone number without its scheme.
pub fn short_address(url: &str) -> String {
    let rest = ["https://", "http://", "mailto:", "tel:"]
        .iter()
        .find_map(|scheme| url.strip_prefix(scheme))
        .unwrap_or(url);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    rest.trim_end_matches('/').to_owned()
}

/// The title page's line under a pack's title: "Avanza · Uppdaterad 20 mars 2023" (the newest
/// of its notices' dates).
pub fn pack_line(publisher: &str, newest: NaiveDate) -> String {
    format!("{publisher} · {}", updated(newest))
}

/// The heading of the section that ends a changed notice: "Vad har ändrats sedan 20 mars
/// 2023" (the previous version's date).
pub fn changes_heading(since: NaiveDate) -> String {
    format!("Vad har ändrats sedan {}", date(since))
}

/// The first paragraph of that section: which version this is compared with, and how changed
/// words are shown.
pub fn changes_intro(previous: &crate::model::Notice) -> String {
    let mut line = format!("Jämfört med versionen från {}", date(previous.updated));
    if let Some(v) = &previous.version {
        line.push_str(&format!(" (version\u{a0}{v})"));
    }
    line.push_str(
        " har följande ändrats. Tidigare lydelse är överstruken och ny text är i fetstil.",
    );
    line
}

/// What happened to a part of the notice, after its question (or [`SECTION_TEXT`]).
pub const CHANGE_ADDED: &str = "ny text";
pub const CHANGE_REMOVED: &str = "borttagen text";
pub const CHANGE_REWORDED: &str = "ändrad text";

/// Before a reworded text's old wording, shown struck as a whole.
pub const CHANGE_BEFORE: &str = "Tidigare:";

/// Before a reworded text's new wording, its added words marked.
pub const CHANGE_NOW: &str = "Nu:";

/// Where a notice's lead stands in "what changed": the text before its first section.
pub const LEAD: &str = "Inledning";

/// Names a section's own text (heading, intro, list) in the list of changes.
pub const SECTION_TEXT: &str = "Avsnittets rubrik och inledning";

/// The text equivalent of removed or added words, for screen readers.
pub fn removed_alt(words: &str) -> String {
    format!("borttaget: {words}")
}
pub fn added_alt(words: &str) -> String {
    format!("tillagt: {words}")
}

/// Printed before the notice's web address at its end.
pub const CURRENT_VERSION_AT: &str = "Den senaste versionen av informationen finns alltid på";

/// The alternate text of the QR code that leads to `url`.
pub fn qr_alt(url: &str) -> String {
    format!("{QR_ALT_PREFIX} {url}")
}

/// How the QR code's alternate text begins ([`qr_alt`]).
pub const QR_ALT_PREFIX: &str = "QR-kod med länk till";

/// "Sida 2 av 3", `page` counted from 1.
pub fn page_of(page: usize, pages: usize) -> String {
    format!("Sida {page} av {pages}")
}

/// "1 sida", "3 sidor".
pub fn pages(n: usize) -> String {
    if n == 1 {
        "1 sida".into()
    } else {
        format!("{n} sidor")
    }
}

/// The edition's name for people: "standard", "stor stil".
pub fn edition(e: Edition) -> &'static str {
    match e {
        Edition::Standard => "standard",
        Edition::Large => "stor stil",
    }
}

/// The file name a customer's copy is saved under, e.g.
/// `integritetsinformation-kundservice-2023-03-20.pdf`, `…-stor-stil.pdf` for large print.
pub fn download_name(id: &str, updated: NaiveDate, e: Edition) -> String {
    let suffix = match e {
        Edition::Standard => "",
        Edition::Large => "-stor-stil",
    };
    format!("integritetsinformation-{id}-{updated}{suffix}.pdf")
}

/// The file name a pack is saved under: `integritetsinformation-2024-05-20.pdf` (the newest
/// of its notices' dates), `…-stor-stil.pdf` for large print.
pub fn pack_download_name(newest: NaiveDate, e: Edition) -> String {
    let suffix = match e {
        Edition::Standard => "",
        Edition::Large => "-stor-stil",
    };
    format!("{PACK_ID}-{newest}{suffix}.pdf")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_hold_numbers_to_their_words_and_short_words_in_headings() {
        assert_eq!(ties("i 6 månader", false), "i 6\u{a0}månader");
        assert_eq!(
            ties("111 22 Stockholm", false),
            "111\u{a0}22\u{a0}Stockholm"
        );
        assert_eq!(
            ties("När du är i kontakt", true),
            "När du är i\u{a0}kontakt"
        );
        assert_eq!(ties("När du är i kontakt", false), "När du är i kontakt");
        assert_eq!(ties("Version 2, steg 3.", false), "Version 2, steg 3.");
        assert_eq!(
            ties("i högst sex månader", false),
            "i högst sex\u{a0}månader"
        );
        assert_eq!(ties("sex personer", false), "sex personer");
        let long = format!("{} gäller", "1".repeat(90));
        assert_eq!(ties(&long, false), long);
    }

    #[test]
    fn dates_keep_day_month_and_year_together() {
        let d = NaiveDate::from_ymd_opt(2023, 3, 20).unwrap();
        assert_eq!(date(d), "20\u{a0}mars\u{a0}2023");
        let d = NaiveDate::from_ymd_opt(2024, 1, 5).unwrap();
        assert_eq!(date(d), "5\u{a0}januari\u{a0}2024");
        assert_eq!(updated(d), "Uppdaterad 5\u{a0}januari\u{a0}2024");
    }

    #[test]
    fn counts_and_names() {
        assert_eq!(
            (pages(1).as_str(), pages(2).as_str()),
            ("1 sida", "2 sidor")
        );
        assert_eq!(page_of(2, 3), "Sida 2 av 3");
        let d = NaiveDate::from_ymd_opt(2023, 3, 20).unwrap();
        assert_eq!(
            download_name("kundservice", d, Edition::Standard),
            "integritetsinformation-kundservice-2023-03-20.pdf"
        );
        assert_eq!(
            download_name("kundservice", d, Edition::Large),
            "integritetsinformation-kundservice-2023-03-20-stor-stil.pdf"
        );
    }
}
