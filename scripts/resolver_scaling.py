"""Time of the resolver's fuzzy pass as the number of distinct names grows.

    python scripts/resolver_scaling.py [--sizes 2000 8000 32000] [--brute-up-to 8000]

Names are built from the given and family names of the people in the gold corpus, recombined
at random (`jose` + `guerrero` + `flores`), one name in ten beside a misspelling of it, so the q-grams are
as common as in real reporting. Prints seconds for `similar_name_pairs` and, up to
`--brute-up-to` names, for comparing every pair with rapidfuzz, and whether both found the same pairs.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def synthetic_names(n: int, seed: int = 0) -> list[str]:
    from pipeline.textnorm import normalize_name

    tokens = sorted({w for path in (ROOT / "corpus/gold").glob("*.jsonl")
                     for line in path.read_text(encoding="utf-8").splitlines()
                     for e in json.loads(line)["entities"] if e["label"] == "PERSON"
                     for w in normalize_name(e["name"]).split() if len(w) > 2})
    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < n:
        name = " ".join(rng.sample(tokens, rng.choice((2, 3, 3, 4))))
        if len(name) >= 8:
            names.add(name)
            if rng.random() < 0.1:  # and a misspelling of it: a letter dropped
                k = rng.randrange(1, len(name) - 1)
                names.add(name[:k] + name[k + 1:])
    return sorted(names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 8000, 32000])
    parser.add_argument("--brute-up-to", type=int, default=8000)
    parser.add_argument("--threshold", type=float, default=None, help="default: resolver.json's fuzzy_threshold")
    args = parser.parse_args()

    from rapidfuzz import fuzz, process

    from pipeline.resolve.resolver import settings, similar_name_pairs

    threshold = args.threshold or settings()["fuzzy_threshold"]
    print(f"threshold {threshold}")
    for n in args.sizes:
        names = synthetic_names(n)
        started = time.perf_counter()
        pairs = similar_name_pairs(names, threshold)
        fast = time.perf_counter() - started
        line = f"{n:7,d} names  filtered {fast:7.1f} s  {len(pairs):,} pairs"
        if n <= args.brute_up_to:
            started = time.perf_counter()
            every = {(min(a, b), max(a, b)) for a, name in enumerate(names)
                     for _, _, b in process.extract(name, names, scorer=fuzz.ratio, score_cutoff=threshold, limit=None)
                     if a != b}
            line += f"  every pair {time.perf_counter() - started:7.1f} s  same pairs: {sorted(every) == pairs}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
