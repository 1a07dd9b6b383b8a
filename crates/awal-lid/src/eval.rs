//! Accuracy, per-label precision/recall/F1 and a confusion matrix.
//!
//! ```
//! use awal_lid::eval::Confusion;
//! let mut c = Confusion::default();
//! c.add("ary_Latn", "ary_Latn");
//! c.add("ary_Latn", "fra_Latn");
//! c.add("fra_Latn", "fra_Latn");
//! let r = c.report();
//! assert_eq!(r.total, 3);
//! assert!((r.accuracy - 2.0 / 3.0).abs() < 1e-9);
//! assert_eq!(r.labels[0].label, "ary_Latn");
//! assert!((r.labels[0].recall - 0.5).abs() < 1e-9);
//! ```

use std::collections::BTreeMap;

use serde::Serialize;

/// Counts of (gold, predicted) pairs.
#[derive(Clone, Debug, Default)]
pub struct Confusion {
    pairs: BTreeMap<(String, String), usize>,
}

/// Figures for one gold label.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelFigures {
    /// The label.
    pub label: String,
    /// Items with this gold label.
    pub support: usize,
    /// Share of this label's items predicted correctly (per-label accuracy).
    pub recall: f64,
    /// Share of items predicted as this label that were right.
    pub precision: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

/// The whole evaluation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvalReport {
    /// Items scored.
    pub total: usize,
    /// Share predicted correctly.
    pub accuracy: f64,
    /// Mean F1 over gold labels.
    pub macro_f1: f64,
    /// Per gold label, sorted by label.
    pub labels: Vec<LabelFigures>,
    /// Row labels (gold) and column labels (predicted) of `matrix`.
    pub gold: Vec<String>,
    /// Predicted labels, columns of `matrix`.
    pub predicted: Vec<String>,
    /// `matrix[i][j]`: items of gold `gold[i]` predicted `predicted[j]`.
    pub matrix: Vec<Vec<usize>>,
}

impl Confusion {
    /// Records one item.
    pub fn add(&mut self, gold: &str, predicted: &str) {
        *self
            .pairs
            .entry((gold.to_string(), predicted.to_string()))
            .or_insert(0) += 1;
    }

    /// Computes the figures.
    pub fn report(&self) -> EvalReport {
        let mut gold: Vec<String> = self.pairs.keys().map(|(g, _)| g.clone()).collect();
        gold.dedup();
        let mut predicted: Vec<String> = self.pairs.keys().map(|(_, p)| p.clone()).collect();
        predicted.sort();
        predicted.dedup();
        let count = |g: &str, p: &str| {
            self.pairs
                .get(&(g.to_string(), p.to_string()))
                .copied()
                .unwrap_or(0)
        };
        let total: usize = self.pairs.values().sum();
        let correct: usize = gold.iter().map(|g| count(g, g)).sum();
        let labels: Vec<LabelFigures> = gold
            .iter()
            .map(|g| {
                let support: usize = predicted.iter().map(|p| count(g, p)).sum();
                let claimed: usize = gold.iter().map(|o| count(o, g)).sum();
                let hit = count(g, g);
                let recall = ratio(hit, support);
                let precision = ratio(hit, claimed);
                let f1 = if recall + precision > 0.0 {
                    2.0 * recall * precision / (recall + precision)
                } else {
                    0.0
                };
                LabelFigures {
                    label: g.clone(),
                    support,
                    recall,
                    precision,
                    f1,
                }
            })
            .collect();
        let macro_f1 = if labels.is_empty() {
            0.0
        } else {
            labels.iter().map(|l| l.f1).sum::<f64>() / labels.len() as f64
        };
        let matrix = gold
            .iter()
            .map(|g| predicted.iter().map(|p| count(g, p)).collect())
            .collect();
        EvalReport {
            total,
            accuracy: ratio(correct, total),
            macro_f1,
            labels,
            gold,
            predicted,
            matrix,
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
