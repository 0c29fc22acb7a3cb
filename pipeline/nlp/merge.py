"""The one explicit step where candidates from rules and models become `doc.ents`.

Every candidate carries its source in `span.id_` (`component:rule`). The merge ranks
candidates by the configured priority of their component, then by score, then by length, and
keeps a candidate unless it overlaps one already kept. Changing which source wins is a config
change (`[components.crimeie_merge] priorities`), never a change of component order.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.nlp.activities import activity_idioms, is_idiom
from pipeline.nlp.aliases import CLOSE_QUOTES, OPEN_QUOTES
from pipeline.ingest.language import guess_language
from pipeline.nlp.extensions import CANDIDATES, add_link
from pipeline.nlp.lexicon import facility_type_words, fold, folded_cues, load_json
from pipeline.nlp.names import ARTICLES, SENTENCE_WORDS, SPANISH_ARTICLES, names_a_family, title_words
from pipeline.nlp.places import is_function_word, place_index

DEFAULT_PRIORITIES = {
    "crimeie_aliases": 100,
    "crimeie_acronyms": 95,
    "crimeie_gazetteer": 90,
    "crimeie_facilities": 85,
    "crimeie_activities": 80,
    "crimeie_surnames": 75,
    "crimeie_spanish_names": 70,
    "crimeie_places": 55,
    "crimeie_ner": 60,
    "crimeie_ner_candidates": 60,
    "crimeie_ontonotes_mapper": 10,
}


def rank_key(span: Span, priorities: dict[str, int]) -> tuple:
    component = span.id_.split(":", 1)[0]
    return (priorities.get(component, 0), span._.crimeie_score or 0.0, len(span), -span.start)


#: What joins a group's or a body's name to its quoted translation (`the Tropa del Infierno, or
#: "Hell's Troop,"`, `la Vieja Escuela Zeta, o “Old School Zetas”`).
_TRANSLATION_LINKS = {"or", "o", "ou"}


#: Words between an operation's noun and its quoted name (`el operativo denominado “Golpe de Timón”`).
#: A code name needs no noun before it: `_CODE_NAMED` decides it first.
_NAMING_WORDS = {"denominado", "denominada", "llamado", "llamada", "bautizado", "bautizada", "called", "dubbed",
                 "named"}


_CODE_NAMED = ("code-named", "codenamed", "code named", "code-name", "codename", "nombre clave", "nombre en clave")


def _code_named(doc: Doc, i: int) -> bool:
    """Token `i` opens an operation's code name or its gloss: `the raid, code-named “Cisne Negro”
    (Black Swan)`. Only operations are code-named; a gang may be `dubbed`, so that word decides
    nothing here."""
    if i >= 2 and doc[i - 1].text == "(" and doc[i - 2].text in CLOSE_QUOTES:
        opening = next((k for k in range(i - 3, max(i - 12, -1), -1) if doc[k].text in OPEN_QUOTES), None)
        if opening is None:
            return False
        i = opening + 1
    if i < 1 or doc[i - 1].text not in OPEN_QUOTES:
        return False
    before = doc.text[max(0, doc[i - 1].idx - 20):doc[i - 1].idx].rstrip().lower()
    return before.endswith(_CODE_NAMED)


def _quoted_translations(doc: Doc, chosen: list[Span]) -> list[Span]:
    """A quoted, capitalized phrase right after a group's or a body's name and `, or` is the same
    thing translated, and takes its label, whatever the words inside were read as (`Hell` as a
    person, `Troop` as a place); a link tells the entity grouper to join the two."""
    out = list(chosen)
    for m in chosen:
        if m.label_ not in ("CRIMINAL_GROUP", "ORGANIZATION"):
            continue
        i = m.end
        if not (i + 3 < len(doc) and doc[i].text == "," and doc[i + 1].lower_ in _TRANSLATION_LINKS
                and doc[i + 2].text in OPEN_QUOTES and doc[i + 3].text[:1].isupper()):
            continue
        close = next((j for j in range(i + 4, min(i + 12, len(doc))) if doc[j].text in CLOSE_QUOTES), None)
        if close is None:
            continue
        end = close
        while end > i + 3 and doc[end - 1].text in (",", "."):
            end -= 1
        gloss = Span(doc, i + 3, end, label=m.label_, span_id="crimeie_merge:translation")
        out = [s for s in out if s.end <= gloss.start or s.start >= gloss.end] + [gloss]
        add_link(doc, m, gloss, "alias")
    return sorted(out, key=lambda s: s.start)


def _named_units_by_their_names(chosen: list[Span], unit_words: frozenset[str]) -> list[Span]:
    """`la Dagoberto Ramos`, `al Jaime Martínez`: after `Columna Móvil Dagoberto Ramos` or `Frente
    Jaime Martínez`, the person's name the unit is named after, written after an article, names
    the unit, whatever label a model gave it (a person is not `la Dagoberto Ramos`); a place keeps
    its label."""
    units = set()
    for s in chosen:
        if s.label_ == "CRIMINAL_GROUP":
            words = [fold(t.text) for t in s]
            k, n = 0, len(words)
            while k < n and words[k] in unit_words:
                k += 1
            while n > k and words[n - 1] in unit_words:
                n -= 1
            if k < n and (k > 0 or n < len(words)):  # `Frente Jaime Martínez`, `the Carolina Ramírez Front`
                units.add(tuple(words[k:n]))
    if not units:
        return chosen
    doc, out = chosen[0].doc, []
    for s in chosen:
        if s.label_ in _UNIT_NAMED_AS and s.start > 0 and doc[s.start - 1].lower_ in _UNIT_ARTICLES \
                and tuple(fold(t.text) for t in s) in units and not place_index().lookup(s.text):
            s = _relabeled(s, "CRIMINAL_GROUP", "unit")
        out.append(s)
    return out


def _group_heads_as_short_names(chosen: list[Span], heads: frozenset[str]) -> list[Span]:
    """`the Sindicato` after `Sindicato do Crime do Rio Grande do Norte`, `el Cártel` after `Cártel
    de Santa Rosa de Lima`: a capitalized group head word alone after an article, once the article
    has named a group that starts with it, is that group's short name, whatever label a model
    gave it, or where no source proposed it; the entity grouper joins it to the full name."""
    first_group: dict[str, int] = {}  # head word -> where the first group it opens starts (`chosen` is in text order)
    for s in chosen:
        if s.label_ == "CRIMINAL_GROUP" and len(s) > 1 and fold(s[0].text) in heads:
            first_group.setdefault(fold(s[0].text), s.start)
    firsts = first_group.keys()
    if not firsts:
        return chosen
    doc, out = chosen[0].doc, []
    for s in chosen:
        word = fold(s[-1].text)
        alone = (len(s) == 1 and s.start > 0 and doc[s.start - 1].lower_ in _UNIT_ARTICLES) \
            or (len(s) == 2 and s[0].lower_ in _UNIT_ARTICLES)  # `La Oficina` opening a sentence
        if alone and word in firsts and s.start > first_group[word] and s[-1].text[:1].isupper() \
                and (s.label_ != "CRIMINAL_GROUP" or len(s) == 2):
            # The article is not part of the short name (GUIDELINES §2): `“El Clan no funciona` → `Clan`;
            # quoted as a name, it is (`“La Oficina” was`).
            quoted = len(s) == 2 and s.end < len(doc) and doc[s.end].text in CLOSE_QUOTES
            s = _relabeled(s if quoted else _copy(s, start=s.end - 1), "CRIMINAL_GROUP", "group_head")
        out.append(s)
    # The same word where no source proposed a mention: `Hoy la Oficina cobra …`.
    taken = {i for s in out for i in range(s.start, s.end)}
    for t in doc:
        if t.i in taken or t.i == 0 or fold(t.text) not in firsts or t.i <= first_group[fold(t.text)] \
                or not t.text[:1].isupper() or doc[t.i - 1].lower_ not in _UNIT_ARTICLES \
                or (t.i + 1 < len(doc) and doc[t.i + 1].text[:1].isupper()):
            continue
        short = Span(doc, t.i, t.i + 1, label="CRIMINAL_GROUP", span_id="crimeie_merge:group_head")
        short._.crimeie_score = 0.5
        out.append(short)
    return sorted(out, key=lambda s: s.start)


def _model_readings_corrected(chosen: list[Span], settlement_words: frozenset[str],
                              facility_words: frozenset[str], proposed_places: set[tuple[int, int]]) -> list[Span]:
    """Misreadings of the trained NER that the words around a mention settle:
    - a "group" whose name ends in a capitalized settlement noun is a place (`Segundo Barrio`), and
      so is one before a lowercase settlement noun, one lowercase word allowed between (`Badiraguato,
      the Sinaloa mountain municipality`), and a known place before a public office (`Sinaloa
      Governor Rubén Rocha Moya`), and so is one named exactly as a country (`del Reino Unido`);
    - a "place" or "person" that is one capitalized Spanish plural after a definite article is a
      group (`the Ciclones`, see `_plural_name_after_article`);
    - a "group", "person" or "body" right before a lowercase facility type word is the facility
      (`Amsterdam's Schiphol airport`);
    - a "facility" named by a settlement noun and no facility word is a place (`El Paso's Segundo
      Barrio`, `la colonia Obrera`);
    - a "place" that no place source knows, joined by `y`/`and` to a person's name, is a person
      too (`fundados por Leonides Sierra y Julio Marte`);
    - such a "place" set off by a comma after a person's title and what the title is of, is the
      person who holds it (`el alcalde de Cali, Alejandro Eder,`, `the mayor of Cali, Alejandro Eder`),
      and so is the surname of a person found so, written alone as a "place" (`la casa de Ferrero`)."""
    out = []
    for n, s in enumerate(chosen):
        label, reason, doc = None, "context", s.doc
        if s.label_ in ("PERSON", "FACILITY") and s.id_.startswith("crimeie_ner") and _named_as_media(s):
            label = "ORGANIZATION"
        elif s.label_ == "CRIMINAL_GROUP" and s.id_.startswith("crimeie_ner") and len(s) > 1 \
                and s[-1].text[:1].isupper() and fold(s[-1].text) in folded_cues("settlement_nouns_after"):
            label = "LOCATION"  # `El Paso's Segundo Barrio`: a name that ends in its kind noun is a place
        elif s.label_ in ("CRIMINAL_GROUP", "PERSON", "ORGANIZATION") and s.id_.startswith("crimeie_ner") \
                and s.end < len(doc) and doc[s.end].is_lower and fold(doc[s.end].text) in facility_words:
            label, reason = "FACILITY", "words_around"
        elif s.label_ == "CRIMINAL_GROUP" and s.id_.startswith("crimeie_ner") and _before_settlement_noun(s, settlement_words):
            label, reason = "LOCATION", "words_around"
        elif s.label_ == "CRIMINAL_GROUP" and s.id_.startswith("crimeie_ner") and s.end < len(doc) \
                and fold(doc[s.end].text) in folded_cues("public_office_nouns") and place_index().lookup(s.text):
            label, reason = "LOCATION", "words_around"  # `Sinaloa Governor Rubén Rocha Moya`
        elif s.label_ == "CRIMINAL_GROUP" and s.id_.startswith("crimeie_ner") \
                and any(p.kind == "country" for p in place_index().lookup(s.text)):
            label = "LOCATION"  # `del Reino Unido`: no group is named exactly as a country
        elif s.label_ in ("LOCATION", "PERSON") and s.id_.startswith("crimeie_ner") \
                and (s.start, s.end) not in proposed_places and _plural_name_after_article(s):
            label, reason = "CRIMINAL_GROUP", "words_around"
        elif s.label_ == "FACILITY" and s.id_.startswith("crimeie_ner"):
            words = {fold(t.text) for t in s}
            if words & settlement_words and not words & facility_words:
                label = "LOCATION"
        elif s.label_ == "LOCATION" and s.id_.startswith("crimeie_ner") and len(s) > 1 \
                and (s.start, s.end) not in proposed_places and all(t.text[:1].isupper() for t in s):
            after = chosen[n + 1] if n + 1 < len(chosen) else None
            before = chosen[n - 1] if n else None
            if (after is not None and after.label_ == "PERSON" and after.start == s.end + 1
                    and doc[s.end].lower_ in _PERSON_JOINERS) or \
                    (before is not None and before.label_ == "PERSON" and s.start == before.end + 1
                     and doc[before.end].lower_ in _PERSON_JOINERS) or _after_title_of(doc, s.start):
                label = "PERSON"
        out.append(_relabeled(s, label, reason) if label else s)
    # The surname alone of a person found here (`la casa de Ferrero` after `Mónica Ferrero`):
    # the surname component ran before this step and saw only a "place".
    surnames = {s[-1].text for s, before in zip(out, chosen) if s.label_ == "PERSON" and before.label_ != "PERSON"}
    if surnames:
        out = [_relabeled(s, "PERSON", "context") if len(s) == 1 and s.text in surnames and s.label_ == "LOCATION"
               and s.id_.startswith("crimeie_ner") and (s.start, s.end) not in proposed_places else s for s in out]
    return out


#: A Spanish plural (`Ciclones`, `Metros`, `Zetas`), not a Portuguese one (`the Solimões`, a river).
_SPANISH_PLURAL = re.compile(r"(?<![õã]e)[aeo]s$")
#: Words that put what follows them somewhere: a place, not a group, comes after them.
_PLACE_PREPOSITIONS = {"in", "into", "inside", "at", "to", "from", "across", "throughout", "near", "around",
                       "through", "toward", "towards", "down", "up", "along", "en", "desde", "hacia", "hasta"}


def _plural_name_after_article(span: Span) -> bool:
    """`the Ciclones have…`, `a commander of the Contadores`, `los Metros`: one capitalized word in a
    Spanish plural after a definite article, standing as a noun (no noun after it: `the Chiapas
    border` is a place's name as a modifier), is a group's name (`the Zetas`, `the Rastrojos`), not
    a place no gazetteer knows nor a person."""
    doc, i = span.doc, span.start
    if len(span) != 1 or i == 0 or doc[i - 1].lower_ not in ("the", "los", "las") \
            or not _SPANISH_PLURAL.search(span.text) or not span.text[:1].isupper():
        return False
    if i > 1 and doc[i - 2].lower_ in _PLACE_PREPOSITIONS:  # `a court in the Emirates`
        return False
    return span.end == len(doc) or doc[span.end].pos_ not in ("NOUN", "PROPN")


def _before_settlement_noun(span: Span, settlement_words: frozenset[str]) -> bool:
    """A lowercase settlement noun right after the name, or after one lowercase word (`the Sinaloa
    mountain municipality`)."""
    after = list(span.doc[span.end:span.end + 2])
    return bool(after) and after[0].is_lower and (fold(after[0].text) in settlement_words or (
        len(after) == 2 and after[1].is_lower and fold(after[1].text) in settlement_words))


def _named_as_media(span: Span) -> bool:
    """A publication's noun beside the name: right after it (`Rolling Stone magazine`, `his YouTube
    channel`) or right before it, an article allowed between (`la revista Semana`, `the newspaper
    El Comercio`)."""
    doc, media = span.doc, folded_cues("media_nouns")
    if span.end < len(doc) and doc[span.end].is_lower and fold(doc[span.end].text) in media:
        return True
    i = span.start - 1
    if i >= 0 and doc[i].lower_ in ARTICLES:
        i -= 1
    return i >= 0 and doc[i].is_lower and fold(doc[i].text) in media


_PERSON_JOINERS = {"y", "and", "e"}
#: Words that may join a title to what it is of (`ministro de Defensa`, `fiscal de Corte de Uruguay`).
_TITLE_OF = {"de", "del", "of", "the", "la", "el", "los", "las"}


def _after_title_of(doc: Doc, start: int) -> bool:
    """Token `start` follows a comma that closes `<title> de/of <capitalized words>` (`el alcalde
    de Cali,`): the name after it is the title holder's. A title word lowercase, so a sentence's
    first word or a capitalized name (`Fiscal General`) is not taken for one."""
    if start < 3 or doc[start - 1].text != ",":
        return False
    i = start - 2
    capitalized = False
    while i >= 0 and start - i <= 8 and (doc[i].text[:1].isupper() or doc[i].lower_ in _TITLE_OF):
        capitalized |= doc[i].text[:1].isupper()
        i -= 1
    if not capitalized or i < 0 or i == start - 2 or doc[i + 1].lower_ not in _TITLE_OF:
        return False
    return doc[i].text.islower() and fold(doc[i].text) in title_words()


_UNIT_ARTICLES = {"el", "la", "al", "del", "the"}
#: A unit named after a place (`el Bloque Catatumbo`, then `del Catatumbo`) does not make the place a unit.
_UNIT_NAMED_AS = {"PERSON", "FACILITY", "ORGANIZATION"}


#: Labels one name may take in different sentences of one article (GUIDELINES §2: a place's name used
#: for a gang is CRIMINAL_GROUP in that sentence; `Tocorón` the prison and the town).
_LABELS_A_NAME_SHARES = ({"LOCATION", "CRIMINAL_GROUP"}, {"LOCATION", "FACILITY"}, {"CRIMINAL_GROUP", "FACILITY"})


def _model_labels_made_consistent(chosen: list[Span]) -> list[Span]:
    """A name the NER labels once one way (`“Sonoyta is a bottleneck,”` a PERSON, `someone like JR`
    an ORGANIZATION) while the article never gives it the NER's label elsewhere, and gives it another
    label twice, or once by a rule (`alias “JR”`), takes the article's label, unless the two are
    labels one name may share in different sentences. A place stays a place: the words around it
    (`the state of Guerrero`) decide it better than the article's surname `Guerrero` does; only a
    name the article gives as someone's alias and no gazetteer knows as a place is that person
    wherever a model read it as a place (`known as “El Coss”` … `After El Coss was taken`)."""
    labels: dict[str, dict[str, list[Span]]] = {}
    for s in chosen:
        labels.setdefault(s.text, {}).setdefault(s.label_, []).append(s)

    def an_alias_not_a_place(s: Span, seen: dict[str, list[Span]]) -> bool:
        return (any(m.id_.startswith("crimeie_aliases:alias") for m in seen.get("PERSON", ()))
                and not place_index().lookup(s.text))

    out = []
    for s in chosen:
        seen = labels[s.text]
        if s.id_.startswith("crimeie_ner") and (s.label_ != "LOCATION" or an_alias_not_a_place(s, seen)) \
                and len(seen[s.label_]) == 1 and len(seen) == 2:
            other = next(label for label in seen if label != s.label_)
            by_rule = any(not m.id_.startswith("crimeie_ner") for m in seen[other])
            if (len(seen[other]) >= 2 or by_rule) and {s.label_, other} not in _LABELS_A_NAME_SHARES \
                    and "CRIMINAL_ACTIVITY" not in (s.label_, other):
                s = _relabeled(s, other, "document")
        out.append(s)
    return out


def choose_mentions(candidates: list[Span], priorities: dict[str, int]) -> list[Span]:
    """Non-overlapping mentions, higher-ranked candidates first; result in text order."""
    chosen: list[Span] = []
    taken: set[int] = set()
    for span in sorted(candidates, key=lambda s: rank_key(s, priorities), reverse=True):
        tokens = set(range(span.start, span.end))
        if tokens & taken:
            continue
        chosen.append(span)
        taken |= tokens
    return sorted(chosen, key=lambda s: s.start)


_DANGLING = {"de", "del", "la", "el", "los", "las", "y", "e", "of", "the", "and", "in", "en", ",", "-", "–"}


@lru_cache(maxsize=1)
def _facility_type_words() -> frozenset[str]:
    """Lowercase words that follow a facility's name without being part of it (`El Dorado
    airport`, `the Manta air base`): the single-word type words and what may stand before them."""
    return facility_type_words() | {"air", "naval", "international", "military"}


def _trimmed(span: Span, capitalized_inside: set[str]) -> Span | None:
    """A candidate without a dangling connector at its end (`Agrupación Especializada de`): a
    name never ends in `de`, `of` or `and`, whichever component cut it there. A facility does
    not end in a lowercase type word either (GUIDELINES §2: `Tocorón prison` → `Tocorón`),
    whether a case-blind gazetteer variant or the NER put it there. A person's name does not
    start with the word that opens the sentence (`Besides Barbecue, …`) unless the article also
    writes that word capitalized inside a sentence (`Al Capone`)."""
    start, end = span.start, span.end
    first = span[0]
    if (span.label_ == "PERSON" and len(span) > 1 and first.is_sent_start and fold(first.text) in SENTENCE_WORDS
            and first.text not in capitalized_inside):
        start += 1
    while end > start and span.doc[end - 1].lower_ in _DANGLING:
        end -= 1
    if span.label_ == "FACILITY":
        while (end - 1 > start and span.doc[end - 1].is_lower
               and fold(span.doc[end - 1].text) in _facility_type_words()):
            end -= 1
    if (start, end) == (span.start, span.end):
        return span
    if end <= start:
        return None
    return _copy(span, start=start, end=end)


#: A dotted abbreviation whose own final period the tokenizer took as the sentence's (`EE.UU`, `R.D`).
_ABBREVIATION_WITHOUT_PERIOD = re.compile(r"^(?:[A-Za-zÁÉÍÓÚáéíóú]{1,3}\.)+[A-Za-zÁÉÍÓÚáéíóú]{1,3}$")


def _with_abbreviation_period(span: Span) -> Span:
    """`fentanilo hacia EE.UU. De acuerdo con…`: the tokenizer gives the period after `EE.UU` to the
    sentence, but it is the abbreviation's own, and a name written `EE.UU.` includes it (the
    sentence's period is then understood, as in `the U.S.`)."""
    doc, end = span.doc, span.end
    if (end < len(doc) and doc[end].text == "." and not doc[end - 1].whitespace_
            and _ABBREVIATION_WITHOUT_PERIOD.match(doc[end - 1].text)):
        return _copy(span, end=end + 1)
    return span


def _copy(span: Span, start: int | None = None, end: int | None = None, kb_id: str | None = None) -> Span:
    """`span` with new edges or kb_id, its extension values carried over (they are keyed by both)."""
    new = Span(span.doc, span.start if start is None else start, span.end if end is None else end, label=span.label_,
               kb_id=span.kb_id_ if kb_id is None else kb_id, span_id=span.id_)
    new._.crimeie_score = span._.crimeie_score
    new._.crimeie_key = span._.crimeie_key
    return new


def _relabeled(span: Span, label: str, reason: str) -> Span:
    """`span` read as `label` by a merge step, its source id marked with the reason; its score
    carried over, its kb_id and place key not (they belonged to the old reading)."""
    new = Span(span.doc, span.start, span.end, label=label, span_id=f"{span.id_}>{reason}")
    new._.crimeie_score = span._.crimeie_score
    return new


def _surnames_given(candidates: list[Span]) -> set[str]:
    """Every word after the first of a person's name of two words or more, alone and with the next,
    folded: what the article may use as surnames (`Guzmán` of `Iván Archivaldo Guzmán Salazar`,
    `Arellano Félix`)."""
    out = set()
    for s in candidates:
        if s.label_ == "PERSON" and len(s) > 1:
            for i in range(1, len(s)):
                out.add(fold(s[i].text))
                out.add(fold(s[i:i + 2].text))
    return out


def _common_word_at_sentence_start(span: Span, lowercase_words: set[str]) -> bool:
    """`Prison officials said...`: one capitalized word opening a sentence that the article also
    writes in lowercase (`the prison`), or a function word of the three languages (`Bajo su
    jefatura`, `Quién es`, `Estamos hablando`), is a common word, not a name. (The tagger's NOUN is no
    help here: it tags rare surnames such as `Marset` as nouns too.)"""
    token = span[0]
    return (len(span) == 1 and _opens_sentence(token) and span.label_ != "CRIMINAL_ACTIVITY"
            and (token.lower_ in lowercase_words or is_function_word(token.text)))


def _opens_sentence(token) -> bool:
    """The token opens a sentence, a paragraph (the senter may join a heading line to the paragraph
    after it: `Un imperio en el noroeste\n\nBajo su mando`), a quote that opens one, or a Spanish
    question or exclamation (`¿Qué es lo que quieren?`)."""
    doc = token.doc

    def at_start(t) -> bool:
        return t.is_sent_start or (t.i > 0 and doc[t.i - 1].is_space and "\n" in doc[t.i - 1].text)

    i = token.i
    if at_start(token):
        return True
    while i > 0 and i > token.i - 2 and doc[i - 1].text in _OPENERS:  # `«Lo de…`, `pregunta: “¿Qué…`
        i -= 1
        if at_start(doc[i]) or doc[i].text in _SPANISH_OPENING_MARKS:
            return True
    return False


#: Spanish opens every question and exclamation with its own mark, wherever the clause stands.
_SPANISH_OPENING_MARKS = {"¿", "¡"}
#: What may stand before a sentence's first word: an opening quote, or one of those marks.
_OPENERS = set(OPEN_QUOTES) | _SPANISH_OPENING_MARKS


def _opened_by_function_word(span: Span) -> bool:
    """`«Lo de Barbate no es...`, `Estamos en Cali`: the NER's longer mention that opens a sentence or
    a quote with a function word no name opens with is that word plus a name, not a name. The words
    names do open with (`Los Meleán`, `Del Golfo`, `A Ultranza PY`) are cue_words.json's
    `name_opening_words`."""
    token = span[0]
    return (len(span) > 1 and span.id_.startswith("crimeie_ner") and _opens_sentence(token)
            and fold(token.text) not in folded_cues("name_opening_words") and is_function_word(token.text))


_HEADING_MAX_WORDS = 10
_SENTENCE_END = tuple(".!?:;,")


def heading_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of the headings in an article: paragraphs of one short line (at most
    ten words) that do not end like a sentence (`A Highway Into the Forest`, `Quién es
    'Otoniel'`). Hard-wrapped lines are not headings: they have a line of the same paragraph
    beside them."""
    out, pos = [], 0
    for block in text.split("\n\n"):
        line = block.strip()
        if line and "\n" not in line and len(line.split()) <= _HEADING_MAX_WORDS \
                and not line.rstrip("\"'”’»").endswith(_SENTENCE_END):
            start = pos + block.index(line)
            out.append((start, start + len(line)))
        pos += len(block) + 2
    return out


def _unsupported_in_heading(span: Span, headings: list[tuple[int, int]]) -> bool:
    """A model's mention inside a heading whose text the article never writes outside its
    headings: headings capitalize every word (`Mercury in the Rivers`, `What Came After`), so the
    model's strongest cue says nothing there. A name the body also writes (`Quién es 'Otoniel'`)
    stays."""
    if not span.id_.startswith("crimeie_ner") or not any(
            a <= span.start_char and span.end_char <= b for a, b in headings):
        return False
    text, needle, i = span.doc.text, span.text, -1
    while True:
        i = text.find(needle, i + 1)
        if i < 0:
            return True
        if not any(a <= i < b for a, b in headings):
            return False


def _strictly_inside(span: Span, outer: list[tuple[int, int]]) -> bool:
    """`span` lies within one of the (start, end) token ranges `outer`, which is longer than it."""
    return any(a <= span.start and span.end <= b and b - a > len(span) for a, b in outer)


def _without_activities_inside_names(candidates: list[Span]) -> list[Span]:
    """A capitalized activity word inside a longer organization's name is part of that name
    (`Dirección de Lucha contra el Narcotráfico`, `Fiscalía Especializada contra la Extorsión`):
    nested names are not annotated separately (GUIDELINES §2), so the activity candidate yields
    to the name, whatever the components' priorities."""
    names = [(s.start, s.end) for s in candidates if s.label_ == "ORGANIZATION" and len(s) > 1]
    return [s for s in candidates
            if not (s.label_ == "CRIMINAL_ACTIVITY" and s[0].text[:1].isupper() and not s[0].is_sent_start
                    and _strictly_inside(s, names))]


def _without_places_inside_known_places(candidates: list[Span]) -> list[Span]:
    """A place the gazetteer knows by a longer name keeps it (`Spanish Town`, not the NER's
    `Town`; `San Juan de Lurigancho`, not `Lurigancho`): a LOCATION candidate strictly inside a
    longer gazetteer place yields to it."""
    known = [(s.start, s.end) for s in candidates if s.label_ == "LOCATION" and s.id_.startswith("crimeie_places:")]
    return [s for s in candidates if not (s.label_ == "LOCATION" and _strictly_inside(s, known))]


def _without_facilities_inside_typed_names(candidates: list[Span]) -> list[Span]:
    """A prison written with its capitalized type words keeps them (`Alcaçuz State Penitentiary`,
    not the gazetteer's `Alcaçuz`): a facility candidate strictly inside a facility name that ends
    in its type word yields to it. Lowercase type words stay out (`Tocorón prison` → `Tocorón`)."""
    typed = [(s.start, s.end) for s in candidates if s.label_ == "FACILITY" and s.id_.endswith(":name_with_type")]
    return [s for s in candidates if not (s.label_ == "FACILITY" and _strictly_inside(s, typed))]


def _without_facilities_inside_court_names(candidates: list[Span]) -> list[Span]:
    """`Penal de Arica` inside `Tribunal de Juicio Oral en lo Penal de Arica`: a `penal` found by
    the facility rule inside a longer organization's name that runs on through `en lo` is the
    court's subject, not a prison."""
    courts = [(s.start, s.end) for s in candidates if s.label_ == "ORGANIZATION"
              and any(t.text == "lo" and t.i > s.start and s.doc[t.i - 1].text == "en" for t in s)]
    return [s for s in candidates if not (s.label_ == "FACILITY" and _strictly_inside(s, courts))]


def _without_groups_cut_before_their_place(candidates: list[Span]) -> list[Span]:
    """`Sindicato do Crime do Rio Grande do Norte`: a known group's name that the article extends with
    `do`/`de` and a known place, all capitalized as one name, is that longer name; the gazetteer's
    shorter `Sindicato do Crime` yields to it."""
    longer = [s for s in candidates if s.label_ == "CRIMINAL_GROUP" and s.id_.startswith("crimeie_spanish_names:")]
    if not longer:
        return candidates
    places = place_index()
    out = []
    for s in candidates:
        if s.label_ == "CRIMINAL_GROUP" and s.id_.startswith("crimeie_gazetteer:"):
            if any(g.start == s.start and g.end > s.end + 1 and g.doc[s.end].lower_ in _OF_PLACE
                   and places.lookup(g.doc[s.end + 1:g.end].text) for g in longer):
                continue
        out.append(s)
    return out


_OF_PLACE = {"de", "do", "da", "del", "of"}


def _persons_after_known_names(candidates: list[Span]) -> list[Span]:
    """`el capo de la 'Ndrangheta Rocco Morabito`: a model's "person" that starts with a group,
    organization or place a gazetteer knows is that name and then the person. The rest of the
    span, two or more capitalized words, becomes a PERSON candidate of its own, so the person is
    not lost when the known name wins the overlap."""
    known = [s for s in candidates if s.label_ != "PERSON" and s.id_.startswith(("crimeie_gazetteer:", "crimeie_places:"))]
    if not known:
        return candidates
    extra = []
    for s in candidates:
        if s.label_ == "PERSON" and s.id_.startswith("crimeie_ner"):
            cut = max((k.end for k in known if k.start <= s.start < k.end < s.end - 1), default=None)
            if cut is not None and all(t.text[:1].isupper() for t in s.doc[cut:s.end]):
                extra.append(_copy(s, start=cut))
        elif s.label_ in ("ORGANIZATION", "CRIMINAL_GROUP") and s.id_.startswith(("crimeie_ner", "crimeie_spanish_names")):
            cut = max((k.end for k in known if k.start == s.start and k.label_ == s.label_ and k.end < s.end - 1),
                      default=None)
            person = _person_after_body(s, cut) if cut is not None else None
            if person is not None:
                extra.append(Span(s.doc, person[0], person[1], label="PERSON", span_id=f"{s.id_}>person_after_name"))
                extra[-1]._.crimeie_score = s._.crimeie_score
    return candidates + extra


def _person_after_body(span: Span, cut: int) -> tuple[int, int] | None:
    """`el juez de la Audiencia Nacional Baltasar Garzón`, `el Cartel de Medellín de Pablo Escobar`: a
    model's or a rule's body or group that runs on from a known name of the same label, through an
    optional `de`, into two to four capitalized words that are no place: those words are a person
    (the body's name ended where the gazetteer's did)."""
    doc = span.doc
    joined = doc[cut].lower_ in ("de", "del", "of")
    if span.label_ == "CRIMINAL_GROUP" and not joined:
        return None  # `Zetas Vieja Escuela`: a faction's longer name, not a person
    start = cut + 1 if joined else cut
    words = doc[start:span.end]
    if not 2 <= len(words) <= 4 or not all(t.is_alpha and t.text[:1].isupper() for t in words):
        return None
    if fold(words[0].text) in folded_cues("name_opening_words") or place_index().lookup(words.text):
        return None
    body_words = folded_cues("organization_cues", "group_cues", "group_type_words")
    if any(fold(t.text) in body_words for t in words):
        return None  # `United Nations Human Rights Office`: a body of the body
    return start, span.end


#: Words that join two names in a list: `Ate y San Martín de Porres`, `Salamanca e Irapuato`.
_AND_WORDS = {"y", "e", "and"}
#: Alternatives are never one place's name: `Ate o San Juan de Lurigancho`.
_OR_WORDS = {"o", "u", "or"}


def _pieces_at_line_breaks(span: Span) -> list[tuple[int, int]]:
    """The token ranges of a candidate between line breaks: no name runs from a heading into the
    paragraph below it (`Comayagüela⏎⏎Tegucigalpa`, `El Perú Model⏎⏎Nowhere`)."""
    pieces, start = [], span.start
    for token in span:
        if "\n" in token.text:
            pieces.append((start, token.i))
            start = token.i + 1
    pieces.append((start, span.end))
    return [(a, b) for a, b in pieces if b > a]


def _place_list_pieces(span: Span, known_place) -> list[tuple[int, int]] | None:
    """A model's LOCATION that is two places joined by a conjunction (`Ate y San Martín de
    Porres`, `Europa y África`): the two places, when the word is `o`/`or`, when one side is a
    place the gazetteer knows, or when the span ends a comma-separated list. A place whose whole
    name has a conjunction (`Arica y Parinacota`, `Trinidad and Tobago`) is kept whole."""
    doc = span.doc
    joins = [t.i for t in span[1:-1] if t.lower_ in _AND_WORDS | _OR_WORDS]
    if len(joins) != 1 or known_place(span.text):
        return None
    k = joins[0]
    left, right = doc[span.start:k], doc[k + 1:span.end]
    if not (left[0].text[:1].isupper() and right[0].text[:1].isupper()):
        return None
    in_list = span.start > 0 and doc[span.start - 1].text == ","
    if doc[k].lower_ in _OR_WORDS or in_list or known_place(left.text) or known_place(right.text):
        return [(span.start, k), (k + 1, span.end)]
    return None


_COORDINATORS = {"y", "e"}


def _coordinated_bodies(span: Span, body_starts: set[int]) -> list[tuple[int, int]] | None:
    """A rule's organization that is two bodies joined by `y la` / `y el` (`las Fuerzas Militares
    y la Policía`, `la Fiscalía Regional de Arica y Parinacota y la Policía de Investigaciones`):
    the two bodies, where another source proposes an organization starting right after the
    article. A name whose own words hold `y la` (`Fundación para la Justicia y el Estado
    Democrático de Derecho`) has no other body starting inside it, and stays whole."""
    doc = span.doc
    for t in span[1:-2]:
        k = t.i
        if t.lower_ in _COORDINATORS and doc[k + 1].lower_ in SPANISH_ARTICLES and k + 2 in body_starts:
            return [(span.start, k), (k + 2, span.end)]
    return None


def _coordinated_names(span: Span) -> list[tuple[int, int]] | None:
    """A place, facility, group or person that is two names joined by a conjunction and an
    article (`el Puente Internacional del Comercio Mundial y el Juárez-Lincoln`, `the Sinaloa Cartel
    and the CJNG`): the two names. Only a body's name holds `y la` / `y el` as its own words
    (`Oficina de las Naciones Unidas contra la Droga y el Delito`), and a country's (`Saint Vincent
    and the Grenadines`), which the caller keeps whole."""
    doc = span.doc
    for t in span[1:-2]:
        k = t.i
        if t.lower_ in _AND_WORDS and doc[k + 1].lower_ in ARTICLES and doc[k + 2].text[:1].isupper():
            # A capitalized article is the second name's own (`Los Funes y Los Ungaro`).
            return [(span.start, k), (k + 1 if doc[k + 1].text[:1].isupper() else k + 2, span.end)]
    return None


def _split(candidates: list[Span]) -> list[Span]:
    index = place_index()
    body_starts = {s.start for s in candidates if s.label_ == "ORGANIZATION"}

    def known_place(text: str) -> bool:
        return bool(index.lookup(text))

    out = []
    for s in candidates:
        pieces = _pieces_at_line_breaks(s)
        if len(pieces) == 1 and s.label_ == "LOCATION" and s.id_.startswith("crimeie_ner"):
            pieces = _place_list_pieces(s, known_place) or pieces
        elif len(pieces) == 1 and s.label_ == "ORGANIZATION" and s.id_.startswith("crimeie_spanish_names"):
            pieces = _coordinated_bodies(s, body_starts) or pieces
        if len(pieces) == 1 and s.label_ != "ORGANIZATION" and not known_place(s.text):
            pieces = _coordinated_names(s) or pieces
        if pieces == [(s.start, s.end)]:
            out.append(s)
            continue
        for a, b in pieces:
            if s.doc[a].text[:1].isupper() and not (b - a == 1 and is_function_word(s.doc[a].text)):
                out.append(_copy(s, start=a, end=b))
    return out


class CandidateMerger:
    def __init__(self, name: str, priorities: dict[str, int], min_score: float, nationality_adjectives: str,
                 nlp: Language | None = None):
        self.name, self.priorities, self.min_score = name, priorities, min_score
        self.nlp, self._english = nlp, None
        self.adjectives = set(load_json(nationality_adjectives, ["adjectives"])["adjectives"])
        #: `el fiscal general de la República`: the word alone names no particular place or body.
        self.not_names_alone = folded_cues("not_a_name_alone")
        self.not_name_heads = folded_cues("not_a_name_heads")
        self.not_name_heads_lowercase = folded_cues("not_a_name_heads_lowercase")
        self.unit_words = folded_cues("group_unit_words")
        self.group_heads = folded_cues("group_name_heads") - folded_cues("group_heads_not_alone")
        self.settlement_words = folded_cues("settlement_nouns", "settlement_nouns_after")
        # Every word of the facility type phrases (`centro penitenciario`, `internado judicial`).
        self.facility_words = frozenset(w for phrase in folded_cues("facility_heads", "facility_final_words")
                                        for w in phrase.split() if not is_function_word(w))

    def _nationality_adjective(self, span: Span) -> bool:
        """`Colombian`, `Colombian army`: a nationality adjective with nothing capitalized after it
        is not a mention (GUIDELINES §2); `Peruvian National Police` is."""
        if span.label_ == "CRIMINAL_ACTIVITY":
            return False
        for n in (3, 2, 1):  # `Afro-Colombian`, then `Costa Rican` before `Costa`
            words = span[:n].text
            # `Hondurans`, `Venezuelans`: the people of a nation, no one in particular
            if words in self.adjectives or (words.endswith("s") and words[:-1] in self.adjectives):
                return all(not t.text[:1].isupper() for t in span[n:])
        return False

    def _english_words(self) -> frozenset[str]:
        """The English words en_core_web_sm's lemmatizer knows (its lemma index: about 83,000 nouns,
        verbs, adjectives and adverbs), read on first use, when the pipeline's tables have loaded;
        empty where the pipeline has no such lemmatizer."""
        if self._english is None:
            words: set[str] = set()
            if self.nlp is not None and "lemmatizer" in self.nlp.pipe_names:
                lookups = self.nlp.get_pipe("lemmatizer").lookups
                if lookups.has_table("lemma_index"):
                    index = lookups.get_table("lemma_index")
                    words = {w for key in index.keys() for w in index[key] if w.isalpha() and w.islower()}
            self._english = frozenset(words)
        return self._english

    def _english_word_at_sentence_start(self, span: Span, capitalized_inside: set[str], english: frozenset[str]) -> bool:
        """`Testimony at El Chapo's trial…`, `Genuine or not, the letter…`: in English text, one word the
        NER read as a name where it opens a sentence, that is an English word and that the article
        never capitalizes inside a sentence, is that word, not a name (`Coke` stays: the article also
        writes `Christopher Coke`). The lemma index also holds capitals (`washington`, `quito`), so a
        known place and a dateline in capitals are never taken for common words, and a body's or a
        group's own word stays a name (`Congress has repeatedly extended…`)."""
        token = span[0]
        return (len(span) == 1 and span.id_.startswith("crimeie_ner") and span.label_ != "CRIMINAL_ACTIVITY"
                and not token.text.isupper() and token.lower_ in english and token.text not in capitalized_inside
                and _opens_sentence(token) and not place_index().lookup(token.text)
                and token.lower_ not in folded_cues("organization_cues", "group_cues"))

    def _names_a_family(self, span: Span, surnames: set[str]) -> bool:
        """`the Treviño brothers`, `the Guzmán family`, `los hermanos Guzmán`: a surname that names a
        family is no one person's mention (nor a place, as a model or the gazetteer may read it:
        `the Cárdenas family`), and the family is no group unless the text names it as one."""
        return span.label_ in ("PERSON", "LOCATION") and names_a_family(span.doc, span.start, span.end, surnames)

    def _names_a_plan_law_or_operation(self, span: Span) -> bool:
        """`Plan Bandera`, `Operación Dakovo`, `Mito` in `la llamada operación Mito`, and `Urgente
        Consideración` in `Ley de Urgente Consideración`: plans, laws and operations take no label
        of the guidelines."""
        doc, i = span.doc, span.start
        if fold(span[0].text) in self.not_name_heads and span[0].text[:1].isupper():
            return True
        if _code_named(doc, i):
            return True
        if i >= 2 and doc[i - 1].lower_ in ("de", "del", "of") and doc[i - 2].text[:1].isupper():
            i -= 1
        if i >= 1 and doc[i - 1].text in OPEN_QUOTES:  # `el operativo denominado “Golpe de Timón”`
            i -= 1
            if i >= 1 and doc[i - 1].lower_ in _NAMING_WORDS:
                i -= 1
        if i < 1:
            return False
        head = fold(doc[i - 1].text)
        return (head in self.not_name_heads and doc[i - 1].text[:1].isupper()) or head in self.not_name_heads_lowercase

    def __call__(self, doc: Doc) -> Doc:
        lowercase_words, capitalized_inside = set(), set()
        for t in doc:
            if t.text.islower():
                lowercase_words.add(t.text)
            elif t.text[:1].isupper() and not t.is_sent_start:
                capitalized_inside.add(t.text)
        idioms = activity_idioms()
        headings = heading_ranges(doc.text)
        candidates = [s for s in doc.spans.get(CANDIDATES, []) if (s._.crimeie_score or 0.0) >= self.min_score
                      and not (s.label_ == "CRIMINAL_ACTIVITY" and is_idiom(s, idioms))]
        trimmed = (_trimmed(s, capitalized_inside) for s in _split(candidates))
        candidates = [_with_abbreviation_period(s) for s in trimmed if s is not None]
        surnames = _surnames_given(candidates)
        english = self._english_words() if guess_language(doc.text) == "en" else frozenset()
        candidates = [s for s in candidates if not self._nationality_adjective(s)
                      and not self._names_a_plan_law_or_operation(s)
                      and not self._names_a_family(s, surnames)
                      and not _common_word_at_sentence_start(s, lowercase_words)
                      and not self._english_word_at_sentence_start(s, capitalized_inside, english)
                      and not _opened_by_function_word(s)
                      and not _unsupported_in_heading(s, headings)
                      and not (len(s) == 1 and fold(s.text) in self.not_names_alone)]
        candidates = _without_activities_inside_names(candidates)
        candidates = _without_places_inside_known_places(candidates)
        candidates = _without_facilities_inside_typed_names(candidates)
        candidates = _without_facilities_inside_court_names(candidates)
        candidates = _without_groups_cut_before_their_place(candidates)
        candidates = _persons_after_known_names(candidates)
        chosen = _quoted_translations(doc, choose_mentions(candidates, self.priorities))
        chosen = _named_units_by_their_names(chosen, self.unit_words)
        chosen = _group_heads_as_short_names(chosen, self.group_heads)
        places = {(c.start, c.end) for c in candidates if c.label_ == "LOCATION" and not c.id_.startswith("crimeie_ner")}
        chosen = _model_readings_corrected(chosen, self.settlement_words, self.facility_words, places)
        chosen = _model_labels_made_consistent(chosen)
        # A gazetteer entry's canonical name (`kb_id_`) ties `PCC` to `Primeiro Comando da Capital`;
        # keep it when another source won the same span.
        known = {(s.start, s.end, s.label_): s.kb_id_ for s in candidates if s.kb_id_}
        chosen = [_copy(s, kb_id=known[s.start, s.end, s.label_])
                  if not s.kb_id_ and (s.start, s.end, s.label_) in known else s for s in chosen]
        doc.ents = filter_spans(chosen)
        return doc


@Language.factory("crimeie_merge", assigns=["doc.ents"],
                  default_config={"priorities": DEFAULT_PRIORITIES, "min_score": 0.0,
                                  "nationality_adjectives": "nationality_adjectives.json"})
def make_merge(nlp: Language, name: str, *, priorities: dict[str, int], min_score: float, nationality_adjectives: str):
    return CandidateMerger(name, dict(priorities), min_score, nationality_adjectives, nlp)
