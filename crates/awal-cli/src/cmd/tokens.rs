//! The model tokenizer behind `awal prepare --tokenizer` and `awal tokenizer count`.
//!
//! awal-prep counts tokens through its [`TokenCounter`] hook and does not depend on the
//! `tokenizers` library; this is where awal-tokenize's loaders are plugged into it.

use std::path::Path;

use anyhow::{Context, Result};
use awal_prep::tokens::TokenCounter;
use awal_tokenize::model::AnyTokenizer;

/// A Hugging Face `tokenizer.json` or Mistral `tekken.json`, told apart by content.
pub struct ModelTokens {
    tok: AnyTokenizer,
    name: String,
}

impl ModelTokens {
    /// Loads a tokenizer file; an unreadable file, or one of neither format, is an error
    /// naming it.
    pub fn load(path: &Path) -> Result<Self> {
        let tok = AnyTokenizer::from_file(path).context("--tokenizer")?;
        let digest = awal_prep::source::summarize(path)
            .context("--tokenizer")?
            .sha256;
        let format = match tok {
            AnyTokenizer::Tekken(_) => "tekken",
            AnyTokenizer::Hf(_) | AnyTokenizer::Awal(_) => "tokenizers",
        };
        // The file name, not the path: the manifest must not depend on where it lies.
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        Ok(ModelTokens {
            tok,
            name: format!("{file} ({format}, sha256 {digest})"),
        })
    }
}

impl TokenCounter for ModelTokens {
    /// Encodes without special tokens (no BOS/EOS), as
    /// `tokenizers.Tokenizer.encode(text, add_special_tokens=False)` and mistral-common's
    /// `Tekkenizer.encode(text, bos=False, eos=False)` do.
    fn count(&self, text: &str) -> Result<u64, String> {
        self.tok
            .encode(text)
            .map(|ids| ids.len() as u64)
            .map_err(|e| e.to_string())
    }

    fn name(&self) -> String {
        self.name.clone()
    }
}
