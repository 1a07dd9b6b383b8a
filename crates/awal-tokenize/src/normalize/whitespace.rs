//! Whitespace and control clean-up: removes controls and invisible format characters,
//! turns exotic spaces into U+0020; collapsing runs of spaces and trimming are pipeline
//! stages (see [`super`]).

/// The raw mappings of this family.
pub(super) fn mappings(out: &mut Vec<(char, String)>) {
    for c in ('\u{0}'..='\u{1F}').chain('\u{7F}'..='\u{9F}') {
        match c {
            '\t' | '\n' | '\r' => {}
            '\u{0B}' | '\u{0C}' => out.push((c, " ".into())),
            _ => out.push((c, String::new())),
        }
    }
    // Invisible format characters that only hide differences between equal words. ZWJ and
    // ZWNJ stay: they carry meaning in emoji and Persian-style orthography.
    for c in [
        '\u{00AD}', '\u{061C}', '\u{200B}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}',
        '\u{202C}', '\u{202D}', '\u{202E}', '\u{2060}', '\u{2066}', '\u{2067}', '\u{2068}',
        '\u{2069}', '\u{FEFF}',
    ] {
        out.push((c, String::new()));
    }
    for c in ['\u{00A0}', '\u{1680}', '\u{202F}', '\u{205F}', '\u{3000}']
        .into_iter()
        .chain('\u{2000}'..='\u{200A}')
    {
        out.push((c, " ".into()));
    }
}
