//! One module per subcommand; each turns parsed arguments into library calls.

pub mod gate;
pub mod lid;
pub mod normalize;
pub mod prepare;
pub mod redact;
pub mod scripts;
pub mod tokenizer;
pub mod tokens;
pub mod translit;

use std::io::{self, BufWriter, Write};

use crate::lines::Tally;

/// A buffered, locked stdout: line-oriented commands write through this.
pub fn stdout() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::with_capacity(1 << 16, io::stdout().lock())
}

/// Tells the user on stderr how many lines needed U+FFFD replacement, if any.
pub fn report_lossy(tally: &Tally) {
    if tally.lossy_lines > 0 {
        eprintln!(
            "awal: replaced invalid UTF-8 with U+FFFD in {} of {} lines (--lossy)",
            tally.lossy_lines, tally.lines
        );
    }
}

/// Writes text to stdout, flushing at the end.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = stdout();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}
