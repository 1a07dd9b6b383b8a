//! `awal scripts`: script spans of each line, as JSON lines.

use std::path::PathBuf;

use anyhow::Result;
use awal_translit::script::{spans, Script, ScriptCounts, Span};
use serde::Serialize;

use crate::lines::{for_each_line, Decoding, Input};

#[derive(Serialize)]
struct LineReport<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    line: usize,
    dominant: Script,
    spans: &'a [Span],
}

pub fn run(files: &[PathBuf], lossy: bool) -> Result<()> {
    let inputs = Input::from_args(files);
    let names: Vec<String> = inputs.iter().map(Input::name).collect();
    let several = inputs.len() > 1;
    let mut out = super::stdout();
    let tally = for_each_line(&inputs, Decoding { lossy }, &mut out, |input, line, buf| {
        let found = spans(line.text);
        let name = several.then(|| {
            let i = inputs
                .iter()
                .position(|x| std::ptr::eq(x, input))
                .unwrap_or(0);
            names[i].as_str()
        });
        let report = LineReport {
            file: name,
            line: line.number,
            dominant: ScriptCounts::of(line.text, &found).dominant(),
            spans: &found,
        };
        buf.push_str(&serde_json::to_string(&report)?);
        buf.push('\n');
        Ok(())
    })?;
    super::report_lossy(&tally);
    Ok(())
}
