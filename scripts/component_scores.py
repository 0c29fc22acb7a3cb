"""Precision and recall of each mention source on a gold split (issue #5's per-component report).

    python scripts/component_scores.py corpus/gold/dev.jsonl [--model rules]

For every component, over the mentions it *proposed* (before the merge): precision = share that
are exact gold spans with the same label; recall = share of gold spans (of the labels the
component emits) that it proposed. Also the same for the final merged mentions.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold")
    parser.add_argument("--model", default="")
    args = parser.parse_args()
    from pipeline.gold.corpus import read_records
    from pipeline.nlp.build import load_pipeline
    from pipeline.nlp.extensions import CANDIDATES

    records = read_records([Path(args.gold)])
    nlp = load_pipeline(args.model or None)
    proposed, correct, labels_of = defaultdict(set), defaultdict(set), defaultdict(set)
    gold_all = set()
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        gold = {(record["id"], s["start"], s["end"], s["label"]) for s in record["spans"]}
        gold_all |= gold
        groups = [(s.id_.split(":")[0], s) for s in doc.spans.get(CANDIDATES, [])] + [("(merged)", e) for e in doc.ents]
        for component, span in groups:
            item = (record["id"], span.start_char, span.end_char, span.label_)
            proposed[component].add(item)
            labels_of[component].add(span.label_)
            if item in gold:
                correct[component].add(item)
    print(f"{'component':28s} {'proposed':>8s} {'P':>6s} {'R':>6s}  labels")
    for component in sorted(proposed):
        gold_here = {g for g in gold_all if g[3] in labels_of[component]}
        p = len(correct[component]) / len(proposed[component])
        r = len(correct[component]) / len(gold_here) if gold_here else 0.0
        print(f"{component:28s} {len(proposed[component]):8d} {p:6.3f} {r:6.3f}  {','.join(sorted(labels_of[component]))}")


if __name__ == "__main__":
    main()
