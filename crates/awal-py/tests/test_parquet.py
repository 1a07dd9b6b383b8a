"""Parquet in and out of `awal prepare` (issue 11), checked with the readers people use.

* The sample corpus written as Parquet by pyarrow (one file per sample file, `id` and the other
  fields as columns) goes through `awal prepare` with the same kept documents as the sample
  itself.
* `--format parquet --card` shards are read as they are by pyarrow, polars and
  `datasets.load_dataset("parquet", ...)`, and hold the records the JSONL shards hold; the
  card's YAML header parses and its `configs` name the shards on disk.

Needs only the CLI (`AWAL_BIN`), not the awal Python module.
"""

import json
import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import SAMPLE, kept_docs, manifest, run_cli, shard_lines

polars = pytest.importorskip("polars")
yaml = pytest.importorskip("yaml")
datasets = pytest.importorskip("datasets")


def _text_lines(path):
    """The documents `awal prepare` reads from a .txt file, one per non-blank line, with the
    `FILE:LINE` id it gives them."""
    with open(path, "rb") as f:
        raw = f.read()
    rows = []
    for n, line in enumerate(raw.split(b"\n"), start=1):
        line = line.removesuffix(b"\r")
        if n == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if not line.strip():
            continue
        rows.append({"id": f"{path}:{n}", "text": line.decode("utf-8")})
    return rows


def _jsonl_rows(path):
    """The objects of a .jsonl(.gz) file, with the id `awal prepare` gives them (their `id`, else
    `FILE:LINE`); a line that is not JSON has no row (it is a skip either way)."""
    with pa.input_stream(path, compression="detect") as f:
        text = f.read().decode("utf-8")
    rows = []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        obj.setdefault("id", f"{path}:{n}")
        rows.append(obj)
    return rows


@pytest.fixture(scope="module")
def sample_as_parquet(tmp_path_factory):
    """Each data file of the sample as NAME.parquet (same names, so the same input order)."""
    root = tmp_path_factory.mktemp("pq-sample")
    rel = os.path.relpath(SAMPLE)
    for name in sorted(os.listdir(SAMPLE)):
        path = os.path.join(rel, name)
        if name.endswith(".txt"):
            rows = _text_lines(path)
        elif ".jsonl" in name:
            rows = _jsonl_rows(path)
        else:
            continue
        # Row groups of 100 rows: the reader streams several per file.
        pq.write_table(pa.Table.from_pylist(rows), str(root / f"{name}.parquet"), row_group_size=100)
    return str(root)


def _ids_and_texts(out):
    docs = []
    for lines in shard_lines(out).values():
        for l in lines:
            r = json.loads(l)
            docs.append((r["id"], r["text"], r["lang"]))
    return docs


def test_parquet_sample_keeps_the_documents_of_the_sample(awal_bin, sample_as_parquet, tmp_path):
    a, b = str(tmp_path / "from-parquet"), str(tmp_path / "from-sample")
    run_cli(awal_bin, [sample_as_parquet], a)
    run_cli(awal_bin, [os.path.relpath(SAMPLE)], b)
    got, want = _ids_and_texts(a), _ids_and_texts(b)
    assert len(want) > 1000
    # The same documents, in the same order, with the same ids (ids were carried over).
    assert got == want
    ma, mb = manifest(a), manifest(b)
    assert ma["balance"]["kept"] == mb["balance"]["kept"]
    assert ma["languages"] == mb["languages"]
    # The sample's missing-text-field line became a null text: still a counted skip.
    assert ma["stages"][0]["dropped"] == {"missing_text_field": 1}
    assert ma["balance"]["ok"]


@pytest.fixture(scope="module")
def parquet_run(awal_bin, sample_as_parquet, tmp_path_factory):
    out = str(tmp_path_factory.mktemp("pq-out") / "out")
    flags = ["--format", "parquet", "--card", "--license", "cc-by-4.0", "--split", "valid=0.1", "--shard-size", "128K"]
    run_cli(awal_bin, [sample_as_parquet], out, *flags)
    jsonl = str(tmp_path_factory.mktemp("pq-out") / "jsonl")
    run_cli(awal_bin, [sample_as_parquet], jsonl, "--split", "valid=0.1", "--shard-size", "128K")
    return out, jsonl


def _shards(out, split):
    return [o["path"] for o in manifest(out)["outputs"] if o["split"] == split]


def test_parquet_shards_hold_the_jsonl_records(parquet_run):
    out, jsonl = parquet_run
    m = manifest(out)
    assert {o["split"] for o in m["outputs"]} == {"train", "valid"}
    assert all(o["path"].endswith(".parquet") for o in m["outputs"])
    want = {split: [json.loads(l) for l in lines] for split, lines in shard_lines(jsonl).items()}
    for split in ("train", "valid"):
        table = pq.read_table([os.path.join(out, p) for p in _shards(out, split)])
        assert table.column_names == [
            "id", "text", "lang", "lang_score", "scripts", "n_tokens", "source", "meta"
        ]
        rows = table.to_pylist()
        for r in rows:
            r["meta"] = json.loads(r["meta"])
            # Null without --tokenizer, where the JSONL record has no such field.
            assert r.pop("n_tokens") is None
        assert rows == want[split], split
    assert sum(o["records"] for o in m["outputs"]) == m["balance"]["kept"]
    for o in m["outputs"]:
        assert os.path.getsize(os.path.join(out, o["path"])) == o["bytes"]


def test_polars_reads_the_shards(parquet_run):
    out, _ = parquet_run
    paths = [os.path.join(out, p) for p in _shards(out, "train")]
    df = polars.concat([polars.read_parquet(p) for p in paths])
    table = pq.read_table(paths)
    assert df.height == table.num_rows > 0
    assert df["text"].to_list() == table.column("text").to_pylist()
    assert df["scripts"].to_list() == table.column("scripts").to_pylist()
    assert df.schema["lang_score"] == polars.Float64


def _card_header(out):
    with open(os.path.join(out, "README.md"), encoding="utf-8") as f:
        text = f.read()
    assert text.startswith("---\n")
    header, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(header), body


def test_card_header_parses_and_points_at_the_shards(parquet_run):
    out, _ = parquet_run
    header, body = _card_header(out)
    m = manifest(out)
    assert header["license"] == "cc-by-4.0"
    assert header["task_categories"] == ["text-generation"]
    assert header["size_categories"] == ["1K<n<10K"]
    # awal-lid's labels on the sample (arb_Arab, ary_*, fra_Latn, kab_Latn, zgh_*).
    assert header["language"] == ["ar", "ary", "fr", "kab", "zgh"]
    (config,) = header["configs"]
    assert config["config_name"] == "default"
    files = {d["split"]: d["path"] for d in config["data_files"]}
    assert files == {s: _shards(out, s) for s in ("train", "valid")}
    for paths in files.values():
        for p in paths:
            assert os.path.isfile(os.path.join(out, p)), p
    with open(os.path.join(out, "report.md"), encoding="utf-8") as f:
        assert body.endswith(f.read())


def test_datasets_loads_the_card_config(parquet_run):
    out, _ = parquet_run
    header, _ = _card_header(out)
    data_files = {d["split"]: [os.path.join(out, p) for p in d["path"]] for d in header["configs"][0]["data_files"]}
    ds = datasets.load_dataset("parquet", data_files=data_files)
    m = manifest(out)
    assert {s: ds[s].num_rows for s in ds} == {s: v["docs"] for s, v in m["splits"].items()}
    assert ds["train"].features["scripts"].feature.dtype == "string"
    first = pq.read_table(data_files["train"][0]).slice(0, 1).to_pylist()[0]
    assert ds["train"][0] == first


def test_issue_11_done_when_parquet_tokens_and_card_in_one_run(awal_bin, tmp_path):
    """`awal prepare corpora/sample --format parquet --tokenizer FILE --card`: datasets reads the
    shards, every row's n_tokens and the manifest totals equal Python `tokenizers`' counts."""
    from tokenizers import Tokenizer
    from test_token_counts import hf_bpe

    tok_path = hf_bpe(str(tmp_path / "tok.json"))
    out = str(tmp_path / "out")
    run_cli(awal_bin, [os.path.relpath(SAMPLE)], out, "--format", "parquet", "--tokenizer", tok_path,
            "--card", "--license", "cc-by-4.0", "--split", "valid=0.1")
    tok = Tokenizer.from_file(tok_path)
    m = manifest(out)
    files = {o["split"]: [] for o in m["outputs"]}
    for o in m["outputs"]:
        files[o["split"]].append(os.path.join(out, o["path"]))
    ds = datasets.load_dataset("parquet", data_files=files)
    total = 0
    for split, rows in ds.items():
        for r in rows:
            n = len(tok.encode(r["text"], add_special_tokens=False).ids)
            assert r["n_tokens"] == n, r["id"]
            total += n
    assert total == m["tokens"]["total"] > 0
    header, body = _card_header(out)
    assert header["license"] == "cc-by-4.0"
    assert f"{total:,}" in body or str(total) in body
