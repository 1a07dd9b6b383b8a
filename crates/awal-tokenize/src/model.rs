//! Any tokenizer this crate can measure or extend: a Hugging Face `tokenizer.json` or a
//! Mistral `tekken.json`, told apart by content, not by file name.

use std::path::Path;

use serde_json::Value;
use tokenizers::Tokenizer;

use crate::tekken::Tekken;
use crate::Error;

/// A loaded tokenizer of either format.
#[derive(Debug, Clone)]
pub enum AnyTokenizer {
    /// Hugging Face `tokenizers` JSON.
    Hf(Box<Tokenizer>),
    /// A `tokenizer.json` with awal's exported pipeline: encoded with the fast path
    /// (same ids, see [`crate::pipeline`]).
    Awal(Box<AwalTokenizer>),
    /// Mistral Tekken JSON.
    Tekken(Box<Tekken>),
}

impl AnyTokenizer {
    /// Reads a file and detects its format.
    ///
    /// ```no_run
    /// let t = awal_tokenize::model::AnyTokenizer::from_file("tokenizer.json".as_ref())?;
    /// println!("{}", t.count("ⴰⵣⵓⵍ"));
    /// # Ok::<(), awal_tokenize::Error>(())
    /// ```
    pub fn from_file(path: &Path) -> Result<AnyTokenizer, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let doc: Value = serde_json::from_str(&text).map_err(|e| Error::json(path, e))?;
        if Tekken::is_tekken(&doc) {
            return Ok(AnyTokenizer::Tekken(Box::new(
                Tekken::from_value(doc).map_err(|e| e.in_file(path))?,
            )));
        }
        if doc.get("model").is_some_and(Value::is_object) {
            let not_usable = |e: String| {
                Error::Format(format!(
                    "{}: not a usable tokenizer.json: {e}",
                    path.display()
                ))
            };
            let tok: Tokenizer = catch_tokenizers_panic(|| serde_json::from_value(doc))
                .map_err(not_usable)?
                .map_err(|e| not_usable(e.to_string()))?;
            if let Some(normalizer) = crate::pipeline::detect_awal(&tok) {
                let added = tok
                    .get_added_tokens_decoder()
                    .values()
                    .map(|t| t.content.clone())
                    .collect();
                return Ok(AnyTokenizer::Awal(Box::new(AwalTokenizer {
                    tok,
                    normalizer,
                    added,
                })));
            }
            return Ok(AnyTokenizer::Hf(Box::new(tok)));
        }
        Err(Error::UnknownFormat {
            path: path.to_path_buf(),
        })
    }

    /// Encodes without special tokens.
    ///
    /// ```
    /// use awal_tokenize::{model::AnyTokenizer, tekken::Tekken};
    /// let t = AnyTokenizer::Tekken(Box::new(Tekken::from_parts(r"\S+|\s+", 0,
    ///     (0u8..=255).map(|b| vec![b]).collect())?));
    /// assert_eq!(t.encode("ab")?, [97, 98]);
    /// # Ok::<(), awal_tokenize::Error>(())
    /// ```
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, Error> {
        match self {
            AnyTokenizer::Hf(t) => Ok(catch_tokenizers_panic(|| t.encode(text, false))
                .map_err(Error::Format)??
                .get_ids()
                .to_vec()),
            AnyTokenizer::Awal(t) => t.encode(text),
            AnyTokenizer::Tekken(t) => Ok(t.encode(text)),
        }
    }

    /// Number of tokens of `text` (no special tokens); 0 if the tokenizer fails on it.
    pub fn count(&self, text: &str) -> usize {
        self.encode(text).map(|ids| ids.len()).unwrap_or(0)
    }

    /// Vocabulary size including special tokens.
    pub fn vocab_size(&self) -> usize {
        match self {
            AnyTokenizer::Hf(t) => t.get_vocab_size(true),
            AnyTokenizer::Awal(t) => t.tok.get_vocab_size(true),
            AnyTokenizer::Tekken(t) => t.num_ranks() + t.num_special() as usize,
        }
    }
}

/// Runs a call into the `tokenizers` library, turning a panic into an error message.
///
/// That library panics on some malformed files instead of returning an error (found by
/// fuzzing: a BPE merge whose parts are longer than any vocabulary entry indexes past
/// its buffer), and a file a user gives must never crash awal.
fn catch_tokenizers_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        let what = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("unknown error");
        format!("the tokenizers library failed on it ({what})")
    })
}

/// A stock tokenizer recognized as awal's, with its fast normalizer.
#[derive(Debug, Clone)]
pub struct AwalTokenizer {
    tok: Tokenizer,
    normalizer: crate::normalize::Normalizer,
    /// Contents of added (special) tokens: a line containing one goes the stock way,
    /// which matches them before normalization.
    added: Vec<String>,
}

impl AwalTokenizer {
    /// Encodes without special tokens.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, Error> {
        if self.added.iter().any(|a| text.contains(a.as_str())) {
            return Ok(catch_tokenizers_panic(|| self.tok.encode(text, false))
                .map_err(Error::Format)??
                .get_ids()
                .to_vec());
        }
        crate::pipeline::FastEncoder::new(&self.normalizer, self.tok.get_model()).encode(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_the_tokenizers_library_panics_on_is_an_error() {
        // Found by fuzzing (fuzz/findings/tokenizer_file): `tokenizers` sizes its merge
        // buffer by the longest vocabulary entry, so a merge of two longest entries
        // indexes past it and panics while the file loads.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokenizer.json");
        let model = r#"{"type":"BPE","dropout":null,"unk_token":null,
            "continuing_subword_prefix":null,"end_of_word_suffix":null,"fuse_unk":false,
            "byte_fallback":false,"ignore_merges":false,"vocab":{"aa":0},"merges":[["aa","aa"]]}"#;
        let doc = format!(
            r#"{{"version":"1.0","truncation":null,"padding":null,"added_tokens":[],
            "normalizer":null,"pre_tokenizer":null,"post_processor":null,"decoder":null,
            "model":{model}}}"#
        );
        std::fs::write(&path, doc).unwrap();
        let err = AnyTokenizer::from_file(&path).unwrap_err().to_string();
        assert!(err.contains("not a usable tokenizer.json"), "{err}");
        assert!(err.starts_with(&path.display().to_string()), "{err}");
    }
}
