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
cargo build --release -q -p awal-cli
awal=${CARGO_TARGET_DIR:-target}/release/awal
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import tokenizers' 2>/dev/null || "$venv/bin/pip" install -q tokenizers

corpus=${1:-}
if [ -z "$corpus" ]; then
  corpus=$tmp/corpus.txt
  for _ in $(seq 70); do cat corpora/lid/*.txt; done > "$corpus"
fi
echo "corpus: $corpus ($(du -h "$corpus" | cut -f1)), vocab $vocab, $(nproc) cores"

start=$(date +%s.%N)
"$awal" tokenizer train --model bpe --vocab-size "$vocab" --min-frequency 2 --balance 1 \
  --corpus "all=$corpus" -o "$tmp/awal.json" 2>/dev/null
awal_train=$(echo "$(date +%s.%N) - $start" | bc)

start=$(date +%s.%N)
"$awal" tokenizer encode --tokenizer "$tmp/awal.json" "$corpus" > /dev/null
awal_encode=$(echo "$(date +%s.%N) - $start" | bc)

"$venv/bin/python" - "$tmp/awal.json" "$corpus" "$vocab" "$awal_train" "$awal_encode" <<'PY'
import sys, time, os
from tokenizers import Tokenizer, models, trainers, pre_tokenizers, __version__
path, corpus, vocab, awal_train, awal_encode = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
tok = Tokenizer.from_file(path)          # awal's normalizer + pre-tokenizer, stock components
tok.model = models.BPE()
trainer = trainers.BpeTrainer(vocab_size=vocab, min_frequency=2, show_progress=False,
                              initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
lines = [l for l in open(corpus, encoding="utf-8").read().split("\n") if l.strip()]
t = time.perf_counter(); tok.train_from_iterator(lines, trainer=trainer); py_train = time.perf_counter() - t
t = time.perf_counter(); tok.encode_batch(lines, add_special_tokens=False); py_encode = time.perf_counter() - t
mb = os.path.getsize(corpus) / 1e6
print(f"python tokenizers {__version__}")
print(f"{'':10} {'awal':>10} {'python':>10} {'python/awal':>12}")
print(f"{'train s':10} {awal_train:10.2f} {py_train:10.2f} {py_train / awal_train:12.2f}")
print(f"{'encode MB/s':10} {mb / awal_encode:10.1f} {mb / py_encode:10.1f} {(mb / awal_encode) / (mb / py_encode):12.2f}  (awal/python)")
PY
