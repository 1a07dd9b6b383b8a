#!/usr/bin/env bash
# The same mixed corpus through `awal prepare`, `python -m awal.spark prepare --master local[2]`
# and `python -m awal.ray prepare --num-cpus 2`: MB/s, CPU-seconds per MB (user + sys of the whole
# process tree: JVM, Python workers, Ray daemons) and each engine's CPU/MB against the CLI's
# (target of issue 10: <= 1.5x), also as fixed cost (the same command on a one-line input: JVM,
# Ray daemons, workers, model loads) plus marginal CPU per MB. Then awal.detect/redact/normalize on a pyarrow array against
# `awal detect/redact/normalize` on the same lines.
#
#   PYTHON=.venv-ci/bin/python bash benches/dist/run.sh       # ~200 MB in /tmp/awal-dist-bench
#   SIZE_MB=10 PYTHON=... bash benches/dist/run.sh            # a quick check
#   PYTHON=... bash benches/dist/run.sh --engines ray --api-mb 0   # the CLI and one engine
#
# The corpus is benches/prep/make_corpus.py's (deterministic), cut into PARTS files in input
# order so that the engines have one task per file. Not run in CI (minutes at 200 MB).
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE_MB=${SIZE_MB:-200}
PARTS=${PARTS:-8}
DIR=${DIR:-/tmp/awal-dist-bench}
PYTHON=${PYTHON:-python3}
TARGET=${CARGO_TARGET_DIR:-target}
mkdir -p "$DIR"
CORPUS="$DIR/corpus-${SIZE_MB}mb.jsonl"
PARTS_DIR="$DIR/corpus-${SIZE_MB}mb-${PARTS}"
[ -f "$CORPUS" ] || python3 benches/prep/make_corpus.py --mb "$SIZE_MB" --out "$CORPUS"
if [ ! -d "$PARTS_DIR" ]; then
  mkdir -p "$PARTS_DIR.tmp"
  # Contiguous pieces, so that the folder read in name order is the corpus in order.
  split -n "l/$PARTS" -d -a 2 --additional-suffix=.jsonl "$CORPUS" "$PARTS_DIR.tmp/part-"
  mv "$PARTS_DIR.tmp" "$PARTS_DIR"
fi
[ -x "$TARGET/release/awal" ] || cargo build --release -q -p awal-cli
"$PYTHON" -c 'import awal, pyspark, ray' || { echo "PYTHON=$PYTHON needs awal, pyspark and ray (bash .ci/python.sh makes .venv-ci)"; exit 1; }
"$PYTHON" benches/dist/bench.py --awal "$TARGET/release/awal" --corpus "$PARTS_DIR" --dir "$DIR" --python "$PYTHON" "$@"
