//! Counts of a run: what was read, what each stage dropped and why, what was kept.
//!
//! Every document read ends in exactly one bucket: a source skip, a filter drop, a dedup
//! drop, or kept. [`Stats::balance`] checks `read = kept + dropped`, and the manifest
//! shows it, so nothing is lost silently.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

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
