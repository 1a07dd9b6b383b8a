//! Reading parallel Latin/Arabic lists for training.
//!
//! A pairs file is UTF-8 TSV with at least two columns, one in Latin script (Arabizi) and
//! one in Arabic script; further columns (a source, a gloss) are ignored. Which column is
//! which is read from the text itself, so both `latin<TAB>arabic` (DODa) and the project
//! lexicons' `arabic<TAB>latin|latin|…` load unchanged:
//!
//! * a first row with no Arabic letter in its first two columns is a header, and skipped;
//! * in the Latin column, `|` separates spelling variants of the same word;
//! * blank lines and lines starting with `#` are skipped;
//! * a row with fewer than two columns or an empty column is an error naming
//!   `FILE:LINE`; a row with no Arabic-script column (or two) is skipped and counted, since
//!   large crawled lists hold a few of them.
//!
//! ```
//! use awal_translit::arabizi::parse_pairs;
//!
//! let text = "latin\tarabic\n3lach\tعلاش\nkhobz|5obz\tخبز\n";
//! let pairs = parse_pairs(text, "mine.tsv").unwrap();
//! assert_eq!(pairs.pairs.len(), 3);
//! assert_eq!(pairs.pairs[2].latin, "5obz");
//! assert!(parse_pairs("oops\n", "x.tsv").unwrap_err().to_string().starts_with("x.tsv:1:"));
//! ```

use crate::script::{classify, CharClass, Script};
use crate::Error;

/// One Latin/Arabic pair: a word, a phrase or a sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainPair {
    /// The Arabizi side.
    pub latin: String,
    /// The Arabic-script side.
    pub arabic: String,
    /// Whether the pair comes from a sentence list (a file whose pairs average more
    /// than 1.5 words): such lists are often transliterated letter by letter, so their
    /// words train the rules and the character model with less weight and never enter
    /// the lexicon.
    pub sentence: bool,
    /// How much the pair counts when the candidate rules are learned (1 by default).
    /// The built-in model learns its rules mostly from careful spellings (every vowel
    /// letter written), and only a little from the casual spellings of its lexicon.
    pub rule_weight: f32,
    /// Whether the pair only teaches the candidate rules: a spelling example that must
    /// not enter the lexicon or the character model (see this crate's `lexicons/make_forms.py`).
    pub rules_only: bool,
    /// How much the pair counts in the lexicon (1 by default). Where two lists spell the
    /// same Latin word differently, the higher count wins: the built-in model gives its
    /// Standard Arabic words less than its Darija ones, so that `hada` stays هادا while
    /// `hatha` is هذا.
    pub lexicon_weight: f32,
    /// Whether the pair only teaches Latin -> Arabic: its lexicon entry is not used
    /// Arabic -> Latin and its Latin spelling stays out of the Latin character model. The
    /// built-in model reads Standard Arabic words typed in Latin but writes Arabic script
    /// back as Darija chat (هذا stays `hada`, not `hatha`).
    pub forward_only: bool,
}

impl Default for TrainPair {
    fn default() -> Self {
        TrainPair {
            latin: String::new(),
            arabic: String::new(),
            sentence: false,
            rule_weight: 1.0,
            rules_only: false,
            lexicon_weight: 1.0,
            forward_only: false,
        }
    }
}

impl TrainPair {
    /// A word-list pair.
    ///
    /// ```
    /// let p = awal_translit::arabizi::TrainPair::new("3lach", "علاش");
    /// assert!(!p.sentence);
    /// ```
    pub fn new(latin: &str, arabic: &str) -> TrainPair {
        TrainPair {
            latin: latin.to_string(),
            arabic: arabic.to_string(),
            ..TrainPair::default()
        }
    }
}

/// What a pairs file held.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pairs {
    /// The usable pairs, in file order (one per Latin spelling variant).
    pub pairs: Vec<TrainPair>,
    /// Rows skipped because no column (or both) were in Arabic script.
    pub skipped: usize,
    /// Whether the first row was taken for a header.
    pub header: bool,
}

/// Whether `text` holds an Arabic letter.
pub(crate) fn has_arabic(text: &str) -> bool {
    text.chars()
        .any(|c| classify(c) == CharClass::Letter(Script::Arab))
}

/// Parses a pairs file (see the [module docs](self)); `origin` names it in errors.
pub fn parse_pairs(text: &str, origin: &str) -> Result<Pairs, Error> {
    let mut out = Pairs::default();
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut first_row = true;
    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let fail = |reason: &str| Error::Pairs {
            origin: origin.to_string(),
            line,
            reason: reason.to_string(),
        };
        let mut cols = raw.split('\t');
        let (Some(a), Some(b)) = (cols.next(), cols.next()) else {
            return Err(fail(
                "expected at least 2 tab-separated columns (latin, arabic)",
            ));
        };
        let (a, b) = (a.trim(), b.trim());
        let (a_arabic, b_arabic) = (has_arabic(a), has_arabic(b));
        if first_row {
            first_row = false;
            if !a_arabic && !b_arabic {
                out.header = true;
                continue;
            }
        }
        if a.is_empty() || b.is_empty() {
            return Err(fail("empty column"));
        }
        let (latin, arabic) = match (a_arabic, b_arabic) {
            (false, true) => (a, b),
            (true, false) => (b, a),
            _ => {
                out.skipped += 1;
                continue;
            }
        };
        for variant in latin.split('|').map(str::trim).filter(|v| !v.is_empty()) {
            out.pairs.push(TrainPair::new(variant, arabic));
        }
    }
    let words: usize = out
        .pairs
        .iter()
        .map(|p| p.latin.split_whitespace().count())
        .sum();
    if words * 2 > out.pairs.len() * 3 {
        for pair in &mut out.pairs {
            pair.sentence = true;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_script_and_headers_skipped() {
        let lexicon = "arabic\tlatin\tpos\tgloss\nخبز\tkhobz|5obz\tnoun\tbread\n";
        let got = parse_pairs(lexicon, "lex").unwrap();
        assert!(got.header);
        assert_eq!(got.pairs.len(), 2);
        assert_eq!(got.pairs[0].arabic, "خبز");
        let headless = parse_pairs("3lach\tعلاش\n", "x").unwrap();
        assert!(!headless.header);
        assert_eq!(headless.pairs.len(), 1);
    }

    #[test]
    fn bad_rows_name_their_line() {
        let err = parse_pairs("latin\tarabic\n3lach\tعلاش\nbroken\n", "p.tsv").unwrap_err();
        assert!(err.to_string().starts_with("p.tsv:3:"), "{err}");
        let err = parse_pairs("a\tb\n\tعلاش\n", "p.tsv").unwrap_err();
        assert!(err.to_string().contains("p.tsv:2: empty column"), "{err}");
        let skipped = parse_pairs("a\tb\nfoo\tbar\n", "p.tsv").unwrap();
        assert_eq!((skipped.pairs.len(), skipped.skipped), (0, 1));
    }
}
