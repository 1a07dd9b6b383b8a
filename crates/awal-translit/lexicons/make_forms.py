#!/usr/bin/env python3
"""Generate inflected Darija forms from the hand-written lexicons.

    python3 crates/awal-translit/lexicons/make_forms.py > crates/awal-translit/lexicons/darija-careful.tsv

Reads only `darija-core.tsv` and `darija-content.tsv` (project-written) and applies the
regular morphology of Moroccan Darija, written out below as rules:

* verbs (past 3rd person masculine, `pos` = verb, gloss "he ..."): the past paradigm
  (-t, -ti, -at, -na, -tu, -u), the imperfective (n- t- y-, -i, -u) bare and with the
  preverbs ka- / ta- / gha-, the imperative, negation ma-...-ch, and object clitics
  (-ha, -hom, -ni, -k, -kom) on the common forms. Sound, geminate (حل), hollow (شاف)
  and final-weak (مشا) verbs are told apart by their Arabic shape; the imperfective stem
  is taken from the lexicon's own `كي...` row when there is one;
* adjectives: feminine -a (ة), plural -in (ين), feminine plural -at (ات);
* every Arabic word (lexicon and generated) also gets its "careful" chat-alphabet
  spelling: long vowels written (ا a, و o, ي i), emphatics as capitals (ط T, ض D, ص S),
  hamza as 2, shadda as a doubled letter, short vowels left out. Careful writers (and
  word lists such as DODa) spell this way, casual ones as the lexicon's first variants.

The output, `darija-careful.tsv`, holds `arabic<TAB>careful latin<TAB>source`, where source
is `lexicon` (a word of the hand-written lexicons) or `form` (a generated inflected form).
Deterministic: the same input gives the same output, byte for byte. The output starts
with a `#` comment line (skipped by the pairs reader) that says it is generated.
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = ["darija-core.tsv", "darija-content.tsv"]

# Arabic letter -> careful chat-alphabet spelling (vowel letters handled in `careful`).
LETTERS = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "7", "خ": "kh", "د": "d", "ذ": "d",
    "ر": "r", "ز": "z", "س": "s", "ش": "ch", "ص": "S", "ض": "D", "ط": "T", "ظ": "Z",
    "ع": "3", "غ": "gh", "ف": "f", "ق": "9", "ك": "k", "ڭ": "g", "گ": "g", "ل": "l",
    "م": "m", "ن": "n", "ه": "h", "ء": "2", "ئ": "2", "ؤ": "2", "ڤ": "v", "پ": "p",
}
SUN = set("تثدذرزسشصضطظنل")
VOWEL_LETTERS = "اويآى"
SHADDA = "\u0651"


def careful(word):
    """The careful chat-alphabet spelling of an Arabic word, or None if it holds a
    letter outside the table."""
    out = []
    if word.startswith("ال") and len(word) > 3:
        # The article: `l` before a moon letter, the doubled letter before a sun letter.
        first = word[2]
        if first in SUN and first in LETTERS:
            out.append(LETTERS[first])
        else:
            out.append("l")
        word = word[2:]
    n = len(word)
    for i, c in enumerate(word):
        prev = word[i - 1] if i > 0 else None
        nxt = word[i + 1] if i + 1 < n else None
        if c == SHADDA:
            if out and out[-1]:
                out.append(out[-1][-1])
            continue
        if c in "اآى":
            out.append("a")
        elif c == "أ":
            out.append("a" if i == 0 else "2")  # word-initial hamza is mostly unwritten
        elif c == "إ":
            out.append("i" if i == 0 else "2")
        elif c == "ة":
            out.append("a")
        elif c in "وي":
            after_consonant = prev is not None and prev not in VOWEL_LETTERS
            before_vowel = nxt is not None and nxt in "اويةى"
            if i == 0 or nxt == SHADDA or (before_vowel and not after_consonant):
                out.append("w" if c == "و" else "y")
            else:
                out.append("o" if c == "و" else "i")
        elif c in LETTERS:
            out.append(LETTERS[c])
        else:
            return None
    return "".join(out)


def read_lexicon():
    rows = []
    for name in SOURCES:
        with open(os.path.join(HERE, name), encoding="utf-8") as f:
            next(f)
            for line in f:
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 4:
                    continue
                arabic, latin, pos, gloss = cols[:4]
                variants = [v.strip() for v in latin.split("|") if v.strip()]
                rows.append((arabic.strip(), variants, pos.strip(), gloss.strip()))
    return rows


def skeleton(arabic):
    """Consonants of a word: what a verb's past and present stems share."""
    return "".join(c for c in arabic if c not in "اويىءأإآ" + SHADDA)


def drop_schwa(latin):
    """`chreb` -> `chrb`: the short vowel of the last syllable falls before a vowel
    ending (chrbat, chrbu)."""
    return re.sub(r"e([^aeiou0-9]*[^aeiou]|[0-9])$", r"\1", latin)


def ascii_word(latin):
    return re.fullmatch(r"[a-z0-9]+", latin) is not None


class Forms:
    """Collects (arabic, latin, gloss) rows in first-seen order, without duplicates."""

    def __init__(self):
        self.rows = {}

    def add(self, arabic, latins, gloss):
        for latin in latins:
            if not latin or not ascii_word(latin.lower()):
                continue
            key = (arabic, latin)
            if key not in self.rows:
                self.rows[key] = gloss


def verb_paradigm(forms, past_ar, past_lat, imperf, gloss):
    """Adds the paradigm of one verb. `imperf` is (arabic stem, latin stem) or None."""
    g = gloss.split(";")[0].strip()
    add = forms.add
    lat = past_lat
    if past_ar[-1] in "اى" and len(past_ar) >= 2:
        # Final-weak: مشا mcha -> مشيت mchit, مشات mchat, مشاو mchaw.
        base_ar, base = past_ar[:-1], lat[:-1] if lat.endswith("a") else lat
        past = [
            (base_ar + "يت", [base + "it"]),
            (base_ar + "يتي", [base + "iti"]),
            (base_ar + "ات", [base + "at"]),
            (base_ar + "ينا", [base + "ina"]),
            (base_ar + "يتو", [base + "ito", base + "itou", base + "itu"]),
            (base_ar + "او", [base + "aw", base + "aou"]),
        ]
        third = (past_ar, [lat])
        plural3 = past[5]
    elif len(past_ar) == 3 and past_ar[1] == "ا":
        # Hollow: شاف chaf -> شفت cheft, شافت chafet, شافو chafu.
        short_ar = past_ar[0] + past_ar[2]
        m = re.fullmatch(r"(.*?[^aeiou])(aa|a)([^aeiou].*)", lat)
        if not m:
            return
        vowels = ["e", ""]
        if imperf and "و" in imperf[0]:
            vowels.append("o")
        shorts = [m.group(1) + v + m.group(3) for v in vowels]
        past = [
            (short_ar + "ت", [s + "t" for s in shorts]),
            (short_ar + "تي", [s + "ti" for s in shorts]),
            (past_ar + "ت", [lat + "et", lat + "at"]),
            (short_ar + "نا", [s + "na" for s in shorts]),
            (short_ar + "تو", [s + "to" for s in shorts] + [s + "tou" for s in shorts]),
            (past_ar + "و", [lat + "o", lat + "ou", lat + "u"]),
        ]
        third = (past_ar, [lat])
        plural3 = past[5]
    else:
        # Sound and geminate verbs: شرب chreb -> شربت chrebt, شربات chrbat, شربو chrbu.
        geminate = len(skeleton(past_ar)) == 2 and len(past_ar) == 2
        if geminate:
            if not re.search(r"([^aeiou])\1$", lat):
                lat = lat + lat[-1]
            past = [
                (past_ar + "يت", [lat + "it"]),
                (past_ar + "يتي", [lat + "iti"]),
                (past_ar + "ات", [lat + "at"]),
                (past_ar + "ينا", [lat + "ina"]),
                (past_ar + "يتو", [lat + "ito", lat + "itou"]),
                (past_ar + "او", [lat + "aw", lat + "aou"]),
            ]
        else:
            v = drop_schwa(lat)
            past = [
                (past_ar + "ت", [lat + "t"]),
                (past_ar + "تي", [lat + "ti"]),
                (past_ar + "ات", [v + "at"]),
                (past_ar + "نا", [lat + "na"]),
                (past_ar + "تو", [lat + "to", lat + "tou", lat + "tu"]),
                (past_ar + "و", [v + "o", v + "ou", v + "u"]),
            ]
        third = (past_ar, [lat])
        plural3 = past[5]
    add(*third, g)
    for ar, lats in past:
        add(ar, lats, g + " (past)")
    # Negated past: ماشربتش machrebtch.
    for ar, lats in [third] + past:
        add("ما" + ar + "ش", ["ma" + l + "ch" for l in lats] + ["ma" + l + "sh" for l in lats[:1]],
            g + " (negated)")
    # Object clitics on the common past forms.
    clitics = [("ها", "ha"), ("هم", "hom"), ("ني", "ni"), ("كم", "kom")]
    for ar, lats in [third, past[0], plural3]:
        for c_ar, c_lat in clitics:
            add(ar + c_ar, [l + c_lat for l in lats], g + " + object")
    if imperf is None:
        return
    i_ar, i_lat = imperf
    if i_ar.endswith("ي"):
        # مشي mchi: mchiw (plural), same form for 2nd feminine.
        plural_ar, plural_lat = i_ar + "و", [i_lat + "w", i_lat + "o", i_lat + "ou"]
        fem_ar, fem_lat = i_ar, [i_lat]
    elif i_ar.endswith("ا") or i_ar.endswith("ى"):
        # يبقى yb9a: ybqaw.
        plural_ar, plural_lat = i_ar[:-1] + "او", [i_lat + "w", i_lat + "ou"]
        fem_ar, fem_lat = i_ar[:-1] + "اي", [i_lat + "y", i_lat + "i"]
    else:
        v = drop_schwa(i_lat)
        plural_ar, plural_lat = i_ar + "و", [v + "o", v + "ou", v + "u"]
        fem_ar, fem_lat = i_ar + "ي", [v + "i"]
    persons = [
        ("ن", "n", i_ar, [i_lat]),
        ("ت", "t", i_ar, [i_lat]),
        ("ي", "y", i_ar, [i_lat]),
        ("ت", "t", fem_ar, fem_lat),
        ("ن", "n", plural_ar, plural_lat),
        ("ت", "t", plural_ar, plural_lat),
        ("ي", "y", plural_ar, plural_lat),
    ]
    preverbs = [("", ""), ("ك", "ka"), ("ت", "ta"), ("غا", "gha")]
    for p_ar, p_lat in preverbs:
        for per_ar, per_lat, stem_ar, stem_lats in persons:
            if i_ar.startswith("ا") and per_ar:
                # ياكل yakol: the stem's alif stays after the person prefix.
                pass
            ar = p_ar + per_ar + stem_ar
            lats = [p_lat + per_lat + s for s in stem_lats]
            if p_lat and per_lat == "y":
                lats += [p_lat[:-1] + "i" + s for s in stem_lats]  # kichreb
            if not p_lat and per_lat == "y":
                lats += ["i" + s for s in stem_lats]  # ichreb
            add(ar, lats, g + " (present)")
            if p_ar == "ك":
                add("ما" + ar + "ش", ["ma" + l + "ch" for l in lats], g + " (negated present)")
                for c_ar, c_lat in clitics[:2]:
                    add(ar + c_ar, [l + c_lat for l in lats], g + " (present) + object")
    # Imperative.
    add(i_ar, [i_lat], g + " (imperative)")
    add(fem_ar, fem_lat, g + " (imperative, f.)")
    add(plural_ar, plural_lat, g + " (imperative, pl.)")


def main():
    rows = read_lexicon()
    forms = Forms()
    # Imperfective stems from the lexicon's own `كي...` rows, by consonant skeleton.
    present = {}
    for arabic, variants, pos, gloss in rows:
        if pos != "verb" or " " in arabic or not arabic.startswith("كي"):
            continue
        if not gloss.startswith("he "):
            continue
        latin = next((v for v in variants if v.startswith("kay")), None)
        if latin is None or len(arabic) < 4:
            continue
        stem_ar, stem_lat = arabic[2:], latin[3:]
        present.setdefault(skeleton(stem_ar), (stem_ar, stem_lat))
    for arabic, variants, pos, gloss in rows:
        if pos != "verb" or " " in arabic or not gloss.startswith("he "):
            continue
        if arabic[0] in "كتينغ" and arabic[:2] in ("كي", "كت", "كن", "تي", "غا") or arabic.startswith("ما"):
            continue
        latin = variants[0].lower()
        if not ascii_word(latin) or latin.endswith(("ni", "ia", "ya", "o", "ou", "li")):
            continue  # a verb with a pronoun already attached (عطاني), or a plural
        imperf = present.get(skeleton(arabic))
        if imperf is None and not (arabic[-1] in "اى" or (len(arabic) == 3 and arabic[1] == "ا")):
            imperf = (arabic, latin)  # sound verbs keep their stem: شرب -> يشرب
        verb_paradigm(forms, arabic, latin, imperf, gloss)
    for arabic, variants, pos, gloss in rows:
        if pos != "adj" or " " in arabic or arabic[-1] in "ةاى":
            continue
        latin = variants[0].lower()
        if not ascii_word(latin):
            continue
        g = gloss.split(";")[0].strip()
        if arabic.endswith("ي"):
            forms.add(arabic + "ة", [latin + "ya", latin + "a"], g + " (f.)")
            forms.add(arabic + "ين", [latin + "yin", latin + "in"], g + " (pl.)")
            forms.add(arabic + "ات", [latin + "yat", latin + "at"], g + " (f. pl.)")
        else:
            v = drop_schwa(latin)
            forms.add(arabic + "ة", [v + "a"], g + " (f.)")
            forms.add(arabic + "ين", [v + "in"], g + " (pl.)")
            forms.add(arabic + "ات", [v + "at"], g + " (f. pl.)")
    # Careful spellings of every single-word Arabic spelling, lexicon and generated. The
    # generated forms' own Latin spellings are not written out: the careful spelling is
    # what the model learns its candidate rules from.
    lexicon_words = []
    for arabic, _, _, _ in rows:
        if " " not in arabic and arabic not in lexicon_words:
            lexicon_words.append(arabic)
    known = set(lexicon_words)
    generated = []
    for arabic, _ in forms.rows:
        if arabic not in known:
            known.add(arabic)
            generated.append(arabic)
    out = sys.stdout
    out.write("# generated by crates/awal-translit/lexicons/make_forms.py from darija-core.tsv and "
              "darija-content.tsv; do not edit, re-run the script\n")
    out.write("arabic\tlatin\tsource\n")
    for words, source in [(lexicon_words, "lexicon"), (generated, "form")]:
        for arabic in words:
            spelled = careful(arabic)
            if spelled:
                out.write(f"{arabic}\t{spelled}\t{source}\n")

if __name__ == "__main__":
    main()
