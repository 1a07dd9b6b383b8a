//! # awal-prep: the corpus pipeline for Moroccan text
//!
//! Raw dumps of Moroccan web, social media and documents go in; fine-tuning-ready JSONL
//! shards and a reproducible `manifest.json` come out. The stages are the modules, in the
//! order a document meets them:
//!
//! ```text
//! source -> normalize -> lid (scripts, language) -> filter -> pii (redact) -> dedup -> unify -> sink
//! ```
//!
//! * [`source`] reads `.txt` (one document per line, or paragraphs) and `.jsonl`, plain,
//!   `.gz` or `.zst`, from files, folders and stdin, streaming with bounded memory. A line
//!   that cannot become a document (bad UTF-8, NUL bytes, malformed JSON, over-long) is a
//!   counted *skip*, never a silent loss.
//! * [`lid`] labels each document with its scripts and a language label behind the
//!   [`lid::LanguageDetector`] trait (script-level `und_Arab`-style labels until a real
//!   detector is plugged in).
//! * [`filter`] holds one quality filter per file; each names why it drops a document.
//! * [`pii`] replaces Moroccan and generic personal identifiers with typed placeholders.
//! * [`dedup`] removes exact duplicates (128-bit hash of normalized text) and near
//!   duplicates (MinHash LSH); the first document in input order wins.
//! * [`tokens`] optionally counts each kept document's tokens with a model's tokenizer
//!   (plugged in behind [`tokens::TokenCounter`]), per language and split.
//! * [`unify`] optionally transliterates each language into one script (`ary=arab`).
//! * [`source`] also reads `.parquet` files (the HF hub's format), row group by row
//!   group: one column is the text, the others are `meta`.
//! * [`sink`] writes size-bounded shards atomically (JSONL, or Parquet with
//!   `format = "parquet"`), `manifest.json` and `report.md`; [`card`] the HF dataset card
//!   (`README.md`) when asked.
//! * [`pipeline`] composes the stages: rayon over batches, output order = input order,
//!   byte-identical output whatever the thread count, resumable.
//!
//! Every stage is a pure function of one document plus read-only configuration, except
//! dedup, which owns its index and runs in input order. That is what makes the output
//! independent of the number of threads.
//!
//! ```
//! use awal_prep::pii::Redactor;
//!
//! let r = Redactor::default();
//! let (text, counts) = r.redact("3iyet liya f 0612345678 wla kteb l ali@example.ma");
//! assert_eq!(text, "3iyet liya f <PHONE> wla kteb l <EMAIL>");
//! assert_eq!(counts.total(), 2);
//! ```

pub mod card;
pub mod config;
pub mod dedup;
mod error;
pub mod filter;
mod hashing;
pub mod lid;
pub mod manifest;
pub mod normalize;
pub mod pii;
pub mod pipeline;
pub mod record;
mod resume;
pub mod sink;
mod sink_parquet;
pub mod source;
mod source_parquet;
pub mod stats;
pub mod tokens;
pub mod unify;

pub use config::Config;
pub use error::Error;
pub use record::Record;

/// The version written into every manifest.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
