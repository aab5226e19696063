#!/usr/bin/env python3
"""Parity of `tracuu search --engine` with local search, on a Lucene-backed engine (run on demand).

Indexes the seeds and Debian's Vietnamese maint-guide (`apt-get install maint-guide-vi`), exports
them into 1 and into 10 shards of ../shared/tools/lucene-search (Java 17 and liblucene8-java), and
compares the top 10 of every query of queries.tsv plus 20 names with and without diacritics:

- identical lists: the same passages in the same order, where passages of exactly equal score
  (on either side) may come in either order;
- hits in common: the share of local hits the engine also returns in its top 10;
- 1 shard = 10 shards: the engine's lists on both, in the same sense.

    python3 benches/engine-parity.py [--lucene-search DIR] [--queries FILE] [--keep]

Each export is `tracuu export --opensearch URL --shards N`, which creates the index and sends the
bulk. Then a seed file is edited and the corpus indexed again: an incremental export into the
1-shard index must make it answer every query with the passages a full export into a new index
gives (the order may differ where deleted documents, still counted in Lucene's statistics until
segments merge, move a near-tie).

Builds the debug binary with cargo (CARGO_TARGET_DIR is respected) and copies it away first, so
that other builds sharing the target folder cannot swap it mid-run.
Exit status: 0 if the issue's bar is met (>= 90% identical, >= 98% hits in common, 1 = 10 shards,
incremental = full).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES = [
    "Trần Đức Lương", "Nguyễn Phú Trọng", "Lê Duẩn", "Hồ Chí Minh", "Bùi Thanh Sơn",
    "Phan Bội Châu", "Nguyễn Thị Mai", "Nguyễn Xuân Phúc", "Lê Hồng Giang", "Nguyễn Ái Quốc",
    "Võ Nguyên Giáp", "Điện Biên Phủ", "Võ Văn Thưởng", "Trần Văn Giàu", "Tôn Đức Thắng",
    "Nguyễn Khánh Toàn", "Nguyễn Duy Trinh", "Lê Quý Đôn", "Cam Ranh", "Hải Dương",
]


def folded(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def build(workdir):
    env = dict(os.environ)
    subprocess.run(["cargo", "build", "--bin", "tracuu"], cwd=ROOT, check=True, env=env)
    target = Path(env.get("CARGO_TARGET_DIR", ROOT / "target"))
    host = subprocess.run(["rustc", "--print", "host-tuple"], capture_output=True, text=True,
                          check=True).stdout.strip()
    debug = target / host / "debug"
    tracuu = workdir / "tracuu"
    shutil.copy2(debug / "tracuu", tracuu)
    return tracuu


def http(method, url, body=None, ctype="application/json"):
    req = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": ctype})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def start_server(lucene, data):
    proc = subprocess.Popen([str(lucene / "run.sh"), "--port", "0", "--data", str(data)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in proc.stdout:
        if "listening on" in line:
            return proc, "http://" + line.split("listening on")[1].strip()
    raise SystemExit("lucene-search did not start: " + line)


def hits(cmd, env):
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)}: {out.stderr.strip()}")
    return [(h["source"], h["start"], h["score"]) for h in map(json.loads, out.stdout.splitlines())]


def same(a, b):
    """Same passages in the same order, exactly tied scores (on either side) in either order."""
    ka, kb = [h[:2] for h in a], [h[:2] for h in b]
    if sorted(ka) != sorted(kb):
        return False
    sa, sb = {h[:2]: h[2] for h in a}, {h[:2]: h[2] for h in b}
    rank_b = {k: i for i, k in enumerate(kb)}
    for i, x in enumerate(ka):
        for y in ka[i + 1:]:
            if rank_b[y] < rank_b[x] and sa[x] != sa[y] and sb[x] != sb[y]:
                return False
    return True


def incremental(tracuu, corpus, idx, base, queries, env):
    """Edits, removes and adds a file, indexes again, exports incrementally into docs1 and fully
    into a new index; returns for how many queries the two answer alike."""
    seeds = sorted(p for p in corpus.iterdir() if p.suffix == ".txt")
    with open(seeds[0], "a") as f:
        f.write("\nTrần Đức Lương gặp Lê Quý Đôn ở Hải Dương.\n")
    seeds[1].unlink()
    (corpus / "moi.txt").write_text("Võ Nguyên Giáp và Tôn Đức Thắng ở Cam Ranh.\n")
    subprocess.run([str(tracuu), "index", *idx, "-q"], check=True, env=env)
    for target, extra in ((f"{base}/docs1", []), (f"{base}/full1", ["--full"])):
        subprocess.run([str(tracuu), "export", *idx, "--opensearch", target, "-q", *extra],
                       check=True, env=env)
    alike = passages = 0
    for q in queries:
        search = [str(tracuu), "search", "--json", "-n", "10", "--engine"]
        a = hits(search + [f"{base}/docs1", "--", q], env)
        b = hits(search + [f"{base}/full1", "--", q], env)
        alike += same(a, b)
        passages += sorted(h[:2] for h in a) == sorted(h[:2] for h in b)
        if not same(a, b):
            print(f"incremental differs: {q!r}: {[h[:2] for h in a]} / {[h[:2] for h in b]}")
    return alike, passages


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lucene-search", default=str(ROOT.parent / "shared/tools/lucene-search"))
    ap.add_argument("--queries", default=str(ROOT / "tests/data/queries.tsv"))
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    lucene = Path(args.lucene_search)
    if not (lucene / "run.sh").exists():
        raise SystemExit(f"no lucene-search at {lucene}: pass --lucene-search DIR")
    guide = Path("/usr/share/doc/maint-guide-vi/maint-guide.vi.txt.gz")
    if not guide.exists():
        raise SystemExit("maint-guide-vi is missing: apt-get install maint-guide-vi")
    work = Path(tempfile.mkdtemp(prefix="engine-parity-"))
    env = dict(os.environ, TRACUU_HOME=str(work / "home"), NO_COLOR="1")
    server = None
    try:
        tracuu = build(work)
        corpus = work / "corpus"
        shutil.copytree(ROOT / "seeds", corpus)
        shutil.copy2(guide, corpus)
        subprocess.run([str(tracuu), "index", str(corpus), "--index", str(work / "idx"), "-q"],
                       check=True, env=env)
        server, base = start_server(lucene, work / "data")
        idx = ["--index", str(work / "idx")]
        for shards in (1, 10):
            subprocess.run([str(tracuu), "export", *idx, "--opensearch", f"{base}/docs{shards}",
                            "--shards", str(shards), "-q"], check=True, env=env)
        queries = []
        for line in Path(args.queries).read_text().splitlines():
            cols = line.split("\t")
            if line.startswith("#") or len(cols) < 3 or cols[0] == "id":
                continue
            queries.append(cols[2])
        queries += NAMES + [folded(n) for n in NAMES]
        identical = common = total = shards_same = 0
        for q in queries:
            search = [str(tracuu), "search", "--json", "-n", "10", "--", q]
            local = hits(search[:2] + ["--index", str(work / "idx")] + search[2:], env)
            one = hits(search[:2] + ["--engine", f"{base}/docs1"] + search[2:], env)
            ten = hits(search[:2] + ["--engine", f"{base}/docs10"] + search[2:], env)
            ok = same(local, ten)
            identical += ok
            shards_same += same(one, ten)
            keys = {h[:2] for h in ten}
            common += sum(h[:2] in keys for h in local)
            total += len(local)
            if not ok or not same(one, ten):
                print(f"differs: {q!r}: local {[(s[:3], st) for s, st, _ in local]}")
                print(f"          engine {[(s[:3], st) for s, st, _ in ten]}")
        n = len(queries)
        share = common / total if total else 1.0
        print(f"queries: {n}; identical top 10: {identical}/{n} ({identical / n:.1%}); "
              f"hits in common: {common}/{total} ({share:.1%}); 1 shard = 10 shards: {shards_same}/{n}")
        # Lucene counts deleted documents in its statistics until their segments merge, so after
        # an incremental export scores move a little and near-ties may swap (a real cluster
        # too, until `_forcemerge?only_expunge_deletes=true`): the same passages are required,
        # and the same order as for local search (>= 90%).
        fresh, same_passages = incremental(tracuu, corpus, idx, base, queries, env)
        print(f"incremental export answers as a full export: identical {fresh}/{n}, "
              f"same passages {same_passages}/{n}")
        met = (identical / n >= 0.9 and share >= 0.98 and shards_same == n
               and same_passages == n and fresh / n >= 0.9)
        return 0 if met else 1
    finally:
        if server:
            server.terminate()
            server.wait()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
