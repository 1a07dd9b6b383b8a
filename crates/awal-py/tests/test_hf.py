"""awal.hf: `ds.map(awal.hf.process, batched=True)` on Hugging Face datasets."""

import pickle

import pyarrow as pa
import pytest
from datasets import Dataset

import awal
import awal.hf

TEXTS = [
    "salam khoya, kidayr? ana mzyan l7amdolillah, w nta fin ghadi had lwe9t?",
    "3iyet liya 3la 0612345678 lbare7 f lil, ila bghiti tsowelni sifet liya",
    "ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ, ⵎⴰⵏⵣⴰⴽⵉⵏ? ⵉⵜⵜⵉⵍⵉⵏ ⴰⵢⵜⵎⴰ ⴷ ⵜⵉⵙⵜⵎⴰ ⵏⵏⵖ ⴳ ⵜⵎⴰⵣⵉⵔⵜ",
    "ok",
    None,
    "سلام خويا كيداير؟ انا مزيان الحمد لله و نتا فين غادي هاد الوقت؟",
]


def _direct(config=None, lid="awal"):
    res = awal.Pipeline(config, lid=lid).process(pa.RecordBatch.from_pydict({"text": pa.array(TEXTS, pa.string())}))
    return {n: res.column(res.schema.get_field_index(n)).to_pylist() for n in ("text", "lang", "lang_score", "scripts", "drop_reason")}


def test_map_batched():
    ds = Dataset.from_dict({"text": TEXTS, "n": list(range(len(TEXTS)))})
    out = ds.map(awal.hf.process, batched=True, batch_size=4)
    want = _direct()
    for col in ("text", "lang", "lang_score", "scripts", "drop_reason"):
        assert out[col] == want[col], col
    assert out["n"] == list(range(len(TEXTS)))
    assert "<PHONE>" in out["text"][1] and out["drop_reason"][0] is None and out["drop_reason"][3] is not None
    kept = out.filter(lambda r: r["drop_reason"] is None)
    assert 0 < len(kept) < len(TEXTS)


def test_arrow_format_and_config():
    fn = awal.hf.processor({"filter": {"min_words": 12}, "pii": {"enabled": False}}, lid="script", keys=True)
    ds = Dataset.from_dict({"text": TEXTS}).with_format("arrow")
    out = ds.map(fn, batched=True, batch_size=3).with_format(None)
    want = _direct({"filter": {"min_words": 12}, "pii": {"enabled": False}}, lid="script")
    assert out["drop_reason"] == want["drop_reason"] and out["lang"] == want["lang"]
    assert "0612345678" in out["text"][1]
    assert all(k is None or len(k) == 16 for k in out["exact_key"])
    assert any(b for b in out["band_keys"] if b)


def test_processor_pickles_and_rejects_bad_config():
    fn = pickle.loads(pickle.dumps(awal.hf.processor({"filter": {"min_words": 2}})))
    assert fn({"text": ["salam khoya kidayr labas 3lik"]})["drop_reason"] == [None]
    with pytest.raises(ValueError):
        awal.hf.processor({"filter": {"no_such_key": 1}})
    with pytest.raises(ValueError, match="text column"):
        awal.hf.process({"body": ["x"]})
