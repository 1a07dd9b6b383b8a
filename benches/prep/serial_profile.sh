#!/usr/bin/env bash
# How much of `awal prepare`'s work is serial: the share of CPU time in the in-order
# stage (`Pipeline::account`: dedup decisions, counts, shard writing) and in the reader
# thread, measured with `perf` (call graphs via DWARF) on one thread.
#
#   bash benches/prep/serial_profile.sh            # 20 MB of the zipf corpus (issue 14)
#
# By Amdahl's law a serial share s caps the speed-up on any number of cores at 1/s; the
# in-order stage runs beside the parallel map (rayon::join), so it is the stage that
# sets the cap. Needs `perf` (linux-perf); not run in CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE_MB=${SIZE_MB:-20}
DIR=${DIR:-/tmp/awal-prep-bench}
mkdir -p "$DIR"
corpus="$DIR/zipf-200mb.jsonl"
[ -f "$corpus" ] || python3 benches/prep/make_zipf_corpus.py --mb 200 --out "$corpus"
slice="$DIR/zipf-slice-${SIZE_MB}mb.jsonl"
# Whole lines only: cut at the last newline of the first SIZE_MB MB.
head -c "$((SIZE_MB * 1000000))" "$corpus" | head -n -1 > "$slice"
cargo build --release -q -p awal-cli
data="$DIR/perf-serial.data"
RAYON_NUM_THREADS=1 perf record -q -F 499 --call-graph dwarf,16384 -o "$data" \
  target/release/awal prepare "$slice" --out "$DIR/out-serial" --overwrite --quiet > /dev/null
perf report -i "$data" --children --sort symbol 2>/dev/null | awk '
  /\[\.\]/ {
    share = $1; sub("%", "", share)
    if ($0 ~ /Pipeline::account$|Pipeline::account +/) account = share
    if ($0 ~ /DocReader::next_item/) reader = share
    if ($0 ~ /ZSTDMT_compressionJob/) zstd_workers = share
    if ($0 ~ /ZSTD_compressStream /) zstd_inline = share
    if ($0 ~ /Deduper::check/) dedup = share
  }
  END {
    printf "in-order stage (Pipeline::account): %5.1f %% of CPU  -> speed-up cap %.0fx\n", account, 100 / (account > 0 ? account : 1)
    printf "  of which dedup index (Deduper::check): %5.1f %%\n", dedup
    printf "  of which compression in the stage:     %5.1f %%\n", zstd_inline
    printf "compression on zstd worker threads:     %5.1f %% (parallel)\n", zstd_workers
    printf "reader thread (DocReader::next_item):   %5.1f %% (its own thread)\n", reader
  }'
