#!/usr/bin/env python3
"""Checks make_zipf_corpus.py at a small size (run in CI, ~10-20 s on 2 shared cores).

* Deterministic: the same --seed writes the same bytes; another seed writes other bytes.
* Records are what make_corpus.py writes (`id`, `text`, `src`); Arabic, Latin and
  Tifinagh script are all present; 2-8 % of documents are exact duplicates.
* The vocabulary is realistic, counted here from the output itself: on 3 MB, at least
  60,000 distinct word types (make_corpus.py: 11,662 on 200 MB; 200,000 is the floor of
  issue 14 for the 200 MB benchmark corpus, and this generator emits about 110,000 on 5 MB),
  and the 1,000 most frequent types cover 35-65 % of tokens (about half, as in natural
  text: a Zipf head, neither a flat nor a tiny vocabulary).

Usage: python3 benches/prep/test_zipf_corpus.py
"""
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "make_zipf_corpus.py")
MB = 3
WORD = re.compile(r"\w+(?:['’]\w+)*")


def generate(tmp, run, seed):
    out = os.path.join(tmp, "run%d-seed%d.jsonl" % (run, seed))
    proc = subprocess.Popen([sys.executable, GEN, "--mb", str(MB), "--out", out, "--seed", str(seed)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return out, proc


class ZipfCorpus(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        # Three runs at once: each spends most of its time building the vocabulary.
        runs = [generate(cls.tmp.name, i, s) for i, s in enumerate((6, 6, 7))]
        cls.paths = []
        for path, proc in runs:
            _, err = proc.communicate()
            if proc.returncode != 0:
                raise AssertionError("make_zipf_corpus.py failed: " + err)
            cls.paths.append(path)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def digest(self, path):
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()

    def records(self):
        with open(self.paths[0], encoding="utf-8") as f:
            return [json.loads(line) for line in f]

    def test_same_seed_same_bytes_other_seed_other_bytes(self):
        self.assertEqual(self.digest(self.paths[0]), self.digest(self.paths[1]))
        self.assertNotEqual(self.digest(self.paths[0]), self.digest(self.paths[2]))

    def test_records_and_size(self):
        recs = self.records()
        self.assertGreaterEqual(os.path.getsize(self.paths[0]), MB * 1024 * 1024)
        for i, r in enumerate(recs):
            self.assertEqual(set(r), {"id", "text", "src"})
            self.assertEqual(r["id"], "d%08d" % i)
            self.assertTrue(r["text"].strip())

    def test_scripts_present(self):
        text = "".join(r["text"] for r in self.records())
        arabic = sum(1 for c in text if "\u0600" <= c <= "\u06ff")
        tifinagh = sum(1 for c in text if "\u2d30" <= c <= "\u2d7f")
        latin = sum(1 for c in text if c.isascii() and c.isalpha())
        letters = arabic + tifinagh + latin
        self.assertGreater(arabic / letters, 0.3)
        self.assertGreater(latin / letters, 0.2)
        self.assertGreater(tifinagh / letters, 0.01)

    def test_planted_exact_duplicates(self):
        counts = Counter(r["text"] for r in self.records())
        dup_docs = sum(c - 1 for c in counts.values())
        # 4 % planted; a few short junk lines repeat on their own.
        self.assertGreater(dup_docs / len(self.records()), 0.02)
        self.assertLess(dup_docs / len(self.records()), 0.08)

    def test_vocabulary_is_large_and_zipfian(self):
        counts = Counter()
        for r in self.records():
            counts.update(w.lower() for w in WORD.findall(r["text"]))
        tokens = sum(counts.values())
        top = sum(c for _, c in counts.most_common(1000)) / tokens
        self.assertGreaterEqual(len(counts), 60000, "distinct word types on %d MB" % MB)
        self.assertGreater(top, 0.35)
        self.assertLess(top, 0.65)


if __name__ == "__main__":
    unittest.main()
