//! Script and language labels for a document.
//!
//! # The model
//!
//! Script detection is exact and cheap ([`awal_translit::script::spans`]), so it always
//! runs: a [`ScriptProfile`] holds letter counts per script and the byte extent of each
//! script's spans. Language identification is a separate concern behind the
//! [`LanguageDetector`] trait; the pipeline takes one with
//! [`crate::pipeline::Pipeline::with_detector`].
//!
//! Two detectors ship:
//! * [`AwalDetector`] wraps `awal-lid` (the model behind `awal detect`): `ary_Arab`,
//!   `ary_Latn`, `arb_Arab`, `zgh_Tfng`, `kab_Latn`, `fra_Latn`, … with calibrated scores.
//!   `awal prepare` uses it by default.
//! * [`ScriptDetector`] answers with script-level labels in the ecosystem's
//!   `lang_Script` shape: `und_Arab`, `und_Latn`, `und_Tfng`, `und_Zyyy` (no letters),
//!   with the dominant script's share of letters as the score. `und` is the ISO 639 code
//!   for "undetermined", so no consumer mistakes these labels for a language decision;
//!   the allow-list filter ([`crate::filter::lang`]) matches an `und_Xxxx` label against
//!   any allowed language written in script `Xxxx`.
//!
//! ```
//! use awal_prep::lid::{LanguageDetector, ScriptDetector, ScriptProfile};
//!
//! let text = "salam 3lik, ça va? واش نتا مزيان";
//! let profile = ScriptProfile::of(text);
//! let guess = ScriptDetector.detect(text, &profile);
//! assert_eq!(guess.lang, "und_Latn");
//! assert_eq!(profile.scripts(), vec!["Latn", "Arab"]);
//! ```

use awal_translit::script::{spans_and_counts_into, Script, ScriptCounts};

/// Letters and bytes per script of one document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScriptProfile {
    /// Letter counts per script.
    pub letters: ScriptCounts,
    /// Bytes of the spans of each script: Arab, Latn, Tfng, Other, Common.
    pub bytes: [u64; 5],
}

/// Index of a script in [`ScriptProfile::bytes`] and the manifest's tables.
pub const SCRIPT_ORDER: [Script; 5] = [
    Script::Arab,
    Script::Latn,
    Script::Tfng,
    Script::Other,
    Script::Common,
];

impl ScriptProfile {
    /// Profiles a text in one pass over its spans.
    ///
    /// ```
    /// let p = awal_prep::lid::ScriptProfile::of("ⴰⵣⵓⵍ 2025");
    /// assert_eq!((p.letters.tfng, p.bytes[2], p.bytes[4]), (4, 12, 5));
    /// ```
    pub fn of(text: &str) -> Self {
        let mut found = Vec::new();
        let letters = spans_and_counts_into(text, &mut found);
        let mut bytes = [0u64; 5];
        for span in &found {
            let i = SCRIPT_ORDER
                .iter()
                .position(|s| *s == span.script)
                .unwrap_or(4);
            bytes[i] += (span.end - span.start) as u64;
        }
        ScriptProfile { letters, bytes }
    }

    /// Total letters of all scripts.
    ///
    /// ```
    /// assert_eq!(awal_prep::lid::ScriptProfile::of("ab ⴰ").total_letters(), 3);
    /// ```
    pub fn total_letters(&self) -> usize {
        let l = &self.letters;
        l.arab + l.latn + l.tfng + l.other
    }

    /// The dominant script (`Common` when there are no letters).
    ///
    /// ```
    /// use awal_translit::script::Script;
    /// assert_eq!(awal_prep::lid::ScriptProfile::of("واش ok").dominant(), Script::Arab);
    /// ```
    pub fn dominant(&self) -> Script {
        self.letters.dominant()
    }

    /// Letter count of one script.
    ///
    /// ```
    /// use awal_translit::script::Script;
    /// assert_eq!(awal_prep::lid::ScriptProfile::of("ok").count(Script::Latn), 2);
    /// ```
    pub fn count(&self, script: Script) -> usize {
        match script {
            Script::Arab => self.letters.arab,
            Script::Latn => self.letters.latn,
            Script::Tfng => self.letters.tfng,
            Script::Other => self.letters.other,
            Script::Common => 0,
        }
    }

    /// Scripts with letters, most letters first (ties in [`SCRIPT_ORDER`]), as ISO 15924
    /// codes; `Other` is reported as `Zyyy`-less `Other`.
    ///
    /// ```
    /// assert_eq!(awal_prep::lid::ScriptProfile::of("ⴰⵣⵓⵍ a").scripts(), vec!["Tfng", "Latn"]);
    /// ```
    pub fn scripts(&self) -> Vec<&'static str> {
        let mut v: Vec<(usize, usize, Script)> = SCRIPT_ORDER[..4]
            .iter()
            .enumerate()
            .map(|(i, s)| (self.count(*s), i, *s))
            .filter(|(n, _, _)| *n > 0)
            .collect();
        v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        v.into_iter().map(|(_, _, s)| script_code(s)).collect()
    }
}

/// The ISO 15924 code used in labels (`Other` letters become `Zzzz`, no letters `Zyyy`).
///
/// ```
/// use awal_translit::script::Script;
/// assert_eq!(awal_prep::lid::script_code(Script::Common), "Zyyy");
/// ```
pub fn script_code(script: Script) -> &'static str {
    match script {
        Script::Arab => "Arab",
        Script::Latn => "Latn",
        Script::Tfng => "Tfng",
        Script::Other => "Zzzz",
        Script::Common => "Zyyy",
    }
}

/// A language decision: an ISO 639-3 + ISO 15924 label and a score in `[0, 1]`.
#[derive(Clone, Debug, PartialEq)]
pub struct LangGuess {
    /// `ary_Arab`, `zgh_Tfng`, `und_Latn`, …
    pub lang: String,
    /// Confidence in `[0, 1]`.
    pub score: f64,
}

/// The hook for language identification. Implementations must be pure (same text, same
/// answer) so that output stays identical across thread counts.
pub trait LanguageDetector: Send + Sync {
    /// Labels one document, given its script profile (computed once by the pipeline).
    ///
    /// ```
    /// use awal_prep::lid::{LanguageDetector, ScriptDetector, ScriptProfile};
    /// let g = ScriptDetector.detect("ⴰⵣⵓⵍ", &ScriptProfile::of("ⴰⵣⵓⵍ"));
    /// assert_eq!((g.lang.as_str(), g.score), ("und_Tfng", 1.0));
    /// ```
    fn detect(&self, text: &str, profile: &ScriptProfile) -> LangGuess;

    /// A name for the manifest (`script-only`, `awal-detect 0.2`, …).
    ///
    /// ```
    /// use awal_prep::lid::LanguageDetector;
    /// assert_eq!(awal_prep::lid::ScriptDetector.name(), "script-only");
    /// ```
    fn name(&self) -> String;
}

/// The default detector: `und_<Script>` of the dominant script, scored by its share of
/// the letters. See the [module docs](self) for why.
#[derive(Clone, Copy, Debug, Default)]
pub struct ScriptDetector;

impl LanguageDetector for ScriptDetector {
    fn detect(&self, _text: &str, profile: &ScriptProfile) -> LangGuess {
        let dominant = profile.dominant();
        let total = profile.total_letters();
        let score = if total == 0 {
            0.0
        } else {
            profile.count(dominant) as f64 / total as f64
        };
        LangGuess {
            lang: format!("und_{}", script_code(dominant)),
            score: (score * 1000.0).round() / 1000.0,
        }
    }

    fn name(&self) -> String {
        "script-only".into()
    }
}

/// Language identification with `awal-lid`: the labels of `awal detect`.
///
/// A document without letters is `und_Zyyy`, as with [`ScriptDetector`].
///
/// ```
/// use awal_prep::lid::{AwalDetector, LanguageDetector, ScriptProfile};
/// let detector = AwalDetector::default_model().unwrap();
/// let text = "wach nta mzyan? fin ghadi daba";
/// assert_eq!(detector.detect(text, &ScriptProfile::of(text)).lang, "ary_Latn");
/// ```
#[derive(Clone, Debug)]
pub struct AwalDetector {
    detector: awal_lid::Detector,
    name: String,
}

impl AwalDetector {
    /// The embedded default model (trained on the project's own sentences).
    pub fn default_model() -> Result<Self, awal_lid::Error> {
        Ok(AwalDetector {
            detector: awal_lid::default_detector()?.clone(),
            name: format!("awal-lid {} (default model)", env!("CARGO_PKG_VERSION")),
        })
    }

    /// A model trained with `awal lid train`; `name` goes to the manifest.
    pub fn new(model: awal_lid::Model, name: String) -> Self {
        AwalDetector {
            detector: awal_lid::Detector::new(model),
            name,
        }
    }
}

/// The detector a run names: `awal` (the awal-lid model: the embedded one, or the one
/// at `model`, made by `awal lid train`) or `script` (script-level `und_Arab` labels).
/// This is what `awal prepare --lid … --lid-model …` and `awal.Pipeline(lid=…,
/// lid_model=…)` both call, so their manifests name the same detector.
///
/// ```
/// use awal_prep::lid::named_detector;
/// assert_eq!(named_detector("script", None)?.name(), "script-only");
/// assert!(named_detector("awal", None)?.name().starts_with("awal-lid"));
/// assert!(named_detector("cld3", None).is_err());
/// # Ok::<(), awal_prep::Error>(())
/// ```
pub fn named_detector(
    kind: &str,
    model: Option<&std::path::Path>,
) -> Result<Box<dyn LanguageDetector>, crate::Error> {
    let config_err = |e: String| crate::Error::Config(e);
    Ok(match (kind, model) {
        ("script", None) => Box::new(ScriptDetector),
        ("script", Some(_)) => return Err(config_err("a LID model needs lid `awal`".into())),
        ("awal", None) => {
            Box::new(AwalDetector::default_model().map_err(|e| config_err(e.to_string()))?)
        }
        ("awal", Some(path)) => {
            let text = std::fs::read_to_string(path).map_err(|source| crate::Error::Open {
                path: path.to_path_buf(),
                source,
            })?;
            let model = awal_lid::Model::from_json(&text)
                .map_err(|e| config_err(format!("{}: {e}", path.display())))?;
            Box::new(AwalDetector::new(
                model,
                format!("awal-lid model {}", path.display()),
            ))
        }
        (other, _) => {
            return Err(config_err(format!(
                "unknown language detector `{other}` (expected awal or script)"
            )))
        }
    })
}

impl LanguageDetector for AwalDetector {
    fn detect(&self, text: &str, profile: &ScriptProfile) -> LangGuess {
        let d = self.detector.detect(text);
        if d.lang == awal_lid::detect::UNDETERMINED {
            return ScriptDetector.detect(text, profile);
        }
        LangGuess {
            lang: d.lang.to_string(),
            score: (d.score * 1000.0).round() / 1000.0,
        }
    }

    fn name(&self) -> String {
        self.name.clone()
    }
}
