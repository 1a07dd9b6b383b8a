#!/usr/bin/env bash
# Darija Arabizi -> Arabic: awal against the Python peers `arabizi` and `darija-tools`,
# on the same input and the same gold set. A manual comparison, never run by CI.
#
#   bash benches/peers/arabizi.sh [PATH/TO/shared]
#
# * Speed: every system converts the same text, SIZE_MB (default 20) MB of the Latin-script
#   documents of the zipf benchmark corpus (benches/prep/make_zipf_corpus.py: Arabizi
#   mixed with French, a vocabulary of ~850,000 forms, so no word cache is flattered;
#   a document counts as Latin when ≥ 90 % of its letters are). Python peers are timed inside
#   Python (interpreter start-up excluded); awal is timed as a whole process on one
#   thread (start-up and building its default model included), so the ratio is
#   conservative.
# * Accuracy (only with PATH/TO/shared): held-out DODa words (the split of
#   benches/eval/arabizi.sh: md5(arabic) % 10 == 0), exact match after the Arabic
#   normalisation of `awal translit eval --normalize arabic`. awal is scored with its
#   built-in model (no DODa) and with a model trained on the rest of doda-dev.
#
# The venv lives outside the repository (AWAL_PEERS_VENV, default /tmp/awal-peers-venv);
# PyPI must be reachable the first time. DODa data and everything derived from it stay
# in a temporary directory.
set -euo pipefail
shared=${1:-}
cd "$(dirname "$0")/../.."
venv=${AWAL_PEERS_VENV:-/tmp/awal-peers-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check arabizi darija-tools
cargo build --release --locked -q -p awal-cli
awal=${CARGO_TARGET_DIR:-$(pwd)/target}/release/awal
tmp=$(mktemp -d /tmp/awal-peers.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8

if [ -n "$shared" ]; then
  python3 - "$shared/corpora/doda-dev" "$tmp" <<'PY'
import hashlib, sys
doda, tmp = sys.argv[1], sys.argv[2]
held = lambda ar: int(hashlib.md5(ar.encode()).hexdigest(), 16) % 10 == 0
test = set()
with open(f"{doda}/words.tsv", encoding="utf-8") as f, \
     open(f"{tmp}/train.tsv", "w", encoding="utf-8") as tr, \
     open(f"{tmp}/gold.tsv", "w", encoding="utf-8") as te:
    header = next(f); tr.write(header); te.write(header)
    for line in f:
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 2: continue
        (te if held(cols[1]) else tr).write(line)
        if held(cols[1]): test.add(cols[1])
with open(f"{doda}/sentences.tsv", encoding="utf-8") as f, \
     open(f"{tmp}/train-sentences.tsv", "w", encoding="utf-8") as tr:
    tr.write(next(f))
    for line in f:
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 2 and not any(w in test for w in cols[1].split()):
            tr.write(line)
PY
  "$awal" translit train --pairs "$tmp/train.tsv" --pairs "$tmp/train-sentences.tsv" \
    -o "$tmp/doda.model.json" 2> /dev/null
fi

size_mb=${SIZE_MB:-20}
zipf=${ZIPF:-/tmp/awal-prep-bench/zipf-200mb.jsonl}
[ -f "$zipf" ] || { mkdir -p "$(dirname "$zipf")"; python3 benches/prep/make_zipf_corpus.py --mb 200 --out "$zipf"; }
python3 - "$zipf" "$size_mb" > "$tmp/speed.txt" <<'PY'
import json, sys
budget = int(sys.argv[2]) * 1_000_000
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        text = " ".join(json.loads(line)["text"].split())
    except (ValueError, KeyError, TypeError):
        continue
    letters = [c for c in text if c.isalpha()]
    latin = sum(1 for c in letters if c < "\u0250")
    if not letters or latin < 0.9 * len(letters):
        continue
    budget -= len(text.encode()) + 1
    if budget < 0:
        break
    sys.stdout.write(text + "\n")
PY

"$venv/bin/python" benches/peers/arabizi_peers.py "$awal" "$tmp"
