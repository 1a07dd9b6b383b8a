#!/usr/bin/env bash
# Peak resident memory (RSS) of `awal prepare`, checked against the bounds that
# docs/prepare.md states (section "Limits", the line naming this script):
#
#   (a) an input holding one 100 MB line between two documents: the line is skipped as
#       too long while it is read in pieces, so memory must stay far below 100 MB;
#   (b) DOCS_MB (default 200) of mixed-script documents from make_corpus.py, with the
#       default stages (filters, PII, exact and near-duplicate dedup).
#
#   bash benches/prep/rss.sh                # as documented: 100 MB line, 200 MB of documents
#   DOCS_MB=40 bash benches/prep/rss.sh     # quicker: the same line, fewer documents
#
# The bound of (b) is for 200 MB; a smaller corpus must stay under it too. About 40-50 s on
# 2 cores, most of it generating the inputs. Peak RSS is the
# child's ru_maxrss (getrusage RUSAGE_CHILDREN), so no /usr/bin/time is needed.
# Exits non-zero when a bound is exceeded or a run fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
DOCS_MB=${DOCS_MB:-200}
TARGET=${CARGO_TARGET_DIR:-target}
AWAL=${AWAL:-$TARGET/release/awal}
[ -x "$AWAL" ] || cargo build --release -q -p awal-cli
# The bounds hold for up to 16 worker threads (each keeps its own allocator pages).
cores=$(nproc)
export RAYON_NUM_THREADS=${RAYON_NUM_THREADS:-$((cores < 16 ? cores : 16))}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT

# The bounds, read from the sentence in docs/prepare.md so that the figures the docs give
# are the ones checked.
read -r LINE_BOUND DOCS_BOUND < <(python3 - <<'PY'
import re, sys
text = open("docs/prepare.md", encoding="utf-8").read()
m = re.search(r"rss\.sh`.*?≤ (\d+) MB.*?100 MB line.*?≤ (\d+) MB.*?200 MB", text, re.S)
if not m:
    sys.exit("rss.sh: no peak-RSS bounds found in docs/prepare.md")
print(m.group(1), m.group(2))
PY
)
[ -n "${DOCS_BOUND:-}" ] || exit 1

# Runs `awal prepare ARGS…` and prints its peak RSS in MB.
peak_rss_mb() {
  python3 - "$AWAL" "$@" <<'PY'
import resource, subprocess, sys
done = subprocess.run([sys.argv[1], "prepare", *sys.argv[2:]], stdout=subprocess.DEVNULL)
if done.returncode != 0:
    sys.exit(f"rss.sh: awal prepare {' '.join(sys.argv[2:])} failed ({done.returncode})")
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)  # KiB on Linux
PY
}

check() {
  local name=$1 rss=$2 bound=$3
  if [ "$rss" -gt "$bound" ]; then
    echo "rss.sh: FAIL $name: peak RSS $rss MB > $bound MB (docs/prepare.md)" >&2
    return 1
  fi
  echo "rss.sh: ok   $name: peak RSS $rss MB <= $bound MB"
}

# (a) One 100 MB line (mixed scripts, no newline inside) between two documents.
python3 - "$DIR/line.txt" <<'PY'
import sys
chunk = ("ⵜⴰⵎⴰⵣⵉⵖⵜ tamaziɣt تمازيغت " * 1024).encode()
with open(sys.argv[1], "wb") as f:
    f.write("salam khoya, kidayr? ana mzyan l7amdolillah w nta\n".encode())
    written = 0
    while written < 100 << 20:
        f.write(chunk)
        written += len(chunk)
    f.write("\nana w sahbi mchina l bhar lbare7 f l3echiya w kan zwin\n".encode())
PY
line_rss=$(peak_rss_mb "$DIR/line.txt" --out "$DIR/out-line" --quiet)
grep -q '"too_long": 1' "$DIR/out-line/manifest.json" || {
  echo "rss.sh: the 100 MB line was not skipped as too_long" >&2
  exit 1
}

# (b) Documents.
python3 benches/prep/make_corpus.py --mb "$DOCS_MB" --out "$DIR/docs.jsonl" > /dev/null
docs_rss=$(peak_rss_mb "$DIR/docs.jsonl" --out "$DIR/out-docs" --quiet)

status=0
check "one 100 MB line" "$line_rss" "$LINE_BOUND" || status=1
check "$DOCS_MB MB of documents (near-dup on)" "$docs_rss" "$DOCS_BOUND" || status=1
exit $status
