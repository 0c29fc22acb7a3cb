"""The hand-authoring format for gold labels, and its conversion to gold JSONL records.

A person labels an article without counting offsets. A `.ann` file has four parts separated
by lines holding only `---`:

    id: doc-0001
    lang: en
    title: Tren de Aragua's leader escapes
    date: 2023-09-20
    source: analysis
    ---
    [[Héctor Rusthenford Guerrero Flores|E1]], alias “[[Niño Guerrero|E1]]”, led the
    [[Tren de Aragua|E2]] from [[Tocorón|F1]] prison, where it ran [[extortion|A1]] rackets.
    ---
    E1 PERSON Héctor Rusthenford Guerrero Flores
    E2 CRIMINAL_GROUP Tren de Aragua
    F1 FACILITY Tocorón
    A1 CRIMINAL_ACTIVITY extortion
    ---
    E1 LEADER_OF E2
    E1 IMPRISONED_IN F1
    E2 ENGAGED_IN A1 hedged

Mentions are written `[[surface text|ENTITY_ID]]`; the text of the article is the body with
the markup removed and surrounding whitespace stripped. Entity lines are `ID LABEL name`.
Relation lines are `HEAD LABEL TAIL`, followed by the word `hedged` when the text only
alleges the relation. Lines starting with `#` in the last two parts are comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MENTION = re.compile(r"\[\[([^\[\]|]+)\|([A-Za-z][A-Za-z0-9_]*)\]\]")
HEADER_KEYS = ("id", "lang", "title", "date", "source")


class AuthoringError(ValueError):
    """A problem in a `.ann` file, with the file and line it was found on."""

    def __init__(self, path: str, line: int | None, message: str):
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class _Section:
    first_line: int
    lines: list[str]


def _split_sections(path: str, source: str) -> list[_Section]:
    sections = [_Section(1, [])]
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip() == "---" and len(sections) < 4:
            sections.append(_Section(number + 1, []))
        else:
            sections[-1].lines.append(line)
    if len(sections) != 4:
        raise AuthoringError(path, None, f"expected 4 parts separated by '---' lines (header, text, entities, relations), found {len(sections)}")
    return sections


def parse_ann(source: str, path: str = "<string>") -> dict:
    """Parse one `.ann` document into a gold JSONL record (corpus/GUIDELINES.md §1)."""
    header, body, entity_part, relation_part = _split_sections(path, source)

    meta: dict[str, str] = {}
    for offset, line in enumerate(header.lines):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or key not in HEADER_KEYS:
            raise AuthoringError(path, header.first_line + offset, f"header line must be one of {HEADER_KEYS} as 'key: value', got {line!r}")
        meta[key] = value.strip()
    for key in ("id", "lang"):
        if not meta.get(key):
            raise AuthoringError(path, None, f"header has no {key!r}")

    raw = "\n".join(body.lines)
    first_text_line = body.first_line + raw[:len(raw) - len(raw.lstrip())].count("\n")
    raw = raw.strip()
    text_parts: list[str] = []
    spans: list[dict] = []
    cursor = 0
    length = 0
    for match in MENTION.finditer(raw):
        before = raw[cursor:match.start()]
        text_parts.append(before)
        length += len(before)
        surface, entity = match.group(1), match.group(2)
        spans.append({"start": length, "end": length + len(surface), "entity": entity,
                      "_line": first_text_line + raw[:match.start()].count("\n")})
        text_parts.append(surface)
        length += len(surface)
        cursor = match.end()
    text_parts.append(raw[cursor:])
    text = "".join(text_parts)
    for leftover in ("[[", "]]"):
        at = text.find(leftover)
        if at >= 0:
            line = body.first_line + text[:at].count("\n")
            raise AuthoringError(path, line, f"unbalanced or malformed mention markup near {text[max(0, at-30):at+30]!r}")

    entities: dict[str, dict] = {}
    for offset, line in enumerate(entity_part.lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = stripped.split(None, 2)
        if len(fields) < 3:
            raise AuthoringError(path, entity_part.first_line + offset, f"entity line must be 'ID LABEL name', got {line!r}")
        entity_id, label, name = fields
        if entity_id in entities:
            raise AuthoringError(path, entity_part.first_line + offset, f"entity {entity_id} declared twice")
        entities[entity_id] = {"id": entity_id, "label": label, "name": name.strip()}

    for span in spans:
        entity = entities.get(span["entity"])
        if entity is None:
            raise AuthoringError(path, span["_line"], f"mention {text[span['start']:span['end']]!r} names undeclared entity {span['entity']}")
        span["label"] = entity["label"]

    relations = []
    for offset, line in enumerate(relation_part.lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = stripped.split()
        if len(fields) not in (3, 4) or (len(fields) == 4 and fields[3] != "hedged"):
            raise AuthoringError(path, relation_part.first_line + offset, f"relation line must be 'HEAD LABEL TAIL [hedged]', got {line!r}")
        head, label, tail = fields[:3]
        for arg in (head, tail):
            if arg not in entities:
                raise AuthoringError(path, relation_part.first_line + offset, f"relation names undeclared entity {arg}")
        relations.append({"head": head, "label": label, "tail": tail, "hedged": len(fields) == 4})

    return {
        "id": meta["id"],
        "lang": meta["lang"],
        "text": text,
        "meta": {k: meta.get(k, "") for k in ("title", "date", "source")},
        "entities": list(entities.values()),
        "spans": [{"start": s["start"], "end": s["end"], "label": s["label"], "entity": s["entity"]} for s in spans],
        "relations": relations,
    }


def read_ann(path: str | Path) -> dict:
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise AuthoringError(str(path), None, f"not UTF-8 ({err.reason} at byte {err.start})") from err
    return parse_ann(source, str(path))


def to_ann(record: dict, with_labels: bool = True) -> str:
    """Write a gold record back in the authoring format (or as bare text to label afresh)."""
    meta = record.get("meta", {})
    header = [f"id: {record['id']}", f"lang: {record.get('lang', 'en')}"]
    header += [f"{k}: {meta[k]}" for k in ("title", "date", "source") if meta.get(k)]
    text = record["text"]
    if with_labels:
        parts, cursor = [], 0
        for span in sorted(record["spans"], key=lambda s: (s["start"], s["end"])):
            parts.append(text[cursor:span["start"]])
            parts.append(f"[[{text[span['start']:span['end']]}|{span['entity']}]]")
            cursor = span["end"]
        parts.append(text[cursor:])
        body = "".join(parts)
        entities = [f"{e['id']} {e['label']} {e['name']}" for e in record["entities"]]
        relations = [f"{r['head']} {r['label']} {r['tail']}" + (" hedged" if r.get("hedged") else "")
                     for r in record["relations"]]
    else:
        body, entities, relations = text, [], []
    return "\n".join(header + ["---", body, "---", *entities, "---", *relations]) + "\n"
