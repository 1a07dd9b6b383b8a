//! Composes the stages: read → normalize → detect → filter → redact → dedup → unify → sink.
//!
//! # Execution model
//!
//! A reader thread streams items from the inputs in order and hands them over in
//! batches of about 1 MiB through a bounded channel (two batches in flight), so memory
//! is bounded whatever the input size. It only splits lines ([`Item::Raw`]). For each
//! batch, the pure per-document work — UTF-8 checks and JSON parsing, normalization, script profile, language guess, filters, redaction, dedup keys and JSON
//! serialization — runs on the rayon pool ([`Pipeline::process`]); rayon's indexed
//! `collect` keeps input order. The main thread then walks the batch in order: it
//! updates the counts, asks the dedup index, and writes kept records to the [`Sink`].
//! Only that last walk has state, and it is sequential, so the output is byte-identical
//! for any `RAYON_NUM_THREADS`.
//!
//! # Checkpoints and `--resume`
//!
//! Whenever the sink closes its shards (every `shard_size` bytes) the pipeline writes
//! `.awal-checkpoint.json` atomically: how many items were consumed, the counts so far,
//! the finished shards (with SHA-256) and a fingerprint of config and inputs. `--resume`
//! checks the fingerprint and the shards, deletes temp files and any shard not in the
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
use std::collections::BTreeMap;
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
use crate::lid::{script_code, LanguageDetector, ScriptDetector, ScriptProfile, SCRIPT_ORDER};
use crate::manifest::Manifest;
use crate::pii::{PiiCounts, Redactor};
use crate::sink::{write_atomic, OutputSummary, Sink, SinkState};
use crate::source::{hex, DocReader, Input, InputSummary, Item, Skip};
use crate::stats::Stats;
use crate::unify::Unifier;
use crate::{Error, Record};

const CHECKPOINT: &str = ".awal-checkpoint.json";
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

/// A document that passed the filters, ready to be written.
#[derive(Debug)]
pub struct Candidate {
    /// The output line (JSON object, no newline).
    pub json: Vec<u8>,
    /// Dedup keys.
    pub keys: DedupKeys,
    /// Language label.
    pub lang: String,
    /// Dominant script code.
    pub dominant: &'static str,
    /// Bytes per script span, in [`SCRIPT_ORDER`].
    pub script_bytes: [u64; 5],
    /// Text bytes.
    pub bytes: u64,
    /// Redactions.
    pub pii: PiiCounts,
    /// Boilerplate lines removed.
    pub lines_removed: usize,
    /// The label before script unification, when `unify` transliterated it.
    pub unified_from: Option<String>,
}

#[derive(Serialize)]
struct OutRecord<'a> {
    id: &'a str,
    text: &'a str,
    lang: &'a str,
    lang_score: f64,
    scripts: Vec<&'static str>,
    source: &'a str,
    meta: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize, Deserialize)]
struct Checkpoint {
    fingerprint: String,
    items_done: u64,
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

    /// The configuration.
    ///
    /// ```
    /// assert!(awal_prep::pipeline::Pipeline::new(Default::default())?.config().pii.enabled);
    /// # Ok::<(), awal_prep::Error>(())
    /// ```
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The pure per-document stages: normalize, detect, filter, redact, dedup keys,
    /// serialize.
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
        let record = match item {
            Item::Skip(skip) => return Outcome::Skip(skip),
            Item::Doc(record) => record,
            Item::Raw(raw) => match raw.parse() {
                Ok(record) => record,
                Err(skip) => return Outcome::Skip(skip),
            },
        };
        let normalized = self.normalizer.normalize(&record.text);
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
                (Cow::Owned(new_text), new_lang, profile, Some(guess.lang))
            }
            // Redaction changes bytes, not scripts, except the placeholder letters:
            // report the scripts of the text as written.
            None => (text, guess.lang, profile, None),
        };
        let out = OutRecord {
            id: &record.id,
            text: &text,
            lang: &lang,
            lang_score: guess.score,
            scripts: profile.scripts(),
            source: &record.source,
            meta: &record.meta,
        };
        // Sized for the text plus the other fields and some escapes up front, so the
        // buffer is not regrown (and copied) while serializing.
        let mut json = Vec::with_capacity(text.len() + text.len() / 8 + 256);
        if serde_json::to_writer(&mut json, &out).is_err() {
            json.clear();
        }
        Outcome::Candidate(Box::new(Candidate {
            json,
            keys,
            lang,
            dominant: script_code(profile.dominant()),
            script_bytes: profile.bytes,
            bytes: text.len() as u64,
            pii,
            lines_removed: cleaned.lines_removed,
            unified_from,
        }))
    }

    fn fingerprint(&self, inputs: &[Input]) -> String {
        let mut h = Sha256::new();
        h.update(serde_json::to_vec(&self.config).unwrap_or_default());
        h.update(self.detector.name().as_bytes());
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
        let checkpoint = self.prepare_out(out, opts, &fingerprint)?;
        let mut sink = Sink::create(out, &self.config.sink)?;
        let mut dedup = Deduper::new(&self.config.dedup);
        let mut stats = Stats::default();
        let mut skip_items = 0;
        if let Some(cp) = checkpoint {
            self.rebuild_index(out, &cp.sink.outputs, &mut dedup)?;
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
            let reader = scope
                .spawn(move || read_all(&reader_inputs, &source_config, progress, skip_items, tx));
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
                                    let cp = Checkpoint {
                                        fingerprint: fingerprint.clone(),
                                        items_done,
                                        stats: stats.clone(),
                                        sink: sink.state().clone(),
                                    };
                                    let json = serde_json::to_vec(&cp).unwrap_or_default();
                                    write_atomic(&out.join(CHECKPOINT), &json)?;
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
            let inputs_summary = reader.join().unwrap_or_else(|_| Ok(Vec::new()));
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
            let report = manifest.report();
            write_atomic(&out.join("manifest.json"), manifest.to_json().as_bytes())?;
            write_atomic(&out.join("report.md"), report.as_bytes())?;
            let cp = out.join(CHECKPOINT);
            if cp.exists() {
                fs::remove_file(&cp).map_err(|source| Error::Write { path: cp, source })?;
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
                stats.read += 1;
                stats.filter_in += 1;
                bump(&mut stats.filter_dropped, &reason, |n| *n += 1);
                Ok(false)
            }
            Outcome::Candidate(c) => {
                stats.read += 1;
                stats.filter_in += 1;
                if let Some(reason) = dedup.check(&c.keys) {
                    bump(&mut stats.dedup_dropped, reason, |n| *n += 1);
                    return Ok(false);
                }
                stats.boilerplate_lines_removed += c.lines_removed as u64;
                if c.pii.total() > 0 {
                    stats.redacted_docs += 1;
                    for (kind, n) in c.pii.iter().filter(|(_, n)| *n > 0) {
                        bump(&mut stats.pii, kind.code(), |count| *count += n);
                    }
                }
                if let Some(from) = &c.unified_from {
                    *stats
                        .unified
                        .entry(format!("{from} -> {}", c.lang))
                        .or_default() += 1;
                }
                stats.kept.add(c.bytes);
                bump(&mut stats.languages, &c.lang, |d| d.add(c.bytes));
                bump(&mut stats.scripts, c.dominant, |d| d.docs += 1);
                for (i, script) in SCRIPT_ORDER.iter().enumerate() {
                    if c.script_bytes[i] > 0 {
                        bump(&mut stats.scripts, script_code(*script), |d| {
                            d.bytes += c.script_bytes[i]
                        });
                    }
                }
                let split = sink.split_of(c.keys.exact);
                bump(&mut stats.splits, &split_names[split], |d| d.add(c.bytes));
                sink.write(split, &c.json)
            }
        }
    }

    /// Checks the output folder; returns the checkpoint to resume from, if any.
    fn prepare_out(
        &self,
        out: &Path,
        opts: &RunOptions,
        fingerprint: &str,
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

    /// Re-inserts every kept document of the finished shards into the dedup index.
    fn rebuild_index(
        &self,
        out: &Path,
        outputs: &[OutputSummary],
        dedup: &mut Deduper,
    ) -> Result<(), Error> {
        let config = crate::config::SourceConfig {
            text_field: "text".into(),
            max_doc_bytes: usize::MAX,
            ..Default::default()
        };
        for o in outputs {
            let mut reader = DocReader::open(&Input::File(out.join(&o.path)), &config, None)?;
            let mut batch = Vec::new();
            loop {
                let item = reader.next_item();
                let end = item.is_none();
                if let Some(Item::Doc(d)) = item {
                    batch.push(d.text);
                }
                if batch.len() >= BATCH_ITEMS || (end && !batch.is_empty()) {
                    let keys: Vec<DedupKeys> =
                        batch.par_iter().map(|t| self.hasher.keys(t)).collect();
                    for k in &keys {
                        dedup.check(k);
                    }
                    batch.clear();
                }
                if end {
                    break;
                }
            }
        }
        Ok(())
    }
}

/// Updates the value of `key` in a count table with `f`, inserting it first if missing:
/// the key is only copied the first time (this runs once per document on the in-order
/// path, where `entry(key.to_string())` would allocate every time).
fn bump<V: Default>(map: &mut BTreeMap<String, V>, key: &str, f: impl FnOnce(&mut V)) {
    match map.get_mut(key) {
        Some(v) => f(v),
        None => {
            let mut v = V::default();
            f(&mut v);
            map.insert(key.to_string(), v);
        }
    }
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
                || (dir == out && matches!(name.as_str(), "manifest.json" | "report.md"));
            if ours && path.is_file() && !keep.contains(&path) {
                fs::remove_file(&path).map_err(|source| Error::Write { path, source })?;
            }
        }
    }
    Ok(())
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
