//! The typographic parameters of each edition: page, margins, sizes, leading, spacing and
//! colours. All lengths in pt.

use super::display::{Mark, Rgb};
use crate::edition::Edition;
use crate::fonts::FontId;

/// Typographic parameters of an edition. Lengths in pt.
pub(crate) struct Style {
    pub page_width: f32,
    pub page_height: f32,
    pub margin_left: f32,
    pub margin_right: f32,
    /// Top of the text area.
    pub text_top: f32,
    /// Bottom of the text area.
    pub text_bottom: f32,
    pub body: BlockStyle,
    pub title: BlockStyle,
    /// The label above the title ("Integritetsinformation").
    pub label: BlockStyle,
    /// The line under the title: publisher, version date and version id.
    pub meta: BlockStyle,
    pub h2: BlockStyle,
    pub h3: BlockStyle,
    /// A label of the data that follows it inside an answer or an intro ("Om du är
    /// privatkund:"): set below question level (standard: italic at text size, where
    /// questions are semibold; large print: semibold at text size, where questions are larger).
    pub group_label: BlockStyle,
    pub note: BlockStyle,
    /// Space between paragraphs of one answer.
    pub para_gap: f32,
    /// Space between a question and its answer.
    pub answer_gap: f32,
    /// Distance of a section's rule above its heading.
    pub rule_gap: f32,
    /// Indent of list bodies from the bullet.
    pub list_indent: f32,
    /// Side of the QR code, quiet zone included.
    pub qr_side: f32,
    /// Height of the publisher's logo in the title block (narrower if it would be wider than
    /// the measure).
    pub logo_height: f32,
    pub header_size: f32,
    pub header_baseline: f32,
    pub footer_baseline: f32,
    pub text_color: Rgb,
    pub muted_color: Rgb,
    pub accent_color: Rgb,
    /// Links: 6.6:1 against white (WCAG 1.4.3 asks 4.5:1), and underlined, so that colour is not
    /// the only sign (WCAG 1.4.1).
    pub link_color: Rgb,
    /// Words added since the previous version (7.9:1 against white), also set semibold;
    /// removed words (7.4:1), also struck through: colour is never the only sign, and either
    /// reads in greyscale.
    pub added_color: Rgb,
    pub removed_color: Rgb,
    /// A table whose columns cannot each hold `table::MIN_CHARS` characters a line is set one
    /// block per row (large print) instead of squeezed.
    pub table_rows_as_blocks: bool,
}

#[derive(Clone, Copy)]
pub(crate) struct BlockStyle {
    pub font: FontId,
    /// Font size, pt.
    pub size: f32,
    /// Baseline-to-baseline distance, pt.
    pub leading: f32,
    /// Space above the block, pt (dropped at the top of a page).
    pub space_before: f32,
    pub hyphenate: bool,
    pub ink: Ink,
    /// Set ragged right even when running text is justified.
    pub ragged: bool,
    /// The text is a web address (see `TextStyle::address`).
    pub address: bool,
}

/// Which of the edition's colours a block is set in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ink {
    Text,
    Muted,
    Accent,
}

impl BlockStyle {
    const fn new(
        font: FontId,
        size: f32,
        leading: f32,
        space_before: f32,
        hyphenate: bool,
    ) -> BlockStyle {
        BlockStyle {
            font,
            size,
            leading,
            space_before,
            hyphenate,
            ink: Ink::Text,
            // Only running text hyphenates, and only running text is justified.
            ragged: !hyphenate,
            address: false,
        }
    }

    const fn ink(mut self, ink: Ink) -> BlockStyle {
        self.ink = ink;
        self
    }
}

impl Style {
    pub(crate) fn of(edition: Edition) -> Style {
        match edition {
            Edition::Standard => Style::standard(),
            Edition::Large => Style::large(),
        }
    }

    fn standard() -> Style {
        let (w, h) = (595.276, 841.89); // A4 (ISO 216)
        let (regular, semibold) = (FontId::Regular, FontId::SemiBold);
        Style {
            page_width: w,
            page_height: h,
            margin_left: 100.0,
            margin_right: 100.0,
            text_top: 92.0,
            text_bottom: h - 78.0,
            body: BlockStyle::new(regular, 11.0, 16.5, 0.0, true),
            title: BlockStyle::new(semibold, 22.0, 27.0, 4.0, false),
            label: BlockStyle::new(semibold, 10.0, 14.0, 0.0, false).ink(Ink::Accent),
            meta: BlockStyle::new(regular, 9.5, 14.0, 6.0, false).ink(Ink::Muted),
            h2: BlockStyle::new(semibold, 14.0, 18.0, 24.0, false),
            h3: BlockStyle::new(semibold, 11.0, 16.5, 11.0, false),
            group_label: BlockStyle::new(FontId::Italic, 11.0, 16.5, 6.0, false),
            note: BlockStyle::new(regular, 9.0, 13.0, 26.0, false),
            para_gap: 6.0,
            answer_gap: 2.0,
            rule_gap: 10.0,
            list_indent: 14.0,
            qr_side: 78.0,
            logo_height: 28.0,
            header_size: 8.0,
            header_baseline: 50.0,
            footer_baseline: h - 44.0,
            text_color: Rgb(0x1c, 0x1c, 0x1c),
            muted_color: Rgb(0x55, 0x55, 0x55),
            accent_color: Rgb(0x00, 0x7a, 0x4d),
            link_color: Rgb(0x00, 0x5f, 0xa8),
            added_color: Rgb(0x1b, 0x5e, 0x20),
            removed_color: Rgb(0xa4, 0x1d, 0x1d),
            table_rows_as_blocks: false,
        }
    }

    /// Large print: 16 pt text on 24 pt leading, headings and spacing scaled with it, narrower
    /// margins so a line still holds about 50 characters. Following large-print guidance: no
    /// hyphenation and no justification (running text is set ragged whatever `--align` says),
    /// no text under 16 pt (running head and footer included), question headings larger than
    /// the text they head, not only bolder.
    fn large() -> Style {
        let (regular, semibold) = (FontId::Regular, FontId::SemiBold);
        let h = 841.89;
        Style {
            margin_left: 62.0,
            margin_right: 62.0,
            text_top: 100.0,
            text_bottom: h - 86.0,
            body: BlockStyle::new(regular, 16.0, 24.0, 0.0, false),
            title: BlockStyle::new(semibold, 30.0, 36.0, 6.0, false),
            label: BlockStyle::new(semibold, 16.0, 22.0, 0.0, false).ink(Ink::Accent),
            meta: BlockStyle::new(regular, 16.0, 24.0, 8.0, false).ink(Ink::Muted),
            h2: BlockStyle::new(semibold, 21.0, 27.0, 34.0, false),
            h3: BlockStyle::new(semibold, 18.0, 25.0, 20.0, false),
            group_label: BlockStyle::new(semibold, 16.0, 24.0, 10.0, false),
            note: BlockStyle::new(regular, 16.0, 24.0, 34.0, false),
            para_gap: 10.0,
            answer_gap: 3.0,
            rule_gap: 14.0,
            list_indent: 22.0,
            qr_side: 108.0,
            logo_height: 36.0,
            header_size: 16.0,
            header_baseline: 56.0,
            footer_baseline: h - 40.0,
            table_rows_as_blocks: true,
            ..Style::standard()
        }
    }

    /// The colour of `ink` in this edition.
    pub(crate) fn color(&self, ink: Ink) -> Rgb {
        match ink {
            Ink::Text => self.text_color,
            Ink::Muted => self.muted_color,
            Ink::Accent => self.accent_color,
        }
    }

    /// The colour of words marked `mark`.
    pub(crate) fn mark_color(&self, mark: Mark) -> Rgb {
        match mark {
            Mark::Added => self.added_color,
            Mark::Removed => self.removed_color,
        }
    }

    pub(crate) fn measure(&self) -> f32 {
        self.page_width - self.margin_left - self.margin_right
    }
}

/// Font size of an edition's running text, pt.
pub fn body_size(edition: Edition) -> f32 {
    Style::of(edition).body.size
}
