//! Turning text into hashed features: words, and the character n-grams inside them.
//!
//! A line is cut into **words** by the workspace's one word splitter,
//! [`awal_translit::normalize::words`]: maximal runs of letters of one script, Arabizi
//! digits inside a Latin word belong to it, apostrophes split elision. Each word yields
//! the hashes of its character 1- to 5-grams, padded with a boundary mark so that
//! prefixes and suffixes (`ال…`, `…ch`, `ⵜ…ⵜ`) are features of their own, plus one hash
//! for the whole word. Hashing (no vocabulary) keeps memory fixed and extraction
//! allocation-free: the caller receives bucket numbers through a closure.
//!
//! Characters are folded before hashing so that spelling noise does not split
//! evidence: Latin is lower-cased, Arabic harakat ([`is_haraka`]) and tatweel are
//! dropped, and the
//! look-alike letters of Tuareg and Tamazight orthographies are one letter (`ǝ` = `ə`,
//! `ǎ` = `ă`, Greek `γ` = `ɣ`).

use awal_translit::normalize::arabic::{is_haraka, TATWEEL};
pub use awal_translit::normalize::words::{words, Word};

/// Longest character n-gram used.
pub const MAX_NGRAM: usize = 5;
/// Longest word (in characters) that also gets a whole-word feature.
const MAX_WORD_FEATURE: usize = 24;
/// The boundary mark that pads every word.
const BOUNDARY: u32 = ' ' as u32;

/// Folds one character for hashing; `None` drops it (harakat, tatweel, joiners).
#[inline]
fn fold(c: char) -> Option<u32> {
    let cp = c as u32;
    if cp < 0x80 {
        return Some((c as u8).to_ascii_lowercase() as u32);
    }
    if c == TATWEEL || is_haraka(c) || matches!(c, '\u{200C}' | '\u{200D}') {
        return None;
    }
    match cp {
        // Look-alikes that Tuareg and Tamazight orthographies use for one letter:
        // turned e ǝ Ǝ for schwa ə, caron ǎ Ǎ for breve ă, Greek γ ε for ɣ ɛ.
        0x01DD | 0x018E | 0x018F => Some(0x0259),
        0x01CE | 0x01CD | 0x0102 => Some(0x0103),
        0x03B3 | 0x0393 => Some(0x0263),
        0x03B5 | 0x0395 => Some(0x025B),
        // Only Latin and Greek letters have case here; skip the Unicode case tables for
        // Arabic and Tifinagh.
        0x00C0..=0x024F | 0x0370..=0x03FF | 0x1E00..=0x1EFF if c.is_uppercase() => {
            c.to_lowercase().next().map(|l| l as u32)
        }
        _ => Some(cp),
    }
}

#[inline]
fn mix(h: u64, c: u32) -> u64 {
    (h.rotate_left(5) ^ c as u64).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// Seeds that separate the whole-word feature from the n-grams.
const NGRAM_SEED: u64 = 0x243f_6a88_85a3_08d3;
const WORD_SEED: u64 = 0x1319_8a2e_0370_7344;

/// The whole-word hash [`word_features`] uses, for looking words up (marker lists).
///
/// ```
/// use awal_lid::features::word_hash;
/// assert_eq!(word_hash("Dyal"), word_hash("dyal"));
/// ```
pub fn word_hash(word: &str) -> u64 {
    let whole = word.chars().filter_map(fold).fold(WORD_SEED, mix);
    mix(whole, BOUNDARY)
}

/// Calls `f` with the bucket (`0..1 << bits`) of every feature of one word, and returns
/// the word's [`word_hash`].
///
/// ```
/// use awal_lid::features::word_features;
/// let mut n = 0;
/// let hash = word_features("bzaf", 16, |_| n += 1);
/// // 6 padded characters: 6 unigrams + 5 bigrams + 4 + 3 + 2, and the whole word.
/// assert_eq!(n, 6 + 5 + 4 + 3 + 2 + 1);
/// assert_eq!(hash, awal_lid::features::word_hash("bzaf"));
/// ```
#[inline]
pub fn word_features(word: &str, bits: u32, mut f: impl FnMut(usize)) -> u64 {
    let shift = 64 - bits;
    // The last MAX_NGRAM characters, newest first; the n-grams ending at the newest
    // character are hashed from it backwards, each extending the previous one.
    let mut window = [BOUNDARY; MAX_NGRAM];
    let mut seen = 0usize;
    let mut whole = WORD_SEED;
    let mut length = 0usize;
    let folded = word.chars().filter_map(fold);
    for c in std::iter::once(BOUNDARY)
        .chain(folded)
        .chain(std::iter::once(BOUNDARY))
    {
        if seen > 0 && c != BOUNDARY {
            whole = mix(whole, c);
            length += 1;
        }
        window.copy_within(..MAX_NGRAM - 1, 1);
        window[0] = c;
        seen += 1;
        let mut h = NGRAM_SEED;
        for &c in &window[..seen.min(MAX_NGRAM)] {
            h = mix(h, c);
            f((h >> shift) as usize);
        }
    }
    let whole = mix(whole, BOUNDARY);
    if length <= MAX_WORD_FEATURE {
        f((whole >> shift) as usize);
    }
    whole
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn harakat_do_not_change_features() {
        let collect = |w: &str| {
            let mut v = Vec::new();
            word_features(w, 18, |b| v.push(b));
            v
        };
        assert_eq!(collect("مَرْحَبًا"), collect("مرحبا"));
        assert_eq!(collect("Salam"), collect("salam"));
    }
}
