#!/usr/bin/env bash
# Darija Arabizi <-> Arabic evaluation on DODa (CC BY-NC: read from SHARED_DIR, never
# copied into the repository; every derived file lives in a temporary directory).
#
#   bash benches/eval/arabizi.sh ../shared
#
# This script reports; it is not for tuning (tune with arabizi_folds.sh on the dev folds).
# 1. Split doda-dev/words.tsv by its Arabic side: the words whose md5(arabic) % 10 == 9 are
#    the test fold (about 10 %), held out, so no spelling of a test word is ever trained
#    on. Sentence pairs that contain a test word are dropped from training too. No
#    default of the engine was tuned on this fold (docs/translit.md, "fold policy").
# 2. Train on the other nine tenths (words + sentences) and score the test words, Latin ->
#    Arabic (exact match after --normalize arabic) and Arabic -> Latin (CER).
# 3. Score the built-in model (project lexicons only, no DODa) on the same words.
# 4. Score both models on the project's two everyday-phrase sets: the dev set
#    (corpora/gold/ary-latn__ary-arab.tsv, mostly lexicon pairs) and the independent set
#    (ary-latn__ary-arab.independent.tsv, no phrase a lexicon pair), strict and with the
#    spelling variants of corpora/gold/ary-arab.variants.tsv.
set -euo pipefail
shared=${1:?usage: arabizi.sh PATH/TO/shared}
doda="$shared/corpora/doda-dev"
cd "$(dirname "$0")/../.."
cargo build --release --locked -q -p awal-cli
awal=${CARGO_TARGET_DIR:-target}/release/awal
tmp=$(mktemp -d /tmp/awal-arabizi-eval.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8

python3 benches/eval/doda_split.py "$doda" "$tmp" 9

echo "-- training on the nine other tenths of doda-dev (words + sentences)"
/usr/bin/time -f "trained in %es, %MKB" "$awal" translit train --from ary-latn --to ary-arab \
  --pairs "$tmp/train-words.tsv" --pairs "$tmp/train-sentences.tsv" -o "$tmp/doda.model.json"

# The same, trained on the word list alone: DODa's sentences are transliterated letter by
# letter (see shared/corpora/README.md), which pulls word spellings towards that style.
"$awal" translit train --pairs "$tmp/train-words.tsv" -o "$tmp/doda-words.model.json" 2> /dev/null

score() { # label, then eval arguments
  local label=$1; shift
  "$awal" translit eval --json --worst 0 --normalize arabic "$@" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["report"]; v=r.get("variant_accuracy"); print("%-44s n=%5d  exact=%.3f  CER=%.3f%s" % (sys.argv[1], r["lines"], r["accuracy"], r["cer"], "" if v is None else "  variant-aware=%.3f" % v))' "$label"
}
echo "-- held-out DODa words (test fold, md5 % 10 == 9)"
score "Latin -> Arabic, DODa-trained model" --model "$tmp/doda.model.json" \
  --from ary-latn --to ary-arab --gold "$tmp/test-words.tsv"
score "Latin -> Arabic, DODa words-only model" --model "$tmp/doda-words.model.json" \
  --from ary-latn --to ary-arab --gold "$tmp/test-words.tsv"
score "Latin -> Arabic, built-in model (no DODa)" \
  --from ary-latn --to ary-arab --gold "$tmp/test-words.tsv"
score "Arabic -> Latin, DODa-trained model" --model "$tmp/doda.model.json" --swap \
  --from ary-arab --to ary-latn --gold "$tmp/test-words.tsv"
score "Arabic -> Latin, DODa words-only model" --model "$tmp/doda-words.model.json" --swap \
  --from ary-arab --to ary-latn --gold "$tmp/test-words.tsv"
score "Arabic -> Latin, built-in model (no DODa)" --swap \
  --from ary-arab --to ary-latn --gold "$tmp/test-words.tsv"
variants=(--variants corpora/gold/ary-arab.variants.tsv)
echo "-- everyday phrases, dev set, mostly lexicon pairs (corpora/gold/ary-latn__ary-arab.tsv)"
score "Latin -> Arabic phrases, built-in model" "${variants[@]}" \
  --from ary-latn --to ary-arab --gold corpora/gold/ary-latn__ary-arab.tsv
score "Latin -> Arabic phrases, DODa-trained model" "${variants[@]}" --model "$tmp/doda.model.json" \
  --from ary-latn --to ary-arab --gold corpora/gold/ary-latn__ary-arab.tsv
echo "-- everyday phrases, independent set (corpora/gold/ary-latn__ary-arab.independent.tsv)"
score "Latin -> Arabic phrases, built-in model" "${variants[@]}" \
  --from ary-latn --to ary-arab --gold corpora/gold/ary-latn__ary-arab.independent.tsv
score "Latin -> Arabic phrases, DODa-trained model" "${variants[@]}" --model "$tmp/doda.model.json" \
  --from ary-latn --to ary-arab --gold corpora/gold/ary-latn__ary-arab.independent.tsv
if [ "${VERBOSE:-0}" = 1 ]; then
  "$awal" translit eval --normalize arabic --model "$tmp/doda.model.json" --worst 15 \
    --from ary-latn --to ary-arab --gold "$tmp/test-words.tsv" | sed -n '1,40p'
fi
