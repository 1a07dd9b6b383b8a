//! End-to-end tests of `awal prepare` and `awal redact`: the bad-input matrix,
//! `kept + dropped = read`, determinism across thread counts, and resume.

mod common;
use common::{awal, sample, skipped, tree};

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use serde_json::Value;

/// `awal prepare FLAGS INPUT --out OUT`, run and ready for assertions.
fn prepare_cmd(
    flags: &[&str],
    input: impl AsRef<std::ffi::OsStr>,
    out: impl AsRef<std::ffi::OsStr>,
) -> assert_cmd::assert::Assert {
    awal()
        .arg("prepare")
        .args(flags)
        .arg(input)
        .arg("--out")
        .arg(out)
        .assert()
}

/// Runs `awal prepare INPUTS --out OUT ARGS`, asserting success; returns the manifest.
fn prepare(inputs: &[&Path], out: &Path, args: &[&str]) -> Value {
    let mut cmd = awal();
    cmd.arg("prepare")
        .args(inputs)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(args);
    cmd.assert().success();
    manifest(out)
}

fn manifest(out: &Path) -> Value {
    serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

/// Every drop and skip, summed over stages.
fn dropped(m: &Value) -> u64 {
    m["stages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["dropped"].as_object().unwrap().values())
        .map(|v| v.as_u64().unwrap())
        .sum()
}

fn assert_balanced(m: &Value) {
    let read = m["balance"]["read"].as_u64().unwrap();
    let kept = m["balance"]["kept"].as_u64().unwrap();
    assert_eq!(read, kept + dropped(m), "kept + dropped by reason = read");
    let written: u64 = m["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["records"].as_u64().unwrap())
        .sum();
    assert_eq!(written, kept, "every kept document is in a shard");
}

/// All records of all shards, in order.
fn records(out: &Path) -> Vec<Value> {
    let m = manifest(out);
    let mut all = Vec::new();
    for o in m["outputs"].as_array().unwrap() {
        let bytes = fs::read(out.join(o["path"].as_str().unwrap())).unwrap();
        let text = if o["path"].as_str().unwrap().ends_with(".zst") {
            zstd::decode_all(&bytes[..]).unwrap()
        } else {
            bytes
        };
        for line in String::from_utf8(text).unwrap().lines() {
            all.push(serde_json::from_str(line).unwrap());
        }
    }
    all
}

/// `awal.example.toml` (at the repository root, not in any crate) spells out every
/// default of `awal prepare`; it lives outside awal-prep, so the check lives here.
#[test]
fn the_example_config_spells_out_the_defaults() {
    use awal_prep::config::Config;
    let example = include_str!("../awal.example.toml");
    assert_eq!(Config::from_toml(example).unwrap(), Config::default());
}

#[test]
fn the_sample_corpus_runs_balances_and_prints_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let assert = prepare_cmd(&[], sample(), &out).success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.starts_with("# awal prepare report"));
    assert!(stdout.contains("balanced"));
    let m = manifest(&out);
    assert_balanced(&m);
    assert_eq!(m["inputs"].as_array().unwrap().len(), 4);
    assert!(m["inputs"][0]["sha256"].as_str().unwrap().len() == 64);
    assert!(m["stages"][3]["dropped"]["exact"].as_u64().unwrap() >= 55);
    assert!(m["stages"][3]["dropped"]["near"].as_u64().unwrap() >= 35);
    for kind in [
        "EMAIL", "PHONE", "CIN", "RIB", "IBAN", "ICE", "CARD", "IP", "URL",
    ] {
        assert!(m["pii"][kind].as_u64().unwrap_or(0) > 0, "{kind} redacted");
    }
    assert!(out.join("report.md").exists());
    let recs = records(&out);
    // Field order as documented (serde_json's map sorts keys, so look at the raw line).
    let shard =
        zstd::decode_all(&fs::read(out.join("shard-00000.jsonl.zst")).unwrap()[..]).unwrap();
    let line = String::from_utf8(shard)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let at = |k: &str| line.find(&format!("\"{k}\":")).unwrap();
    let order = [
        "id",
        "text",
        "lang",
        "lang_score",
        "scripts",
        "source",
        "meta",
    ]
    .map(at);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{line}");
    // JSONL metadata is kept; the text field is not repeated in it.
    let news = recs
        .iter()
        .find(|r| r["id"].as_str().unwrap().starts_with("news-"))
        .unwrap();
    assert!(news["meta"]["url"].is_string() && news["meta"].get("text").is_none());
    // Nothing that looks like a planted identifier survives.
    let all: String = recs
        .iter()
        .map(|r| r["text"].as_str().unwrap().to_string() + "\n")
        .collect();
    assert!(!all.contains("@example.ma") && !all.contains("token="));
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, bytes).unwrap();
    p
}

const GOOD: &str = "salam khoya, kidayr? ana mzyan l7amdolillah w nta";
const GOOD2: &str = "ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ, ⵎⴰⵏⵉⵎⴽ ⵜⵍⵍⵉⵎ? ⵏⴽⴽ ⵉⵍⵍⴰ ⵖⴰⵙ ⵍⵅⵉⵔ";

#[test]
fn invalid_utf8_is_a_counted_skip_or_a_strict_error() {
    let tmp = tempfile::tempdir().unwrap();
    let mut bytes = format!("{GOOD}\n").into_bytes();
    bytes.extend_from_slice(b"bad \xff\xfe bytes here ok\n");
    bytes.extend_from_slice(format!("{GOOD2}\n").as_bytes());
    let input = write(tmp.path(), "bad.txt", &bytes);
    let m = prepare(&[&input], &tmp.path().join("o"), &[]);
    assert_eq!(skipped(&m, "invalid_utf8"), 1);
    assert_eq!(m["balance"]["kept"], 2);
    assert!(m["skip_examples"]["invalid_utf8"][0]
        .as_str()
        .unwrap()
        .ends_with("bad.txt:2"));
    assert_balanced(&m);
    prepare_cmd(&["--strict", "--quiet"], &input, tmp.path().join("o2"))
        .code(1)
        .stderr(predicate::str::contains("bad.txt:2: invalid UTF-8"));
}

#[test]
fn nul_bom_crlf_and_empty_files() {
    let tmp = tempfile::tempdir().unwrap();
    let bom = write(
        tmp.path(),
        "a_bom.txt",
        format!("\u{FEFF}{GOOD}\r\n{GOOD2}\r\n").as_bytes(),
    );
    let nul = write(
        tmp.path(),
        "b_nul.txt",
        format!("{GOOD} 2\nbin\0ary\0data here\n").as_bytes(),
    );
    let empty = write(tmp.path(), "c_empty.txt", b"");
    let blank = write(tmp.path(), "d_blank.jsonl", b"\n\n  \n");
    let out = tmp.path().join("o");
    let m = prepare(&[&bom, &nul, &empty, &blank], &out, &[]);
    assert_eq!(skipped(&m, "nul_byte"), 1);
    assert_eq!(m["balance"]["read"], 4);
    assert_balanced(&m);
    let recs = records(&out);
    assert_eq!(recs[0]["text"], GOOD, "BOM and CR removed");
    assert_eq!(recs[1]["text"], GOOD2);
    assert!(recs.iter().all(|r| !r["text"]
        .as_str()
        .unwrap()
        .contains(['\r', '\u{FEFF}', '\0'])));
    // Only empty inputs: a valid, empty run.
    let m = prepare(&[&empty], &tmp.path().join("o2"), &[]);
    assert_eq!(
        (
            m["balance"]["read"].as_u64(),
            m["outputs"].as_array().unwrap().len()
        ),
        (Some(0), 0)
    );
}

#[test]
fn a_very_long_single_line_is_skipped_or_read_within_bounds() {
    let tmp = tempfile::tempdir().unwrap();
    // ~20 MB in one line (the 100 MB case is `benches/prep/throughput.sh`-sized; see README).
    let mut line = String::with_capacity(21 << 20);
    let mut i = 0u64;
    while line.len() < 20 << 20 {
        line.push_str(&format!("kalima{i} "));
        i += 1;
    }
    let input = write(
        tmp.path(),
        "long.txt",
        format!("{GOOD}\n{line}\n{GOOD2}\n").as_bytes(),
    );
    let m = prepare(&[&input], &tmp.path().join("o"), &[]);
    assert_eq!(skipped(&m, "too_long"), 1, "default max_doc_bytes is 8 MiB");
    assert_eq!(m["balance"]["kept"], 2);
    assert_balanced(&m);
    let m = prepare(
        &[&input],
        &tmp.path().join("o2"),
        &["--max-doc-bytes", "32M"],
    );
    assert_eq!(skipped(&m, "too_long"), 0);
    assert_eq!(m["balance"]["read"], 3);
    assert_balanced(&m);
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn compressed_inputs_and_truncated_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let mut body = String::new();
    for i in 0..30_000 {
        body.push_str(&format!(
            "{{\"text\": \"{GOOD} raqm {i} f had l3am\", \"n\": {i}}}\n"
        ));
    }
    let gz_ok = write(tmp.path(), "a.jsonl.gz", &gz(body.as_bytes()));
    let zst_ok = write(
        tmp.path(),
        "b.jsonl.zst",
        &zstd::encode_all(body.as_bytes(), 3).unwrap(),
    );
    let m = prepare(&[&gz_ok, &zst_ok], &tmp.path().join("o"), &["--no-dedup"]);
    assert_eq!(m["balance"]["read"], 60_000);
    assert_eq!(m["balance"]["kept"], 60_000);

    let full_gz = gz(body.as_bytes());
    let full_zst = zstd::encode_all(body.as_bytes(), 3).unwrap();
    let gz_cut = write(tmp.path(), "c.jsonl.gz", &full_gz[..full_gz.len() / 2]);
    let zst_cut = write(tmp.path(), "d.jsonl.zst", &full_zst[..full_zst.len() / 2]);
    for cut in [&gz_cut, &zst_cut] {
        let out = tmp
            .path()
            .join(format!("o-{}", cut.file_name().unwrap().to_string_lossy()));
        let m = prepare(&[cut], &out, &["--no-dedup"]);
        assert_eq!(skipped(&m, "read_error"), 1);
        let read = m["balance"]["read"].as_u64().unwrap();
        assert!(
            read > 1 && read < 30_000,
            "what was readable is kept: {read}"
        );
        assert_balanced(&m);
        // The manifest hashes the whole file on disk, even though reading stopped early.
        assert_eq!(
            m["inputs"][0]["bytes"].as_u64().unwrap(),
            fs::metadata(cut).unwrap().len()
        );
        prepare_cmd(&["--strict", "--quiet"], cut, out.with_extension("strict"))
            .code(1)
            .stderr(
                predicate::str::contains(cut.display().to_string())
                    .and(predicate::str::contains("truncated or corrupt")),
            );
    }
}

#[test]
fn malformed_jsonl_and_missing_text_field() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write(
        tmp.path(),
        "x.jsonl",
        format!("{{\"text\": \"{GOOD}\", \"id\": 7}}\n{{\"text\": \"broken\n{{\"body\": \"{GOOD2}\"}}\n[1, 2]\n{{\"text\": 3}}\n{{\"body\": \"{GOOD2}\", \"text\": \"{GOOD2}\"}}\n").as_bytes(),
    );
    let out = tmp.path().join("o");
    let m = prepare(&[&input], &out, &[]);
    assert_eq!(skipped(&m, "malformed_json"), 2);
    assert_eq!(skipped(&m, "missing_text_field"), 2);
    assert_eq!(m["balance"]["kept"], 2);
    assert_balanced(&m);
    let recs = records(&out);
    assert_eq!(recs[0]["id"], "7");
    assert_eq!(recs[1]["meta"]["body"], GOOD2);
    // --text-field picks another field.
    let m = prepare(&[&input], &tmp.path().join("o2"), &["--text-field", "body"]);
    assert_eq!(skipped(&m, "missing_text_field"), 2);
    prepare_cmd(&["--strict", "--quiet"], &input, tmp.path().join("o3"))
        .code(1)
        .stderr(predicate::str::contains("x.jsonl:2: malformed JSON line"));
}

#[test]
fn unreadable_inputs_and_unwritable_outputs_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("missing.txt");
    prepare_cmd(&["--quiet"], &missing, tmp.path().join("o"))
        .code(1)
        .stderr(
            predicate::str::contains(missing.display().to_string())
                .and(predicate::str::contains("No such file")),
        );

    // A file without read permission (root reads anything, so then only the check above holds).
    let locked = write(tmp.path(), "locked.txt", GOOD.as_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read(&locked).is_err() {
            prepare_cmd(&["--quiet"], &locked, tmp.path().join("o-locked"))
                .code(1)
                .stderr(
                    predicate::str::contains("locked.txt")
                        .and(predicate::str::contains("ermission denied")),
                );
        }
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
    }

    // An output "folder" under a regular file cannot be created, whoever runs the test.
    let good = write(tmp.path(), "good.txt", GOOD.as_bytes());
    let blocked = tmp.path().join("good.txt").join("out");
    prepare_cmd(&["--quiet"], &good, &blocked)
        .code(1)
        .stderr(predicate::str::contains(blocked.display().to_string()));

    // An existing run is not overwritten by accident.
    let out = tmp.path().join("o-twice");
    prepare(&[&good], &out, &[]);
    prepare_cmd(&["--quiet"], &good, &out)
        .code(1)
        .stderr(predicate::function(|err: &str| {
            // the cause once, not repeated by the error chain
            err.matches("output folder is not empty").count() == 1
        }));
    prepare(&[&good], &out, &["--overwrite"]);
}

/// Runs `awal prepare` on the sample with `RAYON_NUM_THREADS=1` and `=2` into `dir/t1`
/// and `dir/t2`; returns both output trees.
fn sample_with_1_and_2_threads(dir: &Path, args: &[&str]) -> Vec<Vec<(String, Vec<u8>)>> {
    ["1", "2"]
        .iter()
        .map(|threads| {
            let out = dir.join(format!("t{threads}"));
            awal()
                .env("RAYON_NUM_THREADS", threads)
                .args(["prepare", "--quiet"])
                .args(args)
                .arg(sample())
                .arg("--out")
                .arg(&out)
                .assert()
                .success();
            tree(&out)
        })
        .collect()
}

#[test]
fn output_is_byte_identical_across_thread_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let runs =
        sample_with_1_and_2_threads(tmp.path(), &["--shard-size", "64K", "--split", "valid=0.1"]);
    assert!(
        runs[0].len() > 4,
        "several shards and splits: {:?}",
        runs[0].iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert!(runs[0].iter().any(|f| f.0.starts_with("valid/")));
    assert_eq!(runs[0], runs[1]);
}

#[test]
fn resume_after_an_interruption_equals_an_uninterrupted_run() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "--shard-size",
        "32K",
        "--split",
        "valid=0.05",
        "--compress",
        "gz",
    ];
    let whole = tmp.path().join("whole");
    prepare(&[&sample()], &whole, &args);

    let part = tmp.path().join("part");
    awal()
        .args(["prepare", "--quiet"])
        .arg(sample())
        .arg("--out")
        .arg(&part)
        .args(args)
        .args(["--stop-after-shards", "3"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--resume"));
    assert!(!part.join("manifest.json").exists());
    // A crash can leave a half-written temp file behind; resume must clean it up.
    fs::write(part.join(".shard-00099.jsonl.gz.tmp"), b"half").unwrap();
    prepare(&[&sample()], &part, &[&args[..], &["--resume"]].concat());
    assert_eq!(tree(&whole), tree(&part));

    // Resuming with another configuration is refused.
    let part2 = tmp.path().join("part2");
    let _ = awal()
        .args(["prepare", "--quiet"])
        .arg(sample())
        .arg("--out")
        .arg(&part2)
        .args(args)
        .args(["--stop-after-shards", "1"])
        .assert()
        .code(1);
    awal()
        .args(["prepare", "--quiet", "--resume", "--no-pii"])
        .arg(sample())
        .arg("--out")
        .arg(&part2)
        .args(args)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("differ"));
}

/// Issue 13's defect: the checkpoint knew the inputs by name only, so an input changed
/// between the interruption and `--resume` was resumed from the old item count, mixing
/// two versions of it. Each change (an append, a same-size edit with the old modification
/// time put back, a touch) is refused naming the file; with the original bytes and time
/// back, the resume goes through and equals an uninterrupted run.
#[test]
fn resume_refuses_an_input_that_changed_and_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    let original = fs::read(sample().join("news.jsonl")).unwrap();
    assert!(original.len() > 2 * 64 * 1024, "both ends are hashed apart");
    let input = write(tmp.path(), "news.jsonl", &original);
    let mtime = fs::metadata(&input).unwrap().modified().unwrap();
    let restore = |bytes: &[u8], time: std::time::SystemTime| {
        fs::write(&input, bytes).unwrap();
        let f = fs::File::options().write(true).open(&input).unwrap();
        f.set_modified(time).unwrap();
    };
    let args = ["--shard-size", "32K"];
    let whole = tmp.path().join("whole");
    prepare(&[&input], &whole, &args);

    let part = tmp.path().join("part");
    awal()
        .args(["prepare", "--quiet"])
        .arg(&input)
        .arg("--out")
        .arg(&part)
        .args(args)
        .args(["--stop-after-shards", "2"])
        .assert()
        .code(1);
    let resume = || {
        awal()
            .args(["prepare", "--quiet", "--resume"])
            .arg(&input)
            .arg("--out")
            .arg(&part)
            .args(args)
            .assert()
    };

    let mut appended = original.clone();
    appended.extend_from_slice(b"{\"text\":\"salam khoya, zadt had ster mn ba3d\"}\n");
    let mut edited = original.clone();
    edited[20] = if edited[20] == b'x' { b'y' } else { b'x' };
    let later = mtime + std::time::Duration::from_secs(60);
    let changes: [(&[u8], std::time::SystemTime, &str); 3] = [
        (&appended, mtime, "size"),
        (&edited, mtime, "first or last 64 KiB"),
        (&original, later, "modification time"),
    ];
    for (bytes, time, what) in changes {
        restore(bytes, time);
        resume()
            .code(1)
            .stderr(predicate::str::contains(format!(
                "input {} changed since the interrupted run",
                input.display()
            )))
            .stderr(predicate::str::contains(what));
    }
    restore(&original, mtime);
    resume().success();
    assert_eq!(tree(&whole), tree(&part));
}

/// Issue 13's defect: with `--unify`, dedup keys come from the text before
/// unification, so a resumed run must not rebuild its index from the (unified) shards.
/// Documents after the checkpoint repeat Arabizi documents from before it, as they are
/// and with a change of case and punctuation.
#[test]
fn resume_with_unify_catches_duplicates_of_documents_before_the_checkpoint() {
    let tmp = tempfile::tempdir().unwrap();
    let social = fs::read_to_string(sample().join("social.txt")).unwrap();
    let latin: Vec<&str> = social
        .lines()
        .filter(|l| l.is_ascii() && l.split(' ').count() >= 8)
        .take(40)
        .collect();
    assert!(latin.len() >= 20, "Arabizi lines in the sample");
    let mut dups = String::new();
    for line in &latin {
        dups.push_str(line);
        dups.push('\n');
        dups.push_str(&format!("{}!!\n", line.to_uppercase()));
    }
    let dups = write(tmp.path(), "zz-dups.txt", dups.as_bytes());
    let args = ["--shard-size", "16K", "--unify", "ary=arab"];
    let whole = tmp.path().join("whole");
    let m = prepare(&[&sample(), &dups], &whole, &args);
    let dropped_dups = m["stages"][3]["dropped"]["exact"].as_u64().unwrap_or(0);
    assert!(dropped_dups >= 2 * latin.len() as u64, "{m}");

    let part = tmp.path().join("part");
    awal()
        .args(["prepare", "--quiet"])
        .arg(sample())
        .arg(&dups)
        .arg("--out")
        .arg(&part)
        .args(args)
        .args(["--stop-after-shards", "2"])
        .assert()
        .code(1);
    assert!(part.join(".awal-dedup-keys").exists());
    prepare(
        &[&sample(), &dups],
        &part,
        &[&args[..], &["--resume"]].concat(),
    );
    assert_eq!(tree(&whole), tree(&part));
    assert!(!part.join(".awal-dedup-keys").exists());
}

#[test]
fn config_file_and_flags() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write(
        tmp.path(),
        "awal.toml",
        b"[filter]\nmin_words = 12\n[sink]\ncompress = \"none\"\n",
    );
    let input = write(
        tmp.path(),
        "in.txt",
        format!("{GOOD}\n{GOOD} w ghadi nmchi l dar dyal khalti f lm3ari\n").as_bytes(),
    );
    let out = tmp.path().join("o");
    let m = prepare(&[&input], &out, &["--config", cfg.to_str().unwrap()]);
    assert_eq!(m["config"]["filter"]["min_words"], 12);
    assert_eq!(m["stages"][1]["dropped"]["length.too_few_words"], 1);
    assert!(out.join("shard-00000.jsonl").exists());
    let bad = write(tmp.path(), "bad.toml", b"[filter]\nmin_wordz = 1\n");
    awal()
        .args(["prepare", "--quiet", "--config"])
        .arg(&bad)
        .arg(&input)
        .arg("--out")
        .arg(tmp.path().join("o2"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("min_wordz"));
    // Language allow-list on script-level labels.
    let m = prepare(&[&input], &tmp.path().join("o3"), &["--langs", "zgh_Tfng"]);
    assert_eq!(m["stages"][1]["dropped"]["lang.lang_not_allowed"], 2);
}

#[test]
fn stdin_input() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    awal()
        .args(["prepare", "--quiet", "--out"])
        .arg(&out)
        .write_stdin(format!(
            "{{\"text\": \"{GOOD}\"}}\n{{\"text\": \"{GOOD2}\"}}\n"
        ))
        .assert()
        .success();
    let m = manifest(&out);
    assert_eq!(m["balance"]["kept"], 2);
    assert_eq!(m["inputs"][0]["path"], "<stdin>");
}

#[test]
fn redact_replaces_values_and_reports_only_counts() {
    let input = "tel 06 12 34 56 78 wla ali@example.ma\nCIN: BK654321, l3am 2024, 1 500 DH, 12/05/2024\r\nICE 001525987000087";
    let assert = awal().arg("redact").write_stdin(input).assert().success();
    let out = assert.get_output();
    assert_eq!(
        String::from_utf8(out.stdout.clone()).unwrap(),
        "tel <PHONE> wla <EMAIL>\nCIN: <CIN>, l3am 2024, 1 500 DH, 12/05/2024\r\nICE <ICE>"
    );
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(err.contains("PHONE 1") && err.contains("CIN 1"));
    assert!(
        !err.contains("654321") && !err.contains("example.ma"),
        "values are never logged"
    );
}

#[test]
fn blank_line_documents_keep_their_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write(tmp.path(), "doc.txt", format!("{GOOD}\n{GOOD2}\n\n\nⵜⴰⵎⴰⵣⵉⵖⵜ ⵜⴳⴰ ⵜⵓⵜⵍⴰⵢⵜ ⵏ ⵎⵔⵔⴰⴽⵓⵛ\r\nana w sahbi mchina l bhar lbare7 f l3echiya\n").as_bytes());
    let out = tmp.path().join("o");
    let m = prepare(&[&input], &out, &["--doc-sep", "blank-line"]);
    assert_eq!(m["balance"]["read"], 2);
    let recs = records(&out);
    assert_eq!(recs[0]["text"], format!("{GOOD}\n{GOOD2}"));
    assert_eq!(recs[1]["source"], format!("{}:5", input.display()));
    assert_eq!(recs[0]["scripts"], serde_json::json!(["Latn", "Tfng"]));
}

/// The issue's 100 MB single line (written to a temp dir; a few seconds). The line is
/// skipped as `too_long` while being read in pieces, so memory stays at the read buffer
/// size instead of 100 MB: `benches/prep/rss.sh` measures that peak RSS in CI.
#[test]
fn a_100_mb_single_line_is_skipped_without_buffering_it() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("huge.txt");
    {
        let mut f = std::io::BufWriter::new(fs::File::create(&path).unwrap());
        writeln!(f, "{GOOD}").unwrap();
        let chunk = "ⵜⴰⵎⴰⵣⵉⵖⵜ tamaziɣt تمازيغت ".repeat(1 << 10);
        let mut written = 0;
        while written < 100 << 20 {
            f.write_all(chunk.as_bytes()).unwrap();
            written += chunk.len();
        }
        writeln!(f).unwrap();
        writeln!(f, "{GOOD2}").unwrap();
    }
    let m = prepare(&[&path], &tmp.path().join("o"), &[]);
    assert_eq!(skipped(&m, "too_long"), 1);
    assert_eq!(m["balance"]["kept"], 2);
    assert_balanced(&m);
}

#[test]
fn unify_writes_darija_and_tamazight_in_one_script_each() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write(
        tmp.path(),
        "in.jsonl",
        concat!(
            r#"{"text":"salam khoya, 3afak 3ayet liya 3la 0612345678 ghda f sba7, bghit nchouf lmatch m3ak f weekend"}"#,
            "\n",
            r#"{"text":"azul fellawen, manzakin? tanmmirt nnek a gma, ad nmun ɣer tmazirt"}"#,
            "\n",
            r#"{"text":"Bonjour à tous, la réunion de demain est reportée à jeudi matin."}"#,
            "\n",
        )
        .as_bytes(),
    );
    let out = tmp.path().join("out");
    let m = prepare(&[&input], &out, &["--unify", "ary=arab,zgh=tfng"]);
    assert_balanced(&m);
    assert_eq!(m["unified"]["ary_Latn -> ary_Arab"], 1);
    assert_eq!(m["unified"]["zgh_Latn -> zgh_Tfng"], 1);
    assert_eq!(m["config"]["unify"]["targets"][0], "ary=arab");
    let recs = records(&out);
    let darija = recs[0]["text"].as_str().unwrap();
    assert_eq!(recs[0]["lang"], "ary_Arab");
    assert!(darija.contains("سلام خويا"), "{darija}");
    assert!(
        darija.contains("<PHONE>") && darija.contains("weekend"),
        "{darija}"
    );
    assert_eq!(recs[0]["scripts"][0], "Arab");
    assert_eq!(recs[1]["lang"], "zgh_Tfng");
    assert!(recs[1]["text"].as_str().unwrap().starts_with("ⴰⵣⵓⵍ"));
    assert_eq!(recs[2]["lang"], "fra_Latn");
    assert!(recs[2]["text"].as_str().unwrap().starts_with("Bonjour"));
    assert!(fs::read_to_string(out.join("report.md"))
        .unwrap()
        .contains("| ary_Latn -> ary_Arab | 1 |"));
}

#[test]
fn unify_is_deterministic_and_refuses_what_it_cannot_do() {
    let tmp = tempfile::tempdir().unwrap();
    let runs = sample_with_1_and_2_threads(tmp.path(), &["--unify", "ary=arab"]);
    assert_eq!(runs[0], runs[1]);
    let m = manifest(&tmp.path().join("t1"));
    assert!(m["unified"]["ary_Latn -> ary_Arab"].as_u64().unwrap() > 100);
    assert!(m["languages"].get("ary_Latn").is_none());

    for (args, message) in [
        (
            vec!["--unify", "ary=tfng"],
            "unify `ary=tfng`: there is no scheme `ary-tfng`",
        ),
        (vec!["--unify", "ary"], "expected LANG=SCRIPT"),
        (
            vec!["--unify", "ary=arab", "--lid", "script"],
            "--unify needs language labels",
        ),
        (
            vec![
                "--unify",
                "ary=arab",
                "--unify-model",
                "/nonexistent/m.json",
            ],
            "/nonexistent/m.json",
        ),
    ] {
        awal()
            .arg("prepare")
            .arg(sample())
            .arg("--out")
            .arg(tmp.path().join("bad"))
            .args(&args)
            .assert()
            .failure()
            .stderr(predicate::str::contains(message));
    }
}

#[test]
fn files_a_folder_walk_passes_over_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir(&dir).unwrap();
    write(&dir, "a.txt", format!("{GOOD}\n").as_bytes());
    write(&dir, "notes.md", b"# not data\n");
    write(&dir, "dump.csv", b"a,b\n");
    prepare_cmd(&["--quiet"], &dir, tmp.path().join("out"))
        .success()
        .stderr(predicate::str::contains("ignored 2 file(s)"))
        .stderr(predicate::str::contains("dump.csv"));
}

/// Issue 13: hidden files were skipped without a word, and a link back up the tree was
/// followed until the path grew too long. Both are counted and named now, with --quiet.
#[cfg(unix)]
#[test]
fn hidden_files_and_folder_loops_are_named_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir_all(dir.join("sub")).unwrap();
    write(&dir, "a.txt", format!("{GOOD}\n").as_bytes());
    write(&dir, ".draft.txt", format!("{GOOD2}\n").as_bytes());
    std::os::unix::fs::symlink(&dir, dir.join("sub/back")).unwrap();
    let out = tmp.path().join("out");
    prepare_cmd(&["--quiet"], &dir, &out)
        .success()
        .stderr(predicate::str::contains("ignored 1 hidden file(s)"))
        .stderr(predicate::str::contains(".draft.txt"))
        .stderr(predicate::str::contains("ignored 1 link(s)"))
        .stderr(predicate::str::contains("sub/back"));
    let m = manifest(&out);
    assert_eq!(m["inputs"].as_array().map(Vec::len), Some(1), "{m}");
    assert_eq!(m["balance"]["read"], 1);
}

/// Characters no shard may hold after the default `prepare` normalization.
fn invisible_or_doubled(text: &str) -> Option<String> {
    if text.contains("  ") {
        return Some("double space".into());
    }
    text.chars()
        .find(|&c| {
            matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00A0}' | '\r')
        })
        .map(|c| format!("U+{:04X}", c as u32))
}

#[test]
fn shards_hold_no_invisibles_nbsp_or_double_spaces() {
    let tmp = tempfile::tempdir().unwrap();
    // Every line carries some of them, in every position; paragraph documents too.
    let noise = [
        "\u{200B}",
        "\u{200C}",
        "\u{200D}",
        "\u{200E}",
        "\u{200F}",
        "\u{202A}",
        "\u{202B}",
        "\u{202C}",
        "\u{202D}",
        "\u{202E}",
        "\u{2066}",
        "\u{2067}",
        "\u{2068}",
        "\u{2069}",
        "\u{FEFF}",
        "\u{00A0}",
        "  ",
        " \u{00A0} ",
        "\u{202F}",
        "\u{2009}",
        "\u{3000}",
    ];
    let words = [
        "salam",
        "khoya",
        "kidayr",
        "سلام",
        "واش",
        "نتا",
        "مزيان",
        "ⴰⵣⵓⵍ",
        "ⴼⵍⵍⴰⵡⵏ",
        "Bonjour",
        "ça",
        "va",
        "3lach",
        "l'école",
        "بزاف",
        "ⵜⴰⵎⴰⵣⵉⵖⵜ",
    ];
    let mut lines = String::new();
    let mut paragraphs = String::new();
    for i in 0..60 {
        let mut line = String::new();
        for j in 0..12 {
            line.push_str(noise[(i * 7 + j * 3) % noise.len()]);
            line.push_str(words[(i * 5 + j) % words.len()]);
            line.push_str(if j % 4 == 3 { " \u{00A0}" } else { " " });
        }
        line.push_str(noise[i % noise.len()]);
        lines.push_str(&line);
        lines.push_str(if i % 3 == 0 { "\r\n" } else { "\n" });
        paragraphs.push_str(&format!(
            "{line}\n{}{line}\n\n",
            noise[(i + 1) % noise.len()]
        ));
    }
    let txt = write(tmp.path(), "noisy.txt", lines.as_bytes());
    let para = write(tmp.path(), "paragraphs.txt", paragraphs.as_bytes());
    let out = tmp.path().join("o");
    let m = prepare(&[&txt], &out, &["--no-dedup", "--no-filter"]);
    assert_eq!(m["config"]["normalize"]["profile"], "prepare");
    assert_eq!(m["balance"]["kept"], 60);
    let out_para = tmp.path().join("p");
    prepare(
        &[&para],
        &out_para,
        &["--no-dedup", "--no-filter", "--doc-sep", "blank-line"],
    );
    let sample_out = tmp.path().join("s");
    prepare(&[&sample()], &sample_out, &[]);
    for dir in [&out, &out_para, &sample_out] {
        let recs = records(dir);
        assert!(!recs.is_empty());
        for r in recs {
            let text = r["text"].as_str().unwrap();
            assert_eq!(invisible_or_doubled(text), None, "{text:?}");
            assert_eq!(text.trim(), text, "{text:?}");
        }
    }
    // Paragraph documents keep their two lines.
    let recs = records(&out_para);
    assert!(recs
        .iter()
        .all(|r| r["text"].as_str().unwrap().lines().count() == 2));
    // Nothing that changes spelling: letters, apostrophes and tatweel are kept as typed.
    let first = records(&out)[0]["text"].as_str().unwrap().to_string();
    assert!(first.starts_with("salam khoya kidayr سلام"), "{first}");
}

#[test]
fn the_normalize_profile_comes_from_config_or_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write(
        tmp.path(),
        "in.txt",
        "مَدْرَسَة كبيرة فـــ المدينة ديالنا، أنا كنقرا فيها كل نهار\n".as_bytes(),
    );
    let text_of = |out: &Path| records(out)[0]["text"].as_str().unwrap().to_string();
    let out = tmp.path().join("default");
    prepare(&[&input], &out, &["--no-filter"]);
    assert!(text_of(&out).starts_with("مَدْرَسَة كبيرة فـــ"));
    let cfg = write(tmp.path(), "awal.toml", b"[normalize]\nprofile = \"ary\"\n");
    let out = tmp.path().join("config");
    let m = prepare(
        &[&input],
        &out,
        &["--no-filter", "--config", cfg.to_str().unwrap()],
    );
    assert_eq!(m["config"]["normalize"]["profile"], "ary");
    assert!(text_of(&out).starts_with("مدرسة كبيرة ف المدينة ديالنا، انا"));
    let out = tmp.path().join("flag");
    let m = prepare(
        &[&input],
        &out,
        &[
            "--no-filter",
            "--config",
            cfg.to_str().unwrap(),
            "--normalize",
            "prepare",
        ],
    );
    assert_eq!(m["config"]["normalize"]["profile"], "prepare");
    assert!(text_of(&out).starts_with("مَدْرَسَة"));
    prepare_cmd(
        &["--quiet", "--normalize", "nfkc"],
        &input,
        tmp.path().join("bad"),
    )
    .code(1)
    .stderr(predicate::str::contains("expected one of prepare, ary"));
}

/// Issue 13: `n * mult` overflowed on `99999999999999G` (a panic in debug builds, a
/// wrapped, tiny shard size in release). Now every size flag refuses it by name.
#[test]
fn sizes_that_overflow_are_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write(tmp.path(), "in.txt", format!("{GOOD}\n").as_bytes());
    for flag in ["--shard-size", "--max-doc-bytes"] {
        prepare_cmd(
            &["--quiet", flag, "99999999999999G"],
            &input,
            tmp.path().join("o"),
        )
        .code(2)
        .stderr(
            predicate::str::contains("99999999999999G").and(predicate::str::contains("too large")),
        )
        .stderr(predicate::str::contains("panicked").not());
    }
    assert!(!tmp.path().join("o").exists());
}

/// Issue 13: a panic in the reader thread was swallowed and the run "succeeded" with an
/// empty input list. `AWAL_TEST_PANIC_AT=reader` (test-only) makes the reader panic.
#[test]
fn a_panicking_reader_is_an_error_not_an_empty_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    awal()
        .env("AWAL_TEST_PANIC_AT", "reader")
        .args(["prepare", "--quiet"])
        .arg(sample())
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "internal error in the input reader",
        ));
    assert!(!out.join("manifest.json").exists());
}

/// Trains a small BPE on the project's own sentences (no download); returns its path.
fn small_tokenizer(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpora/lid");
    let out = dir.join("tok.json");
    let mut cmd = awal();
    cmd.args(["tokenizer", "train", "--vocab-size", "600"]);
    for lang in ["ary_Latn", "ary_Arab", "zgh_Tfng", "fra_Latn"] {
        cmd.arg("--corpus").arg(format!(
            "{lang}={}",
            root.join(format!("{lang}.txt")).display()
        ));
    }
    cmd.arg("-o").arg(&out).assert().success();
    out
}

/// Sums of the records' `n_tokens`: (total, per language, per split from the shard path).
fn token_sums(out: &Path) -> (u64, BTreeMap<String, u64>, BTreeMap<String, u64>) {
    let m = manifest(out);
    let (mut total, mut langs, mut splits) = (0, BTreeMap::new(), BTreeMap::new());
    for o in m["outputs"].as_array().unwrap() {
        let path = o["path"].as_str().unwrap();
        let split = path.split('/').next().filter(|_| path.contains('/'));
        let text = zstd::decode_all(&fs::read(out.join(path)).unwrap()[..]).unwrap();
        for line in String::from_utf8(text).unwrap().lines() {
            let r: Value = serde_json::from_str(line).unwrap();
            let n = r["n_tokens"].as_u64().expect("every record has n_tokens");
            assert!(n > 0 || r["text"].as_str().unwrap().is_empty(), "{line}");
            total += n;
            *langs
                .entry(r["lang"].as_str().unwrap().to_string())
                .or_default() += n;
            *splits
                .entry(split.unwrap_or("train").to_string())
                .or_default() += n;
        }
    }
    (total, langs, splits)
}

fn as_counts(v: &Value) -> BTreeMap<String, u64> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect()
}

/// Issue 11 item 3: `--tokenizer` adds `n_tokens` to every record; the manifest's totals
/// per language and split are their sums; the output is the same for any thread count
/// and after an interruption and `--resume`; a resume with another tokenizer is refused.
#[test]
fn token_counts_sum_up_and_survive_threads_and_resume() {
    let tmp = tempfile::tempdir().unwrap();
    let tok = small_tokenizer(tmp.path());
    let tok_arg = tok.display().to_string();
    let args = [
        "--shard-size",
        "32K",
        "--split",
        "valid=0.1",
        "--tokenizer",
        &tok_arg,
    ];
    let runs = sample_with_1_and_2_threads(tmp.path(), &args);
    assert_eq!(runs[0], runs[1]);

    let whole = tmp.path().join("t1");
    let m = manifest(&whole);
    let (total, langs, splits) = token_sums(&whole);
    assert!(total > 10_000, "{total}");
    assert_eq!(m["tokens"]["total"].as_u64(), Some(total));
    assert_eq!(as_counts(&m["tokens"]["languages"]), langs);
    assert_eq!(as_counts(&m["tokens"]["splits"]), splits);
    assert_eq!(splits.len(), 2, "{splits:?}");
    assert!(m["tokens"]["tokenizer"]
        .as_str()
        .unwrap()
        .starts_with("tok.json (tokenizers, sha256 "));
    let report = fs::read_to_string(whole.join("report.md")).unwrap();
    assert!(
        report.contains(&format!("| **total** | {total} |")),
        "{report}"
    );

    let part = tmp.path().join("part");
    let interrupted = |out: &Path| {
        awal()
            .args(["prepare", "--quiet"])
            .arg(sample())
            .arg("--out")
            .arg(out)
            .args(args)
            .args(["--stop-after-shards", "2"])
            .assert()
            .code(1);
    };
    interrupted(&part);
    prepare(&[&sample()], &part, &[&args[..], &["--resume"]].concat());
    assert_eq!(tree(&whole), tree(&part));

    // Another tokenizer file (same format, other vocabulary) cannot continue the counts.
    let other = tmp.path().join("other");
    interrupted(&other);
    let mut doc: Value = serde_json::from_slice(&fs::read(&tok).unwrap()).unwrap();
    doc["added_tokens"] = serde_json::json!([]);
    doc["model"]["merges"].as_array_mut().unwrap().truncate(10);
    let tok2 = tmp.path().join("tok2.json");
    fs::write(&tok2, doc.to_string()).unwrap();
    awal()
        .args(["prepare", "--quiet", "--resume"])
        .arg(sample())
        .arg("--out")
        .arg(&other)
        .args(&args[..4])
        .arg("--tokenizer")
        .arg(&tok2)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("differ"));

    // `awal tokenizer count` on the shards gives the manifest's totals.
    let assert = awal()
        .args(["tokenizer", "count", "--json", "--tokenizer"])
        .arg(&tok)
        .arg(whole.join("train"))
        .arg(whole.join("valid"))
        .assert()
        .success();
    let counted: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(counted["total"]["tokens"].as_u64(), Some(total));
    assert_eq!(counted["total"]["docs"], m["balance"]["kept"]);
    for (lang, n) in &langs {
        assert_eq!(
            counted["languages"][lang]["tokens"].as_u64(),
            Some(*n),
            "{lang}"
        );
    }
    awal()
        .args(["tokenizer", "count", "--tokenizer"])
        .arg(&tok)
        .arg(whole.join("train"))
        .assert()
        .success()
        .stdout(predicate::str::contains("total").and(predicate::str::contains("zgh_Tfng")));
}

/// Without `--tokenizer` the records and the manifest have no token fields at all.
#[test]
fn without_a_tokenizer_there_are_no_token_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let m = prepare(&[&sample()], &out, &[]);
    assert!(m.get("tokens").is_none());
    assert!(records(&out).iter().all(|r| r.get("n_tokens").is_none()));
    let report = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(!report.contains("## Tokens"));
}

/// A tokenizer file that is neither format, is not JSON, or is missing: one clear line
/// naming it, before any input is read or any output written.
#[test]
fn a_bad_tokenizer_file_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let neither = write(tmp.path(), "neither.json", br#"{"vocab": {"a": 1}}"#);
    let not_json = write(tmp.path(), "notjson.json", b"salam\n");
    let missing = tmp.path().join("missing.json");
    for (file, why) in [
        (&neither, "unknown tokenizer format"),
        (&not_json, "corrupt JSON"),
        (&missing, "missing.json"),
    ] {
        let out = tmp.path().join("out");
        prepare_cmd(
            &["--tokenizer", &file.display().to_string()],
            sample(),
            &out,
        )
        .code(1)
        .stderr(predicate::str::contains(file.display().to_string()))
        .stderr(predicate::str::contains(why))
        .stderr(predicate::str::contains("panicked").not());
        assert!(!out.exists());
        awal()
            .args(["tokenizer", "count", "--tokenizer"])
            .arg(file)
            .arg(sample())
            .assert()
            .code(1)
            .stderr(predicate::str::contains(file.display().to_string()));
    }
}

/// `tokenizer count` refuses a line that is not a record, naming FILE:LINE.
#[test]
fn tokenizer_count_names_the_bad_line() {
    let tmp = tempfile::tempdir().unwrap();
    let tok = small_tokenizer(tmp.path());
    let shard = write(
        tmp.path(),
        "shard.jsonl",
        b"{\"text\":\"salam\",\"lang\":\"ary_Latn\"}\n{\"text\":\"azul\"}\n{\"txt\":1}\n",
    );
    awal()
        .args(["tokenizer", "count", "--tokenizer"])
        .arg(&tok)
        .arg(&shard)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("{}:3: ", shard.display())));
    let good = write(
        tmp.path(),
        "good.jsonl",
        b"{\"text\":\"salam\",\"lang\":\"ary_Latn\"}\n{\"text\":\"azul\"}\n",
    );
    let assert = awal()
        .args(["tokenizer", "count", "--json", "--tokenizer"])
        .arg(&tok)
        .arg(&good)
        .assert()
        .success();
    let counted: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(counted["total"]["docs"], 2);
    assert_eq!(counted["languages"]["-"]["docs"], 1);
    assert_eq!(counted["languages"]["ary_Latn"]["docs"], 1);
}

/// A document the tokenizer cannot encode (here: a word-level vocabulary whose unknown
/// token is missing) is a counted drop, `tokens.encode_failed`, not a crash or a 0.
#[test]
fn a_document_the_tokenizer_cannot_encode_is_a_counted_drop() {
    let tmp = tempfile::tempdir().unwrap();
    let tok = write(
        tmp.path(),
        "words.json",
        br#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":[],
        "normalizer":null,"pre_tokenizer":{"type":"WhitespaceSplit"},"post_processor":null,
        "decoder":null,"model":{"type":"WordLevel","vocab":{"salam":0,"khoya":1},"unk_token":"<unk>"}}"#,
    );
    let input = write(tmp.path(), "in.txt", b"salam khoya salam\nsalam labas\n");
    let out = tmp.path().join("out");
    let m = prepare(
        &[&input],
        &out,
        &["--no-filter", "--tokenizer", &tok.display().to_string()],
    );
    assert_balanced(&m);
    assert_eq!(m["stages"][1]["dropped"]["tokens.encode_failed"], 1);
    let recs = records(&out);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["n_tokens"], 3);
    assert_eq!(m["tokens"]["total"], 3);
}
