//! `awal detect` and `awal lid train|eval`: language identification.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use awal_lid::eval::{Confusion, EvalReport};
use awal_lid::{default_detector, Detector, LabelData, Model, TrainConfig};
use awal_prep::sink::write_atomic;
use awal_tokenize::corpus::{parse_spec, read_lines};
use clap::{Args, Subcommand, ValueEnum};
use rayon::prelude::*;
use serde::Serialize;

use super::gate::{self, AccuracyFloor, Gates};
use crate::lines::{for_each_line, Decoding, Input};

/// Arguments of `awal detect`.
#[derive(Args, Debug)]
pub struct DetectArgs {
    /// Input files; none or `-` reads stdin.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Also label code-switched spans within each line (byte offsets).
    #[arg(long)]
    spans: bool,
    /// A model trained with `awal lid train` (default: the embedded model).
    #[arg(long, value_name = "MODEL")]
    model: Option<PathBuf>,
    /// Output format: one JSON object per line, or `label<TAB>score` per line.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// How many labels to list in "top".
    #[arg(long, default_value_t = 3, value_name = "N")]
    top: usize,
    /// Replace invalid UTF-8 with U+FFFD (counted on stderr) instead of failing.
    #[arg(long)]
    lossy: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Json,
    Tsv,
}

/// Arguments of `awal lid`.
#[derive(Args, Debug)]
pub struct LidArgs {
    #[command(subcommand)]
    action: LidAction,
}

#[derive(Subcommand, Debug)]
enum LidAction {
    /// Train a model from one line file per label: --data ary_Latn=chat.txt …
    ///
    /// Labels are ISO 639-3 + ISO 15924 codes ending in _Arab, _Latn or _Tfng; each line of
    /// a file is one training sentence.
    Train(TrainArgs),
    /// Score a model on labelled line files: accuracy per label, macro F1, confusion matrix.
    Eval(EvalArgs),
}

#[derive(Args, Debug)]
struct TrainArgs {
    /// LABEL=PATH of a line file; repeat per label.
    #[arg(long = "data", value_name = "LABEL=PATH", required = true)]
    data: Vec<String>,
    /// Marker words (`label<TAB>word` TSV); default: the embedded project list.
    #[arg(long, value_name = "FILE")]
    markers: Option<PathBuf>,
    /// log2 of the number of feature hash buckets.
    #[arg(long, default_value_t = TrainConfig::default().bits)]
    bits: u32,
    /// Where to write the model (JSON).
    #[arg(short, long, value_name = "MODEL")]
    output: PathBuf,
}

#[derive(Args, Debug)]
struct EvalArgs {
    /// LABEL=PATH of a line file with gold label LABEL; repeatable.
    #[arg(long = "data", value_name = "LABEL=PATH", required = true)]
    data: Vec<String>,
    /// A model trained with `awal lid train` (default: the embedded model).
    #[arg(long, value_name = "MODEL")]
    model: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Exit 1, after the report, when accuracy is below X (a share, 0 to 1); `LABEL=X`
    /// sets a floor for one label's accuracy instead. Repeatable.
    #[arg(long, value_name = "[LABEL=]X", value_parser = gate::parse_accuracy_floor)]
    min_accuracy: Vec<AccuracyFloor>,
}

#[derive(Serialize)]
struct LineResult<'a> {
    line: usize,
    lang: &'a str,
    score: f64,
    top: Vec<(&'a str, f64)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    spans: Option<Vec<SpanOut<'a>>>,
}

#[derive(Serialize)]
struct SpanOut<'a> {
    start: usize,
    end: usize,
    lang: &'a str,
    score: f64,
}

/// Probabilities are printed with 4 decimals: enough to rank, stable to diff.
fn round(p: f64) -> f64 {
    (p * 1e4).round() / 1e4
}

/// Appends `p` with exactly 4 decimals, by integer formatting (float formatting with a
/// fixed precision is a measurable share of `detect --format tsv`).
fn push_probability(buf: &mut String, p: f64) {
    let units = (p.clamp(0.0, 1.0) * 1e4).round() as u32;
    let _ = write!(buf, "{}.{:04}", units / 10_000, units % 10_000);
}

fn load_detector(model: Option<&Path>) -> Result<Detector> {
    match model {
        Some(path) => {
            let text = fs::read_to_string(path)
                .with_context(|| format!("cannot read model {}", path.display()))?;
            let model = Model::from_json(&text).with_context(|| path.display().to_string())?;
            Ok(Detector::new(model))
        }
        None => Ok(default_detector()?.clone()),
    }
}

pub fn run_detect(args: DetectArgs) -> Result<()> {
    let detector = load_detector(args.model.as_deref())?.with_top(args.top);
    let inputs = Input::from_args(&args.files);
    let mut out = super::stdout();
    let tally = for_each_line(
        &inputs,
        Decoding { lossy: args.lossy },
        &mut out,
        |_, line, buf| {
            let d = detector.detect(line.text);
            match args.format {
                Format::Tsv => {
                    buf.push_str(d.lang);
                    buf.push('\t');
                    push_probability(buf, d.score);
                    buf.push('\n');
                }
                Format::Json => {
                    let spans = args.spans.then(|| detector.spans(line.text));
                    let result = LineResult {
                        line: line.number,
                        lang: d.lang,
                        score: round(d.score),
                        top: d.top.iter().map(|&(l, p)| (l, round(p))).collect(),
                        spans: spans.as_ref().map(|spans| {
                            spans
                                .iter()
                                .map(|s| SpanOut {
                                    start: s.start,
                                    end: s.end,
                                    lang: &s.lang,
                                    score: round(s.score),
                                })
                                .collect()
                        }),
                    };
                    buf.push_str(&serde_json::to_string(&result)?);
                    buf.push('\n');
                }
            }
            Ok(())
        },
    )?;
    super::report_lossy(&tally);
    Ok(())
}

pub fn run_lid(args: LidArgs) -> Result<()> {
    match args.action {
        LidAction::Train(t) => train(t),
        LidAction::Eval(e) => eval(e),
    }
}

fn read_labelled(specs: &[String]) -> Result<Vec<(String, Vec<String>)>> {
    specs
        .iter()
        .map(|spec| {
            let (label, path) = parse_spec(spec)?;
            let lines: Vec<String> = read_lines(&path)?
                .into_iter()
                .filter(|l| !l.trim().is_empty())
                .collect();
            if lines.is_empty() {
                bail!("{}: no text for label {label}", path.display());
            }
            Ok((label, lines))
        })
        .collect()
}

fn train(args: TrainArgs) -> Result<()> {
    let labelled = read_labelled(&args.data)?;
    let data: Vec<LabelData> = labelled
        .iter()
        .map(|(label, lines)| LabelData {
            label: label.clone(),
            lines: lines.iter().map(String::as_str).collect(),
        })
        .collect();
    let markers = match &args.markers {
        Some(path) => {
            let text = fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            awal_lid::parse_markers(&text)
                .map_err(|(line, reason)| anyhow::anyhow!("{}:{line}: {reason}", path.display()))?
        }
        None => awal_lid::default_markers(),
    };
    let config = TrainConfig {
        bits: args.bits,
        ..TrainConfig::default()
    };
    let model = Model::train(&data, &markers, config)?;
    write_atomic(&args.output, model.to_json()?.as_bytes())?;
    eprintln!(
        "awal: trained {} labels ({}) on {} lines; calibration k = {:.3}; wrote {}",
        model.labels().len(),
        model.labels().join(", "),
        data.iter().map(|d| d.lines.len()).sum::<usize>(),
        model.calibration(),
        args.output.display()
    );
    Ok(())
}

fn eval(args: EvalArgs) -> Result<()> {
    let detector = load_detector(args.model.as_deref())?;
    let labelled = read_labelled(&args.data)?;
    check_gate_labels(&args.min_accuracy, &labelled)?;
    let mut confusion = Confusion::default();
    for (label, lines) in &labelled {
        let predicted: Vec<&str> = lines.par_iter().map(|l| detector.detect(l).lang).collect();
        for p in predicted {
            confusion.add(label, p);
        }
    }
    let report = confusion.report();
    if args.json {
        super::print(&format!("{}\n", serde_json::to_string_pretty(&report)?))?;
    } else {
        super::print(&render(&report))?;
    }
    check_gates(&args.min_accuracy, &report)
}

/// Refuses, before any work, a per-label floor for a label no `--data` gives: it could
/// never be measured.
fn check_gate_labels(floors: &[AccuracyFloor], labelled: &[(String, Vec<String>)]) -> Result<()> {
    for label in floors.iter().filter_map(|f| f.label.as_deref()) {
        if !labelled.iter().any(|(l, _)| l == label) {
            bail!(
                "--min-accuracy {label}=…: no --data {label}=PATH to measure it on (labels given: {})",
                labelled
                    .iter()
                    .map(|(l, _)| l.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    Ok(())
}

/// The CI gates of `lid eval`: fails naming each floor the report missed.
fn check_gates(floors: &[AccuracyFloor], report: &EvalReport) -> Result<()> {
    let mut gates = Gates::default();
    for floor in floors {
        match &floor.label {
            None => gates.at_least(
                "accuracy",
                report.accuracy,
                floor.min,
                &format!("--min-accuracy {}", floor.min),
            ),
            Some(label) => match report.labels.iter().find(|l| &l.label == label) {
                Some(figures) => gates.at_least(
                    &format!("{label} accuracy"),
                    figures.recall,
                    floor.min,
                    &format!("--min-accuracy {label}={}", floor.min),
                ),
                None => gates.unmeasured(format!("{label}: no items to measure its accuracy")),
            },
        }
    }
    gates.finish()
}

fn render(r: &EvalReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} lines, accuracy {:.4}, macro F1 {:.4}\n",
        r.total, r.accuracy, r.macro_f1
    );
    let _ = writeln!(
        s,
        "  {:<10} {:>7} {:>9} {:>9} {:>7}",
        "label", "lines", "accuracy", "precision", "F1"
    );
    for l in &r.labels {
        let _ = writeln!(
            s,
            "  {:<10} {:>7} {:>9.4} {:>9.4} {:>7.4}",
            l.label, l.support, l.recall, l.precision, l.f1
        );
    }
    let _ = writeln!(s, "\nconfusion (rows: gold, columns: predicted)");
    let _ = write!(s, "  {:<10}", "");
    for p in &r.predicted {
        let _ = write!(s, " {:>9}", p);
    }
    let _ = writeln!(s);
    for (g, row) in r.gold.iter().zip(&r.matrix) {
        let _ = write!(s, "  {:<10}", g);
        for n in row {
            let _ = write!(s, " {:>9}", n);
        }
        let _ = writeln!(s);
    }
    s
}
