"""How often kosum's tokenizer gives exactly MeCab-ko's analysis, line by line,
on the shared corpus (the seed article, the sentence-split gold, the
summarization articles).

Both read the same dictionary: python-mecab-ko-dic 2.1.1.post2 from PyPI,
which C MeCab-ko (the `mecab-ko` wheel in the peers venv) loads directly and
kosum decompiles and embeds. A line counts as identical when every token's
surface and tag agree. Run from the repository root after
`cargo build --release`:

    ~/.cache/kosum-peers/venv/bin/python benches/mecab_agreement.py [--show N]

It reports kosum without its tech-term dictionary (`--no-default-dict`, the
tokenizer alone) and with it (differences there are where our terms apply).
"""
import argparse, glob, json, os, subprocess, sys, tarfile, tempfile

import mecab_ko

SDIST = "python-mecab-ko-dic==2.1.1.post2"
ap = argparse.ArgumentParser()
ap.add_argument("--shared", default="../shared")
ap.add_argument("--kosum", default="target/release/kosum")
ap.add_argument("--show", type=int, default=0, help="print the first N differing lines")
args = ap.parse_args()

corpus = os.path.join(args.shared, "corpus")
lines = [l.strip() for l in open(os.path.join(corpus, "seed/techsuda-microsoft-openai.txt"), encoding="utf-8")]
for path in sorted(glob.glob(os.path.join(corpus, "sentence-split/*.txt"))):
    lines += [l.strip() for l in open(path, encoding="utf-8")]
for row in open(os.path.join(corpus, "summarization/dev.jsonl"), encoding="utf-8"):
    lines += [s.strip() for s in json.loads(row)["sentences"]]
lines = [l for l in lines if l]

with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                    SDIST, "-d", tmp], check=True)
    (sdist,) = glob.glob(os.path.join(tmp, "*.tar.gz"))
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp, filter="data")
    (dicdir,) = glob.glob(os.path.join(tmp, "*", "mecab_ko_dic", "dictionary"))
    tagger = mecab_ko.Tagger(f"-r /dev/null -d {dicdir}")

    def mecab(line):
        out = []
        for row in tagger.parse(line).split("\n"):
            if "\t" in row:
                surface, feature = row.split("\t", 1)
                out.append(f"{surface}/{feature.split(',')[0]}")
        return " ".join(out)

    reference = [mecab(line) for line in lines]

stream = "".join(json.dumps({"id": str(i), "text": line}, ensure_ascii=False) + "\n" for i, line in enumerate(lines))
for label, extra in [("tokenizer alone (--no-default-dict)", ["--no-default-dict"]),
                     ("with kosum's tech terms (default)", [])]:
    out = subprocess.run([args.kosum, "tokenize", "--input-format", "jsonl", "--format", "jsonl", *extra],
                         input=stream, capture_output=True, text=True, check=True).stdout
    ours = [" ".join(f"{t['surface']}/{t['tag']}" for t in json.loads(row)["tokens"]) for row in out.splitlines()]
    same = sum(a == b for a, b in zip(reference, ours))
    print(f"{label}: {same}/{len(lines)} lines identical to MeCab-ko ({same / len(lines):.1%})")
    shown = 0
    for line, a, b in zip(lines, reference, ours):
        if a != b and shown < args.show:
            print(f"  text   {line}\n  mecab  {a}\n  kosum  {b}\n")
            shown += 1
