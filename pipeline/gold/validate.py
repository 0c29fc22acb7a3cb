"""Checks that a gold record follows corpus/GUIDELINES.md; every problem names document and span."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.schema import load_schema

#: Words whose final period belongs to them (GUIDELINES §2): titles, company forms, places and
#: the AP abbreviations of US states that press releases put after a town (`Greenbelt, Md.`).
_ABBREVIATIONS = {"jr.", "sr.", "co.", "inc.", "ltd.", "corp.", "bros.", "s.a.", "st.", "mt.", "ft.",
                  "ala.", "ariz.", "ark.", "calif.", "colo.", "conn.", "del.", "fla.", "ga.", "ill.", "ind.",
                  "kan.", "ky.", "la.", "md.", "mass.", "mich.", "minn.", "miss.", "mo.", "mont.", "neb.",
                  "nev.", "okla.", "ore.", "pa.", "tenn.", "tex.", "va.", "vt.", "wash.", "wis.", "wyo."}
_POSSESSIVE_END = re.compile(r"['’]s?$")
LANGS = {"en", "es"}


def _edge_problem(mention: str) -> str | None:
    if not mention:
        return "is empty"
    if mention != mention.strip():
        return "has whitespace at an edge"
    if not mention[0].isalnum():
        return f"starts with {mention[0]!r} (spans start at the first letter of the name)"
    if _POSSESSIVE_END.search(mention) and len(mention) > 2:
        return "ends with a possessive"
    last = mention[-1]
    if last == ".":
        word = mention.split()[-1].casefold()
        initial = len(word) == 2 and word[0].isalpha()  # `Kléber Steven C. R.`
        if word.count(".") < 2 and word not in _ABBREVIATIONS and not initial:
            return "ends with a period that is not an abbreviation's"
    elif not last.isalnum():
        return f"ends with {last!r} (no quotes or punctuation at the end)"
    return None


def validate_record(record: dict) -> list[str]:
    """All problems of one gold record, as `doc-id: …` messages; empty when it is valid."""
    schema = load_schema()
    doc = record.get("id", "<no id>")
    problems: list[str] = []

    def add(message: str) -> None:
        problems.append(f"{doc}: {message}")

    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        add("has no text")
        return problems
    if record.get("lang") not in LANGS:
        add(f"lang must be one of {sorted(LANGS)}, got {record.get('lang')!r}")

    entities: dict[str, dict] = {}
    for entity in record.get("entities", []):
        eid = entity.get("id")
        if eid in entities:
            add(f"entity {eid} declared twice")
        entities[eid] = entity
        if entity.get("label") not in schema.entity_labels:
            add(f"entity {eid} has unknown label {entity.get('label')!r}")
        if not str(entity.get("name", "")).strip():
            add(f"entity {eid} has no name")
        if entity.get("label") == "CRIMINAL_ACTIVITY" and entity.get("name") not in schema.activity_keys:
            add(f"activity entity {eid} name {entity.get('name')!r} is not a taxonomy key ({', '.join(schema.activity_keys)})")

    mentioned: set[str] = set()
    previous = None
    for span in sorted(record.get("spans", []), key=lambda s: (s.get("start", -1), s.get("end", -1))):
        start, end = span.get("start"), span.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            add(f"span {start}-{end} lies outside the text (length {len(text)})")
            continue
        mention = text[start:end]
        where = f"span {start}-{end} {mention!r}"
        problem = _edge_problem(mention)
        if problem:
            add(f"{where} {problem}")
        if span.get("label") not in schema.entity_labels:
            add(f"{where} has unknown label {span.get('label')!r}")
        entity = entities.get(span.get("entity"))
        if entity is None:
            add(f"{where} names unknown entity {span.get('entity')!r}")
        else:
            mentioned.add(entity["id"])
            if entity.get("label") != span.get("label"):
                add(f"{where} has label {span.get('label')} but its entity {entity['id']} is {entity.get('label')}")
        if previous is not None and start < previous[1]:
            add(f"{where} overlaps span {previous[0]}-{previous[1]} {text[previous[0]:previous[1]]!r}")
        previous = (start, end)

    for eid in entities:
        if eid not in mentioned:
            add(f"entity {eid} ({entities[eid].get('name')!r}) has no span")

    seen: set[tuple] = set()
    for relation in record.get("relations", []):
        head, label, tail = relation.get("head"), relation.get("label"), relation.get("tail")
        where = f"relation {head} {label} {tail}"
        rtype = schema.relations.get(label)
        if rtype is None:
            add(f"{where} has unknown label")
            continue
        if head not in entities or tail not in entities:
            add(f"{where} names an unknown entity")
            continue
        if head == tail:
            add(f"{where} relates an entity to itself")
        if not isinstance(relation.get("hedged"), bool):
            add(f"{where} needs a boolean 'hedged'")
        head_label, tail_label = entities[head]["label"], entities[tail]["label"]
        if not rtype.allows(head_label, tail_label):
            add(f"{where} joins {head_label} → {tail_label}, which the guidelines do not allow for {label}")
        key = (label, *sorted((head, tail))) if rtype.symmetric else (label, head, tail)
        if key in seen:
            add(f"{where} is written twice")
        seen.add(key)
    return problems


def validate_corpus(records: Iterable[dict]) -> list[str]:
    problems: list[str] = []
    ids: set[str] = set()
    for record in records:
        if record.get("id") in ids:
            problems.append(f"{record.get('id')}: document id used twice")
        ids.add(record.get("id"))
        problems.extend(validate_record(record))
    return problems
