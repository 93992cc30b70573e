#!/usr/bin/env python3
"""Title-term recall@k of keyword extractors on the summarization dev set.

For every article the extractor sees only the body (its sentences joined with
"\\n"; never the title). The title's nouns are found by kosum's own tokenizer
(NNG/NNP/SL, stopwords removed, lower case) and are the same for every tool.
A title noun is found when it equals, or is contained in, one of the top k
keywords (lower case). recall@k is the share of title nouns found, averaged
over articles (macro) and over all title nouns (micro).

usage (from the repo root, after `cargo build --release --example keywords`):
    PY=/root/.cache/kosum-peers/venv/bin/python
    $PY benches/keyword_recall.py ../shared/corpus/summarization/dev.jsonl [-k 10]
        [--peers-dir ../shared/peers] [--kosum target/release/examples/keywords]
"""
import argparse, json, os, subprocess, sys, time
from types import SimpleNamespace


def recall(title_nouns, keywords):
    kws = [k.lower() for k in keywords]
    found = [n for n in title_nouns if any(n == k or n in k for k in kws)]
    return len(found), len(title_nouns)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dev_jsonl")
    ap.add_argument("-k", type=int, default=10)
    ap.add_argument("--peers-dir", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "peers"))
    ap.add_argument("--kosum", default="target/release/examples/keywords")
    ap.add_argument("--show", type=int, default=0, help="print the keywords of the first N articles")
    args = ap.parse_args()

    results, timings = {}, {}
    for name, extra in (("kosum", []), ("kosum --idf corpus", ["--idf-corpus"])):
        t0 = time.perf_counter()
        out = subprocess.run([args.kosum, "--recall", args.dev_jsonl, "-k", str(args.k)] + extra,
                             check=True, capture_output=True, text=True).stdout
        timings[name] = time.perf_counter() - t0
        rows = [json.loads(line) for line in out.splitlines() if line.strip()]
        results[name] = [r["keywords"] for r in rows]
    articles = [json.loads(line) for line in open(args.dev_jsonl, encoding="utf-8") if line.strip()]
    assert len(rows) == len(articles), "kosum must answer every article"
    bodies = [(a["id"], "\n".join(a["sentences"])) for a in articles]
    sys.path.insert(0, os.path.abspath(args.peers_dir))
    import run_peers as rp
    ctx = SimpleNamespace(n_kw=args.k, yake_n=1, tokenizer="kiwi", kss_backend="mecab", n_sents=3,
                          doc_timeout=120, current_doc=None)
    peers = [rp.KRWordRankKw(), rp.YakeKw(), rp.SoynlpNouns(), rp.NounTfidf("mecab")]
    for peer in peers:
        peer.load(ctx)
        t0 = time.perf_counter()
        peer.prepare(bodies, ctx)
        kws = []
        for name, body in bodies:
            ctx.current_doc = name
            try:
                kws.append(peer.run(body, ctx)["keywords"][:args.k])
            except Exception as e:  # a peer failing on one article scores 0 there
                print(f"[{peer.name}] {name}: {type(e).__name__}: {e}", file=sys.stderr)
                kws.append([])
        timings[peer.name] = time.perf_counter() - t0
        results[peer.name] = kws

    titled = sum(1 for r in rows if r["title_nouns"])
    print(f"title-term recall@{args.k} on {len(articles)} articles, {titled} with title nouns "
          f"({sum(len(r['title_nouns']) for r in rows)} title nouns); kosum's time includes "
          f"process start and dictionary load, the peers' excludes model load")
    print(f"{'tool':22s} {'macro':>7s} {'micro':>7s} {'time s':>8s}")
    for tool, kws in results.items():
        per, hit, total = [], 0, 0
        for row, k in zip(rows, kws):
            h, n = recall(row["title_nouns"], k)
            if n:
                per.append(h / n)
            hit, total = hit + h, total + n
        print(f"{tool:22s} {sum(per) / max(len(per), 1):7.3f} {hit / max(total, 1):7.3f} {timings[tool]:8.2f}")
    for i in range(min(args.show, len(rows))):
        print(f"\n{rows[i]['title']}  nouns={rows[i]['title_nouns']}")
        for tool, kws in results.items():
            print(f"  {tool:20s} {', '.join(kws[i])}")


if __name__ == "__main__":
    main()
