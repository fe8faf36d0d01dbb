//! Running text as CommonMark (a subset), parsed with pulldown-cmark: paragraphs, bullet
//! lists, links and hard line breaks. Everything else is an error located at the construct
//! itself. The plain text (markup removed, link texts kept) is what the published page shows.
//!
//! Emphasis is set in Inter Italic, strong emphasis in Inter SemiBold; lists may be numbered and
//! nest [`MAX_LIST_DEPTH`] deep; a hard line break ends a line inside a paragraph.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::table::OpenTable;
pub use super::table::{Cell, Table};

/// A run of text, or a link around some.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    /// A hard line break (a backslash or two spaces before a line end).
    Break,
    /// Emphasis (`*…*`), set in italics.
    Emph(Vec<Inline>),
    /// Strong emphasis (`**…**`), set in semibold.
    Strong(Vec<Inline>),
    Link {
        target: Target,
        content: Vec<Inline>,
        /// Where the destination is written in the source, bytes (`notice:…` inside
        /// `[text](notice:…)`): where a link to nothing is reported.
        at: Range<usize>,
    },
}

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An `https:` or `mailto:` address.
    Url(String),
    /// Another notice of the collection (`notice:ID` or `notice:ID#section`).
    Notice { id: String, section: Option<String> },
}

/// A block of running text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    /// A list: bullets, or numbers from `start`; each item is blocks (a nested list too).
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    /// A GFM pipe table with a header row ([`super::table`]).
    Table(Table),
}

/// The CommonMark extensions parsed: GFM pipe tables (running text may hold them) and
/// footnotes (always refused, at the footnote, rather than printed as `[^1]`).
const OPTIONS: Options = Options::ENABLE_TABLES.union(Options::ENABLE_FOOTNOTES);

/// How deep lists may nest.
pub const MAX_LIST_DEPTH: usize = 3;

/// An inline container being parsed, and what it becomes when it closes.
#[derive(Default)]
enum Open {
    #[default]
    Block,
    Link(Target, Range<usize>),
    Emph,
    Strong,
}

/// A construct that is not allowed, with its byte range in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub at: Range<usize>,
    pub message: String,
}

/// Calls `visit` with every link in `blocks`, in reading order: its target and where its
/// destination is written in the source.
pub fn for_each_link(blocks: &[Block], visit: &mut dyn FnMut(&Target, &Range<usize>)) {
    fn link_inlines(inlines: &[Inline], visit: &mut dyn FnMut(&Target, &Range<usize>)) {
        for i in inlines {
            match i {
                Inline::Link {
                    target,
                    content,
                    at,
                } => {
                    visit(target, at);
                    link_inlines(content, visit);
                }
                Inline::Emph(c) | Inline::Strong(c) => link_inlines(c, visit),
                Inline::Text(_) | Inline::Break => {}
            }
        }
    }
    for b in blocks {
        match b {
            Block::Paragraph(p) => link_inlines(p, visit),
            Block::List { items, .. } => items.iter().for_each(|i| for_each_link(i, visit)),
            Block::Table(t) => t.cells().for_each(|c| link_inlines(c, visit)),
        }
    }
}

/// The first markup in a plain-text value (a heading, a question), which would print
/// literally: its byte offset and what it is. A line starting "1. " or "- " is text there.
pub fn markup_in_plain(src: &str) -> Option<(usize, &'static str)> {
    Parser::new_ext(src, OPTIONS)
        .into_offset_iter()
        .find_map(|(event, at)| {
            let what = match event {
                Event::Start(Tag::Emphasis) => "emphasis (*…*)",
                Event::Start(Tag::Strong) => "strong emphasis (**…**)",
                Event::Start(Tag::Link { .. }) => "a link ([…](…))",
                Event::Start(Tag::Image { .. }) => "an image",
                Event::Start(Tag::Table(_)) => "a table",
                Event::Code(_) => "code (`…`)",
                Event::InlineHtml(_) | Event::Html(_) => "HTML",
                Event::FootnoteReference(_) => "a footnote ([^…])",
                _ => return None,
            };
            Some((at.start, what))
        })
}

/// The plain text of blocks: each paragraph (and list entry) on a line of its own.
pub fn blocks_plain(blocks: &[Block]) -> String {
    fn lines(blocks: &[Block], out: &mut Vec<String>) {
        for b in blocks {
            match b {
                Block::Paragraph(p) => out.push(plain(p)),
                Block::List { items, .. } => items.iter().for_each(|i| lines(i, out)),
                // A cell a line, in reading order.
                Block::Table(t) => out.extend(t.cells().map(|c| plain(c))),
            }
        }
    }
    let mut out = Vec::new();
    lines(blocks, &mut out);
    out.join("\n")
}

/// The plain text of inlines, link texts kept, a hard line break as a newline.
pub fn plain(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text(t) => out.push_str(t),
            Inline::Break => out.push('\n'),
            Inline::Link { content, .. } | Inline::Emph(content) | Inline::Strong(content) => {
                out.push_str(&plain(content))
            }
        }
    }
    out
}

fn refuse(at: Range<usize>, what: &str, hint: &str) -> Refused {
    Refused {
        at,
        message: format!("{what} is not allowed here; {hint}"),
    }
}

fn target(url: &str) -> Result<Target, String> {
    if let Some(rest) = url.strip_prefix("notice:") {
        let (id, section) = match rest.split_once('#') {
            Some((id, s)) => (id, Some(s.to_owned())),
            None => (rest, None),
        };
        if !crate::model::valid_id(id)
            || section
                .as_deref()
                .is_some_and(|s| !crate::model::valid_id(s))
        {
            return Err(format!(
                "\"{url}\" is not a notice link: write notice:ID or notice:ID#section"
            ));
        }
        return Ok(Target::Notice {
            id: id.to_owned(),
            section,
        });
    }
    if url.starts_with("https://") {
        // The same rule as a notice's own address: printed, it must be typeable.
        return super::url::check_url(url).map(|()| Target::Url(url.to_owned()));
    }
    if url.starts_with("mailto:") && url.contains('@') && url.chars().all(|c| c.is_ascii_graphic())
    {
        Ok(Target::Url(url.to_owned()))
    } else {
        Err(format!(
            "{} is not a link address: use https://…, mailto:… or notice:ID",
            crate::error::quoted(url)
        ))
    }
}

/// A list being parsed: its numbering start and items so far.
struct OpenList {
    start: Option<u64>,
    items: Vec<Vec<Block>>,
}

/// Where a finished block goes: the innermost open list item, or the top level.
fn put(block: Block, lists: &mut [OpenList], blocks: &mut Vec<Block>) {
    match lists.last_mut().and_then(|l| l.items.last_mut()) {
        Some(item) => item.push(block),
        None => blocks.push(block),
    }
}

/// Whether a paragraph's source starts like a table row (`| a | b |`): a table whose line of
/// `---` under the header is missing or does not match it is a paragraph to CommonMark.
fn looks_like_a_table(paragraph: &str) -> bool {
    let first = paragraph.lines().next().unwrap_or_default().trim();
    first.starts_with('|') && first.len() > 1 && first[1..].contains('|')
}

/// Where a running text stands, and so which blocks it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// A paragraph of an intro, an answer or a lead: paragraphs, lists and tables.
    Running,
    /// An entry of a `{ list = [...] }`: paragraphs and nested lists, no table.
    Entry,
    /// A label: one paragraph of inline text.
    Inline,
}

std::thread_local! {
    /// How many values this thread has parsed: the test that a notice is parsed once per load
    /// reads it.
    static PARSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many running-text values this thread has parsed so far.
#[doc(hidden)]
pub fn parses() -> usize {
    PARSES.with(|p| p.get())
}

/// Parses one value of running text ([`Context::Running`]).
pub fn parse(src: &str) -> Result<Vec<Block>, Refused> {
    parse_in(src, Context::Running)
}

/// Parses a value that must be one paragraph of inline text ([`Context::Inline`]).
pub fn parse_inline(src: &str) -> Result<Vec<Block>, Refused> {
    parse_in(src, Context::Inline)
}

/// Parses an entry of a list ([`Context::Entry`]).
pub fn parse_entry(src: &str) -> Result<Vec<Block>, Refused> {
    parse_in(src, Context::Entry)
}

/// Where `text` holds a footnote reference (`[^1]`, `[^not]`), byte offset.
fn footnote_in(text: &str) -> Option<usize> {
    let at = text.find("[^")?;
    let rest = &text[at + 2..];
    let end = rest.find(']')?;
    (end > 0 && !rest[..end].contains(char::is_whitespace)).then_some(at)
}

/// Markup left open in text as written (`raw`, starting at byte `start` of the value), which
/// would print as it is: a `**` or `__` that closes nothing, a link whose `](` is not closed.
/// An escaped marker (`\*\*`) is text and passes.
fn stray_markup(raw: &str, start: usize) -> Option<Refused> {
    let (at, message) = [
        ("**", "\"**\" opens strong emphasis that is never closed, so it would print as written; close it (**words**) or leave it out"),
        ("__", "\"__\" opens strong emphasis that is never closed, so it would print as written; close it (__words__) or leave it out"),
        ("](", "a link is not closed, so it would print as written; write [text](https://…) with its closing parenthesis"),
    ]
    .into_iter()
    .find_map(|(marker, message)| raw.find(marker).map(|at| (at, message)))?;
    Some(Refused {
        at: start + at..start + raw.len(),
        message: message.to_owned(),
    })
}

/// Appends text to inlines, a run of spaces set as one (as a browser shows it).
fn push_text(inlines: &mut Vec<Inline>, t: &str) {
    let mut t = t;
    if let Some(Inline::Text(prev)) = inlines.last()
        && prev.ends_with(' ')
    {
        t = t.trim_start_matches(' ');
    }
    let mut collapsed = String::with_capacity(t.len());
    for c in t.chars() {
        if !(c == ' ' && collapsed.ends_with(' ')) {
            collapsed.push(c);
        }
    }
    match inlines.last_mut() {
        Some(Inline::Text(prev)) => prev.push_str(&collapsed),
        _ if collapsed.is_empty() => {}
        _ => inlines.push(Inline::Text(collapsed)),
    }
}

/// Parses one text value standing in `ctx`.
pub fn parse_in(src: &str, ctx: Context) -> Result<Vec<Block>, Refused> {
    PARSES.with(|p| p.set(p.get() + 1));
    let blocks = parse_events(src, ctx)?;
    // A footnote whose definition is missing is text to CommonMark: refused all the same.
    if let Some(at) = footnote_in(&blocks_plain(&blocks)).and_then(|_| {
        let mut from = 0;
        while let Some(o) = src[from..].find("[^") {
            if footnote_in(&src[from + o..]) == Some(0) {
                return Some(from + o);
            }
            from += o + 2;
        }
        None
    }) {
        return Err(refuse(
            at..src.len(),
            "a footnote",
            "say it in the text itself, in a sentence or a paragraph of its own",
        ));
    }
    if ctx == Context::Inline && !matches!(blocks.as_slice(), [Block::Paragraph(_)]) {
        return Err(Refused {
            at: 0..src.len(),
            message: "a label is one line of text; lists and paragraphs are not allowed here"
                .into(),
        });
    }
    Ok(blocks)
}

fn parse_events(src: &str, ctx: Context) -> Result<Vec<Block>, Refused> {
    let mut blocks = Vec::new();
    // Open inline containers: the inlines being collected, and what closes them.
    let mut stack: Vec<(Vec<Inline>, Open)> = Vec::new();
    let mut lists: Vec<OpenList> = Vec::new();
    let mut table: Option<OpenTable> = None;
    // Text as written, over consecutive text events (the parser splits it at every marker).
    let mut written: Option<Range<usize>> = None;
    for (event, at) in Parser::new_ext(src, OPTIONS).into_offset_iter() {
        let is_text = matches!(event, Event::Text(_));
        if let Some(run) = written.take_if(|run| !(is_text && run.end == at.start))
            && let Some(refused) = stray_markup(&src[run.clone()], run.start)
        {
            return Err(refused);
        }
        if is_text {
            written = Some(written.map_or(at.clone(), |run| run.start..at.end));
        }
        match event {
            Event::Start(Tag::Paragraph) => {
                if looks_like_a_table(&src[at.clone()]) {
                    return Err(refuse(
                        at,
                        "a table without a header row",
                        "write the column headings first, then a line such as |---|---| with \
                         one --- per column, then the rows",
                    ));
                }
                stack.push((Vec::new(), Open::Block));
            }
            Event::End(TagEnd::Paragraph) => {
                let (inlines, _) = stack.pop().unwrap_or_default();
                put(Block::Paragraph(inlines), &mut lists, &mut blocks);
            }
            Event::Start(Tag::List(start)) => {
                if lists.len() == MAX_LIST_DEPTH {
                    return Err(Refused {
                        at,
                        message: format!(
                            "a list nested more than {MAX_LIST_DEPTH} deep is not allowed here; \
                             flatten it"
                        ),
                    });
                }
                // The text of a tight item before its nested list is a paragraph of its own.
                if !lists.is_empty()
                    && let Some((inlines, Open::Block)) = stack.last_mut()
                    && !inlines.is_empty()
                {
                    let p = Block::Paragraph(std::mem::take(inlines));
                    put(p, &mut lists, &mut blocks);
                }
                lists.push(OpenList {
                    start,
                    items: Vec::new(),
                });
            }
            Event::End(TagEnd::List(_)) => {
                if let Some(l) = lists.pop() {
                    let list = Block::List {
                        start: l.start,
                        items: l.items,
                    };
                    put(list, &mut lists, &mut blocks);
                }
            }
            Event::Start(Tag::Item) => {
                if let Some(l) = lists.last_mut() {
                    l.items.push(Vec::new());
                }
                stack.push((Vec::new(), Open::Block));
            }
            Event::End(TagEnd::Item) => {
                let (inlines, _) = stack.pop().unwrap_or_default();
                if !inlines.is_empty() {
                    put(Block::Paragraph(inlines), &mut lists, &mut blocks);
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                if !matches!(link_type, LinkType::Inline) {
                    return Err(refuse(
                        at,
                        "a reference or automatic link",
                        "write [text](address)",
                    ));
                }
                let t = target(&dest_url).map_err(|message| Refused {
                    at: at.clone(),
                    message,
                })?;
                // The destination inside `[text](destination)`.
                let written = src[at.clone()]
                    .rfind(dest_url.as_ref())
                    .map_or(at.clone(), |o| at.start + o..at.start + o + dest_url.len());
                stack.push((Vec::new(), Open::Link(t, written)));
            }
            Event::Start(Tag::Table(_)) if ctx != Context::Running => {
                return Err(refuse(
                    at,
                    "a table",
                    "a table stands in a paragraph of an intro, an answer or a lead, not in a list or a label",
                ));
            }
            Event::Start(Tag::Table(_)) => {
                // The text of a tight item before the table is a paragraph of its own.
                if !lists.is_empty()
                    && let Some((inlines, Open::Block)) = stack.last_mut()
                    && !inlines.is_empty()
                {
                    let p = Block::Paragraph(std::mem::take(inlines));
                    put(p, &mut lists, &mut blocks);
                }
                table = Some(OpenTable::new());
            }
            Event::Start(Tag::TableHead) => table.iter_mut().for_each(OpenTable::head),
            Event::Start(Tag::TableRow) => {
                if let Some(t) = &mut table {
                    t.row(src, at)?;
                }
            }
            Event::Start(Tag::TableCell) => stack.push((Vec::new(), Open::Block)),
            Event::End(TagEnd::TableCell) => {
                let (inlines, _) = stack.pop().unwrap_or_default();
                if let Some(t) = &mut table {
                    t.cell(inlines, at)?;
                }
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                table.iter_mut().for_each(OpenTable::end_row);
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    put(Block::Table(t.finish()), &mut lists, &mut blocks);
                }
            }
            Event::Start(Tag::Emphasis) => stack.push((Vec::new(), Open::Emph)),
            Event::Start(Tag::Strong) => stack.push((Vec::new(), Open::Strong)),
            Event::End(TagEnd::Link | TagEnd::Emphasis | TagEnd::Strong) => {
                let (content, open) = stack.pop().unwrap_or_default();
                let inline = match open {
                    Open::Link(target, at) => Inline::Link {
                        target,
                        content,
                        at,
                    },
                    Open::Emph => Inline::Emph(content),
                    Open::Strong => Inline::Strong(content),
                    Open::Block => continue,
                };
                if let Some((parent, _)) = stack.last_mut() {
                    parent.push(inline);
                }
            }
            Event::Text(t) => match stack.last_mut() {
                Some((inlines, _)) => push_text(inlines, &t),
                None => {
                    return Err(refuse(
                        at,
                        "text outside a paragraph",
                        "write plain paragraphs",
                    ));
                }
            },
            Event::SoftBreak => {
                if let Some((inlines, _)) = stack.last_mut() {
                    push_text(inlines, " ");
                }
            }
            Event::HardBreak => {
                if let Some((inlines, _)) = stack.last_mut() {
                    inlines.push(Inline::Break);
                }
            }
            Event::Start(Tag::Heading { .. }) => {
                return Err(refuse(
                    at,
                    "a heading",
                    "a heading belongs in `heading` or `question`",
                ));
            }
            Event::Start(Tag::Image { .. }) => {
                return Err(refuse(at, "an image", "notices hold text only"));
            }
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => {
                return Err(refuse(at, "code", "notices hold plain text"));
            }
            Event::Html(_) | Event::InlineHtml(_) | Event::Start(Tag::HtmlBlock) => {
                return Err(refuse(at, "HTML", "write the text itself"));
            }
            Event::Start(Tag::BlockQuote(_)) => {
                return Err(refuse(at, "a block quote", "write plain paragraphs"));
            }
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_)) => {
                return Err(refuse(
                    at,
                    "a footnote",
                    "say it in the text itself, in a sentence or a paragraph of its own",
                ));
            }
            Event::Rule => {
                return Err(refuse(
                    at,
                    "a horizontal rule",
                    "sections are separated for you",
                ));
            }
            Event::Start(_) => {
                return Err(refuse(
                    at,
                    "this construct",
                    "write plain paragraphs and lists",
                ));
            }
            _ => {}
        }
    }
    if let Some(refused) = written.and_then(|run| stray_markup(&src[run.clone()], run.start)) {
        return Err(refused);
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn plain_text_is_one_paragraph_unchanged() {
        let s = "Vi sparar personuppgifterna i 6 månader, e-postadress och telefonnummer.";
        assert_eq!(parse(s).unwrap(), [Block::Paragraph(vec![text(s)])]);
    }

    #[test]
    fn links_lists_and_breaks() {
        let b = parse("Läs [mer](https://www.avanza.se/x.html) här.\nRad två.\n\n- ett\n- [två](notice:kundservice#las-mer)\n").unwrap();
        assert_eq!(
            b,
            [
                Block::Paragraph(vec![
                    text("Läs "),
                    Inline::Link {
                        target: Target::Url("https://www.avanza.se/x.html".into()),
                        content: vec![text("mer")],
                        at: 11..39,
                    },
                    text(" här. Rad två."),
                ]),
                Block::List {
                    start: None,
                    items: vec![
                        vec![Block::Paragraph(vec![text("ett")])],
                        vec![Block::Paragraph(vec![Inline::Link {
                            target: Target::Notice {
                                id: "kundservice".into(),
                                section: Some("las-mer".into())
                            },
                            content: vec![text("två")],
                            at: 73..99,
                        }])],
                    ]
                },
            ]
        );
        assert_eq!(
            plain(match &b[0] {
                Block::Paragraph(p) => p,
                _ => unreachable!(),
            }),
            "Läs mer här. Rad två."
        );
    }

    #[test]
    fn hard_breaks_are_kept() {
        assert_eq!(
            parse("Avanza Bank AB\\\n106 63 Stockholm").unwrap(),
            [Block::Paragraph(vec![
                text("Avanza Bank AB"),
                Inline::Break,
                text("106 63 Stockholm")
            ])]
        );
    }

    #[test]
    fn emphasis_nests() {
        assert_eq!(
            parse("Ett *viktigt **ord***.").unwrap(),
            [Block::Paragraph(vec![
                text("Ett "),
                Inline::Emph(vec![text("viktigt "), Inline::Strong(vec![text("ord")])]),
                text("."),
            ])]
        );
    }

    #[test]
    fn lists_number_and_nest() {
        let b = parse("Om du är privatkund:\n\n1. ett\n   - a\n   - b\n2. två\n").unwrap();
        let p = |t: &str| Block::Paragraph(vec![text(t)]);
        assert_eq!(
            b,
            [
                p("Om du är privatkund:"),
                Block::List {
                    start: Some(1),
                    items: vec![
                        vec![
                            p("ett"),
                            Block::List {
                                start: None,
                                items: vec![vec![p("a")], vec![p("b")]]
                            }
                        ],
                        vec![p("två")],
                    ]
                }
            ]
        );
        assert_eq!(
            blocks_plain(&parse("1. ett\n   - a\n2. två").unwrap()),
            "ett\na\ntvå"
        );
    }

    #[test]
    fn markup_left_open_is_refused_where_it_is_written() {
        let src = "För att **administrera och hantera kundförhållandet.";
        let e = parse(src).unwrap_err();
        assert_eq!(&src[e.at.start..e.at.start + 2], "**", "{}", e.message);
        assert!(e.message.contains("never closed"), "{}", e.message);
        let src = "För att [administrera](https://example.se och hantera";
        let e = parse(src).unwrap_err();
        assert!(src[e.at.start..].starts_with("]("), "{}", e.message);
        assert!(e.message.contains("link is not closed"), "{}", e.message);
        // Closed, escaped or single markers are text as intended.
        for ok in [
            "Vi **sparar** samtal.",
            "Vi \\*\\*sparar samtal.",
            "Se [villkoren](https://example.se/v).",
            "Ett [exempel] i hakparentes.",
            "5 * 3 = 15",
        ] {
            assert!(
                parse(ok).is_ok(),
                "{ok}: {:?}",
                parse(ok).err().map(|e| e.message)
            );
        }
    }

    #[test]
    fn refused_constructs_are_located() {
        for (src, what, at) in [
            ("Text <b>fet</b>.", "HTML", 5),
            ("# Rubrik", "a heading", 0),
            ("Se ![bild](https://x.se/a.png)", "an image", 3),
            ("Kod `x`.", "code", 4),
            (
                "- a\n  - b\n    - c\n      - d",
                "nested more than 3 deep",
                24,
            ),
            ("[x](http://osäker.se)", "is not a link address", 0),
            ("Vi sparar samtal[^1].", "a footnote", 16),
            ("Se not[^a].\n\n[^a]: Noten.", "a footnote", 6),
        ] {
            let e = parse(src).unwrap_err();
            assert!(e.message.contains(what), "{src}: {}", e.message);
            assert_eq!(e.at.start, at, "{src}");
        }
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        /// Text made of words, markup and line ends, as an editor might write it.
        fn markdown() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                "[a-zåäö]{1,12}",
                Just(" ".to_owned()),
                Just("\n".to_owned()),
                Just("\n\n".to_owned()),
                Just("*".to_owned()),
                Just("**".to_owned()),
                Just("- ".to_owned()),
                Just("1. ".to_owned()),
                Just("  ".to_owned()),
                Just("\\\n".to_owned()),
                Just("[länk](https://www.avanza.se/a)".to_owned()),
                Just("[x](notice:kundservice)".to_owned()),
                Just("<b>".to_owned()),
                Just("`".to_owned()),
                Just("#".to_owned()),
                Just(" | ".to_owned()),
                Just("\n|---|---|\n".to_owned()),
            ];
            proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(crate::layout::proptest_cases(256)))]

            /// Parsing never panics; a refusal points inside the text; an accepted text's
            /// letters all come back in its plain text, in order.
            #[test]
            fn parsing_keeps_every_word(src in markdown()) {
                match parse(&src) {
                    Err(e) => prop_assert!(e.at.start <= src.len()),
                    Ok(_) => {
                        // Every letter of the text, link addresses aside, in order.
                        let letters = |s: &str| -> String {
                            s.replace("(https://www.avanza.se/a)", "")
                                .replace("(notice:kundservice)", "")
                                .chars()
                                .filter(|c| c.is_alphabetic())
                                .collect()
                        };
                        prop_assert_eq!(letters(&blocks_plain(&parse(&src).unwrap())), letters(&src));
                    }
                }
            }
        }
    }
}
