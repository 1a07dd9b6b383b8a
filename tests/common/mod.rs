//! Helpers shared by the end-to-end tests of `awal prepare` (`prepare.rs`, `parquet.rs`).

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The `awal` binary built for these tests.
pub fn awal() -> Command {
    Command::cargo_bin("awal").unwrap()
}

/// The sample corpus (`corpora/sample`).
pub fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpora/sample")
}

/// How many inputs the source stage skipped for `reason`, from a manifest.
pub fn skipped(m: &Value, reason: &str) -> u64 {
    m["stages"][0]["dropped"][reason].as_u64().unwrap_or(0)
}

/// Every file under `dir`, relative path -> bytes, sorted.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}
