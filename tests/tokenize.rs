//! End-to-end tests of `awal normalize` and `awal tokenizer …`: tiny tokenizers are
//! trained or written by the tests themselves, so nothing outside the repository is read.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn awal() -> Command {
    Command::cargo_bin("awal").unwrap()
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn corpus(lang: &str) -> String {
    format!(
        "{lang}={}",
        repo(&format!("corpora/lid/{lang}.txt")).display()
    )
}

/// Trains a small BPE on the project's own sentences; returns the tokenizer path.
fn train_small(dir: &Path) -> PathBuf {
    let out = dir.join("tok.json");
    awal()
        .args([
            "tokenizer",
            "train",
            "--model",
            "bpe",
            "--vocab-size",
            "800",
            "--balance",
            "3",
        ])
        .args([
            "--corpus",
            &corpus("zgh_Tfng"),
            "--corpus",
            &corpus("fra_Latn"),
        ])
        .args([
            "--corpus",
            &corpus("ary_Arab"),
            "--corpus",
            &corpus("ary_Latn"),
        ])
        .args(["--corpus", &corpus("eng_Latn")])
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("zgh_Tfng"));
    out
}

#[test]
fn normalize_streams_lines() {
    awal()
        .arg("normalize")
        .write_stdin("l’école  كتـــاب\r\nⴰⴳʷⵎⴰⵔ\n\u{FEFF}salam")
        .assert()
        .success()
        .stdout("l'école كتاب\r\nⴰⴳⵯⵎⴰⵔ\nsalam");
    awal()
        .args(["normalize", "--profile", "ary"])
        .write_stdin("أَنَا\n")
        .assert()
        .success()
        .stdout("انا\n");
    awal()
        .args(["normalize", "--profile", "xx"])
        .write_stdin("a")
        .assert()
        .failure()
        .stderr(predicate::str::contains("--profile xx"));
}

#[test]
fn trained_tokenizer_is_stock_and_fertility_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let tok = train_small(dir.path());
    // Stock load, no awal code.
    let loaded = tokenizers_free_check(&tok);
    assert!(loaded.contains("\"ByteLevel\""));
    awal()
        .args(["tokenizer", "fertility", "--tokenizer"])
        .arg(format!("small={}", tok.display()))
        .args([
            "--corpus",
            &corpus("eng_Latn"),
            "--corpus",
            &corpus("zgh_Tfng"),
            "--json",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"tokens_per_word\""));
    // Encoding with the CLI gives ids for every line.
    let out = awal()
        .args(["tokenizer", "encode", "--tokenizer"])
        .arg(&tok)
        .write_stdin("ⴰⵣⵓⵍ 3lach l'école\n")
        .assert()
        .success();
    let ids = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        ids.trim().split(' ').all(|t| t.parse::<u32>().is_ok()),
        "{ids}"
    );
}

/// The saved file is plain JSON naming only stock component types.
fn tokenizers_free_check(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["model"]["type"], "BPE");
    assert_eq!(doc["normalizer"]["type"], "Sequence");
    text
}

#[test]
fn extend_keeps_english_and_french_ids() {
    let dir = tempfile::tempdir().unwrap();
    let base = train_small(dir.path());
    let out = dir.path().join("ext.json");
    awal()
        .args(["tokenizer", "extend", "--base"])
        .arg(&base)
        .args(["--corpus", &corpus("zgh_Tfng"), "--add", "200", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("added"));
    let ids: Vec<u32> = fs::read_to_string(format!("{}.new-ids.txt", out.display()))
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    assert!(!ids.is_empty() && ids.len() <= 200);
    let encode = |tok: &Path, file: &str| {
        let o = awal()
            .args(["tokenizer", "encode", "--tokenizer"])
            .arg(tok)
            .arg(repo(file))
            .assert()
            .success();
        o.get_output().stdout.clone()
    };
    for file in ["corpora/lid/eng_Latn.txt", "corpora/lid/fra_Latn.txt"] {
        assert_eq!(encode(&base, file), encode(&out, file), "{file}");
    }
    assert_ne!(
        encode(&base, "corpora/lid/zgh_Tfng.txt"),
        encode(&out, "corpora/lid/zgh_Tfng.txt")
    );
}

#[test]
fn bad_inputs_fail_with_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    fs::write(&empty, "").unwrap();
    let corrupt = dir.path().join("corrupt.json");
    fs::write(&corrupt, "{\"model\": {").unwrap();
    let unknown = dir.path().join("unknown.json");
    fs::write(&unknown, "{\"hello\": 1}").unwrap();
    let train = |spec: String| {
        awal()
            .args(["tokenizer", "train", "--vocab-size", "300", "--corpus"])
            .arg(spec)
            .arg("-o")
            .arg(dir.path().join("never.json"))
            .assert()
            .failure()
            .code(1)
    };
    train(format!("zgh_Tfng={}", empty.display())).stderr(
        predicate::str::contains("corpus zgh_Tfng=").and(predicate::str::contains("empty")),
    );
    train(format!(
        "zgh_Tfng={}",
        dir.path().join("missing.txt").display()
    ))
    .stderr(predicate::str::contains("missing.txt"));
    train("no-equals-sign".to_string()).stderr(predicate::str::contains("LANG=PATH"));
    let fertility = |tok: &Path, pivot: &str| {
        awal()
            .args(["tokenizer", "fertility", "--tokenizer"])
            .arg(tok)
            .args(["--corpus", &corpus("zgh_Tfng"), "--pivot", pivot])
            .assert()
            .failure()
            .code(1)
    };
    fertility(&corrupt, "zgh_Tfng").stderr(predicate::str::contains("corrupt JSON"));
    fertility(&unknown, "zgh_Tfng").stderr(predicate::str::contains("unknown tokenizer format"));
    // The pivot language's corpus is missing.
    fertility(&unknown, "eng_Latn").stderr(predicate::str::contains(
        "pivot language eng_Latn has no corpus",
    ));
    awal()
        .args(["tokenizer", "extend", "--base"])
        .arg(&unknown)
        .args(["--corpus", &corpus("zgh_Tfng"), "--add", "10", "-o"])
        .arg(dir.path().join("x.json"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("unknown tokenizer format"));
}

#[test]
fn tekken_files_are_read_encoded_and_extended() {
    use base64::Engine as _;
    let dir = tempfile::tempdir().unwrap();
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    // A toy Tekken: all bytes, then "th", "the", " the"; 5 special ids.
    let mut vocab: Vec<serde_json::Value> = (0u8..=255)
        .map(|b| serde_json::json!({"rank": b as usize, "token_bytes": b64(&[b])}))
        .collect();
    for (i, t) in ["th", "the", " the"].iter().enumerate() {
        vocab.push(serde_json::json!({"rank": 256 + i, "token_bytes": b64(t.as_bytes())}));
    }
    let doc = serde_json::json!({
        "config": {"pattern": " ?\\p{L}+| ?[^\\s\\p{L}]+|\\s+", "default_vocab_size": 5 + 259,
                   "default_num_special_tokens": 5, "version": "v3"},
        "vocab": vocab,
    });
    let base = dir.path().join("tekken.json");
    fs::write(&base, doc.to_string()).unwrap();
    awal()
        .args(["tokenizer", "encode", "--tokenizer"])
        .arg(&base)
        .write_stdin("the the\n")
        .assert()
        .success()
        .stdout("262 263\n");
    let out = dir.path().join("tekken-ext.json");
    awal()
        .args(["tokenizer", "extend", "--base"])
        .arg(&base)
        .args(["--corpus", &corpus("zgh_Tfng"), "--add", "50", "-o"])
        .arg(&out)
        .assert()
        .success();
    let ext: serde_json::Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(ext["config"]["default_vocab_size"], 5 + 259 + 50);
    assert_eq!(ext["vocab"].as_array().unwrap().len(), 259 + 50);
    awal()
        .args(["tokenizer", "encode", "--tokenizer"])
        .arg(&out)
        .write_stdin("the the\n")
        .assert()
        .success()
        .stdout("262 263\n");
}

/// Issue 13: after an encode error, `tokenizer encode` wrote a blank line for the failed
/// line and went on. A word-level tokenizer without its unknown token fails on a word it
/// does not know: the run stops there, naming the line, after the ids of the lines before.
#[test]
fn encode_stops_at_the_first_line_it_cannot_encode() {
    let dir = tempfile::tempdir().unwrap();
    let tok = dir.path().join("words.json");
    fs::write(
        &tok,
        r#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":[],
        "normalizer":null,"pre_tokenizer":{"type":"Whitespace"},"post_processor":null,
        "decoder":null,"model":{"type":"WordLevel","vocab":{"salam":0,"khoya":1},
        "unk_token":"[UNK]"}}"#,
    )
    .unwrap();
    let input = dir.path().join("in.txt");
    fs::write(&input, "salam khoya\nsalam bro\nkhoya\n").unwrap();
    awal()
        .args(["tokenizer", "encode", "--tokenizer"])
        .arg(&tok)
        .arg(&input)
        .assert()
        .code(1)
        .stdout("0 1\n")
        .stderr(predicate::str::contains(format!("{}:2:", input.display())));
}

/// Writes a Tekken file of the 256 bytes alone: one token per UTF-8 byte, so parity is a
/// ratio of byte counts the test can work out by hand.
fn byte_tekken(dir: &Path) -> PathBuf {
    use base64::Engine as _;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let vocab: Vec<serde_json::Value> = (0u8..=255)
        .map(|b| serde_json::json!({"rank": b as usize, "token_bytes": b64(&[b])}))
        .collect();
    let doc = serde_json::json!({
        "config": {"pattern": "\\S+|\\s+", "default_vocab_size": 5 + 256,
                   "default_num_special_tokens": 5, "version": "v3"},
        "vocab": vocab,
    });
    let path = dir.join("bytes.json");
    fs::write(&path, doc.to_string()).unwrap();
    path
}

#[test]
fn fertility_max_parity_gates_exit_1_naming_each_missed_language() {
    let dir = tempfile::tempdir().unwrap();
    let tok = byte_tekken(dir.path());
    // 2 bytes of English against 6 of Tifinagh (3 per letter) and 2 of French: parity 3, 1.
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        fs::write(&path, text).unwrap();
        path
    };
    let corpora = [
        format!("eng_Latn={}", write("eng.txt", "ab\n").display()),
        format!("zgh_Tfng={}", write("zgh.txt", "ⴰⴱ\n").display()),
        format!("fra_Latn={}", write("fra.txt", "cd\n").display()),
    ];
    let fertility = |gates: &[&str]| {
        let mut cmd = awal();
        cmd.args(["tokenizer", "fertility", "--tokenizer"])
            .arg(format!("bytes={}", tok.display()));
        for c in &corpora {
            cmd.args(["--corpus", c]);
        }
        cmd.args(gates).assert()
    };
    fertility(&["--max-parity", "zgh_Tfng=3", "--max-parity", "fra_Latn=1"])
        .success()
        .stdout(predicate::str::contains("zgh_Tfng"));
    fertility(&[
        "--max-parity",
        "zgh_Tfng=1.2",
        "--max-parity",
        "fra_Latn=1.2",
    ])
    .failure()
    .code(1)
    // The table is printed before the verdict.
    .stdout(predicate::str::contains("zgh_Tfng"))
    .stderr(predicate::str::contains(
        "gate missed: zgh_Tfng parity of bytes 3.0000 > --max-parity zgh_Tfng=1.2",
    ))
    .stderr(predicate::str::contains("fra_Latn").not());
    // A language without a corpus, or a ceiling that is not a positive number, is refused
    // before anything is measured.
    fertility(&["--max-parity", "kab_Latn=1.2"])
        .failure()
        .code(1)
        .stderr(predicate::str::contains("no --corpus kab_Latn=PATH"));
    fertility(&["--max-parity", "zgh_Tfng=0"])
        .failure()
        .code(2)
        .stderr(predicate::str::contains("positive number"));
    fertility(&["--max-parity", "1.2"])
        .failure()
        .code(2)
        .stderr(predicate::str::contains("expected LANG=X"));
}

/// Two or more languages train parity-aware BPE by default; the file is stock, encodes
/// like awal's encoder, and is the same on a second run.
#[test]
fn parity_sampling_is_the_default_for_several_languages() {
    let dir = tempfile::tempdir().unwrap();
    let dev = dir.path().join("eng_dev.txt");
    let eng = fs::read_to_string(repo("corpora/lid/eng_Latn.txt")).unwrap();
    fs::write(&dev, eng.lines().take(40).collect::<Vec<_>>().join("\n")).unwrap();
    let run = |out: &Path| {
        let assert = awal()
            .args(["tokenizer", "train", "--vocab-size", "700"])
            .args([
                "--corpus",
                &corpus("eng_Latn"),
                "--corpus",
                &corpus("zgh_Tfng"),
            ])
            .args(["--corpus", &corpus("kab_Latn")])
            .arg("--dev")
            .arg(format!("eng_Latn={}", dev.display()))
            .arg("-o")
            .arg(out)
            .assert()
            .success()
            .stderr(predicate::str::contains("(parity sampling)"))
            .stderr(predicate::str::contains("held out 1/20"));
        String::from_utf8(assert.get_output().stderr.clone()).unwrap()
    };
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    let report = run(&a);
    // The English line names its dev file; the others hold out their own lines.
    assert!(
        report
            .lines()
            .any(|l| l.starts_with("eng_Latn") && l.contains("--dev")),
        "{report}"
    );
    run(&b);
    assert_eq!(fs::read(&a).unwrap(), fs::read(&b).unwrap());
    tokenizers_free_check(&a);
    let ids = awal()
        .args(["tokenizer", "encode", "--tokenizer"])
        .arg(&a)
        .write_stdin("ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ\n")
        .assert()
        .success();
    let ids = String::from_utf8(ids.get_output().stdout.clone()).unwrap();
    assert!(
        ids.trim()
            .split(' ')
            .all(|t| t.parse::<u32>().unwrap() < 700),
        "{ids}"
    );
    // One language: natural sampling, as before.
    awal()
        .args(["tokenizer", "train", "--vocab-size", "300"])
        .args(["--corpus", &corpus("zgh_Tfng"), "-o"])
        .arg(dir.path().join("one.json"))
        .assert()
        .success()
        .stderr(predicate::str::contains("(natural sampling)"));
}

#[test]
fn sampling_flags_that_contradict_each_other_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let dev = dir.path().join("fra.txt");
    fs::write(&dev, "bonjour\n").unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["--sampling", "parity", "--model", "unigram"],
            "trains BPE only",
        ),
        (
            &["--sampling", "parity", "--balance", "3"],
            "--balance is the temperature",
        ),
        (
            &["--sampling", "natural", "--balance", "3"],
            "--sampling natural",
        ),
        (&["--sampling", "temperature", "--dev"], "parity only"),
        (&["--sampling", "natural", "--window", "50"], "parity only"),
        (&["--window-alpha", "0"], "--window-alpha 0"),
        (&["--dev"], "no --corpus fra_Latn"),
    ];
    for (args, want) in cases {
        let mut cmd = awal();
        cmd.args(["tokenizer", "train", "--vocab-size", "300"])
            .args([
                "--corpus",
                &corpus("eng_Latn"),
                "--corpus",
                &corpus("zgh_Tfng"),
            ])
            .args(*args);
        if args.last() == Some(&"--dev") {
            cmd.arg(format!("fra_Latn={}", dev.display()));
        }
        cmd.arg("-o")
            .arg(dir.path().join("never.json"))
            .assert()
            .failure()
            .code(1)
            .stderr(predicate::str::contains(*want));
    }
    assert!(!dir.path().join("never.json").exists());
}
