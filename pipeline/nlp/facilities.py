"""Prisons and other facilities named by a type word (GUIDELINES §2, FACILITY).

`Tocorón prison` → `Tocorón`; `la cárcel de Tocorón` → `Tocorón`; `the penitentiary of X` → `X`;
a capitalized name that holds the type word is kept whole: `Centro Penitenciario de Aragua`,
`Penitenciaría del Litoral`, `Cárcel Modelo`, `Unidade Prisional do Puraquequara`, and so is an
English name that ends in a capitalized type word: `National Penitentiary`,
`Croix-des-Bouquets Civil Prison`, `Manta Air Base`. Type words are data (cue_words.json,
`facility_heads`, `facility_final_words`).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp.extensions import add_candidate
from pipeline.nlp.lexicon import fold, folded_cues
from pipeline.nlp.names import CONNECTORS, SENTENCE_WORDS, capitalized_runs, is_capitalized, title_words
from pipeline.nlp.places import place_index

_PRISON_HEADS = {"prison", "jail", "penitentiary", "penitenciaria", "carcel", "reclusorio", "penal", "presidio",
                 "prision", "correctional", "detention"}
#: The type words and their plurals: what the alias finder accepts before a cue (`the prisons known as El Pozo`).
PRISON_TYPE_WORDS = _PRISON_HEADS | {"prisons", "jails", "penitentiaries", "carceles", "penales", "complex"}
#: First words of a prison's own name (`Complejo Penitenciario de Arica`); the alias finder reads them too.
PRISON_NAME_HEADS = {"centro", "complejo", "penitenciaria", "carcel", "reclusorio", "presidio", "penal",
                     "establecimiento", "instituto", "cereso", "cefereso"}
#: Heads that make a facility's name only with a number after them (`Unidad N° 4`): without one,
#: `Unidad Antisecuestro` is a police unit.
NUMBERED_UNIT_HEADS = {"unidad", "unidade", "modulo"}
_NAME_HEADS = PRISON_NAME_HEADS | {"internado", "comunidad", "rodeo", "prision", "base", "aeropuerto", "puerto",
                                   "port", "airport", "puente"}


#: Words between a prison's name and its type word (`Itagüí maximum-security prison`).
PRISON_MODIFIERS = {"maximum", "minimum", "medium", "high", "top", "-", "security", "federal", "state", "military"}
_MODIFIERS = PRISON_MODIFIERS | {"maximum-security", "high-security", "women's", "men's", "model", "supermax",
                                 "central", "regional"}


#: Words that put a number after a prison's name: `No. 3`, `número 1`, `Nº 2`.
_NUMBER_WORDS = {"no", "no.", "nº", "n°", "n.º", "num", "num.", "numero", "number", "#"}


def _split_number_sign(doc: Doc, k: int) -> bool:
    """Tokens k and k+1 are `N` and `°`: the tokenizer splits `N°` (`Unidad Penitenciaria N° 11`) in two."""
    return k + 1 < len(doc) and doc[k].text in ("N", "n") and doc[k + 1].text in ("°", "º")


def number_after(doc: Doc, end: int) -> int:
    """The end of a number that designates the facility named up to `end` (`Cereso 3`,
    `Centro Federal de Readaptación Social número 1`); `end` itself when none follows."""
    if end < len(doc) and doc[end].text.isdigit() and len(doc[end].text) <= 3:
        return end + 1
    k = end
    if _split_number_sign(doc, k):
        k += 2
    elif k < len(doc) and fold(doc[k].text) in _NUMBER_WORDS:
        k += 1
        if k < len(doc) and doc[k].text == ".":
            k += 1
    else:
        return end
    if k < len(doc) and doc[k].text.isdigit() and len(doc[k].text) <= 3:
        return k + 1
    return end


_PRISON_WORDS_IN_NAMES = PRISON_TYPE_WORDS | {"penitenciario", "penitenciarias", "carcelario", "carcelaria"}


def _about_prisons(sentence) -> bool:
    return any(fold(t.text) in _PRISON_WORDS_IN_NAMES or fold(t.lemma_) in _PRISON_WORDS_IN_NAMES for t in sentence)


class FacilityFinder:
    def __init__(self, name: str, score: float):
        self.name, self.score = name, score
        self.titles = title_words()
        heads = folded_cues("facility_heads")
        #: Two-word type words that open a name (`Unidade Prisional do Puraquequara`).
        self.opening_pairs = {h for h in heads if h.count(" ") == 1}
        self.final_words = folded_cues("facility_final_words")
        self.indefinite = folded_cues("indefinite_determiners")

    def _add(self, doc: Doc, start: int, end: int, rule: str) -> None:
        if end > start:
            add_candidate(doc, Span(doc, start, end, label="FACILITY"), f"{self.name}:{rule}", self.score)

    @staticmethod
    def _place_of_name(doc: Doc, runs: list[tuple[int, int]], end: int) -> int:
        """`Federal Penitentiary of Mossoró`: a known place joined by `of`/`de` right after the type
        word ends the name; `Litoral Penitentiary in Guayaquil` stays two mentions."""
        if end + 1 < len(doc) and doc[end].lower_ in ("of", "de", "do", "da"):
            run = next(((a, b) for a, b in runs if a == end + 1), None)
            if run and place_index().lookup(doc[run[0]:run[1]].text):
                return run[1]
        return end

    def __call__(self, doc: Doc) -> Doc:
        runs = capitalized_runs(doc)
        covered = set()
        for start, end in runs:
            if end - start >= 2 and _split_number_sign(doc, end - 1):
                end -= 1  # the `N` of `N°` is the number's, not the name's
            words = [fold(t.text) for t in doc[start:end]]
            numbered = number_after(doc, end)
            if words[0] in NUMBERED_UNIT_HEADS and numbered > end and not doc[start].is_sent_start \
                    and _about_prisons(doc[start].sent):
                # `Unidad N° 4 Santiago Vázquez`, `Unidad Penitenciaria N° 11`: a numbered unit in a
                # sentence about prisons is one (`la Unidad Central Especial número 3` of the
                # Guardia Civil is not); a name may follow its number.
                after = next(((a, b) for a, b in runs if a == numbered and b - a <= 3), None)
                self._add(doc, start, after[1] if after else numbered, "numbered_unit")
                covered.update(range(start, numbered))
                continue
            if end - start >= 2 and words[-1] in self.final_words:
                # `National Penitentiary`, `Croix-des-Bouquets Civil Prison`: the type word is in the name.
                first = start
                while first < end - 1 and (words[first - start] in SENTENCE_WORDS or words[first - start] in self.titles):
                    first += 1
                if end - first >= 2:
                    end = self._place_of_name(doc, runs, end)
                    self._add(doc, first, end, "name_with_type")
                    covered.update(range(first, end))
                continue
            opens = words[0] in _NAME_HEADS or " ".join(words[:2]) in self.opening_pairs
            if opens and (end - start >= 2 or numbered > end) and words[0] not in SENTENCE_WORDS:
                if words[0] in ("puerto", "port", "base", "puente") and not any(w in ("de", "del") for w in words):
                    continue  # `Puerto Ayacucho` is a city
                if words[0] == "instituto" and words[1:2] != ["penal"]:
                    continue  # `Instituto Penal Cândido Mendes` is a prison; `Instituto de Defensa Legal` a body
                if words[0] in PRISON_NAME_HEADS and numbered > end:
                    place_follows = numbered + 1 < len(doc) and doc[numbered].lower_ in ("de", "del", "do", "da") \
                        and is_capitalized(doc[numbered + 1])
                    if not place_follows:
                        end = numbered  # `Cereso 3`, `Centro Federal de Readaptación Social número 1`
                    elif end - start < 2:
                        continue  # `Penitenciária 2 de Presidente Venceslau`: left to the NER, as before
                self._add(doc, start, end, "named_facility")
                covered.update(range(start, end))
        for token in doc:
            head = fold(token.text)
            if head not in _PRISON_HEADS or token.i in covered or is_capitalized(token):
                continue
            # X prison / X jail / X maximum-security prison: the capitalized name before the type word.
            j = token.i
            while j > 0 and fold(doc[j - 1].text) in _MODIFIERS and not is_capitalized(doc[j - 1]):
                j -= 1
            i = j
            while i > 0 and (is_capitalized(doc[i - 1]) or (doc[i - 1].like_num and i < j)):
                i -= 1
            # A title opening the name stays when a name follows it: prisons are named after
            # people by their titles (`the Presidente Bernardes prison`).
            while i < j and (fold(doc[i].text) in SENTENCE_WORDS
                             or (fold(doc[i].text) in self.titles and not _titled_name(doc, i, j))):
                i += 1
            if i < j:
                self._add(doc, i, j, "name_then_type")
                continue
            # cárcel de X / prison of X / penal de X; not after `una`/`a` (`una cárcel de Nueva York`)
            k = token.i + 1
            if token.i > 0 and fold(doc[token.i - 1].text) in self.indefinite:
                continue
            if k < len(doc) and doc[k].lower_ in ("de", "del", "of", "in"):
                m = k + 1
                n = m
                while n < len(doc) and (is_capitalized(doc[n]) or (doc[n].text in CONNECTORS and n + 1 < len(doc)
                                                                    and is_capitalized(doc[n + 1]) and n > m)):
                    n += 1
                if n > m and doc[k].lower_ != "in":
                    self._add(doc, m, n, "type_of_name")
        return doc


def _titled_name(doc: Doc, i: int, j: int) -> bool:
    """Token `i`, a title, opens a person's name that runs to `j`: capitalized, not the sentence's
    first word (`Presidente Bernardes`, not `Presidente` alone)."""
    return j - i >= 2 and not doc[i].is_sent_start and all(is_capitalized(t) for t in doc[i + 1:j])


@Language.factory("crimeie_facilities", assigns=["doc.spans"], default_config={"score": 0.85})
def make_facilities(nlp: Language, name: str, *, score: float):
    return FacilityFinder(name, score)
