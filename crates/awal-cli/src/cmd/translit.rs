//! `awal translit`: convert lines, list schemes, evaluate against gold, validate tables.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use awal_translit::eval::{Evaluation, Pair, Report};
use awal_translit::scheme::{Scheme, SchemeKind};
use awal_translit::{Options, Registry, Transliterator};
use clap::{Args, Subcommand};

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
        None if args.list => list(&registry(&args.pair.scheme_file)?),
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

fn registry(scheme_files: &[PathBuf]) -> Result<Registry> {
    let mut reg = Registry::builtin();
    for path in scheme_files {
        reg.add(load_scheme(path)?);
    }
    Ok(reg)
}

fn transliterator(pair: &PairArgs) -> Result<Transliterator> {
    let (Some(from), Some(to)) = (&pair.from, &pair.to) else {
        bail!("give both --from SCHEME and --to SCHEME (see `awal translit --list`)");
    };
    let reg = registry(&pair.scheme_file)?;
    let options = Options {
        ascii_fallbacks: pair.ascii_fallbacks,
    };
    Ok(reg.transliterator(from, to, options)?)
}

fn list(reg: &Registry) -> Result<()> {
    let mut text = String::new();
    for scheme in reg.schemes() {
        let kind = match scheme.kind {
            SchemeKind::Pivot => "Latin pivot".to_string(),
            SchemeKind::Script => format!("{} via {}", scheme.script.code(), scheme.pivot),
        };
        let _ = writeln!(
            text,
            "{:<10}  {:<18}  {}",
            scheme.name, kind, scheme.description
        );
    }
    super::print(&text)
}

fn run_eval(args: EvalArgs) -> Result<()> {
    let translit = transliterator(&args.pair)?;
    let pairs = read_gold(&args.gold, args.swap)?;
    let mut evaluation = Evaluation::default();
    let mut skipped = 0;
    for (line, source, expected) in pairs {
        if args
            .max_length_ratio
            .is_some_and(|ratio| length_ratio(&source, &expected) > ratio)
        {
            skipped += 1;
            continue;
        }
        let got = translit.convert(&source);
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
        super::print(&format!("{}\n", serde_json::to_string_pretty(&json)?))
    } else {
        super::print(&render_report(&translit, &args.gold, &report, skipped))
    }
}

/// How many times longer the longer text is, in characters (1.0 for equal lengths).
fn length_ratio(a: &str, b: &str) -> f64 {
    let (a, b) = (a.chars().count().max(1), b.chars().count().max(1));
    a.max(b) as f64 / a.min(b) as f64
}

/// Reads a gold TSV: a header, then rows of at least two columns.
fn read_gold(path: &Path, swap: bool) -> Result<Vec<(usize, String, String)>> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut pairs = Vec::new();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    for (index, raw) in body.split(|&b| b == b'\n').enumerate() {
        let number = index + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let Ok(line) = std::str::from_utf8(raw) else {
            bail!("{}:{number}: invalid UTF-8", path.display());
        };
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
    let _ = writeln!(
        s,
        "  char error rate   {:>8.4}   {} edits in {} gold characters",
        r.cer, r.char_errors, r.reference_chars
    );
    if r.worst.is_empty() {
        let _ = writeln!(s, "\nno errors");
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
    let mut reg = registry(&args.scheme_file)?;
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
