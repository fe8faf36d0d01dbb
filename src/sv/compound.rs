//! Where a Swedish compound joins its elements: "transaktions|rapportering",
//! "värdepappers|handel", "person|uppgifter".
//!
//! A Swedish reader accepts a hyphen at a compound's joint and stumbles over one inside an
//! element ("transaktionsrap-portering"). Hyphenation patterns (hypher's, from TeX) know
//! syllables, not elements, so the joints come from here: a word is split into elements of a
//! lexicon of stems (Swedish of banking, privacy and everyday prose, in our own selection),
//! each but the last optionally followed by the linking "s", the last optionally inflected.
//! Of all splits, the one with the fewest elements wins. A word the lexicon does not cover
//! has no joints, unless its first part ends in a derivational ending and the linking "s"
//! ("återbetalnings|…") and the rest is covered.
//!
//! The layout prefers a joint to any other hyphenation point; the typography report counts a
//! hyphen inside an element as a defect. Both ask this module, so a compound it does not know
//! is a report that errs on the strict side, never a hyphen it hides.

/// Stems, sorted (a test keeps them so): nouns, verbs' stems, adjectives and the particles
/// and prefixes that open compounds. Lower case.
const STEMS: &[&str] = &[
    "adress",
    "affär",
    "affärer",
    "akti",
    "aktie",
    "aktier",
    "allmän",
    "analys",
    "andel",
    "anhörig",
    "anmärkning",
    "anställ",
    "anställd",
    "anställning",
    "ansvar",
    "ansvarig",
    "ansvarige",
    "ansök",
    "ansökan",
    "användar",
    "användning",
    "app",
    "applikation",
    "arbet",
    "arbete",
    "arbets",
    "arkiv",
    "arkivering",
    "arv",
    "arvinge",
    "automat",
    "avdel",
    "avgift",
    "avslut",
    "avtal",
    "bak",
    "baka",
    "bank",
    "barn",
    "bas",
    "bedrägeri",
    "bedömning",
    "begäran",
    "behandling",
    "belopp",
    "beslut",
    "besök",
    "betal",
    "betalning",
    "bevis",
    "bild",
    "biträde",
    "bo",
    "bok",
    "bolag",
    "bolån",
    "bostad",
    "bouppteckning",
    "brev",
    "brott",
    "by",
    "byrå",
    "byte",
    "börs",
    "central",
    "centrum",
    "certifikat",
    "chatt",
    "clearing",
    "cookie",
    "dag",
    "dagar",
    "data",
    "dator",
    "datum",
    "debet",
    "deklaration",
    "del",
    "delägare",
    "depå",
    "direkt",
    "dokument",
    "dokumentation",
    "dom",
    "domstol",
    "dotter",
    "död",
    "döds",
    "dödsbo",
    "dödsfall",
    "efter",
    "ekonomi",
    "enhet",
    "epost",
    "erbjudande",
    "ersättning",
    "fakta",
    "fall",
    "familj",
    "fil",
    "film",
    "finans",
    "finansiering",
    "firma",
    "flytt",
    "flyttning",
    "folk",
    "fond",
    "fonder",
    "form",
    "formulär",
    "foto",
    "fram",
    "fråga",
    "frågor",
    "från",
    "fullmakt",
    "funktion",
    "fälle",
    "födelse",
    "följ",
    "för",
    "förekomm",
    "förening",
    "företag",
    "förfarande",
    "förhållande",
    "förmedl",
    "förmedling",
    "förmyndare",
    "förmåga",
    "förmån",
    "försäkring",
    "försäljning",
    "förvalt",
    "förälder",
    "föräldrar",
    "gallring",
    "garanti",
    "genom",
    "gift",
    "givare",
    "granskning",
    "grund",
    "gräns",
    "gång",
    "gåva",
    "gåvo",
    "handa",
    "handel",
    "handl",
    "handling",
    "hantering",
    "hem",
    "hemsida",
    "hemvist",
    "historik",
    "hus",
    "hälsa",
    "hålla",
    "id",
    "ident",
    "identitet",
    "in",
    "information",
    "inkomst",
    "inlogg",
    "inloggning",
    "inspektion",
    "inspelning",
    "inställning",
    "insättning",
    "integritet",
    "intresse",
    "investering",
    "jobb",
    "kak",
    "kaka",
    "kakor",
    "kamera",
    "kampanj",
    "kanal",
    "kapital",
    "klagomål",
    "klausul",
    "kod",
    "kommun",
    "koncern",
    "kontakt",
    "kontakter",
    "konto",
    "konton",
    "kontor",
    "kontot",
    "kontroll",
    "kopia",
    "korrespondent",
    "kort",
    "kostnad",
    "krav",
    "kredit",
    "kund",
    "kunder",
    "kunskap",
    "kvalitet",
    "kännedom",
    "lag",
    "lagar",
    "laglig",
    "lagring",
    "land",
    "lant",
    "legitimation",
    "leverantör",
    "lista",
    "liv",
    "ljud",
    "login",
    "länder",
    "lån",
    "lön",
    "lösenord",
    "maka",
    "make",
    "marknad",
    "mat",
    "matning",
    "med",
    "medarbetare",
    "meddelande",
    "medlem",
    "mejl",
    "mobil",
    "moder",
    "moln",
    "mot",
    "mottag",
    "mottagare",
    "myndighet",
    "märkning",
    "mätning",
    "mål",
    "månad",
    "månader",
    "möte",
    "namn",
    "nivå",
    "nummer",
    "nyhet",
    "nyheter",
    "närstående",
    "nät",
    "nätverk",
    "obligation",
    "olycka",
    "ombud",
    "operativ",
    "option",
    "ord",
    "order",
    "organisation",
    "ort",
    "papper",
    "penning",
    "pension",
    "period",
    "perioder",
    "person",
    "personal",
    "plats",
    "plattform",
    "policy",
    "polis",
    "post",
    "premie",
    "pris",
    "privat",
    "profil",
    "program",
    "prövning",
    "radering",
    "rapport",
    "rapporter",
    "rapportering",
    "regel",
    "region",
    "register",
    "regl",
    "regler",
    "reklam",
    "relation",
    "revision",
    "revisor",
    "risk",
    "räkenskap",
    "ränta",
    "räntor",
    "rätt",
    "rättslig",
    "rörelse",
    "röst",
    "sam",
    "samtal",
    "sida",
    "sidor",
    "sjuk",
    "skada",
    "skatt",
    "skatte",
    "skick",
    "skydd",
    "skydds",
    "spar",
    "sparande",
    "sparkonto",
    "språk",
    "spårning",
    "standard",
    "stat",
    "statistik",
    "statlig",
    "stiftelse",
    "stånd",
    "svar",
    "syfte",
    "synpunkt",
    "system",
    "säker",
    "säkerhet",
    "sätt",
    "sättning",
    "tagare",
    "teckn",
    "tecknare",
    "teckning",
    "telefon",
    "testamente",
    "text",
    "tid",
    "tider",
    "till",
    "tjänst",
    "tjänste",
    "transaktion",
    "tvätt",
    "tyg",
    "under",
    "underlag",
    "upp",
    "uppföljning",
    "uppgift",
    "uppgifter",
    "upplysning",
    "upptagning",
    "ut",
    "utan",
    "utbetalning",
    "utgift",
    "utskick",
    "uttag",
    "vecka",
    "veckor",
    "verk",
    "vid",
    "video",
    "villkor",
    "vän",
    "värde",
    "värdepapper",
    "värld",
    "vård",
    "webb",
    "webbsida",
    "ägare",
    "ändamål",
    "ändring",
    "ärende",
    "ärenden",
    "åklagare",
    "år",
    "åter",
    "återbetalning",
    "över",
    "överföring",
];

/// Derivational endings a stem may take within an element ("upplys-ning", "kontroll-era").
const DERIVATIONS: &[&str] = &[
    "are", "else", "era", "ering", "het", "ig", "ing", "lig", "ning",
];

/// Inflections of a compound's last element (plural, definite, genitive).
const ENDINGS: &[&str] = &[
    "a", "ade", "ar", "are", "arna", "arnas", "arne", "ars", "as", "at", "e", "en", "ens", "er",
    "erna", "ernas", "ers", "et", "ets", "n", "na", "nas", "ns", "or", "orna", "ornas", "r", "s",
    "t",
];

/// Endings that, followed by the linking "s", close a compound's first part even when the
/// lexicon does not know its stem ("återbetalnings|förmåga", "organisations|nummer").
const LINKED_ENDINGS: &[&str] = &["hets", "itets", "nings", "sions", "skaps", "tions"];

/// Bytes an element may span at most: the longest stem with a derivation, a linking "s" and
/// an inflection, with room to spare.
const MAX_PIECE: usize = 40;

/// Letters each element keeps at least (so that "s" or "er" alone is never an element).
const MIN_ELEMENT: usize = 2;

/// Byte offsets in `word` where one element of a compound ends and the next begins, in
/// order; empty for a word that is not a known compound (or holds anything but letters).
pub fn joints(word: &str) -> Vec<usize> {
    let lower: String = word.chars().flat_map(char::to_lowercase).collect();
    if lower.len() != word.len() || !lower.chars().all(char::is_alphabetic) {
        return Vec::new();
    }
    if let Some(split) = split(&lower) {
        return split;
    }
    // An unknown first part closed by a derivational ending and the linking "s".
    for end in LINKED_ENDINGS {
        for (at, _) in lower.match_indices(end) {
            let cut = at + end.len();
            if cut < 4 || cut >= lower.len() {
                continue;
            }
            if let Some(rest) = split(&lower[cut..]).or_else(|| last(&lower[cut..]).then(Vec::new))
            {
                let mut joints = vec![cut];
                joints.extend(rest.iter().map(|j| cut + j));
                return joints;
            }
        }
    }
    Vec::new()
}

/// The split of `word` into known elements with the fewest elements (at least two): the
/// joints, or `None`.
fn split(word: &str) -> Option<Vec<usize>> {
    let bounds: Vec<usize> = word
        .char_indices()
        .map(|(i, _)| i)
        .chain([word.len()])
        .collect();
    // best[k]: fewest elements covering word[..bounds[k]] and where the last one starts.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; bounds.len()];
    best[0] = Some((0, 0));
    for k in 1..bounds.len() {
        let end = bounds[k];
        for j in 0..k {
            let Some((count, _)) = best[j] else { continue };
            if end - bounds[j] > MAX_PIECE {
                continue;
            }
            let piece = &word[bounds[j]..end];
            let whole = end == word.len();
            let fits = if whole { last(piece) } else { inner(piece) };
            if fits && best[k].is_none_or(|(c, _)| count + 1 < c) {
                best[k] = Some((count + 1, j));
            }
        }
    }
    let (count, _) = best[bounds.len() - 1]?;
    if count < 2 {
        return None;
    }
    let mut joints = Vec::new();
    let mut k = bounds.len() - 1;
    while k > 0 {
        let (_, j) = best[k]?;
        if j > 0 {
            joints.push(bounds[j]);
        }
        k = j;
    }
    joints.reverse();
    Some(joints)
}

/// A compound's element before a joint: a stem, maybe derived, maybe with the linking "s"
/// (or an adjective's "-es": "ansvariges|…").
fn inner(piece: &str) -> bool {
    element(piece)
        || piece.strip_suffix('s').is_some_and(element)
        || piece.strip_suffix("es").is_some_and(element)
}

/// A compound's last element: a stem, maybe derived, maybe inflected.
fn last(piece: &str) -> bool {
    element(piece)
        || ENDINGS
            .iter()
            .any(|e| piece.strip_suffix(e).is_some_and(element))
}

/// A stem, or a stem with a derivational ending.
fn element(piece: &str) -> bool {
    if piece.chars().count() < MIN_ELEMENT {
        return false;
    }
    stem(piece)
        || DERIVATIONS
            .iter()
            .any(|d| piece.strip_suffix(d).is_some_and(stem))
}

fn stem(piece: &str) -> bool {
    STEMS.binary_search(&piece).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_at(word: &str) -> String {
        let mut out = String::new();
        let mut from = 0;
        for j in joints(word) {
            out.push_str(&word[from..j]);
            out.push('|');
            from = j;
        }
        out.push_str(&word[from..]);
        out
    }

    #[test]
    fn the_lexicon_is_sorted_and_lower_case() {
        assert!(
            STEMS.windows(2).all(|w| w[0] < w[1]),
            "STEMS must be sorted"
        );
        assert!(STEMS.iter().all(|s| s.chars().all(char::is_lowercase)));
    }

    #[test]
    fn compounds_split_at_their_joints() {
        for (word, expected) in [
            ("transaktionsrapportering", "transaktions|rapportering"),
            ("återbetalningsförmåga", "återbetalnings|förmåga"),
            ("betalningsanmärkningar", "betalnings|anmärkningar"),
            ("värdepappershandel", "värdepappers|handel"),
            ("personuppgifter", "person|uppgifter"),
            (
                "Personuppgiftsbiträdesavtal",
                "Person|uppgifts|biträdes|avtal",
            ),
            ("kundtjänsten", "kund|tjänsten"),
            ("kreditupplysningsföretaget", "kredit|upplysnings|företaget"),
            ("organisationsnummer", "organisations|nummer"),
            (
                "integritetsskyddsmyndigheten",
                "integritets|skydds|myndigheten",
            ),
            ("skatteförfarandelagen", "skatte|förfarande|lagen"),
            ("marknadsföringskakor", "marknads|förings|kakor"),
            ("kundkännedomsreglerna", "kund|kännedoms|reglerna"),
        ] {
            assert_eq!(split_at(word), expected, "{word}");
        }
    }

    #[test]
    fn simple_and_unknown_words_have_no_joints() {
        for word in [
            "information",
            "företag",
            "Avanza",
            "rapportering",
            "e-post",
            "klart",
        ] {
            assert_eq!(joints(word), Vec::<usize>::new(), "{word}");
        }
    }
}
