"""awal.ray: the decision as group-bys, the Dataset API, the command line."""

import subprocess
import sys

import pyarrow as pa
import pytest
from conftest import ROOT, assert_same_run, python_env, random_keys, reference_decision, run_cli

import awal
from awal import _engine
from awal.ray import decide, prepare, run_prepare


def _decide(ray, rows, exact=True, near=True):
    t = pa.table(
        {
            "order": pa.array([r[0] for r in rows], pa.int64()),
            "exact_key": pa.array([r[1] for r in rows], pa.binary()),
            "band_keys": pa.array([r[2] for r in rows], pa.list_(pa.int64())),
        }
    )
    ds = ray.data.from_arrow(t).repartition(3)
    d = decide(ds, exact, near, num_partitions=2)
    merged = _engine.merge_duplicates([pa.Table.from_pylist(d.take_all())] if d is not None else [])
    got = dict(zip(merged.column("order").to_pylist(), merged.column("dedup").to_pylist()))
    return {o: got.get(o) for o, _, _ in rows}


def test_decision_chains(ray_session):
    rows = [
        (1, b"a" * 16, [10, 11]),
        (2, b"b" * 16, [11, 12]),
        (3, b"c" * 16, [12, 13]),
        (4, b"a" * 16, [10, 11]),
        (5, b"e" * 16, []),
    ]
    assert _decide(ray_session, rows) == {1: None, 2: "near", 3: "near", 4: "exact", 5: None}
    assert _decide(ray_session, rows, near=False) == {1: None, 2: None, 3: None, 4: "exact", 5: None}


def test_decision_matches_the_definition(ray_session):
    rows = random_keys(3)
    assert _decide(ray_session, rows) == reference_decision(rows)


def test_prepare_dataset(ray_session):
    texts = [
        "salam khoya, kidayr? ana mzyan l7amdolillah w nta?",
        "ok",
        "Salam khoya kidayr!! ana mzyan l7amdolillah w nta",
        "3iyet liya 3la 0612345678 lbare7 f lil, ila bghiti tsowelni",
    ]
    ds = ray_session.data.from_items([{"text": t, "n": i} for i, t in enumerate(texts)]).repartition(2)
    rows = sorted(prepare(ds, keep_dropped=True).take_all(), key=lambda r: r["n"])
    direct = awal.Pipeline().process(pa.RecordBatch.from_pydict({"text": texts}))
    reasons = direct.column(direct.schema.get_field_index("drop_reason")).to_pylist()
    assert [r["drop_reason"] for r in rows] == [reasons[0], reasons[1], "dedup.exact", reasons[3]]
    assert "<PHONE>" in rows[3]["text"] and "exact_key" not in rows[0]
    assert sorted(r["n"] for r in prepare(ds, order_col="n").take_all()) == [0, 3]


def test_strict_stops_at_the_first_skip_in_input_order(ray_session, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.jsonl").write_bytes(b'{"text": "salam khoya kidayr labas"}\n{"txt": 1}\n')
    (d / "b.txt").write_bytes(b"bad \xff line\n")
    spec = _engine.Spec(dict(awal.Pipeline().config, strict=True), "script")
    with pytest.raises(_engine.AwalError, match=r"a\.jsonl:2: missing or non-string text field$"):
        run_prepare(spec, [str(d)], str(tmp_path / "ray"))


def test_cli_matches_awal_prepare(awal_bin, tmp_path):
    flags = ["--lid", "script", "--no-near-dedup", "--compress", "none"]
    run_cli(awal_bin, ["corpora/sample/social.txt", "corpora/sample/mixed.txt"], str(tmp_path / "cli"), *flags, cwd=ROOT)
    cmd = [sys.executable, "-m", "awal.ray", "prepare", "corpora/sample/social.txt", "corpora/sample/mixed.txt"]
    cmd += ["--out", str(tmp_path / "ray"), "--num-cpus", "2", "--quiet", *flags]
    res = subprocess.run(cmd, cwd=ROOT, env=python_env(), capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert_same_run(str(tmp_path / "cli"), str(tmp_path / "ray"), "ray")
