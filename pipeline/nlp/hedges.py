"""Hedge detection: is a relation only alleged? (GUIDELINES §1 `hedged`).

A relation is hedged when its evidence holds a cue from `hedges.json` (allegedly, reportedly,
believed, suspected, according to sources…; presuntamente, supuestamente, al parecer…), matched
as whole words on folded text, like Presidio's context words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.nlp.lexicon import fold, load_json


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    data = load_json("hedges.json", ["en", "es"])
    cues = sorted({fold(c) for c in data["en"] + data["es"]}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(c) for c in cues) + r")(?!\w)")


def hedge_cue(text: str) -> str | None:
    """The first hedge cue in `text`, or None."""
    match = _pattern().search(fold(text))
    return match.group(1) if match else None
