"""Capitalized multiword names with Spanish particles, typed by cue words.

`Tren de Aragua`, `Clan del Golfo`, `Cartel de los Soles`, `Fundación Somos El Barrio JK`,
`Los Carajitos Locos del 19`. A run becomes CRIMINAL_GROUP when it starts with a group head
(Tren, Clan, Cartel, Los + name…), ends with a capitalized group word (`the Eastern Bloc`), or a
group cue word follows it (`the San Juan de Unare gang`; `Sinaloa cartel` keeps `cartel`), and ORGANIZATION when it holds an organization cue
(Policía, Ministerio, Fiscalía, Fuerza, Cuerpo, Fundación, Office…). A run that is a known
place (`Los Angeles`) is left to the place component. Runs with no cue are left to the models.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp.extensions import add_candidate
from pipeline.nlp.lexicon import fold, folded_cues
from pipeline.nlp.names import ARTICLES, capitalized_runs, possessive_office_end, title_words, trim_run

#: A person named by the initials of their names and surnames, as prosecutors in Panama, Costa
#: Rica or Spain write detainees (`J.A.M.R.`, `K.D.C.P.`): three to six capital initials.
INITIALS = re.compile(r"^(?:[A-ZÁÉÍÓÚÑ]\.){3,6}$")
#: ... but not a US federal court district (`E.D.N.Y.`, `S.D.N.Y.`).
COURT_DISTRICT = re.compile(r"^[NSEWCM]\.D\.")

_KEEP_AFTER = {"cartel", "cártel", "clan"}  # type words that belong to a group's name (GUIDELINES §2)


def classify_run(words: list[str], next_words: list[str]) -> tuple[str | None, int]:
    """(label, extra tokens to take from `next_words`) for a capitalized run, or (None, 0)."""
    folded = [fold(w) for w in words]
    following = [fold(w) for w in next_words]
    # Cached by folded_cues: `classify_run` runs for every capitalized run of every document.
    group_heads, group_cues, org_cues = (folded_cues(key) for key in ("group_name_heads", "group_cues",
                                                                      "organization_cues"))
    if following and following[0] in _KEEP_AFTER:
        return "CRIMINAL_GROUP", 1
    if following and following[0] in group_cues and following[0] not in ("front", "cell", "cells"):
        return "CRIMINAL_GROUP", 0
    if folded[0] in ("los", "las") and len(folded) >= 2:
        return "CRIMINAL_GROUP", 0
    if folded[0] in group_heads and len(folded) >= 2 and folded[0] not in ("estado", "fuerzas", "ejercito", "organizacion", "oficina", "gente", "barrio"):
        return "CRIMINAL_GROUP", 0
    if any(w in org_cues for w in folded) and len(folded) >= 2:
        return "ORGANIZATION", 0
    if len(folded) >= 2 and folded[-1] in folded_cues("group_name_finals") and words[-1][:1].isupper():
        return "CRIMINAL_GROUP", 0  # `the Eastern Bloc`, `the Seventh Front`
    if folded[0] in group_heads and len(folded) >= 2:
        return "CRIMINAL_GROUP", 0
    return None, 0


class SpanishNames:
    def __init__(self, name: str, score: float, places):
        self.name, self.score = name, score
        self.titles = title_words()
        self.places = places

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            if INITIALS.match(token.text) and not COURT_DISTRICT.match(token.text) \
                    and not (self.places is not None and self.places.lookup(token.text.replace(".", ""))):
                add_candidate(doc, Span(doc, token.i, token.i + 1, label="PERSON"), f"{self.name}:initials", self.score)
        for start, end in capitalized_runs(doc):
            start, end = trim_run(doc, start, end, self.titles)
            if end - start < 1:
                continue
            office_end = possessive_office_end(doc, end)
            if office_end > end:
                add_candidate(doc, Span(doc, start, office_end, label="ORGANIZATION"), f"{self.name}:organization",
                              self.score)
                continue
            words = [t.text for t in doc[start:end]]
            label, extra = classify_run(words, [t.text for t in doc[end:end + 2]])
            if label is None:
                continue
            if end - start == 1 and not extra and label != "CRIMINAL_GROUP":
                continue
            if self.places is not None and self.places.lookup(" ".join(words)) and not extra \
                    and fold(words[0]) in ("los", "las", "san", "santa", "estado"):
                continue  # `Los Angeles`, `Las Vegas`: a city, not a gang; `Estado de México` a state
            if label == "ORGANIZATION":
                end = _continued_name(doc, _against_what(doc, end))
            span = Span(doc, start, end + extra, label=label)
            add_candidate(doc, span, f"{self.name}:{'group' if label == 'CRIMINAL_GROUP' else 'organization'}", self.score)
        return doc


_AGAINST = {"contra", "against"}


def _against_what(doc: Doc, end: int) -> int:
    """An organization named for what it fights runs on through a lowercase `contra` and the
    capitalized words after it: `Dirección de Lucha contra el Narcotráfico`, `Dirección
    Especializada contra las Organizaciones Criminales`."""
    i = end
    if i < len(doc) and doc[i].lower_ in _AGAINST and doc[i].is_lower:
        i += 1
        if i < len(doc) and doc[i].lower_ in ARTICLES and doc[i].is_lower:
            i += 1
        runs = capitalized_runs(doc, i, min(i + 8, len(doc)))
        if runs and runs[0][0] == i and not doc[i].is_sent_start:
            return runs[0][1]
    return end


#: Lowercase words that carry a court's or an office's name on (`Tribunal de Juicio Oral en lo
#: Penal de Arica`, `Oficina del Fiscal Federal para el Distrito de Puerto Rico`).
_NAME_GOES_ON = {("en", "lo"), ("para", "el"), ("para", "la"), ("para", "los"), ("para", "las")}


def _continued_name(doc: Doc, end: int) -> int:
    """An organization's name runs on through `en lo` or `para el` and the capitalized words
    after it, unless those words name another body (`... con la DEA para la Fiscalía General`)."""
    if end + 2 < len(doc) and (doc[end].text, doc[end + 1].text) in _NAME_GOES_ON:
        runs = capitalized_runs(doc, end + 2, min(end + 10, len(doc)))
        if runs and runs[0][0] == end + 2 and not doc[end + 2].is_sent_start:
            words = {fold(t.text) for t in doc[runs[0][0]:runs[0][1]]}
            if not words & folded_cues("organization_cues"):
                return runs[0][1]
    return end


@Language.factory("crimeie_spanish_names", assigns=["doc.spans"], default_config={"score": 0.75})
def make_spanish_names(nlp: Language, name: str, *, score: float):
    from pipeline.nlp.places import place_index

    return SpanishNames(name, score, place_index())
