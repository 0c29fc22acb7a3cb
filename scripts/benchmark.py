"""Throughput and memory of `crimeie extract` against bare en_core_web_sm, on one article stream.

    python scripts/benchmark.py [--docs 200] [--processes 1 2] [--repeats 2] [--model PATH|rules]
                                [--blas-threads 1]

For each repeat and each process count, in turn: words per second of bare `nlp.pipe` and of the
full extraction (tables written to a temporary directory, cross-document resolution included),
and their ratio. With more than one process count, the scaling (words per second with N
processes over one process) is computed within each repeat, so that both runs of a pair saw the
machine in the same state: on a shared 2-core machine the speed of the same run drifts by a
third within an hour. Articles are the bundled corpus, repeated with a counter so that every
document is distinct. Peak resident memory is the benchmark process's own (workers excluded).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
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
    parser.add_argument("--processes", type=int, nargs="+", default=[1])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="BLAS threads per process during extraction (default: the pipeline's own setting)")
    parser.add_argument("--model", default="")
    args = parser.parse_args()

    import spacy

    import pipeline.extract.run as extract_run
    from pipeline.nlp.build import BASE_MODEL, load_pipeline

    if args.blas_threads is not None:
        extract_run.BLAS_THREADS = args.blas_threads
    bare = spacy.load(BASE_MODEL)
    nlp = load_pipeline(args.model or None)
    print(f"documents {args.docs}   pipeline {nlp.meta.get('name')}   batch {args.batch_size}   "
          f"BLAS threads while extracting {extract_run.BLAS_THREADS}")
    results: dict[int, list[tuple[float, float]]] = {n: [] for n in args.processes}
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "stream.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for record in stream(args.docs):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        for repeat in range(1, args.repeats + 1):
            for n_process in args.processes:
                texts = (json.loads(line)["text"] for line in source.open(encoding="utf-8"))
                started = time.perf_counter()
                words = sum(sum(not t.is_punct and not t.is_space for t in doc)
                            for doc in bare.pipe(texts, batch_size=args.batch_size, n_process=n_process))
                bare_wps = words / (time.perf_counter() - started)
                summary = extract_run.extract([str(source)], Path(tmp) / "out", nlp, batch_size=args.batch_size,
                                              n_process=n_process, progress=False, report=lambda m: None)
                ours_wps = summary.words / summary.seconds
                results[n_process].append((bare_wps, ours_wps))
                print(f"repeat {repeat}  processes {n_process}  words {words:,}   bare en_core_web_sm "
                      f"{bare_wps:7,.0f} words/s   crimeie extract {ours_wps:7,.0f} words/s "
                      f"({summary.seconds:.1f}s)   ratio {ours_wps / bare_wps:.2f}", flush=True)

    print("\nsummary (median over repeats)")
    for n_process, pairs in results.items():
        print(f"  {n_process} process(es): bare {statistics.median(b for b, _ in pairs):,.0f} words/s, "
              f"crimeie {statistics.median(o for _, o in pairs):,.0f} words/s, "
              f"ratio {statistics.median(o / b for b, o in pairs):.2f}")
    one = results.get(1)
    for n_process, pairs in results.items():
        if n_process == 1 or not one:
            continue
        ours = [p[1] / o[1] for p, o in zip(pairs, one)]
        theirs = [p[0] / o[0] for p, o in zip(pairs, one)]
        print(f"  scaling 1 → {n_process} processes, per repeat: crimeie "
              + ", ".join(f"{s:.2f}×" for s in ours) + "; bare " + ", ".join(f"{s:.2f}×" for s in theirs))
    print(f"peak RSS of this process {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
