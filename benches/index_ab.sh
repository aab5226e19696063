#!/usr/bin/env bash
# Indexing time of two builds on the same corpus, in the same run: fresh index each time, the
# two builds alternated (A B, B A, A B, …) so that a change in machine load hits both alike.
# Prints each sample, then the median and the spread (min-max) per build, and `uptime`.
#
#   benches/index_ab.sh BINARY_A BINARY_B [CORPUS_DIR=/tmp/c100] [RUNS=3]
#
# e.g. a release build of main (from `git archive main`, its own target dir) against this
# branch's, on the 100 MB synthetic corpus (`tracuu`'s `make_corpus --mb 100`).
set -euo pipefail
a=$1
b=$2
corpus=${3:-/tmp/c100}
runs=${4:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
uptime
python3 - "$a" "$b" "$corpus" "$runs" "$work" <<'PY'
import os, shutil, statistics, subprocess, sys, time
a, b, corpus, runs, work = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
env = {k: v for k, v in os.environ.items() if k != "RUST_BACKTRACE"}
samples = {a: [], b: []}
for i in range(runs):
    for binary in ([a, b] if i % 2 == 0 else [b, a]):
        index = os.path.join(work, "index")
        shutil.rmtree(index, ignore_errors=True)
        t = time.perf_counter()
        subprocess.run([binary, "index", corpus, "--index", index, "--quiet"], check=True, env=env)
        samples[binary].append(time.perf_counter() - t)
        print(f"run {i + 1} {binary}: {samples[binary][-1]:.2f} s", flush=True)
for binary, s in samples.items():
    print(f"{binary}: median {statistics.median(s):.2f} s (min {min(s):.2f}, max {max(s):.2f}) over {len(s)} runs")
ma, mb = statistics.median(samples[a]), statistics.median(samples[b])
print(f"B / A = {mb / ma:.3f}")
PY
uptime
