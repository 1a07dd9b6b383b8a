"""awal._engine: the pieces Spark and Ray share, without an engine."""

import argparse
import os

import numpy as np
import pyarrow as pa
import pytest

from awal import _engine


def test_band_keys_keep_their_bits_as_int64():
    big = [2**64 - 1, 2**63, 5]
    batch = pa.RecordBatch.from_pydict(
        {
            "exact_key": pa.array([b"k" * 16], pa.binary(16)),
            "band_keys": pa.array([big], pa.list_(pa.uint64())),
        }
    )
    exact, bands = _engine.spark_safe_keys(batch)
    assert exact.type == pa.binary() and exact[0].as_py() == b"k" * 16
    assert bands.type == pa.list_(pa.int64())
    assert bands[0].as_py() == [-1, -(2**63), 5]
    assert bands.cast(pa.list_(pa.uint64()), safe=False)[0].as_py() == big


def test_later_copies_keeps_the_smallest_order_of_each_key():
    rows = pa.table(
        {
            "key": pa.array([5, 5, 5, 8, 2, 2, 2], pa.int64()),
            "order": pa.array([7, 3, 9, 4, 12, 12, 11], pa.int64()),
        }
    )
    t = _engine.later_copies(rows, "near")
    assert t.column("order").to_pylist() == [7, 9, 12]
    assert set(t.column("dedup").to_pylist()) == {"near"}
    assert _engine.later_copies(rows.slice(3, 1), "near").num_rows == 0


def test_keyed_rows_buckets_depend_on_the_key_alone():
    keys = pa.table(
        {
            "order": pa.array([1, 2, 3], pa.int64()),
            "exact_key": pa.array([b"a" * 16, b"b" * 16, b"a" * 16], pa.binary()),
            "band_keys": pa.array([[10, -3], [], [-3]], pa.list_(pa.int64())),
        }
    )
    exact = _engine.keyed_rows(keys, "exact", 4)
    b = exact.column("bucket").to_pylist()
    assert exact.column("order").to_pylist() == [1, 2, 3] and b[0] == b[2] and all(0 <= x < 4 for x in b)
    near = _engine.keyed_rows(keys, "near", 4)
    assert near.column("order").to_pylist() == [1, 1, 3] and near.column("key").to_pylist() == [10, -3, -3]
    nb = near.column("bucket").to_pylist()
    assert nb[1] == nb[2] and all(0 <= x < 4 for x in nb)
    assert _engine.later_copies(near, "near").column("order").to_pylist() == [3]


def test_merge_and_mark_duplicates():
    a = pa.table({"order": [5, 9], "dedup": ["near", "near"]})
    b = pa.table({"order": [9, 2], "dedup": ["exact", "exact"]})
    m = _engine.merge_duplicates([a, b])
    assert list(zip(m.column("order").to_pylist(), m.column("dedup").to_pylist())) == [
        (2, "exact"),
        (5, "near"),
        (9, "exact"),
    ]
    tags = np.asarray(m.column("dedup").to_pylist(), dtype=object)
    got = _engine.mark_duplicates(pa.array([1, 2, 3, 9, 10], pa.int64()), m.column("order").to_numpy(), tags)
    assert got.to_pylist() == [None, "exact", None, "exact", None]


def test_explode_bands():
    keys = pa.table({"order": [1, 2, 3], "band_keys": pa.array([[10, 11], [], [12]], pa.list_(pa.int64()))})
    t = _engine.explode_bands(keys)
    assert list(zip(t.column("order").to_pylist(), t.column("band").to_pylist())) == [(1, 10), (1, 11), (3, 12)]


def test_shard_names_sort_in_input_order():
    orders = [(0 << 40) + 99, (1 << 40) + 5, (1 << 40) + 1000, (12 << 40) + 3]
    names = [_engine.shard_name(o, "zst") for o in orders]
    assert names == sorted(names)
    assert names[1] == "shard-000001-0000000000005.jsonl.zst"
    assert _engine.shard_name(0, "none").endswith(".jsonl")


def test_output_folder_rules(tmp_path):
    out = tmp_path / "out"
    _engine.prepare_out(str(out), overwrite=False)  # created
    (out / "shard-00000.jsonl.zst").write_bytes(b"x")
    (out / "notes.txt").write_text("mine")
    (out / "train").mkdir()
    (out / "train" / "shard-000000-0000000000000.jsonl.zst").write_bytes(b"x")
    with pytest.raises(_engine.AwalError, match="not empty"):
        _engine.prepare_out(str(out), overwrite=False)
    _engine.prepare_out(str(out), overwrite=True)
    assert sorted(os.listdir(out)) == ["notes.txt", "train"] and os.listdir(out / "train") == []
    (tmp_path / "file").write_text("x")
    with pytest.raises(_engine.AwalError, match="not a folder"):
        _engine.prepare_out(str(tmp_path / "file"), overwrite=True)


def test_flags_map_onto_the_config():
    p = argparse.ArgumentParser()
    _engine.add_prepare_args(p)
    a = p.parse_args(
        ["in", "--out", "o", "--lid", "script", "--no-near-dedup", "--no-pii", "--split", "valid=0.1",
         "--shard-size", "1M", "--compress", "gz", "--langs", "ary_Latn,fra_Latn", "--strict", "--doc-sep", "blank-line"]
    )
    c = _engine.config_from_args(a)
    assert c["dedup"] == {**c["dedup"], "exact": True, "near": False}
    assert (c["pii"]["enabled"], c["sink"]["valid_fraction"], c["sink"]["shard_size"]) == (False, 0.1, 1 << 20)
    assert (c["sink"]["compress"], c["filter"]["langs"], c["strict"]) == ("gz", ["ary_Latn", "fra_Latn"], True)
    assert c["source"]["doc_sep"] == "blank-line"
    spec = _engine.Spec(c, a.lid)
    assert not spec.near_on and spec.exact_on and spec.strict
    with pytest.raises(_engine.AwalError, match="--split"):
        _engine.config_from_args(p.parse_args(["in", "--out", "o", "--split", "0.1"]))
    with pytest.raises(_engine.AwalError, match="language labels"):
        _engine.config_from_args(p.parse_args(["in", "--out", "o", "--lid", "script", "--unify", "ary=arab"]))
    with pytest.raises(_engine.AwalError, match="cannot read"):
        _engine.config_from_args(p.parse_args(["in", "--out", "o", "--config", "no/such/awal.toml"]))
    assert _engine.parse_size("64K") == 65536


def test_expand_names_what_the_walk_passes_over(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("salam khoya\n", encoding="utf-8")
    (tmp_path / ".draft.txt").write_text("x\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("x\n", encoding="utf-8")
    assert _engine.expand([str(tmp_path)]) == [str(tmp_path / "a.txt")]
    err = capsys.readouterr().err
    assert "ignored 1 hidden" in err and ".draft.txt" in err
    assert "ignored 1 file(s)" in err and "notes.md" in err
