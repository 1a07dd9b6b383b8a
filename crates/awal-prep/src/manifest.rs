//! `manifest.json` and `report.md`: what a run read, did and wrote.
//!
//! The manifest holds no time stamps and no host names: the same inputs and
//! configuration give the same bytes, which is what lets a test (or a reviewer) compare
//! two runs with `cmp`. The report is the same tables for people.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::sink::OutputSummary;
use crate::source::InputSummary;
use crate::stats::{Balance, DocsBytes, Stats};
use crate::tokens::TokenTotals;
use crate::Config;

/// One stage's counts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageCounts {
    /// Stage name.
    pub stage: &'static str,
    /// Documents in.
    #[serde(rename = "in")]
    pub input: u64,
    /// Documents out.
    pub out: u64,
    /// Dropped by reason.
    pub dropped: BTreeMap<String, u64>,
}

/// The manifest's `tokens` section: which tokenizer, and the totals of the kept
/// documents' `n_tokens` (text as written, no special tokens; see [`crate::tokens`]).
#[derive(Clone, Debug, Serialize)]
pub struct TokenReport<'a> {
    /// The counter's name (file, format, digest).
    pub tokenizer: String,
    /// `total`, `languages`, `splits`.
    #[serde(flatten)]
    pub totals: &'a TokenTotals,
}

/// The manifest of a run.
#[derive(Clone, Debug, Serialize)]
pub struct Manifest<'a> {
    /// `awal-prep`.
    pub tool: &'static str,
    /// Crate version.
    pub version: &'static str,
    /// The language detector's name.
    pub detector: String,
    /// The full configuration.
    pub config: &'a Config,
    /// Inputs with size and SHA-256.
    pub inputs: &'a [InputSummary],
    /// `read = kept + dropped`.
    pub balance: Balance,
    /// Per-stage counts.
    pub stages: Vec<StageCounts>,
    /// Boilerplate lines removed from kept documents.
    pub boilerplate_lines_removed: u64,
    /// Documents with at least one redaction.
    pub redacted_docs: u64,
    /// Redactions per PII type.
    pub pii: &'a BTreeMap<String, u64>,
    /// Kept documents transliterated by `unify`, by `from -> to` label.
    pub unified: &'a BTreeMap<String, u64>,
    /// Kept documents and bytes per language label (after `unify`).
    pub languages: &'a BTreeMap<String, DocsBytes>,
    /// Kept documents per dominant script; bytes per script span.
    pub scripts: &'a BTreeMap<String, DocsBytes>,
    /// Kept documents and bytes per split.
    pub splits: &'a BTreeMap<String, DocsBytes>,
    /// Token totals, when the run counted tokens (`--tokenizer`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens: Option<TokenReport<'a>>,
    /// Where source skips happened (first five per reason).
    pub skip_examples: &'a BTreeMap<String, Vec<String>>,
    /// Finished shards.
    pub outputs: &'a [OutputSummary],
}

impl<'a> Manifest<'a> {
    /// Assembles the manifest from a run's parts.
    ///
    /// ```
    /// let (c, s) = (awal_prep::Config::default(), awal_prep::stats::Stats::default());
    /// let m = awal_prep::manifest::Manifest::new("script-only".into(), &c, &[], &s, &[]);
    /// assert_eq!(m.stages.len(), 4);
    /// assert!(m.to_json().unwrap().contains("\"tool\": \"awal-prep\""));
    /// ```
    pub fn new(
        detector: String,
        config: &'a Config,
        inputs: &'a [InputSummary],
        stats: &'a Stats,
        outputs: &'a [OutputSummary],
    ) -> Self {
        let skipped: u64 = stats.source_skipped.values().sum();
        let filtered: u64 = stats.filter_dropped.values().sum();
        let deduped: u64 = stats.dedup_dropped.values().sum();
        let docs = stats.read - skipped;
        let after_filter = docs - filtered.min(docs);
        let stages = vec![
            StageCounts {
                stage: "source",
                input: stats.read,
                out: docs,
                dropped: stats.source_skipped.clone(),
            },
            StageCounts {
                stage: "filter",
                input: docs,
                out: after_filter,
                dropped: stats.filter_dropped.clone(),
            },
            StageCounts {
                stage: "redact",
                input: after_filter,
                out: after_filter,
                dropped: BTreeMap::new(),
            },
            StageCounts {
                stage: "dedup",
                input: after_filter,
                out: after_filter - deduped.min(after_filter),
                dropped: stats.dedup_dropped.clone(),
            },
        ];
        Manifest {
            tool: "awal-prep",
            version: crate::VERSION,
            detector,
            config,
            inputs,
            balance: stats.balance(),
            stages,
            boilerplate_lines_removed: stats.boilerplate_lines_removed,
            redacted_docs: stats.redacted_docs,
            pii: &stats.pii,
            unified: &stats.unified,
            languages: &stats.languages,
            scripts: &stats.scripts,
            splits: &stats.splits,
            tokens: None,
            skip_examples: &stats.skip_examples,
            outputs,
        }
    }

    /// Adds the token totals of a run that counted tokens, under the tokenizer's name.
    ///
    /// ```
    /// let (c, mut s) = (awal_prep::Config::default(), awal_prep::stats::Stats::default());
    /// s.count_tokens("ary_Latn", "train", 12);
    /// let t = s.tokens.clone().unwrap();
    /// let m = awal_prep::manifest::Manifest::new("x".into(), &c, &[], &s, &[]).with_tokens("whitespace".into(), &t);
    /// assert!(m.to_json().unwrap().contains("\"tokenizer\": \"whitespace\""));
    /// assert!(m.report().contains("| ary_Latn | 12 |"));
    /// ```
    pub fn with_tokens(mut self, tokenizer: String, totals: &'a TokenTotals) -> Self {
        self.tokens = Some(TokenReport { tokenizer, totals });
        self
    }

    /// Pretty JSON with a final newline.
    ///
    /// ```
    /// let (c, s) = (awal_prep::Config::default(), awal_prep::stats::Stats::default());
    /// assert!(awal_prep::manifest::Manifest::new("x".into(), &c, &[], &s, &[]).to_json().unwrap().ends_with("}\n"));
    /// ```
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut s = serde_json::to_string_pretty(self)?;
        s.push('\n');
        Ok(s)
    }

    /// The human-readable report (Markdown).
    ///
    /// ```
    /// let (c, s) = (awal_prep::Config::default(), awal_prep::stats::Stats::default());
    /// let r = awal_prep::manifest::Manifest::new("x".into(), &c, &[], &s, &[]).report();
    /// assert!(r.starts_with("# awal prepare report"));
    /// ```
    pub fn report(&self) -> String {
        let mut r = String::new();
        let b = &self.balance;
        let _ = writeln!(r, "# awal prepare report\n");
        let _ = writeln!(
            r,
            "awal-prep {} · detector: {} · {} input(s), {} bytes\n",
            self.version,
            self.detector,
            self.inputs.len(),
            self.inputs.iter().map(|i| i.bytes).sum::<u64>()
        );
        let _ = writeln!(
            r,
            "read {} = kept {} + dropped {} ({})\n",
            b.read,
            b.kept,
            b.dropped,
            if b.ok { "balanced" } else { "NOT BALANCED" }
        );
        let _ = writeln!(
            r,
            "## Stages\n\n| stage | in | out | dropped by reason |\n|---|---:|---:|---|"
        );
        for s in &self.stages {
            let reasons: Vec<String> = s.dropped.iter().map(|(k, v)| format!("{k} {v}")).collect();
            let _ = writeln!(
                r,
                "| {} | {} | {} | {} |",
                s.stage,
                s.input,
                s.out,
                reasons.join(", ")
            );
        }
        let _ = writeln!(
            r,
            "\nBoilerplate lines removed from kept documents: {}",
            self.boilerplate_lines_removed
        );
        let _ = writeln!(
            r,
            "\n## PII redacted ({} documents)\n\n| type | count |\n|---|---:|",
            self.redacted_docs
        );
        for (k, v) in self.pii {
            let _ = writeln!(r, "| {k} | {v} |");
        }
        if !self.unified.is_empty() {
            let _ = writeln!(
                r,
                "\n## Scripts unified (documents transliterated)\n\n| from -> to | docs |\n|---|---:|"
            );
            for (k, v) in self.unified {
                let _ = writeln!(r, "| {k} | {v} |");
            }
        }
        let table = |r: &mut String, title: &str, rows: &BTreeMap<String, DocsBytes>| {
            let _ = writeln!(r, "\n## {title}\n\n| | docs | bytes |\n|---|---:|---:|");
            for (k, v) in rows {
                let _ = writeln!(r, "| {k} | {} | {} |", v.docs, v.bytes);
            }
        };
        table(&mut r, "Languages (kept)", self.languages);
        table(
            &mut r,
            "Scripts (kept: docs by dominant script, bytes by span)",
            self.scripts,
        );
        table(&mut r, "Splits", self.splits);
        if let Some(tokens) = &self.tokens {
            token_table(&mut r, tokens);
        }
        if !self.skip_examples.is_empty() {
            let _ = writeln!(r, "\n## Skipped lines (first five per reason)\n");
            for (k, v) in self.skip_examples {
                let _ = writeln!(r, "- {k}: {}", v.join(", "));
            }
        }
        let _ = writeln!(
            r,
            "\n## Outputs\n\n| shard | records | bytes | sha256 |\n|---|---:|---:|---|"
        );
        for o in self.outputs {
            let _ = writeln!(
                r,
                "| {} | {} | {} | {}… |",
                o.path,
                o.records,
                o.bytes,
                &o.sha256[..16.min(o.sha256.len())]
            );
        }
        r
    }
}

/// The report's token section: one table by language, then by split, then the total.
fn token_table(r: &mut String, tokens: &TokenReport<'_>) {
    let _ = writeln!(
        r,
        "\n## Tokens (kept, no special tokens)\n\ntokenizer: {}\n\n| | tokens |\n|---|---:|",
        tokens.tokenizer
    );
    for (k, v) in &tokens.totals.languages {
        let _ = writeln!(r, "| {k} | {v} |");
    }
    for (k, v) in &tokens.totals.splits {
        let _ = writeln!(r, "| split {k} | {v} |");
    }
    let _ = writeln!(r, "| **total** | {} |", tokens.totals.total);
}
