//! The typography report: measured quality of a typeset notice.
//!
//! Per paragraph: lines, the worst line (adjustment ratio when justified, shortfall from the
//! measure when ragged), hyphenated lines. Per document, counted on the display list itself
//! rather than trusted from the typesetter: widows, orphans, headings stranded at a page foot,
//! forbidden hyphenations (protected words, explicit-hyphen words, fewer than 2 + 3 letters
//! around the break), lines overflowing the measure, and words broken as a last resort.

use std::fmt;

use crate::layout::{Align, DisplayList, Edition, Options, ParagraphStats, StructKind, Typeset};
use crate::model::Notice;

/// Defects found on the display list. A good document has all zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Defects {
    /// A paragraph's last line alone at the top of a page.
    pub widows: usize,
    /// A paragraph's first line alone at the foot of a page.
    pub orphans: usize,
    /// A heading not followed on its page by two lines of what comes after it.
    pub stranded_headings: usize,
    /// Hyphenations the rules forbid.
    pub forbidden_hyphenations: usize,
    /// Lines reaching outside the text area.
    pub overflowing_lines: usize,
}

impl Defects {
    pub fn total(&self) -> usize {
        self.widows
            + self.orphans
            + self.stranded_headings
            + self.forbidden_hyphenations
            + self.overflowing_lines
    }
}

#[derive(Debug, Clone)]
pub struct Report {
    pub id: String,
    pub edition: Edition,
    pub align: Align,
    pub pages: usize,
    pub paragraphs: Vec<ParagraphStats>,
    pub defects: Defects,
    /// Words wider than the measure that were broken without a hyphen.
    pub broken_words: Vec<String>,
}

impl Report {
    /// Measures a typeset notice.
    pub fn new(notice: &Notice, ts: &Typeset, opts: &Options) -> Report {
        Report::measure(&notice.id, &|w| notice.is_protected(w), ts, opts)
    }

    /// Measures a typeset pack of `notices`: a word is protected if any of them protects it.
    pub fn of_pack(notices: &[&Notice], ts: &Typeset, opts: &Options) -> Report {
        let protected = |w: &str| notices.iter().any(|n| n.is_protected(w));
        Report::measure(crate::sv::PACK_ID, &protected, ts, opts)
    }

    fn measure(
        id: &str,
        is_protected: &dyn Fn(&str) -> bool,
        ts: &Typeset,
        opts: &Options,
    ) -> Report {
        Report {
            id: id.to_owned(),
            edition: opts.edition,
            align: opts.align,
            pages: ts.display.pages.len(),
            paragraphs: ts.paragraphs.clone(),
            defects: defects_where(is_protected, &ts.display),
            broken_words: ts
                .paragraphs
                .iter()
                .flat_map(|p| p.broken_words.iter().cloned())
                .collect(),
        }
    }
}

/// Counts defects on the display list of `notice`.
pub fn defects(notice: &Notice, dl: &DisplayList) -> Defects {
    defects_where(&|w| notice.is_protected(w), dl)
}

/// Counts defects on a display list; `is_protected` says which words may not be hyphenated.
pub fn defects_where(is_protected: &dyn Fn(&str) -> bool, dl: &DisplayList) -> Defects {
    let runs = dl.content_runs();
    let kind = |n: usize| &dl.structure[n].kind;
    let is_heading = |n: usize| matches!(kind(n), StructKind::Heading { .. });
    let mut d = Defects::default();

    // The pages of each node's lines, in reading order.
    let mut pages_of: Vec<Vec<usize>> = vec![Vec::new(); dl.structure.len()];
    for &(page, _, n) in &runs {
        pages_of[n].push(page);
    }

    // Widows and orphans: a text node split across pages with one line on its first or last.
    for (n, pages) in pages_of.iter().enumerate() {
        let (Some(first), Some(last)) = (pages.first(), pages.last()) else {
            continue;
        };
        if is_heading(n) || first == last {
            continue;
        }
        if pages.iter().filter(|p| *p == first).count() == 1 {
            d.orphans += 1;
        }
        if pages.iter().filter(|p| *p == last).count() == 1 {
            d.widows += 1;
        }
    }

    // Stranded headings: what follows a heading in the logical order (the next node with
    // text, bullets aside) starts on the heading's last page: a heading entirely, a text with
    // at least two lines (all of it if it has one).
    for (h, pages) in pages_of.iter().enumerate() {
        let Some(&page) = pages.last().filter(|_| is_heading(h)) else {
            continue;
        };
        let next = (h + 1..dl.structure.len())
            .find(|&m| !pages_of[m].is_empty() && !matches!(kind(m), StructKind::Label));
        let Some(next) = next else { continue };
        let need = if is_heading(next) { 1 } else { 2 };
        if pages_of[next].iter().take(need).any(|p| *p != page) {
            d.stranded_headings += 1;
        }
    }

    // Hyphenations: a line of a node ending in U+00AD, joined with the next line of that node.
    for (i, &(_, run, n)) in runs.iter().enumerate() {
        let Some(stem) = run.text.strip_suffix('\u{ad}') else {
            continue;
        };
        let left = stem.rsplit(' ').next().unwrap_or("");
        let right = runs[i + 1..]
            .iter()
            .find(|r| r.2 == n)
            .and_then(|r| r.1.text.split(' ').next())
            .unwrap_or("");
        let word: String = format!("{left}{right}");
        let core: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
        let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count();
        if is_heading(n)
            || is_protected(word.trim_matches(|c: char| !c.is_alphanumeric()))
            || is_protected(&core)
            || left.contains('-')
            || letters(left) < crate::layout::HYPHEN_MIN_LEFT
            || letters(right) < crate::layout::HYPHEN_MIN_RIGHT
        {
            d.forbidden_hyphenations += 1;
        }
    }

    // Overflow: every content run inside its page's text area.
    for &(page, run, _) in &runs {
        let [l, _, r, _] = dl.pages[page].text_area;
        if run.x < l - 0.01 || run.x + run.width() > r + 0.01 {
            d.overflowing_lines += 1;
        }
    }
    d
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let align = match self.align {
            Align::Left => "ragged right",
            Align::Justify => "justified",
        };
        writeln!(
            f,
            "typography report: {} ({} edition, {align}), {} pages",
            self.id,
            self.edition.key(),
            self.pages
        )?;
        let worst = match self.align {
            Align::Left => "rag(pt)",
            Align::Justify => "ratio",
        };
        writeln!(
            f,
            "{:>4} {:>5} {:>7} {:>4}  text",
            "#", "lines", worst, "hyph"
        )?;
        for (i, p) in self.paragraphs.iter().enumerate() {
            let w = match self.align {
                Align::Left => p.worst_rag,
                Align::Justify => p.worst_ratio,
            };
            let excerpt: String = p.text.chars().take(48).collect();
            let more = if p.text.chars().count() > 48 {
                "…"
            } else {
                ""
            };
            let kind = if p.heading { "▸ " } else { "" };
            writeln!(
                f,
                "{:>4} {:>5} {:>7.2} {:>4}  {kind}{excerpt}{more}",
                i + 1,
                p.lines,
                w,
                p.hyphenated_lines
            )?;
        }
        let d = &self.defects;
        writeln!(
            f,
            "document: widows {}, orphans {}, stranded headings {}, forbidden hyphenations {}, overflowing lines {}, \
             hyphenated lines {}, words broken without hyphen {}",
            d.widows,
            d.orphans,
            d.stranded_headings,
            d.forbidden_hyphenations,
            d.overflowing_lines,
            self.paragraphs
                .iter()
                .map(|p| p.hyphenated_lines)
                .sum::<usize>(),
            self.broken_words.len()
        )
    }
}
