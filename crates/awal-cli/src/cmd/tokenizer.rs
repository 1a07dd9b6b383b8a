//! `awal tokenizer …`: train, measure (fertility/parity), extend and encode.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};
use awal_prep::sink::write_atomic;
use awal_tokenize::corpus::{self, Corpus};
use awal_tokenize::extend::{extend_file, ExtendConfig, TargetScript};
use awal_tokenize::fertility;
use awal_tokenize::model::AnyTokenizer;
use awal_tokenize::normalize::Normalizer;
use awal_tokenize::parity::{hold_out, train_parity, DevSource, ParityConfig};
use awal_tokenize::train::{train, ModelKind, TrainConfig};
use clap::{Args, Subcommand, ValueEnum};
use rayon::prelude::*;
use serde::Serialize;

use super::tokens::ModelTokens;
use awal_prep::config::SourceConfig;
use awal_prep::source::{expand_inputs, DocReader, Item};
use awal_prep::tokens::TokenCounter;
use awal_prep::Record;

use super::gate::{self, Gates, ParityCeiling};
use super::normalize::OptionFlags;
use crate::lines::{for_each_line, Decoding, Input};

#[derive(Subcommand, Debug)]
pub enum TokenizerCommand {
    /// Train a byte-level BPE or Unigram tokenizer with language-balanced sampling.
    ///
    /// With two or more languages, BPE is trained parity-aware by default: each merge
    /// goes to the language whose dev sample (--dev, or every 20th training line held
    /// out) is compressed worst relative to --pivot. Writes a stock tokenizer.json
    /// (awal's normalizer and pre-tokenizer exported as tokenizers components),
    /// loadable with `tokenizers.Tokenizer.from_file`.
    Train(TrainArgs),
    /// Tokens, words, tokens/word, chars/token and parity vs a pivot language.
    ///
    /// Reads Hugging Face tokenizer.json and Mistral tekken.json files.
    Fertility(FertilityArgs),
    /// Add tokens for Tifinagh (or Arabic) to a byte-level BPE without changing how any
    /// other text encodes; writes the same format as the base and the list of new ids.
    Extend(ExtendArgs),
    /// Encode lines to ids (space-separated, one line per input line).
    Encode(EncodeArgs),
    /// Count tokens of existing shards, per language and in all.
    ///
    /// Reads what `awal prepare` writes: `.jsonl` records (plain, `.gz` or `.zst`; folders
    /// are walked) with a `text` field, grouped by their `lang` field (`-` when absent).
    /// Any other file is plain text, one document per line, without a language. Counts
    /// the text without special tokens (no BOS/EOS), as `prepare --tokenizer` does. A line
    /// that is not a record (bad JSON, no text field, bad UTF-8, a truncated file) is an
    /// error naming FILE:LINE.
    Count(CountArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ModelArg {
    Bpe,
    Unigram,
}

/// How the languages share the merges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SamplingArg {
    /// All text as it is: the language with the most text takes the most merges.
    Natural,
    /// Languages resampled by temperature --balance T (default 3).
    Temperature,
    /// Parity-aware BPE: each merge serves the worst-compressed language (BPE only).
    Parity,
}

impl SamplingArg {
    fn name(self) -> &'static str {
        match self {
            SamplingArg::Natural => "natural",
            SamplingArg::Temperature => "temperature",
            SamplingArg::Parity => "parity",
        }
    }
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Subword model.
    #[arg(long, value_enum, default_value = "bpe")]
    model: ModelArg,
    /// Vocabulary size, including the 256 byte symbols.
    #[arg(long, default_value_t = 32_000)]
    vocab_size: usize,
    /// Training text as LANG=PATH (repeatable; one label may appear several times).
    #[arg(long = "corpus", value_name = "LANG=PATH", required = true)]
    corpora: Vec<String>,
    /// How languages share the merges [default: parity for BPE with two or more
    /// languages, temperature when --balance is given, natural otherwise].
    #[arg(long, value_enum)]
    sampling: Option<SamplingArg>,
    /// Temperature of --sampling temperature over per-language byte counts (1 = natural,
    /// 3.3 ≈ XLM-R) [default: 3].
    #[arg(long = "balance", value_name = "T")]
    temperature: Option<f64>,
    /// Dev sample for parity sampling as LANG=FILE (repeatable). A language without one
    /// is measured on every 20th line of its training text, which is then not trained on.
    /// A dev file with as many lines as the pivot's is compared with it line for line.
    #[arg(long = "dev", value_name = "LANG=FILE")]
    dev: Vec<String>,
    #[command(flatten)]
    parity: ParityFlags,
    /// Pairs seen fewer times are not merged (BPE).
    #[arg(long, default_value_t = 2)]
    min_frequency: u64,
    /// Normalization profile: ary, zgh, fra, auto.
    #[arg(long, default_value = "auto")]
    profile: String,
    #[command(flatten)]
    options: OptionFlags,
    /// Output tokenizer.json.
    #[arg(short, long)]
    output: PathBuf,
}

/// The settings of `--sampling parity`; `None` where not given.
#[derive(Args, Debug)]
pub struct ParityFlags {
    /// Parity sampling: the language the others are measured against [default: eng_Latn].
    #[arg(long)]
    pivot: Option<String>,
    /// Parity sampling: the first N merges are ordinary BPE merges over all the text
    /// [default: 0].
    #[arg(long, value_name = "N")]
    global_merges: Option<usize>,
    /// Parity sampling, moving window: a language that won more than ALPHA / (number of
    /// languages) of the last N merges waits for the next worst; 0 = always the worst
    /// [default: 100].
    #[arg(long, value_name = "N")]
    window: Option<usize>,
    /// Parity sampling: the ALPHA of --window [default: 2].
    #[arg(long, value_name = "ALPHA")]
    window_alpha: Option<f64>,
}

impl ParityFlags {
    fn any_given(&self) -> bool {
        self.pivot.is_some()
            || self.global_merges.is_some()
            || self.window.is_some()
            || self.window_alpha.is_some()
    }

    fn config(&self, vocab_size: usize, min_frequency: u64) -> ParityConfig {
        let d = ParityConfig::new(vocab_size, min_frequency);
        ParityConfig {
            pivot: self.pivot.clone().unwrap_or(d.pivot),
            global_merges: self.global_merges.unwrap_or(d.global_merges),
            window: self.window.unwrap_or(d.window),
            window_alpha: self.window_alpha.unwrap_or(d.window_alpha),
            ..d
        }
    }
}

#[derive(Args, Debug)]
pub struct FertilityArgs {
    /// Tokenizer as NAME=PATH or PATH (repeatable).
    #[arg(long = "tokenizer", value_name = "NAME=PATH", required = true)]
    tokenizers: Vec<String>,
    /// Text as LANG=PATH (repeatable); parity needs line-aligned files.
    #[arg(long = "corpus", value_name = "LANG=PATH", required = true)]
    corpora: Vec<String>,
    /// Language that parity is relative to.
    #[arg(long, default_value = "eng_Latn")]
    pivot: String,
    /// Print JSON rows instead of a table.
    #[arg(long)]
    json: bool,
    /// Exit 1, after the table, when LANG's parity exceeds X for any tokenizer (1.2: at
    /// most 20 % more tokens than the pivot). Repeatable.
    #[arg(long, value_name = "LANG=X", value_parser = gate::parse_parity_ceiling)]
    max_parity: Vec<ParityCeiling>,
}

#[derive(Args, Debug)]
pub struct ExtendArgs {
    /// Base tokenizer: byte-level BPE tokenizer.json or tekken.json.
    #[arg(long)]
    base: PathBuf,
    /// Target-script text as LANG=PATH (repeatable).
    #[arg(long = "corpus", value_name = "LANG=PATH", required = true)]
    corpora: Vec<String>,
    /// At most this many new tokens.
    #[arg(long)]
    add: usize,
    /// Scripts to add tokens for: tfng, arab (repeatable).
    #[arg(long = "script", default_value = "tfng")]
    scripts: Vec<String>,
    /// Pairs seen fewer times are not merged.
    #[arg(long, default_value_t = 2)]
    min_frequency: u64,
    /// Output file (same format as the base).
    #[arg(short, long)]
    output: PathBuf,
    /// Where to write the new ids, one per line (default: OUTPUT.new-ids.txt).
    #[arg(long)]
    ids: Option<PathBuf>,
    /// Where to write the embedding-initialisation map (default: OUTPUT.init.json): for
    /// each new id, the base ids it stands for; `awal.hf.extend_embeddings(model, PATH)`
    /// gives a transformers model the new rows, each the mean of its base rows.
    #[arg(long, value_name = "PATH")]
    init_map: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct EncodeArgs {
    /// tokenizer.json or tekken.json.
    #[arg(long)]
    tokenizer: PathBuf,
    /// Input files; none or `-` reads stdin.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CountArgs {
    /// Hugging Face tokenizer.json or Mistral tekken.json.
    #[arg(long)]
    tokenizer: PathBuf,
    /// Shards, other JSONL or text files, or folders; none or `-` reads stdin.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// JSONL field holding the text.
    #[arg(long, default_value = "text")]
    text_field: String,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(command: TokenizerCommand) -> Result<()> {
    match command {
        TokenizerCommand::Train(a) => run_train(&a),
        TokenizerCommand::Fertility(a) => run_fertility(&a),
        TokenizerCommand::Extend(a) => run_extend(&a),
        TokenizerCommand::Encode(a) => run_encode(&a),
        TokenizerCommand::Count(a) => run_count(&a),
    }
}

fn load_corpora(specs: &[String]) -> Result<Vec<Corpus>> {
    Ok(corpus::load(specs)?)
}

/// The temperature used when `--sampling temperature` is given without `--balance`.
const DEFAULT_TEMPERATURE: f64 = 3.0;

/// The sampling a run uses: the one asked for, or the default for its inputs.
fn resolve_sampling(a: &TrainArgs, languages: usize) -> Result<SamplingArg> {
    let sampling = match (a.sampling, a.temperature) {
        (Some(s), _) => s,
        (None, Some(_)) => SamplingArg::Temperature,
        (None, None) if languages >= 2 && matches!(a.model, ModelArg::Bpe) => SamplingArg::Parity,
        (None, None) => SamplingArg::Natural,
    };
    if a.temperature.is_some() && sampling != SamplingArg::Temperature {
        bail!(
            "--balance is the temperature of --sampling temperature; it means nothing with --sampling {}",
            sampling.name()
        );
    }
    if sampling == SamplingArg::Parity && !matches!(a.model, ModelArg::Bpe) {
        bail!("--sampling parity trains BPE only: use --model bpe, or --sampling natural|temperature for unigram");
    }
    if (!a.dev.is_empty() || a.parity.any_given()) && sampling != SamplingArg::Parity {
        bail!("--dev, --pivot, --window, --window-alpha and --global-merges are read by --sampling parity only");
    }
    Ok(sampling)
}

/// A trained tokenizer, serialized.
struct Trained {
    json: String,
    vocab_size: usize,
}

impl Trained {
    fn new(tok: &awal_tokenize::train::Tokenizer) -> Result<Trained> {
        Ok(Trained {
            json: tok
                .to_string(false)
                .map_err(|e| anyhow::anyhow!("cannot serialize the tokenizer: {e}"))?,
            vocab_size: tok.get_vocab_size(true),
        })
    }
}

fn run_train(a: &TrainArgs) -> Result<()> {
    let normalizer = super::normalize::build(&a.profile, &a.options)?;
    let corpora = load_corpora(&a.corpora)?;
    let sampling = resolve_sampling(a, corpora.len())?;
    let started = std::time::Instant::now();
    let tok = match sampling {
        SamplingArg::Parity => train_parity_aware(a, &corpora, &normalizer)?,
        SamplingArg::Natural | SamplingArg::Temperature => {
            let temperature = match sampling {
                SamplingArg::Temperature => a.temperature.unwrap_or(DEFAULT_TEMPERATURE),
                _ => 1.0,
            };
            train_sampled(a, &corpora, &normalizer, temperature)?
        }
    };
    write_atomic(&a.output, tok.json.as_bytes())?;
    eprintln!(
        "awal: trained {} tokens ({} sampling) in {:.1} s, wrote {}",
        tok.vocab_size,
        sampling.name(),
        started.elapsed().as_secs_f64(),
        a.output.display()
    );
    Ok(())
}

/// Natural or temperature sampling through the `tokenizers` trainers; prints the shares.
fn train_sampled(
    a: &TrainArgs,
    corpora: &[Corpus],
    normalizer: &Normalizer,
    temperature: f64,
) -> Result<Trained> {
    let config = TrainConfig {
        model: match a.model {
            ModelArg::Bpe => ModelKind::Bpe,
            ModelArg::Unigram => ModelKind::Unigram,
        },
        vocab_size: a.vocab_size,
        temperature,
        min_frequency: a.min_frequency,
    };
    let (tok, shares) = train(corpora, normalizer, &config)?;
    eprintln!(
        "{:<10} {:>10} {:>8} {:>8} {:>7}",
        "lang", "bytes", "natural", "sampled", "factor"
    );
    for s in &shares {
        eprintln!(
            "{:<10} {:>10} {:>8.3} {:>8.3} {:>7.2}",
            s.lang, s.bytes, s.natural, s.sampled, s.factor
        );
    }
    Trained::new(&tok)
}

/// Parity-aware BPE; prints each language's dev sample, merges won and final score.
fn train_parity_aware(
    a: &TrainArgs,
    corpora: &[Corpus],
    normalizer: &Normalizer,
) -> Result<Trained> {
    let dev = if a.dev.is_empty() {
        Vec::new()
    } else {
        load_corpora(&a.dev)?
    };
    let (train_set, samples) = hold_out(corpora, &dev)?;
    let config = a.parity.config(a.vocab_size, a.min_frequency);
    let (tok, report) = train_parity(&train_set, &samples, normalizer, &config)?;
    if !report.langs.iter().any(|r| r.lang == config.pivot) {
        eprintln!(
            "awal: pivot {} is not a training language: languages are scored by tokens per character",
            config.pivot
        );
    }
    eprintln!(
        "{:<10} {:>8} {:>8} {:<14} {:>7} {:>9} {:>9} {:>6}",
        "lang", "train", "dev", "dev from", "merges", "dev bytes", "dev toks", "score"
    );
    for r in &report.langs {
        let from = match (r.dev_source, r.aligned) {
            (DevSource::Given, true) => "--dev, aligned",
            (DevSource::Given, false) => "--dev",
            (DevSource::HeldOut, _) => "held out 1/20",
            (DevSource::TrainingText, _) => "training text",
        };
        eprintln!(
            "{:<10} {:>8} {:>8} {:<14} {:>7} {:>9} {:>9} {:>6.3}",
            r.lang, r.train_lines, r.dev_lines, from, r.merges, r.dev_bytes, r.dev_tokens, r.score
        );
    }
    eprintln!(
        "{:<10} {:>8} {:>8} {:<14} {:>7}",
        "(all)", "", "", "global merges", report.global_merges
    );
    Trained::new(&tok)
}

fn run_fertility(a: &FertilityArgs) -> Result<()> {
    let corpora = load_corpora(&a.corpora)?;
    if !corpora.iter().any(|c| c.lang == a.pivot) {
        bail!(
            "pivot language {} has no corpus: add --corpus {}=PATH (line-aligned with the others) or choose another --pivot",
            a.pivot,
            a.pivot
        );
    }
    for ceiling in &a.max_parity {
        if !corpora.iter().any(|c| c.lang == ceiling.lang) {
            bail!(
                "--max-parity {}=…: no --corpus {}=PATH to measure it on",
                ceiling.lang,
                ceiling.lang
            );
        }
    }
    let mut rows = Vec::new();
    for spec in &a.tokenizers {
        let (name, path) = corpus::parse_spec_or_path(spec)?;
        let tok = AnyTokenizer::from_file(&path)?;
        for c in &corpora {
            if let Some(p) = corpora.iter().find(|p| p.lang == a.pivot) {
                if c.lines.len() != p.lines.len() {
                    eprintln!(
                        "awal: {} has {} lines, pivot {} has {}: no parity for it (corpora must be line-aligned)",
                        c.lang,
                        c.lines.len(),
                        p.lang,
                        p.lines.len()
                    );
                }
            }
        }
        rows.extend(fertility::measure(&name, &tok, &corpora, &a.pivot)?);
    }
    if a.json {
        super::print(&(serde_json::to_string_pretty(&rows)? + "\n"))?;
    } else {
        super::print(&fertility::table(&rows))?;
    }
    check_parity_gates(&a.max_parity, &rows)
}

/// The CI gates of `fertility`: every tokenizer's parity for each named language.
fn check_parity_gates(ceilings: &[ParityCeiling], rows: &[fertility::Row]) -> Result<()> {
    let mut gates = Gates::default();
    for ceiling in ceilings {
        for row in rows.iter().filter(|r| r.lang == ceiling.lang) {
            let what = format!("{} parity of {}", row.lang, row.tokenizer);
            let gate = format!("--max-parity {}={}", row.lang, ceiling.max);
            match row.parity {
                Some(parity) => gates.at_most(&what, parity, ceiling.max, &gate),
                None => gates.unmeasured(format!(
                    "{what}: not measured (its corpus is not line-aligned with the pivot's)"
                )),
            }
        }
    }
    gates.finish()
}

fn run_extend(a: &ExtendArgs) -> Result<()> {
    let mut scripts = Vec::new();
    for s in &a.scripts {
        match TargetScript::parse(s) {
            Some(t) => scripts.push(t),
            None => bail!("--script {s}: expected tfng or arab"),
        }
    }
    if a.add == 0 {
        bail!("--add 0: nothing to add");
    }
    let corpora = load_corpora(&a.corpora)?;
    let config = ExtendConfig {
        add: a.add,
        scripts,
        min_frequency: a.min_frequency,
    };
    let (doc, ext) = extend_file(&a.base, &corpora, &config)?;
    write_atomic(&a.output, serde_json::to_string(&doc)?.as_bytes())?;
    let ids_path = a
        .ids
        .clone()
        .unwrap_or_else(|| beside(&a.output, ".new-ids.txt"));
    let mut list = String::new();
    for id in &ext.new_ids {
        list.push_str(&format!("{id}\n"));
    }
    write_atomic(&ids_path, list.as_bytes())?;
    let init_path = a
        .init_map
        .clone()
        .unwrap_or_else(|| beside(&a.output, ".init.json"));
    write_atomic(
        &init_path,
        serde_json::to_string(&ext.init_map())?.as_bytes(),
    )?;
    match (ext.new_ids.first(), ext.new_ids.last()) {
        (Some(first), Some(last)) => eprintln!(
            "awal: added {} tokens (ids {first}–{last}); wrote {}, {} and {}",
            ext.new_ids.len(),
            a.output.display(),
            ids_path.display(),
            init_path.display()
        ),
        _ => eprintln!(
            "awal: no pair was frequent enough; wrote the base unchanged to {}",
            a.output.display()
        ),
    }
    Ok(())
}

/// `path` with `suffix` appended to its whole name (`ext.json` → `ext.json.init.json`).
fn beside(path: &std::path::Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

fn run_encode(a: &EncodeArgs) -> Result<()> {
    let tok = AnyTokenizer::from_file(&a.tokenizer)?;
    let inputs = Input::from_args(&a.files);
    let mut out = super::stdout();
    // An error stops the run at its line (named by `for_each_line`): the ids of the lines
    // before it are written, no blank line stands in for the failed one.
    for_each_line(&inputs, Decoding::default(), &mut out, |_, line, buf| {
        let ids = tok.encode(line.text)?;
        let text: Vec<String> = ids.iter().map(u32::to_string).collect();
        buf.push_str(&text.join(" "));
        buf.push('\n');
        Ok(())
    })?;
    out.flush()?;
    Ok(())
}

/// Documents and tokens of one language (or of all).
#[derive(Clone, Copy, Debug, Default, Serialize)]
struct DocsTokens {
    docs: u64,
    tokens: u64,
}

/// What `tokenizer count` prints.
#[derive(Debug, Default, Serialize)]
struct CountReport {
    tokenizer: String,
    total: DocsTokens,
    languages: BTreeMap<String, DocsTokens>,
}

/// Documents per batch counted on the rayon pool.
const COUNT_BATCH: usize = 4096;

fn run_count(a: &CountArgs) -> Result<()> {
    let counter = ModelTokens::load(&a.tokenizer)?;
    let expanded = expand_inputs(&a.files)?;
    for note in expanded.passed_over_notes() {
        eprintln!("awal: {note}");
    }
    // No length limit: a shard's records are counted whole, whatever prepare allowed.
    let config = SourceConfig {
        text_field: a.text_field.clone(),
        max_doc_bytes: usize::MAX,
        ..SourceConfig::default()
    };
    let mut report = CountReport {
        tokenizer: counter.name(),
        ..CountReport::default()
    };
    let mut batch = Vec::with_capacity(COUNT_BATCH);
    for input in &expanded.inputs {
        let mut reader = DocReader::open(input, &config, None)?;
        while let Some(item) = reader.next_item() {
            batch.push(document(item)?);
            if batch.len() >= COUNT_BATCH {
                count_batch(&counter, &mut batch, &mut report)?;
            }
        }
    }
    count_batch(&counter, &mut batch, &mut report)?;
    if a.json {
        super::print(&(serde_json::to_string_pretty(&report)? + "\n"))
    } else {
        super::print(&count_table(&report))
    }
}

/// The document of a reader item; a line that is not one is an error naming FILE:LINE.
fn document(item: Item) -> Result<Record> {
    let skip = match item {
        Item::Doc(record) => return Ok(record),
        Item::Raw(raw) => match raw.parse() {
            Ok(record) => return Ok(record),
            Err(skip) => skip,
        },
        Item::Skip(skip) => skip,
    };
    bail!("{}:{}: {}", skip.file, skip.line, skip.reason.message())
}

/// Counts a batch in parallel, adds it in input order (so the first error reported is
/// the first in the input, whatever the thread count) and empties it.
fn count_batch(
    counter: &ModelTokens,
    batch: &mut Vec<Record>,
    report: &mut CountReport,
) -> Result<()> {
    let counts: Vec<Result<u64, String>> =
        batch.par_iter().map(|r| counter.count(&r.text)).collect();
    for (record, count) in batch.drain(..).zip(counts) {
        let tokens = count.map_err(|e| anyhow::anyhow!("{}: cannot encode: {e}", record.source))?;
        let lang = record
            .meta
            .get("lang")
            .and_then(|v| v.as_str())
            .unwrap_or("-");
        for d in [
            report.languages.entry(lang.to_string()).or_default(),
            &mut report.total,
        ] {
            d.docs += 1;
            d.tokens += tokens;
        }
    }
    Ok(())
}

fn count_table(report: &CountReport) -> String {
    let mut out = format!(
        "tokenizer: {}\n{:<12} {:>10} {:>14}\n",
        report.tokenizer, "lang", "docs", "tokens"
    );
    let rows = report.languages.iter().map(|(k, v)| (k.as_str(), v));
    for (lang, d) in rows.chain([("total", &report.total)]) {
        out.push_str(&format!("{lang:<12} {:>10} {:>14}\n", d.docs, d.tokens));
    }
    out
}
