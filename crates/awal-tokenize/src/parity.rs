//! Parity-aware byte-level BPE (Foroutan et al., 2025, "Parity-aware Byte Pair
//! Encoding").
//!
//! # The model
//! Ordinary BPE learns each merge from the pair that is most frequent in *all* the
//! training text, so the language with the most text takes most merges and the others
//! pay more tokens for the same content. Parity-aware BPE keeps one dev sample per
//! language and, at every step,
//!
//! 1. measures how many tokens each language's dev sample currently costs (with the
//!    merges learned so far),
//! 2. picks the language that is compressed worst, and
//! 3. takes *that language's* most frequent pair, counted on its own training text
//!    (ties: the pair whose left then right symbol has the smaller bytes).
//!
//! The merge is then applied everywhere, as any BPE merge is, and the result is an
//! ordinary merge list: the saved `tokenizer.json` is a stock BPE that Python
//! `tokenizers` loads unchanged.
//!
//! # How "compressed worst" is measured
//! Compression is always read relative to the pivot language (`eng_Latn` by default):
//!
//! * **Parallel dev samples** — a language whose dev sample has as many lines as the
//!   pivot's is taken to be line-aligned with it (FLORES-style translations, the rule
//!   `awal tokenizer fertility` uses too): its score is `tokens / pivot tokens`, the
//!   parity of Petrov et al. (2023) on that text.
//! * **Otherwise** — `(tokens / characters) / (pivot tokens / pivot characters)`. Tokens
//!   per *character* rather than per byte: UTF-8 spends two bytes on an Arabic letter and
//!   three on a Tifinagh one, so tokens per byte would rate those scripts two to three
//!   times better compressed than Latin at the same tokens per letter. Without a pivot
//!   the score is plain tokens per character.
//!
//! Ties between languages go to the one named first. A language none of whose pairs is
//! seen `min_frequency` times is passed over for the next worst; training stops early
//! when no language has such a pair left.
//!
//! # Variants (both from the paper)
//! * **Moving window** ([`ParityConfig::window`], on by default in the CLI with the
//!   reference implementation's window 100 and α = 2): a language that won more than
//!   α / (number of languages) of the last `window` merges is passed over for the next
//!   worst. Without it, a language whose dev sample its own training text barely helps
//!   (FLORES `taq_Tfng` against Seed's Wikipedia text) keeps winning and takes most of
//!   the vocabulary for little gain, and the pivot pays: on the benchmark in
//!   `benches/eval/parity.sh`, pure parity gives English 1.29× its natural-sampling
//!   token count, the window 1.09×.
//! * **Hybrid** ([`ParityConfig::global_merges`]): the first merges are ordinary BPE
//!   merges over all the text together.
//!
//! # Dev samples
//! [`hold_out`] gives each language its dev sample: the file given for it (`--dev
//! LANG=FILE`), or else every twentieth line of its training text (lines 20, 40, 60, …
//! of the concatenated corpus), which is then left out of training. A corpus of fewer
//! than 20 lines has nothing to spare: its whole text is both trained on and measured.
//!
//! # Efficiency
//! Text is normalized and pre-tokenized once (in parallel) into one table of distinct
//! words, each with its count in every language's training text and dev sample. Pair
//! counts are kept per language and updated incrementally: applying a merge visits only
//! the words that contain the pair (an index from pair to words), and the dev token
//! counts drop by the number of merged occurrences in those words. Each language has a
//! max-heap of its pairs with lazily corrected counts. The merge loop is sequential and
//! word counting only sums, so the output is the same for any number of threads.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};
use std::rc::Rc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use tokenizers::models::bpe::{Vocab, BPE};
use tokenizers::Tokenizer;

use crate::corpus::Corpus;
use crate::normalize::Normalizer;
use crate::pipeline::{byte_chars, stock_tokenizer, to_byte_level};
use crate::Error;

/// One line in this many of a training corpus is held out as its dev sample when no dev
/// file is given for the language.
pub const HOLD_OUT_EVERY: usize = 20;

/// Settings of parity-aware training.
#[derive(Clone, Debug)]
pub struct ParityConfig {
    /// Target vocabulary size, including the 256 byte symbols.
    pub vocab_size: usize,
    /// Pairs seen fewer times in the chosen language's training text are not merged.
    pub min_frequency: u64,
    /// The language whose compression the others are compared with.
    pub pivot: String,
    /// The first this many merges are ordinary BPE merges, counted on all the training
    /// text together (the hybrid of Foroutan et al.); parity-aware merges follow.
    pub global_merges: usize,
    /// Moving window (Foroutan et al.): a language that won more than
    /// `window_alpha / languages` of the last `window` merges is passed over for the next
    /// worst; 0 = off (every merge to the worst language).
    pub window: usize,
    /// See `window`; 2 in the reference implementation.
    pub window_alpha: f64,
}

impl ParityConfig {
    /// The paper's moving-window variant with the reference implementation's settings
    /// (window 100, α = 2), pivot `eng_Latn`, no global merges.
    ///
    /// ```
    /// let c = awal_tokenize::parity::ParityConfig::new(32_000, 2);
    /// assert_eq!((c.window, c.window_alpha, c.pivot.as_str()), (100, 2.0, "eng_Latn"));
    /// ```
    pub fn new(vocab_size: usize, min_frequency: u64) -> ParityConfig {
        ParityConfig {
            vocab_size,
            min_frequency,
            pivot: "eng_Latn".into(),
            global_merges: 0,
            window: 100,
            window_alpha: 2.0,
        }
    }
}

/// What training did.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Report {
    /// One entry per language, in the order of the corpora.
    pub langs: Vec<LangReport>,
    /// Merges counted on all the text together ([`ParityConfig::global_merges`]).
    pub global_merges: usize,
}

/// A language's dev sample and where it came from.
#[derive(Clone, Debug)]
pub struct DevSample {
    /// The sample (its `lang` is the training language it measures).
    pub corpus: Corpus,
    /// Where the lines came from.
    pub source: DevSource,
}

/// Where a dev sample came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DevSource {
    /// A file given for the language; the training text is used whole.
    Given,
    /// Every [`HOLD_OUT_EVERY`]th line of the training text, not trained on.
    HeldOut,
    /// The whole training text (too short to hold anything out).
    TrainingText,
}

/// What training did for one language.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LangReport {
    /// Language label.
    pub lang: String,
    /// Training lines used.
    pub train_lines: usize,
    /// Dev sample lines.
    pub dev_lines: usize,
    /// Where the dev sample came from.
    pub dev_source: DevSource,
    /// Whether the dev sample is compared line for line with the pivot's.
    pub aligned: bool,
    /// Merges learned from this language's text.
    pub merges: usize,
    /// Dev tokens before any merge (UTF-8 bytes of its pre-tokens).
    pub dev_bytes: u64,
    /// Dev tokens with the final merges.
    pub dev_tokens: u64,
    /// Final score (see the module doc: tokens relative to the pivot).
    pub score: f64,
}

/// Splits off each language's dev sample: the `--dev` file given for it, or else every
/// [`HOLD_OUT_EVERY`]th line of its training text, which is removed from training.
/// Returns the training corpora (same order) and one dev sample per corpus.
///
/// ```
/// use awal_tokenize::corpus::Corpus;
/// use awal_tokenize::parity::{hold_out, DevSource};
/// let c = |l: &str, n: usize| Corpus { lang: l.into(), paths: vec![],
///     lines: (1..=n).map(|i| format!("line {i}")).collect() };
/// let (train, dev) = hold_out(&[c("eng_Latn", 40), c("zgh_Tfng", 5)], &[])?;
/// assert_eq!(dev[0].corpus.lines, ["line 20", "line 40"]);
/// assert_eq!(train[0].lines.len(), 38);
/// assert_eq!(dev[1].source, DevSource::TrainingText); // 5 lines: nothing to spare
/// assert_eq!(train[1].lines.len(), 5);
/// # Ok::<(), awal_tokenize::Error>(())
/// ```
pub fn hold_out(
    corpora: &[Corpus],
    dev: &[Corpus],
) -> Result<(Vec<Corpus>, Vec<DevSample>), Error> {
    for d in dev {
        if !corpora.iter().any(|c| c.lang == d.lang) {
            return Err(Error::Invalid(format!(
                "--dev {}=…: no --corpus {} to train on (a dev sample measures a training language)",
                d.lang, d.lang
            )));
        }
    }
    let mut train = Vec::with_capacity(corpora.len());
    let mut samples = Vec::with_capacity(corpora.len());
    for c in corpora {
        if let Some(d) = dev.iter().find(|d| d.lang == c.lang) {
            train.push(c.clone());
            samples.push(DevSample {
                corpus: d.clone(),
                source: DevSource::Given,
            });
        } else if c.lines.len() < HOLD_OUT_EVERY {
            train.push(c.clone());
            samples.push(DevSample {
                corpus: c.clone(),
                source: DevSource::TrainingText,
            });
        } else {
            let held = |i: usize| i % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1;
            let pick = |keep: bool| -> Vec<String> {
                c.lines
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| held(*i) != keep)
                    .map(|(_, l)| l.clone())
                    .collect()
            };
            train.push(Corpus {
                lines: pick(true),
                ..c.clone()
            });
            samples.push(DevSample {
                corpus: Corpus {
                    lines: pick(false),
                    ..c.clone()
                },
                source: DevSource::HeldOut,
            });
        }
    }
    Ok((train, samples))
}

/// A symbol pair, by symbol id.
type Pair = (u32, u32);

/// (language index, occurrences) for the languages a word occurs in.
type LangCounts = Vec<(usize, u64)>;

/// A distinct pre-token with its counts in each language.
struct Word {
    symbols: Vec<u32>,
    /// Occurrences in each language's training text.
    train: LangCounts,
    /// Occurrences in each language's dev sample.
    dev: LangCounts,
}

/// A heap entry: a pair and the count it had when pushed (never below its true count).
/// Ordered by count, then by the *smaller* bytes of left then right symbol.
struct Candidate {
    count: u64,
    left: Rc<[u8]>,
    right: Rc<[u8]>,
    pair: Pair,
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.count
            .cmp(&other.count)
            .then_with(|| other.left.cmp(&self.left))
            .then_with(|| other.right.cmp(&self.right))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

/// Counts the pre-tokens of normalized lines (in parallel; sums are order-free).
fn count_words(lines: &[String], normalizer: &Normalizer) -> FxHashMap<String, u64> {
    lines
        .par_iter()
        .fold(FxHashMap::default, |mut acc, line| {
            let text = normalizer.normalize(line);
            for piece in crate::pretokenize::pieces(&text) {
                *acc.entry(piece.to_string()).or_default() += 1;
            }
            acc
        })
        .reduce(FxHashMap::default, |a, b| {
            let (small, mut big) = if a.len() < b.len() { (a, b) } else { (b, a) };
            for (w, n) in small {
                *big.entry(w).or_default() += n;
            }
            big
        })
}

/// The training state: words, symbols, per-language pair counts and heaps.
struct State {
    words: Vec<Word>,
    /// Bytes of each symbol; ids 0..256 are the bytes in `ByteLevel` character order.
    symbols: Vec<Rc<[u8]>>,
    symbol_ids: FxHashMap<Rc<[u8]>, u32>,
    /// Per language: pair → occurrences in its training text; the last entry is all
    /// languages together.
    counts: Vec<FxHashMap<Pair, u64>>,
    heaps: Vec<BinaryHeap<Candidate>>,
    /// Pair → words that contained it when it appeared (may hold stale entries).
    where_found: FxHashMap<Pair, Vec<u32>>,
    /// Per language: current dev tokens.
    dev_tokens: Vec<u64>,
    merges: Vec<Pair>,
}

impl State {
    fn new(train: &[FxHashMap<String, u64>], dev: &[FxHashMap<String, u64>]) -> State {
        let map = byte_chars();
        let mut order: Vec<u8> = (0..=255u8).collect();
        order.sort_by_key(|&b| map[b as usize] as u32);
        let mut byte_symbol = [0u32; 256];
        let mut symbols = Vec::with_capacity(256);
        let mut symbol_ids = FxHashMap::default();
        for (id, &b) in order.iter().enumerate() {
            byte_symbol[b as usize] = id as u32;
            let bytes: Rc<[u8]> = Rc::from(vec![b]);
            symbol_ids.insert(bytes.clone(), id as u32);
            symbols.push(bytes);
        }
        // One table of distinct words, sorted so that nothing depends on hash order.
        let mut table: FxHashMap<&str, (LangCounts, LangCounts)> = FxHashMap::default();
        for (lang, words) in train.iter().enumerate() {
            for (w, &n) in words {
                table.entry(w.as_str()).or_default().0.push((lang, n));
            }
        }
        for (lang, words) in dev.iter().enumerate() {
            for (w, &n) in words {
                table.entry(w.as_str()).or_default().1.push((lang, n));
            }
        }
        let langs = train.len();
        let mut entries: Vec<_> = table.into_iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let words: Vec<Word> = entries
            .into_iter()
            .map(|(w, (mut train, mut dev))| {
                train.sort_unstable();
                dev.sort_unstable();
                // All languages together count as one more, for global merges.
                let total: u64 = train.iter().map(|&(_, n)| n).sum();
                if total > 0 {
                    train.push((langs, total));
                }
                Word {
                    symbols: w.bytes().map(|b| byte_symbol[b as usize]).collect(),
                    train,
                    dev,
                }
            })
            .collect();
        let mut counts = vec![FxHashMap::<Pair, u64>::default(); langs + 1];
        let mut where_found: FxHashMap<Pair, Vec<u32>> = FxHashMap::default();
        let mut dev_tokens = vec![0u64; langs];
        for (i, word) in words.iter().enumerate() {
            for &(lang, n) in &word.dev {
                dev_tokens[lang] += n * word.symbols.len() as u64;
            }
            let mut seen = FxHashSet::default();
            for p in word.symbols.windows(2) {
                let pair = (p[0], p[1]);
                for &(lang, n) in &word.train {
                    *counts[lang].entry(pair).or_default() += n;
                }
                if seen.insert(pair) {
                    where_found.entry(pair).or_default().push(i as u32);
                }
            }
        }
        let mut state = State {
            words,
            symbols,
            symbol_ids,
            counts,
            heaps: (0..=langs).map(|_| BinaryHeap::new()).collect(),
            where_found,
            dev_tokens,
            merges: Vec::new(),
        };
        for lang in 0..=langs {
            let mut pairs: Vec<(Pair, u64)> =
                state.counts[lang].iter().map(|(&p, &n)| (p, n)).collect();
            pairs.sort_unstable();
            for (pair, count) in pairs {
                let c = state.candidate(pair, count);
                state.heaps[lang].push(c);
            }
        }
        state
    }

    fn candidate(&self, pair: Pair, count: u64) -> Candidate {
        Candidate {
            count,
            left: self.symbols[pair.0 as usize].clone(),
            right: self.symbols[pair.1 as usize].clone(),
            pair,
        }
    }

    /// The most frequent pair of `lang`'s training text, with its count; stale heap
    /// entries met on the way are corrected.
    fn best_pair(&mut self, lang: usize) -> Option<(Pair, u64)> {
        loop {
            let top = self.heaps[lang].peek()?;
            let actual = self.counts[lang].get(&top.pair).copied().unwrap_or(0);
            if actual == top.count {
                return Some((top.pair, actual));
            }
            let stale = self.heaps[lang].pop()?;
            if actual > 0 {
                let c = self.candidate(stale.pair, actual);
                self.heaps[lang].push(c);
            }
        }
    }

    /// The symbol for the concatenation of `pair`: an existing one when two merges spell
    /// the same bytes (`ab`+`c`, `a`+`bc`), as the `tokenizers` trainer does.
    fn symbol_for(&mut self, pair: Pair) -> u32 {
        let mut bytes = self.symbols[pair.0 as usize].to_vec();
        bytes.extend_from_slice(&self.symbols[pair.1 as usize]);
        if let Some(&id) = self.symbol_ids.get(bytes.as_slice()) {
            return id;
        }
        let id = self.symbols.len() as u32;
        let bytes: Rc<[u8]> = Rc::from(bytes);
        self.symbol_ids.insert(bytes.clone(), id);
        self.symbols.push(bytes);
        id
    }

    /// Applies `pair → new` to every word holding it, left to right without overlap (as
    /// the BPE encoder does), updating pair counts, the index, heaps and dev tokens.
    fn apply(&mut self, pair: Pair, new: u32) {
        self.merges.push(pair);
        let mut found = self.where_found.remove(&pair).unwrap_or_default();
        found.sort_unstable();
        found.dedup();
        let mut touched: FxHashSet<(usize, Pair)> = FxHashSet::default();
        let mut delta: Vec<(Pair, i64)> = Vec::new();
        for w in found {
            let word = &mut self.words[w as usize];
            let merged = merge_symbols(&word.symbols, pair, new);
            if merged.len() == word.symbols.len() {
                continue; // a stale index entry: the pair left this word earlier
            }
            pair_delta(&word.symbols, &merged, &mut delta);
            let shrink = (word.symbols.len() - merged.len()) as u64;
            word.symbols = merged;
            for &(lang, n) in &word.dev {
                self.dev_tokens[lang] -= n * shrink;
            }
            for &(p, d) in &delta {
                for &(lang, n) in &word.train {
                    let count = self.counts[lang].entry(p).or_default();
                    // A pair's occurrences are never fewer than those removed from it.
                    *count = count.saturating_add_signed(d * n as i64);
                    if d > 0 {
                        touched.insert((lang, p));
                    }
                }
                if d > 0 {
                    self.where_found.entry(p).or_default().push(w);
                }
            }
        }
        for counts in &mut self.counts {
            counts.remove(&pair);
        }
        let mut touched: Vec<(usize, Pair)> = touched.into_iter().collect();
        touched.sort_unstable();
        for (lang, p) in touched {
            let count = self.counts[lang].get(&p).copied().unwrap_or(0);
            if count > 0 {
                let c = self.candidate(p, count);
                self.heaps[lang].push(c);
            }
        }
    }
}

/// `symbols` with every non-overlapping occurrence of `pair` (left to right) replaced.
fn merge_symbols(symbols: &[u32], pair: Pair, new: u32) -> Vec<u32> {
    let mut out = Vec::with_capacity(symbols.len());
    let mut i = 0;
    while i < symbols.len() {
        if i + 1 < symbols.len() && (symbols[i], symbols[i + 1]) == pair {
            out.push(new);
            i += 2;
        } else {
            out.push(symbols[i]);
            i += 1;
        }
    }
    out
}

/// Adjacent pairs of `after` minus those of `before`, as (pair, change), non-zero only.
fn pair_delta(before: &[u32], after: &[u32], out: &mut Vec<(Pair, i64)>) {
    out.clear();
    out.extend(before.windows(2).map(|p| ((p[0], p[1]), -1)));
    out.extend(after.windows(2).map(|p| ((p[0], p[1]), 1)));
    out.sort_unstable();
    let mut merged: Vec<(Pair, i64)> = Vec::with_capacity(out.len());
    for &(p, d) in out.iter() {
        match merged.last_mut() {
            Some((q, e)) if *q == p => *e += d,
            _ => merged.push((p, d)),
        }
    }
    merged.retain(|&(_, d)| d != 0);
    *out = merged;
}

/// How each language is scored: by whole-sample tokens against the pivot's, or per
/// character.
struct Scorer {
    pivot: Option<usize>,
    aligned: Vec<bool>,
    chars: Vec<u64>,
}

impl Scorer {
    fn new(samples: &[DevSample], chars: Vec<u64>, pivot: &str) -> Scorer {
        let pivot = samples.iter().position(|s| s.corpus.lang == pivot);
        let aligned = samples
            .iter()
            .map(|s| pivot.is_some_and(|p| s.corpus.lines.len() == samples[p].corpus.lines.len()))
            .collect();
        Scorer {
            pivot,
            aligned,
            chars,
        }
    }

    fn score(&self, lang: usize, tokens: &[u64]) -> f64 {
        let per_char = |l: usize| tokens[l] as f64 / self.chars[l].max(1) as f64;
        match self.pivot {
            Some(p) if self.aligned[lang] => tokens[lang] as f64 / tokens[p].max(1) as f64,
            Some(p) => per_char(lang) / per_char(p).max(f64::MIN_POSITIVE),
            None => per_char(lang),
        }
    }

    /// Languages from worst compressed to best; ties keep the given order.
    fn worst_first(&self, tokens: &[u64]) -> Vec<usize> {
        let scores: Vec<f64> = (0..tokens.len()).map(|l| self.score(l, tokens)).collect();
        let mut order: Vec<usize> = (0..tokens.len()).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        order
    }
}

/// Trains a parity-aware byte-level BPE on `corpora`, measuring each language on its
/// sample in `dev` (one per corpus, same order; see [`hold_out`]). Returns a stock
/// tokenizer with awal's normalizer and pre-tokenizer, and what each language got.
///
/// ```
/// use awal_tokenize::{corpus::Corpus, normalize::{Normalizer, Profile}};
/// use awal_tokenize::parity::{hold_out, train_parity, ParityConfig};
/// let c = |l: &str, t: &str, n: usize| Corpus { lang: l.into(), paths: vec![], lines: vec![t.into(); n] };
/// let corpora = [c("eng_Latn", "good morning to all", 200), c("zgh_Tfng", "ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ", 20)];
/// let (train, dev) = hold_out(&corpora, &[])?;
/// let cfg = ParityConfig { vocab_size: 300, min_frequency: 2, pivot: "eng_Latn".into(),
///     global_merges: 0, window: 0, window_alpha: 2.0 };
/// let (tok, report) = train_parity(&train, &dev, &Normalizer::new(Profile::Auto.options()), &cfg)?;
/// assert!(tok.encode("ⴰⵣⵓⵍ", false)?.get_ids().len() <= 2);
/// assert!(report.langs[1].merges > 0);
/// # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
/// ```
pub fn train_parity(
    corpora: &[Corpus],
    dev: &[DevSample],
    normalizer: &Normalizer,
    config: &ParityConfig,
) -> Result<(Tokenizer, Report), Error> {
    check_inputs(corpora, dev, config)?;
    let train_words: Vec<_> = corpora
        .iter()
        .map(|c| count_words(&c.lines, normalizer))
        .collect();
    let dev_words: Vec<_> = dev
        .iter()
        .map(|d| count_words(&d.corpus.lines, normalizer))
        .collect();
    let dev_chars: Vec<u64> = dev
        .iter()
        .map(|d| {
            d.corpus
                .lines
                .par_iter()
                .map(|l| normalizer.normalize(l).chars().count() as u64)
                .sum()
        })
        .collect();
    let scorer = Scorer::new(dev, dev_chars, &config.pivot);
    let mut state = State::new(&train_words, &dev_words);
    drop(train_words);
    drop(dev_words);
    let dev_bytes = state.dev_tokens.clone();
    // One more slot for the merges counted on all languages together.
    let mut won = vec![0usize; corpora.len() + 1];
    let mut recent = VecDeque::with_capacity(config.window + 1);
    while state.symbols.len() < config.vocab_size {
        let Some((lang, pair)) = choose(&mut state, &scorer, config, &mut recent) else {
            break;
        };
        let new = state.symbol_for(pair);
        state.apply(pair, new);
        won[lang] += 1;
    }
    let langs = corpora
        .iter()
        .enumerate()
        .map(|(l, c)| LangReport {
            lang: c.lang.clone(),
            train_lines: c.lines.len(),
            dev_lines: dev[l].corpus.lines.len(),
            dev_source: dev[l].source,
            aligned: scorer.aligned[l],
            merges: won[l],
            dev_bytes: dev_bytes[l],
            dev_tokens: state.dev_tokens[l],
            score: scorer.score(l, &state.dev_tokens),
        })
        .collect();
    let report = Report {
        langs,
        global_merges: won[corpora.len()],
    };
    let model = to_bpe(&state)?;
    Ok((stock_tokenizer(normalizer, model.into())?, report))
}

/// The next merge and whom it serves (a language index, or the number of languages for
/// all of them): the global pair during the first `global_merges`; otherwise the
/// worst-compressed language that still has a pair seen `min_frequency` times and has
/// not had its share of the moving window, and that pair.
fn choose(
    state: &mut State,
    scorer: &Scorer,
    config: &ParityConfig,
    recent: &mut VecDeque<usize>,
) -> Option<(usize, Pair)> {
    let min_frequency = config.min_frequency.max(1);
    let all = state.dev_tokens.len();
    let order = scorer.worst_first(&state.dev_tokens);
    if state.merges.len() < config.global_merges {
        // A pair below the threshold in all the text is below it in every language.
        return state
            .best_pair(all)
            .filter(|&(_, count)| count >= min_frequency)
            .map(|(pair, _)| (all, pair));
    }
    let mut fallback = None;
    for lang in order {
        let Some((pair, count)) = state.best_pair(lang) else {
            continue;
        };
        if count < min_frequency {
            continue;
        }
        let wins = recent.iter().filter(|&&l| l == lang).count();
        let share = config.window_alpha / all as f64;
        if config.window > 0 && wins as f64 > share * config.window as f64 {
            fallback = fallback.or(Some((lang, pair)));
            continue;
        }
        remember(recent, lang, config.window);
        return Some((lang, pair));
    }
    // Every language with a pair has had its share: the worst of them goes on.
    if let Some((lang, _)) = fallback {
        remember(recent, lang, config.window);
    }
    fallback
}

fn remember(recent: &mut VecDeque<usize>, lang: usize, window: usize) {
    if window > 0 {
        recent.push_back(lang);
        if recent.len() > window {
            recent.pop_front();
        }
    }
}

fn check_inputs(corpora: &[Corpus], dev: &[DevSample], config: &ParityConfig) -> Result<(), Error> {
    if config.vocab_size < 260 {
        return Err(Error::Invalid(format!(
            "--vocab-size {}: must be at least 260 (256 byte symbols come first)",
            config.vocab_size
        )));
    }
    if config.window > 0 && !(config.window_alpha.is_finite() && config.window_alpha > 0.0) {
        return Err(Error::Invalid(format!(
            "--window-alpha {}: must be a number > 0 (2 in the reference implementation)",
            config.window_alpha
        )));
    }
    if u32::try_from(config.vocab_size).is_err() {
        return Err(Error::Invalid(format!(
            "--vocab-size {}: too large (token ids are 32-bit: at most {})",
            config.vocab_size,
            u32::MAX
        )));
    }
    if corpora.is_empty() {
        return Err(Error::MissingCorpus(
            "no training text: give at least one --corpus LANG=PATH".into(),
        ));
    }
    for c in corpora {
        if c.lines.is_empty() {
            return Err(Error::MissingCorpus(format!(
                "corpus {} has no text",
                c.lang
            )));
        }
    }
    let same_langs = dev.len() == corpora.len()
        && dev
            .iter()
            .zip(corpora)
            .all(|(d, c)| d.corpus.lang == c.lang);
    if !same_langs {
        return Err(Error::Invalid(
            "parity-aware training needs one dev sample per training language, in the same order"
                .into(),
        ));
    }
    Ok(())
}

/// The learned symbols and merges as a stock BPE model (`ByteLevel` characters).
fn to_bpe(state: &State) -> Result<BPE, Error> {
    let map = byte_chars();
    let text: Vec<String> = state
        .symbols
        .iter()
        .map(|b| to_byte_level(b, &map))
        .collect();
    let vocab: Vocab = text
        .iter()
        .enumerate()
        .map(|(id, t)| (t.clone(), id as u32))
        .collect();
    let merges: Vec<(String, String)> = state
        .merges
        .iter()
        .map(|&(a, b)| (text[a as usize].clone(), text[b as usize].clone()))
        .collect();
    BPE::builder()
        .vocab_and_merges(vocab, merges)
        .build()
        .map_err(|e| Error::Stock(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Profile;
    use crate::pipeline::FastEncoder;
    use crate::train::{train, ModelKind, TrainConfig};

    /// A tiny deterministic generator (64-bit LCG), so the corpora are the same each run.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    /// A lexicon of `n` words of 2–4 syllables over `letters`.
    fn lexicon(letters: &[char], n: usize, rng: &mut Lcg) -> Vec<String> {
        (0..n)
            .map(|_| {
                let syllables = 2 + rng.below(3);
                (0..syllables * 2)
                    .map(|_| letters[rng.below(letters.len())])
                    .collect()
            })
            .collect()
    }

    /// Line-aligned "translations": the same word indices written in each lexicon.
    fn parallel(lexicons: &[&[String]], lines: usize, rng: &mut Lcg) -> Vec<Vec<String>> {
        let mut out = vec![Vec::new(); lexicons.len()];
        for _ in 0..lines {
            let words: Vec<usize> = (0..4 + rng.below(6))
                .map(|_| {
                    // Zipf-like: small indices are much more frequent.
                    let r = rng.below(lexicons[0].len());
                    rng.below(r + 1)
                })
                .collect();
            for (l, lex) in lexicons.iter().enumerate() {
                let line: Vec<&str> = words.iter().map(|&w| lex[w].as_str()).collect();
                out[l].push(line.join(" "));
            }
        }
        out
    }

    fn corpus(lang: &str, lines: Vec<String>) -> Corpus {
        Corpus {
            lang: lang.into(),
            paths: vec![],
            lines,
        }
    }

    /// English-like text with 20 times more lines than Tifinagh text, and a parallel dev
    /// sample of both.
    fn two_languages() -> (Vec<Corpus>, Vec<Corpus>) {
        let mut rng = Lcg(7);
        let latin: Vec<char> = "abcdefghiklmnoprstuvwy".chars().collect();
        let tifinagh: Vec<char> = "ⴰⴱⴳⴷⴹⴻⴼⴽⵀⵃⵄⵅⵇⵉⵊⵍⵎⵏⵓⵔⵕⵖⵙⵚⵛⵜⵟⵡⵢⵣⵥ".chars().collect();
        let eng = lexicon(&latin, 300, &mut rng);
        let zgh = lexicon(&tifinagh, 300, &mut rng);
        let mut big = parallel(&[&eng, &zgh], 2000, &mut rng);
        let small = parallel(&[&eng, &zgh], 100, &mut rng);
        let dev = parallel(&[&eng, &zgh], 100, &mut rng);
        big[1].truncate(100);
        big[1].extend(small[1].iter().cloned());
        let train = vec![
            corpus("eng_Latn", big[0].clone()),
            corpus("zgh_Tfng", big[1].clone()),
        ];
        let dev = vec![
            corpus("eng_Latn", dev[0].clone()),
            corpus("zgh_Tfng", dev[1].clone()),
        ];
        (train, dev)
    }

    fn normalizer() -> Normalizer {
        Normalizer::new(Profile::Auto.options())
    }

    fn config(vocab_size: usize) -> ParityConfig {
        ParityConfig {
            vocab_size,
            min_frequency: 2,
            pivot: "eng_Latn".into(),
            global_merges: 0,
            window: 0,
            window_alpha: 2.0,
        }
    }

    fn tokens(tok: &Tokenizer, corpus: &Corpus) -> usize {
        corpus
            .lines
            .iter()
            .map(|l| tok.encode(l.as_str(), false).unwrap().get_ids().len())
            .sum()
    }

    #[test]
    fn parity_gives_the_minority_language_merges_and_parity() {
        let (corpora, dev) = two_languages();
        let (train_set, samples) = hold_out(&corpora, &dev).unwrap();
        let (parity, report) =
            train_parity(&train_set, &samples, &normalizer(), &config(420)).unwrap();
        let natural_config = TrainConfig {
            model: ModelKind::Bpe,
            vocab_size: 420,
            temperature: 1.0,
            min_frequency: 2,
        };
        let (natural, _) = train(&corpora, &normalizer(), &natural_config).unwrap();
        let ratio = |t: &Tokenizer| tokens(t, &dev[1]) as f64 / tokens(t, &dev[0]) as f64;
        let (p, n) = (ratio(&parity), ratio(&natural));
        assert!(report.langs.iter().all(|r| r.aligned), "{report:?}");
        assert!(
            report.langs[1].merges > report.langs[0].merges / 4,
            "{report:?}"
        );
        assert!(
            p < n && (p - 1.0).abs() < (n - 1.0).abs(),
            "parity {p:.3}, natural {n:.3}"
        );
        // Parity is reached, give or take one merge's worth of tokens.
        assert!((report.langs[1].score - 1.0).abs() < 0.1, "{report:?}");
    }

    /// The dev token counts kept during training are what the saved tokenizer (loaded from
    /// its JSON, as a user would) and awal's fast encoder give on the same lines.
    #[test]
    fn tracked_dev_counts_match_the_saved_tokenizer() {
        let (corpora, dev) = two_languages();
        // English given, Tifinagh held out of its own training text.
        let (train_set, samples) = hold_out(&corpora, &dev[..1]).unwrap();
        assert_eq!(samples[1].source, DevSource::HeldOut);
        assert!(!samples[1].corpus.lines.is_empty());
        let n = normalizer();
        let (tok, report) = train_parity(&train_set, &samples, &n, &config(500)).unwrap();
        assert!(!report.langs[1].aligned);
        let reloaded: Tokenizer = tok.to_string(false).unwrap().parse().unwrap();
        assert_eq!(reloaded.get_vocab_size(true), 500);
        let fast = FastEncoder::new(&n, reloaded.get_model());
        for (sample, r) in samples.iter().zip(&report.langs) {
            let mut total = 0;
            for line in &sample.corpus.lines {
                let stock = reloaded.encode(line.as_str(), false).unwrap();
                assert_eq!(fast.encode(line).unwrap(), stock.get_ids(), "{line}");
                total += stock.get_ids().len() as u64;
            }
            assert_eq!(total, r.dev_tokens, "{}", r.lang);
        }
        assert!(crate::pipeline::detect_awal(&reloaded).is_some());
    }

    #[test]
    fn same_output_for_any_thread_count() {
        let (corpora, dev) = two_languages();
        let (train_set, samples) = hold_out(&corpora, &dev).unwrap();
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    let cfg = ParityConfig::new(450, 2); // with the moving window
                    let (tok, report) =
                        train_parity(&train_set, &samples, &normalizer(), &cfg).unwrap();
                    (tok.to_string(false).unwrap(), report)
                })
        };
        let one = run(1);
        assert_eq!(one, run(4));
        assert_eq!(one, run(1));
    }

    /// With the moving window, no language wins more than its share of any window while
    /// the other still has pairs; without it the minority language takes most merges.
    #[test]
    fn the_window_caps_each_languages_share() {
        let (corpora, dev) = two_languages();
        let (train_set, samples) = hold_out(&corpora, &dev).unwrap();
        let pure = train_parity(&train_set, &samples, &normalizer(), &config(600))
            .unwrap()
            .1;
        let windowed = ParityConfig {
            window: 20,
            window_alpha: 1.0, // half of each window per language
            ..config(600)
        };
        let capped = train_parity(&train_set, &samples, &normalizer(), &windowed)
            .unwrap()
            .1;
        let total = 600 - 256;
        let zgh = |r: &Report| r.langs[1].merges;
        assert!(zgh(&pure) > total * 6 / 10, "{pure:?}");
        assert!(zgh(&capped) <= total / 2 + 20, "{capped:?}");
        assert!(zgh(&capped) < zgh(&pure));
        let bad = ParityConfig {
            window_alpha: f64::NAN,
            ..windowed
        };
        let e = train_parity(&train_set, &samples, &normalizer(), &bad).unwrap_err();
        assert!(e.to_string().contains("--window-alpha"), "{e}");
    }

    /// The hybrid: the first merges count all the text together, then parity takes over.
    #[test]
    fn global_merges_come_first() {
        let (corpora, dev) = two_languages();
        let (train_set, samples) = hold_out(&corpora, &dev).unwrap();
        let hybrid = ParityConfig {
            global_merges: 40,
            ..config(450)
        };
        let (tok, report) = train_parity(&train_set, &samples, &normalizer(), &hybrid).unwrap();
        assert_eq!(report.global_merges, 40);
        assert_eq!(tok.get_vocab_size(true), 450);
        let (pure, _) = train_parity(&train_set, &samples, &normalizer(), &config(450)).unwrap();
        assert_ne!(
            tok.to_string(false).unwrap(),
            pure.to_string(false).unwrap()
        );
    }

    #[test]
    fn merging_is_left_to_right_without_overlap() {
        assert_eq!(merge_symbols(&[1, 1, 1], (1, 1), 9), [9, 1]);
        assert_eq!(merge_symbols(&[1, 1, 1, 1], (1, 1), 9), [9, 9]);
        assert_eq!(merge_symbols(&[2, 1, 3, 1, 3], (1, 3), 9), [2, 9, 9]);
        let mut d = Vec::new();
        pair_delta(&[2, 1, 3, 1, 3], &[2, 9, 9], &mut d);
        assert_eq!(
            d,
            [
                ((1, 3), -2),
                ((2, 1), -1),
                ((2, 9), 1),
                ((3, 1), -1),
                ((9, 9), 1)
            ]
        );
    }

    #[test]
    fn training_stops_when_no_pair_is_frequent_enough() {
        let corpora = [corpus("eng_Latn", vec!["abc".into()])];
        let (train_set, samples) = hold_out(&corpora, &[]).unwrap();
        let (tok, report) =
            train_parity(&train_set, &samples, &normalizer(), &config(1000)).unwrap();
        assert_eq!(tok.get_vocab_size(true), 256);
        assert_eq!(report.langs[0].merges, 0);
        let cfg = ParityConfig {
            min_frequency: 1,
            ..config(1000)
        };
        let (tok, _) = train_parity(&train_set, &samples, &normalizer(), &cfg).unwrap();
        assert_eq!(tok.get_vocab_size(true), 258); // "ab", "abc"
    }

    #[test]
    fn bad_settings_are_refused() {
        let corpora = [corpus("eng_Latn", vec!["abc".into()])];
        let e = hold_out(&corpora, &[corpus("fra_Latn", vec!["x".into()])]).unwrap_err();
        assert!(e.to_string().contains("--dev fra_Latn"), "{e}");
        let (train_set, samples) = hold_out(&corpora, &[]).unwrap();
        for size in [100, (1 << 32) + 300] {
            let e = train_parity(&train_set, &samples, &normalizer(), &config(size)).unwrap_err();
            assert!(e.to_string().contains("--vocab-size"), "{e}");
        }
        let e = train_parity(&train_set, &[], &normalizer(), &config(300)).unwrap_err();
        assert!(e.to_string().contains("one dev sample"), "{e}");
    }
}
