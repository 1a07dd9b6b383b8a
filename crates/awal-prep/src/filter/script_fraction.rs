//! Fraction of the text that is letters of the corpus's main scripts.
//!
//! For a Moroccan corpus the main scripts are Arabic, Latin and Tifinagh; a document
//! that is mostly digits, punctuation, symbols or another script (Cyrillic spam, CJK
//! mojibake) is not wanted. Arabizi digits inside words (`3lach`) count as letters.

use awal_translit::script::Script;

use super::{DocView, Filter, Verdict};
use crate::config::FilterConfig;

/// Minimum share of non-space characters that are main-script letters.
///
/// ```
/// use awal_prep::filter::{DocView, Filter, Verdict, script_fraction::ScriptFraction};
/// use awal_prep::lid::{LangGuess, ScriptProfile};
/// let t = "0612 3344 5566 7788 9900 1122 ok";
/// let (p, g) = (ScriptProfile::of(t), LangGuess { lang: "und_Latn".into(), score: 1.0 });
/// let f = ScriptFraction::new(&Default::default());
/// assert_eq!(f.check(&DocView::new(t, &p, &g)), Verdict::Drop("too_few_main_letters"));
/// ```
pub struct ScriptFraction {
    scripts: Vec<Script>,
    min_fraction: f64,
}

impl ScriptFraction {
    /// From the filter configuration; unknown script names are ignored.
    ///
    /// ```
    /// let _ = awal_prep::filter::script_fraction::ScriptFraction::new(&Default::default());
    /// ```
    pub fn new(c: &FilterConfig) -> Self {
        let scripts = c
            .main_scripts
            .iter()
            .filter_map(|s| match s.as_str() {
                "Arab" => Some(Script::Arab),
                "Latn" => Some(Script::Latn),
                "Tfng" => Some(Script::Tfng),
                "Other" | "Zzzz" => Some(Script::Other),
                _ => None,
            })
            .collect();
        ScriptFraction {
            scripts,
            min_fraction: c.min_main_letter_fraction,
        }
    }
}

impl Filter for ScriptFraction {
    fn name(&self) -> &'static str {
        "script_fraction"
    }

    fn check(&self, doc: &DocView<'_>) -> Verdict {
        if doc.non_space_chars == 0 {
            return Verdict::Drop("too_few_main_letters");
        }
        let main: usize = self.scripts.iter().map(|s| doc.profile.count(*s)).sum();
        if (main as f64) < self.min_fraction * doc.non_space_chars as f64 {
            Verdict::Drop("too_few_main_letters")
        } else {
            Verdict::Keep
        }
    }
}
