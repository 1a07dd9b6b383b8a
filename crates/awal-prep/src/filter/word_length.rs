//! Mean word length, with bounds per script.
//!
//! One bound does not fit all: Arabic-script words are short because clitics attach
//! (`والدار`, but also `f`, `l`, `w` stand alone in Arabizi), Tifinagh words are long
//! (`ⵜⴰⵎⴰⵣⵉⵖⵜ`). Gopher's English 3–10 would drop good Darija. The bounds come from the
//! document's dominant script; documents without letters are left to other filters.

use awal_translit::script::Script;

use super::{DocView, Filter, Verdict};
use crate::config::FilterConfig;

/// Mean word length (characters per whitespace word) within per-script bounds.
///
/// ```
/// use awal_prep::filter::{DocView, Filter, Verdict, word_length::WordLength};
/// use awal_prep::lid::{LangGuess, ScriptProfile};
/// let t = "a b c d e f g h i j";
/// let (p, g) = (ScriptProfile::of(t), LangGuess { lang: "und_Latn".into(), score: 1.0 });
/// assert_eq!(WordLength::new(&Default::default()).check(&DocView::new(t, &p, &g)), Verdict::Drop("words_too_short"));
/// ```
pub struct WordLength {
    latn: (f64, f64),
    arab: (f64, f64),
    tfng: (f64, f64),
}

impl WordLength {
    /// From the filter configuration.
    ///
    /// ```
    /// let _ = awal_prep::filter::word_length::WordLength::new(&Default::default());
    /// ```
    pub fn new(c: &FilterConfig) -> Self {
        WordLength {
            latn: c.latn_word_len,
            arab: c.arab_word_len,
            tfng: c.tfng_word_len,
        }
    }
}

impl Filter for WordLength {
    fn name(&self) -> &'static str {
        "word_length"
    }

    fn check(&self, doc: &DocView<'_>) -> Verdict {
        let (lo, hi) = match doc.profile.dominant() {
            Script::Arab => self.arab,
            Script::Latn => self.latn,
            Script::Tfng => self.tfng,
            _ => return Verdict::Keep,
        };
        if doc.words.is_empty() {
            return Verdict::Keep;
        }
        let mean = doc.non_space_chars as f64 / doc.words.len() as f64;
        if mean < lo {
            Verdict::Drop("words_too_short")
        } else if mean > hi {
            Verdict::Drop("words_too_long")
        } else {
            Verdict::Keep
        }
    }
}
