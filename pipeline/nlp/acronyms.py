"""Acronyms tied to their full names, and later uses of the acronym joined to them.

`Full Name (ACR)`, `Full Name – ACR`, `ACR (Full Name)`, and a gloss's original with its acronym
inside the parentheses, `Haitian National Police (Police Nationale d'Haïti, PNH)`. An acronym
written as a word (`Petróleos Mexicanos (Pemex)`, `Fundação Nacional do Índio (Funai)`) counts
only inside the parentheses or after the dash, right after a long form of two or more
capitalized words that starts with its letter. The long form is checked with the
algorithm of Schwartz & Hearst (2003), "A simple algorithm for identifying abbreviation
definitions in biomedical text": the acronym's characters must appear in order in the long
form, the first at the start of a word; Spanish particles (de, del, y…) may be skipped. When
the full name is Spanish and an English gloss sits between them, the gloss is not the name.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp.extensions import CANDIDATES, add_candidate, add_link
from pipeline.nlp.lexicon import fold, folded_cues
from pipeline.nlp.names import CONNECTORS, is_capitalized, title_words
from pipeline.nlp.spanish_names import classify_run

_ACRONYM = re.compile(r"^[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑ&\-\.]{1,9}$")
_WORD_ACRONYM = re.compile(r"^[A-ZÁÉÍÓÚÑ][a-záéíóúñ]{3,9}$")
_DASHES = {"–", "—", "-"}
#: A French elided particle on a name: `d'Haïti`, `l'Ouest`.
_ELIDED = re.compile(r"^[dlDL]['’][A-ZÀ-Ý]")
#: Lowercase words a full name may hold besides the name particles (`Dirección General de
#: Represión al Tráfico Ilícito de Drogas`, `Brigada Investigadora contra el Crimen Organizado`,
#: `Réseau National de Défense des Droits Humains`).
_LONG_FORM_WORDS = CONNECTORS | {",", "and", "of", "for", "the", "al", "a", "contra", "para", "por", "en", "sobre",
                                 "des", "du", "le", "les", "et", "d'"}


def looks_like_acronym(text: str) -> bool:
    return bool(_ACRONYM.match(text)) and sum(c.isupper() for c in text) >= 2 and not text.istitle()


def looks_like_word_acronym(text: str) -> bool:
    """`Pemex`, `Funai`, `Polisucre`: an acronym written as a word; trusted only where a long form
    defines it (see `_word_acronym_fits`)."""
    return bool(_WORD_ACRONYM.match(text))


def find_best_long_form(short: str, long: str) -> str | None:
    """Schwartz & Hearst: the shortest suffix of `long` that contains the characters of `short` in order."""
    s_index, l_index = len(short) - 1, len(long) - 1
    short_l, long_l = short.lower(), long.lower()
    while s_index >= 0:
        c = short_l[s_index]
        if not c.isalnum():
            s_index -= 1
            continue
        while l_index >= 0 and (long_l[l_index] != c or (s_index == 0 and l_index > 0 and long_l[l_index - 1].isalnum())):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    l_index = long.rfind(" ", 0, l_index + 1) + 1
    return long[l_index:]


def _long_form_tokens(doc: Doc, end: int, short: str, titles: set[str]) -> tuple[int, int] | None:
    """Tokens of the full name ending at `end`: a capitalized run that may hold particles and
    commas (`Cuerpo de Investigaciones Científicas, Penales y Criminalísticas`)."""
    letters = sum(c.isalpha() for c in short)
    i = end
    words = 0
    while i > 0 and words < letters + 5:
        token = doc[i - 1]
        if token.lower_ == "and" and doc[i].lower_ == "the":
            break  # `the Sinaloa Cartel and the Jalisco Cartel New Generation (CJNG)`: a second name begins
        if is_capitalized(token) or _ELIDED.match(token.text) or (token.text in _LONG_FORM_WORDS and i < end):
            i -= 1
            words += token.is_alpha
            if token.is_sent_start:
                break
        else:
            break
    while i < end and (not is_capitalized(doc[i]) or fold(doc[i].text) in titles or doc[i].lower_ == "the"):
        i += 1
    if i >= end:
        return None
    initials = short.replace(".", "").replace("-", "").upper()
    # First the longest run whose capitalized words' initials spell the acronym (common for
    # Spanish names, where Schwartz-Hearst's shortest-suffix rule stops too early).
    for k in range(i, end):
        words = [t.text[0].upper() for t in doc[k:end] if is_capitalized(t)]
        if is_capitalized(doc[k]) and "".join(words) == initials:
            return _with_head_noun(doc, k, i), end
    text = doc[i:end].text
    best = find_best_long_form(short.replace(".", ""), text)
    if best is None:
        return None
    # Snap the Schwartz-Hearst suffix to token boundaries.
    start_char = doc[i:end].start_char + (len(text) - len(best))
    for k in range(i, end):
        if doc[k].idx >= start_char:
            return (_with_head_noun(doc, k, i), end) if is_capitalized(doc[k]) else None
    return None


def _with_head_noun(doc: Doc, k: int, run_start: int) -> int:
    """`Policía Metropolitana del Valle de Aburrá (Meval)`, `Policía Metropolitana de Bogotá (MEBOG)`:
    the body's head noun right before the words the acronym spells is part of the name, though the
    acronym leaves its letter out."""
    if k > run_start and fold(doc[k - 1].text) in folded_cues("organization_cues"):
        return k - 1
    return k


def _word_acronym_fits(doc: Doc, long: tuple[int, int], short: str) -> bool:
    """A word-shaped acronym must start with the long form's first letter and take letters from
    at least two of its capitalized words (`Polisucre` from `Policía Municipal de Sucre`), so that
    `Ciudad del Este (Paraguay)` or `Tren de Aragua (Aragua)` never count."""
    words = [fold(t.text) for t in doc[long[0]:long[1]] if is_capitalized(t)]
    if len(words) < 2 or fold(short)[0] != words[0][0]:
        return False

    def spells(rest: str, n: int, used: int) -> bool:
        """Can words[n:] spell `rest`, each giving a prefix of itself (possibly empty)?"""
        if not rest:
            return used >= 2
        if n == len(words):
            return False
        word = words[n]
        k = 0
        while k < len(word) and k < len(rest) and word[k] == rest[k]:
            k += 1
        return any(spells(rest[j:], n + 1, used + (j > 0)) for j in range(k, -1, -1))

    return spells(fold(short), 0, 0)


class AcronymFinder:
    def __init__(self, name: str, score: float):
        self.name, self.score = name, score
        self.titles = title_words()

    def _label(self, doc: Doc, long: tuple[int, int], short: Span) -> str:
        for span in doc.spans.get(CANDIDATES, []):
            if span.id_.startswith(("crimeie_gazetteer", "crimeie_facilities")) \
                    and (span.start, span.end) in (long, (short.start, short.end)):
                return span.label_  # a known name, or a prison named by its type word (`Centro … (CEFAS)`)
        label, _ = classify_run([t.text for t in doc[long[0]:long[1]]], [])
        return label if label in ("CRIMINAL_GROUP", "ORGANIZATION") else "ORGANIZATION"

    def __call__(self, doc: Doc) -> Doc:
        defined: dict[str, tuple[str, Span]] = {}
        for i, token in enumerate(doc):
            nxt = doc[i + 1].text if i + 1 < len(doc) else ""
            # Full Name (ACR)  /  Full Name – ACR  /  Full Name (Acronymword)
            if token.text in ("(", *_DASHES) and (looks_like_acronym(nxt) or looks_like_word_acronym(nxt)):
                closes = token.text != "(" or (i + 2 < len(doc) and doc[i + 2].text == ")")
                if not closes:
                    continue
                long = _long_form_tokens(doc, i, nxt, self.titles)
                if long is None or long[1] - long[0] < 2:
                    continue
                if not looks_like_acronym(nxt) and not _word_acronym_fits(doc, long, nxt):
                    continue
                short = doc[i + 1:i + 2]
                self._define(doc, long, short, defined)
            # English Name (Original Name, ACR): the acronym belongs to the original inside.
            elif token.text == "," and looks_like_acronym(nxt) and i + 2 < len(doc) and doc[i + 2].text == ")":
                opening = next((j for j in range(i - 1, max(i - 16, -1), -1) if doc[j].text in ("(", ")")), None)
                if opening is None or doc[opening].text != "(":
                    continue
                long = _long_form_tokens(doc, i, nxt, self.titles)
                if long is None or long[0] != opening + 1 or long[1] - long[0] < 2:
                    continue
                self._define(doc, long, doc[i + 1:i + 2], defined)
            # ACR (Full Name)
            elif token.text == "(" and i > 0 and looks_like_acronym(doc[i - 1].text):
                close = next((j for j in range(i + 1, min(i + 16, len(doc))) if doc[j].text == ")"), None)
                if close is None or close - i < 3:
                    continue
                inner = _long_form_tokens(doc, close, doc[i - 1].text, self.titles)
                if inner is None or inner[0] != i + 1:
                    continue
                self._define(doc, inner, doc[i - 1:i], defined)
        # Later (and earlier) uses of a defined acronym join the same entity.
        for token in doc:
            entry = defined.get(token.text)
            if entry is None:
                continue
            label, long_span = entry
            span = Span(doc, token.i, token.i + 1, label=label)
            if (span.start, span.end) == (long_span.start, long_span.end):
                continue
            mention = add_candidate(doc, span, f"{self.name}:acronym_use", self.score)
            add_link(doc, long_span, mention, "acronym")
        return doc

    def _define(self, doc: Doc, long: tuple[int, int], short: Span, defined: dict) -> None:
        label = self._label(doc, long, short)
        long_span = add_candidate(doc, Span(doc, long[0], long[1], label=label), f"{self.name}:long_form", self.score)
        defined.setdefault(short.text, (label, long_span))


@Language.factory("crimeie_acronyms", assigns=["doc.spans", "doc._.crimeie_links"], default_config={"score": 0.9})
def make_acronyms(nlp: Language, name: str, *, score: float):
    return AcronymFinder(name, score)
