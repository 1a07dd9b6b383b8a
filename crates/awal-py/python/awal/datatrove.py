"""awal blocks for `datatrove <https://github.com/huggingface/datatrove>`_ pipelines.

datatrove's own language and quality filters drop Arabic-script and Tifinagh Moroccan text
wholesale; these blocks put awal's language ID, quality filters, PII redaction and
transliteration into a datatrove pipeline instead::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from awal.datatrove import AwalLanguageFilter, AwalQualityFilter, AwalPIIFormatter

    LocalPipelineExecutor(pipeline=[
        JsonlReader("data/"),
        AwalLanguageFilter(languages=["ary", "zgh", "fra"]),
        AwalQualityFilter(),
        AwalPIIFormatter(),
        JsonlWriter("out/"),
    ], tasks=4).run()

Each block works on batches of ``batch_size`` documents through awal's batch functions (Rust,
rayon inside, the GIL released), never one native call per document. The executors of
datatrove (local, Slurm, Ray) then scale the pipeline out.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Union

import pyarrow as pa
from datatrove.data import Document, DocumentsPipeline
import contextlib

from datatrove.pipeline.base import PipelineStep
from datatrove.utils.batching import batched
from datatrove.utils.typeshelper import StatHints

from . import _awal


class _BatchFilter(PipelineStep):
    """datatrove's ``BaseFilter`` contract (keep/drop with a reason, stats, optional
    ``exclusion_writer``) on whole batches. Not a subclass of it: importing
    ``datatrove.pipeline.filters`` needs the ``regex`` package, which datatrove does not
    install."""

    type = "🔻 - FILTER"

    def __init__(self, exclusion_writer=None, batch_size: int = 1000):
        super().__init__()
        self.exclusion_writer = exclusion_writer
        self.batch_size = batch_size

    def filter_batch(self, batch: List[Document]) -> list:
        raise NotImplementedError

    def filter(self, doc: Document) -> Union[bool, tuple]:
        return self.filter_batch([doc])[0]

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data is None:
            return
        with self.exclusion_writer if self.exclusion_writer else contextlib.nullcontext() as writer:
            for batch in batched(data, self.batch_size):
                self.stat_update("batches")
                with self.track_time("batch"):
                    results = self.filter_batch(batch)
                for doc, res in zip(batch, results):
                    self.stat_update(StatHints.total)
                    keep, reason = (res, None) if not isinstance(res, tuple) else res
                    if keep:
                        self.stat_update(StatHints.forwarded)
                        self.update_doc_stats(doc)
                        yield doc
                    else:
                        self.stat_update(StatHints.dropped)
                        if reason:
                            self.stat_update(f"dropped_{reason}")
                        if writer:
                            if reason:
                                doc.metadata["filter_reason"] = reason
                            writer.write(doc, rank)


def _lang_matches(label: str, wanted: Sequence[str]) -> bool:
    """``ary_Latn`` matches ``ary_Latn`` and ``ary``."""
    return label in wanted or label.split("_", 1)[0] in wanted


class AwalLanguageFilter(_BatchFilter):
    """Keeps documents whose awal language label is in ``languages`` (full labels such as
    ``ary_Arab`` or bare codes such as ``ary``; ``None`` keeps every language) with a score of at
    least ``min_score``. Writes ``metadata["language"]`` (the code, e.g. ``ary``),
    ``metadata["language_script"]`` (``Arab``/``Latn``/``Tfng``), ``metadata["awal_lang"]`` (the
    full label) and ``metadata["language_score"]``. ``label_only=True`` labels and drops nothing.
    """

    name = "🌍 awal language ID"

    def __init__(
        self,
        languages: Optional[Union[str, Sequence[str]]] = None,
        min_score: float = 0.0,
        model: Optional[str] = None,
        label_only: bool = False,
        batch_size: int = 1000,
        exclusion_writer=None,
    ):
        super().__init__(exclusion_writer, batch_size)
        if isinstance(languages, str):
            languages = [languages]
        self.languages = list(languages) if languages is not None else None
        self.min_score = min_score
        self.model = model
        self.label_only = label_only

    def filter_batch(self, batch: List[Document]) -> list:
        guesses = _awal.detect([d.text for d in batch], self.model)
        out = []
        for doc, (label, score) in zip(batch, guesses):
            code, _, script = label.partition("_")
            doc.metadata["language"] = code
            doc.metadata["language_script"] = script
            doc.metadata["awal_lang"] = label
            doc.metadata["language_score"] = score
            if self.label_only:
                out.append(True)
            elif self.languages is not None and not _lang_matches(label, self.languages):
                out.append((False, "language"))
            elif score < self.min_score:
                out.append((False, "language_score"))
            else:
                out.append(True)
        return out


class AwalQualityFilter(_BatchFilter):
    """awal's quality filters (length, word length, symbols, main-script letters, repeated
    lines/paragraphs/n-grams, boilerplate, optional language allow-list), as ``awal prepare``
    applies them. ``config``: the ``awal.toml`` tables (dict, path or TOML text); only
    ``[source]``'s ``max_doc_bytes`` and ``[filter]`` matter here. Drops with the reason as
    ``awal prepare`` reports it (``length.too_few_chars``, ...); kept documents get
    ``metadata["awal_lang"]``, ``["language_score"]`` and ``["scripts"]``. The text itself is not
    changed (use :class:`AwalPIIFormatter` to redact).
    """

    name = "🔻 awal quality filters"

    def __init__(
        self,
        config=None,
        lid: str = "awal",
        lid_model: Optional[str] = None,
        batch_size: int = 1000,
        exclusion_writer=None,
    ):
        super().__init__(exclusion_writer, batch_size)
        self.config = config
        self.lid = lid
        self.lid_model = lid_model
        self._pipeline = None

    def __getstate__(self):
        # The native pipeline is rebuilt in each worker (executors pickle their blocks).
        state = self.__dict__.copy()
        state["_pipeline"] = None
        return state

    @property
    def pipeline(self):
        if self._pipeline is None:
            cfg = self.config
            if cfg is None or isinstance(cfg, dict):
                cfg = dict(cfg or {})
                # Only the verdict is used: no redaction or dedup keys to compute.
                cfg["pii"] = {**cfg.get("pii", {}), "enabled": False}
                cfg["dedup"] = {**cfg.get("dedup", {}), "exact": False, "near": False}
            self._pipeline = _awal.Pipeline(cfg, lid=self.lid, lid_model=self.lid_model)
        return self._pipeline

    def filter_batch(self, batch: List[Document]) -> list:
        field = self.pipeline.config["source"]["text_field"]
        rb = pa.RecordBatch.from_arrays([pa.array([d.text for d in batch], pa.string())], names=[field])
        res = self.pipeline.process(rb)
        reasons = res.column(res.schema.get_field_index("drop_reason")).to_pylist()
        langs = res.column(res.schema.get_field_index("lang")).to_pylist()
        scores = res.column(res.schema.get_field_index("lang_score")).to_pylist()
        scripts = res.column(res.schema.get_field_index("scripts")).to_pylist()
        out = []
        for doc, reason, lang, score, sc in zip(batch, reasons, langs, scores, scripts):
            if reason is None:
                doc.metadata["awal_lang"] = lang
                doc.metadata["language_score"] = score
                doc.metadata["scripts"] = sc
                out.append(True)
            else:
                out.append((False, reason))
        return out


class _BatchTextStep(PipelineStep):
    """Replaces each document's text by a batch function of the texts."""

    def __init__(self, batch_size: int = 1000):
        super().__init__()
        self.batch_size = batch_size

    def apply(self, batch: List[Document]) -> List[str]:
        raise NotImplementedError

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data is None:
            return
        for batch in batched(data, self.batch_size):
            with self.track_time("batch"):
                texts = self.apply(batch)
            for doc, text in zip(batch, texts):
                self.stat_update(StatHints.total)
                doc.text = text
                self.update_doc_stats(doc)
                yield doc


class AwalPIIFormatter(_BatchTextStep):
    """Redacts PII (e-mails, Moroccan phone numbers, CIN, IBAN/RIB, cards, URLs with
    identifiers, ...) with awal's rules, as ``awal redact`` does: ``<PHONE>``, ``<EMAIL>``, ...
    Counts per type go to the block's stats (``pii_PHONE``, ...);
    ``metadata["pii_redacted"]`` says whether the document's text changed."""

    type = "✂️ - FORMAT"
    name = "🔒 awal PII"

    def apply(self, batch: List[Document]) -> List[str]:
        texts = [d.text for d in batch]
        redacted, counts = _awal.redact(texts)
        for kind, n in counts.items():
            if n:
                self.stat_update(f"pii_{kind}", value=n)
        for doc, old, new in zip(batch, texts, redacted):
            doc.metadata["pii_redacted"] = old != new
        return list(redacted)


class AwalTransliterator(_BatchTextStep):
    """Transliterates documents from ``src`` to ``dst`` (any scheme of ``awal translit``, e.g.
    ``ary-latn`` -> ``ary-arab`` for Darija Arabizi, ``zgh-latn`` -> ``zgh-tfng``).

    ``languages``: only documents whose awal label is in the list (full labels ``ary_Latn`` or
    bare codes ``ary``) are converted; the label is ``metadata["awal_lang"]`` when an
    :class:`AwalLanguageFilter` or :class:`AwalQualityFilter` ran before, else detected here
    (one batch call). ``None`` converts every document. ``keep_original``: a metadata key to
    keep the text as it was (None: not kept)."""

    type = "✂️ - FORMAT"
    name = "🔤 awal transliteration"

    def __init__(
        self,
        src: str,
        dst: str,
        model: Optional[str] = None,
        languages: Optional[Union[str, Sequence[str]]] = None,
        keep_original: Optional[str] = None,
        batch_size: int = 1000,
    ):
        super().__init__(batch_size)
        self.src, self.dst, self.model = src, dst, model
        if isinstance(languages, str):
            languages = [languages]
        self.languages = list(languages) if languages is not None else None
        self.keep_original = keep_original
        # Fail here, not in a worker, on an unknown scheme.
        _awal.translit([""], src, dst, model)

    def apply(self, batch: List[Document]) -> List[str]:
        texts = [d.text for d in batch]
        chosen = list(range(len(batch)))
        if self.languages is not None:
            labels = [d.metadata.get("awal_lang") for d in batch]
            missing = [i for i, l in enumerate(labels) if l is None]
            if missing:
                for i, (label, _) in zip(missing, _awal.detect([texts[i] for i in missing])):
                    labels[i] = label
            chosen = [i for i, l in enumerate(labels) if _lang_matches(l, self.languages)]
        out = list(texts)
        if chosen:
            for i, t in zip(chosen, _awal.translit([texts[i] for i in chosen], self.src, self.dst, self.model)):
                out[i] = t
        if self.keep_original:
            for i in chosen:
                batch[i].metadata[self.keep_original] = texts[i]
        return out


__all__ = ["AwalLanguageFilter", "AwalQualityFilter", "AwalPIIFormatter", "AwalTransliterator"]
