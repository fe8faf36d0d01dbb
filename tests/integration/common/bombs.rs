//! Hostile inputs made small, and the binary run with a cap on its memory: a bomb is either
//! refused within the cap or the process dies (an allocation that fails aborts), which the
//! test sees as a signal instead of exit 1. No timing is involved.

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output};

/// The address space the binary may use in the bounded tests: far above what it needs for
/// the fixture data (each test also runs a good input under it), far below any bomb.
pub const ADDRESS_SPACE: u64 = 1 << 30;

/// Runs `notice-pdf` in `dir` with at most `bytes` of address space (`RLIMIT_AS`) and the
/// temporary directory `tmp`.
pub fn run_capped(dir: &Path, args: &[&str], bytes: u64, tmp: &Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_notice-pdf"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("TMPDIR", tmp);
    // SAFETY: only the async-signal-safe setrlimit between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.output().expect("run notice-pdf")
}

/// `len` zero bytes, deflated (zlib) without ever holding them: about `len / 1000` bytes.
pub fn deflated_zeros(len: u64) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let chunk = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        z.write_all(&chunk[..n]).unwrap();
        left -= n as u64;
    }
    z.finish().unwrap()
}

/// `data` deflated (zlib).
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(data).unwrap();
    z.finish().unwrap()
}

/// A PDF of `objects` (object `i + 1` is `objects[i]`, the catalog first), with a correct
/// cross-reference table.
pub fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(o);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    let n = objects.len() + 1;
    pdf.extend_from_slice(format!("xref\n0 {n}\n0000000000 65535 f \n").as_bytes());
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {n} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    pdf
}

/// A stream object with `dict` entries and `data`.
pub fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut o = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    o.extend_from_slice(data);
    o.extend_from_slice(b"\nendstream");
    o
}

/// A PDF whose one embedded file `name` is `len` zero bytes behind two Flate filters (1 GiB
/// is a file of about 4 KB).
pub fn embedded_zeros_pdf(name: &str, len: u64) -> Vec<u8> {
    let twice = deflate(&deflated_zeros(len));
    pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec(),
        format!("<< /Names [({name}) 5 0 R] >>").into_bytes(),
        format!("<< /Type /Filespec /F ({name}) /UF ({name}) /EF << /F 6 0 R >> >>").into_bytes(),
        stream(
            "/Type /EmbeddedFile /Filter [/FlateDecode /FlateDecode]",
            &twice,
        ),
    ])
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32fast::hash(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A valid PNG of `w` × `h` transparent black pixels, 16-bit RGBA (8 bytes a pixel), made
/// without holding them: 8192 × 8192 is a file of about 510 KB that decodes to 512 MiB.
pub fn png_16bit_rgba(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[16, 6, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let row = vec![0u8; 1 + w as usize * 8];
    for _ in 0..h {
        z.write_all(&row).unwrap();
    }
    chunk(&mut out, b"IDAT", &z.finish().unwrap());
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A PNG header claiming `w` × `h` 8-bit RGBA pixels, and nothing else.
pub fn png_header_only(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    out
}

/// A PDF whose embedded files' name tree is a chain of `count` nodes, each alone in an object
/// stream padded with spaces to `decoded` bytes, found through a cross-reference stream: the
/// object streams decompress to `count × decoded` bytes together.
pub fn object_stream_chain(count: u32, decoded: usize) -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    let mut object = |pdf: &mut Vec<u8>, num: u32, body: &[u8]| {
        offsets.push((num, pdf.len()));
        pdf.extend_from_slice(format!("{num} 0 obj\n").as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    };
    object(
        &mut pdf,
        1,
        b"<< /Type /Catalog /Names << /EmbeddedFiles 100 0 R >> >>",
    );
    for i in 0..count {
        let node = if i + 1 < count {
            format!("<< /Kids [{} 0 R] >>", 101 + i)
        } else {
            "<< /Names [] >>".to_owned()
        };
        let header = format!("{} 0 ", 100 + i);
        let mut data = format!("{header}{node}").into_bytes();
        data.resize(decoded.max(data.len()), b' ');
        let dict = format!(
            "/Type /ObjStm /N 1 /First {} /Filter /FlateDecode",
            header.len()
        );
        object(&mut pdf, 2 + i, &stream(&dict, &deflate(&data)));
    }
    let xref_num = 2 + count;
    let xref_at = pdf.len();
    let mut rows = vec![0u8, 0, 0, 0, 0, 0xff, 0xff];
    let row = |kind: u8, field: u32, index: u16| {
        let mut r = vec![kind];
        r.extend_from_slice(&field.to_be_bytes());
        r.extend_from_slice(&index.to_be_bytes());
        r
    };
    for (_, at) in &offsets {
        rows.extend(row(1, *at as u32, 0));
    }
    rows.extend(row(1, xref_at as u32, 0));
    for i in 0..count {
        rows.extend(row(2, 2 + i, 0));
    }
    let dict = format!(
        "/Type /XRef /Size {} /W [1 4 2] /Index [0 {} 100 {count}] /Root 1 0 R",
        100 + count,
        xref_num + 1
    );
    pdf.extend_from_slice(format!("{xref_num} 0 obj\n").as_bytes());
    pdf.extend_from_slice(&stream(&dict, &rows));
    pdf.extend_from_slice(format!("\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    pdf
}
