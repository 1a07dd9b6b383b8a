#!/usr/bin/env bash
# Runs every fuzz target in turn (one process at a time, at the lowest priority) for
# SECONDS each, and prints libFuzzer's final stats per target. Build first:
#   RUSTC_BOOTSTRAP=1 cargo fuzz build -s none
# Usage: fuzz/scripts/campaign.sh SECONDS [TARGET...]
set -uo pipefail
cd "$(dirname "$0")/.."
secs="${1:?seconds per target}"
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v '^awal-fuzz$')
fi
bin_dir=target/x86_64-unknown-linux-gnu/release
mkdir -p logs artifacts
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  nice -n 19 "$bin_dir/$t" "corpus/$t" \
    -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=3072 \
    -max_len=8192 -artifact_prefix="artifacts/$t/" > "logs/$t.log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "logs/$t.log" | tail -1)
  crashes=$(ls "artifacts/$t" | wc -l)
  echo "$t rc=$rc executions=${runs:-?} seconds=$secs artifacts=$crashes"
done
