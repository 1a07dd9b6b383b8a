//! Latin script (French, Arabizi, IRCAM Latin): typographic apostrophes. NFC and optional
//! lowercasing are pipeline stages shared with the other families (see [`super`]).

/// The raw mappings of this family: typographic and modifier apostrophes → `'`, so that
/// `l’école` and `l'école` tokenize alike.
pub(super) fn mappings(out: &mut Vec<(char, String)>) {
    for c in ['\u{2019}', '\u{02BC}', '\u{FF07}'] {
        out.push((c, "'".into()));
    }
}
