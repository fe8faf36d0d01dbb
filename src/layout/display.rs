//! The display list: the backend-free result of layout and the contract with every writer.
//!
//! Coordinates: origin at the page's top-left corner, y grows downwards, all lengths in pt
//! (1/72 in). Text runs carry the structure node they belong to, so the PDF writer can build
//! the tag tree (ISO 32000-1 §14.7, PDF/UA-1 §7) without knowing about layout.

use chrono::NaiveDateTime;

use crate::fonts::FontId;

/// A laid-out document.
#[derive(Debug, Clone, PartialEq)]
pub struct DisplayList {
    pub pages: Vec<Page>,
    /// The logical structure, in reading order; parents come before their children.
    pub structure: Vec<StructNode>,
    /// The document outline (bookmarks), ISO 32000-1 §12.3.3.
    pub outline: Vec<OutlineEntry>,
    pub meta: DocMeta,
}

impl DisplayList {
    /// Every content text run in reading order, with its page index and structure node.
    pub fn content_runs(&self) -> Vec<(usize, &TextRun, usize)> {
        let mut out = Vec::new();
        for (pi, page) in self.pages.iter().enumerate() {
            for item in &page.items {
                if let Item::Text(run) = item
                    && let Role::Content { node } = run.role
                {
                    out.push((pi, run, node));
                }
            }
        }
        out
    }

    /// The runs a reader sees as the content's lines, in reading order: the content runs, and
    /// the references printed after links for paper ([`ArtifactKind::Reference`]), each given
    /// the node its link is in. A line holding only an address is a line of its
    /// paragraph to the eye, though not to a screen reader. Each with its page index and node.
    pub fn reading_runs(&self) -> Vec<(usize, &TextRun, usize)> {
        let mut out = Vec::new();
        for (pi, page) in self.pages.iter().enumerate() {
            let mut last = None;
            for item in &page.items {
                let Item::Text(run) = item else { continue };
                match run.role {
                    Role::Content { node } => {
                        last = Some(node);
                        out.push((pi, run, node));
                    }
                    Role::Artifact(ArtifactKind::Reference) => {
                        // The link's paragraph (or list item, or cell).
                        let outside = |n: usize| match self.structure[n].kind {
                            StructKind::Link { .. } => self.structure[n].parent.unwrap_or(n),
                            _ => n,
                        };
                        if let Some(node) = last {
                            out.push((pi, run, outside(node)));
                        }
                    }
                    Role::Artifact(_) => {}
                }
            }
        }
        out
    }
}

/// One page. Items are in drawing order, which is also reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Page width, pt.
    pub width: f32,
    /// Page height, pt.
    pub height: f32,
    /// The text area inside the margins: left, top, right, bottom, pt. Running header and
    /// footer sit outside it; all content inside.
    pub text_area: [f32; 4],
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(TextRun),
    /// A straight line, always decoration (an artifact, PDF/UA-1 §7.1).
    Rule(Rule),
    /// A vector drawing that is content (a QR code).
    Figure(Figure),
    /// A picture that is content (the publisher's logo).
    Image(Image),
    /// Where a link can be activated: one area per line fragment of the link's text.
    Link(LinkArea),
}

/// A picture drawn into a box (its aspect ratio kept by layout). Tagged `Figure` with
/// alternate text (PDF/UA-1 §7.3) through its structure node.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Left, top, right, bottom, pt.
    pub bbox: [f32; 4],
    pub picture: crate::model::Picture,
    /// Its `Figure` structure node.
    pub node: usize,
}

/// The area of one line fragment of a link (ISO 32000-1 §12.5.6.5); the PDF writer makes it a
/// Link annotation inside the link's `Link` structure element (PDF/UA-1 §7.18.5).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkArea {
    /// Left, top, right, bottom, pt.
    pub rect: [f32; 4],
    /// The address it leads to (a `notice:` link inside a pack: the link as written).
    pub url: String,
    /// Where in this document it leads, when it leads inside it (a pack's `notice:` links and
    /// contents): an internal link (a GoTo destination) instead of the address.
    pub dest: Option<Dest>,
    /// The text of this fragment: the annotation's `/Contents`.
    pub text: String,
    /// Its `Link` structure node.
    pub node: usize,
}

/// A place in the document: a page and a y, pt from the page's top.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dest {
    pub page: usize,
    pub y: f32,
}

/// A vector drawing that is content: filled cells of a square grid, e.g. a QR code's dark
/// modules. Tagged `Figure` with alternate text (PDF/UA-1 §7.3) through its structure node.
/// Lengths in pt.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Bounding box: left, top, right, bottom.
    pub bbox: [f32; 4],
    /// Top-left corner of the grid.
    pub origin: [f32; 2],
    /// Side of one cell.
    pub cell: f32,
    /// Filled runs of cells: row, first column, number of cells (in cells, from the origin).
    pub runs: Vec<[u16; 3]>,
    pub color: Rgb,
    /// Its `Figure` structure node.
    pub node: usize,
}

impl Figure {
    /// The filled rectangles in pt: left, top, width, height.
    pub fn rects(&self) -> impl Iterator<Item = [f32; 4]> + '_ {
        self.runs.iter().map(|&[row, col, len]| {
            [
                self.origin[0] + f32::from(col) * self.cell,
                self.origin[1] + f32::from(row) * self.cell,
                f32::from(len) * self.cell,
                self.cell,
            ]
        })
    }
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// A run of shaped glyphs on one baseline, in one font and size.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub font: FontId,
    /// Font size, pt.
    pub size: f32,
    /// Left end of the baseline, pt from the page's left edge.
    pub x: f32,
    /// Baseline, pt from the page's top edge.
    pub y: f32,
    pub color: Rgb,
    /// The text the glyphs represent (what a reader extracts). A line broken by hyphenation
    /// ends in U+00AD SOFT HYPHEN, as PDF/UA-1 §7.2 and ISO 32000-1 §14.8.2.2.3 ask.
    pub text: String,
    pub glyphs: Vec<Glyph>,
    /// What the run is: content of a structure node, or an artifact.
    pub role: Role,
}

impl TextRun {
    /// Advance width of the run, pt.
    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.x_advance).sum()
    }
}

/// A positioned glyph. Lengths in pt.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the run's font.
    pub id: u16,
    /// Horizontal advance, pt (justification is already applied to spaces).
    pub x_advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    /// Byte range in [`TextRun::text`] of the cluster this glyph belongs to.
    pub range: std::ops::Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Real content: belongs to `structure[node]`.
    Content { node: usize },
    /// Not part of the logical structure (PDF/UA-1 §7.1: running headers, footers, rules).
    Artifact(ArtifactKind),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtifactKind {
    Header,
    Footer,
    /// Layout decoration (rules).
    Layout,
    /// A table's header row repeated on a page the table continues on, and a large-print
    /// table's column headings repeated before each value (a pagination artifact: the
    /// structure holds the headings once, PDF/UA-1 §7.1).
    Repeated,
    /// Where a link leads, printed after its text for a reader of paper: an address or a
    /// chapter's page ("(sida 4)"). The `Link` holds it for the screen (PDF/UA-1 §7.18.5
    /// asks for the link's description there), so a screen reader does not hear it twice.
    Reference,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Start point, pt.
    pub x0: f32,
    pub y0: f32,
    /// End point, pt.
    pub x1: f32,
    pub y1: f32,
    /// Stroke width, pt.
    pub thickness: f32,
    pub color: Rgb,
    pub artifact: ArtifactKind,
    /// What the rule marks (for the typography report; all rules are artifacts).
    pub marks: RuleMarks,
}

/// What a rule marks on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleMarks {
    /// The start of a section (above its heading).
    Section,
    /// A table's header or rows.
    Table,
    /// The running head or foot.
    Chrome,
    /// A link's underline, or a changed word's underline or line through.
    Words,
}

/// An element of the logical structure (standard structure types, ISO 32000-1 §14.8.4).
#[derive(Debug, Clone, PartialEq)]
pub struct StructNode {
    pub kind: StructKind,
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StructKind {
    /// A part of a pack: one group of notices (`Part`).
    Part,
    /// A section (`Sect`).
    Sect,
    /// A table of contents (`TOC`) and one of its entries (`TOCI`).
    Toc,
    TocItem,
    /// A reference to another place in the document (`Reference`): a contents entry's link.
    Reference,
    /// A heading of `level` 1–4 (`H1`–`H4`; a pack's are one deeper) with its text (PDF/UA
    /// heading title).
    Heading {
        level: u8,
        text: String,
    },
    /// A paragraph (`P`).
    Paragraph,
    /// A list (`L`): bulleted (ListNumbering Disc) or numbered (Decimal).
    List {
        ordered: bool,
    },
    /// A list item (`LI`).
    ListItem,
    /// A list item's label (`Lbl`).
    Label,
    /// A list item's body (`LBody`).
    ListBody,
    /// A table (`Table`), its header row group (`THead`), body (`TBody`) and a row (`TR`).
    Table,
    TableHead,
    TableBody,
    TableRow,
    /// A header cell (`TH`) heading its column (`/Scope /Column`, PDF/UA-1 §7.5).
    TableHeader,
    /// A data cell (`TD`).
    TableCell,
    /// A figure (`Figure`) with its alternate text (PDF/UA-1 §7.3).
    Figure {
        alt: String,
    },
    /// A link (`Link`) to an address: its text and its annotations.
    Link {
        url: String,
    },
    /// Words marked as added or removed since the previous version (`Span` with the
    /// `TextDecorationType` layout attribute, ISO 32000-1 §14.8.5.4.3) and their text
    /// equivalent (`Alt`, PDF/UA-1 §7.3): "borttaget: sex".
    Span {
        mark: Mark,
        alt: String,
    },
}

/// How words changed since the previous version: added (underlined, semibold) or removed
/// (struck through).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Added,
    Removed,
}

/// A bookmark: title, the page it points to and the y of the target, pt from the top.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    pub title: String,
    pub page: usize,
    pub y: f32,
    pub children: Vec<OutlineEntry>,
}

/// Document metadata for the info dictionary and XMP (ISO 32000-1 §14.3, PDF/A-2 §6.6).
#[derive(Debug, Clone, PartialEq)]
pub struct DocMeta {
    pub id: String,
    pub title: String,
    pub author: String,
    pub subject: Option<String>,
    pub keywords: Vec<String>,
    /// BCP 47 tag, e.g. `sv-SE`.
    pub language: String,
    /// Creation and modification date (UTC): the notice's `updated` date at midnight, or
    /// `SOURCE_DATE_EPOCH` when the caller passes it.
    pub date: NaiveDateTime,
    /// `notice-pdf <version>`.
    pub creator: String,
    /// The data's version id (the title block's), for XMP `xmpMM:VersionID`.
    pub version: Option<crate::VersionId>,
    /// Files embedded in the document: the data it was made from and how it was rendered.
    pub attachments: Vec<Attachment>,
}

/// A file embedded in the document as an associated file (PDF/A-3, ISO 19005-3 §6.8; ISO
/// 32000-2 §14.13): what it was made from, so that `notice-pdf verify` can prove it.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    /// File name, as in the data directory (`kundservice.toml`).
    pub name: String,
    /// MIME type (the embedded file stream's `/Subtype`).
    pub mime: &'static str,
    /// What it is, for people (`/Desc`).
    pub description: String,
    /// `AFRelationship`: the data the document was made from (`Source`), or how it was made
    /// (`Supplement`).
    pub relationship: Relationship,
    pub data: std::sync::Arc<[u8]>,
}

/// How an attachment relates to the document (`AFRelationship`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relationship {
    Source,
    Supplement,
}
