//! Fertility and parity: what a tokenizer costs per language.
//!
//! For each language: tokens, words (whitespace-separated), tokens per word, characters
//! per token, and **parity** = tokens of the language / tokens of the pivot (English by
//! default) over line-aligned corpora, as in Petrov et al. (2023). Parity is only defined
//! when the corpus has as many lines as the pivot's.

use rayon::prelude::*;
use serde::Serialize;

use crate::corpus::Corpus;
use crate::model::AnyTokenizer;
use crate::Error;

/// One row of the table.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Row {
    /// Tokenizer name as given by the user.
    pub tokenizer: String,
    /// Language label.
    pub lang: String,
    /// Lines measured.
    pub lines: usize,
    /// Tokens (no special tokens).
    pub tokens: usize,
    /// Whitespace-separated words.
    pub words: usize,
    /// Unicode characters.
    pub chars: usize,
    /// tokens / words.
    pub tokens_per_word: f64,
    /// chars / tokens.
    pub chars_per_token: f64,
    /// tokens / pivot tokens, when the pivot is present and line-aligned.
    pub parity: Option<f64>,
}

/// Measures one tokenizer on every corpus.
///
/// ```
/// use awal_tokenize::{corpus::Corpus, fertility::measure, model::AnyTokenizer, tekken::Tekken};
/// let bytes = AnyTokenizer::Tekken(Box::new(Tekken::from_parts(r"\S+|\s+", 0,
///     (0u8..=255).map(|b| vec![b]).collect())?));
/// let c = |l: &str, t: &str| Corpus { lang: l.into(), paths: vec![], lines: vec![t.into()] };
/// let rows = measure("bytes", &bytes, &[c("eng_Latn", "ab"), c("zgh_Tfng", "ⴰⴱ")], "eng_Latn")?;
/// assert_eq!(rows[1].parity, Some(3.0));
/// # Ok::<(), awal_tokenize::Error>(())
/// ```
pub fn measure(
    name: &str,
    tok: &AnyTokenizer,
    corpora: &[Corpus],
    pivot: &str,
) -> Result<Vec<Row>, Error> {
    let mut rows = Vec::new();
    for corpus in corpora {
        let tokens: usize = corpus
            .lines
            .par_iter()
            .map(|l| tok.encode(l).map(|ids| ids.len()))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .sum();
        let words: usize = corpus
            .lines
            .iter()
            .map(|l| l.split_whitespace().count())
            .sum();
        let chars: usize = corpus.lines.iter().map(|l| l.chars().count()).sum();
        rows.push(Row {
            tokenizer: name.to_string(),
            lang: corpus.lang.clone(),
            lines: corpus.lines.len(),
            tokens,
            words,
            chars,
            tokens_per_word: ratio(tokens, words),
            chars_per_token: ratio(chars, tokens),
            parity: None,
        });
    }
    if let Some(p) = rows.iter().find(|r| r.lang == pivot).cloned() {
        for r in &mut rows {
            if r.lines == p.lines && p.tokens > 0 {
                r.parity = Some(ratio(r.tokens, p.tokens));
            }
        }
    }
    Ok(rows)
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Renders rows as an aligned text table.
///
/// ```
/// let t = awal_tokenize::fertility::table(&[]);
/// assert!(t.starts_with("tokenizer"));
/// ```
pub fn table(rows: &[Row]) -> String {
    let mut out = format!(
        "{:<12} {:<10} {:>9} {:>8} {:>11} {:>11} {:>7}\n",
        "tokenizer", "lang", "tokens", "words", "tokens/word", "chars/token", "parity"
    );
    for r in rows {
        let parity = r.parity.map_or("-".to_string(), |p| format!("{p:.2}"));
        out.push_str(&format!(
            "{:<12} {:<10} {:>9} {:>8} {:>11.2} {:>11.2} {:>7}\n",
            r.tokenizer, r.lang, r.tokens, r.words, r.tokens_per_word, r.chars_per_token, parity
        ));
    }
    out
}
