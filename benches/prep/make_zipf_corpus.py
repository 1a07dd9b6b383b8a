#!/usr/bin/env python3
"""Generates a benchmark JSONL corpus with a realistic vocabulary: Zipfian, mixed-script.

`make_corpus.py` recombines a few hundred project sentences, so every word recurs
thousands of times and awal's per-word caches (LID evidence, transliteration) hit far more
often than on real text. This generator keeps the same interface and record fields
(`{"id", "text", "src"}`) but draws every word from a vocabulary of about 850,000 forms
whose frequencies follow Zipf's law, the way words of a real web crawl do.

The vocabulary (built once, in a few seconds) comes only from the project's own data —
the sentences of `crates/awal-lid/data/`, the Darija lexicons and the loanword list of
`crates/awal-translit/lexicons/` and the Tifinagh table of
`crates/awal-translit/schemes/zgh-tfng.tsv` — never from `../shared/`. Small lexicons
reach a realistic size the way languages do, by morphology:

* Darija in Arabic script: the lexicons' words and inflected forms, the sentences'
  words, and those words with the conjunctions و ف, the prepositions ب ل ك, the article
  ال, possessive and object suffixes (ي ك ها هم نا ني و ت) and the negation ما…ش.
* Darija in Latin script (Arabizi): the lexicons' own spellings, and the 150,000 best-ranked
  Arabic-script forms above spelled in the chat alphabet by the lexicon's `careful` rules
  (`make_forms.py`) and then made casual the ways people write it (5 for kh, ou for o,
  lower-case emphatics, doubled vowels).
* MSA: the sentences' stems with و ف ب ل ك, ال and the pronoun and plural suffixes.
* French and English: the sentences' words and the loan list, inflected by their
  endings (-e -s -es, -er verbs conjugated, elided l' d' j' qu' n' s' c'; -s -ed -ing).
* Tamazight in Tifinagh: the sentences' words with the feminine circumfix ⵜ…ⵜ, the
  plural ⵉ…ⵏ, the construct state ⵓ-, possessives (ⵉⵏⵓ ⵏⵏⵙ ⵏⵏⵖ …) and verb person
  markers; Tamazight in Latin script is the same vocabulary through the project's IRCAM
  table, plus the Latin sentences' words.

Each language's forms are ranked by (rank of the stem) x (frequency of the affixes) and
drawn with probability proportional to 1 / (rank + 2.7) ** ZIPF_S (Zipf-Mandelbrot,
exponent 1.05, as in natural text). At sampling time a small share of tokens become the
long tail real text has: typos (one character edited), numbers, hashtags, @mentions.
The 120 most frequent words of each language's sentences (function words) get no affixes.

Documents: 2-12 sentences of 3-24 words in 1-3 paragraphs, in the language shares of
LANG_SHARES (an estimate for a Moroccan web crawl: see benches/README.md), with
code-switched documents, planted exact (4 %) and near (3 %) duplicates of earlier
documents, fake PII (phones, e-mails; 3 %), boilerplate lines (4 %) and junk (1 %), so that
every stage of `awal prepare` has work. Deterministic for a given --seed.

Usage: make_zipf_corpus.py --mb 200 --out /tmp/awal-prep-bench/zipf-200mb.jsonl [--seed 6]
Prints the documents, MB, distinct word types emitted and the top-1000 types' token share.
"""
import argparse
import bisect
import importlib.util
import json
import math
import os
import random
import re
import time
from collections import Counter
from itertools import accumulate

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
LID = os.path.join(ROOT, "crates", "awal-lid", "data")
LEX = os.path.join(ROOT, "crates", "awal-translit", "lexicons")
SCHEMES = os.path.join(ROOT, "crates", "awal-translit", "schemes")

# Zipf-Mandelbrot exponent and offset of every language's rank-frequency curve.
ZIPF_S = 1.05
ZIPF_Q = 2.7

# Share of documents per kind: our estimate of a Moroccan web crawl, news and
# institutional sites (MSA, French) beside social media and comments (Darija in both
# scripts, code-switching), a little Tamazight and English. See benches/README.md.
LANG_SHARES = [
    ("ary_Arab", 0.25),
    ("arb_Arab", 0.22),
    ("fra_Latn", 0.18),
    ("ary_Latn", 0.12),
    ("mix_ary_Arab+fra_Latn", 0.05),
    ("mix_ary_Latn+fra_Latn", 0.05),
    ("mix_ary_Arab+arb_Arab", 0.03),
    ("eng_Latn", 0.04),
    ("zgh_Tfng", 0.03),
    ("zgh_Latn", 0.03),
]

# Forms kept per language (the best-ranked): enough that the tail keeps growing with the
# corpus, as real text does, with a vocabulary built in seconds.
VOCAB_CAP = {"ary_Arab": 300000, "ary_Latn": 300000, "arb_Arab": 200000, "fra_Latn": 100000,
             "eng_Latn": 30000, "zgh_Tfng": 60000, "zgh_Latn": 60000}
# Arabic-script Darija forms also written in the chat alphabet (the best-ranked).
ARABIZI_FROM_ARABIC = 150000

EXACT_DUP_RATE = 0.04
NEAR_DUP_RATE = 0.03
PII_RATE = 0.03
BOILERPLATE_RATE = 0.04
JUNK_RATE = 0.01
# Per token: the tail that no lexicon holds.
TYPO_RATE = 0.004
NUMBER_RATE = 0.006
HASHTAG_RATE = 0.002
MENTION_RATE = 0.001
TAIL_RATE = TYPO_RATE + NUMBER_RATE + HASHTAG_RATE + MENTION_RATE
LOG_NO_TAIL = math.log(1.0 - TAIL_RATE)

WORD = re.compile(r"\w+(?:['’]\w+)*")


# ---------------------------------------------------------------- project data


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def sentence_words(label, lower):
    """Words of the project's sentences for one LID label, most frequent first."""
    counts = Counter()
    for line in read_lines(os.path.join(LID, label + ".txt")):
        for w in WORD.findall(line):
            if any(c.isdigit() for c in w):
                continue
            counts[w.lower() if lower else w] += 1
    # Ties in first-seen order (Counter keeps insertion order), so the order is stable.
    return [w for w, _ in sorted(counts.items(), key=lambda kv: -kv[1])]


def read_tsv(name):
    rows = []
    with open(os.path.join(LEX, name), encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if not l.startswith("#")]
    for line in lines[1:]:
        cols = line.split("\t")
        if len(cols) >= 2:
            rows.append(cols)
    return rows


def load_careful():
    """`careful` of make_forms.py: the lexicon's own Arabic -> chat-alphabet spelling."""
    spec = importlib.util.spec_from_file_location("make_forms", os.path.join(LEX, "make_forms.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.careful


def tifinagh_to_latin_table():
    table = {}
    with open(os.path.join(SCHEMES, "zgh-tfng.tsv"), encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 3 and cols[2] in ("both", "to-latin") and len(cols[0]) == 1:
                table.setdefault(cols[0], cols[1])
    return table


# ---------------------------------------------------------------- vocabulary


class Ranked:
    """Forms with a score (stem weight x affix weight), first score kept per form."""

    def __init__(self):
        self.score = {}

    def add(self, form, score):
        if form and score > self.score.get(form, 0.0):
            self.score[form] = score

    def ranked(self, cap):
        """The `cap` best forms, best first. Equal scores keep their insertion order (the
        sort is stable and every builder adds forms in a fixed order, never from a set), so
        ranks and output do not depend on hashing."""
        items = sorted(self.score.items(), key=lambda kv: -kv[1])
        return [w for w, _ in items[:cap]]


def stem_weights(words):
    """Zipf weight of each base word by its position in `words` (deduplicated)."""
    out = {}
    for w in words:
        if w and w not in out:
            out[w] = 1.0 / (len(out) + 1)
    return out


# The most frequent words of each language's sentences are function words (في, على, de,
# the, ⴷ): they are kept as they are, never given affixes, so that the head of the curve
# holds no form like الإلى.
FUNCTION_WORDS = 120


def function_words(head):
    return dict.fromkeys(head[:FUNCTION_WORDS])


AR_PROCLITICS = [("", 1.0), ("و", 0.25), ("ف", 0.08), ("ب", 0.1), ("ل", 0.08), ("ك", 0.02)]
ARY_POSSESSIVE = [("", 1.0), ("ي", 0.08), ("ك", 0.05), ("ها", 0.05), ("هم", 0.03), ("نا", 0.03), ("كم", 0.02), ("ات", 0.05)]
ARY_OBJECT = [("", 1.0), ("ها", 0.08), ("هم", 0.04), ("ني", 0.05), ("ك", 0.04), ("و", 0.06), ("ت", 0.04), ("ليه", 0.02), ("ليها", 0.02)]
MSA_SUFFIX = [("", 1.0), ("ه", 0.06), ("ها", 0.05), ("هم", 0.03), ("ك", 0.02), ("نا", 0.03), ("ي", 0.03),
              ("ة", 0.05), ("ات", 0.05), ("ون", 0.03), ("ين", 0.04), ("ان", 0.02), ("هما", 0.005)]
AR_LETTERS = set("ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآىةئؤڭگڤپ")


def arabic_word(w):
    return len(w) >= 2 and all(c in AR_LETTERS for c in w)


def strip_arabic_clitics(w):
    """A rough stem: leading و/ف/ب/ل/ك and the article off, when 3 letters remain."""
    if len(w) > 4 and w[0] in "وفبلك" and w[1:3] == "ال":
        w = w[1:]
    if len(w) > 4 and w.startswith("ال"):
        w = w[2:]
    return w


def build_ary_arab():
    core = read_tsv("darija-core.tsv")
    content = read_tsv("darija-content.tsv")
    careful_rows = read_tsv("darija-careful.tsv")
    pos = {}
    for cols in core + content:
        if len(cols) >= 3:
            pos.setdefault(cols[0], cols[2])
    head = sentence_words("ary_Arab", lower=False)
    lexicon = [c[0] for c in core + content if " " not in c[0]]
    forms = [c[0] for c in careful_rows]
    generated = {c[0] for c in careful_rows if len(c) >= 3 and c[2] == "form"}
    base = stem_weights(head + lexicon + forms)
    fixed = function_words(head)
    r = Ranked()
    for stem, sw in base.items():
        if not arabic_word(stem) or stem in fixed or pos.get(stem) in ("pron", "prep", "adv", "interj", "num", "name"):
            r.add(stem, sw)
            continue
        p = pos.get(stem)
        is_verbish = p == "verb" or (p is None and stem in generated) or stem[:2] in ("كي", "كن", "كت", "غا")
        for pre, pw in AR_PROCLITICS:
            if is_verbish:
                # The lexicon's forms already carry the preverbs (كن كي غا) and ما…ش;
                # what remains is the conjunction and an object pronoun.
                if pre not in ("", "و", "ف"):
                    continue
                for suf, sfw in ARY_OBJECT:
                    r.add(pre + stem + suf, sw * pw * sfw)
                if not pre and not stem.startswith("ما"):
                    r.add("ما" + stem + "ش", sw * 0.05)
            else:
                r.add(pre + stem, sw * pw)
                has_article = stem.startswith("ال")
                if not has_article and p in ("noun", "adj"):
                    art = "ل" + stem if pre == "ل" else pre + "ال" + stem
                    r.add(art, sw * pw * 0.5)
                if not has_article:
                    for suf, sfw in ARY_POSSESSIVE[1:]:
                        r.add(pre + stem + suf, sw * pw * sfw)
    return r


def casual_spellings(careful_latin):
    """How people write a careful chat-alphabet spelling: the common variants."""
    base = careful_latin.lower()
    out = [(base, 1.0)]
    if "kh" in base:
        out.append((base.replace("kh", "5"), 0.3))
    if "o" in base and "ou" not in base:
        out.append((base.replace("o", "ou"), 0.4))
    if "ch" in base:
        out.append((base.replace("ch", "sh"), 0.1))
    if "9" in base:
        out.append((base.replace("9", "q"), 0.15))
    if base.endswith("a"):
        out.append((base + "a", 0.05))
    if careful_latin != base:
        out.append((careful_latin, 0.1))  # emphatics kept as capitals
    return out


ARY_LATN_PRE = [("", 1.0), ("w", 0.2), ("f", 0.06), ("b", 0.06), ("l", 0.05)]
ARY_LATN_SUF = [("", 1.0), ("ha", 0.05), ("hom", 0.03), ("ni", 0.03), ("k", 0.03), ("ek", 0.02), ("ou", 0.04), ("na", 0.02)]


def build_ary_latn(ary_arab_ranked, careful):
    head = sentence_words("ary_Latn", lower=True)
    lex = []
    for cols in read_tsv("darija-core.tsv") + read_tsv("darija-content.tsv"):
        lex.extend(v.strip().lower() for v in cols[1].split("|") if v.strip() and " " not in v.strip())
    r = Ranked()
    fixed = function_words(head)
    for stem, sw in stem_weights(head + lex).items():
        if stem in fixed or len(stem) < 3:
            r.add(stem, sw)
            continue
        for pre, pw in ARY_LATN_PRE:
            for suf, sfw in ARY_LATN_SUF:
                r.add(pre + stem + suf, sw * pw * sfw)
        r.add("ma" + stem + "ch", sw * 0.02)
    # The Arabic-script forms in the chat alphabet, each at its Arabic rank, below the
    # hand-written spellings (which people use far more often).
    for i, ar in enumerate(ary_arab_ranked[:ARABIZI_FROM_ARABIC]):
        spelled = careful(ar)
        if not spelled:
            continue
        for v, vw in casual_spellings(spelled):
            r.add(v, 0.5 * vw / (i + 1 + len(head)))
    return r


def build_msa():
    head = sentence_words("arb_Arab", lower=False)
    fixed = function_words(head)
    stems = [strip_arabic_clitics(w) for w in head if w not in fixed and w[0] not in "وفبلك"]
    r = Ranked()
    for w, sw in stem_weights(head).items():
        r.add(w, sw)
    for stem, sw in stem_weights(stems).items():
        if not arabic_word(stem) or len(stem) < 3 or stem in fixed:
            continue
        for pre, pw in AR_PROCLITICS:
            for art, aw in (("", 1.0), ("ال", 0.7)):
                for suf, sfw in MSA_SUFFIX:
                    if art and suf in ("ه", "ها", "هم", "ك", "نا", "ي", "هما"):
                        continue
                    a = "ل" if pre == "ل" and art else art  # ل + ال -> لل
                    r.add(pre + a + stem + suf, sw * pw * aw * sfw)
    return r


FR_ELIDE = ["l'", "d'", "j'", "qu'", "n'", "s'", "c'", "m'"]
FR_VERB_ER = [("er", 1.0), ("e", 0.6), ("es", 0.2), ("ons", 0.2), ("ez", 0.2), ("ent", 0.3), ("é", 0.6), ("ée", 0.2),
              ("és", 0.15), ("ées", 0.05), ("ait", 0.3), ("aient", 0.1), ("ais", 0.15), ("erai", 0.05), ("era", 0.1),
              ("erons", 0.03), ("eront", 0.05), ("ant", 0.1), ("ions", 0.05), ("iez", 0.02)]


def strip_accents(w):
    return w.translate(str.maketrans("éèêëàâîïôûùç", "eeeeaaiiouuc"))


def build_french():
    head = sentence_words("fra_Latn", lower=True)
    loans = [c[0].lower() for c in read_tsv("loans.tsv") if len(c) >= 2 and c[1] == "fra" and " " not in c[0]]
    fixed = function_words(head)
    r = Ranked()
    for stem, sw in stem_weights(head + loans).items():
        if "'" in stem or "’" in stem or stem in fixed or len(stem) < 4 or not stem.isalpha():
            r.add(stem, sw)
            continue
        if stem.endswith("er"):
            endings = [(stem[:-2] + e, w) for e, w in FR_VERB_ER]
        elif stem.endswith(("s", "x", "z")):
            endings = [(stem, 1.0)]
        elif stem.endswith("e"):
            endings = [(stem, 1.0), (stem + "s", 0.4), (stem + "ment", 0.02)]
        else:
            endings = [(stem, 1.0), (stem + "s", 0.4), (stem + "e", 0.15), (stem + "es", 0.1)]
        for form, fw in endings:
            r.add(form, sw * fw)
            if form[0] in "aeiouéèêhâî":
                for el in FR_ELIDE:
                    r.add(el + form, sw * fw * 0.03)
            plain = strip_accents(form)
            if plain != form:
                r.add(plain, sw * fw * 0.1)  # written without accents, as on phones
    return r


def build_english():
    head = sentence_words("eng_Latn", lower=True)
    loans = [c[0].lower() for c in read_tsv("loans.tsv") if len(c) >= 2 and c[1] == "eng" and " " not in c[0]]
    fixed = function_words(head)
    r = Ranked()
    for stem, sw in stem_weights(head + loans).items():
        r.add(stem, sw)
        if stem not in fixed and len(stem) > 3 and stem.isalpha() and not stem.endswith(("s", "ed", "ing", "ly")):
            for suf, w in (("s", 0.3), ("ed", 0.1), ("ing", 0.1), ("er", 0.03), ("'s", 0.03)):
                r.add(stem + suf, sw * w)
    return r


TF_VOWELS = "ⴰⵉⵓ"
TF_POSSESSIVE = [("ⵉⵏⵓ", 0.04), ("ⵏⵏⵙ", 0.05), ("ⵏⵏⵖ", 0.02), ("ⵏⵏⴽ", 0.02), ("ⵏⵏⵎ", 0.01), ("ⵏⵏⵙⵏ", 0.01)]
TF_VERB = [("ⵉ", 0.2), ("ⵜ", 0.15), ("ⵏ", 0.1), ("ⵜⵜ", 0.05), ("", 1.0)]
TF_VERB_SUF = [("", 1.0), ("ⵏ", 0.15), ("ⵏⵜ", 0.05), ("ⵖ", 0.05), ("ⴷ", 0.05)]


def build_tifinagh():
    head = sentence_words("zgh_Tfng", lower=False)
    fixed = function_words(head)
    r = Ranked()
    for stem, sw in stem_weights(head).items():
        r.add(stem, sw)
        if len(stem) < 3 or stem in fixed:
            continue
        if stem[0] in "ⴰⵉ" and not stem.startswith("ⵜ"):
            # Masculine noun: feminine ⵜ…ⵜ, plural ⵉ…ⵏ, construct state ⵓ-.
            body = stem[1:]
            r.add("ⵜ" + stem + "ⵜ", sw * 0.15)
            r.add("ⵉ" + body + "ⵏ", sw * 0.2)
            r.add("ⵓ" + body, sw * 0.2)
            r.add("ⵜⵉ" + body + "ⵉⵏ", sw * 0.04)
            for suf, w in TF_POSSESSIVE:
                r.add(stem + suf, sw * w)
                r.add("ⵉ" + body + "ⵏ" + suf, sw * w * 0.3)
        elif stem.startswith("ⵜⴰ") and stem.endswith("ⵜ"):
            body = stem[2:-1]
            r.add("ⵜⵉ" + body + "ⵉⵏ", sw * 0.15)
            r.add("ⵜ" + stem[2:], sw * 0.15)
            for suf, w in TF_POSSESSIVE:
                r.add(stem + suf, sw * w)
        else:
            for pre, pw in TF_VERB:
                for suf, fw in TF_VERB_SUF:
                    if pre or suf:
                        r.add(pre + stem + suf, sw * pw * fw)
    return r


def build_zgh_latn(tfng_ranked):
    table = tifinagh_to_latin_table()
    head = sentence_words("zgh_Latn", lower=True)
    r = Ranked()
    for w, sw in stem_weights(head).items():
        r.add(w, sw)
    for i, tf in enumerate(tfng_ranked):
        r.add("".join(table.get(c, c) for c in tf), 0.5 / (i + 1 + len(head)))
    return r


class TableSampler:
    """Draws words with probability proportional to `weights`, exactly, at about the cost
    of a uniform draw for most tokens.

    Word w of mass m_w owns floor(m_w * SLOTS) slots of a table drawn uniformly; the slots
    left over (the fractional parts and the rarer words) say "draw from the residual
    masses", which a second table of the same kind does, and below it bisection over the
    cumulative residual masses. The mixture is the exact distribution."""

    SLOTS = 1 << 16  # slot numbers are 16-bit: see draw()

    def __init__(self, words, weights, levels):
        total = sum(weights)
        table = []
        residual = []
        for w, x in zip(words, weights):
            share = x / total * self.SLOTS
            whole = int(share)
            if whole:
                table.extend([w] * whole)
            residual.append(share - whole)
        self.residual_share = 1.0 - len(table) / self.SLOTS
        table.extend([None] * (self.SLOTS - len(table)))
        self.table = table
        self.words = words
        if levels > 1:
            self.below = TableSampler(words, residual, levels - 1)
        else:
            self.below = None
            self.residual_cum = list(accumulate(residual))

    def draw(self, rng, n):
        # n 16-bit slot numbers from one randbytes call, looked up by map(): no Python
        # code runs per token that lands on a word's slot.
        words = list(map(self.table.__getitem__, memoryview(rng.randbytes(2 * n)).cast("H")))
        if None not in words:
            return words
        holes = []
        i = words.index(None)
        try:
            while True:
                holes.append(i)
                i = words.index(None, i + 1)
        except ValueError:
            pass
        if self.below is not None:
            for i, w in zip(holes, self.below.draw(rng, len(holes))):
                words[i] = w
        else:
            cum = self.residual_cum
            top = cum[-1]
            last = len(cum) - 1
            for i in holes:
                words[i] = self.words[min(bisect.bisect(cum, rng.random() * top), last)]
        return words


class ZipfSampler(TableSampler):
    """Words of a ranked list drawn with probability proportional to
    1 / (rank + ZIPF_Q) ** ZIPF_S."""

    def __init__(self, ranked):
        super().__init__(ranked, [1.0 / (i + ZIPF_Q) ** ZIPF_S for i in range(len(ranked))], levels=2)


def build_vocabulary():
    careful = load_careful()
    ary = build_ary_arab().ranked(VOCAB_CAP["ary_Arab"])
    tfng = build_tifinagh().ranked(VOCAB_CAP["zgh_Tfng"])
    lists = {
        "ary_Arab": ary,
        "ary_Latn": build_ary_latn(ary, careful).ranked(VOCAB_CAP["ary_Latn"]),
        "arb_Arab": build_msa().ranked(VOCAB_CAP["arb_Arab"]),
        "fra_Latn": build_french().ranked(VOCAB_CAP["fra_Latn"]),
        "eng_Latn": build_english().ranked(VOCAB_CAP["eng_Latn"]),
        "zgh_Tfng": tfng,
        "zgh_Latn": build_zgh_latn(tfng).ranked(VOCAB_CAP["zgh_Latn"]),
    }
    return {k: ZipfSampler(v) for k, v in lists.items()}


# ---------------------------------------------------------------- documents

SENTENCE_LENGTHS = (3, 4, 5, 6, 6, 7, 8, 8, 9, 10, 11, 12, 13, 14, 16, 18, 20, 24)
END = {"Arab": [". ", ". ", "؟ ", "! "], "Latn": [". ", ". ", "? ", "! "], "Tfng": [". ", ". ", "? "]}
EMOJI = ["😂", "🙏", "❤️", "👍", "🔥", "😍", "🇲🇦", "💚", "😅"]
BOILERPLATE = [
    "Nous utilisons des cookies pour améliorer votre expérience. Accepter",
    "Accueil | Actualités | Sport | Culture | Économie | Contact",
    "© 2024 Tous droits réservés",
    "Please enable JavaScript to view the comments",
    "جميع الحقوق محفوظة © 2024",
    "Home | News | Sport | Videos | Contact us",
    "Cliquez ici pour lire la suite",
    "Partager sur Facebook | Twitter | WhatsApp",
    "اقرأ أيضا",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.",
]
PII_LINES = {
    "Arab": ["عيط ليا على {phone} من بعد العصر", "للتواصل: {phone} أو {email}", "صيفط ليا على {email} الله يخليك"],
    "Latn": ["3iyet lia 3la {phone} ila bghiti", "Pour toute information contactez-nous au {phone} ou par mail {email}",
             "kteb lia f {email} wla f whatsapp {phone}", "Contact: {email}, tel {phone}"],
    "Tfng": ["ⴰⵣⵓⵍ, ⵙⵉⵡⵍ ⵉⵢⵉ ⵖⴼ {phone}"],
}
USERS = ["ali", "fatima.z", "yassine", "khadija", "amine_b", "tiziri", "ayour.m", "salma", "hamza"]
DOMAINS = ["example.ma", "example.com", "mail.example.org"]


def script_of(lang):
    return lang.split("_")[1]


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.vocab = build_vocabulary()
        self.kinds = [k for k, _ in LANG_SHARES]
        self.kind_cum = list(accumulate(w for _, w in LANG_SHARES))
        self.counts = Counter()
        self.tail_gap = 0
        self.recent = []  # earlier documents, source of planted duplicates

    def words(self, lang, n):
        return self.vocab[lang].draw(self.rng, n)

    def tail(self, words):
        """Typos, numbers, hashtags and mentions: the part of real text no list holds.
        The gap to the next such token is drawn (geometric), not a coin per token."""
        rng = self.rng
        i = self.tail_gap
        while i < len(words):
            x = rng.random() * TAIL_RATE
            if x < TYPO_RATE:
                words[i] = self.typo(words[i])
            elif x < TYPO_RATE + NUMBER_RATE:
                words[i] = rng.choice([str(rng.randrange(1, 100)), str(rng.randrange(1950, 2031)),
                                       "%d,%02d" % (rng.randrange(1000), rng.randrange(100)), str(rng.randrange(100, 100000))])
            elif x < TYPO_RATE + NUMBER_RATE + HASHTAG_RATE:
                words[i] = "#" + words[i] + rng.choice(["", "", "_" + str(rng.randrange(2015, 2027))])
            else:
                words[i] = "@" + rng.choice(USERS).replace(".", "_") + str(rng.randrange(1000))
            i += 1 + int(math.log(1.0 - rng.random()) / LOG_NO_TAIL)
        self.tail_gap = i - len(words)

    def typo(self, w):
        rng = self.rng
        if len(w) < 3:
            return w
        i = rng.randrange(len(w))
        op = rng.randrange(4)
        if op == 0:
            return w[:i] + w[i + 1:]
        if op == 1:
            return w[:i] + w[i] + w[i:]
        if op == 2 and i + 1 < len(w):
            return w[:i] + w[i + 1] + w[i] + w[i + 2:]
        return w[:i] + rng.choice(w) + w[i + 1:]

    def document_words(self, kind, lens):
        """All the words of a document's sentences, drawn at once (fewer calls per token)."""
        rng = self.rng
        total = sum(lens)
        if kind.startswith("mix_"):
            # Code-switching: about 30 % of the words come from the second language.
            a, b = kind[4:].split("+")
            words = self.words(a, total)
            other = self.words(b, total)
            for i in range(total):
                if rng.random() < 0.3:
                    words[i] = other[i]
        else:
            words = self.words(kind, total)
        self.tail(words)
        self.counts.update(words)
        return words

    def sentences(self, kind, n):
        rng = self.rng
        lens = [SENTENCE_LENGTHS[int(rng.random() * len(SENTENCE_LENGTHS))] for _ in range(n)]
        words = self.document_words(kind, lens)
        lang = kind[4:].split("+")[0] if kind.startswith("mix_") else kind
        script = script_of(lang)
        capitalize = script == "Latn" and lang != "ary_Latn"
        darija = lang in ("ary_Arab", "ary_Latn")
        comma = "،" if script == "Arab" else ","
        ends = END[script]
        out = []
        start = 0
        for m in lens:
            sw = words[start:start + m]
            start += m
            if capitalize and rng.random() < 0.8:
                sw[0] = sw[0][:1].upper() + sw[0][1:]
            if m > 8 and rng.random() < 0.4:
                j = rng.randrange(2, m - 2)
                sw[j] = sw[j] + comma
            text = " ".join(sw)
            if darija and rng.random() < 0.1:
                out.append(text + " " + rng.choice(EMOJI) + " ")
            else:
                out.append(text + rng.choice(ends))
        return out

    def document(self, kind):
        rng = self.rng
        n = rng.choice((2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7, 8, 9, 10, 11, 12))
        sents = self.sentences(kind, n)
        cuts = sorted(rng.sample(range(1, n), min(n - 1, rng.choice((0, 0, 1, 2)))))
        paras = [("".join(sents[a:b])).strip() for a, b in zip([0] + cuts, cuts + [n])]
        lang = kind[4:].split("+")[0] if kind.startswith("mix_") else kind
        script = script_of(lang)
        if rng.random() < PII_RATE:
            paras.append(self.pii_line(script))
        if rng.random() < BOILERPLATE_RATE:
            paras.insert(0, rng.choice(BOILERPLATE))
            if rng.random() < 0.5:
                paras.append(rng.choice(BOILERPLATE))
        return "\n\n".join(paras)

    def pii_line(self, script):
        rng = self.rng
        d = rng.choice("5678") + "".join(rng.choice("0123456789") for _ in range(8))
        phone = rng.choice(["0" + d, "+212" + d, "+212 " + d[0] + " " + " ".join(d[i:i + 2] for i in range(1, 9, 2)),
                            "0" + d[0] + "." + ".".join(d[i:i + 2] for i in range(1, 9, 2))])
        email = rng.choice(USERS) + str(rng.randrange(100)) + "@" + rng.choice(DOMAINS)
        return rng.choice(PII_LINES[script]).format(phone=phone, email=email)

    def junk(self):
        rng = self.rng
        return rng.choice([
            lambda: " ".join(rng.choice(["★★★", "###", "$$$", "🔥🔥🔥", ">>>", "|||"]) for _ in range(rng.randrange(5, 12))),
            lambda: " ".join(str(rng.randrange(10 ** 7)) for _ in range(rng.randrange(6, 14))),
            lambda: "rbe7 daba" + " rbe7 daba" * rng.randrange(8, 20),
            lambda: "h" * rng.randrange(20, 60),
        ])()

    def near_variant(self, text):
        rng = self.rng
        words = text.split(" ")
        op = rng.randrange(3)
        if op == 0 and len(words) > 6:
            i = rng.randrange(len(words))
            words[i] = self.typo(words[i])
        elif op == 1 and len(words) > 8:
            del words[rng.randrange(len(words))]
        else:
            return text + " " + rng.choice(EMOJI)
        return " ".join(words)

    def next_text(self):
        rng = self.rng
        x = rng.random()
        if self.recent and x < EXACT_DUP_RATE:
            return rng.choice(self.recent)
        if self.recent and x < EXACT_DUP_RATE + NEAR_DUP_RATE:
            return self.near_variant(rng.choice(self.recent))
        if x < EXACT_DUP_RATE + NEAR_DUP_RATE + JUNK_RATE:
            return self.junk()
        kind = self.kinds[bisect.bisect(self.kind_cum, rng.random() * self.kind_cum[-1])]
        text = self.document(kind)
        # A bounded pool of earlier documents: duplicates land near and far from their
        # original, as on a crawl, without keeping the whole corpus in memory.
        if len(self.recent) < 20000:
            self.recent.append(text)
        else:
            self.recent[rng.randrange(20000)] = text
        return text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=6)
    a = ap.parse_args()
    t0 = time.time()
    gen = Generator(a.seed)
    vocab_size = sum(len(v.words) for v in gen.vocab.values())
    t1 = time.time()
    out_path = os.path.abspath(a.out)
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    tmp = out_path + ".tmp"
    target = int(a.mb * 1024 * 1024)
    written = 0
    i = 0
    with open(tmp, "w", encoding="utf-8") as out:
        while written < target:
            line = json.dumps({"id": "d%08d" % i, "text": gen.next_text(), "src": "bench"}, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            i += 1
    os.replace(tmp, out_path)  # a half-written corpus never has the final name
    by_rank = sorted(gen.counts.values(), reverse=True)
    tokens = sum(by_rank)
    top = sum(by_rank[:1000])
    print("%s: %d documents, %.1f MB; vocabulary %d forms (built in %.1f s); emitted %d distinct word types "
          "in %d tokens, top 1000 types cover %.1f %% of tokens, rank-frequency slope %.2f (ranks 10-10,000); %.1f s" % (
              a.out, i, written / 1048576, vocab_size, t1 - t0, len(by_rank), tokens, 100.0 * top / max(tokens, 1),
              zipf_slope(by_rank), time.time() - t0))


def zipf_slope(by_rank, lo=10, hi=10000):
    """Least-squares slope of log(count) on log(rank) over ranks lo..hi (minus the Zipf
    exponent of the emitted text: all languages together, tails and duplicates included)."""
    pts = [(math.log(r), math.log(c)) for r, c in enumerate(by_rank[lo - 1:hi], start=lo)]
    if len(pts) < 2:
        return float("nan")
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)


if __name__ == "__main__":
    main()
