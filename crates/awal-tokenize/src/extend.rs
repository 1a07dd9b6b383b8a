//! Extending an existing byte-level BPE with tokens for new scripts, without changing how
//! any other text encodes.
//!
//! # How
//! 1. Pre-tokenize the target corpora with the *base* tokenizer and keep the pieces that
//!    contain a character of a target script; encode each with the base model.
//! 2. Learn merges on top of those base segmentations (classic BPE: the most frequent
//!    adjacent pair becomes a new token), up to `add` of them.
//! 3. Append them after every existing rank/merge, so at encoding time they can only act
//!    once no old merge applies — i.e. on top of the old segmentation, as learned.
//!
//! # Why other text cannot change
//! A new token is only accepted if its bytes cannot occur in text without a target-script
//! character: it contains a whole target character, or it ends in the lead bytes of a
//! UTF-8 sequence that can only complete to a target character (`E2 B5` can only start
//! U+2D40–U+2D7F). A merge whose result never occurs leaves the encoding unchanged.
//!
//! Target blocks are whole UTF-8 lead ranges: Tifinagh is U+2D00–U+2D7F (the Tifinagh
//! block and Georgian Nuskhuri, which share the lead bytes `E2 B4`); Arabic is
//! U+0600–U+06FF.

use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::Value;

use crate::corpus::Corpus;
use crate::pipeline::{byte_chars, from_byte_level, to_byte_level};
use crate::tekken::Tekken;
use crate::Error;

/// A script to add tokens for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetScript {
    /// Tifinagh (U+2D00–U+2D7F, see the module docs).
    Tfng,
    /// Arabic (U+0600–U+06FF).
    Arab,
}

impl TargetScript {
    /// Parses `Tfng` or `Arab` (any case).
    ///
    /// ```
    /// use awal_tokenize::extend::TargetScript;
    /// assert_eq!(TargetScript::parse("tfng"), Some(TargetScript::Tfng));
    /// ```
    pub fn parse(s: &str) -> Option<TargetScript> {
        match s.to_ascii_lowercase().as_str() {
            "tfng" => Some(TargetScript::Tfng),
            "arab" => Some(TargetScript::Arab),
            _ => None,
        }
    }

    fn range(self) -> (u32, u32) {
        match self {
            TargetScript::Tfng => (0x2D00, 0x2D7F),
            TargetScript::Arab => (0x0600, 0x06FF),
        }
    }

    fn contains(self, cp: u32) -> bool {
        let (lo, hi) = self.range();
        (lo..=hi).contains(&cp)
    }
}

fn in_targets(cp: u32, targets: &[TargetScript]) -> bool {
    targets.iter().any(|t| t.contains(cp))
}

/// Whether a token made of `bytes` can only ever occur in text that contains a character
/// of a target script (see the module docs).
///
/// ```
/// use awal_tokenize::extend::{is_safe, TargetScript::Tfng};
/// assert!(is_safe("ⵣ".as_bytes(), &[Tfng]));
/// assert!(is_safe(&[b' ', 0xE2, 0xB5], &[Tfng]));   // only ever starts ⵀ–⵿
/// assert!(!is_safe(&[0xB5, 0xA3], &[Tfng]));        // also inside other characters
/// assert!(!is_safe(b" a", &[Tfng]));
/// ```
pub fn is_safe(bytes: &[u8], targets: &[TargetScript]) -> bool {
    let mut i = 0;
    // Skip a leading tail of a character: it says nothing about where the token occurs.
    while i < bytes.len() && (bytes[i] & 0xC0) == 0x80 {
        i += 1;
    }
    while i < bytes.len() {
        let len = match bytes[i] {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => return false,
        };
        if i + len <= bytes.len() {
            if let Some(c) = std::str::from_utf8(&bytes[i..i + len])
                .ok()
                .and_then(|s| s.chars().next())
            {
                if in_targets(c as u32, targets) {
                    return true;
                }
            }
            i += len;
        } else {
            // An unfinished character at the end: safe if every completion is a target.
            let prefix = &bytes[i..];
            let lo = complete(prefix, len, 0x80);
            let hi = complete(prefix, len, 0xBF);
            return match (lo, hi) {
                (Some(lo), Some(hi)) => targets.iter().any(|t| {
                    let (a, b) = t.range();
                    a <= lo && hi <= b
                }),
                _ => false,
            };
        }
    }
    false
}

/// The code point of `prefix` completed with `fill` continuation bytes (ignoring
/// overlong/surrogate subtleties: only used to bound a range).
fn complete(prefix: &[u8], len: usize, fill: u8) -> Option<u32> {
    let mut b = prefix.to_vec();
    b.resize(len, fill);
    let mut cp = match len {
        2 => (b[0] & 0x1F) as u32,
        3 => (b[0] & 0x0F) as u32,
        4 => (b[0] & 0x07) as u32,
        _ => return None,
    };
    for &x in &b[1..] {
        if x & 0xC0 != 0x80 {
            return None;
        }
        cp = (cp << 6) | (x & 0x3F) as u32;
    }
    Some(cp)
}

/// Settings of an extension.
#[derive(Clone, Debug)]
pub struct ExtendConfig {
    /// At most this many new tokens.
    pub add: usize,
    /// Scripts to add tokens for.
    pub scripts: Vec<TargetScript>,
    /// Pairs seen fewer times are not merged.
    pub min_frequency: u64,
}

/// What was added.
#[derive(Clone, Debug, Default)]
pub struct Extension {
    /// Ids of the new tokens, in merge order.
    pub new_ids: Vec<u32>,
    /// Their bytes.
    pub new_tokens: Vec<Vec<u8>>,
    /// For each new token, the base ids it stands for: the base segmentation its merges
    /// were learned on (the leaves of its merge tree), whose bytes concatenate to the
    /// token's. The usual initialisation of a new embedding row is the mean of these rows.
    pub base_ids: Vec<Vec<u32>>,
    /// Ids below this belong to the base tokenizer (its vocabulary size, specials included).
    pub base_vocab_size: u32,
}

impl Extension {
    /// The embedding-initialisation map written beside an extended tokenizer
    /// (`OUTPUT.init.json`), read by `awal.hf.extend_embeddings`:
    ///
    /// ```json
    /// {"format": "awal-embedding-init/1", "base_vocab_size": 131072, "vocab_size": 139072,
    ///  "new_tokens": [{"id": 131072, "base_ids": [1045, 1181], "token_bytes": "4rWj4rSw"}]}
    /// ```
    ///
    /// `token_bytes` is base64 (a token may end inside a UTF-8 character); `vocab_size` is
    /// one past the largest id in use.
    ///
    /// ```
    /// use awal_tokenize::extend::Extension;
    /// let ext = Extension { new_ids: vec![300], new_tokens: vec![b"ab".to_vec()],
    ///     base_ids: vec![vec![97, 98]], base_vocab_size: 300 };
    /// let map = ext.init_map();
    /// assert_eq!(map["vocab_size"], 301);
    /// assert_eq!(map["new_tokens"][0]["base_ids"], serde_json::json!([97, 98]));
    /// ```
    pub fn init_map(&self) -> Value {
        use base64::Engine as _;
        let engine = base64::engine::general_purpose::STANDARD;
        let vocab_size = self
            .new_ids
            .iter()
            .map(|&id| id + 1)
            .max()
            .unwrap_or(self.base_vocab_size)
            .max(self.base_vocab_size);
        let new_tokens: Vec<Value> = self
            .new_ids
            .iter()
            .zip(&self.new_tokens)
            .zip(&self.base_ids)
            .map(|((id, bytes), base)| {
                serde_json::json!({"id": id, "base_ids": base, "token_bytes": engine.encode(bytes)})
            })
            .collect();
        serde_json::json!({
            "format": "awal-embedding-init/1",
            "base_vocab_size": self.base_vocab_size,
            "vocab_size": vocab_size,
            "new_tokens": new_tokens,
        })
    }
}

/// A learned merge: the pair it joins, the id it gets, its bytes.
type Merge = ((u32, u32), u32, Vec<u8>);

/// The base ids under each merge, in merge order: a pair's leaves are its left part's
/// followed by its right part's, and an id below `first_new` is a leaf itself.
fn merge_leaves(merges: &[Merge], first_new: u32) -> Vec<Vec<u32>> {
    let mut by_id: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    let mut out = Vec::with_capacity(merges.len());
    for ((a, b), id, _) in merges {
        let leaves_of = |x: u32| match by_id.get(&x) {
            Some(l) if x >= first_new => l.clone(),
            _ => vec![x],
        };
        let mut leaves = leaves_of(*a);
        leaves.extend(leaves_of(*b));
        by_id.insert(*id, leaves.clone());
        out.push(leaves);
    }
    out
}

/// Learns up to `add` merges over words given as base-token sequences with counts.
/// `bytes_of` gives the bytes of base ids; `exists` says whether a byte string is already
/// a token (such a pair is skipped, to keep one id per byte string).
fn learn(
    mut words: Vec<(Vec<u32>, u64)>,
    config: &ExtendConfig,
    first_id: u32,
    mut bytes_of: FxHashMap<u32, Vec<u8>>,
    exists: &dyn Fn(&[u8]) -> bool,
) -> Vec<Merge> {
    let mut counts: FxHashMap<(u32, u32), i64> = FxHashMap::default();
    let mut places: FxHashMap<(u32, u32), FxHashSet<usize>> = FxHashMap::default();
    for (w, (syms, n)) in words.iter().enumerate() {
        for p in syms.windows(2) {
            *counts.entry((p[0], p[1])).or_default() += *n as i64;
            places.entry((p[0], p[1])).or_default().insert(w);
        }
    }
    let mut allowed: FxHashMap<(u32, u32), bool> = FxHashMap::default();
    let mut merges = Vec::new();
    let mut next_id = first_id;
    while merges.len() < config.add {
        // The most frequent allowed pair; ties go to the smaller ids, for reproducibility.
        let mut best: Option<((u32, u32), i64)> = None;
        for (&pair, &count) in &counts {
            if count < config.min_frequency.max(1) as i64 {
                continue;
            }
            if best.is_some_and(|(bp, bc)| {
                (count, std::cmp::Reverse(pair)) <= (bc, std::cmp::Reverse(bp))
            }) {
                continue;
            }
            let ok = *allowed.entry(pair).or_insert_with(|| {
                let mut b = bytes_of.get(&pair.0).cloned().unwrap_or_default();
                b.extend_from_slice(bytes_of.get(&pair.1).map(Vec::as_slice).unwrap_or(&[]));
                is_safe(&b, &config.scripts) && !exists(&b)
            });
            if ok {
                best = Some((pair, count));
            }
        }
        let Some((pair, _)) = best else { break };
        let new_id = next_id;
        next_id += 1;
        let mut bytes = bytes_of.get(&pair.0).cloned().unwrap_or_default();
        bytes.extend_from_slice(bytes_of.get(&pair.1).map(Vec::as_slice).unwrap_or(&[]));
        bytes_of.insert(new_id, bytes.clone());
        merges.push((pair, new_id, bytes));
        let touched: Vec<usize> = places
            .remove(&pair)
            .map(|s| s.into_iter().collect())
            .unwrap_or_default();
        for w in touched {
            let (syms, n) = &mut words[w];
            let n = *n as i64;
            for p in syms.windows(2) {
                if let Some(c) = counts.get_mut(&(p[0], p[1])) {
                    *c -= n;
                }
            }
            let mut merged = Vec::with_capacity(syms.len());
            let mut i = 0;
            while i < syms.len() {
                if i + 1 < syms.len() && (syms[i], syms[i + 1]) == pair {
                    merged.push(new_id);
                    i += 2;
                } else {
                    merged.push(syms[i]);
                    i += 1;
                }
            }
            *syms = merged;
            for p in syms.windows(2) {
                *counts.entry((p[0], p[1])).or_default() += n;
                places.entry((p[0], p[1])).or_default().insert(w);
            }
        }
        counts.retain(|_, c| *c > 0);
    }
    merges
}

fn has_target(text: &str, targets: &[TargetScript]) -> bool {
    text.chars().any(|c| in_targets(c as u32, targets))
}

/// Extends a Tekken tokenizer in place; new ranks follow the last rank in use.
///
/// ```
/// use awal_tokenize::{corpus::Corpus, tekken::Tekken};
/// use awal_tokenize::extend::{extend_tekken, ExtendConfig, TargetScript};
/// let mut t = Tekken::from_parts(r" ?\S+|\s+", 0, (0u8..=255).map(|b| vec![b]).collect())?;
/// let before = t.encode("hello world");
/// let corpus = Corpus { lang: "zgh_Tfng".into(), paths: vec![], lines: vec!["ⴰⵣⵓⵍ ⴰⵣⵓⵍ".into(); 5] };
/// let cfg = ExtendConfig { add: 20, scripts: vec![TargetScript::Tfng], min_frequency: 2 };
/// let ext = extend_tekken(&mut t, &[corpus], &cfg)?;
/// assert!(!ext.new_ids.is_empty());
/// assert_eq!(t.encode("ⴰⵣⵓⵍ").len(), 1);
/// assert_eq!(t.encode("hello world"), before);
/// # Ok::<(), awal_tokenize::Error>(())
/// ```
pub fn extend_tekken(
    base: &mut Tekken,
    corpora: &[Corpus],
    config: &ExtendConfig,
) -> Result<Extension, Error> {
    let mut pieces: FxHashMap<&str, u64> = FxHashMap::default();
    for c in corpora {
        for line in &c.lines {
            for p in base.pieces(line) {
                if has_target(p, &config.scripts) {
                    *pieces.entry(p).or_default() += 1;
                }
            }
        }
    }
    if pieces.is_empty() {
        return Err(Error::MissingCorpus(
            "the corpora contain no character of the target scripts (see --script)".into(),
        ));
    }
    let mut sorted: Vec<(&str, u64)> = pieces.into_iter().collect();
    sorted.sort_unstable();
    let mut bytes_of = FxHashMap::default();
    let words: Vec<(Vec<u32>, u64)> = sorted
        .iter()
        .map(|(p, n)| {
            let mut ids = Vec::new();
            base.encode_piece(p.as_bytes(), &mut ids);
            for &id in &ids {
                bytes_of
                    .entry(id)
                    .or_insert_with(|| base.token_bytes(id).unwrap_or(&[]).to_vec());
            }
            (ids, *n)
        })
        .collect();
    let first = base.num_special() + base.num_ranks() as u32;
    let merges = {
        let b: &Tekken = base;
        learn(words, config, first, bytes_of, &|bytes| b.has_token(bytes))
    };
    let base_ids = merge_leaves(&merges, first);
    let new_tokens: Vec<Vec<u8>> = merges.into_iter().map(|(_, _, b)| b).collect();
    let new_ids = base.push_tokens(&new_tokens);
    Ok(Extension {
        new_ids,
        new_tokens,
        base_ids,
        base_vocab_size: first,
    })
}

/// Extends a Hugging Face byte-level BPE `tokenizer.json` (as parsed JSON): new vocab
/// entries and merges are appended; returns the new document and what was added.
///
/// ```
/// use awal_tokenize::{corpus::Corpus, normalize::{Normalizer, Profile}};
/// use awal_tokenize::extend::{extend_hf, ExtendConfig, TargetScript};
/// use awal_tokenize::train::{train, ModelKind, TrainConfig};
/// let c = |l: &str, t: &str| Corpus { lang: l.into(), paths: vec![], lines: vec![t.into(); 10] };
/// let cfg = TrainConfig { model: ModelKind::Bpe, vocab_size: 270, temperature: 1.0, min_frequency: 2 };
/// let (tok, _) = train(&[c("eng_Latn", "hello world")], &Normalizer::new(Profile::Auto.options()), &cfg)?;
/// let doc: serde_json::Value = serde_json::from_str(&tok.to_string(false)?)?;
/// let ext = ExtendConfig { add: 10, scripts: vec![TargetScript::Tfng], min_frequency: 2 };
/// let (new_doc, added) = extend_hf(&doc, &[c("zgh_Tfng", "ⴰⵣⵓⵍ")], &ext)?;
/// let new_tok: tokenizers::Tokenizer = serde_json::from_value(new_doc)?;
/// assert_eq!(new_tok.encode("ⴰⵣⵓⵍ", false)?.get_ids(), &added.new_ids[added.new_ids.len() - 1..]);
/// assert_eq!(new_tok.encode("hello", false)?.get_ids(), tok.encode("hello", false)?.get_ids());
/// # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
/// ```
pub fn extend_hf(
    doc: &Value,
    corpora: &[Corpus],
    config: &ExtendConfig,
) -> Result<(Value, Extension), Error> {
    let bad = |m: &str| Error::Format(format!("extend: {m}"));
    let model = doc.get("model").ok_or_else(|| bad("no \"model\""))?;
    if model.get("type").and_then(Value::as_str) != Some("BPE") {
        return Err(bad("only byte-level BPE models can be extended"));
    }
    let vocab = model
        .get("vocab")
        .and_then(Value::as_object)
        .ok_or_else(|| bad("BPE model without a \"vocab\" object"))?;
    let map = byte_chars();
    let mut bytes_of: FxHashMap<u32, Vec<u8>> = FxHashMap::default();
    let mut known: FxHashSet<Vec<u8>> = FxHashSet::default();
    let mut max_id = 0u32;
    for (token, id) in vocab {
        let id = id.as_u64().ok_or_else(|| bad("vocab id is not a number"))? as u32;
        max_id = max_id.max(id);
        if let Some(b) = from_byte_level(token, &map) {
            known.insert(b.clone());
            bytes_of.insert(id, b);
        }
    }
    if let Some(added) = doc.get("added_tokens").and_then(Value::as_array) {
        for t in added {
            max_id = max_id.max(t.get("id").and_then(Value::as_u64).unwrap_or(0) as u32);
        }
    }
    let tok: tokenizers::Tokenizer = serde_json::from_value(doc.clone())
        .map_err(|e| bad(&format!("not a usable tokenizer.json: {e}")))?;
    let mut pieces: FxHashMap<Vec<u32>, u64> = FxHashMap::default();
    for c in corpora {
        for line in &c.lines {
            let enc = tok.encode(line.as_str(), false)?;
            let mut current: Vec<u32> = Vec::new();
            let mut current_word = None;
            for (&id, &w) in enc.get_ids().iter().zip(enc.get_word_ids()) {
                if w != current_word && !current.is_empty() {
                    *pieces.entry(std::mem::take(&mut current)).or_default() += 1;
                }
                current_word = w;
                current.push(id);
            }
            if !current.is_empty() {
                *pieces.entry(current).or_default() += 1;
            }
        }
    }
    let mut words: Vec<(Vec<u32>, u64)> = pieces
        .into_iter()
        .filter(|(ids, _)| {
            // Special or non-byte-level tokens cannot take part in byte merges.
            if !ids.iter().all(|i| bytes_of.contains_key(i)) {
                return false;
            }
            let b: Vec<u8> = ids
                .iter()
                .flat_map(|i| bytes_of.get(i).cloned().unwrap_or_default())
                .collect();
            has_target(&String::from_utf8_lossy(&b), &config.scripts)
        })
        .collect();
    if words.is_empty() {
        return Err(Error::MissingCorpus(
            "the corpora contain no character of the target scripts (see --script)".into(),
        ));
    }
    words.sort_unstable();
    let merges = learn(words, config, max_id + 1, bytes_of.clone(), &|b| {
        known.contains(b)
    });
    let mut out = doc.clone();
    let string_merges = matches!(
        model
            .get("merges")
            .and_then(Value::as_array)
            .and_then(|m| m.first()),
        Some(Value::String(_))
    );
    let leaves = merge_leaves(&merges, max_id + 1);
    let mut ext = Extension {
        base_vocab_size: max_id + 1,
        ..Extension::default()
    };
    let mut strings: FxHashMap<u32, String> = bytes_of
        .iter()
        .map(|(&id, b)| (id, to_byte_level(b, &map)))
        .collect();
    for (((a, b), id, bytes), base_ids) in merges.into_iter().zip(leaves) {
        let (Some(sa), Some(sb)) = (strings.get(&a).cloned(), strings.get(&b).cloned()) else {
            continue;
        };
        let s = to_byte_level(&bytes, &map);
        out["model"]["vocab"][&s] = Value::from(id);
        let merge = if string_merges {
            Value::from(format!("{sa} {sb}"))
        } else {
            Value::from(vec![sa, sb])
        };
        match out["model"]["merges"].as_array_mut() {
            Some(m) => m.push(merge),
            None => out["model"]["merges"] = Value::Array(vec![merge]),
        }
        strings.insert(id, s);
        ext.new_ids.push(id);
        ext.new_tokens.push(bytes);
        ext.base_ids.push(base_ids);
    }
    Ok((out, ext))
}

/// Reads a base tokenizer file of either format, extends it and returns the document to
/// save (same format as the input) with what was added.
///
/// ```no_run
/// use awal_tokenize::extend::{extend_file, ExtendConfig, TargetScript};
/// let corpora = awal_tokenize::corpus::load(&["zgh_Tfng=zgh.txt".to_string()])?;
/// let cfg = ExtendConfig { add: 8000, scripts: vec![TargetScript::Tfng], min_frequency: 2 };
/// let (doc, ext) = extend_file("tekken.json".as_ref(), &corpora, &cfg)?;
/// # Ok::<(), awal_tokenize::Error>(())
/// ```
pub fn extend_file(
    path: &std::path::Path,
    corpora: &[Corpus],
    config: &ExtendConfig,
) -> Result<(Value, Extension), Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| Error::json(path, e))?;
    if Tekken::is_tekken(&doc) {
        let mut t = Tekken::from_value(doc).map_err(|e| e.in_file(path))?;
        let ext = extend_tekken(&mut t, corpora, config)?;
        return Ok((t.to_value(), ext));
    }
    if doc.get("model").is_some_and(Value::is_object) {
        return extend_hf(&doc, corpora, config).map_err(|e| e.in_file(path));
    }
    Err(Error::UnknownFormat {
        path: path.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(lang: &str, lines: &[&str]) -> Corpus {
        Corpus {
            lang: lang.into(),
            paths: vec![],
            lines: lines.iter().map(|l| l.to_string()).collect(),
        }
    }

    /// The init map's base ids spell each new token, and only name base ids.
    #[test]
    fn base_ids_spell_each_new_token_with_base_ids_only() {
        let mut tokens: Vec<Vec<u8>> = (0u8..=255).map(|b| vec![b]).collect();
        tokens.push(vec![0xE2, 0xB4]); // a base token inside Tifinagh characters
        let mut t = Tekken::from_parts(r" ?\S+|\s+", 5, tokens).unwrap();
        let base = t.clone();
        let text = ["ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ ⴰⵎⴰⵣⵉⵖ", "ⴰⵣⵓⵍ ⴰⵎⴰⵣⵉⵖ ⵜⴰⵎⴰⵣⵉⵖⵜ"];
        let cfg = ExtendConfig {
            add: 40,
            scripts: vec![TargetScript::Tfng],
            min_frequency: 2,
        };
        let ext = extend_tekken(&mut t, &[corpus("zgh_Tfng", &text)], &cfg).unwrap();
        assert!(ext.new_ids.len() > 5);
        assert_eq!(ext.base_vocab_size, 5 + 257);
        assert_eq!(ext.base_ids.len(), ext.new_ids.len());
        for (bytes, base_ids) in ext.new_tokens.iter().zip(&ext.base_ids) {
            assert!(base_ids.len() >= 2);
            assert!(base_ids.iter().all(|&id| id < ext.base_vocab_size));
            let spelled: Vec<u8> = base_ids
                .iter()
                .flat_map(|&id| base.token_bytes(id).unwrap().to_vec())
                .collect();
            assert_eq!(&spelled, bytes);
        }
        let map = ext.init_map();
        assert_eq!(
            map["vocab_size"].as_u64().unwrap(),
            u64::from(*ext.new_ids.last().unwrap()) + 1
        );
        assert_eq!(
            map["new_tokens"].as_array().unwrap().len(),
            ext.new_ids.len()
        );
    }
}
