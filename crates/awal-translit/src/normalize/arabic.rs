//! Arabic-script folding: tatweel, harakat, letter-variant unification, Arabic-Indic
//! digits and presentation forms.
//!
//! Everything here is a context-free character mapping, so it compiles into the shared
//! table of [`super::Normalizer`] and exports as stock `Replace` normalizers.
//!
//! [`is_haraka`] is *the* harakat table of the workspace: dedup keys, language-ID
//! features, transliteration scoring and the Darija engine all ask it, so a mark is a
//! mark everywhere or nowhere.

use unicode_normalization::UnicodeNormalization;

/// Options of the Arabic-script family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArabicOptions {
    /// Remove tatweel (U+0640), the elongation stroke: it never changes what a word is,
    /// but it does change the text, so the lossless `prepare` profile keeps it.
    pub remove_tatweel: bool,
    /// Fold Arabic presentation forms (the single-letter forms, the lam-alef ligatures
    /// and ﷲ) to the letters they show, as PDF and old keyboard text encodes them.
    pub fold_presentation_forms: bool,
    /// Remove harakat (short vowels, shadda, sukun, tanwin, superscript alef, Quranic marks).
    pub remove_harakat: bool,
    /// أ إ آ ٱ → ا. Also drops combining hamza/madda (U+0653–U+0655), because NFC would
    /// otherwise recompose them into أ on the next pass and break idempotence.
    pub unify_alef: bool,
    /// ؤ → و, ئ → ي (and drops combining hamza, as for `unify_alef`).
    pub unify_hamza: bool,
    /// ى → ي, and Persian-keyboard ی → ي, ک → ك.
    pub unify_ya: bool,
    /// ة → ه.
    pub unify_ta_marbuta: bool,
    /// Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹) digits → ASCII 0–9.
    pub ascii_digits: bool,
}

impl Default for ArabicOptions {
    fn default() -> Self {
        ArabicOptions {
            remove_tatweel: true,
            fold_presentation_forms: true,
            remove_harakat: false,
            unify_alef: false,
            unify_hamza: false,
            unify_ya: false,
            unify_ta_marbuta: false,
            ascii_digits: true,
        }
    }
}

/// Tatweel (kashida), the elongation stroke: `كتـــاب` is `كتاب`.
pub const TATWEEL: char = '\u{0640}';

/// Shadda, the gemination mark: the one haraka the Darija engine keeps, because `ّ`
/// decides between `kbir` and `kbbir`.
pub const SHADDA: char = '\u{0651}';

/// The letters أ إ آ ٱ that `unify_alef` writes as ا.
pub const ALEF_VARIANTS: [char; 4] = ['أ', 'إ', 'آ', 'ٱ'];

/// Harakat: short vowels, tanwin, shadda, sukun, the combining madda and hamzas
/// (U+064B–U+065F), superscript alef (U+0670), and the Quranic annotation marks
/// (U+06D6–U+06DC, U+06DF–U+06E4, U+06E7–U+06E8, U+06EA–U+06ED).
///
/// Not harakat: U+06DD (end of ayah) and U+06DE, U+06E9 (symbols), and U+06E5, U+06E6,
/// small waw and small ya. Those two are spacing letters (Lm) that the `zgh-arab` scheme
/// writes for labialisation (`ⴳⵯ` → `ڭۥ`); removing them would merge `gʷ` with `g`.
///
/// ```
/// use awal_translit::normalize::arabic::is_haraka;
/// assert!(is_haraka('\u{064E}') && is_haraka('\u{0651}') && is_haraka('\u{06ED}'));
/// assert!(!is_haraka('\u{06E5}') && !is_haraka('\u{0640}') && !is_haraka('ب'));
/// ```
#[inline]
pub fn is_haraka(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06DC}' | '\u{06DF}'..='\u{06E4}'
        | '\u{06E7}' | '\u{06E8}' | '\u{06EA}'..='\u{06ED}')
}

/// Presentation-form blocks: Arabic Presentation Forms-A and -B (minus the BOM, which the
/// whitespace family removes).
fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}')
}

/// The raw (not yet transitively closed) mappings of this family.
pub(super) fn mappings(opts: &ArabicOptions, out: &mut Vec<(char, String)>) {
    if opts.remove_tatweel {
        out.push((TATWEEL, String::new()));
    }
    if opts.remove_harakat {
        for c in ('\u{0600}'..='\u{06FF}').filter(|&c| is_haraka(c)) {
            out.push((c, String::new()));
        }
    }
    if opts.unify_alef || opts.unify_hamza {
        for c in ['\u{0653}', '\u{0654}', '\u{0655}'] {
            out.push((c, String::new()));
        }
    }
    if opts.unify_alef {
        for c in ALEF_VARIANTS {
            out.push((c, "ا".into()));
        }
    }
    if opts.unify_hamza {
        out.push(('ؤ', "و".into()));
        out.push(('ئ', "ي".into()));
    }
    if opts.unify_ya {
        out.push(('ى', "ي".into()));
        out.push(('ی', "ي".into()));
        out.push(('ک', "ك".into()));
    }
    if opts.unify_ta_marbuta {
        out.push(('ة', "ه".into()));
    }
    if opts.ascii_digits {
        for (i, c) in ('\u{0660}'..='\u{0669}').enumerate() {
            out.push((c, ((b'0' + i as u8) as char).to_string()));
        }
        for (i, c) in ('\u{06F0}'..='\u{06F9}').enumerate() {
            out.push((c, ((b'0' + i as u8) as char).to_string()));
        }
    }
    if !opts.fold_presentation_forms {
        return;
    }
    for c in ('\u{FB50}'..='\u{FDFF}').chain('\u{FE70}'..='\u{FEFE}') {
        if !is_presentation_form(c) {
            continue;
        }
        let base: String = std::iter::once(c).nfkc().collect();
        // Single-letter forms, the lam-alef ligatures and ﷲ: what PDF and old keyboard
        // text is made of. The ~600 rarer ligatures of FC00–FDFF each need their own stock
        // `Replace` (one regex pass per string each), so they are left as they are.
        // TODO: export them through a `Precompiled` char map to fold them too.
        let wanted =
            base.chars().count() == 1 || ('\u{FEF5}'..='\u{FEFC}').contains(&c) || c == '\u{FDF2}';
        if wanted && base != c.to_string() {
            out.push((c, base));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_haraka;
    use crate::normalize::{Normalizer, Profile};

    #[test]
    fn arabic_table() {
        let n = Normalizer::new(Profile::Ary.options());
        let cases = [
            ("كتـــاب", "كتاب"),
            ("مَدْرَسَة", "مدرسة"),
            ("أنا إلى آخر", "انا الى اخر"),
            ("٢٠٢٤ و ۱۲", "2024 و 12"),
            ("ﻻ ﺑﺎﺏ", "لا باب"),
            ("ﻷ", "لا"),
        ];
        for (input, want) in cases {
            assert_eq!(n.normalize(input), want, "{input}");
        }
    }

    /// The zgh-arab labialisation letters survive harakat removal.
    #[test]
    fn small_waw_and_ya_are_letters() {
        let n = Normalizer::new(Profile::Ary.options());
        assert_eq!(n.normalize("ڭۥَ"), "ڭۥ");
        assert_eq!(n.normalize("\u{06E6}"), "\u{06E6}");
        let marks = ('\u{0600}'..='\u{06FF}').filter(|&c| is_haraka(c)).count();
        assert_eq!(marks, 21 + 1 + 7 + 6 + 2 + 4);
    }
}
