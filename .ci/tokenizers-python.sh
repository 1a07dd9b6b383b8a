#!/usr/bin/env bash
# Checks that a tokenizer.json trained by awal loads in *Python* `tokenizers` with no awal
# code and gives exactly the ids the Rust side gives, on every line of corpora/lid/ and
# corpora/sample/: BPE trained with temperature sampling and with parity-aware sampling
# (awal's own trainer), and Unigram. The venv lives under target/ (never in the source tree). Skips, with a
# message, only when PyPI cannot be reached.
set -euo pipefail
cd "$(dirname "$0")/.."
awal=${AWAL:-${CARGO_TARGET_DIR:-target}/release/awal}
work=${CARGO_TARGET_DIR:-target}/py-tokenizers
mkdir -p "$work"
venv=$work/venv

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import tokenizers' 2>/dev/null; then
  python3 -m venv "$venv"
  if ! "$venv/bin/pip" install --quiet --disable-pip-version-check tokenizers 2>"$work/pip.err"; then
    if grep -qiE 'connection|resolve|network|timed out|unreachable|no matching distribution' "$work/pip.err"; then
      echo "SKIP: pip cannot reach PyPI, Python tokenizers check not run:"; tail -3 "$work/pip.err"
      exit 0
    fi
    cat "$work/pip.err"; exit 1
  fi
fi

args=()
for f in corpora/lid/*.txt; do args+=(--corpus "$(basename "$f" .txt)=$f"); done
"$awal" tokenizer train --model bpe --vocab-size 2000 --balance 2 "${args[@]}" -o "$work/bpe.json" 2>/dev/null
"$awal" tokenizer train --model bpe --vocab-size 2000 --sampling parity "${args[@]}" -o "$work/parity.json" 2>/dev/null
"$awal" tokenizer train --model unigram --vocab-size 1500 --profile ary "${args[@]}" -o "$work/unigram.json" 2>/dev/null
files=(corpora/lid/*.txt corpora/sample/*.txt)
for kind in bpe parity unigram; do
  cat "${files[@]}" > "$work/text.txt"
  "$awal" tokenizer encode --tokenizer "$work/$kind.json" "$work/text.txt" > "$work/$kind.ids"
  "$venv/bin/python" - "$work/$kind.json" "$work/text.txt" "$work/$kind.ids" <<'PY'
import sys
from tokenizers import Tokenizer, __version__
tok = Tokenizer.from_file(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8", newline="").read()
lines = text.split("\n")
if text.endswith("\n"):
    lines.pop()
lines = [l[:-1] if l.endswith("\r") else l for l in lines]
want = open(sys.argv[3], encoding="utf-8").read().split("\n")[: len(lines)]
bad = 0
for i, (line, ids) in enumerate(zip(lines, want), 1):
    got = " ".join(map(str, tok.encode(line, add_special_tokens=False).ids))
    if got != ids:
        bad += 1
        if bad <= 3:
            print(f"line {i}: {line!r}\n  rust   {ids}\n  python {got}")
print(f"python tokenizers {__version__}, {sys.argv[1]}: {len(lines) - bad}/{len(lines)} lines with identical ids")
sys.exit(1 if bad else 0)
PY
done
