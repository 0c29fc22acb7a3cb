"""Name normalization shared by the evaluator, the resolver and the gazetteers.

Implements corpus/GUIDELINES.md §5: Unicode NFKC, casefold, accents removed, quotes and
possessives stripped, whitespace collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Quote marks and apostrophes: removed from names here, trimmed from span edges by the extraction.
QUOTES = "\"'“”„‟‘’‚‛«»‹›`´"
_POSSESSIVE = re.compile(r"['’]s\b|(?<=s)['’](?=\s|$)")
_SPACE = re.compile(r"\s+")
_QUOTES_TO_SPACE = {ord(q): " " for q in QUOTES}


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """The comparison key of a name: `“Niño” Guerrero’s` -> `nino guerrero`."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _POSSESSIVE.sub("", text)
    text = strip_accents(text)
    text = text.translate(_QUOTES_TO_SPACE)
    return _SPACE.sub(" ", text).strip()
