//! Mistral's Tekken tokenizer format (`tekken.json`): tiktoken-style byte-level BPE.
//!
//! The file holds `config.pattern` (the pre-tokenizer regex), `config.default_vocab_size`
//! and `config.default_num_special_tokens`, and `vocab`: a list of `{rank, token_bytes
//! (base64), token_str}`. Token ids are `rank + num_special`; only the first
//! `default_vocab_size - num_special` ranks are in use (the file may store more).
//!
//! Encoding is tiktoken's: split with the regex, then in each piece repeatedly merge the
//! adjacent pair whose concatenation has the lowest rank, until no concatenation is in the
//! vocabulary. There is no merge list: ranks *are* the merge order, which is why new tokens
//! appended after the last rank (see [`crate::extend`]) can only act after every old merge.
//!
//! ```
//! use awal_tokenize::tekken::Tekken;
//! // A toy vocabulary: 256 bytes, then "ab", then "abc"; 3 special ids.
//! let t = Tekken::from_parts(r"\S+|\s+", 3, (0u8..=255).map(|b| vec![b])
//!     .chain([b"ab".to_vec(), b"abc".to_vec()]).collect())?;
//! assert_eq!(t.encode("abc abd"), [3 + 257, 3 + 32, 3 + 256, 3 + 100]);
//! # Ok::<(), awal_tokenize::Error>(())
//! ```

use std::path::Path;

use base64::Engine as _;
use fancy_regex::Regex;
use rustc_hash::FxHashMap;
use serde_json::{json, Value};

use crate::Error;

/// A loaded Tekken tokenizer.
#[derive(Debug, Clone)]
pub struct Tekken {
    pattern: String,
    regex: Regex,
    num_special: u32,
    tokens: Vec<Vec<u8>>,
    ranks: FxHashMap<Vec<u8>, u32>,
    /// The file as read, so that saving keeps fields this code does not know.
    raw: Value,
}

impl Tekken {
    /// Whether a parsed JSON document looks like a Tekken file.
    ///
    /// ```
    /// let v = serde_json::json!({"config": {"pattern": "x"}, "vocab": []});
    /// assert!(awal_tokenize::tekken::Tekken::is_tekken(&v));
    /// ```
    pub fn is_tekken(doc: &Value) -> bool {
        doc.get("config").and_then(|c| c.get("pattern")).is_some()
            && doc.get("vocab").is_some_and(Value::is_array)
    }

    /// Reads a `tekken.json` file.
    ///
    /// ```no_run
    /// let t = awal_tokenize::tekken::Tekken::from_file("tekken.json".as_ref())?;
    /// # Ok::<(), awal_tokenize::Error>(())
    /// ```
    pub fn from_file(path: &Path) -> Result<Tekken, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let doc: Value = serde_json::from_str(&text).map_err(|e| Error::json(path, e))?;
        Tekken::from_value(doc).map_err(|e| e.in_file(path))
    }

    /// Builds from a parsed document.
    ///
    /// ```
    /// use base64::Engine as _;
    /// let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    /// let vocab: Vec<_> = (0u8..=255).enumerate()
    ///     .map(|(r, b)| serde_json::json!({"rank": r, "token_bytes": b64(&[b])})).collect();
    /// let doc = serde_json::json!({"config": {"pattern": "\\S+|\\s+",
    ///     "default_vocab_size": 266, "default_num_special_tokens": 10}, "vocab": vocab});
    /// let t = awal_tokenize::tekken::Tekken::from_value(doc)?;
    /// assert_eq!(t.encode("a"), [10 + 97]);
    /// # Ok::<(), awal_tokenize::Error>(())
    /// ```
    pub fn from_value(doc: Value) -> Result<Tekken, Error> {
        let bad = |what: &str| Error::Format(format!("tekken: {what}"));
        let config = doc.get("config").ok_or_else(|| bad("no `config`"))?;
        let pattern = config
            .get("pattern")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("no `config.pattern`"))?
            .to_string();
        let num_special = config
            .get("default_num_special_tokens")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        // Ids are u32: a count past that would wrap, and every id would be wrong.
        let num_special = u32::try_from(num_special).map_err(|_| {
            bad(&format!(
                "`config.default_num_special_tokens` {num_special} does not fit in 32-bit ids"
            ))
        })?;
        let entries = doc
            .get("vocab")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("no `vocab` list"))?;
        let used = config
            .get("default_vocab_size")
            .and_then(Value::as_u64)
            .map(|v| (v as usize).saturating_sub(num_special as usize))
            .unwrap_or(entries.len())
            .min(entries.len());
        let mut tokens = vec![Vec::new(); used];
        let engine = base64::engine::general_purpose::STANDARD;
        for entry in &entries[..used] {
            let rank = entry
                .get("rank")
                .and_then(Value::as_u64)
                .ok_or_else(|| bad("vocab entry without `rank`"))? as usize;
            let b64 = entry
                .get("token_bytes")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("vocab entry without `token_bytes`"))?;
            let bytes = engine
                .decode(b64)
                .map_err(|e| bad(&format!("rank {rank}: bad base64: {e}")))?;
            let slot = tokens
                .get_mut(rank)
                .ok_or_else(|| bad(&format!("rank {rank} out of range")))?;
            *slot = bytes;
        }
        let mut t = Tekken::from_parts(&pattern, num_special, tokens)?;
        t.raw = doc;
        Ok(t)
    }

    /// Builds from a pattern, the number of reserved special ids and the token bytes by
    /// rank. Every single byte must be a token, so that any text encodes.
    ///
    /// ```
    /// use awal_tokenize::tekken::Tekken;
    /// assert!(Tekken::from_parts(r"\S+", 0, vec![b"a".to_vec()]).is_err());
    /// ```
    pub fn from_parts(
        pattern: &str,
        num_special: u32,
        tokens: Vec<Vec<u8>>,
    ) -> Result<Tekken, Error> {
        let regex =
            Regex::new(pattern).map_err(|e| Error::Format(format!("tekken: bad pattern: {e}")))?;
        // The largest id, `num_special + tokens.len() - 1`, must be a u32: the ranks
        // below are stored as u32 and would otherwise wrap onto other tokens' ids.
        let ids = u64::from(num_special) + tokens.len() as u64;
        if ids > u64::from(u32::MAX) + 1 {
            return Err(Error::Format(format!(
                "tekken: {num_special} special ids and {} tokens do not fit in 32-bit ids",
                tokens.len()
            )));
        }
        let mut ranks = FxHashMap::default();
        for (rank, bytes) in tokens.iter().enumerate() {
            if bytes.is_empty() {
                return Err(Error::Format(format!(
                    "tekken: rank {rank} is missing or empty"
                )));
            }
            ranks.entry(bytes.clone()).or_insert(rank as u32);
        }
        if let Some(b) = (0u8..=255).find(|b| !ranks.contains_key(&[*b][..])) {
            return Err(Error::Format(format!(
                "tekken: byte {b:#04x} is not a token, so some text could not be encoded"
            )));
        }
        Ok(Tekken {
            pattern: pattern.to_string(),
            regex,
            num_special,
            tokens,
            ranks,
            raw: Value::Null,
        })
    }

    /// Number of reserved special ids before the first rank.
    pub fn num_special(&self) -> u32 {
        self.num_special
    }

    /// Number of ranks in use (ids run up to `num_special + num_ranks`).
    pub fn num_ranks(&self) -> usize {
        self.tokens.len()
    }

    /// The bytes of a token id, if it is a rank (not a special id).
    pub fn token_bytes(&self, id: u32) -> Option<&[u8]> {
        let rank = id.checked_sub(self.num_special)?;
        self.tokens.get(rank as usize).map(Vec::as_slice)
    }

    /// The pre-tokenizer pieces of `text`.
    pub fn pieces<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.regex
            .find_iter(text)
            .flatten()
            .map(|m| m.as_str())
            .collect()
    }

    /// Encodes text to ids (no BOS/EOS).
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        for piece in self.pieces(text) {
            self.encode_piece(piece.as_bytes(), &mut out);
        }
        out
    }

    /// Encodes one pre-tokenized piece, appending ids to `out`.
    pub fn encode_piece(&self, piece: &[u8], out: &mut Vec<u32>) {
        if let Some(&r) = self.ranks.get(piece) {
            out.push(r + self.num_special);
            return;
        }
        // Boundaries of the current parts; merge the pair with the lowest rank.
        let mut bounds: Vec<usize> = (0..=piece.len()).collect();
        loop {
            let mut best: Option<(u32, usize)> = None;
            for i in 0..bounds.len().saturating_sub(2) {
                if let Some(&r) = self.ranks.get(&piece[bounds[i]..bounds[i + 2]]) {
                    if best.map_or(true, |(br, _)| r < br) {
                        best = Some((r, i));
                    }
                }
            }
            match best {
                Some((_, i)) => {
                    bounds.remove(i + 1);
                }
                None => break,
            }
        }
        for w in bounds.windows(2) {
            // Every single byte is a token (checked at load), so the lookup succeeds.
            let r = self.ranks.get(&piece[w[0]..w[1]]).copied().unwrap_or(0);
            out.push(r + self.num_special);
        }
    }

    /// Whether a byte string is already a token.
    pub fn has_token(&self, bytes: &[u8]) -> bool {
        self.ranks.contains_key(bytes)
    }

    /// Appends tokens after the last rank; returns their ids.
    pub(crate) fn push_tokens(&mut self, new: &[Vec<u8>]) -> Vec<u32> {
        let mut ids = Vec::new();
        for bytes in new {
            let rank = self.tokens.len() as u32;
            self.tokens.push(bytes.clone());
            self.ranks.entry(bytes.clone()).or_insert(rank);
            ids.push(rank + self.num_special);
        }
        ids
    }

    /// The document to save: the original fields, with `vocab` holding exactly the ranks
    /// in use and `default_vocab_size` / `num_vocab_tokens` updated to match.
    pub fn to_value(&self) -> Value {
        let engine = base64::engine::general_purpose::STANDARD;
        let vocab: Vec<Value> = self
            .tokens
            .iter()
            .enumerate()
            .map(|(rank, b)| {
                // mistral-common asserts exactly these three keys; `token_str` is null
                // for byte strings that are not UTF-8, as in Mistral's own files.
                let token_str = std::str::from_utf8(b).ok();
                json!({"rank": rank, "token_bytes": engine.encode(b), "token_str": token_str})
            })
            .collect();
        let mut doc = if self.raw.is_object() {
            self.raw.clone()
        } else {
            json!({"config": {"pattern": self.pattern, "version": "v3"}})
        };
        let total = self.tokens.len() + self.num_special as usize;
        doc["config"]["default_vocab_size"] = json!(total);
        doc["config"]["default_num_special_tokens"] = json!(self.num_special);
        doc["config"]["num_vocab_tokens"] = json!(self.tokens.len());
        doc["vocab"] = Value::Array(vocab);
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(num_special: u64) -> Value {
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let vocab: Vec<Value> = (0u8..=255)
            .map(|b| serde_json::json!({"rank": b, "token_bytes": b64(&[b])}))
            .collect();
        serde_json::json!({"config": {"pattern": "\\S+|\\s+",
            "default_num_special_tokens": num_special}, "vocab": vocab})
    }

    /// A count of special ids past u32 used to be truncated (`as u32`): 2^32 + 10 read
    /// as 10, and the file loaded with wrong ids.
    #[test]
    fn special_id_counts_past_32_bits_are_refused() {
        assert_eq!(Tekken::from_value(doc(10)).unwrap().encode("a"), [107]);
        let e = Tekken::from_value(doc((1 << 32) + 10))
            .unwrap_err()
            .to_string();
        assert!(e.contains("4294967306") && e.contains("32-bit"), "{e}");
        // The last id, u32::MAX - 255 + 255, still fits; one more does not.
        let most = u64::from(u32::MAX) - 255;
        assert!(Tekken::from_value(doc(most)).is_ok());
        assert!(Tekken::from_value(doc(most + 1)).is_err());
    }
}
