#!/usr/bin/env bash
# End-to-end throughput of `awal prepare` on a generated ~200 MB mixed-script JSONL corpus.
#
#   bash benches/prep/throughput.sh            # 200 MB in /tmp/awal-prep-bench
#   SIZE_MB=1000 bash benches/prep/throughput.sh   # the 1 GB peak-RSS check
#   CORPUS_KIND=sentences bash benches/prep/throughput.sh   # the former corpus
#
# CORPUS_KIND=zipf (default): make_zipf_corpus.py, a realistic vocabulary (~800k distinct
# word types in 200 MB, Zipfian, Moroccan web-crawl language shares; issue 14).
# CORPUS_KIND=sentences: make_corpus.py, recombined project sentences (a few thousand word
# types, so awal's word caches hit far more often than on real text; figures before
# issue 14 were taken on it).
#
# Prints MB/s (input bytes / wall time) and peak RSS for: filters + PII + exact dedup,
# and the same plus near-duplicate (MinHash) dedup. Targets (issue 6): ≥50 MB/s and
# ≥20 MB/s on 2 cores; peak RSS ≤1 GB on a 1 GB input. Not run in CI (it takes minutes).
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE_MB=${SIZE_MB:-200}
DIR=${DIR:-/tmp/awal-prep-bench}
TARGET=${CARGO_TARGET_DIR:-target}
CORPUS_KIND=${CORPUS_KIND:-zipf}
case "$CORPUS_KIND" in
  zipf)
    CORPUS="$DIR/zipf-${SIZE_MB}mb.jsonl"
    [ -f "$CORPUS" ] || python3 benches/prep/make_zipf_corpus.py --mb "$SIZE_MB" --out "$CORPUS" ;;
  sentences)
    CORPUS="$DIR/corpus-${SIZE_MB}mb.jsonl"
    [ -f "$CORPUS" ] || python3 benches/prep/make_corpus.py --mb "$SIZE_MB" --out "$CORPUS" ;;
  *) echo "CORPUS_KIND must be zipf or sentences, not '$CORPUS_KIND'" >&2; exit 2 ;;
esac
cargo build --release -q -p awal-cli
AWAL="$TARGET/release/awal"
BYTES=$(stat -c %s "$CORPUS")

run() {
  local name=$1; shift
  local out="$DIR/out-$CORPUS_KIND-$name"
  local t0 t1 rss
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M %U %S" -o "$DIR/rss-$CORPUS_KIND-$name" "$AWAL" prepare "$CORPUS" --out "$out" --overwrite --quiet "$@" > /dev/null
  t1=$(date +%s.%N)
  rss=$(cat "$DIR/rss-$CORPUS_KIND-$name")
  python3 - "$name" "$BYTES" "$t0" "$t1" "$rss" "$out/manifest.json" <<'PY'
import json, sys
name, size, t0, t1, rss, manifest = sys.argv[1:]
rss, user, system = rss.split()
cpu = float(user) + float(system)
secs = float(t1) - float(t0)
m = json.load(open(manifest))
b = m["balance"]
mb = int(size) / 1048576
print(f"{name:24s} {mb/secs:6.1f} MB/s wall ({secs:5.1f} s)  {mb/cpu:6.1f} MB per CPU-second ({cpu:5.1f} s)  peak RSS {int(rss)/1024:5.0f} MB  read {b['read']} kept {b['kept']}")
PY
}

echo "input ($CORPUS_KIND): $CORPUS ($((BYTES / 1048576)) MB), threads: ${RAYON_NUM_THREADS:-all cores}, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run "filters+pii+exact" --no-near-dedup
run "filters+pii+exact+near"
