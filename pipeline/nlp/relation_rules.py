"""High-precision surface patterns for relations, read on one ordered mention pair.

The trained scorer finds most relations; these patterns add the ones whose wording is fixed
enough to trust on sight, at a confidence of 0.9. Their word lists are in
resources/relation_patterns.json.

- LOCATED_IN: `Cúcuta, Colombia`, `Tocorón prison in Aragua`, `Tocuyito, a town on the southern
  edge of Valencia`, `Venezuela's Aragua state`; each member of a list of places placed as a whole
  (`Ocaña, Ábrego y Tibú, en el Catatumbo`, `distritos de Lima como Comas y Ate`); not one member
  of a list inside another (`Tame, Fortul, Saravena`) and not what the gazetteer rules out (a
  country inside anything, a state inside a city).
- LEADER_OF: `X, the leader of Y`; `Y, led by X`, `fundados por X y Z`; `the director of Y, X`.
- MEMBER_OF: `X, a member of Y`, `X, presunto integrante de Y`, `DEA agent X`.
- BASED_IN: `Dwayne Mitchell, 23, of Lakes Pen`, `Ramiro Villaseñor, 52, a native of Aguililla`,
  `Los Gallegos, con base en Arica`, `400 Mawozo, whose home turf is Croix-des-Bouquets`.
- ARRESTED_BY: `X was arrested in Culiacán by the DEA` and `the CICPC arrested X`,
  `la Policía Nacional capturó en Cúcuta a X`.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from spacy.tokens import Span

from pipeline.nlp.aliases import CLOSE_QUOTES, OPEN_QUOTES
from pipeline.nlp.lexicon import fold, load_json
from pipeline.nlp.relation_features import DocContext, place_country, place_rank, triggers

SCORE = 0.9
_LIST_JOINERS = {",", "and", "or", "y", "e", "o", "u", "&"}
_POSSESSIVE = {"'s", "’s"}
_ACTORS = {"PERSON", "CRIMINAL_GROUP", "ORGANIZATION"}


@lru_cache(maxsize=1)
def patterns() -> dict[str, dict[str, set[str]]]:
    data = load_json("relation_patterns.json", ["place_in_place", "arrested_by", "member_of", "leader_of", "based_in",
                                                "operates_in"])
    out = {name: {k: {fold(w) for w in v} for k, v in lists.items() if not k.startswith("_")}
           for name, lists in data.items() if not name.startswith("_")}
    place = out["place_in_place"]
    # Every word a place phrase may hold besides describing words, united once, not per pair.
    place["phrase_words"] = place["articles"] | place["place_nouns"] | place["position_words"] \
        | place["containment_prepositions"]
    return out


def rule_relations(ctx: DocContext, head: Span, tail: Span) -> list[tuple[str, float, str]]:
    """(label, score, rule) for each pattern that fires on this ordered mention pair."""
    out = []
    hl, tl = head.label_, tail.label_
    # The folded words between head and tail, when the head comes first and something separates them.
    words = ctx.folded[head.end:tail.start] if head.end < tail.start else None
    if hl in ("LOCATION", "FACILITY") and tl == "LOCATION" and _could_contain(ctx, head, tail):
        if words is not None and (words in ([","], ["("]) or _place_phrase(ctx, head, tail)) \
                and not (words == [","] and _in_place_list(ctx, head, tail)):
            out.append(("LOCATED_IN", SCORE, "place_in_place"))
        if tail.end == head.start - 1 and ctx.folded[tail.end] in _POSSESSIVE:
            out.append(("LOCATED_IN", SCORE, "place_possessive"))
        elif _list_in_place(ctx, head, tail):
            out.append(("LOCATED_IN", SCORE, "place_list_in_place"))
    if hl in ("PERSON", "CRIMINAL_GROUP") and tl == "LOCATION" and words is not None:
        rule = _based_in(ctx, head, tail, words)
        if rule:
            out.append(("BASED_IN", SCORE, rule))
        elif hl == "CRIMINAL_GROUP" and _operates_in(ctx, head, tail, words):
            out.append(("OPERATES_IN", SCORE, "group_operates_in"))
    if words is not None and hl == "PERSON" and tl in ("CRIMINAL_GROUP", "ORGANIZATION") and len(words) <= 6:
        if _leader_title_after(words):
            out.append(("LEADER_OF", SCORE, "person_leader_of_group"))
    if hl == "PERSON" and tl in ("CRIMINAL_GROUP", "ORGANIZATION") and words is None:
        if _led_by(ctx, head, tail):
            out.append(("LEADER_OF", SCORE, "group_led_by_person"))
        elif _leader_title_apposition(ctx, head, tail):
            out.append(("LEADER_OF", SCORE, "leader_title_apposition"))
    if hl == "PERSON" and tl in ("CRIMINAL_GROUP", "ORGANIZATION") and _member_role(ctx, head, tail, words):
        out.append(("MEMBER_OF", SCORE, "member_role"))
    if hl in ("PERSON", "CRIMINAL_GROUP") and tl == "ORGANIZATION":
        if words is not None and _arrested_by_passive(ctx, head, tail, words):
            out.append(("ARRESTED_BY", SCORE, "arrested_by"))
        elif words is not None and _second_agent(ctx, head, tail):
            out.append(("ARRESTED_BY", SCORE, "arrested_by_and"))
        elif words is None and _arrested_by_active(ctx, head, tail):
            out.append(("ARRESTED_BY", SCORE, "arrest_verb"))
    return out


def _actor_between(ctx: DocContext, start: int, end: int, own: set) -> bool:
    """A person, group or organization named within tokens start..end-1 that is not one of the
    entities `own`."""
    return any(start <= e.start and e.end <= end and e.label_ in _ACTORS and e._.crimeie_entity not in own
               for e in ctx.ents)


def _no_actor_between(ctx: DocContext, first: Span, second: Span) -> bool:
    """No person, group or organization named between the two mentions, other than another
    mention of one of them (`la Policía Nacional Civil (PNC) capturó a ...`)."""
    return not _actor_between(ctx, first.end, second.start, {first._.crimeie_entity, second._.crimeie_entity})


def _arrested_by_passive(ctx: DocContext, head: Span, tail: Span, words: list[str], max_words: int = 16) -> bool:
    """`X was arrested in Culiacán in November 2023 by the DEA`, `capturados por la PNC`."""
    lists = patterns()["arrested_by"]
    if len(words) > max_words or ctx.sent_index[head.start] != ctx.sent_index[tail.start]:
        return False
    if not any(w in lists["participles"] for w in words) or not any(w in lists["agent_words"] for w in words[-3:]):
        return False
    if head.label_ == "CRIMINAL_GROUP" and any(e.label_ == "PERSON" and ctx.sents[ctx.sent_index[head.start]].start <= e.start < head.start
                                               for e in ctx.ents):
        return False  # `a leader of Los Lobos who had been arrested by the police`: he was, not the group
    return _no_actor_between(ctx, head, tail)


#: What joins two agents of one arrest: `by the Ejército Nacional and the Policía Nacional`.
_AGENT_JOINERS = {"and", "and the", "y", "y la", "y el", "y los", "y las", "e"}


def _second_agent(ctx: DocContext, head: Span, tail: Span) -> bool:
    """`seized in a joint operation by the Ejército Nacional and the Policía Nacional`: the
    organization coordinated with an agent of the passive pattern arrested the person too."""
    k = tail.start
    while k > head.end and ctx.label_ending.get(k) is None and tail.start - k < 2:
        k -= 1
    if " ".join(ctx.folded[k:tail.start]) not in _AGENT_JOINERS or ctx.label_ending.get(k) != "ORGANIZATION":
        return False
    first = _mention_ending_at(ctx, k)
    if first is None or first.start <= head.end:
        return False
    return _arrested_by_passive(ctx, head, first, ctx.folded[head.end:first.start])


def _arrested_by_active(ctx: DocContext, head: Span, tail: Span, max_words: int = 12) -> bool:
    """`the CICPC arrested X`, `la Policía Nacional capturó en Cúcuta a X`: the organization
    first, an arrest verb between, the person or group after it."""
    if not tail.end < head.start <= tail.end + max_words or ctx.sent_index[head.start] != ctx.sent_index[tail.start]:
        return False
    verbs = patterns()["arrested_by"]["active_verbs"]
    if not any(w in verbs for w in ctx.folded[tail.end:head.start]):
        return False
    return _no_actor_between(ctx, tail, head)


def _leader_title_after(words: list[str]) -> bool:
    """`X, the leader of Y`, `X, cofundador y jefe de Y`: a leadership word and `of`/`de` within
    the last three words; not a relative of the leader (`X, hermano del líder del Y`) and not a
    second predicate (`dismissed X and appointed the director of Y`)."""
    leader, lists = triggers()["LEADER_OF"], patterns()["leader_of"]
    first = next((k for k, w in enumerate(words) if w in leader), None)
    if first is None or not any(w in ("of", "de", "del") for w in words[-3:]):
        return False
    before = words[:first]
    if any(w in lists["relatives"] for w in before):
        return False
    return not any(w in lists["conjunctions"] and words[k + 1] not in leader for k, w in enumerate(before))


def _led_by(ctx: DocContext, person: Span, group: Span, max_words: int = 10) -> bool:
    """`Gran Grif, based in Savien and led by Luckson Elan`, `fundados por Leonides Sierra y Julio
    Marte`: the group first, a leadership participle and `by`/`por`, then the person, with only
    other people of the same list between the agent word and this one."""
    if not group.end < person.start <= group.end + max_words or ctx.sent_index[person.start] != ctx.sent_index[group.start]:
        return False
    lists = patterns()["leader_of"]
    words = ctx.folded[group.end:person.start]
    led = [k for k, w in enumerate(words) if w in lists["participles"]]
    if not led:
        return False
    agent = [k for k, w in enumerate(words) if w in lists["agent_words"] and k > led[-1]]
    if not agent or agent[0] > led[-1] + 2:
        return False
    start = group.end + agent[0] + 1
    if _actor_between(ctx, group.end, start, {group._.crimeie_entity}):
        return False  # `Y, allied with Z and led by X`: X leads Z
    # Between the agent word and this person: nothing, or earlier people of one list (`X y Z`).
    i = start
    while i < person.start:
        if ctx.label_starting.get(i) == "PERSON":
            i = next(e.end for e in ctx.ents if e.start == i)
        elif ctx.folded[i] in lists["list_joiners"]:
            i += 1
        else:
            return False
    return True


def _leader_title_apposition(ctx: DocContext, person: Span, group: Span) -> bool:
    """`the director of the Policía Nacional, Gustavo Sánchez`, `el jefe de Los Choneros, X`: a
    leadership title with `of`/`de` just before the group, then a comma, then the person."""
    if group.end >= person.start or ctx.sent_index[person.start] != ctx.sent_index[group.start]:
        return False
    if ctx.folded[group.end:person.start] != [","]:
        return False
    before = ctx.folded[max(group.start - 4, 0):group.start]
    return any(w in ("of", "de", "del") for w in before[-2:]) and any(w in patterns()["leader_of"]["titles"] for w in before)


def _member_role(ctx: DocContext, head: Span, tail: Span, words: list[str] | None, max_words: int = 6) -> bool:
    """`X, a member of Y`, `X, presunto integrante de Y` or `DEA agent X`, `MS13 member X`."""
    lists = patterns()["member_of"]
    if ctx.sent_index[head.start] != ctx.sent_index[tail.start]:
        return False
    if words is not None:
        role = next((k for k, w in enumerate(words) if w in lists["roles"]), None)
        if len(words) > max_words or role is None or not any(w in lists["of_words"] for w in words[-3:]) \
                or any(w in triggers()["LEADER_OF"] for w in words):
            return False
        # `X, a member of Y`, not `X y miembros de Y`, `X fue capturado por agentes de Y`, `X sent officers of Y`.
        if any(w in lists["not_before_role"] for w in words[:role]) or any(
                ctx.doc[i].pos_ == "VERB" and ctx.doc[i].tag_ not in ("VBN", "VBG") and ctx.folded[i] not in lists["copulas"]
                for i in range(head.end, head.end + role)):
            return False
        return _no_actor_between(ctx, head, tail)
    between = ctx.folded[tail.end:head.start]
    return 0 < len(between) <= 2 and between[-1] in lists["roles"] and all(w.isalpha() for w in between)


def _place_phrase(ctx: DocContext, head: Span, tail: Span, max_words: int = 9) -> bool:
    """`Tocuyito, a town on the southern edge of Valencia`, `Tocorón prison in Aragua`,
    `Texcaltitlán, a farming municipality in the south of the State of Mexico`, `Tocorón, en el
    estado Aragua`: the head, then a phrase of place words ending in a containment preposition
    (or in one and a division's noun), then the tail."""
    if not head.end < tail.start <= head.end + max_words or ctx.sent_index[head.start] != ctx.sent_index[tail.start]:
        return False
    if any(i in ctx.label_starting for i in range(head.end, tail.start)):
        return False  # another mention between them
    lists = patterns()["place_in_place"]
    words = ctx.folded[head.end:tail.start]
    start = 1 if words[0] == "," else 0
    end = len(words)
    while end > start and words[end - 1] in lists["articles"]:
        end -= 1
    if end - start >= 2 and words[end - 1] in lists["name_nouns"]:
        # `en el estado Aragua`, `del municipio José Tadeo Monagas`: the division's noun, then its name.
        k = end - 1
        while k > start and words[k - 1] in lists["articles"]:
            k -= 1
        if k > start and words[k - 1] in lists["containment_prepositions"]:
            end = k
    if end == start or words[end - 1] not in lists["containment_prepositions"]:
        return False
    rest = range(head.end + start, head.end + end - 1)
    allowed = lists["phrase_words"]
    modifiers = [i for i in rest if ctx.folded[i] not in allowed]
    if any(ctx.doc[i].pos_ not in ("ADJ", "NOUN") for i in modifiers):
        return False
    if modifiers and not any(ctx.folded[i] in lists["place_nouns"] for i in rest):
        return False  # a describing word (`farming`, `vast`) only before a place noun: `a farming municipality in`
    inside = any(ctx.folded[i] in ("in", "en", "within", "dentro") for i in rest)
    before_preposition = ctx.folded[head.end + end - 2] if end - 1 > start else ""
    return inside or before_preposition not in lists["compass_words"]  # `just south of Medellín` is outside it


def _could_contain(ctx: DocContext, head: Span, tail: Span) -> bool:
    """False when the gazetteer says the tail place cannot hold the head: a country inside
    anything, a place inside a smaller or equal one (`Tamaulipas, Nuevo León`), or inside a
    place of another country. Places the gazetteer does not know are given the benefit."""
    hk, tk = ctx.place_key.get(head._.crimeie_entity), ctx.place_key.get(tail._.crimeie_entity)
    if hk and place_rank(hk) == 3 and head.label_ == "LOCATION":
        return False
    if not hk or not tk:
        return True
    return place_rank(tk) > place_rank(hk) and place_country(hk) == place_country(tk)


def _in_place_list(ctx: DocContext, head: Span, tail: Span) -> bool:
    """`Tame, Fortul, Saravena`, `Gaira, El Rodadero y Taganga`: a comma between two places in a
    list of places is not `Cúcuta, Colombia`. A list shows as another place right before the head
    or right after the tail, joined by a comma or a conjunction."""
    return _place_list_end(ctx, tail, 1) is not tail or _place_list_end(ctx, head, -1) is not head


def _mention_at(ctx: DocContext, start: int) -> Span | None:
    k = bisect_left(ctx.ent_starts, start)
    return ctx.ents[k] if k < len(ctx.ents) and ctx.ent_starts[k] == start else None


def _mention_ending_at(ctx: DocContext, end: int) -> Span | None:
    k = bisect_left(ctx.ent_ends, end)
    return ctx.ents[k] if k < len(ctx.ents) and ctx.ent_ends[k] == end else None


def _place_list_end(ctx: DocContext, mention: Span, step: int) -> Span:
    """The last (step 1) or first (step -1) member of the list of places the mention stands in:
    places joined by commas and conjunctions (`Ocaña, Ábrego, El Tarra y Tibú`)."""
    doc, current = ctx.doc, mention
    while True:
        if step > 0:
            i = current.end
            while i < len(doc) and i < current.end + 2 and doc[i].lower_ in _LIST_JOINERS:
                i += 1
            after = _mention_at(ctx, i) if i > current.end else None
        else:
            j = current.start
            while j > 0 and j > current.start - 2 and doc[j - 1].lower_ in _LIST_JOINERS:
                j -= 1
            after = _mention_ending_at(ctx, j) if j < current.start else None
        if after is None or after.label_ != "LOCATION" or ctx.sent_index[after.start] != ctx.sent_index[current.start]:
            return current
        current = after


def _list_in_place(ctx: DocContext, head: Span, tail: Span) -> bool:
    """A member of a list of places lies in the place that the list as a whole is placed in:
    after its last member (`Ocaña, Ábrego y Tibú, en el Catatumbo`), or before its first after an
    opener (`distritos de Lima como Comas y Ate`, `municipios del Bajo Cauca: Caucasia, Cáceres`,
    `Venezuela's border states of Apure and Zulia`)."""
    if ctx.sent_index[head.start] != ctx.sent_index[tail.start]:
        return False
    if head.end <= tail.start:
        last = _place_list_end(ctx, head, 1)
        return last is not head and last.end < tail.start and _place_phrase(ctx, last, tail)
    first = _place_list_end(ctx, head, -1)
    if not tail.end < first.start <= tail.end + 6 or any(i in ctx.label_starting for i in range(tail.end, first.start)):
        return False
    lists = patterns()["place_in_place"]
    words = ctx.folded[tail.end:first.start]
    if words[0] in _POSSESSIVE:
        # `Venezuela's border states of Apure and Zulia`: a plural place noun, then `of`.
        return len(words) >= 3 and words[-1] in ("of", "de") and words[-2] in lists["place_nouns"] \
            and all(w in lists["place_nouns"] or w in lists["position_words"] for w in words[1:-1])
    if words[-1] in lists["list_openers"]:
        rest = words[:-1]
    elif " ".join(words[-2:]) in lists["list_openers"]:
        rest = words[:-2]
    else:
        return False
    # Between the place and the opener, only a comma or place words: `Lima, en distritos como`.
    return all(w == "," or w in lists["phrase_words"] for w in rest)


def _between_names(ctx: DocContext, head: Span, tail: Span) -> list[str] | None:
    """The folded words between head and tail with quote marks left out and a place's possessive
    (`El Paso's`) standing as `'s`; None where any other mention stands between them."""
    out, i = [], head.end
    while i < tail.start:
        label = ctx.label_starting.get(i)
        if label is not None:
            mention = _mention_at(ctx, i)
            if label != "LOCATION" or mention.end >= tail.start or ctx.folded[mention.end] not in _POSSESSIVE:
                return None
            i = mention.end
            continue
        if ctx.doc[i].text not in OPEN_QUOTES | CLOSE_QUOTES:
            out.append(ctx.folded[i])
        i += 1
    return out


def _based_in(ctx: DocContext, head: Span, tail: Span, words: list[str], max_words: int = 8) -> str | None:
    """`Dwayne Mitchell, 23, of Lakes Pen`, `Ramiro Villaseñor, 52, a native of Aguililla`, `alias
    el Toro, vecino del barrio El Carmen`: where a person lives or comes from; `400 Mawozo, whose
    home turf is Croix-des-Bouquets`, `Los Gallegos, con base en Arica`: a group's base."""
    if len(words) > max_words or ctx.sent_index[head.start] != ctx.sent_index[tail.start]:
        return None
    between = _between_names(ctx, head, tail)
    if not between or (tail.end < len(ctx.doc) and ctx.folded[tail.end] in _POSSESSIVE):
        return None  # `based in Haiti's Artibonite department`: the base is the department
    lists, places = patterns()["based_in"], patterns()["place_in_place"]
    if between[-1] in _POSSESSIVE:
        between = between[:-1]  # `of El Paso's Segundo Barrio`: the larger place names the smaller
        if not between:
            return None
    joined = " ".join(between)
    if head.label_ == "PERSON":
        # `, 23, of`: an age, then where from; the age tells a police list's entry from `the wife of`.
        if len(between) >= 3 and between[0] == "," and between[1].isdigit() and len(between[1]) <= 3 \
                and between[2] == "," and between[-1] in lists["of_words"] and len(between) <= 5:
            return "person_of_place"
        if between[0] == "," and any(w in lists["origin_words"] for w in between) \
                and (between[-1] in lists["of_words"] | {"in", "en"} or between[-1] in places["articles"]
                     or between[-1] in places["place_nouns"] or between[-1] in places["name_nouns"]):
            return "person_origin"
        return None
    if between[0] in (",", "—", "(") or between[0] in places["articles"] \
            or between[0] in ("gang", "group", "banda", "pandilla"):
        if any(w in lists["base_words"] for w in between) or any(f" {w} " in f" {joined} " for w in lists["base_words"] if " " in w):
            return "group_base"
    return None


#: Verbs that take the place as their object, with no preposition (`the gang controls Tocorón`).
_TRANSITIVE = {"control", "controls", "controlled", "controlling", "dominate", "dominates", "dominated",
               "dominating", "controla", "controlan", "controlaba", "controlaban", "domina", "dominan",
               "dominaba", "dominaban"}


def _operates_in(ctx: DocContext, head: Span, tail: Span, words: list[str], max_words: int = 12) -> bool:
    """`the Comandos de la Frontera, which operate in the southern department of Putumayo`,
    `Los Lobos, que tienen presencia en El Oro`: a group, then only an operation verb, its glue
    words and a place phrase, then the place, in one sentence and with no other name between."""
    if len(words) > max_words or ctx.sent_index[head.start] != ctx.sent_index[tail.start]:
        return False
    between = _between_names(ctx, head, tail)
    if not between or between[-1] in _POSSESSIVE:
        return False
    lists, places = patterns()["operates_in"], patterns()["place_in_place"]
    allowed = lists["verbs"] | lists["glue"] | lists["prepositions"] | places["phrase_words"] | places["name_nouns"]
    if any(w not in allowed for w in between):
        return False
    verbs = [n for n, w in enumerate(between) if w in lists["verbs"]]
    if not verbs:
        return False
    after = between[verbs[-1] + 1:]
    return any(w in lists["prepositions"] for w in after) or (not after and between[verbs[-1]] in _TRANSITIVE)
