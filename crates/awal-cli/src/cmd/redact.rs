//! `awal redact`: replace PII with typed placeholders, line by line.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Result;
use awal_prep::pii::{PiiKind, Redactor};
use clap::Args;

use crate::lines::{for_each_line, Decoding, Input};

/// Arguments of `awal redact`.
#[derive(Args, Debug)]
pub struct RedactArgs {
    /// Input files; none or `-` reads stdin.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Replace invalid UTF-8 with U+FFFD (counted on stderr) instead of failing.
    #[arg(long)]
    lossy: bool,
    /// Do not print the counts per type on stderr.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: RedactArgs) -> Result<()> {
    let inputs = Input::from_args(&args.files);
    let redactor = Redactor::new();
    let counts: Vec<AtomicU64> = PiiKind::ALL.iter().map(|_| AtomicU64::new(0)).collect();
    let mut out = super::stdout();
    let tally = for_each_line(
        &inputs,
        Decoding { lossy: args.lossy },
        &mut out,
        |_, line, buf| {
            let (text, found) = redactor.redact(line.text);
            for (i, (_, n)) in found.iter().enumerate() {
                if n > 0 {
                    counts[i].fetch_add(n, Ordering::Relaxed);
                }
            }
            buf.push_str(&text);
            buf.push_str(line.terminator);
            Ok(())
        },
    )?;
    super::report_lossy(&tally);
    if !args.quiet {
        // Counts only: values are never printed anywhere but in the redacted text.
        let parts: Vec<String> = PiiKind::ALL
            .iter()
            .zip(&counts)
            .map(|(k, n)| (k, n.load(Ordering::Relaxed)))
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| format!("{} {n}", k.code()))
            .collect();
        let total: u64 = counts.iter().map(|n| n.load(Ordering::Relaxed)).sum();
        eprintln!(
            "awal: redacted {total} in {} lines{}{}",
            tally.lines,
            if parts.is_empty() { "" } else { ": " },
            parts.join(", ")
        );
    }
    Ok(())
}
