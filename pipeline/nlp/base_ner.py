"""Candidates from the pretrained model's OntoNotes entities, mapped to the guideline labels.

Following Presidio, the generic labels are weak evidence: each mapped label carries a score
below the domain rules' so that the merge step lets a rule win where they disagree.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.extensions import add_candidate
from pipeline.nlp.names import SPANISH_ARTICLES

DEFAULT_LABEL_MAP = {"PERSON": "PERSON", "ORG": "ORGANIZATION", "GPE": "LOCATION", "LOC": "LOCATION",
                     "FAC": "FACILITY"}
DEFAULT_SCORES = {"PERSON": 0.6, "ORGANIZATION": 0.4, "LOCATION": 0.6, "FACILITY": 0.4}
_STRIP_LEFT = {"the", "alias", "aka"}
_STRIP_RIGHT_LOWER = {"'s", "’s", "'", "’"}


def trim_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop determiners, quotes, possessives and punctuation at a mention's edges (GUIDELINES §2)."""
    while start < end and (doc[start].lower_ in _STRIP_LEFT or doc[start].text in SPANISH_ARTICLES
                           or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].lower_ in _STRIP_RIGHT_LOWER or doc[end - 1].is_space
                           or (doc[end - 1].is_punct and doc[end - 1].text != ".")):
        end -= 1
    return start, end


class OntoNotesMapper:
    def __init__(self, name: str, label_map: dict[str, str], scores: dict[str, float]):
        self.name, self.label_map, self.scores = name, label_map, scores

    def __call__(self, doc: Doc) -> Doc:
        for ent in doc.ents:
            label = self.label_map.get(ent.label_)
            if label is None:
                continue
            start, end = trim_span(doc, ent.start, ent.end)
            if start >= end:
                continue
            add_candidate(doc, _span(doc, start, end, label),
                          f"{self.name}:{ent.label_}", self.scores.get(label, 0.5))
        return doc


def _span(doc: Doc, start: int, end: int, label: str):
    from spacy.tokens import Span

    return Span(doc, start, end, label=label)


@Language.factory("crimeie_ontonotes_mapper", requires=["doc.ents"], assigns=["doc.spans"],
                  default_config={"label_map": DEFAULT_LABEL_MAP, "scores": DEFAULT_SCORES})
def make_ontonotes_mapper(nlp: Language, name: str, *, label_map: dict[str, str], scores: dict[str, float]):
    return OntoNotesMapper(name, dict(label_map), dict(scores))


class NerCandidates:
    """Copies a trained NER's `doc.ents` into the candidates, so the merge step weighs them."""

    def __init__(self, name: str, source_name: str, score: float):
        from pipeline.schema import load_schema

        self.name, self.source_name, self.score = name, source_name, score
        # A tuple in the schema's order, not a set: spaCy writes `labels` into meta.json, which
        # must come out the same on every run.
        self.labels = tuple(load_schema().entity_labels)

    def __call__(self, doc: Doc) -> Doc:
        for ent in doc.ents:
            if ent.label_ not in self.labels:
                continue  # labels left over from the base model's OntoNotes head
            start, end = trim_span(doc, ent.start, ent.end)
            if start >= end:
                continue
            if ent.label_ != "CRIMINAL_ACTIVITY" and not (doc[start].text[:1].isupper() or doc[start].text[:1].isdigit()):
                continue  # names are capitalized; a lowercase "name" is a model error
            add_candidate(doc, _span(doc, start, end, ent.label_), f"{self.source_name}:{ent.label_}", self.score)
        return doc


@Language.factory("crimeie_ner_candidates", requires=["doc.ents"], assigns=["doc.spans"],
                  default_config={"source_name": "crimeie_ner", "score": 0.8})
def make_ner_candidates(nlp: Language, name: str, *, source_name: str, score: float):
    return NerCandidates(name, source_name, score)
