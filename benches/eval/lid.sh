#!/usr/bin/env bash
# Language identification on the reference data in shared/ (never committed: licences).
#
#   bash benches/eval/lid.sh ../shared
#
# Builds per-label line files from FLORES-200 dev, OLDI Seed and DODa dev in a temp dir,
# holds out every 5th line as test data, then reports:
#   1. a model trained with `awal lid train` on the other 4/5 of the shared data;
#   2. the default embedded model (trained only on corpora/lid/, the project's own text);
# both on the same held-out lines, with `awal lid eval`.
# Seed's taq_Tfng lines written in IRCAM letters (ⴳ ⴽ ⵖ ⵇ ⵅ ⵊ ⵡ) are misaligned Tamazight,
# not Tuareg, and are left out of taq_Tfng.
set -euo pipefail
shared=${1:?usage: lid.sh PATH/TO/shared}
cd "$(dirname "$0")/../.."
cargo build --release --locked -q
awal=$PWD/target/release/awal
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$shared/corpora" "$tmp" <<'PY'
import os, re, sys
src, out = sys.argv[1], sys.argv[2]
def lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip()]
flores = lambda lang: lines(f"{src}/flores200-dev/{lang}.dev")
seed = lambda lang: lines(f"{src}/seed/{lang}")
doda = [l.split("\t") for l in lines(f"{src}/doda-dev/sentences.tsv")[1:]]
ircam_only = re.compile("[ⴳⴽⵖⵇⵅⵊⵡ]")
data = {
    "eng_Latn": flores("eng_Latn") + seed("eng_Latn"),
    "fra_Latn": flores("fra_Latn"),
    "arb_Arab": flores("arb_Arab"),
    "ary_Arab": flores("ary_Arab") + seed("ary_Arab") + [r[1] for r in doda if len(r) > 1],
    "ary_Latn": [r[0] for r in doda if len(r) > 1],
    "kab_Latn": flores("kab_Latn"),
    "zgh_Tfng": flores("tzm_Tfng") + seed("zgh_Tfng"),
    "taq_Tfng": flores("taq_Tfng") + [l for l in seed("taq_Tfng") if not ircam_only.search(l)],
    "taq_Latn": flores("taq_Latn") + seed("taq_Latn"),
}
for label, ls in data.items():
    with open(f"{out}/{label}.train", "w") as tr, open(f"{out}/{label}.test", "w") as te:
        for i, l in enumerate(ls):
            (te if i % 5 == 0 else tr).write(l + "\n")
PY
# zgh_Latn has no shared data: the project's own sentences serve (split the same way).
awk 'NR % 5 != 1' corpora/lid/zgh_Latn.txt > "$tmp/zgh_Latn.train"
awk 'NR % 5 == 1' corpora/lid/zgh_Latn.txt > "$tmp/zgh_Latn.test"

labels="eng_Latn fra_Latn arb_Arab ary_Arab ary_Latn kab_Latn zgh_Tfng taq_Tfng taq_Latn zgh_Latn"
train_args=(); test_args=()
for l in $labels; do
  train_args+=(--data "$l=$tmp/$l.train"); test_args+=(--data "$l=$tmp/$l.test")
done

echo "== model trained on 4/5 of shared data, held-out 1/5"
"$awal" lid train --bits 18 "${train_args[@]}" -o "$tmp/shared.model"
"$awal" lid eval --model "$tmp/shared.model" "${test_args[@]}"
echo "-- ary_Arab vs arb_Arab only"
"$awal" lid eval --model "$tmp/shared.model" --data "ary_Arab=$tmp/ary_Arab.test" --data "arb_Arab=$tmp/arb_Arab.test" | head -6

echo "== default embedded model (project data only), same held-out lines"
"$awal" lid eval "${test_args[@]}"
