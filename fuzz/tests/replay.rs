//! Replays the committed corpora (`corpus/TARGET/*`) and the inputs of past findings
//! (`findings/TARGET/*`) through the fuzz targets' property functions, on stable Rust and
//! without libFuzzer: `cargo test --manifest-path fuzz/Cargo.toml --no-default-features`.
//!
//! A finding that is still open is listed in `README.md` under "Open findings" as a line
//! `- \`findings/TARGET/NAME\` …`; only those may fail, and the test fails when a listed
//! one passes (so the list is kept true when the fix lands).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// The `findings/…` paths the README lists as open.
fn known_open() -> Vec<String> {
    let readme = std::fs::read_to_string(fuzz_dir().join("README.md")).expect("fuzz/README.md");
    let mut in_section = false;
    let mut open = Vec::new();
    for line in readme.lines() {
        if line.starts_with("## ") {
            in_section = line.trim() == "## Open findings";
            continue;
        }
        if !in_section {
            continue;
        }
        if let Some(rest) = line.strip_prefix("- `findings/") {
            if let Some((path, _)) = rest.split_once('`') {
                open.push(format!("findings/{path}"));
            }
        }
    }
    open
}

/// Runs one input; `Err` with the panic message when a property fails.
fn run(check: fn(&[u8]), path: &Path) -> Result<(), String> {
    let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    catch_unwind(AssertUnwindSafe(|| check(&data))).map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

#[test]
fn every_target_has_a_corpus() {
    for (name, _) in awal_fuzz::TARGETS {
        let files = files_in(&fuzz_dir().join("corpus").join(name));
        assert!(!files.is_empty(), "corpus/{name} is empty");
    }
}

#[test]
fn corpora_and_findings_hold_their_properties() {
    let open = known_open();
    let mut failures = Vec::new();
    let mut still_open_passes = Vec::new();
    let mut inputs = 0;
    for (name, check) in awal_fuzz::TARGETS {
        for kind in ["corpus", "findings"] {
            for path in files_in(&fuzz_dir().join(kind).join(name)) {
                inputs += 1;
                let rel = format!(
                    "{kind}/{name}/{}",
                    path.file_name().unwrap_or_default().to_string_lossy()
                );
                let listed = open.contains(&rel);
                match (run(check, &path), listed) {
                    (Ok(()), true) => still_open_passes.push(rel),
                    (Err(msg), false) => failures.push(format!("{rel}: {msg}")),
                    _ => {}
                }
            }
        }
    }
    assert!(inputs > 0, "no corpus found under {}", fuzz_dir().display());
    assert!(
        failures.is_empty(),
        "{} inputs fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        still_open_passes.is_empty(),
        "listed as open in README.md but passing now (move them to the fixed list): {still_open_passes:?}"
    );
}
