//! Token counts with a model's tokenizer (`awal prepare --tokenizer`).
//!
//! # What is counted
//!
//! The text of each kept record exactly as written to its shard (after normalization,
//! cleaning, redaction and `unify`), encoded **without special tokens** (no BOS/EOS, no
//! chat template): what the model sees of that document's content. A trainer that adds
//! a BOS and an EOS per document sees `n_tokens + 2`.
//!
//! # Why a trait
//!
//! awal-prep does not load tokenizers itself: [`TokenCounter`] is the hook, as
//! [`crate::lid::LanguageDetector`] is for language identification, and the `awal` CLI
//! plugs in awal-tokenize's loaders (Hugging Face `tokenizer.json`, Mistral
//! `tekken.json`). This keeps the `tokenizers` library (and its build weight) out of
//! every user of the pipeline that does not count tokens, such as the Python bindings.
//!
//! Counting is part of the pure per-document map ([`crate::pipeline::Pipeline::map_text`]),
//! so it runs on the rayon pool; a count depends only on the text, so the totals do not
//! depend on the thread count.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The hook for token counting. Implementations must be pure (same text, same count) so
/// that output stays identical across thread counts.
pub trait TokenCounter: Send + Sync {
    /// Tokens of `text`, encoded without special tokens; `Err` with a reason if the
    /// tokenizer cannot encode it.
    ///
    /// ```
    /// use awal_prep::tokens::{TokenCounter, Whitespace};
    /// assert_eq!(Whitespace.count("salam  khoya"), Ok(2));
    /// ```
    fn count(&self, text: &str) -> Result<u64, String>;

    /// A name for the manifest and the resume fingerprint: it must change when the
    /// tokenizer does (e.g. include a digest of its file).
    ///
    /// ```
    /// use awal_prep::tokens::{TokenCounter, Whitespace};
    /// assert_eq!(Whitespace.name(), "whitespace");
    /// ```
    fn name(&self) -> String;
}

/// Counts whitespace-separated words: a stand-in tokenizer for tests and examples.
#[derive(Clone, Copy, Debug, Default)]
pub struct Whitespace;

impl TokenCounter for Whitespace {
    fn count(&self, text: &str) -> Result<u64, String> {
        Ok(text.split_whitespace().count() as u64)
    }

    fn name(&self) -> String {
        "whitespace".into()
    }
}

/// Token totals of the kept documents: overall, per language label and per split.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenTotals {
    /// All kept documents.
    pub total: u64,
    /// Per language label (after `unify`).
    pub languages: BTreeMap<String, u64>,
    /// Per split (`train`, `valid`).
    pub splits: BTreeMap<String, u64>,
}

impl TokenTotals {
    /// Adds one kept document's tokens.
    ///
    /// ```
    /// let mut t = awal_prep::tokens::TokenTotals::default();
    /// t.add("ary_Latn", "train", 5);
    /// t.add("zgh_Tfng", "train", 3);
    /// assert_eq!((t.total, t.languages["ary_Latn"], t.splits["train"]), (8, 5, 8));
    /// ```
    pub fn add(&mut self, lang: &str, split: &str, tokens: u64) {
        self.total += tokens;
        add_to(&mut self.languages, lang, tokens);
        add_to(&mut self.splits, split, tokens);
    }

    /// Adds the totals of another part of the same run.
    ///
    /// ```
    /// let mut a = awal_prep::tokens::TokenTotals::default();
    /// a.add("ary_Latn", "train", 5);
    /// let b = a.clone();
    /// a.merge(&b);
    /// assert_eq!((a.total, a.languages["ary_Latn"]), (10, 10));
    /// ```
    pub fn merge(&mut self, other: &TokenTotals) {
        self.total += other.total;
        for (k, v) in &other.languages {
            add_to(&mut self.languages, k, *v);
        }
        for (k, v) in &other.splits {
            add_to(&mut self.splits, k, *v);
        }
    }
}

fn add_to(map: &mut BTreeMap<String, u64>, key: &str, n: u64) {
    match map.get_mut(key) {
        Some(v) => *v += n,
        None => {
            map.insert(key.to_string(), n);
        }
    }
}
