//! Composes the stages: read → normalize → detect → filter → redact → dedup → unify → sink.
//!
//! # Execution model
//!
//! A reader thread streams items from the inputs in order and hands them over in
//! batches of about 1 MiB through a bounded channel (two batches in flight), so memory
//! is bounded whatever the input size. It only splits lines ([`Item::Raw`]). For each
//! batch, the pure per-document work — UTF-8 checks and JSON parsing, normalization, script profile, language guess, filters, redaction, dedup keys and JSON
//! serialization — runs on the rayon pool ([`Pipeline::process`]); rayon's indexed
//! `collect` keeps input order. With a [`TokenCounter`] plugged in, token counting is
//! part of that pure work too. The main thread then walks the batch in order: it
//! updates the counts, asks the dedup index, and writes kept records to the [`Sink`].
//! Only that last walk has state, and it is sequential, so the output is byte-identical
//! for any `RAYON_NUM_THREADS`.
//!
//! # Checkpoints and `--resume`
//!
//! Whenever the sink closes its shards (every `shard_size` bytes) the pipeline writes
//! `.awal-checkpoint.json` atomically: how many items were consumed, the counts so far,
//! the finished shards (with SHA-256), a fingerprint of config and input names, and the
//! identity of each input file (size, modification time, hash of both ends; see
//! `resume.rs`). `--resume` checks the fingerprint, refuses an input that changed
//! ([`Error::InputChanged`]), checks the shards, deletes temp files and any shard not in the
//! checkpoint, rebuilds the dedup index from the finished shards (the index holds exactly
//! the kept documents), skips the consumed items and carries on. Shard boundaries depend
//! only on the input, so a resumed run writes the same bytes as an uninterrupted one.
//!
//! ```
//! use awal_prep::pipeline::{Pipeline, RunOptions};
//! use awal_prep::source::Input;
//!
//! let dir = tempfile::tempdir()?;
//! let input = dir.path().join("in.txt");
//! std::fs::write(&input, "salam khoya, kidayr? ana mzyan l7amdolillah\nok\nsalam khoya, kidayr? ana mzyan l7amdolillah\n")?;
//! let out = dir.path().join("out");
//! let run = Pipeline::new(Default::default())?.run(&[Input::File(input)], &out, &RunOptions::default())?;
//! assert_eq!((run.stats.read, run.stats.kept.docs), (3, 1));
//! assert!(out.join("manifest.json").exists() && out.join("shard-00000.jsonl.zst").exists());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use awal_translit::arabizi::Model;

use crate::config::{Config, UnifyConfig};
use crate::dedup::{DedupKeys, Deduper, MinHasher};
use crate::filter::FilterChain;
use crate::lid::{script_code, LanguageDetector, ScriptDetector, ScriptProfile};
use crate::manifest::Manifest;
use crate::pii::{PiiCounts, Redactor};
use crate::resume::{check_unchanged, identify_inputs, test_pause, InputIdentity, PausePoint};
use crate::sink::{split_index, write_atomic, write_atomic_then, Sink, SinkState};
use crate::source::{hex, DocReader, Input, InputSummary, Item, Skip};
use crate::stats::{KeptDoc, Stats};
use crate::tokens::TokenCounter;
use crate::unify::Unifier;
use crate::{Error, Record};

const CHECKPOINT: &str = ".awal-checkpoint.json";
/// The dedup index journal (see [`Deduper::with_journal`]): appended at each checkpoint.
const DEDUP_KEYS: &str = ".awal-dedup-keys";
const BATCH_BYTES: usize = 1 << 20;
const BATCH_ITEMS: usize = 8192;

/// Options of one run that do not change its output (so are not in the manifest).
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Continue an interrupted run in the same output folder.
    pub resume: bool,
    /// Replace the outputs of an earlier run in the output folder.
    pub overwrite: bool,
    /// Advanced by every raw input byte read, for a progress bar.
    pub progress: Option<Arc<AtomicU64>>,
    /// Stop after this many checkpoints, as an interruption would (for tests).
    pub stop_after_checkpoints: Option<usize>,
    /// Write the HF dataset card (`README.md`, see [`crate::card`]) with this licence
    /// identifier. Not part of the manifest: the card is made from it.
    pub card_license: Option<String>,
}

/// What a run produced.
#[derive(Clone, Debug)]
pub struct RunSummary {
    /// All counts.
    pub stats: Stats,
    /// `report.md`'s text (empty when interrupted).
    pub report: String,
    /// Whether the run stopped at `stop_after_checkpoints`.
    pub interrupted: bool,
}

/// The per-document result of the parallel part.
#[derive(Debug)]
pub enum Outcome {
    /// The source could not make a document.
    Skip(Skip),
    /// A filter dropped it.
    Filtered {
        /// `filter.reason`.
        reason: String,
    },
    /// It passed the filters; dedup decides.
    Candidate(Box<Candidate>),
}

/// A document that passed the filters, ready for the dedup decision.
#[derive(Debug)]
pub struct Candidate {
    /// The text as written (normalized, cleaned, redacted, unified).
    pub text: String,
    /// Language label (after unification).
    pub lang: String,
    /// The detector's score.
    pub score: f64,
    /// Script codes present, as the record's `scripts` field.
    pub scripts: Vec<&'static str>,
    /// The output line (JSON object, no newline); empty from [`Pipeline::map_text`].
    pub json: Vec<u8>,
    /// Dedup keys (of the text before unification).
    pub keys: DedupKeys,
    /// Split index ([`split_index`]).
    pub split: usize,
    /// Dominant script code.
    pub dominant: &'static str,
    /// Bytes per script span, in [`crate::lid::SCRIPT_ORDER`].
    pub script_bytes: [u64; 5],
    /// Text bytes.
    pub bytes: u64,
    /// Redactions.
    pub pii: PiiCounts,
    /// Boilerplate lines removed.
    pub lines_removed: usize,
    /// The label before script unification, when `unify` transliterated it.
    pub unified_from: Option<String>,
    /// Tokens of `text` (no special tokens), when a [`TokenCounter`] is plugged in.
    pub n_tokens: Option<u64>,
}

impl Candidate {
    /// What the counts need of a kept document.
    ///
    /// ```
    /// use awal_prep::pipeline::{Outcome, Pipeline};
    /// let p = Pipeline::new(Default::default())?;
    /// let Outcome::Candidate(c) = p.map_text("salam khoya, kidayr? ana mzyan l7amdolillah") else { panic!() };
    /// assert_eq!(c.kept("train").lang, c.lang);
    /// # Ok::<(), awal_prep::Error>(())
    /// ```
    pub fn kept<'a>(&'a self, split: &'a str) -> KeptDoc<'a> {
        KeptDoc {
            lang: &self.lang,
            dominant: self.dominant,
            script_bytes: self.script_bytes,
            bytes: self.bytes,
            pii: self.pii,
            lines_removed: self.lines_removed as u64,
            unified_from: self.unified_from.as_deref(),
            split,
        }
    }
}

#[derive(Serialize)]
struct OutRecord<'a> {
    id: &'a str,
    text: &'a str,
    lang: &'a str,
    lang_score: f64,
    scripts: &'a [&'static str],
    #[serde(skip_serializing_if = "Option::is_none")]
    n_tokens: Option<u64>,
    source: &'a str,
    meta: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize, Deserialize)]
struct Checkpoint {
    fingerprint: String,
    /// The input files as they were when the run started: a resume refuses any that
    /// changed since.
    inputs: Vec<InputIdentity>,
    items_done: u64,
    /// Bytes of [`DEDUP_KEYS`] written up to this checkpoint.
    dedup_keys_bytes: u64,
    stats: Stats,
    sink: SinkState,
}

/// The configured pipeline. Build once, run many.
pub struct Pipeline {
    config: Config,
    detector: Box<dyn LanguageDetector>,
    chain: FilterChain,
    redactor: Redactor,
    hasher: MinHasher,
    unifier: Option<Unifier>,
    normalizer: awal_translit::normalize::Normalizer,
    counter: Option<Box<dyn TokenCounter>>,
}

impl Pipeline {
    /// Validates the configuration and builds every stage.
    ///
    /// ```
    /// let mut c = awal_prep::Config::default();
    /// c.dedup.rows = 0;
    /// assert!(awal_prep::pipeline::Pipeline::new(c).is_err());
    /// ```
    pub fn new(config: Config) -> Result<Self, Error> {
        config.validate()?;
        Ok(Pipeline {
            chain: FilterChain::new(&config.filter),
            redactor: Redactor::new(),
            hasher: MinHasher::new(&config.dedup),
            unifier: Unifier::with_model(&config.unify, unify_model(&config.unify)?)?,
            normalizer: crate::normalize::normalizer(&config.normalize)?,
            detector: Box::new(ScriptDetector),
            counter: None,
            config,
        })
    }

    /// Plugs in a language detector (the default is [`ScriptDetector`]).
    ///
    /// ```
    /// use awal_prep::lid::{LangGuess, LanguageDetector, ScriptProfile};
    /// struct AllFrench;
    /// impl LanguageDetector for AllFrench {
    ///     fn detect(&self, _: &str, _: &ScriptProfile) -> LangGuess { LangGuess { lang: "fra_Latn".into(), score: 0.9 } }
    ///     fn name(&self) -> String { "all-french".into() }
    /// }
    /// let p = awal_prep::pipeline::Pipeline::new(Default::default())?.with_detector(Box::new(AllFrench));
    /// # Ok::<(), awal_prep::Error>(())
    /// ```
    pub fn with_detector(mut self, detector: Box<dyn LanguageDetector>) -> Self {
        self.detector = detector;
        self
    }

    /// Counts the tokens of every kept document with `counter`: each record gets
    /// `n_tokens`, the manifest and report token totals per language and split (see
    /// [`crate::tokens`] for what is counted). A document the tokenizer cannot encode is
    /// dropped as `tokens.encode_failed`, counted like any filter drop.
    ///
    /// ```
    /// use awal_prep::pipeline::{Outcome, Pipeline};
    /// let p = Pipeline::new(Default::default())?.with_token_counter(Box::new(awal_prep::tokens::Whitespace));
    /// let Outcome::Candidate(c) = p.map_text("salam khoya, kidayr? ana mzyan l7amdolillah") else { panic!() };
    /// assert_eq!(c.n_tokens, Some(6));
    /// # Ok::<(), awal_prep::Error>(())
    /// ```
    pub fn with_token_counter(mut self, counter: Box<dyn TokenCounter>) -> Self {
        self.counter = Some(counter);
        self
    }

    /// The configuration.
    ///
    /// ```
    /// assert!(awal_prep::pipeline::Pipeline::new(Default::default())?.config().pii.enabled);
    /// # Ok::<(), awal_prep::Error>(())
    /// ```
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The pure per-document stages: parse, normalize, detect, filter, redact, dedup
    /// keys, serialize. This is the **map** half of the pipeline: no shared state, so it
    /// runs on any thread, or on a Spark or Ray worker, with the same result.
    ///
    /// ```
    /// use awal_prep::pipeline::{Outcome, Pipeline};
    /// use awal_prep::source::Item;
    /// let p = Pipeline::new(Default::default())?;
    /// let doc = awal_prep::Record::new("1", "3iyet liya 3la 0612345678 lbare7 f lil", "a.txt:1");
    /// let Outcome::Candidate(c) = p.process(Item::Doc(doc)) else { panic!() };
    /// assert!(String::from_utf8(c.json.clone())?.contains("3la <PHONE> lbare7"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn process(&self, item: Item) -> Outcome {
        match item {
            Item::Skip(skip) => Outcome::Skip(skip),
            Item::Doc(record) => self.process_record(&record),
            Item::Raw(raw) => match raw.parse() {
                Ok(record) => self.process_record(&record),
                Err(skip) => Outcome::Skip(skip),
            },
        }
    }

    /// [`map_text`](Self::map_text) on a record's text, then the output line that
    /// `awal prepare` writes for it ([`Candidate::json`]).
    ///
    /// ```
    /// use awal_prep::pipeline::{Outcome, Pipeline};
    /// let p = Pipeline::new(Default::default())?;
    /// let doc = awal_prep::Record::new("7", "salam khoya, kidayr? ana mzyan l7amdolillah", "a.txt:1");
    /// let Outcome::Candidate(c) = p.process_record(&doc) else { panic!() };
    /// assert!(String::from_utf8(c.json)?.starts_with(r#"{"id":"7","text":"salam khoya"#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn process_record(&self, record: &Record) -> Outcome {
        let mut outcome = self.map_text(&record.text);
        if let Outcome::Candidate(c) = &mut outcome {
            c.json = self.record_json(record, c);
        }
        outcome
    }

    /// The per-document stages on one text: normalize, detect, filter, redact, dedup
    /// keys, unify. The result is [`Outcome::Filtered`] or an [`Outcome::Candidate`]
    /// whose `json` is empty (see [`process_record`](Self::process_record)).
    ///
    /// ```
    /// use awal_prep::pipeline::{Outcome, Pipeline};
    /// let p = Pipeline::new(Default::default())?;
    /// assert!(matches!(p.map_text("ok"), Outcome::Filtered { .. }));
    /// let Outcome::Candidate(c) = p.map_text("kteb liya f ali@example.ma wla 3iyet l 0612345678 daba") else { panic!() };
    /// assert_eq!(c.text, "kteb liya f <EMAIL> wla 3iyet l <PHONE> daba");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn map_text(&self, text: &str) -> Outcome {
        let normalized = self.normalizer.normalize(text);
        let cleaned = match self.chain.clean(&normalized) {
            Ok(c) => c,
            Err(reason) => {
                return Outcome::Filtered {
                    reason: format!("boilerplate.{reason}"),
                }
            }
        };
        let profile = ScriptProfile::of(&cleaned.text);
        let guess = self.detector.detect(&cleaned.text, &profile);
        if let Some((filter, reason)) = self.chain.check(&cleaned.text, &profile, &guess) {
            return Outcome::Filtered {
                reason: format!("{filter}.{reason}"),
            };
        }
        let (text, pii) = if self.config.pii.enabled {
            self.redactor.redact(&cleaned.text)
        } else {
            (Cow::Borrowed(cleaned.text.as_ref()), PiiCounts::default())
        };
        let keys = self.hasher.keys(&text);
        // Dedup keys come from the text as written; unification changes what is stored.
        let unified = self
            .unifier
            .as_ref()
            .and_then(|u| u.apply(&text, &guess.lang));
        let (text, lang, profile, unified_from) = match unified {
            Some((new_text, new_lang)) => {
                let profile = ScriptProfile::of(&new_text);
                (new_text, new_lang, profile, Some(guess.lang))
            }
            // Redaction changes bytes, not scripts, except the placeholder letters:
            // report the scripts of the text as written.
            None => (text.into_owned(), guess.lang, profile, None),
        };
        let n_tokens = match self.counter.as_ref().map(|c| c.count(&text)).transpose() {
            Ok(n) => n,
            Err(_) => {
                return Outcome::Filtered {
                    reason: "tokens.encode_failed".into(),
                }
            }
        };
        Outcome::Candidate(Box::new(Candidate {
            bytes: text.len() as u64,
            text,
            score: guess.score,
            scripts: profile.scripts(),
            json: Vec::new(),
            split: split_index(&self.config.sink, keys.exact),
            keys,
            lang,
            dominant: script_code(profile.dominant()),
            script_bytes: profile.bytes,
            pii,
            lines_removed: cleaned.lines_removed,
            unified_from,
            n_tokens,
        }))
    }

    /// The JSONL line of a candidate: `{"id", "text", "lang", "lang_score", "scripts",
    /// "n_tokens" (only when counting tokens), "source", "meta"}`.
    fn record_json(&self, record: &Record, c: &Candidate) -> Vec<u8> {
        let out = OutRecord {
            id: &record.id,
            text: &c.text,
            lang: &c.lang,
            lang_score: c.score,
            scripts: &c.scripts,
            n_tokens: c.n_tokens,
            source: &record.source,
            meta: &record.meta,
        };
        // Sized for the text plus the other fields and some escapes up front, so the
        // buffer is not regrown (and copied) while serializing.
        let mut json = Vec::with_capacity(c.text.len() + c.text.len() / 8 + 256);
        // Serializing strings, numbers and a JSON map into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut json, &out);
        json
    }

    /// The detector's name, as the manifest records it.
    ///
    /// ```
    /// assert_eq!(awal_prep::pipeline::Pipeline::new(Default::default())?.detector_name(), "script-only");
    /// # Ok::<(), awal_prep::Error>(())
    /// ```
    pub fn detector_name(&self) -> String {
        self.detector.name()
    }

    fn fingerprint(&self, inputs: &[Input]) -> String {
        let mut h = Sha256::new();
        // The dedup index format: a checkpoint of another format cannot be resumed.
        h.update(b"dedup-journal-1\0");
        h.update(serde_json::to_vec(&self.config).unwrap_or_default());
        h.update(self.detector.name().as_bytes());
        // Only when counting, so that checkpoints of runs without it stay resumable.
        if let Some(counter) = &self.counter {
            h.update(b"\0tokenizer\0");
            h.update(counter.name().as_bytes());
        }
        for i in inputs {
            h.update(i.name().as_bytes());
            h.update([0]);
        }
        hex(&h.finalize())
    }

    /// Runs the whole pipeline over `inputs` into the folder `out`.
    ///
    /// Errors: an input that cannot be opened, an output that cannot be written, a
    /// counted skip under `strict`, an output folder holding another run (without
    /// `overwrite` or `resume`), a checkpoint that does not match (with `resume`).
    ///
    /// ```
    /// # use awal_prep::pipeline::{Pipeline, RunOptions};
    /// let dir = tempfile::tempdir()?;
    /// let f = dir.path().join("f.txt");
    /// std::fs::write(&f, "ok")?;
    /// let p = Pipeline::new(Default::default())?;
    /// p.run(&[awal_prep::source::Input::File(f.clone())], dir.path(), &RunOptions::default()).unwrap_err();
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn run(
        &self,
        inputs: &[Input],
        out: &Path,
        opts: &RunOptions,
    ) -> Result<RunSummary, Error> {
        let fingerprint = self.fingerprint(inputs);
        let identities = identify_inputs(inputs)?;
        if let Some(license) = &opts.card_license {
            crate::card::check_license(license)?;
        }
        let checkpoint = self.prepare_out(out, opts, &fingerprint, &identities)?;
        let mut sink = Sink::create(out, &self.config.sink)?;
        let mut dedup = Deduper::new(&self.config.dedup).with_journal();
        let mut stats = Stats {
            // Present from the start, so the manifest has totals (of 0) even if nothing is kept.
            tokens: self.counter.as_ref().map(|_| Default::default()),
            ..Stats::default()
        };
        let mut skip_items = 0;
        let mut dedup_keys_bytes = 0;
        if let Some(cp) = checkpoint {
            restore_index(out, cp.dedup_keys_bytes, &mut dedup)?;
            dedup_keys_bytes = cp.dedup_keys_bytes;
            skip_items = cp.items_done;
            stats = cp.stats;
            sink.restore(cp.sink);
        }
        let split_names: Vec<String> = sink.split_names().iter().map(|s| s.to_string()).collect();

        let (tx, rx) = sync_channel::<Result<Vec<Item>, Error>>(2);
        let source_config = self.config.source.clone();
        let progress = opts.progress.clone();
        let reader_inputs = inputs.to_vec();
        std::thread::scope(|scope| {
            let reader = scope.spawn(move || {
                crate::resume::test_panic("reader");
                read_all(&reader_inputs, &source_config, progress, skip_items, tx)
            });
            let mut items_done = skip_items;
            let mut checkpoints = 0;
            let mut interrupted = false;
            let result = (|| -> Result<(), Error> {
                let rx: Receiver<_> = rx;
                // While the pool processes batch N+1, one worker writes batch N: the
                // in-order part (dedup, counts, compression) overlaps the parallel part.
                let mut pending: Vec<Outcome> = Vec::new();
                let mut batches = rx.iter();
                loop {
                    let next = batches.next().transpose()?;
                    let (processed, stopped) = rayon::join(
                        || {
                            next.map(|b| {
                                b.into_par_iter()
                                    .map(|item| self.process(item))
                                    .collect::<Vec<Outcome>>()
                            })
                        },
                        || -> Result<bool, Error> {
                            for outcome in pending.drain(..) {
                                items_done += 1;
                                let due = self.account(
                                    outcome,
                                    &mut stats,
                                    &mut dedup,
                                    &mut sink,
                                    &split_names,
                                )?;
                                if due {
                                    sink.close_all()?;
                                    dedup_keys_bytes = append_journal(
                                        out,
                                        dedup_keys_bytes,
                                        &dedup.take_journal(),
                                    )?;
                                    let cp = Checkpoint {
                                        fingerprint: fingerprint.clone(),
                                        inputs: identities.clone(),
                                        items_done,
                                        dedup_keys_bytes,
                                        stats: stats.clone(),
                                        sink: sink.state().clone(),
                                    };
                                    write_checkpoint(out, &cp)?;
                                    checkpoints += 1;
                                    if opts.stop_after_checkpoints == Some(checkpoints) {
                                        return Ok(true);
                                    }
                                }
                            }
                            Ok(false)
                        },
                    );
                    if stopped? {
                        interrupted = true;
                        return Ok(());
                    }
                    match processed {
                        Some(outcomes) => pending = outcomes,
                        None => return Ok(()),
                    }
                }
            })();
            // Dropping the receiver (above) unblocks the reader if we stopped early.
            // A panic in the reader is a bug; swallowing it would report an empty input list.
            let inputs_summary = reader
                .join()
                .unwrap_or_else(|panic| Err(Error::from_panic("the input reader", panic)));
            result?;
            if interrupted {
                return Ok(RunSummary {
                    stats: stats.clone(),
                    report: String::new(),
                    interrupted: true,
                });
            }
            let inputs_summary = inputs_summary?;
            sink.close_all()?;
            let manifest = Manifest::new(
                self.detector.name(),
                &self.config,
                &inputs_summary,
                &stats,
                sink.outputs(),
            );
            let manifest = match (&self.counter, &stats.tokens) {
                (Some(counter), Some(totals)) => manifest.with_tokens(counter.name(), totals),
                _ => manifest,
            };
            let report = manifest.report();
            let path = out.join("manifest.json");
            let json = manifest.to_json().map_err(|e| Error::Write {
                path: path.clone(),
                source: std::io::Error::other(e),
            })?;
            write_atomic(&path, json.as_bytes())?;
            write_atomic(&out.join("report.md"), report.as_bytes())?;
            if let Some(license) = &opts.card_license {
                let card = crate::card::dataset_card(&manifest, license);
                write_atomic(&out.join(crate::card::CARD), card.as_bytes())?;
            }
            for name in [CHECKPOINT, DEDUP_KEYS] {
                let path = out.join(name);
                if path.exists() {
                    fs::remove_file(&path).map_err(|source| Error::Write { path, source })?;
                }
            }
            Ok(RunSummary {
                stats: stats.clone(),
                report,
                interrupted: false,
            })
        })
    }

    /// Applies one outcome in order; returns whether a checkpoint is due.
    fn account(
        &self,
        outcome: Outcome,
        stats: &mut Stats,
        dedup: &mut Deduper,
        sink: &mut Sink,
        split_names: &[String],
    ) -> Result<bool, Error> {
        match outcome {
            Outcome::Skip(skip) => {
                if self.config.strict {
                    return Err(Error::Record {
                        file: skip.file,
                        line: skip.line,
                        reason: skip.reason.message(),
                    });
                }
                stats.skip(skip.reason.code(), &format!("{}:{}", skip.file, skip.line));
                Ok(false)
            }
            Outcome::Filtered { reason } => {
                stats.count_filtered(&reason);
                Ok(false)
            }
            Outcome::Candidate(c) => {
                if let Some(reason) = dedup.check(&c.keys) {
                    stats.count_duplicate(reason);
                    return Ok(false);
                }
                let split = &split_names[c.split];
                stats.count_kept(&c.kept(split));
                if let Some(n) = c.n_tokens {
                    stats.count_tokens(&c.lang, split, n);
                }
                sink.write(c.split, &c.json)
            }
        }
    }

    /// Checks the output folder; returns the checkpoint to resume from, if any.
    fn prepare_out(
        &self,
        out: &Path,
        opts: &RunOptions,
        fingerprint: &str,
        identities: &[InputIdentity],
    ) -> Result<Option<Checkpoint>, Error> {
        let write_err = |source| Error::Write {
            path: out.to_path_buf(),
            source,
        };
        if out.exists() && !out.is_dir() {
            return Err(Error::Write {
                path: out.to_path_buf(),
                source: std::io::Error::other("exists and is not a folder"),
            });
        }
        fs::create_dir_all(out).map_err(write_err)?;
        let cp_path = out.join(CHECKPOINT);
        if opts.resume && cp_path.exists() {
            let resume_err = |reason: String| Error::Resume {
                path: out.to_path_buf(),
                reason,
            };
            let bytes = fs::read(&cp_path).map_err(|e| resume_err(e.to_string()))?;
            let cp: Checkpoint = serde_json::from_slice(&bytes)
                .map_err(|e| resume_err(format!("bad checkpoint: {e}")))?;
            if cp.fingerprint != fingerprint {
                return Err(resume_err(
                    "configuration or inputs differ from the interrupted run".into(),
                ));
            }
            check_unchanged(&cp.inputs, identities)?;
            let keep: Vec<PathBuf> = cp.sink.outputs.iter().map(|o| out.join(&o.path)).collect();
            for o in &cp.sink.outputs {
                let bytes = fs::read(out.join(&o.path))
                    .map_err(|e| resume_err(format!("{}: {e}", o.path)))?;
                if hex(&Sha256::digest(&bytes)) != o.sha256 {
                    return Err(resume_err(format!(
                        "{}: changed since the checkpoint",
                        o.path
                    )));
                }
            }
            clear_outputs(out, &keep)?;
            return Ok(Some(cp));
        }
        // A fresh run: a journal left by an earlier one must not be replayed later.
        let journal = out.join(DEDUP_KEYS);
        if journal.exists() {
            fs::remove_file(&journal).map_err(|source| Error::Write {
                path: journal,
                source,
            })?;
        }
        let occupied = fs::read_dir(out).map_err(write_err)?.next().is_some();
        if occupied {
            if opts.resume && out.join("manifest.json").exists() {
                return Err(Error::Resume {
                    path: out.to_path_buf(),
                    reason: "the run is already complete (manifest.json exists)".into(),
                });
            }
            if !opts.overwrite && !opts.resume {
                return Err(Error::Write {
                    path: out.to_path_buf(),
                    source: std::io::Error::other(
                        "output folder is not empty (use --overwrite, or --resume)",
                    ),
                });
            }
            clear_outputs(out, &[])?;
        }
        Ok(None)
    }
}

/// Writes [`CHECKPOINT`] atomically. A checkpoint that cannot be serialized is an error,
/// never an empty file that a later `--resume` would reject as corrupt.
fn write_checkpoint(out: &Path, cp: &Checkpoint) -> Result<(), Error> {
    let path = out.join(CHECKPOINT);
    let json = serde_json::to_vec(cp).map_err(|e| Error::Write {
        path: path.clone(),
        source: std::io::Error::other(e),
    })?;
    write_atomic_then(&path, &json, || test_pause(PausePoint::CheckpointWrite))
}

/// Appends the dedup keys recorded since the last checkpoint to [`DEDUP_KEYS`] (after
/// cutting anything a crash left past `len`), synced before the checkpoint that counts
/// them is written; returns the new length.
fn append_journal(out: &Path, len: u64, journal: &[u8]) -> Result<u64, Error> {
    use std::io::Write;
    let path = out.join(DEDUP_KEYS);
    let err = |source| Error::Write {
        path: path.clone(),
        source,
    };
    let mut file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(err)?;
    file.set_len(len).map_err(err)?;
    std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(len)).map_err(err)?;
    file.write_all(journal).map_err(err)?;
    file.sync_all().map_err(err)?;
    Ok(len + journal.len() as u64)
}

/// Restores the dedup index from the first `len` bytes of [`DEDUP_KEYS`].
fn restore_index(out: &Path, len: u64, dedup: &mut Deduper) -> Result<(), Error> {
    let path = out.join(DEDUP_KEYS);
    let resume_err = |reason: String| Error::Resume {
        path: out.to_path_buf(),
        reason,
    };
    let bytes = if len == 0 {
        Vec::new()
    } else {
        fs::read(&path).map_err(|e| resume_err(format!("{DEDUP_KEYS}: {e}")))?
    };
    let Some(journal) = bytes.get(..len as usize) else {
        return Err(resume_err(format!(
            "{DEDUP_KEYS}: shorter than the checkpoint says"
        )));
    };
    dedup
        .replay(journal)
        .map_err(|e| resume_err(format!("{DEDUP_KEYS}: {e}")))
}

/// Removes this tool's files from an output folder, except `keep`.
/// Loads the Darija model named by `unify.model`, if any.
fn unify_model(config: &UnifyConfig) -> Result<Option<Arc<Model>>, Error> {
    let Some(path) = &config.model else {
        return Ok(None);
    };
    let text = fs::read_to_string(path).map_err(|source| Error::Open {
        path: PathBuf::from(path),
        source,
    })?;
    let model = Model::from_json(&text, path).map_err(|e| Error::Config(e.to_string()))?;
    Ok(Some(Arc::new(model)))
}

fn clear_outputs(out: &Path, keep: &[PathBuf]) -> Result<(), Error> {
    for dir in [out.to_path_buf(), out.join("train"), out.join("valid")] {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = name.starts_with("shard-")
                || (name.starts_with('.') && name.ends_with(".tmp"))
                || (dir == out && matches!(name.as_str(), "manifest.json" | "report.md"))
                || (dir == out && name == crate::card::CARD && is_our_card(&path));
            if ours && path.is_file() && !keep.contains(&path) {
                fs::remove_file(&path).map_err(|source| Error::Write { path, source })?;
            }
        }
    }
    Ok(())
}

/// Whether a `README.md` is a card an earlier `--card` run wrote (another is left alone).
fn is_our_card(path: &Path) -> bool {
    fs::read_to_string(path).is_ok_and(|text| text.contains(crate::card::MARKER))
}

/// The reader thread: streams items in batches; returns the input summaries.
fn read_all(
    inputs: &[Input],
    config: &crate::config::SourceConfig,
    progress: Option<Arc<AtomicU64>>,
    mut skip_items: u64,
    tx: std::sync::mpsc::SyncSender<Result<Vec<Item>, Error>>,
) -> Result<Vec<InputSummary>, Error> {
    let mut summaries = Vec::new();
    let mut batch: Vec<Item> = Vec::new();
    let mut batch_bytes = 0;
    for input in inputs {
        // Lines are parsed by the workers (`Pipeline::process`), not here: this thread
        // only splits lines, so it keeps ahead of two cores.
        let mut reader = match DocReader::open(input, config, progress.clone()) {
            Ok(r) => r.defer_parsing(),
            Err(e) => {
                let _ = tx.send(Err(e));
                return Ok(summaries);
            }
        };
        while let Some(item) = reader.next_item() {
            if skip_items > 0 {
                skip_items -= 1;
                continue;
            }
            batch_bytes += match &item {
                Item::Doc(Record { text, .. }) => text.len(),
                Item::Raw(raw) => raw.len(),
                Item::Skip(_) => 64,
            };
            batch.push(item);
            if batch_bytes >= BATCH_BYTES || batch.len() >= BATCH_ITEMS {
                batch_bytes = 0;
                if tx.send(Ok(std::mem::take(&mut batch))).is_err() {
                    return Ok(summaries);
                }
            }
        }
        summaries.push(reader.finish());
    }
    if !batch.is_empty() {
        let _ = tx.send(Ok(batch));
    }
    Ok(summaries)
}
