"""Throughput and memory of `crimeie extract` against bare en_core_web_sm, on one article stream.

    python scripts/benchmark.py [--docs 200] [--processes 1] [--model PATH|rules]

Prints words per second for bare `nlp.pipe` and for the full extraction (tables written to a
temporary directory), their ratio, and the peak resident memory after each stage. Articles are
the bundled corpus, repeated with a counter so that every document is distinct.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stream(n_docs: int):
    base = [json.loads(line) for line in (ROOT / "corpus/articles/articles.jsonl").read_text(encoding="utf-8").splitlines()]
    for i in range(n_docs):
        record = dict(base[i % len(base)])
        record["id"] = f"bench-{i}"
        record["text"] = record["text"] + f"\n\n(copy {i})"
        yield record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--model", default="")
    args = parser.parse_args()

    import spacy

    from pipeline.extract.run import extract
    from pipeline.nlp.build import BASE_MODEL, load_pipeline

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "stream.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for record in stream(args.docs):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        texts = (json.loads(line)["text"] for line in source.open(encoding="utf-8"))

        bare = spacy.load(BASE_MODEL)
        started = time.perf_counter()
        words = sum(sum(not t.is_punct and not t.is_space for t in doc)
                    for doc in bare.pipe(texts, batch_size=args.batch_size, n_process=args.processes))
        bare_seconds = time.perf_counter() - started
        bare_wps = words / bare_seconds
        bare_peak = peak_mb()

        nlp = load_pipeline(args.model or None)
        summary = extract([str(source)], Path(tmp) / "out", nlp, batch_size=args.batch_size,
                          n_process=args.processes, progress=False, report=lambda m: None)
        ours_wps = summary.words / summary.seconds

    print(f"documents          {args.docs}   processes {args.processes}   pipeline {nlp.meta.get('name')}")
    print(f"words              {words:,}")
    print(f"bare en_core_web_sm {bare_wps:10,.0f} words/s   ({bare_seconds:.1f}s)   peak RSS {bare_peak:,.0f} MB")
    print(f"crimeie extract     {ours_wps:10,.0f} words/s   ({summary.seconds:.1f}s)   peak RSS {peak_mb():,.0f} MB")
    print(f"ratio (crimeie / bare) {ours_wps / bare_wps:.2f}")


if __name__ == "__main__":
    main()
