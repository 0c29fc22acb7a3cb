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
        for a, b in similar_name_pairs(choices, cfg["fuzzy_threshold"]):
            if _compatible_people(label, choices[a], choices[b]):
                uf.union(names[choices[a]], names[choices[b]])
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(entities)):
        clusters[uf.find(i)].append(i)
    return sorted(clusters.values(), key=lambda c: c[0])


def similar_name_pairs(names: list[str], threshold: float, q: int = 4) -> list[tuple[int, int]]:
    """Index pairs (a < b) of names whose rapidfuzz ratio is at least `threshold` (0-100).

    Comparing every name with every other grows with the square of the corpus (about 6 s for
    8,000 names, 90 s for 32,000, hours for a year of articles), so each name is compared only with names that could
    reach the threshold. The ratio is an Indel similarity, 1 - d / (len(a) + len(b)); at
    threshold t it allows at most d = 2(1 - t) len(a) / t insertions and deletions (15% of the
    name at t = 0.93). Each of those breaks at most one of d + 1 non-overlapping q-grams of the
    name, so any match holds at least one of them intact: the candidates are the names that
    hold one of the d + 1 rarest non-overlapping q-grams. The result is exactly the pairs a
    full comparison finds, at a cost that grows with the candidates, not the square.
    """
    from rapidfuzz import fuzz, process

    t = threshold / 100.0
    grams: dict[str, set[int]] = defaultdict(set)
    for n, name in enumerate(names):
        for k in range(len(name) - q + 1):
            grams[name[k:k + q]].add(n)
    pairs: set[tuple[int, int]] = set()
    for n, name in enumerate(names):
        edits = int(2 * (1 - t) * len(name) / t + 1e-9) if t > 0 else len(name)
        chosen = _disjoint_rare_grams(name, edits + 1, q, grams)
        if chosen is None:
            candidates = list(range(len(names)))  # too few q-grams to filter on: compare with every name
        else:
            candidates = sorted(set().union(*(grams[g] for g in chosen)) - {n})
        for _, _, m in process.extract(name, [names[m] for m in candidates], scorer=fuzz.ratio,
                                       score_cutoff=threshold, limit=None):
            m = candidates[m]
            if m != n:
                pairs.add((min(n, m), max(n, m)))
    return sorted(pairs)


def _disjoint_rare_grams(name: str, count: int, q: int, grams: dict[str, set[int]]) -> list[str] | None:
    """`count` non-overlapping q-grams of `name`, the rarest first; None if it has too few."""
    order = sorted(range(len(name) - q + 1), key=lambda k: (len(grams[name[k:k + q]]), k))
    taken: list[int] = []
    for k in order:
        if all(abs(k - j) >= q for j in taken):
            taken.append(k)
            if len(taken) == count:
                return [name[j:j + q] for j in taken]
    # The rarest-first choice can leave no room for the last ones: cut the name into `count`
    # equal pieces instead and take the rarest q-gram inside each.
    size = len(name) / count
    if size < q:
        return None
    pieces = [name[round(p * size):round((p + 1) * size)] for p in range(count)]
    return [min((piece[k:k + q] for k in range(len(piece) - q + 1)), key=lambda g: len(grams[g])) for piece in pieces]


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
