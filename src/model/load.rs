//! Reading a notice from TOML, with `file:line:col` errors that say what the editor wrote.

use std::path::Path;

use toml::de::DeTable;

use super::locate::{Seg, line_col, span_of};
use super::{ItemKind, Notice};
use crate::error::{Diagnostic, Severity};

/// Parses a notice from TOML text. `file` is only used to label diagnostics.
pub fn parse(file: &Path, text: &str) -> Result<Notice, Diagnostic> {
    let root = DeTable::parse(text).map_err(|e| toml_diagnostic(file, text, &e, String::new()))?;
    let id_at = line_col(text, span_of(&root, &[Seg::Key("id")]).start);
    let de = toml::de::Deserializer::from(root);
    let mut notice: Notice = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { String::new() } else { path };
        toml_diagnostic(file, text, e.inner(), field)
    })?;
    notice.id_at = id_at;
    Ok(notice)
}

fn toml_diagnostic(file: &Path, text: &str, e: &toml::de::Error, field: String) -> Diagnostic {
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
    let hint = if hint.is_some() {
        hint
    } else if message.starts_with("unknown field") {
        Some("check the spelling; README.md \"The data format\" lists every field".to_owned())
    } else if message.starts_with("missing field") {
        Some("every notice needs id, title, language, publisher, updated and sections".to_owned())
    } else if message.contains("unknown variant") {
        Some(format!(
            "item kinds are {}",
            [ItemKind::REQUIRED.as_slice(), &[ItemKind::Other]]
                .concat()
                .iter()
                .map(|k| k.key())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    } else {
        None
    };
    Diagnostic {
        severity: Severity::Error,
        file: file.to_owned(),
        line,
        col,
        field,
        message,
        hint,
    }
}
