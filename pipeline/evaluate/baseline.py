"""The baseline every report is compared with (issue #4).

Mentions: plain en_core_web_sm with its OntoNotes labels mapped to ours. Relations: every pair
of type-compatible entities that co-occur in a sentence gets the most frequent gold label for
that (head label, tail label) pair in the train split.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

from spacy.language import Language


def cooccurrence_table(train_docs: list[dict]) -> dict[tuple[str, str], str]:
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for record in train_docs:
        labels = {e["id"]: e["label"] for e in record["entities"]}
        for rel in record["relations"]:
            counts[(labels[rel["head"]], labels[rel["tail"]])][rel["label"]] += 1
    return {pair: c.most_common(1)[0][0] for pair, c in counts.items()}


def cooccurrence_relations(record: dict, table: dict[tuple[str, str], str]) -> list[dict]:
    labels = {e["id"]: e["label"] for e in record["entities"]}
    by_sentence: dict[int, set[str]] = defaultdict(set)
    for span in record["spans"]:
        if span.get("entity"):
            by_sentence[span.get("sentence", 0)].add(span["entity"])
    relations, seen = [], set()
    for entities in by_sentence.values():
        for a, b in combinations(sorted(entities), 2):
            for head, tail in ((a, b), (b, a)):
                label = table.get((labels[head], labels[tail]))
                if label and (head, label, tail) not in seen:
                    seen.add((head, label, tail))
                    relations.append({"head": head, "label": label, "tail": tail, "hedged": False})
                    break
    return relations


def baseline_pipeline() -> Language:
    from pipeline.nlp.build import build_rule_pipeline

    return build_rule_pipeline(components=["crimeie_ontonotes_mapper", "crimeie_merge", "crimeie_entities"])


def baseline_records(gold_docs: list[dict], train_docs: list[dict]) -> list[dict]:
    from pipeline.evaluate.predict import predict_records

    table = cooccurrence_table(train_docs)
    records = predict_records(baseline_pipeline(), gold_docs)
    for record in records:
        record["relations"] = cooccurrence_relations(record, table)
    return records
