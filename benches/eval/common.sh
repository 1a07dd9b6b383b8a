# Sourced by the evaluation scripts on ../shared (after they set `shared`): builds the
# release `awal` and sets `awal`, a temporary folder `tmp` removed on exit, and the paths
# of the shared corpora and of Mistral's Tekken. Everything derived from shared/ goes to
# `tmp`, never into the repository.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
cargo build --release --locked -q -p awal-cli
target_dir=${CARGO_TARGET_DIR:-target}
case $target_dir in /*) ;; *) target_dir=$PWD/$target_dir ;; esac
awal=$target_dir/release/awal
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8
flores=$shared/corpora/flores200-dev
seed=$shared/corpora/seed
doda=$shared/corpora/doda-dev
tekken=$shared/tokenizers/tekken_240718.json

# doda_column N FILE: column N of DODa dev (1 = Latin/Arabizi, 2 = Arabic), sentences then
# words, without their headers.
doda_column() {
  tail -n +2 "$doda/sentences.tsv" | cut -f"$1" > "$2"
  tail -n +2 "$doda/words.tsv" | cut -f"$1" >> "$2"
}
