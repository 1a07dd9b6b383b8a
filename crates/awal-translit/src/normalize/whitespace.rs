//! Whitespace and control clean-up, the part of normalization every profile runs:
//! controls and invisible format characters are removed, exotic spaces become U+0020.
//! Collapsing runs of spaces, trimming and CRLF → LF are pipeline stages (see [`super`]),
//! because they depend on the neighbouring characters.

/// Invisible format characters that only hide differences between equal words: soft
/// hyphen, zero-width space, word joiner, BOM, and the direction marks (LRM, RLM, ALM).
/// ZWJ and ZWNJ are [`JOINERS`], removed only when asked: they carry meaning in emoji
/// and in Persian-style orthography.
///
/// ```
/// use awal_translit::normalize::whitespace::INVISIBLES;
/// assert!(INVISIBLES.contains(&'\u{200B}') && !INVISIBLES.contains(&'\u{200D}'));
/// ```
pub const INVISIBLES: &[char] = &[
    '\u{00AD}', '\u{061C}', '\u{200B}', '\u{200E}', '\u{200F}', '\u{2060}', '\u{FEFF}',
];

/// Zero-width non-joiner and joiner (U+200C, U+200D). The `prepare` profile removes them
/// with the other invisibles (Moroccan text has no use for them, and they hide
/// duplicates); the tokenizer profiles keep them, so emoji ZWJ sequences stay whole.
///
/// ```
/// assert_eq!(awal_translit::normalize::whitespace::JOINERS, ['\u{200C}', '\u{200D}']);
/// ```
pub const JOINERS: [char; 2] = ['\u{200C}', '\u{200D}'];

/// Bidirectional embedding, override and isolate controls (U+202A–U+202E,
/// U+2066–U+2069): pasted Arabic and Hebrew text is full of them, and they are invisible.
///
/// ```
/// use awal_translit::normalize::whitespace::BIDI_CONTROLS;
/// assert_eq!(BIDI_CONTROLS.len(), 9);
/// ```
pub const BIDI_CONTROLS: &[char] = &[
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}',
];

/// Spaces that become U+0020: NBSP, ogham space, the typographic spaces U+2000–U+200A,
/// narrow NBSP (French `!` and `?`), medium mathematical space, ideographic space, and
/// the vertical tab and form feed.
///
/// ```
/// use awal_translit::normalize::whitespace::is_exotic_space;
/// assert!(is_exotic_space('\u{00A0}') && is_exotic_space('\u{2009}') && !is_exotic_space(' '));
/// ```
pub fn is_exotic_space(c: char) -> bool {
    matches!(
        c,
        '\u{0B}' | '\u{0C}' | '\u{00A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// C0 and C1 controls that are removed: all of U+0000–U+001F and U+007F–U+009F except
/// tab, line feed and carriage return (kept, or turned into LF by the line-end stage) and
/// the vertical tab and form feed (spaces).
///
/// ```
/// use awal_translit::normalize::whitespace::is_removed_control;
/// assert!(is_removed_control('\u{0}') && is_removed_control('\u{85}'));
/// assert!(!is_removed_control('\n') && !is_removed_control('\t'));
/// ```
pub fn is_removed_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}')
        && !matches!(c, '\t' | '\n' | '\r')
        && !is_exotic_space(c)
}

/// The raw mappings of this family.
pub(super) fn mappings(remove_joiners: bool, out: &mut Vec<(char, String)>) {
    if remove_joiners {
        for c in JOINERS {
            out.push((c, String::new()));
        }
    }
    for c in ('\u{0}'..='\u{9F}').filter(|&c| is_removed_control(c)) {
        out.push((c, String::new()));
    }
    for &c in INVISIBLES.iter().chain(BIDI_CONTROLS) {
        out.push((c, String::new()));
    }
    for c in ('\u{0}'..='\u{3000}').filter(|&c| is_exotic_space(c)) {
        out.push((c, " ".into()));
    }
}
