"""Later mentions of a person by the surnames of a full name the article gave.

Spanish-language naming gives most people two surnames, and reporting introduces a person
in full (`Yorbis Alexander Mendoza Piñango`) and then writes the surnames alone (`Mendoza
Piñango was detained...`). A statistical NER, seeing the pair at the start of a sentence or
before a possessive, often misses it or keeps one word. This component reads the PERSON
candidates that other components proposed, and wherever a trailing part of two or more words
of such a name (`Mendoza Piñango`, `Alexander Mendoza Piñango`) is written again, capitalized
and standing alone, it proposes that as a PERSON mention. The entity grouper then joins it to
the full name (a short name whose words all belong to one longer name).

It runs after the trained NER and before the merge, so it sees every proposed name.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp.extensions import CANDIDATES, add_candidate
from pipeline.nlp.lexicon import cue_words, fold
from pipeline.nlp.names import CONNECTORS, is_capitalized
from pipeline.nlp.places import LOCATIVE_WORDS, place_index


def _is_name_word(text: str) -> bool:
    """A capitalized word of three or more letters: no initial (`J.`), no particle."""
    return len(text) >= 3 and text[0].isupper() and text.replace("-", "").isalpha()


class SurnameRepeats:
    def __init__(self, name: str, min_name_words: int, score: float):
        self.name, self.min_name_words, self.score = name, min_name_words, score
        self.group_words = {fold(w) for w in cue_words()["group_type_words"]}

    def surname_forms(self, doc: Doc) -> dict[tuple[str, ...], int]:
        """Trailing word sequences (two words or more, shorter than the name) of the PERSON
        candidates with at least `min_name_words` words, each with the token where the earliest
        full name that ends in it ends: only later text is searched."""
        forms: dict[tuple[str, ...], int] = {}
        for span in doc.spans[CANDIDATES] if CANDIDATES in doc.spans else []:
            words = [t.text for t in span]
            if span.label_ != "PERSON" or len(words) < self.min_name_words:
                continue
            if not all(_is_name_word(w) or w in CONNECTORS for w in words):
                continue
            for n in range(2, len(words)):
                tail = tuple(words[-n:])
                if all(_is_name_word(w) for w in tail):
                    forms[tail] = min(forms.get(tail, span.end), span.end)
        return forms

    def __call__(self, doc: Doc) -> Doc:
        forms = self.surname_forms(doc)
        if not forms:
            return doc
        words = [t.text for t in doc]
        places = place_index()
        taken: set[int] = set()
        # Longest forms first, so `Alexander Mendoza Piñango` is not also read as `Mendoza Piñango`.
        for form in sorted(forms, key=len, reverse=True):
            n = len(form)
            for start in range(forms[form], len(doc) - n + 1):
                if tuple(words[start:start + n]) != form or taken & set(range(start, start + n)):
                    continue
                before = doc[start - 1] if start > 0 else None
                after = doc[start + n] if start + n < len(doc) else None
                if before is not None and is_capitalized(before) and not doc[start].is_sent_start:
                    continue  # inside a longer name: the full name again, or a relative's
                if before is not None and before.lower_ in CONNECTORS:
                    continue  # `de los Beltrán Leyva`, `los Beltrán Leyva`: a family or its group
                if after is not None and is_capitalized(after) and not after.is_sent_start:
                    continue
                if before is not None and before.lower_ in LOCATIVE_WORDS and places.lookup(" ".join(form)):
                    continue
                if after is not None and fold(after.text) in self.group_words:
                    continue  # `the Beltrán Leyva network`: a group named after the family
                add_candidate(doc, Span(doc, start, start + n, label="PERSON"), f"{self.name}:surnames", self.score)
                taken.update(range(start, start + n))
        return doc


@Language.factory("crimeie_surnames", requires=["doc.spans"], assigns=["doc.spans"],
                  default_config={"min_name_words": 3, "score": 0.85})
def make_surnames(nlp: Language, name: str, *, min_name_words: int, score: float):
    return SurnameRepeats(name, min_name_words, score)
