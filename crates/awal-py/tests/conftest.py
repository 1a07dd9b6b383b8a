"""Shared fixtures: one Spark session and one Ray instance per test session (starting either
takes seconds), the CLI binary, and a generated corpus with planted duplicates."""

import base64
import collections
import gzip
import json
import os
import random
import subprocess
import sys

import pyarrow as pa
import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SAMPLE = os.path.join(ROOT, "corpora", "sample")


@pytest.fixture(scope="session")
def awal_bin():
    """`awal` built by cargo (`AWAL_BIN`, else target/release/awal). CI builds it before pytest;
    a developer without a release build is told how to get one."""
    path = os.environ.get("AWAL_BIN") or os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "awal"
    )
    path = os.path.abspath(path)
    if not os.path.exists(path):
        msg = f"{path} not found: run `cargo build --release -p awal-cli` or set AWAL_BIN"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return path


@pytest.fixture(scope="session")
def spark():
    from awal.spark import session

    s = session("local[2]", "awal-tests", {"spark.sql.shuffle.partitions": "4"})
    yield s
    s.stop()


@pytest.fixture(scope="session")
def ray_session():
    import ray

    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        object_store_memory=512 * 1024 * 1024,
        logging_level="WARNING",
    )
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    yield ray
    ray.shutdown()


def run_cli(awal_bin, inputs, out, *flags, cwd=None, check=True):
    cmd = [awal_bin, "prepare", *inputs, "--out", out, "--quiet", *flags]
    res = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if check and res.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed:\n{res.stderr}")
    return res


def shard_lines(out):
    """Every record line of every shard of a run, split by split, shards in name order (both
    the CLI's and the engines' names sort in input order)."""
    splits = {}
    for sub in ("", "train", "valid"):
        d = os.path.join(out, sub)
        if not os.path.isdir(d):
            continue
        names = sorted(n for n in os.listdir(d) if n.startswith("shard-"))
        lines = []
        for n in names:
            lines.extend(read_lines(os.path.join(d, n)))
        if names:
            splits[sub or "train"] = lines
    return splits


def read_lines(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    elif raw[:4] == b"\x28\xb5\x2f\xfd":
        raw = pa.input_stream(pa.py_buffer(raw), compression="zstd").read()
    text = raw.decode("utf-8")
    return [l for l in text.split("\n") if l]


def kept_docs(out):
    """The multiset the issue asks to compare: (source, text, lang) of each kept record."""
    docs = []
    for lines in shard_lines(out).values():
        for l in lines:
            r = json.loads(l)
            docs.append((r["source"], r["text"], r["lang"]))
    return sorted(docs)


def manifest(out):
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)


#: Manifest fields that must be identical between the CLI and an engine (all but the
#: shard list, whose names differ).
COMPARED = (
    "tool",
    "version",
    "detector",
    "config",
    "inputs",
    "balance",
    "stages",
    "boilerplate_lines_removed",
    "redacted_docs",
    "pii",
    "unified",
    "languages",
    "scripts",
    "splits",
    "skip_examples",
)


def assert_same_run(cli_out, engine_out, name):
    a, b = manifest(cli_out), manifest(engine_out)
    for k in COMPARED:
        assert a.get(k) == b.get(k), f"{name}: manifest[{k!r}] differs:\nCLI    {a.get(k)}\n{name:6} {b.get(k)}"
    assert kept_docs(cli_out) == kept_docs(engine_out), f"{name}: kept (source, text, lang) differ"
    # Stronger: the same record bytes in the same order, split by split.
    assert shard_lines(cli_out) == shard_lines(engine_out), f"{name}: record lines differ"
    # The outputs listed are the shards on disk, records summing to the kept count.
    recs = sum(o["records"] for o in b["outputs"])
    assert recs == b["balance"]["kept"]
    for o in b["outputs"]:
        assert os.path.getsize(os.path.join(engine_out, o["path"])) == o["bytes"]


# --------------------------------------------------------------------------------------------
# The generated corpus.


def _sentences():
    lid = os.path.join(ROOT, "corpora", "lid")
    pools = []
    for name in sorted(os.listdir(lid)):
        if name.endswith(".txt"):
            with open(os.path.join(lid, name), encoding="utf-8") as f:
                pools.append([l.strip() for l in f if l.strip()])
    return pools


def make_corpus(root, seed=10):
    """Writes a small corpus of several files (.txt, .jsonl, .jsonl.gz, .txt.zst, a sub-folder)
    with planted exact duplicates (same text, other case and punctuation), near duplicates (a
    long document with one word changed), duplicates across files, short documents, PII, and bad
    lines (invalid UTF-8, NUL byte, malformed JSON, missing text field). Deterministic."""
    rng = random.Random(seed)
    pools = _sentences()
    docs = []
    for _ in range(260):
        pool = rng.choice(pools)
        docs.append(" ".join(rng.choice(pool) for _ in range(rng.randrange(2, 9))))
    # Planted duplicates, appended so that some land in later files than their original.
    planted = []
    for i in range(40):
        d = docs[rng.randrange(len(docs))]
        if i % 2 == 0:
            planted.append(d.upper() + " !!" if d.isascii() else d + " ...")
        else:
            words = d.split()
            if len(words) > 12:
                words[-2] = words[-2] + "x"
            planted.append(" ".join(words))
    pii = [
        "3iyet liya 3la 0612345678 lbare7 f lil, ila bghiti tsowelni sifet liya email f amine.b@example.ma",
        "Pour toute information contactez-nous au +212612345678 ou par mail contact@example.ma merci",
    ]
    short = ["ok", "salam", "hhhhh", "👍👍👍"]
    pool = docs + planted + pii * 3 + short * 3
    rng.shuffle(pool)
    parts = [pool[i::5] for i in range(5)]
    os.makedirs(os.path.join(root, "sub"), exist_ok=True)

    with open(os.path.join(root, "a.txt"), "wb") as f:
        for i, d in enumerate(parts[0]):
            f.write(d.encode() + b"\n")
            if i == 7:
                f.write(b"bad \xff\xfe utf-8 line here for sure\n")
            if i == 11:
                f.write(b"nul \x00 byte line in the text here\n")

    def jsonl(docs, extra=True):
        out = []
        for i, d in enumerate(docs):
            o = {"id": f"doc-{rng.randrange(10**6)}", "text": d}
            if extra:
                o["url"] = f"https://example.ma/{i}"
            out.append(json.dumps(o, ensure_ascii=False))
            if i == 5:
                out.append("{not json at all")
            if i == 9:
                out.append(json.dumps({"body": "no text field here"}))
        return ("\n".join(out) + "\n").encode()

    with open(os.path.join(root, "b.jsonl"), "wb") as f:
        f.write(jsonl(parts[1]))
    with open(os.path.join(root, "c.jsonl.gz"), "wb") as f:
        f.write(gzip.compress(jsonl(parts[2], extra=False), mtime=0))
    with pa.output_stream(os.path.join(root, "sub", "d.txt.zst"), compression="zstd") as f:
        f.write(("\n".join(parts[3]) + "\n").encode())
    with open(os.path.join(root, "sub", "e.txt"), "wb") as f:
        f.write(("\n".join(parts[4]) + "\n").encode())
    with open(os.path.join(root, "README.md"), "w") as f:
        f.write("not data: a folder walk skips it\n")
    return root


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    return make_corpus(str(tmp_path_factory.mktemp("gen")))


def python_env():
    """Environment for `python -m awal.*` subprocesses (this interpreter, this package)."""
    env = dict(os.environ)
    env.setdefault("PYSPARK_PYTHON", sys.executable)
    return env


def reference_decision(rows, exact=True, near=True):
    """The dedup definition, walked in order with two sets, as one process does it:
    ``rows`` are ``(order, exact_key, band_keys)``; returns ``{order: None|"exact"|"near"}``."""
    seen_exact, seen_band, out = set(), set(), {}
    for order, key, bands in sorted(rows, key=lambda r: r[0]):
        is_exact = exact and key in seen_exact
        is_near = near and any(b in seen_band for b in bands)
        seen_exact.add(key)
        seen_band.update(bands)
        out[order] = "exact" if is_exact else "near" if is_near else None
    return out


def random_keys(seed, n=400):
    """Keys from small key spaces, so that exact and band collisions (and chains) are common;
    orders spread over several files."""
    rng = random.Random(seed)
    rows = []
    orders = rng.sample(range(5 * n), n)
    for o in orders:
        order = (o % 5) << 40 | o
        key = rng.randrange(400).to_bytes(2, "little") * 8
        bands = sorted(set(rng.randrange(-(2**63), 2**63) if rng.random() < 0.8 else rng.randrange(300) for _ in range(3)))
        rows.append((order, key, bands))
    # An exact duplicate always shares its band keys (both come from the same text).
    by_key = {}
    for r in sorted(rows):
        by_key.setdefault(r[1], r[2])
    return [(o, k, by_key[k]) for o, k, _ in rows]


# Tekken's own pre-tokenizer regex (config.pattern of Mistral's tekken.json files).
TEKKEN_PATTERN = (
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+"
    r"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*"
    r"|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)


def toy_tekken(texts, merges, num_special):
    """A tekken.json document (version v3, so mistral-common fills in its default special
    tokens) trained here, no download: byte-level BPE in tiktoken's form over the pieces of
    Tekken's own pre-tokenizer — 256 single bytes, then each merge's bytes, ranked in the
    order learned (rank order is merge order, as tiktoken encoding assumes). Ties go to the
    larger pair, so the vocabulary is deterministic."""
    import regex  # a dependency of transformers and mistral-common

    words = collections.Counter()
    for t in texts:
        for piece in regex.findall(TEKKEN_PATTERN, t):
            words[tuple(bytes([b]) for b in piece.encode("utf-8"))] += 1
    vocab = [bytes([b]) for b in range(256)]
    known = set(vocab)
    for _ in range(merges):
        pairs = collections.Counter()
        for w, n in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += n
        candidates = [(n, p) for p, n in pairs.items() if p[0] + p[1] not in known]
        if not candidates:
            break
        _, (a, b) = max(candidates)
        vocab.append(a + b)
        known.add(a + b)
        merged = collections.Counter()
        for w, n in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and w[i] == a and w[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] += n
        words = merged
    return {
        "config": {
            "pattern": TEKKEN_PATTERN,
            "num_vocab_tokens": len(vocab),
            "default_vocab_size": len(vocab) + num_special,
            "default_num_special_tokens": num_special,
            "version": "v3",
        },
        "vocab": [
            {
                "rank": r,
                "token_bytes": base64.b64encode(b).decode(),
                "token_str": b.decode("utf-8") if _is_utf8(b) else None,
            }
            for r, b in enumerate(vocab)
        ],
    }


def _is_utf8(b):
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False
