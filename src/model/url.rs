//! Web addresses a notice prints and draws as a QR code: the one rule, shared by validation
//! and by the links in running text.

/// The longest web address accepted, in characters (a QR code stays readable on paper).
pub const MAX_URL_CHARS: usize = 300;

/// Checks a web address printed in the PDF and drawn as a QR code: `https://`, a host, and
/// nothing a reader could not type (no spaces, controls or characters outside ASCII).
pub(super) fn check_url(url: &str) -> Result<(), String> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Err(format!(
            "{} is not an https:// address",
            crate::error::quoted(url)
        ));
    };
    let len = url.chars().count();
    if len > MAX_URL_CHARS {
        return Err(format!(
            "the address is {len} characters; an address may be at most {MAX_URL_CHARS}"
        ));
    }
    if let Some(c) = url.chars().find(|c| !c.is_ascii_graphic()) {
        return Err(format!(
            "the address contains {} (U+{:04X}); write it percent-encoded",
            crate::error::quoted(&c.to_string()),
            c as u32
        ));
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || !host.contains('.') {
        return Err(format!("{} has no host name", crate::error::quoted(url)));
    }
    Ok(())
}
