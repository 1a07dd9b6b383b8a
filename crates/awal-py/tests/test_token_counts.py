"""Issue 11 item 3: `awal prepare --tokenizer` and `awal tokenizer count` count exactly what
the stock Python libraries count on the same text, without special tokens:
`tokenizers.Tokenizer.encode(text, add_special_tokens=False)` for a Hugging Face
tokenizer.json, mistral-common's `Tekkenizer.encode(text, bos=False, eos=False)` for a
tekken.json. Every tokenizer is built here (no download), except the real Tekken files
that the mistral-common wheel ships."""

import collections
import glob
import json
import os
import subprocess

import pytest

from conftest import ROOT, SAMPLE, manifest, run_cli, shard_lines, toy_tekken

LID = os.path.join(ROOT, "corpora", "lid")


def training_lines(per_lang=300):
    """The project's own sentences, a few hundred per language."""
    lines = []
    for lang in ("ary_Latn", "ary_Arab", "zgh_Tfng", "zgh_Latn", "fra_Latn", "eng_Latn"):
        with open(os.path.join(LID, f"{lang}.txt"), encoding="utf-8") as f:
            lines.extend(l.rstrip("\n") for _, l in zip(range(per_lang), f))
    return lines


def hf_bpe(path):
    """A byte-level BPE trained with `tokenizers`, NFKC-normalized, whose post-processor adds
    <s> … </s>: counting with special tokens would be 2 more per document."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=900,
        special_tokens=["<s>", "</s>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(training_lines(), trainer)
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 1)]
    )
    tok.save(path)
    return path


def awal_bpe(awal_bin, path):
    """A tokenizer trained by `awal tokenizer train` (awal counts it on its fast path)."""
    cmd = [awal_bin, "tokenizer", "train", "--vocab-size", "700", "-o", path]
    for lang in ("ary_Latn", "ary_Arab", "zgh_Tfng", "fra_Latn"):
        cmd += ["--corpus", f"{lang}={os.path.join(LID, lang + '.txt')}"]
    subprocess.run(cmd, check=True, capture_output=True)
    return path


def tiny_tekken(path, merges=250, num_special=1000):
    """A tekken.json built here (`conftest.toy_tekken`) from the project's sentences."""
    doc = toy_tekken(training_lines(120), merges, num_special)
    assert len(doc["vocab"]) > 256 + merges // 2, "the toy BPE learnt merges"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    return path



def packaged_tekkens():
    """The real Tekken files inside the mistral-common wheel (the same file as
    ../shared/tokenizers/tekken_240718.json), and that one too where it is beside the
    checkout and differs."""
    try:
        import mistral_common
    except ImportError:
        return []
    data = os.path.join(os.path.dirname(mistral_common.__file__), "data")
    files = sorted(glob.glob(os.path.join(data, "tekken_*.json")))
    shared = os.path.join(ROOT, "..", "shared", "tokenizers", "tekken_240718.json")
    if os.path.exists(shared) and not any(_same_file(shared, f) for f in files):
        files.append(shared)
    return files


def _same_file(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def hf_counter(path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(path)
    return lambda text: len(tok.encode(text, add_special_tokens=False).ids)


def tekken_counter(path):
    from mistral_common.tokens.tokenizers.tekken import Tekkenizer

    tok = Tekkenizer.from_file(path)
    return lambda text: len(tok.encode(text, bos=False, eos=False))


def check_counts(awal_bin, tmp_path, tokenizer, count):
    """Runs prepare on the sample with `--tokenizer`; every record's n_tokens, the manifest's
    totals and `awal tokenizer count` must equal the Python library's counts."""
    out = str(tmp_path / "out")
    run_cli(awal_bin, [SAMPLE], out, "--tokenizer", tokenizer, "--split", "valid=0.1")
    m = manifest(out)
    total, langs, splits, docs = 0, collections.Counter(), collections.Counter(), 0
    mismatches = []
    for split, lines in shard_lines(out).items():
        for line in lines:
            r = json.loads(line)
            expected = count(r["text"])
            if r["n_tokens"] != expected:
                mismatches.append((r["id"], r["n_tokens"], expected))
            total += expected
            langs[r["lang"]] += expected
            splits[split] += expected
            docs += 1
    assert not mismatches, f"{len(mismatches)} of {docs} records differ, e.g. {mismatches[:3]}"
    assert docs == m["balance"]["kept"] > 1000
    assert m["tokens"]["total"] == total > docs
    assert m["tokens"]["languages"] == dict(langs)
    assert m["tokens"]["splits"] == dict(splits) and len(splits) == 2
    assert os.path.basename(tokenizer) in m["tokens"]["tokenizer"]

    res = subprocess.run(
        [awal_bin, "tokenizer", "count", "--json", "--tokenizer", tokenizer,
         os.path.join(out, "train"), os.path.join(out, "valid")],
        capture_output=True, text=True, check=True,
    )
    counted = json.loads(res.stdout)
    assert counted["total"] == {"docs": docs, "tokens": total}
    assert {k: v["tokens"] for k, v in counted["languages"].items()} == dict(langs)
    return total


def test_hf_tokenizer_counts_equal_tokenizers(awal_bin, tmp_path):
    tok = hf_bpe(str(tmp_path / "tokenizer.json"))
    check_counts(awal_bin, tmp_path, tok, hf_counter(tok))


def test_awal_trained_tokenizer_counts_equal_tokenizers(awal_bin, tmp_path):
    tok = awal_bpe(awal_bin, str(tmp_path / "awal-tok.json"))
    check_counts(awal_bin, tmp_path, tok, hf_counter(tok))


def test_tiny_tekken_counts_equal_mistral_common(awal_bin, tmp_path):
    pytest.importorskip("mistral_common")
    tok = tiny_tekken(str(tmp_path / "tekken.json"))
    check_counts(awal_bin, tmp_path, tok, tekken_counter(tok))


@pytest.mark.parametrize("tekken", packaged_tekkens() or [None], ids=lambda p: os.path.basename(p) if p else "none")
def test_real_tekken_counts_equal_mistral_common(awal_bin, tmp_path, tekken):
    if tekken is None:
        pytest.skip("no real tekken.json: mistral-common is not installed")
    check_counts(awal_bin, tmp_path, tekken, tekken_counter(tekken))


def test_a_file_of_neither_format_is_refused_naming_it(awal_bin, tmp_path):
    bad = tmp_path / "vocab.json"
    bad.write_text(json.dumps({"vocab": {"a": 0}}))
    res = run_cli(awal_bin, [SAMPLE], str(tmp_path / "out"), "--tokenizer", str(bad), check=False)
    assert res.returncode == 1
    assert str(bad) in res.stderr and "unknown tokenizer format" in res.stderr
    assert not (tmp_path / "out").exists()
