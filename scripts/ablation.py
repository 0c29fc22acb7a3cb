"""Ablation table for issue #6: each pipeline variant scored on one gold split, with its speed.

    python scripts/ablation.py [--gold corpus/gold/test.jsonl] [--trf models/crimeie-trf]

Rows: rules only; cnn alone; rules + cnn (the default); trf alone; rules + trf. "X alone" is the
base parse, the trained NER X, the grouping and the trained relation scorer, with every rule
component and the relation surface patterns switched off. Scores come from the project's
evaluator (GUIDELINES §5); words per second from one `nlp.pipe` pass over the split's texts in
one process, after a warm-up document, with BLAS threads limited as `crimeie extract` limits
them. The trf rows are skipped when the trf pipeline has not been trained
(`crimeie train --variant trf`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def alone(path: Path):
    """The trained components of a saved pipeline without the rule layer."""
    import spacy

    from pipeline.nlp.build import LATE_RULE_COMPONENTS, RULE_COMPONENTS

    nlp = spacy.load(path, exclude=RULE_COMPONENTS + LATE_RULE_COMPONENTS)
    nlp.get_pipe("crimeie_relations").use_rules = False
    return nlp


def row(name: str, nlp, gold: list[dict]) -> dict:
    from pipeline.evaluate.predict import records_from_docs
    from pipeline.evaluate.scorer import score
    from pipeline.extract.run import blas_limited

    texts = [g["text"] for g in gold]
    words = sum(len(t.split()) for t in texts)
    nlp(texts[0])  # warm-up: lazy tables and the first torch call are not throughput
    with blas_limited():  # as `crimeie extract` runs it
        started = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=16))
        wps = words / (time.perf_counter() - started)
    # The timed Docs are the ones scored: the pipeline runs once per row.
    metrics = score(gold, records_from_docs(nlp, docs, gold), n_bootstrap=0)
    return {"pipeline": name, "mentions": metrics["mentions"]["strict"]["f1"],
            "entities": metrics["entities"]["micro"]["f1"], "relations": metrics["relations"]["micro"]["f1"],
            "aliases": metrics["aliases"]["f1"], "wps": wps}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "corpus/gold/test.jsonl")
    parser.add_argument("--cnn", type=Path, default=ROOT / "models/crimeie-default")
    parser.add_argument("--trf", type=Path, default=ROOT / "models/crimeie-trf")
    args = parser.parse_args()

    import spacy

    from pipeline.gold.corpus import read_records
    from pipeline.nlp.build import build_rule_pipeline

    gold = read_records([args.gold])
    variants = [("rules only", build_rule_pipeline), ("cnn alone", lambda: alone(args.cnn)),
                ("rules + cnn (default)", lambda: spacy.load(args.cnn))]
    if (args.trf / "config.cfg").exists():
        variants += [("trf alone", lambda: alone(args.trf)), ("rules + trf", lambda: spacy.load(args.trf))]
    else:
        print(f"{args.trf}: not trained; trf rows skipped (crimeie train --variant trf)", file=sys.stderr)
    words = sum(len(g["text"].split()) for g in gold)
    print(f"{args.gold.name}: {len(gold)} documents, {words:,} words")
    print(f"{'pipeline':24s} {'mentions':>9s} {'entities':>9s} {'relations':>9s} {'aliases':>9s} {'words/s':>9s}")
    for name, build in variants:
        r = row(name, build(), gold)
        print(f"{r['pipeline']:24s} {r['mentions']:9.3f} {r['entities']:9.3f} {r['relations']:9.3f} "
              f"{r['aliases']:9.3f} {r['wps']:9,.0f}", flush=True)


if __name__ == "__main__":
    main()
