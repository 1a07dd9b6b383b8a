//! End-to-end tests of Parquet in and out of `awal prepare` and of `--card` (issue 11):
//! Parquet inputs give the documents their JSONL twin gives; bad Parquet inputs are
//! counted skips naming file and row (errors with `--strict`); Parquet shards hold the
//! JSONL records as columns, byte-identical for any thread count and across `--resume`.
//! The Parquet files are written here with the `parquet` crate's Arrow writer.

mod common;
use common::{awal, sample, skipped, tree};

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use predicates::prelude::*;
use serde_json::{json, Value};

/// Writes `columns` as a Parquet file, `rows_per_group` rows per row group.
fn write_parquet(path: &Path, columns: Vec<(&str, ArrayRef)>, rows_per_group: usize) {
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(rows_per_group))
        .build();
    let mut w =
        ArrowWriter::try_new(fs::File::create(path).unwrap(), batch.schema(), Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

fn strings(values: &[Option<&str>]) -> ArrayRef {
    Arc::new(StringArray::from(values.to_vec()))
}

/// Documents long enough to pass the filters, distinct enough to pass dedup (near
/// dedup included): twelve words drawn from a small vocabulary by a fixed LCG.
fn docs(n: usize) -> Vec<String> {
    const WORDS: [&str; 24] = [
        "salam", "khoya", "lmaghrib", "mdina", "bzaf", "zwin", "lyoum", "ghda", "lbare7", "khdma",
        "dar", "souk", "atay", "lhrira", "tomobil", "bhar", "jbel", "sahra", "lkora", "match",
        "walo", "daba", "mzyan", "chwiya",
    ];
    let mut x: u64 = 0x2545_f491;
    (0..n)
        .map(|_| {
            let words: Vec<&str> = (0..12)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    WORDS[(x >> 33) as usize % WORDS.len()]
                })
                .collect();
            words.join(" ")
        })
        .collect()
}

/// Runs `awal prepare INPUT --out OUT --quiet ARGS`, asserting success.
fn prepare(input: &Path, out: &Path, args: &[&str]) -> Value {
    awal()
        .arg("prepare")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(args)
        .assert()
        .success();
    serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

/// The records of a run's JSONL shards (plain JSONL, `--compress none`), in order.
fn jsonl_records(out: &Path) -> Vec<Value> {
    let mut names: Vec<PathBuf> = fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".jsonl"))
        .collect();
    names.sort();
    names
        .iter()
        .flat_map(|p| {
            fs::read_to_string(p)
                .unwrap()
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect::<Vec<Value>>()
        })
        .collect()
}

/// The rows of Parquet shards as JSONL-style records (`meta` parsed back from its JSON
/// string), in the order of `paths`.
fn parquet_records(paths: &[PathBuf]) -> Vec<Value> {
    use arrow_array::cast::AsArray;
    use arrow_array::Array;
    let mut out = Vec::new();
    for path in paths {
        let reader = ParquetRecordBatchReaderBuilder::try_new(fs::File::open(path).unwrap())
            .unwrap()
            .build()
            .unwrap();
        for batch in reader {
            let batch = batch.unwrap();
            let col = |name: &str| batch.column_by_name(name).unwrap().clone();
            let (id, text, lang, source, meta) = (
                col("id"),
                col("text"),
                col("lang"),
                col("source"),
                col("meta"),
            );
            let score = col("lang_score");
            let scripts = col("scripts");
            for i in 0..batch.num_rows() {
                let s = |a: &ArrayRef| a.as_string::<i32>().value(i).to_string();
                let list = scripts.as_list::<i32>().value(i);
                let scripts: Vec<String> = (0..list.len())
                    .map(|j| list.as_string::<i32>().value(j).to_string())
                    .collect();
                out.push(json!({
                    "id": s(&id),
                    "text": s(&text),
                    "lang": s(&lang),
                    "lang_score": score.as_primitive::<arrow_array::types::Float64Type>().value(i),
                    "scripts": scripts,
                    "source": s(&source),
                    "meta": serde_json::from_str::<Value>(&s(&meta)).unwrap(),
                }));
            }
        }
    }
    out
}

#[test]
fn a_parquet_input_gives_the_documents_of_its_jsonl_twin() {
    let tmp = tempfile::tempdir().unwrap();
    let texts = docs(40);
    let ids: Vec<String> = (0..texts.len()).map(|i| format!("doc-{i}")).collect();
    let urls: Vec<String> = (0..texts.len())
        .map(|i| format!("https://x.ma/{i}"))
        .collect();
    let pq = tmp.path().join("pq");
    let js = tmp.path().join("js");
    fs::create_dir_all(&pq).unwrap();
    fs::create_dir_all(&js).unwrap();
    // Several row groups, and an integer column that must reach `meta` as a number.
    write_parquet(
        &pq.join("data.parquet"),
        vec![
            ("id", Arc::new(StringArray::from(ids.clone())) as ArrayRef),
            ("url", Arc::new(StringArray::from(urls.clone()))),
            ("text", Arc::new(StringArray::from(texts.clone()))),
            ("n", Arc::new(Int64Array::from_iter_values(0..40))),
        ],
        7,
    );
    let lines: Vec<String> = (0..texts.len())
        .map(|i| json!({"id": ids[i], "url": urls[i], "text": texts[i], "n": i}).to_string())
        .collect();
    fs::write(js.join("data.jsonl"), lines.join("\n") + "\n").unwrap();

    let args = ["--compress", "none", "--lid", "script"];
    let (a, b) = (tmp.path().join("out-pq"), tmp.path().join("out-js"));
    let ma = prepare(&pq, &a, &args);
    let mb = prepare(&js, &b, &args);
    assert_eq!(ma["balance"], mb["balance"]);
    assert_eq!(ma["balance"]["read"], 40);
    let strip_source = |mut records: Vec<Value>| {
        for r in &mut records {
            r.as_object_mut().unwrap().remove("source");
        }
        records
    };
    let (ra, rb) = (jsonl_records(&a), jsonl_records(&b));
    assert!(ra.len() > 30, "most documents kept: {}", ra.len());
    assert_eq!(ra[0]["meta"], json!({"n": 0, "url": "https://x.ma/0"}));
    // Row numbers stand for line numbers: `doc-N` comes from row N + 1.
    for r in &ra {
        let n: u64 = r["id"].as_str().unwrap()[4..].parse().unwrap();
        let source = r["source"].as_str().unwrap();
        assert!(
            source.ends_with(&format!("data.parquet:{}", n + 1)),
            "{source}"
        );
    }
    assert_eq!(strip_source(ra), strip_source(rb));
}

#[test]
fn a_parquet_file_without_the_text_column_is_one_skip_per_row() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("body.parquet");
    let texts = docs(5);
    let texts: Vec<Option<&str>> = texts.iter().map(|t| Some(t.as_str())).collect();
    write_parquet(&f, vec![("body", strings(&texts))], 2);
    let m = prepare(&f, &tmp.path().join("o"), &[]);
    assert_eq!(skipped(&m, "missing_text_field"), 5);
    assert_eq!(m["balance"]["read"], 5);
    // The column named with --text-field is read.
    let m = prepare(
        &f,
        &tmp.path().join("o2"),
        &["--text-field", "body", "--no-filter", "--no-dedup"],
    );
    assert_eq!(skipped(&m, "missing_text_field"), 0);
    assert_eq!(m["balance"]["kept"], 5);
    // --strict: an error naming the file and the first row.
    awal()
        .args(["prepare", "--strict", "--quiet"])
        .arg(&f)
        .arg("--out")
        .arg(tmp.path().join("o3"))
        .assert()
        .failure()
        .stderr(predicate::str::contains(format!(
            "{}:1: missing or non-string text field",
            f.display()
        )));
}

#[test]
fn a_non_string_text_column_is_one_skip_per_row() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("ints.parquet");
    write_parquet(
        &f,
        vec![(
            "text",
            Arc::new(Int64Array::from_iter_values(0..4)) as ArrayRef,
        )],
        4,
    );
    let m = prepare(&f, &tmp.path().join("o"), &[]);
    assert_eq!(skipped(&m, "missing_text_field"), 4);
    assert_eq!(m["balance"]["kept"], 0);
    assert_eq!(m["balance"]["ok"], true);
}

#[test]
fn null_texts_are_counted_skips_naming_their_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("nulls.parquet");
    let texts = docs(6);
    let mut column: Vec<Option<&str>> = texts.iter().map(|t| Some(t.as_str())).collect();
    column[1] = None;
    column[4] = None;
    write_parquet(&f, vec![("text", strings(&column))], 3);
    let m = prepare(&f, &tmp.path().join("o"), &["--no-filter", "--no-dedup"]);
    assert_eq!(skipped(&m, "missing_text_field"), 2);
    assert_eq!(m["balance"]["kept"], 4);
    let name = f.display().to_string();
    assert_eq!(
        m["skip_examples"]["missing_text_field"],
        json!([format!("{name}:2"), format!("{name}:5")])
    );
}

#[test]
fn a_truncated_or_corrupt_parquet_file_is_a_read_error_skip_or_with_strict_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole.parquet");
    let texts = docs(30);
    let column: Vec<Option<&str>> = texts.iter().map(|t| Some(t.as_str())).collect();
    write_parquet(&whole, vec![("text", strings(&column))], 10);
    let bytes = fs::read(&whole).unwrap();
    let cut = tmp.path().join("cut.parquet");
    fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let junk = tmp.path().join("junk.parquet");
    fs::write(&junk, "this is not parquet at all\n").unwrap();
    for (i, f) in [&cut, &junk].into_iter().enumerate() {
        let m = prepare(f, &tmp.path().join(format!("o{i}")), &[]);
        assert_eq!(skipped(&m, "read_error"), 1, "{}", f.display());
        assert_eq!(m["balance"]["ok"], true);
        assert_eq!(
            m["skip_examples"]["read_error"],
            json!([format!("{}:1", f.display())])
        );
        // The manifest lists the file with the hash of its bytes, as for any input.
        assert_eq!(
            m["inputs"][0]["bytes"].as_u64(),
            Some(fs::metadata(f).unwrap().len())
        );
        awal()
            .args(["prepare", "--strict", "--quiet"])
            .arg(f)
            .arg("--out")
            .arg(tmp.path().join(format!("s{i}")))
            .assert()
            .failure()
            .stderr(predicate::str::contains(format!(
                "{}:1: read error",
                f.display()
            )));
    }
}

#[test]
fn parquet_from_stdin_is_refused_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("a.parquet");
    let texts = docs(2);
    let column: Vec<Option<&str>> = texts.iter().map(|t| Some(t.as_str())).collect();
    write_parquet(&f, vec![("text", strings(&column))], 2);
    awal()
        .args(["prepare", "--quiet", "--out"])
        .arg(tmp.path().join("o"))
        .write_stdin(fs::read(&f).unwrap())
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "Parquet cannot be read from stdin",
        ));
}

#[test]
fn unknown_format_and_bad_card_options_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    awal()
        .args(["prepare", "--format", "csv", "--out"])
        .arg(&out)
        .arg(sample())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("invalid value 'csv'")
                .and(predicate::str::contains("jsonl, parquet")),
        );
    awal()
        .args(["prepare", "--license", "mit", "--out"])
        .arg(&out)
        .arg(sample())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--card"));
    awal()
        .args([
            "prepare",
            "--quiet",
            "--card",
            "--license",
            "MIT License",
            "--out",
        ])
        .arg(&out)
        .arg(sample())
        .assert()
        .failure()
        .stderr(predicate::str::contains("license `MIT License`"));
    awal()
        .args([
            "prepare",
            "--quiet",
            "--format",
            "parquet",
            "--compress",
            "gz",
            "--out",
        ])
        .arg(&out)
        .arg(sample())
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "Parquet shards are compressed with zstd",
        ));
    assert!(!out.join("manifest.json").exists());
}

/// Runs the sample with `RAYON_NUM_THREADS=threads` into `out`.
fn sample_run(out: &Path, threads: &str, args: &[&str]) {
    awal()
        .env("RAYON_NUM_THREADS", threads)
        .args(["prepare", "--quiet"])
        .args(args)
        .arg(sample())
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn parquet_shards_are_the_jsonl_records_byte_identical_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "--lid",
        "script",
        "--shard-size",
        "64K",
        "--split",
        "valid=0.1",
    ];
    let pq_args = [&args[..], &["--format", "parquet", "--card"]].concat();
    let (t1, t4) = (tmp.path().join("t1"), tmp.path().join("t4"));
    sample_run(&t1, "1", &pq_args);
    sample_run(&t4, "4", &pq_args);
    let files = tree(&t1);
    assert!(files.iter().filter(|f| f.0.ends_with(".parquet")).count() > 4);
    assert!(files.iter().any(|f| f.0 == "README.md"));
    assert_eq!(
        files,
        tree(&t4),
        "Parquet output differs between 1 and 4 threads"
    );

    // The same records, split by split, shard by shard, as the JSONL run writes.
    let js = tmp.path().join("js");
    sample_run(&js, "2", &[&args[..], &["--compress", "none"]].concat());
    for split in ["train", "valid"] {
        let shards = |dir: &Path, ext: &str| {
            let mut v: Vec<PathBuf> = fs::read_dir(dir.join(split))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.to_string_lossy().ends_with(ext))
                .collect();
            v.sort();
            v
        };
        let (p, j) = (shards(&t1, ".parquet"), shards(&js, ".jsonl"));
        assert_eq!(
            p.len(),
            j.len(),
            "{split}: shards are cut at the same records"
        );
        let from_jsonl: Vec<Value> = j
            .iter()
            .flat_map(|f| {
                fs::read_to_string(f)
                    .unwrap()
                    .lines()
                    .map(|l| serde_json::from_str(l).unwrap())
                    .collect::<Vec<Value>>()
            })
            .collect();
        assert!(!from_jsonl.is_empty());
        assert_eq!(parquet_records(&p), from_jsonl, "{split}");
    }

    // The manifest lists the Parquet shards with their hashes; the card points at them.
    let m: Value = serde_json::from_slice(&fs::read(t1.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["config"]["sink"]["format"], "parquet");
    let card = fs::read_to_string(t1.join("README.md")).unwrap();
    for o in m["outputs"].as_array().unwrap() {
        assert!(card.contains(&format!("- \"{}\"", o["path"].as_str().unwrap())));
    }
    assert!(card.starts_with("---\nlicense: other\ntask_categories:\n- text-generation\nsize_categories:\n- 1K<n<10K\nconfigs:\n"));
}

#[test]
fn the_card_names_the_languages_and_the_licence() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    prepare(&sample(), &out, &["--card", "--license", "cc-by-4.0"]);
    let card = fs::read_to_string(out.join("README.md")).unwrap();
    let header = card.split("\n---\n").next().unwrap();
    // awal-lid's labels on the sample: arb, ary, fra, kab, zgh.
    assert!(
        header.starts_with("---\nlanguage:\n- ar\n- ary\n- fr\n- kab\n- zgh\nlicense: cc-by-4.0\n"),
        "{header}"
    );
    assert!(header.contains("  - split: train\n    path:\n    - \"shard-00000.jsonl.zst\""));
    let report = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(card.ends_with(&report), "the card's body is the report");
    // A rerun without --card replaces the old card's folder contents: the card goes too.
    prepare(&sample(), &out, &["--overwrite"]);
    assert!(!out.join("README.md").exists());
    // Someone else's README is not ours to delete.
    fs::write(out.join("README.md"), "# my notes\n").unwrap();
    prepare(&sample(), &out, &["--overwrite"]);
    assert_eq!(
        fs::read_to_string(out.join("README.md")).unwrap(),
        "# my notes\n"
    );
}

#[test]
fn an_interrupted_parquet_run_resumes_to_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "--lid",
        "script",
        "--format",
        "parquet",
        "--shard-size",
        "32K",
        "--split",
        "valid=0.05",
        "--card",
    ];
    let whole = tmp.path().join("whole");
    sample_run(&whole, "2", &args);
    let part = tmp.path().join("part");
    awal()
        .args(["prepare", "--quiet"])
        .args(args)
        .args(["--stop-after-shards", "3"])
        .arg(sample())
        .arg("--out")
        .arg(&part)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--resume"));
    fs::write(part.join("train/.shard-00009.parquet.tmp"), b"PAR1 half").unwrap();
    sample_run(&part, "2", &[&args[..], &["--resume"]].concat());
    assert_eq!(tree(&whole), tree(&part));
}

#[test]
fn nul_bytes_and_over_long_parquet_texts_are_skips_as_in_jsonl() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("odd.parquet");
    let texts = docs(4);
    let long = "walo ".repeat(100);
    let column = vec![
        Some(texts[0].as_str()),
        Some("nul \u{0} byte in the text of this row, khoya"),
        Some(long.as_str()),
        Some(texts[3].as_str()),
    ];
    write_parquet(&f, vec![("text", strings(&column))], 2);
    let m = prepare(
        &f,
        &tmp.path().join("o"),
        &["--max-doc-bytes", "200", "--no-filter", "--no-dedup"],
    );
    let name = f.display().to_string();
    assert_eq!(m["skip_examples"]["nul_byte"], json!([format!("{name}:2")]));
    assert_eq!(m["skip_examples"]["too_long"], json!([format!("{name}:3")]));
    assert_eq!(m["balance"]["kept"], 2);
}
