"""awal on Apache Spark: a distributed ``awal prepare`` that keeps exactly what the CLI keeps.

Command line (same inputs and options as ``awal prepare``)::

    python -m awal.spark prepare corpora/ --out /shared/awal-out --master local[2]
    python -m awal.spark prepare s.jsonl.zst --out out --master spark://host:7077 --config awal.toml

From Python, on a DataFrame you already have::

    from awal.spark import prepare
    kept = prepare(df)                          # kept rows, with lang, lang_score, scripts, ...
    everything = prepare(df, keep_dropped=True) # also the dropped ones, with drop_reason

How it runs (see :mod:`awal._engine`): one task per input file runs ``Pipeline.read`` and
``Pipeline.process`` (``mapInArrow``, the work in Rust with the GIL released); the dedup decision
is a group-by on buckets of the keys (every copy of an exact key or an LSH band key lands in one
bucket, where the smallest ``order`` of each key is found with Arrow sorts); the executors write
the shards (``mapInArrow`` again) and fold their rows into partial counts, which the driver
merges into ``manifest.json``. ``--out`` must be a folder every executor can write (local mode:
any folder).

Java: PySpark needs Java 17 (or 21). :func:`find_java` takes ``JAVA_HOME`` when it is set, else
the first ``/usr/lib/jvm/*17*`` (Debian/Ubuntu ``openjdk-17-jdk-headless``), else ``java`` on
``PATH``, and sets ``JAVA_HOME`` for the Spark it starts.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import sys
from functools import reduce
from typing import Iterable, Iterator, List, Optional

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import _engine
from ._engine import AwalError, Spec



def find_java() -> str:
    """Chooses the Java that Spark will use and returns its ``JAVA_HOME``.

    ``JAVA_HOME`` when set; else the first ``/usr/lib/jvm/*17*`` holding ``bin/java``; else the
    ``java`` found on ``PATH`` (its JDK folder). Raises :class:`AwalError` when there is none.
    """
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "java")):
        return home
    for cand in sorted(glob.glob("/usr/lib/jvm/*17*")):
        if os.path.exists(os.path.join(cand, "bin", "java")):
            os.environ["JAVA_HOME"] = cand
            return cand
    java = shutil.which("java")
    if java:
        home = os.path.dirname(os.path.dirname(os.path.realpath(java)))
        os.environ["JAVA_HOME"] = home
        return home
    raise AwalError(
        "Spark needs Java 17: install it (e.g. `apt-get install openjdk-17-jre-headless`) or set JAVA_HOME"
    )


def session(master: str = "local[2]", app_name: str = "awal", conf: Optional[dict] = None):
    """A SparkSession for awal jobs: Java found by :func:`find_java`, executors on this
    Python (``PYSPARK_PYTHON``), few shuffle partitions, and in local mode a JVM tuned for
    short jobs, unless ``conf`` says otherwise."""
    find_java()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    b = SparkSession.builder.master(master).appName(app_name)
    settings = {
        "spark.sql.shuffle.partitions": "8",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.execution.arrow.maxRecordsPerBatch": "8192",
    }
    if master.startswith("local"):
        # The JVM only sees dedup keys (the text stays in Rust and Arrow files), so its
        # optimizing JIT compiler and parallel GC cost more CPU than they save: C1 only and
        # the serial GC cut the CPU of a local run by about a third (benches/dist).
        settings["spark.driver.extraJavaOptions"] = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:CICompilerCount=1"
    settings.update(conf or {})
    for k, v in settings.items():
        b = b.config(k, v)
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# --------------------------------------------------------------------------------------------
# The decision as Spark group-bys and joins.


def decide(keys, exact: bool = True, near: bool = True):
    """``keys``: DataFrame ``(order, exact_key, band_keys)`` of the documents that passed the
    filters. Returns ``(order, dedup)`` for each duplicate: ``exact`` when a smaller order has
    the same exact key, else ``near`` when a smaller order shares a band key."""
    from pyspark.sql import functions as F

    frames = []
    if exact:
        first = keys.groupBy("exact_key").agg(F.min("order").alias("first"))
        frames.append(
            keys.select("order", "exact_key")
            .join(first, "exact_key")
            .where(F.col("order") > F.col("first"))
            .select("order", F.lit("exact").alias("dedup"))
        )
    if near:
        bands = keys.select("order", F.explode("band_keys").alias("band"))
        first = bands.groupBy("band").agg(F.min("order").alias("first"))
        frames.append(
            bands.join(first, "band")
            .where(F.col("order") > F.col("first"))
            .select("order", F.lit("near").alias("dedup"))
        )
    if not frames:
        return keys.sparkSession.createDataFrame([], "order long, dedup string")
    both = reduce(lambda a, b: a.unionByName(b), frames)
    # "exact" < "near": the smaller tag is the CLI's answer when both hold.
    return both.groupBy("order").agg(F.min("dedup").alias("dedup"))


# --------------------------------------------------------------------------------------------
# The distributed `prepare` over files.


def _task_cpus() -> int:
    from pyspark import TaskContext

    ctx = TaskContext.get()
    return ctx.cpus() if ctx is not None else 1


_BLOBS_DDL = "kind string, bucket long, blob binary, info string"


def _map_files(spec: Spec, out: str, cwd: str, buckets: int):
    """Stage 1 of the job: each input file through :func:`awal._engine.map_file_blobs`; its keys
    leave the Python worker as a few blobs per bucket instead of millions of rows, so the JVM
    shuffles kilobytes of rows it never looks into (converting each band key to a Spark row and
    back cost as much CPU as the whole CLI run, benches/dist)."""

    def run(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _engine.use_task_cpus(_task_cpus())
        os.chdir(cwd)  # input names are relative to the driver's folder, as in the CLI
        for b in batches:
            for i, path in zip(b.column(0).to_pylist(), b.column(1).to_pylist()):
                yield from _engine.map_file_blobs(spec, path, int(i), out, buckets)

    return run


def _decide_bucket(key, table):
    """Stage 2, one group (no type hints: PySpark 4.3's ``applyInArrow`` fails on the hints of
    a two-argument function)."""
    return _engine.decide_bucket(key[0].as_py(), table)


def _write_files(spec: Spec, out: str, cwd: str):
    """Stage 3: each input file with the blobs of its duplicates -> shards and counts."""

    def run(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _engine.use_task_cpus(_task_cpus())
        os.chdir(cwd)
        for b in batches:
            files = b.column(b.schema.get_field_index("file_index")).to_pylist()
            blobs = b.column(b.schema.get_field_index("blobs")).to_pylist()
            for f, bl in zip(files, blobs):
                res = _engine.write_file_blobs(spec, int(f), bl or [], out)
                yield pa.RecordBatch.from_arrays([pa.array([res], pa.string())], names=["result"])

    return run


def run_prepare(spark, spec: Spec, inputs: List[str], out: str, overwrite: bool = False):
    """The job behind ``python -m awal.spark prepare``; returns (manifest.json, report.md) text.

    Three stages, each a Spark operation: ``mapInArrow`` over the input files (one task per
    file: read, process, spill, keys), ``groupBy(kind, bucket).applyInArrow`` for the decision
    (every copy of a key lands in one bucket; the smallest order of each key is found there,
    :func:`awal._engine.decide_bucket`), and a join of the duplicates with
    their files feeding ``mapInArrow`` again, whose tasks write the shards."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    paths = _engine.expand(inputs)
    out = os.path.abspath(out)
    _engine.prepare_out(out, overwrite)
    cwd = os.getcwd()
    sc = spark.sparkContext
    buckets = _engine.decision_buckets(paths, sc.defaultParallelism)
    rows = [(i, p) for i, p in enumerate(paths)]
    files = spark.createDataFrame(
        sc.parallelize(rows, max(1, len(rows))), "file_index long, path string"
    )
    keys = files.mapInArrow(_map_files(spec, out, cwd, buckets), _BLOBS_DDL).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        infos = _engine.infos_from_keys(r[0] for r in keys.where(F.col("info").isNotNull()).select("info").collect())
        _engine.check_strict(spec, infos)
        dups = (
            keys.where(F.col("kind").isNotNull())
            .select("kind", "bucket", "blob")
            .groupBy("kind", "bucket")
            .applyInArrow(_decide_bucket, "file_index long, blob binary")
        )
        by_file = dups.groupBy("file_index").agg(F.collect_list("blob").alias("blobs"))
        tasks = files.join(by_file, "file_index", "left").repartition(
            max(1, min(len(rows), sc.defaultParallelism * 4))
        )
        results = [json.loads(r[0]) for r in tasks.mapInArrow(_write_files(spec, out, cwd), "result string").collect()]
    finally:
        keys.unpersist()
    return _engine.finish(spec, out, infos, results)


# --------------------------------------------------------------------------------------------
# The DataFrame API.


def _spec_of(pipeline, config, lid, lid_model) -> Spec:
    if pipeline is not None and config is not None:
        raise ValueError("give `pipeline` or `config`, not both")
    if isinstance(pipeline, Spec):
        return pipeline
    if pipeline is not None and hasattr(pipeline, "config"):
        return Spec.of(pipeline.config, lid, lid_model)
    return Spec.of(pipeline if pipeline is not None else config, lid, lid_model)


def prepare(
    df,
    pipeline=None,
    *,
    config=None,
    lid: str = "awal",
    lid_model: Optional[str] = None,
    text_field: Optional[str] = None,
    order_col: Optional[str] = None,
    keep_dropped: bool = False,
):
    """Runs awal's per-document stages and the dedup decision on a DataFrame.

    ``df`` needs a string column ``text_field`` (default: the config's ``source.text_field``,
    ``"text"``). ``pipeline`` / ``config``: an awal.toml path, TOML text, a dict of its tables,
    or an ``awal.Pipeline`` (its config is used; pass ``lid``/``lid_model`` for the detector).
    ``order_col``: an integer column giving the input order that decides which copy of a
    duplicate is kept (default: ``monotonically_increasing_id()``, i.e. partition order).

    Returns the kept rows with the text processed (normalized, boilerplate removed, PII
    redacted) and the columns ``lang``, ``lang_score``, ``scripts``, ``drop_reason`` (null); with
    ``keep_dropped=True`` every row, ``drop_reason`` saying why (``"length.too_few_chars"``,
    ``"dedup.exact"``, ``"dedup.near"``, ...). The processed rows are cached (``persist``).
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    spec = _spec_of(pipeline, config, lid, lid_model)
    field = text_field or spec.text_field
    if field not in df.columns:
        raise ValueError(f"the DataFrame has no text column {field!r} (columns: {df.columns})")
    added_order = order_col is None
    order = order_col or "_awal_order"
    if added_order:
        df = df.withColumn(order, F.monotonically_increasing_id())
    schema = T.StructType(
        list(df.schema.fields)
        + [
            T.StructField("lang", T.StringType()),
            T.StructField("lang_score", T.DoubleType()),
            T.StructField("scripts", T.ArrayType(T.StringType())),
            T.StructField("drop_reason", T.StringType()),
            T.StructField("exact_key", T.BinaryType()),
            T.StructField("band_keys", T.ArrayType(T.LongType())),
        ]
    )
    names = [f.name for f in schema.fields]

    def run(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _engine.use_task_cpus(_task_cpus())
        p = spec.pipeline()
        for b in batches:
            if b.num_rows == 0:
                continue
            res = _engine.spark_safe(p.process(b, text_field=field))
            yield pa.RecordBatch.from_arrays([res.column(res.schema.get_field_index(n)) for n in names], names=names)

    done = df.mapInArrow(run, schema).persist(StorageLevel.MEMORY_AND_DISK)
    cand = done.where(F.col("drop_reason").isNull()).select(F.col(order).cast("long").alias("order"), "exact_key", "band_keys")
    dups = decide(cand, spec.exact_on, spec.near_on).withColumnRenamed("order", "_awal_dup_order")
    res = done.join(dups, done[order].cast("long") == dups["_awal_dup_order"], "left")
    res = res.withColumn(
        "drop_reason",
        F.when(F.col("dedup").isNotNull(), F.concat(F.lit("dedup."), F.col("dedup"))).otherwise(F.col("drop_reason")),
    )
    res = res.drop("dedup", "_awal_dup_order", "exact_key", "band_keys")
    if added_order:
        res = res.drop(order)
    if not keep_dropped:
        res = res.where(F.col("drop_reason").isNull())
    return res


# --------------------------------------------------------------------------------------------
# Command line.


def _engine_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--master", default="local[2]", help="Spark master URL (default local[2])")
    p.add_argument("--spark-conf", action="append", default=[], metavar="KEY=VALUE", help="extra Spark setting")


def _run(args: argparse.Namespace, spec: Spec):
    conf = dict(kv.split("=", 1) for kv in args.spark_conf)
    spark = session(args.master, "awal prepare", conf)
    try:
        return run_prepare(spark, spec, args.inputs, args.out, args.overwrite)
    finally:
        spark.stop()


main = _engine.cli("python -m awal.spark", __doc__.split("\n")[0], _engine_args, _run)


if __name__ == "__main__":
    sys.exit(main())
