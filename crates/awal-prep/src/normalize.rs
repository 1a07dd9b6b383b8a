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
    let (needs_clean, surely_nfc_text) = scan(text);
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
    // The scan stops at the first character to clean, so after cleaning the text is
    // checked again.
    let surely = if needs_clean {
        cleaned.chars().all(|c| surely_nfc(c as u32))
    } else {
        surely_nfc_text
    };
    let nfc: Cow<'_, str> = if surely {
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
fn surely_nfc(cp: u32) -> bool {
    matches!(cp, 0..=0x02FF | 0x0600..=0x064A | 0x0660..=0x066F | 0x0671..=0x06D5 | 0x06EE..=0x06FF | 0x2000..=0x206F | 0x2D30..=0x2D7E | 0x1F000..=0x1FAFF)
}

/// One pass over the bytes: does the text need cleaning (C0 controls other than tab and
/// line feed, DEL, C1 controls, U+FEFF), and, if not, is every character
/// [`surely_nfc`]? Stops at the first character to clean. Eight ASCII bytes are checked at
/// a time, since most lines are mostly ASCII or mostly two-byte Arabic.
fn scan(text: &str) -> (bool, bool) {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let b = text.as_bytes();
    let mut surely = true;
    let mut i = 0;
    while i < b.len() {
        if let Some(chunk) = b.get(i..i + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            let v = u64::from_le_bytes(w);
            let del = v ^ (LO * 0x7F);
            // All ASCII, none below 0x20, none equal to 0x7F (SWAR "has byte less than").
            if v & HI == 0
                && v.wrapping_sub(LO * 0x20) & !v & HI == 0
                && del.wrapping_sub(LO) & !del & HI == 0
            {
                i += 8;
                continue;
            }
        }
        let c = b[i];
        if c < 0x80 {
            if matches!(c, 0x00..=0x08 | 0x0b..=0x1f | 0x7f) {
                return (true, false);
            }
            i += 1;
            continue;
        }
        // `text` is valid UTF-8, so the lead byte gives the width.
        let (cp, width) = match c {
            0xC0..=0xDF => (u32::from(c & 0x1F) << 6 | u32::from(b[i + 1] & 0x3F), 2),
            0xE0..=0xEF => (
                u32::from(c & 0x0F) << 12
                    | u32::from(b[i + 1] & 0x3F) << 6
                    | u32::from(b[i + 2] & 0x3F),
                3,
            ),
            _ => (
                u32::from(c & 0x07) << 18
                    | u32::from(b[i + 1] & 0x3F) << 12
                    | u32::from(b[i + 2] & 0x3F) << 6
                    | u32::from(b[i + 3] & 0x3F),
                4,
            ),
        };
        if (0x80..=0x9F).contains(&cp) || cp == 0xFEFF {
            return (true, false);
        }
        surely &= surely_nfc(cp);
        i += width;
    }
    (false, surely)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan agrees with the character-level definitions it replaces.
    #[test]
    fn scan_matches_char_definitions() {
        let samples = [
            "salam khoya, kidayr? ana mzyan l7amdolillah",
            "واش نتا مزيان؟ ⴰⵣⵓⵍ fellawen",
            "e\u{0301} café ṣ ḍ 😀 \u{2D7F}",
            "tab\there\nnewline\u{0}nul",
            "abcdefg\u{7f}hijklmnop",
            "abcdefghijklmno\u{9f}",
            "\u{FEFF}bom in the middle",
            "\u{0651}\u{064E} harakat",
            "",
        ];
        for s in samples {
            let clean = s.chars().any(|c| {
                matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{FEFF}')
            });
            let (needs_clean, surely) = scan(s);
            assert_eq!(needs_clean, clean, "{s:?}");
            if !clean {
                assert_eq!(surely, s.chars().all(|c| surely_nfc(c as u32)), "{s:?}");
            }
        }
    }

    #[test]
    fn arabic_hamza_and_madda_compose() {
        // ا + U+0653 (madda) -> آ; و + U+0654 (hamza above) -> ؤ.
        assert_eq!(normalize("\u{0627}\u{0653}"), "\u{0622}");
        assert_eq!(normalize("\u{0648}\u{0654}"), "\u{0624}");
        assert_eq!(normalize("e\u{0301}"), "é");
        assert_eq!(normalize("salam khoya\u{7f} e\u{0301}"), "salam khoya é");
        assert_eq!(normalize("kidayr\u{85}\u{FEFF} a sahbi"), "kidayr a sahbi");
        assert_eq!(normalize("ⴰⵣⵓⵍ\r\nfellawen"), "ⴰⵣⵓⵍ\nfellawen");
        // Shadda (ccc 33) before fatha (ccc 30) is reordered.
        assert_eq!(
            normalize("\u{0645}\u{0651}\u{064E}"),
            "\u{0645}\u{064E}\u{0651}"
        );
    }
}
