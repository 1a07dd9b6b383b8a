//! The dataset card: `README.md` in the output folder, in the HF hub's format, so the
//! folder can be pushed to a hub as it is (`awal prepare --card`).
//!
//! # The model
//!
//! The card is built from the run's [`Manifest`] only, so it says what the manifest
//! says and nothing else. A YAML header carries the hub's metadata:
//!
//! * `language`: the language codes of the kept documents' labels (`ary_Arab` → `ary`),
//!   ISO 639-1 where the hub knows the language by it (`fra` → `fr`, `arb` → `ar`,
//!   `eng` → `en`, …), ISO 639-3 otherwise (`ary`, `zgh`, `tzm`, `kab`, …); script-only
//!   labels (`und_*`) give none, and no `language` key is written when none is left.
//! * `license`: `--license` (a hub licence identifier such as `cc-by-4.0`), else
//!   `other`: awal cannot know the licence of the inputs, and `other` is the hub's word
//!   for "see the card".
//! * `task_categories: [text-generation]`, and `size_categories` from the kept
//!   documents (`n<1K`, `1K<n<10K`, …).
//! * `configs`: one `default` config whose `data_files` list each split's shards, as the
//!   manifest lists them.
//!
//! The body is the report ([`Manifest::report`]): documents and bytes per language,
//! script and split, what was dropped and why, PII redacted, the shards with their
//! SHA-256. Whatever the manifest gains (token counts, say) reaches the card through it.
//!
//! ```
//! use awal_prep::{card, manifest::Manifest, stats::Stats, Config};
//! let (c, mut s) = (Config::default(), Stats::default());
//! s.languages.insert("ary_Arab".into(), Default::default());
//! s.languages.insert("fra_Latn".into(), Default::default());
//! let m = Manifest::new("x".into(), &c, &[], &s, &[]);
//! let text = card::dataset_card(&m, "cc-by-4.0");
//! assert!(text.starts_with("---\nlanguage:\n- ary\n- fr\nlicense: cc-by-4.0\n"));
//! assert!(text.contains("# awal prepare report"));
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::manifest::Manifest;
use crate::Error;

/// The file name of the card in the output folder.
pub const CARD: &str = "README.md";

/// The line that marks a card as written by awal, so a later `--overwrite` run may
/// replace it (and leaves any other `README.md` alone).
pub const MARKER: &str = "<!-- written by `awal prepare --card` -->";

/// The licence written when none is given.
pub const DEFAULT_LICENSE: &str = "other";

/// ISO 639-3 codes that the hub knows by an ISO 639-1 code.
const ISO_639_1: &[(&str, &str)] = &[
    ("arb", "ar"),
    ("ara", "ar"),
    ("deu", "de"),
    ("eng", "en"),
    ("fra", "fr"),
    ("ita", "it"),
    ("nld", "nl"),
    ("por", "pt"),
    ("spa", "es"),
];

/// Checks a licence identifier: lower-case letters, digits, `.`, `-` and `+`, as the
/// hub's identifiers are (`apache-2.0`, `cc-by-sa-4.0`, `other`), so the YAML header
/// stays a plain scalar.
///
/// ```
/// assert!(awal_prep::card::check_license("cc-by-4.0").is_ok());
/// assert!(awal_prep::card::check_license("MIT: yes").is_err());
/// ```
pub fn check_license(license: &str) -> Result<(), Error> {
    let ok = !license.is_empty()
        && license
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-+".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::Config(format!(
            "license `{license}`: expected a hub licence identifier such as `cc-by-4.0`, `apache-2.0` or `other` (lower case, digits, `.`, `-`, `+`)"
        )))
    }
}

/// The hub language codes of the kept documents' labels, sorted, without repeats.
///
/// ```
/// let labels = ["ary_Arab", "ary_Latn", "arb_Arab", "zgh_Tfng", "und_Latn"];
/// assert_eq!(awal_prep::card::language_codes(labels), ["ar", "ary", "zgh"]);
/// ```
pub fn language_codes<'a>(labels: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let codes: BTreeSet<String> = labels
        .into_iter()
        .filter_map(|label| {
            let lang = label.split('_').next().unwrap_or(label);
            if lang.is_empty() || lang == "und" {
                return None;
            }
            let short = ISO_639_1.iter().find(|(long, _)| *long == lang);
            Some(short.map_or(lang, |(_, s)| s).to_string())
        })
        .collect();
    codes.into_iter().collect()
}

/// The hub's size bucket for `n` examples.
///
/// ```
/// use awal_prep::card::size_category;
/// assert_eq!((size_category(999), size_category(1000), size_category(1146)), ("n<1K", "1K<n<10K", "1K<n<10K"));
/// ```
pub fn size_category(n: u64) -> &'static str {
    const BUCKETS: [(u64, &str); 10] = [
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
        (10_000_000, "1M<n<10M"),
        (100_000_000, "10M<n<100M"),
        (1_000_000_000, "100M<n<1B"),
        (10_000_000_000, "1B<n<10B"),
        (100_000_000_000, "10B<n<100B"),
        (1_000_000_000_000, "100B<n<1T"),
    ];
    BUCKETS
        .iter()
        .find(|(limit, _)| n < *limit)
        .map_or("n>1T", |(_, name)| name)
}

/// The card's text: YAML header, then a short description and the run's report.
pub fn dataset_card(manifest: &Manifest, license: &str) -> String {
    let mut c = String::from("---\n");
    let codes = language_codes(manifest.languages.keys().map(String::as_str));
    // Script-only labels (`--lid script`) name no language: no key rather than a null.
    if !codes.is_empty() {
        c.push_str("language:\n");
        for code in codes {
            let _ = writeln!(c, "- {code}");
        }
    }
    let _ = writeln!(c, "license: {license}");
    c.push_str("task_categories:\n- text-generation\n");
    let _ = writeln!(
        c,
        "size_categories:\n- {}",
        size_category(manifest.balance.kept)
    );
    let mut files: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for o in manifest.outputs {
        files.entry(&o.split).or_default().push(&o.path);
    }
    if !files.is_empty() {
        c.push_str("configs:\n- config_name: default\n  data_files:\n");
        for (split, paths) in &files {
            let _ = writeln!(c, "  - split: {split}\n    path:");
            for p in paths {
                // Shard paths are `[a-z0-9/.-]`: plain YAML scalars, quoted all the same.
                let _ = writeln!(c, "    - \"{p}\"");
            }
        }
    }
    c.push_str("---\n\n");
    c.push_str(MARKER);
    c.push_str("\n\n");
    let _ = writeln!(
        c,
        "Text prepared with `awal prepare` (awal-prep {}): read, normalized, labelled by \
         language and script, filtered, PII-redacted and deduplicated. Each record has \
         `id`, `text`, `lang` (language_Script label), `lang_score`, `scripts` (script \
         codes present), `source` (`FILE:LINE` of the input) and `meta` (the input's \
         other fields{}). `manifest.json` holds the full configuration and the SHA-256 of \
         every input and shard.\n",
        manifest.version,
        if manifest.config.sink.format.is_jsonl() {
            ""
        } else {
            ", as a JSON string"
        }
    );
    c.push_str(&manifest.report());
    c
}
