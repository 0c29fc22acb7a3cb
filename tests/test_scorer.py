"""The evaluator's scoring core (corpus/GUIDELINES.md §5) on small hand-made records."""

from __future__ import annotations

import copy

import pytest

from pipeline.evaluate.report import format_report
from pipeline.evaluate.scorer import error_rows, score
from pipeline.schema import load_schema

TEXT = ("Héctor Guerrero Flores, alias “Niño” Guerrero, leads the Tren de Aragua. "
        "The gang is at war with Los Meleán in Aragua.\n"
        "Police arrested Guerrero in Caracas.")


def span(text: str, mention: str, label: str, entity: str, nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(mention, start + 1)
    return {"start": start, "end": start + len(mention), "label": label, "entity": entity}


def rel(head: str, label: str, tail: str, hedged: bool = False) -> dict:
    return {"head": head, "label": label, "tail": tail, "hedged": hedged}


def gold_doc(doc_id: str = "d1") -> dict:
    t = TEXT
    return {
        "id": doc_id, "lang": "en", "text": t,
        "entities": [
            {"id": "P1", "label": "PERSON", "name": "Héctor Guerrero Flores"},
            {"id": "G1", "label": "CRIMINAL_GROUP", "name": "Tren de Aragua"},
            {"id": "G2", "label": "CRIMINAL_GROUP", "name": "Los Meleán"},
            {"id": "L1", "label": "LOCATION", "name": "Aragua"},
            {"id": "L2", "label": "LOCATION", "name": "Caracas"},
        ],
        "spans": [
            span(t, "Héctor Guerrero Flores", "PERSON", "P1"),
            span(t, "Niño” Guerrero", "PERSON", "P1"),
            span(t, "Tren de Aragua", "CRIMINAL_GROUP", "G1"),
            span(t, "Los Meleán", "CRIMINAL_GROUP", "G2"),
            span(t, "Aragua", "LOCATION", "L1", nth=1),
            span(t, "Guerrero", "PERSON", "P1", nth=2),
            span(t, "Caracas", "LOCATION", "L2"),
        ],
        "relations": [
            rel("P1", "LEADER_OF", "G1"),
            rel("G1", "RIVAL_OF", "G2"),
            rel("G2", "OPERATES_IN", "L1", hedged=True),
        ],
    }


def entity(doc: dict, eid: str) -> dict:
    return next(e for e in doc["entities"] if e["id"] == eid)


F1_PATHS = [("mentions", "strict"), ("mentions", "lenient"), ("entities", "micro"),
            ("relations", "micro"), ("aliases",)]


def get(metrics: dict, path: tuple[str, ...]) -> dict:
    for key in path:
        metrics = metrics[key]
    return metrics


# exact match and result shape

def test_exact_match_scores_one_everywhere():
    m = score([gold_doc()], [gold_doc()], n_bootstrap=50)
    for path in F1_PATHS:
        block = get(m, path)
        assert (block["precision"], block["recall"], block["f1"]) == (1.0, 1.0, 1.0), path
        assert block["fp"] == block["fn"] == 0
    assert m["aliases"]["tp"] == 3  # héctor guerrero flores / niño guerrero / guerrero
    assert m["relations"]["hedged_agreement"] == {"share": 1.0, "matched": 3}
    assert m["counts"] == {"documents": 1, "gold_spans": 7, "pred_spans": 7,
                           "gold_entities": 5, "pred_entities": 5, "gold_relations": 3,
                           "pred_relations": 3, "unmatched_pred_docs": 0}


def test_per_label_blocks_cover_every_schema_label():
    m = score([gold_doc()], [gold_doc()], n_bootstrap=0)
    schema = load_schema()
    assert list(m["mentions"]["per_label"]) == list(schema.entity_labels)
    assert list(m["entities"]["per_label"]) == list(schema.entity_labels)
    assert list(m["relations"]["per_label"]) == list(schema.relation_labels)
    assert m["mentions"]["per_label"]["FACILITY"]["strict"] == {
        "precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 0}
    assert m["relations"]["per_label"]["RIVAL_OF"]["tp"] == 1
    assert m["mentions"]["strict"]["ci95"] is None


# mentions

def test_boundary_miss_is_wrong_strict_but_right_lenient():
    pred = gold_doc()
    s = next(s for s in pred["spans"] if s["entity"] == "G1")
    s["start"] -= len("the ")
    m = score([gold_doc()], [pred], n_bootstrap=0)
    strict, lenient = m["mentions"]["strict"], m["mentions"]["lenient"]
    assert (strict["tp"], strict["fp"], strict["fn"]) == (6, 1, 1)
    assert (lenient["tp"], lenient["fp"], lenient["fn"]) == (7, 0, 0)
    group = m["mentions"]["per_label"]["CRIMINAL_GROUP"]
    assert group["strict"]["f1"] == 0.5
    assert group["lenient"]["f1"] == 1.0


def test_wrong_label_is_wrong_both_ways():
    pred = gold_doc()
    for s in pred["spans"]:
        if s["entity"] == "G2":
            s["label"] = "LOCATION"
    entity(pred, "G2")["label"] = "LOCATION"
    m = score([gold_doc()], [pred], n_bootstrap=0)
    for kind in ("strict", "lenient"):
        assert (m["mentions"][kind]["tp"], m["mentions"][kind]["fp"],
                m["mentions"][kind]["fn"]) == (6, 1, 1)
        assert m["mentions"]["per_label"]["LOCATION"][kind]["fp"] == 1
        assert m["mentions"]["per_label"]["CRIMINAL_GROUP"][kind]["fn"] == 1
    assert m["entities"]["per_label"]["CRIMINAL_GROUP"]["fn"] == 1
    assert m["entities"]["per_label"]["LOCATION"]["fp"] == 1


def test_lenient_matching_is_one_to_one_by_largest_overlap():
    text = "Tren de Aragua members."
    gold = {"id": "x", "text": text, "entities": [], "relations": [],
            "spans": [span(text, "Tren de Aragua", "CRIMINAL_GROUP", "G1")]}
    pred = copy.deepcopy(gold)
    pred["spans"] = [span(text, "Tren", "CRIMINAL_GROUP", "G1"),
                     span(text, "Tren de", "CRIMINAL_GROUP", "G1")]
    rows = error_rows([gold], [pred])
    m = score([gold], [pred], n_bootstrap=0)
    assert (m["mentions"]["lenient"]["tp"], m["mentions"]["lenient"]["fp"]) == (1, 1)
    assert m["mentions"]["strict"]["tp"] == 0
    assert {r["text"] for r in rows["mention_fp"]} == {"Tren", "Tren de"}


# entities and aliases

@pytest.mark.parametrize("pred_name, matches", [
    ("“Niño” Guerrero’s", True),
    ("NIÑO GUERRERO", True),
    ("'Nino'   Guerrero's", True),
    ("Niña Guerrero", False),
    ("Nino Guerreros", False),
])
def test_entity_names_are_normalized(pred_name, matches):
    text = "Nino Guerrero was seen. Tren de Aragua grew."
    gold = {"id": "n", "text": text,
            "entities": [{"id": "P1", "label": "PERSON", "name": "Nino Guerrero"},
                         {"id": "G1", "label": "CRIMINAL_GROUP", "name": "Tren de Aragua"}],
            "spans": [span(text, "Nino Guerrero", "PERSON", "P1"),
                      span(text, "Tren de Aragua", "CRIMINAL_GROUP", "G1")],
            "relations": [rel("P1", "LEADER_OF", "G1")]}
    pred = copy.deepcopy(gold)
    pred["spans"] = []  # names come from `name` alone
    entity(pred, "P1")["name"] = pred_name
    m = score([gold], [pred], n_bootstrap=0)
    assert m["entities"]["per_label"]["PERSON"]["tp"] == int(matches)
    assert m["relations"]["micro"]["tp"] == int(matches)


def test_entity_names_include_aliases_and_span_texts():
    gold = gold_doc()
    pred = copy.deepcopy(gold)
    pred["spans"] = []
    entity(pred, "P1")["name"] = "Hector Rusthenford Guerrero"
    entity(pred, "P1")["aliases"] = ["Niño Guerrero"]
    m = score([gold], [pred], n_bootstrap=0)
    assert m["entities"]["per_label"]["PERSON"]["tp"] == 1
    # "Niño” Guerrero" is a gold span text, not the gold name
    del entity(pred, "P1")["aliases"]
    m = score([gold], [pred], n_bootstrap=0)
    assert m["entities"]["per_label"]["PERSON"]["tp"] == 0


def test_entity_matching_is_maximum_not_greedy():
    def doc(entities):
        return {"id": "m", "text": "", "spans": [], "relations": [], "entities": [
            {"id": eid, "label": "PERSON", "name": names[0], "aliases": names[1:]}
            for eid, names in entities]}
    gold = doc([("X", ["Alpha"]), ("Y", ["Beta"])])
    # A is listed first and is compatible with both; a greedy pass would give A to X
    pred = doc([("A", ["Alpha", "Beta"]), ("B", ["Alpha"])])
    m = score([gold], [pred], n_bootstrap=0)
    assert (m["entities"]["micro"]["tp"], m["entities"]["micro"]["fp"]) == (2, 0)


def test_alias_pair_found_and_lost_when_split():
    text = "Héctor Guerrero Flores, known as Niño Guerrero, escaped."
    gold = {"id": "a", "text": text, "relations": [],
            "entities": [{"id": "P1", "label": "PERSON", "name": "Héctor Guerrero Flores"}],
            "spans": [span(text, "Héctor Guerrero Flores", "PERSON", "P1"),
                      span(text, "Niño Guerrero", "PERSON", "P1")]}
    m = score([gold], [copy.deepcopy(gold)], n_bootstrap=0)
    assert (m["aliases"]["tp"], m["aliases"]["fp"], m["aliases"]["fn"]) == (1, 0, 0)

    split = copy.deepcopy(gold)
    split["entities"].append({"id": "P2", "label": "PERSON", "name": "Niño Guerrero"})
    split["spans"][1]["entity"] = "P2"
    m = score([gold], [split], n_bootstrap=0)
    assert (m["aliases"]["tp"], m["aliases"]["fp"], m["aliases"]["fn"]) == (0, 0, 1)
    assert m["aliases"]["recall"] == 0.0
    assert (m["entities"]["micro"]["tp"], m["entities"]["micro"]["fp"]) == (1, 1)


# relations

@pytest.mark.parametrize("label, symmetric", [
    ("RIVAL_OF", True), ("ALLY_OF", True), ("PART_OF", False), ("LINKED_TO", False)])
@pytest.mark.parametrize("reverse", [False, True])
def test_relation_direction(label, symmetric, reverse):
    gold = gold_doc()
    gold["relations"] = [rel("G1", label, "G2")]
    pred = copy.deepcopy(gold)
    pred["relations"] = [rel("G2", label, "G1") if reverse else rel("G1", label, "G2")]
    m = score([gold], [pred], n_bootstrap=0)
    expected = 1 if (symmetric or not reverse) else 0
    assert m["relations"]["micro"]["tp"] == expected
    assert m["relations"]["per_label"][label]["fp"] == 1 - expected


def test_relation_with_wrong_label_or_unmatched_argument_misses():
    pred = gold_doc()
    pred["relations"] = [rel("P1", "MEMBER_OF", "G1"), rel("G1", "RIVAL_OF", "L1"),
                         rel("G2", "OPERATES_IN", "L1", hedged=True)]
    m = score([gold_doc()], [pred], n_bootstrap=0)
    r = m["relations"]["micro"]
    assert (r["tp"], r["fp"], r["fn"]) == (1, 2, 2)
    assert m["relations"]["per_label"]["MEMBER_OF"]["fp"] == 1
    assert m["relations"]["per_label"]["LEADER_OF"]["fn"] == 1


def test_hedged_disagreement_still_matches():
    pred = gold_doc()
    pred["relations"] = [rel("G2", "OPERATES_IN", "L1", hedged=False)]
    gold = gold_doc()
    gold["relations"] = [rel("G2", "OPERATES_IN", "L1", hedged=True)]
    m = score([gold], [pred], n_bootstrap=0)
    assert m["relations"]["micro"]["f1"] == 1.0
    assert m["relations"]["hedged_agreement"] == {"share": 0.0, "matched": 1}


def test_hedged_agreement_is_none_without_matches():
    pred = gold_doc()
    pred["relations"] = []
    m = score([gold_doc()], [pred], n_bootstrap=0)
    assert m["relations"]["hedged_agreement"] == {"share": None, "matched": 0}


def test_duplicate_pred_relations_count_once():
    pred = gold_doc()
    pred["relations"] += [rel("P1", "LEADER_OF", "G1"), rel("G2", "RIVAL_OF", "G1")]
    m = score([gold_doc()], [pred], n_bootstrap=0)
    r = m["relations"]["micro"]
    assert (r["tp"], r["fp"], r["fn"], r["precision"]) == (3, 0, 0, 1.0)
    assert m["counts"]["pred_relations"] == 3


# documents

def test_missing_pred_document_is_all_false_negatives():
    second = gold_doc("d2")
    stray = gold_doc("stray")
    m = score([gold_doc("d1"), second], [gold_doc("d1"), stray], n_bootstrap=0)
    assert m["counts"]["documents"] == 2
    assert m["counts"]["unmatched_pred_docs"] == 1
    assert m["counts"]["pred_spans"] == 7
    assert m["counts"]["gold_spans"] == 14
    for path in F1_PATHS:
        block = get(m, path)
        assert block["precision"] == 1.0 and block["recall"] == 0.5, path
    assert m["relations"]["micro"]["fn"] == 3


def test_duplicate_document_ids_are_rejected():
    with pytest.raises(ValueError, match="duplicate gold"):
        score([gold_doc("d1"), gold_doc("d1")], [], n_bootstrap=0)


# bootstrap

def varied_docs() -> tuple[list[dict], list[dict]]:
    golds, preds = [], []
    for i in range(12):
        gold, pred = gold_doc(f"d{i}"), gold_doc(f"d{i}")
        pred["spans"] = pred["spans"][: 3 + i % 5]
        pred["relations"] = pred["relations"][: i % 4]
        if i % 3 == 0:
            pred["entities"][0]["name"] = "Someone Else"
        golds.append(gold)
        preds.append(pred)
    return golds, preds


def test_bootstrap_interval_contains_estimate_and_is_reproducible():
    golds, preds = varied_docs()
    a = score(golds, preds, n_bootstrap=300, seed=7)
    b = score(golds, preds, n_bootstrap=300, seed=7)
    c = score(golds, preds, n_bootstrap=300, seed=8)
    for path in F1_PATHS:
        lo, hi = get(a, path)["ci95"]
        assert lo <= get(a, path)["f1"] <= hi, path
        assert get(a, path)["ci95"] == get(b, path)["ci95"]
    assert get(a, ("mentions", "strict"))["ci95"][0] < get(a, ("mentions", "strict"))["ci95"][1]
    assert any(get(a, p)["ci95"] != get(c, p)["ci95"] for p in F1_PATHS)


# error rows

def test_error_rows_find_mention_and_relation_errors():
    gold = gold_doc()
    pred = gold_doc()
    for s in pred["spans"]:
        if s["entity"] == "L2":
            s["label"] = "FACILITY"          # wrong label: FP + FN at the same place
    pred["spans"] = [s for s in pred["spans"] if s["entity"] != "G2"]   # missed mention
    pred["relations"] = [rel("P1", "LEADER_OF", "G1"), rel("G1", "RIVAL_OF", "G2"),
                         {**rel("P1", "IMPRISONED_IN", "L2"), "evidence": "arrested in Caracas"}]
    rows = error_rows([gold], [pred], context_chars=21)

    assert [(r["text"], r["label"], r["overlapping_gold"]) for r in rows["mention_fp"]] == [
        ("Caracas", "FACILITY", "LOCATION")]
    assert rows["mention_fp"][0]["context"] == "arrested Guerrero in [[Caracas]]."
    fn = {(r["text"], r["label"], r["overlapping_pred"]) for r in rows["mention_fn"]}
    assert fn == {("Caracas", "LOCATION", "FACILITY"), ("Los Meleán", "CRIMINAL_GROUP", None)}
    meleán = next(r for r in rows["mention_fn"] if r["text"] == "Los Meleán")
    assert "[[Los Meleán]]" in meleán["context"] and meleán["doc_id"] == "d1"

    assert rows["relation_fp"] == [{
        "doc_id": "d1", "head_name": "Héctor Guerrero Flores", "label": "IMPRISONED_IN",
        "tail_name": "Caracas", "hedged": False, "evidence": "arrested in Caracas"}]
    assert rows["relation_fn"] == [{
        "doc_id": "d1", "head_name": "Los Meleán", "label": "OPERATES_IN",
        "tail_name": "Aragua", "hedged": True,
        "evidence": "The gang is at war with Los Meleán in Aragua."}]


def test_relation_evidence_is_empty_without_a_shared_window():
    gold = gold_doc()
    gold["relations"] = [rel("G1", "OPERATES_IN", "L2")]   # different sentences
    pred = copy.deepcopy(gold)
    pred["relations"] = [rel("P1", "IMPRISONED_IN", "L2")]  # "Guerrero ... Caracas" share one
    rows = error_rows([gold], [pred])
    assert rows["relation_fn"][0]["evidence"] == ""
    assert rows["relation_fp"][0]["evidence"] == "Police arrested Guerrero in Caracas."


def test_error_rows_empty_on_exact_match():
    assert error_rows([gold_doc()], [gold_doc()]) == {
        "mention_fp": [], "mention_fn": [], "relation_fp": [], "relation_fn": []}


# report

def test_report_lists_blocks_labels_and_baseline_delta():
    golds, preds = varied_docs()
    metrics = score(golds, preds, n_bootstrap=100)
    base = score(golds, golds, n_bootstrap=100)
    plain = format_report(metrics, title="dev")
    text = format_report(metrics, baseline=base, title="dev")
    assert plain.startswith("dev\n===")
    for needle in ("mentions strict", "aliases", "LEADER_OF", "CRIMINAL_ACTIVITY",
                   "hedged agreement", "documents 12"):
        assert needle in text
    assert "Δ" in text and "Δ" not in plain
    delta = metrics["relations"]["micro"]["f1"] - 1.0
    relations_row = next(line for line in text.splitlines() if line.startswith("relations "))
    assert f"{delta:+.4f}" in relations_row
