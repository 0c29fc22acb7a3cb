"""Pairwise precision and recall of the resolver on hand-labelled cross-document pairs.

The resolver runs over the gold entities of the whole corpus (names and mention texts as they
were written, places keyed by the place gazetteer as the pipeline would); each labelled pair
is then a true or false positive or negative by whether both land in one canonical entity.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.resolve.resolver import DocEntity, resolve


def gold_doc_entities(records: list[dict]) -> list[DocEntity]:
    from pipeline.nlp.places import place_index

    places = place_index()
    out = []
    for record in records:
        texts: dict[str, list[str]] = {}
        for s in record["spans"]:
            texts.setdefault(s["entity"], []).append(record["text"][s["start"]:s["end"]])
        for e in record["entities"]:
            aliases = sorted(set(texts.get(e["id"], [])) - {e["name"]})
            key = ""
            if e["label"] == "CRIMINAL_ACTIVITY":
                key = e["name"]
            elif e["label"] == "LOCATION":
                place = places.best(e["name"])
                key = place.key if place else ""
            out.append(DocEntity(record["id"], e["id"], e["label"], e["name"], aliases, key,
                                 record.get("meta", {}).get("date", "")))
    return out


def evaluate_pairs(records: list[dict], pairs_path: Path) -> dict:
    entities = gold_doc_entities(records)
    cluster_of = {}
    for n, cluster in enumerate(resolve(entities)):
        for i in cluster:
            cluster_of[(entities[i].doc_id, entities[i].entity_id)] = n
    tp = fp = fn = tn = 0
    errors = []
    for number, line in enumerate(pairs_path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        pair = json.loads(line)
        a, b = (pair["a"]["doc"], pair["a"]["entity"]), (pair["b"]["doc"], pair["b"]["entity"])
        if a not in cluster_of or b not in cluster_of:
            raise ValueError(f"{pairs_path}:{number}: unknown entity {a if a not in cluster_of else b}")
        merged = cluster_of[a] == cluster_of[b]
        if merged and pair["same"]:
            tp += 1
        elif merged:
            fp += 1
            errors.append({"kind": "false merge", **pair})
        elif pair["same"]:
            fn += 1
            errors.append({"kind": "missed merge", **pair})
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pairs": tp + fp + fn + tn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "errors": errors}
