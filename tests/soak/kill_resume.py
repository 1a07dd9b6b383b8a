#!/usr/bin/env python3
"""Kill-and-resume soak test of `awal prepare` (issue 13): crash safety under SIGKILL.

1. Generates a corpus with benches/prep/make_corpus.py (SIZE_MB, default 50 MB) and
   reads it together with the files of corpora/sample (plain, JSONL and .gz inputs).
2. Runs `awal prepare` once, uninterrupted, with `--unify ary=arab`, near-dup on (the
   default), a validation split and small shards (many checkpoints).
3. Runs it again into an empty folder, SIGKILLing it at KILLS (default 10) moments and
   continuing each time with `--resume`. Most moments are random times; at least one is
   during a shard rename and one during a checkpoint write, reached with the test-only
   hook `AWAL_TEST_PAUSE_AT=shard-rename|checkpoint-write[:N]` (the writer creates
   `AWAL_TEST_PAUSE_MARKER` and sleeps there; see crates/awal-prep/src/resume.rs).
4. Checks that the final folder is byte-identical to the uninterrupted one: every shard,
   manifest.json (it holds no time stamps, so it is compared whole) and report.md, and
   that no temp file, checkpoint or dedup journal is left behind.

If a resumed run completes before all kills have landed, its output is checked the same
way and a fresh run into an empty folder takes the remaining kills (a new "round").

Each attempt runs with 1, 2 or 4 threads (RAYON_NUM_THREADS). The random choices (kill
modes, delays, pause occurrences, thread counts) come from one seeded RNG; the seed is
printed and SEED=N (or --seed N) replays the same choices. Time-based kills land where
the scheduler puts them, so a replay is the same plan, not the same instants.

Usage: SIZE_MB=8 KILLS=10 python3 tests/soak/kill_resume.py --awal target/release/awal
Python 3 standard library only.
"""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PAUSE_POINTS = ("shard-rename", "checkpoint-write")
# What a folder of a finished run may hold besides shards: anything else (a temp file,
# the checkpoint, the dedup journal) is a leftover.
FINISHED_FILES = ("manifest.json", "report.md")


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def tree(folder):
    """Every file under `folder`, hidden ones included: relative path -> bytes."""
    files = {}
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, folder)] = f.read()
    return files


def compare(reference, folder, label):
    want, got = tree(reference), tree(folder)
    leftovers = [
        p for p in got
        if not (os.path.basename(p).startswith("shard-") or p in FINISHED_FILES)
    ]
    if leftovers:
        fail("%s: files left behind: %s" % (label, ", ".join(sorted(leftovers))))
    if sorted(want) != sorted(got):
        fail("%s: files differ: only in reference %s, only in resumed %s" % (
            label, sorted(set(want) - set(got)), sorted(set(got) - set(want))))
    for path in sorted(want):
        if want[path] != got[path]:
            fail("%s: %s differs from the uninterrupted run" % (label, path))
    shards = sum(1 for p in want if os.path.basename(p).startswith("shard-"))
    print("  %s: %d shards, manifest.json and report.md byte-identical" % (label, shards))


def kill_plan(rng, kills):
    """Kill modes: each pause point at least once, the rest mostly random times."""
    plan = list(PAUSE_POINTS)
    while len(plan) < kills:
        plan.append(rng.choice(("time", "time", "time") + PAUSE_POINTS))
    rng.shuffle(plan)
    return plan


def wait_for(proc, marker, deadline):
    """Waits until `marker` exists (returns True) or the process exits (False)."""
    while time.monotonic() < deadline:
        if marker is not None and os.path.exists(marker):
            return True
        if proc.poll() is not None:
            return marker is not None and os.path.exists(marker)
        time.sleep(0.002)
    if marker is None:
        return proc.poll() is None
    proc.kill()
    fail("no pause and no exit within the time limit (is the hook built in?)")


def temp_files(folder):
    return [p for p in tree(folder) if os.path.basename(p).endswith(".tmp")]


def finished(proc, out, label):
    """Checks how a process that was not killed ended; the run must be complete."""
    _, err = proc.communicate()
    err = err.decode("utf-8", "replace")
    # A kill can land after the last file of a run is final but before the process
    # exits; the next --resume then reports the run complete, which it is.
    if proc.returncode != 0 and "already complete" not in err:
        fail("%s: awal exited %d:\n%s" % (label, proc.returncode, err))
    if not os.path.exists(os.path.join(out, "manifest.json")):
        fail("%s: exited without manifest.json:\n%s" % (label, err))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--awal", default=os.path.join(ROOT, "target", "release", "awal"))
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--work", help="working folder (default: a new temp folder, removed)")
    a = ap.parse_args()
    size_mb = float(os.environ.get("SIZE_MB", "50"))
    kills = int(os.environ.get("KILLS", "10"))
    seed = a.seed if a.seed is not None else int(os.environ.get("SEED", random.SystemRandom().randrange(2**32)))
    rng = random.Random(seed)
    awal = os.path.abspath(a.awal)
    print("kill_resume: seed %d (replay with SEED=%d), %g MB, %d kills" % (seed, seed, size_mb, kills))

    work = a.work or tempfile.mkdtemp(prefix="awal-soak-")
    os.makedirs(work, exist_ok=True)
    try:
        run_soak(awal, work, size_mb, kills, rng)
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)


def run_soak(awal, work, size_mb, kills, rng):
    corpus = os.path.join(work, "corpus.jsonl")
    subprocess.run([sys.executable, os.path.join(ROOT, "benches", "prep", "make_corpus.py"),
                    "--mb", str(size_mb), "--out", corpus], check=True, stdout=subprocess.DEVNULL)
    # About 40 checkpoints whatever the size: many moments worth killing at.
    shard_kb = max(32, int(size_mb * 1024 / 40))
    sample = os.path.join(ROOT, "corpora", "sample")
    inputs = [corpus] + [os.path.join(sample, n) for n in ("forum.jsonl.gz", "mixed.txt", "news.jsonl", "social.txt")]
    args = [*inputs, "--quiet",
            "--unify", "ary=arab", "--split", "valid=0.02", "--shard-size", "%dK" % shard_kb]

    reference = os.path.join(work, "whole")
    start = time.monotonic()
    subprocess.run([awal, "prepare", *args, "--out", reference, "--overwrite"], check=True,
                   stdout=subprocess.DEVNULL)
    whole_s = time.monotonic() - start
    shards = sum(1 for p in tree(reference) if os.path.basename(p).startswith("shard-"))
    print("  uninterrupted run: %.2f s, %d shards" % (whole_s, shards))
    if shards < 4:
        fail("too few shards (%d) for kills to land between checkpoints" % shards)

    out = os.path.join(work, "killed")
    shutil.rmtree(out, ignore_errors=True)
    marker = os.path.join(work, "pause-marker")
    plan = kill_plan(rng, kills)
    landed = {"time": 0, "shard-rename": 0, "checkpoint-write": 0}
    rounds, attempt, fresh = 1, 0, True
    limit = 20 * whole_s + 60
    while plan:
        mode = plan[0]
        # Output must not depend on the thread count, not even across a resume.
        env = dict(os.environ, RAYON_NUM_THREADS=str(rng.choice((1, 2, 4))))
        if os.path.exists(marker):
            os.remove(marker)
        if mode == "time":
            # Up to half a run: kills land during start-up (model loading, skipping the
            # consumed items, replaying the dedup journal) as well as mid-shard, and
            # an attempt that outlives its delay by finishing starts a new round.
            delay = rng.uniform(0.0, 0.5 * whole_s)
            deadline, wait_marker = time.monotonic() + delay, None
        else:
            # The N-th pause point of this attempt, spread like the time-based kills.
            occurrence = rng.randint(1, max(2, 2 * shards // kills))
            env["AWAL_TEST_PAUSE_AT"] = "%s:%d" % (mode, occurrence)
            env["AWAL_TEST_PAUSE_MARKER"] = marker
            deadline, wait_marker = time.monotonic() + limit, marker
        cmd = [awal, "prepare", *args, "--out", out] + ([] if fresh else ["--resume"])
        attempt += 1
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        fresh = False
        if wait_for(proc, wait_marker, deadline) and proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            if mode != "time":
                # The kill must have caught the writer mid-commit: a complete temp file
                # not yet renamed (temp names are `.NAME.tmp`, sink::temp_path).
                tmp = temp_files(out)
                want = "..awal-checkpoint.json.tmp" if mode == "checkpoint-write" else ".shard-"
                if not any(os.path.basename(t).startswith(want) for t in tmp):
                    fail("attempt %d: paused at %s but no %s* temp file: %s" % (attempt, mode, want, tmp))
            landed[mode] += 1
            plan.pop(0)
            moment = "after %.2f s" % delay if mode == "time" else "at %s #%d" % (mode, occurrence)
            done = sum(1 for p in tree(out) if os.path.basename(p).startswith("shard-"))
            print("  attempt %d: SIGKILL %s (%d shard files on disk)" % (attempt, moment, done))
            continue
        # It finished before the kill: check this round and start a fresh one.
        finished(proc, out, "attempt %d" % attempt)
        compare(reference, out, "round %d (completed before its next kill)" % rounds)
        shutil.rmtree(out)
        rounds, fresh = rounds + 1, True

    proc = subprocess.Popen([awal, "prepare", *args, "--out", out, "--resume"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    finished(proc, out, "final resume")
    compare(reference, out, "round %d (after its last kill)" % rounds)
    print("kill_resume: OK: %d kills (%d random times, %d shard renames, %d checkpoint writes) "
          "over %d attempt(s) in %d round(s); every round byte-identical to the uninterrupted run"
          % (sum(landed.values()), landed["time"], landed["shard-rename"], landed["checkpoint-write"],
             attempt + 1, rounds))


if __name__ == "__main__":
    main()
