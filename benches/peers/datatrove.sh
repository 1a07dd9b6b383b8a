#!/usr/bin/env bash
# Peer comparison: HF datatrove (Python) vs `awal prepare` on the same generated input.
#
#   bash benches/peers/datatrove.sh          # 20 MB of mixed-script JSONL (datatrove is slow)
#   SIZE_MB=200 bash benches/peers/datatrove.sh
#
# Manual script, not run in CI: it creates a virtualenv OUTSIDE the repository
# ($VENV, default /tmp/awal-peers-venv) and pip-installs datatrove (and presidio-mena, if
# it installs). datatrove runs the equivalent blocks: JsonlReader -> GopherQualityFilter ->
# GopherRepetitionFilter -> exact dedup (hash of the text, in a LambdaFilter) ->
# JsonlWriter, with one worker per core. Prints MB/s of both and the ratio, plus the share
# of documents each keeps per script (datatrove's English-tuned Gopher rules drop most
# Arabic-script, Tifinagh and Arabizi text).
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE_MB=${SIZE_MB:-20}
DIR=${DIR:-/tmp/awal-prep-bench}
VENV=${VENV:-/tmp/awal-peers-venv}
TARGET=${CARGO_TARGET_DIR:-target}
CORPUS="$DIR/corpus-${SIZE_MB}mb.jsonl"
mkdir -p "$DIR"
[ -f "$CORPUS" ] || python3 benches/prep/make_corpus.py --mb "$SIZE_MB" --out "$CORPUS"

# The venv may be shared with the other peer scripts: install what is missing, not only
# into a new venv.
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c 'import datatrove, orjson' 2>/dev/null ||
  "$VENV/bin/pip" install -q "datatrove[io,processing]" orjson
"$VENV/bin/python" -c 'import presidio_mena' 2>/dev/null ||
  "$VENV/bin/pip" install -q presidio-mena || echo "presidio-mena did not install; skipping it"

cargo build --release -q -p awal-cli
AWAL="$TARGET/release/awal"
rm -rf "$DIR/awal-peer-out" "$DIR/dt-out" "$DIR/dt-logs"
t0=$(date +%s.%N)
"$AWAL" prepare "$CORPUS" --out "$DIR/awal-peer-out" --quiet --no-near-dedup > /dev/null
t1=$(date +%s.%N)
AWAL_SECS=$(python3 -c "print($t1 - $t0)")

"$VENV/bin/python" benches/peers/datatrove_peer.py "$CORPUS" "$DIR" "$AWAL_SECS" "$(nproc)"
# The same text through `awal redact`, single-threaded, for the PII ratio.
t0=$(date +%s.%N)
RAYON_NUM_THREADS=1 "$AWAL" redact -q "$DIR/pii-input.txt" > /dev/null
t1=$(date +%s.%N)
python3 -c "import os; s=os.path.getsize('$DIR/pii-input.txt')/1048576; print(f'awal redact   {s/($t1-$t0):8.2f} MB/s on {s:.1f} MB (1 thread, end to end)')"
