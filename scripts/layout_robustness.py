"""Scores of a pipeline on one gold split rewritten in other layouts, every gold offset kept.

    python scripts/layout_robustness.py [--gold corpus/gold/test.jsonl] [--model DIR]

Articles reach analysts hard-wrapped (PDF and e-mail copies), with one paragraph per line, or
with straight quotes. Each variant below changes characters one for one, so the gold spans stay
valid and the figures compare directly with the original layout's.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def one_paragraph_per_line(text: str) -> str:
    return text.replace("\n\n", "\n ")


def straight_quotes(text: str) -> str:
    return text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))


from pipeline.nlp.layout import hard_wrap  # noqa: E402  (after the path set-up above)

VARIANTS = {"as written": lambda text: text, "hard-wrapped at 72": lambda text: hard_wrap(text, 72),
            "one paragraph per line": one_paragraph_per_line, "straight quotes": straight_quotes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(ROOT / "corpus" / "gold" / "test.jsonl"))
    parser.add_argument("--model", default="")
    args = parser.parse_args()
    from pipeline.evaluate.predict import predict_records
    from pipeline.evaluate.scorer import score
    from pipeline.gold.corpus import read_records
    from pipeline.nlp.build import load_pipeline

    nlp = load_pipeline(args.model or None)
    gold = read_records([Path(args.gold)])
    print(f"{'layout':24s} {'mentions':>9s} {'entities':>9s} {'relations':>9s} {'aliases':>9s}")
    for name, rewrite in VARIANTS.items():
        records = copy.deepcopy(gold)
        for record in records:
            text = rewrite(record["text"])
            assert len(text) == len(record["text"]), name
            record["text"] = text
        m = score(records, predict_records(nlp, records), n_bootstrap=0)
        print(f"{name:24s} {m['mentions']['strict']['f1']:9.3f} {m['entities']['micro']['f1']:9.3f} "
              f"{m['relations']['micro']['f1']:9.3f} {m['aliases']['f1']:9.3f}", flush=True)


if __name__ == "__main__":
    main()
