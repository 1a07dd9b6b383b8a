//! Gopher-style repetition rules (Rae et al. 2021, as in datatrove's `GopherRepetitionFilter`).
//!
//! * duplicated lines and paragraphs: by count and by share of the text;
//! * the most frequent 2-, 3-, 4-gram: share of the text it covers;
//! * duplicated 5- to 10-grams: share of the text they cover.
//!
//! Two deliberate changes, both because Moroccan documents are short:
//!
//! * the top n-gram rule only counts an n-gram that occurs **at least twice**. Gopher
//!   counts the top n-gram even when it occurs once, so any document of fewer than about
//!   ten words fails it: that alone drops most social-media Darija;
//! * shares are measured in bytes of UTF-8 rather than characters. Within one script the
//!   ratio is the same; it avoids a second pass to count characters.
//!
//! Duplicated 6- to 10-grams are only looked for when some 5-gram repeats: a repeated
//! longer n-gram contains a repeated 5-gram, so clean text pays for one pass, not six.
//! N-grams are compared by 64-bit hashes of their words.

use xxhash_rust::xxh3::xxh3_64;

use super::{DocView, Filter, Verdict};
use crate::config::FilterConfig;
use crate::hashing::{mix, FastMap, FastSet};

/// Gopher repetition thresholds.
///
/// ```
/// use awal_prep::filter::{DocView, Filter, Verdict, repetition::Repetition};
/// use awal_prep::lid::{LangGuess, ScriptProfile};
/// let t = "3afak 3tini lma\n3afak 3tini lma\n3afak 3tini lma\nshukran";
/// let (p, g) = (ScriptProfile::of(t), LangGuess { lang: "und_Latn".into(), score: 1.0 });
/// assert_eq!(Repetition::new(&Default::default()).check(&DocView::new(t, &p, &g)), Verdict::Drop("dup_lines"));
/// ```
pub struct Repetition {
    dup_line: f64,
    dup_line_chars: f64,
    dup_para: f64,
    dup_para_chars: f64,
    top_ngram: [f64; 3],
    dup_ngram: [f64; 6],
}

impl Repetition {
    /// From the filter configuration.
    ///
    /// ```
    /// let _ = awal_prep::filter::repetition::Repetition::new(&Default::default());
    /// ```
    pub fn new(c: &FilterConfig) -> Self {
        Repetition {
            dup_line: c.max_dup_line_fraction,
            dup_line_chars: c.max_dup_line_char_fraction,
            dup_para: c.max_dup_para_fraction,
            dup_para_chars: c.max_dup_para_char_fraction,
            top_ngram: c.max_top_ngram_fraction,
            dup_ngram: c.max_dup_ngram_fraction,
        }
    }
}

/// (duplicated elements, bytes in them) among non-empty pieces.
fn duplicates<'a>(pieces: impl Iterator<Item = &'a str>) -> (usize, usize, usize) {
    let mut seen: FastSet<u64> = FastSet::default();
    let (mut total, mut dups, mut dup_bytes) = (0, 0, 0);
    for p in pieces {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        total += 1;
        if !seen.insert(xxh3_64(p.as_bytes())) {
            dups += 1;
            dup_bytes += p.len();
        }
    }
    (total, dups, dup_bytes)
}

impl Filter for Repetition {
    fn name(&self) -> &'static str {
        "repetition"
    }

    fn check(&self, doc: &DocView<'_>) -> Verdict {
        let text = doc.text;
        let total = text.len().max(1) as f64;
        if text.contains('\n') {
            let paragraphs = duplicates(text.split("\n\n"));
            let limits = (self.dup_para, self.dup_para_chars);
            let reasons = ("dup_paragraphs", "dup_paragraph_chars");
            if let Some(reason) = too_repetitive(paragraphs, total, limits, reasons) {
                return Verdict::Drop(reason);
            }
            let lines = duplicates(text.split('\n'));
            let limits = (self.dup_line, self.dup_line_chars);
            if let Some(reason) =
                too_repetitive(lines, total, limits, ("dup_lines", "dup_line_chars"))
            {
                return Verdict::Drop(reason);
            }
        }
        let words = &doc.words;
        if words.len() < 4 {
            return Verdict::Keep;
        }
        let hashes: Vec<u64> = words.iter().map(|w| xxh3_64(w.as_bytes())).collect();
        let lens: Vec<usize> = words.iter().map(|w| w.len()).collect();

        const TOP: [&str; 3] = ["top_2gram", "top_3gram", "top_4gram"];
        // Sized once for the most n-grams a pass can see, so the table never grows.
        let mut counts: FastMap<u64, (u32, usize)> =
            FastMap::with_capacity_and_hasher(words.len(), Default::default());
        for (k, n) in (2..=4).enumerate() {
            if words.len() < n {
                break;
            }
            counts.clear();
            let mut best = 0usize;
            for i in 0..=words.len() - n {
                let h = hashes[i..i + n].iter().fold(n as u64, |h, &x| mix(h, x));
                let entry = counts.entry(h).or_insert((0, i));
                entry.0 += 1;
                if entry.0 >= 2 {
                    let first = entry.1;
                    // Bytes of the n-gram with single spaces, times its count.
                    let len: usize = lens[first..first + n].iter().sum::<usize>() + n - 1;
                    best = best.max(len * entry.0 as usize);
                }
            }
            if best as f64 / total > self.top_ngram[k] {
                return Verdict::Drop(TOP[k]);
            }
            if best == 0 {
                // No 2-gram repeats, so no longer n-gram can.
                return Verdict::Keep;
            }
        }

        const DUP: [&str; 6] = [
            "dup_5gram",
            "dup_6gram",
            "dup_7gram",
            "dup_8gram",
            "dup_9gram",
            "dup_10gram",
        ];
        let mut seen: FastSet<u64> =
            FastSet::with_capacity_and_hasher(words.len(), Default::default());
        for (k, n) in (5..=10).enumerate() {
            if words.len() < n {
                break;
            }
            seen.clear();
            let mut repeated = 0usize;
            let mut i = 0;
            while i + n <= words.len() {
                let h = hashes[i..i + n].iter().fold(n as u64, |h, &x| mix(h, x));
                if seen.insert(h) {
                    i += 1;
                } else {
                    repeated += lens[i..i + n].iter().sum::<usize>();
                    i += n;
                }
            }
            if repeated as f64 / total > self.dup_ngram[k] {
                return Verdict::Drop(DUP[k]);
            }
            if repeated == 0 {
                break;
            }
        }
        Verdict::Keep
    }
}

/// Gopher's rule for repeated units (lines or paragraphs): too large a share of the units,
/// or of the text's bytes, are duplicates. `(units, duplicate units, duplicate bytes)`.
fn too_repetitive(
    (units, dups, bytes): (usize, usize, usize),
    total: f64,
    (max_share, max_chars): (f64, f64),
    (share_reason, chars_reason): (&'static str, &'static str),
) -> Option<&'static str> {
    if units <= 1 {
        None
    } else if dups as f64 / units as f64 > max_share {
        Some(share_reason)
    } else if bytes as f64 / total > max_chars {
        Some(chars_reason)
    } else {
        None
    }
}
