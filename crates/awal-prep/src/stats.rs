//! Counts of a run: what was read, what each stage dropped and why, what was kept.
//!
//! Every document read ends in exactly one bucket: a source skip, a filter drop, a dedup
//! drop, or kept. [`Stats::balance`] checks `read = kept + dropped`, and the manifest
//! shows it, so nothing is lost silently.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::lid::{script_code, SCRIPT_ORDER};
use crate::pii::PiiCounts;
use crate::tokens::TokenTotals;

/// Documents and UTF-8 bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocsBytes {
    /// Documents.
    pub docs: u64,
    /// Bytes of text.
    pub bytes: u64,
}

impl DocsBytes {
    /// Adds one document of `bytes` bytes.
    ///
    /// ```
    /// let mut d = awal_prep::stats::DocsBytes::default();
    /// d.add(10);
    /// assert_eq!((d.docs, d.bytes), (1, 10));
    /// ```
    pub fn add(&mut self, bytes: u64) {
        self.docs += 1;
        self.bytes += bytes;
    }
}

/// All counts of a run. Maps are ordered so that serialization is deterministic.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Items read: documents plus source skips.
    pub read: u64,
    /// Source skips by reason (`invalid_utf8`, `malformed_json`, …).
    pub source_skipped: BTreeMap<String, u64>,
    /// Up to five `FILE:LINE` locations per skip reason, to find them.
    pub skip_examples: BTreeMap<String, Vec<String>>,
    /// Documents entering the filters.
    pub filter_in: u64,
    /// Filter drops by `filter.reason`.
    pub filter_dropped: BTreeMap<String, u64>,
    /// Boilerplate lines removed from documents that were kept by the filters.
    pub boilerplate_lines_removed: u64,
    /// Documents in which PII was redacted.
    pub redacted_docs: u64,
    /// Redactions by type (`EMAIL`, `PHONE`, …).
    pub pii: BTreeMap<String, u64>,
    /// Dedup drops by reason (`exact`, `near`).
    pub dedup_dropped: BTreeMap<String, u64>,
    /// Kept documents transliterated by `unify`, by `from -> to` label.
    #[serde(default)]
    pub unified: BTreeMap<String, u64>,
    /// Documents written.
    pub kept: DocsBytes,
    /// Kept documents and bytes per language label.
    pub languages: BTreeMap<String, DocsBytes>,
    /// Kept documents per dominant script, and bytes of each script's spans.
    pub scripts: BTreeMap<String, DocsBytes>,
    /// Kept documents and bytes per split.
    pub splits: BTreeMap<String, DocsBytes>,
    /// Token totals of the kept documents: `Some` exactly when a run counts tokens
    /// (`--tokenizer`), even before its first kept document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<TokenTotals>,
}

/// What the counts need to know of one kept document.
#[derive(Clone, Copy, Debug)]
pub struct KeptDoc<'a> {
    /// Language label (after unification).
    pub lang: &'a str,
    /// Dominant script code.
    pub dominant: &'a str,
    /// Bytes per script span, in [`SCRIPT_ORDER`].
    pub script_bytes: [u64; 5],
    /// Text bytes.
    pub bytes: u64,
    /// Redactions.
    pub pii: PiiCounts,
    /// Boilerplate lines removed.
    pub lines_removed: u64,
    /// The label before script unification, if `unify` changed it.
    pub unified_from: Option<&'a str>,
    /// Split name.
    pub split: &'a str,
}

/// `read = kept + dropped` for the manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Balance {
    /// Items read.
    pub read: u64,
    /// Documents kept.
    pub kept: u64,
    /// Items dropped or skipped, all stages.
    pub dropped: u64,
    /// Whether `read == kept + dropped`.
    pub ok: bool,
}

impl Stats {
    /// Records a source skip.
    ///
    /// ```
    /// let mut s = awal_prep::stats::Stats::default();
    /// s.skip("invalid_utf8", "a.txt:3");
    /// assert_eq!((s.read, s.source_skipped["invalid_utf8"]), (1, 1));
    /// ```
    pub fn skip(&mut self, reason: &str, location: &str) {
        self.read += 1;
        *self.source_skipped.entry(reason.to_string()).or_default() += 1;
        let ex = self.skip_examples.entry(reason.to_string()).or_default();
        if ex.len() < 5 {
            ex.push(location.to_string());
        }
    }

    /// Records a document a filter dropped, by `filter.reason`.
    ///
    /// ```
    /// let mut s = awal_prep::stats::Stats::default();
    /// s.count_filtered("length.too_few_chars");
    /// assert_eq!((s.read, s.filter_in, s.dropped()), (1, 1, 1));
    /// ```
    pub fn count_filtered(&mut self, reason: &str) {
        self.read += 1;
        self.filter_in += 1;
        bump(&mut self.filter_dropped, reason, |n| *n += 1);
    }

    /// Records a document the dedup decision dropped (`exact` or `near`).
    ///
    /// ```
    /// let mut s = awal_prep::stats::Stats::default();
    /// s.count_duplicate("near");
    /// assert_eq!((s.read, s.dedup_dropped["near"]), (1, 1));
    /// ```
    pub fn count_duplicate(&mut self, reason: &str) {
        self.read += 1;
        self.filter_in += 1;
        bump(&mut self.dedup_dropped, reason, |n| *n += 1);
    }

    /// Records a kept document.
    ///
    /// ```
    /// use awal_prep::stats::{KeptDoc, Stats};
    /// let mut s = Stats::default();
    /// s.count_kept(&KeptDoc { lang: "ary_Latn", dominant: "Latn", script_bytes: [0, 5, 0, 0, 0],
    ///     bytes: 5, pii: Default::default(), lines_removed: 0, unified_from: None, split: "train" });
    /// assert_eq!((s.kept.docs, s.languages["ary_Latn"].bytes, s.scripts["Latn"].docs), (1, 5, 1));
    /// assert!(s.balance().ok);
    /// ```
    pub fn count_kept(&mut self, doc: &KeptDoc<'_>) {
        self.read += 1;
        self.filter_in += 1;
        self.boilerplate_lines_removed += doc.lines_removed;
        if doc.pii.total() > 0 {
            self.redacted_docs += 1;
            for (kind, n) in doc.pii.iter().filter(|(_, n)| *n > 0) {
                bump(&mut self.pii, kind.code(), |count| *count += n);
            }
        }
        if let Some(from) = doc.unified_from {
            *self
                .unified
                .entry(format!("{from} -> {}", doc.lang))
                .or_default() += 1;
        }
        self.kept.add(doc.bytes);
        bump(&mut self.languages, doc.lang, |d| d.add(doc.bytes));
        bump(&mut self.scripts, doc.dominant, |d| d.docs += 1);
        for (script, &bytes) in SCRIPT_ORDER.iter().zip(&doc.script_bytes) {
            if bytes > 0 {
                bump(&mut self.scripts, script_code(*script), |d| {
                    d.bytes += bytes
                });
            }
        }
        bump(&mut self.splits, doc.split, |d| d.add(doc.bytes));
    }

    /// Records the tokens of a kept document (after [`count_kept`](Self::count_kept)).
    ///
    /// ```
    /// let mut s = awal_prep::stats::Stats::default();
    /// s.count_tokens("ary_Latn", "train", 7);
    /// assert_eq!(s.tokens.map(|t| t.total), Some(7));
    /// ```
    pub fn count_tokens(&mut self, lang: &str, split: &str, tokens: u64) {
        self.tokens
            .get_or_insert_with(TokenTotals::default)
            .add(lang, split, tokens);
    }

    /// Adds the counts of another part of the same run (every count is a sum, so the
    /// order of merging does not matter). Skip examples are not merged here: see
    /// [`StatsPart`], which keeps them in input order.
    ///
    /// ```
    /// let mut a = awal_prep::stats::Stats::default();
    /// a.count_filtered("length.too_few_chars");
    /// let mut b = a.clone();
    /// b.count_duplicate("exact");
    /// a.merge(&b);
    /// assert_eq!((a.read, a.filter_dropped["length.too_few_chars"], a.dedup_dropped["exact"]), (3, 2, 1));
    /// ```
    pub fn merge(&mut self, other: &Stats) {
        fn add(into: &mut BTreeMap<String, u64>, from: &BTreeMap<String, u64>) {
            for (k, v) in from {
                bump(into, k, |n| *n += v);
            }
        }
        fn add_db(into: &mut BTreeMap<String, DocsBytes>, from: &BTreeMap<String, DocsBytes>) {
            for (k, v) in from {
                bump(into, k, |d| {
                    d.docs += v.docs;
                    d.bytes += v.bytes;
                });
            }
        }
        self.read += other.read;
        add(&mut self.source_skipped, &other.source_skipped);
        self.filter_in += other.filter_in;
        add(&mut self.filter_dropped, &other.filter_dropped);
        self.boilerplate_lines_removed += other.boilerplate_lines_removed;
        self.redacted_docs += other.redacted_docs;
        add(&mut self.pii, &other.pii);
        add(&mut self.dedup_dropped, &other.dedup_dropped);
        add(&mut self.unified, &other.unified);
        self.kept.docs += other.kept.docs;
        self.kept.bytes += other.kept.bytes;
        add_db(&mut self.languages, &other.languages);
        add_db(&mut self.scripts, &other.scripts);
        add_db(&mut self.splits, &other.splits);
        if let Some(tokens) = &other.tokens {
            self.tokens
                .get_or_insert_with(TokenTotals::default)
                .merge(tokens);
        }
    }

    /// The dropped total over all stages.
    ///
    /// ```
    /// assert_eq!(awal_prep::stats::Stats::default().dropped(), 0);
    /// ```
    pub fn dropped(&self) -> u64 {
        self.source_skipped.values().sum::<u64>()
            + self.filter_dropped.values().sum::<u64>()
            + self.dedup_dropped.values().sum::<u64>()
    }

    /// The balance check.
    ///
    /// ```
    /// assert!(awal_prep::stats::Stats::default().balance().ok);
    /// ```
    pub fn balance(&self) -> Balance {
        let dropped = self.dropped();
        Balance {
            read: self.read,
            kept: self.kept.docs,
            dropped,
            ok: self.read == self.kept.docs + dropped,
        }
    }
}

/// The counts of one part of a run (a Spark partition, a Ray block), with the input
/// order of its skips, so that merged parts name the same first five skips per reason
/// as a one-machine run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StatsPart {
    /// The counts (without skip examples).
    pub stats: Stats,
    /// Up to five `(order, FILE:LINE)` per skip reason: the part's first ones.
    pub skips: BTreeMap<String, Vec<(u64, String)>>,
}

impl StatsPart {
    /// Records a source skip at a global input position.
    ///
    /// ```
    /// let mut p = awal_prep::stats::StatsPart::default();
    /// p.skip(7, "invalid_utf8", "a.txt:3");
    /// assert_eq!(p.stats.read, 1);
    /// ```
    pub fn skip(&mut self, order: u64, reason: &str, location: &str) {
        self.stats.read += 1;
        bump(&mut self.stats.source_skipped, reason, |n| *n += 1);
        let ex = self.skips.entry(reason.to_string()).or_default();
        ex.push((order, location.to_string()));
        keep_first_five(ex);
    }

    /// Merges parts in any order into the counts of the whole run.
    ///
    /// ```
    /// use awal_prep::stats::StatsPart;
    /// let (mut a, mut b) = (StatsPart::default(), StatsPart::default());
    /// for i in 0..4 { a.skip(10 + i, "malformed_json", &format!("b.jsonl:{i}")); }
    /// for i in 0..4 { b.skip(i, "malformed_json", &format!("a.jsonl:{i}")); }
    /// let s = StatsPart::merge([&a, &b]);
    /// assert_eq!(s.skip_examples["malformed_json"], ["a.jsonl:0", "a.jsonl:1", "a.jsonl:2", "a.jsonl:3", "b.jsonl:0"]);
    /// ```
    pub fn merge<'a>(parts: impl IntoIterator<Item = &'a StatsPart>) -> Stats {
        let mut stats = Stats::default();
        let mut skips: BTreeMap<String, Vec<(u64, String)>> = BTreeMap::new();
        for part in parts {
            stats.merge(&part.stats);
            for (reason, ex) in &part.skips {
                let all = skips.entry(reason.clone()).or_default();
                all.extend(ex.iter().cloned());
                keep_first_five(all);
            }
        }
        stats.skip_examples = skips
            .into_iter()
            .map(|(reason, ex)| (reason, ex.into_iter().map(|(_, at)| at).collect()))
            .collect();
        stats
    }
}

fn keep_first_five(examples: &mut Vec<(u64, String)>) {
    examples.sort_unstable();
    examples.truncate(5);
}

/// Updates the value of `key` in a count table with `f`, inserting it first if missing:
/// the key is only copied the first time (this runs once per document on the in-order
/// path, where `entry(key.to_string())` would allocate every time).
fn bump<V: Default>(map: &mut BTreeMap<String, V>, key: &str, f: impl FnOnce(&mut V)) {
    match map.get_mut(key) {
        Some(v) => f(v),
        None => {
            let mut v = V::default();
            f(&mut v);
            map.insert(key.to_string(), v);
        }
    }
}
