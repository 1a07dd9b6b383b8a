"""awal on Ray Data: a distributed ``awal prepare`` that keeps exactly what the CLI keeps.

Command line (same inputs and options as ``awal prepare``)::

    python -m awal.ray prepare corpora/ --out /shared/awal-out --num-cpus 2
    python -m awal.ray prepare data/ --out out --address auto      # an existing cluster

From Python, on a Dataset you already have::

    import awal.ray
    kept = awal.ray.prepare(ds)                   # kept rows, with lang, lang_score, scripts, ...

How it runs (see :mod:`awal._engine`): ``map_batches(batch_format="pyarrow")`` runs
``Pipeline.read`` + ``Pipeline.process`` with one task per input file, which hands on its dedup
keys as one Arrow blob per (kind of key, bucket); the decision is a group-by on
``(kind, bucket)`` (``map_groups``: every order of a key but the smallest is a duplicate); the
duplicates meet their input file in a group-by on ``file_index``, whose tasks write the shards
and fold their rows into partial counts; the driver merges those into ``manifest.json``.
``--out`` must be a folder every worker can write.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from typing import List, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import _engine
from ._engine import Spec

@contextlib.contextmanager
def _task_shuffles():
    """Sort-based shuffles for the group-bys: they run as tasks in the existing workers, where
    the default hash shuffle starts aggregator actors (a process each): on 2 CPUs the run
    takes about half the time and a fifth less CPU (benches/dist)."""
    from ray.data.context import DataContext, ShuffleStrategy

    ctx = DataContext.get_current()
    before = ctx.shuffle_strategy
    ctx.shuffle_strategy = ShuffleStrategy.SORT_SHUFFLE_PULL_BASED
    try:
        yield
    finally:
        ctx.shuffle_strategy = before


def _task_cpus() -> float:
    import ray

    return ray.get_runtime_context().get_assigned_resources().get("CPU", 1)


def _parallelism(n: int) -> int:
    import ray

    cpus = int(ray.cluster_resources().get("CPU", 1))
    return max(1, min(n, cpus * 2))


def decide(keys, exact: bool = True, near: bool = True, num_partitions: Optional[int] = None):
    """``keys``: Dataset ``(order, exact_key, band_keys)`` of the documents that passed the
    filters. Returns a Dataset ``(order, dedup)`` of duplicates (an order may appear twice, once
    ``exact`` and once ``near``; :func:`awal._engine.merge_duplicates` keeps ``exact``).

    One group-by per kind of key, on a bucket of the key (:func:`awal._engine.keyed_rows`):
    Ray's own per-key aggregation (``groupby(key).aggregate(AsList(...))``) costs about 25x the
    CLI's CPU per MB on 200 MB (millions of band keys grouped row by row), where a group-by on
    ``num_partitions`` buckets shuffles plain Arrow rows and decides inside each group with
    Arrow sorts (:func:`awal._engine.later_copies`)."""
    buckets = max(1, num_partitions or _parallelism(8))

    def one_kind(kind, tag):
        return (
            keys.map_batches(lambda t: _engine.keyed_rows(t, kind, buckets), batch_format="pyarrow", batch_size=None)
            .groupby("bucket", num_partitions=buckets)
            .map_groups(lambda t: _engine.later_copies(t, tag), batch_format="pyarrow")
        )

    parts = ([one_kind("exact", "exact")] if exact else []) + ([one_kind("near", "near")] if near else [])
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else parts[0].union(parts[1])


def _infos_only(t: pa.Table) -> pa.Table:
    return t.filter(pc.is_null(t.column("kind"))).select(["info"])


def _blobs_only(t: pa.Table) -> pa.Table:
    return t.filter(pc.is_valid(t.column("kind"))).select(["kind", "bucket", "blob"])


def run_prepare(spec: Spec, inputs: List[str], out: str, overwrite: bool = False):
    """The job behind ``python -m awal.ray prepare`` (Ray must be initialised); returns
    (manifest.json, report.md) text."""
    with _task_shuffles():
        return _run_prepare(spec, inputs, out, overwrite)


def _run_prepare(spec: Spec, inputs: List[str], out: str, overwrite: bool):
    import ray

    paths = _engine.expand(inputs)
    out = os.path.abspath(out)
    _engine.prepare_out(out, overwrite)
    cwd = os.getcwd()
    n = _parallelism(len(paths))
    buckets = _engine.decision_buckets(paths, int(ray.cluster_resources().get("CPU", 1)))

    def map_files(t: pa.Table) -> pa.Table:
        _engine.use_task_cpus(_task_cpus())
        os.chdir(cwd)  # input names are relative to the driver's folder, as in the CLI
        rows = []
        for i, path in zip(t.column("file_index").to_pylist(), t.column("path").to_pylist()):
            rows.extend(_engine.map_file_blobs(spec, path, int(i), out, buckets))
        return pa.Table.from_batches(rows, schema=_engine.BLOBS_SCHEMA)

    files = ray.data.from_arrow(
        pa.table({"file_index": pa.array(range(len(paths)), pa.int64()), "path": pa.array(paths, pa.string())})
    ).repartition(max(1, len(paths)))
    keys = files.map_batches(map_files, batch_format="pyarrow", batch_size=1).materialize()
    infos = _engine.infos_from_keys(
        r["info"] for r in keys.map_batches(_infos_only, batch_format="pyarrow", batch_size=None).take_all()
    )
    _engine.check_strict(spec, infos)

    def decide_group(t: pa.Table) -> pa.Table:
        return _engine.decide_bucket(t.column("kind")[0].as_py(), t)

    dups = (
        keys.map_batches(_blobs_only, batch_format="pyarrow", batch_size=None)
        .groupby(["kind", "bucket"], num_partitions=n)
        .map_groups(decide_group, batch_format="pyarrow")
    )
    file_rows = ray.data.from_arrow(
        pa.table(
            {"file_index": pa.array(range(len(paths)), pa.int64()), "blob": pa.nulls(len(paths), pa.binary())}
        )
    ).union(dups)

    def write_group(t: pa.Table) -> pa.Table:
        _engine.use_task_cpus(_task_cpus())
        os.chdir(cwd)
        f = int(t.column("file_index")[0].as_py())
        blobs = [b for b in t.column("blob").to_pylist() if b]
        return pa.table({"result": [_engine.write_file_blobs(spec, f, blobs, out)]})

    results = file_rows.groupby("file_index", num_partitions=n).map_groups(write_group, batch_format="pyarrow")
    results = [json.loads(r["result"]) for r in results.take_all()]
    return _engine.finish(spec, out, infos, results)


# --------------------------------------------------------------------------------------------
# The Dataset API.


def _with_order(ds, name: str):
    """Numbers the rows by their position in the (materialized) Dataset."""
    import ray

    refs = ds.materialize().to_arrow_refs()

    @ray.remote
    def count(t):
        return t.num_rows

    @ray.remote
    def number(t, start):
        return t.append_column(name, pa.array(np.arange(start, start + t.num_rows, dtype=np.int64)))

    counts = ray.get([count.remote(r) for r in refs])
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64) if counts else []
    return ray.data.from_arrow_refs([number.remote(r, int(s)) for r, s in zip(refs, starts)])


def prepare(
    ds,
    pipeline=None,
    *,
    config=None,
    lid: str = "awal",
    lid_model: Optional[str] = None,
    text_field: Optional[str] = None,
    order_col: Optional[str] = None,
    keep_dropped: bool = False,
):
    """Runs awal's per-document stages and the dedup decision on a Ray Dataset.

    Same arguments and result as :func:`awal.spark.prepare`: the kept rows with the text
    processed and ``lang``, ``lang_score``, ``scripts``, ``drop_reason``; with
    ``keep_dropped=True`` every row, ``drop_reason`` saying why. ``order_col`` decides which
    copy of a duplicate is kept (default: the row's position in the Dataset). The orders of the
    duplicates (8 bytes each) pass through the driver on their way to the final map.
    """
    import ray

    from .spark import _spec_of

    spec = _spec_of(pipeline, config, lid, lid_model)
    field = text_field or spec.text_field
    added = order_col is None
    order = order_col or "_awal_order"
    if added:
        ds = _with_order(ds, order)

    def process(t: pa.Table) -> pa.Table:
        _engine.use_task_cpus(_task_cpus())
        p = spec.pipeline()
        if t.num_rows == 0:
            return t
        batches = [p.process(b, text_field=field) for b in t.to_batches() if b.num_rows]
        return pa.Table.from_batches([_engine.spark_safe(b) for b in batches])

    done = ds.map_batches(process, batch_format="pyarrow").materialize()

    def keys(t: pa.Table) -> pa.Table:
        c = t.filter(pc.is_null(t.column("drop_reason")))
        return pa.table(
            {"order": c.column(order).cast(pa.int64()), "exact_key": c.column("exact_key"), "band_keys": c.column("band_keys")}
        )

    cand = done.map_batches(keys, batch_format="pyarrow", batch_size=None)
    tables = []
    with _task_shuffles():
        d = decide(cand, spec.exact_on, spec.near_on, num_partitions=_parallelism(8))
        if d is not None:
            rows = d.take_all()
            tables.append(pa.Table.from_pylist(rows, schema=pa.schema([("order", pa.int64()), ("dedup", pa.string())])))
    merged = _engine.merge_duplicates(tables)
    dup_ref = ray.put((merged.column("order").to_numpy(), np.asarray(merged.column("dedup").to_pylist(), dtype=object)))

    def mark(t: pa.Table) -> pa.Table:
        orders, tags = ray.get(dup_ref) if isinstance(dup_ref, ray.ObjectRef) else dup_ref
        dedup = _engine.mark_duplicates(t.column(order).combine_chunks().cast(pa.int64()), orders, tags)
        dedup = pc.if_else(pc.is_null(t.column("drop_reason")), dedup, pa.nulls(len(dedup), pa.string()))
        reason = pc.if_else(pc.is_valid(dedup), pc.binary_join_element_wise("dedup.", dedup, ""), t.column("drop_reason"))
        t = t.set_column(t.schema.get_field_index("drop_reason"), "drop_reason", reason)
        t = t.drop_columns(["exact_key", "band_keys"] + ([order] if added else []))
        if not keep_dropped:
            t = t.filter(pc.is_null(t.column("drop_reason")))
        return t

    return done.map_batches(mark, batch_format="pyarrow", batch_size=None)


# --------------------------------------------------------------------------------------------
# Command line.


def _engine_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--num-cpus", type=int, help="CPUs of the local Ray started here (default: all)")
    p.add_argument("--address", help="an existing Ray cluster (e.g. `auto`) instead of a local one")


def _run(args: argparse.Namespace, spec: Spec):
    import ray

    if args.address:
        ray.init(address=args.address, include_dashboard=False, log_to_driver=False)
    else:
        ray.init(num_cpus=args.num_cpus, include_dashboard=False, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    try:
        return run_prepare(spec, args.inputs, args.out, args.overwrite)
    finally:
        ray.shutdown()


main = _engine.cli("python -m awal.ray", __doc__.split("\n")[0], _engine_args, _run)


if __name__ == "__main__":
    sys.exit(main())
