"""Criminal activities (GUIDELINES §3), from a bilingual lexicon to taxonomy keys.

Matching is on folded surface text (phrases, longest first), then on lemmas for single words
(`extorting` → lemma `extort`), then verb + object rules (`smuggling migrants` →
`smuggling` with key migrant_smuggling). The key is stored in `span._.crimeie_key`.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp.extensions import add_candidate
from pipeline.nlp.lexicon import Entry, NgramIndex, fold, load_json, load_jsonl
from pipeline.nlp.tokenize_phrase import phrase_tokens
from pipeline.schema import load_schema

LABEL = "CRIMINAL_ACTIVITY"


@lru_cache(maxsize=None)
def build_lexicon(filename: str) -> tuple[NgramIndex, dict[str, str]]:
    """(phrase index, single word → key); cached, and read-only for its users."""
    keys = set(load_schema().activity_keys)
    index, single = NgramIndex(), {}
    for record in load_jsonl(filename, ["key", "lang", "terms"]):
        if record["key"] not in keys:
            raise ValueError(f"pipeline/resources/{filename}: unknown taxonomy key {record['key']!r}")
        for term in record["terms"]:
            tokens = phrase_tokens(term)
            index.add(tokens, Entry(LABEL, record["key"], key=record["key"], source="lexicon"))
            if len(tokens) == 1:
                single.setdefault(fold(term), record["key"])
    return index, single


class ActivityMatcher:
    def __init__(self, name: str, lexicon: str, objects: str, score: float):
        self.name, self.score = name, score
        self.index, self.single = build_lexicon(lexicon)
        data = load_json(objects, ["verbs", "objects", "stem_hints"])
        self.verbs = {fold(v) for v in data["verbs"]}
        self.objects = {fold(k): v for k, v in data["objects"].items()}

    def _add(self, doc: Doc, start: int, end: int, key: str, rule: str) -> None:
        add_candidate(doc, Span(doc, start, end, label=LABEL), f"{self.name}:{rule}", self.score, key=key)

    def __call__(self, doc: Doc) -> Doc:
        taken = set()
        for start, end, _surface, entry in self.index.matches([t.text for t in doc]):
            self._add(doc, start, end, entry.key, "lexicon")
            taken.update(range(start, end))
        for token in doc:
            if token.i in taken:
                continue
            lemma = fold(token.lemma_)
            if lemma in self.single and token.pos_ in ("VERB", "NOUN") and fold(token.text) not in self.verbs:
                self._add(doc, token.i, token.i + 1, self.single[lemma], "lemma")
                taken.add(token.i)
            elif fold(token.text) in self.verbs:
                key = self._object_key(doc, token)
                if key:
                    self._add(doc, token.i, token.i + 1, key, "verb_object")
                    taken.add(token.i)
        return doc

    def _object_key(self, doc: Doc, verb) -> str | None:
        # The object is the next noun within three tokens (`smuggling Venezuelan migrants`).
        for token in doc[verb.i + 1: verb.i + 4]:
            key = self.objects.get(fold(token.text))
            if key:
                return key
            if token.is_punct:
                return None
        return None


@Language.factory("crimeie_activities", assigns=["doc.spans"],
                  default_config={"lexicon": "activities.jsonl", "objects": "activity_objects.json", "score": 0.85})
def make_activities(nlp: Language, name: str, *, lexicon: str, objects: str, score: float):
    return ActivityMatcher(name, lexicon, objects, score)


def read_idioms(data: dict) -> dict[str, set[str]]:
    """The `idioms` of the objects file: the word before which an activity word is not one."""
    return {fold(before): {fold(w) for w in words}
            for before, words in data.get("idioms", {}).items() if not before.startswith("_")}


@lru_cache(maxsize=4)
def activity_idioms(objects: str = "activity_objects.json") -> dict[str, set[str]]:
    return read_idioms(load_json(objects, ["stem_hints"]))


def is_idiom(span: Span, idioms: dict[str, set[str]]) -> bool:
    """`Se trata de Ernesto Villa`: `trata` after `se` means `it is about`."""
    return span.start > 0 and fold(span[0].text) in idioms.get(fold(span.doc[span.start - 1].text), ())


class ActivityKeys:
    """After the merge: every CRIMINAL_ACTIVITY mention gets its taxonomy key (GUIDELINES §3).

    Mentions from the lexicon already carry one; a mention the trained NER found is keyed by
    the lexicon (whole phrase, then lemmas), then by stem hints (`kill` → homicide); a
    mention no key fits is not an activity of the taxonomy and is dropped. A bare smuggling or
    trafficking verb, keyed only by its generic stem, takes the key of its family that the
    article's other activity mentions name most (`generic_verbs` in the objects file).
    """

    def __init__(self, name: str, lexicon: str, objects: str):
        self.name = name
        self.index, self.single = build_lexicon(lexicon)
        data = load_json(objects, ["stem_hints", "lawful_modifiers", "generic_verbs"])
        # A stem counts only at the start of a word: `mining` in `examining` is no activity.
        self.hints = [(re.compile(r"(?<!\w)" + re.escape(fold(k))), v, fold(k))
                      for k, v in data["stem_hints"].items() if not k.startswith("_")]
        # Multiword stems first, so `human smuggl` wins over `smuggl`.
        self.hints.sort(key=lambda hint: -len(hint[2].split()))
        self.lawful = {fold(w) for w in data["lawful_modifiers"]["words"]}
        self.idioms = read_idioms(data)
        self.generic_stems = {fold(stem) for stem in data["generic_verbs"]["stems"]}
        self.family = set(data["generic_verbs"]["family"])

    def _idiom(self, span: Span) -> bool:
        return is_idiom(span, self.idioms)

    def key_for(self, span: Span) -> str | None:
        return self._keyed(span)[0]

    def _keyed(self, span: Span) -> tuple[str | None, bool]:
        """(key, whether only a generic smuggling/trafficking stem gave it)."""
        if fold(span[0].text) in self.lawful:
            return None, False
        matches = self.index.matches([t.text for t in span])
        if matches and matches[0][1] - matches[0][0] == len(span):
            return matches[0][3].key, False
        for token in span:
            for form in (fold(token.lemma_), fold(token.text)):
                if form in self.single:
                    return self.single[form], False
        text = fold(span.text)
        for pattern, key, stem in self.hints:
            if pattern.search(text):
                return key, stem in self.generic_stems
        return None, False

    def __call__(self, doc: Doc) -> Doc:
        kept, changed, generic = [], False, []
        for ent in doc.ents:
            if ent.label_ == LABEL and self._idiom(ent):
                changed = True
                continue
            if ent.label_ == LABEL and not ent._.crimeie_key:
                key, is_generic = self._keyed(ent)
                if key is None:
                    changed = True
                    continue
                ent._.crimeie_key = key
                if is_generic:
                    generic.append(ent)
            kept.append(ent)
        if changed:
            doc.ents = kept
        if generic:
            self._key_generic_verbs(doc, generic)
        return doc

    def _key_generic_verbs(self, doc: Doc, generic: list[Span]) -> None:
        bare = {(g.start, g.end) for g in generic}
        named = Counter(ent._.crimeie_key for ent in doc.ents
                        if ent.label_ == LABEL and ent._.crimeie_key in self.family and (ent.start, ent.end) not in bare)
        if not named:
            return
        best = max(sorted(named), key=lambda key: named[key])  # ties: the first key in alphabetical order
        for ent in doc.ents:
            if (ent.start, ent.end) in bare:
                ent._.crimeie_key = best


@Language.factory("crimeie_activity_keys", requires=["doc.ents"], assigns=["doc.ents"],
                  default_config={"lexicon": "activities.jsonl", "objects": "activity_objects.json"})
def make_activity_keys(nlp: Language, name: str, *, lexicon: str, objects: str):
    return ActivityKeys(name, lexicon, objects)
