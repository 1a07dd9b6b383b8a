#!/usr/bin/env python3
"""Writes the messy multi-script sample corpus used by `awal prepare corpora/sample`.

Deterministic (seed 6): running it again rewrites the same bytes. Natural-language lines
come only from the project's own hand-written sentences in `corpora/lid/` (Darija in
Arabic script and Arabizi, Tamazight in Tifinagh and IRCAM Latin, French, MSA). Personal
data is FAKE: numbers are random, with valid checksums where the format has one (RIB key,
IBAN mod-97, Luhn), so that the redactor is tested on what it must catch; e-mail domains
are reserved example domains.

Outputs (in this folder):
  social.txt         one document per line: posts, exact and near duplicates, PII, junk
  news.jsonl         multi-paragraph articles with metadata, boilerplate, 3 broken lines
  forum.jsonl.gz     forum threads (gzip), with PII and duplicates of social posts
Planted counts are printed at the end and recorded in README.md.

Usage: python3 corpora/sample/make_sample.py
"""
import gzip
import io
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
LID = os.path.join(HERE, "..", "lid")
rng = random.Random(6)

LANGS = ["ary_Arab", "ary_Latn", "zgh_Tfng", "zgh_Latn", "fra_Latn", "arb_Arab"]


def load(lang):
    with open(os.path.join(LID, lang + ".txt"), encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip()]


SENT = {l: load(l) for l in LANGS}
planted = {"exact_dup": 0, "near_dup": 0, "pii": {}, "boilerplate": 0, "junk": 0, "broken": 0}


def pii_note(kind):
    planted["pii"][kind] = planted["pii"].get(kind, 0) + 1


def digits(n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def phone():
    pii_note("PHONE")
    d = rng.choice("5678") + digits(8)
    style = rng.randrange(6)
    if style == 0:
        return "0" + d
    if style == 1:
        return "0" + d[0] + " " + " ".join(d[i:i + 2] for i in range(1, 9, 2))
    if style == 2:
        return "0" + d[0] + "." + ".".join(d[i:i + 2] for i in range(1, 9, 2))
    if style == 3:
        return "+212 " + d[0] + " " + " ".join(d[i:i + 2] for i in range(1, 9, 2))
    if style == 4:
        return "+212" + d
    return "00212 " + d[:3] + "-" + d[3:6] + "-" + d[6:]


def rib_digits():
    d22 = digits(3) + digits(3) + digits(16)
    key = 97 - (int(d22) * 100) % 97
    return d22 + "%02d" % key


def rib():
    pii_note("RIB")
    r = rib_digits()
    return r if rng.random() < 0.5 else " ".join([r[:3], r[3:6], r[6:22], r[22:]])


def iban():
    pii_note("IBAN")
    bban = rib_digits()
    num = int(bban + "2210" + "00")  # M=22, A=10
    check = 98 - num % 97
    s = "MA%02d%s" % (check, bban)
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4)) if rng.random() < 0.5 else s


def luhn_complete(prefix, length):
    body = prefix + digits(length - len(prefix) - 1)
    total = 0
    for i, c in enumerate(reversed(body)):
        v = int(c)
        if i % 2 == 0:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return body + str((10 - total % 10) % 10)


def card():
    pii_note("CARD")
    c = luhn_complete(rng.choice(["4", "51", "53", "55"]), 16)
    return " ".join(c[i:i + 4] for i in range(0, 16, 4)) if rng.random() < 0.6 else c


def cin():
    pii_note("CIN")
    letters = rng.choice(["A", "B", "J", "BE", "BK", "AB", "EE", "CD", "H"])
    return letters + digits(rng.choice([5, 6]))


def ice():
    pii_note("ICE")
    return "00" + digits(13)


def email():
    pii_note("EMAIL")
    user = rng.choice(["ali", "fatima.z", "yassine92", "khadija", "amine_b", "tiziri", "ayour.m"])
    return user + str(rng.randrange(100)) + "@" + rng.choice(["example.ma", "example.com", "mail.example.org"])


def ip():
    pii_note("IP")
    return "192.168.%d.%d" % (rng.randrange(256), rng.randrange(1, 255))


def secret_url():
    pii_note("URL")
    return "https://api.example.ma/v1/files?id=%d&token=%s" % (rng.randrange(10**6), digits(12) + "abcdef")


PII_TEMPLATES = [
    lambda: "3iyet lik 3la %s, ila ma jawbtch sift liya message" % phone(),
    lambda: "عيط ليا على %s من بعد العصر الله يخليك" % phone(),
    lambda: "Pour toute information contactez-nous au %s ou par mail %s" % (phone(), email()),
    lambda: "sift liya l CIN dyalk: %s bach nkmlo lwra9" % cin(),
    lambda: "رقم البطاقة الوطنية ديالي هو %s، راه كتبتو فالطلب" % cin(),
    lambda: "Veuillez virer le montant sur le RIB %s avant le 15 mai 2024" % rib(),
    lambda: "ha l IBAN dyali %s, sift liya 1500 dh mlli tqder" % iban(),
    lambda: "Société X SARL, ICE %s, capital 100 000 DH, RC 12345 Casablanca" % ice(),
    lambda: "khlst b la carte %s w ma wslatni walo, chno ndir?" % card(),
    lambda: "kteb liya f %s wla f whatsapp, ana f dar daba" % email(),
    lambda: "le serveur %s ne répond plus depuis ce matin, redémarrez-le svp" % ip(),
    lambda: "lien de téléchargement: %s (expire demain)" % secret_url(),
    lambda: "ⴰⵣⵓⵍ, ⵙⵉⵡⵍ ⵉⵢⵉ ⵖⴼ %s ⴰⵙⴽⴽⴰ" % phone(),
    lambda: "azul, siwl iyi ɣef %s ass n tlata" % phone(),
]

CLEAN_NUMBERS = [
    "f 2019 kant l7ala mzyana, daba f 2024 tbdlat bzaf",
    "Le prix est passé de 1 250 DH à 1 500 DH entre 2022 et 2023.",
    "lmatch ghadi ykoun nhar 12/05/2024 m3a 20:00 f stade Mohammed V",
    "الثمن ديال الكيلو ولى 85 درهم فهاد 2024، الله يلطف",
    "Commande n° 123456789012345 livrée le 05-12-2023 à Rabat.",
    "La population de Casablanca dépasse 3 700 000 habitants selon le recensement de 2014.",
]

BOILERPLATE = [
    "Nous utilisons des cookies pour améliorer votre expérience. Accepter",
    "Accueil | Actualités | Sport | Culture | Économie | Contact",
    "© 2024 Hespress Tous droits réservés",
    "Please enable JavaScript to view the comments",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.",
    "جميع الحقوق محفوظة © 2024",
    "Home | News | Sport | Videos | Contact us",
    "Cliquez ici pour lire la suite",
]

JUNK = [
    lambda: " ".join(rng.choice(["★★★", "###", "$$$", "€€€", "🔥🔥🔥", ">>>", "|||", "%%%"]) for _ in range(rng.randrange(5, 12))),
    lambda: " ".join(digits(rng.randrange(3, 8)) for _ in range(rng.randrange(6, 14))),
    lambda: "\n".join(["rbe7 daba rbe7 daba"] * 1) + (" rbe7 daba" * rng.randrange(8, 20)),
    lambda: "ok",
    lambda: "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh",
    lambda: "купить дешево скидки здесь быстро доставка " + digits(6),
    lambda: "😂😂😂😂😂😂😂😂😂😂😂",
    lambda: "aaaa bbbb aaaa bbbb aaaa bbbb aaaa bbbb aaaa bbbb aaaa bbbb",
]


def post(lang):
    n = rng.choice([1, 2, 2, 3])
    return " ".join(rng.choice(SENT[lang]) for _ in range(n))


def near_variant(text):
    """A planted near duplicate: what reposting does to a text."""
    words = text.split(" ")
    kind = rng.randrange(4)
    if kind == 0 and len(words) > 6:
        i = rng.randrange(len(words))
        words[i] = words[i] + rng.choice(["a", "h", "ou"])  # one typo
        return " ".join(words)
    if kind == 1:
        return text + " " + rng.choice(["😂", "🙏", "!!", "#maroc", "... wallah"])
    if kind == 2 and len(words) > 8:
        del words[rng.randrange(len(words))]  # one word dropped
        return " ".join(words)
    return "RT " + text + " " + rng.choice(["❤️", "👍", "👌"])


def social():
    lines = []
    originals = []
    for _ in range(620):
        lang = rng.choice(LANGS)
        t = post(lang)
        lines.append(t)
        if len(t) > 40:
            originals.append(t)
    for _ in range(60):
        lines.append(rng.choice(PII_TEMPLATES)())
    lines.extend(CLEAN_NUMBERS)
    for _ in range(25):
        lines.append(rng.choice(BOILERPLATE[:2] + BOILERPLATE[3:5] + BOILERPLATE[7:]))
        planted["boilerplate"] += 1
    for _ in range(45):
        lines.append(rng.choice(JUNK)().replace("\n", " "))
        planted["junk"] += 1
    rng.shuffle(lines)
    picks = rng.sample(originals, 80)
    for t in picks[:40]:
        lines.insert(rng.randrange(len(lines) + 1), t)
        planted["exact_dup"] += 1
    for t in picks[40:]:
        v = near_variant(t)
        # Insert after the original so that "first in input order" keeps the original.
        lines.insert(lines.index(t) + 1 + rng.randrange(30), v)
        planted["near_dup"] += 1
    # Whitespace and case variants of a duplicate are exact after normalization.
    return lines


def article(lang):
    paras = []
    for _ in range(rng.randrange(2, 5)):
        paras.append(" ".join(rng.choice(SENT[lang]) for _ in range(rng.randrange(3, 6))))
    return "\n\n".join(paras)


def news():
    out = io.StringIO()
    docs = []
    for i in range(300):
        lang = rng.choice(LANGS)
        text = article(lang)
        if rng.random() < 0.12:
            text = rng.choice(BOILERPLATE[1:3] + BOILERPLATE[6:7]) + "\n" + text + "\n" + rng.choice(BOILERPLATE[2:3] + BOILERPLATE[5:6])
            planted["boilerplate"] += 1
        if rng.random() < 0.1:
            text += "\n\n" + rng.choice(PII_TEMPLATES)()
        docs.append({"id": "news-%04d" % i, "url": "https://news.example.ma/%s/%d" % (lang, i),
                     "date": "2024-%02d-%02d" % (rng.randrange(1, 13), rng.randrange(1, 29)), "text": text})
    for d in rng.sample(docs, 15):
        docs.append(dict(d, id=d["id"] + "-repost"))
        planted["exact_dup"] += 1
    for d in docs:
        out.write(json.dumps(d, ensure_ascii=False) + "\n")
    out.write('{"id": "news-broken-1", "text": "ce JSON est coupé\n')
    out.write('{"id": "news-notext", "title": "pas de champ text"}\n')
    out.write("this line is not json at all\n")
    planted["broken"] += 3
    return out.getvalue()


def forum():
    out = io.StringIO()
    for i in range(200):
        lang = rng.choice(["ary_Latn", "ary_Arab", "zgh_Latn", "fra_Latn"])
        text = "\n".join(post(lang) for _ in range(rng.randrange(1, 4)))
        if rng.random() < 0.15:
            text += "\n" + rng.choice(PII_TEMPLATES)()
        out.write(json.dumps({"text": text, "thread": i // 5, "lang_hint": lang}, ensure_ascii=False) + "\n")
    return out.getvalue()


def main():
    soc = social()
    with open(os.path.join(HERE, "social.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(soc) + "\n")
    with open(os.path.join(HERE, "news.jsonl"), "w", encoding="utf-8") as f:
        f.write(news())
    data = forum().encode("utf-8")
    # mtime=0 and no file name: the .gz bytes depend only on the content.
    with open(os.path.join(HERE, "forum.jsonl.gz"), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
            gz.write(data)
    print(json.dumps(planted, sort_keys=True))


if __name__ == "__main__":
    main()
