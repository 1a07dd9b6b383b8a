//! Scoring a conversion against a gold list: exact match, character error rate, worst
//! errors. Pure computation; reading the gold file is the caller's job.
//!
//! The character error rate is the total Levenshtein distance, in Unicode scalar values,
//! between what was produced and what was expected, divided by the total length of the
//! expected texts — the usual CER of OCR and speech recognition.
//!
//! ```
//! use awal_translit::eval::{Evaluation, Pair};
//!
//! let mut eval = Evaluation::default();
//! eval.add(Pair { line: 2, source: "ⴰⵣⵓⵍ".into(), expected: "azul".into(), got: "azul".into() });
//! eval.add(Pair { line: 3, source: "ⴰⵡⴰⵍ".into(), expected: "awal".into(), got: "awel".into() });
//! let report = eval.report(20);
//! assert_eq!(report.lines, 2);
//! assert_eq!(report.exact, 1);
//! assert!((report.cer - 1.0 / 8.0).abs() < 1e-9);
//! assert_eq!(report.worst[0].line, 3);
//! ```

use std::collections::{BTreeMap, HashMap};

use crate::normalize::arabic::{is_haraka, ALEF_VARIANTS, TATWEEL};
use crate::Error;
use serde::Serialize;

/// One gold item with the system's output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pair {
    /// 1-based line in the gold file.
    pub line: usize,
    /// The input text.
    pub source: String,
    /// The gold output.
    pub expected: String,
    /// What the conversion produced.
    pub got: String,
}

/// A scored error, for the list of worst errors.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scored {
    /// 1-based line in the gold file.
    pub line: usize,
    /// The input text.
    pub source: String,
    /// The gold output.
    pub expected: String,
    /// What the conversion produced.
    pub got: String,
    /// Character edit distance between `got` and `expected`.
    pub distance: usize,
    /// `distance` divided by the length of `expected` (1.0 for an empty gold).
    pub rate: f64,
}

/// Accumulates pairs and produces a [`Report`].
#[derive(Clone, Debug, Default)]
pub struct Evaluation {
    errors: Vec<Scored>,
    lines: usize,
    exact: usize,
    distance: usize,
    reference_chars: usize,
    categories: BTreeMap<&'static str, usize>,
    /// Equivalent spellings, when the evaluation also scores variant-aware accuracy.
    variants: Option<Variants>,
    variant_exact: usize,
}

/// Summary figures of an evaluation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Number of gold items scored.
    pub lines: usize,
    /// Items whose output equals the gold exactly.
    pub exact: usize,
    /// `exact / lines` (0 when there are no lines).
    pub accuracy: f64,
    /// Total character edit distance.
    pub char_errors: usize,
    /// Total characters in the gold outputs.
    pub reference_chars: usize,
    /// Character error rate: `char_errors / reference_chars`.
    pub cer: f64,
    /// The worst errors, by edit distance then rate, then line.
    pub worst: Vec<Scored>,
    /// Wrong items per kind of error (see [`error_categories`]); an item with several
    /// kinds counts in each.
    pub categories: BTreeMap<&'static str, usize>,
    /// With a [`Variants`] table: items whose every word is the gold word or a listed
    /// variant of it (the exact matches included).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant_exact: Option<usize>,
    /// `variant_exact / lines`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant_accuracy: Option<f64>,
}

impl Evaluation {
    /// An evaluation that also counts an item right when each of its words is the gold
    /// word or one of its listed variants (reported beside the strict figures).
    pub fn with_variants(variants: Variants) -> Self {
        Self {
            variants: Some(variants),
            ..Self::default()
        }
    }

    /// Scores one pair.
    pub fn add(&mut self, pair: Pair) {
        self.lines += 1;
        let expected_len = pair.expected.chars().count();
        self.reference_chars += expected_len;
        if pair.got == pair.expected {
            self.exact += 1;
            self.variant_exact += 1;
            return;
        }
        if self
            .variants
            .as_ref()
            .is_some_and(|v| v.equivalent(&pair.got, &pair.expected))
        {
            self.variant_exact += 1;
        }
        let distance = strsim::levenshtein(&pair.got, &pair.expected);
        self.distance += distance;
        for category in error_categories(&pair.expected, &pair.got) {
            *self.categories.entry(category).or_insert(0) += 1;
        }
        self.errors.push(Scored {
            rate: if expected_len == 0 {
                1.0
            } else {
                distance as f64 / expected_len as f64
            },
            distance,
            line: pair.line,
            source: pair.source,
            expected: pair.expected,
            got: pair.got,
        });
    }

    /// The summary, with at most `worst` errors listed.
    pub fn report(mut self, worst: usize) -> Report {
        self.errors.sort_by(|a, b| {
            b.distance
                .cmp(&a.distance)
                .then(b.rate.total_cmp(&a.rate))
                .then(a.line.cmp(&b.line))
        });
        self.errors.truncate(worst);
        Report {
            lines: self.lines,
            exact: self.exact,
            accuracy: ratio(self.exact, self.lines),
            char_errors: self.distance,
            reference_chars: self.reference_chars,
            cer: ratio(self.distance, self.reference_chars),
            worst: self.errors,
            categories: self.categories,
            variant_exact: self.variants.is_some().then_some(self.variant_exact),
            variant_accuracy: self
                .variants
                .is_some()
                .then(|| ratio(self.variant_exact, self.lines)),
        }
    }
}

/// Sets of spellings that count as the same word, for a language without one standard
/// spelling: Darija writes `دابا` and `دبا`, `عافاك` and `عفاك` alike.
///
/// The table is text: one set per line, its spellings separated by tabs; `#` starts a
/// comment line; blank lines are skipped. Equivalence is transitive: a spelling listed on
/// two lines joins their sets.
///
/// ```
/// use awal_translit::eval::Variants;
/// let v = Variants::parse("# demo\nدابا\tدبا\nعافاك\tعفاك\n", "demo", |w| w.to_string())?;
/// assert!(v.equivalent("دبا عفاك", "دابا عافاك"));
/// assert!(!v.equivalent("دبا", "عافاك"));
/// assert!(!v.equivalent("دبا عفاك", "دابا"));
/// # Ok::<(), awal_translit::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Variants {
    /// Each listed spelling and the number of its set.
    set_of: HashMap<String, usize>,
    sets: usize,
}

impl Variants {
    /// Parses a table; `normalize` is applied to each spelling first (the same
    /// normalisation the scored texts get, so that the table matches them).
    pub fn parse(
        text: &str,
        origin: &str,
        normalize: impl Fn(&str) -> String,
    ) -> Result<Self, Error> {
        let mut variants = Self::default();
        for (index, line) in text.lines().enumerate() {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let error = |reason: String| Error::Variants {
                origin: origin.to_string(),
                line: index + 1,
                reason,
            };
            let mut spellings = Vec::new();
            for field in trimmed.split('\t') {
                let word = field.trim();
                if word.is_empty() {
                    return Err(error("an empty spelling (two tabs in a row?)".into()));
                }
                if word.contains(char::is_whitespace) {
                    return Err(error(format!(
                        "`{word}` has a space: list single words, separated by tabs"
                    )));
                }
                spellings.push(normalize(word));
            }
            if spellings.len() < 2 {
                return Err(error(format!(
                    "`{trimmed}` lists one spelling: a set needs two or more, tab-separated"
                )));
            }
            variants.add_set(&spellings);
        }
        Ok(variants)
    }

    /// Adds one set, merging it with every set that already holds one of its spellings.
    fn add_set(&mut self, spellings: &[String]) {
        let joined: Vec<usize> = spellings
            .iter()
            .filter_map(|w| self.set_of.get(w).copied())
            .collect();
        let set = joined.iter().copied().min().unwrap_or_else(|| {
            self.sets += 1;
            self.sets
        });
        for id in self.set_of.values_mut() {
            if joined.contains(id) {
                *id = set;
            }
        }
        for word in spellings {
            self.set_of.insert(word.clone(), set);
        }
    }

    /// Whether two spellings are the same word or listed in one set.
    pub fn same_word(&self, a: &str, b: &str) -> bool {
        a == b
            || matches!(
                (self.set_of.get(a), self.set_of.get(b)),
                (Some(x), Some(y)) if x == y
            )
    }

    /// Whether `got` has as many words as `expected` and each is the same word as the
    /// gold one at its place.
    pub fn equivalent(&self, got: &str, expected: &str) -> bool {
        let (mut got, mut expected) = (got.split_whitespace(), expected.split_whitespace());
        loop {
            match (got.next(), expected.next()) {
                (None, None) => return true,
                (Some(a), Some(b)) if self.same_word(a, b) => {}
                _ => return false,
            }
        }
    }

    /// How many spellings the table lists.
    pub fn len(&self) -> usize {
        self.set_of.len()
    }

    /// Whether the table lists nothing.
    pub fn is_empty(&self) -> bool {
        self.set_of.is_empty()
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Normalises Arabic-script text for scoring, as the Darija transliteration literature
/// does: harakat ([`is_haraka`], shadda included) and tatweel removed; أ إ آ ٱ -> ا; ى -> ي; ة -> ه; ؤ ئ -> ء;
/// punctuation removed; runs of white space collapsed to one space. Latin text only
/// loses its punctuation.
///
/// ```
/// use awal_translit::eval::normalize_arabic;
/// assert_eq!(normalize_arabic("أَنَا مْشِيتْ لِلْمَدْرَسَة!"), "انا مشيت للمدرسه");
/// assert_eq!(normalize_arabic("إلى  مسؤول، سيّارة"), "الي مسءول سياره");
/// ```
pub fn normalize_arabic(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let mapped = match c {
            c if c == TATWEEL || is_haraka(c) => continue,
            c if ALEF_VARIANTS.contains(&c) => 'ا',
            'ى' => 'ي',
            'ة' => 'ه',
            'ؤ' | 'ئ' => 'ء',
            c if c.is_whitespace() => {
                space = !out.is_empty();
                continue;
            }
            c if is_punctuation(c) => continue,
            c => c,
        };
        if space {
            out.push(' ');
            space = false;
        }
        out.push(mapped);
    }
    out
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '،' | '؛'
                | '؟'
                | '٪'
                | '٫'
                | '٬'
                | '۔'
                | '«'
                | '»'
                | '…'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '–'
                | '—'
                | '¿'
                | '¡'
        )
}

/// Kinds of error between a gold text and an output, from a character alignment:
///
/// * `vowel letter` — ا و ي ى (or Latin a e i o u) missing, extra or swapped;
/// * `hamza` — ء أ إ آ ئ ؤ (or Latin 2);
/// * `emphatic` — a plain/emphatic pair confused (ت/ط, د/ض, س/ص, ز/ظ, ه/ح, ك/ق;
///   in Latin, case of t d s z h);
/// * `ending` — ة ه ا ى at the end of a word;
/// * `doubling` — shadda or a doubled letter;
/// * `article` — ال at the start of a word;
/// * `left in Latin` — the output still has ASCII letters or digits where gold has none;
/// * `length` — different number of words;
/// * `consonant` — any other letter.
///
/// ```
/// use awal_translit::eval::error_categories;
/// assert_eq!(error_categories("مدرسة", "مدرسا"), vec!["ending"]);
/// assert_eq!(error_categories("طاجين", "تاجين"), vec!["emphatic"]);
/// assert!(error_categories("same", "same").is_empty());
/// ```
pub fn error_categories(expected: &str, got: &str) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    let mut add = |c: &'static str| {
        if !found.contains(&c) {
            found.push(c);
        }
    };
    if expected == got {
        return Vec::new();
    }
    let e_words: Vec<&str> = expected.split_whitespace().collect();
    let g_words: Vec<&str> = got.split_whitespace().collect();
    if e_words.len() != g_words.len() {
        add("length");
    }
    if got.chars().any(|c| c.is_ascii_alphanumeric())
        && !expected.chars().any(|c| c.is_ascii_alphanumeric())
    {
        add("left in Latin");
    }
    for (e, g) in e_words.iter().zip(&g_words) {
        if e != g {
            word_categories(e, g, &mut add);
        }
    }
    found
}

fn word_categories(expected: &str, got: &str, add: &mut impl FnMut(&'static str)) {
    let e: Vec<char> = expected.chars().collect();
    let g: Vec<char> = got.chars().collect();
    if e.starts_with(&['ا', 'ل']) != g.starts_with(&['ا', 'ل']) {
        add("article");
    }
    for (i, a, b) in edits(&e, &g) {
        let at_end = i + 1 >= e.len();
        let category = match (a, b) {
            (Some(x), Some(y)) if is_emphatic_pair(x, y) => "emphatic",
            (x, y) if [x, y].iter().flatten().any(|&c| is_hamza(c)) => "hamza",
            (x, y) if at_end && [x, y].iter().flatten().any(|&c| "ةهاىae".contains(c)) => {
                "ending"
            }
            (x, y) if [x, y].iter().flatten().any(|&c| c == '\u{0651}') => "doubling",
            (x, None) | (None, x) if x.is_some_and(|c| doubled_at(&e, &g, c)) => "doubling",
            (x, y) if [x, y].iter().flatten().any(|&c| is_vowel_letter(c)) => "vowel letter",
            _ => "consonant",
        };
        add(category);
    }
}

fn doubled_at(e: &[char], g: &[char], c: char) -> bool {
    let twice = |s: &[char]| s.windows(2).any(|w| w[0] == c && w[1] == c);
    twice(e) != twice(g)
}

fn is_vowel_letter(c: char) -> bool {
    "اويىaeiou".contains(c)
}

fn is_hamza(c: char) -> bool {
    "ءأإآئؤ2".contains(c)
}

fn is_emphatic_pair(a: char, b: char) -> bool {
    const PAIRS: [(char, char); 6] = [
        ('ت', 'ط'),
        ('د', 'ض'),
        ('س', 'ص'),
        ('ز', 'ظ'),
        ('ه', 'ح'),
        ('ك', 'ق'),
    ];
    PAIRS
        .iter()
        .any(|&(x, y)| (a, b) == (x, y) || (a, b) == (y, x))
        || (a != b && a.eq_ignore_ascii_case(&b))
}

/// The edit operations of a minimal alignment: (index in `e`, gold char, output char),
/// with `None` for an insertion or deletion. `strsim` gives only the distance, and the
/// error categories need the operations, so this keeps the full table to walk it back;
/// the distance awal reports is always `strsim::levenshtein`, and a test pins that the
/// two agree.
fn edits(e: &[char], g: &[char]) -> Vec<(usize, Option<char>, Option<char>)> {
    let (n, m) = (e.len(), g.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let sub = d[i - 1][j - 1] + usize::from(e[i - 1] != g[j - 1]);
            d[i][j] = sub.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
        }
    }
    let mut ops = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + usize::from(e[i - 1] != g[j - 1]) {
            if e[i - 1] != g[j - 1] {
                ops.push((i - 1, Some(e[i - 1]), Some(g[j - 1])));
            }
            i -= 1;
            j -= 1;
        } else if i > 0 && d[i][j] == d[i - 1][j] + 1 {
            ops.push((i - 1, Some(e[i - 1]), None));
            i -= 1;
        } else {
            ops.push((i.saturating_sub(1), None, Some(g[j - 1])));
            j -= 1;
        }
    }
    ops.reverse();
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The alignment behind the error categories is a minimal one: as many operations as
    /// strsim's Levenshtein distance, the one awal reports.
    #[test]
    fn the_alignment_has_as_many_edits_as_the_distance() {
        for (a, b) in [
            ("", ""),
            ("", "abc"),
            ("salam", "slam"),
            ("3lach", "3lache"),
            ("kitten", "sitting"),
            ("مدرسة", "المدرسه"),
            ("ⴰⵣⵓⵍ", "azul"),
        ] {
            let (e, g): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            assert_eq!(edits(&e, &g).len(), strsim::levenshtein(a, b), "{a} / {b}");
        }
    }

    fn pair(line: usize, expected: &str, got: &str) -> Pair {
        Pair {
            line,
            source: String::new(),
            expected: expected.into(),
            got: got.into(),
        }
    }

    #[test]
    fn variant_aware_accuracy_counts_listed_spellings_and_nothing_else() {
        let table = "# test\nدابا\tدبا\nماعرفتش\tمعرفتش\n";
        let variants = Variants::parse(table, "t", normalize_arabic).unwrap();
        let mut eval = Evaluation::with_variants(variants);
        eval.add(pair(2, "دابا نمشي", "دابا نمشي")); // exact
        eval.add(pair(3, "دابا نمشي", "دبا نمشي")); // a listed variant
        eval.add(pair(4, "ماعرفتش", "معرفتش")); // a listed variant
        eval.add(pair(5, "دابا نمشي", "دبا نمشيو")); // a variant, but another word is wrong
        eval.add(pair(6, "دابا", "دبا نمشي")); // a word too many
        let report = eval.report(10);
        assert_eq!(report.exact, 1);
        assert_eq!(report.variant_exact, Some(3));
        assert!((report.variant_accuracy.unwrap() - 0.6).abs() < 1e-9);
        // Strict figures do not move: the variant-correct items stay errors there.
        assert_eq!(report.worst.len(), 4);
        assert_eq!(Evaluation::default().report(0).variant_accuracy, None);
    }

    #[test]
    fn variant_sets_are_transitive_and_normalised() {
        let v = Variants::parse("a\tb\nc\td\nb\tc\n", "t", |w| w.to_string()).unwrap();
        assert!(v.same_word("a", "d"));
        let v = Variants::parse("عافاك\tعفاك\n", "t", normalize_arabic).unwrap();
        assert!(v.equivalent(&normalize_arabic("عَفاك"), "عافاك"));
    }

    #[test]
    fn malformed_variant_tables_name_the_line() {
        for (table, reason) in [
            ("# c\nدابا\n", "lists one spelling"),
            ("# c\nدابا\t\tدبا\n", "empty spelling"),
            ("# c\nدابا\tدبا دبا\n", "has a space"),
        ] {
            let err = Variants::parse(table, "v.tsv", normalize_arabic)
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("v.tsv:2: "), "{err}");
            assert!(err.contains(reason), "{err}");
        }
    }
}
