//! Latin script (French, Arabizi, IRCAM Latin): typographic apostrophes. NFC and optional
//! lowercasing are pipeline stages shared with the other families (see [`super`]).

/// Characters typed for the apostrophe of `l'école`, `d'`, `c'est`: right single quote,
/// modifier apostrophe, fullwidth apostrophe. The `apostrophes` option maps them to `'`
/// so that `l’école` and `l'école` are one spelling, and the word splitter
/// ([`super::words`]) treats all of them as the apostrophe.
///
/// ```
/// assert!(awal_translit::normalize::latin::APOSTROPHES.contains(&'’'));
/// ```
pub const APOSTROPHES: &[char] = &['\u{2019}', '\u{02BC}', '\u{FF07}'];

/// The raw mappings of this family.
pub(super) fn mappings(out: &mut Vec<(char, String)>) {
    for &c in APOSTROPHES {
        out.push((c, "'".into()));
    }
}
