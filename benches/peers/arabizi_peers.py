"""Runs awal and the Python peers on the same input and gold set; see arabizi.sh."""
import os
import resource
import subprocess
import sys
import time

import arabizi
import darija_tools

AWAL, TMP = sys.argv[1], sys.argv[2]
PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~،؛؟٪٫٬۔«»…“”‘’–—¿¡")
MAP = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "ء", "ئ": "ء"}


def normalize(text):
    """The normalisation of `awal translit eval --normalize arabic`."""
    out = []
    for c in text:
        if "\u064b" <= c <= "\u065f" or c in "\u0670\u0640" or c in PUNCT:
            continue
        out.append(MAP.get(c, c))
    return " ".join("".join(out).split())


def awal(args, text):
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    run = subprocess.run([AWAL, "translit", *args], input=text.encode(), capture_output=True,
                         check=True, env=env)
    return run.stdout.decode()


def child_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def awal_cpu(args, text):
    """CPU seconds of one awal run (best of three: the machine may be shared)."""
    best = float("inf")
    for _ in range(3):
        before = child_cpu()
        awal(args, text)
        best = min(best, child_cpu() - before)
    return best


PEERS = {
    "arabizi 0.1": lambda s: arabizi.transliterate(s),
    "darija-tools 0.2": lambda s: darija_tools.to_arabic(s),
}
TO_ARAB = ["--from", "ary-latn", "--to", "ary-arab"]

# ---- throughput ----
# The Latin-script documents of the zipf corpus, cut by arabizi.sh.
text = open(os.path.join(TMP, "speed.txt"), encoding="utf-8").read()
mb = len(text.encode()) / 1e6
speed = {}
# CPU time, not wall-clock time, for every system: the figures then hold on a busy machine.
for name, fn in PEERS.items():
    start = time.process_time()
    for line in text.splitlines():
        fn(line)
    speed[name] = mb / (time.process_time() - start)
startup = awal_cpu(TO_ARAB, "")
elapsed = awal_cpu(TO_ARAB, text)
speed["awal, whole process"] = mb / elapsed
# Like the Python figures, without start-up (loading the binary, building the model).
speed["awal (built-in model)"] = mb / max(elapsed - startup, 1e-9)

# ---- accuracy ----
accuracy = {}
gold_path = os.path.join(TMP, "gold.tsv")
if os.path.exists(gold_path):
    rows = [l.rstrip("\n").split("\t") for l in open(gold_path, encoding="utf-8")][1:]
    rows = [r for r in rows if len(r) >= 2]
    sources = [r[0] for r in rows]
    gold = [normalize(r[1]) for r in rows]

    def score(outputs):
        return sum(normalize(o) == g for o, g in zip(outputs, gold)) / len(gold)

    for name, fn in PEERS.items():
        accuracy[name] = score([fn(s) for s in sources])
    joined = "\n".join(sources) + "\n"
    accuracy["awal (built-in model)"] = score(awal(TO_ARAB, joined).split("\n"))
    model = os.path.join(TMP, "doda.model.json")
    accuracy["awal (trained on DODa dev)"] = score(
        awal(["--model", model, *TO_ARAB], joined).split("\n"))

base = speed["arabizi 0.1"]
print(f"Arabizi -> Arabic; speed on {mb:.1f} MB of the zipf corpus's Latin-script documents, one core, CPU time")
if accuracy:
    print(f"accuracy: exact match on {len(gold)} held-out DODa words, normalised\n")
print(f"(awal, whole process: including its {startup:.2f} s CPU start-up)\n")
print(f"{'system':<30} {'accuracy':>9} {'MB/s':>9} {'speed vs arabizi':>17}")
for name in list(PEERS) + ["awal (built-in model)", "awal, whole process",
                            "awal (trained on DODa dev)"]:
    acc = f"{accuracy[name]:.3f}" if name in accuracy else "-"
    mbs = f"{speed[name]:.2f}" if name in speed else "-"
    ratio = f"{speed[name] / base:.1f}x" if name in speed else "-"
    print(f"{name:<30} {acc:>9} {mbs:>9} {ratio:>17}")
