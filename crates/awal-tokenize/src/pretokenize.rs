//! Script-aware pre-tokenization: where a subword model may not merge across.
//!
//! The rules, as one regex that both Oniguruma (Python `tokenizers`) and `fancy-regex`
//! (Rust `tokenizers`, and this module) read the same way:
//!
//! * French elision splits off its article: `l'école` → `l'` `école`, `qu'il` → `qu'` `il`.
//! * A Latin word keeps the digits inside it, so Arabizi stays whole: `3lach`, `m3a`.
//! * Arabic-script words are runs of Arabic letters and marks: clitics (`و`, `ال`, `ب`)
//!   stay attached, because splitting them is a linguistic decision a model can learn.
//! * Tifinagh words are runs of Tifinagh characters, so ⵯ stays on its consonant.
//! * A word takes the single space before it (` word`), as GPT-2 style byte-level BPE does.
//! * Free-standing numbers split into groups of at most three digits.
//!
//! The exported stock pre-tokenizer is `Sequence[Split(PATTERN, Isolated),
//! ByteLevel(use_regex = false)]`.
//!
//! ```
//! use awal_tokenize::pretokenize::pieces;
//! assert_eq!(
//!     pieces("l'école 3lach ⴰⴳⵯⵎⴰⵔ والدار"),
//!     ["l'", "école", " 3lach", " ⴰⴳⵯⵎⴰⵔ", " والدار"]
//! );
//! ```

use std::sync::OnceLock;

use fancy_regex::Regex;
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::pre_tokenizers::sequence::Sequence;
use tokenizers::pre_tokenizers::split::{Split, SplitPattern};
use tokenizers::{PreTokenizerWrapper, SplitDelimiterBehavior};

/// The pre-tokenizer regex. Leftmost-first alternation: elision before Latin words, so
/// `l'` wins at a word start, while `aujourd'hui` (no match at `a`) stays a Latin word.
pub const PATTERN: &str = concat!(
    r" ?(?i:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)'",
    r"| ?\p{N}*\p{Latin}[\p{Latin}\p{M}\p{N}]*",
    r"| ?[\p{Arabic}\p{M}]+",
    r"| ?[\p{Tifinagh}\p{M}]+",
    r"| ?\p{L}[\p{L}\p{M}]*",
    r"|\p{N}{1,3}",
    r"| ?[^\s\p{L}\p{N}]+",
    r"|\s+",
);

fn regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // The pattern is a constant checked by the tests; it cannot fail to compile.
    RE.get_or_init(|| Regex::new(PATTERN).expect("PATTERN compiles"))
}

/// Splits `text` into pre-tokens (byte ranges), exactly as the stock `Split` with
/// `Isolated` behaviour does: matches and the gaps between them, in order.
///
/// ```
/// use awal_tokenize::pretokenize::split_ranges;
/// assert_eq!(split_ranges("salam khoya"), [0..5, 5..11]);
/// ```
pub fn split_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut last = 0;
    for m in regex().find_iter(text).flatten() {
        if m.start() > last {
            out.push(last..m.start());
        }
        if m.end() > m.start() {
            out.push(m.start()..m.end());
        }
        last = m.end();
    }
    if last < text.len() {
        out.push(last..text.len());
    }
    out
}

/// The pre-tokens of `text` as string slices.
///
/// ```
/// use awal_tokenize::pretokenize::pieces;
/// assert_eq!(pieces("c'est m3a khoya"), ["c'", "est", " m3a", " khoya"]);
/// ```
pub fn pieces(text: &str) -> Vec<&str> {
    split_ranges(text).into_iter().map(|r| &text[r]).collect()
}

/// The stock pre-tokenizer: the split above, then GPT-2 byte-level mapping.
///
/// ```
/// let pt = awal_tokenize::pretokenize::to_stock()?;
/// assert!(serde_json::to_string(&pt)?.contains("ByteLevel"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_stock() -> Result<PreTokenizerWrapper, crate::Error> {
    let split = Split::new(
        SplitPattern::Regex(PATTERN.to_string()),
        SplitDelimiterBehavior::Isolated,
        false,
    )
    .map_err(|e| crate::Error::Stock(e.to_string()))?;
    Ok(Sequence::new(vec![
        split.into(),
        ByteLevel::new(false, true, false).into(),
    ])
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_examples() {
        let cases: &[(&str, &[&str])] = &[
            ("3lach", &["3lach"]),
            ("wach nta m3a 7ta", &["wach", " nta", " m3a", " 7ta"]),
            ("l'école", &["l'", "école"]),
            (
                "jusqu'à aujourd'hui",
                &["jusqu'", "à", " aujourd", "'", "hui"],
            ),
            ("ⴰⴳⵯⵎⴰⵔ ⵏ ⵓⵎⴰⵣⵉⵖ", &["ⴰⴳⵯⵎⴰⵔ", " ⵏ", " ⵓⵎⴰⵣⵉⵖ"]),
            ("وبالدار ديالو", &["وبالدار", " ديالو"]),
            ("2024, 12345", &["202", "4", ",", " ", "123", "45"]),
        ];
        for (text, want) in cases {
            assert_eq!(pieces(text), *want, "{text}");
        }
    }

    #[test]
    fn pieces_cover_the_text() {
        let text = "salam khoya, ça va? غادي نمشي للدار ⴰⵣⵓⵍ  !!\n";
        assert_eq!(pieces(text).concat(), text);
    }
}
