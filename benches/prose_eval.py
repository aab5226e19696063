#!/usr/bin/env python3
"""Ranking on real prose: for a sample of sentences of a corpus, query the sentence's 3 rarest
words typed without diacritics and find the rank of the first passage that holds the sentence
(its own, or another with the very same sentence).
Prints top-1 rate, top-5 rate and mean reciprocal rank (over the top 10), and how many misses
are ambiguous: the first hit has the three words in one sentence too.

usage: benches/prose_eval.py TRACUU_BINARY CORPUS_DIR INDEX_DIR [SAMPLE=400] [SEED=7]
(index the corpus first: tracuu index CORPUS_DIR --index INDEX_DIR; PROSE_MISSES=1 lists misses)
"""
import collections, json, os, random, re, subprocess, sys, unicodedata

def fold(w):
    w = unicodedata.normalize("NFD", w.lower()).replace("đ", "d").replace("\u0111", "d")
    return "".join(c for c in w if not unicodedata.combining(c))

def words(text):
    return re.findall(r"\w+", text)

def main():
    binary, corpus, index = sys.argv[1:4]
    sample = int(sys.argv[4]) if len(sys.argv) > 4 else 400
    random.seed(int(sys.argv[5]) if len(sys.argv) > 5 else 7)
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs)
    df = collections.Counter()
    sentences = []
    for path in files:
        text = open(path, encoding="utf-8").read()
        df.update(set(fold(w) for w in words(text)))
        raw = open(path, "rb").read()
        for m in re.finditer(r"[^.!?\n]{40,300}[.!?]", text):
            s = m.group(0).strip()
            ws = [fold(w) for w in words(s) if not w.isdigit() and len(w) > 1]
            if len(set(ws)) >= 6 and any(ord(c) > 127 for c in s):
                start = len(text[: m.start() + m.group(0).index(s)].encode("utf-8"))
                sentences.append((path, start, s, ws))
    chosen = random.sample(sentences, min(sample, len(sentences)))
    top1 = top5 = ambiguous = 0
    rr = 0.0
    collapse = lambda t: " ".join(t.split())
    for path, start, sentence, ws in chosen:
        ws = sorted(set(ws), key=lambda w: (df[w], w))[:3]
        query = " ".join(ws)
        out = subprocess.run([binary, "search", "--json", "-n", "10", "--index", index, "--", query],
                             capture_output=True, text=True)
        rank = None
        first = None
        for line in out.stdout.splitlines():
            hit = json.loads(line)
            if first is None:
                first = hit["text"]
            # The sentence's own passage, or another passage with the very same sentence (help
            # pages repeat sentences word for word).
            here = os.path.abspath(hit["path"]) == os.path.abspath(path) and hit["start"] <= start < hit["end"]
            if here or collapse(sentence) in collapse(hit["text"]):
                rank = hit["rank"]
                break
        # A miss whose first hit has all three words in one sentence of its own answers the
        # query as well: the query cannot tell the two apart.
        if rank != 1 and first is not None and any(
            set(ws) <= set(fold(w) for w in words(part))
            for part in re.split(r"[.!?\n]", first)
        ):
            ambiguous += 1
        if rank != 1 and os.environ.get("PROSE_MISSES"):
            print(f"rank {rank}: {query!r} in {path}@{start}: {sentence[:100]!r}")
        if rank == 1:
            top1 += 1
        if rank and rank <= 5:
            top5 += 1
        if rank:
            rr += 1.0 / rank
    n = len(chosen)
    print(f"sentences {n}: top-1 {top1 / n:.3f}, top-5 {top5 / n:.3f}, MRR {rr / n:.3f}; "
          f"misses whose first hit has the 3 words in one sentence: {ambiguous}")

if __name__ == "__main__":
    main()
