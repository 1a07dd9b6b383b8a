#!/usr/bin/env bash
# Transliteration checks on the reference data in shared/ (never committed: licences).
#
#   bash benches/eval/translit.sh ../shared
#
# 1. Tifinagh -> IRCAM Latin -> Tifinagh is the identity on every FLORES-200 tzm_Tfng line
#    without Latin letters.
# 2. Tuareg Latin -> Tifinagh character error rate against OLDI Seed taq_Tfng. Seed's
#    taq_Tfng is not aligned line by line with taq_Latn everywhere: about a third of its
#    lines are other sentences, many in IRCAM letters (ⴳ ⴽ ⵖ ⵇ ⵅ ⵊ ⵡ) that the Tuareg
#    convention never writes. Those lines are left out, and so are pairs whose lengths
#    differ by more than 30 % (`--max-length-ratio 1.3`); the report says how many.
# 3. The project's own gold sets in corpora/gold/.
set -euo pipefail
shared=${1:?usage: translit.sh PATH/TO/shared}
cd "$(dirname "$0")/../.."
cargo build --release --locked -q
awal=target/release/awal
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8

echo "-- round trip on FLORES-200 tzm_Tfng (lines without Latin letters)"
grep -vP '\p{Latin}' "$shared/corpora/flores200-dev/tzm_Tfng.dev" > "$tmp/tzm.txt"
"$awal" translit --from zgh-tfng --to zgh-latn "$tmp/tzm.txt" |
  "$awal" translit --from zgh-latn --to zgh-tfng > "$tmp/back.txt"
if cmp -s "$tmp/tzm.txt" "$tmp/back.txt"; then
  echo "identity on $(wc -l < "$tmp/tzm.txt") lines"
else
  echo "ROUND TRIP BROKEN:"; diff "$tmp/tzm.txt" "$tmp/back.txt" | head -20; exit 1
fi

echo "-- Tuareg Latin -> Tifinagh on OLDI Seed"
{ printf 'latin\ttifinagh\n'
  paste "$shared/corpora/seed/taq_Latn" "$shared/corpora/seed/taq_Tfng" | grep -vP '\t.*[ⴳⴽⵖⵇⵅⵊⵡ]'
} > "$tmp/taq.tsv"
echo "$(($(wc -l < "$shared/corpora/seed/taq_Latn") - $(wc -l < "$tmp/taq.tsv") + 1)) Seed lines left out: Tifinagh side in IRCAM letters (misaligned)"
"$awal" translit eval --from taq-latn --to taq-tfng --gold "$tmp/taq.tsv" --max-length-ratio 1.3 --worst 3 | tee "$tmp/taq.report" | head -8
"$awal" translit eval --json --from taq-latn --to taq-tfng --gold "$tmp/taq.tsv" --max-length-ratio 1.3 --worst 0 |
  python3 -c 'import json,sys; r=json.load(sys.stdin)["report"]; print("CER", round(r["cer"],4)); sys.exit(0 if r["cer"] <= 0.05 else 1)'

echo "-- project gold sets"
shopt -s nullglob
# FROM__TO.tsv or FROM__TO.NAME.tsv; other files there (variants tables) are not pairs.
for gold in corpora/gold/*__*.tsv; do
  pair=$(basename "$gold" .tsv)
  from=${pair%%__*}; to=${pair##*__}; to=${to%%.*}
  "$awal" translit eval --from "$from" --to "$to" --gold "$gold" --worst 3
  "$awal" translit eval --swap --from "$to" --to "$from" --gold "$gold" --worst 3
done
