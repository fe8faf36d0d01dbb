//! A kundservice floor's collection, generated: the fictional bank's six notices and 25 more,
//! each on its own subject (its own title, summary, headings and data), in three more groups.
//! Written in our own words; no generated text says "samtal", so a search for it finds the
//! fixture's notices about recorded calls only. Used by the serve and browser tests and by
//! `benches/serve.rs` (which includes this file by path: it needs only `std`).

use std::path::Path;

/// One generated notice's subject.
struct Subject {
    id: &'static str,
    title: &'static str,
    summary: &'static str,
    headings: [&'static str; 2],
    /// What is processed, for "Vilka personuppgifter behandlar vi?".
    data: &'static str,
    /// For how long, for "Hur länge sparar vi uppgifterna?".
    kept: &'static str,
}

const fn s(
    id: &'static str,
    title: &'static str,
    summary: &'static str,
    headings: [&'static str; 2],
    data: &'static str,
    kept: &'static str,
) -> Subject {
    Subject {
        id,
        title,
        summary,
        headings,
        data,
        kept,
    }
}

/// The 25 subjects, in three groups of the collection.
#[rustfmt::skip]
const SUBJECTS: [Subject; 25] = [
    s("bolan", "Bolån och bostadskrediter", "Uppgifter vi behöver när du ansöker om bolån, när vi värderar bostaden och medan lånet löper.", ["När du ansöker om bolån", "När lånet löper"], "Inkomst, bostadens adress och värde, andra lån och hushållets utgifter.", "I tio år efter att lånet är återbetalt."),
    s("kredit", "Kreditupplysning vid låneansökan", "När vi tar en kreditupplysning om dig, vad den innehåller och vem som ser att den har tagits.", ["Kreditupplysningen", "Beslutet om krediten"], "Betalningsanmärkningar, taxerad inkomst och tidigare kreditupplysningar.", "I tre år efter beslutet om du inte blir kund."),
    s("barnspar", "Fondsparande för barn", "Uppgifter om barnet och om vårdnadshavarna när du sparar i fonder till ett barn.", ["När du öppnar barnets konto", "När barnet fyller arton"], "Barnets namn och personnummer och vårdnadshavarnas namn och kontaktuppgifter.", "Så länge kontot finns och tio år därefter."),
    s("pension", "Pensionsförsäkring via arbetsgivaren", "Uppgifter från din arbetsgivare om lön och premier när du har tjänstepension hos oss.", ["Premier från arbetsgivaren", "Utbetalning av pension"], "Lön, premier, anställningsdatum och förmånstagare.", "I tio år efter den sista utbetalningen."),
    s("sparkonto", "Sparkonto med rörlig ränta", "Uppgifter om dig och dina insättningar när du har ett sparkonto, och om insättningsgarantin.", ["När du öppnar sparkontot", "Insättningsgarantin"], "Namn, personnummer, kontonummer, saldo och insättningar.", "I tio år efter att kontot avslutats."),
    s("aktieagare", "Aktieägare och bolagsstämma", "Uppgifter om dig som äger aktier i banken: aktieboken, anmälan till stämman och röstlängden.", ["Aktieboken", "Anmälan till bolagsstämman"], "Namn, adress, antal aktier och hur du röstar på stämman.", "Så länge du äger aktier, och stämmans protokoll för alltid."),
    s("dodsbo", "Dödsbo och arvskifte", "Hur vi behandlar uppgifter om den som har avlidit, om dödsbodelägare och om arvskiftet.", ["När en kund har avlidit", "Arvskiftet"], "Bouppteckning, dödsbodelägarnas namn och kontaktuppgifter och fullmakter för dödsboet.", "I tio år efter att arvskiftet är klart."),
    s("fullmakt", "Fullmakter och ombud", "Uppgifter om dig som ger en fullmakt och om ombudet som får använda den.", ["När du ger en fullmakt", "När ombudet använder fullmakten"], "Namn och personnummer på dig och ombudet, och vad fullmakten gäller.", "I tio år efter att fullmakten upphört."),
    s("kort", "Kortbetalningar och spärr av kort", "Uppgifter om dina köp med kort, om spärrade kort och om kortbedrägerier vi utreder.", ["När du betalar med kort", "När du spärrar ett kort"], "Kortnummer, belopp, tid och plats för köpet och butikens namn.", "I sju år efter utgången av det år köpet gjordes."),
    s("swish", "Swish och mobila betalningar", "Uppgifter om dig och mottagaren när du betalar med mobilnummer, och om betalningar vi stoppar.", ["När du skickar en betalning", "När en betalning stoppas"], "Mobilnummer, namn, belopp, meddelande och tidpunkt.", "I sju år efter betalningen."),
    s("utland", "Utlandsbetalningar", "Uppgifter om avsändare och mottagare som följer med en betalning till eller från ett annat land.", ["Betalning till utlandet", "Betalning från utlandet"], "Namn, adress, kontonummer och betalningens syfte.", "I fem år efter betalningen."),
    s("skatt", "Skatteuppgifter och kontrolluppgifter", "Vilka kontrolluppgifter vi lämnar till Skatteverket och till skattemyndigheter i andra länder.", ["Kontrolluppgifter till Skatteverket", "Skattehemvist i andra länder"], "Ränta, utdelning, försäljningar och skatteregistreringsnummer.", "I sju år efter utgången av inkomståret."),
    s("sanktion", "Kontroll mot sanktionslistor", "Hur vi jämför kunder och betalningar med EU:s och FN:s listor över personer som omfattas av sanktioner.", ["Kontroll av kunder", "Kontroll av betalningar"], "Namn, födelsedatum, medborgarskap och betalningens mottagare.", "I fem år efter att affärsförbindelsen upphört."),
    s("bedrageri", "Bedrägeriförsök och spärrtjänst", "Uppgifter vi behandlar när någon försöker lura dig eller banken, och när du spärrar din inloggning.", ["När vi upptäcker ett bedrägeriförsök", "Spärrtjänsten"], "Inloggningar, enhetens kännetecken, betalningar och din anmälan.", "I fem år efter att ärendet avslutats."),
    s("inloggning", "Inloggning med e-legitimation", "Uppgifter från din e-legitimation när du loggar in i appen eller på webbplatsen.", ["När du loggar in", "När du skriver under"], "Personnummer, tidpunkt för inloggningen och vilken e-legitimation du använde.", "I två år efter inloggningen."),
    s("foretagskonto", "Företagskonto och firmatecknare", "Uppgifter om firmatecknare, verkliga huvudmän och kontaktpersoner när ett företag är kund.", ["Firmatecknare", "Verkliga huvudmän"], "Namn, personnummer, ägarandel och roll i företaget.", "I fem år efter att företaget slutat vara kund."),
    s("resa", "Försäkringar vid resa", "Uppgifter om dig och din resa när du anmäler en skada på en reseförsäkring som följer med kortet.", ["När du anmäler en skada", "När vi betalar ersättning"], "Resans datum och resmål, kvitton och läkarintyg.", "I tio år efter att skadan reglerats."),
    s("event", "Besök på våra evenemang", "Uppgifter om dig som anmäler dig till ett seminarium eller ett kundevenemang, och bilder från dagen.", ["Anmälan", "Bilder från evenemanget"], "Namn, e-postadress, matpreferenser och bilder.", "I ett år efter evenemanget."),
    s("rekrytering", "Rekrytering och jobbansökningar", "Uppgifter i din ansökan när du söker jobb hos oss, och tester och referenser under rekryteringen.", ["När du söker jobb", "Tester och referenser"], "Cv, personligt brev, testresultat och referenspersoners omdömen.", "I två år efter att tjänsten tillsatts."),
    s("kamera", "Kameraövervakning på kontoret", "Var vi har kameror i våra lokaler, varför, och hur länge inspelade bilder sparas.", ["Kameror i entrén", "Kameror vid uttagsautomaten"], "Bilder av dig och tidpunkten då du passerade.", "I trettio dagar, längre om bilderna behövs i en utredning."),
    s("synpunkter", "Klagomål och synpunkter", "Hur vi hanterar det du skriver till oss när du klagar eller lämnar en synpunkt.", ["När du lämnar ett klagomål", "Klagomålsansvarig"], "Namn, kontaktuppgifter och vad klagomålet gäller.", "I tre år efter att klagomålet är besvarat."),
    s("undersokning", "Kundundersökningar per e-post", "Uppgifter vi använder när vi frågar dig per e-post vad du tycker om våra tjänster.", ["Urvalet av kunder", "Dina svar"], "E-postadress, vilka tjänster du har och dina svar.", "Svaren görs anonyma efter sex månader."),
    s("visselblasning", "Visselblåsning", "Uppgifter om den som slår larm om missförhållanden och om dem larmet gäller.", ["När du slår larm", "Utredningen"], "Det du berättar, namn på de inblandade och utredningens resultat.", "I två år efter att ärendet avslutats."),
    s("leverantorskontakt", "Kontaktpersoner hos leverantörer", "Uppgifter om dig som är kontaktperson hos ett företag vi köper tjänster av.", ["Avtalet med leverantören", "Uppföljning"], "Namn, titel, telefonnummer och e-postadress i arbetet.", "Så länge avtalet gäller och två år därefter."),
    s("webbanalys", "Webbplatsens statistik", "Hur vi mäter besök på webbplatsen och i appen när du har sagt ja till det, och hur du ändrar dig.", ["Besöksstatistik", "Ditt val"], "Vilka sidor du besöker, enhetens typ och ungefärlig ort.", "I fjorton månader."),
];

/// The groups the generated notices stand in: a title and a range of [`SUBJECTS`].
const GROUPS: [(&str, std::ops::Range<usize>); 3] = [
    ("Sparande, lån och pension", 0..8),
    ("Betalningar och säkerhet", 8..16),
    ("Andra tillfällen vi behandlar uppgifter", 16..25),
];

/// A TOML basic string of `text` (which holds no `"` or `\`).
fn quoted(text: &str) -> String {
    assert!(!text.contains(['"', '\\']), "{text}");
    format!("\"{text}\"")
}

fn notice(k: usize, s: &Subject) -> String {
    let mut t = format!(
        "# Generated for the tests (a kundservice floor's collection).\n\
         id = \"{id}\"\ntitle = {title}\nsummary = {summary}\nlabel = \"Integritetsinformation\"\n\
         language = \"sv-SE\"\npublisher = \"Exempelbanken\"\nupdated = \"2024-{month:02}-{day:02}\"\n\
         source_url = \"https://www.exempelbanken.se/integritet/{id}.html\"\n\
         no_hyphenate = [\"Exempelbanken\"]\n",
        id = s.id,
        title = quoted(s.title),
        summary = quoted(s.summary),
        month = 1 + k % 12,
        day = 1 + k % 28,
    );
    for (i, heading) in s.headings.iter().enumerate() {
        let purpose = format!(
            "För att kunna sköta det som avsnittet {} gäller.",
            heading.to_lowercase()
        );
        let basis = if i == 0 {
            "Avtalet med dig."
        } else {
            "En rättslig förpliktelse."
        };
        let answers = [
            (
                "purpose",
                "Varför behandlar vi personuppgifter?",
                purpose.as_str(),
            ),
            (
                "data_categories",
                "Vilka personuppgifter behandlar vi?",
                s.data,
            ),
            (
                "legal_basis",
                "På vilken laglig grund behandlar vi uppgifterna?",
                basis,
            ),
            ("retention", "Hur länge sparar vi uppgifterna?", s.kept),
            (
                "recipients",
                "Vem delar vi uppgifterna med?",
                "Med leverantörer som arbetar för oss, och med myndigheter när lagen kräver det.",
            ),
        ];
        t.push_str(&format!(
            "\n[[sections]]\nid = \"del-{i}\"\nheading = {}\nintro = [{}]\n",
            quoted(heading),
            quoted(&format!(
                "Här beskriver vi vad som gäller för {}.",
                heading.to_lowercase()
            ))
        ));
        for (kind, question, answer) in answers {
            t.push_str(&format!(
                "\n[[sections.items]]\nkind = \"{kind}\"\nquestion = {}\nanswer = [{}]\n",
                quoted(question),
                quoted(answer)
            ));
        }
    }
    t
}

/// Writes the fictional bank's collection from `fixtures` (its directory) into `dir`, created,
/// and the 25 generated notices in three more groups: 31 notices. Returns every id in the
/// collection's order.
pub fn write_floor(fixtures: &Path, dir: &Path) -> Vec<String> {
    std::fs::create_dir_all(dir).unwrap();
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    for (k, s) in SUBJECTS.iter().enumerate() {
        std::fs::write(dir.join(format!("{}.toml", s.id)), notice(k, s)).unwrap();
    }
    let c = dir.join("collection.toml");
    let mut text = std::fs::read_to_string(&c).unwrap();
    let mut ids: Vec<String> = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("notices = ")) {
        ids.extend(line.split('"').skip(1).step_by(2).map(str::to_owned));
    }
    for (title, range) in GROUPS {
        let members: Vec<&str> = SUBJECTS[range].iter().map(|s| s.id).collect();
        ids.extend(members.iter().map(|id| id.to_string()));
        let list: Vec<String> = members.iter().map(|id| format!("\"{id}\"")).collect();
        text.push_str(&format!(
            "\n[[groups]]\ntitle = \"{title}\"\nnotices = [{}]\n",
            list.join(", ")
        ));
    }
    std::fs::write(&c, text).unwrap();
    ids
}
