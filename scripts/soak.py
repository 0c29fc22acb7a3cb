"""Memory over a long article stream: does `crimeie extract` stay flat? (issue #6)

    python scripts/soak.py [--docs 20000] [--every 1000] [--model PATH|rules]

Streams `--docs` short articles (the corpus's paragraphs, each made distinct with a counter, so
new strings keep arriving as they would from real articles) through the real `extract`, tables
written to a temporary directory, and prints the resident memory every `--every` documents, then
the growth per 1,000 documents over the second half of the run (after warm-up), and the memory
after the end-of-run entity resolution, which re-reads the entities table.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def paragraphs() -> list[str]:
    lines = (ROOT / "corpus/articles/articles.jsonl").read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        out += [p.strip() for p in json.loads(line)["text"].split("\n\n") if len(p.split()) >= 25]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--every", type=int, default=1000)
    parser.add_argument("--model", default="")
    args = parser.parse_args()

    from pipeline.extract.run import extract
    from pipeline.nlp.build import load_pipeline

    pieces = paragraphs()
    nlp = load_pipeline(args.model or None)
    samples: list[tuple[int, int, float]] = []
    started = time.perf_counter()

    def sample(summary) -> None:
        if summary.processed % args.every == 0:
            samples.append((summary.processed, summary.words, rss_mb()))
            print(f"{summary.processed:7,d} docs {summary.words:10,d} words {rss_mb():8,.0f} MB RSS "
                  f"{summary.words / (time.perf_counter() - started):7,.0f} words/s", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "stream.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for i in range(args.docs):
                text = f"{pieces[i % len(pieces)]}\n\n(Report {i}, desk {i % 97}.)"
                handle.write(json.dumps({"id": f"soak-{i}", "text": text}, ensure_ascii=False) + "\n")
        print(f"start: {rss_mb():,.0f} MB RSS, {len(pieces)} distinct paragraphs cycled", flush=True)
        summary = extract([str(source)], Path(tmp) / "out", nlp, progress=False, report=lambda m: None,
                          on_document=sample)
        after = rss_mb()
    half = [s for s in samples if s[0] >= args.docs // 2]
    if len(half) >= 2:
        (d0, _, m0), (d1, _, m1) = half[0], half[-1]
        print(f"growth over docs {d0:,}-{d1:,}: {(m1 - m0) / ((d1 - d0) / 1000):+.2f} MB per 1,000 documents")
    print(f"{summary.processed:,} documents, {summary.words:,} words in {summary.seconds:.0f}s; "
          f"after resolution and commit: {after:,.0f} MB RSS")


if __name__ == "__main__":
    main()
