//! Training byte-level BPE or Unigram tokenizers on several languages with natural or
//! temperature-balanced sampling, through the `tokenizers` crate's own trainers.
//!
//! # Sampling
//! With per-language byte counts `n_i` and `p_i = n_i / Σn`, language `i` is sampled
//! with probability `q_i = p_i^(1/T) / Σ_j p_j^(1/T)` (XLM-R's α = 1/T): `T = 1` keeps the
//! natural proportions, larger `T` flattens them towards uniform, so a 200 kB Tifinagh
//! corpus still earns merges next to 10 MB of English. The sample has the same total
//! size as the input; each line is repeated (or skipped) deterministically by an
//! accumulator, so runs are reproducible.
//!
//! # Nothing is unknown
//! The pre-tokenizer ends in `ByteLevel`, and the trainer starts from all 256 byte symbols,
//! so every string encodes, whatever script it is in.
//!
//! # Parity-aware BPE
//! Temperature balancing only reweights text; it cannot say which language a merge
//! should serve. [`crate::parity`] trains byte-level BPE the parity-aware way (each merge
//! goes to the language whose dev sample is compressed worst) with the same normalizer
//! and pre-tokenizer, and is `awal tokenizer train`'s default for two or more languages.
//! `tokenizers` 0.23 has a `ParityBpeTrainer` behind a feature, but it is not a
//! `TrainerWrapper` variant and so cannot run through `Tokenizer::train` with a stock
//! pre-tokenizer; awal's own trainer also keeps dev counts incrementally.
//!
//! Training runs on text already normalized by awal's fast path; the stock normalizer is
//! attached afterwards, so the saved file normalizes exactly as training did.

use serde::Serialize;
use tokenizers::models::bpe::{BpeTrainerBuilder, BPE};
use tokenizers::models::unigram::{Unigram, UnigramTrainer};
use tokenizers::models::TrainerWrapper;
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::AddedToken;
/// The `tokenizers` type that training returns, for callers without that dependency.
pub use tokenizers::Tokenizer;

use crate::corpus::Corpus;
use crate::normalize::Normalizer;
use crate::pipeline::stock_tokenizer;
use crate::Error;

/// Subword model to train.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ModelKind {
    /// Byte-level BPE.
    Bpe,
    /// Unigram language model over byte-level symbols.
    Unigram,
}

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// Which model.
    pub model: ModelKind,
    /// Target vocabulary size (including the 256 byte symbols).
    pub vocab_size: usize,
    /// Sampling temperature `T ≥ 1` (1 = natural proportions).
    pub temperature: f64,
    /// Pairs seen fewer times are not merged (BPE).
    pub min_frequency: u64,
}

/// How much of each language went into training.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Share {
    /// Language label.
    pub lang: String,
    /// Bytes in the corpus.
    pub bytes: usize,
    /// Natural share `p_i`.
    pub natural: f64,
    /// Sampled share `q_i`.
    pub sampled: f64,
    /// How many times each line is used on average (`q_i Σn / n_i`).
    pub factor: f64,
}

/// Computes the sampling shares.
///
/// ```
/// use awal_tokenize::{corpus::Corpus, train::shares};
/// let c = |l: &str, n: usize| Corpus { lang: l.into(), paths: vec![], lines: vec!["a".repeat(n)] };
/// let s = shares(&[c("big", 900), c("small", 100)], 1.0e9)?;
/// assert!((s[0].sampled - 0.5).abs() < 1e-3); // a huge T makes it uniform
/// let s = shares(&[c("big", 900), c("small", 100)], 1.0)?;
/// assert!((s[1].sampled - 0.1).abs() < 1e-9);
/// # Ok::<(), awal_tokenize::Error>(())
/// ```
pub fn shares(corpora: &[Corpus], temperature: f64) -> Result<Vec<Share>, Error> {
    if !(temperature.is_finite() && temperature >= 1.0) {
        return Err(Error::Invalid(format!(
            "--balance {temperature}: the temperature must be a number ≥ 1 (1 = natural proportions)"
        )));
    }
    let total: usize = corpora.iter().map(Corpus::bytes).sum();
    if total == 0 {
        return Err(Error::MissingCorpus(
            "no training text: give at least one --corpus LANG=PATH".into(),
        ));
    }
    let alpha = 1.0 / temperature;
    let weights: Vec<f64> = corpora
        .iter()
        .map(|c| (c.bytes() as f64 / total as f64).powf(alpha))
        .collect();
    let sum: f64 = weights.iter().sum();
    Ok(corpora
        .iter()
        .zip(&weights)
        .map(|(c, w)| {
            let sampled = w / sum;
            Share {
                lang: c.lang.clone(),
                bytes: c.bytes(),
                natural: c.bytes() as f64 / total as f64,
                sampled,
                factor: sampled * total as f64 / c.bytes().max(1) as f64,
            }
        })
        .collect())
}

/// The balanced sample: each line repeated `floor` of a running accumulator of `factor`.
fn sample<'a>(corpora: &'a [Corpus], shares: &[Share]) -> Vec<&'a str> {
    let mut out = Vec::new();
    for (c, s) in corpora.iter().zip(shares) {
        let mut acc = 0.0f64;
        let mut emitted = 0u64;
        for line in &c.lines {
            acc += s.factor;
            while (emitted as f64) + 1.0 <= acc + 1e-9 {
                out.push(line.as_str());
                emitted += 1;
            }
        }
    }
    out
}

/// Trains a tokenizer; returns it (ready to save) and the sampling shares.
///
/// ```
/// use awal_tokenize::{corpus::Corpus, normalize::{Normalizer, Profile}};
/// use awal_tokenize::train::{train, ModelKind, TrainConfig};
/// let c = |l: &str, t: &str| Corpus { lang: l.into(), paths: vec![], lines: vec![t.into(); 20] };
/// let corpora = [c("zgh_Tfng", "ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ"), c("fra_Latn", "bonjour à tous")];
/// let cfg = TrainConfig { model: ModelKind::Bpe, vocab_size: 300, temperature: 1.0, min_frequency: 2 };
/// let (tok, _) = train(&corpora, &Normalizer::new(Profile::Auto.options()), &cfg)?;
/// assert!(tok.encode("ⴰⵣⵓⵍ", false)?.get_ids().len() <= 2);
/// # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
/// ```
pub fn train(
    corpora: &[Corpus],
    normalizer: &Normalizer,
    config: &TrainConfig,
) -> Result<(Tokenizer, Vec<Share>), Error> {
    if config.vocab_size < 260 {
        return Err(Error::Invalid(format!(
            "--vocab-size {}: must be at least 260 (256 byte symbols come first)",
            config.vocab_size
        )));
    }
    // Token ids are u32 (in `tokenizers` and in tokenizer.json): a larger size would be
    // truncated to a different, small one.
    let vocab_size_u32 = u32::try_from(config.vocab_size).map_err(|_| {
        Error::Invalid(format!(
            "--vocab-size {}: too large (token ids are 32-bit: at most {})",
            config.vocab_size,
            u32::MAX
        ))
    })?;
    for c in corpora {
        if c.lines.is_empty() {
            return Err(Error::MissingCorpus(format!(
                "corpus {} has no text",
                c.lang
            )));
        }
    }
    let shares = shares(corpora, config.temperature)?;
    // Normalize once with the fast path; train without a normalizer on that text.
    let normalized: Vec<Corpus> = corpora
        .iter()
        .map(|c| Corpus {
            lang: c.lang.clone(),
            paths: c.paths.clone(),
            lines: c
                .lines
                .iter()
                .map(|l| normalizer.normalize(l).into_owned())
                .collect(),
        })
        .collect();
    let lines = sample(&normalized, &shares);
    let (model, mut trainer): (tokenizers::ModelWrapper, TrainerWrapper) = match config.model {
        ModelKind::Bpe => (
            BPE::default().into(),
            TrainerWrapper::BpeTrainer(
                BpeTrainerBuilder::new()
                    .vocab_size(config.vocab_size)
                    .min_frequency(config.min_frequency)
                    .initial_alphabet(ByteLevel::alphabet().into_iter().collect())
                    .show_progress(false)
                    .build(),
            ),
        ),
        ModelKind::Unigram => (
            Unigram::default().into(),
            TrainerWrapper::UnigramTrainer(
                UnigramTrainer::builder()
                    .vocab_size(vocab_size_u32)
                    .initial_alphabet(ByteLevel::alphabet())
                    .special_tokens(vec![AddedToken::from("<unk>", true)])
                    .unk_token(Some("<unk>".to_string()))
                    .show_progress(false)
                    .build()
                    .map_err(|e| Error::Stock(e.to_string()))?,
            ),
        ),
    };
    let mut tok = Tokenizer::new(model);
    tok.with_pre_tokenizer(Some(crate::pretokenize::to_stock()?));
    tok.train(&mut trainer, lines.into_iter())?;
    let trained = tok.get_model().clone();
    let mut out = stock_tokenizer(normalizer, trained)?;
    if config.model == ModelKind::Unigram {
        out.add_special_tokens(vec![AddedToken::from("<unk>", true)])?;
    }
    Ok((out, shares))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Profile;

    /// `as u32` used to turn 2^32 + 300 into 300 and train a 300-token Unigram model.
    #[test]
    fn vocabulary_sizes_past_32_bits_are_refused() {
        let corpus = Corpus {
            lang: "fra_Latn".into(),
            paths: vec![],
            lines: vec!["bonjour à tous, la réunion est demain".into(); 20],
        };
        for model in [ModelKind::Unigram, ModelKind::Bpe] {
            let config = TrainConfig {
                model,
                vocab_size: (1 << 32) + 300,
                temperature: 1.0,
                min_frequency: 2,
            };
            let normalizer = Normalizer::new(Profile::Auto.options());
            let e = train(std::slice::from_ref(&corpus), &normalizer, &config)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(e.contains("4294967596") && e.contains("32-bit"), "{e}");
        }
    }
}
