#!/usr/bin/env bash
# Minimises each corpus with libFuzzer's merge (what `cargo fuzz cmin` runs), then keeps
# it small enough to commit: the hand-written seeds (seed-*), then the smallest inputs
# of the minimised set up to BUDGET bytes per target.
# Usage: fuzz/scripts/minimise.sh BUDGET_BYTES [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
budget="${1:?bytes per target}"
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(ls corpus)
fi
bin_dir=target/x86_64-unknown-linux-gnu/release
for t in "${targets[@]}"; do
  tmp="$(mktemp -d)"
  nice -n 19 "$bin_dir/$t" -merge=1 -max_len=8192 -timeout=10 -rss_limit_mb=3072 "$tmp" "corpus/$t" > "logs/cmin-$t.log" 2>&1
  merged=$(ls "$tmp" | wc -l)
  kept="$(mktemp -d)"
  cp corpus/"$t"/seed-* "$kept"/ 2>/dev/null || true
  used=$(cat "$kept"/* 2>/dev/null | wc -c)
  # Smallest first, until the budget is spent.
  while read -r size name; do
    [ $((used + size)) -le "$budget" ] || break
    cp "$tmp/$name" "$kept/"
    used=$((used + size))
  done < <(cd "$tmp" && find . -type f -printf '%s %f\n' | sort -n)
  rm -rf "corpus/$t" && mv "$kept" "corpus/$t" && rm -rf "$tmp"
  echo "$t merged=$merged kept=$(ls corpus/$t | wc -l) bytes=$used"
done
