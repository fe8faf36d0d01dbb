//! The running header and footer of every page: artifacts (PDF/UA-1 §7.1), not content.

use super::display::*;
use super::style::Style;
use super::text::Shaper;
use crate::fonts::FontId;

/// Which margin a running header or footer text aligns to.
#[derive(Clone, Copy)]
enum Side {
    Left,
    Right,
}

/// A running header or footer text, an artifact (PDF/UA-1 §7.1).
fn chrome_run(
    sh: &mut Shaper,
    s: &Style,
    font: FontId,
    text: &str,
    y: f32,
    side: Side,
    kind: ArtifactKind,
) -> TextRun {
    let glyphs = sh.glyphs(font, s.header_size, text, 0);
    let width: f32 = glyphs.iter().map(|g| g.x_advance).sum();
    let x = match side {
        Side::Left => s.margin_left,
        Side::Right => s.page_width - s.margin_right - width,
    };
    TextRun {
        font,
        size: s.header_size,
        x,
        y,
        color: s.muted_color,
        text: text.to_owned(),
        glyphs,
        role: Role::Artifact(kind),
    }
}

/// A hairline across the text measure.
fn hairline(s: &Style, y: f32, kind: ArtifactKind) -> Item {
    Item::Rule(Rule {
        x0: s.margin_left,
        y0: y,
        x1: s.page_width - s.margin_right,
        y1: y,
        thickness: 0.5,
        color: Rgb(0xb4, 0xb4, 0xb4),
        artifact: kind,
        marks: RuleMarks::Chrome,
    })
}

/// Publisher left, title right, a hairline below.
/// The running header, the same on every page.
pub(super) fn running_header(
    publisher: &str,
    title: &str,
    s: &Style,
    sh: &mut Shaper,
) -> Vec<Item> {
    let (y, kind) = (s.header_baseline, ArtifactKind::Header);
    // Publisher left, title right, each shortened with "…" if it would not fit beside the other.
    let gap = 2.0 * s.header_size;
    let publisher = fit(
        sh,
        FontId::SemiBold,
        s.header_size,
        publisher,
        0.4 * s.measure(),
    );
    let left = chrome_run(sh, s, FontId::SemiBold, &publisher, y, Side::Left, kind);
    let room = s.measure() - left.width() - gap;
    let title = fit(sh, FontId::Regular, s.header_size, title, room);
    vec![
        Item::Text(left),
        Item::Text(chrome_run(
            sh,
            s,
            FontId::Regular,
            &title,
            y,
            Side::Right,
            kind,
        )),
        hairline(s, y + s.header_size, kind),
    ]
}

/// `text`, or its longest prefix of whole words followed by "…" that is at most `max` pt wide
/// (a reader never sees a word cut: "… i våra tj…"); cut within the first word only when not
/// even it fits.
fn fit(sh: &mut Shaper, font: FontId, size: f32, text: &str, max: f32) -> String {
    let width = |sh: &mut Shaper, t: &str| {
        sh.shape(font, t)
            .iter()
            .map(|g| g.x_advance * size)
            .sum::<f32>()
    };
    if width(sh, text) <= max {
        return text.to_owned();
    }
    let shortened = |prefix: &str| {
        let prefix = prefix.trim_end_matches(|c: char| c.is_whitespace() || ",;:–-".contains(c));
        format!("{prefix} …")
    };
    // Word ends, longest prefix first.
    let ends: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .collect();
    for &end in ends.iter().rev() {
        let candidate = shortened(&text[..end]);
        if !text[..end].trim().is_empty() && width(sh, &candidate) <= max {
            return candidate;
        }
    }
    // Not even the first word fits: the most characters that do, with the ellipsis.
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let (mut lo, mut hi) = (0, bounds.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate = format!("{}…", text[..bounds[mid.min(bounds.len() - 1)]].trim_end());
        if width(sh, &candidate) <= max {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    format!("{}…", text[..bounds[lo.min(bounds.len() - 1)]].trim_end())
}

/// A hairline, `left` (the version date) left and "Sida X av Y" right.
pub(super) fn running_footer(
    page: &mut Page,
    left: &str,
    s: &Style,
    sh: &mut Shaper,
    i: usize,
    n: usize,
) {
    let (y, kind) = (s.footer_baseline, ArtifactKind::Footer);
    page.items.push(hairline(s, y - 1.5 * s.header_size, kind));
    page.items.push(Item::Text(chrome_run(
        sh,
        s,
        FontId::Regular,
        left,
        y,
        Side::Left,
        kind,
    )));
    let number = crate::sv::page_of(i + 1, n);
    page.items.push(Item::Text(chrome_run(
        sh,
        s,
        FontId::Regular,
        &number,
        y,
        Side::Right,
        kind,
    )));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_header_texts_are_shortened_to_fit() {
        let mut sh = Shaper;
        let long = "Kontakt med Avanzas kundservice ".repeat(20);
        let short = fit(&mut sh, FontId::Regular, 8.0, &long, 200.0);
        assert!(short.ends_with(" …") && long.starts_with(short.trim_end_matches(" …")));
        // Cut at a word: what precedes the ellipsis is whole words of the title.
        let kept = short.trim_end_matches(" …");
        assert!(long[kept.len()..].starts_with(' '), "{short}");
        let w: f32 = sh
            .shape(FontId::Regular, &short)
            .iter()
            .map(|g| g.x_advance * 8.0)
            .sum();
        assert!(w <= 200.0, "{w}");
        assert_eq!(
            fit(&mut sh, FontId::Regular, 8.0, "Avanza", 200.0),
            "Avanza"
        );
    }
}
