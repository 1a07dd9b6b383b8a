#!/usr/bin/env python3
"""Type/token statistics of a JSONL corpus's `text` fields, for benches/README.md.

Words are maximal runs of letters, digits and `_` (joined by an inner apostrophe),
lower-cased: the same count for every corpus, independent of how it was generated.
Prints documents, tokens, distinct types, hapax share, the token share of the 1,000 most
frequent types, the least-squares slope of log(count) on log(rank) over ranks 10-10,000,
the share of documents that repeat an earlier one exactly, and letters per script.

Usage: python3 benches/prep/vocab_stats.py FILE.jsonl [FILE.jsonl ...]
"""
import json
import math
import re
import sys
from collections import Counter

from make_zipf_corpus import zipf_slope  # benches/prep, beside this script

WORD = re.compile(r"\w+(?:['’]\w+)*")


def stats(path):
    counts = Counter()
    seen = set()
    docs = dups = 0
    scripts = Counter()
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                text = json.loads(line)["text"]
            except (ValueError, KeyError, TypeError) as e:
                sys.exit("%s:%d: not a JSONL record with a text field (%s)" % (path, n, e))
            docs += 1
            h = hash(text)
            if h in seen:
                dups += 1
            seen.add(h)
            counts.update(WORD.findall(text.lower()))
            for c in text[:: max(1, len(text) // 64)]:  # sampled: letters per script
                if "\u0600" <= c <= "\u06ff":
                    scripts["Arab"] += 1
                elif "\u2d30" <= c <= "\u2d7f":
                    scripts["Tfng"] += 1
                elif c.isalpha():
                    scripts["Latn"] += 1
    by_rank = sorted(counts.values(), reverse=True)
    tokens = sum(by_rank)
    hapax = sum(1 for c in by_rank if c == 1)
    letters = sum(scripts.values()) or 1
    print("%s: %d documents, %d tokens, %d distinct types (%.0f %% seen once), top 1000 types %.1f %% of tokens, "
          "slope %.2f (ranks 10-10,000), exact duplicate documents %.1f %%, letters %s" % (
              path, docs, tokens, len(by_rank), 100.0 * hapax / max(len(by_rank), 1),
              100.0 * sum(by_rank[:1000]) / max(tokens, 1), zipf_slope(by_rank), 100.0 * dups / max(docs, 1),
              " ".join("%s %.0f %%" % (k, 100.0 * v / letters) for k, v in sorted(scripts.items()))))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for p in sys.argv[1:]:
        stats(p)
