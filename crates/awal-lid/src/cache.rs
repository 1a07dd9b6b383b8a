//! A per-thread memo of each word's evidence, so that frequent words are scored once.
//!
//! # Why this is exact
//!
//! Scoring a word reads one weight row per character n-gram (about thirty random reads
//! into a table of a few hundred kilobytes for a six-letter word), and running text
//! repeats its words (Zipf): a few thousand distinct words make up most tokens. What a
//! word adds to an [`Accumulator`] — the summed quantized weights per label, the number
//! of known features and the marker label it hits, if any — depends only on the model,
//! the word's script group and the word's bytes, and it is a sum of integers. So it can
//! be computed once, stored, and added again: the totals, and therefore every score, are
//! bit for bit those of the uncached path (a unit test and a property test check this).
//!
//! # Bounds
//!
//! Each script group has a two-way set-associative table of [`SETS`] × 2 words of at most
//! [`MAX_WORD_BYTES`] bytes (longer words are rare and rarely repeat; they are scored
//! directly), one 64-byte line per word with the word inline, so a hit costs one or two
//! cache lines instead of thirty table reads. A new word evicts the less recently used
//! word of its set, so frequent words stay. The table takes 1 MiB per script group, and
//! [`crate::model::Model::score`] probes 16 words (prefetching their lines) before it
//! adds the first, so the lookups wait for memory together.
//!
//! The cache is thread-local, so rayon workers never contend for it, and it records the
//! id of the model that filled it (each trained or loaded model gets a process-unique
//! id; a clone shares it, as it shares the weights), so two models in one process never
//! see each other's entries.

use std::cell::Cell;

use crate::model::Accumulator;

/// Sets per script group; each set holds two words (2-way set associative), so a group's
/// table is `SETS × 128` bytes (1 MiB): with the lookups prefetched, hit rate matters
/// more than staying in L2.
pub(crate) const SETS: usize = 8192;
/// Longest word, in UTF-8 bytes, that is memoised (it is stored inline in its line).
pub(crate) const MAX_WORD_BYTES: usize = 32;
/// Most labels a group may have for its words to be memoised (values per line: the
/// labels' scores, `known`, `marker`).
pub(crate) const MAX_LABELS: usize = VALUES - 2;
const VALUES: usize = 12;
/// Script groups a model has at most (Arab, Latn, Tfng).
pub(crate) const GROUPS: usize = 3;

/// One memoised word: a cache line.
///
/// The per-word sums fit in 16 bits: a word of at most 32 bytes has at most 34 padded
/// characters, so at most 5 · 34 + 1 features of at most 255 each (43 605); a value that
/// would not fit is simply not stored.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Line {
    /// The word's hash with its byte length in the low byte; 0 marks an empty line.
    tag: u64,
    /// The word's bytes, zero-padded.
    key: [u64; 4],
    /// Scores per label, then `known`, then the marker label plus one (0: none).
    values: [u16; VALUES],
}

const EMPTY: Line = Line {
    tag: 0,
    key: [0; 4],
    values: [0; VALUES],
};

/// A word located in its group's table: computed (and the set prefetched) ahead of the
/// lookup, so that a batch of words waits for memory once, not once per word.
#[derive(Clone, Copy)]
pub(crate) struct Probe {
    key: [u64; 4],
    tag: u64,
    /// Index of the set's first line.
    line: usize,
}

/// One script group's table.
struct GroupCache {
    labels: usize,
    /// `2 × SETS` lines; set `s` is lines `2s` (most recently used) and `2s + 1`.
    lines: Vec<Line>,
}

impl GroupCache {
    /// Where `word` would be, with its set prefetched; `None` when it cannot be memoised.
    #[inline]
    fn probe(&mut self, word: &[u8]) -> Option<Probe> {
        if word.is_empty() || word.len() > MAX_WORD_BYTES || self.labels > MAX_LABELS {
            return None;
        }
        if self.lines.is_empty() {
            self.lines = vec![EMPTY; 2 * SETS];
        }
        let (key, hash) = pack(word);
        let line = 2 * ((hash >> 40) as usize & (SETS - 1));
        prefetch(&self.lines[line..line + 2]);
        Some(Probe {
            key,
            tag: (hash & !0xFF) | word.len() as u64,
            line,
        })
    }

    /// Adds the evidence of the probed word to `acc`, from the table or from `compute`
    /// (which fills a zeroed accumulator).
    #[inline]
    fn add(
        &mut self,
        probe: &Probe,
        acc: &mut Accumulator,
        compute: impl FnOnce(&mut Accumulator),
    ) {
        let Probe {
            key,
            tag,
            line: set,
        } = *probe;
        let k = self.labels;
        let hit = if self.lines[set].tag == tag && self.lines[set].key == key {
            Some(set)
        } else if self.lines[set + 1].tag == tag && self.lines[set + 1].key == key {
            // Keep the most recently used word first: the other one is evicted next.
            self.lines.swap(set, set + 1);
            Some(set)
        } else {
            None
        };
        if let Some(i) = hit {
            let v = &self.lines[i].values;
            for (total, &s) in acc.scores[..k].iter_mut().zip(&v[..k]) {
                *total += u32::from(s);
            }
            acc.known += usize::from(v[k]);
            if v[k + 1] > 0 {
                acc.markers[usize::from(v[k + 1]) - 1] += 1;
            }
            return;
        }
        let mut fresh = Accumulator::default();
        compute(&mut fresh);
        for (total, &s) in acc.scores[..k].iter_mut().zip(&fresh.scores[..k]) {
            *total += s;
        }
        acc.known += fresh.known;
        for (total, &m) in acc.markers[..k].iter_mut().zip(&fresh.markers[..k]) {
            *total += m;
        }
        if let Some(values) = encode(&fresh, k) {
            self.lines[set + 1] = self.lines[set];
            self.lines[set] = Line { tag, key, values };
        }
    }
}

/// Asks the CPU to start loading `lines` into cache; never faults, changes no result.
#[inline(always)]
fn prefetch(lines: &[Line]) {
    #[cfg(target_arch = "x86_64")]
    for line in lines {
        // SAFETY: a prefetch is only a hint: it cannot fault or change memory, and SSE
        // (which provides it) is part of the x86-64 baseline.
        unsafe {
            std::arch::x86_64::_mm_prefetch(
                (line as *const Line).cast::<i8>(),
                std::arch::x86_64::_MM_HINT_T0,
            )
        };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = lines;
}

/// The values of a line for one word's evidence; `None` if something does not fit.
fn encode(fresh: &Accumulator, k: usize) -> Option<[u16; VALUES]> {
    let mut values = [0u16; VALUES];
    for (v, &s) in values.iter_mut().zip(&fresh.scores[..k]) {
        *v = u16::try_from(s).ok()?;
    }
    values[k] = u16::try_from(fresh.known).ok()?;
    let mut hits = fresh.markers[..k]
        .iter()
        .enumerate()
        .filter(|(_, &m)| m > 0);
    if let Some((j, &m)) = hits.next() {
        // One word is one marker at most; anything else is not replayable as stored.
        if m != 1 || hits.next().is_some() {
            return None;
        }
        values[k + 1] = j as u16 + 1;
    }
    Some(values)
}

/// The memo of one thread: one table per script group of one model.
pub(crate) struct WordCache {
    model: u64,
    groups: Vec<GroupCache>,
}

impl WordCache {
    fn new() -> Self {
        WordCache {
            model: 0,
            groups: Vec::new(),
        }
    }

    /// Makes the cache serve `model` (id), whose groups have these label counts; drops
    /// the entries of any other model.
    fn serve(&mut self, model: u64, labels: [usize; GROUPS]) {
        if self.model != model || self.groups.is_empty() {
            self.model = model;
            self.groups = labels
                .iter()
                .map(|&labels| GroupCache {
                    labels,
                    lines: Vec::new(),
                })
                .collect();
        }
    }

    /// Locates `word` in group `slot` and prefetches its set; `None` when it cannot be
    /// memoised (too long, group too wide): the caller then scores the word itself.
    #[inline]
    pub fn probe(&mut self, slot: usize, word: &str) -> Option<Probe> {
        self.groups.get_mut(slot)?.probe(word.as_bytes())
    }

    /// Adds the evidence of a probed word of group `slot` to `acc`, from the memo or
    /// from `compute` (which fills a zeroed accumulator, and whose result is memoised).
    #[inline]
    pub fn add(
        &mut self,
        slot: usize,
        probe: &Probe,
        acc: &mut Accumulator,
        compute: impl FnOnce(&mut Accumulator),
    ) {
        if let Some(group) = self.groups.get_mut(slot) {
            group.add(probe, acc, compute);
        }
    }
}

thread_local! {
    /// Taken out while in use and put back after, so a (never expected) nested use
    /// simply gets a fresh cache instead of a borrow error.
    static CACHE: Cell<Option<Box<WordCache>>> = const { Cell::new(None) };
}

/// Runs `f` with this thread's cache, set up for `model`.
pub(crate) fn with_cache<R>(
    model: u64,
    labels: [usize; GROUPS],
    f: impl FnOnce(&mut WordCache) -> R,
) -> R {
    let mut cache = CACHE
        .try_with(Cell::take)
        .ok()
        .flatten()
        .unwrap_or_else(|| Box::new(WordCache::new()));
    cache.serve(model, labels);
    let result = f(&mut cache);
    // Fails only while the thread is shutting down; the cache is then simply dropped.
    let _ = CACHE.try_with(|cell| cell.set(Some(cache)));
    result
}

/// The word's bytes as four zero-padded little-endian words, and a hash of them:
/// multiply and rotate per word, then a final avalanche so that both the set bits and
/// the tag bits are well mixed.
#[inline]
fn pack(word: &[u8]) -> ([u64; 4], u64) {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    // Whole words are loaded as they are and the tail is assembled in a register: going
    // through a byte buffer on the stack would stall every probe on store forwarding.
    let mut key = [0u64; 4];
    let mut chunks = word.chunks_exact(8);
    let mut used = 0;
    for (k, chunk) in key.iter_mut().zip(&mut chunks) {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        *k = u64::from_le_bytes(b);
        used += 1;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        if let Some(k) = key.get_mut(used) {
            *k = rest
                .iter()
                .enumerate()
                .fold(0u64, |v, (j, &x)| v | u64::from(x) << (8 * j));
            used += 1;
        }
    }
    let mut h = (word.len() as u64).wrapping_mul(K);
    for &k in &key[..used] {
        h = (h ^ k).wrapping_mul(K).rotate_left(31);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    (key, h ^ (h >> 33))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake(acc: &mut Accumulator, word: &str) {
        for (j, s) in acc.scores.iter_mut().enumerate() {
            *s = word.len() as u32 * (j as u32 + 1);
        }
        acc.known = word.len();
        if word.starts_with('m') {
            acc.markers[1] = 1;
        }
    }

    fn added(cache: &mut WordCache, slot: usize, word: &str, computed: &mut usize) -> Accumulator {
        let mut acc = Accumulator::default();
        let probe = cache.probe(slot, word).expect("short word, narrow group");
        cache.add(slot, &probe, &mut acc, |a| {
            *computed += 1;
            fake(a, word)
        });
        acc
    }

    #[test]
    fn pack_is_the_zero_padded_bytes() {
        for word in [
            "",
            "a",
            "salam",
            "bzafbzaf",
            "واش نتا مزيان",
            "ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ ⵎⴰⵏⵉⴽ ⵜⵍⵍ",
        ] {
            let bytes = &word.as_bytes()[..word.len().min(MAX_WORD_BYTES)];
            let mut padded = [0u8; 32];
            padded[..bytes.len()].copy_from_slice(bytes);
            let (key, _) = pack(bytes);
            for (i, k) in key.iter().enumerate() {
                let mut b = [0u8; 8];
                b.copy_from_slice(&padded[8 * i..8 * i + 8]);
                assert_eq!(*k, u64::from_le_bytes(b), "{word}");
            }
        }
    }

    #[test]
    fn stores_and_replays_evidence() {
        let mut cache = WordCache::new();
        cache.serve(7, [3, 2, 1]);
        let mut computed = 0;
        for _ in 0..3 {
            for word in ["salam", "mzyan", "bzaf"] {
                let acc = added(&mut cache, 0, word, &mut computed);
                let mut expected = Accumulator::default();
                fake(&mut expected, word);
                assert_eq!(acc.scores[..3], expected.scores[..3]);
                assert_eq!((acc.known, acc.markers), (expected.known, expected.markers));
            }
        }
        assert_eq!(computed, 3);
    }

    #[test]
    fn evicts_and_skips_what_it_cannot_store() {
        let mut cache = WordCache::new();
        cache.serve(1, [2, 2, MAX_LABELS + 1]);
        let mut computed = 0;
        for i in 0..SETS * 4 {
            let word = format!("w{i}");
            let acc = added(&mut cache, 1, &word, &mut computed);
            assert_eq!(acc.known, word.len());
        }
        assert_eq!(computed, SETS * 4);
        let long = "a".repeat(MAX_WORD_BYTES + 1);
        assert!(cache.probe(1, &long).is_none());
        assert!(cache.probe(2, "salam").is_none());
    }

    #[test]
    fn another_model_starts_empty() {
        let mut cache = WordCache::new();
        cache.serve(1, [2, 2, 2]);
        let mut computed = 0;
        added(&mut cache, 0, "salam", &mut computed);
        added(&mut cache, 0, "salam", &mut computed);
        cache.serve(2, [2, 2, 2]);
        added(&mut cache, 0, "salam", &mut computed);
        assert_eq!(computed, 2);
    }
}
