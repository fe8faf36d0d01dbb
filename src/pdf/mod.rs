//! The PDF writer: a [`DisplayList`] to PDF/A-3a + PDF/UA-1 bytes, with krilla.
//!
//! Every text run is marked content tied to its structure element (ISO 32000-1 §14.7.4);
//! running headers, footers and rules are artifacts (PDF/UA-1 §7.1). krilla validates both
//! standards while writing and refuses to produce a file that breaks them. Output is a pure
//! function of the display list: no clock, no randomness, no hash-map order.

mod figure;
mod pack;
mod strings;
mod xmp;

use std::num::NonZeroU16;

use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, LineCap, Stroke, StrokeDash};
use krilla::tagging::{
    Artifact, ArtifactType, BBox, ContentTag, Identifier, ListNumbering, Node, SpanTag,
    TableHeaderScope, Tag, TagGroup, TagKind, TagTree, TextDecorationType,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};

use chrono::{Datelike, Timelike};

use crate::error::{Error, Result};
use crate::fonts::FontId;
use crate::layout::{
    ArtifactKind, DisplayList, Item, Mark, OutlineEntry, Relationship, Rgb, Role, StructKind,
};
use crate::model::PictureFormat;

/// Writes the display list as a tagged PDF/A-3a + PDF/UA-1 document.
pub fn write(dl: &DisplayList) -> Result<Vec<u8>> {
    let fail = |message: String| Error::Pdf {
        id: dl.meta.id.clone(),
        message,
    };
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A3_A)
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .expect("PDF/A-3a and PDF/UA-1 share PDF 1.7 (tested)");
    let settings = SerializeSettings {
        configuration,
        enable_tagging: true,
        // Content streams and embedded files are compressed while packing, with one
        // compressor for all of them (`pack.rs`): set up once instead of once per stream.
        compress_content_streams: false,
        ascii_compatible: false,
        pretty: false,
        xmp_metadata: true,
        ..SerializeSettings::default()
    };
    let mut doc = Document::new_with(settings);
    // The faces the document uses, each loaded once.
    let mut fonts: [Option<Font>; 4] = Default::default();
    let mut font = |id: FontId| -> Result<Font> {
        if let Some(f) = &fonts[id as usize] {
            return Ok(f.clone());
        }
        let f = Font::new(id.data().into(), 0)
            .ok_or_else(|| fail(format!("krilla cannot read fonts/{}", id.file_name())))?;
        fonts[id as usize] = Some(f.clone());
        Ok(f)
    };

    // Identifiers of marked content, per structure node, in reading order.
    let mut content: Vec<Vec<Identifier>> = vec![Vec::new(); dl.structure.len()];
    // Page and box of each figure node.
    let mut boxes: Vec<Option<BBox>> = vec![None; dl.structure.len()];
    // Link annotations, per structure node (they come first in their Link element).
    let mut annots: Vec<Vec<Identifier>> = vec![Vec::new(); dl.structure.len()];
    for (page_idx, page) in dl.pages.iter().enumerate() {
        let settings = PageSettings::from_wh(page.width, page.height)
            .ok_or_else(|| fail("invalid page size".into()))?;
        let mut p = doc.start_page_with(settings);
        let mut links = Vec::new();
        // Never dropped while unwinding: krilla's `Surface` asserts in `drop` that every push
        // was popped, so a panic inside a push (a picture's drawing, say) would panic again
        // there and abort the process past every guard. A surface left by a panic or an error
        // is leaked with the document it belonged to; the normal path finishes it.
        let mut surface = std::mem::ManuallyDrop::new(p.surface());
        for item in &page.items {
            match item {
                Item::Text(run) => {
                    let tag = match run.role {
                        Role::Content { .. } => ContentTag::Span(SpanTag::empty()),
                        Role::Artifact(kind) => ContentTag::Artifact(artifact(kind)),
                    };
                    let id = surface.start_tagged(tag);
                    surface.set_fill(Some(fill(run.color)));
                    let size = run.size;
                    let glyphs: Vec<KrillaGlyph> = run
                        .glyphs
                        .iter()
                        .map(|g| {
                            KrillaGlyph::new(
                                GlyphId::new(u32::from(g.id)),
                                g.x_advance / size,
                                g.x_offset / size,
                                g.y_offset / size,
                                0.0,
                                g.range.clone(),
                                None,
                            )
                        })
                        .collect();
                    surface.draw_glyphs(
                        Point::from_xy(run.x, run.y),
                        &glyphs,
                        font(run.font)?,
                        &run.text,
                        size,
                        false,
                    );
                    surface.end_tagged();
                    if let Role::Content { node } = run.role {
                        content[node].push(id);
                    }
                }
                Item::Link(link) => links.push(link),
                Item::Figure(f) => {
                    let id = surface.start_tagged(ContentTag::Other);
                    // Drawn in cell units, so the path is small integers that compress well.
                    surface.push_transform(&Transform::from_row(
                        f.cell,
                        0.0,
                        0.0,
                        f.cell,
                        f.origin[0],
                        f.origin[1],
                    ));
                    surface.set_fill(None);
                    for row in figure::row_strokes(&f.runs) {
                        let mut pb = PathBuilder::new();
                        pb.move_to(row.x0, row.y);
                        pb.line_to(row.x1, row.y);
                        let Some(path) = pb.finish() else { continue };
                        surface.set_stroke(Some(Stroke {
                            paint: rgb::Color::new(f.color.0, f.color.1, f.color.2).into(),
                            width: 1.0,
                            line_cap: LineCap::Butt,
                            dash: row.dash.map(|array| StrokeDash { array, offset: 0.0 }),
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                    }
                    surface.set_stroke(None);
                    surface.pop();
                    surface.end_tagged();
                    content[f.node].push(id);
                    let [l, t, r, b] = f.bbox;
                    boxes[f.node] =
                        Rect::from_ltrb(l, t, r, b).map(|rect| BBox::new(page_idx, rect));
                }
                Item::Image(image) => {
                    let [l, t, r, b] = image.bbox;
                    let id = surface.start_tagged(ContentTag::Other);
                    surface.push_transform(&Transform::from_translate(l, t));
                    picture(&mut surface, &image.picture, r - l, b - t).map_err(&fail)?;
                    surface.pop();
                    surface.end_tagged();
                    content[image.node].push(id);
                    boxes[image.node] =
                        Rect::from_ltrb(l, t, r, b).map(|rect| BBox::new(page_idx, rect));
                }
                Item::Rule(rule) => {
                    surface.start_tagged(ContentTag::Artifact(artifact(rule.artifact)));
                    let mut pb = PathBuilder::new();
                    pb.move_to(rule.x0, rule.y0);
                    pb.line_to(rule.x1, rule.y1);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: rgb::Color::new(rule.color.0, rule.color.1, rule.color.2).into(),
                            width: rule.thickness,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                    surface.end_tagged();
                }
            }
        }
        std::mem::ManuallyDrop::into_inner(surface).finish();
        for link in links {
            let [l, t, r, b] = link.rect;
            let rect = Rect::from_ltrb(l, t, r, b).ok_or_else(|| fail("empty link".into()))?;
            let target = match link.dest {
                Some(d) => Target::Destination(
                    XyzDestination::new(d.page, Point::from_xy(0.0, d.y)).into(),
                ),
                None => Target::Action(LinkAction::new(link.url.clone()).into()),
            };
            let annotation =
                Annotation::new_link(LinkAnnotation::new(rect, target), Some(link.text.clone()));
            annots[link.node].push(p.add_tagged_annotation(annotation));
        }
        p.finish();
    }

    for (c, a) in content.iter_mut().zip(annots) {
        c.splice(0..0, a);
    }
    doc.set_tag_tree(tag_tree(dl, content, boxes));
    doc.set_outline(outline(&dl.outline));
    doc.set_metadata(metadata(dl));
    embed(&mut doc, dl).map_err(&fail)?;
    let pdf = doc.finish().map_err(|e| fail(describe(e)))?;
    pack::pack_with(&pdf, dl.meta.version.as_deref())
        .map_err(|e| fail(format!("cannot pack objects: {e}")))
}

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn artifact(kind: ArtifactKind) -> Artifact {
    Artifact::with_kind(match kind {
        ArtifactKind::Header => ArtifactType::Header,
        ArtifactKind::Footer => ArtifactType::Footer,
        ArtifactKind::Layout => ArtifactType::Other,
        ArtifactKind::Repeated => ArtifactType::PaginationOther,
        ArtifactKind::Reference => ArtifactType::Other,
    })
}

/// Draws `picture` into a `width` × `height` pt box at the origin.
fn picture(
    surface: &mut krilla::surface::Surface,
    picture: &crate::model::Picture,
    width: f32,
    height: f32,
) -> std::result::Result<(), String> {
    let size = krilla::geom::Size::from_wh(width, height).ok_or("empty picture box")?;
    match picture.format {
        PictureFormat::Png => {
            let data: Vec<u8> = picture.data.to_vec();
            // No interpolation: PDF/A-2 (ISO 19005-2 §6.2.8.3) forbids it.
            let image = krilla::image::Image::from_png(data.into(), false)?;
            surface.draw_image(image, size);
        }
        PictureFormat::Svg => {
            use krilla_svg::{SurfaceExt, SvgSettings};
            let tree = crate::picture::svg_tree(&picture.data)?;
            let settings = SvgSettings {
                embed_text: false,
                ..SvgSettings::default()
            };
            surface
                .draw_svg(&tree, size, settings)
                .ok_or("the SVG could not be drawn")?;
        }
    }
    Ok(())
}

/// Builds the tag tree: each structure node becomes a group holding its marked content, then
/// its child nodes, in reading order.
fn tag_tree(
    dl: &DisplayList,
    mut content: Vec<Vec<Identifier>>,
    mut boxes: Vec<Option<BBox>>,
) -> TagTree {
    let n = dl.structure.len();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (i, node) in dl.structure.iter().enumerate() {
        match node.parent {
            Some(p) => children[p].push(i),
            None => roots.push(i),
        }
    }
    // Children always come after their parent, so build groups from the back.
    let mut groups: Vec<Option<TagGroup>> = (0..n).map(|_| None).collect();
    for i in (0..n).rev() {
        let kind: TagKind = match &dl.structure[i].kind {
            StructKind::Part => Tag::Part.into(),
            StructKind::Sect => Tag::Section.into(),
            StructKind::Toc => Tag::TOC.into(),
            StructKind::TocItem => Tag::TOCI.into(),
            StructKind::Reference => Tag::Reference.into(),
            StructKind::Heading { level, text } => Tag::Hn(
                NonZeroU16::new(u16::from(*level).max(1)).expect("nonzero"),
                Some(text.clone()),
            )
            .into(),
            StructKind::Paragraph => Tag::P.into(),
            StructKind::List { ordered: false } => Tag::L(ListNumbering::Disc).into(),
            StructKind::List { ordered: true } => Tag::L(ListNumbering::Decimal).into(),
            StructKind::ListItem => Tag::LI.into(),
            StructKind::Label => Tag::Lbl.into(),
            StructKind::ListBody => Tag::LBody.into(),
            StructKind::Table => Tag::Table.into(),
            StructKind::TableHead => Tag::THead.into(),
            StructKind::TableBody => Tag::TBody.into(),
            StructKind::TableRow => Tag::TR.into(),
            StructKind::TableHeader => Tag::TH(TableHeaderScope::Column).into(),
            StructKind::TableCell => Tag::TD.into(),
            StructKind::Link { .. } => Tag::Link.into(),
            // Added words are set semibold (no line: an underline reads as a link), removed ones
            // struck through: the layout attribute says which line there is.
            StructKind::Span { mark, alt } => Tag::Span
                .with_alt_text(Some(alt.clone()))
                .with_text_decoration_type(match mark {
                    Mark::Added => None,
                    Mark::Removed => Some(TextDecorationType::LineThrough),
                })
                .into(),
            StructKind::Figure { alt } => Tag::Figure(Some(alt.clone()))
                .with_bbox(boxes[i].take())
                .into(),
        };
        let mut group = TagGroup::new(kind);
        for id in std::mem::take(&mut content[i]) {
            group.push(Node::Leaf(id));
        }
        for &c in &children[i] {
            if let Some(child) = groups[c].take() {
                group.push(Node::Group(child));
            }
        }
        groups[i] = Some(group);
    }
    let mut tree = TagTree::new().with_lang(Some(dl.meta.language.clone()));
    for r in roots {
        if let Some(g) = groups[r].take() {
            tree.push(Node::Group(g));
        }
    }
    tree
}

fn outline(entries: &[OutlineEntry]) -> Outline {
    fn node(e: &OutlineEntry) -> OutlineNode {
        let mut n = OutlineNode::new(
            e.title.clone(),
            XyzDestination::new(e.page, Point::from_xy(0.0, e.y)),
        );
        for c in &e.children {
            n.push_child(node(c));
        }
        n
    }
    let mut o = Outline::new();
    for e in entries {
        o.push_child(node(e));
    }
    o
}

/// A date and time (UTC) as krilla writes it.
fn pdf_date(d: chrono::NaiveDateTime) -> DateTime {
    DateTime::new(d.year().clamp(0, 9999) as u16)
        .month(d.month() as u8)
        .day(d.day() as u8)
        .hour(d.hour() as u8)
        .minute(d.minute() as u8)
        .second(d.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// Embeds the document's attachments as associated files (PDF/A-3, ISO 19005-3 §6.8): each
/// with its MIME type, description, relationship and the document's date.
fn embed(doc: &mut Document, dl: &DisplayList) -> std::result::Result<(), String> {
    use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
    for a in &dl.meta.attachments {
        let file = EmbeddedFile {
            path: a.name.clone(),
            mime_type: Some(MimeType::new(a.mime).ok_or("invalid MIME type")?),
            description: Some(a.description.clone()),
            association_kind: match a.relationship {
                Relationship::Source => AssociationKind::Source,
                Relationship::Supplement => AssociationKind::Supplement,
            },
            data: a.data.to_vec().into(),
            modification_date: Some(pdf_date(dl.meta.date)),
            // Compressed while packing, like the content streams.
            compress: Some(false),
            location: None,
        };
        doc.embed_file(file)
            .ok_or_else(|| format!("two attachments named {}", a.name))?;
    }
    Ok(())
}

fn metadata(dl: &DisplayList) -> Metadata {
    let m = &dl.meta;
    let date = pdf_date(m.date);
    let mut meta = Metadata::new()
        .title(m.title.clone())
        .authors(vec![m.author.clone()])
        .language(m.language.clone())
        .creator(m.creator.clone())
        .producer(format!("krilla (via {})", m.creator))
        .creation_date(date)
        // Stable across versions of one notice; the instance id changes with the content.
        .document_id(format!("notice-pdf/{}", m.id));
    if let Some(s) = &m.subject {
        meta = meta.description(s.clone());
    }
    if !m.keywords.is_empty() {
        meta = meta.keywords(m.keywords.clone());
    }
    meta
}

/// krilla's error as a sentence: its own `Display`, and for a broken rule of PDF/A-3a or
/// PDF/UA-1 (krilla names those by variant only) the rule's name in words.
fn describe(e: krilla::error::KrillaError) -> String {
    use krilla::error::KrillaError;
    match e {
        KrillaError::Validation(errors) => {
            let list: Vec<String> = errors.iter().map(|(e, _)| rule_name(e)).collect();
            format!(
                "PDF/A-3a or PDF/UA-1 would be violated: {}",
                list.join("; ")
            )
        }
        other => other.to_string(),
    }
}

/// `TooLongString` -> "too long string": the name of the rule a validation error stands for,
/// without what it carries.
fn rule_name(e: &krilla::configure::ValidationError) -> String {
    let debug = format!("{e:?}");
    let name = debug.split(['(', ' ', '{']).next().unwrap_or_default();
    let mut words = String::new();
    for c in name.chars() {
        if c.is_uppercase() && !words.is_empty() {
            words.push(' ');
        }
        words.extend(c.to_lowercase());
    }
    words
}

#[cfg(test)]
mod describe_tests {
    use krilla::configure::ValidationError;

    #[test]
    fn a_broken_rule_is_named_in_words_not_dumped() {
        assert_eq!(
            super::rule_name(&ValidationError::TooLongString),
            "too long string"
        );
        let e = krilla::error::KrillaError::Validation(vec![(
            ValidationError::TooLongString,
            krilla::configure::Validators::default(),
        )]);
        assert_eq!(
            super::describe(e),
            "PDF/A-3a or PDF/UA-1 would be violated: too long string"
        );
    }
}
