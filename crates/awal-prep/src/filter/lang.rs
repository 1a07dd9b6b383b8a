//! Language allow-list with a minimum score.
//!
//! Labels are `lang_Script`. A script-level label from the default detector
//! (`und_Arab`) matches every allowed label written in that script (`ary_Arab`,
//! `arb_Arab`), since the script is all it knows; a real detector's `ary_Arab` must be
//! listed exactly.

use super::{DocView, Filter, Verdict};
use crate::config::FilterConfig;

/// Keeps documents whose language is allowed, with at least the minimum score.
///
/// ```
/// use awal_prep::filter::lang::LangAllowList;
/// let mut c = awal_prep::config::FilterConfig::default();
/// c.langs = vec!["ary_Arab".into(), "zgh_Tfng".into()];
/// let f = LangAllowList::new(&c);
/// assert!(f.allows("und_Tfng") && f.allows("ary_Arab") && !f.allows("und_Latn") && !f.allows("fra_Latn"));
/// ```
pub struct LangAllowList {
    langs: Vec<String>,
    min_score: f64,
}

impl LangAllowList {
    /// From the filter configuration; an empty list allows everything.
    ///
    /// ```
    /// assert!(awal_prep::filter::lang::LangAllowList::new(&Default::default()).allows("und_Zyyy"));
    /// ```
    pub fn new(c: &FilterConfig) -> Self {
        LangAllowList {
            langs: c.langs.clone(),
            min_score: c.min_lang_score,
        }
    }

    /// Whether a label passes the list (ignoring the score).
    ///
    /// ```
    /// assert!(awal_prep::filter::lang::LangAllowList::new(&Default::default()).allows("fra_Latn"));
    /// ```
    pub fn allows(&self, label: &str) -> bool {
        if self.langs.is_empty() {
            return true;
        }
        if let Some(script) = label.strip_prefix("und_") {
            return self
                .langs
                .iter()
                .any(|l| l.rsplit('_').next() == Some(script));
        }
        self.langs.iter().any(|l| l == label)
    }
}

impl Filter for LangAllowList {
    fn name(&self) -> &'static str {
        "lang"
    }

    fn check(&self, doc: &DocView<'_>) -> Verdict {
        if self.langs.is_empty() {
            return Verdict::Keep;
        }
        if !self.allows(&doc.lang.lang) {
            Verdict::Drop("lang_not_allowed")
        } else if doc.lang.score < self.min_score {
            Verdict::Drop("lang_score_low")
        } else {
            Verdict::Keep
        }
    }
}
