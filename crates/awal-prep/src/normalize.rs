//! The first stage of every document: the workspace's one normalizer
//! ([`awal_translit::normalize`]) with the profile of `[normalize]` (default `prepare`).
//!
//! The `prepare` profile is lossless in meaning: it only changes what a reader cannot
//! see. What this stage guarantees to later stages, whatever the profile:
//!
//! * line ends are `\n` (CRLF and lone CR become LF), and the lines of a paragraph
//!   document stay lines;
//! * no C0/C1 control characters other than `\t` and `\n`; with the `prepare` profile,
//!   no invisible format characters (U+200B–U+200F, U+2060, U+FEFF, soft hyphen, ALM)
//!   and no bidi controls (U+202A–U+202E, U+2066–U+2069) (the tokenizer profiles keep
//!   ZWNJ and ZWJ, U+200C–U+200D);
//! * NBSP and the other exotic spaces are U+0020, and no two spaces follow each other;
//! * Unicode NFC (never NFKC: NFKC rewrites Tifinagh ⵯ U+2D6F to ⵡ);
//! * no leading or trailing whitespace.
//!
//! Clean text (most of it) is borrowed after one scan of its bytes.

use std::borrow::Cow;
use std::sync::OnceLock;

use awal_translit::normalize::{Normalizer, Profile};

use crate::config::NormalizeConfig;
use crate::Error;

/// The normalizer of a `[normalize]` table; CRLF → LF is on whatever the profile, since
/// the pipeline promises `\n` line ends.
///
/// ```
/// use awal_prep::config::NormalizeConfig;
/// let n = awal_prep::normalize::normalizer(&NormalizeConfig { profile: "ary".into() })?;
/// assert_eq!(n.normalize("مَدْرَسَة\r\nأنا"), "مدرسة\nانا");
/// assert!(awal_prep::normalize::normalizer(&NormalizeConfig { profile: "x".into() }).is_err());
/// # Ok::<(), awal_prep::Error>(())
/// ```
pub fn normalizer(config: &NormalizeConfig) -> Result<Normalizer, Error> {
    let profile = Profile::parse(&config.profile)
        .ok_or_else(|| Error::Config(format!("unknown normalize profile `{}`", config.profile)))?;
    let mut options = profile.options();
    options.line_ends = true;
    Ok(Normalizer::new(options))
}

/// Normalizes one document with the default `prepare` profile, borrowing when nothing
/// changes.
///
/// ```
/// use awal_prep::normalize::normalize;
/// assert_eq!(normalize("  salam\r\nkhoya\u{0}  "), "salam\nkhoya");
/// assert_eq!(normalize("ⴰⴳⵯⵎⴰⵔ"), "ⴰⴳⵯⵎⴰⵔ"); // NFC keeps ⵯ
/// assert_eq!(normalize("s\u{0323}"), "ṣ");
/// assert_eq!(normalize("Bonjour\u{200B}  ça\u{00A0}va"), "Bonjour ça va");
/// ```
pub fn normalize(text: &str) -> Cow<'_, str> {
    static DEFAULT: OnceLock<Normalizer> = OnceLock::new();
    DEFAULT
        .get_or_init(|| Normalizer::new(Profile::Prepare.options()))
        .normalize(text)
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
        assert_eq!(normalize("salam khoya\u{7f} e\u{0301}"), "salam khoya é");
        assert_eq!(normalize("kidayr\u{85}\u{FEFF} a sahbi"), "kidayr a sahbi");
        assert_eq!(normalize("ⴰⵣⵓⵍ\r\nfellawen"), "ⴰⵣⵓⵍ\nfellawen");
        // Shadda (ccc 33) before fatha (ccc 30) is reordered.
        assert_eq!(
            normalize("\u{0645}\u{0651}\u{064E}"),
            "\u{0645}\u{064E}\u{0651}"
        );
    }

    #[test]
    fn the_default_config_is_the_prepare_profile() {
        let n = normalizer(&NormalizeConfig::default()).unwrap();
        assert_eq!(n.options(), Profile::Prepare.options());
        let text = "سلام\u{200F}  Bonjour\u{200B} \u{202E}x\u{202C}\u{00A0}\u{2066}y\r\nz";
        assert_eq!(n.normalize(text), normalize(text));
        assert_eq!(normalize(text), "سلام Bonjour x y\nz");
    }
}
