#!/usr/bin/env bash
# Darija Arabizi -> Arabic on several held-out tenths of DODa (CC BY-NC: read from
# SHARED_DIR, never copied into the repository; derived files live in a temporary directory).
#
#   bash benches/eval/arabizi_folds.sh ../shared            # FOLDS="0 1 2 3"
#   FOLDS="0 1 2 3 4 5" bash benches/eval/arabizi_folds.sh ../shared
#
# The recipe of arabizi.sh, once per dev fold: the words whose md5(arabic) % 10 == fold
# are held out (and every sentence containing one of them), the model is trained on the
# rest (words + sentences) minus the test fold, and the held-out words are scored Latin ->
# Arabic with the trained and the built-in model. Tune on the mean, never on one fold.
#
# The test fold (md5 % 10 == 9, TEST_FOLD in doda_split.py) is refused here and never
# trained on: it is read only by arabizi.sh, to report the held-out figures.
set -euo pipefail
shared=${1:?usage: arabizi_folds.sh PATH/TO/shared}
doda="$shared/corpora/doda-dev"
folds=${FOLDS:-0 1 2 3}
for fold in $folds; do
  if [ "$fold" = 9 ]; then
    echo "arabizi_folds.sh: fold 9 is the test fold, which no tuning reads (see docs/translit.md)" >&2
    exit 2
  fi
done
cd "$(dirname "$0")/../.."
cargo build --release --locked -q -p awal-cli
awal=${CARGO_TARGET_DIR:-target}/release/awal
tmp=$(mktemp -d /tmp/awal-arabizi-folds.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8

exact() { # eval arguments -> exact match
  "$awal" translit eval --json --worst 0 --normalize arabic "$@" |
    python3 -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["report"]["accuracy"])'
}
results=()
for fold in $folds; do
  d="$tmp/$fold"; mkdir -p "$d"
  python3 benches/eval/doda_split.py "$doda" "$d" "$fold" > /dev/null
  "$awal" translit train --from ary-latn --to ary-arab ${TRAIN_ARGS:-} \
    --pairs "$d/train-words.tsv" --pairs "$d/train-sentences.tsv" -o "$d/model.json" 2> /dev/null
  n=$(($(wc -l < "$d/test-words.tsv") - 1))
  trained=$(exact --model "$d/model.json" --from ary-latn --to ary-arab --gold "$d/test-words.tsv")
  if [ "${SKIP_BUILTIN:-0}" = 1 ]; then
    builtin=nan
  else
    builtin=$(exact --from ary-latn --to ary-arab --gold "$d/test-words.tsv")
  fi
  printf 'fold %s  n=%5d  DODa-trained exact=%s  built-in exact=%s\n' "$fold" "$n" "$trained" "$builtin"
  results+=("$trained $builtin")
  if [ "${VERBOSE:-0}" = 1 ]; then
    "$awal" translit eval --normalize arabic --model "$d/model.json" --worst 40 \
      --from ary-latn --to ary-arab --gold "$d/test-words.tsv" | sed -n '1,60p'
  fi
done
printf '%s\n' "${results[@]}" | python3 -c '
import math, sys
rows = [[float(x) for x in l.split()] for l in sys.stdin if l.strip()]
mean = lambda xs: sum(xs) / len(xs)
t = mean([r[0] for r in rows]); b = [r[1] for r in rows if not math.isnan(r[1])]
print("mean over %d folds  DODa-trained exact=%.4f  min=%.4f  built-in exact=%s" % (
    len(rows), t, min(r[0] for r in rows), "%.4f" % mean(b) if b else "n/a"))'
