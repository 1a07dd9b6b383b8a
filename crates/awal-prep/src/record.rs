//! The unit that moves through the pipeline.

use serde::Serialize;

/// One document as read from an input, before any stage touched it.
///
/// ```
/// use awal_prep::Record;
/// let r = Record::new("a.txt:1", "salam", "a.txt:1");
/// assert_eq!(r.text, "salam");
/// assert!(r.meta.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Record {
    /// Stable identifier: the input's own `id` field, or `FILE:LINE`.
    pub id: String,
    /// The document text.
    pub text: String,
    /// Where it came from: `FILE:LINE` (first line of the document).
    pub source: String,
    /// Other fields of a JSONL input, kept as they were.
    pub meta: serde_json::Map<String, serde_json::Value>,
}

impl Record {
    /// A record without metadata.
    ///
    /// ```
    /// let r = awal_prep::Record::new("x", "ⴰⵣⵓⵍ", "stdin:1");
    /// assert_eq!(r.id, "x");
    /// ```
    pub fn new(id: impl Into<String>, text: impl Into<String>, source: impl Into<String>) -> Self {
        Record {
            id: id.into(),
            text: text.into(),
            source: source.into(),
            meta: serde_json::Map::new(),
        }
    }
}
