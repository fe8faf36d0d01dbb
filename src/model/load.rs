//! Reading a notice from TOML, with `file:line:col` errors that say what the editor wrote.

use std::path::Path;

use toml::de::DeTable;

use super::locate::{Located, Seg, line_col, span_of};
use super::{Collection, ItemKind, Notice, NoticeData};
use crate::error::Diagnostic;

/// Parses a notice from TOML text. `file` is only used to label diagnostics.
pub fn parse(file: &Path, text: &str) -> Result<Notice, Diagnostic> {
    parse_located(file, &Located::new(text))
}

/// [`parse`] from a text already parsed for locating its values (which validation, the links
/// and the lint locate in too).
pub fn parse_located(file: &Path, src: &Located) -> Result<Notice, Diagnostic> {
    let root = tree(file, src, NOTICE_FIELDS)?;
    let id_at = src.lines.line_col(span_of(&root, &[Seg::Key("id")]).start);
    let data: NoticeData = deserialize(file, src.text, root, NOTICE_FIELDS)?;
    Ok(Notice {
        id_at,
        ..Notice::new(data)
    })
}

/// Parses the collection file from TOML text. `file` is only used to label diagnostics.
pub fn parse_collection(file: &Path, src: &Located) -> Result<Collection, Diagnostic> {
    let root = tree(file, src, COLLECTION_FIELDS)?;
    deserialize(file, src.text, root, COLLECTION_FIELDS)
}

/// The parsed tree of `src`, or the TOML syntax error located.
fn tree<'a>(
    file: &Path,
    src: &Located<'a>,
    required: &str,
) -> Result<toml::Spanned<DeTable<'a>>, Diagnostic> {
    match &src.root {
        Some(root) => Ok(root.clone()),
        None => Err(match DeTable::parse(src.text) {
            Err(e) => toml_diagnostic(file, src.text, &e, String::new(), required),
            Ok(_) => unreachable!("Located keeps the tree of a text that parses"),
        }),
    }
}

fn deserialize<T: serde::de::DeserializeOwned>(
    file: &Path,
    text: &str,
    root: toml::Spanned<DeTable>,
    required: &str,
) -> Result<T, Diagnostic> {
    let de = toml::de::Deserializer::from(root);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { String::new() } else { path };
        toml_diagnostic(file, text, e.inner(), field, required)
    })
}

/// The hint for a missing field of a notice.
const NOTICE_FIELDS: &str =
    "every notice needs id, title, summary, language, publisher, updated and sections";
/// The hint for a missing summary.
const SUMMARY_HINT: &str = "add summary = \"…\": one line saying what the notice covers (the agents' page, the pack's contents and the PDF's subject show it)";
/// The hint for a missing field of the collection.
const COLLECTION_FIELDS: &str = "the collection needs title, label, publisher, language and groups (each with title and notices)";

/// The name of the field a serde "missing field `x`" message names.
fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.strip_suffix('`')
}

fn toml_diagnostic(
    file: &Path,
    text: &str,
    e: &toml::de::Error,
    mut field: String,
    required: &str,
) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    let (line, col) = line_col(text, span.start);
    let at = text.get(span).unwrap_or_default().trim();
    let mut message = e.message().trim_end().to_owned();
    let mut hint = None;
    if message == "duplicate key" && !at.is_empty() {
        message = format!("duplicate key `{at}`: it is already set above");
        hint = Some(format!("keep one `{at}` and remove the other"));
    } else if message.starts_with("invalid type: map")
        && at.parse::<toml::value::Datetime>().is_ok()
    {
        // serde sees a TOML date as a map; say what the editor wrote.
        let expected = message
            .split_once(", expected ")
            .map_or("a string", |(_, x)| x);
        message = format!("expected {expected}, found the unquoted TOML date {at}");
        hint = Some(format!("write dates in quotes: \"{at}\""));
    }
    if let Some(name) = missing_field(&message).map(str::to_owned) {
        // Said at the field's path, as every other problem is.
        field = if field.is_empty() {
            name.clone()
        } else {
            format!("{field}.{name}")
        };
        message = "the field is missing".to_owned();
        hint = Some(if name == "summary" && required == NOTICE_FIELDS {
            SUMMARY_HINT.to_owned()
        } else {
            required.to_owned()
        });
    }
    let hint = if hint.is_some() {
        hint
    } else if message.starts_with("unknown field") {
        Some("check the spelling; docs/data-format.md lists every field".to_owned())
    } else if message.contains("unknown variant") {
        Some(format!(
            "item kinds are {}",
            ItemKind::ALL
                .iter()
                .map(|k| k.key())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    } else {
        None
    };
    Diagnostic {
        hint,
        ..Diagnostic::error(file, (line, col), field, message)
    }
}
