//! Finding a notice on the agents' page: the words an agent types, matched against what a
//! notice says it covers. One implementation serves the page without script (`/?q=`) and
//! the page's filter (`/search.json?q=`), so both show the same notices.

use crate::model::Notice;

/// The longest query taken, in characters (longer ones are cut: no title is longer).
const MAX_QUERY_CHARS: usize = 100;

/// The most words of a query taken.
const MAX_WORDS: usize = 10;

/// A query: its words, lowercased. A notice matches when every word occurs in its title,
/// summary, printed section headings or questions (case aside; part of a word is enough:
/// "samtal" finds "Inspelade samtal" and "telefonsamtal").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Query {
    /// The query as taken (trimmed, cut to [`MAX_QUERY_CHARS`]): what the search box shows.
    pub text: String,
    words: Vec<String>,
}

impl Query {
    pub(super) fn parse(q: &str) -> Query {
        let cut: String = q.trim().chars().take(MAX_QUERY_CHARS).collect();
        let text = cut.trim_end().to_owned();
        let words = text.split_whitespace().take(MAX_WORDS).map(fold).collect();
        Query { text, words }
    }

    /// The `q` of a request's query string, parsed.
    pub(super) fn from_query_string(query: Option<&str>) -> Query {
        let q = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .find(|(k, _)| k == "q")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        Query::parse(&q)
    }

    /// No words: every notice is shown.
    pub(super) fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub(super) fn matches(&self, n: &Notice) -> bool {
        if self.is_empty() {
            return true;
        }
        let haystack = haystack(n);
        self.words.iter().all(|w| haystack.contains(w.as_str()))
    }
}

/// A text as it is compared: lowercase, no-break spaces as spaces, soft hyphens out.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '\u{ad}')
        .map(|c| if c == '\u{a0}' { ' ' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a notice is searched by: its title, summary, printed section headings and
/// questions, one a line.
fn haystack(n: &Notice) -> String {
    let mut parts: Vec<&str> = vec![&n.title, &n.summary];
    for s in n.printed_sections() {
        parts.push(&s.heading);
        parts.extend(s.items.iter().map(|i| i.question.as_str()));
    }
    fold(&parts.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn notice() -> Notice {
        crate::model::parse(
            Path::new("t.toml"),
            r#"
id = "t"
title = "Kontakt med kundtjänsten"
summary = "Inspelade SAMTAL och chattar."
language = "sv-SE"
publisher = "P"
updated = "2024-01-01"

[[sections]]
id = "a"
heading = "När du ringer till oss"
intro = ["Brödtext om e-post söks inte."]

[[sections.items]]
kind = "retention"
question = "Hur länge sparar vi uppgifterna?"
answer = ["I sex månader."]

[[sections]]
id = "web"
web_only = true
heading = "Kakinställningar"
intro = ["Knapp."]
"#,
        )
        .unwrap()
    }

    #[test]
    fn every_word_must_occur_in_the_title_summary_headings_or_questions() {
        let n = notice();
        for (q, want) in [
            ("", true),
            ("samtal", true),
            ("Samtal", true),
            ("  SAMTAL   sparar ", true),
            ("kundtjänst", true),
            ("ringer", true),
            ("hur länge", true),
            ("samtal nyhetsbrev", false),
            // Running text and web-only sections are not searched.
            ("e-post", false),
            ("kakinställningar", false),
        ] {
            assert_eq!(Query::parse(q).matches(&n), want, "{q:?}");
        }
    }

    #[test]
    fn a_query_is_read_from_the_query_string_and_bounded() {
        let q = Query::from_query_string(Some("edition=large&q=inspelade+samtal%C2%A0"));
        assert_eq!(q.text, "inspelade samtal");
        assert!(q.matches(&notice()));
        assert!(Query::from_query_string(None).is_empty());
        let long = Query::parse(&"ord ".repeat(100));
        assert_eq!(long.text.chars().count(), MAX_QUERY_CHARS - 1);
        assert_eq!(long.words.len(), MAX_WORDS);
    }
}
