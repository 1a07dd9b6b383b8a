//! Reading inputs as numbered lines, in parallel batches, writing results in input order.
//!
//! Every line-oriented command (`translit`, `scripts`) has the same shape: read lines from
//! files or stdin, apply a pure function to each, write one output per line. This module
//! owns that shape once:
//!
//! * Input is read in blocks of about 1 MiB; the complete lines of a block form a batch,
//!   processed with rayon, and written in order before the next block is read, so memory
//!   stays bounded by the block size (or the longest line) whatever the input size.
//! * Each line keeps its terminator (`\n`, `\r\n`, or none for a last line without one),
//!   so a command can reproduce the input's line structure exactly.
//! * A line that is not UTF-8 stops the run with `FILE:LINE: invalid UTF-8`, or, in lossy
//!   mode, is decoded with U+FFFD replacements and counted.
//! * A command that fails on a line stops the run with `FILE:LINE: why`, after writing
//!   the outputs of the lines before it and nothing for that line or later ones: a blank
//!   line in place of a result would pass for one.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

/// Block size for reading; a batch holds the complete lines of one block.
const BLOCK: usize = 1 << 20;

/// Where lines come from: a file, or standard input (`-` or no files at all).
#[derive(Clone, Debug)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    /// The inputs named on a command line; none means standard input.
    pub fn from_args(paths: &[PathBuf]) -> Vec<Input> {
        if paths.is_empty() {
            return vec![Input::Stdin];
        }
        paths
            .iter()
            .map(|p| {
                if p.as_os_str() == "-" {
                    Input::Stdin
                } else {
                    Input::File(p.clone())
                }
            })
            .collect()
    }

    /// The name used in messages.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }

    fn open(&self) -> Result<Box<dyn Read>> {
        Ok(match self {
            Input::Stdin => Box::new(io::stdin().lock()),
            Input::File(path) => Box::new(open_file(path)?),
        })
    }
}

/// Opens a file with a message that names it.
pub fn open_file(path: &Path) -> Result<File> {
    File::open(path).with_context(|| format!("cannot open {}", path.display()))
}

/// One input line as handed to a command.
pub struct Line<'a> {
    /// 1-based line number within its input.
    pub number: usize,
    /// The text, without its terminator.
    pub text: &'a str,
    /// `"\n"`, `"\r\n"` or `""` (last line without a newline).
    pub terminator: &'a str,
}

/// How to treat lines that are not valid UTF-8.
#[derive(Clone, Copy, Debug, Default)]
pub struct Decoding {
    /// Replace invalid sequences with U+FFFD and count them, instead of failing.
    pub lossy: bool,
}

/// What a run saw, for the closing message on stderr.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    /// Lines read.
    pub lines: usize,
    /// Lines that needed U+FFFD replacement (lossy mode only).
    pub lossy_lines: usize,
}

/// Applies `f` to every line of every input and writes what it produces to `out`, in
/// input order. `f` appends its output for one line (including any line terminator it
/// wants) to the given buffer, or fails, which stops the run at that line.
pub fn for_each_line<W, F>(inputs: &[Input], decoding: Decoding, out: &mut W, f: F) -> Result<Tally>
where
    W: Write,
    F: Fn(&Input, &Line, &mut String) -> Result<()> + Sync,
{
    let mut tally = Tally::default();
    for input in inputs {
        let reader = input.open()?;
        process_input(input, reader, decoding, out, &f, &mut tally)?;
    }
    out.flush().context("cannot write output")?;
    Ok(tally)
}

fn process_input<W, F>(
    input: &Input,
    mut reader: Box<dyn Read>,
    decoding: Decoding,
    out: &mut W,
    f: &F,
    tally: &mut Tally,
) -> Result<()>
where
    W: Write,
    F: Fn(&Input, &Line, &mut String) -> Result<()> + Sync,
{
    let mut buffer: Vec<u8> = Vec::with_capacity(BLOCK);
    let mut first_line = 1;
    let mut eof = false;
    while !eof {
        let scanned = buffer.len();
        eof = fill(&mut reader, &mut buffer, BLOCK)
            .with_context(|| format!("cannot read {}", input.name()))?;
        // Cut at the last newline; keep the tail for the next block unless at the end.
        // Only the newly read bytes can hold a newline the last search did not find.
        let cut = if eof {
            buffer.len()
        } else {
            match memchr::memrchr(b'\n', &buffer[scanned..]) {
                Some(i) => scanned + i + 1,
                None => continue, // one line longer than a block: read more of it
            }
        };
        let raw = split_lines(&buffer[..cut]);
        let results: Vec<Result<String, LineError>> = raw
            .par_iter()
            .enumerate()
            .map(|(i, (content, terminator))| {
                let number = first_line + i;
                let text = decode(content, decoding).ok_or(LineError::InvalidUtf8(number))?;
                let line = Line {
                    number,
                    text: &text,
                    terminator: std::str::from_utf8(terminator).unwrap_or("\n"),
                };
                let mut output = String::with_capacity(content.len() + 16);
                f(input, &line, &mut output).map_err(|e| LineError::Failed(number, e))?;
                Ok(output)
            })
            .collect();
        for (i, result) in results.into_iter().enumerate() {
            match result {
                Ok(text) => out
                    .write_all(text.as_bytes())
                    .context("cannot write output")?,
                Err(LineError::InvalidUtf8(number)) => {
                    bail!("{}:{number}: invalid UTF-8", input.name())
                }
                Err(LineError::Failed(number, e)) => bail!("{}:{number}: {e:#}", input.name()),
            }
            if decoding.lossy && simdutf8::basic::from_utf8(raw[i].0).is_err() {
                tally.lossy_lines += 1;
            }
        }
        tally.lines += raw.len();
        first_line += raw.len();
        buffer.drain(..cut);
    }
    Ok(())
}

/// Why a line has no output: the run stops there.
enum LineError {
    InvalidUtf8(usize),
    Failed(usize, anyhow::Error),
}

/// Reads until `buffer` holds at least `want` more bytes or the input ends; returns
/// whether it ended.
fn fill(reader: &mut dyn Read, buffer: &mut Vec<u8>, want: usize) -> io::Result<bool> {
    let target = buffer.len() + want;
    while buffer.len() < target {
        let start = buffer.len();
        buffer.resize(target, 0);
        match reader.read(&mut buffer[start..]) {
            Ok(0) => {
                buffer.truncate(start);
                return Ok(true);
            }
            Ok(n) => buffer.truncate(start + n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => buffer.truncate(start),
            Err(e) => {
                buffer.truncate(start);
                return Err(e);
            }
        }
    }
    Ok(false)
}

/// Splits a block into (content, terminator) pairs; the last line may lack a newline.
fn split_lines(block: &[u8]) -> Vec<(&[u8], &[u8])> {
    let mut lines = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', block) {
        let line = &block[start..end];
        match line.last() {
            Some(b'\r') => lines.push((&line[..line.len() - 1], &block[end - 1..=end])),
            _ => lines.push((line, &block[end..=end])),
        }
        start = end + 1;
    }
    if start < block.len() {
        lines.push((&block[start..], &block[block.len()..]));
    }
    lines
}

fn decode(content: &[u8], decoding: Decoding) -> Option<std::borrow::Cow<'_, str>> {
    match simdutf8::basic::from_utf8(content) {
        Ok(text) => Some(text.into()),
        Err(_) if decoding.lossy => Some(String::from_utf8_lossy(content)),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_their_terminators() {
        let got = split_lines(b"a\r\nb\n\nc");
        let want: Vec<(&[u8], &[u8])> =
            vec![(b"a", b"\r\n"), (b"b", b"\n"), (b"", b"\n"), (b"c", b"")];
        assert_eq!(got, want);
        assert!(split_lines(b"").is_empty());
    }

    /// A failed line stops the run with its name and number; the lines before it are
    /// written, and nothing stands in for it or follows it (issue 13: `tokenizer encode`
    /// wrote a blank line for a failed line and went on).
    #[test]
    fn a_failed_line_stops_the_run_and_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.txt");
        std::fs::write(&path, "one\ntwo\nthree\n").unwrap();
        let inputs = [Input::File(path.clone())];
        let mut out = Vec::new();
        let e = for_each_line(&inputs, Decoding::default(), &mut out, |_, line, buf| {
            if line.text == "two" {
                bail!("cannot encode");
            }
            buf.push_str(&line.text.to_uppercase());
            buf.push('\n');
            Ok(())
        })
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{}:2: cannot encode", path.display())
        );
        assert_eq!(out, b"ONE\n");
    }
}
