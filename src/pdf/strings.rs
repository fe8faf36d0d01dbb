//! Text strings in PDFDocEncoding where they can be (ISO 32000-1 §7.9.2.2).
//!
//! krilla writes every text string with a character outside ASCII as UTF-16BE in hex: four
//! bytes a character ("Vilka delar vi…" is ASCII, "Vad gör vi…" is not). Outline titles,
//! alternate texts and descriptions are most of a notice's object stream, and Swedish needs
//! only Latin-1 letters, which PDFDocEncoding codes as Latin-1 does (Annex D.2). Such a string
//! is written again as a literal string of one byte a character: the same text to every
//! reader, about 350 bytes less in the compressed notice.

use memchr::{memchr, memchr_iter, memchr2, memchr3};

/// Copies the object `body` into `out`, each hex string that holds a UTF-16BE text string
/// (it begins with the byte order mark FE FF) whose characters PDFDocEncoding codes as
/// Latin-1 does rewritten as a literal string. Every other byte is copied as it is; literal
/// strings and comments are skipped whole, so nothing inside them is taken for a hex string.
pub(super) fn shorten_into(out: &mut Vec<u8>, body: &[u8]) {
    // Most objects (structure elements, annotations) hold no such string: one fast scan each.
    let bom = |i: usize| matches!(body.get(i + 1..i + 5), Some(b"FEFF" | b"feff"));
    if !memchr_iter(b'<', body).any(bom) {
        out.extend_from_slice(body);
        return;
    }
    let mut at = 0;
    // Between the bytes that open a string or a comment, everything is copied in one piece.
    while let Some(i) = memchr3(b'(', b'<', b'%', &body[at..]) {
        let i = at + i;
        out.extend_from_slice(&body[at..i]);
        at = match body[i] {
            b'(' => {
                let end = literal_end(body, i);
                out.extend_from_slice(&body[i..end]);
                end
            }
            b'%' => {
                let end = memchr2(b'\n', b'\r', &body[i..]).map_or(body.len(), |e| i + e);
                out.extend_from_slice(&body[i..end]);
                end
            }
            _ if body.get(i + 1) == Some(&b'<') => {
                out.extend_from_slice(b"<<");
                i + 2
            }
            _ => {
                let Some(close) = memchr(b'>', &body[i..]).map(|c| i + c) else {
                    out.extend_from_slice(&body[i..]);
                    return;
                };
                if !latin1_literal(out, &body[i + 1..close]) {
                    out.extend_from_slice(&body[i..=close]);
                }
                close + 1
            }
        };
    }
    out.extend_from_slice(&body[at..]);
}

/// Where the literal string that opens at `open` ends (after its closing parenthesis):
/// balanced parentheses, a backslash escaping the next byte (§7.3.4.2).
fn literal_end(body: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    let mut i = open;
    while i < body.len() {
        match body[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    body.len()
}

/// Writes the hex string `hex` (its digits, without the angle brackets) as a literal string
/// if it is a UTF-16BE text string of characters PDFDocEncoding codes as Latin-1 does:
/// printable ASCII and U+00A1–U+00FF but the soft hyphen, which PDFDocEncoding leaves
/// undefined. Returns whether it did; `out` is unchanged when not.
fn latin1_literal(out: &mut Vec<u8>, hex: &[u8]) -> bool {
    let digits: Vec<u8> = hex
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .copied()
        .collect();
    let Some(units) = digits
        .strip_prefix(b"FEFF".as_slice())
        .or_else(|| digits.strip_prefix(b"feff".as_slice()))
    else {
        return false;
    };
    if units.len() % 4 != 0 {
        return false;
    }
    let mut text = Vec::with_capacity(units.len() / 4 + 2);
    text.push(b'(');
    for unit in units.chunks(4) {
        let Some(c) = unit
            .iter()
            .try_fold(0u16, |c, &d| Some(c << 4 | u16::from(hex_digit(d)?)))
        else {
            return false;
        };
        match c {
            0x5C | 0x28 | 0x29 => text.extend([b'\\', c as u8]),
            0x20..=0x7E | 0xA1..=0xAC | 0xAE..=0xFF => text.push(c as u8),
            _ => return false,
        }
    }
    text.push(b')');
    out.extend_from_slice(&text);
    true
}

/// The value of one hexadecimal digit.
fn hex_digit(d: u8) -> Option<u8> {
    match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'A'..=b'F' => Some(d - b'A' + 10),
        b'a'..=b'f' => Some(d - b'a' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shorten(body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        shorten_into(&mut out, body);
        out
    }

    /// UTF-16BE hex of `s`, with the byte order mark, as krilla writes it.
    fn utf16_hex(s: &str) -> String {
        let mut h = String::from("<FEFF");
        for u in s.encode_utf16() {
            h.push_str(&format!("{u:04X}"));
        }
        h.push('>');
        h
    }

    #[test]
    fn swedish_titles_become_one_byte_a_character() {
        let body = format!(
            "<</Parent 7 0 R/Title{}/Dest 111 0 R>>",
            utf16_hex("Vad gör vi (och varför)? 100 % \\ å")
        );
        let out = shorten(body.as_bytes());
        let mut want = b"<</Parent 7 0 R/Title(Vad g".to_vec();
        want.push(0xF6);
        want.extend_from_slice(b"r vi \\(och varf");
        want.push(0xF6);
        want.extend_from_slice(b"r\\)? 100 % \\\\ ");
        want.push(0xE5);
        want.extend_from_slice(b")/Dest 111 0 R>>");
        assert_eq!(out, want);
    }

    #[test]
    fn strings_outside_latin1_byte_strings_and_literals_stay_as_written() {
        for body in [
            // Outside Latin-1 (a dash, the euro sign), and the soft hyphen PDFDoc lacks.
            format!("<</Alt{}>>", utf16_hex("a – b")),
            format!("<</Alt{}>>", utf16_hex("5 €")),
            format!("<</Alt{}>>", utf16_hex("av\u{ad}tal")),
            // Control characters.
            format!("<</Alt{}>>", utf16_hex("a\nb")),
            // A byte string, and a hex string with no byte order mark.
            "<</ID[<1A2B><FEFF00>]/X<00410042>>>".to_string(),
            // A literal string that holds what looks like a hex string.
            "<</T(x <FEFF0041> \\) (y))/U<FEFF0041>>>".to_string(),
        ] {
            let out = shorten(body.as_bytes());
            if body.starts_with("<</T(") {
                assert_eq!(out, b"<</T(x <FEFF0041> \\) (y))/U(A)>>");
            } else {
                assert_eq!(out, body.as_bytes(), "{body}");
            }
        }
    }
}
