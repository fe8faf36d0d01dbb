//! Packs the small objects of a finished PDF into a compressed object stream with a
//! cross-reference stream (ISO 32000-1 §7.5.7, §7.5.8; allowed by PDF/A-2, ISO 19005-2 §6.1).
//!
//! krilla writes every object on its own, uncompressed; in a tagged document most of them are
//! structure elements and outline items of a few dozen bytes each, and with the classic
//! cross-reference table (20 bytes per object) they are over half of the file. Packing them
//! shrinks the real notice from about 37 KB to about 22 KB. Streams stay direct objects; those
//! krilla leaves unfiltered (page content, CMaps, drawings, embedded files) are compressed here
//! with one compressor for all of them (krilla sets one up per stream, which costs more than
//! compressing a small stream); the XMP metadata stays unfiltered, finished by [`xmp`] (see
//! [`compressed`]). The catalog and the document information dictionary, which simple readers
//! look up directly, stay direct objects too. Object numbers are kept, so every reference
//! stays valid; text strings go into PDFDocEncoding where they can ([`strings`]). The result
//! is a pure function of the input bytes.

use std::io::Write;
use std::sync::Arc;

use flate2::Compression;
use memchr::memmem::{find, rfind};

use super::{strings, xmp};
use crate::memo::Memo;

/// Objects per object stream: one for a notice of a few pages; readers decompress a whole
/// object stream to reach any object in it, so a long document gets several.
const PER_STREAM: usize = 500;

/// One indirect object of the input: its number and its body (between `N 0 obj` and `endobj`).
struct Object<'a> {
    num: u32,
    body: &'a [u8],
}

impl Object<'_> {
    /// Whether it is a stream: its data is binary, never packed nor scanned for strings.
    fn is_stream(&self) -> bool {
        self.body.ends_with(b"endstream")
    }
}

/// Repacks `pdf`, a complete file with a classic cross-reference table as krilla writes it.
/// Errors describe what was unexpected; they mean a writer change, not bad user data.
#[cfg(test)]
pub fn pack(pdf: &[u8]) -> Result<Vec<u8>, String> {
    pack_with(pdf, None)
}

/// [`pack`], with the XMP metadata finished by [`xmp::finish`]: `version` as its version id
/// when given (krilla writes none). The stream stays unfiltered (see [`compressed`]).
pub fn pack_with(pdf: &[u8], version: Option<&str>) -> Result<Vec<u8>, String> {
    // One compressor per thread, kept from document to document.
    thread_local! {
        static DEFLATER: std::cell::RefCell<Deflater> = std::cell::RefCell::new(Deflater::new());
    }
    DEFLATER.with_borrow_mut(|z| pack_in(pdf, version, z))
}

/// [`pack_with`], compressing with `z`.
fn pack_in(pdf: &[u8], version: Option<&str>, z: &mut Deflater) -> Result<Vec<u8>, String> {
    let xref_at = startxref(pdf)?;
    let (offsets, trailer) = xref_table(pdf, xref_at)?;
    let root = trailer_ref(trailer, b"/Root")?;
    let info = trailer_ref(trailer, b"/Info").ok();
    let id = trailer_id(trailer)?;

    // Objects in file order; each ends where the next begins (or the table does).
    let mut in_order: Vec<(usize, u32)> = offsets
        .iter()
        .enumerate()
        .filter_map(|(num, off)| off.map(|o| (o, num as u32)))
        .collect();
    in_order.sort_unstable();
    let first_at = in_order.first().ok_or("no objects")?.0;
    let mut objects = Vec::with_capacity(in_order.len());
    for (i, &(start, num)) in in_order.iter().enumerate() {
        let end = in_order.get(i + 1).map_or(xref_at, |n| n.0);
        objects.push(Object {
            num,
            body: object_body(pdf.get(start..end).ok_or("offset beyond the file")?, num)?,
        });
    }

    let packable = |o: &Object| !o.is_stream() && o.num != root && Some(o.num) != info;
    let size = offsets.len() as u32;
    let packed: Vec<&Object> = objects.iter().filter(|o| packable(o)).collect();
    let streams = packed.len().div_ceil(PER_STREAM) as u32;
    let xref_num = size + streams;

    let mut out = Vec::with_capacity(pdf.len() / 2);
    // The header and its binary comment line (ISO 19005-2 §6.1.2), as written.
    out.extend_from_slice(trim_end(&pdf[..first_at]));
    out.push(b'\n');
    // Cross-reference rows: (type, field 2, field 3) per object number (§7.5.8.3, Table 18).
    let mut rows = vec![(0u8, 0usize, 0xFFFFusize); xref_num as usize + 1];
    for o in objects.iter().filter(|o| !packable(o)) {
        rows[o.num as usize] = (1, out.len(), 0);
        match metadata(o.body, version).or_else(|| compressed(o.body, z)) {
            Some(body) => write_object(&mut out, o.num, &body),
            None if o.is_stream() => write_object(&mut out, o.num, o.body),
            None => {
                let mut body = Vec::with_capacity(o.body.len());
                strings::shorten_into(&mut body, o.body);
                write_object(&mut out, o.num, &body);
            }
        }
    }
    for (s, chunk) in packed.chunks(PER_STREAM).enumerate() {
        let num = size + s as u32;
        let mut index = Vec::new();
        let mut data = Vec::new();
        for (i, o) in chunk.iter().enumerate() {
            rows[o.num as usize] = (2, num as usize, i);
            write!(index, "{} {} ", o.num, data.len()).expect("write to Vec");
            strings::shorten_into(&mut data, o.body);
            data.push(b'\n');
        }
        let first = index.len();
        index.extend_from_slice(&data);
        let packed = z.deflate(&index);
        rows[num as usize] = (1, out.len(), 0);
        let dict = format!(
            "<</Type/ObjStm/N {}/First {first}/Filter/FlateDecode/Length {}>>",
            chunk.len(),
            packed.len()
        );
        write_stream(&mut out, num, dict.as_bytes(), &packed);
    }

    // The cross-reference stream lists itself too.
    let xref_at = out.len();
    rows[xref_num as usize] = (1, xref_at, 0);
    let w2 = bytes_for(rows.iter().map(|r| r.1).max().unwrap_or(0));
    let w3 = bytes_for(rows.iter().map(|r| r.2).max().unwrap_or(0));
    let mut table = Vec::with_capacity(rows.len() * (1 + w2 + w3));
    for &(kind, f2, f3) in &rows {
        table.push(kind);
        table.extend_from_slice(&f2.to_be_bytes()[size_of::<usize>() - w2..]);
        table.extend_from_slice(&f3.to_be_bytes()[size_of::<usize>() - w3..]);
    }
    let table = z.deflate(&table);
    let mut dict = format!(
        "<</Type/XRef/Size {}/W[1 {w2} {w3}]/Root {root} 0 R",
        rows.len()
    )
    .into_bytes();
    if let Some(info) = info {
        write!(dict, "/Info {info} 0 R").expect("write to Vec");
    }
    // The file identifier is required in the trailer (ISO 19005-2 §6.1.3).
    dict.extend_from_slice(b"/ID");
    dict.extend_from_slice(id);
    write!(dict, "/Filter/FlateDecode/Length {}>>", table.len()).expect("write to Vec");
    write_stream(&mut out, xref_num, &dict, &table);
    write!(out, "startxref\n{xref_at}\n%%EOF\n").expect("write to Vec");
    Ok(out)
}

/// Input bytes the memo of compressed streams keeps (their output is smaller still).
const DEFLATED_BYTES: usize = 8 << 20;

/// Compressed streams by their bytes, kept from document to document: in a re-render most
/// streams (CMaps, embedded files, every page an edit did not reach) are those of the last.
static DEFLATED: Memo<Vec<u8>, Arc<[u8]>> = Memo::new(DEFLATED_BYTES);

/// One zlib compressor for every stream this pass compresses: set up once (its tables are most
/// of the cost of compressing a small stream) and reset between streams.
struct Deflater(flate2::Compress);

impl Deflater {
    /// Level 6: measured against 4 and 9 on the real notice (docs/performance.md).
    fn new() -> Deflater {
        Deflater(flate2::Compress::new(Compression::new(6), true))
    }

    /// `data` as one zlib stream (FlateDecode, ISO 32000-1 §7.4.4), from the memo when the
    /// same bytes were compressed before.
    fn deflate(&mut self, data: &[u8]) -> Arc<[u8]> {
        DEFLATED.get_or(data, data.len(), || self.compress(data).into())
    }

    fn compress(&mut self, data: &[u8]) -> Vec<u8> {
        self.0.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let before = self.0.total_in() as usize;
            let status = self
                .0
                .compress_vec(&data[before..], &mut out, flate2::FlushCompress::Finish)
                .expect("deflate into a Vec");
            if status == flate2::Status::StreamEnd {
                return out;
            }
            out.reserve(out.capacity().max(256));
        }
    }
}

/// `body`, a stream object krilla left unfiltered (page content, CMaps, drawings, embedded
/// files), with its data compressed and `/Filter/FlateDecode` and the new `/Length` in its
/// dictionary; `None` for any other object.
///
/// The XMP metadata stays readable text, for tools that scan a file for XMP packets
/// without reading PDF (compliance finds the version id that way: `grep -a VersionID`). PDF/A-1
/// required that (ISO 19005-1 §6.7.2); PDF/A-2 and -3 allow a filter (veraPDF's profiles for
/// them have no such rule), so this is our choice: it costs about 2 KB a document (3.1 KB
/// as it is, 1.1 KB compressed).
fn compressed(body: &[u8], z: &mut Deflater) -> Option<Vec<u8>> {
    let dict_end = find(body, b"stream\n")?;
    let dict = &body[..dict_end];
    if find(dict, b"/Filter").is_some() || is_metadata(dict) {
        return None;
    }
    let (len_at, len_end, len) = length(dict)?;
    let start = dict_end + b"stream\n".len();
    let data = body.get(start..start + len)?;
    let packed = z.deflate(data);
    let open = find(dict, b"<<")? + 2;
    let mut out = Vec::with_capacity(dict.len() + packed.len() + 40);
    out.extend_from_slice(&dict[..open]);
    out.extend_from_slice(b" /Filter /FlateDecode");
    out.extend_from_slice(&dict[open..len_at]);
    out.extend_from_slice(packed.len().to_string().as_bytes());
    out.extend_from_slice(&dict[len_end..]);
    out.extend_from_slice(b"stream\n");
    out.extend_from_slice(&packed);
    out.extend_from_slice(&body[start + len..]);
    Some(out)
}

/// Whether a stream dictionary is the XMP metadata's.
fn is_metadata(dict: &[u8]) -> bool {
    find(dict, b"/Type /Metadata").is_some() || find(dict, b"/Type/Metadata").is_some()
}

/// Where the value of a stream dictionary's `/Length` starts and ends, and the value.
fn length(dict: &[u8]) -> Option<(usize, usize, usize)> {
    let at = find(dict, b"/Length ")? + b"/Length ".len();
    let end = at + dict[at..].iter().take_while(|b| b.is_ascii_digit()).count();
    Some((at, end, ascii(&dict[at..end]).parse().ok()?))
}

/// The XMP metadata stream object finished by [`xmp::finish`] (with `version` as its version
/// id), unfiltered, its `/Length` updated; `None` for any other object.
fn metadata(body: &[u8], version: Option<&str>) -> Option<Vec<u8>> {
    let dict_end = find(body, b"stream\n")?;
    let dict = &body[..dict_end];
    if !is_metadata(dict) {
        return None;
    }
    let (len_at, len_end, len) = length(dict)?;
    let start = dict_end + b"stream\n".len();
    let packet = xmp::finish(body.get(start..start + len)?, version);
    let mut out = Vec::with_capacity(body.len());
    out.extend_from_slice(&dict[..len_at]);
    out.extend_from_slice(packet.len().to_string().as_bytes());
    out.extend_from_slice(&dict[len_end..]);
    out.extend_from_slice(b"stream\n");
    out.extend_from_slice(&packet);
    out.extend_from_slice(&body[start + len..]);
    Some(out)
}

fn write_object(out: &mut Vec<u8>, num: u32, body: &[u8]) {
    writeln!(out, "{num} 0 obj").expect("write to Vec");
    out.extend_from_slice(body);
    out.extend_from_slice(b"\nendobj\n");
}

/// `stream` and `endstream` each on their own line, as PDF/A-2 §6.1.7.1 requires.
fn write_stream(out: &mut Vec<u8>, num: u32, dict: &[u8], data: &[u8]) {
    writeln!(out, "{num} 0 obj").expect("write to Vec");
    out.extend_from_slice(dict);
    out.extend_from_slice(b"\nstream\n");
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream\nendobj\n");
}

/// Bytes needed to store `n` big-endian (at least 1).
fn bytes_for(n: usize) -> usize {
    (usize::BITS - n.leading_zeros()).div_ceil(8).max(1) as usize
}

fn trim_end(s: &[u8]) -> &[u8] {
    let n = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &s[..n]
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    &s[n..]
}

/// The offset after the last `startxref`.
fn startxref(pdf: &[u8]) -> Result<usize, String> {
    let tail = &pdf[pdf.len().saturating_sub(64)..];
    let at = rfind(tail, b"startxref").ok_or("no startxref")?;
    let digits = trim_start(&tail[at + 9..]);
    parse_usize(digits).ok_or_else(|| "bad startxref".into())
}

/// The classic table at `at`: each object's offset (None when free) and the trailer dictionary.
fn xref_table(pdf: &[u8], at: usize) -> Result<(Vec<Option<usize>>, &[u8]), String> {
    let s = pdf.get(at..).ok_or("startxref beyond the file")?;
    let s = s.strip_prefix(b"xref").ok_or("no classic xref table")?;
    let s = trim_start(s);
    // One subsection, starting at object 0, as pdf-writer writes it.
    let s = s
        .strip_prefix(b"0 ")
        .ok_or("xref subsection does not start at 0")?;
    let count = parse_usize(s).ok_or("bad xref count")?;
    let eol = s
        .iter()
        .position(|&b| b == b'\n')
        .ok_or("bad xref header")?;
    let entries = &s[eol + 1..];
    let mut offsets = Vec::with_capacity(count);
    for i in 0..count {
        let e = entries
            .get(i * 20..i * 20 + 20)
            .ok_or("xref table cut short")?;
        offsets.push(match e[17] {
            b'n' => Some(parse_usize(e).ok_or("bad xref entry")?),
            b'f' => None,
            _ => return Err("bad xref entry".into()),
        });
    }
    let rest = &entries[count * 20..];
    let t = find(rest, b"trailer").ok_or("no trailer")?;
    Ok((offsets, &rest[t + 7..]))
}

fn trailer_ref(trailer: &[u8], key: &[u8]) -> Result<u32, String> {
    let at = find(trailer, key).ok_or_else(|| format!("no {} in trailer", ascii(key)))?;
    parse_usize(trim_start(&trailer[at + key.len()..]))
        .map(|n| n as u32)
        .ok_or_else(|| format!("bad {} in trailer", ascii(key)))
}

/// The `/ID [...]` array, as written.
fn trailer_id(trailer: &[u8]) -> Result<&[u8], String> {
    let at = find(trailer, b"/ID").ok_or("no /ID in trailer")?;
    let s = trim_start(&trailer[at + 3..]);
    let end = s
        .iter()
        .position(|&b| b == b']')
        .ok_or("bad /ID in trailer")?;
    Ok(&s[..=end])
}

/// The body of object `num` from its slice `N 0 obj … endobj`.
fn object_body(s: &[u8], num: u32) -> Result<&[u8], String> {
    let head = format!("{num} 0 obj");
    let s = s
        .strip_prefix(head.as_bytes())
        .ok_or_else(|| format!("object {num} is not where the table says"))?;
    let s = trim_end(s)
        .strip_suffix(b"endobj")
        .ok_or_else(|| format!("object {num} has no endobj"))?;
    Ok(trim_end(trim_start(s)))
}

fn parse_usize(s: &[u8]) -> Option<usize> {
    let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&s[..n]).ok()?.parse().ok()
}

fn ascii(s: &[u8]) -> String {
    String::from_utf8_lossy(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::ZlibDecoder;
    use std::io::Read;

    fn inflate(z: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        ZlibDecoder::new(z).read_to_end(&mut v).unwrap();
        v
    }

    /// The stream data of the object body `b` (direct `/Length`).
    fn stream_data(b: &[u8]) -> &[u8] {
        let at = find(b, b"/Length ").unwrap();
        let len = parse_usize(&b[at + 8..]).unwrap();
        let s = find(b, b"stream\n").unwrap() + 7;
        &b[s..s + len]
    }

    /// The object `n` starting at `s`, up to its `endobj` (stream data skipped by `/Length`).
    fn object_at(s: &[u8], n: usize) -> Vec<u8> {
        let end = match (find(s, b"stream\n"), find(s, b"endobj")) {
            (Some(st), Some(e)) if st < e => {
                st + 7
                    + dict_int(s, b"/Length ")
                    + find(&s[st + 7 + dict_int(s, b"/Length ")..], b"endobj").unwrap()
                    + 6
            }
            (_, e) => e.unwrap() + 6,
        };
        object_body(&s[..end], n as u32).unwrap().to_vec()
    }

    fn dict_int(b: &[u8], key: &[u8]) -> usize {
        parse_usize(trim_start(&b[find(b, key).unwrap() + key.len()..])).unwrap()
    }

    /// An independent reader of the packed file: every object body by number.
    fn read_back(pdf: &[u8]) -> Vec<Option<Vec<u8>>> {
        let at = startxref(pdf).unwrap();
        let (num, body) = {
            let s = &pdf[at..];
            let n = parse_usize(s).unwrap() as u32;
            let end = find(s, b"endobj").unwrap() + 6;
            (n, object_body(&s[..end], n).unwrap())
        };
        assert!(find(body, b"/Type/XRef").is_some());
        let table = inflate(stream_data(body));
        let w = [1, dict_int(body, b"/W[1"), {
            let s = &body[find(body, b"/W[1 ").unwrap() + 5..];
            parse_usize(trim_start(&s[s.iter().position(|&b| b == b' ').unwrap()..])).unwrap()
        }];
        let row = w.iter().sum::<usize>();
        let field = |r: &[u8], from: usize, n: usize| {
            r[from..from + n]
                .iter()
                .fold(0usize, |a, &b| a << 8 | b as usize)
        };
        let direct = |off: usize, n: usize| object_at(&pdf[off..], n);
        let rows: Vec<&[u8]> = table.chunks(row).collect();
        assert_eq!(rows.len(), dict_int(body, b"/Size"));
        let _ = num;
        rows.iter()
            .enumerate()
            .map(|(n, r)| match r[0] {
                0 => None,
                1 => Some(direct(field(r, 1, w[1]), n)),
                2 => {
                    let stm = direct(field(rows[field(r, 1, w[1])], 1, w[1]), field(r, 1, w[1]));
                    let data = inflate(stream_data(&stm));
                    let first = dict_int(&stm, b"/First");
                    let index: Vec<usize> = std::str::from_utf8(&data[..first])
                        .unwrap()
                        .split_whitespace()
                        .map(|t| t.parse().unwrap())
                        .collect();
                    let i = field(r, 1 + w[1], w[2]);
                    assert_eq!(index[2 * i], n, "index names the object");
                    let start = first + index[2 * i + 1];
                    let end = index.get(2 * i + 3).map_or(data.len(), |o| first + o);
                    Some(trim_end(&data[start..end]).to_vec())
                }
                t => panic!("row type {t}"),
            })
            .collect()
    }

    /// The objects of [`sample`]: a catalog, pages, a string holding keywords, a stream whose
    /// data holds `endobj`, an array and an info dict.
    const OBJECTS: [&[u8]; 6] = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Count 0/Kids[]>>",
        b"<</Title(endobj stream \\(x\\))>>",
        b"<</Length 8>>\nstream\nendobj\n\xff\nendstream",
        b"[1 2 0 R]",
        b"<</Producer(t)>>",
    ];

    /// A file as krilla writes it: [`OBJECTS`] as 1–6, object 7 free.
    fn sample() -> Vec<u8> {
        sample_of(OBJECTS)
    }

    /// A file as krilla writes it: `objects` as 1–6 (the first the catalog, the last the info
    /// dict), object 7 free.
    fn sample_of(objects: [&[u8]; 6]) -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n%\x80\x80\x80\x80\n\n".to_vec();
        let mut offs = Vec::new();
        for (i, b) in objects.iter().enumerate() {
            offs.push(pdf.len());
            write_object(&mut pdf, i as u32 + 1, b);
        }
        let xref = pdf.len();
        pdf.extend_from_slice(b"xref\n0 8\n0000000000 65535 f\r\n");
        for o in &offs {
            write!(pdf, "{o:010} 00000 n\r\n").unwrap();
        }
        pdf.extend_from_slice(b"0000000000 00000 f\r\n");
        write!(
            pdf,
            "trailer\n<</Size 8/Root 1 0 R/Info 6 0 R/ID[(a)(b)]>>\nstartxref\n{xref}\n%%EOF"
        )
        .unwrap();
        pdf
    }

    #[test]
    fn a_remembered_stream_is_the_one_compressed_afresh() {
        let mut z = Deflater::new();
        let a = b"BT /f0 11 Tf (Kontakt med Avanzas kundservice) Tj ET\n".repeat(40);
        let b = b"BT /f1 11 Tf (Vad har \xe4ndrats) Tj ET\n".repeat(40);
        let first = z.deflate(&a);
        // Another stream in between, then the first again: from the memo, the same bytes.
        assert_ne!(z.deflate(&b), first);
        let again = z.deflate(&a);
        assert_eq!(again, first);
        assert_eq!(&*again, &Deflater::new().compress(&a)[..]);
        assert_eq!(inflate(&again), a);
    }

    #[test]
    fn every_object_reads_back_unchanged() {
        let pdf = sample();
        let packed = pack(&pdf).unwrap();
        let back = read_back(&packed);
        assert_eq!(back.len(), 10, "0–7, the object stream, the xref stream");
        assert_eq!(back[0], None);
        assert_eq!(back[7], None);
        for (i, want) in OBJECTS.iter().enumerate() {
            if i + 1 == 4 {
                continue;
            }
            assert_eq!(back[i + 1].as_deref(), Some(*want), "object {}", i + 1);
        }
        // The unfiltered stream comes back compressed, its data the same when inflated.
        let stream = back[4].as_deref().unwrap();
        let dict_end = find(stream, b"stream\n").unwrap();
        let dict = ascii(&stream[..dict_end]);
        assert!(
            dict.starts_with("<< /Filter /FlateDecode/Length "),
            "{dict}"
        );
        let len: usize = dict["<< /Filter /FlateDecode/Length ".len()..]
            .trim_end_matches(">>\n")
            .parse()
            .unwrap();
        let data = &stream[dict_end + 7..dict_end + 7 + len];
        let mut inflated = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(data), &mut inflated)
            .unwrap();
        assert_eq!(inflated, b"endobj\n\xff");
        assert!(stream.ends_with(b"\nendstream"));
        // Streams, the catalog and the info dict stay direct; the rest is packed.
        let direct: Vec<u32> = (1..=6)
            .filter(|n| find(&packed, format!("\n{n} 0 obj").as_bytes()).is_some())
            .collect();
        assert_eq!(direct, [1, 4, 6]);
        assert!(packed.starts_with(b"%PDF-1.7\n%\x80\x80\x80\x80\n"));
        assert!(packed.ends_with(b"%%EOF\n"));
        assert!(find(&packed, b"/ID[(a)(b)]").is_some());
    }

    #[test]
    fn text_strings_packed_or_direct_come_back_in_pdfdocencoding() {
        // "s", "På" and "€" as krilla writes them, UTF-16BE in hex; the producer's digits
        // are not whole code units.
        let mut objects = OBJECTS;
        objects[0] = b"<</Type/Catalog/Pages 2 0 R/Lang<FEFF0073>>>";
        objects[2] = b"<</Title<FEFF005000E5>/Alt<FEFF20AC>>>";
        objects[5] = b"<</Producer<FEFF004800650006A>>>";
        let back = read_back(&pack(&sample_of(objects)).unwrap());
        assert_eq!(
            back[1].as_deref(),
            Some(&b"<</Type/Catalog/Pages 2 0 R/Lang(s)>>"[..])
        );
        assert_eq!(
            back[3].as_deref(),
            Some(&b"<</Title(P\xe5)/Alt<FEFF20AC>>>"[..])
        );
        assert_eq!(back[6].as_deref(), Some(objects[5]));
    }

    #[test]
    fn packing_is_deterministic_and_rejects_other_layouts() {
        let pdf = sample();
        assert_eq!(pack(&pdf).unwrap(), pack(&pdf).unwrap());
        assert!(
            pack(&pack(&pdf).unwrap())
                .unwrap_err()
                .contains("classic xref")
        );
        assert!(pack(b"%PDF-1.7\n").is_err());
    }

    #[test]
    fn the_finished_xmp_packet_and_its_length_replace_the_old() {
        let xmp = "<x><xmpMM:DocumentID>d</xmpMM:DocumentID></x>";
        let body = format!(
            "<< /Length {} /Subtype /XML /Type /Metadata >>\nstream\n{xmp}\nendstream",
            xmp.len()
        );
        let out = String::from_utf8(metadata(body.as_bytes(), Some("a9517cf2")).unwrap()).unwrap();
        let data = out
            .split("stream\n")
            .nth(1)
            .unwrap()
            .strip_suffix("\nendstream")
            .unwrap();
        assert_eq!(
            data.as_bytes(),
            xmp::finish(xmp.as_bytes(), Some("a9517cf2")).as_slice()
        );
        assert!(data.contains("a9517cf2"));
        assert!(out.starts_with(&format!("<< /Length {} ", data.len())));
        // Any other object is left alone.
        assert!(metadata(b"<< /Length 3 >>\nstream\nabc\nendstream", Some("x")).is_none());
    }

    #[test]
    fn field_widths() {
        assert_eq!(bytes_for(0), 1);
        assert_eq!(bytes_for(255), 1);
        assert_eq!(bytes_for(256), 2);
        assert_eq!(bytes_for(70_000), 3);
    }
}
