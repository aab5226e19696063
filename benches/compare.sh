#!/usr/bin/env bash
# Compares tracuu with SQLite FTS5 and ripgrep on the same corpus and the same queries:
# median whole-process latency per query (and its ratio to tracuu), matches found, and index
# build times. Tools that are not installed are skipped.
#
#   benches/compare.sh [CORPUS_DIR] [RUNS]        # defaults: seeds 30
#
# SQLite gets exactly tracuu's passages (examples/export_passages) in an FTS5 table with
# tokenize='unicode61 remove_diacritics 2'; ripgrep searches the files with `rg -i -F -l`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(cd "${1:-$root/seeds}" && pwd)
runs=${2:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin tracuu --example export_passages
bin="$root/target/release"

python3 - "$bin" "$corpus" "$work" "$runs" <<'PY'
import json, os, shutil, sqlite3, statistics, subprocess, sys, time
bin, corpus, work, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
tracuu = os.path.join(bin, "tracuu")
queries = ["Putin", "Cam Ranh", "Tran Duc Luong", "Trần Đức Lương", "Nguyen Ai Quoc", '"pivot to the East"']

def timed(cmd, n=runs):
    samples = []
    out = b""
    for _ in range(n):
        t = time.perf_counter()
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
        samples.append(time.perf_counter() - t)
    return statistics.median(samples) * 1000, out

print(f"corpus {corpus}; median of {runs} runs per figure; {os.cpu_count()} cores")
builds = []
index = os.path.join(work, "index")
t = time.perf_counter()
subprocess.run([tracuu, "index", corpus, "--index", index, "--quiet"], check=True)
builds.append(("tracuu index", (time.perf_counter() - t) * 1000))

db = None
if shutil.which("sqlite3"):
    passages = os.path.join(work, "passages.jsonl")
    with open(passages, "w") as f:
        subprocess.run([os.path.join(bin, "examples", "export_passages"), corpus], stdout=f, stderr=subprocess.DEVNULL, check=True)
    db = os.path.join(work, "fts.db")
    rows = [json.loads(l) for l in open(passages)]
    t = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE p USING fts5(text, source UNINDEXED, start UNINDEXED, tokenize='unicode61 remove_diacritics 2')")
    con.executemany("INSERT INTO p(text, source, start) VALUES (?, ?, ?)", ((r["text"], r["source"], r["start"]) for r in rows))
    con.commit(); con.close()
    builds.append(("sqlite FTS5 build", (time.perf_counter() - t) * 1000))

print("\nindex build (ms):")
for name, ms in builds:
    print(f"  {name:<22} {ms:9.1f}")

print(f"\n{'query':<24} {'tool':<8} {'median ms':>10} {'vs tracuu':>10} {'found':>7}")
for q in queries:
    ms, out = timed([tracuu, "search", "--index", index, "--json", "--limit", "10", "--", q])
    base = ms
    count = subprocess.run([tracuu, "search", "--index", index, "--count", "--", q], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode().strip() or "0"
    print(f"{q:<24} {'tracuu':<8} {ms:10.2f} {1.0:10.2f} {count:>7}")
    if db:
        fts = q.replace("'", "''")
        sql = f"SELECT source, start FROM p WHERE p MATCH '{fts}' ORDER BY rank LIMIT 10;"
        ms, out = timed(["sqlite3", db, sql])
        n = subprocess.run(["sqlite3", db, f"SELECT count(*) FROM p WHERE p MATCH '{fts}';"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode().strip() or "error"
        print(f"{'':<24} {'sqlite3':<8} {ms:10.2f} {ms / base:10.2f} {n:>7}")
    if shutil.which("rg"):
        lit = q.strip('"')
        ms, out = timed(["rg", "-i", "-F", "-l", "--", lit, corpus])
        print(f"{'':<24} {'rg':<8} {ms:10.2f} {ms / base:10.2f} {len(out.splitlines()):>6}f")
print("\nfound: matching passages (tracuu, sqlite3) or files (rg, 'f'). tracuu folds đ and")
print("diacritics both ways; FTS5 never folds đ; rg matches bytes.")
PY
