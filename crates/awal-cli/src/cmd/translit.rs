//! `awal translit`: convert lines, list schemes, evaluate against gold, validate tables.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use std::sync::Arc;

use awal_prep::sink::write_atomic;
use awal_tokenize::corpus::read_lines;
use awal_translit::arabizi::{parse_pairs, Model, TrainConfig, TrainPair};
use awal_translit::eval::{normalize_arabic, Evaluation, Pair, Report, Variants};
use awal_translit::scheme::{Scheme, SchemeKind};
use awal_translit::{Options, Registry, Transliterator};
use clap::{Args, Subcommand};

use super::gate::{self, Gates};
use crate::lines::{for_each_line, Decoding, Input};

/// Arguments of `awal translit`.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct TranslitArgs {
    #[command(subcommand)]
    action: Option<Action>,
    #[command(flatten)]
    pair: PairArgs,
    /// List the known schemes with a one-line description, then exit.
    #[arg(long)]
    list: bool,
    /// Input files; none or `-` reads stdin.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Replace invalid UTF-8 with U+FFFD (counted on stderr) instead of failing.
    #[arg(long)]
    lossy: bool,
}

/// The source and target schemes, shared by conversion and evaluation.
#[derive(Args, Debug)]
struct PairArgs {
    /// Source scheme (see --list), e.g. zgh-tfng.
    #[arg(long, value_name = "SCHEME")]
    from: Option<String>,
    /// Target scheme (see --list), e.g. zgh-latn. Any two schemes convert through
    /// their Latin pivot.
    #[arg(long, value_name = "SCHEME")]
    to: Option<String>,
    /// Also read ASCII fallbacks in Latin input: gh=ɣ, ch/sh=c, kh=x, gw=gʷ, and the
    /// Arabizi digits 3=ɛ, 7=ḥ, 9=q inside words. Off by default: `gh` may be g + h.
    #[arg(long)]
    ascii_fallbacks: bool,
    /// Load a scheme table (same TSV format as the built-in ones); repeatable. A loaded
    /// scheme replaces a built-in one of the same name.
    #[arg(long, value_name = "PATH")]
    scheme_file: Vec<PathBuf>,
    /// Darija (ary-latn <-> ary-arab): use this model, made by `awal translit train`,
    /// instead of the built-in one.
    #[arg(long, value_name = "MODEL")]
    model: Option<PathBuf>,
    /// Darija Latin -> Arabic: keep French and English loanwords (the project's list,
    /// corpora/lexicons/loans.tsv) in Latin: `l'école`, `weekend`.
    #[arg(long)]
    keep_loans: bool,
    /// Darija Arabic -> Latin convention: `chat` (3 7 9 kh gh ch, the default) or
    /// `scholarly` (ʕ ḥ q x ɣ š).
    #[arg(long, value_enum, default_value_t = LatinStyle::Chat)]
    scheme: LatinStyle,
}

/// How Darija is written in Latin letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum LatinStyle {
    /// The chat alphabet (DODa style): 3 7 9 5 2 gh ch kh.
    Chat,
    /// A scholarly transcription: ʕ ḥ q x ʔ ɣ š, emphatics with a dot below.
    Scholarly,
}

#[derive(Subcommand, Debug)]
enum Action {
    /// Score a conversion against a gold TSV: exact match, character error rate (CER)
    /// and the worst errors.
    ///
    /// The gold file has a header row and at least two tab-separated columns: source,
    /// expected (further columns, e.g. a note, are ignored).
    Eval(EvalArgs),
    /// Check scheme tables: format, duplicate keys, unreachable entries, broken round
    /// trips. Prints `PATH:LINE: reason` for each problem; exits 1 if there is any.
    Validate(ValidateArgs),
    /// Train a Darija Arabizi <-> Arabic model from parallel lists.
    ///
    /// Each pairs file is TSV with a Latin and an Arabic-script column (found by their
    /// script, so `latin<TAB>arabic` and `arabic<TAB>latin|latin` both work; a header row
    /// is detected; `|` separates Latin spelling variants). Words, phrases and sentences
    /// all work. Example: `awal translit train --from ary-latn --to ary-arab --pairs
    /// words.tsv -o darija.model.json`.
    Train(TrainArgs),
}

#[derive(Args, Debug)]
struct TrainArgs {
    /// The Latin scheme: ary-latn.
    #[arg(long, value_name = "SCHEME", default_value = "ary-latn")]
    from: String,
    /// The Arabic scheme: ary-arab.
    #[arg(long, value_name = "SCHEME", default_value = "ary-arab")]
    to: String,
    /// A parallel TSV file; repeatable.
    #[arg(long, value_name = "FILE", required = true)]
    pairs: Vec<PathBuf>,
    /// Where to write the model (JSON).
    #[arg(short, long, value_name = "MODEL")]
    output: PathBuf,
    /// Order of the character n-gram models, 2 to 7 (the decoder's longest history).
    #[arg(long, default_value_t = 5, value_name = "N", value_parser = clap::value_parser!(u8).range(2..=7))]
    order: u8,
    /// Weight of tokens from sentence pairs (more than 3 words) against word pairs.
    #[arg(long, default_value_t = 0.05, value_name = "W")]
    sentence_weight: f32,
    /// Weight of the character model against the rule probabilities when decoding,
    /// Latin -> Arabic.
    #[arg(long, default_value_t = 0.2, value_name = "W")]
    lm_weight: f32,
    /// The same, Arabic -> Latin.
    #[arg(long, default_value_t = 0.7, value_name = "W")]
    backward_lm_weight: f32,
    /// Credit per character written, against the character model's preference for
    /// short spellings.
    #[arg(long, default_value_t = 0.5, value_name = "C")]
    char_bonus: f32,
    /// The same, Arabic -> Latin.
    #[arg(long, default_value_t = 1.5, value_name = "C")]
    backward_char_bonus: f32,
    /// Also train on the project's built-in lexicons.
    #[arg(long)]
    with_builtin: bool,
    /// Learn rules from single aligned units only, not also from pairs of neighbouring
    /// units (readings in context, e.g. final `na` -> نا). Context rules help on data
    /// with one consistent spelling convention.
    #[arg(long)]
    no_context_rules: bool,
}

#[derive(Args, Debug)]
struct EvalArgs {
    #[command(flatten)]
    pair: PairArgs,
    /// The gold TSV file.
    #[arg(long, value_name = "FILE")]
    gold: PathBuf,
    /// Read the gold columns the other way round: column 2 is the source.
    #[arg(long)]
    swap: bool,
    /// How many of the worst errors to list.
    #[arg(long, default_value_t = 20, value_name = "N")]
    worst: usize,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Skip (and count) gold rows whose source and expected lengths differ by more than
    /// this factor: in noisy parallel data such rows are misaligned, not mistransliterated.
    #[arg(long, value_name = "RATIO")]
    max_length_ratio: Option<f64>,
    /// Normalise both sides before scoring. `arabic`: harakat, shadda and tatweel
    /// removed, أ إ آ ٱ -> ا, ى -> ي, ة -> ه, ؤ ئ -> ء, punctuation removed.
    #[arg(long, value_enum, default_value_t = Normalize::None)]
    normalize: Normalize,
    /// A table of equivalent spellings (one set per line, tab-separated, `#` comments),
    /// e.g. corpora/gold/ary-arab.variants.tsv: an item also counts as right when each
    /// word is the gold word or a listed variant of it. Reported beside the strict figure.
    #[arg(long, value_name = "FILE")]
    variants: Option<PathBuf>,
    /// Exit 1, after the report, when accuracy is below X (a share, 0 to 1): exact match,
    /// or the variant-aware accuracy when --variants is given.
    #[arg(long, value_name = "X", value_parser = gate::parse_share)]
    min_accuracy: Option<f64>,
    /// Exit 1, after the report, when the character error rate is above X (0 to 1).
    #[arg(long, value_name = "X", value_parser = gate::parse_share)]
    max_cer: Option<f64>,
}

/// Normalisation applied to gold and output before scoring.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Normalize {
    /// Compare as they are.
    None,
    /// Arabic-script normalisation (see `--normalize`).
    Arabic,
}

#[derive(Args, Debug)]
struct ValidateArgs {
    /// Scheme tables to check.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
    /// Further scheme tables to load first (e.g. the pivot a checked scheme names).
    #[arg(long, value_name = "PATH")]
    scheme_file: Vec<PathBuf>,
}

pub fn run(args: TranslitArgs) -> Result<()> {
    match args.action {
        Some(Action::Eval(eval)) => run_eval(eval),
        Some(Action::Validate(v)) => run_validate(v),
        Some(Action::Train(t)) => run_train(t),
        None if args.list => list(&registry(&args.pair.scheme_file, None)?),
        None => convert(&args.pair, &args.files, args.lossy),
    }
}

fn convert(pair: &PairArgs, files: &[PathBuf], lossy: bool) -> Result<()> {
    let translit = transliterator(pair)?;
    let inputs = Input::from_args(files);
    let mut out = super::stdout();
    let tally = for_each_line(&inputs, Decoding { lossy }, &mut out, |_, line, buf| {
        translit.convert_into(line.text, buf);
        buf.push_str(line.terminator);
        Ok(())
    })?;
    super::report_lossy(&tally);
    Ok(())
}

fn load_scheme(path: &Path) -> Result<Scheme> {
    let text = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(text)
        .map_err(|e| anyhow::anyhow!("{}: invalid UTF-8: {e}", path.display()))?;
    Ok(Scheme::parse(&text, &path.display().to_string())?)
}

fn registry(scheme_files: &[PathBuf], model: Option<&Path>) -> Result<Registry> {
    let mut reg = Registry::builtin();
    for path in scheme_files {
        reg.add(load_scheme(path)?);
    }
    if let Some(path) = model {
        reg.set_arabizi_model(Arc::new(load_model(path)?));
    }
    Ok(reg)
}

fn load_model(path: &Path) -> Result<Model> {
    let text = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(text)
        .map_err(|_| anyhow::anyhow!("{}: invalid UTF-8 (not a model file)", path.display()))?;
    Ok(Model::from_json(&text, &path.display().to_string())?)
}

fn transliterator(pair: &PairArgs) -> Result<Transliterator> {
    let (Some(from), Some(to)) = (&pair.from, &pair.to) else {
        bail!("give both --from SCHEME and --to SCHEME (see `awal translit --list`)");
    };
    let reg = registry(&pair.scheme_file, pair.model.as_deref())?;
    let options = Options {
        ascii_fallbacks: pair.ascii_fallbacks,
        keep_loans: pair.keep_loans,
        scholarly: pair.scheme == LatinStyle::Scholarly,
    };
    Ok(reg.transliterator(from, to, options)?)
}

fn list(reg: &Registry) -> Result<()> {
    let mut text = String::new();
    for scheme in reg.schemes() {
        let kind = match scheme.kind {
            SchemeKind::Pivot => "Latin pivot".to_string(),
            SchemeKind::Script => format!("{} via {}", scheme.script.code(), scheme.pivot),
            SchemeKind::Engine => format!("{} trained engine", scheme.script.code()),
        };
        let _ = writeln!(
            text,
            "{:<10}  {:<19}  {}",
            scheme.name, kind, scheme.description
        );
    }
    super::print(&text)
}

fn run_eval(args: EvalArgs) -> Result<()> {
    let translit = transliterator(&args.pair)?;
    let pairs = read_gold(&args.gold, args.swap)?;
    let mut evaluation = match &args.variants {
        Some(path) => Evaluation::with_variants(read_variants(path, args.normalize)?),
        None => Evaluation::default(),
    };
    let mut skipped = 0;
    for (line, source, expected) in pairs {
        if args
            .max_length_ratio
            .is_some_and(|ratio| length_ratio(&source, &expected) > ratio)
        {
            skipped += 1;
            continue;
        }
        let mut got = translit.convert(&source);
        let mut expected = expected;
        if args.normalize == Normalize::Arabic {
            got = normalize_arabic(&got);
            expected = normalize_arabic(&expected);
        }
        evaluation.add(Pair {
            line,
            source,
            expected,
            got,
        });
    }
    let report = evaluation.report(args.worst);
    if args.json {
        let json = serde_json::json!({
            "from": translit.from(),
            "to": translit.to(),
            "gold": args.gold.display().to_string(),
            "skipped_misaligned": skipped,
            "report": report,
        });
        super::print(&format!("{}\n", serde_json::to_string_pretty(&json)?))?;
    } else {
        super::print(&render_report(&translit, &args.gold, &report, skipped))?;
    }
    check_gates(&args, &report)
}

/// The CI gates of `eval`: fails naming each one the report missed.
fn check_gates(args: &EvalArgs, report: &Report) -> Result<()> {
    let mut gates = Gates::default();
    if let Some(min) = args.min_accuracy {
        let gate = format!("--min-accuracy {min}");
        match report.variant_accuracy {
            Some(accuracy) => {
                gates.at_least("variant-aware accuracy", accuracy, min, &gate);
            }
            None => gates.at_least("exact", report.accuracy, min, &gate),
        }
    }
    if let Some(max) = args.max_cer {
        gates.at_most("CER", report.cer, max, &format!("--max-cer {max}"));
    }
    gates.finish()
}

/// Reads a variants table, normalised the way the scored texts are.
fn read_variants(path: &Path, normalize: Normalize) -> Result<Variants> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = decode_utf8(&bytes, path)?;
    let origin = path.display().to_string();
    let variants = match normalize {
        Normalize::Arabic => Variants::parse(&text, &origin, normalize_arabic)?,
        Normalize::None => Variants::parse(&text, &origin, str::to_string)?,
    };
    if variants.is_empty() {
        bail!("{origin}: no variant sets (one set per line, spellings separated by tabs)");
    }
    Ok(variants)
}

/// How many times longer the longer text is, in characters (1.0 for equal lengths).
fn length_ratio(a: &str, b: &str) -> f64 {
    let (a, b) = (a.chars().count().max(1), b.chars().count().max(1));
    a.max(b) as f64 / a.min(b) as f64
}

/// Reads a gold TSV: a header, then rows of at least two columns.
fn read_gold(path: &Path, swap: bool) -> Result<Vec<(usize, String, String)>> {
    let mut pairs = Vec::new();
    for (index, line) in read_lines(path)?.iter().enumerate() {
        let number = index + 1;
        if number == 1 || line.trim().is_empty() {
            continue; // the header, and blank lines
        }
        let mut cols = line.split('\t');
        let (Some(a), Some(b)) = (cols.next(), cols.next()) else {
            bail!(
                "{}:{number}: expected at least 2 tab-separated columns (source, expected)",
                path.display()
            );
        };
        let (source, expected) = if swap { (b, a) } else { (a, b) };
        pairs.push((number, source.to_string(), expected.to_string()));
    }
    if pairs.is_empty() {
        bail!("{}: no gold rows after the header", path.display());
    }
    Ok(pairs)
}

fn render_report(translit: &Transliterator, gold: &Path, r: &Report, skipped: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} -> {} on {}\n",
        translit.from(),
        translit.to(),
        gold.display()
    );
    let _ = writeln!(s, "  items             {:>8}", r.lines);
    if skipped > 0 {
        let _ = writeln!(
            s,
            "  skipped           {skipped:>8}   misaligned (--max-length-ratio)"
        );
    }
    let _ = writeln!(
        s,
        "  exact match       {:>8}   {:.2} %",
        r.exact,
        100.0 * r.accuracy
    );
    if let (Some(exact), Some(accuracy)) = (r.variant_exact, r.variant_accuracy) {
        let _ = writeln!(
            s,
            "  variant-aware     {:>8}   {:.2} %   (each word the gold or a listed variant)",
            exact,
            100.0 * accuracy
        );
    }
    let _ = writeln!(
        s,
        "  char error rate   {:>8.4}   {} edits in {} gold characters",
        r.cer, r.char_errors, r.reference_chars
    );
    if r.worst.is_empty() && r.exact == r.lines {
        let _ = writeln!(s, "\nno errors");
        return s;
    }
    if !r.categories.is_empty() {
        let _ = writeln!(
            s,
            "\nwrong items by kind of error (an item may count in several):"
        );
        let mut kinds: Vec<(&&str, &usize)> = r.categories.iter().collect();
        kinds.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (kind, count) in kinds {
            let _ = writeln!(s, "  {kind:<16}  {count:>8}");
        }
    }
    if r.worst.is_empty() {
        return s;
    }
    let errors = r.lines - r.exact;
    let _ = writeln!(s, "\nworst errors ({} of {errors}):", r.worst.len());
    for e in &r.worst {
        let _ = writeln!(
            s,
            "\n  line {} ({} edit{}, {:.0} %)",
            e.line,
            e.distance,
            if e.distance == 1 { "" } else { "s" },
            100.0 * e.rate
        );
        let _ = writeln!(s, "    source    {}", e.source);
        let _ = writeln!(s, "    expected  {}", e.expected);
        let _ = writeln!(s, "    got       {}", e.got);
    }
    s
}

fn run_validate(args: ValidateArgs) -> Result<()> {
    let mut reg = registry(&args.scheme_file, None)?;
    let mut problems = 0;
    let mut text = String::new();
    for path in &args.paths {
        let scheme = load_scheme(path)?;
        reg.add(scheme.clone());
        let pivot = reg.get(&scheme.pivot)?;
        let found = scheme.validate(Some(pivot));
        for d in &found {
            let _ = writeln!(text, "{}:{}: {}", path.display(), d.line, d.message);
        }
        if found.is_empty() {
            let _ = writeln!(
                text,
                "{}: ok ({} `{}`, {} rows)",
                path.display(),
                match scheme.kind {
                    SchemeKind::Pivot => "pivot",
                    SchemeKind::Script => "script",
                    SchemeKind::Engine => "engine",
                },
                scheme.name,
                scheme.rows.len()
            );
        }
        problems += found.len();
    }
    super::print(&text)?;
    if problems > 0 {
        bail!("{problems} problem(s) found");
    }
    Ok(())
}

fn run_train(args: TrainArgs) -> Result<()> {
    let reg = Registry::builtin();
    let (from, to) = (reg.get(&args.from)?, reg.get(&args.to)?);
    if from.kind != SchemeKind::Engine || to.kind != SchemeKind::Engine || from.name == to.name {
        bail!(
            "training needs the Darija engine schemes: --from ary-latn --to ary-arab (got {} -> {})",
            args.from,
            args.to
        );
    }
    let mut pairs: Vec<TrainPair> = Vec::new();
    let mut sources = Vec::new();
    let mut skipped = 0;
    for path in &args.pairs {
        let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let text = decode_utf8(&bytes, path)?;
        let parsed = parse_pairs(&text, &path.display().to_string())?;
        skipped += parsed.skipped;
        sources.push(format!(
            "{} ({} pairs)",
            path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned()
            ),
            parsed.pairs.len()
        ));
        pairs.extend(parsed.pairs);
    }
    if args.with_builtin {
        let builtin = Model::builtin();
        pairs.extend(
            builtin
                .file()
                .lexicon
                .iter()
                .map(|e| TrainPair::new(&e.0, &e.1)),
        );
        pairs.extend(builtin.file().forward_lexicon.iter().map(|e| TrainPair {
            lexicon_weight: e.2,
            rule_weight: 0.0,
            forward_only: true,
            ..TrainPair::new(&e.0, &e.1)
        }));
        sources.push("awal built-in lexicons".into());
    }
    if pairs.is_empty() {
        bail!("no Latin/Arabic pairs in the given files");
    }
    let config = TrainConfig {
        order: usize::from(args.order),
        sentence_weight: args.sentence_weight,
        lm_weight: args.lm_weight,
        backward_lm_weight: args.backward_lm_weight,
        char_bonus: args.char_bonus,
        backward_char_bonus: args.backward_char_bonus,
        context_rules: !args.no_context_rules,
        description: format!("trained on {}", sources.join(", ")),
        ..TrainConfig::default()
    };
    let (model, stats) = Model::train(&pairs, &config);
    let json = model.to_json()?;
    write_atomic(&args.output, json.as_bytes())?;
    eprintln!(
        "awal: trained on {} pairs ({} token pairs, {} not alignable, {} sentence pairs with \
         unequal word counts, {} rows without an Arabic column): {} rules, {} lexicon entries -> {}",
        stats.pairs,
        stats.token_pairs,
        stats.unaligned,
        stats.misaligned_sentences,
        skipped,
        stats.rules,
        stats.lexicon,
        args.output.display()
    );
    Ok(())
}

/// Decodes a whole file, naming the first invalid line.
fn decode_utf8(bytes: &[u8], path: &Path) -> Result<String> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            bail!("{}:{line}: invalid UTF-8", path.display())
        }
    }
}
