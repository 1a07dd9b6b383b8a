//! # awal-tokenize: normalization, pre-tokenization and subword models for Moroccan text
//!
//! Darija (Arabic script and Latin "Arabizi"), Tamazight (Tifinagh and IRCAM Latin) and
//! French share lines, and off-the-shelf tokenizers pay up to ten times more tokens for a
//! Tifinagh sentence than for its English translation. This crate is the toolbox for
//! measuring and fixing that:
//!
//! * [`normalize`] — script-gated normalizers (Arabic, Tifinagh, Latin, whitespace).
//! * [`pretokenize`] — script-aware splitting (Arabizi words whole, French elision split).
//! * [`pipeline`] — both, exported as stock `tokenizers` components, plus an encoder that
//!   runs awal's own fast path with a trained model.
//! * [`train`] — BPE/Unigram training with temperature-balanced language sampling.
//! * [`parity`] — parity-aware BPE: each merge serves the language compressed worst.
//! * [`tekken`] — Mistral's tiktoken-style `tekken.json`: load, encode, save.
//! * [`fertility`] — tokens per word, characters per token and parity against a pivot.
//! * [`extend`] — add tokens for new scripts to a byte-level BPE without changing how any
//!   other text encodes.
//!
//! Everything that is saved is a stock format: a `tokenizer.json` that
//! `tokenizers.Tokenizer.from_file` loads with no awal code, or a `tekken.json`.
//!
//! ```
//! use awal_tokenize::normalize::{Normalizer, Profile};
//! use awal_tokenize::pretokenize::pieces;
//!
//! let n = Normalizer::new(Profile::Auto.options());
//! let text = n.normalize("l’école  3lach ⴰⴳʷⵎⴰⵔ");
//! assert_eq!(pieces(&text), ["l'", "école", " 3lach", " ⴰⴳⵯⵎⴰⵔ"]);
//! ```

pub mod normalize;
pub mod pretokenize;

pub mod corpus;
pub mod error;
pub mod extend;
pub mod fertility;
pub mod model;
pub mod parity;
pub mod pipeline;
pub mod tekken;
pub mod train;

pub use error::Error;
