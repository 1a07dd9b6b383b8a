//! `awal prepare`: the corpus pipeline, from files or stdin to shards and a manifest.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use awal_prep::config::{Compression, DocSep, OutputFormat};
use awal_prep::lid::{named_detector, LanguageDetector};
use awal_prep::pipeline::{Pipeline, RunOptions};
use awal_prep::source::expand_inputs;
use awal_prep::Config;
use clap::{Args, ValueEnum};

/// Arguments of `awal prepare`.
#[derive(Args, Debug)]
pub struct PrepareArgs {
    /// Input files or folders (recursive, sorted): .txt, .jsonl, .ndjson (plain, .gz or
    /// .zst) and .parquet; none or `-` reads stdin (not Parquet).
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output folder for shards, manifest.json and report.md.
    #[arg(long, short)]
    out: PathBuf,
    /// An awal.toml with [source], [normalize], [filter], [pii], [dedup], [unify], [sink] tables; flags override it.
    #[arg(long)]
    config: Option<PathBuf>,
    /// JSONL field, or Parquet column, holding the text (default `text`; the other fields
    /// or columns are kept as `meta`).
    #[arg(long)]
    text_field: Option<String>,
    /// How .txt inputs are cut into documents.
    #[arg(long, value_enum)]
    doc_sep: Option<DocSepArg>,
    /// Normalization profile: `prepare` (default: invisibles, bidi controls, NBSP and
    /// space runs, line ends, NFC; nothing that changes spelling) or a tokenizer profile
    /// (`auto`, `ary`, `zgh`, `fra`) that also folds spellings.
    #[arg(long, value_name = "PROFILE")]
    normalize: Option<String>,
    /// Skip documents longer than this (e.g. 8M); bounds memory.
    #[arg(long, value_parser = parse_size)]
    max_doc_bytes: Option<u64>,
    /// Close shards after this many uncompressed bytes (e.g. 256M).
    #[arg(long, value_parser = parse_size)]
    shard_size: Option<u64>,
    /// Shard compression (JSONL shards; Parquet shards are zstd inside, or `none`).
    #[arg(long, value_enum)]
    compress: Option<CompressArg>,
    /// Shard format: `jsonl` (default) or `parquet` (the record's fields as columns,
    /// `meta` as a JSON string; zstd; row groups of at most 100,000 rows or ~64 MiB).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Also write README.md in --out: an HF hub dataset card (YAML header with languages,
    /// licence, size and the shards per split; then the report).
    #[arg(long)]
    card: bool,
    /// The card's licence, a hub identifier such as `cc-by-4.0` (default `other`: awal
    /// cannot know your inputs' licence). Needs --card.
    #[arg(long, value_name = "ID", requires = "card")]
    license: Option<String>,
    /// Hold out a validation split by text hash, e.g. `valid=0.01`.
    #[arg(long, value_name = "valid=F")]
    split: Option<String>,
    /// Language allow-list, e.g. `ary_Arab,ary_Latn,zgh_Tfng,fra_Latn`.
    #[arg(long, value_delimiter = ',')]
    langs: Option<Vec<String>>,
    /// Minimum language score for the allow-list.
    #[arg(long)]
    min_lang_score: Option<f64>,
    /// Language identification: `awal` (the model of `awal detect`; default) or `script`
    /// (script-level `und_Arab`-style labels only, faster).
    #[arg(long, value_enum, default_value_t = LidArg::Awal)]
    lid: LidArg,
    /// A model trained with `awal lid train`, instead of the embedded one.
    #[arg(long, value_name = "MODEL")]
    lid_model: Option<PathBuf>,
    /// Turn the quality filters off.
    #[arg(long)]
    no_filter: bool,
    /// Turn PII redaction off.
    #[arg(long)]
    no_pii: bool,
    /// Turn all deduplication off.
    #[arg(long)]
    no_dedup: bool,
    /// Keep exact dedup, turn near-duplicate (MinHash) dedup off.
    #[arg(long)]
    no_near_dedup: bool,
    /// Transliterate each language into one script, after dedup: `ary=arab` writes
    /// Darija Arabizi in Arabic script, `zgh=tfng` IRCAM Latin in Tifinagh (comma-separated
    /// rules; needs language labels, so not with `--lid script`).
    #[arg(long, value_name = "LANG=SCRIPT", value_delimiter = ',')]
    unify: Option<Vec<String>>,
    /// With --unify ary=…: transliterate French and English loanwords too (by default
    /// they stay in Latin, as people write them).
    #[arg(long)]
    unify_loans: bool,
    /// With --unify: a Darija model from `awal translit train` instead of the built-in one.
    #[arg(long, value_name = "MODEL")]
    unify_model: Option<PathBuf>,
    /// Count tokens with a model's tokenizer (Hugging Face tokenizer.json or Mistral
    /// tekken.json): each record gets `n_tokens`, manifest.json and report.md token
    /// totals per language and split. Counts the text as written to the shard, without
    /// special tokens (no BOS/EOS).
    #[arg(long, value_name = "PATH")]
    tokenizer: Option<PathBuf>,
    /// Stop at the first skipped line (bad UTF-8, malformed JSON, …) instead of counting it.
    #[arg(long)]
    strict: bool,
    /// Continue an interrupted run in the same --out folder.
    #[arg(long)]
    resume: bool,
    /// Replace an earlier run's outputs in the --out folder.
    #[arg(long)]
    overwrite: bool,
    /// No progress bar, no summary on stderr.
    #[arg(long, short)]
    quiet: bool,
    /// Testing aid: stop after N checkpoints, as an interruption would.
    #[arg(long, hide = true)]
    stop_after_shards: Option<usize>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum DocSepArg {
    Line,
    BlankLine,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum FormatArg {
    Jsonl,
    Parquet,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum CompressArg {
    Zst,
    Gz,
    None,
}

/// `256M`, `1G`, `64K`, `1000`: the library's one size parser, as a clap value parser.
fn parse_size(s: &str) -> Result<u64, String> {
    awal_prep::config::parse_size(s).map_err(|e| e.to_string())
}

fn build_config(args: &PrepareArgs) -> Result<Config> {
    let mut c = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Config::from_toml(&text).with_context(|| path.display().to_string())?
        }
        None => Config::default(),
    };
    if let Some(f) = &args.text_field {
        c.source.text_field = f.clone();
    }
    if let Some(d) = args.doc_sep {
        c.source.doc_sep = match d {
            DocSepArg::Line => DocSep::Line,
            DocSepArg::BlankLine => DocSep::BlankLine,
        };
    }
    if let Some(p) = &args.normalize {
        c.normalize.profile = p.clone();
    }
    if let Some(n) = args.max_doc_bytes {
        c.source.max_doc_bytes = usize::try_from(n).unwrap_or(usize::MAX);
    }
    if let Some(n) = args.shard_size {
        c.sink.shard_size = n;
    }
    if let Some(z) = args.compress {
        c.sink.compress = match z {
            CompressArg::Zst => Compression::Zst,
            CompressArg::Gz => Compression::Gz,
            CompressArg::None => Compression::None,
        };
    }
    if let Some(f) = args.format {
        c.sink.format = match f {
            FormatArg::Jsonl => OutputFormat::Jsonl,
            FormatArg::Parquet => OutputFormat::Parquet,
        };
    }
    if let Some(split) = &args.split {
        let Some(f) = split.strip_prefix("valid=") else {
            bail!("--split takes `valid=FRACTION`, e.g. valid=0.01");
        };
        c.sink.valid_fraction = f
            .parse()
            .with_context(|| format!("--split: not a number: {f}"))?;
    }
    if let Some(l) = &args.langs {
        c.filter.langs = l.iter().filter(|s| !s.is_empty()).cloned().collect();
    }
    if let Some(s) = args.min_lang_score {
        c.filter.min_lang_score = s;
    }
    if args.no_filter {
        c.filter.enabled = false;
    }
    if args.no_pii {
        c.pii.enabled = false;
    }
    if args.no_dedup {
        c.dedup.exact = false;
        c.dedup.near = false;
    }
    if args.no_near_dedup {
        c.dedup.near = false;
    }
    if args.strict {
        c.strict = true;
    }
    if let Some(rules) = &args.unify {
        c.unify.targets = rules.iter().filter(|s| !s.is_empty()).cloned().collect();
    }
    if args.unify_loans {
        c.unify.keep_loans = false;
    }
    if let Some(path) = &args.unify_model {
        c.unify.model = Some(path.display().to_string());
    }
    Ok(c)
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LidArg {
    Awal,
    Script,
}

fn detector(args: &PrepareArgs) -> Result<Box<dyn LanguageDetector>> {
    let kind = match args.lid {
        LidArg::Awal => "awal",
        LidArg::Script => "script",
    };
    Ok(named_detector(kind, args.lid_model.as_deref())?)
}

pub fn run(args: PrepareArgs) -> Result<()> {
    if args.unify.is_some() && matches!(args.lid, LidArg::Script) {
        bail!("--unify needs language labels: it does not work with --lid script");
    }
    let config = build_config(&args)?;
    // Loaded before any input is read: a bad tokenizer file fails at once.
    let counter = match &args.tokenizer {
        Some(path) => Some(super::tokens::ModelTokens::load(path)?),
        None => None,
    };
    let expanded = expand_inputs(&args.inputs)?;
    // Not silent: what a folder walk leaves out is counted and named, even with --quiet.
    for note in expanded.passed_over_notes() {
        eprintln!("awal: {note}");
    }
    let inputs = expanded.inputs;
    let mut pipeline = Pipeline::new(config)?.with_detector(detector(&args)?);
    if let Some(counter) = counter {
        pipeline = pipeline.with_token_counter(Box::new(counter));
    }

    let total: u64 = inputs.iter().filter_map(|i| i.len_hint()).sum();
    let counter = Arc::new(AtomicU64::new(0));
    let show_bar = !args.quiet && std::io::stderr().is_terminal();
    let done = Arc::new(AtomicBool::new(false));
    let ticker = show_bar.then(|| {
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let (counter, done) = (Arc::clone(&counter), Arc::clone(&done));
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                bar.set_position(counter.load(Ordering::Relaxed));
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        })
    });
    let opts = RunOptions {
        resume: args.resume,
        overwrite: args.overwrite,
        progress: Some(counter),
        stop_after_checkpoints: args.stop_after_shards,
        card_license: args.card.then(|| {
            args.license
                .clone()
                .unwrap_or_else(|| awal_prep::card::DEFAULT_LICENSE.to_string())
        }),
    };
    let result = pipeline.run(&inputs, &args.out, &opts);
    done.store(true, Ordering::Relaxed);
    if let Some(t) = ticker {
        let _ = t.join();
    }
    let summary = result?;
    if summary.interrupted {
        bail!(
            "stopped after {} checkpoint(s) as asked; continue with --resume",
            args.stop_after_shards.unwrap_or(0)
        );
    }
    super::print(&summary.report)?;
    let skipped: u64 = summary.stats.source_skipped.values().sum();
    if skipped > 0 && !args.quiet {
        let reasons: Vec<String> = summary
            .stats
            .source_skipped
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        eprintln!(
            "awal: skipped {skipped} unreadable line(s) ({}); locations in {}/manifest.json (--strict makes them errors)",
            reasons.join(", "),
            args.out.display()
        );
    }
    Ok(())
}
