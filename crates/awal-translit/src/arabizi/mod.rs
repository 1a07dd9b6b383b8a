//! Darija in Latin "Arabizi" <-> Arabic script: rules propose, a lexicon and a character
//! model choose.
//!
//! # Why an engine and not a table
//!
//! Arabizi is not an orthography. `3lach`, `3lache` and `alach` are all علاش; `a` may be
//! ا, nothing, ة at the end of a word, or ى; `l` before a noun is the article ال; DODa
//! writes emphatic ط as `T` but most people write `t`. A table gives one answer per
//! letter; this module gives *candidates* and picks the likeliest spelling:
//!
//! 1. **Lexicon.** A word the model has seen with its Arabic spelling is written that way
//!    (exact hits win; a lower-cased hit next). A known word behind a clitic or the
//!    article (`l` + `khobz`, `f` + `ddar`) is written with the prefix's Arabic.
//! 2. **Candidate rules.** Otherwise each Latin chunk of 1–3 characters has candidate
//!    Arabic spellings with probabilities per position in the word (initial, medial,
//!    final, whole word): `3` -> ع, `kh` -> خ, final `a` -> ة / ا / ى, medial `e` ->
//!    nothing, `tt` -> ت + shadda… The seeds are the data file `schemes/ary-latn.tsv`;
//!    training adds what the data shows.
//! 3. **Character model.** A 5-gram model of Arabic-script Darija words scores every
//!    partial spelling; a bounded beam search (see `decode.rs`) keeps the best.
//!
//! Arabic -> Latin is the same machine the other way round, with the seeds of
//! `schemes/ary-arab.tsv`: the DODa-style chat alphabet (`3 7 9 5 2 gh ch kh`, long
//! vowels `a i u`, short vowels as the data shows them). `Options::scholarly` writes a
//! scholarly transcription instead (`ʕ ḥ q x ʔ ɣ š`, table `schemes/ary-scholarly.tsv`).
//!
//! Numbers stay numbers (`2025`, `3 ans`): a run of digits with no letter is copied.
//! Digits inside words are letters. With `keep_loans`, French and English words of the
//! project's loanword list (`lexicons/loans.tsv` in this crate) stay in Latin (`l'école`).
//!
//! # Models
//!
//! [`Model::builtin`] is trained on first use from the project's own lexicons
//! (this crate's `lexicons/`, embedded at build time), never from third-party data: the
//! hand-written entries give the lexicon and the character model, and the careful
//! spellings `lexicons/make_forms.py` derives from them (also for generated verb
//! and adjective forms) give most of the candidate rules, so that an unknown word keeps
//! the vowel letters its Latin spelling shows. Standard Arabic words Moroccans type in
//! their Arabizi (`lexicons/msa-core.tsv`: `hatha`, `l7okouma`, `3amal`) enter the lexicon
//! and the Arabic character model but not the rules, at half a Darija word's lexicon
//! count: a Latin spelling both lists give (`hada`, `ba3d`) keeps its Darija word (هادا,
//! بعد), one only the Standard list gives is written the Standard way (هذا, الحكومة,
//! عمل). They are read, never written: Arabic -> Latin stays Darija chat
//! ([`TrainPair::forward_only`]).
//! [`Model::train`] builds a model from any parallel list ([`parse_pairs`]); the model
//! saves to JSON ([`Model::to_json`]) in the format of [`ModelFile`]: a header
//! (`"format": "awal-arabizi-model", "version": 1`), the lexicon, the counted rules of
//! both directions and the n-gram counts of both character models. Counts, not
//! probabilities, are stored: a model is inspectable and can be merged or re-smoothed.
//!
//! ```
//! use awal_translit::arabizi::{Model, TrainConfig, TrainPair};
//!
//! let pairs: Vec<TrainPair> = [("3lach", "علاش"), ("khobz", "خبز"), ("bzzaf", "بزاف")]
//!     .iter()
//!     .map(|(l, a)| TrainPair::new(l, a))
//!     .collect();
//! let (model, _) = Model::train(&pairs, &TrainConfig::default());
//! assert_eq!(model.to_arabic("3lach khobz, 2025!", false), "علاش خبز, 2025!");
//! assert_eq!(model.to_latin("علاش", false), "3lach");
//! ```

mod decode;
mod lm;
mod pairs;
mod train;

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use self::decode::{Doubling, Engine, Scratch};
use self::lm::{Lm, LmTables};
pub use self::pairs::{parse_pairs, Pairs, TrainPair};
pub use self::train::{TrainConfig, TrainStats};
use crate::matcher::Matcher;
use crate::scheme::{Position, RowRule, Scheme};
use crate::script::{classify, CharClass, Script};
use crate::Error;
use rustc_hash::{FxHashMap, FxHashSet};

/// The `format` field of a model file.
pub const FORMAT: &str = "awal-arabizi-model";
/// The model file version this build reads and writes.
pub const VERSION: u32 = 1;

/// Hypotheses kept per position by the beam search.
const BEAM: usize = 6;
/// Longer "words" (URLs, hashes, keyboard mashing) are copied, not searched: the search
/// is linear in length, but nothing that long is a Darija word.
const MAX_WORD_CHARS: usize = 48;
/// Log-probability credit of a reading built from a known stem and affixes, against the
/// rules' own spelling: negative, i.e. the affix reading must be clearly likelier. The
/// rules (with their readings in context) already spell most affixes right, while a
/// stem + affix reading imposes one spelling of each affix (ka- as ك, not كا); measured
/// on held-out DODa words, +1.2 points for a DODa model and +1.2 for the built-in one
/// against a credit of +2.
const AFFIX_BONUS: f32 = -6.0;
/// Rule weight of the lexicons' casual spellings (`9ahwa` for قهوة, `t` for ط) in the
/// built-in model: its candidate rules are learned mostly from careful spellings, in
/// which every long vowel is written and emphatics are capitals, so that an unknown word
/// keeps the letters its Latin spelling shows.
const CASUAL_RULE_WEIGHT: f32 = 0.1;
/// Decoded words remembered per thread (cleared when full): text is Zipfian, so most
/// words of a corpus are decoded once.
const CACHE_WORDS: usize = 1 << 17;

const CORE_LEXICON: &str = include_str!("../../lexicons/darija-core.tsv");
const CONTENT_LEXICON: &str = include_str!("../../lexicons/darija-content.tsv");
/// Standard Arabic words Moroccans type inside their Arabizi (`hatha`, `l7okouma`).
const MSA_LEXICON: &str = include_str!("../../lexicons/msa-core.tsv");
/// Lexicon weight of a Standard Arabic spelling: half a Darija word's, so that a Latin
/// word both lexicons list (`hada`, `ba3d`) keeps its Darija spelling (هادا, بعد), while a
/// Standard Arabic one still beats a spelling the Darija lexicons only show inside a
/// phrase (which counts 0.1).
const MSA_LEXICON_WEIGHT: f32 = 0.5;
/// Careful spellings of the lexicon words and of generated inflected forms, made by
/// `lexicons/make_forms.py` from the two lexicons above.
const CAREFUL_SPELLINGS: &str = include_str!("../../lexicons/darija-careful.tsv");
const LOANS: &str = include_str!("../../lexicons/loans.tsv");
/// Proclitics typed apart in Latin that Arabic script joins to the next word.
const DETACHED_PROCLITICS: &str = include_str!("../../lexicons/detached-proclitics.tsv");
const SCHOLARLY: &str = include_str!("../../schemes/ary-scholarly.tsv");

/// A model as stored: counts, with a version header. See the [module docs](self).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ModelFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format version, [`VERSION`].
    pub version: u32,
    /// The Latin scheme (`ary-latn`).
    pub from: String,
    /// The Arabic scheme (`ary-arab`).
    pub to: String,
    /// What the model was trained on.
    pub description: String,
    /// Order of the character models.
    pub order: usize,
    /// Weight of the character model against the rules, Latin -> Arabic.
    pub lm_weight: f32,
    /// The same, Arabic -> Latin: the Latin side must invent short vowels, which only
    /// the character model knows about, so it weighs more there.
    #[serde(default = "default_backward_weight")]
    pub backward_lm_weight: f32,
    /// Credit per character written, against the character model's preference for short
    /// spellings (which would drop letters).
    #[serde(default = "default_char_bonus")]
    pub char_bonus: f32,
    /// The same, Arabic -> Latin, where the Latin side must also write short vowels the
    /// Arabic leaves out: a larger credit keeps the character model from dropping them.
    #[serde(default = "default_backward_char_bonus")]
    pub backward_char_bonus: f32,
    /// Prefixes (article, clitics, verb prefixes) written before a known word:
    /// (Latin, Arabic).
    pub prefixes: Vec<(String, String)>,
    /// Suffixes (person endings, object pronouns) written after a known word.
    #[serde(default)]
    pub suffixes: Vec<(String, String)>,
    /// (Latin, Arabic, count) word pairs.
    pub lexicon: Vec<LexiconEntry>,
    /// Word pairs used Latin -> Arabic only, after [`ModelFile::lexicon`] (the built-in
    /// model's Standard Arabic words: Arabic script is written back as Darija chat).
    #[serde(default)]
    pub forward_lexicon: Vec<LexiconEntry>,
    /// Latin -> Arabic rules and the Arabic character model.
    pub forward: DirectionFile,
    /// Arabic -> Latin rules and the Latin character model.
    pub backward: DirectionFile,
}

/// One direction of a model: counted rules and n-gram counts of the target side.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DirectionFile {
    /// Rules with counts.
    pub rules: Vec<RuleCount>,
    /// N-grams (word boundary written `#`) with counts.
    pub ngrams: Vec<(String, f32)>,
}

/// A rule `source -> target` with its counts at the start of a word, inside, at the end
/// and as the whole word.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RuleCount(pub String, pub String, pub [f32; 4]);

/// A lexicon entry: Latin spelling, Arabic spelling, count.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LexiconEntry(pub String, pub String, pub f32);

/// A seed rule from a scheme file.
#[derive(Clone, Debug)]
pub(crate) struct Seed {
    pub source: String,
    pub target: String,
    pub positions: [bool; 4],
    pub rare: bool,
}

/// Seed rules of both directions and the prefixes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Seeds {
    pub forward: Vec<Seed>,
    pub backward: Vec<Seed>,
    pub prefixes: Vec<(String, String)>,
    pub suffixes: Vec<(String, String)>,
}

fn positions(at: Position) -> [bool; 4] {
    match at {
        Position::Any => [true; 4],
        Position::Initial => [true, false, false, false],
        Position::Medial => [false, true, false, false],
        Position::Final => [false, false, true, false],
        Position::Word => [false, false, false, true],
        Position::Prefix | Position::Suffix => [false; 4],
    }
}

impl Seeds {
    /// Seeds from the engine schemes `ary-latn` (Latin -> Arabic candidates and prefixes)
    /// and `ary-arab` (Arabic -> Latin candidates).
    pub(crate) fn from_schemes(latin: &Scheme, arabic: &Scheme) -> Seeds {
        let mut seeds = Seeds::default();
        for (scheme, backward) in [(latin, false), (arabic, true)] {
            for row in &scheme.rows {
                let RowRule::Candidate { at, rare } = row.rule else {
                    continue;
                };
                if at == Position::Prefix {
                    seeds.prefixes.push((row.latin.clone(), row.native.clone()));
                    continue;
                }
                if at == Position::Suffix {
                    seeds.suffixes.push((row.latin.clone(), row.native.clone()));
                    continue;
                }
                let (source, target) = if backward {
                    (row.native.clone(), row.latin.clone())
                } else {
                    (row.latin.clone(), row.native.clone())
                };
                let seed = Seed {
                    source,
                    target,
                    positions: positions(at),
                    rare,
                };
                if backward {
                    seeds.backward.push(seed);
                } else {
                    seeds.forward.push(seed);
                }
            }
        }
        seeds
    }

    fn builtin() -> Seeds {
        let reg = crate::Registry::builtin();
        match (reg.get("ary-latn"), reg.get("ary-arab")) {
            (Ok(l), Ok(a)) => Seeds::from_schemes(l, a),
            _ => Seeds::default(),
        }
    }
}

/// A trained Arabizi <-> Arabic model, compiled for decoding. Immutable; share it between
/// threads with an `Arc`.
pub struct Model {
    file: ModelFile,
    id: u64,
    forward: Engine,
    backward: Engine,
    to_arabic: FxHashMap<Box<str>, Box<str>>,
    to_latin: FxHashMap<Box<str>, Box<str>>,
    prefixes: Vec<(String, String)>,
    suffixes: Vec<(String, String)>,
    loans: FxHashSet<Box<str>>,
    /// Latin proclitics written apart → their joined Arabic form (see [`Model::to_arabic`]).
    detached: FxHashMap<Box<str>, Box<str>>,
    scholarly: Matcher,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("description", &self.file.description)
            .field("lexicon", &self.file.lexicon.len())
            .field("forward_rules", &self.file.forward.rules.len())
            .field("backward_rules", &self.file.backward.rules.len())
            .finish()
    }
}

fn default_backward_weight() -> f32 {
    TrainConfig::default().backward_lm_weight
}

fn default_char_bonus() -> f32 {
    TrainConfig::default().char_bonus
}

fn default_backward_char_bonus() -> f32 {
    TrainConfig::default().backward_char_bonus
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The builtin model compiled ahead of time, when the program embeds it.
static PRECOMPILED: OnceLock<&'static [u8]> = OnceLock::new();

/// Tag of [`Model::to_bytes`] output.
const COMPILED_FORMAT: &str = "awal-arabizi-compiled";

/// What [`Model::to_bytes`] stores: the model file and its compiled character models.
#[derive(Serialize, Deserialize)]
struct Compiled {
    format: String,
    crate_version: String,
    file: ModelFile,
    forward_lm: LmTables,
    backward_lm: LmTables,
}

/// Gives [`Model::builtin`] the builtin model compiled at build time (the bytes of
/// `Model::builtin().to_bytes()`, written by a build script and embedded with
/// `include_bytes!`), so a program starts without training it. Call it before the first
/// use of the model; returns `false` (and changes nothing) if bytes were installed
/// already. `awal-cli`'s `build.rs` shows the pattern.
pub fn install_builtin(bytes: &'static [u8]) -> bool {
    PRECOMPILED.set(bytes).is_ok()
}

/// The file [`write_builtin`] writes, for `include_bytes!(concat!(env!("OUT_DIR"), …))`.
pub const BUILTIN_FILE: &str = "ary-translit.bin";

/// Writes the builtin model, serialized, to `dir/`[`BUILTIN_FILE`]: what a build script
/// calls so that its crate can embed the model and hand it to [`install_builtin`]
/// (`awal-cli`'s and `awal-py`'s `build.rs`).
pub fn write_builtin(dir: &std::path::Path) -> std::io::Result<()> {
    let bytes = Model::builtin().to_bytes().map_err(std::io::Error::other)?;
    std::fs::write(dir.join(BUILTIN_FILE), bytes)
}

impl Model {
    /// Trains a model on parallel pairs (words, phrases or sentences).
    ///
    /// ```
    /// use awal_translit::arabizi::{Model, TrainConfig, TrainPair};
    /// let pairs = vec![TrainPair::new("salam", "سلام")];
    /// let (model, stats) = Model::train(&pairs, &TrainConfig::default());
    /// assert_eq!(stats.lexicon, 1);
    /// assert_eq!(model.to_arabic("salam", false), "سلام");
    /// ```
    pub fn train(pairs: &[TrainPair], config: &TrainConfig) -> (Model, TrainStats) {
        let (file, stats) = train::train(pairs, &Seeds::builtin(), config);
        (Model::compile(file), stats)
    }

    /// The default model, trained once per process from the project's own lexicons.
    ///
    /// ```
    /// let model = awal_translit::arabizi::Model::builtin();
    /// assert_eq!(model.to_arabic("khobz", false), "خبز");
    /// ```
    ///
    /// A program that embeds the model compiled at build time (see
    /// [`install_builtin`]) gets it without training; otherwise the first call trains
    /// (a few hundred milliseconds).
    pub fn builtin() -> Arc<Model> {
        static BUILTIN: OnceLock<Arc<Model>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                // Bytes that fail to load (another version's) are ignored: training
                // gives the same model, only slower.
                if let Some(model) = PRECOMPILED
                    .get()
                    .and_then(|bytes| Model::from_bytes(bytes, "precompiled builtin").ok())
                {
                    return Arc::new(model);
                }
                let config = TrainConfig {
                    description: "builtin: awal lexicons (corpora/lexicons)".into(),
                    context_rules: false,
                    ..TrainConfig::default()
                };
                Arc::new(Model::train(&builtin_pairs(), &config).0)
            })
            .clone()
    }

    /// Loads a model saved with [`Model::to_json`]; `origin` names it in errors.
    ///
    /// ```
    /// use awal_translit::arabizi::Model;
    /// let json = Model::builtin().to_json().unwrap();
    /// let again = Model::from_json(&json, "m.json").unwrap();
    /// assert_eq!(again.to_arabic("3lach", false), Model::builtin().to_arabic("3lach", false));
    /// assert!(Model::from_json("{}", "m.json").unwrap_err().to_string().starts_with("m.json:"));
    /// ```
    pub fn from_json(text: &str, origin: &str) -> Result<Model, Error> {
        let fail = |reason: String| Error::Model {
            origin: origin.to_string(),
            reason,
        };
        let header: serde_json::Value =
            serde_json::from_str(text).map_err(|e| fail(format!("not JSON: {e}")))?;
        if header.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(fail(format!(
                "not an awal model (`\"format\": \"{FORMAT}\"` missing)"
            )));
        }
        let version = header.get("version").and_then(|v| v.as_u64());
        if version != Some(VERSION as u64) {
            return Err(fail(format!(
                "model version {version:?}; this awal reads version {VERSION}"
            )));
        }
        let file: ModelFile =
            serde_json::from_value(header).map_err(|e| fail(format!("malformed model: {e}")))?;
        Ok(Model::compile(file))
    }

    /// The model compiled, as bytes that [`Model::from_bytes`] loads without recompiling
    /// the character models (for embedding in a binary; see [`install_builtin`]). The
    /// bytes are tied to this version of the crate: keep [`Model::to_json`] for files.
    ///
    /// ```
    /// use awal_translit::arabizi::Model;
    /// let bytes = Model::builtin().to_bytes().unwrap();
    /// let again = Model::from_bytes(&bytes, "builtin").unwrap();
    /// assert_eq!(again.to_arabic("3lach", false), Model::builtin().to_arabic("3lach", false));
    /// assert!(Model::from_bytes(b"junk", "x.bin").is_err());
    /// ```
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        let compiled = Compiled {
            format: COMPILED_FORMAT.to_string(),
            crate_version: env!("CARGO_PKG_VERSION").to_string(),
            file: self.file.clone(),
            forward_lm: self.forward.lm.to_tables(),
            backward_lm: self.backward.lm.to_tables(),
        };
        postcard::to_stdvec(&compiled).map_err(|e| Error::Model {
            origin: "<model>".into(),
            reason: e.to_string(),
        })
    }

    /// Loads bytes written by [`Model::to_bytes`] of this crate version; `origin` names
    /// them in errors.
    pub fn from_bytes(bytes: &[u8], origin: &str) -> Result<Model, Error> {
        let fail = |reason: String| Error::Model {
            origin: origin.to_string(),
            reason,
        };
        let compiled: Compiled = postcard::from_bytes(bytes)
            .map_err(|e| fail(format!("not a compiled awal model: {e}")))?;
        if compiled.format != COMPILED_FORMAT || compiled.crate_version != env!("CARGO_PKG_VERSION")
        {
            return Err(fail(format!(
                "compiled by {} {}, this is {COMPILED_FORMAT} {}",
                compiled.format,
                compiled.crate_version,
                env!("CARGO_PKG_VERSION")
            )));
        }
        let forward = Lm::from_tables(compiled.forward_lm);
        let backward = Lm::from_tables(compiled.backward_lm);
        match (forward, backward) {
            (Some(f), Some(b)) => Ok(Model::assemble(compiled.file, f, b)),
            _ => Err(fail("malformed character-model tables".into())),
        }
    }

    /// Serialises the model (see [`ModelFile`]).
    pub fn to_json(&self) -> Result<String, Error> {
        serde_json::to_string(&self.file).map_err(|e| Error::Model {
            origin: "<model>".into(),
            reason: e.to_string(),
        })
    }

    /// The stored form of the model.
    pub fn file(&self) -> &ModelFile {
        &self.file
    }

    fn compile(file: ModelFile) -> Model {
        let forward_lm = Lm::compile(&file.forward.ngrams, file.order);
        let backward_lm = Lm::compile(&file.backward.ngrams, file.order);
        Model::assemble(file, forward_lm, backward_lm)
    }

    /// The model of a file whose character models are already compiled.
    fn assemble(file: ModelFile, forward_lm: Lm, backward_lm: Lm) -> Model {
        let forward = Engine::compile(
            &file.forward.rules,
            forward_lm,
            (file.lm_weight, file.char_bonus),
            BEAM,
            Doubling::LatinSource,
        );
        let backward = Engine::compile(
            &file.backward.rules,
            backward_lm,
            (file.backward_lm_weight, file.backward_char_bonus),
            BEAM,
            Doubling::ArabicSource,
        );
        let to_arabic = best_spellings(file.lexicon.iter().chain(&file.forward_lexicon), false);
        let to_latin = best_spellings(file.lexicon.iter(), true);
        let mut prefixes = file.prefixes.clone();
        prefixes.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
        let mut suffixes = file.suffixes.clone();
        suffixes.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
        let scholarly = Scheme::parse(SCHOLARLY, "builtin:ary-scholarly")
            .map(|s| crate::translit::to_latin(&s))
            .unwrap_or_else(|_| Matcher::new(Vec::new(), Vec::new()));
        Model {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            forward,
            backward,
            to_arabic,
            to_latin,
            prefixes,
            suffixes,
            loans: loanwords(),
            detached: detached_proclitics(),
            scholarly,
            file,
        }
    }

    /// Converts Arabizi text to Arabic script. Everything that is not a Latin word
    /// (numbers, punctuation, Arabic, Tifinagh) is copied. With `keep_loans`, words of
    /// the loanword list stay in Latin.
    ///
    /// ```
    /// let model = awal_translit::arabizi::Model::builtin();
    /// assert_eq!(model.to_arabic("3 ans, 2025", false), "3 ans, 2025".replace("ans", &model.to_arabic("ans", false)));
    /// assert_eq!(model.to_arabic("weekend", true), "weekend");
    /// ```
    pub fn to_arabic(&self, text: &str, keep_loans: bool) -> String {
        let mut out = String::with_capacity(text.len() * 2);
        self.to_arabic_into(text, keep_loans, &mut out);
        out
    }

    /// Appends the Arabic-script form of `text` to `out` (see [`Model::to_arabic`]).
    pub fn to_arabic_into(&self, text: &str, keep_loans: bool, out: &mut String) {
        with_scratch(self.id, |scratch| {
            let mut pending: Option<Pending> = None;
            for_each_word(text, is_latin_word_char, true, out, |word, out| {
                let start = out.len();
                let number = word.bytes().all(|b| b.is_ascii_digit());
                let stays_latin = number || (keep_loans && self.is_loan(word, scratch));
                // Attach only across exactly one space (or the hyphen of `al-`), to a
                // word that becomes Arabic.
                let attach = pending
                    .take()
                    .filter(|p| !stays_latin && start == p.end + 1)
                    .and_then(|p| p.joined_before(out).map(|joined| (p, joined)));
                let unit_start = match &attach {
                    Some((p, joined)) => {
                        out.truncate(p.start);
                        out.push_str(joined);
                        p.start
                    }
                    None => start,
                };
                let word_start = out.len();
                if stays_latin {
                    out.push_str(word);
                } else {
                    self.word_to_arabic(word, scratch, out);
                }
                if let Some((p, _)) = &attach {
                    join_after_proclitic(out, word_start, p.bare_l);
                }
                if !stays_latin {
                    let before = attach.map(|(_, joined)| joined).unwrap_or_default();
                    let spaced = self.detached_proclitic(word, "");
                    let hyphened = self.detached_proclitic(word, "-");
                    if spaced.is_some() || hyphened.is_some() {
                        pending = Some(Pending {
                            start: unit_start,
                            end: out.len(),
                            spaced: spaced.map(|a| format!("{before}{a}")),
                            hyphened: hyphened.map(|a| format!("{before}{a}")),
                            bare_l: word.eq_ignore_ascii_case("l"),
                        });
                    }
                }
            })
        });
    }

    /// The joined Arabic of a proclitic typed as a word of its own (`el`, `w`, `fel`, …),
    /// or with `mark` `-`, of one typed with a hyphen (`al-`, `ach-`).
    fn detached_proclitic(&self, word: &str, mark: &str) -> Option<&str> {
        if word.len() > 3 {
            return None;
        }
        let mut key = word.to_ascii_lowercase();
        key.push_str(mark);
        self.detached.get(key.as_str()).map(|a| &**a)
    }

    /// Converts Arabic-script Darija to Latin: the chat alphabet by default, a scholarly
    /// transcription with `scholarly`.
    ///
    /// ```
    /// let model = awal_translit::arabizi::Model::builtin();
    /// assert_eq!(model.to_latin("خبز", false), "khobz");
    /// assert_eq!(model.to_latin("عشرة", true), "ʕšra");
    /// ```
    pub fn to_latin(&self, text: &str, scholarly: bool) -> String {
        let mut out = String::with_capacity(text.len());
        self.to_latin_into(text, scholarly, &mut out);
        out
    }

    /// Appends the Latin form of `text` to `out` (see [`Model::to_latin`]).
    pub fn to_latin_into(&self, text: &str, scholarly: bool, out: &mut String) {
        if scholarly {
            self.scholarly.apply(text, out);
            return;
        }
        with_scratch(self.id, |scratch| {
            for_each_word(text, is_arabic_word_char, false, out, |word, out| {
                self.word_to_latin(word, scratch, out);
            })
        });
    }

    /// Decodes one word with the rules and the character model only, bypassing the
    /// lexicon and the cache (for benchmarks of the worst case).
    #[doc(hidden)]
    pub fn decode_word_uncached(&self, word: &str, out: &mut String) {
        with_scratch(self.id, |scratch| {
            self.forward.decode(word, &mut scratch.forward, out)
        });
    }

    fn is_loan(&self, word: &str, scratch: &mut WordScratch) -> bool {
        let lower = &mut scratch.lower;
        lower.clear();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        let bare = ["l'", "d'", "j'", "qu'", "l’", "d’"]
            .iter()
            .find_map(|p| lower.strip_prefix(p))
            .unwrap_or(lower);
        self.loans.contains(bare)
    }

    fn word_to_arabic(&self, word: &str, scratch: &mut WordScratch, out: &mut String) {
        // One lookup for a word met before: the cache holds lexicon answers too.
        if let Some(hit) = scratch.cache.get(word) {
            out.push_str(hit);
            return;
        }
        if word.len() > MAX_WORD_CHARS && word.chars().count() > MAX_WORD_CHARS {
            out.push_str(word);
            return;
        }
        let mut result = self.spell_arabic(word, scratch);
        if result.is_empty() {
            // A lone vowel (`e`, `o`) has no letter of its own in Arabic script: keep it
            // rather than silently dropping a word.
            result = word.to_string();
        }
        out.push_str(&result);
        remember(&mut scratch.cache, word, result);
    }

    /// Lexicon (exact, then lower case), known stem with affixes, then the beam search.
    fn spell_arabic(&self, word: &str, scratch: &mut WordScratch) -> String {
        if let Some(hit) = self.to_arabic.get(word) {
            return hit.to_string();
        }
        let lower = &mut scratch.lower;
        lower.clear();
        lower.push_str(word);
        lower.make_ascii_lowercase();
        if let Some(hit) = self.to_arabic.get(lower.as_str()) {
            return hit.to_string();
        }
        let mut result = String::new();
        self.forward.decode(word, &mut scratch.forward, &mut result);
        let mut known = String::new();
        if self.prefixed_hit(&scratch.lower, &mut known) {
            // A known stem with affixes is preferred unless the character model finds
            // the rules' spelling clearly likelier.
            let lm = &self.forward.lm;
            if lm.score_word(&known) + AFFIX_BONUS >= lm.score_word(&result) {
                result = known;
            }
        }
        result
    }

    /// Writes `prefix + known word + suffix` (article, clitics, verb prefixes, person
    /// endings, object pronouns) if the middle is in the lexicon; the character model
    /// picks between several readings.
    fn prefixed_hit(&self, lower: &str, out: &mut String) -> bool {
        let none = (String::new(), String::new());
        let mut best: Option<(f32, String)> = None;
        for (p_latin, p_arabic) in self.prefixes.iter().chain([&none]) {
            let Some(rest) = lower.strip_prefix(p_latin.as_str()) else {
                continue;
            };
            for (s_latin, s_arabic) in self.suffixes.iter().chain([&none]) {
                if p_latin.is_empty() && s_latin.is_empty() {
                    continue;
                }
                let Some(stem) = rest.strip_suffix(s_latin.as_str()) else {
                    continue;
                };
                if stem.chars().count() < 3 {
                    continue;
                }
                if let Some(hit) = self.to_arabic.get(stem) {
                    let candidate = format!("{p_arabic}{hit}{s_arabic}");
                    let score = self.forward.lm.score_word(&candidate);
                    if best.as_ref().map_or(true, |(s, _)| score > *s) {
                        best = Some((score, candidate));
                    }
                }
            }
        }
        match best {
            Some((_, text)) => {
                out.push_str(&text);
                true
            }
            None => false,
        }
    }

    fn word_to_latin(&self, word: &str, scratch: &mut WordScratch, out: &mut String) {
        if word.chars().count() > MAX_WORD_CHARS {
            out.push_str(word);
            return;
        }
        if let Some(hit) = self.to_latin.get(word) {
            out.push_str(hit);
            return;
        }
        let bare = &mut scratch.lower;
        bare.clear();
        // Harakat and tatweel are optional in Arabic script; the lexicon and rules are
        // keyed without them (shadda, which doubles a letter, is kept).
        bare.extend(word.chars().filter(|&c| !is_optional_mark(c)));
        if let Some(hit) = self.to_latin.get(bare.as_str()) {
            out.push_str(hit);
            return;
        }
        if let Some(hit) = scratch.cache.get(bare.as_str()) {
            out.push_str(hit);
            return;
        }
        let mut result = String::new();
        self.backward
            .decode(&scratch.lower, &mut scratch.backward, &mut result);
        out.push_str(&result);
        let key = std::mem::take(&mut scratch.lower);
        remember(&mut scratch.cache, &key, result);
        scratch.lower = key;
    }
}

/// Harakat except shadda ([`crate::normalize::arabic::is_haraka`]) and tatweel.
fn is_optional_mark(c: char) -> bool {
    use crate::normalize::arabic::{is_haraka, SHADDA, TATWEEL};
    (is_haraka(c) && c != SHADDA) || c == TATWEEL
}

fn remember(cache: &mut FxHashMap<Box<str>, Box<str>>, key: &str, value: String) {
    if cache.len() >= CACHE_WORDS {
        cache.clear();
    }
    cache.insert(key.into(), value.into());
}

/// For each spelling on one side, the best spelling on the other: the highest count,
/// and on equal counts the first listed (lexicons list the usual spelling first).
fn best_spellings<'a>(
    lexicon: impl Iterator<Item = &'a LexiconEntry>,
    to_latin: bool,
) -> FxHashMap<Box<str>, Box<str>> {
    let mut best: FxHashMap<&str, (f32, &str)> = FxHashMap::default();
    for LexiconEntry(latin, arabic, count) in lexicon {
        let (key, value) = if to_latin {
            (arabic, latin)
        } else {
            (latin, arabic)
        };
        let entry = best.entry(key).or_insert((*count, value));
        if *count > entry.0 {
            *entry = (*count, value);
        }
    }
    best.into_iter()
        .map(|(k, (_, v))| (k.into(), v.into()))
        .collect()
}

/// The training pairs of the built-in model: the hand-written lexicons (lexicon,
/// character model, and a little of the rules) and the generated careful spellings
/// (rules; those of lexicon words also enter the lexicon and the character model).
pub(crate) fn builtin_pairs() -> Vec<TrainPair> {
    let mut pairs = Vec::new();
    for (name, text) in [
        ("darija-core.tsv", CORE_LEXICON),
        ("darija-content.tsv", CONTENT_LEXICON),
    ] {
        // Embedded project data, checked by this crate's tests.
        if let Ok(parsed) = parse_pairs(text, name) {
            pairs.extend(parsed.pairs.into_iter().map(|p| TrainPair {
                rule_weight: CASUAL_RULE_WEIGHT,
                ..p
            }));
        }
    }
    // Standard Arabic words enter the lexicon and the Arabic character model, not the
    // rules: their short vowels are not written (`3amal` is عمل), the opposite of the
    // careful Darija spellings the rules are learned from. They are read, never written:
    // Arabic -> Latin stays Darija chat.
    if let Ok(parsed) = parse_pairs(MSA_LEXICON, "msa-core.tsv") {
        pairs.extend(parsed.pairs.into_iter().map(|p| TrainPair {
            rule_weight: 0.0,
            lexicon_weight: MSA_LEXICON_WEIGHT,
            forward_only: true,
            ..p
        }));
    }
    for line in CAREFUL_SPELLINGS.lines() {
        let mut cols = line.split('\t');
        let (Some(arabic), Some(latin), Some(source)) = (cols.next(), cols.next(), cols.next())
        else {
            continue;
        };
        if source == "lexicon" || source == "form" {
            pairs.push(TrainPair {
                rules_only: source == "form",
                ..TrainPair::new(latin, arabic)
            });
        }
    }
    pairs
}

/// A proclitic typed apart, waiting for the next word: where its Arabic starts and ends in
/// the output, its joined Arabic (with the proclitics before it) if a space follows, and
/// if a hyphen follows, and whether it was a bare `l` (see [`join_after_proclitic`]).
struct Pending {
    start: usize,
    end: usize,
    spaced: Option<String>,
    hyphened: Option<String>,
    bare_l: bool,
}

impl Pending {
    /// The joined Arabic to write for the separator `out` ends with, if it joins.
    fn joined_before(&self, out: &str) -> Option<String> {
        match out.as_bytes().last() {
            Some(b' ') => self.spaced.clone(),
            Some(b'-') => self.hyphened.clone(),
            _ => None,
        }
    }
}

/// The table of `lexicons/detached-proclitics.tsv`: Latin (lower case) → Arabic. A Latin
/// key ending in `-` is a proclitic typed with a hyphen (`al-`, `ach-`).
fn detached_proclitics() -> FxHashMap<Box<str>, Box<str>> {
    DETACHED_PROCLITICS
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let latin = cols.next()?.trim().to_lowercase();
            let arabic = cols.next()?.trim();
            (!latin.is_empty() && !arabic.is_empty()).then(|| (latin.into(), arabic.into()))
        })
        .collect()
}

/// Joins a word's Arabic to the proclitic written just before it in `out`. The article
/// is written once when both end and start with it (`el lmadrasa` → المدرسة, `lel
/// lmadrasa` → للمدرسة); a bare `l` before a word that has its own article is the
/// preposition li (`l l7anout` → للحانوت), as `l` + `lmadrasa` is in Arabizi.
fn join_after_proclitic(out: &mut String, word_start: usize, bare_l: bool) {
    const ARTICLE: &str = "ال";
    let (before, word) = out.split_at(word_start);
    if !word.starts_with(ARTICLE) {
        return;
    }
    if bare_l && before.ends_with(ARTICLE) {
        // ال + الحانوت → ل + ل + حانوت: drop the word's alif and the proclitic's alif.
        out.replace_range(word_start..word_start + "ا".len(), "");
        let alif = word_start - ARTICLE.len();
        out.replace_range(alif..alif + "ا".len(), "");
    } else if before.ends_with(ARTICLE) || before.ends_with("لل") {
        out.replace_range(word_start..word_start + ARTICLE.len(), "");
    }
}

fn loanwords() -> FxHashSet<Box<str>> {
    LOANS
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .map(Into::into)
        .collect()
}

/// Per-thread buffers and the cache of decoded words.
#[derive(Default)]
struct WordScratch {
    model: u64,
    cache: FxHashMap<Box<str>, Box<str>>,
    /// Search buffers of each direction: their score memos hold one character model's
    /// scores each, so Latin -> Arabic and Arabic -> Latin on the same thread (as in one
    /// Python process) never read each other's.
    forward: Scratch,
    backward: Scratch,
    lower: String,
}

thread_local! {
    static SCRATCH: RefCell<WordScratch> = RefCell::new(WordScratch::default());
}

fn with_scratch<R>(model: u64, f: impl FnOnce(&mut WordScratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            if scratch.model != model {
                // Cached words and memoised scores belong to one model.
                *scratch = WordScratch {
                    model,
                    ..WordScratch::default()
                };
            }
            f(&mut scratch)
        }
        // Only reachable if a conversion re-entered itself; fresh buffers keep it safe.
        Err(_) => f(&mut WordScratch::default()),
    })
}

/// A Latin letter or an ASCII digit (Arabizi digits are letters), or an apostrophe
/// between letters (`l'école`, `ma'a`).
fn is_latin_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && classify(c) == CharClass::Letter(Script::Latn))
}

fn is_arabic_word_char(c: char) -> bool {
    matches!(
        classify(c),
        CharClass::Letter(Script::Arab) | CharClass::Mark
    )
}

/// Calls `word` for each maximal run of word characters and copies everything else.
/// An apostrophe joins two runs of Latin letters.
fn for_each_word(
    text: &str,
    is_word: impl Fn(char) -> bool,
    apostrophes: bool,
    out: &mut String,
    mut word: impl FnMut(&str, &mut String),
) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        // ASCII is decided from the byte; other characters are decoded.
        let (c, width) = if bytes[i] < 0x80 {
            (bytes[i] as char, 1)
        } else {
            match text[i..].chars().next() {
                Some(c) => (c, c.len_utf8()),
                None => break,
            }
        };
        let inside = is_word(c)
            || (start.is_some()
                && apostrophes
                && matches!(c, '\'' | '’')
                && text[i + width..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphabetic));
        match (inside, start) {
            (true, None) => {
                out.push_str(&text[copied..i]);
                start = Some(i);
            }
            (false, Some(s)) => {
                word(&text[s..i], out);
                start = None;
                copied = i;
            }
            _ => {}
        }
        i += width;
    }
    match start {
        Some(s) => word(&text[s..], out),
        None => out.push_str(&text[copied..]),
    }
}

#[cfg(test)]
mod tests;
