#!/usr/bin/env bash
# kosum and the Python peers on the same folder, in one run, with ratios.
#
# The folder is konlpy's bundled documents (../shared/peers/make_docs.py),
# copied ten times over so that process start-up does not dominate. kosum's
# time is the whole process (start-up, dictionary, reading, full analysis:
# summary + keywords + entities, JSONL written); the peers' times are
# run_peers.py's per-peer run time, model loading excluded. kosum is timed
# (best of three) just before and just after the peers, and the ratios use
# the slower of the two.
#
# DOCS_FROM=corpus uses news articles from ../shared/corpus instead: the seed
# article and the summarization set's articles (sentences one per line),
# copied ten times over likewise.
#
# ROUNDS=N repeats the whole comparison N times and ends with each ratio's
# median and range over the rounds: on a machine whose speed drifts, one
# round's ratio can be far from typical in either direction.
#
#   benches/peers.sh                 # peers: textrankr, sumy_textrank, mecab_noun_tfidf
#   PEERS=textrankr,krwordrank benches/peers.sh
#   DOCS_FROM=corpus benches/peers.sh
#   ROUNDS=3 benches/peers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-$HOME/.cache/kosum-peers/venv/bin/python}
PEERS=${PEERS:-textrankr,sumy_textrank,mecab_noun_tfidf}
ROUNDS=${ROUNDS:-1}
[[ "$ROUNDS" =~ ^[0-9]+$ ]] && (( 10#$ROUNDS >= 1 )) || { echo "ROUNDS must be a whole number from 1" >&2; exit 2; }
SHARED=../shared/peers
CORPUS=../shared/corpus
[ -x "$PY" ] || { echo "peers venv missing: run $SHARED/setup.sh first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
DOCS_FROM=${DOCS_FROM:-konlpy}
case "$DOCS_FROM" in
  konlpy) "$PY" "$SHARED/make_docs.py" "$work/docs" > /dev/null ;;
  corpus)
    "$PY" - "$CORPUS" "$work/docs" <<'PYEOF'
import json, pathlib, sys
corpus, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
out.mkdir(parents=True)
for seed in sorted((corpus / "seed").glob("*.txt")):
    (out / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
with open(corpus / "summarization" / "dev.jsonl", encoding="utf-8") as lines:
    for number, line in enumerate(lines):
        article = json.loads(line)
        (out / f"article-{number:03}.txt").write_text("\n".join(article["sentences"]) + "\n", encoding="utf-8")
PYEOF
    ;;
  *) echo "DOCS_FROM must be konlpy or corpus, not $DOCS_FROM" >&2; exit 2 ;;
esac
mkdir -p "$work/docs10"
for copy in $(seq 1 10); do
  for file in "$work"/docs/*.txt; do
    cp "$file" "$work/docs10/${copy}_$(basename "$file")"
  done
done
docs=$(ls "$work/docs10" | wc -l)
chars=$(cat "$work"/docs10/*.txt | wc -m)
echo "folder: $docs documents, $chars characters"

"$PY" - "$work" "$PY" "$SHARED/run_peers.py" "$PEERS" "$ROUNDS" <<'PYEOF'
import json, statistics, subprocess, sys, time
work, python, run_peers, peers, rounds = sys.argv[1:6]
rounds = int(rounds)

def kosum(threads):
    """Best of three whole-process runs of kosum over the folder."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        with open(f"{work}/kosum-{threads}.jsonl", "wb") as out:
            subprocess.run(["target/release/kosum", "--format", "jsonl", "--threads", str(threads),
                            "-q", f"{work}/docs10"], stdout=out, check=True)
        times.append(time.perf_counter() - start)
    return min(times)

def one_round():
    """One comparison; prints its table and returns its ratios by name."""
    # kosum is timed just before and just after the peers' long run, and the
    # slower of the two is used: the machine's speed drifts during a run, and
    # the ratios should not rest on kosum's luckiest moment.
    before = kosum(1), kosum(2)
    with open(f"{work}/peers.log", "wb") as log:
        subprocess.run([python, run_peers, "--peers", peers, f"{work}/docs10", f"{work}/peers"],
                       stdout=log, stderr=subprocess.STDOUT)
    after = kosum(1), kosum(2)
    k1, k2 = max(before[0], after[0]), max(before[1], after[1])
    same = open(f"{work}/kosum-1.jsonl", "rb").read() == open(f"{work}/kosum-2.jsonl", "rb").read()
    print(f"kosum full analysis, 1 thread:  {k1:.3f} s (before the peers {before[0]:.3f} s, after {after[0]:.3f} s)")
    print(f"kosum full analysis, 2 threads: {k2:.3f} s (before {before[1]:.3f} s, after {after[1]:.3f} s; "
          f"speed-up {k1 / k2:.2f}x; outputs {'identical' if same else 'DIFFERENT'})")
    ratios = {"2-thread speed-up": k1 / k2}
    summary = json.load(open(f"{work}/peers/summary.json"))
    print(f"{'peer':22} {'run s':>8} {'kosum 1 thread ×':>17} {'kosum 2 threads ×':>18}")
    for name, rec in summary["peers"].items():
        run = rec.get("run_s")
        if not run:
            print(f"{name:22} failed: {rec.get('error')}")
            continue
        print(f"{name:22} {run:8.2f} {run / k1:17.1f} {run / k2:18.1f}")
        ratios[f"{name}, 1 thread"] = run / k1
        ratios[f"{name}, 2 threads"] = run / k2
    return ratios

results = []
for number in range(1, rounds + 1):
    if rounds > 1:
        print(f"round {number} of {rounds}")
    results.append(one_round())
if rounds > 1:
    print(f"over {rounds} rounds: median (lowest-highest)")
    for name in results[0]:
        values = [result[name] for result in results if name in result]
        print(f"  {name:34} {statistics.median(values):6.2f}  ({min(values):.2f}-{max(values):.2f})")
PYEOF
