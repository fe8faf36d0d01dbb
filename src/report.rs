//! The typography report: measured quality of a typeset notice.
//!
//! Per paragraph: lines, the worst line (adjustment ratio when justified, shortfall from the
//! measure when ragged), hyphenated lines. Per document, counted on the display list itself
//! rather than trusted from the typesetter: widows, orphans, headings stranded at a page foot,
//! forbidden hyphenations (protected words, explicit-hyphen words, fewer than 3 + 3 letters
//! around the break), hyphens inside a compound's element rather than at its joint, lines overflowing the measure, a section rule at the top of a page, a
//! running head cut inside a word, a page holding only the closing block, and words broken as
//! a last resort.

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
    /// A heading not followed on its page by two lines of what comes after it, or by three
    /// lines of what it heads when that goes on over the page.
    pub stranded_headings: usize,
    /// Hyphenations the rules forbid.
    pub forbidden_hyphenations: usize,
    /// Compounds hyphenated inside an element ("transaktionsrap-portering") rather than at a
    /// joint ("transaktions-rapportering"; [`crate::sv::compound`]); a word wider than its
    /// line, which must break somewhere, is not counted.
    pub hyphens_inside_elements: usize,
    /// Lines reaching outside the text area.
    pub overflowing_lines: usize,
    /// A section's rule at the top of a page, under the running head's hairline.
    pub rules_at_page_top: usize,
    /// A running head shortened inside a word ("… i våra tj…").
    pub cut_running_heads: usize,
    /// A page holding only the closing block (the updated note, the way back and its code).
    pub lonely_closing_blocks: usize,
}

impl Defects {
    pub fn total(&self) -> usize {
        self.widows
            + self.orphans
            + self.stranded_headings
            + self.forbidden_hyphenations
            + self.hyphens_inside_elements
            + self.overflowing_lines
            + self.rules_at_page_top
            + self.cut_running_heads
            + self.lonely_closing_blocks
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
    /// Compounds hyphenated inside an element rather than at a joint, as set
    /// ("transaktionsrap-portering").
    pub hyphens_inside_elements: Vec<String>,
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
            hyphens_inside_elements: hyphenations(&ts.display)
                .iter()
                .filter(|h| h.inside_element() && !h.fills_line)
                .map(Hyphenation::to_string)
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
    let runs = dl.reading_runs();
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
    // at least two lines (all of it if it has one). Each stranded heading counts once.
    let mut stranded = std::collections::BTreeSet::new();
    for (h, pages) in pages_of.iter().enumerate() {
        let Some(&page) = pages.last().filter(|_| is_heading(h)) else {
            continue;
        };
        let next = (h + 1..dl.structure.len())
            .find(|&m| !pages_of[m].is_empty() && !matches!(kind(m), StructKind::Label));
        let Some(next) = next else { continue };
        let need = if is_heading(next) { 1 } else { 2 };
        if pages_of[next].iter().take(need).any(|p| *p != page) {
            stranded.insert(h);
        }
    }

    // Stranded by scope: a heading whose scope (what follows until a heading of its level or
    // higher) goes on over the page with at most two of its lines under it.
    let level_of = |n: usize| match kind(n) {
        StructKind::Heading { level, .. } => Some(*level),
        _ => None,
    };
    // The heading a node belongs to, when it is one or is inside one (a heading's runs).
    let heading_of = |mut n: usize| loop {
        if level_of(n).is_some() {
            return Some(n);
        }
        n = dl.structure[n].parent?;
    };
    for (i, &(page, _, n)) in runs.iter().enumerate() {
        let Some(level) = level_of(n) else { continue };
        // The heading's last run.
        if runs[i + 1..].first().is_some_and(|r| r.2 == n) {
            continue;
        }
        let scope_end = runs[i + 1..]
            .iter()
            .position(|r| {
                heading_of(r.2)
                    .and_then(level_of)
                    .is_some_and(|l| l <= level)
            })
            .map_or(runs.len(), |o| i + 1 + o);
        let scope = &runs[i + 1..scope_end];
        let goes_on = scope.iter().any(|r| r.0 > page);
        let mut lines: Vec<(usize, i64)> = scope
            .iter()
            .filter(|r| r.0 == page)
            .map(|r| (r.0, (r.1.y * 100.0) as i64))
            .collect();
        lines.dedup();
        if goes_on && lines.len() <= 2 && !scope.is_empty() {
            stranded.insert(n);
        }
    }
    d.stranded_headings = stranded.len();

    // A section's rule above every content line of its page: at the page top.
    for (p, page) in dl.pages.iter().enumerate() {
        let mut lines = runs.iter().filter(|r| r.0 == p).map(|r| r.1.y).peekable();
        if lines.peek().is_none() {
            continue;
        }
        let first_line = lines.fold(f32::INFINITY, f32::min);
        d.rules_at_page_top += page
            .items
            .iter()
            .filter(|item| {
                matches!(item, crate::layout::Item::Rule(r)
                    if r.marks == crate::layout::RuleMarks::Section && r.y0 < first_line)
            })
            .count();
    }

    // A running head cut inside a word: its text ends in "…" right after a letter.
    for page in &dl.pages {
        for item in &page.items {
            if let crate::layout::Item::Text(t) = item
                && matches!(
                    t.role,
                    crate::layout::Role::Artifact(crate::layout::ArtifactKind::Header)
                )
                && t.text
                    .strip_suffix('…')
                    .and_then(|s| s.chars().next_back())
                    .is_some_and(char::is_alphanumeric)
            {
                d.cut_running_heads += 1;
            }
        }
    }

    // A page holding only the closing block: the QR code's figure and the paragraphs before
    // it that stand beside it (the way back and the updated note: siblings of the figure).
    for (f, node) in dl.structure.iter().enumerate() {
        if !matches!(&node.kind, StructKind::Figure { alt } if alt.starts_with(crate::sv::QR_ALT_PREFIX))
        {
            continue;
        }
        let mut closing = vec![f];
        let mut m = f;
        while m > 0 {
            m -= 1;
            let sibling =
                dl.structure[m].parent == node.parent && matches!(kind(m), StructKind::Paragraph);
            let link_in_sibling = matches!(kind(m), StructKind::Link { .. })
                && dl.structure[m]
                    .parent
                    .is_some_and(|p| dl.structure[p].parent == node.parent);
            if !(sibling || link_in_sibling) {
                break;
            }
            closing.push(m);
        }
        let pages: std::collections::BTreeSet<usize> = runs
            .iter()
            .filter(|r| closing.contains(&r.2))
            .map(|r| r.0)
            .collect();
        for p in pages {
            if runs
                .iter()
                .filter(|r| r.0 == p)
                .all(|r| closing.contains(&r.2))
            {
                d.lonely_closing_blocks += 1;
            }
        }
    }

    for h in hyphenations(dl) {
        let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count();
        let word = format!("{}{}", h.left, h.right);
        let core: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
        if is_heading(h.node)
            || is_protected(word.trim_matches(|c: char| !c.is_alphanumeric()))
            || is_protected(&core)
            || h.left.contains('-')
            || letters(&h.left) < crate::layout::HYPHEN_MIN_LEFT
            || letters(&h.right) < crate::layout::HYPHEN_MIN_RIGHT
        {
            d.forbidden_hyphenations += 1;
        } else if h.inside_element() && !h.fills_line {
            d.hyphens_inside_elements += 1;
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

/// A word hyphenated at a line's end, as a reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Hyphenation {
    /// The structure node (paragraph, list item, cell) the word is in.
    pub node: usize,
    /// The word's part before the hyphen and after it, with any punctuation around the word.
    pub left: String,
    pub right: String,
    /// The line holds nothing but the part before the hyphen: the word is wider than the line
    /// and had to be broken somewhere.
    pub fills_line: bool,
}

impl Hyphenation {
    /// The word is a compound ([`crate::sv::compound`]) broken inside one of its elements
    /// ("transaktionsrap-portering"), not at a joint.
    pub fn inside_element(&self) -> bool {
        let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).collect::<String>();
        let left = letters(&self.left);
        let joints = crate::sv::compound::joints(&format!("{left}{}", letters(&self.right)));
        !joints.is_empty() && !joints.contains(&left.len())
    }
}

impl fmt::Display for Hyphenation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.left, self.right)
    }
}

/// The hyphenations on a display list, in reading order: a content line ending in U+00AD,
/// joined with the next line of its node.
pub fn hyphenations(dl: &DisplayList) -> Vec<Hyphenation> {
    let runs = dl.reading_runs();
    let mut out = Vec::new();
    for (i, &(_, run, node)) in runs.iter().enumerate() {
        let Some(stem) = run.text.strip_suffix('\u{ad}') else {
            continue;
        };
        let right = runs[i + 1..]
            .iter()
            .find(|r| r.2 == node)
            .and_then(|r| r.1.text.split(' ').next())
            .unwrap_or("");
        out.push(Hyphenation {
            node,
            left: stem.rsplit(' ').next().unwrap_or("").to_owned(),
            right: right.to_owned(),
            fills_line: !stem.contains(' '),
        });
    }
    out
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
             hyphens inside a compound's element {}, \
             rules at a page top {}, running heads cut in a word {}, pages with only the closing block {}, \
             hyphenated lines {}, words broken without hyphen {}",
            d.widows,
            d.orphans,
            d.stranded_headings,
            d.forbidden_hyphenations,
            d.overflowing_lines,
            d.hyphens_inside_elements,
            d.rules_at_page_top,
            d.cut_running_heads,
            d.lonely_closing_blocks,
            self.paragraphs
                .iter()
                .map(|p| p.hyphenated_lines)
                .sum::<usize>(),
            self.broken_words.len()
        )
    }
}
