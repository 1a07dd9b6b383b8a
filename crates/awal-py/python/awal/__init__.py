"""awal: Moroccan text for language models, from Python.

The engine of the ``awal`` command (Rust), callable on batches: every function takes a
list of ``str``/``None`` or a pyarrow string array (also a ``ChunkedArray``) and returns
the same kind; nulls stay null. The GIL is released and the batch runs on all cores.

>>> import awal
>>> awal.detect(["salam khoya, labas 3lik?"])[0][0]
'ary_Latn'
>>> awal.translit(["ⴰⵣⵓⵍ"], "zgh-tfng", "zgh-latn")
['azul']
>>> awal.redact(["3iyet l 0612345678"])
(['3iyet l <PHONE>'], {'PHONE': 1})

``Pipeline`` is the per-document part of ``awal prepare`` (normalize, scripts and
language, filters, PII, dedup keys) over ``pyarrow.RecordBatch``; ``awal.spark`` and
``awal.ray`` run the whole of ``awal prepare`` on those engines with the same result;
``awal.datatrove`` and ``awal.hf`` plug it into datatrove and HF ``datasets``.
"""

from __future__ import annotations

from typing import Any

from . import _awal
from ._awal import Pipeline, __version__, expand_inputs, input_summary, schemes, write_shard

__all__ = [
    "Pipeline",
    "__version__",
    "detect",
    "expand_inputs",
    "input_summary",
    "normalize",
    "redact",
    "schemes",
    "scripts",
    "translit",
    "write_shard",
]


def _chunked(texts: Any) -> bool:
    """Whether ``texts`` is a pyarrow ChunkedArray (the native functions take arrays)."""
    return type(texts).__name__ == "ChunkedArray" and hasattr(texts, "chunks")


def _per_chunk(fn, texts, *args, **kwargs):
    import pyarrow as pa

    results = [fn(chunk, *args, **kwargs) for chunk in texts.chunks]
    if not results:
        return fn(pa.array([], type=texts.type), *args, **kwargs)
    return pa.chunked_array(results)


def translit(texts, src: str, dst: str, model: str | None = None, **options):
    """Transliterate from scheme ``src`` to ``dst`` (``awal.schemes()`` lists them), as
    ``awal translit --from SRC --to DST``. ``model``: a Darija model from ``awal translit
    train``. Options: ``keep_loans``, ``scholarly``, ``ascii_fallbacks``."""
    if _chunked(texts):
        return _per_chunk(_awal.translit, texts, src, dst, model, **options)
    return _awal.translit(texts, src, dst, model, **options)


def scripts(texts):
    """Dominant script and script spans (byte offsets) per text, as ``awal scripts``:
    ``{"dominant": "Latn", "spans": [("Latn", 0, 5), ...]}``."""
    if _chunked(texts):
        return _per_chunk(_awal.scripts, texts)
    return _awal.scripts(texts)


def detect(texts, model: str | None = None):
    """``(label, score)`` per text, as ``awal detect`` (``ary_Arab``, ``ary_Latn``,
    ``arb_Arab``, ``zgh_Tfng``, ``zgh_Latn``, ``fra_Latn``, ...). ``model``: a file from
    ``awal lid train``."""
    if _chunked(texts):
        return _per_chunk(_awal.detect, texts, model)
    return _awal.detect(texts, model)


def redact(texts):
    """Redact PII as ``awal redact``: ``(texts, counts per type)``."""
    if _chunked(texts):
        import pyarrow as pa

        total: dict[str, int] = {}
        chunks = []
        for chunk in texts.chunks:
            out, counts = _awal.redact(chunk)
            chunks.append(out)
            for k, v in counts.items():
                total[k] = total.get(k, 0) + v
        if not chunks:
            return _awal.redact(pa.array([], type=texts.type))
        return pa.chunked_array(chunks), total
    return _awal.redact(texts)


def normalize(texts, profile: str = "auto"):
    """Normalize as ``awal normalize --profile PROFILE`` (``auto``, ``ary``, ``zgh``,
    ``fra``)."""
    if _chunked(texts):
        return _per_chunk(_awal.normalize, texts, profile)
    return _awal.normalize(texts, profile)
