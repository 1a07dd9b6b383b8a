"""awal for Hugging Face ``datasets``: one batched ``map``.

::

    import awal.hf
    from datasets import load_dataset

    ds = load_dataset("json", data_files="social.jsonl", split="train")
    ds = ds.map(awal.hf.process, batched=True)          # adds lang, lang_score, scripts, drop_reason
    kept = ds.filter(lambda r: r["drop_reason"] is None)

    # with a configuration (awal.toml tables, a path, or TOML text) and the script-level LID:
    ds = ds.map(awal.hf.processor({"filter": {"min_words": 5}}, lid="script"), batched=True)

The batch goes through ``awal.Pipeline.process``: the per-document stages of ``awal prepare``
(normalization, boilerplate-line removal, script profile, language ID, quality filters, PII
redaction) in Rust, rayon inside, the GIL released. ``text`` comes back processed for the rows
that pass (normalized and redacted) and unchanged for the others; ``drop_reason`` says why a row
would be dropped (``length.too_few_chars``, ``symbols.too_many``, ``source...``), null when
kept. Deduplication needs the whole dataset, so it is not done here (see ``awal.spark`` and
``awal.ray``); ``keys=True`` adds ``exact_key`` and ``band_keys`` for your own dedup.

With ``ds.with_format("arrow")`` the batch is a ``pyarrow.Table`` and the result is one too,
so no text passes through Python objects.
"""

from __future__ import annotations

from typing import Optional, Union

import pyarrow as pa

from . import _awal

_ADDED = ("lang", "lang_score", "scripts", "drop_reason")
_KEYS = ("exact_key", "band_keys")


class Processor:
    """A picklable batch function for ``Dataset.map(..., batched=True)`` (see the module
    docs). The native pipeline is built on first use in each process, so ``num_proc`` works."""

    def __init__(
        self,
        config=None,
        lid: str = "awal",
        lid_model: Optional[str] = None,
        text_field: Optional[str] = None,
        keys: bool = False,
    ):
        self.config = config
        self.lid = lid
        self.lid_model = lid_model
        self.text_field = text_field
        self.keys = keys
        self._pipeline = None
        if config is not None:
            # A bad key fails now, not inside a map worker.
            self.pipeline

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_pipeline"] = None
        return state

    @property
    def pipeline(self):
        if self._pipeline is None:
            self._pipeline = _awal.Pipeline(self.config, lid=self.lid, lid_model=self.lid_model)
        return self._pipeline

    def __call__(self, batch: Union[dict, pa.Table, pa.RecordBatch]):
        field = self.text_field or self.pipeline.config["source"]["text_field"]
        if isinstance(batch, (pa.Table, pa.RecordBatch)):
            if field not in batch.schema.names:
                raise ValueError(f"the batch has no text column {field!r} (columns: {batch.schema.names})")
            text = batch.column(batch.schema.get_field_index(field))
            res = self._process(text, field)
            cols = {n: batch.column(batch.schema.get_field_index(n)) for n in batch.schema.names}
            cols[field] = res.column(0)
            for n in self._columns():
                cols[n] = res.column(res.schema.get_field_index(n))
            return pa.table(cols) if isinstance(batch, pa.Table) else pa.RecordBatch.from_pydict(cols)
        if field not in batch:
            raise ValueError(f"the batch has no text column {field!r} (columns: {list(batch)})")
        res = self._process(pa.array(batch[field], pa.string()), field)
        out = {field: res.column(0).to_pylist()}
        for n in self._columns():
            col = res.column(res.schema.get_field_index(n))
            if n == "exact_key":
                out[n] = [None if k is None else bytes(k) for k in col.to_pylist()]
            else:
                out[n] = col.to_pylist()
        return out

    def _columns(self):
        return _ADDED + (_KEYS if self.keys else ())

    def _process(self, text, field: str) -> pa.RecordBatch:
        if isinstance(text, pa.ChunkedArray):
            text = text.combine_chunks()
        if not pa.types.is_string(text.type) and not pa.types.is_large_string(text.type):
            text = text.cast(pa.string())
        rb = pa.RecordBatch.from_arrays([text], names=[field])
        res = self.pipeline.process(rb, text_field=field)
        names = [field, *self._columns()]
        cols = [res.column(res.schema.get_field_index(n)) for n in names]
        if self.keys:
            # `datasets` has no fixed-size binary feature.
            i = names.index("exact_key")
            cols[i] = cols[i].cast(pa.binary())
        return pa.RecordBatch.from_arrays(cols, names=names)


def processor(
    config=None,
    lid: str = "awal",
    lid_model: Optional[str] = None,
    text_field: Optional[str] = None,
    keys: bool = False,
) -> Processor:
    """A batch function with this configuration: ``config`` is a dict of awal.toml tables, a
    path to an awal.toml, or TOML text (None: the defaults); ``lid`` is ``"awal"`` or
    ``"script"``; ``text_field`` defaults to the config's ``source.text_field`` (``"text"``)."""
    return Processor(config, lid=lid, lid_model=lid_model, text_field=text_field, keys=keys)


#: ``ds.map(awal.hf.process, batched=True)`` with the default configuration.
process = Processor()

__all__ = ["Processor", "process", "processor"]
