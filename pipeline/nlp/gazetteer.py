"""Known criminal groups, organizations and facilities, matched from data files.

Each entry's name and variants become patterns whose canonical name is kept in `span.kb_id_`,
so `Aragua Train` and `Tren de Aragua`, or `CICPC` and its full Spanish name, join one entity.
Acronyms and one-word names match only with their exact capitalization; longer names match
case- and accent-insensitively but must contain a capitalized word.
"""

from __future__ import annotations

import warnings

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp.extensions import add_candidate
from pipeline.nlp.facilities import PRISON_NAME_HEADS, PRISON_TYPE_WORDS
from pipeline.nlp.lexicon import Entry, NgramIndex, fold, load_json, load_jsonl
from pipeline.nlp.names import ARTICLES, possessive_office_end
from pipeline.nlp.tokenize_phrase import phrase_tokens

DEFAULT_SOURCES = {"criminal_groups.jsonl": "CRIMINAL_GROUP", "organizations.jsonl": "ORGANIZATION",
                   "facilities.jsonl": "FACILITY"}
_OPTIONAL_FIELDS = ("variants", "country", "parent", "kind", "located_in")


def build_index(sources: dict[str, str]) -> NgramIndex:
    index = NgramIndex()
    for filename, label in sources.items():
        try:
            records = load_jsonl(filename, ["name"], _OPTIONAL_FIELDS)
        except FileNotFoundError:
            warnings.warn(f"gazetteer file pipeline/resources/{filename} is missing: no {label} patterns from it", stacklevel=2)
            continue
        for record in records:
            for form in [record["name"], *record.get("variants", [])]:
                tokens = phrase_tokens(form)
                exact = len(tokens) == 1 or form.isupper()
                index.add(tokens, Entry(label, record["name"], source=filename.split(".")[0], case_sensitive=exact))
    return index


_PRISON_WORDS = PRISON_TYPE_WORDS | PRISON_NAME_HEADS


def _capitalized(span: Span) -> bool:
    return any(t.text[:1].isupper() for t in span)


def _town_not_prison(doc: Doc, start: int, end: int) -> bool:
    """A prison known by its town's name (`Lurigancho`, `Támara`, `Soto del Real`) names the town,
    not the prison, at the end of a longer place name (`San Juan de Lurigancho`) and after a
    prison said to be in it (`a prison in Támara`, `Centro Penitenciario Madrid V, en Soto del
    Real`)."""
    if any(fold(t.text) in _PRISON_WORDS for t in doc[start:end]):
        return False  # the prison's own full name
    before = [fold(t.text) for t in doc[max(start - 8, 0):start]]
    if len(before) >= 2 and before[-1] in ("de", "del") and doc[start - 2].text[:1].isupper() \
            and before[-2] not in _PRISON_WORDS:
        return True
    if before and before[-1] in ("in", "en"):
        return any(w in _PRISON_WORDS for w in before[:-1])
    return False


class GazetteerMatcher:
    def __init__(self, name: str, sources: dict[str, str], score: float, nationality_adjectives: str):
        self.name, self.score = name, score
        self.index = build_index(sources)
        self.adjectives = set(load_json(nationality_adjectives, ["adjectives"])["adjectives"])

    def __call__(self, doc: Doc) -> Doc:
        for start, end, _surface, entry in self.index.matches([t.text for t in doc]):
            # Multiword entries match case-insensitively, but a lowercase article is never part of a
            # name (`los Trinitarios` -> `Trinitarios`), and for a facility neither is a lowercase
            # type word (`the port of Guayaquil` -> `Guayaquil`), GUIDELINES §2. Same entity.
            while start < end and not doc[start].text[:1].isupper() and (
                    entry.label == "FACILITY" or doc[start].text in ARTICLES):
                start += 1
            span = Span(doc, start, end, label=entry.label)
            if not span or not _capitalized(span):
                continue
            if entry.label == "FACILITY" and _town_not_prison(doc, start, end):
                continue
            if start > 0 and doc[start - 1].text in self.adjectives and entry.label != "CRIMINAL_GROUP":
                continue  # `Haitian National Police` is a longer name than the gazetteer's `National Police`
            if start > 1 and possessive_office_end(doc, start - 1) > start - 1:
                continue  # `the People’s National Party` is a longer name than the gazetteer's `National Party`
            add_candidate(doc, span, f"{self.name}:{entry.source}", self.score,
                          kb_id=f"{entry.label}:{entry.canonical}")
        return doc


@Language.factory("crimeie_gazetteer", assigns=["doc.spans"],
                  default_config={"sources": DEFAULT_SOURCES, "score": 0.9,
                                  "nationality_adjectives": "nationality_adjectives.json"})
def make_gazetteer(nlp: Language, name: str, *, sources: dict[str, str], score: float, nationality_adjectives: str):
    return GazetteerMatcher(name, dict(sources), score, nationality_adjectives)
