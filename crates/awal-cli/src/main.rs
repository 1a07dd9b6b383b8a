//! `awal`: transliteration, script detection, PII redaction and corpus preparation for Moroccan
//! text in Arabic, Latin and Tifinagh scripts.
//!
//! This binary only parses arguments, wires the library crates together and turns their
//! errors into one clear line on stderr (`awal: FILE:LINE: reason`) with exit code 1;
//! usage errors exit with code 2.

mod cmd;
mod lines;
mod models;

/// The corpus pipeline allocates a few small buffers per document on every worker
/// thread; mimalloc's per-thread heaps make that about 10 % cheaper than glibc malloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Moroccan text toolkit: Darija, Tamazight and French in Arabic, Latin and Tifinagh.
#[derive(Parser, Debug)]
#[command(name = "awal", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Convert text between scripts (Tifinagh, IRCAM Latin, Arabic script, Tuareg).
    ///
    /// Reads lines from FILEs (or stdin) and writes exactly one converted line per input
    /// line to stdout, keeping CRLF/LF and a missing final newline as they were.
    /// Example: `echo ⵜⴰⵎⴰⵣⵉⵖⵜ | awal translit --from zgh-tfng --to zgh-latn`.
    Translit(Box<cmd::translit::TranslitArgs>),
    /// Report the script spans of each line as JSON (byte offsets).
    ///
    /// One object per input line: {"line": N, "dominant": "Tfng", "spans": [{"start": 0,
    /// "end": 12, "script": "Tfng"}, …]}. Arabizi digits inside Latin words (3lach)
    /// belong to the word; free-standing numbers are Common.
    Scripts(ScriptsArgs),
    /// Identify the language of each line: Darija (ary_Arab, ary_Latn), MSA (arb_Arab),
    /// Tamazight (zgh_Tfng, zgh_Latn), Kabyle, Tuareg, French, English.
    ///
    /// One JSON object per line: {"line": N, "lang": "ary_Latn", "score": 0.97,
    /// "top": [["ary_Latn", 0.97], ["fra_Latn", 0.02]]}; `und` for lines without letters.
    /// With --spans, code-switched segments with byte offsets. --format tsv prints
    /// `label<TAB>score` for shell pipelines.
    Detect(cmd::lid::DetectArgs),
    /// Train and evaluate language-identification models.
    Lid(cmd::lid::LidArgs),
    /// Turn raw dumps into clean, deduplicated, PII-redacted JSONL shards.
    ///
    /// Reads .txt (one document per line, or --doc-sep blank-line) and .jsonl inputs,
    /// plain, .gz or .zst, from files, folders (recursive, sorted) or stdin; normalizes,
    /// labels scripts, filters, redacts PII, deduplicates, and writes shard-00000.jsonl.zst
    /// …, manifest.json and report.md to --out. Prints the report.
    /// Example: `awal prepare corpora/sample --out /tmp/awal-out`.
    Prepare(Box<cmd::prepare::PrepareArgs>),
    /// Replace e-mails, phones, CIN, RIB, IBAN, ICE, cards, IPs and secret URLs with
    /// typed placeholders, line by line.
    ///
    /// Years, prices and dates stay. Counts per type (never values) go to stderr.
    /// Example: `echo 'tel 0612345678' | awal redact` prints `tel <PHONE>`.
    Redact(cmd::redact::RedactArgs),
    /// Normalize text per script (Arabic, Tifinagh, Latin, whitespace), line by line.
    ///
    /// Example: `echo 'l’école  كتـــاب' | awal normalize` prints `l'école كتاب`.
    Normalize(cmd::normalize::NormalizeArgs),
    /// Train, measure and extend subword tokenizers (HF tokenizer.json, Mistral tekken.json).
    #[command(subcommand)]
    Tokenizer(cmd::tokenizer::TokenizerCommand),
}

/// Arguments of `awal scripts`.
#[derive(Args, Debug)]
pub struct ScriptsArgs {
    /// Input files; none or `-` reads stdin.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Replace invalid UTF-8 with U+FFFD (counted on stderr) instead of failing.
    #[arg(long)]
    lossy: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    models::install();
    let result = match cli.command {
        Command::Translit(args) => cmd::translit::run(*args),
        Command::Scripts(args) => cmd::scripts::run(&args.files, args.lossy),
        Command::Detect(args) => cmd::lid::run_detect(args),
        Command::Lid(args) => cmd::lid::run_lid(args),
        Command::Prepare(args) => cmd::prepare::run(*args),
        Command::Redact(args) => cmd::redact::run(args),
        Command::Normalize(args) => cmd::normalize::run(&args),
        Command::Tokenizer(command) => cmd::tokenizer::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("awal: {}", describe(&err));
            ExitCode::from(1)
        }
    }
}

/// The error and its causes on one line, each cause once: the library errors already put
/// their cause in their own message (`FILE: why`), so `{:#}` would print it twice.
fn describe(err: &anyhow::Error) -> String {
    let mut text = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

/// `awal … | head` closes the pipe early; that is not an error worth reporting.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
