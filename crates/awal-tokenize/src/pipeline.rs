//! The awal pipeline as a `tokenizers` tokenizer, and awal's own fast encoder for it.
//!
//! A trained awal tokenizer is a stock `Tokenizer`: normalizer = [`crate::normalize::to_stock`],
//! pre-tokenizer = [`crate::pretokenize::to_stock`], model = byte-level BPE or Unigram,
//! decoder = `ByteLevel`. [`FastEncoder`] encodes with the same model but runs awal's
//! hand-written normalizer and pre-tokenizer instead of the stock regex passes; the tests
//! check that both give the same ids on the project's corpora.

use tokenizers::decoders::byte_level::ByteLevel as ByteLevelDecoder;
use tokenizers::{Model, ModelWrapper, NormalizedString, Normalizer as _, Tokenizer};

use crate::normalize::{Normalizer, Options};
use crate::Error;

/// GPT-2's reversible byte → printable character map used by `ByteLevel`.
///
/// ```
/// let map = awal_tokenize::pipeline::byte_chars();
/// assert_eq!((map[b'a' as usize], map[b' ' as usize]), ('a', 'Ġ'));
/// ```
pub fn byte_chars() -> [char; 256] {
    let mut map = ['\0'; 256];
    let mut n = 0u32;
    for b in 0..=255u8 {
        let printable = matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
        map[b as usize] = if printable {
            b as char
        } else {
            n += 1;
            char::from_u32(255 + n).unwrap_or('?')
        };
    }
    map
}

/// Maps bytes to the `ByteLevel` alphabet.
///
/// ```
/// use awal_tokenize::pipeline::{byte_chars, to_byte_level};
/// assert_eq!(to_byte_level(" ⴰ".as_bytes(), &byte_chars()), "Ġâ´°");
/// ```
pub fn to_byte_level(bytes: &[u8], map: &[char; 256]) -> String {
    bytes.iter().map(|&b| map[b as usize]).collect()
}

/// Inverse of [`to_byte_level`]; `None` if a character is not in the alphabet.
///
/// ```
/// use awal_tokenize::pipeline::{byte_chars, from_byte_level};
/// assert_eq!(from_byte_level("Ġâ´°", &byte_chars()), Some(" ⴰ".as_bytes().to_vec()));
/// ```
pub fn from_byte_level(s: &str, map: &[char; 256]) -> Option<Vec<u8>> {
    s.chars()
        .map(|c| map.iter().position(|&m| m == c).map(|p| p as u8))
        .collect()
}

/// A stock tokenizer around `model` with awal's normalizer and pre-tokenizer.
///
/// ```
/// use awal_tokenize::{normalize::{Normalizer, Profile}, pipeline::stock_tokenizer};
/// use tokenizers::models::bpe::BPE;
/// let t = stock_tokenizer(&Normalizer::new(Profile::Auto.options()), BPE::default().into())?;
/// assert!(t.get_normalizer().is_some());
/// # Ok::<(), awal_tokenize::Error>(())
/// ```
pub fn stock_tokenizer(normalizer: &Normalizer, model: ModelWrapper) -> Result<Tokenizer, Error> {
    let mut tok = Tokenizer::new(model);
    tok.with_normalizer(Some(crate::normalize::to_stock(normalizer)?))?;
    tok.with_pre_tokenizer(Some(crate::pretokenize::to_stock()?));
    tok.with_decoder(Some(ByteLevelDecoder::default()));
    Ok(tok)
}

/// awal's own encoder for a tokenizer built by [`stock_tokenizer`]: hand-written
/// normalizer, the pre-tokenizer split, then the model on each byte-level piece.
pub struct FastEncoder<'a> {
    normalizer: &'a Normalizer,
    model: &'a ModelWrapper,
    map: [char; 256],
}

impl<'a> FastEncoder<'a> {
    /// Wraps a normalizer and a model.
    ///
    /// ```
    /// use awal_tokenize::{normalize::{Normalizer, Profile}, pipeline::FastEncoder};
    /// use tokenizers::models::bpe::BPE;
    /// let n = Normalizer::new(Profile::Auto.options());
    /// let model = BPE::default().into();
    /// let enc = FastEncoder::new(&n, &model);
    /// // An empty BPE knows no token: nothing comes out, and nothing fails.
    /// assert!(enc.encode("x").map_or(true, |ids| ids.is_empty()));
    /// ```
    pub fn new(normalizer: &'a Normalizer, model: &'a ModelWrapper) -> FastEncoder<'a> {
        FastEncoder {
            normalizer,
            model,
            map: byte_chars(),
        }
    }

    /// Encodes one text to ids.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, Error> {
        let normalized = self.normalizer.normalize(text);
        let mut ids = Vec::new();
        for piece in crate::pretokenize::pieces(&normalized) {
            let mapped = to_byte_level(piece.as_bytes(), &self.map);
            for token in self.model.tokenize(&mapped)? {
                ids.push(token.id);
            }
        }
        Ok(ids)
    }
}

/// Recognizes a tokenizer whose normalizer and pre-tokenizer are exactly awal's exported
/// ones (for some options) and returns the matching fast normalizer; `None` otherwise.
///
/// The options are read back by probing the stock normalizer with one character per
/// option, then confirmed by comparing the whole exported JSON, so a hand-edited file
/// never gets the fast path by mistake.
///
/// ```
/// use awal_tokenize::{normalize::{Normalizer, Profile}, pipeline::{detect_awal, stock_tokenizer}};
/// use tokenizers::models::bpe::BPE;
/// let t = stock_tokenizer(&Normalizer::new(Profile::Ary.options()), BPE::default().into())?;
/// assert_eq!(detect_awal(&t).map(|n| n.options()), Some(Profile::Ary.options()));
/// # Ok::<(), awal_tokenize::Error>(())
/// ```
pub fn detect_awal(tok: &Tokenizer) -> Option<Normalizer> {
    let stock = tok.get_normalizer()?;
    let probe = |input: &str, folded: &str| -> Option<bool> {
        let mut s = NormalizedString::from(input);
        stock.normalize(&mut s).ok()?;
        Some(s.get() == folded)
    };
    let o = Options {
        lowercase: probe("A", "a")?,
        arabic: crate::normalize::ArabicOptions {
            remove_harakat: probe("بَ", "ب")?,
            unify_alef: probe("أ", "ا")?,
            unify_hamza: probe("ؤ", "و")?,
            unify_ya: probe("ى", "ي")?,
            unify_ta_marbuta: probe("ة", "ه")?,
            ascii_digits: probe("٣", "3")?,
            ..crate::normalize::ArabicOptions::default()
        },
        ..Options::default()
    };
    let n = Normalizer::new(o);
    let same_normalizer = serde_json::to_value(crate::normalize::to_stock(&n).ok()?).ok()?
        == serde_json::to_value(stock).ok()?;
    let same_pre = serde_json::to_value(crate::pretokenize::to_stock().ok()?).ok()?
        == serde_json::to_value(tok.get_pre_tokenizer()?).ok()?;
    (same_normalizer && same_pre && tok.get_post_processor().is_none()).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{read_lines, Corpus};
    use crate::normalize::{Normalizer, Profile};
    use crate::train::{train, ModelKind, TrainConfig};
    use std::path::Path;

    fn project_text() -> Vec<Corpus> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpora");
        let mut files: Vec<_> = std::fs::read_dir(root.join("lid"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.push(root.join("sample/mixed.txt"));
        files.sort();
        files
            .into_iter()
            .map(|p| Corpus {
                lang: p.file_stem().unwrap().to_string_lossy().into_owned(),
                lines: read_lines(&p).unwrap(),
                paths: vec![p],
            })
            .collect()
    }

    /// awal's fast path and the saved stock tokenizer.json give the same ids on every
    /// line of the project's corpora, for each profile and both models.
    #[test]
    fn fast_path_and_stock_pipeline_agree_on_corpora() {
        let corpora = project_text();
        for (profile, model) in [
            (Profile::Ary, ModelKind::Bpe),
            (Profile::Zgh, ModelKind::Unigram),
        ] {
            let n = Normalizer::new(profile.options());
            let cfg = TrainConfig {
                model,
                vocab_size: 1500,
                temperature: 2.0,
                min_frequency: 2,
            };
            let (tok, _) = train(&corpora, &n, &cfg).unwrap();
            // Round trip through JSON, as a user loading the file would.
            let reloaded: Tokenizer = tok.to_string(false).unwrap().parse().unwrap();
            let detected = detect_awal(&reloaded).expect("awal's own export is recognized");
            assert_eq!(detected.options(), n.options());
            let fast = FastEncoder::new(&n, reloaded.get_model());
            for c in &corpora {
                for line in &c.lines {
                    let stock = reloaded.encode(line.as_str(), false).unwrap();
                    assert_eq!(
                        fast.encode(line).unwrap(),
                        stock.get_ids(),
                        "{profile:?} {model:?} {}: {line}",
                        c.lang
                    );
                }
            }
        }
    }
}
