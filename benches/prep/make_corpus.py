#!/usr/bin/env python3
"""Generates a large mixed-script JSONL corpus from the project's sample, for benchmarks.

Documents are new combinations of 1-6 sentences drawn from corpora/lid/ (hand-written by
the project) and the PII/boilerplate/junk lines of corpora/sample/social.txt, so most
documents are unique (as in a real dump) while some are duplicates. Deterministic (seed 6).

Usage: make_corpus.py --mb 200 --out /tmp/awal-prep-bench/corpus.jsonl
"""
import argparse
import json
import os
import random

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rng = random.Random(6)
    pools = []
    lid = os.path.join(ROOT, "corpora", "lid")
    for name in sorted(os.listdir(lid)):
        if name.endswith(".txt") and not name.startswith(("eng", "kab", "taq")):
            with open(os.path.join(lid, name), encoding="utf-8") as f:
                pools.append([l.strip() for l in f if l.strip()])
    with open(os.path.join(ROOT, "corpora", "sample", "social.txt"), encoding="utf-8") as f:
        social = [l.rstrip("\n") for l in f if l.strip()]
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    target = int(a.mb * 1024 * 1024)
    written = 0
    i = 0
    with open(a.out, "w", encoding="utf-8") as out:
        while written < target:
            if rng.random() < 0.1:
                text = rng.choice(social)
            else:
                pool = rng.choice(pools)
                paras = []
                for _ in range(rng.choice([1, 1, 2, 3])):
                    paras.append(" ".join(rng.choice(pool) for _ in range(rng.randrange(1, 7))))
                text = "\n\n".join(paras)
            line = json.dumps({"id": "d%08d" % i, "text": text, "src": "bench"}, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            i += 1
    print("%s: %d documents, %.1f MB" % (a.out, i, written / 1048576))


if __name__ == "__main__":
    main()
