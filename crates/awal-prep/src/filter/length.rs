//! Document length in characters and in words.
//!
//! Defaults keep short social-media documents (≥15 characters, ≥3 words: `wach nta
//! mzyan?` passes) and drop only giants (>1 M characters, >100 k words) that are almost
//! always dumps, not text.

use super::{DocView, Filter, Verdict};
use crate::config::FilterConfig;

/// Bounds on characters and words.
///
/// ```
/// use awal_prep::filter::{DocView, Filter, Verdict, length::Length};
/// use awal_prep::lid::{LangGuess, ScriptProfile};
/// let t = "ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ ⵎⴰⵏⵉⵎⴽ ⵜⵍⵍⵉⵎ";
/// let (p, g) = (ScriptProfile::of(t), LangGuess { lang: "und_Tfng".into(), score: 1.0 });
/// assert_eq!(Length::new(&Default::default()).check(&DocView::new(t, &p, &g)), Verdict::Keep);
/// ```
pub struct Length {
    min_chars: usize,
    max_chars: usize,
    min_words: usize,
    max_words: usize,
}

impl Length {
    /// From the filter configuration.
    ///
    /// ```
    /// let _ = awal_prep::filter::length::Length::new(&Default::default());
    /// ```
    pub fn new(c: &FilterConfig) -> Self {
        Length {
            min_chars: c.min_chars,
            max_chars: c.max_chars,
            min_words: c.min_words,
            max_words: c.max_words,
        }
    }
}

impl Filter for Length {
    fn name(&self) -> &'static str {
        "length"
    }

    fn check(&self, doc: &DocView<'_>) -> Verdict {
        if doc.chars < self.min_chars {
            Verdict::Drop("too_few_chars")
        } else if doc.chars > self.max_chars {
            Verdict::Drop("too_many_chars")
        } else if doc.words.len() < self.min_words {
            Verdict::Drop("too_few_words")
        } else if doc.words.len() > self.max_words {
            Verdict::Drop("too_many_words")
        } else {
            Verdict::Keep
        }
    }
}
