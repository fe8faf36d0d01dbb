//! What real notices say, said faithfully (issue 25): the document tree parsed once, the
//! constructs of policy pages (lead, labels, prose that declares what it answers, the Art. 13
//! and 14 item kinds), links that resolve wherever the document goes, nothing printed
//! literally by accident, and a lint that tells the truth. On the fictional fixture
//! `tests/fixtures/konstruktioner/` and small notices written here.

use std::path::{Path, PathBuf};

use notice_pdf::layout::StructKind;
use notice_pdf::model::{RunningKind, Step, Which, rich, walk};
use notice_pdf::{Document, Edition, Options};

use crate::common::{self, run, scratch, stderr};

fn dir() -> PathBuf {
    common::root().join("tests/fixtures/konstruktioner")
}

fn set() -> notice_pdf::source::DataSet {
    notice_pdf::source::DataSet::load_dir(&dir()).unwrap()
}

/// A notice written into `dir` as `n.toml` beside nothing else; returns its path.
fn notice_file(name: &str, body: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("n.toml");
    std::fs::write(
        &path,
        format!(
            "id = \"n\"\ntitle = \"T\"\nsummary = \"S.\"\nlanguage = \"sv-SE\"\npublisher = \"P\"\nupdated = \"2024-01-01\"\n{body}"
        ),
    )
    .unwrap();
    path
}

/// `notice-pdf check FILE`: the lines starting with `error:` or `warning:`.
fn findings(path: &Path) -> Vec<String> {
    let o = run(path.parent().unwrap(), &["check", path.to_str().unwrap()]);
    stderr(&o)
        .lines()
        .filter(|l| l.starts_with("error: ") || l.starts_with("warning: "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_notice_is_parsed_once_per_load_and_never_again() {
    let before = rich::parses();
    let set = set();
    let loaded = set.all_valid().unwrap();
    let parsed = rich::parses() - before;
    let mut values = 0;
    for l in &loaded {
        walk(&l.notice, Which::All, &mut |_, step| {
            if let Step::Running { .. } = step {
                values += 1;
            }
        });
    }
    assert_eq!(parsed, values, "each running-text value is parsed once");
    // One file rendered in the set of its directory (`render FILE`): each file read once too.
    let before = rich::parses();
    notice_pdf::source::load_in_place(&dir().join("konstruktioner.toml")).unwrap();
    assert_eq!(rich::parses() - before, values);
    // Layout (both editions), PDF, HTML, changes and readability read the tree.
    let all: Vec<&notice_pdf::Notice> = loaded.iter().map(|l| &l.notice).collect();
    let after_load = rich::parses();
    for n in &all {
        for edition in [Edition::Standard, Edition::Large] {
            let opts = Options {
                edition,
                ..Default::default()
            };
            notice_pdf::render(Document::Notice(n), &opts).unwrap();
        }
        notice_pdf::html::notice(n);
        notice_pdf::model::changes::changes(n, n);
    }
    let c = set.collection().unwrap();
    notice_pdf::html::pack(c, &all, &all);
    assert_eq!(rich::parses(), after_load, "no consumer parses again");
}

#[test]
fn the_constructs_fixture_is_clean_and_answers_every_question_in_prose() {
    let o = run(&dir(), &["check", "."]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.ends_with("checked 2 notice(s) and the collection: 0 error(s), 0 warning(s)\n"),
        "the controller, DPO, rights, complaint and transfers are answered by sections' `answers`: {err}"
    );
    // Without the declarations, the lint says what is missing.
    let data = scratch("constructs-undeclared");
    common::copy_tree(&dir(), &data);
    for f in ["konstruktioner.toml", "rattigheter.toml"] {
        let text = std::fs::read_to_string(data.join(f)).unwrap();
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with("answers = "))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(data.join(f), text).unwrap();
    }
    let err = stderr(&run(&data, &["check", "."]));
    for kind in [
        "controller",
        "dpo_contact",
        "rights",
        "complaint",
        "transfers",
    ] {
        assert!(
            err.contains(&format!("no notice answers {kind} ")),
            "{kind}: {err}"
        );
    }
}

#[test]
fn the_constructs_fixture_is_typeset_without_a_defect_in_every_edition_and_alignment() {
    let set = set();
    for l in set.notices() {
        for opts in common::all_options() {
            let (ts, report) = common::typeset_with_report(&l.notice, &opts);
            common::assert_clean(&report, &format!("{} {opts:?}", l.notice.id));
            common::assert_links_lead_somewhere_on_paper(
                &ts.display,
                &format!("{} {opts:?}", l.notice.id),
            );
            assert!(report.broken_words.is_empty(), "{:?}", report.broken_words);
            if l.notice.id == "konstruktioner" {
                // The table crosses a page: its header row stands on two pages.
                let pages_with_header = ts
                    .display
                    .pages
                    .iter()
                    .filter(|p| {
                        p.items.iter().any(|i| {
                            matches!(i, notice_pdf::layout::Item::Text(r) if r.text == "Rättslig grund")
                        })
                    })
                    .count();
                assert!(pages_with_header >= 2, "{opts:?}: the table crosses a page");
            }
        }
    }
}

#[cfg(feature = "oracles")]
#[test]
fn the_constructs_fixture_passes_verapdf_in_both_editions_and_the_pack() {
    let out = scratch("constructs-verapdf").join("output");
    common::build_into(&dir(), &out);
    let pdfs: Vec<PathBuf> = [
        "konstruktioner.pdf",
        "konstruktioner.large.pdf",
        "rattigheter.pdf",
        "integritetsinformation.pdf",
        "integritetsinformation.large.pdf",
    ]
    .iter()
    .map(|f| out.join(f))
    .collect();
    let refs: Vec<&Path> = pdfs.iter().map(PathBuf::as_path).collect();
    common::assert_verapdf_passes(&refs);
}

#[test]
fn a_lead_is_set_between_the_title_block_and_the_first_section() {
    let set = set();
    let n = &set
        .notices()
        .find(|l| l.notice.id == "konstruktioner")
        .unwrap()
        .notice;
    let dl = notice_pdf::layout::layout(n, &Options::default());
    let text: Vec<String> = dl
        .content_runs()
        .iter()
        .map(|(_, r, _)| r.text.clone())
        .collect();
    let joined = text.join(" ");
    let title = joined.find("uppgifter om dig").unwrap();
    let lead = joined.find("Här berättar vi").unwrap();
    let first = joined.find("1. Personuppgiftsansvarig").unwrap();
    assert!(title < lead && lead < first, "{joined}");
    let html = notice_pdf::html::notice(n);
    let (h1, lead, h2) = (
        html.find("<h1").unwrap(),
        html.find("Här berättar vi").unwrap(),
        html.find("1. Personuppgiftsansvarig").unwrap(),
    );
    assert!(h1 < lead && lead < h2);
}

#[test]
fn labels_are_headings_below_question_level_in_pdf_and_html() {
    let set = set();
    let n = &set
        .notices()
        .find(|l| l.notice.id == "konstruktioner")
        .unwrap()
        .notice;
    for edition in [Edition::Standard, Edition::Large] {
        let opts = Options {
            edition,
            ..Default::default()
        };
        let dl = notice_pdf::layout::layout(n, &opts);
        let level_of = |t: &str| {
            dl.structure.iter().find_map(|s| match &s.kind {
                StructKind::Heading { level, text } if text == t => Some(*level),
                _ => None,
            })
        };
        assert_eq!(level_of("Vilka uppgifter behandlar vi?"), Some(3));
        assert_eq!(level_of("Om du är privatkund:"), Some(4), "{edition}");
        assert_eq!(level_of("Om du är företagskund:"), Some(4));
        // Set below the question: not its face and size.
        let run_of = |t: &str| {
            dl.content_runs()
                .into_iter()
                .find(|(_, r, _)| r.text.starts_with(t))
                .unwrap()
                .1
                .clone()
        };
        let (q, l) = (run_of("Vilka uppgifter"), run_of("Om du är privatkund"));
        assert!(
            q.font != l.font || q.size > l.size,
            "{edition}: a label reads apart from a question"
        );
    }
    let html = notice_pdf::html::notice(n);
    assert!(html.contains("<h4 class=\"group-label\">Om du är privatkund:</h4>"));
}

#[test]
fn links_resolve_alone_and_in_a_pack() {
    let set = set();
    let loaded = set.all_valid().unwrap();
    let all: Vec<&notice_pdf::Notice> = loaded.iter().map(|l| &l.notice).collect();
    let n = all.iter().find(|n| n.id == "konstruktioner").unwrap();
    let links = |dl: &notice_pdf::DisplayList| -> Vec<String> {
        dl.structure
            .iter()
            .filter_map(|s| match &s.kind {
                StructKind::Link { url } => Some(url.clone()),
                _ => None,
            })
            .collect()
    };
    let rights = "https://www.exempelbanken.se/integritet/rattigheter.html";
    // Alone: a `notice:` link leads to the notice's address; an address stays an address.
    let alone = links(&notice_pdf::layout::layout(n, &Options::default()));
    assert_eq!(
        alone.iter().filter(|u| *u == rights).count(),
        3,
        "notice:rattigheter, notice:rattigheter#klagomal and the address: {alone:?}"
    );
    assert!(alone.iter().any(|u| u.starts_with("mailto:")));
    let html = notice_pdf::html::notice(n);
    assert_eq!(html.matches(&format!("href=\"{rights}\"")).count(), 3);
    // In a pack holding it: all three lead to its chapter; only the chapter's own way back
    // to the web names its address.
    let c = set.collection().unwrap();
    let dl = notice_pdf::layout::typeset_pack(c, &all, &all, &Options::default()).display;
    let packed = links(&dl);
    assert_eq!(
        packed.iter().filter(|u| *u == rights).count(),
        1,
        "{packed:?}"
    );
    // The contents' entry, "Dina rättigheter" and "vår webbplats".
    assert_eq!(
        packed.iter().filter(|u| *u == "notice:rattigheter").count(),
        3,
        "{packed:?}"
    );
    assert!(packed.iter().any(|u| u == "notice:rattigheter#klagomal"));
    // The policy page's own address, linked from its own text, is its chapter too.
    let policy = "https://www.exempelbanken.se/integritet/policy.html";
    assert_eq!(
        packed.iter().filter(|u| *u == policy).count(),
        1,
        "{packed:?}"
    );
    let r = notice_pdf::render(
        Document::Pack {
            collection: c,
            selected: &all,
            all: &all,
        },
        &Options::default(),
    )
    .unwrap();
    let uris = common::pdf_uris(&r.pdf);
    assert!(uris.iter().any(|u| u == "https://www.imy.se"), "{uris:?}");
    // The way back of the rights chapter only.
    assert_eq!(uris.iter().filter(|u| *u == rights).count(), 1, "{uris:?}");
    let html = notice_pdf::html::pack(c, &all, &all);
    assert_eq!(
        html.matches(&format!("href=\"{rights}\"")).count(),
        1,
        "the way back only"
    );
    assert!(html.contains("href=\"#rattigheter\""));
    assert!(html.contains("href=\"#rattigheter--klagomal\""));
}

#[test]
fn a_link_to_a_notice_counts_as_a_link_to_its_address_for_the_collection_lint() {
    let data = scratch("constructs-elsewhere");
    common::copy_tree(&dir(), &data);
    let rights = "https://www.exempelbanken.se/integritet/rattigheter.html";
    // The rights page is answered elsewhere; the notice links to it by `notice:` only.
    let c = std::fs::read_to_string(data.join("collection.toml"))
        .unwrap()
        .replace(
            "language = \"sv-SE\"",
            &format!("language = \"sv-SE\"\nanswered_elsewhere = {{ rights = \"{rights}\" }}"),
        );
    std::fs::write(data.join("collection.toml"), c).unwrap();
    for (f, from, to) in [
        ("rattigheter.toml", "answers = [\"rights\"]\n", ""),
        (
            "konstruktioner.toml",
            ", och på [vår webbplats](https://www.exempelbanken.se/integritet/rattigheter.html)",
            "",
        ),
    ] {
        let text = std::fs::read_to_string(data.join(f)).unwrap();
        assert!(text.contains(from), "{f}");
        std::fs::write(data.join(f), text.replace(from, to)).unwrap();
    }
    let err = stderr(&run(&data, &["check", "."]));
    assert!(!err.contains("no notice answers rights"), "{err}");
}

#[test]
fn new_item_kinds_are_read_and_a_legitimate_interest_needs_its_interest() {
    let set = set();
    let n = &set
        .notices()
        .find(|l| l.notice.id == "konstruktioner")
        .unwrap()
        .notice;
    let kinds: Vec<&str> = n.sections[1].items.iter().map(|i| i.kind.key()).collect();
    for k in [
        "legitimate_interest",
        "requirement",
        "automated_decisions",
        "data_source",
    ] {
        assert!(kinds.contains(&k), "{k}");
    }
    let path = notice_file(
        "constructs-interest",
        "[[sections]]\nid = \"s\"\nkind = \"info\"\nheading = \"H\"\nintro = [\"Text.\"]\n\n[[sections.items]]\nkind = \"legal_basis\"\nquestion = \"Varför?\"\nanswer = [\"Avtalet, och vårt berättigade intresse.\"]\n",
    );
    let found = findings(&path);
    assert_eq!(
        found,
        [format!(
            "warning: {}:16:30: sections[0].items[0].answer[0]: the legal basis is a legitimate interest, and the section does not say which interest (GDPR Art. 13(1)(d))",
            path.display()
        )]
    );
    // Said where it is named, or in an item of its own: no warning.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("intresse.", "intresse av att förebygga bedrägerier."),
    )
    .unwrap();
    assert!(findings(&path).is_empty());
}

#[test]
fn nothing_prints_literally_by_accident() {
    let cases: [(&str, &str, &str); 6] = [
        // A footnote: refused at the footnote.
        (
            "intro = [\"Vi sparar samtal[^1].\\n\\n[^1]: I sex månader.\"]",
            "error: {}:12:27: sections[0].intro[0]: a footnote is not allowed here",
            "footnote",
        ),
        // Emphasis in a heading: refused at the markup.
        (
            "heading = \"Vad **viktigt** är\"\nintro = [\"Text.\"]",
            "error: {}:11:16: sections[0].heading: strong emphasis (**…**) is not allowed in a heading: it would print literally",
            "strong in heading",
        ),
        // A link in a question.
        (
            "intro = [\"Text.\"]\n\n[[sections.items]]\nkind = \"other\"\nquestion = \"Se [mer](https://x.se)?\"\nanswer = [\"Svar.\"]",
            "error: {}:16:16: sections[0].items[0].question: a link ([…](…)) is not allowed in a question: it would print literally",
            "link in question",
        ),
        // A table in a list entry.
        (
            "intro = [\"Text.\", { list = [\"| a | b |\\n|---|---|\\n| 1 | 2 |\"] }]",
            "error: {}:12:30: sections[0].intro[1].list[0]: a table is not allowed here",
            "table in a list",
        ),
        // A run of spaces: warned at the run.
        (
            "intro = [\"Vi  genomför samtal.\"]",
            "warning: {}:12:13: sections[0].intro[0]: a run of spaces between words: it prints as one space",
            "double space",
        ),
        // A label running into its data.
        (
            "intro = [\"Om du är privatkund:\\nnamn och adress.\"]",
            "warning: {}:12:30: sections[0].intro[0]: a line ending in \":\" runs into the next line when printed",
            "label and soft break",
        ),
    ];
    for (body, want, what) in cases {
        let heading = if body.starts_with("heading") {
            ""
        } else {
            "heading = \"H\"\n"
        };
        let path = notice_file(
            "constructs-literal",
            &format!("\n[[sections]]\nid = \"s\"\nkind = \"info\"\n{heading}{body}\n"),
        );
        let found = findings(&path);
        let want = want.replace("{}", &path.display().to_string());
        assert!(
            found.iter().any(|f| f.starts_with(&want)),
            "{what}: {found:#?}\nwanted {want}"
        );
    }
}

#[test]
fn a_double_space_prints_as_one() {
    let t = notice_pdf::model::Text::running("Vi  genomför   samtal.");
    assert_eq!(t.plain(), "Vi genomför samtal.");
}

#[test]
fn vague_qualifiers_are_one_warning_per_use_at_the_words_whatever_is_checked() {
    let data = scratch("constructs-vague");
    common::copy_tree(&dir(), &data);
    let file = data.join("konstruktioner.toml");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "För att ingå och fullgöra avtalet om ditt konto.",
        "För att ingå avtalet. Uppgifterna kan komma att\\nsparas, exempelvis hos banker eller motsvarande.",
    );
    std::fs::write(&file, text).unwrap();
    let whole = stderr(&run(&data, &["check", "."]));
    let alone = stderr(&run(&data, &["check", "konstruktioner.toml"]));
    let warnings = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.starts_with("warning: "))
            .map(|l| l.replace("./", ""))
            .collect()
    };
    assert_eq!(
        warnings(&whole),
        [
            "warning: konstruktioner.toml:37:46: sections[1].items[0].answer[0]: vague qualifier \"kan komma att\": a reader cannot tell what happens",
            "warning: konstruktioner.toml:37:69: sections[1].items[0].answer[0]: vague qualifier \"exempelvis … eller motsvarande\": a reader cannot tell what happens",
        ]
    );
    assert_eq!(
        warnings(&alone),
        warnings(&whole),
        "check FILE lints as check DIR"
    );
    // A build counts the same for the notice.
    let out = data.parent().unwrap().join("output");
    let said = common::build_into(&data, &out);
    assert!(
        said.lines()
            .any(|l| l.contains("konstruktioner.pdf") && l.contains("2 warning(s)")),
        "{said}"
    );
}

#[test]
fn readability_counts_prose_only_and_locates_long_sentences() {
    let long = "Vi behandlar dina uppgifter för att kunna ge dig de tjänster som du har valt hos oss och för att kunna uppfylla de krav som lagar och regler ställer på oss som bank.";
    let path = notice_file(
        "constructs-lix",
        &format!(
            "\n[[sections]]\nid = \"s\"\nkind = \"info\"\nheading = \"Läs mer\"\nlist = [\"[Dina rättigheter](https://x.se/a)\", \"[Kakor och liknande tekniker](https://x.se/b)\"]\n\n[[sections]]\nid = \"t\"\nkind = \"info\"\nheading = \"Varför\"\nintro = [{{ label = \"Om du är kund:\" }}, \"{long}\"]\n"
        ),
    );
    let o = run(path.parent().unwrap(), &["check", "n.toml"]);
    let err = stderr(&o);
    assert!(
        err.contains("     –          0              0  Läs mer (ingen löptext)"),
        "a list of links has no sentences, so no LIX: {err}"
    );
    assert!(
        err.contains("          1              1  Varför ("),
        "the label is not a sentence: {err}"
    );
    assert!(
        err.contains(
            "long sentence: n.toml:18:41: sections[1].intro[1]: 33 words: \"Vi behandlar dina uppgifter för att …\""
        ),
        "{err}"
    );
}

#[test]
fn the_collection_lists_running_text_kinds_in_reading_order() {
    // Labels and lists of the answer come in the order written.
    let set = set();
    let n = &set
        .notices()
        .find(|l| l.notice.id == "konstruktioner")
        .unwrap()
        .notice;
    let mut kinds = Vec::new();
    walk(n, Which::Printed, &mut |_, step| {
        if let Step::Running { kind, .. } = step {
            kinds.push(kind);
        }
    });
    let labels = kinds.iter().filter(|k| **k == RunningKind::Label).count();
    assert_eq!(labels, 2);
}
