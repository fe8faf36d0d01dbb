//! A reader of the few objects `verify` and `diff` need from a PDF (ISO 32000-1 §7): the
//! trailer, the catalog, the embedded files' name tree, file specifications and their
//! streams. It is lazy and bounded, so that no file costs more than its limits: only the
//! objects asked for are parsed (a general reader parses every object of the file, and a
//! few bytes of PDF syntax can become a hundred times as many of parsed objects), at most
//! [`MAX_VALUES`] values in all, nested at most [`MAX_NESTING`] deep; the cross-reference
//! data within [`MAX_XREF_ENTRIES`] entries and [`MAX_SECTIONS`] sections; and every
//! stream decompressed by a streaming decoder that stops at its cap, object and
//! cross-reference streams within [`super::MAX_STREAM_BYTES`] each and
//! [`super::MAX_OBJECT_STREAMS_BYTES`] together. Encrypted files are refused (notice-pdf
//! never encrypts); the filters notice-pdf writes (Flate, with or without a PNG predictor)
//! are the ones read.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::ops::Range;
use std::rc::Rc;

use super::{MAX_OBJECT_STREAMS_BYTES, MAX_STREAM_BYTES};

/// The most values (numbers, names, strings, references, array and dictionary entries)
/// parsed from one PDF.
pub const MAX_VALUES: usize = 1 << 20;

/// The most bytes read by the parser and by searches for `endstream` (a file can make its
/// objects be reached through many numbers, or a search start from many places): four times
/// the largest file.
pub const MAX_WORK_BYTES: u64 = 4 * super::MAX_PDF_BYTES;

/// How deep arrays and dictionaries may nest.
pub const MAX_NESTING: usize = 32;

/// The most cross-reference entries read (all sections together).
pub const MAX_XREF_ENTRIES: usize = 1 << 20;

/// The most cross-reference sections followed (`/Prev`, `/XRefStm`).
pub const MAX_SECTIONS: usize = 64;

/// How many indirect objects may be resolved within one another (a stream's `/Length` in an
/// object stream whose `/Length` is indirect, …).
const MAX_INDIRECTION: usize = 8;

/// A PDF value.
#[derive(Debug, Clone, PartialEq)]
pub enum Obj {
    Null,
    Bool(bool),
    Int(i64),
    Real(f64),
    Name(Vec<u8>),
    Str(Vec<u8>),
    Array(Vec<Obj>),
    Dict(Dict),
    Ref(u32),
    /// A stream: its dictionary and where its data is in the file.
    Stream(Dict, Range<usize>),
}

/// A dictionary's entries, in file order.
pub type Dict = Vec<(Vec<u8>, Obj)>;

impl Obj {
    /// The entry `key` of a dictionary or a stream's dictionary.
    pub fn get(&self, key: &[u8]) -> Option<&Obj> {
        match self {
            Obj::Dict(d) | Obj::Stream(d, _) => d.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn is_dict(&self) -> bool {
        matches!(self, Obj::Dict(_))
    }

    fn int(&self) -> Option<i64> {
        match self {
            Obj::Int(n) => Some(*n),
            _ => None,
        }
    }
}

/// Why a stream's data could not be had.
#[derive(Debug)]
pub enum Decode {
    /// It decompresses to more than the cap.
    TooLarge,
    /// Anything else: what.
    Bad(String),
}

/// Where an object is, as the cross-reference data says.
#[derive(Clone, Copy)]
enum Entry {
    Free,
    At(usize),
    InStream { container: u32, index: usize },
}

/// An object stream, decompressed: its data and where each of its objects begins.
struct ObjStm {
    data: Vec<u8>,
    starts: Vec<(u32, usize)>,
}

/// An open PDF.
pub struct Pdf<'a> {
    data: &'a [u8],
    xref: HashMap<u32, Entry>,
    /// The newest trailer.
    pub trailer: Obj,
    /// Where the oldest cross-reference section is (the one without `/Prev`: revision 1's).
    pub first_section: usize,
    work: Work,
    decoded: u64,
    /// Object streams read, and those that could not be (each is decompressed once).
    streams: HashMap<u32, std::result::Result<Rc<ObjStm>, String>>,
    resolving: Vec<u32>,
}

type Result<T> = std::result::Result<T, String>;

impl<'a> Pdf<'a> {
    /// Reads the cross-reference data of `data` (nothing else yet).
    pub fn open(data: &'a [u8]) -> Result<Pdf<'a>> {
        // Offsets count from the header, which may follow some bytes of something else.
        let header = memchr::memmem::find(&data[..data.len().min(1024)], b"%PDF-")
            .ok_or("it does not begin with %PDF-")?;
        let data = &data[header..];
        let mut pdf = Pdf {
            data,
            xref: HashMap::new(),
            trailer: Obj::Null,
            first_section: 0,
            work: Work::default(),
            decoded: 0,
            streams: HashMap::new(),
            resolving: Vec::new(),
        };
        let tail = &data[data.len().saturating_sub(1024)..];
        let at = memchr::memmem::rfind(tail, b"startxref")
            .ok_or("it has no startxref: it is not a whole PDF")?;
        let start = pdf
            .parser(data, data.len() - tail.len() + at + b"startxref".len())
            .uint()?;
        let mut next = vec![start];
        let mut seen = HashSet::new();
        while let Some(at) = next.pop() {
            if !seen.insert(at) {
                continue;
            }
            if seen.len() > MAX_SECTIONS {
                return Err(format!(
                    "it has more than {MAX_SECTIONS} cross-reference sections"
                ));
            }
            let trailer = pdf.section(at)?;
            if trailer.get(b"Prev").is_none() {
                pdf.first_section = at;
            }
            for key in [b"Prev".as_slice(), b"XRefStm"] {
                if let Some(n) = trailer.get(key).and_then(Obj::int) {
                    next.push(usize::try_from(n).map_err(|_| "a /Prev is negative")?);
                }
            }
            if pdf.trailer == Obj::Null {
                pdf.trailer = trailer;
            }
        }
        if pdf.trailer.get(b"Encrypt").is_some() {
            return Err("it is encrypted (notice-pdf never encrypts)".into());
        }
        Ok(pdf)
    }

    fn parser<'p>(&'p mut self, s: &'p [u8], pos: usize) -> Parser<'p> {
        Parser {
            s,
            pos,
            start: pos,
            work: &mut self.work,
        }
    }

    fn insert(&mut self, num: u32, entry: Entry) -> Result<()> {
        if self.xref.len() >= MAX_XREF_ENTRIES && !self.xref.contains_key(&num) {
            return Err(format!(
                "it has more than {MAX_XREF_ENTRIES} cross-reference entries"
            ));
        }
        // Newer sections are read first: theirs stands.
        self.xref.entry(num).or_insert(entry);
        Ok(())
    }

    /// Reads the cross-reference section at `at` (a table or a stream); returns its trailer.
    fn section(&mut self, at: usize) -> Result<Obj> {
        let data = self.data;
        let mut p = self.parser(data, at);
        p.skip_ws();
        if p.eat(b"xref") {
            let mut entries = Vec::new();
            loop {
                p.skip_ws();
                if p.eat(b"trailer") {
                    break;
                }
                let first = p.uint()?;
                let count = p.uint()?;
                for i in 0..count {
                    let offset = p.uint()?;
                    let _generation = p.uint()?;
                    p.skip_ws();
                    let used = match p.peek() {
                        Some(b'n') => true,
                        Some(b'f') => false,
                        _ => return Err("a cross-reference table is damaged".into()),
                    };
                    p.pos += 1;
                    let num =
                        u32::try_from(first + i).map_err(|_| "an object number is too large")?;
                    entries.push((num, if used { Entry::At(offset) } else { Entry::Free }));
                    if entries.len() > MAX_XREF_ENTRIES {
                        return Err(format!(
                            "it has more than {MAX_XREF_ENTRIES} cross-reference entries"
                        ));
                    }
                }
            }
            let trailer = p.value(0)?;
            drop(p);
            for (num, entry) in entries {
                self.insert(num, entry)?;
            }
            return Ok(trailer);
        }
        drop(p);
        let stream = self.object_at(at)?;
        if stream.get(b"Type") != Some(&Obj::Name(b"XRef".to_vec())) {
            return Err(
                "its startxref points at neither a table nor a cross-reference stream".into(),
            );
        }
        let data = self.decoded_stream(&stream)?;
        let w: Vec<usize> = match stream.get(b"W") {
            Some(Obj::Array(w)) if w.len() == 3 => w
                .iter()
                .map(|v| {
                    v.int()
                        .and_then(|n| usize::try_from(n).ok())
                        .filter(|&n| n <= 8)
                })
                .collect::<Option<_>>()
                .ok_or("a cross-reference stream has a wrong /W")?,
            _ => return Err("a cross-reference stream has no /W".into()),
        };
        let width: usize = w.iter().sum();
        if width == 0 {
            return Err("a cross-reference stream has a wrong /W".into());
        }
        let size = stream.get(b"Size").and_then(Obj::int).unwrap_or(0);
        let index: Vec<i64> = match stream.get(b"Index") {
            Some(Obj::Array(a)) => a.iter().map(|v| v.int().unwrap_or(-1)).collect(),
            _ => vec![0, size],
        };
        let mut rows = data.chunks_exact(width);
        for pair in index.chunks(2) {
            let [first, count] = pair else {
                return Err("a cross-reference stream has a wrong /Index".into());
            };
            let (Ok(first), Ok(count)) = (u32::try_from(*first), u64::try_from(*count)) else {
                return Err("a cross-reference stream has a wrong /Index".into());
            };
            for i in 0..count {
                let Some(row) = rows.next() else { break };
                let field = |k: usize, default: u64| {
                    let start: usize = w[..k].iter().sum();
                    if w[k] == 0 {
                        default
                    } else {
                        row[start..start + w[k]]
                            .iter()
                            .fold(0u64, |n, &b| (n << 8) | u64::from(b))
                    }
                };
                let num = u32::try_from(u64::from(first) + i)
                    .map_err(|_| "an object number is too large")?;
                let entry = match field(0, 1) {
                    1 => Entry::At(field(1, 0) as usize),
                    2 => Entry::InStream {
                        container: u32::try_from(field(1, 0))
                            .map_err(|_| "an object stream number is too large")?,
                        index: field(2, 0) as usize,
                    },
                    _ => Entry::Free,
                };
                self.insert(num, entry)?;
            }
        }
        Ok(stream)
    }

    /// The object `num` (a missing or free one is null, ISO 32000-1 §7.3.10).
    pub fn get(&mut self, num: u32) -> Result<Obj> {
        if self.resolving.contains(&num) {
            return Err(format!("object {num} refers to itself"));
        }
        if self.resolving.len() >= MAX_INDIRECTION {
            return Err("its objects are nested too deeply".into());
        }
        self.resolving.push(num);
        let found = match self.xref.get(&num).copied() {
            None | Some(Entry::Free) => Ok(Obj::Null),
            Some(Entry::At(offset)) => self.object_at(offset),
            Some(Entry::InStream { container, index }) => self.in_stream(container, index, num),
        };
        self.resolving.pop();
        found
    }

    /// `obj`, or the object it refers to.
    pub fn resolve(&mut self, obj: &Obj) -> Result<Obj> {
        match obj {
            Obj::Ref(num) => self.get(*num),
            other => Ok(other.clone()),
        }
    }

    /// The indirect object at byte `offset`: `N G obj … endobj`, a stream with its data's
    /// place.
    fn object_at(&mut self, offset: usize) -> Result<Obj> {
        let data = self.data;
        if offset >= data.len() {
            return Err("an object's offset is past the end of the file".into());
        }
        let mut p = self.parser(data, offset);
        p.uint()?;
        p.uint()?;
        p.skip_ws();
        if !p.eat(b"obj") {
            return Err(format!("there is no object at byte {offset}"));
        }
        let value = p.value(0)?;
        p.skip_ws();
        let Obj::Dict(dict) = value else {
            return Ok(value);
        };
        if !p.eat(b"stream") {
            return Ok(Obj::Dict(dict));
        }
        let mut start = p.pos;
        drop(p);
        if data.get(start) == Some(&b'\r') {
            start += 1;
        }
        if data.get(start) == Some(&b'\n') {
            start += 1;
        }
        let length = match dict.iter().find(|(k, _)| k == b"Length").map(|(_, v)| v) {
            Some(Obj::Int(n)) => usize::try_from(*n).ok(),
            Some(Obj::Ref(n)) => self
                .get(*n)
                .ok()
                .and_then(|v| v.int())
                .and_then(|n| usize::try_from(n).ok()),
            _ => None,
        };
        let ends_there = |end: usize| {
            data.get(end..).is_some_and(|rest| {
                let rest = &rest[rest.iter().take_while(|c| c.is_ascii_whitespace()).count()..];
                rest.starts_with(b"endstream")
            })
        };
        let end = match length.and_then(|l| start.checked_add(l)) {
            Some(end) if ends_there(end) => end,
            // A wrong /Length: the data ends before `endstream`.
            _ => {
                let found = memchr::memmem::find(&data[start..], b"endstream");
                self.work
                    .spend(found.map_or(data.len() - start, |at| at + 9))?;
                let at = found.ok_or("a stream has no endstream")?;
                let mut end = start + at;
                if end > start && data[end - 1] == b'\n' {
                    end -= 1;
                }
                if end > start && data[end - 1] == b'\r' {
                    end -= 1;
                }
                end
            }
        };
        Ok(Obj::Stream(dict, start..end))
    }

    /// Object `num`, the `index`th of object stream `container`.
    fn in_stream(&mut self, container: u32, index: usize, num: u32) -> Result<Obj> {
        let stm = match self.streams.get(&container) {
            Some(s) => s.clone()?,
            None => {
                let stm = self.object_stream(container).map(Rc::new);
                self.streams.insert(container, stm.clone());
                stm?
            }
        };
        let start = match stm.starts.get(index) {
            Some(&(n, start)) if n == num => start,
            _ => match stm.starts.iter().find(|(n, _)| *n == num) {
                Some(&(_, start)) => start,
                None => return Ok(Obj::Null),
            },
        };
        let mut p = Parser {
            s: &stm.data,
            pos: start,
            start,
            work: &mut self.work,
        };
        p.value(0)
    }

    /// Object stream `container`, decompressed within the limits, with its offsets read.
    fn object_stream(&mut self, container: u32) -> Result<ObjStm> {
        let stream = self.get(container)?;
        let (Some(n), Some(first)) = (
            stream.get(b"N").and_then(Obj::int),
            stream.get(b"First").and_then(Obj::int),
        ) else {
            return Err(format!("object stream {container} has no /N or /First"));
        };
        let data = self.decoded_stream(&stream)?;
        let first = usize::try_from(first).map_err(|_| "an object stream has a wrong /First")?;
        if !(0..=MAX_VALUES as i64).contains(&n) {
            return Err(format!("object stream {container} has a wrong /N"));
        }
        let mut starts = Vec::new();
        let mut p = Parser {
            s: &data,
            pos: 0,
            start: 0,
            work: &mut self.work,
        };
        for _ in 0..n {
            let num = u32::try_from(p.uint()?).map_err(|_| "an object number is too large")?;
            let offset = p.uint()?;
            starts.push((num, first.saturating_add(offset)));
        }
        drop(p);
        Ok(ObjStm { data, starts })
    }

    /// The data of an object or cross-reference stream, within [`MAX_STREAM_BYTES`] and what
    /// is left of [`MAX_OBJECT_STREAMS_BYTES`].
    fn decoded_stream(&mut self, stream: &Obj) -> Result<Vec<u8>> {
        let left = MAX_OBJECT_STREAMS_BYTES - self.decoded;
        let cap = left.min(MAX_STREAM_BYTES);
        let data = self.data(stream, cap);
        // A stream that fails may have been inflated up to the cap first: that work counts.
        self.decoded += match &data {
            Ok(data) => data.len() as u64,
            Err(_) => cap,
        };
        match data {
            Ok(data) => Ok(data),
            Err(Decode::TooLarge) if cap < MAX_STREAM_BYTES => Err(format!(
                "its object and cross-reference streams decompress to more than {} in all (a PDF notice-pdf makes needs far less)",
                super::mib(MAX_OBJECT_STREAMS_BYTES)
            )),
            Err(Decode::TooLarge) => Err(format!(
                "a stream decompresses to more than {} (a PDF notice-pdf makes needs far less)",
                super::mib(MAX_STREAM_BYTES)
            )),
            Err(Decode::Bad(why)) => Err(why),
        }
    }

    /// The data of `stream`, its filters undone, at most `cap` bytes at every step.
    pub fn data(&mut self, stream: &Obj, cap: u64) -> std::result::Result<Vec<u8>, Decode> {
        let Obj::Stream(_, range) = stream else {
            return Err(Decode::Bad("it is not a stream".into()));
        };
        // Its raw bytes are read (inflated, or copied): that work counts, however little
        // they give (a run of empty deflate blocks gives nothing).
        self.work.spend(range.len()).map_err(Decode::Bad)?;
        let raw = &self.data[range.clone()];
        let filters = match stream.get(b"Filter") {
            None | Some(Obj::Null) => Vec::new(),
            Some(Obj::Name(n)) => vec![n.clone()],
            Some(Obj::Array(a)) => a
                .iter()
                .map(|f| match f {
                    Obj::Name(n) => Ok(n.clone()),
                    _ => Err(Decode::Bad("a stream has a wrong /Filter".into())),
                })
                .collect::<std::result::Result<_, _>>()?,
            Some(_) => return Err(Decode::Bad("a stream has a wrong /Filter".into())),
        };
        if filters.len() > 4 {
            return Err(Decode::Bad("a stream has more than 4 filters".into()));
        }
        let params = |i: usize| match stream.get(b"DecodeParms") {
            Some(Obj::Array(a)) => a.get(i).cloned(),
            Some(d @ Obj::Dict(_)) => Some(d.clone()),
            _ => None,
        };
        if filters.is_empty() {
            if raw.len() as u64 > cap {
                return Err(Decode::TooLarge);
            }
            return Ok(raw.to_vec());
        }
        let mut data: Option<Vec<u8>> = None;
        for (i, filter) in filters.iter().enumerate() {
            if filter != b"FlateDecode" {
                return Err(Decode::Bad(format!(
                    "a stream uses the filter {}, which notice-pdf does not write",
                    String::from_utf8_lossy(filter)
                )));
            }
            let input = data.as_deref().unwrap_or(raw);
            let mut out = inflate(input, cap)?;
            if let Some(p) = params(i) {
                out = unpredict(out, &p)?;
            }
            data = Some(out);
        }
        Ok(data.unwrap_or_default())
    }
}

/// `input` inflated (zlib) by a streaming decoder that stops one byte past `cap`.
fn inflate(input: &[u8], cap: u64) -> std::result::Result<Vec<u8>, Decode> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(input)
        .take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|_| Decode::Bad("a stream cannot be decompressed".into()))?;
    if out.len() as u64 > cap {
        return Err(Decode::TooLarge);
    }
    Ok(out)
}

/// `data` with a PNG predictor undone (ISO 32000-1 §7.4.4.4), as `/DecodeParms` `p` says.
fn unpredict(data: Vec<u8>, p: &Obj) -> std::result::Result<Vec<u8>, Decode> {
    let get = |k: &[u8], d: i64| p.get(k).and_then(Obj::int).unwrap_or(d);
    let predictor = get(b"Predictor", 1);
    if predictor == 1 {
        return Ok(data);
    }
    if predictor < 10 {
        return Err(Decode::Bad(
            "a stream uses a TIFF predictor, which notice-pdf does not write".into(),
        ));
    }
    let (colors, bits, columns) = (
        get(b"Colors", 1),
        get(b"BitsPerComponent", 8),
        get(b"Columns", 1),
    );
    let bad = || Decode::Bad("a stream has wrong predictor parameters".into());
    if !(1..=32).contains(&colors)
        || ![1, 2, 4, 8, 16].contains(&bits)
        || !(1..=1 << 20).contains(&columns)
    {
        return Err(bad());
    }
    let bpp = ((colors * bits + 7) / 8) as usize;
    let row = ((colors * bits * columns + 7) / 8) as usize;
    // A row of a cross-reference stream is a few bytes; of anything notice-pdf writes, far
    // less than a megabyte.
    if row > 1 << 20 {
        return Err(bad());
    }
    let mut out = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        let (&kind, line) = chunk.split_first().ok_or_else(bad)?;
        let mut cur = line.to_vec();
        cur.resize(row, 0);
        for i in 0..row {
            let a = if i >= bpp { cur[i - bpp] } else { 0 };
            let b = prev[i];
            let c = if i >= bpp { prev[i - bpp] } else { 0 };
            let add = match kind {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => {
                    let pa = (i16::from(b) - i16::from(c)).abs();
                    let pb = (i16::from(a) - i16::from(c)).abs();
                    let pc = (i16::from(a) + i16::from(b) - 2 * i16::from(c)).abs();
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                _ => return Err(bad()),
            };
            cur[i] = cur[i].wrapping_add(add);
        }
        out.extend_from_slice(&cur[..line.len().min(row)]);
        prev = cur;
    }
    Ok(out)
}

/// What the parser has done for one PDF: values read, and bytes read and searched.
#[derive(Default)]
struct Work {
    values: usize,
    bytes: u64,
}

impl Work {
    fn spend(&mut self, bytes: usize) -> Result<()> {
        self.bytes += bytes as u64;
        if self.bytes > MAX_WORK_BYTES {
            return Err(format!(
                "reading it would take more than {} of parsing, searching and decompressing",
                super::mib(MAX_WORK_BYTES)
            ));
        }
        Ok(())
    }
}

/// A parser of PDF values from `s` at `pos`, counting every value against [`MAX_VALUES`] and
/// every byte it reads against [`MAX_WORK_BYTES`] (when it is dropped, and as it goes).
struct Parser<'p> {
    s: &'p [u8],
    pos: usize,
    start: usize,
    work: &'p mut Work,
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        self.work.bytes += self.pos.saturating_sub(self.start) as u64;
    }
}

fn is_white(c: u8) -> bool {
    matches!(c, 0 | 9 | 10 | 12 | 13 | 32)
}

fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if is_white(c) {
                self.pos += 1;
            } else if c == b'%' {
                while self.peek().is_some_and(|c| c != b'\n' && c != b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// Consumes the keyword `word` if it is next (and ends there).
    fn eat(&mut self, word: &[u8]) -> bool {
        let rest = &self.s[self.pos.min(self.s.len())..];
        let ends = rest
            .get(word.len())
            .is_none_or(|&c| is_white(c) || is_delimiter(c));
        if rest.starts_with(word) && ends {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    fn count(&mut self) -> Result<()> {
        self.work.values += 1;
        if self.work.values > MAX_VALUES {
            return Err(format!("it has more than {MAX_VALUES} values to read"));
        }
        self.checkpoint()
    }

    /// Counts the bytes read since the last checkpoint.
    fn checkpoint(&mut self) -> Result<()> {
        let read = self.pos.saturating_sub(self.start);
        self.start = self.pos;
        self.work.spend(read)
    }

    /// An unsigned integer (an offset, a count, an object number).
    fn uint(&mut self) -> Result<usize> {
        self.checkpoint()?;
        self.skip_ws();
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        std::str::from_utf8(&self.s[start..self.pos])
            .ok()
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| format!("a number was expected at byte {start}"))
    }

    /// One value, `depth` arrays and dictionaries deep.
    fn value(&mut self, depth: usize) -> Result<Obj> {
        self.skip_ws();
        self.count()?;
        if depth > MAX_NESTING {
            return Err(format!("its values nest more than {MAX_NESTING} deep"));
        }
        let Some(c) = self.peek() else {
            return Err("it ends in the middle of a value".into());
        };
        match c {
            b'/' => Ok(Obj::Name(self.name())),
            b'(' => self.literal().map(Obj::Str),
            b'<' if self.s.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                let mut dict = Dict::new();
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some(b'>') if self.s.get(self.pos + 1) == Some(&b'>') => {
                            self.pos += 2;
                            return Ok(Obj::Dict(dict));
                        }
                        Some(b'/') => {
                            let key = self.name();
                            let value = self.value(depth + 1)?;
                            dict.push((key, value));
                        }
                        _ => return Err("a dictionary is damaged".into()),
                    }
                }
            }
            b'<' => self.hex().map(Obj::Str),
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Obj::Array(items));
                        }
                        None => return Err("an array is not closed".into()),
                        _ => items.push(self.value(depth + 1)?),
                    }
                }
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number(),
            _ => {
                for (word, value) in [
                    (b"true".as_slice(), Obj::Bool(true)),
                    (b"false", Obj::Bool(false)),
                    (b"null", Obj::Null),
                ] {
                    if self.eat(word) {
                        return Ok(value);
                    }
                }
                Err(format!("an unexpected token at byte {}", self.pos))
            }
        }
    }

    /// A number, or a reference `N G R`.
    fn number(&mut self) -> Result<Obj> {
        let start = self.pos;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.pos += 1;
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == b'.') {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("");
        if text.contains('.') {
            return text.parse::<f64>().map(Obj::Real).or(Ok(Obj::Real(0.0)));
        }
        let Ok(n) = text.parse::<i64>() else {
            return Ok(Obj::Real(text.parse::<f64>().unwrap_or(0.0)));
        };
        // `N G R`?
        let after = self.pos;
        if let Ok(num) = u32::try_from(n) {
            self.skip_ws();
            let g = self.pos;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
            }
            if self.pos > g {
                self.skip_ws();
                if self.eat(b"R") {
                    return Ok(Obj::Ref(num));
                }
            }
        }
        self.pos = after;
        Ok(Obj::Int(n))
    }

    /// A name, its `#xx` escapes decoded.
    fn name(&mut self) -> Vec<u8> {
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            if is_white(c) || is_delimiter(c) {
                break;
            }
            self.pos += 1;
            let hex = |c: Option<&u8>| c.and_then(|&c| (c as char).to_digit(16));
            if c == b'#'
                && let (Some(h), Some(l)) =
                    (hex(self.s.get(self.pos)), hex(self.s.get(self.pos + 1)))
            {
                out.push((h * 16 + l) as u8);
                self.pos += 2;
            } else {
                out.push(c);
            }
        }
        out
    }

    /// A literal string `( … )`, its escapes decoded.
    fn literal(&mut self) -> Result<Vec<u8>> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut depth = 0usize;
        loop {
            let Some(c) = self.peek() else {
                return Err("a string is not closed".into());
            };
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' if depth == 0 => return Ok(out),
                b')' => {
                    depth -= 1;
                    out.push(c);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { continue };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
    }

    /// A hexadecimal string `< … >`.
    fn hex(&mut self) -> Result<Vec<u8>> {
        self.pos += 1;
        let mut digits = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return Err("a string is not closed".into());
            };
            self.pos += 1;
            if c == b'>' {
                break;
            }
            if let Some(d) = (c as char).to_digit(16) {
                digits.push(d as u8);
            } else if !is_white(c) {
                return Err("a hexadecimal string is damaged".into());
            }
        }
        if !digits.len().is_multiple_of(2) {
            digits.push(0);
        }
        Ok(digits.chunks(2).map(|p| p[0] * 16 + p[1]).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Obj> {
        let mut work = Work::default();
        Parser {
            s: s.as_bytes(),
            pos: 0,
            start: 0,
            work: &mut work,
        }
        .value(0)
    }

    #[test]
    fn values_parse_as_iso_32000_writes_them() {
        assert_eq!(
            parse("<< /A#20b 1 /R 12 0 R /S (a\\(b\\)\\101) /H <414> /L [1 2.5 -3 null true] >>")
                .unwrap(),
            Obj::Dict(vec![
                (b"A b".to_vec(), Obj::Int(1)),
                (b"R".to_vec(), Obj::Ref(12)),
                (b"S".to_vec(), Obj::Str(b"a(b)A".to_vec())),
                (b"H".to_vec(), Obj::Str(vec![0x41, 0x40])),
                (
                    b"L".to_vec(),
                    Obj::Array(vec![
                        Obj::Int(1),
                        Obj::Real(2.5),
                        Obj::Int(-3),
                        Obj::Null,
                        Obj::Bool(true)
                    ])
                ),
            ])
        );
    }

    #[test]
    fn nesting_and_the_number_of_values_are_bounded() {
        let deep = "[".repeat(MAX_NESTING + 2);
        assert!(parse(&deep).unwrap_err().contains("nest"));
        let many = format!("[{}]", "0 ".repeat(MAX_VALUES + 1));
        assert!(parse(&many).unwrap_err().contains("values"));
    }

    #[test]
    fn a_png_predictor_is_undone() {
        // Two rows of three bytes, the second with the Up filter.
        let data = vec![0, 1, 2, 3, 2, 1, 1, 1];
        let p = Obj::Dict(vec![
            (b"Predictor".to_vec(), Obj::Int(12)),
            (b"Columns".to_vec(), Obj::Int(3)),
        ]);
        assert_eq!(unpredict(data, &p).unwrap(), [1, 2, 3, 2, 3, 4]);
    }
}
