#!/usr/bin/env python3
"""Every hit's offsets can be opened: for the hits of many queries over an indexed corpus, check
that `tracuu show SOURCE START END` prints exactly the hit's `text` (issue 12), for every format.

usage: benches/show_check.py TRACUU_BINARY CORPUS_DIR INDEX_DIR [QUERIES=40] [DIRECT=5]

The queries are the QUERIES most frequent words of the corpus's plain-text files (.txt, .txt.gz)
and, for each, a two-word phrase that follows it; each query prints up to 200 hits in JSON.
A hit with file offsets (text, HTML, Markdown) is checked with its own
`tracuu show SOURCE START END` call. A hit with extracted offsets (PDF, DOCX, ODT, EPUB,
compressed files, whose extraction can take seconds) is checked against a slice (by bytes) of one
`tracuu show` of its whole source, and DIRECT of them per source, chosen with a fixed seed, also
with their own call. Prints the count of hits per format and every mismatch.
"""
import collections, gzip, json, os, random, re, subprocess, sys

ENV = {k: v for k, v in os.environ.items() if k != "RUST_BACKTRACE"}


def run(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, env=ENV)


def whole(binary, index, source):
    """The whole text `show` prints for a source (its end read from the error for too big a range)."""
    err = run(binary, "show", "--index", index, source, "0", "999999999999").stderr.decode()
    m = re.search(r"offsets are 0\.\.(\d+)", err)
    if not m:
        raise SystemExit(f"cannot read the extent of {source}: {err}")
    out = run(binary, "show", "--index", index, source, "0", m.group(1))
    return out.stdout


def main():
    binary, corpus, index = sys.argv[1:4]
    nqueries = int(sys.argv[4]) if len(sys.argv) > 4 else 40
    direct = int(sys.argv[5]) if len(sys.argv) > 5 else 5
    text = ""
    for d, _, fs in os.walk(corpus):
        for f in sorted(fs):
            p = os.path.join(d, f)
            if f.endswith(".txt.gz"):
                text += gzip.open(p, "rt", encoding="utf-8", errors="replace").read()
            elif f.endswith(".txt"):
                text += open(p, encoding="utf-8", errors="replace").read()
    words = re.findall(r"\w+", text.lower())
    freq = collections.Counter(w for w in words if len(w) > 1 and not w.isdigit())
    queries = []
    for w, _ in freq.most_common(nqueries):
        queries.append(w)
        follow = collections.Counter(b for a, b in zip(words, words[1:]) if a == w)
        if follow:
            queries.append(f'"{w} {follow.most_common(1)[0][0]}"')
    hits = {}
    for q in queries:
        out = run(binary, "search", "--index", index, "--json", "-n", "200", "--no-correct", "--", q)
        for line in out.stdout.decode().splitlines():
            h = json.loads(line)
            hits[(h["source"], h["start"], h["end"])] = h
    texts, bad, per_format = {}, [], collections.Counter()
    ndirect = 0

    def show(source, start, end):
        nonlocal ndirect
        ndirect += 1
        out = run(binary, "show", "--index", index, source, str(start), str(end))
        if out.returncode != 0 or out.stdout.decode() != hits[(source, start, end)]["text"]:
            bad.append(("show", source, start, end, out.stderr.decode().strip()))

    by_source = collections.defaultdict(list)
    for (source, start, end), h in sorted(hits.items()):
        per_format[h.get("format", "?")] += 1
        if h.get("offsets") != "extracted":
            # Offsets into the file (text, HTML, Markdown): show reads the file's own bytes
            # (and strips markup) for the span; each hit gets its own call.
            show(source, start, end)
            continue
        by_source[source].append((source, start, end))
        if source not in texts:
            texts[source] = whole(binary, index, source)
        if texts[source][start:end].decode("utf-8", errors="replace") != h["text"]:
            bad.append(("slice", source, start, end))
    random.seed(12)
    for source, keys in sorted(by_source.items()):
        for key in random.sample(keys, min(direct, len(keys))):
            show(*key)
    nfiles = len({source for source, _, _ in hits})
    print(f"{len(queries)} queries, {len(hits)} distinct hits in {nfiles} files; per format: "
          + ", ".join(f"{k} {v}" for k, v in sorted(per_format.items())))
    nslice = sum(len(k) for k in by_source.values())
    print(f"checked: {nslice} hits with extracted offsets against a slice of their whole file's show, "
          f"{ndirect} with their own show call (every hit with file offsets, and {direct} per other file)")
    print(f"mismatches: {len(bad)}")
    for b in bad:
        print("  ", *b)


if __name__ == "__main__":
    main()
