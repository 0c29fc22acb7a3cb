"""Link document entities into corpus-level canonical entities (issue #7).

Document entities of one label join when they share a *merge key*:
  * the place ISO code or activity taxonomy key (`key` column);
  * a normalized name (NFKC, casefold, accents, quotes and possessives removed) that is not
    generic (`National Police` names a different body in each country) and, for people, has
    at least two words: a surname alone never links two documents;
  * the canonical name of a known group or agency whose variant it is (gazetteer data:
    `Aragua Train` → `Tren de Aragua`, `CICPC` → its full Spanish name);
  * a fuzzy match (rapidfuzz ratio ≥ `fuzzy_threshold`) between long names of one label,
    which catches spelling variants (`Rustherford` / `Rusthenford`).
Aliases and acronyms that the text tied to an entity are among its names, so they link too.
Canonical ids are stable: an id already published is kept; a new cluster's id hashes its
label and canonical name, so adding unrelated articles changes no id.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from pipeline.nlp.lexicon import load_json, load_jsonl
from pipeline.textnorm import normalize_name
from pipeline.unionfind import UnionFind


@lru_cache(maxsize=1)
def settings() -> dict:
    return load_json("resolver.json", ["fuzzy_threshold", "fuzzy_min_chars", "person_min_tokens", "generic_names"])


@lru_cache(maxsize=1)
def known_variants() -> dict[tuple[str, str], str]:
    """(label, normalized variant) → canonical name, from the gazetteer data."""
    table = {}
    for filename, label in (("criminal_groups.jsonl", "CRIMINAL_GROUP"), ("organizations.jsonl", "ORGANIZATION"),
                            ("facilities.jsonl", "FACILITY")):
        try:
            records = load_jsonl(filename, ["name"], ("variants", "country", "parent", "kind", "located_in"))
        except FileNotFoundError:
            continue
        for record in records:
            for form in [record["name"], *record.get("variants", [])]:
                table.setdefault((label, normalize_name(form)), record["name"])
    return table


@dataclass
class DocEntity:
    doc_id: str
    entity_id: str
    label: str
    name: str
    aliases: list[str]
    key: str = ""
    date: str = ""
    canonical_id: str | None = None  # as published by an earlier run

    def names(self) -> set[str]:
        return {n for n in (normalize_name(x) for x in [self.name, *self.aliases]) if n}


@lru_cache(maxsize=1)
def generic_names() -> frozenset[str]:
    """Normalized names too generic to link documents (`National Police`)."""
    return frozenset(normalize_name(g) for g in settings()["generic_names"])


def merge_keys(entity: DocEntity) -> set[str]:
    cfg = settings()
    generic = generic_names()
    keys = set()
    if entity.key and entity.label in ("LOCATION", "CRIMINAL_ACTIVITY"):
        keys.add(f"key:{entity.key}")
        if entity.label == "CRIMINAL_ACTIVITY":
            return keys
    variants = known_variants()
    for name in entity.names():
        if name in generic:
            continue
        if entity.label == "PERSON" and len(name.split()) < cfg["person_min_tokens"]:
            continue
        if entity.label == "LOCATION" and entity.key:
            continue  # places link by code: `Santa Cruz` the city and the department differ
        keys.add(f"name:{name}")
        canonical = variants.get((entity.label, name))
        if canonical:
            keys.add(f"known:{canonical}")
    return keys


def resolve(entities: list[DocEntity]) -> list[list[int]]:
    """Clusters of indices into `entities`, in a deterministic order."""
    from rapidfuzz import fuzz, process

    cfg = settings()
    uf = UnionFind(len(entities))
    owner: dict[tuple[str, str], int] = {}
    keys_of = [merge_keys(entity) for entity in entities]
    for i, entity in enumerate(entities):
        for key in keys_of[i]:
            j = owner.setdefault((entity.label, key), i)
            uf.union(i, j)
    # Fuzzy pass over long names of one label (spelling variants).
    by_label: dict[str, dict[str, int]] = defaultdict(dict)
    for i, entity in enumerate(entities):
        for key in keys_of[i]:
            if key.startswith("name:") and len(key) - 5 >= cfg["fuzzy_min_chars"]:
                by_label[entity.label].setdefault(key[5:], i)
    for label, names in by_label.items():
        choices = list(names)
        for name, i in names.items():
            for other, score, _ in process.extract(name, choices, scorer=fuzz.ratio, limit=5,
                                                   score_cutoff=cfg["fuzzy_threshold"]):
                if other != name and _compatible_people(label, name, other):
                    uf.union(i, names[other])
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(entities)):
        clusters[uf.find(i)].append(i)
    return sorted(clusters.values(), key=lambda c: c[0])


def _compatible_people(label: str, a: str, b: str) -> bool:
    """Two people's names may be spelling variants only if they have as many words."""
    return label != "PERSON" or len(a.split()) == len(b.split())


def canonical_name(members: list[DocEntity]) -> str:
    counts = Counter(m.name for m in members)
    return max(counts, key=lambda n: (counts[n], len(n.split()), len(n), n))


def new_canonical_id(label: str, name: str) -> str:
    return "C-" + hashlib.sha256(f"{label}|{normalize_name(name)}".encode()).hexdigest()[:12]


def alias_kind(alias: str, canonical: str, label: str) -> str:
    """acronym (`TdA`, `CICPC`), variant (case, accents, spelling), translation (another
    form of a known group or agency: `Aragua Train`), else alias."""
    from rapidfuzz import fuzz

    na, nc = normalize_name(alias), normalize_name(canonical)
    compact = alias.replace(".", "").replace("-", "")
    if " " not in alias and len(compact) <= 10 and sum(c.isupper() for c in compact) >= 2 and not compact.istitle():
        return "acronym"
    if na == nc or fuzz.ratio(na, nc) >= settings()["fuzzy_threshold"]:
        return "variant"
    known = known_variants()
    if known.get((label, na)) and known.get((label, na)) == known.get((label, nc)):
        return "translation"
    return "alias"


def assign_ids(entities: list[DocEntity], clusters: list[list[int]]) -> list[str]:
    """One canonical id per cluster: an earlier published id if any member had one."""
    ids = []
    used: set[str] = set()
    for cluster in clusters:
        old = sorted({entities[i].canonical_id for i in cluster if entities[i].canonical_id} - used)
        members = [entities[i] for i in cluster]
        cid = old[0] if old else new_canonical_id(members[0].label, canonical_name(members))
        while cid in used:  # two clusters with one name (two different people): keep ids apart
            cid = new_canonical_id(members[0].label, canonical_name(members) + "|" + members[0].doc_id + members[0].entity_id)
        used.add(cid)
        ids.append(cid)
    return ids
