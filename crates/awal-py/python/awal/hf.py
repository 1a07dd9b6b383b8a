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

import json
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


def load_init_map(init_map) -> dict:
    """The embedding-initialisation map written by ``awal tokenizer extend`` (``OUTPUT.init.json``),
    from a path or an already parsed dict, checked: every new id at or past ``base_vocab_size``
    and below ``vocab_size``, every base id below ``base_vocab_size``, no id twice."""
    if isinstance(init_map, dict):
        m, where = init_map, "init map"
    else:
        where = str(init_map)
        with open(init_map, encoding="utf-8") as f:
            m = json.load(f)
    if m.get("format") != "awal-embedding-init/1":
        raise ValueError(f"{where}: not an awal embedding-init map (format {m.get('format')!r})")
    base, size = int(m["base_vocab_size"]), int(m["vocab_size"])
    seen = set()
    for t in m["new_tokens"]:
        i, ids = int(t["id"]), [int(b) for b in t["base_ids"]]
        if not base <= i < size or i in seen:
            raise ValueError(f"{where}: new id {i} outside [{base}, {size}) or repeated")
        if not ids or any(not 0 <= b < base for b in ids):
            raise ValueError(f"{where}: new id {i}: base ids {ids} not all in [0, {base})")
        seen.add(i)
    return m


def extend_embeddings(model, init_map):
    """Gives a ``transformers`` model the rows of the tokens ``awal tokenizer extend`` added.

    Resizes the input embeddings (and the output embeddings, when they are not tied to the
    input ones) to the map's ``vocab_size`` — never shrinking a model whose matrix is already
    padded past it — and sets each new row to the mean of the rows of the base ids the new
    token stands for (the base segmentation it was learned on): the usual initialisation,
    which makes a new token start out predicting and meaning what its pieces did. Rows of
    the base vocabulary are left exactly as they were. ``init_map`` is the path of
    ``OUTPUT.init.json`` or its parsed dict. Returns the model.

    ::

        model = AutoModelForCausalLM.from_pretrained(path)
        awal.hf.extend_embeddings(model, "tekken-ext.json.init.json")
    """
    import torch

    m = load_init_map(init_map)
    base, size = int(m["base_vocab_size"]), int(m["vocab_size"])
    rows = model.get_input_embeddings().weight.shape[0]
    if rows < base:
        raise ValueError(
            f"the model has {rows} embedding rows but the base tokenizer of the map has {base} ids: "
            "is this the model of that tokenizer?"
        )
    if rows < size:
        model.resize_token_embeddings(size, mean_resizing=False)
    inputs = model.get_input_embeddings().weight
    outputs = model.get_output_embeddings()
    matrices = [inputs]
    if outputs is not None and outputs.weight is not inputs:
        matrices.append(outputs.weight)
    new_ids = [int(t["id"]) for t in m["new_tokens"]]
    if not new_ids:
        return model
    # Each new row is the mean of its base rows, read from the base part of the matrix only
    # (so the order of the new tokens does not matter): gather every base row once, sum them
    # per new token with index_add_, divide by the counts.
    flat = torch.tensor([int(b) for t in m["new_tokens"] for b in t["base_ids"]], dtype=torch.long)
    owner = torch.tensor(
        [r for r, t in enumerate(m["new_tokens"]) for _ in t["base_ids"]], dtype=torch.long
    )
    counts = torch.tensor([len(t["base_ids"]) for t in m["new_tokens"]], dtype=torch.float64)
    index = torch.tensor(new_ids, dtype=torch.long)
    with torch.no_grad():
        for w in matrices:
            dev = w.device
            sums = torch.zeros(len(new_ids), w.shape[1], dtype=torch.float64, device=dev)
            sums.index_add_(0, owner.to(dev), w[flat.to(dev)].to(torch.float64))
            w[index.to(dev)] = (sums / counts.to(dev)[:, None]).to(w.dtype)
    return model


__all__ = ["Processor", "extend_embeddings", "load_init_map", "process", "processor"]
