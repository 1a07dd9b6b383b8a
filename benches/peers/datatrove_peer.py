#!/usr/bin/env python3
"""The Python side of benches/peers/datatrove.sh (run inside its virtualenv).

Arguments: CORPUS WORKDIR AWAL_SECONDS CORES. Runs datatrove's Gopher quality and
repetition filters, an exact-dedup LambdaFilter and a JsonlWriter over the same input
awal prepared, then presidio-mena's Moroccan recognizers on the first 2 MB.
"""
import gzip, hashlib, json, os, sys, time, unicodedata
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.filters import GopherQualityFilter, GopherRepetitionFilter, LambdaFilter
from datatrove.pipeline.writers import JsonlWriter


def main():
    corpus, workdir, awal_secs, cores = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])

    # Split the input so that datatrove can use every core (it parallelizes over files).
    parts = os.path.join(workdir, "dt-in")
    os.makedirs(parts, exist_ok=True)
    for f in os.listdir(parts):
        os.remove(os.path.join(parts, f))
    with open(corpus, encoding="utf-8") as f:
        lines = f.readlines()
    for k in range(cores):
        with open(os.path.join(parts, f"part-{k}.jsonl"), "w", encoding="utf-8") as out:
            out.writelines(lines[k::cores])

    seen = set()
    def exact(doc):
        # Per-worker set: a lower bound on datatrove's real exact-dedup cost.
        h = hashlib.md5(doc.text.lower().encode()).digest()
        if h in seen:
            return False
        seen.add(h)
        return True

    t0 = time.time()
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(parts),
            GopherQualityFilter(),
            GopherRepetitionFilter(),
            LambdaFilter(exact),
            JsonlWriter(os.path.join(workdir, "dt-out")),
        ],
        tasks=cores, workers=cores, logging_dir=os.path.join(workdir, "dt-logs"),
    ).run()
    dt_secs = time.time() - t0
    mb = os.path.getsize(corpus) / 1048576

    def script(text):
        counts = {"Arab": 0, "Latn": 0, "Tfng": 0}
        for c in text:
            o = ord(c)
            if 0x0600 <= o <= 0x06FF: counts["Arab"] += 1
            elif 0x2D30 <= o <= 0x2D7F: counts["Tfng"] += 1
            elif c.isalpha() and o < 0x0250: counts["Latn"] += 1
        return max(counts, key=counts.get)

    inp = {}
    for l in lines:
        s = script(json.loads(l)["text"]); inp[s] = inp.get(s, 0) + 1
    kept_dt = {}
    for root, _, files in os.walk(os.path.join(workdir, "dt-out")):
        for f in files:
            opener = gzip.open if f.endswith(".gz") else open
            with opener(os.path.join(root, f), "rt", encoding="utf-8") as fh:
                for l in fh:
                    s = script(json.loads(l)["text"]); kept_dt[s] = kept_dt.get(s, 0) + 1
    m = json.load(open(os.path.join(workdir, "awal-peer-out", "manifest.json")))
    kept_awal = {k: v["docs"] for k, v in m["scripts"].items()}
    print(f"input: {corpus} ({mb:.1f} MB, {len(lines)} docs), {cores} cores")
    print(f"datatrove  {mb / dt_secs:8.2f} MB/s  ({dt_secs:.1f} s)")
    print(f"awal       {mb / awal_secs:8.2f} MB/s  ({awal_secs:.1f} s)")
    print(f"ratio      {dt_secs / awal_secs:8.1f}x")
    print("kept share by dominant script (datatrove / awal):")
    for s in sorted(inp):
        print(f"  {s}: {kept_dt.get(s, 0) / inp[s]:6.1%} / {kept_awal.get(s, 0) / inp[s]:6.1%}  of {inp[s]}")

    # presidio-mena: its Moroccan pattern recognizers called directly (no spaCy model is
    # needed for pattern recognizers, and none can be downloaded here), on the first 2 MB.
    try:
        from presidio_mena import mena_recognizers
    except ImportError:
        print("presidio-mena: not installed, skipped")
        return
    texts, size = [], 0
    for l in lines:
        t = json.loads(l)["text"]
        texts.append(t)
        size += len(t.encode())
        if size > 2 << 20:
            break
    with open(os.path.join(workdir, "pii-input.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(t.replace("\n", " ") for t in texts) + "\n")
    recs = mena_recognizers()
    t0 = time.time()
    found = 0
    for t in texts:
        for r in recs:
            found += len(r.analyze(t, r.supported_entities, None))
    pm_secs = time.time() - t0
    print(f"presidio-mena {size / 1048576 / pm_secs:8.2f} MB/s on {size / 1048576:.1f} MB ({found} findings)")


if __name__ == "__main__":
    main()
