#!/usr/bin/env python3
"""The distributed `prepare` and the per-call batch API against the CLI (see run.sh).

Run with a Python that has awal, pyspark and ray installed. For each engine it runs the
whole command as a child process and measures wall time and the CPU time (user + sys) of the
whole process tree: this process makes itself a child subreaper, so Spark's JVM and Python
workers and Ray's raylet and workers, even when orphaned, are reaped here and their CPU time
lands in RUSAGE_CHILDREN.
"""

import argparse
import ctypes
import errno
import json
import os
import resource
import shutil
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def subreaper():
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        print("note: not Linux, CPU of orphaned grandchildren is not counted", file=sys.stderr)


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def reap_all(deadline_s=60.0):
    """Waits for every descendant left (daemons shutting down) so that their CPU is counted."""
    end = time.time() + deadline_s
    while time.time() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return True
        except OSError as e:
            if e.errno == errno.ECHILD:
                return True
            raise
        if pid == 0:
            time.sleep(0.1)
    return False


CLK_TCK = os.sysconf("SC_CLK_TCK")


def _proc_table():
    """{pid: (ppid, state, start time, CPU seconds of the process itself)} from /proc."""
    table = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        # after "(comm)": state(0) ppid(1) ... utime(11) stime(12) ... starttime(19)
        cpu = (int(fields[11]) + int(fields[12])) / CLK_TCK
        table[int(d)] = (int(fields[1]), fields[0], int(fields[19]), cpu)
    return table


def _descendants(table, root):
    kids = {}
    for pid, row in table.items():
        kids.setdefault(row[0], []).append(pid)
    out, todo = [], [root]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.append(k)
            todo.append(k)
    return out


def _run_polled(cmd, env, linger_s=60.0):
    """Runs cmd and polls /proc every 0.2 s for the CPU time of every process below this one,
    daemons that outlive the command included (this process is their subreaper and reaps them
    here). RUSAGE_CHILDREN alone misses the CPU of Ray workers still alive when the driver
    exits; the poll misses at most 0.2 s per process. Returns (exit code, stderr, CPU s)."""
    import threading

    me = os.getpid()
    seen = {}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = []
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read()))
    reader.start()
    ended = None
    while True:
        table = _proc_table()
        below = _descendants(table, me)
        for pid in below:
            seen[(pid, table[pid][2])] = table[pid][3]
        for pid in below:  # orphans that ended: reap them (never the command, Popen does)
            if table[pid][0] == me and table[pid][1] == b"Z" and pid != proc.pid:
                try:
                    os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    pass
        if proc.poll() is not None:
            ended = ended or time.time()
            if not [p for p in below if p != proc.pid] or time.time() - ended > linger_s:
                break
        time.sleep(0.2)
    reader.join()
    return proc.returncode, "".join(err), sum(seen.values())


def measure(name, cmd, env=None):
    cpu0 = children_cpu()
    t0 = time.time()
    code, stderr, polled = _run_polled(cmd, env)
    wall = time.time() - t0
    complete = reap_all()
    cpu = max(children_cpu() - cpu0, polled)
    if code != 0:
        sys.exit(f"{name} failed ({' '.join(cmd)}):\n{stderr[-3000:]}")
    if not complete:
        print(f"note: {name} left processes running after 60 s; their CPU is not counted", file=sys.stderr)
    return wall, cpu


def kept(out):
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        b = json.load(f)["balance"]
    return b["read"], b["kept"]


def prepare_bench(a, mb):
    py = a.python or sys.executable
    env = dict(os.environ)
    env.setdefault("PYSPARK_PYTHON", py)
    runs = [
        ("awal prepare (CLI)", [a.awal, "prepare", a.corpus, "--out", f"{a.dir}/out-cli", "--overwrite", "--quiet"]),
        ("awal.spark local[2]", [py, "-m", "awal.spark", "prepare", a.corpus, "--out", f"{a.dir}/out-spark",
                                 "--overwrite", "--quiet", "--master", "local[2]"]),
        ("awal.ray 2 CPUs", [py, "-m", "awal.ray", "prepare", a.corpus, "--out", f"{a.dir}/out-ray",
                             "--overwrite", "--quiet", "--num-cpus", "2"]),
    ]
    # The fixed cost of each run (JVM, Ray daemons, workers, model loads): the same command on
    # a one-line corpus. "marginal" = (CPU - fixed) / MB, the cost that grows with the data.
    tiny = os.path.join(a.dir, "tiny")
    os.makedirs(tiny, exist_ok=True)
    with open(os.path.join(tiny, "one.txt"), "w", encoding="utf-8") as f:
        f.write("salam khoya, kidayr? ana mzyan l7amdolillah\n")
    print(f"\n## prepare: {mb:.1f} MB in {len(os.listdir(a.corpus))} files ({a.corpus})\n")
    print(f"| {'run':22s} | MB/s wall | wall s | CPU s | CPU s/MB | vs CLI | fixed CPU s | marginal CPU s/MB | vs CLI | read | kept |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = base_marginal = None
    results = {}
    for name, cmd in runs:
        if a.engines and name.split()[0].split(".")[-1] not in a.engines and not name.startswith("awal prepare"):
            continue
        tcmd = [tiny if c == a.corpus else c for c in cmd]
        tcmd[tcmd.index("--out") + 1] += "-tiny"
        _, fixed = measure(name + " (one line)", tcmd, env)
        shutil.rmtree(tcmd[tcmd.index("--out") + 1], ignore_errors=True)
        wall, cpu = measure(name, cmd, env)
        out = cmd[cmd.index("--out") + 1]
        r, k = kept(out)
        per_mb = cpu / mb
        marginal = max(cpu - fixed, 0.0) / mb
        base = base or per_mb
        base_marginal = base_marginal or marginal
        results[name] = (r, k)
        print(
            f"| {name:22s} | {mb / wall:9.1f} | {wall:6.1f} | {cpu:5.1f} | {per_mb:8.3f} | {per_mb / base:5.2f}x"
            f" | {fixed:11.1f} | {marginal:17.3f} | {marginal / base_marginal:5.2f}x | {r} | {k} |"
        )
    if len(set(results.values())) != 1:
        sys.exit(f"the runs disagree on (read, kept): {results}")


def lines_file(a, limit_mb):
    """The documents of the corpus, one per line, up to limit_mb: input of the line commands."""
    path = os.path.join(a.dir, f"lines-{limit_mb}mb.txt")
    if os.path.exists(path):
        return path
    budget = int(limit_mb * 1048576)
    with open(path + ".tmp", "w", encoding="utf-8") as out:
        for name in sorted(os.listdir(a.corpus)):
            with open(os.path.join(a.corpus, name), encoding="utf-8") as f:
                for l in f:
                    t = json.loads(l)["text"].replace("\r", " ").replace("\n", " ") + "\n"
                    out.write(t)
                    budget -= len(t.encode())
                    if budget <= 0:
                        break
            if budget <= 0:
                break
    os.replace(path + ".tmp", path)
    return path


def api_bench(a, limit_mb):
    import pyarrow as pa

    import awal

    path = lines_file(a, limit_mb)
    mb = os.path.getsize(path) / 1048576
    with open(path, "rb") as f:
        data = f.read()
    arr = pa.array(data.decode("utf-8").split("\n")[:-1], pa.string())
    calls = [
        ("detect", lambda: awal.detect(arr), ["detect", "--format", "tsv", path]),
        ("redact", lambda: awal.redact(arr), ["redact", path]),
        ("normalize", lambda: awal.normalize(arr), ["normalize", path]),
    ]
    print(f"\n## batch API on a pyarrow array vs the CLI line commands: {len(arr)} lines, {mb:.1f} MB\n")
    print("| call | API MB/s | API CPU s/MB | CLI MB/s | CLI CPU s/MB | API CPU/MB vs CLI |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, fn, args in calls:
        fn()  # warm: model load, thread pool
        r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.time()
        fn()
        wall = time.time() - t0
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        cwall, ccpu = measure(f"awal {name}", [a.awal, *args])
        print(f"| {name} | {mb / wall:8.1f} | {cpu / mb:12.4f} | {mb / cwall:8.1f} | {ccpu / mb:12.4f} | {(cpu / mb) / (ccpu / mb):16.2f}x |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--awal", required=True)
    ap.add_argument("--corpus", required=True, help="folder of the split corpus")
    ap.add_argument("--dir", required=True, help="work folder")
    ap.add_argument("--python", help="interpreter for the engines (default: this one)")
    ap.add_argument("--api-mb", type=float, default=50, help="size of the line-command input (0: skip)")
    ap.add_argument("--engines", type=lambda v: v.split(","), help="e.g. `ray` or `spark,ray` (the CLI always runs)")
    a = ap.parse_args()
    subreaper()
    mb = sum(os.path.getsize(os.path.join(a.corpus, n)) for n in os.listdir(a.corpus)) / 1048576
    print(f"load average before: {' '.join(open('/proc/loadavg').read().split()[:3])}; cores: {os.cpu_count()}")
    prepare_bench(a, mb)
    if a.api_mb > 0:
        api_bench(a, min(a.api_mb, mb))
    for d in ("out-cli", "out-spark", "out-ray"):
        shutil.rmtree(os.path.join(a.dir, d), ignore_errors=True)


if __name__ == "__main__":
    main()
