//! # awal-lid: language identification that knows Moroccan varieties
//!
//! Packaged language identifiers call Darija "Urdu" and Tifinagh "Komi". This crate
//! labels text with ISO 639-3 + ISO 15924 codes as FLORES-200 and OpenLID use them —
//! `ary_Arab` (Darija, Arabic script), `ary_Latn` (Darija in Arabizi), `arb_Arab` (MSA),
//! `zgh_Tfng`/`zgh_Latn` (Tamazight), `kab_Latn`, `taq_Tfng`, `fra_Latn`, `eng_Latn` —
//! per line ([`Detector::detect`]) and per code-switched span ([`Detector::spans`]).
//!
//! The model ([`model`]) is script-first: the line's script picks the candidate labels,
//! then a naive Bayes classifier over hashed character n-grams ([`features`]) with
//! calibrated probabilities and a small marker lexicon decides among them. It trains in
//! well under a second from a few hundred sentences per label, so users can retrain it on
//! their own data ([`model::Model::train`], `awal lid train`).
//!
//! The default model ([`default_detector`]) is trained, on first use, from the sentences
//! the project wrote itself in this crate's `data/` (embedded in the binary; the
//! repository links it as `corpora/lid/`); no third-party
//! data goes into it. A program can train it at build time instead
//! ([`write_default_model`] in its `build.rs`, then [`install_default_model`]), as the
//! `awal` binary and the Python package do.
//!
//! ```
//! let detector = awal_lid::default_detector()?;
//! let d = detector.detect("ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ, ⵎⴰⵏⵉⴽ ⵜⵍⵍⵉⴷ?");
//! assert_eq!(d.lang, "zgh_Tfng");
//! assert!(d.score > 0.5);
//! # Ok::<(), awal_lid::Error>(())
//! ```

mod cache;
pub mod detect;
pub mod eval;
pub mod features;
pub mod model;

use std::sync::OnceLock;

pub use detect::{Detection, Detector, LangSpan};
pub use model::{LabelData, Marker, Model, TrainConfig};

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A model file is malformed or of another version.
    #[error("invalid model: {0}")]
    Model(String),
    /// Training data cannot produce a model.
    #[error("cannot train: {0}")]
    Training(String),
}

/// The project's own training sentences, one file per label (provenance in the crate README).
const DEFAULT_DATA: [(&str, &str); 10] = [
    ("ary_Arab", include_str!("../data/ary_Arab.txt")),
    ("ary_Latn", include_str!("../data/ary_Latn.txt")),
    ("arb_Arab", include_str!("../data/arb_Arab.txt")),
    ("zgh_Tfng", include_str!("../data/zgh_Tfng.txt")),
    ("zgh_Latn", include_str!("../data/zgh_Latn.txt")),
    ("kab_Latn", include_str!("../data/kab_Latn.txt")),
    ("taq_Tfng", include_str!("../data/taq_Tfng.txt")),
    ("taq_Latn", include_str!("../data/taq_Latn.txt")),
    ("fra_Latn", include_str!("../data/fra_Latn.txt")),
    ("eng_Latn", include_str!("../data/eng_Latn.txt")),
];
const DEFAULT_MARKERS: &str = include_str!("../data/markers.tsv");

/// Parses a marker table: `label<TAB>word` rows after a `label<TAB>word` header; `#`
/// lines are comments. Returns `(line, reason)` for the first malformed row.
///
/// ```
/// let m = awal_lid::parse_markers("label\tword\nary_Latn\tdyal\n").unwrap();
/// assert_eq!(m[0].word, "dyal");
/// ```
pub fn parse_markers(text: &str) -> Result<Vec<Marker>, (usize, String)> {
    let mut markers = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.starts_with('#') || line.trim().is_empty() || line == "label\tword" {
            continue;
        }
        match line.split_once('\t') {
            Some((label, word)) if !label.is_empty() && !word.trim().is_empty() => {
                markers.push(Marker {
                    label: label.to_string(),
                    word: word.trim().to_string(),
                })
            }
            _ => return Err((i + 1, "expected `label<TAB>word`".to_string())),
        }
    }
    Ok(markers)
}

/// The embedded default training data, as [`LabelData`].
pub fn default_training_data() -> Vec<LabelData<'static>> {
    DEFAULT_DATA
        .iter()
        .map(|(label, text)| LabelData {
            label: label.to_string(),
            lines: text.lines().filter(|l| !l.trim().is_empty()).collect(),
        })
        .collect()
}

/// The embedded default marker words.
pub fn default_markers() -> Vec<Marker> {
    parse_markers(DEFAULT_MARKERS).unwrap_or_default()
}

/// The default model trained from the embedded project data (what
/// [`default_detector`] uses when no precompiled model was installed).
pub fn train_default_model() -> Result<Model, Error> {
    Model::train(
        &default_training_data(),
        &default_markers(),
        TrainConfig::default(),
    )
}

/// The file [`write_default_model`] writes, for
/// `include_bytes!(concat!(env!("OUT_DIR"), …))`.
pub const DEFAULT_MODEL_FILE: &str = "lid-default.bin";

/// Trains the default model and writes it, serialized, to `dir/`[`DEFAULT_MODEL_FILE`]:
/// what a build script calls so that its crate can embed the model and hand it to
/// [`install_default_model`] (`awal-cli`'s and `awal-py`'s `build.rs`).
pub fn write_default_model(dir: &std::path::Path) -> std::io::Result<()> {
    let bytes = train_default_model()
        .and_then(|m| m.to_bytes())
        .map_err(std::io::Error::other)?;
    std::fs::write(dir.join(DEFAULT_MODEL_FILE), bytes)
}

/// The default model serialized at build time, when the program embeds it.
static PRECOMPILED: OnceLock<&'static [u8]> = OnceLock::new();

/// Gives [`default_detector`] the default model serialized at build time
/// (`train_default_model()?.to_bytes()?`, written by a build script and embedded with
/// `include_bytes!`), so a program starts without training it. Call it before the first
/// detection; returns `false` (and changes nothing) if a model was installed already.
/// `awal-cli`'s `build.rs` shows the pattern.
pub fn install_default_model(bytes: &'static [u8]) -> bool {
    PRECOMPILED.set(bytes).is_ok()
}

/// The default detector: the installed precompiled model (see [`install_default_model`])
/// or, without one, the model trained once per process from the embedded project data.
pub fn default_detector() -> Result<&'static Detector, Error> {
    static DEFAULT: OnceLock<Result<Detector, String>> = OnceLock::new();
    DEFAULT
        .get_or_init(|| {
            // A model that fails to load (another version's) is ignored: training gives
            // the same one, only slower.
            let precompiled = PRECOMPILED.get().and_then(|b| Model::from_bytes(b).ok());
            precompiled
                .map(Ok)
                .unwrap_or_else(train_default_model)
                .map(Detector::new)
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| Error::Training(format!("default model: {e}")))
}
