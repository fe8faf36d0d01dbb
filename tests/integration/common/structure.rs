//! A PDF file's structure tree, read back with lopdf (independent of the display list it
//! was written from).

/// A structure element of a PDF file as written: its role (`/S`), whether it says `/Scope
/// /Column`, its children.
#[derive(Debug)]
pub struct StructEl {
    pub role: String,
    pub scope_column: bool,
    pub kids: Vec<StructEl>,
}

/// The structure tree of `pdf`: the elements under `StructTreeRoot`, in order.
pub fn pdf_structure(pdf: &[u8]) -> Vec<StructEl> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    let root = doc
        .get_dictionary(
            catalog
                .get(b"StructTreeRoot")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap();
    kids(&doc, root.get(b"K").unwrap())
}

fn kids(doc: &lopdf::Document, k: &lopdf::Object) -> Vec<StructEl> {
    use lopdf::Object;
    match k {
        Object::Array(a) => a.iter().flat_map(|o| kids(doc, o)).collect(),
        Object::Reference(r) => match doc.get_object(*r).unwrap() {
            Object::Dictionary(d) => element(doc, d).into_iter().collect(),
            _ => Vec::new(),
        },
        Object::Dictionary(d) => element(doc, d).into_iter().collect(),
        _ => Vec::new(),
    }
}

fn element(doc: &lopdf::Document, d: &lopdf::Dictionary) -> Option<StructEl> {
    let role = d.get(b"S").ok()?.as_name().ok()?;
    let attrs = d.get(b"A").ok().map(|a| match a {
        lopdf::Object::Reference(r) => doc.get_object(*r).unwrap().clone(),
        other => other.clone(),
    });
    let scope_column = attrs.is_some_and(|a| {
        let dicts: Vec<lopdf::Dictionary> = match a {
            lopdf::Object::Dictionary(d) => vec![d],
            lopdf::Object::Array(v) => v
                .into_iter()
                .filter_map(|o| match o {
                    lopdf::Object::Dictionary(d) => Some(d),
                    lopdf::Object::Reference(r) => doc.get_dictionary(r).ok().cloned(),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        dicts.iter().any(|d| {
            d.get(b"O").and_then(|o| o.as_name()).ok() == Some(b"Table".as_slice())
                && d.get(b"Scope").and_then(|o| o.as_name()).ok() == Some(b"Column".as_slice())
        })
    });
    Some(StructEl {
        role: String::from_utf8_lossy(role).into_owned(),
        scope_column,
        kids: d.get(b"K").map(|k| kids(doc, k)).unwrap_or_default(),
    })
}
