"""Group the mentions of one document into entities (GUIDELINES §1: one real-world thing).

Mentions join one entity when they share a label and
  * their normalized texts are equal, or
  * a rule linked them (alias ↔ person, acronym ↔ full name), or
  * they reduce to the same name key (`Cartel de Sinaloa` / `Sinaloa Cartel`; for groups also
    `Beltrán Leyva Organization` / `the Beltrán Leyvas`), or
  * a short PERSON mention's words all belong to exactly one longer person's name
    (`Guerrero` → `Héctor Guerrero Flores`); with two candidates the surname stays apart, or
  * they are activities with the same taxonomy key, or places with the same ISO code, or
  * one glosses the other in parentheses (`Terceiro Comando (Third Command)`), or is a person's
    quoted nickname set off after the name (`Treviño Morales, “Z-40”,`), or names the person
    whose alias came first (`“El Mocho”, cuyo nombre real es …`), or
  * one is a short form of the other (`la Fiscalía` / `Fiscalía General del Estado`, `el Litoral` /
    `Penitenciaría del Litoral`, `the Tren` / `Tren de Aragua`).
The entity's name is its fullest proper name: the longest mention that no rule marked as an
alias or acronym; for activities the taxonomy key.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.aliases import CLOSE_QUOTES, OPEN_QUOTES
from pipeline.nlp.lexicon import facility_type_words, folded_cues, load_json
from pipeline.nlp.names import ARTICLES
from pipeline.textnorm import normalize_name
from pipeline.unionfind import UnionFind

_TYPE_WORDS = {"cartel", "cartél", "cartels", "the", "de", "del", "los", "las", "la", "el", "y", "and", "of"}
_WORD = re.compile(r"\w+")


# Criminal groups are also named as an organization and by the family's plural (`Beltrán Leyva
# Organization`, `Cártel Beltrán Leyva`, `the Beltrán Leyvas`; `Los Lorenzana`, `the Lorenzanas`).
# `clan` is no such word: the Clan del Golfo is not the Cartel del Golfo.
_GROUP_TYPE_WORDS = _TYPE_WORDS | {"organization", "organisation", "organizacion", "organizacao"}


def name_key(text: str, criminal_group: bool = False) -> str:
    """Word-order-free key for group names: `Cártel de Sinaloa` and `Sinaloa Cartel` → `sinaloa`.
    For criminal groups, organization words drop out too and a final `s` is not part of the key."""
    words = _WORD.findall(normalize_name(text))
    if not criminal_group:
        return " ".join(sorted(w for w in words if w not in _TYPE_WORDS))
    words = [w for w in words if w not in _GROUP_TYPE_WORDS]
    return " ".join(sorted(w[:-1] if len(w) > 3 and w.endswith("s") and not w[-2].isdigit() else w for w in words))


def group_mentions(mentions: list[dict], links: list[list]) -> list[list[int]]:
    """Clusters of mention indices. A mention is {start, end, label, text, key}."""
    uf = UnionFind(len(mentions))
    by_label_text: dict[tuple, int] = {}
    by_key: dict[tuple, int] = {}
    for i, m in enumerate(mentions):
        norm = normalize_name(m["text"])
        first = by_label_text.setdefault((m["label"], norm), i)
        uf.union(first, i)
        if m["label"] in ("CRIMINAL_ACTIVITY", "LOCATION", "FACILITY") and m.get("key"):
            uf.union(by_key.setdefault((m["label"], m["key"]), i), i)
        elif m["label"] in ("CRIMINAL_GROUP", "ORGANIZATION", "FACILITY"):
            if m.get("link"):
                uf.union(by_key.setdefault((m["label"], "link:" + m["link"]), i), i)
            key = name_key(m["text"], criminal_group=m["label"] == "CRIMINAL_GROUP")
            if key:
                uf.union(by_key.setdefault((m["label"], key), i), i)

    position = {(m["start"], m["end"]): i for i, m in enumerate(mentions)}
    for a0, a1, b0, b1, _kind in links or []:
        ia, ib = position.get((a0, a1)), position.get((b0, b1))
        if ia is not None and ib is not None and mentions[ia]["label"] == mentions[ib]["label"]:
            uf.union(ia, ib)

    # Surnames and partial names: join a short PERSON mention to the one longer name that contains it.
    persons = [i for i, m in enumerate(mentions) if m["label"] == "PERSON"]
    words = {i: _WORD.findall(normalize_name(mentions[i]["text"])) for i in persons}
    for i in persons:
        short = words[i]
        if not short:
            continue
        owners = {uf.find(j) for j in persons
                  if j != i and len(words[j]) > len(short) and _contains_in_order(words[j], short)}
        if len(owners) == 1:
            uf.union(owners.pop(), i)
        elif len(owners) > 1:
            # Several people share the surname (`Nemesio Oseguera Cervantes`, his son `Rubén Oseguera
            # González`): reporting calls the one introduced first by the bare surname and names
            # relatives in full, so the surname joins the earliest full name before it.
            before = [j for j in persons if j < i and len(words[j]) > len(short) and _contains_in_order(words[j], short)]
            if before:
                uf.union(uf.find(before[0]), i)

    _join_short_forms(mentions, uf)

    clusters: dict[int, list[int]] = {}
    for i in range(len(mentions)):
        clusters.setdefault(uf.find(i), []).append(i)
    return sorted(clusters.values(), key=lambda c: c[0])


def _join_short_forms(mentions: list[dict], uf: UnionFind) -> None:
    """Short forms of a name the article gave in full, each joined to the one longer name it can stand for:
      * an organization by its first words (`la Fiscalía` after `Fiscalía General del Estado`,
        `la Policía` after `Policía Nacional`), when only one organization in the article starts so,
        and a ministry by its last word (`la Marina` after `Secretaría de Marina`);
      * a facility by its name without the type words before it (`el Litoral` after `Penitenciaría
        del Litoral`);
      * a place the gazetteer does not know by its last words (`Tlaltenco` after `San Francisco
        Tlaltenco`); places it knows are grouped by their codes, and `Guatemala` is not `Ciudad de
        Guatemala`.
      * a unit of an armed group by the name after its unit words (`la Dagoberto Ramos` for
        `Columna Móvil Dagoberto Ramos`; cue_words.json `group_unit_words`);
      * a criminal group by its first words once the article has given the full name (`the Tren` after
        `Tren de Aragua`, `la Unión` after `La Unión Tepito`). Only after: a faction is usually
        named after its parent (`Barrio 18`, then `Barrio 18 Revolucionarios`), and a shorter name
        written first is a group of its own. On the gold mentions of the tuned sets, 17 such
        short forms name the longer group and 2 another (`Terceiro Comando` / `Terceiro Comando
        Puro`, `Rastrojos` / `Rastrojos Costeños`)."""
    words = {i: _WORD.findall(normalize_name(m["text"])) for i, m in enumerate(mentions)
             if m["label"] in ("ORGANIZATION", "FACILITY", "LOCATION", "CRIMINAL_GROUP")}
    for i, m in enumerate(mentions):
        if m["label"] == "CRIMINAL_GROUP":
            while words[i] and words[i][0] in ARTICLES:
                words[i] = words[i][1:]
    type_words, unit_words, ministries = _facility_words(), _unit_words(), _ministry_heads()
    for i, short in words.items():
        label = mentions[i]["label"]
        if not short or (label == "LOCATION" and mentions[i].get("key")):
            continue
        owners = set()
        for j, long in words.items():
            if j == i or mentions[j]["label"] != label or len(long) <= len(short):
                continue
            if label == "ORGANIZATION" and long[:len(short)] == short and short[0] not in _TYPE_WORDS:
                owners.add(uf.find(j))
            elif label == "ORGANIZATION" and len(short) == 1 and long[-1] == short[0] and long[0] in ministries \
                    and long[-2] in _TYPE_WORDS:
                owners.add(uf.find(j))  # `la Marina` after `Secretaría de Marina`
            elif label == "CRIMINAL_GROUP" and long[:len(short)] == short and short[0] not in _TYPE_WORDS \
                    and mentions[j]["start"] < mentions[i]["start"]:
                owners.add(uf.find(j))
            elif label == "CRIMINAL_GROUP" and long[-len(short):] == short \
                    and all(w in unit_words for w in long[:-len(short)]):
                owners.add(uf.find(j))
            elif label == "FACILITY" and long[-len(short):] == short \
                    and all(w in type_words or w in _TYPE_WORDS for w in long[:-len(short)]):
                owners.add(uf.find(j))
            elif label == "LOCATION" and not mentions[j].get("key") and long[-len(short):] == short \
                    and all(len(w) >= 4 for w in short):
                owners.add(uf.find(j))
        if len(owners) == 1:
            uf.union(owners.pop(), i)


@lru_cache(maxsize=1)
def _ministry_heads() -> frozenset[str]:
    """`Ministerio`, `Secretaría`: a name opened by one is also written by its last word alone."""
    return frozenset(normalize_name(w) for w in folded_cues("ministry_heads"))


@lru_cache(maxsize=1)
def _unit_words() -> frozenset[str]:
    """`Frente`, `Columna Móvil`: the words that make a unit out of the name after them."""
    return frozenset(normalize_name(w) for w in folded_cues("group_unit_words"))


@lru_cache(maxsize=1)
def _facility_words() -> frozenset[str]:
    """Facility type words and the Portuguese particles between them and a name (`Complexo da Maré`):
    read once, not per document."""
    return facility_type_words() | {"da", "do", "das", "dos"}


def _glosses(text: str, mentions: list[dict]) -> list[list]:
    """`Terceiro Comando (Third Command)`, `Complexo de Israel (Israel Complex)`: a name followed by
    another of the same label alone in parentheses is the same thing, translated or abbreviated
    (a quoted translation after `, or` is linked by the merge, which makes its mention).
    Places only when the two share a word: `Tibú (Norte de Santander)` says where Tibú is."""
    links = []
    ordered = sorted(mentions, key=lambda m: m["start"])
    for a, b in zip(ordered, ordered[1:]):
        if a["label"] != b["label"] or a["label"] == "CRIMINAL_ACTIVITY":
            continue
        if text[a["end"]:b["start"]].strip() != "(" or text[b["end"]:b["end"] + 1] != ")":
            continue
        if a["label"] == "LOCATION":
            wa = {w for w in _WORD.findall(normalize_name(a["text"])) if len(w) >= 4}
            if not wa & set(_WORD.findall(normalize_name(b["text"]))):
                continue
        links.append([a["start"], a["end"], b["start"], b["end"], "alias"])
    return links


# The alias quote marks, as regex character classes for the text-level patterns below.
_OPEN = "[" + re.escape("".join(sorted(OPEN_QUOTES))) + "]"
_CLOSE = "[" + re.escape("".join(sorted(CLOSE_QUOTES))) + "]"


def _phrase_pattern(phrase: str) -> str:
    """A phrase of alias_cues.json as a regex: words apart by any whitespace, `…` up to four words."""
    words = phrase.split()
    out = ""
    for n, word in enumerate(words):
        if word == "…":
            out += r"(?:\S+\s+){0,4}?"
        else:
            out += re.escape(word) + (r"\s+" if n < len(words) - 1 else "")
    return out


@lru_cache(maxsize=1)
def _appositive_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """From alias_cues.json: what stands between a full name and a quoted nickname set off after
    it (`Treviño Morales, “Z-40”,`, `(“Z-42”)`, `, or “Cabo Wilmer”,`), what follows the nickname,
    and what stands between an alias given first and the name (`“El Mocho”, cuyo nombre real es`;
    after a quoted alias, a short clause may come first: `“Cow Foot,” and accused of keeping
    lookout, turned out to be`, `‘El Güero Pantera’. Se trata de`), or, with no comma, says the first
    is the alias of the second (`Rasquiña was the alias of Jorge Luis Zambrano`)."""
    data = load_json("alias_cues.json", ["real_name_phrases", "also_named_links", "alias_of_phrases"])
    ors = "|".join(re.escape(w) for w in data["also_named_links"]["or"])
    phrases = "|".join(_phrase_pattern(p) for p in sorted(data["real_name_phrases"], key=len, reverse=True))
    before = re.compile(rf"^\s*(?:,\s*(?:(?:{ors})\s+)?|\(\s*){_OPEN}$", re.IGNORECASE)
    after = re.compile(rf"^{_CLOSE}\s*[,.;)]")
    real_name = re.compile(rf"^{_CLOSE}?\s*,\s*(?:{phrases})\s*$", re.IGNORECASE)
    after_quoted = re.compile(rf"^[,.]?{_CLOSE}\s*[,.]?\s*(?:[^.;:!?“”\"«»]{{0,80}}?[\s,])?(?:{phrases})\s*$",
                              re.IGNORECASE)
    or_between = re.compile(rf"^\s*,\s*(?:{ors})\s+$", re.IGNORECASE)  # `Gabriel Jean-Pierre, or Ti Gabriel.`
    alias_of = "|".join(_phrase_pattern(p) for p in sorted(data["alias_of_phrases"], key=len, reverse=True))
    alias_of = re.compile(rf"^{_CLOSE}?\s+(?:{alias_of})\s+$", re.IGNORECASE)  # `Rasquiña was the alias of`
    return before, after, real_name, after_quoted, or_between, alias_of


def _appositive_aliases(text: str, mentions: list[dict]) -> list[list]:
    """A person's quoted nickname set off by commas or parentheses right after the full name, or
    the alias given first and the name after `whose real name is` / `cuyo nombre real es`.
    Both sides must already be PERSON mentions, so a group's quoted translation is not read as one."""
    before, after, real_name, after_quoted, or_between, alias_of = _appositive_patterns()
    links = []
    ordered = sorted(mentions, key=lambda m: m["start"])
    for a, b in zip(ordered, ordered[1:]):
        if a["label"] != "PERSON" or b["label"] != "PERSON":
            continue
        between = text[a["end"]:b["start"]]
        if len(between) > 40:
            continue
        if len(a["text"].split()) >= 2 and before.match(between) and after.match(text[b["end"]:b["end"] + 3]):
            links.append([a["start"], a["end"], b["start"], b["end"], "alias"])
        elif (len(a["text"].split()) >= 2 and or_between.match(between)
              and re.match(r"^\s*[,.;)]", text[b["end"]:b["end"] + 2])):
            links.append([a["start"], a["end"], b["start"], b["end"], "alias"])  # `Gabriel Jean-Pierre, or Ti Gabriel.`
        elif len(b["text"].split()) >= 2 and (real_name.match(between) or alias_of.match(between)):
            links.append([b["start"], b["end"], a["start"], a["end"], "alias"])
    # A quoted alias and the next person named after it, other mentions between allowed.
    people = [m for m in ordered if m["label"] == "PERSON"]
    for a, b in zip(people, people[1:]):
        between = text[a["end"]:b["start"]]
        if (a["start"] > 0 and re.match(_OPEN, text[a["start"] - 1]) and len(between) <= 120
                and len(b["text"].split()) >= 2 and not real_name.match(between) and after_quoted.match(between)):
            links.append([b["start"], b["end"], a["start"], a["end"], "alias"])
    return links


def _quoted_nicknames(doc: Doc, ents: list) -> list[list]:
    """A short quoted PERSON mention set off after a full name in the same sentence, with no other
    person between, is that person's nickname, whatever words introduce it (`Rafaat, a Brazilian
    of Lebanese descent whom the newspapers called the “Rei da Fronteira”`, `, who also answers to
    'Feddy'`). In the gold corpus (train, dev, test, unseen, unseen2, unseen4), on gold mentions,
    all 300 nicknames that these conditions (a comma or parenthesis after the name, or at most 15
    characters between) select belong to that name. A nickname written earlier in the article (a
    repeat) and initials (`the initials “TH”`) are left to the other rules."""
    text, links = doc.text, []
    people = [e for e in ents if e.label_ == "PERSON"]
    seen: set[str] = set()
    for previous, nickname in zip([None, *people], people):
        quoted = nickname.start_char > 0 and text[nickname.start_char - 1] in OPEN_QUOTES
        initials = nickname.text.isalpha() and nickname.text.isupper() and len(nickname.text) <= 3  # `the initials “TH”`
        if (previous is not None and quoted and not initials and len(nickname) <= 4 and nickname.text not in seen
                and len(previous.text.split()) >= 2 and previous.sent.start == nickname.sent.start
                and not (previous.start_char > 0 and text[previous.start_char - 1] in OPEN_QUOTES)):
            gap = text[previous.end_char:nickname.start_char]
            if (gap[:1] in (",", "(") and len(gap) <= 120) or len(gap) <= 15:
                links.append([previous.start_char, previous.end_char, nickname.start_char, nickname.end_char, "alias"])
        seen.add(nickname.text)
    return links


def _contains_in_order(long: list[str], short: list[str]) -> bool:
    it = iter(long)
    return all(any(w == x for x in it) for w in short)


def entity_name(mentions: list[dict], cluster: list[int], secondary: set[int]) -> str:
    label = mentions[cluster[0]]["label"]
    if label == "CRIMINAL_ACTIVITY":
        keys = [mentions[i].get("key") for i in cluster if mentions[i].get("key")]
        if keys:
            return keys[0]
    primary = [i for i in cluster if i not in secondary] or cluster
    # Of names as long, one written in capitals only (a wire dateline's `ROSARIO.–`) comes last.
    best = max(primary, key=lambda i: (len(mentions[i]["text"].split()), len(mentions[i]["text"]),
                                       not mentions[i]["text"].isupper(), -i))
    return mentions[best]["text"]


class EntityGrouper:
    def __init__(self, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        mentions = [{"start": e.start_char, "end": e.end_char, "label": e.label_, "text": e.text,
                     "key": e._.crimeie_key or "", "link": e.kb_id_ or ""} for e in ents]
        links = (list(doc._.crimeie_links or []) + _glosses(doc.text, mentions) + _appositive_aliases(doc.text, mentions)
                 + _quoted_nicknames(doc, ents))
        # The alias side of an alias link and the short side of an acronym link are not names.
        secondary: set[int] = set()
        position = {(m["start"], m["end"]): i for i, m in enumerate(mentions)}
        for a0, a1, b0, b1, kind in links:
            ib = position.get((b0, b1))
            if ib is not None and kind in ("alias", "acronym"):
                secondary.add(ib)
        entities = []
        for number, cluster in enumerate(group_mentions(mentions, links)):
            name = entity_name(mentions, cluster, secondary)
            texts = []
            for i in cluster:
                if mentions[i]["text"] != name and mentions[i]["text"] not in texts:
                    texts.append(mentions[i]["text"])
                ents[i]._.crimeie_entity = number
            keys = [mentions[i]["key"] for i in cluster if mentions[i]["key"]]
            entities.append({"index": number, "label": mentions[cluster[0]]["label"], "name": name,
                             "aliases": texts, "key": keys[0] if keys else "", "mentions": cluster})
        doc._.crimeie_entities = entities
        return doc


@Language.factory("crimeie_entities", requires=["doc.ents"], assigns=["doc._.crimeie_entities"])
def make_entity_grouper(nlp: Language, name: str):
    return EntityGrouper(name)
