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
    // One pass over the bytes: C0 controls and DEL, C1 controls (UTF-8 `C2 80..9F`),
    // U+FEFF (`EF BB BF`).
    let b = text.as_bytes();
    let needs_clean = b.iter().enumerate().any(|(i, &c)| match c {
        0x00..=0x08 | 0x0b..=0x1f | 0x7f => true,
        0xc2 => b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)),
        0xef => b.get(i + 1..i + 3) == Some(&[0xbb, 0xbf]),
        _ => false,
    });
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
    let nfc: Cow<'_, str> = if cleaned.chars().all(surely_nfc) {
        cleaned
    } else {
        match is_nfc_quick(cleaned.chars()) {
            IsNormalized::Yes => cleaned,
            _ => Cow::Owned(cleaned.nfc().collect()),
        }
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

/// Characters that are NFC whatever surrounds them: below U+0300 (ASCII, Latin-1, Latin
/// Extended, IPA: é, ɣ, ɛ), Arabic letters and digits (not harakat or the combining
/// madda/hamzas, which NFC may compose or reorder), Tifinagh letters (not the joiner
/// U+2D7F), general punctuation and emoji. Text made only of these skips
/// the Unicode quick-check tables, which is most Moroccan text.
#[inline]
fn surely_nfc(c: char) -> bool {
    matches!(c, '\0'..='\u{02FF}' | '\u{0600}'..='\u{064A}' | '\u{0660}'..='\u{066F}' | '\u{0671}'..='\u{06D5}' | '\u{06EE}'..='\u{06FF}' | '\u{2000}'..='\u{206F}' | '\u{2D30}'..='\u{2D7E}' | '\u{1F000}'..='\u{1FAFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_hamza_and_madda_compose() {
        // ا + U+0653 (madda) -> آ; و + U+0654 (hamza above) -> ؤ.
        assert_eq!(normalize("\u{0627}\u{0653}"), "\u{0622}");
        assert_eq!(normalize("\u{0648}\u{0654}"), "\u{0624}");
        assert_eq!(normalize("e\u{0301}"), "é");
        // Shadda (ccc 33) before fatha (ccc 30) is reordered.
        assert_eq!(
            normalize("\u{0645}\u{0651}\u{064E}"),
            "\u{0645}\u{064E}\u{0651}"
        );
    }
}
