"""Later mentions of a person by the surnames of a full name the article gave.

Spanish-language naming gives most people two surnames, and reporting introduces a person
in full (`Yorbis Alexander Mendoza Piñango`) and then writes the surnames alone (`Mendoza
Piñango was detained...`). A statistical NER, seeing the pair at the start of a sentence or
before a possessive, often misses it or keeps one word. This component reads the PERSON
candidates that other components proposed, and wherever a trailing part of two or more words
of such a name (`Mendoza Piñango`, `Alexander Mendoza Piñango`) is written again, capitalized
and standing alone, it proposes that as a PERSON mention. So does one surname alone (`Estrada`
after `Mario Estrada`, `Yépez` after `José Antonio Yépez Ortiz`), unless the word is a known
place that the article also writes as one (`in Duarte`), is written in lowercase elsewhere, or a family, a place noun or a hyphen follows it. The
entity grouper then joins it to the full name (a short name whose words all belong to one
longer name; with two such names, the one introduced first).

It runs after the trained NER and before the merge, so it sees every proposed name.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp.extensions import CANDIDATES, add_candidate
from pipeline.nlp.lexicon import fold, folded_cues
from pipeline.nlp.names import CONNECTORS, is_capitalized, is_word_hyphen
from pipeline.nlp.places import LOCATIVE_WORDS, place_index
from pipeline.nlp.relation_rules import patterns
from pipeline.textnorm import QUOTES


#: Words that make the name after them a place (`in Duarte`, `el departamento de`): a surname that
#: is also a known place is read as the person's unless the article writes it after one of these.
#: The locative words less those that also stand before people (`the death of Duarte`, `talks to
#: Duarte`, `detenido por Duarte`).
PLACE_CUES = frozenset(LOCATIVE_WORDS - {"of", "de", "to", "por", "at", "around", "through", "towards", "toward",
                                         "outside", "inside"})

#: The words of `the death of Duarte`, `el asesinato de Bautista`.
OF_WORDS = frozenset({"of", "de"})

#: Connectors that join list items (`Pabón Rincón y Sanguino Torrado`), not a family's article.
LIST_JOINERS = frozenset({"y", "e"})


def _is_name_word(text: str) -> bool:
    """A capitalized word of three or more letters: no initial (`J.`), no particle."""
    return len(text) >= 3 and text[0].isupper() and text.replace("-", "").isalpha()


def _outside_quotes(words: list[str]) -> list[str]:
    """The words of a name around a quoted nickname (`Ramiro “Cuco” Vanoy Murillo` → `Ramiro Vanoy
    Murillo`), whose surnames are written again alone like any other's."""
    quotes = [n for n, w in enumerate(words) if w in QUOTES]
    if len(quotes) != 2 or quotes[0] == 0 or quotes[1] == len(words) - 1:
        return words
    return words[:quotes[0]] + words[quotes[1] + 1:]


#: Lowercase particles that open a surname and are written with it (`da Costa`, `de la Cruz`, `van
#: der Berg`): `Luiz Fernando da Costa` is later `da Costa`, not `Costa`.
SURNAME_PARTICLES = frozenset({"da", "do", "dos", "das", "de", "del", "di", "della", "van", "von", "du"})


def _particle_surnames(words: list[str]) -> list[tuple[str, ...]]:
    """The surname with its particle, from a name whose given name comes first (`Luiz Fernando
    da Costa` → `da Costa`): the particle, any particles after it, and name words to the end."""
    for k in range(1, len(words) - 1):
        if words[k] in SURNAME_PARTICLES and _is_name_word(words[k - 1]):
            rest = words[k + 1:]
            while rest and rest[0] in CONNECTORS:
                rest = rest[1:]
            if rest and all(_is_name_word(w) for w in rest):
                return [tuple(words[k:])]
            return []
    return []


class SurnameRepeats:
    def __init__(self, name: str, min_name_words: int, score: float):
        self.name, self.min_name_words, self.score = name, min_name_words, score
        self.group_words = folded_cues("group_type_words")
        self.not_person_after = folded_cues("not_a_person_after_surname")
        #: Nouns after which `de X` names a place: `el municipio de`, `the state of`, `al norte de`.
        places = patterns()["place_in_place"]
        self.place_nouns = folded_cues("settlement_nouns") | LOCATIVE_WORDS | places["place_nouns"] | places["position_words"]

    def surname_forms(self, doc: Doc) -> dict[tuple[str, ...], int]:
        """The later forms of the PERSON candidates' names, each with the token where the earliest
        full name that holds it ends (only later text is searched):
        - trailing word sequences, two words or more and shorter than the name, of names with at
          least `min_name_words` words (`Mendoza Piñango`);
        - one surname of a name of two words or more: the last word (`Estrada` of `Mario
          Estrada`) and, in a name of three words or more, the one before it, the first of two
          Spanish surnames (`Yépez` of `José Antonio Yépez Ortiz`); four letters or more, neither
          written in lowercase elsewhere in the text nor a known place that the article writes
          as a place (`Duarte` of `Gentil Duarte` is a Dominican province too)."""
        lowercase = {t.text for t in doc if t.text.islower()}
        places = place_index()
        written_as_place = {doc[i + 1].text for i in range(len(doc) - 1) if doc[i].lower_ in PLACE_CUES}
        forms: dict[tuple[str, ...], int] = {}
        for span in doc.spans[CANDIDATES] if CANDIDATES in doc.spans else []:
            words = _outside_quotes([t.text for t in span])
            if span.label_ != "PERSON" or len(words) < 2 or not all(_is_name_word(w) or w in CONNECTORS for w in words):
                continue
            tails = [tuple(words[-n:]) for n in range(2, len(words))] if len(words) >= self.min_name_words else []
            singles = [(w,) for w in (words[-2:] if len(words) >= 3 else words[-1:])
                       if len(w) >= 4 and _is_name_word(w) and w.lower() not in lowercase
                       and not (places.lookup(w) and w in written_as_place)]
            for form in tails + singles + _particle_surnames(words):
                if all(_is_name_word(w) for w in form) or form[0] in SURNAME_PARTICLES:
                    forms[form] = min(forms.get(form, span.end), span.end)
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
                # `el asesinato de Bautista`, `bajo el mando de Mordisco`: `de` after a common noun
                # stands before people too; after a place noun (`el municipio de`) or a name it does not.
                of_someone = before is not None and before.lower_ in OF_WORDS and start >= 2 \
                    and doc[start - 2].is_lower and fold(doc[start - 2].text) not in self.place_nouns
                if before is not None and before.lower_ in CONNECTORS and before.lower_ not in LIST_JOINERS \
                        and not of_someone:
                    continue  # `de los Beltrán Leyva`, `los Beltrán Leyva`: a family or its group
                if after is not None and is_capitalized(after) and not after.is_sent_start:
                    continue
                if before is not None and before.lower_ in LOCATIVE_WORDS and places.lookup(" ".join(form)) \
                        and not of_someone:
                    continue
                if after is not None and fold(after.text) in self.group_words:
                    continue  # `the Beltrán Leyva network`: a group named after the family
                if after is not None and (fold(after.text) in self.not_person_after or is_word_hyphen(doc, start + n)):
                    continue  # `the Guzmán family`, `the Tomba neighbourhood`, `Beira-Mar`
                if before is not None and before.text in QUOTES:
                    continue  # `Joaquín “El Chapo” Guzmán`: the full name again, around a nickname
                add_candidate(doc, Span(doc, start, start + n, label="PERSON"), f"{self.name}:surnames", self.score)
                taken.update(range(start, start + n))
        return doc


@Language.factory("crimeie_surnames", requires=["doc.spans"], assigns=["doc.spans"],
                  default_config={"min_name_words": 3, "score": 0.85})
def make_surnames(nlp: Language, name: str, *, min_name_words: int, score: float):
    return SurnameRepeats(name, min_name_words, score)
