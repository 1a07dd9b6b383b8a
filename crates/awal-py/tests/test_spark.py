"""awal.spark: the decision as group-bys and joins, the DataFrame API, the command line."""

import os
import subprocess
import sys

import pyarrow as pa
import pytest
from conftest import ROOT, assert_same_run, python_env, random_keys, reference_decision, run_cli

import awal
from awal import _engine
from awal.spark import decide, find_java, prepare, run_prepare

def _decide(spark, rows, exact=True, near=True):
    df = spark.createDataFrame(
        [(o, bytearray(k), b) for o, k, b in rows], "order long, exact_key binary, band_keys array<bigint>"
    )
    got = {r["order"]: r["dedup"] for r in decide(df, exact, near).collect()}
    return {o: got.get(o) for o, _, _ in rows}


def test_decision_chains(spark):
    # A; B shares a band with A (near); C shares a band only with B: near too (B's keys are in
    # the index although B is dropped); D is an exact copy of A that also shares its bands: exact.
    rows = [
        (1, b"a" * 16, [10, 11]),
        (2, b"b" * 16, [11, 12]),
        (3, b"c" * 16, [12, 13]),
        (4, b"a" * 16, [10, 11]),
        (5, b"e" * 16, []),
    ]
    assert _decide(spark, rows) == {1: None, 2: "near", 3: "near", 4: "exact", 5: None}
    assert _decide(spark, rows, exact=False) == {1: None, 2: "near", 3: "near", 4: "near", 5: None}
    assert _decide(spark, rows, near=False) == {1: None, 2: None, 3: None, 4: "exact", 5: None}


@pytest.mark.parametrize("seed", [1, 2])
def test_decision_matches_the_definition(spark, seed):
    rows = random_keys(seed)
    want = reference_decision(rows)
    assert _decide(spark, rows) == want
    assert sum(v == "exact" for v in want.values()) > 10 and sum(v == "near" for v in want.values()) > 10


def test_prepare_dataframe(spark):
    texts = [
        "salam khoya, kidayr? ana mzyan l7amdolillah w nta?",
        "ok",
        "Salam khoya kidayr!! ana mzyan l7amdolillah w nta",
        "3iyet liya 3la 0612345678 lbare7 f lil, ila bghiti tsowelni",
        "ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ ⵎⴰⵏⵣⴰⴽⵉⵏ ⵉⵜⵜⵉⵍⵉⵏ ⴰⵢⵜⵎⴰ ⴷ ⵜⵉⵙⵜⵎⴰ",
    ]
    df = spark.createDataFrame([(i, t, f"m{i}") for i, t in enumerate(texts)], "n long, text string, meta string")
    rows = {r["n"]: r for r in prepare(df, order_col="n", keep_dropped=True).collect()}
    direct = awal.Pipeline().process(pa.RecordBatch.from_pydict({"text": texts}))
    reasons = direct.column(direct.schema.get_field_index("drop_reason")).to_pylist()
    langs = direct.column(direct.schema.get_field_index("lang")).to_pylist()
    out_text = direct.column(direct.schema.get_field_index("text")).to_pylist()
    assert reasons[0] is None and reasons[1] is not None
    assert rows[2]["drop_reason"] == "dedup.exact"
    for i in (0, 1, 3, 4):
        assert rows[i]["drop_reason"] == reasons[i]
        assert rows[i]["lang"] == langs[i]
        assert rows[i]["text"] == out_text[i]
        assert rows[i]["meta"] == f"m{i}"
    assert "<PHONE>" in rows[3]["text"]
    kept = prepare(df, order_col="n").collect()
    assert sorted(r["n"] for r in kept) == [0, 3, 4]
    assert "exact_key" not in prepare(df).columns


def test_cli_matches_awal_prepare_with_relative_inputs(awal_bin, tmp_path):
    # The command line with its own Spark, inputs named relative to the working folder (as in
    # the records' `source`), options given as flags.
    flags = ["--lid", "script", "--compress", "gz", "--split", "valid=0.3", "--shard-size", "20K"]
    run_cli(awal_bin, ["corpora/sample"], str(tmp_path / "cli"), *flags, cwd=ROOT)
    cmd = [sys.executable, "-m", "awal.spark", "prepare", "corpora/sample", "--out", str(tmp_path / "spark")]
    res = subprocess.run(cmd + flags + ["--quiet"], cwd=ROOT, env=python_env(), capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert_same_run(str(tmp_path / "cli"), str(tmp_path / "spark"), "spark")
    # A second run into the same folder is refused without --overwrite, as by the CLI.
    res = subprocess.run(cmd + flags, cwd=ROOT, env=python_env(), capture_output=True, text=True)
    assert res.returncode == 1 and "not empty" in res.stderr


def test_strict_stops_at_the_first_skip_in_input_order(spark, awal_bin, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_bytes(b"salam khoya kidayr labas 3lik\nfine line two here ok\nbad \xff line\n")
    (d / "b.jsonl").write_bytes(b'{"text": "ok"}\n{broken\n')
    res = run_cli(awal_bin, [str(d)], str(tmp_path / "cli"), "--strict", check=False)
    assert res.returncode != 0
    spec = _engine.Spec(dict(awal.Pipeline().config, strict=True), "script")
    with pytest.raises(_engine.AwalError) as e:
        run_prepare(spark, spec, [str(d)], str(tmp_path / "spark"))
    assert str(e.value) == f"{d}/a.txt:3: invalid UTF-8"
    assert str(e.value) in res.stderr


def test_java_is_found():
    home = find_java()
    assert os.path.exists(os.path.join(home, "bin", "java"))
