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
}

impl Evaluation {
    /// Scores one pair.
    pub fn add(&mut self, pair: Pair) {
        self.lines += 1;
        let expected_len = pair.expected.chars().count();
        self.reference_chars += expected_len;
        if pair.got == pair.expected {
            self.exact += 1;
            return;
        }
        let distance = strsim::levenshtein(&pair.got, &pair.expected);
        self.distance += distance;
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
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}
