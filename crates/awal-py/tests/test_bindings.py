"""The batch functions: the same answers as the `awal` line commands, list and Arrow alike,
nulls kept, clear exceptions for bad input, and the GIL released while they run."""

import json
import os
import subprocess
import sys
import threading

import pyarrow as pa
import pytest

import awal

from conftest import SAMPLE

#: Lines in every script and language, with PII, tatweel, invisible characters, emoji.
LINES = [
    "salam khoya, labas 3lik? ghadi nmchi l dar db",
    "السلام عليكم، واش نتا مزيان؟ غادي نمشي للدار",
    "ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ, ⵎⴰⵏⵉⴽ ⴰⵏⴰⵡⴰⵏ?",
    "azul fellawen, manik ad tgam? tamaziɣt n lmɣrib",
    "Bonjour à tous, la réunion est reportée à demain matin.",
    "CIN BK654321, tel +212 6 12-34-56-78, mail ali@example.ma",
    "كتـــاب\u200b جميل  😀 ",
    "",
]


def sample_lines(n=300):
    with open(os.path.join(SAMPLE, "social.txt"), encoding="utf-8", errors="replace") as f:
        return [line.rstrip("\n") for _, line in zip(range(n), f)]


def cli(awal_bin, args, lines):
    res = subprocess.run(
        [awal_bin, *args], input="\n".join(lines) + "\n", capture_output=True, text=True, check=True
    )
    return res.stdout.splitlines()


@pytest.fixture(scope="module")
def lines():
    return LINES + sample_lines()


def test_detect_equals_the_cli(awal_bin, lines):
    got = awal.detect(lines)
    want = [json.loads(l) for l in cli(awal_bin, ["detect"], lines)]
    assert [g[0] for g in got] == [w["lang"] for w in want]
    assert [g[1] for g in got] == pytest.approx([w["score"] for w in want], abs=1e-4)


def test_embedded_models_answer_like_models_trained_at_start_up(lines):
    """The wheel embeds the Darija and LID models its build script compiled; with
    AWAL_TRAIN_MODELS set a process trains them on first use instead. Same answers."""
    script = (
        "import json, sys, awal\n"
        "lines = json.load(sys.stdin)\n"
        "print(json.dumps([awal.detect(lines), awal.translit(lines, 'ary-latn', 'ary-arab')]))\n"
    )
    def run(**env):
        res = subprocess.run(
            [sys.executable, "-c", script], input=json.dumps(lines), capture_output=True,
            text=True, check=True, env={**os.environ, **env},
        )
        return json.loads(res.stdout)
    embedded = run()
    trained = run(AWAL_TRAIN_MODELS="1")
    assert embedded == trained
    assert [d[0] for d in embedded[0]] == [d[0] for d in awal.detect(lines)]


@pytest.mark.parametrize(
    "src,dst",
    [("zgh-tfng", "zgh-latn"), ("zgh-latn", "zgh-tfng"), ("zgh-tfng", "zgh-arab"), ("ary-latn", "ary-arab"), ("ary-arab", "ary-latn")],
)
def test_translit_equals_the_cli(awal_bin, lines, src, dst):
    assert awal.translit(lines, src, dst) == cli(awal_bin, ["translit", "--from", src, "--to", dst], lines)


def test_redact_normalize_scripts_equal_the_cli(awal_bin, lines):
    texts, counts = awal.redact(lines)
    assert texts == cli(awal_bin, ["redact"], lines)
    assert counts["CIN"] >= 1 and counts["PHONE"] >= 1 and counts["EMAIL"] >= 1
    for profile in ("auto", "ary"):
        assert awal.normalize(lines, profile) == cli(awal_bin, ["normalize", "--profile", profile], lines)
    want = [json.loads(l) for l in cli(awal_bin, ["scripts"], lines)]
    got = awal.scripts(lines)
    assert [g["dominant"] for g in got] == [w["dominant"] for w in want]
    assert [[list(s) for s in g["spans"]] for g in got] == [
        [[s["script"], s["start"], s["end"]] for s in w["spans"]] for w in want
    ]


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string(), pa.string_view()])
def test_arrow_in_arrow_out_with_nulls(lines, kind):
    with_nulls = lines[:20] + [None] + lines[20:40]
    arr = pa.array(with_nulls, type=kind)
    out = awal.translit(arr, "ary-latn", "ary-arab")
    assert isinstance(out, pa.Array)
    assert out.to_pylist() == awal.translit(with_nulls, "ary-latn", "ary-arab")
    assert out.null_count == 1 and out[20].as_py() is None
    det = awal.detect(arr)
    assert det.field("lang").to_pylist()[20] is None
    assert [tuple(d.values()) if d else None for d in det.to_pylist()] == awal.detect(with_nulls)
    red, counts = awal.redact(arr)
    assert red.to_pylist() == awal.redact(with_nulls)[0]
    sc = awal.scripts(arr).to_pylist()
    assert sc[20] is None and sc[0]["dominant"] == awal.scripts(with_nulls)[0]["dominant"]


def test_chunked_arrays_keep_their_chunks(lines):
    arr = pa.chunked_array([lines[:10], lines[10:30], []], type=pa.string())
    out = awal.normalize(arr)
    assert isinstance(out, pa.ChunkedArray) and out.num_chunks == 3
    assert out.to_pylist() == awal.normalize(lines[:30])
    texts, counts = awal.redact(arr)
    assert (texts.to_pylist(), counts) == awal.redact(lines[:30])


@pytest.mark.parametrize(
    "call,exc,message",
    [
        (lambda: awal.detect("salam"), TypeError, "not one str"),
        (lambda: awal.detect([1]), TypeError, r"texts\[0\]"),
        (lambda: awal.detect(pa.array([1, 2])), TypeError, "string array"),
        (lambda: awal.detect(42), TypeError, "got int"),
        (lambda: awal.translit(["a"], "zgh-tfng", "klingon"), ValueError, "klingon"),
        (lambda: awal.translit(["a"], "ary-latn", "zgh-tfng"), ValueError, "ary"),
        (lambda: awal.translit(["a"], "ary-latn", "ary-arab", model="/nonexistent/m.json"), OSError, "/nonexistent"),
        (lambda: awal.detect(["a"], model="/nonexistent/lid.json"), OSError, "/nonexistent"),
        (lambda: awal.normalize(["a"], "nope"), ValueError, "nope"),
        (lambda: awal.Pipeline({"filter": {"nope": 1}}), ValueError, "nope"),
        (lambda: awal.Pipeline({"dedup": {"rows": 0}}), ValueError, "rows"),
        (lambda: awal.Pipeline(lid="cld3"), ValueError, "cld3"),
        (lambda: awal.Pipeline(3), TypeError, "config"),
        (lambda: awal.Pipeline("no/such/awal.toml"), OSError, "no/such/awal.toml"),
        (lambda: awal.Pipeline("[filter]\nnope = 1"), ValueError, "nope"),
        (lambda: awal.Pipeline().process(pa.record_batch({"body": ["x"]})), ValueError, "text"),
        (lambda: awal.Pipeline().process(pa.record_batch({"text": [1]})), TypeError, "strings"),
    ],
)
def test_bad_input_raises_a_clear_exception(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_hostile_text_never_aborts(lines):
    hostile = ["\x00" * 10, "\ud7ff" * 1000, "a" * 2_000_000, "\u0640" * 5000, "3" * 10000, "ⵯ" * 100, "\u202e\u2066x"]
    for fn in (awal.detect, awal.normalize, awal.scripts):
        assert len(fn(hostile)) == len(hostile)
    assert len(awal.redact(hostile)[0]) == len(hostile)
    assert len(awal.translit(hostile, "ary-latn", "ary-arab")) == len(hostile)
    out = awal.Pipeline().process(pa.record_batch({"text": hostile}))
    assert out.num_rows == len(hostile)


def test_pipeline_process_adds_the_map_columns(lines):
    p = awal.Pipeline()
    batch = pa.record_batch({"id": list(range(len(lines))), "text": lines})
    out = p.process(batch)
    assert out.schema.names == [
        "id", "text", "lang", "lang_score", "scripts", "drop_reason", "exact_key", "band_keys",
    ]
    assert out.schema.field("exact_key").type == pa.binary(16)
    assert out.schema.field("band_keys").type == pa.list_(pa.uint64())
    rows = out.to_pylist()
    kept = [r for r in rows if r["drop_reason"] is None]
    dropped = [r for r in rows if r["drop_reason"] is not None]
    assert kept and dropped
    assert all(r["lang"] and r["exact_key"] and len(r["band_keys"]) == 14 for r in kept)
    assert all(r["exact_key"] is None for r in dropped)
    pii = rows[LINES.index("CIN BK654321, tel +212 6 12-34-56-78, mail ali@example.ma")]
    assert "<CIN>" in pii["text"] or pii["drop_reason"]
    # Same text, same keys; the decision itself is the engines' (see test_equality.py).
    again = p.process(batch).column("exact_key").to_pylist()
    assert again == out.column("exact_key").to_pylist()


def test_pipeline_config_dict_path_and_toml_agree(tmp_path):
    toml = '[filter]\nmin_words = 5\n[dedup]\nnear = false\n'
    path = tmp_path / "awal.toml"
    path.write_text(toml)
    configs = [awal.Pipeline(c).config for c in ({"filter": {"min_words": 5}, "dedup": {"near": False}}, str(path), toml)]
    assert configs[0] == configs[1] == configs[2]
    assert configs[0]["filter"]["min_words"] == 5 and configs[0]["dedup"]["near"] is False
    out = awal.Pipeline(str(path)).process(pa.record_batch({"text": ["salam khoya, kidayr? ana mzyan l7amdolillah"]}))
    assert out.column("band_keys").to_pylist() == [[]]


def test_the_gil_is_released_while_a_batch_runs(lines):
    """A Python thread keeps running while another thread is inside a long native call."""
    big = lines * 400
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.001)

    t = threading.Thread(target=tick)
    t.start()
    before = len(ticks)
    awal.translit(big, "ary-latn", "ary-arab")
    during = len(ticks) - before
    stop.set()
    t.join()
    assert during > 5, "the ticking thread never ran during the native call"
