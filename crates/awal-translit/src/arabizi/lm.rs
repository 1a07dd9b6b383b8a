//! A character n-gram language model of the target script, with Witten–Bell smoothing.
//!
//! Why characters and why Witten–Bell: the model has to score spellings of words it has
//! never seen (conjugated verbs, clitic chains), from a few thousand training words.
//! Character n-grams generalise to new words; Witten–Bell interpolation needs no tuned
//! discount and behaves well on small counts.
//!
//! The model is stored as raw n-gram counts (see [`super::ModelFile`]) and compiled at
//! load time into a backoff form: for every seen n-gram its interpolated log
//! probability, for every seen context its log backoff weight. Scoring a character is
//! then at most `order` hash lookups on packed `u64` keys, with no allocation:
//!
//! * each character has a one-byte id (1 = word boundary, 2 = unknown, 3.. = vocabulary);
//! * a history is the last `order - 1` ids packed into a `u64`, newest in the low byte.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Id of the word boundary (start and end of a word).
pub(crate) const BOUNDARY: u8 = 1;
/// Id of characters outside the vocabulary.
pub(crate) const UNKNOWN: u8 = 2;
/// The character written for the boundary in stored n-gram strings.
pub(crate) const BOUNDARY_CHAR: char = '#';
/// Highest supported order: six context ids and the next id fit in 56 bits.
pub(crate) const MAX_ORDER: usize = 7;

/// Counts n-grams of words; the training half of the model.
#[derive(Clone, Debug, Default)]
pub(crate) struct NgramCounts {
    /// N-gram strings (boundary as `#`) with their counts.
    pub counts: FxHashMap<String, f32>,
}

impl NgramCounts {
    /// Adds every n-gram of orders 1..=`order` of `#word#`, with weight `weight`.
    pub fn add_word(&mut self, word: &str, order: usize, weight: f32) {
        let mut padded: Vec<char> = Vec::with_capacity(word.len() + 2);
        padded.push(BOUNDARY_CHAR);
        padded.extend(word.chars().filter(|&c| c != BOUNDARY_CHAR));
        padded.push(BOUNDARY_CHAR);
        for end in 1..padded.len() {
            // An n-gram ends at `end`; its context reaches back at most `order - 1`.
            for n in 1..=order.min(end + 1) {
                let gram: String = padded[end + 1 - n..=end].iter().collect();
                if n == 1 && end == 0 {
                    continue;
                }
                *self.counts.entry(gram).or_insert(0.0) += weight;
            }
        }
    }
}

/// A compiled model, ready for scoring.
#[derive(Clone, Debug)]
pub(crate) struct Lm {
    order: usize,
    history_mask: u64,
    ascii: [u8; 128],
    ids: FxHashMap<char, u8>,
    probs: FxHashMap<u64, f32>,
    backoffs: FxHashMap<u64, f32>,
    floor: f32,
}

/// The compiled tables of an [`Lm`], stored by a model compiled ahead of time (see
/// `Model::to_bytes`): loading them is a few hash-table inserts, not a recompilation.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct LmTables {
    order: usize,
    ascii: Vec<u8>,
    ids: FxHashMap<char, u8>,
    probs: FxHashMap<u64, f32>,
    backoffs: FxHashMap<u64, f32>,
    floor: f32,
}

fn mask(ids: usize) -> u64 {
    if ids >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * ids)) - 1
    }
}

fn gram_key(n: usize, history: u64, next: u8) -> u64 {
    ((n as u64) << 58) | ((history & mask(n - 1)) << 8) | next as u64
}

fn context_key(n: usize, history: u64) -> u64 {
    ((n as u64) << 58) | (1 << 57) | (history & mask(n - 1))
}

impl Lm {
    /// Compiles counts of n-grams up to `order` (clamped to 1..=[`MAX_ORDER`]).
    pub fn compile(counts: &[(String, f32)], order: usize) -> Lm {
        let order = order.clamp(1, MAX_ORDER);
        let mut lm = Lm {
            order,
            history_mask: mask(order - 1),
            ascii: [UNKNOWN; 128],
            ids: FxHashMap::default(),
            probs: FxHashMap::default(),
            backoffs: FxHashMap::default(),
            floor: 0.0,
        };
        lm.build_vocabulary(counts);
        let vocabulary = (lm.ids.len() + 2) as f32;
        lm.floor = -vocabulary.ln();
        // Per order: the counts keyed by (history, next), then context totals.
        let mut by_order: Vec<Vec<(u64, u8, f32)>> = vec![Vec::new(); order + 1];
        for (gram, count) in counts {
            let ids: Vec<u8> = gram.chars().map(|c| lm.id(c)).collect();
            let n = ids.len();
            if n == 0 || n > order {
                continue;
            }
            let history = ids[..n - 1]
                .iter()
                .fold(0u64, |h, &id| (h << 8) | id as u64);
            by_order[n].push((history, ids[n - 1], *count));
        }
        for (n, grams) in by_order.iter().enumerate().skip(1) {
            let mut contexts: FxHashMap<u64, (f32, f32)> = FxHashMap::default();
            for &(history, _, count) in grams {
                let entry = contexts.entry(history).or_insert((0.0, 0.0));
                entry.0 += count;
                entry.1 += 1.0;
            }
            let mut fresh = Vec::with_capacity(grams.len());
            for &(history, next, count) in grams {
                let (total, types) = contexts[&history];
                let lower = if n == 1 {
                    lm.floor.exp()
                } else {
                    lm.logp_order(history, next, n - 1).exp()
                };
                let p = (count + types * lower) / (total + types);
                fresh.push((gram_key(n, history, next), p.ln()));
            }
            lm.probs.extend(fresh);
            for (history, (total, types)) in contexts {
                lm.backoffs
                    .insert(context_key(n, history), (types / (total + types)).ln());
            }
        }
        lm
    }

    /// The compiled tables, to store.
    pub fn to_tables(&self) -> LmTables {
        LmTables {
            order: self.order,
            ascii: self.ascii.to_vec(),
            ids: self.ids.clone(),
            probs: self.probs.clone(),
            backoffs: self.backoffs.clone(),
            floor: self.floor,
        }
    }

    /// The model of stored tables; `None` if they are not a model's (wrong order or
    /// ASCII table size).
    pub fn from_tables(tables: LmTables) -> Option<Lm> {
        if !(1..=MAX_ORDER).contains(&tables.order) {
            return None;
        }
        let ascii: [u8; 128] = tables.ascii.try_into().ok()?;
        Some(Lm {
            order: tables.order,
            history_mask: mask(tables.order - 1),
            ascii,
            ids: tables.ids,
            probs: tables.probs,
            backoffs: tables.backoffs,
            floor: tables.floor,
        })
    }

    fn build_vocabulary(&mut self, counts: &[(String, f32)]) {
        let mut chars: Vec<char> = counts
            .iter()
            .flat_map(|(g, _)| g.chars())
            .filter(|&c| c != BOUNDARY_CHAR)
            .collect();
        chars.sort_unstable();
        chars.dedup();
        for (i, c) in chars.into_iter().take(250).enumerate() {
            let id = (i + 3) as u8;
            self.ids.insert(c, id);
            if (c as u32) < 128 {
                self.ascii[c as usize] = id;
            }
        }
    }

    /// The id of a character (the boundary char maps to [`BOUNDARY`]).
    #[inline]
    pub fn id(&self, c: char) -> u8 {
        if c == BOUNDARY_CHAR {
            return BOUNDARY;
        }
        if (c as u32) < 128 {
            return self.ascii[c as usize];
        }
        self.ids.get(&c).copied().unwrap_or(UNKNOWN)
    }

    /// The history at the start of a word.
    #[inline]
    pub fn start(&self) -> u64 {
        BOUNDARY as u64
    }

    /// The history after `id`.
    #[inline]
    pub fn push(&self, history: u64, id: u8) -> u64 {
        ((history << 8) | id as u64) & self.history_mask
    }

    /// Natural-log probability of `next` after `history`.
    #[inline]
    pub fn logp(&self, history: u64, next: u8) -> f32 {
        self.logp_order(history, next, self.order)
    }

    fn logp_order(&self, history: u64, next: u8, order: usize) -> f32 {
        let mut backoff = 0.0;
        for n in (1..=order).rev() {
            if let Some(p) = self.probs.get(&gram_key(n, history, next)) {
                return backoff + p;
            }
            if let Some(b) = self.backoffs.get(&context_key(n, history)) {
                backoff += b;
            }
        }
        backoff + self.floor
    }

    /// Log probability of a whole word, boundaries included (for ranking whole-word
    /// candidates, e.g. clitic readings).
    pub fn score_word(&self, word: &str) -> f32 {
        let mut history = self.start();
        let mut total = 0.0;
        for c in word.chars() {
            let id = self.id(c);
            total += self.logp(history, id);
            history = self.push(history, id);
        }
        total + self.logp(history, BOUNDARY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(words: &[&str]) -> Lm {
        let mut counts = NgramCounts::default();
        for w in words {
            counts.add_word(w, 4, 1.0);
        }
        let counts: Vec<(String, f32)> = counts.counts.into_iter().collect();
        Lm::compile(&counts, 4)
    }

    #[test]
    fn seen_words_score_higher_than_unseen_spellings() {
        let lm = model(&["كتاب", "كتب", "مكتوب", "كاتب"]);
        assert!(lm.score_word("كتاب") > lm.score_word("قطاب"));
        assert!(lm.score_word("كتب") > lm.score_word("بتك"));
    }

    #[test]
    fn probabilities_after_a_context_sum_to_one() {
        let lm = model(&["abc", "abd", "bcd", "a"]);
        let h = lm.push(lm.push(lm.start(), lm.id('a')), lm.id('b'));
        let mut total = lm.logp(h, BOUNDARY).exp() + lm.logp(h, UNKNOWN).exp();
        for c in ['a', 'b', 'c', 'd'] {
            total += lm.logp(h, lm.id(c)).exp();
        }
        assert!((total - 1.0).abs() < 1e-3, "{total}");
    }
}
