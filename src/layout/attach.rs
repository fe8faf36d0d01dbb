//! What a PDF carries of its making: the data files it was made from and a recipe (the
//! render options), embedded as PDF/A-3 associated files. `notice-pdf verify` reads them back,
//! renders again and compares bytes.

use std::sync::Arc;

use super::Options;
use super::display::{Attachment, Relationship};
use crate::model::{Collection, Logo, Notice, Picture, PictureFormat, SourceFile};

pub use super::recipe::{Document, RECIPE, Recipe};

/// A single notice's attachments: its data file, its logo, the recipe.
pub(super) fn notice(n: &Notice, opts: &Options) -> Vec<Attachment> {
    let mut out = Vec::new();
    push_notice(&mut out, n);
    let mut r = Recipe::new(
        Document::Notice,
        &[n.id.as_str()],
        &previous_names(&[n]),
        opts,
    );
    r.links = linked_peers(n);
    out.push(recipe(r));
    out
}

/// The addresses of the other notices `n` links to (`notice:ID`), as its document has them.
fn linked_peers(n: &Notice) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    crate::model::walk(n, crate::model::Which::Printed, &mut |_, step| {
        if let crate::model::Step::Running { text, .. } = step {
            crate::model::rich::for_each_link(&text.blocks, &mut |target, _| {
                if let crate::model::rich::Target::Notice { id, .. } = target
                    && let Some(url) = n.peers.get(id)
                {
                    out.insert(id.clone(), url.clone());
                }
            });
        }
    });
    out
}

/// A pack's attachments: the collection, every notice of the collection (one outside the pack
/// still gives the address its links lead to), their logos, the recipe naming the selection.
pub(super) fn pack(
    c: &Collection,
    selected: &[&Notice],
    all: &[&Notice],
    opts: &Options,
) -> Vec<Attachment> {
    let mut out = Vec::new();
    if let Some(src) = &c.source {
        out.push(data_file(src, format!("Samlingen: {}", c.title)));
    }
    if let Some((logo, picture)) = c.logo() {
        push_logo(&mut out, logo, picture);
    }
    let ordered: Vec<&Notice> = c
        .order()
        .filter_map(|id| all.iter().find(|n| n.id == id).copied())
        .collect();
    for n in &ordered {
        push_notice(&mut out, n);
    }
    let ids: Vec<&str> = selected.iter().map(|n| n.id.as_str()).collect();
    out.push(recipe(Recipe::new(
        Document::Pack,
        &ids,
        &previous_names(&ordered),
        opts,
    )));
    out
}

fn push_notice(out: &mut Vec<Attachment>, n: &Notice) {
    if let Some(src) = &n.source {
        let version = n.version.as_deref().unwrap_or("-");
        let description = format!("Underlag: {}, version {} ({version})", n.title, n.updated);
        out.push(data_file(src, description));
    }
    // The version it is compared with ("Vad har ändrats sedan …"), so that `verify` can make
    // that section again.
    if let Some((p, src)) = n
        .previous
        .as_deref()
        .and_then(|p| Some((p, p.source.as_ref()?)))
    {
        let version = p.version.as_deref().unwrap_or("-");
        out.push(Attachment {
            name: previous_name(p),
            ..data_file(
                src,
                format!(
                    "Tidigare version: {}, version {} ({version}), jämförd med i avsnittet om ändringar",
                    p.title, p.updated
                ),
            )
        });
    }
    if let Some((logo, picture)) = n.logo() {
        push_logo(out, logo, picture);
    }
}

/// The embedded names of the previous versions `notices` carry.
fn previous_names(notices: &[&Notice]) -> Vec<String> {
    notices
        .iter()
        .filter_map(|n| n.previous.as_deref())
        .filter(|p| p.source.is_some())
        .map(previous_name)
        .collect()
}

fn data_file(src: &SourceFile, description: String) -> Attachment {
    Attachment {
        name: src.name.clone(),
        mime: "application/toml",
        description,
        relationship: Relationship::Source,
        data: src.data.clone(),
    }
}

/// A logo, once (notices in one data directory share a logo file by name).
fn push_logo(out: &mut Vec<Attachment>, logo: &Logo, picture: &Picture) {
    if out.iter().any(|a| a.name == logo.file) {
        return;
    }
    out.push(Attachment {
        name: logo.file.clone(),
        mime: match picture.format {
            PictureFormat::Png => "image/png",
            PictureFormat::Svg => "image/svg+xml",
        },
        description: format!("Logotyp: {}", logo.alt),
        relationship: Relationship::Source,
        data: picture.data.clone(),
    });
}

/// The name under which a notice's previous version is embedded:
/// `<id>.<version>.tidigare.toml` (the recipe lists it, so `verify` never takes it for a
/// notice of its own).
pub fn previous_name(p: &Notice) -> String {
    format!(
        "{}.{}.tidigare.toml",
        p.id,
        p.version.as_deref().unwrap_or("-")
    )
}

/// The recipe attachment ([`Recipe`]).
fn recipe(recipe: Recipe) -> Attachment {
    let json = recipe.to_json();
    Attachment {
        name: RECIPE.to_owned(),
        mime: "application/json",
        description: "Hur dokumentet gjordes: program, utgåva och inställningar".to_owned(),
        relationship: Relationship::Supplement,
        data: Arc::from(json),
    }
}
