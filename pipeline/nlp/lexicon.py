"""Data files of the rule layer, loaded with validation, and the n-gram index that matches them.

Every gazetteer and lexicon lives in `pipeline/resources/` as JSON/JSONL and is checked on
load: unknown keys and missing fields are errors naming the file and line, and an empty
rule set is a warning, never a silent no-op (medspacy, spaCy's SpanRuler).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pipeline.textnorm import strip_accents

_QUOTE_MAP = {ord(q): "'" for q in "’‘`´"} | {ord(q): '"' for q in "“”«»„"}


@lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Lowercase, accent-free, straight-quote form used for every lookup (memoized: the same
    words and cue lists are folded over and over)."""
    return strip_accents(text.translate(_QUOTE_MAP)).lower()


def resource_text(name: str) -> str:
    return resources.files("pipeline.resources").joinpath(name).read_text(encoding="utf-8")


def load_json(name: str, required: Iterable[str] = ()) -> dict:
    data = json.loads(resource_text(name))
    missing = [k for k in required if k not in data]
    if missing:
        raise ValueError(f"pipeline/resources/{name}: missing keys {missing}")
    return data


def load_jsonl(name: str, required: Sequence[str], optional: Sequence[str] = ()) -> list[dict]:
    """Records of a JSONL resource; each must have `required` keys and no keys outside both lists."""
    allowed = set(required) | set(optional)
    records = []
    for number, line in enumerate(resource_text(name).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise ValueError(f"pipeline/resources/{name}:{number}: malformed JSON ({err.msg})") from err
        missing = [k for k in required if k not in record]
        unknown = sorted(set(record) - allowed)
        if missing or unknown:
            raise ValueError(f"pipeline/resources/{name}:{number}: missing {missing} / unknown keys {unknown}")
        records.append(record)
    if not records:
        warnings.warn(f"pipeline/resources/{name} holds no records: its component will find nothing", stacklevel=2)
    return records


@dataclass(frozen=True)
class Entry:
    """One gazetteer pattern: what it matches to, with which label and canonical id."""

    label: str
    canonical: str
    key: str = ""
    source: str = ""
    case_sensitive: bool = False


class NgramIndex:
    """Exact phrase lookup over token sequences with folded text, longest match first."""

    def __init__(self, max_len: int = 24):
        self.max_len = max_len
        self.table: dict[tuple[str, ...], list[tuple[str, Entry]]] = {}
        self.longest = 0
        #: The folded first word of every phrase: a position no phrase starts with is skipped at once,
        #: so long official names (`Servicio Nacional de Atención Integral a Personas Adultas …`, 17
        #: words) cost nothing where they do not start.
        self.first_words: set[str] = set()

    def add(self, phrase_tokens: Sequence[str], entry: Entry) -> None:
        key = tuple(fold(t) for t in phrase_tokens if t.strip())
        if not key or len(key) > self.max_len:
            return
        self.table.setdefault(key, []).append((" ".join(phrase_tokens), entry))
        self.longest = max(self.longest, len(key))
        self.first_words.add(key[0])

    def __len__(self) -> int:
        return len(self.table)

    def _longest_at(self, tokens: Sequence[str], folded: list[str], i: int) -> tuple[int, Entry] | None:
        if folded[i] not in self.first_words:
            return None
        for n in range(min(self.longest, len(tokens) - i), 0, -1):
            hits = self.table.get(tuple(folded[i:i + n]))
            if hits:
                surface = tokens[i:i + n]
                good = [e for phrase, e in hits if not e.case_sensitive or "".join(phrase.split()) == "".join(surface)]
                if good:
                    return i + n, good[0]
        return None

    def matches(self, tokens: Sequence[str], prefer_capitalized: bool = False) -> list[tuple[int, int, str, Entry]]:
        """All (start, end, surface, entry) of non-overlapping longest matches, left to right. With
        `prefer_capitalized`, a match starting at a lowercase word yields to a longer one starting
        at the next word: `el Valle` (a Dominican province) does not take the `Valle` of `el Valle
        del Cauca`, while `the Caribbean` still covers `Caribbean` in `the Caribbean coast`."""
        folded = [fold(t) for t in tokens]
        out = []
        i = 0
        while i < len(tokens):
            found = self._longest_at(tokens, folded, i)
            if found and prefer_capitalized and not tokens[i][:1].isupper():
                following = self._longest_at(tokens, folded, i + 1) if i + 1 < len(tokens) else None
                if following and following[0] > found[0]:
                    found = None
            if found:
                out.append((i, found[0], " ".join(tokens[i:found[0]]), found[1]))
                i = found[0]
            else:
                i += 1
        return out


@lru_cache(maxsize=None)
def cue_words() -> dict:
    return load_json("cue_words.json", ["group_name_heads", "group_name_finals", "group_unit_words", "group_heads_not_alone", "group_cues", "group_type_words", "organization_cues",
                                        "facility_heads", "facility_final_words", "person_titles_en",
                                        "person_titles_es", "not_a_person_after_surname", "family_nouns", "settlement_nouns",
                                        "settlement_nouns_after", "building_nouns", "not_a_name_alone",
                                        "not_a_name_heads", "not_a_name_heads_lowercase", "media_nouns",
                                        "ministry_heads", "name_opening_words", "family_nouns_before_surname",
                                        "public_office_nouns", "region_modifiers"])


@lru_cache(maxsize=None)
def folded_cues(*keys: str) -> frozenset[str]:
    """The words of these cue_words.json lists together, accents folded and lowercased, as the
    components compare them with folded tokens."""
    cues = cue_words()
    return frozenset(fold(w) for key in keys for w in cues[key])


@lru_cache(maxsize=1)
def facility_type_words() -> frozenset[str]:
    """The one-word facility type words, folded (`prison`, `cárcel`, `airport`, `base`): those that
    open or close a facility's name (cue_words.json `facility_heads`, `facility_final_words`)."""
    return frozenset(w for w in folded_cues("facility_heads", "facility_final_words") if " " not in w)
