//! # awal-translit: scripts and transliteration for Moroccan text
//!
//! Moroccan text is written in three scripts — Arabic, Latin (Darija "Arabizi" and IRCAM
//! Latin for Tamazight) and Tifinagh — often in one line. This crate answers two
//! questions about such text, with no I/O and no global state:
//!
//! * **Which script is each part in?** [`script::spans`] splits a line into maximal
//!   `Arab` / `Latn` / `Tfng` / `Common` spans with byte offsets, keeping Arabizi digits
//!   (`3lach`) inside their Latin word.
//! * **How does it read in another script?** A [`Transliterator`] converts between
//!   schemes — IRCAM Neo-Tifinagh (`zgh-tfng`), IRCAM Latin (`zgh-latn`), Amazigh in
//!   Arabic script (`zgh-arab`), Tuareg Tifinagh and Latin (`taq-tfng`, `taq-latn`) —
//!   through a Latin pivot. Tifinagh -> Latin -> Tifinagh is lossless.
//! * **How does this Darija read in the other script?** Arabizi (`ary-latn`) and
//!   Arabic-script Darija (`ary-arab`) are *engine* schemes: no table can decide
//!   whether `a` is ا, ة or nothing, so [`arabizi`] proposes candidates from rules and
//!   picks with a lexicon and a character n-gram model, trainable on any parallel list.
//!
//! * **What is the same text?** [`normalize`] holds the workspace's one set of
//!   normalization steps and tables (invisibles, spaces, harakat, letter variants,
//!   Tifinagh look-alikes, apostrophes) with named profiles, and its one word splitter.
//!
//! Schemes are data: TSV tables in `schemes/` (for engine schemes, the candidate rules), embedded at build time, described in
//! [`scheme`]. A user's own table loads at run time with [`scheme::Scheme::parse`] and is
//! checked with [`scheme::Scheme::validate`], so a linguist can change a convention
//! without touching Rust.
//!
//! ```
//! use awal_translit::{Options, Registry};
//!
//! let reg = Registry::builtin();
//! let t = reg.transliterator("zgh-tfng", "zgh-latn", Options::default())?;
//! assert_eq!(t.convert("ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ"), "azul fllawn");
//! # Ok::<(), awal_translit::Error>(())
//! ```

pub mod arabizi;
pub mod eval;
mod matcher;
pub mod normalize;
pub mod scheme;
pub mod script;
mod translit;
mod validate;
pub mod verbatim;

pub use translit::{Options, Registry, Transliterator};

/// Errors of this crate. Messages name the table and line where there is one.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A scheme table is malformed.
    #[error("{origin}:{line}: {reason}")]
    Scheme {
        /// The path or `builtin:NAME` of the table.
        origin: String,
        /// 1-based line, 0 for the file as a whole.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A scheme name nobody registered.
    #[error("unknown scheme `{name}`; known schemes: {known}")]
    UnknownScheme {
        /// The name asked for.
        name: String,
        /// The known names, comma-separated.
        known: String,
    },
    /// Two schemes with no conversion between them.
    #[error("cannot convert `{from}` to `{to}`: {reason}")]
    Unsupported {
        /// The source scheme.
        from: String,
        /// The target scheme.
        to: String,
        /// Why not.
        reason: String,
    },
    /// A training pairs file is malformed.
    #[error("{origin}:{line}: {reason}")]
    Pairs {
        /// The file's path or name.
        origin: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A table of spelling variants (`eval --variants`) is malformed.
    #[error("{origin}:{line}: {reason}")]
    Variants {
        /// The file's path or name.
        origin: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A model file cannot be read.
    #[error("{origin}: {reason}")]
    Model {
        /// The file's path or name.
        origin: String,
        /// What is wrong.
        reason: String,
    },
}
