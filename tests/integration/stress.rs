//! The stress corpus (issue 3): the real notice's words reshuffled into synthetic notices of
//! every awkward shape. Nothing may overflow the margins, nothing may be lost or reordered, and
//! the typographic rules hold on every page.

use crate::common;

use notice_pdf::layout::{DisplayList, Item, Role};
use notice_pdf::{Align, Edition, Notice, Options};

/// A deterministic generator (64-bit LCG): the corpus is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn vocabulary() -> Vec<String> {
    let n = notice_pdf::load(&common::fixture_file()).unwrap().notice;
    let mut words: Vec<String> = common::printed_blocks(&n)
        .iter()
        .flat_map(|b| {
            b.split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_owned())
        })
        .filter(|w| !w.is_empty())
        .collect();
    words.sort();
    words.dedup();
    words
}

/// A sentence of `min` to `min + spread - 1` words.
fn sentence(rng: &mut Rng, vocab: &[String], min: usize, spread: usize) -> String {
    let words = min + rng.next(spread);
    let mut s: Vec<String> = (0..words)
        .map(|_| vocab[rng.next(vocab.len())].clone())
        .collect();
    // Prose starts with a word: "90." alone would be a numbered list item in CommonMark.
    while !s[0].starts_with(char::is_alphabetic) {
        s[0] = vocab[rng.next(vocab.len())].clone();
    }
    s[0] = capitalise(&s[0]);
    format!("{}.", s.join(" "))
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

const KINDS: [&str; 5] = [
    "purpose",
    "data_categories",
    "legal_basis",
    "retention",
    "recipients",
];

/// A notice with `sections` sections of generated prose, plus `extra` paragraphs in the first.
pub(crate) fn synthetic(id: &str, sections: usize, seed: u64, extra: &[&str]) -> String {
    let vocab = vocabulary();
    let mut rng = Rng(seed);
    let mut t = format!(
        "id = \"{id}\"\ntitle = \"Syntetisk notis {id}\"\nsummary = \"En genererad notis.\"\nlanguage = \"sv-SE\"\npublisher = \"Avanza\"\n\
         updated = \"2024-01-31\"\nno_hyphenate = [\"Avanza\", \"Euro Accident Livförsäkring AB\"]\n"
    );
    for s in 0..sections {
        t += &format!(
            "\n[[sections]]\nid = \"s{s}\"\nheading = {}\n",
            toml_str(&sentence(&mut rng, &vocab, 3, 9))
        );
        let mut intro: Vec<String> = (0..1 + rng.next(2))
            .map(|_| sentence(&mut rng, &vocab, 5, 70))
            .collect();
        if s == 0 {
            intro.extend(extra.iter().map(|e| e.to_string()));
        }
        t += &format!(
            "intro = [{}]\n",
            intro
                .iter()
                .map(|p| toml_str(p))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for kind in KINDS {
            t += &format!(
                "\n[[sections.items]]\nkind = \"{kind}\"\nquestion = {}\n",
                toml_str(&format!(
                    "{}?",
                    sentence(&mut rng, &vocab, 3, 8).trim_end_matches('.')
                ))
            );
            let mut blocks: Vec<String> = (0..1 + rng.next(3))
                .map(|_| toml_str(&sentence(&mut rng, &vocab, 1, 60)))
                .collect();
            if rng.next(4) == 0 {
                let list: Vec<String> = (0..2 + rng.next(4))
                    .map(|_| toml_str(&sentence(&mut rng, &vocab, 1, 12)))
                    .collect();
                // Sometimes the list comes first, straight after the question.
                let at = if rng.next(2) == 0 { 0 } else { blocks.len() };
                blocks.insert(at, format!("{{ list = [{}] }}", list.join(", ")));
            }
            t += &format!("answer = [{}]\n", blocks.join(", "));
        }
    }
    // A heading followed by nothing but a list.
    t += "\n[[sections]]\nid = \"lista\"\nkind = \"info\"\nheading = \"Läs mer\"\nlist = [\"Ett\", \"Två\", \"Tre\"]\n";
    t
}

fn load_text(name: &str, text: &str) -> Notice {
    let dir = common::scratch(name);
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    notice_pdf::load(&path)
        .unwrap_or_else(|e| panic!("{e}"))
        .notice
}

/// All content text in reading order, without spaces and soft hyphens.
fn printed_chars(dl: &DisplayList) -> String {
    let mut s = String::new();
    for page in &dl.pages {
        for item in &page.items {
            if let Item::Text(r) = item
                && let Role::Content { .. } = r.role
                && r.text != "•"
            {
                s.extend(
                    r.text
                        .chars()
                        .filter(|c| !c.is_whitespace() && *c != '\u{ad}'),
                );
            }
        }
    }
    s
}

fn input_chars(n: &Notice) -> String {
    common::printed_blocks(n)
        .concat()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Typesets in every edition and alignment and checks the invariants; returns the standard
/// ragged display list and the words the typesetter had to break.
fn check_all(n: &Notice) -> (DisplayList, Vec<String>) {
    let mut standard = None;
    let mut broken = Vec::new();
    for opts in common::all_options() {
        let (edition, align) = (opts.edition, opts.align);
        let (ts, rep) = common::typeset_with_report(n, &opts);
        common::assert_clean(&rep, &format!("{} {edition:?}/{align:?}", n.id));
        assert_eq!(
            printed_chars(&ts.display),
            input_chars(n),
            "{}: text lost or reordered",
            n.id
        );
        for page in &ts.display.pages {
            for item in &page.items {
                if let Item::Text(r) = item {
                    assert!(r.x >= 0.0 && r.x + r.width() <= page.width && r.y <= page.height);
                }
            }
        }
        if (edition, align) == (Edition::Standard, Align::Left) {
            broken = rep.broken_words.clone();
            standard = Some(ts.display);
        }
    }
    (standard.unwrap(), broken)
}

#[test]
fn a_hundred_page_notice() {
    let n = load_text("hundred", &synthetic("hundred", 170, 7, &[]));
    let (dl, broken) = check_all(&n);
    assert!(dl.pages.len() >= 100, "{} pages", dl.pages.len());
    assert!(broken.is_empty());
    // Every page is numbered "Sida X av Y".
    let last = dl.pages.len();
    let footer = |p: &notice_pdf::layout::Page| {
        p.items.iter().find_map(|i| match i {
            Item::Text(r) if r.text.starts_with("Sida ") => Some(r.text.clone()),
            _ => None,
        })
    };
    assert_eq!(
        footer(&dl.pages[last - 1]),
        Some(format!("Sida {last} av {last}"))
    );
}

const LONG_WORD: &str = "Personuppgiftsbehandlingsdokumentationsförvaltningsinformationssäkerhetsavdelningsansvarigesrapport";
const URL: &str = "https://www.avanza.se/kundservice/integritet/behandling-av-personuppgifter/kontakt-med-kundservice.html";
const NUMBER: &str =
    "123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890";

fn awkward() -> Notice {
    let extra = [
        LONG_WORD,
        URL,
        &format!("Referensnummer {NUMBER} gäller."),
        "Ja.",
        "Nej",
        "Kort.",
        "e-postadress e-postadress e-postadress e-postadress e-postadress e-postadress e-postadress e-postadress",
        "Vi sparar 10 år, 6 månader, 90 dagar, 12 veckor, 3 år och 1 dag.",
    ];
    load_text("awkward", &synthetic("awkward", 3, 11, &extra))
}

#[test]
fn awkward_paragraphs_lose_nothing_and_stay_inside() {
    let n = awkward();
    let (dl, broken) = check_all(&n);
    // The long compound is hyphenated (several lines end in a soft hyphen inside it); the URL
    // breaks after a slash or before a hyphen; only the number, which has no break opportunity, is broken
    // without a hyphen.
    assert_eq!(broken, [NUMBER]);
    let lines: Vec<&str> = dl
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Text(r) => Some(r.text.as_str()),
            _ => None,
        })
        .collect();
    let hyphenated = lines
        .iter()
        .filter(|l| l.ends_with('\u{ad}') && LONG_WORD.contains(l.trim_end_matches('\u{ad}')))
        .count();
    assert!(hyphenated >= 1, "the long word is hyphenated");
    // The address breaks after a slash or before a hyphen, never after one.
    let at = lines
        .iter()
        .position(|l| l.starts_with("https://"))
        .unwrap();
    let (url_line, next) = (lines[at], lines[at + 1]);
    assert!(
        url_line.len() < URL.len()
            && (url_line.ends_with('/') || next.starts_with(['-', '.']))
            && !url_line.ends_with('-'),
        "{url_line} / {next}"
    );
}

/// In the `oracles` tier: needs veraPDF.
#[cfg(feature = "oracles")]
#[test]
fn awkward_notice_is_valid_pdf_and_warns_about_broken_words() {
    let n = awkward();
    let dir = common::scratch("awkward-pdf");
    let path = dir.join("awkward.toml");
    std::fs::write(&path, synthetic("awkward", 3, 11, &[NUMBER])).unwrap();
    let out = dir.join("awkward.pdf");
    let o = common::run(
        &dir,
        &["render", "awkward.toml", "-o", out.to_str().unwrap()],
    );
    assert!(o.status.success());
    assert!(
        common::stderr(&o).contains(&format!(
            "warning: \"{NUMBER}\" is wider than the line and was broken without a hyphen"
        )),
        "{}",
        common::stderr(&o)
    );
    let large = dir.join("awkward-large.pdf");
    let dl = notice_pdf::layout::layout(
        &n,
        &Options {
            edition: Edition::Large,
            ..Default::default()
        },
    );
    std::fs::write(&large, notice_pdf::pdf::write(&dl).unwrap()).unwrap();
    common::assert_verapdf_passes(&[&out, &large]);
}

#[test]
fn synthetic_notices_are_deterministic() {
    // The same file (name and bytes, both embedded in the PDF) read from two directories.
    let text = synthetic("det", 20, 3, &[URL]);
    let load = |dir: &str| {
        let path = common::scratch(dir).join("det.toml");
        std::fs::write(&path, &text).unwrap();
        notice_pdf::load(&path).unwrap().notice
    };
    let a = notice_pdf::render(
        notice_pdf::Document::Notice(&load("det-a")),
        &Options::default(),
    )
    .unwrap()
    .pdf;
    let b = notice_pdf::render(
        notice_pdf::Document::Notice(&load("det-b")),
        &Options::default(),
    )
    .unwrap()
    .pdf;
    assert_eq!(a, b);
}
