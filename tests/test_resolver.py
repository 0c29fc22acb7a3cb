"""Cross-document resolution (issue #7): what merges, what never merges, stable ids."""

import pytest

from pipeline.resolve.resolver import DocEntity, assign_ids, resolve
from pipeline.resolve.tables import build_corpus_tables


def E(doc, name, label="PERSON", aliases=(), key="", eid=None):
    return DocEntity(doc, eid or f"{doc}:{name}", label, name, list(aliases), key)


def same(a, b):
    clusters = resolve([a, b])
    return len(clusters) == 1


@pytest.mark.parametrize("a,b", [
    (E("d1", "Héctor Rusthenford Guerrero Flores", aliases=["Niño Guerrero"]), E("d2", "Niño Guerrero")),
    (E("d1", "Héctor Rusthenford Guerrero Flores"), E("d2", "Héctor Rustherford Guerrero Flores")),
    (E("d1", "Tren de Aragua", "CRIMINAL_GROUP"), E("d2", "Aragua Train", "CRIMINAL_GROUP")),
    (E("d1", "Cuerpo de Investigaciones Científicas, Penales y Criminalísticas", "ORGANIZATION"), E("d2", "CICPC", "ORGANIZATION")),
    (E("d1", "Cártel de Sinaloa", "CRIMINAL_GROUP"), E("d2", "Sinaloa Cartel", "CRIMINAL_GROUP")),
    (E("d1", "Guayaquil", "LOCATION", key="EC|geonames:3657509"), E("d2", "GUAYAQUIL", "LOCATION", key="EC|geonames:3657509")),
    (E("d1", "Los Meleán", "CRIMINAL_GROUP"), E("d2", "Los Melean", "CRIMINAL_GROUP")),
])
def test_merges(a, b):
    assert same(a, b)


@pytest.mark.parametrize("a,b", [
    (E("d1", "Guerrero"), E("d2", "Guerrero")),                                   # a surname alone
    (E("d1", "Héctor Guerrero Flores"), E("d2", "Pedro Guerrero")),               # shared surname
    (E("d1", "Guerrero", "LOCATION", key="MX-GRO"), E("d2", "Héctor Guerrero Flores")),  # a state and a person
    (E("d1", "Policía Nacional", "ORGANIZATION"), E("d2", "Policía Nacional", "ORGANIZATION")),  # generic body
    (E("d1", "Santa Cruz", "LOCATION", key="BO-S"), E("d2", "Santa Cruz", "LOCATION", key="BO|geonames:3904906")),
    (E("d1", "Los Choneros", "CRIMINAL_GROUP"), E("d2", "Los Lobos", "CRIMINAL_GROUP")),
    (E("d1", "José Adolfo Macías Villamar"), E("d2", "José Luis Macías Villamar")),
])
def test_never_merges(a, b):
    assert not same(a, b)


def test_canonical_tables_and_stable_ids():
    entities = [
        {"doc_id": "d1", "entity_id": "d1:E1", "label": "PERSON", "name": "Héctor Rusthenford Guerrero Flores",
         "aliases": ["Niño Guerrero", "Guerrero"], "key": ""},
        {"doc_id": "d1", "entity_id": "d1:E2", "label": "CRIMINAL_GROUP", "name": "Tren de Aragua", "aliases": [], "key": ""},
        {"doc_id": "d2", "entity_id": "d2:E1", "label": "PERSON", "name": "Niño Guerrero", "aliases": [], "key": ""},
        {"doc_id": "d2", "entity_id": "d2:E2", "label": "CRIMINAL_GROUP", "name": "Aragua Train", "aliases": ["TdA"], "key": ""},
    ]
    documents = [{"doc_id": "d1", "date": "2023-09-20"}, {"doc_id": "d2", "date": "2024-01-05"}]
    relations = [
        {"doc_id": "d1", "relation_id": "d1:R1", "head": "d1:E1", "label": "LEADER_OF", "tail": "d1:E2", "hedged": False,
         "confidence": 0.9, "evidence": "Guerrero leads the Tren de Aragua."},
        {"doc_id": "d2", "relation_id": "d2:R1", "head": "d2:E1", "label": "LEADER_OF", "tail": "d2:E2", "hedged": True,
         "confidence": 0.7, "evidence": "Niño Guerrero allegedly heads the Aragua Train."},
    ]
    tables = build_corpus_tables(entities, documents, relations)
    canon = {row["name"]: row for row in tables["canonical_entities"]}
    person = canon["Héctor Rusthenford Guerrero Flores"]
    assert person["n_documents"] == 2 and person["first_date"] == "2023-09-20" and person["last_date"] == "2024-01-05"
    assert {"name": "Niño Guerrero", "kind": "alias"} in person["aliases"]
    group = next(r for r in tables["canonical_entities"] if r["label"] == "CRIMINAL_GROUP")
    assert {"name": "TdA", "kind": "acronym"} in group["aliases"]
    [rel] = tables["corpus_relations"]
    assert rel["n_documents"] == 2 and rel["share_hedged"] == 0.5 and rel["example_doc_id"] == "d1"
    # Adding an unrelated article changes no id; a published id survives a re-resolution.
    ids = {e["entity_id"]: e["canonical_id"] for e in tables["entities"]}
    more = entities + [{"doc_id": "d3", "entity_id": "d3:E1", "label": "CRIMINAL_GROUP", "name": "Los Choneros",
                        "aliases": [], "key": ""}]
    again = build_corpus_tables(more, documents + [{"doc_id": "d3", "date": ""}], relations,
                                previous_ids={("d1", "d1:E1"): ids["d1:E1"]})
    assert all(ids[e["entity_id"]] == e["canonical_id"] for e in again["entities"] if e["entity_id"] in ids)


def test_two_people_with_one_name_get_two_ids():
    a = E("d1", "Juan Pérez", eid="a")
    b = E("d2", "Juan Pérez", eid="b")
    a.canonical_id, b.canonical_id = None, None
    clusters = [[0], [1]]
    ids = assign_ids([a, b], clusters)
    assert ids[0] != ids[1]


def test_fuzzy_candidates_find_exactly_the_pairs_a_full_comparison_finds():
    """The q-gram filter that keeps the fuzzy pass from comparing every name with every other
    must not lose a pair: on people's names from the corpus and their misspellings (a letter
    dropped, doubled or changed, as reporters and transcribers do), at the resolver's threshold
    and at looser ones, it returns what comparing all pairs returns."""
    import itertools
    import json
    from pathlib import Path

    from rapidfuzz import fuzz

    from pipeline.resolve.resolver import similar_name_pairs
    from pipeline.textnorm import normalize_name

    gold = Path(__file__).resolve().parents[1] / "corpus/gold/train.jsonl"
    people = sorted({normalize_name(e["name"]) for line in gold.read_text(encoding="utf-8").splitlines()
                     for e in json.loads(line)["entities"] if e["label"] == "PERSON"})
    people = [p for p in people if len(p) >= 8][:150]
    assert len(people) >= 100
    misspelled = [p[:3] + p[4:] for p in people[::3]] + [p[:5] + p[5] + p[5:] for p in people[1::3]] \
        + [p[:-2] + "x" + p[-1] for p in people[2::3]]
    names = sorted(set(people + misspelled))
    for threshold in (93, 85, 75):
        every_pair = [(a, b) for a, b in itertools.combinations(range(len(names)), 2)
                      if fuzz.ratio(names[a], names[b], score_cutoff=threshold)]
        assert similar_name_pairs(names, threshold) == every_pair
    assert len(similar_name_pairs(names, 93)) >= 100  # the misspellings are found, not just nothing
