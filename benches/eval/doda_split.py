#!/usr/bin/env python3
"""Split DODa into training files and one held-out tenth, by the Arabic spelling.

    python3 benches/eval/doda_split.py DODA_DIR OUT_DIR [FOLD]

A word whose md5(arabic) % 10 == FOLD goes to OUT_DIR/test-words.tsv, so no spelling of a
held-out word is ever trained on; the others go to train-words.tsv. Sentence pairs that
contain a held-out Arabic word are left out of train-sentences.tsv too. Prints one line
of counts on stdout. Used by arabizi.sh and arabizi_folds.sh, so every fold is cut the
same way.

The fold policy (docs/translit.md): the tenth md5 % 10 == 9 (TEST_FOLD, the default FOLD)
is the test fold. It is only ever scored, by arabizi.sh, with a model trained on the nine
other tenths; no tuning reads it. Tuning uses dev folds (0-3 by default in
arabizi_folds.sh), and for those the test fold's words, and the sentences that contain
one, are left out of training as well, so that no tuning run depends on them in any way.
"""
import hashlib
import sys

TEST_FOLD = 9

doda, out = sys.argv[1], sys.argv[2]
fold = int(sys.argv[3]) if len(sys.argv) > 3 else TEST_FOLD
if not 0 <= fold <= 9:
    sys.exit(f"doda_split.py: fold {fold} is not a tenth (0 to 9)")


def tenth(arabic):
    return int(hashlib.md5(arabic.encode()).hexdigest(), 16) % 10


test_words = set()
unseen_words = set()
held_rows = unseen_rows = 0
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
        t = tenth(cols[1])
        if t == fold:
            te.write(line)
            test_words.add(cols[1])
            held_rows += 1
        elif t == TEST_FOLD:
            # A dev fold: the test fold is not trained on either.
            unseen_words.add(cols[1])
            unseen_rows += 1
        else:
            tr.write(line)
kept = dropped = 0
with open(f"{doda}/sentences.tsv", encoding="utf-8") as f, \
     open(f"{out}/train-sentences.tsv", "w", encoding="utf-8") as tr:
    tr.write(next(f))
    for line in f:
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 2 and any(
            w in test_words or w in unseen_words for w in cols[1].split()
        ):
            dropped += 1
            continue
        kept += 1
        tr.write(line)
kind = "test" if fold == TEST_FOLD else "dev"
print(f"fold {fold} ({kind}): held-out words {held_rows}; "
      + (f"test-fold words left out of training {unseen_rows}; " if unseen_rows else "")
      + f"training sentences kept {kept}, dropped {dropped} (contain a held-out word)")
