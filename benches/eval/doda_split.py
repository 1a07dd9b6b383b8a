#!/usr/bin/env python3
"""Split DODa into training files and one held-out tenth, by the Arabic spelling.

    python3 benches/eval/doda_split.py DODA_DIR OUT_DIR [FOLD]

A word whose md5(arabic) % 10 == FOLD (default 0) goes to OUT_DIR/test-words.tsv, so no
spelling of a held-out word is ever trained on; the others go to train-words.tsv.
Sentence pairs that contain a held-out Arabic word are left out of
train-sentences.tsv too. Prints one line of counts on stdout. Used by arabizi.sh and
arabizi_folds.sh, so every fold is cut the same way.
"""
import hashlib
import sys

doda, out = sys.argv[1], sys.argv[2]
fold = int(sys.argv[3]) if len(sys.argv) > 3 else 0


def held(arabic):
    return int(hashlib.md5(arabic.encode()).hexdigest(), 16) % 10 == fold


test_words = set()
held_rows = 0
with open(f"{doda}/words.tsv", encoding="utf-8") as f, \
     open(f"{out}/train-words.tsv", "w", encoding="utf-8") as tr, \
     open(f"{out}/test-words.tsv", "w", encoding="utf-8") as te:
    header = next(f)
    tr.write(header)
    te.write(header)
    for line in f:
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 2:
            continue
        if held(cols[1]):
            te.write(line)
            test_words.add(cols[1])
            held_rows += 1
        else:
            tr.write(line)
kept = dropped = 0
with open(f"{doda}/sentences.tsv", encoding="utf-8") as f, \
     open(f"{out}/train-sentences.tsv", "w", encoding="utf-8") as tr:
    tr.write(next(f))
    for line in f:
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 2 and any(w in test_words for w in cols[1].split()):
            dropped += 1
            continue
        kept += 1
        tr.write(line)
print(f"held-out words: {held_rows}; "
      f"training sentences kept {kept}, dropped {dropped} (contain a held-out word)")
