//! Cheap, lossless-in-meaning text normalization applied to every document first.
//!
//! This is deliberately small: the language-aware normalizers live in `awal-tokenize`
//! and will plug in here when they land. What this stage guarantees to later stages:
//!
//! * line ends are `\n` (CRLF and lone CR become LF);
//! * no C0/C1 control characters other than `\t` and `\n`, no U+FEFF inside the text;
//! * Unicode NFC (never NFKC: NFKC rewrites Tifinagh ⵯ U+2D6F to ⵡ), computed only when
//!   the fast quick-check says the text is not already NFC, so clean text pays one scan;
//! * no leading or trailing whitespace.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Normalizes one document, borrowing when nothing changes.
///
/// ```
/// use awal_prep::normalize::normalize;
/// assert_eq!(normalize("  salam\r\nkhoya\u{0}  "), "salam\nkhoya");
/// assert_eq!(normalize("ⴰⴳⵯⵎⴰⵔ"), "ⴰⴳⵯⵎⴰⵔ"); // NFC keeps ⵯ
/// assert_eq!(normalize("s\u{0323}"), "ṣ");
/// ```
pub fn normalize(text: &str) -> Cow<'_, str> {
    let needs_clean = text
        .bytes()
        .any(|b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f)
        || text.contains(['\u{FEFF}', '\u{85}'])
        || text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c));
    let cleaned: Cow<'_, str> = if needs_clean {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' => {
                    if chars.peek() != Some(&'\n') {
                        out.push('\n');
                    }
                }
                '\n' | '\t' => out.push(c),
                '\u{FEFF}' => {}
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    };
    let nfc: Cow<'_, str> = match is_nfc_quick(cleaned.chars()) {
        IsNormalized::Yes => cleaned,
        _ => Cow::Owned(cleaned.nfc().collect()),
    };
    match nfc {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
        Cow::Owned(s) => {
            let t = s.trim();
            if t.len() == s.len() {
                Cow::Owned(s)
            } else {
                Cow::Owned(t.to_string())
            }
        }
    }
}
