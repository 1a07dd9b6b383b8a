#!/usr/bin/env bash
# Parity-aware BPE against natural and temperature sampling, on sentences no training
# run reads (issue 15, item 2).
#
#   bash benches/eval/parity.sh ../shared
#
# FLORES-200 dev (997 line-aligned sentences) is split by line number n:
#   n % 4 == 0        test: 249 sentences, read only by the measurement below;
#   n % 4 == 2        parity dev: 249 sentences, read by `--sampling parity` only, to
#                     choose which language each merge serves (never as training text);
#   n % 4 == 1 or 3   training text (499 sentences), with Seed and DODa dev as in
#                     benches/eval/tokenize.sh.
# Each sampling trains a 32k byte-level BPE on the same training text; natural and
# temperature (T=3) run the `tokenizers` crate's BpeTrainer, parity runs awal's trainer
# (the default moving window, and `--window 0`: every merge to the worst language).
# Parity vs English is tokens / English tokens on the test sentences.
# Everything derived from shared/ goes to a temporary folder that is removed at the end.
set -euo pipefail
shared=$(cd "${1:?usage: parity.sh PATH/TO/shared}" && pwd)
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
vocab=${VOCAB:-32000}
flores_langs="eng_Latn fra_Latn arb_Arab ary_Arab aeb_Arab kab_Latn taq_Latn tzm_Tfng taq_Tfng"
report_langs="fra_Latn kab_Latn ary_Arab tzm_Tfng"

# The three-way split of FLORES dev by line number (1-based).
for l in $flores_langs; do
  awk 'NR % 4 == 1 || NR % 4 == 3' "$flores/$l.dev" > "$tmp/$l.train"
  awk 'NR % 4 == 2' "$flores/$l.dev" > "$tmp/$l.pdev"
  awk 'NR % 4 == 0' "$flores/$l.dev" > "$tmp/$l.test"
done
doda_column 1 "$tmp/doda_latn.txt"
doda_column 2 "$tmp/doda_arab.txt"

train_args=()
for l in $flores_langs; do train_args+=(--corpus "$l=$tmp/$l.train"); done
for l in ary_Arab eng_Latn taq_Latn taq_Tfng zgh_Tfng; do train_args+=(--corpus "$l=$seed/$l"); done
train_args+=(--corpus "ary_Latn=$tmp/doda_latn.txt" --corpus "ary_Arab=$tmp/doda_arab.txt")
dev_args=()
for l in $flores_langs; do dev_args+=(--dev "$l=$tmp/$l.pdev"); done
test_args=()
for l in $flores_langs; do test_args+=(--corpus "$l=$tmp/$l.test"); done

run() { # NAME, then the sampling arguments
  local name=$1
  shift
  echo "-- $name"
  local start end
  start=$(date +%s.%N)
  "$awal" tokenizer train --model bpe --vocab-size "$vocab" "$@" "${train_args[@]}" \
    -o "$tmp/$name.json" 2> "$tmp/$name.log"
  end=$(date +%s.%N)
  cat "$tmp/$name.log"
  echo "$name $(echo "$end - $start" | bc)" >> "$tmp/times"
  "$awal" tokenizer fertility --tokenizer "$name=$tmp/$name.json" "${test_args[@]}" --json \
    > "$tmp/$name.rows.json"
}
run natural --sampling natural
run temperature --sampling temperature --balance 3
run parity --sampling parity "${dev_args[@]}"
run parity-nowindow --sampling parity --window 0 "${dev_args[@]}"

echo
echo "-- parity vs English on the 249 held-out FLORES dev sentences (n % 4 == 0), ${vocab} tokens"
python3 - "$tmp" "$report_langs" <<'PY'
import json, sys
tmp, langs = sys.argv[1], sys.argv[2].split()
names = ["natural", "temperature", "parity", "parity-nowindow"]
rows = {n: {r["lang"]: r for r in json.load(open(f"{tmp}/{n}.rows.json"))} for n in names}
times = dict(l.split() for l in open(f"{tmp}/times"))
print("| sampling | " + " | ".join(langs) + " | eng_Latn tokens vs natural | training time |")
print("|---|" + "---:|" * (len(langs) + 2))
eng_natural = rows["natural"]["eng_Latn"]["tokens"]
for n in names:
    cells = [f"{rows[n][l]['parity']:.2f}" for l in langs]
    eng = rows[n]["eng_Latn"]["tokens"] / eng_natural
    trainer = "awal" if n.startswith("parity") else "tokenizers BpeTrainer"
    print(f"| {n} | " + " | ".join(cells) + f" | {eng:.3f} | {float(times[n]):.1f} s ({trainer}) |")
p = rows["parity"]
for l in langs:
    v = p[l]["parity"]
    print(f"target {l} <= 1.2x English: {v:.2f} {'ok' if v <= 1.2 else 'MISSED'}")
e = p["eng_Latn"]["tokens"] / eng_natural
print(f"target English <= 1.1x natural: {e:.3f} {'ok' if e <= 1.1 else 'MISSED'}")
PY

# Optional: Python `tokenizers` loads the parity file unchanged and gives awal's ids.
py=${PYTHON:-python3}
if "$py" -c 'import tokenizers' 2>/dev/null; then
  for l in $flores_langs; do
    "$awal" tokenizer encode --tokenizer "$tmp/parity.json" "$tmp/$l.test" > "$tmp/$l.ids"
  done
  "$py" - "$tmp" "$flores_langs" <<'PY'
import sys
from tokenizers import Tokenizer
tmp, langs = sys.argv[1], sys.argv[2].split()
t = Tokenizer.from_file(f"{tmp}/parity.json")
same = total = 0
for l in langs:
    lines = open(f"{tmp}/{l}.test", encoding="utf-8").read().split("\n")[:-1]
    ours = open(f"{tmp}/{l}.ids", encoding="utf-8").read().split("\n")
    for line, o in zip(lines, ours):
        total += 1
        same += " ".join(map(str, t.encode(line, add_special_tokens=False).ids)) == o
print(f"Python tokenizers {__import__('tokenizers').__version__}: {same}/{total} test lines with awal's ids")
PY
else
  echo "(Python tokenizers not installed: skipping the check with the stock Python loader)"
fi
