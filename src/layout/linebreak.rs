//! Total-fit line breaking (Knuth & Plass, "Breaking Paragraphs into Lines", 1981).
//!
//! The whole paragraph is considered at once: among all ways to break it, the one with the
//! least total demerits wins. Justified text is scored by the adjustment ratio of its glue;
//! ragged-right text by how far each line falls short of the measure (the last line is free),
//! so the algorithm minimises raggedness instead of filling lines greedily. At most
//! [`Params::max_hyphen_run`] hyphenated lines follow each other. Active breakpoints are
//! dropped as soon as a line from them would overflow, so the work per breakpoint is bounded
//! by how many breakpoints fit on one line.

use super::hyphenate::HyphenPlace;
use super::text::{Elem, INFINITY, Kind};

/// Alignment of running text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Align {
    /// Ragged right (the default: WCAG 1.4.8 advises against justified text).
    #[default]
    Left,
    /// Justified: lines fill the measure; the last line of a paragraph is ragged.
    Justify,
}

impl Align {
    /// The name used on the command line and in the recipe.
    pub fn key(self) -> &'static str {
        match self {
            Align::Left => "left",
            Align::Justify => "justify",
        }
    }
}

impl std::fmt::Display for Align {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    /// Line width, pt.
    pub measure: f32,
    pub align: Align,
    /// Width of the rag that counts as "badness 100" in ragged-right setting, pt.
    pub rag: f32,
    /// Added to every line's badness before squaring (TeX's \linepenalty).
    pub line_penalty: f32,
    /// For two hyphenated lines in a row (TeX's \doublehyphendemerits).
    pub double_hyphen_demerits: f32,
    /// For a hyphen on the second-to-last line (TeX's \finalhyphendemerits).
    pub final_hyphen_demerits: f32,
    /// For adjacent lines of very different tightness (TeX's \adjdemerits), justified only.
    pub adj_demerits: f32,
    /// For a last line shorter than [`Params::runt_fraction`] of the measure.
    pub runt_demerits: f32,
    pub runt_fraction: f32,
    /// Most hyphenated lines in a row.
    pub max_hyphen_run: u8,
    /// Penalty for a break at an inserted hyphen (TeX's \hyphenpenalty). Higher for ragged
    /// text, where a short line costs little and a hyphen is the more visible blemish.
    pub hyphen_penalty: f32,
    /// Penalty for a hyphen inside an element of a compound ("transaktionsrap-portering"): a
    /// compound breaks at its joints, like "e-postadress" at its hyphen. Ragged, such a break
    /// is a last resort; justified, it is taken where a joint or a space would stretch the
    /// line's spaces past about twice their width (badness ~1,000), the worse blemish.
    pub inside_element_penalty: f32,
    /// Ragged only: the last line counts like the others, so the lines come out balanced (for
    /// headings: no word left alone on a last line when a more even break exists).
    pub balance: bool,
}

impl Params {
    pub(crate) fn new(measure: f32, align: Align, em: f32) -> Params {
        Params {
            measure,
            align,
            rag: 6.0 * em,
            line_penalty: 10.0,
            double_hyphen_demerits: 3000.0,
            final_hyphen_demerits: 5000.0,
            adj_demerits: 5000.0,
            runt_demerits: 20_000.0,
            runt_fraction: 0.12,
            max_hyphen_run: 2,
            hyphen_penalty: match align {
                Align::Left => 200.0,
                Align::Justify => 50.0,
            },
            inside_element_penalty: match align {
                Align::Left => 5_000.0,
                Align::Justify => 5_000.0,
            },
            balance: false,
        }
    }
}

/// Demerits of a hyphenated line beyond [`Params::max_hyphen_run`]: more than any sensible
/// alternative, less than a line overflowing the margin (1e9 and up).
const EXCESS_HYPHEN_DEMERITS: f64 = 1e8;

/// A chosen line: it ends at the break element `end` and its glue is set with `ratio`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Line {
    /// Index of the first element after the previous break.
    pub start: usize,
    /// Index of the break element (a glue or penalty) that ends the line.
    pub end: usize,
    /// Adjustment ratio (>0 stretch, <0 shrink); 0 for ragged lines.
    pub ratio: f32,
    /// Natural width of the line, pt (including an inserted hyphen).
    pub width: f32,
    pub hyphenated: bool,
    /// Whether the line is wider than the measure (only when nothing else was possible).
    pub overfull: bool,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    /// The break element; `None` for the paragraph start.
    at: Option<usize>,
    /// The first element of the line that follows (see `line_start`).
    next_start: usize,
    fitness: u8,
    hyphen_run: u8,
    demerits: f64,
    prev: Option<usize>,
    line: Line,
}

#[cfg(test)]
thread_local! {
    /// How many (active node, breakpoint) pairs `break_lines` has scored: its unit of work.
    static SCORED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A new breakpoint's best way in, for one (fitness class, hyphen run) state: what it costs
/// and the line from the active node it comes from.
#[derive(Clone, Copy)]
struct Candidate {
    fitness: u8,
    /// Hyphenated lines in a row, ending with this one.
    run: u8,
    demerits: f64,
    /// The node it comes from.
    prev: usize,
    line: Line,
}

/// Breaks `elems` (ending in a forced break) into lines.
pub(crate) fn break_lines(elems: &[Elem], p: &Params) -> Vec<Line> {
    // Prefix sums of width, stretch and shrink: sums[i] covers elems[..i].
    let mut sums = Vec::with_capacity(elems.len() + 1);
    let (mut w, mut y, mut z) = (0.0f32, 0.0f32, 0.0f32);
    sums.push((w, y, z));
    for e in elems {
        match e.kind {
            Kind::Box => w += e.width,
            Kind::Glue { stretch, shrink } => {
                w += e.width;
                y += stretch;
                z += shrink;
            }
            Kind::Penalty { .. } => {}
        }
        sums.push((w, y, z));
    }

    let mut nodes: Vec<Node> = Vec::with_capacity(elems.len());
    nodes.push(Node {
        at: None,
        next_start: 0,
        fitness: 1,
        hyphen_run: 0,
        demerits: 0.0,
        prev: None,
        line: Line {
            start: 0,
            end: 0,
            ratio: 0.0,
            width: 0.0,
            hyphenated: false,
            overfull: false,
        },
    });
    let mut active: Vec<usize> = vec![0];
    // Best new node per (fitness, hyphen run), and the active nodes to drop: reused.
    let mut best: Vec<Candidate> = Vec::new();
    let mut deactivate = Vec::new();

    for b in 0..elems.len() {
        let e = &elems[b];
        let (cost, flagged) = match e.kind {
            Kind::Glue { .. } if b > 0 && elems[b - 1].kind == Kind::Box => (0.0, false),
            Kind::Penalty {
                hyphen: Some(h), ..
            } => match h.place {
                HyphenPlace::Joint | HyphenPlace::Syllable => (p.hyphen_penalty, true),
                HyphenPlace::InsideElement => (p.inside_element_penalty, true),
            },
            Kind::Penalty { cost, flagged, .. } if cost < INFINITY => (cost, flagged),
            _ => continue,
        };
        let forced = cost <= -INFINITY;
        // The line before a hard line break is set like a paragraph's last line.
        let is_last = b + 1 == elems.len() || forced;

        best.clear();
        deactivate.clear();
        // A penalty's width (an inserted hyphen) belongs to the line; the glue broken at
        // does not.
        let extra = if matches!(e.kind, Kind::Penalty { .. }) {
            e.width
        } else {
            0.0
        };
        let (w1, y1, z1) = sums[b];
        let mut overfull_fallback: Option<Candidate> = None;
        for (ai, &a) in active.iter().enumerate() {
            #[cfg(test)]
            SCORED.with(|c| c.set(c.get() + 1));
            let node = &nodes[a];
            let start = node.next_start;
            let (w0, y0, z0) = sums[start];
            let width = w1 - w0 + extra;
            let (stretch, shrink) = (y1 - y0, z1 - z0);
            let line = |ratio, overfull| Line {
                start,
                end: b,
                ratio,
                width,
                hyphenated: flagged && e.width > 0.0,
                overfull,
            };

            let Some((badness, ratio, fitness)) = score(width, stretch, shrink, is_last, p) else {
                // Too wide: no later break from `a` fits either.
                deactivate.push(ai);
                let d = node.demerits + 1e9 + f64::from(width - p.measure).powi(2);
                if overfull_fallback.as_ref().is_none_or(|c| d < c.demerits) {
                    overfull_fallback = Some(Candidate {
                        fitness: 1,
                        run: 0,
                        demerits: d,
                        prev: a,
                        line: line(0.0, true),
                    });
                }
                continue;
            };
            // Runs longer than the limit are one state: what follows costs the same after 3
            // hyphenated lines in a row as after 30. Counting them apart would keep a node per
            // run length active, and the work would grow with the longest run, not the line.
            let run = if flagged {
                node.hyphen_run
                    .saturating_add(1)
                    .min(p.max_hyphen_run.saturating_add(1))
            } else {
                0
            };
            let mut d = (f64::from(p.line_penalty) + f64::from(badness)).powi(2);
            if cost > 0.0 {
                d += f64::from(cost).powi(2);
            } else if cost > -INFINITY {
                d -= f64::from(cost).powi(2);
            }
            if flagged && node.hyphen_run > 0 {
                d += f64::from(p.double_hyphen_demerits);
            }
            if run > p.max_hyphen_run {
                // Only when nothing else fits (a word that needs more hyphens than the rule
                // allows on a very narrow measure): still cheaper than overflowing the margin.
                d += EXCESS_HYPHEN_DEMERITS;
            }
            if is_last && node.hyphen_run > 0 {
                d += f64::from(p.final_hyphen_demerits);
            }
            if p.align == Align::Justify && fitness.abs_diff(node.fitness) > 1 {
                d += f64::from(p.adj_demerits);
            }
            if is_last && node.at.is_some() && width < p.runt_fraction * p.measure {
                d += f64::from(p.runt_demerits);
            }
            let total = node.demerits + d;
            let candidate = Candidate {
                fitness,
                run,
                demerits: total,
                prev: a,
                line: line(ratio, false),
            };
            match best
                .iter_mut()
                .find(|c| c.fitness == fitness && c.run == run)
            {
                Some(c) if c.demerits <= total => {}
                Some(c) => *c = candidate,
                None => best.push(candidate),
            }
        }
        for &ai in deactivate.iter().rev() {
            active.remove(ai);
        }
        if forced {
            active.clear();
        }
        if best.is_empty() && active.is_empty() {
            // Nothing fits (a word wider than the measure): accept the least overfull line
            // so that no text is lost.
            if let Some(c) = overfull_fallback {
                best.push(c);
            }
        }
        let next_start = line_start(elems, Some(b));
        for c in &best {
            nodes.push(Node {
                at: Some(b),
                next_start,
                fitness: c.fitness,
                hyphen_run: c.run,
                demerits: c.demerits,
                prev: Some(c.prev),
                line: c.line,
            });
            active.push(nodes.len() - 1);
        }
    }

    // The last node created at the final break with the least demerits.
    let last = elems.len() - 1;
    let end = (0..nodes.len())
        .filter(|&i| nodes[i].at == Some(last))
        .min_by(|&a, &b| nodes[a].demerits.total_cmp(&nodes[b].demerits))
        .expect("the forced final break is always reached");
    let mut lines = Vec::new();
    let mut cur = Some(end);
    while let Some(i) = cur {
        if nodes[i].at.is_some() {
            lines.push(nodes[i].line);
        }
        cur = nodes[i].prev;
    }
    lines.reverse();
    lines
}

/// The first element of a line after the break `at`: glue and penalties there are discarded.
fn line_start(elems: &[Elem], at: Option<usize>) -> usize {
    match at {
        None => 0,
        Some(b) => {
            let mut i = b + 1;
            while i < elems.len() && elems[i].kind != Kind::Box {
                i += 1;
            }
            i.min(elems.len())
        }
    }
}

/// Badness, adjustment ratio and fitness class of a line, or `None` if it cannot fit.
fn score(
    width: f32,
    stretch: f32,
    shrink: f32,
    is_last: bool,
    p: &Params,
) -> Option<(f32, f32, u8)> {
    const EPS: f32 = 0.01;
    match p.align {
        Align::Left => {
            if width > p.measure + EPS {
                return None;
            }
            if is_last && !p.balance {
                return Some((0.0, 0.0, 1));
            }
            let slack = (p.measure - width) / p.rag;
            Some((100.0 * slack.powi(3), 0.0, 1))
        }
        Align::Justify => {
            let ratio = if width < p.measure {
                if is_last {
                    0.0
                } else if stretch > 0.0 {
                    (p.measure - width) / stretch
                } else {
                    f32::INFINITY
                }
            } else if width > p.measure + EPS {
                if shrink > 0.0 {
                    (p.measure - width) / shrink
                } else {
                    f32::NEG_INFINITY
                }
            } else {
                0.0
            };
            if ratio < -1.0 {
                return None;
            }
            // Not capped (TeX caps at 10000 and rejects such lines): the breaker must still tell a
            // line stretched 6 times its glue from one stretched 80 times.
            let badness = 100.0 * ratio.abs().powi(3);
            let fitness = if ratio < -0.5 {
                0
            } else if ratio <= 0.5 {
                1
            } else if ratio <= 1.0 {
                2
            } else {
                3
            };
            // An infinitely loose line is set ragged rather than stretched without bound.
            Some((
                badness,
                if ratio.is_finite() { ratio } else { 0.0 },
                fitness,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FontId;
    use crate::layout::text::{Shaper, TextStyle, break_overwide, compose, items};

    const PARA: &str = "Företag som samarbetar med eller jobbar på uppdrag åt Avanza kommer också ta del av dina personuppgifter. När vi behöver få tillgång till tjänster och funktionalitet som vi själva inte kan erbjuda så tar vi hjälp av andra företag och därför används leverantörer till Avanza för att uppfylla ändamålet med behandlingen.";

    fn lines_of(text: &str, measure: f32, align: Align) -> Vec<String> {
        set(text, measure, align).into_iter().map(|l| l.0).collect()
    }

    /// The paragraph set into lines: (line texts, widths, overfull flags).
    pub(super) fn set(text: &str, measure: f32, align: Align) -> Vec<(String, f32, bool)> {
        let mut sh = Shaper;
        let style = TextStyle {
            font: FontId::Regular,
            size: 10.0,
            hyphenate: true,
            address: false,
        };
        let protect = |w: &str| w.starts_with("Avanza");
        let mut elems = items(text, style, &protect, &mut sh);
        break_overwide(text, &mut elems, measure);
        break_lines(&elems, &Params::new(measure, align, 10.0))
            .iter()
            .map(|l| {
                let c = compose(text, &elems, l.start, l.end, l.ratio, style, &mut sh);
                let w = c.glyphs.iter().map(|g| g.x_advance).sum();
                (c.text, w, l.overfull)
            })
            .collect()
    }

    /// Issue 5: the breaker's work grows linearly with the paragraph, not quadratically: a
    /// paragraph 8 times as long costs about 8 times as many scored candidates (64 if every
    /// breakpoint stayed active).
    #[test]
    fn issue5_work_grows_linearly_with_paragraph_length() {
        let scored = |copies: usize, align: Align| {
            let text = vec![PARA; copies].join(" ");
            SCORED.with(|c| c.set(0));
            let lines = set(&text, 300.0, align);
            assert!(lines.len() > 4 * copies);
            SCORED.with(|c| c.get())
        };
        for align in [Align::Left, Align::Justify] {
            let (short, long) = (scored(4, align), scored(32, align));
            let ratio = long as f64 / short as f64;
            assert!(
                (7.0..9.0).contains(&ratio),
                "{align:?}: {short} -> {long} ({ratio:.2}×)"
            );
        }
    }

    #[test]
    fn fixed_paragraph_breaks_as_expected() {
        // A regression reference: the chosen breaks for the recipients paragraph at 300 pt.
        let lines = lines_of(PARA, 300.0, Align::Left);
        let expected = [
            "Företag som samarbetar med eller jobbar på uppdrag åt",
            "Avanza kommer också ta del av dina personuppgifter. När vi",
            "behöver få tillgång till tjänster och funktionalitet som vi själva",
            "inte kan erbjuda så tar vi hjälp av andra företag och därför",
            "används leverantörer till Avanza för att uppfylla ändamålet med",
            "behandlingen.",
        ];
        assert_eq!(lines, expected);
    }

    #[test]
    fn total_fit_beats_greedy_on_raggedness() {
        let mut sh = Shaper;
        let style = TextStyle {
            font: FontId::Regular,
            size: 10.0,
            hyphenate: false,
            address: false,
        };
        let elems = items(PARA, style, &|_| false, &mut sh);
        let p = Params::new(260.0, Align::Left, 10.0);
        let tf = break_lines(&elems, &p);
        let greedy = greedy(&elems, 260.0);
        let cost = |ws: &[f32]| {
            ws[..ws.len() - 1]
                .iter()
                .map(|w| (260.0 - w).powi(2))
                .sum::<f32>()
        };
        let tfw: Vec<f32> = tf.iter().map(|l| l.width).collect();
        assert!(tfw.iter().all(|w| *w <= 260.01));
        assert!(cost(&tfw) <= cost(&greedy) + 0.01, "{tfw:?} vs {greedy:?}");
    }

    fn greedy(elems: &[Elem], measure: f32) -> Vec<f32> {
        let mut lines = Vec::new();
        let (mut line, mut pending) = (0.0f32, 0.0f32);
        for e in elems {
            match e.kind {
                Kind::Box if line + pending + e.width > measure && line > 0.0 => {
                    lines.push(line);
                    line = e.width;
                    pending = 0.0;
                }
                Kind::Box => {
                    line += pending + e.width;
                    pending = 0.0;
                }
                Kind::Glue { .. } => pending += e.width,
                Kind::Penalty { .. } => {}
            }
        }
        lines.push(line);
        lines
    }

    #[test]
    fn justified_lines_fill_the_measure() {
        let mut sh = Shaper;
        let style = TextStyle {
            font: FontId::Regular,
            size: 10.0,
            hyphenate: true,
            address: false,
        };
        let elems = items(PARA, style, &|w: &str| w.starts_with("Avanza"), &mut sh);
        let lines = break_lines(&elems, &Params::new(300.0, Align::Justify, 10.0));
        for l in &lines[..lines.len() - 1] {
            assert!(l.ratio >= -1.0 && l.ratio.is_finite());
            let c =
                super::super::text::compose(PARA, &elems, l.start, l.end, l.ratio, style, &mut sh);
            let drawn: f32 = c.glyphs.iter().map(|g| g.x_advance).sum();
            assert!((drawn - 300.0).abs() < 0.05, "{drawn}");
        }
    }

    #[test]
    fn never_more_than_two_hyphens_in_a_row() {
        let text = "Personuppgiftsbehandlingen, ansvarsförsäkringsvillkoren, kapitalförsäkringsdepåerna, informationssäkerhetsavdelningen, dataskyddsförordningen och investeringssparkontona.";
        for measure in [90.0, 110.0, 130.0] {
            let lines = lines_of(text, measure, Align::Left);
            let flags: Vec<bool> = lines.iter().map(|l| l.ends_with('\u{ad}')).collect();
            assert!(!flags.windows(3).any(|w| w.iter().all(|f| *f)), "{lines:?}");
        }
    }

    #[test]
    fn overlong_word_still_yields_every_word() {
        let text = "kort Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen kort";
        let lines = lines_of(text, 60.0, Align::Left);
        let joined = lines
            .iter()
            .map(|l| l.trim_end_matches('\u{ad}'))
            .collect::<Vec<_>>()
            .join("");
        assert_eq!(joined.replace(' ', ""), text.replace(' ', ""));
    }

    #[test]
    fn protected_words_are_not_hyphenated_even_when_it_would_help() {
        // Unprotected, hypher splits these words, and a narrow measure makes the breaker use it.
        assert!(!crate::layout::hyphenate::hyphenation_points("Avanzas", &|_| false).is_empty());
        let text = "Avanzas Avanzas Avanzas Avanzas Avanzas Avanzas Avanzas Avanzas slut";
        let mut sh = Shaper;
        let style = TextStyle {
            font: FontId::Regular,
            size: 10.0,
            hyphenate: true,
            address: false,
        };
        let mut run = |protect: &dyn Fn(&str) -> bool, measure: f32| -> Vec<String> {
            let elems = items(text, style, protect, &mut Shaper);
            break_lines(&elems, &Params::new(measure, Align::Justify, 10.0))
                .iter()
                .map(|l| {
                    super::super::text::compose(
                        text, &elems, l.start, l.end, l.ratio, style, &mut sh,
                    )
                    .text
                })
                .collect()
        };
        let measures = (50..140).step_by(5).map(|m| m as f32);
        let hyphenates = |lines: Vec<String>| lines.iter().any(|l| l.ends_with('\u{ad}'));
        let control = measures
            .clone()
            .filter(|&m| hyphenates(run(&|_| false, m)))
            .count();
        assert!(
            control > 0,
            "control: unprotected, some measure uses hyphenation"
        );
        for m in measures {
            assert!(
                !hyphenates(run(&|w: &str| w.starts_with("Avanza"), m)),
                "measure {m}"
            );
        }
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::tests::set;
    use super::*;

    /// Words that exercise every kind of break: plain, hyphenatable compounds, protected,
    /// explicit hyphen, slash compound, numbers (tied to the next word), an unbreakable number.
    const WORDS: &[&str] = &[
        "vi",
        "sparar",
        "personuppgifterna",
        "i",
        "6",
        "månader",
        "Avanza",
        "Avanzas",
        "e-postadress",
        "försäkringsnummer/depånummer",
        "AB.",
        "och",
        "kundförhållandet.",
        "ljudupptagning,",
        "10",
        "år",
        "informationssäkerhetsavdelningen",
        "123456789012345678901234567890123456789012345678901234567890",
    ];

    fn paragraph() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(WORDS), 1..60).prop_map(|w| w.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::layout::proptest_cases(64)))]

        #[test]
        fn every_word_once_in_order_and_nothing_wider_than_the_measure(
            text in paragraph(),
            measure in 40.0f32..480.0,
            justify in any::<bool>(),
        ) {
            let align = if justify { Align::Justify } else { Align::Left };
            let lines = set(&text, measure, align);
            // Joined back: soft-hyphen breaks close up, others are spaces or in-word breaks.
            let joined: String = lines.iter().map(|l| l.0.trim_end_matches('\u{ad}')).collect::<Vec<_>>().concat();
            prop_assert_eq!(joined.replace(' ', ""), text.replace(' ', ""));
            for (line, width, overfull) in &lines {
                // Wider only if the line is a single cluster that cannot fit anywhere.
                prop_assert!(*width <= measure + 0.05 || (*overfull && line.chars().count() <= 1),
                    "{line:?} is {width} pt on a {measure} pt measure");
            }
            prop_assert_eq!(set(&text, measure, align), lines, "deterministic");
        }
    }
}
