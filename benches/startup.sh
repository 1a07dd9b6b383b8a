#!/usr/bin/env bash
# Start-up of one-line runs: `awal translit` (both Darija directions) and `awal detect` on
# one line, with the models embedded at build time (crates/awal-cli/build.rs) against the
# same binary training them at start-up (AWAL_TRAIN_MODELS=1, what every run did before).
# Median wall time of RUNS runs each (default 21), whole process.
#
#   bash benches/startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q -p awal-cli
awal=${CARGO_TARGET_DIR:-$(pwd)/target}/release/awal
python3 - "$awal" "${RUNS:-21}" <<'PY'
import os, statistics, subprocess, sys, time
awal, runs = sys.argv[1], int(sys.argv[2])
cases = [
    ("translit ary-latn → ary-arab", ["translit", "--from", "ary-latn", "--to", "ary-arab"], "salam 3lik, kif dayr?\n"),
    ("translit ary-arab → ary-latn", ["translit", "--from", "ary-arab", "--to", "ary-latn"], "سلام عليك، كيف داير؟\n"),
    ("detect", ["detect"], "salam 3lik, kif dayr?\n"),
]
def median_ms(args, line, train):
    env = dict(os.environ)
    env.pop("AWAL_TRAIN_MODELS", None)
    if train:
        env["AWAL_TRAIN_MODELS"] = "1"
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([awal, *args], input=line.encode(), env=env, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)
print(f"load average {os.getloadavg()[0]:.1f}; median of {runs} runs, wall ms per process")
print(f"{'command':32} {'embedded':>9} {'trained':>9} {'share':>7}")
for name, args, line in cases:
    e, t = median_ms(args, line, False), median_ms(args, line, True)
    print(f"{name:32} {e:9.1f} {t:9.1f} {100 * e / t:6.1f}%")
PY
