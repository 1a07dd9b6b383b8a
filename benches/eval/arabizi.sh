#!/usr/bin/env bash
# Darija Arabizi <-> Arabic evaluation on DODa (CC BY-NC: read from SHARED_DIR, never
# copied into the repository; every derived file lives in a temporary directory).
#
#   bash benches/eval/arabizi.sh ../shared
#
# 1. Split doda-dev/words.tsv by its Arabic side: a word whose md5(arabic) is 0 mod 10 is
#    held out (about 10 %), so no spelling of a held-out word is ever trained on.
#    Sentence pairs that contain a held-out Arabic word are dropped from training too.
# 2. Train on the rest (words + sentences) and score the held-out words, Latin -> Arabic
#    (exact match after --normalize arabic) and Arabic -> Latin (CER).
# 3. Score the built-in model (project lexicons only, no DODa) on the same words.
# 4. Score the built-in model on the project's everyday-phrase gold set
#    (corpora/gold/ary-latn__ary-arab.tsv, written by hand).
set -euo pipefail
shared=${1:?usage: arabizi.sh PATH/TO/shared}
doda="$shared/corpora/doda-dev"
cd "$(dirname "$0")/../.."
cargo build --release --locked -q -p awal-cli
awal=${CARGO_TARGET_DIR:-target}/release/awal
tmp=$(mktemp -d /tmp/awal-arabizi-eval.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8

python3 benches/eval/doda_split.py "$doda" "$tmp"

echo "-- training on the rest of doda-dev (words + sentences)"
/usr/bin/time -f "trained in %es, %MKB" "$awal" translit train --from ary-latn --to ary-arab \
  --pairs "$tmp/train-words.tsv" --pairs "$tmp/train-sentences.tsv" -o "$tmp/doda.model.json"

# The same, trained on the word list alone: DODa's sentences are transliterated letter by
# letter (see shared/corpora/README.md), which pulls word spellings towards that style.
"$awal" translit train --pairs "$tmp/train-words.tsv" -o "$tmp/doda-words.model.json" 2> /dev/null

score() { # label, then eval arguments
  local label=$1; shift
  "$awal" translit eval --json --worst 0 --normalize arabic "$@" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["report"]; print("%-44s n=%5d  exact=%.3f  CER=%.3f" % (sys.argv[1], r["lines"], r["accuracy"], r["cer"]))' "$label"
}
echo "-- held-out DODa words"
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
echo "-- everyday phrases (corpora/gold/ary-latn__ary-arab.tsv)"
score "Latin -> Arabic phrases, built-in model" \
  --from ary-latn --to ary-arab --gold corpora/gold/ary-latn__ary-arab.tsv
score "Latin -> Arabic phrases, DODa-trained model" --model "$tmp/doda.model.json" \
  --from ary-latn --to ary-arab --gold corpora/gold/ary-latn__ary-arab.tsv
if [ "${VERBOSE:-0}" = 1 ]; then
  "$awal" translit eval --normalize arabic --model "$tmp/doda.model.json" --worst 15 \
    --from ary-latn --to ary-arab --gold "$tmp/test-words.tsv" | sed -n '1,40p'
fi
