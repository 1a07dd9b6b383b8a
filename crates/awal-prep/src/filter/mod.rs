//! Quality filters, one file each; every drop names its filter and reason.
//!
//! # The model
//!
//! A [`Filter`] looks at a [`DocView`] (the text, its words, its script profile, its
//! language guess — computed once and shared by all filters) and answers
//! [`Verdict::Keep`] or [`Verdict::Drop`] with a reason such as `too_few_words`. The
//! [`FilterChain`] runs them in a fixed order and stops at the first drop, so each
//! dropped document is counted exactly once, under `filter.reason` in the manifest.
//!
//! One stage edits instead of judging: [`boilerplate`] removes cookie banners,
//! navigation menus and the like line by line *before* the others run (and drops the
//! document when little else is left), because a good article with a cookie line at the
//! bottom is worth keeping without it.
//!
//! Defaults suit short, mixed-script Moroccan documents: the Gopher rules were tuned on
//! English web pages and, applied as is (stop words, n-gram fractions counted even for
//! n-grams seen once), drop nearly all Arabic-script, Tifinagh and Arabizi text.
//!
//! ```
//! use awal_prep::filter::FilterChain;
//! use awal_prep::lid::{LanguageDetector, ScriptDetector, ScriptProfile};
//!
//! let chain = FilterChain::new(&Default::default());
//! let judge = |t: &str| {
//!     let p = ScriptProfile::of(t);
//!     chain.check(t, &p, &ScriptDetector.detect(t, &p))
//! };
//! assert_eq!(judge("wach nta mzyan a khoya? ana bikhir l7amdolillah"), None);
//! assert_eq!(judge("ok ok"), Some(("length", "too_few_chars")));
//! assert_eq!(judge("salam 3likom #### ★★★★"), Some(("symbols", "too_many_symbols")));
//! assert_eq!(judge("#### $$$$ €€€€ %%%% ★★★★ !!!"), Some(("script_fraction", "too_few_main_letters")));
//! ```

pub mod boilerplate;
pub mod lang;
pub mod length;
pub mod repetition;
pub mod script_fraction;
pub mod symbols;
pub mod word_length;

use crate::config::FilterConfig;
use crate::lid::{LangGuess, ScriptProfile};

/// What a filter sees: the text and what the pipeline already computed about it.
pub struct DocView<'a> {
    /// The document text (normalized, boilerplate removed).
    pub text: &'a str,
    /// Whitespace-separated words.
    pub words: Vec<&'a str>,
    /// Characters in the text.
    pub chars: usize,
    /// Non-whitespace characters.
    pub non_space_chars: usize,
    /// Symbol and emoji characters ([`symbols::is_symbol`]).
    pub symbols: usize,
    /// Letters per script.
    pub profile: &'a ScriptProfile,
    /// The language guess.
    pub lang: &'a LangGuess,
}

impl<'a> DocView<'a> {
    /// Builds the view in one pass over the text.
    ///
    /// ```
    /// use awal_prep::lid::{LangGuess, ScriptProfile};
    /// let p = ScriptProfile::of("a b");
    /// let g = LangGuess { lang: "und_Latn".into(), score: 1.0 };
    /// let v = awal_prep::filter::DocView::new("a b", &p, &g);
    /// assert_eq!((v.words.len(), v.chars, v.non_space_chars, v.symbols), (2, 3, 2, 0));
    /// ```
    pub fn new(text: &'a str, profile: &'a ScriptProfile, lang: &'a LangGuess) -> Self {
        // One pass for all per-character counts the filters need and for the words
        // (the same words as `split_whitespace`: maximal runs of non-whitespace).
        let (mut chars, mut non_space, mut symbols) = (0, 0, 0);
        let mut words = Vec::with_capacity(text.len() / 6 + 1);
        let mut word_start: Option<usize> = None;
        for (i, c) in text.char_indices() {
            chars += 1;
            let (space, symbol) = if c.is_ascii() {
                (
                    matches!(c, '\t'..='\r' | ' '),
                    symbols::ASCII_SYMBOL[c as usize],
                )
            } else {
                (c.is_whitespace(), symbols::is_symbol(c))
            };
            if space {
                if let Some(start) = word_start.take() {
                    words.push(&text[start..i]);
                }
            } else {
                word_start.get_or_insert(i);
                non_space += 1;
                symbols += usize::from(symbol);
            }
        }
        if let Some(start) = word_start {
            words.push(&text[start..]);
        }
        DocView {
            text,
            words,
            chars,
            non_space_chars: non_space,
            symbols,
            profile,
            lang,
        }
    }
}

/// A filter's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Keep the document.
    Keep,
    /// Drop it, for this reason (a stable snake_case key).
    Drop(&'static str),
}

/// One quality rule.
pub trait Filter: Send + Sync {
    /// The filter's name, the first half of its manifest keys.
    ///
    /// ```
    /// use awal_prep::filter::{Filter, length::Length};
    /// assert_eq!(Length::new(&Default::default()).name(), "length");
    /// ```
    fn name(&self) -> &'static str;

    /// Judges one document.
    ///
    /// ```
    /// use awal_prep::filter::{DocView, Filter, Verdict, length::Length};
    /// use awal_prep::lid::{LangGuess, ScriptProfile};
    /// let (p, g) = (ScriptProfile::of("ok"), LangGuess { lang: "und_Latn".into(), score: 1.0 });
    /// let v = DocView::new("ok", &p, &g);
    /// assert_eq!(Length::new(&Default::default()).check(&v), Verdict::Drop("too_few_chars"));
    /// ```
    fn check(&self, doc: &DocView<'_>) -> Verdict;
}

/// The configured filters, in order.
pub struct FilterChain {
    enabled: bool,
    cleaner: boilerplate::Boilerplate,
    filters: Vec<Box<dyn Filter>>,
}

impl FilterChain {
    /// Builds the chain from a configuration.
    ///
    /// ```
    /// let chain = awal_prep::filter::FilterChain::new(&Default::default());
    /// assert!(chain.names().contains(&"repetition"));
    /// ```
    pub fn new(config: &FilterConfig) -> Self {
        let filters: Vec<Box<dyn Filter>> = vec![
            Box::new(length::Length::new(config)),
            Box::new(script_fraction::ScriptFraction::new(config)),
            Box::new(symbols::Symbols::new(config)),
            Box::new(word_length::WordLength::new(config)),
            Box::new(repetition::Repetition::new(config)),
            Box::new(lang::LangAllowList::new(config)),
        ];
        FilterChain {
            enabled: config.enabled,
            cleaner: boilerplate::Boilerplate::new(config),
            filters,
        }
    }

    /// The filter names in the order they run (boilerplate first).
    ///
    /// ```
    /// let chain = awal_prep::filter::FilterChain::new(&Default::default());
    /// assert_eq!(chain.names()[0], "boilerplate");
    /// ```
    pub fn names(&self) -> Vec<&'static str> {
        std::iter::once("boilerplate")
            .chain(self.filters.iter().map(|f| f.name()))
            .collect()
    }

    /// Removes boilerplate lines; see [`boilerplate::Boilerplate::clean`].
    ///
    /// ```
    /// let chain = awal_prep::filter::FilterChain::new(&Default::default());
    /// assert!(chain.clean("Lorem ipsum dolor sit amet").is_err());
    /// ```
    pub fn clean<'t>(&self, text: &'t str) -> Result<boilerplate::Cleaned<'t>, &'static str> {
        if !self.enabled {
            return Ok(boilerplate::Cleaned {
                text: std::borrow::Cow::Borrowed(text),
                lines_removed: 0,
            });
        }
        self.cleaner.clean(text)
    }

    /// Runs the judging filters; `Some((filter, reason))` for the first that drops.
    ///
    /// ```
    /// use awal_prep::lid::{LangGuess, ScriptProfile};
    /// let chain = awal_prep::filter::FilterChain::new(&Default::default());
    /// let g = LangGuess { lang: "und_Latn".into(), score: 1.0 };
    /// assert_eq!(chain.check("salam", &ScriptProfile::of("salam"), &g), Some(("length", "too_few_chars")));
    /// ```
    pub fn check(
        &self,
        text: &str,
        profile: &ScriptProfile,
        lang: &LangGuess,
    ) -> Option<(&'static str, &'static str)> {
        if !self.enabled {
            return None;
        }
        let view = DocView::new(text, profile, lang);
        for filter in &self.filters {
            if let Verdict::Drop(reason) = filter.check(&view) {
                return Some((filter.name(), reason));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_split_whitespace_words() {
        let p = ScriptProfile::default();
        let g = LangGuess {
            lang: "und_Latn".into(),
            score: 1.0,
        };
        for t in [
            "",
            "  salam\u{a0}khoya\t\n\u{b}kidayr  ",
            "واش\u{2003}نتا\u{3000}ⴰⵣⵓⵍ\u{85}x",
            "one",
            "\u{1c}\u{1f} sep",
        ] {
            let v = DocView::new(t, &p, &g);
            assert_eq!(v.words, t.split_whitespace().collect::<Vec<_>>(), "{t:?}");
            assert_eq!(
                v.non_space_chars,
                t.chars().filter(|c| !c.is_whitespace()).count()
            );
        }
    }
}
