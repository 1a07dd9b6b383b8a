//! Exact and near-duplicate removal; the first document in input order is kept.
//!
//! # The model
//!
//! Work is split in two so that the expensive part runs in parallel and the decision
//! stays deterministic:
//!
//! 1. [`MinHasher::keys`] is a pure function of one text: it computes a 128-bit hash of
//!    the *normalized* text (lower case, letters and digits only, harakat and tatweel
//!    removed, every other run of characters one space) and, for near-dup detection, the
//!    MinHash signature folded into one 64-bit key per LSH band.
//! 2. [`Deduper::check`] runs in input order and answers one question: did an *earlier*
//!    document that passed the filters have the same exact key (`exact`), or share any
//!    LSH band key with it (`near`)? Every candidate's keys enter the index, duplicate
//!    or not, so the answer depends only on `(order, keys)` of the documents before it —
//!    never on which of them were kept. That makes the decision a group-by: a document
//!    is a duplicate iff, for one of its keys, the smallest order holding that key is
//!    smaller than its own. A Spark or Ray job computes the same kept set with a group-by
//!    (min order per key) and a join (see `awal.spark`); one process uses a hash set.
//!    Chains follow from it: if B is a near duplicate of A and C of B only, C is dropped
//!    too, although B was.
//!
//! Shingles follow the script: **word** n-grams for Latin-script documents (words carry
//! meaning; `word_ngram`, default 2 so that short documents still have many shingles),
//! **character** n-grams for Arabic script and Tifinagh (clitics glue words together:
//! `وللدار`; `char_ngram`, default 5). Defaults follow FineWeb: 112 permutations = 14
//! bands × 8 rows, which makes a pair with Jaccard similarity 0.8 a candidate with
//! probability 1 − (1 − 0.8⁸)¹⁴ ≈ 0.92, at 0.9 ≈ 1.0, at 0.5 ≈ 0.05.
//!
//! # Memory
//!
//! Per million documents *that passed the filters*: the exact index holds 16-byte keys
//! (≈ 26 MB with hash table overhead), the LSH index up to 14 × 8-byte band keys (≈ 190
//! MB; duplicates add few new band keys). While a table grows it briefly holds old and
//! new arrays, so plan ≈ 0.45 GB per million documents at the worst moment. Signatures
//! are not kept: a candidate is decided on a shared band, as
//! FineWeb does, without a verification pass.
//!
//! ```
//! use awal_prep::config::DedupConfig;
//! use awal_prep::dedup::{Deduper, MinHasher};
//!
//! let hasher = MinHasher::new(&DedupConfig::default());
//! let mut index = Deduper::new(&DedupConfig::default());
//! let a = "wach nta mzyan a khoya? ana bikhir l7amdolillah, w nta kidayr m3a l5edma";
//! let b = "Wach nta mzyan a khoya?? Ana bikhir l7amdolillah, w nta kidayr m3a l5edma!";
//! let c = "wach nta mzyan a khoya? ana bikhir l7amdolillah, w nta kidayr m3a l5edma lyoum";
//! assert_eq!(index.check(&hasher.keys(a)), None);
//! assert_eq!(index.check(&hasher.keys(b)), Some("exact"));
//! assert_eq!(index.check(&hasher.keys(c)), Some("near"));
//! ```

use awal_translit::normalize::arabic::{is_haraka, TATWEEL};
use awal_translit::script::{classify, CharClass};

/// Harakat (the workspace's one table, [`is_haraka`]) and combining marks and joiners
/// ([`CharClass::Mark`]): dropped from the key, as the letters they sit on are kept.
fn is_mark(c: char) -> bool {
    is_haraka(c) || matches!(classify(c), CharClass::Mark)
}
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

use crate::config::DedupConfig;
use crate::hashing::{mix, splitmix, FastSet};

/// What dedup needs to know about one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DedupKeys {
    /// 128-bit hash of the normalized text.
    pub exact: u128,
    /// One key per LSH band (empty when near-dup detection is off or the text has no
    /// letters or digits).
    pub bands: Vec<u64>,
}

/// Text as dedup compares it: lower case, letters and digits, single spaces.
///
/// ```
/// assert_eq!(awal_prep::dedup::normalize_for_dedup("Salam, KHOYA!!  كِتَاب ــ 2024"), "salam khoya كتاب 2024");
/// ```
pub fn normalize_for_dedup(text: &str) -> String {
    let mut out = Vec::new();
    normalize_into(text, &mut out);
    // Built from whole characters of `text` and ASCII, so always UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// [`normalize_for_dedup`] into a reused buffer, also counting Latin letters and other
/// letters, so that the shingle choice needs no second pass over the text.
///
/// It works on bytes: ASCII (most Latin-script text) is one table test per byte, and an
/// Arabic or Tifinagh letter is copied as its UTF-8 bytes, never decoded to a `char`
/// and encoded back.
fn normalize_into(text: &str, out: &mut Vec<u8>) -> (usize, usize) {
    out.clear();
    out.reserve(text.len());
    let b = text.as_bytes();
    let mut space = false;
    let (mut latin, mut other) = (0, 0);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if c.is_ascii_alphanumeric() {
                if space && !out.is_empty() {
                    out.push(b' ');
                }
                space = false;
                latin += usize::from(c.is_ascii_alphabetic());
                out.push(c.to_ascii_lowercase());
            } else {
                space = true;
            }
            i += 1;
            continue;
        }
        // `text` is valid UTF-8: the lead byte gives the width, and the slice is a char.
        let width = match c {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        let bytes = &b[i..i + width];
        i += width;
        let Some(ch) = text.get(i - width..i).and_then(|s| s.chars().next()) else {
            continue;
        };
        if matches!(ch, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0660}'..='\u{0669}' | '\u{0671}'..='\u{06D3}' | '\u{2D30}'..='\u{2D6F}')
        {
            // Arabic and Tifinagh letters: caseless, the common case after ASCII.
            if space && !out.is_empty() {
                out.push(b' ');
            }
            space = false;
            other += 1;
            out.extend_from_slice(bytes);
        } else if ch == TATWEEL || is_mark(ch) {
            // Tatweel and harakat change neither the word nor the duplicate.
        } else if ch.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(b' ');
            }
            space = false;
            // Latin-1, Latin Extended A/B, IPA (ɣ ɛ) and Latin Extended Additional (ḍ ṣ).
            if matches!(ch, '\u{00C0}'..='\u{02AF}' | '\u{1E00}'..='\u{1EFF}') {
                latin += 1;
            } else if ch.is_alphabetic() {
                other += 1;
            }
            let mut utf8 = [0u8; 4];
            for lower in ch.to_lowercase() {
                out.extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
            }
        } else {
            space = true;
        }
    }
    (latin, other)
}

thread_local! {
    /// The normalized-text buffer of [`MinHasher::keys`], reused across documents.
    static NORMALIZED: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Computes [`DedupKeys`]; pure and shareable across threads.
pub struct MinHasher {
    near: bool,
    rows: usize,
    mul: Vec<u32>,
    add: Vec<u32>,
    word_ngram: usize,
    char_ngram: usize,
}

impl MinHasher {
    /// Draws the permutations from the configured seed.
    ///
    /// ```
    /// let _ = awal_prep::dedup::MinHasher::new(&Default::default());
    /// ```
    pub fn new(config: &DedupConfig) -> Self {
        let perms = config.bands * config.rows;
        let mut state = config.seed;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            splitmix(state)
        };
        let mul = (0..perms).map(|_| (next() as u32) | 1).collect();
        let add = (0..perms).map(|_| next() as u32).collect();
        MinHasher {
            near: config.near,
            rows: config.rows,
            mul,
            add,
            word_ngram: config.word_ngram,
            char_ngram: config.char_ngram,
        }
    }

    /// The keys of one text.
    ///
    /// ```
    /// let h = awal_prep::dedup::MinHasher::new(&Default::default());
    /// assert_eq!(h.keys("Salam!").exact, h.keys("salam").exact);
    /// assert_eq!(h.keys("salam").bands.len(), 14);
    /// ```
    pub fn keys(&self, text: &str) -> DedupKeys {
        let mut norm = NORMALIZED.try_with(|b| b.take()).unwrap_or_default();
        let keys = self.keys_with(text, &mut norm);
        // Only fails while the thread shuts down; the buffer is then dropped.
        let _ = NORMALIZED.try_with(|b| b.set(norm));
        keys
    }

    fn keys_with(&self, text: &str, buf: &mut Vec<u8>) -> DedupKeys {
        let (latin_letters, other_letters) = normalize_into(text, buf);
        let exact = xxh3_128(buf);
        if !self.near || buf.is_empty() {
            return DedupKeys {
                exact,
                bands: Vec::new(),
            };
        }
        // Built from whole characters and ASCII, so this never fails.
        let norm = match simdutf8::basic::from_utf8(buf) {
            Ok(norm) => norm,
            Err(_) => {
                return DedupKeys {
                    exact,
                    bands: Vec::new(),
                }
            }
        };
        // Shingle hashes first, then one tight loop per shingle over the permutations.
        // Word shingles when Latin letters outnumber all others (Arabizi, IRCAM Latin,
        // French); character shingles otherwise.
        let latin = latin_letters > other_letters;
        let mut shingles: Vec<u32> = Vec::with_capacity(norm.len());
        if latin {
            let words: Vec<u64> = norm.split(' ').map(|w| xxh3_64(w.as_bytes())).collect();
            let n = self.word_ngram.min(words.len());
            for win in words.windows(n) {
                let h = splitmix(win.iter().fold(n as u64, |h, &x| mix(h, x)));
                shingles.push((h ^ (h >> 32)) as u32);
            }
        } else {
            let chars: Vec<u32> = norm.chars().map(u32::from).collect();
            let n = self.char_ngram.min(chars.len());
            for win in chars.windows(n) {
                let h = splitmix(win.iter().fold(n as u64, |h, &x| mix(h, u64::from(x))));
                shingles.push((h ^ (h >> 32)) as u32);
            }
        }
        let mut sig = vec![u32::MAX; self.mul.len()];
        minhash(&mut sig, &self.mul, &self.add, &shingles);
        let bands = sig
            .chunks(self.rows)
            .enumerate()
            .map(|(band, rows)| {
                rows.iter()
                    .fold(splitmix(band as u64 + 1), |h, &x| mix(h, u64::from(x)))
            })
            .collect();
        DedupKeys { exact, bands }
    }
}

/// `sig[i] = min over shingles x of (mul[i] * x + add[i]) mod 2^32`.
///
/// This loop is most of the cost of near-dup detection. The baseline x86-64 target has
/// no 32-bit vector multiply, so on CPUs with AVX2 the same code is compiled a second
/// time with AVX2 enabled (8 lanes) and picked at run time; results are identical.
fn minhash(sig: &mut [u32], mul: &[u32], add: &[u32], shingles: &[u32]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked just above.
            unsafe { minhash_avx2(sig, mul, add, shingles) };
            return;
        }
    }
    minhash_portable(sig, mul, add, shingles);
}

#[inline(always)]
fn minhash_portable(sig: &mut [u32], mul: &[u32], add: &[u32], shingles: &[u32]) {
    for &x in shingles {
        for ((s, &a), &b) in sig.iter_mut().zip(mul).zip(add) {
            let v = a.wrapping_mul(x).wrapping_add(b);
            *s = (*s).min(v);
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn minhash_avx2(sig: &mut [u32], mul: &[u32], add: &[u32], shingles: &[u32]) {
    minhash_portable(sig, mul, add, shingles);
}

/// The in-order index of the keys of every document that passed the filters.
pub struct Deduper {
    exact_on: bool,
    exact: FastSet<u128>,
    bands: FastSet<u64>,
    journal: Option<Vec<u8>>,
}

/// Journal entry tags: an exact key (16 bytes follow) or a band key (8 bytes follow).
const JOURNAL_EXACT: u8 = 1;
const JOURNAL_BAND: u8 = 2;

impl Deduper {
    /// An empty index.
    ///
    /// ```
    /// let d = awal_prep::dedup::Deduper::new(&Default::default());
    /// assert_eq!(d.len(), 0);
    /// ```
    pub fn new(config: &DedupConfig) -> Self {
        Deduper {
            exact_on: config.exact,
            exact: FastSet::default(),
            bands: FastSet::default(),
            journal: None,
        }
    }

    /// `Some("exact" | "near")` when an earlier document had the same exact key or
    /// shares a band key; `None` otherwise. Either way the document's keys join the index.
    ///
    /// ```
    /// use awal_prep::dedup::{DedupKeys, Deduper};
    /// let mut d = Deduper::new(&Default::default());
    /// let a = DedupKeys { exact: 1, bands: vec![10, 11] };
    /// let b = DedupKeys { exact: 2, bands: vec![11, 12] };
    /// let c = DedupKeys { exact: 3, bands: vec![12, 13] };
    /// assert_eq!(d.check(&a), None);
    /// assert_eq!(d.check(&a), Some("exact"));
    /// assert_eq!(d.check(&b), Some("near"));
    /// // C shares a band only with B, which was dropped: still a near duplicate.
    /// assert_eq!(d.check(&c), Some("near"));
    /// ```
    pub fn check(&mut self, keys: &DedupKeys) -> Option<&'static str> {
        let seen_exact = self.exact_on && !self.insert_exact(keys.exact);
        let mut seen_band = false;
        for &band in &keys.bands {
            seen_band |= !self.insert_band(band);
        }
        if seen_exact {
            Some("exact")
        } else if seen_band {
            Some("near")
        } else {
            None
        }
    }

    fn insert_exact(&mut self, key: u128) -> bool {
        let new = self.exact.insert(key);
        if let (true, Some(j)) = (new, self.journal.as_mut()) {
            j.push(JOURNAL_EXACT);
            j.extend_from_slice(&key.to_le_bytes());
        }
        new
    }

    fn insert_band(&mut self, key: u64) -> bool {
        let new = self.bands.insert(key);
        if let (true, Some(j)) = (new, self.journal.as_mut()) {
            j.push(JOURNAL_BAND);
            j.extend_from_slice(&key.to_le_bytes());
        }
        new
    }

    /// Starts recording every key that enters the index, for [`take_journal`]
    /// (Self::take_journal): `--resume` restores the index from it, since the index
    /// holds the keys of dropped duplicates too and cannot be rebuilt from the shards.
    ///
    /// ```
    /// use awal_prep::dedup::{DedupKeys, Deduper};
    /// let mut d = Deduper::new(&Default::default()).with_journal();
    /// d.check(&DedupKeys { exact: 7, bands: vec![1, 2] });
    /// let journal = d.take_journal();
    /// let mut restored = Deduper::new(&Default::default());
    /// restored.replay(&journal)?;
    /// assert_eq!(restored.check(&DedupKeys { exact: 8, bands: vec![2] }), Some("near"));
    /// # Ok::<(), String>(())
    /// ```
    pub fn with_journal(mut self) -> Self {
        self.journal = Some(Vec::new());
        self
    }

    /// The keys recorded since the last call (empty without [`with_journal`]
    /// (Self::with_journal)).
    ///
    /// ```
    /// assert!(awal_prep::dedup::Deduper::new(&Default::default()).take_journal().is_empty());
    /// ```
    pub fn take_journal(&mut self) -> Vec<u8> {
        self.journal
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Re-inserts the keys of a journal written by [`take_journal`](Self::take_journal).
    /// Errors name the byte offset of a truncated or unknown entry.
    ///
    /// ```
    /// let mut d = awal_prep::dedup::Deduper::new(&Default::default());
    /// assert!(d.replay(&[9]).is_err());
    /// ```
    pub fn replay(&mut self, journal: &[u8]) -> Result<(), String> {
        let mut at = 0;
        while at < journal.len() {
            let tag = journal[at];
            let width = match tag {
                JOURNAL_EXACT => 16,
                JOURNAL_BAND => 8,
                _ => return Err(format!("unknown entry at byte {at}")),
            };
            let Some(bytes) = journal.get(at + 1..at + 1 + width) else {
                return Err(format!("truncated entry at byte {at}"));
            };
            if tag == JOURNAL_EXACT {
                let mut key = [0u8; 16];
                key.copy_from_slice(bytes);
                self.insert_exact(u128::from_le_bytes(key));
            } else {
                let mut key = [0u8; 8];
                key.copy_from_slice(bytes);
                self.insert_band(u64::from_le_bytes(key));
            }
            at += 1 + width;
        }
        Ok(())
    }

    /// Distinct exact keys in the index.
    ///
    /// ```
    /// assert_eq!(awal_prep::dedup::Deduper::new(&Default::default()).len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.exact.len()
    }

    /// Whether the index is empty.
    ///
    /// ```
    /// assert!(awal_prep::dedup::Deduper::new(&Default::default()).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.bands.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-level definition `normalize_into` implements on bytes.
    fn reference(text: &str) -> (String, usize, usize) {
        let mut out = String::new();
        let mut space = false;
        let (mut latin, mut other) = (0, 0);
        for c in text.chars() {
            if c.is_ascii_alphanumeric() {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                latin += usize::from(c.is_ascii_alphabetic());
                out.push(c.to_ascii_lowercase());
            } else if c.is_ascii() {
                space = true;
            } else if matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0660}'..='\u{0669}' | '\u{0671}'..='\u{06D3}' | '\u{2D30}'..='\u{2D6F}')
            {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                other += 1;
                out.push(c);
            } else if c == TATWEEL || is_mark(c) {
            } else if c.is_alphanumeric() {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                if matches!(c, '\u{00C0}'..='\u{02AF}' | '\u{1E00}'..='\u{1EFF}') {
                    latin += 1;
                } else if c.is_alphabetic() {
                    other += 1;
                }
                out.extend(c.to_lowercase());
            } else {
                space = true;
            }
        }
        (out, latin, other)
    }

    /// Many pseudo-random strings over an alphabet mixing every branch of the byte loop
    /// (ASCII, Arabic, tatweel, harakat, Tifinagh, other letters, marks).
    #[test]
    fn bytes_match_the_char_definition() {
        let alphabet: Vec<char> =
            "aZ09 ,.!?'Ééàçɣḍⴰⵣⵓⵍⵯواشنتآة٣ـًّ،؟😀Жγ\u{0323}\t\n-ۓڤۥۦ\u{06DD}\u{06E9}\u{06ED}\u{200D}"
                .chars()
                .collect();
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..5000 {
            let mut text = String::new();
            state = splitmix(state);
            for _ in 0..state % 40 {
                state = splitmix(state);
                text.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            let mut out = Vec::new();
            let (latin, other) = normalize_into(&text, &mut out);
            let (expected, l, o) = reference(&text);
            assert_eq!(
                String::from_utf8(out).unwrap_or_default(),
                expected,
                "{text:?}"
            );
            assert_eq!((latin, other), (l, o), "{text:?}");
        }
    }
}
