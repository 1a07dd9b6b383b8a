//! Normalization for tokenizers: the workspace's one normalizer
//! ([`awal_translit::normalize`], re-exported here) and its export into stock
//! `tokenizers` components.
//!
//! The steps and tables live in `awal-translit` so that corpus preparation, language
//! identification and scoring use the very same ones; this module only translates
//! [`Normalizer::stock_steps`] into a `Sequence` of `Replace`, `NFC`, `Lowercase` and
//! `Strip`, which is what a saved `tokenizer.json` holds. Tests check that the stock
//! pipeline and the Rust fast path give the same text, on random strings and on every
//! line of the project corpora.
//!
//! ```
//! use awal_tokenize::normalize::{to_stock, Normalizer, Profile};
//! use tokenizers::{NormalizedString, Normalizer as _};
//! let n = Normalizer::new(Profile::Auto.options());
//! let stock = to_stock(&n)?;
//! let mut s = NormalizedString::from(" l’école  ⴰⴳʷⵎⴰⵔ");
//! stock.normalize(&mut s)?;
//! assert_eq!(s.get(), n.normalize(" l’école  ⴰⴳʷⵎⴰⵔ"));
//! # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
//! ```

pub use awal_translit::normalize::{
    arabic, latin, tifinagh, whitespace, ArabicOptions, Normalizer, Options, Profile, StockStep,
};

use tokenizers::normalizers::replace::{Replace, ReplacePattern};
use tokenizers::normalizers::{Lowercase, Sequence, Strip, NFC};
use tokenizers::NormalizerWrapper;

/// The pipeline of `normalizer` as stock `tokenizers` components, for a `tokenizer.json`.
///
/// ```
/// use awal_tokenize::normalize::{to_stock, Normalizer, Profile};
/// assert!(to_stock(&Normalizer::new(Profile::Ary.options())).is_ok());
/// ```
pub fn to_stock(normalizer: &Normalizer) -> Result<NormalizerWrapper, crate::Error> {
    let steps = normalizer
        .stock_steps()
        .into_iter()
        .map(|step| {
            Ok(match step {
                StockStep::Replace { pattern, content } => {
                    Replace::new(ReplacePattern::Regex(pattern), content)
                        .map_err(|e| crate::Error::Stock(e.to_string()))?
                        .into()
                }
                StockStep::Nfc => NFC.into(),
                StockStep::Lowercase => Lowercase.into(),
                StockStep::Strip => Strip::new(true, true).into(),
            })
        })
        .collect::<Result<Vec<NormalizerWrapper>, crate::Error>>()?;
    Ok(Sequence::new(steps).into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::path::Path;
    use tokenizers::{NormalizedString, Normalizer as _};

    fn stock(stock: &NormalizerWrapper, text: &str) -> String {
        let mut s = NormalizedString::from(text);
        stock.normalize(&mut s).unwrap();
        s.get().to_string()
    }

    /// Characters that exercise every stage.
    fn tricky() -> impl Strategy<Value = String> {
        let alphabet: Vec<char> = "aOo|+ lLé'’ \u{A0}\u{202F}\u{200B}\u{200C}\u{200D}\u{200F}\u{202B}\u{2067}\t\r\n\u{0}\u{85}\u{301}\u{654}\u{653}اأإـَُِّىيةه٣ﻻﻷﺑۥⴰⴳⵯⵔʷ⊙ⵉⵜ\u{2D7F}ΟО"
            .chars()
            .collect();
        proptest::collection::vec(proptest::sample::select(alphabet), 0..24)
            .prop_map(|v| v.into_iter().collect())
    }

    fn all_options() -> Vec<Options> {
        let mut all: Vec<Options> = Profile::ALL.iter().map(|p| p.options()).collect();
        let mut o = Options {
            lowercase: true,
            ..Options::default()
        };
        o.arabic = ArabicOptions {
            remove_harakat: true,
            unify_alef: true,
            unify_hamza: true,
            unify_ya: true,
            unify_ta_marbuta: true,
            ..ArabicOptions::default()
        };
        all.push(o);
        o.arabic.unify_alef = false;
        o.arabic.remove_harakat = false;
        o.line_ends = true;
        all.push(o);
        all
    }

    proptest! {
        // Each case runs stock pipelines of dozens of regexes: keep the count modest.
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn stock_pipeline_agrees(text in tricky()) {
            for o in all_options() {
                let n = Normalizer::new(o);
                let exported = to_stock(&n).unwrap();
                prop_assert_eq!(stock(&exported, &text), n.normalize(&text));
            }
        }
    }

    /// Every line of the project's corpora (samples, language-ID texts, gold sets) and
    /// every sample document (with its inner newlines) comes out of the exported stock
    /// pipeline as out of the Rust one, for every profile.
    #[test]
    fn stock_pipeline_agrees_on_the_corpora() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpora");
        let mut texts: Vec<String> = Vec::new();
        let mut files = vec![
            root.join("sample/mixed.txt"),
            root.join("sample/social.txt"),
        ];
        for dir in ["lid", "gold"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("txt" | "tsv")
                ) {
                    files.push(path);
                }
            }
        }
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            texts.extend(text.lines().map(str::to_string));
        }
        let news = std::fs::read_to_string(root.join("sample/news.jsonl")).unwrap();
        // The sample holds malformed records on purpose; those have no text to compare.
        for line in news.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            if let Some(text) = v["text"].as_str() {
                texts.push(text.to_string());
            }
        }
        assert!(texts.len() > 1000, "{} texts", texts.len());
        for o in all_options() {
            let n = Normalizer::new(o);
            let exported = to_stock(&n).unwrap();
            for t in &texts {
                assert_eq!(stock(&exported, t), n.normalize(t), "{o:?} {t:?}");
            }
        }
    }
}
