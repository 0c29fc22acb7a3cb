"""The resolution step of a run: entities get canonical ids; the corpus-level tables are built."""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa

from pipeline.resolve.resolver import DocEntity, alias_kind, assign_ids, canonical_name, resolve
from pipeline.schema import load_schema
from pipeline.tables.schema import CANONICAL_ENTITIES, CORPUS_RELATIONS, ENTITIES


def build_corpus_tables(entities: list[dict], documents: list[dict], relations: list[dict],
                        previous_ids: dict[tuple[str, str], str] | None = None) -> dict[str, list[dict]]:
    dates = {d["doc_id"]: d.get("date") or "" for d in documents}
    previous_ids = previous_ids or {}
    doc_entities = [DocEntity(e["doc_id"], e["entity_id"], e["label"], e["name"], list(e.get("aliases") or []),
                              e.get("key") or "", dates.get(e["doc_id"], ""),
                              previous_ids.get((e["doc_id"], e["entity_id"])))
                    for e in entities]
    clusters = resolve(doc_entities)
    ids = assign_ids(doc_entities, clusters)
    entity_canonical: dict[str, str] = {}
    canonical_rows = []
    names: dict[str, str] = {}
    for cluster, cid in zip(clusters, ids):
        members = [doc_entities[i] for i in cluster]
        name = canonical_name(members)
        names[cid] = name
        aliases: dict[str, str] = {}
        for m in members:
            entity_canonical[m.entity_id] = cid
            for alias in [m.name, *m.aliases]:
                if alias != name and alias not in aliases:
                    aliases[alias] = alias_kind(alias, name, m.label)
        member_dates = sorted(d for d in (m.date for m in members) if d)
        keys = sorted({m.key for m in members if m.key})
        canonical_rows.append({
            "canonical_id": cid, "label": members[0].label, "name": name, "key": keys[0] if keys else "",
            "aliases": [{"name": a, "kind": k} for a, k in sorted(aliases.items())],
            "n_documents": len({m.doc_id for m in members}),
            "first_date": member_dates[0] if member_dates else None,
            "last_date": member_dates[-1] if member_dates else None,
        })
    symmetric = load_schema().symmetric_labels
    grouped: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for r in relations:
        head, tail = entity_canonical.get(r["head"]), entity_canonical.get(r["tail"])
        if head is None or tail is None or head == tail:
            continue
        if r["label"] in symmetric and tail < head:
            head, tail = tail, head
        grouped[(head, r["label"], tail)].append(r)
    corpus_relations = []
    for (head, label, tail), rows in sorted(grouped.items()):
        docs = sorted({r["doc_id"] for r in rows})
        rel_dates = sorted(d for d in (dates.get(doc, "") for doc in docs) if d)
        example = max(rows, key=lambda r: (r.get("confidence") or 0.0, -len(r.get("evidence") or ""), r["relation_id"]))
        corpus_relations.append({
            "head": head, "label": label, "tail": tail, "head_name": names[head], "tail_name": names[tail],
            "n_documents": len(docs), "share_hedged": round(sum(bool(r["hedged"]) for r in rows) / len(rows), 4),
            "first_date": rel_dates[0] if rel_dates else None, "last_date": rel_dates[-1] if rel_dates else None,
            "example_evidence": example.get("evidence"), "example_doc_id": example["doc_id"],
        })
    entity_rows = [{**e, "canonical_id": entity_canonical[e["entity_id"]]} for e in entities]
    return {"entities": entity_rows, "canonical_entities": canonical_rows, "corpus_relations": corpus_relations}


def resolve_tables(writer) -> dict[str, pa.Table]:
    """Called by the extraction run before publishing: all entities (earlier and new) resolved."""
    from pipeline.tables.writer import read_table

    entities = writer.staged_table("entities").to_pylist()
    documents = writer.staged_table("documents").select(["doc_id", "date"]).to_pylist()
    relations = writer.staged_table("relations").to_pylist()
    previous = {}
    if writer.append:
        for row in read_table(writer.out_dir, "entities", ["doc_id", "entity_id", "canonical_id"]).to_pylist():
            if row["canonical_id"]:
                previous[(row["doc_id"], row["entity_id"])] = row["canonical_id"]
    tables = build_corpus_tables(entities, documents, relations, previous)
    return {"entities": pa.Table.from_pylist(tables["entities"], schema=ENTITIES),
            "canonical_entities": pa.Table.from_pylist(tables["canonical_entities"], schema=CANONICAL_ENTITIES),
            "corpus_relations": pa.Table.from_pylist(tables["corpus_relations"], schema=CORPUS_RELATIONS)}
