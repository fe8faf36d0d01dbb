//! Finishes the XMP metadata packet krilla writes (the document's metadata stream, ISO 32000-1
//! §14.3.2; PDF/A: ISO 19005-3 §6.6): adds the data's version id, which krilla has no field
//! for, and leaves out the extension schema descriptions PDF/A-3 does not need.
//!
//! An extension schema (ISO 19005-3 §6.6.2.3.2) is needed for each property a packet uses
//! that the schemas of the XMP Specification 2005 do not predefine (§6.6.2.3.1). krilla
//! describes `xmpMM:InstanceID` and the four `pdf:` properties for every part of PDF/A, as
//! PDF/A-1 (XMP 2004) needs; for PDF/A-3 that is some 1.9 KB of a notice's 5.2 KB packet that
//! says nothing. What a packet uses and PDF/A does not predefine (`pdfuaid:part`, PDF/UA-1
//! §5) stays described. The packet stays unfiltered text (see `pack::compressed`).

use memchr::memmem::find;

/// Properties of the XMP Specification 2005 (predefined in PDF/A-2 and -3) that the
/// descriptions krilla writes can name, by namespace. Only listed ones are dropped, so a
/// property missing here is merely described twice.
const PREDEFINED: &[(&str, &[&str])] = &[
    (
        "http://ns.adobe.com/xap/1.0/mm/",
        &[
            "DerivedFrom",
            "DocumentID",
            "History",
            "InstanceID",
            "ManagedFrom",
            "RenditionClass",
            "VersionID",
        ],
    ),
    (
        "http://ns.adobe.com/pdf/1.3/",
        &["Keywords", "PDFVersion", "Producer"],
    ),
];

/// `packet` with `<xmpMM:VersionID>` added before the document id (when `version` is given;
/// VersionID is a predefined property of the XMP Media Management schema) and the extension
/// schema descriptions trimmed to what [the module](self) says is needed.
pub fn finish(packet: &[u8], version: Option<&str>) -> Vec<u8> {
    let mut out = trimmed(packet).unwrap_or_else(|| packet.to_vec());
    if let Some(version) = version
        && let Some(at) = find(&out, b"<xmpMM:DocumentID>")
    {
        let element = format!("<xmpMM:VersionID>{version}</xmpMM:VersionID>");
        out.splice(at..at, element.into_bytes());
    }
    out
}

const SCHEMAS_OPEN: &[u8] = b"<pdfaExtension:schemas>";
const SCHEMAS_CLOSE: &[u8] = b"</pdfaExtension:schemas>";
const LI_OPEN: &[u8] = b"<rdf:li";
const LI_CLOSE: &[u8] = b"</rdf:li>";

/// `packet` with each schema description keeping only the properties the packet uses that
/// are not predefined, a description with none left dropped, and the `pdfaExtension:schemas`
/// element dropped when no description is left. `None` when the packet has no such element
/// or is not laid out as expected (then it stays as it is).
fn trimmed(packet: &[u8]) -> Option<Vec<u8>> {
    let start = find(packet, SCHEMAS_OPEN)?;
    let end = start + find(&packet[start..], SCHEMAS_CLOSE)? + SCHEMAS_CLOSE.len();
    let schemas = &packet[start..end];
    let mut kept = Vec::with_capacity(schemas.len());
    let mut any = false;
    let mut at = 0;
    while let Some(li) = find(&schemas[at..], LI_OPEN).map(|i| at + i) {
        let li_end = li_end(schemas, li)?;
        kept.extend_from_slice(&schemas[at..li]);
        if let Some(schema) = schema_needed(packet, &schemas[li..li_end])? {
            kept.extend_from_slice(&schema);
            any = true;
        }
        at = li_end;
    }
    kept.extend_from_slice(&schemas[at..]);

    let mut out = Vec::with_capacity(packet.len());
    out.extend_from_slice(&packet[..start]);
    if any {
        out.extend_from_slice(&kept);
    }
    out.extend_from_slice(&packet[end..]);
    Some(out)
}

/// One schema description (`<rdf:li …>…</rdf:li>` of the `pdfaExtension:schemas` bag) with
/// only its needed property descriptions; `Some(None)` when none is needed. A description
/// that defines value types (`pdfaSchema:valueType`) is kept whole. `None`: unexpected layout.
fn schema_needed(packet: &[u8], schema: &[u8]) -> Option<Option<Vec<u8>>> {
    if find(schema, b"<pdfaSchema:valueType>").is_some() {
        return Some(Some(schema.to_vec()));
    }
    let uri = text_of(schema, "pdfaSchema:namespaceURI")?;
    let prefix = text_of(schema, "pdfaSchema:prefix")?;
    let predefined = PREDEFINED
        .iter()
        .find(|(ns, _)| ns.as_bytes() == uri)
        .map_or(&[][..], |(_, names)| *names);
    // Property descriptions are the <rdf:li> inside the description's own <rdf:li>.
    let inner = LI_OPEN.len();
    let mut out = Vec::with_capacity(schema.len());
    let mut any = false;
    let mut at = inner;
    out.extend_from_slice(&schema[..inner]);
    while let Some(li) = find(&schema[at..], LI_OPEN).map(|i| at + i) {
        let li_end = li_end(schema, li)?;
        let property = &schema[li..li_end];
        let name = text_of(property, "pdfaProperty:name")?;
        out.extend_from_slice(&schema[at..li]);
        if !predefined.iter().any(|p| p.as_bytes() == name) && used(packet, prefix, name) {
            out.extend_from_slice(property);
            any = true;
        }
        at = li_end;
    }
    out.extend_from_slice(&schema[at..]);
    Some(any.then_some(out))
}

/// Whether `packet` has the property `prefix:name`, as an element or an attribute.
fn used(packet: &[u8], prefix: &[u8], name: &[u8]) -> bool {
    let qname = [prefix, b":", name].concat();
    let mut at = 0;
    while let Some(i) = find(&packet[at..], &qname).map(|i| at + i) {
        let before = i.checked_sub(1).map(|b| packet[b]);
        let after = packet.get(i + qname.len()).copied();
        let element = before == Some(b'<') && matches!(after, Some(b'>' | b' ' | b'/'));
        let attribute = before.is_some_and(|b| b.is_ascii_whitespace()) && after == Some(b'=');
        if element || attribute {
            return true;
        }
        at = i + qname.len();
    }
    false
}

/// The end (after `</rdf:li>`) of the `<rdf:li` element starting at `start`, nested ones
/// counted: one pass over the tags.
fn li_end(s: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = start;
    loop {
        let tag = at + find(&s[at..], b"<")?;
        if s[tag..].starts_with(LI_CLOSE) {
            depth = depth.checked_sub(1)?;
            at = tag + LI_CLOSE.len();
            if depth == 0 {
                return Some(at);
            }
        } else {
            depth += usize::from(s[tag..].starts_with(LI_OPEN));
            at = tag + 1;
        }
    }
}

/// The text of the first `<tag>…</tag>` in `s`.
fn text_of<'a>(s: &'a [u8], tag: &str) -> Option<&'a [u8]> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let from = find(s, open.as_bytes())? + open.len();
    let to = from + find(&s[from..], close.as_bytes())?;
    Some(&s[from..to])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(uri: &str, prefix: &str, names: &[&str]) -> String {
        let props: String = names
            .iter()
            .map(|n| {
                format!(
                    "<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:category>internal\
                     </pdfaProperty:category><pdfaProperty:name>{n}</pdfaProperty:name>\
                     <pdfaProperty:valueType>Text</pdfaProperty:valueType></rdf:li>"
                )
            })
            .collect();
        format!(
            "<rdf:li rdf:parseType=\"Resource\"><pdfaSchema:schema>S</pdfaSchema:schema>\
             <pdfaSchema:namespaceURI>{uri}</pdfaSchema:namespaceURI><pdfaSchema:prefix>{prefix}\
             </pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>{props}</rdf:Seq>\
             </pdfaSchema:property></rdf:li>"
        )
    }

    fn packet(schemas: &[String], body: &str) -> String {
        format!(
            "<x:xmpmeta><rdf:Description>{body}<pdfaExtension:schemas><rdf:Bag>{}</rdf:Bag>\
             </pdfaExtension:schemas><xmpMM:DocumentID>d</xmpMM:DocumentID></rdf:Description>\
             </x:xmpmeta>",
            schemas.concat()
        )
    }

    fn finished(p: &str, version: Option<&str>) -> String {
        String::from_utf8(finish(p.as_bytes(), version)).unwrap()
    }

    const MM: &str = "http://ns.adobe.com/xap/1.0/mm/";
    const PDF: &str = "http://ns.adobe.com/pdf/1.3/";
    const UA: &str = "http://www.aiim.org/pdfua/ns/id/";

    #[test]
    fn descriptions_of_predefined_properties_are_left_out_and_used_others_kept() {
        let mm = schema(MM, "xmpMM", &["InstanceID"]);
        let pdf = schema(
            PDF,
            "pdf",
            &["Keywords", "PDFVersion", "Producer", "Trapped"],
        );
        let ua = schema(UA, "pdfuaid", &["part"]);
        let body = "<xmpMM:InstanceID>i</xmpMM:InstanceID><pdf:Producer>p</pdf:Producer>\
                    <pdfuaid:part>1</pdfuaid:part>";
        let p = packet(&[mm, pdf, ua.clone()], body);
        // pdf:Trapped is neither predefined here nor used: its description goes too.
        assert_eq!(finished(&p, None), packet(&[ua], body));
    }

    #[test]
    fn a_description_keeps_the_properties_still_needed() {
        let mixed = schema(PDF, "pdf", &["Producer", "Trapped"]);
        let body = "<pdf:Producer>p</pdf:Producer><pdf:Trapped>False</pdf:Trapped>";
        let p = packet(&[mixed], body);
        assert_eq!(
            finished(&p, None),
            packet(&[schema(PDF, "pdf", &["Trapped"])], body)
        );
        // An attribute is a use too; a longer name with the same start is not.
        let ua = schema(UA, "pdfuaid", &["part"]);
        let attr = packet(
            std::slice::from_ref(&ua),
            "<rdf:Description pdfuaid:part=\"1\"/>",
        );
        assert_eq!(finished(&attr, None), attr);
        let other = packet(&[ua], "<pdfuaid:partly>1</pdfuaid:partly>");
        assert!(!finished(&other, None).contains("pdfaExtension"));
    }

    #[test]
    fn no_description_left_means_no_extension_element() {
        let p = packet(
            &[schema(MM, "xmpMM", &["InstanceID"])],
            "<xmpMM:InstanceID>i</xmpMM:InstanceID>",
        );
        assert_eq!(
            finished(&p, None),
            "<x:xmpmeta><rdf:Description><xmpMM:InstanceID>i</xmpMM:InstanceID>\
             <xmpMM:DocumentID>d</xmpMM:DocumentID></rdf:Description></x:xmpmeta>"
        );
    }

    #[test]
    fn the_version_id_goes_before_the_document_id() {
        let p = "<x><xmpMM:DocumentID>d</xmpMM:DocumentID></x>";
        assert_eq!(
            finished(p, Some("a9517cf2")),
            "<x><xmpMM:VersionID>a9517cf2</xmpMM:VersionID><xmpMM:DocumentID>d</xmpMM:DocumentID></x>"
        );
        assert_eq!(finished(p, None), p);
    }

    #[test]
    fn a_packet_laid_out_otherwise_stays_as_it_is() {
        let unclosed = "<pdfaExtension:schemas><rdf:Bag><rdf:li><pdfaSchema:prefix>x";
        assert_eq!(finished(unclosed, None), unclosed);
        let no_uri = packet(
            &["<rdf:li><pdfaSchema:prefix>x</pdfaSchema:prefix></rdf:li>".to_string()],
            "",
        );
        assert_eq!(finished(&no_uri, None), no_uri);
    }
}
