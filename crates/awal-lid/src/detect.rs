//! Labelling lines and code-switched spans.
//!
//! A line gets the best label of its dominant script ([`Detector::detect`]); a line
//! without letters, or in a script no label covers, is `und`.
//!
//! Spans ([`Detector::spans`]) label each word, then choose the most likely label
//! sequence with a Viterbi pass in which changing label costs a fixed penalty: one French
//! word in a Darija sentence (`ana ghadi l'école demain, wach nta?`) becomes its own span
//! only when its evidence outweighs two switches, so noise does not fragment a line.
//! Words of another script always switch, since no label spans two scripts.

use awal_translit::script::Script;
use serde::Serialize;

use crate::features::words;
use crate::model::{Accumulator, Model};

/// The label of texts with no letters, or of a script no label covers.
pub const UNDETERMINED: &str = "und";

/// The language of one line; labels borrow from the model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Detection<'m> {
    /// Best label, or `und`.
    pub lang: &'m str,
    /// Its calibrated probability (1.0 for `und`).
    pub score: f64,
    /// The best labels with their probabilities, best first.
    pub top: Vec<(&'m str, f64)>,
}

/// A run of words with one label, in byte offsets of the line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LangSpan {
    /// Byte offset of the first word.
    pub start: usize,
    /// Byte offset after the last word.
    pub end: usize,
    /// The label of the run.
    pub lang: String,
    /// Mean probability of that label over the run's words.
    pub score: f64,
}

/// A model plus detection settings; immutable and shareable across threads.
#[derive(Clone, Debug)]
pub struct Detector {
    model: Model,
    switch_penalty: f64,
    top: usize,
}

impl Detector {
    /// Wraps a model with default settings (switch penalty 2.5 nats, top 3).
    pub fn new(model: Model) -> Detector {
        Detector {
            model,
            switch_penalty: 2.5,
            top: 3,
        }
    }

    /// The underlying model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Sets how many labels [`Detection::top`] lists.
    pub fn with_top(mut self, top: usize) -> Detector {
        self.top = top.max(1);
        self
    }

    /// Labels one line.
    ///
    /// ```
    /// let detector = awal_lid::default_detector().unwrap();
    /// assert_eq!(detector.detect("wach nta mzyan? fin ghadi daba").lang, "ary_Latn");
    /// assert_eq!(detector.detect("واش نتا مزيان؟ فين غادي دابا").lang, "ary_Arab");
    /// assert_eq!(detector.detect("2025 !!!").lang, "und");
    /// ```
    pub fn detect(&self, text: &str) -> Detection<'_> {
        let scores = self.model.score(text);
        match scores.ranked.first() {
            Some(&(best, p)) => Detection {
                lang: self.model.label(best),
                score: p,
                top: scores
                    .ranked
                    .iter()
                    .take(self.top)
                    .map(|&(l, p)| (self.model.label(l), p))
                    .collect(),
            },
            None => Detection {
                lang: UNDETERMINED,
                score: 1.0,
                top: vec![(UNDETERMINED, 1.0)],
            },
        }
    }

    /// Labels the code-switched runs of one line.
    ///
    /// ```
    /// let detector = awal_lid::default_detector().unwrap();
    /// let line = "ana ghadi l'école demain, wach nta?";
    /// let langs: Vec<String> = detector.spans(line).into_iter().map(|s| s.lang).collect();
    /// assert_eq!(langs, ["ary_Latn", "fra_Latn", "ary_Latn"]);
    /// ```
    pub fn spans(&self, text: &str) -> Vec<LangSpan> {
        let labelled = self.word_posteriors(text);
        if labelled.is_empty() {
            return Vec::new();
        }
        let path = self.viterbi(&labelled);
        let mut spans: Vec<(LangSpan, usize)> = Vec::new();
        for (word, &label) in labelled.iter().zip(&path) {
            let p = word.posteriors[label];
            match spans.last_mut() {
                Some((span, n)) if span.lang == self.model.label(label) => {
                    span.end = word.end;
                    span.score += p;
                    *n += 1;
                }
                _ => spans.push((
                    LangSpan {
                        start: word.start,
                        end: word.end,
                        lang: self.model.label(label).to_string(),
                        score: p,
                    },
                    1,
                )),
            }
        }
        spans
            .into_iter()
            .map(|(mut span, n)| {
                span.score /= n as f64;
                span
            })
            .collect()
    }

    /// Per word: its byte range and a probability per model label (0 outside its script).
    fn word_posteriors(&self, text: &str) -> Vec<WordPosterior> {
        let n = self.model.labels().len();
        let mut out = Vec::new();
        self.model.with_scorer(|scorer| {
            words(text, |w| {
                let mut acc = Accumulator::default();
                if !scorer.add(w.script, &text[w.start..w.end], &mut acc) {
                    return;
                }
                let Some(group) = self.model.group_of(w.script) else {
                    return;
                };
                let mut posteriors = vec![0.0; n];
                for (label, p) in self.model.rank(group, &acc) {
                    posteriors[label] = p;
                }
                out.push(WordPosterior {
                    start: w.start,
                    end: w.end,
                    posteriors,
                });
            })
        });
        out
    }

    /// The most likely label per word under a fixed cost per switch.
    fn viterbi(&self, words: &[WordPosterior]) -> Vec<usize> {
        let n = self.model.labels().len();
        let emission = |w: &WordPosterior, l: usize| {
            let p = w.posteriors[l];
            if p > 0.0 {
                p.ln()
            } else {
                f64::NEG_INFINITY
            }
        };
        let mut score: Vec<f64> = (0..n).map(|l| emission(&words[0], l)).collect();
        let mut back: Vec<Vec<usize>> = Vec::with_capacity(words.len());
        for w in &words[1..] {
            let (best_prev, best_score) = argmax(&score);
            let mut next = vec![f64::NEG_INFINITY; n];
            let mut from = vec![0; n];
            for l in 0..n {
                let stay = score[l];
                let switch = best_score - self.switch_penalty;
                let (prev, s) = if stay >= switch {
                    (l, stay)
                } else {
                    (best_prev, switch)
                };
                next[l] = s + emission(w, l);
                from[l] = prev;
            }
            back.push(from);
            score = next;
        }
        let mut label = argmax(&score).0;
        let mut path = vec![label; words.len()];
        for (i, from) in back.iter().enumerate().rev() {
            label = from[label];
            path[i] = label;
        }
        path
    }
}

struct WordPosterior {
    start: usize,
    end: usize,
    posteriors: Vec<f64>,
}

fn argmax(v: &[f64]) -> (usize, f64) {
    v.iter()
        .copied()
        .enumerate()
        .fold((0, f64::NEG_INFINITY), |best, (i, x)| {
            if x > best.1 {
                (i, x)
            } else {
                best
            }
        })
}

/// The script a detection was made in, for callers that report it.
///
/// ```
/// use awal_translit::script::Script;
/// assert_eq!(awal_lid::detect::line_script("ⴰⵣⵓⵍ fellawen ⴰⵎⴰⵣⵉⵖ"), Script::Tfng);
/// ```
pub fn line_script(text: &str) -> Script {
    crate::model::dominant_word_script(text)
}
