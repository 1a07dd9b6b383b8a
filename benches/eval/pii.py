#!/usr/bin/env python3
"""PII redaction evaluation: recall on planted Moroccan identifiers, false alarms on clean text.

    python3 benches/eval/pii.py --awal target/release/awal            # 2,000 + 500 sentences
    python3 benches/eval/pii.py --awal target/release/awal --seed 7 --json

Writes nothing into the repository. It generates, with its own seeded random generator,

* sentences that carry one or two identifiers each, in Darija (Arabic script and Arabizi),
  French, MSA and English templates, in the many shapes people type them: phones as
  `+212 6 12 34 56 78`, `0612-345-678`, `00212.5.22.33.44.55`, `(+212) 661234567`; CINs
  with one or two letters and 3-7 digits after `CIN`, `N° CIN`, `carte nationale`,
  `رقم البطاقة الوطنية`, `lbita9a`…; RIBs with a valid key, plain or grouped `011 780
  0000123456789012 96`; IBANs (Moroccan and foreign) with or without spaces; ICEs after
  their context word; Luhn-valid cards (Visa, Mastercard, Amex, CMI) with or without
  spaces; e-mails; IPv4/IPv6; URLs with tokens or credentials;
* clean sentences that must come back untouched: years, prices (`1 500 DH`, `250,00 MAD`,
  `12.000 dh`), dates in every common form, times, percentages, 15- and 24-digit order
  and tracking references that are not ICEs or RIBs (no context word, wrong key), 10-digit
  numbers that are not Moroccan phones, Arabic-Indic digits, scores, addresses, versions.

Each sentence's expected redaction is known by construction. It runs `awal redact` on all
of them and prints recall per type (an identifier counts as found when its exact span is
replaced by the right placeholder), the share of clean sentences touched, and any value
redacted as the wrong type. Exit status 1 if recall < 0.98 or more than 1 % of clean
sentences are touched (the targets of issue 6).
"""

import argparse
import json
import random
import subprocess
import sys
from collections import Counter, defaultdict

# ---------------------------------------------------------------- identifier generators


def digits(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def phone(rng):
    prefix = rng.choice("5678") if rng.random() < 0.3 else rng.choice("67")
    rest = prefix + digits(rng, 8)
    style = rng.randrange(9)
    if style == 0:
        return "0" + rest
    if style == 1:
        return "+212" + rest
    if style == 2:
        return "+212 " + rest[0] + " " + " ".join(rest[i : i + 2] for i in range(1, 9, 2))
    if style == 3:
        return "0" + rest[:3] + "-" + rest[3:6] + "-" + rest[6:]
    if style == 4:
        return "00212." + rest[0] + "." + ".".join(rest[i : i + 2] for i in range(1, 9, 2))
    if style == 5:
        return "0" + " ".join([rest[:1]] + [rest[i : i + 2] for i in range(1, 9, 2)])
    if style == 6:
        return "(+212) " + rest
    if style == 7:
        return "+212-" + rest[:3] + "-" + rest[3:6] + "-" + rest[6:]
    return "0" + rest[:1] + " " + rest[1:5] + " " + rest[5:]


def cin(rng):
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    n_letters = 1 if rng.random() < 0.4 else 2
    head = "".join(rng.choice(letters) for _ in range(n_letters))
    body = str(rng.randrange(1, 10)) + digits(rng, rng.randrange(3, 7))
    return head + body


def rib_digits(rng):
    body = rng.choice(["007", "011", "013", "021", "022", "145", "190", "225", "230"])
    body += rng.choice(["780", "640", "810", "450", "001", "330"])
    body += digits(rng, 16)
    r = int(body) * 100 % 97
    return body + "%02d" % (97 - r)


def rib(rng):
    ds = rib_digits(rng)
    if rng.random() < 0.5:
        return ds
    return " ".join([ds[:3], ds[3:6], ds[6:22], ds[22:]])


def iban_check(country, bban):
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return "%02d" % (98 - int(numeric) % 97)


def iban(rng):
    kind = rng.randrange(4)
    if kind < 2:
        country, bban = "MA", rib_digits(rng)
    elif kind == 2:
        country, bban = "FR", digits(rng, 10) + "".join(rng.choice("ABCDEFGHJK0123456789") for _ in range(11)) + digits(rng, 2)
    else:
        country, bban = rng.choice([("ES", digits(rng, 20)), ("DE", digits(rng, 18)), ("BE", digits(rng, 12))])
    s = country + iban_check(country, bban) + bban
    if rng.random() < 0.6:
        return " ".join(s[i : i + 4] for i in range(0, len(s), 4))
    return s


def luhn_complete(rng, prefix, length):
    body = prefix + digits(rng, length - len(prefix) - 1)
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return body + str((10 - total % 10) % 10)


def card(rng):
    kind = rng.randrange(4)
    if kind == 0:
        n = luhn_complete(rng, "4", 16)
    elif kind == 1:
        n = luhn_complete(rng, rng.choice(["51", "53", "55", "2221"]), 16)
    elif kind == 2:
        n = luhn_complete(rng, rng.choice(["34", "37"]), 15)
        return n if rng.random() < 0.5 else " ".join([n[:4], n[4:10], n[10:]])
    else:
        # Discover, UnionPay and the 644-649 range.
        n = luhn_complete(rng, rng.choice(["6011", "65", "62", "644", "649"]), 16)
    sep = rng.choice(["", " ", "-"])
    return sep.join(n[i : i + 4] for i in range(0, 16, 4))


def ice(rng):
    return "00" + digits(rng, 13)


def email(rng):
    user = rng.choice(["karim", "salma.b", "y.elidrissi", "hajar_93", "contact", "m.amrani", "3ziz.lbida"])
    user += rng.choice(["", str(rng.randrange(10, 99))])
    dom = rng.choice(["gmail.com", "menara.ma", "yahoo.fr", "um5.ac.ma", "outlook.com", "iam.net.ma"])
    return user + "@" + dom


def ip(rng):
    if rng.random() < 0.75:
        return ".".join(str(rng.randrange(1, 255)) for _ in range(4))
    groups = ["%x" % rng.randrange(1, 0xFFFF) for _ in range(8)]
    if rng.random() < 0.5:
        return ":".join(groups)
    return ":".join(groups[:3]) + "::" + groups[7]


def secret_url(rng):
    host = rng.choice(["api.example.ma", "portail.banque.ma", "files.site.com", "dash.app.io"])
    if rng.random() < 0.3:
        return "https://admin:%s@%s/login" % (rng.choice(["s3cret", "P4ss2024", "azerty12"]), host)
    key = rng.choice(["token", "access_token", "api_key", "sig", "password", "session"])
    return "https://%s/v1/data?%s=%s&lang=ar" % (host, key, digits(rng, 6) + "abcXYZ" + digits(rng, 4))


GENERATORS = {
    "PHONE": phone,
    "CIN": cin,
    "RIB": rib,
    "IBAN": iban,
    "ICE": ice,
    "CARD": card,
    "EMAIL": email,
    "IP": ip,
    "URL": secret_url,
}

# ---------------------------------------------------------------- templates
# `{}` is where the identifier goes. Written for this evaluation, in the registers people
# use: Darija in Arabic script and Arabizi, French, MSA, English.

TEMPLATES = {
    "PHONE": [
        "3ayet liya 3la {} mn ba3d l3asr",
        "tel: {}",
        "Pour plus d'infos appelez le {} (de 9h à 18h)",
        "عيط ليا فهاد الرقم {} ضروري",
        "للتواصل: {}",
        "whatsapp {} ila bghiti tswira",
        "Contact WhatsApp : {} - livraison partout au Maroc",
        "Call me at {} tomorrow",
        "رقم الهاتف: {} (من 9 إلى 5)",
        "sifet liya numero dyalk? hahowa dyali {}",
        "GSM {} / fixe aussi dispo",
    ],
    "CIN": [
        "CIN: {}",
        "N° CIN {} - né le 12/03/1990",
        "sift liya l CIN dyalk {} bach nkmlo lwra9",
        "Numéro de la carte nationale : {}",
        "رقم البطاقة الوطنية: {}",
        "البطاقة الوطنية ديالي {} ضاعت ليا",
        "titulaire de la CNIE n° {}, demeurant à Fès",
        "lbita9a dyali {} mazal ma sala",
        "رقم بطاقة التعريف الوطنية {}",
        "Nom: Amrani, CIN {}, tél. dispo sur demande",
        "His national ID is {} according to the form",
        "carte d'identité nationale {} valable jusqu'à 2031",
    ],
    "RIB": [
        "RIB: {}",
        "Veuillez virer le montant sur le RIB {} avant la fin du mois",
        "sift lflous l had rib {} 3afak",
        "رقم الحساب البنكي {}",
        "Coordonnées bancaires (RIB) : {}",
        "{} c'est le compte dyal lassociation",
    ],
    "IBAN": [
        "IBAN: {}",
        "Virement international : IBAN {} / SWIFT BCMAMAMC",
        "had l IBAN {} dyal khti f fransa",
        "رقم الآيبان: {}",
        "Please transfer to {} by Friday",
    ],
    "ICE": [
        "ICE : {}",
        "Société Atlas SARL - ICE {} - RC 12345",
        "التعريف الموحد للمقاولة: {}",
        "Identifiant commun de l'entreprise {}",
        "facture n° 2024/118, ICE client {}",
    ],
    "CARD": [
        "Carte bancaire: {} exp 09/27",
        "khlst b la carte {} walakin ma tkhlsatch",
        "رقم البطاقة البنكية {}",
        "card number {} cvv hidden",
        "Paiement refusé pour la carte {}",
    ],
    "EMAIL": [
        "Envoyez votre CV à {}",
        "sift liya 3la {} lyouma",
        "البريد الإلكتروني: {}",
        "mail: {}",
        "contact us at {} for details",
    ],
    "IP": [
        "connexion depuis l'adresse {} bloquée",
        "server ip {} ma kaytjawbch",
        "عنوان IP: {}",
        "ssh root@{} -p 22",
    ],
    "URL": [
        "lien: {}",
        "Cliquez ici {} pour réinitialiser",
        "had link {} fih token dyal test",
        "الرابط {}",
    ],
}

TWO = [
    "Nom: Benali Youssef, CIN {CIN}, tel {PHONE}",
    "3ayet 3la {PHONE} wla sift mail l {EMAIL}",
    "Virement: RIB {RIB}, contact {EMAIL}",
    "رقم البطاقة الوطنية {CIN} والهاتف {PHONE}",
    "Société X, ICE {ICE}, IBAN {IBAN}",
]

# ---------------------------------------------------------------- clean sentences


def clean_sentence(rng):
    """A sentence with numbers that are not PII; it must come back unchanged."""
    d, m, y = rng.randrange(1, 29), rng.randrange(1, 13), rng.randrange(1960, 2031)
    price = rng.choice(["1 500", "250", "12.000", "99,90", "3 200,50", "450000", "2.500.000"])
    ref15 = str(rng.randrange(1, 10)) + digits(rng, 14)
    ref24 = rib_digits(rng)
    ref24 = ref24[:22] + "%02d" % ((int(ref24[22:]) + rng.randrange(1, 96)) % 97 + 1)
    not_phone = rng.choice(["01", "02", "03", "04", "09"]) + digits(rng, 8)
    ar_digits = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    templates = [
        f"f l3am {y} kant lghla kbira",
        f"Le prix est de {price} DH TTC",
        f"chrit tomobil b {price} dh f {y}",
        f"الثمن {price} درهم فقط",
        f"Rendez-vous le {d:02d}/{m:02d}/{y} à {rng.randrange(8, 19)}h{rng.choice(['00', '30', '15'])}",
        f"تاريخ الازدياد {d:02d}-{m:02d}-{y}",
        f"le {y}-{m:02d}-{d:02d} à 14:30, salle 12",
        f"Commande n° {ref15} expédiée",
        f"numéro de suivi {ref15}, livraison en 48h",
        f"Référence du dossier : {ref24}",
        f"رقم الطلب {ref15} تم الشحن",
        f"lcommande dyali {ref24} mazal ma wslat",
        f"le code article {not_phone} est en rupture",
        f"taux de chômage {rng.randrange(5, 30)},{rng.randrange(0, 9)} % en {y}",
        f"الرجاء فاز {rng.randrange(0, 5)}-{rng.randrange(0, 5)} على الوداد",
        f"ana sakn f rue {rng.randrange(1, 300)}, appartement {rng.randrange(1, 40)}, Casa",
        f"version {rng.randrange(1, 9)}.{rng.randrange(0, 20)}.{rng.randrange(0, 99)} dyal lapplication",
        f"الساعة {rng.randrange(1, 12)}:{rng.randrange(10, 59)} صباحا",
        f"سنة {y}".translate(ar_digits),
        f"{price} درهم".translate(ar_digits),
        f"population: {rng.randrange(30, 40)} 000 000 habitants en {y}",
        f"lmatch ghadi ybda m3a {rng.randrange(17, 22)}:00 f {d}/{m}",
        f"code postal {rng.randrange(10, 99)}000, Maroc",
        f"Article {rng.randrange(1, 500)} de la loi 09-08 relative à la protection des données",
        f"Dahir n° 1-{rng.randrange(10, 23)}-{rng.randrange(10, 99)} du {d} {rng.choice(['mai', 'juin', 'octobre'])} {y}",
        f"kanet {rng.randrange(100, 999)} km bin casa w {rng.choice(['agadir', 'fes', 'oujda'])}",
        f"facture n° {y}/{rng.randrange(100, 999)} du {d:02d}.{m:02d}.{y}",
        f"CIN dyali ghadi tsala f {y}, khassni njeddedha qbel {d}/{m}",
        f"la carte SIM coûte {rng.randrange(10, 50)} DH et la recharge {price} DH",
        f"البطاقة الوطنية كتخلص {rng.randrange(75, 150)} درهم فقط",
        f"ICE cream b {rng.randrange(5, 30)} dh f la plage, {y}",
        f"réf. produit A{digits(rng, 5)} en stock, {rng.randrange(2, 90)} unités",
        f"vol AT{rng.randrange(200, 999)} à destination de Paris, porte B{rng.randrange(1, 40)}",
        f"la carte grise n° {rng.randrange(10000, 99999)}-A-{rng.randrange(1, 90)} (immatriculation)",
        f"ISBN 978-{rng.randrange(1, 9)}-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}-{rng.randrange(0, 9)}",
    ]
    return rng.choice(templates)


# ---------------------------------------------------------------- building the set


def build(rng, n_pii, n_clean):
    items = []  # (text, expected, [(kind, value)])
    kinds = list(GENERATORS)
    for i in range(n_pii):
        if i % 10 == 9:
            t = rng.choice(TWO)
            found = []
            text, expected = t, t
            for k in kinds:
                slot = "{" + k + "}"
                if slot in t:
                    v = GENERATORS[k](rng)
                    text = text.replace(slot, v)
                    expected = expected.replace(slot, "<" + k + ">")
                    found.append((k, v))
            items.append((text, expected, found))
            continue
        k = kinds[i % len(kinds)]
        v = GENERATORS[k](rng)
        t = rng.choice(TEMPLATES[k])
        items.append((t.format(v), t.format("<" + k + ">"), [(k, v)]))
    for _ in range(n_clean):
        s = clean_sentence(rng)
        items.append((s, s, []))
    rng.shuffle(items)
    return items


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--awal", default="target/release/awal")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--pii", type=int, default=2000, help="sentences with identifiers")
    ap.add_argument("--clean", type=int, default=500, help="clean sentences")
    ap.add_argument("--json", action="store_true", help="print a JSON report")
    ap.add_argument("--show", type=int, default=10, help="misses to print")
    ap.add_argument("--dump", help="also write the generated set (TSV: text, expected) here")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    items = build(rng, args.pii, args.clean)
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            f.write("text\texpected\n")
            for text, expected, _ in items:
                f.write(f"{text}\t{expected}\n")
    stdin = "".join(text + "\n" for text, _, _ in items)
    run = subprocess.run([args.awal, "redact", "-q"], input=stdin.encode(), capture_output=True, check=True)
    outputs = run.stdout.decode().split("\n")[: len(items)]

    planted, hit = Counter(), Counter()
    clean_total = clean_touched = 0
    exact = pii_sentences = 0
    misses = []
    for (text, expected, found), got in zip(items, outputs):
        if not found:
            clean_total += 1
            if got != text:
                clean_touched += 1
                misses.append(("clean sentence touched", text, got))
            continue
        # An identifier is found when its value is gone and its placeholder is there; the
        # whole sentence must also equal the expected text for an exact match.
        exact += got == expected
        pii_sentences += 1
        for kind, value in found:
            planted[kind] += 1
            if value not in got and got.count("<" + kind + ">") >= expected.count("<" + kind + ">"):
                hit[kind] += 1
            else:
                misses.append((f"{kind} missed", text, got))

    total_planted = sum(planted.values())
    total_hit = sum(hit.values())
    recall = total_hit / max(total_planted, 1)
    touched = clean_touched / max(clean_total, 1)
    report = {
        "seed": args.seed,
        "planted": total_planted,
        "found": total_hit,
        "recall": round(recall, 4),
        "per_type": {k: {"planted": planted[k], "found": hit[k], "recall": round(hit[k] / planted[k], 4)} for k in sorted(planted)},
        "pii_sentences_exact": round(exact / max(pii_sentences, 1), 4),
        "clean_sentences": clean_total,
        "clean_touched": clean_touched,
        "clean_touched_rate": round(touched, 4),
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(f"PII recall {recall:.4f} ({total_hit}/{total_planted} identifiers in {args.pii} sentences, seed {args.seed})")
        for k in sorted(planted):
            print(f"  {k:6s} {hit[k]:5d}/{planted[k]:<5d} {hit[k] / planted[k]:.4f}")
        print(f"sentences with identifiers redacted exactly as expected: {exact}/{pii_sentences}")
        print(f"clean sentences touched: {clean_touched}/{clean_total} ({touched:.2%})")
        for why, text, got in misses[: args.show]:
            print(f"  {why}:\n    in : {text}\n    out: {got}")
    ok = recall >= 0.98 and touched <= 0.01
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
