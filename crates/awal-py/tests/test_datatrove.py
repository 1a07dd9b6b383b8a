"""awal's datatrove blocks in a real datatrove pipeline (LocalPipelineExecutor)."""

import gzip
import json
import os

import pyarrow as pa
from datatrove.data import Document
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

import awal
from awal.datatrove import AwalLanguageFilter, AwalPIIFormatter, AwalQualityFilter, AwalTransliterator

TEXTS = [
    "salam khoya, kidayr? ana mzyan l7amdolillah, w nta fin ghadi had lwe9t?",
    "wach nta mzyan a khoya? ana bikhir l7amdolillah, 3iyet liya 3la 0612345678",
    "ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ, ⵎⴰⵏⵣⴰⴽⵉⵏ? ⵉⵜⵜⵉⵍⵉⵏ ⴰⵢⵜⵎⴰ ⴷ ⵜⵉⵙⵜⵎⴰ ⵏⵏⵖ ⴳ ⵜⵎⴰⵣⵉⵔⵜ",
    "Bonjour à tous, la réunion aura lieu demain matin à la mairie de Rabat.",
    "ok",
    "سلام خويا كيداير؟ انا مزيان الحمد لله و نتا فين غادي هاد الوقت؟",
    "!!!! $$$ ### @@@ !!!! $$$ ### @@@",
]


def _run(tmp_path, steps):
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    with open(src / "docs.jsonl", "w", encoding="utf-8") as f:
        for i, t in enumerate(TEXTS):
            f.write(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n")
    out = tmp_path / "out"
    LocalPipelineExecutor(
        pipeline=[JsonlReader(str(src)), *steps, JsonlWriter(str(out), compression=None)],
        tasks=1,
        workers=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    docs = []
    for name in sorted(os.listdir(out)):
        opener = gzip.open if name.endswith(".gz") else open
        with opener(out / name, "rt", encoding="utf-8") as f:
            docs.extend(json.loads(l) for l in f if l.strip())
    return docs


def test_language_filter(tmp_path):
    labels = awal.detect(TEXTS)
    wanted = {"ary", "zgh_Tfng"}
    docs = _run(tmp_path, [AwalLanguageFilter(languages=sorted(wanted), batch_size=3)])
    expect = [str(i) for i, (l, _) in enumerate(labels) if l in wanted or l.split("_")[0] in wanted]
    assert [d["id"] for d in docs] == expect
    assert expect and len(expect) < len(TEXTS)
    for d in docs:
        label, score = labels[int(d["id"])]
        assert d["metadata"]["awal_lang"] == label and d["metadata"]["language_score"] == score
        assert d["metadata"]["language"] == label.split("_")[0]


def test_quality_filter_agrees_with_the_pipeline(tmp_path):
    direct = awal.Pipeline({"pii": {"enabled": False}}).process(pa.RecordBatch.from_pydict({"text": TEXTS}))
    reasons = direct.column(direct.schema.get_field_index("drop_reason")).to_pylist()
    docs = _run(tmp_path, [AwalQualityFilter(batch_size=4)])
    assert [d["id"] for d in docs] == [str(i) for i, r in enumerate(reasons) if r is None]
    assert 0 < len(docs) < len(TEXTS)
    # The text is not changed by a filter.
    assert all(d["text"] == TEXTS[int(d["id"])] for d in docs)


def test_pii_and_transliteration(tmp_path):
    docs = _run(
        tmp_path,
        [AwalPIIFormatter(batch_size=2), AwalTransliterator("ary-latn", "ary-arab", keep_original="arabizi", batch_size=5)],
    )
    redacted, counts = awal.redact(TEXTS)
    assert counts.get("PHONE", 0) >= 1 and "<PHONE>" in redacted[1]
    want = awal.translit(redacted, "ary-latn", "ary-arab")
    assert [d["text"] for d in docs] == list(want)
    assert docs[1]["metadata"]["arabizi"] == redacted[1] and docs[1]["metadata"]["pii_redacted"]
    assert want[0] != redacted[0]


def test_transliterate_one_language_only():
    docs = [Document(text=t, id=str(i)) for i, t in enumerate(TEXTS)]
    labels = [l for l, _ in awal.detect(TEXTS)]
    step = AwalTransliterator("ary-latn", "ary-arab", languages=["ary_Latn"], keep_original="orig", batch_size=4)
    out = list(step.run(iter(docs)))
    conv = awal.translit(TEXTS, "ary-latn", "ary-arab")
    for d, t, c, l in zip(out, TEXTS, conv, labels):
        assert d.text == (c if l == "ary_Latn" else t)
        assert ("orig" in d.metadata) == (l == "ary_Latn")
    assert labels.count("ary_Latn") >= 2 and any(d.text != t for d, t in zip(out, TEXTS))


def test_blocks_work_on_documents_directly():
    docs = [Document(text=t, id=str(i)) for i, t in enumerate(TEXTS)]
    kept = list(AwalLanguageFilter(languages="fra").run(iter(docs)))
    assert [d.id for d in kept] == [str(i) for i, (l, _) in enumerate(awal.detect(TEXTS)) if l.startswith("fra")]
