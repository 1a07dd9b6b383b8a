"""What the Spark and Ray jobs share: options, the three stages of a distributed run, and the
output folder.

A distributed ``prepare`` gives exactly the kept set of ``awal prepare`` because the pipeline
splits into a per-document **map** (no shared state) and a **dedup decision** that needs only
``(order, exact_key, band_keys)`` of the documents that passed the filters:

1. :func:`map_file` (one task per input file): ``Pipeline.read`` + ``Pipeline.process``; the
   processed rows are spilled to an Arrow IPC file under ``OUT/.awal-work/`` and only the dedup
   keys (about 130 bytes per document) go back to the engine.
2. The engine decides (group-by on keys, see :func:`keyed_rows`, :func:`later_copies` and the
   engine modules): a document is an ``exact`` duplicate iff a document of smaller ``order`` that
   passed the filters has the same exact key, else a ``near`` duplicate iff it shares a band key
   with one. ``order`` is ``file_index * 2**40 + item index``, the CLI's input order.
3. :func:`write_file` (one task per input file): reads the spill back, marks the duplicates,
   writes the kept records as shards named after the smallest order they hold
   (``shard-FFFFFF-IIIIIIIIIIIII.jsonl.zst``: input file and item), so names sort in input
   order and a retried task overwrites the same file, and folds its rows into partial counts
   (``Pipeline.account``).

The driver then merges the partial counts with ``Pipeline.manifest`` and writes
``manifest.json`` and ``report.md`` atomically. ``--out`` must be on a file system every worker
sees (a local folder in local mode, NFS or similar on a cluster): the workers write there.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import _awal

#: ``order`` = ``file_index << ORDER_SHIFT | item index`` (set by ``Pipeline.read``).
ORDER_SHIFT = 40
#: Folder of the spilled map output inside ``--out``; removed when the run finishes.
WORK_DIR = ".awal-work"

#: What ``awal prepare --strict`` says for each skip code (``FILE:LINE: message``).
SKIP_MESSAGES = {
    "invalid_utf8": "invalid UTF-8",
    "nul_byte": "NUL byte in text",
    "too_long": "document longer than max_doc_bytes",
    "malformed_json": "malformed JSON line",
    "missing_text_field": "missing or non-string text field",
    "read_error": "read error",
}

#: The keys the map hands to the engine: Spark has no unsigned integers and may not take
#: fixed-size binary, so exact keys travel as binary and band keys as int64 (same bits).
KEYS_SCHEMA = pa.schema(
    [
        ("order", pa.int64()),
        ("exact_key", pa.binary()),
        ("band_keys", pa.list_(pa.int64())),
        ("info", pa.string()),
    ]
)

#: Columns of ``process(record=True)`` that the writer and ``account`` do not need: the text is
#: already inside ``record``.
_NOT_SPILLED = ("text", "id", "meta", "exact_key", "band_keys")


class AwalError(RuntimeError):
    """A run that cannot go on: the same messages as ``awal prepare`` (``FILE:LINE: ...``)."""


# --------------------------------------------------------------------------------------------
# Options: the flags of `awal prepare`, resolved into one config dict.


def parse_size(text: str) -> int:
    """``256M``, ``1G``, ``64K``, ``1000`` -> bytes (as the CLI reads sizes).

    >>> parse_size("256M")
    268435456
    """
    s = text.strip()
    mult = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}.get(s[-1:].lower(), 1)
    num = s[:-1] if mult > 1 else s
    try:
        n = int(num)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: `{s}` (try 256M)") from None
    if n <= 0:
        raise argparse.ArgumentTypeError("size must be > 0")
    return n * mult


def _comma_list(text: str) -> List[str]:
    return [s for s in text.split(",") if s]


def add_prepare_args(p: argparse.ArgumentParser) -> None:
    """The options of ``awal prepare`` that a distributed run honours (same names)."""
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="input files or folders (recursive, sorted)")
    p.add_argument("--out", "-o", required=True, help="output folder (seen by every worker)")
    p.add_argument("--config", help="an awal.toml; flags override it")
    p.add_argument("--text-field", help="JSONL field holding the text")
    p.add_argument("--doc-sep", choices=["line", "blank-line"], help="how .txt inputs are cut into documents")
    p.add_argument("--normalize", metavar="PROFILE", help="normalization profile (prepare, auto, ary, zgh, fra)")
    p.add_argument("--max-doc-bytes", type=parse_size, help="skip longer documents (e.g. 8M)")
    p.add_argument("--shard-size", type=parse_size, help="close shards after this many uncompressed bytes")
    p.add_argument("--compress", choices=["zst", "gz", "none"], help="shard compression")
    p.add_argument("--split", metavar="valid=F", help="hold out a validation split by text hash")
    p.add_argument("--langs", type=_comma_list, help="language allow-list, e.g. ary_Arab,ary_Latn")
    p.add_argument("--min-lang-score", type=float, help="minimum language score for the allow-list")
    p.add_argument("--lid", choices=["awal", "script"], default="awal", help="language identification")
    p.add_argument("--lid-model", help="a model from `awal lid train` instead of the embedded one")
    p.add_argument("--no-filter", action="store_true", help="turn the quality filters off")
    p.add_argument("--no-pii", action="store_true", help="turn PII redaction off")
    p.add_argument("--no-dedup", action="store_true", help="turn all deduplication off")
    p.add_argument("--no-near-dedup", action="store_true", help="keep exact dedup, no MinHash dedup")
    p.add_argument("--unify", type=_comma_list, metavar="LANG=SCRIPT", help="one script per language")
    p.add_argument("--unify-loans", action="store_true", help="with --unify ary=...: loanwords too")
    p.add_argument("--unify-model", help="with --unify: a Darija model from `awal translit train`")
    p.add_argument("--strict", action="store_true", help="stop at the first skipped line")
    p.add_argument("--overwrite", action="store_true", help="replace an earlier run's outputs in --out")
    p.add_argument("--quiet", "-q", action="store_true", help="no summary of skipped lines on stderr")


def config_from_args(args: argparse.Namespace) -> dict:
    """The resolved config of a run: the ``--config`` file (or the defaults) with the flags
    applied exactly as ``awal prepare`` applies them."""
    if args.unify and args.lid == "script":
        raise AwalError("--unify needs language labels: it does not work with --lid script")
    if args.config is not None and not os.path.isfile(args.config):
        raise AwalError(f"cannot read {args.config}: no such file")
    # The native side reads and validates the file; ``config`` is the full resolved dict.
    c = _awal.Pipeline(args.config, lid=args.lid, lid_model=args.lid_model).config
    c = json.loads(json.dumps(c))  # a deep copy that we may change
    if args.text_field is not None:
        c["source"]["text_field"] = args.text_field
    if args.doc_sep is not None:
        c["source"]["doc_sep"] = args.doc_sep
    if args.normalize is not None:
        c.setdefault("normalize", {})["profile"] = args.normalize
    if args.max_doc_bytes is not None:
        c["source"]["max_doc_bytes"] = args.max_doc_bytes
    if args.shard_size is not None:
        c["sink"]["shard_size"] = args.shard_size
    if args.compress is not None:
        c["sink"]["compress"] = args.compress
    if args.split is not None:
        if not args.split.startswith("valid="):
            raise AwalError("--split takes `valid=FRACTION`, e.g. valid=0.01")
        try:
            c["sink"]["valid_fraction"] = float(args.split[len("valid="):])
        except ValueError:
            raise AwalError(f"--split: not a number: {args.split[len('valid='):]}") from None
    if args.langs is not None:
        c["filter"]["langs"] = args.langs
    if args.min_lang_score is not None:
        c["filter"]["min_lang_score"] = args.min_lang_score
    if args.no_filter:
        c["filter"]["enabled"] = False
    if args.no_pii:
        c["pii"]["enabled"] = False
    if args.no_dedup:
        c["dedup"]["exact"] = False
        c["dedup"]["near"] = False
    if args.no_near_dedup:
        c["dedup"]["near"] = False
    if args.strict:
        c["strict"] = True
    if args.unify is not None:
        c["unify"]["targets"] = args.unify
    if args.unify_loans:
        c["unify"]["keep_loans"] = False
    if args.unify_model is not None:
        c["unify"]["model"] = args.unify_model
    if c["sink"].get("format", "jsonl") != "jsonl":
        # The engines write JSONL shards only; writing them anyway would ignore the config.
        raise AwalError("sink.format = \"parquet\": the Spark and Ray jobs write JSONL shards only (use `awal prepare --format parquet`)")
    return c


# --------------------------------------------------------------------------------------------
# The pipeline as workers build it.

_PIPELINES: Dict[str, "_awal.Pipeline"] = {}


@dataclass(frozen=True)
class Spec:
    """What a worker needs to build the run's pipeline: small and picklable (the native
    ``Pipeline`` is built once per worker process and cached)."""

    config: dict
    lid: str = "awal"
    lid_model: Optional[str] = None

    @staticmethod
    def of(config=None, lid: str = "awal", lid_model: Optional[str] = None) -> "Spec":
        """Resolves ``config`` (dict, path to an awal.toml, TOML text or None) once, on the
        driver, so that a bad key fails there and not in a task."""
        if lid not in ("awal", "script"):
            raise ValueError(f"lid must be 'awal' or 'script', not {lid!r}")
        resolved = _awal.Pipeline(config, lid=lid, lid_model=lid_model).config
        return Spec(json.loads(json.dumps(resolved)), lid, lid_model)

    def key(self) -> str:
        return json.dumps([self.config, self.lid, self.lid_model], sort_keys=True)

    def pipeline(self) -> "_awal.Pipeline":
        k = self.key()
        p = _PIPELINES.get(k)
        if p is None:
            p = _awal.Pipeline(self.config, lid=self.lid, lid_model=self.lid_model)
            _PIPELINES[k] = p
        return p

    @property
    def exact_on(self) -> bool:
        return bool(self.config["dedup"]["exact"])

    @property
    def near_on(self) -> bool:
        return bool(self.config["dedup"]["near"])

    @property
    def strict(self) -> bool:
        return bool(self.config.get("strict", False))

    @property
    def text_field(self) -> str:
        return self.config["source"]["text_field"]


# --------------------------------------------------------------------------------------------
# Arrow helpers.


def spark_safe_keys(batch: pa.RecordBatch) -> Tuple[pa.Array, pa.Array]:
    """``exact_key`` as binary and ``band_keys`` as list<int64> (the same 64 bits)."""
    exact = batch.column(batch.schema.get_field_index("exact_key"))
    bands = batch.column(batch.schema.get_field_index("band_keys"))
    exact = exact.cast(pa.binary())
    bands = bands.cast(pa.list_(pa.int64()), safe=False)
    return exact, bands


def spark_safe(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The output of ``Pipeline.process`` in types Spark takes (see :func:`spark_safe_keys`)."""
    if "exact_key" not in batch.schema.names:
        return batch
    exact, bands = spark_safe_keys(batch)
    cols = list(batch.columns)
    cols[batch.schema.get_field_index("exact_key")] = exact
    cols[batch.schema.get_field_index("band_keys")] = bands
    names = batch.schema.names
    return pa.RecordBatch.from_arrays(cols, names=names)


def explode_bands(keys: pa.Table) -> pa.Table:
    """``(order, band_keys)`` -> one ``(order, band)`` row per band key."""
    bands = keys.column("band_keys").combine_chunks()
    if len(bands) == 0:
        return pa.table({"order": pa.array([], pa.int64()), "band": pa.array([], pa.int64())})
    flat = pc.list_flatten(bands)
    parents = pc.list_parent_indices(bands)
    orders = pc.take(keys.column("order").combine_chunks(), parents)
    return pa.table({"order": orders, "band": flat})


def _leading_u64(keys: pa.Array) -> np.ndarray:
    """The first 8 bytes of each exact key as an integer (the keys are hashes already)."""
    head = pc.binary_slice(keys, 0, 8).cast(pa.binary(8))
    return np.frombuffer(head.buffers()[1], dtype=np.uint64)[head.offset : head.offset + len(head)]


def keyed_rows(keys: pa.Table, kind: str, buckets: int) -> pa.Table:
    """``(bucket, key, order)`` rows for a group-by: one per exact key (``kind="exact"``) or per
    LSH band key (``"near"``) of each candidate in ``keys`` ``(order, exact_key, band_keys)``.

    ``bucket`` depends on the key alone, so a group-by on it brings every copy of a key into
    one group, and with few buckets the engine shuffles small integers instead of grouping
    millions of keys itself: :func:`later_copies` decides inside each group in Arrow."""
    if kind == "exact":
        key = keys.column("exact_key").combine_chunks()
        order = keys.column("order").combine_chunks()
        bits = _leading_u64(key) if len(key) else np.zeros(0, np.uint64)
    else:
        exploded = explode_bands(keys)
        key, order = exploded.column("band").combine_chunks(), exploded.column("order").combine_chunks()
        bits = key.to_numpy(zero_copy_only=False).astype(np.int64).view(np.uint64)
    bucket = (bits % np.uint64(max(1, buckets))).astype(np.int64)
    return pa.table({"bucket": pa.array(bucket, pa.int64()), "key": key, "order": order})


def later_copies(rows: pa.Table, tag: str) -> pa.Table:
    """The decision inside one group of :func:`keyed_rows`: every order whose key was seen with
    a smaller order is a duplicate (``dedup = tag``). Rows sorted by key form one run per key;
    a row whose order is above its run's smallest is a later copy."""
    none = pa.table({"order": pa.array([], pa.int64()), "dedup": pa.array([], pa.string())})
    if rows.num_rows < 2:
        return none
    key = rows.column("key").combine_chunks()
    order = rows.column("order").to_numpy()
    if pa.types.is_integer(key.type):
        # numpy sorts plain integers about three times faster than an Arrow sort on two keys
        idx = np.argsort(key.to_numpy(), kind="quicksort")
        sorted_key = key.to_numpy()[idx]
        new_run = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    else:
        idx = pc.sort_indices(key).to_numpy()
        sorted_key = pc.take(key, pa.array(idx))
        same = pc.equal(sorted_key.slice(1), sorted_key.slice(0, len(sorted_key) - 1))
        new_run = np.r_[True, ~same.to_numpy(zero_copy_only=False)]
    sorted_order = order[idx]
    starts = np.flatnonzero(new_run)
    firsts = np.minimum.reduceat(sorted_order, starts)
    run_of_row = np.cumsum(new_run) - 1
    dup = np.unique(sorted_order[sorted_order > firsts[run_of_row]])
    if len(dup) == 0:
        return none
    return pa.table({"order": pa.array(dup, pa.int64()), "dedup": pa.array([tag] * len(dup), pa.string())})


def merge_duplicates(tables: Sequence[pa.Table]) -> pa.Table:
    """One row per duplicate ``order``; ``exact`` wins over ``near`` (as in the CLI)."""
    tables = [t.select(["order", "dedup"]) for t in tables if t.num_rows]
    if not tables:
        return pa.table({"order": pa.array([], pa.int64()), "dedup": pa.array([], pa.string())})
    t = pa.concat_tables(tables).group_by("order").aggregate([("dedup", "min")])
    return pa.table({"order": t.column("order"), "dedup": t.column("dedup_min")}).sort_by("order")


def mark_duplicates(orders: pa.Array, dup_orders: np.ndarray, dup_tags: np.ndarray) -> pa.Array:
    """The ``dedup`` column of a batch from the sorted duplicate orders (and their tags)."""
    o = np.asarray(orders.to_numpy(zero_copy_only=False), dtype=np.int64)
    if len(dup_orders) == 0 or len(o) == 0:
        return pa.nulls(len(o), pa.string())
    pos = np.searchsorted(dup_orders, o)
    pos_c = np.minimum(pos, len(dup_orders) - 1)
    hit = dup_orders[pos_c] == o
    tags = np.where(hit, dup_tags[pos_c], None)
    return pa.array(tags.tolist(), pa.string())


# --------------------------------------------------------------------------------------------
# Stage 1: the map.


def to_ipc(table: pa.Table) -> bytes:
    """A table as Arrow IPC stream bytes: how the Spark job moves many small rows as one."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    return sink.getvalue().to_pybytes()


def from_ipc(blobs: Iterable[bytes]) -> Optional[pa.Table]:
    """The tables of :func:`to_ipc` blobs, concatenated (None when there is none)."""
    tables = [pa.ipc.open_stream(b).read_all() for b in blobs if b]
    return pa.concat_tables(tables) if tables else None


def split_by(table: pa.Table, column: str) -> Iterator[Tuple[int, pa.Table]]:
    """``(value, rows)`` for each value of an integer column, in ascending order."""
    if table.num_rows == 0:
        return
    table = table.take(pc.sort_indices(table.column(column)))
    values = table.column(column).to_numpy()
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    ends = np.r_[starts[1:], len(values)]
    for a, b in zip(starts, ends):
        yield int(values[a]), table.slice(int(a), int(b - a))


def use_task_cpus(cpus: float) -> None:
    """Sizes awal's thread pool in an engine worker to the CPUs the engine gave its task.

    The engines run one task per CPU slot; a worker whose pool had a thread per core as well
    would run cores x cores threads that spin waiting for each other (about a fifth more CPU
    per MB on 2 cores, benches/dist). Takes effect before the worker's first awal call;
    ``RAYON_NUM_THREADS`` set by the user wins."""
    os.environ.setdefault("RAYON_NUM_THREADS", str(max(1, int(cpus))))


def _work_path(out: str, file_index: int) -> str:
    return os.path.join(out, WORK_DIR, f"part-{file_index:06d}.arrow")


def map_file(spec: Spec, path: str, file_index: int, out: str) -> Iterator[pa.RecordBatch]:
    """Reads and processes one input; spills the processed rows; yields the dedup keys of the
    documents that passed the filters (:data:`KEYS_SCHEMA`), then one row whose ``info`` holds
    the input's summary, its first source skip and its row count (JSON)."""
    p = spec.pipeline()
    summary = _awal.input_summary(path)
    first_skip = None
    rows = 0
    final = _work_path(out, file_index)
    tmp = final + f".{os.getpid()}.tmp"
    os.makedirs(os.path.dirname(final), exist_ok=True)
    writer = None
    try:
        for raw in p.read(path, file_index):
            if raw.num_rows == 0:
                continue
            batch = p.process(raw, record=True)
            rows += batch.num_rows
            if first_skip is None:
                skips = batch.column(batch.schema.get_field_index("skip_reason"))
                if skips.null_count < len(skips):
                    i = pc.index(pc.is_valid(skips), True).as_py()
                    first_skip = {
                        "order": batch.column(batch.schema.get_field_index("order"))[i].as_py(),
                        "reason": skips[i].as_py(),
                        "location": batch.column(batch.schema.get_field_index("skip_location"))[i].as_py(),
                    }
            spill = batch.drop_columns([c for c in _NOT_SPILLED if c in batch.schema.names])
            if writer is None:
                writer = pa.ipc.new_file(tmp, spill.schema)
            writer.write_batch(spill)
            passed = pc.is_null(batch.column(batch.schema.get_field_index("drop_reason")))
            cand = batch.filter(passed)
            if cand.num_rows:
                exact, bands = spark_safe_keys(cand)
                yield pa.RecordBatch.from_arrays(
                    [cand.column(cand.schema.get_field_index("order")), exact, bands, pa.nulls(cand.num_rows, pa.string())],
                    schema=KEYS_SCHEMA,
                )
        if writer is not None:
            writer.close()
            writer = None
            os.replace(tmp, final)
    finally:
        if writer is not None:
            writer.close()
        if os.path.exists(tmp):
            os.remove(tmp)
    info = {"file_index": file_index, "input": summary, "first_skip": first_skip, "rows": rows}
    yield pa.RecordBatch.from_arrays(
        [pa.array([file_index << ORDER_SHIFT], pa.int64()), pa.nulls(1, pa.binary()),
         pa.nulls(1, pa.list_(pa.int64())), pa.array([json.dumps(info)], pa.string())],
        schema=KEYS_SCHEMA,
    )


#: Rows of :func:`map_file_blobs`: a bucket's keys as one Arrow IPC blob, or (``kind`` null)
#: an input's summary in ``info``.
BLOBS_SCHEMA = pa.schema(
    [("kind", pa.string()), ("bucket", pa.int64()), ("blob", pa.binary()), ("info", pa.string())]
)
#: Key rows a map task holds before it hands them on as blobs (about 24 bytes each).
_FLUSH_ROWS = 1 << 20


def decision_buckets(paths: Sequence[str], parallelism: int) -> int:
    """How many groups a job's decision has: two per task slot, and more for big inputs (one
    per 128 MiB read, at most 4096), so that one group's keys stay small in memory."""
    total = sum(os.path.getsize(p) for p in paths if os.path.isfile(p))
    return int(min(4096, max(2 * parallelism, -(-total // (128 << 20)))))


def _blob_row(kind, bucket, blob, info) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays(
        [pa.array([kind], pa.string()), pa.array([bucket], pa.int64()), pa.array([blob], pa.binary()),
         pa.array([info], pa.string())],
        schema=BLOBS_SCHEMA,
    )


def _bucket_blobs(spec: "Spec", keys: List[pa.RecordBatch], buckets: int) -> Iterator[pa.RecordBatch]:
    t = pa.Table.from_batches(keys, schema=KEYS_SCHEMA)
    for kind, on in (("exact", spec.exact_on), ("near", spec.near_on)):
        if on:
            for bucket, part in split_by(keyed_rows(t, kind, buckets), "bucket"):
                yield _blob_row(kind, bucket, to_ipc(part.select(["key", "order"])), None)


def map_file_blobs(spec: "Spec", path: str, file_index: int, out: str, buckets: int) -> Iterator[pa.RecordBatch]:
    """:func:`map_file` for the jobs: the keys leave the task as one row per (kind of key,
    bucket) holding that bucket's ``(key, order)`` rows as an Arrow IPC blob
    (:data:`BLOBS_SCHEMA`), so the engine shuffles a few rows per task instead of one per
    band key; the input's summary comes last, in ``info``."""
    pending, rows = [], 0
    for k in map_file(spec, path, file_index, out):
        info = k.column(k.schema.get_field_index("info"))
        if info.null_count < len(info):
            yield from _bucket_blobs(spec, pending, buckets)
            pending, rows = [], 0
            yield _blob_row(None, None, None, info[0].as_py())
            continue
        pending.append(k)
        rows += k.num_rows
        if rows >= _FLUSH_ROWS:
            yield from _bucket_blobs(spec, pending, buckets)
            pending, rows = [], 0


def decide_bucket(kind: str, blobs: pa.Table) -> pa.Table:
    """The decision for one (kind, bucket) group of :func:`map_file_blobs` rows: its duplicates
    (:func:`later_copies`), as one ``(file_index, blob)`` row per input file."""
    rows = from_ipc(blobs.column("blob").to_pylist())
    files, out = [], []
    if rows is not None:
        dups = later_copies(rows, kind)
        dups = dups.append_column("file_index", pc.shift_right(dups.column("order"), ORDER_SHIFT))
        for f, part in split_by(dups, "file_index"):
            files.append(f)
            out.append(to_ipc(part.select(["order", "dedup"])))
    return pa.table({"file_index": pa.array(files, pa.int64()), "blob": pa.array(out, pa.binary())})


def check_strict(spec: Spec, infos: Sequence[dict]) -> None:
    """Under ``strict``, the first skipped line in input order stops the run, with the CLI's
    ``FILE:LINE: reason`` message."""
    if not spec.strict:
        return
    skips = [i["first_skip"] for i in infos if i.get("first_skip")]
    if skips:
        s = min(skips, key=lambda s: s["order"])
        raise AwalError(f"{s['location']}: {SKIP_MESSAGES.get(s['reason'], s['reason'])}")


# --------------------------------------------------------------------------------------------
# Stage 3: marking, shards, partial counts.


def shard_name(order: int, compress: str) -> str:
    """``shard-FFFFFF-IIIIIIIIIIIII.jsonl.zst``: the file index and item index of the first
    record, so that names sort in input order and a retried task writes the same name."""
    suffix = {"zst": ".jsonl.zst", "gz": ".jsonl.gz", "none": ".jsonl"}[compress]
    return f"shard-{order >> ORDER_SHIFT:06d}-{order & ((1 << ORDER_SHIFT) - 1):013d}{suffix}"


class _ShardWriter:
    """Accumulates the kept records of one split and writes a shard every ``shard_size``
    uncompressed bytes."""

    def __init__(self, out: str, split: str, folder: str, compress: str, shard_size: int):
        self.out, self.split, self.folder = out, split, folder
        self.compress, self.shard_size = compress, shard_size
        self.chunks: List[pa.Array] = []
        self.first: Optional[int] = None
        self.bytes = 0
        self.outputs: List[dict] = []

    def add(self, records: pa.Array, orders: pa.Array) -> None:
        if len(records) == 0:
            return
        if self.first is None:
            self.first = int(orders[0].as_py())
        self.chunks.append(records)
        self.bytes += int(pc.sum(pc.binary_length(records)).as_py() or 0) + len(records)
        if self.bytes >= self.shard_size:
            self.flush()

    def flush(self) -> None:
        if not self.chunks:
            return
        rel = self.folder + shard_name(self.first, self.compress)
        os.makedirs(os.path.dirname(os.path.join(self.out, rel)), exist_ok=True)
        records = pa.concat_arrays(self.chunks) if len(self.chunks) > 1 else self.chunks[0]
        self.outputs.append(dict(_awal.write_shard(self.out, rel, records, self.compress, self.split)))
        self.chunks, self.first, self.bytes = [], None, 0


def write_file(spec: Spec, file_index: int, dup_orders: np.ndarray, dup_tags: np.ndarray, out: str) -> str:
    """Stage 3 for one input: returns ``{"file_index", "part", "outputs"}`` as JSON."""
    p = spec.pipeline()
    order_idx = np.argsort(dup_orders, kind="stable")
    dup_orders = np.asarray(dup_orders, dtype=np.int64)[order_idx]
    dup_tags = np.asarray(dup_tags, dtype=object)[order_idx]
    sink = spec.config["sink"]
    compress, shard_size = sink["compress"], int(sink["shard_size"])
    split_of = {"train": ""}
    if float(sink.get("valid_fraction", 0.0)) > 0.0:
        split_of = {"train": "train/", "valid": "valid/"}
    writers = {name: _ShardWriter(out, name, folder, compress, shard_size) for name, folder in split_of.items()}
    parts: List[str] = []
    path = _work_path(out, file_index)
    if os.path.exists(path):
        with pa.memory_map(path) as source:
            reader = pa.ipc.open_file(source)
            for i in range(reader.num_record_batches):
                batch = reader.get_batch(i)
                dedup = mark_duplicates(batch.column(batch.schema.get_field_index("order")), dup_orders, dup_tags)
                passed = pc.is_null(batch.column(batch.schema.get_field_index("drop_reason")))
                dedup = pc.if_else(passed, dedup, pa.nulls(len(dedup), pa.string()))
                batch = batch.append_column("dedup", dedup)
                parts.append(p.account(batch))
                kept = pc.and_(passed, pc.is_null(dedup))
                if len(writers) == 1:
                    masks = {"train": kept}
                else:
                    split = batch.column(batch.schema.get_field_index("split"))
                    masks = {name: pc.and_(kept, pc.equal(split, name)) for name in writers}
                for name, mask in masks.items():
                    sel = batch.filter(mask)
                    if sel.num_rows:
                        writers[name].add(
                            sel.column(sel.schema.get_field_index("record")),
                            sel.column(sel.schema.get_field_index("order")),
                        )
    outputs: List[dict] = []
    for w in writers.values():
        w.flush()
        outputs.extend(w.outputs)
    return json.dumps({"file_index": file_index, "parts": parts, "outputs": outputs})


def write_file_blobs(spec: Spec, file_index: int, blobs: Sequence[bytes], out: str) -> str:
    """:func:`write_file` with the duplicates of the file as :func:`decide_bucket` blobs."""
    d = merge_duplicates([t for t in [from_ipc(blobs)] if t is not None])
    tags = np.asarray(d.column("dedup").to_pylist(), dtype=object)
    return write_file(spec, file_index, d.column("order").to_numpy(), tags, out)


# --------------------------------------------------------------------------------------------
# The output folder and the driver's last step.


def _ours(name: str, top: bool) -> bool:
    return name.startswith("shard-") or (name.startswith(".") and name.endswith(".tmp")) or (
        top and name in ("manifest.json", "report.md")
    )


def prepare_out(out: str, overwrite: bool) -> None:
    """The CLI's rules: ``--out`` is created; if it holds anything, the run needs
    ``--overwrite``, which removes the outputs of an earlier run (shards, manifest, report,
    temp files) and nothing else."""
    if os.path.exists(out) and not os.path.isdir(out):
        raise AwalError(f"{out}: exists and is not a folder")
    os.makedirs(out, exist_ok=True)
    if os.listdir(out):
        if not overwrite:
            raise AwalError(f"{out}: output folder is not empty (use --overwrite)")
        for sub in ("", "train", "valid"):
            d = os.path.join(out, sub)
            if not os.path.isdir(d):
                continue
            for name in os.listdir(d):
                full = os.path.join(d, name)
                if _ours(name, sub == "") and os.path.isfile(full):
                    os.remove(full)
        shutil.rmtree(os.path.join(out, WORK_DIR), ignore_errors=True)


def write_atomic(path: str, text: str) -> None:
    """A hidden temp file in the same folder, fsync, then rename: readers never see half a file."""
    d, name = os.path.split(path)
    tmp = os.path.join(d, f".{name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def finish(spec: Spec, out: str, infos: Sequence[dict], results: Sequence[dict]) -> Tuple[str, str]:
    """Merges the partial counts in input order, writes manifest.json and report.md, removes
    the spill; returns (manifest text, report text)."""
    infos = sorted(infos, key=lambda i: i["file_index"])
    results = sorted(results, key=lambda r: r["file_index"])
    parts = [part for r in results for part in r["parts"]]
    outputs = sorted((o for r in results for o in r["outputs"]), key=lambda o: (o["split"] != "train", o["path"]))
    inputs = [i["input"] for i in infos]
    manifest, report = spec.pipeline().manifest(parts, inputs, outputs)
    write_atomic(os.path.join(out, "manifest.json"), manifest)
    write_atomic(os.path.join(out, "report.md"), report)
    shutil.rmtree(os.path.join(out, WORK_DIR), ignore_errors=True)
    return manifest, report


def expand(inputs: Sequence[str]) -> List[str]:
    """Input paths as the CLI expands them (folders walked, sorted; stdin is not an input of a
    distributed run). What the walk passes over (files that are not data, hidden names,
    folder loops) is named on stderr, as by the CLI, even when quiet."""
    paths, notes = _awal.expand_inputs([os.fspath(i) for i in inputs])
    for note in notes:  # files, hidden names and folder loops the walk passed over
        print(f"awal: {note}", file=sys.stderr)
    if len(paths) >= 1 << (63 - ORDER_SHIFT):
        raise AwalError(f"too many input files ({len(paths)})")
    return list(paths)


def infos_from_keys(rows: Iterable[Optional[str]]) -> List[dict]:
    """The per-file ``info`` rows of :func:`map_file`, decoded."""
    return [json.loads(r) for r in rows if r is not None]


def cli(prog: str, description: str, add_engine_args, run) -> "Callable[[Optional[List[str]]], int]":
    """The ``main`` of ``python -m awal.<engine>``: ``prepare`` with the options of ``awal
    prepare`` plus the engine's own (``add_engine_args(parser)``); ``run(args, spec)`` starts
    the engine, runs the job and stops the engine, returning ``(manifest, report)``. Errors are
    one line on stderr and exit status 1, as with the CLI."""

    def main(argv: Optional[List[str]] = None) -> int:
        ap = argparse.ArgumentParser(prog=prog, description=description)
        sub = ap.add_subparsers(dest="command", required=True)
        p = sub.add_parser("prepare", help=f"awal prepare on {prog.split('.')[-1].capitalize()}")
        add_prepare_args(p)
        add_engine_args(p)
        args = ap.parse_args(argv)
        try:
            spec = Spec(config_from_args(args), args.lid, args.lid_model)
            manifest, report = run(args, spec)
        except (AwalError, ValueError, OSError) as e:
            print(f"awal: {e}", file=sys.stderr)
            return 1
        print_report(manifest, report, args.out, args.quiet)
        return 0

    return main


def print_report(manifest: str, report: str, out: str, quiet: bool) -> None:
    """What ``awal prepare`` prints: the report on stdout, and (unless quiet) a line on stderr
    when lines were skipped."""
    print(report, end="")
    if quiet:
        return
    skipped = json.loads(manifest)["stages"][0]["dropped"]
    if skipped:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(skipped.items()))
        print(
            f"awal: skipped {sum(skipped.values())} unreadable line(s) ({reasons}); locations in"
            f" {out}/manifest.json (--strict makes them errors)",
            file=sys.stderr,
        )


__all__ = [
    "AwalError",
    "KEYS_SCHEMA",
    "ORDER_SHIFT",
    "Spec",
    "add_prepare_args",
    "check_strict",
    "cli",
    "config_from_args",
    "expand",
    "explode_bands",
    "keyed_rows",
    "later_copies",
    "finish",
    "map_file",
    "mark_duplicates",
    "merge_duplicates",
    "prepare_out",
    "write_atomic",
    "BLOBS_SCHEMA",
    "decide_bucket",
    "decision_buckets",
    "from_ipc",
    "map_file_blobs",
    "split_by",
    "to_ipc",
    "use_task_cpus",
    "write_file",
    "write_file_blobs",
]
