#!/usr/bin/env bash
# awal vs Python `tokenizers` on the same corpus and settings: BPE training time and
# encode throughput. A manual script (not run by CI): it installs Python `tokenizers` in a
# venv outside the repository.
#
#   bash benches/peers/tokenizers.sh [CORPUS_FILE] [VOCAB_SIZE]
#
# Settings on both sides: byte-level BPE, VOCAB_SIZE tokens, min_frequency 2, natural
# language proportions (--balance 1), awal's exported normalizer and pre-tokenizer (Python
# trains with the very pipeline awal saved, so both see the same pieces). Default corpus:
# the project's own corpora/lid/*.txt repeated to ~20 MB.
set -euo pipefail
cd "$(dirname "$0")/../.."
vocab=${2:-8000}
venv=${AWAL_PEERS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/awal-peers-venv}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "${AWAL:-}" ]; then cargo build --release -q -p awal-cli; fi
target_dir=${CARGO_TARGET_DIR:-target}
case $target_dir in /*) ;; *) target_dir=$PWD/$target_dir ;; esac
awal=${AWAL:-$target_dir/release/awal}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import tokenizers' 2>/dev/null || "$venv/bin/pip" install -q tokenizers

corpus=${1:-}
if [ -z "$corpus" ]; then
  corpus=$tmp/corpus.txt
  for _ in $(seq 70); do cat corpora/lid/*.txt; done > "$corpus"
fi
echo "corpus: $corpus ($(du -h "$corpus" | cut -f1)), vocab $vocab, $(nproc) cores"

"$venv/bin/python" - "$awal" "$tmp" "$corpus" "$vocab" <<'PY'
import os, subprocess, sys, time
from tokenizers import Tokenizer, models, trainers, pre_tokenizers, __version__
awal, tmp, corpus, vocab = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
out = os.path.join(tmp, "awal.json")

def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t

awal_train = timed([awal, "tokenizer", "train", "--model", "bpe", "--vocab-size", str(vocab),
                    "--min-frequency", "2", "--balance", "1", "--corpus", f"all={corpus}", "-o", out])
awal_encode = timed([awal, "tokenizer", "encode", "--tokenizer", out, corpus])

tok = Tokenizer.from_file(out)          # awal's normalizer + pre-tokenizer, stock components
tok.model = models.BPE()
trainer = trainers.BpeTrainer(vocab_size=vocab, min_frequency=2, show_progress=False,
                              initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
t = time.perf_counter()
lines = [l for l in open(corpus, encoding="utf-8").read().split("\n") if l.strip()]
tok.train_from_iterator(lines, trainer=trainer)
py_train = time.perf_counter() - t
tok = Tokenizer.from_file(out)
t = time.perf_counter()
lines = open(corpus, encoding="utf-8").read().split("\n")
tok.encode_batch(lines, add_special_tokens=False)
py_encode = time.perf_counter() - t
mb = os.path.getsize(corpus) / 1e6
print(f"python tokenizers {__version__}; both timings include reading the corpus")
print(f"{'':12} {'awal':>9} {'python':>9}  ratio")
print(f"{'train s':12} {awal_train:9.2f} {py_train:9.2f}  python/awal = {py_train / awal_train:.2f}")
print(f"{'encode MB/s':12} {mb / awal_encode:9.1f} {mb / py_encode:9.1f}  awal/python = {py_encode / awal_encode:.2f}")
PY
