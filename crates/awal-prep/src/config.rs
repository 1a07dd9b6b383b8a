//! The whole configuration of a run, as serde data.
//!
//! The same struct is read from `awal.toml` (`--config`), overridden by command-line
//! flags, and written verbatim into `manifest.json`, so a manifest says exactly how its
//! shards were made and a run can be repeated from it. Every field has a default that
//! suits Moroccan text; a TOML file only names what it changes.
//!
//! ```
//! use awal_prep::Config;
//! let c = Config::from_toml("[filter]\nmin_words = 5\n[sink]\ncompress = \"gz\"\n")?;
//! assert_eq!(c.filter.min_words, 5);
//! assert_eq!(c.sink.compress, awal_prep::config::Compression::Gz);
//! assert_eq!(c.dedup.bands * c.dedup.rows, 112);
//! # Ok::<(), awal_prep::Error>(())
//! ```

use awal_translit::normalize::Profile;
use serde::{Deserialize, Serialize};

use crate::Error;

/// All settings of a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// How inputs become documents.
    pub source: SourceConfig,
    /// Text normalization, the first stage of every document.
    pub normalize: NormalizeConfig,
    /// Quality filters.
    pub filter: FilterConfig,
    /// PII redaction.
    pub pii: PiiConfig,
    /// Deduplication.
    pub dedup: DedupConfig,
    /// Script unification after dedup (`--unify ary=arab`).
    pub unify: UnifyConfig,
    /// Output shards.
    pub sink: SinkConfig,
    /// Turn every counted skip (bad UTF-8, malformed JSON, …) into an error.
    pub strict: bool,
}

impl Config {
    /// Parses an `awal.toml`; unknown keys are errors, missing keys take defaults.
    ///
    /// ```
    /// assert!(awal_prep::Config::from_toml("[filter]\nnope = 1").is_err());
    /// ```
    pub fn from_toml(text: &str) -> Result<Self, Error> {
        toml::from_str(text).map_err(|e| Error::Config(e.to_string()))
    }

    /// Checks ranges that serde cannot.
    ///
    /// ```
    /// let mut c = awal_prep::Config::default();
    /// c.sink.valid_fraction = 2.0;
    /// assert!(c.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |m: &str| Err(Error::Config(m.to_string()));
        if !(0.0..1.0).contains(&self.sink.valid_fraction) {
            return bad("split valid fraction must be in [0, 1)");
        }
        if self.sink.shard_size == 0 {
            return bad("shard size must be > 0");
        }
        if self.sink.format == OutputFormat::Parquet && self.sink.compress == Compression::Gz {
            // Parquet compresses inside the file, page by page; this build has the zstd
            // codec (and none), not gzip.
            return bad("Parquet shards are compressed with zstd (or `none`), not gz");
        }
        // Checked: `bands * rows` of two huge values overflowed (found by fuzzing).
        let signature = self.dedup.bands.checked_mul(self.dedup.rows);
        if self.dedup.bands == 0 || self.dedup.rows == 0 || signature.map_or(true, |n| n > 512) {
            return bad("dedup bands × rows must be in 1..=512");
        }
        if let Some(name) = self.filter.first_non_finite() {
            // A NaN threshold makes every comparison false (the filter silently off) and
            // is written to manifest.json as `null`, which no run can read back.
            return Err(Error::Config(format!(
                "filter.{name} must be a finite number"
            )));
        }
        if self.dedup.word_ngram == 0 || self.dedup.char_ngram == 0 {
            return bad("shingle sizes must be > 0");
        }
        if self.source.text_field.is_empty() {
            return bad("text field must not be empty");
        }
        if Profile::parse(&self.normalize.profile).is_none() {
            let known: Vec<&str> = Profile::ALL.iter().map(|p| p.name()).collect();
            return Err(Error::Config(format!(
                "normalize profile `{}`: expected one of {}",
                self.normalize.profile,
                known.join(", ")
            )));
        }
        Ok(())
    }
}

impl FilterConfig {
    /// The name of the first threshold that is NaN or infinite, if any.
    fn first_non_finite(&self) -> Option<&'static str> {
        let pair = |p: (f64, f64)| [p.0, p.1];
        let numbers: [(&'static str, &[f64]); 13] = [
            ("latn_word_len", &pair(self.latn_word_len)),
            ("arab_word_len", &pair(self.arab_word_len)),
            ("tfng_word_len", &pair(self.tfng_word_len)),
            ("max_symbol_ratio", &[self.max_symbol_ratio]),
            ("min_main_letter_fraction", &[self.min_main_letter_fraction]),
            ("max_dup_line_fraction", &[self.max_dup_line_fraction]),
            (
                "max_dup_line_char_fraction",
                &[self.max_dup_line_char_fraction],
            ),
            ("max_dup_para_fraction", &[self.max_dup_para_fraction]),
            (
                "max_dup_para_char_fraction",
                &[self.max_dup_para_char_fraction],
            ),
            ("max_top_ngram_fraction", &self.max_top_ngram_fraction),
            ("max_dup_ngram_fraction", &self.max_dup_ngram_fraction),
            (
                "max_boilerplate_line_fraction",
                &[self.max_boilerplate_line_fraction],
            ),
            ("min_lang_score", &[self.min_lang_score]),
        ];
        numbers
            .iter()
            .find(|(_, values)| values.iter().any(|v| !v.is_finite()))
            .map(|(name, _)| *name)
    }
}

/// Settings of the normalization stage ([`crate::normalize`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NormalizeConfig {
    /// A profile of [`awal_translit::normalize::Profile`]: `prepare` (the default:
    /// invisibles, bidi controls, exotic spaces, space runs, line ends, NFC; nothing that
    /// changes spelling) or a tokenizer profile (`auto`, `ary`, `zgh`, `fra`), which also
    /// folds spellings.
    pub profile: String,
}

impl Default for NormalizeConfig {
    fn default() -> Self {
        NormalizeConfig {
            profile: Profile::Prepare.name().to_string(),
        }
    }
}

/// How a `.txt` input is cut into documents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocSep {
    /// Every non-empty line is a document (social media, sentence lists).
    #[default]
    Line,
    /// Documents are separated by one or more blank lines (articles, paragraphs kept).
    BlankLine,
}

/// Settings of [`crate::source`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SourceConfig {
    /// JSONL field holding the text; the other fields become `meta`.
    pub text_field: String,
    /// Document separator for `.txt` inputs.
    pub doc_sep: DocSep,
    /// A line or document longer than this many bytes is skipped as `too_long`
    /// without being held in memory, which bounds memory whatever the input.
    pub max_doc_bytes: usize,
}

impl Default for SourceConfig {
    fn default() -> Self {
        SourceConfig {
            text_field: "text".into(),
            doc_sep: DocSep::Line,
            max_doc_bytes: 8 << 20,
        }
    }
}

/// Settings of the [`crate::filter`] stage. Defaults are tuned for short, mixed-script
/// Moroccan documents (a social-media line is often 5–20 words), not for English web pages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FilterConfig {
    /// Turn all filters off.
    pub enabled: bool,
    /// Minimum characters (after normalization).
    pub min_chars: usize,
    /// Maximum characters.
    pub max_chars: usize,
    /// Minimum whitespace-separated words.
    pub min_words: usize,
    /// Maximum words.
    pub max_words: usize,
    /// Mean word length bounds (in characters) for Latin-script documents.
    pub latn_word_len: (f64, f64),
    /// Mean word length bounds for Arabic-script documents (clitics make words short).
    pub arab_word_len: (f64, f64),
    /// Mean word length bounds for Tifinagh documents.
    pub tfng_word_len: (f64, f64),
    /// Maximum fraction of non-space characters that are symbols or emoji.
    pub max_symbol_ratio: f64,
    /// Scripts whose letters count as "main" letters.
    pub main_scripts: Vec<String>,
    /// Minimum fraction of non-space characters that are letters of `main_scripts`.
    pub min_main_letter_fraction: f64,
    /// Gopher: maximum fraction of lines that duplicate an earlier line.
    pub max_dup_line_fraction: f64,
    /// Gopher: maximum fraction of characters in duplicated lines.
    pub max_dup_line_char_fraction: f64,
    /// Gopher: maximum fraction of paragraphs that duplicate an earlier paragraph.
    pub max_dup_para_fraction: f64,
    /// Gopher: maximum fraction of characters in duplicated paragraphs.
    pub max_dup_para_char_fraction: f64,
    /// Gopher: maximum character fraction of the most frequent 2-, 3-, 4-gram (counted
    /// only when it occurs at least twice, so a short document is not dropped for
    /// having n-grams at all).
    pub max_top_ngram_fraction: [f64; 3],
    /// Gopher: maximum character fraction in duplicated 5- to 10-grams.
    pub max_dup_ngram_fraction: [f64; 6],
    /// Drop a document when more than this fraction of its lines is boilerplate
    /// (boilerplate lines are removed from kept documents).
    pub max_boilerplate_line_fraction: f64,
    /// Language allow-list (`ary_Arab`, `zgh_Tfng`, …); empty keeps all.
    pub langs: Vec<String>,
    /// Minimum language score for the allow-list.
    pub min_lang_score: f64,
}

impl Default for FilterConfig {
    fn default() -> Self {
        FilterConfig {
            enabled: true,
            min_chars: 15,
            max_chars: 1_000_000,
            min_words: 3,
            max_words: 100_000,
            latn_word_len: (2.0, 12.0),
            arab_word_len: (2.0, 12.0),
            tfng_word_len: (2.0, 16.0),
            max_symbol_ratio: 0.25,
            main_scripts: vec!["Arab".into(), "Latn".into(), "Tfng".into()],
            min_main_letter_fraction: 0.55,
            max_dup_line_fraction: 0.3,
            max_dup_line_char_fraction: 0.2,
            max_dup_para_fraction: 0.3,
            max_dup_para_char_fraction: 0.2,
            max_top_ngram_fraction: [0.2, 0.18, 0.16],
            max_dup_ngram_fraction: [0.15, 0.14, 0.13, 0.12, 0.11, 0.10],
            max_boilerplate_line_fraction: 0.5,
            langs: Vec::new(),
            min_lang_score: 0.0,
        }
    }
}

/// Settings of the [`crate::pii`] stage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PiiConfig {
    /// Redact at all.
    pub enabled: bool,
}

impl Default for PiiConfig {
    fn default() -> Self {
        PiiConfig { enabled: true }
    }
}

/// Settings of the [`crate::unify`] stage.
///
/// ```
/// let c = awal_prep::Config::from_toml("[unify]\ntargets = [\"ary=arab\"]\n")?;
/// assert_eq!(c.unify.targets, ["ary=arab"]);
/// assert!(c.unify.keep_loans);
/// # Ok::<(), awal_prep::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UnifyConfig {
    /// `LANG=SCRIPT` rules (`ary=arab`, `zgh=tfng`); none turns the stage off.
    pub targets: Vec<String>,
    /// Keep French and English loanwords in Latin inside Darija.
    pub keep_loans: bool,
    /// A Darija model from `awal translit train` instead of the built-in one.
    pub model: Option<String>,
}

impl Default for UnifyConfig {
    fn default() -> Self {
        UnifyConfig {
            targets: Vec::new(),
            keep_loans: true,
            model: None,
        }
    }
}

/// Settings of the [`crate::dedup`] stage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DedupConfig {
    /// Exact duplicates of the normalized text.
    pub exact: bool,
    /// Near duplicates by MinHash LSH.
    pub near: bool,
    /// LSH bands (FineWeb: 14).
    pub bands: usize,
    /// Rows per band (FineWeb: 8); bands × rows MinHash permutations.
    pub rows: usize,
    /// Word n-gram shingles for Latin-script documents.
    pub word_ngram: usize,
    /// Character n-gram shingles for Arabic-script and Tifinagh documents.
    pub char_ngram: usize,
    /// Seed of the MinHash permutations (part of the result, hence of the config).
    pub seed: u64,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            exact: true,
            near: true,
            bands: 14,
            rows: 8,
            word_ngram: 2,
            char_ngram: 5,
            seed: 0x5eed_a3a1,
        }
    }
}

/// Shard compression.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    /// Zstandard, level 3 (`.jsonl.zst`).
    #[default]
    Zst,
    /// Gzip (`.jsonl.gz`).
    Gz,
    /// Plain `.jsonl`.
    None,
}

impl Compression {
    /// The file name suffix of a shard.
    ///
    /// ```
    /// assert_eq!(awal_prep::config::Compression::Zst.suffix(), ".jsonl.zst");
    /// ```
    pub fn suffix(self) -> &'static str {
        match self {
            Compression::Zst => ".jsonl.zst",
            Compression::Gz => ".jsonl.gz",
            Compression::None => ".jsonl",
        }
    }
}

/// Settings of the [`crate::sink`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SinkConfig {
    /// Uncompressed bytes after which the open shards are closed.
    pub shard_size: u64,
    /// Shard compression.
    pub compress: Compression,
    /// Fraction of documents routed to the `valid` split (by hash of the text); 0 = none.
    pub valid_fraction: f64,
    /// Shard format: JSONL lines (compressed as `compress` says) or Parquet. Left out of
    /// `manifest.json` when it is the default, so JSONL runs write the manifests they
    /// always wrote.
    #[serde(skip_serializing_if = "OutputFormat::is_jsonl")]
    pub format: OutputFormat,
}

/// The format of the output shards.
///
/// ```
/// let c = awal_prep::Config::from_toml("[sink]\nformat = \"parquet\"\n")?;
/// assert_eq!(c.sink.format, awal_prep::config::OutputFormat::Parquet);
/// assert_eq!(c.sink.shard_suffix(), ".parquet");
/// # Ok::<(), awal_prep::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// One JSON object per line (`.jsonl`, `.jsonl.zst`, `.jsonl.gz`).
    #[default]
    Jsonl,
    /// Apache Parquet (`.parquet`): the record's fields as columns, `meta` as a JSON
    /// string, zstd-compressed pages (see [`crate::sink`]).
    Parquet,
}

impl OutputFormat {
    /// Whether this is the default, JSONL.
    ///
    /// ```
    /// assert!(awal_prep::config::OutputFormat::Jsonl.is_jsonl());
    /// ```
    pub fn is_jsonl(&self) -> bool {
        *self == OutputFormat::Jsonl
    }
}

impl SinkConfig {
    /// The file name suffix of a shard: `.parquet`, or the JSONL suffix of `compress`.
    ///
    /// ```
    /// assert_eq!(awal_prep::config::SinkConfig::default().shard_suffix(), ".jsonl.zst");
    /// ```
    pub fn shard_suffix(&self) -> &'static str {
        match self.format {
            OutputFormat::Jsonl => self.compress.suffix(),
            OutputFormat::Parquet => ".parquet",
        }
    }
}

impl Default for SinkConfig {
    fn default() -> Self {
        SinkConfig {
            shard_size: 256 << 20,
            compress: Compression::Zst,
            valid_fraction: 0.0,
            format: OutputFormat::Jsonl,
        }
    }
}

/// Parses a size in bytes as the command line writes it: `1000`, `64K`, `256M`, `1G`
/// (binary multiples, either case). Zero, a value that is not a whole number and one
/// that does not fit in 64 bits are refused with an error naming the value.
///
/// ```
/// use awal_prep::config::parse_size;
/// assert_eq!(parse_size("256M")?, 256 << 20);
/// assert!(parse_size("99999999999999G").unwrap_err().to_string().contains("99999999999999G"));
/// # Ok::<(), awal_prep::Error>(())
/// ```
pub fn parse_size(text: &str) -> Result<u64, Error> {
    let s = text.trim();
    let refuse = |reason: &str| Error::Size {
        value: s.to_string(),
        reason: reason.to_string(),
    };
    let (digits, multiplier) = match s.char_indices().last() {
        Some((i, 'K' | 'k')) => (&s[..i], 1u64 << 10),
        Some((i, 'M' | 'm')) => (&s[..i], 1 << 20),
        Some((i, 'G' | 'g')) => (&s[..i], 1 << 30),
        _ => (s, 1),
    };
    let n: u64 = match digits.parse() {
        Ok(n) => n,
        Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => {
            return Err(refuse("too large (the limit is 16 EiB)"))
        }
        Err(_) => return Err(refuse("expected a whole number with K, M or G, e.g. 256M")),
    };
    if n == 0 {
        return Err(refuse("must be greater than 0"));
    }
    n.checked_mul(multiplier)
        .ok_or_else(|| refuse("too large (the limit is 16 EiB)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_overflow_is_refused() {
        assert_eq!(parse_size("256M").unwrap(), 256 << 20);
        assert_eq!(parse_size(" 64k ").unwrap(), 64 << 10);
        assert_eq!(parse_size("1000").unwrap(), 1000);
        assert_eq!(parse_size("16777215G").unwrap(), 16777215 << 30);
        for bad in ["x", "0", "", "M", "-1K", "1.5G"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        // n * 2^30 overflows u64: an error naming the value, not a wrap or a panic.
        for big in ["99999999999999G", "17179869184G", "18446744073709551616"] {
            let e = parse_size(big).unwrap_err().to_string();
            assert!(e.contains(big) && e.contains("too large"), "{e}");
        }
    }

    #[test]
    fn config_round_trips_through_toml() {
        let text = toml::to_string(&Config::default()).unwrap();
        assert_eq!(Config::from_toml(&text).unwrap(), Config::default());
    }

    // Found by fuzzing (fuzz/findings/config): the product overflowed, and a NaN
    // threshold validated but made manifest.json unreadable (`null`).
    #[test]
    fn huge_dedup_bands_and_rows_are_an_error_not_an_overflow() {
        let c = Config::from_toml("[dedup]\nbands = 9223372036854775807\nrows = 4\n").unwrap();
        assert!(c
            .validate()
            .unwrap_err()
            .to_string()
            .contains("bands × rows"));
    }

    #[test]
    fn non_finite_thresholds_are_an_error() {
        for (key, value) in [("max_symbol_ratio", "nan"), ("latn_word_len", "[2.0, inf]")] {
            let c = Config::from_toml(&format!("[filter]\n{key} = {value}\n")).unwrap();
            let err = c.validate().unwrap_err().to_string();
            assert!(
                err.contains(&format!("filter.{key} must be a finite number")),
                "{err}"
            );
        }
        assert!(Config::default().validate().is_ok());
    }
}
