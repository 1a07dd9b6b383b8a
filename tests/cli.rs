//! End-to-end tests of the `awal` binary: what a user types, what they get back.

use std::fs;
use std::io::Write;

use assert_cmd::Command;
use predicates::prelude::*;

fn awal() -> Command {
    Command::cargo_bin("awal").unwrap()
}

fn translit(from: &str, to: &str, input: &[u8]) -> Vec<u8> {
    let out = awal()
        .args(["translit", "--from", from, "--to", to])
        .write_stdin(input.to_vec())
        .assert()
        .success();
    out.get_output().stdout.clone()
}

#[test]
fn issue_examples_on_the_command_line() {
    assert_eq!(
        translit("zgh-tfng", "zgh-latn", "ⵜⴰⵎⴰⵣⵉⵖⵜ\n".as_bytes()),
        "tamaziɣt\n".as_bytes()
    );
    assert_eq!(
        translit("zgh-latn", "zgh-tfng", "tamaziγt\n".as_bytes()),
        "ⵜⴰⵎⴰⵣⵉⵖⵜ\n".as_bytes()
    );
    assert_eq!(
        translit("zgh-tfng", "zgh-latn", "ⴰⴳⵯⵎⴰⵔ".as_bytes()),
        "agʷmar".as_bytes()
    );
    assert_eq!(
        translit("zgh-latn", "zgh-tfng", "agʷmar".as_bytes()),
        "ⴰⴳⵯⵎⴰⵔ".as_bytes()
    );
}

#[test]
fn line_structure_is_preserved_exactly() {
    let input = "ⴰⵣⵓⵍ\r\n\nⵜⴰⵏⵎⵎⵉⵔⵜ\nno newline ⴰ";
    let expected = "azul\r\n\ntanmmirt\nno newline a";
    assert_eq!(
        translit("zgh-tfng", "zgh-latn", input.as_bytes()),
        expected.as_bytes()
    );
}

#[test]
fn empty_input_gives_empty_output() {
    assert!(translit("zgh-tfng", "zgh-latn", b"").is_empty());
}

#[test]
fn nul_bytes_and_bom_pass_through() {
    let input = "\u{FEFF}ⴰ\0ⴱ\n";
    assert_eq!(
        translit("zgh-tfng", "zgh-latn", input.as_bytes()),
        "\u{FEFF}a\0b\n".as_bytes()
    );
}

#[test]
fn large_inputs_keep_their_order_across_parallel_batches() {
    let mut input = String::new();
    let mut expected = String::new();
    for i in 0..60_000 {
        input.push_str(&format!("{i} ⵜⴰⵎⴰⵣⵉⵖⵜ ⴰⴳⵯⵎⴰⵔ\n"));
        expected.push_str(&format!("{i} tamaziɣt agʷmar\n"));
    }
    assert!(input.len() > 2 << 20, "spans several 1 MiB blocks");
    let out = translit("zgh-tfng", "zgh-latn", input.as_bytes());
    assert_eq!(String::from_utf8(out).unwrap(), expected);
}

#[test]
fn a_gigantic_line_is_converted_whole() {
    let line = "ⴰⵣⵓⵍ ".repeat(400_000); // ~5.6 MB, longer than a read block
    let out = translit("zgh-tfng", "zgh-latn", format!("{line}\nⴰ\n").as_bytes());
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("{}\na\n", "azul ".repeat(400_000))
    );
}

#[test]
fn pivot_chains_reach_arabic_script() {
    assert_eq!(
        translit("zgh-tfng", "zgh-arab", "ⴰⵡⴰⵍ\n".as_bytes()),
        "اوال\n".as_bytes()
    );
}

#[test]
fn invalid_utf8_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.txt");
    fs::write(&path, b"ok\n\xff\xfe\n").unwrap();
    awal()
        .args(["translit", "--from", "zgh-tfng", "--to", "zgh-latn"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{}:2: invalid UTF-8",
            path.display()
        )));
}

#[test]
fn lossy_mode_replaces_and_counts() {
    awal()
        .args([
            "translit", "--lossy", "--from", "zgh-tfng", "--to", "zgh-latn",
        ])
        .write_stdin([&b"\xff"[..], "ⴰ\nⴱ\n".as_bytes()].concat())
        .assert()
        .success()
        .stdout("\u{FFFD}a\nb\n")
        .stderr(predicate::str::contains("1 of 2 lines"));
}

#[test]
fn unknown_scheme_lists_known_ones() {
    awal()
        .args(["translit", "--from", "klingon", "--to", "zgh-latn"])
        .write_stdin("x")
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("unknown scheme `klingon`")
                .and(predicate::str::contains("zgh-tfng")),
        );
}

#[test]
fn missing_file_is_named() {
    awal()
        .args([
            "translit",
            "--from",
            "zgh-tfng",
            "--to",
            "zgh-latn",
            "does/not/exist.txt",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does/not/exist.txt"));
}

#[test]
fn list_names_every_scheme() {
    awal()
        .args(["translit", "--list"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("zgh-tfng")
                .and(predicate::str::contains("zgh-latn"))
                .and(predicate::str::contains("zgh-arab"))
                .and(predicate::str::contains("taq-tfng"))
                .and(predicate::str::contains("taq-latn"))
                .and(predicate::str::contains("ary-latn"))
                .and(predicate::str::contains("ary-arab")),
        );
}

#[test]
fn scripts_reports_spans_with_byte_offsets() {
    let line = "salam 3lik, ça va? واش نتا مزيان ⴰⵣⵓⵍ";
    let out = awal()
        .arg("scripts")
        .write_stdin(format!("{line}\n2025\n"))
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["line"], 1);
    let spans = rows[0]["spans"].as_array().unwrap();
    let scripts: Vec<&str> = spans
        .iter()
        .map(|s| s["script"].as_str().unwrap())
        .collect();
    assert_eq!(scripts, ["Latn", "Common", "Arab", "Common", "Tfng"]);
    let first = &line[..spans[0]["end"].as_u64().unwrap() as usize];
    assert!(first.contains("3lik"));
    assert_eq!(rows[1]["dominant"], "Common");
}

fn write_file(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    let mut f = fs::File::create(&path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
    path
}

#[test]
fn eval_reports_accuracy_cer_and_worst_errors() {
    let dir = tempfile::tempdir().unwrap();
    let gold = write_file(
        &dir,
        "gold.tsv",
        "tifinagh\tlatin\tnote\nⴰⵣⵓⵍ\tazul\thello\nⴰⵡⴰⵍ\tawel\twrong on purpose\n",
    );
    awal()
        .args([
            "translit", "eval", "--from", "zgh-tfng", "--to", "zgh-latn", "--gold",
        ])
        .arg(&gold)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("50.00 %")
                .and(predicate::str::contains("line 3"))
                .and(predicate::str::contains("awal")),
        );
    let out = awal()
        .args([
            "translit", "eval", "--json", "--swap", "--from", "zgh-latn", "--to", "zgh-tfng",
            "--gold",
        ])
        .arg(&gold)
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json["report"]["lines"], 2);
    assert_eq!(json["report"]["exact"], 1);
}

#[test]
fn eval_rejects_malformed_gold_with_line() {
    let dir = tempfile::tempdir().unwrap();
    let gold = write_file(&dir, "gold.tsv", "a\tb\nⴰⵣⵓⵍ\tazul\njust one column\n");
    awal()
        .args([
            "translit", "eval", "--from", "zgh-tfng", "--to", "zgh-latn", "--gold",
        ])
        .arg(&gold)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("gold.tsv:3:"));
}

#[test]
fn user_scheme_files_load_and_validate() {
    let dir = tempfile::tempdir().unwrap();
    let good = write_file(
        &dir,
        "mine.tsv",
        "@name\tmine\n@kind\tscript\n@script\tTfng\n@pivot\tzgh-latn\n@round-trip\tyes\nnative\tlatin\tdirection\nⴰ\ta\tboth\nⵣ\tz\tboth\n",
    );
    awal()
        .args(["translit", "validate"])
        .arg(&good)
        .assert()
        .success()
        .stdout(predicate::str::contains("ok"));
    awal()
        .args(["translit", "--scheme-file"])
        .arg(&good)
        .args(["--from", "mine", "--to", "zgh-latn"])
        .write_stdin("ⴰⵣⵓ\n")
        .assert()
        .success()
        .stdout("azⵓ\n");
    let bad = write_file(
        &dir,
        "bad.tsv",
        "@name\tbad\n@kind\tscript\n@script\tTfng\n@pivot\tzgh-latn\n@round-trip\tyes\nnative\tlatin\nⴰ\ta\nⴰ\tb\nⵖ\tγ\n",
    );
    awal()
        .args(["translit", "validate"])
        .arg(&bad)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("bad.tsv:8: duplicate key")
                .and(predicate::str::contains("bad.tsv:9: unreachable")),
        );
    let broken = write_file(
        &dir,
        "broken.tsv",
        "@name\tx\n@kind\tscript\n@pivot\tzgh-latn\nnative\tlatin\nⴰ\ta\tsideways\n",
    );
    awal()
        .args(["translit", "validate"])
        .arg(&broken)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("broken.tsv:5: unknown direction"));
}

#[test]
fn builtin_gold_sets_score_perfectly_where_lossless() {
    let gold = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../corpora/gold/zgh-tfng__zgh-latn.tsv"
    );
    if !std::path::Path::new(gold).exists() {
        return;
    }
    for extra in [&[][..], &["--swap"][..]] {
        let (from, to) = if extra.is_empty() {
            ("zgh-tfng", "zgh-latn")
        } else {
            ("zgh-latn", "zgh-tfng")
        };
        let out = awal()
            .args([
                "translit", "eval", "--json", "--from", from, "--to", to, "--gold", gold,
            ])
            .args(extra)
            .assert()
            .success();
        let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        assert_eq!(
            json["report"]["exact"], json["report"]["lines"],
            "{from} -> {to}: {json}"
        );
    }
}

#[test]
fn detect_labels_the_issue_probe() {
    let probe = "wach nta m9well?\nواش نتا مقول؟\nⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ\n\n2025\n😀\n";
    let out = awal()
        .args(["detect", "--format", "tsv"])
        .write_stdin(probe)
        .assert()
        .success();
    let labels: Vec<String> = String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    assert_eq!(
        labels,
        ["ary_Latn", "ary_Arab", "zgh_Tfng", "und", "und", "und"]
    );
}

#[test]
fn detect_json_has_scores_and_spans() {
    let out = awal()
        .args(["detect", "--spans"])
        .write_stdin("ana ghadi l'école demain, wach nta?\n")
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json["line"], 1);
    assert_eq!(json["lang"], "ary_Latn");
    let score = json["score"].as_f64().unwrap();
    assert!(score > 0.5 && score <= 1.0);
    let spans: Vec<&str> = json["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["lang"].as_str().unwrap())
        .collect();
    assert_eq!(spans, ["ary_Latn", "fra_Latn", "ary_Latn"]);
}

#[test]
fn detect_handles_huge_and_invalid_lines() {
    let huge = "wach nta mzyan ".repeat(70_000); // ~1 MB
    awal()
        .args(["detect", "--format", "tsv"])
        .write_stdin(format!("{huge}\n"))
        .assert()
        .success()
        .stdout(predicate::str::starts_with("ary_Latn\t"));
    awal()
        .arg("detect")
        .write_stdin(b"ok\n\xff\n".to_vec())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("<stdin>:2: invalid UTF-8"));
}

#[test]
fn lid_train_then_detect_and_eval_with_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let fr = write_file(
        &dir,
        "fr.txt",
        "le chat dort sur la table\nje vais au marché demain\nil fait beau aujourd'hui\n",
    );
    let en = write_file(&dir, "en.txt", "the cat sleeps on the table\ni am going to the market tomorrow\nthe weather is nice today\n");
    let model = dir.path().join("model.json");
    awal()
        .args(["lid", "train", "--data"])
        .arg(format!("fra_Latn={}", fr.display()))
        .arg("--data")
        .arg(format!("eng_Latn={}", en.display()))
        .arg("-o")
        .arg(&model)
        .assert()
        .success();
    awal()
        .args(["detect", "--format", "tsv", "--model"])
        .arg(&model)
        .write_stdin("the market is nice\nle marché est beau\n")
        .assert()
        .success()
        .stdout(
            predicate::str::starts_with("eng_Latn").and(predicate::str::contains("\nfra_Latn")),
        );
    let out = awal()
        .args(["lid", "eval", "--json", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(format!("fra_Latn={}", fr.display()))
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json["total"], 3);
}

#[test]
fn lid_rejects_bad_training_input() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write_file(&dir, "empty.txt", "");
    let fr = write_file(&dir, "fr.txt", "bonjour\n");
    awal()
        .args(["lid", "train", "--data"])
        .arg(format!("fra_Latn={}", empty.display()))
        .args(["-o", "/dev/null"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no text for label fra_Latn"));
    awal()
        .args(["lid", "train", "--data"])
        .arg(format!("french={}", fr.display()))
        .arg("-o")
        .arg(dir.path().join("m.json"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("_Arab, _Latn or _Tfng"));
    awal()
        .args(["lid", "train", "--data", "no-equals-sign", "-o", "x"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("LABEL=PATH"));
    let corrupt = write_file(&dir, "corrupt.json", "{\"format\": \"awal-lid\"");
    awal()
        .args(["detect", "--model"])
        .arg(&corrupt)
        .write_stdin("x\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("corrupt.json"));
}

// ---- Darija Arabizi <-> Arabic script -------------------------------------------------

/// A tiny parallel list written by the test itself (no shared data needed).
const TINY_PAIRS: &str = "latin\tarabic\tsource\n\
3lach\tعلاش\tw\nkhobz|5obz\tخبز\tw\nbzzaf\tبزاف\tw\nmzyan\tمزيان\tw\n\
ddar\tالدار\tw\nktab\tكتاب\tw\n7out\tحوت\tw\n9alb\tقلب\tw\n\
ghadi nmchi\tغادي نمشي\ts\nwakha\tواخا\tw\n";

fn train_tiny(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let pairs = write_file(dir, "pairs.tsv", TINY_PAIRS);
    let model = dir.path().join("tiny.model.json");
    awal()
        .args([
            "translit", "train", "--from", "ary-latn", "--to", "ary-arab", "--pairs",
        ])
        .arg(&pairs)
        .arg("-o")
        .arg(&model)
        .assert()
        .success()
        .stderr(predicate::str::contains("lexicon entries"));
    model
}

fn darija(args: &[&str], input: &str) -> String {
    let out = awal()
        .arg("translit")
        .args(args)
        .write_stdin(input.to_string())
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn darija_default_model_converts_both_ways() {
    let to_arab = ["--from", "ary-latn", "--to", "ary-arab"];
    assert_eq!(darija(&to_arab, "khobz\n"), "خبز\n");
    // Numbers stay numbers; punctuation, Arabic and Tifinagh pass through.
    let got = darija(&to_arab, "2025, khobz! واش ⴰⵣⵓⵍ\n");
    assert_eq!(got, "2025, خبز! واش ⴰⵣⵓⵍ\n");
    let to_latn = ["--from", "ary-arab", "--to", "ary-latn"];
    assert_eq!(darija(&to_latn, "خبز\n"), "khobz\n");
    let scholarly = [
        "--from",
        "ary-arab",
        "--to",
        "ary-latn",
        "--scheme",
        "scholarly",
    ];
    assert_eq!(darija(&scholarly, "خبز\n"), "xbz\n");
}

#[test]
fn darija_keep_loans_keeps_french_in_latin() {
    let args = ["--from", "ary-latn", "--to", "ary-arab", "--keep-loans"];
    assert_eq!(
        darija(&args, "l'école weekend khobz\n"),
        "l'école weekend خبز\n"
    );
}

#[test]
fn darija_bad_input_never_panics() {
    let args = ["--from", "ary-latn", "--to", "ary-arab"];
    assert_eq!(darija(&args, "\n\n"), "\n\n");
    assert_eq!(darija(&args, "123 456\n"), "123 456\n");
    assert_eq!(darija(&args, "?!... ;;\n"), "?!... ;;\n");
    let mixed = darija(&args, "salam 3lik, ça va? واش نتا ⴰⵣⵓⵍ\n");
    assert!(mixed.contains("واش نتا ⴰⵣⵓⵍ"), "{mixed}");
    let long = "3lach khobz ".repeat(90_000); // ~1 MB in one line
    let got = darija(&args, &format!("{long}\n"));
    assert_eq!(got.lines().count(), 1);
    assert!(!got.chars().any(|c| c.is_ascii_alphabetic()));
    awal()
        .args(["translit", "--from", "ary-latn", "--to", "ary-arab"])
        .write_stdin(&b"ok\n\xff\xfe\n"[..])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("<stdin>:2: invalid UTF-8"));
    awal()
        .args(["translit", "--from", "ary-latn", "--to", "zgh-tfng"])
        .write_stdin("3lach")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot convert `ary-latn` to `zgh-tfng`",
        ));
}

#[test]
fn darija_train_use_and_eval_a_model() {
    let dir = tempfile::tempdir().unwrap();
    let model = train_tiny(&dir);
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&model).unwrap()).unwrap();
    assert_eq!(json["format"], "awal-arabizi-model");
    assert_eq!(json["version"], 1);
    let model_arg = model.to_str().unwrap();
    let to_arab = [
        "--model", model_arg, "--from", "ary-latn", "--to", "ary-arab",
    ];
    assert_eq!(darija(&to_arab, "wakha 3lach\n"), "واخا علاش\n");
    let gold = write_file(
        &dir,
        "gold.tsv",
        "latin\tarabic\n3lach\tعلاش\nwakha\tوَاخَا!\nbzzaf\tبزّاف\n",
    );
    let eval = |normalize: &str| {
        let out = awal()
            .args(["translit", "eval", "--json", "--normalize", normalize])
            .args(to_arab)
            .arg("--gold")
            .arg(&gold)
            .assert()
            .success();
        let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        json["report"]["exact"].as_u64().unwrap()
    };
    // Harakat, shadda and punctuation in the gold only count without normalisation.
    assert_eq!(eval("none"), 1);
    assert_eq!(eval("arabic"), 3);
    awal()
        .args([
            "translit", "eval", "--model", model_arg, "--from", "ary-latn", "--to", "ary-arab",
            "--gold",
        ])
        .arg(&gold)
        .assert()
        .success()
        .stdout(predicate::str::contains("wrong items by kind of error"));
}

#[test]
fn darija_train_rejects_malformed_pairs_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write_file(&dir, "bad.tsv", "latin\tarabic\n3lach\tعلاش\nno tab here\n");
    awal()
        .args(["translit", "train", "--pairs"])
        .arg(&bad)
        .arg("-o")
        .arg(dir.path().join("m.json"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.tsv:3:"));
    let binary = dir.path().join("bin.tsv");
    fs::write(&binary, b"latin\tarabic\n3lach\t\xff\n").unwrap();
    awal()
        .args(["translit", "train", "--pairs"])
        .arg(&binary)
        .arg("-o")
        .arg(dir.path().join("m.json"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bin.tsv:2: invalid UTF-8"));
    let not_model = write_file(&dir, "nope.json", "{\"format\": \"other\"}");
    awal()
        .args(["translit", "--model"])
        .arg(&not_model)
        .args(["--from", "ary-latn", "--to", "ary-arab"])
        .write_stdin("3lach")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not an awal model"));
    assert!(!dir.path().join("m.json").exists());
}

/// Issue 13: `--order` outside what the decoder supports (2..=7) used to be clamped
/// silently; clap refuses it now, naming the range.
#[test]
fn translit_train_refuses_an_order_it_cannot_use() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = write_file(&dir, "pairs.tsv", "salam\tسلام\n");
    for order in ["1", "8", "100"] {
        awal()
            .args([
                "translit", "train", "--from", "ary-latn", "--order", order, "--pairs",
            ])
            .arg(&pairs)
            .arg("-o")
            .arg(dir.path().join("m.json"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--order").and(predicate::str::contains("2..=7")));
    }
    assert!(!dir.path().join("m.json").exists());
}

fn repo(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

#[test]
fn translit_eval_gates_exit_1_naming_every_missed_gate() {
    let eval = |gold: &str, swap: bool, gates: &[&str]| {
        let mut cmd = awal();
        cmd.args(["translit", "eval", "--worst", "0"]);
        if swap {
            cmd.args(["--swap", "--from", "zgh-arab", "--to", "zgh-tfng"]);
        } else {
            cmd.args(["--from", "zgh-tfng", "--to", "zgh-latn"]);
        }
        cmd.arg("--gold").arg(repo(gold)).args(gates).assert()
    };
    // Tifinagh -> Latin is lossless on the project's gold: every gate passes.
    eval(
        "corpora/gold/zgh-tfng__zgh-latn.tsv",
        false,
        &["--min-accuracy", "1", "--max-cer", "0"],
    )
    .success()
    .stdout(predicate::str::contains("100.00 %"));
    // Arabic script -> Tifinagh loses vowels: exact < 0.99 and CER > 0.001 both miss, the
    // report is still printed first.
    eval(
        "corpora/gold/zgh-tfng__zgh-arab.tsv",
        true,
        &["--min-accuracy", "0.99", "--max-cer", "0.001"],
    )
    .failure()
    .code(1)
    .stdout(predicate::str::contains("exact match"))
    .stderr(
        predicate::str::contains("awal: 2 gates missed: exact 0.")
            .and(predicate::str::contains("< --min-accuracy 0.99"))
            .and(predicate::str::contains("> --max-cer 0.001")),
    );
    eval(
        "corpora/gold/zgh-tfng__zgh-arab.tsv",
        true,
        &["--min-accuracy", "0.5"],
    )
    .success();
    // A share outside 0..=1 is a usage error.
    eval(
        "corpora/gold/zgh-tfng__zgh-latn.tsv",
        false,
        &["--min-accuracy", "80"],
    )
    .failure()
    .code(2)
    .stderr(predicate::str::contains("outside 0..=1"));
}

#[test]
fn translit_eval_variants_count_listed_spellings_beside_the_strict_figure() {
    let dir = tempfile::tempdir().unwrap();
    let gold = write_file(
        &dir,
        "gold.tsv",
        "tifinagh\tlatin\nⴰⵣⵓⵍ\tazul\nⴰⵡⴰⵍ\tawel\nⴰⵎⴰⵏ\taman\n",
    );
    let variants = write_file(&dir, "variants.tsv", "# test\nawal\tawel\n");
    let eval = |extra: &[&str]| {
        awal()
            .args([
                "translit", "eval", "--from", "zgh-tfng", "--to", "zgh-latn", "--gold",
            ])
            .arg(&gold)
            .arg("--variants")
            .arg(&variants)
            .args(extra)
            .assert()
    };
    eval(&[]).success().stdout(
        predicate::str::contains("66.67 %").and(predicate::str::contains(
            "variant-aware            3   100.00 %",
        )),
    );
    let out = eval(&["--json"]).success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json["report"]["exact"], 2);
    assert_eq!(json["report"]["variant_exact"], 3);
    // With --variants the accuracy gate reads the variant-aware figure.
    eval(&["--min-accuracy", "1"]).success();
    let bad = write_file(&dir, "bad.tsv", "# test\nawal\n");
    awal()
        .args([
            "translit", "eval", "--from", "zgh-tfng", "--to", "zgh-latn", "--gold",
        ])
        .arg(&gold)
        .arg("--variants")
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.tsv:2: "));
}

#[test]
fn the_project_variants_table_loads_for_darija() {
    awal()
        .args([
            "translit",
            "eval",
            "--worst",
            "0",
            "--normalize",
            "arabic",
            "--from",
            "ary-latn",
            "--to",
            "ary-arab",
            "--gold",
        ])
        .arg(repo("corpora/gold/ary-latn__ary-arab.independent.tsv"))
        .arg("--variants")
        .arg(repo("corpora/gold/ary-arab.variants.tsv"))
        .assert()
        .success()
        .stdout(predicate::str::contains("variant-aware"));
}

#[test]
fn lid_eval_gates_exit_1_naming_every_missed_floor() {
    let dir = tempfile::tempdir().unwrap();
    // English sentences labelled French: the default model gets none of them "right".
    let mislabelled = write_file(
        &dir,
        "mislabelled.txt",
        "the cat sleeps on the table\ni am going to the market tomorrow\n",
    );
    let english = format!("eng_Latn={}", repo("corpora/lid/eng_Latn.txt").display());
    awal()
        .args(["lid", "eval", "--data", &english, "--min-accuracy", "0.5"])
        .args(["--min-accuracy", "eng_Latn=0.5"])
        .assert()
        .success();
    awal()
        .args(["lid", "eval", "--data"])
        .arg(format!("fra_Latn={}", mislabelled.display()))
        .args(["--min-accuracy", "0.5", "--min-accuracy", "fra_Latn=0.9"])
        .assert()
        .failure()
        .code(1)
        .stdout(predicate::str::contains("confusion"))
        .stderr(
            predicate::str::contains("awal: 2 gates missed: accuracy 0.0000 < --min-accuracy 0.5")
                .and(predicate::str::contains(
                    "fra_Latn accuracy 0.0000 < --min-accuracy fra_Latn=0.9",
                )),
        );
    // A floor for a label without data is refused before anything runs.
    awal()
        .args([
            "lid",
            "eval",
            "--data",
            &english,
            "--min-accuracy",
            "kab_Latn=0.9",
        ])
        .assert()
        .failure()
        .code(1)
        .stderr(predicate::str::contains("no --data kab_Latn=PATH"));
    awal()
        .args(["lid", "eval", "--data", &english, "--min-accuracy", "1.5"])
        .assert()
        .failure()
        .code(2)
        .stderr(predicate::str::contains("outside 0..=1"));
}

/// The models embedded at build time (`crates/awal-cli/build.rs`) give exactly the output of
/// the models trained at start-up, in both Darija directions and for language ID.
#[test]
fn embedded_models_give_the_output_of_models_trained_at_start() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpora/lid/");
    let read = |name: &str| fs::read(format!("{root}{name}")).unwrap();
    let runs: [(&[&str], Vec<u8>); 3] = [
        (
            &["translit", "--from", "ary-latn", "--to", "ary-arab"],
            read("ary_Latn.txt"),
        ),
        (
            &["translit", "--from", "ary-arab", "--to", "ary-latn"],
            read("ary_Arab.txt"),
        ),
        (
            &["detect"],
            [read("ary_Arab.txt"), read("zgh_Latn.txt")].concat(),
        ),
    ];
    for (args, input) in runs {
        let run = |train: bool| {
            let mut cmd = awal();
            if train {
                cmd.env("AWAL_TRAIN_MODELS", "1");
            } else {
                cmd.env_remove("AWAL_TRAIN_MODELS");
            }
            let out = cmd.args(args).write_stdin(input.clone()).assert().success();
            out.get_output().stdout.clone()
        };
        let embedded = run(false);
        assert!(!embedded.is_empty());
        assert!(embedded == run(true), "awal {args:?} differs");
    }
}
