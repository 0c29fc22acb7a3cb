"""Aliases of people in every written form, linked to the person they name.

`Héctor Guerrero Flores, alias “Niño Guerrero”`, `alias Niño Guerrero`, `X (aka: Y)`,
`X, a.k.a. Y`, `also known as Y`, `nicknamed Y`, `conocido como Y`, `apodado Y`,
`alias el Y` (a lowercase article stays out), and a nickname inside a name:
`Héctor “El Niño” Guerrero` is one mention; `alias “Niño” Guerrero` gives `Niño” Guerrero`
(GUIDELINES §2: first letter to last). Both the name and the alias become PERSON candidates
and are linked, so the entity grouper puts them in one entity whose name is the legal name.
Single-word aliases are kept.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp.extensions import CANDIDATES, add_candidate, add_link
from pipeline.nlp.facilities import PRISON_MODIFIERS, PRISON_NAME_HEADS, PRISON_TYPE_WORDS, number_after
from pipeline.nlp.lexicon import fold, folded_cues, load_json
from pipeline.nlp.names import CONNECTORS, SENTENCE_WORDS, is_capitalized, is_word_hyphen, title_words

OPEN_QUOTES = {"“", "\"", "'", "‘", "«", "„"}
CLOSE_QUOTES = {"”", "\"", "'", "’", "»", "“"}


def _quoted(doc: Doc, i: int, limit: int = 8) -> tuple[int, int, int] | None:
    """If a quote opens at token i: (first, end, after) of the quoted tokens and the index after the close."""
    if i >= len(doc) or doc[i].text not in OPEN_QUOTES:
        return None
    for j in range(i + 1, min(i + 2 + limit, len(doc))):
        if doc[j].text in CLOSE_QUOTES and j > i + 1:
            end = j
            while end > i + 1 and doc[end - 1].text in (".", ",", ";", ":"):
                end -= 1  # American style puts the sentence's period inside the quotes
            return (i + 1, end, j + 1) if end > i + 1 else None
    return None


def _name_after(doc: Doc, i: int, max_len: int = 5) -> tuple[int, int] | None:
    """A capitalized alias starting at i (`Niño Guerrero`, `Koki`, `El Mencho`). The parser may
    start a sentence after `a.k.a.`; the cue before it says otherwise, so that is ignored."""
    if i >= len(doc) or not is_capitalized(doc[i]):
        return None
    j = i + 1
    while j < len(doc) and j - i < max_len:
        if is_capitalized(doc[j]) and not doc[j].is_sent_start:
            j += 1
        elif _joins_name(doc, j) and j + 1 < len(doc) and is_capitalized(doc[j + 1]):
            j += 2
        else:
            break
    return i, j


def _joins_name(doc: Doc, j: int) -> bool:
    """Token j (j > 0) can join two capitalized words into one name: a particle (`de`, `da`) or a
    hyphen inside a word (`Beira-Mar`), not a dash between words."""
    return doc[j].text in CONNECTORS or is_word_hyphen(doc, j)


def name_before(doc: Doc, end: int, titles: set[str], max_len: int = 7) -> tuple[int, int] | None:
    """The capitalized name that ends just before `end` (`Héctor Rusthenford Guerrero Flores`). It
    does not reach back into a known body's name (`el exdirector de la Policía Nacional Juan Carlos
    Bonilla`)."""
    j = end
    i = j
    bodies = {k for s in doc.spans.get(CANDIDATES, []) if s.label_ == "ORGANIZATION"
              and s.id_.startswith("crimeie_gazetteer") and s.end <= end for k in range(s.start, s.end)}
    while i > 0 and j - i < max_len and i - 1 not in bodies:
        token = doc[i - 1]
        if is_capitalized(token) or (i >= 2 and _joins_name(doc, i - 1) and is_capitalized(doc[i - 2]) and i < j) \
                or (i >= 3 and i < j and doc[i - 1].text in CONNECTORS and doc[i - 2].text in CONNECTORS
                    and is_capitalized(doc[i - 3])):  # `Piñón de la Cruz`
            i -= 1
            if token.is_sent_start:
                break
        else:
            break
    while i < j and (doc[i].text in CONNECTORS or fold(doc[i].text.rstrip(".")) in titles
                     or fold(doc[i].text) in SENTENCE_WORDS):
        i += 1
    return (i, j) if i < j else None


def _skip_age(doc: Doc, k: int) -> int:
    """Step back over an age between a name and its alias cue: `Yorbis Mendoza, 34, known as
    “El Gocho”`, `Kevin Flores Matamoros (27), alias “El Tapir”`, `Pérez Lugo, de 27 años,`."""
    if k >= 2 and doc[k - 1].like_num and len(doc[k - 1]) <= 3 and doc[k - 2].text == ",":
        return k - 2
    if k >= 3 and doc[k - 1].text == ")" and doc[k - 2].like_num and len(doc[k - 2]) <= 3 and doc[k - 3].text == "(":
        return k - 3
    if (k >= 4 and doc[k - 1].lower_ in ("años", "anos") and doc[k - 2].like_num and len(doc[k - 2]) <= 3
            and doc[k - 3].lower_ == "de" and doc[k - 4].text == ","):
        return k - 4  # `Pérez Lugo, de 27 años, a quien …`
    return k


class AliasFinder:
    def __init__(self, name: str, cues_file: str, score: float):
        self.name, self.score = name, score
        data = load_json(cues_file, ["cues", "weak_cues", "lowercase_articles"])
        # Cues by their first word, longest first: one dict lookup per token, not one per cue.
        self.cues: dict[str, list[tuple[str, ...]]] = {}
        for cue in sorted((tuple(c) for c in data["cues"]), key=len, reverse=True):
            self.cues.setdefault(cue[0], []).append(cue)
        self.weak = {tuple(c) for c in data["weak_cues"]}
        self.name_required = {tuple(c) for c in data.get("name_required_cues", [])}
        self.articles = set(data["lowercase_articles"])
        bare = data.get("repeat_without_article", {})
        self.repeat_articles, self.before_bare_repeat = set(bare.get("articles", [])), set(bare.get("after", []))
        self.group_words = folded_cues("group_type_words")
        self.group_articles = set(data.get("group_articles", []))
        self.titles = title_words()
        self.verbs_before_cue = set(data.get("verbs_before_cue", []))
        links = data.get("also_named_links", {})
        self.or_words, self.and_words, self.as_words, self.also_words = (
            set(links.get(k, [])) for k in ("or", "and", "as", "also"))
        relative = data.get("relative_cues", {})
        self.relative_pronouns = [tuple(p) for p in relative.get("pronouns", [])]
        self.relative_verbs = sorted((tuple(v) for v in relative.get("verbs", [])), key=len, reverse=True)
        self.relative_gap = int(relative.get("max_gap", 0))
        self.appositive_openers = set(data.get("appositive_openers", []))
        self.appositive_articles = set(data.get("appositive_nickname_articles", []))

    def __call__(self, doc: Doc) -> Doc:
        lower = [t.lower_ for t in doc]
        found: list[Span] = []
        person_of: dict[tuple[int, int], Span] = {}  # alias (start, end) -> the name it was linked to
        i = 0
        while i < len(doc):
            cue = next((c for c in self.cues.get(lower[i], ()) if tuple(lower[i:i + len(c)]) == c), None)
            if cue is None:
                i += 1
                continue
            after = i + len(cue)
            while after < len(doc) and doc[after].text in (":", "."):
                after += 1  # `aka:`; `a.k.a.` tokenized as `a.k.a` + `.`
            grouped = self._group_alias(doc, i, after, cue)
            if grouped is not None:
                # `Los Tlacos, also known as the Cártel de la Sierra`: one group's two names.
                add_link(doc, grouped[0], grouped[1], "alias")
                i = grouped[1].end
                continue
            alias = self._alias_at(doc, after, cue)
            if alias is None:
                i += 1
                continue
            a_start, a_end = alias
            if cue in self.weak and not (a_start > 0 and doc[a_start - 1].text in OPEN_QUOTES) \
                    and not self._after_age(doc, i):
                i += 1
                continue  # `called`/`dubbed` count only before a quoted name, or right after an age
            facility = self._facility_before(doc, i)
            if facility is not None:
                # `the Itagüí maximum-security prison, known as La Paz`: the nickname of a prison.
                a_end = number_after(doc, a_end)  # `known as Cereso 3`
                nickname = add_candidate(doc, Span(doc, a_start, a_end, label="FACILITY"),
                                         f"{self.name}:facility_alias", self.score)
                if facility[1] > facility[0]:
                    named = add_candidate(doc, Span(doc, facility[0], facility[1], label="FACILITY"),
                                          f"{self.name}:facility_name", self.score)
                    add_link(doc, named, nickname, "alias")
                i = a_end
                continue
            # The person: the name right before the cue, skipping a comma or an opening parenthesis.
            k = i
            while k > 0 and doc[k - 1].text in {",", "(", "–", "—", "-"}:
                k -= 1
            if doc[a_start].text in self.group_articles or (k > 0 and fold(doc[k - 1].text) in self.group_words):
                # `the group known as Los Huistas`: the name of a group, which the group rules type.
                i = a_end
                continue
            k = _skip_age(doc, k)
            person = name_before(doc, k, self.titles) if k < i or cue[0] == "(" else name_before(doc, i, self.titles)
            if cue in self.name_required and person is None:
                i += 1
                continue  # `(a)` with no name before it is a list item, not an alias
            person_span = None
            if person is None and cue not in self.name_required:
                person_span = self._subject_of(doc, i, found, person_of)
            alias_span = add_candidate(doc, Span(doc, a_start, a_end, label="PERSON"), f"{self.name}:alias", self.score)
            if person is not None and person[1] <= a_start:
                person_span = add_candidate(doc, Span(doc, person[0], person[1], label="PERSON"),
                                            f"{self.name}:name", self.score)
            i = self._record_alias(doc, person_span, alias_span, found, person_of)
        self._relative_aliases(doc, found, person_of)
        self._appositive_nicknames(doc, found, person_of)
        self._repeat_aliases(doc, found, self._inner_nicknames(doc))
        return doc

    def _group_alias(self, doc: Doc, cue_start: int, after: int, cue: tuple[str, ...]) -> tuple[Span, Span] | None:
        """(named, alias) when a group's name stands before the cue (`Los Tlacos, also known as the
        Cártel de la Sierra`, `Los Tlacos, a regional armed group sometimes called the Cártel de la
        Sierra`): the cue names the group again. The alias is the group name the group rules found
        after the cue or, where they found none, after a comma (`La Familia Michoacana, también
        conocida como La Nueva Familia`), the name the cue gives, typed a group."""
        groups = [s for s in doc.spans.get(CANDIDATES, []) if s.label_ == "CRIMINAL_GROUP"]
        if not groups:
            return None
        start = after + 1 if after < len(doc) and doc[after].lower_ in self.appositive_openers else after
        alias = max((s for s in groups if s.start == start), key=len, default=None)
        k = cue_start
        while k > 0 and cue_start - k < 4 and doc[k - 1].lower_ in self.verbs_before_cue | self.also_words:
            k -= 1  # `Los Tlacos, which is also known as`, `sometimes called`
        set_off = k
        while k > 0 and doc[k - 1].text in {",", "("}:
            k -= 1
        named = max((s for s in groups if s.end == k), key=len, default=None)
        if alias is None:
            # Only a name set off by a comma: `a leader of the CJNG known as El Mencho` names a person.
            quoted = 0 < after < len(doc) and (doc[after].text in OPEN_QUOTES or doc[after - 1].text in OPEN_QUOTES)
            given = self._alias_at(doc, after, cue) if named is not None and k < set_off \
                and (cue not in self.weak or quoted) else None
            if given is None:
                return None
            alias = add_candidate(doc, Span(doc, given[0], given[1], label="CRIMINAL_GROUP"),
                                  f"{self.name}:group_alias", self.score)
        if named is None:
            # `Los Tlacos, a regional armed group sometimes called …`: an appositive with a group word.
            sent_start = doc[cue_start].sent.start
            for c in range(k - 1, max(k - 7, sent_start), -1):
                if doc[c].text == "," and c + 1 < k and doc[c + 1].lower_ in self.appositive_openers \
                        and any(fold(doc[w].text) in self.group_words for w in range(c + 1, k)):
                    named = max((s for s in groups if s.end == c), key=len, default=None)
                    break
        return (named, alias) if named is not None and named.end <= alias.start else None

    @staticmethod
    def _after_age(doc: Doc, cue_start: int) -> bool:
        """An age stands between a name and the cue (`Oshane Grant, 19, called Tuffy`): a police
        list, where an unquoted nickname after `called` is still a nickname."""
        k = cue_start
        while k > 0 and doc[k - 1].text == ",":
            k -= 1
        return _skip_age(doc, k) < k

    def _appositive_nicknames(self, doc: Doc, found: list[Span], person_of: dict) -> None:
        """A quoted nickname set off after a person's full name by a comma and a lowercase article,
        with no cue word (`junto a Héctor Rusthenford Guerrero Flores, el “Niño Guerrero”`). A
        one-word name before it is no one's full name (`en Caracas, el “Koki”`), and a quoted name
        another rule knows as a group or a body is not a nickname (`..., el “Tren de Aragua”`)."""
        if not self.appositive_articles:
            return
        taken = {(a.start, a.end) for a in found}
        named = {(s.start, s.end) for s in doc.spans.get(CANDIDATES, [])
                 if s.label_ in ("CRIMINAL_GROUP", "ORGANIZATION") and not s.id_.startswith("crimeie_ner")}
        for i in range(2, len(doc) - 2):
            if doc[i].text not in self.appositive_articles or doc[i - 1].text != "," \
                    or doc[i + 1].text not in OPEN_QUOTES:
                continue
            person = name_before(doc, i - 1, self.titles)
            alias = self._alias_at(doc, i + 1, ("el",))
            if person is None or person[1] - person[0] < 2 or alias is None or alias in taken or alias in named \
                    or doc[alias[0]].text in self.group_articles:
                continue
            self._record_person_alias(doc, person, alias, found, person_of)

    def _relative_aliases(self, doc: Doc, found: list[Span], person_of: dict) -> None:
        """An alias given in a relative clause after the name, a few words between the pronoun and
        the verb: `Pérez Lugo, de 27 años, a quien dentro de la banda llamaban “Maracucho”`,
        `Méndez Ríos, a quien apodaban la Contadora`, `Kemar Brown, whom police call “Tallman”`."""
        if not self.relative_pronouns:
            return
        lower = [t.lower_ for t in doc]
        first_words = {p[0] for p in self.relative_pronouns}
        taken = {(a.start, a.end) for a in found}
        for i in range(1, len(doc)):
            if lower[i] not in first_words:
                continue
            pronoun = next((p for p in self.relative_pronouns if tuple(lower[i:i + len(p)]) == p), None)
            if pronoun is None:
                continue
            k = i
            while k > 0 and doc[k - 1].text == ",":
                k -= 1
            k = _skip_age(doc, k)
            person = name_before(doc, k, self.titles) if k < i else None
            if person is None:
                continue
            sent_end = doc[i].sent.end
            j, verb = i + len(pronoun), None
            while j < min(sent_end, i + len(pronoun) + self.relative_gap + 1) and verb is None:
                verb = next((v for v in self.relative_verbs if tuple(lower[j:j + len(v)]) == v), None)
                j += 1 if verb is None else 0
            if verb is None:
                continue
            alias = self._alias_at(doc, j + len(verb), verb)
            if alias is None or alias in taken or doc[alias[0]].text in self.group_articles:
                continue
            self._record_person_alias(doc, person, alias, found, person_of)
            taken.add(alias)

    def _record_person_alias(self, doc: Doc, person: tuple[int, int], alias: tuple[int, int], found: list[Span],
                             person_of: dict) -> int:
        """Propose a person's name and an alias of theirs (token ranges) and link them."""
        person_span = add_candidate(doc, Span(doc, person[0], person[1], label="PERSON"), f"{self.name}:name", self.score)
        alias_span = add_candidate(doc, Span(doc, alias[0], alias[1], label="PERSON"), f"{self.name}:alias", self.score)
        return self._record_alias(doc, person_span, alias_span, found, person_of)

    def _record_alias(self, doc: Doc, person_span: Span | None, alias_span: Span, found: list[Span],
                      person_of: dict) -> int:
        """Link an alias to its person (if one was found) and chain the aliases written after it
        (`or “B”`), each linked to the person, else to the first alias; where the last one ends."""
        if person_span is not None:
            add_link(doc, person_span, alias_span, "alias")
            person_of[(alias_span.start, alias_span.end)] = person_span
        found.append(alias_span)
        end = alias_span.end
        for b_start, b_end in self._also_named(doc, alias_span.start, alias_span.end):
            more = add_candidate(doc, Span(doc, b_start, b_end, label="PERSON"), f"{self.name}:alias", self.score)
            add_link(doc, person_span if person_span is not None else alias_span, more, "alias")
            if person_span is not None:
                person_of[(more.start, more.end)] = person_span
            found.append(more)
            end = max(end, b_end)
        return end

    def _subject_of(self, doc: Doc, cue_start: int, found: list[Span], person_of: dict) -> Span | None:
        """The person a cue refers to when a verb stands between the name and the cue
        (`Marcos Arturo Beltrán Leyva was known as`, `Alfredo was called`), or when the
        sentence gave an alias just before (`Héctor Beltrán Leyva, alias “El H”, also went by`)."""
        k = cue_start
        while k > 0 and cue_start - k < 5 and doc[k - 1].lower_ in self.verbs_before_cue:
            k -= 1
        if k == cue_start:
            return self._appositive_subject(doc, cue_start)
        while k > 0 and doc[k - 1].text == ",":
            k -= 1
        person = name_before(doc, k, self.titles)
        if person is not None:
            span = add_candidate(doc, Span(doc, person[0], person[1], label="PERSON"), f"{self.name}:name", self.score)
            return span
        # `…, alias “El H”, also went by`: the alias that ends here names the same person.
        while k > 0 and doc[k - 1].text in CLOSE_QUOTES:
            k -= 1
        for alias in reversed(found):
            if alias.end == k and alias.sent.start == doc[cue_start].sent.start:
                return person_of.get((alias.start, alias.end))
        return None

    def _appositive_subject(self, doc: Doc, cue_start: int, max_words: int = 8) -> Span | None:
        """`Jimmy Chérizier, a former PNH officer better known as ‘Barbecue’`: a short description
        opened by an article stands between the name and the cue."""
        sent_start = doc[cue_start].sent.start
        for k in range(cue_start - 1, max(cue_start - max_words - 2, sent_start), -1):
            if doc[k].text in {",", ";", "(", ")"}:
                if doc[k].text != "," or k + 1 >= cue_start or doc[k + 1].lower_ not in self.appositive_openers:
                    return None
                person = name_before(doc, k, self.titles)
                if person is None or person[1] - person[0] < 2:
                    return None  # a full name only: `the CV, a hybrid nicknamed …` names no person
                return add_candidate(doc, Span(doc, person[0], person[1], label="PERSON"), f"{self.name}:name", self.score)
        return None

    def _also_named(self, doc: Doc, a_start: int, a_end: int) -> list[tuple[int, int]]:
        """More quoted aliases chained after a quoted one: `known as “Z-40” or “40”`, `known as
        “El Barbas” and, to his admirers, as “El Jefe de Jefes”`, `“Peixão” (“Big Fish”)`.
        `and` needs `as` after it: `alias “El Flaco” y “El Gordo”` may be two people."""
        out: list[tuple[int, int]] = []
        n = len(doc)
        if a_start == 0 or doc[a_start - 1].text not in OPEN_QUOTES:
            # `alias el Zarco o Tigrillo,`: one more unquoted name after `or`, ending the clause.
            k = a_end
            if k + 1 < n and doc[k].lower_ in self.or_words:
                k += 1
                if doc[k].lower_ in self.articles and not is_capitalized(doc[k]):
                    k += 1
                more = _name_after(doc, k, 3)
                if more and more[1] < n and doc[more[1]].text in {",", ".", ";", ")"}:
                    out.append(more)
            return out
        j = a_end
        while j < n and (doc[j].text in CLOSE_QUOTES or doc[j].text == "."):
            j += 1
        sent_end = doc[a_start].sent.end
        while j < sent_end:
            k = j
            if doc[k].text == "(":
                q = _quoted(doc, k + 1, limit=5)
                if not q or q[2] >= n or doc[q[2]].text != ")":
                    break
                first, end = q[0], q[1]
                after = q[2] + 1
            else:
                if doc[k].text == ",":
                    k += 1
                if k >= n or doc[k].lower_ not in self.or_words | self.and_words:
                    break
                needs_as = doc[k].lower_ in self.and_words
                k += 1
                if k < n and doc[k].text == ",":  # `and, to his admirers, as`
                    m = k + 1
                    while m < min(n, k + 8) and doc[m].text != ",":
                        m += 1
                    if m >= n or doc[m].text != ",":
                        break
                    k = m + 1
                if k < n and doc[k].lower_ in self.also_words:
                    k += 1  # `y también como “Comandante H”`
                if k < n and doc[k].lower_ in self.as_words:
                    k += 1
                elif needs_as:
                    break
                q = _quoted(doc, k)
                if not q:
                    break
                first, end, after = q
            if first < end and doc[first].lower_ in self.articles and not is_capitalized(doc[first]) and end - first > 1:
                first += 1
            if not is_capitalized(doc[first]):
                break
            out.append((first, end))
            j = after
        return out

    @staticmethod
    def _facility_before(doc: Doc, cue_start: int) -> tuple[int, int] | None:
        """If what the cue names is a prison: (start, end) of its capitalized name (`Complejo
        Penitenciario de Arica`), or an empty range when only a type word precedes (`prison`)."""
        k = cue_start
        while k > 0 and doc[k - 1].text in {",", "("}:
            k -= 1
        # `Centro de Reinserción Social Estatal No. 3, known as`: the words end before its number.
        name_end = k
        for width in (3, 2, 1):
            if k - width > 0 and number_after(doc, k - width) == k:
                k -= width
                break
        if k == 0:
            return None
        last = fold(doc[k - 1].text)
        if not is_capitalized(doc[k - 1]):
            if last not in PRISON_TYPE_WORDS:
                return None
            # `the Itagüí maximum-security prison`: the name before the type word and its modifiers.
            j = k - 1
            while j > 0 and not is_capitalized(doc[j - 1]) and fold(doc[j - 1].text) in PRISON_MODIFIERS:
                j -= 1
            i = j
            while i > 0 and is_capitalized(doc[i - 1]) and not doc[i - 1].is_sent_start:
                i -= 1
            return (i, j) if i < j else (k, k)
        start = k - 1
        while start > 0 and (is_capitalized(doc[start - 1]) or doc[start - 1].text in CONNECTORS):
            start -= 1
        while start < k and doc[start].text in CONNECTORS:
            start += 1
        return (start, name_end) if fold(doc[start].text) in PRISON_NAME_HEADS else None

    def _repeat_aliases(self, doc: Doc, aliases: list[Span], inner: list[tuple[int, int, Span]]) -> None:
        """Later uses of an alias the text introduced (`El Mencho` again, five paragraphs on) are
        mentions of the same person, whole, article included: the NER alone often keeps `Mencho`.
        So are later uses of a nickname written inside a full name (`Izo` after `Johnson “Izo”
        André`), linked to that full name. An alias that opens with its article (`El Marro`)
        written again after a lowercase article (`pero el Marro`, `la gente del Marro`) is
        repeated without it (GUIDELINES §2: a lowercase article stays out)."""
        taken = {(a.start, a.end) for a in aliases} | {(s, e) for s, e, _ in inner}
        words = [t.text for t in doc]
        lowercase = {w for w in words if w.islower()}
        # (start, end, anchor, bare): bare is the alias without its article, only after a lowercase one
        forms = [(a.start, a.end, a, False) for a in aliases] + [(s, e, a, False) for s, e, a in inner]
        forms += [(a.start + 1, a.end, a, True) for a in aliases if len(a) >= 2 and a[0].lower_ in self.repeat_articles]
        for f_start, f_end, anchor, bare in forms:
            form = words[f_start:f_end]
            n = len(form)
            if n == 1 and (len(form[0]) < 3 or (len(form[0]) == 3 and (form[0].lower() in lowercase
                                                                       or fold(form[0]) in SENTENCE_WORDS))):
                continue  # short one-word aliases repeat by accident (`Che`, `Los`; not `Izo`)
            for start in range(len(doc) - n + 1):
                if words[start:start + n] == form and (start, start + n) not in taken \
                        and not (start > 0 and is_capitalized(doc[start - 1])) \
                        and not (start > 1 and doc[start - 1].text in OPEN_QUOTES and is_capitalized(doc[start - 2])) \
                        and not (start + n < len(doc) and is_capitalized(doc[start + n]) and not doc[start + n].is_sent_start) \
                        and not (bare and not (start > 0 and doc[start - 1].text in self.before_bare_repeat)):
                    repeat = add_candidate(doc, Span(doc, start, start + n, label="PERSON"),
                                           f"{self.name}:alias_repeat", self.score)
                    add_link(doc, anchor, repeat, "alias")
                    taken.add((start, start + n))

    def _alias_at(self, doc: Doc, i: int, cue: tuple) -> tuple[int, int] | None:
        if i < len(doc) and doc[i].lower_ in self.articles and not is_capitalized(doc[i]):
            i += 1  # `alias el Mencho`: the lowercase article stays out
        quoted = _quoted(doc, i)
        if quoted:
            first, end, after = quoted
            if end - first > 1 and doc[first].lower_ in self.articles and not is_capitalized(doc[first]):
                first += 1  # `alias “el Koki”`: inside the quotes too
            if not any(is_capitalized(t) or t.like_num for t in doc[first:end]):
                return None  # `the so-called “sindicatos”`: a quoted common word names no one
            # `alias “Niño” Guerrero`: a surname right after the closing quote joins the alias.
            tail = _name_after(doc, after, 3) if after < len(doc) and doc[after - 1].whitespace_ else None
            if tail and tail[0] == after and end == after - 1 and not doc[after].is_sent_start:
                return first, tail[1]
            return first, end
        return _name_after(doc, i)

    def _inner_nicknames(self, doc: Doc) -> list[tuple[int, int, Span]]:
        """`Héctor “El Niño” Guerrero`, `Óscar René “el 40” Lemus`: a quoted nickname between
        capitalized names is one mention. Returns each capitalized nickname (its token range) with
        the full name, so that the nickname standing alone later is found and linked."""
        inner = []
        for i, text in enumerate([t.text for t in doc]):
            if text not in OPEN_QUOTES:
                continue  # checked on the string first: a Token object per word is the cost here
            quoted = _quoted(doc, i, limit=4)
            if not quoted or i == 0 or not is_capitalized(doc[i - 1]) or fold(doc[i - 1].text) in self.titles:
                continue
            first, end, after = quoted
            words = doc[first + 1:end] if doc[first].lower_ in self.articles and end - first > 1 else doc[first:end]
            # Not `"Caraota" y "El Menor"`: with straight quotes the `y` between two nicknames is
            # quoted too, and a nickname is more than a connector.
            if after < len(doc) and is_capitalized(doc[after]) \
                    and all(is_capitalized(t) or t.like_num or t.text in CONNECTORS for t in words) \
                    and any(is_capitalized(t) or t.like_num for t in words):
                before = name_before(doc, i, self.titles)
                tail = _name_after(doc, after, 3)
                if before and tail:
                    full = add_candidate(doc, Span(doc, before[0], tail[1], label="PERSON"),
                                         f"{self.name}:inner_nickname", self.score)
                    if all(is_capitalized(t) or t.text in CONNECTORS for t in words):
                        inner.append((words.start, words.end, full))
        return inner


@Language.factory("crimeie_aliases", assigns=["doc.spans", "doc._.crimeie_links"],
                  default_config={"cues": "alias_cues.json", "score": 0.95})
def make_aliases(nlp: Language, name: str, *, cues: str, score: float):
    return AliasFinder(name, cues, score)
