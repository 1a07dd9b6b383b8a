//! The classifier: script first, then naive Bayes over hashed character n-grams within
//! the script, calibrated to probabilities, nudged by marker words.
//!
//! # Why this shape
//!
//! Script decides most of the problem for free: a Tifinagh line is Tamazight or Tuareg,
//! never French. So labels are grouped by their ISO 15924 suffix (`ary_Arab` is in the
//! `Arab` group) and a line is only scored against the labels of its dominant script.
//! Within a group, a multinomial naive Bayes model over hashed features
//! ([`crate::features`]) separates close varieties (Darija from MSA, Arabizi from French
//! and Kabyle) from a few hundred sentences per label; it trains in milliseconds and
//! scores with one table row per feature.
//!
//! Raw naive Bayes log-likelihoods grow with text length and are wildly over-confident,
//! so scores are turned into probabilities by a softmax over `k · score / √n` (n = number
//! of known features), with `k` fitted at training time on held-out lines to minimise
//! log loss — a one-parameter temperature scaling. Marker words (function words such as
//! ديال / dyal for Darija, الذي / سوف for MSA) add a fixed bonus to the logit of their
//! label: a project-written lexicon that helps short lines the statistics alone find
//! ambiguous.

use awal_translit::script::Script;
use serde::{Deserialize, Serialize};

use std::sync::atomic::{AtomicU64, Ordering};

use crate::cache::{self, Probe, WordCache, GROUPS};
use crate::features::{word_features, word_hash, words, Word};
use crate::Error;

/// Ids of models built in this process, for the word cache ([`crate::cache`]).
static NEXT_MODEL_ID: AtomicU64 = AtomicU64::new(1);

/// Format name written in every model file.
pub const FORMAT: &str = "awal-lid";
/// Model file version this code reads and writes.
pub const VERSION: u32 = 1;

/// Training settings.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TrainConfig {
    /// log2 of the number of hash buckets.
    pub bits: u32,
    /// Additive smoothing of feature counts.
    pub alpha: f64,
    /// Logit bonus per marker word found.
    pub marker_weight: f64,
    /// Every `holdout`-th line of each label is held out to fit the calibration.
    pub holdout: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            bits: 16,
            alpha: 0.5,
            marker_weight: 1.5,
            holdout: 5,
        }
    }
}

/// Training text for one label: its name (`ary_Latn`) and its lines.
#[derive(Clone, Debug)]
pub struct LabelData<'a> {
    /// ISO 639-3 + ISO 15924 label, e.g. `ary_Arab`.
    pub label: String,
    /// One sentence or document per line.
    pub lines: Vec<&'a str>,
}

/// A marker word and the label it points to.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Marker {
    /// The label the word is evidence for.
    pub label: String,
    /// The word, as it appears between spaces or punctuation (lower case for Latin).
    pub word: String,
}

/// Most labels one script may have (accumulators are fixed arrays of this size).
pub const MAX_LABELS_PER_SCRIPT: usize = 16;
/// Quantization of weights: one unit is 1/16 nat.
const QUANTUM: f64 = 16.0;

/// One script's labels and their feature weights.
#[derive(Clone, Debug)]
pub(crate) struct Group {
    script: Script,
    /// Indices into `Model::labels`.
    labels: Vec<usize>,
    /// `weights[bucket * labels.len() + j]`: log((count + α) / α) of label j, in 1/16
    /// nats. One byte per label keeps a whole script's table in L2 cache; a row of zeros
    /// means no label ever saw the feature.
    weights: Vec<u8>,
    /// Log-probability of an unseen feature (same for every label after rebalancing).
    base: f64,
    /// Whole-word hashes of marker words, sorted, with their position in `labels`.
    markers: Vec<(u64, usize)>,
}

/// A trained language identifier.
#[derive(Clone, Debug)]
pub struct Model {
    labels: Vec<String>,
    groups: Vec<Group>,
    config: TrainConfig,
    /// The fitted calibration factor `k`.
    calibration: f64,
    counts: Vec<SparseCounts>,
    markers: Vec<Marker>,
    /// Process-unique id (shared by clones, which share the weights): the key of the
    /// per-thread word cache.
    id: u64,
    /// Labels per script slot (Arab, Latn, Tfng), 0 without a group.
    group_sizes: [usize; GROUPS],
}

/// Feature counts of one label, sparse, as stored in model files.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
struct SparseCounts {
    label: String,
    total: u64,
    /// (bucket, count) pairs sorted by bucket.
    counts: Vec<(u32, u32)>,
}

/// The on-disk form of a model (JSON).
#[derive(Serialize, Deserialize)]
struct ModelFile {
    format: String,
    version: u32,
    config: TrainConfig,
    calibration: f64,
    markers: Vec<Marker>,
    labels: Vec<SparseCounts>,
}

/// Scores of one text against the labels of its script.
#[derive(Clone, Debug, PartialEq)]
pub struct Scores {
    /// The script the text was scored in (`Common` when it has no letters).
    pub script: Script,
    /// (label index, probability), best first; empty when no label applies.
    pub ranked: Vec<(usize, f64)>,
}

/// The script a label is for, from its ISO 15924 suffix.
///
/// ```
/// use awal_lid::model::label_script;
/// use awal_translit::script::Script;
/// assert_eq!(label_script("ary_Arab"), Some(Script::Arab));
/// assert_eq!(label_script("und"), None);
/// ```
pub fn label_script(label: &str) -> Option<Script> {
    match label.rsplit_once('_')?.1 {
        "Arab" => Some(Script::Arab),
        "Latn" => Some(Script::Latn),
        "Tfng" => Some(Script::Tfng),
        _ => None,
    }
}

impl Model {
    /// Trains a model from lines per label and marker words.
    ///
    /// Labels must end in a script code this crate knows (`_Arab`, `_Latn`, `_Tfng`).
    ///
    /// ```
    /// use awal_lid::model::{LabelData, Model, TrainConfig};
    /// let data = vec![
    ///     LabelData { label: "fra_Latn".into(), lines: vec!["le chat est sur la table", "bonjour à tous"] },
    ///     LabelData { label: "eng_Latn".into(), lines: vec!["the cat is on the table", "hello everyone"] },
    /// ];
    /// let model = Model::train(&data, &[], TrainConfig { bits: 14, ..TrainConfig::default() }).unwrap();
    /// let scores = model.score("the table");
    /// assert_eq!(model.label(scores.ranked[0].0), "eng_Latn");
    /// ```
    pub fn train(
        data: &[LabelData<'_>],
        markers: &[Marker],
        config: TrainConfig,
    ) -> Result<Model, Error> {
        check_config(&config)?;
        check_labels(data)?;
        let counts = count_features(data, &config, |i| i % config.holdout.max(2) != 0);
        let mut model = Model::from_counts(counts, markers.to_vec(), config.clone(), 1.0)?;
        let held_out: Vec<(usize, &str)> = data
            .iter()
            .enumerate()
            .flat_map(|(label, d)| {
                d.lines
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % config.holdout.max(2) == 0)
                    .map(move |(_, line)| (label, *line))
            })
            .collect();
        let calibration = model.fit_calibration(&held_out);
        // Refit on all lines, keeping the calibration learned on held-out lines.
        let counts = count_features(data, &config, |_| true);
        model = Model::from_counts(counts, markers.to_vec(), config, calibration)?;
        Ok(model)
    }

    /// Reads a model saved with [`Model::to_json`].
    ///
    /// ```
    /// use awal_lid::model::Model;
    /// assert!(Model::from_json("{}").is_err());
    /// ```
    pub fn from_json(text: &str) -> Result<Model, Error> {
        let file: ModelFile = serde_json::from_str(text)
            .map_err(|e| Error::Model(format!("not an awal-lid model: {e}")))?;
        Model::from_file(file)
    }

    /// Reads a model saved with [`Model::to_bytes`]: the same content as the JSON, in a
    /// compact binary form that loads in a fraction of the time (for models embedded in
    /// a binary at build time; keep JSON for files).
    ///
    /// ```
    /// let m = awal_lid::train_default_model().unwrap();
    /// let again = awal_lid::model::Model::from_bytes(&m.to_bytes().unwrap()).unwrap();
    /// assert_eq!(again.to_json().unwrap(), m.to_json().unwrap());
    /// assert!(awal_lid::model::Model::from_bytes(b"junk").is_err());
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, Error> {
        let file: ModelFile = postcard::from_bytes(bytes)
            .map_err(|e| Error::Model(format!("not a binary awal-lid model: {e}")))?;
        Model::from_file(file)
    }

    /// The model in the binary form of [`Model::from_bytes`].
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        postcard::to_stdvec(&self.file())
            .map_err(|e| Error::Model(format!("cannot serialize: {e}")))
    }

    fn from_file(file: ModelFile) -> Result<Model, Error> {
        if file.format != FORMAT {
            return Err(Error::Model(format!(
                "format is `{}`, not `{FORMAT}`",
                file.format
            )));
        }
        if file.version != VERSION {
            return Err(Error::Model(format!(
                "model version {} is not supported (this awal reads version {VERSION})",
                file.version
            )));
        }
        check_config(&file.config)?;
        Model::from_counts(file.labels, file.markers, file.config, file.calibration)
    }

    /// Serializes the model (sparse counts, config, calibration, markers) as JSON.
    pub fn to_json(&self) -> Result<String, Error> {
        serde_json::to_string(&self.file())
            .map_err(|e| Error::Model(format!("cannot serialize: {e}")))
    }

    fn file(&self) -> ModelFile {
        ModelFile {
            format: FORMAT.to_string(),
            version: VERSION,
            config: self.config.clone(),
            calibration: self.calibration,
            markers: self.markers.clone(),
            labels: self.counts.clone(),
        }
    }

    fn from_counts(
        counts: Vec<SparseCounts>,
        markers: Vec<Marker>,
        config: TrainConfig,
        calibration: f64,
    ) -> Result<Model, Error> {
        let labels: Vec<String> = counts.iter().map(|c| c.label.clone()).collect();
        let buckets = 1usize << config.bits;
        let mut groups: Vec<Group> = Vec::new();
        for (index, label) in labels.iter().enumerate() {
            let script = label_script(label).ok_or_else(|| {
                Error::Model(format!("label `{label}` has no known script suffix"))
            })?;
            match groups.iter_mut().find(|g| g.script == script) {
                Some(g) => g.labels.push(index),
                None => groups.push(Group {
                    script,
                    labels: vec![index],
                    weights: Vec::new(),
                    base: 0.0,
                    markers: Vec::new(),
                }),
            }
        }
        for group in &mut groups {
            if group.labels.len() > MAX_LABELS_PER_SCRIPT {
                return Err(Error::Model(format!(
                    "more than {MAX_LABELS_PER_SCRIPT} labels for script {}",
                    group.script.code()
                )));
            }
            fill_weights(group, &counts, &config, buckets)?;
        }
        for marker in &markers {
            let Some(index) = labels.iter().position(|l| *l == marker.label) else {
                continue;
            };
            if let Some(g) = groups.iter_mut().find(|g| g.labels.contains(&index)) {
                let j = g.labels.iter().position(|&l| l == index).unwrap_or(0);
                g.markers.push((word_hash(&marker.word), j));
            }
        }
        for g in &mut groups {
            g.markers.sort_unstable();
            g.markers.dedup_by_key(|m| m.0);
        }
        let mut group_sizes = [0; GROUPS];
        for g in &groups {
            if let Some(slot) = script_slot(g.script) {
                group_sizes[slot] = g.labels.len();
            }
        }
        Ok(Model {
            labels,
            groups,
            config,
            calibration,
            counts,
            markers,
            id: NEXT_MODEL_ID.fetch_add(1, Ordering::Relaxed),
            group_sizes,
        })
    }

    /// The label names, in model order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The name of label `index`.
    pub fn label(&self, index: usize) -> &str {
        self.labels.get(index).map(String::as_str).unwrap_or("und")
    }

    /// The fitted calibration factor.
    pub fn calibration(&self) -> f64 {
        self.calibration
    }

    fn group(&self, script: Script) -> Option<&Group> {
        self.groups.iter().find(|g| g.script == script)
    }

    /// Scores a whole text against the labels of its dominant script (words of other
    /// scripts are ignored here; see [`crate::detect`] for spans).
    ///
    /// One pass over the words: each word's evidence goes to its own script's
    /// accumulator, and the script with most letters is chosen at the end.
    pub fn score(&self, text: &str) -> Scores {
        self.with_scorer(|scorer| self.score_with(text, scorer))
    }

    fn score_with(&self, text: &str, scorer: &mut WordScorer<'_>) -> Scores {
        let mut accs: [Option<Accumulator>; 3] = [None, None, None];
        let mut letters = [0usize; 3];
        // Words are looked up AHEAD at a time: all are probed (their cache lines
        // prefetched) before the first is added, so memory latency overlaps.
        let mut names = Accumulator::default();
        let mut pending: [Pending; AHEAD] = [Pending::default(); AHEAD];
        let mut n = 0;
        words(text, |w| {
            let Some(slot) = script_slot(w.script) else {
                return;
            };
            letters[slot] += (w.end - w.start) / BYTES_PER_LETTER[slot];
            if self.group_sizes[slot] > 0 {
                pending[n] = scorer.probe(w, slot, text);
                n += 1;
                if n == AHEAD {
                    scorer.add_pending(&pending, text, &mut accs, &mut names);
                    n = 0;
                }
            }
        });
        scorer.add_pending(&pending[..n], text, &mut accs, &mut names);
        if names.known > 0 {
            accs[LATN_SLOT]
                .get_or_insert_with(Accumulator::default)
                .add_scaled_down(&names, NAME_WEIGHT_DIVISOR);
        }
        let script = dominant(&letters);
        let ranked = match (self.group(script), script_slot(script)) {
            (Some(group), Some(slot)) => match &accs[slot] {
                Some(acc) => self.rank(group, acc),
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        Scores { script, ranked }
    }

    /// Runs `f` with a [`WordScorer`] backed by this thread's word cache (or by none,
    /// when the cache is busy further up the stack).
    pub(crate) fn with_scorer<R>(&self, f: impl FnOnce(&mut WordScorer<'_>) -> R) -> R {
        cache::with_cache(self.id, self.group_sizes, |cache| {
            f(&mut WordScorer {
                model: self,
                cache: Some(cache),
            })
        })
    }

    /// Adds one word's evidence to an accumulator of `group`.
    ///
    /// The inner loop is branch-free: every feature's row is added (an unseen feature's
    /// row is all zeros), so the CPU can have many table loads in flight at once. Rows of
    /// up to 8 labels are read as one `u64` and summed in 16-bit lanes (SWAR), flushed to
    /// the 32-bit totals before a lane could overflow.
    pub(crate) fn add_word(&self, group: &Group, word: &str, acc: &mut Accumulator) {
        let k = group.labels.len();
        let weights = &group.weights;
        let mask = if k >= 8 {
            u64::MAX
        } else {
            (1u64 << (8 * k)) - 1
        };
        let mut lanes = Lanes::default();
        let mut known = 0usize;
        let hash = word_features(word, self.config.bits, |bucket| {
            let start = bucket * k;
            let row = match weights.get(start..start + 8) {
                Some(bytes) => bytes.iter().rev().fold(0u64, |v, &b| v << 8 | b as u64) & mask,
                None => 0,
            };
            known += (row != 0) as usize;
            lanes.add(row, &mut acc.scores);
        });
        lanes.flush(&mut acc.scores);
        if k > 8 {
            // Rows wider than one u64: the remaining labels, plainly.
            word_features(word, self.config.bits, |bucket| {
                let row = &weights[bucket * k..bucket * k + k];
                for (s, &w) in acc.scores[8..k].iter_mut().zip(&row[8..]) {
                    *s += w as u32;
                }
            });
        }
        acc.known += known;
        if let Ok(i) = group.markers.binary_search_by_key(&hash, |m| m.0) {
            acc.markers[group.markers[i].1] += 1;
        }
    }

    /// Turns accumulated evidence into calibrated probabilities, best first.
    pub(crate) fn rank(&self, group: &Group, acc: &Accumulator) -> Vec<(usize, f64)> {
        let logits = self.logits(group, acc, self.calibration);
        let probabilities = softmax(&logits);
        let mut ranked: Vec<(usize, f64)> =
            group.labels.iter().copied().zip(probabilities).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
    }

    fn logits(&self, group: &Group, acc: &Accumulator, calibration: f64) -> Vec<f64> {
        let known = acc.known as f64;
        let scale = calibration / known.max(1.0).sqrt();
        (0..group.labels.len())
            .map(|j| {
                let log_likelihood = acc.scores[j] as f64 / QUANTUM + known * group.base;
                scale * log_likelihood + self.config.marker_weight * acc.markers[j] as f64
            })
            .collect()
    }

    /// The group of a script, for span scoring.
    pub(crate) fn group_of(&self, script: Script) -> Option<&Group> {
        self.group(script)
    }

    /// Finds the calibration factor minimising log loss on held-out lines.
    fn fit_calibration(&self, held_out: &[(usize, &str)]) -> f64 {
        let mut evidence = Vec::new();
        for &(label, line) in held_out {
            let script = dominant_word_script(line);
            let Some(group) = self.group(script) else {
                continue;
            };
            let Some(j) = group.labels.iter().position(|&l| l == label) else {
                continue;
            };
            let mut acc = Accumulator::default();
            words(line, |w| {
                if w.script == script {
                    self.add_word(group, &line[w.start..w.end], &mut acc);
                }
            });
            evidence.push((group, j, acc));
        }
        if evidence.is_empty() {
            return 1.0;
        }
        let loss = |k: f64| -> f64 {
            evidence
                .iter()
                .map(|(g, j, acc)| {
                    let p = softmax(&self.logits(g, acc, k));
                    -(p[*j].max(1e-12)).ln()
                })
                .sum()
        };
        // Log-spaced grid: the loss is smooth and one-dimensional, a grid is enough.
        (0..=60)
            .map(|i| 0.05 * 1.12f64.powi(i))
            .map(|k| (k, loss(k)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(k, _)| k)
            .unwrap_or(1.0)
    }
}

/// Adds words' evidence to accumulators, memoising it per word ([`crate::cache`]).
pub(crate) struct WordScorer<'m> {
    model: &'m Model,
    cache: Option<&'m mut WordCache>,
}

/// How many words [`Model::score`] probes before it adds them.
const AHEAD: usize = 16;

/// A word waiting to be added: its bytes, script slot and cache probe, and whether it
/// is a proper name.
#[derive(Clone, Copy, Default)]
struct Pending {
    start: usize,
    end: usize,
    slot: usize,
    probe: Option<Probe>,
    name: bool,
}

/// The slot of Latin script in [`script_slot`]: the only script with capital letters.
const LATN_SLOT: usize = 1;

/// How much less a proper name counts than another word: 1/4.
///
/// News and encyclopedic text in Tuareg, Kabyle or Arabizi is full of names spelled as
/// in English or French (`Open wan Brisbane`, `The Guardian`), which would otherwise
/// outvote the few function words that carry the language. A name still counts a
/// little, so a line made only of names is still labelled by them.
const NAME_WEIGHT_DIVISOR: u32 = 4;

/// Whether a Latin word is a proper name: it starts with a capital letter and does not
/// start a sentence (the line's first word, or the first after `.`, `!`, `?`, `:`, or
/// an opening quote or bracket that follows one).
fn is_proper_name(text: &str, w: Word) -> bool {
    let starts_upper = text[w.start..]
        .chars()
        .next()
        .is_some_and(char::is_uppercase);
    starts_upper && !starts_sentence(&text[..w.start])
}

/// Whether a word preceded by `before` is the first of a sentence.
fn starts_sentence(before: &str) -> bool {
    let before = before.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '\'' | '«' | '“' | '‘' | '(' | '[' | '-' | '–' | '—'
            )
    });
    before.is_empty() || before.ends_with(['.', '!', '?', ':', '…', ';'])
}

impl WordScorer<'_> {
    /// Adds the evidence of `word` (all in `script`) to `acc`; `false` when the model has
    /// no labels for that script (then `acc` is unchanged).
    #[inline]
    pub fn add(&mut self, script: Script, word: &str, acc: &mut Accumulator) -> bool {
        let model = self.model;
        let (Some(slot), Some(group)) = (script_slot(script), model.group(script)) else {
            return false;
        };
        match self.cache.as_deref_mut() {
            Some(cache) => match cache.probe(slot, word) {
                Some(probe) => cache.add(slot, &probe, acc, |fresh| {
                    model.add_word(group, word, fresh)
                }),
                None => model.add_word(group, word, acc),
            },
            None => model.add_word(group, word, acc),
        }
        true
    }

    /// Locates a word of script `slot` in the cache (prefetching it), for
    /// [`add_pending`](Self::add_pending).
    #[inline]
    fn probe(&mut self, w: Word, slot: usize, text: &str) -> Pending {
        let probe = self
            .cache
            .as_deref_mut()
            .and_then(|c| c.probe(slot, &text[w.start..w.end]));
        Pending {
            start: w.start,
            end: w.end,
            slot,
            probe,
            name: slot == LATN_SLOT && is_proper_name(text, w),
        }
    }

    /// Adds probed words to the accumulators of their scripts; proper names go to
    /// `names` instead (see [`is_proper_name`]).
    fn add_pending(
        &mut self,
        pending: &[Pending],
        text: &str,
        accs: &mut [Option<Accumulator>; 3],
        names: &mut Accumulator,
    ) {
        let model = self.model;
        for p in pending {
            let Some(group) = model.group(SLOT_SCRIPTS[p.slot]) else {
                continue;
            };
            let word = &text[p.start..p.end];
            let acc = match p.name {
                true => &mut *names,
                false => accs[p.slot].get_or_insert_with(Accumulator::default),
            };
            match (self.cache.as_deref_mut(), &p.probe) {
                (Some(cache), Some(probe)) => cache.add(p.slot, probe, acc, |fresh| {
                    model.add_word(group, word, fresh)
                }),
                _ => model.add_word(group, word, acc),
            }
        }
    }
}

/// Running sums of evidence for the labels of one group (fixed size: no allocation).
#[derive(Clone, Debug, Default)]
pub(crate) struct Accumulator {
    /// Summed quantized weights per label.
    pub scores: [u32; MAX_LABELS_PER_SCRIPT],
    /// Marker words found per label.
    pub markers: [u32; MAX_LABELS_PER_SCRIPT],
    /// Features some label has seen.
    pub known: usize,
}

impl Accumulator {
    /// Adds `other`'s evidence divided by `divisor` (scores, known features and markers
    /// alike, so the calibration's `√n` stays consistent).
    fn add_scaled_down(&mut self, other: &Accumulator, divisor: u32) {
        for (s, o) in self.scores.iter_mut().zip(&other.scores) {
            *s += o / divisor;
        }
        for (m, o) in self.markers.iter_mut().zip(&other.markers) {
            *m += o;
        }
        self.known += (other.known / divisor as usize).max(1);
    }
}

/// Eight byte-sized weights summed in two u64s of four 16-bit lanes each.
#[derive(Default)]
struct Lanes {
    even: u64,
    odd: u64,
    pending: u32,
}

impl Lanes {
    const BYTES: u64 = 0x00FF_00FF_00FF_00FF;

    #[inline]
    fn add(&mut self, row: u64, totals: &mut [u32; MAX_LABELS_PER_SCRIPT]) {
        self.even += row & Self::BYTES;
        self.odd += (row >> 8) & Self::BYTES;
        self.pending += 1;
        // 256 additions of at most 255 fit in 16 bits.
        if self.pending == 256 {
            self.flush(totals);
        }
    }

    fn flush(&mut self, totals: &mut [u32; MAX_LABELS_PER_SCRIPT]) {
        for (j, total) in totals.iter_mut().take(8).enumerate() {
            let lanes = if j % 2 == 0 { self.even } else { self.odd };
            *total += ((lanes >> (16 * (j / 2))) & 0xFFFF) as u32;
        }
        *self = Lanes::default();
    }
}

/// Bytes per letter in UTF-8 for Arabic, Latin, Tifinagh: letters, not bytes, decide
/// the dominant script.
const BYTES_PER_LETTER: [usize; 3] = [2, 1, 3];

/// The script of each slot of [`script_slot`].
const SLOT_SCRIPTS: [Script; 3] = [Script::Arab, Script::Latn, Script::Tfng];

fn script_slot(script: Script) -> Option<usize> {
    match script {
        Script::Arab => Some(0),
        Script::Latn => Some(1),
        Script::Tfng => Some(2),
        _ => None,
    }
}

/// The script with most letters; ties go to Arabic, then Latin. `Common` if none.
fn dominant(letters: &[usize; 3]) -> Script {
    let (slot, &count) = letters
        .iter()
        .enumerate()
        .rev()
        .max_by_key(|&(_, c)| *c)
        .unwrap_or((0, &0));
    if count == 0 {
        return Script::Common;
    }
    [Script::Arab, Script::Latn, Script::Tfng][slot]
}

/// Fills a group's quantized weight table from label counts, rebalanced so that every
/// label of the group has the same total: a label with ten times more text must not win
/// by having seen more features.
fn fill_weights(
    group: &mut Group,
    counts: &[SparseCounts],
    config: &TrainConfig,
    buckets: usize,
) -> Result<(), Error> {
    let k = group.labels.len();
    // 8 bytes of padding so the last row can be read as a whole u64.
    group.weights = vec![0; buckets * k + 8];
    let totals: Vec<f64> = group
        .labels
        .iter()
        .map(|&l| counts[l].total.max(1) as f64)
        .collect();
    let mean_total = totals.iter().sum::<f64>() / totals.len() as f64;
    group.base = (config.alpha / (mean_total + config.alpha * buckets as f64)).ln();
    for (j, &label) in group.labels.iter().enumerate() {
        let scale = mean_total / totals[j];
        for &(bucket, count) in &counts[label].counts {
            let slot = group
                .weights
                .get_mut(bucket as usize * k + j)
                .ok_or_else(|| Error::Model(format!("bucket {bucket} out of range")))?;
            let nats = ((count as f64 * scale + config.alpha) / config.alpha).ln();
            // At least 1 so that a seen feature is never mistaken for an unseen one.
            *slot = (nats * QUANTUM).round().clamp(1.0, 255.0) as u8;
        }
    }
    Ok(())
}

fn softmax(logits: &[f64]) -> Vec<f64> {
    let max = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<f64> = logits.iter().map(|l| (l - max).exp()).collect();
    let sum: f64 = exps.iter().sum();
    exps.iter().map(|e| e / sum).collect()
}

/// The script with most letters over the words of a text (`Common` if none).
pub(crate) fn dominant_word_script(text: &str) -> Script {
    let mut letters = [0usize; 3];
    words(text, |w| {
        if let Some(slot) = script_slot(w.script) {
            letters[slot] += (w.end - w.start) / BYTES_PER_LETTER[slot];
        }
    });
    dominant(&letters)
}

fn check_config(config: &TrainConfig) -> Result<(), Error> {
    if !(8..=24).contains(&config.bits) {
        return Err(Error::Model(format!(
            "bits must be 8..=24, not {}",
            config.bits
        )));
    }
    if config.alpha <= 0.0 || !config.alpha.is_finite() {
        return Err(Error::Model("alpha must be positive".into()));
    }
    Ok(())
}

fn check_labels(data: &[LabelData<'_>]) -> Result<(), Error> {
    if data.is_empty() {
        return Err(Error::Training("no training data".into()));
    }
    for (i, d) in data.iter().enumerate() {
        if label_script(&d.label).is_none() {
            return Err(Error::Training(format!(
                "label `{}` must end in _Arab, _Latn or _Tfng (ISO 15924), like ary_Arab",
                d.label
            )));
        }
        if d.lines.iter().all(|l| l.trim().is_empty()) {
            return Err(Error::Training(format!("label `{}` has no text", d.label)));
        }
        if data[..i].iter().any(|o| o.label == d.label) {
            return Err(Error::Training(format!("label `{}` given twice", d.label)));
        }
    }
    Ok(())
}

/// Counts features of the lines `keep` selects, per label.
fn count_features(
    data: &[LabelData<'_>],
    config: &TrainConfig,
    keep: impl Fn(usize) -> bool,
) -> Vec<SparseCounts> {
    data.iter()
        .map(|d| {
            let script = label_script(&d.label);
            let mut dense = vec![0u32; 1 << config.bits];
            let mut total = 0u64;
            for (_, line) in d.lines.iter().enumerate().filter(|(i, _)| keep(*i)) {
                words(line, |w| {
                    // Only words in the label's own script teach it: a Latin brand name
                    // in a Tifinagh sentence says nothing about Tifinagh labels.
                    if Some(w.script) == script {
                        word_features(&line[w.start..w.end], config.bits, |b| {
                            dense[b] = dense[b].saturating_add(1);
                            total += 1;
                        });
                    }
                });
            }
            SparseCounts {
                label: d.label.clone(),
                total,
                counts: dense
                    .iter()
                    .enumerate()
                    .filter(|(_, &c)| c > 0)
                    .map(|(b, &c)| (b as u32, c))
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word cache must not change a single bit of any score: compare with the
    /// uncached path on the default model, over more distinct words than the cache holds
    /// (so it is cleared several times) and with repeats.
    #[test]
    fn cached_scores_equal_uncached_scores() {
        let detector = crate::default_detector().expect("default model trains");
        let model = detector.model();
        let data = crate::default_training_data();
        let mut lines: Vec<String> = data
            .iter()
            .flat_map(|d| d.lines.iter().map(|l| l.to_string()))
            .collect();
        // Distinct made-up words in each script, to overflow the cache.
        for i in 0..(crate::cache::SETS * 3) {
            lines.push(format!("w{i}x salam{i} واش{i}ب ⴰⵣ{i}ⵓⵍ mzyan ديال"));
        }
        lines.push("a".repeat(crate::cache::MAX_WORD_BYTES + 7));
        for pass in 0..2 {
            for line in &lines {
                let cached = model.score(line);
                let plain = model.score_with(line, &mut WordScorer { model, cache: None });
                assert_eq!(cached, plain, "pass {pass}: {line}");
            }
        }
    }

    #[test]
    fn capitalised_words_inside_a_sentence_are_names() {
        fn names(text: &str) -> Vec<&str> {
            let mut found = Vec::new();
            words(text, |w| {
                if is_proper_name(text, w) {
                    found.push(&text[w.start..w.end]);
                }
            });
            found
        }
        assert_eq!(
            names("Orna Raonic a eynayan daɣ Open wan Brisbane. Ila 2 hădaf"),
            ["Raonic", "Open", "Brisbane"]
        );
        assert_eq!(
            names("« Salam » qal: \"Wach nta mzyan?\" (Daba)"),
            Vec::<&str>::new()
        );
        assert_eq!(names("ana f Casa"), ["Casa"]);
    }

    /// Names weigh less, but a line of names only is still labelled by them.
    #[test]
    fn a_line_of_names_is_still_labelled() {
        let model = crate::default_detector()
            .expect("default model trains")
            .model();
        let scores = model.score("Paris London Berlin");
        assert_eq!(scores.script, Script::Latn);
        assert!(!scores.ranked.is_empty());
    }

    proptest::proptest! {
        /// Random mixed-script lines over a small alphabet (so words repeat, hit the cache
        /// and collide in its sets) score exactly as without the cache.
        #[test]
        fn cache_never_changes_a_score(lines in proptest::collection::vec("[a-e3 7ⴰⵣⵓواش ,]{0,40}", 1..40)) {
            let model = crate::default_detector().expect("default model trains").model();
            for line in &lines {
                let plain = model.score_with(line, &mut WordScorer { model, cache: None });
                proptest::prop_assert_eq!(model.score(line), plain);
            }
        }
    }
}
