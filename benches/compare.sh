#!/usr/bin/env bash
# Compares tracuu with SQLite FTS5 (and ripgrep) on the same corpora and the same queries, side
# by side in one run: for each corpus, the index build (wall time, peak RSS, size on disk) and the
# whole-process latency of every query of tracuu's built-in set (`tracuu bench`'s), then the
# median over the whole set, and `--files` against `--count`. Tools that are not installed are
# skipped.
#
#   benches/compare.sh [CORPUS_DIR...] [RUNS]      # defaults: seeds 30
#   WORK_DIR=/big/tmp benches/compare.sh seeds /tmp/c20k /tmp/c1g 10
#
# SQLite gets exactly tracuu's passages (examples/export_passages) in an FTS5 table with
# tokenize='unicode61 remove_diacritics 2', built by Python's sqlite3 from the JSON Lines (the
# export itself is not timed); each query runs in the sqlite3 CLI with a snippet, best 10 by rank.
# ripgrep searches the files with `rg -i -F -l` (RG=0 leaves it out). Peak RSS needs GNU time.
# Each corpus's indexes are deleted once it is measured (WORK_DIR, default /tmp, needs room for
# about three times the corpus).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpora=()
runs=30
for a in "$@"; do
    if [[ $a =~ ^[0-9]+$ ]]; then
        runs=$a
    elif [[ -d $a ]]; then
        corpora+=("$(cd "$a" && pwd)")
    else
        echo "compare.sh: $a is neither a folder nor a number of runs" >&2
        exit 2
    fi
done
[[ ${#corpora[@]} -gt 0 ]] || corpora=("$root/seeds")
work=$(mktemp -d "${WORK_DIR:-/tmp}/tracuu-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [[ -z ${BIN:-} ]]; then  # BIN=DIR: use the binaries already built in DIR
    cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin tracuu --example export_passages
fi
# .cargo/config.toml builds for the host triple by name: target/<host>/release.
host=$(rustc -vV | sed -n 's/^host: //p')
default_bin=$root/target/$host/release
[[ -x $default_bin/tracuu ]] || default_bin=$root/target/release
bin=$(cd "${BIN:-$default_bin}" && pwd)

python3 - "$bin" "$work" "$runs" "${corpora[@]}" <<'PY'
import json, os, shutil, statistics, subprocess, sys, time

bin, work, runs, corpora = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
tracuu = os.path.join(bin, "tracuu")
gnu_time = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
have_sqlite = shutil.which("sqlite3") is not None
have_rg = shutil.which("rg") is not None and os.environ.get("RG", "1") != "0"

LOADER = r"""
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[2])
con.execute("PRAGMA journal_mode=OFF")
con.execute("CREATE VIRTUAL TABLE p USING fts5(text, source UNINDEXED, start UNINDEXED, tokenize='unicode61 remove_diacritics 2')")
with open(sys.argv[1], encoding="utf-8") as f:
    rows = (json.loads(l) for l in f)
    con.executemany("INSERT INTO p(text, source, start) VALUES (?, ?, ?)", ((r["text"], r["source"], r["start"]) for r in rows))
con.commit(); con.close()
"""

def measured(cmd, **kw):
    """Runs cmd; returns (wall seconds, peak RSS in MiB or None)."""
    stats = os.path.join(work, "time.txt")
    full = ([gnu_time, "-v", "-o", stats] if gnu_time else []) + cmd
    t = time.perf_counter()
    subprocess.run(full, check=True, **kw)
    wall = time.perf_counter() - t
    rss = None
    if gnu_time:
        for line in open(stats):
            if "Maximum resident set size" in line:
                rss = int(line.split(":")[1]) / 1024
    return wall, rss

def size_of(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)

def run_ms(cmd):
    t = time.perf_counter()
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    return (time.perf_counter() - t) * 1000, out

def fts(q):
    """The query in FTS5 syntax: no typo operator."""
    return q.replace("~", "").replace("'", "''")

def fmt(x, unit=""):
    return "—" if x is None else (f"{x:.2f}{unit}" if x < 10 else f"{x:.1f}{unit}" if x < 100 else f"{x:.0f}{unit}")

print(f"median of {runs} runs per figure; {os.cpu_count()} cores; load: {os.getloadavg()[0]:.1f}")
summary = []
for corpus in corpora:
    name = os.path.basename(corpus.rstrip("/"))
    files = sum(len(fs) for _, _, fs in os.walk(corpus))
    print(f"\n== {corpus}: {files} files, {size_of(corpus) / 1e6:.1f} MB")
    index = os.path.join(work, "index")
    shutil.rmtree(index, ignore_errors=True)
    row = {"corpus": name, "files": files, "mb": size_of(corpus) / 1e6}
    row["t_build"], row["t_rss"] = measured([tracuu, "index", corpus, "--index", index, "--quiet"])
    row["t_size"] = size_of(index) / 1e6
    bench = json.loads(subprocess.run([tracuu, "bench", "--index", index, "--json", "--iterations", "1", "--warmup", "0"],
                                      stdout=subprocess.PIPE, check=True).stdout)
    queries = [q["query"] for q in bench["queries"]]

    db = None
    if have_sqlite:
        passages = os.path.join(work, "passages.jsonl")
        with open(passages, "w") as f:
            subprocess.run([os.path.join(bin, "examples", "export_passages"), corpus], stdout=f, stderr=subprocess.DEVNULL, check=True)
        db = os.path.join(work, "fts.db")
        if os.path.exists(db):
            os.remove(db)
        row["s_build"], row["s_rss"] = measured([sys.executable, "-c", LOADER, passages, db])
        row["s_size"] = size_of(db) / 1e6
        os.remove(passages)

    print(f"build: tracuu {row['t_build']:.2f} s, peak {fmt(row['t_rss'])} MiB, index {row['t_size']:.1f} MB"
          + (f"; FTS5 {row['s_build']:.2f} s, peak {fmt(row['s_rss'])} MiB, db {row['s_size']:.1f} MB" if db else ""), flush=True)
    tools = {"tracuu": lambda q: [tracuu, "search", "--index", index, "--json", "--limit", "10", "--", q]}
    if db:
        tools["sqlite3"] = lambda q: ["sqlite3", db, f"SELECT source, start, snippet(p, 0, '[', ']', '…', 24) FROM p WHERE p MATCH '{fts(q)}' ORDER BY rank LIMIT 10;"]
    if have_rg:
        tools["rg"] = lambda q: ["rg", "-i", "-F", "-l", "--", q.strip('"~*'), corpus]
    samples = {t: {q: [] for q in queries} for t in tools}
    for q in queries:
        for t, cmd in tools.items():
            run_ms(cmd(q))  # warm up
    for _ in range(runs):
        for q in queries:
            for t, cmd in tools.items():
                samples[t][q].append(run_ms(cmd(q))[0])
    print(f"{'query':<34} " + " ".join(f"{t + ' ms':>10}" for t in tools) + f" {'found':>16}")
    for q in queries:
        found = subprocess.run([tracuu, "search", "--index", index, "--count", "--", q], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode().strip() or "0"
        if db:
            n = subprocess.run(["sqlite3", db, f"SELECT count(*) FROM p WHERE p MATCH '{fts(q)}';"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode().strip() or "error"
            found += f" / {n}"
        print(f"{q:<34} " + " ".join(f"{statistics.median(samples[t][q]):10.2f}" for t in tools) + f" {found:>16}")
    for t in tools:
        row[f"p50_{t}"] = statistics.median([x for q in queries for x in samples[t][q]])
    # --files against --count on the query with the most matches.
    counts = {q: int(subprocess.run([tracuu, "search", "--index", index, "--count", "--", q], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode().strip() or 0) for q in queries}
    top = max(queries, key=lambda q: counts[q])
    c = statistics.median(run_ms([tracuu, "search", "--index", index, "--count", "--", top])[0] for _ in range(runs))
    f = statistics.median(run_ms([tracuu, "search", "--index", index, "--files", "--", top])[0] for _ in range(runs))
    row.update(top=top, top_n=counts[top], count_ms=c, files_ms=f)
    print(f"--count {top} ({counts[top]} passages): {c:.2f} ms; --files: {f:.2f} ms ({f / c:.2f}×)", flush=True)
    summary.append(row)
    shutil.rmtree(index, ignore_errors=True)
    if db:
        os.remove(db)

print(f"\n== summary (load: {os.getloadavg()[0]:.1f})")
print(f"{'corpus':<14} {'files':>7} {'MB':>7} | {'tracuu build s':>14} {'RSS MiB':>8} {'index MB':>8} | {'FTS5 build s':>12} {'RSS MiB':>8} {'db MB':>7} | {'p50 tracuu':>10} {'p50 FTS5':>9} | {'--count':>8} {'--files':>8}")
for r in summary:
    print(f"{r['corpus']:<14} {r['files']:>7} {r['mb']:>7.1f} | {r['t_build']:>14.2f} {fmt(r['t_rss']):>8} {r['t_size']:>8.1f} | "
          f"{fmt(r.get('s_build')):>12} {fmt(r.get('s_rss')):>8} {fmt(r.get('s_size')):>7} | {r['p50_tracuu']:>10.2f} {fmt(r.get('p50_sqlite3')):>9} | {r['count_ms']:>8.2f} {r['files_ms']:>8.2f}")
if summary:
    base = summary[0]
    for r in summary[1:]:
        print(f"{r['corpus']}: tracuu search p50 {r['p50_tracuu'] / base['p50_tracuu']:.2f}× {base['corpus']}'s; build {r['t_build'] / r['s_build']:.2f}× FTS5's" if r.get("s_build") else "")
print("\nfound: matching passages (tracuu / FTS5). tracuu folds đ and diacritics both ways; FTS5 never folds đ.")
PY
