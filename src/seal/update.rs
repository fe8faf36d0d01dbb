//! The seal's incremental update (ISO 32000-1 §7.5.6): revision 1 stays byte for byte; after it
//! come the signature dictionary, an invisible signature field, the catalog with its
//! `/AcroForm` and the first page with the field's widget among its `/Annots`, then a
//! cross-reference stream whose `/Prev` is revision 1's and whose trailer keeps its `/ID`
//! (PDF/A-3, ISO 19005-3 §6.1.3).

use crate::verify::read::{self, Obj};

/// Where the placeholders of the signature dictionary are in the update's bytes.
pub struct Placeholders {
    /// The `[` … `]` of `/ByteRange`, padded with spaces.
    pub byte_range: std::ops::Range<usize>,
    /// The `<` … `>` of `/Contents`, zeros in hex.
    pub contents: std::ops::Range<usize>,
}

/// The field's accessible description (PDF/UA-1 §7.18.1, ISO 32000-1 §12.7.3.1 `/TU`).
pub const FIELD_DESCRIPTION: &str = "Elektronisk stämpel (organisationsstämpel) från utgivaren: visar att dokumentet inte har ändrats sedan det stämplades";

/// Width reserved for each number of `/ByteRange` (digits; a PDF of up to 10¹⁰ bytes).
const RANGE_DIGITS: usize = 10;

/// What the update needs of revision 1.
struct Revision {
    size: u32,
    root: u32,
    catalog: Obj,
    page: u32,
    page_dict: Obj,
    annots: Vec<Obj>,
    info: Option<Obj>,
    id: Option<Obj>,
    startxref: usize,
    tags: Tags,
}

/// What tagging the widget needs of the structure tree (ISO 32000-1 §14.7.4.4): the root,
/// the element the `Form` element joins, and the parent tree (in the root, or its own
/// object) with its next key.
struct Tags {
    root_num: u32,
    root: Obj,
    parent_num: u32,
    parent: Obj,
    parent_tree: Option<u32>,
    nums: Vec<Obj>,
    next_key: i64,
}

fn tags(doc: &mut read::Pdf, catalog: &Obj) -> Result<Tags, String> {
    let Some(Obj::Ref(root_num)) = catalog.get(b"StructTreeRoot").cloned() else {
        return Err("it has no structure tree (it is not tagged)".into());
    };
    let root = doc.get(root_num)?;
    let parent_num = match root.get(b"K") {
        Some(Obj::Ref(n)) => *n,
        Some(Obj::Array(k)) => match k.first() {
            Some(Obj::Ref(n)) if k.len() == 1 => *n,
            _ => return Err("its structure tree does not have one document element".into()),
        },
        _ => return Err("its structure tree is empty".into()),
    };
    let parent = doc.get(parent_num)?;
    let (parent_tree, tree) = match root.get(b"ParentTree") {
        Some(Obj::Ref(n)) => (Some(*n), doc.get(*n)?),
        Some(t @ Obj::Dict(_)) => (None, t.clone()),
        _ => return Err("its structure tree has no parent tree".into()),
    };
    let Some(Obj::Array(nums)) = tree.get(b"Nums").cloned() else {
        return Err("its parent tree is not one node of /Nums".into());
    };
    let Some(Obj::Int(next_key)) = root.get(b"ParentTreeNextKey").cloned() else {
        return Err("its structure tree has no /ParentTreeNextKey".into());
    };
    Ok(Tags {
        root_num,
        root,
        parent_num,
        parent,
        parent_tree,
        nums,
        next_key,
    })
}

fn revision(pdf: &[u8]) -> Result<Revision, String> {
    let mut doc = read::Pdf::open(pdf)?;
    let trailer = doc.trailer.clone();
    let size = trailer
        .get(b"Size")
        .and_then(|s| match s {
            Obj::Int(n) => u32::try_from(*n).ok(),
            _ => None,
        })
        .ok_or("its trailer has no /Size")?;
    let Some(Obj::Ref(root)) = trailer.get(b"Root").cloned() else {
        return Err("its trailer has no /Root".into());
    };
    let catalog = doc.get(root)?;
    if catalog.get(b"AcroForm").is_some() {
        return Err("it has a form already (is it sealed?)".into());
    }
    let pages = doc.resolve(catalog.get(b"Pages").ok_or("it has no /Pages")?)?;
    let mut kid = pages.get(b"Kids").cloned();
    // Down the page tree to the first page.
    let page = loop {
        let Some(Obj::Array(kids)) = kid else {
            return Err("its page tree has no /Kids".into());
        };
        let Some(Obj::Ref(first)) = kids.first().cloned() else {
            return Err("its page tree is empty".into());
        };
        let node = doc.get(first)?;
        if node.get(b"Type") == Some(&Obj::Name(b"Page".to_vec())) {
            break first;
        }
        kid = node.get(b"Kids").cloned();
    };
    let page_dict = doc.get(page)?;
    let tags = tags(&mut doc, &catalog)?;
    let annots = match page_dict.get(b"Annots") {
        Some(a) => match doc.resolve(a)? {
            Obj::Array(a) => a,
            _ => return Err("its first page's /Annots is not an array".into()),
        },
        None => Vec::new(),
    };
    let tail = &pdf[pdf.len().saturating_sub(1024)..];
    let at = memchr::memmem::rfind(tail, b"startxref").ok_or("it has no startxref")?;
    let digits: String = tail[at + 9..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| b as char)
        .collect();
    let startxref = digits
        .parse()
        .map_err(|_| "its startxref is not a number")?;
    Ok(Revision {
        size,
        root,
        catalog,
        page,
        page_dict,
        annots,
        info: trailer.get(b"Info").cloned(),
        id: trailer.get(b"ID").cloned(),
        startxref,
        tags,
    })
}

/// Revision 1 (`pdf`) with the update appended, and where its placeholders are (offsets in
/// the whole file). `time` is the `/M` date string, `contents` the bytes reserved for the CMS.
pub fn append(pdf: &[u8], time: &str, contents: usize) -> Result<(Vec<u8>, Placeholders), String> {
    let rev = revision(pdf)?;
    let (sig, field, form) = (rev.size, rev.size + 1, rev.size + 2);
    let xref_num = rev.size + 3;
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets: Vec<(u32, usize)> = Vec::new();

    // The signature dictionary (ISO 32000-1 §12.8.1, ETSI EN 319 142-1 §5.3).
    offsets.push((sig, out.len()));
    out.extend_from_slice(
        format!("{sig} 0 obj\n<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/M")
            .as_bytes(),
    );
    write_obj(&mut out, &Obj::Str(time.as_bytes().to_vec()));
    out.extend_from_slice(b"/ByteRange");
    let br_start = out.len();
    out.push(b'[');
    out.extend(std::iter::repeat_n(b' ', 4 * (RANGE_DIGITS + 1)));
    out.push(b']');
    let br_end = out.len();
    out.extend_from_slice(b"/Contents");
    let c_start = out.len();
    out.push(b'<');
    out.extend(std::iter::repeat_n(b'0', contents * 2));
    out.push(b'>');
    let c_end = out.len();
    out.extend_from_slice(b">>\nendobj\n");

    // The field and its widget in one dictionary: invisible (a zero rectangle needs no
    // appearance, ISO 19005-3 §6.3.3) yet printable, as PDF/A requires (/F 4: Print; 128:
    // Locked).
    offsets.push((field, out.len()));
    out.extend_from_slice(format!("{field} 0 obj\n<</FT/Sig/T(Seal)/TU").as_bytes());
    write_obj(&mut out, &text_string(FIELD_DESCRIPTION));
    out.extend_from_slice(
        format!(
            "/V {sig} 0 R/Type/Annot/Subtype/Widget/Rect[0 0 0 0]/F 132/P {} 0 R/StructParent {}>>\nendobj\n",
            rev.page, rev.tags.next_key
        )
        .as_bytes(),
    );

    // The widget tagged: a Form element at the end of the document element (PDF/UA-1
    // §7.18.4), reached from the parent tree by the widget's /StructParent.
    let t = &rev.tags;
    offsets.push((form, out.len()));
    out.extend_from_slice(
        format!(
            "{form} 0 obj\n<</Type/StructElem/S/Form/P {} 0 R/Pg {} 0 R/K<</Type/OBJR/Obj {field} 0 R/Pg {} 0 R>>>>\nendobj\n",
            t.parent_num, rev.page, rev.page
        )
        .as_bytes(),
    );
    let mut parent = t.parent.clone();
    let kids = match parent.get(b"K").cloned() {
        Some(Obj::Array(mut k)) => {
            k.push(Obj::Ref(form));
            k
        }
        Some(one) => vec![one, Obj::Ref(form)],
        None => vec![Obj::Ref(form)],
    };
    set(&mut parent, b"K", Obj::Array(kids));
    offsets.push((t.parent_num, out.len()));
    write_indirect(&mut out, t.parent_num, &parent);
    let mut nums = t.nums.clone();
    nums.extend([Obj::Int(t.next_key), Obj::Ref(form)]);
    let tree = Obj::Dict(vec![(b"Nums".to_vec(), Obj::Array(nums))]);
    let mut root = t.root.clone();
    set(&mut root, b"ParentTreeNextKey", Obj::Int(t.next_key + 1));
    match t.parent_tree {
        Some(n) => {
            offsets.push((n, out.len()));
            write_indirect(&mut out, n, &tree);
        }
        None => set(&mut root, b"ParentTree", tree),
    }
    offsets.push((t.root_num, out.len()));
    write_indirect(&mut out, t.root_num, &root);

    // The catalog, with the form.
    let mut catalog = rev.catalog.clone();
    set(
        &mut catalog,
        b"AcroForm",
        Obj::Dict(vec![
            (b"Fields".to_vec(), Obj::Array(vec![Obj::Ref(field)])),
            (b"SigFlags".to_vec(), Obj::Int(3)),
        ]),
    );
    offsets.push((rev.root, out.len()));
    write_indirect(&mut out, rev.root, &catalog);

    // The first page, with the widget among its annotations, in structure order.
    let mut page = rev.page_dict.clone();
    let mut annots = rev.annots.clone();
    annots.push(Obj::Ref(field));
    set(&mut page, b"Annots", Obj::Array(annots));
    set(&mut page, b"Tabs", Obj::Name(b"S".to_vec()));
    offsets.push((rev.page, out.len()));
    write_indirect(&mut out, rev.page, &page);

    // The cross-reference stream (ISO 32000-1 §7.5.8), uncompressed.
    let xref_at = out.len();
    offsets.push((xref_num, xref_at));
    offsets.sort_unstable();
    let mut rows = Vec::new();
    let mut index = Vec::new();
    for &(num, at) in &offsets {
        index.push(Obj::Int(num.into()));
        index.push(Obj::Int(1));
        rows.push(1u8);
        rows.extend_from_slice(&(at as u32).to_be_bytes());
        rows.push(0);
    }
    let mut dict = vec![
        (b"Type".to_vec(), Obj::Name(b"XRef".to_vec())),
        (b"Size".to_vec(), Obj::Int((xref_num + 1).into())),
        (b"Root".to_vec(), Obj::Ref(rev.root)),
    ];
    if let Some(info) = rev.info {
        dict.push((b"Info".to_vec(), info));
    }
    if let Some(id) = rev.id {
        dict.push((b"ID".to_vec(), id));
    }
    dict.extend([
        (b"Prev".to_vec(), Obj::Int(rev.startxref as i64)),
        (b"Index".to_vec(), Obj::Array(index)),
        (
            b"W".to_vec(),
            Obj::Array(vec![Obj::Int(1), Obj::Int(4), Obj::Int(1)]),
        ),
        (b"Length".to_vec(), Obj::Int(rows.len() as i64)),
    ]);
    out.extend_from_slice(format!("{xref_num} 0 obj\n").as_bytes());
    write_obj(&mut out, &Obj::Dict(dict));
    out.extend_from_slice(b"\nstream\n");
    out.extend_from_slice(&rows);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    Ok((
        out,
        Placeholders {
            byte_range: br_start..br_end,
            contents: c_start..c_end,
        },
    ))
}

/// Writes `[0 a b c]` into the `/ByteRange` placeholder, padded with spaces.
pub fn fill_byte_range(out: &mut [u8], at: &Placeholders) {
    let len = out.len();
    let text = format!(
        "[0 {} {} {}]",
        at.contents.start,
        at.contents.end,
        len - at.contents.end
    );
    let slot = &mut out[at.byte_range.clone()];
    slot.fill(b' ');
    slot[..text.len() - 1].copy_from_slice(&text.as_bytes()[..text.len() - 1]);
    let last = slot.len() - 1;
    slot[last] = b']';
}

fn set(dict: &mut Obj, key: &[u8], value: Obj) {
    if let Obj::Dict(d) = dict {
        d.retain(|(k, _)| k != key);
        d.push((key.to_vec(), value));
    }
}

/// A text string (ISO 32000-1 §7.9.2.2): UTF-16BE with its byte order mark.
fn text_string(s: &str) -> Obj {
    let mut bytes = vec![0xfe, 0xff];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Obj::Str(bytes)
}

fn write_indirect(out: &mut Vec<u8>, num: u32, obj: &Obj) {
    out.extend_from_slice(format!("{num} 0 obj\n").as_bytes());
    write_obj(out, obj);
    out.extend_from_slice(b"\nendobj\n");
}

/// Writes a value as PDF syntax: strings in hex, names with `#` escapes.
pub fn write_obj(out: &mut Vec<u8>, obj: &Obj) {
    match obj {
        Obj::Null => out.extend_from_slice(b"null"),
        Obj::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Obj::Int(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Obj::Real(r) => out.extend_from_slice(format!("{r}").as_bytes()),
        Obj::Name(n) => write_name(out, n),
        Obj::Str(s) => {
            out.push(b'<');
            for b in s {
                out.extend_from_slice(format!("{b:02X}").as_bytes());
            }
            out.push(b'>');
        }
        Obj::Array(a) => {
            out.push(b'[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_obj(out, v);
            }
            out.push(b']');
        }
        Obj::Dict(d) | Obj::Stream(d, _) => {
            out.extend_from_slice(b"<<");
            for (k, v) in d {
                write_name(out, k);
                out.push(b' ');
                write_obj(out, v);
            }
            out.extend_from_slice(b">>");
        }
        Obj::Ref(n) => out.extend_from_slice(format!("{n} 0 R").as_bytes()),
    }
}

fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        if b.is_ascii_alphanumeric() || b"-_.+*!$'".contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        }
    }
}
